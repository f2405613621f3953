//! The map of ideas and initiatives, which is also where they are searched and filtered.
//!
//! The page draws the workspace's own base map as SVG on the server, so it needs neither a
//! tile server nor JavaScript. Markers that would overlap are clustered, and a cluster links
//! to a closer view. Beside the map, a list holds the same items, for keyboard and screen
//! reader. With JavaScript and MapLibre GL available, the same data feeds an interactive map.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use askama::Template;
use axum::extract::Query;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use kopa_app::Mapped;
use kopa_domain::idea::Place;
use kopa_domain::initiative::{InitiativeStatus, RolledUp};
use kopa_domain::map::{Backdrop, Bounds, Label, LabelKind, PlaceSize, Projection, SvgBackdrop};
use kopa_domain::search::Query as Search;
use kopa_domain::validation::Code;
use kopa_domain::{Action, Invalid};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use super::initiatives::{type_label, type_names, type_options};
use super::{Chrome, FormState, render, render_refused};
use crate::context::Scope;
use crate::error::WebError;

/// Page units across the SVG map.
const MAP_WIDTH: f64 = 1000.0;
/// Markers closer than this many page units (at the current zoom) join one cluster.
const CLUSTER_CELL: f64 = 36.0;
/// Items in the list beside the map, per page.
const PAGE_SIZE: usize = 50;

/// Ideas or initiatives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Idea,
    Initiative,
}

/// One idea or initiative, as the map and the search show it.
#[derive(Clone)]
pub struct Item {
    pub kind: Kind,
    pub id: i64,
    pub title: String,
    /// Searched together with the title.
    pub text: String,
    pub href: String,
    /// Ideas stand at the first step, "idea".
    pub status: InitiativeStatus,
    pub cooperation_type: Option<String>,
    pub type_label: Option<String>,
    pub place: Option<Place>,
    pub progress: Option<i64>,
    pub is_example: bool,
    /// The item as one GeoJSON feature, written once when read, or `None` without a place.
    pub feature: Option<String>,
}

impl Item {
    /// The item with its GeoJSON feature written: what a marker of the interactive map shows.
    fn with_feature(mut self) -> Item {
        let kind = if self.kind == Kind::Idea { "idea" } else { "initiative" };
        self.feature = self.place.as_ref().map(|place| {
            serde_json::json!({
                "type": "Feature",
                "id": format!("{kind}-{}", self.id),
                "geometry": place,
                "properties": {
                    "kind": kind,
                    "title": self.title,
                    "href": self.href,
                    "status": self.status,
                    "type": self.cooperation_type,
                    "marker": place.marker(),
                    "example": self.is_example,
                },
            })
            .to_string()
        });
        self
    }

    pub fn marker(&self) -> Option<[f64; 2]> {
        self.place.as_ref().map(Place::marker)
    }
}

/// What the visitor asked to see: every field from the address, checked.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub q: String,
    pub show: Option<Kind>,
    pub cooperation_type: Option<String>,
    pub status: Option<InitiativeStatus>,
    pub bbox: Option<Bounds>,
    pub page: usize,
}

impl Filters {
    /// Reads the address's query. What is wrong is named and left out of the filter.
    pub fn read(query: &HashMap<String, String>, types: &[String]) -> (Filters, Invalid) {
        let mut invalid = Invalid::new();
        let value = |name: &str| query.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
        let mut filters = Filters {
            q: value("q").unwrap_or_default().chars().take(200).collect(),
            page: 1,
            ..Filters::default()
        };
        filters.show = match value("show") {
            None => None,
            Some("ideas") => Some(Kind::Idea),
            Some("initiatives") => Some(Kind::Initiative),
            Some(_) => {
                invalid.add("show", "error-choice");
                None
            }
        };
        if let Some(code) = value("type") {
            if types.iter().any(|t| t == code) {
                filters.cooperation_type = Some(code.to_owned());
            } else {
                invalid.add("type", "error-choice");
            }
        }
        if let Some(code) = value("status") {
            match InitiativeStatus::from_code(code) {
                Some(status) => filters.status = Some(status),
                None => invalid.add("status", "error-choice"),
            }
        }
        if let Some(text) = value("bbox") {
            match Bounds::parse(text) {
                Some(bounds) => filters.bbox = Some(bounds),
                None => invalid.add("bbox", "error-bbox"),
            }
        }
        if let Some(text) = value("page") {
            match text.parse::<usize>() {
                Ok(page) if page >= 1 => filters.page = page,
                _ => invalid.add("page", "error-page"),
            }
        }
        (filters, invalid)
    }

