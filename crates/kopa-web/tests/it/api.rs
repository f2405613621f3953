//! The JSON API and its OpenAPI document.

use axum::http::StatusCode;

use crate::harness::{COORDINATOR, MEMBER, every_app};

#[tokio::test]
async fn the_openapi_document_describes_every_route_that_answers() {
    for mut app in every_app().await {
        let document = app.get("/api/v1/openapi.json").await.json();
        assert_eq!(document["info"]["title"], "Kopa API");
        let paths = document["paths"].as_object().unwrap();
        assert!(paths.len() >= 10, "{paths:?}");
        let ws = app.kekava().await;
        let meeting = app.db.store.meetings(ws, false).await.unwrap()[0]
            .meeting
            .id
            .to_string();
        let mut operations = 0;
        for (path, methods) in paths {
            let concrete = path.replace("{slug}", "kekava").replace("{id}", &meeting);
            for method in methods.as_object().unwrap().keys() {
                let response = match method.as_str() {
                    "get" => app.get(&concrete).await,
                    "post" => app.post_json(&concrete, serde_json::json!({})).await,
                    "put" => app.put_json(&concrete, serde_json::json!({})).await,
                    other => panic!("undocumented method {other}"),
                };
                // Routed: neither unknown nor the wrong method, and never a server error.
                assert!(
                    ![
                        StatusCode::NOT_FOUND,
                        StatusCode::METHOD_NOT_ALLOWED,
                        StatusCode::INTERNAL_SERVER_ERROR
                    ]
                    .contains(&response.status),
                    "{method} {path}: {}",
                    response.status
                );
                operations += 1;
            }
        }
        assert_eq!(operations, 18, "{}", app.backend());
        assert!(document["components"]["schemas"]["ProblemDocument"].is_object());
    }
}

#[tokio::test]
async fn a_coordinator_records_a_decision_through_the_api() {
    for mut app in every_app().await {
        app.sign_in(COORDINATOR).await;
        let meeting = app
            .post_json(
                "/api/v1/workspaces/kekava/meetings",
                serde_json::json!({ "kind": "group", "title": "API sanāksme", "starts_at": "2030-03-01T10:00", "ends_at": "2030-03-01T11:00",
                                    "mode": "in_person", "place": "Ķekava", "capacity": 10, "published": true, "registration_open": true }),
            )
            .await;
        assert_eq!(
            meeting.status,
            StatusCode::CREATED,
            "{}: {}",
            app.backend(),
            meeting.body
        );
        let id = meeting.json()["id"].as_i64().unwrap();
        assert_eq!(meeting.json()["capacity"], 10);
        let decision = app
            .post_json(
                &format!("/api/v1/workspaces/kekava/meetings/{id}/decisions"),
                serde_json::json!({ "text": "Jā", "votes_for": 5, "votes_against": 0, "votes_abstain": 0 }),
            )
            .await;
        assert_eq!(decision.status, StatusCode::CREATED);
        assert_eq!(decision.json()["outcome"], "adopted");
        assert_eq!(decision.json()["unanimous"], true);
        let detail = app
            .get(&format!("/api/v1/workspaces/kekava/meetings/{id}"))
            .await
            .json();
        assert_eq!(detail["decisions"][0]["text"], "Jā");
        assert!(detail["registrations"].is_array(), "coordinators see registrations");
    }
}

#[tokio::test]
async fn personal_data_stays_with_those_who_may_see_it() {
    for mut app in every_app().await {
        let ws = app.kekava().await;
        let person = kopa_domain::group::PersonInput {
            name: "Ar e-pastu".into(),
            email: "private@example.lv".into(),
            ..Default::default()
        };
        app.db
            .store
            .create_person(&kopa_store::Actor::system(), ws, &person.validate().unwrap())
            .await
            .unwrap();
        app.sign_in(MEMBER).await;
        let people = app.get("/api/v1/workspaces/kekava/people").await;
        assert_eq!(people.status, StatusCode::OK);
        assert!(!people.body.contains("private@example.lv"), "{}", app.backend());
        app.sign_out_locally();
        app.sign_in(COORDINATOR).await;
        assert!(
            app.get("/api/v1/workspaces/kekava/people")
                .await
                .body
                .contains("private@example.lv")
        );
    }
}
