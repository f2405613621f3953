//! The cookies Kopa sets: the session, the anonymous CSRF token, the language, and the one
//! that remembers a browser which signed in before.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;

pub const SESSION: &str = "kopa_session";
pub const CSRF: &str = "kopa_csrf";
pub const LANGUAGE: &str = "kopa_lang";
/// Remembers a browser that signed in to an account, for that account's sign-in limit.
pub const DEVICE: &str = "kopa_device";

/// The value of cookie `name`, if the request carries it.
pub fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// A `Set-Cookie` value: HTTP-only, same-site, for the whole site.
pub fn set(name: &str, value: &str, max_age_seconds: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; Max-Age={max_age_seconds}; HttpOnly; SameSite=Lax{secure}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_cookie_among_many() {
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, "a=1; kopa_lang=en; b=2".parse().unwrap());
        assert_eq!(get(&headers, LANGUAGE).as_deref(), Some("en"));
        assert_eq!(get(&headers, SESSION), None);
    }
}
