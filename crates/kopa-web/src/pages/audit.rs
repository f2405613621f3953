//! The audit log as coordinators read it, with an on-demand check of the whole chain.

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use kopa_domain::Action;
use kopa_domain::audit::AuditEvent;
use kopa_store::ChainReport;
use serde::Deserialize;

use super::{Chrome, render};
use crate::context::Scope;
use crate::error::WebError;

const PAGE_SIZE: i64 = 50;

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    page: Chrome,
    events: Vec<AuditEvent>,
    page_number: i64,
    pages: i64,
    report: Option<ChainReport>,
}

#[derive(Deserialize)]
pub struct AuditQuery {
    page: Option<i64>,
    verify: Option<String>,
}

pub async fn log(scope: Scope, Query(query): Query<AuditQuery>) -> Result<Response, WebError> {
    scope.require(Action::ViewAuditLog)?;
    let store = &scope.state.app.store;
    let total = store.audit_event_count(scope.id()).await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let page_number = query.page.unwrap_or(1).clamp(1, pages);
    let events = store
        .audit_events(scope.id(), PAGE_SIZE, (page_number - 1) * PAGE_SIZE)
        .await?;
    let report = match query.verify {
        Some(_) => Some(store.verify_audit_chain().await?),
        None => None,
    };
    render(AuditPage {
        page: Chrome::for_scope(&scope, "nav-audit"),
        events,
        page_number,
        pages,
        report,
    })
}
