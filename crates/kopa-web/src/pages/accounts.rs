//! Signing in and out, the language switch, and the workspace's accounts and invitations.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use kopa_app::{Origin, Refusal, Session};
use kopa_domain::validation::Code;
use kopa_domain::{Action, Invalid, Role};
use kopa_store::{AccountRole, Invitation, RoleChange};
use serde::Deserialize;

use super::{Chrome, FormState, form_refusal, private, render, render_refused, see_other};
use crate::context::{ClientAddress, Form, Scope, Visitor, parse_id};
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
        // Without a page to return to, the person lands where they work (see `sign_in`).
        next: query
            .next
            .as_deref()
            .map(|next| local_path(Some(next)))
            .unwrap_or_default(),
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
    client: ClientAddress,
    headers: axum::http::HeaderMap,
    form: Form<SignInInput>,
) -> Result<Response, WebError> {
    let asked = form.input.next.as_deref().filter(|next| !next.is_empty());
    let next = asked.map(|next| local_path(Some(next))).unwrap_or_default();
    let device = cookies::get(&headers, cookies::DEVICE);
    let origin = Origin {
        client: &client.0,
        device: device.as_deref(),
    };
    match state.app.sign_in(&form.input.email, &form.input.password, origin).await {
        Ok(session) if next.is_empty() => {
            let home = state.app.home_of(&session.user).await?;
            start_session(&state, &session, &home)
        }
        Ok(session) => start_session(&state, &session, &next),
        Err(Refusal::SlowDown { retry_after_seconds }) => Err(WebError::too_many_attempts(retry_after_seconds)),
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
    if let Some(device) = &session.device {
        let year = 60 * 60 * 24 * 365;
        let cookie = cookies::set(cookies::DEVICE, device, year, state.settings.secure_cookies);
        let value = HeaderValue::from_str(&cookie).map_err(|e| WebError::Internal(e.to_string()))?;
        response.headers_mut().append(header::SET_COOKIE, value);
    }
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
    let mut response = see_other(&local_path(query.back.as_deref()));
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

/// A row of the accounts table: the account, and whether the one looking may change it.
struct AccountRow {
    account: AccountRole,
    manageable: bool,
}

#[derive(Template)]
#[template(path = "accounts.html")]
struct AccountsPage {
    page: Chrome,
    accounts: Vec<AccountRow>,
    invitations: Vec<(Invitation, InvitationState, bool)>,
    form: FormState,
    role_options: Vec<(String, String)>,
    /// The link of an invitation just made or sent again, shown once for the admin to pass on
    /// when no mail server sends it.
    new_link: Option<String>,
    /// What was just done, or why not.
    notice: Option<String>,
}

/// Where an invitation stands, for its row.
#[derive(Clone, Copy, PartialEq, Eq)]
enum InvitationState {
    Open,
    Accepted,
    Revoked,
    Expired,
}

impl InvitationState {
    fn of(invitation: &Invitation, now: chrono::DateTime<chrono::Utc>) -> InvitationState {
        if invitation.accepted_at.is_some() {
            InvitationState::Accepted
        } else if invitation.revoked_at.is_some() {
            InvitationState::Revoked
        } else if invitation.expires_at <= now {
            InvitationState::Expired
        } else {
            InvitationState::Open
        }
    }

    fn key(self) -> &'static str {
        match self {
            InvitationState::Open => "invitation-open",
            InvitationState::Accepted => "invitation-accepted",
            InvitationState::Revoked => "invitation-revoked",
            InvitationState::Expired => "invitation-expired",
        }
    }
}

async fn accounts_page(
    scope: &Scope,
    form: FormState,
    new_link: Option<String>,
    notice: Option<String>,
) -> Result<AccountsPage, WebError> {
    let (accounts, invitations) = scope.app().accounts(&scope.caller()).await?;
    let page = Chrome::for_scope(scope, "nav-accounts");
    let may_give = scope.role.map(|r| r.may_invite()).unwrap_or_default();
    let me = scope.visitor.session.as_ref().map(|s| s.user.id);
    let accounts = accounts
        .into_iter()
        .map(|account| AccountRow {
            manageable: may_give.contains(&account.role) && Some(account.user.id) != me,
            account,
        })
        .collect();
    let now = chrono::Utc::now();
    let invitations = invitations
        .into_iter()
        .map(|i| {
            let manageable = Role::from_code(&i.role).is_some_and(|r| may_give.contains(&r));
            let state = InvitationState::of(&i, now);
            (i, state, manageable)
        })
        .collect();
    let role_options = may_give
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
        notice,
    })
}

