//! Analyses of each workspace's street network, and their outputs. An analysis is created
//! queued, moves through its steps while it runs, and ends done with its files or failed
//! with the reason. None is ever changed after that, so the score can be followed over time.

use chrono::{DateTime, Utc};
use kopa_domain::audit::AuditAction;
use kopa_domain::street_network::{
    AnalysisFigures, AnalysisParameters, AnalysisStatus, Expected, NetworkSource, Scenario, StreetAnalysis,
};
use sqlx::FromRow;

use crate::audit::change;
use crate::db::{in_transaction, on_pool, on_writer, record_change};
use crate::{Actor, Result, Store, StoreError, code, json, snapshot};

const TABLE: &str = "street_analyses";

const COLUMNS: &str = "a.id, a.workspace_id, a.status, a.step, a.zones_done, a.zones_total, a.source, \
    a.source_name, a.source_bytes, a.data_as_of, a.parameters_json, a.figures_json, a.error, a.published, \
    u.display_name AS created_by, a.created_at, a.finished_at";

#[derive(FromRow)]
struct AnalysisRow {
    id: i64,
    workspace_id: i64,
    status: String,
    step: Option<String>,
    zones_done: i64,
    zones_total: Option<i64>,
    source: String,
    source_name: String,
    source_bytes: i64,
    data_as_of: Option<DateTime<Utc>>,
    parameters_json: String,
    figures_json: Option<String>,
    error: Option<String>,
    published: bool,
    created_by: Option<String>,
    created_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
}

impl TryFrom<AnalysisRow> for StreetAnalysis {
    type Error = crate::StoreError;

    fn try_from(r: AnalysisRow) -> Result<StreetAnalysis> {
        Ok(StreetAnalysis {
            status: code(TABLE, "status", &r.id, &r.status)?,
            source: code(TABLE, "source", &r.id, &r.source)?,
            parameters: json(TABLE, "parameters_json", &r.id, &r.parameters_json)?,
            figures: r
                .figures_json
                .as_deref()
                .map(|text| json::<AnalysisFigures>(TABLE, "figures_json", &r.id, text))
                .transpose()?,
            id: r.id,
            workspace_id: r.workspace_id,
            step: r.step,
            zones_done: r.zones_done,
            zones_total: r.zones_total,
            source_name: r.source_name,
            source_bytes: r.source_bytes,
            data_as_of: r.data_as_of,
            error: r.error,
            published: r.published,
            created_by: r.created_by,
            created_at: r.created_at,
            finished_at: r.finished_at,
        })
    }
}

/// A new analysis, as it is queued.
pub struct NewStreetAnalysis<'a> {
    pub source: NetworkSource,
    pub source_name: &'a str,
    pub source_bytes: i64,
    pub parameters: &'a AnalysisParameters,
}

/// One output of a finished analysis, compressed.
pub struct AnalysisFile {
    pub name: String,
    /// Its size before compression.
    pub bytes: i64,
    pub gzip: Vec<u8>,
}

