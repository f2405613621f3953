//! Kopa set up from nothing and administered: the first admin invites people, changes roles,
//! switches accounts off; people reset and change their passwords; site admins manage
//! networks and workspaces.

use axum::http::StatusCode;
use kopa_domain::Role;
use kopa_domain::audit::SystemActor;

use crate::harness::{KEKAVA_SET_UP, PASSWORD, TestApp, every_empty_site, every_workspace};

/// Signs in, answering with the status, for tests that expect a refusal too.
async fn sign_in_with(app: &mut TestApp, email: &str, password: &str) -> StatusCode {
    let signed_in = app
        .post_form("/signin", &[("email", email), ("password", password), ("next", "/")])
        .await;
    signed_in.status
}

#[tokio::test]
async fn from_nothing_the_first_admin_invites_a_coordinator_who_proposes_an_idea() {
    for mut app in every_empty_site().await {
        assert!(
            app.state.app.workspaces().await.unwrap().is_empty(),
            "nothing there yet"
        );
        let done = app.set_up_kekava().await;
        assert!(
            done.site_admin,
            "{}: the first admin also manages the site",
            app.backend()
        );
        assert_eq!(done.workspace.time_zone, "Europe/Riga");

        assert_eq!(
            sign_in_with(&mut app, KEKAVA_SET_UP.admin, KEKAVA_SET_UP.password).await,
            StatusCode::SEE_OTHER
        );
        let invited = app
            .post_form(
                "/w/kekava/accounts/invitations",
                &[("email", "koordinatore@kekava.lv"), ("role", "coordinator")],
            )
            .await;
        assert_eq!(invited.status, StatusCode::OK, "{}: {}", app.backend(), invited.body);
        let (link, to) = app.link_in_outbox(Some("kekava"), "/invitations/").await;
        assert_eq!(to, "koordinatore@kekava.lv");
        assert!(invited.body.contains(&link), "the page shows the same link to pass on");

        app.sign_out_locally();
        let form = app.get(&link).await;
        assert_eq!(form.status, StatusCode::OK);
        assert_eq!(
            form.headers["cache-control"], "no-store",
            "a one-time link's page is kept nowhere"
        );
        let accepted = app
            .post_form(
                &link,
                &[
                    ("display_name", "Līga Koordinatore"),
                    ("password", "koordinatores-parole"),
                ],
            )
            .await;
        assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
        assert_eq!(accepted.location(), Some("/w/kekava"));
        let proposed = app
            .post_form(
                "/w/kekava/ideas",
                &[
                    ("title", "Veloceliņš uz staciju"),
                    ("body", "Droši ar velosipēdu līdz vilcienam."),
                    ("place", "56.8260, 24.2310"),
                ],
            )
            .await;
        assert_eq!(proposed.status, StatusCode::SEE_OTHER, "{}", proposed.body);
        let idea = app.get(proposed.location().unwrap()).await;
        assert!(idea.body.contains("Veloceliņš uz staciju") && idea.body.contains("Līga Koordinatore"));
    }
}

#[tokio::test]
async fn set_up_names_every_faulty_field_and_writes_nothing() {
    for app in every_empty_site().await {
        let mut set_up = bad_set_up();
        set_up.admin_password = "short";
        let refused = app.state.app.set_up(&set_up).await;
        let Err(kopa_app::Refusal::Invalid(invalid)) = refused else {
            panic!("{}: expected the fields named", app.backend());
        };
        let fields: Vec<_> = invalid.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "ends_on",
                "slug",
                "country",
                "time_zone",
                "admin_email",
                "admin_password"
            ],
            "{}",
            app.backend()
        );
        assert!(app.state.app.networks().await.unwrap().is_empty(), "nothing written");
    }
}

fn bad_set_up() -> kopa_app::SetUp<'static> {
    use kopa_domain::workspace::{NetworkInput, WorkspaceInput};
    kopa_app::SetUp {
        network: kopa_app::NetworkChoice::New(NetworkInput {
            name: "Cities4CSR",
            programme: "URBACT",
            lead_expert: "",
            starts_on: "2022-08-31",
            ends_on: "2020-05-01",
        }),
        workspace: WorkspaceInput {
            slug: "Ķekava!",
            municipality: "Ķekavas novads",
            country: "Latvija",
            policy_challenge: "",
            language: "lv",
            time_zone: "Riga",
            is_lead_partner: false,
        },
        admin_email: "admin at kekava",
        admin_name: "Anna",
        admin_password: "",
    }
}

