//! The map of ideas and initiatives: drawn on the server from the workspace's own base map,
//! searched without diacritics, filtered, and fed as GeoJSON to the interactive map.

use axum::http::StatusCode;

use crate::harness::{COORDINATOR, RESIDENT, every_app, every_workspace};

/// The titles in the list beside the map.
fn listed(page: &str) -> String {
    let start = page.find("class=\"map-items\"").unwrap_or(page.len());
    page[start..].to_owned()
}

#[tokio::test]
async fn the_map_draws_the_demo_and_finds_ideas_by_words_type_status_and_area() {
    for mut app in every_app().await {
        let whole = app.get("/w/kekava/map").await;
        assert_eq!(whole.status, StatusCode::OK, "{}", app.backend());
        assert!(whole.body.contains("<svg class=\"map\""), "drawn on the server");
        assert!(whole.body.contains("class=\"outline\" d=\"M"), "with the outline");
        assert!(
            whole
                .body
                .contains("aria-label=\"Ideja: Velostatīvi pie Baldones centra (piemērs)\""),
            "each marker is a named link"
        );
        assert!(
            whole.body.contains("8 idejas, 5 iniciatīvas"),
            "{}",
            listed(&whole.body)
        );

        // Words without diacritics find words with them.
        let found = app.get("/w/kekava/map?q=kekavas+vidusskolas").await;
        let list = listed(&found.body);
        assert!(list.contains("Velonovietne pie Ķekavas vidusskolas"), "{list}");
        assert!(!list.contains("Baldones"), "{list}");

        let typed = app.get("/w/kekava/map?show=initiatives&type=mobility_point").await;
        let list = listed(&typed.body);
        assert!(list.contains("Mobilitātes punkts pie uzņēmuma Ķekavā"));
        assert!(list.contains("Mobilitātes punkti un stāvparki"));
        assert!(!list.contains("Velostatīvi"), "ideas are left out");

        let agreed = app.get("/w/kekava/map?status=agreed").await;
        let list = listed(&agreed.body);
        assert!(list.contains("Mobilitātes punkts pie uzņēmuma Ķekavā"));
        assert!(
            !list.contains("Mobilitātes punkti un stāvparki"),
            "still at the idea step"
        );

        // Looking at Baldone lists only what lies there, and says how much lies elsewhere.
        let baldone = app.get("/w/kekava/map?bbox=24.35,56.70,24.45,56.78").await;
        let list = listed(&baldone.body);
        assert!(list.contains("Velostatīvi pie Baldones centra"), "{list}");
        assert!(!list.contains("Velonovietne pie Ķekavas"), "{list}");
        assert!(baldone.body.contains("ārpus redzamā apgabala"));
        assert!(baldone.body.contains("Viss novads"), "a way back to the whole map");

        app.set_language("en");
        let english = app.get("/w/kekava/map").await;
        assert!(english.body.contains("<h1>Map</h1>"));
        assert!(english.body.contains("8 ideas, 5 initiatives"));
    }
}

#[tokio::test]
async fn bad_filters_are_named_and_refused() {
    for mut app in every_workspace(&[]).await {
        let page = app
            .get("/w/town/map?status=someday&type=bridges&show=everything&bbox=24,56&page=0")
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.backend());
        for field in ["status", "type", "show", "bbox", "page"] {
            assert!(
                page.body.contains(&format!("id=\"e-filter-{field}\"")),
                "{field} is named"
            );
        }
        assert!(page.body.contains("rietumi, dienvidi, austrumi, ziemeļi"));
        let data = app.get("/w/town/map/features.geojson?bbox=north").await;
        assert_eq!(data.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}

#[tokio::test]
async fn the_map_data_holds_only_published_content_and_no_personal_data() {
    for mut app in every_app().await {
        let before = app.get("/w/kekava/map/features.geojson").await;
        assert_eq!(before.status, StatusCode::OK);
        let features = before.json()["features"].as_array().unwrap().len();
        assert_eq!(features, 6, "five example ideas and one initiative have places");

        let ws = app.workspace_id().await;
        let ideas = app.db.store.ideas(ws, false).await.unwrap();
        let baldone = ideas.iter().find(|i| i.title.contains("Baldones")).unwrap().id;
        app.sign_in(COORDINATOR).await;
        app.post_form(
            &format!("/w/kekava/ideas/{baldone}/moderation"),
            &[("action", "hide"), ("reason", "Pārbaude")],
        )
        .await;
        app.sign_out_locally();

        let after = app.get("/w/kekava/map/features.geojson").await;
        assert_eq!(after.json()["features"].as_array().unwrap().len(), 5);
        assert!(!after.body.contains("Baldones"), "hidden ideas leave the data");
        assert!(!after.body.contains("Iedzīvotāja"), "no author names");
        assert!(!after.body.contains("@kekava.example"), "no e-mails");
        let backdrop = app.get("/w/kekava/map/backdrop.geojson").await;
        assert!(backdrop.json()["features"].as_array().unwrap().len() > 3);
    }
}

#[tokio::test]
async fn a_place_is_refused_outside_the_municipality_and_found_by_street_name() {
    for mut app in every_app().await {
        app.sign_in(RESIDENT).await;
        let propose = |place: &'static str| {
            [
                ("title", "<script>alert('x')</script> Pāreja"),
                ("body", "<b>Droša</b> pāreja."),
                ("place", place),
            ]
        };
        let riga = app.post_form("/w/kekava/ideas", &propose("56.9496, 24.1052")).await;
        assert_eq!(riga.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.backend());
        assert!(riga.body.contains("Vieta ir ārpus novada"));

        let broken = app
            .post_form("/w/kekava/ideas", &propose(r#"{"type":"Point","coordinates":[24.2]}"#))
            .await;
        assert_eq!(broken.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(broken.body.contains("Ierakstiet vietu kā platumu, garumu"));

        let created = app.post_form("/w/kekava/ideas", &propose("Rīgas iela")).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let page = app.get(created.location().unwrap()).await;
        assert!(page.body.contains("56.87600, 24.11800"), "the street's middle");
        assert!(page.body.contains("<svg class=\"map\""), "shown on a small map");
        assert!(!page.body.contains("<script>alert"), "markup in text stays inert");
        assert!(page.body.contains("&#60;script&#62;alert"), "shown as text");

        let map = app.get("/w/kekava/map?q=pareja").await;
        assert!(
            listed(&map.body).contains("&#60;script&#62;alert"),
            "inert on the map too"
        );
        assert!(!map.body.contains("<script>alert"));
    }
}

#[tokio::test]
async fn an_initiative_page_shows_where_it_lies() {
    for mut app in every_app().await {
        let ws = app.workspace_id().await;
        let initiatives = app.db.store.initiatives(ws).await.unwrap();
        let point = initiatives.iter().find(|i| i.place.is_some()).unwrap().id;
        let page = app.get(&format!("/w/kekava/initiatives/{point}")).await;
        assert!(page.body.contains("<svg class=\"map\""), "{}", app.backend());
        assert!(
            page.body
                .contains("aria-label=\"Iniciatīva: Mobilitātes punkts pie uzņēmuma Ķekavā (piemērs)\"")
        );
        assert!(page.body.contains("Skatīt apkārtni lielajā kartē"));
    }
}
