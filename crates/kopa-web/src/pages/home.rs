//! The network's front page and each workspace's home.

use askama::Template;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use chrono::NaiveDateTime;
use kopa_domain::Action;
use kopa_domain::plan::Milestone;
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
    let workspaces = state.app.store.workspaces().await?;
    let networks = state
        .app
        .store
        .networks()
        .await?
        .into_iter()
        .map(|network| {
            let members = workspaces
                .iter()
                .filter(|w| w.network_id == network.id)
                .cloned()
                .collect();
            (network, members)
        })
        .collect();
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
    roadmap: Option<(i64, Vec<Milestone>, Vec<Milestone>)>,
    /// The newest version of the plan open to everyone.
    published_plan: Option<i64>,
}

pub async fn workspace(scope: Scope) -> Result<Response, WebError> {
    scope.require(Action::ViewPublished)?;
    let include_unpublished = scope.may(Action::ViewGroup);
    let now: NaiveDateTime = scope.state.app.store.now().naive_utc();
    let MeetingsAround {
        upcoming, past: recent, ..
    } = scope
        .state
        .app
        .store
        .meetings_around(scope.id(), include_unpublished, now, 5, 0)
        .await?;
    let decisions = scope
        .state
        .app
        .store
        .workspace_decisions(scope.id(), include_unpublished, 10)
        .await?;
    let roadmap = match scope.may(Action::ViewPlan) {
        true => scope.state.app.store.current_plan(scope.id()).await?.map(|version| {
            let attention = version.plan.attention(super::cooperation::today(&scope));
            let owned = |list: Vec<&Milestone>| list.into_iter().cloned().collect();
            (version.info.number, owned(attention.overdue), owned(attention.upcoming))
        }),
        false => None,
    };
    let published_plan = scope
        .state
        .app
        .store
        .published_plan(scope.id())
        .await?
        .map(|v| v.info.number);
    let page = Chrome::for_scope_titled(&scope, "nav-home", scope.workspace.municipality.clone());
    render(WorkspacePage {
        page,
        upcoming,
        recent,
        decisions,
        roadmap,
        published_plan,
    })
}
