//! Pages stay flat as data grows: `cargo bench -p kopa-web --bench scale`.
//!
//! Times every page and API list, one request at a time through the whole app on a SQLite
//! file: on the Ķekava demo, on the demo grown by a tenth of some years of use, and on the demo
//! grown by all of it ([`kopa_demo::Growth::YEARS`]). Prints the median of each, the ratio of
//! the grown to the demo and to the tenth, and fails when a page takes 20 ms or more on the
//! grown data, or more than twice its demo time. A list the demo holds less than a page of
//! shows more rows once grown; from the tenth on, each list shows a full page, so the second
//! ratio is how the page grows with the data alone.
//! `KOPA_SCALE_DIVIDE=10` grows a tenth as much, for a quick look.

mod support;

use std::time::{Duration, Instant};

use kopa_demo::Growth;
use support::Served;

/// Samples per page; the median is reported.
const SAMPLES: usize = 25;
/// The slowest a page may be on the grown data.
const CEILING: Duration = Duration::from_millis(20);
/// How much slower than on the demo it may be.
const MOST_RATIO: f64 = 2.0;

struct Page {
    label: &'static str,
    path: String,
    /// Signed in as the coordinator, who sees the most; otherwise a visitor.
    coordinator: bool,
}

fn pages(served: &Served) -> Vec<Page> {
    let (instrument, partner, idea, pack) = served.runtime.block_on(async {
        let store = &served.db.store;
        let ws = store.workspace_by_slug(kopa_demo::KEKAVA).await.unwrap().unwrap().id;
        let instrument = store.instruments(ws).await.unwrap()[0].clone();
        let idea = store.ideas_page(ws, false, 1, 0).await.unwrap()[0].id;
        (instrument.id, instrument.partner_id, idea, instrument.id)
    });
    let w = |path: &str| format!("/w/kekava{path}");
    let network = "/w/paraugs/network/analyses/1";
    let api = |path: &str| format!("/api/v1/workspaces/kekava{path}");
    let mut list = vec![
        ("home (visitor)", w(""), false),
        ("ideas (visitor)", w("/ideas"), false),
        ("map (visitor)", w("/map"), false),
        ("agreements (visitor)", w("/agreements"), false),
        ("home", w(""), true),
        ("group", w("/group"), true),
        ("stakeholders", w("/stakeholders"), true),
        ("meetings", w("/meetings"), true),
        ("calendar feed", w("/calendar.ics"), true),
        ("ideas", w("/ideas"), true),
        ("an idea", w(&format!("/ideas/{idea}")), true),
        ("map", w("/map"), true),
        ("map data", w("/map/features.geojson"), true),
        ("initiatives", w("/initiatives"), true),
        ("cooperation", w("/cooperation"), true),
        (
            "an instrument",
            w(&format!("/cooperation/instruments/{instrument}")),
            true,
        ),
        ("a partner", w(&format!("/cooperation/partners/{partner}")), true),
        ("agreements", w("/agreements"), true),
        ("audit packs", w("/audit-packs"), true),
        ("an audit pack", w(&format!("/audit-packs/{pack}")), true),
        ("plan", w("/plan"), true),
        ("plan versions", w("/plan/versions"), true),
        ("notifications", w("/notifications"), true),
        ("audit log", w("/audit"), true),
        ("accounts", w("/accounts"), true),
        ("street network (visitor)", "/w/paraugs/network".to_owned(), false),
        ("where to act", format!("{network}/act"), true),
        ("a place to act", format!("{network}/act/1"), true),
        (
            "a scenario of three places",
            format!("{network}/scenario?place=1&place=2&place=3"),
            true,
        ),
        ("API ideas", api("/ideas"), true),
        ("API meetings", api("/meetings"), true),
        ("API initiatives", api("/initiatives"), true),
        ("API organisations", api("/organisations"), true),
        ("API people", api("/people"), true),
        ("API audit", api("/audit?limit=50"), true),
        ("API agreements (visitor)", api("/agreements"), false),
        ("API partners", api("/partners"), true),
        ("API instruments", api("/instruments"), true),
        ("API an instrument", api(&format!("/instruments/{instrument}")), true),
        ("API plan", api("/plan"), true),
        ("API plan versions", api("/plan/versions"), true),
        ("API notifications", api("/notifications"), true),
    ];
    list.drain(..)
        .map(|(label, path, coordinator)| Page {
            label,
            path,
            coordinator,
        })
        .collect()
}

