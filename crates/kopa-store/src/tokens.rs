//! Personal API tokens: made with a secret shown once and kept only as its hash, used as
//! `Authorization: Bearer`, and revoked by their owner.

use chrono::{DateTime, Utc};
use kopa_domain::audit::AuditAction;
use kopa_domain::token::{ApiToken, NewToken, TokenScope};
use kopa_domain::validation::Code;
use sqlx::FromRow;

use crate::accounts::{digest, random_token};
use crate::audit::change;
use crate::db::{in_transaction, on_pool, on_writer, record_change};
use crate::{Actor, Result, Store, StoreError, User, code, snapshot};

/// What every token's secret starts with, so that one pasted in the wrong place is recognised.
pub const TOKEN_PREFIX: &str = "kopa_";

#[derive(FromRow)]
struct TokenRow {
    id: i64,
    name: String,
    scope: String,
    created_at: DateTime<Utc>,
    last_used_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

impl TryFrom<TokenRow> for ApiToken {
    type Error = StoreError;

    fn try_from(r: TokenRow) -> Result<ApiToken> {
        Ok(ApiToken {
            scope: code("api_tokens", "scope", &r.id, &r.scope)?,
            id: r.id,
            name: r.name,
            created_at: r.created_at,
            last_used_at: r.last_used_at,
            revoked_at: r.revoked_at,
        })
    }
}

const TOKEN_COLUMNS: &str = "id, name, scope, created_at, last_used_at, revoked_at";

impl Store {
    /// Makes a token for `user_id`; returns it with its secret, which is not kept.
    pub async fn create_api_token(&self, actor: &Actor, user_id: i64, new: &NewToken) -> Result<(ApiToken, String)> {
        let secret = format!("{TOKEN_PREFIX}{}", random_token());
        let now = self.now();
        let token = in_transaction!(self, tx => {
            let row: TokenRow = sqlx::query_as(&format!(
                "INSERT INTO api_tokens (user_id, name, scope, token_hash, created_at) VALUES ($1, $2, $3, $4, $5) \
                 RETURNING {TOKEN_COLUMNS}"
            ))
            .bind(user_id)
            .bind(&new.name)
            .bind(new.scope.code())
            .bind(digest(&secret))
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let token = ApiToken::try_from(row)?;
            record_change!(self, tx, change(actor, None, "api_token", token.id, AuditAction::Create, None, snapshot(&token)));
            token
        });
        Ok((token, secret))
    }

    /// The person's tokens, newest first, revoked ones included.
    pub async fn api_tokens(&self, user_id: i64) -> Result<Vec<ApiToken>> {
        let sql =
            format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC");
        let rows: Vec<TokenRow> = on_pool!(self, pool => sqlx::query_as(&sql).bind(user_id).fetch_all(pool).await?);
        crate::read_all(rows)
    }

    /// Revokes one of the person's tokens; revoking twice changes nothing.
    pub async fn revoke_api_token(&self, actor: &Actor, user_id: i64, id: i64) -> Result<()> {
        let now = self.now();
        in_transaction!(self, tx => {
            let row: Option<TokenRow> = sqlx::query_as(&format!(
                "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE id = $1 AND user_id = $2"
            ))
            .bind(id)
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
            let before = ApiToken::try_from(row.ok_or_else(|| StoreError::not_found("api token", id))?)?;
            if before.is_live() {
                sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2")
                    .bind(now)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                let after = ApiToken { revoked_at: Some(now), ..before.clone() };
                record_change!(self, tx, change(actor, None, "api_token", id, AuditAction::Update, snapshot(&before), snapshot(&after)));
            }
        });
        Ok(())
    }

    /// The account and scope behind a live token's secret, noting when it was last used.
    pub async fn user_by_api_token(&self, secret: &str) -> Result<Option<(User, TokenScope)>> {
        #[derive(FromRow)]
        struct Row {
            #[sqlx(flatten)]
            user: User,
            token_id: i64,
            scope: String,
        }
        let row: Option<Row> = on_pool!(self, pool => sqlx::query_as(
            "SELECT u.id, u.email, u.display_name, u.password_hash, u.created_at, u.site_admin, u.deactivated_at, t.id AS token_id, t.scope \
             FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.deactivated_at IS NULL",
        )
        .bind(digest(secret))
        .fetch_optional(pool)
        .await?);
        let Some(row) = row else {
            return Ok(None);
        };
        let scope = code("api_tokens", "scope", &row.token_id, &row.scope)?;
        on_writer!(self, pool => sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(self.now())
            .bind(row.token_id)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(Some((row.user, scope)))
    }
}
