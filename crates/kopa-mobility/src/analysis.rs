//! One pass over an extract: the street graph, the stress of every segment in each direction,
//! and the summaries and map layers made from them.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::ATTRIBUTION;
use crate::built_up::{BuiltUp, Surroundings};
use crate::crossing::{Crossing, RoadKey, crossings};
use crate::graph::{Adjacency, StreetGraph};
use crate::osm::OsmData;
use crate::stress::{LowStressRule, Lts, Profile, Stress, classify_in};

/// The stress of a segment forward and backward (`None` where a bicycle may not ride that way).
pub type SegmentStress = [Option<Stress>; 2];

pub struct Analysis {
    pub graph: StreetGraph,
    pub stress: Vec<SegmentStress>,
    /// The crossing at each vertex, where a road is crossed there.
    pub crossings: Vec<Option<Crossing>>,
    pub low_stress_rule: LowStressRule,
    /// Whether each segment is low stress in some direction a bicycle may ride.
    pub low_stress: Vec<bool>,
    /// The low-stress edges: their direction of their segment is low stress, and they do not
    /// leave a high-stress crossing onto another way.
    pub low_stress_adjacency: Adjacency,
    /// The low-stress island of each segment and vertex (see [`crate::connectivity::islands`]).
    pub island_of_segment: Vec<Option<u32>>,
    pub island_of_vertex: Vec<Option<u32>>,
    /// Whether each segment runs through a built-up area, for classes that ask.
    pub built_up: Vec<Option<BuiltUp>>,
    /// The road each segment belongs to.
    pub road_keys: Vec<RoadKey>,
    pub profile_name: String,
}

/// The low-stress part of a network: which segments are low stress, the edges that may be
/// ridden at low stress, and the islands they form.
pub struct LowStressNetwork {
    pub segments: Vec<bool>,
    pub adjacency: Adjacency,
    pub islands: crate::connectivity::Islands,
}

impl LowStressNetwork {
    /// The low-stress network of a graph with this stress and these crossings. A segment may
    /// leave a vertex by low stress unless that means crossing a busy road there.
    pub fn of(
        graph: &StreetGraph,
        road_keys: &[RoadKey],
        stress: &[SegmentStress],
        crossings: &[Option<Crossing>],
        rule: LowStressRule,
    ) -> LowStressNetwork {
        let segments: Vec<bool> = stress
            .iter()
            .map(|pair: &SegmentStress| pair.iter().flatten().any(|s| rule.accepts_segment(s)))
            .collect();
        let joins = |segment: usize, vertex: u32| match &crossings[vertex as usize] {
            Some(crossing) if !rule.accepts_crossing(crossing.lts) => road_keys[segment] == crossing.road,
            _ => true,
        };
        let adjacency = graph.adjacency.filtered(|vertex, edge| {
            let direction = if edge.forward { 0 } else { 1 };
            let segment = edge.segment as usize;
            stress[segment][direction]
                .as_ref()
                .is_some_and(|s| rule.accepts_segment(s))
                && joins(segment, vertex)
        });
        let islands = crate::connectivity::islands(graph, |segment| segments[segment], joins);
        LowStressNetwork {
            segments,
            adjacency,
            islands,
        }
    }
}

/// A connected part of the low-stress network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Island {
    pub number: u32,
    pub km: f64,
    pub segments: usize,
}

/// A high-stress crossing that keeps low-stress islands apart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BarrierCrossing {
    pub vertex: u32,
    pub node: i64,
    pub lat: f64,
    pub lon: f64,
    pub lts: u8,
    pub reasons: Vec<String>,
    /// The islands that meet at it.
    pub islands: Vec<u32>,
    /// Low-stress kilometres that would join the largest of them if it were made easy.
    pub joins_km: f64,
}

/// What the summary prints and writes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub attribution: String,
    pub profile: String,
    pub vertices: usize,
    pub segments: usize,
    pub network_km: f64,
    /// Kilometres of one-directional riding at each level, "1" to "4".
    pub km_by_lts: BTreeMap<String, f64>,
    /// Share of one-directional kilometres that BNA counts as low stress.
    pub bna_low_stress_share: f64,
    /// Crossings of a road at each level, "1" to "4".
    pub crossings_by_lts: BTreeMap<String, usize>,
    /// How many separate low-stress networks there are.
    pub low_stress_islands: usize,
    /// The largest of them, by length.
    pub largest_islands: Vec<Island>,
    /// The high-stress crossings that would join the most low-stress network, worst first.
    pub worst_crossings: Vec<BarrierCrossing>,
}

