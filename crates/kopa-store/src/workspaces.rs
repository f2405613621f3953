//! The network and its partner cities' workspaces.

use chrono::NaiveDate;
use kopa_domain::workspace::{Network, NewNetwork, NewWorkspace, Workspace};
use sqlx::FromRow;

use crate::db::{in_transaction, on_pool, record_change};
use crate::{Actor, Result, Store, StoreError, audit::change, snapshot};
use kopa_domain::Invalid;
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

impl TryFrom<WorkspaceRow> for Workspace {
    type Error = StoreError;

    fn try_from(r: WorkspaceRow) -> Result<Workspace> {
        crate::time_zone_of("workspaces", &r.id, &r.time_zone)?;
        if kopa_domain::workspace::LANGUAGES
            .iter()
            .all(|code| *code != r.default_locale)
        {
            return Err(crate::unreadable(
                "workspaces",
                "default_locale",
                &r.id,
                &r.default_locale,
            ));
        }
        Ok(Workspace {
            id: r.id,
            network_id: r.network_id,
            slug: r.slug,
            municipality: r.municipality,
            country: r.country,
            policy_challenge: r.policy_challenge,
            is_lead_partner: r.is_lead_partner,
            default_locale: r.default_locale,
            time_zone: r.time_zone,
        })
    }
}

const WORKSPACE_COLUMNS: &str =
    "id, network_id, slug, municipality, country, policy_challenge, is_lead_partner, default_locale, time_zone";

impl Store {
    pub async fn create_network(&self, actor: &Actor, new: &NewNetwork) -> Result<Network> {
        let network = in_transaction!(self, tx => {
            let row: NetworkRow = sqlx::query_as(
                "INSERT INTO networks (name, programme, lead_expert, starts_on, ends_on) VALUES ($1, $2, $3, $4, $5) \
                 RETURNING id, name, programme, lead_expert, starts_on, ends_on",
            )
            .bind(&new.name)
            .bind(&new.programme)
            .bind(&new.lead_expert)
            .bind(new.starts_on)
            .bind(new.ends_on)
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

    /// Adds a partner city to the network; a short name already taken is refused by name.
    pub async fn create_workspace(&self, actor: &Actor, network_id: i64, new: &NewWorkspace) -> Result<Workspace> {
        let workspace = in_transaction!(self, tx => {
            let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM workspaces WHERE slug = $1")
                .bind(&new.slug).fetch_optional(&mut *tx).await?;
            if taken.is_some() {
                return Err(Invalid::single("slug", "error-slug-taken").into());
            }
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
            let workspace = Workspace::try_from(row)?;
            record_change!(self, tx, change(actor, Some(workspace.id), "workspace", workspace.id, AuditAction::Create, None, snapshot(&workspace)));
            workspace
        });
        Ok(workspace)
    }

    pub async fn workspaces(&self) -> Result<Vec<Workspace>> {
        let sql = format!("SELECT {WORKSPACE_COLUMNS} FROM workspaces ORDER BY is_lead_partner DESC, municipality");
        let rows: Vec<WorkspaceRow> = on_pool!(self, pool => sqlx::query_as(&sql).fetch_all(pool).await?);
        rows.into_iter().map(Workspace::try_from).collect()
    }

    pub async fn workspace_by_slug(&self, slug: &str) -> Result<Option<Workspace>> {
        let sql = format!("SELECT {WORKSPACE_COLUMNS} FROM workspaces WHERE slug = $1");
        let row: Option<WorkspaceRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(slug).fetch_optional(pool).await?);
        row.map(Workspace::try_from).transpose()
    }
}

impl Store {
    /// Makes `workspace_id` its network's lead partner, and no other workspace of it.
    pub async fn set_lead_partner(&self, actor: &Actor, network_id: i64, workspace_id: i64) -> Result<()> {
        in_transaction!(self, tx => {
            let before: Option<i64> = sqlx::query_scalar("SELECT id FROM workspaces WHERE network_id = $1 AND is_lead_partner")
                .bind(network_id).fetch_optional(&mut *tx).await?;
            let changed = sqlx::query("UPDATE workspaces SET is_lead_partner = (id = $1) WHERE network_id = $2")
                .bind(workspace_id).bind(network_id).execute(&mut *tx).await?.rows_affected();
            let ours: Option<i64> = sqlx::query_scalar("SELECT id FROM workspaces WHERE id = $1 AND network_id = $2")
                .bind(workspace_id).bind(network_id).fetch_optional(&mut *tx).await?;
            if changed == 0 || ours.is_none() {
                return Err(StoreError::not_found("workspace", workspace_id));
            }
            let describe = |id: Option<i64>| Some(serde_json::json!({ "lead_partner": id }).to_string());
            record_change!(self, tx, change(actor, None, "network", network_id, AuditAction::Update, describe(before), describe(Some(workspace_id))));
        });
        Ok(())
    }
}