    /// Whether an item passes every filter but the area.
    pub fn admits(&self, item: &Item, search: &Search) -> bool {
        self.show.is_none_or(|kind| kind == item.kind)
            && self
                .cooperation_type
                .as_ref()
                .is_none_or(|code| item.cooperation_type.as_ref() == Some(code))
            && self.status.is_none_or(|status| status == item.status)
            && search.matches([item.title.as_str(), item.text.as_str()])
    }

    /// Whether an item lies in the area looked at (every item does when none is chosen).
    fn in_view(&self, item: &Item) -> bool {
        match self.bbox {
            None => true,
            Some(bounds) => item.marker().is_some_and(|m| bounds.contains(m)),
        }
    }

    /// The address of this view with `changes` applied (an empty value drops the field).
    pub fn href(&self, base: &str, changes: &[(&str, String)]) -> String {
        let mut fields: BTreeMap<&str, String> = BTreeMap::new();
        fields.insert("q", self.q.clone());
        if let Some(kind) = self.show {
            fields.insert("show", if kind == Kind::Idea { "ideas" } else { "initiatives" }.into());
        }
        if let Some(code) = &self.cooperation_type {
            fields.insert("type", code.clone());
        }
        if let Some(status) = self.status {
            fields.insert("status", status.code().into());
        }
        if let Some(bounds) = self.bbox {
            fields.insert("bbox", bounds.to_string());
        }
        for (name, value) in changes {
            fields.insert(name, value.clone());
        }
        let query: Vec<String> = fields
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, NON_ALPHANUMERIC)))
            .collect();
        if query.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{}", query.join("&"))
        }
    }
}

/// Every open idea and every initiative of the workspace, in the visitor's language, kept
/// until one of them changes: the map is read far more often than they change, and reading
/// thousands of rows is its main cost.
pub async fn items(scope: &Scope) -> Result<Arc<Vec<Item>>, WebError> {
    let version = scope.app().map_version(&scope.caller()).await?;
    let key = (scope.id(), scope.locale.code());
    scope.state.items.get(key, version, || read_items(scope)).await
}

async fn read_items(scope: &Scope) -> Result<Vec<Item>, WebError> {
    let slug = &scope.workspace.slug;
    let names = type_names(scope).await?;
    let Mapped { ideas, initiatives } = scope.app().mapped(&scope.caller()).await?;
    let mut items = Vec::with_capacity(ideas.len() + initiatives.len());
    let rolled_up = RolledUp::of(&initiatives);
    for initiative in &initiatives {
        items.push(
            Item {
                kind: Kind::Initiative,
                id: initiative.id,
                title: initiative.title.clone(),
                text: initiative.description.clone().unwrap_or_default(),
                href: format!("/w/{slug}/initiatives/{}", initiative.id),
                status: initiative.status,
                type_label: Some(type_label(scope, &initiative.cooperation_type, &names)),
                cooperation_type: Some(initiative.cooperation_type.clone()),
                place: initiative.place.clone(),
                progress: Some(rolled_up.progress(initiative.id).round() as i64),
                is_example: initiative.is_example,
                feature: None,
            }
            .with_feature(),
        );
    }
    for idea in ideas {
        items.push(
            Item {
                kind: Kind::Idea,
                id: idea.id,
                href: format!("/w/{slug}/ideas/{}", idea.id),
                title: idea.title,
                text: idea.body,
                status: InitiativeStatus::Idea,
                cooperation_type: None,
                type_label: None,
                place: idea.place,
                progress: None,
                is_example: idea.is_example,
                feature: None,
            }
            .with_feature(),
        );
    }
    Ok(items)
}

