//! Where to act: the interventions that would help most, each measured by evaluating it as a
//! scenario rather than by a proxy, and the named properties next to each, who are the
//! natural partners for building it.
//! - crossings of busy roads where low-stress islands meet;
//! - short busy segments between islands, which a cycle track would join;
//! - streets where a lower speed limit would make riding them low stress;
//! - sites for mobility points, chosen a few at a time so their catchments overlap little.

use std::collections::HashSet;

use rayon::prelude::*;
use rstar::RTree;
use rstar::primitives::GeomWithData;
use serde::{Deserialize, Serialize};

use crate::connectivity::BoundedSearch;
use crate::crossing::{RoadKey, Treatment};
use crate::destinations::{Category, features};
use crate::graph::MOTOR_ROADS;
use crate::osm::{Coord, OsmData, Tags};
use crate::population::Plane;
use crate::scenario::{Edit, Network};

/// What the profile says about where to act.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Parameters {
    /// Cheapest first: a crossing is proposed with the first that makes it low stress.
    pub crossing_treatments: Vec<Treatment>,
    /// A busy segment at most this long between two islands is a gap.
    pub gap_max_m: f64,
    /// The speed limit streets are tried at.
    pub slower_kmh: u32,
    /// The street classes where that limit is tried.
    pub slower_classes: Vec<String>,
    /// Properties this close to a candidate are its neighbours.
    pub neighbours_m: f64,
    /// What counts as a property with an owner or occupier to ask: `key=value` or `key=*`.
    pub neighbour_tags: Vec<String>,
    /// Where a mobility point may go: `key=value` or `key=*`.
    pub site_tags: Vec<String>,
    /// How far people ride to a mobility point, at low stress.
    pub catchment_m: f32,
    /// A site needs a stop this close to count as joined to transit.
    pub transit_m: f64,
    /// How many mobility-point sites to choose.
    pub sites: usize,
}

impl Parameters {
    pub fn check(&self) -> Result<(), String> {
        if self.crossing_treatments.is_empty() {
            return Err("where_to_act.crossing_treatments must name at least one treatment".into());
        }
        for (name, value) in [
            ("gap_max_m", self.gap_max_m),
            ("neighbours_m", self.neighbours_m),
            ("catchment_m", f64::from(self.catchment_m)),
            ("transit_m", self.transit_m),
        ] {
            if !(value.is_finite() && value > 0.0) {
                return Err(format!("where_to_act.{name} must be a positive distance"));
            }
        }
        if self.slower_kmh == 0 || self.slower_kmh > 200 {
            return Err("where_to_act.slower_kmh must be a plausible limit".into());
        }
        if let Some(bad) = self
            .neighbour_tags
            .iter()
            .chain(&self.site_tags)
            .find(|t| !t.contains('='))
        {
            return Err(format!("where_to_act: tag \"{bad}\" must be key=value or key=*"));
        }
        Ok(())
    }
}

fn matches(patterns: &[String], tags: &Tags) -> Option<String> {
    patterns.iter().find_map(|pattern| {
        let (key, value) = pattern.split_once('=')?;
        let found = tags.get(key)?;
        (found != "no" && (value == "*" || value == found)).then(|| format!("{key}={found}"))
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CandidateKind {
    Crossing,
    Gap,
    SpeedLimit,
    MobilityPoint,
}

impl CandidateKind {
    pub fn code(self) -> &'static str {
        match self {
            CandidateKind::Crossing => "crossing",
            CandidateKind::Gap => "gap",
            CandidateKind::SpeedLimit => "speed_limit",
            CandidateKind::MobilityPoint => "mobility_point",
        }
    }
}

/// A named property next to a candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Neighbour {
    /// "node/123", "way/45" or "relation/6".
    pub osm: String,
    /// Its name, or failing that its brand or operator.
    pub name: String,
    pub operator: Option<String>,
    pub brand: Option<String>,
    /// The tag that made it a property, e.g. "shop=supermarket".
    pub what: String,
    pub distance_m: f64,
}

/// One place to act, with what acting there would change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub kind: CandidateKind,
    /// The edit that builds it, as a scenario takes it.
    pub edit: Edit,
    pub at: Coord,
    /// The road or street it is on, by name or ref.
    pub road: Option<String>,
    /// Its street class, e.g. "primary".
    pub class: Option<String>,
    pub length_m: Option<f64>,
    pub score_gain: f64,
    pub people_gaining: f64,
    pub destinations_gained: u64,
    /// For a mobility-point site: the people who could ride to it at low stress, not
    /// counting those an earlier choice already serves, and the stops near it.
    pub catchment_people: Option<f64>,
    pub transit_stops: Option<usize>,
    pub neighbours: Vec<Neighbour>,
}

