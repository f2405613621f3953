//! Level of Traffic Stress for each direction of a segment, with the reasons that decide it.
//! Four levels after Furth (2017), from 1 (suitable for children) to 4 (only the strong and
//! fearless), and the binary low/high stress of the PeopleForBikes Bicycle Network Analysis.
//! Missing tags take their defaults from a [`Profile`], a data file per country.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

use crate::built_up::BuiltUp;
use crate::graph::bicycle_may_use;
use crate::osm::Tags;

/// Defaults for one country, read from TOML: the shared defaults (`profiles/defaults.toml`)
/// with what the country's file (`profiles/lv.toml`) sets in their place.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
pub struct Profile {
    pub name: String,
    pub country: String,
    pub speeds: Speeds,
    #[serde(default)]
    pub maxspeed_zones: BTreeMap<String, u32>,
    pub urban_classes: Vec<String>,
    pub built_up: crate::built_up::Rule,
    #[serde(default)]
    pub default_lanes: BTreeMap<String, u32>,
    pub population: crate::population::Parameters,
    pub connectivity: crate::score::Parameters,
    pub destinations: Vec<crate::destinations::DestinationKind>,
    pub where_to_act: crate::candidates::Parameters,
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

/// The profiles built in, by file: what a coordinator chooses from.
const BUILT_IN: &[&str] = &[include_str!("../profiles/lv.toml"), include_str!("../profiles/li.toml")];

/// What every profile starts from.
const DEFAULTS: &str = include_str!("../profiles/defaults.toml");

impl Profile {
    /// The Latvian profile, the default.
    pub fn latvia() -> Profile {
        Profile::built_in().swap_remove(0)
    }

    /// The profiles built in, the default first.
    pub fn built_in() -> Vec<Profile> {
        static READ: std::sync::LazyLock<Vec<Profile>> = std::sync::LazyLock::new(|| {
            BUILT_IN
                .iter()
                .map(|text| Profile::from_toml(text).unwrap_or_else(|e| unreachable!("a built-in profile: {e}")))
                .collect()
        });
        READ.clone()
    }

    /// A built-in profile by its name, as an analysis records it.
    pub fn named(name: &str) -> Option<Profile> {
        Profile::built_in().into_iter().find(|p| p.name == name)
    }

    /// A country's profile: the shared defaults, with each value the text sets in their place
    /// (tables merged key by key, anything else replaced).
    pub fn from_toml(text: &str) -> Result<Profile, BadProfile> {
        let mut merged: toml::Table = toml::from_str(DEFAULTS).map_err(|e| BadProfile(e.to_string()))?;
        let country: toml::Table = toml::from_str(text).map_err(|e| BadProfile(e.to_string()))?;
        merge(&mut merged, country);
        let profile: Profile = merged
            .try_into()
            .map_err(|e: toml::de::Error| BadProfile(e.to_string()))?;
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
        profile.built_up.check().map_err(BadProfile)?;
        profile.population.check().map_err(BadProfile)?;
        profile.connectivity.check().map_err(BadProfile)?;
        profile.where_to_act.check().map_err(BadProfile)?;
        for kind in &profile.destinations {
            kind.check().map_err(BadProfile)?;
        }
        Ok(profile)
    }
}

/// Sets each value of `over` in `base`, merging tables key by key.
fn merge(base: &mut toml::Table, over: toml::Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(below)), toml::Value::Table(above)) => merge(below, above),
            (_, value) => {
                base.insert(key, value);
            }
        }
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
    /// Tagged in miles an hour; rounded to the nearest 5 km/h, as limits are posted.
    Mph(u32),
    /// Several values (`50;30`): the highest counts.
    Highest(String),
    /// A zone the profile lists with its speed.
    Zone(String),
    /// Another country's zone (`DE:urban`), read by its kind with this profile's default.
    ZoneKind {
        zone: String,
        kind: ZoneKind,
    },
    /// `maxspeed=none`: no limit, taken as the rural default at least.
    NoLimit,
    /// The class usually runs inside built-up areas.
    UrbanDefault,
    /// Another class, found to run through a built-up area.
    BuiltUpDefault(BuiltUp),
    RuralDefault,
    LivingStreetDefault,
}

