//! Where people live: residential buildings weighted by footprint × levels, scaled to a known
//! total, and summed into square grid zones (250 m by default).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::graph::StreetGraph;
use crate::osm::{Coord, OsmData, Tags};

/// How people are estimated where no total is given.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Parameters {
    /// Floor area (footprint × levels) per resident.
    pub floor_area_per_person_m2: f64,
    /// Where an extract has no homes at all: residents per kilometre of residential street.
    pub people_per_street_km: f64,
}

impl Parameters {
    pub fn check(&self) -> Result<(), String> {
        if !(self.floor_area_per_person_m2.is_finite() && self.floor_area_per_person_m2 >= 1.0) {
            return Err("population.floor_area_per_person_m2 must be at least 1".into());
        }
        if !(self.people_per_street_km.is_finite() && self.people_per_street_km > 0.0) {
            return Err("population.people_per_street_km must be more than 0".into());
        }
        Ok(())
    }

    /// The people the homes hold at this density.
    pub fn estimate(&self, homes: &[Home]) -> f64 {
        homes.iter().map(|h| h.floor_area_m2).sum::<f64>() / self.floor_area_per_person_m2
    }
}

/// Buildings that are homes.
const RESIDENTIAL: &[&str] = &[
    "house",
    "residential",
    "apartments",
    "detached",
    "semidetached_house",
    "terrace",
    "bungalow",
    "dormitory",
    "farm",
];
/// Signs that a building tagged only `building=yes` is not a home.
const NOT_HOMES: &[&str] = &[
    "shop",
    "amenity",
    "office",
    "craft",
    "industrial",
    "tourism",
    "leisure",
    "man_made",
];

/// Whether people are taken to live in a building.
pub fn is_home(tags: &Tags) -> bool {
    match tags.get("building") {
        Some(kind) if RESIDENTIAL.contains(&kind) => true,
        Some("yes") => {
            !NOT_HOMES.iter().any(|key| tags.get(key).is_some()) || tags.is("building:use", &["residential"])
        }
        _ => false,
    }
}

/// Metres east and north of an origin, on a plane that is accurate over a municipality.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plane {
    origin: Coord,
    metres_per_degree_lon: f64,
}

const METRES_PER_DEGREE_LAT: f64 = 111_195.0;

impl Plane {
    pub fn new(origin: Coord) -> Plane {
        Plane {
            origin,
            metres_per_degree_lon: METRES_PER_DEGREE_LAT * origin.lat.to_radians().cos(),
        }
    }

    pub fn project(&self, c: Coord) -> (f64, f64) {
        (
            (c.lon - self.origin.lon) * self.metres_per_degree_lon,
            (c.lat - self.origin.lat) * METRES_PER_DEGREE_LAT,
        )
    }

    pub fn unproject(&self, x: f64, y: f64) -> Coord {
        Coord {
            lat: self.origin.lat + y / METRES_PER_DEGREE_LAT,
            lon: self.origin.lon + x / self.metres_per_degree_lon,
        }
    }
}

/// A home building's weight and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Home {
    pub way: i64,
    pub centre: Coord,
    /// Footprint in square metres × levels.
    pub floor_area_m2: f64,
}

/// Every home in the extract whose outline is complete.
pub fn homes(osm: &OsmData) -> Vec<Home> {
    osm.ways
        .iter()
        .filter(|way| is_home(&way.tags) && way.nodes.len() >= 4)
        .filter_map(|way| {
            let points: Vec<Coord> = way.nodes.iter().map(|n| osm.coord(*n)).collect::<Option<_>>()?;
            let plane = Plane::new(points[0]);
            let xy: Vec<(f64, f64)> = points.iter().map(|c| plane.project(*c)).collect();
            let area = xy
                .windows(2)
                .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
                .sum::<f64>()
                .abs()
                / 2.0;
            let (sx, sy) = xy.iter().fold((0.0, 0.0), |(ax, ay), (x, y)| (ax + x, ay + y));
            let n = xy.len() as f64;
            let levels = way
                .tags
                .get("building:levels")
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(1.0)
                .clamp(1.0, 40.0);
            (area > 0.0).then(|| Home {
                way: way.id,
                centre: plane.unproject(sx / n, sy / n),
                floor_area_m2: area * levels,
            })
        })
        .collect()
}

impl Home {
    pub fn weighted(&self) -> Weighted {
        Weighted {
            at: self.centre,
            weight: self.floor_area_m2,
        }
    }
}

/// A place people live, with a weight: a home's floor area, or a count of residents.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weighted {
    pub at: Coord,
    pub weight: f64,
}

/// The homes, weighted by floor area.
pub fn weighted_homes(homes: &[Home]) -> Vec<Weighted> {
    homes.iter().map(Home::weighted).collect()
}

/// Where the people were taken to live, and how many there are.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    pub places: Vec<Weighted>,
    pub total: f64,
    /// Said to the reader: where the places and the total came from.
    pub source: &'static str,
}

