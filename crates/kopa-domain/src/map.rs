//! A workspace's own base map: the municipality's outline and its streets, so that maps need
//! no tile server. Places are checked against the outline, and pages draw the map as SVG in
//! one fixed projection.

use std::collections::BTreeMap;

use geo::{ConvexHull, Coord, Intersects, LineString, MultiPoint, MultiPolygon, Point, Polygon, Simplify};
use serde::{Deserialize, Serialize};

use crate::code_enum;
use crate::idea::Place;

code_enum! {
    /// How a street is drawn: main roads boldest, cycle paths dashed.
    StreetClass {
        Major => "major",
        Minor => "minor",
        Path => "path",
    }
}

impl StreetClass {
    /// The class of an OpenStreetMap `highway` value; `None` for what a base map leaves out
    /// (service roads, tracks, footways, steps).
    pub fn of_highway(highway: &str) -> Option<StreetClass> {
        let base = highway.strip_suffix("_link").unwrap_or(highway);
        match base {
            "motorway" | "trunk" | "primary" | "secondary" => Some(StreetClass::Major),
            "tertiary" | "unclassified" | "residential" | "living_street" | "pedestrian" | "road" => {
                Some(StreetClass::Minor)
            }
            "cycleway" | "path" => Some(StreetClass::Path),
            _ => None,
        }
    }
}

code_enum! {
    /// How large a named place is drawn: towns largest.
    PlaceSize {
        Town => "town",
        Village => "village",
        Local => "local",
    }
}

impl PlaceSize {
    /// The size of an OpenStreetMap `place` value; `None` for what a base map leaves unnamed
    /// (single farms, islands, plots).
    pub fn of_place(place: &str) -> Option<PlaceSize> {
        match place {
            "city" | "town" => Some(PlaceSize::Town),
            "village" | "suburb" => Some(PlaceSize::Village),
            "hamlet" | "neighbourhood" | "quarter" => Some(PlaceSize::Local),
            _ => None,
        }
    }
}

code_enum! {
    /// How water is drawn: a river as a line, a lake or a wide river's banks as an area.
    WaterShape {
        Line => "line",
        Area => "area",
    }
}

impl WaterShape {
    /// How an OpenStreetMap way with these `natural` and `waterway` values is drawn:
    /// `waterway=river` or `canal` as a line, a closed `natural=water` as an area; `None` for
    /// the rest (streams and ditches are too many to show).
    pub fn of_way(natural: Option<&str>, waterway: Option<&str>, closed: bool) -> Option<WaterShape> {
        if natural == Some("water") && closed {
            Some(WaterShape::Area)
        } else if matches!(waterway, Some("river" | "canal")) {
            Some(WaterShape::Line)
        } else {
            None
        }
    }
}

/// A river, canal or lake on the base map: people find their way by water as much as by
/// streets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Water {
    pub shape: WaterShape,
    pub name: Option<String>,
    /// Longitude/latitude; an area's ring is closed.
    pub points: Vec<[f64; 2]>,
}

/// A named place the base map labels, so that people find their way on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceName {
    pub name: String,
    /// Longitude/latitude.
    pub at: [f64; 2],
    pub size: PlaceSize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Street {
    pub class: StreetClass,
    pub name: Option<String>,
    /// Longitude/latitude.
    pub points: Vec<[f64; 2]>,
}

/// The base map of a workspace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Backdrop {
    /// The outer rings of the municipality's area, longitude/latitude, each closed.
    pub outline: Vec<Vec<[f64; 2]>>,
    pub streets: Vec<Street>,
    /// The towns, villages and neighbourhoods inside the outline; base maps stored before
    /// places were labelled have none.
    #[serde(default)]
    pub places: Vec<PlaceName>,
    /// Rivers and lakes in and around the municipality; base maps stored before water was
    /// drawn have none.
    #[serde(default)]
    pub water: Vec<Water>,
    /// Where it comes from, shown under every map ("© OpenStreetMap contributors").
    pub attribution: String,
}

