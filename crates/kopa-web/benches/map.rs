//! Server time of the map with 5,000 ideas: `cargo bench -p kopa-web --bench map`.
//!
//! The Ķekava demo on a SQLite file, plus 5,000 ideas spread over the municipality. Measures
//! the map page (SVG, clustering, the list's first page), its GeoJSON data, and as the yardstick
//! the workspace's front page, each as one request through the whole app. The items are kept
//! until the workspace changes; `map_page_after_a_change` measures the first one after.

mod support;

use kopa_domain::audit::SystemActor;
use std::sync::OnceLock;

use kopa_domain::idea::{NewIdea, Place};
use kopa_store::{Actor, Author};
use support::Served;

const IDEAS: usize = 5_000;

fn main() {
    divan::main();
}

fn bench() -> &'static Served {
    static BENCH: OnceLock<Served> = OnceLock::new();
    BENCH.get_or_init(|| {
        support::serve(|db| async move {
            let ws = db.store.workspace_by_slug(kopa_demo::KEKAVA).await.unwrap().unwrap().id;
            let author = Author {
                user_id: None,
                name: "Bench".into(),
            };
            // A fixed spread over Ķekava's middle, so every run draws the same map.
            let mut seed: u64 = 42;
            let mut next = || {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                (seed >> 11) as f64 / (1u64 << 53) as f64
            };
            let mut i = 0;
            while i < IDEAS {
                let place = Place::Point([24.10 + next() * 0.35, 56.72 + next() * 0.14]);
                let new = NewIdea {
                    title: format!("Ideja {i}: velonovietne"),
                    body: "Vieta velosipēdiem pie veikala.".into(),
                    place: Some(place),
                    is_example: true,
                    proposed_at: None,
                };
                // Points drawn in the box but outside the outline are refused: draw again.
                if db
                    .store
                    .create_idea(&Actor::system(SystemActor::Setup), ws, &author, &new)
                    .await
                    .is_ok()
                {
                    i += 1;
                }
            }
            let count = db.store.ideas(ws, false).await.unwrap().len();
            eprintln!("{count} open ideas in the workspace");
            db
        })
    })
}

fn get(path: &str) -> usize {
    bench().get(path)
}

#[divan::bench(sample_count = 30)]
fn front_page() -> usize {
    get("/w/kekava")
}

#[divan::bench(sample_count = 30)]
fn map_page() -> usize {
    get("/w/kekava/map")
}

#[divan::bench(sample_count = 30)]
fn map_page_searched() -> usize {
    get("/w/kekava/map?q=velonovietne&show=ideas")
}

#[divan::bench(sample_count = 30)]
fn map_data() -> usize {
    get("/w/kekava/map/features.geojson")
}

/// The first request after a change, which reads every idea again (the change itself, one
/// support given or withdrawn, is part of the time).
#[divan::bench(sample_count = 30)]
fn map_page_after_a_change() -> usize {
    let bench = bench();
    bench.runtime.block_on(async {
        let store = &bench.db.store;
        let ws = store.workspace_by_slug("kekava").await.unwrap().unwrap().id;
        let idea = store.ideas(ws, false).await.unwrap()[0].id;
        let user = store.user_by_email("biedrs@kekava.example").await.unwrap().unwrap().id;
        if !store
            .support_idea(&Actor::system(SystemActor::Setup), ws, idea, user)
            .await
            .unwrap()
        {
            store
                .withdraw_support(&Actor::system(SystemActor::Setup), ws, idea, user)
                .await
                .unwrap();
        }
    });
    get("/w/kekava/map")
}
