//! Kopa's persistence. One [`Store`] type over the embedded SQLite file (the default) or a
//! PostgreSQL server, sharing the SQL text wherever the two agree. Every change is written in
//! one transaction together with its hash-chained audit event.

mod accounts;
mod audit;
mod backup;
mod db;
mod exports;
mod files;
mod group;
mod ideas;
mod initiatives;
mod instruments;
mod limits;
mod maps;
mod meetings;
mod milestones;
mod notifications;
mod obligations;
mod partners;
mod passwords;
mod photos;
mod plan;
mod reviews;
mod street_network;
mod tokens;
mod turns;
mod workspaces;

#[cfg(feature = "testing")]
pub mod testing;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use kopa_domain::Invalid;

pub use accounts::{
    AccountRole, Invitation, PASSWORD_RESET_LIFETIME, RoleChange, SESSION_LIFETIME_SECONDS, SessionInfo,
    SessionSummary, User,
};
pub use audit::ChainReport;
pub use backup::{Backend, Serving};
pub use db::Db;
pub use files::FILE_SOURCES;
pub use group::MemberRow;
pub use ideas::Author;
pub use instruments::Origin;
pub use kopa_domain::workspace::NewWorkspace;
pub use limits::{Counted, RateLimit};
pub use meetings::{DecisionInContext, MeetingSummary, MeetingsAround};
pub use partners::PartnerAccount;
pub use photos::{Album, MAX_PHOTOS_PER_IDEA, NewPhoto, PhotoInfo};
pub use plan::{PlanComment, PlanNames, PlanVersion, VersionInfo};
pub use reviews::{PlanReview, ReviewComment};
pub use street_network::{AnalysisFile, NewScenario, NewStreetAnalysis};
pub use tokens::TOKEN_PREFIX;
pub use turns::Turns;

/// The time, as a parameter, so tests control it.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The real clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// Who makes a change: recorded in the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub label: String,
}

impl Actor {
    /// Changes made by a part of Kopa itself, such as the demo loader.
    pub fn system(part: kopa_domain::audit::SystemActor) -> Actor {
        Actor {
            user_id: None,
            label: part.label(),
        }
    }

    pub fn user(user_id: i64, email: &str) -> Actor {
        Actor {
            user_id: Some(user_id),
            label: email.to_owned(),
        }
    }

