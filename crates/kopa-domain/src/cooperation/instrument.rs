//! Instruments: the legal forms a business contribution takes, their workflow, and the
//! records that must exist before each is approved and before it becomes active.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::rules::Stage;
use crate::code_enum;
use crate::meeting::Votes;
use crate::validation::{Code, Invalid};

code_enum! {
    /// The legal form of a cooperation.
    InstrumentKind {
        Donation => "donation",
        Sponsorship => "sponsorship",
        CooperationAgreement => "cooperation_agreement",
        LandLease => "land_lease",
        BuildingRight => "building_right",
        PublicPrivatePartnership => "public_private_partnership",
        WorksHandover => "works_handover",
        Procurement => "procurement",
    }
}

code_enum! {
    InstrumentStatus {
        Draft => "draft",
        Submitted => "submitted",
        Approved => "approved",
        Active => "active",
        Completed => "completed",
        Rejected => "rejected",
        Terminated => "terminated",
    }
}

impl InstrumentStatus {
    /// The workflow: draft → submitted → approved → active → completed, or rejected before
    /// approval, or terminated after it. A submitted instrument can go back to draft.
    pub fn may_move_to(self, to: InstrumentStatus) -> bool {
        use InstrumentStatus::*;
        matches!(
            (self, to),
            (Draft, Submitted)
                | (Draft | Submitted, Rejected)
                | (Submitted, Draft)
                | (Submitted, Approved)
                | (Approved, Active)
                | (Approved | Active, Terminated)
                | (Active, Completed)
        )
    }

    /// Instruments a plan counts on: those under review or accepted. A draft is not yet an
    /// offer, and a rejected or terminated one no longer a commitment.
    pub fn belongs_in_plan(self) -> bool {
        self == InstrumentStatus::Submitted || self.is_accepted()
    }

    /// Agreements the public register lists: approved, in force, or completed.
    pub fn is_accepted(self) -> bool {
        matches!(
            self,
            InstrumentStatus::Approved | InstrumentStatus::Active | InstrumentStatus::Completed
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Instrument {
    pub id: i64,
    pub workspace_id: i64,
    pub initiative_id: i64,
    pub partner_id: i64,
    pub kind: InstrumentKind,
    pub subject: String,
    pub purpose: String,
    pub value_cents: i64,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub status: InstrumentStatus,
    /// Why cooperating with a partner that is not an uninvolved third party is justified.
    pub third_party_justification: Option<String>,
    /// Offered by the partner's own account rather than drafted by the municipality.
    pub offered: bool,
    pub is_example: bool,
}

/// One step of an instrument's history: who moved it, when, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct InstrumentStep {
    pub from: Option<InstrumentStatus>,
    pub to: InstrumentStatus,
    pub reason: String,
    pub actor_label: String,
    /// When it was recorded.
    pub at: chrono::DateTime<chrono::Utc>,
    /// The day it took effect: a decision's date, the day of signing. Steps recorded before
    /// Kopa kept it have none.
    pub took_effect_on: Option<NaiveDate>,
}

/// A step asked for: the status to move to, why, and the day it took effect.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct StepInput {
    pub to: String,
    pub reason: String,
    /// "YYYY-MM-DD"; blank is today.
    pub took_effect_on: String,
}

/// A step that may be asked of the workflow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub to: InstrumentStatus,
    pub reason: String,
    pub took_effect_on: NaiveDate,
}

impl Step {
    pub fn new(to: InstrumentStatus, reason: &str, took_effect_on: NaiveDate) -> Step {
        Step {
            to,
            reason: reason.to_owned(),
            took_effect_on,
        }
    }

    /// A step takes effect no earlier than the step before it.
    pub fn check_after(&self, steps: &[InstrumentStep]) -> Result<(), Invalid> {
        let last = steps.iter().filter_map(|s| s.took_effect_on).max();
        match last {
            Some(last) if self.took_effect_on < last => {
                Err(Invalid::single("took_effect_on", "error-step-before-previous"))
            }
            _ => Ok(()),
        }
    }
}

