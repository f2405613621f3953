//! Open data: a workspace's published ideas and initiatives as CSV and GeoJSON, streamed row
//! by row from the database. Only what anyone may see goes out: open ideas (never hidden or
//! merged ones) and initiatives, without authors' names or any account. The data is offered
//! under CC BY 4.0, credited to the municipality; the GeoJSON says so itself.

use axum::body::{Body, Bytes};
use axum::extract::Query;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures_util::{StreamExt, stream};
use kopa_domain::Action;
use kopa_domain::idea::{Idea, Place};
use kopa_domain::initiative::Initiative;
use kopa_domain::validation::Code;
use serde::Serialize;
use tokio::sync::mpsc::Receiver;

use super::allow;
use crate::context::Scope;
use crate::error::WebError;

/// Text someone typed, as an export writes it. A spreadsheet runs a cell that begins with `=`,
/// `+`, `-` or `@` as a formula (and may fetch or run what it names), so in CSV such text is
/// written after an apostrophe, which shows it as typed.
#[derive(Clone, Copy)]
struct Typed<'a> {
    text: &'a str,
    in_csv: bool,
}

impl Serialize for Typed<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let formula = self.text.starts_with(['=', '+', '-', '@', '\t', '\r']);
        if self.in_csv && formula {
            serializer.serialize_str(&format!("'{}", self.text))
        } else {
            serializer.serialize_str(self.text)
        }
    }
}

/// One idea as open data.
#[derive(Serialize)]
struct IdeaRecord<'a> {
    id: i64,
    kind: &'static str,
    status: &'static str,
    title: Typed<'a>,
    body: Typed<'a>,
    proposed_on: String,
    supporters: i64,
    comments: i64,
    answer: Option<Typed<'a>>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    example: bool,
    url: String,
}

/// One initiative as open data. `progress` is its own; a parent's rolls up its parts by weight.
#[derive(Serialize)]
struct InitiativeRecord<'a> {
    id: i64,
    kind: &'static str,
    title: Typed<'a>,
    description: Option<Typed<'a>>,
    cooperation_type: Typed<'a>,
    status: String,
    progress: i64,
    parent_id: Option<i64>,
    weight: i64,
    created_on: String,
    latitude: Option<f64>,
    longitude: Option<f64>,
    example: bool,
    url: String,
}

/// A record of an export, with its place for the GeoJSON form.
trait Exported: Send + 'static {
    type Record<'a>: Serialize
    where
        Self: 'a;
    /// The record, its text written for a spreadsheet when `in_csv`.
    fn record(&self, base: &str, in_csv: bool) -> Self::Record<'_>;
    fn place(&self) -> Option<&Place>;
}

fn at(place: Option<&Place>) -> (Option<f64>, Option<f64>) {
    match place.map(Place::marker) {
        Some([lon, lat]) => (Some(lat), Some(lon)),
        None => (None, None),
    }
}

impl Exported for Idea {
    type Record<'a> = IdeaRecord<'a>;

    fn record(&self, base: &str, in_csv: bool) -> IdeaRecord<'_> {
        let (latitude, longitude) = at(self.place.as_ref());
        let typed = |text| Typed { text, in_csv };
        IdeaRecord {
            id: self.id,
            kind: "idea",
            status: self.status.code(),
            title: typed(&self.title),
            body: typed(&self.body),
            proposed_on: self.created_at.date_naive().to_string(),
            supporters: self.supporters,
            comments: self.comments,
            answer: self.answer.as_deref().map(typed),
            latitude,
            longitude,
            example: self.is_example,
            url: format!("{base}/ideas/{}", self.id),
        }
    }

    fn place(&self) -> Option<&Place> {
        self.place.as_ref()
    }
}

impl Exported for Initiative {
    type Record<'a> = InitiativeRecord<'a>;

    fn record(&self, base: &str, in_csv: bool) -> InitiativeRecord<'_> {
        let (latitude, longitude) = at(self.place.as_ref());
        let typed = |text| Typed { text, in_csv };
        InitiativeRecord {
            id: self.id,
            kind: "initiative",
            title: typed(&self.title),
            description: self.description.as_deref().map(typed),
            cooperation_type: typed(&self.cooperation_type),
            status: self.status.to_string(),
            progress: self.progress,
            parent_id: self.parent_id,
            weight: self.weight,
            created_on: self.created_at.date_naive().to_string(),
            latitude,
            longitude,
            example: self.is_example,
            url: format!("{base}/initiatives/{}", self.id),
        }
    }

    fn place(&self) -> Option<&Place> {
        self.place.as_ref()
    }
}

/// The two open-data formats.
#[derive(Clone, Copy)]
enum Format {
    Csv,
    GeoJson,
}

impl Format {
    fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::GeoJson => "application/geo+json",
        }
    }

    /// One record as its line (CSV, with the header before the first) or feature.
    fn encode<T: Exported>(self, item: &T, base: &str, first: bool) -> std::io::Result<Vec<u8>> {
        let record = item.record(base, matches!(self, Format::Csv));
        match self {
            Format::Csv => {
                let mut writer = csv::WriterBuilder::new().has_headers(first).from_writer(Vec::new());
                writer.serialize(&record)?;
                writer.into_inner().map_err(|e| e.into_error())
            }
            Format::GeoJson => {
                let feature = serde_json::json!({
                    "type": "Feature",
                    "geometry": item.place(),
                    "properties": record,
                });
                let mut line = if first { Vec::new() } else { b",\n".to_vec() };
                serde_json::to_writer(&mut line, &feature)?;
                Ok(line)
            }
        }
    }
}

