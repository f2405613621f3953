//! The network's front page and each workspace's home.

use askama::Template;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use std::sync::Arc;

use kopa_app::{Attention, Home};
use kopa_domain::cooperation::file::Flag;
use kopa_domain::cooperation::instrument::Requirement;
use kopa_domain::workspace::{Network, Workspace};

use super::cooperation::flag_text;
use super::{Chrome, render};
use crate::AppState;
use crate::context::{Scope, Visitor};
use crate::error::WebError;

#[derive(Template)]
#[template(path = "network.html")]
struct NetworkPage {
    page: Chrome,
    networks: Vec<(Network, Vec<Workspace>)>,
}

pub async fn network(State(state): State<AppState>, visitor: Visitor, uri: Uri) -> Result<Response, WebError> {
    let networks = state.app.networks().await?;
    let locale = visitor.locale(None);
    let page = Chrome::plain(&state, Some(&visitor), locale, "network-title", uri.path());
    render(NetworkPage { page, networks })
}

#[derive(Template)]
#[template(path = "workspace.html")]
struct WorkspacePage {
    page: Chrome,
    home: Arc<Home>,
    /// What waits on the coordinators, for them.
    attention: Option<Attention>,
}

impl WorkspacePage {
    fn flag(&self, flag: &Flag) -> String {
        flag_text(&self.page, flag)
    }

    /// What an instrument still lacks at its gate, in words.
    fn missing(&self, missing: &[Requirement]) -> String {
        let names: Vec<String> = missing.iter().map(|r| self.page.code("requirement", r)).collect();
        names.join(", ")
    }
}

pub async fn workspace(scope: Scope) -> Result<Response, WebError> {
    let (app, caller) = (scope.app(), scope.caller());
    let home = app.home(&caller).await?;
    let attention = app.attention(&caller).await?;
    let page = Chrome::for_scope_titled(&scope, "nav-home", scope.workspace.municipality.clone());
    render(WorkspacePage { page, home, attention })
}
