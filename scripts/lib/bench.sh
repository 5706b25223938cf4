# Shared by the scripts/bench-* commands (sourced, not run): a release
# build, a scratch folder removed on exit with everything started in it, a
# throwaway PostgreSQL cluster from the installed server binaries, and
# `integra serve` waited on until ready.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
cargo build --release --locked -p integra-gateway --features integra-gateway/synthetic -p integra-bench >/dev/null
BIN=$PWD/target/release/integra
BENCH=$PWD/target/release/integra-bench
SECRET=bench-secret-bench-secret-bench-secret
work=$(mktemp -d)
chmod 755 "$work"
pids=()
PGBIN=""
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -f "$work/pg/data/postmaster.pid" ]; then as_pg "$PGBIN/pg_ctl" -D "$work/pg/data" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# wait_ready URL LOG: waits for /health/ready, or prints the log and fails.
wait_ready() {
  for _ in $(seq 1 800); do
    if curl -fs "$1/health/ready" >/dev/null 2>&1; then return 0; fi
    sleep 0.01
  done
  echo "server did not become ready:" >&2; cat "$2" >&2 || true; return 1
}

# start_pg PORT [-c setting=value ...]: a cluster on 127.0.0.1:PORT with a
# database `integra`, with the settings given and then any in $PG_SETTINGS
# (every bench script, e.g. PG_SETTINGS="-c shared_preload_libraries=pg_stat_statements
# -c pg_stat_statements.track=all" to see where the database spends its
# time); sets OWNER and APP (the RLS-bound app role) URLs. The
# server and the runner's direct SQL reach it as the app role through its
# Unix socket, as deploy/README.md advises for a server on the same machine:
# every statement is a round trip, and loopback TCP costs both sides more
# kernel time per message than a Unix socket (docs/performance/journal, session 20).
start_pg() {
  local pgport=$1; shift
  PGBIN=$(dirname "$(readlink -f "$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb | tail -1)")")
  mkdir -p "$work/pg"
  if [ "$(id -u)" = 0 ]; then chown -R postgres "$work/pg"; fi
  as_pg "$PGBIN/initdb" -D "$work/pg/data" -A trust -U postgres --no-sync >/dev/null
  as_pg "$PGBIN/pg_ctl" -D "$work/pg/data" -o "-p $pgport -k $work/pg -c listen_addresses=127.0.0.1 $* ${PG_SETTINGS:-}" -l "$work/pg/log" -w start >/dev/null
  psql -q -h 127.0.0.1 -p "$pgport" -U postgres -c "CREATE DATABASE integra" >/dev/null
  OWNER=postgres://postgres@127.0.0.1:$pgport/integra
  APP="postgres://integra_app@localhost:$pgport/integra?host=$work/pg"
  PGPORT_BENCH=$pgport
}

# serve_pg PORT [VAR=value ...]: `integra serve` in production mode as the
# app role on 127.0.0.1:PORT, extra settings as environment; sets URL.
serve_pg() {
  local port=$1; shift
  env INTEGRA_MODE=production INTEGRA_SECRET_KEY=$SECRET INTEGRA_DATABASE_URL="$APP" \
    INTEGRA_BIND=127.0.0.1:$port INTEGRA_LOG=warn INTEGRA_DATA_DIR="$work/data" "$@" \
    "$BIN" serve >/dev/null 2>"$work/serve-$port.log" &
  pids+=($!)
  URL=http://127.0.0.1:$port
  wait_ready "$URL" "$work/serve-$port.log"
}

# cpu_seconds: "integra=Ns postgres=Ns bench=Ns" so far (where the two
# cores went); the bench's own CPU counts under its name when it has run.
cpu_seconds() {
  local server=${pids[-1]}
  local s pg
  s=$(ps -o times= -p "$server" | tr -d ' ')
  pg=$(ps -eo comm,times --no-headers | awk '$1=="postgres"{t+=$2} END{print t+0}')
  echo "CPU so far: integra=${s}s postgres=${pg}s"
}