impl Store {
    /// The workspace's analyses, newest first.
    pub async fn street_analyses(&self, workspace_id: i64) -> Result<Vec<StreetAnalysis>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM street_analyses a LEFT JOIN users u ON u.id = a.created_by \
             WHERE a.workspace_id = $1 ORDER BY a.id DESC"
        );
        let rows: Vec<AnalysisRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(workspace_id).fetch_all(pool).await?);
        rows.into_iter().map(StreetAnalysis::try_from).collect()
    }

    pub async fn street_analysis(&self, workspace_id: i64, id: i64) -> Result<Option<StreetAnalysis>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM street_analyses a LEFT JOIN users u ON u.id = a.created_by \
             WHERE a.workspace_id = $1 AND a.id = $2"
        );
        let row: Option<AnalysisRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(workspace_id).bind(id).fetch_optional(pool).await?);
        row.map(StreetAnalysis::try_from).transpose()
    }

    /// Queues an analysis.
    pub async fn queue_street_analysis(
        &self,
        actor: &Actor,
        workspace_id: i64,
        new: &NewStreetAnalysis<'_>,
    ) -> Result<StreetAnalysis> {
        let now = self.now();
        let parameters = serde_json::to_string(new.parameters).unwrap_or_default();
        let id = in_transaction!(self, tx => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO street_analyses (workspace_id, status, source, source_name, source_bytes, parameters_json, \
                 created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(workspace_id)
            .bind(AnalysisStatus::Queued.to_string())
            .bind(new.source.to_string())
            .bind(new.source_name)
            .bind(new.source_bytes)
            .bind(&parameters)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let after = serde_json::json!({
                "source": new.source, "source_name": new.source_name, "source_bytes": new.source_bytes,
                "parameters": new.parameters,
            });
            record_change!(self, tx, change(actor, Some(workspace_id), "street_analysis", id, AuditAction::Create, None, snapshot(&after)));
            id
        });
        self.existing_analysis(workspace_id, id).await
    }

    async fn existing_analysis(&self, workspace_id: i64, id: i64) -> Result<StreetAnalysis> {
        self.street_analysis(workspace_id, id)
            .await?
            .ok_or_else(|| kopa_domain::Invalid::single("analysis", "error-unknown").into())
    }

    /// Records how far a running analysis got. Progress is not audited: only how it ends is.
    pub async fn street_analysis_progress(
        &self,
        id: i64,
        step: &str,
        zones_done: i64,
        zones_total: Option<i64>,
    ) -> Result<()> {
        on_writer!(self, pool => sqlx::query(
            "UPDATE street_analyses SET status = $1, step = $2, zones_done = $3, zones_total = $4 \
             WHERE id = $5 AND status IN ('queued', 'running')",
        )
        .bind(AnalysisStatus::Running.to_string())
        .bind(step)
        .bind(zones_done)
        .bind(zones_total)
        .bind(id)
        .execute(pool)
        .await
        .map(|_| ())?);
        Ok(())
    }

    /// Stores a finished analysis's figures and files, all or none.
    pub async fn finish_street_analysis(
        &self,
        actor: &Actor,
        workspace_id: i64,
        id: i64,
        figures: &AnalysisFigures,
        data_as_of: Option<DateTime<Utc>>,
        files: &[AnalysisFile],
    ) -> Result<StreetAnalysis> {
        let now = self.now();
        let text = serde_json::to_string(figures).unwrap_or_default();
        in_transaction!(self, tx => {
            for file in files {
                sqlx::query("INSERT INTO street_analysis_files (analysis_id, name, bytes, gzip) VALUES ($1, $2, $3, $4)")
                    .bind(id)
                    .bind(&file.name)
                    .bind(file.bytes)
                    .bind(&file.gzip)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(
                "UPDATE street_analyses SET status = $1, step = NULL, figures_json = $2, data_as_of = $3, finished_at = $4 \
                 WHERE id = $5 AND workspace_id = $6",
            )
            .bind(AnalysisStatus::Done.to_string())
            .bind(&text)
            .bind(data_as_of)
            .bind(now)
            .bind(id)
            .bind(workspace_id)
            .execute(&mut *tx)
            .await?;
            let after = serde_json::json!({ "status": AnalysisStatus::Done, "figures": figures, "data_as_of": data_as_of,
                "files": files.iter().map(|f| (&f.name, f.bytes)).collect::<Vec<_>>() });
            record_change!(self, tx, change(actor, Some(workspace_id), "street_analysis", id, AuditAction::Update, None, snapshot(&after)));
        });
        self.existing_analysis(workspace_id, id).await
    }

    /// Ends an analysis that could not finish, with the reason.
    pub async fn fail_street_analysis(&self, actor: &Actor, workspace_id: i64, id: i64, error: &str) -> Result<()> {
        let now = self.now();
        in_transaction!(self, tx => {
            sqlx::query(
                "UPDATE street_analyses SET status = $1, error = $2, finished_at = $3 WHERE id = $4 AND workspace_id = $5",
            )
            .bind(AnalysisStatus::Failed.to_string())
            .bind(error)
            .bind(now)
            .bind(id)
            .bind(workspace_id)
            .execute(&mut *tx)
            .await?;
            let after = serde_json::json!({ "status": AnalysisStatus::Failed, "error": error });
            record_change!(self, tx, change(actor, Some(workspace_id), "street_analysis", id, AuditAction::Update, None, snapshot(&after)));
        });
        Ok(())
    }

    /// The analyses left queued or running when a server stopped, of every workspace: their
    /// uploads are gone, so they can only be failed.
    pub async fn unfinished_street_analyses(&self) -> Result<Vec<(i64, i64)>> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT workspace_id, id FROM street_analyses WHERE status IN ('queued', 'running') ORDER BY id",
        )
        .fetch_all(pool)
        .await?))
    }

    /// Shows a finished analysis to visitors, or stops showing it.
    pub async fn publish_street_analysis(
        &self,
        actor: &Actor,
        workspace_id: i64,
        id: i64,
        published: bool,
    ) -> Result<StreetAnalysis> {
        let before = self.existing_analysis(workspace_id, id).await?;
        if !before.is_done() {
            return Err(kopa_domain::Invalid::single("analysis", "error-analysis-not-done").into());
        }
        in_transaction!(self, tx => {
            sqlx::query("UPDATE street_analyses SET published = $1 WHERE id = $2 AND workspace_id = $3")
                .bind(published)
                .bind(id)
                .bind(workspace_id)
                .execute(&mut *tx)
                .await?;
            let before = serde_json::json!({ "published": before.published });
            let after = serde_json::json!({ "published": published });
            record_change!(self, tx, change(actor, Some(workspace_id), "street_analysis", id, AuditAction::Update, snapshot(&before), snapshot(&after)));
        });
        self.existing_analysis(workspace_id, id).await
    }

    /// One output of an analysis of the workspace, compressed, with its size before.
    pub async fn street_analysis_file(&self, workspace_id: i64, id: i64, name: &str) -> Result<Option<(i64, Vec<u8>)>> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT f.bytes, f.gzip FROM street_analysis_files f JOIN street_analyses a ON a.id = f.analysis_id \
             WHERE a.workspace_id = $1 AND f.analysis_id = $2 AND f.name = $3",
        )
        .bind(workspace_id)
        .bind(id)
        .bind(name)
        .fetch_optional(pool)
        .await?))
    }
}

