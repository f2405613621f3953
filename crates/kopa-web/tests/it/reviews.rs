//! Reviews of a plan through the API: the city asks, the network's lead expert comments on
//! items of the draft, the city answers one, and the other stays open.

use axum::http::StatusCode;

use crate::harness::{COORDINATOR, RESIDENT, every_app};

const EXPERT: &str = "eksperts@cities4csr.example";

#[tokio::test]
async fn the_lead_expert_reviews_the_draft_and_the_city_answers() {
    for mut app in every_app().await {
        let reviews = "/api/v1/workspaces/kekava/plan/reviews";
        app.sign_in(COORDINATOR).await;
        let draft = app.get("/api/v1/workspaces/kekava/plan").await.json();
        let version = draft["info"]["number"].to_string();
        let action = format!("action:{}", draft["plan"]["actions"][0]["id"]);
        let past = app
            .post_json(
                reviews,
                serde_json::json!({ "version": version, "due_on": "2020-01-01" }),
            )
            .await;
        assert_eq!(past.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", past.body);
        let asked = app
            .post_json(
                reviews,
                serde_json::json!({ "version": version, "due_on": "2099-01-15", "note": "Lūdzu skatīt rīcības" }),
            )
            .await;
        assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.body);
        let review = asked.json()["id"].as_i64().unwrap();
        let comments = format!("{reviews}/{review}/comments");

        // A resident is no reviewer; the network's lead expert is, of the draft as well.
        app.sign_in(RESIDENT).await;
        let refused = app
            .post_json(
                &comments,
                serde_json::json!({ "item": "section:actions", "body": "Labi" }),
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", app.backend());
        app.sign_in(EXPERT).await;
        let mut made = Vec::new();
        for (item, body) in [
            ("section:actions", "Rīcībām trūkst izmaksu avota"),
            (action.as_str(), "Kā mērīsiet, ka rīcība izdevusies?"),
        ] {
            let comment = app
                .post_json(&comments, serde_json::json!({ "item": item, "body": body }))
                .await;
            assert_eq!(comment.status, StatusCode::CREATED, "{item}: {}", comment.body);
            assert_eq!(comment.json()["state"], "open");
            made.push(comment.json()["id"].as_i64().unwrap());
        }
        let unknown = app
            .post_json(&comments, serde_json::json!({ "item": "action:999", "body": "?" }))
            .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", unknown.body);

        // The city answers one; answering it again is refused, and one comment stays open.
        app.sign_in(COORDINATOR).await;
        let answer = format!("{comments}/{}/answer", made[0]);
        let accepted = app
            .post_json(
                &answer,
                serde_json::json!({ "state": "accepted", "answer": "Avots pievienots katrai rīcībai" }),
            )
            .await;
        assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
        assert_eq!(accepted.json()["state"], "accepted");
        let again = app
            .post_json(
                &answer,
                serde_json::json!({ "state": "declined", "answer": "Tomēr nē" }),
            )
            .await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", again.body);
        let listed = app.get(reviews).await;
        assert_eq!(listed.json()[0]["open"], 1, "{}", listed.body);
        assert_eq!(listed.json()[0]["raised"], 2);
        let file = app.get(&format!("{reviews}/{review}")).await.json();
        assert_eq!(file["comments"][0]["answer"], "Avots pievienots katrai rīcībai");
        assert_eq!(file["comments"][1]["state"], "open");
    }
}
