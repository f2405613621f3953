//! The engine on hand-written fixtures (one behaviour each, exact expectations), on bad input,
//! and on the real extracts in `../shared/data/osm/` when that folder is present.

use std::path::{Path, PathBuf};

use kopa_mobility::graph::StreetGraph;
use kopa_mobility::osm::{Completeness, CutWay, ImportError, OsmData};
use kopa_mobility::stress::{Lts, Profile, classify};

fn fixture(name: &str) -> PathBuf {
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
fn shared_extract(name: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/osm")
        .join(name);
    if path.is_file() {
        Some(path)
    } else {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: {name}: the shared OpenStreetMap extracts are not beside the project."
        );
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
    for name in [
        "liechtenstein.osm.pbf",
        "monaco.osm.pbf",
        "andorra.osm.pbf",
        "north-bayreuth.osm.gz",
        "leeds-cycleway.osm.gz",
        "berlin-neukolln.osm.gz",
        "sigulda-overpass.json",
    ] {
        let Some(path) = shared_extract(name) else { continue };
        let osm = OsmData::load(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let graph = StreetGraph::build(&osm);
        assert!(graph.segments.len() > 1, "{name}");
        let edges: usize = (0..graph.vertex_count() as u32)
            .map(|v| graph.edges_from(v).len())
            .sum();
        assert_eq!(edges, graph.edges.len(), "{name}: every edge belongs to one vertex");
    }
}