impl StepInput {
    /// The step asked for: a step cannot take effect after `today`. Whether it may be taken
    /// is the workflow's to say.
    pub fn validate(&self, today: NaiveDate) -> Result<Step, Invalid> {
        let mut invalid = Invalid::new();
        let to = invalid.choice("to", &self.to, InstrumentStatus::from_code);
        let reason = invalid.required_text("reason", &self.reason, 2000);
        let on = invalid.optional_date("took_effect_on", &self.took_effect_on);
        if on.is_some_and(|on| on > today) {
            invalid.add("took_effect_on", "error-date-in-future");
        }
        invalid.into_result()?;
        Ok(Step {
            to: to.unwrap_or(InstrumentStatus::Draft),
            reason,
            took_effect_on: on.unwrap_or(today),
        })
    }
}

/// Why working with a partner that is not an uninvolved third party is justified; blank
/// withdraws the justification.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct JustificationInput {
    pub justification: String,
}

impl JustificationInput {
    pub fn validate(&self) -> Result<Option<String>, Invalid> {
        let mut invalid = Invalid::new();
        let text = invalid.optional_text("justification", &self.justification, 4000);
        invalid.into_result()?;
        Ok(text)
    }
}

/// An instrument as a coordinator drafts it, or a partner offers it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct InstrumentInput {
    pub initiative_id: String,
    pub partner_id: String,
    pub kind: String,
    pub subject: String,
    pub purpose: String,
    pub value: String,
    pub starts_on: String,
    pub ends_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewInstrument {
    pub initiative_id: i64,
    pub partner_id: i64,
    pub kind: InstrumentKind,
    pub subject: String,
    pub purpose: String,
    pub value_cents: i64,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
}

impl InstrumentInput {
    pub fn validate(&self) -> Result<NewInstrument, Invalid> {
        let mut invalid = Invalid::new();
        let initiative_id = invalid.number_in("initiative_id", &self.initiative_id, 1..=i64::MAX);
        let partner_id = invalid.number_in("partner_id", &self.partner_id, 1..=i64::MAX);
        let kind = invalid.choice("kind", &self.kind, InstrumentKind::from_code);
        let subject = invalid.required_text("subject", &self.subject, 500);
        let purpose = invalid.required_text("purpose", &self.purpose, 2000);
        let value_cents = invalid.euros("value", &self.value);
        let starts_on = invalid.optional_date("starts_on", &self.starts_on);
        let ends_on = invalid.optional_date("ends_on", &self.ends_on);
        if let (Some(starts), Some(ends)) = (starts_on, ends_on)
            && ends < starts
        {
            invalid.add("ends_on", "error-ends-before-start");
        }
        invalid.into_result()?;
        Ok(NewInstrument {
            initiative_id,
            partner_id,
            kind: kind.unwrap_or(InstrumentKind::CooperationAgreement),
            subject,
            purpose,
            value_cents,
            starts_on,
            ends_on,
        })
    }
}

code_enum! {
    /// How the counterparty was chosen.
    SelectionProcedure {
        Auction => "auction",
        Call => "call",
    }
}

/// A record that satisfies one requirement. Documents are named by their reference: the
/// number and date a municipality files them under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "requirement", rename_all = "snake_case")]
pub enum Evidence {
    Valuation {
        method: String,
        valued_on: NaiveDate,
        document: String,
        value_cents: i64,
    },
    Selection {
        procedure: SelectionProcedure,
        notice_on: NaiveDate,
        bidders: i64,
        winner: String,
        price_cents: i64,
    },
    WrittenAgreement {
        reference: String,
        signed_on: NaiveDate,
    },
    TechnicalConditions {
        issued_by: String,
        reference: String,
        issued_on: NaiveDate,
    },
    Permit {
        reference: String,
        issued_on: NaiveDate,
    },
    ProcurementReference {
        reference: String,
    },
    AcceptanceAct {
        reference: String,
        signed_on: NaiveDate,
    },
    AssetRegister {
        entry: String,
        entered_on: NaiveDate,
    },
}

