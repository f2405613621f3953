//! Server-rendered pages. Each handler authorises, calls the store, and renders a template
//! inside the shared [`Chrome`]: navigation, language switch, account and CSRF token.

pub mod account;
pub mod accounts;
pub mod audit;
pub mod calendar;
pub mod cooperation;
pub mod documents;
pub mod group;
pub mod home;
pub mod ideas;
pub mod initiatives;
pub mod map;
pub mod meetings;
pub mod notifications;
pub mod plan;
pub mod scenarios;
pub mod signup;
pub mod site;
pub mod street_network;
pub mod tokens;
pub mod where_to_act;

use std::collections::HashMap;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::{NaiveDate, NaiveDateTime};
use kopa_app::Refusal;
use kopa_domain::cooperation::file::InstrumentFile;
use kopa_domain::cooperation::instrument::InstrumentStep;
use kopa_domain::idea::{Extent, Idea, IdeaStatus, Place};
use kopa_domain::plan::{Language, Shown, Text};
use kopa_domain::workspace::Workspace;
use kopa_domain::{Action, FieldError, Invalid, Role};
use kopa_report::{Arg, Words};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use crate::AppState;
use crate::context::{Scope, Visitor};
use crate::error::{Failure, WebError};
use crate::i18n::{I18n, Locale};

pub struct NavLink {
    pub href: String,
    pub label: String,
    pub current: bool,
}

/// Everything the page frame needs.
pub struct Chrome {
    pub title: String,
    pub locale: Locale,
    i18n: std::sync::Arc<I18n>,
    pub workspace: Option<Workspace>,
    pub role: Option<Role>,
    pub user_name: Option<String>,
    /// Whether the one signed in manages the site, which adds its page to their links.
    pub site_admin: bool,
    pub csrf: String,
    pub nav: Vec<NavLink>,
    here: String,
    /// Unread notifications in this workspace, for those signed in.
    pub unread: Option<i64>,
}

impl Chrome {
    /// The frame of a workspace page; `title_key` names the page and marks its menu entry.
    pub fn for_scope(scope: &Scope, title_key: &str) -> Chrome {
        Chrome::for_scope_titled(scope, title_key, scope.t(title_key))
    }

    /// As [`Chrome::for_scope`], with a title of its own (a meeting's name, say).
    pub fn for_scope_titled(scope: &Scope, section_key: &str, title: String) -> Chrome {
        let slug = &scope.workspace.slug;
        let mut nav = vec![(format!("/w/{slug}"), "nav-home", Action::ViewPublished)];
        nav.push((format!("/w/{slug}/ideas"), "nav-ideas", Action::ViewPublished));
        nav.push((format!("/w/{slug}/map"), "nav-map", Action::ViewPublished));
        nav.push((
            format!("/w/{slug}/initiatives"),
            "nav-initiatives",
            Action::ViewPublished,
        ));
        nav.push((format!("/w/{slug}/network"), "nav-network", Action::ViewPublished));
        nav.push((format!("/w/{slug}/meetings"), "nav-meetings", Action::ViewPublished));
        nav.push((format!("/w/{slug}/group"), "nav-group", Action::ViewPublished));
        nav.push((format!("/w/{slug}/plan"), "nav-plan", Action::ViewPlan));
        nav.push((format!("/w/{slug}/agreements"), "nav-agreements", Action::ViewPublished));
        nav.push((
            format!("/w/{slug}/cooperation"),
            "nav-cooperation",
            Action::ViewCooperation,
        ));
        nav.push((format!("/w/{slug}/business"), "nav-business", Action::OfferCooperation));
        nav.push((
            format!("/w/{slug}/audit-packs"),
            "nav-audit-packs",
            Action::ViewAuditPacks,
        ));
        nav.push((
            format!("/w/{slug}/stakeholders"),
            "nav-stakeholders",
            Action::ViewStakeholders,
        ));
        nav.push((format!("/w/{slug}/accounts"), "nav-accounts", Action::InviteMembers));
        nav.push((format!("/w/{slug}/audit"), "nav-audit", Action::ViewAuditLog));
        nav.push((format!("/w/{slug}/outbox"), "nav-outbox", Action::ManageRoles));
        let nav = nav
            .into_iter()
            .filter(|(_, _, action)| scope.may(*action))
            .map(|(href, key, _)| NavLink {
                href,
                label: scope.t(key),
                current: key == section_key,
            })
            .collect();
        Chrome {
            title,
            locale: scope.locale,
            i18n: scope.state.app.i18n.clone(),
            workspace: Some(scope.workspace.clone()),
            role: scope.role,
            user_name: scope.visitor.session.as_ref().map(|s| s.user.display_name.clone()),
            site_admin: scope.visitor.session.as_ref().is_some_and(|s| s.user.site_admin),
            csrf: scope.visitor.csrf.clone(),
            nav,
            here: scope.here.clone(),
            unread: scope.role.and(scope.unread),
        }
    }

