//! Reachability on the street graph: a bounded shortest-path search over the CSR arrays,
//! with one reusable search state per thread, and the low-stress islands (connected parts of
//! the low-stress network). BNA runs the search twice from every origin: on all edges, and on
//! low-stress edges only.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::graph::{Adjacency, Edge, StreetGraph};

/// BNA's distance bound, in metres.
pub const BNA_BOUND_M: f32 = 2680.0;

/// A shortest-path search whose memory is kept between runs, so each run costs only what it
/// touches.
pub struct BoundedSearch {
    distance: Vec<f32>,
    /// The vertex and segment each vertex was last reached from.
    reached_by: Vec<(u32, u32)>,
    touched: Vec<u32>,
    settled: Vec<(u32, f32)>,
    /// Distance and vertex packed in one integer: the bits of a non-negative float order as
    /// the float does, so the heap compares plain integers.
    heap: BinaryHeap<Reverse<u64>>,
}

fn pack(distance: f32, vertex: u32) -> u64 {
    (u64::from(distance.to_bits()) << 32) | u64::from(vertex)
}

fn unpack(key: u64) -> (f32, u32) {
    (f32::from_bits((key >> 32) as u32), key as u32)
}

impl BoundedSearch {
    pub fn new(vertices: usize) -> BoundedSearch {
        BoundedSearch {
            distance: vec![f32::INFINITY; vertices],
            reached_by: vec![(u32::MAX, u32::MAX); vertices],
            touched: Vec::new(),
            settled: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    /// Every vertex within `bound_m` of `source` along edges that `usable` accepts, with its
    /// distance, in the order settled.
    pub fn run(
        &mut self,
        adjacency: &Adjacency,
        source: u32,
        bound_m: f32,
        usable: impl Fn(&Edge) -> bool,
    ) -> &[(u32, f32)] {
        self.run_from(adjacency, &[source], bound_m, usable)
    }

    /// Every vertex within `bound_m` of the nearest of `sources`.
    pub fn run_from(
        &mut self,
        adjacency: &Adjacency,
        sources: &[u32],
        bound_m: f32,
        usable: impl Fn(&Edge) -> bool,
    ) -> &[(u32, f32)] {
        for vertex in self.touched.drain(..) {
            self.distance[vertex as usize] = f32::INFINITY;
        }
        self.heap.clear();
        self.settled.clear();
        for &source in sources {
            if self.distance[source as usize].is_infinite() {
                self.distance[source as usize] = 0.0;
                self.touched.push(source);
                self.heap.push(Reverse(pack(0.0, source)));
            }
        }
        while let Some(Reverse(key)) = self.heap.pop() {
            let (distance, vertex) = unpack(key);
            if distance > self.distance[vertex as usize] {
                continue;
            }
            self.settled.push((vertex, distance));
            for edge in adjacency.edges_from(vertex) {
                if !usable(edge) {
                    continue;
                }
                let next = distance + edge.length_m;
                let target = edge.target as usize;
                if next <= bound_m && next < self.distance[target] {
                    if self.distance[target].is_infinite() {
                        self.touched.push(edge.target);
                    }
                    self.distance[target] = next;
                    self.reached_by[target] = (vertex, edge.segment);
                    self.heap.push(Reverse(pack(next, edge.target)));
                }
            }
        }
        &self.settled
    }

    /// The vertices the last run settled, with their distances, in order.
    pub fn settled(&self) -> &[(u32, f32)] {
        &self.settled
    }

    /// The distance of a vertex in the last run, infinite if it was not reached.
    pub fn distance(&self, vertex: u32) -> f32 {
        self.distance[vertex as usize]
    }

    /// The vertex and segment a vertex reached in the last run was reached from (not the source).
    pub fn reached_by(&self, vertex: u32) -> (u32, u32) {
        self.reached_by[vertex as usize]
    }
}

/// Whether a low-stress route passes BNA's detour test against the shortest route. A little
/// slack keeps equal routes, summed in another order, equal.
pub fn passes_detour(low_m: f32, shortest_m: f32, detour_ratio: f32) -> bool {
    low_m <= detour_ratio * shortest_m + 0.01
}

/// BNA's two searches from one origin (on all edges, and on low-stress edges), with their
/// memory kept between origins.
pub struct PairSearch {
    pub all: BoundedSearch,
    pub low: BoundedSearch,
    /// For each vertex the low-stress search settled, whether it passes the detour test.
    connected: Vec<bool>,
}

impl PairSearch {
    pub fn new(vertices: usize) -> PairSearch {
        PairSearch {
            all: BoundedSearch::new(vertices),
            low: BoundedSearch::new(vertices),
            connected: Vec::new(),
        }
    }

    /// Runs both searches; read the results from `all.settled()`, `low.settled()` and
    /// [`PairSearch::connected`].
    pub fn run(&mut self, all: &Adjacency, low: &Adjacency, origin: u32, bound_m: f32, detour_ratio: f32) {
        self.all.run(all, origin, bound_m, |_| true);
        self.low.run(low, origin, bound_m, |_| true);
        self.connected.clear();
        let (shortest, connected) = (&self.all, &mut self.connected);
        connected.extend(
            self.low
                .settled()
                .iter()
                .map(|&(vertex, distance)| passes_detour(distance, shortest.distance(vertex), detour_ratio)),
        );
    }

    /// Per vertex of `low.settled()`: whether it is low-stress connected to the origin.
    pub fn connected(&self) -> &[bool] {
        &self.connected
    }
}

/// Ordered pairs of distinct vertices: within the bound on all edges, within it on
/// low-stress edges, and low-stress connected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct PairCounts {
    pub reachable: u64,
    pub low_stress_reachable: u64,
    pub connected: u64,
}

/// The pair counts from every vertex, on every core: the work BNA's connectivity does, and
/// what the peer benchmark compares.
pub fn count_pairs(all: &Adjacency, low: &Adjacency, bound_m: f32, detour_ratio: f32) -> PairCounts {
    use rayon::prelude::*;
    (0..all.vertex_count() as u32)
        .into_par_iter()
        .map_init(
            || PairSearch::new(all.vertex_count()),
            |search, origin| {
                search.run(all, low, origin, bound_m, detour_ratio);
                PairCounts {
                    reachable: search.all.settled().len() as u64 - 1,
                    low_stress_reachable: search.low.settled().len() as u64 - 1,
                    connected: search.connected().iter().filter(|c| **c).count() as u64 - 1,
                }
            },
        )
        .reduce(PairCounts::default, |a, b| PairCounts {
            reachable: a.reachable + b.reachable,
            low_stress_reachable: a.low_stress_reachable + b.low_stress_reachable,
            connected: a.connected + b.connected,
        })
}

/// The low-stress islands: each low-stress segment's island, and each vertex's where it joins
/// one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Islands {
    pub of_segment: Vec<Option<u32>>,
    pub of_vertex: Vec<Option<u32>>,
}

