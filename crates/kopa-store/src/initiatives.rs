//! Initiatives: the workspace's cooperation types, initiatives with their workflow history,
//! and their links to ideas, meetings, decisions and organisations.

use chrono::{DateTime, Utc};
use kopa_domain::Invalid;
use kopa_domain::audit::AuditAction;
use kopa_domain::idea::Place;
use kopa_domain::initiative::{
    BUILT_IN_TYPES, CooperationType, Initiative, InitiativeStatus, LinkKind, NewInitiative, Step, Transition,
    progress_in,
};
use kopa_domain::notification::FollowKind;
use kopa_domain::validation::Code;
use sqlx::FromRow;

use crate::audit::change;
use crate::db::{in_transaction, on_pool, record_change};
use crate::{Actor, Result, Store, StoreError, code, json, read_all, snapshot};

#[derive(FromRow)]
pub(crate) struct InitiativeRow {
    id: i64,
    workspace_id: i64,
    title: String,
    description: Option<String>,
    cooperation_type: String,
    place_geojson: Option<String>,
    parent_id: Option<i64>,
    weight: i64,
    progress: i64,
    status: String,
    created_at: DateTime<Utc>,
    is_example: bool,
}

impl TryFrom<InitiativeRow> for Initiative {
    type Error = StoreError;

    fn try_from(r: InitiativeRow) -> Result<Initiative> {
        Ok(Initiative {
            id: r.id,
            workspace_id: r.workspace_id,
            title: r.title,
            description: r.description,
            cooperation_type: r.cooperation_type,
            place: r
                .place_geojson
                .map(|text| json::<Place>("initiatives", "place_geojson", &r.id, &text))
                .transpose()?,
            parent_id: r.parent_id,
            weight: r.weight,
            progress: r.progress,
            status: code("initiatives", "status", &r.id, &r.status)?,
            created_at: r.created_at,
            is_example: r.is_example,
        })
    }
}

#[derive(FromRow)]
struct StepRow {
    id: i64,
    from_status: Option<String>,
    to_status: String,
    reason: String,
    actor_user_id: Option<i64>,
    actor_label: String,
    at: DateTime<Utc>,
}

pub(crate) const INITIATIVE_COLUMNS: &str = "id, workspace_id, title, description, cooperation_type, place_geojson, parent_id, \
     weight, progress, status, created_at, is_example";