/// Named properties, found once and looked up by place.
pub struct Properties {
    plane: Plane,
    tree: RTree<GeomWithData<[f64; 2], usize>>,
    found: Vec<(Neighbour, Coord)>,
}

impl Properties {
    pub fn of(osm: &OsmData, parameters: &Parameters, origin: Coord) -> Properties {
        let plane = Plane::new(origin);
        let mut found = Vec::new();
        let named = |tags: &Tags| {
            tags.get("name")
                .or_else(|| tags.get("brand"))
                .or_else(|| tags.get("operator"))
                .is_some()
        };
        let pick = |tags: &Tags| matches(&parameters.neighbour_tags, tags).filter(|_| named(tags));
        features(osm, pick, |id, tags, at, what| {
            let own = |key: &str| tags.get(key).map(str::to_owned);
            let Some(name) = own("name").or_else(|| own("brand")).or_else(|| own("operator")) else {
                return;
            };
            found.push((
                Neighbour {
                    osm: id,
                    name,
                    operator: own("operator"),
                    brand: own("brand"),
                    what,
                    distance_m: 0.0,
                },
                at,
            ));
        });
        let points = found
            .iter()
            .enumerate()
            .map(|(i, (_, at))| {
                let (x, y) = plane.project(*at);
                GeomWithData::new([x, y], i)
            })
            .collect();
        Properties {
            plane,
            tree: RTree::bulk_load(points),
            found,
        }
    }

    /// The properties within `within_m` of a point, nearest first, each name once.
    pub fn near(&self, at: Coord, within_m: f64) -> Vec<Neighbour> {
        let (x, y) = self.plane.project(at);
        let mut seen = HashSet::new();
        self.tree
            .nearest_neighbor_iter_with_distance_2([x, y])
            .take_while(|(_, d2)| d2.sqrt() <= within_m)
            .filter_map(|(point, d2)| {
                let (neighbour, _) = &self.found[point.data];
                seen.insert(neighbour.name.clone()).then(|| Neighbour {
                    distance_m: d2.sqrt().round(),
                    ..neighbour.clone()
                })
            })
            .take(8)
            .collect()
    }
}

/// Every candidate crossing, gap and speed limit, each evaluated as a scenario of its own,
/// those that gain anything, best first; then the mobility-point sites.
pub fn rank(network: &Network) -> Vec<Candidate> {
    rank_proposals(network, proposals(network), &|| {})
}

/// [`rank`] of the [`proposals`] given, calling `progress` after each is evaluated.
pub fn rank_proposals(network: &Network, proposals: Vec<Candidate>, progress: &(dyn Fn() + Sync)) -> Vec<Candidate> {
    let parameters = &network.profile.where_to_act;
    let properties = Properties::of(&network.osm, parameters, network.origin());
    let mut ranked: Vec<Candidate> = proposals
        .into_par_iter()
        .filter_map(|mut candidate| {
            let effect = network.evaluate(std::slice::from_ref(&candidate.edit)).ok();
            progress();
            let effect = effect?;
            if effect.gain() <= 1e-9 && effect.people_gaining <= 0.0 && effect.destinations_gained == 0 {
                return None;
            }
            candidate.score_gain = effect.gain();
            candidate.people_gaining = effect.people_gaining;
            candidate.destinations_gained = effect.destinations_gained;
            candidate.neighbours = properties.near(candidate.at, parameters.neighbours_m);
            Some(candidate)
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.score_gain
            .total_cmp(&a.score_gain)
            .then(b.people_gaining.total_cmp(&a.people_gaining))
            .then(a.kind.code().cmp(b.kind.code()))
    });
    for mut site in mobility_sites(network) {
        site.neighbours = properties.near(site.at, parameters.neighbours_m);
        ranked.push(site);
    }
    ranked
}

