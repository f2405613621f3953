//! The stress of crossing a road at an intersection, after Furth (2017): the crossed road's
//! lanes and speed, relieved by a refuge island, a marked (zebra) crossing, or traffic signals.
//!
//! A vertex is a crossing when a road passes through it (two of its segments meet there) and
//! some other way meets it. Riding along the crossed road is not crossing it; leaving it, or
//! going across, is.

use rayon::prelude::*;

use crate::built_up::BuiltUp;
use crate::graph::{MOTOR_ROADS, Segment, StreetGraph, haversine_m};
use crate::osm::{OsmData, Tags};
use crate::stress::{Lts, Profile, Reason, speed, total_lanes};

/// Signals tagged on a node of the crossed road this close to the vertex still control it.
const SIGNAL_REACH_M: f64 = 30.0;

/// The stress of crossing the road at one vertex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crossing {
    pub lts: Lts,
    pub reasons: Vec<Reason>,
    /// The road crossed, as its name or ref, or its way id when it has neither.
    pub road: RoadKey,
    /// One of the crossed road's segments at the vertex, whose tags set the level.
    pub through: u32,
    pub controls: Controls,
}

/// What can be built to make a crossing easier, in the order a profile tries them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Treatment {
    RefugeIsland,
    Zebra,
    /// A refuge island with a zebra across both halves.
    RefugeAndZebra,
    Signals,
}

impl Treatment {
    pub fn code(self) -> &'static str {
        match self {
            Treatment::RefugeIsland => "refuge_island",
            Treatment::Zebra => "zebra",
            Treatment::RefugeAndZebra => "refuge_and_zebra",
            Treatment::Signals => "signals",
        }
    }

    pub fn from_code(code: &str) -> Option<Treatment> {
        [
            Treatment::RefugeIsland,
            Treatment::Zebra,
            Treatment::RefugeAndZebra,
            Treatment::Signals,
        ]
        .into_iter()
        .find(|t| t.code() == code)
    }

    /// The controls a crossing has once this is built.
    pub fn added_to(self, controls: Controls) -> Controls {
        let built = match self {
            Treatment::RefugeIsland => Controls {
                refuge: true,
                ..Controls::default()
            },
            Treatment::Zebra => Controls {
                marked: true,
                ..Controls::default()
            },
            Treatment::RefugeAndZebra => Controls {
                refuge: true,
                marked: true,
                ..Controls::default()
            },
            Treatment::Signals => Controls {
                signals: true,
                ..Controls::default()
            },
        };
        controls.or(built)
    }
}

/// What makes segments one road: the same name or ref, or failing both the same way.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RoadKey {
    Named(String),
    Way(i64),
}

impl RoadKey {
    pub fn of(segment: &Segment, tags: &Tags) -> RoadKey {
        match tags.get("name").or_else(|| tags.get("ref")) {
            Some(name) => RoadKey::Named(name.to_owned()),
            None => RoadKey::Way(segment.way_id),
        }
    }
}

/// Furth's table for crossings without signals, with the speed limit in rows (up to 40, 50,
/// 60 km/h and above) and the lanes to cross in columns (up to 3, 4–5, 6 or more).
const WITHOUT_REFUGE: [[u8; 3]; 4] = [[1, 2, 4], [1, 2, 4], [2, 3, 4], [3, 4, 4]];
/// The same with a refuge island, which halves the crossing.
const WITH_REFUGE: [[u8; 3]; 4] = [[1, 1, 2], [1, 1, 2], [1, 2, 3], [2, 3, 4]];

/// The level for crossing `lanes` lanes at `kmh`, before signals and markings.
pub fn table_level(kmh: u32, lanes: u32, refuge: bool) -> Lts {
    let row = match kmh {
        0..=40 => 0,
        41..=50 => 1,
        51..=60 => 2,
        _ => 3,
    };
    let column = match lanes {
        0..=3 => 0,
        4..=5 => 1,
        _ => 2,
    };
    let table = if refuge { &WITH_REFUGE } else { &WITHOUT_REFUGE };
    lts_of(table[row][column])
}