    /// Someone who is not signed in, e.g. registering for a public discussion.
    pub fn visitor(email: &str) -> Actor {
        Actor {
            user_id: None,
            label: format!("{}{email}", kopa_domain::audit::VISITOR_ACTOR),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error("no {entity} with id {id}")]
    NotFound { entity: &'static str, id: String },
    #[error("{0}")]
    Refused(&'static str),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// Too much of one kind of work at once (password checks) to take this on now.
    #[error("too busy just now; try again shortly")]
    Busy,
    #[error("could not read the database address: {0}")]
    Address(String),
    #[error("backup failed: {0}")]
    Backup(String),
    /// Stored data that no longer reads as what it should be.
    #[error("stored data cannot be read: {0}")]
    Unreadable(String),
    /// A stored value this Kopa does not know, named by where it lies: read as a default, it
    /// could let a record skip the rules that apply to it.
    #[error("{table} row {row}: {column} holds {value:?}, which this Kopa cannot read")]
    UnreadableValue {
        table: &'static str,
        row: String,
        column: &'static str,
        value: String,
    },
}

impl StoreError {
    /// Whether the database could not be reached at all (down, restarting, its connections
    /// cut or all in use past the wait), rather than refusing what was asked: worth trying
    /// again shortly.
    pub fn is_outage(&self) -> bool {
        match self {
            StoreError::Database(error) => match error {
                sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::Io(_)
                | sqlx::Error::WorkerCrashed => true,
                // SQLSTATE classes 08 (connection) and 57 (the server shutting down).
                sqlx::Error::Database(database) => database
                    .code()
                    .is_some_and(|code| code.starts_with("08") || code.starts_with("57")),
                _ => false,
            },
            _ => false,
        }
    }
}

impl StoreError {
    pub(crate) fn not_found(entity: &'static str, id: impl ToString) -> StoreError {
        StoreError::NotFound {
            entity,
            id: id.to_string(),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The database, its clock, and the lock that keeps the audit chain a single line.
#[derive(Clone)]
pub struct Store {
    pub(crate) db: Db,
    pub(crate) clock: Arc<dyn Clock>,
    /// Writes are serialised in-process so each audit event links to the one before it;
    /// PostgreSQL also takes an advisory lock for writers in other processes.
    pub(crate) write_lock: Arc<tokio::sync::Mutex<()>>,
    /// Write transactions this process has committed, so that what is kept from the database
    /// can tell at once that it may be out of date.
    pub(crate) writes: Arc<std::sync::atomic::AtomicU64>,
    pub(crate) url: String,
}

impl Store {
    /// Opens (creating if needed) the database at `url` and applies the migrations.
    /// `postgres://` or `postgresql://` selects PostgreSQL; anything else is a SQLite path
    /// or `sqlite:` URL.
    pub async fn open(url: &str) -> Result<Store> {
        Store::open_with_clock(url, Arc::new(SystemClock)).await
    }

    pub async fn open_with_clock(url: &str, clock: Arc<dyn Clock>) -> Result<Store> {
        Store::open_logging(url, clock, log::LevelFilter::Debug).await
    }

    /// Opens the store with every statement logged at `statements`.
    pub(crate) async fn open_logging(url: &str, clock: Arc<dyn Clock>, statements: log::LevelFilter) -> Result<Store> {
        let db = Db::connect_logging(url, statements).await?;
        let store = Store {
            db,
            clock,
            write_lock: Arc::default(),
            writes: Arc::default(),
            url: url.to_owned(),
        };
        store.migrate().await?;
        Ok(store)
    }

    pub async fn migrate(&self) -> Result<()> {
        match &self.db {
            Db::Sqlite(pool) => sqlx::migrate!("migrations/sqlite").run(pool).await?,
            Db::Postgres(pool) => sqlx::migrate!("migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        match &self.db {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// How many write transactions this process has committed. Other processes' writes
    /// (the command line's) are not counted.
    pub fn writes_here(&self) -> u64 {
        self.writes.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Today's date in an IANA time zone. An unknown zone is an error: read as Riga's, a
    /// workspace elsewhere would date its records a day off.
    pub fn today_in(&self, time_zone: &str) -> Result<chrono::NaiveDate> {
        let zone = time_zone_of("workspaces", &"?", time_zone)?;
        Ok(self.now().with_timezone(&zone).date_naive())
    }

    /// Whether the database answers now: for a readiness check.
    pub async fn answers(&self) -> bool {
        let asked = db::on_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(drop));
        asked.is_ok()
    }

    pub async fn close(&self) {
        match &self.db {
            Db::Sqlite(pool) => pool.close().await,
            Db::Postgres(pool) => pool.close().await,
        }
    }
}

/// The error for a stored value that cannot be read, naming where it lies (long values cut).
pub(crate) fn unreadable(
    table: &'static str,
    column: &'static str,
    row: &dyn std::fmt::Display,
    value: &str,
) -> StoreError {
    const SHOWN: usize = 80;
    let mut shown: String = value.chars().take(SHOWN).collect();
    if value.chars().nth(SHOWN).is_some() {
        shown.push('…');
    }
    StoreError::UnreadableValue {
        table,
        row: row.to_string(),
        column,
        value: shown,
    }
}

/// Reads a stored code, failing closed: a value Kopa does not know is an error that names it.
pub(crate) fn code<T: kopa_domain::validation::Code>(
    table: &'static str,
    column: &'static str,
    row: &dyn std::fmt::Display,
    value: &str,
) -> Result<T> {
    T::from_code(value).ok_or_else(|| unreadable(table, column, row, value))
}

/// Reads a stored IANA time zone, failing closed like [`code`].
pub(crate) fn time_zone_of(table: &'static str, row: &dyn std::fmt::Display, value: &str) -> Result<chrono_tz::Tz> {
    value.parse().map_err(|_| unreadable(table, "time_zone", row, value))
}

/// Reads a stored step's statuses, failing closed like [`code`]: where it came from (none
/// for the first step) and where it went.
pub(crate) fn step<T: kopa_domain::validation::Code>(
    table: &'static str,
    row: i64,
    from: Option<String>,
    to: &str,
) -> Result<(Option<T>, T)> {
    let from = from.map(|from| code(table, "from_status", &row, &from)).transpose()?;
    Ok((from, code(table, "to_status", &row, to)?))
}

/// Reads stored JSON text, failing closed like [`code`].
pub(crate) fn json<T: serde::de::DeserializeOwned>(
    table: &'static str,
    column: &'static str,
    row: &dyn std::fmt::Display,
    text: &str,
) -> Result<T> {
    serde_json::from_str(text).map_err(|_| unreadable(table, column, row, text))
}

/// Reads a stored number into the type it must fit, failing closed like [`code`].
pub(crate) fn number<T: TryFrom<i64>>(
    table: &'static str,
    column: &'static str,
    row: &dyn std::fmt::Display,
    value: i64,
) -> Result<T> {
    T::try_from(value).map_err(|_| unreadable(table, column, row, &value.to_string()))
}

/// Reads rows into records, stopping at the first that cannot be read.
pub(crate) fn read_all<R, T: TryFrom<R, Error = StoreError>>(rows: Vec<R>) -> Result<Vec<T>> {
    rows.into_iter().map(T::try_from).collect()
}

/// JSON text of a record for the audit log.
pub(crate) fn snapshot<T: serde::Serialize>(record: &T) -> Option<String> {
    serde_json::to_string(record).ok()
}
