//! Obligations under an instrument and the inspections that check them.

use chrono::NaiveDate;
use kopa_domain::Invalid;
use kopa_domain::audit::AuditAction;
use kopa_domain::cooperation::obligation::{Inspection, NewInspection, NewObligation, Obligation};
use sqlx::FromRow;

use crate::audit::change;
use crate::db::{in_transaction, on_pool, record_change};
use crate::files::Which;
use crate::{Actor, Result, Store, StoreError, number, snapshot};

#[derive(FromRow)]
pub(crate) struct ObligationRow {
    id: i64,
    instrument_id: i64,
    title: String,
    access_hours: Option<String>,
    maintenance_standard: Option<String>,
    penalty: Option<String>,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    inspect_every_months: i64,
}

impl TryFrom<ObligationRow> for Obligation {
    type Error = StoreError;

    fn try_from(r: ObligationRow) -> Result<Obligation> {
        Ok(Obligation {
            id: r.id,
            instrument_id: r.instrument_id,
            title: r.title,
            access_hours: r.access_hours,
            maintenance_standard: r.maintenance_standard,
            penalty: r.penalty,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            inspect_every_months: number("obligations", "inspect_every_months", &r.id, r.inspect_every_months)?,
        })
    }
}

pub(crate) const OBLIGATION_COLUMNS: &str = "id, instrument_id, title, access_hours, maintenance_standard, penalty, starts_on, \
     ends_on, inspect_every_months";

#[derive(FromRow)]
pub(crate) struct InspectionRow {
    id: i64,
    obligation_id: i64,
    inspected_on: NaiveDate,
    inspector: String,
    compliant: bool,
    notes: Option<String>,
    remedy: Option<String>,
    remedy_due: Option<NaiveDate>,
    remedied_on: Option<NaiveDate>,
}

impl From<InspectionRow> for Inspection {
    fn from(r: InspectionRow) -> Inspection {
        Inspection {
            id: r.id,
            obligation_id: r.obligation_id,
            inspected_on: r.inspected_on,
            inspector: r.inspector,
            compliant: r.compliant,
            notes: r.notes,
            remedy: r.remedy,
            remedy_due: r.remedy_due,
            remedied_on: r.remedied_on,
        }
    }
}

pub(crate) const INSPECTION_COLUMNS: &str =
    "id, obligation_id, inspected_on, inspector, compliant, notes, remedy, remedy_due, remedied_on";

impl Store {
    pub async fn obligations(&self, instrument_id: i64) -> Result<Vec<Obligation>> {
        let of = Which::One(instrument_id);
        Ok(self
            .obligations_of(of)
            .await?
            .remove(&instrument_id)
            .unwrap_or_default())
    }

    pub async fn add_obligation(
        &self,
        actor: &Actor,
        workspace_id: i64,
        instrument_id: i64,
        new: &NewObligation,
    ) -> Result<Obligation> {
        if self.instrument(workspace_id, instrument_id).await?.is_none() {
            return Err(StoreError::not_found("instrument", instrument_id));
        }
        let obligation = in_transaction!(self, tx => {
            let row: ObligationRow = sqlx::query_as(&format!(
                "INSERT INTO obligations (instrument_id, title, access_hours, maintenance_standard, penalty, starts_on, \
                 ends_on, inspect_every_months) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {OBLIGATION_COLUMNS}"
            ))
            .bind(instrument_id)
            .bind(&new.title)
            .bind(&new.access_hours)
            .bind(&new.maintenance_standard)
            .bind(&new.penalty)
            .bind(new.starts_on)
            .bind(new.ends_on)
            .bind(i64::from(new.inspect_every_months))
            .fetch_one(&mut *tx)
            .await?;
            let obligation = Obligation::try_from(row)?;
            record_change!(self, tx, change(actor, Some(workspace_id), "obligation", obligation.id, AuditAction::Create, None, snapshot(&obligation)));
            obligation
        });
        Ok(obligation)
    }