    /// The frame of a page outside any workspace (the network, signing in).
    pub fn plain(state: &AppState, visitor: Option<&Visitor>, locale: Locale, title_key: &str, here: &str) -> Chrome {
        Chrome {
            title: state.app.i18n.text(locale, title_key, &[]),
            locale,
            i18n: state.app.i18n.clone(),
            workspace: None,
            role: None,
            user_name: visitor
                .and_then(|v| v.session.as_ref())
                .map(|s| s.user.display_name.clone()),
            site_admin: visitor
                .and_then(|v| v.session.as_ref())
                .is_some_and(|s| s.user.site_admin),
            csrf: visitor.map(|v| v.csrf.clone()).unwrap_or_default(),
            nav: Vec::new(),
            here: here.to_owned(),
            unread: None,
        }
    }

    pub fn t(&self, key: &str) -> String {
        Words::t(self, key)
    }

    /// A message with one argument.
    pub fn t1(&self, key: &str, name: &str, value: impl ToString) -> String {
        Words::t1(self, key, name, value)
    }

    /// A body's attendance in words: how many of its members were present.
    pub fn attendance(&self, attendance: &kopa_domain::meeting::Attendance) -> String {
        self.message(
            "meeting-attendance-of",
            &[
                ("present", kopa_report::Arg::of(attendance.present)),
                ("seats", kopa_report::Arg::of(attendance.seats)),
            ],
        )
    }

    /// Who made a change, in the reader's words.
    pub fn actor(&self, label: &str) -> String {
        Words::actor(self, label)
    }

    /// Why an instrument took a step, in the reader's words.
    pub fn step_reason(&self, file: &InstrumentFile, step: &InstrumentStep) -> String {
        kopa_report::pack::step_reason(self, file, step)
    }

    /// The label of a closed code (whose `Display` is its code), e.g. `sector-business`.
    pub fn code(&self, prefix: &str, value: impl std::fmt::Display) -> String {
        Words::code(self, prefix, value)
    }

    pub fn may(&self, action: Action) -> bool {
        Role::may(self.role, action)
    }

    /// Where an idea stands: once it became an initiative, where that initiative stands.
    pub fn idea_status(&self, idea: &Idea) -> String {
        match (&idea.became, idea.status) {
            (Some(became), IdeaStatus::Open) => self.t1(
                "idea-status-became",
                "status",
                self.code("initiative-status", became.status),
            ),
            (_, status) => self.code("idea-status", status),
        }
    }

    /// A place in words: "a point", "a line of 1.2 km", "an area of 3.4 ha".
    pub fn place_words(&self, place: &Place) -> String {
        let decimal = |value: f64| {
            let text = format!("{value:.1}");
            match self.locale {
                Locale::Lv => text.replace('.', ","),
                Locale::En => text,
            }
        };
        match place.extent() {
            Extent::Point => self.t("place-point"),
            Extent::Line { metres } if metres < 1000.0 => self.t1("place-line", "length", format!("{metres:.0} m")),
            Extent::Line { metres } => self.t1("place-line", "length", format!("{} km", decimal(metres / 1000.0))),
            Extent::Area { square_metres } if square_metres < 10_000.0 => {
                self.t1("place-area", "size", format!("{square_metres:.0} m²"))
            }
            Extent::Area { square_metres } => self.t1(
                "place-area",
                "size",
                format!("{} ha", decimal(square_metres / 10_000.0)),
            ),
        }
    }

