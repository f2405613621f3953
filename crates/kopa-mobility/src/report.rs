//! The outputs of one analysis: a JSON summary, a results file the web platform loads without
//! recomputing, GeoJSON layers and CSV tables. Each kind of row is one flat struct, written
//! as a CSV line, as a GeoJSON feature's properties, and as an entry of the results file.
//! Everything carries "© OpenStreetMap contributors".

use std::collections::BTreeMap;
use std::io::Write;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::ATTRIBUTION;
use crate::analysis::{Analysis, Island, Summary};
use crate::candidates::Candidate;
use crate::destinations::Category;
use crate::osm::{Coord, OsmData};
use crate::population::Plane;
use crate::scenario::{Edit, Network};
use crate::score::PartScore;
use crate::stress::{Profile, Reason, Stress};

/// Everything one run produced, ready to write.
pub struct Report<'a> {
    /// The extract's file name.
    pub source: String,
    pub network: &'a Network,
    /// Where to act, best first.
    pub candidates: &'a [Candidate],
}

/// The score and its parts, for people to read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreSummary {
    /// 0–100.
    pub score: Option<f64>,
    pub categories: Vec<PartScore>,
    pub kinds: Vec<PartScore>,
    pub people: f64,
    pub zones: usize,
    /// People in zones with no street within reach, left out of the score.
    pub people_left_out: f64,
    pub destinations: usize,
    pub destinations_left_out: usize,
    pub largest_islands: Vec<IslandRow>,
}

/// The JSON summary: the network, its stress and its score, and what in the data was not
/// as it should be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FullSummary {
    pub source: String,
    #[serde(flatten)]
    pub network: Summary,
    pub connectivity: ScoreSummary,
    pub warnings: Warnings,
}

/// How many of each thing went wrong in the data, with the first few to look up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Warnings {
    /// Streets that ran past the extract's edge and were cut there.
    pub streets_cut_at_edge: usize,
    pub first_cut_ways: Vec<i64>,
    /// Node ids given twice; the last position was kept.
    pub duplicate_nodes: usize,
    pub first_duplicate_nodes: Vec<i64>,
    /// Tag values that could not be read, each with the streets that carry it.
    pub unreadable_tags: Vec<UnreadableTag>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnreadableTag {
    pub key: String,
    pub value: String,
    pub ways: usize,
    pub first_way: i64,
}

/// How many examples a warning lists.
const EXAMPLES: usize = 10;

impl Warnings {
    fn of(osm: &OsmData, analysis: &Analysis) -> Warnings {
        let mut cut: Vec<i64> = osm.cut_at_edge.iter().map(|c| c.way).collect();
        cut.sort_unstable();
        cut.dedup();
        let mut duplicates = osm.duplicate_nodes.clone();
        duplicates.sort_unstable();
        duplicates.dedup();
        let mut unreadable: std::collections::BTreeMap<(String, String), std::collections::BTreeSet<i64>> =
            Default::default();
        for (segment, stresses) in analysis.graph.segments.iter().zip(&analysis.stress) {
            for reason in stresses.iter().flatten().flat_map(|s| &s.reasons) {
                if let crate::stress::Reason::Unreadable { key, value } = reason {
                    let way = osm.ways[segment.way_index].id;
                    unreadable.entry((key.clone(), value.clone())).or_default().insert(way);
                }
            }
        }
        Warnings {
            streets_cut_at_edge: cut.len(),
            first_cut_ways: cut.into_iter().take(EXAMPLES).collect(),
            duplicate_nodes: duplicates.len(),
            first_duplicate_nodes: duplicates.into_iter().take(EXAMPLES).collect(),
            unreadable_tags: unreadable
                .into_iter()
                .map(|((key, value), ways)| UnreadableTag {
                    key,
                    value,
                    ways: ways.len(),
                    first_way: ways.first().copied().unwrap_or_default(),
                })
                .collect(),
        }
    }
}

/// One file of an analysis's outputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    pub name: &'static str,
    pub bytes: Vec<u8>,
}

impl Output {
    /// What the file holds, for those who download it.
    pub fn media_type(&self) -> &'static str {
        media_type(self.name)
    }
}

