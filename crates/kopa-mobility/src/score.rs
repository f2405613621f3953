//! Low-stress connectivity, after the PeopleForBikes Bicycle Network Analysis (BNA).
//!
//! From every zone, two searches bounded at 2680 m: on all edges, and on low-stress edges
//! only. A place counts as reachable by low stress when the low-stress route is at most 1.25
//! times the shortest one. Each zone scores the share of people, and the destinations of each
//! kind, it reaches that way; kinds roll up into categories by weight, categories into the
//! zone's score, and zones into the municipality's score weighted by the people living there.

use rayon::prelude::*;
use rstar::RTree;
use rstar::primitives::GeomWithData;
use serde::{Deserialize, Serialize};

use crate::analysis::Analysis;
use crate::connectivity::PairSearch;
use crate::destinations::{Category, Destination, DestinationKind};
use crate::graph::Adjacency;
use crate::osm::Coord;
use crate::population::{Plane, Zone};
use crate::stress::LowStressRule;

/// Every parameter of the method, read from the country profile.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Parameters {
    pub bound_m: f32,
    pub detour_ratio: f32,
    pub low_stress: LowStressRule,
    pub zone_size_m: f64,
    pub snap_m: f64,
    /// Share of people reachable by low stress → people score, as (share, score) points.
    pub people_curve: Vec<[f64; 2]>,
    pub category_weights: CategoryWeights,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryWeights {
    pub people: f64,
    pub opportunity: f64,
    pub core_services: f64,
    pub retail: f64,
    pub recreation: f64,
    pub transit: f64,
}

impl CategoryWeights {
    fn of(&self, category: Category) -> f64 {
        match category {
            Category::Opportunity => self.opportunity,
            Category::CoreServices => self.core_services,
            Category::Retail => self.retail,
            Category::Recreation => self.recreation,
            Category::Transit => self.transit,
        }
    }
}

impl Parameters {
    /// Says what is wrong with the parameters, if anything.
    pub fn check(&self) -> Result<(), String> {
        if !(self.bound_m.is_finite() && self.bound_m > 0.0) {
            return Err("connectivity.bound_m must be a positive distance".into());
        }
        if !(self.detour_ratio.is_finite() && self.detour_ratio >= 1.0) {
            return Err("connectivity.detour_ratio must be 1 or more".into());
        }
        if !(self.zone_size_m.is_finite() && self.zone_size_m >= 10.0) {
            return Err("connectivity.zone_size_m must be at least 10 metres".into());
        }
        if !(self.snap_m.is_finite() && self.snap_m > 0.0) {
            return Err("connectivity.snap_m must be a positive distance".into());
        }
        let curve = &self.people_curve;
        let rising = curve.windows(2).all(|w| w[0][0] < w[1][0]);
        let in_range = curve.iter().flatten().all(|v| (0.0..=1.0).contains(v));
        if curve.len() < 2 || !rising || !in_range || curve[0][0] != 0.0 || curve[curve.len() - 1][0] != 1.0 {
            return Err(
                "connectivity.people_curve must run from share 0 to share 1, rising, with values from 0 to 1".into(),
            );
        }
        let w = &self.category_weights;
        let weights = [
            w.people,
            w.opportunity,
            w.core_services,
            w.retail,
            w.recreation,
            w.transit,
        ];
        if weights.iter().any(|v| !(v.is_finite() && *v >= 0.0)) || weights.iter().sum::<f64>() <= 0.0 {
            return Err("connectivity.category_weights must be zero or more, and not all zero".into());
        }
        Ok(())
    }

    /// The people score for a share reached, read off the curve.
    pub fn people_score(&self, share: f64) -> f64 {
        let share = share.clamp(0.0, 1.0);
        for pair in self.people_curve.windows(2) {
            let ([x0, y0], [x1, y1]) = (pair[0], pair[1]);
            if share <= x1 {
                return y0 + (y1 - y0) * (share - x0) / (x1 - x0);
            }
        }
        self.people_curve[self.people_curve.len() - 1][1]
    }
}

