use kopa_domain::cooperation::instrument::Step;
use kopa_domain::cooperation::instrument::{
    ApprovalInput, DeclarationInput, EvidenceInput, InstrumentInput, InstrumentStatus, PublicationInput,
};
use kopa_domain::cooperation::obligation::{InspectionInput, ObligationInput};
use kopa_domain::cooperation::pack::{PackProblem, verify_sealed};
use kopa_domain::cooperation::partner::{PartnerInput, ProcedureInput, TaxCheckInput};
use kopa_domain::cooperation::rules::{Rules, rules_from_form};
use kopa_domain::group::{OrganisationInput, PersonInput};
use kopa_domain::initiative::InitiativeInput;
use kopa_domain::meeting::{DecisionInput, MeetingInput};
use kopa_store::testing::{TestClock, every_backend_with_clock, execute_raw};
use kopa_store::{Origin, Store, StoreError};

use crate::{coordinator, date, workspace};

/// Everything one instrument needs: a workspace, an initiative, a business and an official.
struct Setting {
    ws: i64,
    initiative: i64,
    partner: i64,
    chair: i64,
    councillor: i64,
}

async fn setting(store: &Store) -> Setting {
    let ws = workspace(store).await.id;
    let organisation = OrganisationInput {
        name: "SIA Piemēra Loģistika (piemērs)".into(),
        registration_number: "40003000001".into(),
        sector: "business".into(),
        ..Default::default()
    };
    let organisation = store
        .create_organisation(&coordinator(), ws, &organisation.validate().unwrap())
        .await
        .unwrap();
    let partner = PartnerInput {
        organisation_id: organisation.id.to_string(),
        beneficial_owners: "Jānis Piemērs".into(),
        contact_name: "Anna Piemēra".into(),
        contact_email: "anna@piemers.example".into(),
        ..Default::default()
    };
    let partner = store
        .add_partner(&coordinator(), ws, &partner.validate().unwrap())
        .await
        .unwrap();
    let person = |name: &str| PersonInput {
        name: name.into(),
        ..Default::default()
    };
    let chair = store
        .create_person(&coordinator(), ws, &person("Domes priekšsēdētājs").validate().unwrap())
        .await
        .unwrap();
    let councillor = store
        .create_person(&coordinator(), ws, &person("Deputāte ar interesi").validate().unwrap())
        .await
        .unwrap();
    let initiative = InitiativeInput {
        title: "Mobilitātes punkts pie stacijas".into(),
        cooperation_type: "mobility_point".into(),
        ..Default::default()
    };
    let types = store.cooperation_type_codes(ws).await.unwrap();
    let initiative = store
        .create_initiative(
            &coordinator(),
            ws,
            &initiative.validate(&types).unwrap(),
            "Grupa ierosina",
        )
        .await
        .unwrap();
    Setting {
        ws,
        initiative: initiative.id,
        partner: partner.id,
        chair: chair.id,
        councillor: councillor.id,
    }
}

async fn draft(store: &Store, at: &Setting, kind: &str) -> i64 {
    let input = InstrumentInput {
        initiative_id: at.initiative.to_string(),
        partner_id: at.partner.to_string(),
        kind: kind.into(),
        subject: "Zemes gabals 0,2 ha pie Ķekavas stacijas".into(),
        purpose: "Mobilitātes punkts ar velo novietni".into(),
        value: "1 200".into(),
        starts_on: "2021-05-01".into(),
        ends_on: "2031-04-30".into(),
    };
    store
        .create_instrument(
            &coordinator(),
            at.ws,
            &input.validate().unwrap(),
            Origin::Drafted,
            false,
            date("2021-02-01"),
        )
        .await
        .unwrap()
        .id
}

