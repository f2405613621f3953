//! The network and its partner cities' workspaces.

use chrono::NaiveDate;
use kopa_domain::workspace::{Network, Workspace};
use sqlx::FromRow;

use crate::db::{in_transaction, on_pool, record_change};
use crate::{Actor, Result, Store, audit::change, snapshot};
use kopa_domain::audit::AuditAction;

#[derive(FromRow)]
struct NetworkRow {
    id: i64,
    name: String,
    programme: String,
    lead_expert: Option<String>,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
}

impl From<NetworkRow> for Network {
    fn from(r: NetworkRow) -> Network {
        Network {
            id: r.id,
            name: r.name,
            programme: r.programme,
            lead_expert: r.lead_expert,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
        }
    }
}

#[derive(FromRow)]
struct WorkspaceRow {
    id: i64,
    network_id: i64,
    slug: String,
    municipality: String,
    country: String,
    policy_challenge: Option<String>,
    is_lead_partner: bool,
    default_locale: String,
    time_zone: String,
}

impl From<WorkspaceRow> for Workspace {
    fn from(r: WorkspaceRow) -> Workspace {
        Workspace {
            id: r.id,
            network_id: r.network_id,
            slug: r.slug,
            municipality: r.municipality,
            country: r.country,
            policy_challenge: r.policy_challenge,
            is_lead_partner: r.is_lead_partner,
            default_locale: r.default_locale,
            time_zone: r.time_zone,
        }
    }
}

/// A partner city to add to a network.
#[derive(Debug, Clone)]
pub struct NewWorkspace {
    pub slug: String,
    pub municipality: String,
    pub country: String,
    pub policy_challenge: Option<String>,
    pub is_lead_partner: bool,
    pub default_locale: String,
    pub time_zone: String,
}

const WORKSPACE_COLUMNS: &str =
    "id, network_id, slug, municipality, country, policy_challenge, is_lead_partner, default_locale, time_zone";

impl Store {
    pub async fn create_network(
        &self,
        actor: &Actor,
        name: &str,
        programme: &str,
        lead_expert: Option<&str>,
        starts_on: NaiveDate,
        ends_on: NaiveDate,
    ) -> Result<Network> {
        let network = in_transaction!(self, tx => {
            let row: NetworkRow = sqlx::query_as(
                "INSERT INTO networks (name, programme, lead_expert, starts_on, ends_on) VALUES ($1, $2, $3, $4, $5) \
                 RETURNING id, name, programme, lead_expert, starts_on, ends_on",
            )
            .bind(name)
            .bind(programme)
            .bind(lead_expert)
            .bind(starts_on)
            .bind(ends_on)
            .fetch_one(&mut *tx)
            .await?;
            let network = Network::from(row);
            record_change!(self, tx, change(actor, None, "network", network.id, AuditAction::Create, None, snapshot(&network)));
            network
        });
        Ok(network)
    }

    pub async fn networks(&self) -> Result<Vec<Network>> {
        let rows: Vec<NetworkRow> = on_pool!(self, pool => {
            sqlx::query_as("SELECT id, name, programme, lead_expert, starts_on, ends_on FROM networks ORDER BY id")
                .fetch_all(pool)
                .await?
        });
        Ok(rows.into_iter().map(Network::from).collect())
    }

    pub async fn create_workspace(&self, actor: &Actor, network_id: i64, new: &NewWorkspace) -> Result<Workspace> {
        let workspace = in_transaction!(self, tx => {
            let row: WorkspaceRow = sqlx::query_as(&format!(
                "INSERT INTO workspaces (network_id, slug, municipality, country, policy_challenge, is_lead_partner, \
                 default_locale, time_zone) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {WORKSPACE_COLUMNS}"
            ))
            .bind(network_id)
            .bind(&new.slug)
            .bind(&new.municipality)
            .bind(&new.country)
            .bind(&new.policy_challenge)
            .bind(new.is_lead_partner)
            .bind(&new.default_locale)
            .bind(&new.time_zone)
            .fetch_one(&mut *tx)
            .await?;
            let workspace = Workspace::from(row);
            record_change!(self, tx, change(actor, Some(workspace.id), "workspace", workspace.id, AuditAction::Create, None, snapshot(&workspace)));
            workspace
        });
        Ok(workspace)
    }

    pub async fn workspaces(&self) -> Result<Vec<Workspace>> {
        let sql = format!("SELECT {WORKSPACE_COLUMNS} FROM workspaces ORDER BY is_lead_partner DESC, municipality");
        let rows: Vec<WorkspaceRow> = on_pool!(self, pool => sqlx::query_as(&sql).fetch_all(pool).await?);
        Ok(rows.into_iter().map(Workspace::from).collect())
    }

    pub async fn workspace_by_slug(&self, slug: &str) -> Result<Option<Workspace>> {
        let sql = format!("SELECT {WORKSPACE_COLUMNS} FROM workspaces WHERE slug = $1");
        let row: Option<WorkspaceRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(slug).fetch_optional(pool).await?);
        Ok(row.map(Workspace::from))
    }
}
