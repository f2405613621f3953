//! An instrument's file: everything recorded about it, as its page shows it and its audit
//! pack holds it, and the check that each record still matches what the audit log says was
//! written.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::instrument::{
    Approval, ApprovalBody, Declaration, Document, Evidence, Instrument, InstrumentKind, InstrumentStatus,
    InstrumentStep, Requirement,
};
use super::obligation::{Inspection, Obligation};
use super::partner::{Partner, Standing};
use super::rules::{Dossier, PublicationDuty, Rules, Stage};
use crate::audit::AuditEvent;
use crate::validation::Code;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct InstrumentFile {
    pub instrument: Instrument,
    pub initiative_title: String,
    pub partner: Partner,
    /// The partner's standing on the approval's date, or today before approval.
    pub standing: Standing,
    /// The workspace's rules for this kind of instrument.
    pub rules: Rules,
    pub evidence: Vec<Evidence>,
    pub approval: Option<Approval>,
    pub declarations: Vec<Declaration>,
    /// The duty to publish, once an instrument that must be published is accepted.
    pub publication: Option<PublicationDuty>,
    pub documents: Vec<Document>,
    pub obligations: Vec<Obligation>,
    pub inspections: Vec<Inspection>,
    pub steps: Vec<InstrumentStep>,
}

/// One line of an instrument's checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ChecklistItem {
    pub requirement: Requirement,
    pub stage: Stage,
    pub met: bool,
}

impl InstrumentFile {
    pub fn dossier(&self) -> Dossier<'_> {
        Dossier {
            instrument: &self.instrument,
            standing: &self.standing,
            evidence: &self.evidence,
            approval: self.approval.as_ref(),
            declarations: &self.declarations,
            obligations: self.obligations.len(),
        }
    }

    /// What the rules ask of this instrument before approval and before activation, and
    /// whether each is met.
    pub fn checklist(&self) -> Vec<ChecklistItem> {
        let dossier = self.dossier();
        [Stage::Approval, Stage::Activation]
            .into_iter()
            .flat_map(|stage| {
                let missing = dossier.missing(&self.rules, stage);
                self.rules
                    .needed(self.instrument.kind, stage)
                    .into_iter()
                    .map(move |requirement| ChecklistItem {
                        requirement,
                        stage,
                        met: !missing.contains(&requirement),
                    })
            })
            .collect()
    }

    /// The gate the instrument waits at, and what it still lacks to pass: approval while it
    /// is submitted, activation once approved. `None` when it waits at no gate or lacks nothing.
    pub fn held_at(&self) -> Option<(Stage, Vec<Requirement>)> {
        let stage = match self.instrument.status {
            InstrumentStatus::Submitted => Stage::Approval,
            InstrumentStatus::Approved => Stage::Activation,
            _ => return None,
        };
        let missing: Vec<Requirement> = self
            .checklist()
            .into_iter()
            .filter(|item| item.stage == stage && !item.met)
            .map(|item| item.requirement)
            .collect();
        (!missing.is_empty()).then_some((stage, missing))
    }

    pub fn evidence_for(&self, requirement: Requirement) -> Option<&Evidence> {
        self.evidence.iter().find(|e| e.requirement() == requirement)
    }

    pub fn is_recused(&self, person_id: i64) -> bool {
        self.dossier().is_recused(person_id)
    }

    /// Inspections of one obligation, newest first.
    pub fn inspections_of(&self, obligation_id: i64) -> Vec<&Inspection> {
        let mut found: Vec<&Inspection> = self
            .inspections
            .iter()
            .filter(|i| i.obligation_id == obligation_id)
            .collect();
        found.sort_by_key(|i| std::cmp::Reverse((i.inspected_on, i.id)));
        found
    }

    /// Overdue publication, missed inspections and unremedied findings on `today`.
    pub fn flags(&self, today: NaiveDate) -> Vec<Flag> {
        let mut flags = Vec::new();
        if let Some(duty) = &self.publication
            && duty.is_overdue(today)
        {
            flags.push(Flag::PublicationOverdue {
                deadline: duty.deadline,
            });
        }
        if self.instrument.status == super::instrument::InstrumentStatus::Active {
            for obligation in &self.obligations {
                if obligation.inspection_missed(&self.inspections, today)
                    && let Some(due) = obligation.next_inspection(&self.inspections)
                {
                    flags.push(Flag::InspectionMissed {
                        obligation: obligation.title.clone(),
                        due,
                    });
                }
            }
        }
        for inspection in &self.inspections {
            if inspection.is_unremedied(today) {
                flags.push(Flag::FindingUnremedied {
                    inspected_on: inspection.inspected_on,
                    due: inspection.remedy_due.unwrap_or(inspection.inspected_on),
                });
            }
        }
        flags
    }

    /// Compares every record with the last thing the audit log says was written to it.
    /// Each mismatch names the record: something changed it outside Kopa.
    pub fn records_not_matching(&self, trail: &[AuditEvent]) -> Vec<String> {
        let latest = |entity: &str, id: i64, key: Option<(&str, &str)>| -> Option<serde_json::Value> {
            trail
                .iter()
                .rev()
                .filter(|e| e.entity == entity && e.entity_id == id)
                .filter_map(|e| e.after.as_deref())
                .filter_map(|text| serde_json::from_str::<serde_json::Value>(text).ok())
                .find(|value| key.is_none_or(|(field, code)| value.get(field).and_then(|v| v.as_str()) == Some(code)))
        };
        let mut mismatches = Vec::new();
        let mut compare = |label: String, stored: serde_json::Value, logged: Option<serde_json::Value>| {
            if logged.as_ref() != Some(&stored) {
                mismatches.push(label);
            }
        };
        let id = self.instrument.id;
        compare(
            format!("instrument {id}"),
            json(&self.instrument),
            latest("instrument", id, None),
        );
        if let Some(approval) = &self.approval {
            compare(
                format!("approval of instrument {id}"),
                json(approval),
                latest("instrument_approval", id, None),
            );
        }
        for evidence in &self.evidence {
            let code = evidence.requirement().code();
            compare(
                format!("{code} of instrument {id}"),
                json(evidence),
                latest("instrument_evidence", id, Some(("requirement", code))),
            );
        }
        if let Some(publication) = self.publication.as_ref().and_then(|d| d.publication.as_ref()) {
            compare(
                format!("publication of instrument {id}"),
                json(publication),
                latest("instrument_publication", id, None),
            );
        }
        for d in &self.declarations {
            compare(
                format!("declaration {}", d.id),
                json(d),
                latest("instrument_declaration", d.id, None),
            );
        }
        for d in &self.documents {
            compare(
                format!("document {}", d.id),
                json(d),
                latest("instrument_document", d.id, None),
            );
        }
        for o in &self.obligations {
            compare(
                format!("obligation {}", o.id),
                json(o),
                latest("obligation", o.id, None),
            );
        }
        for i in &self.inspections {
            compare(
                format!("inspection {}", i.id),
                json(i),
                latest("inspection", i.id, None),
            );
        }
        mismatches
    }
}

