//! Query budgets: how many SQL statements a page runs does not grow with the rows it shows.
//! Each page is counted on the demo, then again after the workspace has grown.

use axum::http::StatusCode;
use kopa_domain::audit::SystemActor;
use kopa_domain::cooperation::instrument::{InstrumentInput, InstrumentStatus};
use kopa_domain::cooperation::obligation::{InspectionInput, ObligationInput};
use kopa_domain::idea::{CommentInput, IdeaInput};
use kopa_domain::meeting::{DecisionInput, MeetingInput};
use kopa_store::{Actor, Author, Origin};

use crate::harness::{COORDINATOR, TestApp, every_counted_app};

/// The pages a coordinator works from, by the most their queries may be when nothing is kept
/// from earlier requests: a little above what they run now, so that a page that starts to run
/// more is noticed.
const BUDGETS: &[(&str, u64)] = &[
    // The coordinator's home reads the register's files for what needs attention (kept
    // between requests, as the register's own page keeps them).
    ("/w/kekava", 30),
    ("/w/kekava/meetings", 8),
    ("/w/kekava/ideas", 7),
    ("/w/kekava/initiatives", 8),
    ("/w/kekava/map", 11),
    ("/w/kekava/cooperation", 26),
    ("/w/kekava/agreements", 20),
    ("/w/kekava/plan", 20),
    ("{instrument}", 26),
    ("{partner}", 27),
];

/// Adds `n` of everything the pages list: instruments with an obligation and an inspection,
/// meetings with a decision, and ideas with a comment.
async fn grow(app: &TestApp, n: usize) {
    let store = &app.db.store;
    let ws = app.workspace_id().await;
    let actor = Actor::system(SystemActor::Setup);
    let instrument = store.instruments(ws).await.unwrap()[0].clone();
    for i in 0..n {
        let input = InstrumentInput {
            initiative_id: instrument.initiative_id.to_string(),
            partner_id: instrument.partner_id.to_string(),
            kind: "cooperation_agreement".into(),
            subject: format!("Velostatīvi {i} (piemērs)"),
            purpose: "Velostatīvu uzstādīšana".into(),
            value: "100".into(),
            starts_on: "2021-05-01".into(),
            ends_on: "2022-04-30".into(),
        };
        let made = store
            .create_instrument(
                &actor,
                ws,
                &input.validate().unwrap(),
                Origin::Drafted,
                true,
                chrono::NaiveDate::from_ymd_opt(2021, 4, 1).unwrap(),
            )
            .await
            .unwrap();
        let obligation = ObligationInput {
            title: format!("Uzturēt statīvus {i}"),
            maintenance_standard: "Tīri un veseli".into(),
            starts_on: "2021-05-01".into(),
            inspect_every_months: "12".into(),
            ..Default::default()
        };
        let obligation = store
            .add_obligation(&actor, ws, made.id, &obligation.validate().unwrap())
            .await
            .unwrap();
        let inspection = InspectionInput {
            inspected_on: "2021-06-01".into(),
            inspector: "Inspektore (piemērs)".into(),
            compliant: "yes".into(),
            ..Default::default()
        };
        let today = chrono::NaiveDate::from_ymd_opt(2021, 6, 2).unwrap();
        store
            .add_inspection(&actor, ws, obligation.id, &inspection.validate(today).unwrap())
            .await
            .unwrap();

        let meeting = MeetingInput {
            kind: "group".into(),
            title: format!("Darba grupa {i} (piemērs)"),
            starts_at: "2021-02-02T10:00".into(),
            ends_at: "2021-02-02T12:00".into(),
            mode: "in_person".into(),
            place: "Ķekava".into(),
            published: Some("on".into()),
            ..Default::default()
        };
        let meeting = store
            .create_meeting(&actor, ws, &meeting.validate().unwrap())
            .await
            .unwrap();
        let decision = DecisionInput {
            text: format!("Lēmums {i}"),
            votes_for: "5".into(),
            votes_against: "0".into(),
            votes_abstain: "0".into(),
            ..Default::default()
        };
        store
            .record_decision(&actor, ws, meeting.id, &decision.validate(&meeting).unwrap())
            .await
            .unwrap();

        let author = Author {
            user_id: None,
            name: "Iedzīvotājs (piemērs)".into(),
        };
        let idea = IdeaInput {
            title: format!("Ideja {i} (piemērs)"),
            body: "Teksts.".into(),
            place: "56.8260, 24.2310".into(),
        };
        let idea = store
            .create_idea(&actor, ws, &author, &idea.validate().unwrap())
            .await
            .unwrap();
        let comment = CommentInput {
            body: "Atbalstu.".into(),
            ..Default::default()
        };
        store
            .comment_on_idea(&actor, ws, idea.id, &author, &comment.validate().unwrap())
            .await
            .unwrap();
    }
}

