//! Initiatives: starting one (from nothing or from an idea), moving it a step, and marking its
//! milestones. Who starts an initiative follows it; its followers hear of each step.

use std::sync::Arc;

use kopa_domain::Action;
use kopa_domain::Invalid;
use kopa_domain::group::Organisation;
use kopa_domain::idea::Idea;
use kopa_domain::initiative::{
    CooperationType, Initiative, InitiativeInput, LinkKind, Milestone, MilestoneInput, StartInput, Step,
    TransitionInput,
};
use kopa_domain::meeting::Meeting;
use kopa_domain::notification::{FollowKind, NotificationKind};
use kopa_domain::street_network::Scenario;
use kopa_domain::validation::Code;
use kopa_store::DecisionInContext;
use tokio::sync::mpsc::Receiver;

use crate::following::Event;
use crate::{App, Caller, Refusal};

/// An initiative with what the caller may see of it: its history (who moved it only for
/// those who may see personal data), milestones, and what it links to that they may see.
pub struct InitiativeRecord {
    pub initiative: Initiative,
    /// Every initiative of the workspace, for its parent, children and rolled-up progress.
    pub initiatives: Vec<Initiative>,
    pub history: Vec<Step>,
    pub milestones: Vec<Milestone>,
    pub ideas: Vec<Idea>,
    pub meetings: Vec<Meeting>,
    pub decisions: Vec<DecisionInContext>,
    pub organisations: Vec<Organisation>,
    /// The scenarios saved as its expected effect, for those who may see the street network's
    /// analyses; empty for anyone else.
    pub scenarios: Vec<Scenario>,
}

/// What a coordinator may link an initiative to.
pub struct Linkable {
    pub meetings: Vec<Meeting>,
    pub decisions: Vec<DecisionInContext>,
    pub organisations: Vec<Organisation>,
}

/// How many of the latest decisions an initiative may be linked to, or follow.
const DECISIONS_LINKABLE: i64 = 1000;

/// What the list of initiatives is read from, in the audit chain: a milestone moves its
/// initiative's progress.
const INITIATIVE_SOURCES: &[&str] = &["initiative", "milestone"];

impl App {
    /// Every initiative, oldest first, streamed as stored: open data that anyone may read.
    pub fn initiatives_stream(&self, caller: &Caller) -> Result<Receiver<kopa_store::Result<Initiative>>, Refusal> {
        caller.require(Action::ViewPublished)?;
        Ok(self.store.stream_initiatives(caller.workspace_id()))
    }

    /// Every initiative of the workspace, which anyone may read.
    /// Every initiative of the workspace, oldest first; kept until one of them or their
    /// milestones changes.
    pub async fn initiatives(&self, caller: &Caller) -> Result<Arc<Vec<Initiative>>, Refusal> {
        caller.require(Action::ViewPublished)?;
        let workspace = caller.workspace_id();
        let version = self.version_of(workspace, INITIATIVE_SOURCES).await?;
        Ok(self
            .initiatives
            .get(workspace, version, || self.store.initiatives(workspace))
            .await?)
    }

    /// The workspace's cooperation types: the four built in, and its own.
    pub async fn cooperation_types(&self, caller: &Caller) -> Result<Vec<CooperationType>, Refusal> {
        caller.require(Action::ViewPublished)?;
        Ok(self.store.cooperation_types(caller.workspace_id()).await?)
    }

    /// A cooperation type of the workspace's own, beside those built in.
    pub async fn add_cooperation_type(&self, caller: &Caller, name: &str) -> Result<CooperationType, Refusal> {
        caller.require(Action::ManageInitiatives)?;
        Ok(self
            .store
            .add_cooperation_type(&caller.actor(), caller.workspace_id(), name)
            .await?)
    }

