//! What a partner owes the public under an instrument (access hours, maintenance, penalties,
//! term), the inspections that check it, and the flags when a check is missed or a finding
//! is left unremedied.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::validation::Invalid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Obligation {
    pub id: i64,
    pub instrument_id: i64,
    pub title: String,
    /// When the public may use the place, e.g. "every day 7:00–22:00".
    pub access_hours: Option<String>,
    pub maintenance_standard: Option<String>,
    pub penalty: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub inspect_every_months: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Inspection {
    pub id: i64,
    pub obligation_id: i64,
    pub inspected_on: NaiveDate,
    pub inspector: String,
    pub compliant: bool,
    pub notes: Option<String>,
    pub remedy: Option<String>,
    pub remedy_due: Option<NaiveDate>,
    pub remedied_on: Option<NaiveDate>,
}

impl Inspection {
    /// A finding whose remedy is past its deadline and not done.
    pub fn is_unremedied(&self, today: NaiveDate) -> bool {
        !self.compliant && self.remedied_on.is_none() && self.remedy_due.is_some_and(|due| due < today)
    }
}

impl Obligation {
    pub fn is_in_term(&self, day: NaiveDate) -> bool {
        self.starts_on <= day && self.ends_on.is_none_or(|ends| day <= ends)
    }

    /// When the next inspection is due: an interval after the last one, or after the start.
    /// `None` once the term is over.
    pub fn next_inspection(&self, inspections: &[Inspection]) -> Option<NaiveDate> {
        let last = inspections
            .iter()
            .filter(|i| i.obligation_id == self.id)
            .map(|i| i.inspected_on)
            .max()
            .unwrap_or(self.starts_on);
        let next = last.checked_add_months(Months::new(self.inspect_every_months))?;
        self.ends_on.is_none_or(|ends| next <= ends).then_some(next)
    }