/// Places people: from a population file if given, else in the extract's homes by floor
/// area, else along its residential streets. `total` scales them; without it the file's
/// counts, the floor area per person, or the people per street kilometre decide.
pub fn place_people(
    osm: &OsmData,
    graph: &StreetGraph,
    parameters: &Parameters,
    from_file: Option<Vec<Weighted>>,
    total: Option<f64>,
) -> Placement {
    if let Some(places) = from_file {
        let counted = places.iter().map(|p| p.weight).sum();
        return Placement {
            places,
            total: total.unwrap_or(counted),
            source: "from the population file",
        };
    }
    let homes = homes(osm);
    if homes.is_empty() {
        let places = street_places(graph, osm);
        let street_km: f64 = places.iter().map(|p| p.weight).sum();
        return Placement {
            places,
            total: total.unwrap_or(street_km * parameters.people_per_street_km),
            source: "no homes in the extract: spread along the residential streets",
        };
    }
    Placement {
        total: total.unwrap_or_else(|| parameters.estimate(&homes)),
        places: weighted_homes(&homes),
        source: if total.is_some() {
            "given, spread over the homes by floor area"
        } else {
            "estimated from the homes' floor area"
        },
    }
}

/// Where an extract has no homes: the middle of each residential street segment, weighted by
/// its length in kilometres (every street segment if none is residential).
pub fn street_places(graph: &StreetGraph, osm: &OsmData) -> Vec<Weighted> {
    let residential = |s: &crate::graph::Segment| {
        osm.ways[s.way_index]
            .tags
            .is("highway", &["residential", "living_street"])
    };
    let any_residential = graph.segments.iter().any(residential);
    graph
        .segments
        .iter()
        .filter(|s| !any_residential || residential(s))
        .filter_map(|s| {
            let middle = osm.coord(s.nodes[s.nodes.len() / 2])?;
            Some(Weighted {
                at: middle,
                weight: s.length_m / 1000.0,
            })
        })
        .collect()
}

/// What is wrong with a population file; each message names the file and the place in it.
#[derive(Debug, thiserror::Error)]
pub enum PopulationError {
    #[error("cannot read the population file {path}: {source}")]
    Unreadable { path: PathBuf, source: std::io::Error },
    #[error("the population file {path} is not valid CSV with columns lat, lon, population: {detail}")]
    BadCsv { path: PathBuf, detail: String },
    #[error("the population file {path} is not GeoJSON: {detail}")]
    BadGeoJson { path: PathBuf, detail: String },
    #[error("the population file {path}, {place}: {problem}")]
    BadPlace {
        path: PathBuf,
        place: String,
        problem: String,
    },
    #[error("the population file {path} holds nobody")]
    Empty { path: PathBuf },
}

#[derive(serde::Deserialize)]
struct CsvPlace {
    lat: f64,
    lon: f64,
    population: f64,
}

/// Residents at points or in zones, from CSV (`lat`, `lon`, `population`) or GeoJSON (points
/// or polygons with a numeric `population` property; a polygon counts at its middle).
pub fn read_places(path: &Path) -> Result<Vec<Weighted>, PopulationError> {
    let text = std::fs::read_to_string(path).map_err(|source| PopulationError::Unreadable {
        path: path.to_owned(),
        source,
    })?;
    parse_places(path, &text)
}

/// The places in a population file's text; `path` gives the format and names it in errors.
pub fn parse_places(path: &Path, text: &str) -> Result<Vec<Weighted>, PopulationError> {
    let bad_place = |place: String, problem: String| PopulationError::BadPlace {
        path: path.to_owned(),
        place,
        problem,
    };
    let check = |place: String, at: Coord, people: f64| -> Result<Weighted, PopulationError> {
        if !(-90.0..=90.0).contains(&at.lat) || !(-180.0..=180.0).contains(&at.lon) {
            return Err(bad_place(
                place,
                format!("coordinates out of range (lat {}, lon {})", at.lat, at.lon),
            ));
        }
        if !(people.is_finite() && people >= 0.0) {
            return Err(bad_place(
                place,
                format!("population {people} is not a count of people"),
            ));
        }
        Ok(Weighted { at, weight: people })
    };
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("geojson") || e.eq_ignore_ascii_case("json"))
        || text.trim_start().starts_with('{');
    let places = if is_json {
        use geo::Centroid;
        let bad = |detail: String| PopulationError::BadGeoJson {
            path: path.to_owned(),
            detail,
        };
        let collection: geojson::FeatureCollection = crate::geojson_text::parse(text).map_err(bad)?;
        let mut places = Vec::new();
        for (index, feature) in collection.features.into_iter().enumerate() {
            let place = format!("feature {}", index + 1);
            let people = feature
                .property("population")
                .and_then(|v| v.as_f64())
                .ok_or_else(|| bad_place(place.clone(), "no numeric population property".into()))?;
            let geometry = feature
                .geometry
                .ok_or_else(|| bad_place(place.clone(), "no geometry".into()))?;
            let shape =
                geo::Geometry::<f64>::try_from(geometry).map_err(|e| bad_place(place.clone(), e.to_string()))?;
            let middle = shape
                .centroid()
                .ok_or_else(|| bad_place(place.clone(), "an empty geometry".into()))?;
            places.push(check(
                place,
                Coord {
                    lat: middle.y(),
                    lon: middle.x(),
                },
                people,
            )?);
        }
        places
    } else {
        let mut reader = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .from_reader(text.as_bytes());
        let mut places = Vec::new();
        for row in reader.deserialize::<CsvPlace>() {
            let row = row.map_err(|e| PopulationError::BadCsv {
                path: path.to_owned(),
                detail: e.to_string(),
            })?;
            let line = format!("line {}", places.len() + 2);
            places.push(check(
                line,
                Coord {
                    lat: row.lat,
                    lon: row.lon,
                },
                row.population,
            )?);
        }
        places
    };
    if places.iter().all(|p| p.weight == 0.0) {
        return Err(PopulationError::Empty { path: path.to_owned() });
    }
    Ok(places)
}