#[tokio::test]
async fn an_admin_changes_roles_and_switches_a_membership_off_and_on() {
    for mut app in every_workspace(&[Role::Admin, Role::Coordinator, Role::Member]).await {
        let ws = app.workspace_id().await;
        let store = app.db.store.clone();
        let member = store.user_by_email(&app.account(Role::Member)).await.unwrap().unwrap();
        let admin = store.user_by_email(&app.account(Role::Admin)).await.unwrap().unwrap();

        // A coordinator may change a member, but not an admin, and not to coordinator.
        app.sign_in_as(Role::Coordinator).await;
        let up = app
            .post_form(
                &format!("/w/town/accounts/{}/role", member.id),
                &[("role", "coordinator")],
            )
            .await;
        assert_eq!(up.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.backend());
        let admin_down = app
            .post_form(&format!("/w/town/accounts/{}/role", admin.id), &[("role", "member")])
            .await;
        assert_eq!(admin_down.status, StatusCode::FORBIDDEN);
        let page = app.get("/w/town/accounts").await.body;
        assert!(page.contains(&format!("/w/town/accounts/{}/role", member.id)));
        assert!(
            !page.contains(&format!("/w/town/accounts/{}/role", admin.id)),
            "no form it cannot use"
        );

        app.sign_in_as(Role::Admin).await;
        let changed = app
            .post_form(&format!("/w/town/accounts/{}/role", member.id), &[("role", "partner")])
            .await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
        assert!(changed.body.contains("Loma nomainīta."));
        assert_eq!(store.role_of(member.id, ws).await.unwrap(), Some(Role::Partner));
        let myself = app
            .post_form(&format!("/w/town/accounts/{}/role", admin.id), &[("role", "member")])
            .await;
        assert_eq!(myself.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(myself.body.contains("Savu lomu mainīt vai sevi izslēgt nevar"));

        // Switched off, the member's session no longer reaches what the role allowed.
        let mut other = app.another_client();
        other.sign_in_as(Role::Member).await;
        assert_eq!(other.get("/w/town/plan").await.status, StatusCode::OK);
        let off = app
            .post_form(&format!("/w/town/accounts/{}/deactivate", member.id), &[])
            .await;
        assert_eq!(off.status, StatusCode::OK, "{}", off.body);
        assert!(off.body.contains("izslēgts"), "the row says so in words");
        assert_eq!(
            other.get("/w/town/plan").await.status,
            StatusCode::FORBIDDEN,
            "{}",
            app.backend()
        );
        let rejoin = other.post_form("/w/town/join", &[]).await;
        assert_ne!(
            rejoin.status,
            StatusCode::SEE_OTHER,
            "joining as a resident does not switch it back on"
        );
        assert_eq!(store.role_of(member.id, ws).await.unwrap(), None);
        let on = app
            .post_form(&format!("/w/town/accounts/{}/reactivate", member.id), &[])
            .await;
        assert_eq!(on.status, StatusCode::OK);
        assert_eq!(store.role_of(member.id, ws).await.unwrap(), Some(Role::Partner));
    }
}

#[tokio::test]
async fn invitations_are_sent_again_or_withdrawn_and_an_existing_account_accepts_with_its_password() {
    for mut app in every_workspace(&[Role::Admin, Role::Member]).await {
        app.sign_in_as(Role::Admin).await;
        app.post_form(
            "/w/town/accounts/invitations",
            &[("email", "juris@town.test"), ("role", "member")],
        )
        .await;
        let (first, _) = app.link_in_outbox(Some("town"), "/invitations/").await;
        let invitation = app.db.store.invitations(app.workspace_id().await).await.unwrap()[0].id;
        let renewed = app
            .post_form(&format!("/w/town/accounts/invitations/{invitation}/renew"), &[])
            .await;
        assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.body);
        let (second, _) = app.link_in_outbox(Some("town"), "/invitations/").await;
        assert_ne!(first, second);
        assert_eq!(
            app.get(&first).await.status,
            StatusCode::CONFLICT,
            "{}: the old link is dead",
            app.backend()
        );
        let revoked = app
            .post_form(&format!("/w/town/accounts/invitations/{invitation}/revoke"), &[])
            .await;
        assert_eq!(revoked.status, StatusCode::OK);
        assert!(revoked.body.contains("atsaukts"));
        assert_eq!(app.get(&second).await.status, StatusCode::CONFLICT);

        // The member, who has an account, is invited as coordinator: the page asks only for
        // its password, and a wrong one is named.
        let member = app.account(Role::Member);
        app.post_form(
            "/w/town/accounts/invitations",
            &[("email", &member), ("role", "coordinator")],
        )
        .await;
        let (link, _) = app.link_in_outbox(Some("town"), "/invitations/").await;
        app.sign_out_locally();
        let form = app.get(&link).await.body;
        assert!(form.contains("Šai adresei jau ir konts") && !form.contains("display_name"));
        let wrong = app.post_form(&link, &[("password", "not the password")]).await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wrong.body.contains("Tā nav šī konta parole."));
        let accepted = app.post_form(&link, &[("password", PASSWORD)]).await;
        assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
        let user = app.db.store.user_by_email(&member).await.unwrap().unwrap();
        let role = app.db.store.role_of(user.id, app.workspace_id().await).await.unwrap();
        assert_eq!(role, Some(Role::Coordinator), "{}", app.backend());
    }
}

