//! Scenarios: a list of edits to the street network (a crossing, a cycle track, a lower
//! speed limit, a mobility point) and what they would change together. The network is rebuilt
//! once from the analysis's own extract and kept, so that each scenario is evaluated in
//! milliseconds, searching again only the zones within reach of an edit. A scenario saved is
//! the expected effect of an initiative or a plan action; the plan's actions together make
//! its combined scenario, whose score is the target of the indicators the engine feeds.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use kopa_domain::plan::edit::{ItemKind, PlanEdit};
use kopa_domain::plan::{ItemId, Plan};
use kopa_domain::street_network::{AnalysisParameters, Expected, Scenario, StreetAnalysis};
use kopa_domain::{Action, Invalid};
use kopa_mobility::osm::{Completeness, OsmData};
use kopa_mobility::pipeline::{self, Unwatched};
use kopa_mobility::scenario::{Edit, Effect, Network};
use kopa_mobility::stress::Profile;
use kopa_store::{NewScenario, StoreError, Turns};

use crate::street_network::{SOURCE_FILE, gunzip, request_for};
use crate::{App, Caller, Refusal};

/// The most edits one scenario holds: more than a plan's actions, few enough to answer at once.
pub const MAX_EDITS: usize = 50;

/// The longest a saved scenario's title may be.
const TITLE: usize = 200;

/// What a saved scenario is the expected effect of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expecting {
    /// Nothing yet: kept to compare and attach later.
    Nothing,
    Initiative(i64),
    /// An action of the plan's open draft.
    PlanAction(ItemId),
}

/// The scenarios of a plan's actions, evaluated together on one network.
#[derive(Debug, Clone, PartialEq)]
pub struct CombinedScenario {
    pub analysis_id: i64,
    /// The scenarios evaluated: those made on the newest analysis among them.
    pub included: Vec<i64>,
    /// Those made on an older analysis, left out: their edits name another network.
    pub left_out: Vec<i64>,
    pub effect: Effect,
}

/// One network rebuilt at a time: each holds an extract and its graph in memory.
static REBUILDING: Turns = Turns::new(1, Duration::from_secs(60));

/// Scenarios evaluated at once; each takes a core for some milliseconds.
static EVALUATING: Turns = Turns::new(2, Duration::from_secs(10));

impl App {
    /// What a scenario would change on an analysed network: the score before and after, the
    /// people and destinations newly connected at low stress, and the segments and crossings
    /// that changed. Members try them; each takes the server's time.
    pub async fn try_scenario(
        &self,
        caller: &Caller,
        analysis: &StreetAnalysis,
        edits: Vec<Edit>,
    ) -> Result<Effect, Refusal> {
        caller.require(Action::ViewStreetAnalyses)?;
        if edits.len() > MAX_EDITS {
            return Err(Invalid::single("edits", "error-scenario-too-many").into());
        }
        let network = self.scenario_network(caller, analysis).await?;
        let effect = EVALUATING
            .run("error-analysis-crashed", move || network.evaluate(&edits))
            .await?;
        effect.map_err(|_| Invalid::single("edits", "error-scenario-edit").into())
    }

    /// Saves a scenario as the expected effect of what it is `for`, with what it was found to
    /// change. Attaching it to a plan action is an edit of the open draft, as any other.
    pub async fn save_scenario(
        &self,
        caller: &Caller,
        analysis: &StreetAnalysis,
        title: &str,
        edits: Vec<Edit>,
        expecting: Expecting,
    ) -> Result<Scenario, Refusal> {
        caller.require(Action::ManageInitiatives)?;
        let workspace = caller.workspace_id();
        let mut invalid = Invalid::new();
        let title = invalid.required_text("title", title, TITLE);
        if edits.is_empty() {
            invalid.add("edits", "error-scenario-empty");
        }
        let mut initiative_id = None;
        let mut draft = None;
        match expecting {
            Expecting::Nothing => {}
            Expecting::Initiative(id) => match self.store.initiative(workspace, id).await? {
                Some(_) => initiative_id = Some(id),
                None => invalid.add("for", "error-unknown"),
            },
            Expecting::PlanAction(item) => {
                caller.require(Action::ManagePlan)?;
                let version = self.store.current_plan(workspace).await?;
                match version.filter(|v| !v.info.is_submitted()) {
                    None => return Err(Refusal::Refused("error-scenario-no-draft")),
                    Some(v) => match v.plan.action(item) {
                        Some(action) => {
                            initiative_id = action.initiative;
                            draft = Some((v.info.number, item, v.plan.clone()));
                        }
                        None => invalid.add("for", "error-unknown"),
                    },
                }
            }
        }
        invalid.into_result()?;
        let effect = self.try_scenario(caller, analysis, edits.clone()).await?;
        let expected = Expected {
            score_before: effect.score_before,
            score_after: effect.score_after,
            people_gaining: effect.people_gaining,
            destinations_gained: effect.destinations_gained,
        };
        let edits = serde_json::to_value(&edits).map_err(|_| Invalid::single("edits", "error-scenario-edit"))?;
        let new = NewScenario {
            analysis_id: analysis.id,
            title: &title,
            edits: &edits,
            expected: &expected,
            initiative_id,
        };
        let saved = self.store.save_scenario(&caller.actor(), workspace, &new).await?;
        if let Some((number, item, plan)) = draft {
            self.edit_plan(caller, number, &attach(&plan, item, saved.id)?).await?;
        }
        Ok(saved)
    }

    /// The workspace's saved scenarios, newest first.
    pub async fn scenarios(&self, caller: &Caller) -> Result<Vec<Scenario>, Refusal> {
        caller.require(Action::ViewStreetAnalyses)?;
        Ok(self.store.street_scenarios(caller.workspace_id(), None).await?)
    }

