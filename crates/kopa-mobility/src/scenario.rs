//! Scenarios: what a list of edits to the network would change. An edit builds a crossing,
//! a cycle track, a lower speed limit or a mobility point. Evaluation is incremental: only
//! the zones that could ride to a changed edge within the distance bound are searched again,
//! and the score is summed afresh from every zone's score.

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::analysis::{Analysis, LowStressNetwork, SegmentStress};
use crate::connectivity::BoundedSearch;
use crate::crossing::{Crossing, Treatment, classify, crossing_at, incident_segments};
use crate::destinations::{Category, Destination};
use crate::graph::Adjacency;
use crate::osm::{Coord, OsmData, Tags};
use crate::population::Zone;
use crate::score::{Connectivity, Placement, Reacher, ZoneScore, score_zone, search_state, weighted};
use crate::stress::{Lts, Profile, Reason, Stress, classify_in};

/// One change to the network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Edit {
    /// A crossing of the road at a vertex, built with this treatment.
    Crossing { vertex: u32, treatment: Treatment },
    /// A cycle track separated from traffic along a segment, ridden every way the segment
    /// may be ridden.
    CycleTrack { segment: u32 },
    /// A lower speed limit along a whole way.
    SpeedLimit { way: i64, kmh: u32 },
    /// A mobility point (bicycle parking and sharing by a stop): one more transit destination.
    MobilityPoint { at: Coord },
}

/// An edit that names something the network does not have.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BadEdit {
    #[error("vertex {0} is not in the network")]
    NoVertex(u32),
    #[error("there is no road to cross at vertex {0}")]
    NoCrossing(u32),
    #[error("segment {0} is not in the network")]
    NoSegment(u32),
    #[error("way {0} is not in the network")]
    NoWay(i64),
    #[error("{0} km/h is not a speed limit")]
    BadSpeed(u32),
    #[error("the point {lat}, {lon} is too far from any street")]
    FarFromStreets { lat: f64, lon: f64 },
}

/// What a scenario changes, against the analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Effect {
    pub score_before: Option<f64>,
    pub score_after: Option<f64>,
    /// The people living in zones that reach more at low stress.
    pub people_gaining: f64,
    /// Destinations newly reached at low stress, counted once per zone reaching them.
    pub destinations_gained: u64,
    /// The segments whose low-stress use changed, with whether they are low stress now.
    pub changed_segments: Vec<(u32, bool)>,
    /// The crossings that changed, with whether they are low stress now.
    pub changed_crossings: Vec<(u32, bool)>,
    /// How many zones were searched again.
    pub zones_searched: usize,
}

impl Effect {
    /// The change in score, in points.
    pub fn gain(&self) -> f64 {
        self.score_after.unwrap_or(0.0) - self.score_before.unwrap_or(0.0)
    }
}

/// An analysed network kept in memory, ready to try edits on.
pub struct Network {
    pub osm: OsmData,
    pub profile: Profile,
    pub analysis: Analysis,
    pub zones: Vec<Zone>,
    pub destinations: Vec<Destination>,
    pub placement: Placement,
    pub connectivity: Connectivity,
    /// The low-stress and all edges, run backwards: who can ride to a vertex.
    reverse_low: Adjacency,
    reverse_all: Adjacency,
    incident: Vec<Vec<u32>>,
    segments_of_way: HashMap<i64, Vec<u32>>,
    /// The destination kind a mobility point counts as.
    mobility_point_kind: Option<u32>,
}

impl Network {
    pub fn new(
        osm: OsmData,
        profile: Profile,
        analysis: Analysis,
        zones: Vec<Zone>,
        destinations: Vec<Destination>,
        placement: Placement,
        connectivity: Connectivity,
    ) -> Network {
        let mut segments_of_way: HashMap<i64, Vec<u32>> = HashMap::new();
        for (index, segment) in analysis.graph.segments.iter().enumerate() {
            segments_of_way.entry(segment.way_id).or_default().push(index as u32);
        }
        let mobility_point_kind = profile
            .destinations
            .iter()
            .position(|k| k.category == Category::Transit)
            .map(|k| k as u32);
        Network {
            reverse_low: analysis.low_stress_adjacency.reversed(),
            reverse_all: analysis.graph.adjacency.reversed(),
            incident: incident_segments(&analysis.graph),
            segments_of_way,
            mobility_point_kind,
            osm,
            profile,
            analysis,
            zones,
            destinations,
            placement,
            connectivity,
        }
    }

    /// The segments of a way, in the graph.
    pub fn segments_of_way(&self, way: i64) -> &[u32] {
        self.segments_of_way.get(&way).map_or(&[], Vec::as_slice)
    }

