//! The audit log as coordinators read it, with an on-demand check of the whole chain.

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use kopa_domain::audit::{AuditEvent, BrokenLink};
use kopa_report::{Arg, Words};
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

impl AuditPage {
    /// Where and how the chain breaks, in the reader's language.
    fn broken(&self, link: &BrokenLink) -> String {
        let seq = ("seq", Arg::of(link.seq()));
        match link {
            BrokenLink::Altered { .. } => self.page.message("audit-broken-altered", &[seq]),
            BrokenLink::Unlinked { .. } => self.page.message("audit-broken-unlinked", &[seq]),
            BrokenLink::Missing { found, .. } => self
                .page
                .message("audit-broken-missing", &[seq, ("found", Arg::of(found))]),
            BrokenLink::Truncated { seen, .. } => self
                .page
                .message("audit-broken-truncated", &[seq, ("seen", Arg::of(seen))]),
            BrokenLink::Rewritten { .. } => self.page.message("audit-broken-rewritten", &[seq]),
        }
    }
}

#[derive(Deserialize)]
pub struct AuditQuery {
    page: Option<i64>,
    verify: Option<String>,
}

pub async fn log(scope: Scope, Query(query): Query<AuditQuery>) -> Result<Response, WebError> {
    let (app, caller) = (scope.app(), scope.caller());
    let total = app.audit_event_count(&caller).await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let page_number = query.page.unwrap_or(1).clamp(1, pages);
    let events = app
        .audit_events(&caller, PAGE_SIZE, (page_number - 1) * PAGE_SIZE)
        .await?;
    let report = match query.verify {
        Some(_) => Some(app.verify_audit_chain(&caller).await?),
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
