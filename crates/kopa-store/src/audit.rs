//! Reading and verifying the hash-chained audit log. Events are written by each change's own
//! transaction (see `record_change!`).

use chrono::{DateTime, Utc};
use kopa_domain::audit::{AuditAction, AuditEvent, BrokenLink, Change, GENESIS_HASH, verify};
use sqlx::FromRow;

use crate::db::on_pool;
use crate::{Actor, Result, Store};

pub(crate) fn change(
    actor: &Actor,
    workspace_id: Option<i64>,
    entity: &'static str,
    entity_id: i64,
    action: AuditAction,
    before: Option<String>,
    after: Option<String>,
) -> Change {
    Change {
        workspace_id,
        actor_user_id: actor.user_id,
        actor_label: actor.label.clone(),
        entity,
        entity_id,
        action,
        before,
        after,
    }
}

#[derive(FromRow)]
struct AuditRow {
    seq: i64,
    workspace_id: Option<i64>,
    actor_user_id: Option<i64>,
    actor_label: String,
    at: DateTime<Utc>,
    entity: String,
    entity_id: i64,
    action: String,
    before_json: Option<String>,
    after_json: Option<String>,
    prev_hash: String,
    hash: String,
}

impl From<AuditRow> for AuditEvent {
    fn from(r: AuditRow) -> AuditEvent {
        AuditEvent {
            seq: r.seq,
            workspace_id: r.workspace_id,
            actor_user_id: r.actor_user_id,
            actor_label: r.actor_label,
            at: r.at,
            entity: r.entity,
            entity_id: r.entity_id,
            action: r.action,
            before: r.before_json,
            after: r.after_json,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

const AUDIT_COLUMNS: &str = "seq, workspace_id, actor_user_id, actor_label, at, entity, entity_id, action, \
                             before_json, after_json, prev_hash, hash";

/// The result of walking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    /// How many events, from the first, are intact.
    pub events_checked: i64,
    /// The first broken link, if any.
    pub broken: Option<BrokenLink>,
}

impl Store {
    /// A workspace's events, newest first.
    pub async fn audit_events(&self, workspace_id: i64, limit: i64, offset: i64) -> Result<Vec<AuditEvent>> {
        let sql = format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_events WHERE workspace_id = $1 ORDER BY seq DESC LIMIT $2 OFFSET $3"
        );
        let rows: Vec<AuditRow> = on_pool!(self, pool => {
            sqlx::query_as(&sql).bind(workspace_id).bind(limit).bind(offset).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(AuditEvent::from).collect())
    }

    /// The position of the workspace's latest change in the chain: it grows with every
    /// change, so what was read before it can be kept until it does.
    pub async fn last_change(&self, workspace_id: i64) -> Result<i64> {
        Ok(on_pool!(self, pool => sqlx::query_scalar::<_, Option<i64>>(
            "SELECT MAX(seq) FROM audit_events WHERE workspace_id = $1",
        )
        .bind(workspace_id)
        .fetch_one(pool)
        .await?)
        .unwrap_or(0))
    }

    pub async fn audit_event_count(&self, workspace_id: i64) -> Result<i64> {
        let count: i64 = on_pool!(self, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE workspace_id = $1").bind(workspace_id).fetch_one(pool).await?
        });
        Ok(count)
    }

    /// Walks the whole chain in order, a page at a time, and reports the first broken link.
    pub async fn verify_audit_chain(&self) -> Result<ChainReport> {
        const PAGE: i64 = 2000;
        let sql = format!("SELECT {AUDIT_COLUMNS} FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2");
        let mut prev = (0_i64, GENESIS_HASH.to_owned());
        let mut checked = 0_i64;
        loop {
            let rows: Vec<AuditRow> =
                on_pool!(self, pool => sqlx::query_as(&sql).bind(prev.0).bind(PAGE).fetch_all(pool).await?);
            if rows.is_empty() {
                return Ok(ChainReport {
                    events_checked: checked,
                    broken: None,
                });
            }
            let page: Vec<AuditEvent> = rows.into_iter().map(AuditEvent::from).collect();
            match verify(&page, prev.clone()) {
                Ok(last) => {
                    checked += page.len() as i64;
                    prev = last;
                }
                Err(broken) => {
                    return Ok(ChainReport {
                        events_checked: broken.seq() - 1,
                        broken: Some(broken),
                    });
                }
            }
        }
    }
}