/// The median time of each page, after one request to warm it.
fn time(served: &mut Served, pages: &[Page], coordinator: &str) -> Vec<Duration> {
    pages
        .iter()
        .map(|page| {
            served.cookies = if page.coordinator {
                coordinator.to_string()
            } else {
                String::new()
            };
            served.get(&page.path);
            let mut samples: Vec<Duration> = (0..SAMPLES)
                .map(|_| {
                    let start = Instant::now();
                    served.get(&page.path);
                    start.elapsed()
                })
                .collect();
            samples.sort();
            samples[SAMPLES / 2]
        })
        .collect()
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn grow(served: &Served, by: &Growth) {
    let started = Instant::now();
    served
        .runtime
        .block_on(kopa_demo::grow(&served.db.store, by))
        .expect("growing the demo");
    eprintln!("grew the demo by {by:?} in {:.0} s", started.elapsed().as_secs_f64());
}

/// The sample region's street network analysed, as `kopa demo` does, for the network's pages.
fn analyse_the_sample(served: &Served) {
    let mail = kopa_app::MailSettings {
        public_url: "http://kopa.bench".into(),
        smtp_url: None,
        from: "kopa@kopa.test".into(),
    };
    let app = kopa_app::App::new(served.db.store.clone(), mail).expect("Fluent files");
    let started = Instant::now();
    served
        .runtime
        .block_on(kopa_demo::sample::analyse(&app))
        .expect("the sample analyses");
    eprintln!("analysed the sample region in {:.1} s", started.elapsed().as_secs_f64());
}

fn main() {
    let divide = std::env::var("KOPA_SCALE_DIVIDE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let growth = Growth::YEARS.divided_by(divide);
    let mut served = support::serve(|db| async move { db });
    let coordinator = served.runtime.block_on(async {
        let store = &served.db.store;
        let user = store
            .user_by_email("koordinators@kekava.example")
            .await
            .unwrap()
            .unwrap();
        format!("kopa_session={}", store.create_session(user.id).await.unwrap())
    });
    analyse_the_sample(&served);
    let pages = pages(&served);
    let demo = time(&mut served, &pages, &coordinator);

    let tenth = growth.divided_by(10);
    let rest = Growth {
        ideas: growth.ideas - tenth.ideas,
        comments: growth.comments - tenth.comments,
        supports: growth.supports - tenth.supports,
        meetings: growth.meetings - tenth.meetings,
        initiatives: growth.initiatives - tenth.initiatives,
        instruments: growth.instruments - tenth.instruments,
    };
    grow(&served, &tenth);
    let at_a_tenth = time(&mut served, &pages, &coordinator);
    grow(&served, &rest);
    let grown = time(&mut served, &pages, &coordinator);

    println!("| page | path | demo | a tenth grown | grown | grown ÷ demo | grown ÷ a tenth |");
    println!("|---|---|---|---|---|---|---|");
    let mut failed = Vec::new();
    for (((page, demo), tenth), grown) in pages.iter().zip(&demo).zip(&at_a_tenth).zip(&grown) {
        let ratio = |to: &Duration| grown.as_secs_f64() / to.as_secs_f64().max(1e-6);
        let fits = *grown < CEILING && ratio(demo) <= MOST_RATIO;
        if !fits {
            failed.push(page.label);
        }
        println!(
            "| {}{} | `{}` | {} | {} | {} | {:.2}× | {:.2}× |",
            page.label,
            if fits { "" } else { " ✗" },
            page.path,
            ms(*demo),
            ms(*tenth),
            ms(*grown),
            ratio(demo),
            ratio(tenth)
        );
    }
    if !failed.is_empty() {
        eprintln!(
            "over {} on the grown data or over {MOST_RATIO}× the demo: {}",
            ms(CEILING),
            failed.join(", ")
        );
        std::process::exit(1);
    }
}
