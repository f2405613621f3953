//! The local action group: its organisations, people and their memberships in the group's
//! bodies, the stakeholder matrix, and the audit log of everything done in the workspace.

use kopa_domain::Action;
use kopa_domain::audit::AuditEvent;
use kopa_domain::group::{
    EndMembershipInput, Membership, MembershipInput, Organisation, OrganisationInput, Person, PersonInput, Stakeholder,
    StakeholderInput,
};
use kopa_domain::search::latvian_order;
use kopa_store::{ChainReport, MemberRow};

use crate::{App, Caller, Refusal};

impl App {
    /// The organisations of the group, which anyone may read.
    pub async fn organisations(&self, caller: &Caller) -> Result<Vec<Organisation>, Refusal> {
        caller.require(Action::ViewPublished)?;
        let mut organisations = self.store.organisations(caller.workspace_id()).await?;
        organisations.sort_by_cached_key(|o| latvian_order(&o.name));
        Ok(organisations)
    }

    pub async fn add_organisation(&self, caller: &Caller, input: &OrganisationInput) -> Result<Organisation, Refusal> {
        caller.require(Action::ManageGroup)?;
        let new = input.validate()?;
        Ok(self
            .store
            .create_organisation(&caller.actor(), caller.workspace_id(), &new)
            .await?)
    }

    /// The people of the group; their e-mail addresses only for those who may see personal data.
    pub async fn people(&self, caller: &Caller) -> Result<Vec<Person>, Refusal> {
        caller.require(Action::ViewGroup)?;
        let mut people = self.store.people(caller.workspace_id()).await?;
        people.sort_by_cached_key(|p| latvian_order(&p.name));
        if !caller.may(Action::ViewPersonalData) {
            people.iter_mut().for_each(|p| p.email = None);
        }
        Ok(people)
    }

    /// Adds a person, with a first membership when a body is given.
    pub async fn add_person(&self, caller: &Caller, input: &PersonInput) -> Result<Person, Refusal> {
        caller.require(Action::ManageGroup)?;
        let new = input.validate()?;
        Ok(self
            .store
            .create_person(&caller.actor(), caller.workspace_id(), &new)
            .await?)
    }

    /// Every membership in the management group, the core and the wider group, past ones too.
    pub async fn members(&self, caller: &Caller) -> Result<Vec<MemberRow>, Refusal> {
        caller.require(Action::ViewGroup)?;
        Ok(self.store.members(caller.workspace_id()).await?)
    }

    pub async fn add_membership(&self, caller: &Caller, input: &MembershipInput) -> Result<Membership, Refusal> {
        caller.require(Action::ManageGroup)?;
        let (person_id, new) = input.validate()?;
        let actor = caller.actor();
        Ok(self
            .store
            .add_membership(&actor, caller.workspace_id(), person_id, &new)
            .await?)
    }

    /// Ends a membership on a day not before it began.
    pub async fn end_membership(
        &self,
        caller: &Caller,
        id: i64,
        input: &EndMembershipInput,
    ) -> Result<Membership, Refusal> {
        caller.require(Action::ManageGroup)?;
        let workspace = caller.workspace_id();
        let membership = self.store.membership(workspace, id).await?.ok_or(Refusal::NotFound)?;
        let until = input.validate(membership.from_date)?;
        Ok(self.store.end_membership(&caller.actor(), workspace, id, until).await?)
    }

    pub async fn stakeholders(&self, caller: &Caller) -> Result<Vec<Stakeholder>, Refusal> {
        caller.require(Action::ViewStakeholders)?;
        Ok(self.store.stakeholders(caller.workspace_id()).await?)
    }

    /// Records an organisation's power and interest; a new assessment replaces the last.
    pub async fn assess_stakeholder(&self, caller: &Caller, input: &StakeholderInput) -> Result<Stakeholder, Refusal> {
        caller.require(Action::ManageGroup)?;
        let new = input.validate()?;
        Ok(self
            .store
            .assess_stakeholder(&caller.actor(), caller.workspace_id(), &new)
            .await?)
    }

    /// How many events the workspace's audit log holds.
    pub async fn audit_event_count(&self, caller: &Caller) -> Result<i64, Refusal> {
        caller.require(Action::ViewAuditLog)?;
        let workspace = caller.workspace_id();
        Ok(self
            .kept_count(workspace, "audit events", &[], || {
                self.store.audit_event_count(workspace)
            })
            .await?)
    }

    /// The workspace's audit events, the newest first, skipping `offset`.
    pub async fn audit_events(&self, caller: &Caller, limit: i64, offset: i64) -> Result<Vec<AuditEvent>, Refusal> {
        caller.require(Action::ViewAuditLog)?;
        Ok(self.store.audit_events(caller.workspace_id(), limit, offset).await?)
    }

    /// Checks the whole chain, from its first event: every hash, and that none is missing.
    pub async fn verify_audit_chain(&self, caller: &Caller) -> Result<ChainReport, Refusal> {
        caller.require(Action::ViewAuditLog)?;
        Ok(self.store.verify_audit_chain().await?)
    }
}
