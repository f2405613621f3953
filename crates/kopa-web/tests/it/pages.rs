//! What people see and do on the pages.

use axum::http::StatusCode;
use kopa_domain::Role;
use kopa_domain::audit::SystemActor;
use kopa_store::testing::{execute_raw, texts};

use crate::harness::{ADMIN, COORDINATOR, PASSWORD, every_app, every_workspace, png};

#[tokio::test]
async fn the_demo_shows_the_group_in_latvian_then_in_english() {
    for mut app in every_app().await {
        let home = app.get("/w/kekava").await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(home.body.contains("<html lang=\"lv\">"), "{}", app.backend());
        assert!(home.body.contains("velosipēdistiem draudzīgāko novadu"));
        assert!(
            home.body.contains("Pieņemts, vienbalsīgi"),
            "the unanimous decision is on the home page"
        );

        assert!(
            home.body.contains("href=\"/language/en?back=%2Fw%2Fkekava\""),
            "the switch returns to this page"
        );
        let members_only = app.get("/w/kekava/stakeholders").await;
        assert_eq!(
            members_only.location(),
            Some("/signin?next=%2Fw%2Fkekava%2Fstakeholders"),
            "sign-in returns here"
        );
        let switch = app.get("/language/en?back=/w/kekava").await;
        assert_eq!(switch.status, StatusCode::SEE_OTHER);
        assert_eq!(switch.location(), Some("/w/kekava"));
        let english = app.get("/w/kekava").await;
        assert!(english.body.contains("<html lang=\"en\">"));
        assert!(english.body.contains("Adopted, unanimously"));
        assert!(english.body.contains(">Latviski<"), "a visible switch back");
    }
}

