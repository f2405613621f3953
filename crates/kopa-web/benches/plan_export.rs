//! Exporting the Integrated Action Plan: `cargo bench -p kopa-web --bench plan_export`.
//!
//! The Ķekava demo on a SQLite file. Version 1 is the demo's draft plan; it is submitted and
//! version 2 grows to 200 actions, each with two funding lines, plus 60 risks, 20 indicators
//! and 30 milestones. Each export is one signed-in request through the whole app, as a
//! coordinator makes it; the workspace's front page is the yardstick.

mod support;

use kopa_domain::audit::SystemActor;
use std::collections::HashMap;
use std::sync::OnceLock;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use kopa_domain::plan::edit::{ItemKind, PlanEdit};
use kopa_store::Actor;
use kopa_store::testing::TestDatabase;
use support::Served;
use tower::ServiceExt;

const ACTIONS: usize = 200;

fn main() {
    divan::main();
}

fn form(pairs: &[(&str, String)]) -> HashMap<String, String> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect()
}

/// Grows the submitted demo plan into version 2 with [`ACTIONS`] actions.
async fn large_plan(db: &TestDatabase, ws: i64) {
    let store = &db.store;
    let system = Actor::system(SystemActor::Setup);
    store.submit_plan(&system, ws, 1, None).await.expect("submitted");
    store.open_plan_draft(&system, ws).await.expect("version 2");
    let plan = store.plan_version(ws, 2).await.unwrap().unwrap().plan;
    let objective = plan
        .objectives
        .iter()
        .find(|o| o.code == "O1.1")
        .unwrap()
        .id
        .to_string();
    let lead = store.organisations(ws).await.unwrap()[0].id.to_string();
    let edit = |kind, pairs: &[(&str, String)]| PlanEdit::save(kind, None, &form(pairs)).expect("a form");
    for i in plan.actions.len()..ACTIONS {
        let year = 2021 + (i % 5) as i32;
        let action = edit(
            ItemKind::Action,
            &[
                ("code", format!("A{}", i + 1)),
                (
                    "title_lv",
                    format!("Rīcība {} – veloceļa posms pie Ķekavas skolas", i + 1),
                ),
                (
                    "title_en",
                    format!("Action {} – a cycle path section by the Ķekava school", i + 1),
                ),
                ("objective", objective.clone()),
                ("lead", lead.clone()),
                ("partners", "SIA Velo Piemērs".into()),
                ("location_lv", "Baloži".into()),
                ("location_en", "Baloži".into()),
                ("starts_on", format!("{year}-03-01")),
                ("ends_on", format!("{year}-11-30")),
                ("cost", format!("{}", 10_000 + i * 250)),
                ("outputs_lv", "Izbūvēts posms".into()),
                ("outputs_en", "A built section".into()),
            ],
        );
        let edited = store.edit_plan(&system, ws, 2, &action).await.expect("an action");
        let id = edited.item.rsplit(':').next().unwrap().to_owned();
        for (source, status) in [("municipal", "secured"), ("eu_shared", "applied")] {
            let funding = edit(
                ItemKind::Funding,
                &[
                    ("action", id.clone()),
                    ("source", source.into()),
                    ("amount", format!("{}", 5_000 + i * 100)),
                    ("status", status.into()),
                ],
            );
            store.edit_plan(&system, ws, 2, &funding).await.expect("funding");
        }
        if i % 10 < 3 {
            let risk = edit(
                ItemKind::Risk,
                &[
                    ("title_lv", format!("Būvdarbi kavējas ({})", i + 1)),
                    ("likelihood", format!("{}", 1 + i % 5)),
                    ("impact", format!("{}", 1 + (i / 5) % 5)),
                    ("mitigation_lv", "Rezerves laiks grafikā".into()),
                    ("action", id.clone()),
                ],
            );
            store.edit_plan(&system, ws, 2, &risk).await.expect("a risk");
        }
        if i % 10 == 5 {
            let indicator = edit(
                ItemKind::Indicator,
                &[
                    ("code", format!("IX{}", i + 1)),
                    ("kind", "output".into()),
                    ("title_lv", format!("Izbūvēti kilometri ({})", i + 1)),
                    ("unit_lv", "km".into()),
                    ("baseline_value", "0".into()),
                    ("baseline_on", "2021-01-01".into()),
                    ("target_value", format!("{}", 5 + i % 7)),
                    ("target_on", "2025-12-31".into()),
                ],
            );
            store.edit_plan(&system, ws, 2, &indicator).await.expect("an indicator");
        }
        if i % 7 == 0 {
            let milestone = edit(
                ItemKind::Milestone,
                &[
                    ("title_lv", format!("Posms {} nodots", i + 1)),
                    ("due_on", format!("{year}-12-15")),
                ],
            );
            store.edit_plan(&system, ws, 2, &milestone).await.expect("a milestone");
        }
    }
    let plan = store.plan_version(ws, 2).await.unwrap().unwrap().plan;
    eprintln!(
        "version 2: {} actions, {} risks, {} indicators, {} milestones",
        plan.actions.len(),
        plan.risks.len(),
        plan.indicators.len(),
        plan.milestones.len()
    );
}

/// Signs the coordinator in and returns the cookies to send.
async fn sign_in(router: &Router) -> String {
    let page = router
        .clone()
        .oneshot(Request::get("/signin").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let csrf_cookie = page.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let html = String::from_utf8(page.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).unwrap() + marker.len();
    let token = &html[start..start + 64];
    let body = format!(
        "email=koordinators%40kekava.example&password={}&csrf={token}",
        kopa_demo::DEMO_PASSWORD
    );
    let signed_in = router
        .clone()
        .oneshot(
            Request::post("/signin")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, &csrf_cookie)
                .body(Body::from(body))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER, "signed in");
    signed_in
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join("; ")
}

fn bench() -> &'static Served {
    static BENCH: OnceLock<Served> = OnceLock::new();
    BENCH.get_or_init(|| {
        let mut served = support::serve(|db| async move {
            let ws = db.store.workspace_by_slug(kopa_demo::KEKAVA).await.unwrap().unwrap().id;
            large_plan(&db, ws).await;
            db
        });
        served.cookies = served.runtime.block_on(sign_in(&served.router));
        served
    })
}

fn get(path: &str) -> usize {
    bench().get(path)
}

#[divan::bench(sample_count = 20)]
fn front_page() -> usize {
    get("/w/kekava")
}

#[divan::bench(sample_count = 10)]
fn demo_plan_pdf() -> usize {
    get("/w/kekava/plan/versions/1/export/lv/pdf")
}

#[divan::bench(sample_count = 10)]
fn demo_plan_docx() -> usize {
    get("/w/kekava/plan/versions/1/export/lv/docx")
}

#[divan::bench(sample_count = 10)]
fn large_plan_page() -> usize {
    get("/w/kekava/plan/versions/2")
}

#[divan::bench(sample_count = 5)]
fn large_plan_pdf() -> usize {
    get("/w/kekava/plan/versions/2/export/en/pdf")
}

#[divan::bench(sample_count = 5)]
fn large_plan_docx() -> usize {
    get("/w/kekava/plan/versions/2/export/en/docx")
}

#[divan::bench(sample_count = 5)]
fn large_plan_html() -> usize {
    get("/w/kekava/plan/versions/2/export/en/html")
}
