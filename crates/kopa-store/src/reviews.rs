//! Reviews of plan versions: the city's request, the reviewers' comments on its sections and
//! items, and the city's answers. A review's comments are plan comments that carry a review,
//! a state and an answer.

use chrono::{DateTime, NaiveDate, Utc};
use kopa_domain::Invalid;
use kopa_domain::audit::AuditAction;
use kopa_domain::plan::review::{Answer, CommentState, CommentTarget, ReviewRequest, ReviewStanding};
use kopa_domain::validation::Code;
use serde::Serialize;
use sqlx::FromRow;

use crate::audit::change;
use crate::db::{in_transaction, on_pool, record_change};
use crate::{Actor, Result, Store, StoreError, code, snapshot};

/// A city's request for a review of one version, with how its comments stand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PlanReview {
    pub id: i64,
    pub version: i64,
    pub due_on: NaiveDate,
    pub note: Option<String>,
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    /// Comments waiting for the city's answer.
    pub open: usize,
    /// Comments raised in all.
    pub raised: usize,
}

#[derive(FromRow)]
struct ReviewRow {
    id: i64,
    version: i64,
    due_on: NaiveDate,
    note: Option<String>,
    requested_by: String,
    requested_at: DateTime<Utc>,
}

/// A reviewer's comment, with the city's answer once given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReviewComment {
    pub id: i64,
    pub review_id: i64,
    /// `section:actions` or `action:3`.
    pub item: String,
    pub author: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub state: CommentState,
    pub answer: Option<String>,
    pub answered_by: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
}

#[derive(FromRow)]
struct CommentRow {
    id: i64,
    review_id: i64,
    item: String,
    author: String,
    body: String,
    created_at: DateTime<Utc>,
    state: Option<String>,
    answer: Option<String>,
    answered_by: Option<String>,
    answered_at: Option<DateTime<Utc>>,
}

impl TryFrom<CommentRow> for ReviewComment {
    type Error = StoreError;

    fn try_from(r: CommentRow) -> Result<ReviewComment> {
        // A review's comment always has a state: none is as unreadable as an unknown one.
        let state = code("plan_comments", "state", &r.id, r.state.as_deref().unwrap_or_default())?;
        Ok(ReviewComment {
            id: r.id,
            review_id: r.review_id,
            item: r.item,
            author: r.author,
            body: r.body,
            created_at: r.created_at,
            state,
            answer: r.answer,
            answered_by: r.answered_by,
            answered_at: r.answered_at,
        })
    }
}

const REVIEW_SELECT: &str = "SELECT r.id, v.number AS version, r.due_on, r.note, u.display_name AS requested_by, \
     r.requested_at FROM plan_reviews r JOIN plan_versions v ON v.id = r.version_id \
     JOIN users u ON u.id = r.requested_by";

const COMMENT_SELECT: &str = "SELECT c.id, c.review_id, c.item, u.display_name AS author, c.body, c.created_at, \
     c.state, c.answer, a.display_name AS answered_by, c.answered_at FROM plan_comments c \
     JOIN users u ON u.id = c.author_id LEFT JOIN users a ON a.id = c.answered_by";

impl Store {
    /// Asks for a review of one of the workspace's plan versions, for the person `by`.
    pub async fn request_review(
        &self,
        actor: &Actor,
        workspace_id: i64,
        request: &ReviewRequest,
        by: i64,
    ) -> Result<PlanReview> {
        let version = self
            .plan_version(workspace_id, request.version)
            .await?
            .ok_or_else(|| Invalid::single("version", "error-unknown"))?;
        let (requested_by, now) = (by, self.now());
        let id = in_transaction!(self, tx => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO plan_reviews (workspace_id, version_id, due_on, note, requested_by, requested_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(workspace_id)
            .bind(version.info.id)
            .bind(request.due_on)
            .bind(&request.note)
            .bind(requested_by)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let after = serde_json::json!({
                "version": request.version,
                "due_on": request.due_on,
                "note": request.note,
            });
            record_change!(self, tx, change(actor, Some(workspace_id), "plan_review", id, AuditAction::Create, None, snapshot(&after)));
            id
        });
        self.plan_review(workspace_id, id)
            .await?
            .ok_or_else(|| StoreError::not_found("plan review", id))
    }

