//! Reading and verifying the hash-chained audit log. Events are written by each change's own
//! transaction (see `record_change!`).

use chrono::{DateTime, Utc};
use kopa_domain::audit::{AuditAction, AuditEvent, BrokenLink, ChainHead, Change, GENESIS_HASH, verify};
use kopa_domain::cooperation::pack::{AuditPack, PACK_FORMAT, Verification};
use sqlx::FromRow;

use crate::db::{on_pool, on_writer};
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

/// The result of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    /// How many events, from the first, are intact.
    pub events_checked: i64,
    /// The first broken link, if any.
    pub broken: Option<BrokenLink>,
    /// The event up to which an earlier check vouched for the chain, this walk starting after
    /// it; `None` when this walk started from the first event.
    pub checkpoint: Option<i64>,
    /// The last intact event; `None` before the first.
    pub head: Option<ChainHead>,
    /// The newest head seen before, by a checkpoint or a witness, that the chain still
    /// holds: every event up to it is as it was then.
    pub confirmed: Option<ChainHead>,
}

impl ChainReport {
    fn broken_at(&mut self, broken: BrokenLink) {
        self.events_checked = self.events_checked.min(broken.seq() - 1);
        self.head = None;
        self.broken = Some(broken);
    }
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

    /// The position of the newest change to any of these kinds of record (`idea`,
    /// `initiative`, …) in the workspace, or to any record at all when none is named; 0 before
    /// the first. One indexed look-up per kind.
    pub async fn last_change_to(&self, workspace_id: i64, entities: &[&str]) -> Result<i64> {
        let sql = if entities.is_empty() {
            "SELECT MAX(seq) FROM audit_events WHERE workspace_id = $1".to_owned()
        } else {
            let newest: Vec<String> = (0..entities.len())
                .map(|n| {
                    format!(
                        "SELECT MAX(seq) AS seq FROM audit_events WHERE workspace_id = $1 AND entity = ${}",
                        n + 2
                    )
                })
                .collect();
            format!("SELECT MAX(seq) FROM ({}) AS newest", newest.join(" UNION ALL "))
        };
        let seq: Option<i64> = on_pool!(self, pool => {
            let mut query = sqlx::query_scalar(&sql).bind(workspace_id);
            for entity in entities {
                query = query.bind(*entity);
            }
            query.fetch_one(pool).await?
        });
        Ok(seq.unwrap_or(0))
    }

