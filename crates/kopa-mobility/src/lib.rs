//! Kopa's bicycle-network engine. It reads the real street network from OpenStreetMap,
//! keeps what a bicycle may use, and says how stressful each street is and why. It depends on
//! no database and no web framework: the CLI and the web platform drive it.

pub mod analysis;
pub mod built_up;
pub mod candidates;
pub mod connectivity;
pub mod crossing;
pub mod destinations;
pub mod exported;
mod geojson_text;
pub mod graph;
pub mod osm;
pub mod pipeline;
pub mod population;
pub mod report;
pub mod scenario;
pub mod score;
pub mod stress;

/// Every output derived from OpenStreetMap carries this.
pub const ATTRIBUTION: &str = "© OpenStreetMap contributors";
