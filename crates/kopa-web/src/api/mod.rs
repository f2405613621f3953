//! The JSON API under `/api/v1`: the same resources and the same authorisation as the pages,
//! described by an OpenAPI document generated from these handlers. Failures are problem
//! documents (RFC 9457) naming each faulty field.

mod cooperation;
mod exports;
mod group;
mod ideas;
mod meetings;
mod notifications;
mod plan;

use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use kopa_domain::workspace::Workspace;
use kopa_domain::{Action, FieldError};
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::OpenApi;

use crate::AppState;
use crate::context::{MAX_BODY_BYTES, Scope};
use crate::error::{Failure, WebError};
use crate::i18n::Locale;

/// A page of a long list: at most `limit` rows, from the last added, or from those added
/// before `before`.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Cursor {
    /// At most 500; 100 when absent.
    limit: Option<i64>,
    /// The id of the last row of the page before; the `Link` header of each full page gives it.
    before: Option<i64>,
}

impl Cursor {
    pub fn limit(&self) -> i64 {
        self.limit.unwrap_or(100).clamp(1, 500)
    }

    pub fn before(&self) -> Option<i64> {
        self.before
    }

    /// This page of rows held whole: the newest first, by id.
    pub fn newest<T: Clone>(&self, rows: &[T], id: impl Fn(&T) -> i64) -> Vec<T> {
        let mut older: Vec<&T> = rows
            .iter()
            .filter(|row| self.before.is_none_or(|before| id(row) < before))
            .collect();
        older.sort_by_key(|row| std::cmp::Reverse(id(row)));
        older.into_iter().take(self.limit() as usize).cloned().collect()
    }

    /// The rows as JSON, and while the page is full a `Link` to the next one at `path`.
    pub fn page<T: Serialize>(&self, path: &str, rows: Vec<T>, id: impl Fn(&T) -> i64) -> Response {
        let limit = self.limit();
        let next = match rows.last() {
            Some(last) if rows.len() as i64 == limit => {
                Some(format!("<{path}?limit={limit}&before={}>; rel=\"next\"", id(last)))
            }
            _ => None,
        };
        let mut response = Json(rows).into_response();
        if let Some(link) = next.and_then(|link| HeaderValue::from_str(&link).ok()) {
            response.headers_mut().insert(header::LINK, link);
        }
        response
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Kopa API", description = "Local action groups, meetings and decisions, ideas and initiatives, \
        cooperation with business, the Integrated Action Plan, and notifications of the Kopa platform. Scripts and GIS tools send a personal API token (made at /account/tokens) as \
        `Authorization: Bearer`; a read-only token cannot write. In a browser, the session's cookie works too, and \
        state-changing calls then carry its CSRF token in the X-CSRF-Token header."),
    paths(
        workspaces,
        meetings::list, meetings::create, meetings::show, meetings::update, meetings::add_agenda_item, meetings::add_speaker,
        meetings::record_decision, meetings::register,
        group::organisations, group::create_organisation, group::members, group::add_membership, group::people, group::create_person,
        group::stakeholders, group::assess, group::audit,
        ideas::list, ideas::create, ideas::show, ideas::support, ideas::comment,
        ideas::initiatives, ideas::initiative, ideas::create_initiative, ideas::update_initiative, ideas::step,
        ideas::add_milestone,
        cooperation::partners, cooperation::add_partner, cooperation::partner, cooperation::update_partner,
        cooperation::open_procedure, cooperation::close_procedure, cooperation::record_tax_check, cooperation::link_account,
        cooperation::instruments, cooperation::draft_instrument, cooperation::offer_instrument, cooperation::instrument,
        cooperation::edit_instrument, cooperation::step, cooperation::approve, cooperation::justify,
        cooperation::record_evidence, cooperation::declare, cooperation::publish, cooperation::file_document,
        cooperation::add_obligation, cooperation::inspect, cooperation::remedied, cooperation::audit_pack,
        cooperation::agreements,
        plan::current, plan::versions, plan::open_draft, plan::show, plan::submit, plan::publish, plan::save_part,
        plan::add_item, plan::save_item, plan::remove_item, plan::measure, plan::comments, plan::comment,
        plan::reviews, plan::request_review, plan::review, plan::comment_in_review, plan::answer_review_comment,
        notifications::list, notifications::mark_read, notifications::mail_choice, notifications::choose_mail,
        notifications::follows, notifications::follow, notifications::unfollow, notifications::outbox,
        exports::ideas_csv, exports::ideas_geojson, exports::initiatives_csv, exports::initiatives_geojson,
    ),
    components(schemas(ProblemDocument)),
    modifiers(&Failures, &BearerTokens),
    tags((name = "workspaces"), (name = "meetings"), (name = "group"), (name = "audit"), (name = "ideas"),
        (name = "initiatives"), (name = "cooperation"), (name = "plan"), (name = "notifications"),
        (name = "open data"))
)]
pub struct ApiDoc;