/// A marker on the SVG map: one item, or a cluster of several.
pub struct Marker {
    pub x: f64,
    pub y: f64,
    pub count: usize,
    /// The item's page, or for a cluster the closer view of it.
    pub href: String,
    pub label: String,
    pub kind: Kind,
}

/// A drawn line or area of one item, as SVG path data.
pub struct Shape {
    pub d: String,
    pub closed: bool,
}

/// The SVG map: the base map, the view (zoomed or whole), markers and shapes.
pub struct SvgMap {
    pub view_box: String,
    /// Page units per screen unit: markers keep their size when zoomed in.
    pub scale: f64,
    pub backdrop: SvgBackdrop,
    pub markers: Vec<Marker>,
    pub shapes: Vec<Shape>,
    pub attribution: String,
    /// Links that move the view: (label key, address).
    pub controls: Vec<(&'static str, String)>,
}

impl Marker {
    pub fn is_initiative(&self) -> bool {
        self.kind == Kind::Initiative
    }
}

impl SvgMap {
    pub fn radius(&self, marker: &Marker) -> f64 {
        let screen = if marker.count > 1 {
            11.0 + (marker.count as f64).log10() * 5.0
        } else {
            8.0
        };
        screen * self.scale
    }

    pub fn stroke(&self, screen: f64) -> f64 {
        screen * self.scale
    }

    pub fn font_size(&self) -> f64 {
        12.0 * self.scale
    }

    /// The corners of a square marker for an initiative.
    pub fn square(&self, marker: &Marker) -> (f64, f64, f64) {
        let side = 14.0 * self.scale;
        (marker.x - side / 2.0, marker.y - side / 2.0, side)
    }

    /// Where a name is written: a place's beside its dot (the style starts it there), so
    /// that a marker on the place leaves it readable; a road's or river's on the line.
    pub fn label_at(&self, label: &Label) -> (f64, f64) {
        match label.kind {
            LabelKind::Place(_) => (label.x + 9.0 * self.scale, label.y - 7.0 * self.scale),
            LabelKind::Road | LabelKind::Water => (label.x, label.y),
        }
    }

    pub fn is_place(&self, label: &Label) -> bool {
        matches!(label.kind, LabelKind::Place(_))
    }

    /// A name's text size: towns largest, always legible on the screen.
    pub fn label_size(&self, label: &Label) -> f64 {
        let screen = match label.kind {
            LabelKind::Place(PlaceSize::Town) => 16.0,
            LabelKind::Place(PlaceSize::Village) | LabelKind::Water => 14.0,
            LabelKind::Place(PlaceSize::Local) | LabelKind::Road => 12.0,
        };
        screen * self.scale
    }
}

/// Draws `shown` on `backdrop`, looking at `filters.bbox` or the whole municipality.
fn draw(scope: &Scope, backdrop: &Backdrop, filters: &Filters, shown: &[&Item], base: &str) -> SvgMap {
    let whole = backdrop.bounds();
    let projection = Projection::fit(whole, MAP_WIDTH);
    let view = filters.bbox.unwrap_or(projection.bounds);
    let (left, top) = projection.project([view.west, view.north]);
    let (right, bottom) = projection.project([view.east, view.south]);
    let (view_width, view_height) = ((right - left).max(1.0), (bottom - top).max(1.0));
    // The map is shown about MAP_WIDTH screen units wide.
    let scale = (view_width / MAP_WIDTH).max(view_height / projection.height);
    let cell = CLUSTER_CELL * scale;

    // Items by the grid cell they fall in, with where they fall.
    type Placed<'a> = (&'a Item, f64, f64);
    let mut cells: BTreeMap<(i64, i64), Vec<Placed>> = BTreeMap::new();
    let mut shapes = Vec::new();
    for item in shown {
        let Some(marker) = item.marker() else { continue };
        let (x, y) = projection.project(marker);
        cells
            .entry(((x / cell).floor() as i64, (y / cell).floor() as i64))
            .or_default()
            .push((item, x, y));
        let (points, closed) = match &item.place {
            Some(Place::LineString(points)) => (points.as_slice(), false),
            Some(Place::Polygon(rings)) => (&rings[0][..], true),
            _ => continue,
        };
        shapes.push(Shape {
            d: projection.path(points, closed),
            closed,
        });
    }

