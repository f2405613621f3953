//! The engine's stages on real extracts: `cargo bench -p kopa-mobility`.
//! Needs `../shared/data/osm/` beside the project; says so and measures nothing without it.

use std::path::PathBuf;
use std::sync::OnceLock;

use kopa_mobility::analysis::Analysis;
use kopa_mobility::connectivity::{BNA_BOUND_M, BoundedSearch, count_pairs};
use kopa_mobility::graph::StreetGraph;
use kopa_mobility::osm::OsmData;
use kopa_mobility::stress::Profile;

const EXTRACTS: &[&str] = &["liechtenstein.osm.pbf", "monaco.osm.pbf", "north-bayreuth.osm.gz"];

fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/osm")
        .join(name)
}

/// Each extract read once, shared by the stages after import.
fn loaded(name: &str) -> &'static OsmData {
    static CACHE: OnceLock<Vec<(String, OsmData)>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| {
        EXTRACTS
            .iter()
            .map(|n| ((*n).to_owned(), OsmData::load(&path(n)).expect("the extract loads")))
            .collect()
    });
    &cache.iter().find(|(n, _)| n == name).expect("a benchmarked extract").1
}

fn main() {
    if !path(EXTRACTS[0]).is_file() {
        eprintln!("SKIPPED: the engine benchmarks need ../shared/data/osm/ beside the project.");
        return;
    }
    divan::main();
}

#[divan::bench(args = EXTRACTS, sample_count = 10)]
fn import(name: &str) -> OsmData {
    OsmData::load(&path(name)).expect("the extract loads")
}

#[divan::bench(args = EXTRACTS, sample_count = 10)]
fn graph(bencher: divan::Bencher, name: &str) {
    let osm = loaded(name);
    bencher.bench(|| StreetGraph::build(osm));
}

#[divan::bench(args = EXTRACTS, sample_count = 10)]
fn stress_and_islands(bencher: divan::Bencher, name: &str) {
    let osm = loaded(name);
    let profile = Profile::latvia();
    bencher.bench(|| Analysis::run(osm, &profile));
}

/// BNA's two bounded searches from every vertex (all edges, then low-stress edges) with the
/// detour test, on every core.
#[divan::bench(args = EXTRACTS, sample_count = 3)]
fn all_origins_pair_search(bencher: divan::Bencher, name: &str) {
    let analysis = Analysis::run(loaded(name), &Profile::latvia());
    bencher.bench(|| {
        count_pairs(
            &analysis.graph.adjacency,
            &analysis.low_stress_adjacency,
            BNA_BOUND_M,
            1.25,
        )
    });
}

/// The floor: one bounded Dijkstra per vertex over the compact arrays, on one core.
#[divan::bench(args = EXTRACTS, sample_count = 3)]
fn lower_bound_one_search_per_vertex(bencher: divan::Bencher, name: &str) {
    let analysis = Analysis::run(loaded(name), &Profile::latvia());
    let adjacency = &analysis.graph.adjacency;
    bencher.bench(|| {
        let mut search = BoundedSearch::new(adjacency.vertex_count());
        (0..adjacency.vertex_count() as u32)
            .map(|origin| search.run(adjacency, origin, BNA_BOUND_M, |_| true).len())
            .sum::<usize>()
    });
}

/// The whole BNA score: both searches from every zone, the detour test, destination counts,
/// scores and the people on each segment, on every core.
#[divan::bench(args = EXTRACTS, sample_count = 5)]
fn connectivity_score(bencher: divan::Bencher, name: &str) {
    let osm = loaded(name);
    let profile = Profile::latvia();
    let analysis = Analysis::run(osm, &profile);
    let homes = kopa_mobility::population::homes(osm);
    let zones = kopa_mobility::population::zones(
        &kopa_mobility::population::weighted_homes(&homes),
        profile.population.estimate(&homes),
        profile.connectivity.zone_size_m,
    );
    let destinations = kopa_mobility::destinations::find(osm, &profile.destinations);
    bencher.bench(|| {
        kopa_mobility::score::connectivity(
            &analysis,
            &zones,
            &destinations,
            &profile.destinations,
            &profile.connectivity,
            &|| {},
        )
    });
}

/// Scenarios and where to act, on the sample region's extract: one edit evaluated
/// incrementally, beside the same edit with every zone searched again and beside the whole
/// analysis it saves; and every candidate place ranked by evaluating it.
mod where_to_act {
    use std::sync::OnceLock;

    use kopa_mobility::candidates::{Candidate, proposals, rank_proposals};
    use kopa_mobility::osm::OsmData;
    use kopa_mobility::pipeline::{self, Request, Unwatched};
    use kopa_mobility::scenario::Network;
    use kopa_mobility::stress::Profile;

    const SAMPLE: &str = "liechtenstein.osm.pbf";

    fn request() -> Request {
        Request {
            source: SAMPLE.to_owned(),
            area: None,
            profile: Profile::latvia(),
            population: None,
            places: None,
        }
    }