/// Connected parts of the network formed by the segments `low_stress` accepts, riding either
/// way. A segment joins its end at a vertex only where `joins(segment, vertex)` allows: a
/// high-stress crossing keeps the side streets on either side apart. Islands are numbered in
/// the order of their first segment.
pub fn islands(graph: &StreetGraph, low_stress: impl Fn(usize) -> bool, joins: impl Fn(usize, u32) -> bool) -> Islands {
    // One set per vertex, then one per segment.
    let vertices = graph.vertex_count();
    let mut parent: Vec<u32> = (0..(vertices + graph.segments.len()) as u32).collect();
    fn root(parent: &mut [u32], mut v: u32) -> u32 {
        while parent[v as usize] != v {
            parent[v as usize] = parent[parent[v as usize] as usize];
            v = parent[v as usize];
        }
        v
    }
    let mut joined = vec![false; vertices];
    for (index, segment) in graph.segments.iter().enumerate() {
        if !low_stress(index) {
            continue;
        }
        let own = (vertices + index) as u32;
        for end in [segment.from, segment.to] {
            if joins(index, end) {
                joined[end as usize] = true;
                let (a, b) = (root(&mut parent, own), root(&mut parent, end));
                if a != b {
                    parent[a as usize] = b;
                }
            }
        }
    }
    let mut number = vec![u32::MAX; parent.len()];
    let mut next = 0;
    let mut island = |parent: &mut Vec<u32>, node: u32| {
        let r = root(parent, node) as usize;
        if number[r] == u32::MAX {
            number[r] = next;
            next += 1;
        }
        number[r]
    };
    let of_segment: Vec<Option<u32>> = (0..graph.segments.len())
        .map(|index| low_stress(index).then(|| island(&mut parent, (vertices + index) as u32)))
        .collect();
    let of_vertex = (0..vertices as u32)
        .map(|v| joined[v as usize].then(|| island(&mut parent, v)))
        .collect();
    Islands { of_segment, of_vertex }
}