/// A council sitting records who was present; it decides only with a quorum, counts no more
/// votes than members present, and names the law each decision is taken under.
/// What people in a Latvian workspace wrote is shown to an English reader as written, marked
/// with its language (for screen readers too), and unmarked for a Latvian one.
#[tokio::test]
async fn text_people_wrote_is_marked_with_its_language_for_a_reader_of_the_other() {
    for mut app in every_app().await {
        let mark =
            r#"<span lang="lv">Uzņēmumu sadarbība darbinieku ceļā uz darbu</span> <abbr class="badge written-in""#;
        let latvian = app.get("/w/kekava/ideas").await.body;
        assert!(latvian.contains("Uzņēmumu sadarbība darbinieku ceļā uz darbu"));
        assert!(!latvian.contains(mark) && !latvian.contains("written-in-notice"));
        app.get("/language/en?back=/").await;
        let english = app.get("/w/kekava/ideas").await.body;
        assert!(english.contains(mark), "{}", app.backend());
        assert!(english.contains("shown as written: in Latvian, marked LV"));
        let map = app.get("/w/kekava/map").await.body;
        assert!(map.contains(r#"<abbr class="badge written-in" title="written in Latvian">LV</abbr>"#));
    }
}

#[tokio::test]
async fn a_council_sitting_decides_only_with_a_quorum_and_names_its_legal_basis() {
    for mut app in every_workspace(&[Role::Coordinator]).await {
        app.sign_in_as(Role::Coordinator).await;
        let sitting = |present: &'static str| {
            [
                ("kind", "council_sitting"),
                ("title", "Domes sēde (piemērs)"),
                ("starts_at", "2030-05-28T10:00"),
                ("ends_at", "2030-05-28T13:00"),
                ("mode", "in_person"),
                ("place", "Ķekavas novada dome"),
                ("published", "on"),
                ("seats", "15"),
                ("present", present),
            ]
        };
        let created = app.post_form("/w/town/meetings", &sitting("7")).await;
        assert_eq!(
            created.status,
            StatusCode::SEE_OTHER,
            "{}: {}",
            app.backend(),
            created.body
        );
        let page = created.location().unwrap().to_owned();
        let shown = app.get(&page).await.body;
        assert!(shown.contains("Domes sēde</dd>"), "the kind is a council sitting");
        assert!(shown.contains("klāt 7 no 15 locekļiem"), "{shown}");
        assert!(shown.contains("kvoruma nav: vajag vismaz 8"));

        let decide = |votes_for: &'static str, basis: &'static str| {
            [
                ("text", "Iznomāt zemes gabalu mobilitātes punktam (piemērs)"),
                ("votes_for", votes_for),
                ("votes_against", "0"),
                ("votes_abstain", "0"),
                ("legal_reference", basis),
            ]
        };
        let basis = "Publiskas personas finanšu līdzekļu un mantas izšķērdēšanas novēršanas likuma 6.¹ pants";
        let refused = app.post_form(&format!("{page}/decisions"), &decide("7", basis)).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
        assert!(refused.body.contains("kvoruma nav un lemt nevar"), "{}", refused.body);
        assert!(
            refused.body.contains("Iznomāt zemes gabalu mobilitātes punktam"),
            "the text is kept"
        );

        let edited = app.post_form(&format!("{page}/edit"), &sitting("12")).await;
        assert_eq!(edited.status, StatusCode::SEE_OTHER, "{}", edited.body);
        let unfounded = app.post_form(&format!("{page}/decisions"), &decide("10", "")).await;
        assert_eq!(unfounded.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(unfounded.body.contains("norāda likumu un pantu"), "{}", unfounded.body);
        let too_many = app.post_form(&format!("{page}/decisions"), &decide("13", basis)).await;
        assert_eq!(too_many.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            too_many.body.contains("Balsu ir vairāk nekā klātesošo"),
            "{}",
            too_many.body
        );

        let taken = app.post_form(&format!("{page}/decisions"), &decide("10", basis)).await;
        assert_eq!(taken.status, StatusCode::SEE_OTHER, "{}", taken.body);
        let shown = app.get(&page).await.body;
        assert!(shown.contains("kvorums ir (vajag vismaz 8)"));
        assert!(shown.contains(&format!("Tiesiskais pamats: {basis}")), "{shown}");
    }
}

#[tokio::test]
async fn a_coordinator_creates_a_meeting_with_an_agenda_and_a_decision() {
    for mut app in every_workspace(&[Role::Coordinator]).await {
        app.sign_in_as(Role::Coordinator).await;
        let created = app
            .post_form(
                "/w/town/meetings",
                &[
                    ("kind", "group"),
                    ("title", "Velo darba grupa"),
                    ("starts_at", "2030-05-04T17:00"),
                    ("ends_at", "2030-05-04T19:00"),
                    ("mode", "hybrid"),
                    ("link", "https://meet.example/velo"),
                    ("place", "Ķekava"),
                    ("published", "on"),
                ],
            )
            .await;
        assert_eq!(
            created.status,
            StatusCode::SEE_OTHER,
            "{}: {}",
            app.backend(),
            created.body
        );
        let page = created.location().unwrap().to_owned();
        let opening = app
            .post_form(&format!("{page}/agenda"), &[("title", "Maršruti uz skolām")])
            .await;
        assert_eq!(opening.status, StatusCode::SEE_OTHER);
        let agenda = app
            .db
            .store
            .agenda(page.rsplit('/').next().unwrap().parse().unwrap())
            .await
            .unwrap();
        let parent = agenda[0].id.to_string();
        app.post_form(
            &format!("{page}/agenda"),
            &[("title", "Baloži"), ("parent_id", &parent)],
        )
        .await;
        let decided = app
            .post_form(
                &format!("{page}/decisions"),
                &[
                    ("text", "Izstrādāt maršrutu karti"),
                    ("votes_for", "7"),
                    ("votes_against", "2"),
                    ("votes_abstain", "1"),
                ],
            )
            .await;
        assert_eq!(decided.status, StatusCode::SEE_OTHER);
        let shown = app.get(&page).await.body;
        assert!(
            shown.contains("<span class=\"number\">1.1</span> Baloži"),
            "{}",
            app.backend()
        );
        assert!(shown.contains("Pieņemts"));
        assert!(!shown.contains("vienbalsīgi"), "7–2–1 is not unanimous");
        assert!(shown.contains("Par: 7 · Pret: 2 · Atturas: 1"));
    }
}

#[tokio::test]
async fn a_refused_form_keeps_the_input_and_names_the_field_in_the_page_language() {
    for mut app in every_workspace(&[Role::Coordinator]).await {
        app.sign_in_as(Role::Coordinator).await;
        let fields = [
            ("kind", "group"),
            ("title", "Sanāksme ar <b>treknrakstu</b>"),
            ("starts_at", "2030-05-04T17:00"),
            ("ends_at", "2030-05-04T16:00"),
            ("mode", "in_person"),
            ("place", "Ķekava"),
        ];
        let refused = app.post_form("/w/town/meetings", &fields).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.backend());
        assert!(
            refused.body.contains("Beigām jābūt pēc sākuma."),
            "the message is in Latvian"
        );
        assert!(
            refused
                .body
                .contains("value=\"Sanāksme ar &#60;b&#62;treknrakstu&#60;/b&#62;\""),
            "input kept, and inert: {}",
            refused.body
        );
        assert!(refused.body.contains("aria-describedby=\"e-ends_at\""));

        app.set_language("en");
        let english = app.post_form("/w/town/meetings", &fields).await;
        assert!(english.body.contains("The end must be after the start."));
        assert_eq!(
            app.db
                .store
                .meetings(app.workspace_id().await, true)
                .await
                .unwrap()
                .len(),
            0,
            "nothing was saved"
        );
    }
}

#[tokio::test]
async fn registration_fills_seats_then_the_waiting_list() {
    for mut app in every_workspace(&[]).await {
        let meeting = app.meeting_open_for_registration("3").await;
        let path = format!("/w/town/meetings/{}/registrations", meeting.id);
        for n in 0..meeting.capacity.unwrap() {
            let email = format!("p{n}@example.lv");
            let response = app.post_form(&path, &[("name", "Dalībnieks"), ("email", &email)]).await;
            assert!(
                response.location().unwrap().contains("registered=confirmed"),
                "{}",
                app.backend()
            );
        }
        let late = app
            .post_form(&path, &[("name", "Vēlais"), ("email", "late@example.lv")])
            .await;
        assert!(late.location().unwrap().contains("registered=waiting"));
        let page = app.get(late.location().unwrap()).await;
        assert!(page.body.contains("gaidīšanas sarakstā"));

        let twice = app
            .post_form(&path, &[("name", "Vēlais"), ("email", "late@example.lv")])
            .await;
        assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(twice.body.contains("Šis e-pasts jau ir pieteikts šai sanāksmei."));
    }
}

#[tokio::test]
async fn calendar_files_hold_the_meetings_in_utc() {
    for mut app in every_app().await {
        let ws = app.workspace_id().await;
        let vision = app
            .db
            .store
            .meetings(ws, false)
            .await
            .unwrap()
            .into_iter()
            .find(|m| m.decisions > 0 && m.meeting.starts_at.date().to_string() == "2020-11-10")
            .unwrap()
            .meeting;
        let file = app.get(&format!("/w/kekava/meetings/{}/calendar.ics", vision.id)).await;
        assert_eq!(
            file.headers.get("content-type").unwrap(),
            "text/calendar; charset=utf-8"
        );
        assert!(file.body.contains("BEGIN:VEVENT"));
        // 14:00 in Rīga on 10 Nov 2020 (EET, UTC+2) is 12:00 UTC.
        assert!(file.body.contains("DTSTART:20201110T120000Z"), "{}", file.body);
        let feed = app.get("/w/kekava/calendar.ics").await;
        assert_eq!(feed.body.matches("BEGIN:VEVENT").count(), 8, "{}", app.backend());

        // A meeting's event carries its agenda, its online link and a link back to its page.
        let meeting = app
            .db
            .store
            .meetings(ws, false)
            .await
            .unwrap()
            .into_iter()
            .find(|m| m.meeting.link.is_some())
            .expect("a demo meeting online")
            .meeting;
        let system = kopa_store::Actor::system(SystemActor::Setup);
        let item = |title: &str, parent_id: String| kopa_domain::meeting::AgendaItemInput {
            title: title.into(),
            parent_id,
            presenter: "Anna".into(),
            duration_minutes: "20".into(),
        };
        let top = app
            .db
            .store
            .add_agenda_item(
                &system,
                ws,
                meeting.id,
                &item("Velojoslas", String::new()).validate().unwrap(),
            )
            .await
            .unwrap();
        let under = item("Rīgas iela", top.id.to_string()).validate().unwrap();
        app.db
            .store
            .add_agenda_item(&system, ws, meeting.id, &under)
            .await
            .unwrap();
        let file = app
            .get(&format!("/w/kekava/meetings/{}/calendar.ics", meeting.id))
            .await;
        let Some(read) = read_calendar(&file.bytes) else { return };
        let [_, _, _, description, url] = &read[1];
        assert!(description.contains("Darba kārtība:"), "{description}");
        assert!(
            description.contains("1. Velojoslas (Anna, 20 min)\n   – Rīgas iela (Anna, 20 min)"),
            "{description}"
        );
        assert!(
            description.contains(&format!("Tiešsaistes saite: {}", meeting.link.as_deref().unwrap())),
            "{description}"
        );
        assert!(url.ends_with(&format!("/w/kekava/meetings/{}", meeting.id)), "{url}");
        assert!(description.ends_with(url.as_str()), "{description}");
    }
}

#[tokio::test]
async fn the_stakeholder_matrix_is_a_picture_with_a_table() {
    for mut app in every_app().await {
        app.sign_in(COORDINATOR).await;
        let page = app.get("/w/kekava/stakeholders").await.body;
        assert!(page.contains("<svg") && page.contains("role=\"img\""));
        assert!(page.contains("<title id=\"matrix-title\">"));
        assert_eq!(page.matches("<circle").count(), 8, "{}", app.backend());
        for quadrant in ["Cieša sadarbība", "Uzturēt apmierinātību", "Informēt", "Vērot"] {
            assert!(page.contains(quadrant), "the quadrant {quadrant} is named in text");
        }
        let refused = app
            .post_form(
                "/w/kekava/stakeholders",
                &[("organisation_id", "1"), ("power", "7"), ("interest", "2")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("Skaitlis ir ārpus atļautajām robežām."));
    }
}

#[tokio::test]
async fn an_invitation_link_makes_an_account_once() {
    for mut app in every_workspace(&[Role::Coordinator]).await {
        app.sign_in_as(Role::Coordinator).await;
        let page = app
            .post_form(
                "/w/town/accounts/invitations",
                &[("email", "jauna@example.lv"), ("role", "member")],
            )
            .await;
        let start = page
            .body
            .find("http://kopa.test/invitations/")
            .expect("the link is shown")
            + "http://kopa.test".len();
        let link = page.body[start..start + "/invitations/".len() + 64].to_owned();
        app.sign_out_locally();

        let short = app
            .post_form(&link, &[("display_name", "Jauna"), ("password", "short")])
            .await;
        assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(short.body.contains("Izmantojiet vismaz 10 rakstzīmes."));
        let accepted = app
            .post_form(
                &link,
                &[("display_name", "Jauna Biedre"), ("password", "garā parole 2030")],
            )
            .await;
        assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", app.backend());
        let home = app.get("/w/town").await.body;
        assert!(
            home.contains("Jauna Biedre · Grupas dalībnieks"),
            "signed in with the invited role"
        );
        app.sign_out_locally();
        let again = app.get(&link).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "the link works once");
    }
}

#[tokio::test]
async fn sign_in_is_rate_limited() {
    for mut app in every_workspace(&[Role::Coordinator]).await {
        for _ in 0..10 {
            let wrong = app
                .post_form(
                    "/signin",
                    &[
                        ("email", &app.account(Role::Coordinator)),
                        ("password", "not the password"),
                    ],
                )
                .await;
            assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(wrong.body.contains("E-pasts vai parole nav pareiza."));
        }
        let locked = app
            .post_form(
                "/signin",
                &[
                    ("email", &app.account(Role::Coordinator)),
                    ("password", kopa_demo::DEMO_PASSWORD),
                ],
            )
            .await;
        assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS, "{}", app.backend());
        assert!(locked.headers.get("retry-after").is_some());
        assert!(locked.body.contains("Pārāk daudz neveiksmīgu"));
    }
}