/// The kinds of speed zone OpenStreetMap's `XX:kind` values name in every country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoneKind {
    Urban,
    Rural,
    LivingStreet,
    /// `XX:zone30`, `XX:zone:30`: a zone with its number.
    Numbered(u32),
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
    /// A tag whose value Kopa cannot read: a default was assumed in its place.
    Unreadable {
        key: String,
        value: String,
    },
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
                SpeedSource::Mph(mph) => write!(f, "speed limit {mph} mph (about {kmh} km/h)"),
                SpeedSource::Highest(values) => write!(f, "speed limit {kmh} km/h, the highest of {values}"),
                SpeedSource::Zone(zone) => write!(f, "speed limit {kmh} km/h ({zone})"),
                SpeedSource::ZoneKind { zone, kind } => match kind {
                    ZoneKind::Urban => write!(f, "speed limit {kmh} km/h assumed ({zone}: the built-up area default)"),
                    ZoneKind::Rural => write!(
                        f,
                        "speed limit {kmh} km/h assumed ({zone}: the default outside built-up areas)"
                    ),
                    ZoneKind::LivingStreet => {
                        write!(f, "speed limit {kmh} km/h assumed ({zone}: the living street default)")
                    }
                    ZoneKind::Numbered(_) => write!(f, "speed limit {kmh} km/h ({zone})"),
                },
                SpeedSource::NoLimit => write!(
                    f,
                    "no speed limit (maxspeed=none): taken as {kmh} km/h, the rural default"
                ),
                SpeedSource::UrbanDefault => write!(f, "speed limit {kmh} km/h assumed (built-up area default)"),
                SpeedSource::BuiltUpDefault(BuiltUp::Inside(area)) => {
                    write!(
                        f,
                        "speed limit {kmh} km/h assumed (built-up area default: inside {area})"
                    )
                }
                SpeedSource::BuiltUpDefault(BuiltUp::Buildings { count, within_m }) => write!(
                    f,
                    "speed limit {kmh} km/h assumed (built-up area default: {count} or more buildings within {within_m} m)"
                ),
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
            Reason::Unreadable { key, value } => write!(f, "{key}={value:?} cannot be read: a default was assumed"),
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

/// A speed limit as tagged: what it says, or that it cannot be read.
enum Tagged {
    Speed(u32, SpeedSource),
    Unreadable,
}

/// Reads one `maxspeed` value: km/h (`50`, `50 km/h`), mph (`20 mph`), several (`50;30`),
/// `none`, or a zone (`LV:urban`, `DE:zone30`).
fn read_maxspeed(value: &str, profile: &Profile) -> Tagged {
    let value = value.trim();
    if value.contains(';') {
        let mut highest = None;
        for part in value.split(';') {
            match read_maxspeed(part, profile) {
                Tagged::Speed(kmh, _) => highest = highest.max(Some(kmh)),
                Tagged::Unreadable => return Tagged::Unreadable,
            }
        }
        return match highest {
            Some(kmh) => Tagged::Speed(kmh, SpeedSource::Highest(value.to_owned())),
            None => Tagged::Unreadable,
        };
    }
    if value == "none" {
        return Tagged::Speed(profile.speeds.rural, SpeedSource::NoLimit);
    }
    if let Some(mph) = value.strip_suffix("mph").and_then(|v| v.trim().parse::<f64>().ok()) {
        let kmh = ((mph * 1.609_344 / 5.0).round() * 5.0) as u32;
        return plausible(kmh, SpeedSource::Mph(mph.round() as u32));
    }
    let number = ["km/h", "kmh", "kph"]
        .iter()
        .find_map(|unit| value.strip_suffix(unit))
        .unwrap_or(value)
        .trim();
    if let Ok(kmh) = number.parse::<f64>() {
        return plausible(kmh.round() as u32, SpeedSource::Tagged);
    }
    read_zone(value, profile).map_or(Tagged::Unreadable, |(kmh, source)| Tagged::Speed(kmh, source))
}

/// A limit of 0, or above any road's, is a mistake in the data, not a speed.
fn plausible(kmh: u32, source: SpeedSource) -> Tagged {
    if (1..=200).contains(&kmh) {
        Tagged::Speed(kmh, source)
    } else {
        Tagged::Unreadable
    }
}

