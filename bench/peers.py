#!/usr/bin/env python3
"""The Python peers of the engine benchmark (see bench/peers.sh).

Loads the graph.csv that `kopa network analyse` writes and, from every vertex, counts the
vertices within 2680 m on all edges and on low-stress edges, and those whose low-stress
distance is at most 1.25 times the shortest. Prints the counts and the time the searches
took (loading excluded) as JSON, like the engine's `reach` example.

    python3 bench/peers.py scipy|networkx graph.csv
"""

import csv
import json
import sys
import time

BOUND_CM = 268000
DETOUR = 1.25


def read(path):
    rows = []
    with open(path, newline="") as f:
        for row in csv.reader(line for line in f if not line.startswith("#")):
            if row[0] == "source":
                continue
            low = int(row[3]) if row[3] else None
            rows.append((int(row[0]), int(row[1]), int(row[2]), low))
    vertices = max(max(s, t) for s, t, _, _ in rows) + 1
    return rows, vertices


def with_scipy(rows, n):
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    def matrix(pairs):
        source, target, length = (np.array(c, dtype=np.float64) for c in zip(*pairs))
        return csr_matrix((length, (source.astype(np.int64), target.astype(np.int64))), shape=(n, n))

    every = matrix([(s, t, l) for s, t, l, _ in rows])
    low = matrix([(s, t, lo) for s, t, _, lo in rows if lo is not None])
    started = time.perf_counter()
    reachable = low_reachable = connected = 0
    for first in range(0, n, 256):
        origins = np.arange(first, min(first + 256, n))
        d_all = dijkstra(every, directed=True, indices=origins, limit=BOUND_CM)
        d_low = dijkstra(low, directed=True, indices=origins, limit=BOUND_CM)
        d_all[np.arange(len(origins)), origins] = np.inf
        d_low[np.arange(len(origins)), origins] = np.inf
        reachable += int(np.isfinite(d_all).sum())
        finite_low = np.isfinite(d_low)
        low_reachable += int(finite_low.sum())
        connected += int((finite_low & (d_low <= DETOUR * d_all)).sum())
    return time.perf_counter() - started, reachable, low_reachable, connected


def with_networkx(rows, n):
    import networkx as nx

    every, low = nx.DiGraph(), nx.DiGraph()
    every.add_nodes_from(range(n))
    low.add_nodes_from(range(n))
    every.add_weighted_edges_from((s, t, l) for s, t, l, _ in rows)
    low.add_weighted_edges_from((s, t, lo) for s, t, _, lo in rows if lo is not None)
    started = time.perf_counter()
    reachable = low_reachable = connected = 0
    for origin in range(n):
        d_all = nx.single_source_dijkstra_path_length(every, origin, cutoff=BOUND_CM)
        d_low = nx.single_source_dijkstra_path_length(low, origin, cutoff=BOUND_CM)
        reachable += len(d_all) - 1
        low_reachable += len(d_low) - 1
        connected += sum(1 for v, d in d_low.items() if v != origin and d <= DETOUR * d_all[v])
    return time.perf_counter() - started, reachable, low_reachable, connected


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("scipy", "networkx"):
        sys.exit("usage: peers.py scipy|networkx graph.csv")
    tool, path = sys.argv[1], sys.argv[2]
    rows, n = read(path)
    seconds, reachable, low_reachable, connected = (with_scipy if tool == "scipy" else with_networkx)(rows, n)
    print(json.dumps({
        "tool": tool,
        "threads": 1,
        "seconds": round(seconds, 4),
        "reachable": reachable,
        "low_stress_reachable": low_reachable,
        "connected": connected,
    }))


if __name__ == "__main__":
    main()