#[tokio::test]
async fn coordinators_read_the_audit_log_and_can_check_the_chain() {
    for mut app in every_workspace(&[Role::Coordinator]).await {
        app.sign_in_as(Role::Coordinator).await;
        let log = app.get("/w/town/audit?verify=1").await;
        assert_eq!(log.status, StatusCode::OK);
        assert!(log.body.contains("Ķēde ir vesela."), "{}", app.backend());
        let head = app.db.store.verify_audit_chain().await.unwrap().head.unwrap();
        assert!(
            log.body.contains(&format!("<code>{head}</code>")),
            "the head to note down"
        );
        assert!(log.body.contains("Kopa: iestatīšana"), "who set the workspace up");
    }
}

#[tokio::test]
async fn a_coordinator_ends_a_membership_but_not_before_it_began() {
    for mut app in every_app().await {
        app.sign_in(COORDINATOR).await;
        let ws = app.workspace_id().await;
        let member = app.db.store.members(ws).await.unwrap().remove(0);
        let path = format!("/w/kekava/group/memberships/{}/end", member.membership_id);
        let early = app.post_form(&path, &[("until_date", "2019-01-01")]).await;
        assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.backend());
        assert!(early.body.contains("Dalība nevar beigties pirms tās sākuma."));
        let ended = app.post_form(&path, &[("until_date", "2020-12-31")]).await;
        assert_eq!(ended.status, StatusCode::SEE_OTHER);
        let page = app.get("/w/kekava/group").await.body;
        assert!(page.contains("31.12.2020."), "the end date is shown");
        assert!(page.contains("bijušais"), "and the membership is past");
    }
}