fn lts_of(level: u8) -> Lts {
    match level {
        1 => Lts::One,
        2 => Lts::Two,
        3 => Lts::Three,
        _ => Lts::Four,
    }
}

/// How the crossing point itself is equipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Controls {
    pub signals: bool,
    pub refuge: bool,
    pub marked: bool,
}

impl Controls {
    fn read(tags: &Tags) -> Controls {
        Controls {
            signals: tags.is("highway", &["traffic_signals"])
                || tags.is("crossing", &["traffic_signals"])
                || tags.is("crossing:signals", &["yes"]),
            refuge: tags.is("crossing:island", &["yes"]) || tags.is("traffic_calming", &["island"]),
            marked: tags.is("crossing", &["zebra", "marked", "uncontrolled"])
                || tags.is("crossing_ref", &["zebra"])
                || tags.is("crossing:markings", &["yes", "zebra"]),
        }
    }

    pub fn or(self, other: Controls) -> Controls {
        Controls {
            signals: self.signals || other.signals,
            refuge: self.refuge || other.refuge,
            marked: self.marked || other.marked,
        }
    }
}

/// The stress of crossing a road with these tags at a point with these controls.
pub fn classify(road: &Tags, built_up: Option<&BuiltUp>, controls: Controls, profile: &Profile) -> (Lts, Vec<Reason>) {
    let (kmh, source, unreadable) = speed(road, built_up, profile);
    let (lanes, assumed) = total_lanes(road, profile);
    let mut reasons = vec![
        Reason::Crosses {
            class: road.get("highway").unwrap_or("road").to_owned(),
            name: road.get("name").or_else(|| road.get("ref")).map(str::to_owned),
        },
        Reason::Speed { kmh, source },
        Reason::LanesToCross { lanes, assumed },
    ];
    reasons.extend(unreadable);
    if controls.signals {
        reasons.push(Reason::TrafficSignals);
        return (Lts::One, reasons);
    }
    let mut level = table_level(kmh, lanes, controls.refuge);
    if controls.refuge {
        reasons.push(Reason::RefugeIsland);
    }
    if controls.marked {
        reasons.push(Reason::MarkedCrossing);
        level = lts_of(level.number().saturating_sub(1).max(1));
    }
    (level, reasons)
}

/// The crossing at every vertex, or `None` where nothing is crossed. `built_up` says, for each
/// segment, whether it runs through a built-up area.
pub fn crossings(
    graph: &StreetGraph,
    osm: &OsmData,
    built_up: &[Option<BuiltUp>],
    profile: &Profile,
) -> Vec<Option<Crossing>> {
    let tags_of = |s: u32| &osm.ways[graph.segments[s as usize].way_index].tags;
    // Each vertex is read on its own, so on every core.
    incident_segments(graph)
        .par_iter()
        .enumerate()
        .map(|(vertex, segments)| crossing_at(graph, osm, built_up, profile, vertex as u32, segments, &tags_of))
        .collect()
}

/// The segments that end at each vertex.
pub fn incident_segments(graph: &StreetGraph) -> Vec<Vec<u32>> {
    let mut incident: Vec<Vec<u32>> = vec![Vec::new(); graph.vertex_count()];
    for (index, segment) in graph.segments.iter().enumerate() {
        incident[segment.from as usize].push(index as u32);
        if segment.to != segment.from {
            incident[segment.to as usize].push(index as u32);
        }
    }
    incident
}

