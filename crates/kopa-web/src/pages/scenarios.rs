//! The scenario page: a member chooses places to act and sees at once what building them
//! together would change: the score before and after, the people and destinations newly
//! connected, and the segments that became low stress, on the stress map. Saved, a scenario
//! is the expected effect of an initiative or a plan action, and has a page of its own.

use askama::Template;
use axum::extract::{Path, RawQuery};
use axum::response::Response;
use kopa_app::where_to_act::edit_in_words;
use kopa_app::{Expecting, Refusal};
use kopa_domain::street_network::{Scenario, StreetAnalysis};
use kopa_domain::{Action, Invalid};
use kopa_mobility::candidates::Candidate;
use kopa_mobility::osm::Coord;
use kopa_mobility::report::Results;
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
    /// The edits chosen that are not among the places offered: the field that keeps each
    /// (`track`, `12`) and what it builds, in words.
    own: Vec<((&'static str, String), String)>,
    /// What the chosen places would change together.
    effect: Option<Effect>,
    /// Path data of the segments the scenario makes low stress, on the stress map.
    changed: String,
    /// The chosen places that are points (crossings, mobility points), on the stress map.
    points: Vec<(f64, f64)>,
    /// The same points, longitude/latitude, for the interactive map.
    points_at: Vec<[f64; 2]>,
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

    /// The segments the scenario makes low stress, as JSON for the interactive map.
    fn changed_segments(&self) -> String {
        let changed = self.effect.iter().flat_map(|e| &e.changed_segments);
        let low: Vec<u32> = changed.filter(|(_, low)| *low).map(|(segment, _)| *segment).collect();
        serde_json::to_string(&low).unwrap_or_default()
    }

    /// The scenario's points as JSON for the interactive map.
    fn point_coordinates(&self) -> String {
        serde_json::to_string(&self.points_at).unwrap_or_default()
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

/// A scenario as its page's address holds it: places to act by rank (`place=3`), and edits
/// made on the map or from a street's page: a cycle track along a segment (`track=12`), the
/// profile's slower limit along a way (`slower=4711`), a mobility point (`point=47.1,9.5`).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Chosen {
    pub ranks: Vec<usize>,
    pub tracks: Vec<u32>,
    pub slower: Vec<i64>,
    /// Latitude, longitude.
    pub points: Vec<(f64, f64)>,
}

impl Chosen {
    /// Reads a scenario's address; a value that names nothing of the analysis is refused.
    pub fn parse(query: Option<&str>, results: &Results) -> Result<Chosen, WebError> {
        let bad = || WebError::BadRequest("error-scenario-place");
        let mut chosen = Chosen::default();
        for (key, value) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
            let value = value.trim();
            match &*key {
                "place" => {
                    let rank: usize = value.parse().map_err(|_| bad())?;
                    if rank == 0 || rank > results.candidates.len() {
                        return Err(bad());
                    }
                    chosen.ranks.push(rank);
                }
                "track" => {
                    let segment: u32 = value.parse().map_err(|_| bad())?;
                    if segment as usize >= results.segments.len() {
                        return Err(bad());
                    }
                    chosen.tracks.push(segment);
                }
                "slower" => {
                    let way: i64 = value.parse().map_err(|_| bad())?;
                    if !results.way_tags.contains_key(&way) {
                        return Err(bad());
                    }
                    chosen.slower.push(way);
                }
                "point" => {
                    let (lat, lon) = value.split_once(',').ok_or_else(bad)?;
                    let (lat, lon): (f64, f64) = (
                        lat.trim().parse().map_err(|_| bad())?,
                        lon.trim().parse().map_err(|_| bad())?,
                    );
                    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                        return Err(bad());
                    }
                    chosen.points.push((lat, lon));
                }
                _ => {}
            }
        }
        chosen.ranks.sort_unstable();
        chosen.ranks.dedup();
        chosen.tracks.sort_unstable();
        chosen.tracks.dedup();
        chosen.slower.sort_unstable();
        chosen.slower.dedup();
        chosen.points.dedup();
        Ok(chosen)
    }

    /// A saved scenario's edits as an address: those among the places to act by their rank.
    pub fn of_edits(edits: &[Edit], results: &Results) -> Chosen {
        let mut chosen = Chosen::default();
        for edit in edits {
            if let Some(at) = results.candidates.iter().position(|c| &c.edit == edit) {
                chosen.ranks.push(at + 1);
                continue;
            }
            match edit {
                Edit::CycleTrack { segment } => chosen.tracks.push(*segment),
                Edit::SpeedLimit { way, .. } => chosen.slower.push(*way),
                Edit::MobilityPoint { at } => chosen.points.push((at.lat, at.lon)),
                // A crossing is chosen only among the places to act.
                Edit::Crossing { .. } => {}
            }
        }
        chosen.ranks.sort_unstable();
        chosen
    }

    /// The edits for the engine, each once: the places to act first, in rank order.
    pub fn edits(&self, results: &Results) -> Vec<Edit> {
        let kmh = results.profile.where_to_act.slower_kmh;
        let mut edits: Vec<Edit> = self
            .ranks
            .iter()
            .map(|r| results.candidates[r - 1].edit.clone())
            .collect();
        let own = (self.tracks.iter().map(|&segment| Edit::CycleTrack { segment }))
            .chain(self.slower.iter().map(|&way| Edit::SpeedLimit { way, kmh }))
            .chain(
                self.points
                    .iter()
                    .map(|&(lat, lon)| Edit::MobilityPoint { at: Coord { lat, lon } }),
            );
        for edit in own {
            if !edits.contains(&edit) {
                edits.push(edit);
            }
        }
        edits
    }

    /// The address's query, as [`Chosen::parse`] reads it.
    pub fn query(&self) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for rank in &self.ranks {
            query.append_pair("place", &rank.to_string());
        }
        for segment in &self.tracks {
            query.append_pair("track", &segment.to_string());
        }
        for way in &self.slower {
            query.append_pair("slower", &way.to_string());
        }
        for (lat, lon) in &self.points {
            query.append_pair("point", &format!("{lat:.6},{lon:.6}"));
        }
        query.finish()
    }

    /// The query with one more edit, `key=value`.
    pub fn query_with(&self, key: &str, value: &str) -> String {
        let mut query = url::form_urlencoded::Serializer::new(self.query());
        query.append_pair(key, value);
        query.finish()
    }
}

