//! Cooperation with business: partners with their standing, and instruments through every
//! step of their file, from the draft or the partner's offer to approval, publication,
//! obligations and inspections. The gates themselves are the domain's and the store's; here
//! is who may ask, and in which workspace.

use std::sync::Arc;

use chrono::NaiveDate;
use kopa_domain::Action;
use kopa_domain::cooperation::file::{Agreement, InstrumentFile};
use kopa_domain::cooperation::instrument::{
    ApprovalInput, Declaration, DeclarationInput, Document, DocumentInput, EvidenceInput, Instrument, InstrumentInput,
    JustificationInput, PublicationInput, StepInput,
};
use kopa_domain::cooperation::obligation::{Inspection, InspectionInput, Obligation, ObligationInput, RemedyInput};
use kopa_domain::cooperation::pack::AuditPack;
use kopa_domain::cooperation::partner::{
    ClosingInput, Partner, PartnerAccountInput, PartnerInput, Procedure, ProcedureInput, Standing, TaxCheck,
    TaxCheckInput,
};
use kopa_domain::cooperation::rules::Rules;
use kopa_domain::group::Organisation;
use kopa_domain::meeting::Outcome;
use kopa_domain::notification::NotificationKind;
use kopa_domain::search::latvian_order;
use kopa_domain::validation::Invalid;
use kopa_store::{Album, DecisionInContext, FILE_SOURCES, Origin, PartnerAccount, PhotoInfo};

use crate::photos::{PhotoUpload, Photos};
use crate::{App, Caller, Refusal};

/// How many of the latest decisions an approval may be tied to.
const DECISIONS_OFFERED: i64 = 100;

/// A workspace's instrument files as they stood at a version: the newest change to any of
/// their records, and the day (flags and standings move with it).
pub struct Files {
    pub reach: Reach,
    pub version: (i64, NaiveDate),
    pub files: Arc<Vec<InstrumentFile>>,
}

/// Which instruments' files: every one, for coordinators, or the accepted agreements, for
/// anyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reach {
    Every,
    Accepted,
}

/// A partner as coordinators see it: its standing today, the procedures and tax checks it
/// rests on, and the accounts that act for it.
pub struct PartnerFile {
    pub partner: Partner,
    pub standing: Standing,
    pub procedures: Vec<Procedure>,
    pub tax_checks: Vec<TaxCheck>,
    pub accounts: Vec<PartnerAccount>,
}

impl App {
    /// The workspace's partners with their standing today, for coordinators.
    pub async fn partners(&self, caller: &Caller) -> Result<Vec<(Partner, Standing)>, Refusal> {
        caller.require(Action::ViewCooperation)?;
        let today = self.today(caller);
        let mut partners = self.store.partners_with_standing(caller.workspace_id(), today).await?;
        partners.sort_by_cached_key(|(p, _)| latvian_order(&p.name));
        Ok(partners)
    }

    pub async fn partner_file(&self, caller: &Caller, id: i64) -> Result<PartnerFile, Refusal> {
        caller.require(Action::ViewCooperation)?;
        let store = &self.store;
        let partner = store
            .partner(caller.workspace_id(), id)
            .await?
            .ok_or(Refusal::NotFound)?;
        Ok(PartnerFile {
            standing: store.standing(id, self.today(caller)).await?,
            procedures: store.procedures(id).await?,
            tax_checks: store.tax_checks(id).await?,
            accounts: store.partner_accounts(id).await?,
            partner,
        })
    }

    /// A coordinator adds an organisation of the group to the register of partners.
    pub async fn add_partner(&self, caller: &Caller, input: &PartnerInput) -> Result<Partner, Refusal> {
        caller.require(Action::ManageCooperation)?;
        let new = input.validate()?;
        Ok(self
            .store
            .add_partner(&caller.actor(), caller.workspace_id(), &new)
            .await?)
    }

    /// Changes a partner's owners and contact; the organisation it is stays the same.
    pub async fn update_partner(&self, caller: &Caller, id: i64, input: &PartnerInput) -> Result<Partner, Refusal> {
        let partner = self.partner_to_change(caller, id).await?;
        let input = PartnerInput {
            organisation_id: partner.organisation_id.to_string(),
            ..input.clone()
        };
        let new = input.validate()?;
        Ok(self
            .store
            .update_partner(&caller.actor(), caller.workspace_id(), id, &new)
            .await?)
    }

