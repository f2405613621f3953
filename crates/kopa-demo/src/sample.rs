//! The demo's sample region: a real OpenStreetMap extract of Liechtenstein, in a workspace and
//! a network of its own that say what they are, so that the street network analysis can be
//! seen offline without ever showing another place's streets as Ķekava's.

use kopa_app::{App, Caller, Expecting, NetworkUpload, Refusal};
use kopa_domain::audit::SystemActor;
use kopa_domain::street_network::{NetworkSource, StreetAnalysis};
use kopa_store::{Actor, NewWorkspace, Result, Store};

use crate::{DEMO_ACCOUNTS, date};

/// The sample region's workspace.
pub const SAMPLE: &str = "paraugs";

/// The extract, © OpenStreetMap contributors, under the ODbL (see `sample/README.md`).
pub const SAMPLE_EXTRACT: &[u8] = include_bytes!("../sample/liechtenstein.osm.pbf");
pub const SAMPLE_FILE: &str = "liechtenstein.osm.pbf";

/// Creates the sample region's network and workspace, with the demo's accounts in their roles
/// and an example plan whose indicator the street network analysis feeds.
pub async fn load(store: &Store) -> Result<()> {
    let workspace = match store.workspace_by_slug(SAMPLE).await? {
        Some(workspace) => workspace,
        None => create(store).await?,
    };
    if store.plan_versions(workspace.id).await?.is_empty() {
        crate::plan::load_sample(store, workspace.id).await?;
    }
    Ok(())
}

async fn create(store: &Store) -> Result<kopa_domain::workspace::Workspace> {
    let system = Actor::system(SystemActor::DemoLoader);
    let network = store
        .create_network(
            &system,
            &kopa_domain::workspace::NewNetwork {
                name: "Parauga reģions (piemērs) · Sample region (example)".into(),
                programme: "Kopa demo: real OpenStreetMap data of another place, not a partner city".into(),
                lead_expert: None,
                starts_on: date(2024, 1, 1),
                ends_on: date(2030, 12, 31),
            },
        )
        .await?;
    let workspace = store
        .create_workspace(
            &system,
            network.id,
            &NewWorkspace {
                slug: SAMPLE.into(),
                municipality: "Lihtenšteina, parauga reģions (piemērs) · Liechtenstein, sample region (example)".into(),
                country: "LI".into(),
                policy_challenge: Some(
                    "Piemērs: ielu tīkla analīze uz īstiem OpenStreetMap datiem. \
                     Example: the street network analysis on real OpenStreetMap data."
                        .into(),
                ),
                is_lead_partner: false,
                default_locale: "lv".into(),
                time_zone: "Europe/Vaduz".into(),
            },
        )
        .await?;
    for (email, _, role) in DEMO_ACCOUNTS {
        if let Some(user) = store.user_by_email(email).await? {
            store.grant_role(&system, user.id, workspace.id, role).await?;
        }
    }
    Ok(workspace)
}

/// Analyses the sample region's street network and publishes it, unless that was done
/// before: the same use case a coordinator's upload runs.
pub async fn analyse(app: &App) -> std::result::Result<bool, Refusal> {
    let caller = app.operator_at(SAMPLE).await?;
    if app.street_analyses(&caller).await?.iter().any(|a| a.is_done()) {
        return Ok(false);
    }
    let upload = NetworkUpload {
        file_name: SAMPLE_FILE.into(),
        bytes: SAMPLE_EXTRACT.to_vec(),
        area: String::new(),
        population: String::new(),
        // Liechtenstein's streets are read with its own traffic rules.
        profile: "Liechtenstein".into(),
    };
    let (_, work) = app.import_street_network(&caller, upload, NetworkSource::Demo).await?;
    let done = work.run().await?;
    app.publish_street_analysis(&caller, done.id, true).await?;
    expect_of_the_plan(app, &caller, &done).await?;
    Ok(true)
}

/// Saves the three best places to act as the expected effect of the example plan's action A1,
/// so that the plan shows its indicator's target from the engine.
async fn expect_of_the_plan(app: &App, caller: &Caller, analysis: &StreetAnalysis) -> std::result::Result<(), Refusal> {
    let Some(plan) = app.current_plan(caller).await? else {
        return Ok(());
    };
    let Some(action) = plan.plan.actions.iter().find(|a| a.code == "A1") else {
        return Ok(());
    };
    if plan.info.is_submitted() || action.scenario.is_some() {
        return Ok(());
    }
    let results = app.street_results(caller, analysis).await?;
    let edits: Vec<_> = results.candidates.iter().take(3).map(|c| c.edit.clone()).collect();
    if edits.is_empty() {
        return Ok(());
    }
    let title = "Trīs labākās vietas, kur rīkoties (piemērs) · The three best places to act (example)";
    app.save_scenario(caller, analysis, title, edits, Expecting::PlanAction(action.id))
        .await?;
    Ok(())
}
