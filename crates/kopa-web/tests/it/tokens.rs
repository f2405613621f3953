//! Personal API tokens: made on a page and shown once, kept hashed, sent as a bearer token
//! without a CSRF token, limited to reading when so scoped, and dead once revoked.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};

use kopa_domain::Role;

use crate::harness::{TestApp, TestResponse, every_workspace};

async fn with_token(
    app: &mut TestApp,
    method: Method,
    path: &str,
    token: &str,
    json: Option<serde_json::Value>,
) -> TestResponse {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"));
    let body = match json {
        Some(json) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(json.to_string())
        }
        None => Body::empty(),
    };
    app.send(request.body(body).unwrap()).await
}

/// Makes a token on the page and reads its secret from what the page shows once.
async fn make_token(app: &mut TestApp, name: &str, scope: &str) -> String {
    let made = app
        .post_form("/account/tokens", &[("name", name), ("scope", scope)])
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    assert_eq!(made.headers[header::CACHE_CONTROL], "no-store");
    let start = made.body.find("value=\"kopa_").expect("the secret, shown once") + "value=\"".len();
    made.body[start..start + "kopa_".len() + 64].to_owned()
}

fn idea(title: &str) -> serde_json::Value {
    serde_json::json!({ "title": title, "body": "No skripta.", "place": "56.8260, 24.2310" })
}

#[tokio::test]
async fn a_token_acts_for_its_owner_through_the_api_until_revoked() {
    for mut app in every_workspace(&[Role::Coordinator]).await {
        // Only someone signed in has tokens.
        let anonymous = app.get("/account/tokens").await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
        assert!(anonymous.location().unwrap().starts_with("/signin?next="));

        app.sign_in_as(Role::Coordinator).await;
        let refused = app
            .post_form("/account/tokens", &[("name", ""), ("scope", "admin")])
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        let writer = make_token(&mut app, "QGIS (piemērs)", "write").await;
        let reader = make_token(&mut app, "Atskaites (piemērs)", "read").await;
        assert_ne!(writer, reader);
        let listed = app.get("/account/tokens").await.body;
        assert!(
            listed.contains("QGIS (piemērs)") && !listed.contains(&writer),
            "the secret is shown only once"
        );
        let stored = app.db.store.clone();
        let coordinator = stored
            .user_by_email(&app.account(Role::Coordinator))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.api_tokens(coordinator.id).await.unwrap().len(), 2);

        // A script has no cookie and no CSRF token: the bearer token is enough.
        app.sign_out_locally();
        let path = "/api/v1/workspaces/town/ideas";
        let made = with_token(
            &mut app,
            Method::POST,
            path,
            &writer,
            Some(idea("Velostatīvs no skripta (piemērs)")),
        )
        .await;
        assert_eq!(made.status, StatusCode::CREATED, "{} {}", app.backend(), made.body);
        let id = made.json()["id"].as_i64().unwrap();
        let ws = app.workspace_id().await;
        let written = stored.idea(ws, id).await.unwrap().unwrap();
        assert_eq!(
            written.author_user_id,
            Some(coordinator.id),
            "written as the token's owner"
        );
        let audit = with_token(
            &mut app,
            Method::GET,
            "/api/v1/workspaces/town/audit?limit=5",
            &writer,
            None,
        )
        .await;
        assert_eq!(audit.status, StatusCode::OK, "the owner's role reads the audit log");

        // A reading token reads, and may not write.
        let read = with_token(&mut app, Method::GET, path, &reader, None).await;
        assert_eq!(read.status, StatusCode::OK);
        let write = with_token(&mut app, Method::POST, path, &reader, Some(idea("Nē (piemērs)"))).await;
        assert_eq!(write.status, StatusCode::FORBIDDEN);
        assert_eq!(write.json()["detail"], "This API token allows reading only.");

        // Revoked, or never made: refused with a challenge, not taken as anonymous.
        app.sign_in_as(Role::Coordinator).await;
        let tokens = stored.api_tokens(coordinator.id).await.unwrap();
        let writer_id = tokens.iter().find(|t| t.scope.to_string() == "write").unwrap().id;
        let revoked = app.post_form(&format!("/account/tokens/{writer_id}/revoke"), &[]).await;
        assert_eq!(revoked.status, StatusCode::SEE_OTHER);
        app.sign_out_locally();
        for token in [writer.as_str(), "kopa_0000", "nonsense"] {
            let refused = with_token(&mut app, Method::GET, path, token, None).await;
            assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{token}");
            assert_eq!(refused.headers[header::WWW_AUTHENTICATE], "Bearer");
            assert_eq!(refused.headers[header::CONTENT_TYPE], "application/problem+json");
        }
        // The database holds a fingerprint of each secret, never the secret.
        let kept = kopa_store::testing::texts(&app.db.url, "SELECT token_hash FROM api_tokens").await;
        assert_eq!(kept.len(), 2);
        assert!(
            kept.iter()
                .all(|hash| hash.len() == 64 && !hash.contains(&writer[5..]) && !hash.contains(&reader[5..]))
        );
    }
}