    pub async fn initiative_record(&self, caller: &Caller, id: i64) -> Result<InitiativeRecord, Refusal> {
        caller.require(Action::ViewPublished)?;
        let (store, workspace) = (&self.store, caller.workspace_id());
        let initiatives = store.initiatives(workspace).await?;
        let initiative = initiatives
            .iter()
            .find(|i| i.id == id)
            .cloned()
            .ok_or(Refusal::NotFound)?;
        let mut history = store.initiative_history(id).await?;
        if !caller.may(Action::ViewPersonalData) {
            for step in &mut history {
                step.actor_user_id = None;
                step.actor_label.clear();
            }
        }
        let internal = caller.may(Action::ViewGroup);
        let mut ideas = Vec::new();
        for idea in store.initiative_links(id, LinkKind::Idea).await? {
            ideas.extend(store.idea(workspace, idea).await?);
        }
        let mut meetings = Vec::new();
        for meeting in store.initiative_links(id, LinkKind::Meeting).await? {
            let meeting = store.meeting(workspace, meeting).await?;
            meetings.extend(meeting.filter(|m| m.published || internal));
        }
        let linked = store.initiative_links(id, LinkKind::Decision).await?;
        let decisions = store
            .workspace_decisions(workspace, internal, DECISIONS_LINKABLE)
            .await?;
        let linked_organisations = store.initiative_links(id, LinkKind::Organisation).await?;
        let organisations = store.organisations(workspace).await?;
        let scenarios = match caller.may(Action::ViewStreetAnalyses) {
            true => store.initiative_scenarios(workspace, id).await?,
            false => Vec::new(),
        };
        Ok(InitiativeRecord {
            scenarios,
            history,
            milestones: store.milestones(id).await?,
            ideas,
            meetings,
            decisions: decisions
                .into_iter()
                .filter(|d| linked.contains(&d.decision.id))
                .collect(),
            organisations: organisations
                .into_iter()
                .filter(|o| linked_organisations.contains(&o.id))
                .collect(),
            initiative,
            initiatives,
        })
    }

    /// Every meeting, the latest decisions and every organisation, for a coordinator to link.
    pub async fn linkable(&self, caller: &Caller) -> Result<Linkable, Refusal> {
        caller.require(Action::ManageInitiatives)?;
        let workspace = caller.workspace_id();
        let meetings = self.store.meetings(workspace, true).await?;
        Ok(Linkable {
            meetings: meetings.into_iter().map(|m| m.meeting).collect(),
            decisions: self
                .store
                .workspace_decisions(workspace, true, DECISIONS_LINKABLE)
                .await?,
            organisations: self.store.organisations(workspace).await?,
        })
    }

    /// Changes an initiative's details; its history and links stay.
    pub async fn edit_initiative(
        &self,
        caller: &Caller,
        id: i64,
        input: &InitiativeInput,
    ) -> Result<Initiative, Refusal> {
        self.initiative_to_change(caller, id).await?;
        let types = self.store.cooperation_type_codes(caller.workspace_id()).await?;
        let edited = input.validate(&types)?;
        Ok(self
            .store
            .update_initiative(&caller.actor(), caller.workspace_id(), id, &edited)
            .await?)
    }

    /// Links an initiative to a meeting, decision or organisation, named `kind:id`.
    pub async fn link_initiative(&self, caller: &Caller, id: i64, target: &str) -> Result<(), Refusal> {
        self.initiative_to_change(caller, id).await?;
        let (kind, target) = target
            .split_once(':')
            .and_then(|(kind, target)| Some((LinkKind::from_code(kind)?, target.parse::<i64>().ok()?)))
            .ok_or_else(|| Invalid::single("target", "error-choice"))?;
        let actor = caller.actor();
        Ok(self
            .store
            .link_initiative(&actor, caller.workspace_id(), id, kind, target)
            .await?)
    }

    pub async fn add_milestone(&self, caller: &Caller, id: i64, input: &MilestoneInput) -> Result<Milestone, Refusal> {
        self.initiative_to_change(caller, id).await?;
        let new = input.validate()?;
        Ok(self
            .store
            .add_milestone(&caller.actor(), caller.workspace_id(), id, &new)
            .await?)
    }

    async fn initiative_to_change(&self, caller: &Caller, id: i64) -> Result<Initiative, Refusal> {
        caller.require(Action::ManageInitiatives)?;
        self.store
            .initiative(caller.workspace_id(), id)
            .await?
            .ok_or(Refusal::NotFound)
    }

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
        // An idea becomes one initiative: a second would split its supporters and its story.
        if idea.became.is_some() {
            return Err(Refusal::Refused("error-idea-already-initiative"));
        }
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

    /// Marks a milestone done today (`done` is `yes`) or not done (`no`); followers hear when
    /// it is done.
    pub async fn mark_milestone(
        &self,
        caller: &Caller,
        initiative_id: i64,
        milestone_id: i64,
        done: &str,
    ) -> Result<(), Refusal> {
        self.initiative_to_change(caller, initiative_id).await?;
        let done_on = match done {
            "yes" => Some(self.today(caller)),
            "no" => None,
            _ => return Err(Invalid::single("milestone", "error-choice").into()),
        };
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