/// The address field that keeps an edit of one's own.
fn own_edit_field(edit: &Edit) -> (&'static str, String) {
    match edit {
        Edit::CycleTrack { segment } => ("track", segment.to_string()),
        Edit::SpeedLimit { way, .. } => ("slower", way.to_string()),
        Edit::MobilityPoint { at } => ("point", format!("{:.6},{:.6}", at.lat, at.lon)),
        Edit::Crossing { vertex, .. } => ("crossing", vertex.to_string()),
    }
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
    let chosen = Chosen::parse(query, &shown.results)?;
    let mut offered: Vec<(usize, bool)> = (1..=candidates.len().min(OFFERED)).map(|r| (r, false)).collect();
    for rank in &chosen.ranks {
        match offered.iter_mut().find(|(r, _)| r == rank) {
            Some(place) => place.1 = true,
            None => offered.push((*rank, true)),
        }
    }
    let page = Chrome::for_scope_titled(scope, "nav-network", scope.t("scenario-title"));
    let edits = chosen.edits(&shown.results);
    let projection = NetworkView::projection(&shown.results);
    let points_at: Vec<[f64; 2]> = (chosen.ranks.iter().map(|r| &candidates[r - 1]))
        .filter(|c| matches!(c.edit, Edit::Crossing { .. } | Edit::MobilityPoint { .. }))
        .map(|c| [c.at.lon, c.at.lat])
        .chain(chosen.points.iter().map(|&(lat, lon)| [lon, lat]))
        .collect();
    let points = points_at.iter().map(|p| projection.project(*p)).collect();
    let own = edits
        .iter()
        .filter(|edit| !candidates.iter().any(|c| &c.edit == *edit))
        .map(|edit| (own_edit_field(edit), edit_in_words(&page, edit, &shown.results)))
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
    let query = chosen.query();
    Ok(ScenarioPage {
        page,
        shown,
        offered,
        own,
        effect,
        changed,
        points,
        points_at,
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
    let edits = Chosen::parse(query.as_deref(), &results)?.edits(&results);
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
        .map(|edit| {
            let rank = results.candidates.iter().position(|c| &c.edit == edit).map(|at| at + 1);
            (rank, edit_in_words(&page, edit, &results))
        })
        .collect::<Vec<_>>();
    let query = Chosen::of_edits(&edits, &results).query();
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