    /// One saved scenario, with its edits as the engine reads them.
    pub async fn scenario(&self, caller: &Caller, id: i64) -> Result<(Scenario, Vec<Edit>), Refusal> {
        caller.require(Action::ViewStreetAnalyses)?;
        let found = self.store.street_scenarios(caller.workspace_id(), Some(&[id])).await?;
        let scenario = found.into_iter().next().ok_or(Refusal::NotFound)?;
        let edits = edits_of(&scenario)?;
        Ok((scenario, edits))
    }

    /// The scenarios of the plan's actions evaluated together, on the newest analysis any of
    /// them was made on; none while no action has one. Saved scenarios never change, so the
    /// answer is kept for as long as the plan names the same ones.
    pub async fn plan_scenario(&self, workspace: i64, plan: &Plan) -> Result<Option<Arc<CombinedScenario>>, Refusal> {
        let mut ids: Vec<i64> = plan.actions.iter().filter_map(|a| a.scenario).collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(None);
        }
        let combined = self
            .plan_scenarios
            .get(workspace, ids.clone(), || async move {
                let scenarios = self.store.street_scenarios(workspace, Some(&ids)).await?;
                let newest = scenarios.iter().map(|s| s.analysis_id).max().ok_or(Refusal::NotFound)?;
                let analysis = self
                    .store
                    .street_analysis(workspace, newest)
                    .await?
                    .ok_or(Refusal::NotFound)?;
                let (mut included, mut left_out, mut edits) = (Vec::new(), Vec::new(), Vec::<Edit>::new());
                for scenario in &scenarios {
                    if scenario.analysis_id != newest {
                        left_out.push(scenario.id);
                        continue;
                    }
                    included.push(scenario.id);
                    for edit in edits_of(scenario)? {
                        if !edits.contains(&edit) {
                            edits.push(edit);
                        }
                    }
                }
                edits.truncate(MAX_EDITS);
                let network = self.network_of(&analysis).await?;
                let effect = EVALUATING
                    .run("error-analysis-crashed", move || network.evaluate(&edits))
                    .await?
                    .map_err(|_| Refusal::Refused("error-scenario-edit"))?;
                Ok::<_, Refusal>(CombinedScenario {
                    analysis_id: newest,
                    included,
                    left_out,
                    effect,
                })
            })
            .await?;
        Ok(Some(combined))
    }

    /// The analysis's network, for whoever may see its results.
    async fn scenario_network(&self, caller: &Caller, analysis: &StreetAnalysis) -> Result<Arc<Network>, Refusal> {
        // Who may see the results may try scenarios on them.
        self.street_results(caller, analysis).await?;
        self.network_of(analysis).await
    }

    /// The analysis's network, rebuilt from its extract the first time it is asked for.
    async fn network_of(&self, analysis: &StreetAnalysis) -> Result<Arc<Network>, Refusal> {
        let (workspace, id) = (analysis.workspace_id, analysis.id);
        self.scenario_networks
            .get(workspace, id, || async move {
                let (_, gzip) = self
                    .store
                    .street_analysis_file(workspace, id, SOURCE_FILE)
                    .await?
                    .ok_or(Refusal::Refused("error-scenario-no-source"))?;
                let name = analysis.source_name.clone();
                let parameters = analysis.parameters.clone();
                let rebuilt = REBUILDING
                    .run("error-analysis-crashed", move || rebuild(&name, &gzip, &parameters))
                    .await?;
                // A stored extract Kopa cannot read is an error that names it.
                rebuilt.map_err(|reason| {
                    Refusal::Store(StoreError::UnreadableValue {
                        table: "street_analysis_files",
                        row: format!("{id}/{SOURCE_FILE}"),
                        column: "gzip",
                        value: reason,
                    })
                })
            })
            .await
    }
}

/// The edit that makes `scenario` the expected effect of action `item` of the draft.
fn attach(plan: &Plan, item: ItemId, scenario: i64) -> Result<PlanEdit, Refusal> {
    let mut fields = plan
        .item_fields(ItemKind::Action, item)
        .ok_or_else(|| Invalid::single("for", "error-unknown"))?;
    fields.insert("scenario".into(), scenario.to_string());
    Ok(PlanEdit::save(ItemKind::Action, Some(item), &fields)?)
}

/// A saved scenario's edits; a stored edit this Kopa cannot read is an error that names it.
fn edits_of(scenario: &Scenario) -> Result<Vec<Edit>, Refusal> {
    serde_json::from_value(scenario.edits.clone()).map_err(|_| {
        Refusal::Store(StoreError::UnreadableValue {
            table: "street_scenarios",
            row: scenario.id.to_string(),
            column: "edits_json",
            value: scenario.edits.to_string(),
        })
    })
}

/// The network as the analysis built it, from the same extract with the same choices.
fn rebuild(name: &str, gzip: &[u8], parameters: &AnalysisParameters) -> Result<Network, String> {
    let Some(profile) = Profile::named(&parameters.profile) else {
        return Err(format!(
            "made with the profile \"{}\", which this server does not have",
            parameters.profile
        ));
    };
    let bytes = gunzip(gzip).map_err(|e| e.to_string())?;
    let osm = OsmData::from_bytes(Path::new(name), &bytes, Completeness::CutAtEdge).map_err(|e| e.to_string())?;
    let request = request_for(name, parameters, profile);
    let prepared = pipeline::prepare(osm, request, &Unwatched).map_err(|e| e.to_string())?;
    Ok(prepared.network)
}
