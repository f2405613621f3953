//! A workspace's home: what is coming, what was decided, and where the plan stands. It is the
//! page most often read, so what it shows is kept until its sources change or the minute turns
//! (a meeting moves from coming to past with the clock).

use std::sync::Arc;

use chrono::{DurationRound, TimeDelta};

use kopa_domain::{Action, Role};
use kopa_store::{DecisionInContext, MeetingSummary, MeetingsAround};

use crate::plan::PlanAttention;
use crate::{App, Caller, Refusal};

/// What the home page is read from, in the audit chain.
pub(crate) const HOME_SOURCES: &[&str] = &["meeting", "decision", "plan_version"];

/// The meetings shown past, and the decisions shown.
const RECENT_MEETINGS: i64 = 5;
const RECENT_DECISIONS: i64 = 10;

/// What a workspace's home shows to one role.
pub struct Home {
    pub upcoming: Vec<MeetingSummary>,
    pub recent: Vec<MeetingSummary>,
    pub decisions: Vec<DecisionInContext>,
    /// The plan's overdue and coming milestones, for those who work on the plan.
    pub roadmap: Option<PlanAttention>,
    /// The newest version of the plan open to everyone.
    pub published_plan: Option<i64>,
}

/// The newest change to the home's sources, and the minute it was read in.
pub(crate) type HomeVersion = (i64, chrono::NaiveDateTime);

/// Whose home it is: it differs only by role.
pub(crate) type HomeKey = (i64, Option<Role>);

impl App {
    pub async fn home(&self, caller: &Caller) -> Result<Arc<Home>, Refusal> {
        caller.require(Action::ViewPublished)?;
        let workspace = caller.workspace_id();
        let now = self.now_local(caller);
        let minute = now.duration_trunc(TimeDelta::minutes(1)).unwrap_or(now);
        let version = (self.version_of(workspace, HOME_SOURCES).await?, minute);
        self.homes
            .get((workspace, caller.role), version, || async {
                let MeetingsAround { upcoming, past, .. } = self.meetings_around(caller, RECENT_MEETINGS, 0).await?;
                Ok::<_, Refusal>(Home {
                    upcoming,
                    recent: past,
                    decisions: self.recent_decisions(caller, RECENT_DECISIONS).await?,
                    roadmap: self.plan_attention(caller).await?,
                    published_plan: self.published_plan_number(caller).await?,
                })
            })
            .await
    }
}
