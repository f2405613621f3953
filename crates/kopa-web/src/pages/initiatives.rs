//! Initiatives: the list with their status and progress, and an initiative's page with its
//! timeline (who moved it, when and why), the next step for coordinators, and the ideas it
//! grew from. Coordinators turn an idea into an initiative from the idea's page.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use kopa_app::InitiativeRecord;
use kopa_domain::group::Organisation;
use kopa_domain::idea::Idea;
use kopa_domain::initiative::{
    Initiative, InitiativeInput, LinkKind, Milestone, MilestoneInput, RolledUp, StartInput, Step, TransitionInput,
    progress_in, would_loop,
};
use kopa_domain::meeting::Meeting;
use kopa_domain::notification::FollowKind;
use kopa_domain::street_network::Scenario;
use kopa_domain::validation::Code;
use kopa_domain::{Action, Invalid};
use kopa_store::DecisionInContext;
use serde::Deserialize;

use super::map::{self, Kind, SvgMap};
use super::{
    Chrome, FormPage, FormState, PageQuery, Pages, form_refusal, refusal, render, render_refused, see_other, settle,
};
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
    /// One page of the initiatives, and where it sits.
    initiatives: Vec<Listed>,
    pages: Pages,
    form: FormState,
    type_form: FormState,
    type_options: Vec<(String, String)>,
    /// Initiatives a new one may belong to, after an empty choice.
    parent_options: Vec<(String, String)>,
}

/// The cooperation types as (code, label) choices, labels translated when built in.
pub(super) async fn type_options(scope: &Scope) -> Result<Vec<(String, String)>, WebError> {
    Ok(scope
        .app()
        .cooperation_types(&scope.caller())
        .await?
        .into_iter()
        .map(|t| {
            let label = t.name.unwrap_or_else(|| scope.t(&format!("cooperation-{}", t.code)));
            (t.code, label)
        })
        .collect())
}

/// Initiatives as parent choices, leaving out `except` and those below it.
fn parent_options(scope: &Scope, all: &[Initiative], except: Option<i64>) -> Vec<(String, String)> {
    std::iter::once((String::new(), scope.t("initiative-no-parent")))
        .chain(
            all.iter()
                .filter(|candidate| except.is_none_or(|id| !would_loop(all, id, candidate.id)))
                .map(|i| (i.id.to_string(), i.title.clone())),
        )
        .collect()
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
        .app()
        .cooperation_types(&scope.caller())
        .await?
        .into_iter()
        .filter_map(|t| Some((t.code, t.name?)))
        .collect())
}

async fn list_page(scope: &Scope, form: FormState) -> Result<InitiativesPage, WebError> {
    list_page_with(scope, &PageQuery::default(), form, FormState::default()).await
}

async fn list_page_with(
    scope: &Scope,
    query: &PageQuery,
    form: FormState,
    type_form: FormState,
) -> Result<InitiativesPage, WebError> {
    let names = type_names(scope).await?;
    let all = scope.app().initiatives(&scope.caller()).await?;
    let (shown, pages) = Pages::of(scope, "initiatives-showing", query, &all, |n| {
        format!("/w/{}/initiatives?page={n}", scope.workspace.slug)
    });
    let rolled_up = RolledUp::of(&all);
    let initiatives = shown
        .iter()
        .map(|initiative| Listed {
            progress: rolled_up.progress(initiative.id).round() as i64,
            type_label: type_label(scope, &initiative.cooperation_type, &names),
            initiative: initiative.clone(),
        })
        .collect();
    Ok(InitiativesPage {
        page: Chrome::for_scope(scope, "nav-initiatives"),
        initiatives,
        pages,
        form: form.named("new"),
        type_form: type_form.named("type"),
        type_options: type_options(scope).await?,
        parent_options: parent_options(scope, &all, None),
    })
}

pub async fn list(scope: Scope, Query(query): Query<PageQuery>) -> Result<Response, WebError> {
    scope.require(Action::ViewPublished)?;
    render(list_page_with(&scope, &query, FormState::default(), FormState::default()).await?)
}

pub async fn create(scope: Scope, form: Form<StartInput>) -> Result<Response, WebError> {
    scope.require(Action::ManageInitiatives)?;
    match scope.app().start_initiative(&scope.caller(), form.input.clone()).await {
        Ok(initiative) => Ok(see_other(&format!(
            "/w/{}/initiatives/{}",
            scope.workspace.slug, initiative.id
        ))),
        Err(refused) => {
            let invalid = form_refusal(refused)?;
            render_refused(list_page(&scope, FormState::new(form.values, invalid)).await?)
        }
    }
}