impl Analysis {
    pub fn run(osm: &OsmData, profile: &Profile) -> Analysis {
        let graph = StreetGraph::build(osm);
        let rule = profile.connectivity.low_stress;
        let built_up = built_up_segments(&graph, osm, profile);
        // A way's segments share its tags, so each way is classified once for each surroundings
        // its segments have, and the ways on every core.
        let (segments, surroundings) = (&graph.segments, &built_up);
        let stress: Vec<SegmentStress> = runs_of_one_way(&graph)
            .into_par_iter()
            .flat_map_iter(|run| {
                let mut last: Option<(&Option<BuiltUp>, SegmentStress)> = None;
                run.map(move |index| {
                    let segment = &segments[index];
                    let built_up = &surroundings[index];
                    if let Some((seen, stress)) = &last
                        && *seen == built_up
                    {
                        return stress.clone();
                    }
                    let tags = &osm.ways[segment.way_index].tags;
                    let classify = |forward| classify_in(tags, built_up.as_ref(), profile, forward);
                    let stress = [
                        segment.directions.forward.then(|| classify(true)),
                        segment.directions.backward.then(|| classify(false)),
                    ];
                    last = Some((built_up, stress.clone()));
                    stress
                })
            })
            .collect();
        let crossings = crossings(&graph, osm, &built_up, profile);
        let road_keys: Vec<RoadKey> = graph
            .segments
            .iter()
            .map(|s| RoadKey::of(s, &osm.ways[s.way_index].tags))
            .collect();
        let low = LowStressNetwork::of(&graph, &road_keys, &stress, &crossings, rule);
        Analysis {
            graph,
            stress,
            crossings,
            low_stress_rule: rule,
            low_stress: low.segments,
            low_stress_adjacency: low.adjacency,
            island_of_segment: low.islands.of_segment,
            island_of_vertex: low.islands.of_vertex,
            built_up,
            road_keys,
            profile_name: profile.name.clone(),
        }
    }

    /// The island a segment belongs to, if it is low stress.
    pub fn island_of_segment(&self, segment: usize) -> Option<u32> {
        self.island_of_segment[segment]
    }

    /// Every island, largest first.
    pub fn islands(&self) -> Vec<Island> {
        let mut by_number: BTreeMap<u32, Island> = BTreeMap::new();
        for (index, segment) in self.graph.segments.iter().enumerate() {
            if let Some(number) = self.island_of_segment(index) {
                let island = by_number.entry(number).or_insert(Island {
                    number,
                    km: 0.0,
                    segments: 0,
                });
                island.km += segment.length_m / 1000.0;
                island.segments += 1;
            }
        }
        let mut islands: Vec<Island> = by_number.into_values().collect();
        islands.sort_by(|a, b| b.km.total_cmp(&a.km));
        islands
    }

    pub fn summary(&self) -> Summary {
        let mut km_by_lts: BTreeMap<String, f64> = (1..=4).map(|l| (l.to_string(), 0.0)).collect();
        let (mut low, mut total) = (0.0, 0.0);
        for (segment, stresses) in self.graph.segments.iter().zip(&self.stress) {
            for stress in stresses.iter().flatten() {
                let km = segment.length_m / 1000.0;
                if stress.lts != Lts::NotAllowed {
                    *km_by_lts.entry(stress.lts.number().to_string()).or_default() += km;
                    total += km;
                    if stress.bna_low_stress {
                        low += km;
                    }
                }
            }
        }
        let round = |x: f64| (x * 100.0).round() / 100.0;
        let islands = self.islands();
        let mut crossings_by_lts: BTreeMap<String, usize> = (1..=4).map(|l| (l.to_string(), 0)).collect();
        for crossing in self.crossings.iter().flatten() {
            *crossings_by_lts.entry(crossing.lts.number().to_string()).or_default() += 1;
        }
        let mut worst_crossings = self.barrier_crossings(&islands);
        worst_crossings.truncate(10);
        Summary {
            crossings_by_lts,
            worst_crossings,
            low_stress_islands: islands.len(),
            largest_islands: islands
                .into_iter()
                .take(5)
                .map(|i| Island { km: round(i.km), ..i })
                .collect(),
            attribution: ATTRIBUTION.to_owned(),
            profile: self.profile_name.clone(),
            vertices: self.graph.vertex_count(),
            segments: self.graph.segments.len(),
            network_km: round(self.graph.total_length_km()),
            km_by_lts: km_by_lts.into_iter().map(|(k, v)| (k, round(v))).collect(),
            bna_low_stress_share: if total > 0.0 { round(low / total) } else { 0.0 },
        }
    }

