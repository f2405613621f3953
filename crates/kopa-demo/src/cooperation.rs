//! Example cooperation with business: invented businesses and agreements, all marked as
//! examples, one for each kind of initiative and each status an instrument can have,
//! including one blocked by the third-party rule and one overdue publication.

use chrono::{Months, NaiveDate};
use kopa_domain::audit::SystemActor;
use kopa_domain::cooperation::instrument::{
    ApprovalBody, Evidence, InstrumentKind, InstrumentStatus, NewApproval, NewDeclaration, NewDocument, NewInstrument,
    SelectionProcedure, Step,
};
use kopa_domain::cooperation::obligation::{NewInspection, NewObligation};
use kopa_domain::cooperation::partner::{NewPartner, NewProcedure, ProcedureKind};
use kopa_domain::group::{NewOrganisation, NewPerson, Sector};
use kopa_domain::meeting::{Attendance, MeetingKind, MeetingMode, NewDecision, NewMeeting, Votes};
use kopa_store::{Actor, Origin, Result, Store};

use crate::{at, date};

/// The organisation of this name in the workspace, or a new example business.
pub(crate) async fn business(store: &Store, ws: i64, name: &str, registration: &str) -> Result<i64> {
    if let Some(existing) = store.organisations(ws).await?.into_iter().find(|o| o.name == name) {
        return Ok(existing.id);
    }
    let new = NewOrganisation {
        name: name.into(),
        registration_number: Some(registration.into()),
        sector: Sector::Business,
        website: None,
        is_example: true,
    };
    Ok(store
        .create_organisation(&Actor::system(SystemActor::DemoLoader), ws, &new)
        .await?
        .id)
}

pub(crate) async fn partner(store: &Store, ws: i64, organisation_id: i64, owners: &str, contact: &str) -> Result<i64> {
    let new = NewPartner {
        organisation_id,
        beneficial_owners: owners.into(),
        contact_name: Some(contact.into()),
        contact_email: None,
        contact_phone: None,
    };
    Ok(store
        .add_partner(&Actor::system(SystemActor::DemoLoader), ws, &new)
        .await?
        .id)
}

pub(crate) async fn official(store: &Store, ws: i64, name: &str, position: &str) -> Result<i64> {
    let new = NewPerson {
        name: name.into(),
        email: None,
        organisation_id: None,
        position: Some(position.into()),
        membership: None,
        is_example: true,
    };
    Ok(store
        .create_person(&Actor::system(SystemActor::DemoLoader), ws, &new)
        .await?
        .id)
}

pub(crate) struct Draft<'a> {
    pub initiative: i64,
    pub partner: i64,
    pub kind: InstrumentKind,
    pub subject: &'a str,
    pub purpose: &'a str,
    pub euros: i64,
    pub term: (NaiveDate, Option<NaiveDate>),
    pub origin: Origin,
    pub drafted_on: NaiveDate,
}

pub(crate) async fn draft(store: &Store, ws: i64, d: Draft<'_>) -> Result<i64> {
    let new = NewInstrument {
        initiative_id: d.initiative,
        partner_id: d.partner,
        kind: d.kind,
        subject: d.subject.into(),
        purpose: d.purpose.into(),
        value_cents: d.euros * 100,
        starts_on: Some(d.term.0),
        ends_on: d.term.1,
    };
    Ok(store
        .create_instrument(
            &Actor::system(SystemActor::DemoLoader),
            ws,
            &new,
            d.origin,
            true,
            d.drafted_on,
        )
        .await?
        .id)
}

