//! The network's front page and each workspace's home.

use askama::Template;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use kopa_app::PlanAttention;
use kopa_domain::workspace::{Network, Workspace};
use kopa_store::{DecisionInContext, MeetingSummary, MeetingsAround};

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
    upcoming: Vec<MeetingSummary>,
    recent: Vec<MeetingSummary>,
    decisions: Vec<DecisionInContext>,
    /// The plan's overdue and coming milestones, for those who work on the plan.
    roadmap: Option<PlanAttention>,
    /// The newest version of the plan open to everyone.
    published_plan: Option<i64>,
}

pub async fn workspace(scope: Scope) -> Result<Response, WebError> {
    let (app, caller) = (scope.app(), scope.caller());
    let MeetingsAround {
        upcoming, past: recent, ..
    } = app.meetings_around(&caller, 5, 0).await?;
    let page = Chrome::for_scope_titled(&scope, "nav-home", scope.workspace.municipality.clone());
    render(WorkspacePage {
        page,
        upcoming,
        recent,
        decisions: app.recent_decisions(&caller, 10).await?,
        roadmap: app.plan_attention(&caller).await?,
        published_plan: app.published_plan_number(&caller).await?,
    })
}