/// A zone value: one the profile lists, or any country's `XX:urban`, `XX:rural`,
/// `XX:living_street` and `XX:zone30`, read by its kind with this profile's speeds.
fn read_zone(value: &str, profile: &Profile) -> Option<(u32, SpeedSource)> {
    if let Some(kmh) = profile.maxspeed_zones.get(value) {
        return Some((*kmh, SpeedSource::Zone(value.to_owned())));
    }
    let (country, kind) = value.split_once(':')?;
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let kind = match kind {
        "urban" => ZoneKind::Urban,
        "rural" => ZoneKind::Rural,
        "living_street" | "zone:living_street" => ZoneKind::LivingStreet,
        numbered => {
            let digits = numbered.strip_prefix("zone")?.trim_start_matches(':');
            ZoneKind::Numbered(digits.parse().ok().filter(|kmh| (1..=200).contains(kmh))?)
        }
    };
    let kmh = match kind {
        ZoneKind::Urban => profile.speeds.urban,
        ZoneKind::Rural => profile.speeds.rural,
        ZoneKind::LivingStreet => profile.speeds.living_street,
        ZoneKind::Numbered(kmh) => kmh,
    };
    Some((
        kmh,
        SpeedSource::ZoneKind {
            zone: value.to_owned(),
            kind,
        },
    ))
}

/// The speed limit: `maxspeed`, else a zone tag, else the profile's default for the class, or
/// for a built-up area where `built_up` says the street runs through one. A value that cannot
/// be read is returned as a reason to show, and the default is used.
pub(crate) fn speed(tags: &Tags, built_up: Option<&BuiltUp>, profile: &Profile) -> (u32, SpeedSource, Option<Reason>) {
    let mut unreadable = None;
    if let Some(value) = tags.get("maxspeed") {
        match read_maxspeed(value, profile) {
            Tagged::Speed(kmh, source) => return (kmh, source, None),
            Tagged::Unreadable => {
                unreadable = Some(Reason::Unreadable {
                    key: "maxspeed".into(),
                    value: value.to_owned(),
                })
            }
        }
    }
    for key in ["maxspeed:type", "source:maxspeed", "zone:maxspeed", "zone:traffic"] {
        if let Some((kmh, source)) = tags.get(key).and_then(|zone| read_zone(zone, profile)) {
            return (kmh, source, unreadable);
        }
    }
    let highway = tags.get("highway").unwrap_or_default();
    let (kmh, source) = if highway == "living_street" {
        (profile.speeds.living_street, SpeedSource::LivingStreetDefault)
    } else if profile.urban_classes.iter().any(|c| c == highway) {
        (profile.speeds.urban, SpeedSource::UrbanDefault)
    } else if let Some(why) = built_up {
        (profile.speeds.urban, SpeedSource::BuiltUpDefault(why.clone()))
    } else {
        (profile.speeds.rural, SpeedSource::RuralDefault)
    };
    (kmh, source, unreadable)
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

/// What a bicycle riding in one direction has beside the road.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Beside {
    Nothing,
    Lane,
    Track,
}

/// Which way motor traffic may go: `Some(true)` forward only, `Some(false)` backward only.
fn motor_oneway(tags: &Tags) -> Option<bool> {
    match tags.get("oneway") {
        Some("yes" | "true" | "1") => Some(true),
        Some("-1" | "reverse") => Some(false),
        Some("no" | "false" | "0") => None,
        _ if tags.is("junction", &["roundabout", "circular"]) => Some(true),
        _ => None,
    }
}

