//! The street network page: the low-stress connectivity score with its parts, the stress map
//! drawn as SVG on the server, the most stressful streets with why, the low-stress islands,
//! the zones, the crossings that keep islands apart, and every analysis kept. Coordinators
//! bring a network in here and watch it being analysed.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use geo::{Coord, LineString, Simplify};
use kopa_app::AnalysisWork;
use kopa_app::{DOWNLOADS, NetworkUpload};
use kopa_domain::map::{Bounds, Projection, svg_path};
use kopa_domain::street_network::{NetworkSource, StreetAnalysis};
use kopa_domain::{Action, Invalid};
use kopa_mobility::report::Results;
use serde::Deserialize;

use super::scenarios::Chosen;
use super::where_to_act::PlaceWords;
use super::{Chrome, FormState, PageQuery, Pages, render, render_refused, see_other};
use crate::context::{Form, Scope, parse_id};
use crate::error::WebError;

/// Page units across the stress map.
const MAP_WIDTH: f64 = 600.0;
/// Finer than this many page units is not drawn.
const SIMPLIFY_UNITS: f64 = 0.35;

/// One street of the list beside the map: its named stretches at one level, joined.
pub struct StreetLine {
    pub name: Option<String>,
    pub highway: String,
    pub lts: u8,
    pub km: f64,
    /// The longest of its segments, whose reasons and tags its page shows.
    pub segment: usize,
    pub reasons: String,
}

/// A zone's square on the zones map.
pub struct ZoneSquare {
    pub x: f64,
    pub y: f64,
    pub size: f64,
    /// 0–100.
    pub score: Option<f64>,
    /// Which of five shades it takes, 0 (lowest) to 4.
    pub shade: usize,
}

/// What the pages draw from one analysis, made once: analyses never change.
pub struct NetworkView {
    pub view_box: String,
    /// Path data of the segments at each level, 1 to 4, by their worse direction.
    pub paths: [String; 4],
    pub zones: Vec<ZoneSquare>,
    /// Stressful streets first, longest first.
    pub streets: Vec<StreetLine>,
    pub km_by_level: [f64; 4],
    /// The stress map's layer for the interactive map, as GeoJSON compressed with gzip: each
    /// segment's line, to a metre, with its number and worse level.
    pub layer: Vec<u8>,
}

impl NetworkView {
    /// How the network's map is drawn: every line fits [`MAP_WIDTH`].
    pub fn projection(results: &Results) -> Projection {
        Projection::fit(Bounds::around(results.lines.iter().flatten()), MAP_WIDTH)
    }

    fn of(results: &Results) -> NetworkView {
        let projection = NetworkView::projection(results);
        let mut paths: [String; 4] = Default::default();
        let mut km_by_level = [0.0; 4];
        let mut streets: BTreeMap<(u8, Option<&str>, &str), StreetLine> = BTreeMap::new();
        let mut layer = Vec::with_capacity(results.segments.len());
        for (row, line) in results.segments.iter().zip(&results.lines) {
            let Some(lts) = worse_level(row.lts_forward, row.lts_backward) else {
                continue;
            };
            layer.push(serde_json::json!({
                "type": "Feature",
                "properties": { "segment": row.segment, "lts": lts },
                "geometry": { "type": "LineString", "coordinates": to_a_metre(line) },
            }));
            let projected: LineString<f64> = line
                .iter()
                .map(|p| {
                    let (x, y) = projection.project(*p);
                    Coord { x, y }
                })
                .collect();
            let simplified = projected.simplify(SIMPLIFY_UNITS);
            paths[usize::from(lts - 1)].push_str(&svg_path(simplified.coords().map(|c| (c.x, c.y)), false));
            km_by_level[usize::from(lts - 1)] += row.length_m / 1000.0;
            let highway = row.highway.as_deref().unwrap_or_default();
            let street = streets
                .entry((lts, row.name.as_deref(), highway))
                .or_insert_with(|| StreetLine {
                    name: row.name.clone(),
                    highway: highway.to_owned(),
                    lts,
                    km: 0.0,
                    segment: row.segment,
                    reasons: String::new(),
                });
            street.km += row.length_m / 1000.0;
            let longest = &results.segments[street.segment];
            if row.length_m >= longest.length_m || street.reasons.is_empty() {
                street.segment = row.segment;
                street.reasons = worse_reasons(row);
            }
        }
        let mut streets: Vec<StreetLine> = streets.into_values().collect();
        streets.sort_by(|a, b| b.lts.cmp(&a.lts).then(b.km.total_cmp(&a.km)));
        let half = results.profile.connectivity.zone_size_m / 2.0;
        let zones = results
            .zones
            .iter()
            .map(|zone| {
                let (x, y) = projection.project([zone.lon, zone.lat]);
                // The zone's side in page units, from its size in metres.
                let (east, _) =
                    projection.project([zone.lon + half / (111_320.0 * zone.lat.to_radians().cos()), zone.lat]);
                let size = ((east - x) * 2.0).max(0.5);
                ZoneSquare {
                    x: x - size / 2.0,
                    y: y - size / 2.0,
                    size,
                    score: zone.score,
                    shade: zone.score.map_or(0, |s| ((s / 20.0).floor() as usize).min(4)),
                }
            })
            .collect();
        NetworkView {
            view_box: format!("0 0 {} {}", projection.width, projection.height),
            paths,
            zones,
            streets,
            km_by_level,
            layer: kopa_app::gzip(
                serde_json::json!({
                    "type": "FeatureCollection",
                    "attribution": results.attribution,
                    "features": layer,
                })
                .to_string()
                .as_bytes(),
            )
            .unwrap_or_default(),
        }
    }
}