/// Longitude/latitude points along a line.
type Line = Vec<[f64; 2]>;

/// About 3 m at Latvian latitudes: finer than a page can show.
const SIMPLIFY_DEGREES: f64 = 0.00003;

/// Positions in the text of SVG paths and GeoJSON: 0.1 px, or about 1 cm.
fn round(x: f64, places: i32) -> f64 {
    let factor = 10f64.powi(places);
    (x * factor).round() / factor
}

fn line(points: &[[f64; 2]]) -> LineString<f64> {
    LineString::from(points.iter().map(|p| Coord { x: p[0], y: p[1] }).collect::<Vec<_>>())
}

fn positions(line: &LineString<f64>) -> Vec<[f64; 2]> {
    line.coords().map(|c| [round(c.x, 6), round(c.y, 6)]).collect()
}

impl Backdrop {
    /// A base map from an outline and streets. Streets are simplified to what a page can show;
    /// without an outline, the hull around the streets stands in for it.
    pub fn new(outline: Vec<Vec<[f64; 2]>>, streets: Vec<Street>, attribution: &str) -> Option<Backdrop> {
        let streets: Vec<Street> = streets
            .into_iter()
            .filter(|s| s.points.len() >= 2)
            .map(|s| Street {
                points: positions(&line(&s.points).simplify(SIMPLIFY_DEGREES)),
                ..s
            })
            .collect();
        let mut outline: Vec<Vec<[f64; 2]>> = outline
            .iter()
            .filter(|ring| ring.len() >= 4)
            .map(|ring| positions(&line(ring).simplify(SIMPLIFY_DEGREES)))
            .collect();
        if outline.is_empty() {
            let points: MultiPoint<f64> = streets
                .iter()
                .flat_map(|s| s.points.iter().map(|p| Point::new(p[0], p[1])))
                .collect();
            let hull = points.convex_hull();
            if hull.exterior().0.len() >= 4 {
                outline.push(positions(hull.exterior()));
            }
        }
        if outline.is_empty() {
            return None;
        }
        Some(Backdrop {
            outline,
            streets,
            places: Vec::new(),
            water: Vec::new(),
            attribution: attribution.to_owned(),
        })
    }

    /// The base map with the water that touches the outline's bounds, simplified as streets
    /// are: a river along the boundary is drawn where it runs, whichever bank it belongs to.
    pub fn with_water(mut self, water: Vec<Water>) -> Backdrop {
        let bounds = self.bounds();
        self.water = water
            .into_iter()
            .filter(|w| w.points.len() >= 2 && w.points.iter().any(|p| bounds.contains(*p)))
            .map(|w| Water {
                points: positions(&line(&w.points).simplify(SIMPLIFY_DEGREES)),
                ..w
            })
            .collect();
        self
    }

    /// The base map with the named places that lie inside its outline, largest first.
    pub fn with_places(mut self, places: Vec<PlaceName>) -> Backdrop {
        let shape = self.shape();
        self.places = places
            .into_iter()
            .filter(|p| shape.intersects(&Point::new(p.at[0], p.at[1])))
            .collect();
        let rank = |size: PlaceSize| match size {
            PlaceSize::Town => 0,
            PlaceSize::Village => 1,
            PlaceSize::Local => 2,
        };
        self.places
            .sort_by(|a, b| rank(a.size).cmp(&rank(b.size)).then_with(|| a.name.cmp(&b.name)));
        self
    }

    fn shape(&self) -> MultiPolygon<f64> {
        MultiPolygon(
            self.outline
                .iter()
                .map(|ring| Polygon::new(line(ring), vec![]))
                .collect(),
        )
    }

    pub fn bounds(&self) -> Bounds {
        let mut bounds = Bounds::EMPTY;
        for p in self.outline.iter().flatten() {
            bounds = bounds.including(*p);
        }
        bounds
    }

