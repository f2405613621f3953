use kopa_domain::audit::SystemActor;
use kopa_domain::idea::{CommentInput, IdeaInput, IdeaStatus, Moderation, Place};
use kopa_store::testing::every_backend;
use kopa_store::{Actor, Author, Store, StoreError, User};

use crate::{coordinator, workspace};

async fn resident(store: &Store, email: &str, name: &str) -> (User, Actor, Author) {
    let user = store
        .create_user(
            &Actor::system(SystemActor::Setup),
            email,
            name,
            "a long enough password",
        )
        .await
        .unwrap();
    let actor = Actor {
        user_id: Some(user.id),
        label: user.email.clone(),
    };
    let author = Author {
        user_id: Some(user.id),
        name: user.display_name.clone(),
    };
    (user, actor, author)
}

fn refused_with(result: Result<impl std::fmt::Debug, StoreError>, field: &str, message: &str) -> bool {
    matches!(result, Err(StoreError::Invalid(ref i)) if i.message_for(field) == Some(message))
}

#[tokio::test]
async fn an_idea_on_the_map_gathers_support_once_per_person_and_threaded_comments() {
    for db in every_backend().await {
        let store = &db.store;
        let ws = workspace(store).await;
        let (anna, anna_acts, anna_writes) = resident(store, "anna@example.lv", "Anna").await;
        let (janis, janis_acts, janis_writes) = resident(store, "janis@example.lv", "Jānis").await;

        let input = IdeaInput {
            title: "Gājēju pāreja pie skolas".into(),
            body: "Bērni šķērso Rīgas ielu bez pārejas.".into(),
            place: "56.8260, 24.2310".into(),
        };
        let idea = store
            .create_idea(&anna_acts, ws.id, &anna_writes, &input.validate().unwrap())
            .await
            .unwrap();
        assert_eq!(idea.place, Some(Place::Point([24.231, 56.826])), "{}", db.name);
        assert_eq!(
            (idea.author_name.as_str(), idea.supporters, idea.comments),
            ("Anna", 0, 0)
        );

        assert!(store.support_idea(&janis_acts, ws.id, idea.id, janis.id).await.unwrap());
        assert!(
            !store.support_idea(&janis_acts, ws.id, idea.id, janis.id).await.unwrap(),
            "only once"
        );
        assert!(store.support_idea(&anna_acts, ws.id, idea.id, anna.id).await.unwrap());
        assert!(store.supports_idea(idea.id, janis.id).await.unwrap());
        assert!(
            store
                .withdraw_support(&anna_acts, ws.id, idea.id, anna.id)
                .await
                .unwrap()
        );
        assert!(
            !store
                .withdraw_support(&anna_acts, ws.id, idea.id, anna.id)
                .await
                .unwrap()
        );

        let question = CommentInput {
            body: "Kurā vietā tieši?".into(),
            ..Default::default()
        };
        let first = store
            .comment_on_idea(
                &janis_acts,
                ws.id,
                idea.id,
                &janis_writes,
                &question.validate().unwrap(),
            )
            .await
            .unwrap();
        let reply = CommentInput {
            body: "Pie veikala.".into(),
            parent_id: first.id.to_string(),
        };
        store
            .comment_on_idea(&anna_acts, ws.id, idea.id, &anna_writes, &reply.validate().unwrap())
            .await
            .unwrap();
        let stray = CommentInput {
            body: "?".into(),
            parent_id: "99999".into(),
        };
        let refused = store
            .comment_on_idea(&anna_acts, ws.id, idea.id, &anna_writes, &stray.validate().unwrap())
            .await;
        assert!(refused_with(refused, "parent_id", "error-unknown"), "{}", db.name);

        let comments = store.idea_comments(idea.id).await.unwrap();
        assert_eq!(comments.len(), 2);
        assert_eq!(comments[1].parent_id, Some(first.id));
        let now = store.idea(ws.id, idea.id).await.unwrap().unwrap();
        assert_eq!((now.supporters, now.comments), (1, 2), "{}", db.name);
        assert!(store.verify_audit_chain().await.unwrap().broken.is_none());
    }
}