code_enum! {
    /// Something that must exist, or hold, before an instrument moves on.
    Requirement {
        UninvolvedParty => "uninvolved_party",
        CouncilDecision => "council_decision",
        Valuation => "valuation",
        Selection => "selection",
        WrittenAgreement => "written_agreement",
        TechnicalConditions => "technical_conditions",
        Permit => "permit",
        ProcurementReference => "procurement_reference",
        Obligations => "obligations",
        AcceptanceAct => "acceptance_act",
        AssetRegister => "asset_register",
        Publication => "publication",
    }
}

impl Requirement {
    /// The requirements met by a recorded [`Evidence`], in the order forms show them.
    pub const RECORDED: [Requirement; 8] = [
        Requirement::Valuation,
        Requirement::Selection,
        Requirement::WrittenAgreement,
        Requirement::TechnicalConditions,
        Requirement::Permit,
        Requirement::ProcurementReference,
        Requirement::AcceptanceAct,
        Requirement::AssetRegister,
    ];

    /// The stages a rule may put this requirement at.
    pub fn stages(self) -> &'static [Stage] {
        match self {
            Requirement::Publication => &[Stage::AfterApproval],
            Requirement::UninvolvedParty | Requirement::CouncilDecision => &[Stage::Approval],
            _ => &[Stage::Approval, Stage::Activation],
        }
    }
}

impl Evidence {
    pub fn requirement(&self) -> Requirement {
        match self {
            Evidence::Valuation { .. } => Requirement::Valuation,
            Evidence::Selection { .. } => Requirement::Selection,
            Evidence::WrittenAgreement { .. } => Requirement::WrittenAgreement,
            Evidence::TechnicalConditions { .. } => Requirement::TechnicalConditions,
            Evidence::Permit { .. } => Requirement::Permit,
            Evidence::ProcurementReference { .. } => Requirement::ProcurementReference,
            Evidence::AcceptanceAct { .. } => Requirement::AcceptanceAct,
            Evidence::AssetRegister { .. } => Requirement::AssetRegister,
        }
    }
}

/// Any record's fields as a form sends them; which are needed depends on the requirement.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct EvidenceInput {
    pub requirement: String,
    pub method: String,
    pub document: String,
    pub reference: String,
    pub issued_by: String,
    pub procedure: String,
    pub winner: String,
    pub entry: String,
    #[serde(deserialize_with = "crate::validation::lenient::text")]
    pub bidders: String,
    #[serde(deserialize_with = "crate::validation::lenient::text")]
    pub amount: String,
    /// The record's own date: valued, noticed, signed, issued or entered on.
    pub dated_on: String,
}

impl EvidenceInput {
    pub fn validate(&self) -> Result<Evidence, Invalid> {
        let mut invalid = Invalid::new();
        let requirement = invalid.choice("requirement", &self.requirement, |code| {
            Requirement::from_code(code).filter(|r| Requirement::RECORDED.contains(r))
        });
        let Some(requirement) = requirement else {
            return Err(invalid);
        };
        let evidence = match requirement {
            Requirement::Valuation => Evidence::Valuation {
                method: invalid.required_text("method", &self.method, 200),
                valued_on: invalid.date("dated_on", &self.dated_on).unwrap_or_default(),
                document: invalid.required_text("document", &self.document, 300),
                value_cents: invalid.euros("amount", &self.amount),
            },
            Requirement::Selection => {
                let procedure = invalid.choice("procedure", &self.procedure, SelectionProcedure::from_code);
                Evidence::Selection {
                    procedure: procedure.unwrap_or(SelectionProcedure::Auction),
                    notice_on: invalid.date("dated_on", &self.dated_on).unwrap_or_default(),
                    bidders: invalid.number_in("bidders", &self.bidders, 1..=10_000),
                    winner: invalid.required_text("winner", &self.winner, 300),
                    price_cents: invalid.euros("amount", &self.amount),
                }
            }
            Requirement::WrittenAgreement => Evidence::WrittenAgreement {
                reference: invalid.required_text("reference", &self.reference, 300),
                signed_on: invalid.date("dated_on", &self.dated_on).unwrap_or_default(),
            },
            Requirement::TechnicalConditions => Evidence::TechnicalConditions {
                issued_by: invalid.required_text("issued_by", &self.issued_by, 300),
                reference: invalid.required_text("reference", &self.reference, 300),
                issued_on: invalid.date("dated_on", &self.dated_on).unwrap_or_default(),
            },
            Requirement::Permit => Evidence::Permit {
                reference: invalid.required_text("reference", &self.reference, 300),
                issued_on: invalid.date("dated_on", &self.dated_on).unwrap_or_default(),
            },
            Requirement::ProcurementReference => Evidence::ProcurementReference {
                reference: invalid.required_text("reference", &self.reference, 300),
            },
            Requirement::AcceptanceAct => Evidence::AcceptanceAct {
                reference: invalid.required_text("reference", &self.reference, 300),
                signed_on: invalid.date("dated_on", &self.dated_on).unwrap_or_default(),
            },
            _ => Evidence::AssetRegister {
                entry: invalid.required_text("entry", &self.entry, 300),
                entered_on: invalid.date("dated_on", &self.dated_on).unwrap_or_default(),
            },
        };
        invalid.into_result()?;
        Ok(evidence)
    }
}