/// How a CSV export is written.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CsvQuery {
    /// `true` begins the file with a byte-order mark, so that Excel reads it as UTF-8 (ā, ķ).
    excel: Option<bool>,
}

/// The licence of the open data, and whom it credits.
fn licence(scope: &Scope) -> serde_json::Value {
    serde_json::json!({
        "licence": "CC-BY-4.0",
        "licence_url": "https://creativecommons.org/licenses/by/4.0/",
        "attribution": scope.workspace.municipality,
    })
}

/// The first bytes of a file in `format`: the GeoJSON's opening with its licence, or the byte
/// order mark Excel needs.
fn head(format: Format, scope: &Scope, excel: bool) -> Vec<u8> {
    match format {
        Format::Csv if excel => "\u{feff}".into(),
        Format::Csv => Vec::new(),
        Format::GeoJson => {
            let licence = licence(scope).to_string();
            // The licence's members, then the features, streamed.
            format!(
                "{{\"type\":\"FeatureCollection\",{},\"features\":[\n",
                &licence[1..licence.len() - 1]
            )
            .into_bytes()
        }
    }
}

/// Streams the rows as they arrive, in `format`, after `head`.
fn streamed<T: Exported>(
    rows: Receiver<kopa_store::Result<T>>,
    format: Format,
    head: Vec<u8>,
    base: String,
    name: &str,
) -> Response {
    let tail: &[u8] = match format {
        Format::Csv => b"",
        Format::GeoJson => b"\n]}\n",
    };
    let items = stream::unfold((rows, true), move |(mut rows, first)| {
        let base = base.clone();
        async move {
            let next = rows.recv().await?;
            let encoded = next
                .map_err(|e| std::io::Error::other(e.to_string()))
                .and_then(|item| format.encode(&item, &base, first))
                .map(Bytes::from)
                .inspect_err(|error| tracing::warn!("an export stopped: {error}"));
            Some((encoded, (rows, false)))
        }
    });
    let body = stream::once(async move { Ok(Bytes::from(head)) })
        .chain(items)
        .chain(stream::once(async move { Ok(Bytes::from_static(tail)) }));
    let disposition = format!("attachment; filename=\"{name}\"");
    (
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        Body::from_stream(body),
    )
        .into_response()
}

fn base(scope: &Scope) -> String {
    format!(
        "{}/w/{}",
        scope.state.settings.public_url.trim_end_matches('/'),
        scope.workspace.slug
    )
}

#[utoipa::path(get, path = "/api/v1/workspaces/{slug}/exports/ideas.csv", tag = "open data",
    params(("slug" = String, Path), CsvQuery),
    responses((status = 200, content_type = "text/csv", description = "Open ideas, one per row, streamed"),
        (status = 400, body = super::ProblemDocument), (status = 404, body = super::ProblemDocument)))]
pub async fn ideas_csv(scope: Scope, Query(query): Query<CsvQuery>) -> Result<Response, WebError> {
    allow(&scope, Action::ViewPublished)?;
    let rows = scope.app().open_ideas_stream(&scope.caller())?;
    let head = head(Format::Csv, &scope, query.excel.unwrap_or(false));
    Ok(streamed(rows, Format::Csv, head, base(&scope), "ideas.csv"))
}

#[utoipa::path(get, path = "/api/v1/workspaces/{slug}/exports/ideas.geojson", tag = "open data",
    params(("slug" = String, Path)),
    responses((status = 200, content_type = "application/geo+json", description = "Open ideas as features, streamed"),
        (status = 404, body = super::ProblemDocument)))]
pub async fn ideas_geojson(scope: Scope) -> Result<Response, WebError> {
    allow(&scope, Action::ViewPublished)?;
    let rows = scope.app().open_ideas_stream(&scope.caller())?;
    let head = head(Format::GeoJson, &scope, false);
    Ok(streamed(rows, Format::GeoJson, head, base(&scope), "ideas.geojson"))
}

#[utoipa::path(get, path = "/api/v1/workspaces/{slug}/exports/initiatives.csv", tag = "open data",
    params(("slug" = String, Path), CsvQuery),
    responses((status = 200, content_type = "text/csv", description = "Initiatives, one per row, streamed"),
        (status = 400, body = super::ProblemDocument), (status = 404, body = super::ProblemDocument)))]
pub async fn initiatives_csv(scope: Scope, Query(query): Query<CsvQuery>) -> Result<Response, WebError> {
    allow(&scope, Action::ViewPublished)?;
    let rows = scope.app().initiatives_stream(&scope.caller())?;
    let head = head(Format::Csv, &scope, query.excel.unwrap_or(false));
    Ok(streamed(rows, Format::Csv, head, base(&scope), "initiatives.csv"))
}

#[utoipa::path(get, path = "/api/v1/workspaces/{slug}/exports/initiatives.geojson", tag = "open data",
    params(("slug" = String, Path)),
    responses((status = 200, content_type = "application/geo+json", description = "Initiatives as features, streamed"),
        (status = 404, body = super::ProblemDocument)))]
pub async fn initiatives_geojson(scope: Scope) -> Result<Response, WebError> {
    allow(&scope, Action::ViewPublished)?;
    let rows = scope.app().initiatives_stream(&scope.caller())?;
    let head = head(Format::GeoJson, &scope, false);
    Ok(streamed(
        rows,
        Format::GeoJson,
        head,
        base(&scope),
        "initiatives.geojson",
    ))
}
