//! The two backends behind one enum, and the macros that run the same SQL text on either.
//! `$1`-style placeholders work on both, numbered in order of first use.

use std::str::FromStr;
use std::time::Duration;

use log::LevelFilter;
use sqlx::ConnectOptions;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

use crate::{Result, StoreError};

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Db {
    pub async fn connect(url: &str) -> Result<Db> {
        Db::connect_logging(url, LevelFilter::Debug).await
    }

    /// As [`Db::connect`], logging every statement at `statements`, slow or not (tests count
    /// them).
    pub(crate) async fn connect_logging(url: &str, statements: LevelFilter) -> Result<Db> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let mut options =
                PgConnectOptions::from_str(url).map_err(|e| StoreError::Address(format!("{url}: {e}")))?;
            if statements != LevelFilter::Debug {
                options = options
                    .log_statements(statements)
                    .log_slow_statements(statements, Duration::ZERO);
            }
            let pool = PgPoolOptions::new()
                .max_connections(16)
                // When the server is down, a request learns it within a second and says so,
                // instead of waiting; the pool connects again once the server is back.
                .acquire_timeout(Duration::from_secs(1))
                .connect_with(options)
                .await?;
            return Ok(Db::Postgres(pool));
        }
        let address = if url.starts_with("sqlite:") {
            url.to_owned()
        } else {
            format!("sqlite://{url}")
        };
        let options = SqliteConnectOptions::from_str(&address)
            .map_err(|e| StoreError::Address(format!("{url}: {e}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let options = if statements == LevelFilter::Debug {
            options
        } else {
            options
                .log_statements(statements)
                .log_slow_statements(statements, Duration::ZERO)
        };
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        Ok(Db::Sqlite(pool))
    }
}

/// Runs `$body` with `$pool` bound to whichever pool the store has.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}

/// As [`on_pool!`] for a write of one statement outside a transaction (a session, a follow, a
/// notification read): on SQLite it waits its turn with the store's other writes, so that no
/// two writers of this process meet in the database and neither is told it is locked.
/// PostgreSQL takes concurrent writers itself, so there it does not wait.
macro_rules! on_writer {
    ($store:expr, $pool:ident => $body:expr) => {{
        let _serialised = match &$store.db {
            $crate::db::Db::Sqlite(_) => Some($store.write_lock.lock().await),
            $crate::db::Db::Postgres(_) => None,
        };
        on_pool!($store, $pool => $body)
    }};
}

/// Runs `$body` in one write transaction bound to `$tx`, committed when the body succeeds
/// and rolled back when it returns early with an error.
macro_rules! in_transaction {
    ($store:expr, $tx:ident => $body:expr) => {{
        let _serialised = $store.write_lock.lock().await;
        match &$store.db {
            $crate::db::Db::Sqlite(pool) => {
                // IMMEDIATE takes the database's write lock at the start: a transaction that
                // read first and then wrote could find another process had written meanwhile,
                // and be refused as locked however long it waited.
                let mut $tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                let out = $body;
                $tx.commit().await?;
                $store.writes.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
                out
            }
            $crate::db::Db::Postgres(pool) => {
                let mut $tx = pool.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock(4242)")
                    .execute(&mut *$tx)
                    .await?;
                let out = $body;
                $tx.commit().await?;
                $store.writes.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
                out
            }
        }
    }};
}

/// Appends a [`kopa_domain::audit::Change`] to the chain inside the transaction `$tx`.
macro_rules! record_change {
    ($store:expr, $tx:ident, $change:expr) => {{
        let last: Option<(i64, String)> =
            sqlx::query_as("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")
                .fetch_optional(&mut *$tx)
                .await?;
        let (seq, hash) = last.unwrap_or((0, kopa_domain::audit::GENESIS_HASH.to_owned()));
        let event = kopa_domain::audit::AuditEvent::chain($change, $store.clock.now(), seq, &hash);
        sqlx::query(
            "INSERT INTO audit_events (seq, workspace_id, actor_user_id, actor_label, at, entity, entity_id, action, \
             before_json, after_json, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(event.seq)
        .bind(event.workspace_id)
        .bind(event.actor_user_id)
        .bind(&event.actor_label)
        .bind(event.at)
        .bind(&event.entity)
        .bind(event.entity_id)
        .bind(&event.action)
        .bind(&event.before)
        .bind(&event.after)
        .bind(&event.prev_hash)
        .bind(&event.hash)
        .execute(&mut *$tx)
        .await?;
    }};
}

pub(crate) use {in_transaction, on_pool, on_writer, record_change};