    /// The workspace's reviews, newest first, each with how its comments stand.
    pub async fn plan_reviews(&self, workspace_id: i64) -> Result<Vec<PlanReview>> {
        let sql = format!("{REVIEW_SELECT} WHERE r.workspace_id = $1 ORDER BY r.requested_at DESC, r.id DESC");
        let rows: Vec<ReviewRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(workspace_id).fetch_all(pool).await?);
        let comments = self.review_comments_of(workspace_id, None).await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let standing = ReviewStanding::of(comments.iter().filter(|c| c.review_id == r.id).map(|c| c.state));
                review(r, standing)
            })
            .collect())
    }

    pub async fn plan_review(&self, workspace_id: i64, id: i64) -> Result<Option<PlanReview>> {
        Ok(self
            .plan_review_with_comments(workspace_id, id)
            .await?
            .map(|(review, _)| review))
    }

    /// One review with its comments, oldest first, read once for both.
    pub async fn plan_review_with_comments(
        &self,
        workspace_id: i64,
        id: i64,
    ) -> Result<Option<(PlanReview, Vec<ReviewComment>)>> {
        let sql = format!("{REVIEW_SELECT} WHERE r.workspace_id = $1 AND r.id = $2");
        let row: Option<ReviewRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(workspace_id).bind(id).fetch_optional(pool).await?);
        let Some(row) = row else { return Ok(None) };
        let comments = self.review_comments_of(workspace_id, Some(id)).await?;
        let standing = ReviewStanding::of(comments.iter().map(|c| c.state));
        Ok(Some((review(row, standing), comments)))
    }

    /// The comments of one review, oldest first.
    pub async fn review_comments(&self, workspace_id: i64, review_id: i64) -> Result<Vec<ReviewComment>> {
        self.review_comments_of(workspace_id, Some(review_id)).await
    }

    async fn review_comments_of(&self, workspace_id: i64, review_id: Option<i64>) -> Result<Vec<ReviewComment>> {
        let sql = format!(
            "{COMMENT_SELECT} WHERE c.workspace_id = $1 AND c.review_id IS NOT NULL \
             AND ($2 IS NULL OR c.review_id = $2) ORDER BY c.created_at, c.id"
        );
        let rows: Vec<CommentRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(workspace_id).bind(review_id).fetch_all(pool).await?);
        rows.into_iter().map(ReviewComment::try_from).collect()
    }

    /// The comment of the reviewer `by` on a section or an item of the version under review.
    pub async fn comment_in_review(
        &self,
        actor: &Actor,
        workspace_id: i64,
        review_id: i64,
        by: i64,
        (item, body): (&str, &str),
    ) -> Result<i64> {
        let review = self
            .plan_review(workspace_id, review_id)
            .await?
            .ok_or_else(|| StoreError::not_found("plan review", review_id))?;
        let version = self
            .plan_version(workspace_id, review.version)
            .await?
            .ok_or_else(|| StoreError::not_found("plan version", review.version))?;
        let mut invalid = Invalid::new();
        let body = invalid.required_text("body", body, 4000);
        if CommentTarget::in_plan(item, &version.plan).is_none() {
            invalid.add("item", "error-unknown");
        }
        invalid.into_result()?;
        let (author, now) = (by, self.now());
        Ok(in_transaction!(self, tx => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO plan_comments (workspace_id, item, author_id, body, created_at, review_id, state) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(workspace_id)
            .bind(item)
            .bind(author)
            .bind(&body)
            .bind(now)
            .bind(review_id)
            .bind(CommentState::Open.code())
            .fetch_one(&mut *tx)
            .await?;
            let after = serde_json::json!({ "review": review_id, "item": item, "body": body, "state": CommentState::Open });
            record_change!(self, tx, change(actor, Some(workspace_id), "plan_comment", id, AuditAction::Create, None, snapshot(&after)));
            id
        }))
    }

    /// Whether `user_id` coordinates or administers another partner city of the network: a
    /// peer, who may review the city's plans.
    pub async fn coordinates_a_peer(&self, user_id: i64, network_id: i64, workspace_id: i64) -> Result<bool> {
        let found: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT r.user_id FROM workspace_roles r JOIN workspaces w ON w.id = r.workspace_id \
             WHERE w.network_id = $1 AND w.id <> $2 AND r.user_id = $3 AND r.role IN ('coordinator', 'admin') \
             AND r.deactivated_at IS NULL LIMIT 1",
        )
        .bind(network_id)
        .bind(workspace_id)
        .bind(user_id)
        .fetch_optional(pool)
        .await?);
        Ok(found.is_some())
    }

    /// One comment of a review, as it stands.
    pub async fn review_comment(&self, workspace_id: i64, id: i64) -> Result<Option<ReviewComment>> {
        let sql = format!("{COMMENT_SELECT} WHERE c.workspace_id = $1 AND c.id = $2 AND c.review_id IS NOT NULL");
        let row: Option<CommentRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(workspace_id).bind(id).fetch_optional(pool).await?);
        row.map(ReviewComment::try_from).transpose()
    }

    /// The city's answer, given by `by`, to a comment that still stands as `before`: of two
    /// answers given at once, only one lands.
    pub async fn answer_review_comment(
        &self,
        actor: &Actor,
        workspace_id: i64,
        before: &ReviewComment,
        (answer, by): (&Answer, i64),
    ) -> Result<ReviewComment> {
        let (answered_by, now) = (by, self.now());
        in_transaction!(self, tx => {
            let moved = sqlx::query(
                "UPDATE plan_comments SET state = $1, answer = $2, answered_by = $3, answered_at = $4 \
                 WHERE id = $5 AND workspace_id = $6 AND state = $7",
            )
            .bind(answer.state.code())
            .bind(&answer.answer)
            .bind(answered_by)
            .bind(now)
            .bind(before.id)
            .bind(workspace_id)
            .bind(before.state.code())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if moved != 1 {
                return Err(Invalid::single("state", "error-comment-settled").into());
            }
            let was = serde_json::json!({ "state": before.state, "answer": before.answer });
            let after = serde_json::json!({ "state": answer.state, "answer": answer.answer });
            record_change!(self, tx, change(actor, Some(workspace_id), "plan_comment", before.id, AuditAction::Update, snapshot(&was), snapshot(&after)));
        });
        self.review_comment(workspace_id, before.id)
            .await?
            .ok_or_else(|| StoreError::not_found("plan comment", before.id))
    }
}

fn review(r: ReviewRow, standing: ReviewStanding) -> PlanReview {
    PlanReview {
        id: r.id,
        version: r.version,
        due_on: r.due_on,
        note: r.note,
        requested_by: r.requested_by,
        requested_at: r.requested_at,
        open: standing.open,
        raised: standing.raised(),
    }
}
