//! Scenarios: a list of edits to the street network (a crossing, a cycle track, a lower
//! speed limit, a mobility point) and what they would change together. The network is rebuilt
//! once from the analysis's own extract and kept, so that each scenario is evaluated in
//! milliseconds, searching again only the zones within reach of an edit.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use kopa_domain::street_network::{AnalysisParameters, StreetAnalysis};
use kopa_domain::{Action, Invalid};
use kopa_mobility::osm::{Completeness, OsmData};
use kopa_mobility::pipeline::{self, Unwatched};
use kopa_mobility::scenario::{Edit, Effect, Network};
use kopa_mobility::stress::Profile;
use kopa_store::{StoreError, Turns};

use crate::street_network::{SOURCE_FILE, gunzip, request_for};
use crate::{App, Caller, Refusal};

/// The most edits one scenario holds: more than a plan's actions, few enough to answer at once.
pub const MAX_EDITS: usize = 50;

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

    /// The analysis's network, rebuilt from its extract the first time it is asked for.
    async fn scenario_network(&self, caller: &Caller, analysis: &StreetAnalysis) -> Result<Arc<Network>, Refusal> {
        // Who may see the results may try scenarios on them.
        self.street_results(caller, analysis).await?;
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

/// The network as the analysis built it, from the same extract with the same choices.
fn rebuild(name: &str, gzip: &[u8], parameters: &AnalysisParameters) -> Result<Network, String> {
    let profile = Profile::latvia();
    if profile.name != parameters.profile {
        return Err(format!(
            "made with the profile \"{}\", which this server does not have",
            parameters.profile
        ));
    }
    let bytes = gunzip(gzip).map_err(|e| e.to_string())?;
    let osm = OsmData::from_bytes(Path::new(name), &bytes, Completeness::CutAtEdge).map_err(|e| e.to_string())?;
    let request = request_for(name, parameters, profile);
    let prepared = pipeline::prepare(osm, request, &Unwatched).map_err(|e| e.to_string())?;
    Ok(prepared.network)
}