/// A line with its points to five decimals (about a metre) and those closer than that dropped.
fn to_a_metre(line: &[[f64; 2]]) -> Vec<[f64; 2]> {
    let line: LineString<f64> = line.iter().map(|p| Coord { x: p[0], y: p[1] }).collect();
    line.simplify(0.00001)
        .coords()
        .map(|c| [(c.x * 1e5).round() / 1e5, (c.y * 1e5).round() / 1e5])
        .collect()
}

/// The worse of a segment's two directions, where a bicycle may ride.
fn worse_level(forward: Option<u8>, backward: Option<u8>) -> Option<u8> {
    [forward, backward]
        .into_iter()
        .flatten()
        .filter(|l| (1..=4).contains(l))
        .max()
}

fn worse_reasons(row: &kopa_mobility::report::SegmentRow) -> String {
    if row.lts_backward.unwrap_or(0) > row.lts_forward.unwrap_or(0) {
        row.reasons_backward.clone()
    } else {
        row.reasons_forward.clone()
    }
}

/// The analysis a page shows, with what was read and drawn from it.
pub struct Shown {
    pub analysis: StreetAnalysis,
    pub results: Arc<Results>,
    pub view: Arc<NetworkView>,
    /// Whether the server has the library that makes the stress map interactive.
    pub interactive: bool,
}

pub async fn shown(scope: &Scope, analysis: StreetAnalysis) -> Result<Shown, WebError> {
    let results = scope.app().street_results(&scope.caller(), &analysis).await?;
    let drawn = results.clone();
    let view = scope
        .state
        .street_views
        .get(analysis.workspace_id, analysis.id, || async move {
            tokio::task::spawn_blocking(move || NetworkView::of(&drawn))
                .await
                .map_err(|e| WebError::Internal(e.to_string()))
        })
        .await?;
    Ok(Shown {
        analysis,
        results,
        view,
        interactive: scope.state.map_library.is_some(),
    })
}

#[derive(Template)]
#[template(path = "street_network.html")]
pub struct NetworkPage {
    page: Chrome,
    /// The analysis shown, if any has finished.
    shown: Option<Shown>,
    /// A newer one still running or queued, or the one asked for while it runs.
    pending: Option<StreetAnalysis>,
    /// A failed analysis asked for.
    failed: Option<StreetAnalysis>,
    history: Vec<StreetAnalysis>,
    form: FormState,
    streets: Vec<usize>,
    street_pages: Pages,
    max_upload_mb: usize,
    /// Whether the server may download networks by name, and the form that asks it to.
    downloads: bool,
    fetch: FormState,
    /// The saved scenarios of the analysis shown, for those who may see them.
    scenarios: Vec<kopa_domain::street_network::Scenario>,
}

impl NetworkPage {
    fn base(&self) -> String {
        format!("/w/{}/network", self.page.slug())
    }

    fn analysis_href(&self, analysis: &StreetAnalysis) -> String {
        format!("{}/analyses/{}", self.base(), analysis.id)
    }

    /// The zones where people live, as many as the table holds.
    fn zone_rows(&self) -> Vec<&kopa_mobility::report::ZoneRow> {
        let zones = self
            .shown
            .as_ref()
            .map(|s| s.results.zones.as_slice())
            .unwrap_or_default();
        zones.iter().filter(|z| z.population >= 1.0).take(20).collect()
    }

