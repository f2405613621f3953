//! Online backup and restore. SQLite copies itself with `VACUUM INTO`, which reads one
//! consistent snapshot while the server keeps serving; PostgreSQL uses its own `pg_dump`.

use std::path::Path;

use sqlx::Connection;

use crate::db::Db;
use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Store {
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

    /// Replaces the whole database with the backup at `source`. For SQLite the server must be
    /// stopped; the backup is checked before anything is replaced.
    pub async fn restore(url: &str, source: &Path) -> Result<()> {
        if !source.is_file() {
            return Err(StoreError::Backup(format!("{} is not a file", source.display())));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
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
        let target = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        let target = target.split('?').next().unwrap_or(target);
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
