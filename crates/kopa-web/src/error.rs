//! Failures, rendered once at the edge: an HTML page in the visitor's language, or a JSON
//! problem document (RFC 9457) for the API. Handlers only say what went wrong.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kopa_domain::{FieldError, Invalid};
use kopa_store::StoreError;

use crate::i18n::Locale;
use crate::{AppState, cookies};

#[derive(Debug)]
pub enum WebError {
    NotFound,
    /// Signed in, but the role does not allow it.
    Forbidden,
    /// Anonymous: sign in first, then come back to `next`, or to this page when `None`.
    SignInRequired {
        next: Option<String>,
    },
    /// The request itself is malformed; the key names the problem.
    BadRequest(&'static str),
    /// Input that fails validation, field by field (API; pages re-render their forms).
    Invalid(Invalid),
    /// A rule refused the action; the key says which.
    Refused(&'static str),
    CsrfMismatch,
    /// An API token that is unknown or revoked.
    TokenInvalid,
    /// A read-only API token sent with a write.
    TokenReadOnly,
    PayloadTooLarge,
    /// Too many too fast; the key says of what.
    TooManyRequests {
        retry_after_seconds: u64,
        key: &'static str,
    },
    /// A stored record Kopa cannot read, named so that an administrator can find it.
    Unreadable(String),
    /// The database cannot be reached just now.
    Unavailable,
    Internal(String),
}

/// How long to wait before trying again while the database cannot be reached, or while too
/// many password checks are waiting their turn.
const RETRY_SOON_SECONDS: u64 = 5;

/// What went wrong, attached to an empty response for [`render_failures`] to draw.
#[derive(Debug, Clone)]
pub struct Failure {
    pub status: StatusCode,
    pub key: &'static str,
    pub errors: Vec<FieldError>,
    /// The record the message names, if it names one.
    pub record: Option<String>,
}

impl Failure {
    /// What the person reads, with the record it names.
    pub fn message(&self, i18n: &crate::I18n, locale: Locale) -> String {
        match &self.record {
            Some(record) => i18n.text(locale, self.key, &[("record", record.clone().into())]),
            None => i18n.text(locale, self.key, &[]),
        }
    }
}

impl From<StoreError> for WebError {
    fn from(error: StoreError) -> WebError {
        match error {
            StoreError::Invalid(invalid) => WebError::Invalid(invalid),
            StoreError::NotFound { .. } => WebError::NotFound,
            StoreError::Refused(key) => WebError::Refused(key),
            // Named without words, so that either language can say it.
            StoreError::UnreadableValue {
                table,
                row,
                column,
                value,
            } => WebError::Unreadable(format!("{table} {row}, {column} = {value:?}")),
            StoreError::Busy => WebError::TooManyRequests {
                retry_after_seconds: RETRY_SOON_SECONDS,
                key: "error-busy",
            },
            outage if outage.is_outage() => {
                tracing::warn!("the database cannot be reached: {outage}");
                WebError::Unavailable
            }
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl WebError {
    /// Too many password attempts (or reset links) for now.
    pub fn too_many_attempts(retry_after_seconds: u64) -> WebError {
        WebError::TooManyRequests {
            retry_after_seconds,
            key: "error-too-many-attempts",
        }
    }
}

impl From<kopa_app::Refusal> for WebError {
    fn from(refusal: kopa_app::Refusal) -> WebError {
        use kopa_app::Refusal;
        match refusal {
            Refusal::SignInRequired => WebError::SignInRequired { next: None },
            Refusal::Forbidden => WebError::Forbidden,
            Refusal::NotFound => WebError::NotFound,
            Refusal::Invalid(invalid) => WebError::Invalid(invalid),
            Refusal::Refused(key) => WebError::Refused(key),
            Refusal::SlowDown { retry_after_seconds } => WebError::TooManyRequests {
                retry_after_seconds,
                key: "error-rate-limited",
            },
            Refusal::Store(error) => error.into(),
        }
    }
}

/// The sign-in page, coming back to `next` afterwards.
fn sign_in_path(next: &str) -> String {
    format!(
        "/signin?next={}",
        percent_encoding::utf8_percent_encode(next, percent_encoding::NON_ALPHANUMERIC)
    )
}

impl From<askama::Error> for WebError {
    fn from(error: askama::Error) -> WebError {
        WebError::Internal(format!("template: {error}"))
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, key, errors) = match self {
            WebError::NotFound => (StatusCode::NOT_FOUND, "error-not-found", vec![]),
            WebError::Forbidden => (StatusCode::FORBIDDEN, "error-forbidden", vec![]),
            WebError::SignInRequired { next } => {
                let mut response = match next {
                    Some(next) => crate::pages::see_other(&sign_in_path(&next)),
                    None => StatusCode::UNAUTHORIZED.into_response(),
                };
                response.extensions_mut().insert(Failure {
                    status: StatusCode::UNAUTHORIZED,
                    key: "error-sign-in-required",
                    errors: vec![],
                    record: None,
                });
                return response;
            }
            WebError::BadRequest(key) => (StatusCode::BAD_REQUEST, key, vec![]),
            WebError::Invalid(invalid) => (StatusCode::UNPROCESSABLE_ENTITY, "error-invalid", invalid.errors),
            WebError::Refused(key) => (StatusCode::CONFLICT, key, vec![]),
            WebError::CsrfMismatch => (StatusCode::FORBIDDEN, "error-csrf", vec![]),
            WebError::TokenInvalid => {
                let mut response = StatusCode::UNAUTHORIZED.into_response();
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                response.extensions_mut().insert(Failure {
                    status: StatusCode::UNAUTHORIZED,
                    key: "error-token-invalid",
                    errors: vec![],
                    record: None,
                });
                return response;
            }
            WebError::TokenReadOnly => (StatusCode::FORBIDDEN, "error-token-read-only", vec![]),
            WebError::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "error-too-large", vec![]),
            WebError::TooManyRequests {
                retry_after_seconds,
                key,
            } => return try_again_later(StatusCode::TOO_MANY_REQUESTS, key, retry_after_seconds),
            WebError::Unavailable => {
                return try_again_later(StatusCode::SERVICE_UNAVAILABLE, "error-unavailable", RETRY_SOON_SECONDS);
            }
            WebError::Unreadable(record) => {
                tracing::error!("unreadable record: {record}");
                let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
                response.extensions_mut().insert(Failure {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    key: "error-unreadable",
                    errors: vec![],
                    record: Some(record),
                });
                return response;
            }
            WebError::Internal(message) => {
                tracing::error!("internal error: {message}");
                (StatusCode::INTERNAL_SERVER_ERROR, "error-internal", vec![])
            }
        };
        let mut response = status.into_response();
        response.extensions_mut().insert(Failure {
            status,
            key,
            errors,
            record: None,
        });
        response
    }
}

/// A refusal that passes: `status` with `Retry-After`, and the message `key`.
fn try_again_later(status: StatusCode, key: &'static str, retry_after_seconds: u64) -> Response {
    let mut response = status.into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_seconds));
    response.extensions_mut().insert(Failure {
        status,
        key,
        errors: vec![],
        record: None,
    });
    response
}

/// The outermost layer: turns a [`Failure`] into a page or a problem document, and any bare
/// 4xx/5xx from the framework (unknown route, wrong method, oversized body) likewise. Pages
/// that render their own refusal (a form shown again) pass through.
pub async fn render_failures(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let here = request
        .uri()
        .path_and_query()
        .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
    let locale = cookies::get(request.headers(), cookies::LANGUAGE)
        .and_then(|code| Locale::from_code(&code))
        .or_else(|| crate::context::accepted_locale(request.headers()))
        .unwrap_or(if is_api { Locale::En } else { Locale::Lv });
    let response = next.run(request).await;
    let already_rendered = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html") || v.contains("json"));
    let failure = match response.extensions().get::<Failure>() {
        Some(failure) => failure.clone(),
        None if already_rendered => return response,
        None if response.status().is_client_error() || response.status().is_server_error() => {
            let key = match response.status() {
                StatusCode::NOT_FOUND => "error-not-found",
                StatusCode::METHOD_NOT_ALLOWED => "error-method",
                StatusCode::PAYLOAD_TOO_LARGE => "error-too-large",
                StatusCode::UNSUPPORTED_MEDIA_TYPE => "error-media-type",
                status if status.is_server_error() => "error-internal",
                _ => "error-bad-request",
            };
            Failure {
                status: response.status(),
                key,
                errors: vec![],
                record: None,
            }
        }
        None => return response,
    };
    // Pages send those who must sign in to do so, and back here afterwards.
    if failure.status == StatusCode::UNAUTHORIZED && !is_api {
        if response.headers().contains_key(header::LOCATION) {
            return response;
        }
        return crate::pages::see_other(&sign_in_path(&here));
    }
    let mut headers = response.headers().clone();
    headers.remove(header::CONTENT_LENGTH);
    headers.remove(header::LOCATION);
    let mut rendered = if is_api {
        crate::api::problem(&state, locale, &failure)
    } else {
        let visitor = response.extensions().get::<crate::context::Visitor>().cloned();
        crate::pages::error_page(&state, visitor, &here, locale, &failure).await
    };
    for (name, value) in headers.iter() {
        if name != header::CONTENT_TYPE {
            rendered.headers_mut().insert(name.clone(), value.clone());
        }
    }
    rendered
}
