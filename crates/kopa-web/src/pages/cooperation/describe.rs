//! Records in the reader's words: the instrument page, the public register and the audit
//! pack all describe evidence, approvals and obligations the same way.

use kopa_domain::cooperation::instrument::{Approval, Evidence, Requirement};
use kopa_domain::cooperation::obligation::Obligation;
use kopa_domain::money::format_euros;

use crate::pages::Chrome;

/// The fields a record of `requirement` asks for: (input name, label key, input type).
pub fn evidence_fields(requirement: Requirement) -> &'static [(&'static str, &'static str, &'static str)] {
    match requirement {
        Requirement::Valuation => &[
            ("method", "evidence-method", "text"),
            ("document", "evidence-document", "text"),
            ("amount", "evidence-valued-at", "text"),
            ("dated_on", "evidence-valued-on", "date"),
        ],
        Requirement::Selection => &[
            ("procedure", "evidence-procedure", "select"),
            ("dated_on", "evidence-notice-on", "date"),
            ("bidders", "evidence-bidders", "number"),
            ("winner", "evidence-winner", "text"),
            ("amount", "evidence-price", "text"),
        ],
        Requirement::TechnicalConditions => &[
            ("issued_by", "evidence-issued-by", "text"),
            ("reference", "evidence-reference", "text"),
            ("dated_on", "evidence-issued-on", "date"),
        ],
        Requirement::Permit => &[
            ("reference", "evidence-reference", "text"),
            ("dated_on", "evidence-issued-on", "date"),
        ],
        Requirement::ProcurementReference => &[("reference", "evidence-procurement-id", "text")],
        Requirement::AssetRegister => &[
            ("entry", "evidence-entry", "text"),
            ("dated_on", "evidence-entered-on", "date"),
        ],
        Requirement::WrittenAgreement | Requirement::AcceptanceAct => &[
            ("reference", "evidence-reference", "text"),
            ("dated_on", "evidence-signed-on", "date"),
        ],
        _ => &[],
    }
}

/// A recorded piece of evidence as (label, value) pairs.
pub fn evidence_facts(page: &Chrome, evidence: &Evidence) -> Vec<(String, String)> {
    let euros = |cents: &i64| format_euros(*cents, page.lang());
    match evidence {
        Evidence::Valuation {
            method,
            valued_on,
            document,
            value_cents,
        } => vec![
            (page.t("evidence-method"), method.clone()),
            (page.t("evidence-document"), document.clone()),
            (page.t("evidence-valued-at"), euros(value_cents)),
            (page.t("evidence-valued-on"), page.date(valued_on)),
        ],
        Evidence::Selection {
            procedure,
            notice_on,
            bidders,
            winner,
            price_cents,
        } => vec![
            (
                page.t("evidence-procedure"),
                page.code("selection-procedure", procedure),
            ),
            (page.t("evidence-notice-on"), page.date(notice_on)),
            (page.t("evidence-bidders"), bidders.to_string()),
            (page.t("evidence-winner"), winner.clone()),
            (page.t("evidence-price"), euros(price_cents)),
        ],
        Evidence::TechnicalConditions {
            issued_by,
            reference,
            issued_on,
        } => vec![
            (page.t("evidence-issued-by"), issued_by.clone()),
            (page.t("evidence-reference"), reference.clone()),
            (page.t("evidence-issued-on"), page.date(issued_on)),
        ],
        Evidence::Permit { reference, issued_on } => vec![
            (page.t("evidence-reference"), reference.clone()),
            (page.t("evidence-issued-on"), page.date(issued_on)),
        ],
        Evidence::ProcurementReference { reference } => vec![(page.t("evidence-procurement-id"), reference.clone())],
        Evidence::WrittenAgreement { reference, signed_on } | Evidence::AcceptanceAct { reference, signed_on } => vec![
            (page.t("evidence-reference"), reference.clone()),
            (page.t("evidence-signed-on"), page.date(signed_on)),
        ],
        Evidence::AssetRegister { entry, entered_on } => vec![
            (page.t("evidence-entry"), entry.clone()),
            (page.t("evidence-entered-on"), page.date(entered_on)),
        ],
    }
}

/// An approval as (label, value) pairs: who decided, with which number, on which day, and
/// how the vote went.
pub fn approval_facts(page: &Chrome, approval: &Approval) -> Vec<(String, String)> {
    let mut facts = vec![
        (page.t("approval-body"), page.code("approval-body", approval.body)),
        (page.t("approval-decision-number"), approval.decision_number.clone()),
        (page.t("approval-decided-on"), page.date(approval.decided_on)),
        (page.t("approval-official"), approval.official_name.clone()),
    ];
    if let Some(votes) = approval.votes {
        facts.push((
            page.t("approval-vote"),
            format!(
                "{} {}, {} {}, {} {}",
                page.t("votes-for"),
                votes.votes_for,
                page.t("votes-against"),
                votes.against,
                page.t("votes-abstain"),
                votes.abstain
            ),
        ));
    }
    if approval.meeting_decision_id.is_some() {
        facts.push((page.t("approval-vote-source"), page.t("approval-vote-from-meeting")));
    }
    facts
}

/// An obligation as (label, value) pairs.
pub fn obligation_facts(page: &Chrome, obligation: &Obligation) -> Vec<(String, String)> {
    let mut facts = Vec::new();
    if let Some(hours) = &obligation.access_hours {
        facts.push((page.t("obligation-access-hours"), hours.clone()));
    }
    if let Some(standard) = &obligation.maintenance_standard {
        facts.push((page.t("obligation-maintenance"), standard.clone()));
    }
    if let Some(penalty) = &obligation.penalty {
        facts.push((page.t("obligation-penalty"), penalty.clone()));
    }
    let term = match obligation.ends_on {
        Some(ends) => format!("{} – {}", page.date(obligation.starts_on), page.date(ends)),
        None => format!("{} –", page.date(obligation.starts_on)),
    };
    facts.push((page.t("obligation-term"), term));
    facts.push((
        page.t("obligation-inspections"),
        page.t1("obligation-every-months", "months", obligation.inspect_every_months),
    ));
    facts
}
