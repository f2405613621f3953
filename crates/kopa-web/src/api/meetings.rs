//! Meetings through the API.

use axum::Json;
use axum::extract::{Path, Query};
use axum::response::Response;
use kopa_domain::meeting::{
    AgendaItemInput, Decision, DecisionInput, Meeting, MeetingInput, NumberedItem, Registration, RegistrationInput,
    Speaker, SpeakerInput, outline,
};
use kopa_store::MeetingSummary;
use serde::Serialize;

use super::{ApiJson, Cursor, created};
use crate::context::{Scope, parse_id};
use crate::error::WebError;

/// Published meetings, and unpublished ones for the group, the last added first.
#[utoipa::path(operation_id = "list_meetings", get, path = "/api/v1/workspaces/{slug}/meetings", tag = "meetings",
    params(("slug" = String, Path, description = "The workspace, e.g. `kekava`"), Cursor),
    responses((status = 200, body = [MeetingSummary], headers(("Link" = String,
        description = "The next page, as `<address>; rel=\"next\"`, while there may be more."))),
        (status = 404, body = super::ProblemDocument)))]
pub async fn list(scope: Scope, Query(cursor): Query<Cursor>) -> Result<Response, WebError> {
    let meetings = scope
        .app()
        .meetings_before(&scope.caller(), cursor.before(), cursor.limit())
        .await?;
    let path = format!("/api/v1/workspaces/{}/meetings", scope.workspace.slug);
    Ok(cursor.page(&path, meetings, |m: &MeetingSummary| m.meeting.id))
}

/// Creates a meeting. Times are local to the workspace, as `YYYY-MM-DDTHH:MM`.
#[utoipa::path(operation_id = "create_meeting", post, path = "/api/v1/workspaces/{slug}/meetings", tag = "meetings",
    params(("slug" = String, Path)), request_body = MeetingInput,
    responses((status = 201, body = Meeting), (status = 422, body = super::ProblemDocument), (status = 403, body = super::ProblemDocument)))]
pub async fn create(scope: Scope, ApiJson(input): ApiJson<MeetingInput>) -> Result<Response, WebError> {
    Ok(created(scope.app().create_meeting(&scope.caller(), &input).await?))
}

/// Replaces a meeting's details; the agenda, speakers and decisions stay.
#[utoipa::path(put, path = "/api/v1/workspaces/{slug}/meetings/{id}", tag = "meetings",
    params(("slug" = String, Path), ("id" = i64, Path)), request_body = MeetingInput,
    responses((status = 200, body = Meeting), (status = 404, body = super::ProblemDocument), (status = 422, body = super::ProblemDocument)))]
pub async fn update(
    scope: Scope,
    Path((_, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<MeetingInput>,
) -> Result<Json<Meeting>, WebError> {
    let id = parse_id(&id)?;
    Ok(Json(scope.app().update_meeting(&scope.caller(), id, &input).await?))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MeetingDetail {
    meeting: Meeting,
    /// In reading order, numbered as an outline.
    #[schema(value_type = Vec<Object>)]
    agenda: Vec<NumberedItem>,
    speakers: Vec<Speaker>,
    decisions: Vec<Decision>,
    confirmed: usize,
    waiting: usize,
    /// Only for those who may see personal data.
    #[serde(skip_serializing_if = "Option::is_none")]
    registrations: Option<Vec<Registration>>,
}

/// One meeting with its agenda, speakers, decisions and registration counts.
#[utoipa::path(operation_id = "show_meeting", get, path = "/api/v1/workspaces/{slug}/meetings/{id}", tag = "meetings",
    params(("slug" = String, Path), ("id" = i64, Path)),
    responses((status = 200, body = MeetingDetail), (status = 404, body = super::ProblemDocument)))]
pub async fn show(scope: Scope, Path((_, id)): Path<(String, String)>) -> Result<Json<MeetingDetail>, WebError> {
    let record = scope.app().meeting_record(&scope.caller(), parse_id(&id)?).await?;
    Ok(Json(MeetingDetail {
        agenda: outline(&record.agenda),
        speakers: record.speakers,
        decisions: record.decisions,
        confirmed: record.confirmed,
        waiting: record.waiting,
        registrations: record.registrations,
        meeting: record.meeting,
    }))
}

/// Appends an agenda item, at the top level or under `parent_id`.
#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/meetings/{id}/agenda", tag = "meetings",
    params(("slug" = String, Path), ("id" = i64, Path)), request_body = AgendaItemInput,
    responses((status = 201, body = kopa_domain::meeting::AgendaItem), (status = 422, body = super::ProblemDocument)))]
pub async fn add_agenda_item(
    scope: Scope,
    Path((_, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<AgendaItemInput>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    Ok(created(scope.app().add_agenda_item(&scope.caller(), id, &input).await?))
}

#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/meetings/{id}/speakers", tag = "meetings",
    params(("slug" = String, Path), ("id" = i64, Path)), request_body = SpeakerInput,
    responses((status = 201, body = Speaker), (status = 422, body = super::ProblemDocument)))]
pub async fn add_speaker(
    scope: Scope,
    Path((_, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<SpeakerInput>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    Ok(created(scope.app().add_speaker(&scope.caller(), id, &input).await?))
}

/// Records a decision with its votes; the outcome and unanimity are computed.
#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/meetings/{id}/decisions", tag = "meetings",
    params(("slug" = String, Path), ("id" = i64, Path)), request_body = DecisionInput,
    responses((status = 201, body = Decision), (status = 422, body = super::ProblemDocument)))]
pub async fn record_decision(
    scope: Scope,
    Path((_, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<DecisionInput>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    Ok(created(scope.app().record_decision(&scope.caller(), id, &input).await?))
}

/// Registers for a meeting; once the seats are taken, on the waiting list.
#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/meetings/{id}/registrations", tag = "meetings",
    params(("slug" = String, Path), ("id" = i64, Path)), request_body = RegistrationInput,
    responses((status = 201, body = Registration), (status = 409, body = super::ProblemDocument), (status = 422, body = super::ProblemDocument)))]
pub async fn register(
    scope: Scope,
    Path((_, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<RegistrationInput>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    Ok(created(
        scope.app().register_for_meeting(&scope.caller(), id, &input).await?,
    ))
}
