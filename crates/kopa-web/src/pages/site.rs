//! The site admin's page: networks, their workspaces, lead partners and readers, and who
//! administers the site.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use kopa_app::{Refusal, Site};
use kopa_domain::workspace::{LANGUAGES, NetworkInput, WorkspaceInput};
use serde::Deserialize;

use super::{Chrome, FormState, form_refusal, render, render_refused, see_other};
use crate::AppState;
use crate::context::{Form, Visitor, parse_id};
use crate::error::WebError;

const HERE: &str = "/admin";

#[derive(Template)]
#[template(path = "site.html")]
struct SitePage {
    page: Chrome,
    site: Site,
    /// The form that was refused, by its name on the page, as it was sent.
    refused: HashMap<String, FormState>,
    language_options: Vec<(String, String)>,
    /// The first admin's invitation link of a workspace just made, to pass on.
    new_link: Option<String>,
}

impl SitePage {
    /// The form named `name`, as it was refused, or empty.
    fn form(&self, name: &str) -> FormState {
        self.refused
            .get(name)
            .cloned()
            .unwrap_or_else(|| FormState::with_defaults(&[("language", "lv"), ("time_zone", "Europe/Riga")]))
            .named(name)
    }
}

async fn site_page(
    state: &AppState,
    visitor: &Visitor,
    refused: Option<(String, FormState)>,
    new_link: Option<String>,
) -> Result<Response, WebError> {
    let user = visitor.session.as_ref().map(|s| &s.user);
    let site = match state.app.site(user).await {
        Err(Refusal::SignInRequired) => {
            return Err(WebError::SignInRequired {
                next: Some(HERE.to_owned()),
            });
        }
        other => other?,
    };
    let page = Chrome::plain(state, Some(visitor), visitor.locale(None), "site-title", HERE);
    let language_options = LANGUAGES
        .iter()
        .map(|code| (code.to_string(), page.t(&format!("language-{code}"))))
        .collect();
    let is_refused = refused.is_some();
    let page = SitePage {
        page,
        site,
        refused: refused.into_iter().collect(),
        language_options,
        new_link,
    };
    if is_refused { render_refused(page) } else { render(page) }
}

pub async fn show(State(state): State<AppState>, visitor: Visitor) -> Result<Response, WebError> {
    site_page(&state, &visitor, None, None).await
}

/// After a change: back to the page, or the page again with the refused form.
async fn settled(
    state: &AppState,
    visitor: &Visitor,
    name: String,
    values: HashMap<String, String>,
    done: Result<Option<String>, Refusal>,
) -> Result<Response, WebError> {
    match done {
        Ok(None) => Ok(see_other(HERE)),
        Ok(Some(link)) => site_page(state, visitor, None, Some(link)).await,
        Err(refused) => {
            let form = FormState::new(values, form_refusal(refused)?);
            site_page(state, visitor, Some((name, form)), None).await
        }
    }
}

#[derive(Deserialize)]
pub struct NetworkForm {
    #[serde(default)]
    network_name: String,
    #[serde(default)]
    programme: String,
    #[serde(default)]
    lead_expert: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
}

pub async fn create_network(
    State(state): State<AppState>,
    visitor: Visitor,
    form: Form<NetworkForm>,
) -> Result<Response, WebError> {
    let i = &form.input;
    let input = NetworkInput {
        name: &i.network_name,
        programme: &i.programme,
        lead_expert: &i.lead_expert,
        starts_on: &i.starts_on,
        ends_on: &i.ends_on,
    };
    let user = visitor.session.as_ref().map(|s| &s.user);
    let done = state.app.create_network(user, &input).await.map(|_| None);
    settled(&state, &visitor, "network".into(), form.values, done).await
}

#[derive(Deserialize)]
pub struct WorkspaceForm {
    #[serde(default)]
    slug: String,
    #[serde(default)]
    municipality: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    policy_challenge: String,
    #[serde(default)]
    admin_email: String,
}

pub async fn create_workspace(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(network): Path<String>,
    form: Form<WorkspaceForm>,
) -> Result<Response, WebError> {
    let network = parse_id(&network)?;
    let i = &form.input;
    let input = WorkspaceInput {
        slug: &i.slug,
        municipality: &i.municipality,
        country: &i.country,
        policy_challenge: &i.policy_challenge,
        language: &i.language,
        time_zone: &i.time_zone,
        is_lead_partner: false,
    };
    let user = visitor.session.as_ref().map(|s| &s.user);
    let made = state.app.create_workspace(user, network, &input, &i.admin_email).await;
    let public_url = &state.settings.public_url;
    let done = made.map(|(_, token)| Some(format!("{public_url}/invitations/{token}")));
    settled(&state, &visitor, format!("workspace-{network}"), form.values, done).await
}

#[derive(Deserialize)]
pub struct LeadForm {
    #[serde(default)]
    workspace: String,
}

pub async fn set_lead_partner(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(network): Path<String>,
    form: Form<LeadForm>,
) -> Result<Response, WebError> {
    let network = parse_id(&network)?;
    let workspace = parse_id(&form.input.workspace)?;
    let user = visitor.session.as_ref().map(|s| &s.user);
    let done = state.app.set_lead_partner(user, network, workspace).await.map(|_| None);
    settled(&state, &visitor, format!("lead-{network}"), form.values, done).await
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

pub async fn add_reader(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(network): Path<String>,
    form: Form<EmailForm>,
) -> Result<Response, WebError> {
    let network = parse_id(&network)?;
    let user = visitor.session.as_ref().map(|s| &s.user);
    let done = (state.app)
        .add_network_reader(user, network, &form.input.email)
        .await
        .map(|_| None);
    settled(&state, &visitor, format!("reader-{network}"), form.values, done).await
}

pub async fn remove_reader(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((network, reader)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (network, reader) = (parse_id(&network)?, parse_id(&reader)?);
    let user = visitor.session.as_ref().map(|s| &s.user);
    state.app.remove_network_reader(user, network, reader).await?;
    Ok(see_other(HERE))
}

#[derive(Deserialize)]
pub struct AccountForm {
    #[serde(default)]
    email: String,
    /// `on` or `off`.
    #[serde(default)]
    to: String,
}

/// Makes an account a site admin or no longer one.
pub async fn site_admin(
    State(state): State<AppState>,
    visitor: Visitor,
    form: Form<AccountForm>,
) -> Result<Response, WebError> {
    let user = visitor.session.as_ref().map(|s| &s.user);
    let on = form.input.to != "off";
    let done = state
        .app
        .set_site_admin(user, &form.input.email, on)
        .await
        .map(|_| None);
    settled(&state, &visitor, "site-admin".into(), form.values, done).await
}

/// Switches a whole account off or on.
pub async fn account(
    State(state): State<AppState>,
    visitor: Visitor,
    form: Form<AccountForm>,
) -> Result<Response, WebError> {
    let user = visitor.session.as_ref().map(|s| &s.user);
    let on = form.input.to == "on";
    let done = (state.app)
        .set_account_active(user, &form.input.email, on)
        .await
        .map(|_| None);
    settled(&state, &visitor, "account".into(), form.values, done).await
}
