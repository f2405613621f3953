//! Rate limits kept in the database, so that they hold across restarts and across servers,
//! and counted in one statement, so that concurrent requests cannot slip past them. Each limit
//! counts in fixed windows; browsers that signed in before are remembered for sign-in limits.

use chrono::{DateTime, Duration, Utc};

use crate::accounts::{digest, random_token};
use crate::db::{on_pool, on_writer};
use crate::{Result, Store};

/// At most `max` counts per key in each `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Its name in the database; two limits never share one.
    pub name: &'static str,
    pub max: i64,
    pub window: Duration,
}

/// One count taken against a limit, which can be given back when what it counted did not
/// happen after all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    name: &'static str,
    key: String,
    window_start: DateTime<Utc>,
}

impl RateLimit {
    /// The window `now` falls in, and the seconds until it ends.
    fn window_at(&self, now: DateTime<Utc>) -> (DateTime<Utc>, u64) {
        let seconds = self.window.num_seconds().max(1);
        let start = now.timestamp().div_euclid(seconds) * seconds;
        let start = DateTime::from_timestamp(start, 0).unwrap_or(now);
        let left = (start + self.window - now).num_seconds().max(1);
        (start, left as u64)
    }
}

/// How long counts are kept: longer than any limit's window.
const KEPT: Duration = Duration::days(1);

impl Store {
    /// Counts one for `key` under `limit`. `Err(seconds)` to wait once the window's counts
    /// are used up; the count that went over is kept, so hammering does not help.
    pub async fn count_against(&self, limit: &RateLimit, key: &str) -> Result<std::result::Result<Counted, u64>> {
        let now = self.now();
        let (window_start, left) = limit.window_at(now);
        let count: i64 = on_writer!(self, pool => sqlx::query_scalar(
            "INSERT INTO rate_counts (limit_name, key, window_start, count) VALUES ($1, $2, $3, 1) \
             ON CONFLICT (limit_name, key, window_start) DO UPDATE SET count = rate_counts.count + 1 RETURNING count",
        )
        .bind(limit.name)
        .bind(key)
        .bind(window_start)
        .fetch_one(pool)
        .await?);
        if count == 1 {
            // A new window: what ended long ago goes.
            on_writer!(self, pool => sqlx::query("DELETE FROM rate_counts WHERE window_start < $1")
                .bind(now - KEPT)
                .execute(pool)
                .await?
                .rows_affected());
        }
        if count > limit.max {
            return Ok(Err(left));
        }
        Ok(Ok(Counted {
            name: limit.name,
            key: key.to_owned(),
            window_start,
        }))
    }

    /// Gives a count back.
    pub async fn give_back(&self, counted: &Counted) -> Result<()> {
        on_writer!(self, pool => sqlx::query(
            "UPDATE rate_counts SET count = count - 1 WHERE limit_name = $1 AND key = $2 AND window_start = $3 AND count > 0",
        )
        .bind(counted.name)
        .bind(&counted.key)
        .bind(counted.window_start)
        .execute(pool)
        .await?
        .rows_affected());
        Ok(())
    }

    /// Forgets every count of `key` under `limit`.
    pub async fn clear_counts(&self, limit: &RateLimit, key: &str) -> Result<()> {
        on_writer!(self, pool => sqlx::query("DELETE FROM rate_counts WHERE limit_name = $1 AND key = $2")
            .bind(limit.name)
            .bind(key)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(())
    }

    /// Remembers a browser that signed in to the account; returns the token for its cookie.
    pub async fn remember_device(&self, user_id: i64) -> Result<String> {
        let token = random_token();
        let now = self.now();
        on_writer!(self, pool => sqlx::query("INSERT INTO known_devices (token_hash, user_id, created_at) VALUES ($1, $2, $3)")
            .bind(digest(&token))
            .bind(user_id)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(token)
    }

    /// Whether the browser with this cookie signed in to the account before; its key for
    /// the device's own limit when it did.
    pub async fn known_device(&self, token: &str, user_id: i64) -> Result<Option<String>> {
        let hash = digest(token);
        let found: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT user_id FROM known_devices WHERE token_hash = $1 AND user_id = $2",
        )
        .bind(&hash)
        .bind(user_id)
        .fetch_optional(pool)
        .await?);
        Ok(found.map(|_| hash))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_starts_on_its_boundary_and_says_how_long_is_left() {
        let limit = RateLimit {
            name: "test",
            max: 5,
            window: Duration::minutes(15),
        };
        let now = DateTime::parse_from_rfc3339("2026-11-10T12:07:30Z").unwrap().to_utc();
        let (start, left) = limit.window_at(now);
        assert_eq!(start.to_rfc3339(), "2026-11-10T12:00:00+00:00");
        assert_eq!(left, 450);
    }
}
