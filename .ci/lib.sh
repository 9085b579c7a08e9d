# shellcheck shell=bash source-path=SCRIPTDIR
# Building blocks shared by .ci/run (CI) and .ci/start-infra.sh / .ci/stop-infra.sh (developers).
# Sourcing this file defines paths and functions and runs nothing. Logs go to stderr so that
# start-infra.sh can print only `export` lines on stdout.

CI_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$CI_DIR/.." && pwd)"
CACHE_DIR="$CI_DIR/.cache"
# shellcheck source=versions.env
source "$CI_DIR/versions.env"
PG_BIN="/usr/lib/postgresql/$PG_MAJOR/bin"
# Overridable so that a worktree without its own cache can use another clone's jars.
KAFKA_LIBS="${KAFKA_LIBS:-$CACHE_DIR/kafka-libs}"
TOOLS_BIN="$CACHE_DIR/bin"
TOOLS_VENV="$CACHE_DIR/venv"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_JAVA=(java -Xms256m -Xmx1g -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true
  "-Dlog4j.configuration=file:$CI_DIR/kafka/log4j.properties" -cp "$KAFKA_LIBS/*")

log() { printf '%s\n' "$*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}

# --- section headers with timings -------------------------------------------------------------
_SECTION_NAME=""
_SECTION_START=0
_TIMINGS=()
section() {
  end_section
  _SECTION_NAME="$1"
  _SECTION_START=$SECONDS
  log ""
  log "==> [$(date -u +%H:%M:%S)] $1"
}
end_section() {
  [[ -n "$_SECTION_NAME" ]] || return 0
  local took=$((SECONDS - _SECTION_START))
  _TIMINGS+=("$(printf '%5ds  %s' "$took" "$_SECTION_NAME")")
  log "    done in ${took}s: $_SECTION_NAME"
  _SECTION_NAME=""
}
print_timings() {
  end_section
  log ""
  log "==> timings (total ${SECONDS}s)"
  local line
  for line in "${_TIMINGS[@]}"; do log "    $line"; done
}

# --- small helpers ----------------------------------------------------------------------------
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port_from() {
  local port="$1"
  while port_open "$port"; do
    port=$((port + 1))
    ((port < $1 + 100)) || die "no free TCP port in $1..$port"
  done
  echo "$port"
}

# Runs a command as the `postgres` OS user when we are root (initdb refuses to run as root).
as_postgres() {
  if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A state folder that the postgres user can traverse (mktemp makes it 0700 for root).
make_state_dir() {
  local dir
  dir="$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")"
  chmod 755 "$dir"
  echo "$dir"
}

show_log_tail() {
  [[ -f "$1" ]] || return 0
  log "---- last ${2:-40} lines of $1 ----"
  tail -n "${2:-40}" "$1" >&2
  log "----"
}

# --- system packages and pgvector ---------------------------------------------------------------
APT_PACKAGES=(
  ca-certificates build-essential dpkg-dev python3-venv
  "postgresql-$PG_MAJOR" "postgresql-client-$PG_MAJOR" "postgresql-server-dev-$PG_MAJOR"
)
TRIXIE_SRC_FILE=/etc/apt/sources.list.d/tunegraph-trixie-src.sources

pgvector_installed() {
  [[ -x "$PG_BIN/pg_config" ]] && [[ -f "$("$PG_BIN/pg_config" --sharedir)/extension/vector.control" ]]
}

packages_missing() {
  local pkg missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
  command -v mvn >/dev/null || missing+=(maven)
  echo "${missing[*]}"
}

install_system_packages() {
  local missing
  missing="$(packages_missing)"
  if [[ -z "$missing" ]] && pgvector_installed; then
    log "all system packages and pgvector present; skipping apt-get"
    return 0
  fi
  [[ $EUID -eq 0 ]] || die "missing system packages ($missing) and not root: run as root or install them"
  export DEBIAN_FRONTEND=noninteractive
  # Source packages only: a deb-src line can never pull a trixie binary onto this bookworm system.
  local wanted
  wanted="$(printf '%s\n' \
    '# Added by tunegraph .ci/lib.sh to build pgvector from source; deb-src only.' \
    'Types: deb-src' \
    'URIs: http://deb.debian.org/debian' \
    "Suites: $PGVECTOR_SUITE" \
    'Components: main' \
    'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg')"
  if [[ ! -f "$TRIXIE_SRC_FILE" ]] || [[ "$(cat "$TRIXIE_SRC_FILE")" != "$wanted" ]]; then
    printf '%s\n' "$wanted" >"$TRIXIE_SRC_FILE"
  fi
  apt-get update -qq -o Acquire::Retries=3
  if [[ -n "$missing" ]]; then
    log "installing: $missing"
    # shellcheck disable=SC2086 # word splitting of the package list is intended
    apt-get install -y -qq --no-install-recommends -o Acquire::Retries=3 $missing >/dev/null
  fi
}

install_pgvector() {
  if pgvector_installed; then
    log "pgvector $(pgvector_version) already installed for PostgreSQL $PG_MAJOR"
    return 0
  fi
  [[ $EUID -eq 0 ]] || die "pgvector is not installed for PostgreSQL $PG_MAJOR and installing it needs root"
  local work="$CACHE_DIR/pgvector-src" src
  rm -rf "$work"
  mkdir -p "$work"
  if ! (cd "$work" && apt-get source -qq "pgvector/$PGVECTOR_SUITE") >"$work/source.log" 2>&1; then
    show_log_tail "$work/source.log"
    die "apt-get source pgvector/$PGVECTOR_SUITE failed (is the deb-src line in $TRIXIE_SRC_FILE?)"
  fi
  src="$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -n 1)"
  [[ -n "$src" ]] || die "apt-get source pgvector/$PGVECTOR_SUITE produced no source tree in $work"
  log "building $(basename "$src") against $("$PG_BIN/pg_config" --version)"
  make -s -C "$src" -j "$(nproc)" PG_CONFIG="$PG_BIN/pg_config" >"$work/build.log" 2>&1 ||
    { show_log_tail "$work/build.log"; die "pgvector build failed"; }
  make -s -C "$src" PG_CONFIG="$PG_BIN/pg_config" install >>"$work/build.log" 2>&1 ||
    { show_log_tail "$work/build.log"; die "pgvector install failed"; }
  pgvector_installed || die "pgvector installed but vector.control is not where PostgreSQL $PG_MAJOR looks"
  log "installed pgvector $(pgvector_version)"
}

pgvector_version() {
  sed -n "s/^default_version = '\(.*\)'/\1/p" "$("$PG_BIN/pg_config" --sharedir)/extension/vector.control"
}

# --- PostgreSQL -------------------------------------------------------------------------------
# start_postgres STATE_DIR: throwaway cluster in STATE_DIR; sets PG_PORT and DATABASE_URL.
start_postgres() {
  local state="$1"
  [[ -x "$PG_BIN/initdb" ]] || die "PostgreSQL $PG_MAJOR is not installed ($PG_BIN/initdb missing)"
  mkdir -p "$state"
  [[ $EUID -ne 0 ]] || chown postgres:postgres "$state"
  PG_PORT="${PG_PORT:-$(free_port_from 5432)}"
  as_postgres "$PG_BIN/initdb" -D "$state/data" -U postgres --auth=trust --encoding=UTF8 \
    --locale=C.UTF-8 --no-sync >"$state/initdb.log" 2>&1 ||
    { show_log_tail "$state/initdb.log"; die "initdb failed"; }
  # Durability is pointless for a cluster that is deleted after the run; fsync=off speeds tests up.
  as_postgres "$PG_BIN/pg_ctl" -D "$state/data" -l "$state/postgres.log" -w -t 60 -o \
    "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories=$state -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { show_log_tail "$state/postgres.log"; die "PostgreSQL did not start on port $PG_PORT"; }
  local psql=("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt)
  "${psql[@]}" -d postgres -c 'CREATE DATABASE tunegraph' >/dev/null
  # Prove the extension loads and computes, then drop it: the services create it themselves
  # (as they must on a fresh pgvector/pgvector server), so the database starts as it would in production.
  local distance
  distance="$("${psql[@]}" -d tunegraph -c 'CREATE EXTENSION vector' \
    -c "SELECT '[1,2,3]'::vector <-> '[1,2,5]'::vector" -c 'DROP EXTENSION vector')" ||
    die "CREATE EXTENSION vector failed in the throwaway cluster"
  [[ "$distance" == "2" ]] || die "pgvector returned L2 distance '$distance', expected 2"
  # shellcheck disable=SC2034 # exported by the caller
  DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/tunegraph"
  log "PostgreSQL $PG_MAJOR on 127.0.0.1:$PG_PORT (data in $state/data), pgvector $(pgvector_version) verified"
}

stop_postgres() {
  local state="$1"
  [[ -f "$state/data/postmaster.pid" ]] || return 0
  as_postgres "$PG_BIN/pg_ctl" -D "$state/data" -m fast -w -t 30 stop >/dev/null ||
    log "WARNING: PostgreSQL in $state did not stop cleanly"
}

# --- Kafka ------------------------------------------------------------------------------------
install_kafka() {
  local stamp="$KAFKA_LIBS/.kafka-$KAFKA_VERSION"
  if [[ -f "$stamp" ]]; then
    log "Kafka $KAFKA_VERSION jars cached in $KAFKA_LIBS"
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found (needed to resolve Kafka from Maven Central)"
  rm -rf "$KAFKA_LIBS"
  mkdir -p "$CACHE_DIR"
  mvn -B -q -f "$CI_DIR/kafka/pom.xml" -Dmaven.repo.local="$CACHE_DIR/m2" -Dkafka.version="$KAFKA_VERSION" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIBS" \
    >"$CACHE_DIR/kafka-resolve.log" 2>&1 || {
    show_log_tail "$CACHE_DIR/kafka-resolve.log"
    die "could not resolve org.apache.kafka:kafka_2.13:$KAFKA_VERSION from Maven Central"
  }
  [[ -f "$KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar" ]] || die "kafka_2.13-$KAFKA_VERSION.jar missing after resolve"
  touch "$stamp"
  log "Kafka $KAFKA_VERSION: $(find "$KAFKA_LIBS" -name '*.jar' | wc -l) jars in $KAFKA_LIBS"
}

# start_kafka STATE_DIR: formats KRaft storage in STATE_DIR (unless a broker ran there before: then it restarts
# with its data), starts the broker in the background on KAFKA_PORT / KAFKA_CONTROLLER_PORT, waits for its port;
# sets KAFKA_BROKERS.
start_kafka() {
  local state="$1" cluster_id pid deadline port
  command -v java >/dev/null || die "java not found"
  [[ -f "$KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar" ]] || die "Kafka jars missing in $KAFKA_LIBS (run install_kafka)"
  for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    ! port_open "$port" || die "127.0.0.1:$port is already in use (a Kafka from .ci/start-infra.sh? stop it with .ci/stop-infra.sh)"
  done
  mkdir -p "$state/data"
  sed -e "s|@LOG_DIR@|$state/data|" -e "s|@CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" -e "s|@PORT@|$KAFKA_PORT|g" \
    "$CI_DIR/kafka/server.properties.in" >"$state/server.properties"
  if [[ -f "$state/data/meta.properties" ]]; then
    log "restarting the Kafka broker whose data is in $state/data"
  else
    # The tool's own log lines share stdout with the id, so keep only the line shaped like an id.
    cluster_id="$("${KAFKA_JAVA[@]}" kafka.tools.StorageTool random-uuid 2>"$state/format.log" |
      grep -E '^[A-Za-z0-9_-]{22}$' | tail -n 1)" || true
    [[ -n "$cluster_id" ]] || { show_log_tail "$state/format.log"; die "could not generate a Kafka cluster id"; }
    "${KAFKA_JAVA[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$state/server.properties" >>"$state/format.log" 2>&1 ||
      { show_log_tail "$state/format.log"; die "kafka-storage format failed"; }
  fi
  cluster_id="$(sed -n 's/^cluster.id=//p' "$state/data/meta.properties")"
  nohup "${KAFKA_JAVA[@]}" -Dkafka.logs.dir="$state" kafka.Kafka "$state/server.properties" \
    >"$state/kafka.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$state/kafka.pid"
  # A loaded 2-core machine has been seen to need over a minute; an idle one takes about 15 s.
  deadline=$((SECONDS + 180))
  until port_open "$KAFKA_PORT"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      show_log_tail "$state/kafka.log" 60
      die "Kafka exited before listening on 127.0.0.1:$KAFKA_PORT"
    fi
    if ((SECONDS > deadline)); then
      show_log_tail "$state/kafka.log" 60
      die "Kafka did not listen on 127.0.0.1:$KAFKA_PORT within 180s"
    fi
    sleep 1
  done
  KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT"
  log "Kafka $KAFKA_VERSION (KRaft, cluster $cluster_id) on $KAFKA_BROKERS, pid $pid, log $state/kafka.log"
}

