#!/usr/bin/env bash
# Runs the engine's connectivity searches side by side with its peers, on the same graph:
# the engine (all cores and one core), the lower bound (one bounded Dijkstra per vertex on one
# core), scipy, networkx, pandana and cityseer (each by the way that yields every count and by
# its fastest count, which cannot make the detour test), and pgRouting both as BNA calls it
# (once per origin) and once with all origins. Every tool loads the graph.csv that `kopa network analyse` writes and counts,
# from every vertex, the vertices within 2680 m on all edges and on low-stress edges, and
# those within 1.25 times the shortest distance by low stress. The script checks that all
# report the same counts, and prints each time (loading excluded) and its ratio to the engine.
#
# Usage: bench/peers.sh [EXTRACT]      (default ../shared/data/osm/liechtenstein.osm.pbf)
# Needs (as root it installs them): postgresql with pgrouting, python3-venv.
# Set SKIP_NETWORKX=1 or SKIP_PGROUTING_PER_ORIGIN=1 to leave out the slowest peers.
set -euo pipefail
cd "$(dirname "$0")/.."
extract=${1:-../shared/data/osm/liechtenstein.osm.pbf}
[ -f "$extract" ] || { echo "no extract at $extract" >&2; exit 2; }

if [ "$(id -u)" = 0 ] && ! ls /usr/share/postgresql/*/extension/pgrouting.control >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    postgresql postgresql-15-pgrouting python3-venv >/dev/null
fi

work=$(mktemp -d)
chmod 755 "$work"
trap '.ci/stop-postgres "$work/pg" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

cargo build --release -q -p kopa-cli --bin kopa
cargo build --release -q -p kopa-mobility --example reach
target/release/kopa network analyse "$extract" --out "$work/layers" >/dev/null
graph=$work/layers/graph.csv
echo "Graph: $(grep -vc '^[#s]' "$graph") directed vertex pairs from $extract"

results=$work/results.jsonl
target/release/examples/reach "$graph" >>"$results"
RAYON_NUM_THREADS=1 target/release/examples/reach "$graph" | sed 's/"kopa"/"kopa, one core"/' >>"$results"
target/release/examples/reach "$graph" --lower-bound >>"$results"

venv=target/bench-venv
[ -x "$venv/bin/cityseer-installed" ] || {
  python3 -m venv "$venv" && "$venv/bin/pip" install -q numpy scipy networkx pandana cityseer && touch "$venv/bin/cityseer-installed"
}
for peer in scipy pandana pandana-counts cityseer cityseer-counts; do
  "$venv/bin/python" bench/peers.py "$peer" "$graph" >>"$results"
done
[ -n "${SKIP_NETWORKX:-}" ] || "$venv/bin/python" bench/peers.py networkx "$graph" >>"$results"

# pgRouting on a throwaway cluster, vertex ids from 1.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url=$(.ci/start-postgres "$port" "$work/pg")
awk -F, '!/^[#s]/ { print NR "," $1+1 "," $2+1 "," $3 }' "$graph" >"$work/all.csv"
awk -F, '!/^[#s]/ && $4 != "" { print NR "," $1+1 "," $2+1 "," $4 }' "$graph" >"$work/low.csv"
chmod 644 "$work"/*.csv
psql -q -v ON_ERROR_STOP=1 "$url" <<SQL
CREATE EXTENSION pgrouting CASCADE;
CREATE TABLE edges_all (id bigint, source bigint, target bigint, cost float8);
CREATE TABLE edges_low (id bigint, source bigint, target bigint, cost float8);
\copy edges_all FROM '$work/all.csv' CSV
\copy edges_low FROM '$work/low.csv' CSV
CREATE TABLE vertices AS SELECT source AS id FROM edges_all UNION SELECT target FROM edges_all;
ANALYZE;
SQL
start_column=$(psql -tA "$url" -c "SELECT CASE WHEN string_to_array(pgr_version(), '.')::int[] >= '{3,6}' THEN 'start_vid' ELSE 'from_v' END")
psql -q -v ON_ERROR_STOP=1 "$url" <<SQL
-- BNA's way: one call per origin and per network.
CREATE FUNCTION per_origin() RETURNS TABLE (seconds float8, reachable bigint, low bigint, connected bigint)
LANGUAGE plpgsql AS \$\$
DECLARE o bigint; t0 timestamptz := clock_timestamp();
BEGIN
  reachable := 0; low := 0; connected := 0;
  FOR o IN SELECT id FROM vertices LOOP
    WITH a AS (SELECT node, agg_cost FROM pgr_drivingDistance('SELECT id, source, target, cost FROM edges_all', o, 268000, true)),
         b AS (SELECT node, agg_cost FROM pgr_drivingDistance('SELECT id, source, target, cost FROM edges_low', o, 268000, true))
    SELECT reachable + (SELECT count(*) FROM a WHERE node <> o),
           low + (SELECT count(*) FROM b WHERE node <> o),
           connected + (SELECT count(*) FROM a JOIN b USING (node) WHERE node <> o AND b.agg_cost <= 1.25 * a.agg_cost)
      INTO reachable, low, connected;
  END LOOP;
  seconds := extract(epoch FROM clock_timestamp() - t0);
  RETURN NEXT;
END \$\$;
-- One call with every origin, per network.
CREATE FUNCTION all_origins() RETURNS TABLE (seconds float8, reachable bigint, low bigint, connected bigint)
LANGUAGE plpgsql AS \$\$
DECLARE t0 timestamptz := clock_timestamp();
BEGIN
  WITH a AS (SELECT $start_column AS o, node, agg_cost FROM pgr_drivingDistance('SELECT id, source, target, cost FROM edges_all', ARRAY(SELECT id FROM vertices), 268000, true)),
       b AS (SELECT $start_column AS o, node, agg_cost FROM pgr_drivingDistance('SELECT id, source, target, cost FROM edges_low', ARRAY(SELECT id FROM vertices), 268000, true))
  SELECT (SELECT count(*) FROM a WHERE node <> o), (SELECT count(*) FROM b WHERE node <> o),
         (SELECT count(*) FROM a JOIN b USING (o, node) WHERE node <> o AND b.agg_cost <= 1.25 * a.agg_cost)
    INTO reachable, low, connected;
  seconds := extract(epoch FROM clock_timestamp() - t0);
  RETURN NEXT;
END \$\$;
SQL
to_json() { awk -F'|' -v tool="$1" '{ printf "{\"tool\": \"%s\", \"threads\": 1, \"seconds\": %s, \"reachable\": %s, \"low_stress_reachable\": %s, \"connected\": %s}\n", tool, $1, $2, $3, $4 }'; }
psql -tA "$url" -c "SELECT * FROM all_origins()" | to_json "pgRouting, all origins in one call" >>"$results"
[ -n "${SKIP_PGROUTING_PER_ORIGIN:-}" ] || psql -tA "$url" -c "SELECT * FROM per_origin()" | to_json "pgRouting, one call per origin (BNA)" >>"$results"

python3 - "$results" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
engine = rows[0]
print(f"{'tool':<40} {'threads':>7} {'seconds':>10} {'× engine':>9}  reachable / low-stress / connected pairs; preparing")
same = True
for row in rows:
    counts = [row.get(k) for k in ("reachable", "low_stress_reachable", "connected")]
    ratio = row["seconds"] / engine["seconds"]
    preparing = f"; {row['preparing_seconds']:.3f} s" if "preparing_seconds" in row else ""
    print(f"{row['tool']:<40} {row['threads']:>7} {row['seconds']:>10.3f} {ratio:>9.1f}  " + " / ".join("-" if c is None else str(c) for c in counts) + preparing)
    expected = [engine["reachable"], engine["low_stress_reachable"], engine["connected"]]
    same &= all(c is None or c == e for c, e in zip(counts, expected))
if not same:
    sys.exit("The tools disagree on the pair counts.")
print("All tools report the same pair counts.")
PY
