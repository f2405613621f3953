//! The area an analysis covers: an administrative boundary found by name in the extract, or a
//! polygon from a GeoJSON file. Clipping keeps what lies inside and cuts streets at its edge.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use geo::{Contains, Coord as GeoCoord, LineString, MultiPolygon, Point, Polygon};

use super::{Coord, MemberKind, OsmData, Relation};

/// The polygons of an area, in longitude/latitude.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    pub name: String,
    shape: MultiPolygon<f64>,
}

#[derive(Debug, thiserror::Error)]
pub enum AreaError {
    #[error("the extract has no boundary named \"{name}\"; boundaries it has: {known}")]
    NotFound { name: String, known: String },
    #[error("the boundary \"{name}\" is incomplete in the extract: its outline does not close")]
    Incomplete { name: String },
    #[error("cannot read the area file {path}: {source}")]
    Unreadable { path: PathBuf, source: std::io::Error },
    #[error("the area file {path} is not GeoJSON: {detail}")]
    BadGeoJson { path: PathBuf, detail: String },
    #[error("the area file {path} holds no polygon")]
    NoPolygon { path: PathBuf },
    #[error("nothing to analyse inside {name}: no streets lie within it")]
    NoStreetsInside { name: String },
}

impl Area {
    /// The administrative boundary with this name (or `name:lv`, `name:en`, `official_name`),
    /// ignoring case. Where several match, the lowest admin level wins.
    pub fn by_name(osm: &OsmData, name: &str) -> Result<Area, AreaError> {
        let wanted = name.trim().to_lowercase();
        let names = |r: &Relation| {
            ["name", "name:lv", "name:en", "official_name"]
                .into_iter()
                .filter_map(|key| r.tags.get(key).map(str::to_owned))
                .collect::<Vec<_>>()
        };
        let boundaries: Vec<&Relation> = osm
            .relations
            .iter()
            .filter(|r| r.tags.is("boundary", &["administrative"]))
            .collect();
        let level = |r: &Relation| {
            r.tags
                .get("admin_level")
                .and_then(|l| l.parse::<u32>().ok())
                .unwrap_or(99)
        };
        let Some(found) = boundaries
            .iter()
            .filter(|r| names(r).iter().any(|n| n.to_lowercase() == wanted))
            .min_by_key(|r| level(r))
        else {
            let mut known: Vec<String> = boundaries
                .iter()
                .filter_map(|r| r.tags.get("name").map(str::to_owned))
                .collect();
            known.sort();
            known.dedup();
            let known = if known.is_empty() {
                "none".to_owned()
            } else {
                let more = known.len().saturating_sub(12);
                let mut list = known.into_iter().take(12).collect::<Vec<_>>().join(", ");
                if more > 0 {
                    list.push_str(&format!(" and {more} more"));
                }
                list
            };
            return Err(AreaError::NotFound {
                name: name.to_owned(),
                known,
            });
        };
        let way_index: HashMap<i64, usize> = osm.ways.iter().enumerate().map(|(i, w)| (w.id, i)).collect();
        let shape = outline(osm, found, &way_index).ok_or_else(|| AreaError::Incomplete { name: name.to_owned() })?;
        Ok(Area {
            name: found.tags.get("name").unwrap_or(name).to_owned(),
            shape,
        })
    }

    /// The polygons in a GeoJSON file: a geometry, a feature or a feature collection.
    pub fn from_geojson(path: &Path) -> Result<Area, AreaError> {
        let text = std::fs::read_to_string(path).map_err(|source| AreaError::Unreadable {
            path: path.to_owned(),
            source,
        })?;
        Area::parse_geojson(path, &text)
    }

