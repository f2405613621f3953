//! Meetings of the group, council sittings, transnational meetings and public discussions:
//! their agenda, speakers, registrations with a waiting list, the attendance of a deciding
//! body with its quorum, and decisions with recorded votes checked against those present.

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::code_enum;
use crate::validation::{Code, Invalid};

code_enum! {
    MeetingKind {
        Group => "group",
        CouncilSitting => "council_sitting",
        Transnational => "transnational",
        PublicDiscussion => "public_discussion",
    }
}

code_enum! {
    MeetingMode {
        Online => "online",
        InPerson => "in_person",
        Hybrid => "hybrid",
    }
}

impl MeetingKind {
    /// Whether this is a body that decides by vote and needs a quorum to do so.
    pub fn decides(self) -> bool {
        matches!(self, MeetingKind::Group | MeetingKind::CouncilSitting)
    }

    /// Whether its decisions may be taken only with the attendance recorded and must cite
    /// their legal basis, as a council's decisions do.
    pub fn is_sitting(self) -> bool {
        self == MeetingKind::CouncilSitting
    }
}

/// Who of a deciding body was there: its seats and the members present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Attendance {
    pub seats: i64,
    pub present: i64,
}

impl Attendance {
    /// More than half of the seats, as the Local Government Law asks of a council and the
    /// group's rules ask of the group.
    pub fn quorum(self) -> i64 {
        self.seats / 2 + 1
    }

    pub fn is_quorate(self) -> bool {
        self.present >= self.quorum()
    }
}

/// A meeting. Times are local to the workspace's time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Meeting {
    pub id: i64,
    pub workspace_id: i64,
    pub kind: MeetingKind,
    pub title: String,
    /// Local time, without an offset.
    #[schema(value_type = String, format = "local-date-time", example = "2020-12-02T10:00:00")]
    pub starts_at: NaiveDateTime,
    #[schema(value_type = String, format = "local-date-time", example = "2020-12-02T12:00:00")]
    pub ends_at: NaiveDateTime,
    pub mode: MeetingMode,
    pub link: Option<String>,
    pub place: Option<String>,
    /// `None`: no limit.
    pub capacity: Option<i64>,
    pub registration_open: bool,
    /// Published meetings are visible to anyone.
    pub published: bool,
    pub minutes: Option<String>,
    pub is_example: bool,
    /// Of a deciding body; `None` until recorded.
    pub attendance: Option<Attendance>,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct MeetingInput {
    pub kind: String,
    pub title: String,
    /// `YYYY-MM-DDTHH:MM`, local time.
    pub starts_at: String,
    pub ends_at: String,
    pub mode: String,
    #[serde(default)]
    pub link: String,
    #[serde(default)]
    pub place: String,
    /// Empty for no limit.
    #[serde(default, deserialize_with = "crate::validation::lenient::text")]
    pub capacity: String,
    /// A checkbox: present means yes.
    #[serde(default, deserialize_with = "crate::validation::lenient::flag")]
    pub registration_open: Option<String>,
    #[serde(default, deserialize_with = "crate::validation::lenient::flag")]
    pub published: Option<String>,
    /// The deciding body's seats; empty until the attendance is recorded.
    #[serde(default, deserialize_with = "crate::validation::lenient::text")]
    pub seats: String,
    /// Members present.
    #[serde(default, deserialize_with = "crate::validation::lenient::text")]
    pub present: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMeeting {
    pub kind: MeetingKind,
    pub title: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub mode: MeetingMode,
    pub link: Option<String>,
    pub place: Option<String>,
    pub capacity: Option<i64>,
    pub registration_open: bool,
    pub published: bool,
    pub is_example: bool,
    pub attendance: Option<Attendance>,
}

fn checkbox(value: &Option<String>) -> bool {
    matches!(value.as_deref(), Some("on" | "true" | "1" | "yes"))
}

fn parse_local_time(invalid: &mut Invalid, field: &str, value: &str) -> Option<NaiveDateTime> {
    let value = value.trim();
    if value.is_empty() {
        invalid.add(field, "error-required");
        return None;
    }
    let parsed = NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| NaiveDateTime::parse_from_str(value, "%Y-%m-%d %H:%M"));
    match parsed {
        Ok(time) if !crate::validation::PLAUSIBLE_YEARS.contains(&chrono::Datelike::year(&time)) => {
            invalid.add(field, "error-date-range");
            None
        }
        Ok(time) => Some(time),
        Err(_) => {
            invalid.add(field, "error-datetime");
            None
        }
    }
}

