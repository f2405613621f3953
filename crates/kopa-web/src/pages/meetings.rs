//! Meetings: the list, creating and editing one, and its page with agenda, speakers,
//! registrations, attendance, minutes and decisions. Each sub-form posts to its own route and,
//! when refused, the meeting page is shown again with that form as typed.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use kopa_app::MeetingRecord;
use kopa_domain::Action;
use kopa_domain::Invalid;
use kopa_domain::meeting::{
    AgendaItemInput, Decision, DecisionInput, Meeting, MeetingInput, MeetingKind, MeetingMode, NumberedItem,
    Registration, RegistrationInput, Speaker, SpeakerInput, outline,
};
use kopa_domain::validation::Code;
use kopa_store::{MeetingSummary, MeetingsAround};
use serde::Deserialize;

use super::{Chrome, FormPage, FormState, PageQuery, Pages, form_refusal, render, render_refused, see_other, settle};
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
    let MeetingsAround {
        upcoming,
        past,
        past_total,
    } = scope
        .app()
        .meetings_around(&scope.caller(), Pages::SIZE, query.skipped())
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
    match scope.app().create_meeting(&scope.caller(), &form.input).await {
        Ok(meeting) => Ok(see_other(&format!(
            "/w/{}/meetings/{}",
            scope.workspace.slug, meeting.id
        ))),
        Err(refused) => {
            let form = FormState::new(form.values, form_refusal(refused)?);
            let action = format!("/w/{}/meetings", scope.workspace.slug);
            render_refused(meeting_form(&scope, "meeting-new", form, action))
        }
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
    if let Some(attendance) = meeting.attendance {
        values.insert("seats".into(), attendance.seats.to_string());
        values.insert("present".into(), attendance.present.to_string());
    }
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
    let id = parse_id(&id)?;
    match scope.app().update_meeting(&scope.caller(), id, &form.input).await {
        Ok(_) => Ok(see_other(&format!("/w/{}/meetings/{id}", scope.workspace.slug))),
        Err(refused) => {
            let form = FormState::new(form.values, form_refusal(refused)?);
            let action = format!("/w/{}/meetings/{id}/edit", scope.workspace.slug);
            render_refused(meeting_form(&scope, "meeting-edit", form, action))
        }
    }
}

/// The meeting, if this visitor may see it.
async fn visible_meeting(scope: &Scope, id: i64) -> Result<Meeting, WebError> {
    Ok(scope.app().meeting(&scope.caller(), id).await?)
}

/// The sub-forms of a meeting page, each empty unless it is being shown again.
#[derive(Default)]
pub struct MeetingForms {
    agenda: FormState,
    speaker: FormState,
    decision: FormState,
    minutes: FormState,
    registration: FormState,
}

#[derive(Template)]
#[template(path = "meeting.html")]
pub struct MeetingPage {
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
    let MeetingRecord {
        meeting,
        agenda,
        speakers,
        decisions,
        confirmed,
        waiting,
        registrations,
    } = scope.app().meeting_record(&scope.caller(), id).await?;
    let agenda = outline(&agenda);
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
        speakers,
        decisions,
        meeting,
        agenda,
        registrations: registrations.unwrap_or_default(),
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
    let notice = match query.registered.as_deref() {
        Some("confirmed") => Some(scope.t("registration-confirmed")),
        Some("waiting") => Some(scope.t("registration-waiting")),
        _ => None,
    };
    render(meeting_page(&scope, parse_id(&id)?, MeetingForms::default(), notice).await?)
}

impl FormPage for MeetingPage {
    type Key = i64;
    type Forms = MeetingForms;

    fn address(scope: &Scope, id: i64) -> String {
        format!("/w/{}/meetings/{id}", scope.workspace.slug)
    }

    fn build(scope: &Scope, id: i64, forms: MeetingForms) -> impl Future<Output = Result<Self, WebError>> + Send {
        meeting_page(scope, id, forms, None)
    }
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
    see_other(&format!("{}#{anchor}", MeetingPage::address(scope, id)))
}

type MeetingPath = Path<(String, String)>;

pub async fn add_agenda_item(
    scope: Scope,
    Path((_, id)): MeetingPath,
    form: Form<AgendaItemInput>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let added = scope.app().add_agenda_item(&scope.caller(), id, &form.input).await;
    settle::<MeetingPage>(&scope, id, added, form.values, "agenda", |forms, state| {
        forms.agenda = state
    })
    .await
}

pub async fn remove_agenda_item(
    scope: Scope,
    Path((_, id, item)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let (id, item) = (parse_id(&id)?, parse_id(&item)?);
    scope.app().remove_agenda_item(&scope.caller(), id, item).await?;
    Ok(back_to(&scope, id, "agenda"))
}

pub async fn add_speaker(
    scope: Scope,
    Path((_, id)): MeetingPath,
    form: Form<SpeakerInput>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let added = scope.app().add_speaker(&scope.caller(), id, &form.input).await;
    settle::<MeetingPage>(&scope, id, added, form.values, "speakers", |forms, state| {
        forms.speaker = state
    })
    .await
}

pub async fn record_decision(
    scope: Scope,
    Path((_, id)): MeetingPath,
    form: Form<DecisionInput>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let recorded = scope.app().record_decision(&scope.caller(), id, &form.input).await;
    settle::<MeetingPage>(&scope, id, recorded, form.values, "decisions", |forms, state| {
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
    let id = parse_id(&id)?;
    let recorded = scope
        .app()
        .record_minutes(&scope.caller(), id, &form.input.minutes)
        .await;
    settle::<MeetingPage>(&scope, id, recorded, form.values, "minutes", |forms, state| {
        forms.minutes = state
    })
    .await
}

pub async fn register(
    scope: Scope,
    Path((_, id)): MeetingPath,
    form: Form<RegistrationInput>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    match scope.app().register_for_meeting(&scope.caller(), id, &form.input).await {
        Ok(registration) => Ok(see_other(&format!(
            "/w/{}/meetings/{id}?registered={}#registration",
            scope.workspace.slug, registration.status
        ))),
        Err(refused) => {
            settle::<MeetingPage>(
                &scope,
                id,
                Err::<(), _>(refused),
                form.values,
                "registration",
                |forms, state| forms.registration = state,
            )
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
    let (id, registration) = (parse_id(&id)?, parse_id(&registration)?);
    let attended = form.input.attended.as_deref() == Some("yes");
    scope
        .app()
        .set_attendance(&scope.caller(), id, registration, attended)
        .await?;
    Ok(back_to(&scope, id, "registrations"))
}

pub async fn cancel_registration(
    scope: Scope,
    Path((_, id, registration)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let (id, registration) = (parse_id(&id)?, parse_id(&registration)?);
    scope
        .app()
        .cancel_registration(&scope.caller(), id, registration)
        .await?;
    Ok(back_to(&scope, id, "registrations"))
}
