//! Cooperation with business through the pages: refusals name what is missing and change
//! nothing, inspection photos stay with coordinators and auditors, and the audit pack's JSON,
//! PDF and page agree on whether the records still match the log.

use axum::http::StatusCode;
use kopa_domain::cooperation::instrument::{InstrumentKind, InstrumentStatus};
use kopa_domain::cooperation::pack::{PackProblem, verify_sealed};
use kopa_store::testing::execute_raw;

use crate::harness::{AUDITOR, COORDINATOR, PARTNER, TestApp, every_app, png};

/// The demo's instrument of this kind and status.
async fn instrument(app: &TestApp, kind: InstrumentKind, status: InstrumentStatus) -> i64 {
    let ws = app.workspace_id().await;
    app.db
        .store
        .instruments(ws)
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.kind == kind && i.status == status)
        .unwrap()
        .id
}

#[tokio::test]
async fn refused_cooperation_forms_name_the_problem_and_change_nothing() {
    for mut app in every_app().await {
        let ws = app.workspace_id().await;
        let store = app.db.store.clone();
        let before = store.audit_event_count(ws).await.unwrap();
        app.sign_in(COORDINATOR).await;

        let negative = app
            .post_form(
                "/w/kekava/cooperation/instruments",
                &[
                    ("initiative_id", "999999"),
                    ("partner_id", "1"),
                    ("kind", "gift"),
                    ("subject", "Soliņi"),
                    ("purpose", "Atpūtai"),
                    ("value", "-500"),
                ],
            )
            .await;
        assert_eq!(negative.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.backend());
        assert!(negative.body.contains("Summa nevar būt negatīva"), "the value is named");
        assert!(
            negative.body.contains("Izvēlieties vienu no iespējām"),
            "the kind is named"
        );

        let blocked = instrument(&app, InstrumentKind::Donation, InstrumentStatus::Submitted).await;
        let chair = store.people(ws).await.unwrap()[0].id.to_string();
        let approval = format!("/w/kekava/cooperation/instruments/{blocked}/approval");
        let refused = app
            .post_form(
                &approval,
                &[
                    ("body", "official"),
                    ("decision_number", "R-1"),
                    ("decided_on", "2021-06-01"),
                    ("official_person_id", &chair),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body.contains("nav neieinteresēta trešā persona"),
            "the third-party gate says why"
        );
        let twice = app
            .post_form(
                &approval,
                &[
                    ("body", "council"),
                    ("decision_number", "5"),
                    ("decided_on", "2021-06-01"),
                    ("official_person_id", &chair),
                    ("meeting_decision_id", "1"),
                    ("votes_for", "9"),
                ],
            )
            .await;
        assert!(twice.body.contains("ne abus"), "a vote given twice is named");
        let future = app
            .post_form(
                &approval,
                &[
                    ("body", "official"),
                    ("decision_number", "R-1"),
                    ("decided_on", "2999-01-01"),
                    ("official_person_id", &chair),
                ],
            )
            .await;
        assert!(future.body.contains("Šis datums ir nākotnē"));

        let lease = instrument(&app, InstrumentKind::LandLease, InstrumentStatus::Active).await;
        let obligations = format!("/w/kekava/cooperation/instruments/{lease}/obligations");
        let empty = app
            .post_form(
                &obligations,
                &[
                    ("title", "Nekas"),
                    ("starts_on", "2021-05-01"),
                    ("inspect_every_months", "0"),
                ],
            )
            .await;
        assert!(empty.body.contains("Norādiet, kas jādara"));
        assert!(empty.body.contains("ārpus atļautajām robežām"));
        let skipped = app
            .post_form(
                &format!("/w/kekava/cooperation/instruments/{blocked}/steps"),
                &[("to", "active"), ("reason", "Steidzami")],
            )
            .await;
        assert_eq!(skipped.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            skipped
                .body
                .contains("No pašreizējā statusa instruments tur nevar pāriet")
        );
        let rules = app
            .post_form("/w/kekava/cooperation/rules", &[("donation.publication", "approval")])
            .await;
        assert_eq!(rules.status, StatusCode::UNPROCESSABLE_ENTITY);

        assert_eq!(
            store.audit_event_count(ws).await.unwrap(),
            before,
            "nothing was written"
        );
        let file = store
            .instrument_file(ws, blocked, store.today_in("Europe/Riga").unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(file.instrument.status, InstrumentStatus::Submitted);
        assert!(file.approval.is_none());

        // A partner offers only in its own name.
        app.sign_out_locally();
        app.sign_in(PARTNER).await;
        let other = file.partner.id.to_string();
        let initiative = file.instrument.initiative_id.to_string();
        let offer = app
            .post_form(
                "/w/kekava/business/offers",
                &[
                    ("partner_id", &other),
                    ("initiative_id", &initiative),
                    ("kind", "donation"),
                    ("subject", "Soliņi"),
                    ("purpose", "Atpūtai"),
                    ("value", "100"),
                ],
            )
            .await;
        assert_eq!(offer.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(offer.body.contains("kura vārdā darbojaties"));
        assert_eq!(store.audit_event_count(ws).await.unwrap(), before);
    }
}

#[tokio::test]
async fn inspection_photos_are_checked_and_shown_only_to_coordinators_and_auditors() {
    for mut app in every_app().await {
        let ws = app.workspace_id().await;
        let lease = instrument(&app, InstrumentKind::LandLease, InstrumentStatus::Active).await;
        let file = app
            .db
            .store
            .instrument_file(ws, lease, app.db.store.today_in("Europe/Riga").unwrap())
            .await
            .unwrap()
            .unwrap();
        let inspection = file.inspections[0].id;
        let upload = format!("/w/kekava/cooperation/instruments/{lease}/inspections/{inspection}/photos");
        app.sign_in(COORDINATOR).await;
        let text = app
            .post_upload(
                &upload,
                &[],
                &[("photos", "akts.png", b"%PDF-1.7 not an image".to_vec())],
                true,
            )
            .await;
        assert_eq!(text.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.backend());
        assert!(text.body.contains("Der tikai JPEG, PNG vai WebP"));
        let added = app
            .post_upload(
                &upload,
                &[("description", "Bojātie statīvi")],
                &[("photos", "stativi.png", png(64, 48))],
                true,
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let photos = app
            .db
            .store
            .photos(kopa_store::Album::Inspection(inspection))
            .await
            .unwrap();
        assert_eq!(photos.len(), 1);
        let page = app.get(&format!("/w/kekava/cooperation/instruments/{lease}")).await;
        assert!(page.body.contains("alt=\"Bojātie statīvi\""));
        let photo = format!("{upload}/{}", photos[0].id);
        assert_eq!(app.get(&photo).await.headers["content-type"], "image/jpeg");

        app.sign_out_locally();
        app.sign_in(AUDITOR).await;
        assert_eq!(app.get(&photo).await.status, StatusCode::OK);
        app.sign_out_locally();
        app.sign_in(PARTNER).await;
        assert_eq!(app.get(&photo).await.status, StatusCode::FORBIDDEN);
        // The photo is part of the instrument's audit trail, and the pack still verifies.
        let pack = app
            .db
            .store
            .audit_pack(ws, lease, file.standing.on)
            .await
            .unwrap()
            .unwrap();
        assert!(pack.trail.iter().any(|e| e.entity == "inspection_photo"));
        assert!(pack.verification.passed());
    }
}

#[tokio::test]
async fn an_auditors_pack_verifies_until_a_stored_approval_is_changed() {
    for mut app in every_app().await {
        let lease = instrument(&app, InstrumentKind::LandLease, InstrumentStatus::Active).await;
        app.sign_in(AUDITOR).await;
        let base = format!("/w/kekava/audit-packs/{lease}");

        let json = app.get(&format!("{base}/pack.json")).await;
        assert_eq!(json.status, StatusCode::OK, "{}", app.backend());
        assert!(
            json.headers["content-disposition"]
                .to_str()
                .unwrap()
                .contains("attachment")
        );
        let pack = verify_sealed(&json.body).unwrap();
        assert_eq!(pack.file.instrument.id, lease);
        assert!(pack.trail.iter().any(|e| e.entity == "instrument_approval"));
        let pdf = app.get(&format!("{base}/pack.pdf")).await;
        assert_eq!(pdf.headers["content-type"], "application/pdf");
        assert!(pdf.body.starts_with("%PDF-"));
        let page = app.get(&base).await;
        assert!(page.body.contains("Pārbaudīts sagatavošanas brīdī"));
        assert!(page.body.contains("12/2021 (piemērs)"));

        // Someone changes the vote in the database, behind Kopa's back.
        execute_raw(
            &app.db.url,
            &format!("UPDATE instrument_approvals SET votes_for = 7 WHERE instrument_id = {lease}"),
        )
        .await;
        let page = app.get(&base).await;
        assert!(page.body.contains("Sagatavošanas brīdī pārbaude neizdevās"));
        assert!(page.body.contains(&format!("approval of instrument {lease}")));
        let json = app.get(&format!("{base}/pack.json")).await;
        assert!(matches!(verify_sealed(&json.body), Err(PackProblem::NotVerified(_))));

        // The auditor sees nothing else private.
        for private in ["/w/kekava/cooperation", "/w/kekava/audit", "/w/kekava/stakeholders"] {
            assert_eq!(app.get(private).await.status, StatusCode::FORBIDDEN, "{private}");
        }
    }
}

#[tokio::test]
async fn the_public_register_lists_accepted_agreements_and_flags_the_overdue_publication() {
    for mut app in every_app().await {
        let register = app.get("/w/kekava/agreements").await;
        assert_eq!(register.status, StatusCode::OK, "{}", app.backend());
        let body = &register.body;
        for shown in [
            "SIA Velo Piemērs",
            "1\u{a0}200,00\u{a0}€",
            "Mobilitātes punkts: velo novietne",
            "Velo novietne publiski pieejama",
            "katru dienu visu diennakti",
            "Publikācija nokavēta: termiņš bija 12.04.2021.",
        ] {
            assert!(body.contains(shown), "{shown:?} missing");
        }
        // Not yet accepted, so not listed; and no contact person's name is public.
        assert!(!body.contains("Soliņi un velo statīvi"));
        assert!(!body.contains("Roberts Paraugs"));
    }
}

#[tokio::test]
async fn a_partner_opens_its_own_instruments_to_see_what_is_still_missing_and_no_one_elses() {
    for mut app in every_app().await {
        app.sign_in(PARTNER).await;
        let business = app.get("/w/kekava/business").await.body;
        let own: Vec<String> = business
            .split(r#"href="/w/kekava/business/instruments/"#)
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap().to_owned())
            .collect();
        assert!(!own.is_empty(), "{}: {business}", app.backend());
        for id in &own {
            let page = app.get(&format!("/w/kekava/business/instruments/{id}")).await;
            assert_eq!(page.status, StatusCode::OK, "{id}");
            for heading in [
                "Ko prasa noteikumi",
                "Mūsu pienākumi un nākamās pārbaudes",
                "Dokumenti",
                "Statuss un vēsture",
            ] {
                assert!(page.body.contains(heading), "{heading}: {}", page.body);
            }
            assert!(
                !page.body.contains("/cooperation/partners/"),
                "the register's partner file is not theirs to open"
            );
        }
        // Any other instrument is unknown to them, and the register's pages closed.
        let all = app.db.store.instruments(app.workspace_id().await).await.unwrap();
        let other = all
            .iter()
            .find(|i| !own.contains(&i.id.to_string()))
            .expect("another's instrument");
        let refused = app.get(&format!("/w/kekava/business/instruments/{}", other.id)).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
        let register = app.get(&format!("/w/kekava/cooperation/instruments/{}", own[0])).await;
        assert_eq!(register.status, StatusCode::FORBIDDEN);

        app.sign_in(COORDINATOR).await;
        let coordinator = app.get(&format!("/w/kekava/business/instruments/{}", own[0])).await;
        assert_eq!(
            coordinator.status,
            StatusCode::NOT_FOUND,
            "a coordinator acts for no partner"
        );
    }
}