/// The media type of an output by its name.
pub fn media_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("geojson") => "application/geo+json",
        Some("csv") => "text/csv; charset=utf-8",
        _ => "application/json",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentRow {
    pub segment: usize,
    pub way: i64,
    pub name: Option<String>,
    pub highway: Option<String>,
    pub length_m: f64,
    pub lts_forward: Option<u8>,
    pub lts_backward: Option<u8>,
    pub bna_low_stress_forward: Option<bool>,
    pub bna_low_stress_backward: Option<bool>,
    pub reasons_forward: String,
    pub reasons_backward: String,
    pub island: Option<u32>,
    /// People whose low-stress trips use it.
    pub people: f64,
    /// The speed limit its stress was read with, where that depends on one; analyses made
    /// before it was recorded have none.
    #[serde(default)]
    pub speed_kmh: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ZoneRow {
    pub zone: usize,
    pub column: i64,
    pub row: i64,
    pub lat: f64,
    pub lon: f64,
    pub population: f64,
    pub island: Option<u32>,
    /// 0–100, and each category's part.
    pub score: Option<f64>,
    pub people: Option<f64>,
    pub opportunity: Option<f64>,
    pub core_services: Option<f64>,
    pub retail: Option<f64>,
    pub recreation: Option<f64>,
    pub transit: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IslandRow {
    pub island: u32,
    pub km: f64,
    pub segments: usize,
    pub people: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrossingRow {
    pub vertex: u32,
    pub node: i64,
    pub lat: f64,
    pub lon: f64,
    pub lts: u8,
    pub reasons: String,
    /// Whether it keeps low-stress islands apart, and how many kilometres it would join.
    pub barrier: bool,
    pub joins_km: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DestinationRow {
    pub osm: String,
    pub kind: String,
    pub category: Category,
    pub name: Option<String>,
    pub lat: f64,
    pub lon: f64,
}

/// The results file: what the web platform loads to show an analysis without recomputing it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    pub format: String,
    pub version: u32,
    pub attribution: String,
    pub profile: Profile,
    pub summary: FullSummary,
    pub segments: Vec<SegmentRow>,
    /// Each segment's line, longitude/latitude, in the order of `segments`.
    pub lines: Vec<Vec<[f64; 2]>>,
    /// The tags of every way a segment comes from, by way id: what a street's stress was read
    /// from.
    pub way_tags: BTreeMap<i64, Vec<(String, String)>>,
    pub zones: Vec<ZoneRow>,
    pub islands: Vec<IslandRow>,
    pub crossings: Vec<CrossingRow>,
    pub destinations: Vec<DestinationRow>,
    /// Where to act, best first, with the properties next to each.
    pub candidates: Vec<Candidate>,
}

/// A candidate as a table row and a map feature's properties.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateRow {
    pub rank: usize,
    pub kind: String,
    /// The treatment, speed limit or nothing, as the edit says.
    pub proposal: String,
    pub road: Option<String>,
    pub class: Option<String>,
    pub length_m: Option<f64>,
    pub lat: f64,
    pub lon: f64,
    pub score_gain: f64,
    pub people_gaining: f64,
    pub destinations_gained: u64,
    pub catchment_people: Option<f64>,
    pub transit_stops: Option<usize>,
    /// The properties next to it: "name (tag, distance)", separated by semicolons.
    pub neighbours: String,
}

impl CandidateRow {
    pub fn of(rank: usize, candidate: &Candidate) -> CandidateRow {
        CandidateRow {
            rank,
            kind: candidate.kind.code().to_owned(),
            proposal: match &candidate.edit {
                Edit::Crossing { treatment, .. } => treatment.code().to_owned(),
                Edit::SpeedLimit { kmh, .. } => format!("{kmh} km/h"),
                Edit::CycleTrack { .. } => "cycle_track".to_owned(),
                Edit::MobilityPoint { .. } => "mobility_point".to_owned(),
            },
            road: candidate.road.clone(),
            class: candidate.class.clone(),
            length_m: candidate.length_m,
            lat: round(candidate.at.lat, 7),
            lon: round(candidate.at.lon, 7),
            score_gain: round(candidate.score_gain, 4),
            people_gaining: round(candidate.people_gaining, 0),
            destinations_gained: candidate.destinations_gained,
            catchment_people: candidate.catchment_people,
            transit_stops: candidate.transit_stops,
            neighbours: candidate
                .neighbours
                .iter()
                .map(|n| format!("{} ({}, {} m)", n.name, n.what, n.distance_m))
                .collect::<Vec<_>>()
                .join("; "),
        }
    }
}

pub const RESULTS_FORMAT: &str = "kopa-network-results";
/// Version 2 added each segment's line and its way's tags; version 3 the candidates.
pub const RESULTS_VERSION: u32 = 3;

fn round(x: f64, places: i32) -> f64 {
    let factor = 10f64.powi(places);
    (x * factor).round() / factor
}

/// A score as the summary and the results keep it: to a tenth of a point.
pub fn kept_score(score: f64) -> f64 {
    round(score, 1)
}

fn reasons(stress: &Option<Stress>) -> String {
    stress
        .as_ref()
        .map(|s| s.reasons.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))
        .unwrap_or_default()
}

impl Report<'_> {
    pub fn islands(&self) -> Vec<IslandRow> {
        self.network
            .analysis
            .islands()
            .into_iter()
            .map(|Island { number, km, segments }| IslandRow {
                island: number,
                km: round(km, 2),
                segments,
                people: round(
                    self.network
                        .connectivity
                        .island_people
                        .get(number as usize)
                        .copied()
                        .unwrap_or(0.0),
                    0,
                ),
            })
            .collect()
    }

    pub fn summary(&self) -> FullSummary {
        self.summary_with(&self.islands())
    }

    /// The summary, from the islands already listed.
    fn summary_with(&self, islands: &[IslandRow]) -> FullSummary {
        let c = &self.network.connectivity;
        let rounded = |parts: &[PartScore]| {
            parts
                .iter()
                .map(|p| PartScore {
                    score: p.score.map(kept_score),
                    ..p.clone()
                })
                .collect()
        };
        FullSummary {
            source: self.source.clone(),
            network: self.network.analysis.summary(),
            connectivity: ScoreSummary {
                score: c.score.map(kept_score),
                categories: rounded(&c.categories),
                kinds: rounded(&c.kinds),
                people: round(c.people_total, 0),
                zones: c.zones.len(),
                people_left_out: round(c.people_unplaced, 0),
                destinations: self.network.destinations.len(),
                destinations_left_out: c.destinations_unplaced,
                largest_islands: islands.iter().take(5).cloned().collect(),
            },
            warnings: Warnings::of(&self.network.osm, &self.network.analysis),
        }
    }

    pub fn segments(&self) -> Vec<SegmentRow> {
        let analysis = &self.network.analysis;
        analysis
            .graph
            .segments
            .iter()
            .zip(&analysis.stress)
            .enumerate()
            .map(|(index, (segment, [forward, backward]))| {
                let tags = &self.network.osm.ways[segment.way_index].tags;
                SegmentRow {
                    segment: index,
                    way: segment.way_id,
                    name: tags.get("name").map(str::to_owned),
                    highway: tags.get("highway").map(str::to_owned),
                    length_m: round(segment.length_m, 1),
                    lts_forward: forward.as_ref().map(|s| s.lts.number()),
                    lts_backward: backward.as_ref().map(|s| s.lts.number()),
                    bna_low_stress_forward: forward.as_ref().map(|s| s.bna_low_stress),
                    bna_low_stress_backward: backward.as_ref().map(|s| s.bna_low_stress),
                    reasons_forward: reasons(forward),
                    reasons_backward: reasons(backward),
                    island: analysis.island_of_segment[index],
                    people: round(self.network.connectivity.segment_people[index], 0),
                    speed_kmh: [forward, backward].into_iter().flatten().find_map(|s| {
                        s.reasons.iter().find_map(|r| match r {
                            Reason::Speed { kmh, .. } => Some(*kmh),
                            _ => None,
                        })
                    }),
                }
            })
            .collect()
    }

    pub fn zones(&self) -> Vec<ZoneRow> {
        self.network
            .zones
            .iter()
            .zip(&self.network.connectivity.zones)
            .enumerate()
            .map(|(index, (zone, scored))| {
                let part = |i: usize| scored.category_scores[i].map(|s| round(s * 100.0, 1));
                ZoneRow {
                    zone: index,
                    column: zone.column,
                    row: zone.row,
                    lat: round(zone.centre.lat, 6),
                    lon: round(zone.centre.lon, 6),
                    population: round(zone.population, 1),
                    island: scored
                        .vertex
                        .and_then(|v| self.network.analysis.island_of_vertex[v as usize]),
                    score: scored.score.map(kept_score),
                    people: part(0),
                    opportunity: part(1),
                    core_services: part(2),
                    retail: part(3),
                    recreation: part(4),
                    transit: part(5),
                }
            })
            .collect()
    }

    pub fn crossings(&self) -> Vec<CrossingRow> {
        let barriers = self
            .network
            .analysis
            .barrier_crossings(&self.network.analysis.islands());
        self.network
            .analysis
            .crossings
            .iter()
            .enumerate()
            .filter_map(|(vertex, crossing)| {
                let crossing = crossing.as_ref()?;
                let at = self.network.analysis.graph.vertex_coords[vertex];
                let barrier = barriers.iter().find(|b| b.vertex == vertex as u32);
                Some(CrossingRow {
                    vertex: vertex as u32,
                    node: self.network.analysis.graph.vertex_nodes[vertex],
                    lat: round(at.lat, 7),
                    lon: round(at.lon, 7),
                    lts: crossing.lts.number(),
                    reasons: crossing
                        .reasons
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; "),
                    barrier: barrier.is_some(),
                    joins_km: barrier.map(|b| b.joins_km),
                })
            })
            .collect()
    }

    pub fn destinations(&self) -> Vec<DestinationRow> {
        self.network
            .destinations
            .iter()
            .map(|d| {
                let kind = &self.network.profile.destinations[d.kind];
                DestinationRow {
                    osm: d.osm.clone(),
                    kind: kind.kind.clone(),
                    category: kind.category,
                    name: d.name.clone(),
                    lat: round(d.at.lat, 7),
                    lon: round(d.at.lon, 7),
                }
            })
            .collect()
    }

    pub fn results(&self) -> Results {
        let graph = &self.network.analysis.graph;
        let way_tags = graph
            .segments
            .iter()
            .map(|s| {
                let tags = self.network.osm.ways[s.way_index].tags.iter();
                (s.way_id, tags.map(|(k, v)| (k.to_owned(), v.to_owned())).collect())
            })
            .collect();
        let islands = self.islands();
        Results {
            format: RESULTS_FORMAT.to_owned(),
            version: RESULTS_VERSION,
            attribution: ATTRIBUTION.to_owned(),
            profile: self.network.profile.clone(),
            summary: self.summary_with(&islands),
            segments: self.segments(),
            lines: graph.segments.iter().map(|s| self.line(&s.nodes)).collect(),
            way_tags,
            zones: self.zones(),
            islands,
            crossings: self.crossings(),
            destinations: self.destinations(),
            candidates: self.candidates.to_vec(),
        }
    }

    /// A segment's nodes as a line, longitude/latitude to about 1 cm.
    fn line(&self, nodes: &[i64]) -> Vec<[f64; 2]> {
        let at = nodes.iter().filter_map(|n| self.network.osm.coord(*n));
        at.map(|c| [round(c.lon, 7), round(c.lat, 7)]).collect()
    }

    /// Every output, each a file's name and its bytes: the summary, the results file, the
    /// GeoJSON layers and the CSV tables, all written from `results`.
    pub fn outputs(&self, results: &Results) -> std::io::Result<Vec<Output>> {
        let mut written = Vec::new();
        let mut file = |name: &'static str, write: &dyn Fn(&mut Vec<u8>) -> std::io::Result<()>| {
            let mut bytes = Vec::new();
            write(&mut bytes)?;
            written.push(Output { name, bytes });
            std::io::Result::Ok(())
        };
        let Results {
            summary,
            segments,
            lines,
            zones,
            islands,
            crossings,
            destinations,
            candidates,
            ..
        } = results;
        let candidate_rows: Vec<CandidateRow> = candidates
            .iter()
            .enumerate()
            .map(|(i, c)| CandidateRow::of(i + 1, c))
            .collect();
        let scores: Vec<PartScore> = self
            .network
            .connectivity
            .categories
            .iter()
            .chain(&self.network.connectivity.kinds)
            .cloned()
            .collect();

        file("summary.json", &|out| json_to(out, summary))?;
        file("results.json", &|out| json_to(out, results))?;
        file("segments.geojson", &|out| {
            features(
                out,
                segments
                    .iter()
                    .map(|row| (json!({ "type": "LineString", "coordinates": lines[row.segment] }), row)),
            )
        })?;
        file("zones.geojson", &|out| {
            let half = self.network.profile.connectivity.zone_size_m / 2.0;
            features(
                out,
                zones.iter().map(|row| {
                    let plane = Plane::new(self.network.zones[row.zone].centre);
                    let corners: Vec<Coord> = [
                        (-half, -half),
                        (half, -half),
                        (half, half),
                        (-half, half),
                        (-half, -half),
                    ]
                    .iter()
                    .map(|(x, y)| plane.unproject(*x, *y))
                    .collect();
                    (json!({ "type": "Polygon", "coordinates": [positions(&corners)] }), row)
                }),
            )
        })?;
        file("islands.geojson", &|out| {
            let mut members: Vec<Vec<&Vec<[f64; 2]>>> = vec![Vec::new(); islands.len()];
            let position_of: std::collections::HashMap<u32, usize> =
                islands.iter().enumerate().map(|(i, row)| (row.island, i)).collect();
            for (island, line) in self.network.analysis.island_of_segment.iter().zip(lines) {
                if let Some(island) = island {
                    members[position_of[island]].push(line);
                }
            }
            features(
                out,
                islands
                    .iter()
                    .zip(members)
                    .map(|(row, lines)| (json!({ "type": "MultiLineString", "coordinates": lines }), row)),
            )
        })?;
        file("crossings.geojson", &|out| {
            features(
                out,
                crossings
                    .iter()
                    .map(|row| (json!({ "type": "Point", "coordinates": [row.lon, row.lat] }), row)),
            )
        })?;
        file("destinations.geojson", &|out| {
            features(
                out,
                destinations
                    .iter()
                    .map(|row| (json!({ "type": "Point", "coordinates": [row.lon, row.lat] }), row)),
            )
        })?;
        file("candidates.geojson", &|out| {
            features(
                out,
                candidate_rows
                    .iter()
                    .map(|row| (json!({ "type": "Point", "coordinates": [row.lon, row.lat] }), row)),
            )
        })?;
        file("segments.csv", &|out| csv_to(out, segments))?;
        file("zones.csv", &|out| csv_to(out, zones))?;
        file("islands.csv", &|out| csv_to(out, islands))?;
        file("crossings.csv", &|out| csv_to(out, crossings))?;
        file("destinations.csv", &|out| csv_to(out, destinations))?;
        file("scores.csv", &|out| csv_to(out, &scores))?;
        file("candidates.csv", &|out| csv_to(out, &candidate_rows))?;
        file("graph.csv", &|out| {
            crate::exported::write_graph_csv(&self.network.analysis, out)
        })?;
        Ok(written)
    }
}

