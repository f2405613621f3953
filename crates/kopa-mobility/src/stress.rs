//! Level of Traffic Stress for each direction of a segment, with the reasons that decide it.
//! Four levels after Furth (2017), from 1 (suitable for children) to 4 (only the strong and
//! fearless), and the binary low/high stress of the PeopleForBikes Bicycle Network Analysis.
//! Missing tags take their defaults from a [`Profile`], a data file per country.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

use crate::graph::bicycle_may_use;
use crate::osm::Tags;

/// Defaults for one country, read from TOML (see `profiles/lv.toml`).
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
pub struct Profile {
    pub name: String,
    pub country: String,
    pub speeds: Speeds,
    pub maxspeed_zones: BTreeMap<String, u32>,
    pub urban_classes: Vec<String>,
    #[serde(default)]
    pub default_lanes: BTreeMap<String, u32>,
    pub population: crate::population::Parameters,
    pub connectivity: crate::score::Parameters,
    pub destinations: Vec<crate::destinations::DestinationKind>,
}

#[derive(Debug, Clone, Copy, PartialEq, Deserialize, serde::Serialize)]
pub struct Speeds {
    pub urban: u32,
    pub rural: u32,
    pub living_street: u32,
}

#[derive(Debug, thiserror::Error)]
#[error("the country profile is not valid: {0}")]
pub struct BadProfile(String);

impl Profile {
    /// The Latvian profile, the default.
    pub fn latvia() -> Profile {
        Profile::from_toml(include_str!("../profiles/lv.toml"))
            .unwrap_or_else(|_| unreachable!("lv.toml is checked by the tests"))
    }

    pub fn from_toml(text: &str) -> Result<Profile, BadProfile> {
        let profile: Profile = toml::from_str(text).map_err(|e| BadProfile(e.to_string()))?;
        for (name, value) in [
            ("urban", profile.speeds.urban),
            ("rural", profile.speeds.rural),
            ("living_street", profile.speeds.living_street),
        ] {
            if value == 0 || value > 200 {
                return Err(BadProfile(format!(
                    "speeds.{name} = {value} km/h is not a plausible limit"
                )));
            }
        }
        profile.population.check().map_err(BadProfile)?;
        profile.connectivity.check().map_err(BadProfile)?;
        for kind in &profile.destinations {
            kind.check().map_err(BadProfile)?;
        }
        Ok(profile)
    }
}

/// The levels; `NotAllowed` where a bicycle may not ride.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lts {
    NotAllowed = 0,
    One = 1,
    Two = 2,
    Three = 3,
    Four = 4,
}

impl Lts {
    pub fn number(self) -> u8 {
        self as u8
    }

    /// BNA's threshold on the four levels: 1 and 2 are low stress.
    pub fn is_low_stress(self) -> bool {
        matches!(self, Lts::One | Lts::Two)
    }
}

/// Which levels count as low stress when measuring connectivity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
pub enum LowStressRule {
    /// Only level 1: suitable for children.
    #[serde(rename = "lts1")]
    Lts1,
    /// Levels 1 and 2: the mainstream adult, and BNA's threshold on the four levels.
    #[serde(rename = "lts2")]
    UpToLts2,
    /// BNA's own binary classification of segments; crossings at levels 1 and 2.
    #[serde(rename = "bna")]
    Bna,
}

impl LowStressRule {
    pub fn accepts_segment(self, stress: &Stress) -> bool {
        match self {
            LowStressRule::Lts1 => stress.lts == Lts::One,
            LowStressRule::UpToLts2 => stress.lts.is_low_stress(),
            LowStressRule::Bna => stress.bna_low_stress,
        }
    }

    pub fn accepts_crossing(self, lts: Lts) -> bool {
        match self {
            LowStressRule::Lts1 => lts == Lts::One,
            LowStressRule::UpToLts2 | LowStressRule::Bna => lts.is_low_stress(),
        }
    }
}

/// Where a speed came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpeedSource {
    Tagged,
    Zone(String),
    UrbanDefault,
    RuralDefault,
    LivingStreetDefault,
}

