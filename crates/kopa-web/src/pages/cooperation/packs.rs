//! Audit packs: for auditors (and coordinators), the list of instruments and, for each, one
//! pack with everything about it, as an HTML page, a PDF and a sealed JSON. The page and
//! the PDF are the same [`Report`], so they never say different things.

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use kopa_domain::Action;
use kopa_domain::cooperation::instrument::Instrument;
use kopa_domain::cooperation::pack::AuditPack;
use kopa_domain::money::format_euros;
use kopa_report::{Report, Section, Table};

use super::describe::{approval_facts, evidence_facts, obligation_facts};
use super::listed_files;
use crate::context::{Scope, parse_id};
use crate::error::WebError;
use crate::pages::documents::{Format, ReportPage, deliver, download};
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
    let report = pack_report(&page, &pack);
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
    let report = pack_report(&page, &pack);
    deliver(report, Format::Pdf, &format!("audit-pack-{}", pack.file.instrument.id)).await
}

pub async fn json(scope: Scope, Path((_, id)): PackPath) -> Result<Response, WebError> {
    let pack = pack(&scope, &id).await?;
    let name = format!("audit-pack-{}.json", pack.file.instrument.id);
    Ok(download("application/json", name, pack.seal().into_bytes()))
}

/// An audit event's record in brief: its fields as "name: value", nested ones as JSON.
fn in_brief(text: Option<&str>) -> String {
    let Some(text) = text else {
        return "–".into();
    };
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(fields)) => fields
            .iter()
            .map(|(name, value)| match value {
                serde_json::Value::String(s) => format!("{name}: {s}"),
                other => format!("{name}: {other}"),
            })
            .collect::<Vec<_>>()
            .join("; "),
        _ => text.to_owned(),
    }
}