#[derive(Template)]
#[template(path = "initiative.html")]
pub struct InitiativePage {
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
    /// The meetings where it was discussed, as the visitor may see them.
    meetings: Vec<Meeting>,
    decisions: Vec<DecisionInContext>,
    organisations: Vec<Organisation>,
    /// What a coordinator may link it to, as ("kind:id", label), after an empty choice.
    link_options: Vec<(String, String)>,
    /// The decisions a step may cite, as (id, label), after an empty choice.
    decision_options: Vec<(String, String)>,
    link_form: FormState,
    milestones: Vec<Milestone>,
    milestone_form: FormState,
    /// Whether the visitor follows it; `None` for those who cannot.
    following: Option<bool>,
    edit_form: FormState,
    type_options: Vec<(String, String)>,
    parent_options: Vec<(String, String)>,
    /// Its saved scenarios: what building it is expected to change.
    scenarios: Vec<Scenario>,
}

/// What an initiative links to, in the words of a form: "meeting:12".
fn link_value(kind: LinkKind, id: i64) -> String {
    format!("{}:{id}", kind.code())
}

fn decision_label(page_date: &str, decision: &DecisionInContext) -> String {
    let text: String = decision.decision.text.chars().take(80).collect();
    format!("{page_date} {}: {text}", decision.meeting_title)
}

/// The forms of an initiative's page, as typed when one was refused.
#[derive(Default)]
pub struct InitiativeForms {
    step: FormState,
    link: FormState,
    milestone: FormState,
    /// `None`: the initiative as it stands.
    edit: Option<FormState>,
}

/// The edit form filled with the initiative as it stands.
fn as_typed(initiative: &Initiative) -> FormState {
    let place = initiative.place.as_ref().map(|p| p.to_geojson()).unwrap_or_default();
    let parent = initiative.parent_id.map(|p| p.to_string()).unwrap_or_default();
    FormState::with_defaults(&[
        ("title", &initiative.title),
        ("description", initiative.description.as_deref().unwrap_or_default()),
        ("cooperation_type", &initiative.cooperation_type),
        ("place", &place),
        ("parent_id", &parent),
        ("weight", &initiative.weight.to_string()),
        ("progress", &initiative.progress.to_string()),
    ])
}

async fn initiative_page(scope: &Scope, id: i64, forms: InitiativeForms) -> Result<InitiativePage, WebError> {
    let (app, caller) = (scope.app(), scope.caller());
    let InitiativeRecord {
        initiative,
        initiatives: all,
        history,
        milestones,
        ideas,
        meetings,
        decisions,
        organisations,
        scenarios,
    } = app.initiative_record(&caller, id).await?;
    let page = Chrome::for_scope_titled(scope, "nav-initiatives", initiative.title.clone());
    let mut link_options = vec![(String::new(), "–".to_owned())];
    let mut decision_options = vec![(String::new(), scope.t("initiative-no-decision"))];
    if scope.may(Action::ManageInitiatives) {
        let linkable = app.linkable(&caller).await?;
        let chrome_date = |at: &chrono::NaiveDateTime| page.date(at.date());
        for meeting in &linkable.meetings {
            let label = format!(
                "{}: {} {}",
                scope.t("initiative-link-meeting"),
                chrome_date(&meeting.starts_at),
                meeting.title
            );
            link_options.push((link_value(LinkKind::Meeting, meeting.id), label));
        }
        for decision in &linkable.decisions {
            let label = decision_label(&chrome_date(&decision.meeting_starts_at), decision);
            link_options.push((
                link_value(LinkKind::Decision, decision.decision.id),
                format!("{}: {label}", scope.t("initiative-link-decision")),
            ));
            decision_options.push((decision.decision.id.to_string(), label));
        }
        for organisation in &linkable.organisations {
            let label = format!("{}: {}", scope.t("initiative-link-organisation"), organisation.name);
            link_options.push((link_value(LinkKind::Organisation, organisation.id), label));
        }
    }
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
        page,
        type_label: type_label(scope, &initiative.cooperation_type, &names),
        progress,
        history,
        ideas,
        children,
        parent,
        next_steps,
        step_form: forms.step.named("step"),
        link_form: forms.link.named("link"),
        milestones,
        following: scope
            .app()
            .follows(&scope.caller(), (FollowKind::Initiative, id))
            .await?,
        milestone_form: forms.milestone.named("milestone"),
        edit_form: forms.edit.unwrap_or_else(|| as_typed(&initiative)).named("edit"),
        type_options: type_options(scope).await?,
        parent_options: parent_options(scope, &all, Some(id)),
        scenarios,
        meetings,
        decisions,
        organisations,
        link_options,
        decision_options,
        initiative,
    })
}