impl Store {
    /// The built-in cooperation types, then the workspace's own.
    pub async fn cooperation_types(&self, workspace_id: i64) -> Result<Vec<CooperationType>> {
        let custom: Vec<(String, String)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT code, name FROM cooperation_types WHERE workspace_id = $1 ORDER BY name",
        )
        .bind(workspace_id)
        .fetch_all(pool)
        .await?);
        Ok(BUILT_IN_TYPES
            .iter()
            .map(|code| CooperationType {
                code: (*code).to_owned(),
                name: None,
            })
            .chain(
                custom
                    .into_iter()
                    .map(|(code, name)| CooperationType { code, name: Some(name) }),
            )
            .collect())
    }

    /// The codes of every cooperation type the workspace knows, for checking a choice.
    pub async fn cooperation_type_codes(&self, workspace_id: i64) -> Result<Vec<String>> {
        Ok(self
            .cooperation_types(workspace_id)
            .await?
            .into_iter()
            .map(|t| t.code)
            .collect())
    }

    /// Adds a cooperation type of the workspace's own; its code is made from the name.
    pub async fn add_cooperation_type(&self, actor: &Actor, workspace_id: i64, name: &str) -> Result<CooperationType> {
        let mut invalid = Invalid::new();
        let name = invalid.required_text("name", name, 100);
        invalid.into_result()?;
        let code = format!("custom_{}", slug(&name));
        if self
            .cooperation_types(workspace_id)
            .await?
            .iter()
            .any(|t| t.code == code)
        {
            return Err(Invalid::single("name", "error-name-taken").into());
        }
        let kind = CooperationType { code, name: Some(name) };
        in_transaction!(self, tx => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO cooperation_types (workspace_id, code, name) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(workspace_id)
            .bind(&kind.code)
            .bind(&kind.name)
            .fetch_one(&mut *tx)
            .await?;
            record_change!(self, tx, change(actor, Some(workspace_id), "cooperation_type", id, AuditAction::Create, None, snapshot(&kind)));
        });
        Ok(kind)
    }

    pub async fn initiatives(&self, workspace_id: i64) -> Result<Vec<Initiative>> {
        let sql =
            format!("SELECT {INITIATIVE_COLUMNS} FROM initiatives WHERE workspace_id = $1 ORDER BY created_at, id");
        let rows: Vec<InitiativeRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(workspace_id).fetch_all(pool).await?);
        read_all(rows)
    }

    pub async fn initiative(&self, workspace_id: i64, id: i64) -> Result<Option<Initiative>> {
        let sql = format!("SELECT {INITIATIVE_COLUMNS} FROM initiatives WHERE workspace_id = $1 AND id = $2");
        let row: Option<InitiativeRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(workspace_id).bind(id).fetch_optional(pool).await?);
        row.map(Initiative::try_from).transpose()
    }

    /// An initiative's progress, rolled up from its children (see [`progress_in`]).
    pub async fn initiative_progress(&self, workspace_id: i64, id: i64) -> Result<f64> {
        Ok(progress_in(&self.initiatives(workspace_id).await?, id))
    }

    /// Creates an initiative as an idea; its history starts with who created it and why.
    pub async fn create_initiative(
        &self,
        actor: &Actor,
        workspace_id: i64,
        new: &NewInitiative,
        reason: &str,
    ) -> Result<Initiative> {
        self.start_initiative(actor, workspace_id, new, reason, None).await
    }

    /// Starts an initiative with an organisation as its partner, both in one step.
    pub async fn create_initiative_with_partner(
        &self,
        actor: &Actor,
        workspace_id: i64,
        new: &NewInitiative,
        reason: &str,
        organisation_id: i64,
    ) -> Result<Initiative> {
        let found: Option<i64> = on_pool!(self, pool => sqlx::query_scalar("SELECT id FROM organisations WHERE workspace_id = $1 AND id = $2")
            .bind(workspace_id)
            .bind(organisation_id)
            .fetch_optional(pool)
            .await?);
        if found.is_none() {
            return Err(Invalid::single("organisation", "error-unknown").into());
        }
        self.start_initiative(
            actor,
            workspace_id,
            new,
            reason,
            Some((LinkKind::Organisation, organisation_id)),
        )
        .await
    }

    /// Turns an idea into an initiative in one step: the initiative, its link to the idea, and
    /// the idea's followers following it, all or nothing.
    pub async fn create_initiative_from_idea(
        &self,
        actor: &Actor,
        workspace_id: i64,
        new: &NewInitiative,
        reason: &str,
        idea_id: i64,
    ) -> Result<Initiative> {
        self.existing_idea(workspace_id, idea_id).await?;
        self.start_initiative(actor, workspace_id, new, reason, Some((LinkKind::Idea, idea_id)))
            .await
    }

    async fn start_initiative(
        &self,
        actor: &Actor,
        workspace_id: i64,
        new: &NewInitiative,
        reason: &str,
        linked: Option<(LinkKind, i64)>,
    ) -> Result<Initiative> {
        if !self
            .cooperation_types(workspace_id)
            .await?
            .iter()
            .any(|t| t.code == new.cooperation_type)
        {
            return Err(Invalid::single("cooperation_type", "error-choice").into());
        }
        if let Some(parent) = new.parent_id
            && self.initiative(workspace_id, parent).await?.is_none()
        {
            return Err(Invalid::single("parent_id", "error-unknown").into());
        }
        self.check_place(workspace_id, new.place.as_ref()).await?;
        let now = new.created_at.unwrap_or_else(|| self.now());
        let initiative = in_transaction!(self, tx => {
            let row: InitiativeRow = sqlx::query_as(&format!(
                "INSERT INTO initiatives (workspace_id, title, description, cooperation_type, place_geojson, parent_id, \
                 weight, progress, status, created_at, is_example) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                 RETURNING {INITIATIVE_COLUMNS}"
            ))
            .bind(workspace_id)
            .bind(&new.title)
            .bind(&new.description)
            .bind(&new.cooperation_type)
            .bind(new.place.as_ref().map(Place::to_geojson))
            .bind(new.parent_id)
            .bind(new.weight)
            .bind(new.progress)
            .bind(InitiativeStatus::Idea.code())
            .bind(now)
            .bind(new.is_example)
            .fetch_one(&mut *tx)
            .await?;
            let initiative = Initiative::try_from(row)?;
            sqlx::query(
                "INSERT INTO initiative_transitions (initiative_id, from_status, to_status, reason, actor_user_id, actor_label, at) \
                 VALUES ($1, NULL, $2, $3, $4, $5, $6)",
            )
            .bind(initiative.id)
            .bind(InitiativeStatus::Idea.code())
            .bind(reason)
            .bind(actor.user_id)
            .bind(&actor.label)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            record_change!(self, tx, change(actor, Some(workspace_id), "initiative", initiative.id, AuditAction::Create, None, snapshot(&initiative)));
            if let Some((kind, target)) = linked {
                sqlx::query("INSERT INTO initiative_links (initiative_id, kind, target_id) VALUES ($1, $2, $3)")
                    .bind(initiative.id)
                    .bind(kind.code())
                    .bind(target)
                    .execute(&mut *tx)
                    .await?;
                let link = serde_json::json!({ "kind": kind, "target": target });
                record_change!(self, tx, change(actor, Some(workspace_id), "initiative_link", initiative.id, AuditAction::Create, None, snapshot(&link)));
            }
            // Those who followed the idea follow the initiative it became.
            if let Some((LinkKind::Idea, idea_id)) = linked {
                sqlx::query(
                    "INSERT INTO follows (user_id, target_kind, target_id, created_at) \
                     SELECT user_id, $1, $2, $3 FROM follows WHERE target_kind = $4 AND target_id = $5 ON CONFLICT DO NOTHING",
                )
                .bind(FollowKind::Initiative.code())
                .bind(initiative.id)
                .bind(now)
                .bind(FollowKind::Idea.code())
                .bind(idea_id)
                .execute(&mut *tx)
                .await?;
            }
            initiative
        });
        Ok(initiative)
    }

    /// Moves an initiative one step, recording who, when and why. The step must start where
    /// the initiative stands, so two people moving it at once cannot both succeed.
    pub async fn move_initiative(
        &self,
        actor: &Actor,
        workspace_id: i64,
        id: i64,
        transition: Transition,
        reason: &str,
    ) -> Result<Initiative> {
        let current = self.existing_initiative(workspace_id, id).await?;
        if current.status != transition.from || !transition.from.may_move_to(transition.to) {
            return Err(Invalid::single("to", "error-transition").into());
        }
        let now = transition.at.unwrap_or_else(|| self.now());
        in_transaction!(self, tx => {
            let moved = sqlx::query("UPDATE initiatives SET status = $1 WHERE id = $2 AND status = $3")
                .bind(transition.to.code())
                .bind(id)
                .bind(transition.from.code())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if moved != 1 {
                return Err(Invalid::single("to", "error-transition").into());
            }
            sqlx::query(
                "INSERT INTO initiative_transitions (initiative_id, from_status, to_status, reason, actor_user_id, actor_label, at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(transition.from.code())
            .bind(transition.to.code())
            .bind(reason)
            .bind(actor.user_id)
            .bind(&actor.label)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let before = serde_json::json!({ "status": transition.from });
            let after = serde_json::json!({ "status": transition.to, "reason": reason });
            record_change!(self, tx, change(actor, Some(workspace_id), "initiative", id, AuditAction::Update, snapshot(&before), snapshot(&after)));
        });
        self.existing_initiative(workspace_id, id).await
    }

    /// The initiative, or a refusal naming it as unknown.
    pub(crate) async fn existing_initiative(&self, workspace_id: i64, id: i64) -> Result<Initiative> {
        self.initiative(workspace_id, id)
            .await?
            .ok_or_else(|| Invalid::single("initiative", "error-unknown").into())
    }

    /// The initiative's history, oldest first.
    pub async fn initiative_history(&self, id: i64) -> Result<Vec<Step>> {
        let rows: Vec<StepRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, from_status, to_status, reason, actor_user_id, actor_label, at FROM initiative_transitions \
             WHERE initiative_id = $1 ORDER BY at, id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        rows.into_iter()
            .map(|r| {
                let (from, to) = crate::step("initiative_transitions", r.id, r.from_status, &r.to_status)?;
                Ok(Step {
                    from,
                    to,
                    reason: r.reason,
                    actor_user_id: r.actor_user_id,
                    actor_label: r.actor_label,
                    at: r.at,
                })
            })
            .collect()
    }

    /// Links an initiative to an idea, meeting, decision or organisation of the same
    /// workspace; linking twice changes nothing.
    pub async fn link_initiative(
        &self,
        actor: &Actor,
        workspace_id: i64,
        id: i64,
        kind: LinkKind,
        target: i64,
    ) -> Result<()> {
        if self.initiative(workspace_id, id).await?.is_none() {
            return Err(Invalid::single("initiative", "error-unknown").into());
        }
        let sql = match kind {
            LinkKind::Idea => "SELECT id FROM ideas WHERE workspace_id = $1 AND id = $2",
            LinkKind::Organisation => "SELECT id FROM organisations WHERE workspace_id = $1 AND id = $2",
            LinkKind::Meeting => "SELECT id FROM meetings WHERE workspace_id = $1 AND id = $2",
            LinkKind::Decision => {
                "SELECT d.id FROM decisions d JOIN meetings m ON m.id = d.meeting_id WHERE m.workspace_id = $1 AND d.id = $2"
            }
        };
        let found: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(sql)
            .bind(workspace_id)
            .bind(target)
            .fetch_optional(pool)
            .await?);
        let exists = found.is_some();
        if !exists {
            return Err(Invalid::single("target", "error-unknown").into());
        }
        in_transaction!(self, tx => {
            let added = sqlx::query(
                "INSERT INTO initiative_links (initiative_id, kind, target_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(kind.code())
            .bind(target)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if added == 1 {
                let after = serde_json::json!({ "kind": kind, "target": target });
                record_change!(self, tx, change(actor, Some(workspace_id), "initiative_link", id, AuditAction::Create, None, snapshot(&after)));
            }
        });
        Ok(())
    }

    /// The ids an initiative is linked to, of one kind.
    pub async fn initiative_links(&self, id: i64, kind: LinkKind) -> Result<Vec<i64>> {
        let ids: Vec<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT target_id FROM initiative_links WHERE initiative_id = $1 AND kind = $2 ORDER BY target_id",
        )
        .bind(id)
        .bind(kind.code())
        .fetch_all(pool)
        .await?);
        Ok(ids)
    }
}

/// Lower-case ASCII letters and digits with underscores, for codes made from names.
fn slug(name: &str) -> String {
    let folded = deunicode::deunicode(name).to_lowercase();
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.join("_")
}
