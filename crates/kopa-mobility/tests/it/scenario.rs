//! Scenarios and where to act: an edit evaluated incrementally gives exactly what analysing
//! the changed network from scratch gives, and candidates are ranked by that real gain.

use std::path::Path;

use kopa_mobility::candidates::{CandidateKind, rank};
use kopa_mobility::crossing::Treatment;
use kopa_mobility::osm::OsmData;
use kopa_mobility::pipeline::{Request, Unwatched, run};
use kopa_mobility::scenario::{BadEdit, Edit, Effect, Network};
use kopa_mobility::stress::Profile;

use super::fixture;

fn analysed(osm: OsmData, population: Option<f64>) -> Network {
    let request = Request {
        source: "test".into(),
        area: None,
        profile: Profile::latvia(),
        population,
        places: None,
    };
    run(osm, request, &Unwatched).expect("the analysis runs").network
}

fn load_text(text: &str) -> OsmData {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("edited.osm");
    std::fs::write(&path, text).unwrap();
    OsmData::load(&path).unwrap()
}

fn sample() -> Option<OsmData> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../kopa-demo/sample/liechtenstein.osm.pbf");
    Some(OsmData::load(&path).expect("the sample region loads"))
}

#[test]
fn signals_at_the_village_crossing_score_what_a_village_with_signals_scores() {
    let text = std::fs::read_to_string(fixture("village_main_road.osm")).unwrap();
    let network = analysed(load_text(&text), Some(100.0));
    let vertex = network
        .analysis
        .graph
        .vertex_nodes
        .iter()
        .position(|n| *n == 3)
        .unwrap() as u32;
    let edit = Edit::Crossing {
        vertex,
        treatment: Treatment::Signals,
    };
    let effect = network.evaluate(std::slice::from_ref(&edit)).unwrap();

    let plain = r#"<node id="3" lat="56.80500" lon="24.20500"/>"#;
    let signalled = r#"<node id="3" lat="56.80500" lon="24.20500"><tag k="highway" v="traffic_signals"/></node>"#;
    let rebuilt = analysed(load_text(&text.replace(plain, signalled)), Some(100.0));
    assert_eq!(effect.score_before, network.connectivity.score);
    assert_eq!(effect.score_after, rebuilt.connectivity.score);
    assert!(effect.gain() > 10.0, "{effect:?}");
    // Both halves of the village now reach the other half.
    assert!((effect.people_gaining - 100.0).abs() < 1e-6);
    assert_eq!(effect.changed_crossings, [(vertex, true)]);
    assert_eq!(effect, network.evaluate_everywhere(&[edit]).unwrap());

    // The crossing candidate is that one, with the cheapest treatment that makes it easy.
    let ranked = rank(&network);
    let crossing = ranked.iter().find(|c| c.kind == CandidateKind::Crossing).unwrap();
    let Edit::Crossing { vertex: at, treatment } = crossing.edit else {
        panic!("{crossing:?}")
    };
    assert_eq!(at, vertex);
    // Two lanes at 70 km/h: a refuge island alone gives LTS 2, which is low stress.
    assert_eq!(treatment, Treatment::RefugeIsland);
    assert!(crossing.score_gain > 10.0);
}

#[test]
fn edits_that_name_nothing_are_refused_by_name() {
    let text = std::fs::read_to_string(fixture("village_main_road.osm")).unwrap();
    let network = analysed(load_text(&text), Some(100.0));
    let refused = |edit: Edit| network.evaluate(&[edit]).unwrap_err();
    assert_eq!(refused(Edit::CycleTrack { segment: 9999 }), BadEdit::NoSegment(9999));
    assert_eq!(refused(Edit::SpeedLimit { way: -5, kmh: 30 }), BadEdit::NoWay(-5));
    let way = network.analysis.graph.segments[0].way_id;
    assert_eq!(refused(Edit::SpeedLimit { way, kmh: 0 }), BadEdit::BadSpeed(0));
    let street_end = network
        .analysis
        .graph
        .vertex_nodes
        .iter()
        .position(|n| *n != 3)
        .unwrap() as u32;
    assert_eq!(
        refused(Edit::Crossing {
            vertex: street_end,
            treatment: Treatment::Zebra
        }),
        BadEdit::NoCrossing(street_end)
    );
    let far = kopa_mobility::osm::Coord { lat: 10.0, lon: 10.0 };
    assert!(matches!(
        refused(Edit::MobilityPoint { at: far }),
        BadEdit::FarFromStreets { .. }
    ));
}

