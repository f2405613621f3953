//! Meetings with their agenda, speakers, registrations, attendance, minutes and decisions.

use chrono::{DateTime, NaiveDateTime, Utc};
use kopa_domain::Invalid;
use kopa_domain::audit::AuditAction;
use kopa_domain::meeting::{
    AgendaItem, Attendance, Decision, Meeting, NewAgendaItem, NewDecision, NewMeeting, NewRegistration, NewSpeaker,
    Registration, RegistrationStatus, Speaker, Votes, place_registration,
};
use kopa_domain::validation::Code;
use serde::Serialize;
use sqlx::FromRow;

use crate::audit::change;
use crate::db::{in_transaction, on_pool, record_change};
use crate::{Actor, Result, Store, StoreError, code, read_all, snapshot};

#[derive(FromRow)]
struct MeetingRow {
    id: i64,
    workspace_id: i64,
    kind: String,
    title: String,
    starts_at: NaiveDateTime,
    ends_at: NaiveDateTime,
    mode: String,
    link: Option<String>,
    place: Option<String>,
    capacity: Option<i64>,
    registration_open: bool,
    published: bool,
    minutes: Option<String>,
    is_example: bool,
    seats: Option<i64>,
    present: Option<i64>,
}

impl TryFrom<MeetingRow> for Meeting {
    type Error = StoreError;

    fn try_from(r: MeetingRow) -> Result<Meeting> {
        Ok(Meeting {
            id: r.id,
            workspace_id: r.workspace_id,
            kind: code("meetings", "kind", &r.id, &r.kind)?,
            title: r.title,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            mode: code("meetings", "mode", &r.id, &r.mode)?,
            link: r.link,
            place: r.place,
            capacity: r.capacity,
            registration_open: r.registration_open,
            published: r.published,
            minutes: r.minutes,
            is_example: r.is_example,
            attendance: match (r.seats, r.present) {
                (Some(seats), Some(present)) => Some(Attendance { seats, present }),
                (None, None) => None,
                _ => {
                    return Err(StoreError::UnreadableValue {
                        table: "meetings",
                        row: r.id.to_string(),
                        column: "seats and present",
                        value: format!("{:?} and {:?}", r.seats, r.present),
                    });
                }
            },
        })
    }
}

#[derive(FromRow)]
struct RegistrationRow {
    id: i64,
    meeting_id: i64,
    name: String,
    email: String,
    status: String,
    attended: bool,
    registered_at: DateTime<Utc>,
}

impl TryFrom<RegistrationRow> for Registration {
    type Error = StoreError;

    fn try_from(r: RegistrationRow) -> Result<Registration> {
        Ok(Registration {
            id: r.id,
            meeting_id: r.meeting_id,
            name: r.name,
            email: r.email,
            status: code("registrations", "status", &r.id, &r.status)?,
            attended: r.attended,
            registered_at: r.registered_at,
        })
    }
}

#[derive(FromRow)]
struct DecisionRow {
    id: i64,
    meeting_id: i64,
    text: String,
    votes_for: i64,
    votes_against: i64,
    votes_abstain: i64,
    legal_reference: Option<String>,
}

impl From<DecisionRow> for Decision {
    fn from(r: DecisionRow) -> Decision {
        let votes = Votes {
            votes_for: r.votes_for,
            against: r.votes_against,
            abstain: r.votes_abstain,
        };
        Decision {
            id: r.id,
            meeting_id: r.meeting_id,
            text: r.text,
            votes,
            outcome: votes.outcome(),
            unanimous: votes.is_unanimous(),
            legal_reference: r.legal_reference,
        }
    }
}

/// A meeting in a list, with how many have registered and how many decisions it took.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MeetingSummary {
    #[serde(flatten)]
    pub meeting: Meeting,
    pub decisions: i64,
    pub confirmed: i64,
    pub waiting: i64,
}

