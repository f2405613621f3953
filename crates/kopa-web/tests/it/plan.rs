//! The Integrated Action Plan through its pages: building the draft with checked forms,
//! refusals that name the field, submitting and the frozen version, comparing versions, the
//! network's reading rights and the roadmap on the dashboard.

use axum::http::StatusCode;
use kopa_domain::audit::SystemActor;
use kopa_domain::plan::ItemId;

use crate::harness::{COORDINATOR, MEMBER, RESIDENT, TestApp, every_app};

const DRAFT: &str = "/w/kekava/plan/versions/1";

/// The id at the end of a redirect such as `…/items/action/42`.
fn id_in(location: Option<&str>) -> ItemId {
    let location = location.expect("a redirect").split('#').next().unwrap_or_default();
    location.rsplit('/').next().unwrap().parse().expect("an item id")
}

async fn objective(app: &TestApp) -> String {
    let ws = app.workspace_id().await;
    let version = app.db.store.plan_version(ws, 1).await.unwrap().unwrap();
    version
        .plan
        .objectives
        .iter()
        .find(|o| o.code == "O1.1")
        .unwrap()
        .id
        .to_string()
}

#[tokio::test]
async fn a_coordinator_builds_the_draft_and_bad_input_is_named_field_by_field() {
    for mut app in every_app().await {
        let ws = app.workspace_id().await;
        let store = app.db.store.clone();
        app.sign_in(COORDINATOR).await;
        let objective = objective(&app).await;
        let before = store.plan_version(ws, 1).await.unwrap().unwrap().plan;

        let refused = app
            .post_form(
                &format!("{DRAFT}/items/action/new"),
                &[
                    ("code", "A9"),
                    ("title_lv", "Velojosla gar skolu"),
                    ("objective", "987654"),
                    ("starts_on", "2022-05-01"),
                    ("ends_on", "2022-04-01"),
                    ("cost", "-500"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.backend());
        for message in [
            "Summa nevar būt negatīva",
            "Beigām jābūt pēc sākuma",
            "Šāda ieraksta šajā darba vietā nav",
        ] {
            assert!(refused.body.contains(message), "{}: {message}", app.backend());
        }
        assert!(
            refused.body.contains("value=\"Velojosla gar skolu\""),
            "what was typed is kept"
        );

        let risky = app
            .post_form(
                &format!("{DRAFT}/items/risk/new"),
                &[("title_en", "Flooding"), ("likelihood", "7"), ("impact", "3")],
            )
            .await;
        assert_eq!(risky.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(risky.body.contains("ārpus atļautajām robežām"), "likelihood 7 is named");
        assert_eq!(
            store.plan_version(ws, 1).await.unwrap().unwrap().plan,
            before,
            "nothing changed"
        );

        let added = app
            .post_form(
                &format!("{DRAFT}/items/action/new"),
                &[
                    ("code", "A9"),
                    ("title_lv", "Velojosla gar skolu"),
                    ("title_en", "A cycle lane along the school"),
                    ("objective", &objective),
                    ("starts_on", "2022-04-01"),
                    ("ends_on", "2022-09-30"),
                    ("cost", "12 000"),
                ],
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let action = id_in(added.location());
        let funded = app
            .post_form(
                &format!("{DRAFT}/items/funding/new"),
                &[
                    ("action", &action.to_string()),
                    ("source", "municipal"),
                    ("amount", "12000"),
                    ("status", "secured"),
                ],
            )
            .await;
        assert_eq!(funded.status, StatusCode::SEE_OTHER, "{}", funded.body);
        let risk = app
            .post_form(
                &format!("{DRAFT}/items/risk/new"),
                &[
                    ("title_en", "The school objects"),
                    ("likelihood", "2"),
                    ("impact", "3"),
                    ("action", &action.to_string()),
                ],
            )
            .await;
        assert_eq!(risk.status, StatusCode::SEE_OTHER, "{}", risk.body);

        let plan = store.plan_version(ws, 1).await.unwrap().unwrap().plan;
        let saved = plan.action(action).unwrap();
        assert_eq!((saved.cost, saved.funded()), (1_200_000, 1_200_000));
        assert!(plan.risks.iter().any(|r| r.action == Some(action) && r.score() == 6));
        let page = app.get("/w/kekava/plan").await;
        assert!(page.body.contains("A9") && page.body.contains("Velojosla gar skolu"));
        let readiness = app.get(&format!("{DRAFT}/readiness")).await.body;
        assert!(
            readiness.contains("Rādītājam nav bāzes vērtības"),
            "the demo's I4 lacks a baseline"
        );
        assert!(
            !readiness.contains(&format!("action-{action}\">Rīcības · A9</a>: Izmaksas")),
            "A9 is fully funded"
        );
    }
}

#[tokio::test]
async fn a_submitted_version_is_read_only_and_the_next_draft_compares_with_it() {
    for mut app in every_app().await {
        let ws = app.workspace_id().await;
        let store = app.db.store.clone();
        app.sign_in(COORDINATOR).await;

        let unconfirmed = app.post_form(&format!("{DRAFT}/submit"), &[]).await;
        assert_eq!(unconfirmed.status, StatusCode::CONFLICT, "gaps must be confirmed");
        // The plan page again, signed in, with the reason beside the box to tick.
        let body = &unconfirmed.body;
        assert!(body.contains("Plānā vēl ir trūkumi"), "{body}");
        assert!(
            body.contains(
                r#"id="f-with-gaps" name="with_gaps" type="checkbox" aria-invalid="true" aria-describedby="e-submit""#
            ),
            "{body}"
        );
        assert!(body.contains("/w/kekava/plan/versions/1/submit") && body.contains(r#"href="/w/kekava/ideas""#));
        assert!(
            !body.contains(r#"href="/signin"#),
            "no offer to sign in to one signed in"
        );
        // An error page is the workspace's too, in the reader's language once they choose one.
        let missing = app.get("/w/kekava/plan/versions/99").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert!(
            missing.body.contains("Šādas lapas vai ieraksta nav") && missing.body.contains(r#"href="/w/kekava/plan""#)
        );
        app.get("/language/en?back=/").await;
        let missing = app.get("/w/kekava/plan/versions/99").await.body;
        assert!(
            missing.contains("There is no such page or record") && missing.contains("Back to the overview"),
            "{missing}"
        );
        app.get("/language/lv?back=/").await;
        let submitted = app.post_form(&format!("{DRAFT}/submit"), &[("with_gaps", "on")]).await;
        assert_eq!(submitted.status, StatusCode::SEE_OTHER, "{}", submitted.body);

        let page = app.get(DRAFT).await.body;
        assert!(page.contains("Šī versija ir iesniegta"), "{}", app.backend());
        assert!(!page.contains("/items/action/new"), "no more forms to change it");
        let objective = objective(&app).await;
        let late = app
            .post_form(
                &format!("{DRAFT}/items/objective/{objective}"),
                &[("code", "O1.1"), ("level", "specific"), ("title_lv", "Cits")],
            )
            .await;
        assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            late.body.contains("Šī versija ir iesniegta, un to vairs nevar mainīt"),
            "{}",
            late.body
        );
        let removal = app
            .post_form(&format!("{DRAFT}/items/objective/{objective}/remove"), &[])
            .await;
        assert_eq!(removal.status, StatusCode::CONFLICT);

        let opened = app.post_form("/w/kekava/plan/draft", &[]).await;
        assert_eq!(opened.location(), Some("/w/kekava/plan/versions/2"));
        let vision = app
            .post_form(
                "/w/kekava/plan/versions/2/parts/vision",
                &[
                    ("vision_lv", "Velosipēdistiem draudzīgākais novads Baltijā"),
                    ("vision_en", ""),
                ],
            )
            .await;
        assert_eq!(vision.status, StatusCode::SEE_OTHER, "{}", vision.body);
        assert_eq!(store.plan_versions(ws).await.unwrap().len(), 2);

        let compared = app.get("/w/kekava/plan/versions?from=1&to=2").await;
        assert_eq!(compared.status, StatusCode::OK);
        assert!(
            compared.body.contains("Velosipēdistiem draudzīgākais novads Baltijā"),
            "the new text"
        );
        assert!(compared.body.contains("Mainīts"), "the vision is marked changed");
        assert!(compared.body.contains("Izmaiņu nav"), "unchanged sections say so");
        let nonsense = app.get("/w/kekava/plan/versions?from=1&to=9").await;
        assert_eq!(nonsense.status, StatusCode::BAD_REQUEST);

        let translations = app.get("/w/kekava/plan/versions/2/translations").await.body;
        assert!(
            translations.contains("Velosipēdistiem draudzīgākais novads Baltijā"),
            "now only in Latvian"
        );
        app.set_language("en");
        let english = app.get("/w/kekava/plan/versions/2").await.body;
        assert!(
            english.contains("not translated; shown in Latvian"),
            "the fallback is visible"
        );
    }
}

#[tokio::test]
async fn the_network_reads_submitted_versions_only_and_the_public_reads_none() {
    for mut app in every_app().await {
        let ws = app.workspace_id().await;
        let store = app.db.store.clone();
        app.sign_in(kopa_demo::NETWORK_READER.0).await;
        let draft = app.get(DRAFT).await;
        assert_eq!(draft.status, StatusCode::NOT_FOUND, "a draft stays with the group");
        let list = app.get("/network/plans").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("Milano") && list.body.contains("Ķekavas novads"));

        store
            .submit_plan(&kopa_store::Actor::system(SystemActor::Setup), ws, 1, None)
            .await
            .unwrap();
        let submitted = app.get(DRAFT).await;
        assert_eq!(submitted.status, StatusCode::OK, "{}", app.backend());
        assert!(app.get("/network/plans").await.body.contains(DRAFT));
        assert_eq!(app.get("/w/kekava/plan/versions").await.status, StatusCode::FORBIDDEN);

        app.sign_out_locally();
        app.sign_in(RESIDENT).await;
        assert_eq!(app.get(DRAFT).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get("/network/plans").await.status, StatusCode::FORBIDDEN);

        // Once the coordinators publish it, everyone reads and downloads it.
        app.sign_out_locally();
        app.sign_in(COORDINATOR).await;
        let published = app.post_form(&format!("{DRAFT}/publish"), &[]).await;
        assert_eq!(published.status, StatusCode::SEE_OTHER);
        app.sign_out_locally();
        let home = app.get("/w/kekava").await.body;
        assert!(
            home.contains(&format!("href=\"{DRAFT}\"")),
            "the front page links the plan"
        );
        let page = app.get("/w/kekava/plan").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Publicēts visiem"));
        assert!(!page.body.contains("/items/action/"), "no item pages for visitors");
        let pdf = app.get(&format!("{DRAFT}/export/lv/pdf")).await;
        assert_eq!(pdf.status, StatusCode::OK);
        assert_eq!(
            app.get("/w/kekava/plan/versions").await.status,
            StatusCode::SEE_OTHER,
            "versions stay with the group"
        );
    }
}

#[tokio::test]
async fn members_comment_and_the_dashboard_shows_the_roadmap() {
    for mut app in every_app().await {
        app.sign_in(MEMBER).await;
        let home = app.get("/w/kekava").await.body;
        assert!(
            home.contains("Nokavēts"),
            "the IAP roadmap of 31 Dec 2020 is not recorded as done"
        );
        assert!(home.contains("IRP ceļvedis iesniegts"));
        assert!(home.contains("Drīz termiņš"), "the group review is due within 30 days");

        let objective = objective(&app).await;
        let item = format!("{DRAFT}/items/objective/{objective}");
        let page = app.get(&item).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            !page.body.contains(&format!("action=\"{item}\"")),
            "members get no form to edit it"
        );
        let comment = app
            .post_form(
                "/w/kekava/plan/comments",
                &[
                    ("item", &format!("objective:{objective}")),
                    ("body", "Arī pie bērnudārziem?"),
                    ("back", &item),
                ],
            )
            .await;
        assert_eq!(comment.location(), Some(item.as_str()));
        assert!(app.get(&item).await.body.contains("Arī pie bērnudārziem?"));
        let edit = app
            .post_form(&item, &[("code", "O1.1"), ("level", "specific"), ("title_lv", "Cits")])
            .await;
        assert_eq!(edit.status, StatusCode::FORBIDDEN);
    }
}

/// Every part of a Word file, each checked to be well-formed XML, and the main text.
fn open_docx(bytes: &[u8]) -> (Vec<String>, String) {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    let mut names = Vec::new();
    let mut document = String::new();
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).unwrap();
        let name = part.name().to_owned();
        let mut content = Vec::new();
        std::io::Read::read_to_end(&mut part, &mut content).unwrap();
        if name.ends_with(".xml") || name.ends_with(".rels") {
            let mut reader = quick_xml::Reader::from_reader(content.as_slice());
            let mut buffer = Vec::new();
            loop {
                match reader.read_event_into(&mut buffer) {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(_) => buffer.clear(),
                    Err(e) => panic!("{name} is not well-formed: {e}"),
                }
            }
        }
        if name == "word/document.xml" {
            document = String::from_utf8(content).expect("UTF-8");
        }
        names.push(name);
    }
    (names, document)
}

#[tokio::test]
async fn the_plan_exports_as_pdf_word_and_html_in_both_languages() {
    for mut app in every_app().await {
        app.sign_in(COORDINATOR).await;
        for (lang, heading, text) in [
            ("lv", "Integrētais rīcības plāns", "Gājēju pāreja pie skolas"),
            ("en", "Integrated Action Plan", "A crossing by the school"),
        ] {
            let pdf = app.get(&format!("{DRAFT}/export/{lang}/pdf")).await;
            assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.body);
            assert_eq!(pdf.headers["content-type"], "application/pdf");
            let extracted = pdf_extract::extract_text_from_mem(&pdf.bytes).expect("the PDF's text");
            let flat = extracted.split_whitespace().collect::<Vec<_>>().join(" ");
            for expected in [heading, text, "A1", "A2", "A3", "A4", "SSA1", "Ķekavas novads"] {
                assert!(flat.contains(expected), "{lang} PDF lacks {expected}");
            }
            if lang == "lv" {
                for word in ["Gājēju", "Pašvaldības budžets", "Iespējamība", "Ceļvedis"] {
                    assert!(flat.contains(word), "Latvian letters stay whole: {word}");
                }
            }

            let docx = app.get(&format!("{DRAFT}/export/{lang}/docx")).await;
            assert_eq!(docx.status, StatusCode::OK);
            assert!(
                docx.headers["content-disposition"]
                    .to_str()
                    .unwrap()
                    .ends_with(&format!("-v1-{lang}.docx\""))
            );
            let (parts, document) = open_docx(&docx.bytes);
            for required in [
                "[Content_Types].xml",
                "_rels/.rels",
                "word/document.xml",
                "word/styles.xml",
            ] {
                assert!(parts.iter().any(|p| p == required), "{lang} DOCX lacks {required}");
            }
            assert!(
                parts.iter().filter(|p| p.ends_with(".png")).count() >= 4,
                "the pictures are in it"
            );
            for expected in [heading, text, "A4"] {
                assert!(document.contains(expected), "{lang} DOCX lacks {expected}");
            }

            let html = app.get(&format!("{DRAFT}/export/{lang}/html")).await;
            assert_eq!(html.status, StatusCode::OK);
            assert!(html.body.contains(&format!("<html lang=\"{lang}\">")));
            assert_eq!(
                html.body.matches("<svg").count(),
                1 + 1 + 4 + 1,
                "tree, heat map, four trends, Gantt"
            );
        }
        let english = app.get(&format!("{DRAFT}/export/en/html")).await.body;
        assert!(
            english.contains("Reizi ceturksnī grupas sanāksmē (piemērs). [LV]"),
            "the review cycle has no English text and says so"
        );
        assert!(english.contains("Texts marked [LV] have no English translation yet"));
        assert_eq!(
            app.get(&format!("{DRAFT}/export/de/pdf")).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.get(&format!("{DRAFT}/export/lv/odt")).await.status,
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn the_action_table_names_each_instruments_status_and_leaves_out_those_not_counted_on() {
    for mut app in every_app().await {
        app.sign_in(COORDINATOR).await;
        let page = app.get("/w/kekava/plan").await.body;
        assert!(
            page.contains("Zemes gabals 0,2 ha pie Ķekavas autoostas (piemērs) (spēkā)"),
            "{}",
            app.backend()
        );
        assert!(
            page.contains("(iesniegts apstiprināšanai)"),
            "an offer under review says so"
        );
        // The demo's rejected partnership is of the same initiative as the lease.
        assert!(
            !page.contains("stāvvieta ar uzlādes staciju"),
            "a rejected instrument is no commitment"
        );
        let word = app.get("/w/kekava/plan/versions/1/export/lv/html").await.body;
        assert!(word.contains("(spēkā)") && !word.contains("stāvvieta ar uzlādes staciju"));
    }
}
