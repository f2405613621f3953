//! Reachability on the street graph: a bounded shortest-path search over the CSR arrays,
//! with one reusable search state per thread, and the low-stress islands (connected parts of
//! the low-stress network). BNA runs the search twice from every origin: on all edges, and on
//! low-stress edges only.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::graph::{Edge, StreetGraph};

/// BNA's distance bound, in metres.
pub const BNA_BOUND_M: f32 = 2680.0;

/// A shortest-path search whose memory is kept between runs, so each run costs only what it
/// touches.
pub struct BoundedSearch {
    distance: Vec<f32>,
    /// The vertex and segment each vertex was last reached from.
    reached_by: Vec<(u32, u32)>,
    touched: Vec<u32>,
    heap: BinaryHeap<Reverse<(OrderedMetres, u32)>>,
}

/// Distances compare as totally ordered; they are never NaN.
#[derive(Debug, Clone, Copy, PartialEq)]
struct OrderedMetres(f32);

impl Eq for OrderedMetres {}

impl PartialOrd for OrderedMetres {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for OrderedMetres {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl BoundedSearch {
    pub fn new(graph: &StreetGraph) -> BoundedSearch {
        BoundedSearch {
            distance: vec![f32::INFINITY; graph.vertex_count()],
            reached_by: vec![(u32::MAX, u32::MAX); graph.vertex_count()],
            touched: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    /// Every vertex within `bound_m` of `source` along edges that `usable` accepts (given the
    /// edge's index in `graph.edges`), with its distance, in the order settled.
    pub fn run(
        &mut self,
        graph: &StreetGraph,
        source: u32,
        bound_m: f32,
        usable: impl Fn(usize, &Edge) -> bool,
    ) -> Vec<(u32, f32)> {
        for vertex in self.touched.drain(..) {
            self.distance[vertex as usize] = f32::INFINITY;
        }
        self.heap.clear();
        let mut settled = Vec::new();
        self.distance[source as usize] = 0.0;
        self.touched.push(source);
        self.heap.push(Reverse((OrderedMetres(0.0), source)));
        while let Some(Reverse((OrderedMetres(distance), vertex))) = self.heap.pop() {
            if distance > self.distance[vertex as usize] {
                continue;
            }
            settled.push((vertex, distance));
            let first = graph.offsets[vertex as usize] as usize;
            for (offset, edge) in graph.edges_from(vertex).iter().enumerate() {
                if !usable(first + offset, edge) {
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
                    self.heap.push(Reverse((OrderedMetres(next), edge.target)));
                }
            }
        }
        settled
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
