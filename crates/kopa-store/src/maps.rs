//! Each workspace's own base map, and the check that places lie in the municipality.

use kopa_domain::Invalid;
use kopa_domain::audit::AuditAction;
use kopa_domain::idea::Place;
use kopa_domain::map::Backdrop;

use crate::audit::change;
use crate::db::{in_transaction, on_pool, record_change};
use crate::{Actor, Result, Store, snapshot};

impl Store {
    /// The workspace's base map, if one was imported.
    pub async fn backdrop(&self, workspace_id: i64) -> Result<Option<Backdrop>> {
        let text: Option<String> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT backdrop_json FROM workspace_maps WHERE workspace_id = $1",
        )
        .bind(workspace_id)
        .fetch_optional(pool)
        .await?);
        text.map(|text| crate::json("workspace_maps", "backdrop_json", &workspace_id, &text))
            .transpose()
    }

    /// Whether the workspace has a base map, without reading it.
    pub async fn has_backdrop(&self, workspace_id: i64) -> Result<bool> {
        let found: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT workspace_id FROM workspace_maps WHERE workspace_id = $1",
        )
        .bind(workspace_id)
        .fetch_optional(pool)
        .await?);
        Ok(found.is_some())
    }

    /// Sets (or replaces) the workspace's base map. The audit log records its size and
    /// source, not every street.
    pub async fn set_backdrop(&self, actor: &Actor, workspace_id: i64, backdrop: &Backdrop) -> Result<()> {
        let before = self.backdrop(workspace_id).await?.map(|b| summary(&b));
        let now = self.now();
        let text = serde_json::to_string(backdrop).map_err(|_| Invalid::single("backdrop", "error-format"))?;
        in_transaction!(self, tx => {
            sqlx::query(
                "INSERT INTO workspace_maps (workspace_id, backdrop_json, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (workspace_id) DO UPDATE SET backdrop_json = excluded.backdrop_json, updated_at = excluded.updated_at",
            )
            .bind(workspace_id)
            .bind(&text)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let action = if before.is_some() { AuditAction::Update } else { AuditAction::Create };
            record_change!(self, tx, change(actor, Some(workspace_id), "workspace_map", workspace_id, action, before.as_ref().and_then(snapshot), snapshot(&summary(backdrop))));
        });
        Ok(())
    }

    /// Refuses a place outside the municipality, when the workspace has a map to tell.
    pub(crate) async fn check_place(&self, workspace_id: i64, place: Option<&Place>) -> Result<()> {
        let Some(place) = place else {
            return Ok(());
        };
        match self.backdrop(workspace_id).await? {
            Some(backdrop) if !backdrop.contains(place) => Err(Invalid::single("place", "error-place-outside").into()),
            _ => Ok(()),
        }
    }
}

fn summary(backdrop: &Backdrop) -> serde_json::Value {
    serde_json::json!({
        "outline_rings": backdrop.outline.len(),
        "streets": backdrop.streets.len(),
        "bounds": backdrop.bounds(),
        "attribution": backdrop.attribution,
    })
}