/// The statements each budgeted page runs with nothing kept from earlier requests, as its path
/// and count; and, printed beside it, what it runs once its kept values are warm.
async fn count_pages(app: &mut TestApp, count: &kopa_store::testing::StatementCount) -> Vec<(String, u64)> {
    let ws = app.workspace_id().await;
    let instrument = app.db.store.instruments(ws).await.unwrap()[0].clone();
    let mut counted = Vec::new();
    for (path, _) in BUDGETS {
        let path = path
            .replace(
                "{instrument}",
                &format!("/w/kekava/cooperation/instruments/{}", instrument.id),
            )
            .replace(
                "{partner}",
                &format!("/w/kekava/cooperation/partners/{}", instrument.partner_id),
            );
        // Once to open the connections, then counted cold and warm.
        assert_eq!(app.get(&path).await.status, StatusCode::OK, "{path}");
        app.forget_what_is_kept();
        let (response, statements) = count.of(app.get(&path)).await;
        assert_eq!(response.status, StatusCode::OK, "{path}");
        let (_, warm) = count.of(app.get(&path)).await;
        eprintln!("{} {path}: {statements} statements, {warm} once warm", app.backend());
        counted.push((path, statements));
    }
    counted
}

#[tokio::test]
async fn pages_and_approvals_run_as_many_queries_however_much_they_show() {
    let (count, apps) = every_counted_app().await;
    for mut app in apps {
        app.sign_in(COORDINATOR).await;
        let demo = count_pages(&mut app, &count).await;
        let approval_on_demo = count_approval(&mut app, &count).await;
        grow(&app, 12).await;
        let grown = count_pages(&mut app, &count).await;
        let approval_grown = count_approval(&mut app, &count).await;
        eprintln!(
            "{}: approving an instrument ran {approval_on_demo} statements, {approval_grown} when grown",
            app.backend()
        );
        assert!(
            approval_on_demo > 0 && approval_grown <= approval_on_demo,
            "{}: {approval_on_demo} → {approval_grown}",
            app.backend()
        );
        assert!(approval_grown <= 55, "{}: {approval_grown}", app.backend());
        let report: Vec<String> = demo
            .iter()
            .zip(&grown)
            .map(|((path, before), (_, after))| format!("{path}: {before} → {after}"))
            .collect();
        eprintln!("{} statements per page:\n{}", app.backend(), report.join("\n"));
        for (((path, before), (_, after)), (_, budget)) in demo.iter().zip(&grown).zip(BUDGETS) {
            assert!(*before > 0, "{path}: no statements counted");
            assert!(
                after <= before && after <= budget,
                "{}: {path} ran {after} statements (demo {before}, budget {budget})\n{}",
                app.backend(),
                report.join("\n")
            );
        }
    }
}

/// The statements of approving an instrument on its page: the post, and the page it returns to.
async fn count_approval(app: &mut TestApp, count: &kopa_store::testing::StatementCount) -> u64 {
    let store = app.db.store.clone();
    let ws = app.workspace_id().await;
    let made = app.submitted_instrument().await;
    let official = store.people(ws).await.unwrap()[0].id.to_string();
    let path = format!("/w/kekava/cooperation/instruments/{made}");
    let approval = format!("{path}/approval");
    let csrf = app.csrf().await;
    let fields = [
        ("body", "official"),
        ("decision_number", "R-1 (piemērs)"),
        ("decided_on", "2021-04-30"),
        ("official_person_id", official.as_str()),
        ("csrf", csrf.as_str()),
    ];
    let body = serde_urlencoded::to_string(fields).unwrap();
    let ((approved, shown), statements) = count
        .of(async {
            let approved = app
                .post_raw(&approval, "application/x-www-form-urlencoded", body.into_bytes())
                .await;
            (approved.status, app.get(&path).await.status)
        })
        .await;
    assert_eq!((approved, shown), (StatusCode::SEE_OTHER, StatusCode::OK));
    assert_eq!(
        store.instrument(ws, made).await.unwrap().unwrap().status,
        InstrumentStatus::Approved
    );
    statements
}
