//! Whether a street runs through a built-up area, where the lower default speed applies.
//! Main roads through towns often carry no `maxspeed` tag; taken at the rural speed, every
//! town's main street would be LTS 4. So a road is taken as built up when its middle lies
//! inside a place or land-use area the profile names, or when enough buildings stand near it.

use geo::{BoundingRect, Contains, LineString, MultiPolygon, Point, Polygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};
use serde::{Deserialize, Serialize};

use crate::osm::{Coord, OsmData, Tags, outline};
use crate::population::Plane;

/// The profile's rule for built-up areas.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Rule {
    /// Tags of the areas inside which streets are built up, as `key=value`.
    pub areas: Vec<String>,
    /// Or at least this many buildings within `within_m` of the street's middle.
    pub buildings: usize,
    pub within_m: f64,
}

impl Rule {
    pub(crate) fn check(&self) -> Result<(), String> {
        if let Some(bad) = self
            .areas
            .iter()
            .find(|a| a.split_once('=').is_none_or(|(k, v)| k.is_empty() || v.is_empty()))
        {
            return Err(format!("built_up.areas: {bad:?} is not key=value"));
        }
        if !(1.0..=1000.0).contains(&self.within_m) || self.buildings == 0 {
            return Err("built_up: buildings must be at least 1 and within_m 1–1000 m".into());
        }
        Ok(())
    }

    fn matches(&self, tags: &Tags) -> Option<String> {
        self.areas
            .iter()
            .find(|area| area.split_once('=').is_some_and(|(key, value)| tags.is(key, &[value])))
            .cloned()
    }
}

/// Why a street was taken to run through a built-up area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuiltUp {
    /// Inside an area with this tag.
    Inside(String),
    /// This many buildings stand within this many metres.
    Buildings { count: usize, within_m: u32 },
}

/// The areas and buildings of an extract, indexed to ask about any point.
pub struct Surroundings {
    rule: Rule,
    plane: Plane,
    areas: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    shapes: Vec<(MultiPolygon<f64>, String)>,
    buildings: RTree<[f64; 2]>,
}

impl Surroundings {
    pub fn of(osm: &OsmData, rule: &Rule) -> Surroundings {
        // The middle of the extract, so that the same extract always projects the same way.
        let (mut low, mut high) = ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN));
        for c in osm.coords.values() {
            low = (low.0.min(c.lat), low.1.min(c.lon));
            high = (high.0.max(c.lat), high.1.max(c.lon));
        }
        let plane = Plane::new(if osm.coords.is_empty() {
            Coord { lat: 0.0, lon: 0.0 }
        } else {
            Coord {
                lat: (low.0 + high.0) / 2.0,
                lon: (low.1 + high.1) / 2.0,
            }
        });
        let ring = |nodes: &[i64]| -> Option<LineString<f64>> {
            let points: Vec<(f64, f64)> = nodes
                .iter()
                .map(|n| osm.coord(*n).map(|c| (c.lon, c.lat)))
                .collect::<Option<_>>()?;
            (points.len() >= 4 && nodes.first() == nodes.last()).then(|| LineString::from(points))
        };
        let mut shapes = Vec::new();
        let mut buildings = Vec::new();
        for way in &osm.ways {
            if let Some(tag) = rule.matches(&way.tags)
                && let Some(ring) = ring(&way.nodes)
            {
                shapes.push((MultiPolygon(vec![Polygon::new(ring, Vec::new())]), tag));
            }
            if way.tags.get("building").is_some_and(|b| b != "no") {
                let points: Vec<(f64, f64)> = way
                    .nodes
                    .iter()
                    .filter_map(|n| osm.coord(*n))
                    .map(|c| plane.project(c))
                    .collect();
                if !points.is_empty() {
                    let n = points.len() as f64;
                    let (x, y) = points.iter().fold((0.0, 0.0), |(x, y), p| (x + p.0, y + p.1));
                    buildings.push([x / n, y / n]);
                }
            }
        }
        let way_index = osm.ways.iter().enumerate().map(|(i, w)| (w.id, i)).collect();
        for relation in &osm.relations {
            if relation.tags.is("type", &["multipolygon"])
                && let Some(tag) = rule.matches(&relation.tags)
                && let Some(shape) = outline(osm, relation, &way_index)
            {
                shapes.push((shape, tag));
            }
        }
        let areas = shapes
            .iter()
            .enumerate()
            .filter_map(|(index, (shape, _))| {
                let rect = shape.bounding_rect()?;
                let corners = Rectangle::from_corners([rect.min().x, rect.min().y], [rect.max().x, rect.max().y]);
                Some(GeomWithData::new(corners, index))
            })
            .collect();
        Surroundings {
            rule: rule.clone(),
            plane,
            areas: RTree::bulk_load(areas),
            shapes,
            buildings: RTree::bulk_load(buildings),
        }
    }

    /// Whether `at` lies in a built-up area, and why.
    pub fn at(&self, at: Coord) -> Option<BuiltUp> {
        let point = Point::new(at.lon, at.lat);
        let inside = self
            .areas
            .locate_in_envelope_intersecting(AABB::from_point([at.lon, at.lat]))
            .find(|area| self.shapes[area.data].0.contains(&point));
        if let Some(area) = inside {
            return Some(BuiltUp::Inside(self.shapes[area.data].1.clone()));
        }
        let (x, y) = self.plane.project(at);
        let within = self.rule.within_m;
        let count = self
            .buildings
            .locate_within_distance([x, y], within * within)
            .take(self.rule.buildings)
            .count();
        (count >= self.rule.buildings).then_some(BuiltUp::Buildings {
            count,
            within_m: within.round() as u32,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule() -> Rule {
        Rule {
            areas: vec!["landuse=residential".into(), "place=village".into()],
            buildings: 3,
            within_m: 100.0,
        }
    }

    #[test]
    fn a_rule_that_cannot_match_is_refused() {
        let mut bad = rule();
        bad.areas.push("landuse".into());
        assert!(bad.check().unwrap_err().contains("\"landuse\""));
        assert!(Rule { buildings: 0, ..rule() }.check().is_err());
        assert!(rule().check().is_ok());
    }
}