    /// The stress map's legend: each level, what it means, and its kilometres.
    fn legend(&self) -> Vec<(usize, String)> {
        let km = self.shown.as_ref().map(|s| s.view.km_by_level).unwrap_or_default();
        (1..=4)
            .map(|level| {
                let means = self.page.t(&format!("streets-level-{level}-means"));
                let name = self.level_name(level as u8);
                (level, format!("{name}: {means} ({} km)", self.km(km[level - 1])))
            })
            .collect()
    }

    /// The zones map's five shades, lowest score first.
    fn shades(&self) -> [usize; 5] {
        [0, 1, 2, 3, 4]
    }

    fn municipality(&self) -> &str {
        self.page
            .workspace
            .as_ref()
            .map(|w| w.municipality.as_str())
            .unwrap_or_default()
    }

    fn downloads(&self) -> &'static [&'static str] {
        DOWNLOADS
    }

    fn score(&self, value: &Option<f64>) -> String {
        value.map_or_else(|| self.page.t("streets-no-score"), |s| format!("{s:.1}"))
    }

    fn level_name(&self, lts: impl std::borrow::Borrow<u8>) -> String {
        self.page.t1("streets-level", "level", *lts.borrow())
    }

    fn part_name(&self, name: &str) -> String {
        self.page.t(&format!("streets-part-{}", name.replace('_', "-")))
    }

    fn percent(&self, share: impl std::borrow::Borrow<f64>) -> String {
        format!("{:.0}", share.borrow() * 100.0)
    }

    fn km(&self, km: impl std::borrow::Borrow<f64>) -> String {
        format!("{:.1}", km.borrow())
    }

    /// Where a network may be downloaded from: code and words.
    fn fetch_sources(&self) -> Vec<(String, String)> {
        ["overpass", "geofabrik"]
            .map(|s| (s.to_owned(), self.page.t(&format!("streets-fetch-{s}"))))
            .to_vec()
    }

    /// The country profiles offered, the default first: name and words.
    fn profiles(&self) -> Vec<(String, String)> {
        let built_in = kopa_mobility::stress::Profile::built_in();
        built_in
            .into_iter()
            .map(|p| (p.name.clone(), self.profile_label(&p.name)))
            .collect()
    }

    /// A profile in words, by the name an analysis records; a name no longer built in as it is.
    fn profile_label(&self, name: &str) -> String {
        match kopa_mobility::stress::Profile::named(name) {
            Some(profile) => self.page.t(&format!("profile-{}", profile.country)),
            None => name.to_owned(),
        }
    }

    fn source_label(&self, analysis: &StreetAnalysis) -> String {
        self.page.code("streets-source", analysis.source)
    }

    fn status_label(&self, analysis: &StreetAnalysis) -> String {
        self.page.code("streets-status", analysis.status)
    }

    fn step_label(&self, analysis: &StreetAnalysis) -> String {
        analysis.step.as_deref().map_or_else(
            || self.page.t("streets-step-queued"),
            |step| self.page.t(&format!("streets-step-{step}")),
        )
    }
}

/// The newest analysis the visitor may see, with the newer one still at work.
pub async fn show(
    scope: Scope,
    axum::extract::Query(query): axum::extract::Query<PageQuery>,
) -> Result<Response, WebError> {
    scope.require(Action::ViewPublished)?;
    render(page(&scope, None, &query, FormState::default()).await?)
}

/// One analysis, finished or at work.
pub async fn analysis(
    scope: Scope,
    Path((_, id)): Path<(String, String)>,
    axum::extract::Query(query): axum::extract::Query<PageQuery>,
) -> Result<Response, WebError> {
    scope.require(Action::ViewPublished)?;
    let id = parse_id(&id)?;
    render(page(&scope, Some(id), &query, FormState::default()).await?)
}

