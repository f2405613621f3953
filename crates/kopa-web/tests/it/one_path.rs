//! The same action through a page and through the API has the same effect, because both call
//! the same use case: the same follows, notifications and mail, and the same limits.

use axum::http::StatusCode;
use kopa_domain::notification::{FollowKind, NotificationKind};

use crate::harness::{COORDINATOR, MEMBER, RESIDENT, TestApp, every_app};

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
    let ws = app.kekava().await;
    let link = format!("/w/kekava/ideas/{idea}#comments");
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
    for mut app in every_app().await {
        let ws = app.kekava().await;
        let store = app.db.store.clone();
        let idea = (FollowKind::Idea, 0);

        // A resident proposes one idea on the page and one through the API; both are followed.
        app.sign_in(RESIDENT).await;
        let on_page = app
            .post_form(
                "/w/kekava/ideas",
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
                "/api/v1/workspaces/kekava/ideas",
                serde_json::json!({ "title": "Apgaismojums gājēju tiltā (piemērs)",
                                    "body": "Tilts vakaros ir tumšs.", "place": "56.8300, 24.2300" }),
            )
            .await;
        assert_eq!(through_api.status, StatusCode::CREATED, "{}", through_api.body);
        let through_api = through_api.json()["id"].as_i64().unwrap();
        let resident = user(&app, RESIDENT).await;
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
        app.sign_in(MEMBER).await;
        let commented = app
            .post_form(
                &format!("/w/kekava/ideas/{on_page}/comments"),
                &[("body", "Atbalstu, pie skolas tas ir vajadzīgs.")],
            )
            .await;
        assert_eq!(commented.status, StatusCode::SEE_OTHER, "{}", commented.body);
        let commented = app
            .post_json(
                &format!("/api/v1/workspaces/kekava/ideas/{through_api}/comments"),
                serde_json::json!({ "body": "Jā, tur vakaros ir bīstami." }),
            )
            .await;
        assert_eq!(commented.status, StatusCode::CREATED, "{}", commented.body);
        let member = user(&app, MEMBER).await;
        for id in [on_page, through_api] {
            assert!(store.follows(member, idea.0, id).await.unwrap(), "idea {id}");
            assert_eq!(
                told_of_comments(&app, RESIDENT, id).await,
                (1, 1),
                "{} idea {id}",
                app.backend()
            );
            // Who did it is not told of it.
            assert_eq!(told_of_comments(&app, MEMBER, id).await, (0, 0));
        }

        // A coordinator supports each, one way each: both count the support and are followed.
        app.sign_out_locally();
        app.sign_in(COORDINATOR).await;
        let supported = app
            .post_form(&format!("/w/kekava/ideas/{on_page}/support"), &[("support", "yes")])
            .await;
        assert_eq!(supported.status, StatusCode::SEE_OTHER, "{}", supported.body);
        let supported = app
            .post_json(
                &format!("/api/v1/workspaces/kekava/ideas/{through_api}/support"),
                serde_json::json!({ "support": true }),
            )
            .await;
        assert_eq!(supported.status, StatusCode::OK, "{}", supported.body);
        assert_eq!(supported.json()["supporters"], 1);
        let coordinator = user(&app, COORDINATOR).await;
        for id in [on_page, through_api] {
            assert_eq!(store.idea(ws, id).await.unwrap().unwrap().supporters, 1);
            assert!(store.follows(coordinator, idea.0, id).await.unwrap(), "idea {id}");
        }
    }
}

#[tokio::test]
async fn a_limit_keeps_the_form_on_a_page_and_answers_429_through_the_api() {
    for mut app in every_app().await {
        app.sign_in(RESIDENT).await;
        let idea =
            |n: usize| serde_json::json!({ "title": format!("Ideja {n} (piemērs)"), "body": "Teksts.", "place": "" });
        // Five ideas an hour are welcome.
        for n in 0..5 {
            let made = app.post_json("/api/v1/workspaces/kekava/ideas", idea(n)).await;
            assert_eq!(
                made.status,
                StatusCode::CREATED,
                "{} idea {n}: {}",
                app.backend(),
                made.body
            );
        }
        let refused = app.post_json("/api/v1/workspaces/kekava/ideas", idea(5)).await;
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{}", refused.body);
        let wait: u64 = refused.headers["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=3600).contains(&wait), "{wait}");
        assert_eq!(refused.json()["status"], 429);

        // The page keeps what was typed and says why.
        let page = app
            .post_form(
                "/w/kekava/ideas",
                &[
                    ("title", "Sestā ideja (piemērs)"),
                    ("body", "Mans garais teksts."),
                    ("place", ""),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.body.contains("Mans garais teksts."), "the text is kept");
        assert!(page.body.contains("Pārāk daudz īsā laikā"), "{}", page.body);
    }
}