code_enum! {
    /// Who approved: the council, one of its committees, or an official it authorised.
    ApprovalBody {
        Council => "council",
        Committee => "committee",
        Official => "official",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Approval {
    pub body: ApprovalBody,
    pub decision_number: String,
    pub decided_on: NaiveDate,
    /// The official who signs: the chair of the body, or the authorised official.
    pub official_person_id: i64,
    pub official_name: String,
    /// The vote of a council or committee; an authorised official decides alone.
    pub votes: Option<Votes>,
    /// The recorded meeting decision the vote was taken from, if any.
    pub meeting_decision_id: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ApprovalInput {
    pub body: String,
    pub decision_number: String,
    pub decided_on: String,
    #[serde(deserialize_with = "crate::validation::lenient::text")]
    pub official_person_id: String,
    /// Take the vote from this recorded meeting decision instead of typing it.
    #[serde(deserialize_with = "crate::validation::lenient::text")]
    pub meeting_decision_id: String,
    #[serde(deserialize_with = "crate::validation::lenient::text")]
    pub votes_for: String,
    #[serde(deserialize_with = "crate::validation::lenient::text")]
    pub votes_against: String,
    #[serde(deserialize_with = "crate::validation::lenient::text")]
    pub votes_abstain: String,
}

/// An approval as asked for, before the store looks up the official and the decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApproval {
    pub body: ApprovalBody,
    pub decision_number: String,
    pub decided_on: NaiveDate,
    pub official_person_id: i64,
    pub meeting_decision_id: Option<i64>,
    pub typed_votes: Option<Votes>,
}

impl ApprovalInput {
    pub fn validate(&self, today: NaiveDate) -> Result<NewApproval, Invalid> {
        let mut invalid = Invalid::new();
        let body = invalid.choice("body", &self.body, ApprovalBody::from_code);
        let decision_number = invalid.required_text("decision_number", &self.decision_number, 100);
        let decided_on = invalid.date("decided_on", &self.decided_on);
        if decided_on.is_some_and(|d| d > today) {
            invalid.add("decided_on", "error-date-in-future");
        }
        let official_person_id = invalid.number_in("official_person_id", &self.official_person_id, 1..=i64::MAX);
        let meeting_decision_id = (!self.meeting_decision_id.trim().is_empty())
            .then(|| invalid.number_in("meeting_decision_id", &self.meeting_decision_id, 1..=i64::MAX));
        let typed = [&self.votes_for, &self.votes_against, &self.votes_abstain]
            .iter()
            .any(|v| !v.trim().is_empty());
        let typed_votes = match (body, meeting_decision_id, typed) {
            (_, Some(_), true) => {
                invalid.add("votes_for", "error-votes-twice");
                None
            }
            (Some(ApprovalBody::Council | ApprovalBody::Committee), None, false) => {
                invalid.add("votes_for", "error-vote-needed");
                None
            }
            (_, None, true) => {
                let votes = Votes {
                    votes_for: invalid.number_in("votes_for", &self.votes_for, 0..=1000),
                    against: invalid.number_in("votes_against", &self.votes_against, 0..=1000),
                    abstain: invalid.number_in("votes_abstain", &self.votes_abstain, 0..=1000),
                };
                Some(votes)
            }
            _ => None,
        };
        invalid.into_result()?;
        Ok(NewApproval {
            body: body.unwrap_or(ApprovalBody::Council),
            decision_number,
            decided_on: decided_on.unwrap_or(today),
            official_person_id,
            meeting_decision_id,
            typed_votes,
        })
    }
}

/// An official's declared interest in an instrument; declaring it recuses them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Declaration {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub interest: String,
    pub declared_on: NaiveDate,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DeclarationInput {
    #[serde(deserialize_with = "crate::validation::lenient::text")]
    pub person_id: String,
    pub interest: String,
    pub declared_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDeclaration {
    pub person_id: i64,
    pub interest: String,
    pub declared_on: NaiveDate,
}

impl DeclarationInput {
    pub fn validate(&self, today: NaiveDate) -> Result<NewDeclaration, Invalid> {
        let mut invalid = Invalid::new();
        let person_id = invalid.number_in("person_id", &self.person_id, 1..=i64::MAX);
        let interest = invalid.required_text("interest", &self.interest, 2000);
        let declared_on = invalid.date("declared_on", &self.declared_on);
        if declared_on.is_some_and(|d| d > today) {
            invalid.add("declared_on", "error-date-in-future");
        }
        invalid.into_result()?;
        Ok(NewDeclaration {
            person_id,
            interest,
            declared_on: declared_on.unwrap_or(today),
        })
    }
}

/// Where and when an accepted donation or sponsorship was made public.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Publication {
    pub published_on: NaiveDate,
    /// A web address, or the notice board and publication it appeared in.
    pub place: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PublicationInput {
    pub published_on: String,
    pub place: String,
}

impl PublicationInput {
    pub fn validate(&self, today: NaiveDate) -> Result<Publication, Invalid> {
        let mut invalid = Invalid::new();
        let published_on = invalid.date("published_on", &self.published_on);
        if published_on.is_some_and(|d| d > today) {
            invalid.add("published_on", "error-date-in-future");
        }
        let place = invalid.required_text("place", &self.place, 500);
        invalid.into_result()?;
        Ok(Publication {
            published_on: published_on.unwrap_or(today),
            place,
        })
    }
}

/// A document filed with an instrument: the agreement, a report, a decision, an act.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Document {
    pub id: i64,
    pub title: String,
    pub reference: String,
    pub dated_on: NaiveDate,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DocumentInput {
    pub title: String,
    pub reference: String,
    pub dated_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    pub title: String,
    pub reference: String,
    pub dated_on: NaiveDate,
}

impl DocumentInput {
    pub fn validate(&self) -> Result<NewDocument, Invalid> {
        let mut invalid = Invalid::new();
        let title = invalid.required_text("title", &self.title, 300);
        let reference = invalid.required_text("reference", &self.reference, 500);
        let dated_on = invalid.date("dated_on", &self.dated_on);
        invalid.into_result()?;
        Ok(NewDocument {
            title,
            reference,
            dated_on: dated_on.unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_step_takes_effect_today_or_on_a_past_day_it_names() {
        let today = on("2021-04-01");
        let asked = |took_effect_on: &str| StepInput {
            to: "active".into(),
            reason: "Līgums parakstīts".into(),
            took_effect_on: took_effect_on.into(),
        };
        assert_eq!(asked("").validate(today).unwrap().took_effect_on, today);
        assert_eq!(
            asked("2021-03-30").validate(today).unwrap().took_effect_on,
            on("2021-03-30")
        );
        let future = asked("2021-04-02").validate(today).unwrap_err();
        assert_eq!(future.message_for("took_effect_on"), Some("error-date-in-future"));
        let odd = asked("30.03.2021").validate(today).unwrap_err();
        assert!(odd.message_for("took_effect_on").is_some());
    }

    #[test]
    fn the_workflow_has_no_shortcuts() {
        use InstrumentStatus::*;
        assert!(Draft.may_move_to(Submitted));
        assert!(Submitted.may_move_to(Approved));
        assert!(Approved.may_move_to(Active));
        assert!(Active.may_move_to(Completed));
        assert!(!Draft.may_move_to(Active));
        assert!(!Submitted.may_move_to(Active));
        assert!(!Rejected.may_move_to(Draft));
        assert!(!Completed.may_move_to(Active));
        assert!(!Approved.may_move_to(Rejected));
    }

    #[test]
    fn an_instrument_needs_its_parts() {
        let invalid = InstrumentInput {
            initiative_id: "x".into(),
            partner_id: "3".into(),
            kind: "gift".into(),
            value: "-100".into(),
            starts_on: "2021-05-01".into(),
            ends_on: "2021-04-01".into(),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        for (field, message) in [
            ("initiative_id", "error-number"),
            ("kind", "error-choice"),
            ("subject", "error-required"),
            ("purpose", "error-required"),
            ("value", "error-negative-amount"),
            ("ends_on", "error-ends-before-start"),
        ] {
            assert_eq!(invalid.message_for(field), Some(message), "{field}");
        }
    }

    #[test]
    fn each_record_asks_for_its_own_fields() {
        let invalid = EvidenceInput {
            requirement: "selection".into(),
            procedure: "lottery".into(),
            bidders: "0".into(),
            dated_on: "2 Dec".into(),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(invalid.message_for("procedure"), Some("error-choice"));
        assert_eq!(invalid.message_for("bidders"), Some("error-out-of-range"));
        assert_eq!(invalid.message_for("winner"), Some("error-required"));
        assert_eq!(invalid.message_for("amount"), Some("error-required"));
        assert_eq!(invalid.message_for("dated_on"), Some("error-date"));

        let valuation = EvidenceInput {
            requirement: "valuation".into(),
            method: "market comparison".into(),
            document: "Vērtējums Nr. 12/2021".into(),
            amount: "4 800".into(),
            dated_on: "2021-03-01".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(valuation.requirement(), Requirement::Valuation);

        let not_recorded = EvidenceInput {
            requirement: "publication".into(),
            ..Default::default()
        };
        assert_eq!(
            not_recorded.validate().unwrap_err().message_for("requirement"),
            Some("error-choice")
        );
    }

    #[test]
    fn a_council_approval_needs_a_vote_once() {
        let today = on("2021-03-25");
        let base = ApprovalInput {
            body: "council".into(),
            decision_number: "12/2021".into(),
            decided_on: "2021-03-25".into(),
            official_person_id: "4".into(),
            ..Default::default()
        };
        assert_eq!(
            base.validate(today).unwrap_err().message_for("votes_for"),
            Some("error-vote-needed")
        );
        let twice = ApprovalInput {
            meeting_decision_id: "9".into(),
            votes_for: "12".into(),
            ..base.clone()
        };
        assert_eq!(
            twice.validate(today).unwrap_err().message_for("votes_for"),
            Some("error-votes-twice")
        );
        let from_meeting = ApprovalInput {
            meeting_decision_id: "9".into(),
            ..base.clone()
        }
        .validate(today)
        .unwrap();
        assert_eq!(from_meeting.meeting_decision_id, Some(9));
        let official = ApprovalInput {
            body: "official".into(),
            ..base.clone()
        }
        .validate(today)
        .unwrap();
        assert_eq!(official.typed_votes, None);
        let future = ApprovalInput {
            decided_on: "2021-03-26".into(),
            votes_for: "1".into(),
            ..base
        };
        assert_eq!(
            future.validate(today).unwrap_err().message_for("decided_on"),
            Some("error-date-in-future")
        );
    }
}