/// The cycle lane or track that serves this direction, from `cycleway`, `cycleway:both`,
/// `cycleway:left` and `cycleway:right`. On a two-way road the right side serves forward and
/// the left backward (traffic keeps right); on a one-way road either side serves the way
/// traffic goes. `opposite_*` values and a side's `:oneway=-1` or `=no` serve the other way.
fn beside(tags: &Tags, forward: bool) -> Beside {
    let oneway = motor_oneway(tags);
    let with_traffic = oneway.is_none_or(|forward_only| forward_only == forward);
    let own_side = if forward { "cycleway:right" } else { "cycleway:left" };
    let mut best = Beside::Nothing;
    for (key, its_oneway) in [
        ("cycleway", "cycleway:oneway"),
        ("cycleway:both", "cycleway:both:oneway"),
        ("cycleway:left", "cycleway:left:oneway"),
        ("cycleway:right", "cycleway:right:oneway"),
    ] {
        let Some(value) = tags.get(key) else { continue };
        let kind = match value {
            "track" | "separate" | "opposite_track" => Beside::Track,
            "lane" | "buffered_lane" | "opposite_lane" => Beside::Lane,
            _ => continue,
        };
        let on_this_side = oneway.is_some() || !key.contains(':') || key == "cycleway:both" || key == own_side;
        let serves = if value.starts_with("opposite") {
            !with_traffic
        } else {
            match tags.get(its_oneway) {
                Some("no") => true,
                Some("-1") => !forward,
                Some("yes") => forward,
                _ => with_traffic && on_this_side,
            }
        };
        if serves {
            best = best.max(kind);
        }
    }
    best
}

const LOCAL: &[&str] = &["residential", "service", "living_street", "road", "unclassified"];

/// The stress of riding one direction of a way with these tags, where nothing is known of
/// its surroundings.
pub fn classify(tags: &Tags, profile: &Profile, forward: bool) -> Stress {
    classify_in(tags, None, profile, forward)
}

