//! Administration: roles that change, accounts switched off and on, invitations withdrawn or
//! sent again, and passwords reset through a one-time link.

use chrono::Duration;
use kopa_domain::Role;
use kopa_domain::audit::SystemActor;
use kopa_store::testing::{TestClock, every_backend, every_backend_with_clock, execute_raw, texts};
use kopa_store::{Actor, RoleChange, Store, StoreError, User};

use crate::workspace;

const PASSWORD: &str = "correct horse battery";

async fn account(store: &Store, email: &str, role: Option<(i64, Role)>) -> User {
    let user = store
        .create_user(&Actor::system(SystemActor::Setup), email, email, PASSWORD)
        .await
        .unwrap();
    if let Some((workspace, role)) = role {
        store
            .grant_role(&Actor::system(SystemActor::Setup), user.id, workspace, role)
            .await
            .unwrap();
    }
    user
}

fn refused(result: Result<impl std::fmt::Debug, StoreError>) -> &'static str {
    match result {
        Err(StoreError::Refused(key)) => key,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_workspace_always_keeps_an_active_admin() {
    for db in every_backend().await {
        let store = &db.store;
        let ws = workspace(store).await.id;
        let anna = account(store, "anna@kekava.lv", Some((ws, Role::Admin))).await;
        let juris = account(store, "juris@kekava.lv", Some((ws, Role::Admin))).await;
        let by = Actor::user(anna.id, &anna.email);

        let demoted = store
            .change_account_role(&by, ws, juris.id, RoleChange::Role(Role::Coordinator))
            .await
            .unwrap();
        assert_eq!(demoted.role, Role::Coordinator, "{}", db.name);
        for last in [RoleChange::Role(Role::Member), RoleChange::Deactivate] {
            let change = store.change_account_role(&by, ws, anna.id, last).await;
            assert_eq!(refused(change), "error-last-admin", "{}: {last:?}", db.name);
        }
        assert_eq!(store.role_of(anna.id, ws).await.unwrap(), Some(Role::Admin));

        // Switched off: the role is gone but kept, and joining again does not bring it back.
        store
            .change_account_role(&by, ws, juris.id, RoleChange::Deactivate)
            .await
            .unwrap();
        assert_eq!(store.role_of(juris.id, ws).await.unwrap(), None, "{}", db.name);
        assert_eq!(
            refused(store.join_as_resident(&juris, ws).await),
            "error-membership-off"
        );
        let listed = store.workspace_accounts(ws).await.unwrap();
        let kept = listed.iter().find(|a| a.user.id == juris.id).unwrap();
        assert!(kept.deactivated_at.is_some() && kept.role == Role::Coordinator);
        store
            .change_account_role(&by, ws, juris.id, RoleChange::Reactivate)
            .await
            .unwrap();
        assert_eq!(store.role_of(juris.id, ws).await.unwrap(), Some(Role::Coordinator));

        // Each change is in the audit log with who did it, and the chain holds.
        let events = store.audit_events(ws, 100, 0).await.unwrap();
        let role_events = events
            .iter()
            .filter(|e| e.entity == "role" && e.actor_user_id == Some(anna.id));
        assert_eq!(role_events.count(), 3, "{}", db.name);
        assert!(store.verify_audit_chain().await.unwrap().broken.is_none());
    }
}

#[tokio::test]
async fn a_switched_off_account_cannot_sign_in_and_its_sessions_end() {
    for db in every_backend().await {
        let store = &db.store;
        let ws = workspace(store).await.id;
        let admin = account(store, "admin@kekava.lv", Some((ws, Role::Admin))).await;
        store
            .set_site_admin(&Actor::system(SystemActor::Setup), admin.id, true)
            .await
            .unwrap();
        let anna = account(store, "anna@kekava.lv", Some((ws, Role::Member))).await;
        let session = store.create_session(anna.id).await.unwrap();
        let by = Actor::user(admin.id, &admin.email);

        let off = store.set_account_active(&by, anna.id, false).await.unwrap();
        assert!(off.deactivated_at.is_some(), "{}", db.name);
        assert!(store.check_sign_in(&anna.email, PASSWORD).await.unwrap().is_none());
        assert!(store.session(&session).await.unwrap().is_none(), "{}", db.name);
        store.set_account_active(&by, anna.id, true).await.unwrap();
        assert!(store.check_sign_in(&anna.email, PASSWORD).await.unwrap().is_some());

        // The site keeps a site admin whose account is on.
        assert_eq!(
            refused(store.set_account_active(&by, admin.id, false).await),
            "error-last-site-admin"
        );
        assert_eq!(
            refused(store.set_site_admin(&by, admin.id, false).await),
            "error-last-site-admin"
        );
        let sql = format!(
            "SELECT after_json FROM audit_events WHERE entity = 'user' AND entity_id = {} AND actor_user_id = {}",
            anna.id, admin.id
        );
        let changes = texts(&db.url, &sql).await;
        assert_eq!(changes.len(), 2, "{}: off, then on", db.name);
        assert!(
            changes.iter().all(|c| !c.contains("password")),
            "no hash in the log: {changes:?}"
        );
    }
}

#[tokio::test]
async fn a_reset_link_works_once_within_the_hour_and_ends_every_session() {
    let clock = TestClock::at("2026-11-10T12:00:00Z");
    for db in every_backend_with_clock(clock.clone()).await {
        let store = &db.store;
        let anna = account(store, "anna@kekava.lv", None).await;
        let session = store.create_session(anna.id).await.unwrap();

        let stale = store.create_password_reset(anna.id).await.unwrap();
        let token = store.create_password_reset(anna.id).await.unwrap();
        assert!(
            store.open_password_reset(&stale).await.unwrap().is_none(),
            "a newer link replaces it"
        );
        let short = store.reset_password(&token, "short").await;
        assert!(
            matches!(short, Err(StoreError::Invalid(ref i)) if i.message_for("password") == Some("error-password-short"))
        );

        store.reset_password(&token, "a new long password").await.unwrap();
        assert!(store.session(&session).await.unwrap().is_none(), "{}", db.name);
        assert!(store.check_sign_in(&anna.email, PASSWORD).await.unwrap().is_none());
        assert!(
            store
                .check_sign_in(&anna.email, "a new long password")
                .await
                .unwrap()
                .is_some()
        );
        assert_eq!(
            refused(store.reset_password(&token, "yet another password").await),
            "error-reset-invalid"
        );

        let late = store.create_password_reset(anna.id).await.unwrap();
        clock.advance(Duration::minutes(61));
        assert!(store.open_password_reset(&late).await.unwrap().is_none(), "{}", db.name);
        clock.advance(Duration::minutes(-61));
    }
}

#[tokio::test]
async fn changing_the_password_signs_out_everywhere_else() {
    for db in every_backend().await {
        let store = &db.store;
        let anna = account(store, "anna@kekava.lv", None).await;
        let here = store.create_session(anna.id).await.unwrap();
        let phone = store.create_session(anna.id).await.unwrap();
        let laptop = store.create_session(anna.id).await.unwrap();
        let sessions = store.sessions_of(anna.id, &here).await.unwrap();
        assert_eq!(sessions.len(), 3, "{}", db.name);
        assert_eq!(sessions.iter().filter(|s| s.current).count(), 1);

        store
            .change_password(&anna, "a new long password", &here)
            .await
            .unwrap();
        assert!(store.session(&here).await.unwrap().is_some(), "{}", db.name);
        assert!(store.session(&phone).await.unwrap().is_none());
        assert!(store.session(&laptop).await.unwrap().is_none());

        let again = store.create_session(anna.id).await.unwrap();
        assert_eq!(store.end_other_sessions(anna.id, &again).await.unwrap(), 1);
        assert!(store.session(&here).await.unwrap().is_none());
    }
}

#[tokio::test]
async fn invitations_are_withdrawn_or_sent_again_and_an_existing_account_accepts_one() {
    for db in every_backend().await {
        let store = &db.store;
        let ws = workspace(store).await.id;
        let admin = account(store, "admin@kekava.lv", Some((ws, Role::Admin))).await;
        let by = Actor::user(admin.id, &admin.email);

        let (withdrawn, token) = store
            .create_invitation(&by, ws, "x@kekava.lv", Role::Member)
            .await
            .unwrap();
        store.revoke_invitation(&by, ws, withdrawn.id).await.unwrap();
        assert!(store.open_invitation(&token).await.unwrap().is_none(), "{}", db.name);

        let (renewed, fresh) = store.renew_invitation(&by, ws, withdrawn.id).await.unwrap();
        assert!(renewed.revoked_at.is_none());
        assert!(
            store.open_invitation(&token).await.unwrap().is_none(),
            "the old link stays dead"
        );
        assert!(store.open_invitation(&fresh).await.unwrap().is_some());

        // An account in another workspace is invited here: its owner accepts as themselves.
        let juris = account(store, "juris@kekava.lv", None).await;
        let (invitation, link) = store
            .create_invitation(&by, ws, "Juris@Kekava.lv", Role::Coordinator)
            .await
            .unwrap();
        let other = account(store, "other@kekava.lv", None).await;
        assert_eq!(
            refused(store.accept_invitation_as(&link, &other).await),
            "error-invitation-other-account"
        );
        store.accept_invitation_as(&link, &juris).await.unwrap();
        assert_eq!(
            store.role_of(juris.id, ws).await.unwrap(),
            Some(Role::Coordinator),
            "{}",
            db.name
        );
        assert_eq!(
            refused(store.accept_invitation_as(&link, &juris).await),
            "error-invitation-invalid"
        );
        assert_eq!(
            refused(store.revoke_invitation(&by, ws, invitation.id).await),
            "error-invitation-accepted"
        );
    }
}

fn milano() -> kopa_store::NewWorkspace {
    kopa_store::NewWorkspace {
        slug: "milano".into(),
        municipality: "Milano".into(),
        country: "IT".into(),
        policy_challenge: None,
        is_lead_partner: true,
        default_locale: "en".into(),
        time_zone: "Europe/Rome".into(),
    }
}

#[tokio::test]
async fn a_network_has_one_lead_partner_and_workspaces_have_their_own_short_names() {
    for db in every_backend().await {
        let store = &db.store;
        let kekava = workspace(store).await;
        let system = Actor::system(SystemActor::Setup);
        let other = store
            .create_workspace(&system, kekava.network_id, &milano())
            .await
            .unwrap();
        store
            .set_lead_partner(&system, kekava.network_id, kekava.id)
            .await
            .unwrap();
        let leads: Vec<_> = (store.workspaces().await.unwrap().into_iter())
            .filter(|w| w.is_lead_partner)
            .map(|w| w.slug)
            .collect();
        assert_eq!(leads, ["kekava"], "{}", db.name);
        let elsewhere = store.set_lead_partner(&system, kekava.network_id + 99, other.id).await;
        assert!(matches!(elsewhere, Err(StoreError::NotFound { .. })), "{}", db.name);
        assert!(
            store
                .workspace_by_slug("milano")
                .await
                .unwrap()
                .is_some_and(|w| !w.is_lead_partner)
        );

        let taken = store.create_workspace(&system, kekava.network_id, &milano()).await;
        assert!(matches!(taken, Err(StoreError::Invalid(ref i)) if i.message_for("slug") == Some("error-slug-taken")));
    }
}

#[tokio::test]
async fn a_stored_time_zone_kopa_cannot_read_is_an_error_that_names_it() {
    for db in every_backend().await {
        let store = &db.store;
        workspace(store).await;
        execute_raw(
            &db.url,
            "UPDATE workspaces SET time_zone = 'Europe/Rīga' WHERE slug = 'kekava'",
        )
        .await;
        let read = store.workspace_by_slug("kekava").await;
        match read {
            Err(error @ StoreError::UnreadableValue { .. }) => {
                let said = error.to_string();
                assert!(said.contains("time_zone") && said.contains("Europe/Rīga"), "{said}");
            }
            other => panic!("{}: expected an unreadable time zone, got {other:?}", db.name),
        }
        assert!(store.today_in("Europe/Rīga").is_err());
    }
}