/// Why a segment has its level: each says one fact that mattered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    NotAllowed,
    SeparatedPath,
    SharedPath,
    Track,
    LivingStreet,
    BicycleStreet,
    SeparatedTrackAlongside,
    PaintedLane,
    MixedTraffic,
    Speed {
        kmh: u32,
        source: SpeedSource,
    },
    LanesPerDirection {
        lanes: u32,
        assumed: bool,
    },
    Class(String),
    /// At a crossing: the road crossed, by class and name.
    Crosses {
        class: String,
        name: Option<String>,
    },
    LanesToCross {
        lanes: u32,
        assumed: bool,
    },
    TrafficSignals,
    RefugeIsland,
    MarkedCrossing,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::NotAllowed => f.write_str("bicycles may not ride here"),
            Reason::SeparatedPath => f.write_str("separated bicycle path"),
            Reason::SharedPath => f.write_str("path away from motor traffic, shared with pedestrians"),
            Reason::Track => f.write_str("track with almost no motor traffic"),
            Reason::LivingStreet => f.write_str("living street"),
            Reason::BicycleStreet => f.write_str("bicycle street"),
            Reason::SeparatedTrackAlongside => f.write_str("separated cycle track alongside the road"),
            Reason::PaintedLane => f.write_str("painted bicycle lane"),
            Reason::MixedTraffic => f.write_str("no bicycle infrastructure: riding in mixed traffic"),
            Reason::Speed { kmh, source } => match source {
                SpeedSource::Tagged => write!(f, "speed limit {kmh} km/h"),
                SpeedSource::Zone(zone) => write!(f, "speed limit {kmh} km/h ({zone})"),
                SpeedSource::UrbanDefault => write!(f, "speed limit {kmh} km/h assumed (built-up area default)"),
                SpeedSource::RuralDefault => write!(f, "speed limit {kmh} km/h assumed (outside built-up areas)"),
                SpeedSource::LivingStreetDefault => write!(f, "speed limit {kmh} km/h assumed (living street)"),
            },
            Reason::LanesPerDirection { lanes, assumed: false } => write!(f, "{lanes} motor lane(s) in this direction"),
            Reason::LanesPerDirection { lanes, assumed: true } => {
                write!(f, "{lanes} motor lane(s) in this direction assumed")
            }
            Reason::Class(class) => write!(f, "street class {class}"),
            Reason::Crosses {
                class,
                name: Some(name),
            } => write!(f, "crosses {name} ({class})"),
            Reason::Crosses { class, name: None } => write!(f, "crosses a {class} road"),
            Reason::LanesToCross { lanes, assumed: false } => write!(f, "{lanes} motor lane(s) to cross"),
            Reason::LanesToCross { lanes, assumed: true } => write!(f, "{lanes} motor lane(s) to cross assumed"),
            Reason::TrafficSignals => f.write_str("traffic signals"),
            Reason::RefugeIsland => f.write_str("refuge island in the middle"),
            Reason::MarkedCrossing => f.write_str("marked (zebra) crossing"),
        }
    }
}

/// A level and its reasons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stress {
    pub lts: Lts,
    pub reasons: Vec<Reason>,
    /// BNA's binary classification: low stress or not.
    pub bna_low_stress: bool,
}

impl Stress {
    fn new(lts: Lts, reasons: Vec<Reason>, bna_low_stress: bool) -> Stress {
        Stress {
            lts,
            reasons,
            bna_low_stress,
        }
    }
}

/// Parses `maxspeed`: plain km/h, "30 mph", or a zone from the profile.
pub(crate) fn speed(tags: &Tags, profile: &Profile) -> (u32, SpeedSource) {
    let highway = tags.get("highway").unwrap_or_default();
    if let Some(value) = tags.get("maxspeed") {
        let value = value.trim();
        if let Ok(kmh) = value.parse::<u32>() {
            return (kmh, SpeedSource::Tagged);
        }
        if let Some(mph) = value.strip_suffix("mph").and_then(|v| v.trim().parse::<f64>().ok()) {
            return ((mph * 1.609_344).round() as u32, SpeedSource::Tagged);
        }
        if let Some(kmh) = profile.maxspeed_zones.get(value) {
            return (*kmh, SpeedSource::Zone(value.to_owned()));
        }
    }
    for key in ["maxspeed:type", "source:maxspeed", "zone:maxspeed", "zone:traffic"] {
        if let Some(zone) = tags.get(key)
            && let Some(kmh) = profile.maxspeed_zones.get(zone)
        {
            return (*kmh, SpeedSource::Zone(zone.to_owned()));
        }
    }
    if highway == "living_street" {
        return (profile.speeds.living_street, SpeedSource::LivingStreetDefault);
    }
    if profile.urban_classes.iter().any(|c| c == highway) {
        (profile.speeds.urban, SpeedSource::UrbanDefault)
    } else {
        (profile.speeds.rural, SpeedSource::RuralDefault)
    }
}

/// Motor lanes in the direction of travel.
fn lanes_per_direction(tags: &Tags, profile: &Profile, oneway: bool, forward: bool) -> (u32, bool) {
    let directional = if forward { "lanes:forward" } else { "lanes:backward" };
    if let Some(lanes) = tags.get(directional).and_then(|v| v.parse::<u32>().ok()) {
        return (lanes.max(1), false);
    }
    if let Some(lanes) = tags.get("lanes").and_then(|v| v.parse::<u32>().ok()) {
        return (if oneway { lanes.max(1) } else { lanes.div_ceil(2).max(1) }, false);
    }
    // Untagged: half the class's usual total, whether one-way or not (a one-way street is
    // usually one of a pair, or a single lane).
    let highway = tags.get("highway").unwrap_or_default();
    let total = profile.default_lanes.get(highway).copied().unwrap_or(2);
    (total.div_ceil(2).max(1), true)
}

