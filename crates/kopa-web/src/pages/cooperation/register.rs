//! The public register of agreements: what businesses committed, by whom, for what and how
//! much, when it was approved and published, and what they owe the public. Overdue
//! publications and missed checks are shown here too, for anyone to see.

use askama::Template;
use axum::response::Response;
use kopa_domain::Action;
use kopa_domain::cooperation::instrument::InstrumentStatus;
use kopa_domain::money::format_euros;

use super::{Duty, Listed, duties, listed, today};
use crate::context::Scope;
use crate::error::WebError;
use crate::pages::{Chrome, render};

/// One agreement with its obligations described.
pub struct Entry {
    pub listed: Listed,
    pub obligations: Vec<Duty>,
}

#[derive(Template)]
#[template(path = "agreements.html")]
struct RegisterPage {
    page: Chrome,
    entries: Vec<Entry>,
    total: String,
}

/// Accepted agreements: approved, in force, or completed.
fn is_accepted(status: InstrumentStatus) -> bool {
    matches!(
        status,
        InstrumentStatus::Approved | InstrumentStatus::Active | InstrumentStatus::Completed
    )
}

pub async fn show(scope: Scope) -> Result<Response, WebError> {
    scope.require(Action::ViewPublished)?;
    let today = today(&scope);
    let page = Chrome::for_scope(&scope, "nav-agreements");
    let files = scope
        .state
        .app
        .store
        .instrument_files(scope.id(), today)
        .await?
        .into_iter()
        .filter(|f| is_accepted(f.instrument.status))
        .collect();
    let entries: Vec<Entry> = listed(&page, files, today)
        .into_iter()
        .map(|listed| Entry {
            obligations: duties(&page, &listed.file),
            listed,
        })
        .collect();
    let total = format_euros(
        entries.iter().map(|e| e.listed.file.instrument.value_cents).sum(),
        page.lang(),
    );
    render(RegisterPage { page, entries, total })
}