    /// The low-stress edges run backwards: searching it from a vertex finds who can ride there
    /// at low stress.
    pub fn reverse_low(&self) -> &Adjacency {
        &self.reverse_low
    }

    /// A point of the network to measure local distances from.
    pub fn origin(&self) -> Coord {
        let coords = &self.analysis.graph.vertex_coords;
        coords.first().copied().unwrap_or(Coord { lat: 0.0, lon: 0.0 })
    }

    /// The segments that end at a vertex.
    pub fn incident(&self, vertex: u32) -> &[u32] {
        &self.incident[vertex as usize]
    }

    /// What the edits would change, searching again only the zones they can affect.
    pub fn evaluate(&self, edits: &[Edit]) -> Result<Effect, BadEdit> {
        self.effect(edits, false)
    }

    /// The same, searching every zone again: what the incremental evaluation must equal.
    pub fn evaluate_everywhere(&self, edits: &[Edit]) -> Result<Effect, BadEdit> {
        self.effect(edits, true)
    }

    /// The stress of a crossing once a treatment is built there.
    pub fn treated(&self, crossing: &Crossing, treatment: Treatment) -> (Lts, Vec<Reason>) {
        let through = crossing.through as usize;
        let tags = &self.osm.ways[self.analysis.graph.segments[through].way_index].tags;
        classify(
            tags,
            self.analysis.built_up[through].as_ref(),
            treatment.added_to(crossing.controls),
            &self.profile,
        )
    }

