//! The rules as data: which requirement each instrument kind must meet, and when. The
//! defaults follow Latvian practice; a workspace in another country replaces them. The gates
//! check an instrument's dossier against them and name everything that is missing.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::calendar::add_working_days;
use super::instrument::{
    Approval, ApprovalBody, Declaration, Evidence, Instrument, InstrumentKind, InstrumentStatus, Publication,
    Requirement,
};
use super::partner::Standing;
use crate::code_enum;
use crate::validation::{Code, Invalid};

/// Working days after acceptance within which a donation or sponsorship is published.
pub const PUBLICATION_WORKING_DAYS: u32 = 5;

code_enum! {
    /// When a requirement must be met.
    Stage {
        Approval => "approval",
        Activation => "activation",
        AfterApproval => "after_approval",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Rule {
    pub kind: InstrumentKind,
    pub requirement: Requirement,
    pub stage: Stage,
}

/// A workspace's rules: at most one stage per kind and requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Rules {
    pub rules: Vec<Rule>,
}

impl Rules {
    /// PRODUCT section 5, as Latvian law and practice have it.
    pub fn latvian_defaults() -> Rules {
        use InstrumentKind::*;
        use Requirement::*;
        use Stage::{Activation as A, AfterApproval as P, Approval as B};
        let table: &[(InstrumentKind, &[(Requirement, Stage)])] = &[
            (Donation, &[(UninvolvedParty, B), (Publication, P)]),
            (Sponsorship, &[(WrittenAgreement, A), (Publication, P)]),
            (CooperationAgreement, &[]),
            (
                LandLease,
                &[
                    (CouncilDecision, B),
                    (Valuation, B),
                    (Selection, B),
                    (WrittenAgreement, A),
                ],
            ),
            (
                BuildingRight,
                &[
                    (CouncilDecision, B),
                    (Valuation, B),
                    (Selection, B),
                    (WrittenAgreement, A),
                    (Obligations, A),
                ],
            ),
            (
                PublicPrivatePartnership,
                &[(CouncilDecision, B), (ProcurementReference, B)],
            ),
            (
                WorksHandover,
                &[
                    (TechnicalConditions, B),
                    (Permit, B),
                    (AcceptanceAct, A),
                    (AssetRegister, A),
                ],
            ),
            (Procurement, &[(ProcurementReference, B)]),
        ];
        Rules {
            rules: table
                .iter()
                .flat_map(|(kind, needs)| {
                    needs.iter().map(|&(requirement, stage)| Rule {
                        kind: *kind,
                        requirement,
                        stage,
                    })
                })
                .collect(),
        }
    }

    /// When `kind` must meet `requirement`, if at all.
    pub fn stage_of(&self, kind: InstrumentKind, requirement: Requirement) -> Option<Stage> {
        self.rules
            .iter()
            .find(|r| r.kind == kind && r.requirement == requirement)
            .map(|r| r.stage)
    }

    /// What `kind` must meet at `stage`, in the requirements' order.
    pub fn needed(&self, kind: InstrumentKind, stage: Stage) -> Vec<Requirement> {
        Requirement::ALL
            .iter()
            .copied()
            .filter(|r| self.stage_of(kind, *r) == Some(stage))
            .collect()
    }

    /// Whether accepted instruments of this kind must be published.
    pub fn publishes(&self, kind: InstrumentKind) -> bool {
        self.stage_of(kind, Requirement::Publication).is_some()
    }
}

/// A rules form: one field per kind and requirement, named `kind.requirement`, holding a
/// stage code or nothing.
pub fn rules_from_form(fields: &[(String, String)]) -> Result<Rules, Invalid> {
    let mut invalid = Invalid::new();
    let mut rules = Vec::new();
    for (name, value) in fields {
        let Some((kind, requirement)) = name.split_once('.') else {
            continue;
        };
        if value.trim().is_empty() {
            continue;
        }
        match (
            InstrumentKind::from_code(kind),
            Requirement::from_code(requirement),
            Stage::from_code(value.trim()),
        ) {
            (Some(kind), Some(requirement), Some(stage)) if requirement.stages().contains(&stage) => {
                if !rules
                    .iter()
                    .any(|r: &Rule| r.kind == kind && r.requirement == requirement)
                {
                    rules.push(Rule {
                        kind,
                        requirement,
                        stage,
                    });
                }
            }
            _ => invalid.add(name, "error-choice"),
        }
    }
    invalid.into_result()?;
    Ok(Rules { rules })
}

/// Everything recorded about one instrument that the gates look at.
#[derive(Debug, Clone, Copy)]
pub struct Dossier<'a> {
    pub instrument: &'a Instrument,
    pub standing: &'a Standing,
    pub evidence: &'a [Evidence],
    pub approval: Option<&'a Approval>,
    pub declarations: &'a [Declaration],
    pub obligations: usize,
}