async fn page(scope: &Scope, id: Option<i64>, query: &PageQuery, form: FormState) -> Result<NetworkPage, WebError> {
    let (app, caller) = (scope.app(), scope.caller());
    let history = app.street_analyses(&caller).await?;
    let (mut shown_one, mut pending, mut failed) = (None, None, None);
    match id {
        Some(id) => {
            let analysis = app.street_analysis(&caller, id).await?;
            if analysis.is_done() {
                shown_one = Some(analysis);
            } else if analysis.is_pending() {
                pending = Some(analysis);
            } else {
                failed = Some(analysis);
            }
        }
        None => {
            shown_one = history.iter().find(|a| a.is_done()).cloned();
            pending = history.iter().find(|a| a.is_pending()).cloned();
        }
    }
    let shown = match shown_one {
        Some(analysis) => Some(shown(scope, analysis).await?),
        None => None,
    };
    let base = match id {
        Some(id) => format!("/w/{}/network/analyses/{id}", scope.workspace.slug),
        None => format!("/w/{}/network", scope.workspace.slug),
    };
    let all: Vec<usize> = (0..shown.as_ref().map_or(0, |s| s.view.streets.len())).collect();
    let (streets, street_pages) = Pages::of(scope, "streets-showing", query, &all, |n| {
        format!("{base}?page={n}#streets")
    });
    let scenarios = match (&shown, scope.may(Action::ViewStreetAnalyses)) {
        (Some(shown), true) => {
            let mut all = app.scenarios(&caller).await?;
            all.retain(|s| s.analysis_id == shown.analysis.id);
            all
        }
        _ => Vec::new(),
    };
    let mut chrome = Chrome::for_scope_titled(scope, "nav-network", scope.t("streets-title"));
    if let Some(shown) = &shown {
        let date = chrome.date(shown.analysis.created_at.date_naive());
        chrome.title = chrome.t1("streets-title-of", "date", date);
    }
    Ok(NetworkPage {
        page: chrome,
        streets: streets.to_vec(),
        street_pages,
        shown,
        pending,
        failed,
        history,
        form,
        max_upload_mb: kopa_app::MAX_NETWORK_BYTES / 1024 / 1024,
        downloads: app.osm_sources().is_some(),
        fetch: FormState::default().named("fetch"),
        scenarios,
    })
}

/// A coordinator's upload: the extract and the choices made for it. The analysis runs in the
/// background; the browser goes to its page, which shows how far it got.
pub async fn import(scope: Scope, upload: Result<Multipart, MultipartRejection>) -> Result<Response, WebError> {
    scope.require(Action::AnalyseStreetNetwork)?;
    let mut upload = upload.map_err(|_| WebError::BadRequest("error-network-upload"))?;
    let mut sent = NetworkUpload {
        file_name: String::new(),
        bytes: Vec::new(),
        area: String::new(),
        population: String::new(),
        profile: String::new(),
    };
    let mut broken = false;
    loop {
        match upload.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("area") => sent.area = field.text().await.unwrap_or_default(),
                Some("population") => sent.population = field.text().await.unwrap_or_default(),
                Some("profile") => sent.profile = field.text().await.unwrap_or_default(),
                Some("file") => {
                    sent.file_name = field.file_name().unwrap_or_default().to_owned();
                    match field.bytes().await {
                        Ok(bytes) => sent.bytes = bytes.to_vec(),
                        Err(_) => broken = true,
                    }
                }
                _ => {}
            },
            Ok(None) => break,
            Err(_) => {
                broken = true;
                break;
            }
        }
    }
    let values = HashMap::from([
        ("area".to_owned(), sent.area.clone()),
        ("population".to_owned(), sent.population.clone()),
        ("profile".to_owned(), sent.profile.clone()),
    ]);
    let outcome = if broken {
        Err(kopa_app::Refusal::Invalid(Invalid::single(
            "file",
            "error-network-upload",
        )))
    } else {
        scope
            .app()
            .import_street_network(&scope.caller(), sent, NetworkSource::Upload)
            .await
    };
    analysis_started(&scope, outcome, |page, invalid| {
        page.form = FormState::new(values, invalid)
    })
    .await
}

/// Sends the browser to the analysis started, or shows the network page again with the refused
/// form and what was wrong with it.
async fn analysis_started(
    scope: &Scope,
    outcome: Result<(StreetAnalysis, AnalysisWork), kopa_app::Refusal>,
    refused_form: impl FnOnce(&mut NetworkPage, Invalid),
) -> Result<Response, WebError> {
    match outcome {
        Ok((analysis, work)) => {
            work.spawn();
            Ok(see_other(&format!(
                "/w/{}/network/analyses/{}",
                scope.workspace.slug, analysis.id
            )))
        }
        Err(refused) => {
            let held_back = super::held_back_for(&refused);
            let invalid = super::form_refusal(refused)?;
            let mut page = page(scope, None, &PageQuery::default(), FormState::default()).await?;
            refused_form(&mut page, invalid);
            super::render_held_back(page, held_back)
        }
    }
}