fn positions(line: &[Coord]) -> Value {
    Value::Array(line.iter().map(|c| json!([round(c.lon, 7), round(c.lat, 7)])).collect())
}

fn json_to(out: &mut impl Write, value: &impl Serialize) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")
}

/// A GeoJSON feature collection, written one feature at a time.
fn features<'r, R: Serialize + 'r>(
    out: &mut impl Write,
    features: impl Iterator<Item = (Value, &'r R)>,
) -> std::io::Result<()> {
    write!(
        out,
        "{{\"type\":\"FeatureCollection\",\"attribution\":{},\"features\":[",
        serde_json::to_string(ATTRIBUTION)?
    )?;
    for (index, (geometry, properties)) in features.enumerate() {
        if index > 0 {
            out.write_all(b",\n")?;
        }
        serde_json::to_writer(
            &mut *out,
            &json!({ "type": "Feature", "geometry": geometry, "properties": properties }),
        )?;
    }
    out.write_all(b"]}\n")
}

/// A CSV table whose first line is the attribution, as a comment.
fn csv_to<R: Serialize>(out: &mut impl Write, rows: &[R]) -> std::io::Result<()> {
    writeln!(out, "# {ATTRIBUTION}")?;
    let mut writer = csv::Writer::from_writer(&mut *out);
    for row in rows {
        writer.serialize(row).map_err(std::io::Error::other)?;
    }
    writer.flush()
}