stop_kafka() {
  local state="$1" pid
  [[ -f "$state/kafka.pid" ]] || return 0
  pid="$(cat "$state/kafka.pid")"
  rm -f "$state/kafka.pid"
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid"
  local deadline=$((SECONDS + 30))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS > deadline)); then
      log "WARNING: Kafka pid $pid ignored SIGTERM for 30s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.5
  done
}

# --- S3 (moto server) -------------------------------------------------------------------------
MOTO_VENV="$CACHE_DIR/moto-venv"
MOTO_PORT=9000

install_moto() {
  local pin="moto[server]==$MOTO_VERSION"
  if [[ "$(cat "$MOTO_VENV/.pin" 2>/dev/null)" == "$pin" ]]; then
    log "moto $MOTO_VERSION cached in $MOTO_VENV"
    return 0
  fi
  rm -rf "$MOTO_VENV"
  python3 -m venv "$MOTO_VENV" || die "python3 -m venv failed"
  "$MOTO_VENV/bin/pip" install -q --disable-pip-version-check "$pin" || die "pip install $pin failed"
  echo "$pin" >"$MOTO_VENV/.pin"
}

# Sets S3_ENDPOINT. moto keeps buckets in memory: every start is empty, and it accepts any credentials.
start_moto() {
  local state="$1" pid deadline port
  port="$(free_port_from "$MOTO_PORT")"
  mkdir -p "$state"
  nohup "$MOTO_VENV/bin/moto_server" -H 127.0.0.1 -p "$port" >"$state/moto.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$state/moto.pid"
  deadline=$((SECONDS + 60))
  until port_open "$port"; do
    kill -0 "$pid" 2>/dev/null || { show_log_tail "$state/moto.log"; die "moto exited before listening on $port"; }
    ((SECONDS < deadline)) || { show_log_tail "$state/moto.log"; die "moto did not listen on $port within 60s"; }
    sleep 0.5
  done
  S3_ENDPOINT="http://127.0.0.1:$port"
  log "moto $MOTO_VERSION (S3) on $S3_ENDPOINT, pid $pid, log $state/moto.log"
}