fn refusals<T: std::fmt::Debug>(result: Result<T, StoreError>) -> Vec<(String, String)> {
    match result {
        Err(StoreError::Invalid(invalid)) => invalid.errors.into_iter().map(|e| (e.field, e.message)).collect(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn pair(field: &str, message: &str) -> (String, String) {
    (field.to_owned(), message.to_owned())
}

fn evidence(requirement: &str, fields: &[(&str, &str)]) -> kopa_domain::cooperation::instrument::Evidence {
    let mut input = EvidenceInput {
        requirement: requirement.into(),
        ..Default::default()
    };
    for (name, value) in fields {
        let value = (*value).to_owned();
        match *name {
            "method" => input.method = value,
            "document" => input.document = value,
            "reference" => input.reference = value,
            "procedure" => input.procedure = value,
            "winner" => input.winner = value,
            "bidders" => input.bidders = value,
            "amount" => input.amount = value,
            "dated_on" => input.dated_on = value,
            other => panic!("no field {other}"),
        }
    }
    input.validate().unwrap()
}

async fn council_decision(store: &Store, ws: i64, votes_for: &str, against: &str) -> i64 {
    let meeting = MeetingInput {
        kind: "group".into(),
        title: "Domes sēde".into(),
        starts_at: "2021-03-25T10:00".into(),
        ends_at: "2021-03-25T12:00".into(),
        mode: "in_person".into(),
        place: "Ķekavas novada dome".into(),
        ..Default::default()
    };
    let meeting = store
        .create_meeting(&coordinator(), ws, &meeting.validate().unwrap())
        .await
        .unwrap();
    let decision = DecisionInput {
        text: "Iznomāt zemes gabalu mobilitātes punktam".into(),
        votes_for: votes_for.into(),
        votes_against: against.into(),
        votes_abstain: "0".into(),
        ..Default::default()
    };
    store
        .record_decision(&coordinator(), ws, meeting.id, &decision.validate(&meeting).unwrap())
        .await
        .unwrap()
        .id
}

const TODAY: &str = "2021-04-01";

#[tokio::test]
async fn a_partners_standing_follows_its_pending_procedures() {
    for db in every_backend_with_clock(TestClock::at("2021-04-01T09:00:00Z")).await {
        let store = &db.store;
        let at = setting(store).await;
        let today = date(TODAY);
        assert!(
            store.standing(at.partner, today).await.unwrap().uninvolved,
            "{}",
            db.name
        );

        let procedure = ProcedureInput {
            kind: "detailed_plan".into(),
            reference: "DP-2020/7".into(),
            subject: "Detālplānojums Rīgas ielā 22".into(),
            opened_on: "2020-06-01".into(),
            ..Default::default()
        };
        let procedure = store
            .add_procedure(&coordinator(), at.ws, at.partner, &procedure.validate().unwrap())
            .await
            .unwrap();
        let standing = store.standing(at.partner, today).await.unwrap();
        assert!(!standing.uninvolved);
        assert_eq!(standing.pending[0].reference, "DP-2020/7");

        let check = TaxCheckInput {
            checked_on: "2021-03-30".into(),
            has_debt: None,
            note: "VID publiskā datubāze".into(),
        };
        store
            .add_tax_check(&coordinator(), at.ws, at.partner, &check.validate(today).unwrap())
            .await
            .unwrap();
        store
            .close_procedure(&coordinator(), at.ws, at.partner, procedure.id, date("2021-03-31"))
            .await
            .unwrap();
        let standing = store.standing(at.partner, today).await.unwrap();
        assert!(standing.uninvolved);
        assert!(!standing.latest_tax_check.unwrap().has_debt);
        // The day before it closed, it still counted.
        assert!(!store.standing(at.partner, date("2021-03-30")).await.unwrap().uninvolved);

        let twice = PartnerInput {
            organisation_id: store
                .partner(at.ws, at.partner)
                .await
                .unwrap()
                .unwrap()
                .organisation_id
                .to_string(),
            beneficial_owners: "X".into(),
            ..Default::default()
        };
        assert_eq!(
            refusals(
                store
                    .add_partner(&coordinator(), at.ws, &twice.validate().unwrap())
                    .await
            ),
            [pair("organisation_id", "error-partner-exists")]
        );
    }
}

#[tokio::test]
async fn a_land_lease_passes_every_gate_and_its_pack_verifies() {
    for db in every_backend_with_clock(TestClock::at("2021-04-01T09:00:00Z")).await {
        let store = &db.store;
        let at = setting(store).await;
        let today = date(TODAY);
        let id = draft(store, &at, "land_lease").await;

        // Approval before submission names the status and everything missing.
        let typed = ApprovalInput {
            body: "official".into(),
            decision_number: "12/2021".into(),
            decided_on: "2021-03-25".into(),
            official_person_id: at.chair.to_string(),
            ..Default::default()
        };
        assert_eq!(
            refusals(
                store
                    .approve_instrument(&coordinator(), at.ws, id, &typed.validate(today).unwrap(), today)
                    .await
            ),
            [
                pair("status", "gate-not-submitted"),
                pair("council_decision", "gate-council_decision"),
                pair("valuation", "gate-valuation"),
                pair("selection", "gate-selection"),
            ],
            "{}",
            db.name
        );
        // Approval is not a plain step, and steps are not skipped.
        assert_eq!(
            refusals(
                store
                    .move_instrument(
                        &coordinator(),
                        at.ws,
                        id,
                        &Step::new(InstrumentStatus::Approved, "x", today),
                        today
                    )
                    .await
            ),
            [pair("to", "error-approve-with-decision")]
        );
        assert_eq!(
            refusals(
                store
                    .move_instrument(
                        &coordinator(),
                        at.ws,
                        id,
                        &Step::new(InstrumentStatus::Active, "x", today),
                        today
                    )
                    .await
            ),
            [pair("to", "error-instrument-transition")]
        );
        store
            .move_instrument(
                &coordinator(),
                at.ws,
                id,
                &Step::new(InstrumentStatus::Submitted, "Iesniegts domei", date("2021-03-10")),
                today,
            )
            .await
            .unwrap();

        store
            .record_evidence(
                &coordinator(),
                at.ws,
                id,
                &evidence(
                    "valuation",
                    &[
                        ("method", "tirgus salīdzinājuma pieeja"),
                        ("document", "Vērtējums Nr. 3/2021"),
                        ("amount", "1 100"),
                        ("dated_on", "2021-02-10"),
                    ],
                ),
            )
            .await
            .unwrap();
        store
            .record_evidence(
                &coordinator(),
                at.ws,
                id,
                &evidence(
                    "selection",
                    &[
                        ("procedure", "auction"),
                        ("winner", "SIA Piemēra Loģistika (piemērs)"),
                        ("bidders", "2"),
                        ("amount", "1 200"),
                        ("dated_on", "2021-02-20"),
                    ],
                ),
            )
            .await
            .unwrap();

        // A councillor with an interest declares it, and cannot sign.
        let declaration = DeclarationInput {
            person_id: at.councillor.to_string(),
            interest: "Radinieks ir uzņēmuma valdē".into(),
            declared_on: "2021-03-20".into(),
        };
        store
            .declare_interest(&coordinator(), at.ws, id, &declaration.validate(today).unwrap())
            .await
            .unwrap();
        let decision = council_decision(store, at.ws, "13", "1").await;
        let by_council = |official: i64| ApprovalInput {
            body: "council".into(),
            decision_number: "12/2021".into(),
            decided_on: "2021-03-25".into(),
            official_person_id: official.to_string(),
            meeting_decision_id: decision.to_string(),
            ..Default::default()
        };
        assert_eq!(
            refusals(
                store
                    .approve_instrument(
                        &coordinator(),
                        at.ws,
                        id,
                        &by_council(at.councillor).validate(today).unwrap(),
                        today
                    )
                    .await
            ),
            [pair("official_person_id", "gate-recused")]
        );
        store
            .approve_instrument(
                &coordinator(),
                at.ws,
                id,
                &by_council(at.chair).validate(today).unwrap(),
                today,
            )
            .await
            .unwrap();
        let steps = store.instrument_steps(id).await.unwrap();
        let took_effect: Vec<_> = steps.iter().map(|s| s.took_effect_on).collect();
        assert_eq!(
            took_effect,
            [
                Some(date("2021-02-01")),
                Some(date("2021-03-10")),
                Some(date("2021-03-25"))
            ],
            "each step keeps the day it took effect, the approval its decision's"
        );
        let approval = store.approval(id).await.unwrap().unwrap();
        assert_eq!(
            approval.votes.unwrap().votes_for,
            13,
            "the vote comes from the meeting decision"
        );

        // Activation needs the signed lease.
        assert_eq!(
            refusals(
                store
                    .move_instrument(
                        &coordinator(),
                        at.ws,
                        id,
                        &Step::new(InstrumentStatus::Active, "Līgums", today),
                        today
                    )
                    .await
            ),
            [pair("written_agreement", "gate-written_agreement")]
        );
        store
            .record_evidence(
                &coordinator(),
                at.ws,
                id,
                &evidence(
                    "written_agreement",
                    &[("reference", "Nomas līgums Nr. 7/2021"), ("dated_on", "2021-03-30")],
                ),
            )
            .await
            .unwrap();
        assert_eq!(
            refusals(
                store
                    .move_instrument(
                        &coordinator(),
                        at.ws,
                        id,
                        &Step::new(InstrumentStatus::Active, "Līgums", date("2021-03-20")),
                        today,
                    )
                    .await
            ),
            [pair("took_effect_on", "error-step-before-previous")],
            "signed before the council approved it"
        );
        store
            .move_instrument(
                &coordinator(),
                at.ws,
                id,
                &Step::new(InstrumentStatus::Active, "Līgums parakstīts", date("2021-03-30")),
                today,
            )
            .await
            .unwrap();

        let obligation = ObligationInput {
            title: "Mobilitātes punkts publiski pieejams".into(),
            access_hours: "katru dienu visu diennakti".into(),
            maintenance_standard: "Velo novietne tīra, bojājumi novērsti 5 darba dienās".into(),
            penalty: "50 € par katru pārkāpumu".into(),
            starts_on: "2021-05-01".into(),
            ends_on: "2031-04-30".into(),
            inspect_every_months: "6".into(),
        };
        let obligation = store
            .add_obligation(&coordinator(), at.ws, id, &obligation.validate().unwrap())
            .await
            .unwrap();
        let finding = InspectionInput {
            inspected_on: "2021-11-02".into(),
            inspector: "Būvvaldes inspektors".into(),
            compliant: "no".into(),
            notes: "Divi statīvi bojāti".into(),
            remedy: "Nomainīt statīvus".into(),
            remedy_due: "2021-11-20".into(),
        };
        let later = date("2021-12-01");
        let inspection = store
            .add_inspection(&coordinator(), at.ws, obligation.id, &finding.validate(later).unwrap())
            .await
            .unwrap();
        let file = store.instrument_file(at.ws, id, later).await.unwrap().unwrap();
        assert_eq!(file.instrument.status, InstrumentStatus::Active);
        assert!(file.checklist().iter().all(|item| item.met));
        assert_eq!(file.flags(later).len(), 1, "the finding is past its remedy date");
        store
            .mark_remedied(&coordinator(), at.ws, obligation.id, inspection.id, date("2021-11-18"))
            .await
            .unwrap();
        let file = store.instrument_file(at.ws, id, later).await.unwrap().unwrap();
        assert!(file.flags(later).is_empty());
        assert!(
            !file.flags(date("2022-06-01")).is_empty(),
            "the next inspection was missed"
        );

        // The pack holds the whole story, and verifies.
        let pack = store.audit_pack(at.ws, id, later).await.unwrap().unwrap();
        assert!(pack.verification.passed(), "{:?}", pack.verification);
        let head = pack
            .verification
            .head
            .clone()
            .expect("the chain's head is sealed in the pack");
        let confirmed = store
            .verify_audit_chain_against(std::slice::from_ref(&head))
            .await
            .unwrap();
        assert_eq!(confirmed.confirmed, Some(head), "{}", db.name);
        let entities: Vec<&str> = pack.trail.iter().map(|e| e.entity.as_str()).collect();
        for entity in [
            "partner",
            "instrument",
            "instrument_evidence",
            "instrument_declaration",
            "instrument_approval",
            "obligation",
            "inspection",
        ] {
            assert!(entities.contains(&entity), "{entity} in the trail");
        }
        let sealed = pack.seal();
        let opened = verify_sealed(&sealed).unwrap();
        assert_eq!(opened.file.approval.unwrap().decision_number, "12/2021");

        // Changing a byte of the pack breaks its checksum.
        let forged = sealed.replace("12/2021", "13/2021");
        assert_eq!(verify_sealed(&forged).unwrap_err(), PackProblem::ChecksumMismatch);

        // Changing the stored approval behind Kopa's back is caught by the next pack.
        execute_raw(
            &db.url,
            &format!("UPDATE instrument_approvals SET votes_for = 7 WHERE instrument_id = {id}"),
        )
        .await;
        let tampered = store.audit_pack(at.ws, id, later).await.unwrap().unwrap();
        assert!(!tampered.verification.passed());
        assert_eq!(
            tampered.verification.records_not_matching,
            [format!("approval of instrument {id}")]
        );
        assert!(matches!(
            verify_sealed(&tampered.seal()),
            Err(PackProblem::NotVerified(_))
        ));
    }
}

#[tokio::test]
async fn a_donation_from_an_involved_partner_is_blocked_and_publication_is_due() {
    for db in every_backend_with_clock(TestClock::at("2021-04-01T09:00:00Z")).await {
        let store = &db.store;
        let at = setting(store).await;
        let today = date(TODAY);
        let procedure = ProcedureInput {
            kind: "permit".into(),
            reference: "BU-2021-14".into(),
            opened_on: "2021-01-15".into(),
            ..Default::default()
        };
        let procedure = store
            .add_procedure(&coordinator(), at.ws, at.partner, &procedure.validate().unwrap())
            .await
            .unwrap();
        let id = draft(store, &at, "donation").await;
        store
            .move_instrument(
                &coordinator(),
                at.ws,
                id,
                &Step::new(InstrumentStatus::Submitted, "Ziedojuma piedāvājums", today),
                today,
            )
            .await
            .unwrap();
        let signed = ApprovalInput {
            body: "official".into(),
            decision_number: "R-44".into(),
            decided_on: "2021-04-01".into(),
            official_person_id: at.chair.to_string(),
            ..Default::default()
        }
        .validate(today)
        .unwrap();
        assert_eq!(
            refusals(
                store
                    .approve_instrument(&coordinator(), at.ws, id, &signed, today)
                    .await
            ),
            [pair("uninvolved_party", "gate-uninvolved_party")],
            "{}",
            db.name
        );
        // A justification does not open the gate for a donation.
        store
            .set_justification(&coordinator(), at.ws, id, Some("Vajadzīgs".into()))
            .await
            .unwrap();
        assert!(
            store
                .approve_instrument(&coordinator(), at.ws, id, &signed, today)
                .await
                .is_err()
        );
        assert_eq!(
            store.instrument(at.ws, id).await.unwrap().unwrap().status,
            InstrumentStatus::Submitted
        );

        // Once the permit is issued, the donation can be accepted; publication falls due.
        store
            .close_procedure(&coordinator(), at.ws, at.partner, procedure.id, date("2021-03-31"))
            .await
            .unwrap();
        store
            .approve_instrument(&coordinator(), at.ws, id, &signed, today)
            .await
            .unwrap();
        let file = store.instrument_file(at.ws, id, today).await.unwrap().unwrap();
        let duty = file.publication.clone().unwrap();
        // Thursday 1 April 2021: Good Friday and Easter Monday do not count.
        assert_eq!(duty.deadline, date("2021-04-12"));
        assert!(file.flags(date("2021-04-12")).is_empty());
        assert_eq!(file.flags(date("2021-04-13")).len(), 1);

        let early = PublicationInput {
            published_on: "2021-03-01".into(),
            place: "https://www.kekava.lv/ziedojumi".into(),
        };
        assert_eq!(
            refusals(
                store
                    .publish_instrument(&coordinator(), at.ws, id, &early.validate(today).unwrap())
                    .await
            ),
            [pair("published_on", "error-publish-after-approval")]
        );
        let on_time = PublicationInput {
            published_on: "2021-04-01".into(),
            place: "https://www.kekava.lv/ziedojumi".into(),
        };
        store
            .publish_instrument(&coordinator(), at.ws, id, &on_time.validate(today).unwrap())
            .await
            .unwrap();
        let file = store.instrument_file(at.ws, id, today).await.unwrap().unwrap();
        assert!(file.flags(date("2021-05-01")).is_empty());
        assert!(
            store
                .audit_pack(at.ws, id, today)
                .await
                .unwrap()
                .unwrap()
                .verification
                .passed()
        );
    }
}

#[tokio::test]
async fn a_workspace_sets_its_own_rules() {
    for db in every_backend_with_clock(TestClock::at("2021-04-01T09:00:00Z")).await {
        let store = &db.store;
        let at = setting(store).await;
        let today = date(TODAY);
        assert_eq!(store.cooperation_rules(at.ws).await.unwrap(), Rules::latvian_defaults());
        // Here a memorandum needs a signed agreement before activation.
        let rules = rules_from_form(&[("cooperation_agreement.written_agreement".into(), "approval".into())]).unwrap();
        store
            .set_cooperation_rules(&coordinator(), at.ws, &rules)
            .await
            .unwrap();
        assert_eq!(store.cooperation_rules(at.ws).await.unwrap(), rules, "{}", db.name);

        let id = draft(store, &at, "cooperation_agreement").await;
        store
            .move_instrument(
                &coordinator(),
                at.ws,
                id,
                &Step::new(InstrumentStatus::Submitted, "Memorands", today),
                today,
            )
            .await
            .unwrap();
        let signed = ApprovalInput {
            body: "official".into(),
            decision_number: "R-9".into(),
            decided_on: "2021-03-30".into(),
            official_person_id: at.chair.to_string(),
            ..Default::default()
        }
        .validate(today)
        .unwrap();
        assert_eq!(
            refusals(
                store
                    .approve_instrument(&coordinator(), at.ws, id, &signed, today)
                    .await
            ),
            [pair("written_agreement", "gate-written_agreement")]
        );
    }
}

/// Whether `result` refused to read `column` of `table` row `row`, naming the value found.
fn unreadable<T: std::fmt::Debug>(
    result: Result<T, StoreError>,
    table: &str,
    row: &str,
    column: &str,
    value: &str,
) -> bool {
    match result {
        Err(StoreError::UnreadableValue {
            table: t,
            row: r,
            column: c,
            value: v,
        }) => t == table && r == row && c == column && v == value,
        other => panic!("expected {table}.{column} of row {row} to be unreadable, got {other:?}"),
    }
}

#[tokio::test]
async fn stored_values_kopa_does_not_know_are_refused_by_name_never_defaulted() {
    for db in every_backend_with_clock(TestClock::at("2021-04-01T09:00:00Z")).await {
        let store = &db.store;
        let at = setting(store).await;
        let today = date(TODAY);
        let id = draft(store, &at, "land_lease").await;
        let row = id.to_string();

        // A kind this Kopa does not know must not pass as an agreement without gates.
        execute_raw(
            &db.url,
            &format!("UPDATE instruments SET kind = 'leasing' WHERE id = {id}"),
        )
        .await;
        assert!(
            unreadable(
                store.instrument(at.ws, id).await,
                "instruments",
                &row,
                "kind",
                "leasing"
            ),
            "{}",
            db.name
        );
        assert!(unreadable(
            store.instruments(at.ws).await,
            "instruments",
            &row,
            "kind",
            "leasing"
        ));
        assert!(unreadable(
            store.instrument_files(at.ws, today).await,
            "instruments",
            &row,
            "kind",
            "leasing"
        ));
        execute_raw(
            &db.url,
            &format!("UPDATE instruments SET kind = 'land_lease', status = 'signed' WHERE id = {id}"),
        )
        .await;
        assert!(unreadable(
            store.instrument(at.ws, id).await,
            "instruments",
            &row,
            "status",
            "signed"
        ));
        execute_raw(
            &db.url,
            &format!("UPDATE instruments SET status = 'draft' WHERE id = {id}"),
        )
        .await;
        assert!(store.instrument(at.ws, id).await.unwrap().is_some());

        // Rules that do not read are not the Latvian defaults.
        execute_raw(
            &db.url,
            &format!(
                "INSERT INTO cooperation_rules (workspace_id, rules_json) VALUES ({}, '{{\"rules\": 7}}')",
                at.ws
            ),
        )
        .await;
        assert!(unreadable(
            store.cooperation_rules(at.ws).await,
            "cooperation_rules",
            &at.ws.to_string(),
            "rules_json",
            "{\"rules\": 7}"
        ));

        // Nor is an unknown meeting kind a group meeting.
        let meeting = store
            .create_meeting(
                &coordinator(),
                at.ws,
                &crate::meetings::public_discussion().validate().unwrap(),
            )
            .await
            .unwrap();
        execute_raw(
            &db.url,
            &format!("UPDATE meetings SET mode = 'telepathy' WHERE id = {}", meeting.id),
        )
        .await;
        assert!(unreadable(
            store.meetings(at.ws, true).await,
            "meetings",
            &meeting.id.to_string(),
            "mode",
            "telepathy"
        ));
    }
}
