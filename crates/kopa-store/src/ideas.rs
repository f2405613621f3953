//! Ideas, their supporters and their threaded comments, and the moderators' decisions.

use chrono::{DateTime, Utc};
use kopa_domain::Invalid;
use kopa_domain::audit::AuditAction;
use kopa_domain::idea::{Became, Comment, Idea, IdeaStatus, Moderation, NewComment, NewIdea, Place};
use kopa_domain::validation::Code;
use sqlx::FromRow;

use crate::audit::change;
use crate::db::{in_transaction, on_pool, record_change};
use crate::{Actor, Result, Store, StoreError, code, json, read_all, snapshot};

/// Who writes an idea or a comment: their account, and the name shown with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    pub user_id: Option<i64>,
    pub name: String,
}

#[derive(FromRow)]
pub(crate) struct IdeaRow {
    id: i64,
    workspace_id: i64,
    title: String,
    body: String,
    place_geojson: Option<String>,
    author_user_id: Option<i64>,
    author_name: String,
    created_at: DateTime<Utc>,
    status: String,
    hidden_reason: Option<String>,
    merged_into: Option<i64>,
    answer: Option<String>,
    answered_at: Option<DateTime<Utc>>,
    is_example: bool,
    supporters: i64,
    comments: i64,
    initiative_id: Option<i64>,
    initiative_title: Option<String>,
    initiative_status: Option<String>,
}

impl TryFrom<IdeaRow> for Idea {
    type Error = StoreError;

    fn try_from(r: IdeaRow) -> Result<Idea> {
        Ok(Idea {
            id: r.id,
            workspace_id: r.workspace_id,
            title: r.title,
            body: r.body,
            place: r
                .place_geojson
                .map(|text| json::<Place>("ideas", "place_geojson", &r.id, &text))
                .transpose()?,
            author_user_id: r.author_user_id,
            author_name: r.author_name,
            created_at: r.created_at,
            status: code("ideas", "status", &r.id, &r.status)?,
            hidden_reason: r.hidden_reason,
            merged_into: r.merged_into,
            answer: r.answer,
            answered_at: r.answered_at,
            supporters: r.supporters,
            comments: r.comments,
            is_example: r.is_example,
            became: match (r.initiative_id, r.initiative_title, r.initiative_status) {
                (Some(initiative_id), Some(title), Some(status)) => Some(Became {
                    initiative_id,
                    title,
                    status: code("initiatives", "status", &initiative_id, &status)?,
                }),
                _ => None,
            },
        })
    }
}

#[derive(FromRow)]
struct CommentRow {
    id: i64,
    idea_id: i64,
    parent_id: Option<i64>,
    author_user_id: Option<i64>,
    author_name: String,
    body: String,
    created_at: DateTime<Utc>,
}

impl From<CommentRow> for Comment {
    fn from(r: CommentRow) -> Comment {
        Comment {
            id: r.id,
            idea_id: r.idea_id,
            parent_id: r.parent_id,
            author_user_id: r.author_user_id,
            author_name: r.author_name,
            body: r.body,
            created_at: r.created_at,
        }
    }
}

pub(crate) const IDEA_SELECT: &str = "SELECT i.id, i.workspace_id, i.title, i.body, i.place_geojson, i.author_user_id, \
     i.author_name, i.created_at, i.status, i.hidden_reason, i.merged_into, i.answer, i.answered_at, i.is_example, \
     (SELECT COUNT(*) FROM idea_supports s WHERE s.idea_id = i.id) AS supporters, \
     (SELECT COUNT(*) FROM idea_comments c WHERE c.idea_id = i.id) AS comments, \
     b.id AS initiative_id, b.title AS initiative_title, b.status AS initiative_status \
     FROM ideas i LEFT JOIN initiatives b ON b.id = \
       (SELECT MIN(l.initiative_id) FROM initiative_links l WHERE l.kind = 'idea' AND l.target_id = i.id)";
const COMMENT_COLUMNS: &str = "id, idea_id, parent_id, author_user_id, author_name, body, created_at";

impl Store {
    /// The workspace's ideas, newest first: the open ones, or with `all` also those hidden or
    /// merged (for moderators).
    pub async fn ideas(&self, workspace_id: i64, all: bool) -> Result<Vec<Idea>> {
        let filter = if all { "" } else { " AND i.status = 'open'" };
        let sql = format!("{IDEA_SELECT} WHERE i.workspace_id = $1{filter} ORDER BY i.created_at DESC, i.id DESC");
        let rows: Vec<IdeaRow> = on_pool!(self, pool => sqlx::query_as(&sql).bind(workspace_id).fetch_all(pool).await?);
        read_all(rows)
    }

