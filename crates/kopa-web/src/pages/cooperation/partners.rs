//! One partner: its owners and contact, its standing as an uninvolved third party with the
//! basis, its procedures and tax checks, the accounts acting for it, and its instruments.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use kopa_app::PartnerFile;
use kopa_domain::Action;
use kopa_domain::cooperation::partner::{
    ClosingInput, Partner, PartnerAccountInput, PartnerInput, Procedure, ProcedureInput, ProcedureKind, Standing,
    TaxCheck, TaxCheckInput,
};
use kopa_store::PartnerAccount;

use super::{Listed, code_options};
use crate::context::{Form, Scope, parse_id};
use crate::error::WebError;
use crate::pages::{Chrome, FormPage, FormState, render, settle};

#[derive(Template)]
#[template(path = "partner.html")]
pub struct PartnerPage {
    page: Chrome,
    partner: Partner,
    standing: Standing,
    procedures: Vec<Procedure>,
    has_open_procedures: bool,
    tax_checks: Vec<TaxCheck>,
    accounts: Vec<PartnerAccount>,
    instruments: Vec<Listed>,
    forms: PartnerForms,
    kind_options: Vec<(String, String)>,
}

#[derive(Default)]
pub struct PartnerForms {
    edit: Option<FormState>,
    procedure: FormState,
    close: FormState,
    tax: FormState,
    account: FormState,
}

fn as_typed(partner: &Partner) -> FormState {
    FormState::with_defaults(&[
        ("beneficial_owners", &partner.beneficial_owners),
        ("contact_name", partner.contact_name.as_deref().unwrap_or_default()),
        ("contact_email", partner.contact_email.as_deref().unwrap_or_default()),
        ("contact_phone", partner.contact_phone.as_deref().unwrap_or_default()),
    ])
}

async fn partner_page(scope: &Scope, id: i64, forms: PartnerForms) -> Result<PartnerPage, WebError> {
    let PartnerFile {
        partner,
        standing,
        procedures,
        tax_checks,
        accounts,
    } = scope.app().partner_file(&scope.caller(), id).await?;
    let page = Chrome::for_scope_titled(scope, "nav-cooperation", partner.name.clone());
    let files = scope.app().instrument_files(&scope.caller()).await?;
    let files = super::listed_files(scope, &page, files).await?;
    let instruments: Vec<Listed> = files.iter().filter(|l| l.file.partner.id == id).cloned().collect();
    Ok(PartnerPage {
        standing,
        has_open_procedures: procedures.iter().any(|p| p.closed_on.is_none()),
        procedures,
        tax_checks,
        accounts,
        instruments,
        forms: PartnerForms {
            edit: Some(forms.edit.unwrap_or_else(|| as_typed(&partner)).named("edit")),
            procedure: forms.procedure.named("procedure"),
            close: forms.close.named("close"),
            tax: forms.tax.named("tax"),
            account: forms.account.named("account"),
        },
        kind_options: code_options::<ProcedureKind>(scope, "procedure-kind"),
        partner,
        page,
    })
}

type PartnerPath = Path<(String, String)>;

pub async fn show(scope: Scope, Path((_, id)): PartnerPath) -> Result<Response, WebError> {
    scope.require(Action::ViewCooperation)?;
    render(partner_page(&scope, parse_id(&id)?, PartnerForms::default()).await?)
}

impl FormPage for PartnerPage {
    type Key = i64;
    type Forms = PartnerForms;

    fn address(scope: &Scope, id: i64) -> String {
        format!("/w/{}/cooperation/partners/{id}", scope.workspace.slug)
    }

    fn build(scope: &Scope, id: i64, forms: PartnerForms) -> impl Future<Output = Result<Self, WebError>> + Send {
        partner_page(scope, id, forms)
    }
}

pub async fn edit(scope: Scope, Path((_, id)): PartnerPath, form: Form<PartnerInput>) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let edited = scope.app().update_partner(&scope.caller(), id, &form.input).await;
    settle::<PartnerPage>(&scope, id, edited, form.values, "owners", |forms, state| {
        forms.edit = Some(state)
    })
    .await
}

pub async fn add_procedure(
    scope: Scope,
    Path((_, id)): PartnerPath,
    form: Form<ProcedureInput>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let opened = scope.app().open_procedure(&scope.caller(), id, &form.input).await;
    settle::<PartnerPage>(&scope, id, opened, form.values, "procedures", |forms, state| {
        forms.procedure = state
    })
    .await
}

pub async fn close_procedure(
    scope: Scope,
    Path((_, id)): PartnerPath,
    form: Form<ClosingInput>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let closed = scope.app().close_procedure(&scope.caller(), id, &form.input).await;
    settle::<PartnerPage>(&scope, id, closed, form.values, "procedures", |forms, state| {
        forms.close = state
    })
    .await
}

pub async fn add_tax_check(
    scope: Scope,
    Path((_, id)): PartnerPath,
    form: Form<TaxCheckInput>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let checked = scope.app().record_tax_check(&scope.caller(), id, &form.input).await;
    settle::<PartnerPage>(&scope, id, checked, form.values, "tax", |forms, state| {
        forms.tax = state
    })
    .await
}

pub async fn link_account(
    scope: Scope,
    Path((_, id)): PartnerPath,
    form: Form<PartnerAccountInput>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let linked = scope.app().link_partner_account(&scope.caller(), id, &form.input).await;
    settle::<PartnerPage>(&scope, id, linked, form.values, "accounts", |forms, state| {
        forms.account = state
    })
    .await
}
