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

/// The village with a supermarket beside the main road, 16 m from where the quiet streets
/// meet it.
fn village_with_shop() -> Vec<u8> {
    let shop = r#"<node id="40" lat="56.80510" lon="24.20520"><tag k="shop" v="supermarket"/><tag k="name" v="Mājas Labumi"/><tag k="operator" v="SIA Mājas labumi"/></node>
  <way id="100">"#;
    String::from_utf8(VILLAGE.to_vec())
        .unwrap()
        .replacen(r#"<way id="100">"#, shop, 1)
        .into_bytes()
}

/// Uploads the village and waits until its analysis ends; its page's address.
async fn import_village(app: &mut TestApp, area: &str) -> String {
    import(app, area, VILLAGE.to_vec()).await
}

async fn import(app: &mut TestApp, area: &str, osm: Vec<u8>) -> String {
    let sent = app
        .post_upload(
            &format!("{NETWORK}/analyses"),
            &[("area", area), ("population", "")],
            &[("file", "village.osm", osm)],
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
        assert!(
            empty
                .body
                .contains("<option value=\"Liechtenstein\">Lihtenšteina</option>"),
            "the country profiles are offered"
        );

        let page = import_village(&mut app, "").await;
        let shown = app.get(&page).await;
        assert!(shown.body.contains("Zema stresa sasniedzamības novērtējums"));
        assert!(shown.body.contains("Rīgas iela"), "the street list names the main road");
        assert!(
            shown.body.contains("class=\"lts lts-3\""),
            "the stress map draws level 3"
        );
        assert!(shown.body.contains("Nav publicēts"));
        assert!(shown.body.contains("Profils: Latvija"), "the default profile");
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

/// The analysed extract's towns and villages, its main roads and its rivers are drawn and
/// named on the base map, so that people find their way on it.
#[tokio::test]
async fn the_base_map_names_the_places_of_the_analysed_extract() {
    for mut app in every_app().await {
        app.sign_in_as(Role::Coordinator).await;
        let place = r#"<node id="41" lat="56.80521" lon="24.20538"><tag k="place" v="village"/><tag k="name" v="Paraugciems"/></node>
  <node id="42" lat="57.5" lon="25.5"><tag k="place" v="town"/><tag k="name" v="Tālumā"/></node>
  <node id="43" lat="56.80100" lon="24.20100"/>
  <node id="44" lat="56.80900" lon="24.20900"/>
  <way id="99"><nd ref="43"/><nd ref="44"/><tag k="waterway" v="river"/><tag k="name" v="Paraugupe"/></way>
  <way id="100">"#;
        let osm = String::from_utf8(VILLAGE.to_vec())
            .unwrap()
            .replacen(r#"<way id="100">"#, place, 1);
        import(&mut app, "", osm.into_bytes()).await;
        let map = app.get("/w/paraugs/map").await;
        assert_eq!(map.status, StatusCode::OK, "{}", map.body);
        assert!(
            map.body.contains(r#"<text class="map-name place-village""#),
            "{}",
            app.backend()
        );
        assert!(map.body.contains(">Paraugciems</text>"), "{}", map.body);
        assert!(
            map.body.contains(r#"<path class="river" d="M"#) && map.body.contains(">Paraugupe</text>"),
            "the river is drawn and named"
        );
        assert!(!map.body.contains("Tālumā"), "a place outside the map is left out");

        // The interactive map names them too.
        let layer = app.get("/w/paraugs/map/backdrop.geojson").await;
        let layer: serde_json::Value = serde_json::from_str(&layer.body).unwrap();
        let places: Vec<_> = layer["features"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["properties"]["layer"] == "label")
            .map(|f| {
                (
                    f["properties"]["name"].as_str().unwrap(),
                    f["properties"]["class"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            places,
            [
                ("Paraugciems", "place-village"),
                ("Rīgas iela", "road"),
                ("Paraugupe", "water")
            ],
            "{}",
            app.backend()
        );
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
        let unknown = app
            .post_upload(
                &format!("{NETWORK}/analyses"),
                &[("area", "Ciems"), ("profile", "Atlantis")],
                &[("file", "village.osm", VILLAGE.to_vec())],
                true,
            )
            .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            unknown
                .body
                .contains("Izvēlieties kādu no piedāvātajiem valstu profiliem")
        );
        assert!(unknown.body.contains("value=\"Ciems\""), "the area typed is kept");
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
            profile: String::new(),
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

#[tokio::test]
async fn the_property_next_to_a_crossing_is_invited_as_partner_in_one_step() {
    for mut app in every_app().await {
        let mut member = app.another_client();
        member.sign_in_as(Role::Member).await;
        app.sign_in_as(Role::Coordinator).await;
        let page = import(&mut app, "", village_with_shop()).await;

        // The network page names the best place to act, and what is next to it.
        let shown = app.get(&page).await;
        assert!(shown.body.contains("Kur rīkoties"), "{}", app.backend());
        assert!(shown.body.contains("Rīgas iela: drošības saliņa"), "{}", shown.body);
        assert!(shown.body.contains("Mājas Labumi"));
        let act = format!("{page}/act");
        let list = app.get(&act).await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains(&format!("href=\"{act}/1\"")));
        let gaps = app.get(&format!("{act}?kind=gap")).await;
        assert!(gaps.body.contains("Analīze neatrada vietu"), "no gap in the village");

        // The supermarket is not yet in the group; its operator's name is shown beside it.
        let place = app.get(&format!("{act}/1")).await;
        assert_eq!(place.status, StatusCode::OK);
        assert!(place.body.contains("Vēl nav grupā"));
        assert!(place.body.contains("SIA Mājas labumi"));
        assert!(place.body.contains("shop=supermarket"));
        assert!(
            place.body.contains("class=\"place-here\""),
            "the map marks the crossing"
        );
        let store = app.db.store.clone();
        let workspace = app.workspace_id_of("paraugs").await;
        let organisations = store.organisations(workspace).await.unwrap().len();

        // A member may look but not invite; the coordinator invites.
        assert!(member.get(&format!("{act}/1")).await.body.contains("Vēl nav grupā"));
        let invite = format!("{act}/1/invite");
        assert_eq!(
            member.post_form(&invite, &[("neighbour", "0")]).await.status,
            StatusCode::FORBIDDEN
        );
        let invited = app.post_form(&invite, &[("neighbour", "0")]).await;
        assert_eq!(invited.status, StatusCode::SEE_OTHER, "{}", invited.body);
        let initiative_page = invited.location().unwrap().to_owned();
        assert!(initiative_page.starts_with("/w/paraugs/initiatives/"));
        let id: i64 = initiative_page.rsplit('/').next().unwrap().parse().unwrap();
        let initiative = store.initiative(workspace, id).await.unwrap().unwrap();
        assert_eq!(initiative.cooperation_type, "crossing_with_owners");
        assert_eq!(initiative.title, "Rīgas iela: šķērsojums kopā ar Mājas Labumi");
        let description = initiative.description.clone().unwrap();
        assert!(description.contains("drošības saliņa"), "{description}");
        assert!(description.contains("node/40"), "{description}");
        let shown = app.get(&initiative_page).await;
        assert!(shown.body.contains("Mājas Labumi"), "the organisation is linked");
        assert!(!shown.body.contains("id=\"expected-effect\""), "no scenario yet");

        // The crossing saved as the initiative's expected effect shows on its page.
        let saved = app
            .post_form(
                &format!("{page}/scenario?place=1"),
                &[("title", "Pāreja pie veikala"), ("for", &format!("initiative-{id}"))],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let scenario = store.street_scenarios(workspace, None).await.unwrap().remove(0);
        assert_eq!(scenario.initiative_id, Some(id));
        let shown = app.get(&initiative_page).await;
        let section = shown
            .body
            .split("id=\"expected-effect\"")
            .nth(1)
            .expect("the expected effect");
        let gain = format!("{:+.1} punkti", scenario.expected.gain());
        assert!(section.contains(saved.location().unwrap()), "{section}");
        assert!(section.contains(&gain), "{section}");

        // The supermarket joined the group once, and a second invitation gives the same draft.
        let all = store.organisations(workspace).await.unwrap();
        assert_eq!(all.len(), organisations + 1);
        assert!(all.iter().any(|o| o.name == "Mājas Labumi"));
        let again = app.post_form(&invite, &[("neighbour", "0")]).await;
        assert_eq!(again.location(), Some(initiative_page.as_str()));
        assert_eq!(store.organisations(workspace).await.unwrap().len(), organisations + 1);
        assert!(app.get(&format!("{act}/1")).await.body.contains("Grupas organizācija"));

        // Nothing that is not there is invited.
        for (path, neighbour) in [
            (invite.as_str(), "1"),
            (invite.as_str(), "x"),
            (&format!("{act}/2/invite"), "0"),
        ] {
            assert_eq!(
                app.post_form(path, &[("neighbour", neighbour)]).await.status,
                StatusCode::NOT_FOUND,
                "{path} {neighbour}"
            );
        }
        assert_eq!(app.get(&format!("{act}/0")).await.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_scenario_of_places_to_act_shows_what_building_them_together_would_change() {
    for mut app in every_app().await {
        let mut visitor = app.another_client();
        app.sign_in_as(Role::Coordinator).await;
        let page = import(&mut app, "", village_with_shop()).await;
        let store = app.db.store.clone();
        let workspace = app.workspace_id_of("paraugs").await;
        let analysis = store.street_analyses(workspace).await.unwrap().remove(0);
        let before = analysis.figures.as_ref().unwrap().score.unwrap();
        let caller = app.state.app.operator_at("paraugs").await.unwrap();
        let results = app.state.app.street_results(&caller, &analysis).await.unwrap();
        let crossing = &results.candidates[0];

        // Nothing chosen: the places to choose from, and no effect yet.
        let scenario = format!("{page}/scenario");
        let empty = app.get(&scenario).await;
        assert_eq!(empty.status, StatusCode::OK, "{}", app.backend());
        assert!(empty.body.contains("name=\"place\" value=\"1\""));
        assert!(!empty.body.contains("id=\"effect\""));

        // The crossing alone changes what its ranking measured, from the rebuilt network.
        let tried = app.get(&format!("{scenario}?place=1")).await;
        assert_eq!(tried.status, StatusCode::OK, "{}", tried.body);
        assert!(tried.body.contains(&format!("<dd>{before:.1}</dd>")), "{}", tried.body);
        let after = before + crossing.score_gain;
        assert!(
            tried
                .body
                .contains(&format!("<strong>{after:.1}</strong> ({:+.1})", crossing.score_gain)),
            "{}",
            tried.body
        );
        assert!(tried.body.contains(&format!("<dd>{:.0}</dd>", crossing.people_gaining)));
        assert!(
            tried.body.contains("class=\"place-here\""),
            "the crossing is marked on the map"
        );
        assert!(tried.body.contains("checked"));

        // Places that are not offered are named as the problem; visitors may not try.
        for bad in ["place=0", "place=99", "place=x"] {
            let refused = app.get(&format!("{scenario}?{bad}")).await;
            assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{bad}");
            assert!(refused.body.contains("Izvēlieties vietas"), "{}", refused.body);
        }
        let published = app.post_form(&format!("{page}/publish"), &[("published", "yes")]).await;
        assert_eq!(published.status, StatusCode::SEE_OTHER);
        let refused = visitor.get(&format!("{scenario}?place=1")).await;
        assert!(
            refused.status == StatusCode::SEE_OTHER || refused.status == StatusCode::UNAUTHORIZED,
            "{}",
            refused.status
        );
    }
}

#[tokio::test]
async fn a_saved_scenario_is_a_plan_actions_expected_effect_and_its_indicators_target() {
    for mut app in every_app().await {
        app.sign_in_as(Role::Coordinator).await;
        let page = import(&mut app, "", village_with_shop()).await;
        let store = app.db.store.clone();
        let workspace = app.workspace_id_of("paraugs").await;
        let analysis = store.street_analyses(workspace).await.unwrap().remove(0);
        let before = analysis.figures.as_ref().unwrap().score.unwrap();
        let caller = app.state.app.operator_at("paraugs").await.unwrap();
        let gain = app
            .state
            .app
            .street_results(&caller, &analysis)
            .await
            .unwrap()
            .candidates[0]
            .score_gain;
        let draft = store
            .current_plan(workspace)
            .await
            .unwrap()
            .expect("the sample's example plan");
        let a1 = draft.plan.actions.iter().find(|a| a.code == "A1").unwrap().id;
        let save = format!("{page}/scenario?place=1");

        // What is wrong is named beside its field, and the form keeps what was typed.
        let for_a1 = format!("action-{a1}");
        let untitled = app.post_form(&save, &[("title", " "), ("for", &for_a1)]).await;
        assert_eq!(untitled.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", untitled.body);
        assert!(untitled.body.contains("id=\"e-save-title\""), "{}", untitled.body);
        assert!(untitled.body.contains(&format!("value=\"{for_a1}\" selected")));
        for bad in ["action-999", "initiative-999", "somewhere"] {
            let refused = app.post_form(&save, &[("title", "Pāreja"), ("for", bad)]).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
            assert!(refused.body.contains("id=\"e-save-for\""), "{bad}: {}", refused.body);
        }
        let nothing = app
            .post_form(&format!("{page}/scenario"), &[("title", "Pāreja"), ("for", "")])
            .await;
        assert_eq!(nothing.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            nothing.body.contains("Izvēlieties vismaz vienu vietu"),
            "{}",
            nothing.body
        );
        assert!(store.street_scenarios(workspace, None).await.unwrap().is_empty());

        // Saved as A1's expected effect: the scenario's own page, and the draft's action.
        let saved = app
            .post_form(&save, &[("title", "Pāreja pie veikala"), ("for", &for_a1)])
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let location = saved.location().unwrap().to_owned();
        let scenario = store.street_scenarios(workspace, None).await.unwrap().remove(0);
        assert_eq!(location, format!("/w/paraugs/network/scenarios/{}", scenario.id));
        // The analysis keeps its score to a tenth; the engine's is exact.
        let exact = scenario.expected.score_before.unwrap();
        assert!((exact - before).abs() <= 0.05, "{exact} against {before}");
        assert!((scenario.expected.gain() - gain).abs() < 1e-6);
        let after = scenario.expected.score_after.unwrap();
        // The plan's target is kept to a tenth, as the analyses' scores are.
        let target = kopa_mobility::report::kept_score(after);
        let shown = app.get(&location).await;
        assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
        assert!(shown.body.contains("Pāreja pie veikala"));
        assert!(
            shown.body.contains(&format!("<strong>{after:.1}</strong>")),
            "{}",
            shown.body
        );
        assert!(shown.body.contains("A1 Drošas pārejas"), "{}", shown.body);
        let draft = store.current_plan(workspace).await.unwrap().unwrap();
        let action = draft.plan.actions.iter().find(|a| a.id == a1).unwrap();
        assert_eq!(action.scenario, Some(scenario.id));
        let audit = store.audit_events(workspace, 50, 0).await.unwrap();
        assert!(audit.iter().any(|e| e.entity == "street_scenario"), "saving is audited");
        let network = app.get(&page).await;
        assert!(
            network.body.contains(&location),
            "the analysis lists its saved scenarios"
        );

        // The plan: A1's expected effect, all actions together, and R1 fed by the engine.
        let plan = app.get("/w/paraugs/plan").await;
        assert_eq!(plan.status, StatusCode::OK, "{}", plan.body);
        assert!(
            plan.body
                .contains(&format!("Sagaidāmā ietekme: Pāreja pie veikala ({gain:+.1} punkti)")),
            "{}",
            plan.body
        );
        assert!(
            plan.body.contains(&format!("{exact:.1} → {after:.1} ({gain:+.1})")),
            "{}",
            plan.body
        );
        let row = plan.body.split("id=\"indicator-").nth(1).unwrap();
        let row = &row[..row.find("</tr>").unwrap()];
        let day = analysis.data_as_of.or(analysis.finished_at).unwrap().date_naive();
        let shown_day = day.format("%d.%m.%Y.").to_string();
        assert!(
            row.contains(&format!("{} ({shown_day})", kopa_report::number(before))),
            "{row}"
        );
        assert!(row.contains(&format!("{} (", kopa_report::number(target))), "{row}");

        // The plan's exports show them too.
        let pdf = app
            .get(&format!("/w/paraugs/plan/versions/{}/export/lv/pdf", draft.info.number))
            .await;
        assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.body);
        let text = pdf_extract::extract_text_from_mem(&pdf.bytes).expect("the PDF's text");
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for shown in [
            format!("Sagaidāmā ietekme: Pāreja pie veikala ({gain:+.1} punkti)"),
            format!("{} ({shown_day})", kopa_report::number(before)),
            format!("{} (", kopa_report::number(target)),
        ] {
            assert!(flat.contains(&shown), "the PDF lacks {shown}: {flat}");
        }

        // Submitted, the version keeps them as they were.
        let submitted = app
            .post_form(
                &format!("/w/paraugs/plan/versions/{}/submit", draft.info.number),
                &[("with_gaps", "on")],
            )
            .await;
        assert_eq!(submitted.status, StatusCode::SEE_OTHER, "{}", submitted.body);
        let kept = store.plan_version(workspace, draft.info.number).await.unwrap().unwrap();
        let r1 = kept.plan.indicators.iter().find(|i| i.code == "R1").unwrap();
        assert_eq!(r1.baseline.map(|b| b.value), Some(before));
        assert_eq!(r1.target.map(|t| t.value), Some(target));
    }
}

/// A street chosen on the stress map, or opened from its list, offers the changes to try on
/// it; each joins the scenario it was opened from, is evaluated at once, and is saved with
/// the scenario and named by its street.
#[tokio::test]
async fn changes_tried_on_a_street_join_the_scenario_and_are_saved_with_it() {
    for mut app in every_app().await {
        let mut visitor = app.another_client();
        app.sign_in_as(Role::Coordinator).await;
        // Rietumu iela at 50 km/h, where a lower limit may be tried; Austrumu iela stays at 30.
        let osm = String::from_utf8(village_with_shop()).unwrap().replacen(
            r#"<tag k="maxspeed" v="30"/>"#,
            r#"<tag k="maxspeed" v="50"/>"#,
            1,
        );
        let page = import(&mut app, "", osm.into_bytes()).await;
        let workspace = app.workspace_id_of("paraugs").await;
        let store = app.db.store.clone();
        let analysis = store.street_analyses(workspace).await.unwrap().remove(0);
        let caller = app.state.app.operator_at("paraugs").await.unwrap();
        let results = app.state.app.street_results(&caller, &analysis).await.unwrap();
        let segment_of = |name: &str| {
            let row = results
                .segments
                .iter()
                .find(|r| r.name.as_deref() == Some(name))
                .unwrap();
            (row.segment, row.way)
        };
        let (main_road, _) = segment_of("Rīgas iela");
        let (west, west_way) = segment_of("Rietumu iela");
        let (east, _) = segment_of("Austrumu iela");

        // The interactive map's layer: every segment a bicycle may ride, with its level.
        let layer = app.get(&format!("{page}/stress.geojson")).await;
        assert_eq!(layer.status, StatusCode::OK, "{}", app.backend());
        let layer: serde_json::Value = serde_json::from_str(&layer.body).unwrap();
        let features = layer["features"].as_array().unwrap();
        let ridden = results
            .segments
            .iter()
            .filter(|r| r.lts_forward.or(r.lts_backward).is_some());
        assert_eq!(features.len(), ridden.count());
        let main = features
            .iter()
            .find(|f| f["properties"]["segment"] == main_road)
            .unwrap();
        let row = &results.segments[main_road];
        let worse = row.lts_forward.max(row.lts_backward).unwrap();
        assert_eq!(main["properties"]["lts"], worse);

        // From a scenario with the first place to act, the main road offers a cycle track.
        let street = app.get(&format!("{page}/streets/{main_road}?scenario=place%3D1")).await;
        assert_eq!(street.status, StatusCode::OK, "{}", street.body);
        let track = format!("{page}/scenario?place=1&#38;track={main_road}");
        assert!(street.body.contains(&track), "{}", street.body);
        let slower = format!("slower={west_way}");
        let west_page = app.get(&format!("{page}/streets/{west}")).await;
        assert!(west_page.body.contains(&slower), "a 50 km/h street may be made slower");
        assert!(west_page.body.contains("30 km/h"), "{}", west_page.body);
        // The mobility point it offers is at a junction of the network, where it joins it.
        let point = west_page.body.split("href=\"").find(|h| h.contains("point=")).unwrap();
        let point = point[..point.find('"').unwrap()].replace("&#38;", "&");
        let with_point = app.get(&point).await;
        assert_eq!(with_point.status, StatusCode::OK, "{}", with_point.body);
        assert!(with_point.body.contains("id=\"effect\""), "{}", with_point.body);
        assert!(!with_point.body.contains("field-error"), "{}", with_point.body);
        let east_page = app.get(&format!("{page}/streets/{east}")).await;
        assert!(!east_page.body.contains("slower="), "already at 30 km/h");
        let bad = app
            .get(&format!("{page}/streets/{main_road}?scenario=track%3D999"))
            .await;
        assert_eq!(
            bad.status,
            StatusCode::BAD_REQUEST,
            "a scenario naming nothing is refused"
        );

        // Both together, evaluated at once, each kept as a checked choice named by its street.
        let both = format!("{page}/scenario?place=1&track={main_road}&slower={west_way}");
        let tried = app.get(&both).await;
        assert_eq!(tried.status, StatusCode::OK, "{}", tried.body);
        assert!(tried.body.contains("id=\"effect\""), "{}", tried.body);
        let kept = format!("name=\"track\" value=\"{main_road}\" type=\"checkbox\" checked");
        assert!(tried.body.contains(&kept), "{}", tried.body);
        assert!(tried.body.contains("Rīgas iela: veloceliņš"), "{}", tried.body);
        assert!(tried.body.contains("Rietumu iela: ātruma ierobežojums 30 km/h"));
        for bad in ["track=999", "slower=1", "point=95,1", "point=x"] {
            let refused = app.get(&format!("{page}/scenario?{bad}")).await;
            assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{bad}");
        }

        // Saved, its page names what it builds and opens it again with the same changes.
        let saved = app
            .post_form(&both, &[("title", "Veloceliņš un 30"), ("for", "")])
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let shown = app.get(saved.location().unwrap()).await;
        assert!(shown.body.contains("Rīgas iela: veloceliņš"), "{}", shown.body);
        assert!(shown.body.contains("Rietumu iela: ātruma ierobežojums 30 km/h"));
        assert!(
            shown
                .body
                .contains(&format!("place=1&#38;track={main_road}&#38;slower={west_way}")),
            "{}",
            shown.body
        );

        // Visitors see a published street's level and tags, but nothing to try.
        let published = app.post_form(&format!("{page}/publish"), &[("published", "yes")]).await;
        assert_eq!(published.status, StatusCode::SEE_OTHER);
        let public = visitor.get(&format!("{page}/streets/{main_road}")).await;
        assert_eq!(public.status, StatusCode::OK, "{}", public.body);
        assert!(public.body.contains("id=\"why\""));
        assert!(!public.body.contains("id=\"try\""));
    }
}

/// Answers every request with one file, as the Overpass API or a Geofabrik mirror would; the
/// address it listens at.
async fn serving(status: StatusCode, body: Vec<u8>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let answer = move || {
        let body = body.clone();
        async move { (status, body) }
    };
    let router = axum::Router::new().fallback(answer);
    tokio::spawn(async move { axum::serve(listener, router).await });
    address
}

/// A coordinator names the network instead of uploading it: the server downloads it and
/// analyses it, and what went wrong with a download is the failed analysis's reason.
#[tokio::test]
async fn a_network_fetched_by_name_is_downloaded_and_analysed() {
    for app in every_app().await {
        let overpass = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../kopa-mobility/tests/fixtures/two_streets_overpass.json"
        ))
        .unwrap();
        let endpoint = serving(StatusCode::OK, overpass).await;
        let broken = serving(StatusCode::TOO_MANY_REQUESTS, b"rate_limited: try again later".to_vec()).await;
        let mut app = app;
        app.sign_in_as(Role::Coordinator).await;
        let without = app.get(NETWORK).await;
        assert!(
            !without.body.contains("/network/fetches"),
            "offered only where the server downloads"
        );
        let mut app = app.downloading_from(kopa_app::osm_sources::OsmSources {
            overpass: format!("{endpoint}/api/interpreter"),
            geofabrik: broken.clone(),
        });
        let page = app.get(NETWORK).await;
        assert!(
            page.body.contains("action=\"/w/paraugs/network/fetches\""),
            "{}",
            app.backend()
        );

        // What is wrong with the form is named beside its field, and what was typed kept.
        let fetches = format!("{NETWORK}/fetches");
        let cases = [
            (("overpass", " "), "Norādiet administratīvo teritoriju"),
            (("geofabrik", "../etc"), "Geofabrik reģions ir ceļš"),
            (("ftp", "x"), "Izvēlieties, no kurienes"),
        ];
        for ((source, name), message) in cases {
            let refused = app
                .post_form(&fetches, &[("source", source), ("name", name), ("area", "Ciems")])
                .await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{source}");
            assert!(refused.body.contains(message), "{source}: {}", refused.body);
            assert!(refused.body.contains("value=\"Ciems\""), "the area typed is kept");
        }

        // An area from the Overpass API, downloaded and analysed as an upload is.
        let sent = app
            .post_form(&fetches, &[("source", "overpass"), ("name", "Siguldas pilsēta")])
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let analysis_page = sent.location().unwrap().to_owned();
        let workspace = app.workspace_id_of("paraugs").await;
        let store = app.db.store.clone();
        let mut analysis = None;
        for _ in 0..300 {
            let found = store.street_analyses(workspace).await.unwrap().remove(0);
            if !found.is_pending() {
                analysis = Some(found);
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let analysis = analysis.expect("the analysis ended");
        assert_eq!(analysis.status, AnalysisStatus::Done, "{:?}", analysis.error);
        assert_eq!(analysis.source, NetworkSource::Overpass);
        assert_eq!(analysis.source_name, "siguldas-pilseta.overpass.json");
        let shown = app.get(&analysis_page).await;
        assert!(shown.body.contains("no Overpass API"), "{}", shown.body);

        // A server that refuses: the analysis fails, quoting it.
        let sent = app
            .post_form(&fetches, &[("source", "geofabrik"), ("name", "europe/latvia")])
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let mut failed = None;
        for _ in 0..300 {
            let found = store.street_analyses(workspace).await.unwrap().remove(0);
            if !found.is_pending() {
                failed = Some(found);
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let failed = failed.expect("the analysis ended");
        assert_eq!(failed.status, AnalysisStatus::Failed);
        let reason = failed.error.unwrap();
        assert!(reason.contains("429") && reason.contains("rate_limited"), "{reason}");
        let shown = app.get(sent.location().unwrap()).await;
        assert!(shown.body.contains("rate_limited"), "{}", shown.body);
    }
}
