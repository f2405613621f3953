//! The engine on hand-written fixtures (one behaviour each, exact expectations), on bad input,
//! and on the real extracts in `../shared/data/osm/` when that folder is present.

use std::path::{Path, PathBuf};

use kopa_mobility::graph::StreetGraph;
use kopa_mobility::osm::{Completeness, CutWay, ImportError, OsmData};
use kopa_mobility::stress::{Lts, Profile, classify};

mod scenario;

pub(crate) fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn segment_lts(osm: &OsmData, graph: &StreetGraph, way: i64) -> Vec<(u8, u8)> {
    let profile = Profile::latvia();
    graph
        .segments
        .iter()
        .filter(|s| s.way_id == way)
        .map(|s| {
            let tags = &osm.ways[s.way_index].tags;
            let level = |forward: bool, allowed: bool| {
                if allowed {
                    classify(tags, &profile, forward).lts.number()
                } else {
                    0
                }
            };
            (level(true, s.directions.forward), level(false, s.directions.backward))
        })
        .collect()
}

#[test]
fn a_contraflow_lane_lets_bicycles_ride_both_ways() {
    let osm = OsmData::load(&fixture("contraflow.osm")).unwrap();
    let graph = StreetGraph::build(&osm);
    // Skolas iela splits at node 2, where Dārza iela joins.
    assert_eq!(graph.segments.iter().filter(|s| s.way_id == 10).count(), 2);
    assert_eq!(segment_lts(&osm, &graph, 10), [(1, 1), (1, 1)]);
    // Dārza iela: one way only, LTS 2 at the assumed 50 km/h.
    assert_eq!(segment_lts(&osm, &graph, 11), [(2, 0)]);
    assert_eq!(graph.vertex_count(), 4);
    // From node 4 there is no way back along Dārza iela.
    let node4 = graph.vertex_nodes.iter().position(|n| *n == 4).unwrap() as u32;
    assert!(graph.edges_from(node4).is_empty());
    let length: f64 = graph
        .segments
        .iter()
        .filter(|s| s.way_id == 10)
        .map(|s| s.length_m)
        .sum();
    assert!((length - 222.6).abs() < 1.0, "{length}");
}

#[test]
fn a_living_street_is_lts_1_at_20_kmh() {
    let osm = OsmData::load(&fixture("living_street.osm")).unwrap();
    let tags = &osm.ways[0].tags;
    let stress = classify(tags, &Profile::latvia(), true);
    assert_eq!(stress.lts, Lts::One);
    let reasons: Vec<String> = stress.reasons.iter().map(ToString::to_string).collect();
    assert_eq!(
        reasons,
        ["living street", "speed limit 20 km/h assumed (living street)"]
    );
}

#[test]
fn a_zebra_over_four_lanes_keeps_its_node_tags() {
    let osm = OsmData::load(&fixture("zebra_four_lanes.osm")).unwrap();
    let graph = StreetGraph::build(&osm);
    assert_eq!(segment_lts(&osm, &graph, 30), [(4, 4), (4, 4)]);
    assert_eq!(segment_lts(&osm, &graph, 31), [(1, 1), (1, 1)]);
    let crossing = osm.tags_of_node(2).unwrap();
    assert_eq!(crossing.get("crossing"), Some("zebra"));
    assert!(
        graph.vertex_nodes.contains(&2),
        "the crossing is an intersection of the graph"
    );
}

#[test]
fn streets_past_the_edge_of_the_extract_are_cut_there_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("edge.osm");
    let text = std::fs::read_to_string(fixture("contraflow.osm")).unwrap().replace(
        r#"<nd ref="2"/><nd ref="4"/>"#,
        r#"<nd ref="2"/><nd ref="4"/><nd ref="404"/>"#,
    );
    std::fs::write(&path, text).unwrap();
    let osm = OsmData::load(&path).unwrap();
    assert_eq!(
        osm.cut_at_edge,
        [CutWay {
            way: 11,
            missing_node: 404
        }]
    );
    let graph = StreetGraph::build(&osm);
    assert_eq!(
        segment_lts(&osm, &graph, 11),
        [(2, 0)],
        "the part inside the extract stays"
    );
}

#[test]
fn overpass_json_reads_like_xml() {
    let osm = OsmData::load(&fixture("two_streets_overpass.json")).unwrap();
    let graph = StreetGraph::build(&osm);
    assert_eq!(graph.segments.len(), 3);
    assert_eq!(segment_lts(&osm, &graph, 81), [(1, 1)], "a bicycle street");
    assert_eq!(segment_lts(&osm, &graph, 80), [(2, 2), (2, 2)], "tertiary at 30 km/h");
}

#[test]
fn gzip_xml_reads_like_plain_xml() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("contraflow.osm.gz");
    let mut encoder = flate2_writer(std::fs::File::create(&path).unwrap());
    encoder
        .write_all(&std::fs::read(fixture("contraflow.osm")).unwrap())
        .unwrap();
    drop(encoder);
    let osm = OsmData::load(&path).unwrap();
    assert_eq!(osm.ways.len(), 2);
}

