use kopa_domain::group::OrganisationInput;
use kopa_store::Store;
use kopa_store::testing::every_backend;

use crate::{coordinator, workspace};

fn has_command(name: &str) -> bool {
    std::process::Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[tokio::test]
async fn a_backup_restores_what_was_there_when_it_was_taken() {
    for db in every_backend().await {
        if db.name == "postgres" && !has_command("pg_dump") {
            kopa_store::testing::say_skipped("the PostgreSQL backup test: pg_dump is not installed.");
            continue;
        }
        let store = &db.store;
        let ws = workspace(store).await;
        let org = |name: &str| {
            OrganisationInput {
                name: name.into(),
                sector: "business".into(),
                ..Default::default()
            }
            .validate()
            .unwrap()
        };
        store
            .create_organisation(&coordinator(), ws.id, &org("Before"))
            .await
            .unwrap();

        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("kopa.backup");
        store.backup(&file).await.unwrap();
        assert!(
            store.backup(&file).await.is_err(),
            "{}: an existing file is never overwritten",
            db.name
        );

        store
            .create_organisation(&coordinator(), ws.id, &org("After"))
            .await
            .unwrap();
        store.close().await;
        Store::restore(&db.url, &file).await.unwrap();

        let reopened = Store::open(&db.url).await.unwrap();
        let ws = reopened.workspace_by_slug("kekava").await.unwrap().unwrap();
        let names: Vec<String> = reopened
            .organisations(ws.id)
            .await
            .unwrap()
            .into_iter()
            .map(|o| o.name)
            .collect();
        assert_eq!(names, ["Before"], "{}", db.name);
        assert_eq!(reopened.verify_audit_chain().await.unwrap().broken, None, "{}", db.name);
    }
}

#[tokio::test]
async fn restoring_from_a_file_that_is_not_a_backup_changes_nothing() {
    let db = kopa_store::testing::sqlite(std::sync::Arc::new(kopa_store::SystemClock)).await;
    workspace(&db.store).await;
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.backup");
    std::fs::write(&junk, b"this is not a database").unwrap();
    let error = Store::restore(&db.url, &junk).await.unwrap_err();
    assert!(error.to_string().contains("not a database"), "{error}");
    assert!(db.store.workspace_by_slug("kekava").await.unwrap().is_some());
}
