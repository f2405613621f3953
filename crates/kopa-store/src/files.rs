//! Instruments' files, read with one query per kind of record whether for one instrument or
//! for every instrument of a workspace: a register of a thousand agreements costs as many
//! queries as a single agreement's page.

use std::collections::HashMap;

use chrono::NaiveDate;
use kopa_domain::cooperation::file::InstrumentFile;
use kopa_domain::cooperation::instrument::{
    Approval, Declaration, Document, Evidence, Instrument, InstrumentStep, Publication,
};
use kopa_domain::cooperation::obligation::{Inspection, Obligation};
use kopa_domain::cooperation::partner::{Partner, Procedure, TaxCheck, standing};
use kopa_domain::cooperation::rules::{PublicationDuty, Rules};
use sqlx::FromRow;

use crate::db::on_pool;
use crate::instruments::{ApprovalRow, StepRow};
use crate::obligations::{INSPECTION_COLUMNS, InspectionRow, OBLIGATION_COLUMNS, ObligationRow};
use crate::partners::{PARTNER_SELECT, PartnerRow, ProcedureRow, TaxCheckRow};
use crate::{Result, Store, StoreError, json, step};

/// The kinds of record, as the audit log names them, that an instrument file is read from:
/// a file read after the newest change to any of them is still current.
pub const FILE_SOURCES: &[&str] = &[
    "instrument",
    "instrument_approval",
    "instrument_declaration",
    "instrument_document",
    "instrument_evidence",
    "instrument_publication",
    "obligation",
    "inspection",
    "inspection_photo",
    "partner",
    "partner_account",
    "procedure",
    "tax_check",
    "cooperation_rules",
    "initiative",
    "organisation",
    "person",
];

/// Which instruments a read covers.
#[derive(Clone, Copy)]
pub(crate) enum Which {
    One(i64),
    OfWorkspace(i64),
}

impl Which {
    /// The condition that `column`, an instrument's id, is one of them; its parameter is `$1`.
    fn on(self, column: &str) -> (String, i64) {
        match self {
            Which::One(id) => (format!("{column} = $1"), id),
            Which::OfWorkspace(workspace_id) => (
                format!("{column} IN (SELECT id FROM instruments WHERE workspace_id = $1)"),
                workspace_id,
            ),
        }
    }

    /// The condition that `column`, a partner's id, is the partner of one of them.
    fn partners_on(self, column: &str) -> (String, i64) {
        let (instruments, param) = self.on("id");
        (
            format!("{column} IN (SELECT partner_id FROM instruments WHERE {instruments})"),
            param,
        )
    }
}

/// Records by the id they belong to, in the order read.
type ById<T> = HashMap<i64, Vec<T>>;

fn group<T>(rows: impl IntoIterator<Item = Result<(i64, T)>>) -> Result<ById<T>> {
    let mut grouped: ById<T> = HashMap::new();
    for row in rows {
        let (id, record) = row?;
        grouped.entry(id).or_default().push(record);
    }
    Ok(grouped)
}

/// A row read together with the id it is grouped by.
#[derive(FromRow)]
struct Keyed<Row> {
    owner_id: i64,
    #[sqlx(flatten)]
    row: Row,
}

