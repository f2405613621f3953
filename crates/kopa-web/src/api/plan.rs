//! The Integrated Action Plan through the API: its versions with readiness, editing a draft,
//! submitting and publishing, comments on its items, and reviews by the network's peers and
//! experts with the city's answers. The read policy is the pages': the
//! group reads every version, the network's readers the submitted ones, everyone the
//! published ones.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query};
use axum::response::Response;
use kopa_domain::plan::edit::{ItemKind, MeasurementInput, Part, PlanEdit};
use kopa_domain::plan::review::{AnswerInput, ReviewRequestInput};
use kopa_domain::plan::{ItemId, Plan, Section};
use kopa_domain::validation::Code;
use kopa_store::{PlanComment, PlanReview, PlanVersion, ReviewComment, VersionInfo};
use serde::{Deserialize, Serialize};

use super::{ApiJson, created};
use crate::context::{Scope, parse_id};
use crate::error::WebError;

/// What the readiness check finds missing before the plan can go to the network.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Gap {
    section: Section,
    /// The item's code or title; empty for a whole section.
    item: String,
    /// Where it is on the plan's page, e.g. `action-7`.
    anchor: String,
    /// What is missing, in the caller's language.
    message: String,
}

/// One version: its facts, its content, and what is still missing.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PlanDocument {
    info: VersionInfo,
    /// The plan as the pages show it: vision, problem tree, objectives, actions with funding,
    /// small actions, risks, indicators with their measurements, roadmap, each text in
    /// Latvian and English.
    #[schema(value_type = Object)]
    plan: Plan,
    readiness: Vec<Gap>,
}

fn document(scope: &Scope, version: PlanVersion) -> PlanDocument {
    let readiness = version
        .plan
        .readiness()
        .into_iter()
        .map(|gap| Gap {
            section: gap.section,
            item: gap.item,
            anchor: gap.anchor,
            message: scope.t(gap.key),
        })
        .collect();
    PlanDocument {
        info: version.info,
        plan: version.plan,
        readiness,
    }
}

async fn version(scope: &Scope, number: i64) -> Result<PlanDocument, WebError> {
    let version = scope.app().plan_version(&scope.caller(), number).await?;
    Ok(document(scope, version))
}

type Number = Path<(String, String)>;

/// The version a reader starts from: the newest for the group, the newest published for
/// anyone else.
#[utoipa::path(operation_id = "current_plan", get, path = "/api/v1/workspaces/{slug}/plan", tag = "plan",
    params(("slug" = String, Path)), responses((status = 200, body = PlanDocument)))]
pub async fn current(scope: Scope) -> Result<Json<PlanDocument>, WebError> {
    let current = scope.app().current_plan(&scope.caller()).await?;
    Ok(Json(document(&scope, current.ok_or(WebError::NotFound)?)))
}

#[utoipa::path(operation_id = "list_plan_versions", get, path = "/api/v1/workspaces/{slug}/plan/versions", tag = "plan",
    params(("slug" = String, Path)), responses((status = 200, body = [VersionInfo])))]
pub async fn versions(scope: Scope) -> Result<Json<Vec<VersionInfo>>, WebError> {
    Ok(Json(scope.app().plan_versions(&scope.caller()).await?))
}

/// Opens the next draft, a copy of the newest version.
#[utoipa::path(operation_id = "open_plan_draft", post, path = "/api/v1/workspaces/{slug}/plan/versions", tag = "plan",
    params(("slug" = String, Path)), responses((status = 201, body = PlanDocument)))]
pub async fn open_draft(scope: Scope) -> Result<Response, WebError> {
    let number = scope.app().open_plan_draft(&scope.caller()).await?;
    Ok(created(version(&scope, number).await?))
}

#[utoipa::path(operation_id = "show_plan_version", get, path = "/api/v1/workspaces/{slug}/plan/versions/{number}", tag = "plan",
    params(("slug" = String, Path), ("number" = i64, Path)), responses((status = 200, body = PlanDocument)))]
pub async fn show(scope: Scope, Path((_, number)): Number) -> Result<Json<PlanDocument>, WebError> {
    Ok(Json(version(&scope, parse_id(&number)?).await?))
}

/// Submitting with gaps left must say so.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct SubmissionInput {
    #[serde(default)]
    with_gaps: bool,
}

/// Submits a draft to the network; its counted indicators keep today's values.
#[utoipa::path(operation_id = "submit_plan", post, path = "/api/v1/workspaces/{slug}/plan/versions/{number}/submission", tag = "plan",
    params(("slug" = String, Path), ("number" = i64, Path)), request_body = SubmissionInput,
    responses((status = 200, body = VersionInfo)))]
pub async fn submit(
    scope: Scope,
    Path((_, number)): Number,
    ApiJson(input): ApiJson<SubmissionInput>,
) -> Result<Json<VersionInfo>, WebError> {
    let number = parse_id(&number)?;
    Ok(Json(
        scope
            .app()
            .submit_plan(&scope.caller(), number, input.with_gaps)
            .await?,
    ))
}