    pub async fn audit_event_count(&self, workspace_id: i64) -> Result<i64> {
        let count: i64 = on_pool!(self, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE workspace_id = $1").bind(workspace_id).fetch_one(pool).await?
        });
        Ok(count)
    }

    /// Walks the whole chain in order, a page at a time, and reports the first broken link,
    /// a head kept before that the chain no longer holds among them.
    pub async fn verify_audit_chain(&self) -> Result<ChainReport> {
        self.verify_audit_chain_against(&[]).await
    }

    /// As [`Store::verify_audit_chain`], also confirming heads seen from outside: printed by
    /// an earlier check, kept by a witness, or sealed in an audit pack. A head past the
    /// chain's end means its last events were deleted.
    pub async fn verify_audit_chain_against(&self, witnessed: &[ChainHead]) -> Result<ChainReport> {
        let mut report = self.walk_chain((0, GENESIS_HASH.to_owned())).await?;
        let mut seen = witnessed.to_vec();
        seen.extend(self.newest_checkpoint().await?);
        self.confirm(&mut report, seen).await?;
        self.keep_checkpoint(&report).await?;
        Ok(report)
    }

    /// Checks the chain from the newest checkpoint on: that its event still bears the hash it
    /// had then and still hashes to it, and every event since. Pages use it, so that showing
    /// the chain's state does not grow with every event ever written; the full walk of
    /// [`Store::verify_audit_chain`] remains for `kopa audit verify`. A checkpoint that no
    /// longer matches is not trusted: the whole chain is walked instead.
    pub async fn verify_audit_chain_since_checkpoint(&self) -> Result<ChainReport> {
        let Some(checkpoint) = self.newest_checkpoint().await? else {
            return self.verify_audit_chain().await;
        };
        let sql = format!("SELECT {AUDIT_COLUMNS} FROM audit_events WHERE seq = $1");
        let row: Option<AuditRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(checkpoint.seq).fetch_optional(pool).await?);
        let still = row
            .map(AuditEvent::from)
            .is_some_and(|event| event.hash == checkpoint.hash && event.computed_hash() == checkpoint.hash);
        if !still {
            return self.verify_audit_chain().await;
        }
        let mut report = self.walk_chain((checkpoint.seq, checkpoint.hash.clone())).await?;
        report.checkpoint = Some(checkpoint.seq);
        report.confirmed = Some(checkpoint);
        self.keep_checkpoint(&report).await?;
        Ok(report)
    }

    async fn newest_checkpoint(&self) -> Result<Option<ChainHead>> {
        let newest: Option<(i64, String)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT seq, hash FROM audit_checkpoints ORDER BY seq DESC LIMIT 1",
        )
        .fetch_optional(pool)
        .await?);
        Ok(newest.map(|(seq, hash)| ChainHead { seq, hash }))
    }

    /// Holds the walked chain against heads seen before. The newest one it still holds
    /// vouches for every event before it, so older ones need no look-up.
    async fn confirm(&self, report: &mut ChainReport, mut seen: Vec<ChainHead>) -> Result<()> {
        seen.sort_by_key(|head| std::cmp::Reverse(head.seq));
        let end = report.events_checked;
        if report.broken.is_none()
            && let Some(past) = seen.first().filter(|head| head.seq > end)
        {
            report.broken_at(BrokenLink::Truncated {
                seq: end + 1,
                seen: past.seq,
            });
            return Ok(());
        }
        if let Some(head) = seen.into_iter().find(|head| head.seq <= end) {
            let stored: Option<String> = on_pool!(self, pool => sqlx::query_scalar(
                "SELECT hash FROM audit_events WHERE seq = $1",
            )
            .bind(head.seq)
            .fetch_optional(pool)
            .await?);
            if stored.as_deref() == Some(head.hash.as_str()) {
                report.confirmed = Some(head);
            } else {
                report.broken_at(BrokenLink::Rewritten { seq: head.seq });
            }
        }
        Ok(())
    }

    /// Walks the chain from just after `from`, a page at a time.
    async fn walk_chain(&self, from: (i64, String)) -> Result<ChainReport> {
        const PAGE: i64 = 2000;
        let sql = format!("SELECT {AUDIT_COLUMNS} FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2");
        let mut prev = from;
        loop {
            let rows: Vec<AuditRow> =
                on_pool!(self, pool => sqlx::query_as(&sql).bind(prev.0).bind(PAGE).fetch_all(pool).await?);
            if rows.is_empty() {
                let (seq, hash) = prev;
                return Ok(ChainReport {
                    events_checked: seq,
                    broken: None,
                    checkpoint: None,
                    head: (seq > 0).then_some(ChainHead { seq, hash }),
                    confirmed: None,
                });
            }
            let page: Vec<AuditEvent> = rows.into_iter().map(AuditEvent::from).collect();
            match verify(&page, prev.clone()) {
                Ok(last) => prev = last,
                Err(broken) => {
                    return Ok(ChainReport {
                        events_checked: broken.seq() - 1,
                        broken: Some(broken),
                        checkpoint: None,
                        head: None,
                        confirmed: None,
                    });
                }
            }
        }
    }

    /// Keeps the head of an intact walk as a checkpoint, when the chain grew since the last:
    /// the next check starts there, and notices if the chain no longer reaches it.
    async fn keep_checkpoint(&self, report: &ChainReport) -> Result<()> {
        let Some(head) = report.head.as_ref().filter(|_| report.broken.is_none()) else {
            return Ok(());
        };
        if report.checkpoint.is_some_and(|last| last >= head.seq) {
            return Ok(());
        }
        let now = self.now();
        on_writer!(self, pool => sqlx::query(
            "INSERT INTO audit_checkpoints (seq, hash, checked_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(head.seq)
        .bind(&head.hash)
        .bind(now)
        .execute(pool)
        .await
        .map(drop)?);
        Ok(())
    }
}

