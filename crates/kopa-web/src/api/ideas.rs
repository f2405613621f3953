//! Ideas and initiatives through the API, with the pages' rules: the same roles, the same
//! limits, and account ids and names of who moved a step only for those who may see
//! personal data.

use axum::Json;
use axum::extract::{Path, Query};
use axum::response::Response;
use kopa_domain::Action;
use kopa_domain::idea::{Comment, CommentInput, Idea, IdeaInput};
use kopa_domain::initiative::{
    Initiative, InitiativeInput, Milestone, MilestoneInput, RolledUp, StartInput, Step, TransitionInput, progress_in,
};
use serde::{Deserialize, Serialize};

use super::{ApiJson, Cursor, allow, created};
use crate::context::{Scope, parse_id};
use crate::error::WebError;

/// Account ids stay inside: the API shows only the public name.
fn public(mut idea: Idea) -> Idea {
    idea.author_user_id = None;
    idea
}

#[utoipa::path(operation_id = "list_ideas", get, path = "/api/v1/workspaces/{slug}/ideas", tag = "ideas",
    params(("slug" = String, Path), Cursor),
    responses((status = 200, body = [Idea], headers(("Link" = String,
        description = "The next page, as `<address>; rel=\"next\"`, while there may be more.")))))]
pub async fn list(scope: Scope, Query(cursor): Query<Cursor>) -> Result<Response, WebError> {
    let ideas = scope
        .app()
        .ideas_before(&scope.caller(), cursor.before(), cursor.limit())
        .await?;
    let ideas = ideas.into_iter().map(public).collect();
    let path = format!("/api/v1/workspaces/{}/ideas", scope.workspace.slug);
    Ok(cursor.page(&path, ideas, |idea: &Idea| idea.id))
}

#[utoipa::path(operation_id = "create_idea", post, path = "/api/v1/workspaces/{slug}/ideas", tag = "ideas",
    params(("slug" = String, Path)), request_body = IdeaInput,
    responses((status = 201, body = Idea), (status = 422, body = super::ProblemDocument), (status = 401, body = super::ProblemDocument), (status = 429, body = super::ProblemDocument)))]
pub async fn create(scope: Scope, ApiJson(input): ApiJson<IdeaInput>) -> Result<Response, WebError> {
    let idea = scope.app().propose_idea(&scope.caller(), input).await?;
    Ok(created(public(idea)))
}

/// An idea with its comments; a hidden one shows only its reason, except to moderators.
#[derive(Serialize, utoipa::ToSchema)]
pub struct IdeaDetail {
    idea: Idea,
    comments: Vec<Comment>,
}

async fn visible_idea(scope: &Scope, id: &str) -> Result<Idea, WebError> {
    Ok(scope.app().idea(&scope.caller(), parse_id(id)?).await?)
}

#[utoipa::path(operation_id = "show_idea", get, path = "/api/v1/workspaces/{slug}/ideas/{id}", tag = "ideas",
    params(("slug" = String, Path), ("id" = i64, Path)),
    responses((status = 200, body = IdeaDetail), (status = 404, body = super::ProblemDocument)))]
pub async fn show(scope: Scope, Path((_, id)): Path<(String, String)>) -> Result<Json<IdeaDetail>, WebError> {
    let (idea, comments) = scope.app().idea_with_comments(&scope.caller(), parse_id(&id)?).await?;
    let comments = comments
        .into_iter()
        .map(|mut c| {
            c.author_user_id = None;
            c
        })
        .collect();
    Ok(Json(IdeaDetail {
        idea: public(idea),
        comments,
    }))
}

/// Whether the caller supports the idea.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct SupportInput {
    support: bool,
}

#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/ideas/{id}/support", tag = "ideas",
    params(("slug" = String, Path), ("id" = i64, Path)), request_body = SupportInput,
    responses((status = 200, body = Idea), (status = 422, body = super::ProblemDocument)))]
pub async fn support(
    scope: Scope,
    Path((_, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<SupportInput>,
) -> Result<Json<Idea>, WebError> {
    allow(&scope, Action::Participate)?;
    let idea = visible_idea(&scope, &id).await?;
    scope
        .app()
        .support_idea(&scope.caller(), idea.id, input.support)
        .await?;
    Ok(Json(public(visible_idea(&scope, &id).await?)))
}

#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/ideas/{id}/comments", tag = "ideas",
    params(("slug" = String, Path), ("id" = i64, Path)), request_body = CommentInput,
    responses((status = 201, body = Comment), (status = 422, body = super::ProblemDocument), (status = 429, body = super::ProblemDocument)))]
pub async fn comment(
    scope: Scope,
    Path((_, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<CommentInput>,
) -> Result<Response, WebError> {
    allow(&scope, Action::Participate)?;
    let idea = visible_idea(&scope, &id).await?;
    let mut comment = scope.app().comment_on_idea(&scope.caller(), idea.id, input).await?;
    comment.author_user_id = None;
    Ok(created(comment))
}

/// An initiative with its progress rolled up from its parts.
#[derive(Serialize, utoipa::ToSchema)]
pub struct InitiativeSummary {
    #[serde(flatten)]
    initiative: Initiative,
    rolled_up_progress: f64,
}

#[utoipa::path(get, path = "/api/v1/workspaces/{slug}/initiatives", tag = "initiatives",
    params(("slug" = String, Path), Cursor),
    responses((status = 200, body = [InitiativeSummary], headers(("Link" = String,
        description = "The next page, as `<address>; rel=\"next\"`, while there may be more."))),
        (status = 404, body = super::ProblemDocument)))]
