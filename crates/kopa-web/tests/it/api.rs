//! The JSON API and its OpenAPI document.

use axum::http::StatusCode;
use kopa_domain::audit::SystemActor;

use kopa_domain::Role;

use crate::harness::{COORDINATOR, RESIDENT, every_app, every_workspace};

#[tokio::test]
async fn the_openapi_document_describes_every_route_that_answers() {
    for mut app in every_app().await {
        let document = app.get("/api/v1/openapi.json").await.json();
        assert_eq!(document["info"]["title"], "Kopa API");
        let paths = document["paths"].as_object().unwrap();
        assert!(paths.len() >= 10, "{paths:?}");
        let ws = app.workspace_id().await;
        let meeting = app.db.store.meetings(ws, false).await.unwrap()[0]
            .meeting
            .id
            .to_string();
        let store = &app.db.store;
        let idea = store.ideas(ws, false).await.unwrap()[0].id.to_string();
        let initiative = store.initiatives(ws).await.unwrap()[0].id.to_string();
        let partner = store.partners(ws).await.unwrap()[0].id.to_string();
        let mut obligation = String::new();
        let mut instrument = String::new();
        for i in store.instruments(ws).await.unwrap() {
            if let Some(o) = store.obligations(i.id).await.unwrap().first() {
                (instrument, obligation) = (i.id.to_string(), o.id.to_string());
            }
        }
        let plan = store.plan_version(ws, 1).await.unwrap().unwrap().plan;
        let objective = plan.objectives[0].id.to_string();
        let indicator = plan.indicators[0].id.to_string();
        let review = store.plan_reviews(ws).await.unwrap()[0].id;
        let comment = store.review_comments(ws, review).await.unwrap()[0].id.to_string();
        let review = review.to_string();
        let mut operations = 0;
        for (path, methods) in paths {
            let (kind, id) = if path.contains("/follows/") {
                ("idea", &idea)
            } else if path.contains("/indicators/") {
                ("", &indicator)
            } else if path.contains("/reviews/") {
                ("", &review)
            } else if path.contains("/plan/") {
                ("objective", &objective)
            } else if path.contains("/ideas/") {
                ("", &idea)
            } else if path.contains("/initiatives/") {
                ("", &initiative)
            } else if path.contains("/partners/") {
                ("", &partner)
            } else if path.contains("/instruments/") {
                ("", &instrument)
            } else {
                ("", &meeting)
            };
            let concrete = path
                .replace("{slug}", "kekava")
                .replace("{number}", "1")
                .replace("{part}", "vision")
                .replace("{kind}", kind)
                .replace("{obligation}", &obligation)
                .replace("{comment}", &comment)
                .replace("{id}", id);
            for method in methods.as_object().unwrap().keys() {
                let response = match method.as_str() {
                    "get" => app.get(&concrete).await,
                    "post" => app.post_json(&concrete, serde_json::json!({})).await,
                    "put" => app.put_json(&concrete, serde_json::json!({})).await,
                    "delete" => app.delete(&concrete).await,
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
        assert_eq!(operations, 84, "{}", app.backend());
        assert!(document["components"]["schemas"]["ProblemDocument"].is_object());
    }
}

#[tokio::test]
async fn a_coordinator_records_a_decision_through_the_api() {
    for mut app in every_workspace(&[Role::Coordinator]).await {
        app.sign_in_as(Role::Coordinator).await;
        let meeting = app
            .post_json(
                "/api/v1/workspaces/town/meetings",
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
                &format!("/api/v1/workspaces/town/meetings/{id}/decisions"),
                serde_json::json!({ "text": "Jā", "votes_for": 5, "votes_against": 0, "votes_abstain": 0 }),
            )
            .await;
        assert_eq!(decision.status, StatusCode::CREATED);
        assert_eq!(decision.json()["outcome"], "adopted");
        assert_eq!(decision.json()["unanimous"], true);
        let detail = app.get(&format!("/api/v1/workspaces/town/meetings/{id}")).await.json();
        assert_eq!(detail["decisions"][0]["text"], "Jā");
        assert!(detail["registrations"].is_array(), "coordinators see registrations");
    }
}

#[tokio::test]
async fn personal_data_stays_with_those_who_may_see_it() {
    for mut app in every_workspace(&[Role::Member, Role::Coordinator]).await {
        let ws = app.workspace_id().await;
        let person = kopa_domain::group::PersonInput {
            name: "Ar e-pastu".into(),
            email: "private@example.lv".into(),
            ..Default::default()
        };
        app.db
            .store
            .create_person(
                &kopa_store::Actor::system(SystemActor::Setup),
                ws,
                &person.validate().unwrap(),
            )
            .await
            .unwrap();
        app.sign_in_as(Role::Member).await;
        let people = app.get("/api/v1/workspaces/town/people").await;
        assert_eq!(people.status, StatusCode::OK);
        assert!(!people.body.contains("private@example.lv"), "{}", app.backend());
        app.sign_out_locally();
        app.sign_in_as(Role::Coordinator).await;
        assert!(
            app.get("/api/v1/workspaces/town/people")
                .await
                .body
                .contains("private@example.lv")
        );
    }
}

#[tokio::test]
async fn ideas_and_initiatives_follow_the_pages_rules_through_the_api() {
    for mut app in every_app().await {
        let list = app.get("/api/v1/workspaces/kekava/ideas").await.json();
        let ideas = list.as_array().unwrap();
        assert_eq!(ideas.len(), 8, "{}", app.backend());
        assert!(ideas.iter().all(|i| i["author_user_id"].is_null()), "no account ids");

        app.sign_in(RESIDENT).await;
        let broken = app
            .post_json(
                "/api/v1/workspaces/kekava/ideas",
                serde_json::json!({ "title": "X", "body": "Y", "place": "{\"type\":\"Point\"}" }),
            )
            .await;
        assert_eq!(broken.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(broken.json()["errors"][0]["field"], "place");
        let outside = app
            .post_json(
                "/api/v1/workspaces/kekava/ideas",
                serde_json::json!({ "title": "X", "body": "Y", "place": "56.9496, 24.1052" }),
            )
            .await;
        assert_eq!(outside.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(outside.body.contains("outside the municipality"), "{}", outside.body);
        let made = app
            .post_json(
                "/api/v1/workspaces/kekava/ideas",
                serde_json::json!({ "title": "Soliņi pie Daugavas", "body": "Vieta atpūtai.", "place": "56.845, 24.305" }),
            )
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        let id = made.json()["id"].as_i64().unwrap();
        for _ in 0..2 {
            let supported = app
                .post_json(
                    &format!("/api/v1/workspaces/kekava/ideas/{id}/support"),
                    serde_json::json!({ "support": true }),
                )
                .await;
            assert_eq!(supported.json()["supporters"], 1, "once, however often asked");
        }

        app.sign_out_locally();
        let initiatives = app.get("/api/v1/workspaces/kekava/initiatives").await.json();
        let point = initiatives
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["status"] == "agreed")
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let detail = app
            .get(&format!("/api/v1/workspaces/kekava/initiatives/{point}"))
            .await
            .json();
        assert_eq!(detail["history"].as_array().unwrap().len(), 3);
        assert!(
            detail["history"]
                .as_array()
                .unwrap()
                .iter()
                .all(|s| s["actor_label"] == ""),
            "who moved it is personal"
        );
        assert_eq!(detail["milestones"].as_array().unwrap().len(), 5);
        assert_eq!(detail["progress"], 40);
        assert_eq!(detail["links"]["decisions"].as_array().unwrap().len(), 1);

        app.sign_in(COORDINATOR).await;
        let skip = app
            .post_json(
                &format!("/api/v1/workspaces/kekava/initiatives/{point}/steps"),
                serde_json::json!({ "to": "delivered", "reason": "" }),
            )
            .await;
        assert_eq!(skip.status, StatusCode::UNPROCESSABLE_ENTITY);
        let problem = skip.json();
        let fields: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["to", "reason"]);
        let named = app
            .get(&format!("/api/v1/workspaces/kekava/initiatives/{point}"))
            .await
            .json();
        assert_ne!(named["history"][1]["actor_label"], "", "coordinators see who moved it");
    }
}

#[tokio::test]
async fn open_data_is_streamed_and_holds_no_hidden_ideas_or_personal_data() {
    for mut app in every_app().await {
        let ws = app.workspace_id().await;
        let store = app.db.store.clone();
        let hidden = store
            .ideas(ws, false)
            .await
            .unwrap()
            .into_iter()
            .find(|i| i.title.contains("Baldones"))
            .unwrap()
            .id;
        store
            .moderate_idea(
                &kopa_store::Actor::system(SystemActor::Setup),
                ws,
                hidden,
                &kopa_domain::idea::ModerationInput {
                    action: "hide".into(),
                    reason: "Pārbaude".into(),
                    ..Default::default()
                }
                .validate()
                .unwrap(),
            )
            .await
            .unwrap();
        let author = kopa_store::Author {
            user_id: None,
            name: "Personīgs Vārds".into(),
        };
        for n in 0..400 {
            let new = kopa_domain::idea::IdeaInput {
                title: format!("Ideja {n}, \"pēdiņās\""),
                body: "Rinda\nar jaunu rindu".into(),
                place: "56.83, 24.23".into(),
            }
            .validate()
            .unwrap();
            store
                .create_idea(&kopa_store::Actor::system(SystemActor::Setup), ws, &author, &new)
                .await
                .unwrap();
        }

        let (status, frames) = app.frames("/api/v1/workspaces/kekava/exports/ideas.csv").await;
        assert_eq!(status, StatusCode::OK, "{}", app.backend());
        assert!(
            frames.len() > 100,
            "sent as it is read, not at once: {} frames",
            frames.len()
        );
        let csv = String::from_utf8(frames.concat()).unwrap();
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let headers = reader.headers().unwrap().clone();
        assert_eq!(&headers[0], "id");
        assert!(!headers.iter().any(|h| h.contains("author")), "{headers:?}");
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 7 + 400, "open ideas only");
        let title = headers.iter().position(|h| h == "title").unwrap();
        assert!(
            rows.iter().any(|r| &r[title] == "Ideja 7, \"pēdiņās\""),
            "quoting survives"
        );
        assert!(!csv.contains("Baldones"), "hidden ideas stay out");
        assert!(
            !csv.contains("Personīgs Vārds") && !csv.contains("Iedzīvotāja"),
            "no names"
        );

        // For Excel, the same file after a byte-order mark, so that ā and ķ survive.
        let excel = app.get("/api/v1/workspaces/kekava/exports/ideas.csv?excel=true").await;
        assert_eq!(excel.body.strip_prefix('\u{feff}'), Some(csv.as_str()));
        assert!(!csv.starts_with('\u{feff}'));
        let refused = app
            .get("/api/v1/workspaces/kekava/exports/ideas.csv?excel=perhaps")
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);

        let geojson = app.get("/api/v1/workspaces/kekava/exports/ideas.geojson").await;
        assert_eq!(geojson.headers["content-type"], "application/geo+json");
        let document = geojson.json();
        assert_eq!(document["features"].as_array().unwrap().len(), 407);
        assert_eq!(document["licence"], "CC-BY-4.0");
        assert_eq!(document["attribution"], "Ķekavas novads");
        let first = &document["features"][0]["properties"];
        assert_eq!((&first["kind"], &first["status"]), (&"idea".into(), &"open".into()));
        // GDAL reads it as a layer with those fields.
        let file = tempfile::NamedTempFile::with_suffix(".geojson").unwrap();
        std::fs::write(file.path(), &geojson.body).unwrap();
        match std::process::Command::new("ogrinfo")
            .args(["-ro", "-al", "-so"])
            .arg(file.path())
            .output()
        {
            Ok(read) => {
                let summary = String::from_utf8_lossy(&read.stdout);
                assert!(read.status.success(), "{}", String::from_utf8_lossy(&read.stderr));
                assert!(summary.contains("Feature Count: 407"), "{summary}");
                for field in ["kind: String", "status: String", "title: String", "supporters: Integer"] {
                    assert!(summary.contains(field), "{field} in {summary}");
                }
            }
            Err(_) => kopa_store::testing::say_skipped("the GeoJSON check needs GDAL's ogrinfo (gdal-bin)"),
        }
        let initiatives = app
            .get("/api/v1/workspaces/kekava/exports/initiatives.geojson")
            .await
            .json();
        assert_eq!(initiatives["features"].as_array().unwrap().len(), 5);
        let table = app.get("/api/v1/workspaces/kekava/exports/initiatives.csv").await;
        assert!(
            table
                .body
                .starts_with("id,kind,title,description,cooperation_type,status,progress")
        );
        assert!(table.body.contains("mobility_point,agreed,40"));
    }
}

/// The OpenAPI document as Kopa serves it, kept beside the tests as a snapshot.
#[tokio::test]
async fn the_openapi_document_is_valid_and_as_reviewed() {
    let mut app = every_workspace(&[]).await.remove(0);
    let served = app.get("/api/v1/openapi.json").await;
    assert_eq!(served.status, StatusCode::OK);
    let document: serde_json::Value = served.json();
    let pretty = serde_json::to_string_pretty(&document).unwrap() + "\n";
    let snapshot = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/openapi.json");
    kopa_store::testing::assert_snapshot(&snapshot, &pretty);

    // Validated by the OpenAPI Initiative's rules, as a client generator would read it.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, &pretty).unwrap();
    let checked = std::process::Command::new("python3")
        .args(["-m", "openapi_spec_validator"])
        .arg(&file)
        .output();
    match checked {
        Ok(checked) if !String::from_utf8_lossy(&checked.stderr).contains("No module named") => assert!(
            checked.status.success(),
            "{}{}",
            String::from_utf8_lossy(&checked.stdout),
            String::from_utf8_lossy(&checked.stderr)
        ),
        _ => {
            kopa_store::testing::say_skipped("the OpenAPI validation; `pip install openapi-spec-validator` to run it.")
        }
    }
}

/// Text that a spreadsheet would run as a formula is written in the CSV after an apostrophe,
/// which shows it as typed; the GeoJSON keeps it as it is.
#[tokio::test]
async fn an_export_read_by_a_spreadsheet_runs_no_formula() {
    for mut app in every_workspace(&[]).await {
        let ws = app.workspace_id().await;
        let author = kopa_store::Author {
            user_id: None,
            name: "Iedzīvotājs (piemērs)".into(),
        };
        let formula = "=HYPERLINK(\"http://evil.example\",\"Skatīt\")";
        for (title, body) in [(formula, "+1+1"), ("-2 soliņi (piemērs)", "@SUM(A1)")] {
            let idea = kopa_domain::idea::IdeaInput {
                title: title.into(),
                body: body.into(),
                place: String::new(),
            };
            let new = idea.validate().unwrap();
            app.db
                .store
                .create_idea(&kopa_store::Actor::system(SystemActor::Setup), ws, &author, &new)
                .await
                .unwrap();
        }
        let csv = app.get("/api/v1/workspaces/town/exports/ideas.csv").await;
        assert_eq!(csv.status, StatusCode::OK, "{}", app.backend());
        let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
        let headers = reader.headers().unwrap().clone();
        let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
        let (title, body) = (column("title"), column("body"));
        let mut cells = Vec::new();
        for row in reader.records() {
            let row = row.unwrap();
            cells.extend([row[title].to_owned(), row[body].to_owned()]);
        }
        cells.sort();
        assert_eq!(
            cells,
            ["'+1+1", "'-2 soliņi (piemērs)", &format!("'{formula}"), "'@SUM(A1)"],
            "{}",
            app.backend()
        );
        let geojson = app.get("/api/v1/workspaces/town/exports/ideas.geojson").await.json();
        let titles: Vec<&str> = geojson["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["properties"]["title"].as_str().unwrap())
            .collect();
        assert!(titles.contains(&formula), "{titles:?}");
    }
}
