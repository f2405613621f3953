//! Meetings of the local action group: who sees which (published ones to anyone, others to
//! the group), planning one with its agenda and speakers, registering for it, attendance,
//! minutes and decisions.

use kopa_domain::Action;
use kopa_domain::meeting::{
    AgendaItem, AgendaItemInput, Decision, DecisionInput, Meeting, MeetingInput, Registration, RegistrationInput,
    RegistrationStatus, Speaker, SpeakerInput,
};
use kopa_store::{Actor, DecisionInContext, MeetingSummary, MeetingsAround};

use crate::{App, Caller, Refusal};

/// A meeting with everything recorded about it, as the caller may see it.
pub struct MeetingRecord {
    pub meeting: Meeting,
    pub agenda: Vec<AgendaItem>,
    pub speakers: Vec<Speaker>,
    pub decisions: Vec<Decision>,
    /// Seats taken, and places on the waiting list.
    pub confirmed: usize,
    pub waiting: usize,
    /// Who registered, only for those who may see personal data.
    pub registrations: Option<Vec<Registration>>,
}

impl App {
    /// What is coming, and one page of the past (`past` meetings after skipping `skipped`).
    pub async fn meetings_around(&self, caller: &Caller, past: i64, skipped: i64) -> Result<MeetingsAround, Refusal> {
        caller.require(Action::ViewPublished)?;
        let now = self.now_local(caller);
        let internal = caller.may(Action::ViewGroup);
        Ok(self
            .store
            .meetings_around(caller.workspace_id(), internal, now, past, skipped)
            .await?)
    }

    /// The latest decisions, newest first, up to `limit`: of published meetings for anyone, of
    /// every meeting for the group.
    pub async fn recent_decisions(&self, caller: &Caller, limit: i64) -> Result<Vec<DecisionInContext>, Refusal> {
        caller.require(Action::ViewPublished)?;
        let internal = caller.may(Action::ViewGroup);
        Ok(self
            .store
            .workspace_decisions(caller.workspace_id(), internal, limit)
            .await?)
    }

