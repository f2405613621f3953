use kopa_domain::audit::BrokenLink;
use kopa_domain::meeting::MeetingInput;
use kopa_store::testing::{every_backend, execute_raw};

use crate::{coordinator, workspace};

async fn some_history(store: &kopa_store::Store) -> i64 {
    let ws = workspace(store).await;
    for n in 1..=3 {
        let input = MeetingInput {
            kind: "group".into(),
            title: format!("Sanāksme {n}"),
            starts_at: "2020-11-10T14:00".into(),
            ends_at: "2020-11-10T16:00".into(),
            mode: "in_person".into(),
            place: "Ķekava".into(),
            ..Default::default()
        };
        store
            .create_meeting(&coordinator(), ws.id, &input.validate().unwrap())
            .await
            .unwrap();
    }
    ws.id
}

#[tokio::test]
async fn every_change_is_logged_with_who_and_what() {
    for db in every_backend().await {
        let store = &db.store;
        let ws = some_history(store).await;
        let events = store.audit_events(ws, 10, 0).await.unwrap();
        // The workspace itself, then three meetings, newest first.
        assert_eq!(events.len(), 4, "{}", db.name);
        assert_eq!(events[0].entity, "meeting");
        assert_eq!(events[0].action, "create");
        assert_eq!(events[0].actor_label, "koordinatore@kekava.lv");
        assert!(events[0].after.as_deref().unwrap().contains("Sanāksme 3"));
        assert_eq!(store.audit_event_count(ws).await.unwrap(), 4);
    }
}

#[tokio::test]
async fn the_chain_verifies_until_a_stored_row_is_tampered_with() {
    for db in every_backend().await {
        let store = &db.store;
        some_history(store).await;
        let report = store.verify_audit_chain().await.unwrap();
        assert_eq!((report.events_checked, report.broken.clone()), (5, None), "{}", db.name);

        execute_raw(
            &db.url,
            "UPDATE audit_events SET after_json = '{\"title\":\"forged\"}' WHERE seq = 3",
        )
        .await;
        let report = store.verify_audit_chain().await.unwrap();
        assert_eq!(report.broken, Some(BrokenLink::Altered { seq: 3 }), "{}", db.name);
        assert_eq!(report.events_checked, 2);
    }
}

#[tokio::test]
async fn a_deleted_event_breaks_the_chain() {
    for db in every_backend().await {
        let store = &db.store;
        some_history(store).await;
        execute_raw(&db.url, "DELETE FROM audit_events WHERE seq = 2").await;
        let report = store.verify_audit_chain().await.unwrap();
        assert_eq!(
            report.broken,
            Some(BrokenLink::Missing { seq: 2, found: 3 }),
            "{}",
            db.name
        );
    }
}
