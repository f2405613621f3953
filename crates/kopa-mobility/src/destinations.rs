//! Where people go: schools, doctors, shops, parks, stops and the like, found by their OSM tags
//! and grouped into BNA's categories. The kinds, their tags and their weights are data in the
//! country profile.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::osm::{Coord, MemberKind, OsmData, Tags};

/// BNA's destination categories (people are the sixth, counted from the zones).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Opportunity,
    CoreServices,
    Retail,
    Recreation,
    Transit,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Opportunity,
        Category::CoreServices,
        Category::Retail,
        Category::Recreation,
        Category::Transit,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Category::Opportunity => "opportunity",
            Category::CoreServices => "core_services",
            Category::Retail => "retail",
            Category::Recreation => "recreation",
            Category::Transit => "transit",
        }
    }
}

/// One kind of destination, as the profile describes it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DestinationKind {
    pub kind: String,
    pub category: Category,
    /// Its weight within its category.
    pub weight: f64,
    /// What the first, second and third destinations reached are worth (0–1, up to three);
    /// the rest of the score grows with the share of the others reached. Empty: the share alone.
    #[serde(default)]
    pub points: Vec<f64>,
    /// `key=value`, or `key=*` for any value. A feature matches if any one holds.
    pub tags: Vec<String>,
}

impl DestinationKind {
    /// Says what is wrong with the kind, if anything.
    pub fn check(&self) -> Result<(), String> {
        let name = &self.kind;
        if !(self.weight.is_finite() && self.weight >= 0.0) {
            return Err(format!("destinations {name}: weight must be zero or more"));
        }
        if self.points.len() > 3
            || self.points.iter().any(|p| !(0.0..=1.0).contains(p))
            || self.points.iter().sum::<f64>() > 1.0 + 1e-9
        {
            return Err(format!(
                "destinations {name}: points are up to three values from 0 to 1 that add up to 1 at most"
            ));
        }
        if let Some(bad) = self.tags.iter().find(|t| !t.contains('=')) {
            return Err(format!("destinations {name}: tag \"{bad}\" must be key=value or key=*"));
        }
        Ok(())
    }

    pub fn matches(&self, tags: &Tags) -> bool {
        self.tags.iter().any(|pattern| match pattern.split_once('=') {
            Some((key, "*")) => tags.get(key).is_some_and(|v| v != "no"),
            Some((key, value)) => tags.get(key) == Some(value),
            None => false,
        })
    }
}

/// A destination found in the extract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Destination {
    /// Index into the profile's destination kinds.
    pub kind: usize,
    /// "node/123", "way/45" or "relation/6".
    pub osm: String,
    pub name: Option<String>,
    pub at: Coord,
}

/// Every destination in the extract. A feature counts once, for the first kind whose tags it
/// matches, so list the specific kinds (supermarkets) before the general ones (any shop).
pub fn find(osm: &OsmData, kinds: &[DestinationKind]) -> Vec<Destination> {
    let mut found = Vec::new();
    features(
        osm,
        |tags| kinds.iter().position(|k| k.matches(tags)),
        |id, tags, at, kind| found.push(destination(kind, id, tags, at)),
    );
    found
}

/// Every feature of the extract that `pick` picks, with its place: nodes, ways at the middle
/// of their nodes, and multipolygons at the middle of their outer ways, each with its id as
/// "node/123", "way/45" or "relation/6".
pub fn features<'a, T>(
    osm: &'a OsmData,
    pick: impl Fn(&Tags) -> Option<T>,
    mut visit: impl FnMut(String, &'a Tags, Coord, T),
) {
    let mut nodes: Vec<(&i64, &Tags)> = osm.node_tags.iter().collect();
    nodes.sort_by_key(|(id, _)| **id);
    for (id, tags) in nodes {
        if let (Some(picked), Some(at)) = (pick(tags), osm.coord(*id)) {
            visit(format!("node/{id}"), tags, at, picked);
        }
    }
    for way in &osm.ways {
        if let Some(picked) = pick(&way.tags)
            && let Some(at) = centre(osm, &way.nodes)
        {
            visit(format!("way/{}", way.id), &way.tags, at, picked);
        }
    }
    let way_index: HashMap<i64, usize> = osm.ways.iter().enumerate().map(|(i, w)| (w.id, i)).collect();
    for relation in &osm.relations {
        if !relation.tags.is("type", &["multipolygon"]) {
            continue;
        }
        let Some(picked) = pick(&relation.tags) else { continue };
        let outer: Vec<i64> = relation
            .members
            .iter()
            .filter(|m| m.kind == MemberKind::Way && m.role != "inner")
            .filter_map(|m| way_index.get(&m.id).map(|i| &osm.ways[*i]))
            .flat_map(|w| w.nodes.iter().copied())
            .collect();
        if let Some(at) = centre(osm, &outer) {
            visit(format!("relation/{}", relation.id), &relation.tags, at, picked);
        }
    }
}

fn destination(kind: usize, osm: String, tags: &Tags, at: Coord) -> Destination {
    Destination {
        kind,
        osm,
        name: tags.get("name").map(str::to_owned),
        at,
    }
}

/// The mean of the nodes' positions, each node once.
fn centre(osm: &OsmData, nodes: &[i64]) -> Option<Coord> {
    let mut unique: Vec<i64> = nodes.to_vec();
    unique.sort_unstable();
    unique.dedup();
    let points: Vec<Coord> = unique.iter().filter_map(|n| osm.coord(*n)).collect();
    if points.is_empty() {
        return None;
    }
    let n = points.len() as f64;
    Some(Coord {
        lat: points.iter().map(|c| c.lat).sum::<f64>() / n,
        lon: points.iter().map(|c| c.lon).sum::<f64>() / n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stress::Profile;

    fn tags(pairs: &[(&str, &str)]) -> Tags {
        pairs.iter().copied().collect()
    }

    fn kind_of(pairs: &[(&str, &str)]) -> Option<String> {
        let kinds = Profile::latvia().destinations;
        let tags = tags(pairs);
        kinds.iter().find(|k| k.matches(&tags)).map(|k| k.kind.clone())
    }

    #[test]
    fn the_latvian_profile_finds_the_usual_destinations() {
        assert_eq!(kind_of(&[("amenity", "school")]).as_deref(), Some("schools"));
        assert_eq!(kind_of(&[("amenity", "kindergarten")]).as_deref(), Some("schools"));
        assert_eq!(kind_of(&[("amenity", "doctors")]).as_deref(), Some("doctors"));
        assert_eq!(kind_of(&[("amenity", "pharmacy")]).as_deref(), Some("pharmacies"));
        assert_eq!(kind_of(&[("shop", "supermarket")]).as_deref(), Some("supermarkets"));
        assert_eq!(kind_of(&[("shop", "bakery")]).as_deref(), Some("retail"));
        assert_eq!(kind_of(&[("leisure", "park")]).as_deref(), Some("parks"));
        assert_eq!(kind_of(&[("highway", "bus_stop")]).as_deref(), Some("transit"));
        assert_eq!(
            kind_of(&[("amenity", "community_centre")]).as_deref(),
            Some("community_centres")
        );
        assert_eq!(kind_of(&[("shop", "no")]), None);
        assert_eq!(kind_of(&[("highway", "residential")]), None);
    }
}
