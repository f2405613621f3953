use kopa_domain::group::{OrganisationInput, PersonInput, StakeholderInput, Strategy};
use kopa_store::StoreError;
use kopa_store::testing::every_backend;

use crate::{coordinator, workspace};

#[tokio::test]
async fn organisations_people_and_memberships() {
    for db in every_backend().await {
        let store = &db.store;
        let ws = workspace(store).await;
        let input = OrganisationInput {
            name: "Ķekavas novada pašvaldība".into(),
            sector: "public".into(),
            ..Default::default()
        };
        let council = store
            .create_organisation(&coordinator(), ws.id, &input.validate().unwrap())
            .await
            .unwrap();
        let duplicate = store
            .create_organisation(&coordinator(), ws.id, &input.validate().unwrap())
            .await;
        assert!(
            matches!(duplicate, Err(StoreError::Invalid(ref i)) if i.message_for("name") == Some("error-name-taken")),
            "{}",
            db.name
        );

        let person = PersonInput {
            name: "Ilze Ozola".into(),
            organisation_id: council.id.to_string(),
            body: "management_group".into(),
            role: "project coordinator".into(),
            from_date: "2020-01-15".into(),
            ..Default::default()
        };
        store
            .create_person(&coordinator(), ws.id, &person.validate().unwrap())
            .await
            .unwrap();
        let members = store.members(ws.id).await.unwrap();
        assert_eq!(members.len(), 1, "{}", db.name);
        assert_eq!(
            members[0].organisation_name.as_deref(),
            Some("Ķekavas novada pašvaldība")
        );
        assert_eq!(members[0].from_date, crate::date("2020-01-15"));

        let stranger = PersonInput {
            name: "X".into(),
            organisation_id: "999".into(),
            ..Default::default()
        };
        let refused = store
            .create_person(&coordinator(), ws.id, &stranger.validate().unwrap())
            .await;
        assert!(
            matches!(refused, Err(StoreError::Invalid(ref i)) if i.message_for("organisation_id") == Some("error-unknown"))
        );
    }
}

#[tokio::test]
async fn a_new_assessment_replaces_the_old_one() {
    for db in every_backend().await {
        let store = &db.store;
        let ws = workspace(store).await;
        let org = OrganisationInput {
            name: "Rīgas plānošanas reģions".into(),
            sector: "public".into(),
            ..Default::default()
        };
        let org = store
            .create_organisation(&coordinator(), ws.id, &org.validate().unwrap())
            .await
            .unwrap();
        let assess = |power: &str, interest: &str| StakeholderInput {
            organisation_id: org.id.to_string(),
            power: power.into(),
            interest: interest.into(),
            ..Default::default()
        };
        store
            .assess_stakeholder(&coordinator(), ws.id, &assess("2", "2").validate().unwrap())
            .await
            .unwrap();
        store
            .assess_stakeholder(&coordinator(), ws.id, &assess("5", "4").validate().unwrap())
            .await
            .unwrap();
        let stakeholders = store.stakeholders(ws.id).await.unwrap();
        assert_eq!(stakeholders.len(), 1, "{}", db.name);
        assert_eq!((stakeholders[0].power, stakeholders[0].interest), (5, 4));
        assert_eq!(stakeholders[0].strategy, Strategy::ManageClosely);
    }
}

#[tokio::test]
async fn memberships_are_dated_and_can_end() {
    for db in every_backend().await {
        let store = &db.store;
        let ws = workspace(store).await;
        let person = PersonInput {
            name: "Ilze".into(),
            ..Default::default()
        };
        let person = store
            .create_person(&coordinator(), ws.id, &person.validate().unwrap())
            .await
            .unwrap();
        let input = kopa_domain::group::MembershipInput {
            person_id: person.id.to_string(),
            body: "core".into(),
            role: "member".into(),
            from_date: "2020-01-15".into(),
            until_date: String::new(),
        };
        let (person_id, new) = input.validate().unwrap();
        let membership = store
            .add_membership(&coordinator(), ws.id, person_id, &new)
            .await
            .unwrap();
        assert!(membership.is_current(crate::date("2021-06-01")), "{}", db.name);
        let ended = store
            .end_membership(&coordinator(), ws.id, membership.id, crate::date("2020-12-31"))
            .await
            .unwrap();
        assert!(!ended.is_current(crate::date("2021-06-01")));
        assert_eq!(
            store.members(ws.id).await.unwrap()[0].until_date,
            Some(crate::date("2020-12-31")),
            "{}",
            db.name
        );
        let stranger = store.add_membership(&coordinator(), ws.id, 9999, &new).await;
        assert!(
            matches!(stranger, Err(StoreError::Invalid(ref i)) if i.message_for("person_id") == Some("error-unknown"))
        );
        let unknown = store
            .end_membership(&coordinator(), ws.id, 9999, crate::date("2020-12-31"))
            .await;
        assert!(matches!(unknown, Err(StoreError::NotFound { .. })), "{}", db.name);
    }
}