const SCENARIOS: &str = "street_scenarios";

const SCENARIO_COLUMNS: &str = "s.id, s.workspace_id, s.analysis_id, s.title, s.edits_json, s.expected_json, \
    s.initiative_id, u.display_name AS created_by, s.created_at";

#[derive(FromRow)]
struct ScenarioRow {
    id: i64,
    workspace_id: i64,
    analysis_id: i64,
    title: String,
    edits_json: String,
    expected_json: String,
    initiative_id: Option<i64>,
    created_by: Option<String>,
    created_at: DateTime<Utc>,
}

impl TryFrom<ScenarioRow> for Scenario {
    type Error = crate::StoreError;

    fn try_from(r: ScenarioRow) -> Result<Scenario> {
        Ok(Scenario {
            edits: json(SCENARIOS, "edits_json", &r.id, &r.edits_json)?,
            expected: json(SCENARIOS, "expected_json", &r.id, &r.expected_json)?,
            id: r.id,
            workspace_id: r.workspace_id,
            analysis_id: r.analysis_id,
            title: r.title,
            initiative_id: r.initiative_id,
            created_by: r.created_by,
            created_at: r.created_at,
        })
    }
}

/// A scenario as it is saved.
pub struct NewScenario<'a> {
    pub analysis_id: i64,
    pub title: &'a str,
    pub edits: &'a serde_json::Value,
    pub expected: &'a Expected,
    pub initiative_id: Option<i64>,
}

impl Store {
    /// Saves a scenario of one of the workspace's analyses.
    pub async fn save_scenario(&self, actor: &Actor, workspace_id: i64, new: &NewScenario<'_>) -> Result<Scenario> {
        let now = self.now();
        let (edits, expected) = (
            new.edits.to_string(),
            serde_json::to_string(new.expected).unwrap_or_default(),
        );
        let id = in_transaction!(self, tx => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO street_scenarios (workspace_id, analysis_id, title, edits_json, expected_json, initiative_id, \
                 created_by, created_at) \
                 SELECT $1, a.id, $3, $4, $5, $6, $7, $8 FROM street_analyses a WHERE a.id = $2 AND a.workspace_id = $1 \
                 RETURNING id",
            )
            .bind(workspace_id)
            .bind(new.analysis_id)
            .bind(new.title)
            .bind(&edits)
            .bind(&expected)
            .bind(new.initiative_id)
            .bind(actor.user_id)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| kopa_domain::Invalid::single("analysis", "error-unknown"))?;
            let after = serde_json::json!({
                "analysis_id": new.analysis_id, "title": new.title, "edits": new.edits,
                "expected": new.expected, "initiative_id": new.initiative_id,
            });
            record_change!(self, tx, change(actor, Some(workspace_id), "street_scenario", id, AuditAction::Create, None, snapshot(&after)));
            id
        });
        let saved = self.street_scenarios(workspace_id, Some(&[id])).await?;
        saved
            .into_iter()
            .next()
            .ok_or_else(|| StoreError::not_found("scenario", id))
    }

    /// The workspace's saved scenarios with these ids; all of them for `None`, newest first.
    pub async fn street_scenarios(&self, workspace_id: i64, ids: Option<&[i64]>) -> Result<Vec<Scenario>> {
        // Ids are numbers, so listing them in the statement is safe.
        let only = match ids {
            None => String::new(),
            Some([]) => return Ok(Vec::new()),
            Some(ids) => format!(
                " AND s.id IN ({})",
                ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
            ),
        };
        self.scenarios_where(workspace_id, &only).await
    }

    /// The scenarios saved as an initiative's expected effect, newest first.
    pub async fn initiative_scenarios(&self, workspace_id: i64, initiative_id: i64) -> Result<Vec<Scenario>> {
        self.scenarios_where(workspace_id, &format!(" AND s.initiative_id = {initiative_id}"))
            .await
    }

    async fn scenarios_where(&self, workspace_id: i64, only: &str) -> Result<Vec<Scenario>> {
        let sql = format!(
            "SELECT {SCENARIO_COLUMNS} FROM street_scenarios s LEFT JOIN users u ON u.id = s.created_by \
             WHERE s.workspace_id = $1{only} ORDER BY s.id DESC"
        );
        let rows: Vec<ScenarioRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(workspace_id).fetch_all(pool).await?);
        rows.into_iter().map(Scenario::try_from).collect()
    }
}