pub async fn load(store: &Store, ws: i64) -> Result<()> {
    let system = Actor::system(SystemActor::DemoLoader);
    let today = store.today_in("Europe/Riga")?;
    let initiatives = store.initiatives(ws).await?;
    let initiative = |kind: &str| {
        initiatives
            .iter()
            .find(|i| i.cooperation_type == kind && i.parent_id.is_none())
            .map(|i| i.id)
            .unwrap_or_default()
    };
    let chair = official(store, ws, "Domes priekšsēdētājs (piemērs)", "Domes priekšsēdētājs").await?;
    let councillor = official(store, ws, "Deputāte Piemēra (piemērs)", "Domes deputāte").await?;
    let executive = official(store, ws, "Izpilddirektors (piemērs)", "Pašvaldības izpilddirektors").await?;

    // A council sitting that decided the lease, so the approval takes its vote from it.
    let sitting = NewMeeting {
        kind: MeetingKind::CouncilSitting,
        title: "Domes sēde (piemērs)".into(),
        starts_at: at(2021, 3, 25, 10, 0),
        ends_at: at(2021, 3, 25, 13, 0),
        mode: MeetingMode::InPerson,
        link: None,
        place: Some("Ķekavas novada dome".into()),
        capacity: None,
        registration_open: false,
        published: true,
        is_example: true,
        attendance: Some(Attendance { seats: 15, present: 15 }),
    };
    let sitting = store.create_meeting(&system, ws, &sitting).await?;
    let lease_decision = NewDecision {
        text: "Iznomāt zemes gabalu pie Ķekavas autoostas mobilitātes punktam, izsoles uzvarētājam (piemērs)".into(),
        votes: Votes {
            votes_for: 13,
            against: 0,
            abstain: 2,
        },
        legal_reference: Some(
            "Publiskas personas finanšu līdzekļu un mantas izšķērdēšanas novēršanas likuma 6.¹ pants (piemērs)".into(),
        ),
    };
    let lease_decision = store.record_decision(&system, ws, sitting.id, &lease_decision).await?;

    // 1. A mobility point on leased municipal land: active, with its obligation inspected.
    let velo = business(store, ws, "SIA Velo Piemērs", "40003999001").await?;
    let velo = partner(store, ws, velo, "Roberts Paraugs (piemērs)", "Roberts Paraugs").await?;
    store
        .link_partner_account(&system, ws, velo, "partneris@kekava.example")
        .await?;
    let lease = draft(
        store,
        ws,
        Draft {
            initiative: initiative("mobility_point"),
            partner: velo,
            kind: InstrumentKind::LandLease,
            subject: "Zemes gabals 0,2 ha pie Ķekavas autoostas (piemērs)",
            purpose: "Mobilitātes punkts: velo novietne, velo noma un auto stāvvieta pārsēšanās braucieniem",
            euros: 1_200,
            term: (date(2021, 5, 1), Some(date(2031, 4, 30))),
            origin: Origin::Drafted,
            drafted_on: date(2021, 2, 1),
        },
    )
    .await?;
    store
        .move_instrument(
            &system,
            ws,
            lease,
            &Step::new(InstrumentStatus::Submitted, "Iesniegts domei", date(2021, 3, 8)),
            today,
        )
        .await?;
    for evidence in [
        Evidence::Valuation {
            method: "Tirgus salīdzinājuma pieeja".into(),
            valued_on: date(2021, 2, 10),
            document: "Neatkarīga vērtētāja atzinums Nr. 3/2021 (piemērs)".into(),
            value_cents: 110_000,
        },
        Evidence::Selection {
            procedure: SelectionProcedure::Auction,
            notice_on: date(2021, 2, 20),
            bidders: 2,
            winner: "SIA Velo Piemērs".into(),
            price_cents: 120_000,
        },
    ] {
        store.record_evidence(&system, ws, lease, &evidence).await?;
    }
    let declaration = NewDeclaration {
        person_id: councillor,
        interest: "Radinieks strādā uzņēmumā, kas piedalījās izsolē (piemērs)".into(),
        declared_on: date(2021, 3, 25),
    };
    store.declare_interest(&system, ws, lease, &declaration).await?;
    let approval = NewApproval {
        body: ApprovalBody::Council,
        decision_number: "12/2021 (piemērs)".into(),
        decided_on: date(2021, 3, 25),
        official_person_id: chair,
        meeting_decision_id: Some(lease_decision.id),
        typed_votes: None,
    };
    store.approve_instrument(&system, ws, lease, &approval, today).await?;
    let agreement = Evidence::WrittenAgreement {
        reference: "Zemes nomas līgums Nr. 7/2021 (piemērs)".into(),
        signed_on: date(2021, 4, 20),
    };
    store.record_evidence(&system, ws, lease, &agreement).await?;
    store
        .add_document(
            &system,
            ws,
            lease,
            &NewDocument {
                title: "Izsoles protokols".into(),
                reference: "Protokols Nr. 2 (piemērs)".into(),
                dated_on: date(2021, 3, 5),
            },
        )
        .await?;
    store
        .move_instrument(
            &system,
            ws,
            lease,
            &Step::new(InstrumentStatus::Active, "Nomas līgums parakstīts", date(2021, 4, 20)),
            today,
        )
        .await?;
    let obligation = NewObligation {
        title: "Velo novietne publiski pieejama".into(),
        access_hours: Some("katru dienu visu diennakti".into()),
        maintenance_standard: Some("Novietne tīra un apgaismota; bojājumi novērsti 5 darba dienās".into()),
        penalty: Some("50 € par katru konstatēto pārkāpumu".into()),
        starts_on: date(2021, 5, 1),
        ends_on: Some(date(2031, 4, 30)),
        inspect_every_months: 12,
    };
    let obligation = store.add_obligation(&system, ws, lease, &obligation).await?;
    // Yearly inspections up to today, so the example keeps to its schedule.
    let mut inspected_on = date(2021, 11, 2);
    let mut year = 0;
    while inspected_on < today {
        let compliant = year != 1;
        let inspection = NewInspection {
            inspected_on,
            inspector: "Būvvaldes inspektors (piemērs)".into(),
            compliant,
            notes: (!compliant).then(|| "Divi velo statīvi bojāti".into()),
            remedy: (!compliant).then(|| "Nomainīt bojātos statīvus".into()),
            remedy_due: (!compliant).then(|| inspected_on + chrono::Days::new(14)),
        };
        let done = store.add_inspection(&system, ws, obligation.id, &inspection).await?;
        if !compliant {
            store
                .mark_remedied(
                    &system,
                    ws,
                    obligation.id,
                    done.id,
                    inspected_on + chrono::Days::new(10),
                )
                .await?;
        }
        year += 1;
        inspected_on = match inspected_on.checked_add_months(Months::new(12)) {
            Some(next) => next,
            None => break,
        };
    }

    // 2. A crossing built by a property owner with a detailed plan pending: justified, approved,
    //    waiting for the acceptance act.
    let retail = business(store, ws, "SIA Tirdzniecības centrs Piemērs", "40003999002").await?;
    let retail = partner(store, ws, retail, "Ilze Paraudze (piemērs)", "Ilze Paraudze").await?;
    store
        .add_procedure(
            &system,
            ws,
            retail,
            &NewProcedure {
                kind: ProcedureKind::DetailedPlan,
                reference: "DP-2020/14 (piemērs)".into(),
                subject: Some("Detālplānojums tirdzniecības centra teritorijai".into()),
                opened_on: date(2020, 6, 1),
                closed_on: None,
            },
        )
        .await?;
    let crossing = draft(
        store,
        ws,
        Draft {
            initiative: initiative("crossing_with_owners"),
            partner: retail,
            kind: InstrumentKind::WorksHandover,
            subject: "Gājēju un velosipēdistu pāreja pār Rīgas ielu pie tirdzniecības centra (piemērs)",
            purpose: "Droša pāreja uz skolu; īpašnieks izbūvē un nodod pašvaldībai",
            euros: 38_000,
            term: (date(2021, 6, 1), None),
            origin: Origin::Drafted,
            drafted_on: date(2021, 4, 1),
        },
    )
    .await?;
    store
        .set_justification(
            &system,
            ws,
            crossing,
            Some(
                "Pāreja ir detālplānojuma nosacījums, nevis dāvinājums; būvdarbu vērtība netiek ieskaitīta \
                 detālplānojuma lēmumā (piemērs)"
                    .into(),
            ),
        )
        .await?;
    store
        .move_instrument(
            &system,
            ws,
            crossing,
            &Step::new(
                InstrumentStatus::Submitted,
                "Iesniegts izpilddirektoram",
                date(2021, 5, 21),
            ),
            today,
        )
        .await?;
    for evidence in [
        Evidence::TechnicalConditions {
            issued_by: "Ķekavas novada pašvaldība, ceļu īpašnieks".into(),
            reference: "TN-2021/33 (piemērs)".into(),
            issued_on: date(2021, 4, 12),
        },
        Evidence::Permit {
            reference: "BIS-BV-4-2021-118 (piemērs)".into(),
            issued_on: date(2021, 5, 20),
        },
    ] {
        store.record_evidence(&system, ws, crossing, &evidence).await?;
    }
    let signed = NewApproval {
        body: ApprovalBody::Official,
        decision_number: "R-88/2021 (piemērs)".into(),
        decided_on: date(2021, 5, 28),
        official_person_id: executive,
        meeting_decision_id: None,
        typed_votes: None,
    };
    store.approve_instrument(&system, ws, crossing, &signed, today).await?;

    // 3. A sponsored campaign: accepted, but never published — overdue.
    let energy = business(store, ws, "AS Enerģija Piemērs", "40003999003").await?;
    let energy = partner(
        store,
        ws,
        energy,
        "Akcionāru sarakstu skatīt Uzņēmumu reģistrā (piemērs)",
        "Juris Paraugs",
    )
    .await?;
    let campaign = draft(
        store,
        ws,
        Draft {
            initiative: initiative("information_campaign"),
            partner: energy,
            kind: InstrumentKind::Sponsorship,
            subject: "Kampaņa \"Uz darbu ar velo\" (piemērs)",
            purpose: "Informatīva kampaņa par braukšanu ar velosipēdu uz darbu un skolu; sponsors redzams materiālos",
            euros: 5_000,
            term: (date(2021, 4, 15), Some(date(2021, 9, 30))),
            origin: Origin::Drafted,
            drafted_on: date(2021, 3, 15),
        },
    )
    .await?;
    store
        .move_instrument(
            &system,
            ws,
            campaign,
            &Step::new(InstrumentStatus::Submitted, "Iesniegts", date(2021, 3, 22)),
            today,
        )
        .await?;
    let accepted = NewApproval {
        body: ApprovalBody::Official,
        decision_number: "R-41/2021 (piemērs)".into(),
        decided_on: date(2021, 4, 1),
        official_person_id: executive,
        meeting_decision_id: None,
        typed_votes: None,
    };
    store
        .approve_instrument(&system, ws, campaign, &accepted, today)
        .await?;

    // 4. A donation for a recreation place from a builder with a permit pending: blocked.
    let builder = business(store, ws, "SIA Būvnieks Piemērs", "40003999004").await?;
    let builder = partner(store, ws, builder, "Pēteris Piemērs (piemērs)", "Pēteris Piemērs").await?;
    store
        .add_procedure(
            &system,
            ws,
            builder,
            &NewProcedure {
                kind: ProcedureKind::Permit,
                reference: "BIS-BV-1-2021-52 (piemērs)".into(),
                subject: Some("Dzīvojamās ēkas būvatļauja".into()),
                opened_on: date(2021, 2, 1),
                closed_on: None,
            },
        )
        .await?;
    let donation = draft(
        store,
        ws,
        Draft {
            initiative: initiative("recreation_place"),
            partner: builder,
            kind: InstrumentKind::Donation,
            subject: "Soliņi un velo statīvi atpūtas vietai pie Daugavas (piemērs)",
            purpose: "Atpūtas vietas labiekārtošana",
            euros: 3_500,
            term: (date(2021, 6, 1), None),
            origin: Origin::Drafted,
            drafted_on: date(2021, 5, 3),
        },
    )
    .await?;
    store
        .move_instrument(
            &system,
            ws,
            donation,
            &Step::new(
                InstrumentStatus::Submitted,
                "Iesniegts; nevar apstiprināt, kamēr būvatļaujas procedūra nav pabeigta",
                date(2021, 5, 15),
            ),
            today,
        )
        .await?;

    // 5. The partner's own offer: a draft for the coordinator.
    draft(
        store,
        ws,
        Draft {
            initiative: initiative("recreation_place"),
            partner: velo,
            kind: InstrumentKind::BuildingRight,
            subject: "Atpūtas vieta ar velo apkopes punktu Baložos (piemērs)",
            purpose: "Uzņēmums izbūvē un uztur publiski pieejamu atpūtas vietu uz pašvaldības zemes",
            euros: 15_000,
            term: (date(2022, 5, 1), Some(date(2037, 4, 30))),
            origin: Origin::Offered,
            drafted_on: date(2022, 2, 14),
        },
    )
    .await?;

    // 6–8. A finished memorandum, a rejected proposal and a terminated agreement.
    let association = business(store, ws, "Ķekavas uzņēmēju biedrība (piemērs)", "40008999005").await?;
    let association = partner(store, ws, association, "Biedrība; valde (piemērs)", "Kārlis Paraugs").await?;
    let memorandum = draft(
        store,
        ws,
        Draft {
            initiative: initiative("information_campaign"),
            partner: association,
            kind: InstrumentKind::CooperationAgreement,
            subject: "Memorands par darbinieku velo braucienu programmu (piemērs)",
            purpose: "Uzņēmumi mudina darbiniekus braukt ar velosipēdu; pašvaldība nodrošina novietnes",
            euros: 0,
            term: (date(2021, 5, 1), Some(date(2021, 10, 31))),
            origin: Origin::Drafted,
            drafted_on: date(2021, 4, 10),
        },
    )
    .await?;
    let by_executive = |number: &str, on: NaiveDate| NewApproval {
        body: ApprovalBody::Official,
        decision_number: number.into(),
        decided_on: on,
        official_person_id: executive,
        meeting_decision_id: None,
        typed_votes: None,
    };
    store
        .move_instrument(
            &system,
            ws,
            memorandum,
            &Step::new(InstrumentStatus::Submitted, "Iesniegts", date(2021, 4, 20)),
            today,
        )
        .await?;
    store
        .approve_instrument(
            &system,
            ws,
            memorandum,
            &by_executive("R-50/2021 (piemērs)", date(2021, 4, 28)),
            today,
        )
        .await?;
    store
        .move_instrument(
            &system,
            ws,
            memorandum,
            &Step::new(InstrumentStatus::Active, "Memorands parakstīts", date(2021, 5, 3)),
            today,
        )
        .await?;
    store
        .move_instrument(
            &system,
            ws,
            memorandum,
            &Step::new(
                InstrumentStatus::Completed,
                "Programma noslēdzās 31.10.2021.",
                date(2021, 10, 31),
            ),
            today,
        )
        .await?;

    let partnership = draft(
        store,
        ws,
        Draft {
            initiative: initiative("mobility_point"),
            partner: energy,
            kind: InstrumentKind::PublicPrivatePartnership,
            subject: "Park&ride stāvvieta ar uzlādes staciju (piemērs)",
            purpose: "Ilgtermiņa kopīgs ieguldījums pārsēšanās stāvvietā",
            euros: 250_000,
            term: (date(2022, 1, 1), Some(date(2042, 12, 31))),
            origin: Origin::Drafted,
            drafted_on: date(2021, 8, 2),
        },
    )
    .await?;
    store
        .move_instrument(
            &system,
            ws,
            partnership,
            &Step::new(
                InstrumentStatus::Rejected,
                "Priekšlikums neatbilst publiskās un privātās partnerības likuma prasībām bez iepirkuma",
                date(2021, 9, 30),
            ),
            today,
        )
        .await?;

    let stand = draft(
        store,
        ws,
        Draft {
            initiative: initiative("crossing_with_owners"),
            partner: association,
            kind: InstrumentKind::CooperationAgreement,
            subject: "Velo remonta statīva uzturēšana pie pārejas (piemērs)",
            purpose: "Biedrība uztur velo remonta statīvu",
            euros: 0,
            term: (date(2021, 7, 1), Some(date(2023, 6, 30))),
            origin: Origin::Drafted,
            drafted_on: date(2021, 6, 1),
        },
    )
    .await?;
    store
        .move_instrument(
            &system,
            ws,
            stand,
            &Step::new(InstrumentStatus::Submitted, "Iesniegts", date(2021, 6, 10)),
            today,
        )
        .await?;
    store
        .approve_instrument(
            &system,
            ws,
            stand,
            &by_executive("R-70/2021 (piemērs)", date(2021, 6, 20)),
            today,
        )
        .await?;
    store
        .move_instrument(
            &system,
            ws,
            stand,
            &Step::new(
                InstrumentStatus::Terminated,
                "Biedrība atteicās no uzturēšanas pirms līguma parakstīšanas",
                date(2021, 6, 30),
            ),
            today,
        )
        .await?;
    Ok(())
}