#[tokio::test]
async fn a_resident_proposes_an_idea_others_support_and_discuss_it_and_a_coordinator_moderates() {
    for mut app in every_workspace(&[Role::Coordinator, Role::Member, Role::Public]).await {
        app.sign_in_as(Role::Public).await;
        let refused = app
            .post_form(
                "/w/town/ideas",
                &[
                    ("title", "Pāreja pie skolas"),
                    ("body", "Droša pāreja."),
                    ("place", "pie skolas"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.backend());
        assert!(refused.body.contains("Ierakstiet vietu kā platumu, garumu"));
        assert!(
            refused.body.contains("value=\"Pāreja pie skolas\""),
            "what was typed is kept"
        );

        let created = app
            .post_form(
                "/w/town/ideas",
                &[
                    ("title", "Pāreja pie skolas"),
                    ("body", "Bērniem vajag drošu pāreju pār Rīgas ielu."),
                    ("place", "56.8260, 24.2310"),
                ],
            )
            .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let page = created.location().unwrap().to_owned();
        let idea = app.get(&page).await;
        assert!(idea.body.contains("Pāreja pie skolas"));
        assert!(idea.body.contains("56.82600, 24.23100"), "the place, readable");

        for _ in 0..2 {
            let supported = app.post_form(&format!("{page}/support"), &[("support", "yes")]).await;
            assert_eq!(supported.status, StatusCode::SEE_OTHER);
        }
        let idea = app.get(&page).await;
        assert!(
            idea.body.contains("1 atbalstītājs"),
            "supported once, however often asked"
        );
        assert!(idea.body.contains("Atsaukt savu atbalstu"));

        app.sign_out_locally();
        app.sign_in_as(Role::Member).await;
        app.post_form(&format!("{page}/support"), &[("support", "yes")]).await;
        let first = app
            .post_form(&format!("{page}/comments"), &[("body", "Kurā vietā tieši?")])
            .await;
        assert_eq!(first.status, StatusCode::SEE_OTHER);
        let ws = app.workspace_id().await;
        let id: i64 = page.rsplit('/').next().unwrap().parse().unwrap();
        let comment = app.db.store.idea_comments(id).await.unwrap()[0].id;
        app.post_form(
            &format!("{page}/comments"),
            &[("body", "Pie veikala."), ("parent_id", &comment.to_string())],
        )
        .await;
        let idea = app.get(&page).await;
        assert!(idea.body.contains("2 atbalstītāji"));
        assert!(idea.body.contains("2 komentāri"));
        assert!(
            idea.body.contains(&format!("href=\"#comment-{comment}\"")),
            "the reply points to its comment"
        );
        assert_eq!(app.db.store.idea(ws, id).await.unwrap().unwrap().supporters, 2);

        app.sign_out_locally();
        app.sign_in_as(Role::Coordinator).await;
        let hidden = app
            .post_form(
                &format!("{page}/moderation"),
                &[("action", "hide"), ("reason", "Dublē citu ideju")],
            )
            .await;
        assert_eq!(hidden.status, StatusCode::SEE_OTHER);
        app.sign_out_locally();
        let public = app.get(&page).await;
        assert!(public.body.contains("Paslēpta ideja"));
        assert!(public.body.contains("Dublē citu ideju"), "the reason is public");
        assert!(!public.body.contains("Bērniem vajag"), "the text is not");
        assert!(
            !public.body.contains("Pāreja pie skolas"),
            "nor its title, in the page or its <title>"
        );
        let list = app.get("/w/town/ideas").await;
        assert!(
            !list.body.contains("Pāreja pie skolas"),
            "hidden ideas leave the public list"
        );
    }
}

#[tokio::test]
async fn a_coordinator_turns_an_idea_into_an_initiative_and_its_timeline_shows_each_step() {
    use crate::harness::RESIDENT;
    for mut app in every_app().await {
        app.sign_in(RESIDENT).await;
        let created = app
            .post_form(
                "/w/kekava/ideas",
                &[
                    ("title", "Velonovietne pie stacijas"),
                    ("body", "Droša velonovietne pie Ķekavas stacijas."),
                    ("place", "56.8263, 24.2295"),
                ],
            )
            .await;
        let idea_page = created.location().unwrap().to_owned();
        let not_allowed = app
            .post_form(
                &format!("{idea_page}/initiative"),
                &[("cooperation_type", "mobility_point")],
            )
            .await;
        assert_eq!(not_allowed.status, StatusCode::FORBIDDEN, "{}", app.backend());
        // The refusal is a page of the workspace, for the resident still signed in.
        assert!(
            not_allowed.body.contains(r#"href="/w/kekava/ideas""#),
            "{}",
            not_allowed.body
        );
        assert!(!not_allowed.body.contains(r#"href="/signin"#), "{}", not_allowed.body);
        assert!(not_allowed.body.contains("Atpakaļ uz pārskatu"));
        let idea = app.get(&idea_page).await;
        assert!(idea.body.contains("punkts, 56.82630, 24.22950"), "the place in words");

        app.sign_out_locally();
        app.sign_in(COORDINATOR).await;
        let idea = app.get(&idea_page).await;
        assert!(
            idea.body.contains("Mobilitātes punkti un „novieto un brauc”"),
            "the types are offered"
        );
        let made = app
            .post_form(
                &format!("{idea_page}/initiative"),
                &[("cooperation_type", "mobility_point")],
            )
            .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let initiative_page = made.location().unwrap().to_owned();
        let skipped = app
            .post_form(
                &format!("{initiative_page}/steps"),
                &[("to", "approved"), ("reason", "Uzreiz")],
            )
            .await;
        assert_eq!(skipped.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            skipped
                .body
                .contains("Iniciatīva virzās vienu soli uz priekšu vai vienu soli atpakaļ.")
        );
        let moved = app
            .post_form(
                &format!("{initiative_page}/steps"),
                &[("to", "assessed"), ("reason", "Vieta pārbaudīta dabā")],
            )
            .await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER);
        let for_coordinators = app.get(&initiative_page).await;
        assert!(
            for_coordinators.body.contains(COORDINATOR),
            "coordinators see who moved it"
        );

        app.sign_out_locally();
        let public = app.get(&initiative_page).await;
        assert!(public.body.contains("Velonovietne pie stacijas"));
        assert!(
            public.body.contains("Izveidota no iesniegtas idejas."),
            "the first step says where it came from"
        );
        assert!(public.body.contains("Vieta pārbaudīta dabā"), "and each step why");
        assert!(
            !public.body.contains(COORDINATOR),
            "who did it is personal data, kept from the public"
        );
        assert!(
            public.body.contains(&format!("href=\"{idea_page}\"")),
            "it links back to its idea"
        );
        let list = app.get("/w/kekava/initiatives").await;
        assert!(list.body.contains("izvērtēta"));

        // The idea shows what it became, and moves as its initiative does.
        let idea = app.get(&idea_page).await.body;
        assert!(idea.contains("Šī ideja kļuva par iniciatīvu"), "{idea}");
        assert!(
            idea.contains(&format!(
                r#"href="{initiative_page}">Velonovietne pie stacijas</a> (izvērtēta)"#
            )),
            "{idea}"
        );
        assert!(idea.contains("iniciatīva: izvērtēta"), "its status is the initiative's");
        let ideas = app.get("/w/kekava/ideas").await.body;
        assert!(ideas.contains("iniciatīva: izvērtēta"), "in the list too");
        app.sign_in(COORDINATOR).await;
        assert!(
            !app.get(&idea_page).await.body.contains("/initiative\""),
            "no second initiative offered"
        );
        let again = app
            .post_form(
                &format!("{idea_page}/initiative"),
                &[("cooperation_type", "mobility_point")],
            )
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        assert!(
            again.body.contains("Šī ideja jau ir kļuvusi par iniciatīvu"),
            "{}",
            again.body
        );
    }
}

#[tokio::test]
async fn a_resident_signs_up_with_consent_and_robots_and_floods_are_held_back() {
    for mut app in every_workspace(&[]).await {
        let form = app.get("/w/town/signup?next=/w/town/map").await;
        assert_eq!(form.status, StatusCode::OK, "{}", app.backend());
        assert!(form.body.contains("Reģistrēties kā iedzīvotājs"));

        let unsure = app
            .post_form(
                "/w/town/signup",
                &[("display_name", "Ilze"), ("email", "ilze@"), ("password", "īss")],
            )
            .await;
        assert_eq!(unsure.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(unsure.body.contains("id=\"e-email\""), "the e-mail is named");
        assert!(unsure.body.contains("vajag jūsu piekrišanu"), "and the missing consent");
        assert!(unsure.body.contains("value=\"Ilze\""), "the name is kept");
        assert!(!unsure.body.contains("value=\"īss\""), "the password is not echoed");

        let robot = app
            .post_form(
                "/w/town/signup",
                &[
                    ("display_name", "Bot"),
                    ("email", "bot@example.com"),
                    ("password", "a long enough password"),
                    ("consent", "on"),
                    ("website", "http://spam.example"),
                ],
            )
            .await;
        assert_eq!(robot.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(robot.body.contains("automātiski"));
        assert!(app.db.store.user_by_email("bot@example.com").await.unwrap().is_none());

        let fields = |email: &str| -> Vec<(&'static str, String)> {
            vec![
                ("display_name", "Ilze Iedzīvotāja".into()),
                ("email", email.into()),
                ("password", "a long enough password".into()),
                ("consent", "on".into()),
                ("next", "/w/town/map".into()),
            ]
        };
        let joined = app.post_owned("/w/town/signup", &fields("ilze@example.lv")).await;
        assert_eq!(joined.status, StatusCode::SEE_OTHER, "{}", joined.body);
        assert_eq!(joined.location(), Some("/w/town/map"));
        let ws = app.workspace_id().await;
        let ilze = app.db.store.user_by_email("ilze@example.lv").await.unwrap().unwrap();
        assert_eq!(app.db.store.role_of(ilze.id, ws).await.unwrap(), Some(Role::Public));

        // Signed in now: she may propose, five ideas an hour, and the sixth keeps its text.
        for n in 0..5 {
            let title = format!("Ideja {n}");
            let created = app
                .post_form("/w/town/ideas", &[("title", &title), ("body", "Teksts.")])
                .await;
            assert_eq!(created.status, StatusCode::SEE_OTHER, "{n}: {}", created.body);
        }
        let sixth = app
            .post_form("/w/town/ideas", &[("title", "Sestā ideja"), ("body", "Teksts.")])
            .await;
        assert_eq!(sixth.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(sixth.body.contains("Pārāk daudz īsā laikā"));
        assert!(sixth.body.contains("value=\"Sestā ideja\""));

        app.sign_out_locally();
        let taken = app.post_owned("/w/town/signup", &fields("ilze@example.lv")).await;
        assert!(taken.body.contains("Konts ar šo e-pastu jau ir"), "{}", taken.body);
        assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
        // Five accounts an hour from one address.
        for n in 0..4 {
            let ok = app
                .post_owned("/w/town/signup", &fields(&format!("flood{n}@example.lv")))
                .await;
            assert_eq!(ok.status, StatusCode::SEE_OTHER, "{n}");
            app.sign_out_locally();
        }
        let flood = app.post_owned("/w/town/signup", &fields("flood9@example.lv")).await;
        assert_eq!(flood.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(flood.headers.contains_key("retry-after"));
        assert!(flood.body.contains("Pārāk daudz īsā laikā"));
    }
}

#[tokio::test]
async fn someone_with_an_account_joins_another_municipality_as_a_resident() {
    use crate::harness::MEMBER;
    for mut app in every_app().await {
        app.sign_in(MEMBER).await;
        let page = app.get("/w/milano/signup").await;
        assert!(page.body.contains("Pievienoties kā iedzīvotājs") || page.body.contains("Join as a resident"));
        let joined = app.post_form("/w/milano/join", &[("next", "")]).await;
        assert_eq!(joined.status, StatusCode::SEE_OTHER, "{}", app.backend());
        assert_eq!(joined.location(), Some("/w/milano/ideas"));
        let milano = app.db.store.workspace_by_slug("milano").await.unwrap().unwrap().id;
        let member = app.db.store.user_by_email(MEMBER).await.unwrap().unwrap();
        assert_eq!(
            app.db.store.role_of(member.id, milano).await.unwrap(),
            Some(Role::Public)
        );
    }
}

#[tokio::test]
async fn a_step_cites_its_decision_and_an_initiative_links_meetings_and_organisations() {
    for mut app in every_app().await {
        let ws = app.workspace_id().await;
        let store = app.db.store.clone();
        let initiative = store
            .initiatives(ws)
            .await
            .unwrap()
            .into_iter()
            .find(|i| i.cooperation_type == "information_campaign")
            .unwrap()
            .id;
        let decision = store.workspace_decisions(ws, false, 10).await.unwrap()[0]
            .decision
            .clone();
        let organisation = store.organisations(ws).await.unwrap()[0].clone();
        let page = format!("/w/kekava/initiatives/{initiative}");
        app.sign_in(COORDINATOR).await;

        let wrong = app
            .post_form(
                &format!("{page}/steps"),
                &[("to", "assessed"), ("reason", "Izvērtēts"), ("decision", "999999")],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.backend());
        assert!(wrong.body.contains("id=\"e-step-decision\""));
        let unchanged = store.initiative(ws, initiative).await.unwrap().unwrap();
        assert_eq!(unchanged.status.to_string(), "idea", "a wrong decision changes nothing");

        let moved = app
            .post_form(
                &format!("{page}/steps"),
                &[
                    ("to", "assessed"),
                    ("reason", "Izvērtēts"),
                    ("decision", &decision.id.to_string()),
                ],
            )
            .await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);

        let bad_link = app
            .post_form(&format!("{page}/links"), &[("target", "meeting:abc")])
            .await;
        assert_eq!(bad_link.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad_link.body.contains("id=\"e-link-target\""));
        let linked = app
            .post_form(
                &format!("{page}/links"),
                &[("target", &format!("organisation:{}", organisation.id))],
            )
            .await;
        assert_eq!(linked.status, StatusCode::SEE_OTHER);

        app.sign_out_locally();
        let public = app.get(&page).await;
        assert!(public.body.contains(&decision.text), "the decision is shown");
        assert!(public.body.contains(&organisation.name), "and who takes part");
        assert!(
            public.body.contains("Pašvaldības un uzņēmēju sadarbība Zaļajā kursā"),
            "and the public discussion where it was presented"
        );
    }
}

#[tokio::test]
async fn a_coordinator_plans_an_initiative_in_parts_with_milestones() {
    for mut app in every_app().await {
        let ws = app.workspace_id().await;
        let store = app.db.store.clone();
        let parent = store
            .initiatives(ws)
            .await
            .unwrap()
            .into_iter()
            .find(|i| i.cooperation_type == "recreation_place")
            .unwrap()
            .id;
        app.sign_in(COORDINATOR).await;
        let refused = app
            .post_form(
                "/w/kekava/initiatives",
                &[("title", ""), ("cooperation_type", "bridges"), ("progress", "200")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.backend());
        for field in ["title", "cooperation_type", "progress", "reason"] {
            assert!(
                refused.body.contains(&format!("id=\"e-new-{field}\"")),
                "{field} is named"
            );
        }

        let unnamed = app.post_form("/w/kekava/cooperation-types", &[("name", " ")]).await;
        assert_eq!(unnamed.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(unnamed.body.contains("id=\"e-type-name\""));
        let typed = app
            .post_form(
                "/w/kekava/cooperation-types",
                &[("name", "Velosipēdu remonta darbnīcas")],
            )
            .await;
        assert_eq!(typed.status, StatusCode::SEE_OTHER);
        let again = app
            .post_form(
                "/w/kekava/cooperation-types",
                &[("name", "Velosipēdu remonta darbnīcas")],
            )
            .await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "a name once");
        assert!(
            app.get("/w/kekava/initiatives")
                .await
                .body
                .contains("<option value=\"custom_velosipedu_remonta_darbnicas\""),
            "and it is one to choose"
        );
        let created = app
            .post_form(
                "/w/kekava/initiatives",
                &[
                    ("title", "Atpūtas vieta pie Daugavas"),
                    ("cooperation_type", "recreation_place"),
                    ("parent_id", &parent.to_string()),
                    ("weight", "2"),
                    ("reason", "Uzņēmums piedāvāja uzturēt"),
                ],
            )
            .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let page = created.location().unwrap().to_owned();
        for title in ["Zeme nomā", "Soliņi uzstādīti"] {
            let added = app
                .post_form(
                    &format!("{page}/milestones"),
                    &[("title", title), ("due_on", "2021-06-01")],
                )
                .await;
            assert_eq!(added.status, StatusCode::SEE_OTHER);
        }
        let bad_day = app
            .post_form(&format!("{page}/milestones"), &[("title", "X"), ("due_on", "rīt")])
            .await;
        assert_eq!(bad_day.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad_day.body.contains("id=\"e-milestone-due_on\""));

        let id: i64 = page.rsplit('/').next().unwrap().parse().unwrap();
        let first = store.milestones(id).await.unwrap()[0].id;
        let done = app
            .post_form(&format!("{page}/milestones/{first}"), &[("done", "yes")])
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        let shown = app.get(&page).await;
        assert!(shown.body.contains("50%"), "one of two milestones done");
        let list = app.get("/w/kekava/initiatives").await;
        assert!(list.body.contains("50%"), "and the parent rolls it up");

        let looped = app
            .post_form(
                &format!("/w/kekava/initiatives/{parent}/edit"),
                &[
                    ("title", "Pašvaldības zeme atpūtas vietām"),
                    ("cooperation_type", "recreation_place"),
                    ("parent_id", &id.to_string()),
                ],
            )
            .await;
        assert_eq!(looped.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(looped.body.contains("nevar būt daļa no pašas sevis"));
        let renamed = app
            .post_form(
                &format!("{page}/edit"),
                &[
                    ("title", "Atpūtas vieta Daugmalē"),
                    ("cooperation_type", "recreation_place"),
                    ("parent_id", &parent.to_string()),
                    ("weight", "2"),
                    ("progress", "0"),
                ],
            )
            .await;
        assert_eq!(renamed.status, StatusCode::SEE_OTHER, "{}", renamed.body);
        let after = store.initiative(ws, id).await.unwrap().unwrap();
        assert_eq!(after.title, "Atpūtas vieta Daugmalē");
        assert_eq!(after.progress, 50, "milestones, not the typed number, set progress");
    }
}

/// A small PNG, as a phone's photo would be after a crop.
#[tokio::test]
async fn an_author_adds_photos_within_limits_and_what_is_not_a_photo_is_named() {
    for mut app in every_workspace(&[Role::Coordinator, Role::Member, Role::Public]).await {
        app.sign_in_as(Role::Public).await;
        let created = app
            .post_form("/w/town/ideas", &[("title", "Soliņi"), ("body", "Pie upes.")])
            .await;
        let page = created.location().unwrap().to_owned();
        let upload = format!("{page}/photos");

        let no_token = app
            .post_upload(&upload, &[], &[("photos", "a.png", png(20, 20))], false)
            .await;
        assert_eq!(no_token.status, StatusCode::FORBIDDEN, "{}", app.backend());

        let text = app
            .post_upload(
                &upload,
                &[("description", "Upe")],
                &[("photos", "upe.png", b"not a photo at all".to_vec())],
                true,
            )
            .await;
        assert_eq!(text.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(text.body.contains("Der tikai JPEG, PNG vai WebP"));
        assert!(text.body.contains("value=\"Upe\""), "the description is kept");
        let mut huge = vec![0xFF, 0xD8, 0xFF, 0xE0];
        huge.resize(5 * 1024 * 1024 + 1, 7);
        let oversized = app
            .post_upload(&upload, &[], &[("photos", "big.jpg", huge)], true)
            .await;
        assert_eq!(oversized.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(oversized.body.contains("lielāks par 5 MB"));
        let nothing = app.post_upload(&upload, &[], &[("photos", "", Vec::new())], true).await;
        assert!(nothing.body.contains("Izvēlieties fotoattēlu"));
        let id: i64 = page.rsplit('/').next().unwrap().parse().unwrap();
        assert!(app.db.store.idea_photos(id).await.unwrap().is_empty(), "nothing kept");

        let added = app
            .post_upload(
                &upload,
                &[("description", "Krasts pie tilta")],
                &[("photos", "a.png", png(2000, 1000)), ("photos", "b.png", png(30, 40))],
                true,
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let photos = app.db.store.idea_photos(id).await.unwrap();
        assert_eq!(photos.len(), 2);
        assert_eq!((photos[0].width, photos[0].height), (1600, 800), "made smaller");
        let shown = app.get(&page).await;
        assert!(shown.body.contains("alt=\"Krasts pie tilta\""));
        let thumbnail = app.get(&format!("{page}/photos/{}/thumbnail", photos[0].id)).await;
        assert_eq!(thumbnail.headers["content-type"], "image/jpeg");
        let too_many = app
            .post_upload(
                &upload,
                &[],
                &[("photos", "c.png", png(20, 20)), ("photos", "d.png", png(20, 20))],
                true,
            )
            .await;
        assert!(too_many.body.contains("ne vairāk kā 3"));

        app.sign_out_locally();
        app.sign_in_as(Role::Member).await;
        let stranger = app
            .post_upload(&upload, &[], &[("photos", "e.png", png(20, 20))], true)
            .await;
        assert_eq!(stranger.status, StatusCode::FORBIDDEN, "only the author or a moderator");

        app.sign_out_locally();
        app.sign_in_as(Role::Coordinator).await;
        app.post_form(
            &format!("{page}/moderation"),
            &[("action", "hide"), ("reason", "Pārbaude")],
        )
        .await;
        app.sign_out_locally();
        let hidden = app.get(&format!("{page}/photos/{}", photos[0].id)).await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND, "hidden with the idea");
    }
}

#[tokio::test]
async fn followers_hear_what_happens_in_the_app_by_mail_or_in_a_daily_digest() {
    for mut app in every_workspace(&[Role::Admin, Role::Coordinator, Role::Member, Role::Public]).await {
        let ws = app.workspace_id().await;
        let store = app.db.store.clone();
        app.sign_in_as(Role::Public).await;
        let created = app
            .post_form(
                "/w/town/ideas",
                &[("title", "Velojosla uz stacijas"), ("body", "Droši līdz vilcienam.")],
            )
            .await;
        let page = created.location().unwrap().to_owned();
        assert!(
            app.get(&page).await.body.contains("Pārtraukt sekot"),
            "authors follow their ideas"
        );

        app.sign_out_locally();
        app.sign_in_as(Role::Member).await;
        app.post_form(&format!("{page}/comments"), &[("body", "Atbalstu!")])
            .await;
        app.sign_out_locally();
        app.sign_in_as(Role::Public).await;
        let front = app.get("/w/town").await;
        assert!(front.body.contains("Paziņojumi (1 jauns)"), "{}", app.backend());
        let list = app.get("/w/town/notifications").await;
        assert!(list.body.contains("Jauns komentārs: Velojosla uz stacijas"));
        let mails = store.outbox(ws, 10).await.unwrap();
        let mail = mails
            .iter()
            .find(|m| m.to_email == app.account(Role::Public))
            .expect("a mail to the author");
        assert_eq!(mail.subject, "Jauns komentārs: Velojosla uz stacijas");
        assert!(
            mail.body.contains(&format!("http://kopa.test{page}#comments")),
            "{}",
            mail.body
        );
        assert!(
            mails.iter().all(|m| m.to_email != app.account(Role::Member)),
            "not to the one who wrote it"
        );

        let odd = app
            .post_form("/w/town/notifications/email", &[("email", "hourly")])
            .await;
        assert_eq!(odd.status, StatusCode::UNPROCESSABLE_ENTITY);
        app.post_form("/w/town/notifications/email", &[("email", "daily")])
            .await;
        app.post_form("/w/town/notifications/read", &[]).await;
        assert!(app.get("/w/town").await.body.contains(">Paziņojumi<"), "all read");

        // The coordinator makes it an initiative and moves it on: both followers hear.
        app.sign_out_locally();
        app.sign_in_as(Role::Coordinator).await;
        let made = app
            .post_form(&format!("{page}/initiative"), &[("cooperation_type", "mobility_point")])
            .await;
        let initiative = made.location().unwrap().to_owned();
        let initiative_id: i64 = initiative.rsplit('/').next().unwrap().parse().unwrap();
        app.sign_out_locally();
        app.sign_in_as(Role::Member).await;
        let stop = app
            .post_form(
                "/w/town/follow",
                &[
                    ("kind", "initiative"),
                    ("id", &initiative_id.to_string()),
                    ("follow", "no"),
                ],
            )
            .await;
        assert_eq!(stop.status, StatusCode::SEE_OTHER);
        app.sign_out_locally();
        app.sign_in_as(Role::Coordinator).await;
        app.post_form(
            &format!("{initiative}/steps"),
            &[("to", "assessed"), ("reason", "Izvērtēts")],
        )
        .await;
        let member = store
            .user_by_email(&app.account(Role::Member))
            .await
            .unwrap()
            .unwrap()
            .id;
        let resident = store
            .user_by_email(&app.account(Role::Public))
            .await
            .unwrap()
            .unwrap()
            .id;
        let kinds = |list: Vec<kopa_domain::notification::Notification>| -> Vec<String> {
            list.iter().map(|n| n.kind.to_string()).collect()
        };
        assert_eq!(
            kinds(store.notifications(resident, ws, 10).await.unwrap()),
            ["step", "became_initiative", "comment"]
        );
        assert_eq!(
            kinds(store.notifications(member, ws, 10).await.unwrap()),
            ["became_initiative"],
            "stopped following"
        );

        // The author chose a daily digest: no mail each time, one mail for the day.
        let before = store
            .outbox(ws, 100)
            .await
            .unwrap()
            .iter()
            .filter(|m| m.to_email == app.account(Role::Public))
            .count();
        assert_eq!(before, 1);
        assert_eq!(app.state.app.send_digests().await.unwrap(), 1);
        assert_eq!(app.state.app.send_digests().await.unwrap(), 0, "never twice");
        let digest = store.outbox(ws, 1).await.unwrap().remove(0);
        assert_eq!(digest.to_email, app.account(Role::Public));
        assert!(
            digest.subject.starts_with("2 jaunumi"),
            "only what came after choosing: {}",
            digest.subject
        );
        assert!(digest.body.contains("Iniciatīva spēra nākamo soli"));

        let forbidden = app.get("/w/town/outbox").await;
        assert_eq!(forbidden.status, StatusCode::FORBIDDEN, "the admin reads the outbox");
        app.sign_out_locally();
        app.sign_in_as(Role::Admin).await;
        let outbox = app.get("/w/town/outbox").await;
        assert!(outbox.body.contains("Jauns komentārs: Velojosla uz stacijas"));
        assert!(outbox.body.contains("nav nosūtīta"));
    }
}

/// The home page is kept between requests; what this server writes shows at once, and what
/// another process writes to the same database (the command line) within a second.
#[tokio::test]
async fn the_home_page_shows_a_new_decision_at_once_and_another_processs_within_a_second() {
    for mut app in every_workspace(&[Role::Coordinator]).await {
        let meeting = app.meeting_open_for_registration("").await;
        assert!(
            app.get("/w/town").await.body.contains("Lēmumi vēl nav reģistrēti."),
            "{}",
            app.backend()
        );

        app.sign_in_as(Role::Coordinator).await;
        let decided = app
            .post_form(
                &format!("/w/town/meetings/{}/decisions", meeting.id),
                &[
                    ("text", "Uzstādīt velostatīvus pie skolas (piemērs)"),
                    ("votes_for", "9"),
                    ("votes_against", "0"),
                    ("votes_abstain", "0"),
                ],
            )
            .await;
        assert_eq!(decided.status, StatusCode::SEE_OTHER, "{}", decided.body);
        app.sign_out_locally();
        assert!(
            app.get("/w/town")
                .await
                .body
                .contains("Uzstādīt velostatīvus pie skolas"),
            "{}: a write here shows at once",
            app.backend()
        );

        let elsewhere = kopa_store::Store::open(&app.db.url).await.unwrap();
        let decision = kopa_domain::meeting::DecisionInput {
            text: "Rīkot velodienu (piemērs)".into(),
            votes_for: "9".into(),
            votes_against: "0".into(),
            votes_abstain: "0".into(),
            ..Default::default()
        };
        let ws = app.workspace_id().await;
        let system = kopa_store::Actor::system(SystemActor::Setup);
        elsewhere
            .record_decision(&system, ws, meeting.id, &decision.validate(&meeting).unwrap())
            .await
            .unwrap();
        tokio::time::sleep(kopa_app::cache::TRUSTED_FOR + std::time::Duration::from_millis(100)).await;
        assert!(
            app.get("/w/town").await.body.contains("Rīkot velodienu"),
            "{}: another process's write shows within a second",
            app.backend()
        );
    }
}

/// Every page says what it may load (no inline script, nothing from elsewhere), and what is
/// shown to someone signed in, such as invitation links, is kept by no cache.
#[tokio::test]
async fn every_page_limits_what_it_loads_and_private_pages_are_not_kept() {
    for mut app in every_workspace(&[Role::Admin]).await {
        let public = app.get("/w/town").await;
        let policy = public.headers["content-security-policy"].to_str().unwrap().to_owned();
        for part in [
            "default-src 'self'",
            "script-src 'self'",
            "object-src 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(policy.contains(part), "{part} in {policy}");
        }
        assert!(!policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"));
        assert!(
            public.headers.get("cache-control").is_none(),
            "a public page may be kept"
        );

        app.sign_in_as(Role::Admin).await;
        for path in [
            "/w/town",
            "/w/town/accounts",
            "/account/tokens",
            "/api/v1/workspaces/town/people",
        ] {
            let private = app.get(path).await;
            assert_eq!(private.status, StatusCode::OK, "{path} on {}", app.backend());
            assert_eq!(private.headers["cache-control"], "no-store", "{path}");
            assert!(private.headers.contains_key("content-security-policy"), "{path}");
        }
    }
}

/// The components of a calendar file as a calendar program reads it (Python's `icalendar`):
/// each one's name, summary, location, description and URL. `None` when the parser is not
/// installed.
fn read_calendar(file: &[u8]) -> Option<Vec<[String; 5]>> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let installed = Command::new("python3").args(["-c", "import icalendar"]).output();
    if !installed.is_ok_and(|out| out.status.success()) {
        kopa_store::testing::say_skipped("the calendar parser check; `pip install icalendar` to run it.");
        return None;
    }
    let parser = "import sys, json, icalendar\n\
                  cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())\n\
                  print(json.dumps([[str(c.name)] + [str(c.get(p, '')) for p in ('SUMMARY', 'LOCATION', 'DESCRIPTION', 'URL')] for c in cal.walk()]))";
    let mut child = Command::new("python3")
        .args(["-c", parser])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(file).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

/// What a calendar program reads from a meeting's file is the meeting as typed: line breaks,
/// commas and semicolons in its text cannot add properties or alarms of their own.
#[tokio::test]
async fn a_calendar_program_reads_a_meeting_as_it_was_typed() {
    for mut app in every_workspace(&[]).await {
        let ws = app.workspace_id().await;
        let input = kopa_domain::meeting::MeetingInput {
            kind: "group".into(),
            title: "Velo\rBEGIN:VALARM\r\nACTION:DISPLAY\nEND:VALARM; komats, semikols".into(),
            starts_at: "2030-06-01T18:00".into(),
            ends_at: "2030-06-01T20:00".into(),
            mode: "in_person".into(),
            place: "Zāle 1; 2. stāvs,\rBEGIN:VEVENT".into(),
            published: Some("on".into()),
            ..Default::default()
        };
        let new = input.validate().unwrap();
        let meeting = app
            .db
            .store
            .create_meeting(&kopa_store::Actor::system(SystemActor::Setup), ws, &new)
            .await
            .unwrap();
        for path in [
            format!("/w/town/meetings/{}/calendar.ics", meeting.id),
            "/w/town/calendar.ics".into(),
        ] {
            let file = app.get(&path).await;
            assert_eq!(file.status, StatusCode::OK, "{path}");
            let Some(read) = read_calendar(&file.bytes) else { return };
            let names: Vec<&str> = read.iter().map(|[name, ..]| name.as_str()).collect();
            assert_eq!(names, ["VCALENDAR", "VEVENT"], "{path} on {}", app.backend());
            assert_eq!(
                read[1][1], "Velo\nBEGIN:VALARM\nACTION:DISPLAY\nEND:VALARM; komats, semikols",
                "{path}"
            );
            assert_eq!(read[1][2], "Zāle 1; 2. stāvs,\nBEGIN:VEVENT", "{path}");
        }
    }
}

#[tokio::test]
async fn the_audit_page_says_in_its_language_that_the_last_events_were_deleted() {
    for mut app in every_workspace(&[Role::Admin, Role::Coordinator]).await {
        app.sign_in_as(Role::Admin).await;
        let audit = format!("/w/{}/audit?verify=1", app.slug);
        let intact = app.get(&audit).await;
        assert!(intact.body.contains("Ķēde ir vesela."), "{}", app.backend());
        let head: i64 = texts(&app.db.url, "SELECT CAST(MAX(seq) AS TEXT) FROM audit_events").await[0]
            .parse()
            .unwrap();
        execute_raw(
            &app.db.url,
            &format!("DELETE FROM audit_events WHERE seq >= {}", head - 1),
        )
        .await;

        let truncated = app.get(&audit).await;
        assert!(truncated.body.contains("Ķēde ir pārrauta:"), "{}", app.backend());
        let told = format!(
            "ķēde beidzas pirms ieraksta {}, lai gan agrāk bija redzēts ieraksts {head}",
            head - 1
        );
        assert!(truncated.body.contains(&told), "{}: {}", app.backend(), truncated.body);
        assert!(
            !truncated.body.contains("the chain ends"),
            "no English on a Latvian page"
        );
    }
}

/// Signing in without a page to return to lands where the person works; with one, there.
#[tokio::test]
async fn signing_in_lands_where_the_person_works() {
    for mut app in every_app().await {
        let landed = app
            .post_form(
                "/signin",
                &[("email", COORDINATOR), ("password", PASSWORD), ("next", "")],
            )
            .await;
        assert_eq!(landed.status, StatusCode::SEE_OTHER, "{}", app.backend());
        assert_eq!(landed.headers["location"], "/w/kekava", "{}", app.backend());
        app.sign_out_locally();
        let asked = app
            .post_form(
                "/signin",
                &[
                    ("email", COORDINATOR),
                    ("password", PASSWORD),
                    ("next", "/w/kekava/plan"),
                ],
            )
            .await;
        assert_eq!(asked.headers["location"], "/w/kekava/plan");
        // The form keeps an empty return when none was asked for, and the one asked for.
        app.sign_out_locally();
        assert!(app.get("/signin").await.body.contains(r#"name="next" value="""#));
        assert!(
            app.get("/signin?next=/w/kekava/map")
                .await
                .body
                .contains(r#"value="/w/kekava/map""#)
        );
    }
}

#[tokio::test]
async fn the_coordinators_home_lists_what_waits_on_them_each_linked_to_where_to_act() {
    use crate::harness::RESIDENT;
    let waiting = |body: &str| -> i64 {
        let (count, _) = body.split_once(" idejas gaida atbildi").expect("ideas waiting");
        count.rsplit('>').next().unwrap().trim().parse().unwrap()
    };
    for mut app in every_app().await {
        app.sign_in(COORDINATOR).await;
        let home = app.get("/w/kekava").await.body;
        assert!(home.contains("Jāpievērš uzmanība"), "{}", app.backend());
        let before = waiting(&home);
        // The demo's lease waits for its acceptance act; its campaign's publication is late.
        assert!(home.contains("Aizturēta pirms stāšanās spēkā"), "{home}");
        assert!(home.contains("vēl trūkst: Pieņemšanas akts"), "{home}");
        assert!(home.contains("Publikācija nokavēta"), "{home}");
        assert!(home.contains(r#"href="/w/kekava/cooperation/instruments/"#));

        app.sign_in(RESIDENT).await;
        let proposed = app
            .post_form(
                "/w/kekava/ideas",
                &[("title", "Soliņš pie bibliotēkas"), ("body", "Lai var atpūsties.")],
            )
            .await;
        let idea = proposed.location().unwrap().to_owned();
        assert!(
            !app.get("/w/kekava").await.body.contains("Jāpievērš uzmanība"),
            "only for coordinators"
        );

        // A partner offers to cooperate, in the name of a partner its account acts for.
        app.sign_in(crate::harness::PARTNER).await;
        let store = &app.db.store;
        let ws = app.workspace_id().await;
        let user = store.user_by_email(crate::harness::PARTNER).await.unwrap().unwrap();
        let partner = store.partners_of_account(ws, user.id).await.unwrap()[0].id.to_string();
        let initiative = store.initiatives(ws).await.unwrap()[0].id.to_string();
        let offered = app
            .post_form(
                "/w/kekava/business/offers",
                &[
                    ("partner_id", partner.as_str()),
                    ("initiative_id", &initiative),
                    ("kind", "donation"),
                    ("subject", "Velo statīvi bibliotēkai"),
                    ("purpose", "Atpūtai"),
                    ("value", "100"),
                ],
            )
            .await;
        assert_eq!(offered.status, StatusCode::SEE_OTHER, "{}", offered.body);

        app.sign_in(COORDINATOR).await;
        let home = app.get("/w/kekava").await.body;
        assert_eq!(waiting(&home), before + 1, "the new idea waits");
        assert!(home.contains("Partnera piedāvājums izskatīšanai") && home.contains("Velo statīvi bibliotēkai"));
        // And the coordinators were told of both.
        let told = app.get("/w/kekava/notifications").await.body;
        assert!(
            told.contains("Jauna ideja gaida atbildi: Soliņš pie bibliotēkas"),
            "{told}"
        );
        assert!(
            told.contains("Partneris piedāvā sadarbību: Velo statīvi bibliotēkai"),
            "{told}"
        );
        let answered = app
            .post_form(
                &format!("{idea}/moderation"),
                &[("action", "answer"), ("answer", "Paldies, izskatīsim.")],
            )
            .await;
        assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
        assert_eq!(
            waiting(&app.get("/w/kekava").await.body),
            before,
            "an answer ends the wait"
        );
    }
}

#[tokio::test]
async fn every_page_names_the_site_icon_and_the_address_browsers_guess_serves_it() {
    for mut app in every_app().await {
        let home = app.get("/w/kekava").await.body;
        assert!(home.contains(r#"<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">"#));
        for path in ["/static/favicon.svg", "/favicon.ico"] {
            let icon = app.get(path).await;
            assert_eq!(icon.status, StatusCode::OK, "{path}");
            assert!(icon.body.starts_with("<svg") && icon.body.contains("viewBox"), "{path}");
        }
    }
}

#[tokio::test]
async fn changes_kopa_made_itself_are_named_in_the_readers_words() {
    for mut app in every_app().await {
        app.sign_in(ADMIN).await;
        let audit = app.get("/w/kekava/audit").await.body;
        assert!(audit.contains("Kopa: demonstrācijas datu ielāde"), "{}", app.backend());
        assert!(!audit.contains(">system<"), "no code where a name belongs");
        app.sign_in(COORDINATOR).await;
        let lease = app.db.store.instruments(app.workspace_id().await).await.unwrap()[0].id;
        let instrument = app
            .get(&format!("/w/kekava/cooperation/instruments/{lease}"))
            .await
            .body;
        assert!(instrument.contains("Sagatavojusi pašvaldība."), "{instrument}");
        assert!(!instrument.contains("<p>drafted</p>"));
        app.get("/language/en?back=/").await;
        let instrument = app
            .get(&format!("/w/kekava/cooperation/instruments/{lease}"))
            .await
            .body;
        assert!(instrument.contains("Drafted by the municipality.") && instrument.contains("Kopa: the demo loader"));
    }
}

#[tokio::test]
async fn organisations_are_listed_in_latvian_alphabetical_order() {
    for mut app in every_app().await {
        app.sign_in(COORDINATOR).await;
        let page = app.get("/w/kekava/group").await.body;
        let (_, listed) = page
            .split_once(r#"<h2 id="organisations">"#)
            .expect("the organisations");
        let (listed, _) = listed.split_once("</section>").unwrap();
        let at = |name: &str| listed.find(name).unwrap_or_else(|| panic!("{name}: {listed}"));
        // Binary order would put every Ķ after V.
        assert!(
            at("Ķekavas novada pašvaldība") < at("SIA Velo Piemērs"),
            "{}",
            app.backend()
        );
        assert!(at("AS Enerģija Piemērs") < at("Ķekavas novada pašvaldība"));
    }
}
