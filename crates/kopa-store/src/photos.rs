//! Photos of ideas and of inspections: stored in the database with what they show, so
//! backups hold them too.

use chrono::{DateTime, Utc};
use kopa_domain::Invalid;
use kopa_domain::audit::AuditAction;
use serde::Serialize;
use sqlx::FromRow;

use crate::audit::change;
use crate::db::{in_transaction, on_pool, record_change};
use crate::{Actor, Result, Store, snapshot};

/// Most photos one idea, or one inspection, may have.
pub const MAX_PHOTOS_PER_IDEA: usize = 3;

/// Whose photos: an idea's, or an inspection's. Each has its own table of the same shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Album {
    Idea(i64),
    Inspection(i64),
}

impl Album {
    fn table(self) -> &'static str {
        match self {
            Album::Idea(_) => "idea_photos",
            Album::Inspection(_) => "inspection_photos",
        }
    }

    fn owner_column(self) -> &'static str {
        match self {
            Album::Idea(_) => "idea_id",
            Album::Inspection(_) => "inspection_id",
        }
    }

    fn owner(self) -> i64 {
        match self {
            Album::Idea(id) | Album::Inspection(id) => id,
        }
    }

    /// The audit log's name for one of its photos.
    fn entity(self) -> &'static str {
        match self {
            Album::Idea(_) => "idea_photo",
            Album::Inspection(_) => "inspection_photo",
        }
    }
}

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
    /// The idea or inspection it belongs to.
    pub owner_id: i64,
    /// What it shows, for those who cannot see it.
    pub description: Option<String>,
    pub width: i64,
    pub height: i64,
    pub created_at: DateTime<Utc>,
}

impl Store {
    pub async fn photos(&self, album: Album) -> Result<Vec<PhotoInfo>> {
        let sql = format!(
            "SELECT id, {} AS owner_id, description, width, height, created_at FROM {} WHERE {} = $1 ORDER BY id",
            album.owner_column(),
            album.table(),
            album.owner_column()
        );
        Ok(on_pool!(self, pool => sqlx::query_as(&sql).bind(album.owner()).fetch_all(pool).await?))
    }

    /// The photos of every inspection of an instrument of the workspace, in one read; each
    /// names its inspection.
    pub async fn instrument_inspection_photos(&self, workspace_id: i64, instrument_id: i64) -> Result<Vec<PhotoInfo>> {
        let sql = "SELECT p.id, p.inspection_id AS owner_id, p.description, p.width, p.height, p.created_at \
             FROM inspection_photos p JOIN inspections i ON i.id = p.inspection_id \
             JOIN obligations o ON o.id = i.obligation_id JOIN instruments n ON n.id = o.instrument_id \
             WHERE o.instrument_id = $1 AND n.workspace_id = $2 ORDER BY p.id";
        Ok(on_pool!(self, pool => sqlx::query_as(sql).bind(instrument_id).bind(workspace_id).fetch_all(pool).await?))
    }

    pub async fn idea_photos(&self, idea_id: i64) -> Result<Vec<PhotoInfo>> {
        self.photos(Album::Idea(idea_id)).await
    }

    /// A photo's bytes and type, or its thumbnail's.
    pub async fn photo_bytes(&self, album: Album, photo_id: i64, thumbnail: bool) -> Result<Option<(String, Vec<u8>)>> {
        let column = if thumbnail { "thumbnail" } else { "image" };
        let sql = format!(
            "SELECT content_type, {column} FROM {} WHERE {} = $1 AND id = $2",
            album.table(),
            album.owner_column()
        );
        Ok(on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(album.owner())
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
        self.add_photos(actor, workspace_id, Album::Idea(idea_id), description, photos)
            .await
    }

    /// Adds photos to an inspection of the workspace, all or none.
    pub async fn add_inspection_photos(
        &self,
        actor: &Actor,
        workspace_id: i64,
        inspection_id: i64,
        description: Option<&str>,
        photos: &[NewPhoto],
    ) -> Result<Vec<PhotoInfo>> {
        if !self.inspection_in(workspace_id, inspection_id).await? {
            return Err(Invalid::single("inspection", "error-unknown").into());
        }
        self.add_photos(
            actor,
            workspace_id,
            Album::Inspection(inspection_id),
            description,
            photos,
        )
        .await
    }

    async fn add_photos(
        &self,
        actor: &Actor,
        workspace_id: i64,
        album: Album,
        description: Option<&str>,
        photos: &[NewPhoto],
    ) -> Result<Vec<PhotoInfo>> {
        if self.photos(album).await?.len() + photos.len() > MAX_PHOTOS_PER_IDEA {
            return Err(Invalid::single("photos", "error-photo-count").into());
        }
        let now = self.now();
        let sql = format!(
            "INSERT INTO {} ({}, description, content_type, image, thumbnail, width, height, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            album.table(),
            album.owner_column()
        );
        in_transaction!(self, tx => {
            for photo in photos {
                let id: i64 = sqlx::query_scalar(&sql)
                    .bind(album.owner())
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
                    album.owner_column(): album.owner(), "description": description, "bytes": photo.image.len(),
                    "width": photo.width, "height": photo.height,
                });
                record_change!(self, tx, change(actor, Some(workspace_id), album.entity(), id, AuditAction::Create, None, snapshot(&after)));
            }
        });
        self.photos(album).await
    }
}
