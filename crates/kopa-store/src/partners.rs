//! The partner register: businesses (each an organisation of the group), their tax-debt
//! checks and municipal procedures, and the accounts that act for them.

use chrono::NaiveDate;
use kopa_domain::Invalid;
use kopa_domain::audit::AuditAction;
use kopa_domain::cooperation::partner::{
    NewPartner, NewProcedure, NewTaxCheck, Partner, Procedure, Standing, TaxCheck, standing,
};
use kopa_domain::validation::Code;
use sqlx::FromRow;

use crate::audit::change;
use crate::db::{in_transaction, on_pool, record_change};
use crate::{Actor, Result, Store, StoreError, code, snapshot};

#[derive(FromRow)]
pub(crate) struct PartnerRow {
    id: i64,
    workspace_id: i64,
    organisation_id: i64,
    name: String,
    registration_number: Option<String>,
    sector: String,
    beneficial_owners: String,
    contact_name: Option<String>,
    contact_email: Option<String>,
    contact_phone: Option<String>,
    is_example: bool,
}

impl From<PartnerRow> for Partner {
    fn from(r: PartnerRow) -> Partner {
        Partner {
            id: r.id,
            workspace_id: r.workspace_id,
            organisation_id: r.organisation_id,
            name: r.name,
            registration_number: r.registration_number,
            sector: r.sector,
            beneficial_owners: r.beneficial_owners,
            contact_name: r.contact_name,
            contact_email: r.contact_email,
            contact_phone: r.contact_phone,
            is_example: r.is_example,
        }
    }
}

pub(crate) const PARTNER_SELECT: &str = "SELECT p.id, p.workspace_id, p.organisation_id, o.name, o.registration_number, o.sector, \
     p.beneficial_owners, p.contact_name, p.contact_email, p.contact_phone, o.is_example \
     FROM partners p JOIN organisations o ON o.id = p.organisation_id";

#[derive(FromRow)]
pub(crate) struct TaxCheckRow {
    id: i64,
    checked_on: NaiveDate,
    has_debt: bool,
    note: Option<String>,
}

#[derive(FromRow)]
pub(crate) struct ProcedureRow {
    id: i64,
    kind: String,
    reference: String,
    subject: Option<String>,
    opened_on: NaiveDate,
    closed_on: Option<NaiveDate>,
}

impl From<TaxCheckRow> for TaxCheck {
    fn from(r: TaxCheckRow) -> TaxCheck {
        TaxCheck {
            id: r.id,
            checked_on: r.checked_on,
            has_debt: r.has_debt,
            note: r.note,
        }
    }
}

impl TryFrom<ProcedureRow> for Procedure {
    type Error = StoreError;

    fn try_from(r: ProcedureRow) -> Result<Procedure> {
        Ok(Procedure {
            id: r.id,
            kind: code("procedures", "kind", &r.id, &r.kind)?,
            reference: r.reference,
            subject: r.subject,
            opened_on: r.opened_on,
            closed_on: r.closed_on,
        })
    }
}

/// An account that acts for a partner.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct PartnerAccount {
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
}

