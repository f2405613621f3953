//! A person's own account: their password and sessions, and a new password through a
//! one-time link when they forgot it.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use kopa_app::Refusal;
use kopa_store::{SessionSummary, User};
use serde::Deserialize;

use super::accounts::start_session;
use super::{Chrome, FormState, form_refusal, private, render, render_refused};
use crate::AppState;
use crate::context::{ClientAddress, Form, Visitor};
use crate::error::WebError;

const HERE: &str = "/account";

/// The signed-in person and their session's token, or a trip to the sign-in page.
fn signed_in(visitor: &Visitor) -> Result<(&User, &str), WebError> {
    match (&visitor.session, &visitor.session_token) {
        (Some(session), Some(token)) => Ok((&session.user, token)),
        _ => Err(WebError::SignInRequired {
            next: Some(HERE.to_owned()),
        }),
    }
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    page: Chrome,
    user: User,
    sessions: Vec<SessionSummary>,
    form: FormState,
    notice: Option<String>,
}

async fn account_page(
    state: &AppState,
    visitor: &Visitor,
    form: FormState,
    notice: Option<String>,
) -> Result<AccountPage, WebError> {
    let (user, token) = signed_in(visitor)?;
    let sessions = state.app.sessions(user, token).await?;
    Ok(AccountPage {
        page: Chrome::plain(state, Some(visitor), visitor.locale(None), "account-title", HERE),
        user: user.clone(),
        sessions,
        form: form.named("password"),
        notice,
    })
}

pub async fn show(State(state): State<AppState>, visitor: Visitor) -> Result<Response, WebError> {
    render(account_page(&state, &visitor, FormState::default(), None).await?)
}

#[derive(Deserialize)]
pub struct PasswordChange {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    password: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    visitor: Visitor,
    form: Form<PasswordChange>,
) -> Result<Response, WebError> {
    let (user, token) = signed_in(&visitor)?;
    let input = &form.input;
    match state
        .app
        .change_password(user, token, &input.current_password, &input.password)
        .await
    {
        Ok(()) => {
            let notice = Some(state.app.i18n.text(visitor.locale(None), "password-changed", &[]));
            render(account_page(&state, &visitor, FormState::default(), notice).await?)
        }
        Err(Refusal::SlowDown { retry_after_seconds }) => Err(WebError::too_many_attempts(retry_after_seconds)),
        Err(refused) => {
            let form = FormState::new(Default::default(), form_refusal(refused)?);
            render_refused(account_page(&state, &visitor, form, None).await?)
        }
    }
}

pub async fn sign_out_elsewhere(State(state): State<AppState>, visitor: Visitor) -> Result<Response, WebError> {
    let (user, token) = signed_in(&visitor)?;
    let ended = state.app.sign_out_elsewhere(user, token).await?;
    let notice = state
        .app
        .i18n
        .text(visitor.locale(None), "sessions-ended", &[("count", ended.into())]);
    render(account_page(&state, &visitor, FormState::default(), Some(notice)).await?)
}

#[derive(Template)]
#[template(path = "password_forgot.html")]
struct ForgotPage {
    page: Chrome,
    form: FormState,
    /// The link was asked for: say so, the same whether or not the address has an account.
    sent: bool,
}

fn forgot_page(state: &AppState, visitor: &Visitor, form: FormState, sent: bool) -> ForgotPage {
    let page = Chrome::plain(
        state,
        Some(visitor),
        visitor.locale(None),
        "password-forgot-title",
        "/password/forgot",
    );
    ForgotPage { page, form, sent }
}

pub async fn forgot_form(State(state): State<AppState>, visitor: Visitor) -> Result<Response, WebError> {
    render(forgot_page(&state, &visitor, FormState::default(), false))
}

#[derive(Deserialize)]
pub struct ForgotInput {
    #[serde(default)]
    email: String,
}

pub async fn forgot(
    State(state): State<AppState>,
    visitor: Visitor,
    client: ClientAddress,
    form: Form<ForgotInput>,
) -> Result<Response, WebError> {
    match state.app.request_password_reset(&client.0, &form.input.email).await {
        Ok(()) => render(forgot_page(&state, &visitor, FormState::default(), true)),
        Err(Refusal::SlowDown { retry_after_seconds }) => Err(WebError::too_many_attempts(retry_after_seconds)),
        Err(refused) => {
            let form = FormState::new(form.values, form_refusal(refused)?);
            render_refused(forgot_page(&state, &visitor, form, false))
        }
    }
}

#[derive(Template)]
#[template(path = "password_reset.html")]
struct ResetPage {
    page: Chrome,
    email: String,
    token: String,
    form: FormState,
}

async fn reset_page(state: &AppState, visitor: &Visitor, token: &str, form: FormState) -> Result<Response, WebError> {
    let user = state.app.open_password_reset(token).await?;
    let page = Chrome::plain(state, Some(visitor), visitor.locale(None), "password-reset-title", "/");
    let page = ResetPage {
        page,
        email: user.email,
        token: token.to_owned(),
        form,
    };
    let refused = page.form.has_errors();
    Ok(private(if refused { render_refused(page)? } else { render(page)? }))
}

pub async fn reset_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    reset_page(&state, &visitor, &token, FormState::default()).await
}

#[derive(Deserialize)]
pub struct ResetInput {
    #[serde(default)]
    password: String,
}

pub async fn reset(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
    form: Form<ResetInput>,
) -> Result<Response, WebError> {
    match state.app.reset_password(&token, &form.input.password).await {
        Ok(session) => start_session(&state, &session, HERE),
        Err(Refusal::Invalid(invalid)) => {
            reset_page(&state, &visitor, &token, FormState::new(Default::default(), invalid)).await
        }
        Err(other) => Err(other.into()),
    }
}
