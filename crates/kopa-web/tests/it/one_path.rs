//! The same action through a page and through the API has the same effect, because both call
//! the same use case: the same follows, notifications and mail, the same limits, and the same
//! records of an instrument's approval and a plan's submission.

use axum::http::StatusCode;
use kopa_domain::notification::{FollowKind, NotificationKind};

use kopa_domain::Role;

use crate::harness::{COORDINATOR, TestApp, every_app, every_workspace};

/// The id at the end of a page's address, such as `/w/kekava/ideas/12`.
fn id_in(location: Option<&str>) -> i64 {
    let location = location.expect("a redirect");
    let path = location.split('#').next().unwrap_or_default();
    path.rsplit('/').next().unwrap().parse().unwrap()
}

async fn user(app: &TestApp, email: &str) -> i64 {
    app.db.store.user_by_email(email).await.unwrap().unwrap().id
}

/// What `email` was told of comments on idea `idea`: notifications in the app, and mail.
async fn told_of_comments(app: &TestApp, email: &str, idea: i64) -> (usize, usize) {
    let ws = app.workspace_id().await;
    let link = format!("/w/{}/ideas/{idea}#comments", app.slug);
    let notified = app
        .db
        .store
        .notifications(user(app, email).await, ws, 100)
        .await
        .unwrap()
        .iter()
        .filter(|n| n.kind == NotificationKind::Comment && n.link == link)
        .count();
    let mailed = app
        .db
        .store
        .outbox(ws, 200)
        .await
        .unwrap()
        .iter()
        .filter(|m| m.to_email == email && m.body.contains(&link))
        .count();
    (notified, mailed)
}

#[tokio::test]
async fn ideas_comments_and_supports_follow_and_notify_alike_through_pages_and_the_api() {
    for mut app in every_workspace(&[Role::Public, Role::Member, Role::Coordinator]).await {
        let ws = app.workspace_id().await;
        let store = app.db.store.clone();
        let idea = (FollowKind::Idea, 0);
        let [resident_email, member_email, coordinator_email] =
            [Role::Public, Role::Member, Role::Coordinator].map(|role| app.account(role).to_owned());

        // A resident proposes one idea on the page and one through the API; both are followed.
        app.sign_in_as(Role::Public).await;
        let on_page = app
            .post_form(
                "/w/town/ideas",
                &[
                    ("title", "Velonovietne pie skolas (piemērs)"),
                    ("body", "Pie skolas trūkst vietas velosipēdiem."),
                    ("place", "56.8260, 24.2310"),
                ],
            )
            .await;
        assert_eq!(on_page.status, StatusCode::SEE_OTHER, "{}", on_page.body);
        let on_page = id_in(on_page.location());
        let through_api = app
            .post_json(
                "/api/v1/workspaces/town/ideas",
                serde_json::json!({ "title": "Apgaismojums gājēju tiltā (piemērs)",
                                    "body": "Tilts vakaros ir tumšs.", "place": "56.8300, 24.2300" }),
            )
            .await;
        assert_eq!(through_api.status, StatusCode::CREATED, "{}", through_api.body);
        let through_api = through_api.json()["id"].as_i64().unwrap();
        let resident = user(&app, &resident_email).await;
        for id in [on_page, through_api] {
            assert!(
                store.follows(resident, idea.0, id).await.unwrap(),
                "{} idea {id}",
                app.backend()
            );
        }

        // A member comments on each, one way each: the member follows both, and the resident
        // is told of both, in the app and by mail.
        app.sign_out_locally();
        app.sign_in_as(Role::Member).await;
        let commented = app
            .post_form(
                &format!("/w/town/ideas/{on_page}/comments"),
                &[("body", "Atbalstu, pie skolas tas ir vajadzīgs.")],
            )
            .await;
        assert_eq!(commented.status, StatusCode::SEE_OTHER, "{}", commented.body);
        let commented = app
            .post_json(
                &format!("/api/v1/workspaces/town/ideas/{through_api}/comments"),
                serde_json::json!({ "body": "Jā, tur vakaros ir bīstami." }),
            )
            .await;
        assert_eq!(commented.status, StatusCode::CREATED, "{}", commented.body);
        let member = user(&app, &member_email).await;
        for id in [on_page, through_api] {
            assert!(store.follows(member, idea.0, id).await.unwrap(), "idea {id}");
            assert_eq!(
                told_of_comments(&app, &resident_email, id).await,
                (1, 1),
                "{} idea {id}",
                app.backend()
            );
            // Who did it is not told of it.
            assert_eq!(told_of_comments(&app, &member_email, id).await, (0, 0));
        }

        // A coordinator supports each, one way each: both count the support and are followed.
        app.sign_out_locally();
        app.sign_in_as(Role::Coordinator).await;
        let supported = app
            .post_form(&format!("/w/town/ideas/{on_page}/support"), &[("support", "yes")])
            .await;
        assert_eq!(supported.status, StatusCode::SEE_OTHER, "{}", supported.body);
        let supported = app
            .post_json(
                &format!("/api/v1/workspaces/town/ideas/{through_api}/support"),
                serde_json::json!({ "support": true }),
            )
            .await;
        assert_eq!(supported.status, StatusCode::OK, "{}", supported.body);
        assert_eq!(supported.json()["supporters"], 1);
        let coordinator = user(&app, &coordinator_email).await;
        for id in [on_page, through_api] {
            assert_eq!(store.idea(ws, id).await.unwrap().unwrap().supporters, 1);
            assert!(store.follows(coordinator, idea.0, id).await.unwrap(), "idea {id}");
        }
    }
}

