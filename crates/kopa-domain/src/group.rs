//! The local action group: organisations, people, their dated memberships in the group's
//! bodies, and the stakeholder assessment behind the power/interest matrix.

use chrono::NaiveDate;
use serde::Serialize;

use crate::code_enum;
use crate::validation::{Code, Invalid};

code_enum! {
    /// What kind of organisation it is.
    Sector {
        Public => "public",
        Business => "business",
        Civic => "civic",
        Knowledge => "knowledge",
        Resident => "resident",
    }
}

code_enum! {
    /// The bodies of the local action group.
    Body {
        ManagementGroup => "management_group",
        Core => "core",
        Wider => "wider",
    }
}

code_enum! {
    /// How the group engages a stakeholder, after the power/interest quadrants.
    Strategy {
        ManageClosely => "manage_closely",
        KeepSatisfied => "keep_satisfied",
        KeepInformed => "keep_informed",
        Monitor => "monitor",
    }
}

impl Strategy {
    /// The usual strategy for a place on the matrix; the group may choose otherwise.
    pub fn suggested(power: i64, interest: i64) -> Strategy {
        match (power >= 3, interest >= 3) {
            (true, true) => Strategy::ManageClosely,
            (true, false) => Strategy::KeepSatisfied,
            (false, true) => Strategy::KeepInformed,
            (false, false) => Strategy::Monitor,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Organisation {
    pub id: i64,
    pub workspace_id: i64,
    pub name: String,
    pub registration_number: Option<String>,
    pub sector: Sector,
    pub website: Option<String>,
    /// Invented to show a feature; never a record.
    pub is_example: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Person {
    pub id: i64,
    pub workspace_id: i64,
    pub name: String,
    /// Personal data: shown only to those who may see it.
    pub email: Option<String>,
    pub organisation_id: Option<i64>,
    pub position: Option<String>,
    pub is_example: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Membership {
    pub id: i64,
    pub person_id: i64,
    pub body: Body,
    pub role: String,
    pub from_date: NaiveDate,
    pub until_date: Option<NaiveDate>,
}

impl Membership {
    pub fn is_current(&self, today: NaiveDate) -> bool {
        self.from_date <= today && self.until_date.is_none_or(|until| today <= until)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Stakeholder {
    pub id: i64,
    pub workspace_id: i64,
    pub organisation_id: i64,
    pub power: i64,
    pub interest: i64,
    pub strategy: Strategy,
    pub note: Option<String>,
}

/// A new organisation as typed into a form or sent to the API.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct OrganisationInput {
    pub name: String,
    #[serde(default)]
    pub registration_number: String,
    pub sector: String,
    #[serde(default)]
    pub website: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrganisation {
    pub name: String,
    pub registration_number: Option<String>,
    pub sector: Sector,
    pub website: Option<String>,
    pub is_example: bool,
}

impl OrganisationInput {
    pub fn validate(&self) -> Result<NewOrganisation, Invalid> {
        let mut invalid = Invalid::new();
        let name = invalid.required_text("name", &self.name, 200);
        let registration_number = invalid.optional_text("registration_number", &self.registration_number, 40);
        let sector = invalid.choice("sector", &self.sector, Sector::from_code);
        let website = invalid.optional_text("website", &self.website, 300);
        if let Some(site) = &website
            && !(site.starts_with("https://") || site.starts_with("http://"))
        {
            invalid.add("website", "error-url");
        }
        invalid.into_result()?;
        Ok(NewOrganisation {
            name,
            registration_number,
            sector: sector.unwrap_or(Sector::Civic),
            website,
            is_example: false,
        })
    }
}

/// A new person, optionally with a first membership in one of the group's bodies.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct PersonInput {
    pub name: String,
    #[serde(default)]
    pub email: String,
    /// Empty for none.
    #[serde(default, deserialize_with = "crate::validation::lenient::text")]
    pub organisation_id: String,
    #[serde(default)]
    pub position: String,
    /// Empty for no membership.
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub role: String,
    /// `YYYY-MM-DD`; needed with a body.
    #[serde(default)]
    pub from_date: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPerson {
    pub name: String,
    pub email: Option<String>,
    pub organisation_id: Option<i64>,
    pub position: Option<String>,
    pub membership: Option<NewMembership>,
    pub is_example: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMembership {
    pub body: Body,
    pub role: String,
    pub from_date: NaiveDate,
    pub until_date: Option<NaiveDate>,
}

impl PersonInput {
    pub fn validate(&self) -> Result<NewPerson, Invalid> {
        let mut invalid = Invalid::new();
        let name = invalid.required_text("name", &self.name, 200);
        let email = if self.email.trim().is_empty() {
            None
        } else {
            Some(invalid.email("email", &self.email))
        };
        let organisation_id = match self.organisation_id.trim() {
            "" => None,
            id => match id.parse::<i64>() {
                Ok(id) => Some(id),
                Err(_) => {
                    invalid.add("organisation_id", "error-choice");
                    None
                }
            },
        };
        let position = invalid.optional_text("position", &self.position, 200);
        let membership = match self.body.trim() {
            "" => None,
            body => {
                let body = invalid.choice("body", body, Body::from_code);
                let role = invalid.required_text("role", &self.role, 100);
                let from_date = invalid.date("from_date", &self.from_date);
                match (body, from_date) {
                    (Some(body), Some(from_date)) => Some(NewMembership {
                        body,
                        role,
                        from_date,
                        until_date: None,
                    }),
                    _ => None,
                }
            }
        };
        invalid.into_result()?;
        Ok(NewPerson {
            name,
            email,
            organisation_id,
            position,
            membership,
            is_example: false,
        })
    }
}

/// A membership of an existing person in one of the group's bodies.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct MembershipInput {
    #[serde(default, deserialize_with = "crate::validation::lenient::text")]
    pub person_id: String,
    pub body: String,
    pub role: String,
    /// `YYYY-MM-DD`.
    pub from_date: String,
    /// `YYYY-MM-DD`, or empty while it lasts.
    #[serde(default)]
    pub until_date: String,
}

impl MembershipInput {
    pub fn validate(&self) -> Result<(i64, NewMembership), Invalid> {
        let mut invalid = Invalid::new();
        let person_id = match self.person_id.trim().parse::<i64>() {
            Ok(id) => id,
            Err(_) => {
                invalid.add("person_id", "error-choice");
                0
            }
        };
        let body = invalid.choice("body", &self.body, Body::from_code);
        let role = invalid.required_text("role", &self.role, 100);
        let from_date = invalid.date("from_date", &self.from_date);
        let until_date = match self.until_date.trim() {
            "" => None,
            text => invalid.date("until_date", text),
        };
        if let (Some(from), Some(until)) = (from_date, until_date)
            && until < from
        {
            invalid.add("until_date", "error-until-before-from");
        }
        invalid.into_result()?;
        match (body, from_date) {
            (Some(body), Some(from_date)) => Ok((
                person_id,
                NewMembership {
                    body,
                    role,
                    from_date,
                    until_date,
                },
            )),
            _ => Err(Invalid::single("body", "error-required")),
        }
    }
}

/// The last day of a membership.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct EndMembershipInput {
    /// `YYYY-MM-DD`.
    pub until_date: String,
}

impl EndMembershipInput {
    /// The date, if it is one and not before the membership began.
    pub fn validate(&self, from_date: NaiveDate) -> Result<NaiveDate, Invalid> {
        let mut invalid = Invalid::new();
        let until = invalid.date("until_date", &self.until_date);
        if let Some(until) = until
            && until < from_date
        {
            invalid.add("until_date", "error-until-before-from");
        }
        invalid.into_result()?;
        until.ok_or_else(|| Invalid::single("until_date", "error-required"))
    }
}

/// A stakeholder assessment of one organisation.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct StakeholderInput {
    #[serde(default, deserialize_with = "crate::validation::lenient::text")]
    pub organisation_id: String,
    #[serde(default, deserialize_with = "crate::validation::lenient::text")]
    pub power: String,
    #[serde(default, deserialize_with = "crate::validation::lenient::text")]
    pub interest: String,
    /// Empty to take the suggested strategy for the quadrant.
    #[serde(default)]
    pub strategy: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStakeholder {
    pub organisation_id: i64,
    pub power: i64,
    pub interest: i64,
    pub strategy: Strategy,
    pub note: Option<String>,
}

impl StakeholderInput {
    pub fn validate(&self) -> Result<NewStakeholder, Invalid> {
        let mut invalid = Invalid::new();
        let organisation_id = match self.organisation_id.trim().parse::<i64>() {
            Ok(id) => id,
            Err(_) => {
                invalid.add("organisation_id", "error-choice");
                0
            }
        };
        let power = invalid.number_in("power", &self.power, 1..=5);
        let interest = invalid.number_in("interest", &self.interest, 1..=5);
        let strategy = match self.strategy.trim() {
            "" => Some(Strategy::suggested(power, interest)),
            code => invalid.choice("strategy", code, Strategy::from_code),
        };
        let note = invalid.optional_text("note", &self.note, 1000);
        invalid.into_result()?;
        Ok(NewStakeholder {
            organisation_id,
            power,
            interest,
            strategy: strategy.unwrap_or(Strategy::Monitor),
            note,
        })
    }
}

/// Words of a legal form, which registers and maps write differently or leave out.
const LEGAL_FORMS: &[&str] = &[
    "sia",
    "as",
    "ik",
    "pa",
    "biedriba",
    "nodibinajums",
    "ltd",
    "llc",
    "inc",
    "plc",
    "gmbh",
    "ag",
    "kg",
    "sa",
    "oy",
    "ab",
    "uab",
    "ou",
    "co",
];

/// A name as organisations are matched by it: folded like search, without its legal form.
pub fn organisation_key(name: &str) -> String {
    crate::search::fold(name)
        .split(' ')
        .filter(|word| !LEGAL_FORMS.contains(word))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The workspace's organisations by the key their name matches on, to find the one a place on
/// the map belongs to.
pub struct OrganisationsByName<'a> {
    by_key: std::collections::HashMap<String, Vec<&'a Organisation>>,
}

/// What the names a place carries match among the workspace's organisations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameMatch<'a> {
    None,
    One(&'a Organisation),
    /// More than one organisation has that name: a person has to say which.
    Several,
}

impl<'a> OrganisationsByName<'a> {
    pub fn new(organisations: &'a [Organisation]) -> Self {
        let mut by_key: std::collections::HashMap<String, Vec<&Organisation>> = Default::default();
        for organisation in organisations {
            let key = organisation_key(&organisation.name);
            if !key.is_empty() {
                by_key.entry(key).or_default().push(organisation);
            }
        }
        OrganisationsByName { by_key }
    }

    /// The organisation that any of a place's names (its name, brand or operator) is, without
    /// case, diacritics, punctuation and legal form.
    pub fn find<'n>(&self, names: impl IntoIterator<Item = &'n str>) -> NameMatch<'a> {
        let mut found: Vec<&Organisation> = Vec::new();
        for name in names {
            for organisation in self.by_key.get(&organisation_key(name)).into_iter().flatten() {
                if !found.iter().any(|f| f.id == organisation.id) {
                    found.push(organisation);
                }
            }
        }
        match found.as_slice() {
            [] => NameMatch::None,
            [one] => NameMatch::One(one),
            _ => NameMatch::Several,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggested_strategy_follows_the_quadrants() {
        assert_eq!(Strategy::suggested(5, 5), Strategy::ManageClosely);
        assert_eq!(Strategy::suggested(4, 1), Strategy::KeepSatisfied);
        assert_eq!(Strategy::suggested(1, 4), Strategy::KeepInformed);
        assert_eq!(Strategy::suggested(2, 2), Strategy::Monitor);
    }

    #[test]
    fn a_membership_is_current_between_its_dates() {
        let date = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let membership = Membership {
            id: 1,
            person_id: 1,
            body: Body::Core,
            role: "member".into(),
            from_date: date("2020-01-01"),
            until_date: Some(date("2020-12-31")),
        };
        assert!(!membership.is_current(date("2019-12-31")));
        assert!(membership.is_current(date("2020-06-01")));
        assert!(!membership.is_current(date("2021-01-01")));
    }

    #[test]
    fn a_person_with_a_body_needs_a_role_and_a_date() {
        let input = PersonInput {
            name: "Anna".into(),
            body: "core".into(),
            from_date: "2020-13-01".into(),
            ..Default::default()
        };
        let invalid = input.validate().unwrap_err();
        assert_eq!(invalid.message_for("role"), Some("error-required"));
        assert_eq!(invalid.message_for("from_date"), Some("error-date"));
    }

    #[test]
    fn a_membership_cannot_end_before_it_began() {
        let input = MembershipInput {
            person_id: "4".into(),
            body: "core".into(),
            role: "member".into(),
            from_date: "2020-05-01".into(),
            until_date: "2020-04-30".into(),
        };
        assert_eq!(
            input.validate().unwrap_err().message_for("until_date"),
            Some("error-until-before-from")
        );
        let from = NaiveDate::parse_from_str("2020-05-01", "%Y-%m-%d").unwrap();
        let end = EndMembershipInput {
            until_date: "2020-04-30".into(),
        };
        assert_eq!(
            end.validate(from).unwrap_err().message_for("until_date"),
            Some("error-until-before-from")
        );
        let end = EndMembershipInput {
            until_date: "2021-12-31".into(),
        };
        assert_eq!(end.validate(from).unwrap().to_string(), "2021-12-31");
    }

    #[test]
    fn assessments_outside_one_to_five_are_refused() {
        let input = StakeholderInput {
            organisation_id: "1".into(),
            power: "0".into(),
            interest: "6".into(),
            ..Default::default()
        };
        let invalid = input.validate().unwrap_err();
        assert_eq!(invalid.message_for("power"), Some("error-out-of-range"));
        assert_eq!(invalid.message_for("interest"), Some("error-out-of-range"));
        let ok = StakeholderInput {
            organisation_id: "1".into(),
            power: "4".into(),
            interest: "2".into(),
            ..Default::default()
        };
        assert_eq!(ok.validate().unwrap().strategy, Strategy::KeepSatisfied);
    }

    #[test]
    fn organisations_need_a_known_sector_and_a_web_address() {
        let input = OrganisationInput {
            name: "SIA Piemērs".into(),
            sector: "guild".into(),
            website: "kekava.lv".into(),
            ..Default::default()
        };
        let invalid = input.validate().unwrap_err();
        assert_eq!(invalid.message_for("sector"), Some("error-choice"));
        assert_eq!(invalid.message_for("website"), Some("error-url"));
    }

    fn organisation(id: i64, name: &str) -> Organisation {
        Organisation {
            id,
            workspace_id: 1,
            name: name.to_owned(),
            registration_number: None,
            sector: Sector::Business,
            website: None,
            is_example: false,
        }
    }

    #[test]
    fn names_match_without_case_diacritics_or_legal_form() {
        let all = [
            organisation(1, "SIA \"Ķekavas Nami\""),
            organisation(2, "Coop Genossenschaft"),
        ];
        let by_name = OrganisationsByName::new(&all);
        let id = |names: &[&str]| match by_name.find(names.iter().copied()) {
            NameMatch::One(o) => Some(o.id),
            _ => None,
        };
        assert_eq!(id(&["kekavas nami"]), Some(1));
        assert_eq!(id(&["Ķekavas nami, SIA"]), Some(1));
        assert_eq!(id(&["Bauhaus", "Ķekavas Nami"]), Some(1));
        // A brand alone is not the company that trades under it.
        assert_eq!(by_name.find(["Coop"]), NameMatch::None);
        assert_eq!(by_name.find(["SIA"]), NameMatch::None);
        assert_eq!(by_name.find([""]), NameMatch::None);
    }

    #[test]
    fn two_organisations_of_one_name_match_neither() {
        let all = [organisation(1, "Rimi"), organisation(2, "RIMI, SIA")];
        let by_name = OrganisationsByName::new(&all);
        assert_eq!(by_name.find(["Rimi"]), NameMatch::Several);
        // One organisation found by two of its names is still one.
        assert_eq!(by_name.find(["Ķekava", "Rimi SIA"]), NameMatch::Several);
        let one = [organisation(3, "Rimi Latvia")];
        assert!(
            matches!(OrganisationsByName::new(&one).find(["Rimi Latvia", "RIMI LATVIA SIA"]), NameMatch::One(o) if o.id == 3)
        );
    }
}
