use kopa_domain::meeting::{
    AgendaItemInput, DecisionInput, MeetingInput, Outcome, RegistrationInput, RegistrationStatus, SpeakerInput, outline,
};
use kopa_store::testing::every_backend;
use kopa_store::{Actor, StoreError};

use crate::{coordinator, workspace};

pub fn public_discussion() -> MeetingInput {
    MeetingInput {
        kind: "public_discussion".into(),
        title: "Pašvaldības un uzņēmēju sadarbība zaļajā kursā".into(),
        starts_at: "2020-12-02T10:00".into(),
        ends_at: "2020-12-02T12:00".into(),
        mode: "online".into(),
        link: "https://example.org/live".into(),
        capacity: "2".into(),
        registration_open: Some("on".into()),
        published: Some("on".into()),
        ..Default::default()
    }
}

#[tokio::test]
async fn meetings_keep_their_agenda_speakers_and_minutes() {
    for db in every_backend().await {
        let store = &db.store;
        let ws = workspace(store).await;
        let meeting = store
            .create_meeting(&coordinator(), ws.id, &public_discussion().validate().unwrap())
            .await
            .unwrap();
        let item = |title: &str, parent: Option<i64>| AgendaItemInput {
            title: title.into(),
            parent_id: parent.map(|p| p.to_string()).unwrap_or_default(),
            ..Default::default()
        };
        let opening = store
            .add_agenda_item(
                &coordinator(),
                ws.id,
                meeting.id,
                &item("Atklāšana", None).validate().unwrap(),
            )
            .await
            .unwrap();
        store
            .add_agenda_item(
                &coordinator(),
                ws.id,
                meeting.id,
                &item("Diskusija", None).validate().unwrap(),
            )
            .await
            .unwrap();
        store
            .add_agenda_item(
                &coordinator(),
                ws.id,
                meeting.id,
                &item("Sveicieni", Some(opening.id)).validate().unwrap(),
            )
            .await
            .unwrap();
        let numbers: Vec<String> = outline(&store.agenda(meeting.id).await.unwrap())
            .into_iter()
            .map(|n| n.number)
            .collect();
        assert_eq!(numbers, ["1", "1.1", "2"], "{}", db.name);

        let foreign_parent = store
            .add_agenda_item(
                &coordinator(),
                ws.id,
                meeting.id,
                &item("x", Some(9999)).validate().unwrap(),
            )
            .await;
        assert!(matches!(foreign_parent, Err(StoreError::Invalid(_))), "{}", db.name);

        let speaker = SpeakerInput {
            name: "Edgars Korčagins".into(),
            affiliation: "Valsts kontroles padome".into(),
            ..Default::default()
        };
        store
            .add_speaker(&coordinator(), ws.id, meeting.id, &speaker.validate().unwrap())
            .await
            .unwrap();
        assert_eq!(
            store.speakers(meeting.id).await.unwrap()[0].affiliation.as_deref(),
            Some("Valsts kontroles padome")
        );

        let updated = store
            .record_minutes(&coordinator(), ws.id, meeting.id, "Notika diskusija.")
            .await
            .unwrap();
        assert_eq!(
            store.meeting(ws.id, meeting.id).await.unwrap().unwrap(),
            updated,
            "{}",
            db.name
        );
        assert_eq!(
            store.meeting(ws.id + 1, meeting.id).await.unwrap(),
            None,
            "{}: meetings stay in their workspace",
            db.name
        );
    }
}

#[tokio::test]
async fn registrations_fill_the_seats_then_the_waiting_list() {
    for db in every_backend().await {
        let store = &db.store;
        let ws = workspace(store).await;
        let meeting = store
            .create_meeting(&coordinator(), ws.id, &public_discussion().validate().unwrap())
            .await
            .unwrap();
        let register = |email: &str| {
            RegistrationInput {
                name: email.into(),
                email: email.into(),
            }
            .validate()
            .unwrap()
        };
        let mut statuses = Vec::new();
        for email in ["a@example.lv", "b@example.lv", "c@example.lv"] {
            let registration = store
                .register(&Actor::visitor(email), ws.id, meeting.id, &register(email))
                .await
                .unwrap();
            statuses.push(registration.status);
        }
        assert_eq!(
            statuses,
            [
                RegistrationStatus::Confirmed,
                RegistrationStatus::Confirmed,
                RegistrationStatus::Waiting
            ],
            "{}",
            db.name
        );

        let twice = store
            .register(&Actor::visitor("a"), ws.id, meeting.id, &register("a@example.lv"))
            .await;
        assert!(
            matches!(twice, Err(StoreError::Invalid(ref i)) if i.message_for("email") == Some("error-already-registered")),
            "{}",
            db.name
        );

        let first = store.registrations(meeting.id).await.unwrap()[0].id;
        store
            .cancel_registration(&coordinator(), ws.id, meeting.id, first)
            .await
            .unwrap();
        let now: Vec<(String, RegistrationStatus)> = store
            .registrations(meeting.id)
            .await
            .unwrap()
            .into_iter()
            .map(|r| (r.email, r.status))
            .collect();
        assert_eq!(
            now,
            [
                ("b@example.lv".into(), RegistrationStatus::Confirmed),
                ("c@example.lv".into(), RegistrationStatus::Confirmed)
            ],
            "{}: the waiting list moves up",
            db.name
        );
        let b = store.registrations(meeting.id).await.unwrap()[0].id;
        store
            .set_attendance(&coordinator(), ws.id, meeting.id, b, true)
            .await
            .unwrap();
        assert!(store.registrations(meeting.id).await.unwrap()[0].attended);
        let summary = &store.meetings(ws.id, false).await.unwrap()[0];
        assert_eq!((summary.confirmed, summary.waiting), (2, 0), "{}", db.name);
    }
}