    let markers = cells
        .into_values()
        .map(|members| {
            let n = members.len() as f64;
            let x = members.iter().map(|m| m.1).sum::<f64>() / n;
            let y = members.iter().map(|m| m.2).sum::<f64>() / n;
            if let [(item, x, y)] = members[..] {
                let kind_label = match item.kind {
                    Kind::Idea => scope.t("map-kind-idea"),
                    Kind::Initiative => scope.t("map-kind-initiative"),
                };
                return Marker {
                    x,
                    y,
                    count: 1,
                    href: item.href.clone(),
                    label: format!("{kind_label}: {}", item.title),
                    kind: item.kind,
                };
            }
            // A closer view around the cluster's members.
            let mut bounds = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
            for (item, _, _) in &members {
                if let Some(m) = item.marker() {
                    bounds = [
                        bounds[0].min(m[0]),
                        bounds[1].min(m[1]),
                        bounds[2].max(m[0]),
                        bounds[3].max(m[1]),
                    ];
                }
            }
            let pad_x = ((bounds[2] - bounds[0]) * 0.3).max(0.002);
            let pad_y = ((bounds[3] - bounds[1]) * 0.3).max(0.001);
            let closer = Bounds {
                west: bounds[0] - pad_x,
                south: bounds[1] - pad_y,
                east: bounds[2] + pad_x,
                north: bounds[3] + pad_y,
            };
            Marker {
                x,
                y,
                count: members.len(),
                href: filters.href(base, &[("bbox", closer.to_string()), ("page", String::new())]),
                label: scope.state.app.i18n.text(
                    scope.locale,
                    "map-cluster",
                    &[("count", (members.len() as i64).into())],
                ),
                kind: Kind::Idea,
            }
        })
        .collect();

    let (centre_lon, centre_lat) = ((view.west + view.east) / 2.0, (view.south + view.north) / 2.0);
    let (half_lon, half_lat) = ((view.east - view.west) / 2.0, (view.north - view.south) / 2.0);
    let around = |factor: f64, shift_lon: f64, shift_lat: f64| {
        let (lon, lat) = (centre_lon + shift_lon * half_lon, centre_lat + shift_lat * half_lat);
        Bounds {
            west: lon - half_lon * factor,
            south: lat - half_lat * factor,
            east: lon + half_lon * factor,
            north: lat + half_lat * factor,
        }
        .to_string()
    };
    let no_page = ("page", String::new());
    let mut controls = vec![
        (
            "map-zoom-in",
            filters.href(base, &[("bbox", around(0.5, 0.0, 0.0)), no_page.clone()]),
        ),
        (
            "map-north",
            filters.href(base, &[("bbox", around(1.0, 0.0, 1.0)), no_page.clone()]),
        ),
        (
            "map-west",
            filters.href(base, &[("bbox", around(1.0, -1.0, 0.0)), no_page.clone()]),
        ),
        (
            "map-east",
            filters.href(base, &[("bbox", around(1.0, 1.0, 0.0)), no_page.clone()]),
        ),
        (
            "map-south",
            filters.href(base, &[("bbox", around(1.0, 0.0, -1.0)), no_page.clone()]),
        ),
    ];
    if filters.bbox.is_some() {
        controls.insert(
            1,
            (
                "map-zoom-out",
                filters.href(base, &[("bbox", around(2.0, 0.0, 0.0)), no_page.clone()]),
            ),
        );
        controls.push(("map-whole", filters.href(base, &[("bbox", String::new()), no_page])));
    }

