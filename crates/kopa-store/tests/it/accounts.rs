use kopa_domain::Role;
use kopa_domain::audit::SystemActor;
use kopa_store::testing::{TestClock, every_backend, every_backend_with_clock, execute_raw};
use kopa_store::{Actor, StoreError};

use crate::workspace;

#[tokio::test]
async fn accounts_sign_in_only_with_the_right_password() {
    for db in every_backend().await {
        let store = &db.store;
        let user = store
            .create_user(
                &Actor::system(SystemActor::Setup),
                "Anna@Kekava.lv",
                "Anna",
                "correct horse battery",
            )
            .await
            .unwrap();
        assert_eq!(user.email, "anna@kekava.lv", "{}", db.name);
        assert!(
            store
                .check_sign_in("anna@kekava.lv", "correct horse battery")
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            store
                .check_sign_in("anna@kekava.lv", "wrong horse battery")
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            store
                .check_sign_in("nobody@kekava.lv", "correct horse battery")
                .await
                .unwrap()
                .is_none()
        );

        let taken = store
            .create_user(
                &Actor::system(SystemActor::Setup),
                "anna@kekava.lv",
                "Anna 2",
                "another long password",
            )
            .await;
        match taken {
            Err(StoreError::Invalid(invalid)) => {
                assert_eq!(invalid.message_for("email"), Some("error-email-taken"))
            }
            other => panic!("{}: expected a taken e-mail, got {other:?}", db.name),
        }
        let short = store
            .create_user(&Actor::system(SystemActor::Setup), "b@kekava.lv", "B", "short")
            .await;
        assert!(
            matches!(short, Err(StoreError::Invalid(ref i)) if i.message_for("password") == Some("error-password-short"))
        );
    }
}

#[tokio::test]
async fn a_stored_password_hash_kopa_cannot_read_is_an_error_that_names_it() {
    for db in every_backend().await {
        let store = &db.store;
        let user = store
            .create_user(
                &Actor::system(SystemActor::Setup),
                "anna@kekava.lv",
                "Anna",
                "correct horse battery",
            )
            .await
            .unwrap();
        execute_raw(&db.url, "UPDATE users SET password_hash = 'correct horse battery'").await;
        match store.check_sign_in("anna@kekava.lv", "correct horse battery").await {
            Err(StoreError::Unreadable(message)) => {
                assert!(
                    message.contains(&format!("users row {}: password_hash", user.id)),
                    "{message}"
                )
            }
            other => panic!("{}: expected an unreadable hash, got {other:?}", db.name),
        }
    }
}

#[tokio::test]
async fn sessions_live_in_the_database_and_expire() {
    let clock = TestClock::at("2020-11-10T12:00:00Z");
    for db in every_backend_with_clock(clock.clone()).await {
        let store = &db.store;
        let user = store
            .create_user(
                &Actor::system(SystemActor::Setup),
                "anna@kekava.lv",
                "Anna",
                "correct horse battery",
            )
            .await
            .unwrap();
        let token = store.create_session(user.id).await.unwrap();
        let session = store.session(&token).await.unwrap().expect("live session");
        assert_eq!(session.user.id, user.id);
        assert_eq!(session.csrf_token.len(), 64);
        assert!(store.session("not-a-token").await.unwrap().is_none());

        clock.advance(chrono::Duration::days(15));
        assert!(
            store.session(&token).await.unwrap().is_none(),
            "{}: a session must expire",
            db.name
        );
        clock.advance(chrono::Duration::days(-15));
        store.end_session(&token).await.unwrap();
        assert!(
            store.session(&token).await.unwrap().is_none(),
            "{}: sign-out ends the session",
            db.name
        );
    }
}

#[tokio::test]
async fn roles_are_per_workspace_and_can_change() {
    for db in every_backend().await {
        let store = &db.store;
        let ws = workspace(store).await;
        let user = store
            .create_user(
                &Actor::system(SystemActor::Setup),
                "anna@kekava.lv",
                "Anna",
                "correct horse battery",
            )
            .await
            .unwrap();
        assert_eq!(store.role_of(user.id, ws.id).await.unwrap(), None);
        store
            .grant_role(&Actor::system(SystemActor::Setup), user.id, ws.id, Role::Member)
            .await
            .unwrap();
        store
            .grant_role(&Actor::system(SystemActor::Setup), user.id, ws.id, Role::Coordinator)
            .await
            .unwrap();
        assert_eq!(
            store.role_of(user.id, ws.id).await.unwrap(),
            Some(Role::Coordinator),
            "{}",
            db.name
        );
        let accounts = store.workspace_accounts(ws.id).await.unwrap();
        assert_eq!(accounts.len(), 1);
        assert_eq!(accounts[0].role, Role::Coordinator);
    }
}

#[tokio::test]
async fn an_invitation_link_works_once() {
    for db in every_backend().await {
        let store = &db.store;
        let ws = workspace(store).await;
        let (invitation, token) = store
            .create_invitation(
                &Actor::system(SystemActor::Setup),
                ws.id,
                "juris@kekava.lv",
                Role::Partner,
            )
            .await
            .unwrap();
        assert_eq!(invitation.role, "partner");
        let user = store
            .accept_invitation(&token, "Juris", "a long enough password")
            .await
            .unwrap();
        assert_eq!(
            store.role_of(user.id, ws.id).await.unwrap(),
            Some(Role::Partner),
            "{}",
            db.name
        );
        let again = store.accept_invitation(&token, "Juris", "a long enough password").await;
        assert!(
            matches!(again, Err(StoreError::Refused("error-invitation-invalid"))),
            "{}: {again:?}",
            db.name
        );
    }
}
