//! The audit pack as a document: everything about one instrument, its parties, its gates
//! and records, its obligations and inspections, and the audit trail that proves them. The
//! instrument page and the public register describe evidence, approvals and obligations with
//! the same facts.

use kopa_domain::cooperation::file::InstrumentFile;
use kopa_domain::cooperation::instrument::{Approval, Evidence, InstrumentStatus, InstrumentStep};
use kopa_domain::cooperation::obligation::Obligation;
use kopa_domain::cooperation::pack::AuditPack;

use crate::{Arg, Attachment, Report, Section, Standard, Table, Words};

/// How a recorded field reads.
#[derive(Clone, Copy)]
enum Reading {
    Text,
    Number,
    /// A record's number, such as the initiative an instrument serves.
    Record,
    Money,
    Date,
    YesNo,
    Compliance,
    /// A code, read with this prefix.
    Code(&'static str),
    Votes,
    /// Bookkeeping the record column already says, such as its own number.
    Left,
}

/// The label and reading of each field the audit trail records, by record and field name.
fn field(entity: &str, name: &str) -> Option<(&'static str, Reading)> {
    use Reading::*;
    Some(match (entity, name) {
        (_, "id" | "workspace_id" | "official_person_id" | "person_id" | "instrument_id") => ("", Left),
        ("instrument", "kind") => ("instrument-kind", Code("instrument-kind")),
        ("instrument", "status") => ("instrument-status", Code("instrument-status")),
        ("instrument", "subject") => ("instrument-subject", Text),
        ("instrument", "purpose") => ("instrument-purpose", Text),
        ("instrument", "value_cents") => ("instrument-value", Money),
        ("instrument", "starts_on") => ("instrument-starts-on", Date),
        ("instrument", "ends_on") => ("instrument-ends-on", Date),
        ("instrument", "initiative_id") => ("instrument-initiative", Record),
        ("instrument" | "partner_account", "partner_id") => ("instrument-partner", Record),
        ("instrument", "offered") => ("pack-field-offered", YesNo),
        ("instrument", "is_example") => ("pack-field-example", YesNo),
        ("instrument", "third_party_justification") => ("pack-field-third-party", Text),
        ("inspection", "compliant") => ("inspection-result", Compliance),
        ("inspection", "inspected_on") => ("inspection-date", Date),
        ("inspection", "inspector") => ("inspection-inspector", Text),
        ("inspection", "notes") => ("inspection-notes", Text),
        ("inspection", "obligation_id") => ("pack-field-obligation", Record),
        ("inspection", "remedied_on") => ("inspection-remedied-on", Date),
        ("inspection", "remedy") => ("inspection-remedy", Text),
        ("inspection", "remedy_due") => ("inspection-remedy-due", Date),
        ("instrument_approval", "body") => ("approval-body", Code("approval-body")),
        ("instrument_approval", "decided_on") => ("approval-decided-on", Date),
        ("instrument_approval", "decision_number") => ("approval-decision-number", Text),
        ("instrument_approval", "meeting_decision_id") => ("approval-meeting-decision", Record),
        ("instrument_approval", "official_name") => ("approval-official", Text),
        ("instrument_approval", "votes") => ("approval-vote", Votes),
        ("instrument_declaration", "declared_on") => ("declaration-declared-on", Date),
        ("instrument_declaration", "interest") => ("declaration-interest", Text),
        ("instrument_declaration", "person_name") => ("declaration-person", Text),
        ("instrument_document", "dated_on") => ("document-dated-on", Date),
        ("instrument_document", "reference") => ("document-reference", Text),
        ("instrument_document", "title") => ("document-title", Text),
        ("instrument_evidence", "requirement") => ("instrument-requirement", Code("requirement")),
        ("instrument_evidence", "method") => ("evidence-method", Text),
        ("instrument_evidence", "valued_on") => ("evidence-valued-on", Date),
        ("instrument_evidence", "document") => ("evidence-document", Text),
        ("instrument_evidence", "value_cents") => ("pack-field-value-found", Money),
        ("instrument_evidence", "procedure") => ("evidence-procedure", Code("selection-procedure")),
        ("instrument_evidence", "notice_on") => ("evidence-notice-on", Date),
        ("instrument_evidence", "bidders") => ("evidence-bidders", Number),
        ("instrument_evidence", "winner") => ("evidence-winner", Text),
        ("instrument_evidence", "price_cents") => ("pack-field-price", Money),
        ("instrument_evidence", "reference") => ("evidence-reference", Text),
        ("instrument_evidence", "signed_on") => ("evidence-signed-on", Date),
        ("instrument_evidence", "issued_by") => ("evidence-issued-by", Text),
        ("instrument_evidence", "issued_on") => ("evidence-issued-on", Date),
        ("instrument_evidence", "procurement_id") => ("evidence-procurement-id", Text),
        ("instrument_evidence", "entry") => ("evidence-entry", Text),
        ("instrument_evidence", "entered_on") => ("evidence-entered-on", Date),
        ("obligation", "title") => ("obligation-title", Text),
        ("obligation", "access_hours") => ("obligation-access-hours", Text),
        ("obligation", "maintenance_standard") => ("obligation-maintenance", Text),
        ("obligation", "penalty") => ("obligation-penalty", Text),
        ("obligation", "starts_on") => ("obligation-starts-on", Date),
        ("obligation", "ends_on") => ("obligation-ends-on", Date),
        ("obligation", "inspect_every_months") => ("obligation-every", Number),
        ("partner", "organisation_id") => ("partner-organisation", Record),
        ("partner", "beneficial_owners") => ("pack-field-beneficial-owners", Text),
        ("partner", "contact_name") => ("partner-contact-name", Text),
        ("partner", "contact_email") => ("partner-contact-email", Text),
        ("partner", "contact_phone") => ("partner-contact-phone", Text),
        ("partner_account", "user_id") => ("pack-field-account", Record),
        _ => return None,
    })
}

/// A recorded value, as it reads.
fn read(words: &impl Words, reading: Reading, value: &serde_json::Value) -> String {
    use serde_json::Value;
    let raw = || match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match (reading, value) {
        (_, Value::Null) => "–".into(),
        (Reading::Money, Value::Number(n)) => n.as_i64().map(|c| words.money(c)).unwrap_or_else(raw),
        (Reading::Date, Value::String(s)) => s
            .parse::<chrono::NaiveDate>()
            .map(|d| words.date(d))
            .unwrap_or_else(|_| raw()),
        (Reading::YesNo, Value::Bool(b)) => words.t(if *b { "yes" } else { "no" }),
        (Reading::Compliance, Value::Bool(b)) => words.t(if *b {
            "inspection-compliant"
        } else {
            "inspection-not-compliant"
        }),
        (Reading::Code(prefix), Value::String(s)) => words.code(prefix, s),
        (Reading::Record, Value::Number(n)) => n
            .as_i64()
            .map(|n| words.t1("pack-record-number", "number", n))
            .unwrap_or_else(raw),
        (Reading::Votes, Value::Object(v)) => {
            let count = |name: &str| v.get(name).and_then(Value::as_i64).unwrap_or(0);
            format!(
                "{} {}, {} {}, {} {}",
                words.t("votes-for"),
                count("votes_for"),
                words.t("votes-against"),
                count("against"),
                words.t("votes-abstain"),
                count("abstain")
            )
        }
        _ => raw(),
    }
}

/// What an audit event recorded, field by field in the reader's words. A field this
/// reader does not know keeps its stored name, so nothing recorded is ever hidden.
fn recorded(words: &impl Words, entity: &str, text: Option<&str>) -> String {
    let Some(text) = text else {
        return "–".into();
    };
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(fields)) => fields
            .iter()
            .filter_map(|(name, value)| match field(entity, name) {
                Some((_, Reading::Left)) => None,
                Some((label, reading)) => Some(format!("{}: {}", words.t(label), read(words, reading, value))),
                None => Some(format!("{name}: {}", read(words, Reading::Text, value))),
            })
            .collect::<Vec<_>>()
            .join("; "),
        _ => text.to_owned(),
    }
}