/// BNA's score for one kind of destination: `points` for the first few reached by low stress,
/// then the share of the rest. `None` when none can be reached at all.
pub fn destination_score(low: u32, high: u32, points: &[f64]) -> Option<f64> {
    if high == 0 {
        return None;
    }
    if low == 0 {
        return Some(0.0);
    }
    if low >= high {
        return Some(1.0);
    }
    let counted = points.len() as u32;
    if low <= counted {
        return Some(points[..low as usize].iter().sum());
    }
    let base: f64 = points.iter().sum();
    Some(base + (1.0 - base) * f64::from(low - counted) / f64::from(high - counted))
}

/// What one zone reaches, and its scores (0–1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZoneScore {
    /// The vertex the zone starts from, or `None` when no street is within reach.
    pub vertex: Option<u32>,
    pub population: f64,
    pub people_low: f64,
    pub people_high: f64,
    /// Destinations of each kind reached by low stress, and at all, in profile order.
    pub kinds_low: Vec<u32>,
    pub kinds_high: Vec<u32>,
    pub people_score: Option<f64>,
    pub kind_scores: Vec<Option<f64>>,
    pub category_scores: Vec<Option<f64>>,
    /// 0–100.
    pub score: Option<f64>,
}

/// One category's or kind's score for the whole area (0–100).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct PartScore {
    pub name: String,
    pub weight: f64,
    /// Destinations of this kind or category found (none for people).
    pub destinations: Option<usize>,
    pub score: Option<f64>,
}

/// The result of the connectivity analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Connectivity {
    /// 0–100, the mean of the zones' scores weighted by their people.
    pub score: Option<f64>,
    /// People first, then the destination categories.
    pub categories: Vec<PartScore>,
    pub kinds: Vec<PartScore>,
    pub zones: Vec<ZoneScore>,
    pub people_total: f64,
    /// People in zones too far from any street to count.
    pub people_unplaced: f64,
    pub destinations_unplaced: usize,
    /// Per segment: the people whose low-stress trips use it.
    pub segment_people: Vec<f64>,
    /// Per island number: the people whose zone starts on it.
    pub island_people: Vec<f64>,
}

/// The nearest vertex within `snap_m` of each point.
struct Snapper {
    plane: Plane,
    tree: RTree<GeomWithData<[f64; 2], u32>>,
    snap_m: f64,
}

impl Snapper {
    fn new(analysis: &Analysis, snap_m: f64) -> Snapper {
        let coords = &analysis.graph.vertex_coords;
        let plane = Plane::new(coords.first().copied().unwrap_or(Coord { lat: 0.0, lon: 0.0 }));
        let points = coords
            .iter()
            .enumerate()
            .map(|(v, c)| {
                let (x, y) = plane.project(*c);
                GeomWithData::new([x, y], v as u32)
            })
            .collect();
        Snapper {
            plane,
            tree: RTree::bulk_load(points),
            snap_m,
        }
    }

    fn snap(&self, at: Coord) -> Option<u32> {
        let (x, y) = self.plane.project(at);
        let nearest = self.tree.nearest_neighbor([x, y])?;
        let [vx, vy] = *nearest.geom();
        (((vx - x).powi(2) + (vy - y).powi(2)).sqrt() <= self.snap_m).then_some(nearest.data)
    }
}

/// Where zones and destinations join the street graph: each at its nearest vertex within the
/// snapping distance.
pub struct Placement {
    snapper: Snapper,
    /// The vertex each zone starts from.
    pub zone_vertex: Vec<Option<u32>>,
    /// The zones at each vertex.
    pub zones_at: Vec<Vec<u32>>,
    /// The kind of each destination at each vertex.
    pub destinations_at: Vec<Vec<u32>>,
    pub destinations_unplaced: usize,
}

impl Placement {
    pub fn new(analysis: &Analysis, zones: &[Zone], destinations: &[Destination], snap_m: f64) -> Placement {
        let vertices = analysis.graph.vertex_count();
        let snapper = Snapper::new(analysis, snap_m);
        let zone_vertex: Vec<Option<u32>> = zones.iter().map(|z| snapper.snap(z.people_centre)).collect();
        let mut zones_at: Vec<Vec<u32>> = vec![Vec::new(); vertices];
        for (index, vertex) in zone_vertex.iter().enumerate() {
            if let Some(v) = vertex {
                zones_at[*v as usize].push(index as u32);
            }
        }
        let mut destinations_at: Vec<Vec<u32>> = vec![Vec::new(); vertices];
        let mut destinations_unplaced = 0;
        for destination in destinations {
            match snapper.snap(destination.at) {
                Some(v) => destinations_at[v as usize].push(destination.kind as u32),
                None => destinations_unplaced += 1,
            }
        }
        Placement {
            snapper,
            zone_vertex,
            zones_at,
            destinations_at,
            destinations_unplaced,
        }
    }

