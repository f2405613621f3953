//! Initiatives: the list with their status and progress, and an initiative's page with its
//! timeline (who moved it, when and why), the next step for coordinators, and the ideas it
//! grew from. Coordinators turn an idea into an initiative from the idea's page.

use std::collections::HashMap;

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use kopa_domain::Action;
use kopa_domain::idea::Idea;
use kopa_domain::initiative::{Initiative, InitiativeInput, LinkKind, Step, TransitionInput, progress_in};
use kopa_domain::validation::Code;
use kopa_store::StoreError;
use serde::Deserialize;

use super::map::{self, Kind, SvgMap};
use super::{Chrome, FormState, render, render_refused, see_other};
use crate::context::{Form, Scope, parse_id};
use crate::error::WebError;

/// An initiative with its progress rolled up from its children, and its type's label.
struct Listed {
    initiative: Initiative,
    progress: i64,
    type_label: String,
}

#[derive(Template)]
#[template(path = "initiatives.html")]
struct InitiativesPage {
    page: Chrome,
    initiatives: Vec<Listed>,
}

/// The label of a cooperation type: translated when built in, the workspace's name otherwise.
pub(super) fn type_label(scope: &Scope, code: &str, names: &HashMap<String, String>) -> String {
    names
        .get(code)
        .cloned()
        .unwrap_or_else(|| scope.t(&format!("cooperation-{code}")))
}

pub(super) async fn type_names(scope: &Scope) -> Result<HashMap<String, String>, WebError> {
    Ok(scope
        .state
        .store
        .cooperation_types(scope.id())
        .await?
        .into_iter()
        .filter_map(|t| Some((t.code, t.name?)))
        .collect())
}

pub async fn list(scope: Scope) -> Result<Response, WebError> {
    scope.require(Action::ViewPublished)?;
    let store = &scope.state.store;
    let names = type_names(&scope).await?;
    let all = store.initiatives(scope.id()).await?;
    let initiatives = all
        .iter()
        .map(|initiative| Listed {
            progress: progress_in(&all, initiative.id).round() as i64,
            type_label: type_label(&scope, &initiative.cooperation_type, &names),
            initiative: initiative.clone(),
        })
        .collect();
    render(InitiativesPage {
        page: Chrome::for_scope(&scope, "nav-initiatives"),
        initiatives,
    })
}

#[derive(Template)]
#[template(path = "initiative.html")]
struct InitiativePage {
    page: Chrome,
    initiative: Initiative,
    type_label: String,
    progress: i64,
    history: Vec<Step>,
    ideas: Vec<Idea>,
    children: Vec<Initiative>,
    parent: Option<Initiative>,
    /// The steps it may take next, as (value, label).
    next_steps: Vec<(String, String)>,
    step_form: FormState,
    /// Where it lies, on the workspace's map.
    located: Option<(SvgMap, String)>,
}

async fn initiative_page(scope: &Scope, id: i64, step_form: FormState) -> Result<InitiativePage, WebError> {
    let store = &scope.state.store;
    let initiative = store.initiative(scope.id(), id).await?.ok_or(WebError::NotFound)?;
    let linked = store.initiative_links(id, LinkKind::Idea).await?;
    let ideas = store
        .ideas(scope.id(), true)
        .await?
        .into_iter()
        .filter(|idea| linked.contains(&idea.id))
        .collect();
    let all = store.initiatives(scope.id()).await?;
    let progress = progress_in(&all, id).round() as i64;
    let children = all.iter().filter(|c| c.parent_id == Some(id)).cloned().collect();
    let parent = all.iter().find(|p| Some(p.id) == initiative.parent_id).cloned();
    let next_steps = [initiative.status.next(), initiative.status.previous()]
        .into_iter()
        .flatten()
        .map(|status| {
            (
                status.code().to_owned(),
                scope.t(&format!("initiative-status-{status}")),
            )
        })
        .collect();
    let names = type_names(scope).await?;
    Ok(InitiativePage {
        located: map::locator(scope, Kind::Initiative, &initiative.title, initiative.place.as_ref()).await?,
        page: Chrome::for_scope_titled(scope, "nav-initiatives", initiative.title.clone()),
        type_label: type_label(scope, &initiative.cooperation_type, &names),
        progress,
        history: store.initiative_history(id).await?,
        ideas,
        children,
        parent,
        next_steps,
        step_form: step_form.named("step"),
        initiative,
    })
}

type InitiativePath = Path<(String, String)>;

pub async fn show(scope: Scope, Path((_, id)): InitiativePath) -> Result<Response, WebError> {
    scope.require(Action::ViewPublished)?;
    render(initiative_page(&scope, parse_id(&id)?, FormState::default()).await?)
}

pub async fn step(
    scope: Scope,
    Path((_, id)): InitiativePath,
    form: Form<TransitionInput>,
) -> Result<Response, WebError> {
    scope.require(Action::ManageInitiatives)?;
    let id = parse_id(&id)?;
    let store = &scope.state.store;
    let current = store.initiative(scope.id(), id).await?.ok_or(WebError::NotFound)?;
    let outcome = async {
        let (transition, reason) = form.input.validate(current.status)?;
        store
            .move_initiative(&scope.actor(), scope.id(), id, transition, &reason)
            .await
            .map(|_| ())
    };
    match outcome.await {
        Ok(()) => Ok(see_other(&format!(
            "/w/{}/initiatives/{id}#timeline",
            scope.workspace.slug
        ))),
        Err(StoreError::Invalid(invalid)) => {
            render_refused(initiative_page(&scope, id, FormState::new(form.values, invalid)).await?)
        }
        Err(other) => Err(other.into()),
    }
}

/// What a coordinator sends to turn an idea into an initiative: only its type.
#[derive(Debug, Default, Deserialize)]
pub struct FromIdeaInput {
    #[serde(default)]
    cooperation_type: String,
}

/// Turns an idea into an initiative of the chosen type, linked to the idea; the idea's
/// page shows the type as refused when it is not one the workspace knows.
pub async fn from_idea(
    scope: Scope,
    Path((_, id)): Path<(String, String)>,
    form: Form<FromIdeaInput>,
) -> Result<Response, WebError> {
    scope.require(Action::ManageInitiatives)?;
    let id = parse_id(&id)?;
    let store = &scope.state.store;
    let idea = store.idea(scope.id(), id).await?.ok_or(WebError::NotFound)?;
    let types = store.cooperation_type_codes(scope.id()).await?;
    let input = InitiativeInput {
        title: idea.title.clone(),
        description: idea.body.clone(),
        cooperation_type: form.input.cooperation_type.clone(),
        place: idea.place.as_ref().map(|p| p.to_geojson()).unwrap_or_default(),
        ..Default::default()
    };
    let created = async {
        let new = input.validate(&types)?;
        let reason = scope.t("initiative-from-idea-reason");
        let initiative = store
            .create_initiative(&scope.actor(), scope.id(), &new, &reason)
            .await?;
        store
            .link_initiative(&scope.actor(), scope.id(), initiative.id, LinkKind::Idea, idea.id)
            .await?;
        Ok::<_, StoreError>(initiative)
    };
    let initiative = created.await?;
    Ok(see_other(&format!(
        "/w/{}/initiatives/{}",
        scope.workspace.slug, initiative.id
    )))
}
