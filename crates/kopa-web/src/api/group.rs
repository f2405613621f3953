//! The local action group and the audit log through the API.

use axum::Json;
use axum::extract::Query;
use axum::response::Response;
use kopa_domain::Action;
use kopa_domain::audit::AuditEvent;
use kopa_domain::group::{
    Membership, MembershipInput, Organisation, OrganisationInput, Person, PersonInput, Stakeholder, StakeholderInput,
};
use kopa_store::MemberRow;
use serde::Deserialize;

use super::{ApiJson, allow, created};
use crate::context::Scope;
use crate::error::WebError;

#[utoipa::path(get, path = "/api/v1/workspaces/{slug}/organisations", tag = "group",
    params(("slug" = String, Path)), responses((status = 200, body = [Organisation])))]
pub async fn organisations(scope: Scope) -> Result<Json<Vec<Organisation>>, WebError> {
    allow(&scope, Action::ViewPublished)?;
    Ok(Json(scope.state.app.store.organisations(scope.id()).await?))
}

#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/organisations", tag = "group",
    params(("slug" = String, Path)), request_body = OrganisationInput,
    responses((status = 201, body = Organisation), (status = 422, body = super::ProblemDocument)))]
pub async fn create_organisation(
    scope: Scope,
    ApiJson(input): ApiJson<OrganisationInput>,
) -> Result<Response, WebError> {
    allow(&scope, Action::ManageGroup)?;
    let new = input.validate().map_err(WebError::Invalid)?;
    Ok(created(
        scope
            .state
            .app
            .store
            .create_organisation(&scope.actor(), scope.id(), &new)
            .await?,
    ))
}

/// Memberships in the management group, the core and the wider group.
#[utoipa::path(get, path = "/api/v1/workspaces/{slug}/members", tag = "group",
    params(("slug" = String, Path)), responses((status = 200, body = [MemberRow]), (status = 401, body = super::ProblemDocument)))]
pub async fn members(scope: Scope) -> Result<Json<Vec<MemberRow>>, WebError> {
    allow(&scope, Action::ViewGroup)?;
    Ok(Json(scope.state.app.store.members(scope.id()).await?))
}

/// Adds a membership in one of the group's bodies for a person already in the workspace.
#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/members", tag = "group",
    params(("slug" = String, Path)), request_body = MembershipInput,
    responses((status = 201, body = Membership), (status = 422, body = super::ProblemDocument)))]
pub async fn add_membership(scope: Scope, ApiJson(input): ApiJson<MembershipInput>) -> Result<Response, WebError> {
    allow(&scope, Action::ManageGroup)?;
    let (person_id, new) = input.validate().map_err(WebError::Invalid)?;
    Ok(created(
        scope
            .state
            .app
            .store
            .add_membership(&scope.actor(), scope.id(), person_id, &new)
            .await?,
    ))
}

/// People in the group; e-mail addresses only for those who may see personal data.
#[utoipa::path(get, path = "/api/v1/workspaces/{slug}/people", tag = "group",
    params(("slug" = String, Path)), responses((status = 200, body = [Person]), (status = 401, body = super::ProblemDocument)))]
pub async fn people(scope: Scope) -> Result<Json<Vec<Person>>, WebError> {
    allow(&scope, Action::ViewGroup)?;
    let mut people = scope.state.app.store.people(scope.id()).await?;
    if !scope.may(Action::ViewPersonalData) {
        people.iter_mut().for_each(|p| p.email = None);
    }
    Ok(Json(people))
}

/// Adds a person, with a first membership when `body` is given.
#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/people", tag = "group",
    params(("slug" = String, Path)), request_body = PersonInput,
    responses((status = 201, body = Person), (status = 422, body = super::ProblemDocument)))]
pub async fn create_person(scope: Scope, ApiJson(input): ApiJson<PersonInput>) -> Result<Response, WebError> {
    allow(&scope, Action::ManageGroup)?;
    let new = input.validate().map_err(WebError::Invalid)?;
    Ok(created(
        scope
            .state
            .app
            .store
            .create_person(&scope.actor(), scope.id(), &new)
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/workspaces/{slug}/stakeholders", tag = "group",
    params(("slug" = String, Path)), responses((status = 200, body = [Stakeholder]), (status = 401, body = super::ProblemDocument)))]
pub async fn stakeholders(scope: Scope) -> Result<Json<Vec<Stakeholder>>, WebError> {
    allow(&scope, Action::ViewStakeholders)?;
    Ok(Json(scope.state.app.store.stakeholders(scope.id()).await?))
}

/// Records an organisation's power (1–5) and interest (1–5); replaces an earlier assessment.
#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/stakeholders", tag = "group",
    params(("slug" = String, Path)), request_body = StakeholderInput,
    responses((status = 201, body = Stakeholder), (status = 422, body = super::ProblemDocument)))]
pub async fn assess(scope: Scope, ApiJson(input): ApiJson<StakeholderInput>) -> Result<Response, WebError> {
    allow(&scope, Action::ManageGroup)?;
    let new = input.validate().map_err(WebError::Invalid)?;
    Ok(created(
        scope
            .state
            .app
            .store
            .assess_stakeholder(&scope.actor(), scope.id(), &new)
            .await?,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// At most 500; 100 when absent.
    limit: Option<i64>,
    offset: Option<i64>,
}

/// The workspace's audit events, newest first, with their hashes.
#[utoipa::path(get, path = "/api/v1/workspaces/{slug}/audit", tag = "audit",
    params(("slug" = String, Path), AuditQuery), responses((status = 200, body = [AuditEvent]), (status = 403, body = super::ProblemDocument)))]
pub async fn audit(scope: Scope, Query(query): Query<AuditQuery>) -> Result<Json<Vec<AuditEvent>>, WebError> {
    allow(&scope, Action::ViewAuditLog)?;
    let limit = query.limit.unwrap_or(100).clamp(1, 500);
    let offset = query.offset.unwrap_or(0).max(0);
    Ok(Json(
        scope.state.app.store.audit_events(scope.id(), limit, offset).await?,
    ))
}