impl Store {
    pub async fn partners(&self, workspace_id: i64) -> Result<Vec<Partner>> {
        let sql = format!("{PARTNER_SELECT} WHERE p.workspace_id = $1 ORDER BY o.name");
        let rows: Vec<PartnerRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(workspace_id).fetch_all(pool).await?);
        Ok(rows.into_iter().map(Partner::from).collect())
    }

    /// Every partner of the workspace with its standing on `day`, in three queries.
    pub async fn partners_with_standing(&self, workspace_id: i64, day: NaiveDate) -> Result<Vec<(Partner, Standing)>> {
        let of_workspace = "partner_id IN (SELECT id FROM partners WHERE workspace_id = $1)";
        let procedures = self.procedures_where(of_workspace, workspace_id).await?;
        let tax_checks = self.tax_checks_where(of_workspace, workspace_id).await?;
        Ok(self
            .partners(workspace_id)
            .await?
            .into_iter()
            .map(|partner| {
                let standing = standing(
                    procedures.get(&partner.id).map_or(&[][..], Vec::as_slice),
                    tax_checks.get(&partner.id).map_or(&[][..], Vec::as_slice),
                    day,
                );
                (partner, standing)
            })
            .collect())
    }

    pub async fn partner(&self, workspace_id: i64, id: i64) -> Result<Option<Partner>> {
        let sql = format!("{PARTNER_SELECT} WHERE p.workspace_id = $1 AND p.id = $2");
        let row: Option<PartnerRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(workspace_id).bind(id).fetch_optional(pool).await?);
        Ok(row.map(Partner::from))
    }

    pub(crate) async fn existing_partner(&self, workspace_id: i64, id: i64) -> Result<Partner> {
        self.partner(workspace_id, id)
            .await?
            .ok_or_else(|| StoreError::not_found("partner", id))
    }

    /// Registers an organisation of the group as a business partner.
    pub async fn add_partner(&self, actor: &Actor, workspace_id: i64, new: &NewPartner) -> Result<Partner> {
        if self.organisation(workspace_id, new.organisation_id).await?.is_none() {
            return Err(Invalid::single("organisation_id", "error-unknown").into());
        }
        if self
            .partners(workspace_id)
            .await?
            .iter()
            .any(|p| p.organisation_id == new.organisation_id)
        {
            return Err(Invalid::single("organisation_id", "error-partner-exists").into());
        }
        let id = in_transaction!(self, tx => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO partners (workspace_id, organisation_id, beneficial_owners, contact_name, contact_email, \
                 contact_phone) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(workspace_id)
            .bind(new.organisation_id)
            .bind(&new.beneficial_owners)
            .bind(&new.contact_name)
            .bind(&new.contact_email)
            .bind(&new.contact_phone)
            .fetch_one(&mut *tx)
            .await?;
            let after = serde_json::json!({
                "organisation_id": new.organisation_id,
                "beneficial_owners": new.beneficial_owners,
                "contact_name": new.contact_name,
                "contact_email": new.contact_email,
                "contact_phone": new.contact_phone,
            });
            record_change!(self, tx, change(actor, Some(workspace_id), "partner", id, AuditAction::Create, None, snapshot(&after)));
            id
        });
        self.existing_partner(workspace_id, id).await
    }

    /// Changes a partner's owners and contact; the organisation stays.
    pub async fn update_partner(&self, actor: &Actor, workspace_id: i64, id: i64, new: &NewPartner) -> Result<Partner> {
        let before = self.existing_partner(workspace_id, id).await?;
        in_transaction!(self, tx => {
            sqlx::query(
                "UPDATE partners SET beneficial_owners = $1, contact_name = $2, contact_email = $3, contact_phone = $4 \
                 WHERE id = $5 AND workspace_id = $6",
            )
            .bind(&new.beneficial_owners)
            .bind(&new.contact_name)
            .bind(&new.contact_email)
            .bind(&new.contact_phone)
            .bind(id)
            .bind(workspace_id)
            .execute(&mut *tx)
            .await?;
            let after = Partner {
                beneficial_owners: new.beneficial_owners.clone(),
                contact_name: new.contact_name.clone(),
                contact_email: new.contact_email.clone(),
                contact_phone: new.contact_phone.clone(),
                ..before.clone()
            };
            record_change!(self, tx, change(actor, Some(workspace_id), "partner", id, AuditAction::Update, snapshot(&before), snapshot(&after)));
        });
        self.existing_partner(workspace_id, id).await
    }

    pub async fn tax_checks(&self, partner_id: i64) -> Result<Vec<TaxCheck>> {
        let mut checks = self.tax_checks_where("partner_id = $1", partner_id).await?;
        Ok(checks.remove(&partner_id).unwrap_or_default())
    }

    pub async fn add_tax_check(
        &self,
        actor: &Actor,
        workspace_id: i64,
        partner_id: i64,
        new: &NewTaxCheck,
    ) -> Result<TaxCheck> {
        self.existing_partner(workspace_id, partner_id).await?;
        let check = in_transaction!(self, tx => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO tax_checks (partner_id, checked_on, has_debt, note) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(partner_id)
            .bind(new.checked_on)
            .bind(new.has_debt)
            .bind(&new.note)
            .fetch_one(&mut *tx)
            .await?;
            let check = TaxCheck { id, checked_on: new.checked_on, has_debt: new.has_debt, note: new.note.clone() };
            let after = serde_json::json!({ "partner_id": partner_id, "check": check });
            record_change!(self, tx, change(actor, Some(workspace_id), "tax_check", id, AuditAction::Create, None, snapshot(&after)));
            check
        });
        Ok(check)
    }

    pub async fn procedures(&self, partner_id: i64) -> Result<Vec<Procedure>> {
        let mut procedures = self.procedures_where("partner_id = $1", partner_id).await?;
        Ok(procedures.remove(&partner_id).unwrap_or_default())
    }

    pub async fn add_procedure(
        &self,
        actor: &Actor,
        workspace_id: i64,
        partner_id: i64,
        new: &NewProcedure,
    ) -> Result<Procedure> {
        self.existing_partner(workspace_id, partner_id).await?;
        let procedure = in_transaction!(self, tx => {
            let row: ProcedureRow = sqlx::query_as(
                "INSERT INTO procedures (partner_id, kind, reference, subject, opened_on, closed_on) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, kind, reference, subject, opened_on, closed_on",
            )
            .bind(partner_id)
            .bind(new.kind.code())
            .bind(&new.reference)
            .bind(&new.subject)
            .bind(new.opened_on)
            .bind(new.closed_on)
            .fetch_one(&mut *tx)
            .await?;
            let procedure = Procedure::try_from(row)?;
            let after = serde_json::json!({ "partner_id": partner_id, "procedure": procedure });
            record_change!(self, tx, change(actor, Some(workspace_id), "procedure", procedure.id, AuditAction::Create, None, snapshot(&after)));
            procedure
        });
        Ok(procedure)
    }

    /// Records the day a procedure closed.
    pub async fn close_procedure(
        &self,
        actor: &Actor,
        workspace_id: i64,
        partner_id: i64,
        procedure_id: i64,
        closed_on: NaiveDate,
    ) -> Result<()> {
        self.existing_partner(workspace_id, partner_id).await?;
        let Some(before) = self
            .procedures(partner_id)
            .await?
            .into_iter()
            .find(|p| p.id == procedure_id)
        else {
            return Err(StoreError::not_found("procedure", procedure_id));
        };
        if closed_on < before.opened_on {
            return Err(Invalid::single("closed_on", "error-ends-before-start").into());
        }
        in_transaction!(self, tx => {
            sqlx::query("UPDATE procedures SET closed_on = $1 WHERE id = $2 AND partner_id = $3")
                .bind(closed_on)
                .bind(procedure_id)
                .bind(partner_id)
                .execute(&mut *tx)
                .await?;
            let after = Procedure { closed_on: Some(closed_on), ..before.clone() };
            record_change!(self, tx, change(actor, Some(workspace_id), "procedure", procedure_id, AuditAction::Update,
                snapshot(&serde_json::json!({ "partner_id": partner_id, "procedure": before })),
                snapshot(&serde_json::json!({ "partner_id": partner_id, "procedure": after }))));
        });
        Ok(())
    }

    /// Whether the partner is an uninvolved third party on `day`, with the basis.
    pub async fn standing(&self, partner_id: i64, day: NaiveDate) -> Result<Standing> {
        Ok(standing(
            &self.procedures(partner_id).await?,
            &self.tax_checks(partner_id).await?,
            day,
        ))
    }

    pub async fn partner_accounts(&self, partner_id: i64) -> Result<Vec<PartnerAccount>> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT u.id AS user_id, u.email, u.display_name FROM partner_accounts a JOIN users u ON u.id = a.user_id \
             WHERE a.partner_id = $1 ORDER BY u.email",
        )
        .bind(partner_id)
        .fetch_all(pool)
        .await?))
    }

    /// Lets an account of the workspace act for a partner.
    pub async fn link_partner_account(
        &self,
        actor: &Actor,
        workspace_id: i64,
        partner_id: i64,
        email: &str,
    ) -> Result<PartnerAccount> {
        self.existing_partner(workspace_id, partner_id).await?;
        let account: Option<PartnerAccount> = on_pool!(self, pool => sqlx::query_as(
            "SELECT u.id AS user_id, u.email, u.display_name FROM users u \
             JOIN workspace_roles r ON r.user_id = u.id AND r.workspace_id = $1 WHERE u.email = $2",
        )
        .bind(workspace_id)
        .bind(email.trim().to_lowercase())
        .fetch_optional(pool)
        .await?);
        let Some(account) = account else {
            return Err(Invalid::single("email", "error-no-such-member").into());
        };
        if self
            .partner_accounts(partner_id)
            .await?
            .iter()
            .any(|a| a.user_id == account.user_id)
        {
            return Ok(account);
        }
        in_transaction!(self, tx => {
            sqlx::query("INSERT INTO partner_accounts (partner_id, user_id) VALUES ($1, $2)")
                .bind(partner_id)
                .bind(account.user_id)
                .execute(&mut *tx)
                .await?;
            let after = serde_json::json!({ "partner_id": partner_id, "user_id": account.user_id });
            record_change!(self, tx, change(actor, Some(workspace_id), "partner_account", partner_id, AuditAction::Create, None, snapshot(&after)));
        });
        Ok(account)
    }

    /// The partners an account acts for in a workspace.
    pub async fn partners_of_account(&self, workspace_id: i64, user_id: i64) -> Result<Vec<Partner>> {
        let sql = format!(
            "{PARTNER_SELECT} JOIN partner_accounts a ON a.partner_id = p.id \
             WHERE p.workspace_id = $1 AND a.user_id = $2 ORDER BY o.name"
        );
        let rows: Vec<PartnerRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(workspace_id).bind(user_id).fetch_all(pool).await?);
        Ok(rows.into_iter().map(Partner::from).collect())
    }
}
