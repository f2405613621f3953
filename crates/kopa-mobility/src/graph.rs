//! The street graph: the ways a bicycle may use, split at intersections into segments, with
//! the direction rules applied, stored as compact arrays (CSR) for bulk routing.

use rayon::prelude::*;

use crate::osm::{Coord, IdMap, OsmData, Tags};

/// Which way a bicycle may ride a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Directions {
    /// From the segment's first node to its last.
    pub forward: bool,
    pub backward: bool,
}

const NEVER: &[&str] = &[
    "motorway",
    "motorway_link",
    "construction",
    "proposed",
    "platform",
    "corridor",
    "elevator",
    "abandoned",
    "raceway",
    "bus_guideway",
    "escape",
    "busway",
];
/// Roads that carry motor traffic.
pub const MOTOR_ROADS: &[&str] = &[
    "trunk",
    "trunk_link",
    "primary",
    "primary_link",
    "secondary",
    "secondary_link",
    "tertiary",
    "tertiary_link",
    "unclassified",
    "residential",
    "living_street",
    "service",
    "road",
];
/// Ways for bicycles (and others) away from motor traffic.
const BICYCLE_WAYS: &[&str] = &["cycleway", "track", "path"];
const FOOT_ONLY: &[&str] = &["footway", "pedestrian", "steps", "bridleway", "sidewalk", "crossing"];

/// Whether a bicycle may use a way at all, and why not when not.
pub fn bicycle_may_use(tags: &Tags) -> bool {
    let Some(highway) = tags.get("highway") else {
        return false;
    };
    if tags.is("bicycle", &["no", "dismount", "use_sidepath"]) {
        return false;
    }
    if tags.is("area", &["yes"]) {
        return false;
    }
    let explicitly_allowed = tags.is("bicycle", &["yes", "designated", "permissive"]);
    if tags.is("access", &["no", "private"]) && !explicitly_allowed {
        return false;
    }
    if NEVER.contains(&highway) {
        return explicitly_allowed && !matches!(highway, "construction" | "proposed" | "abandoned");
    }
    if FOOT_ONLY.contains(&highway) {
        return explicitly_allowed;
    }
    MOTOR_ROADS.contains(&highway) || BICYCLE_WAYS.contains(&highway)
}

/// The direction rules: `oneway`, roundabouts, `oneway:bicycle`, and contraflow cycleways.
pub fn directions(tags: &Tags) -> Directions {
    let both = Directions {
        forward: true,
        backward: true,
    };
    let bicycle_oneway = tags.get("oneway:bicycle");
    match bicycle_oneway {
        Some("no") => return both,
        Some("yes" | "true" | "1") => {
            return Directions {
                forward: true,
                backward: false,
            };
        }
        Some("-1") => {
            return Directions {
                forward: false,
                backward: true,
            };
        }
        _ => {}
    }
    let roundabout = tags.is("junction", &["roundabout", "circular"]);
    let oneway = match tags.get("oneway") {
        Some("yes" | "true" | "1") => Some(true),
        Some("-1" | "reverse") => Some(false),
        Some("no" | "false" | "0") => None,
        _ if roundabout => Some(true),
        _ => None,
    };
    let Some(forward_only) = oneway else { return both };
    let contraflow = tags.is(
        "cycleway",
        &["opposite", "opposite_lane", "opposite_track", "opposite_share_busway"],
    ) || tags.is("cycleway:left", &["opposite_lane", "opposite_track", "opposite"])
        || tags.is("cycleway:right", &["opposite_lane", "opposite_track", "opposite"])
        || [
            "cycleway:left:oneway",
            "cycleway:right:oneway",
            "cycleway:both:oneway",
            "cycleway:oneway",
        ]
        .iter()
        .any(|key| tags.is(key, &["no", "-1"]));
    if contraflow {
        return both;
    }
    Directions {
        forward: forward_only,
        backward: !forward_only,
    }
}

/// A stretch of one way between two vertices.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub way_id: i64,
    /// Index into `OsmData::ways`, for the tags.
    pub way_index: usize,
    pub from: u32,
    pub to: u32,
    /// The OSM nodes along it, first and last being its vertices.
    pub nodes: Vec<i64>,
    pub length_m: f64,
    pub directions: Directions,
}

/// One direction of a segment leaving a vertex.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge {
    pub target: u32,
    pub segment: u32,
    /// Whether it runs the segment forward (from its first node).
    pub forward: bool,
    pub length_m: f32,
}

/// The edges leaving each vertex, in compact arrays (CSR): those leaving vertex `v` are
/// `edges[offsets[v]..offsets[v + 1]]`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Adjacency {
    pub offsets: Vec<u32>,
    pub edges: Vec<Edge>,
}

