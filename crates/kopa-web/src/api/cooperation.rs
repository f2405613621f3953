//! Cooperation with business through the API: partners and their standing, instruments
//! through every step of their file, audit packs, and the public register of agreements as
//! open data. Each call is the use case the pages call.

use axum::Json;
use axum::extract::{Path, Query};
use axum::response::Response;
use kopa_domain::cooperation::file::{Agreement, InstrumentFile};
use kopa_domain::cooperation::instrument::{
    ApprovalInput, Declaration, DeclarationInput, Document, DocumentInput, EvidenceInput, Instrument, InstrumentInput,
    JustificationInput, PublicationInput, StepInput,
};
use kopa_domain::cooperation::obligation::{Inspection, InspectionInput, Obligation, ObligationInput, RemedyInput};
use kopa_domain::cooperation::pack::AuditPack;
use kopa_domain::cooperation::partner::{
    ClosingInput, Partner, PartnerAccountInput, PartnerInput, Procedure, ProcedureInput, Standing, TaxCheck,
    TaxCheckInput,
};
use serde::Serialize;

use super::{ApiJson, Cursor, created};
use crate::context::{Scope, parse_id};
use crate::error::WebError;

type Id = Path<(String, String)>;
type SubId = Path<(String, String, String)>;

/// A partner with its standing today as an uninvolved third party.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PartnerSummary {
    partner: Partner,
    standing: Standing,
}

/// An account that acts for a partner.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PartnerAccountSummary {
    user_id: i64,
    display_name: String,
}

/// A partner with what its standing rests on, and the accounts acting for it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PartnerDetail {
    partner: Partner,
    standing: Standing,
    procedures: Vec<Procedure>,
    tax_checks: Vec<TaxCheck>,
    accounts: Vec<PartnerAccountSummary>,
}

async fn partner_detail(scope: &Scope, id: i64) -> Result<PartnerDetail, WebError> {
    let file = scope.app().partner_file(&scope.caller(), id).await?;
    Ok(PartnerDetail {
        partner: file.partner,
        standing: file.standing,
        procedures: file.procedures,
        tax_checks: file.tax_checks,
        accounts: file
            .accounts
            .into_iter()
            .map(|a| PartnerAccountSummary {
                user_id: a.user_id,
                display_name: a.display_name,
            })
            .collect(),
    })
}

#[utoipa::path(get, path = "/api/v1/workspaces/{slug}/partners", tag = "cooperation",
    params(("slug" = String, Path)), responses((status = 200, body = [PartnerSummary])))]
pub async fn partners(scope: Scope) -> Result<Json<Vec<PartnerSummary>>, WebError> {
    let partners = scope.app().partners(&scope.caller()).await?;
    let summaries = partners
        .into_iter()
        .map(|(partner, standing)| PartnerSummary { partner, standing });
    Ok(Json(summaries.collect()))
}

#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/partners", tag = "cooperation",
    params(("slug" = String, Path)), request_body = PartnerInput, responses((status = 201, body = PartnerDetail)))]
pub async fn add_partner(scope: Scope, ApiJson(input): ApiJson<PartnerInput>) -> Result<Response, WebError> {
    let partner = scope.app().add_partner(&scope.caller(), &input).await?;
    Ok(created(partner_detail(&scope, partner.id).await?))
}

#[utoipa::path(get, path = "/api/v1/workspaces/{slug}/partners/{id}", tag = "cooperation",
    params(("slug" = String, Path), ("id" = i64, Path)), responses((status = 200, body = PartnerDetail)))]
pub async fn partner(scope: Scope, Path((_, id)): Id) -> Result<Json<PartnerDetail>, WebError> {
    Ok(Json(partner_detail(&scope, parse_id(&id)?).await?))
}

/// Changes the owners and contact; the organisation stays, whatever `organisation_id` says.
#[utoipa::path(put, path = "/api/v1/workspaces/{slug}/partners/{id}", tag = "cooperation",
    params(("slug" = String, Path), ("id" = i64, Path)), request_body = PartnerInput,
    responses((status = 200, body = PartnerDetail)))]
pub async fn update_partner(
    scope: Scope,
    Path((_, id)): Id,
    ApiJson(input): ApiJson<PartnerInput>,
) -> Result<Json<PartnerDetail>, WebError> {
    let id = parse_id(&id)?;
    scope.app().update_partner(&scope.caller(), id, &input).await?;
    Ok(Json(partner_detail(&scope, id).await?))
}

