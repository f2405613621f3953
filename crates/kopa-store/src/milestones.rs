//! Editing an initiative, and its milestones. With milestones, an initiative's own progress is
//! the share of them done, kept in its row so that parents roll it up like any other.

use chrono::NaiveDate;
use kopa_domain::Invalid;
use kopa_domain::audit::AuditAction;
use kopa_domain::idea::Place;
use kopa_domain::initiative::{
    Initiative, Milestone, NewInitiative, NewMilestone, milestone_progress, share_done, would_loop,
};
use sqlx::FromRow;

use crate::audit::change;
use crate::db::{in_transaction, on_pool, record_change};
use crate::{Actor, Result, Store, snapshot};

#[derive(FromRow)]
struct MilestoneRow {
    id: i64,
    initiative_id: i64,
    title: String,
    due_on: Option<NaiveDate>,
    done_on: Option<NaiveDate>,
}

impl From<MilestoneRow> for Milestone {
    fn from(r: MilestoneRow) -> Milestone {
        Milestone {
            id: r.id,
            initiative_id: r.initiative_id,
            title: r.title,
            due_on: r.due_on,
            done_on: r.done_on,
        }
    }
}

/// Inside the transaction `$tx`: sets the initiative's progress to the share of its
/// milestones done, and logs the change.
macro_rules! refresh_progress {
    ($store:expr, $tx:ident, $actor:expr, $workspace_id:expr, $initiative_id:expr) => {{
        let (total, done): (i64, i64) =
            sqlx::query_as("SELECT COUNT(*), COUNT(done_on) FROM initiative_milestones WHERE initiative_id = $1")
                .bind($initiative_id)
                .fetch_one(&mut *$tx)
                .await?;
        if let Some(progress) = share_done(done, total) {
            sqlx::query("UPDATE initiatives SET progress = $1 WHERE id = $2 AND workspace_id = $3")
                .bind(progress)
                .bind($initiative_id)
                .bind($workspace_id)
                .execute(&mut *$tx)
                .await?;
            let after = serde_json::json!({ "progress": progress, "milestones_done": done, "milestones": total });
            record_change!($store, $tx, change($actor, Some($workspace_id), "initiative", $initiative_id, AuditAction::Update, None, snapshot(&after)));
        }
    }};
}

impl Store {
    /// Changes what an initiative is: title, description, type, place, parent, weight, and its
    /// progress unless milestones set it. Its status moves only by steps.
    pub async fn update_initiative(
        &self,
        actor: &Actor,
        workspace_id: i64,
        id: i64,
        edited: &NewInitiative,
    ) -> Result<Initiative> {
        let before = self.existing_initiative(workspace_id, id).await?;
        if !self
            .cooperation_type_codes(workspace_id)
            .await?
            .contains(&edited.cooperation_type)
        {
            return Err(Invalid::single("cooperation_type", "error-choice").into());
        }
        if let Some(parent) = edited.parent_id {
            let all = self.initiatives(workspace_id).await?;
            if !all.iter().any(|i| i.id == parent) {
                return Err(Invalid::single("parent_id", "error-unknown").into());
            }
            if would_loop(&all, id, parent) {
                return Err(Invalid::single("parent_id", "error-parent-loop").into());
            }
        }
        self.check_place(workspace_id, edited.place.as_ref()).await?;
        let progress = milestone_progress(&self.milestones(id).await?).unwrap_or(edited.progress);
        in_transaction!(self, tx => {
            sqlx::query(
                "UPDATE initiatives SET title = $1, description = $2, cooperation_type = $3, place_geojson = $4, \
                 parent_id = $5, weight = $6, progress = $7 WHERE id = $8 AND workspace_id = $9",
            )
            .bind(&edited.title)
            .bind(&edited.description)
            .bind(&edited.cooperation_type)
            .bind(edited.place.as_ref().map(Place::to_geojson))
            .bind(edited.parent_id)
            .bind(edited.weight)
            .bind(progress)
            .bind(id)
            .bind(workspace_id)
            .execute(&mut *tx)
            .await?;
            let after = serde_json::json!({
                "title": edited.title, "description": edited.description, "cooperation_type": edited.cooperation_type,
                "place": edited.place, "parent_id": edited.parent_id, "weight": edited.weight, "progress": progress,
            });
            record_change!(self, tx, change(actor, Some(workspace_id), "initiative", id, AuditAction::Update, snapshot(&before), snapshot(&after)));
        });
        self.existing_initiative(workspace_id, id).await
    }

    /// An initiative's milestones: by the day they are due, those without a day last.
    pub async fn milestones(&self, initiative_id: i64) -> Result<Vec<Milestone>> {
        let rows: Vec<MilestoneRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, initiative_id, title, due_on, done_on FROM initiative_milestones WHERE initiative_id = $1 \
             ORDER BY due_on IS NULL, due_on, id",
        )
        .bind(initiative_id)
        .fetch_all(pool)
        .await?);
        Ok(rows.into_iter().map(Milestone::from).collect())
    }

    pub async fn add_milestone(
        &self,
        actor: &Actor,
        workspace_id: i64,
        initiative_id: i64,
        new: &NewMilestone,
    ) -> Result<Milestone> {
        self.existing_initiative(workspace_id, initiative_id).await?;
        let id = in_transaction!(self, tx => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO initiative_milestones (initiative_id, title, due_on) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(initiative_id)
            .bind(&new.title)
            .bind(new.due_on)
            .fetch_one(&mut *tx)
            .await?;
            let after = serde_json::json!({ "initiative_id": initiative_id, "title": new.title, "due_on": new.due_on });
            record_change!(self, tx, change(actor, Some(workspace_id), "milestone", id, AuditAction::Create, None, snapshot(&after)));
            refresh_progress!(self, tx, actor, workspace_id, initiative_id);
            id
        });
        self.milestones(initiative_id)
            .await?
            .into_iter()
            .find(|m| m.id == id)
            .ok_or_else(|| Invalid::single("milestone", "error-unknown").into())
    }

    /// Marks a milestone done on a day, or (with `None`) not done after all.
    pub async fn set_milestone_done(
        &self,
        actor: &Actor,
        workspace_id: i64,
        initiative_id: i64,
        milestone_id: i64,
        done_on: Option<NaiveDate>,
    ) -> Result<()> {
        self.existing_initiative(workspace_id, initiative_id).await?;
        let before = self
            .milestones(initiative_id)
            .await?
            .into_iter()
            .find(|m| m.id == milestone_id)
            .ok_or_else(|| Invalid::single("milestone", "error-unknown"))?;
        in_transaction!(self, tx => {
            sqlx::query("UPDATE initiative_milestones SET done_on = $1 WHERE id = $2 AND initiative_id = $3")
                .bind(done_on)
                .bind(milestone_id)
                .bind(initiative_id)
                .execute(&mut *tx)
                .await?;
            let after = serde_json::json!({ "done_on": done_on });
            record_change!(self, tx, change(actor, Some(workspace_id), "milestone", milestone_id, AuditAction::Update, snapshot(&before), snapshot(&after)));
            refresh_progress!(self, tx, actor, workspace_id, initiative_id);
        });
        Ok(())
    }
}
