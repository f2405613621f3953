//! Initiatives: starting one (from nothing or from an idea), moving it a step, and marking its
//! milestones. Who starts an initiative follows it; its followers hear of each step.

use chrono::NaiveDate;
use kopa_domain::Action;
use kopa_domain::Invalid;
use kopa_domain::initiative::{Initiative, InitiativeInput, LinkKind, StartInput, TransitionInput};
use kopa_domain::notification::{FollowKind, NotificationKind};

use crate::following::Event;
use crate::{App, Caller, Refusal};

impl App {
    /// A coordinator starts an initiative, with the reason for it.
    pub async fn start_initiative(&self, caller: &Caller, input: StartInput) -> Result<Initiative, Refusal> {
        caller.require(Action::ManageInitiatives)?;
        let types = self.store.cooperation_type_codes(caller.workspace_id()).await?;
        let (new, reason) = input.validate(&types)?;
        let initiative = self
            .store
            .create_initiative(&caller.actor(), caller.workspace_id(), &new, &reason)
            .await?;
        self.follow_quietly(caller, (FollowKind::Initiative, initiative.id))
            .await;
        Ok(initiative)
    }

    /// A coordinator turns an idea into an initiative of a cooperation type: linked to the
    /// idea, followed by those who followed it, and they are told.
    pub async fn initiative_from_idea(
        &self,
        caller: &Caller,
        idea_id: i64,
        cooperation_type: &str,
    ) -> Result<Initiative, Refusal> {
        caller.require(Action::ManageInitiatives)?;
        let workspace = caller.workspace_id();
        let idea = self.store.idea(workspace, idea_id).await?.ok_or(Refusal::NotFound)?;
        let types = self.store.cooperation_type_codes(workspace).await?;
        let input = InitiativeInput {
            title: idea.title.clone(),
            description: idea.body.clone(),
            cooperation_type: cooperation_type.to_owned(),
            place: idea.place.as_ref().map(|p| p.to_geojson()).unwrap_or_default(),
            ..Default::default()
        };
        let new = input.validate(&types)?;
        let locale = self.workspace_locale(&caller.workspace);
        let reason = self.i18n.text(locale, "initiative-from-idea-reason", &[]);
        let initiative = self
            .store
            .create_initiative_from_idea(&caller.actor(), workspace, &new, &reason, idea.id)
            .await?;
        self.follow_quietly(caller, (FollowKind::Initiative, initiative.id))
            .await;
        let event = Event {
            target: (FollowKind::Idea, idea.id),
            kind: NotificationKind::BecameInitiative,
            title: &idea.title,
            link: format!("/w/{}/initiatives/{}", caller.workspace.slug, initiative.id),
        };
        self.tell_followers(caller, event).await;
        Ok(initiative)
    }

    /// Moves an initiative one step, with the reason and, if any, the decision it follows.
    pub async fn move_initiative(
        &self,
        caller: &Caller,
        id: i64,
        input: TransitionInput,
        decision: Option<i64>,
    ) -> Result<Initiative, Refusal> {
        caller.require(Action::ManageInitiatives)?;
        let workspace = caller.workspace_id();
        let current = self.store.initiative(workspace, id).await?.ok_or(Refusal::NotFound)?;
        let (transition, reason) = input.validate(current.status)?;
        // The decision is checked before the step is taken, so a wrong one changes nothing.
        if let Some(decision) = decision
            && self.store.decision_in_workspace(workspace, decision).await?.is_none()
        {
            return Err(Invalid::single("decision", "error-choice").into());
        }
        let actor = caller.actor();
        let moved = self
            .store
            .move_initiative(&actor, workspace, id, transition, &reason)
            .await?;
        if let Some(decision) = decision {
            self.store
                .link_initiative(&actor, workspace, id, LinkKind::Decision, decision)
                .await?;
        }
        self.tell_about(caller, (FollowKind::Initiative, id), NotificationKind::Step, "timeline")
            .await;
        Ok(moved)
    }

    /// Marks a milestone done on `done_on`, or not done (`None`); followers hear when it is done.
    pub async fn mark_milestone(
        &self,
        caller: &Caller,
        initiative_id: i64,
        milestone_id: i64,
        done_on: Option<NaiveDate>,
    ) -> Result<(), Refusal> {
        caller.require(Action::ManageInitiatives)?;
        self.store
            .set_milestone_done(
                &caller.actor(),
                caller.workspace_id(),
                initiative_id,
                milestone_id,
                done_on,
            )
            .await?;
        if done_on.is_some() {
            let target = (FollowKind::Initiative, initiative_id);
            self.tell_about(caller, target, NotificationKind::Milestone, "milestones")
                .await;
        }
        Ok(())
    }
}