#[tokio::test]
async fn moderators_hide_with_a_reason_merge_duplicates_and_answer() {
    for db in every_backend().await {
        let store = &db.store;
        let ws = workspace(store).await;
        let (anna, anna_acts, anna_writes) = resident(store, "anna@example.lv", "Anna").await;
        let (janis, janis_acts, janis_writes) = resident(store, "janis@example.lv", "Jānis").await;
        let new = |title: &str| {
            IdeaInput {
                title: title.into(),
                body: "…".into(),
                place: String::new(),
            }
            .validate()
            .unwrap()
        };
        let original = store
            .create_idea(&anna_acts, ws.id, &anna_writes, &new("Velonovietnes pie stacijas"))
            .await
            .unwrap();
        let duplicate = store
            .create_idea(&janis_acts, ws.id, &janis_writes, &new("Velostatīvi stacijā"))
            .await
            .unwrap();
        let spam = store
            .create_idea(&janis_acts, ws.id, &janis_writes, &new("Lēti kredīti!!!"))
            .await
            .unwrap();
        store
            .support_idea(&anna_acts, ws.id, original.id, anna.id)
            .await
            .unwrap();
        store
            .support_idea(&anna_acts, ws.id, duplicate.id, anna.id)
            .await
            .unwrap();
        store
            .support_idea(&janis_acts, ws.id, duplicate.id, janis.id)
            .await
            .unwrap();

        let hidden = store
            .moderate_idea(
                &coordinator(),
                ws.id,
                spam.id,
                &Moderation::Hide {
                    reason: "Reklāma".into(),
                },
            )
            .await
            .unwrap();
        assert_eq!(
            (hidden.status, hidden.hidden_reason.as_deref()),
            (IdeaStatus::Hidden, Some("Reklāma"))
        );
        let closed = store.support_idea(&anna_acts, ws.id, spam.id, anna.id).await;
        assert!(refused_with(closed, "idea", "error-idea-closed"), "{}", db.name);

        store
            .moderate_idea(
                &coordinator(),
                ws.id,
                duplicate.id,
                &Moderation::Merge { into: original.id },
            )
            .await
            .unwrap();
        let joined = store.idea(ws.id, original.id).await.unwrap().unwrap();
        assert_eq!(joined.supporters, 2, "Anna counts once, Jānis joins: {}", db.name);
        let into_itself = store
            .moderate_idea(
                &coordinator(),
                ws.id,
                original.id,
                &Moderation::Merge { into: original.id },
            )
            .await;
        assert!(refused_with(into_itself, "into", "error-unknown"));
        let into_merged = store
            .moderate_idea(
                &coordinator(),
                ws.id,
                original.id,
                &Moderation::Merge { into: duplicate.id },
            )
            .await;
        assert!(refused_with(into_merged, "into", "error-unknown"));

        let public: Vec<i64> = store.ideas(ws.id, false).await.unwrap().iter().map(|i| i.id).collect();
        assert_eq!(public, [original.id], "{}", db.name);
        assert_eq!(store.ideas(ws.id, true).await.unwrap().len(), 3);

        let answered = store
            .moderate_idea(
                &coordinator(),
                ws.id,
                original.id,
                &Moderation::Answer {
                    text: "Iekļauts plānā.".into(),
                },
            )
            .await
            .unwrap();
        assert_eq!(answered.answer.as_deref(), Some("Iekļauts plānā."));
        assert!(answered.answered_at.is_some());
        let restored = store
            .moderate_idea(&coordinator(), ws.id, spam.id, &Moderation::Restore)
            .await
            .unwrap();
        assert_eq!((restored.status, restored.hidden_reason), (IdeaStatus::Open, None));
        let not_hidden = store
            .moderate_idea(&coordinator(), ws.id, spam.id, &Moderation::Restore)
            .await;
        assert!(refused_with(not_hidden, "action", "error-idea-not-hidden"));
        assert!(store.verify_audit_chain().await.unwrap().broken.is_none());
    }
}