type InitiativePath = Path<(String, String)>;

pub async fn show(scope: Scope, Path((_, id)): InitiativePath) -> Result<Response, WebError> {
    scope.require(Action::ViewPublished)?;
    render(initiative_page(&scope, parse_id(&id)?, InitiativeForms::default()).await?)
}

/// A step as the form sends it: where to, why, and the decision it follows, if any.
#[derive(Debug, Default, Deserialize)]
pub struct StepInput {
    #[serde(default)]
    to: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    decision: String,
}

pub async fn step(scope: Scope, Path((_, id)): InitiativePath, form: Form<StepInput>) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let input = TransitionInput {
        to: form.input.to.clone(),
        reason: form.input.reason.clone(),
    };
    let outcome = async {
        let decision = match form.input.decision.trim() {
            "" => None,
            text => Some(
                text.parse::<i64>()
                    .map_err(|_| Invalid::single("decision", "error-choice"))?,
            ),
        };
        scope
            .app()
            .move_initiative(&scope.caller(), id, input, decision)
            .await
            .map(|_| ())
    }
    .await;
    settle::<InitiativePage>(&scope, id, outcome, form.values, "timeline", |forms, state| {
        forms.step = state
    })
    .await
}

/// What a coordinator links an initiative to: "meeting:12", "decision:3", "organisation:7".
#[derive(Debug, Default, Deserialize)]
pub struct LinkInput {
    #[serde(default)]
    target: String,
}

pub async fn link(scope: Scope, Path((_, id)): InitiativePath, form: Form<LinkInput>) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let linked = scope
        .app()
        .link_initiative(&scope.caller(), id, &form.input.target)
        .await;
    settle::<InitiativePage>(&scope, id, linked, form.values, "links", |forms, state| {
        forms.link = state
    })
    .await
}

impl FormPage for InitiativePage {
    type Key = i64;
    type Forms = InitiativeForms;

    fn address(scope: &Scope, id: i64) -> String {
        format!("/w/{}/initiatives/{id}", scope.workspace.slug)
    }

    fn build(scope: &Scope, id: i64, forms: InitiativeForms) -> impl Future<Output = Result<Self, WebError>> + Send {
        initiative_page(scope, id, forms)
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
    let initiative = scope
        .app()
        .initiative_from_idea(&scope.caller(), id, &form.input.cooperation_type)
        .await?;
    Ok(see_other(&format!(
        "/w/{}/initiatives/{}",
        scope.workspace.slug, initiative.id
    )))
}

pub async fn edit(
    scope: Scope,
    Path((_, id)): InitiativePath,
    form: Form<InitiativeInput>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let edited = scope.app().edit_initiative(&scope.caller(), id, &form.input).await;
    settle::<InitiativePage>(&scope, id, edited, form.values, "edit", |forms, state| {
        forms.edit = Some(state)
    })
    .await
}

pub async fn add_milestone(
    scope: Scope,
    Path((_, id)): InitiativePath,
    form: Form<MilestoneInput>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let added = scope.app().add_milestone(&scope.caller(), id, &form.input).await;
    settle::<InitiativePage>(&scope, id, added, form.values, "milestones", |forms, state| {
        forms.milestone = state
    })
    .await
}

/// Whether a milestone is done: "yes" marks it done today, "no" undoes that.
#[derive(Debug, Default, Deserialize)]
pub struct DoneInput {
    #[serde(default)]
    done: String,
}

pub async fn mark_milestone(
    scope: Scope,
    Path((_, id, milestone)): Path<(String, String, String)>,
    form: Form<DoneInput>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let milestone = parse_id(&milestone)?;
    let outcome = scope
        .app()
        .mark_milestone(&scope.caller(), id, milestone, &form.input.done)
        .await;
    settle::<InitiativePage>(&scope, id, outcome, form.values, "milestones", |forms, state| {
        forms.milestone = state
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
pub struct TypeInput {
    #[serde(default)]
    name: String,
}

/// A cooperation type of the workspace's own, beside the four built in.
pub async fn add_type(scope: Scope, form: Form<TypeInput>) -> Result<Response, WebError> {
    let added = scope
        .app()
        .add_cooperation_type(&scope.caller(), &form.input.name)
        .await;
    match refusal(added.map(|_| ()))? {
        None => Ok(see_other(&format!("/w/{}/initiatives#types", scope.workspace.slug))),
        Some(invalid) => render_refused(
            list_page_with(
                &scope,
                &PageQuery::default(),
                FormState::default(),
                FormState::new(form.values, invalid),
            )
            .await?,
        ),
    }
}
