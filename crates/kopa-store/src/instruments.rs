//! Instruments: the workspace's rules, each instrument with its records, approval,
//! declarations, publication and documents, the gates between its statuses, and its file.
//! Every record is logged whole, so the audit pack can tell whether it was changed since.

use chrono::{DateTime, NaiveDate, Utc};
use kopa_domain::Invalid;
use kopa_domain::audit::AuditAction;
use kopa_domain::cooperation::instrument::{
    Approval, Declaration, Document, Evidence, Instrument, InstrumentStatus, InstrumentStep, NewApproval,
    NewDeclaration, NewDocument, NewInstrument, Publication, Step,
};
use kopa_domain::cooperation::rules::Rules;
use kopa_domain::meeting::{Outcome, Votes};
use kopa_domain::validation::Code;
use sqlx::FromRow;

use crate::audit::change;
use crate::db::{in_transaction, on_pool, record_change};
use crate::files::Which;
use crate::{Actor, Result, Store, StoreError, code, json, read_all, snapshot};

#[derive(FromRow)]
struct InstrumentRow {
    id: i64,
    workspace_id: i64,
    initiative_id: i64,
    partner_id: i64,
    kind: String,
    subject: String,
    purpose: String,
    value_cents: i64,
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
    status: String,
    third_party_justification: Option<String>,
    offered: bool,
    is_example: bool,
}

impl TryFrom<InstrumentRow> for Instrument {
    type Error = StoreError;

    fn try_from(r: InstrumentRow) -> Result<Instrument> {
        Ok(Instrument {
            id: r.id,
            workspace_id: r.workspace_id,
            initiative_id: r.initiative_id,
            partner_id: r.partner_id,
            kind: code("instruments", "kind", &r.id, &r.kind)?,
            subject: r.subject,
            purpose: r.purpose,
            value_cents: r.value_cents,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            status: code("instruments", "status", &r.id, &r.status)?,
            third_party_justification: r.third_party_justification,
            offered: r.offered,
            is_example: r.is_example,
        })
    }
}

const INSTRUMENT_COLUMNS: &str = "id, workspace_id, initiative_id, partner_id, kind, subject, purpose, value_cents, \
     starts_on, ends_on, status, third_party_justification, offered, is_example";

#[derive(FromRow)]
pub(crate) struct ApprovalRow {
    pub instrument_id: i64,
    body: String,
    decision_number: String,
    decided_on: NaiveDate,
    official_person_id: i64,
    official_name: String,
    votes_for: Option<i64>,
    votes_against: Option<i64>,
    votes_abstain: Option<i64>,
    meeting_decision_id: Option<i64>,
}

impl TryFrom<ApprovalRow> for Approval {
    type Error = StoreError;

    fn try_from(r: ApprovalRow) -> Result<Approval> {
        let votes = match (r.votes_for, r.votes_against, r.votes_abstain) {
            (Some(votes_for), Some(against), Some(abstain)) => Some(Votes {
                votes_for,
                against,
                abstain,
            }),
            _ => None,
        };
        Ok(Approval {
            body: code("instrument_approvals", "body", &r.instrument_id, &r.body)?,
            decision_number: r.decision_number,
            decided_on: r.decided_on,
            official_person_id: r.official_person_id,
            official_name: r.official_name,
            votes,
            meeting_decision_id: r.meeting_decision_id,
        })
    }
}

#[derive(FromRow)]
pub(crate) struct StepRow {
    pub id: i64,
    pub instrument_id: i64,
    pub from_status: Option<String>,
    pub to_status: String,
    pub reason: String,
    pub actor_label: String,
    pub at: DateTime<Utc>,
    pub took_effect_on: Option<NaiveDate>,
}

/// How an instrument comes to be: drafted by the municipality, or offered by the partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Drafted,
    Offered,
}

