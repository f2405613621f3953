//! Rate limits against guessing and spam: failed sign-ins per e-mail, sign-ups per client
//! address, and ideas and comments per person. Counted in memory, in sliding windows.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

/// At most `max` events per key within `window`.
pub struct RateLimiter {
    max: usize,
    window: Duration,
    events: Mutex<HashMap<String, Vec<DateTime<Utc>>>>,
}

impl RateLimiter {
    pub fn new(max: usize, window: Duration) -> RateLimiter {
        RateLimiter {
            max,
            window,
            events: Mutex::default(),
        }
    }

    /// `Err(seconds)` to wait while `key` has used up its events.
    pub fn check(&self, key: &str, now: DateTime<Utc>) -> Result<(), u64> {
        let mut events = self.events.lock().unwrap_or_else(|e| e.into_inner());
        let recent = events.entry(key.to_owned()).or_default();
        recent.retain(|at| now - *at < self.window);
        match recent.first() {
            Some(oldest) if recent.len() >= self.max => Err((*oldest + self.window - now).num_seconds().max(1) as u64),
            _ => Ok(()),
        }
    }

    pub fn record(&self, key: &str, now: DateTime<Utc>) {
        let mut events = self.events.lock().unwrap_or_else(|e| e.into_inner());
        events.entry(key.to_owned()).or_default().push(now);
    }

    pub fn clear(&self, key: &str) {
        self.events.lock().unwrap_or_else(|e| e.into_inner()).remove(key);
    }
}

/// Every limit the site keeps.
pub struct Limits {
    /// Failed sign-ins per e-mail address.
    pub sign_in: RateLimiter,
    /// New accounts per client address.
    pub sign_up: RateLimiter,
    /// New ideas per person.
    pub ideas: RateLimiter,
    /// Comments per person.
    pub comments: RateLimiter,
    /// Password reset links asked for per client address.
    pub resets_per_client: RateLimiter,
    /// Password reset links asked for per e-mail address.
    pub resets_per_account: RateLimiter,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            sign_in: RateLimiter::new(5, Duration::minutes(15)),
            sign_up: RateLimiter::new(5, Duration::hours(1)),
            ideas: RateLimiter::new(5, Duration::hours(1)),
            comments: RateLimiter::new(20, Duration::hours(1)),
            resets_per_client: RateLimiter::new(10, Duration::hours(1)),
            resets_per_account: RateLimiter::new(3, Duration::hours(1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_refused_after_its_events_until_the_window_moves_on() {
        let limiter = RateLimiter::new(5, Duration::minutes(15));
        let start = DateTime::parse_from_rfc3339("2020-11-10T12:00:00Z").unwrap().to_utc();
        for minute in 0..5 {
            assert!(
                limiter
                    .check("anna@kekava.lv", start + Duration::minutes(minute))
                    .is_ok()
            );
            limiter.record("anna@kekava.lv", start + Duration::minutes(minute));
        }
        assert_eq!(limiter.check("anna@kekava.lv", start + Duration::minutes(5)), Err(600));
        assert!(limiter.check("juris@kekava.lv", start + Duration::minutes(5)).is_ok());
        assert!(limiter.check("anna@kekava.lv", start + Duration::minutes(16)).is_ok());
        limiter.record("anna@kekava.lv", start + Duration::minutes(16));
        limiter.clear("anna@kekava.lv");
        assert!(limiter.check("anna@kekava.lv", start + Duration::minutes(16)).is_ok());
    }
}
