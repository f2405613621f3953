//! Long lists come in pages: the ideas page with links and a count, the API with a cursor.

use axum::http::StatusCode;
use kopa_domain::audit::SystemActor;
use kopa_domain::idea::IdeaInput;
use kopa_domain::meeting::MeetingInput;
use kopa_store::{Actor, Author};

use crate::harness::{TestApp, every_app, every_workspace};

async fn add_ideas(app: &TestApp, n: usize) {
    let ws = app.workspace_id().await;
    let author = Author {
        user_id: None,
        name: "Iedzīvotājs (piemērs)".into(),
    };
    for i in 0..n {
        let idea = IdeaInput {
            title: format!("Papildu ideja {i} (piemērs)"),
            body: "Teksts.".into(),
            place: String::new(),
        };
        app.db
            .store
            .create_idea(
                &Actor::system(SystemActor::Setup),
                ws,
                &author,
                &idea.validate().unwrap(),
            )
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn the_ideas_page_shows_fifty_at_a_time_with_links_and_a_count() {
    for mut app in every_workspace(&[]).await {
        add_ideas(&app, 60).await;
        let ws = app.workspace_id().await;
        let total = app.db.store.ideas(ws, false).await.unwrap().len();
        assert_eq!(total, 60, "only the ideas the test adds");
        let first = app.get("/w/town/ideas").await;
        assert_eq!(first.status, StatusCode::OK);
        assert_eq!(
            first.body.matches("<li>\n    <a href=\"/w/town/ideas/").count(),
            50,
            "{}",
            app.backend()
        );
        assert!(
            first.body.contains(&format!("Idejas 1–50 no {total}")),
            "{}",
            first.body
        );
        assert!(first.body.contains("href=\"/w/town/ideas?page=2\" rel=\"next\""));
        assert!(!first.body.contains("rel=\"prev\""));
        let second = app.get("/w/town/ideas?page=2").await;
        assert_eq!(
            second.body.matches("<li>\n    <a href=\"/w/town/ideas/").count(),
            total - 50
        );
        assert!(second.body.contains(&format!("Idejas 51–{total} no {total}")));
        assert!(second.body.contains("rel=\"prev\"") && !second.body.contains("rel=\"next\""));
        // A page past the end is empty, not an error, and nonsense is the first page.
        assert_eq!(app.get("/w/town/ideas?page=99").await.status, StatusCode::OK);
        assert!(app.get("/w/town/ideas?page=x").await.body.contains("Idejas 1–50"));
    }
}

/// Every id a listing's cursor reaches from `first`, and how many pages it took.
async fn walk(app: &mut TestApp, first: &str) -> (Vec<i64>, usize) {
    let mut next = Some(first.to_owned());
    let mut seen = Vec::new();
    let mut pages = 0;
    while let Some(path) = next.take() {
        let page = app.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let rows = page.json();
        let rows = rows.as_array().unwrap();
        assert!(rows.len() <= 5);
        seen.extend(rows.iter().map(|row| row["id"].as_i64().unwrap()));
        next = page.headers.get("link").map(|link| {
            let link = link.to_str().unwrap();
            assert!(link.ends_with("; rel=\"next\""), "{link}");
            link[1..link.find('>').unwrap()].to_owned()
        });
        pages += 1;
        assert!(pages < 40, "the cursor does not end");
    }
    (seen, pages)
}

fn each_once(seen: &[i64], expected: usize, backend: &str) {
    let mut unique = seen.to_vec();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!((seen.len(), unique.len()), (expected, expected), "{backend}");
    assert!(seen.windows(2).all(|w| w[0] > w[1]), "last added first");
}

#[tokio::test]
async fn the_api_lists_ideas_by_a_cursor_that_reaches_every_one_once() {
    for mut app in every_workspace(&[]).await {
        add_ideas(&app, 12).await;
        let ws = app.workspace_id().await;
        let open = app.db.store.ideas(ws, false).await.unwrap().len();
        let (seen, pages) = walk(&mut app, "/api/v1/workspaces/town/ideas?limit=5").await;
        each_once(&seen, open, app.backend());
        assert_eq!(pages, open.div_ceil(5) + usize::from(open % 5 == 0));
    }
}

async fn add_meetings(app: &TestApp, n: usize) {
    let ws = app.workspace_id().await;
    for i in 0..n {
        let meeting = MeetingInput {
            kind: "group".into(),
            title: format!("Darba grupa {i} (piemērs)"),
            starts_at: format!("2021-03-{:02}T10:00", i % 28 + 1),
            ends_at: format!("2021-03-{:02}T12:00", i % 28 + 1),
            mode: "in_person".into(),
            place: "Ķekava".into(),
            published: Some("on".into()),
            ..Default::default()
        };
        app.db
            .store
            .create_meeting(&Actor::system(SystemActor::Setup), ws, &meeting.validate().unwrap())
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn past_meetings_come_fifty_at_a_time_and_the_api_by_a_cursor() {
    for mut app in every_workspace(&[]).await {
        add_meetings(&app, 60).await;
        let ws = app.workspace_id().await;
        let published = app.db.store.meetings(ws, false).await.unwrap();
        let now = app.db.store.now().naive_utc();
        let ended = published.iter().filter(|m| m.meeting.ends_at < now).count();
        let first = app.get("/w/town/meetings").await;
        assert_eq!(first.status, StatusCode::OK);
        let past = first.body.split("id=\"meetings-past\"").nth(1).unwrap().to_owned();
        assert_eq!(
            past.matches("<tr>\n    <td><a href=\"/w/town/meetings/").count(),
            50,
            "{}",
            app.backend()
        );
        assert!(past.contains(&format!("Sanāksmes 1–50 no {ended}")), "{past}");
        assert!(first.body.contains("href=\"/w/town/meetings?page=2\" rel=\"next\""));
        let second = app.get("/w/town/meetings?page=2").await;
        assert!(second.body.contains(&format!("Sanāksmes 51–{ended} no {ended}")));
        assert!(second.body.contains("rel=\"prev\""));

        let (seen, _) = walk(&mut app, "/api/v1/workspaces/town/meetings?limit=5").await;
        each_once(&seen, published.len(), app.backend());
    }
}

#[tokio::test]
async fn the_register_and_the_cooperation_overview_come_in_pages_with_totals_over_all() {
    let growth = kopa_demo::Growth {
        ideas: 0,
        comments: 0,
        supports: 0,
        meetings: 0,
        initiatives: 2,
        instruments: 80,
    };
    for mut app in every_app().await {
        kopa_demo::grow(&app.db.store, &growth).await.unwrap();
        let ws = app.workspace_id().await;
        let today = app.db.store.today_in("Europe/Riga").unwrap();
        let files = app.db.store.instrument_files(ws, today).await.unwrap();
        let accepted = files
            .iter()
            .filter(|f| {
                use kopa_domain::cooperation::instrument::InstrumentStatus::*;
                matches!(f.instrument.status, Approved | Active | Completed)
            })
            .count();
        assert!(accepted > 50, "{accepted}");

        let first = app.get("/w/kekava/agreements").await;
        assert_eq!(first.status, StatusCode::OK);
        assert_eq!(
            first.body.matches("<article class=\"agreement\"").count(),
            50,
            "{}",
            app.backend()
        );
        assert!(
            first.body.contains(&format!("Līgumi 1–50 no {accepted}")),
            "{}",
            app.backend()
        );
        assert!(
            first.body.contains(&format!("{accepted} ")),
            "the count is of every agreement"
        );
        let second = app.get("/w/kekava/agreements?page=2").await;
        assert_eq!(
            second.body.matches("<article class=\"agreement\"").count(),
            accepted - 50
        );
        assert!(second.body.contains("rel=\"prev\""));

        app.sign_in_as(kopa_domain::Role::Coordinator).await;
        let overview = app.get("/w/kekava/cooperation").await;
        assert!(
            overview.body.contains(&format!("Instrumenti 1–50 no {}", files.len())),
            "{}",
            app.backend()
        );
        assert!(
            overview
                .body
                .contains("href=\"/w/kekava/cooperation?page=2\" rel=\"next\"")
        );
        // The demo's overdue publication is flagged whichever page lists it.
        let last = files.len().div_ceil(50);
        let later = app.get(&format!("/w/kekava/cooperation?page={last}")).await;
        let attention = |body: &str| {
            body.split("id=\"attention\"")
                .nth(1)
                .unwrap()
                .split("</section>")
                .next()
                .unwrap()
                .to_owned()
        };
        assert_eq!(attention(&overview.body), attention(&later.body));
        assert!(attention(&overview.body).contains("⚠"), "{}", app.backend());
    }
}

#[tokio::test]
async fn the_initiatives_page_shows_fifty_at_a_time_and_the_api_walks_them_by_a_cursor() {
    for mut app in every_workspace(&[]).await {
        let ws = app.workspace_id().await;
        let types: Vec<String> = kopa_domain::initiative::BUILT_IN_TYPES
            .iter()
            .map(|t| (*t).to_owned())
            .collect();
        for i in 0..60 {
            let input = kopa_domain::initiative::InitiativeInput {
                title: format!("Papildu iniciatīva {i} (piemērs)"),
                cooperation_type: "mobility_point".into(),
                ..Default::default()
            };
            let new = input.validate(&types).unwrap();
            app.db
                .store
                .create_initiative(&Actor::system(SystemActor::Setup), ws, &new, "Pārbaude")
                .await
                .unwrap();
        }
        let total = app.db.store.initiatives(ws).await.unwrap().len();
        assert_eq!(total, 60, "only the initiatives the test adds");
        let rows = |body: &str| body.matches("<td><a href=\"/w/town/initiatives/").count();
        let first = app.get("/w/town/initiatives").await;
        assert_eq!(first.status, StatusCode::OK);
        assert_eq!(rows(&first.body), 50, "{}", app.backend());
        assert!(
            first.body.contains(&format!("Iniciatīvas 1–50 no {total}")),
            "{}",
            first.body
        );
        assert!(first.body.contains("href=\"/w/town/initiatives?page=2\" rel=\"next\""));
        let second = app.get("/w/town/initiatives?page=2").await;
        assert_eq!(rows(&second.body), total - 50);
        assert!(second.body.contains(&format!("Iniciatīvas 51–{total} no {total}")));
        assert!(second.body.contains("rel=\"prev\"") && !second.body.contains("rel=\"next\""));

        let (seen, pages) = walk(&mut app, "/api/v1/workspaces/town/initiatives?limit=5").await;
        each_once(&seen, total, app.backend());
        assert_eq!(pages, total / 5 + 1, "the last full page links to an empty one");
    }
}
