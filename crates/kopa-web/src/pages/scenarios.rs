//! The scenario page: a member chooses places to act and sees at once what building them
//! together would change: the score before and after, the people and destinations newly
//! connected, and the segments that became low stress, on the stress map. Saved, a scenario
//! is the expected effect of an initiative or a plan action, and has a page of its own.

use askama::Template;
use axum::extract::{Path, RawQuery};
use axum::response::Response;
use kopa_app::{Expecting, Refusal};
use kopa_domain::street_network::{Scenario, StreetAnalysis};
use kopa_domain::{Action, Invalid};
use kopa_mobility::candidates::Candidate;
use kopa_mobility::scenario::{Edit, Effect};
use kopa_report::{Arg, Words};
use serde::Deserialize;

use super::street_network::{NetworkView, Shown, shown};
use super::where_to_act::PlaceWords;
use super::{Chrome, FormState, render, render_refused, see_other};
use crate::context::{Form, Scope, parse_id};
use crate::error::WebError;

/// How many of the best places the page offers to choose from.
const OFFERED: usize = 40;

#[derive(Template)]
#[template(path = "scenario.html")]
pub struct ScenarioPage {
    page: Chrome,
    shown: Shown,
    /// The places offered, by rank, with whether each is chosen.
    offered: Vec<(usize, bool)>,
    /// What the chosen places would change together.
    effect: Option<Effect>,
    /// Path data of the segments the scenario makes low stress, on the stress map.
    changed: String,
    /// The chosen places that are points (crossings, mobility points), on the stress map.
    points: Vec<(f64, f64)>,
    form: FormState,
    /// The places chosen, as a query: where the save form sends them.
    query: String,
    /// What the scenario may be saved as the expected effect of; empty for those who may not.
    expecting: Vec<(String, String)>,
    save: FormState,
}

impl ScenarioPage {
    fn analysis(&self) -> &StreetAnalysis {
        &self.shown.analysis
    }

    fn candidate(&self, rank: &usize) -> &Candidate {
        &self.shown.results.candidates[rank - 1]
    }

    fn score(&self, value: &Option<f64>) -> String {
        value.map_or_else(|| self.page.t("streets-no-score"), |s| format!("{s:.1}"))
    }

    fn gain(&self, effect: &Effect) -> String {
        format!("{:+.1}", effect.gain())
    }

    fn now_low_stress(&self, effect: &Effect) -> usize {
        effect.changed_segments.iter().filter(|(_, low)| *low).count()
    }

    /// "Searched 12 of 340 zones again": what evaluating only near the edits saved.
    fn searched(&self, effect: &Effect) -> String {
        let zones = self.shown.results.zones.len();
        self.page.message(
            "scenario-searched",
            &[("searched", Arg::of(effect.zones_searched)), ("zones", Arg::of(zones))],
        )
    }
}

/// The ranks chosen, from `place=3&place=7`: each place once, in rank order.
fn chosen(query: Option<&str>, places: usize) -> Result<Vec<usize>, WebError> {
    let mut ranks = Vec::new();
    for (key, value) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        if key == "place" {
            let rank: usize = value
                .trim()
                .parse()
                .map_err(|_| WebError::BadRequest("error-scenario-place"))?;
            if rank == 0 || rank > places {
                return Err(WebError::BadRequest("error-scenario-place"));
            }
            ranks.push(rank);
        }
    }
    ranks.sort_unstable();
    ranks.dedup();
    Ok(ranks)
}

