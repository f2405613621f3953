#!/usr/bin/env python3
"""The Python peers of the engine benchmark (see bench/peers.sh).

Loads the graph.csv that `kopa network analyse` writes and, from every vertex, counts the
vertices within 2680 m on all edges and on low-stress edges, and those whose low-stress
distance is at most 1.25 times the shortest. Prints the counts and the time the searches
took (loading excluded) as JSON, like the engine's `reach` example.

    python3 bench/peers.py TOOL graph.csv     (TOOL: see PEERS at the end)

pandana and cityseer each run twice: the way that yields all three counts, and their fastest
way, which counts what lies within the distance but cannot make the detour test. pandana
answers from a contraction hierarchy it builds first; that build is reported apart
("preparing_seconds"). It keeps weights as 32-bit floats and does not finish a hierarchy over
centimetres, so it is given metres. cityseer measures an edge by its geometry, so each edge
is drawn as a line there and back whose length is the edge's length in centimetres.
"""

import contextlib
import csv
import json
import os
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
    return result("scipy", 1, time.perf_counter() - started, reachable, low_reachable, connected)


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
    return result("networkx", 1, time.perf_counter() - started, reachable, low_reachable, connected)


def pandana_networks(rows, n):
    import numpy as np
    import pandas as pd
    from pandana import Network

    # Positions serve only its nearest-node queries, which the count does not use.
    nowhere = pd.Series(np.arange(n, dtype=np.float64), index=np.arange(n))

    def network(pairs):
        source, target, length = (np.array(c) for c in zip(*pairs))
        weights = pd.DataFrame({"m": length / 100})
        return Network(nowhere, nowhere, pd.Series(source), pd.Series(target), weights, twoway=False)

    started = time.perf_counter()
    every = network([(s, t, l) for s, t, l, _ in rows])
    low = network([(s, t, lo) for s, t, _, lo in rows if lo is not None])
    return every, low, time.perf_counter() - started


def with_pandana(rows, n):
    """Every pair by range query, so that the detour test can compare the two distances."""
    import numpy as np

    every, low, preparing = pandana_networks(rows, n)
    started = time.perf_counter()
    origins = np.arange(n)
    d_all = every.nodes_in_range(origins, BOUND_CM / 100, "m")
    d_low = low.nodes_in_range(origins, BOUND_CM / 100, "m")
    d_all = d_all[d_all.source != d_all.destination]
    d_low = d_low[d_low.source != d_low.destination]
    both = d_low.merge(d_all, on=["source", "destination"], suffixes=("_low", "_all"))
    connected = int((both.m_low <= DETOUR * both.m_all).sum())
    seconds = time.perf_counter() - started
    return result("pandana, every pair by range query", 2, seconds, len(d_all), len(d_low), connected, preparing)


def with_pandana_counts(rows, n):
    """Its fastest way, a count per origin: it cannot compare distances, so no detour test."""
    import numpy as np
    import pandas as pd

    every, low, preparing = pandana_networks(rows, n)
    started = time.perf_counter()
    counts = []
    for network in (every, low):
        network.set(pd.Series(np.arange(n)), variable=pd.Series(np.ones(n)), name="one")
        found = network.aggregate(BOUND_CM / 100, type="count", decay="flat", imp_name="m", name="one")
        counts.append(int(found.sum()) - n)
    seconds = time.perf_counter() - started
    return result("pandana, counts only (aggregate)", 2, seconds, counts[0], counts[1], None, preparing)


def cityseer_networks(rows, n):
    from cityseer import rustalgos

    def network(pairs):
        structure = rustalgos.graph.NetworkStructure()
        structure.set_is_directed(True)
        for vertex in range(n):
            structure.add_street_node(str(vertex), 0.0, 0.0, True, 1.0)
        for at, (s, t, length) in enumerate(pairs):
            geometry = f"LINESTRING (0 0, {length / 2} 0, 0 0)"
            structure.add_street_edge(s, t, at, str(s), str(t), geometry)
        return structure

    every = network([(s, t, l) for s, t, l, _ in rows])
    low = network([(s, t, lo) for s, t, _, lo in rows if lo is not None])
    return every, low


def with_cityseer(rows, n):
    """A shortest-path tree per origin on each network, so that the detour test can be made."""
    every, low = cityseer_networks(rows, n)
    started = time.perf_counter()
    reachable = low_reachable = connected = 0
    for origin in range(n):
        # At 1 m/s a second is one unit of length, here a centimetre.
        visited_all, tree_all = every.dijkstra_tree_shortest(origin, BOUND_CM, 1.0)
        visited_low, tree_low = low.dijkstra_tree_shortest(origin, BOUND_CM, 1.0)
        shortest = {v: tree_all[v].short_dist for v in visited_all if v != origin}
        reachable += len(shortest)
        for v in visited_low:
            if v != origin:
                low_reachable += 1
                connected += tree_low[v].short_dist <= DETOUR * shortest[v]
    seconds = time.perf_counter() - started
    return result("cityseer, a tree per origin", 1, seconds, reachable, low_reachable, connected)


def with_cityseer_counts(rows, n):
    """Its fastest way, a closeness sum per origin: a count, with no detour test."""
    every, low = cityseer_networks(rows, n)
    started = time.perf_counter()
    counts = []
    for network in (every, low):
        # It keeps a node only when nearer than the distance; lengths are whole centimetres.
        found = network.centrality_shortest(distances=[BOUND_CM + 1], closeness_exprs=[("reach", "1")], pbar_disabled=True)
        counts.append(int(sum(found.metrics["reach"][BOUND_CM + 1])))
    seconds = time.perf_counter() - started
    return result("cityseer, counts only (centrality)", 2, seconds, counts[0], counts[1], None)


def result(tool, threads, seconds, reachable, low_reachable, connected, preparing=None):
    found = {
        "tool": tool,
        "threads": threads,
        "seconds": round(seconds, 4),
        "reachable": reachable,
        "low_stress_reachable": low_reachable,
        "connected": connected,
    }
    if preparing is not None:
        found["preparing_seconds"] = round(preparing, 4)
    return found


PEERS = {
    "scipy": with_scipy,
    "networkx": with_networkx,
    "pandana": with_pandana,
    "pandana-counts": with_pandana_counts,
    "cityseer": with_cityseer,
    "cityseer-counts": with_cityseer_counts,
}


@contextlib.contextmanager
def stdout_to_stderr():
    """The peers' own messages, some written by their C++ straight to the file descriptor, go
    to stderr: stdout carries only the result."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in PEERS:
        sys.exit(f"usage: peers.py {'|'.join(PEERS)} graph.csv")
    tool, path = sys.argv[1], sys.argv[2]
    rows, n = read(path)
    with stdout_to_stderr():
        found = PEERS[tool](rows, n)
    print(json.dumps(found))


if __name__ == "__main__":
    main()