/// On the real sample region: every kind of candidate, evaluated incrementally, gives exactly
/// the score of searching every zone again; and a lower limit equals re-analysing the extract
/// with the way retagged.
#[test]
fn incremental_evaluation_equals_analysing_again_on_the_sample_region() {
    let Some(osm) = sample() else { return };
    let network = analysed(osm, None);
    let ranked = rank(&network);
    for kind in [
        CandidateKind::Crossing,
        CandidateKind::Gap,
        CandidateKind::SpeedLimit,
        CandidateKind::MobilityPoint,
    ] {
        let of_kind: Vec<_> = ranked.iter().filter(|c| c.kind == kind).take(3).collect();
        assert!(!of_kind.is_empty(), "no {kind:?} candidate");
        for candidate in of_kind {
            let edits = std::slice::from_ref(&candidate.edit);
            let quick = network.evaluate(edits).unwrap();
            let full = network.evaluate_everywhere(edits).unwrap();
            assert_eq!(
                quick,
                Effect {
                    zones_searched: quick.zones_searched,
                    ..full
                },
                "{candidate:?}"
            );
            assert!(
                quick.zones_searched < network.zones.len(),
                "{kind:?} searched every zone"
            );
            assert!((quick.gain() - candidate.score_gain).abs() < 1e-12);
        }
    }
    let gains: Vec<f64> = ranked
        .iter()
        .filter(|c| c.kind != CandidateKind::MobilityPoint)
        .map(|c| c.score_gain)
        .collect();
    assert!(gains.windows(2).all(|w| w[0] >= w[1]), "ranked best first");

    // Several edits at once, as a scenario holds them.
    let together: Vec<Edit> = ranked.iter().take(6).map(|c| c.edit.clone()).collect();
    let quick = network.evaluate(&together).unwrap();
    let full = network.evaluate_everywhere(&together).unwrap();
    assert_eq!(quick.score_after, full.score_after);
    assert!(quick.gain() > ranked[0].score_gain - 1e-9);

    // The best speed limit, checked against the extract retagged and analysed from scratch.
    let speed = ranked.iter().find(|c| c.kind == CandidateKind::SpeedLimit).unwrap();
    let Edit::SpeedLimit { way, kmh } = speed.edit else {
        unreachable!()
    };
    let mut retagged = sample().unwrap();
    let index = retagged.ways.iter().position(|w| w.id == way).unwrap();
    retagged.ways[index].tags.insert("maxspeed", kmh.to_string());
    let rebuilt = analysed(retagged, None);
    let effect = network.evaluate(std::slice::from_ref(&speed.edit)).unwrap();
    assert!(
        (effect.score_after.unwrap() - rebuilt.connectivity.score.unwrap()).abs() < 1e-9,
        "{effect:?} against {:?}",
        rebuilt.connectivity.score
    );
}

#[test]
fn candidates_name_the_properties_next_to_them() {
    let Some(osm) = sample() else { return };
    let network = analysed(osm, None);
    let ranked = rank(&network);
    let with_neighbours = ranked
        .iter()
        .find(|c| !c.neighbours.is_empty())
        .expect("a candidate with a named property beside it");
    let limit = network.profile.where_to_act.neighbours_m;
    for neighbour in &with_neighbours.neighbours {
        assert!(neighbour.distance_m <= limit, "{neighbour:?}");
        assert!(!neighbour.name.is_empty());
        assert!(neighbour.osm.contains('/'));
    }
    let sites: Vec<_> = ranked
        .iter()
        .filter(|c| c.kind == CandidateKind::MobilityPoint)
        .collect();
    assert_eq!(sites.len(), network.profile.where_to_act.sites);
    // Chosen with overlap discounted: each adds fewer new people than the one before.
    let people: Vec<f64> = sites.iter().map(|s| s.catchment_people.unwrap()).collect();
    assert!(people.windows(2).all(|w| w[0] >= w[1]), "{people:?}");
    assert!(sites.iter().all(|s| s.transit_stops.unwrap() > 0));
}