    /// An inspection was due before `today` and none took place.
    pub fn inspection_missed(&self, inspections: &[Inspection], today: NaiveDate) -> bool {
        self.next_inspection(inspections).is_some_and(|due| due < today)
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ObligationInput {
    pub title: String,
    pub access_hours: String,
    pub maintenance_standard: String,
    pub penalty: String,
    pub starts_on: String,
    pub ends_on: String,
    #[serde(deserialize_with = "crate::validation::lenient::text")]
    pub inspect_every_months: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewObligation {
    pub title: String,
    pub access_hours: Option<String>,
    pub maintenance_standard: Option<String>,
    pub penalty: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub inspect_every_months: u32,
}

impl ObligationInput {
    pub fn validate(&self) -> Result<NewObligation, Invalid> {
        let mut invalid = Invalid::new();
        let title = invalid.required_text("title", &self.title, 300);
        let access_hours = invalid.optional_text("access_hours", &self.access_hours, 300);
        let maintenance_standard = invalid.optional_text("maintenance_standard", &self.maintenance_standard, 2000);
        let penalty = invalid.optional_text("penalty", &self.penalty, 1000);
        let starts_on = invalid.date("starts_on", &self.starts_on);
        let ends_on = invalid.optional_date("ends_on", &self.ends_on);
        if let (Some(starts), Some(ends)) = (starts_on, ends_on)
            && ends < starts
        {
            invalid.add("ends_on", "error-ends-before-start");
        }
        let every = invalid.number_in("inspect_every_months", &self.inspect_every_months, 1..=60);
        if access_hours.is_none() && maintenance_standard.is_none() {
            invalid.add("access_hours", "error-obligation-empty");
        }
        invalid.into_result()?;
        Ok(NewObligation {
            title,
            access_hours,
            maintenance_standard,
            penalty,
            starts_on: starts_on.unwrap_or_default(),
            ends_on,
            inspect_every_months: every as u32,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct InspectionInput {
    pub inspected_on: String,
    pub inspector: String,
    /// `yes` or `no`: asked explicitly, so a forgotten answer is not read as either.
    pub compliant: String,
    pub notes: String,
    pub remedy: String,
    pub remedy_due: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInspection {
    pub inspected_on: NaiveDate,
    pub inspector: String,
    pub compliant: bool,
    pub notes: Option<String>,
    pub remedy: Option<String>,
    pub remedy_due: Option<NaiveDate>,
}

impl InspectionInput {
    pub fn validate(&self, today: NaiveDate) -> Result<NewInspection, Invalid> {
        let mut invalid = Invalid::new();
        let inspected_on = invalid.date("inspected_on", &self.inspected_on);
        if inspected_on.is_some_and(|d| d > today) {
            invalid.add("inspected_on", "error-date-in-future");
        }
        let inspector = invalid.required_text("inspector", &self.inspector, 200);
        let compliant = invalid.choice("compliant", &self.compliant, |answer| match answer {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        });
        let notes = invalid.optional_text("notes", &self.notes, 4000);
        let remedy = invalid.optional_text("remedy", &self.remedy, 2000);
        let remedy_due = invalid.optional_date("remedy_due", &self.remedy_due);
        if compliant == Some(false) {
            if remedy.is_none() {
                invalid.add("remedy", "error-remedy-needed");
            }
            if remedy_due.is_none() && self.remedy_due.trim().is_empty() {
                invalid.add("remedy_due", "error-required");
            }
        }
        if let (Some(inspected), Some(due)) = (inspected_on, remedy_due)
            && due < inspected
        {
            invalid.add("remedy_due", "error-ends-before-start");
        }
        invalid.into_result()?;
        Ok(NewInspection {
            inspected_on: inspected_on.unwrap_or(today),
            inspector,
            compliant: compliant.unwrap_or(true),
            notes,
            remedy,
            remedy_due,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn recreation_place() -> Obligation {
        Obligation {
            id: 1,
            instrument_id: 1,
            title: "Atpūtas vieta publiski pieejama".into(),
            access_hours: Some("katru dienu 7:00–22:00".into()),
            maintenance_standard: Some("zāle pļauta reizi nedēļā".into()),
            penalty: Some("100 € par katru pārkāpumu".into()),
            starts_on: on("2021-06-01"),
            ends_on: Some(on("2022-06-01")),
            inspect_every_months: 3,
        }
    }

    fn inspection(on_day: &str, compliant: bool, remedy_due: Option<&str>, remedied: Option<&str>) -> Inspection {
        Inspection {
            id: 1,
            obligation_id: 1,
            inspected_on: on(on_day),
            inspector: "Būvvalde".into(),
            compliant,
            notes: None,
            remedy: (!compliant).then(|| "Nopļaut zāli".into()),
            remedy_due: remedy_due.map(on),
            remedied_on: remedied.map(on),
        }
    }

    #[test]
    fn inspections_follow_the_schedule() {
        let obligation = recreation_place();
        assert_eq!(obligation.next_inspection(&[]), Some(on("2021-09-01")));
        assert!(!obligation.inspection_missed(&[], on("2021-09-01")));
        assert!(obligation.inspection_missed(&[], on("2021-09-02")));
        let done = [inspection("2021-08-28", true, None, None)];
        assert_eq!(obligation.next_inspection(&done), Some(on("2021-11-28")));
        assert!(!obligation.inspection_missed(&done, on("2021-10-01")));
        // No inspection falls due after the term ends.
        let late = [inspection("2022-04-01", true, None, None)];
        assert_eq!(obligation.next_inspection(&late), None);
    }

    #[test]
    fn an_unremedied_finding_is_flagged_after_its_deadline() {
        let finding = inspection("2021-08-28", false, Some("2021-09-10"), None);
        assert!(!finding.is_unremedied(on("2021-09-10")));
        assert!(finding.is_unremedied(on("2021-09-11")));
        let remedied = inspection("2021-08-28", false, Some("2021-09-10"), Some("2021-09-08"));
        assert!(!remedied.is_unremedied(on("2021-10-01")));
    }

    #[test]
    fn a_failed_inspection_needs_a_remedy_with_a_deadline() {
        let today = on("2021-09-01");
        let invalid = InspectionInput {
            inspected_on: "2021-08-28".into(),
            inspector: "Būvvalde".into(),
            compliant: "no".into(),
            ..Default::default()
        }
        .validate(today)
        .unwrap_err();
        assert_eq!(invalid.message_for("remedy"), Some("error-remedy-needed"));
        assert_eq!(invalid.message_for("remedy_due"), Some("error-required"));
        let unanswered = InspectionInput {
            inspected_on: "2021-09-02".into(),
            inspector: "Būvvalde".into(),
            ..Default::default()
        }
        .validate(today)
        .unwrap_err();
        assert_eq!(unanswered.message_for("compliant"), Some("error-choice"));
        assert_eq!(unanswered.message_for("inspected_on"), Some("error-date-in-future"));
    }

    #[test]
    fn an_obligation_says_what_is_owed() {
        let invalid = ObligationInput {
            title: "Tukšs".into(),
            starts_on: "2021-06-01".into(),
            inspect_every_months: "0".into(),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(invalid.message_for("access_hours"), Some("error-obligation-empty"));
        assert_eq!(invalid.message_for("inspect_every_months"), Some("error-out-of-range"));
    }
}

/// The day a finding of an inspection was put right.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RemedyInput {
    #[serde(deserialize_with = "crate::validation::lenient::text")]
    pub inspection_id: String,
    pub remedied_on: String,
}

impl RemedyInput {
    /// The inspection and the day, which is not in the future.
    pub fn validate(&self, today: NaiveDate) -> Result<(i64, NaiveDate), Invalid> {
        let mut invalid = Invalid::new();
        let inspection = invalid.number_in("inspection_id", &self.inspection_id, 1..=i64::MAX);
        let on = invalid.date("remedied_on", &self.remedied_on);
        if on.is_some_and(|d| d > today) {
            invalid.add("remedied_on", "error-date-in-future");
        }
        invalid.into_result()?;
        Ok((inspection, on.unwrap_or(today)))
    }
}
