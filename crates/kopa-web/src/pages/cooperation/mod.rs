//! Cooperation with business, for coordinators: the register of partners and instruments,
//! what needs attention, each partner's standing and each instrument's file, and the
//! workspace's rules. The public register, the partner's own page and the auditors' audit
//! packs live beside them.

pub mod business;
mod describe;
pub mod instruments;
pub mod packs;
pub mod partners;
pub mod register;
pub mod rules;

use std::sync::Arc;

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use chrono::NaiveDate;
use kopa_app::Files;
use kopa_domain::Action;
use kopa_domain::cooperation::file::{Flag, InstrumentFile};
use kopa_domain::cooperation::instrument::{InstrumentInput, InstrumentKind};
use kopa_domain::cooperation::partner::{Partner, PartnerInput, Standing};
use kopa_domain::initiative::Initiative;
use kopa_domain::money::format_euros;
use kopa_domain::validation::Code;

use super::{Chrome, FormState, PageQuery, Pages, form_refusal, render, render_refused, see_other};
use crate::context::{Form, Scope};
use crate::error::WebError;

/// Today where the workspace is: deadlines and standings are counted in its days.
pub(crate) fn today(scope: &Scope) -> NaiveDate {
    scope.app().today(&scope.caller())
}

/// Closed codes as (code, label) choices, e.g. instrument kinds.
pub(crate) fn code_options<C: Code>(scope: &Scope, prefix: &str) -> Vec<(String, String)> {
    C::ALL
        .iter()
        .map(|c| (c.code().to_owned(), scope.t(&format!("{prefix}-{}", c.code()))))
        .collect()
}

/// The choices of a form that may be left blank, after an empty first choice.
pub(crate) fn with_blank(label: String, options: Vec<(String, String)>) -> Vec<(String, String)> {
    std::iter::once((String::new(), label)).chain(options).collect()
}

/// The initiatives an instrument may serve, as a form's choices.
pub(crate) fn initiative_options(initiatives: &[Initiative]) -> Vec<(String, String)> {
    initiatives
        .iter()
        .map(|i| (i.id.to_string(), i.title.clone()))
        .collect()
}

/// One instrument in a list: the file, its money in the reader's style, and its flags.
#[derive(Clone)]
pub struct Listed {
    pub file: InstrumentFile,
    pub value: String,
    pub flags: Vec<String>,
}

/// A flag in the reader's words.
pub(crate) fn flag_text(page: &Chrome, flag: &Flag) -> String {
    match flag {
        Flag::PublicationOverdue { deadline } => page.t1("flag-publication-overdue", "date", page.date(deadline)),
        Flag::InspectionMissed { obligation, due } => format!(
            "{} ({obligation})",
            page.t1("flag-inspection-missed", "due", page.date(due))
        ),
        Flag::FindingUnremedied { due, .. } => page.t1("flag-finding-unremedied", "due", page.date(due)),
    }
}

pub(crate) fn listed<'a>(
    page: &Chrome,
    files: impl IntoIterator<Item = &'a InstrumentFile>,
    today: NaiveDate,
) -> Vec<Listed> {
    files
        .into_iter()
        .map(|file| Listed {
            value: format_euros(file.instrument.value_cents, page.lang()),
            flags: file.flags(today).iter().map(|f| flag_text(page, f)).collect(),
            file: file.clone(),
        })
        .collect()
}

/// Instrument files with their flags in the reader's words: put in words once for each
/// version of the files.
pub(crate) async fn listed_files(scope: &Scope, page: &Chrome, files: Files) -> Result<Arc<Vec<Listed>>, WebError> {
    let today = files.version.1;
    scope
        .state
        .files
        .get((scope.id(), files.reach, page.locale.code()), files.version, || async {
            Ok::<_, WebError>(listed(page, files.files.iter(), today))
        })
        .await
}

/// An obligation as a reader sees it: what is owed, under which instrument, and when it is
/// next checked.
pub struct Duty {
    pub instrument: String,
    pub title: String,
    pub facts: Vec<(String, String)>,
    pub next_inspection: Option<NaiveDate>,
}