    /// The vertex a point joins the graph at, if a street is near enough.
    pub fn snap(&self, at: Coord) -> Option<u32> {
        self.snapper.snap(at)
    }
}

/// What one zone reaches, before scoring.
pub struct Reach {
    pub people_low: f64,
    pub people_high: f64,
    pub kinds_low: Vec<u32>,
    pub kinds_high: Vec<u32>,
    /// The segments on its low-stress routes to every place it reaches that way.
    pub used_segments: Vec<u32>,
}

/// Finds what a zone reaches on a network: the same for the analysis and for a scenario that
/// changes its low-stress edges or its destinations.
pub struct Reacher<'a> {
    pub all: &'a Adjacency,
    pub low: &'a Adjacency,
    pub zones: &'a [Zone],
    pub zones_at: &'a [Vec<u32>],
    pub destinations_at: &'a [Vec<u32>],
    pub kinds: usize,
    pub parameters: &'a Parameters,
}

/// One search state per thread: the two searches, and the marks for walking routes back.
pub type SearchState = (PairSearch, Vec<bool>);

pub fn search_state(vertices: usize) -> SearchState {
    (PairSearch::new(vertices), vec![false; vertices])
}

impl Reacher<'_> {
    pub fn reach(&self, (search, needed): &mut SearchState, origin: u32) -> Reach {
        let mut result = Reach {
            people_low: 0.0,
            people_high: 0.0,
            kinds_low: vec![0; self.kinds],
            kinds_high: vec![0; self.kinds],
            used_segments: Vec::new(),
        };
        let parameters = self.parameters;
        search.run(self.all, self.low, origin, parameters.bound_m, parameters.detour_ratio);
        for &(vertex, _) in search.all.settled() {
            for z in &self.zones_at[vertex as usize] {
                result.people_high += self.zones[*z as usize].population;
            }
            for k in &self.destinations_at[vertex as usize] {
                result.kinds_high[*k as usize] += 1;
            }
        }
        let settled = search.low.settled();
        for (&(vertex, _), _) in settled.iter().zip(search.connected()).filter(|(_, c)| **c) {
            let here = &self.zones_at[vertex as usize];
            let there = &self.destinations_at[vertex as usize];
            for z in here {
                result.people_low += self.zones[*z as usize].population;
            }
            for k in there {
                result.kinds_low[*k as usize] += 1;
            }
            needed[vertex as usize] = !here.is_empty() || !there.is_empty();
        }
        // Walk the low-stress tree from the leaves back, marking the routes to what was reached.
        for &(vertex, _) in settled.iter().rev() {
            if needed[vertex as usize] && vertex != origin {
                let (previous, segment) = search.low.reached_by(vertex);
                result.used_segments.push(segment);
                needed[previous as usize] = true;
            }
            needed[vertex as usize] = false;
        }
        result
    }
}

/// The mean of a value over the zones that have it, weighted by their people.
pub fn weighted(zone_scores: &[ZoneScore], value: impl Fn(&ZoneScore) -> Option<f64>) -> Option<f64> {
    let (sum, people) = zone_scores
        .iter()
        .filter_map(|z| value(z).map(|v| (v * z.population, z.population)))
        .fold((0.0, 0.0), |(a, b), (v, p)| (a + v, b + p));
    (people > 0.0).then(|| sum / people)
}

/// Runs BNA's connectivity from every zone.
pub fn connectivity(
    analysis: &Analysis,
    zones: &[Zone],
    destinations: &[Destination],
    kinds: &[DestinationKind],
    parameters: &Parameters,
    progress: &(dyn Fn() + Sync),
) -> Connectivity {
    let placement = Placement::new(analysis, zones, destinations, parameters.snap_m);
    connectivity_placed(analysis, &placement, zones, destinations, kinds, parameters, progress)
}

