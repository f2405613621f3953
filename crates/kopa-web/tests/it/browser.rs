//! Real headless Chromium, driven through chromedriver, against a real server on loopback.
//! Runs when `KOPA_TEST_CHROMEDRIVER` names a chromedriver binary; the accessibility check
//! also needs axe-core (`npm ci` puts it in `node_modules/`, or set `KOPA_TEST_AXE`).

use kopa_domain::audit::SystemActor;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use kopa_store::testing::sqlite;
use kopa_web::{AppState, Settings};

use crate::harness::{ADMIN, AUDITOR, COORDINATOR, KEKAVA_SET_UP, MEMBER, PARTNER, RESIDENT};

struct Browser {
    client: Client,
    driver: Child,
    base: String,
    /// Whether the server has MapLibre GL, which makes the maps interactive.
    interactive: bool,
    _profile: tempfile::TempDir,
    _db: kopa_store::testing::TestDatabase,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A browser on a fresh demo server, or `None` (said plainly) when none is configured.
async fn browser(test: &str) -> Option<Browser> {
    browser_over(test, true).await
}

/// As [`browser`], over the demo or over an empty database, as `kopa init` finds it.
async fn browser_over(test: &str, demo: bool) -> Option<Browser> {
    let Some(chromedriver) = std::env::var_os("KOPA_TEST_CHROMEDRIVER").filter(|v| !v.is_empty()) else {
        kopa_store::testing::say_skipped(&format!(
            "browser test {test}; set KOPA_TEST_CHROMEDRIVER to a chromedriver binary to run it."
        ));
        return None;
    };
    let chromium = std::env::var("KOPA_TEST_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());

    let db = sqlite(std::sync::Arc::new(kopa_store::SystemClock)).await;
    if demo {
        kopa_demo::load(&db.store).await.expect("demo");
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("listen");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let state = AppState::new(
        db.store.clone(),
        Settings {
            public_url: base.clone(),
            secure_cookies: false,
            map_tiles: None,
            smtp_url: None,
            mail_from: "kopa@kopa.test".into(),
            client_address_header: None,
        },
    )
    .expect("state");
    // The interactive maps, when `npm ci` installed MapLibre GL.
    let library = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../node_modules/maplibre-gl/dist");
    let (state, interactive) = match kopa_web::MapLibrary::load(&library) {
        Ok(library) => (state.with_map_library(library), true),
        Err(_) => {
            kopa_store::testing::say_skipped(&format!(
                "the interactive map in browser test {test}; run `npm ci` to install MapLibre GL."
            ));
            (state, false)
        }
    };
    tokio::spawn(kopa_web::serve(listener, state));

    let port = free_port();
    let driver = Command::new(&chromedriver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let profile = tempfile::tempdir().expect("profile dir");
    let capabilities = serde_json::json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                // WebGL for the interactive maps, drawn in software since there is no GPU.
                "--enable-unsafe-swiftshader",
                "--window-size=1280,1000", format!("--user-data-dir={}", profile.path().display()),
            ]
        }
    });
    let capabilities = capabilities.as_object().cloned().unwrap_or_default();
    let mut last_error = String::new();
    for _ in 0..50 {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(capabilities.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => {
                return Some(Browser {
                    client,
                    driver,
                    base,
                    interactive,
                    _profile: profile,
                    _db: db,
                });
            }
            Err(error) => last_error = error.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("chromedriver did not start a browser: {last_error}");
}

impl Browser {
    async fn open(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .expect("navigate");
    }

    /// Waits for an element, since a page may still be loading.
    async fn find(&self, css: &str) -> fantoccini::elements::Element {
        match self
            .client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
        {
            Ok(element) => element,
            Err(error) => {
                let url = self
                    .client
                    .current_url()
                    .await
                    .map(|u| u.to_string())
                    .unwrap_or_default();
                panic!(
                    "{css}: {error} at {url}:\n{}",
                    self.client.source().await.unwrap_or_default()
                );
            }
        }
    }

    /// Clicks a button that loads a new page, and waits until the old page is gone.
    async fn submit(&self, css: &str) {
        let old_page = self.find("html").await;
        self.find(css).await.click().await.expect("click");
        for _ in 0..200 {
            if old_page.tag_name().await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("{css} did not load a new page");
    }

    async fn fill(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field.clear().await.expect("clear");
        field.send_keys(text).await.expect("type");
    }

    /// Sets a field by script, for inputs like datetime-local that typing handles poorly.
    async fn set(&self, id: &str, value: &str) {
        self.client
            .execute(
                "document.getElementById(arguments[0]).value = arguments[1];",
                vec![id.into(), value.into()],
            )
            .await
            .expect("set value");
    }

    async fn click(&self, css: &str) {
        self.find(css).await.click().await.expect("click");
    }

    async fn open_details(&self, summary: &str) {
        let xpath = format!("//summary[contains(., '{summary}')]");
        match self.client.find(Locator::XPath(&xpath)).await {
            Ok(element) => element.click().await.expect("open"),
            Err(error) => {
                let url = self
                    .client
                    .current_url()
                    .await
                    .map(|u| u.to_string())
                    .unwrap_or_default();
                let source = self.client.source().await.unwrap_or_default();
                panic!("{summary}: {error} at {url}:\n{source}");
            }
        }
    }

    /// Picks the street at the centre of an interactive stress map with the keyboard, as a
    /// keyboard user would, and reads what is shown beside the map about it. Enter is pressed
    /// again until the map has drawn its streets.
    async fn pick_street_on(&self, figure: &str) -> String {
        self.find(&format!("{figure}.is-interactive")).await;
        let canvas = self.find(&format!("{figure} .map-interactive canvas")).await;
        let picked = format!("{figure} .street-picked:not([hidden])");
        for _ in 0..40 {
            canvas.send_keys("\u{E007}").await.expect("press Enter");
            tokio::time::sleep(Duration::from_millis(250)).await;
            if let Ok(found) = self.client.find(Locator::Css(&picked)).await {
                return found.text().await.expect("text");
            }
        }
        panic!("no street was picked on {figure}");
    }

    async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.expect("text")
    }

    /// Fetches a download as the page would, with the browser's cookies: status, type, bytes.
    async fn fetch(&self, href: &str) -> (u16, String, Vec<u8>) {
        let fetched = self
            .client
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                   fetch(arguments[0]).then(r => r.arrayBuffer().then(b => {
                     let text = ''; new Uint8Array(b).forEach(c => text += String.fromCharCode(c));
                     done([r.status, r.headers.get('content-type'), btoa(text)]);
                   })).catch(e => done([0, String(e), '']));"#,
                vec![href.into()],
            )
            .await
            .unwrap();
        let (status, content_type, body): (u16, String, String) = serde_json::from_value(fetched).unwrap();
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD.decode(body).unwrap();
        (status, content_type, bytes)
    }

    async fn sign_in(&self, email: &str, next: &str) {
        self.sign_in_with(email, kopa_demo::DEMO_PASSWORD, next).await;
    }

    async fn sign_in_with(&self, email: &str, password: &str, next: &str) {
        self.open(&format!("/signin?next={next}")).await;
        self.fill("#f-email", email).await;
        self.fill("#f-password", password).await;
        self.submit("form[action='/signin'] button[type=submit]").await;
    }
}

/// The journey of an idea: a resident signs up and places it on the map, another person
/// supports it, a coordinator makes it a mobility-point initiative and moves it to "agreed by
/// the group" citing the decision, and anyone sees its timeline and its place, in both languages.
#[tokio::test]
async fn an_idea_on_the_map_becomes_an_agreed_initiative_that_anyone_can_follow() {
    let Some(browser) = browser("an_idea_on_the_map_becomes_an_agreed_initiative_that_anyone_can_follow").await else {
        return;
    };
    // 1. A resident signs up, then places an idea on the map.
    browser.open("/w/kekava/signup").await;
    browser.fill("#f-display_name", "Rasma Riteniece").await;
    browser.fill("#f-email", "rasma@example.lv").await;
    browser.fill("#f-password", "a long enough password").await;
    browser.click("#f-consent").await;
    browser
        .submit("form[action='/w/kekava/signup'] button[type=submit]")
        .await;
    assert!(browser.text(".signed-in").await.contains("Rasma Riteniece"));
    browser.fill("#f-idea-title", "Velostatīvi pie stacijas").await;
    browser.fill("#f-idea-body", "Vairāk vietu velosipēdiem.").await;
    let interactive = browser.client.find(Locator::Css("[data-place-picker]")).await.is_ok();
    if interactive {
        // A click in the middle of the map marks a point there.
        browser.find("[data-place-picker] canvas.maplibregl-canvas").await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        browser.click("[data-place-picker] canvas.maplibregl-canvas").await;
        let mut place = String::new();
        for _ in 0..40 {
            place = browser
                .find("#f-idea-place")
                .await
                .prop("value")
                .await
                .expect("value")
                .unwrap_or_default();
            if !place.is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(place.starts_with(r#"{"type":"Point","coordinates":[24."#), "{place}");
    } else {
        browser.fill("#f-idea-place", "56.8260, 24.2310").await;
    }
    browser
        .submit("form[action='/w/kekava/ideas'] button[type=submit]")
        .await;
    browser.find("svg.map a.marker").await;
    let idea_page = browser.client.current_url().await.expect("url").path().to_owned();
    assert!(idea_page.starts_with("/w/kekava/ideas/"), "{idea_page}");

    // Another person supports it.
    browser.submit("form[action='/signout'] button").await;
    browser.sign_in(MEMBER, &idea_page).await;
    browser
        .submit(&format!("form[action='{idea_page}/support'] button[type=submit]"))
        .await;
    assert!(browser.text("#support").await.contains("1 atbalstītājs"));

    // 2. A coordinator finds it among what waits on them, and makes it an initiative of the
    //    type "mobility point".
    browser.submit("form[action='/signout'] button").await;
    browser.sign_in(COORDINATOR, "/w/kekava").await;
    let store = browser._db.store.clone();
    let ws = store.workspace_by_slug("kekava").await.unwrap().unwrap().id;
    let (waiting, _) = store.ideas_awaiting_answer(ws, 0).await.unwrap();
    let id: i64 = idea_page.rsplit('/').next().unwrap().parse().unwrap();
    assert!(
        store
            .ideas_awaiting_answer(ws, waiting)
            .await
            .unwrap()
            .1
            .iter()
            .any(|i| i.id == id)
    );
    assert!(
        browser
            .text("ul.attention")
            .await
            .contains(&format!("{waiting} idejas gaida atbildi")),
        "the new idea is counted among those awaiting an answer"
    );
    browser.open(&idea_page).await;
    browser
        .find("#f-initiative-cooperation_type option[value='mobility_point']")
        .await
        .click()
        .await
        .expect("choose the type");
    browser
        .submit(&format!("form[action='{idea_page}/initiative'] button[type=submit]"))
        .await;
    let initiative_page = browser.client.current_url().await.expect("url").path().to_owned();
    assert!(
        initiative_page.starts_with("/w/kekava/initiatives/"),
        "{initiative_page}"
    );

    // 3. Assessed, then agreed by the group, citing the decision of 10 Nov 2020.
    browser.fill("#f-step-reason", "Izvērtēta vieta un izmaksas").await;
    browser
        .submit(&format!("form[action='{initiative_page}/steps'] button[type=submit]"))
        .await;
    browser
        .find("#f-step-to option[value='agreed']")
        .await
        .click()
        .await
        .expect("choose the step");
    browser.fill("#f-step-reason", "Grupa vienojās").await;
    browser
        .client
        .execute(
            "const select = document.getElementById('f-step-decision'); \
             const option = [...select.options].find(o => o.text.includes('zaļās mobilitātes')); \
             select.value = option.value;",
            vec![],
        )
        .await
        .expect("choose the decision");
    browser
        .submit(&format!("form[action='{initiative_page}/steps'] button[type=submit]"))
        .await;

    // 4. Anyone sees its timeline and its place on the map, in Latvian and in English.
    browser.submit("form[action='/signout'] button").await;
    browser.open(&initiative_page).await;
    let timeline = browser.text(".timeline").await;
    assert!(
        timeline.contains("grupa vienojusies") && timeline.contains("Grupa vienojās"),
        "{timeline}"
    );
    assert!(timeline.contains("izvērtēta"), "{timeline}");
    assert!(
        browser
            .text("main")
            .await
            .contains("velosipēdistiem draudzīgāko novadu"),
        "the decision it follows"
    );
    browser.find("svg.map a.marker").await;

    // 5. The resident who proposed it, following it, sees what it became and each step.
    browser
        .sign_in_with("rasma@example.lv", "a long enough password", &idea_page)
        .await;
    let idea = browser.text("main").await;
    assert!(idea.contains("Šī ideja kļuva par iniciatīvu"), "{idea}");
    assert!(
        idea.contains("grupa vienojusies"),
        "the idea's status follows the initiative: {idea}"
    );
    browser.open("/w/kekava/notifications").await;
    assert!(
        browser
            .text("main")
            .await
            .contains("Ideja kļuva par iniciatīvu: Velostatīvi pie stacijas"),
        "the follower was told"
    );
    browser.submit("form[action='/signout'] button").await;

    browser.open(&format!("/language/en?back={initiative_page}")).await;
    assert!(browser.text(".timeline").await.contains("agreed by the group"));
    assert!(browser.text("main").await.contains("Where it was discussed"));
    browser.find("svg.map a.marker").await;
    browser
        .open("/w/kekava/map?q=velostativi+stacijas&show=initiatives")
        .await;
    assert!(browser.text(".map-items").await.contains("Velostatīvi pie stacijas"));
    if interactive {
        browser.find("figure.is-interactive a.map-marker.initiative").await;
    }
}

#[tokio::test]
async fn a_coordinator_records_a_decision_and_sees_it_in_both_languages() {
    let Some(browser) = browser("a_coordinator_records_a_decision").await else {
        return;
    };
    browser.sign_in(COORDINATOR, "/w/kekava/meetings/new").await;
    assert!(
        browser
            .client
            .current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/meetings/new")
    );

    browser.find("#f-kind").await.select_by_value("group").await.unwrap();
    browser.fill("#f-title", "Velo darba grupa: skolu maršruti").await;
    browser.set("f-starts_at", "2030-05-04T17:00").await;
    browser.set("f-ends_at", "2030-05-04T19:00").await;
    browser
        .find("#f-mode")
        .await
        .select_by_value("in_person")
        .await
        .unwrap();
    browser.fill("#f-place", "Ķekavas kultūras nams").await;
    browser.click("#f-published").await;
    browser.submit("form.stacked button[type=submit]").await;
    let meeting_url = browser.client.current_url().await.unwrap();
    assert!(meeting_url.path().starts_with("/w/kekava/meetings/"), "{meeting_url}");
    assert_eq!(browser.text("h1").await, "Velo darba grupa: skolu maršruti");

    browser.open_details("Pievienot darba kārtības punktu").await;
    browser.fill("#f-agenda-title", "Drošs ceļš uz skolu").await;
    browser.submit("form[action$='/agenda'] button[type=submit]").await;
    browser.open_details("Pievienot darba kārtības punktu").await;
    browser.fill("#f-agenda-title", "Baloži").await;
    browser
        .find("#f-agenda-parent_id")
        .await
        .select_by_label("1 Drošs ceļš uz skolu")
        .await
        .unwrap();
    browser.submit("form[action$='/agenda'] button[type=submit]").await;
    let agenda = browser.text("ol.agenda").await;
    assert!(agenda.contains("1.1 Baloži"), "{agenda}");

    browser.open_details("Reģistrēt lēmumu").await;
    browser
        .fill("#f-decision-text", "Izstrādāt drošu maršrutu karti skolām")
        .await;
    browser.fill("#f-decision-votes_for", "8").await;
    browser.submit("form[action$='/decisions'] button[type=submit]").await;
    assert_eq!(browser.text(".decision .outcome").await, "Pieņemts — vienbalsīgi");
    assert_eq!(browser.text(".decision .votes").await, "Par: 8 · Pret: 0 · Atturas: 0");

    browser.submit("a.language-switch").await;
    assert_eq!(browser.client.current_url().await.unwrap().path(), meeting_url.path());
    assert_eq!(browser.text(".decision .outcome").await, "Adopted — unanimously");
    let lang = browser.find("html").await.attr("lang").await.unwrap();
    assert_eq!(lang.as_deref(), Some("en"));
    browser.client.clone().close().await.ok();
}

/// Lawful cooperation end to end: a business offers to host a mobility point; a coordinator
/// records the valuation, the auction and the council's decision taken from the recorded
/// meeting; the lease becomes active and its obligation shows on the public register; and an
/// auditor downloads the audit pack as a PDF whose text reads back with Latvian letters.
#[tokio::test]
async fn a_partners_offer_becomes_an_active_lease_that_an_auditor_can_download() {
    let Some(browser) = browser("a_partners_offer_becomes_an_active_lease_that_an_auditor_can_download").await else {
        return;
    };
    let store = browser._db.store.clone();
    let ws = store.workspace_by_slug("kekava").await.unwrap().unwrap().id;
    let mobility_point = store
        .initiatives(ws)
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.cooperation_type == "mobility_point" && i.parent_id.is_none())
        .unwrap()
        .id;
    let subject = "Mobilitātes punkts pie Baložu stacijas";

    // 1. The partner offers it.
    browser.sign_in(PARTNER, "/w/kekava/business").await;
    browser.set("f-offer-initiative_id", &mobility_point.to_string()).await;
    browser.set("f-offer-kind", "land_lease").await;
    browser.fill("#f-offer-subject", subject).await;
    browser
        .fill(
            "#f-offer-purpose",
            "Velo novietne un auto stāvvieta pārsēšanās braucieniem",
        )
        .await;
    browser.fill("#f-offer-value", "900").await;
    browser.set("f-offer-starts_on", "2027-01-01").await;
    browser.set("f-offer-ends_on", "2036-12-31").await;
    browser
        .submit("form[action='/w/kekava/business/offers'] button[type=submit]")
        .await;
    assert!(browser.text(".notice").await.contains("koordinatoram"));
    let offer = store
        .instruments(ws)
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.subject == subject)
        .unwrap();
    assert!(offer.offered);

    // 2. The coordinator finds the offer among what waits on them, submits it, records the
    //    valuation and the auction, and the council's decision with the vote taken from the
    //    recorded sitting.
    browser.sign_in(COORDINATOR, "/w/kekava").await;
    assert!(
        browser.text("ul.attention").await.contains(subject),
        "the offer awaits the coordinator"
    );
    browser
        .submit(&format!(
            "ul.attention a[href='/w/kekava/cooperation/instruments/{}']",
            offer.id
        ))
        .await;
    browser.set("f-step-to", "submitted").await;
    browser.fill("#f-step-reason", "Iesniegts domei").await;
    browser.submit("form[action$='/steps'] button[type=submit]").await;
    let yesterday = (chrono::Utc::now().date_naive() - chrono::Days::new(1)).to_string();
    browser.fill("#f-valuation-method", "Tirgus salīdzinājuma pieeja").await;
    browser.fill("#f-valuation-document", "Vērtējums Nr. 9/2026").await;
    browser.fill("#f-valuation-amount", "850").await;
    browser.set("f-valuation-dated_on", &yesterday).await;
    browser
        .submit("form:has(input[name=requirement][value=valuation]) button[type=submit]")
        .await;
    browser.set("f-selection-procedure", "auction").await;
    browser.set("f-selection-dated_on", &yesterday).await;
    browser.fill("#f-selection-bidders", "3").await;
    browser.fill("#f-selection-winner", "SIA Velo Piemērs").await;
    browser.fill("#f-selection-amount", "900").await;
    browser
        .submit("form:has(input[name=requirement][value=selection]) button[type=submit]")
        .await;
    let decision = store
        .workspace_decisions(ws, true, 100)
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.decision.text.starts_with("Iznomāt zemes gabalu"))
        .unwrap()
        .decision
        .id;
    let chair = store
        .people(ws)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name.starts_with("Domes priekšsēdētājs"))
        .unwrap()
        .id;
    browser.set("f-approval-body", "council").await;
    browser.fill("#f-approval-decision_number", "44/2026").await;
    // The offer was made and submitted today: its approval cannot come before.
    let today = store.today_in("Europe/Riga").unwrap().to_string();
    browser.set("f-approval-decided_on", &today).await;
    browser.set("f-approval-official_person_id", &chair.to_string()).await;
    browser
        .set("f-approval-meeting_decision_id", &decision.to_string())
        .await;
    browser.submit("form[action$='/approval'] button[type=submit]").await;
    let approval = browser.text("#approval + dl").await;
    assert!(approval.contains("44/2026") && approval.contains("13"), "{approval}");

