#!/usr/bin/env bash
# The crash drill: writers propose ideas over HTTP while a release build of Kopa is killed
# with SIGKILL at random moments and started again, KILLS times on SQLite (default 50) and
# a third as often on PostgreSQL (at least 20). Then every write that was acknowledged must be
# in the database, no request may have failed with a 5xx, and `kopa audit verify` must pass.
# Needs PostgreSQL's server binaries and psql (Debian: postgresql).
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-50}
pg_kills=$(( kills / 3 > 20 ? kills / 3 : 20 ))

cargo build --release -q -p kopa-cli
kopa=$PWD/target/release/kopa
work=$(mktemp -d /tmp/kopa-drill.XXXXXX)
pg_dir=$(mktemp -d /tmp/kopa-drill-pg.XXXXXX)
trap '.ci/stop-postgres "$pg_dir"' EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Loads the demo into $1 and stops: the drill then serves it with `kopa serve`.
load_demo() {
  local port; port=$(free_port)
  "$kopa" demo --demo-database "$1" --listen "127.0.0.1:$port" >"$work/demo.log" 2>&1 &
  local pid=$!
  for _ in $(seq 600); do curl -sf -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.1; done
  kill "$pid"; wait "$pid" || true
}

status=0
echo "== SQLite"
load_demo "$work/drill.sqlite"
python3 bench/drill.py crash "$kopa" "$work/drill.sqlite" "$kills" || status=1
echo "== PostgreSQL"
pg_url=$(.ci/start-postgres "$(free_port)" "$pg_dir")
load_demo "$pg_url"
python3 bench/drill.py crash "$kopa" "$pg_url" "$pg_kills" || status=1
exit $status