impl Store {
    /// Every event about one instrument, its records and its partner, oldest first.
    pub async fn instrument_trail(
        &self,
        workspace_id: i64,
        instrument_id: i64,
        partner_id: i64,
    ) -> Result<Vec<AuditEvent>> {
        // `workspace_id + 0` keeps the planner off the workspace's index, which would read every
        // event the workspace ever had: each kind of record is found by its own id instead.
        let sql = format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_events WHERE workspace_id + 0 = $1 AND ( \
             (entity IN ('instrument', 'instrument_approval', 'instrument_evidence', 'instrument_publication') \
              AND entity_id = $2) \
             OR (entity = 'instrument_declaration' \
              AND entity_id IN (SELECT id FROM instrument_declarations WHERE instrument_id = $2)) \
             OR (entity = 'instrument_document' \
              AND entity_id IN (SELECT id FROM instrument_documents WHERE instrument_id = $2)) \
             OR (entity = 'obligation' AND entity_id IN (SELECT id FROM obligations WHERE instrument_id = $2)) \
             OR (entity = 'inspection' AND entity_id IN (SELECT i.id FROM inspections i \
              JOIN obligations o ON o.id = i.obligation_id WHERE o.instrument_id = $2)) \
             OR (entity = 'inspection_photo' AND entity_id IN (SELECT p.id FROM inspection_photos p \
              JOIN inspections i ON i.id = p.inspection_id \
              JOIN obligations o ON o.id = i.obligation_id WHERE o.instrument_id = $2)) \
             OR (entity IN ('partner', 'partner_account') AND entity_id = $3) \
             OR (entity = 'tax_check' AND entity_id IN (SELECT id FROM tax_checks WHERE partner_id = $3)) \
             OR (entity = 'procedure' AND entity_id IN (SELECT id FROM procedures WHERE partner_id = $3)) \
             ) ORDER BY seq"
        );
        let rows: Vec<AuditRow> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(workspace_id)
            .bind(instrument_id)
            .bind(partner_id)
            .fetch_all(pool)
            .await?);
        Ok(rows.into_iter().map(AuditEvent::from).collect())
    }

    /// One instrument's audit pack: its file, its trail, the whole chain verified and each
    /// record compared with what the log says was written to it.
    pub async fn audit_pack(
        &self,
        workspace_id: i64,
        instrument_id: i64,
        today: chrono::NaiveDate,
    ) -> Result<Option<AuditPack>> {
        let Some(file) = self.instrument_file(workspace_id, instrument_id, today).await? else {
            return Ok(None);
        };
        let municipality = self
            .workspaces()
            .await?
            .into_iter()
            .find(|w| w.id == workspace_id)
            .map(|w| w.municipality)
            .unwrap_or_default();
        let trail = self
            .instrument_trail(workspace_id, instrument_id, file.partner.id)
            .await?;
        let chain = self.verify_audit_chain_since_checkpoint().await?;
        let verification = Verification {
            chain_intact: chain.broken.is_none(),
            events_checked: chain.events_checked,
            checkpoint: chain.checkpoint,
            head: chain.head,
            chain_break: chain.broken.map(|b| b.to_string()),
            records_not_matching: file.records_not_matching(&trail),
        };
        Ok(Some(AuditPack {
            format: PACK_FORMAT.into(),
            generated_at: kopa_domain::audit::truncate_to_micros(self.now()),
            municipality,
            file,
            trail,
            verification,
        }))
    }
}
