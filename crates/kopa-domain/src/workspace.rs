//! The network of partner cities and each city's workspace.

use serde::Serialize;

use crate::Invalid;

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

/// The interface languages Kopa speaks; a workspace shows one of them first.
pub const LANGUAGES: [&str; 2] = ["lv", "en"];

/// A partner city to add to a network, as checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWorkspace {
    pub slug: String,
    pub municipality: String,
    pub country: String,
    pub policy_challenge: Option<String>,
    pub is_lead_partner: bool,
    pub default_locale: String,
    pub time_zone: String,
}

/// A workspace as someone typed it, in a form or on the command line.
#[derive(Debug, Clone, Default)]
pub struct WorkspaceInput<'a> {
    pub slug: &'a str,
    pub municipality: &'a str,
    pub country: &'a str,
    pub policy_challenge: &'a str,
    pub language: &'a str,
    pub time_zone: &'a str,
    pub is_lead_partner: bool,
}

impl WorkspaceInput<'_> {
    /// Checks every field, naming each that is wrong.
    pub fn check(&self, invalid: &mut Invalid) -> NewWorkspace {
        let slug = self.slug.trim().to_lowercase();
        let fits = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
        if slug.is_empty() {
            invalid.add("slug", "error-required");
        } else if slug.len() > 40 || !slug.chars().all(fits) || slug.starts_with('-') || slug.ends_with('-') {
            invalid.add("slug", "error-slug");
        }
        let municipality = invalid.required_text("municipality", self.municipality, 200);
        let country = self.country.trim().to_uppercase();
        if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
            invalid.add("country", "error-country");
        }
        let policy_challenge = invalid.optional_text("policy_challenge", self.policy_challenge, 2000);
        let language = self.language.trim().to_lowercase();
        if !LANGUAGES.contains(&language.as_str()) {
            invalid.add("language", "error-choice");
        }
        let time_zone = self.time_zone.trim().to_owned();
        if time_zone.parse::<chrono_tz::Tz>().is_err() {
            invalid.add("time_zone", "error-time-zone");
        }
        NewWorkspace {
            slug,
            municipality,
            country,
            policy_challenge,
            is_lead_partner: self.is_lead_partner,
            default_locale: language,
            time_zone,
        }
    }
}

/// A network as someone typed it.
#[derive(Debug, Clone, Default)]
pub struct NetworkInput<'a> {
    pub name: &'a str,
    pub programme: &'a str,
    pub lead_expert: &'a str,
    pub starts_on: &'a str,
    pub ends_on: &'a str,
}

/// A network to create, as checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNetwork {
    pub name: String,
    pub programme: String,
    pub lead_expert: Option<String>,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: chrono::NaiveDate,
}

impl NetworkInput<'_> {
    /// Checks every field, naming each that is wrong; `None` when a date is missing.
    pub fn check(&self, invalid: &mut Invalid) -> Option<NewNetwork> {
        let name = invalid.required_text("network_name", self.name, 200);
        let programme = invalid.required_text("programme", self.programme, 200);
        let lead_expert = invalid.optional_text("lead_expert", self.lead_expert, 200);
        let starts_on = invalid.date("starts_on", self.starts_on);
        let ends_on = invalid.date("ends_on", self.ends_on);
        let (starts_on, ends_on) = (starts_on?, ends_on?);
        if ends_on < starts_on {
            invalid.add("ends_on", "error-ends-before-start");
        }
        Some(NewNetwork {
            name,
            programme,
            lead_expert,
            starts_on,
            ends_on,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kekava() -> WorkspaceInput<'static> {
        WorkspaceInput {
            slug: "kekava",
            municipality: "Ķekavas novads",
            country: "lv",
            policy_challenge: "",
            language: "lv",
            time_zone: "Europe/Riga",
            is_lead_partner: false,
        }
    }

    #[test]
    fn a_workspace_as_typed_is_kept_tidy() {
        let mut invalid = Invalid::new();
        let new = kekava().check(&mut invalid);
        assert!(invalid.errors.is_empty(), "{invalid}");
        assert_eq!((new.country.as_str(), new.policy_challenge), ("LV", None));
    }

    #[test]
    fn each_wrong_field_is_named() {
        let mut invalid = Invalid::new();
        WorkspaceInput {
            slug: "Ķekava/../x",
            municipality: " ",
            country: "Latvia",
            language: "de",
            time_zone: "Europe/Rīga",
            ..kekava()
        }
        .check(&mut invalid);
        let named: Vec<_> = invalid
            .errors
            .iter()
            .map(|e| (e.field.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(
            named,
            [
                ("slug", "error-slug"),
                ("municipality", "error-required"),
                ("country", "error-country"),
                ("language", "error-choice"),
                ("time_zone", "error-time-zone"),
            ]
        );
    }

    #[test]
    fn a_network_cannot_end_before_it_starts() {
        let mut invalid = Invalid::new();
        let input = NetworkInput {
            name: "Cities4CSR",
            programme: "URBACT",
            starts_on: "2024-06-01",
            ends_on: "2024-01-01",
            ..NetworkInput::default()
        };
        assert!(input.check(&mut invalid).is_some());
        assert_eq!(invalid.message_for("ends_on"), Some("error-ends-before-start"));
    }
}