#[tokio::test]
async fn closed_registration_is_refused() {
    for db in every_backend().await {
        let store = &db.store;
        let ws = workspace(store).await;
        let closed = MeetingInput {
            registration_open: None,
            ..public_discussion()
        };
        let meeting = store
            .create_meeting(&coordinator(), ws.id, &closed.validate().unwrap())
            .await
            .unwrap();
        let input = RegistrationInput {
            name: "A".into(),
            email: "a@example.lv".into(),
        }
        .validate()
        .unwrap();
        let refused = store.register(&Actor::visitor("a"), ws.id, meeting.id, &input).await;
        assert!(
            matches!(refused, Err(StoreError::Refused("error-registration-closed"))),
            "{}",
            db.name
        );
    }
}

#[tokio::test]
async fn decisions_compute_their_outcome() {
    for db in every_backend().await {
        let store = &db.store;
        let ws = workspace(store).await;
        let meeting = store
            .create_meeting(&coordinator(), ws.id, &public_discussion().validate().unwrap())
            .await
            .unwrap();
        let decide = |text: &str, f: &str, a: &str, ab: &str| DecisionInput {
            text: text.into(),
            votes_for: f.into(),
            votes_against: a.into(),
            votes_abstain: ab.into(),
            ..Default::default()
        };
        let unanimous = store
            .record_decision(
                &coordinator(),
                ws.id,
                meeting.id,
                &decide("Zaļā mobilitāte", "14", "0", "0").validate(&meeting).unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(
            (unanimous.outcome, unanimous.unanimous),
            (Outcome::Adopted, true),
            "{}",
            db.name
        );
        let tie = store
            .record_decision(
                &coordinator(),
                ws.id,
                meeting.id,
                &decide("Neizšķirts", "3", "3", "1").validate(&meeting).unwrap(),
            )
            .await
            .unwrap();
        assert_eq!((tie.outcome, tie.unanimous), (Outcome::Rejected, false));
        assert_eq!(
            store.decisions(meeting.id).await.unwrap(),
            vec![unanimous, tie],
            "{}",
            db.name
        );
        let unknown = store
            .record_decision(
                &coordinator(),
                ws.id,
                4242,
                &decide("x", "1", "0", "0").validate(&meeting).unwrap(),
            )
            .await;
        assert!(matches!(unknown, Err(StoreError::NotFound { entity: "meeting", .. })));
    }
}

#[tokio::test]
async fn unpublished_meetings_are_listed_only_on_request() {
    for db in every_backend().await {
        let store = &db.store;
        let ws = workspace(store).await;
        store
            .create_meeting(&coordinator(), ws.id, &public_discussion().validate().unwrap())
            .await
            .unwrap();
        let internal = MeetingInput {
            published: None,
            title: "Iekšēja".into(),
            ..public_discussion()
        };
        store
            .create_meeting(&coordinator(), ws.id, &internal.validate().unwrap())
            .await
            .unwrap();
        assert_eq!(store.meetings(ws.id, false).await.unwrap().len(), 1, "{}", db.name);
        assert_eq!(store.meetings(ws.id, true).await.unwrap().len(), 2, "{}", db.name);
    }
}

#[tokio::test]
async fn the_meetings_around_a_moment_are_those_to_come_and_a_page_of_those_past() {
    for db in every_backend().await {
        let store = &db.store;
        let ws = workspace(store).await;
        for (day, published) in [(1, true), (2, true), (3, false), (4, true), (5, true), (6, true)] {
            let input = MeetingInput {
                title: format!("Sanāksme {day}. decembrī"),
                starts_at: format!("2020-12-0{day}T10:00"),
                ends_at: format!("2020-12-0{day}T12:00"),
                published: published.then(|| "on".into()),
                ..public_discussion()
            };
            store
                .create_meeting(&coordinator(), ws.id, &input.validate().unwrap())
                .await
                .unwrap();
        }
        // The 4th at 11:00: under way, so still to come.
        let now = chrono::NaiveDate::from_ymd_opt(2020, 12, 4)
            .unwrap()
            .and_hms_opt(11, 0, 0)
            .unwrap();
        let titles = |list: &[kopa_store::MeetingSummary]| -> Vec<String> {
            list.iter()
                .map(|m| m.meeting.title.chars().take(13).collect())
                .collect()
        };
        let around = store.meetings_around(ws.id, true, now, 2, 0).await.unwrap();
        assert_eq!(
            titles(&around.upcoming),
            ["Sanāksme 4. d", "Sanāksme 5. d", "Sanāksme 6. d"],
            "{}",
            db.name
        );
        assert_eq!(titles(&around.past), ["Sanāksme 3. d", "Sanāksme 2. d"], "{}", db.name);
        assert_eq!(around.past_total, 3, "{}", db.name);
        let next = store.meetings_around(ws.id, true, now, 2, 2).await.unwrap();
        assert_eq!(titles(&next.past), ["Sanāksme 1. d"], "{}", db.name);
        // The public sees only what is published.
        let public = store.meetings_around(ws.id, false, now, 10, 0).await.unwrap();
        assert_eq!(titles(&public.past), ["Sanāksme 2. d", "Sanāksme 1. d"], "{}", db.name);
        assert_eq!(public.past_total, 2, "{}", db.name);
    }
}