/// The scenario of the places chosen, evaluated as the page is asked for.
pub async fn show(
    scope: Scope,
    Path((_, id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Result<Response, WebError> {
    let save = FormState::default().named("save");
    let page = scenario_page(&scope, &id, query.as_deref(), save).await?;
    if page.form.has_errors() {
        render_refused(page)
    } else {
        render(page)
    }
}

/// The scenario page of the places in `query`, its save form as `save` holds it.
async fn scenario_page(
    scope: &Scope,
    id: &str,
    query: Option<&str>,
    save: FormState,
) -> Result<ScenarioPage, WebError> {
    scope.require(Action::ViewStreetAnalyses)?;
    let id = parse_id(id)?;
    let (app, caller) = (scope.app(), scope.caller());
    let analysis = app.street_analysis(&caller, id).await?;
    let shown = shown(scope, analysis).await?;
    let candidates = &shown.results.candidates;
    let ranks = chosen(query, candidates.len())?;
    let mut offered: Vec<(usize, bool)> = (1..=candidates.len().min(OFFERED)).map(|r| (r, false)).collect();
    for rank in &ranks {
        match offered.iter_mut().find(|(r, _)| r == rank) {
            Some(place) => place.1 = true,
            None => offered.push((*rank, true)),
        }
    }
    let edits: Vec<Edit> = ranks.iter().map(|r| candidates[r - 1].edit.clone()).collect();
    let projection = NetworkView::projection(&shown.results);
    let points = ranks
        .iter()
        .map(|r| &candidates[r - 1])
        .filter(|c| matches!(c.edit, Edit::Crossing { .. } | Edit::MobilityPoint { .. }))
        .map(|c| projection.project([c.at.lon, c.at.lat]))
        .collect();
    let (mut effect, mut form) = (None, FormState::default());
    if !edits.is_empty() {
        match app.try_scenario(&caller, &shown.analysis, edits).await {
            Ok(tried) => effect = Some(tried),
            Err(refused @ (Refusal::Invalid(_) | Refusal::Refused(_) | Refusal::SlowDown { .. })) => {
                form = FormState::new(Default::default(), super::form_refusal(refused)?);
            }
            Err(other) => return Err(other.into()),
        }
    }
    let changed = effect
        .iter()
        .flat_map(|e| &e.changed_segments)
        .filter(|(_, low)| *low)
        .filter_map(|(segment, _)| shown.results.lines.get(*segment as usize))
        .map(|line| projection.path(line, false))
        .collect();
    let expecting = match scope.may(Action::ManageInitiatives) && effect.is_some() {
        true => expecting_options(scope).await?,
        false => Vec::new(),
    };
    let query = ranks.iter().map(|r| format!("place={r}")).collect::<Vec<_>>().join("&");
    Ok(ScenarioPage {
        page: Chrome::for_scope_titled(scope, "nav-network", scope.t("scenario-title")),
        shown,
        offered,
        effect,
        changed,
        points,
        form,
        query,
        expecting,
        save,
    })
}

/// What a scenario may be saved as the expected effect of: nothing yet, an initiative, or an
/// action of the plan's open draft.
async fn expecting_options(scope: &Scope) -> Result<Vec<(String, String)>, WebError> {
    let (app, caller) = (scope.app(), scope.caller());
    let mut options = vec![(String::new(), scope.t("scenario-for-nothing"))];
    if scope.may(Action::ManagePlan)
        && let Some(plan) = app.current_plan(&caller).await?
        && !plan.info.is_submitted()
    {
        for action in &plan.plan.actions {
            let title = action.title.shown_in(scope.locale.language()).text;
            let label = scope.state.app.i18n.message(
                scope.locale,
                "scenario-for-action",
                &[("code", Arg::of(&action.code)), ("title", Arg::of(title))],
            );
            options.push((format!("action-{}", action.id), label));
        }
    }
    for initiative in app.initiatives(&caller).await?.iter() {
        let label = scope.state.app.i18n.message(
            scope.locale,
            "scenario-for-initiative",
            &[("title", Arg::of(&initiative.title))],
        );
        options.push((format!("initiative-{}", initiative.id), label));
    }
    Ok(options)
}

#[derive(Deserialize, Default)]
pub struct SaveScenario {
    #[serde(default)]
    title: String,
    #[serde(default, rename = "for")]
    expecting: String,
}

/// Saves the scenario of the places in the query: the saved scenario's page, or the scenario
/// page again with the form as typed and what was wrong.
pub async fn save(
    scope: Scope,
    Path((_, id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    form: Form<SaveScenario>,
) -> Result<Response, WebError> {
    scope.require(Action::ManageInitiatives)?;
    let (app, caller) = (scope.app(), scope.caller());
    let analysis = app.street_analysis(&caller, parse_id(&id)?).await?;
    let results = app.street_results(&caller, &analysis).await?;
    let ranks = chosen(query.as_deref(), results.candidates.len())?;
    let edits = ranks.iter().map(|r| results.candidates[r - 1].edit.clone()).collect();
    let saved = match expecting(&form.input.expecting) {
        Some(expecting) => {
            app.save_scenario(&caller, &analysis, &form.input.title, edits, expecting)
                .await
        }
        None => Err(Invalid::single("for", "error-unknown").into()),
    };
    match saved {
        Ok(scenario) => Ok(see_other(&format!(
            "/w/{}/network/scenarios/{}",
            scope.workspace.slug, scenario.id
        ))),
        Err(refused) => {
            let save = FormState::new(form.values, super::form_refusal(refused)?).named("save");
            render_refused(scenario_page(&scope, &id, query.as_deref(), save).await?)
        }
    }
}

/// `action-3`, `initiative-7` or nothing, as the save form sends them.
fn expecting(value: &str) -> Option<Expecting> {
    let value = value.trim();
    if value.is_empty() {
        return Some(Expecting::Nothing);
    }
    let (kind, id) = value.split_once('-')?;
    match kind {
        "action" => id.parse().ok().map(Expecting::PlanAction),
        "initiative" => id.parse().ok().map(Expecting::Initiative),
        _ => None,
    }
}

#[derive(Template)]
#[template(path = "saved_scenario.html")]
pub struct SavedScenarioPage {
    page: Chrome,
    scenario: Scenario,
    /// The places it builds, by their rank in the analysis's list where they are in it.
    places: Vec<(Option<usize>, String)>,
    /// The initiative it is the expected effect of, by title.
    initiative: Option<String>,
    /// The plan actions it is the expected effect of, in the newest version: code and title.
    actions: Vec<String>,
    /// Where the scenario page opens with these places chosen.
    query: String,
}

impl SavedScenarioPage {
    fn score(&self, value: &Option<f64>) -> String {
        value.map_or_else(|| self.page.t("streets-no-score"), |s| format!("{s:.1}"))
    }

    fn gain(&self) -> String {
        format!("{:+.1}", self.scenario.expected.gain())
    }
}

/// A saved scenario: what it builds, what it was found to change, and what it belongs to.
pub async fn saved(scope: Scope, Path((_, id)): Path<(String, String)>) -> Result<Response, WebError> {
    scope.require(Action::ViewStreetAnalyses)?;
    let (app, caller) = (scope.app(), scope.caller());
    let (scenario, edits) = app.scenario(&caller, parse_id(&id)?).await?;
    let analysis = app.street_analysis(&caller, scenario.analysis_id).await?;
    let results = app.street_results(&caller, &analysis).await?;
    let page = Chrome::for_scope_titled(&scope, "nav-network", scenario.title.clone());
    let places = edits
        .iter()
        .map(|edit| match results.candidates.iter().position(|c| &c.edit == edit) {
            Some(at) => (Some(at + 1), page.proposal(&results.candidates[at])),
            None => (None, scope.t("scenario-edit-elsewhere")),
        })
        .collect::<Vec<_>>();
    let query = places
        .iter()
        .filter_map(|(rank, _)| rank.map(|r| format!("place={r}")))
        .collect::<Vec<_>>()
        .join("&");
    let initiative = match scenario.initiative_id {
        Some(id) => app
            .initiatives(&caller)
            .await?
            .iter()
            .find(|i| i.id == id)
            .map(|i| i.title.clone()),
        None => None,
    };
    let actions = match scope.may(Action::ViewPlan) {
        true => app
            .current_plan(&caller)
            .await?
            .map(|v| {
                v.plan
                    .actions
                    .iter()
                    .filter(|a| a.scenario == Some(scenario.id))
                    .map(|a| format!("{} {}", a.code, a.title.shown_in(scope.locale.language()).text))
                    .collect()
            })
            .unwrap_or_default(),
        false => Vec::new(),
    };
    render(SavedScenarioPage {
        page,
        scenario,
        places,
        initiative,
        actions,
        query,
    })
}