    // The partner sees, on its own page of the instrument, what is still missing.
    browser
        .sign_in(PARTNER, &format!("/w/kekava/business/instruments/{}", offer.id))
        .await;
    let own = browser.text("main").await;
    assert!(own.contains(subject) && own.contains("44/2026"), "{own}");
    assert!(
        own.contains("Parakstīts rakstisks līgums"),
        "the agreement is still to come: {own}"
    );
    browser
        .sign_in(COORDINATOR, &format!("/w/kekava/cooperation/instruments/{}", offer.id))
        .await;

    // 3. The signed lease and the public-access obligation; then it becomes active.
    browser
        .fill("#f-written_agreement-reference", "Nomas līgums Nr. 21/2026")
        .await;
    browser.set("f-written_agreement-dated_on", &yesterday).await;
    browser
        .submit("form:has(input[name=requirement][value=written_agreement]) button[type=submit]")
        .await;
    browser.open_details("Pievienot pienākumu").await;
    browser
        .fill("#f-obligation-title", "Velo novietne publiski pieejama")
        .await;
    browser
        .fill("#f-obligation-access_hours", "katru dienu visu diennakti")
        .await;
    browser.set("f-obligation-starts_on", "2027-01-01").await;
    browser.fill("#f-obligation-inspect_every_months", "6").await;
    browser.submit("form[action$='/obligations'] button[type=submit]").await;
    browser.set("f-step-to", "active").await;
    browser.fill("#f-step-reason", "Līgums parakstīts").await;
    browser.set("f-step-took_effect_on", &today).await;
    browser.submit("form[action$='/steps'] button[type=submit]").await;
    assert_eq!(
        store.instrument(ws, offer.id).await.unwrap().unwrap().status,
        kopa_domain::cooperation::instrument::InstrumentStatus::Active
    );
    browser.open("/w/kekava/agreements").await;
    let register = browser.text("main").await;
    assert!(register.contains(subject), "{register}");
    assert!(register.contains("Velo novietne publiski pieejama"));
    assert!(register.contains("katru dienu visu diennakti"));

