//! What someone follows and what they are told, through the API: their notifications, how
//! they want mail, following and unfollowing, and for the admin the outbox.

use axum::Json;
use axum::extract::Path;
use kopa_domain::notification::{EmailMode, FollowKind, Mail, Notification};
use kopa_domain::validation::Code;
use serde::{Deserialize, Serialize};

use super::ApiJson;
use crate::context::{Scope, parse_id};
use crate::error::WebError;

/// The caller's latest hundred notifications in the workspace, the newest first.
#[utoipa::path(operation_id = "list_notifications", get, path = "/api/v1/workspaces/{slug}/notifications", tag = "notifications",
    params(("slug" = String, Path)), responses((status = 200, body = [Notification])))]
pub async fn list(scope: Scope) -> Result<Json<Vec<Notification>>, WebError> {
    Ok(Json(scope.app().notifications(&scope.caller(), 100).await?))
}

/// Marks every notification in the workspace read, and answers with them.
#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/notifications/read", tag = "notifications",
    params(("slug" = String, Path)), responses((status = 200, body = [Notification])))]
pub async fn mark_read(scope: Scope) -> Result<Json<Vec<Notification>>, WebError> {
    let (app, caller) = (scope.app(), scope.caller());
    app.mark_notifications_read(&caller).await?;
    Ok(Json(app.notifications(&caller, 100).await?))
}

/// How the caller wants mail about what they follow.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct MailChoice {
    email: EmailMode,
}

#[utoipa::path(get, path = "/api/v1/workspaces/{slug}/mail-choice", tag = "notifications",
    params(("slug" = String, Path)), responses((status = 200, body = MailChoice)))]
pub async fn mail_choice(scope: Scope) -> Result<Json<MailChoice>, WebError> {
    let email = scope.app().email_mode(&scope.caller()).await?;
    Ok(Json(MailChoice { email }))
}

/// The choice as sent: any text, so that a wrong one is named rather than rejected whole.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct MailChoiceInput {
    /// `each`, `daily` or `never`.
    email: String,
}

#[utoipa::path(put, path = "/api/v1/workspaces/{slug}/mail-choice", tag = "notifications",
    params(("slug" = String, Path)), request_body = MailChoiceInput, responses((status = 200, body = MailChoice)))]
pub async fn choose_mail(scope: Scope, ApiJson(input): ApiJson<MailChoiceInput>) -> Result<Json<MailChoice>, WebError> {
    let email = scope.app().set_email_mode(&scope.caller(), &input.email).await?;
    Ok(Json(MailChoice { email }))
}

/// Whether the caller follows an idea or initiative, and what it is.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Following {
    following: bool,
    title: String,
    /// Its page on the site.
    path: String,
}

type Target = Path<(String, String, String)>;

fn target(kind: &str, id: &str) -> Result<(FollowKind, i64), WebError> {
    let kind = FollowKind::from_code(kind).ok_or(WebError::NotFound)?;
    Ok((kind, parse_id(id)?))
}

#[utoipa::path(get, path = "/api/v1/workspaces/{slug}/follows/{kind}/{id}", tag = "notifications",
    params(("slug" = String, Path), ("kind" = String, Path, description = "`idea` or `initiative`"), ("id" = i64, Path)),
    responses((status = 200, body = Following)))]
pub async fn follows(scope: Scope, Path((_, kind, id)): Target) -> Result<Json<Following>, WebError> {
    let target = target(&kind, &id)?;
    let (app, caller) = (scope.app(), scope.caller());
    let following = app
        .follows(&caller, target)
        .await?
        .ok_or(WebError::SignInRequired { next: None })?;
    let thing = app.followed(&caller, target).await?.ok_or(WebError::NotFound)?;
    Ok(Json(Following {
        following,
        title: thing.title,
        path: thing.path,
    }))
}

async fn set_following(scope: &Scope, kind: &str, id: &str, follow: bool) -> Result<Json<Following>, WebError> {
    let thing = scope.app().follow(&scope.caller(), target(kind, id)?, follow).await?;
    Ok(Json(Following {
        following: follow,
        title: thing.title,
        path: thing.path,
    }))
}

/// Follows an idea or initiative: its news comes as notifications, and as mail if chosen.
#[utoipa::path(put, path = "/api/v1/workspaces/{slug}/follows/{kind}/{id}", tag = "notifications",
    params(("slug" = String, Path), ("kind" = String, Path, description = "`idea` or `initiative`"), ("id" = i64, Path)),
    responses((status = 200, body = Following)))]
pub async fn follow(scope: Scope, Path((_, kind, id)): Target) -> Result<Json<Following>, WebError> {
    set_following(&scope, &kind, &id, true).await
}

#[utoipa::path(delete, path = "/api/v1/workspaces/{slug}/follows/{kind}/{id}", tag = "notifications",
    params(("slug" = String, Path), ("kind" = String, Path, description = "`idea` or `initiative`"), ("id" = i64, Path)),
    responses((status = 200, body = Following)))]
pub async fn unfollow(scope: Scope, Path((_, kind, id)): Target) -> Result<Json<Following>, WebError> {
    set_following(&scope, &kind, &id, false).await
}

/// The latest 200 mails sent about the workspace, for its admin.
#[utoipa::path(get, path = "/api/v1/workspaces/{slug}/outbox", tag = "notifications",
    params(("slug" = String, Path)), responses((status = 200, body = [Mail])))]
pub async fn outbox(scope: Scope) -> Result<Json<Vec<Mail>>, WebError> {
    Ok(Json(scope.app().outbox(&scope.caller(), 200).await?))
}
