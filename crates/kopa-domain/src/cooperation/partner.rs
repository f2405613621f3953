//! The partner register: businesses with their owners, tax-debt checks and the municipal
//! procedures they are party to, from which their standing as an uninvolved third party
//! follows.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::code_enum;
use crate::validation::{Code, Invalid};

code_enum! {
    /// A municipal procedure a business can be party to.
    ProcedureKind {
        Permit => "permit",
        Procurement => "procurement",
        Lease => "lease",
        DetailedPlan => "detailed_plan",
        Enforcement => "enforcement",
    }
}

/// A business in the register. Its name, number and sector live on its organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Partner {
    pub id: i64,
    pub workspace_id: i64,
    pub organisation_id: i64,
    pub name: String,
    pub registration_number: Option<String>,
    pub sector: String,
    /// One owner a line, as the register of enterprises lists them.
    pub beneficial_owners: String,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub is_example: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TaxCheck {
    pub id: i64,
    pub checked_on: NaiveDate,
    pub has_debt: bool,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Procedure {
    pub id: i64,
    pub kind: ProcedureKind,
    pub reference: String,
    pub subject: Option<String>,
    pub opened_on: NaiveDate,
    /// Open until closed.
    pub closed_on: Option<NaiveDate>,
}

impl Procedure {
    /// Pending on `day`: opened by then and not yet closed.
    pub fn is_open_on(&self, day: NaiveDate) -> bool {
        self.opened_on <= day && self.closed_on.is_none_or(|closed| closed > day)
    }
}

/// Whether a partner is an uninvolved third party on a given day, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Standing {
    pub on: NaiveDate,
    /// No municipal procedure of theirs is pending.
    pub uninvolved: bool,
    /// The basis: every procedure pending on the day.
    pub pending: Vec<Procedure>,
    /// The latest tax-debt check, shown beside the basis.
    pub latest_tax_check: Option<TaxCheck>,
}

/// Derives a partner's standing on `day` from its procedures and tax checks.
pub fn standing(procedures: &[Procedure], tax_checks: &[TaxCheck], day: NaiveDate) -> Standing {
    let pending: Vec<Procedure> = procedures.iter().filter(|p| p.is_open_on(day)).cloned().collect();
    Standing {
        on: day,
        uninvolved: pending.is_empty(),
        pending,
        latest_tax_check: tax_checks
            .iter()
            .filter(|c| c.checked_on <= day)
            .max_by_key(|c| (c.checked_on, c.id))
            .cloned(),
    }
}

/// A partner as a form or API client sends it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PartnerInput {
    pub organisation_id: String,
    pub beneficial_owners: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPartner {
    pub organisation_id: i64,
    pub beneficial_owners: String,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
}

