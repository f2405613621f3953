#!/usr/bin/env bash
# The abuse check, against a release build of Kopa on the SQLite demo: the peak memory (VmHWM)
# of a server under 64 clients posting wrong passwords for 15 s, each from its own address
# behind a trusted proxy header, while the account's owner signs in from the browser they used
# before (goals: under 300 MB, the owner in within a minute); then of a fresh server while a
# resident uploads a 12,000 x 12,000 PNG four times at once (refused, under 150 MB).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p kopa-cli
kopa=$PWD/target/release/kopa
work=$(mktemp -d /tmp/kopa-abuse.XXXXXX)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$kopa" demo --demo-database "$work/abuse.sqlite" --listen "127.0.0.1:$port" >"$work/demo.log" 2>&1 &
pid=$!
for _ in $(seq 600); do curl -sf -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.1; done
kill "$pid"; wait "$pid" || true
python3 bench/drill.py abuse "$kopa" "$work/abuse.sqlite"