impl Dossier<'_> {
    fn meets(&self, requirement: Requirement, approval: Option<&Approval>) -> bool {
        match requirement {
            Requirement::UninvolvedParty => self.standing.uninvolved,
            Requirement::CouncilDecision => approval.is_some_and(|a| a.body == ApprovalBody::Council),
            Requirement::Obligations => self.obligations > 0,
            // A duty after approval, with its own deadline; never a gate.
            Requirement::Publication => true,
            recorded => self.evidence.iter().any(|e| e.requirement() == recorded),
        }
    }

    /// Whether this person declared an interest, and so is recused.
    pub fn is_recused(&self, person_id: i64) -> bool {
        self.declarations.iter().any(|d| d.person_id == person_id)
    }

    /// What is still missing for `stage`, as a checklist shows it.
    pub fn missing(&self, rules: &Rules, stage: Stage) -> Vec<Requirement> {
        rules
            .needed(self.instrument.kind, stage)
            .into_iter()
            .filter(|r| !self.meets(*r, self.approval))
            .collect()
    }

    /// Whether a justification is needed and absent: the partner is involved, and the rules
    /// allow the kind with such a partner.
    pub fn lacks_justification(&self, rules: &Rules) -> bool {
        !self.standing.uninvolved
            && rules
                .stage_of(self.instrument.kind, Requirement::UninvolvedParty)
                .is_none()
            && self.instrument.third_party_justification.is_none()
    }

    /// The approval gate: everything the rules need before approval, the third-party rule,
    /// and an official who is not recused. Each refusal names the missing requirement.
    pub fn check_approval(&self, rules: &Rules, approval: &Approval) -> Result<(), Invalid> {
        let mut invalid = Invalid::new();
        if self.instrument.status != InstrumentStatus::Submitted {
            invalid.add("status", "gate-not-submitted");
        }
        for requirement in rules.needed(self.instrument.kind, Stage::Approval) {
            if !self.meets(requirement, Some(approval)) {
                invalid.add(requirement.code(), &format!("gate-{}", requirement.code()));
            }
        }
        if self.lacks_justification(rules) {
            invalid.add("third_party_justification", "gate-justification");
        }
        if self.is_recused(approval.official_person_id) {
            invalid.add("official_person_id", "gate-recused");
        }
        if approval
            .votes
            .is_some_and(|v| v.outcome() != crate::meeting::Outcome::Adopted)
        {
            invalid.add("votes_for", "gate-vote-not-carried");
        }
        invalid.into_result()
    }

    /// The activation gate: a recorded approval and everything needed before activation.
    pub fn check_activation(&self, rules: &Rules) -> Result<(), Invalid> {
        let mut invalid = Invalid::new();
        if self.instrument.status != InstrumentStatus::Approved {
            invalid.add("status", "gate-not-approved");
        }
        if self.approval.is_none() {
            invalid.add("approval", "gate-approval");
        }
        for requirement in self.missing(rules, Stage::Activation) {
            invalid.add(requirement.code(), &format!("gate-{}", requirement.code()));
        }
        invalid.into_result()
    }
}

/// A publication duty: its deadline, and whether it was met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PublicationDuty {
    pub accepted_on: NaiveDate,
    pub deadline: NaiveDate,
    pub publication: Option<Publication>,
}

impl PublicationDuty {
    pub fn new(accepted_on: NaiveDate, publication: Option<Publication>) -> PublicationDuty {
        PublicationDuty {
            accepted_on,
            deadline: add_working_days(accepted_on, PUBLICATION_WORKING_DAYS),
            publication,
        }
    }