/// The start of a hash, enough to find it in the annex that gives it whole.
fn short_hash(hash: &str) -> String {
    hash.chars().take(12).collect::<String>() + "…"
}

/// The pack in the reader's language.
pub fn report(words: &impl Words, pack: &AuditPack) -> Report {
    let file = &pack.file;
    let i = &file.instrument;
    let yes_no = |met: bool| {
        if met {
            format!("✓ {}", words.t("yes"))
        } else {
            format!("✗ {}", words.t("no"))
        }
    };
    let verification = &pack.verification;
    let mut notices = Vec::new();
    if i.is_example || file.partner.is_example {
        notices.push(words.t("pack-example-notice"));
    }
    notices.push(if verification.passed() {
        match verification.checkpoint {
            None => words.t1("pack-verified", "events", verification.events_checked),
            Some(checkpoint) => words.message(
                "pack-verified-since",
                &[
                    ("events", Arg::of(verification.events_checked)),
                    ("checkpoint", Arg::of(checkpoint)),
                ],
            ),
        }
    } else {
        let mut problems: Vec<String> = verification.chain_break.iter().cloned().collect();
        problems.extend(verification.records_not_matching.iter().cloned());
        format!("⚠ {} {}", words.t("pack-not-verified"), problems.join("; "))
    });

    let mut sections = vec![
        Section::new(words.t("pack-instrument"))
            .fact(words.t("instrument-kind"), words.code("instrument-kind", i.kind))
            .fact(words.t("instrument-status"), words.code("instrument-status", i.status))
            .fact(words.t("instrument-subject"), &i.subject)
            .fact(words.t("instrument-purpose"), &i.purpose)
            .fact(words.t("instrument-value"), words.money(i.value_cents))
            .fact(
                words.t("instrument-term"),
                format!(
                    "{} – {}",
                    i.starts_on.map(|d| words.date(d)).unwrap_or_default(),
                    i.ends_on.map(|d| words.date(d)).unwrap_or_default()
                ),
            )
            .fact(words.t("instrument-initiative"), &file.initiative_title)
            .fact(
                words.t("pack-generated"),
                words.datetime(words.local(&pack.generated_at)),
            ),
    ];

    let standing = &file.standing;
    let mut parties = Section::new(words.t("pack-parties"))
        .fact(words.t("instrument-partner"), &file.partner.name)
        .fact(
            words.t("partner-registration"),
            file.partner.registration_number.clone().unwrap_or_default(),
        )
        .fact(
            words.t("partner-owners"),
            file.partner.beneficial_owners.replace('\n', "; "),
        )
        .fact(
            words.t("partner-contact-name"),
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
            words.t1("standing-on", "date", words.date(standing.on)),
            if standing.uninvolved {
                words.t("standing-uninvolved")
            } else {
                words.t("standing-involved")
            },
        )
        .fact(
            words.t("tax-latest"),
            match &standing.latest_tax_check {
                Some(check) => format!(
                    "{}: {}",
                    words.date(check.checked_on),
                    words.t(if check.has_debt { "tax-debt" } else { "tax-no-debt" })
                ),
                None => words.t("tax-none"),
            },
        );
    if let Some(justification) = &i.third_party_justification {
        parties = parties.fact(words.t("justification"), justification);
    }
    sections.push(
        parties.table(Table {
            caption: words.t("standing-pending"),
            columns: vec![
                words.t("procedure-kind"),
                words.t("procedure-reference"),
                words.t("procedure-opened-on"),
            ],
            rows: standing
                .pending
                .iter()
                .map(|p| {
                    vec![
                        words.code("procedure-kind", p.kind),
                        p.reference.clone(),
                        words.date(p.opened_on),
                    ]
                })
                .collect(),
            empty: words.t("procedures-none"),
        }),
    );

    let mut rules = vec![vec![
        words.t("requirement-approval"),
        words.code("stage", "activation"),
        yes_no(file.approval.is_some()),
    ]];
    rules.extend(file.checklist().iter().map(|item| {
        vec![
            words.code("requirement", item.requirement),
            words.code("stage", item.stage),
            yes_no(item.met),
        ]
    }));
    sections.push(Section::new(words.t("instrument-checklist")).table(Table {
        caption: String::new(),
        columns: vec![
            words.t("instrument-requirement"),
            words.t("instrument-needed-before"),
            words.t("instrument-met"),
        ],
        rows: rules,
        empty: String::new(),
    }));

    let mut approval = Section::new(words.t("approval-title"));
    match &file.approval {
        Some(a) => approval.facts = approval_facts(words, a),
        None => approval = approval.paragraph(words.t("approval-none")),
    }
    sections.push(
        approval.table(Table {
            caption: words.t("declarations-title"),
            columns: vec![
                words.t("declaration-person"),
                words.t("declaration-declared-on"),
                words.t("declaration-interest"),
            ],
            rows: file
                .declarations
                .iter()
                .map(|d| vec![d.person_name.clone(), words.date(d.declared_on), d.interest.clone()])
                .collect(),
            empty: words.t("declarations-none"),
        }),
    );

    let mut records = Section::new(words.t("instrument-records"));
    if file.evidence.is_empty() {
        records = records.paragraph(words.t("pack-no-records"));
    }
    for evidence in &file.evidence {
        records = records.fact(
            words.code("requirement", evidence.requirement()),
            evidence_facts(words, evidence)
                .into_iter()
                .map(|(label, value)| format!("{label}: {value}"))
                .collect::<Vec<_>>()
                .join("; "),
        );
    }
    sections.push(records);

    let mut publication = Section::new(words.t("publication-title"));
    match &file.publication {
        Some(duty) => {
            publication = publication
                .fact(words.t("publication-accepted-on"), words.date(duty.accepted_on))
                .fact(words.t("publication-deadline"), words.date(duty.deadline));
            publication = match &duty.publication {
                Some(p) => publication
                    .fact(
                        words.t("publication-published-on"),
                        if duty.was_late() {
                            format!("{} ⚠ {}", words.date(p.published_on), words.t("publication-late"))
                        } else {
                            words.date(p.published_on)
                        },
                    )
                    .fact(words.t("publication-place"), &p.place),
                None => publication.fact(words.t("publication-published-on"), words.t("publication-not-yet")),
            };
        }
        None => publication = publication.paragraph(words.t("publication-not-required")),
    }
    sections.push(publication);

    let mut obligations = Section::new(words.t("obligations-title"));
    if file.obligations.is_empty() {
        obligations = obligations.paragraph(words.t("obligations-none"));
    }
    for o in &file.obligations {
        for (label, value) in obligation_facts(words, o) {
            obligations = obligations.fact(format!("{}: {label}", o.title), value);
        }
        obligations = obligations.table(Table {
            caption: format!("{}: {}", words.t("inspections-title"), o.title),
            columns: vec![
                words.t("inspection-date"),
                words.t("inspection-inspector"),
                words.t("inspection-result"),
                words.t("inspection-remedy"),
            ],
            rows: file
                .inspections_of(o.id)
                .into_iter()
                .map(|inspection| {
                    let mut remedy = inspection.remedy.clone().unwrap_or_default();
                    if let Some(due) = inspection.remedy_due {
                        remedy.push_str(&format!(" ({} {})", words.t("inspection-remedy-due"), words.date(due)));
                    }
                    if let Some(done) = inspection.remedied_on {
                        remedy.push_str(&format!(" ✓ {} {}", words.t("inspection-remedied"), words.date(done)));
                    }
                    let mut result = yes_no(inspection.compliant);
                    if let Some(notes) = &inspection.notes {
                        result.push_str(&format!(" {notes}"));
                    }
                    vec![
                        words.date(inspection.inspected_on),
                        inspection.inspector.clone(),
                        result,
                        remedy,
                    ]
                })
                .collect(),
            empty: words.t("inspections-none"),
        });
    }
    sections.push(obligations);

    sections.push(
        Section::new(words.t("documents-title")).table(Table {
            caption: String::new(),
            columns: vec![
                words.t("document-title"),
                words.t("document-reference"),
                words.t("document-dated-on"),
            ],
            rows: file
                .documents
                .iter()
                .map(|d| vec![d.title.clone(), d.reference.clone(), words.date(d.dated_on)])
                .collect(),
            empty: words.t("documents-none"),
        }),
    );

    sections.push(
        Section::new(words.t("instrument-timeline")).table(Table {
            caption: String::new(),
            columns: vec![
                words.t("step-took-effect-on"),
                words.t("instrument-status"),
                words.t("initiative-reason"),
                words.t("step-recorded-at"),
                words.t("pack-who"),
            ],
            rows: file
                .steps
                .iter()
                .map(|s| {
                    vec![
                        s.took_effect_on.map(|on| words.date(on)).unwrap_or_default(),
                        words.code("instrument-status", s.to),
                        step_reason(words, file, s),
                        words.datetime(words.local(&s.at)),
                        words.actor(&s.actor_label),
                    ]
                })
                .collect(),
            empty: String::new(),
        }),
    );

    sections.push(
        Section::new(words.t("pack-trail"))
            .paragraph(words.t("pack-trail-intro"))
            .table(Table {
                caption: String::new(),
                columns: vec![
                    words.t("pack-seq"),
                    words.t("pack-when"),
                    words.t("pack-who"),
                    words.t("pack-record"),
                    words.t("pack-change"),
                    words.t("pack-hash"),
                ],
                rows: pack
                    .trail
                    .iter()
                    .map(|e| {
                        vec![
                            e.seq.to_string(),
                            words.datetime(words.local(&e.at)),
                            words.actor(&e.actor_label),
                            format!(
                                "{} {} · {}",
                                words.code("pack-entity", &e.entity),
                                words.t1("pack-record-number", "number", e.entity_id),
                                words.code("audit-action", &e.action)
                            ),
                            recorded(words, &e.entity, e.after.as_deref()),
                            short_hash(&e.hash),
                        ]
                    })
                    .collect(),
                empty: String::new(),
            }),
    );

    sections.push(
        Section::new(words.t("pack-hashes"))
            .paragraph(words.t("pack-hashes-intro"))
            .table(Table {
                caption: String::new(),
                columns: vec![words.t("pack-seq"), words.t("pack-hash")],
                rows: pack
                    .trail
                    .iter()
                    .map(|e| vec![e.seq.to_string(), e.hash.clone()])
                    .collect(),
                empty: String::new(),
            }),
    );

    Report {
        lang: words.lang().into(),
        title: format!("{}: {}", words.t("pack-title"), i.subject),
        subtitle: format!(
            "{} · {} · {}",
            pack.municipality,
            words.code("instrument-kind", i.kind),
            file.partner.name
        ),
        notices,
        sections,
        footer: format!("Kopa · {} · {}", pack.municipality, words.t("pack-title")),
        standard: Standard::Archival,
        attachments: vec![Attachment {
            name: format!("audit-pack-{}.json", i.id),
            description: words.t("pack-json"),
            mime_type: "application/json".into(),
            data: pack.seal().into_bytes(),
        }],
        made_at: Some(pack.generated_at),
        ..Report::default()
    }
}

