#!/usr/bin/env bash
# Stops what .ci/start-infra.sh started and deletes its state folder.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
STATE="${TUNEGRAPH_INFRA_DIR:-/tmp/tunegraph-infra}"
[[ -d "$STATE" ]] || { log "nothing to stop: $STATE does not exist"; exit 0; }
stop_moto "$STATE/moto"
stop_kafka "$STATE/kafka"
stop_postgres "$STATE/pg"
rm -rf "$STATE"
log "stopped; removed $STATE"