    SvgMap {
        view_box: format!("{left:.1} {top:.1} {view_width:.1} {view_height:.1}"),
        scale,
        backdrop: backdrop.svg(&projection),
        markers,
        shapes,
        attribution: backdrop.attribution.clone(),
        controls,
    }
}

/// A small map that shows where one idea or initiative lies, and the address of the main map
/// around it; `None` without a place or a base map.
pub async fn locator(
    scope: &Scope,
    kind: Kind,
    title: &str,
    place: Option<&Place>,
) -> Result<Option<(SvgMap, String)>, WebError> {
    let Some(place) = place else { return Ok(None) };
    let Some(backdrop) = scope.app().backdrop(&scope.caller()).await? else {
        return Ok(None);
    };
    let base = format!("/w/{}/map", scope.workspace.slug);
    let [lon, lat] = place.marker();
    let around = Bounds {
        west: lon - 0.02,
        south: lat - 0.01,
        east: lon + 0.02,
        north: lat + 0.01,
    };
    let closer = Filters {
        bbox: Some(around),
        ..Filters::default()
    }
    .href(&base, &[]);
    let item = Item {
        kind,
        id: 0,
        title: title.to_owned(),
        text: String::new(),
        href: closer.clone(),
        status: InitiativeStatus::Idea,
        cooperation_type: None,
        type_label: None,
        place: Some(place.clone()),
        progress: None,
        is_example: false,
        feature: None,
    };
    let mut map = draw(scope, &backdrop, &Filters::default(), &[&item], &base);
    map.controls.clear();
    Ok(Some((map, closer)))
}

#[derive(Template)]
#[template(path = "map.html")]
struct MapPage {
    page: Chrome,
    form: FormState,
    map: Option<SvgMap>,
    /// The items listed beside the map: this page of those in view.
    listed: Vec<Item>,
    /// How many match, in view and in all.
    in_view: usize,
    matching: usize,
    ideas_in_view: usize,
    initiatives_in_view: usize,
    first: usize,
    previous_page: Option<String>,
    next_page: Option<String>,
    type_options: Vec<(String, String)>,
    status_options: Vec<(String, String)>,
    show_options: Vec<(String, String)>,
    /// The address the interactive map reads its data from, with the same filters.
    data_href: String,
    /// Where the open-data exports are.
    exports: String,
    interactive: bool,
    tiles: Option<String>,
}

