use kopa_domain::idea::IdeaInput;
use kopa_domain::initiative::{
    InitiativeInput, InitiativeStatus, LinkKind, MilestoneInput, TransitionInput, progress_in,
};
use kopa_store::testing::every_backend;
use kopa_store::{Author, Store, StoreError};

use crate::{coordinator, workspace};

async fn types(store: &Store, ws: i64) -> Vec<String> {
    store.cooperation_type_codes(ws).await.unwrap()
}

fn refused_with<T: std::fmt::Debug>(result: Result<T, StoreError>, field: &str, message: &str) -> bool {
    matches!(result, Err(StoreError::Invalid(ref i)) if i.message_for(field) == Some(message))
}

#[tokio::test]
async fn an_initiative_moves_step_by_step_and_keeps_its_history() {
    for db in every_backend().await {
        let store = &db.store;
        let ws = workspace(store).await.id;
        let custom = store
            .add_cooperation_type(&coordinator(), ws, "Velosipēdu remonta darbnīcas")
            .await
            .unwrap();
        assert_eq!(custom.code, "custom_velosipedu_remonta_darbnicas", "{}", db.name);
        let taken = store
            .add_cooperation_type(&coordinator(), ws, "Velosipēdu remonta darbnīcas")
            .await;
        assert!(refused_with(taken, "name", "error-name-taken"));
        assert_eq!(types(store, ws).await.len(), 5);

        let input = InitiativeInput {
            title: "Mobilitātes punkts pie Ķekavas stacijas".into(),
            cooperation_type: "mobility_point".into(),
            place: "56.8263, 24.2295".into(),
            ..Default::default()
        };
        let new = input.validate(&types(store, ws).await).unwrap();
        let initiative = store
            .create_initiative(&coordinator(), ws, &new, "Apspriests 2. decembrī")
            .await
            .unwrap();
        assert_eq!(initiative.status, InitiativeStatus::Idea);

        for (to, reason) in [("assessed", "Izvērtēts"), ("agreed", "Grupa vienojās")] {
            let step = TransitionInput {
                to: to.into(),
                reason: reason.into(),
            };
            let current = store.initiative(ws, initiative.id).await.unwrap().unwrap().status;
            let (transition, reason) = step.validate(current).unwrap();
            store
                .move_initiative(&coordinator(), ws, initiative.id, transition, &reason)
                .await
                .unwrap();
        }
        // A step from a status it no longer has is refused, as when two people act at once.
        let stale = TransitionInput {
            to: "assessed".into(),
            reason: "Atpakaļ".into(),
        };
        let (from_idea, reason) = stale.validate(InitiativeStatus::Idea).unwrap();
        let refused = store
            .move_initiative(&coordinator(), ws, initiative.id, from_idea, &reason)
            .await;
        assert!(refused_with(refused, "to", "error-transition"), "{}", db.name);

        let history = store.initiative_history(initiative.id).await.unwrap();
        let steps: Vec<(Option<InitiativeStatus>, InitiativeStatus, &str)> =
            history.iter().map(|s| (s.from, s.to, s.reason.as_str())).collect();
        assert_eq!(
            steps,
            [
                (None, InitiativeStatus::Idea, "Apspriests 2. decembrī"),
                (Some(InitiativeStatus::Idea), InitiativeStatus::Assessed, "Izvērtēts"),
                (
                    Some(InitiativeStatus::Assessed),
                    InitiativeStatus::Agreed,
                    "Grupa vienojās"
                ),
            ],
            "{}",
            db.name
        );
        assert!(history.iter().all(|s| s.actor_label == coordinator().label));
        assert!(store.verify_audit_chain().await.unwrap().broken.is_none());
    }
}