fn json<T: Serialize>(record: &T) -> serde_json::Value {
    serde_json::to_value(record).unwrap_or(serde_json::Value::Null)
}

/// Something a coordinator must act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "flag", rename_all = "snake_case")]
pub enum Flag {
    PublicationOverdue { deadline: NaiveDate },
    InspectionMissed { obligation: String, due: NaiveDate },
    FindingUnremedied { inspected_on: NaiveDate, due: NaiveDate },
}

/// An accepted agreement as the public register shows it: what a business committed, for
/// what and how much, how it was approved and published, what it owes the public, and what
/// is overdue. Contacts, owners, evidence and declarations stay in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Agreement {
    pub id: i64,
    pub subject: String,
    pub kind: InstrumentKind,
    pub status: InstrumentStatus,
    pub purpose: String,
    pub value_cents: i64,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub initiative_id: i64,
    pub initiative_title: String,
    pub partner_name: String,
    pub partner_registration_number: Option<String>,
    pub approval_body: Option<ApprovalBody>,
    pub decision_number: Option<String>,
    pub decided_on: Option<NaiveDate>,
    pub publication: Option<PublicationDuty>,
    pub obligations: Vec<Obligation>,
    pub flags: Vec<Flag>,
    /// Invented for the demo, not a real agreement.
    pub is_example: bool,
}

impl InstrumentFile {
    /// The agreement as the public register shows it on `today`, once it is accepted.
    pub fn agreement(&self, today: NaiveDate) -> Option<Agreement> {
        let i = &self.instrument;
        i.status.is_accepted().then(|| Agreement {
            id: i.id,
            subject: i.subject.clone(),
            kind: i.kind,
            status: i.status,
            purpose: i.purpose.clone(),
            value_cents: i.value_cents,
            starts_on: i.starts_on,
            ends_on: i.ends_on,
            initiative_id: i.initiative_id,
            initiative_title: self.initiative_title.clone(),
            partner_name: self.partner.name.clone(),
            partner_registration_number: self.partner.registration_number.clone(),
            approval_body: self.approval.as_ref().map(|a| a.body),
            decision_number: self.approval.as_ref().map(|a| a.decision_number.clone()),
            decided_on: self.approval.as_ref().map(|a| a.decided_on),
            publication: self.publication.clone(),
            obligations: self.obligations.clone(),
            flags: self.flags(today),
            is_example: i.is_example || self.partner.is_example,
        })
    }
}