/// Opens a submitted version to everyone, residents included.
#[utoipa::path(operation_id = "publish_plan", post, path = "/api/v1/workspaces/{slug}/plan/versions/{number}/publication", tag = "plan",
    params(("slug" = String, Path), ("number" = i64, Path)), responses((status = 200, body = VersionInfo)))]
pub async fn publish(scope: Scope, Path((_, number)): Number) -> Result<Json<VersionInfo>, WebError> {
    let number = parse_id(&number)?;
    Ok(Json(scope.app().publish_plan(&scope.caller(), number).await?))
}

/// A part's or an item's fields, each as text, named as on its form.
type Fields = HashMap<String, String>;

async fn edit(
    scope: &Scope,
    number: i64,
    edit: Result<PlanEdit, kopa_domain::Invalid>,
) -> Result<PlanDocument, WebError> {
    let edit = edit.map_err(WebError::Invalid)?;
    scope.app().edit_plan(&scope.caller(), number, &edit).await?;
    version(scope, number).await
}

fn kind_of(text: &str) -> Result<ItemKind, WebError> {
    ItemKind::from_code(text).ok_or(WebError::NotFound)
}

fn item_id(text: &str) -> Result<ItemId, WebError> {
    text.parse().map_err(|_| WebError::NotFound)
}

/// Changes a whole part: `vision`, `core`, `implementation` or `assessment`.
#[utoipa::path(put, path = "/api/v1/workspaces/{slug}/plan/versions/{number}/parts/{part}", tag = "plan",
    params(("slug" = String, Path), ("number" = i64, Path), ("part" = String, Path)),
    request_body(content = HashMap<String, String>, description = "The part's fields, each as text."),
    responses((status = 200, body = PlanDocument)))]
pub async fn save_part(
    scope: Scope,
    Path((_, number, part)): Path<(String, String, String)>,
    ApiJson(fields): ApiJson<Fields>,
) -> Result<Json<PlanDocument>, WebError> {
    let part = Part::from_code(&part).ok_or(WebError::NotFound)?;
    Ok(Json(
        edit(&scope, parse_id(&number)?, PlanEdit::part(part, &fields)).await?,
    ))
}

/// Adds an item of a kind: `node`, `objective`, `action`, `funding`, `small_action`, `risk`,
/// `indicator` or `milestone`.
#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/plan/versions/{number}/items/{kind}", tag = "plan",
    params(("slug" = String, Path), ("number" = i64, Path), ("kind" = String, Path)),
    request_body(content = HashMap<String, String>, description = "The item's fields, each as text."),
    responses((status = 201, body = PlanDocument)))]
pub async fn add_item(
    scope: Scope,
    Path((_, number, kind)): Path<(String, String, String)>,
    ApiJson(fields): ApiJson<Fields>,
) -> Result<Response, WebError> {
    let kind = kind_of(&kind)?;
    Ok(created(
        edit(&scope, parse_id(&number)?, PlanEdit::save(kind, None, &fields)).await?,
    ))
}

type ItemPath = Path<(String, String, String, String)>;

#[utoipa::path(put, path = "/api/v1/workspaces/{slug}/plan/versions/{number}/items/{kind}/{id}", tag = "plan",
    params(("slug" = String, Path), ("number" = i64, Path), ("kind" = String, Path), ("id" = u32, Path)),
    request_body(content = HashMap<String, String>, description = "The item's fields, each as text."),
    responses((status = 200, body = PlanDocument)))]
pub async fn save_item(
    scope: Scope,
    Path((_, number, kind, id)): ItemPath,
    ApiJson(fields): ApiJson<Fields>,
) -> Result<Json<PlanDocument>, WebError> {
    let (kind, id) = (kind_of(&kind)?, item_id(&id)?);
    Ok(Json(
        edit(&scope, parse_id(&number)?, PlanEdit::save(kind, Some(id), &fields)).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/workspaces/{slug}/plan/versions/{number}/items/{kind}/{id}", tag = "plan",
    params(("slug" = String, Path), ("number" = i64, Path), ("kind" = String, Path), ("id" = u32, Path)),
    responses((status = 200, body = PlanDocument)))]
pub async fn remove_item(scope: Scope, Path((_, number, kind, id)): ItemPath) -> Result<Json<PlanDocument>, WebError> {
    let (kind, id) = (kind_of(&kind)?, item_id(&id)?);
    Ok(Json(
        edit(&scope, parse_id(&number)?, Ok(PlanEdit::Remove(kind, id))).await?,
    ))
}

/// Records an indicator's value on a day; a second value on the same day replaces the first.
#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/plan/versions/{number}/indicators/{id}/measurements",
    tag = "plan", params(("slug" = String, Path), ("number" = i64, Path), ("id" = u32, Path)),
    request_body = MeasurementInput, responses((status = 200, body = PlanDocument)))]