impl Store {
    pub(crate) async fn evidence_of(&self, which: Which) -> Result<ById<Evidence>> {
        let (condition, param) = which.on("instrument_id");
        let sql = format!(
            "SELECT instrument_id, requirement, details_json FROM instrument_evidence WHERE {condition} \
             ORDER BY instrument_id, requirement"
        );
        let rows: Vec<(i64, String, String)> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(param).fetch_all(pool).await?);
        group(rows.into_iter().map(|(instrument, requirement, text)| {
            let row = format!("{instrument}/{requirement}");
            Ok((instrument, json("instrument_evidence", "details_json", &row, &text)?))
        }))
    }

    pub(crate) async fn approvals_of(&self, which: Which) -> Result<HashMap<i64, Approval>> {
        let (condition, param) = which.on("instrument_id");
        let sql = format!(
            "SELECT body, decision_number, decided_on, official_person_id, official_name, votes_for, votes_against, \
             votes_abstain, meeting_decision_id, instrument_id FROM instrument_approvals WHERE {condition}"
        );
        let rows: Vec<ApprovalRow> = on_pool!(self, pool => sqlx::query_as(&sql).bind(param).fetch_all(pool).await?);
        rows.into_iter()
            .map(|row| Ok((row.instrument_id, Approval::try_from(row)?)))
            .collect()
    }

    pub(crate) async fn declarations_of(&self, which: Which) -> Result<ById<Declaration>> {
        let (condition, param) = which.on("d.instrument_id");
        let sql = format!(
            "SELECT d.instrument_id, d.id, d.person_id, p.name, d.interest, d.declared_on FROM instrument_declarations d \
             JOIN people p ON p.id = d.person_id WHERE {condition} ORDER BY d.instrument_id, d.declared_on, d.id"
        );
        let rows: Vec<(i64, i64, i64, String, String, NaiveDate)> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(param).fetch_all(pool).await?);
        group(
            rows.into_iter()
                .map(|(instrument, id, person_id, person_name, interest, declared_on)| {
                    Ok((
                        instrument,
                        Declaration {
                            id,
                            person_id,
                            person_name,
                            interest,
                            declared_on,
                        },
                    ))
                }),
        )
    }

    pub(crate) async fn publications_of(&self, which: Which) -> Result<HashMap<i64, Publication>> {
        let (condition, param) = which.on("instrument_id");
        let sql = format!("SELECT instrument_id, published_on, place FROM instrument_publications WHERE {condition}");
        let rows: Vec<(i64, NaiveDate, String)> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(param).fetch_all(pool).await?);
        Ok(rows
            .into_iter()
            .map(|(instrument, published_on, place)| (instrument, Publication { published_on, place }))
            .collect())
    }

    pub(crate) async fn documents_of(&self, which: Which) -> Result<ById<Document>> {
        let (condition, param) = which.on("instrument_id");
        let sql = format!(
            "SELECT instrument_id, id, title, reference, dated_on FROM instrument_documents WHERE {condition} \
             ORDER BY instrument_id, dated_on, id"
        );
        let rows: Vec<(i64, i64, String, String, NaiveDate)> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(param).fetch_all(pool).await?);
        group(rows.into_iter().map(|(instrument, id, title, reference, dated_on)| {
            Ok((
                instrument,
                Document {
                    id,
                    title,
                    reference,
                    dated_on,
                },
            ))
        }))
    }

    pub(crate) async fn steps_of(&self, which: Which) -> Result<ById<InstrumentStep>> {
        let (condition, param) = which.on("instrument_id");
        let sql = format!(
            "SELECT id, instrument_id, from_status, to_status, reason, actor_label, at, took_effect_on FROM instrument_steps \
             WHERE {condition} ORDER BY instrument_id, at, id"
        );
        let rows: Vec<StepRow> = on_pool!(self, pool => sqlx::query_as(&sql).bind(param).fetch_all(pool).await?);
        group(rows.into_iter().map(|r| {
            let (from, to) = step("instrument_steps", r.id, r.from_status, &r.to_status)?;
            let step = InstrumentStep {
                from,
                to,
                reason: r.reason,
                actor_label: r.actor_label,
                at: r.at,
                took_effect_on: r.took_effect_on,
            };
            Ok((r.instrument_id, step))
        }))
    }

    pub(crate) async fn obligations_of(&self, which: Which) -> Result<ById<Obligation>> {
        let (condition, param) = which.on("instrument_id");
        let sql = format!("SELECT {OBLIGATION_COLUMNS} FROM obligations WHERE {condition} ORDER BY instrument_id, id");
        let rows: Vec<ObligationRow> = on_pool!(self, pool => sqlx::query_as(&sql).bind(param).fetch_all(pool).await?);
        group(rows.into_iter().map(|row| {
            let obligation = Obligation::try_from(row)?;
            Ok((obligation.instrument_id, obligation))
        }))
    }

    /// Inspections by obligation, for the obligations of these instruments.
    pub(crate) async fn inspections_of(&self, which: Which) -> Result<ById<Inspection>> {
        let (condition, param) = which.on("instrument_id");
        let sql = format!(
            "SELECT {INSPECTION_COLUMNS} FROM inspections WHERE obligation_id IN \
             (SELECT id FROM obligations WHERE {condition}) ORDER BY obligation_id, inspected_on, id"
        );
        let rows: Vec<InspectionRow> = on_pool!(self, pool => sqlx::query_as(&sql).bind(param).fetch_all(pool).await?);
        group(rows.into_iter().map(|row| {
            let inspection = Inspection::from(row);
            Ok((inspection.obligation_id, inspection))
        }))
    }

    /// Procedures by partner, where `condition` on `partner_id` has its parameter at `$1`.
    pub(crate) async fn procedures_where(&self, condition: &str, param: i64) -> Result<ById<Procedure>> {
        let sql = format!(
            "SELECT partner_id AS owner_id, id, kind, reference, subject, opened_on, closed_on FROM procedures \
             WHERE {condition} ORDER BY partner_id, opened_on DESC, id DESC"
        );
        let rows: Vec<Keyed<ProcedureRow>> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(param).fetch_all(pool).await?);
        group(rows.into_iter().map(|r| Ok((r.owner_id, Procedure::try_from(r.row)?))))
    }

    /// Tax checks by partner, newest first, chosen as for [`Store::procedures_where`].
    pub(crate) async fn tax_checks_where(&self, condition: &str, param: i64) -> Result<ById<TaxCheck>> {
        let sql = format!(
            "SELECT partner_id AS owner_id, id, checked_on, has_debt, note FROM tax_checks WHERE {condition} \
             ORDER BY partner_id, checked_on DESC, id DESC"
        );
        let rows: Vec<Keyed<TaxCheckRow>> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(param).fetch_all(pool).await?);
        group(rows.into_iter().map(|r| Ok((r.owner_id, TaxCheck::from(r.row)))))
    }

    /// Everything about one instrument. The partner's standing is taken on the approval's
    /// date once approved, and on `today` before.
    pub async fn instrument_file(
        &self,
        workspace_id: i64,
        id: i64,
        today: NaiveDate,
    ) -> Result<Option<InstrumentFile>> {
        let Some(instrument) = self.instrument(workspace_id, id).await? else {
            return Ok(None);
        };
        let mut files = self
            .files(workspace_id, vec![instrument], Which::One(id), today)
            .await?;
        Ok(files.pop())
    }

    /// The files of every instrument in the workspace, for registers and flags.
    pub async fn instrument_files(&self, workspace_id: i64, today: NaiveDate) -> Result<Vec<InstrumentFile>> {
        let instruments = self.instruments(workspace_id).await?;
        self.files(workspace_id, instruments, Which::OfWorkspace(workspace_id), today)
            .await
    }

    async fn files(
        &self,
        workspace_id: i64,
        instruments: Vec<Instrument>,
        which: Which,
        today: NaiveDate,
    ) -> Result<Vec<InstrumentFile>> {
        if instruments.is_empty() {
            return Ok(Vec::new());
        }
        let rules = self.cooperation_rules(workspace_id).await?;
        let (in_partners, param) = which.on("id");
        let sql = format!(
            "{PARTNER_SELECT} WHERE p.workspace_id = $2 AND p.id IN (SELECT partner_id FROM instruments WHERE {in_partners})"
        );
        let partners: Vec<PartnerRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(param).bind(workspace_id).fetch_all(pool).await?);
        let partners: HashMap<i64, Partner> = partners.into_iter().map(Partner::from).map(|p| (p.id, p)).collect();
        let sql = format!(
            "SELECT id, title FROM initiatives WHERE workspace_id = $2 AND id IN \
             (SELECT initiative_id FROM instruments WHERE {in_partners})"
        );
        let titles: Vec<(i64, String)> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(param).bind(workspace_id).fetch_all(pool).await?);
        let titles: HashMap<i64, String> = titles.into_iter().collect();
        let (of_partners, param) = which.partners_on("partner_id");
        let procedures = self.procedures_where(&of_partners, param).await?;
        let tax_checks = self.tax_checks_where(&of_partners, param).await?;
        let mut evidence = self.evidence_of(which).await?;
        let mut approvals = self.approvals_of(which).await?;
        let mut declarations = self.declarations_of(which).await?;
        let mut publications = self.publications_of(which).await?;
        let mut documents = self.documents_of(which).await?;
        let mut obligations = self.obligations_of(which).await?;
        let mut inspections = self.inspections_of(which).await?;
        let mut steps = self.steps_of(which).await?;

        let mut files = Vec::with_capacity(instruments.len());
        for instrument in instruments {
            let id = instrument.id;
            let partner = partners
                .get(&instrument.partner_id)
                .cloned()
                .ok_or_else(|| StoreError::not_found("partner", instrument.partner_id))?;
            let initiative_title = titles
                .get(&instrument.initiative_id)
                .cloned()
                .ok_or_else(|| StoreError::not_found("initiative", instrument.initiative_id))?;
            let rules = Rules {
                rules: rules
                    .rules
                    .iter()
                    .filter(|r| r.kind == instrument.kind)
                    .copied()
                    .collect(),
            };
            let approval = approvals.remove(&id);
            let standing = standing(
                procedures.get(&partner.id).map_or(&[][..], Vec::as_slice),
                tax_checks.get(&partner.id).map_or(&[][..], Vec::as_slice),
                approval.as_ref().map_or(today, |a| a.decided_on),
            );
            let publication = match &approval {
                Some(approval) if rules.publishes(instrument.kind) => {
                    Some(PublicationDuty::new(approval.decided_on, publications.remove(&id)))
                }
                _ => None,
            };
            let obligations = obligations.remove(&id).unwrap_or_default();
            let inspections = obligations
                .iter()
                .flat_map(|o| inspections.remove(&o.id).unwrap_or_default())
                .collect();
            files.push(InstrumentFile {
                initiative_title,
                partner,
                standing,
                rules,
                evidence: evidence.remove(&id).unwrap_or_default(),
                approval,
                declarations: declarations.remove(&id).unwrap_or_default(),
                publication,
                documents: documents.remove(&id).unwrap_or_default(),
                obligations,
                inspections,
                steps: steps.remove(&id).unwrap_or_default(),
                instrument,
            });
        }
        Ok(files)
    }
}