    /// Records a procedure opened against a partner (insolvency, a sanction, a tax debt case).
    pub async fn open_procedure(
        &self,
        caller: &Caller,
        partner_id: i64,
        input: &ProcedureInput,
    ) -> Result<Procedure, Refusal> {
        self.partner_to_change(caller, partner_id).await?;
        let new = input.validate()?;
        let actor = caller.actor();
        Ok(self
            .store
            .add_procedure(&actor, caller.workspace_id(), partner_id, &new)
            .await?)
    }

    pub async fn close_procedure(&self, caller: &Caller, partner_id: i64, input: &ClosingInput) -> Result<(), Refusal> {
        self.partner_to_change(caller, partner_id).await?;
        let (procedure, closed_on) = input.validate()?;
        let actor = caller.actor();
        let workspace = caller.workspace_id();
        Ok(self
            .store
            .close_procedure(&actor, workspace, partner_id, procedure, closed_on)
            .await?)
    }

    /// Records a check of the partner's tax debts, as the tax office answered it.
    pub async fn record_tax_check(
        &self,
        caller: &Caller,
        partner_id: i64,
        input: &TaxCheckInput,
    ) -> Result<TaxCheck, Refusal> {
        self.partner_to_change(caller, partner_id).await?;
        let new = input.validate(self.today(caller))?;
        let actor = caller.actor();
        Ok(self
            .store
            .add_tax_check(&actor, caller.workspace_id(), partner_id, &new)
            .await?)
    }

    /// Lets an account act for a partner: offer instruments and follow them.
    pub async fn link_partner_account(
        &self,
        caller: &Caller,
        partner_id: i64,
        input: &PartnerAccountInput,
    ) -> Result<PartnerAccount, Refusal> {
        self.partner_to_change(caller, partner_id).await?;
        let email = input.validate()?;
        let actor = caller.actor();
        Ok(self
            .store
            .link_partner_account(&actor, caller.workspace_id(), partner_id, &email)
            .await?)
    }

    async fn partner_to_change(&self, caller: &Caller, id: i64) -> Result<Partner, Refusal> {
        caller.require(Action::ManageCooperation)?;
        self.store
            .partner(caller.workspace_id(), id)
            .await?
            .ok_or(Refusal::NotFound)
    }

    /// The gates the workspace's rules set for each kind of instrument.
    pub async fn cooperation_rules(&self, caller: &Caller) -> Result<Rules, Refusal> {
        caller.require(Action::ViewCooperation)?;
        Ok(self.store.cooperation_rules(caller.workspace_id()).await?)
    }

    /// Replaces the workspace's rules; `None` puts the Latvian defaults back.
    pub async fn set_cooperation_rules(&self, caller: &Caller, rules: Option<&Rules>) -> Result<(), Refusal> {
        caller.require(Action::ManageCooperation)?;
        let defaults = Rules::latvian_defaults();
        let rules = rules.unwrap_or(&defaults);
        Ok(self
            .store
            .set_cooperation_rules(&caller.actor(), caller.workspace_id(), rules)
            .await?)
    }

    /// Every instrument's file as it stands today, for coordinators.
    pub async fn instrument_files(&self, caller: &Caller) -> Result<Files, Refusal> {
        caller.require(Action::ViewCooperation)?;
        self.files_today(caller, Reach::Every).await
    }

    /// Every instrument's file, for auditors choosing a pack.
    pub async fn audited_files(&self, caller: &Caller) -> Result<Files, Refusal> {
        caller.require(Action::ViewAuditPacks)?;
        self.files_today(caller, Reach::Every).await
    }

    /// An instrument's audit pack: its file, the audit trail of each record, and whether the
    /// chain and each record check out.
    pub async fn audit_pack(&self, caller: &Caller, id: i64) -> Result<AuditPack, Refusal> {
        caller.require(Action::ViewAuditPacks)?;
        let today = self.today(caller);
        self.store
            .audit_pack(caller.workspace_id(), id, today)
            .await?
            .ok_or(Refusal::NotFound)
    }

    /// The files of the accepted agreements, which the public register shows to anyone.
    pub async fn accepted_files(&self, caller: &Caller) -> Result<Files, Refusal> {
        caller.require(Action::ViewPublished)?;
        self.files_today(caller, Reach::Accepted).await
    }

