//! The local action group: organisations, people, memberships and stakeholder assessments.

use chrono::NaiveDate;
use kopa_domain::Invalid;
use kopa_domain::audit::AuditAction;
use kopa_domain::group::{
    Body, Membership, NewMembership, NewOrganisation, NewPerson, NewStakeholder, Organisation, Person, Stakeholder,
};
use kopa_domain::validation::Code;
use serde::Serialize;
use sqlx::FromRow;

use crate::audit::change;
use crate::db::{in_transaction, on_pool, record_change};
use crate::{Actor, Result, Store, StoreError, code, read_all, snapshot};

#[derive(FromRow)]
struct OrganisationRow {
    id: i64,
    workspace_id: i64,
    name: String,
    registration_number: Option<String>,
    sector: String,
    website: Option<String>,
    is_example: bool,
}

impl TryFrom<OrganisationRow> for Organisation {
    type Error = StoreError;

    fn try_from(r: OrganisationRow) -> Result<Organisation> {
        Ok(Organisation {
            id: r.id,
            workspace_id: r.workspace_id,
            name: r.name,
            registration_number: r.registration_number,
            sector: code("organisations", "sector", &r.id, &r.sector)?,
            website: r.website,
            is_example: r.is_example,
        })
    }
}

#[derive(FromRow)]
struct PersonRow {
    id: i64,
    workspace_id: i64,
    name: String,
    email: Option<String>,
    organisation_id: Option<i64>,
    position: Option<String>,
    is_example: bool,
}

impl From<PersonRow> for Person {
    fn from(r: PersonRow) -> Person {
        Person {
            id: r.id,
            workspace_id: r.workspace_id,
            name: r.name,
            email: r.email,
            organisation_id: r.organisation_id,
            position: r.position,
            is_example: r.is_example,
        }
    }
}

#[derive(FromRow)]
struct StakeholderRow {
    id: i64,
    workspace_id: i64,
    organisation_id: i64,
    power: i64,
    interest: i64,
    strategy: String,
    note: Option<String>,
}

impl TryFrom<StakeholderRow> for Stakeholder {
    type Error = StoreError;

    fn try_from(r: StakeholderRow) -> Result<Stakeholder> {
        Ok(Stakeholder {
            id: r.id,
            workspace_id: r.workspace_id,
            organisation_id: r.organisation_id,
            power: r.power,
            interest: r.interest,
            strategy: code("stakeholders", "strategy", &r.id, &r.strategy)?,
            note: r.note,
        })
    }
}

/// A membership with the person and organisation it belongs to, for the group page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow, utoipa::ToSchema)]
pub struct MemberRow {
    pub membership_id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub organisation_name: Option<String>,
    pub position: Option<String>,
    pub body: String,
    pub role: String,
    pub from_date: NaiveDate,
    pub until_date: Option<NaiveDate>,
    pub is_example: bool,
}

impl MemberRow {
    pub fn body(&self) -> Option<Body> {
        Body::from_code(&self.body)
    }

    pub fn is_current(&self, today: impl std::borrow::Borrow<NaiveDate>) -> bool {
        self.membership().is_some_and(|m| m.is_current(*today.borrow()))
    }

    pub fn membership(&self) -> Option<Membership> {
        Some(Membership {
            id: self.membership_id,
            person_id: self.person_id,
            body: self.body()?,
            role: self.role.clone(),
            from_date: self.from_date,
            until_date: self.until_date,
        })
    }
}

const ORGANISATION_COLUMNS: &str = "id, workspace_id, name, registration_number, sector, website, is_example";
const PERSON_COLUMNS: &str = "id, workspace_id, name, email, organisation_id, position, is_example";
const STAKEHOLDER_COLUMNS: &str = "id, workspace_id, organisation_id, power, interest, strategy, note";