    /// The polygons in GeoJSON text; `path` names it in errors and gives the area its name.
    pub fn parse_geojson(path: &Path, text: &str) -> Result<Area, AreaError> {
        let bad = |detail: String| AreaError::BadGeoJson {
            path: path.to_owned(),
            detail,
        };
        let document: geojson::GeoJson = crate::geojson_text::parse(text).map_err(bad)?;
        let collection = geo::GeometryCollection::<f64>::try_from(&document).map_err(|e| bad(e.to_string()))?;
        let mut polygons = Vec::new();
        for geometry in collection {
            match geometry {
                geo::Geometry::Polygon(p) => polygons.push(p),
                geo::Geometry::MultiPolygon(m) => polygons.extend(m),
                _ => {}
            }
        }
        if polygons.is_empty() {
            return Err(AreaError::NoPolygon { path: path.to_owned() });
        }
        Ok(Area {
            name: path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            shape: MultiPolygon(polygons),
        })
    }

    /// The outer ring of each polygon, as longitude/latitude pairs.
    pub fn outer_rings(&self) -> Vec<Vec<[f64; 2]>> {
        self.shape
            .iter()
            .map(|polygon| polygon.exterior().coords().map(|c| [c.x, c.y]).collect())
            .collect()
    }

    pub fn contains(&self, at: Coord) -> bool {
        self.shape.contains(&Point::new(at.lon, at.lat))
    }
}

/// The polygons a boundary or multipolygon relation outlines, with their holes; `None` when
/// its outline does not close in the extract. `way_index` finds a way by its id.
pub(crate) fn outline(
    osm: &OsmData,
    relation: &Relation,
    way_index: &HashMap<i64, usize>,
) -> Option<MultiPolygon<f64>> {
    let ring_ways = |role: &str| -> Vec<Vec<Coord>> {
        relation
            .members
            .iter()
            .filter(|m| m.kind == MemberKind::Way && (m.role == role || (role == "outer" && m.role.is_empty())))
            .filter_map(|m| way_index.get(&m.id).map(|i| &osm.ways[*i]))
            .map(|w| w.nodes.iter().filter_map(|n| osm.coord(*n)).collect())
            .collect()
    };
    let outers = rings(ring_ways("outer"))?;
    let inners = rings(ring_ways("inner"))?;
    if outers.is_empty() {
        return None;
    }
    let polygons = outers
        .into_iter()
        .map(|outer| {
            let plain = Polygon::new(outer.clone(), Vec::new());
            let holes = inners
                .iter()
                .filter(|inner| plain.contains(&Point(inner.0[0])))
                .cloned()
                .collect();
            Polygon::new(outer, holes)
        })
        .collect();
    Some(MultiPolygon(polygons))
}

/// Joins ways end to end into closed rings; `None` if some do not close.
fn rings(mut ways: Vec<Vec<Coord>>) -> Option<Vec<LineString<f64>>> {
    ways.retain(|w| w.len() >= 2);
    let mut rings = Vec::new();
    while let Some(mut ring) = ways.pop() {
        while ring.first() != ring.last() {
            let end = *ring.last()?;
            let next = ways.iter().position(|w| w[0] == end || w[w.len() - 1] == end)?;
            let mut way = ways.swap_remove(next);
            if way[0] != end {
                way.reverse();
            }
            ring.extend_from_slice(&way[1..]);
        }
        if ring.len() < 4 {
            return None;
        }
        rings.push(LineString::from(
            ring.iter().map(|c| GeoCoord { x: c.lon, y: c.lat }).collect::<Vec<_>>(),
        ));
    }
    Some(rings)
}

impl OsmData {
    /// Keeps only what lies inside `area`: nodes outside are dropped, and streets are cut where
    /// they leave it, like streets at the edge of an extract.
    pub fn clip(&mut self, area: &Area) -> Result<(), AreaError> {
        self.coords.retain(|_, at| area.contains(*at));
        self.node_tags.retain(|id, _| self.coords.contains_key(id));
        self.cut_to_present_nodes();
        if !self.has_streets() {
            return Err(AreaError::NoStreetsInside {
                name: area.name.clone(),
            });
        }
        Ok(())
    }
}