fn flate2_writer(file: std::fs::File) -> impl std::io::Write {
    flate2::write::GzEncoder::new(file, flate2::Compression::fast())
}

fn error_of(name: &str) -> String {
    match OsmData::load(&fixture(name)) {
        Ok(_) => panic!("{name} should be refused"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn bad_input_is_refused_with_a_message_that_names_the_problem() {
    let strict = OsmData::load_with(&fixture("missing_node.osm"), Completeness::Strict).unwrap_err();
    assert!(
        strict
            .to_string()
            .contains("way 40 refers to node 99, which is not in the file"),
        "{strict}"
    );
    // Cut at the edge, the one street left has a single node: nothing to ride.
    assert!(error_of("missing_node.osm").contains("holds no streets"));
    assert!(error_of("out_of_range.osm").contains("node 2 has coordinates out of range (lat 95"));
    assert!(error_of("no_streets.osm").contains("holds no streets"));
    assert!(
        error_of("broken.osm").contains("is not valid OSM XML"),
        "{}",
        error_of("broken.osm")
    );
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.osm.pbf");
    std::fs::write(&junk, b"this is not a protocol buffer at all").unwrap();
    let error = OsmData::load(&junk).unwrap_err();
    assert!(matches!(error, ImportError::BadPbf { .. }), "{error}");
    let missing = OsmData::load(&dir.path().join("nowhere.osm")).unwrap_err();
    assert!(missing.to_string().starts_with("cannot read"), "{missing}");
    let json = dir.path().join("wrong.json");
    std::fs::write(&json, b"{\"elements\": 3}").unwrap();
    assert!(
        OsmData::load(&json)
            .unwrap_err()
            .to_string()
            .contains("is not Overpass API JSON")
    );
}

/// The real extracts, when the shared data folder is beside the project.
/// Every extract in `../shared/data/osm/`.
const SHARED_EXTRACTS: [&str; 7] = [
    "liechtenstein.osm.pbf",
    "monaco.osm.pbf",
    "andorra.osm.pbf",
    "north-bayreuth.osm.gz",
    "leeds-cycleway.osm.gz",
    "berlin-neukolln.osm.gz",
    "sigulda-overpass.json",
];

fn shared_extract(name: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/osm")
        .join(name);
    if path.is_file() {
        Some(path)
    } else {
        let message = format!("{name}: the shared OpenStreetMap extracts are not beside the project.");
        // CI requires every part, so that a missing extract cannot pass quietly.
        assert!(
            std::env::var("KOPA_REQUIRE_ALL").as_deref() != Ok("1"),
            "KOPA_REQUIRE_ALL=1, but this would be skipped: {message}"
        );
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "SKIPPED: {message}");
        None
    }
}

#[test]
fn a_truncated_pbf_is_refused() {
    let Some(path) = shared_extract("liechtenstein.osm.pbf") else {
        return;
    };
    let bytes = std::fs::read(path).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let truncated = dir.path().join("truncated.osm.pbf");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let error = OsmData::load(&truncated).unwrap_err();
    assert!(
        matches!(error, ImportError::BadPbf { .. } | ImportError::MissingNode { .. }),
        "{error}"
    );
}

#[test]
fn every_shared_extract_becomes_a_street_graph() {
    for name in SHARED_EXTRACTS {
        let Some(path) = shared_extract(name) else { continue };
        let osm = OsmData::load(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let graph = StreetGraph::build(&osm);
        assert!(graph.segments.len() > 1, "{name}");
        let edges: usize = (0..graph.vertex_count() as u32)
            .map(|v| graph.edges_from(v).len())
            .sum();
        assert_eq!(
            edges,
            graph.adjacency.edges.len(),
            "{name}: every edge belongs to one vertex"
        );
    }
}

/// The whole analysis of `osm` with the Latvian profile, summarised as the CLI writes it.
fn summary_of(name: &str, osm: OsmData) -> kopa_mobility::report::FullSummary {
    let request = kopa_mobility::pipeline::Request {
        source: name.to_owned(),
        area: None,
        profile: Profile::latvia(),
        population: None,
        places: None,
    };
    kopa_mobility::pipeline::run(osm, request, &kopa_mobility::pipeline::Unwatched)
        .expect("the analysis runs")
        .summary
}

#[test]
fn the_summary_warns_of_cut_streets_twice_given_nodes_and_unreadable_tags() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("flawed.osm");
    let text = std::fs::read_to_string(fixture("contraflow.osm"))
        .unwrap()
        .replace(
            r#"<nd ref="2"/><nd ref="4"/>"#,
            r#"<nd ref="2"/><nd ref="4"/><nd ref="404"/>"#,
        )
        .replace(
            r#"<node id="4" lat="56.9010" lon="24.1020"/>"#,
            r#"<node id="4" lat="56.9010" lon="24.1020"/><node id="4" lat="56.9011" lon="24.1021"/>"#,
        )
        .replace(
            r#"<tag k="name" v="Dārza iela"/>"#,
            r#"<tag k="name" v="Dārza iela"/><tag k="maxspeed" v="0"/>"#,
        );
    std::fs::write(&path, text).unwrap();
    let osm = OsmData::load(&path).unwrap();
    let warnings = summary_of("flawed.osm", osm).warnings;
    assert_eq!((warnings.streets_cut_at_edge, warnings.first_cut_ways), (1, vec![11]));
    assert_eq!((warnings.duplicate_nodes, warnings.first_duplicate_nodes), (1, vec![4]));
    let unreadable: Vec<_> = warnings
        .unreadable_tags
        .iter()
        .map(|t| (t.key.as_str(), t.value.as_str(), t.ways, t.first_way))
        .collect();
    assert_eq!(unreadable, [("maxspeed", "0", 1, 11)]);
}

/// The whole analysis of each shared extract, summarised, against the summary kept in
/// `tests/golden/`. When the engine changes on purpose, rerun with `KOPA_UPDATE_GOLDEN=1` and
/// review the difference before committing it.
#[test]
fn every_shared_extract_matches_its_golden_summary() {
    let update = std::env::var_os("KOPA_UPDATE_GOLDEN").is_some();
    let mut changed = Vec::new();
    for name in SHARED_EXTRACTS {
        let Some(path) = shared_extract(name) else { continue };
        let osm = OsmData::load(&path).unwrap();
        let summary = serde_json::to_value(summary_of(name, osm)).unwrap();
        let stem = name.split('.').next().unwrap();
        let golden = fixture("../golden").join(format!("{stem}.json"));
        if update {
            std::fs::write(&golden, serde_json::to_string_pretty(&summary).unwrap() + "\n").unwrap();
            continue;
        }
        let kept: serde_json::Value = serde_json::from_slice(&std::fs::read(&golden).unwrap()).unwrap();
        if kept != summary {
            changed.push(name);
        }
    }
    assert!(
        changed.is_empty(),
        "the summaries of {changed:?} differ from tests/golden/; review with KOPA_UPDATE_GOLDEN=1 and git diff"
    );
}

mod reachability {
    //! The bounded search against a plain reference Dijkstra written independently, over an
    //! adjacency list built from the segments rather than the CSR arrays.

    use std::collections::BTreeMap;

    use kopa_mobility::connectivity::{BoundedSearch, islands};
    use kopa_mobility::graph::{Directions, Segment, StreetGraph};

    /// A small deterministic random source, so failures repeat.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            self.0 >> 33
        }
    }

    fn random_graph(seed: u64, vertices: u32, segments: usize) -> StreetGraph {
        let mut rng = Lcg(seed);
        let mut graph = StreetGraph {
            vertex_nodes: (0..vertices as i64).collect(),
            vertex_coords: vec![kopa_mobility::osm::Coord { lat: 0.0, lon: 0.0 }; vertices as usize],
            ..StreetGraph::default()
        };
        for index in 0..segments {
            let from = (rng.next() % vertices as u64) as u32;
            let to = (rng.next() % vertices as u64) as u32;
            let directions = match rng.next() % 4 {
                0 => Directions {
                    forward: true,
                    backward: false,
                },
                1 => Directions {
                    forward: false,
                    backward: true,
                },
                _ => Directions {
                    forward: true,
                    backward: true,
                },
            };
            let length_m = 20.0 + (rng.next() % 800) as f64;
            graph.segments.push(Segment {
                way_id: index as i64,
                way_index: 0,
                from,
                to,
                nodes: vec![],
                length_m,
                directions,
            });
        }
        graph.rebuild_edges();
        graph
    }

    /// Adjacency lists of the segments `low` accepts, in their directions.
    fn lists(graph: &StreetGraph, low: &dyn Fn(usize) -> bool) -> Vec<Vec<(u32, f32)>> {
        let mut adjacency: Vec<Vec<(u32, f32)>> = vec![Vec::new(); graph.vertex_count()];
        for (index, s) in graph.segments.iter().enumerate() {
            if !low(index) {
                continue;
            }
            if s.directions.forward {
                adjacency[s.from as usize].push((s.to, s.length_m as f32));
            }
            if s.directions.backward {
                adjacency[s.to as usize].push((s.from, s.length_m as f32));
            }
        }
        adjacency
    }

    /// Plain Dijkstra with a sorted map as the queue.
    fn dijkstra(adjacency: &[Vec<(u32, f32)>], source: u32, bound: f32) -> BTreeMap<u32, f32> {
        let mut best: BTreeMap<u32, f32> = BTreeMap::new();
        let mut queue: BTreeMap<(u32, u32), u32> = BTreeMap::new(); // (distance bits, vertex) -> vertex
        best.insert(source, 0.0);
        queue.insert((0f32.to_bits(), source), source);
        while let Some(((bits, _), vertex)) = queue.pop_first() {
            let distance = f32::from_bits(bits);
            if distance > best[&vertex] {
                continue;
            }
            for &(target, length) in &adjacency[vertex as usize] {
                let next = distance + length;
                if next <= bound && best.get(&target).is_none_or(|d| next < *d) {
                    best.insert(target, next);
                    queue.insert((next.to_bits(), target), target);
                }
            }
        }
        best
    }

    fn reference(graph: &StreetGraph, source: u32, bound: f32, low: &dyn Fn(usize) -> bool) -> BTreeMap<u32, f32> {
        dijkstra(&lists(graph, low), source, bound)
    }

    /// The exported table read back by the engine, and read here by hand into adjacency
    /// lists: the engine's reach from a spread of origins equals the reference's, exactly,
    /// since whole centimetres sum exactly.
    #[test]
    fn the_bounded_search_agrees_with_a_reference_dijkstra_on_a_real_exported_graph() {
        use kopa_mobility::analysis::Analysis;
        use kopa_mobility::exported::{BOUND_CM, read_graph_csv, write_graph_csv};
        use kopa_mobility::stress::Profile;

        let Some(path) = super::shared_extract("liechtenstein.osm.pbf") else {
            return;
        };
        let analysis = Analysis::run(&kopa_mobility::osm::OsmData::load(&path).unwrap(), &Profile::latvia());
        let mut table = Vec::new();
        write_graph_csv(&analysis, &mut table).unwrap();
        let exported = read_graph_csv(&table[..]).unwrap();
        let vertices = exported.all.vertex_count();
        let (mut all, mut low) = (vec![Vec::new(); vertices], vec![Vec::new(); vertices]);
        for line in String::from_utf8(table).unwrap().lines().skip(2) {
            let fields: Vec<&str> = line.split(',').collect();
            let (source, target): (usize, u32) = (fields[0].parse().unwrap(), fields[1].parse().unwrap());
            all[source].push((target, fields[2].parse::<f32>().unwrap()));
            if !fields[3].is_empty() {
                low[source].push((target, fields[3].parse::<f32>().unwrap()));
            }
        }
        let mut search = BoundedSearch::new(vertices);
        let mut compared = 0;
        for origin in (0..vertices as u32).step_by(37) {
            for (adjacency, lists) in [(&exported.all, &all), (&exported.low_stress, &low)] {
                let found: BTreeMap<u32, f32> = search
                    .run(adjacency, origin, BOUND_CM, |_| true)
                    .iter()
                    .copied()
                    .collect();
                assert_eq!(found, dijkstra(lists, origin, BOUND_CM), "origin {origin}");
                compared += found.len();
            }
        }
        assert!(
            compared > 50_000,
            "the sample reaches far: {compared} vertices compared"
        );
    }

    #[test]
    fn the_bounded_search_agrees_with_a_reference_dijkstra_on_random_graphs() {
        for seed in 0..40 {
            let graph = random_graph(seed, 60, 140);
            let low = |index: usize| !index.is_multiple_of(3);
            let mut search = BoundedSearch::new(graph.vertex_count());
            for source in 0..graph.vertex_count() as u32 {
                for (bound, only_low) in [(2680.0, false), (2680.0, true), (900.0, false)] {
                    let filter: &dyn Fn(usize) -> bool = if only_low { &low } else { &|_| true };
                    let found: BTreeMap<u32, f32> = search
                        .run(&graph.adjacency, source, bound, |edge| filter(edge.segment as usize))
                        .iter()
                        .copied()
                        .collect();
                    let expected = reference(&graph, source, bound, filter);
                    assert_eq!(
                        found.keys().collect::<Vec<_>>(),
                        expected.keys().collect::<Vec<_>>(),
                        "seed {seed} source {source}"
                    );
                    for (vertex, distance) in &expected {
                        assert!(
                            (found[vertex] - distance).abs() < 0.01,
                            "seed {seed} source {source} vertex {vertex}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn islands_are_the_connected_parts_of_the_low_stress_network() {
        let mut graph = random_graph(7, 6, 0);
        for (from, to) in [(0, 1), (1, 2), (3, 4)] {
            let directions = Directions {
                forward: true,
                backward: false,
            };
            graph.segments.push(Segment {
                way_id: 0,
                way_index: 0,
                from,
                to,
                nodes: vec![],
                length_m: 10.0,
                directions,
            });
        }
        graph.rebuild_edges();
        let numbers = islands(&graph, |_| true, |_, _| true);
        assert_eq!(numbers.of_vertex, [Some(0), Some(0), Some(0), Some(1), Some(1), None]);
        assert_eq!(numbers.of_segment, [Some(0), Some(0), Some(1)]);
        let without_middle = islands(&graph, |index| index != 1, |_, _| true);
        assert_eq!(
            without_middle.of_vertex,
            [Some(0), Some(0), None, Some(1), Some(1), None]
        );
        // A vertex that keeps its segments apart, like a busy road's crossing, splits an island.
        let apart_at_one = islands(&graph, |_| true, |segment, vertex| !(vertex == 1 && segment == 1));
        assert_eq!(apart_at_one.of_segment, [Some(0), Some(1), Some(2)]);
        assert_eq!(apart_at_one.of_vertex[1], Some(0));
        assert_eq!(apart_at_one.of_vertex[2], Some(1));
    }
}

#[test]
fn a_four_lane_road_splits_the_low_stress_network_into_islands() {
    use kopa_mobility::analysis::Analysis;
    let osm = OsmData::load(&fixture("zebra_four_lanes.osm")).unwrap();
    let analysis = Analysis::run(&osm, &Profile::latvia());
    // The footway is one island across the crossing node; the main road belongs to none.
    let islands = analysis.islands();
    assert_eq!(islands.len(), 1);
    assert_eq!(islands[0].segments, 2);
    let summary = analysis.summary();
    assert_eq!(summary.km_by_lts["4"], 0.24, "two directions of a 122 m road");
    for (index, segment) in analysis.graph.segments.iter().enumerate() {
        let road = segment.way_id == 30;
        assert_eq!(analysis.island_of_segment[index].is_none(), road);
        let forward = analysis.stress[index][0].as_ref().unwrap();
        assert_eq!(forward.lts, if road { Lts::Four } else { Lts::One });
    }
}

mod crossings_and_connectivity {
    //! A village split by a main road (`village_main_road.osm`): the crossing, the islands and
    //! BNA's scores, worked out by hand.

    use super::*;
    use kopa_mobility::analysis::Analysis;
    use kopa_mobility::destinations;
    use kopa_mobility::population::{homes, zones};
    use kopa_mobility::score::{Connectivity, connectivity};

    fn village(signals: bool) -> (OsmData, Analysis, Connectivity) {
        let mut text = std::fs::read_to_string(fixture("village_main_road.osm")).unwrap();
        if signals {
            let plain = r#"<node id="3" lat="56.80500" lon="24.20500"/>"#;
            assert!(text.contains(plain));
            text = text.replace(
                plain,
                r#"<node id="3" lat="56.80500" lon="24.20500"><tag k="highway" v="traffic_signals"/></node>"#,
            );
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("village.osm");
        std::fs::write(&path, text).unwrap();
        let osm = OsmData::load(&path).unwrap();
        let profile = Profile::latvia();
        let analysis = Analysis::run(&osm, &profile);
        let people = zones(&kopa_mobility::population::weighted_homes(&homes(&osm)), 100.0, 250.0);
        let found = destinations::find(&osm, &profile.destinations);
        let result = connectivity(
            &analysis,
            &people,
            &found,
            &profile.destinations,
            &profile.connectivity,
            &|| {},
        );
        (osm, analysis, result)
    }

    fn crossing_at_node_3(analysis: &Analysis) -> &kopa_mobility::crossing::Crossing {
        let vertex = analysis.graph.vertex_nodes.iter().position(|n| *n == 3).unwrap();
        analysis.crossings[vertex].as_ref().expect("node 3 is a crossing")
    }

    #[test]
    fn an_unsignalised_main_road_is_a_hard_crossing_that_splits_the_village() {
        let (_, analysis, result) = village(false);
        let crossing = crossing_at_node_3(&analysis);
        assert_eq!(crossing.lts, Lts::Three);
        let reasons: Vec<String> = crossing.reasons.iter().map(ToString::to_string).collect();
        assert_eq!(
            reasons,
            [
                "crosses Rīgas iela (primary)",
                "speed limit 70 km/h",
                "2 motor lane(s) to cross assumed"
            ]
        );
        // Only node 3 is a crossing; the street ends are not.
        assert_eq!(analysis.crossings.iter().flatten().count(), 1);
        assert_eq!(analysis.islands().len(), 2);
        let barriers = analysis.barrier_crossings(&analysis.islands());
        assert_eq!(barriers.len(), 1);
        assert_eq!(barriers[0].node, 3);

        // West: reaches everyone at all, but only itself by low stress (share 0.5 → 0.8), and
        // the school only across the main road (0). East: the same share, and its own school (1).
        // The two houses differ in floor area by the curve of the earth, hence the tolerance.
        let close = |a: Option<f64>, b: f64| assert!((a.unwrap() - b).abs() < 1e-6, "{a:?} is not {b}");
        let [west, east] = [&result.zones[0], &result.zones[1]];
        close(Some(west.people_low), 50.0);
        close(Some(west.people_high), 100.0);
        close(west.people_score, 0.8);
        close(east.people_score, 0.8);
        let schools = 0;
        assert_eq!((west.kinds_low[schools], west.kinds_high[schools]), (0, 1));
        assert_eq!((east.kinds_low[schools], east.kinds_high[schools]), (1, 1));
        close(west.score, 100.0 * (15.0 * 0.8 + 20.0 * 0.0) / 35.0);
        close(east.score, 100.0 * (15.0 * 0.8 + 20.0 * 1.0) / 35.0);
        close(
            result.score,
            (100.0 * (15.0 * 0.8) / 35.0 + 100.0 * (15.0 * 0.8 + 20.0) / 35.0) / 2.0,
        );
        // Retail and the rest have no destinations, so they drop out rather than score 0.
        assert_eq!(result.categories.iter().filter(|c| c.score.is_none()).count(), 4);
        // No low-stress trip leaves its own street end, so no segment carries anyone.
        assert!(result.segment_people.iter().all(|p| *p == 0.0));
        close(Some(result.island_people.iter().sum::<f64>()), 100.0);
    }

    #[test]
    fn signals_join_the_village_and_both_streets_carry_everyone() {
        let (osm, analysis, result) = village(true);
        let crossing = crossing_at_node_3(&analysis);
        assert_eq!(crossing.lts, Lts::One);
        assert!(crossing.reasons.iter().any(|r| r.to_string() == "traffic signals"));
        assert_eq!(analysis.islands().len(), 1);
        assert!((result.score.unwrap() - 100.0).abs() < 1e-9);
        for (index, segment) in analysis.graph.segments.iter().enumerate() {
            let name = osm.ways[segment.way_index].tags.get("name").unwrap();
            let expected = if name == "Rīgas iela" { 0.0 } else { 100.0 };
            assert!((result.segment_people[index] - expected).abs() < 1e-6, "{name}");
        }
    }

    #[test]
    fn a_zebra_takes_one_level_off_crossing_four_lanes() {
        let osm = OsmData::load(&fixture("zebra_four_lanes.osm")).unwrap();
        let analysis = Analysis::run(&osm, &Profile::latvia());
        let vertex = analysis.graph.vertex_nodes.iter().position(|n| *n == 2).unwrap();
        let crossing = analysis.crossings[vertex].as_ref().unwrap();
        // Four lanes at 50 km/h is level 2 in Furth's table; the zebra makes it 1.
        assert_eq!(crossing.lts, Lts::One);
        let reasons: Vec<String> = crossing.reasons.iter().map(ToString::to_string).collect();
        assert_eq!(
            reasons,
            [
                "crosses a primary road",
                "speed limit 50 km/h",
                "4 motor lane(s) to cross",
                "marked (zebra) crossing"
            ]
        );
    }
}

mod area {
    //! Clipping to a boundary found by name, or to a drawn polygon, and the errors that name
    //! what is wrong.

    use super::*;
    use kopa_mobility::osm::{Area, AreaError};

    fn streets(osm: &OsmData) -> Vec<(i64, Vec<i64>)> {
        osm.ways
            .iter()
            .filter(|w| w.tags.get("highway").is_some())
            .map(|w| (w.id, w.nodes.clone()))
            .collect()
    }

    #[test]
    fn a_boundary_found_by_name_cuts_streets_at_its_edge() {
        let mut osm = OsmData::load(&fixture("boundary.osm")).unwrap();
        // Case is ignored; the two ways of the outline are joined although one runs backwards.
        let area = Area::by_name(&osm, "ĶEKAVAS PAGASTS").unwrap();
        assert_eq!(area.name, "Ķekavas pagasts");
        osm.clip(&area).unwrap();
        assert_eq!(streets(&osm), [(70, vec![10, 12])]);
        assert!(osm.cut_at_edge.iter().any(|c| c.way == 70 && c.missing_node == 11));
    }

    #[test]
    fn an_unknown_name_lists_the_boundaries_there_are() {
        let osm = OsmData::load(&fixture("boundary.osm")).unwrap();
        let error = Area::by_name(&osm, "Baložu pilsēta").unwrap_err();
        assert_eq!(
            error.to_string(),
            "the extract has no boundary named \"Baložu pilsēta\"; boundaries it has: Ķekavas pagasts"
        );
    }

    #[test]
    fn a_boundary_whose_outline_is_broken_is_called_incomplete() {
        let text = std::fs::read_to_string(fixture("boundary.osm")).unwrap();
        let broken = text.replace(r#"<member type="way" ref="51" role="outer"/>"#, "");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("broken-boundary.osm");
        std::fs::write(&path, broken).unwrap();
        let osm = OsmData::load(&path).unwrap();
        assert!(matches!(
            Area::by_name(&osm, "Ķekavas pagasts"),
            Err(AreaError::Incomplete { .. })
        ));
    }

    #[test]
    fn a_drawn_polygon_keeps_the_west_of_the_village() {
        let mut osm = OsmData::load(&fixture("village_main_road.osm")).unwrap();
        let area = Area::from_geojson(&fixture("west_half.geojson")).unwrap();
        osm.clip(&area).unwrap();
        // Rietumu iela is whole; the main road and Austrumu iela keep only node 3, so go.
        assert_eq!(streets(&osm), [(101, vec![1, 3])]);
        let cut: Vec<i64> = osm.cut_at_edge.iter().map(|c| c.way).collect();
        assert_eq!(cut, [100, 102]);
        assert_eq!(kopa_mobility::population::homes(&osm).len(), 1, "the west house only");
    }

    #[test]
    fn bad_area_files_are_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            path
        };
        let not_json = write("not.geojson", "this is not json");
        assert!(
            Area::from_geojson(&not_json)
                .unwrap_err()
                .to_string()
                .starts_with(&format!("the area file {} is not GeoJSON", not_json.display()))
        );
        // Found by fuzzing: a position with one number.
        let short = write(
            "short.geojson",
            r#"{"type": "Polygon", "coordinates": [[[2.804], [24.2, 56.8], [24.1, 56.8], [24.2, 56.8]]]}"#,
        );
        assert!(
            Area::from_geojson(&short)
                .unwrap_err()
                .to_string()
                .ends_with("a position needs a longitude and a latitude, not [2.804]")
        );
        let point = write("point.geojson", r#"{"type": "Point", "coordinates": [24.2, 56.8]}"#);
        assert!(matches!(Area::from_geojson(&point), Err(AreaError::NoPolygon { .. })));
        let missing = dir.path().join("missing.geojson");
        assert!(matches!(
            Area::from_geojson(&missing),
            Err(AreaError::Unreadable { .. })
        ));
        // A polygon far from every street leaves nothing to analyse.
        let far = write(
            "far.geojson",
            r#"{"type": "Polygon", "coordinates": [[[10, 10], [11, 10], [11, 11], [10, 10]]]}"#,
        );
        let mut osm = OsmData::load(&fixture("village_main_road.osm")).unwrap();
        let error = osm.clip(&Area::from_geojson(&far).unwrap()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "nothing to analyse inside far: no streets lie within it"
        );
    }
}

mod population_files {
    //! Residents from a file instead of the homes: CSV or GeoJSON, and what is wrong with a
    //! bad one, by line or feature.

    use super::*;
    use kopa_mobility::population::{PopulationError, read_places};

    #[test]
    fn csv_and_geojson_give_the_same_places() {
        let from_csv = read_places(&fixture("village_people.csv")).unwrap();
        let from_geojson = read_places(&fixture("village_people.geojson")).unwrap();
        assert_eq!(from_csv.len(), 2);
        assert_eq!(from_csv.iter().map(|p| p.weight).collect::<Vec<_>>(), [30.0, 70.0]);
        for (a, b) in from_csv.iter().zip(&from_geojson) {
            assert_eq!(a.weight, b.weight);
            // The polygon counts at its middle.
            assert!((a.at.lat - b.at.lat).abs() < 1e-5 && (a.at.lon - b.at.lon).abs() < 1e-5);
        }
    }

    #[test]
    fn bad_population_files_name_the_line_or_feature() {
        let dir = tempfile::tempdir().unwrap();
        let check = |name: &str, text: &str, expected: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            let error = read_places(&path).unwrap_err().to_string();
            assert!(error.contains(expected), "{name}: {error}");
            assert!(
                error.contains(&path.display().to_string()),
                "{name} names the file: {error}"
            );
        };
        check("no-column.csv", "lat,lon\n56.8,24.2\n", "missing field `population`");
        check("word.csv", "lat,lon,population\n56.8,24.2,many\n", "line: 2");
        check(
            "negative.csv",
            "lat,lon,population\n56.8,24.2,5\n56.8,24.2,-3\n",
            "line 3: population -3 is not a count of people",
        );
        check(
            "far.csv",
            "lat,lon,population\n156.8,24.2,5\n",
            "line 2: coordinates out of range",
        );
        check("nobody.csv", "lat,lon,population\n56.8,24.2,0\n", "holds nobody");
        check(
            "no-count.geojson",
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[24.2,56.8]}}]}"#,
            "feature 1: no numeric population property",
        );
        check("broken.geojson", "{\"type\": \"FeatureCollection\"", "is not GeoJSON");
        let missing = dir.path().join("missing.csv");
        assert!(matches!(read_places(&missing), Err(PopulationError::Unreadable { .. })));
    }
}

#[test]
fn people_live_in_homes_by_floor_area() {
    let osm = OsmData::load(&fixture("homes.osm")).unwrap();
    let homes = kopa_mobility::population::homes(&osm);
    assert_eq!(
        homes.iter().map(|h| h.way).collect::<Vec<_>>(),
        [10, 20],
        "the supermarket houses nobody"
    );
    // 20 m × 10 m, give or take the rounding of the fixture's coordinates.
    assert!(
        (homes[1].floor_area_m2 - 200.0).abs() < 1.0,
        "{}",
        homes[1].floor_area_m2
    );
    assert!(
        (homes[0].floor_area_m2 - 400.0).abs() < 2.0,
        "two storeys: {}",
        homes[0].floor_area_m2
    );
    let zones = kopa_mobility::population::zones(&kopa_mobility::population::weighted_homes(&homes), 30.0, 250.0);
    assert_eq!(zones.len(), 1);
    assert!((zones[0].population - 30.0).abs() < 1e-9);
}

#[test]
fn a_crossing_that_would_join_only_a_few_metres_is_not_listed_among_the_worst() {
    use kopa_mobility::analysis::Analysis;
    // A main road crossed at node 2 by a 220 m street, on to a 3 m stub (node 3), and at
    // node 5 by another 220 m street, on to a 110 m one (node 6).
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
  <node id="1" lat="56.9000" lon="24.1000"/>
  <node id="2" lat="56.9020" lon="24.1000"/>
  <node id="3" lat="56.90203" lon="24.1000"/>
  <node id="4" lat="56.9000" lon="24.1100"/>
  <node id="5" lat="56.9020" lon="24.1100"/>
  <node id="6" lat="56.9030" lon="24.1100"/>
  <node id="7" lat="56.9020" lon="24.0900"/>
  <node id="8" lat="56.9020" lon="24.1200"/>
  <way id="1"><nd ref="7"/><nd ref="2"/><nd ref="5"/><nd ref="8"/><tag k="highway" v="primary"/><tag k="maxspeed" v="70"/></way>
  <way id="2"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="residential"/><tag k="maxspeed" v="30"/></way>
  <way id="3"><nd ref="4"/><nd ref="5"/><nd ref="6"/><tag k="highway" v="residential"/><tag k="maxspeed" v="30"/></way>
</osm>"#;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stub.osm");
    std::fs::write(&path, xml).unwrap();
    let osm = OsmData::load(&path).unwrap();
    let analysis = Analysis::run(&osm, &Profile::latvia());
    let worst: Vec<(i64, f64)> = analysis
        .summary()
        .worst_crossings
        .iter()
        .map(|c| (c.node, c.joins_km))
        .collect();
    assert_eq!(worst, [(5, 0.11)], "node 2 would join 3 m: not worth listing");
}

