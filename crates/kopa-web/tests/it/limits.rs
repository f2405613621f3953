//! Rate limits against guessing, spam and floods: counted atomically in the database, so
//! that they hold for requests at once and across a restart, keyed on the client's address
//! as the trusted proxy gives it, and never a way to lock an owner out of their account.

use axum::http::StatusCode;
use kopa_app::testing::png_header;
use kopa_domain::Role;

use crate::harness::{PASSWORD, TestApp, every_workspace};

/// 30 ideas sent at once by one resident, against a limit of five an hour: five are saved,
/// and the rest are answered 429 with the time to wait.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_ideas_at_once_make_five() {
    for mut app in every_workspace(&[Role::Public]).await {
        app.sign_in_as(Role::Public).await;
        let csrf = app.csrf().await;
        let (router, cookies) = app.side_by_side();
        let sent: Vec<_> = (0..30)
            .map(|n| {
                let (router, cookies, csrf) = (router.clone(), cookies.clone(), csrf.clone());
                tokio::spawn(async move {
                    use tower::ServiceExt;
                    let fields = [
                        ("title", format!("Ideja {n} (piemērs)")),
                        ("body", "Teksts.".into()),
                        ("csrf", csrf),
                    ];
                    let request = axum::http::Request::post("/w/town/ideas")
                        .header("content-type", "application/x-www-form-urlencoded")
                        .header("cookie", cookies)
                        .body(axum::body::Body::from(serde_urlencoded::to_string(fields).unwrap()))
                        .unwrap();
                    let answer = router.oneshot(request).await.unwrap();
                    (answer.status(), answer.headers().contains_key("retry-after"))
                })
            })
            .collect();
        let mut answers = Vec::new();
        for answer in sent {
            answers.push(answer.await.unwrap());
        }
        let saved = answers
            .iter()
            .filter(|(status, _)| *status == StatusCode::SEE_OTHER)
            .count();
        let held: Vec<_> = answers
            .iter()
            .filter(|(status, _)| *status == StatusCode::TOO_MANY_REQUESTS)
            .collect();
        assert_eq!(saved, 5, "{}: {answers:?}", app.backend());
        assert_eq!(held.len(), 25, "{}: {answers:?}", app.backend());
        assert!(
            held.iter().all(|(_, retry_after)| *retry_after),
            "every 429 says how long"
        );
        let ws = app.workspace_id().await;
        let ideas = app.db.store.ideas(ws, true).await.unwrap();
        assert_eq!(ideas.len(), 5, "{}", app.backend());
    }
}

/// Ten wrong passwords from browsers the account never signed in from, and the eleventh try
/// waits, the right password too: also after the server restarts.
#[tokio::test]
async fn a_restart_does_not_reset_the_sign_in_limit() {
    for mut app in every_workspace(&[Role::Coordinator]).await {
        let email = app.account(Role::Coordinator);
        for n in 0..10 {
            let wrong = app
                .post_form("/signin", &[("email", &email), ("password", "not the password")])
                .await;
            assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "{n}");
        }
        let mut restarted = app.restarted().await;
        let locked = restarted
            .post_form("/signin", &[("email", &email), ("password", PASSWORD)])
            .await;
        assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS, "{}", app.backend());
        let wait: u64 = locked.headers["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=15 * 60).contains(&wait), "{wait}");
        assert!(locked.body.contains("Pārāk daudz neveiksmīgu"));
    }
}

/// A stranger who floods an account with guesses locks out other strangers, and not the
/// owner: the browser they signed in from before keeps its own limit.
#[tokio::test]
async fn guessing_cannot_lock_the_owner_out() {
    for mut owner in every_workspace(&[Role::Coordinator]).await {
        let email = owner.account(Role::Coordinator);
        owner.sign_in(&email).await;
        owner.forget_session();

        let mut stranger = owner.another_client();
        for _ in 0..15 {
            stranger
                .post_form("/signin", &[("email", &email), ("password", "guess")])
                .await;
        }
        let guessed = stranger
            .post_form("/signin", &[("email", &email), ("password", PASSWORD)])
            .await;
        assert_eq!(
            guessed.status,
            StatusCode::TOO_MANY_REQUESTS,
            "{}: even the right password waits on a new browser",
            owner.backend()
        );

        let back = owner
            .post_form("/signin", &[("email", &email), ("password", PASSWORD)])
            .await;
        assert_eq!(back.status, StatusCode::SEE_OTHER, "{}: {}", owner.backend(), back.body);
        assert_eq!(owner.get("/account").await.status, StatusCode::OK);
    }
}

