//! Photos of ideas: stored in the database with the idea, so backups hold them too.

use chrono::{DateTime, Utc};
use kopa_domain::Invalid;
use kopa_domain::audit::AuditAction;
use serde::Serialize;
use sqlx::FromRow;

use crate::audit::change;
use crate::db::{in_transaction, on_pool, record_change};
use crate::{Actor, Result, Store, snapshot};

/// Most photos one idea may have.
pub const MAX_PHOTOS_PER_IDEA: usize = 3;

/// A photo ready to store: already checked and re-encoded.
pub struct NewPhoto {
    pub content_type: String,
    pub image: Vec<u8>,
    pub thumbnail: Vec<u8>,
    pub width: i64,
    pub height: i64,
}

/// What a page needs to show a photo, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow, utoipa::ToSchema)]
pub struct PhotoInfo {
    pub id: i64,
    pub idea_id: i64,
    /// What it shows, for those who cannot see it.
    pub description: Option<String>,
    pub width: i64,
    pub height: i64,
    pub created_at: DateTime<Utc>,
}

impl Store {
    pub async fn idea_photos(&self, idea_id: i64) -> Result<Vec<PhotoInfo>> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT id, idea_id, description, width, height, created_at FROM idea_photos WHERE idea_id = $1 ORDER BY id",
        )
        .bind(idea_id)
        .fetch_all(pool)
        .await?))
    }

    /// A photo's bytes and type, or its thumbnail's.
    pub async fn photo_bytes(&self, idea_id: i64, photo_id: i64, thumbnail: bool) -> Result<Option<(String, Vec<u8>)>> {
        let column = if thumbnail { "thumbnail" } else { "image" };
        let sql = format!("SELECT content_type, {column} FROM idea_photos WHERE idea_id = $1 AND id = $2");
        Ok(on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(idea_id)
            .bind(photo_id)
            .fetch_optional(pool)
            .await?))
    }

    /// Adds photos to an idea of the workspace, all or none, up to [`MAX_PHOTOS_PER_IDEA`].
    pub async fn add_idea_photos(
        &self,
        actor: &Actor,
        workspace_id: i64,
        idea_id: i64,
        description: Option<&str>,
        photos: &[NewPhoto],
    ) -> Result<Vec<PhotoInfo>> {
        if self.idea(workspace_id, idea_id).await?.is_none() {
            return Err(Invalid::single("idea", "error-unknown").into());
        }
        if self.idea_photos(idea_id).await?.len() + photos.len() > MAX_PHOTOS_PER_IDEA {
            return Err(Invalid::single("photos", "error-photo-count").into());
        }
        let now = self.now();
        in_transaction!(self, tx => {
            for photo in photos {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO idea_photos (idea_id, description, content_type, image, thumbnail, width, height, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(idea_id)
                .bind(description)
                .bind(&photo.content_type)
                .bind(&photo.image)
                .bind(&photo.thumbnail)
                .bind(photo.width)
                .bind(photo.height)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                let after = serde_json::json!({
                    "idea_id": idea_id, "description": description, "bytes": photo.image.len(),
                    "width": photo.width, "height": photo.height,
                });
                record_change!(self, tx, change(actor, Some(workspace_id), "idea_photo", id, AuditAction::Create, None, snapshot(&after)));
            }
        });
        self.idea_photos(idea_id).await
    }
}
