//! Signing in and out, the language switch, and the workspace's accounts and invitations.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use kopa_app::{Refusal, Session};
use kopa_domain::validation::Code;
use kopa_domain::{Action, Invalid, Role};
use kopa_store::{Invitation, User};
use serde::Deserialize;

use super::{Chrome, FormState, form_refusal, render, render_refused, see_other};
use crate::context::{Form, Scope, Visitor};
use crate::error::WebError;
use crate::i18n::Locale;
use crate::{AppState, cookies};

/// Where to send the visitor back to: a path on this site, read as a browser would read it
/// (which drops tabs and line breaks, and takes `\\` for `/`), never another host; anything
/// else is the front page. What comes out is always a valid `Location`.
pub(super) fn local_path(next: Option<&str>) -> String {
    let site = url::Url::parse("http://kopa.invalid/").expect("a fixed, valid address");
    let Some(next) = next.filter(|next| next.starts_with('/')) else {
        return "/".to_owned();
    };
    match site.join(next) {
        Ok(there) if there.origin() == site.origin() => match there.query() {
            Some(query) => format!("{}?{query}", there.path()),
            None => there.path().to_owned(),
        },
        _ => "/".to_owned(),
    }
}

#[derive(Template)]
#[template(path = "signin.html")]
struct SignInPage {
    page: Chrome,
    form: FormState,
    next: String,
    problem: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    pub next: Option<String>,
}

pub async fn sign_in_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<NextQuery>,
) -> Result<Response, WebError> {
    let locale = visitor.locale(None);
    let page = Chrome::plain(&state, Some(&visitor), locale, "sign-in", "/signin");
    render(SignInPage {
        page,
        form: FormState::default(),
        next: local_path(query.next.as_deref()),
        problem: None,
    })
}

