//! The Integrated Action Plan's versions. The newest unsubmitted version is the draft and the
//! only one that changes; submitting freezes it, counted indicators included, and the next
//! edit starts from a copy.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, NaiveDateTime, Utc};
use kopa_domain::Invalid;
use kopa_domain::audit::AuditAction;
use kopa_domain::plan::LinkedInstrument;
use kopa_domain::plan::edit::{Edited, ItemKind, Known, PlanEdit};
use kopa_domain::plan::{Feed, ItemId, Measured, Plan, Point, References};
use kopa_domain::validation::Code;
use serde::Serialize;
use sqlx::FromRow;

use crate::audit::change;
use crate::db::{in_transaction, on_pool, record_change};
use crate::{Actor, Result, Store, StoreError, code, snapshot};

/// One version's facts, without its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow, utoipa::ToSchema)]
pub struct VersionInfo {
    pub id: i64,
    pub number: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub submitted_by: Option<String>,
    /// When it was opened to everyone, residents included.
    pub published_at: Option<DateTime<Utc>>,
}

impl VersionInfo {
    pub fn is_submitted(&self) -> bool {
        self.submitted_at.is_some()
    }
}

/// What [`Store::plan_names`] finds, by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanNames {
    pub initiatives: HashMap<i64, String>,
    /// A meeting's title and start.
    pub meetings: HashMap<i64, (String, NaiveDateTime)>,
    /// A decision's meeting, that meeting's title, and the decision's text.
    pub decisions: HashMap<i64, (i64, String, String)>,
    /// The instruments of each initiative, oldest first.
    pub instruments: HashMap<i64, Vec<LinkedInstrument>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlanVersion {
    pub info: VersionInfo,
    pub plan: Plan,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow, utoipa::ToSchema)]
pub struct PlanComment {
    pub id: i64,
    pub item: String,
    pub author: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

const INFO_SELECT: &str = "SELECT v.id, v.number, v.created_at, v.updated_at, v.submitted_at, \
     u.display_name AS submitted_by, v.published_at FROM plan_versions v LEFT JOIN users u ON u.id = v.submitted_by";

#[derive(FromRow)]
struct VersionRow {
    #[sqlx(flatten)]
    info: VersionInfo,
    content_json: String,
}

fn parse(row: VersionRow) -> Result<PlanVersion> {
    let plan = serde_json::from_str(&row.content_json)
        .map_err(|e| StoreError::Unreadable(format!("plan version {}: {e}", row.info.number)))?;
    Ok(PlanVersion { info: row.info, plan })
}

fn json(plan: &Plan) -> String {
    serde_json::to_string(plan).expect("a plan always serialises")
}

/// Inside the transaction `$tx`: the id and content of draft `$number`; a submitted version
/// refuses, and a missing one is not found.
macro_rules! draft_in {
    ($tx:ident, $workspace_id:expr, $number:expr) => {{
        let row: Option<(i64, String, Option<DateTime<Utc>>)> = sqlx::query_as(
            "SELECT id, content_json, submitted_at FROM plan_versions WHERE workspace_id = $1 AND number = $2",
        )
        .bind($workspace_id)
        .bind($number)
        .fetch_optional(&mut *$tx)
        .await?;
        let Some((id, content, submitted_at)) = row else {
            return Err(StoreError::not_found("plan version", $number));
        };
        if submitted_at.is_some() {
            return Err(StoreError::Refused("error-plan-submitted"));
        }
        let plan: Plan = serde_json::from_str(&content)
            .map_err(|e| StoreError::Unreadable(format!("plan version {}: {e}", $number)))?;
        (id, plan)
    }};
}

impl Store {
    /// Every version, oldest first.
    pub async fn plan_versions(&self, workspace_id: i64) -> Result<Vec<VersionInfo>> {
        let sql = format!("{INFO_SELECT} WHERE v.workspace_id = $1 ORDER BY v.number");
        Ok(on_pool!(self, pool => sqlx::query_as(&sql).bind(workspace_id).fetch_all(pool).await?))
    }