    /// The public register as open data: every accepted agreement as anyone may see it.
    pub async fn agreements(&self, caller: &Caller) -> Result<Vec<Agreement>, Refusal> {
        let files = self.accepted_files(caller).await?;
        let today = self.today(caller);
        Ok(files.files.iter().filter_map(|file| file.agreement(today)).collect())
    }

    /// The files of the partners a business account acts for.
    pub async fn own_files(&self, caller: &Caller) -> Result<Vec<InstrumentFile>, Refusal> {
        let partners = self.own_partners(caller).await?;
        let every = self.files_today(caller, Reach::Every).await?;
        let own = every
            .files
            .iter()
            .filter(|f| partners.iter().any(|p| p.id == f.partner.id));
        Ok(own.cloned().collect())
    }

    /// One instrument of the partners a business account acts for, with all it still lacks;
    /// any other instrument is not found.
    pub async fn own_file(&self, caller: &Caller, id: i64) -> Result<InstrumentFile, Refusal> {
        let own = self.own_files(caller).await?;
        own.into_iter().find(|f| f.instrument.id == id).ok_or(Refusal::NotFound)
    }

    /// The files read once, and again only after one of their records changes or the day
    /// turns, so that lists of them do not read and check every file on every request.
    async fn files_today(&self, caller: &Caller, reach: Reach) -> Result<Files, Refusal> {
        let (workspace, today) = (caller.workspace_id(), self.today(caller));
        let version = (self.version_of(workspace, FILE_SOURCES).await?, today);
        let every = || async {
            let files = self.files.get((workspace, Reach::Every), version, || async {
                Ok::<_, Refusal>(self.store.instrument_files(workspace, today).await?)
            });
            files.await
        };
        let files = match reach {
            Reach::Every => every().await?,
            Reach::Accepted => {
                let accepted = || async {
                    let every = every().await?;
                    let accepted = every.iter().filter(|f| f.instrument.status.is_accepted());
                    Ok::<_, Refusal>(accepted.cloned().collect())
                };
                self.files.get((workspace, reach), version, accepted).await?
            }
        };
        Ok(Files { reach, version, files })
    }

    /// An instrument's file as it stands today: the partner, every record, and its flags.
    pub async fn instrument_file(&self, caller: &Caller, id: i64) -> Result<InstrumentFile, Refusal> {
        caller.require(Action::ViewCooperation)?;
        let today = self.today(caller);
        self.store
            .instrument_file(caller.workspace_id(), id, today)
            .await?
            .ok_or(Refusal::NotFound)
    }

    /// The photos of every inspection of instrument `id`, oldest first; none for an instrument
    /// of another workspace.
    pub async fn inspection_photos(&self, caller: &Caller, id: i64) -> Result<Vec<PhotoInfo>, Refusal> {
        caller.require(Action::ViewCooperation)?;
        Ok(self
            .store
            .instrument_inspection_photos(caller.workspace_id(), id)
            .await?)
    }

    /// One photo of an inspection in this workspace, as stored: its content type and bytes.
    pub async fn inspection_photo(
        &self,
        caller: &Caller,
        inspection: i64,
        photo: i64,
    ) -> Result<(String, Vec<u8>), Refusal> {
        caller.require(Action::ViewAuditPacks)?;
        if !self.store.inspection_in(caller.workspace_id(), inspection).await? {
            return Err(Refusal::NotFound);
        }
        let found = self
            .store
            .photo_bytes(Album::Inspection(inspection), photo, false)
            .await?;
        found.ok_or(Refusal::NotFound)
    }

    /// The latest decisions the group adopted, newest first: those an approval may rest on,
    /// since it follows its sitting closely.
    pub async fn approval_decisions(&self, caller: &Caller) -> Result<Vec<DecisionInContext>, Refusal> {
        caller.require(Action::ViewCooperation)?;
        let decisions = self
            .store
            .workspace_decisions(caller.workspace_id(), true, DECISIONS_OFFERED);
        let decisions = decisions.await?.into_iter();
        Ok(decisions.filter(|d| d.decision.outcome == Outcome::Adopted).collect())
    }

    /// The organisations of the group that are not yet partners, for the form that adds one.
    pub async fn partner_candidates(&self, caller: &Caller) -> Result<Vec<Organisation>, Refusal> {
        caller.require(Action::ManageCooperation)?;
        Ok(self.store.organisations_without_partner(caller.workspace_id()).await?)
    }