#[tokio::test]
async fn a_forgotten_password_is_reset_through_a_one_time_link_from_the_outbox() {
    for mut app in every_workspace(&[Role::Member]).await {
        let member = app.account(Role::Member);
        let mut phone = app.another_client();
        phone.sign_in_as(Role::Member).await;

        let unknown = app
            .post_form("/password/forgot", &[("email", "nobody@town.test")])
            .await;
        let known = app.post_form("/password/forgot", &[("email", &member)]).await;
        assert_eq!((unknown.status, known.status), (StatusCode::OK, StatusCode::OK));
        assert_eq!(
            unknown.body,
            known.body,
            "{}: the answer tells no one who has an account",
            app.backend()
        );
        let (link, to) = app.link_in_outbox(Some("town"), "/password/reset/").await;
        assert_eq!(to, member);

        let short = app.post_form(&link, &[("password", "short")]).await;
        assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
        let reset = app.post_form(&link, &[("password", "a brand new password")]).await;
        assert_eq!(reset.status, StatusCode::SEE_OTHER, "{}", reset.body);
        assert_eq!(reset.location(), Some("/account"));
        assert!(app.get("/account").await.body.contains(&member), "signed in afresh");
        assert_eq!(
            phone.get("/account").await.status,
            StatusCode::SEE_OTHER,
            "the phone's session ended"
        );
        assert_eq!(
            app.post_form(&link, &[("password", "yet another password")])
                .await
                .status,
            StatusCode::CONFLICT
        );

        let mut fresh = app.another_client();
        assert_eq!(
            sign_in_with(&mut fresh, &member, PASSWORD).await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            sign_in_with(&mut fresh, &member, "a brand new password").await,
            StatusCode::SEE_OTHER
        );
    }
}

#[tokio::test]
async fn people_change_their_password_and_sign_out_everywhere_else() {
    for mut app in every_workspace(&[Role::Member]).await {
        let mut laptop = app.another_client();
        laptop.sign_in_as(Role::Member).await;
        app.sign_in_as(Role::Member).await;
        let page = app.get("/account").await.body;
        assert!(
            page.contains("šī") && page.contains("citur"),
            "both sessions are listed"
        );

        let wrong = app
            .post_form(
                "/account/password",
                &[("current_password", "wrong"), ("password", "a brand new password")],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.backend());
        assert!(wrong.body.contains("Tā nav šī konta parole."));
        assert_eq!(laptop.get("/account").await.status, StatusCode::OK, "nothing changed");

        let changed = app
            .post_form(
                "/account/password",
                &[("current_password", PASSWORD), ("password", "a brand new password")],
            )
            .await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
        assert!(changed.body.contains("Parole nomainīta"));
        assert_eq!(
            laptop.get("/account").await.status,
            StatusCode::SEE_OTHER,
            "the laptop was signed out"
        );

        laptop
            .sign_in_with_password(&app.account(Role::Member), "a brand new password")
            .await;
        let ended = app.post_form("/account/sessions/others", &[]).await;
        assert!(ended.body.contains("Beigusies 1 cita sesija."), "{}", ended.body);
        assert_eq!(laptop.get("/account").await.status, StatusCode::SEE_OTHER);
    }
}

