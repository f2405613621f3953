use kopa_domain::audit::SystemActor;
use std::collections::HashMap;

use kopa_domain::group::{OrganisationInput, PersonInput};
use kopa_domain::plan::Feed;
use kopa_domain::plan::edit::{ItemKind, PlanEdit};
use kopa_domain::{Invalid, Role};
use kopa_store::testing::{TestClock, every_backend_with_clock};
use kopa_store::{Actor, NewWorkspace, Store, StoreError};

use crate::workspace;

fn fields(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

fn save(kind: ItemKind, id: Option<u32>, pairs: &[(&str, &str)]) -> PlanEdit {
    PlanEdit::save(kind, id, &fields(pairs)).unwrap()
}

/// A workspace with a signed-up coordinator, one organisation and one person.
async fn setting(store: &Store) -> (i64, Actor, i64, i64) {
    let ws = workspace(store).await.id;
    let user = store
        .create_user(
            &Actor::system(SystemActor::Setup),
            "koordinatore@kekava.example",
            "Koordinatore",
            "garš-parole-123",
        )
        .await
        .unwrap();
    let actor = Actor::user(user.id, &user.email);
    store
        .grant_role(&Actor::system(SystemActor::Setup), user.id, ws, Role::Coordinator)
        .await
        .unwrap();
    let organisation = OrganisationInput {
        name: "Ķekavas novada pašvaldība".into(),
        sector: "public".into(),
        ..Default::default()
    };
    let organisation = store
        .create_organisation(&actor, ws, &organisation.validate().unwrap())
        .await
        .unwrap();
    let person = PersonInput {
        name: "Projekta vadītāja".into(),
        ..Default::default()
    };
    let person = store
        .create_person(&actor, ws, &person.validate().unwrap())
        .await
        .unwrap();
    (ws, actor, organisation.id, person.id)
}

#[tokio::test]
async fn a_submitted_version_is_frozen_and_the_next_edit_works_on_a_copy() {
    for db in every_backend_with_clock(TestClock::at("2020-12-20T10:00:00Z")).await {
        let store = &db.store;
        let (ws, actor, organisation, person) = setting(store).await;
        assert!(store.current_plan(ws).await.unwrap().is_none());
        let draft = store.open_plan_draft(&actor, ws).await.unwrap();
        assert_eq!(draft, 1);
        assert_eq!(
            store.open_plan_draft(&actor, ws).await.unwrap(),
            1,
            "one draft at a time"
        );

        store
            .edit_plan(
                &actor,
                ws,
                1,
                &save(
                    ItemKind::Objective,
                    None,
                    &[
                        ("code", "SO1"),
                        ("level", "strategic"),
                        ("title_lv", "Droša mobilitāte"),
                    ],
                ),
            )
            .await
            .unwrap();
        let lead = organisation.to_string();
        let owner = person.to_string();
        store
            .edit_plan(
                &actor,
                ws,
                1,
                &save(
                    ItemKind::Action,
                    None,
                    &[
                        ("code", "A1"),
                        ("title_lv", "Pāreja"),
                        ("objective", "1"),
                        ("lead", &lead),
                        ("owner", &owner),
                        ("starts_on", "2021-04-01"),
                        ("ends_on", "2021-09-30"),
                        ("cost", "20000"),
                    ],
                ),
            )
            .await
            .unwrap();
        store
            .edit_plan(
                &actor,
                ws,
                1,
                &save(
                    ItemKind::Indicator,
                    None,
                    &[
                        ("code", "I1"),
                        ("kind", "output"),
                        ("title_en", "Active agreements"),
                        ("unit_en", "agreements"),
                        ("feed", "active_instruments"),
                    ],
                ),
            )
            .await
            .unwrap();

        // References outside the plan are checked against the workspace's records.
        let stranger = save(
            ItemKind::Action,
            None,
            &[
                ("code", "A2"),
                ("title_lv", "Cita"),
                ("objective", "1"),
                ("lead", "999999"),
                ("starts_on", "2021-04-01"),
                ("ends_on", "2021-09-30"),
                ("cost", "1"),
            ],
        );
        match store.edit_plan(&actor, ws, 1, &stranger).await {
            Err(StoreError::Invalid(invalid)) => assert_eq!(invalid.message_for("lead"), Some("error-unknown")),
            other => panic!("{}: {other:?}", db.name),
        }

        assert!(matches!(
            store.publish_plan(&actor, ws, 1).await,
            Err(StoreError::Refused("error-plan-publish-draft"))
        ));
        assert!(store.published_plan(ws).await.unwrap().is_none());
        store.submit_plan(&actor, ws, 1, None).await.unwrap();
        store.publish_plan(&actor, ws, 1).await.unwrap();
        let published = store.published_plan(ws).await.unwrap().unwrap();
        assert_eq!(published.info.number, 1);
        assert!(published.info.published_at.is_some());
        let submitted = store.plan_version(ws, 1).await.unwrap().unwrap();
        assert!(submitted.info.is_submitted());
        assert_eq!(submitted.info.submitted_by.as_deref(), Some("Koordinatore"));
        let frozen = &submitted.plan.indicators[0].measurements;
        assert_eq!(
            (frozen.len(), frozen[0].value),
            (1, 0.0),
            "{}: the count of the day is kept",
            db.name
        );
        assert_eq!(frozen[0].on.to_string(), "2020-12-20");

        let late_edit = save(
            ItemKind::Objective,
            None,
            &[("code", "SO2"), ("level", "strategic"), ("title_lv", "Vēlāk")],
        );
        match store.edit_plan(&actor, ws, 1, &late_edit).await {
            Err(StoreError::Refused(key)) => assert_eq!(key, "error-plan-submitted"),
            other => panic!("{}: {other:?}", db.name),
        }
        assert!(matches!(
            store.submit_plan(&actor, ws, 1, None).await,
            Err(StoreError::Refused("error-plan-submitted"))
        ));

        assert_eq!(store.open_plan_draft(&actor, ws).await.unwrap(), 2);
        store.edit_plan(&actor, ws, 2, &late_edit).await.unwrap();
        let (one, two) = (
            store.plan_version(ws, 1).await.unwrap().unwrap().plan,
            store.plan_version(ws, 2).await.unwrap().unwrap().plan,
        );
        assert_eq!(
            one.objectives.len(),
            1,
            "{}: the submitted version did not change",
            db.name
        );
        assert_eq!(two.objectives.len(), 2);
        assert_eq!(two.actions, one.actions, "the draft starts as a copy");
        let versions = store.plan_versions(ws).await.unwrap();
        assert_eq!(
            versions
                .iter()
                .map(|v| (v.number, v.is_submitted()))
                .collect::<Vec<_>>(),
            [(1, true), (2, false)]
        );
        assert_eq!(
            store
                .feed_counts(ws)
                .await
                .unwrap()
                .iter()
                .find(|(f, _)| *f == Feed::GroupOrganisations)
                .unwrap()
                .1,
            1.0
        );

        let trail = store.audit_events(ws, 500, 0).await.unwrap();
        assert!(
            trail.iter().filter(|e| e.entity == "plan_version").count() >= 6,
            "{}",
            db.name
        );
    }
}

#[tokio::test]
async fn members_comment_on_items_that_exist() {
    for db in every_backend_with_clock(TestClock::at("2020-12-20T10:00:00Z")).await {
        let store = &db.store;
        let (ws, actor, _, _) = setting(store).await;
        store.open_plan_draft(&actor, ws).await.unwrap();
        store
            .edit_plan(
                &actor,
                ws,
                1,
                &save(
                    ItemKind::Objective,
                    None,
                    &[
                        ("code", "SO1"),
                        ("level", "strategic"),
                        ("title_lv", "Droša mobilitāte"),
                    ],
                ),
            )
            .await
            .unwrap();
        store
            .comment_on_plan(&actor, ws, "objective:1", "Vai tas ietver arī skolas?")
            .await
            .unwrap();
        for (item, body) in [("objective:9", "x"), ("planet:1", "x"), ("objective:1", "  ")] {
            let refused = store.comment_on_plan(&actor, ws, item, body).await.unwrap_err();
            assert!(matches!(refused, StoreError::Invalid(Invalid { .. })), "{item}");
        }
        let comments = store.plan_comments(ws).await.unwrap();
        assert_eq!(comments.len(), 1);
        assert_eq!(
            (comments[0].item.as_str(), comments[0].author.as_str()),
            ("objective:1", "Koordinatore")
        );
    }
}

#[tokio::test]
async fn the_lead_partners_coordinators_and_named_readers_read_the_network() {
    for db in every_backend_with_clock(TestClock::at("2020-12-20T10:00:00Z")).await {
        let store = &db.store;
        let (ws, actor, _, _) = setting(store).await;
        let network = store.workspaces().await.unwrap()[0].network_id;
        let user = actor.user_id.unwrap();
        assert!(
            !store.reads_network_plans(user, network).await.unwrap(),
            "a partner city's coordinator"
        );
        let expert = store
            .create_user(
                &Actor::system(SystemActor::Setup),
                "eksperts@cities4csr.example",
                "Lead expert",
                "garš-parole-123",
            )
            .await
            .unwrap();
        store
            .add_network_reader(&Actor::system(SystemActor::Setup), network, expert.id)
            .await
            .unwrap();
        assert!(store.reads_network_plans(expert.id, network).await.unwrap());
        let milano = store
            .create_workspace(
                &Actor::system(SystemActor::Setup),
                network,
                &NewWorkspace {
                    slug: "milano".into(),
                    municipality: "Milano".into(),
                    country: "IT".into(),
                    policy_challenge: None,
                    is_lead_partner: true,
                    default_locale: "en".into(),
                    time_zone: "Europe/Rome".into(),
                },
            )
            .await
            .unwrap();
        store
            .grant_role(&Actor::system(SystemActor::Setup), user, milano.id, Role::Member)
            .await
            .unwrap();
        assert!(
            !store.reads_network_plans(user, network).await.unwrap(),
            "a member of the lead partner's group"
        );
        store
            .grant_role(&Actor::system(SystemActor::Setup), user, milano.id, Role::Coordinator)
            .await
            .unwrap();
        assert!(
            store.reads_network_plans(user, network).await.unwrap(),
            "the lead partner's coordinator"
        );
        assert!(
            store
                .workspace_by_slug("kekava")
                .await
                .unwrap()
                .is_some_and(|w| w.id == ws)
        );
    }
}

/// A city asks for a review of a version; a reviewer comments on a section and on an item
/// of it; the city answers one, and the review says one still waits. A settled comment is
/// not answered again, and the members' own comments stay apart from the review's.
#[tokio::test]
async fn a_review_gathers_comments_on_a_version_and_the_citys_answers() {
    use kopa_domain::plan::review::{AnswerInput, CommentState, ReviewRequestInput};
    for db in every_backend_with_clock(TestClock::at("2021-03-01T10:00:00Z")).await {
        let store = &db.store;
        let (ws, city, _, _) = setting(store).await;
        let city_id = city.user_id.unwrap();
        store.open_plan_draft(&city, ws).await.unwrap();
        let objective = save(
            ItemKind::Objective,
            None,
            &[
                ("code", "SO1"),
                ("level", "strategic"),
                ("title_lv", "Droša mobilitāte"),
            ],
        );
        store.edit_plan(&city, ws, 1, &objective).await.unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2021, 3, 1).unwrap();
        let ask = |version: &str| ReviewRequestInput {
            version: version.into(),
            due_on: "2021-03-15".into(),
            note: "Lūdzu skatīt mērķus".into(),
        };
        let unknown = store
            .request_review(&city, ws, &ask("7").validate(today).unwrap(), city_id)
            .await
            .unwrap_err();
        assert!(matches!(unknown, StoreError::Invalid(_)), "{}", db.name);
        let review = store
            .request_review(&city, ws, &ask("1").validate(today).unwrap(), city_id)
            .await
            .unwrap();
        assert_eq!((review.version, review.open, review.raised), (1, 0, 0));

        let expert = store
            .create_user(
                &Actor::system(SystemActor::Setup),
                "eksperts@tikls.example",
                "Vadošā eksperte",
                "garš-parole-123",
            )
            .await
            .unwrap();
        let (expert_id, expert) = (expert.id, Actor::user(expert.id, &expert.email));
        let on_section = store
            .comment_in_review(
                &expert,
                ws,
                review.id,
                expert_id,
                ("section:actions", "Rīcībām trūkst izmaksu"),
            )
            .await
            .unwrap();
        store
            .comment_in_review(
                &expert,
                ws,
                review.id,
                expert_id,
                ("objective:1", "Kā mērīsiet drošību?"),
            )
            .await
            .unwrap();
        for (item, body) in [("objective:9", "x"), ("section:appendix", "x"), ("objective:1", " ")] {
            let refused = store
                .comment_in_review(&expert, ws, review.id, expert_id, (item, body))
                .await
                .unwrap_err();
            assert!(matches!(refused, StoreError::Invalid(_)), "{item}");
        }

        let comment = store.review_comment(ws, on_section).await.unwrap().unwrap();
        assert_eq!(comment.state, CommentState::Open);
        let answer = AnswerInput {
            state: "accepted".into(),
            answer: "Izmaksas pievienotas katrai rīcībai".into(),
        };
        let answered = store
            .answer_review_comment(&city, ws, &comment, (&answer.validate(comment.state).unwrap(), city_id))
            .await
            .unwrap();
        assert_eq!(answered.state, CommentState::Accepted);
        assert_eq!(answered.answered_by.as_deref(), Some("Koordinatore"));
        // An answer given from what the comment was before lands no more.
        let again = store
            .answer_review_comment(&city, ws, &comment, (&answer.validate(comment.state).unwrap(), city_id))
            .await
            .unwrap_err();
        assert!(matches!(again, StoreError::Invalid(_)), "{}", db.name);

        let reviews = store.plan_reviews(ws).await.unwrap();
        assert_eq!((reviews[0].open, reviews[0].raised), (1, 2), "{}", db.name);
        let comments = store.review_comments(ws, review.id).await.unwrap();
        assert_eq!(
            comments.iter().map(|c| c.author.as_str()).collect::<Vec<_>>(),
            ["Vadošā eksperte"; 2]
        );
        assert!(
            store.plan_comments(ws).await.unwrap().is_empty(),
            "the members' thread is apart"
        );
    }
}
