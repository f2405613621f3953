//! What someone follows tells them what happened: their notifications, their choice of
//! e-mail, following and unfollowing, and for the admin the outbox of mail sent.

use askama::Template;
use axum::response::Response;
use kopa_domain::Action;
use kopa_domain::notification::{EmailMode, FollowKind, Mail, Notification};
use kopa_domain::validation::Code;
use serde::Deserialize;

use super::{Chrome, FormState, form_refusal, render, render_refused, see_other};
use crate::context::{Form, Scope};
use crate::error::WebError;

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    page: Chrome,
    notifications: Vec<Notification>,
    email_options: Vec<(String, String)>,
    form: FormState,
}

async fn notifications_page(scope: &Scope, form: Option<FormState>) -> Result<NotificationsPage, WebError> {
    let (app, caller) = (scope.app(), scope.caller());
    let mode = app.email_mode(&caller).await?;
    Ok(NotificationsPage {
        page: Chrome::for_scope(scope, "nav-notifications"),
        notifications: app.notifications(&caller, 100).await?,
        email_options: EmailMode::ALL
            .iter()
            .map(|m| (m.code().to_owned(), scope.t(&format!("email-mode-{m}"))))
            .collect(),
        form: form
            .unwrap_or_else(|| FormState::with_defaults(&[("email", mode.code())]))
            .named("settings"),
    })
}

pub async fn list(scope: Scope) -> Result<Response, WebError> {
    render(notifications_page(&scope, None).await?)
}

pub async fn mark_read(scope: Scope, _: Form<Empty>) -> Result<Response, WebError> {
    scope.app().mark_notifications_read(&scope.caller()).await?;
    Ok(see_other(&format!("/w/{}/notifications", scope.workspace.slug)))
}

#[derive(Debug, Default, Deserialize)]
pub struct Empty {}

#[derive(Debug, Default, Deserialize)]
pub struct EmailInput {
    #[serde(default)]
    email: String,
}

pub async fn set_email(scope: Scope, form: Form<EmailInput>) -> Result<Response, WebError> {
    match scope.app().set_email_mode(&scope.caller(), &form.input.email).await {
        Ok(_) => Ok(see_other(&format!("/w/{}/notifications", scope.workspace.slug))),
        Err(refused) => {
            let refused = FormState::new(form.values, form_refusal(refused)?);
            render_refused(notifications_page(&scope, Some(refused)).await?)
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct FollowInput {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    id: String,
    /// `yes` to follow, `no` to stop.
    #[serde(default)]
    follow: String,
}

pub async fn follow(scope: Scope, form: Form<FollowInput>) -> Result<Response, WebError> {
    // A visitor is asked to sign in before the form is read; the use case decides the rest.
    scope.require(Action::Participate)?;
    let kind = FollowKind::from_code(&form.input.kind).ok_or(WebError::BadRequest("error-choice"))?;
    let id: i64 = form.input.id.parse().map_err(|_| WebError::NotFound)?;
    let follow = match form.input.follow.as_str() {
        "yes" => true,
        "no" => false,
        _ => return Err(WebError::BadRequest("error-choice")),
    };
    let thing = scope.app().follow(&scope.caller(), (kind, id), follow).await?;
    Ok(see_other(&format!("{}#follow", thing.path)))
}

#[derive(Template)]
#[template(path = "outbox.html")]
struct OutboxPage {
    page: Chrome,
    mails: Vec<Mail>,
    /// Whether a mail server takes the mail.
    mail_server: bool,
}

/// The mail sent about this workspace, for its admin: with no mail server, the only place it is.
pub async fn outbox(scope: Scope) -> Result<Response, WebError> {
    render(OutboxPage {
        page: Chrome::for_scope(&scope, "nav-outbox"),
        mails: scope.app().outbox(&scope.caller(), 200).await?,
        mail_server: scope.state.settings.smtp_url.is_some(),
    })
}