/// The crossing at one vertex, given the segments that end there and each segment's tags
/// (a scenario may change them).
pub fn crossing_at<'t>(
    graph: &StreetGraph,
    osm: &OsmData,
    built_up: &[Option<BuiltUp>],
    profile: &Profile,
    vertex: u32,
    segments: &[u32],
    tags_of: &dyn Fn(u32) -> &'t Tags,
) -> Option<Crossing> {
    if segments.len() < 3 {
        return None;
    }
    // Each segment's road, and whether it carries motor traffic, read once.
    let roads: Vec<(u32, bool, RoadKey)> = segments
        .iter()
        .map(|&s| {
            let tags = tags_of(s);
            (
                s,
                tags.is("highway", MOTOR_ROADS),
                RoadKey::of(&graph.segments[s as usize], tags),
            )
        })
        .collect();
    // The controls at the vertex, and at nodes next to it on its segments.
    let node = graph.vertex_nodes[vertex as usize];
    let here = graph.vertex_coords[vertex as usize];
    let mut controls = osm.tags_of_node(node).map(Controls::read).unwrap_or_default();
    for &s in segments {
        let nodes = &graph.segments[s as usize].nodes;
        let neighbour = if nodes[0] == node {
            nodes.get(1)
        } else {
            nodes.iter().rev().nth(1)
        };
        if let Some(&n) = neighbour
            && let (Some(tags), Some(at)) = (osm.tags_of_node(n), osm.coord(n))
            && haversine_m(here, at) <= SIGNAL_REACH_M
        {
            controls = controls.or(Controls {
                signals: Controls::read(tags).signals,
                ..Controls::default()
            });
        }
    }
    // Roads through the vertex; the one hardest to cross is the one crossed.
    let mut worst: Option<Crossing> = None;
    for (s, _, key) in roads.iter().filter(|(_, motor, _)| *motor) {
        let through = roads.iter().filter(|(_, motor, other)| *motor && other == key).count() >= 2;
        let crossed_by_others = roads.iter().any(|(_, _, other)| other != key);
        if !through || !crossed_by_others {
            continue;
        }
        let (lts, reasons) = classify(tags_of(*s), built_up[*s as usize].as_ref(), controls, profile);
        if worst.as_ref().is_none_or(|w| lts > w.lts) {
            worst = Some(Crossing {
                lts,
                reasons,
                road: key.clone(),
                through: *s,
                controls,
            });
        }
    }
    worst
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(pairs: &[(&str, &str)]) -> Tags {
        pairs.iter().copied().collect()
    }

    /// Every cell of both tables.
    #[test]
    fn the_crossing_tables() {
        let speeds = [30, 50, 60, 70];
        let lanes = [2, 4, 6];
        for (row, kmh) in speeds.iter().enumerate() {
            for (column, n) in lanes.iter().enumerate() {
                assert_eq!(table_level(*kmh, *n, false).number(), WITHOUT_REFUGE[row][column]);
                assert_eq!(table_level(*kmh, *n, true).number(), WITH_REFUGE[row][column]);
            }
        }
        assert_eq!(table_level(90, 2, false), Lts::Three);
        assert_eq!(table_level(50, 4, false), Lts::Two);
        assert_eq!(table_level(50, 6, true), Lts::Two);
    }

    #[test]
    fn signals_make_any_crossing_easy_and_markings_help_by_one_level() {
        let profile = Profile::latvia();
        let road = tags(&[
            ("highway", "primary"),
            ("maxspeed", "70"),
            ("lanes", "4"),
            ("name", "Rīgas iela"),
        ]);
        let plain = classify(&road, None, Controls::default(), &profile);
        assert_eq!(plain.0, Lts::Four);
        assert_eq!(plain.1[0].to_string(), "crosses Rīgas iela (primary)");
        let signals = Controls {
            signals: true,
            ..Controls::default()
        };
        assert_eq!(classify(&road, None, signals, &profile).0, Lts::One);
        assert!(
            classify(&road, None, signals, &profile)
                .1
                .contains(&Reason::TrafficSignals)
        );
        let marked = Controls {
            marked: true,
            ..Controls::default()
        };
        assert_eq!(classify(&road, None, marked, &profile).0, Lts::Three);
        let residential = tags(&[("highway", "residential")]);
        assert_eq!(classify(&residential, None, marked, &profile).0, Lts::One);
    }

    #[test]
    fn controls_are_read_from_the_usual_tags() {
        assert!(Controls::read(&tags(&[("highway", "traffic_signals")])).signals);
        assert!(Controls::read(&tags(&[("crossing", "traffic_signals")])).signals);
        assert!(Controls::read(&tags(&[("crossing:island", "yes")])).refuge);
        assert!(Controls::read(&tags(&[("crossing", "zebra")])).marked);
        assert_eq!(Controls::read(&tags(&[("highway", "stop")])), Controls::default());
    }
}