/// One square of the grid with the people living in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    pub column: i64,
    pub row: i64,
    /// The middle of the square.
    pub centre: Coord,
    /// The middle of its people: where trips from the zone start.
    pub people_centre: Coord,
    pub population: f64,
}

/// Spreads `total` people over the places by weight and sums them per grid square of
/// `cell_m` metres. Returns the zones with people, west to east, south to north.
pub fn zones(places: &[Weighted], total: f64, cell_m: f64) -> Vec<Zone> {
    let weight: f64 = places.iter().map(|p| p.weight).sum();
    let Some(first) = places.first() else { return Vec::new() };
    if weight <= 0.0 || cell_m <= 0.0 {
        return Vec::new();
    }
    let south_west = places.iter().fold(first.at, |a, p| Coord {
        lat: a.lat.min(p.at.lat),
        lon: a.lon.min(p.at.lon),
    });
    let plane = Plane::new(south_west);
    // Per square: people, and the sums of their positions for the middle of them.
    let mut cells: BTreeMap<(i64, i64), (f64, f64, f64)> = BTreeMap::new();
    for place in places.iter().filter(|p| p.weight > 0.0) {
        let (x, y) = plane.project(place.at);
        let key = ((x / cell_m).floor() as i64, (y / cell_m).floor() as i64);
        let people = total * place.weight / weight;
        let cell = cells.entry(key).or_default();
        *cell = (cell.0 + people, cell.1 + people * x, cell.2 + people * y);
    }
    cells
        .into_iter()
        .map(|((column, row), (population, sx, sy))| Zone {
            column,
            row,
            centre: plane.unproject((column as f64 + 0.5) * cell_m, (row as f64 + 0.5) * cell_m),
            people_centre: plane.unproject(sx / population, sy / population),
            population,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(pairs: &[(&str, &str)]) -> Tags {
        pairs.iter().copied().collect()
    }

    #[test]
    fn homes_are_residential_buildings_or_plain_buildings_without_other_uses() {
        assert!(is_home(&tags(&[("building", "house")])));
        assert!(is_home(&tags(&[("building", "yes")])));
        assert!(!is_home(&tags(&[("building", "yes"), ("shop", "supermarket")])));
        assert!(is_home(&tags(&[
            ("building", "yes"),
            ("shop", "bakery"),
            ("building:use", "residential")
        ])));
        assert!(!is_home(&tags(&[("building", "industrial")])));
        assert!(!is_home(&tags(&[("highway", "residential")])));
    }

    #[test]
    fn the_plane_keeps_distances_over_a_town() {
        let plane = Plane::new(Coord { lat: 56.83, lon: 24.23 });
        let (x, y) = plane.project(Coord { lat: 56.84, lon: 24.25 });
        assert!((y - 1111.95).abs() < 0.01);
        assert!((x - 1217.0).abs() < 1.0, "{x}");
        let back = plane.unproject(x, y);
        assert!((back.lat - 56.84).abs() < 1e-9 && (back.lon - 24.25).abs() < 1e-9);
    }

    #[test]
    fn people_follow_floor_area_into_zones() {
        let home = |way, lat, lon, floor_area_m2| Home {
            way,
            centre: Coord { lat, lon },
            floor_area_m2,
        };
        // Two homes in one 250 m square, a block of flats three times their floor area in another.
        let homes = [
            home(1, 56.8300, 24.2300, 100.0),
            home(2, 56.8301, 24.2301, 100.0),
            home(3, 56.8400, 24.2300, 600.0),
        ];
        let zones = zones(&weighted_homes(&homes), 800.0, 250.0);
        let people: Vec<(i64, i64, f64)> = zones
            .iter()
            .map(|z| (z.column, z.row, (z.population * 10.0).round() / 10.0))
            .collect();
        assert_eq!(people, [(0, 0, 200.0), (0, 4, 600.0)]);
        assert!(super::zones(&[], 800.0, 250.0).is_empty());
    }
}