impl MeetingInput {
    pub fn validate(&self) -> Result<NewMeeting, Invalid> {
        let mut invalid = Invalid::new();
        let kind = invalid.choice("kind", &self.kind, MeetingKind::from_code);
        let title = invalid.required_text("title", &self.title, 300);
        let starts_at = parse_local_time(&mut invalid, "starts_at", &self.starts_at);
        let ends_at = parse_local_time(&mut invalid, "ends_at", &self.ends_at);
        if let (Some(starts), Some(ends)) = (starts_at, ends_at)
            && ends <= starts
        {
            invalid.add("ends_at", "error-ends-before-start");
        }
        let mode = invalid.choice("mode", &self.mode, MeetingMode::from_code);
        let link = invalid.optional_text("link", &self.link, 500);
        let place = invalid.optional_text("place", &self.place, 300);
        if let Some(link) = &link
            && !link.starts_with("https://")
            && !link.starts_with("http://")
        {
            invalid.add("link", "error-url");
        }
        if matches!(mode, Some(MeetingMode::Online | MeetingMode::Hybrid)) && link.is_none() {
            invalid.add("link", "error-link-needed");
        }
        if matches!(mode, Some(MeetingMode::InPerson | MeetingMode::Hybrid)) && place.is_none() {
            invalid.add("place", "error-place-needed");
        }
        let capacity = match self.capacity.trim() {
            "" => None,
            value => Some(invalid.number_in("capacity", value, 1..=100_000)),
        };
        let attendance = match (self.seats.trim(), self.present.trim()) {
            ("", "") => None,
            ("", _) => {
                invalid.add("seats", "error-seats-needed");
                None
            }
            (seats, present) => {
                let seats = invalid.number_in("seats", seats, 1..=10_000);
                let present = match present {
                    "" => {
                        invalid.add("present", "error-required");
                        0
                    }
                    present => invalid.number_in("present", present, 0..=10_000),
                };
                if invalid.errors.is_empty() && present > seats {
                    invalid.add("present", "error-present-over-seats");
                }
                Some(Attendance { seats, present })
            }
        };
        if attendance.is_some() && !kind.is_some_and(MeetingKind::decides) {
            invalid.add("seats", "error-attendance-not-a-body");
        }
        invalid.into_result()?;
        match (kind, starts_at, ends_at, mode) {
            (Some(kind), Some(starts_at), Some(ends_at), Some(mode)) => Ok(NewMeeting {
                kind,
                title,
                starts_at,
                ends_at,
                mode,
                link,
                place,
                capacity,
                registration_open: checkbox(&self.registration_open),
                published: checkbox(&self.published),
                is_example: false,
                attendance,
            }),
            _ => Err(Invalid::single("kind", "error-required")),
        }
    }
}