/// Some of a workspace's meetings: those `filter` keeps, with `$3` bound to `from`, in `order`,
/// `limit` of them after the first `offset`.
struct Window<'a> {
    filter: &'a str,
    from: Bound,
    order: &'a str,
    limit: i64,
    offset: i64,
}

enum Bound {
    Moment(NaiveDateTime),
    Id(i64),
}

/// The meetings to come and one page of those past, as a list or front page shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingsAround {
    pub upcoming: Vec<MeetingSummary>,
    pub past: Vec<MeetingSummary>,
    /// How many meetings have ended, on every page.
    pub past_total: i64,
}

#[derive(FromRow)]
struct SummaryRow {
    #[sqlx(flatten)]
    meeting: MeetingRow,
    decisions: i64,
    confirmed: i64,
    waiting: i64,
}

const MEETING_COLUMNS: &str = "id, workspace_id, kind, title, starts_at, ends_at, mode, link, place, capacity, \
                               registration_open, published, minutes, is_example, seats, present";
const AGENDA_COLUMNS: &str = "id, meeting_id, parent_id, position, title, presenter, duration_minutes";
const REGISTRATION_COLUMNS: &str = "id, meeting_id, name, email, status, attended, registered_at";
const DECISION_COLUMNS: &str = "id, meeting_id, text, votes_for, votes_against, votes_abstain, legal_reference";

#[derive(FromRow)]
struct AgendaRow {
    id: i64,
    meeting_id: i64,
    parent_id: Option<i64>,
    position: i64,
    title: String,
    presenter: Option<String>,
    duration_minutes: Option<i64>,
}

impl From<AgendaRow> for AgendaItem {
    fn from(r: AgendaRow) -> AgendaItem {
        AgendaItem {
            id: r.id,
            meeting_id: r.meeting_id,
            parent_id: r.parent_id,
            position: r.position,
            title: r.title,
            presenter: r.presenter,
            duration_minutes: r.duration_minutes,
        }
    }
}

#[derive(FromRow)]
struct SpeakerRow {
    id: i64,
    meeting_id: i64,
    name: String,
    affiliation: Option<String>,
    topic: Option<String>,
    position: i64,
}

impl From<SpeakerRow> for Speaker {
    fn from(r: SpeakerRow) -> Speaker {
        Speaker {
            id: r.id,
            meeting_id: r.meeting_id,
            name: r.name,
            affiliation: r.affiliation,
            topic: r.topic,
            position: r.position,
        }
    }
}

/// A decision with the meeting that took it, for lists across meetings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DecisionInContext {
    pub decision: Decision,
    pub meeting_title: String,
    /// Local time, without an offset.
    #[schema(value_type = String, format = "local-date-time", example = "2020-11-10T16:00:00")]
    pub meeting_starts_at: NaiveDateTime,
}