    fn effect(&self, edits: &[Edit], everywhere: bool) -> Result<Effect, BadEdit> {
        let analysis = &self.analysis;
        let graph = &analysis.graph;
        let rule = analysis.low_stress_rule;
        let mut stress: Cow<[SegmentStress]> = Cow::Borrowed(&analysis.stress);
        let mut crossings: Cow<[Option<Crossing>]> = Cow::Borrowed(&analysis.crossings);
        let mut added: Vec<(u32, u32)> = Vec::new();
        for edit in edits {
            match edit {
                Edit::Crossing { vertex, treatment } => {
                    let crossing = crossings
                        .get(*vertex as usize)
                        .ok_or(BadEdit::NoVertex(*vertex))?
                        .clone()
                        .ok_or(BadEdit::NoCrossing(*vertex))?;
                    let (lts, reasons) = self.treated(&crossing, *treatment);
                    let controls = treatment.added_to(crossing.controls);
                    crossings.to_mut()[*vertex as usize] = Some(Crossing {
                        lts,
                        reasons,
                        controls,
                        ..crossing
                    });
                }
                Edit::CycleTrack { segment } => {
                    let pair = stress
                        .get(*segment as usize)
                        .ok_or(BadEdit::NoSegment(*segment))?
                        .clone();
                    let track = |s: &Option<Stress>| {
                        s.as_ref().map(|_| Stress {
                            lts: Lts::One,
                            reasons: vec![Reason::SeparatedPath],
                            bna_low_stress: true,
                        })
                    };
                    stress.to_mut()[*segment as usize] = [track(&pair[0]), track(&pair[1])];
                }
                Edit::SpeedLimit { way, kmh } => {
                    if *kmh == 0 || *kmh > 200 {
                        return Err(BadEdit::BadSpeed(*kmh));
                    }
                    let segments = self.segments_of_way(*way);
                    let first = segments.first().ok_or(BadEdit::NoWay(*way))?;
                    let way_index = graph.segments[*first as usize].way_index;
                    let mut tags: Tags = self.osm.ways[way_index].tags.clone();
                    tags.insert("maxspeed", kmh.to_string());
                    let stress = stress.to_mut();
                    for &s in segments {
                        let segment = &graph.segments[s as usize];
                        let built_up = analysis.built_up[s as usize].as_ref();
                        let classify = |forward| classify_in(&tags, built_up, &self.profile, forward);
                        stress[s as usize] = [
                            segment.directions.forward.then(|| classify(true)),
                            segment.directions.backward.then(|| classify(false)),
                        ];
                    }
                    let tags_of = |s: u32| {
                        let index = graph.segments[s as usize].way_index;
                        if index == way_index {
                            &tags
                        } else {
                            &self.osm.ways[index].tags
                        }
                    };
                    let crossings = crossings.to_mut();
                    for &s in segments {
                        let segment = &graph.segments[s as usize];
                        for vertex in [segment.from, segment.to] {
                            crossings[vertex as usize] = crossing_at(
                                graph,
                                &self.osm,
                                &analysis.built_up,
                                &self.profile,
                                vertex,
                                self.incident(vertex),
                                &tags_of,
                            );
                        }
                    }
                }
                Edit::MobilityPoint { at } => {
                    let vertex = self.placement.snap(*at).ok_or(BadEdit::FarFromStreets {
                        lat: at.lat,
                        lon: at.lon,
                    })?;
                    if let Some(kind) = self.mobility_point_kind {
                        added.push((vertex, kind));
                    }
                }
            }
        }

        let changed_network = matches!(stress, Cow::Owned(_)) || matches!(crossings, Cow::Owned(_));
        let low = changed_network.then(|| LowStressNetwork::of(graph, &analysis.road_keys, &stress, &crossings, rule));
        let low_adjacency = low.as_ref().map_or(&analysis.low_stress_adjacency, |l| &l.adjacency);

        // The zones to search again: those that could ride at low stress to a vertex whose
        // low-stress edges changed (a route's first changed edge starts there, reached by
        // unchanged edges), or at all to a new destination.
        let parameters = &self.profile.connectivity;
        let vertices = graph.vertex_count();
        let mut search_again = vec![everywhere; self.zones.len()];
        if !everywhere {
            let tails: Vec<u32> = (0..vertices as u32)
                .filter(|&v| low_adjacency.edges_from(v) != analysis.low_stress_adjacency.edges_from(v))
                .collect();
            let destinations: Vec<u32> = added.iter().map(|(v, _)| *v).collect();
            let mut search = BoundedSearch::new(vertices);
            for (reverse, sources) in [(&self.reverse_low, tails), (&self.reverse_all, destinations)] {
                if sources.is_empty() {
                    continue;
                }
                for &(vertex, _) in search.run_from(reverse, &sources, parameters.bound_m, |_| true) {
                    for z in &self.placement.zones_at[vertex as usize] {
                        search_again[*z as usize] = true;
                    }
                }
            }
        }
        let destinations_at: Cow<[Vec<u32>]> = if added.is_empty() {
            Cow::Borrowed(&self.placement.destinations_at)
        } else {
            let mut at = self.placement.destinations_at.clone();
            for (vertex, kind) in &added {
                at[*vertex as usize].push(*kind);
            }
            Cow::Owned(at)
        };
        let kinds = &self.profile.destinations;
        let reacher = Reacher {
            all: &graph.adjacency,
            low: low_adjacency,
            zones: &self.zones,
            zones_at: &self.placement.zones_at,
            destinations_at: &destinations_at,
            kinds: kinds.len(),
            parameters,
        };
        let again: Vec<usize> = (0..self.zones.len())
            .filter(|z| search_again[*z] && self.placement.zone_vertex[*z].is_some())
            .collect();
        let rescored: Vec<(usize, ZoneScore)> = again
            .par_iter()
            .map_init(
                || search_state(vertices),
                |state, &z| {
                    let vertex = self.placement.zone_vertex[z];
                    let reach = reacher.reach(state, vertex.unwrap_or_default());
                    (z, score_zone(&self.zones[z], vertex, reach, kinds, parameters))
                },
            )
            .collect();

        let before = &self.connectivity.zones;
        let mut after: Vec<ZoneScore> = before.clone();
        let (mut people_gaining, mut destinations_gained) = (0.0, 0);
        for (z, score) in rescored {
            let old = &before[z];
            let gained: u64 = score
                .kinds_low
                .iter()
                .zip(&old.kinds_low)
                .map(|(new, old)| u64::from(new.saturating_sub(*old)))
                .sum();
            if score.people_low > old.people_low || gained > 0 {
                people_gaining += score.population;
            }
            destinations_gained += gained;
            after[z] = score;
        }
        let mut changed_segments = Vec::new();
        let mut changed_crossings = Vec::new();
        if let Some(low) = &low {
            changed_segments = (0..graph.segments.len())
                .filter(|&s| low.segments[s] != analysis.low_stress[s] || stress[s] != analysis.stress[s])
                .map(|s| (s as u32, low.segments[s]))
                .collect();
            changed_crossings = (0..vertices)
                .filter(|&v| crossings[v] != analysis.crossings[v])
                .map(|v| {
                    let lts = crossings[v].as_ref().map_or(Lts::One, |c| c.lts);
                    (v as u32, rule.accepts_crossing(lts))
                })
                .collect();
        }
        Ok(Effect {
            score_before: self.connectivity.score,
            score_after: weighted(&after, |z| z.score),
            people_gaining,
            destinations_gained,
            changed_segments,
            changed_crossings,
            zones_searched: again.len(),
        })
    }
}