    // 4. The auditor downloads the pack as a PDF.
    browser.sign_in(AUDITOR, "/w/kekava/audit-packs").await;
    let link = browser
        .find(&format!("a[href='/w/kekava/audit-packs/{}/pack.pdf']", offer.id))
        .await;
    let href = link.attr("href").await.unwrap().unwrap();
    let (status, content_type, pdf) = browser.fetch(&href).await;
    assert_eq!((status, content_type.as_str()), (200, "application/pdf"));
    let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [subject, "44/2026", "Revīzijas pakete", "SIA Velo Piemērs"] {
        assert!(text.contains(expected), "{expected:?} not in the PDF: {text}");
    }
    // The auditor reads packs, not the coordinators' pages.
    let status = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1]; fetch('/w/kekava/cooperation').then(r => done(r.status));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(status, serde_json::json!(403));
    browser.client.clone().close().await.ok();
}

/// The plan's journey: a coordinator adds an action with its funding and a risk, the readiness
/// check flags an indicator without a baseline and the coordinator fixes it, submits the plan so
/// that the version turns read-only, and downloads it as PDF and Word in both languages.
#[tokio::test]
async fn a_coordinator_completes_the_plan_submits_it_and_downloads_it() {
    let Some(browser) = browser("a_coordinator_completes_the_plan_submits_it_and_downloads_it").await else {
        return;
    };
    let store = browser._db.store.clone();
    let ws = store.workspace_by_slug("kekava").await.unwrap().unwrap().id;
    let plan = store.plan_version(ws, 1).await.unwrap().unwrap().plan;
    let objective = plan
        .objectives
        .iter()
        .find(|o| o.code == "O1.1")
        .unwrap()
        .id
        .to_string();
    let v = "/w/kekava/plan/versions/1";

    // 1. An action with funding and a risk.
    browser.sign_in(COORDINATOR, "/w/kekava/plan").await;
    browser.submit(&format!("a[href='{v}/items/action/new']")).await;
    browser.fill("#f-item-code", "A5").await;
    browser
        .fill("#f-item-title_lv", "Velonovietnes pie Baložu skolas")
        .await;
    browser
        .fill("#f-item-title_en", "Bicycle stands at the Baloži school")
        .await;
    browser.set("f-item-objective", &objective).await;
    browser.set("f-item-starts_on", "2022-04-01").await;
    browser.set("f-item-ends_on", "2022-06-30").await;
    browser.fill("#f-item-cost", "4 000").await;
    browser.submit("main form button[type=submit]").await;
    let action = store
        .plan_version(ws, 1)
        .await
        .unwrap()
        .unwrap()
        .plan
        .actions
        .iter()
        .find(|a| a.code == "A5")
        .unwrap()
        .id;
    browser.set("f-funding-source", "private").await;
    browser.fill("#f-funding-amount", "4000").await;
    browser.set("f-funding-status", "secured").await;
    browser
        .submit("form[action$='/items/funding/new'] button[type=submit]")
        .await;
    let funding = browser.text("section[aria-labelledby=funding] table").await;
    assert!(
        funding.contains("4 000,00 €") && funding.contains("Piešķirts"),
        "{funding}"
    );
    browser.open("/w/kekava/plan").await;
    browser.submit(&format!("a[href='{v}/items/risk/new']")).await;
    browser
        .fill("#f-item-title_lv", "Skola nepiekrīt novietnes vietai")
        .await;
    browser.set("f-item-likelihood", "2").await;
    browser.set("f-item-impact", "3").await;
    browser
        .fill("#f-item-mitigation_lv", "Vietu izvēlas kopā ar skolu")
        .await;
    browser.set("f-item-action", &action.to_string()).await;
    browser.submit("main form button[type=submit]").await;
    let risks = browser.text("section[aria-labelledby=risks] table").await;
    assert!(risks.contains("Skola nepiekrīt") && risks.contains("A5"), "{risks}");
    let a5 = browser.text(&format!("#action-{action}")).await;
    assert!(a5.contains("4 000,00 €") && a5.contains("100 %"), "{a5}");

    // 2. The readiness check flags I4's missing baseline; the coordinator adds one.
    browser.open(&format!("{v}/readiness")).await;
    let gaps = browser.text("ul.readiness").await;
    assert!(
        gaps.contains("I4") && gaps.contains("Rādītājam nav bāzes vērtības"),
        "{gaps}"
    );
    let i4 = plan.indicators.iter().find(|i| i.code == "I4").unwrap().id;
    browser
        .submit(&format!("ul.readiness a[href$='#indicator-{i4}']"))
        .await;
    browser.submit(&format!("a[href='{v}/items/indicator/{i4}']")).await;
    browser.fill("#f-item-baseline_value", "0").await;
    browser.set("f-item-baseline_on", "2020-12-31").await;
    browser.submit("main form button[type=submit]").await;
    browser.open(&format!("{v}/readiness")).await;
    let gaps = browser.text("main").await;
    assert!(!gaps.contains("Rādītājam nav bāzes vērtības"), "{gaps}");

    // 3. Submitting, with the remaining gaps confirmed, freezes the version.
    browser.open("/w/kekava/plan").await;
    browser.click("#f-with-gaps").await;
    browser.submit("form.submit-plan button[type=submit]").await;
    let page = browser.text("main").await;
    assert!(page.contains("Šī versija ir iesniegta"), "{page}");
    assert!(
        browser
            .client
            .find(Locator::Css(&format!("a[href='{v}/items/action/new']")))
            .await
            .is_err(),
        "no way left to add an action"
    );
    browser.open(&format!("{v}/items/action/{action}")).await;
    assert!(
        browser.client.find(Locator::Css("#f-item-code")).await.is_err(),
        "the action's form is gone"
    );
    assert!(store.plan_version(ws, 1).await.unwrap().unwrap().info.is_submitted());

    // 4. The exports download in both languages.
    browser.open("/w/kekava/plan").await;
    for lang in ["lv", "en"] {
        for (format, content_type) in [
            ("pdf", "application/pdf"),
            (
                "docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
        ] {
            let href = format!("{v}/export/{lang}/{format}");
            browser.find(&format!("a[href='{href}'][download]")).await;
            let (status, received, bytes) = browser.fetch(&href).await;
            assert_eq!((status, received.as_str()), (200, content_type), "{href}");
            if format == "pdf" {
                let text = pdf_extract::extract_text_from_mem(&bytes).unwrap();
                let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
                assert!(text.contains("A5"), "{href} has the new action");
            } else {
                assert!(bytes.starts_with(b"PK"), "{href} is a zip package");
            }
        }
    }
    browser.client.clone().close().await.ok();
}

fn axe_source() -> Option<String> {
    let path = std::env::var_os("KOPA_TEST_AXE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../node_modules/axe-core/axe.min.js"));
    std::fs::read_to_string(&path).ok()
}

