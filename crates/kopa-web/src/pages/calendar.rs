//! Calendar files: one per meeting, and a feed of a workspace's meetings.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDateTime, TimeZone, Utc};
use icalendar::{Calendar, Component, Event, EventLike};
use kopa_domain::meeting::{AgendaItem, Meeting};

use crate::context::{Scope, parse_id};
use crate::error::WebError;

fn to_utc(local: NaiveDateTime, zone: &chrono_tz::Tz) -> chrono::DateTime<Utc> {
    // A time in the hour a DST change skips or repeats takes the earlier reading.
    zone.from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| local.and_utc())
}

/// Text as a calendar value. The writer escapes line feeds, commas and semicolons, but a
/// carriage return on its own would end the line, so that what follows reads as a property
/// of its own: every line break becomes one line feed first.
fn value(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// The agenda as lines of text: items numbered, the items under them indented.
fn agenda_lines(agenda: &[AgendaItem]) -> Vec<String> {
    let line = |item: &AgendaItem| {
        let extra: Vec<String> = item
            .presenter
            .iter()
            .cloned()
            .chain(item.duration_minutes.map(|m| format!("{m} min")))
            .collect();
        if extra.is_empty() {
            item.title.clone()
        } else {
            format!("{} ({})", item.title, extra.join(", "))
        }
    };
    let mut lines = Vec::new();
    for (number, top) in agenda.iter().filter(|i| i.parent_id.is_none()).enumerate() {
        lines.push(format!("{}. {}", number + 1, line(top)));
        for under in agenda.iter().filter(|i| i.parent_id == Some(top.id)) {
            lines.push(format!("   – {}", line(under)));
        }
    }
    lines
}

/// A meeting as a calendar event: its kind, agenda and online link in the description, and a
/// link back to its page.
fn event(scope: &Scope, meeting: &Meeting, agenda: &[AgendaItem], zone: &chrono_tz::Tz) -> Event {
    let page = format!(
        "{}/w/{}/meetings/{}",
        scope.state.settings.public_url.trim_end_matches('/'),
        scope.workspace.slug,
        meeting.id
    );
    let mut description = vec![scope.t(&format!("meeting-kind-{}", meeting.kind))];
    if !agenda.is_empty() {
        description.push(format!("\n{}:", scope.t("agenda")));
        description.extend(agenda_lines(agenda));
    }
    if let Some(link) = &meeting.link {
        description.push(format!("\n{}: {link}", scope.t("meeting-link")));
    }
    description.push(format!("\n{page}"));
    let mut event = Event::new();
    event
        .uid(&format!("meeting-{}@{}.kopa", meeting.id, scope.workspace.slug))
        .summary(&value(&meeting.title))
        .starts(to_utc(meeting.starts_at, zone))
        .ends(to_utc(meeting.ends_at, zone))
        .description(&value(&description.join("\n")))
        .url(&page);
    if let Some(place) = &meeting.place {
        event.location(&value(place));
    }
    event.done()
}

fn calendar_response(calendar: Calendar, file_name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        calendar.to_string(),
    )
        .into_response()
}

fn zone_of(scope: &Scope) -> chrono_tz::Tz {
    kopa_app::i18n::zone(&scope.workspace)
}

pub async fn meeting(scope: Scope, Path((_, id)): Path<(String, String)>) -> Result<Response, WebError> {
    let id = parse_id(id.trim_end_matches(".ics"))?;
    let record = scope.app().meeting_record(&scope.caller(), id).await?;
    let mut calendar = Calendar::new();
    calendar.push(event(&scope, &record.meeting, &record.agenda, &zone_of(&scope)));
    Ok(calendar_response(calendar.done(), &format!("meeting-{id}.ics")))
}

/// How many past meetings the feed holds: a calendar subscribed to it wants what is coming
/// and what was recent, and the group's whole history would grow it without end.
const FEED_PAST_MEETINGS: i64 = 100;

/// Every meeting to come, and the latest of those past; each meeting's own file has its agenda.
pub async fn feed(scope: Scope) -> Result<Response, WebError> {
    let around = scope
        .app()
        .meetings_around(&scope.caller(), FEED_PAST_MEETINGS, 0)
        .await?;
    let meetings: Vec<_> = around.upcoming.into_iter().chain(around.past).collect();
    let zone = zone_of(&scope);
    let mut calendar = Calendar::new();
    calendar.name(&value(&format!("Kopa · {}", scope.workspace.municipality)));
    for summary in &meetings {
        calendar.push(event(&scope, &summary.meeting, &[], &zone));
    }
    Ok(calendar_response(
        calendar.done(),
        &format!("{}.ics", scope.workspace.slug),
    ))
}
