//! What every request knows: who is asking (the session), the CSRF token its forms must echo,
//! and its language; for workspace routes also the workspace and the visitor's role there.

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::{FromRef, FromRequest, FromRequestParts, OriginalUri, RawPathParams, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;
use kopa_domain::workspace::Workspace;
use kopa_domain::{Action, Role};
use kopa_store::SessionInfo;
use serde::de::DeserializeOwned;

use crate::error::WebError;
use crate::i18n::Locale;
use crate::{AppState, cookies};

/// The largest request body accepted: forms and API calls are small.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// The largest street network upload, with its form.
pub const MAX_NETWORK_UPLOAD_BYTES: usize = kopa_app::MAX_NETWORK_BYTES + MAX_BODY_BYTES;
/// The largest upload: the photos an idea may have at their largest, and the form around them.
pub const MAX_UPLOAD_BYTES: usize = kopa_store::MAX_PHOTOS_PER_IDEA * kopa_app::MAX_PHOTO_BYTES + MAX_BODY_BYTES;

/// The visitor behind a request, resolved once by [`session_layer`].
#[derive(Clone, Debug)]
pub struct Visitor {
    pub session: Option<SessionInfo>,
    pub session_token: Option<String>,
    /// The token state-changing requests must carry.
    pub csrf: String,
    pub chosen_locale: Option<Locale>,
    pub accepted_locale: Option<Locale>,
}

impl Visitor {
    /// The language: the visitor's choice, else the workspace's, else the browser's.
    pub fn locale(&self, workspace_default: Option<&str>) -> Locale {
        self.chosen_locale
            .or_else(|| workspace_default.and_then(Locale::from_code))
            .or(self.accepted_locale)
            .unwrap_or(Locale::Lv)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Visitor, WebError> {
        parts
            .extensions
            .get::<Visitor>()
            .cloned()
            .ok_or_else(|| WebError::Internal("session layer missing".into()))
    }
}

fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn form_field(pairs: &[(String, String)], name: &str) -> Option<String> {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.clone())
}

/// Decodes an URL-encoded form strictly: text that is not UTF-8 is refused, not replaced.
fn form_pairs(body: &[u8]) -> Result<Vec<(String, String)>, WebError> {
    let decode = |part: &[u8]| -> Result<String, WebError> {
        let spaced: Vec<u8> = part.iter().map(|b| if *b == b'+' { b' ' } else { *b }).collect();
        percent_encoding::percent_decode(&spaced)
            .decode_utf8()
            .map(|text| text.into_owned())
            .map_err(|_| WebError::BadRequest("error-not-utf8"))
    };
    body.split(|b| *b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let mut parts = pair.splitn(2, |b| *b == b'=');
            let key = decode(parts.next().unwrap_or_default())?;
            let value = decode(parts.next().unwrap_or_default())?;
            Ok((key, value))
        })
        .collect()
}

/// Resolves the [`Visitor`] and refuses any state-changing request without the right CSRF
/// token, given as the `csrf` form field or the `X-CSRF-Token` header.
pub async fn session_layer(State(state): State<AppState>, request: Request, next: Next) -> Result<Response, WebError> {
    let (mut parts, body) = request.into_parts();
    if let Some(secret) = bearer_token(&parts) {
        return with_api_token(&state, parts, body, &secret, next).await;
    }
    let session_token = cookies::get(&parts.headers, cookies::SESSION);
    let session = match &session_token {
        Some(token) => state.app.session(token).await?,
        None => None,
    };
    let anonymous_token = cookies::get(&parts.headers, cookies::CSRF).filter(|t| t.len() == 64);
    let needs_csrf_cookie = session.is_none() && anonymous_token.is_none();
    let csrf = match (&session, anonymous_token) {
        (Some(session), _) => session.csrf_token.clone(),
        (None, Some(token)) => token,
        (None, None) => hex_token(),
    };

    let body = if is_state_changing(&parts.method) {
        let content_type = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let is_upload = content_type.starts_with("multipart/form-data");
        // Only those signed in may send a whole street network: a visitor's flood of large
        // bodies is refused at the photo size.
        let limit = match (is_upload, &session) {
            (true, Some(_)) if parts.uri.path().ends_with("/network/analyses") => MAX_NETWORK_UPLOAD_BYTES,
            (true, _) => MAX_UPLOAD_BYTES,
            (false, _) => MAX_BODY_BYTES,
        };
        let bytes = axum::body::to_bytes(body, limit)
            .await
            .map_err(|_| WebError::PayloadTooLarge)?;
        let from_form = if content_type.starts_with("application/x-www-form-urlencoded") {
            form_field(&form_pairs(&bytes)?, "csrf")
        } else if is_upload {
            // Kopa's upload forms send the token first, so the head of the body holds it.
            let head = bytes.slice(..bytes.len().min(MAX_BODY_BYTES));
            upload_field(&content_type, head, "csrf").await
        } else {
            None
        };
        let given = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .or(from_form);
        if given.as_deref() != Some(csrf.as_str()) {
            return Err(WebError::CsrfMismatch);
        }
        Body::from(bytes)
    } else {
        body
    };

    let visitor = Visitor {
        session,
        session_token,
        csrf: csrf.clone(),
        chosen_locale: cookies::get(&parts.headers, cookies::LANGUAGE).and_then(|c| Locale::from_code(&c)),
        accepted_locale: accepted_locale(&parts.headers),
    };
    let signed_in = visitor.session.is_some();
    parts.extensions.insert(visitor.clone());
    let mut response = next.run(Request::from_parts(parts, body)).await;
    if signed_in {
        keep_private(&mut response);
    }
    // An error page is drawn outside this layer: it frames itself for the same visitor.
    if response.status().is_client_error() || response.status().is_server_error() {
        response.extensions_mut().insert(visitor);
    }
    if needs_csrf_cookie
        && let Ok(value) = HeaderValue::from_str(&cookies::set(
            cookies::CSRF,
            &csrf,
            60 * 60 * 24,
            state.settings.secure_cookies,
        ))
    {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}

/// The first language of `Accept-Language` that Kopa speaks.
pub fn accepted_locale(headers: &axum::http::HeaderMap) -> Option<Locale> {
    let header = headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
    Locale::from_accept_language(header)
}

/// The secret of an `Authorization: Bearer` header on an API request; pages use sessions only.
fn bearer_token(parts: &Parts) -> Option<String> {
    if !parts.uri.path().starts_with("/api/") {
        return None;
    }
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, secret) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| secret.trim().to_owned())
}

