//! One pass over an extract: the street graph, the stress of every segment in each direction,
//! and the summaries and map layers made from them.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use crate::ATTRIBUTION;
use crate::graph::StreetGraph;
use crate::osm::OsmData;
use crate::stress::{Lts, Profile, Stress, classify};

/// The stress of a segment forward and backward (`None` where a bicycle may not ride that way).
pub type SegmentStress = [Option<Stress>; 2];

pub struct Analysis {
    pub graph: StreetGraph,
    pub stress: Vec<SegmentStress>,
    /// Whether each segment is low stress (LTS 1–2) in a direction a bicycle may ride.
    pub low_stress: Vec<bool>,
    /// The low-stress island of each vertex (see [`crate::connectivity::islands`]).
    pub island_of_vertex: Vec<Option<u32>>,
    pub profile_name: String,
}

/// A connected part of the low-stress network.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Island {
    pub number: u32,
    pub km: f64,
    pub segments: usize,
}

/// What the summary prints and writes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub attribution: &'static str,
    pub profile: String,
    pub vertices: usize,
    pub segments: usize,
    pub network_km: f64,
    /// Kilometres of one-directional riding at each level, "1" to "4".
    pub km_by_lts: BTreeMap<String, f64>,
    /// Share of one-directional kilometres that BNA counts as low stress.
    pub bna_low_stress_share: f64,
    /// How many separate low-stress (LTS 1–2) networks there are.
    pub low_stress_islands: usize,
    /// The largest of them, by length.
    pub largest_islands: Vec<Island>,
}

impl Analysis {
    pub fn run(osm: &OsmData, profile: &Profile) -> Analysis {
        let graph = StreetGraph::build(osm);
        let stress: Vec<SegmentStress> = graph
            .segments
            .iter()
            .map(|segment| {
                let tags = &osm.ways[segment.way_index].tags;
                let forward = segment.directions.forward.then(|| classify(tags, profile, true));
                let backward = segment.directions.backward.then(|| classify(tags, profile, false));
                [forward, backward]
            })
            .collect();
        let low_stress: Vec<bool> = stress
            .iter()
            .map(|pair: &SegmentStress| pair.iter().flatten().any(|s| s.lts.is_low_stress()))
            .collect();
        let island_of_vertex = crate::connectivity::islands(&graph, |segment| low_stress[segment]);
        Analysis {
            graph,
            stress,
            low_stress,
            island_of_vertex,
            profile_name: profile.name.clone(),
        }
    }

    /// The island a segment belongs to, if it is low stress.
    pub fn island_of_segment(&self, segment: usize) -> Option<u32> {
        if self.low_stress[segment] {
            self.island_of_vertex[self.graph.segments[segment].from as usize]
        } else {
            None
        }
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
        Summary {
            low_stress_islands: islands.len(),
            largest_islands: islands
                .into_iter()
                .take(5)
                .map(|i| Island { km: round(i.km), ..i })
                .collect(),
            attribution: ATTRIBUTION,
            profile: self.profile_name.clone(),
            vertices: self.graph.vertex_count(),
            segments: self.graph.segments.len(),
            network_km: round(self.graph.total_length_km()),
            km_by_lts: km_by_lts.into_iter().map(|(k, v)| (k, round(v))).collect(),
            bna_low_stress_share: if total > 0.0 { round(low / total) } else { 0.0 },
        }
    }

    /// The segments as a GeoJSON feature collection, with each direction's level and reasons.
    pub fn write_segments_geojson(&self, osm: &OsmData, out: &mut impl Write) -> std::io::Result<()> {
        write!(
            out,
            "{{\"type\":\"FeatureCollection\",\"attribution\":{},\"features\":[",
            serde_json::to_string(ATTRIBUTION)?
        )?;
        for (index, (segment, stresses)) in self.graph.segments.iter().zip(&self.stress).enumerate() {
            let coordinates: Vec<[f64; 2]> = segment
                .nodes
                .iter()
                .filter_map(|n| osm.coord(*n))
                .map(|c| [round7(c.lon), round7(c.lat)])
                .collect();
            let describe = |stress: &Option<Stress>| match stress {
                Some(s) => {
                    serde_json::json!({ "lts": s.lts.number(), "bna_low_stress": s.bna_low_stress, "reasons": s.reasons.iter().map(ToString::to_string).collect::<Vec<_>>() })
                }
                None => serde_json::Value::Null,
            };
            let tags = &osm.ways[segment.way_index].tags;
            let feature = serde_json::json!({
                "type": "Feature",
                "geometry": { "type": "LineString", "coordinates": coordinates },
                "properties": {
                    "segment": index,
                    "way": segment.way_id,
                    "name": tags.get("name"),
                    "highway": tags.get("highway"),
                    "length_m": (segment.length_m * 10.0).round() / 10.0,
                    "island": self.island_of_segment(index),
                    "forward": describe(&stresses[0]),
                    "backward": describe(&stresses[1]),
                }
            });
            if index > 0 {
                out.write_all(b",")?;
            }
            serde_json::to_writer(&mut *out, &feature)?;
        }
        out.write_all(b"]}")?;
        Ok(())
    }
}

fn round7(x: f64) -> f64 {
    (x * 1e7).round() / 1e7
}