/// Every operation fails in the same ways, each answered with a problem document: said once
/// here rather than on every handler.
struct Failures;

impl utoipa::Modify for Failures {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let every = [
            (
                "400",
                "The request is malformed: a header, a parameter or the encoding.",
            ),
            ("401", "Sign in first."),
            ("403", "The role does not allow this, or the CSRF token is missing."),
            ("404", "No such workspace or record here."),
            ("500", "The server failed; nothing was changed."),
            (
                "503",
                "The database cannot be reached just now; try again after Retry-After seconds.",
            ),
        ];
        let with_body = [
            ("409", "A rule refused the change; the detail says which."),
            ("413", "The body is too large."),
            ("415", "The body is not JSON."),
            ("422", "Input that fails validation, named field by field."),
            ("429", "Too many in a short time; try again after Retry-After seconds."),
        ];
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                (&mut item.get, false),
                (&mut item.put, true),
                (&mut item.post, true),
                (&mut item.delete, true),
            ];
            for (operation, writes) in operations {
                let Some(operation) = operation else { continue };
                let failures = every.iter().chain(with_body.iter().filter(|_| writes));
                for (status, description) in failures {
                    let content = ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ProblemDocument")))
                        .build();
                    let response = ResponseBuilder::new()
                        .description(*description)
                        .content("application/problem+json", content)
                        .build();
                    operation.responses.responses.insert((*status).into(), response.into());
                }
            }
        }
    }
}

/// Personal API tokens, as the document names them; anonymous calls read what is public.
struct BearerTokens;

