//! Failures, rendered once at the edge: an HTML page in the visitor's language, or a JSON
//! problem document (RFC 9457) for the API. Handlers only say what went wrong.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use kopa_domain::{FieldError, Invalid};
use kopa_store::StoreError;

use crate::i18n::Locale;
use crate::{AppState, cookies};

#[derive(Debug)]
pub enum WebError {
    NotFound,
    /// Signed in, but the role does not allow it.
    Forbidden,
    /// Anonymous: sign in first, then come back to `next`.
    SignInRequired {
        next: String,
    },
    /// The request itself is malformed; the key names the problem.
    BadRequest(&'static str),
    /// Input that fails validation, field by field (API; pages re-render their forms).
    Invalid(Invalid),
    /// A rule refused the action; the key says which.
    Refused(&'static str),
    CsrfMismatch,
    PayloadTooLarge,
    TooManyRequests {
        retry_after_seconds: u64,
    },
    Internal(String),
}

/// What went wrong, attached to an empty response for [`render_failures`] to draw.
#[derive(Debug, Clone)]
pub struct Failure {
    pub status: StatusCode,
    pub key: &'static str,
    pub errors: Vec<FieldError>,
}

impl From<StoreError> for WebError {
    fn from(error: StoreError) -> WebError {
        match error {
            StoreError::Invalid(invalid) => WebError::Invalid(invalid),
            StoreError::NotFound { .. } => WebError::NotFound,
            StoreError::Refused(key) => WebError::Refused(key),
            other => WebError::Internal(other.to_string()),
        }
    }
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
                let target = format!(
                    "/signin?next={}",
                    percent_encoding::utf8_percent_encode(&next, percent_encoding::NON_ALPHANUMERIC)
                );
                let mut response = Redirect::to(&target).into_response();
                response.extensions_mut().insert(Failure {
                    status: StatusCode::UNAUTHORIZED,
                    key: "error-sign-in-required",
                    errors: vec![],
                });
                return response;
            }
            WebError::BadRequest(key) => (StatusCode::BAD_REQUEST, key, vec![]),
            WebError::Invalid(invalid) => (StatusCode::UNPROCESSABLE_ENTITY, "error-invalid", invalid.errors),
            WebError::Refused(key) => (StatusCode::CONFLICT, key, vec![]),
            WebError::CsrfMismatch => (StatusCode::FORBIDDEN, "error-csrf", vec![]),
            WebError::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "error-too-large", vec![]),
            WebError::TooManyRequests { retry_after_seconds } => {
                let mut response = StatusCode::TOO_MANY_REQUESTS.into_response();
                if let Ok(value) = HeaderValue::from_str(&retry_after_seconds.to_string()) {
                    response.headers_mut().insert(header::RETRY_AFTER, value);
                }
                response.extensions_mut().insert(Failure {
                    status: StatusCode::TOO_MANY_REQUESTS,
                    key: "error-too-many-attempts",
                    errors: vec![],
                });
                return response;
            }
            WebError::Internal(message) => {
                tracing::error!("internal error: {message}");
                (StatusCode::INTERNAL_SERVER_ERROR, "error-internal", vec![])
            }
        };
        let mut response = status.into_response();
        response.extensions_mut().insert(Failure { status, key, errors });
        response
    }
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
    let locale = cookies::get(request.headers(), cookies::LANGUAGE)
        .and_then(|code| Locale::from_code(&code))
        .or_else(|| {
            let header = request.headers().get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
            Locale::from_accept_language(header)
        })
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
            }
        }
        None => return response,
    };
    // A redirect to sign in stays a redirect for pages.
    if failure.status == StatusCode::UNAUTHORIZED && !is_api {
        return response;
    }
    let mut headers = response.headers().clone();
    headers.remove(header::CONTENT_LENGTH);
    headers.remove(header::LOCATION);
    let mut rendered = if is_api {
        crate::api::problem(&state, locale, &failure)
    } else {
        crate::pages::error_page(&state, locale, &failure)
    };
    for (name, value) in headers.iter() {
        if name != header::CONTENT_TYPE {
            rendered.headers_mut().insert(name.clone(), value.clone());
        }
    }
    rendered
}
