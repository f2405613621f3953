use kopa_domain::audit::SystemActor;
use kopa_domain::idea::IdeaInput;
use kopa_domain::initiative::InitiativeInput;
use kopa_domain::map::{Backdrop, Street, StreetClass};
use kopa_store::testing::every_backend;
use kopa_store::{Actor, Author, StoreError};

use crate::workspace;

fn square(attribution: &str) -> Backdrop {
    let ring = vec![[24.0, 56.8], [24.4, 56.8], [24.4, 56.9], [24.0, 56.9], [24.0, 56.8]];
    let street = Street {
        class: StreetClass::Major,
        name: Some("Rīgas iela".into()),
        points: vec![[24.1, 56.85], [24.3, 56.85]],
    };
    Backdrop::new(vec![ring], vec![street], attribution).unwrap()
}

fn refused_outside(result: Result<impl std::fmt::Debug, StoreError>) -> bool {
    matches!(result, Err(StoreError::Invalid(ref i)) if i.message_for("place") == Some("error-place-outside"))
}

#[tokio::test]
async fn a_base_map_is_kept_replaced_and_audited_and_places_must_lie_within_it() {
    for db in every_backend().await {
        let store = &db.store;
        let ws = workspace(store).await;
        let system = Actor::system(SystemActor::Setup);
        let author = Author {
            user_id: None,
            name: "Anna".into(),
        };
        let far_away = IdeaInput {
            title: "Riga".into(),
            body: "In the old town.".into(),
            place: "56.9496, 24.1052".into(),
        }
        .validate()
        .unwrap();
        // Without a base map, nothing can tell what lies outside.
        assert!(store.create_idea(&system, ws.id, &author, &far_away).await.is_ok());
        assert_eq!(store.backdrop(ws.id).await.unwrap(), None);
        assert!(!store.has_backdrop(ws.id).await.unwrap());

        store.set_backdrop(&system, ws.id, &square("first")).await.unwrap();
        store.set_backdrop(&system, ws.id, &square("second")).await.unwrap();
        assert!(store.has_backdrop(ws.id).await.unwrap());
        let kept = store.backdrop(ws.id).await.unwrap().unwrap();
        assert_eq!(kept, square("second"), "{}", db.name);
        let events = store.audit_events(ws.id, 10, 0).await.unwrap();
        let map_events: Vec<_> = events.iter().filter(|e| e.entity == "workspace_map").collect();
        assert_eq!(map_events.len(), 2, "created, then replaced");
        assert!(
            map_events.iter().any(|e| e.action == "update"
                && e.before.as_deref().unwrap_or_default().contains("first")
                && e.after.as_deref().unwrap_or_default().contains("second")),
            "the log says what it was and what it became"
        );

        assert!(refused_outside(
            store.create_idea(&system, ws.id, &author, &far_away).await
        ));
        let inside = IdeaInput {
            title: "Pāreja".into(),
            body: "Pie skolas.".into(),
            place: "56.85, 24.2".into(),
        }
        .validate()
        .unwrap();
        assert!(store.create_idea(&system, ws.id, &author, &inside).await.is_ok());

        let types = store.cooperation_type_codes(ws.id).await.unwrap();
        let outside_initiative = InitiativeInput {
            title: "Stāvparks".into(),
            cooperation_type: "mobility_point".into(),
            place: "56.9496, 24.1052".into(),
            ..InitiativeInput::default()
        }
        .validate(&types)
        .unwrap();
        assert!(refused_outside(
            store
                .create_initiative(&system, ws.id, &outside_initiative, "test")
                .await
        ));
    }
}