    /// Whether a place touches the municipality's area.
    pub fn contains(&self, place: &Place) -> bool {
        let shape = self.shape();
        match place {
            Place::Point(p) => shape.intersects(&Point::new(p[0], p[1])),
            Place::LineString(points) => shape.intersects(&line(points)),
            Place::Polygon(rings) => shape.intersects(&Polygon::new(line(&rings[0]), vec![])),
        }
    }

    /// The outline and streets as SVG path data in `projection`, one path per street class.
    pub fn svg(&self, projection: &Projection) -> SvgBackdrop {
        let path = |points: &[[f64; 2]], close: bool| projection.path(points, close);
        let class = |class: StreetClass| -> String {
            self.streets
                .iter()
                .filter(|s| s.class == class)
                .map(|s| path(&s.points, false))
                .collect()
        };
        let water = |shape: WaterShape| -> String {
            self.water
                .iter()
                .filter(|w| w.shape == shape)
                .map(|w| path(&w.points, shape == WaterShape::Area))
                .collect()
        };
        SvgBackdrop {
            outline: self.outline.iter().map(|ring| path(ring, true)).collect(),
            water_areas: water(WaterShape::Area),
            rivers: water(WaterShape::Line),
            major: class(StreetClass::Major),
            minor: class(StreetClass::Minor),
            paths: class(StreetClass::Path),
            labels: self
                .labels()
                .into_iter()
                .map(|(at, text, kind)| {
                    let (x, y) = projection.project(at);
                    Label { x, y, text, kind }
                })
                .collect(),
        }
    }

    /// What the map names, and where: each place at its point, each named river or lake and
    /// each named main road once, at the middle of its longest piece on the map.
    pub fn labels(&self) -> Vec<([f64; 2], String, LabelKind)> {
        let mut labels: Vec<([f64; 2], String, LabelKind)> = self
            .places
            .iter()
            .map(|p| (p.at, p.name.clone(), LabelKind::Place(p.size)))
            .collect();
        // By style and name, the longest piece on the map and what it names.
        let bounds = self.bounds();
        let mut longest: BTreeMap<(String, &str), (LabelKind, Line)> = BTreeMap::new();
        let named_water = self
            .water
            .iter()
            .filter_map(|w| Some((w.name.as_deref()?, LabelKind::Water, &w.points)));
        let named_roads = self
            .streets
            .iter()
            .filter(|s| s.class == StreetClass::Major)
            .filter_map(|s| Some((s.name.as_deref()?, LabelKind::Road, &s.points)));
        for (name, kind, points) in named_water.chain(named_roads) {
            let on_map: Vec<[f64; 2]> = points.iter().copied().filter(|p| bounds.contains(*p)).collect();
            let piece = longest.entry((kind.class(), name)).or_insert((kind, Vec::new()));
            if on_map.len() > piece.1.len() {
                piece.1 = on_map;
            }
        }
        labels.extend(
            longest
                .into_iter()
                .filter(|(_, (_, points))| !points.is_empty())
                .map(|((_, name), (kind, points))| (middle(&points), name.to_owned(), kind)),
        );
        labels
    }

    /// The street whose name matches `name` (ignoring case and diacritics), at its middle: an
    /// address typed without a map.
    pub fn find_street(&self, name: &str) -> Option<[f64; 2]> {
        let wanted = crate::search::fold(name);
        if wanted.is_empty() {
            return None;
        }
        let street = self
            .streets
            .iter()
            .filter(|s| s.name.as_deref().is_some_and(|n| crate::search::fold(n) == wanted))
            .max_by(|a, b| a.points.len().cmp(&b.points.len()))?;
        Some(middle(&street.points))
    }

