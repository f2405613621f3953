//! Residents sign up to a workspace with the public role, or join it with the account they
//! have. Spam is held back by a limit per client address, a field only robots fill in, and
//! the moderation of what they write.

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use kopa_app::SignUp;
use serde::Deserialize;

use super::accounts::{NextQuery, local_path, start_session};
use super::{Chrome, FormState, form_refusal, held_back_for, render, render_held_back, see_other};
use crate::context::{ClientAddress, Form, Scope};
use crate::error::WebError;

#[derive(Template)]
#[template(path = "signup.html")]
struct SignUpPage {
    page: Chrome,
    form: FormState,
    next: String,
    /// Signed in, with no role here yet: one button joins.
    joining: bool,
}

fn sign_up_page(scope: &Scope, form: FormState, next: String) -> SignUpPage {
    SignUpPage {
        page: Chrome::for_scope(scope, "signup-title"),
        form,
        next,
        joining: scope.visitor.session.is_some(),
    }
}

/// Where to go after signing up: the page asked for, or the workspace's ideas.
fn destination(scope: &Scope, next: Option<&str>) -> String {
    match next {
        Some(next) if !next.is_empty() => local_path(Some(next)),
        _ => format!("/w/{}/ideas", scope.workspace.slug),
    }
}

pub async fn form(scope: Scope, Query(query): Query<NextQuery>) -> Result<Response, WebError> {
    let next = destination(&scope, query.next.as_deref());
    if scope.role.is_some() {
        return Ok(see_other(&next));
    }
    render(sign_up_page(&scope, FormState::default(), next))
}

#[derive(Debug, Default, Deserialize)]
pub struct SignUpInput {
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    /// That the name may be shown with what they write.
    pub consent: Option<String>,
    /// Hidden from people; only robots fill it in.
    #[serde(default)]
    pub website: String,
    pub next: Option<String>,
}

pub async fn sign_up(scope: Scope, client: ClientAddress, form: Form<SignUpInput>) -> Result<Response, WebError> {
    let next = destination(&scope, form.input.next.as_deref());
    let input = &form.input;
    let sign_up = SignUp {
        display_name: &input.display_name,
        email: &input.email,
        password: &input.password,
        consent: input.consent.as_deref().is_some_and(|v| !v.is_empty()),
        website: &input.website,
    };
    match scope.app().sign_up(&scope.caller(), &client.0, &sign_up).await {
        Ok(session) => start_session(&scope.state, &session, &next),
        Err(refused) => {
            let mut values = form.values.clone();
            values.remove("password");
            let held_back = held_back_for(&refused);
            let form = FormState::new(values, form_refusal(refused)?);
            render_held_back(sign_up_page(&scope, form, next), held_back)
        }
    }
}

/// Someone signed in joins this workspace as a resident.
pub async fn join(scope: Scope, form: Form<NextQuery>) -> Result<Response, WebError> {
    if scope.visitor.session.is_none() {
        return Err(WebError::SignInRequired {
            next: Some(format!("/w/{}/signup", scope.workspace.slug)),
        });
    }
    scope.app().join_as_resident(&scope.caller()).await?;
    Ok(see_other(&destination(&scope, form.input.next.as_deref())))
}