    /// Not published, and the deadline has passed.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.publication.is_none() && today > self.deadline
    }

    /// Published, but after the deadline.
    pub fn was_late(&self) -> bool {
        self.publication
            .as_ref()
            .is_some_and(|p| p.published_on > self.deadline)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cooperation::partner::{Procedure, ProcedureKind};
    use crate::meeting::Votes;

    fn on(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn instrument(kind: InstrumentKind, status: InstrumentStatus) -> Instrument {
        Instrument {
            id: 1,
            workspace_id: 1,
            initiative_id: 1,
            partner_id: 1,
            kind,
            subject: "Velo novietne".into(),
            purpose: "Mobilitātes punkts".into(),
            value_cents: 480_000,
            starts_on: None,
            ends_on: None,
            status,
            third_party_justification: None,
            offered: false,
            is_example: false,
        }
    }

    fn standing(uninvolved: bool) -> Standing {
        Standing {
            on: on("2021-03-01"),
            uninvolved,
            pending: if uninvolved {
                vec![]
            } else {
                vec![Procedure {
                    id: 1,
                    kind: ProcedureKind::DetailedPlan,
                    reference: "DP-7".into(),
                    subject: None,
                    opened_on: on("2020-06-01"),
                    closed_on: None,
                }]
            },
            latest_tax_check: None,
        }
    }

    fn approval(body: ApprovalBody, person: i64, votes: Option<Votes>) -> Approval {
        Approval {
            body,
            decision_number: "5/2021".into(),
            decided_on: on("2021-03-25"),
            official_person_id: person,
            official_name: "Priekšsēdētājs".into(),
            votes,
            meeting_decision_id: None,
        }
    }

    fn carried() -> Option<Votes> {
        Some(Votes {
            votes_for: 12,
            against: 1,
            abstain: 2,
        })
    }

    fn dossier<'a>(
        instrument: &'a Instrument,
        standing: &'a Standing,
        evidence: &'a [Evidence],
        approval: Option<&'a Approval>,
        declarations: &'a [Declaration],
    ) -> Dossier<'a> {
        Dossier {
            instrument,
            standing,
            evidence,
            approval,
            declarations,
            obligations: 0,
        }
    }

    fn fields(result: Result<(), Invalid>) -> Vec<(String, String)> {
        result
            .err()
            .map(|i| i.errors.into_iter().map(|e| (e.field, e.message)).collect())
            .unwrap_or_default()
    }

    fn pair(field: &str, message: &str) -> (String, String) {
        (field.to_owned(), message.to_owned())
    }

    #[test]
    fn a_donation_from_an_involved_partner_cannot_be_approved() {
        let rules = Rules::latvian_defaults();
        let donation = instrument(InstrumentKind::Donation, InstrumentStatus::Submitted);
        let involved = standing(false);
        let refused = dossier(&donation, &involved, &[], None, &[])
            .check_approval(&rules, &approval(ApprovalBody::Official, 7, None));
        assert_eq!(fields(refused), [pair("uninvolved_party", "gate-uninvolved_party")]);

        // A justification does not open this gate for a donation.
        let justified = Instrument {
            third_party_justification: Some("Vienīgais piegādātājs".into()),
            ..donation.clone()
        };
        assert!(
            dossier(&justified, &involved, &[], None, &[])
                .check_approval(&rules, &approval(ApprovalBody::Official, 7, None))
                .is_err()
        );

        let uninvolved = standing(true);
        assert!(
            dossier(&donation, &uninvolved, &[], None, &[])
                .check_approval(&rules, &approval(ApprovalBody::Official, 7, None))
                .is_ok()
        );
    }

    #[test]
    fn other_instruments_with_an_involved_partner_need_a_justification() {
        let rules = Rules::latvian_defaults();
        let memorandum = instrument(InstrumentKind::CooperationAgreement, InstrumentStatus::Submitted);
        let involved = standing(false);
        let signed = approval(ApprovalBody::Official, 7, None);
        assert_eq!(
            fields(dossier(&memorandum, &involved, &[], None, &[]).check_approval(&rules, &signed)),
            [pair("third_party_justification", "gate-justification")]
        );
        let justified = Instrument {
            third_party_justification: Some("Kampaņa bez finanšu labuma".into()),
            ..memorandum
        };
        assert!(
            dossier(&justified, &involved, &[], None, &[])
                .check_approval(&rules, &signed)
                .is_ok()
        );
    }

    #[test]
    fn a_land_lease_needs_valuation_selection_and_the_council() {
        let rules = Rules::latvian_defaults();
        let lease = instrument(InstrumentKind::LandLease, InstrumentStatus::Submitted);
        let uninvolved = standing(true);
        assert_eq!(
            fields(
                dossier(&lease, &uninvolved, &[], None, &[])
                    .check_approval(&rules, &approval(ApprovalBody::Official, 7, None))
            ),
            [
                pair("council_decision", "gate-council_decision"),
                pair("valuation", "gate-valuation"),
                pair("selection", "gate-selection"),
            ]
        );
        let evidence = [
            Evidence::Valuation {
                method: "tirgus salīdzinājums".into(),
                valued_on: on("2021-02-10"),
                document: "Vērtējums 3/2021".into(),
                value_cents: 120_000,
            },
            Evidence::Selection {
                procedure: crate::cooperation::instrument::SelectionProcedure::Auction,
                notice_on: on("2021-02-20"),
                bidders: 2,
                winner: "SIA Piemērs".into(),
                price_cents: 150_000,
            },
        ];
        let council = approval(ApprovalBody::Council, 7, carried());
        assert!(
            dossier(&lease, &uninvolved, &evidence, None, &[])
                .check_approval(&rules, &council)
                .is_ok()
        );

        let lost = approval(
            ApprovalBody::Council,
            7,
            Some(Votes {
                votes_for: 4,
                against: 9,
                abstain: 0,
            }),
        );
        assert_eq!(
            fields(dossier(&lease, &uninvolved, &evidence, None, &[]).check_approval(&rules, &lost)),
            [pair("votes_for", "gate-vote-not-carried")]
        );
    }

    #[test]
    fn a_recused_official_cannot_approve() {
        let rules = Rules::latvian_defaults();
        let memorandum = instrument(InstrumentKind::CooperationAgreement, InstrumentStatus::Submitted);
        let uninvolved = standing(true);
        let declared = [Declaration {
            id: 1,
            person_id: 7,
            person_name: "Deputāts".into(),
            interest: "Brālis ir valdes loceklis".into(),
            declared_on: on("2021-03-01"),
        }];
        let check = dossier(&memorandum, &uninvolved, &[], None, &declared);
        assert_eq!(
            fields(check.check_approval(&rules, &approval(ApprovalBody::Official, 7, None))),
            [pair("official_person_id", "gate-recused")]
        );
        assert!(
            check
                .check_approval(&rules, &approval(ApprovalBody::Official, 8, None))
                .is_ok()
        );
    }

    #[test]
    fn only_a_submitted_instrument_is_approved() {
        let rules = Rules::latvian_defaults();
        let draft = instrument(InstrumentKind::CooperationAgreement, InstrumentStatus::Draft);
        let uninvolved = standing(true);
        assert_eq!(
            fields(
                dossier(&draft, &uninvolved, &[], None, &[])
                    .check_approval(&rules, &approval(ApprovalBody::Official, 7, None))
            ),
            [pair("status", "gate-not-submitted")]
        );
    }

    #[test]
    fn nothing_becomes_active_without_its_approval_and_records() {
        let rules = Rules::latvian_defaults();
        let handover = instrument(InstrumentKind::WorksHandover, InstrumentStatus::Approved);
        let uninvolved = standing(true);
        assert_eq!(
            fields(dossier(&handover, &uninvolved, &[], None, &[]).check_activation(&rules)),
            [
                pair("approval", "gate-approval"),
                pair("acceptance_act", "gate-acceptance_act"),
                pair("asset_register", "gate-asset_register"),
            ]
        );
        let signed = approval(ApprovalBody::Official, 7, None);
        let evidence = [
            Evidence::AcceptanceAct {
                reference: "Akts 14".into(),
                signed_on: on("2021-09-01"),
            },
            Evidence::AssetRegister {
                entry: "PL-2021-118".into(),
                entered_on: on("2021-09-03"),
            },
        ];
        assert!(
            dossier(&handover, &uninvolved, &evidence, Some(&signed), &[])
                .check_activation(&rules)
                .is_ok()
        );
        let building_right = instrument(InstrumentKind::BuildingRight, InstrumentStatus::Approved);
        let with_council = approval(ApprovalBody::Council, 7, carried());
        let without_obligations = dossier(&building_right, &uninvolved, &[], Some(&with_council), &[]);
        assert_eq!(
            fields(without_obligations.check_activation(&rules)),
            [
                pair("written_agreement", "gate-written_agreement"),
                pair("obligations", "gate-obligations"),
            ]
        );
        let active = instrument(InstrumentKind::WorksHandover, InstrumentStatus::Active);
        assert_eq!(
            fields(dossier(&active, &uninvolved, &evidence, Some(&signed), &[]).check_activation(&rules)),
            [pair("status", "gate-not-approved")]
        );
    }

    #[test]
    fn every_gate_of_every_kind_names_what_it_misses() {
        let rules = Rules::latvian_defaults();
        let involved = standing(false);
        let official = approval(ApprovalBody::Official, 7, None);
        for kind in InstrumentKind::ALL.iter().copied() {
            let submitted = instrument(kind, InstrumentStatus::Submitted);
            let mut expected: Vec<(String, String)> = rules
                .needed(kind, Stage::Approval)
                .into_iter()
                .map(|r| pair(r.code(), &format!("gate-{}", r.code())))
                .collect();
            if rules.stage_of(kind, Requirement::UninvolvedParty).is_none() {
                expected.push(pair("third_party_justification", "gate-justification"));
            }
            let empty = dossier(&submitted, &involved, &[], None, &[]);
            assert_eq!(fields(empty.check_approval(&rules, &official)), expected, "{kind}");

            let approved = instrument(kind, InstrumentStatus::Approved);
            let mut expected = vec![pair("approval", "gate-approval")];
            expected.extend(
                rules
                    .needed(kind, Stage::Activation)
                    .into_iter()
                    .map(|r| pair(r.code(), &format!("gate-{}", r.code()))),
            );
            let empty = dossier(&approved, &involved, &[], None, &[]);
            assert_eq!(fields(empty.check_activation(&rules)), expected, "{kind}");
        }
        // Between them, the kinds need every requirement the gates check.
        for requirement in Requirement::ALL {
            assert!(
                InstrumentKind::ALL
                    .iter()
                    .any(|k| rules.stage_of(*k, *requirement).is_some()),
                "{requirement} is needed by some kind"
            );
        }
    }

    #[test]
    fn a_workspace_can_change_the_rules() {
        let fields = [
            ("donation.uninvolved_party".to_owned(), "approval".to_owned()),
            ("donation.valuation".to_owned(), "activation".to_owned()),
            ("donation.selection".to_owned(), String::new()),
        ];
        let rules = rules_from_form(&fields).unwrap();
        assert_eq!(
            rules.needed(InstrumentKind::Donation, Stage::Activation),
            [Requirement::Valuation]
        );
        assert!(!rules.publishes(InstrumentKind::Donation));

        let bad = [
            ("donation.publication".to_owned(), "approval".to_owned()),
            ("gift.valuation".to_owned(), "approval".to_owned()),
        ];
        let invalid = rules_from_form(&bad).unwrap_err();
        assert_eq!(invalid.message_for("donation.publication"), Some("error-choice"));
        assert_eq!(invalid.message_for("gift.valuation"), Some("error-choice"));
    }

    #[test]
    fn the_latvian_defaults_publish_donations_and_sponsorships() {
        let rules = Rules::latvian_defaults();
        let published: Vec<_> = InstrumentKind::ALL.iter().filter(|k| rules.publishes(**k)).collect();
        assert_eq!(published, [&InstrumentKind::Donation, &InstrumentKind::Sponsorship]);
        for rule in &rules.rules {
            assert!(rule.requirement.stages().contains(&rule.stage), "{rule:?}");
        }
    }

    #[test]
    fn publication_is_due_five_working_days_after_acceptance() {
        // Accepted Thursday before Easter 2021 (Good Friday 2 April, Easter Monday 5 April).
        let duty = PublicationDuty::new(on("2021-04-01"), None);
        assert_eq!(duty.deadline, on("2021-04-12"));
        assert!(!duty.is_overdue(on("2021-04-12")));
        assert!(duty.is_overdue(on("2021-04-13")));
        let late = PublicationDuty::new(
            on("2021-04-01"),
            Some(Publication {
                published_on: on("2021-04-13"),
                place: "https://www.kekava.lv/ziedojumi".into(),
            }),
        );
        assert!(late.was_late());
        assert!(!late.is_overdue(on("2021-05-01")));
    }
}