    /// The base map as a GeoJSON feature collection, for the interactive map.
    pub fn to_geojson(&self) -> serde_json::Value {
        let outline = self.outline.iter().map(|ring| {
            serde_json::json!({
                "type": "Feature",
                "properties": { "layer": "outline" },
                "geometry": { "type": "Polygon", "coordinates": [ring] },
            })
        });
        let streets = self.streets.iter().map(|s| {
            serde_json::json!({
                "type": "Feature",
                "properties": { "layer": s.class, "name": s.name },
                "geometry": { "type": "LineString", "coordinates": s.points },
            })
        });
        let water = self.water.iter().map(|w| {
            let geometry = match w.shape {
                WaterShape::Area => serde_json::json!({ "type": "Polygon", "coordinates": [w.points] }),
                WaterShape::Line => serde_json::json!({ "type": "LineString", "coordinates": w.points }),
            };
            serde_json::json!({
                "type": "Feature",
                "properties": { "layer": "water", "shape": w.shape, "name": w.name },
                "geometry": geometry,
            })
        });
        let labels = self.labels().into_iter().map(|(at, name, kind)| {
            serde_json::json!({
                "type": "Feature",
                "properties": { "layer": "label", "name": name, "class": kind.class() },
                "geometry": { "type": "Point", "coordinates": at },
            })
        });
        serde_json::json!({
            "type": "FeatureCollection",
            "attribution": self.attribution,
            "features": outline.chain(water).chain(streets).chain(labels).collect::<Vec<_>>(),
        })
    }
}

/// The middle of a line: halfway between its two middle points.
fn middle(points: &[[f64; 2]]) -> [f64; 2] {
    let n = points.len();
    let (a, b) = (points[(n - 1) / 2], points[n / 2]);
    [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0]
}

/// The base map drawn as SVG path data.
#[derive(Debug, Clone, PartialEq)]
pub struct SvgBackdrop {
    pub outline: String,
    pub water_areas: String,
    pub rivers: String,
    pub major: String,
    pub minor: String,
    pub paths: String,
    pub labels: Vec<Label>,
}

/// What a name on the map names: each kind is drawn in its own style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelKind {
    Place(PlaceSize),
    Road,
    Water,
}

impl LabelKind {
    /// The name of its style: "place-town", "road", "water".
    pub fn class(self) -> String {
        match self {
            LabelKind::Place(size) => format!("place-{size}"),
            LabelKind::Road => "road".to_owned(),
            LabelKind::Water => "water".to_owned(),
        }
    }
}

/// A name where the SVG map draws it.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub x: f64,
    pub y: f64,
    pub text: String,
    pub kind: LabelKind,
}

/// A longitude/latitude rectangle.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Bounds {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

impl Bounds {
    /// The least bounds holding every point.
    pub fn around<'a>(points: impl IntoIterator<Item = &'a [f64; 2]>) -> Bounds {
        points.into_iter().fold(Bounds::EMPTY, |bounds, p| bounds.including(*p))
    }

    const EMPTY: Bounds = Bounds {
        west: f64::INFINITY,
        south: f64::INFINITY,
        east: f64::NEG_INFINITY,
        north: f64::NEG_INFINITY,
    };

    fn including(self, p: [f64; 2]) -> Bounds {
        Bounds {
            west: self.west.min(p[0]),
            south: self.south.min(p[1]),
            east: self.east.max(p[0]),
            north: self.north.max(p[1]),
        }
    }

    pub fn contains(&self, p: [f64; 2]) -> bool {
        (self.west..=self.east).contains(&p[0]) && (self.south..=self.north).contains(&p[1])
    }

    /// Reads "west,south,east,north", as in a map's address; `None` unless it is a real
    /// rectangle.
    pub fn parse(text: &str) -> Option<Bounds> {
        let numbers: Vec<f64> = text.split(',').map(|n| n.trim().parse().ok()).collect::<Option<_>>()?;
        let [west, south, east, north] = numbers[..] else {
            return None;
        };
        let bounds = Bounds {
            west,
            south,
            east,
            north,
        };
        let finite = numbers.iter().all(|n| n.is_finite());
        (finite && west < east && south < north).then_some(bounds)
    }
}

impl std::fmt::Display for Bounds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{},{},{},{}",
            round(self.west, 5),
            round(self.south, 5),
            round(self.east, 5),
            round(self.north, 5)
        )
    }
}