impl PartnerInput {
    pub fn validate(&self) -> Result<NewPartner, Invalid> {
        let mut invalid = Invalid::new();
        let organisation_id = invalid.number_in("organisation_id", &self.organisation_id, 1..=i64::MAX);
        let beneficial_owners = invalid.required_text("beneficial_owners", &self.beneficial_owners, 2000);
        let contact_name = invalid.optional_text("contact_name", &self.contact_name, 200);
        let contact_email =
            (!self.contact_email.trim().is_empty()).then(|| invalid.email("contact_email", &self.contact_email));
        let contact_phone = invalid.optional_text("contact_phone", &self.contact_phone, 50);
        invalid.into_result()?;
        Ok(NewPartner {
            organisation_id,
            beneficial_owners,
            contact_name,
            contact_email,
            contact_phone,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TaxCheckInput {
    pub checked_on: String,
    #[serde(deserialize_with = "crate::validation::lenient::flag")]
    pub has_debt: Option<String>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTaxCheck {
    pub checked_on: NaiveDate,
    pub has_debt: bool,
    pub note: Option<String>,
}

impl TaxCheckInput {
    pub fn validate(&self, today: NaiveDate) -> Result<NewTaxCheck, Invalid> {
        let mut invalid = Invalid::new();
        let checked_on = invalid.date("checked_on", &self.checked_on);
        if checked_on.is_some_and(|d| d > today) {
            invalid.add("checked_on", "error-date-in-future");
        }
        let note = invalid.optional_text("note", &self.note, 1000);
        invalid.into_result()?;
        Ok(NewTaxCheck {
            checked_on: checked_on.unwrap_or(today),
            has_debt: self.has_debt.is_some(),
            note,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ProcedureInput {
    pub kind: String,
    pub reference: String,
    pub subject: String,
    pub opened_on: String,
    pub closed_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProcedure {
    pub kind: ProcedureKind,
    pub reference: String,
    pub subject: Option<String>,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
}

impl ProcedureInput {
    pub fn validate(&self) -> Result<NewProcedure, Invalid> {
        let mut invalid = Invalid::new();
        let kind = invalid.choice("kind", &self.kind, ProcedureKind::from_code);
        let reference = invalid.required_text("reference", &self.reference, 200);
        let subject = invalid.optional_text("subject", &self.subject, 500);
        let opened_on = invalid.date("opened_on", &self.opened_on);
        let closed_on = invalid.optional_date("closed_on", &self.closed_on);
        if let (Some(opened), Some(closed)) = (opened_on, closed_on)
            && closed < opened
        {
            invalid.add("closed_on", "error-ends-before-start");
        }
        invalid.into_result()?;
        Ok(NewProcedure {
            kind: kind.unwrap_or(ProcedureKind::Permit),
            reference,
            subject,
            opened_on: opened_on.unwrap_or_default(),
            closed_on,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn procedure(id: i64, opened: &str, closed: Option<&str>) -> Procedure {
        Procedure {
            id,
            kind: ProcedureKind::Permit,
            reference: format!("BV-{id}"),
            subject: None,
            opened_on: on(opened),
            closed_on: closed.map(on),
        }
    }

    #[test]
    fn a_pending_procedure_makes_a_partner_involved() {
        let procedures = [
            procedure(1, "2020-03-01", None),
            procedure(2, "2019-01-01", Some("2019-06-30")),
        ];
        let today = standing(&procedures, &[], on("2020-12-02"));
        assert!(!today.uninvolved);
        assert_eq!(today.pending.iter().map(|p| p.id).collect::<Vec<_>>(), [1]);
    }

    #[test]
    fn closed_and_future_procedures_do_not_count() {
        let procedures = [
            procedure(1, "2019-01-01", Some("2020-12-01")),
            procedure(2, "2021-01-10", None),
        ];
        let today = standing(&procedures, &[], on("2020-12-02"));
        assert!(today.uninvolved);
        assert!(today.pending.is_empty());
        // The day it closes, it is no longer pending; the day it opens, it is.
        assert!(!procedures[0].is_open_on(on("2020-12-01")));
        assert!(procedures[1].is_open_on(on("2021-01-10")));
        assert!(!standing(&procedures, &[], on("2021-01-10")).uninvolved);
    }

    #[test]
    fn the_latest_tax_check_up_to_the_day_is_shown() {
        let checks = [
            TaxCheck {
                id: 1,
                checked_on: on("2020-11-01"),
                has_debt: true,
                note: None,
            },
            TaxCheck {
                id: 2,
                checked_on: on("2020-11-20"),
                has_debt: false,
                note: None,
            },
            TaxCheck {
                id: 3,
                checked_on: on("2021-02-01"),
                has_debt: true,
                note: None,
            },
        ];
        let latest = standing(&[], &checks, on("2020-12-02")).latest_tax_check.unwrap();
        assert_eq!(latest.id, 2);
    }

    #[test]
    fn procedure_input_names_each_problem() {
        let invalid = ProcedureInput {
            kind: "bribe".into(),
            reference: " ".into(),
            opened_on: "2020-12-02".into(),
            closed_on: "2020-12-01".into(),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(invalid.message_for("kind"), Some("error-choice"));
        assert_eq!(invalid.message_for("reference"), Some("error-required"));
        assert_eq!(invalid.message_for("closed_on"), Some("error-ends-before-start"));
    }
}

/// The day an open procedure against a partner was closed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ClosingInput {
    #[serde(deserialize_with = "crate::validation::lenient::text")]
    pub procedure_id: String,
    pub closed_on: String,
}

impl ClosingInput {
    /// The procedure and the day it closed.
    pub fn validate(&self) -> Result<(i64, NaiveDate), Invalid> {
        let mut invalid = Invalid::new();
        let procedure = invalid.number_in("procedure_id", &self.procedure_id, 1..=i64::MAX);
        let closed_on = invalid.date("closed_on", &self.closed_on);
        invalid.into_result()?;
        Ok((procedure, closed_on.unwrap_or_default()))
    }
}

/// The e-mail of an account that acts for a partner.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PartnerAccountInput {
    pub email: String,
}

impl PartnerAccountInput {
    pub fn validate(&self) -> Result<String, Invalid> {
        let mut invalid = Invalid::new();
        let email = invalid.email("email", &self.email);
        invalid.into_result()?;
        Ok(email)
    }
}