/// One item of an ordered, nested agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AgendaItem {
    pub id: i64,
    pub meeting_id: i64,
    pub parent_id: Option<i64>,
    pub position: i64,
    pub title: String,
    pub presenter: Option<String>,
    pub duration_minutes: Option<i64>,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct AgendaItemInput {
    pub title: String,
    /// Empty for a top-level item.
    #[serde(default, deserialize_with = "crate::validation::lenient::text")]
    pub parent_id: String,
    #[serde(default)]
    pub presenter: String,
    #[serde(default, deserialize_with = "crate::validation::lenient::text")]
    pub duration_minutes: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAgendaItem {
    pub title: String,
    pub parent_id: Option<i64>,
    pub presenter: Option<String>,
    pub duration_minutes: Option<i64>,
}

impl AgendaItemInput {
    pub fn validate(&self) -> Result<NewAgendaItem, Invalid> {
        let mut invalid = Invalid::new();
        let title = invalid.required_text("title", &self.title, 300);
        let parent_id = match self.parent_id.trim() {
            "" => None,
            id => match id.parse() {
                Ok(id) => Some(id),
                Err(_) => {
                    invalid.add("parent_id", "error-choice");
                    None
                }
            },
        };
        let presenter = invalid.optional_text("presenter", &self.presenter, 200);
        let duration_minutes = match self.duration_minutes.trim() {
            "" => None,
            value => Some(invalid.number_in("duration_minutes", value, 1..=600)),
        };
        invalid.into_result()?;
        Ok(NewAgendaItem {
            title,
            parent_id,
            presenter,
            duration_minutes,
        })
    }
}

/// An agenda item in reading order with its depth and number ("2.1").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NumberedItem {
    pub depth: usize,
    pub number: String,
    pub item: AgendaItem,
}