pub async fn initiatives(scope: Scope, Query(cursor): Query<Cursor>) -> Result<Response, WebError> {
    let all = scope.app().initiatives(&scope.caller()).await?;
    let rolled_up = RolledUp::of(&all);
    let shown = cursor
        .newest(&all, |initiative| initiative.id)
        .into_iter()
        .map(|initiative| InitiativeSummary {
            rolled_up_progress: rolled_up.progress(initiative.id),
            initiative,
        })
        .collect();
    let path = format!("/api/v1/workspaces/{}/initiatives", scope.workspace.slug);
    Ok(cursor.page(&path, shown, |summary: &InitiativeSummary| summary.initiative.id))
}

/// What an initiative links to, by kind.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Links {
    ideas: Vec<i64>,
    meetings: Vec<i64>,
    decisions: Vec<i64>,
    organisations: Vec<i64>,
}

/// An initiative with its history, milestones and links.
#[derive(Serialize, utoipa::ToSchema)]
pub struct InitiativeDetail {
    #[serde(flatten)]
    summary: InitiativeSummary,
    history: Vec<Step>,
    milestones: Vec<Milestone>,
    links: Links,
}

async fn initiative_detail(scope: &Scope, id: i64) -> Result<InitiativeDetail, WebError> {
    let record = scope.app().initiative_record(&scope.caller(), id).await?;
    let links = Links {
        ideas: record.ideas.iter().map(|i| i.id).collect(),
        meetings: record.meetings.iter().map(|m| m.id).collect(),
        decisions: record.decisions.iter().map(|d| d.decision.id).collect(),
        organisations: record.organisations.iter().map(|o| o.id).collect(),
    };
    Ok(InitiativeDetail {
        summary: InitiativeSummary {
            rolled_up_progress: progress_in(&record.initiatives, id),
            initiative: record.initiative,
        },
        history: record.history,
        milestones: record.milestones,
        links,
    })
}

#[utoipa::path(get, path = "/api/v1/workspaces/{slug}/initiatives/{id}", tag = "initiatives",
    params(("slug" = String, Path), ("id" = i64, Path)),
    responses((status = 200, body = InitiativeDetail), (status = 404, body = super::ProblemDocument)))]
pub async fn initiative(
    scope: Scope,
    Path((_, id)): Path<(String, String)>,
) -> Result<Json<InitiativeDetail>, WebError> {
    Ok(Json(initiative_detail(&scope, parse_id(&id)?).await?))
}

#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/initiatives", tag = "initiatives",
    params(("slug" = String, Path)), request_body = StartInput,
    responses((status = 201, body = InitiativeDetail), (status = 422, body = super::ProblemDocument), (status = 403, body = super::ProblemDocument)))]
pub async fn create_initiative(scope: Scope, ApiJson(input): ApiJson<StartInput>) -> Result<Response, WebError> {
    let made = scope.app().start_initiative(&scope.caller(), input).await?;
    Ok(created(initiative_detail(&scope, made.id).await?))
}

#[utoipa::path(put, path = "/api/v1/workspaces/{slug}/initiatives/{id}", tag = "initiatives",
    params(("slug" = String, Path), ("id" = i64, Path)), request_body = InitiativeInput,
    responses((status = 200, body = InitiativeDetail), (status = 404, body = super::ProblemDocument), (status = 422, body = super::ProblemDocument)))]
pub async fn update_initiative(
    scope: Scope,
    Path((_, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<InitiativeInput>,
) -> Result<Json<InitiativeDetail>, WebError> {
    let id = parse_id(&id)?;
    scope.app().edit_initiative(&scope.caller(), id, &input).await?;
    Ok(Json(initiative_detail(&scope, id).await?))
}

#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/initiatives/{id}/steps", tag = "initiatives",
    params(("slug" = String, Path), ("id" = i64, Path)), request_body = TransitionInput,
    responses((status = 200, body = InitiativeDetail), (status = 422, body = super::ProblemDocument)))]
pub async fn step(
    scope: Scope,
    Path((_, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<TransitionInput>,
) -> Result<Json<InitiativeDetail>, WebError> {
    let id = parse_id(&id)?;
    scope.app().move_initiative(&scope.caller(), id, input, None).await?;
    Ok(Json(initiative_detail(&scope, id).await?))
}

#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/initiatives/{id}/milestones", tag = "initiatives",
    params(("slug" = String, Path), ("id" = i64, Path)), request_body = MilestoneInput,
    responses((status = 201, body = Milestone), (status = 422, body = super::ProblemDocument)))]
pub async fn add_milestone(
    scope: Scope,
    Path((_, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<MilestoneInput>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    Ok(created(scope.app().add_milestone(&scope.caller(), id, &input).await?))
}