#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/partners/{id}/procedures", tag = "cooperation",
    params(("slug" = String, Path), ("id" = i64, Path)), request_body = ProcedureInput,
    responses((status = 201, body = Procedure)))]
pub async fn open_procedure(
    scope: Scope,
    Path((_, id)): Id,
    ApiJson(input): ApiJson<ProcedureInput>,
) -> Result<Response, WebError> {
    let procedure = scope
        .app()
        .open_procedure(&scope.caller(), parse_id(&id)?, &input)
        .await?;
    Ok(created(procedure))
}

#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/partners/{id}/closed-procedures", tag = "cooperation",
    params(("slug" = String, Path), ("id" = i64, Path)), request_body = ClosingInput,
    responses((status = 200, body = PartnerDetail)))]
pub async fn close_procedure(
    scope: Scope,
    Path((_, id)): Id,
    ApiJson(input): ApiJson<ClosingInput>,
) -> Result<Json<PartnerDetail>, WebError> {
    let id = parse_id(&id)?;
    scope.app().close_procedure(&scope.caller(), id, &input).await?;
    Ok(Json(partner_detail(&scope, id).await?))
}

#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/partners/{id}/tax-checks", tag = "cooperation",
    params(("slug" = String, Path), ("id" = i64, Path)), request_body = TaxCheckInput,
    responses((status = 201, body = TaxCheck)))]
pub async fn record_tax_check(
    scope: Scope,
    Path((_, id)): Id,
    ApiJson(input): ApiJson<TaxCheckInput>,
) -> Result<Response, WebError> {
    let check = scope
        .app()
        .record_tax_check(&scope.caller(), parse_id(&id)?, &input)
        .await?;
    Ok(created(check))
}

#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/partners/{id}/accounts", tag = "cooperation",
    params(("slug" = String, Path), ("id" = i64, Path)), request_body = PartnerAccountInput,
    responses((status = 201, body = PartnerDetail)))]
pub async fn link_account(
    scope: Scope,
    Path((_, id)): Id,
    ApiJson(input): ApiJson<PartnerAccountInput>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    scope.app().link_partner_account(&scope.caller(), id, &input).await?;
    Ok(created(partner_detail(&scope, id).await?))
}

/// Every instrument, the newest first, a page at a time.
#[utoipa::path(operation_id = "list_instruments", get, path = "/api/v1/workspaces/{slug}/instruments",
    tag = "cooperation", params(("slug" = String, Path), Cursor),
    responses((status = 200, body = [Instrument], headers(("Link" = String,
        description = "The next page, as `<address>; rel=\"next\"`, while there may be more.")))))]
pub async fn instruments(scope: Scope, Query(cursor): Query<Cursor>) -> Result<Response, WebError> {
    let files = scope.app().instrument_files(&scope.caller()).await?;
    let instruments: Vec<&Instrument> = files.files.iter().map(|f| &f.instrument).collect();
    let page = cursor.newest(&instruments, |i| i.id).into_iter().cloned().collect();
    let path = format!("/api/v1/workspaces/{}/instruments", scope.workspace.slug);
    Ok(cursor.page(&path, page, |i: &Instrument| i.id))
}

#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/instruments", tag = "cooperation",
    params(("slug" = String, Path)), request_body = InstrumentInput, responses((status = 201, body = InstrumentFile)))]
pub async fn draft_instrument(scope: Scope, ApiJson(input): ApiJson<InstrumentInput>) -> Result<Response, WebError> {
    let drafted = scope.app().draft_instrument(&scope.caller(), &input).await?;
    Ok(created(file(&scope, drafted.id).await?))
}

/// A business offers an instrument in the name of a partner its account acts for; the
/// coordinator finds it as a draft.
#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/offers", tag = "cooperation",
    params(("slug" = String, Path)), request_body = InstrumentInput, responses((status = 201, body = Instrument)))]
pub async fn offer_instrument(scope: Scope, ApiJson(input): ApiJson<InstrumentInput>) -> Result<Response, WebError> {
    Ok(created(scope.app().offer_instrument(&scope.caller(), &input).await?))
}

async fn file(scope: &Scope, id: i64) -> Result<InstrumentFile, WebError> {
    Ok(scope.app().instrument_file(&scope.caller(), id).await?)
}

/// An instrument's whole file: partner, rules, records, approval, obligations, steps.
#[utoipa::path(get, path = "/api/v1/workspaces/{slug}/instruments/{id}", tag = "cooperation",
    params(("slug" = String, Path), ("id" = i64, Path)), responses((status = 200, body = InstrumentFile)))]