/// Orders a flat list of items into a numbered outline. Items whose parent is missing are
/// treated as top-level, so a deleted parent never hides its children.
pub fn outline(items: &[AgendaItem]) -> Vec<NumberedItem> {
    fn walk(items: &[AgendaItem], parent: Option<i64>, prefix: &str, depth: usize, out: &mut Vec<NumberedItem>) {
        let mut children: Vec<&AgendaItem> = items
            .iter()
            .filter(|item| {
                let effective_parent = item.parent_id.filter(|p| items.iter().any(|other| other.id == *p));
                effective_parent == parent
            })
            .collect();
        children.sort_by_key(|item| (item.position, item.id));
        for (index, item) in children.into_iter().enumerate() {
            let number = if prefix.is_empty() {
                format!("{}", index + 1)
            } else {
                format!("{prefix}.{}", index + 1)
            };
            out.push(NumberedItem {
                depth,
                number: number.clone(),
                item: item.clone(),
            });
            if depth < 8 {
                walk(items, Some(item.id), &number, depth + 1, out);
            }
        }
    }
    let mut out = Vec::with_capacity(items.len());
    walk(items, None, "", 0, &mut out);
    out
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Speaker {
    pub id: i64,
    pub meeting_id: i64,
    pub name: String,
    pub affiliation: Option<String>,
    pub topic: Option<String>,
    pub position: i64,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct SpeakerInput {
    pub name: String,
    #[serde(default)]
    pub affiliation: String,
    #[serde(default)]
    pub topic: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSpeaker {
    pub name: String,
    pub affiliation: Option<String>,
    pub topic: Option<String>,
}

impl SpeakerInput {
    pub fn validate(&self) -> Result<NewSpeaker, Invalid> {
        let mut invalid = Invalid::new();
        let name = invalid.required_text("name", &self.name, 200);
        let affiliation = invalid.optional_text("affiliation", &self.affiliation, 300);
        let topic = invalid.optional_text("topic", &self.topic, 300);
        invalid.into_result()?;
        Ok(NewSpeaker {
            name,
            affiliation,
            topic,
        })
    }
}

code_enum! {
    RegistrationStatus {
        Confirmed => "confirmed",
        Waiting => "waiting",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Registration {
    pub id: i64,
    pub meeting_id: i64,
    pub name: String,
    pub email: String,
    pub status: RegistrationStatus,
    pub attended: bool,
    pub registered_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct RegistrationInput {
    pub name: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRegistration {
    pub name: String,
    pub email: String,
}

impl RegistrationInput {
    pub fn validate(&self) -> Result<NewRegistration, Invalid> {
        let mut invalid = Invalid::new();
        let name = invalid.required_text("name", &self.name, 200);
        let email = invalid.email("email", &self.email);
        invalid.into_result()?;
        Ok(NewRegistration { name, email })
    }
}

/// Where a new registration goes: a seat while there is one, else the waiting list.
pub fn place_registration(capacity: Option<i64>, confirmed: i64) -> RegistrationStatus {
    match capacity {
        Some(capacity) if confirmed >= capacity => RegistrationStatus::Waiting,
        _ => RegistrationStatus::Confirmed,
    }
}

/// Recorded votes on a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Votes {
    pub votes_for: i64,
    pub against: i64,
    pub abstain: i64,
}

code_enum! {
    Outcome {
        Adopted => "adopted",
        Rejected => "rejected",
    }
}

impl Votes {
    /// Adopted when more votes are for than against; abstentions do not count either way.
    pub fn outcome(self) -> Outcome {
        if self.votes_for > self.against {
            Outcome::Adopted
        } else {
            Outcome::Rejected
        }
    }

    /// Everyone who voted, voted for.
    pub fn is_unanimous(self) -> bool {
        self.votes_for > 0 && self.against == 0 && self.abstain == 0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Decision {
    pub id: i64,
    pub meeting_id: i64,
    pub text: String,
    pub votes: Votes,
    pub outcome: Outcome,
    pub unanimous: bool,
    /// The law and article it was taken under, as a council's decisions cite.
    pub legal_reference: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct DecisionInput {
    pub text: String,
    #[serde(default, deserialize_with = "crate::validation::lenient::text")]
    pub votes_for: String,
    #[serde(default, deserialize_with = "crate::validation::lenient::text")]
    pub votes_against: String,
    #[serde(default, deserialize_with = "crate::validation::lenient::text")]
    pub votes_abstain: String,
    /// Such as "Pašvaldību likuma 10. panta pirmās daļas 16. punkts".
    #[serde(default)]
    pub legal_reference: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDecision {
    pub text: String,
    pub votes: Votes,
    pub legal_reference: Option<String>,
}

impl DecisionInput {
    /// The decision as the meeting may take it: a body decides only with a quorum, no more
    /// votes are cast than members present, and a sitting names its legal basis.
    pub fn validate(&self, meeting: &Meeting) -> Result<NewDecision, Invalid> {
        let mut invalid = Invalid::new();
        let text = invalid.required_text("text", &self.text, 4000);
        let legal_reference = invalid.optional_text("legal_reference", &self.legal_reference, 500);
        if meeting.kind.is_sitting() && legal_reference.is_none() {
            invalid.add("legal_reference", "error-legal-reference-needed");
        }
        let votes_for = invalid.number_in("votes_for", &self.votes_for, 0..=100_000);
        let against = invalid.number_in("votes_against", &self.votes_against, 0..=100_000);
        let abstain = invalid.number_in("votes_abstain", &self.votes_abstain, 0..=100_000);
        if invalid.errors.is_empty() && votes_for + against + abstain == 0 {
            invalid.add("votes_for", "error-no-votes");
        }
        match meeting.attendance {
            None if meeting.kind.is_sitting() => invalid.add("votes_for", "error-attendance-needed"),
            Some(attendance) if meeting.kind.decides() && !attendance.is_quorate() => {
                invalid.add("votes_for", "error-no-quorum")
            }
            Some(attendance) if invalid.errors.is_empty() && votes_for + against + abstain > attendance.present => {
                invalid.add("votes_for", "error-votes-over-present")
            }
            _ => {}
        }
        invalid.into_result()?;
        Ok(NewDecision {
            text,
            votes: Votes {
                votes_for,
                against,
                abstain,
            },
            legal_reference,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meeting_input() -> MeetingInput {
        MeetingInput {
            kind: "group".into(),
            title: "Vadības grupas sanāksme".into(),
            starts_at: "2020-11-10T14:00".into(),
            ends_at: "2020-11-10T16:00".into(),
            mode: "online".into(),
            link: "https://meet.example/kekava".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_meeting_is_accepted() {
        let meeting = meeting_input().validate().unwrap();
        assert_eq!(meeting.mode, MeetingMode::Online);
        assert!(!meeting.published);
    }

    #[test]
    fn an_end_before_the_start_is_refused_at_the_end_field() {
        let input = MeetingInput {
            ends_at: "2020-11-10T13:00".into(),
            ..meeting_input()
        };
        assert_eq!(
            input.validate().unwrap_err().message_for("ends_at"),
            Some("error-ends-before-start")
        );
    }

    #[test]
    fn the_mode_decides_whether_a_link_or_a_place_is_needed() {
        let online_without_link = MeetingInput {
            link: String::new(),
            ..meeting_input()
        };
        assert_eq!(
            online_without_link.validate().unwrap_err().message_for("link"),
            Some("error-link-needed")
        );
        let hybrid = MeetingInput {
            mode: "hybrid".into(),
            ..meeting_input()
        };
        assert_eq!(
            hybrid.validate().unwrap_err().message_for("place"),
            Some("error-place-needed")
        );
        let in_person = MeetingInput {
            mode: "in_person".into(),
            link: String::new(),
            place: "Ķekava".into(),
            ..meeting_input()
        };
        assert!(in_person.validate().is_ok());
    }

    #[test]
    fn the_outcome_is_computed_from_the_votes() {
        let votes = |votes_for, against, abstain| Votes {
            votes_for,
            against,
            abstain,
        };
        assert_eq!(votes(12, 0, 0).outcome(), Outcome::Adopted);
        assert!(votes(12, 0, 0).is_unanimous());
        assert!(!votes(12, 0, 1).is_unanimous());
        assert_eq!(votes(5, 5, 0).outcome(), Outcome::Rejected);
        assert_eq!(votes(3, 2, 9).outcome(), Outcome::Adopted);
        assert!(!votes(0, 0, 4).is_unanimous());
        assert_eq!(votes(0, 0, 4).outcome(), Outcome::Rejected);
    }

    /// A meeting of `kind`, with `attendance` as seats and members present.
    fn held(kind: MeetingKind, attendance: Option<(i64, i64)>) -> Meeting {
        let new = meeting_input().validate().unwrap();
        Meeting {
            id: 1,
            workspace_id: 1,
            kind,
            title: new.title,
            starts_at: new.starts_at,
            ends_at: new.ends_at,
            mode: new.mode,
            link: new.link,
            place: new.place,
            capacity: None,
            registration_open: false,
            published: true,
            minutes: None,
            is_example: false,
            attendance: attendance.map(|(seats, present)| Attendance { seats, present }),
        }
    }

    fn decision(votes_for: &str, legal_reference: &str) -> DecisionInput {
        DecisionInput {
            text: "x".into(),
            votes_for: votes_for.into(),
            votes_against: "0".into(),
            votes_abstain: "0".into(),
            legal_reference: legal_reference.into(),
        }
    }

    #[test]
    fn a_decision_without_votes_is_refused() {
        let group = held(MeetingKind::Group, None);
        assert_eq!(
            decision("0", "").validate(&group).unwrap_err().message_for("votes_for"),
            Some("error-no-votes")
        );
        assert_eq!(
            decision("-1", "")
                .validate(&group)
                .unwrap_err()
                .message_for("votes_for"),
            Some("error-out-of-range")
        );
    }

    #[test]
    fn a_body_decides_only_with_a_quorum_and_never_with_more_votes_than_present() {
        // Fifteen seats: eight is more than half, seven is not.
        assert_eq!(Attendance { seats: 15, present: 8 }.quorum(), 8);
        assert!(Attendance { seats: 15, present: 8 }.is_quorate());
        assert!(!Attendance { seats: 15, present: 7 }.is_quorate());
        assert_eq!(Attendance { seats: 12, present: 7 }.quorum(), 7);

        let short = held(MeetingKind::Group, Some((15, 7)));
        assert_eq!(
            decision("7", "").validate(&short).unwrap_err().message_for("votes_for"),
            Some("error-no-quorum")
        );
        let quorate = held(MeetingKind::Group, Some((15, 9)));
        assert!(decision("9", "").validate(&quorate).is_ok());
        assert_eq!(
            decision("10", "")
                .validate(&quorate)
                .unwrap_err()
                .message_for("votes_for"),
            Some("error-votes-over-present"),
            "nine present cannot cast ten votes"
        );
    }

    #[test]
    fn a_council_sitting_needs_its_attendance_and_cites_the_law() {
        let unrecorded = held(MeetingKind::CouncilSitting, None);
        let refused = decision("13", "").validate(&unrecorded).unwrap_err();
        assert_eq!(refused.message_for("votes_for"), Some("error-attendance-needed"));
        assert_eq!(
            refused.message_for("legal_reference"),
            Some("error-legal-reference-needed")
        );

        let sitting = held(MeetingKind::CouncilSitting, Some((23, 21)));
        let taken = decision("13", "Pašvaldību likuma 10. panta pirmās daļas 16. punkts")
            .validate(&sitting)
            .unwrap();
        assert_eq!(
            taken.legal_reference.as_deref(),
            Some("Pašvaldību likuma 10. panta pirmās daļas 16. punkts")
        );
    }

    #[test]
    fn attendance_is_recorded_for_a_deciding_body_within_its_seats() {
        let with = |kind: &str, seats: &str, present: &str| MeetingInput {
            kind: kind.into(),
            seats: seats.into(),
            present: present.into(),
            ..meeting_input()
        };
        let recorded = with("council_sitting", "23", "21").validate().unwrap();
        assert_eq!(recorded.attendance, Some(Attendance { seats: 23, present: 21 }));
        assert_eq!(with("group", "", "").validate().unwrap().attendance, None);
        assert_eq!(
            with("group", "12", "13").validate().unwrap_err().message_for("present"),
            Some("error-present-over-seats")
        );
        assert_eq!(
            with("group", "", "5").validate().unwrap_err().message_for("seats"),
            Some("error-seats-needed")
        );
        assert_eq!(
            with("public_discussion", "40", "20")
                .validate()
                .unwrap_err()
                .message_for("seats"),
            Some("error-attendance-not-a-body")
        );
    }

    #[test]
    fn registrations_wait_once_the_seats_are_taken() {
        assert_eq!(place_registration(None, 1000), RegistrationStatus::Confirmed);
        assert_eq!(place_registration(Some(2), 1), RegistrationStatus::Confirmed);
        assert_eq!(place_registration(Some(2), 2), RegistrationStatus::Waiting);
    }

    #[test]
    fn the_agenda_is_numbered_as_an_outline() {
        let item = |id, parent_id, position, title: &str| AgendaItem {
            id,
            meeting_id: 1,
            parent_id,
            position,
            title: title.into(),
            presenter: None,
            duration_minutes: None,
        };
        let items = vec![
            item(3, Some(1), 2, "Wishes"),
            item(1, None, 1, "Vision"),
            item(4, None, 2, "Next steps"),
            item(2, Some(1), 1, "Shared vision"),
            item(5, Some(99), 3, "Orphan"),
        ];
        let numbers: Vec<(String, usize, String)> = outline(&items)
            .into_iter()
            .map(|n| (n.number, n.depth, n.item.title))
            .collect();
        assert_eq!(
            numbers,
            vec![
                ("1".into(), 0, "Vision".into()),
                ("1.1".into(), 1, "Shared vision".into()),
                ("1.2".into(), 1, "Wishes".into()),
                ("2".into(), 0, "Next steps".into()),
                ("3".into(), 0, "Orphan".into()),
            ]
        );
    }
}