/// A coordinator names the network to download: an area from the Overpass API, or a region
/// from Geofabrik. It is downloaded and analysed in the background, as an upload is.
pub async fn fetch(scope: Scope, form: Form<kopa_app::NetworkFetch>) -> Result<Response, WebError> {
    scope.require(Action::AnalyseStreetNetwork)?;
    let Form { input, values } = form;
    let outcome = scope.app().fetch_street_network(&scope.caller(), input).await;
    analysis_started(&scope, outcome, |page, invalid| {
        page.fetch = FormState::new(values, invalid).named("fetch");
    })
    .await
}

#[derive(serde::Deserialize)]
pub struct Publishing {
    published: String,
}

/// Shows an analysis to visitors, or stops showing it.
pub async fn publish(
    scope: Scope,
    Path((_, id)): Path<(String, String)>,
    form: Form<Publishing>,
) -> Result<Response, WebError> {
    scope.require(Action::AnalyseStreetNetwork)?;
    let id = parse_id(&id)?;
    let published = form.input.published == "yes";
    match scope
        .app()
        .publish_street_analysis(&scope.caller(), id, published)
        .await
    {
        Ok(_) => Ok(see_other(&format!("/w/{}/network/analyses/{id}", scope.workspace.slug))),
        Err(refused) => {
            let invalid = super::form_refusal(refused)?;
            let page = page(
                &scope,
                Some(id),
                &PageQuery::default(),
                FormState::new(HashMap::new(), invalid),
            )
            .await?;
            render_refused(page)
        }
    }
}

/// A small map of a place and some 400 m of streets around it.
pub struct AroundMap {
    pub view_box: String,
    /// Path data of the streets around where bicycles may not ride, then at each level 1–4.
    pub network: [String; 5],
    /// Path data of the lines the map is of, if any.
    pub here: String,
    /// The point it is of, in page units, if any.
    pub point: Option<(f64, f64)>,
}

impl AroundMap {
    /// Around `lines` and `point`, each `[lon, lat]`.
    pub fn of(results: &Results, lines: &[Vec<[f64; 2]>], point: Option<[f64; 2]>) -> AroundMap {
        let bounds = Bounds::around(lines.iter().flatten().chain(&point));
        let pad = 0.004;
        let around = Bounds {
            west: bounds.west - pad,
            south: bounds.south - pad / 1.5,
            east: bounds.east + pad,
            north: bounds.north + pad / 1.5,
        };
        let projection = Projection::fit(around, 400.0);
        let mut network: [String; 5] = Default::default();
        for (row, line) in results.segments.iter().zip(&results.lines) {
            if line.iter().any(|p| around.contains(*p)) {
                let level = worse_level(row.lts_forward, row.lts_backward).unwrap_or(0);
                network[usize::from(level)].push_str(&projection.path(line, false));
            }
        }
        AroundMap {
            view_box: format!("0 0 {} {}", projection.width, projection.height),
            network,
            here: lines.iter().map(|l| projection.path(l, false)).collect(),
            point: point.map(|p| projection.project(p)),
        }
    }
}

#[derive(Template)]
#[template(path = "street.html")]
pub struct StreetPage {
    page: Chrome,
    analysis: StreetAnalysis,
    row: kopa_mobility::report::SegmentRow,
    tags: Vec<(String, String)>,
    map: AroundMap,
    /// Changes to try here, each as the scenario address it opens, and its words; none for
    /// those who may not try scenarios.
    tries: Vec<(String, String)>,
}

impl StreetPage {
    fn direction(&self, lts: &Option<u8>, reasons: &str) -> Option<(String, String)> {
        lts.map(|l| {
            let level = if l == 0 {
                self.page.t("streets-not-allowed")
            } else {
                self.page.t1("streets-level", "level", l)
            };
            (level, reasons.to_owned())
        })
    }
}

/// One street segment: its level each way, why, and the tags it was read from.
#[derive(Deserialize, Default)]
pub struct StreetQuery {
    /// The scenario the street was opened from, as its address's query: changes tried here
    /// join it.
    #[serde(default)]
    scenario: String,
}