#[tokio::test]
async fn parents_roll_up_progress_and_links_stay_in_the_workspace() {
    for db in every_backend().await {
        let store = &db.store;
        let ws = workspace(store).await.id;
        let kinds = types(store, ws).await;
        let create = |title: &str, parent: Option<i64>, weight: &str, progress: &str| InitiativeInput {
            title: title.into(),
            cooperation_type: "crossing_with_owners".into(),
            parent_id: parent.map(|p| p.to_string()).unwrap_or_default(),
            weight: weight.into(),
            progress: progress.into(),
            ..Default::default()
        };
        let parent = store
            .create_initiative(
                &coordinator(),
                ws,
                &create("Drošas pārejas", None, "", "10").validate(&kinds).unwrap(),
                "x",
            )
            .await
            .unwrap();
        assert_eq!(
            store.initiative_progress(ws, parent.id).await.unwrap(),
            10.0,
            "its own, without children"
        );
        for (title, weight, progress) in [("Pie skolas", "1", "100"), ("Pie veikala", "3", "0")] {
            let child = create(title, Some(parent.id), weight, progress)
                .validate(&kinds)
                .unwrap();
            store.create_initiative(&coordinator(), ws, &child, "x").await.unwrap();
        }
        assert_eq!(
            store.initiative_progress(ws, parent.id).await.unwrap(),
            25.0,
            "{}",
            db.name
        );
        let orphan = create("Bez vecāka", Some(9999), "", "").validate(&kinds).unwrap();
        let refused = store.create_initiative(&coordinator(), ws, &orphan, "x").await;
        assert!(refused_with(refused, "parent_id", "error-unknown"));

        let idea = IdeaInput {
            title: "Pāreja".into(),
            body: "…".into(),
            place: String::new(),
        };
        let author = Author {
            user_id: None,
            name: "Anna".into(),
        };
        let idea = store
            .create_idea(&coordinator(), ws, &author, &idea.validate().unwrap())
            .await
            .unwrap();
        for _ in 0..2 {
            store
                .link_initiative(&coordinator(), ws, parent.id, LinkKind::Idea, idea.id)
                .await
                .unwrap();
        }
        assert_eq!(
            store.initiative_links(parent.id, LinkKind::Idea).await.unwrap(),
            [idea.id]
        );
        let stranger = store
            .link_initiative(&coordinator(), ws, parent.id, LinkKind::Meeting, 9999)
            .await;
        assert!(refused_with(stranger, "target", "error-unknown"), "{}", db.name);
    }
}

#[tokio::test]
async fn milestones_set_progress_and_edits_keep_the_tree_sound() {
    for db in every_backend().await {
        let store = &db.store;
        let ws = workspace(store).await.id;
        let create = |title: &str, parent: Option<i64>| InitiativeInput {
            title: title.into(),
            cooperation_type: "mobility_point".into(),
            parent_id: parent.map(|p| p.to_string()).unwrap_or_default(),
            ..Default::default()
        };
        let valid = types(store, ws).await;
        let parent = store
            .create_initiative(
                &coordinator(),
                ws,
                &create("Mobilitātes punkti", None).validate(&valid).unwrap(),
                "x",
            )
            .await
            .unwrap();
        let child = store
            .create_initiative(
                &coordinator(),
                ws,
                &create("Pie stacijas", Some(parent.id)).validate(&valid).unwrap(),
                "x",
            )
            .await
            .unwrap();

        let milestone = |title: &str, due: &str| MilestoneInput {
            title: title.into(),
            due_on: due.into(),
        };
        let plan = store
            .add_milestone(
                &coordinator(),
                ws,
                child.id,
                &milestone("Vieta saskaņota", "2021-03-01").validate().unwrap(),
            )
            .await
            .unwrap();
        store
            .add_milestone(
                &coordinator(),
                ws,
                child.id,
                &milestone("Statīvi uzstādīti", "").validate().unwrap(),
            )
            .await
            .unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2021, 2, 20);
        store
            .set_milestone_done(&coordinator(), ws, child.id, plan.id, day)
            .await
            .unwrap();
        let milestones = store.milestones(child.id).await.unwrap();
        assert_eq!(milestones[0].title, "Vieta saskaņota", "{}", db.name);
        assert_eq!(milestones[0].done_on, day);
        assert_eq!(milestones[1].due_on, None, "without a day, last");
        let all = store.initiatives(ws).await.unwrap();
        assert_eq!(all.iter().find(|i| i.id == child.id).unwrap().progress, 50);
        assert_eq!(progress_in(&all, parent.id), 50.0, "the parent rolls it up");

        // Typed progress gives way to milestones; a parent below its child is refused.
        let mut edit = create("Pie Ķekavas stacijas", Some(parent.id));
        edit.progress = "90".into();
        let edited = store
            .update_initiative(&coordinator(), ws, child.id, &edit.validate(&valid).unwrap())
            .await
            .unwrap();
        assert_eq!(edited.title, "Pie Ķekavas stacijas");
        assert_eq!(edited.progress, 50);
        let looped = store
            .update_initiative(
                &coordinator(),
                ws,
                parent.id,
                &create("Mobilitātes punkti", Some(child.id)).validate(&valid).unwrap(),
            )
            .await;
        assert!(refused_with(looped, "parent_id", "error-parent-loop"));
        let unknown = store
            .set_milestone_done(&coordinator(), ws, parent.id, plan.id, None)
            .await;
        assert!(
            refused_with(unknown, "milestone", "error-unknown"),
            "a milestone of another initiative"
        );
    }
}
