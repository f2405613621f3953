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

/// `count` more organisations, each one event.
async fn organisations(store: &kopa_store::Store, ws: i64, from: usize, count: usize) {
    for n in from..from + count {
        let input = kopa_domain::group::OrganisationInput {
            name: format!("Biedrība {n}"),
            sector: "civic".into(),
            ..Default::default()
        };
        store
            .create_organisation(&coordinator(), ws, &input.validate().unwrap())
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn pages_check_the_chain_from_the_last_checkpoint_and_distrust_one_that_moved() {
    for db in every_backend().await {
        let store = &db.store;
        // Enough history for a full walk to leave a checkpoint (one is kept every 1,000 events).
        let ws = workspace(store).await.id;
        organisations(store, ws, 0, 1_000).await;
        // No checkpoint yet: the whole chain, which leaves one at its end.
        let first = store.verify_audit_chain_since_checkpoint().await.unwrap();
        assert_eq!(
            (first.events_checked, first.checkpoint, first.broken),
            (1_002, None, None),
            "{}",
            db.name
        );
        let again = store.verify_audit_chain_since_checkpoint().await.unwrap();
        assert_eq!(
            (again.events_checked, again.checkpoint),
            (1_002, Some(1_002)),
            "{}",
            db.name
        );

        // A change after the checkpoint is found by the short walk.
        organisations(store, ws, 1_000, 3).await;
        execute_raw(
            &db.url,
            "UPDATE audit_events SET after_json = '{\"title\":\"forged\"}' WHERE seq = 1004",
        )
        .await;
        let report = store.verify_audit_chain_since_checkpoint().await.unwrap();
        assert_eq!(report.broken, Some(BrokenLink::Altered { seq: 1_004 }), "{}", db.name);

        // The checkpoint's own event altered: it is not trusted, and the whole chain is walked.
        execute_raw(
            &db.url,
            "UPDATE audit_events SET after_json = '{\"name\":\"forged\"}' WHERE seq = 1002",
        )
        .await;
        let report = store.verify_audit_chain_since_checkpoint().await.unwrap();
        assert_eq!(
            (report.broken, report.checkpoint),
            (Some(BrokenLink::Altered { seq: 1_002 }), None),
            "{}",
            db.name
        );
        // Earlier events are vouched for by the checkpoint only; the full walk still finds them.
        execute_raw(
            &db.url,
            "UPDATE audit_events SET after_json = '{\"name\":\"forged\"}' WHERE seq = 10",
        )
        .await;
        let full = store.verify_audit_chain().await.unwrap();
        assert_eq!(full.broken, Some(BrokenLink::Altered { seq: 10 }), "{}", db.name);
    }
}

/// Deleting the log's last events leaves a chain that links up to its new end: the kept
/// checkpoint notices, and when the checkpoints are deleted too, a head kept outside does.
#[tokio::test]
async fn deleting_the_last_events_is_noticed() {
    for db in every_backend().await {
        let store = &db.store;
        let ws = some_history(store).await;
        let early = store.verify_audit_chain().await.unwrap().head.expect("a head");
        assert_eq!(early.seq, 5, "{}", db.name);
        organisations(store, ws, 0, 3).await;
        let report = store
            .verify_audit_chain_against(std::slice::from_ref(&early))
            .await
            .unwrap();
        assert_eq!(report.broken, None, "{}", db.name);
        assert_eq!(report.confirmed.as_ref(), Some(&early), "the newest head seen before");
        let head = report.head.expect("a head");
        assert_eq!(head.seq, 8);

        execute_raw(&db.url, "DELETE FROM audit_events WHERE seq > 6").await;
        let truncated = Some(BrokenLink::Truncated { seq: 7, seen: 8 });
        let report = store.verify_audit_chain().await.unwrap();
        assert_eq!(report.broken, truncated, "{}: the checkpoint", db.name);
        assert_eq!(report.events_checked, 6);
        let page = store.verify_audit_chain_since_checkpoint().await.unwrap();
        assert_eq!(page.broken, truncated, "{}: pages too", db.name);

        execute_raw(&db.url, "DELETE FROM audit_checkpoints").await;
        let unaware = store.verify_audit_chain().await.unwrap();
        assert_eq!(unaware.broken, None, "{}: nothing inside tells", db.name);
        execute_raw(&db.url, "DELETE FROM audit_checkpoints").await;
        let report = store.verify_audit_chain_against(&[early.clone(), head]).await.unwrap();
        assert_eq!(report.broken, truncated, "{}: the head kept outside", db.name);

        // A head whose event is no longer the one seen: rewritten, hashes and all.
        let forged = kopa_domain::audit::ChainHead {
            seq: 4,
            hash: "ab".repeat(32),
        };
        let report = store.verify_audit_chain_against(&[forged]).await.unwrap();
        assert_eq!(report.broken, Some(BrokenLink::Rewritten { seq: 4 }), "{}", db.name);
        assert_eq!((report.events_checked, report.head), (3, None));
    }
}