pub async fn instrument(scope: Scope, Path((_, id)): Id) -> Result<Json<InstrumentFile>, WebError> {
    Ok(Json(file(&scope, parse_id(&id)?).await?))
}

#[utoipa::path(put, path = "/api/v1/workspaces/{slug}/instruments/{id}", tag = "cooperation",
    params(("slug" = String, Path), ("id" = i64, Path)), request_body = InstrumentInput,
    responses((status = 200, body = InstrumentFile)))]
pub async fn edit_instrument(
    scope: Scope,
    Path((_, id)): Id,
    ApiJson(input): ApiJson<InstrumentInput>,
) -> Result<Json<InstrumentFile>, WebError> {
    let id = parse_id(&id)?;
    scope.app().edit_instrument(&scope.caller(), id, &input).await?;
    Ok(Json(file(&scope, id).await?))
}

/// Moves the instrument one step: submitted, active (through the activation gate),
/// completed, rejected, terminated, or back to draft. Approval has its own call.
#[utoipa::path(operation_id = "move_instrument", post, path = "/api/v1/workspaces/{slug}/instruments/{id}/steps", tag = "cooperation",
    params(("slug" = String, Path), ("id" = i64, Path)), request_body = StepInput,
    responses((status = 200, body = InstrumentFile)))]
pub async fn step(
    scope: Scope,
    Path((_, id)): Id,
    ApiJson(input): ApiJson<StepInput>,
) -> Result<Json<InstrumentFile>, WebError> {
    let id = parse_id(&id)?;
    scope.app().move_instrument(&scope.caller(), id, &input).await?;
    Ok(Json(file(&scope, id).await?))
}

/// Records the approval through the approval gate, with the vote typed or taken from a
/// recorded meeting decision.
#[utoipa::path(operation_id = "approve_instrument", post, path = "/api/v1/workspaces/{slug}/instruments/{id}/approval", tag = "cooperation",
    params(("slug" = String, Path), ("id" = i64, Path)), request_body = ApprovalInput,
    responses((status = 200, body = InstrumentFile)))]
pub async fn approve(
    scope: Scope,
    Path((_, id)): Id,
    ApiJson(input): ApiJson<ApprovalInput>,
) -> Result<Json<InstrumentFile>, WebError> {
    let id = parse_id(&id)?;
    scope.app().approve_instrument(&scope.caller(), id, &input).await?;
    Ok(Json(file(&scope, id).await?))
}

/// Why working with an involved partner is justified; blank withdraws it.
#[utoipa::path(put, path = "/api/v1/workspaces/{slug}/instruments/{id}/justification", tag = "cooperation",
    params(("slug" = String, Path), ("id" = i64, Path)), request_body = JustificationInput,
    responses((status = 200, body = InstrumentFile)))]
pub async fn justify(
    scope: Scope,
    Path((_, id)): Id,
    ApiJson(input): ApiJson<JustificationInput>,
) -> Result<Json<InstrumentFile>, WebError> {
    let id = parse_id(&id)?;
    scope.app().justify_instrument(&scope.caller(), id, &input).await?;
    Ok(Json(file(&scope, id).await?))
}

/// Records what satisfies one requirement of the rules; a second record of the same
/// requirement replaces the first.
#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/instruments/{id}/evidence", tag = "cooperation",
    params(("slug" = String, Path), ("id" = i64, Path)), request_body = EvidenceInput,
    responses((status = 200, body = InstrumentFile)))]
pub async fn record_evidence(
    scope: Scope,
    Path((_, id)): Id,
    ApiJson(input): ApiJson<EvidenceInput>,
) -> Result<Json<InstrumentFile>, WebError> {
    let id = parse_id(&id)?;
    scope.app().record_evidence(&scope.caller(), id, &input).await?;
    Ok(Json(file(&scope, id).await?))
}

#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/instruments/{id}/declarations", tag = "cooperation",
    params(("slug" = String, Path), ("id" = i64, Path)), request_body = DeclarationInput,
    responses((status = 201, body = Declaration)))]
pub async fn declare(
    scope: Scope,
    Path((_, id)): Id,
    ApiJson(input): ApiJson<DeclarationInput>,
) -> Result<Response, WebError> {
    let declared = scope
        .app()
        .declare_interest(&scope.caller(), parse_id(&id)?, &input)
        .await?;
    Ok(created(declared))
}