/// Behind a reverse proxy every request comes from its address: the limits key on the one
/// the proxy reports, the last in `X-Forwarded-For`, so that residents do not share a limit
/// and a client cannot choose its own by writing the header itself.
#[tokio::test]
async fn limits_key_on_the_address_the_proxy_reports() {
    for app in every_workspace(&[]).await {
        let sign_up = |email: String| {
            vec![
                ("display_name", "Iedzīvotājs (piemērs)".to_owned()),
                ("email", email),
                ("password", "a long enough password".into()),
                ("consent", "on".into()),
            ]
        };
        let mut first = app.behind_proxy();
        first.forwarded_for("203.0.113.5");
        for n in 0..5 {
            let joined = first
                .post_owned("/w/town/signup", &sign_up(format!("a{n}@example.lv")))
                .await;
            assert_eq!(joined.status, StatusCode::SEE_OTHER, "{n}: {}", joined.body);
            first.sign_out_locally();
            first.forwarded_for("203.0.113.5");
        }
        // The same client, which now writes an address of its own before the proxy's.
        first.forwarded_for("198.51.100.7, 203.0.113.5");
        let held = first
            .post_owned("/w/town/signup", &sign_up("a5@example.lv".into()))
            .await;
        assert_eq!(held.status, StatusCode::TOO_MANY_REQUESTS, "{}", app.backend());
        assert!(held.headers.contains_key("retry-after"));
        assert!(held.body.contains("a5@example.lv"), "the form is kept");

        let mut neighbour = app.behind_proxy();
        neighbour.forwarded_for("203.0.113.6");
        let joined = neighbour
            .post_owned("/w/town/signup", &sign_up("b@example.lv".into()))
            .await;
        assert_eq!(
            joined.status,
            StatusCode::SEE_OTHER,
            "{}: {}",
            app.backend(),
            joined.body
        );
    }
}

/// Failed sign-ins from one address are limited whatever the account, so that one client
/// cannot try a password on every account in turn.
#[tokio::test]
async fn one_client_cannot_try_every_account() {
    for app in every_workspace(&[]).await {
        let mut guesser = app.behind_proxy();
        guesser.forwarded_for("203.0.113.9");
        for n in 0..30 {
            let email = format!("someone{n}@example.lv");
            let wrong = guesser
                .post_form("/signin", &[("email", &email), ("password", "Parole123")])
                .await;
            assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "{n}");
        }
        let held = guesser
            .post_form("/signin", &[("email", "another@example.lv"), ("password", "Parole123")])
            .await;
        assert_eq!(held.status, StatusCode::TOO_MANY_REQUESTS, "{}", app.backend());

        let mut elsewhere = app.behind_proxy();
        elsewhere.forwarded_for("203.0.113.10");
        let wrong = elsewhere
            .post_form("/signin", &[("email", "another@example.lv"), ("password", "Parole123")])
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.backend());
    }
}

/// Where the resident adds photos to an idea they have just proposed.
async fn residents_idea_photos(app: &mut TestApp) -> String {
    app.sign_in_as(Role::Public).await;
    let created = app
        .post_form("/w/town/ideas", &[("title", "Soliņi"), ("body", "Pie upes.")])
        .await;
    format!("{}/photos", created.location().unwrap())
}

/// An idea has room for three photos: four are refused for their number, before any is
/// decoded (decoding would have found these unreadable).
#[tokio::test]
async fn too_many_photos_are_refused_before_any_is_decoded() {
    for mut app in every_workspace(&[Role::Public]).await {
        let upload = residents_idea_photos(&mut app).await;
        let four: Vec<_> = (0..4)
            .map(|n| {
                (
                    "photos",
                    ["a.png", "b.png", "c.png", "d.png"][n],
                    png_header(4032, 3024),
                )
            })
            .collect();
        let refused = app.post_upload(&upload, &[], &four, true).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.backend());
        assert!(refused.body.contains("ne vairāk kā 3"), "{}", refused.body);
        assert!(!refused.body.contains("nevar nolasīt"), "nothing was decoded");

        let one = app
            .post_upload(&upload, &[], &[("photos", "a.png", png_header(4032, 3024))], true)
            .await;
        assert!(one.body.contains("nevar nolasīt"), "one fits, and is decoded");
    }
}

/// A resident may upload 20 times an hour, whatever comes of each upload: the 21st is held
/// back before its files are looked at.
#[tokio::test]
async fn photo_uploads_are_limited_per_person() {
    for mut app in every_workspace(&[Role::Public]).await {
        let upload = residents_idea_photos(&mut app).await;
        let file = || vec![("photos", "x.png", b"not a photo".to_vec())];
        for n in 0..20 {
            let refused = app.post_upload(&upload, &[], &file(), true).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{n}");
        }
        let held = app.post_upload(&upload, &[("description", "Upe")], &file(), true).await;
        assert_eq!(held.status, StatusCode::TOO_MANY_REQUESTS, "{}", app.backend());
        assert!(held.headers.contains_key("retry-after"));
        assert!(held.body.contains("value=\"Upe\""), "the description is kept");
    }
}
