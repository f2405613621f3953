//! Meetings: the list, creating and editing one, and its page with agenda, speakers,
//! registrations, attendance, minutes and decisions. Each sub-form posts to its own route and,
//! when refused, the meeting page is shown again with that form as typed.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use kopa_domain::Action;
use kopa_domain::Invalid;
use kopa_domain::meeting::{
    AgendaItemInput, Decision, DecisionInput, Meeting, MeetingInput, MeetingKind, MeetingMode, NumberedItem,
    Registration, RegistrationInput, RegistrationStatus, Speaker, SpeakerInput, outline,
};
use kopa_domain::validation::Code;
use kopa_store::{MeetingSummary, MeetingsAround, StoreError};
use serde::Deserialize;

use super::{Chrome, FormState, PageQuery, Pages, refusal, render, render_refused, see_other};
use crate::context::{Form, Scope, parse_id};
use crate::error::WebError;

#[derive(Template)]
#[template(path = "meetings.html")]
struct MeetingsPage {
    page: Chrome,
    /// Upcoming, then one page of the past: a heading key and its meetings.
    sections: Vec<(&'static str, Vec<MeetingSummary>)>,
    /// Where the page of past meetings sits.
    pages: Pages,
}

pub async fn list(scope: Scope, Query(query): Query<PageQuery>) -> Result<Response, WebError> {
    scope.require(Action::ViewPublished)?;
    let store = &scope.state.app.store;
    let MeetingsAround {
        upcoming,
        past,
        past_total,
    } = store
        .meetings_around(
            scope.id(),
            scope.may(Action::ViewGroup),
            store.now().naive_utc(),
            Pages::SIZE,
            query.skipped(),
        )
        .await?;
    let pages = Pages::new(&scope, "meetings-showing", &query, past.len(), past_total, |n| {
        format!("/w/{}/meetings?page={n}", scope.workspace.slug)
    });
    let sections = vec![("meetings-upcoming", upcoming), ("meetings-past", past)];
    render(MeetingsPage {
        page: Chrome::for_scope(&scope, "nav-meetings"),
        sections,
        pages,
    })
}

#[derive(Template)]
#[template(path = "meeting_form.html")]
struct MeetingFormPage {
    page: Chrome,
    form: FormState,
    /// Where the form posts: a new meeting or an existing one.
    action: String,
    kinds: Vec<(String, String)>,
    modes: Vec<(String, String)>,
}

fn options<C: Code>(page: &Chrome, prefix: &str) -> Vec<(String, String)> {
    C::ALL
        .iter()
        .map(|value| (value.code().to_owned(), page.code(prefix, *value)))
        .collect()
}

fn meeting_form(scope: &Scope, title_key: &str, form: FormState, action: String) -> MeetingFormPage {
    let page = Chrome::for_scope(scope, title_key);
    let kinds = options::<MeetingKind>(&page, "meeting-kind");
    let modes = options::<MeetingMode>(&page, "meeting-mode");
    MeetingFormPage {
        page,
        form,
        action,
        kinds,
        modes,
    }
}

pub async fn new_form(scope: Scope) -> Result<Response, WebError> {
    scope.require(Action::ManageMeetings)?;
    let form = FormState::with_defaults(&[("kind", "group"), ("mode", "online")]);
    let action = format!("/w/{}/meetings", scope.workspace.slug);
    render(meeting_form(&scope, "meeting-new", form, action))
}

pub async fn create(scope: Scope, form: Form<MeetingInput>) -> Result<Response, WebError> {
    scope.require(Action::ManageMeetings)?;
    let action = format!("/w/{}/meetings", scope.workspace.slug);
    match form.input.validate() {
        Ok(new) => {
            let meeting = scope
                .state
                .app
                .store
                .create_meeting(&scope.actor(), scope.id(), &new)
                .await?;
            Ok(see_other(&format!(
                "/w/{}/meetings/{}",
                scope.workspace.slug, meeting.id
            )))
        }
        Err(invalid) => render_refused(meeting_form(
            &scope,
            "meeting-new",
            FormState::new(form.values, invalid),
            action,
        )),
    }
}

fn values_of(meeting: &Meeting) -> HashMap<String, String> {
    let mut values = HashMap::new();
    values.insert("kind".into(), meeting.kind.code().into());
    values.insert("title".into(), meeting.title.clone());
    values.insert(
        "starts_at".into(),
        meeting.starts_at.format("%Y-%m-%dT%H:%M").to_string(),
    );
    values.insert("ends_at".into(), meeting.ends_at.format("%Y-%m-%dT%H:%M").to_string());
    values.insert("mode".into(), meeting.mode.code().into());
    values.insert("link".into(), meeting.link.clone().unwrap_or_default());
    values.insert("place".into(), meeting.place.clone().unwrap_or_default());
    values.insert(
        "capacity".into(),
        meeting.capacity.map(|c| c.to_string()).unwrap_or_default(),
    );
    if meeting.registration_open {
        values.insert("registration_open".into(), "on".into());
    }
    if meeting.published {
        values.insert("published".into(), "on".into());
    }
    values
}

pub async fn edit_form(scope: Scope, Path((_, id)): Path<(String, String)>) -> Result<Response, WebError> {
    scope.require(Action::ManageMeetings)?;
    let meeting = visible_meeting(&scope, parse_id(&id)?).await?;
    let action = format!("/w/{}/meetings/{}/edit", scope.workspace.slug, meeting.id);
    render(meeting_form(
        &scope,
        "meeting-edit",
        FormState::new(values_of(&meeting), Invalid::new()),
        action,
    ))
}

pub async fn update(
    scope: Scope,
    Path((_, id)): Path<(String, String)>,
    form: Form<MeetingInput>,
) -> Result<Response, WebError> {
    scope.require(Action::ManageMeetings)?;
    let id = parse_id(&id)?;
    let action = format!("/w/{}/meetings/{id}/edit", scope.workspace.slug);
    match form.input.validate() {
        Ok(new) => {
            scope
                .state
                .app
                .store
                .update_meeting(&scope.actor(), scope.id(), id, &new)
                .await?;
            Ok(see_other(&format!("/w/{}/meetings/{id}", scope.workspace.slug)))
        }
        Err(invalid) => render_refused(meeting_form(
            &scope,
            "meeting-edit",
            FormState::new(form.values, invalid),
            action,
        )),
    }
}

/// The meeting, if this visitor may see it: published ones to anyone, others to the group.
async fn visible_meeting(scope: &Scope, id: i64) -> Result<Meeting, WebError> {
    let meeting = scope
        .state
        .app
        .store
        .meeting(scope.id(), id)
        .await?
        .ok_or(WebError::NotFound)?;
    if !meeting.published {
        scope.require(Action::ViewGroup)?;
    }
    Ok(meeting)
}

/// The sub-forms of a meeting page, each empty unless it is being shown again.
#[derive(Default)]
struct MeetingForms {
    agenda: FormState,
    speaker: FormState,
    decision: FormState,
    minutes: FormState,
    registration: FormState,
}

#[derive(Template)]
#[template(path = "meeting.html")]
struct MeetingPage {
    page: Chrome,
    meeting: Meeting,
    agenda: Vec<NumberedItem>,
    speakers: Vec<Speaker>,
    decisions: Vec<Decision>,
    registrations: Vec<Registration>,
    confirmed: usize,
    waiting: usize,
    forms: MeetingForms,
    parent_options: Vec<(String, String)>,
    notice: Option<String>,
}

impl MeetingPage {
    fn seats_left(&self) -> Option<i64> {
        self.meeting
            .capacity
            .map(|capacity| (capacity - self.confirmed as i64).max(0))
    }
}

async fn meeting_page(
    scope: &Scope,
    id: i64,
    mut forms: MeetingForms,
    notice: Option<String>,
) -> Result<MeetingPage, WebError> {
    let meeting = visible_meeting(scope, id).await?;
    let store = &scope.state.app.store;
    let agenda = outline(&store.agenda(id).await?);
    let registrations = store.registrations(id).await?;
    let confirmed = registrations
        .iter()
        .filter(|r| r.status == RegistrationStatus::Confirmed)
        .count();
    let waiting = registrations.len() - confirmed;
    let registrations = if scope.may(Action::ViewPersonalData) {
        registrations
    } else {
        Vec::new()
    };
    let mut parent_options = vec![(String::new(), scope.t("agenda-top-level"))];
    parent_options.extend(
        agenda
            .iter()
            .map(|n| (n.item.id.to_string(), format!("{} {}", n.number, n.item.title))),
    );
    if !forms.registration.has_errors()
        && let Some(session) = &scope.visitor.session
    {
        forms.registration =
            FormState::with_defaults(&[("name", &session.user.display_name), ("email", &session.user.email)]);
    }
    if !forms.decision.has_errors() {
        forms.decision =
            FormState::with_defaults(&[("votes_for", "0"), ("votes_against", "0"), ("votes_abstain", "0")]);
    }
    if !forms.minutes.has_errors() {
        forms.minutes = FormState::with_defaults(&[("minutes", meeting.minutes.as_deref().unwrap_or_default())]);
    }
    let forms = forms.named();
    Ok(MeetingPage {
        page: Chrome::for_scope_titled(scope, "nav-meetings", meeting.title.clone()),
        speakers: store.speakers(id).await?,
        decisions: store.decisions(id).await?,
        meeting,
        agenda,
        registrations,
        confirmed,
        waiting,
        forms,
        parent_options,
        notice,
    })
}

#[derive(Deserialize)]
pub struct ShowQuery {
    registered: Option<String>,
}

pub async fn show(
    scope: Scope,
    Path((_, id)): Path<(String, String)>,
    Query(query): Query<ShowQuery>,
) -> Result<Response, WebError> {
    scope.require(Action::ViewPublished)?;
    let notice = match query.registered.as_deref() {
        Some("confirmed") => Some(scope.t("registration-confirmed")),
        Some("waiting") => Some(scope.t("registration-waiting")),
        _ => None,
    };
    render(meeting_page(&scope, parse_id(&id)?, MeetingForms::default(), notice).await?)
}

/// Ends a sub-form's post: back to the meeting at `anchor` when saved, or the meeting page
/// again with that form as typed and its errors.
async fn settle(
    scope: &Scope,
    id: i64,
    outcome: Result<(), StoreError>,
    values: HashMap<String, String>,
    anchor: &str,
    place: impl FnOnce(&mut MeetingForms, FormState),
) -> Result<Response, WebError> {
    let Some(invalid) = refusal(outcome)? else {
        return Ok(back_to(scope, id, anchor));
    };
    let mut forms = MeetingForms::default();
    place(&mut forms, FormState::new(values, invalid));
    render_refused(meeting_page(scope, id, forms, None).await?)
}

impl MeetingForms {
    /// Each form's field ids get their own prefix.
    fn named(self) -> MeetingForms {
        MeetingForms {
            agenda: self.agenda.named("agenda"),
            speaker: self.speaker.named("speaker"),
            decision: self.decision.named("decision"),
            minutes: self.minutes.named("minutes"),
            registration: self.registration.named("registration"),
        }
    }
}

fn back_to(scope: &Scope, id: i64, anchor: &str) -> Response {
    see_other(&format!("/w/{}/meetings/{id}#{anchor}", scope.workspace.slug))
}

type MeetingPath = Path<(String, String)>;

pub async fn add_agenda_item(
    scope: Scope,
    Path((_, id)): MeetingPath,
    form: Form<AgendaItemInput>,
) -> Result<Response, WebError> {
    scope.require(Action::ManageMeetings)?;
    let id = parse_id(&id)?;
    let store = &scope.state.app.store;
    let outcome = async {
        store
            .add_agenda_item(&scope.actor(), scope.id(), id, &form.input.validate()?)
            .await
            .map(drop)
    };
    settle(&scope, id, outcome.await, form.values, "agenda", |forms, state| {
        forms.agenda = state
    })
    .await
}

pub async fn remove_agenda_item(
    scope: Scope,
    Path((_, id, item)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    scope.require(Action::ManageMeetings)?;
    let id = parse_id(&id)?;
    scope
        .state
        .app
        .store
        .remove_agenda_item(&scope.actor(), scope.id(), id, parse_id(&item)?)
        .await?;
    Ok(back_to(&scope, id, "agenda"))
}

pub async fn add_speaker(
    scope: Scope,
    Path((_, id)): MeetingPath,
    form: Form<SpeakerInput>,
) -> Result<Response, WebError> {
    scope.require(Action::ManageMeetings)?;
    let id = parse_id(&id)?;
    let store = &scope.state.app.store;
    let outcome = async {
        store
            .add_speaker(&scope.actor(), scope.id(), id, &form.input.validate()?)
            .await
            .map(drop)
    };
    settle(&scope, id, outcome.await, form.values, "speakers", |forms, state| {
        forms.speaker = state
    })
    .await
}

pub async fn record_decision(
    scope: Scope,
    Path((_, id)): MeetingPath,
    form: Form<DecisionInput>,
) -> Result<Response, WebError> {
    scope.require(Action::ManageMeetings)?;
    let id = parse_id(&id)?;
    let store = &scope.state.app.store;
    let outcome = async {
        store
            .record_decision(&scope.actor(), scope.id(), id, &form.input.validate()?)
            .await
            .map(drop)
    };
    settle(&scope, id, outcome.await, form.values, "decisions", |forms, state| {
        forms.decision = state
    })
    .await
}

#[derive(Deserialize)]
pub struct MinutesInput {
    #[serde(default)]
    minutes: String,
}

pub async fn record_minutes(
    scope: Scope,
    Path((_, id)): MeetingPath,
    form: Form<MinutesInput>,
) -> Result<Response, WebError> {
    scope.require(Action::ManageMeetings)?;
    let id = parse_id(&id)?;
    let outcome = scope
        .state
        .app
        .store
        .record_minutes(&scope.actor(), scope.id(), id, &form.input.minutes)
        .await
        .map(drop);
    settle(&scope, id, outcome, form.values, "minutes", |forms, state| {
        forms.minutes = state
    })
    .await
}

pub async fn register(
    scope: Scope,
    Path((_, id)): MeetingPath,
    form: Form<RegistrationInput>,
) -> Result<Response, WebError> {
    scope.require(Action::RegisterForMeeting)?;
    let id = parse_id(&id)?;
    visible_meeting(&scope, id).await?;
    let registration = async {
        let new = form.input.validate()?;
        let actor = scope
            .visitor
            .actor()
            .unwrap_or_else(|| kopa_store::Actor::visitor(&new.email));
        scope.state.app.store.register(&actor, scope.id(), id, &new).await
    };
    match registration.await {
        Ok(registration) => Ok(see_other(&format!(
            "/w/{}/meetings/{id}?registered={}#registration",
            scope.workspace.slug, registration.status
        ))),
        Err(error) => {
            settle(&scope, id, Err(error), form.values, "registration", |forms, state| {
                forms.registration = state
            })
            .await
        }
    }
}

#[derive(Deserialize)]
pub struct AttendanceInput {
    #[serde(default)]
    attended: Option<String>,
}

pub async fn set_attendance(
    scope: Scope,
    Path((_, id, registration)): Path<(String, String, String)>,
    form: Form<AttendanceInput>,
) -> Result<Response, WebError> {
    scope.require(Action::ManageMeetings)?;
    let id = parse_id(&id)?;
    let attended = form.input.attended.as_deref() == Some("yes");
    scope
        .state
        .app
        .store
        .set_attendance(&scope.actor(), scope.id(), id, parse_id(&registration)?, attended)
        .await?;
    Ok(back_to(&scope, id, "registrations"))
}

pub async fn cancel_registration(
    scope: Scope,
    Path((_, id, registration)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    scope.require(Action::ManageMeetings)?;
    let id = parse_id(&id)?;
    scope
        .state
        .app
        .store
        .cancel_registration(&scope.actor(), scope.id(), id, parse_id(&registration)?)
        .await?;
    Ok(back_to(&scope, id, "registrations"))
}