/// An API request made with a personal token: it acts as the token's owner, needs no CSRF
/// token (no browser sends it by itself), and writes only when the token allows it.
async fn with_api_token(
    state: &AppState,
    mut parts: Parts,
    body: Body,
    secret: &str,
    next: Next,
) -> Result<Response, WebError> {
    let Some((user, scope)) = state.app.api_token_owner(secret).await? else {
        return Err(WebError::TokenInvalid);
    };
    if is_state_changing(&parts.method) && scope != kopa_domain::token::TokenScope::Write {
        return Err(WebError::TokenReadOnly);
    }
    let visitor = Visitor {
        session: Some(SessionInfo {
            user,
            csrf_token: String::new(),
        }),
        session_token: None,
        csrf: String::new(),
        chosen_locale: None,
        accepted_locale: accepted_locale(&parts.headers),
    };
    parts.extensions.insert(visitor);
    let mut response = next.run(Request::from_parts(parts, body)).await;
    keep_private(&mut response);
    Ok(response)
}

/// What someone signed in is shown is theirs (their role's pages, invitation links, tokens):
/// no cache along the way may keep it, unless the response says how it may be kept.
fn keep_private(response: &mut Response) {
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
}

/// A text field of a multipart upload, found by reading the parts in order.
async fn upload_field(content_type: &str, bytes: axum::body::Bytes, name: &str) -> Option<String> {
    let request = Request::builder()
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(bytes))
        .ok()?;
    let mut upload = axum::extract::Multipart::from_request(request, &()).await.ok()?;
    while let Ok(Some(field)) = upload.next_field().await {
        if field.name() == Some(name) {
            return field.text().await.ok();
        }
    }
    None
}

pub fn hex_token() -> String {
    rand::random::<[u8; 32]>().iter().map(|b| format!("{b:02x}")).collect()
}

/// A submitted URL-encoded form, decoded strictly, with the raw values kept so a refused
/// form can be shown again exactly as typed.
pub struct Form<T> {
    pub input: T,
    pub values: HashMap<String, String>,
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Form<T> {
    type Rejection = WebError;

    async fn from_request(request: Request, _: &S) -> Result<Form<T>, WebError> {
        let bytes = axum::body::to_bytes(request.into_body(), MAX_BODY_BYTES)
            .await
            .map_err(|_| WebError::PayloadTooLarge)?;
        let pairs = form_pairs(&bytes)?;
        let values: HashMap<String, String> = pairs.into_iter().collect();
        let input = serde_urlencoded::from_bytes(&bytes).map_err(|_| WebError::BadRequest("error-bad-form"))?;
        Ok(Form { input, values })
    }
}

/// A workspace route: the workspace named by `{slug}`, and the visitor's role in it.
pub struct Scope {
    pub state: AppState,
    pub visitor: Visitor,
    pub workspace: Workspace,
    pub role: Option<Role>,
    pub locale: Locale,
    /// The path and query, to come back to after signing in or switching language.
    pub here: String,
    /// Notifications not yet read here, for those signed in.
    pub unread: Option<i64>,
}

impl Scope {
    pub fn may(&self, action: Action) -> bool {
        Role::may(self.role, action)
    }

