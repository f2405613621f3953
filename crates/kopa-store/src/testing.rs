//! Throwaway databases for tests: always a fresh SQLite file, and a fresh PostgreSQL database
//! when `KOPA_TEST_POSTGRES_URL` points at a server (CI starts one).

use std::sync::Arc;

use sqlx::Connection;

use crate::{Clock, Store, SystemClock};

pub const POSTGRES_URL_VARIABLE: &str = "KOPA_TEST_POSTGRES_URL";

/// A store on a database that is dropped with it.
pub struct TestDatabase {
    pub name: &'static str,
    pub store: Store,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

/// Set to `1` (as CI does) to make every skipped part a failure, so that a missing service
/// can never pass quietly.
pub const REQUIRE_ALL_VARIABLE: &str = "KOPA_REQUIRE_ALL";

/// Tells the person running the tests that something was skipped. Written straight to the
/// terminal, since the test harness hides what passing tests print. Fails instead when
/// everything is required.
pub fn say_skipped(message: &str) {
    use std::io::Write;
    if std::env::var(REQUIRE_ALL_VARIABLE).is_ok_and(|v| v == "1") {
        panic!("{REQUIRE_ALL_VARIABLE}=1, but this would be skipped: {message}");
    }
    let _ = writeln!(std::io::stderr(), "SKIPPED: {message}");
}

/// Says once per test binary that PostgreSQL is skipped, so nobody mistakes a SQLite-only
/// run for a full one.
fn postgres_url() -> Option<String> {
    static WARNED: std::sync::Once = std::sync::Once::new();
    let url = std::env::var(POSTGRES_URL_VARIABLE).ok().filter(|u| !u.is_empty());
    if url.is_none() {
        WARNED.call_once(|| {
            say_skipped(&format!(
                "the PostgreSQL runs of these tests; set {POSTGRES_URL_VARIABLE} to run them."
            ))
        });
    }
    url
}

pub async fn sqlite(clock: Arc<dyn Clock>) -> TestDatabase {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = dir.path().join("kopa.sqlite").display().to_string();
    let store = Store::open_with_clock(&url, clock).await.expect("open SQLite");
    TestDatabase {
        name: "sqlite",
        store,
        url,
        _dir: Some(dir),
    }
}

/// A new, empty PostgreSQL database on the test server, if one is configured.
pub async fn postgres(clock: Arc<dyn Clock>) -> Option<TestDatabase> {
    let admin_url = postgres_url()?;
    let name = format!("kopa_test_{}", hex::encode(rand::random::<[u8; 6]>()));
    let mut admin = sqlx::PgConnection::connect(&admin_url)
        .await
        .expect("connect to the PostgreSQL test server");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("create test database");
    let url = match admin_url.rsplit_once('/') {
        Some((server, rest)) => match rest.split_once('?') {
            Some((_, query)) => format!("{server}/{name}?{query}"),
            None => format!("{server}/{name}"),
        },
        None => panic!("{POSTGRES_URL_VARIABLE} must end in /DATABASE"),
    };
    let store = Store::open_with_clock(&url, clock).await.expect("open PostgreSQL");
    Some(TestDatabase {
        name: "postgres",
        store,
        url,
        _dir: None,
    })
}

/// Every backend available here, each fresh.
pub async fn every_backend() -> Vec<TestDatabase> {
    every_backend_with_clock(Arc::new(SystemClock)).await
}

pub async fn every_backend_with_clock(clock: Arc<dyn Clock>) -> Vec<TestDatabase> {
    let mut databases = vec![sqlite(clock.clone()).await];
    databases.extend(postgres(clock).await);
    databases
}

/// A clock that stands still until a test moves it.
pub struct TestClock(std::sync::Mutex<chrono::DateTime<chrono::Utc>>);

impl TestClock {
    pub fn at(rfc3339: &str) -> Arc<TestClock> {
        let at = chrono::DateTime::parse_from_rfc3339(rfc3339)
            .expect("RFC 3339 time")
            .to_utc();
        Arc::new(TestClock(std::sync::Mutex::new(at)))
    }

    pub fn advance(&self, by: chrono::Duration) {
        let mut now = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *now += by;
    }
}

impl Clock for TestClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Runs raw SQL on the database behind `url`, going around the store, as an attacker with
/// database access would (tamper tests).
pub async fn execute_raw(url: &str, sql: &str) {
    match crate::Db::connect(url).await.expect("connect") {
        crate::Db::Sqlite(pool) => {
            sqlx::query(sql).execute(&pool).await.expect("raw SQL");
        }
        crate::Db::Postgres(pool) => {
            sqlx::query(sql).execute(&pool).await.expect("raw SQL");
        }
    }
}