fn road_name(key: &RoadKey) -> Option<String> {
    match key {
        RoadKey::Named(name) => Some(name.clone()),
        RoadKey::Way(_) => None,
    }
}

fn blank(kind: CandidateKind, edit: Edit, at: Coord) -> Candidate {
    Candidate {
        kind,
        edit,
        at,
        road: None,
        class: None,
        length_m: None,
        score_gain: 0.0,
        people_gaining: 0.0,
        destinations_gained: 0,
        catchment_people: None,
        transit_stops: None,
        neighbours: Vec::new(),
    }
}

/// The crossings, gaps and speed limits worth evaluating, not yet evaluated.
pub fn proposals(network: &Network) -> Vec<Candidate> {
    let analysis = &network.analysis;
    let graph = &analysis.graph;
    let parameters = &network.profile.where_to_act;
    let rule = analysis.low_stress_rule;
    let tags_of = |segment: usize| &network.osm.ways[graph.segments[segment].way_index].tags;
    let mut proposals = Vec::new();

    for barrier in analysis.barrier_crossings(&analysis.islands()) {
        let Some(crossing) = &analysis.crossings[barrier.vertex as usize] else {
            continue;
        };
        let Some(treatment) = parameters
            .crossing_treatments
            .iter()
            .copied()
            .find(|t| rule.accepts_crossing(network.treated(crossing, *t).0))
        else {
            continue;
        };
        let mut candidate = blank(
            CandidateKind::Crossing,
            Edit::Crossing {
                vertex: barrier.vertex,
                treatment,
            },
            Coord {
                lat: barrier.lat,
                lon: barrier.lon,
            },
        );
        candidate.road = road_name(&crossing.road);
        candidate.class = tags_of(crossing.through as usize).get("highway").map(str::to_owned);
        proposals.push(candidate);
    }

    // A busy segment whose two ends lie on different islands.
    for (index, segment) in graph.segments.iter().enumerate() {
        if analysis.low_stress[index] || segment.length_m > parameters.gap_max_m {
            continue;
        }
        let (from, to) = (
            analysis.island_of_vertex[segment.from as usize],
            analysis.island_of_vertex[segment.to as usize],
        );
        let (Some(from), Some(to)) = (from, to) else { continue };
        if from == to || analysis.stress[index].iter().all(Option::is_none) {
            continue;
        }
        let mut candidate = blank(
            CandidateKind::Gap,
            Edit::CycleTrack { segment: index as u32 },
            midpoint(
                graph.vertex_coords[segment.from as usize],
                graph.vertex_coords[segment.to as usize],
            ),
        );
        candidate.road = road_name(&analysis.road_keys[index]);
        candidate.class = tags_of(index).get("highway").map(str::to_owned);
        candidate.length_m = Some(segment.length_m.round());
        proposals.push(candidate);
    }

    // Ways of the classes tried, busy now, that touch an island.
    let mut tried = HashSet::new();
    for (index, segment) in graph.segments.iter().enumerate() {
        let tags = tags_of(index);
        let class = tags.get("highway").unwrap_or_default();
        if analysis.low_stress[index]
            || !MOTOR_ROADS.contains(&class)
            || !parameters.slower_classes.iter().any(|c| c == class)
            || !tried.insert(segment.way_id)
        {
            continue;
        }
        let segments = network.segments_of_way(segment.way_id);
        let touches_island = segments.iter().any(|s| {
            let s = &graph.segments[*s as usize];
            analysis.island_of_vertex[s.from as usize].is_some() || analysis.island_of_vertex[s.to as usize].is_some()
        });
        let kmh = parameters.slower_kmh;
        let slower = crate::stress::speed(tags, analysis.built_up[index].as_ref(), &network.profile).0 > kmh;
        if !touches_island || !slower {
            continue;
        }
        let length: f64 = segments.iter().map(|s| graph.segments[*s as usize].length_m).sum();
        let middle = &graph.segments[segments[segments.len() / 2] as usize];
        let mut candidate = blank(
            CandidateKind::SpeedLimit,
            Edit::SpeedLimit {
                way: segment.way_id,
                kmh,
            },
            midpoint(
                graph.vertex_coords[middle.from as usize],
                graph.vertex_coords[middle.to as usize],
            ),
        );
        candidate.road = road_name(&analysis.road_keys[index]);
        candidate.class = Some(class.to_owned());
        candidate.length_m = Some(length.round());
        proposals.push(candidate);
    }
    proposals
}