    /// High-stress crossings where two or more low-stress islands meet, those joining the
    /// most kilometres first.
    pub fn barrier_crossings(&self, islands: &[Island]) -> Vec<BarrierCrossing> {
        let km_of: BTreeMap<u32, f64> = islands.iter().map(|i| (i.number, i.km)).collect();
        let mut meeting: Vec<Vec<u32>> = vec![Vec::new(); self.graph.vertex_count()];
        for (index, segment) in self.graph.segments.iter().enumerate() {
            if let Some(island) = self.island_of_segment[index] {
                meeting[segment.from as usize].push(island);
                meeting[segment.to as usize].push(island);
            }
        }
        let mut barriers: Vec<BarrierCrossing> = self
            .crossings
            .iter()
            .enumerate()
            .filter_map(|(vertex, crossing)| {
                let crossing = crossing
                    .as_ref()
                    .filter(|c| !self.low_stress_rule.accepts_crossing(c.lts))?;
                let mut islands = std::mem::take(&mut meeting[vertex]);
                islands.sort_unstable();
                islands.dedup();
                if islands.len() < 2 {
                    return None;
                }
                let sizes: Vec<f64> = islands.iter().map(|i| km_of.get(i).copied().unwrap_or(0.0)).collect();
                let largest = sizes.iter().copied().fold(0.0, f64::max);
                // Islands of a few metres round to nothing joined: not worth a crossing.
                let joins_km = ((sizes.iter().sum::<f64>() - largest) * 100.0).round() / 100.0;
                if joins_km <= 0.0 {
                    return None;
                }
                let at = self.graph.vertex_coords[vertex];
                Some(BarrierCrossing {
                    vertex: vertex as u32,
                    node: self.graph.vertex_nodes[vertex],
                    lat: round7(at.lat),
                    lon: round7(at.lon),
                    lts: crossing.lts.number(),
                    reasons: crossing.reasons.iter().map(ToString::to_string).collect(),
                    islands,
                    joins_km,
                })
            })
            .collect();
        barriers.sort_by(|a, b| b.joins_km.total_cmp(&a.joins_km).then(b.lts.cmp(&a.lts)));
        barriers
    }
}

/// For each segment of a class the profile does not take as built up already, whether its
/// middle lies in a built-up area, and why.
/// The ranges of consecutive segments cut from one way.
fn runs_of_one_way(graph: &StreetGraph) -> Vec<std::ops::Range<usize>> {
    let mut runs = Vec::new();
    let mut start = 0;
    for index in 1..=graph.segments.len() {
        if index == graph.segments.len() || graph.segments[index].way_index != graph.segments[start].way_index {
            runs.push(start..index);
            start = index;
        }
    }
    runs
}

fn built_up_segments(graph: &StreetGraph, osm: &OsmData, profile: &Profile) -> Vec<Option<BuiltUp>> {
    let asks = |tags: &crate::osm::Tags| {
        tags.get("highway")
            .is_some_and(|class| class != "living_street" && !profile.urban_classes.iter().any(|c| c == class))
    };
    let needed = graph.segments.iter().any(|s| asks(&osm.ways[s.way_index].tags));
    let Some(surroundings) = needed.then(|| Surroundings::of(osm, &profile.built_up)) else {
        return vec![None; graph.segments.len()];
    };
    graph
        .segments
        .iter()
        .map(|segment| {
            if !asks(&osm.ways[segment.way_index].tags) {
                return None;
            }
            // The middle node, or midway between the two middle ones.
            let n = segment.nodes.len();
            let (a, b) = (osm.coord(segment.nodes[(n - 1) / 2])?, osm.coord(segment.nodes[n / 2])?);
            surroundings.at(crate::osm::Coord {
                lat: (a.lat + b.lat) / 2.0,
                lon: (a.lon + b.lon) / 2.0,
            })
        })
        .collect()
}

fn round7(x: f64) -> f64 {
    (x * 1e7).round() / 1e7
}