    pub async fn plan_version(&self, workspace_id: i64, number: i64) -> Result<Option<PlanVersion>> {
        let sql =
            INFO_SELECT.replacen(" FROM", ", v.content_json FROM", 1) + " WHERE v.workspace_id = $1 AND v.number = $2";
        let row: Option<VersionRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(workspace_id).bind(number).fetch_optional(pool).await?);
        row.map(parse).transpose()
    }

    /// The newest version matching `condition` (SQL on `v`), in one query.
    async fn newest_version(&self, workspace_id: i64, condition: &str) -> Result<Option<PlanVersion>> {
        let sql = INFO_SELECT.replacen(" FROM", ", v.content_json FROM", 1)
            + " WHERE v.workspace_id = $1"
            + condition
            + " ORDER BY v.number DESC LIMIT 1";
        let row: Option<VersionRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(workspace_id).fetch_optional(pool).await?);
        row.map(parse).transpose()
    }

    /// The newest version: the draft, or the last one submitted.
    pub async fn current_plan(&self, workspace_id: i64) -> Result<Option<PlanVersion>> {
        self.newest_version(workspace_id, "").await
    }

    /// The records a plan item may point to.
    pub async fn plan_references(&self, workspace_id: i64) -> Result<Known> {
        async fn ids(store: &Store, sql: &str, workspace_id: i64) -> Result<HashSet<i64>> {
            let found: Vec<i64> =
                on_pool!(store, pool => sqlx::query_scalar(sql).bind(workspace_id).fetch_all(pool).await?);
            Ok(found.into_iter().collect())
        }
        Ok(Known {
            people: ids(self, "SELECT id FROM people WHERE workspace_id = $1", workspace_id).await?,
            organisations: ids(
                self,
                "SELECT id FROM organisations WHERE workspace_id = $1",
                workspace_id,
            )
            .await?,
            initiatives: ids(self, "SELECT id FROM initiatives WHERE workspace_id = $1", workspace_id).await?,
            decisions: ids(
                self,
                "SELECT id FROM decisions WHERE meeting_id IN (SELECT id FROM meetings WHERE workspace_id = $1)",
                workspace_id,
            )
            .await?,
            meetings: ids(self, "SELECT id FROM meetings WHERE workspace_id = $1", workspace_id).await?,
            scenarios: ids(
                self,
                "SELECT id FROM street_scenarios WHERE workspace_id = $1",
                workspace_id,
            )
            .await?,
        })
    }

    /// Today's values of the indicators Kopa counts itself.
    pub async fn feed_counts(&self, workspace_id: i64) -> Result<Vec<(Feed, f64)>> {
        let mut counts = Vec::new();
        for feed in Feed::ALL {
            let sql = match feed {
                Feed::Manual | Feed::NetworkScore => continue,
                Feed::ActiveInstruments => {
                    "SELECT COUNT(*) FROM instruments WHERE workspace_id = $1 AND status = 'active'"
                }
                Feed::DeliveredInitiatives => {
                    "SELECT COUNT(*) FROM initiatives WHERE workspace_id = $1 AND status IN ('delivered', 'monitored')"
                }
                Feed::GroupOrganisations => "SELECT COUNT(*) FROM organisations WHERE workspace_id = $1",
                Feed::PublicIdeas => "SELECT COUNT(*) FROM ideas WHERE workspace_id = $1 AND status <> 'hidden'",
            };
            let count: i64 = on_pool!(self, pool => sqlx::query_scalar(sql).bind(workspace_id).fetch_one(pool).await?);
            counts.push((*feed, count as f64));
        }
        Ok(counts)
    }

    /// What Kopa measures itself for a plan's indicators: today's counts, and the score of
    /// each finished analysis of the street network on the day its data was current, oldest
    /// first. `expected_score` is what the plan's scenarios would reach together.
    pub async fn measured(&self, workspace_id: i64, expected_score: Option<f64>) -> Result<Measured> {
        let mut network_scores: Vec<Point> = (self.street_analyses(workspace_id).await?)
            .into_iter()
            .filter_map(|a| {
                let score = a.figures.as_ref()?.score?;
                let on = a.data_as_of.or(a.finished_at)?.date_naive();
                Some(Point { value: score, on })
            })
            .collect();
        network_scores.sort_by_key(|p| p.on);
        Ok(Measured {
            counts: self.feed_counts(workspace_id).await?,
            network_scores,
            expected_score,
        })
    }

    /// The names of the initiatives, meetings and decisions a plan points to, and the
    /// instruments of those initiatives: four queries, however large the workspace.
    pub async fn plan_names(&self, workspace_id: i64, refs: &References) -> Result<PlanNames> {
        let ids = |set: &BTreeSet<i64>| match set.is_empty() {
            // Ids are numbers the plan holds, so listing them in the statement is safe.
            true => "NULL".to_string(),
            false => set.iter().map(i64::to_string).collect::<Vec<_>>().join(", "),
        };
        let initiatives = ids(&refs.initiatives);
        let titles: Vec<(i64, String)> = on_pool!(self, pool => sqlx::query_as(&format!(
            "SELECT id, title FROM initiatives WHERE workspace_id = $1 AND id IN ({initiatives})"
        ))
        .bind(workspace_id)
        .fetch_all(pool)
        .await?);
        let meetings = ids(&refs.meetings);
        let meetings: Vec<(i64, String, NaiveDateTime)> = on_pool!(self, pool => sqlx::query_as(&format!(
            "SELECT id, title, starts_at FROM meetings WHERE workspace_id = $1 AND id IN ({meetings})"
        ))
        .bind(workspace_id)
        .fetch_all(pool)
        .await?);
        let decisions = ids(&refs.decisions);
        let decisions: Vec<(i64, i64, String, String)> = on_pool!(self, pool => sqlx::query_as(&format!(
            "SELECT d.id, d.meeting_id, m.title, d.text FROM decisions d JOIN meetings m ON m.id = d.meeting_id \
             WHERE m.workspace_id = $1 AND d.id IN ({decisions})"
        ))
        .bind(workspace_id)
        .fetch_all(pool)
        .await?);
        let instruments: Vec<(i64, i64, String, String, String)> = on_pool!(self, pool => sqlx::query_as(&format!(
            "SELECT id, initiative_id, kind, subject, status FROM instruments \
             WHERE workspace_id = $1 AND initiative_id IN ({initiatives}) ORDER BY id"
        ))
        .bind(workspace_id)
        .fetch_all(pool)
        .await?);
        let mut names = PlanNames {
            initiatives: titles.into_iter().collect(),
            meetings: meetings
                .into_iter()
                .map(|(id, title, starts_at)| (id, (title, starts_at)))
                .collect(),
            decisions: decisions
                .into_iter()
                .map(|(id, meeting, title, text)| (id, (meeting, title, text)))
                .collect(),
            instruments: HashMap::new(),
        };
        for (id, initiative, kind, subject, status) in instruments {
            let instrument = LinkedInstrument {
                kind: code("instruments", "kind", &id, &kind)?,
                subject,
                status: code("instruments", "status", &id, &status)?,
            };
            names.instruments.entry(initiative).or_default().push(instrument);
        }
        Ok(names)
    }

    /// Opens a draft: the first version, or a copy of the last submitted one. When a draft
    /// is open already, it is the answer.
    pub async fn open_plan_draft(&self, actor: &Actor, workspace_id: i64) -> Result<i64> {
        let current = self.current_plan(workspace_id).await?;
        let (number, plan) = match current {
            Some(version) if !version.info.is_submitted() => return Ok(version.info.number),
            Some(version) => (version.info.number + 1, version.plan),
            None => (1, Plan::default()),
        };
        self.insert_plan_version(actor, workspace_id, number, &plan).await?;
        Ok(number)
    }

    /// Writes a new version. The demo uses it to load its plan whole.
    pub async fn insert_plan_version(&self, actor: &Actor, workspace_id: i64, number: i64, plan: &Plan) -> Result<i64> {
        let now = self.now();
        let text = json(plan);
        Ok(in_transaction!(self, tx => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO plan_versions (workspace_id, number, content_json, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $4) RETURNING id",
            )
            .bind(workspace_id)
            .bind(number)
            .bind(&text)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let after = serde_json::json!({ "number": number });
            record_change!(self, tx, change(actor, Some(workspace_id), "plan_version", id, AuditAction::Create, None, snapshot(&after)));
            id
        }))
    }

    /// Applies `edit` to draft `number`. A submitted version refuses every edit.
    pub async fn edit_plan(&self, actor: &Actor, workspace_id: i64, number: i64, edit: &PlanEdit) -> Result<Edited> {
        let known = self.plan_references(workspace_id).await?;
        let now = self.now();
        in_transaction!(self, tx => {
            let (id, mut plan) = draft_in!(tx, workspace_id, number);
            let edited = plan.apply(edit, &known)?;
            sqlx::query("UPDATE plan_versions SET content_json = $1, updated_at = $2 WHERE id = $3")
                .bind(json(&plan))
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let before = serde_json::json!({ "item": edited.item, "value": edited.before });
            let after = serde_json::json!({ "item": edited.item, "value": edited.after });
            let action = match (&edited.before, &edited.after) {
                (None, _) => AuditAction::Create,
                (_, None) => AuditAction::Delete,
                _ => AuditAction::Update,
            };
            record_change!(self, tx, change(actor, Some(workspace_id), "plan_version", id, action, snapshot(&before), snapshot(&after)));
            Ok(edited)
        })
    }

    /// Freezes draft `number`: the counted indicators keep today's values, and nothing in it
    /// changes again.
    pub async fn submit_plan(
        &self,
        actor: &Actor,
        workspace_id: i64,
        number: i64,
        expected_score: Option<f64>,
    ) -> Result<()> {
        let measured = self.measured(workspace_id, expected_score).await?;
        let time_zone: Option<String> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT time_zone FROM workspaces WHERE id = $1",
        )
        .bind(workspace_id)
        .fetch_optional(pool)
        .await?);
        let time_zone = time_zone.ok_or_else(|| StoreError::not_found("workspace", workspace_id))?;
        let (now, today) = (self.now(), self.today_in(&time_zone)?);
        in_transaction!(self, tx => {
            let (id, mut plan) = draft_in!(tx, workspace_id, number);
            plan.record_feeds(&measured, today);
            sqlx::query(
                "UPDATE plan_versions SET content_json = $1, updated_at = $2, submitted_at = $2, submitted_by = $3 WHERE id = $4",
            )
            .bind(json(&plan))
            .bind(now)
            .bind(actor.user_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            let after = serde_json::json!({ "number": number, "submitted": true });
            record_change!(self, tx, change(actor, Some(workspace_id), "plan_version", id, AuditAction::Update, None, snapshot(&after)));
        });
        Ok(())
    }

    /// Opens submitted version `number` to everyone. A draft cannot be published.
    pub async fn publish_plan(&self, actor: &Actor, workspace_id: i64, number: i64) -> Result<()> {
        let version = self
            .plan_version(workspace_id, number)
            .await?
            .ok_or_else(|| StoreError::not_found("plan version", number))?;
        if !version.info.is_submitted() {
            return Err(StoreError::Refused("error-plan-publish-draft"));
        }
        if version.info.published_at.is_some() {
            return Ok(());
        }
        let now = self.now();
        in_transaction!(self, tx => {
            sqlx::query("UPDATE plan_versions SET published_at = $1 WHERE id = $2")
                .bind(now)
                .bind(version.info.id)
                .execute(&mut *tx)
                .await?;
            let after = serde_json::json!({ "number": number, "published": true });
            record_change!(self, tx, change(actor, Some(workspace_id), "plan_version", version.info.id, AuditAction::Update, None, snapshot(&after)));
        });
        Ok(())
    }

    /// The newest version open to everyone.
    pub async fn published_plan(&self, workspace_id: i64) -> Result<Option<PlanVersion>> {
        self.newest_version(workspace_id, " AND v.published_at IS NOT NULL")
            .await
    }

    pub async fn plan_comments(&self, workspace_id: i64) -> Result<Vec<PlanComment>> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT c.id, c.item, u.display_name AS author, c.body, c.created_at FROM plan_comments c \
             JOIN users u ON u.id = c.author_id WHERE c.workspace_id = $1 AND c.review_id IS NULL \
             ORDER BY c.created_at, c.id",
        )
        .bind(workspace_id)
        .fetch_all(pool)
        .await?))
    }

    /// A group member's comment on an item of the current plan, named `kind:id`.
    pub async fn comment_on_plan(&self, actor: &Actor, workspace_id: i64, item: &str, body: &str) -> Result<i64> {
        let mut invalid = Invalid::new();
        let body = invalid.required_text("body", body, 2000);
        let plan = self
            .current_plan(workspace_id)
            .await?
            .map(|v| v.plan)
            .unwrap_or_default();
        let exists = item.split_once(':').is_some_and(|(kind, id)| {
            let id: Option<ItemId> = id.parse().ok();
            match (ItemKind::from_code(kind), id) {
                (Some(kind), Some(id)) => plan.has_item(kind, id),
                _ => false,
            }
        });
        if !exists {
            invalid.add("item", "error-unknown");
        }
        invalid.into_result()?;
        let (Some(author), now) = (actor.user_id, self.now()) else {
            return Err(StoreError::Refused("error-sign-in-required"));
        };
        Ok(in_transaction!(self, tx => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO plan_comments (workspace_id, item, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(workspace_id)
            .bind(item)
            .bind(author)
            .bind(&body)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let after = serde_json::json!({ "item": item, "body": body });
            record_change!(self, tx, change(actor, Some(workspace_id), "plan_comment", id, AuditAction::Create, None, snapshot(&after)));
            id
        }))
    }

    /// Whether `user_id` reads every partner city's submitted plans in `network_id`: the
    /// lead partner's coordinators and admins, and the network's named readers.
    pub async fn reads_network_plans(&self, user_id: i64, network_id: i64) -> Result<bool> {
        let found: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT user_id FROM network_readers WHERE network_id = $1 AND user_id = $2 \
             UNION SELECT r.user_id FROM workspace_roles r JOIN workspaces w ON w.id = r.workspace_id \
             WHERE w.network_id = $1 AND w.is_lead_partner AND r.user_id = $2 AND r.role IN ('coordinator', 'admin') \
             AND r.deactivated_at IS NULL",
        )
        .bind(network_id)
        .bind(user_id)
        .fetch_optional(pool)
        .await?);
        Ok(found.is_some())
    }

    pub async fn add_network_reader(&self, actor: &Actor, network_id: i64, user_id: i64) -> Result<()> {
        in_transaction!(self, tx => {
            sqlx::query("INSERT INTO network_readers (network_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(network_id)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            let after = serde_json::json!({ "user_id": user_id });
            record_change!(self, tx, change(actor, None, "network_reader", network_id, AuditAction::Create, None, snapshot(&after)));
        });
        Ok(())
    }

    pub async fn remove_network_reader(&self, actor: &Actor, network_id: i64, user_id: i64) -> Result<()> {
        in_transaction!(self, tx => {
            sqlx::query("DELETE FROM network_readers WHERE network_id = $1 AND user_id = $2")
                .bind(network_id)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            let before = serde_json::json!({ "user_id": user_id });
            record_change!(self, tx, change(actor, None, "network_reader", network_id, AuditAction::Delete, snapshot(&before), None));
        });
        Ok(())
    }

    /// The accounts named to read every city's submitted plans in the network.
    pub async fn network_readers(&self, network_id: i64) -> Result<Vec<crate::User>> {
        let sql = format!(
            "SELECT {} FROM network_readers n JOIN users u ON u.id = n.user_id WHERE n.network_id = $1 \
             ORDER BY u.display_name, u.id",
            crate::accounts::U_USER_COLUMNS
        );
        Ok(on_pool!(self, pool => sqlx::query_as(&sql).bind(network_id).fetch_all(pool).await?))
    }
}