impl Store {
    /// A workspace's decisions, newest meeting first; from unpublished meetings only when asked for.
    pub async fn workspace_decisions(
        &self,
        workspace_id: i64,
        include_unpublished: bool,
        limit: i64,
    ) -> Result<Vec<DecisionInContext>> {
        #[derive(FromRow)]
        struct Row {
            #[sqlx(flatten)]
            decision: DecisionRow,
            meeting_title: String,
            meeting_starts_at: NaiveDateTime,
        }
        let rows: Vec<Row> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT d.id, d.meeting_id, d.text, d.votes_for, d.votes_against, d.votes_abstain, d.legal_reference, \
                 m.title AS meeting_title, \
                 m.starts_at AS meeting_starts_at FROM decisions d JOIN meetings m ON m.id = d.meeting_id \
                 WHERE m.workspace_id = $1 AND (m.published OR $2) ORDER BY m.starts_at DESC, d.id LIMIT $3",
            )
            .bind(workspace_id)
            .bind(include_unpublished)
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|r| DecisionInContext {
                decision: r.decision.into(),
                meeting_title: r.meeting_title,
                meeting_starts_at: r.meeting_starts_at,
            })
            .collect())
    }

    /// A workspace's meetings, newest first; unpublished ones only when asked for.
    pub async fn meetings(&self, workspace_id: i64, include_unpublished: bool) -> Result<Vec<MeetingSummary>> {
        self.meeting_summaries(workspace_id, include_unpublished, None).await
    }

    /// The meetings still to come or under way at `now`, soonest first, and one page of those
    /// that have ended, latest first, with how many have ended: what a list or front page shows.
    pub async fn meetings_around(
        &self,
        workspace_id: i64,
        include_unpublished: bool,
        now: NaiveDateTime,
        past_limit: i64,
        past_offset: i64,
    ) -> Result<MeetingsAround> {
        let upcoming = self.meetings_since(workspace_id, include_unpublished, now).await?;
        // Ended means started too (a meeting ends after it starts); saying so lets the database
        // walk the meetings by their start, newest first, and stop at the page's end.
        let past = Window {
            filter: " AND m.starts_at < $3 AND m.ends_at < $3",
            from: Bound::Moment(now),
            order: "m.starts_at DESC, m.id DESC",
            limit: past_limit,
            offset: past_offset,
        };
        let past = self
            .meeting_summaries(workspace_id, include_unpublished, Some(past))
            .await?;
        let past_total: i64 = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM meetings m WHERE m.workspace_id = $1 AND (m.published OR $2) AND m.ends_at < $3",
        )
        .bind(workspace_id)
        .bind(include_unpublished)
        .bind(now)
        .fetch_one(pool)
        .await?);
        Ok(MeetingsAround {
            upcoming,
            past,
            past_total,
        })
    }

    /// The meetings that end at `since` or later, soonest first.
    async fn meetings_since(
        &self,
        workspace_id: i64,
        include_unpublished: bool,
        since: NaiveDateTime,
    ) -> Result<Vec<MeetingSummary>> {
        let window = Window {
            filter: " AND m.ends_at >= $3",
            from: Bound::Moment(since),
            order: "m.starts_at, m.id",
            limit: i64::MAX,
            offset: 0,
        };
        self.meeting_summaries(workspace_id, include_unpublished, Some(window))
            .await
    }

    /// At most `limit` meetings, the last added first, of those added before meeting `before`
    /// (all when `None`): a cursor that holds while meetings are added.
    pub async fn meetings_before(
        &self,
        workspace_id: i64,
        include_unpublished: bool,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<MeetingSummary>> {
        let window = Window {
            filter: " AND m.id < $3",
            from: Bound::Id(before.unwrap_or(i64::MAX)),
            order: "m.id DESC",
            limit,
            offset: 0,
        };
        self.meeting_summaries(workspace_id, include_unpublished, Some(window))
            .await
    }

    /// Meetings with their counts: every one, newest first, or those of a window.
    async fn meeting_summaries(
        &self,
        workspace_id: i64,
        include_unpublished: bool,
        window: Option<Window<'_>>,
    ) -> Result<Vec<MeetingSummary>> {
        let (filter, order, paging) = match &window {
            Some(w) => (w.filter, w.order, " LIMIT $4 OFFSET $5"),
            None => ("", "m.starts_at DESC, m.id DESC", ""),
        };
        let sql = format!(
            "SELECT {columns}, \
             (SELECT COUNT(*) FROM decisions d WHERE d.meeting_id = m.id) AS decisions, \
             (SELECT COUNT(*) FROM registrations r WHERE r.meeting_id = m.id AND r.status = 'confirmed') AS confirmed, \
             (SELECT COUNT(*) FROM registrations r WHERE r.meeting_id = m.id AND r.status = 'waiting') AS waiting \
             FROM meetings m WHERE m.workspace_id = $1 AND (m.published OR $2){filter} ORDER BY {order}{paging}",
            columns = MEETING_COLUMNS
                .split(", ")
                .map(|c| format!("m.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let rows: Vec<SummaryRow> = on_pool!(self, pool => {
            let query = sqlx::query_as(&sql).bind(workspace_id).bind(include_unpublished);
            let query = match window {
                Some(Window { from: Bound::Moment(at), limit, offset, .. }) => query.bind(at).bind(limit).bind(offset),
                Some(Window { from: Bound::Id(id), limit, offset, .. }) => query.bind(id).bind(limit).bind(offset),
                None => query,
            };
            query.fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(MeetingSummary {
                    meeting: r.meeting.try_into()?,
                    decisions: r.decisions,
                    confirmed: r.confirmed,
                    waiting: r.waiting,
                })
            })
            .collect()
    }

    pub async fn meeting(&self, workspace_id: i64, id: i64) -> Result<Option<Meeting>> {
        let sql = format!("SELECT {MEETING_COLUMNS} FROM meetings WHERE workspace_id = $1 AND id = $2");
        let row: Option<MeetingRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(workspace_id).bind(id).fetch_optional(pool).await?);
        row.map(Meeting::try_from).transpose()
    }

    async fn existing_meeting(&self, workspace_id: i64, id: i64) -> Result<Meeting> {
        self.meeting(workspace_id, id)
            .await?
            .ok_or_else(|| StoreError::not_found("meeting", id))
    }

    pub async fn create_meeting(&self, actor: &Actor, workspace_id: i64, new: &NewMeeting) -> Result<Meeting> {
        let meeting = in_transaction!(self, tx => {
            let row: MeetingRow = sqlx::query_as(&format!(
                "INSERT INTO meetings (workspace_id, kind, title, starts_at, ends_at, mode, link, place, capacity, \
                 registration_open, published, is_example, seats, present) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
                 RETURNING {MEETING_COLUMNS}"
            ))
            .bind(workspace_id)
            .bind(new.kind.code())
            .bind(&new.title)
            .bind(new.starts_at)
            .bind(new.ends_at)
            .bind(new.mode.code())
            .bind(&new.link)
            .bind(&new.place)
            .bind(new.capacity)
            .bind(new.registration_open)
            .bind(new.published)
            .bind(new.is_example)
            .bind(new.attendance.map(|a| a.seats))
            .bind(new.attendance.map(|a| a.present))
            .fetch_one(&mut *tx)
            .await?;
            let meeting = Meeting::try_from(row)?;
            record_change!(self, tx, change(actor, Some(workspace_id), "meeting", meeting.id, AuditAction::Create, None, snapshot(&meeting)));
            meeting
        });
        Ok(meeting)
    }

    pub async fn update_meeting(&self, actor: &Actor, workspace_id: i64, id: i64, new: &NewMeeting) -> Result<Meeting> {
        let before = self.existing_meeting(workspace_id, id).await?;
        let meeting = in_transaction!(self, tx => {
            let row: MeetingRow = sqlx::query_as(&format!(
                "UPDATE meetings SET kind = $1, title = $2, starts_at = $3, ends_at = $4, mode = $5, link = $6, place = $7, \
                 capacity = $8, registration_open = $9, published = $10, seats = $11, present = $12 \
                 WHERE id = $13 RETURNING {MEETING_COLUMNS}"
            ))
            .bind(new.kind.code())
            .bind(&new.title)
            .bind(new.starts_at)
            .bind(new.ends_at)
            .bind(new.mode.code())
            .bind(&new.link)
            .bind(&new.place)
            .bind(new.capacity)
            .bind(new.registration_open)
            .bind(new.published)
            .bind(new.attendance.map(|a| a.seats))
            .bind(new.attendance.map(|a| a.present))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            let meeting = Meeting::try_from(row)?;
            record_change!(self, tx, change(actor, Some(workspace_id), "meeting", id, AuditAction::Update, snapshot(&before), snapshot(&meeting)));
            meeting
        });
        Ok(meeting)
    }

    pub async fn record_minutes(&self, actor: &Actor, workspace_id: i64, id: i64, minutes: &str) -> Result<Meeting> {
        let before = self.existing_meeting(workspace_id, id).await?;
        let mut invalid = Invalid::new();
        let minutes = invalid.optional_text("minutes", minutes, 50_000);
        invalid.into_result()?;
        let meeting = in_transaction!(self, tx => {
            sqlx::query("UPDATE meetings SET minutes = $1 WHERE id = $2").bind(&minutes).bind(id).execute(&mut *tx).await?;
            let meeting = Meeting { minutes: minutes.clone(), ..before.clone() };
            record_change!(self, tx, change(actor, Some(workspace_id), "meeting", id, AuditAction::Update, snapshot(&before), snapshot(&meeting)));
            meeting
        });
        Ok(meeting)
    }

    pub async fn agenda(&self, meeting_id: i64) -> Result<Vec<AgendaItem>> {
        let sql = format!("SELECT {AGENDA_COLUMNS} FROM agenda_items WHERE meeting_id = $1 ORDER BY position, id");
        let rows: Vec<AgendaRow> = on_pool!(self, pool => sqlx::query_as(&sql).bind(meeting_id).fetch_all(pool).await?);
        Ok(rows.into_iter().map(AgendaItem::from).collect())
    }

    /// Appends an item at the end of its level of the agenda.
    pub async fn add_agenda_item(
        &self,
        actor: &Actor,
        workspace_id: i64,
        meeting_id: i64,
        new: &NewAgendaItem,
    ) -> Result<AgendaItem> {
        self.existing_meeting(workspace_id, meeting_id).await?;
        let siblings = self.agenda(meeting_id).await?;
        if let Some(parent) = new.parent_id
            && !siblings.iter().any(|item| item.id == parent)
        {
            return Err(Invalid::single("parent_id", "error-unknown").into());
        }
        let position = siblings
            .iter()
            .filter(|i| i.parent_id == new.parent_id)
            .map(|i| i.position)
            .max()
            .unwrap_or(0)
            + 1;
        let item = in_transaction!(self, tx => {
            let row: AgendaRow = sqlx::query_as(&format!(
                "INSERT INTO agenda_items (meeting_id, parent_id, position, title, presenter, duration_minutes) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING {AGENDA_COLUMNS}"
            ))
            .bind(meeting_id)
            .bind(new.parent_id)
            .bind(position)
            .bind(&new.title)
            .bind(&new.presenter)
            .bind(new.duration_minutes)
            .fetch_one(&mut *tx)
            .await?;
            let item = AgendaItem::from(row);
            record_change!(self, tx, change(actor, Some(workspace_id), "agenda_item", item.id, AuditAction::Create, None, snapshot(&item)));
            item
        });
        Ok(item)
    }

    /// Removes an item and, with it, the items under it.
    pub async fn remove_agenda_item(
        &self,
        actor: &Actor,
        workspace_id: i64,
        meeting_id: i64,
        item_id: i64,
    ) -> Result<()> {
        self.existing_meeting(workspace_id, meeting_id).await?;
        let item = self
            .agenda(meeting_id)
            .await?
            .into_iter()
            .find(|i| i.id == item_id)
            .ok_or_else(|| StoreError::not_found("agenda item", item_id))?;
        in_transaction!(self, tx => {
            sqlx::query("DELETE FROM agenda_items WHERE id = $1").bind(item_id).execute(&mut *tx).await?;
            record_change!(self, tx, change(actor, Some(workspace_id), "agenda_item", item_id, AuditAction::Delete, snapshot(&item), None));
        });
        Ok(())
    }

    pub async fn speakers(&self, meeting_id: i64) -> Result<Vec<Speaker>> {
        let rows: Vec<SpeakerRow> = on_pool!(self, pool => {
            sqlx::query_as("SELECT id, meeting_id, name, affiliation, topic, position FROM speakers WHERE meeting_id = $1 ORDER BY position, id")
                .bind(meeting_id)
                .fetch_all(pool)
                .await?
        });
        Ok(rows.into_iter().map(Speaker::from).collect())
    }

    pub async fn add_speaker(
        &self,
        actor: &Actor,
        workspace_id: i64,
        meeting_id: i64,
        new: &NewSpeaker,
    ) -> Result<Speaker> {
        self.existing_meeting(workspace_id, meeting_id).await?;
        let position = self.speakers(meeting_id).await?.len() as i64 + 1;
        let speaker = in_transaction!(self, tx => {
            let row: SpeakerRow = sqlx::query_as(
                "INSERT INTO speakers (meeting_id, name, affiliation, topic, position) VALUES ($1, $2, $3, $4, $5) \
                 RETURNING id, meeting_id, name, affiliation, topic, position",
            )
            .bind(meeting_id)
            .bind(&new.name)
            .bind(&new.affiliation)
            .bind(&new.topic)
            .bind(position)
            .fetch_one(&mut *tx)
            .await?;
            let speaker = Speaker::from(row);
            record_change!(self, tx, change(actor, Some(workspace_id), "speaker", speaker.id, AuditAction::Create, None, snapshot(&speaker)));
            speaker
        });
        Ok(speaker)
    }

    pub async fn registrations(&self, meeting_id: i64) -> Result<Vec<Registration>> {
        let sql = format!(
            "SELECT {REGISTRATION_COLUMNS} FROM registrations WHERE meeting_id = $1 ORDER BY registered_at, id"
        );
        let rows: Vec<RegistrationRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(meeting_id).fetch_all(pool).await?);
        read_all(rows)
    }

    /// Registers someone: a seat while there is one, else the waiting list. The same e-mail
    /// cannot register twice for one meeting.
    pub async fn register(
        &self,
        actor: &Actor,
        workspace_id: i64,
        meeting_id: i64,
        new: &NewRegistration,
    ) -> Result<Registration> {
        let meeting = self.existing_meeting(workspace_id, meeting_id).await?;
        if !meeting.registration_open {
            return Err(StoreError::Refused("error-registration-closed"));
        }
        let now = self.now();
        let registration = in_transaction!(self, tx => {
            let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM registrations WHERE meeting_id = $1 AND email = $2")
                .bind(meeting_id).bind(&new.email).fetch_one(&mut *tx).await?;
            if taken > 0 {
                return Err(Invalid::single("email", "error-already-registered").into());
            }
            let confirmed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM registrations WHERE meeting_id = $1 AND status = 'confirmed'")
                .bind(meeting_id).fetch_one(&mut *tx).await?;
            let status = place_registration(meeting.capacity, confirmed);
            let row: RegistrationRow = sqlx::query_as(&format!(
                "INSERT INTO registrations (meeting_id, name, email, status, attended, registered_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING {REGISTRATION_COLUMNS}"
            ))
            .bind(meeting_id)
            .bind(&new.name)
            .bind(&new.email)
            .bind(status.code())
            .bind(false)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let registration = Registration::try_from(row)?;
            record_change!(self, tx, change(actor, Some(workspace_id), "registration", registration.id, AuditAction::Create, None, snapshot(&registration)));
            registration
        });
        Ok(registration)
    }

    /// Cancels a registration; the first on the waiting list takes a freed seat.
    pub async fn cancel_registration(
        &self,
        actor: &Actor,
        workspace_id: i64,
        meeting_id: i64,
        registration_id: i64,
    ) -> Result<()> {
        self.existing_meeting(workspace_id, meeting_id).await?;
        let registrations = self.registrations(meeting_id).await?;
        let cancelled = registrations
            .iter()
            .find(|r| r.id == registration_id)
            .ok_or_else(|| StoreError::not_found("registration", registration_id))?;
        let promoted = (cancelled.status == RegistrationStatus::Confirmed)
            .then(|| registrations.iter().find(|r| r.status == RegistrationStatus::Waiting))
            .flatten();
        in_transaction!(self, tx => {
            sqlx::query("DELETE FROM registrations WHERE id = $1").bind(registration_id).execute(&mut *tx).await?;
            record_change!(self, tx, change(actor, Some(workspace_id), "registration", registration_id, AuditAction::Delete, snapshot(cancelled), None));
            if let Some(next) = promoted {
                sqlx::query("UPDATE registrations SET status = 'confirmed' WHERE id = $1").bind(next.id).execute(&mut *tx).await?;
                let after = Registration { status: RegistrationStatus::Confirmed, ..next.clone() };
                record_change!(self, tx, change(actor, Some(workspace_id), "registration", next.id, AuditAction::Update, snapshot(next), snapshot(&after)));
            }
        });
        Ok(())
    }

    pub async fn set_attendance(
        &self,
        actor: &Actor,
        workspace_id: i64,
        meeting_id: i64,
        registration_id: i64,
        attended: bool,
    ) -> Result<()> {
        self.existing_meeting(workspace_id, meeting_id).await?;
        let before = self
            .registrations(meeting_id)
            .await?
            .into_iter()
            .find(|r| r.id == registration_id)
            .ok_or_else(|| StoreError::not_found("registration", registration_id))?;
        in_transaction!(self, tx => {
            sqlx::query("UPDATE registrations SET attended = $1 WHERE id = $2").bind(attended).bind(registration_id).execute(&mut *tx).await?;
            let after = Registration { attended, ..before.clone() };
            record_change!(self, tx, change(actor, Some(workspace_id), "registration", registration_id, AuditAction::Update, snapshot(&before), snapshot(&after)));
        });
        Ok(())
    }

    /// One recorded decision of a meeting in the workspace.
    pub async fn decision_in_workspace(&self, workspace_id: i64, id: i64) -> Result<Option<Decision>> {
        let sql = format!(
            "SELECT {DECISION_COLUMNS} FROM decisions WHERE id = $1 \
             AND meeting_id IN (SELECT id FROM meetings WHERE workspace_id = $2)"
        );
        let row: Option<DecisionRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(id).bind(workspace_id).fetch_optional(pool).await?);
        Ok(row.map(Decision::from))
    }

    pub async fn decisions(&self, meeting_id: i64) -> Result<Vec<Decision>> {
        let sql = format!("SELECT {DECISION_COLUMNS} FROM decisions WHERE meeting_id = $1 ORDER BY id");
        let rows: Vec<DecisionRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(meeting_id).fetch_all(pool).await?);
        Ok(rows.into_iter().map(Decision::from).collect())
    }

    pub async fn record_decision(
        &self,
        actor: &Actor,
        workspace_id: i64,
        meeting_id: i64,
        new: &NewDecision,
    ) -> Result<Decision> {
        self.existing_meeting(workspace_id, meeting_id).await?;
        let decision = in_transaction!(self, tx => {
            let row: DecisionRow = sqlx::query_as(&format!(
                "INSERT INTO decisions (meeting_id, text, votes_for, votes_against, votes_abstain, legal_reference) \
                 VALUES ($1, $2, $3, $4, $5, $6) \
                 RETURNING {DECISION_COLUMNS}"
            ))
            .bind(meeting_id)
            .bind(&new.text)
            .bind(new.votes.votes_for)
            .bind(new.votes.against)
            .bind(new.votes.abstain)
            .bind(&new.legal_reference)
            .fetch_one(&mut *tx)
            .await?;
            let decision = Decision::from(row);
            record_change!(self, tx, change(actor, Some(workspace_id), "decision", decision.id, AuditAction::Create, None, snapshot(&decision)));
            decision
        });
        Ok(decision)
    }
}