    /// At most `limit` of the workspace's ideas, newest first, after skipping `offset`; with
    /// how many there are in all.
    pub async fn ideas_page(&self, workspace_id: i64, all: bool, limit: i64, offset: i64) -> Result<Vec<Idea>> {
        let filter = if all { "" } else { " AND i.status = 'open'" };
        let sql = format!(
            "{IDEA_SELECT} WHERE i.workspace_id = $1{filter} ORDER BY i.created_at DESC, i.id DESC LIMIT $2 OFFSET $3"
        );
        let rows: Vec<IdeaRow> = on_pool!(self, pool => sqlx::query_as(&sql).bind(workspace_id).bind(limit).bind(offset).fetch_all(pool).await?);
        read_all(rows)
    }

    /// How many ideas the workspace has: the open ones, or with `all` every one.
    pub async fn ideas_count(&self, workspace_id: i64, all: bool) -> Result<i64> {
        let filter = if all { "" } else { " AND i.status = 'open'" };
        let count = format!("SELECT COUNT(*) FROM ideas i WHERE i.workspace_id = $1{filter}");
        Ok(on_pool!(self, pool => sqlx::query_scalar(&count).bind(workspace_id).fetch_one(pool).await?))
    }

    /// At most `limit` ideas, newest added first, of those added before idea `before` (all
    /// when `None`): a cursor that holds while ideas are added.
    pub async fn ideas_before(
        &self,
        workspace_id: i64,
        all: bool,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Idea>> {
        let filter = if all { "" } else { " AND i.status = 'open'" };
        let sql = format!("{IDEA_SELECT} WHERE i.workspace_id = $1{filter} AND i.id < $2 ORDER BY i.id DESC LIMIT $3");
        let rows: Vec<IdeaRow> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(workspace_id)
            .bind(before.unwrap_or(i64::MAX))
            .bind(limit)
            .fetch_all(pool)
            .await?);
        read_all(rows)
    }

    /// The `each` open ideas proposed just before and just after this one, oldest first: where
    /// a moderator looks for its duplicates, in two indexed queries however many ideas there are.
    pub async fn open_ideas_around(&self, workspace_id: i64, idea: &Idea, each: i64) -> Result<Vec<Idea>> {
        let side = |comparison: &str, order: &str| {
            format!(
                "{IDEA_SELECT} WHERE i.workspace_id = $1 AND i.status = 'open' AND i.id <> $2 \
                 AND i.created_at {comparison} $3 ORDER BY i.created_at {order}, i.id {order} LIMIT $4"
            )
        };
        let (before, after) = (side("<=", "DESC"), side(">", "ASC"));
        let mut rows: Vec<IdeaRow> = Vec::new();
        for sql in [&before, &after] {
            let found: Vec<IdeaRow> = on_pool!(self, pool => sqlx::query_as(sql)
                .bind(workspace_id)
                .bind(idea.id)
                .bind(idea.created_at)
                .bind(each)
                .fetch_all(pool)
                .await?);
            rows.extend(found);
        }
        let mut ideas: Vec<Idea> = read_all(rows)?;
        ideas.sort_by_key(|i| (i.created_at, i.id));
        Ok(ideas)
    }

    /// The open ideas no one has answered or taken up yet, oldest first, at most `limit` of
    /// them, and how many there are in all.
    pub async fn ideas_awaiting_answer(&self, workspace_id: i64, limit: i64) -> Result<(i64, Vec<Idea>)> {
        const WAITING: &str = "i.workspace_id = $1 AND i.status = 'open' AND i.answer IS NULL \
             AND NOT EXISTS (SELECT 1 FROM initiative_links l WHERE l.kind = 'idea' AND l.target_id = i.id)";
        let sql = format!("{IDEA_SELECT} WHERE {WAITING} ORDER BY i.created_at, i.id LIMIT $2");
        let count = format!("SELECT COUNT(*) FROM ideas i WHERE {WAITING}");
        let (rows, total): (Vec<IdeaRow>, i64) = on_pool!(self, pool => (
            sqlx::query_as(&sql).bind(workspace_id).bind(limit).fetch_all(pool).await?,
            sqlx::query_scalar(&count).bind(workspace_id).fetch_one(pool).await?,
        ));
        Ok((total, read_all(rows)?))
    }