/// Motor lanes in both directions together, and whether that was assumed.
pub(crate) fn total_lanes(tags: &Tags, profile: &Profile) -> (u32, bool) {
    if let Some(lanes) = tags.get("lanes").and_then(|v| v.parse::<u32>().ok()) {
        return (lanes.max(1), false);
    }
    let highway = tags.get("highway").unwrap_or_default();
    (profile.default_lanes.get(highway).copied().unwrap_or(2), true)
}

/// Whether the side a bicycle rides on in this direction has a lane of `kind`.
/// Traffic keeps right: forward rides on the right, backward on the left.
fn side_has(tags: &Tags, forward: bool, kinds: &[&str]) -> bool {
    let side = if forward { "cycleway:right" } else { "cycleway:left" };
    tags.is("cycleway", kinds) || tags.is("cycleway:both", kinds) || tags.is(side, kinds)
}

const LOCAL: &[&str] = &["residential", "service", "living_street", "road", "unclassified"];

/// The stress of riding one direction of a way with these tags.
pub fn classify(tags: &Tags, profile: &Profile, forward: bool) -> Stress {
    use Lts::*;
    if !bicycle_may_use(tags) {
        return Stress::new(NotAllowed, vec![Reason::NotAllowed], false);
    }
    let highway = tags.get("highway").unwrap_or_default();
    let designated = tags.is("bicycle", &["designated"]);
    if highway == "cycleway" || (matches!(highway, "path" | "footway" | "pedestrian" | "bridleway") && designated) {
        return Stress::new(One, vec![Reason::SeparatedPath], true);
    }
    if matches!(highway, "path" | "footway" | "pedestrian" | "bridleway" | "steps") {
        return Stress::new(One, vec![Reason::SharedPath], true);
    }
    if highway == "track" {
        return Stress::new(One, vec![Reason::Track], true);
    }
    if tags.is("cyclestreet", &["yes"]) || tags.is("bicycle_road", &["yes"]) {
        return Stress::new(One, vec![Reason::BicycleStreet], true);
    }
    let (kmh, source) = speed(tags, profile);
    let speed_reason = Reason::Speed { kmh, source };
    if highway == "living_street" {
        return Stress::new(One, vec![Reason::LivingStreet, speed_reason], true);
    }
    if side_has(tags, forward, &["track", "separate"]) {
        return Stress::new(One, vec![Reason::SeparatedTrackAlongside], true);
    }
    let oneway = tags.is("oneway", &["yes", "true", "1", "-1"]) || tags.is("junction", &["roundabout", "circular"]);
    let (lanes, assumed) = lanes_per_direction(tags, profile, oneway, forward);
    let lanes_reason = Reason::LanesPerDirection { lanes, assumed };
    let local = LOCAL.contains(&highway);

    if side_has(tags, forward, &["lane", "buffered_lane"]) {
        let lts = match (lanes, kmh) {
            (1, ..=30) => One,
            (1, ..=50) => Two,
            (1, ..=60) => Three,
            (2, ..=50) => Three,
            _ => Four,
        };
        let bna = lanes <= 1 && kmh <= 48;
        return Stress::new(lts, vec![Reason::PaintedLane, speed_reason, lanes_reason], bna);
    }

    let lts = match (lanes, kmh) {
        (_, ..=20) => One,
        (1, ..=30) if local => One,
        (1, ..=30) if highway.starts_with("tertiary") => Two,
        (1, ..=30) => Three,
        (1, ..=50) if matches!(highway, "residential" | "service" | "road") => Two,
        (1, ..=50) => Three,
        (2, ..=40) => Three,
        _ => Four,
    };
    let bna = kmh <= 40 && lanes <= 1 && (local || highway.starts_with("tertiary"));
    Stress::new(
        lts,
        vec![
            Reason::MixedTraffic,
            speed_reason,
            lanes_reason,
            Reason::Class(highway.to_owned()),
        ],
        bna,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lts(pairs: &[(&str, &str)]) -> (u8, bool) {
        let tags: Tags = pairs.iter().copied().collect();
        let stress = classify(&tags, &Profile::latvia(), true);
        (stress.lts.number(), stress.bna_low_stress)
    }

    #[test]
    fn the_latvian_profile_loads_with_its_defaults() {
        let profile = Profile::latvia();
        assert_eq!(
            (profile.speeds.urban, profile.speeds.rural, profile.speeds.living_street),
            (50, 90, 20)
        );
        assert_eq!(profile.maxspeed_zones.get("LV:rural"), Some(&90));
    }

    #[test]
    fn a_profile_with_an_implausible_speed_is_refused() {
        let text = include_str!("../profiles/lv.toml").replace("urban = 50", "urban = 0");
        assert!(
            Profile::from_toml(&text)
                .unwrap_err()
                .to_string()
                .contains("speeds.urban")
        );
        assert!(Profile::from_toml("name = 1").is_err());
    }

    /// Every row of the rules: tags → (level, BNA low stress).
    #[test]
    fn the_rule_table() {
        type Row = (&'static [(&'static str, &'static str)], (u8, bool));
        let rows: &[Row] = &[
            (&[("highway", "motorway")], (0, false)),
            (&[("highway", "residential"), ("bicycle", "no")], (0, false)),
            (&[("highway", "cycleway")], (1, true)),
            (&[("highway", "footway"), ("bicycle", "designated")], (1, true)),
            (&[("highway", "footway"), ("bicycle", "yes")], (1, true)),
            (&[("highway", "track")], (1, true)),
            (&[("highway", "residential"), ("cyclestreet", "yes")], (1, true)),
            (&[("highway", "living_street")], (1, true)),
            (&[("highway", "primary"), ("cycleway:right", "track")], (1, true)),
            (
                &[("highway", "secondary"), ("maxspeed", "30"), ("cycleway", "lane")],
                (1, true),
            ),
            (
                &[("highway", "secondary"), ("maxspeed", "50"), ("cycleway", "lane")],
                (2, false),
            ),
            (
                &[("highway", "secondary"), ("maxspeed", "40"), ("cycleway", "lane")],
                (2, true),
            ),
            (
                &[("highway", "primary"), ("maxspeed", "60"), ("cycleway", "lane")],
                (3, false),
            ),
            (
                &[
                    ("highway", "primary"),
                    ("maxspeed", "50"),
                    ("lanes", "4"),
                    ("cycleway", "lane"),
                ],
                (3, false),
            ),
            (
                &[("highway", "primary"), ("maxspeed", "70"), ("cycleway", "lane")],
                (4, false),
            ),
            (&[("highway", "residential"), ("maxspeed", "20")], (1, true)),
            (&[("highway", "residential"), ("maxspeed", "30")], (1, true)),
            (&[("highway", "tertiary"), ("maxspeed", "30")], (2, true)),
            (&[("highway", "secondary"), ("maxspeed", "30")], (3, false)),
            (&[("highway", "residential")], (2, false)),
            (&[("highway", "unclassified")], (3, false)),
            (&[("highway", "primary"), ("maxspeed", "50")], (3, false)),
            (
                &[("highway", "primary"), ("maxspeed", "40"), ("lanes", "4")],
                (3, false),
            ),
            (
                &[("highway", "primary"), ("maxspeed", "50"), ("lanes", "4")],
                (4, false),
            ),
            (&[("highway", "primary")], (4, false)),
            (
                &[("highway", "residential"), ("maxspeed", "LV:living_street")],
                (1, true),
            ),
            (&[("highway", "tertiary"), ("maxspeed", "LV:rural")], (4, false)),
            (&[("highway", "residential"), ("maxspeed", "15 mph")], (1, true)),
            (&[("highway", "residential"), ("maxspeed", "20 mph")], (2, true)),
        ];
        for (tags, expected) in rows {
            assert_eq!(lts(tags), *expected, "{tags:?}");
        }
    }

    #[test]
    fn reasons_say_where_the_speed_came_from() {
        let tags: Tags = [("highway", "residential")].into_iter().collect();
        let stress = classify(&tags, &Profile::latvia(), true);
        let text: Vec<String> = stress.reasons.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "no bicycle infrastructure: riding in mixed traffic",
                "speed limit 50 km/h assumed (built-up area default)",
                "1 motor lane(s) in this direction assumed",
                "street class residential"
            ]
        );
        let zone: Tags = [("highway", "tertiary"), ("maxspeed", "LV:rural")]
            .into_iter()
            .collect();
        assert!(
            classify(&zone, &Profile::latvia(), true)
                .reasons
                .contains(&Reason::Speed {
                    kmh: 90,
                    source: SpeedSource::Zone("LV:rural".into())
                })
        );
    }

    #[test]
    fn a_lane_on_one_side_serves_only_that_direction() {
        let tags: Tags = [("highway", "secondary"), ("maxspeed", "50"), ("cycleway:right", "lane")]
            .into_iter()
            .collect();
        assert_eq!(classify(&tags, &Profile::latvia(), true).lts, Lts::Two);
        assert_eq!(classify(&tags, &Profile::latvia(), false).lts, Lts::Three);
    }
}
