//! The whole role × route matrix: every route is tried by an anonymous visitor and by each
//! role, and must allow exactly what the domain's permission table says.

use axum::http::StatusCode;
use kopa_domain::audit::SystemActor;
use kopa_domain::meeting::MeetingInput;
use kopa_domain::{Action, Role};
use kopa_store::Actor;

use crate::harness::{ADMIN, AUDITOR, COORDINATOR, MEMBER, PARTNER, RESIDENT, TestApp, every_app};

struct Route {
    method: &'static str,
    path: String,
    fields: Vec<(&'static str, String)>,
    action: Action,
}

fn get(path: String, action: Action) -> Route {
    Route {
        method: "GET",
        path,
        fields: Vec::new(),
        action,
    }
}

fn post(path: String, fields: &[(&'static str, &str)], action: Action) -> Route {
    Route {
        method: "POST",
        path,
        fields: fields.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
        action,
    }
}

fn api_post(path: String, fields: &[(&'static str, &str)], action: Action) -> Route {
    Route {
        method: "API",
        path,
        fields: fields.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
        action,
    }
}

async fn routes(app: &TestApp, tag: &str) -> Vec<Route> {
    use Action::*;
    let store = &app.db.store;
    let ws = app.workspace_id().await;
    let public = store
        .meetings(ws, false)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.meeting.registration_open)
        .unwrap()
        .meeting
        .id;
    let internal_input = MeetingInput {
        kind: "group".into(),
        title: format!("Iekšēja sanāksme {tag}"),
        starts_at: "2030-01-10T10:00".into(),
        ends_at: "2030-01-10T11:00".into(),
        mode: "in_person".into(),
        place: "Ķekava".into(),
        ..Default::default()
    };
    let internal = store
        .create_meeting(
            &Actor::system(SystemActor::Setup),
            ws,
            &internal_input.validate().unwrap(),
        )
        .await
        .unwrap()
        .id;
    let agenda_item = store
        .add_agenda_item(
            &Actor::system(SystemActor::Setup),
            ws,
            public,
            &kopa_domain::meeting::AgendaItemInput {
                title: "x".into(),
                ..Default::default()
            }
            .validate()
            .unwrap(),
        )
        .await
        .unwrap()
        .id;
    let registration_input = kopa_domain::meeting::RegistrationInput {
        name: "R".into(),
        email: format!("r-{tag}@example.lv"),
    };
    let registration = store
        .register(
            &Actor::system(SystemActor::Setup),
            ws,
            public,
            &registration_input.validate().unwrap(),
        )
        .await
        .unwrap()
        .id;
    let organisation = store.organisations(ws).await.unwrap()[0].id.to_string();
    let person = store.people(ws).await.unwrap()[0].id.to_string();
    let membership = store.members(ws).await.unwrap()[0].membership_id;
    let idea_input = kopa_domain::idea::IdeaInput {
        title: format!("Ideja {tag}"),
        body: "Velonovietne".into(),
        place: String::new(),
    };
    let author = kopa_store::Author {
        user_id: None,
        name: "Tests".into(),
    };
    let idea = store
        .create_idea(
            &Actor::system(SystemActor::Setup),
            ws,
            &author,
            &idea_input.validate().unwrap(),
        )
        .await
        .unwrap()
        .id;
    let initiative_input = kopa_domain::initiative::InitiativeInput {
        title: format!("Iniciatīva {tag}"),
        cooperation_type: "mobility_point".into(),
        ..Default::default()
    };
    let types: Vec<String> = kopa_domain::initiative::BUILT_IN_TYPES
        .iter()
        .map(|t| (*t).to_owned())
        .collect();
    let initiative = store
        .create_initiative(
            &Actor::system(SystemActor::Setup),
            ws,
            &initiative_input.validate(&types).unwrap(),
            "x",
        )
        .await
        .unwrap()
        .id;
    let lease = store
        .instruments(ws)
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.status == kopa_domain::cooperation::instrument::InstrumentStatus::Active)
        .unwrap();
    let (instrument, partner) = (lease.id, lease.partner_id);
    let obligation = store.obligations(instrument).await.unwrap()[0].id;
    let plan = store.plan_version(ws, 1).await.unwrap().unwrap().plan;
    let objective = plan.objectives[0].id.to_string();
    let measured = plan.indicators.iter().find(|i| i.code == "I3").unwrap().id;
    let w = "/w/kekava";
    let a = "/api/v1/workspaces/kekava";
    let v = format!("{w}/plan/versions/1");
    let meeting_fields: Vec<(&'static str, &str)> = vec![
        ("kind", "group"),
        ("title", "Jauna sanāksme"),
        ("starts_at", "2030-02-01T10:00"),
        ("ends_at", "2030-02-01T12:00"),
        ("mode", "in_person"),
        ("place", "Ķekava"),
    ];
    let org_name = format!("Organizācija {tag}");
    let email = format!("{tag}@example.lv");
    vec![
        get("/".into(), ViewPublished),
        get(w.into(), ViewPublished),
        get(format!("{w}/group"), ViewPublished),
        get(format!("{w}/stakeholders"), ViewStakeholders),
        get(format!("{w}/ideas"), ViewPublished),
        get(format!("{w}/ideas/{idea}"), ViewPublished),
        post(
            format!("{w}/ideas"),
            &[("title", "Ideja"), ("body", "Teksts")],
            Participate,
        ),
        post(format!("{w}/ideas/{idea}/support"), &[("support", "yes")], Participate),
        post(format!("{w}/ideas/{idea}/comments"), &[("body", "Labi")], Participate),
        post(
            format!("{w}/ideas/{idea}/moderation"),
            &[("action", "answer"), ("answer", "Paldies")],
            ModerateIdeas,
        ),
        post(
            format!("{w}/ideas/{idea}/initiative"),
            &[("cooperation_type", "mobility_point")],
            ManageInitiatives,
        ),
        get(format!("{w}/notifications"), Participate),
        post(format!("{w}/notifications/read"), &[], Participate),
        post(format!("{w}/notifications/email"), &[("email", "")], Participate),
        post(format!("{w}/follow"), &[("kind", "idea"), ("id", "x")], Participate),
        get(format!("{w}/outbox"), ManageRoles),
        get(format!("{w}/signup"), ViewPublished),
        post(format!("{w}/signup"), &[("display_name", "")], ViewPublished),
        post(format!("{w}/join"), &[], Participate),
        get(format!("{w}/map"), ViewPublished),
        get(format!("{w}/map/features.geojson"), ViewPublished),
        get(format!("{w}/map/backdrop.geojson"), ViewPublished),
        get(format!("{w}/initiatives"), ViewPublished),
        get(format!("{w}/initiatives/{initiative}"), ViewPublished),
        post(
            format!("{w}/initiatives/{initiative}/steps"),
            &[("to", "assessed"), ("reason", "Izvērtēts")],
            ManageInitiatives,
        ),
        post(
            format!("{w}/initiatives/{initiative}/links"),
            &[("target", "")],
            ManageInitiatives,
        ),
        post(format!("{w}/initiatives"), &[("title", "")], ManageInitiatives),
        post(format!("{w}/cooperation-types"), &[("name", "")], ManageInitiatives),
        post(
            format!("{w}/initiatives/{initiative}/edit"),
            &[("title", "")],
            ManageInitiatives,
        ),
        post(
            format!("{w}/initiatives/{initiative}/milestones"),
            &[("title", "")],
            ManageInitiatives,
        ),
        post(
            format!("{w}/initiatives/{initiative}/milestones/1"),
            &[("done", "maybe")],
            ManageInitiatives,
        ),
        get(format!("{w}/meetings"), ViewPublished),
        get(format!("{w}/meetings/new"), ManageMeetings),
        get(format!("{w}/meetings/{public}"), ViewPublished),
        get(format!("{w}/meetings/{internal}"), ViewGroup),
        get(format!("{w}/meetings/{public}/edit"), ManageMeetings),
        get(format!("{w}/meetings/{public}/calendar.ics"), ViewPublished),
        get(format!("{w}/meetings/{internal}/calendar.ics"), ViewGroup),
        get(format!("{w}/calendar.ics"), ViewPublished),
        get(format!("{w}/accounts"), InviteMembers),
        get(format!("{w}/audit"), ViewAuditLog),
        post(
            format!("{w}/group/organisations"),
            &[("name", &org_name), ("sector", "business")],
            ManageGroup,
        ),
        post(format!("{w}/group/people"), &[("name", "Persona")], ManageGroup),
        post(
            format!("{w}/group/memberships"),
            &[
                ("person_id", &person),
                ("body", "wider"),
                ("role", "dalībnieks"),
                ("from_date", "2021-01-01"),
            ],
            ManageGroup,
        ),
        post(
            format!("{w}/group/memberships/{membership}/end"),
            &[("until_date", "2030-12-31")],
            ManageGroup,
        ),
        post(
            format!("{w}/stakeholders"),
            &[("organisation_id", &organisation), ("power", "2"), ("interest", "2")],
            ManageGroup,
        ),
        post(format!("{w}/meetings"), &meeting_fields, ManageMeetings),
        post(format!("{w}/meetings/{internal}/edit"), &meeting_fields, ManageMeetings),
        post(
            format!("{w}/meetings/{public}/agenda"),
            &[("title", "Punkts")],
            ManageMeetings,
        ),
        post(
            format!("{w}/meetings/{public}/agenda/{agenda_item}/delete"),
            &[],
            ManageMeetings,
        ),
        post(
            format!("{w}/meetings/{public}/speakers"),
            &[("name", "Runātājs")],
            ManageMeetings,
        ),
        post(
            format!("{w}/meetings/{public}/decisions"),
            &[
                ("text", "Lēmums"),
                ("votes_for", "3"),
                ("votes_against", "0"),
                ("votes_abstain", "0"),
            ],
            ManageMeetings,
        ),
        post(
            format!("{w}/meetings/{public}/minutes"),
            &[("minutes", "Protokols")],
            ManageMeetings,
        ),
        post(
            format!("{w}/meetings/{public}/registrations"),
            &[("name", "Dalībnieks"), ("email", &email)],
            RegisterForMeeting,
        ),
        post(
            format!("{w}/meetings/{public}/registrations/{registration}/attendance"),
            &[("attended", "yes")],
            ManageMeetings,
        ),
        post(
            format!("{w}/meetings/{public}/registrations/{registration}/cancel"),
            &[],
            ManageMeetings,
        ),
        post(
            format!("{w}/accounts/invitations"),
            &[("email", &email), ("role", "member")],
            InviteMembers,
        ),
        get(format!("{w}/agreements"), ViewPublished),
        get(format!("{w}/network"), ViewPublished),
        post(
            format!("{w}/network/analyses"),
            &[("file", "not an upload")],
            AnalyseStreetNetwork,
        ),
        post(
            format!("{w}/network/analyses/987654/publish"),
            &[("published", "yes")],
            AnalyseStreetNetwork,
        ),
        get(format!("{w}/network/analyses/987654/scenario"), ViewStreetAnalyses),
        post(
            format!("{w}/network/analyses/987654/scenario?place=1"),
            &[("title", "Pāreja"), ("for", "")],
            ManageInitiatives,
        ),
        get(format!("{w}/network/scenarios/987654"), ViewStreetAnalyses),
        post(
            format!("{w}/network/analyses/987654/act/1/invite"),
            &[("neighbour", "0")],
            ManageInitiatives,
        ),
        get(format!("{w}/business"), OfferCooperation),
        post(format!("{w}/business/offers"), &[("subject", "")], OfferCooperation),
        get(format!("{w}/plan"), ViewPlan),
        get(format!("{w}/plan/versions"), ViewPlan),
        get(format!("{w}/plan/versions?from=1&to=1"), ViewPlan),
        get(v.clone(), ViewPlan),
        get(format!("{v}/readiness"), ViewPlan),
        get(format!("{v}/translations"), ViewPlan),
        get(format!("{v}/export/en/pdf"), ViewPlan),
        get(format!("{v}/export/lv/docx"), ViewPlan),
        get(format!("{v}/items/objective/{objective}"), ViewPlan),
        post(
            format!("{w}/plan/comments"),
            &[("item", &format!("objective:{objective}")), ("body", "Labi")],
            ViewPlan,
        ),
        post(format!("{w}/plan/draft"), &[], ManagePlan),
        post(format!("{v}/submit"), &[], ManagePlan),
        post(format!("{v}/publish"), &[], ManagePlan),
        get(format!("{v}/parts/vision"), ManagePlan),
        post(format!("{v}/parts/vision"), &[("vision_lv", "Vīzija")], ManagePlan),
        get(format!("{v}/items/risk/new"), ManagePlan),
        post(
            format!("{v}/items/risk/new"),
            &[
                ("title_lv", &format!("Risks {tag}")),
                ("likelihood", "2"),
                ("impact", "2"),
            ],
            ManagePlan,
        ),
        post(
            format!("{v}/items/objective/{objective}"),
            &[("code", "SO1"), ("level", "strategic"), ("title_lv", "Mērķis")],
            ManagePlan,
        ),
        post(format!("{v}/items/milestone/987654/remove"), &[], ManagePlan),
        post(
            format!("{v}/indicators/{measured}/measurements"),
            &[("value", "7"), ("on", "2022-09-01")],
            ManagePlan,
        ),
        post(
            format!("{v}/indicators/{measured}/measurements/2022-09-01/remove"),
            &[],
            ManagePlan,
        ),
        get(format!("{w}/audit-packs"), ViewAuditPacks),
        get(format!("{w}/audit-packs/{instrument}"), ViewAuditPacks),
        get(format!("{w}/audit-packs/{instrument}/pack.json"), ViewAuditPacks),
        get(format!("{w}/audit-packs/{instrument}/pack.pdf"), ViewAuditPacks),
        get(format!("{w}/cooperation"), ViewCooperation),
        get(format!("{w}/cooperation/rules"), ViewCooperation),
        post(
            format!("{w}/cooperation/rules"),
            &[("donation.valuation", "someday")],
            ManageCooperation,
        ),
        post(format!("{w}/cooperation/rules/defaults"), &[], ManageCooperation),
        post(
            format!("{w}/cooperation/partners"),
            &[("organisation_id", "")],
            ManageCooperation,
        ),
        get(format!("{w}/cooperation/partners/{partner}"), ViewCooperation),
        post(
            format!("{w}/cooperation/partners/{partner}/edit"),
            &[("beneficial_owners", "")],
            ManageCooperation,
        ),
        post(
            format!("{w}/cooperation/partners/{partner}/procedures"),
            &[("kind", "")],
            ManageCooperation,
        ),
        post(
            format!("{w}/cooperation/partners/{partner}/procedures/close"),
            &[("procedure_id", "")],
            ManageCooperation,
        ),
        post(
            format!("{w}/cooperation/partners/{partner}/tax-checks"),
            &[("checked_on", "")],
            ManageCooperation,
        ),
        post(
            format!("{w}/cooperation/partners/{partner}/accounts"),
            &[("email", "")],
            ManageCooperation,
        ),
        post(
            format!("{w}/cooperation/instruments"),
            &[("subject", "")],
            ManageCooperation,
        ),
        get(format!("{w}/cooperation/instruments/{instrument}"), ViewCooperation),
        post(
            format!("{w}/cooperation/instruments/{instrument}/edit"),
            &[("subject", "")],
            ManageCooperation,
        ),
        post(
            format!("{w}/cooperation/instruments/{instrument}/steps"),
            &[("to", "nowhere")],
            ManageCooperation,
        ),
        post(
            format!("{w}/cooperation/instruments/{instrument}/approval"),
            &[("body", "")],
            ManageCooperation,
        ),
        post(
            format!("{w}/cooperation/instruments/{instrument}/justification"),
            &[("justification", "")],
            ManageCooperation,
        ),
        post(
            format!("{w}/cooperation/instruments/{instrument}/records"),
            &[("requirement", "")],
            ManageCooperation,
        ),
        post(
            format!("{w}/cooperation/instruments/{instrument}/declarations"),
            &[("person_id", "")],
            ManageCooperation,
        ),
        post(
            format!("{w}/cooperation/instruments/{instrument}/publication"),
            &[("published_on", "")],
            ManageCooperation,
        ),
        post(
            format!("{w}/cooperation/instruments/{instrument}/documents"),
            &[("title", "")],
            ManageCooperation,
        ),
        post(
            format!("{w}/cooperation/instruments/{instrument}/obligations"),
            &[("title", "")],
            ManageCooperation,
        ),
        post(
            format!("{w}/cooperation/instruments/{instrument}/obligations/{obligation}/inspections"),
            &[("inspected_on", "")],
            ManageCooperation,
        ),
        post(
            format!("{w}/cooperation/instruments/{instrument}/obligations/{obligation}/remedied"),
            &[("inspection_id", "x")],
            ManageCooperation,
        ),
        get("/api/v1/workspaces".into(), ViewPublished),
        get(format!("{a}/meetings"), ViewPublished),
        get(format!("{a}/meetings/{public}"), ViewPublished),
        get(format!("{a}/meetings/{internal}"), ViewGroup),
        get(format!("{a}/organisations"), ViewPublished),
        get(format!("{a}/members"), ViewGroup),
        get(format!("{a}/people"), ViewGroup),
        get(format!("{a}/stakeholders"), ViewStakeholders),
        get(format!("{a}/audit"), ViewAuditLog),
        api_post(format!("{a}/meetings"), &meeting_fields, ManageMeetings),
        api_post(
            format!("{a}/meetings/{public}/agenda"),
            &[("title", "API punkts")],
            ManageMeetings,
        ),
        api_post(
            format!("{a}/meetings/{public}/speakers"),
            &[("name", "API runātājs")],
            ManageMeetings,
        ),
        api_post(
            format!("{a}/meetings/{public}/decisions"),
            &[
                ("text", "API lēmums"),
                ("votes_for", "1"),
                ("votes_against", "0"),
                ("votes_abstain", "0"),
            ],
            ManageMeetings,
        ),
        api_post(
            format!("{a}/meetings/{public}/registrations"),
            &[("name", "API"), ("email", &format!("api-{email}"))],
            RegisterForMeeting,
        ),
        api_post(
            format!("{a}/organisations"),
            &[("name", &format!("API {org_name}")), ("sector", "civic")],
            ManageGroup,
        ),
        api_post(
            format!("{a}/members"),
            &[
                ("person_id", &person),
                ("body", "core"),
                ("role", "API"),
                ("from_date", "2021-01-01"),
            ],
            ManageGroup,
        ),
        api_post(format!("{a}/people"), &[("name", "API persona")], ManageGroup),
        api_post(
            format!("{a}/stakeholders"),
            &[("organisation_id", &organisation), ("power", "3"), ("interest", "3")],
            ManageGroup,
        ),
    ]
}

#[tokio::test]
async fn every_role_may_do_exactly_what_the_table_allows() {
    let visitors: [(Option<&str>, Option<Role>); 7] = [
        (None, None),
        (Some(AUDITOR), Some(Role::Auditor)),
        (Some(RESIDENT), Some(Role::Public)),
        (Some(PARTNER), Some(Role::Partner)),
        (Some(MEMBER), Some(Role::Member)),
        (Some(COORDINATOR), Some(Role::Coordinator)),
        (Some(ADMIN), Some(Role::Admin)),
    ];
    for mut app in every_app().await {
        let mut checked = 0;
        for (email, role) in visitors {
            app.sign_out_locally();
            if let Some(email) = email {
                app.sign_in(email).await;
            }
            let tag = email
                .map(|e| e.split('@').next().unwrap_or(e))
                .unwrap_or("anonymous")
                .to_owned();
            for route in routes(&app, &tag).await {
                let response = match route.method {
                    "GET" => app.get(&route.path).await,
                    "POST" => {
                        let fields: Vec<(&str, &str)> = route.fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                        app.post_form(&route.path, &fields).await
                    }
                    _ => {
                        let json: serde_json::Map<String, serde_json::Value> = route
                            .fields
                            .iter()
                            .map(|(k, v)| ((*k).to_owned(), serde_json::Value::String(v.clone())))
                            .collect();
                        app.post_json(&route.path, serde_json::Value::Object(json)).await
                    }
                };
                let sent_to_sign_in = response.status == StatusCode::SEE_OTHER
                    && response.location().is_some_and(|l| l.starts_with("/signin"));
                let refused = response.status == StatusCode::FORBIDDEN
                    || response.status == StatusCode::UNAUTHORIZED
                    || sent_to_sign_in;
                let expected = Role::may(role, route.action);
                assert_eq!(
                    !refused,
                    expected,
                    "{}: {:?} {} {} answered {} ({:?})",
                    app.backend(),
                    role,
                    route.method,
                    route.path,
                    response.status,
                    &response.body.chars().take(300).collect::<String>()
                );
                if expected {
                    assert!(
                        !response.status.is_server_error(),
                        "{} {} failed: {}",
                        route.method,
                        route.path,
                        response.body
                    );
                    // A Fluent message shown without its argument prints the placeholder.
                    let is_page = response
                        .headers
                        .get("content-type")
                        .and_then(|v| v.to_str().ok())
                        .is_some_and(|t| t.starts_with("text/html"));
                    assert!(
                        !(is_page && response.body.contains("{$")),
                        "{} {} shows a message without its argument",
                        route.method,
                        route.path
                    );
                } else if role.is_none() {
                    let is_api = route.path.starts_with("/api/");
                    assert!(
                        if is_api {
                            response.status == StatusCode::UNAUTHORIZED
                        } else {
                            sent_to_sign_in
                        },
                        "{} {}",
                        route.method,
                        route.path
                    );
                } else {
                    assert_eq!(
                        response.status,
                        StatusCode::FORBIDDEN,
                        "{role:?} {} {}",
                        route.method,
                        route.path
                    );
                }
                checked += 1;
            }
        }
        assert_eq!(checked, 7 * 134, "{}", app.backend());
    }
}

#[tokio::test]
async fn only_admins_may_invite_coordinators() {
    for mut app in every_app().await {
        app.sign_in(COORDINATOR).await;
        let refused = app
            .post_form(
                "/w/kekava/accounts/invitations",
                &[("email", "new@example.lv"), ("role", "coordinator")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.backend());
        app.sign_out_locally();
        app.sign_in(ADMIN).await;
        let allowed = app
            .post_form(
                "/w/kekava/accounts/invitations",
                &[("email", "new@example.lv"), ("role", "coordinator")],
            )
            .await;
        assert_eq!(allowed.status, StatusCode::OK, "{}", app.backend());
        assert!(allowed.body.contains("http://kopa.test/invitations/"));
    }
}