    /// Refuses unless the visitor's role allows `action`: anonymous visitors are sent to
    /// sign in, signed-in ones are told they may not.
    pub fn require(&self, action: Action) -> Result<(), WebError> {
        match (self.may(action), &self.visitor.session) {
            (true, _) => Ok(()),
            (false, None) => Err(WebError::SignInRequired {
                next: Some(self.here.clone()),
            }),
            (false, Some(_)) => Err(WebError::Forbidden),
        }
    }

    pub fn id(&self) -> i64 {
        self.workspace.id
    }

    pub fn t(&self, key: &str) -> String {
        self.state.app.i18n.text(self.locale, key, &[])
    }

    /// Who acts, for the use cases.
    pub fn caller(&self) -> kopa_app::Caller {
        kopa_app::Caller {
            workspace: self.workspace.clone(),
            user: self.visitor.session.as_ref().map(|s| s.user.clone()),
            role: self.role,
        }
    }

    pub fn app(&self) -> &kopa_app::App {
        &self.state.app
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Scope
where
    AppState: FromRef<S>,
{
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Scope, WebError> {
        let state = AppState::from_ref(state);
        let visitor = Visitor::from_request_parts(parts, &state).await?;
        let params = RawPathParams::from_request_parts(parts, &state)
            .await
            .map_err(|_| WebError::NotFound)?;
        let slug = params
            .iter()
            .find(|(name, _)| *name == "slug")
            .map(|(_, value)| value.to_owned())
            .ok_or(WebError::NotFound)?;
        // Nested routers see their path without the `/w/{slug}` prefix; the original has it.
        let uri = parts
            .extensions
            .get::<OriginalUri>()
            .map(|original| &original.0)
            .unwrap_or(&parts.uri);
        let here = uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".into());
        Scope::resolve(state, visitor, &slug, here)
            .await?
            .ok_or(WebError::NotFound)
    }
}

impl Scope {
    /// The visitor in workspace `slug`, at `here`; `None` when there is no such workspace.
    pub async fn resolve(
        state: AppState,
        visitor: Visitor,
        slug: &str,
        here: String,
    ) -> Result<Option<Scope>, WebError> {
        let user = visitor.session.as_ref().map(|s| s.user.clone());
        let Some((kopa_app::Caller { workspace, role, .. }, unread)) = state.app.caller_in(slug, user).await? else {
            return Ok(None);
        };
        let locale = visitor.locale(Some(&workspace.default_locale));
        Ok(Some(Scope {
            state,
            visitor,
            workspace,
            role,
            locale,
            here,
            unread,
        }))
    }
}

/// A path parameter that must be a whole number; anything else is an unknown page.
pub fn parse_id(text: &str) -> Result<i64, WebError> {
    text.parse().map_err(|_| WebError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_decode_plus_and_percent_escapes() {
        let pairs = form_pairs(b"title=%C4%B6ekava+centrs&csrf=abc").unwrap();
        assert_eq!(
            pairs,
            [("title".into(), "Ķekava centrs".into()), ("csrf".into(), "abc".into())]
        );
    }

    #[test]
    fn forms_that_are_not_utf8_are_refused() {
        assert!(matches!(
            form_pairs(b"title=%C4%28"),
            Err(WebError::BadRequest("error-not-utf8"))
        ));
        assert!(matches!(
            form_pairs(b"title=\xff"),
            Err(WebError::BadRequest("error-not-utf8"))
        ));
    }
}

#[cfg(test)]
mod upload_tests {
    #[tokio::test]
    async fn the_token_is_found_in_an_upload() {
        let body = "--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n--b--\r\n";
        let found = super::upload_field("multipart/form-data; boundary=b", body.into(), "csrf").await;
        assert_eq!(found.as_deref(), Some("abc"));
    }
}

/// The client's address: as the trusted reverse proxy reports it, when one is configured, or
/// else the connection's (tests run without either).
pub struct ClientAddress(pub String);

impl axum::extract::FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<ClientAddress, Self::Rejection> {
        let reported = state.settings.client_address_header.as_ref().and_then(|header| {
            // The proxy appends the address it saw: the last one is its word, whatever the
            // client wrote before it.
            let value = parts.headers.get_all(header).iter().next_back()?.to_str().ok()?;
            let last = value.rsplit(',').next()?.trim();
            last.parse::<std::net::IpAddr>().ok()
        });
        let connected = || {
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|axum::extract::ConnectInfo(address)| address.ip())
        };
        let address = reported.or_else(connected).map(|ip| ip.to_string());
        Ok(ClientAddress(address.unwrap_or_else(|| "unknown".into())))
    }
}