impl Store {
    pub async fn organisations(&self, workspace_id: i64) -> Result<Vec<Organisation>> {
        let sql = format!("SELECT {ORGANISATION_COLUMNS} FROM organisations WHERE workspace_id = $1 ORDER BY name");
        let rows: Vec<OrganisationRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(workspace_id).fetch_all(pool).await?);
        read_all(rows)
    }

    /// The organisations that are not yet partners in cooperation.
    pub async fn organisations_without_partner(&self, workspace_id: i64) -> Result<Vec<Organisation>> {
        let sql = format!(
            "SELECT {ORGANISATION_COLUMNS} FROM organisations o WHERE workspace_id = $1 \
             AND NOT EXISTS (SELECT 1 FROM partners p WHERE p.organisation_id = o.id) ORDER BY name"
        );
        let rows: Vec<OrganisationRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(workspace_id).fetch_all(pool).await?);
        read_all(rows)
    }

    pub async fn organisation(&self, workspace_id: i64, id: i64) -> Result<Option<Organisation>> {
        let sql = format!("SELECT {ORGANISATION_COLUMNS} FROM organisations WHERE workspace_id = $1 AND id = $2");
        let row: Option<OrganisationRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(workspace_id).bind(id).fetch_optional(pool).await?);
        row.map(Organisation::try_from).transpose()
    }

    pub async fn create_organisation(
        &self,
        actor: &Actor,
        workspace_id: i64,
        new: &NewOrganisation,
    ) -> Result<Organisation> {
        let taken = self
            .organisations(workspace_id)
            .await?
            .iter()
            .any(|o| o.name.to_lowercase() == new.name.to_lowercase());
        if taken {
            return Err(Invalid::single("name", "error-name-taken").into());
        }
        let organisation = in_transaction!(self, tx => {
            let row: OrganisationRow = sqlx::query_as(&format!(
                "INSERT INTO organisations (workspace_id, name, registration_number, sector, website, is_example) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING {ORGANISATION_COLUMNS}"
            ))
            .bind(workspace_id)
            .bind(&new.name)
            .bind(&new.registration_number)
            .bind(new.sector.code())
            .bind(&new.website)
            .bind(new.is_example)
            .fetch_one(&mut *tx)
            .await?;
            let organisation = Organisation::try_from(row)?;
            record_change!(self, tx, change(actor, Some(workspace_id), "organisation", organisation.id, AuditAction::Create, None, snapshot(&organisation)));
            organisation
        });
        Ok(organisation)
    }

    pub async fn people(&self, workspace_id: i64) -> Result<Vec<Person>> {
        let sql = format!("SELECT {PERSON_COLUMNS} FROM people WHERE workspace_id = $1 ORDER BY name");
        let rows: Vec<PersonRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(workspace_id).fetch_all(pool).await?);
        Ok(rows.into_iter().map(Person::from).collect())
    }

    /// Adds a person, and their first membership when one is given, in one transaction.
    pub async fn create_person(&self, actor: &Actor, workspace_id: i64, new: &NewPerson) -> Result<Person> {
        if let Some(organisation_id) = new.organisation_id
            && self.organisation(workspace_id, organisation_id).await?.is_none()
        {
            return Err(Invalid::single("organisation_id", "error-unknown").into());
        }
        let person = in_transaction!(self, tx => {
            let row: PersonRow = sqlx::query_as(&format!(
                "INSERT INTO people (workspace_id, name, email, organisation_id, position, is_example) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING {PERSON_COLUMNS}"
            ))
            .bind(workspace_id)
            .bind(&new.name)
            .bind(&new.email)
            .bind(new.organisation_id)
            .bind(&new.position)
            .bind(new.is_example)
            .fetch_one(&mut *tx)
            .await?;
            let person = Person::from(row);
            record_change!(self, tx, change(actor, Some(workspace_id), "person", person.id, AuditAction::Create, None, snapshot(&person)));
            if let Some(m) = &new.membership {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO memberships (person_id, body, role, from_date, until_date) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(person.id)
                .bind(m.body.code())
                .bind(&m.role)
                .bind(m.from_date)
                .bind(m.until_date)
                .fetch_one(&mut *tx)
                .await?;
                let membership = Membership { id, person_id: person.id, body: m.body, role: m.role.clone(), from_date: m.from_date, until_date: m.until_date };
                record_change!(self, tx, change(actor, Some(workspace_id), "membership", id, AuditAction::Create, None, snapshot(&membership)));
            }
            person
        });
        Ok(person)
    }

    /// Adds a membership for a person already in the workspace.
    pub async fn add_membership(
        &self,
        actor: &Actor,
        workspace_id: i64,
        person_id: i64,
        new: &NewMembership,
    ) -> Result<Membership> {
        if !self.people(workspace_id).await?.iter().any(|p| p.id == person_id) {
            return Err(Invalid::single("person_id", "error-unknown").into());
        }
        let membership = in_transaction!(self, tx => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO memberships (person_id, body, role, from_date, until_date) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(person_id)
            .bind(new.body.code())
            .bind(&new.role)
            .bind(new.from_date)
            .bind(new.until_date)
            .fetch_one(&mut *tx)
            .await?;
            let membership = Membership { id, person_id, body: new.body, role: new.role.clone(), from_date: new.from_date, until_date: new.until_date };
            record_change!(self, tx, change(actor, Some(workspace_id), "membership", id, AuditAction::Create, None, snapshot(&membership)));
            membership
        });
        Ok(membership)
    }

    /// A membership of this workspace, by id.
    pub async fn membership(&self, workspace_id: i64, membership_id: i64) -> Result<Option<Membership>> {
        Ok(self
            .members(workspace_id)
            .await?
            .into_iter()
            .find(|m| m.membership_id == membership_id)
            .and_then(|m| m.membership()))
    }

    /// Sets the last day of a membership.
    pub async fn end_membership(
        &self,
        actor: &Actor,
        workspace_id: i64,
        membership_id: i64,
        until: NaiveDate,
    ) -> Result<Membership> {
        let before = self
            .membership(workspace_id, membership_id)
            .await?
            .ok_or_else(|| StoreError::not_found("membership", membership_id))?;
        let after = Membership {
            until_date: Some(until),
            ..before.clone()
        };
        in_transaction!(self, tx => {
            sqlx::query("UPDATE memberships SET until_date = $1 WHERE id = $2").bind(until).bind(membership_id).execute(&mut *tx).await?;
            record_change!(self, tx, change(actor, Some(workspace_id), "membership", membership_id, AuditAction::Update, snapshot(&before), snapshot(&after)));
        });
        Ok(after)
    }

    /// Every membership in the workspace's bodies, by body and name.
    pub async fn members(&self, workspace_id: i64) -> Result<Vec<MemberRow>> {
        Ok(on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT m.id AS membership_id, p.id AS person_id, p.name AS person_name, o.name AS organisation_name, \
                 p.position, m.body, m.role, m.from_date, m.until_date, p.is_example FROM memberships m \
                 JOIN people p ON p.id = m.person_id LEFT JOIN organisations o ON o.id = p.organisation_id \
                 WHERE p.workspace_id = $1 ORDER BY m.body, p.name",
            )
            .bind(workspace_id)
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn stakeholders(&self, workspace_id: i64) -> Result<Vec<Stakeholder>> {
        let sql = format!(
            "SELECT {STAKEHOLDER_COLUMNS} FROM stakeholders WHERE workspace_id = $1 ORDER BY power DESC, interest DESC, id"
        );
        let rows: Vec<StakeholderRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(workspace_id).fetch_all(pool).await?);
        read_all(rows)
    }

    /// Records an organisation's assessment, replacing any earlier one.
    pub async fn assess_stakeholder(
        &self,
        actor: &Actor,
        workspace_id: i64,
        new: &NewStakeholder,
    ) -> Result<Stakeholder> {
        if self.organisation(workspace_id, new.organisation_id).await?.is_none() {
            return Err(Invalid::single("organisation_id", "error-unknown").into());
        }
        let before = self
            .stakeholders(workspace_id)
            .await?
            .into_iter()
            .find(|s| s.organisation_id == new.organisation_id);
        let stakeholder = in_transaction!(self, tx => {
            let row: StakeholderRow = sqlx::query_as(&format!(
                "INSERT INTO stakeholders (workspace_id, organisation_id, power, interest, strategy, note) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (workspace_id, organisation_id) DO UPDATE SET power = excluded.power, interest = excluded.interest, \
                 strategy = excluded.strategy, note = excluded.note RETURNING {STAKEHOLDER_COLUMNS}"
            ))
            .bind(workspace_id)
            .bind(new.organisation_id)
            .bind(new.power)
            .bind(new.interest)
            .bind(new.strategy.code())
            .bind(&new.note)
            .fetch_one(&mut *tx)
            .await?;
            let stakeholder = Stakeholder::try_from(row)?;
            let action = if before.is_some() { AuditAction::Update } else { AuditAction::Create };
            record_change!(self, tx, change(actor, Some(workspace_id), "stakeholder", stakeholder.id, action, before.as_ref().and_then(snapshot), snapshot(&stakeholder)));
            stakeholder
        });
        Ok(stakeholder)
    }
}