    pub fn lang(&self) -> &'static str {
        self.locale.code()
    }

    /// The language user-written plan text is shown in: the page's.
    pub fn language(&self) -> Language {
        self.locale.language()
    }

    /// User-written text in the page's language, or the other one, marked.
    pub fn text<'a>(&self, text: &'a Text) -> Shown<'a> {
        text.shown_in(self.language())
    }

    pub fn other_lang(&self) -> &'static str {
        match self.locale {
            Locale::Lv => "en",
            Locale::En => "lv",
        }
    }

    pub fn here_encoded(&self) -> String {
        utf8_percent_encode(&self.here, NON_ALPHANUMERIC).to_string()
    }

    pub fn switch_href(&self) -> String {
        format!("/language/{}?back={}", self.other_lang(), self.here_encoded())
    }

    pub fn role_label(&self) -> Option<String> {
        self.role.map(|role| self.code("role", role))
    }

    /// The workspace's short name, for links.
    /// The language people in this workspace write in, when the page is in another: their
    /// ideas, names and titles are shown as written, and marked.
    pub fn written_in(&self) -> Option<&str> {
        let written = self.workspace.as_ref()?.default_locale.as_str();
        (written != self.lang()).then_some(written)
    }

    pub fn slug(&self) -> &str {
        self.workspace.as_ref().map(|w| w.slug.as_str()).unwrap_or_default()
    }

    pub fn date(&self, date: impl Day) -> String {
        Words::date(self, date.as_date())
    }

    pub fn datetime(&self, at: impl Moment) -> String {
        Words::datetime(self, at.as_moment())
    }

    /// "10.11.2020. 14:00–16:00", or with both dates when it spans days.
    pub fn span(&self, starts: impl Moment, ends: impl Moment) -> String {
        let (starts, ends) = (&starts.as_moment(), &ends.as_moment());
        if starts.date() == ends.date() {
            format!("{}–{}", self.datetime(starts), ends.format("%H:%M"))
        } else {
            format!("{} – {}", self.datetime(starts), self.datetime(ends))
        }
    }
}

impl Chrome {
    /// A moment recorded in UTC, as the workspace's clock showed it.
    pub fn local(&self, at: &chrono::DateTime<chrono::Utc>) -> NaiveDateTime {
        Words::local(self, at)
    }
}

/// Pages and the documents they offer speak with the same words.
impl Words for Chrome {
    fn language(&self) -> Language {
        self.locale.language()
    }

    fn message(&self, key: &str, args: &[(&str, Arg)]) -> String {
        self.i18n.message(self.locale, key, args)
    }

    fn local(&self, at: &chrono::DateTime<chrono::Utc>) -> NaiveDateTime {
        let zone = match &self.workspace {
            Some(workspace) => kopa_app::i18n::zone(workspace),
            None => chrono_tz::Europe::Riga,
        };
        at.with_timezone(&zone).naive_local()
    }
}

/// A date however deeply the template borrowed it.
pub trait Day {
    fn as_date(&self) -> NaiveDate;
}

/// A date and time however deeply the template borrowed it.
pub trait Moment {
    fn as_moment(&self) -> NaiveDateTime;
}

macro_rules! through_references {
    ($trait:ident, $method:ident, $type:ty) => {
        impl $trait for $type {
            fn $method(&self) -> $type {
                *self
            }
        }
        impl $trait for &$type {
            fn $method(&self) -> $type {
                **self
            }
        }
        impl $trait for &&$type {
            fn $method(&self) -> $type {
                ***self
            }
        }
    };
}

through_references!(Day, as_date, NaiveDate);
through_references!(Moment, as_moment, NaiveDateTime);

/// A form as typed, with its errors, for showing it again.
#[derive(Default, Clone)]
pub struct FormState {
    values: HashMap<String, String>,
    invalid: Invalid,
    /// Keeps field ids unique when a page holds several forms.
    prefix: String,
}

impl FormState {
    pub fn new(values: HashMap<String, String>, invalid: Invalid) -> FormState {
        FormState {
            values,
            invalid,
            prefix: String::new(),
        }
    }

    /// The same form, its field ids prefixed with `prefix`.
    pub fn named(self, prefix: impl Into<String>) -> FormState {
        FormState {
            prefix: prefix.into(),
            ..self
        }
    }

    /// The id of a field's input; its error message is `e-` + the same.
    pub fn id(&self, name: &str) -> String {
        if self.prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{}-{name}", self.prefix)
        }
    }

    pub fn with_defaults(defaults: &[(&str, &str)]) -> FormState {
        FormState {
            values: defaults
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            invalid: Invalid::new(),
            prefix: String::new(),
        }
    }

    pub fn value(&self, name: &str) -> &str {
        self.values.get(name).map(String::as_str).unwrap_or_default()
    }

    pub fn checked(&self, name: &str) -> bool {
        matches!(self.value(name), "on" | "true" | "1" | "yes")
    }

    pub fn error(&self, name: &str) -> Option<&str> {
        self.invalid.message_for(name)
    }

    pub fn has_errors(&self) -> bool {
        !self.invalid.errors.is_empty()
    }

    pub fn errors(&self) -> &[FieldError] {
        &self.invalid.errors
    }
}