pub async fn street(
    scope: Scope,
    Path((_, id, segment)): Path<(String, String, String)>,
    Query(query): Query<StreetQuery>,
) -> Result<Response, WebError> {
    scope.require(Action::ViewPublished)?;
    let (id, segment) = (parse_id(&id)?, parse_id(&segment)?);
    let analysis = scope.app().street_analysis(&scope.caller(), id).await?;
    let shown = shown(&scope, analysis).await?;
    let index = usize::try_from(segment).map_err(|_| WebError::NotFound)?;
    let row = shown.results.segments.get(index).ok_or(WebError::NotFound)?.clone();
    let tags = shown.results.way_tags.get(&row.way).cloned().unwrap_or_default();
    let line = &shown.results.lines[index];
    let map = AroundMap::of(&shown.results, std::slice::from_ref(line), None);
    let title = row.name.clone().unwrap_or_else(|| scope.t("streets-unnamed"));
    let page = Chrome::for_scope_titled(&scope, "nav-network", title);
    let tries = match scope.may(Action::ViewStreetAnalyses) {
        true => changes_to_try(&page, &shown, &row, line, &query.scenario)?,
        false => Vec::new(),
    };
    render(StreetPage {
        page,
        map,
        analysis: shown.analysis,
        row,
        tags,
        tries,
    })
}

/// What a member may try on a street, each joining the scenario it was opened from: a cycle
/// track where riding is stressful, the profile's slower limit on the streets it is tried on
/// where the limit is higher, and a mobility point by it.
fn changes_to_try(
    page: &Chrome,
    shown: &Shown,
    row: &kopa_mobility::report::SegmentRow,
    line: &[[f64; 2]],
    scenario: &str,
) -> Result<Vec<(String, String)>, WebError> {
    let results = &shown.results;
    let chosen = Chosen::parse(Some(scenario), results)?;
    let base = format!("/w/{}/network/analyses/{}/scenario", page.slug(), shown.analysis.id);
    let mut tries = Vec::new();
    if worse_level(row.lts_forward, row.lts_backward).is_some_and(|l| l > 1) {
        let href = format!("{base}?{}", chosen.query_with("track", &row.segment.to_string()));
        tries.push((href, page.t("streets-try-track")));
    }
    let slower = &results.profile.where_to_act;
    let faster = row.speed_kmh.is_some_and(|kmh| kmh > slower.slower_kmh);
    if faster && row.highway.as_ref().is_some_and(|h| slower.slower_classes.contains(h)) {
        let href = format!("{base}?{}", chosen.query_with("slower", &row.way.to_string()));
        tries.push((href, page.t1("streets-try-slower", "kmh", slower.slower_kmh)));
    }
    // At the segment's end, a junction of the network, where a mobility point joins it.
    if let Some([lon, lat]) = line.first() {
        let href = format!("{base}?{}", chosen.query_with("point", &format!("{lat:.6},{lon:.6}")));
        tries.push((href, page.t("streets-try-point")));
    }
    Ok(tries)
}

/// The stress map's layer for the interactive map. An analysis never changes, so browsers
/// keep it.
pub async fn stress_layer(
    scope: Scope,
    headers: HeaderMap,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    scope.require(Action::ViewPublished)?;
    let analysis = scope.app().street_analysis(&scope.caller(), parse_id(&id)?).await?;
    let shown = shown(&scope, analysis).await?;
    let kept = (header::CACHE_CONTROL, "private, max-age=86400".to_owned());
    gzipped(&headers, "application/geo+json", kept, shown.view.layer.clone())
}

/// One output of an analysis, compressed when the browser takes gzip.
pub async fn download(
    scope: Scope,
    headers: HeaderMap,
    Path((_, id, name)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    scope.require(Action::ViewPublished)?;
    let id = parse_id(&id)?;
    let gzip = scope.app().street_file(&scope.caller(), id, &name).await?;
    let media_type = kopa_mobility::report::media_type(&name);
    let disposition = format!("attachment; filename=\"kopa-{}-{id}-{name}\"", scope.workspace.slug);
    gzipped(&headers, media_type, (header::CONTENT_DISPOSITION, disposition), gzip)
}

/// A stored file as sent: compressed when the browser takes gzip, unpacked when it does not.
fn gzipped(
    asked: &HeaderMap,
    media_type: &str,
    extra: (header::HeaderName, String),
    gzip: Vec<u8>,
) -> Result<Response, WebError> {
    let takes_gzip = asked
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
    let headers = [
        (header::CONTENT_TYPE, media_type.to_owned()),
        extra,
        (header::VARY, "Accept-Encoding".to_owned()),
    ];
    if takes_gzip {
        return Ok((headers, [(header::CONTENT_ENCODING, "gzip")], gzip).into_response());
    }
    let bytes = kopa_app::gunzip(&gzip).map_err(|e| WebError::Internal(e.to_string()))?;
    Ok((headers, bytes).into_response())
}
