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
    pub profile_name: String,
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
}

impl Analysis {
    pub fn run(osm: &OsmData, profile: &Profile) -> Analysis {
        let graph = StreetGraph::build(osm);
        let stress = graph
            .segments
            .iter()
            .map(|segment| {
                let tags = &osm.ways[segment.way_index].tags;
                let forward = segment.directions.forward.then(|| classify(tags, profile, true));
                let backward = segment.directions.backward.then(|| classify(tags, profile, false));
                [forward, backward]
            })
            .collect();
        Analysis {
            graph,
            stress,
            profile_name: profile.name.clone(),
        }
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
        Summary {
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
