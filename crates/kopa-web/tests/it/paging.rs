//! Long lists come in pages: the ideas page with links and a count, the API with a cursor.

use axum::http::StatusCode;
use kopa_domain::idea::IdeaInput;
use kopa_store::{Actor, Author};

use crate::harness::{TestApp, every_app};

async fn add_ideas(app: &TestApp, n: usize) {
    let ws = app.kekava().await;
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
            .create_idea(&Actor::system(), ws, &author, &idea.validate().unwrap())
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn the_ideas_page_shows_fifty_at_a_time_with_links_and_a_count() {
    for mut app in every_app().await {
        add_ideas(&app, 60).await;
        let ws = app.kekava().await;
        let total = app.db.store.ideas(ws, false).await.unwrap().len();
        assert!(total > 60);
        let first = app.get("/w/kekava/ideas").await;
        assert_eq!(first.status, StatusCode::OK);
        assert_eq!(
            first.body.matches("<li>\n    <a href=\"/w/kekava/ideas/").count(),
            50,
            "{}",
            app.backend()
        );
        assert!(
            first.body.contains(&format!("Idejas 1–50 no {total}")),
            "{}",
            first.body
        );
        assert!(first.body.contains("href=\"/w/kekava/ideas?page=2\" rel=\"next\""));
        assert!(!first.body.contains("rel=\"prev\""));
        let second = app.get("/w/kekava/ideas?page=2").await;
        assert_eq!(
            second.body.matches("<li>\n    <a href=\"/w/kekava/ideas/").count(),
            total - 50
        );
        assert!(second.body.contains(&format!("Idejas 51–{total} no {total}")));
        assert!(second.body.contains("rel=\"prev\"") && !second.body.contains("rel=\"next\""));
        // A page past the end is empty, not an error, and nonsense is the first page.
        assert_eq!(app.get("/w/kekava/ideas?page=99").await.status, StatusCode::OK);
        assert!(app.get("/w/kekava/ideas?page=x").await.body.contains("Idejas 1–50"));
    }
}

#[tokio::test]
async fn the_api_lists_ideas_by_a_cursor_that_reaches_every_one_once() {
    for mut app in every_app().await {
        add_ideas(&app, 12).await;
        let ws = app.kekava().await;
        let open = app.db.store.ideas(ws, false).await.unwrap().len();
        let mut next = Some("/api/v1/workspaces/kekava/ideas?limit=5".to_owned());
        let mut seen = Vec::new();
        let mut pages = 0;
        while let Some(path) = next.take() {
            let page = app.get(&path).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            let ideas = page.json();
            let ideas = ideas.as_array().unwrap();
            assert!(ideas.len() <= 5);
            seen.extend(ideas.iter().map(|idea| idea["id"].as_i64().unwrap()));
            next = page.headers.get("link").map(|link| {
                let link = link.to_str().unwrap();
                assert!(link.ends_with("; rel=\"next\""), "{link}");
                link[1..link.find('>').unwrap()].to_owned()
            });
            pages += 1;
            assert!(pages < 20, "the cursor does not end");
        }
        let mut unique = seen.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!((seen.len(), unique.len()), (open, open), "{}", app.backend());
        assert!(seen.windows(2).all(|w| w[0] > w[1]), "newest added first");
        assert_eq!(pages, open.div_ceil(5) + usize::from(open % 5 == 0));
    }
}