impl Adjacency {
    /// From edges with their source vertex, in any order.
    pub fn new(vertices: usize, edges: impl IntoIterator<Item = (u32, Edge)>) -> Adjacency {
        let edges: Vec<(u32, Edge)> = edges.into_iter().collect();
        let mut offsets = vec![0u32; vertices + 1];
        for (source, _) in &edges {
            offsets[*source as usize + 1] += 1;
        }
        for v in 0..vertices {
            offsets[v + 1] += offsets[v];
        }
        let mut next = offsets.clone();
        let mut placed = vec![
            Edge {
                target: 0,
                segment: 0,
                forward: true,
                length_m: 0.0,
            };
            edges.len()
        ];
        for (source, edge) in edges {
            placed[next[source as usize] as usize] = edge;
            next[source as usize] += 1;
        }
        Adjacency { offsets, edges: placed }
    }

    pub fn vertex_count(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    pub fn edges_from(&self, vertex: u32) -> &[Edge] {
        let v = vertex as usize;
        &self.edges[self.offsets[v] as usize..self.offsets[v + 1] as usize]
    }

    /// The same edges run backwards: searching it from a vertex finds what reaches that vertex.
    pub fn reversed(&self) -> Adjacency {
        let vertices = self.vertex_count();
        Adjacency::new(
            vertices,
            (0..vertices as u32).flat_map(|v| {
                self.edges_from(v)
                    .iter()
                    .map(move |e| (e.target, Edge { target: v, ..*e }))
            }),
        )
    }

    /// The same vertices with only the edges `keep` accepts.
    pub fn filtered(&self, keep: impl Fn(u32, &Edge) -> bool) -> Adjacency {
        let vertices = self.vertex_count();
        Adjacency::new(
            vertices,
            (0..vertices as u32).flat_map(|v| {
                self.edges_from(v)
                    .iter()
                    .filter(|e| keep(v, e))
                    .map(move |e| (v, *e))
                    .collect::<Vec<_>>()
            }),
        )
    }
}

/// A stretch of one way between two vertices, before the vertices are numbered.
struct Piece {
    from: u32,
    to: u32,
    nodes: Vec<i64>,
    length_m: f64,
}

#[derive(Debug, Default)]
pub struct StreetGraph {
    /// The OSM node of each vertex.
    pub vertex_nodes: Vec<i64>,
    pub vertex_coords: Vec<Coord>,
    pub segments: Vec<Segment>,
    /// Every direction a bicycle may ride each segment.
    pub adjacency: Adjacency,
}

/// Distance along the earth's surface, in metres.
pub fn haversine_m(a: Coord, b: Coord) -> f64 {
    const EARTH_RADIUS_M: f64 = 6_371_008.8;
    let (lat1, lat2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.lon - a.lon).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().asin()
}

impl StreetGraph {
    /// Builds the graph from an extract whose streets are complete (see `OsmData::load`).
    pub fn build(osm: &OsmData) -> StreetGraph {
        let usable: Vec<usize> = (0..osm.ways.len())
            .filter(|&i| bicycle_may_use(&osm.ways[i].tags))
            .collect();
        // Each node the ways use gets a dense slot once, so what follows reads arrays, not maps.
        // A node is a vertex where a way ends, or where it is used more than once.
        let mut slot_of: IdMap<u32> = IdMap::default();
        let mut slot_nodes: Vec<i64> = Vec::new();
        let mut uses: Vec<u32> = Vec::new();
        let way_slots: Vec<Vec<u32>> = usable
            .iter()
            .map(|&i| {
                let nodes = &osm.ways[i].nodes;
                let last = nodes.len().saturating_sub(1);
                let mut slots = Vec::with_capacity(nodes.len());
                for (position, &node) in nodes.iter().enumerate() {
                    let slot = *slot_of.entry(node).or_insert_with(|| {
                        slot_nodes.push(node);
                        uses.push(0);
                        (slot_nodes.len() - 1) as u32
                    });
                    uses[slot as usize] += if position == 0 || position == last { 2 } else { 1 };
                    slots.push(slot);
                }
                slots
            })
            .collect();
        drop(slot_of);
        let slot_coords: Vec<Option<Coord>> = slot_nodes.par_iter().map(|&node| osm.coord(node)).collect();

        // Each way is cut into its pieces on its own, so on every core.
        let pieces: Vec<Vec<Piece>> = usable
            .par_iter()
            .zip(&way_slots)
            .map(|(&way_index, slots)| {
                let way = &osm.ways[way_index];
                let mut pieces = Vec::new();
                let mut start = 0;
                for position in 1..slots.len() {
                    if position + 1 < slots.len() && uses[slots[position] as usize] <= 1 {
                        continue;
                    }
                    let length_m = slots[start..=position]
                        .windows(2)
                        .filter_map(|pair| {
                            Some(haversine_m(
                                slot_coords[pair[0] as usize]?,
                                slot_coords[pair[1] as usize]?,
                            ))
                        })
                        .sum();
                    pieces.push(Piece {
                        from: slots[start],
                        to: slots[position],
                        nodes: way.nodes[start..=position].to_vec(),
                        length_m,
                    });
                    start = position;
                }
                pieces
            })
            .collect();

        // Vertices are numbered in the order the pieces reach them.
        let mut graph = StreetGraph::default();
        let mut vertex_of = vec![u32::MAX; slot_nodes.len()];
        let mut vertex = |graph: &mut StreetGraph, slot: u32| -> u32 {
            let vertex = &mut vertex_of[slot as usize];
            if *vertex == u32::MAX {
                *vertex = graph.vertex_nodes.len() as u32;
                graph.vertex_nodes.push(slot_nodes[slot as usize]);
                graph
                    .vertex_coords
                    .push(slot_coords[slot as usize].unwrap_or(Coord { lat: 0.0, lon: 0.0 }));
            }
            *vertex
        };
        graph.segments.reserve(pieces.iter().map(Vec::len).sum());
        for (&way_index, way_pieces) in usable.iter().zip(pieces) {
            let way = &osm.ways[way_index];
            let directions = directions(&way.tags);
            for piece in way_pieces {
                let from = vertex(&mut graph, piece.from);
                let to = vertex(&mut graph, piece.to);
                graph.segments.push(Segment {
                    way_id: way.id,
                    way_index,
                    from,
                    to,
                    nodes: piece.nodes,
                    length_m: piece.length_m,
                    directions,
                });
            }
        }
        graph.rebuild_edges();
        graph
    }

