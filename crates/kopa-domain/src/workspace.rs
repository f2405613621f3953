//! The network of partner cities and each city's workspace.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Network {
    pub id: i64,
    pub name: String,
    pub programme: String,
    pub lead_expert: Option<String>,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: chrono::NaiveDate,
}

/// A partner city: its own members, group, meetings and data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Workspace {
    pub id: i64,
    pub network_id: i64,
    /// The short name in addresses, e.g. `kekava`.
    pub slug: String,
    pub municipality: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub policy_challenge: Option<String>,
    pub is_lead_partner: bool,
    /// The interface language a visitor sees first.
    pub default_locale: String,
    /// IANA time zone for meeting times, e.g. `Europe/Riga`.
    pub time_zone: String,
}
