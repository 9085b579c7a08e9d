#!/usr/bin/env bash
# Starts the same PostgreSQL 15 + pgvector and Kafka that CI uses, for local test runs, and leaves
# them running. Prints export lines on stdout, so:   eval "$(.ci/start-infra.sh)"
# Stop with .ci/stop-infra.sh. State lives in $TUNEGRAPH_INFRA_DIR (default /tmp/tunegraph-infra).
# Installs missing system packages and pgvector when run as root.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
STATE="${TUNEGRAPH_INFRA_DIR:-/tmp/tunegraph-infra}"
ENV_FILE="$STATE/env.sh"

if [[ -f "$ENV_FILE" ]]; then
  pid="$(cat "$STATE/kafka/kafka.pid" 2>/dev/null || true)"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && [[ -f "$STATE/pg/data/postmaster.pid" ]]; then
    log "already running (state in $STATE)"
    cat "$ENV_FILE"
    exit 0
  fi
  die "stale state in $STATE: run .ci/stop-infra.sh first"
fi

mkdir -p "$STATE"
chmod 755 "$STATE"
# A half-started set is worse than none: undo on failure.
trap 'rc=$?; if ((rc != 0)); then stop_moto "$STATE/moto"; stop_kafka "$STATE/kafka"; stop_postgres "$STATE/pg"; rm -rf "$STATE"; fi' EXIT

section "system packages"
install_system_packages
section "pgvector"
install_pgvector
section "PostgreSQL $PG_MAJOR"
start_postgres "$STATE/pg"
section "Kafka $KAFKA_VERSION"
install_kafka
start_kafka "$STATE/kafka"
if [[ -f "$REPO_ROOT/node_modules/kafkajs/package.json" ]]; then
  section "Kafka end-to-end check (kafkajs)"
  KAFKAJS_NO_PARTITIONER_WARNING=1 kafka_smoke_test
fi
section "S3 (moto $MOTO_VERSION)"
install_moto
start_moto "$STATE/moto"
end_section

printf 'export DATABASE_URL=%q\nexport KAFKA_BROKERS=%q\n' "$DATABASE_URL" "$KAFKA_BROKERS" >"$ENV_FILE"
printf 'export S3_ENDPOINT=%q S3_ACCESS_KEY_ID=test S3_SECRET_ACCESS_KEY=test\n' "$S3_ENDPOINT" >>"$ENV_FILE"
log "PostgreSQL log: $STATE/pg/postgres.log   Kafka log: $STATE/kafka/kafka.log   S3 log: $STATE/moto/moto.log"
cat "$ENV_FILE"