    /// Fills the CSR arrays from the segments (again, after segments change).
    pub fn rebuild_edges(&mut self) {
        let edges = self.segments.iter().enumerate().flat_map(|(index, segment)| {
            let length_m = segment.length_m as f32;
            let forward = segment.directions.forward.then_some((
                segment.from,
                Edge {
                    target: segment.to,
                    segment: index as u32,
                    forward: true,
                    length_m,
                },
            ));
            let backward = segment.directions.backward.then_some((
                segment.to,
                Edge {
                    target: segment.from,
                    segment: index as u32,
                    forward: false,
                    length_m,
                },
            ));
            forward.into_iter().chain(backward)
        });
        self.adjacency = Adjacency::new(self.vertex_nodes.len(), edges);
    }

    pub fn vertex_count(&self) -> usize {
        self.vertex_nodes.len()
    }

    pub fn edges_from(&self, vertex: u32) -> &[Edge] {
        self.adjacency.edges_from(vertex)
    }

    pub fn total_length_km(&self) -> f64 {
        self.segments.iter().map(|s| s.length_m).sum::<f64>() / 1000.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(pairs: &[(&str, &str)]) -> Tags {
        pairs.iter().copied().collect()
    }

    #[test]
    fn bicycles_use_roads_and_paths_but_not_motorways_or_footways() {
        assert!(bicycle_may_use(&tags(&[("highway", "residential")])));
        assert!(bicycle_may_use(&tags(&[("highway", "cycleway")])));
        assert!(!bicycle_may_use(&tags(&[("highway", "motorway")])));
        assert!(!bicycle_may_use(&tags(&[("highway", "footway")])));
        assert!(bicycle_may_use(&tags(&[("highway", "footway"), ("bicycle", "yes")])));
        assert!(!bicycle_may_use(&tags(&[
            ("highway", "residential"),
            ("bicycle", "no")
        ])));
        assert!(!bicycle_may_use(&tags(&[
            ("highway", "service"),
            ("access", "private")
        ])));
        assert!(bicycle_may_use(&tags(&[
            ("highway", "service"),
            ("access", "private"),
            ("bicycle", "yes")
        ])));
        assert!(!bicycle_may_use(&tags(&[("building", "yes")])));
    }

    #[test]
    fn the_direction_rules() {
        let both = Directions {
            forward: true,
            backward: true,
        };
        let forward = Directions {
            forward: true,
            backward: false,
        };
        let backward = Directions {
            forward: false,
            backward: true,
        };
        assert_eq!(directions(&tags(&[("highway", "residential")])), both);
        assert_eq!(directions(&tags(&[("oneway", "yes")])), forward);
        assert_eq!(directions(&tags(&[("oneway", "-1")])), backward);
        assert_eq!(directions(&tags(&[("junction", "roundabout")])), forward);
        assert_eq!(directions(&tags(&[("oneway", "yes"), ("oneway:bicycle", "no")])), both);
        assert_eq!(
            directions(&tags(&[("oneway", "yes"), ("cycleway", "opposite_lane")])),
            both
        );
        assert_eq!(
            directions(&tags(&[
                ("oneway", "yes"),
                ("cycleway:left", "lane"),
                ("cycleway:left:oneway", "-1")
            ])),
            both
        );
        assert_eq!(
            directions(&tags(&[("highway", "cycleway"), ("oneway:bicycle", "yes")])),
            forward
        );
    }

    #[test]
    fn a_kilometre_north_is_a_kilometre() {
        let a = Coord { lat: 56.8, lon: 24.2 };
        let b = Coord {
            lat: 56.8 + 1.0 / 111.195,
            lon: 24.2,
        };
        assert!((haversine_m(a, b) - 1000.0).abs() < 1.0);
    }
}
