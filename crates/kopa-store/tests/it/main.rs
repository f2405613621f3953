//! The storage conformance suite: every test runs on SQLite, and on PostgreSQL when
//! `KOPA_TEST_POSTGRES_URL` is set, and must behave the same on both.

mod accounts;
mod administration;
mod audit;
mod backup;
mod cooperation;
mod group;
mod ideas;
mod initiatives;
mod maps;
mod meetings;
mod plan;

use chrono::NaiveDate;
use kopa_domain::audit::SystemActor;
use kopa_domain::workspace::Workspace;
use kopa_store::{Actor, NewWorkspace, Store};

pub fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// A network with one workspace, as every test needs.
pub async fn workspace(store: &Store) -> Workspace {
    let network = store
        .create_network(
            &Actor::system(SystemActor::Setup),
            &kopa_domain::workspace::NewNetwork {
                name: "Cities4CSR".into(),
                programme: "URBACT III".into(),
                lead_expert: None,
                starts_on: date("2019-09-01"),
                ends_on: date("2022-08-31"),
            },
        )
        .await
        .unwrap();
    store
        .create_workspace(
            &Actor::system(SystemActor::Setup),
            network.id,
            &NewWorkspace {
                slug: "kekava".into(),
                municipality: "Ķekava".into(),
                country: "LV".into(),
                policy_challenge: None,
                is_lead_partner: false,
                default_locale: "lv".into(),
                time_zone: "Europe/Riga".into(),
            },
        )
        .await
        .unwrap()
}

pub fn coordinator() -> Actor {
    Actor {
        user_id: Some(1),
        label: "koordinatore@kekava.lv".into(),
    }
}