stop_moto() {
  local state="$1" pid
  [[ -f "$state/moto.pid" ]] || return 0
  pid="$(cat "$state/moto.pid")"
  rm -f "$state/moto.pid"
  kill -TERM "$pid" 2>/dev/null || true
}

# End-to-end check with the same client library the services use; needs node_modules.
kafka_smoke_test() {
  [[ -f "$REPO_ROOT/node_modules/kafkajs/package.json" ]] || die "kafkajs not in node_modules: run npm ci first"
  KAFKA_BROKERS="$KAFKA_BROKERS" node "$CI_DIR/kafka-smoke.mjs"
}

# --- deployment validation tools ----------------------------------------------------------------
install_go_tool() {
  local name="$1" module="$2" version="$3"
  [[ -f "$TOOLS_BIN/.$name-$version" && -x "$TOOLS_BIN/$name" ]] && return 0
  command -v go >/dev/null || die "go not found (needed to build $name)"
  mkdir -p "$TOOLS_BIN"
  log "building $name $version with $(go version | cut -d' ' -f3)"
  # GOTOOLCHAIN=local: the pinned versions build with the machine's Go; never fetch another toolchain.
  GOBIN="$TOOLS_BIN" GOTOOLCHAIN=local GOMODCACHE="$CACHE_DIR/go-mod" GOFLAGS="-modcacherw -buildvcs=false" \
    go install -ldflags="-s -w" "$module@$version" ||
    die "go install $module@$version failed"
  rm -f "$TOOLS_BIN/.$name-"*
  touch "$TOOLS_BIN/.$name-$version"
}