/// A page that holds forms. When one of them is refused, the page is built again around it,
/// as typed and with its errors; the others start empty.
pub trait FormPage: Template + Sized {
    /// Which page: a record's id, or `()` for a workspace's only one.
    type Key: Copy + Send;
    /// The page's forms; each starts empty.
    type Forms: Default + Send;

    /// Where the page is, e.g. `/w/kekava/ideas/12`.
    fn address(scope: &Scope, key: Self::Key) -> String;

    fn build(scope: &Scope, key: Self::Key, forms: Self::Forms) -> impl Future<Output = Result<Self, WebError>> + Send;
}

/// How every posted form ends. Saved: back to the page at `anchor` (POST, redirect, GET).
/// Refused: the page again, this form as typed (`place` puts it among the page's forms).
/// Anything else: an error page.
pub async fn settle<P: FormPage>(
    scope: &Scope,
    key: P::Key,
    outcome: Result<impl Sized, impl Into<Refusal>>,
    values: HashMap<String, String>,
    anchor: &str,
    place: impl FnOnce(&mut P::Forms, FormState),
) -> Result<Response, WebError> {
    let outcome = outcome.map_err(Into::into);
    let held_back = outcome.as_ref().err().and_then(held_back_for);
    let Some(invalid) = refusal(outcome)? else {
        return Ok(see_other(&format!("{}#{anchor}", P::address(scope, key))));
    };
    let mut forms = P::Forms::default();
    place(&mut forms, FormState::new(values, invalid));
    render_held_back(P::build(scope, key, forms).await?, held_back)
}

/// How long a rate limit asks to wait, when that is why a form was refused.
pub fn held_back_for(refused: &Refusal) -> Option<u64> {
    match refused {
        Refusal::SlowDown { retry_after_seconds } => Some(*retry_after_seconds),
        _ => None,
    }
}

/// A refused form's page again, as typed: 422, or 429 with `Retry-After` when a rate limit
/// held it back, so that what was typed is still there to send later.
pub fn render_held_back(template: impl Template, held_back: Option<u64>) -> Result<Response, WebError> {
    let mut response = render_refused(template)?;
    if let Some(seconds) = held_back {
        *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        let value = axum::http::HeaderValue::from(seconds);
        response.headers_mut().insert(axum::http::header::RETRY_AFTER, value);
    }
    Ok(response)
}

/// How a form post ended: saved (`None`), refused with what the form shows again, or failed.
pub fn refusal<T>(outcome: Result<T, impl Into<Refusal>>) -> Result<Option<Invalid>, WebError> {
    match outcome.map_err(Into::into) {
        Ok(_) => Ok(None),
        Err(refused) => form_refusal(refused).map(Some),
    }
}

/// What a form shows again when a use case refused it; anything else is an error page.
pub fn form_refusal(refused: Refusal) -> Result<Invalid, WebError> {
    match refused {
        Refusal::Invalid(invalid) => Ok(invalid),
        Refusal::Refused(key) => Ok(Invalid::single("form", key)),
        // The text stays in the form, to send again later.
        Refusal::SlowDown { .. } => Ok(Invalid::single("form", "error-slow-down")),
        other => Err(other.into()),
    }
}

/// Renders a template as a 200 page.
pub fn render(template: impl Template) -> Result<Response, WebError> {
    Ok(Html(template.render()?).into_response())
}

/// Renders a form page again with the status that says why.
pub fn render_refused(template: impl Template) -> Result<Response, WebError> {
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(template.render()?)).into_response())
}

/// What no cache may keep, whoever asks: the page shows a secret, a one-time link's form or
/// people's addresses.
pub fn private(mut response: Response) -> Response {
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    response
}

/// Where a form that succeeded sends the browser (POST, then redirect, then GET).
/// A redirect to `path` on this site. A path that cannot be a header value (a line break,
/// say) is never sent: the visitor goes home instead of meeting a 500.
pub fn see_other(path: &str) -> Response {
    let location = axum::http::HeaderValue::from_str(path).unwrap_or_else(|_| {
        tracing::warn!(
            target = path.escape_debug().to_string(),
            "a redirect that is no header value"
        );
        axum::http::HeaderValue::from_static("/")
    });
    (StatusCode::SEE_OTHER, [(axum::http::header::LOCATION, location)]).into_response()
}