/// The pack as a report in the reader's language.
pub fn pack_report(page: &Chrome, pack: &AuditPack) -> Report {
    let file = &pack.file;
    let i = &file.instrument;
    let yes_no = |met: bool| {
        if met {
            format!("✓ {}", page.t("yes"))
        } else {
            format!("✗ {}", page.t("no"))
        }
    };
    let verification = &pack.verification;
    let mut notices = Vec::new();
    if i.is_example || file.partner.is_example {
        notices.push(page.t("pack-example-notice"));
    }
    notices.push(if verification.passed() {
        match verification.checkpoint {
            None => page.t1("pack-verified", "events", verification.events_checked),
            Some(checkpoint) => page.i18n().text(
                page.locale,
                "pack-verified-since",
                &[
                    ("events", verification.events_checked.into()),
                    ("checkpoint", checkpoint.into()),
                ],
            ),
        }
    } else {
        let mut problems: Vec<String> = verification.chain_break.iter().cloned().collect();
        problems.extend(verification.records_not_matching.iter().cloned());
        format!("⚠ {} {}", page.t("pack-not-verified"), problems.join("; "))
    });

    let mut sections = vec![
        Section::new(page.t("pack-instrument"))
            .fact(page.t("instrument-kind"), page.code("instrument-kind", i.kind))
            .fact(page.t("instrument-status"), page.code("instrument-status", i.status))
            .fact(page.t("instrument-subject"), &i.subject)
            .fact(page.t("instrument-purpose"), &i.purpose)
            .fact(page.t("instrument-value"), format_euros(i.value_cents, page.lang()))
            .fact(
                page.t("instrument-term"),
                format!(
                    "{} – {}",
                    i.starts_on.map(|d| page.date(d)).unwrap_or_default(),
                    i.ends_on.map(|d| page.date(d)).unwrap_or_default()
                ),
            )
            .fact(page.t("instrument-initiative"), &file.initiative_title)
            .fact(page.t("pack-generated"), page.datetime(page.local(&pack.generated_at))),
    ];

    let standing = &file.standing;
    let mut parties = Section::new(page.t("pack-parties"))
        .fact(page.t("instrument-partner"), &file.partner.name)
        .fact(
            page.t("partner-registration"),
            file.partner.registration_number.clone().unwrap_or_default(),
        )
        .fact(
            page.t("partner-owners"),
            file.partner.beneficial_owners.replace('\n', "; "),
        )
        .fact(
            page.t("partner-contact-name"),
            [
                &file.partner.contact_name,
                &file.partner.contact_email,
                &file.partner.contact_phone,
            ]
            .iter()
            .filter_map(|v| v.as_deref())
            .collect::<Vec<_>>()
            .join(", "),
        )
        .fact(
            page.t1("standing-on", "date", page.date(standing.on)),
            if standing.uninvolved {
                page.t("standing-uninvolved")
            } else {
                page.t("standing-involved")
            },
        )
        .fact(
            page.t("tax-latest"),
            match &standing.latest_tax_check {
                Some(check) => format!(
                    "{}: {}",
                    page.date(check.checked_on),
                    page.t(if check.has_debt { "tax-debt" } else { "tax-no-debt" })
                ),
                None => page.t("tax-none"),
            },
        );
    if let Some(justification) = &i.third_party_justification {
        parties = parties.fact(page.t("justification"), justification);
    }
    sections.push(
        parties.table(Table {
            caption: page.t("standing-pending"),
            columns: vec![
                page.t("procedure-kind"),
                page.t("procedure-reference"),
                page.t("procedure-opened-on"),
            ],
            rows: standing
                .pending
                .iter()
                .map(|p| {
                    vec![
                        page.code("procedure-kind", p.kind),
                        p.reference.clone(),
                        page.date(p.opened_on),
                    ]
                })
                .collect(),
            empty: page.t("procedures-none"),
        }),
    );

    let mut rules = vec![vec![
        page.t("requirement-approval"),
        page.code("stage", "activation"),
        yes_no(file.approval.is_some()),
    ]];
    rules.extend(file.checklist().iter().map(|item| {
        vec![
            page.code("requirement", item.requirement),
            page.code("stage", item.stage),
            yes_no(item.met),
        ]
    }));
    sections.push(Section::new(page.t("instrument-checklist")).table(Table {
        caption: String::new(),
        columns: vec![
            page.t("instrument-requirement"),
            page.t("instrument-needed-before"),
            page.t("instrument-met"),
        ],
        rows: rules,
        empty: String::new(),
    }));

    let mut approval = Section::new(page.t("approval-title"));
    match &file.approval {
        Some(a) => approval.facts = approval_facts(page, a),
        None => approval = approval.paragraph(page.t("approval-none")),
    }
    sections.push(
        approval.table(Table {
            caption: page.t("declarations-title"),
            columns: vec![
                page.t("declaration-person"),
                page.t("declaration-declared-on"),
                page.t("declaration-interest"),
            ],
            rows: file
                .declarations
                .iter()
                .map(|d| vec![d.person_name.clone(), page.date(d.declared_on), d.interest.clone()])
                .collect(),
            empty: page.t("declarations-none"),
        }),
    );

    let mut records = Section::new(page.t("instrument-records"));
    if file.evidence.is_empty() {
        records = records.paragraph(page.t("pack-no-records"));
    }
    for evidence in &file.evidence {
        records = records.fact(
            page.code("requirement", evidence.requirement()),
            evidence_facts(page, evidence)
                .into_iter()
                .map(|(label, value)| format!("{label}: {value}"))
                .collect::<Vec<_>>()
                .join("; "),
        );
    }
    sections.push(records);

    let mut publication = Section::new(page.t("publication-title"));
    match &file.publication {
        Some(duty) => {
            publication = publication
                .fact(page.t("publication-accepted-on"), page.date(duty.accepted_on))
                .fact(page.t("publication-deadline"), page.date(duty.deadline));
            publication = match &duty.publication {
                Some(p) => publication
                    .fact(
                        page.t("publication-published-on"),
                        if duty.was_late() {
                            format!("{} ⚠ {}", page.date(p.published_on), page.t("publication-late"))
                        } else {
                            page.date(p.published_on)
                        },
                    )
                    .fact(page.t("publication-place"), &p.place),
                None => publication.fact(page.t("publication-published-on"), page.t("publication-not-yet")),
            };
        }
        None => publication = publication.paragraph(page.t("publication-not-required")),
    }
    sections.push(publication);

    let mut obligations = Section::new(page.t("obligations-title"));
    if file.obligations.is_empty() {
        obligations = obligations.paragraph(page.t("obligations-none"));
    }
    for o in &file.obligations {
        for (label, value) in obligation_facts(page, o) {
            obligations = obligations.fact(format!("{}: {label}", o.title), value);
        }
        obligations = obligations.table(Table {
            caption: format!("{}: {}", page.t("inspections-title"), o.title),
            columns: vec![
                page.t("inspection-date"),
                page.t("inspection-inspector"),
                page.t("inspection-result"),
                page.t("inspection-remedy"),
            ],
            rows: file
                .inspections_of(o.id)
                .into_iter()
                .map(|inspection| {
                    let mut remedy = inspection.remedy.clone().unwrap_or_default();
                    if let Some(due) = inspection.remedy_due {
                        remedy.push_str(&format!(" ({} {})", page.t("inspection-remedy-due"), page.date(due)));
                    }
                    if let Some(done) = inspection.remedied_on {
                        remedy.push_str(&format!(" ✓ {} {}", page.t("inspection-remedied"), page.date(done)));
                    }
                    let mut result = yes_no(inspection.compliant);
                    if let Some(notes) = &inspection.notes {
                        result.push_str(&format!(" {notes}"));
                    }
                    vec![
                        page.date(inspection.inspected_on),
                        inspection.inspector.clone(),
                        result,
                        remedy,
                    ]
                })
                .collect(),
            empty: page.t("inspections-none"),
        });
    }
    sections.push(obligations);

    sections.push(
        Section::new(page.t("documents-title")).table(Table {
            caption: String::new(),
            columns: vec![
                page.t("document-title"),
                page.t("document-reference"),
                page.t("document-dated-on"),
            ],
            rows: file
                .documents
                .iter()
                .map(|d| vec![d.title.clone(), d.reference.clone(), page.date(d.dated_on)])
                .collect(),
            empty: page.t("documents-none"),
        }),
    );

    sections.push(
        Section::new(page.t("instrument-timeline")).table(Table {
            caption: String::new(),
            columns: vec![
                page.t("pack-when"),
                page.t("instrument-status"),
                page.t("pack-who"),
                page.t("initiative-reason"),
            ],
            rows: file
                .steps
                .iter()
                .map(|s| {
                    vec![
                        page.datetime(page.local(&s.at)),
                        page.code("instrument-status", s.to),
                        s.actor_label.clone(),
                        s.reason.clone(),
                    ]
                })
                .collect(),
            empty: String::new(),
        }),
    );

    sections.push(
        Section::new(page.t("pack-trail"))
            .paragraph(page.t("pack-trail-intro"))
            .table(Table {
                caption: String::new(),
                columns: vec![
                    page.t("pack-seq"),
                    page.t("pack-when"),
                    page.t("pack-who"),
                    page.t("pack-record"),
                    page.t("pack-change"),
                    page.t("pack-hash"),
                ],
                rows: pack
                    .trail
                    .iter()
                    .map(|e| {
                        vec![
                            e.seq.to_string(),
                            page.datetime(page.local(&e.at)),
                            e.actor_label.clone(),
                            format!("{} {} · {}", e.entity, e.entity_id, e.action),
                            in_brief(e.after.as_deref()),
                            e.hash.chars().take(16).collect::<String>() + "…",
                        ]
                    })
                    .collect(),
                empty: String::new(),
            }),
    );

    Report {
        lang: page.lang().into(),
        title: format!("{}: {}", page.t("pack-title"), i.subject),
        subtitle: format!(
            "{} · {} · {}",
            pack.municipality,
            page.code("instrument-kind", i.kind),
            file.partner.name
        ),
        notices,
        sections,
        footer: format!("Kopa · {} · {}", pack.municipality, page.t("pack-title")),
        ..Report::default()
    }
}