    /// A coordinator drafts an instrument for an initiative with a partner.
    pub async fn draft_instrument(&self, caller: &Caller, input: &InstrumentInput) -> Result<Instrument, Refusal> {
        caller.require(Action::ManageCooperation)?;
        let new = input.validate()?;
        let actor = caller.actor();
        Ok(self
            .store
            .create_instrument(
                &actor,
                caller.workspace_id(),
                &new,
                Origin::Drafted,
                false,
                self.today(caller),
            )
            .await?)
    }

    /// A business offers an instrument, only in the name of a partner its account acts for.
    pub async fn offer_instrument(&self, caller: &Caller, input: &InstrumentInput) -> Result<Instrument, Refusal> {
        caller.require(Action::OfferCooperation)?;
        let user = caller.signed_in()?;
        let new = input.validate()?;
        let partners = self.store.partners_of_account(caller.workspace_id(), user).await?;
        if !partners.iter().any(|p| p.id == new.partner_id) {
            return Err(Invalid::single("partner_id", "error-not-your-partner").into());
        }
        let actor = caller.actor();
        let offered = self
            .store
            .create_instrument(
                &actor,
                caller.workspace_id(),
                &new,
                Origin::Offered,
                false,
                self.today(caller),
            )
            .await?;
        let link = format!("/w/{}/cooperation/instruments/{}", caller.workspace.slug, offered.id);
        self.tell_coordinators(caller, NotificationKind::Offer, &offered.subject, link)
            .await;
        Ok(offered)
    }

    /// The partners a business account acts for.
    pub async fn own_partners(&self, caller: &Caller) -> Result<Vec<Partner>, Refusal> {
        caller.require(Action::OfferCooperation)?;
        let user = caller.signed_in()?;
        Ok(self.store.partners_of_account(caller.workspace_id(), user).await?)
    }

    pub async fn edit_instrument(
        &self,
        caller: &Caller,
        id: i64,
        input: &InstrumentInput,
    ) -> Result<Instrument, Refusal> {
        self.instrument_to_change(caller, id).await?;
        let new = input.validate()?;
        Ok(self
            .store
            .update_instrument(&caller.actor(), caller.workspace_id(), id, &new)
            .await?)
    }

    /// Moves an instrument one step through its gates, with the reason.
    pub async fn move_instrument(&self, caller: &Caller, id: i64, input: &StepInput) -> Result<Instrument, Refusal> {
        self.instrument_to_change(caller, id).await?;
        let today = self.today(caller);
        let step = input.validate(today)?;
        let actor = caller.actor();
        Ok(self
            .store
            .move_instrument(&actor, caller.workspace_id(), id, &step, today)
            .await?)
    }

    /// Records the approval: the body, its decision and the vote, typed or taken from a
    /// recorded meeting decision. It passes only the approval gate.
    pub async fn approve_instrument(
        &self,
        caller: &Caller,
        id: i64,
        input: &ApprovalInput,
    ) -> Result<Instrument, Refusal> {
        self.instrument_to_change(caller, id).await?;
        let today = self.today(caller);
        let new = input.validate(today)?;
        let actor = caller.actor();
        Ok(self
            .store
            .approve_instrument(&actor, caller.workspace_id(), id, &new, today)
            .await?)
    }

    /// Records, or withdraws when blank, why working with an involved partner is justified.
    pub async fn justify_instrument(
        &self,
        caller: &Caller,
        id: i64,
        input: &JustificationInput,
    ) -> Result<Instrument, Refusal> {
        self.instrument_to_change(caller, id).await?;
        let text = input.validate()?;
        Ok(self
            .store
            .set_justification(&caller.actor(), caller.workspace_id(), id, text)
            .await?)
    }

    /// Records what satisfies one of the rules' requirements: a valuation, a selection, a
    /// notice.
    pub async fn record_evidence(&self, caller: &Caller, id: i64, input: &EvidenceInput) -> Result<(), Refusal> {
        self.instrument_to_change(caller, id).await?;
        let evidence = input.validate()?;
        Ok(self
            .store
            .record_evidence(&caller.actor(), caller.workspace_id(), id, &evidence)
            .await?)
    }