/// Why an instrument took a step, in the reader's words: its first step says how it came to
/// be, its approval who gave it and under which decision; other steps say what was written.
pub fn step_reason(words: &impl Words, file: &InstrumentFile, step: &InstrumentStep) -> String {
    match (step.from, step.to, &file.approval) {
        (None, ..) if file.instrument.offered => words.t("instrument-origin-offered"),
        (None, ..) => words.t("instrument-origin-drafted"),
        (Some(_), InstrumentStatus::Approved, Some(approval)) => format!(
            "{} {}",
            words.code("approval-body", approval.body),
            approval.decision_number
        ),
        _ => step.reason.clone(),
    }
}

/// A recorded piece of evidence as (label, value) pairs.
pub fn evidence_facts(words: &impl Words, evidence: &Evidence) -> Vec<(String, String)> {
    let euros = |cents: &i64| words.money(*cents);
    match evidence {
        Evidence::Valuation {
            method,
            valued_on,
            document,
            value_cents,
        } => vec![
            (words.t("evidence-method"), method.clone()),
            (words.t("evidence-document"), document.clone()),
            (words.t("evidence-valued-at"), euros(value_cents)),
            (words.t("evidence-valued-on"), words.date(valued_on)),
        ],
        Evidence::Selection {
            procedure,
            notice_on,
            bidders,
            winner,
            price_cents,
        } => vec![
            (
                words.t("evidence-procedure"),
                words.code("selection-procedure", procedure),
            ),
            (words.t("evidence-notice-on"), words.date(notice_on)),
            (words.t("evidence-bidders"), bidders.to_string()),
            (words.t("evidence-winner"), winner.clone()),
            (words.t("evidence-price"), euros(price_cents)),
        ],
        Evidence::TechnicalConditions {
            issued_by,
            reference,
            issued_on,
        } => vec![
            (words.t("evidence-issued-by"), issued_by.clone()),
            (words.t("evidence-reference"), reference.clone()),
            (words.t("evidence-issued-on"), words.date(issued_on)),
        ],
        Evidence::Permit { reference, issued_on } => vec![
            (words.t("evidence-reference"), reference.clone()),
            (words.t("evidence-issued-on"), words.date(issued_on)),
        ],
        Evidence::ProcurementReference { reference } => vec![(words.t("evidence-procurement-id"), reference.clone())],
        Evidence::WrittenAgreement { reference, signed_on } | Evidence::AcceptanceAct { reference, signed_on } => vec![
            (words.t("evidence-reference"), reference.clone()),
            (words.t("evidence-signed-on"), words.date(signed_on)),
        ],
        Evidence::AssetRegister { entry, entered_on } => vec![
            (words.t("evidence-entry"), entry.clone()),
            (words.t("evidence-entered-on"), words.date(entered_on)),
        ],
    }
}