pub(crate) fn duties(page: &Chrome, file: &InstrumentFile) -> Vec<Duty> {
    file.obligations
        .iter()
        .map(|o| Duty {
            instrument: file.instrument.subject.clone(),
            title: o.title.clone(),
            facts: kopa_report::pack::obligation_facts(page, o),
            next_inspection: o.next_inspection(&file.inspections),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "cooperation.html")]
struct CooperationPage {
    page: Chrome,
    /// Every instrument that raises a flag.
    attention: Vec<Listed>,
    /// One page of all the instruments, and where it sits.
    instruments: Vec<Listed>,
    pages: Pages,
    partners: Vec<(Partner, Standing)>,
    partner_form: FormState,
    instrument_form: FormState,
    /// Organisations of the group not yet in the register.
    organisation_options: Vec<(String, String)>,
    initiative_options: Vec<(String, String)>,
    partner_options: Vec<(String, String)>,
    kind_options: Vec<(String, String)>,
}

async fn overview(
    scope: &Scope,
    query: &PageQuery,
    partner_form: FormState,
    instrument_form: FormState,
) -> Result<CooperationPage, WebError> {
    let (app, caller) = (scope.app(), scope.caller());
    let page = Chrome::for_scope(scope, "nav-cooperation");
    let standings = app.partners(&caller).await?;
    let partners: Vec<&Partner> = standings.iter().map(|(partner, _)| partner).collect();
    let organisation_options = (app.partner_candidates(&caller).await?)
        .into_iter()
        .map(|o| (o.id.to_string(), o.name))
        .collect();
    let initiative_options = initiative_options(&app.initiatives(&caller).await?);
    let partner_options = partners.iter().map(|p| (p.id.to_string(), p.name.clone())).collect();
    let files = app.instrument_files(&caller).await?;
    let files = listed_files(scope, &page, files).await?;
    let attention = files.iter().filter(|l| !l.flags.is_empty()).cloned().collect();
    let (shown, pages) = Pages::of(scope, "instruments-showing", query, &files, |n| {
        format!("/w/{}/cooperation?page={n}", scope.workspace.slug)
    });
    Ok(CooperationPage {
        attention,
        instruments: shown.to_vec(),
        pages,
        partners: standings,
        partner_form: partner_form.named("partner"),
        instrument_form: instrument_form.named("instrument"),
        organisation_options: with_blank(scope.t("choose"), organisation_options),
        initiative_options: with_blank(scope.t("choose"), initiative_options),
        partner_options: with_blank(scope.t("choose"), partner_options),
        kind_options: code_options::<InstrumentKind>(scope, "instrument-kind"),
        page,
    })
}

pub async fn show(scope: Scope, Query(query): Query<PageQuery>) -> Result<Response, WebError> {
    scope.require(Action::ViewCooperation)?;
    render(overview(&scope, &query, FormState::default(), FormState::default()).await?)
}

pub async fn add_partner(scope: Scope, form: Form<PartnerInput>) -> Result<Response, WebError> {
    match scope.app().add_partner(&scope.caller(), &form.input).await {
        Ok(partner) => Ok(see_other(&format!(
            "/w/{}/cooperation/partners/{}",
            scope.workspace.slug, partner.id
        ))),
        Err(refused) => {
            let form = FormState::new(form.values, form_refusal(refused)?);
            render_refused(overview(&scope, &PageQuery::default(), form, FormState::default()).await?)
        }
    }
}

pub async fn add_instrument(scope: Scope, form: Form<InstrumentInput>) -> Result<Response, WebError> {
    match scope.app().draft_instrument(&scope.caller(), &form.input).await {
        Ok(instrument) => Ok(see_other(&format!(
            "/w/{}/cooperation/instruments/{}",
            scope.workspace.slug, instrument.id
        ))),
        Err(refused) => {
            let form = FormState::new(form.values, form_refusal(refused)?);
            render_refused(overview(&scope, &PageQuery::default(), FormState::default(), form).await?)
        }
    }
}
