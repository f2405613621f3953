//! The public register of agreements: what businesses committed, by whom, for what and how
//! much, when it was approved and published, and what they owe the public. Overdue
//! publications and missed checks are shown here too, for anyone to see.

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use kopa_domain::money::format_euros;

use super::{Duty, Listed, duties, listed_files};
use crate::context::Scope;
use crate::error::WebError;
use crate::pages::{Chrome, PageQuery, Pages, render};

/// One agreement with its obligations described.
pub struct Entry {
    pub listed: Listed,
    pub obligations: Vec<Duty>,
}

#[derive(Template)]
#[template(path = "agreements.html")]
struct RegisterPage {
    page: Chrome,
    /// One page of the agreements, and where it sits.
    entries: Vec<Entry>,
    pages: Pages,
    /// How many agreements there are, and their value, on every page.
    count: usize,
    total: String,
}

pub async fn show(scope: Scope, Query(query): Query<PageQuery>) -> Result<Response, WebError> {
    let page = Chrome::for_scope(&scope, "nav-agreements");
    let files = scope.app().accepted_files(&scope.caller()).await?;
    let accepted = listed_files(&scope, &page, files).await?;
    let total = format_euros(
        accepted.iter().map(|l| l.file.instrument.value_cents).sum(),
        page.lang(),
    );
    let (shown, pages) = Pages::of(&scope, "register-showing", &query, &accepted, |n| {
        format!("/w/{}/agreements?page={n}", scope.workspace.slug)
    });
    let entries: Vec<Entry> = shown
        .iter()
        .map(|listed| Entry {
            obligations: duties(&page, &listed.file),
            listed: listed.clone(),
        })
        .collect();
    render(RegisterPage {
        page,
        entries,
        pages,
        count: accepted.len(),
        total,
    })
}