impl utoipa::Modify for BearerTokens {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
        let scheme = HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build();
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("token", SecurityScheme::Http(scheme));
        openapi.security = Some(vec![
            SecurityRequirement::default(),
            SecurityRequirement::new("token", Vec::<String>::new()),
        ]);
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/workspaces", get(workspaces))
        .route(
            "/workspaces/{slug}/meetings",
            get(meetings::list).post(meetings::create),
        )
        .route(
            "/workspaces/{slug}/meetings/{id}",
            get(meetings::show).put(meetings::update),
        )
        .route(
            "/workspaces/{slug}/meetings/{id}/agenda",
            post(meetings::add_agenda_item),
        )
        .route("/workspaces/{slug}/meetings/{id}/speakers", post(meetings::add_speaker))
        .route(
            "/workspaces/{slug}/meetings/{id}/decisions",
            post(meetings::record_decision),
        )
        .route(
            "/workspaces/{slug}/meetings/{id}/registrations",
            post(meetings::register),
        )
        .route(
            "/workspaces/{slug}/organisations",
            get(group::organisations).post(group::create_organisation),
        )
        .route(
            "/workspaces/{slug}/members",
            get(group::members).post(group::add_membership),
        )
        .route(
            "/workspaces/{slug}/people",
            get(group::people).post(group::create_person),
        )
        .route(
            "/workspaces/{slug}/stakeholders",
            get(group::stakeholders).post(group::assess),
        )
        .route("/workspaces/{slug}/audit", get(group::audit))
        .route("/workspaces/{slug}/ideas", get(ideas::list).post(ideas::create))
        .route("/workspaces/{slug}/ideas/{id}", get(ideas::show))
        .route("/workspaces/{slug}/ideas/{id}/support", post(ideas::support))
        .route("/workspaces/{slug}/ideas/{id}/comments", post(ideas::comment))
        .route(
            "/workspaces/{slug}/initiatives",
            get(ideas::initiatives).post(ideas::create_initiative),
        )
        .route(
            "/workspaces/{slug}/initiatives/{id}",
            get(ideas::initiative).put(ideas::update_initiative),
        )
        .route("/workspaces/{slug}/initiatives/{id}/steps", post(ideas::step))
        .route(
            "/workspaces/{slug}/initiatives/{id}/milestones",
            post(ideas::add_milestone),
        )
        .route(
            "/workspaces/{slug}/partners",
            get(cooperation::partners).post(cooperation::add_partner),
        )
        .route(
            "/workspaces/{slug}/partners/{id}",
            get(cooperation::partner).put(cooperation::update_partner),
        )
        .route(
            "/workspaces/{slug}/partners/{id}/procedures",
            post(cooperation::open_procedure),
        )
        .route(
            "/workspaces/{slug}/partners/{id}/closed-procedures",
            post(cooperation::close_procedure),
        )
        .route(
            "/workspaces/{slug}/partners/{id}/tax-checks",
            post(cooperation::record_tax_check),
        )
        .route(
            "/workspaces/{slug}/partners/{id}/accounts",
            post(cooperation::link_account),
        )
        .route(
            "/workspaces/{slug}/instruments",
            get(cooperation::instruments).post(cooperation::draft_instrument),
        )
        .route("/workspaces/{slug}/offers", post(cooperation::offer_instrument))
        .route(
            "/workspaces/{slug}/instruments/{id}",
            get(cooperation::instrument).put(cooperation::edit_instrument),
        )
        .route("/workspaces/{slug}/instruments/{id}/steps", post(cooperation::step))
        .route(
            "/workspaces/{slug}/instruments/{id}/approval",
            post(cooperation::approve),
        )
        .route(
            "/workspaces/{slug}/instruments/{id}/justification",
            put(cooperation::justify),
        )
        .route(
            "/workspaces/{slug}/instruments/{id}/evidence",
            post(cooperation::record_evidence),
        )
        .route(
            "/workspaces/{slug}/instruments/{id}/declarations",
            post(cooperation::declare),
        )
        .route(
            "/workspaces/{slug}/instruments/{id}/publication",
            put(cooperation::publish),
        )
        .route(
            "/workspaces/{slug}/instruments/{id}/documents",
            post(cooperation::file_document),
        )
        .route(
            "/workspaces/{slug}/instruments/{id}/obligations",
            post(cooperation::add_obligation),
        )
        .route(
            "/workspaces/{slug}/instruments/{id}/obligations/{obligation}/inspections",
            post(cooperation::inspect),
        )
        .route(
            "/workspaces/{slug}/instruments/{id}/obligations/{obligation}/remedies",
            post(cooperation::remedied),
        )
        .route(
            "/workspaces/{slug}/instruments/{id}/audit-pack",
            get(cooperation::audit_pack),
        )
        .route("/workspaces/{slug}/agreements", get(cooperation::agreements))
        .route("/workspaces/{slug}/plan", get(plan::current))
        .route(
            "/workspaces/{slug}/plan/versions",
            get(plan::versions).post(plan::open_draft),
        )
        .route("/workspaces/{slug}/plan/versions/{number}", get(plan::show))
        .route(
            "/workspaces/{slug}/plan/versions/{number}/submission",
            post(plan::submit),
        )
        .route(
            "/workspaces/{slug}/plan/versions/{number}/publication",
            post(plan::publish),
        )
        .route(
            "/workspaces/{slug}/plan/versions/{number}/parts/{part}",
            put(plan::save_part),
        )
        .route(
            "/workspaces/{slug}/plan/versions/{number}/items/{kind}",
            post(plan::add_item),
        )
        .route(
            "/workspaces/{slug}/plan/versions/{number}/items/{kind}/{id}",
            put(plan::save_item).delete(plan::remove_item),
        )
        .route(
            "/workspaces/{slug}/plan/versions/{number}/indicators/{id}/measurements",
            post(plan::measure),
        )
        .route(
            "/workspaces/{slug}/plan/comments",
            get(plan::comments).post(plan::comment),
        )
        .route(
            "/workspaces/{slug}/plan/reviews",
            get(plan::reviews).post(plan::request_review),
        )
        .route("/workspaces/{slug}/plan/reviews/{id}", get(plan::review))
        .route(
            "/workspaces/{slug}/plan/reviews/{id}/comments",
            post(plan::comment_in_review),
        )
        .route(
            "/workspaces/{slug}/plan/reviews/{id}/comments/{comment}/answer",
            post(plan::answer_review_comment),
        )
        .route("/workspaces/{slug}/notifications", get(notifications::list))
        .route("/workspaces/{slug}/notifications/read", post(notifications::mark_read))
        .route(
            "/workspaces/{slug}/mail-choice",
            get(notifications::mail_choice).put(notifications::choose_mail),
        )
        .route(
            "/workspaces/{slug}/follows/{kind}/{id}",
            get(notifications::follows)
                .put(notifications::follow)
                .delete(notifications::unfollow),
        )
        .route("/workspaces/{slug}/outbox", get(notifications::outbox))
        .route("/workspaces/{slug}/exports/ideas.csv", get(exports::ideas_csv))
        .route("/workspaces/{slug}/exports/ideas.geojson", get(exports::ideas_geojson))
        .route(
            "/workspaces/{slug}/exports/initiatives.csv",
            get(exports::initiatives_csv),
        )
        .route(
            "/workspaces/{slug}/exports/initiatives.geojson",
            get(exports::initiatives_geojson),
        )
        .fallback(|| async { WebError::NotFound })
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// A failure as the API reports it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ProblemDocument {
    /// Always `about:blank`: the status says the kind.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Each faulty field with its message.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// The problem document for a failure, in the caller's language.
pub fn problem(state: &AppState, locale: Locale, failure: &Failure) -> Response {
    let translate = |key: &str| state.app.i18n.text(locale, key, &[]);
    let document = ProblemDocument {
        kind: "about:blank".into(),
        title: failure.status.canonical_reason().unwrap_or("Error").into(),
        status: failure.status.as_u16(),
        detail: failure.message(&state.app.i18n, locale),
        errors: failure
            .errors
            .iter()
            .map(|e| FieldError {
                field: e.field.clone(),
                message: translate(&e.message),
            })
            .collect(),
    };
    let mut response = (failure.status, Json(document)).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/problem+json"),
    );
    response
}