/// Longitude/latitude onto a page: equirectangular, with longitude shortened by the cosine of
/// the middle latitude, which keeps shapes true at a municipality's scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Projection {
    pub bounds: Bounds,
    pub width: f64,
    pub height: f64,
}

impl Projection {
    /// Fits `bounds`, with a margin of 3 % around, into `width` page units.
    pub fn fit(bounds: Bounds, width: f64) -> Projection {
        let margin_x = (bounds.east - bounds.west) * 0.03;
        let margin_y = (bounds.north - bounds.south) * 0.03;
        let bounds = Bounds {
            west: bounds.west - margin_x,
            south: bounds.south - margin_y,
            east: bounds.east + margin_x,
            north: bounds.north + margin_y,
        };
        let shrink = ((bounds.north + bounds.south) / 2.0).to_radians().cos();
        let aspect = (bounds.north - bounds.south) / ((bounds.east - bounds.west) * shrink);
        Projection {
            bounds,
            width,
            height: round(width * aspect, 0).max(1.0),
        }
    }

    pub fn project(&self, p: [f64; 2]) -> (f64, f64) {
        let b = &self.bounds;
        (
            (p[0] - b.west) / (b.east - b.west) * self.width,
            (b.north - p[1]) / (b.north - b.south) * self.height,
        )
    }

    /// SVG path data of a line, or of a ring when `close`, in this projection.
    pub fn path(&self, points: &[[f64; 2]], close: bool) -> String {
        svg_path(points.iter().map(|p| self.project(*p)), close)
    }

    pub fn unproject(&self, x: f64, y: f64) -> [f64; 2] {
        let b = &self.bounds;
        [
            b.west + x / self.width * (b.east - b.west),
            b.north - y / self.height * (b.north - b.south),
        ]
    }
}

