//! The demo's sample region: a real OpenStreetMap extract of Liechtenstein, in a workspace and
//! a network of its own that say what they are, so that the street network analysis can be
//! seen offline without ever showing another place's streets as Ķekava's.

use kopa_app::{App, NetworkUpload, Refusal};
use kopa_domain::street_network::NetworkSource;
use kopa_store::{Actor, NewWorkspace, Result, Store};

use crate::{DEMO_ACCOUNTS, date};

/// The sample region's workspace.
pub const SAMPLE: &str = "paraugs";

/// The extract, © OpenStreetMap contributors, under the ODbL (see `sample/README.md`).
pub const SAMPLE_EXTRACT: &[u8] = include_bytes!("../sample/liechtenstein.osm.pbf");
pub const SAMPLE_FILE: &str = "liechtenstein.osm.pbf";

/// Creates the sample region's network and workspace, with the demo's accounts in their roles.
pub async fn load(store: &Store) -> Result<()> {
    if store.workspace_by_slug(SAMPLE).await?.is_some() {
        return Ok(());
    }
    let system = Actor::system();
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
    Ok(())
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
    };
    let (_, work) = app.import_street_network(&caller, upload, NetworkSource::Demo).await?;
    let done = work.run().await?;
    app.publish_street_analysis(&caller, done.id, true).await?;
    Ok(true)
}
