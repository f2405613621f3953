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
            touched: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    /// Every vertex within `bound_m` of `source` along edges that `usable` accepts, with its
    /// distance, in the order settled.
    pub fn run(
        &mut self,
        graph: &StreetGraph,
        source: u32,
        bound_m: f32,
        usable: impl Fn(&Edge) -> bool,
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
            for edge in graph.edges_from(vertex) {
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
                    self.heap.push(Reverse((OrderedMetres(next), edge.target)));
                }
            }
        }
        settled
    }
}

/// Connected parts of the network formed by the segments `low_stress` accepts, riding either
/// way; each vertex gets the number of its island, or `None` when no such segment touches it.
pub fn islands(graph: &StreetGraph, low_stress: impl Fn(usize) -> bool) -> Vec<Option<u32>> {
    let mut parent: Vec<u32> = (0..graph.vertex_count() as u32).collect();
    fn root(parent: &mut [u32], mut v: u32) -> u32 {
        while parent[v as usize] != v {
            parent[v as usize] = parent[parent[v as usize] as usize];
            v = parent[v as usize];
        }
        v
    }
    let mut touched = vec![false; graph.vertex_count()];
    for (index, segment) in graph.segments.iter().enumerate() {
        if !low_stress(index) {
            continue;
        }
        touched[segment.from as usize] = true;
        touched[segment.to as usize] = true;
        let (a, b) = (root(&mut parent, segment.from), root(&mut parent, segment.to));
        if a != b {
            parent[a as usize] = b;
        }
    }
    // Number the islands densely, in order of first vertex.
    let mut number = vec![u32::MAX; graph.vertex_count()];
    let mut next = 0;
    (0..graph.vertex_count() as u32)
        .map(|v| {
            if !touched[v as usize] {
                return None;
            }
            let r = root(&mut parent, v) as usize;
            if number[r] == u32::MAX {
                number[r] = next;
                next += 1;
            }
            Some(number[r])
        })
        .collect()
}