install_deploy_tools() {
  install_go_tool kustomize sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION"
  install_go_tool kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION"
  local pins="kubernetes-validate==$KUBERNETES_VALIDATE_VERSION check-jsonschema==$CHECK_JSONSCHEMA_VERSION"
  if [[ "$(cat "$TOOLS_VENV/.pins" 2>/dev/null)" != "$pins" ]]; then
    rm -rf "$TOOLS_VENV"
    python3 -m venv "$TOOLS_VENV" || die "python3 -m venv failed"
    # shellcheck disable=SC2086 # $pins is a list of requirement specifiers
    "$TOOLS_VENV/bin/pip" install -q --disable-pip-version-check $pins || die "pip install $pins failed"
    echo "$pins" >"$TOOLS_VENV/.pins"
  fi
  log "kustomize $KUSTOMIZE_VERSION, kubeconform $KUBECONFORM_VERSION, $pins"
}

# --- test summary -----------------------------------------------------------------------------
# Adds up vitest's per-workspace "Tests  N failed | N passed (N)" lines into one closing line.
print_test_summary() {
  sed 's/\x1b\[[0-9;]*m//g' "$1" | awk '
    /(^|[ :])Tests  +[0-9]/ {
      found = 1
      for (i = 1; i < NF; i++) {
        if ($(i + 1) ~ /^passed/) passed += $i
        if ($(i + 1) ~ /^failed/) failed += $i
        if ($(i + 1) ~ /^skipped/) skipped += $i
      }
    }
    END {
      if (!found) exit
      line = sprintf("vitest: %d passed, %d failed", passed, failed)
      if (skipped) line = line sprintf(", %d skipped", skipped)
      print line
    }'
}
