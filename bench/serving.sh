#!/usr/bin/env bash
# Serving speed of one page of the demo (the workspace's home unless given, e.g.
# `bench/serving.sh /w/kekava/meetings`): Kopa on SQLite, Kopa on PostgreSQL, and the same page
# saved as a static file and served by nginx (the physical ceiling), each under wrk with 50
# connections for 10 seconds, in one run. Prints requests per second, p99 latency, and the
# ratio to nginx. Needs wrk, nginx and PostgreSQL (Debian: wrk nginx-light postgresql).
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-10s}
connections=${CONNECTIONS:-50}
page=${1:-/w/kekava}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 600); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }

cargo build --release -q -p kopa-cli
work=$(mktemp -d /tmp/kopa-bench.XXXXXX)
chmod 755 "$work"  # nginx workers run as another user
pg_dir=$(mktemp -d /tmp/kopa-bench-pg.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  .ci/stop-postgres "$pg_dir"
}
trap cleanup EXIT

sqlite_port=$(free_port)
./target/release/kopa demo --demo-database "$work/demo.sqlite" --listen "127.0.0.1:$sqlite_port" >"$work/sqlite.log" 2>&1 &
pids+=($!)

pg_url=$(.ci/start-postgres "$(free_port)" "$pg_dir")
pg_port=$(free_port)
./target/release/kopa demo --demo-database "$pg_url" --listen "127.0.0.1:$pg_port" >"$work/postgres.log" 2>&1 &
pids+=($!)

wait_for "http://127.0.0.1:$sqlite_port$page"
wait_for "http://127.0.0.1:$pg_port$page"

# The same page, byte for byte, as a static file behind nginx.
mkdir -p "$work/www"
curl -sf "http://127.0.0.1:$sqlite_port$page" -o "$work/www/page.html"
nginx_port=$(free_port)
cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  types { text/html html; }
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
    location = $page { default_type text/html; try_files /page.html =404; }
  }
}
CONF
nginx -c "$work/nginx.conf"
wait_for "http://127.0.0.1:$nginx_port$page"

measure() {
  local out
  out=$(wrk -t2 -c"$connections" -d"$duration" --latency "$2")
  local rps p99
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  echo "$1 $rps $p99"
}

results=()
results+=("$(measure nginx "http://127.0.0.1:$nginx_port$page")")
results+=("$(measure kopa-sqlite "http://127.0.0.1:$sqlite_port$page")")
results+=("$(measure kopa-postgres "http://127.0.0.1:$pg_port$page")")

ceiling=$(awk '{print $2}' <<<"${results[0]}")
echo
echo "$page ($(wc -c <"$work/www/page.html") bytes), wrk -c$connections -d$duration, $(nproc) cores"
printf '%-15s %14s %10s %18s\n' server requests/s p99 "share of nginx"
for row in "${results[@]}"; do
  read -r name rps p99 <<<"$row"
  printf '%-15s %14s %10s %17.1f%%\n' "$name" "$rps" "$p99" "$(awk -v a="$rps" -v b="$ceiling" 'BEGIN {print 100 * a / b}')"
done