/// Inside the transaction `$tx`: moves the status if it is still where it was, records the
/// step, and logs the whole instrument.
macro_rules! move_status {
    ($store:expr, $tx:ident, $actor:expr, $before:expr, $after:expr, $reason:expr, $took_effect_on:expr) => {{
        let (actor, before, after): (&Actor, &Instrument, &Instrument) = ($actor, $before, $after);
        let moved = sqlx::query("UPDATE instruments SET status = $1 WHERE id = $2 AND status = $3")
            .bind(after.status.code())
            .bind(after.id)
            .bind(before.status.code())
            .execute(&mut *$tx)
            .await?
            .rows_affected();
        if moved != 1 {
            return Err(Invalid::single("to", "error-instrument-transition").into());
        }
        sqlx::query(
            "INSERT INTO instrument_steps (instrument_id, from_status, to_status, reason, actor_user_id, actor_label, at, took_effect_on) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(after.id)
        .bind(before.status.code())
        .bind(after.status.code())
        .bind($reason)
        .bind(actor.user_id)
        .bind(&actor.label)
        .bind($store.now())
        .bind($took_effect_on)
        .execute(&mut *$tx)
        .await?;
        record_change!($store, $tx, change(actor, Some(after.workspace_id), "instrument", after.id, AuditAction::Update, snapshot(before), snapshot(after)));
    }};
}

impl Store {
    /// The workspace's rules: its own if it set them, else the Latvian defaults.
    pub async fn cooperation_rules(&self, workspace_id: i64) -> Result<Rules> {
        let text: Option<String> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT rules_json FROM cooperation_rules WHERE workspace_id = $1",
        )
        .bind(workspace_id)
        .fetch_optional(pool)
        .await?);
        match text {
            Some(text) => json("cooperation_rules", "rules_json", &workspace_id, &text),
            None => Ok(Rules::latvian_defaults()),
        }
    }

    pub async fn set_cooperation_rules(&self, actor: &Actor, workspace_id: i64, rules: &Rules) -> Result<()> {
        let before = self.cooperation_rules(workspace_id).await?;
        let text = serde_json::to_string(rules).unwrap_or_default();
        in_transaction!(self, tx => {
            sqlx::query(
                "INSERT INTO cooperation_rules (workspace_id, rules_json) VALUES ($1, $2) \
                 ON CONFLICT (workspace_id) DO UPDATE SET rules_json = excluded.rules_json",
            )
            .bind(workspace_id)
            .bind(&text)
            .execute(&mut *tx)
            .await?;
            record_change!(self, tx, change(actor, Some(workspace_id), "cooperation_rules", workspace_id, AuditAction::Update, snapshot(&before), snapshot(rules)));
        });
        Ok(())
    }

    pub async fn instruments(&self, workspace_id: i64) -> Result<Vec<Instrument>> {
        let sql =
            format!("SELECT {INSTRUMENT_COLUMNS} FROM instruments WHERE workspace_id = $1 ORDER BY created_at, id");
        let rows: Vec<InstrumentRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(workspace_id).fetch_all(pool).await?);
        read_all(rows)
    }

    pub async fn instrument(&self, workspace_id: i64, id: i64) -> Result<Option<Instrument>> {
        let sql = format!("SELECT {INSTRUMENT_COLUMNS} FROM instruments WHERE workspace_id = $1 AND id = $2");
        let row: Option<InstrumentRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(workspace_id).bind(id).fetch_optional(pool).await?);
        row.map(Instrument::try_from).transpose()
    }

    async fn existing_instrument(&self, workspace_id: i64, id: i64) -> Result<Instrument> {
        self.instrument(workspace_id, id)
            .await?
            .ok_or_else(|| StoreError::not_found("instrument", id))
    }

    /// Drafts an instrument for an initiative; a partner's offer is a draft too.
    pub async fn create_instrument(
        &self,
        actor: &Actor,
        workspace_id: i64,
        new: &NewInstrument,
        origin: Origin,
        is_example: bool,
        drafted_on: NaiveDate,
    ) -> Result<Instrument> {
        let mut invalid = Invalid::new();
        if self.initiative(workspace_id, new.initiative_id).await?.is_none() {
            invalid.add("initiative_id", "error-unknown");
        }
        if self.partner(workspace_id, new.partner_id).await?.is_none() {
            invalid.add("partner_id", "error-unknown");
        }
        invalid.into_result()?;
        let reason = match origin {
            Origin::Drafted => "drafted",
            Origin::Offered => "offered by the partner",
        };
        let now = self.now();
        let id = in_transaction!(self, tx => {
            let row: InstrumentRow = sqlx::query_as(&format!(
                "INSERT INTO instruments (workspace_id, initiative_id, partner_id, kind, subject, purpose, value_cents, \
                 starts_on, ends_on, status, offered, is_example, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING {INSTRUMENT_COLUMNS}"
            ))
            .bind(workspace_id)
            .bind(new.initiative_id)
            .bind(new.partner_id)
            .bind(new.kind.code())
            .bind(&new.subject)
            .bind(&new.purpose)
            .bind(new.value_cents)
            .bind(new.starts_on)
            .bind(new.ends_on)
            .bind(InstrumentStatus::Draft.code())
            .bind(origin == Origin::Offered)
            .bind(is_example)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let instrument = Instrument::try_from(row)?;
            sqlx::query(
                "INSERT INTO instrument_steps (instrument_id, from_status, to_status, reason, actor_user_id, actor_label, at, took_effect_on) \
                 VALUES ($1, NULL, $2, $3, $4, $5, $6, $7)",
            )
            .bind(instrument.id)
            .bind(InstrumentStatus::Draft.code())
            .bind(reason)
            .bind(actor.user_id)
            .bind(&actor.label)
            .bind(now)
            .bind(drafted_on)
            .execute(&mut *tx)
            .await?;
            record_change!(self, tx, change(actor, Some(workspace_id), "instrument", instrument.id, AuditAction::Create, None, snapshot(&instrument)));
            instrument.id
        });
        self.existing_instrument(workspace_id, id).await
    }

    /// Changes what an instrument is, while it is a draft or submitted.
    pub async fn update_instrument(
        &self,
        actor: &Actor,
        workspace_id: i64,
        id: i64,
        new: &NewInstrument,
    ) -> Result<Instrument> {
        let before = self.existing_instrument(workspace_id, id).await?;
        if !matches!(before.status, InstrumentStatus::Draft | InstrumentStatus::Submitted) {
            return Err(Invalid::single("status", "error-instrument-settled").into());
        }
        if self.initiative(workspace_id, new.initiative_id).await?.is_none() {
            return Err(Invalid::single("initiative_id", "error-unknown").into());
        }
        if new.partner_id != before.partner_id {
            return Err(Invalid::single("partner_id", "error-partner-fixed").into());
        }
        let after = Instrument {
            initiative_id: new.initiative_id,
            kind: new.kind,
            subject: new.subject.clone(),
            purpose: new.purpose.clone(),
            value_cents: new.value_cents,
            starts_on: new.starts_on,
            ends_on: new.ends_on,
            ..before.clone()
        };
        self.write_instrument(actor, &before, &after).await?;
        self.existing_instrument(workspace_id, id).await
    }

    /// Records why cooperating with a partner that is not an uninvolved third party is
    /// justified; blank clears it.
    pub async fn set_justification(
        &self,
        actor: &Actor,
        workspace_id: i64,
        id: i64,
        justification: Option<String>,
    ) -> Result<Instrument> {
        let before = self.existing_instrument(workspace_id, id).await?;
        if !matches!(before.status, InstrumentStatus::Draft | InstrumentStatus::Submitted) {
            return Err(Invalid::single("status", "error-instrument-settled").into());
        }
        let after = Instrument {
            third_party_justification: justification,
            ..before.clone()
        };
        self.write_instrument(actor, &before, &after).await?;
        self.existing_instrument(workspace_id, id).await
    }

    async fn write_instrument(&self, actor: &Actor, before: &Instrument, after: &Instrument) -> Result<()> {
        in_transaction!(self, tx => {
            sqlx::query(
                "UPDATE instruments SET initiative_id = $1, kind = $2, subject = $3, purpose = $4, value_cents = $5, \
                 starts_on = $6, ends_on = $7, third_party_justification = $8 WHERE id = $9 AND status = $10",
            )
            .bind(after.initiative_id)
            .bind(after.kind.code())
            .bind(&after.subject)
            .bind(&after.purpose)
            .bind(after.value_cents)
            .bind(after.starts_on)
            .bind(after.ends_on)
            .bind(&after.third_party_justification)
            .bind(after.id)
            .bind(before.status.code())
            .execute(&mut *tx)
            .await?;
            record_change!(self, tx, change(actor, Some(after.workspace_id), "instrument", after.id, AuditAction::Update, snapshot(before), snapshot(after)));
        });
        Ok(())
    }

    /// Records what meets one requirement, replacing an earlier record of it.
    pub async fn record_evidence(&self, actor: &Actor, workspace_id: i64, id: i64, evidence: &Evidence) -> Result<()> {
        let instrument = self.existing_instrument(workspace_id, id).await?;
        if !matches!(
            instrument.status,
            InstrumentStatus::Draft | InstrumentStatus::Submitted | InstrumentStatus::Approved
        ) {
            return Err(Invalid::single("status", "error-instrument-settled").into());
        }
        let code = evidence.requirement().code();
        let before = self
            .evidence(id)
            .await?
            .into_iter()
            .find(|e| e.requirement().code() == code);
        let text = serde_json::to_string(evidence).unwrap_or_default();
        in_transaction!(self, tx => {
            sqlx::query(
                "INSERT INTO instrument_evidence (instrument_id, requirement, details_json) VALUES ($1, $2, $3) \
                 ON CONFLICT (instrument_id, requirement) DO UPDATE SET details_json = excluded.details_json",
            )
            .bind(id)
            .bind(code)
            .bind(&text)
            .execute(&mut *tx)
            .await?;
            let action = if before.is_some() { AuditAction::Update } else { AuditAction::Create };
            record_change!(self, tx, change(actor, Some(workspace_id), "instrument_evidence", id, action, before.as_ref().and_then(snapshot), snapshot(evidence)));
        });
        Ok(())
    }

    pub async fn evidence(&self, id: i64) -> Result<Vec<Evidence>> {
        Ok(self.evidence_of(Which::One(id)).await?.remove(&id).unwrap_or_default())
    }

    pub async fn approval(&self, id: i64) -> Result<Option<Approval>> {
        Ok(self.approvals_of(Which::One(id)).await?.remove(&id))
    }

    /// The approval gate. The official is a person of the group; the vote is typed, or
    /// taken from a recorded meeting decision of the workspace. When the gate refuses,
    /// every missing requirement is named and nothing is written.
    pub async fn approve_instrument(
        &self,
        actor: &Actor,
        workspace_id: i64,
        id: i64,
        new: &NewApproval,
        today: NaiveDate,
    ) -> Result<Instrument> {
        let official = self
            .people(workspace_id)
            .await?
            .into_iter()
            .find(|p| p.id == new.official_person_id)
            .ok_or_else(|| Invalid::single("official_person_id", "error-unknown"))?;
        let votes = match new.meeting_decision_id {
            Some(decision_id) => {
                let decision = self
                    .decision_in_workspace(workspace_id, decision_id)
                    .await?
                    .ok_or_else(|| Invalid::single("meeting_decision_id", "error-unknown"))?;
                if decision.outcome != Outcome::Adopted {
                    return Err(Invalid::single("meeting_decision_id", "gate-vote-not-carried").into());
                }
                Some(decision.votes)
            }
            None => new.typed_votes,
        };
        let approval = Approval {
            body: new.body,
            decision_number: new.decision_number.clone(),
            decided_on: new.decided_on,
            official_person_id: official.id,
            official_name: official.name.clone(),
            votes,
            meeting_decision_id: new.meeting_decision_id,
        };
        let file = self
            .instrument_file(workspace_id, id, today)
            .await?
            .ok_or_else(|| StoreError::not_found("instrument", id))?;
        // The partner's standing on the day the decision was taken.
        let standing = self.standing(file.partner.id, new.decided_on).await?;
        let dossier = kopa_domain::cooperation::rules::Dossier {
            standing: &standing,
            ..file.dossier()
        };
        dossier.check_approval(&file.rules, &approval)?;
        Step {
            to: InstrumentStatus::Approved,
            reason: String::new(),
            took_effect_on: new.decided_on,
        }
        .check_after(&file.steps)
        .map_err(|_| Invalid::single("decided_on", "error-step-before-previous"))?;
        let before = file.instrument.clone();
        let after = Instrument {
            status: InstrumentStatus::Approved,
            ..before.clone()
        };
        let reason = format!("{} {}", approval.body.code(), approval.decision_number);
        in_transaction!(self, tx => {
            move_status!(self, tx, actor, &before, &after, &reason, new.decided_on);
            sqlx::query(
                "INSERT INTO instrument_approvals (instrument_id, body, decision_number, decided_on, official_person_id, \
                 official_name, votes_for, votes_against, votes_abstain, meeting_decision_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(id)
            .bind(approval.body.code())
            .bind(&approval.decision_number)
            .bind(approval.decided_on)
            .bind(approval.official_person_id)
            .bind(&approval.official_name)
            .bind(approval.votes.map(|v| v.votes_for))
            .bind(approval.votes.map(|v| v.against))
            .bind(approval.votes.map(|v| v.abstain))
            .bind(approval.meeting_decision_id)
            .execute(&mut *tx)
            .await?;
            record_change!(self, tx, change(actor, Some(workspace_id), "instrument_approval", id, AuditAction::Create, None, snapshot(&approval)));
        });
        self.existing_instrument(workspace_id, id).await
    }

    /// Moves an instrument one step other than approval: submitting, activating (through
    /// the activation gate), completing, rejecting, terminating, or back to draft.
    pub async fn move_instrument(
        &self,
        actor: &Actor,
        workspace_id: i64,
        id: i64,
        step: &Step,
        today: NaiveDate,
    ) -> Result<Instrument> {
        let file = self
            .instrument_file(workspace_id, id, today)
            .await?
            .ok_or_else(|| StoreError::not_found("instrument", id))?;
        let before = file.instrument.clone();
        let to = step.to;
        if to == InstrumentStatus::Approved {
            return Err(Invalid::single("to", "error-approve-with-decision").into());
        }
        if !before.status.may_move_to(to) {
            return Err(Invalid::single("to", "error-instrument-transition").into());
        }
        step.check_after(&file.steps)?;
        if to == InstrumentStatus::Active {
            file.dossier().check_activation(&file.rules)?;
        }
        let after = Instrument {
            status: to,
            ..before.clone()
        };
        in_transaction!(self, tx => {
            move_status!(self, tx, actor, &before, &after, &step.reason, step.took_effect_on);
        });
        self.existing_instrument(workspace_id, id).await
    }

    pub async fn instrument_steps(&self, id: i64) -> Result<Vec<InstrumentStep>> {
        Ok(self.steps_of(Which::One(id)).await?.remove(&id).unwrap_or_default())
    }

    /// An official declares an interest in an instrument, and is recused from approving it.
    pub async fn declare_interest(
        &self,
        actor: &Actor,
        workspace_id: i64,
        id: i64,
        new: &NewDeclaration,
    ) -> Result<Declaration> {
        self.existing_instrument(workspace_id, id).await?;
        let person = self
            .people(workspace_id)
            .await?
            .into_iter()
            .find(|p| p.id == new.person_id)
            .ok_or_else(|| Invalid::single("person_id", "error-unknown"))?;
        let declaration = in_transaction!(self, tx => {
            let declaration_id: i64 = sqlx::query_scalar(
                "INSERT INTO instrument_declarations (instrument_id, person_id, interest, declared_on) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(id)
            .bind(person.id)
            .bind(&new.interest)
            .bind(new.declared_on)
            .fetch_one(&mut *tx)
            .await?;
            let declaration = Declaration {
                id: declaration_id,
                person_id: person.id,
                person_name: person.name.clone(),
                interest: new.interest.clone(),
                declared_on: new.declared_on,
            };
            record_change!(self, tx, change(actor, Some(workspace_id), "instrument_declaration", declaration_id, AuditAction::Create, None, snapshot(&declaration)));
            declaration
        });
        Ok(declaration)
    }

    pub async fn declarations(&self, id: i64) -> Result<Vec<Declaration>> {
        Ok(self
            .declarations_of(Which::One(id))
            .await?
            .remove(&id)
            .unwrap_or_default())
    }

    /// Records where and when an accepted instrument was published.
    pub async fn publish_instrument(
        &self,
        actor: &Actor,
        workspace_id: i64,
        id: i64,
        publication: &Publication,
    ) -> Result<()> {
        let instrument = self.existing_instrument(workspace_id, id).await?;
        let rules = self.cooperation_rules(workspace_id).await?;
        if !rules.publishes(instrument.kind) {
            return Err(Invalid::single("published_on", "error-not-published-kind").into());
        }
        let Some(approval) = self.approval(id).await? else {
            return Err(Invalid::single("published_on", "error-publish-after-approval").into());
        };
        if publication.published_on < approval.decided_on {
            return Err(Invalid::single("published_on", "error-publish-after-approval").into());
        }
        let before = self.publication(id).await?;
        in_transaction!(self, tx => {
            sqlx::query(
                "INSERT INTO instrument_publications (instrument_id, published_on, place) VALUES ($1, $2, $3) \
                 ON CONFLICT (instrument_id) DO UPDATE SET published_on = excluded.published_on, place = excluded.place",
            )
            .bind(id)
            .bind(publication.published_on)
            .bind(&publication.place)
            .execute(&mut *tx)
            .await?;
            let action = if before.is_some() { AuditAction::Update } else { AuditAction::Create };
            record_change!(self, tx, change(actor, Some(workspace_id), "instrument_publication", id, action, before.as_ref().and_then(snapshot), snapshot(publication)));
        });
        Ok(())
    }

    pub async fn publication(&self, id: i64) -> Result<Option<Publication>> {
        Ok(self.publications_of(Which::One(id)).await?.remove(&id))
    }

    pub async fn add_document(&self, actor: &Actor, workspace_id: i64, id: i64, new: &NewDocument) -> Result<Document> {
        self.existing_instrument(workspace_id, id).await?;
        let document = in_transaction!(self, tx => {
            let document_id: i64 = sqlx::query_scalar(
                "INSERT INTO instrument_documents (instrument_id, title, reference, dated_on) VALUES ($1, $2, $3, $4) \
                 RETURNING id",
            )
            .bind(id)
            .bind(&new.title)
            .bind(&new.reference)
            .bind(new.dated_on)
            .fetch_one(&mut *tx)
            .await?;
            let document = Document {
                id: document_id,
                title: new.title.clone(),
                reference: new.reference.clone(),
                dated_on: new.dated_on,
            };
            record_change!(self, tx, change(actor, Some(workspace_id), "instrument_document", document_id, AuditAction::Create, None, snapshot(&document)));
            document
        });
        Ok(document)
    }

    pub async fn documents(&self, id: i64) -> Result<Vec<Document>> {
        Ok(self.documents_of(Which::One(id)).await?.remove(&id).unwrap_or_default())
    }
}
