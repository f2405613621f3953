//! The street network page: a coordinator brings a network in, watches it being analysed, and
//! publishes it; what is wrong with an upload is named; an analysis a stopped server left is
//! failed. The network is a village the tests of the engine wrote, with a main road between
//! its two halves.

use axum::http::StatusCode;
use kopa_domain::Role;
use kopa_domain::street_network::{AnalysisStatus, NetworkSource};

use crate::harness::{TestApp, every_app};

const VILLAGE: &[u8] = include_bytes!("../../../kopa-mobility/tests/fixtures/village_main_road.osm");
const NETWORK: &str = "/w/paraugs/network";

/// Uploads the village and waits until its analysis ends; its page's address.
async fn import_village(app: &mut TestApp, area: &str) -> String {
    let sent = app
        .post_upload(
            &format!("{NETWORK}/analyses"),
            &[("area", area), ("population", "")],
            &[("file", "village.osm", VILLAGE.to_vec())],
            true,
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let page = sent.location().unwrap().to_owned();
    assert!(page.starts_with(&format!("{NETWORK}/analyses/")), "{page}");
    for _ in 0..600 {
        let shown = app.get(&page).await;
        assert_eq!(shown.status, StatusCode::OK);
        if !shown.body.contains("http-equiv=\"refresh\"") {
            return page;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the analysis did not end within a minute");
}

#[tokio::test]
async fn a_coordinator_brings_the_network_in_and_everyone_sees_it_once_published() {
    for mut app in every_app().await {
        let mut visitor = app.another_client();
        app.sign_in_as(Role::Coordinator).await;
        let empty = app.get(NETWORK).await;
        assert!(empty.body.contains("Ielu tīkla vēl nav"), "{}", app.backend());
        assert!(empty.body.contains("kopa network import paraugs"));

        let page = import_village(&mut app, "").await;
        let shown = app.get(&page).await;
        assert!(shown.body.contains("Zema stresa sasniedzamības novērtējums"));
        assert!(shown.body.contains("Rīgas iela"), "the street list names the main road");
        assert!(
            shown.body.contains("class=\"lts lts-3\""),
            "the stress map draws level 3"
        );
        assert!(shown.body.contains("Nav publicēts"));
        let analysis = app
            .db
            .store
            .street_analyses(app.workspace_id_of("paraugs").await)
            .await
            .unwrap();
        let analysis = &analysis[0];
        assert_eq!(analysis.status, AnalysisStatus::Done);
        assert_eq!(analysis.source, NetworkSource::Upload);
        let figures = analysis.figures.as_ref().unwrap();
        assert_eq!(figures.islands, 2, "the main road keeps the two halves apart");
        assert!(figures.score.is_some());
        assert!(
            shown
                .body
                .contains(&format!("<strong>{:.1}</strong>", figures.score.unwrap())),
            "the page shows the stored score"
        );

        // Why is the main road stressful? Its page says, with the tags it was read from.
        let link = format!("{page}/streets/");
        let from = shown.body.find(&link).unwrap() + link.len();
        let segment: String = shown.body[from..].chars().take_while(char::is_ascii_digit).collect();
        let street = app.get(&format!("{page}/streets/{segment}")).await;
        assert_eq!(street.status, StatusCode::OK);
        assert!(street.body.contains("Kāpēc šis līmenis"));
        assert!(street.body.contains("<code>maxspeed</code>"), "{}", street.body);

        // The layers download as GeoJSON, compressed for browsers that take it.
        let layer = app.get(&format!("{page}/files/segments.geojson")).await;
        assert_eq!(layer.status, StatusCode::OK);
        let layer: serde_json::Value = serde_json::from_slice(&layer.bytes).unwrap();
        assert!(!layer["features"].as_array().unwrap().is_empty());
        assert_eq!(layer["attribution"], "© OpenStreetMap contributors");
        assert_eq!(
            app.get(&format!("{page}/files/results.json")).await.status,
            StatusCode::NOT_FOUND
        );

        // Visitors see nothing until it is published, then the same score.
        assert!(!visitor.get(NETWORK).await.body.contains("<strong>"));
        assert_eq!(visitor.get(&page).await.status, StatusCode::NOT_FOUND);
        let published = app.post_form(&format!("{page}/publish"), &[("published", "yes")]).await;
        assert_eq!(published.status, StatusCode::SEE_OTHER);
        let public = visitor.get(NETWORK).await;
        assert!(
            public
                .body
                .contains(&format!("<strong>{:.1}</strong>", figures.score.unwrap()))
        );
        assert!(
            !public.body.contains("Ievietot ielu tīklu"),
            "visitors get no upload form"
        );

        // The analysed streets became the sample region's base map.
        let map = visitor.get("/w/paraugs/map/backdrop.geojson").await;
        assert!(map.body.contains("Rīgas iela"), "{}", app.backend());
    }
}

#[tokio::test]
async fn what_is_wrong_with_an_upload_is_named_and_the_form_kept() {
    for mut app in every_app().await {
        app.sign_in_as(Role::Coordinator).await;
        let cases: [(&[u8], &str, &str, &str); 3] = [
            (b"hello, not a map", "notes.txt", "", "Šī nav OpenStreetMap datne"),
            (b"", "empty.osm", "", "Izvēlieties OpenStreetMap datni"),
            (VILLAGE, "village.osm", "many", "Norādiet iedzīvotāju skaitu"),
        ];
        for (bytes, name, population, message) in cases {
            let sent = app
                .post_upload(
                    &format!("{NETWORK}/analyses"),
                    &[("area", "Ciems"), ("population", population)],
                    &[("file", name, bytes.to_vec())],
                    true,
                )
                .await;
            assert_eq!(sent.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
            assert!(sent.body.contains(message), "{name}: {}", sent.body);
            assert!(sent.body.contains("value=\"Ciems\""), "the area typed is kept");
        }
        assert!(
            app.db
                .store
                .street_analyses(app.workspace_id_of("paraugs").await)
                .await
                .unwrap()
                .is_empty()
        );

        // An area the extract does not hold fails the analysis, which says why.
        let page = import_village(&mut app, "Nekurienes novads").await;
        let failed = app.get(&page).await;
        assert!(failed.body.contains("Analīze neizdevās"), "{}", failed.body);
        assert!(failed.body.contains("Nekurienes novads"), "the reason names the area");

        // Residents may not bring a network in.
        let mut resident = app.another_client();
        resident.sign_in_as(Role::Public).await;
        let refused = resident
            .post_upload(
                &format!("{NETWORK}/analyses"),
                &[],
                &[("file", "v.osm", VILLAGE.to_vec())],
                true,
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn one_analysis_at_a_time_and_none_left_unfinished_by_a_stopped_server() {
    for mut app in every_app().await {
        let kopa = app.state.app.clone();
        let caller = kopa.operator_at("paraugs").await.unwrap();
        let upload = || kopa_app::NetworkUpload {
            file_name: "village.osm".into(),
            bytes: VILLAGE.to_vec(),
            area: String::new(),
            population: String::new(),
        };
        let (queued, work) = kopa
            .import_street_network(&caller, upload(), NetworkSource::CommandLine)
            .await
            .unwrap();
        let second = kopa
            .import_street_network(&caller, upload(), NetworkSource::CommandLine)
            .await;
        assert!(matches!(
            second,
            Err(kopa_app::Refusal::Refused("error-analysis-pending"))
        ));

        // The server stops before the work runs: the next one fails the analysis.
        drop(work);
        assert_eq!(kopa.fail_interrupted_street_analyses().await.unwrap(), 1);
        let failed = kopa.street_analysis(&caller, queued.id).await.unwrap();
        assert_eq!(failed.status, AnalysisStatus::Failed);
        assert!(failed.error.unwrap().contains("server stopped"));
        app.sign_in_as(Role::Coordinator).await;
        assert!(
            app.get(&format!("{NETWORK}/analyses/{}", queued.id))
                .await
                .body
                .contains("Analīze neizdevās")
        );
        // And a new one may start.
        let (_, work) = kopa
            .import_street_network(&caller, upload(), NetworkSource::CommandLine)
            .await
            .unwrap();
        assert_eq!(work.run().await.unwrap().status, AnalysisStatus::Done);
    }
}
