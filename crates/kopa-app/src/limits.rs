//! Every rate limit the site keeps against guessing, spam and floods. The counts live in the
//! database ([`kopa_store::RateLimit`]), so they survive restarts and hold across servers.

use chrono::Duration;
pub use kopa_store::RateLimit;

const fn limit(name: &'static str, max: i64, window: Duration) -> RateLimit {
    RateLimit { name, max, window }
}

/// Sign-in attempts for one account from browsers it never signed in from.
pub const SIGN_IN_PER_ACCOUNT: RateLimit = limit("sign_in_account", 10, Duration::minutes(15));
/// Sign-in attempts from a browser that signed in to the account before: its own count, so
/// that strangers guessing cannot lock the owner out.
pub const SIGN_IN_PER_DEVICE: RateLimit = limit("sign_in_device", 5, Duration::minutes(15));
/// Failed sign-ins from one client address, to any account.
pub const SIGN_IN_PER_CLIENT: RateLimit = limit("sign_in_client", 30, Duration::minutes(15));
/// New accounts per client address.
pub const SIGN_UP_PER_CLIENT: RateLimit = limit("sign_up_client", 5, Duration::hours(1));
/// New ideas per person.
pub const IDEAS_PER_PERSON: RateLimit = limit("ideas_person", 5, Duration::hours(1));
/// Comments per person.
pub const COMMENTS_PER_PERSON: RateLimit = limit("comments_person", 20, Duration::hours(1));
/// Photo uploads per person.
pub const PHOTO_UPLOADS_PER_PERSON: RateLimit = limit("photo_uploads_person", 20, Duration::hours(1));
/// Password reset links asked for per client address.
pub const RESETS_PER_CLIENT: RateLimit = limit("resets_client", 10, Duration::hours(1));
/// Password reset links asked for per e-mail address.
pub const RESETS_PER_ACCOUNT: RateLimit = limit("resets_account", 3, Duration::hours(1));