pub async fn show(scope: Scope, Query(query): Query<HashMap<String, String>>) -> Result<Response, WebError> {
    scope.require(Action::ViewPublished)?;
    let labelled_types = type_options(&scope).await?;
    let types: Vec<String> = labelled_types.iter().map(|(code, _)| code.clone()).collect();
    let (filters, invalid) = Filters::read(&query, &types);
    let refused = !invalid.errors.is_empty();
    let search = Search::new(&filters.q);
    let all = items(&scope).await?;
    let matching: Vec<&Item> = all.iter().filter(|item| filters.admits(item, &search)).collect();
    let in_view: Vec<&Item> = matching.iter().copied().filter(|item| filters.in_view(item)).collect();

    let base = format!("/w/{}/map", scope.workspace.slug);
    let backdrop = scope.app().backdrop(&scope.caller()).await?;
    let map = backdrop
        .as_ref()
        .map(|backdrop| draw(&scope, backdrop, &filters, &in_view, &base));

    let first = (filters.page - 1) * PAGE_SIZE;
    let listed: Vec<Item> = in_view
        .iter()
        .skip(first)
        .take(PAGE_SIZE)
        .map(|item| (*item).clone())
        .collect();
    let previous_page = (filters.page > 1).then(|| filters.href(&base, &[("page", (filters.page - 1).to_string())]));
    let next_page =
        (first + PAGE_SIZE < in_view.len()).then(|| filters.href(&base, &[("page", (filters.page + 1).to_string())]));
    let mut type_choices = vec![(String::new(), scope.t("map-any-type"))];
    type_choices.extend(labelled_types);
    let mut status_options = vec![(String::new(), scope.t("map-any-status"))];
    status_options.extend(
        InitiativeStatus::ALL
            .iter()
            .map(|s| (s.code().to_owned(), scope.t(&format!("initiative-status-{s}")))),
    );
    let show_options = vec![
        (String::new(), scope.t("map-show-all")),
        ("ideas".to_owned(), scope.t("map-show-ideas")),
        ("initiatives".to_owned(), scope.t("map-show-initiatives")),
    ];
    let form = FormState::new(query.clone(), invalid).named("filter");
    let data_href = filters.href(&format!("{base}/features.geojson"), &[("bbox", String::new())]);
    let page = MapPage {
        page: Chrome::for_scope(&scope, "nav-map"),
        ideas_in_view: in_view.iter().filter(|i| i.kind == Kind::Idea).count(),
        initiatives_in_view: in_view.iter().filter(|i| i.kind == Kind::Initiative).count(),
        in_view: in_view.len(),
        matching: matching.len(),
        first,
        listed,
        previous_page,
        next_page,
        type_options: type_choices,
        status_options,
        show_options,
        data_href,
        exports: format!("/api/v1/workspaces/{}/exports", scope.workspace.slug),
        interactive: map.is_some() && scope.state.map_library.is_some(),
        tiles: scope.state.settings.map_tiles.clone(),
        map,
        form,
    };
    if refused { render_refused(page) } else { render(page) }
}

/// The same items as GeoJSON for the interactive map: each at its drawn place, with what a
/// marker shows. Only published content: open ideas and initiatives, no personal data.
pub async fn features(scope: Scope, Query(query): Query<HashMap<String, String>>) -> Result<Response, WebError> {
    scope.require(Action::ViewPublished)?;
    let types = scope.app().cooperation_types(&scope.caller()).await?;
    let types: Vec<String> = types.into_iter().map(|t| t.code).collect();
    let (filters, invalid) = Filters::read(&query, &types);
    if !invalid.errors.is_empty() {
        return Err(WebError::Invalid(invalid));
    }
    let search = Search::new(&filters.q);
    let all = items(&scope).await?;
    let shown: Vec<&str> = all
        .iter()
        .filter(|i| filters.admits(i, &search) && filters.in_view(i))
        .filter_map(|i| i.feature.as_deref())
        .collect();
    let mut body = String::with_capacity(shown.iter().map(|f| f.len() + 1).sum::<usize>() + 64);
    body.push_str(r#"{"type":"FeatureCollection","features":["#);
    body.push_str(&shown.join(","));
    body.push_str("]}");
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], body).into_response())
}

/// The base map as GeoJSON, for the interactive map.
pub async fn backdrop(scope: Scope) -> Result<Response, WebError> {
    scope.require(Action::ViewPublished)?;
    let backdrop = scope.app().backdrop(&scope.caller()).await?;
    let backdrop = backdrop.ok_or(WebError::NotFound)?;
    Ok((
        [(header::CONTENT_TYPE, "application/geo+json")],
        backdrop.to_geojson().to_string(),
    )
        .into_response())
}

/// MapLibre GL's script, when the server has it.
pub async fn library_script(state: axum::extract::State<crate::AppState>) -> Result<Response, WebError> {
    let library = state.map_library.clone().ok_or(WebError::NotFound)?;
    Ok(crate::asset("text/javascript; charset=utf-8", library.script.clone()))
}

/// MapLibre GL's stylesheet, when the server has it.
pub async fn library_stylesheet(state: axum::extract::State<crate::AppState>) -> Result<Response, WebError> {
    let library = state.map_library.clone().ok_or(WebError::NotFound)?;
    Ok(crate::asset("text/css; charset=utf-8", library.stylesheet.clone()))
}