fn fresh_invitation_form() -> FormState {
    FormState::with_defaults(&[("role", "member")])
}

pub async fn accounts(scope: Scope) -> Result<Response, WebError> {
    scope.require(Action::InviteMembers)?;
    Ok(private(render(
        accounts_page(&scope, fresh_invitation_form(), None, None).await?,
    )?))
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
        Ok((_, token)) => {
            let link = format!("{}/invitations/{token}", scope.state.settings.public_url);
            let page = accounts_page(&scope, fresh_invitation_form(), Some(link), None).await?;
            Ok(private(render(page)?))
        }
        Err(refused) => {
            let form = FormState::new(form.values, form_refusal(refused)?);
            Ok(private(render_refused(accounts_page(&scope, form, None, None).await?)?))
        }
    }
}

#[derive(Deserialize)]
pub struct RoleInput {
    #[serde(default)]
    role: String,
}

/// Gives someone another role in the workspace.
pub async fn change_role(
    scope: Scope,
    Path((_, id)): Path<(String, String)>,
    form: Form<RoleInput>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let change = kopa_app::App::role_change(&form.input.role);
    let done = match change {
        Ok(change) => scope.app().change_account_role(&scope.caller(), id, change).await,
        Err(refused) => Err(refused),
    };
    account_changed(&scope, done.map(|_| "account-role-changed")).await
}

/// Switches someone's membership off or on.
pub async fn set_active(scope: Scope, Path((_, id, to)): Path<(String, String, String)>) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let (change, done_key) = match to.as_str() {
        "deactivate" => (RoleChange::Deactivate, "account-deactivated-now"),
        "reactivate" => (RoleChange::Reactivate, "account-reactivated"),
        _ => return Err(WebError::NotFound),
    };
    let done = scope.app().change_account_role(&scope.caller(), id, change).await;
    account_changed(&scope, done.map(|_| done_key)).await
}

/// Sends an invitation again with a new link, or withdraws it.
pub async fn change_invitation(
    scope: Scope,
    Path((_, id, to)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let caller = scope.caller();
    match to.as_str() {
        "renew" => match scope.app().renew_invitation(&caller, id).await {
            Ok((_, token)) => {
                let link = format!("{}/invitations/{token}", scope.state.settings.public_url);
                let notice = Some(scope.t("invitation-renewed"));
                let page = accounts_page(&scope, fresh_invitation_form(), Some(link), notice).await?;
                Ok(private(render(page)?))
            }
            Err(refused) => account_changed(&scope, Err(refused)).await,
        },
        "revoke" => {
            let done = scope.app().revoke_invitation(&caller, id).await;
            account_changed(&scope, done.map(|_| "invitation-revoked-now")).await
        }
        _ => Err(WebError::NotFound),
    }
}

/// The accounts page after a change: what was done, or why it was not.
async fn account_changed(scope: &Scope, done: Result<&'static str, Refusal>) -> Result<Response, WebError> {
    let (key, refused) = match done {
        Ok(key) => (key, false),
        Err(Refusal::Refused(key)) => (key, true),
        Err(Refusal::Invalid(invalid)) => {
            let form = FormState::new(Default::default(), invalid);
            return Ok(private(render_refused(accounts_page(scope, form, None, None).await?)?));
        }
        Err(other) => return Err(other.into()),
    };
    let page = accounts_page(scope, fresh_invitation_form(), None, Some(scope.t(key))).await?;
    Ok(private(if refused { render_refused(page)? } else { render(page)? }))
}

#[derive(Template)]
#[template(path = "invitation.html")]
struct InvitationPage {
    page: Chrome,
    invitation: Invitation,
    /// The e-mail has an account: its password accepts, and no name is asked.
    account_exists: bool,
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
        account_exists: open.account_exists,
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
    Ok(private(render(
        invitation_page(&state, &visitor, &token, FormState::default(), None).await?,
    )?))
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
            let page = invitation_page(&state, &visitor, &token, FormState::new(values, invalid), None).await?;
            Ok(private(render_refused(page)?))
        }
        Err(Refusal::Refused(key)) if key != "error-invitation-invalid" => {
            let page = invitation_page(&state, &visitor, &token, FormState::default(), Some(key)).await?;
            Ok(private(render_refused(page)?))
        }
        Err(Refusal::SlowDown { retry_after_seconds }) => Err(WebError::too_many_attempts(retry_after_seconds)),
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
