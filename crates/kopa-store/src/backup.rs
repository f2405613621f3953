//! Online backup and restore. SQLite copies itself with `VACUUM INTO`, which reads one
//! consistent snapshot while the server keeps serving; PostgreSQL uses its own `pg_dump`.
//!
//! A restore replaces the database under a running server, which would go on acknowledging
//! writes into what is gone; so a server holds a shared lock for as long as it serves (a lock
//! on a file beside the SQLite file, an advisory lock on PostgreSQL), and a restore takes it
//! exclusively or refuses. The operating system and PostgreSQL drop both when a process dies.

use std::path::Path;

use sqlx::Connection;

use crate::db::Db;
use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The advisory lock a serving PostgreSQL session holds, shared; a restore takes it alone.
const SERVING_LOCK: i64 = 4243;

/// Held while a server serves the database; dropping it lets a restore go ahead.
pub struct Serving {
    _held: Held,
}

/// A lock on the database, by backend: the lock file, or the session holding the advisory lock.
enum Held {
    File { _file: std::fs::File },
    Session { _session: sqlx::PgConnection },
}

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// The SQLite file a database address names.
fn sqlite_file(url: &str) -> &str {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    path.split('?').next().unwrap_or(path)
}

/// Takes the lock on the database at `url`: shared for a server, alone for a restore. `None`
/// when someone else holds it in a way that excludes this.
async fn lock(url: &str, alone: bool) -> Result<Option<Held>> {
    if is_postgres(url) {
        let mut session = sqlx::PgConnection::connect(url).await?;
        let function = if alone {
            "pg_try_advisory_lock"
        } else {
            "pg_try_advisory_lock_shared"
        };
        let taken: bool = sqlx::query_scalar(&format!("SELECT {function}($1)"))
            .bind(SERVING_LOCK)
            .fetch_one(&mut session)
            .await?;
        return Ok(taken.then_some(Held::Session { _session: session }));
    }
    let path = format!("{}.serving", sqlite_file(url));
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| StoreError::Backup(format!("could not open {path}: {e}")))?;
    let taken = if alone { file.try_lock() } else { file.try_lock_shared() };
    match taken {
        Ok(()) => Ok(Some(Held::File { _file: file })),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => Err(StoreError::Backup(format!("could not lock {path}: {e}"))),
    }
}

impl Store {
    /// Marks the database as served by this process until the returned value is dropped;
    /// refused while a restore is under way.
    pub async fn hold_while_serving(&self) -> Result<Serving> {
        match lock(&self.url, false).await? {
            Some(held) => Ok(Serving { _held: held }),
            None => Err(StoreError::Backup(
                "a restore of this database is under way; serve it once the restore has finished".into(),
            )),
        }
    }

    /// Writes a consistent copy of the whole database to `target`, which must not exist.
    pub async fn backup(&self, target: &Path) -> Result<()> {
        if target.exists() {
            return Err(StoreError::Backup(format!(
                "{} already exists; choose a new file",
                target.display()
            )));
        }
        match &self.db {
            Db::Sqlite(pool) => {
                let path = target
                    .to_str()
                    .ok_or_else(|| StoreError::Backup("the path is not valid UTF-8".into()))?;
                sqlx::query("VACUUM INTO $1").bind(path).execute(pool).await?;
            }
            Db::Postgres(_) => {
                let status = tokio::process::Command::new("pg_dump")
                    .args(["--format=custom", "--no-owner", "--file"])
                    .arg(target)
                    .arg(&self.url)
                    .status()
                    .await
                    .map_err(|e| StoreError::Backup(format!("could not run pg_dump: {e}")))?;
                if !status.success() {
                    return Err(StoreError::Backup(format!("pg_dump failed with {status}")));
                }
            }
        }
        Ok(())
    }

    /// Replaces the whole database with the backup at `source`, refused while a server uses
    /// it; the backup is checked before anything is replaced.
    pub async fn restore(url: &str, source: &Path) -> Result<()> {
        if !source.is_file() {
            return Err(StoreError::Backup(format!("{} is not a file", source.display())));
        }
        let Some(_alone) = lock(url, true).await? else {
            return Err(StoreError::Backup(
                "a Kopa server is using this database: stop it first (Ctrl-C, or your service manager), \
                 then restore, then start it again"
                    .into(),
            ));
        };
        if is_postgres(url) {
            let status = tokio::process::Command::new("pg_restore")
                .args([
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--dbname",
                    url,
                ])
                .arg(source)
                .status()
                .await
                .map_err(|e| StoreError::Backup(format!("could not run pg_restore: {e}")))?;
            if !status.success() {
                return Err(StoreError::Backup(format!("pg_restore failed with {status}")));
            }
            return Ok(());
        }
        // Check the backup read-only first: a file that is not a Kopa database is refused
        // and nothing is replaced.
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(source)
            .read_only(true);
        let mut connection = sqlx::SqliteConnection::connect_with(&options)
            .await
            .map_err(|e| StoreError::Backup(format!("{} is not a database: {e}", source.display())))?;
        let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&mut connection)
            .await
            .map_err(|e| StoreError::Backup(format!("{} is not a database: {e}", source.display())))?;
        let is_kopa: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('audit_events', 'workspaces')",
        )
        .fetch_one(&mut connection)
        .await?;
        connection.close().await?;
        if integrity != "ok" {
            return Err(StoreError::Backup(format!(
                "the backup failed its integrity check: {integrity}"
            )));
        }
        if is_kopa != 2 {
            return Err(StoreError::Backup(format!("{} is not a Kopa backup", source.display())));
        }
        let target = sqlite_file(url);
        // Write beside the target, then rename over it: a connection that is still closing
        // can then only touch the old file, never the restored one.
        let staged = format!("{target}.restoring");
        std::fs::copy(source, &staged).map_err(|e| StoreError::Backup(format!("could not write {staged}: {e}")))?;
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{target}{suffix}"));
        }
        std::fs::rename(&staged, target).map_err(|e| StoreError::Backup(format!("could not replace {target}: {e}")))?;
        Ok(())
    }
}