    /// An official declares an interest, and is recused from the approval.
    pub async fn declare_interest(
        &self,
        caller: &Caller,
        id: i64,
        input: &DeclarationInput,
    ) -> Result<Declaration, Refusal> {
        self.instrument_to_change(caller, id).await?;
        let new = input.validate(self.today(caller))?;
        Ok(self
            .store
            .declare_interest(&caller.actor(), caller.workspace_id(), id, &new)
            .await?)
    }

    /// Records where and when an accepted donation or sponsorship was made public.
    pub async fn publish_instrument(&self, caller: &Caller, id: i64, input: &PublicationInput) -> Result<(), Refusal> {
        self.instrument_to_change(caller, id).await?;
        let publication = input.validate(self.today(caller))?;
        let actor = caller.actor();
        Ok(self
            .store
            .publish_instrument(&actor, caller.workspace_id(), id, &publication)
            .await?)
    }

    pub async fn file_document(&self, caller: &Caller, id: i64, input: &DocumentInput) -> Result<Document, Refusal> {
        self.instrument_to_change(caller, id).await?;
        let new = input.validate()?;
        Ok(self
            .store
            .add_document(&caller.actor(), caller.workspace_id(), id, &new)
            .await?)
    }

    /// What the partner owes the public under the instrument, and how often it is checked.
    pub async fn add_obligation(
        &self,
        caller: &Caller,
        id: i64,
        input: &ObligationInput,
    ) -> Result<Obligation, Refusal> {
        self.instrument_to_change(caller, id).await?;
        let new = input.validate()?;
        Ok(self
            .store
            .add_obligation(&caller.actor(), caller.workspace_id(), id, &new)
            .await?)
    }

    /// Records an inspection of one of the instrument's obligations.
    pub async fn record_inspection(
        &self,
        caller: &Caller,
        id: i64,
        obligation_id: i64,
        input: &InspectionInput,
    ) -> Result<Inspection, Refusal> {
        self.obligation_to_change(caller, id, obligation_id).await?;
        let new = input.validate(self.today(caller))?;
        let actor = caller.actor();
        Ok(self
            .store
            .add_inspection(&actor, caller.workspace_id(), obligation_id, &new)
            .await?)
    }

    /// Records the day an inspection's finding was put right.
    pub async fn mark_remedied(
        &self,
        caller: &Caller,
        id: i64,
        obligation_id: i64,
        input: &RemedyInput,
    ) -> Result<Inspection, Refusal> {
        self.obligation_to_change(caller, id, obligation_id).await?;
        let (inspection, on) = input.validate(self.today(caller))?;
        let actor = caller.actor();
        let workspace = caller.workspace_id();
        Ok(self
            .store
            .mark_remedied(&actor, workspace, obligation_id, inspection, on)
            .await?)
    }

    /// Adds photos, already checked and re-encoded, to an inspection of the instrument.
    pub async fn add_inspection_photos(
        &self,
        caller: &Caller,
        id: i64,
        inspection_id: i64,
        upload: PhotoUpload,
    ) -> Result<Vec<PhotoInfo>, Refusal> {
        caller.require(Action::ManageCooperation)?;
        let file = self.instrument_file(caller, id).await?;
        if !file.inspections.iter().any(|i| i.id == inspection_id) {
            return Err(Refusal::NotFound);
        }
        let held = self.store.photos(Album::Inspection(inspection_id)).await?.len();
        let Photos { description, photos } = upload.prepare(held).await?;
        let actor = caller.actor();
        let workspace = caller.workspace_id();
        Ok(self
            .store
            .add_inspection_photos(&actor, workspace, inspection_id, description.as_deref(), &photos)
            .await?)
    }

    /// An instrument of this workspace that the caller may change.
    async fn instrument_to_change(&self, caller: &Caller, id: i64) -> Result<Instrument, Refusal> {
        caller.require(Action::ManageCooperation)?;
        self.store
            .instrument(caller.workspace_id(), id)
            .await?
            .ok_or(Refusal::NotFound)
    }

    /// Refuses an obligation that is not the instrument's own.
    async fn obligation_to_change(&self, caller: &Caller, id: i64, obligation_id: i64) -> Result<(), Refusal> {
        self.instrument_to_change(caller, id).await?;
        let obligations = self.store.obligations(id).await?;
        if !obligations.iter().any(|o| o.id == obligation_id) {
            return Err(Refusal::NotFound);
        }
        Ok(())
    }
}
