//! Bad input gets a clear answer that names the problem: never a panic, never a 500.

use axum::http::StatusCode;
use kopa_domain::audit::SystemActor;

use kopa_domain::Role;
use kopa_store::{Actor, Author};

use crate::harness::every_workspace;

#[tokio::test]
async fn an_oversized_body_is_refused() {
    for mut app in every_workspace(&[Role::Coordinator]).await {
        app.sign_in_as(Role::Coordinator).await;
        let huge = "x".repeat(kopa_web::MAX_BODY_BYTES + 1);
        let response = app
            .post_form("/w/town/group/organisations", &[("name", &huge), ("sector", "civic")])
            .await;
        assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", app.backend());
        assert!(response.body.contains("Pieprasījums ir pārāk liels."));
        let api = app
            .post_json(
                "/api/v1/workspaces/town/organisations",
                serde_json::json!({ "name": huge, "sector": "civic" }),
            )
            .await;
        assert_eq!(api.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(api.json()["status"], 413);
    }
}

#[tokio::test]
async fn unknown_ids_and_addresses_are_not_found() {
    for mut app in every_workspace(&[Role::Coordinator]).await {
        app.sign_in_as(Role::Coordinator).await;
        for path in [
            "/w/town/meetings/999999",
            "/w/town/meetings/abc",
            "/w/nowhere",
            "/w/town/meetings/999999/calendar.ics",
            "/no/such/page",
        ] {
            let response = app.get(path).await;
            assert_eq!(response.status, StatusCode::NOT_FOUND, "{path} on {}", app.backend());
            assert!(response.body.contains("Šādas lapas vai ieraksta nav."), "{path}");
        }
        let decision = app
            .post_form(
                "/w/town/meetings/999999/decisions",
                &[
                    ("text", "x"),
                    ("votes_for", "1"),
                    ("votes_against", "0"),
                    ("votes_abstain", "0"),
                ],
            )
            .await;
        assert_eq!(decision.status, StatusCode::NOT_FOUND);
        let api = app.get("/api/v1/workspaces/town/meetings/999999").await;
        assert_eq!(api.status, StatusCode::NOT_FOUND);
        assert_eq!(api.headers.get("content-type").unwrap(), "application/problem+json");
        assert_eq!(api.json()["detail"], "There is no such page or record.");
    }
}

#[tokio::test]
async fn malformed_utf8_is_refused_and_nothing_is_saved() {
    for mut app in every_workspace(&[Role::Coordinator]).await {
        app.sign_in_as(Role::Coordinator).await;
        let csrf = app.csrf().await;
        let before = app
            .db
            .store
            .organisations(app.workspace_id().await)
            .await
            .unwrap()
            .len();
        let body = format!("name=%C4%28bad&sector=civic&csrf={csrf}").into_bytes();
        let response = app
            .post_raw("/w/town/group/organisations", "application/x-www-form-urlencoded", body)
            .await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{}", app.backend());
        assert!(response.body.contains("UTF-8"));
        let mut raw = b"{\"name\": \"".to_vec();
        raw.extend([0xff, 0xfe]);
        raw.extend(b"\", \"sector\": \"civic\"}");
        let request = axum::http::Request::post("/api/v1/workspaces/town/organisations")
            .header("content-type", "application/json")
            .header("x-csrf-token", csrf)
            .body(axum::body::Body::from(raw))
            .unwrap();
        let api = app.send(request).await;
        assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(api.json()["errors"][0]["field"] == "json", "{}", api.body);
        assert_eq!(
            app.db
                .store
                .organisations(app.workspace_id().await)
                .await
                .unwrap()
                .len(),
            before
        );
    }
}

#[tokio::test]
async fn a_form_without_its_csrf_token_is_refused() {
    for mut app in every_workspace(&[Role::Coordinator]).await {
        app.sign_in_as(Role::Coordinator).await;
        let body = b"name=Forged&sector=civic".to_vec();
        let response = app
            .post_raw("/w/town/group/organisations", "application/x-www-form-urlencoded", body)
            .await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{}", app.backend());
        assert!(response.body.contains("Veidlapa ir novecojusi"));
        let forged =
            b"name=Forged&sector=civic&csrf=0000000000000000000000000000000000000000000000000000000000000000".to_vec();
        let response = app
            .post_raw(
                "/w/town/group/organisations",
                "application/x-www-form-urlencoded",
                forged,
            )
            .await;
        assert_eq!(response.status, StatusCode::FORBIDDEN);
        let names: Vec<String> = app
            .db
            .store
            .organisations(app.workspace_id().await)
            .await
            .unwrap()
            .into_iter()
            .map(|o| o.name)
            .collect();
        assert!(!names.contains(&"Forged".to_owned()));
    }
}

#[tokio::test]
async fn duplicate_registrations_are_refused_through_the_api_too() {
    for mut app in every_workspace(&[]).await {
        let open = app.meeting_open_for_registration("").await.id;
        let path = format!("/api/v1/workspaces/town/meetings/{open}/registrations");
        let first = app
            .post_json(&path, serde_json::json!({ "name": "Anna", "email": "anna@example.lv" }))
            .await;
        assert_eq!(first.status, StatusCode::CREATED, "{}: {}", app.backend(), first.body);
        let again = app
            .post_json(&path, serde_json::json!({ "name": "Anna", "email": "ANNA@example.lv" }))
            .await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        let problem = again.json();
        assert_eq!(problem["errors"][0]["field"], "email");
        assert_eq!(
            problem["errors"][0]["message"],
            "This e-mail is already registered for this meeting."
        );
    }
}

#[tokio::test]
async fn api_input_errors_name_every_field() {
    for mut app in every_workspace(&[Role::Coordinator]).await {
        app.sign_in_as(Role::Coordinator).await;
        let response = app
            .post_json(
                "/api/v1/workspaces/town/meetings",
                serde_json::json!({ "kind": "party", "title": "", "starts_at": "2030-01-02T10:00", "ends_at": "2030-01-01T10:00", "mode": "online", "capacity": 0 }),
            )
            .await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.backend());
        let fields: Vec<String> = response.json()["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(fields, ["kind", "title", "ends_at", "link", "capacity"]);
        let csrf = app.csrf().await;
        let wrong_type = app
            .send(
                axum::http::Request::post("/api/v1/workspaces/town/meetings")
                    .header("content-type", "text/plain")
                    .header("x-csrf-token", &csrf)
                    .body(axum::body::Body::from("hello"))
                    .unwrap(),
            )
            .await;
        assert_eq!(wrong_type.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            wrong_type.json()["detail"],
            "Send the request body as application/json."
        );
        let not_json = app
            .send(
                axum::http::Request::post("/api/v1/workspaces/town/meetings")
                    .header("content-type", "application/json")
                    .header("x-csrf-token", &csrf)
                    .body(axum::body::Body::from("{\"kind\": "))
                    .unwrap(),
            )
            .await;
        assert_eq!(not_json.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            not_json.json()["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("EOF")
        );
    }
}

#[tokio::test]
async fn photos_sent_as_a_plain_form_are_refused_by_name() {
    for mut app in every_workspace(&[Role::Public]).await {
        let ws = app.workspace_id().await;
        let author = Author {
            user_id: None,
            name: "Iedzīvotājs (piemērs)".into(),
        };
        let input = kopa_domain::idea::IdeaInput {
            title: "Soliņi pie upes (piemērs)".into(),
            body: "Teksts.".into(),
            place: String::new(),
        };
        let new = input.validate().unwrap();
        let idea = app
            .db
            .store
            .create_idea(&Actor::system(SystemActor::Setup), ws, &author, &new)
            .await
            .unwrap()
            .id;
        let anonymous = app
            .post_form(&format!("/w/town/ideas/{idea}/photos"), &[("photos", "x")])
            .await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "sent to sign in first");
        app.sign_in_as(Role::Public).await;
        let plain = app
            .post_form(&format!("/w/town/ideas/{idea}/photos"), &[("photos", "x")])
            .await;
        assert_eq!(plain.status, StatusCode::BAD_REQUEST, "{}", app.backend());
        assert!(plain.body.contains("Augšupielāde pārtrūka"));
    }
}

/// A link back that a browser would follow to another host goes to the front page instead,
/// and one with a line break in it is no error.
#[tokio::test]
async fn redirects_stay_on_this_site_whatever_they_are_given() {
    for mut app in every_workspace(&[Role::Coordinator]).await {
        for back in [
            "/%09/evil.example/x",
            "/%5Cevil.example",
            "https://evil.example",
            "//evil.example",
        ] {
            let switched = app.get(&format!("/language/en?back={back}")).await;
            assert_eq!(switched.status, StatusCode::SEE_OTHER, "{back}");
            assert_eq!(switched.location(), Some("/"), "{back} on {}", app.backend());
        }
        let kept = app.get("/language/en?back=/w/town/ideas%3Fpage%3D2").await;
        assert_eq!(kept.location(), Some("/w/town/ideas?page=2"));

        let email = app.account(Role::Coordinator);
        let signed_in = app
            .post_form(
                "/signin",
                &[
                    ("email", &email),
                    ("password", crate::harness::PASSWORD),
                    ("next", "/w/town\r\nSet-Cookie: planted=1"),
                ],
            )
            .await;
        assert_eq!(signed_in.status, StatusCode::SEE_OTHER, "{}", signed_in.body);
        let location = signed_in.location().unwrap();
        assert!(
            location.starts_with("/w/town") && !location.contains('\n'),
            "{location:?}"
        );
        assert!(
            signed_in
                .headers
                .get_all("set-cookie")
                .iter()
                .all(|c| !c.to_str().unwrap().contains("planted")),
            "no header is planted"
        );
    }
}

/// Text a database cannot keep (a NUL character) is refused with the field named, on both
/// backends, before it reaches SQL; so are dates outside the years 1900–2200.
#[tokio::test]
async fn a_nul_character_or_an_implausible_year_is_named_and_nothing_is_saved() {
    for mut app in every_workspace(&[Role::Coordinator]).await {
        let backend = app.backend();
        let signin = app
            .post_form("/signin", &[("email", "a\0@b.lv"), ("password", "x"), ("next", "/")])
            .await;
        assert_eq!(
            signin.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{backend}: {}",
            signin.body
        );
        assert!(signin.body.contains("NUL"), "what is wrong is said: {}", signin.body);
        assert_eq!(app.get("/w/to%00wn").await.status, StatusCode::NOT_FOUND, "{backend}");

        let open = app.meeting_open_for_registration("").await.id;
        let path = format!("/w/town/meetings/{open}/registrations");
        let registered = app
            .post_form(&path, &[("name", "An\0na"), ("email", "anna@example.lv")])
            .await;
        assert_eq!(registered.status, StatusCode::UNPROCESSABLE_ENTITY, "{backend}");
        assert!(registered.body.contains("NUL"), "{}", registered.body);

        app.sign_in_as(Role::Coordinator).await;
        let page = app
            .post_form(
                "/w/town/ideas",
                &[("title", "Soliņi\0"), ("body", "Pie upes."), ("place", "")],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{backend}");
        assert!(
            page.body.contains("id=\"e-idea-title\""),
            "the title is named: {}",
            page.body
        );
        assert!(page.body.contains("Pie upes."), "and what was typed is kept");
        let api = app
            .post_json(
                "/api/v1/workspaces/town/ideas",
                serde_json::json!({ "title": "Soliņi", "body": "Pie\u{0}upes.", "place": "" }),
            )
            .await;
        assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{backend}: {}", api.body);
        assert_eq!(api.json()["errors"][0]["field"], "body");
        let csrf = app.csrf().await;
        let lone = axum::http::Request::post("/api/v1/workspaces/town/ideas")
            .header("content-type", "application/json")
            .header("x-csrf-token", csrf)
            .body(axum::body::Body::from(
                r#"{"title": "Soli\ud800", "body": "x", "place": ""}"#,
            ))
            .unwrap();
        let lone = app.send(lone).await;
        assert_eq!(
            lone.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a lone surrogate: {}",
            lone.body
        );

        for (starts, ends) in [
            ("-001-01-01T10:00", "-001-01-01T12:00"),
            ("9999-01-01T10:00", "9999-01-01T12:00"),
        ] {
            let meeting = app
                .post_json(
                    "/api/v1/workspaces/town/meetings",
                    serde_json::json!({ "kind": "group", "title": "Sēde", "starts_at": starts, "ends_at": ends,
                                        "mode": "in_person", "place": "Zāle" }),
                )
                .await;
            assert_eq!(
                meeting.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{starts}: {}",
                meeting.body
            );
            assert_eq!(meeting.json()["errors"][0]["field"], "starts_at", "{starts}");
        }
        let ws = app.workspace_id().await;
        assert!(
            app.db.store.ideas(ws, true).await.unwrap().is_empty(),
            "nothing was saved"
        );
        assert_eq!(
            app.db.store.meetings(ws, true).await.unwrap().len(),
            1,
            "only the open one"
        );
    }
}

/// Many people at once on one database: sign-ins (each writes a session) beside meeting
/// registrations (each a transaction). Not one is told the database is locked.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sign_ins_and_registrations_side_by_side_all_go_through() {
    const EACH: usize = 24;
    // Four people sign in six times each: within each account's limit.
    let people = [Role::Member, Role::Coordinator, Role::Partner, Role::Public];
    for mut app in every_workspace(&people).await {
        let meeting = app.meeting_open_for_registration("").await.id;
        let csrf = app.csrf().await;
        let (router, cookies) = app.side_by_side();
        let post = |path: String, fields: Vec<(&'static str, String)>| {
            let (router, cookies, csrf) = (router.clone(), cookies.clone(), csrf.clone());
            tokio::spawn(async move {
                use tower::ServiceExt;
                let mut fields = fields;
                fields.push(("csrf", csrf));
                let request = axum::http::Request::post(path)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("cookie", cookies)
                    .body(axum::body::Body::from(serde_urlencoded::to_string(&fields).unwrap()))
                    .unwrap();
                router.oneshot(request).await.unwrap().status()
            })
        };
        let mut sent = Vec::new();
        for n in 0..EACH {
            sent.push(post(
                "/signin".into(),
                vec![
                    ("email", app.account(people[n % people.len()])),
                    ("password", crate::harness::PASSWORD.into()),
                    ("next", "/w/town".into()),
                ],
            ));
            sent.push(post(
                format!("/w/town/meetings/{meeting}/registrations"),
                vec![
                    ("name", format!("Dalībnieks {n}")),
                    ("email", format!("p{n}@example.lv")),
                ],
            ));
        }
        for answer in sent {
            assert_eq!(answer.await.unwrap(), StatusCode::SEE_OTHER, "{}", app.backend());
        }
        let registered = app.db.store.registrations(meeting).await.unwrap().len();
        assert_eq!(registered, EACH, "{}", app.backend());
    }
}