#[tokio::test]
async fn a_limit_keeps_the_form_on_a_page_and_answers_429_through_the_api() {
    for mut app in every_workspace(&[Role::Public]).await {
        app.sign_in_as(Role::Public).await;
        let idea =
            |n: usize| serde_json::json!({ "title": format!("Ideja {n} (piemērs)"), "body": "Teksts.", "place": "" });
        // Five ideas an hour are welcome.
        for n in 0..5 {
            let made = app.post_json("/api/v1/workspaces/town/ideas", idea(n)).await;
            assert_eq!(
                made.status,
                StatusCode::CREATED,
                "{} idea {n}: {}",
                app.backend(),
                made.body
            );
        }
        let refused = app.post_json("/api/v1/workspaces/town/ideas", idea(5)).await;
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{}", refused.body);
        let wait: u64 = refused.headers["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=3600).contains(&wait), "{wait}");
        assert_eq!(refused.json()["status"], 429);

        // The page keeps what was typed and says why.
        let page = app
            .post_form(
                "/w/town/ideas",
                &[
                    ("title", "Sestā ideja (piemērs)"),
                    ("body", "Mans garais teksts."),
                    ("place", ""),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(page.headers.contains_key("retry-after"));
        assert!(page.body.contains("Mans garais teksts."), "the text is kept");
        assert!(page.body.contains("Pārāk daudz īsā laikā"), "{}", page.body);
    }
}

/// What approving left behind: the approval, the step it took, and who the log names.
async fn approval_record(app: &TestApp, id: i64) -> serde_json::Value {
    let ws = app.workspace_id().await;
    let store = &app.db.store;
    let instrument = store.instrument(ws, id).await.unwrap().unwrap();
    let approval = store.approval(id).await.unwrap().expect("an approval");
    let step = store.instrument_steps(id).await.unwrap().pop().expect("a step");
    let logged: Vec<(String, String, String)> = store
        .instrument_trail(ws, id, instrument.partner_id)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.entity == "instrument_approval" || (e.entity == "instrument" && e.entity_id == id))
        .map(|e| (e.entity, e.action, e.actor_label))
        .collect();
    serde_json::json!({
        "status": instrument.status,
        "approval": approval,
        "step": [step.from, step.to, step.actor_label],
        "logged": logged,
    })
}

#[tokio::test]
async fn an_approval_through_a_page_and_through_the_api_has_the_same_effect() {
    for mut app in every_workspace(&[Role::Coordinator]).await {
        let official = app.official().await;
        let (on_page, through_api) = (app.submitted_instrument().await, app.submitted_instrument().await);
        app.sign_in_as(Role::Coordinator).await;

        // A refusal names the same field both ways, and changes nothing.
        let typed = |decided_on: &str| {
            serde_json::json!({ "body": "council", "decision_number": "R-7 (piemērs)", "decided_on": decided_on,
                                "official_person_id": official.to_string() })
        };
        let page = app
            .post_owned(
                &format!("/w/town/cooperation/instruments/{on_page}/approval"),
                &[
                    ("body", "council".into()),
                    ("decision_number", "R-7 (piemērs)".into()),
                    ("decided_on", "2021-04-30".into()),
                    ("official_person_id", official.to_string()),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.backend());
        assert!(
            page.body.contains("id=\"e-approval-votes_for\""),
            "the vote is asked for on the page"
        );
        let api = app
            .post_json(
                &format!("/api/v1/workspaces/town/instruments/{through_api}/approval"),
                typed("2021-04-30"),
            )
            .await;
        assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", api.body);
        assert_eq!(api.json()["errors"][0]["field"], "votes_for", "{}", api.body);
        for id in [on_page, through_api] {
            assert!(app.db.store.approval(id).await.unwrap().is_none());
        }

        // An official's approval, one way each, leaves the same records.
        let page = app
            .post_owned(
                &format!("/w/town/cooperation/instruments/{on_page}/approval"),
                &[
                    ("body", "official".into()),
                    ("decision_number", "R-7 (piemērs)".into()),
                    ("decided_on", "2021-04-30".into()),
                    ("official_person_id", official.to_string()),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let api = app
            .post_json(
                &format!("/api/v1/workspaces/town/instruments/{through_api}/approval"),
                serde_json::json!({ "body": "official", "decision_number": "R-7 (piemērs)",
                                    "decided_on": "2021-04-30", "official_person_id": official }),
            )
            .await;
        assert_eq!(api.status, StatusCode::OK, "{}", api.body);
        assert_eq!(api.json()["instrument"]["status"], "approved");
        let (by_page, by_api) = (
            approval_record(&app, on_page).await,
            approval_record(&app, through_api).await,
        );
        assert_eq!(by_page, by_api, "{}", app.backend());
        assert_eq!(by_page["status"], "approved");
        assert_eq!(
            by_page["step"][2],
            app.account(Role::Coordinator),
            "the log names who approved"
        );
    }
}

/// What submitting version `number` left behind: who submitted it, its frozen indicators,
/// and what the log says.
async fn submission_record(app: &TestApp, number: i64) -> serde_json::Value {
    let ws = app.workspace_id().await;
    let store = &app.db.store;
    let version = store.plan_version(ws, number).await.unwrap().unwrap();
    let logged: Vec<(String, Option<String>)> = store
        .audit_events(ws, 500, 0)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.entity == "plan_version" && e.entity_id == version.info.id)
        .filter(|e| e.after.as_deref().is_some_and(|after| after.contains("\"submitted\"")))
        .map(|e| (e.actor_label, e.after))
        .map(|(who, after)| {
            (
                who,
                after.map(|a| a.replace(&format!("\"number\":{number}"), "\"number\":N")),
            )
        })
        .collect();
    let counted: Vec<_> = version
        .plan
        .indicators
        .iter()
        .map(|i| serde_json::to_value(&i.measurements).unwrap())
        .collect();
    serde_json::json!({
        "submitted": version.info.is_submitted(),
        "by": version.info.submitted_by,
        "indicators": counted,
        "logged": logged,
    })
}

#[tokio::test]
async fn a_plan_submitted_through_a_page_and_through_the_api_has_the_same_effect() {
    for mut app in every_app().await {
        app.sign_in(COORDINATOR).await;
        app.set_language("en");
        // Gaps left unconfirmed are refused both ways, with the same words.
        let page = app.post_form("/w/kekava/plan/versions/1/submit", &[]).await;
        assert_eq!(page.status, StatusCode::CONFLICT, "{}", app.backend());
        let api = app
            .post_json(
                "/api/v1/workspaces/kekava/plan/versions/1/submission",
                serde_json::json!({}),
            )
            .await;
        assert_eq!(api.status, StatusCode::CONFLICT, "{}", api.body);
        let detail = api.json()["detail"].as_str().unwrap().to_owned();
        assert!(page.body.contains(&detail), "the page says what the API says: {detail}");

        // Version 1 is submitted on its page; version 2, opened and submitted through the API.
        let page = app
            .post_form("/w/kekava/plan/versions/1/submit", &[("with_gaps", "on")])
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let opened = app
            .post_json("/api/v1/workspaces/kekava/plan/versions", serde_json::json!({}))
            .await;
        assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
        assert_eq!(opened.json()["info"]["number"], 2);
        let api = app
            .post_json(
                "/api/v1/workspaces/kekava/plan/versions/2/submission",
                serde_json::json!({ "with_gaps": true }),
            )
            .await;
        assert_eq!(api.status, StatusCode::OK, "{}", api.body);
        assert!(api.json()["submitted_at"].is_string());

        let (by_page, by_api) = (submission_record(&app, 1).await, submission_record(&app, 2).await);
        assert_eq!(by_page, by_api, "{}", app.backend());
        assert_eq!(by_page["submitted"], true);
        assert_eq!(by_page["logged"].as_array().map(Vec::len), Some(1), "{by_page}");

        // A second submission is refused both ways.
        let again = app
            .post_form("/w/kekava/plan/versions/1/submit", &[("with_gaps", "on")])
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        let again = app
            .post_json(
                "/api/v1/workspaces/kekava/plan/versions/2/submission",
                serde_json::json!({ "with_gaps": true }),
            )
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    }
}

/// A plan's download on the site and `kopa plan export` come from one use case: the page's
/// words and the command line's give the same document, byte for byte.
#[tokio::test]
async fn a_plan_export_is_the_same_from_the_site_and_from_the_use_case_the_cli_calls() {
    for mut app in every_app().await {
        app.sign_in(COORDINATOR).await;
        let downloaded = app.get("/w/kekava/plan/versions/1/export/en/html").await;
        assert_eq!(downloaded.status, StatusCode::OK);
        let kopa = &app.state.app;
        let caller = kopa.caller_at("kekava", Some(COORDINATOR)).await.unwrap();
        let words = kopa.wording(&caller, kopa_app::Locale::En);
        let report = kopa.plan_report(&caller, 1, &words).await.unwrap();
        let written = kopa_report::write(&report, kopa_report::Format::Html).unwrap();
        assert!(downloaded.body.contains("Integrated Action Plan"));
        assert_eq!(downloaded.bytes, written);

        // A visitor reads neither: the demo's plan is a draft.
        let visitor = kopa.caller_at("kekava", None).await.unwrap();
        assert!(matches!(
            kopa.plan_report(&visitor, 1, &words).await,
            Err(kopa_app::Refusal::SignInRequired)
        ));
    }
}