    /// The network analysed once, with its best place to act.
    fn analysed() -> &'static (Network, Candidate) {
        static NETWORK: OnceLock<(Network, Candidate)> = OnceLock::new();
        NETWORK.get_or_init(|| {
            let osm = OsmData::load(&super::path(SAMPLE)).expect("the extract loads");
            let network = pipeline::prepare(osm, request(), &Unwatched)
                .expect("it analyses")
                .network;
            let best = rank_proposals(&network, proposals(&network), &|| {})
                .into_iter()
                .next()
                .expect("a place to act");
            (network, best)
        })
    }

    #[divan::bench(sample_count = 20)]
    fn one_edit_incremental(bencher: divan::Bencher) {
        let (network, best) = analysed();
        let edits = [best.edit.clone()];
        bencher.bench(|| network.evaluate(&edits).expect("a valid edit"));
    }

    #[divan::bench(sample_count = 10)]
    fn one_edit_every_zone_again(bencher: divan::Bencher) {
        let (network, best) = analysed();
        let edits = [best.edit.clone()];
        bencher.bench(|| network.evaluate_everywhere(&edits).expect("a valid edit"));
    }

    /// What a scenario would cost without the kept network: the analysis from the extract
    /// read, up to the score.
    #[divan::bench(sample_count = 5)]
    fn full_reanalysis(bencher: divan::Bencher) {
        bencher
            .with_inputs(|| OsmData::load(&super::path(SAMPLE)).expect("the extract loads"))
            .bench_values(|osm| pipeline::prepare(osm, request(), &Unwatched).expect("it analyses"));
    }

    #[divan::bench(sample_count = 3)]
    fn rank_every_place_to_act(bencher: divan::Bencher) {
        let (network, _) = analysed();
        bencher.bench(|| rank_proposals(network, proposals(network), &|| {}));
    }
}

/// A synthetic municipality of a million street nodes, analysed from its data to its score:
/// a 1000 × 1000 grid of streets 80 m apart, every eighth one a 70 km/h main road and the
/// rest 30 or 50 km/h residential streets, with houses in every other block and shops and
/// schools at some corners. It needs no extract.
mod synthetic_municipality {

    use kopa_mobility::osm::{Coord, IdMap, OsmData, Tags, Way};
    use kopa_mobility::pipeline::{self, Request, Unwatched};
    use kopa_mobility::stress::Profile;

    const SIDE: i64 = 1000;
    const SPACING_DEGREES: f64 = 80.0 / 111_320.0;

    fn street(row: i64) -> Tags {
        match row % 8 {
            0 => [("highway", "primary"), ("maxspeed", "70"), ("lanes", "2")]
                .into_iter()
                .collect(),
            n if n % 2 == 1 => [("highway", "residential"), ("maxspeed", "30")].into_iter().collect(),
            _ => [("highway", "residential"), ("maxspeed", "50")].into_iter().collect(),
        }
    }

    fn town() -> OsmData {
        let node = |row: i64, column: i64| row * SIDE + column + 1;
        let at = |row: f64, column: f64| Coord {
            lat: 56.8 + row * SPACING_DEGREES,
            lon: 24.2 + column * SPACING_DEGREES * 1.8,
        };
        let mut coords = IdMap::default();
        for row in 0..SIDE {
            for column in 0..SIDE {
                coords.insert(node(row, column), at(row as f64, column as f64));
            }
        }
        let mut ways = Vec::new();
        for line in 0..SIDE {
            ways.push(Way {
                id: ways.len() as i64 + 1,
                nodes: (0..SIDE).map(|column| node(line, column)).collect(),
                tags: street(line),
            });
            ways.push(Way {
                id: ways.len() as i64 + 1,
                nodes: (0..SIDE).map(|row| node(row, line)).collect(),
                tags: street(line),
            });
        }
        // A house in every other block, drawn as a closed square of its own nodes.
        let mut next_node = SIDE * SIDE + 1;
        for row in (0..SIDE - 1).step_by(2) {
            for column in (0..SIDE - 1).step_by(2) {
                let corners = [(0.3, 0.3), (0.3, 0.7), (0.7, 0.7), (0.7, 0.3)];
                let mut ring = Vec::new();
                for (dr, dc) in corners {
                    coords.insert(next_node, at(row as f64 + dr, column as f64 + dc));
                    ring.push(next_node);
                    next_node += 1;
                }
                ring.push(ring[0]);
                ways.push(Way {
                    id: ways.len() as i64 + 1,
                    nodes: ring,
                    tags: [("building", "house")].into_iter().collect(),
                });
            }
        }
        let mut node_tags = IdMap::default();
        for row in (5..SIDE).step_by(40) {
            for column in (5..SIDE).step_by(40) {
                node_tags.insert(node(row, column), [("shop", "supermarket")].into_iter().collect());
                node_tags.insert(
                    node(row + 20, column + 20),
                    [("amenity", "school")].into_iter().collect(),
                );
            }
        }
        OsmData {
            coords,
            node_tags,
            ways,
            relations: Vec::new(),
            cut_at_edge: Vec::new(),
            duplicate_nodes: Vec::new(),
            as_of: None,
        }
    }

    #[divan::bench(sample_count = 3)]
    fn a_million_nodes_analysed(bencher: divan::Bencher) {
        bencher.with_inputs(town).bench_values(|osm| {
            let request = Request {
                source: "synthetic".to_owned(),
                area: None,
                profile: Profile::latvia(),
                population: None,
                places: None,
            };
            pipeline::prepare(osm, request, &Unwatched).expect("it analyses")
        });
    }
}
