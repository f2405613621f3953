//! Analyses of a workspace's street network: what each was made from, how far it got, and
//! the figures that lists and plan indicators read. The engine's full results live beside
//! each one as files.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::code_enum;

code_enum! {
    /// How far an analysis got. One that the server stopped before it finished is failed.
    AnalysisStatus {
        Queued => "queued",
        Running => "running",
        Done => "done",
        Failed => "failed",
    }
}

code_enum! {
    /// How the street network came in.
    NetworkSource {
        Upload => "upload",
        CommandLine => "command-line",
        Demo => "demo",
        Overpass => "overpass",
        Geofabrik => "geofabrik",
    }
}

/// What an analysis was asked to do, as recorded with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct AnalysisParameters {
    /// The boundary the extract was clipped to, by name; none for the whole extract.
    pub area: Option<String>,
    /// The country profile's name.
    pub profile: String,
    /// The total the people were scaled to; none when estimated from the homes.
    pub population: Option<f64>,
}

/// The figures of a finished analysis that lists, comparisons and plan indicators read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalysisFigures {
    /// BNA's low-stress connectivity score, 0–100; none without homes to start from.
    pub score: Option<f64>,
    /// Each part of the score: people, then each destination category, 0–100.
    pub parts: Vec<ScorePart>,
    pub people: f64,
    pub network_km: f64,
    /// The share of one-directional kilometres that are low stress, 0–1.
    pub low_stress_share: f64,
    pub islands: usize,
    pub segments: usize,
    /// Where the people came from.
    pub people_source: String,
    /// How many warnings the data gave (streets cut at the edge, tags unreadable, …).
    pub warnings: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScorePart {
    /// `people`, `opportunity`, `core_services`, `retail`, `recreation` or `transit`.
    pub name: String,
    pub weight: f64,
    pub score: Option<f64>,
}

/// One analysis of a workspace's street network.
#[derive(Debug, Clone, PartialEq)]
pub struct StreetAnalysis {
    pub id: i64,
    pub workspace_id: i64,
    pub status: AnalysisStatus,
    /// The step it is at while it runs, e.g. `searching`.
    pub step: Option<String>,
    /// Zones searched so far, of how many.
    pub zones_done: i64,
    pub zones_total: Option<i64>,
    pub source: NetworkSource,
    /// The file's name.
    pub source_name: String,
    pub source_bytes: i64,
    /// When the OpenStreetMap data was current.
    pub data_as_of: Option<DateTime<Utc>>,
    pub parameters: AnalysisParameters,
    pub figures: Option<AnalysisFigures>,
    /// Why it failed, for people to read.
    pub error: Option<String>,
    /// Whether visitors may see it.
    pub published: bool,
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl StreetAnalysis {
    pub fn is_done(&self) -> bool {
        self.status == AnalysisStatus::Done
    }

    /// Whether it still has work ahead.
    pub fn is_pending(&self) -> bool {
        matches!(self.status, AnalysisStatus::Queued | AnalysisStatus::Running)
    }

    /// How far the counted step (the route search, then the ranking) got, 0–100.
    pub fn percent_done(&self) -> Option<i64> {
        let total = self.zones_total.filter(|t| *t > 0)?;
        Some((self.zones_done * 100 / total).clamp(0, 100))
    }
}

/// What a saved scenario was found to change when it was saved, against its analysis.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Expected {
    pub score_before: Option<f64>,
    pub score_after: Option<f64>,
    /// The people living in zones that reach more at low stress.
    pub people_gaining: f64,
    /// Destinations newly reached at low stress, counted once per zone reaching them.
    pub destinations_gained: u64,
}

impl Expected {
    /// The change in score, in points.
    pub fn gain(&self) -> f64 {
        self.score_after.unwrap_or(0.0) - self.score_before.unwrap_or(0.0)
    }
}

/// A scenario kept as the expected effect of what the group would build: its edits to one
/// analysis's network, and what they were found to change.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub id: i64,
    pub workspace_id: i64,
    pub analysis_id: i64,
    pub title: String,
    /// The edits, as the engine reads them.
    pub edits: serde_json::Value,
    pub expected: Expected,
    /// The initiative it is the expected effect of, if one.
    pub initiative_id: Option<i64>,
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
}