/// SVG path data through points already in page units, to a tenth of a unit.
pub fn svg_path(points: impl IntoIterator<Item = (f64, f64)>, close: bool) -> String {
    use std::fmt::Write;
    let mut d = String::new();
    for (i, (x, y)) in points.into_iter().enumerate() {
        let _ = write!(d, "{}{x:.1} {y:.1}", if i == 0 { 'M' } else { 'L' });
    }
    if close {
        d.push('Z');
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square() -> Backdrop {
        let ring = vec![[24.0, 56.8], [24.2, 56.8], [24.2, 56.9], [24.0, 56.9], [24.0, 56.8]];
        let street = Street {
            class: StreetClass::Major,
            name: Some("Rīgas iela".into()),
            points: vec![[24.05, 56.85], [24.10, 56.85], [24.15, 56.85]],
        };
        Backdrop::new(vec![ring], vec![street], "test").expect("a backdrop")
    }

    #[test]
    fn places_inside_and_outside_the_outline() {
        let map = square();
        assert!(map.contains(&Place::Point([24.1, 56.85])));
        assert!(!map.contains(&Place::Point([25.0, 56.85])));
        // A line that only crosses into the area still touches it.
        assert!(map.contains(&Place::LineString(vec![[23.9, 56.85], [24.1, 56.85]])));
        assert!(!map.contains(&Place::LineString(vec![[23.0, 56.0], [23.1, 56.1]])));
    }

    #[test]
    fn projection_round_trips_and_keeps_shapes() {
        let map = square();
        let projection = Projection::fit(map.bounds(), 1000.0);
        // A degree of longitude at 56.85° N is cos(56.85°) of a degree of latitude.
        let expected = 0.1 / (0.2 * 56.85f64.to_radians().cos());
        assert!((projection.height / projection.width - expected).abs() < 0.01);
        let (x, y) = projection.project([24.1, 56.85]);
        let back = projection.unproject(x, y);
        assert!((back[0] - 24.1).abs() < 1e-9 && (back[1] - 56.85).abs() < 1e-9);
        assert!((x - 500.0).abs() < 1e-6, "the middle maps to the middle, got {x}");
    }

    #[test]
    fn without_an_outline_the_streets_hull_stands_in() {
        let streets = vec![Street {
            class: StreetClass::Minor,
            name: None,
            points: vec![[24.0, 56.8], [24.1, 56.9], [24.2, 56.8]],
        }];
        let map = Backdrop::new(vec![], streets, "test").expect("a hull");
        assert!(map.contains(&Place::Point([24.1, 56.83])));
        assert!(Backdrop::new(vec![], vec![], "test").is_none());
    }

    #[test]
    fn streets_are_found_by_name_without_diacritics() {
        let map = square();
        assert_eq!(map.find_street("rigas iela"), Some([24.10, 56.85]));
        assert_eq!(map.find_street("Nav tādas"), None);
    }

    #[test]
    fn bounds_are_read_from_addresses_and_refused_when_odd() {
        let b = Bounds::parse("24,56.8,24.2,56.9").expect("bounds");
        assert!(b.contains([24.1, 56.85]));
        assert_eq!(b.to_string(), "24,56.8,24.2,56.9");
        assert!(Bounds::parse("24,56.8,23,56.9").is_none());
        assert!(Bounds::parse("a,b,c,d").is_none());
        assert!(Bounds::parse("NaN,1,2,3").is_none());
    }

    #[test]
    fn svg_paths_follow_the_projection() {
        let map = square();
        let projection = Projection::fit(map.bounds(), 1000.0);
        let svg = map.svg(&projection);
        assert!(svg.outline.starts_with('M') && svg.outline.ends_with('Z'));
        assert_eq!(svg.major.matches('M').count(), 1);
        assert!(svg.minor.is_empty() && svg.paths.is_empty());
    }

    #[test]
    fn water_along_the_edge_is_drawn_and_named_once_at_its_longest_piece() {
        let river = |points: Vec<[f64; 2]>| Water {
            shape: WaterShape::Line,
            name: Some("Daugava".into()),
            points,
        };
        let far_away = river(vec![[30.0, 50.0], [30.1, 50.1]]);
        let short = river(vec![[24.0, 56.9], [24.01, 56.91]]);
        // Half of it runs off the map, east of 24.2°.
        let long = river(vec![
            [24.17, 56.8],
            [24.18, 56.85],
            [24.19, 56.9],
            [24.25, 56.8],
            [24.3, 56.8],
        ]);
        let map = square().with_water(vec![far_away, short, long]);
        assert_eq!(map.water.len(), 2, "water that never enters the map is left out");
        let labels = map.labels();
        let daugava: Vec<_> = labels.iter().filter(|l| l.1 == "Daugava").collect();
        assert_eq!(daugava.len(), 1);
        let ([lon, lat], kind) = (daugava[0].0, daugava[0].2);
        assert!(
            (lon - 24.18).abs() < 1e-9 && (lat - 56.85).abs() < 1e-9,
            "at {lon}, {lat}"
        );
        assert_eq!(kind, LabelKind::Water);
        let road: Vec<_> = labels.iter().filter(|l| l.2 == LabelKind::Road).collect();
        assert_eq!(road.len(), 1);
        assert_eq!(road[0].1, "Rīgas iela");
        let svg = map.svg(&Projection::fit(map.bounds(), 1000.0));
        assert_eq!(svg.rivers.matches('M').count(), 2);
        assert!(svg.water_areas.is_empty());
    }

    #[test]
    fn ways_are_water_by_their_tags() {
        assert_eq!(WaterShape::of_way(None, Some("river"), false), Some(WaterShape::Line));
        assert_eq!(WaterShape::of_way(Some("water"), None, true), Some(WaterShape::Area));
        assert_eq!(
            WaterShape::of_way(Some("water"), None, false),
            None,
            "an open lake outline"
        );
        assert_eq!(WaterShape::of_way(None, Some("ditch"), false), None);
    }

    #[test]
    fn base_maps_leave_out_service_roads() {
        assert_eq!(StreetClass::of_highway("primary_link"), Some(StreetClass::Major));
        assert_eq!(StreetClass::of_highway("cycleway"), Some(StreetClass::Path));
        assert_eq!(StreetClass::of_highway("service"), None);
    }
}