/// The stress of riding one direction of a way with these tags; `built_up` says whether, and
/// why, it runs through a built-up area.
pub fn classify_in(tags: &Tags, built_up: Option<&BuiltUp>, profile: &Profile, forward: bool) -> Stress {
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
    let (kmh, source, unreadable) = speed(tags, built_up, profile);
    let mut reasons: Vec<Reason> = unreadable.into_iter().collect();
    let speed_reason = Reason::Speed { kmh, source };
    if highway == "living_street" {
        reasons.splice(0..0, [Reason::LivingStreet, speed_reason]);
        return Stress::new(One, reasons, true);
    }
    let beside = beside(tags, forward);
    if beside == Beside::Track {
        return Stress::new(One, vec![Reason::SeparatedTrackAlongside], true);
    }
    let oneway = motor_oneway(tags).is_some();
    let (lanes, assumed) = lanes_per_direction(tags, profile, oneway, forward);
    let lanes_reason = Reason::LanesPerDirection { lanes, assumed };
    let local = LOCAL.contains(&highway);

    if beside == Beside::Lane {
        let lts = match (lanes, kmh) {
            (1, ..=30) => One,
            (1, ..=50) => Two,
            (1, ..=60) => Three,
            (2, ..=50) => Three,
            _ => Four,
        };
        let bna = lanes <= 1 && kmh <= 48;
        reasons.splice(0..0, [Reason::PaintedLane, speed_reason, lanes_reason]);
        return Stress::new(lts, reasons, bna);
    }

    // Furth's mixed-traffic table, with the street class standing in for traffic volume
    // (see the profile's notes on departures).
    let lts = match (lanes, kmh) {
        (_, ..=20) => One,
        (1, ..=30) if local => One,
        (1, ..=30) => Two,
        (1, ..=50) if local => Two,
        (1, ..=50) => Three,
        (_, ..=40) => Three,
        _ => Four,
    };
    let bna = kmh <= 40 && lanes <= 1 && (local || highway.starts_with("tertiary"));
    let class = Reason::Class(highway.to_owned());
    reasons.splice(0..0, [Reason::MixedTraffic, speed_reason, lanes_reason, class]);
    Stress::new(lts, reasons, bna)
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
    fn liechtensteins_profile_differs_from_latvias_only_where_its_traffic_rules_do() {
        let (latvia, liechtenstein) = (Profile::latvia(), Profile::named("Liechtenstein").unwrap());
        assert_eq!(liechtenstein.country, "LI");
        assert_eq!(
            (
                liechtenstein.speeds.urban,
                liechtenstein.speeds.rural,
                liechtenstein.speeds.living_street
            ),
            (50, 80, 20)
        );
        assert_eq!(liechtenstein.maxspeed_zones.get("LI:rural"), Some(&80));
        assert_eq!(liechtenstein.connectivity, latvia.connectivity, "the shared defaults");
        assert_eq!(liechtenstein.destinations, latvia.destinations);
        // An untagged rural secondary road is read at each country's own limit.
        let rural: Tags = [("highway", "secondary")].into_iter().collect();
        let reasons = |profile: &Profile| format!("{:?}", classify(&rural, profile, true).reasons);
        assert!(
            reasons(&liechtenstein).contains("kmh: 80"),
            "{}",
            reasons(&liechtenstein)
        );
        assert!(reasons(&latvia).contains("kmh: 90"), "{}", reasons(&latvia));
        assert_eq!(Profile::named("Atlantis"), None);
    }

    #[test]
    fn a_profile_sets_only_what_differs_from_the_defaults() {
        let text = "name = \"Testland\"\ncountry = \"TL\"\n[speeds]\nurban = 40\nrural = 70\nliving_street = 10\n[connectivity]\nbound_m = 2000\n";
        let profile = Profile::from_toml(text).unwrap();
        assert_eq!(profile.connectivity.bound_m, 2000.0);
        // The rest of the table it set is kept from the defaults.
        assert_eq!(
            profile.connectivity.detour_ratio,
            Profile::latvia().connectivity.detour_ratio
        );
        assert!(profile.maxspeed_zones.is_empty());
        let nameless = Profile::from_toml("[speeds]\nurban = 40\nrural = 70\nliving_street = 10\n");
        assert!(nameless.unwrap_err().to_string().contains("name"));
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
            // Departure 3: a painted lane is taken as wide enough and clear of parking.
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
            // Departure 2: a low-volume street is taken as unlaned.
            (&[("highway", "residential"), ("maxspeed", "30")], (1, true)),
            (&[("highway", "tertiary"), ("maxspeed", "30")], (2, true)),
            // Furth: one lane each way at up to 20 mph is LTS 2, whatever the class.
            (&[("highway", "secondary"), ("maxspeed", "30")], (2, false)),
            (&[("highway", "primary"), ("maxspeed", "30")], (2, false)),
            (&[("highway", "residential")], (2, false)),
            // Unclassified roads are minor roads: as residential streets at 31–50 km/h.
            (&[("highway", "unclassified")], (2, false)),
            // Departure 1: the class stands in for traffic volume, so a tertiary road at
            // 50 km/h is busier than Furth's low-volume row.
            (&[("highway", "tertiary"), ("maxspeed", "50")], (3, false)),
            (&[("highway", "primary"), ("maxspeed", "50")], (3, false)),
            (
                &[("highway", "primary"), ("maxspeed", "40"), ("lanes", "4")],
                (3, false),
            ),
            (
                &[("highway", "primary"), ("maxspeed", "50"), ("lanes", "4")],
                (4, false),
            ),
            // Furth: three or more lanes each way at up to 25 mph are LTS 3.
            (
                &[("highway", "primary"), ("maxspeed", "40"), ("lanes", "6")],
                (3, false),
            ),
            (
                &[("highway", "primary"), ("maxspeed", "30"), ("lanes:forward", "3")],
                (3, false),
            ),
            (&[("highway", "primary")], (4, false)),
            (
                &[("highway", "residential"), ("maxspeed", "LV:living_street")],
                (1, true),
            ),
            (&[("highway", "tertiary"), ("maxspeed", "LV:rural")], (4, false)),
            (&[("highway", "residential"), ("maxspeed", "15 mph")], (1, true)),
            // Departure 4: 20 mph is posted where 30 km/h would be: rounded to 5 km/h, it meets that breakpoint.
            (&[("highway", "residential"), ("maxspeed", "20 mph")], (1, true)),
            (&[("highway", "residential"), ("maxspeed", "30 mph")], (2, false)),
            // Other countries' zones, by their kind.
            (&[("highway", "primary"), ("maxspeed", "DE:urban")], (3, false)),
            (&[("highway", "secondary"), ("maxspeed", "FI:urban")], (3, false)),
            (&[("highway", "tertiary"), ("maxspeed", "DE:rural")], (4, false)),
            (&[("highway", "residential"), ("maxspeed", "DE:zone30")], (1, true)),
            (&[("highway", "residential"), ("maxspeed", "CH:zone:30")], (1, true)),
            (&[("highway", "primary"), ("zone:traffic", "DE:urban")], (3, false)),
            (&[("highway", "primary"), ("source:maxspeed", "AT:urban")], (3, false)),
            (&[("highway", "primary"), ("maxspeed:type", "LV:urban")], (3, false)),
            // Values with units, several values, no limit.
            (&[("highway", "residential"), ("maxspeed", "30 km/h")], (1, true)),
            (&[("highway", "residential"), ("maxspeed", "30kmh")], (1, true)),
            (&[("highway", "secondary"), ("maxspeed", "50;30")], (3, false)),
            (&[("highway", "primary"), ("maxspeed", "none")], (4, false)),
            // 0 is no speed: the default for the class stands in, and the reasons say so.
            (&[("highway", "residential"), ("maxspeed", "0")], (2, false)),
            (&[("highway", "residential"), ("maxspeed", "fast")], (2, false)),
            // A painted lane on the left of a one-way street serves its riders.
            (
                &[
                    ("highway", "secondary"),
                    ("maxspeed", "50"),
                    ("oneway", "yes"),
                    ("cycleway:left", "lane"),
                ],
                (2, false),
            ),
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

    fn stress(pairs: &[(&str, &str)], forward: bool) -> Stress {
        let tags: Tags = pairs.iter().copied().collect();
        classify(&tags, &Profile::latvia(), forward)
    }

    #[test]
    fn a_contraflow_lane_serves_only_the_riders_against_the_traffic() {
        let street = [
            ("highway", "residential"),
            ("maxspeed", "50"),
            ("oneway", "yes"),
            ("cycleway", "opposite_lane"),
        ];
        let against = stress(&street, false);
        assert_eq!(
            (against.lts, against.reasons[0].clone()),
            (Lts::Two, Reason::PaintedLane)
        );
        assert_eq!(stress(&street, true).reasons[0], Reason::MixedTraffic);
        let left = [
            ("highway", "residential"),
            ("oneway", "yes"),
            ("cycleway:left", "lane"),
            ("cycleway:left:oneway", "-1"),
        ];
        assert_eq!(stress(&left, false).reasons[0], Reason::PaintedLane);
        assert_eq!(stress(&left, true).reasons[0], Reason::MixedTraffic);
        let track = [
            ("highway", "primary"),
            ("oneway", "yes"),
            ("cycleway", "opposite_track"),
        ];
        assert_eq!(stress(&track, false).lts, Lts::One);
        assert_eq!(stress(&track, true).lts, Lts::Four);
    }

    #[test]
    fn an_unreadable_speed_is_named_and_the_default_says_so() {
        for value in ["0", "fast", "50;quick", "999"] {
            let found = stress(&[("highway", "residential"), ("maxspeed", value)], true);
            let text: Vec<String> = found.reasons.iter().map(ToString::to_string).collect();
            assert!(
                text.contains(&format!("maxspeed={value:?} cannot be read: a default was assumed")),
                "{text:?}"
            );
            assert!(text.contains(&"speed limit 50 km/h assumed (built-up area default)".to_owned()));
        }
        let several = stress(&[("highway", "secondary"), ("maxspeed", "50;30")], true);
        assert!(
            several
                .reasons
                .iter()
                .any(|r| r.to_string() == "speed limit 50 km/h, the highest of 50;30")
        );
        let mph = stress(&[("highway", "residential"), ("maxspeed", "20 mph")], true);
        assert!(
            mph.reasons
                .iter()
                .any(|r| r.to_string() == "speed limit 20 mph (about 30 km/h)")
        );
        let zone = stress(&[("highway", "primary"), ("zone:traffic", "DE:urban")], true);
        assert!(
            zone.reasons
                .iter()
                .any(|r| r.to_string() == "speed limit 50 km/h assumed (DE:urban: the built-up area default)")
        );
        let crossing = crate::crossing::classify(
            &[("highway", "primary"), ("maxspeed", "0")].into_iter().collect(),
            None,
            crate::crossing::Controls::default(),
            &Profile::latvia(),
        );
        assert!(
            crossing
                .1
                .iter()
                .any(|r| matches!(r, Reason::Unreadable { key, .. } if key == "maxspeed"))
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