#[derive(Deserialize)]
pub struct SignInInput {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

pub async fn sign_in(
    State(state): State<AppState>,
    visitor: Visitor,
    form: Form<SignInInput>,
) -> Result<Response, WebError> {
    let next = local_path(form.input.next.as_deref());
    match state.app.sign_in(&form.input.email, &form.input.password).await {
        Ok(session) => start_session(&state, &session, &next),
        Err(Refusal::SlowDown { retry_after_seconds }) => Err(WebError::TooManyRequests {
            retry_after_seconds,
            key: "error-too-many-attempts",
        }),
        Err(Refusal::Refused(key)) => refused_sign_in(&state, &visitor, form.values, next, key),
        Err(Refusal::Invalid(invalid)) => {
            let key = invalid.message_for("email").unwrap_or("error-bad-form").to_owned();
            refused_sign_in(&state, &visitor, form.values, next, &key)
        }
        Err(other) => Err(other.into()),
    }
}

/// The sign-in form again, as typed but for the password, saying what was wrong.
fn refused_sign_in(
    state: &AppState,
    visitor: &Visitor,
    mut values: std::collections::HashMap<String, String>,
    next: String,
    problem: &str,
) -> Result<Response, WebError> {
    let page = Chrome::plain(state, Some(visitor), visitor.locale(None), "sign-in", "/signin");
    values.remove("password");
    let problem = Some(page.t(problem));
    render_refused(SignInPage {
        page,
        form: FormState::new(values, Invalid::new()),
        next,
        problem,
    })
}

/// Sets the session's cookie and sends the browser on.
pub(super) fn start_session(state: &AppState, session: &Session, next: &str) -> Result<Response, WebError> {
    let cookie = cookies::set(
        cookies::SESSION,
        &session.token,
        kopa_store::SESSION_LIFETIME_SECONDS,
        state.settings.secure_cookies,
    );
    let mut response = see_other(next);
    let value = HeaderValue::from_str(&cookie).map_err(|e| WebError::Internal(e.to_string()))?;
    response.headers_mut().append(header::SET_COOKIE, value);
    Ok(response)
}

pub async fn sign_out(State(state): State<AppState>, visitor: Visitor) -> Result<Response, WebError> {
    if let Some(token) = &visitor.session_token {
        state.app.sign_out(token).await?;
    }
    let mut response = see_other("/");
    let cleared = cookies::set(cookies::SESSION, "", 0, state.settings.secure_cookies);
    if let Ok(value) = HeaderValue::from_str(&cleared) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}

#[derive(Deserialize)]
pub struct BackQuery {
    back: Option<String>,
}

/// Remembers the chosen language for a year and returns to the page.
pub async fn switch_language(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<BackQuery>,
) -> Result<Response, WebError> {
    let locale = Locale::from_code(&code).ok_or(WebError::NotFound)?;
    let mut response = Redirect::to(&local_path(query.back.as_deref())).into_response();
    let cookie = cookies::set(
        cookies::LANGUAGE,
        locale.code(),
        60 * 60 * 24 * 365,
        state.settings.secure_cookies,
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}

#[derive(Template)]
#[template(path = "accounts.html")]
struct AccountsPage {
    page: Chrome,
    accounts: Vec<(User, Role)>,
    invitations: Vec<Invitation>,
    form: FormState,
    role_options: Vec<(String, String)>,
    /// The link of an invitation just made, shown once because no mail server sends it.
    new_link: Option<String>,
}

async fn accounts_page(scope: &Scope, form: FormState, new_link: Option<String>) -> Result<AccountsPage, WebError> {
    let (accounts, invitations) = scope.app().accounts(&scope.caller()).await?;
    let page = Chrome::for_scope(scope, "nav-accounts");
    let role_options = scope
        .role
        .map(|r| r.may_invite())
        .unwrap_or_default()
        .into_iter()
        .map(|r| (r.code().to_owned(), page.code("role", r)))
        .collect();
    Ok(AccountsPage {
        accounts,
        invitations,
        page,
        form,
        role_options,
        new_link,
    })
}

pub async fn accounts(scope: Scope) -> Result<Response, WebError> {
    scope.require(Action::InviteMembers)?;
    render(accounts_page(&scope, FormState::with_defaults(&[("role", "member")]), None).await?)
}

#[derive(Deserialize)]
pub struct InviteInput {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

pub async fn invite(scope: Scope, form: Form<InviteInput>) -> Result<Response, WebError> {
    let input = &form.input;
    match scope.app().invite(&scope.caller(), &input.email, &input.role).await {
        Ok((invitation, token)) => {
            let link = format!("{}/invitations/{token}", scope.state.settings.public_url);
            // No mail server: the inviting admin passes the link on, and the log keeps it.
            tracing::info!(email = %invitation.email, role = %invitation.role, "invitation link: {link}");
            render(accounts_page(&scope, FormState::with_defaults(&[("role", "member")]), Some(link)).await?)
        }
        Err(refused) => {
            let form = FormState::new(form.values, form_refusal(refused)?);
            render_refused(accounts_page(&scope, form, None).await?)
        }
    }
}

#[derive(Template)]
#[template(path = "invitation.html")]
struct InvitationPage {
    page: Chrome,
    invitation: Invitation,
    role_label: String,
    form: FormState,
    problem: Option<String>,
    token: String,
}

async fn invitation_page(
    state: &AppState,
    visitor: &Visitor,
    token: &str,
    form: FormState,
    problem: Option<&str>,
) -> Result<InvitationPage, WebError> {
    let locale = visitor.locale(None);
    let mut page = Chrome::plain(state, Some(visitor), locale, "invitation-title", "/");
    let open = state.app.open_invitation(token).await?;
    let role_label = page.code("role", open.role);
    let problem = problem.map(|key| page.t(key));
    page.title = page.t1("invitation-heading", "workspace", &open.workspace.municipality);
    Ok(InvitationPage {
        page,
        invitation: open.invitation,
        role_label,
        form,
        problem,
        token: token.to_owned(),
    })
}

pub async fn invitation(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    render(invitation_page(&state, &visitor, &token, FormState::default(), None).await?)
}

#[derive(Deserialize)]
pub struct AcceptInput {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
}

pub async fn accept_invitation(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
    form: Form<AcceptInput>,
) -> Result<Response, WebError> {
    match state
        .app
        .accept_invitation(&token, &form.input.display_name, &form.input.password)
        .await
    {
        Ok((session, workspace)) => start_session(&state, &session, &format!("/w/{}", workspace.slug)),
        Err(Refusal::Invalid(invalid)) => {
            let mut values = form.values;
            values.remove("password");
            render_refused(invitation_page(&state, &visitor, &token, FormState::new(values, invalid), None).await?)
        }
        Err(Refusal::Refused(key)) if key != "error-invitation-invalid" => {
            render_refused(invitation_page(&state, &visitor, &token, FormState::default(), Some(key)).await?)
        }
        Err(other) => Err(other.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_returns_only_to_local_paths() {
        assert_eq!(local_path(Some("/w/kekava/meetings")), "/w/kekava/meetings");
        assert_eq!(local_path(Some("//evil.example")), "/");
        assert_eq!(local_path(Some("https://evil.example")), "/");
        assert_eq!(local_path(None), "/");
        assert_eq!(local_path(Some("/w/kekava/ideas?page=2")), "/w/kekava/ideas?page=2");
    }

    #[test]
    fn what_a_browser_reads_as_another_host_goes_to_the_front_page() {
        for sneaky in [
            "/\t/evil.example/x",
            "/\n/evil.example",
            "/\\evil.example",
            "/\t\\evil.example",
            "\t//evil.example",
        ] {
            assert_eq!(local_path(Some(sneaky)), "/", "{sneaky:?}");
        }
    }

    #[test]
    fn what_is_sent_back_is_always_a_valid_location() {
        for odd in ["/w/kekava\r\nSet-Cookie: x=1", "/w/ķekava", "/a b", "/\u{0}"] {
            let path = local_path(Some(odd));
            assert!(path.starts_with('/') && !path.starts_with("//"), "{odd:?} → {path}");
            assert!(axum::http::HeaderValue::from_str(&path).is_ok(), "{odd:?} → {path:?}");
        }
    }
}