#[utoipa::path(operation_id = "publish_instrument", put, path = "/api/v1/workspaces/{slug}/instruments/{id}/publication", tag = "cooperation",
    params(("slug" = String, Path), ("id" = i64, Path)), request_body = PublicationInput,
    responses((status = 200, body = InstrumentFile)))]
pub async fn publish(
    scope: Scope,
    Path((_, id)): Id,
    ApiJson(input): ApiJson<PublicationInput>,
) -> Result<Json<InstrumentFile>, WebError> {
    let id = parse_id(&id)?;
    scope.app().publish_instrument(&scope.caller(), id, &input).await?;
    Ok(Json(file(&scope, id).await?))
}

#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/instruments/{id}/documents", tag = "cooperation",
    params(("slug" = String, Path), ("id" = i64, Path)), request_body = DocumentInput,
    responses((status = 201, body = Document)))]
pub async fn file_document(
    scope: Scope,
    Path((_, id)): Id,
    ApiJson(input): ApiJson<DocumentInput>,
) -> Result<Response, WebError> {
    Ok(created(
        scope
            .app()
            .file_document(&scope.caller(), parse_id(&id)?, &input)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/instruments/{id}/obligations", tag = "cooperation",
    params(("slug" = String, Path), ("id" = i64, Path)), request_body = ObligationInput,
    responses((status = 201, body = Obligation)))]
pub async fn add_obligation(
    scope: Scope,
    Path((_, id)): Id,
    ApiJson(input): ApiJson<ObligationInput>,
) -> Result<Response, WebError> {
    Ok(created(
        scope
            .app()
            .add_obligation(&scope.caller(), parse_id(&id)?, &input)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/instruments/{id}/obligations/{obligation}/inspections",
    tag = "cooperation",
    params(("slug" = String, Path), ("id" = i64, Path), ("obligation" = i64, Path)), request_body = InspectionInput,
    responses((status = 201, body = Inspection)))]
pub async fn inspect(
    scope: Scope,
    Path((_, id, obligation)): SubId,
    ApiJson(input): ApiJson<InspectionInput>,
) -> Result<Response, WebError> {
    let (id, obligation) = (parse_id(&id)?, parse_id(&obligation)?);
    let inspection = scope
        .app()
        .record_inspection(&scope.caller(), id, obligation, &input)
        .await?;
    Ok(created(inspection))
}

/// Records the day an inspection's finding was put right.
#[utoipa::path(post, path = "/api/v1/workspaces/{slug}/instruments/{id}/obligations/{obligation}/remedies",
    tag = "cooperation",
    params(("slug" = String, Path), ("id" = i64, Path), ("obligation" = i64, Path)), request_body = RemedyInput,
    responses((status = 200, body = Inspection)))]
pub async fn remedied(
    scope: Scope,
    Path((_, id, obligation)): SubId,
    ApiJson(input): ApiJson<RemedyInput>,
) -> Result<Json<Inspection>, WebError> {
    let (id, obligation) = (parse_id(&id)?, parse_id(&obligation)?);
    Ok(Json(
        scope
            .app()
            .mark_remedied(&scope.caller(), id, obligation, &input)
            .await?,
    ))
}

/// The instrument's audit pack: its file, each record's audit trail, and whether the chain
/// and every record check out. The sealed download is at the audit-pack page.
#[utoipa::path(get, path = "/api/v1/workspaces/{slug}/instruments/{id}/audit-pack", tag = "cooperation",
    params(("slug" = String, Path), ("id" = i64, Path)), responses((status = 200, body = AuditPack)))]
pub async fn audit_pack(scope: Scope, Path((_, id)): Id) -> Result<Json<AuditPack>, WebError> {
    Ok(Json(scope.app().audit_pack(&scope.caller(), parse_id(&id)?).await?))
}

/// The public register as open data: every accepted agreement with its partner, value,
/// approval, publication, obligations and what is overdue, the newest first.
#[utoipa::path(get, path = "/api/v1/workspaces/{slug}/agreements", tag = "open data",
    params(("slug" = String, Path), Cursor),
    responses((status = 200, body = [Agreement], headers(("Link" = String,
        description = "The next page, as `<address>; rel=\"next\"`, while there may be more.")))))]
pub async fn agreements(scope: Scope, Query(cursor): Query<Cursor>) -> Result<Response, WebError> {
    let agreements = scope.app().agreements(&scope.caller()).await?;
    let page = cursor.newest(&agreements, |a| a.id);
    let path = format!("/api/v1/workspaces/{}/agreements", scope.workspace.slug);
    Ok(cursor.page(&path, page, |a: &Agreement| a.id))
}