const RUN_AXE: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
  .then(result => done(result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`)))
  .catch(error => done(['axe failed: ' + error]));
"#;

async fn serious_violations(browser: &Browser, axe: &str) -> Vec<String> {
    browser.client.execute(axe, vec![]).await.expect("load axe");
    let result = browser.client.execute_async(RUN_AXE, vec![]).await.expect("run axe");
    serde_json::from_value(result).expect("a list of violations")
}

#[tokio::test]
async fn no_page_of_the_demo_has_serious_accessibility_violations_or_scrolls_sideways() {
    let Some(axe) = axe_source() else {
        kopa_store::testing::say_skipped("the accessibility test; run `npm ci` for axe-core, or set KOPA_TEST_AXE.");
        return;
    };
    let Some(browser) = browser("no_page_of_the_demo_has_serious_accessibility_violations_or_scrolls_sideways").await
    else {
        return;
    };
    let ws = browser._db.store.workspace_by_slug("kekava").await.unwrap().unwrap().id;
    let meetings = browser._db.store.meetings(ws, true).await.unwrap();
    let discussion = meetings
        .iter()
        .find(|m| !m.meeting.registration_open && m.meeting.kind.to_string() == "public_discussion")
        .unwrap()
        .meeting
        .id;
    let upcoming = meetings
        .iter()
        .find(|m| m.meeting.registration_open)
        .unwrap()
        .meeting
        .id;

    // An idea with a threaded comment, so its page shows everything it can.
    let store = &browser._db.store;
    let author = kopa_store::Author {
        user_id: None,
        name: "Anna".into(),
    };
    let input = kopa_domain::idea::IdeaInput {
        title: "Pāreja pie skolas".into(),
        body: "Droša pāreja pār Rīgas ielu.".into(),
        place: "56.8260, 24.2310".into(),
    };
    let actor = kopa_store::Actor::system(SystemActor::Setup);
    let idea = store
        .create_idea(&actor, ws, &author, &input.validate().unwrap())
        .await
        .unwrap()
        .id;
    let comment = kopa_domain::idea::CommentInput {
        body: "Kurā vietā?".into(),
        ..Default::default()
    };
    let first = store
        .comment_on_idea(&actor, ws, idea, &author, &comment.validate().unwrap())
        .await
        .unwrap();
    let reply = kopa_domain::idea::CommentInput {
        body: "Pie veikala.".into(),
        parent_id: first.id.to_string(),
    };
    store
        .comment_on_idea(&actor, ws, idea, &author, &reply.validate().unwrap())
        .await
        .unwrap();

    let types: Vec<String> = kopa_domain::initiative::BUILT_IN_TYPES
        .iter()
        .map(|t| (*t).to_owned())
        .collect();
    let initiative_input = kopa_domain::initiative::InitiativeInput {
        title: "Mobilitātes punkts".into(),
        cooperation_type: "mobility_point".into(),
        progress: "40".into(),
        ..Default::default()
    };
    let initiative = store
        .create_initiative(&actor, ws, &initiative_input.validate(&types).unwrap(), "Apspriests")
        .await
        .unwrap()
        .id;
    store
        .link_initiative(&actor, ws, initiative, kopa_domain::initiative::LinkKind::Idea, idea)
        .await
        .unwrap();
    // A photo, so that the gallery is checked too.
    let mut jpeg = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(40, 30, image::Rgb([30, 120, 60])))
        .write_to(&mut jpeg, image::ImageFormat::Jpeg)
        .unwrap();
    let photo = kopa_store::NewPhoto {
        content_type: "image/jpeg".into(),
        image: jpeg.get_ref().clone(),
        thumbnail: jpeg.into_inner(),
        width: 40,
        height: 30,
    };
    store
        .add_idea_photos(&actor, ws, idea, Some("Gājēju pāreja pie skolas"), &[photo])
        .await
        .unwrap();

    let instruments = store.instruments(ws).await.unwrap();
    let lease = instruments
        .iter()
        .find(|i| i.status == kopa_domain::cooperation::instrument::InstrumentStatus::Active)
        .unwrap();
    let blocked = instruments
        .iter()
        .find(|i| i.kind == kopa_domain::cooperation::instrument::InstrumentKind::Donation)
        .unwrap();
    // One of the instruments the demo's business account acts for.
    let partner_user = store.user_by_email(PARTNER).await.unwrap().unwrap();
    let own_partners = store.partners_of_account(ws, partner_user.id).await.unwrap();
    let own_instrument = instruments
        .iter()
        .find(|i| own_partners.iter().any(|p| p.id == i.partner_id))
        .expect("the business account's instrument");
    let own_instrument = format!("/w/kekava/business/instruments/{}", own_instrument.id);
    let plan = store.plan_version(ws, 1).await.unwrap().unwrap().plan;
    let plan_action = plan.actions[0].id;
    let plan_indicator = plan.indicators.iter().find(|i| i.code == "I3").unwrap().id;
    let anonymous = [
        "/".to_owned(),
        "/w/kekava/ideas".into(),
        format!("/w/kekava/ideas/{idea}"),
        "/w/kekava/initiatives".into(),
        format!("/w/kekava/initiatives/{initiative}"),
        "/w/kekava/map".into(),
        "/w/kekava/map?bbox=24.2,56.8,24.3,56.85&q=velo".into(),
        "/w/kekava/signup".into(),
        "/w/kekava".into(),
        "/w/kekava/meetings".into(),
        format!("/w/kekava/meetings/{discussion}"),
        format!("/w/kekava/meetings/{upcoming}"),
        "/w/kekava/group".into(),
        "/signin".into(),
        "/password/forgot".into(),
        "/no/such/page".into(),
        "/w/kekava/agreements".into(),
    ];
    let coordinator = [
        "/w/kekava".to_owned(),
        "/w/kekava/group".into(),
        "/w/kekava/stakeholders".into(),
        "/w/kekava/meetings/new".into(),
        format!("/w/kekava/meetings/{discussion}"),
        format!("/w/kekava/meetings/{upcoming}/edit"),
        "/w/kekava/accounts".into(),
        "/w/kekava/audit?verify=1".into(),
        "/w/kekava/ideas".into(),
        format!("/w/kekava/ideas/{idea}"),
        "/w/kekava/initiatives".into(),
        format!("/w/kekava/initiatives/{initiative}"),
        "/w/kekava/map?status=bogus".into(),
        "/w/milano/signup".into(),
        "/w/kekava/notifications".into(),
        "/w/kekava/cooperation".into(),
        "/w/kekava/cooperation/rules".into(),
        format!("/w/kekava/cooperation/partners/{}", lease.partner_id),
        format!("/w/kekava/cooperation/instruments/{}", lease.id),
        format!("/w/kekava/cooperation/instruments/{}", blocked.id),
        "/w/kekava/audit-packs".into(),
        format!("/w/kekava/audit-packs/{}", lease.id),
        "/w/kekava/plan".into(),
        "/w/kekava/plan/versions?from=1&to=1".into(),
        "/w/kekava/plan/versions/1/readiness".into(),
        "/w/kekava/plan/versions/1/translations".into(),
        "/w/kekava/plan/versions/1/items/action/new".into(),
        format!("/w/kekava/plan/versions/1/items/action/{plan_action}"),
        format!("/w/kekava/plan/versions/1/items/indicator/{plan_indicator}"),
        "/w/kekava/plan/versions/1/parts/assessment?criterion=risk".into(),
        "/account/tokens".into(),
        "/account".into(),
        "/w/kekava/outbox".into(),
        "/w/kekava/network".into(),
        format!("/w/kekava/initiatives/{initiative}/edit"),
        format!("/w/kekava/cooperation/partners/{}/edit", lease.partner_id),
    ];

    let mut problems = Vec::new();
    let mut checked = 0;
    for language in ["lv", "en"] {
        browser.open(&format!("/language/{language}?back=/")).await;
        for path in &anonymous {
            browser.open(path).await;
            problems.extend(
                serious_violations(&browser, &axe)
                    .await
                    .into_iter()
                    .chain(sideways_scrolling(&browser).await)
                    .map(|v| format!("{language} {path}: {v}")),
            );
            checked += 1;
        }
    }
    browser.sign_in(COORDINATOR, "/w/kekava").await;
    for path in &coordinator {
        browser.open(path).await;
        // Open every folded form, so its fields are checked too.
        browser
            .client
            .execute(
                "document.querySelectorAll('details').forEach(d => d.open = true);",
                vec![],
            )
            .await
            .unwrap();
        problems.extend(
            serious_violations(&browser, &axe)
                .await
                .into_iter()
                .chain(sideways_scrolling(&browser).await)
                .map(|v| format!("coordinator {path}: {v}")),
        );
        checked += 1;
    }
    // A refused form, with its error messages showing.
    browser.open("/w/kekava/meetings/new").await;
    browser.submit("form.stacked button[type=submit]").await;
    assert!(browser.client.source().await.unwrap().contains("error-summary"));
    problems.extend(
        serious_violations(&browser, &axe)
            .await
            .into_iter()
            .chain(sideways_scrolling(&browser).await)
            .map(|v| format!("refused form: {v}")),
    );
    checked += 1;
    // The third-party gate refusing the blocked donation, with what is missing.
    browser
        .open(&format!("/w/kekava/cooperation/instruments/{}", blocked.id))
        .await;
    browser.set("f-approval-body", "official").await;
    browser.fill("#f-approval-decision_number", "R-1").await;
    browser.set("f-approval-decided_on", "2021-06-01").await;
    let official = store.people(ws).await.unwrap()[0].id.to_string();
    browser.set("f-approval-official_person_id", &official).await;
    browser.submit("form[action$='/approval'] button[type=submit]").await;
    assert!(
        browser
            .text(".error-summary")
            .await
            .contains("not an uninvolved third party")
    );
    problems.extend(
        serious_violations(&browser, &axe)
            .await
            .into_iter()
            .chain(sideways_scrolling(&browser).await)
            .map(|v| format!("refused approval: {v}")),
    );
    checked += 1;
    // A refused plan form, and an item as a group member sees it, with its comments.
    browser.open("/w/kekava/plan/versions/1/items/risk/new").await;
    browser.submit("main form button[type=submit]").await;
    assert!(browser.client.source().await.unwrap().contains("error-summary"));
    problems.extend(
        serious_violations(&browser, &axe)
            .await
            .into_iter()
            .chain(sideways_scrolling(&browser).await)
            .map(|v| format!("refused plan form: {v}")),
    );
    checked += 1;
    browser
        .sign_in(MEMBER, &format!("/w/kekava/plan/versions/1/items/action/{plan_action}"))
        .await;
    problems.extend(
        serious_violations(&browser, &axe)
            .await
            .into_iter()
            .chain(sideways_scrolling(&browser).await)
            .map(|v| format!("member's plan item: {v}")),
    );
    checked += 1;
    // The business side, the auditor's list, and the admin's accounts and site pages.
    for (who, path) in [
        (PARTNER, "/w/kekava/business"),
        (PARTNER, own_instrument.as_str()),
        (PARTNER, "/w/kekava/agreements"),
        (RESIDENT, "/w/kekava/notifications"),
        ("eksperts@cities4csr.example", "/network/plans"),
        (AUDITOR, "/w/kekava/audit-packs"),
        (ADMIN, "/w/kekava/accounts"),
        (ADMIN, "/admin"),
    ] {
        browser.sign_in(who, path).await;
        problems.extend(
            serious_violations(&browser, &axe)
                .await
                .into_iter()
                .chain(sideways_scrolling(&browser).await)
                .map(|v| format!("{who} {path}: {v}")),
        );
        checked += 1;
    }

    assert_eq!(checked, 82);
    assert!(
        problems.is_empty(),
        "serious or critical accessibility violations, or sideways scrolling:\n{}",
        problems.join("\n")
    );
    browser.client.clone().close().await.ok();
}

/// Kopa set up from nothing, as the README's "run it for real" does: the first admin signs in,
/// invites a coordinator, who opens the link, makes an account and proposes an idea.
#[tokio::test]
async fn from_nothing_an_invited_coordinator_signs_in_and_proposes_an_idea() {
    let test = "from_nothing_an_invited_coordinator_signs_in_and_proposes_an_idea";
    let Some(browser) = browser_over(test, false).await else {
        return;
    };
    let mail = kopa_app::MailSettings {
        public_url: browser.base.clone(),
        smtp_url: None,
        from: "kopa@kopa.test".into(),
    };
    let app = kopa_app::App::new(browser._db.store.clone(), mail).expect("the app");
    app.set_up(&crate::harness::kekava_set_up()).await.expect("set up");

    browser.open("/signin?next=/w/kekava/accounts").await;
    browser.fill("#f-email", KEKAVA_SET_UP.admin).await;
    browser.fill("#f-password", KEKAVA_SET_UP.password).await;
    browser.submit("form[action='/signin'] button[type=submit]").await;
    browser.fill("#f-email", "koordinatore@kekava.lv").await;
    browser
        .find("#f-role option[value='coordinator']")
        .await
        .click()
        .await
        .unwrap();
    browser
        .submit("form[action='/w/kekava/accounts/invitations'] button[type=submit]")
        .await;
    let link = browser
        .find("#invitation-link")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(link.starts_with(&format!("{}/invitations/", browser.base)), "{link}");
    let outbox = browser._db.store.outbox(
        browser._db.store.workspace_by_slug("kekava").await.unwrap().unwrap().id,
        5,
    );
    assert!(
        outbox
            .await
            .unwrap()
            .iter()
            .any(|m| m.to_email == "koordinatore@kekava.lv" && m.body.contains(&link))
    );

    browser.submit("form[action='/signout'] button").await;
    browser.client.goto(&link).await.unwrap();
    browser.fill("#f-display_name", "Līga Koordinatore").await;
    browser.fill("#f-password", "koordinatores-parole").await;
    browser.submit("main form button[type=submit]").await;
    assert!(browser.text(".signed-in").await.contains("Līga Koordinatore"));
    assert!(browser.text(".signed-in").await.contains("Koordinators"));

    browser.open("/w/kekava/ideas").await;
    browser.fill("#f-idea-title", "Veloceliņš uz staciju").await;
    browser
        .fill("#f-idea-body", "Droši ar velosipēdu līdz vilcienam.")
        .await;
    browser.set("f-idea-place", "56.8260, 24.2310").await;
    browser
        .submit("form[action='/w/kekava/ideas'] button[type=submit]")
        .await;
    assert!(browser.text("h1").await.contains("Veloceliņš uz staciju"));
}

/// The widths the page open scrolls sideways at, on a desktop (1280 × 900) and a phone
/// (390 × 844), each as "at W px it is N px wide"; the window is left at the desktop's.
async fn sideways_scrolling(browser: &Browser) -> Vec<String> {
    let mut found = Vec::new();
    for (width, height) in [(390, 844), (1280, 900)] {
        browser.client.set_window_size(width, height).await.expect("resize");
        let measured = browser
            .client
            .execute(
                "const e = document.documentElement; return [e.scrollWidth, e.clientWidth];",
                vec![],
            )
            .await
            .unwrap();
        let [scroll, client] = [0, 1].map(|i| measured[i].as_u64().unwrap());
        if scroll > client {
            found.push(format!("at {width} px it is {scroll} px wide"));
        }
    }
    found
}

/// Checks that the page open does not scroll sideways at 1280 or 390 px, and gathers what axe
/// finds serious at each.
async fn fits_and_passes(browser: &Browser, axe: Option<&str>, page: &str, problems: &mut Vec<String>) {
    for width in [1280, 390] {
        browser.client.set_window_size(width, 900).await.expect("resize");
        let wide: bool = browser
            .client
            .execute(
                "return document.documentElement.scrollWidth > document.documentElement.clientWidth;",
                vec![],
            )
            .await
            .unwrap()
            .as_bool()
            .unwrap();
        assert!(!wide, "the {page} page scrolls sideways at {width} px");
        if let Some(axe) = axe {
            let found = serious_violations(browser, axe).await;
            problems.extend(found.into_iter().map(|v| format!("{page} {width}: {v}")));
        }
    }
    browser.client.set_window_size(1280, 900).await.expect("resize");
}

#[tokio::test]
async fn a_coordinator_goes_from_the_sample_network_to_a_partner_a_scenario_and_the_plans_indicator() {
    let test = "a_coordinator_goes_from_the_sample_network_to_a_partner_a_scenario_and_the_plans_indicator";
    let Some(browser) = browser(test).await else {
        return;
    };
    let axe = axe_source();
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../kopa-demo/sample/liechtenstein.osm.pbf");
    browser.sign_in(COORDINATOR, "/w/paraugs/network").await;
    assert!(browser.text("main").await.contains("Ielu tīkla vēl nav"));
    browser
        .find("#f-file")
        .await
        .send_keys(&sample.canonicalize().unwrap().to_string_lossy())
        .await
        .expect("choose the file");
    browser
        .submit("form[action='/w/paraugs/network/analyses'] button[type=submit]")
        .await;

    // The page follows the analysis until its score shows.
    let mut score = String::new();
    for _ in 0..1200 {
        if let Ok(found) = browser.client.find(Locator::Css("p.score strong")).await {
            score = found.text().await.unwrap_or_default();
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        score.parse::<f64>().is_ok_and(|s| (0.0..=100.0).contains(&s)),
        "score {score:?}"
    );
    assert!(browser.text("#stress-map figcaption").await.contains("4. līmenis"));
    let mut problems = Vec::new();
    fits_and_passes(&browser, axe.as_deref(), "network", &mut problems).await;

    // Why is this street this colour? The map says beside it, with the street's tags.
    if browser.interactive {
        let picked = browser.pick_street_on("#stress-map").await;
        assert!(picked.contains("Kāpēc šis līmenis"), "{picked}");
        assert!(picked.contains("highway"), "{picked}");
        fits_and_passes(&browser, axe.as_deref(), "network with a street picked", &mut problems).await;
    }

    // Why is the most stressful street red? Its page says, with its tags.
    browser.submit(".street-list li a").await;
    assert!(browser.text("main").await.contains("Kāpēc šis līmenis"));
    assert!(browser.text("main table").await.contains("highway"));
    fits_and_passes(&browser, axe.as_deref(), "street", &mut problems).await;

    // Where to act: every place, then the best, with the supermarket next to it invited.
    browser.client.back().await.expect("back to the network");
    browser.submit("#where-to-act p a").await;
    assert!(browser.text("h1").await.contains("Kur rīkoties"));
    fits_and_passes(&browser, axe.as_deref(), "where to act", &mut problems).await;
    browser.submit("table.places-to-act tbody tr th a").await;
    let neighbour = browser.text("#neighbours tbody th a").await;
    assert!(!neighbour.is_empty(), "the best place has a named property next to it");
    fits_and_passes(&browser, axe.as_deref(), "place to act", &mut problems).await;
    browser.submit("#neighbours form button[type=submit]").await;
    assert!(
        browser.text("h1").await.contains(&neighbour),
        "the draft initiative names its partner"
    );
    assert!(browser.text("main").await.contains(&neighbour));

    // What the crossing would change, evaluated on the network rebuilt from the kept extract.
    browser.client.back().await.expect("back to the place");
    browser.submit("a[href*='/scenario?place=']").await;
    let effect = browser.text("#effect").await;
    assert!(effect.contains("Novērtējums ar scenāriju"), "{effect}");
    fits_and_passes(&browser, axe.as_deref(), "scenario", &mut problems).await;

    // A change of one's own, made on the map: the street picked offers it, and choosing it
    // evaluates the scenario with it at once.
    if browser.interactive {
        let picked = browser.pick_street_on("#scenario-map").await;
        assert!(picked.contains("Izmēģināt pārmaiņu šeit"), "{picked}");
        browser
            .submit("#scenario-map .street-picked a[href*='/scenario?place=']")
            .await;
        assert!(browser.text("#places").await.contains("Pārmaiņas, kas izdarītas kartē"));
        assert!(browser.text("#effect").await.contains("Novērtējums ar scenāriju"));
        fits_and_passes(
            &browser,
            axe.as_deref(),
            "scenario with a change of one's own",
            &mut problems,
        )
        .await;
    }

    // Saved as the expected effect of the plan's action A1.
    browser.fill("#f-save-title", "Pāreja pie veikala").await;
    let a1 = browser
        .find("#f-save-for option[value^='action-']")
        .await
        .attr("value")
        .await
        .unwrap()
        .unwrap();
    browser.set("f-save-for", &a1).await;
    browser.submit("#save button[type=submit]").await;
    assert!(browser.text("h1").await.contains("Pāreja pie veikala"));
    assert!(browser.text("#expected-of").await.contains("A1"));
    fits_and_passes(&browser, axe.as_deref(), "saved scenario", &mut problems).await;

    // The plan: A1's expected effect, and the indicator with its baseline and expected value.
    browser.open("/w/paraugs/plan").await;
    assert!(
        browser
            .text("#actions ~ div table")
            .await
            .contains("Sagaidāmā ietekme: Pāreja pie veikala")
    );
    assert!(browser.text("#combined-scenario").await.contains("→"));
    let indicator = browser.text("tr[id^='indicator-']").await;
    assert!(
        !indicator.contains("nav bāzes vērtības") && !indicator.contains("nav mērķa vērtības"),
        "baseline and target come from the engine: {indicator}"
    );
    assert!(indicator.contains("No ielu tīkla analīzēm"), "{indicator}");
    fits_and_passes(&browser, axe.as_deref(), "plan", &mut problems).await;
    assert!(problems.is_empty(), "{problems:#?}");
}
