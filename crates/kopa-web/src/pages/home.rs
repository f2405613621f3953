//! The network's front page and each workspace's home.

use askama::Template;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use std::sync::Arc;

use kopa_app::Home;
use kopa_domain::workspace::{Network, Workspace};

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
}

pub async fn workspace(scope: Scope) -> Result<Response, WebError> {
    let home = scope.app().home(&scope.caller()).await?;
    let page = Chrome::for_scope_titled(&scope, "nav-home", scope.workspace.municipality.clone());
    render(WorkspacePage { page, home })
}