#[tokio::test]
async fn a_site_admin_adds_a_network_and_a_workspace_whose_first_admin_is_invited() {
    for mut app in every_empty_site().await {
        app.set_up_kekava().await;
        let coordinator_only = every_workspace_admin_who_is_not_site_admin(&mut app).await;
        assert_eq!(coordinator_only, StatusCode::FORBIDDEN, "{}", app.backend());

        sign_in_with(&mut app, KEKAVA_SET_UP.admin, KEKAVA_SET_UP.password).await;
        let page = app.get("/admin").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Cities4CSR"));
        let network = app.state.app.networks().await.unwrap()[0].0.id;
        let refused = app
            .post_form(
                &format!("/admin/networks/{network}/workspaces"),
                &[
                    ("municipality", "Milano"),
                    ("slug", "kekava"),
                    ("country", "IT"),
                    ("language", "en"),
                    ("time_zone", "Europe/Rome"),
                    ("admin_email", "admin@comune.milano.it"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("Šo īso nosaukumu jau izmanto cita darba vieta."));
        assert!(refused.body.contains("value=\"Milano\""), "what was typed is kept");
        let made = app
            .post_form(
                &format!("/admin/networks/{network}/workspaces"),
                &[
                    ("municipality", "Milano"),
                    ("slug", "milano"),
                    ("country", "IT"),
                    ("language", "en"),
                    ("time_zone", "Europe/Rome"),
                    ("admin_email", "admin@comune.milano.it"),
                ],
            )
            .await;
        assert_eq!(made.status, StatusCode::OK, "{}", made.body);
        let (link, to) = app.link_in_outbox(Some("milano"), "/invitations/").await;
        assert_eq!(to, "admin@comune.milano.it");
        assert!(made.body.contains(&link));

        let milano = app.db.store.workspace_by_slug("milano").await.unwrap().unwrap();
        let lead = app
            .post_form(
                &format!("/admin/networks/{network}/lead-partner"),
                &[("workspace", &milano.id.to_string())],
            )
            .await;
        assert_eq!(lead.status, StatusCode::SEE_OTHER);
        assert!(
            app.db
                .store
                .workspace_by_slug("milano")
                .await
                .unwrap()
                .unwrap()
                .is_lead_partner
        );
        let reader = app
            .post_form(
                &format!("/admin/networks/{network}/readers"),
                &[("email", KEKAVA_SET_UP.admin)],
            )
            .await;
        assert_eq!(reader.status, StatusCode::SEE_OTHER);
        assert_eq!(app.db.store.network_readers(network).await.unwrap().len(), 1);
        let last = app
            .post_form("/admin/site-admins", &[("email", KEKAVA_SET_UP.admin), ("to", "off")])
            .await;
        assert_eq!(last.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(last.body.contains("Vietnei jāpaliek aktīvam vietnes administratoram"));
    }
}

/// A workspace admin who does not manage the site, asking for its page.
async fn every_workspace_admin_who_is_not_site_admin(app: &mut TestApp) -> StatusCode {
    let store = app.db.store.clone();
    let ws = store.workspace_by_slug("kekava").await.unwrap().unwrap();
    let user = store
        .create_user(
            &kopa_store::Actor::system(SystemActor::Setup),
            "otrs@kekava.lv",
            "Otrs",
            PASSWORD,
        )
        .await
        .unwrap();
    store
        .grant_role(
            &kopa_store::Actor::system(SystemActor::Setup),
            user.id,
            ws.id,
            Role::Admin,
        )
        .await
        .unwrap();
    let mut other = app.another_client();
    other.sign_in("otrs@kekava.lv").await;
    other.get("/admin").await.status
}
