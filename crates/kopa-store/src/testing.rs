//! Throwaway databases for tests: always a fresh SQLite file, and a fresh PostgreSQL database
//! when `KOPA_TEST_POSTGRES_URL` points at a server (CI starts one).

use std::sync::Arc;

use log::LevelFilter;
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

impl TestDatabase {
    /// The same database again, for a second client; the first keeps its files alive.
    pub fn again(&self) -> TestDatabase {
        TestDatabase {
            name: self.name,
            store: self.store.clone(),
            url: self.url.clone(),
            _dir: None,
        }
    }
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
    sqlite_logging(clock, LevelFilter::Debug).await
}

async fn sqlite_logging(clock: Arc<dyn Clock>, statements: LevelFilter) -> TestDatabase {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = dir.path().join("kopa.sqlite").display().to_string();
    let store = Store::open_logging(&url, clock, statements).await.expect("open SQLite");
    TestDatabase {
        name: "sqlite",
        store,
        url,
        _dir: Some(dir),
    }
}

/// A new, empty PostgreSQL database on the test server, if one is configured.
pub async fn postgres(clock: Arc<dyn Clock>) -> Option<TestDatabase> {
    postgres_logging(clock, LevelFilter::Debug).await
}

async fn postgres_logging(clock: Arc<dyn Clock>, statements: LevelFilter) -> Option<TestDatabase> {
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
    let store = Store::open_logging(&url, clock, statements)
        .await
        .expect("open PostgreSQL");
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

/// Every backend, each fresh, with its SQL statements counted for query budgets. Counting is
/// one tally for the whole test binary, so one test counts at a time: it holds the turn for as
/// long as it keeps the [`StatementCount`].
pub async fn every_backend_counted(clock: Arc<dyn Clock>) -> (StatementCount, Vec<TestDatabase>) {
    static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    static COUNTING: std::sync::Once = std::sync::Once::new();
    COUNTING.call_once(|| {
        use tracing_subscriber::layer::SubscriberExt;
        // Another tally already installed would count for us as well; none is, in Kopa's tests.
        let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry().with(CountStatements));
    });
    let turn = TURN.lock().await;
    let mut databases = vec![sqlite_logging(clock.clone(), COUNTED).await];
    databases.extend(postgres_logging(clock, COUNTED).await);
    (StatementCount { _turn: turn }, databases)
}

/// Counted statements are logged at this level, which nothing else in Kopa uses for them.
const COUNTED: LevelFilter = LevelFilter::Error;

static STATEMENTS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// The turn to count statements, and the count.
pub struct StatementCount {
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

impl StatementCount {
    /// How many SQL statements `work` runs on the counted stores.
    pub async fn of<T>(&self, work: impl Future<Output = T>) -> (T, u64) {
        use std::sync::atomic::Ordering;
        let before = STATEMENTS.load(Ordering::SeqCst);
        let out = work.await;
        (out, STATEMENTS.load(Ordering::SeqCst) - before)
    }
}

/// Tallies the statements sqlx logs at [`COUNTED`]'s level.
struct CountStatements;

fn is_counted(metadata: &tracing::Metadata<'_>) -> bool {
    metadata.target() == "sqlx::query" && *metadata.level() == tracing::Level::ERROR
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for CountStatements {
    fn register_callsite(&self, metadata: &'static tracing::Metadata<'static>) -> tracing::subscriber::Interest {
        if is_counted(metadata) {
            tracing::subscriber::Interest::always()
        } else {
            tracing::subscriber::Interest::never()
        }
    }

    fn enabled(&self, metadata: &tracing::Metadata<'_>, _: tracing_subscriber::layer::Context<'_, S>) -> bool {
        is_counted(metadata)
    }

    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if !is_counted(event.metadata()) {
            return;
        }
        let mut summary = Summary(String::new());
        event.record(&mut summary);
        // A pooled connection opened mid-request sets itself up; that is not the page's work.
        if !summary
            .0
            .trim_start_matches('"')
            .to_ascii_lowercase()
            .starts_with("pragma")
        {
            STATEMENTS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    }
}

/// The short form of a logged statement.
struct Summary(String);

impl tracing::field::Visit for Summary {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        if field.name() == "summary" {
            value.clone_into(&mut self.0);
        }
    }

    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "summary" {
            self.0 = format!("{value:?}");
        }
    }
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

/// The first column of every row `sql` returns, as text, read around the store (to check what
/// is kept, as an attacker with the database would see it).
pub async fn texts(url: &str, sql: &str) -> Vec<String> {
    match crate::Db::connect(url).await.expect("connect") {
        crate::Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_all(&pool).await.expect("raw SQL"),
        crate::Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_all(&pool).await.expect("raw SQL"),
    }
}

/// Asserts that `text` is what the file at `path` holds: a snapshot kept beside the tests, so
/// that a change to it is reviewed like code. `KOPA_UPDATE_SNAPSHOTS=1` writes it anew.
pub fn assert_snapshot(path: &std::path::Path, text: &str) {
    if std::env::var("KOPA_UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1") {
        std::fs::write(path, text).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    }
    let reviewed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        reviewed == text,
        "{} changed; review it and run with KOPA_UPDATE_SNAPSHOTS=1 to keep it",
        path.display()
    );
}