/// An approval as (label, value) pairs: who decided, with which number, on which day, and
/// how the vote went.
pub fn approval_facts(words: &impl Words, approval: &Approval) -> Vec<(String, String)> {
    let mut facts = vec![
        (words.t("approval-body"), words.code("approval-body", approval.body)),
        (words.t("approval-decision-number"), approval.decision_number.clone()),
        (words.t("approval-decided-on"), words.date(approval.decided_on)),
        (words.t("approval-official"), approval.official_name.clone()),
    ];
    if let Some(votes) = approval.votes {
        facts.push((
            words.t("approval-vote"),
            format!(
                "{} {}, {} {}, {} {}",
                words.t("votes-for"),
                votes.votes_for,
                words.t("votes-against"),
                votes.against,
                words.t("votes-abstain"),
                votes.abstain
            ),
        ));
    }
    if approval.meeting_decision_id.is_some() {
        facts.push((words.t("approval-vote-source"), words.t("approval-vote-from-meeting")));
    }
    facts
}

/// An obligation as (label, value) pairs.
pub fn obligation_facts(words: &impl Words, obligation: &Obligation) -> Vec<(String, String)> {
    let mut facts = Vec::new();
    if let Some(hours) = &obligation.access_hours {
        facts.push((words.t("obligation-access-hours"), hours.clone()));
    }
    if let Some(standard) = &obligation.maintenance_standard {
        facts.push((words.t("obligation-maintenance"), standard.clone()));
    }
    if let Some(penalty) = &obligation.penalty {
        facts.push((words.t("obligation-penalty"), penalty.clone()));
    }
    let term = match obligation.ends_on {
        Some(ends) => format!("{} – {}", words.date(obligation.starts_on), words.date(ends)),
        None => format!("{} –", words.date(obligation.starts_on)),
    };
    facts.push((words.t("obligation-term"), term));
    facts.push((
        words.t("obligation-inspections"),
        words.t1("obligation-every-months", "months", obligation.inspect_every_months),
    ));
    facts
}