#[cfg(test)]
mod see_other_tests {
    #[test]
    fn a_target_that_is_no_header_value_goes_home() {
        for bad in ["/w/town\r\nSet-Cookie: x=1", "/w/\u{0}"] {
            let response = super::see_other(bad);
            assert_eq!(response.status(), axum::http::StatusCode::SEE_OTHER);
            assert_eq!(response.headers()["location"], "/");
        }
        assert_eq!(super::see_other("/w/town#ideas").headers()["location"], "/w/town#ideas");
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: Chrome,
    message: String,
    errors: Vec<(String, String)>,
}

/// The page for a [`Failure`], in the visitor's language.
/// An error page framed as the page it stands for: in a workspace with its header and menu,
/// in the reader's language, and signed in. `locale` is for visitors unknown by then (a
/// request refused before its session was read).
pub async fn error_page(
    state: &AppState,
    visitor: Option<Visitor>,
    here: &str,
    locale: Locale,
    failure: &Failure,
) -> Response {
    let title_key = match failure.status {
        StatusCode::NOT_FOUND => "error-title-not-found",
        StatusCode::FORBIDDEN => "error-title-forbidden",
        status if status.is_server_error() => "error-title-internal",
        _ => "error-title-bad-request",
    };
    let page = match visitor {
        Some(visitor) => framed_for(state, visitor, here, title_key, failure).await,
        None => Chrome::plain(state, None, locale, title_key, "/"),
    };
    let locale = page.locale;
    let message = failure.message(&state.app.i18n, locale);
    let errors = failure
        .errors
        .iter()
        .map(|e| (e.field.clone(), page.t(&e.message)))
        .collect();
    let body = ErrorPage { page, message, errors }
        .render()
        .unwrap_or_else(|_| "Error".into());
    (failure.status, Html(body)).into_response()
}

/// The frame of an error page for a known visitor: the workspace's when the path is in one
/// that exists (not looked up while the database fails), else the plain one.
async fn framed_for(state: &AppState, visitor: Visitor, here: &str, title_key: &str, failure: &Failure) -> Chrome {
    let slug = here
        .strip_prefix("/w/")
        .and_then(|rest| rest.split(['/', '?']).next())
        .filter(|slug| !slug.is_empty());
    let database_answers = failure.status.is_client_error() && failure.status != StatusCode::TOO_MANY_REQUESTS;
    if let Some(slug) = slug.filter(|_| database_answers)
        && let Ok(Some(scope)) =
            crate::context::Scope::resolve(state.clone(), visitor.clone(), slug, here.to_owned()).await
    {
        return Chrome::for_scope_titled(&scope, "", scope.t(title_key));
    }
    let locale = visitor.locale(None);
    Chrome::plain(state, Some(&visitor), locale, title_key, here)
}

/// Which page of a long list is asked for: the first unless told.
#[derive(Debug, Default, serde::Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    page: String,
}

impl PageQuery {
    pub fn number(&self) -> i64 {
        self.page.parse().ok().filter(|n| *n >= 1).unwrap_or(1)
    }

    /// How many rows the pages before this one hold.
    pub fn skipped(&self) -> i64 {
        (self.number() - 1).saturating_mul(Pages::SIZE)
    }
}

/// Where one page of a long list sits: "11–20 of 300", and links to its neighbours.
pub struct Pages {
    pub showing: String,
    pub previous: Option<String>,
    pub next: Option<String>,
}

impl Pages {
    /// Rows on one page.
    pub const SIZE: i64 = 50;

    /// `showing_key` is a message taking `first`, `last` and `total`; `href` links page `n`.
    pub fn new(
        scope: &Scope,
        showing_key: &str,
        query: &PageQuery,
        shown: usize,
        total: i64,
        href: impl Fn(i64) -> String,
    ) -> Pages {
        let (number, skipped, shown) = (query.number(), query.skipped(), shown as i64);
        Pages {
            showing: scope.state.app.i18n.text(
                scope.locale,
                showing_key,
                &[
                    ("first", (skipped + 1).min(total).into()),
                    ("last", (skipped + shown).into()),
                    ("total", total.into()),
                ],
            ),
            previous: (number > 1).then(|| href(number - 1)),
            next: (skipped + shown < total).then(|| href(number + 1)),
        }
    }

    /// The asked-for page of a list held whole, and where it sits.
    pub fn of<'a, T>(
        scope: &Scope,
        showing_key: &str,
        query: &PageQuery,
        all: &'a [T],
        href: impl Fn(i64) -> String,
    ) -> (&'a [T], Pages) {
        let from = usize::try_from(query.skipped()).unwrap_or(usize::MAX).min(all.len());
        let shown = &all[from..(from + Pages::SIZE as usize).min(all.len())];
        let pages = Pages::new(scope, showing_key, query, shown.len(), all.len() as i64, href);
        (shown, pages)
    }
}