pub async fn measure(
    scope: Scope,
    Path((_, number, id)): Path<(String, String, String)>,
    ApiJson(input): ApiJson<MeasurementInput>,
) -> Result<Json<PlanDocument>, WebError> {
    let id = item_id(&id)?;
    Ok(Json(
        edit(&scope, parse_id(&number)?, Ok(PlanEdit::Measurement(id, input))).await?,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommentsQuery {
    /// Only one item's, named `kind:id`, e.g. `action:3`.
    item: Option<String>,
}

#[utoipa::path(operation_id = "list_plan_comments", get, path = "/api/v1/workspaces/{slug}/plan/comments", tag = "plan",
    params(("slug" = String, Path), CommentsQuery), responses((status = 200, body = [PlanComment])))]
pub async fn comments(scope: Scope, Query(query): Query<CommentsQuery>) -> Result<Json<Vec<PlanComment>>, WebError> {
    let comments = scope
        .app()
        .plan_comments(&scope.caller(), query.item.as_deref())
        .await?;
    Ok(Json(comments))
}

/// A comment on an item of the current plan.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct PlanCommentInput {
    /// The item, named `kind:id`, e.g. `action:3`.
    item: String,
    body: String,
}

#[utoipa::path(operation_id = "comment_on_plan", post, path = "/api/v1/workspaces/{slug}/plan/comments", tag = "plan",
    params(("slug" = String, Path)), request_body = PlanCommentInput, responses((status = 201, body = PlanComment)))]
pub async fn comment(scope: Scope, ApiJson(input): ApiJson<PlanCommentInput>) -> Result<Response, WebError> {
    let (app, caller) = (scope.app(), scope.caller());
    let id = app.comment_on_plan(&caller, &input.item, &input.body).await?;
    let comments = app.plan_comments(&caller, Some(&input.item)).await?;
    let made = comments.into_iter().find(|c| c.id == id).ok_or(WebError::NotFound)?;
    Ok(created(made))
}

/// A review with its comments, each with the city's answer once given.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ReviewWithComments {
    review: PlanReview,
    comments: Vec<ReviewComment>,
}

#[utoipa::path(operation_id = "list_plan_reviews", get, path = "/api/v1/workspaces/{slug}/plan/reviews", tag = "plan",
    params(("slug" = String, Path)), responses((status = 200, body = [PlanReview])))]
pub async fn reviews(scope: Scope) -> Result<Json<Vec<PlanReview>>, WebError> {
    Ok(Json(scope.app().plan_reviews(&scope.caller()).await?))
}

#[utoipa::path(operation_id = "request_plan_review", post, path = "/api/v1/workspaces/{slug}/plan/reviews", tag = "plan",
    params(("slug" = String, Path)), request_body = ReviewRequestInput, responses((status = 201, body = PlanReview)))]
pub async fn request_review(scope: Scope, ApiJson(input): ApiJson<ReviewRequestInput>) -> Result<Response, WebError> {
    Ok(created(scope.app().request_review(&scope.caller(), &input).await?))
}

#[utoipa::path(operation_id = "get_plan_review", get, path = "/api/v1/workspaces/{slug}/plan/reviews/{id}", tag = "plan",
    params(("slug" = String, Path), ("id" = i64, Path)), responses((status = 200, body = ReviewWithComments)))]
pub async fn review(scope: Scope, Path((_, id)): Path<(String, String)>) -> Result<Json<ReviewWithComments>, WebError> {
    let file = scope.app().review_file(&scope.caller(), parse_id(&id)?).await?;
    Ok(Json(ReviewWithComments {
        review: file.review,
        comments: file.comments,
    }))
}

#[utoipa::path(operation_id = "comment_in_plan_review", post, path = "/api/v1/workspaces/{slug}/plan/reviews/{id}/comments", tag = "plan",
    params(("slug" = String, Path), ("id" = i64, Path)), request_body = PlanCommentInput, responses((status = 201, body = ReviewComment)))]
pub async fn comment_in_review(
    scope: Scope,
    Path((_, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<PlanCommentInput>,
) -> Result<Response, WebError> {
    let (app, caller) = (scope.app(), scope.caller());
    let made = app
        .comment_in_review(&caller, parse_id(&id)?, &input.item, &input.body)
        .await?;
    let comment = app.review_comment(&caller, made).await?;
    Ok(created(comment))
}

#[utoipa::path(operation_id = "answer_plan_review_comment", post,
    path = "/api/v1/workspaces/{slug}/plan/reviews/{id}/comments/{comment}/answer", tag = "plan",
    params(("slug" = String, Path), ("id" = i64, Path), ("comment" = i64, Path)), request_body = AnswerInput,
    responses((status = 200, body = ReviewComment)))]
pub async fn answer_review_comment(
    scope: Scope,
    Path((_, review, comment)): Path<(String, String, String)>,
    ApiJson(input): ApiJson<AnswerInput>,
) -> Result<Json<ReviewComment>, WebError> {
    let (review, comment) = (parse_id(&review)?, parse_id(&comment)?);
    let answered = scope
        .app()
        .answer_review_comment(&scope.caller(), review, comment, &input)
        .await?;
    Ok(Json(answered))
}