/// A JSON body, read strictly: the wrong media type, bad JSON or the wrong shape each get a
/// problem document saying which.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = WebError;

    async fn from_request(request: Request, _: &S) -> Result<ApiJson<T>, WebError> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(WebError::BadRequest("error-media-type"));
        }
        let bytes = axum::body::to_bytes(request.into_body(), MAX_BODY_BYTES)
            .await
            .map_err(|_| WebError::PayloadTooLarge)?;
        serde_json::from_slice(&bytes).map(ApiJson).map_err(|error| {
            let field = if error.is_data() { "body" } else { "json" };
            let mut invalid = kopa_domain::Invalid::new();
            invalid.add(field, &error.to_string());
            WebError::Invalid(invalid)
        })
    }
}

/// A created resource.
pub fn created<T: Serialize>(value: T) -> Response {
    (StatusCode::CREATED, Json(value)).into_response()
}

/// The workspaces of every network, lead partner first.
#[utoipa::path(get, path = "/api/v1/workspaces", tag = "workspaces", responses((status = 200, body = [Workspace])))]
async fn workspaces(State(state): State<AppState>) -> Result<Json<Vec<Workspace>>, WebError> {
    Ok(Json(state.app.workspaces().await?))
}

/// Checks a permission for an API call.
fn allow(scope: &Scope, action: Action) -> Result<(), WebError> {
    scope.require(action)
}