    pub async fn idea(&self, workspace_id: i64, id: i64) -> Result<Option<Idea>> {
        let sql = format!("{IDEA_SELECT} WHERE i.workspace_id = $1 AND i.id = $2");
        let row: Option<IdeaRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(workspace_id).bind(id).fetch_optional(pool).await?);
        row.map(Idea::try_from).transpose()
    }

    pub async fn create_idea(&self, actor: &Actor, workspace_id: i64, author: &Author, new: &NewIdea) -> Result<Idea> {
        self.check_place(workspace_id, new.place.as_ref()).await?;
        let now = new.proposed_at.unwrap_or_else(|| self.now());
        let id = in_transaction!(self, tx => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO ideas (workspace_id, title, body, place_geojson, author_user_id, author_name, created_at, status, is_example) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8) RETURNING id",
            )
            .bind(workspace_id)
            .bind(&new.title)
            .bind(&new.body)
            .bind(new.place.as_ref().map(Place::to_geojson))
            .bind(author.user_id)
            .bind(&author.name)
            .bind(now)
            .bind(new.is_example)
            .fetch_one(&mut *tx)
            .await?;
            let after = serde_json::json!({ "title": new.title, "body": new.body, "place": new.place, "author": author.name });
            record_change!(self, tx, change(actor, Some(workspace_id), "idea", id, AuditAction::Create, None, snapshot(&after)));
            id
        });
        self.existing_idea(workspace_id, id).await
    }

    pub(crate) async fn existing_idea(&self, workspace_id: i64, id: i64) -> Result<Idea> {
        self.idea(workspace_id, id)
            .await?
            .ok_or_else(|| Invalid::single("idea", "error-unknown").into())
    }

    /// An idea that may still gather support and comments.
    async fn open_idea(&self, workspace_id: i64, id: i64) -> Result<Idea> {
        let idea = self.existing_idea(workspace_id, id).await?;
        if idea.status != IdeaStatus::Open {
            return Err(Invalid::single("idea", "error-idea-closed").into());
        }
        Ok(idea)
    }

    /// Whether this person supports the idea.
    pub async fn supports_idea(&self, idea_id: i64, user_id: i64) -> Result<bool> {
        let found: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT idea_id FROM idea_supports WHERE idea_id = $1 AND user_id = $2",
        )
        .bind(idea_id)
        .bind(user_id)
        .fetch_optional(pool)
        .await?);
        Ok(found.is_some())
    }

    /// Adds a person's support, once: `false` when they already supported it.
    pub async fn support_idea(&self, actor: &Actor, workspace_id: i64, idea_id: i64, user_id: i64) -> Result<bool> {
        self.open_idea(workspace_id, idea_id).await?;
        let now = self.now();
        let added = in_transaction!(self, tx => {
            let added = sqlx::query(
                "INSERT INTO idea_supports (idea_id, user_id, supported_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(idea_id)
            .bind(user_id)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if added {
                let after = serde_json::json!({ "idea_id": idea_id, "user_id": user_id });
                record_change!(self, tx, change(actor, Some(workspace_id), "idea_support", idea_id, AuditAction::Create, None, snapshot(&after)));
            }
            added
        });
        Ok(added)
    }

    /// Takes a person's support back: `false` when they had not supported it.
    pub async fn withdraw_support(&self, actor: &Actor, workspace_id: i64, idea_id: i64, user_id: i64) -> Result<bool> {
        self.existing_idea(workspace_id, idea_id).await?;
        let removed = in_transaction!(self, tx => {
            let removed = sqlx::query("DELETE FROM idea_supports WHERE idea_id = $1 AND user_id = $2")
                .bind(idea_id)
                .bind(user_id)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1;
            if removed {
                let before = serde_json::json!({ "idea_id": idea_id, "user_id": user_id });
                record_change!(self, tx, change(actor, Some(workspace_id), "idea_support", idea_id, AuditAction::Delete, snapshot(&before), None));
            }
            removed
        });
        Ok(removed)
    }

    /// The idea's comments, oldest first; threads follow `parent_id`.
    pub async fn idea_comments(&self, idea_id: i64) -> Result<Vec<Comment>> {
        let sql = format!("SELECT {COMMENT_COLUMNS} FROM idea_comments WHERE idea_id = $1 ORDER BY created_at, id");
        let rows: Vec<CommentRow> = on_pool!(self, pool => sqlx::query_as(&sql).bind(idea_id).fetch_all(pool).await?);
        Ok(rows.into_iter().map(Comment::from).collect())
    }

    /// Adds a comment, answering another comment on the same idea when `parent_id` is given.
    pub async fn comment_on_idea(
        &self,
        actor: &Actor,
        workspace_id: i64,
        idea_id: i64,
        author: &Author,
        new: &NewComment,
    ) -> Result<Comment> {
        self.open_idea(workspace_id, idea_id).await?;
        if let Some(parent) = new.parent_id
            && !self.idea_comments(idea_id).await?.iter().any(|c| c.id == parent)
        {
            return Err(Invalid::single("parent_id", "error-unknown").into());
        }
        let now = self.now();
        let comment = in_transaction!(self, tx => {
            let row: CommentRow = sqlx::query_as(&format!(
                "INSERT INTO idea_comments (idea_id, parent_id, author_user_id, author_name, body, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING {COMMENT_COLUMNS}"
            ))
            .bind(idea_id)
            .bind(new.parent_id)
            .bind(author.user_id)
            .bind(&author.name)
            .bind(&new.body)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let comment = Comment::from(row);
            record_change!(self, tx, change(actor, Some(workspace_id), "idea_comment", comment.id, AuditAction::Create, None, snapshot(&comment)));
            comment
        });
        Ok(comment)
    }

    /// Carries out a moderator's decision and returns the idea as it now stands.
    pub async fn moderate_idea(
        &self,
        actor: &Actor,
        workspace_id: i64,
        idea_id: i64,
        moderation: &Moderation,
    ) -> Result<Idea> {
        let before = self.existing_idea(workspace_id, idea_id).await?;
        match moderation {
            Moderation::Restore if before.status != IdeaStatus::Hidden => {
                return Err(Invalid::single("action", "error-idea-not-hidden").into());
            }
            Moderation::Merge { into } => {
                let target = self.idea(workspace_id, *into).await?;
                if *into == idea_id || target.is_none_or(|t| t.status == IdeaStatus::Merged) {
                    return Err(Invalid::single("into", "error-unknown").into());
                }
            }
            _ => {}
        }
        let now = self.now();
        in_transaction!(self, tx => {
            match moderation {
                Moderation::Hide { reason } => {
                    sqlx::query("UPDATE ideas SET status = $1, hidden_reason = $2 WHERE id = $3")
                        .bind(IdeaStatus::Hidden.code())
                        .bind(reason)
                        .bind(idea_id)
                        .execute(&mut *tx)
                        .await?;
                }
                Moderation::Restore => {
                    sqlx::query("UPDATE ideas SET status = $1, hidden_reason = NULL WHERE id = $2")
                        .bind(IdeaStatus::Open.code())
                        .bind(idea_id)
                        .execute(&mut *tx)
                        .await?;
                }
                Moderation::Merge { into } => {
                    // Supporters of the duplicate support the idea it joins, each once.
                    sqlx::query(
                        "INSERT INTO idea_supports (idea_id, user_id, supported_at) \
                         SELECT $1, user_id, supported_at FROM idea_supports WHERE idea_id = $2 ON CONFLICT DO NOTHING",
                    )
                    .bind(into)
                    .bind(idea_id)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query("DELETE FROM idea_supports WHERE idea_id = $1")
                        .bind(idea_id)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query("UPDATE ideas SET status = $1, merged_into = $2 WHERE id = $3")
                        .bind(IdeaStatus::Merged.code())
                        .bind(into)
                        .bind(idea_id)
                        .execute(&mut *tx)
                        .await?;
                }
                Moderation::Answer { text } => {
                    sqlx::query("UPDATE ideas SET answer = $1, answered_at = $2 WHERE id = $3")
                        .bind(text)
                        .bind(now)
                        .bind(idea_id)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            let after = match moderation {
                Moderation::Hide { reason } => serde_json::json!({ "status": "hidden", "reason": reason }),
                Moderation::Restore => serde_json::json!({ "status": "open" }),
                Moderation::Merge { into } => serde_json::json!({ "status": "merged", "merged_into": into }),
                Moderation::Answer { text } => serde_json::json!({ "answer": text }),
            };
            let before = serde_json::json!({ "status": before.status, "hidden_reason": before.hidden_reason, "answer": before.answer });
            record_change!(self, tx, change(actor, Some(workspace_id), "idea", idea_id, AuditAction::Update, snapshot(&before), snapshot(&after)));
        });
        self.existing_idea(workspace_id, idea_id).await
    }
}
