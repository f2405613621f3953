//! The local action group and the audit log through the API.

use axum::Json;
use axum::extract::Query;
use axum::response::Response;
use kopa_domain::audit::AuditEvent;
use kopa_domain::group::{
    Membership, MembershipInput, Organisation, OrganisationInput, Person, PersonInput, Stakeholder, StakeholderInput,
};
use kopa_store::MemberRow;
use serde::Deserialize;

use super::{ApiJson, created};
use crate::context::Scope;
use crate::error::WebError;

#[utoipa::path(get, path = "/api/v1/workspaces/{slug}/organisations", tag = "group",
    params(("slug" = String, Path)), responses((status = 200, body = [Organisation])))]
pub async fn organisations(scope: Scope) -> Result<Json<Vec<Organisation>>, WebError> {
    Ok(Json(scope.app().organisations(&scope.caller()).await?))
}

#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/organisations", tag = "group",
    params(("slug" = String, Path)), request_body = OrganisationInput,
    responses((status = 201, body = Organisation), (status = 422, body = super::ProblemDocument)))]
pub async fn create_organisation(
    scope: Scope,
    ApiJson(input): ApiJson<OrganisationInput>,
) -> Result<Response, WebError> {
    Ok(created(scope.app().add_organisation(&scope.caller(), &input).await?))
}

/// Memberships in the management group, the core and the wider group.
#[utoipa::path(get, path = "/api/v1/workspaces/{slug}/members", tag = "group",
    params(("slug" = String, Path)), responses((status = 200, body = [MemberRow]), (status = 401, body = super::ProblemDocument)))]
pub async fn members(scope: Scope) -> Result<Json<Vec<MemberRow>>, WebError> {
    Ok(Json(scope.app().members(&scope.caller()).await?))
}

/// Adds a membership in one of the group's bodies for a person already in the workspace.
#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/members", tag = "group",
    params(("slug" = String, Path)), request_body = MembershipInput,
    responses((status = 201, body = Membership), (status = 422, body = super::ProblemDocument)))]
pub async fn add_membership(scope: Scope, ApiJson(input): ApiJson<MembershipInput>) -> Result<Response, WebError> {
    Ok(created(scope.app().add_membership(&scope.caller(), &input).await?))
}

/// People in the group; e-mail addresses only for those who may see personal data.
#[utoipa::path(get, path = "/api/v1/workspaces/{slug}/people", tag = "group",
    params(("slug" = String, Path)), responses((status = 200, body = [Person]), (status = 401, body = super::ProblemDocument)))]
pub async fn people(scope: Scope) -> Result<Json<Vec<Person>>, WebError> {
    Ok(Json(scope.app().people(&scope.caller()).await?))
}

/// Adds a person, with a first membership when `body` is given.
#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/people", tag = "group",
    params(("slug" = String, Path)), request_body = PersonInput,
    responses((status = 201, body = Person), (status = 422, body = super::ProblemDocument)))]
pub async fn create_person(scope: Scope, ApiJson(input): ApiJson<PersonInput>) -> Result<Response, WebError> {
    Ok(created(scope.app().add_person(&scope.caller(), &input).await?))
}

#[utoipa::path(get, path = "/api/v1/workspaces/{slug}/stakeholders", tag = "group",
    params(("slug" = String, Path)), responses((status = 200, body = [Stakeholder]), (status = 401, body = super::ProblemDocument)))]
pub async fn stakeholders(scope: Scope) -> Result<Json<Vec<Stakeholder>>, WebError> {
    Ok(Json(scope.app().stakeholders(&scope.caller()).await?))
}

/// Records an organisation's power (1–5) and interest (1–5); replaces an earlier assessment.
#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/stakeholders", tag = "group",
    params(("slug" = String, Path)), request_body = StakeholderInput,
    responses((status = 201, body = Stakeholder), (status = 422, body = super::ProblemDocument)))]
pub async fn assess(scope: Scope, ApiJson(input): ApiJson<StakeholderInput>) -> Result<Response, WebError> {
    Ok(created(scope.app().assess_stakeholder(&scope.caller(), &input).await?))
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
    let limit = query.limit.unwrap_or(100).clamp(1, 500);
    let offset = query.offset.unwrap_or(0).max(0);
    Ok(Json(scope.app().audit_events(&scope.caller(), limit, offset).await?))
}