fn midpoint(a: Coord, b: Coord) -> Coord {
    Coord {
        lat: (a.lat + b.lat) / 2.0,
        lon: (a.lon + b.lon) / 2.0,
    }
}

/// Mobility-point sites: places the profile allows, near a stop, chosen one at a time by the
/// people who could ride to them at low stress and are not yet served by a site chosen
/// before, so that catchments overlap little.
fn mobility_sites(network: &Network) -> Vec<Candidate> {
    let parameters = &network.profile.where_to_act;
    let analysis = &network.analysis;
    let vertices = analysis.graph.vertex_count();
    let plane = Plane::new(network.origin());
    let kinds = &network.profile.destinations;
    let stops: Vec<GeomWithData<[f64; 2], ()>> = network
        .destinations
        .iter()
        .filter(|d| kinds[d.kind].category == Category::Transit)
        .map(|d| {
            let (x, y) = plane.project(d.at);
            GeomWithData::new([x, y], ())
        })
        .collect();
    let stops = RTree::bulk_load(stops);
    let mut sites: Vec<(String, Option<String>, Coord)> = Vec::new();
    features(
        &network.osm,
        |tags| matches(&parameters.site_tags, tags),
        |id, tags, at, what| sites.push((id, tags.get("name").map(str::to_owned).or(Some(what)), at)),
    );
    // Each site's stops and catchment: the zones whose people could ride to it at low stress.
    let mut measured: Vec<(usize, usize, Vec<u32>)> = sites
        .par_iter()
        .enumerate()
        .map_init(
            || BoundedSearch::new(vertices),
            |search, (index, (_, _, at))| {
                let (x, y) = plane.project(*at);
                let near = stops
                    .locate_within_distance([x, y], parameters.transit_m * parameters.transit_m)
                    .count();
                let Some(vertex) = network.placement.snap(*at).filter(|_| near > 0) else {
                    return (index, 0, Vec::new());
                };
                let mut zones: Vec<u32> = search
                    .run(network.reverse_low(), vertex, parameters.catchment_m, |_| true)
                    .iter()
                    .flat_map(|(v, _)| network.placement.zones_at[*v as usize].iter().copied())
                    .collect();
                zones.sort_unstable();
                (index, near, zones)
            },
        )
        .filter(|(_, near, zones)| *near > 0 && !zones.is_empty())
        .collect();
    let mut served = vec![false; network.zones.len()];
    let mut chosen = Vec::new();
    let people = |zones: &[u32], served: &[bool]| -> f64 {
        zones
            .iter()
            .filter(|z| !served[**z as usize])
            .map(|z| network.zones[*z as usize].population)
            .sum()
    };
    while chosen.len() < parameters.sites {
        let best = measured
            .iter()
            .enumerate()
            .map(|(i, (_, near, zones))| (i, people(zones, &served), *near))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(a.2.cmp(&b.2)));
        let Some((best, gain, near)) = best.filter(|b| b.1 > 0.0) else {
            break;
        };
        let (index, _, zones) = measured.swap_remove(best);
        for z in &zones {
            served[*z as usize] = true;
        }
        let (_, name, at) = &sites[index];
        let mut candidate = blank(CandidateKind::MobilityPoint, Edit::MobilityPoint { at: *at }, *at);
        candidate.road = name.clone();
        candidate.catchment_people = Some(gain.round());
        candidate.transit_stops = Some(near);
        if let Ok(effect) = network.evaluate(std::slice::from_ref(&candidate.edit)) {
            candidate.score_gain = effect.gain();
            candidate.people_gaining = effect.people_gaining;
            candidate.destinations_gained = effect.destinations_gained;
        }
        chosen.push(candidate);
    }
    chosen
}