/// [`connectivity`] with the zones and destinations already placed.
pub fn connectivity_placed(
    analysis: &Analysis,
    placement: &Placement,
    zones: &[Zone],
    destinations: &[Destination],
    kinds: &[DestinationKind],
    parameters: &Parameters,
    progress: &(dyn Fn() + Sync),
) -> Connectivity {
    let graph = &analysis.graph;
    let reacher = Reacher {
        all: &graph.adjacency,
        low: &analysis.low_stress_adjacency,
        zones,
        zones_at: &placement.zones_at,
        destinations_at: &placement.destinations_at,
        kinds: kinds.len(),
        parameters,
    };
    let reaches: Vec<Option<Reach>> = placement
        .zone_vertex
        .par_iter()
        .map_init(
            || search_state(graph.vertex_count()),
            |state, vertex| {
                let reached = vertex.map(|v| reacher.reach(state, v));
                progress();
                reached
            },
        )
        .collect();

    let mut segment_people = vec![0.0; graph.segments.len()];
    let island_count = analysis
        .island_of_vertex
        .iter()
        .flatten()
        .max()
        .map_or(0, |m| *m as usize + 1);
    let mut island_people = vec![0.0; island_count];
    let mut zone_scores = Vec::with_capacity(zones.len());
    for ((zone, vertex), reach) in zones.iter().zip(&placement.zone_vertex).zip(reaches) {
        let Some(reach) = reach else {
            zone_scores.push(ZoneScore::unplaced(zone, kinds.len()));
            continue;
        };
        for segment in &reach.used_segments {
            segment_people[*segment as usize] += zone.population;
        }
        if let Some(island) = vertex.and_then(|v| analysis.island_of_vertex[v as usize]) {
            island_people[island as usize] += zone.population;
        }
        zone_scores.push(score_zone(zone, *vertex, reach, kinds, parameters));
    }

    // Sums folded from +0, as an empty float sum is -0.
    let people_total = zones.iter().fold(0.0, |sum, z| sum + z.population);
    let people_unplaced = zone_scores
        .iter()
        .filter(|z| z.vertex.is_none())
        .fold(0.0, |sum, z| sum + z.population);
    let found = |category: Category| {
        destinations
            .iter()
            .filter(|d| kinds[d.kind].category == category)
            .count()
    };
    let mut categories = vec![PartScore {
        name: "people".into(),
        weight: parameters.category_weights.people,
        destinations: None,
        score: weighted(&zone_scores, |z| z.people_score.map(|s| s * 100.0)),
    }];
    for (index, category) in Category::ALL.iter().enumerate() {
        categories.push(PartScore {
            name: category.name().into(),
            weight: parameters.category_weights.of(*category),
            destinations: Some(found(*category)),
            score: weighted(&zone_scores, |z| z.category_scores[index + 1].map(|s| s * 100.0)),
        });
    }
    let kind_parts = kinds
        .iter()
        .enumerate()
        .map(|(index, kind)| PartScore {
            name: kind.kind.clone(),
            weight: kind.weight,
            destinations: Some(destinations.iter().filter(|d| d.kind == index).count()),
            score: weighted(&zone_scores, |z| z.kind_scores[index].map(|s| s * 100.0)),
        })
        .collect();
    Connectivity {
        score: weighted(&zone_scores, |z| z.score),
        categories,
        kinds: kind_parts,
        zones: zone_scores,
        people_total,
        people_unplaced,
        destinations_unplaced: placement.destinations_unplaced,
        segment_people,
        island_people,
    }
}

impl ZoneScore {
    /// A zone too far from any street to count.
    fn unplaced(zone: &Zone, kinds: usize) -> ZoneScore {
        ZoneScore {
            vertex: None,
            population: zone.population,
            people_low: 0.0,
            people_high: 0.0,
            kinds_low: vec![0; kinds],
            kinds_high: vec![0; kinds],
            people_score: None,
            kind_scores: vec![None; kinds],
            category_scores: vec![None; Category::ALL.len() + 1],
            score: None,
        }
    }
}

