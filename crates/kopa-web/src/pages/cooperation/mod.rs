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
use kopa_domain::Action;
use kopa_domain::cooperation::file::{Flag, InstrumentFile};
use kopa_domain::cooperation::instrument::{InstrumentInput, InstrumentKind};
use kopa_domain::cooperation::partner::{Partner, PartnerInput, Standing};
use kopa_domain::money::format_euros;
use kopa_domain::validation::Code;
use kopa_store::{FILE_SOURCES, Origin, StoreError};

use super::{Chrome, FormState, PageQuery, Pages, render, render_refused, see_other};
use crate::context::{Form, Scope};
use crate::error::WebError;

/// Today where the workspace is: deadlines and standings are counted in its days.
pub(crate) fn today(scope: &Scope) -> NaiveDate {
    scope.state.app.store.today_in(&scope.workspace.time_zone)
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

/// The workspace's instrument files as they stand today, with their flags in the reader's
/// words: read once, and again only after one of them changes, so the register's pages do
/// not read and check every file on every request.
pub(crate) async fn files(scope: &Scope, page: &Chrome, today: NaiveDate) -> Result<Arc<Vec<Listed>>, WebError> {
    let store = &scope.state.app.store;
    let version = store.last_change_to(scope.id(), FILE_SOURCES).await?;
    scope
        .state
        .files
        .get((scope.id(), page.locale.code()), (version, today), || async {
            let files = store.instrument_files(scope.id(), today).await?;
            Ok::<_, WebError>(listed(page, &files, today))
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
            facts: describe::obligation_facts(page, o),
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
    let store = &scope.state.app.store;
    let today = today(scope);
    let page = Chrome::for_scope(scope, "nav-cooperation");
    let standings = store.partners_with_standing(scope.id(), today).await?;
    let partners: Vec<&Partner> = standings.iter().map(|(partner, _)| partner).collect();
    let organisation_options = store
        .organisations(scope.id())
        .await?
        .into_iter()
        .filter(|o| !partners.iter().any(|p| p.organisation_id == o.id))
        .map(|o| (o.id.to_string(), o.name))
        .collect();
    let initiative_options = store
        .initiatives(scope.id())
        .await?
        .into_iter()
        .map(|i| (i.id.to_string(), i.title))
        .collect();
    let partner_options = partners.iter().map(|p| (p.id.to_string(), p.name.clone())).collect();
    let files = files(scope, &page, today).await?;
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
    scope.require(Action::ManageCooperation)?;
    let store = &scope.state.app.store;
    let added = async {
        let new = form.input.validate()?;
        store.add_partner(&scope.actor(), scope.id(), &new).await
    };
    match added.await {
        Ok(partner) => Ok(see_other(&format!(
            "/w/{}/cooperation/partners/{}",
            scope.workspace.slug, partner.id
        ))),
        Err(StoreError::Invalid(invalid)) => render_refused(
            overview(
                &scope,
                &PageQuery::default(),
                FormState::new(form.values, invalid),
                FormState::default(),
            )
            .await?,
        ),
        Err(other) => Err(other.into()),
    }
}

pub async fn add_instrument(scope: Scope, form: Form<InstrumentInput>) -> Result<Response, WebError> {
    scope.require(Action::ManageCooperation)?;
    let store = &scope.state.app.store;
    let added = async {
        let new = form.input.validate()?;
        store
            .create_instrument(&scope.actor(), scope.id(), &new, Origin::Drafted, false)
            .await
    };
    match added.await {
        Ok(instrument) => Ok(see_other(&format!(
            "/w/{}/cooperation/instruments/{}",
            scope.workspace.slug, instrument.id
        ))),
        Err(StoreError::Invalid(invalid)) => render_refused(
            overview(
                &scope,
                &PageQuery::default(),
                FormState::default(),
                FormState::new(form.values, invalid),
            )
            .await?,
        ),
        Err(other) => Err(other.into()),
    }
}
