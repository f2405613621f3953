//! The business side: a partner's own instruments, what it owes and when it is next
//! inspected, and the form to offer a new cooperation against an initiative. An offer
//! becomes a draft instrument for the coordinator.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use kopa_domain::Action;
use kopa_domain::cooperation::file::{ChecklistItem, InstrumentFile};
use kopa_domain::cooperation::instrument::{InstrumentInput, InstrumentKind, Requirement};
use kopa_domain::cooperation::partner::Partner;
use kopa_domain::cooperation::rules::Stage;

use super::{Duty, Listed, code_options, duties, initiative_options, listed, today, with_blank};
use crate::context::{Form, Scope, parse_id};
use crate::error::WebError;
use crate::pages::{Chrome, FormState, form_refusal, render, render_refused, see_other};

#[derive(Template)]
#[template(path = "business.html")]
struct BusinessPage {
    page: Chrome,
    partners: Vec<Partner>,
    instruments: Vec<Listed>,
    duties: Vec<Duty>,
    form: FormState,
    partner_options: Vec<(String, String)>,
    initiative_options: Vec<(String, String)>,
    kind_options: Vec<(String, String)>,
    offered: bool,
}

async fn business_page(scope: &Scope, form: FormState, offered: bool) -> Result<BusinessPage, WebError> {
    let today = today(scope);
    let page = Chrome::for_scope(scope, "nav-business");
    let partners = scope.app().own_partners(&scope.caller()).await?;
    let own = scope.app().own_files(&scope.caller()).await?;
    let instruments = listed(&page, &own, today);
    let duties = instruments.iter().flat_map(|l| duties(&page, &l.file)).collect();
    let initiatives = initiative_options(&scope.app().initiatives(&scope.caller()).await?);
    Ok(BusinessPage {
        instruments,
        duties,
        form: form.named("offer"),
        partner_options: partners.iter().map(|p| (p.id.to_string(), p.name.clone())).collect(),
        initiative_options: with_blank(scope.t("choose"), initiatives),
        kind_options: code_options::<InstrumentKind>(scope, "instrument-kind"),
        partners,
        offered,
        page,
    })
}

#[derive(Template)]
#[template(path = "own_instrument.html")]
struct OwnInstrumentPage {
    page: Chrome,
    file: InstrumentFile,
    value: String,
    flags: Vec<String>,
    checklist: Vec<ChecklistItem>,
    publishes: bool,
    /// The gate it waits at, and what it still lacks there.
    held: Option<(Stage, Vec<Requirement>)>,
    duties: Vec<Duty>,
}

/// A partner's own instrument: what is still missing, what it owes, and what is filed.
pub async fn instrument(scope: Scope, Path((_, id)): Path<(String, String)>) -> Result<Response, WebError> {
    scope.require(Action::OfferCooperation)?;
    let file = scope.app().own_file(&scope.caller(), parse_id(&id)?).await?;
    let page = Chrome::for_scope_titled(&scope, "nav-business", file.instrument.subject.clone());
    let Listed { value, flags, .. } = listed(&page, [&file], today(&scope)).remove(0);
    render(OwnInstrumentPage {
        value,
        flags,
        checklist: file.checklist(),
        publishes: file.rules.publishes(file.instrument.kind),
        held: file.held_at(),
        duties: duties(&page, &file),
        file,
        page,
    })
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct Shown {
    #[serde(default)]
    offered: Option<String>,
}

pub async fn show(scope: Scope, query: axum::extract::Query<Shown>) -> Result<Response, WebError> {
    scope.require(Action::OfferCooperation)?;
    render(business_page(&scope, FormState::default(), query.offered.is_some()).await?)
}

pub async fn offer(scope: Scope, form: Form<InstrumentInput>) -> Result<Response, WebError> {
    match scope.app().offer_instrument(&scope.caller(), &form.input).await {
        Ok(_) => Ok(see_other(&format!("/w/{}/business?offered=1", scope.workspace.slug))),
        Err(refused) => {
            let form = FormState::new(form.values, form_refusal(refused)?);
            render_refused(business_page(&scope, form, false).await?)
        }
    }
}