/// A zone's scores from what it reaches.
pub fn score_zone(
    zone: &Zone,
    vertex: Option<u32>,
    reach: Reach,
    kinds: &[DestinationKind],
    parameters: &Parameters,
) -> ZoneScore {
    let people_score = (reach.people_high > 0.0).then(|| parameters.people_score(reach.people_low / reach.people_high));
    let kind_scores: Vec<Option<f64>> = kinds
        .iter()
        .enumerate()
        .map(|(k, kind)| destination_score(reach.kinds_low[k], reach.kinds_high[k], &kind.points))
        .collect();
    let mut category_scores = vec![people_score];
    for category in Category::ALL {
        let (sum, weight) = kinds
            .iter()
            .zip(&kind_scores)
            .filter(|(kind, _)| kind.category == category)
            .filter_map(|(kind, score)| score.map(|s| (s * kind.weight, kind.weight)))
            .fold((0.0, 0.0), |(a, b), (s, w)| (a + s, b + w));
        category_scores.push((weight > 0.0).then(|| sum / weight));
    }
    let weights = &parameters.category_weights;
    let category_weights = std::iter::once(weights.people).chain(Category::ALL.iter().map(|c| weights.of(*c)));
    let (sum, weight) = category_scores
        .iter()
        .zip(category_weights)
        .filter_map(|(score, w)| score.map(|s| (s * w, w)))
        .fold((0.0, 0.0), |(a, b), (s, w)| (a + s, b + w));
    ZoneScore {
        vertex,
        population: zone.population,
        people_low: reach.people_low,
        people_high: reach.people_high,
        kinds_low: reach.kinds_low,
        kinds_high: reach.kinds_high,
        people_score,
        kind_scores,
        category_scores,
        score: (weight > 0.0).then(|| 100.0 * sum / weight),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stress::Profile;

    #[test]
    fn the_people_curve_passes_through_bnas_points() {
        let parameters = Profile::latvia().connectivity;
        for (share, score) in [(0.0, 0.0), (0.03, 0.1), (0.2, 0.4), (0.5, 0.8), (1.0, 1.0), (0.35, 0.6)] {
            assert!((parameters.people_score(share) - score).abs() < 1e-9, "{share}");
        }
        assert!((parameters.people_score(0.015) - 0.05).abs() < 1e-9);
    }

    /// BNA's scoring of a destination kind, row by row.
    #[test]
    fn destination_scores_count_the_first_few_then_the_share() {
        let doctors = [0.4, 0.2, 0.1];
        assert_eq!(destination_score(0, 0, &doctors), None);
        assert_eq!(destination_score(0, 5, &doctors), Some(0.0));
        assert_eq!(destination_score(1, 5, &doctors), Some(0.4));
        assert_eq!(destination_score(2, 5, &doctors), Some(0.4 + 0.2));
        assert_eq!(destination_score(3, 5, &doctors), Some(0.4 + 0.2 + 0.1));
        let four_of_five = destination_score(4, 5, &doctors).unwrap();
        assert!((four_of_five - (0.7 + 0.3 * 1.0 / 2.0)).abs() < 1e-9);
        assert_eq!(destination_score(5, 5, &doctors), Some(1.0));
        assert_eq!(destination_score(1, 1, &doctors), Some(1.0));
        let hospitals = [0.7];
        assert!((destination_score(2, 3, &hospitals).unwrap() - (0.7 + 0.3 * 0.5)).abs() < 1e-9);
        assert_eq!(destination_score(3, 4, &[]), Some(0.75));
    }

    #[test]
    fn implausible_parameters_are_refused() {
        let good = Profile::latvia().connectivity;
        assert_eq!(good.check(), Ok(()));
        let mut bad = good.clone();
        bad.detour_ratio = 0.9;
        assert!(bad.check().unwrap_err().contains("detour_ratio"));
        let mut bad = good.clone();
        bad.people_curve = vec![[0.0, 0.0], [0.5, 0.8], [0.3, 0.9], [1.0, 1.0]];
        assert!(bad.check().unwrap_err().contains("people_curve"));
        let mut bad = good;
        bad.category_weights.people = -1.0;
        assert!(bad.check().unwrap_err().contains("category_weights"));
    }
}