#[test]
fn a_main_road_without_a_limit_is_taken_at_the_urban_speed_where_it_runs_through_a_built_up_area() {
    use kopa_mobility::analysis::Analysis;
    // Three primary roads without maxspeed: way 1 through a residential area, way 2 between
    // twelve houses, way 3 across open fields.
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
  <node id="1" lat="56.9000" lon="24.1000"/><node id="2" lat="56.9000" lon="24.1100"/>
  <node id="3" lat="56.9500" lon="24.1000"/><node id="4" lat="56.9500" lon="24.1100"/>
  <node id="5" lat="57.0000" lon="24.1000"/><node id="6" lat="57.0000" lon="24.1100"/>
  <node id="11" lat="56.8990" lon="24.1040"/><node id="12" lat="56.8990" lon="24.1060"/>
  <node id="13" lat="56.9010" lon="24.1060"/><node id="14" lat="56.9010" lon="24.1040"/>
  <way id="1"><nd ref="1"/><nd ref="2"/><tag k="highway" v="primary"/></way>
  <way id="2"><nd ref="3"/><nd ref="4"/><tag k="highway" v="primary"/></way>
  <way id="3"><nd ref="5"/><nd ref="6"/><tag k="highway" v="primary"/></way>
  <way id="10"><nd ref="11"/><nd ref="12"/><nd ref="13"/><nd ref="14"/><nd ref="11"/><tag k="landuse" v="residential"/></way>
"#,
    );
    for house in 0..12 {
        let lon = 24.1040 + house as f64 * 0.0002;
        let lat = 56.9003;
        let ids: Vec<i64> = (0..4).map(|corner| 1000 + house * 10 + corner).collect();
        for (corner, id) in ids.iter().enumerate() {
            let (dlat, dlon) = [(0.0, 0.0), (0.0, 0.0001), (0.0001, 0.0001), (0.0001, 0.0)][corner];
            xml.push_str(&format!(
                r#"  <node id="{id}" lat="{}" lon="{}"/>"#,
                lat + 0.05 + dlat,
                lon + dlon
            ));
        }
        let refs: String = ids
            .iter()
            .chain(&ids[..1])
            .map(|id| format!(r#"<nd ref="{id}"/>"#))
            .collect();
        xml.push_str(&format!(
            r#"<way id="{}">{refs}<tag k="building" v="house"/></way>"#,
            2000 + house
        ));
    }
    xml.push_str("</osm>");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("built_up.osm");
    std::fs::write(&path, xml).unwrap();
    let osm = OsmData::load(&path).unwrap();
    let analysis = Analysis::run(&osm, &Profile::latvia());
    let speed_of = |way: i64| -> String {
        let index = analysis.graph.segments.iter().position(|s| s.way_id == way).unwrap();
        let reasons = &analysis.stress[index][0].as_ref().unwrap().reasons;
        reasons
            .iter()
            .map(ToString::to_string)
            .find(|r| r.contains("km/h"))
            .unwrap()
    };
    assert_eq!(
        speed_of(1),
        "speed limit 50 km/h assumed (built-up area default: inside landuse=residential)"
    );
    assert_eq!(
        speed_of(2),
        "speed limit 50 km/h assumed (built-up area default: 12 or more buildings within 100 m)"
    );
    assert_eq!(speed_of(3), "speed limit 90 km/h assumed (outside built-up areas)");
}