    /// The last added meetings, up to `limit`, before the meeting `before`.
    pub async fn meetings_before(
        &self,
        caller: &Caller,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<MeetingSummary>, Refusal> {
        caller.require(Action::ViewPublished)?;
        let internal = caller.may(Action::ViewGroup);
        Ok(self
            .store
            .meetings_before(caller.workspace_id(), internal, before, limit)
            .await?)
    }

    /// The meeting, if the caller may see it: a published one anyone, others the group.
    pub async fn meeting(&self, caller: &Caller, id: i64) -> Result<Meeting, Refusal> {
        caller.require(Action::ViewPublished)?;
        let meeting = self.store.meeting(caller.workspace_id(), id).await?;
        let meeting = meeting.ok_or(Refusal::NotFound)?;
        if !meeting.published {
            caller.require(Action::ViewGroup)?;
        }
        Ok(meeting)
    }

    pub async fn meeting_record(&self, caller: &Caller, id: i64) -> Result<MeetingRecord, Refusal> {
        let meeting = self.meeting(caller, id).await?;
        let registrations = self.store.registrations(id).await?;
        let confirmed = registrations
            .iter()
            .filter(|r| r.status == RegistrationStatus::Confirmed)
            .count();
        Ok(MeetingRecord {
            agenda: self.store.agenda(id).await?,
            speakers: self.store.speakers(id).await?,
            decisions: self.store.decisions(id).await?,
            confirmed,
            waiting: registrations.len() - confirmed,
            registrations: caller.may(Action::ViewPersonalData).then_some(registrations),
            meeting,
        })
    }

    pub async fn create_meeting(&self, caller: &Caller, input: &MeetingInput) -> Result<Meeting, Refusal> {
        caller.require(Action::ManageMeetings)?;
        let new = input.validate()?;
        Ok(self
            .store
            .create_meeting(&caller.actor(), caller.workspace_id(), &new)
            .await?)
    }

    /// Replaces a meeting's details; its agenda, speakers and decisions stay.
    pub async fn update_meeting(&self, caller: &Caller, id: i64, input: &MeetingInput) -> Result<Meeting, Refusal> {
        caller.require(Action::ManageMeetings)?;
        let new = input.validate()?;
        Ok(self
            .store
            .update_meeting(&caller.actor(), caller.workspace_id(), id, &new)
            .await?)
    }

    /// Appends an agenda item, at the top level or under its parent.
    pub async fn add_agenda_item(
        &self,
        caller: &Caller,
        id: i64,
        input: &AgendaItemInput,
    ) -> Result<AgendaItem, Refusal> {
        caller.require(Action::ManageMeetings)?;
        let new = input.validate()?;
        Ok(self
            .store
            .add_agenda_item(&caller.actor(), caller.workspace_id(), id, &new)
            .await?)
    }

    pub async fn remove_agenda_item(&self, caller: &Caller, id: i64, item: i64) -> Result<(), Refusal> {
        caller.require(Action::ManageMeetings)?;
        Ok(self
            .store
            .remove_agenda_item(&caller.actor(), caller.workspace_id(), id, item)
            .await?)
    }

    pub async fn add_speaker(&self, caller: &Caller, id: i64, input: &SpeakerInput) -> Result<Speaker, Refusal> {
        caller.require(Action::ManageMeetings)?;
        let new = input.validate()?;
        Ok(self
            .store
            .add_speaker(&caller.actor(), caller.workspace_id(), id, &new)
            .await?)
    }

    /// Records a decision with its votes, as the meeting may take it (its quorum, those
    /// present, its legal basis); the outcome and unanimity follow from the votes.
    pub async fn record_decision(&self, caller: &Caller, id: i64, input: &DecisionInput) -> Result<Decision, Refusal> {
        caller.require(Action::ManageMeetings)?;
        let meeting = self.store.meeting(caller.workspace_id(), id).await?;
        let new = input.validate(&meeting.ok_or(Refusal::NotFound)?)?;
        Ok(self
            .store
            .record_decision(&caller.actor(), caller.workspace_id(), id, &new)
            .await?)
    }

    pub async fn record_minutes(&self, caller: &Caller, id: i64, minutes: &str) -> Result<Meeting, Refusal> {
        caller.require(Action::ManageMeetings)?;
        Ok(self
            .store
            .record_minutes(&caller.actor(), caller.workspace_id(), id, minutes)
            .await?)
    }

    /// Registers for a meeting the caller may see; once the seats are taken, on the waiting
    /// list. A visitor is named in the log by the e-mail they gave.
    pub async fn register_for_meeting(
        &self,
        caller: &Caller,
        id: i64,
        input: &RegistrationInput,
    ) -> Result<Registration, Refusal> {
        caller.require(Action::RegisterForMeeting)?;
        self.meeting(caller, id).await?;
        let new = input.validate()?;
        let actor = match &caller.user {
            Some(user) => Actor::user(user.id, &user.email),
            None => Actor::visitor(&new.email),
        };
        Ok(self.store.register(&actor, caller.workspace_id(), id, &new).await?)
    }

    pub async fn set_attendance(
        &self,
        caller: &Caller,
        id: i64,
        registration: i64,
        attended: bool,
    ) -> Result<(), Refusal> {
        caller.require(Action::ManageMeetings)?;
        let actor = caller.actor();
        Ok(self
            .store
            .set_attendance(&actor, caller.workspace_id(), id, registration, attended)
            .await?)
    }

    pub async fn cancel_registration(&self, caller: &Caller, id: i64, registration: i64) -> Result<(), Refusal> {
        caller.require(Action::ManageMeetings)?;
        let actor = caller.actor();
        Ok(self
            .store
            .cancel_registration(&actor, caller.workspace_id(), id, registration)
            .await?)
    }
}