    pub async fn inspections(&self, obligation_id: i64) -> Result<Vec<Inspection>> {
        let sql =
            format!("SELECT {INSPECTION_COLUMNS} FROM inspections WHERE obligation_id = $1 ORDER BY inspected_on, id");
        let rows: Vec<InspectionRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(obligation_id).fetch_all(pool).await?);
        Ok(rows.into_iter().map(Inspection::from).collect())
    }

    /// The obligation, if it belongs to an instrument of the workspace.
    async fn obligation_in(&self, workspace_id: i64, obligation_id: i64) -> Result<Obligation> {
        let sql = format!(
            "SELECT {OBLIGATION_COLUMNS} FROM obligations WHERE id = $1 \
             AND instrument_id IN (SELECT id FROM instruments WHERE workspace_id = $2)"
        );
        let row: Option<ObligationRow> = on_pool!(self, pool => sqlx::query_as(&sql).bind(obligation_id).bind(workspace_id).fetch_optional(pool).await?);
        row.ok_or_else(|| StoreError::not_found("obligation", obligation_id))?
            .try_into()
    }

    pub async fn add_inspection(
        &self,
        actor: &Actor,
        workspace_id: i64,
        obligation_id: i64,
        new: &NewInspection,
    ) -> Result<Inspection> {
        let obligation = self.obligation_in(workspace_id, obligation_id).await?;
        if new.inspected_on < obligation.starts_on {
            return Err(Invalid::single("inspected_on", "error-before-obligation").into());
        }
        let inspection = in_transaction!(self, tx => {
            let row: InspectionRow = sqlx::query_as(&format!(
                "INSERT INTO inspections (obligation_id, inspected_on, inspector, compliant, notes, remedy, remedy_due) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {INSPECTION_COLUMNS}"
            ))
            .bind(obligation_id)
            .bind(new.inspected_on)
            .bind(&new.inspector)
            .bind(new.compliant)
            .bind(&new.notes)
            .bind(&new.remedy)
            .bind(new.remedy_due)
            .fetch_one(&mut *tx)
            .await?;
            let inspection = Inspection::from(row);
            record_change!(self, tx, change(actor, Some(workspace_id), "inspection", inspection.id, AuditAction::Create, None, snapshot(&inspection)));
            inspection
        });
        Ok(inspection)
    }

    /// Whether the inspection belongs to an instrument of the workspace.
    pub async fn inspection_in(&self, workspace_id: i64, inspection_id: i64) -> Result<bool> {
        let found: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT i.id FROM inspections i JOIN obligations o ON o.id = i.obligation_id \
             JOIN instruments n ON n.id = o.instrument_id WHERE i.id = $1 AND n.workspace_id = $2",
        )
        .bind(inspection_id)
        .bind(workspace_id)
        .fetch_optional(pool)
        .await?);
        Ok(found.is_some())
    }

    /// Records the day a finding was put right.
    pub async fn mark_remedied(
        &self,
        actor: &Actor,
        workspace_id: i64,
        obligation_id: i64,
        inspection_id: i64,
        remedied_on: NaiveDate,
    ) -> Result<Inspection> {
        self.obligation_in(workspace_id, obligation_id).await?;
        let before = self
            .inspections(obligation_id)
            .await?
            .into_iter()
            .find(|i| i.id == inspection_id)
            .ok_or_else(|| StoreError::not_found("inspection", inspection_id))?;
        if before.compliant {
            return Err(Invalid::single("remedied_on", "error-nothing-to-remedy").into());
        }
        if remedied_on < before.inspected_on {
            return Err(Invalid::single("remedied_on", "error-ends-before-start").into());
        }
        let after = Inspection {
            remedied_on: Some(remedied_on),
            ..before.clone()
        };
        in_transaction!(self, tx => {
            sqlx::query("UPDATE inspections SET remedied_on = $1 WHERE id = $2")
                .bind(remedied_on)
                .bind(inspection_id)
                .execute(&mut *tx)
                .await?;
            record_change!(self, tx, change(actor, Some(workspace_id), "inspection", inspection_id, AuditAction::Update, snapshot(&before), snapshot(&after)));
        });
        Ok(after)
    }
}
