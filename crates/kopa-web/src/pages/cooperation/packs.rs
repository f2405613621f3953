//! Audit packs: for auditors (and coordinators), the list of instruments and, for each, one
//! pack with everything about it, as an HTML page, a PDF and a sealed JSON. The page and
//! the PDF are the same report, built in `kopa_report::pack`, so they never say different
//! things.

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use kopa_domain::Action;
use kopa_domain::cooperation::instrument::Instrument;
use kopa_domain::cooperation::pack::AuditPack;
use kopa_report::Format;

use super::listed_files;
use crate::context::{Scope, parse_id};
use crate::error::WebError;
use crate::pages::documents::{ReportPage, deliver, download};
use crate::pages::{Chrome, PageQuery, Pages, render};

#[derive(Template)]
#[template(path = "audit_packs.html")]
struct PacksPage {
    page: Chrome,
    /// One page of the instruments with their partner's name, and where it sits.
    instruments: Vec<(Instrument, String)>,
    pages: Pages,
}

pub async fn list(scope: Scope, Query(query): Query<PageQuery>) -> Result<Response, WebError> {
    scope.require(Action::ViewAuditPacks)?;
    let page = Chrome::for_scope(&scope, "nav-audit-packs");
    let files = scope.app().audited_files(&scope.caller()).await?;
    let files = listed_files(&scope, &page, files).await?;
    let (shown, pages) = Pages::of(&scope, "instruments-showing", &query, &files, |n| {
        format!("/w/{}/audit-packs?page={n}", scope.workspace.slug)
    });
    let instruments = shown
        .iter()
        .map(|l| (l.file.instrument.clone(), l.file.partner.name.clone()))
        .collect();
    render(PacksPage {
        page,
        instruments,
        pages,
    })
}

async fn pack(scope: &Scope, id: &str) -> Result<AuditPack, WebError> {
    Ok(scope.app().audit_pack(&scope.caller(), parse_id(id)?).await?)
}

type PackPath = Path<(String, String)>;

pub async fn html(scope: Scope, Path((_, id)): PackPath) -> Result<Response, WebError> {
    let pack = pack(&scope, &id).await?;
    let page = Chrome::for_scope_titled(&scope, "nav-audit-packs", scope.t("pack-title"));
    let base = format!("/w/{}/audit-packs/{}", scope.workspace.slug, pack.file.instrument.id);
    let report = kopa_report::pack::report(&page, &pack);
    render(ReportPage {
        downloads: vec![
            (format!("{base}/pack.pdf"), "PDF".into()),
            (format!("{base}/pack.json"), scope.t("pack-json")),
        ],
        page,
        report,
    })
}

pub async fn pdf(scope: Scope, Path((_, id)): PackPath) -> Result<Response, WebError> {
    let pack = pack(&scope, &id).await?;
    let page = Chrome::for_scope(&scope, "nav-audit-packs");
    let report = kopa_report::pack::report(&page, &pack);
    deliver(report, Format::Pdf, &format!("audit-pack-{}", pack.file.instrument.id)).await
}

pub async fn json(scope: Scope, Path((_, id)): PackPath) -> Result<Response, WebError> {
    let pack = pack(&scope, &id).await?;
    let name = format!("audit-pack-{}.json", pack.file.instrument.id);
    Ok(download("application/json", name, pack.seal().into_bytes()))
}
