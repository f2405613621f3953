//! One partner: its owners and contact, its standing as an uninvolved third party with the
//! basis, its procedures and tax checks, the accounts acting for it, and its instruments.

use std::collections::HashMap;

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use kopa_domain::cooperation::partner::{
    Partner, PartnerInput, Procedure, ProcedureInput, ProcedureKind, Standing, TaxCheck, TaxCheckInput,
};
use kopa_domain::{Action, Invalid};
use kopa_store::{PartnerAccount, StoreError};
use serde::Deserialize;

use super::{Listed, code_options, today};
use crate::context::{Form, Scope, parse_id};
use crate::error::WebError;
use crate::pages::{Chrome, FormState, refusal, render, render_refused, see_other};

#[derive(Template)]
#[template(path = "partner.html")]
struct PartnerPage {
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
struct PartnerForms {
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
    let store = &scope.state.app.store;
    let partner = store.partner(scope.id(), id).await?.ok_or(WebError::NotFound)?;
    let today = today(scope);
    let page = Chrome::for_scope_titled(scope, "nav-cooperation", partner.name.clone());
    let files = super::files(scope, &page, today).await?;
    let instruments: Vec<Listed> = files.iter().filter(|l| l.file.partner.id == id).cloned().collect();
    let procedures = store.procedures(id).await?;
    Ok(PartnerPage {
        standing: store.standing(id, today).await?,
        has_open_procedures: procedures.iter().any(|p| p.closed_on.is_none()),
        procedures,
        tax_checks: store.tax_checks(id).await?,
        accounts: store.partner_accounts(id).await?,
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

/// Redirects to the partner after a change, or shows the page again with the refused form.
async fn settle(
    scope: &Scope,
    id: i64,
    outcome: Result<(), StoreError>,
    values: HashMap<String, String>,
    anchor: &str,
    place: impl FnOnce(&mut PartnerForms, FormState),
) -> Result<Response, WebError> {
    let Some(invalid) = refusal(outcome)? else {
        return Ok(see_other(&format!(
            "/w/{}/cooperation/partners/{id}#{anchor}",
            scope.workspace.slug
        )));
    };
    let mut forms = PartnerForms::default();
    place(&mut forms, FormState::new(values, invalid));
    render_refused(partner_page(scope, id, forms).await?)
}

pub async fn edit(scope: Scope, Path((_, id)): PartnerPath, form: Form<PartnerInput>) -> Result<Response, WebError> {
    scope.require(Action::ManageCooperation)?;
    let id = parse_id(&id)?;
    let store = &scope.state.app.store;
    let partner = store.partner(scope.id(), id).await?.ok_or(WebError::NotFound)?;
    let outcome = async {
        let input = PartnerInput {
            organisation_id: partner.organisation_id.to_string(),
            ..form.input.clone()
        };
        store
            .update_partner(&scope.actor(), scope.id(), id, &input.validate()?)
            .await?;
        Ok(())
    };
    settle(&scope, id, outcome.await, form.values, "owners", |forms, state| {
        forms.edit = Some(state)
    })
    .await
}

pub async fn add_procedure(
    scope: Scope,
    Path((_, id)): PartnerPath,
    form: Form<ProcedureInput>,
) -> Result<Response, WebError> {
    scope.require(Action::ManageCooperation)?;
    let id = parse_id(&id)?;
    let outcome = async {
        let new = form.input.validate()?;
        scope
            .state
            .app
            .store
            .add_procedure(&scope.actor(), scope.id(), id, &new)
            .await?;
        Ok(())
    };
    settle(&scope, id, outcome.await, form.values, "procedures", |forms, state| {
        forms.procedure = state
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
pub struct CloseInput {
    #[serde(default)]
    procedure_id: String,
    #[serde(default)]
    closed_on: String,
}

pub async fn close_procedure(
    scope: Scope,
    Path((_, id)): PartnerPath,
    form: Form<CloseInput>,
) -> Result<Response, WebError> {
    scope.require(Action::ManageCooperation)?;
    let id = parse_id(&id)?;
    let outcome = async {
        let mut invalid = Invalid::new();
        let procedure = invalid.number_in("procedure_id", &form.input.procedure_id, 1..=i64::MAX);
        let closed_on = invalid.date("closed_on", &form.input.closed_on);
        invalid.into_result()?;
        let closed_on = closed_on.unwrap_or_default();
        scope
            .state
            .app
            .store
            .close_procedure(&scope.actor(), scope.id(), id, procedure, closed_on)
            .await
    };
    settle(&scope, id, outcome.await, form.values, "procedures", |forms, state| {
        forms.close = state
    })
    .await
}

pub async fn add_tax_check(
    scope: Scope,
    Path((_, id)): PartnerPath,
    form: Form<TaxCheckInput>,
) -> Result<Response, WebError> {
    scope.require(Action::ManageCooperation)?;
    let id = parse_id(&id)?;
    let outcome = async {
        let new = form.input.validate(today(&scope))?;
        scope
            .state
            .app
            .store
            .add_tax_check(&scope.actor(), scope.id(), id, &new)
            .await?;
        Ok(())
    };
    settle(&scope, id, outcome.await, form.values, "tax", |forms, state| {
        forms.tax = state
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
pub struct AccountInput {
    #[serde(default)]
    email: String,
}

pub async fn link_account(
    scope: Scope,
    Path((_, id)): PartnerPath,
    form: Form<AccountInput>,
) -> Result<Response, WebError> {
    scope.require(Action::ManageCooperation)?;
    let id = parse_id(&id)?;
    let outcome = async {
        let mut invalid = Invalid::new();
        let email = invalid.email("email", &form.input.email);
        invalid.into_result()?;
        scope
            .state
            .app
            .store
            .link_partner_account(&scope.actor(), scope.id(), id, &email)
            .await?;
        Ok(())
    };
    settle(&scope, id, outcome.await, form.values, "accounts", |forms, state| {
        forms.account = state
    })
    .await
}
