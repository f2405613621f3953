//! The form fields of each kind of evidence. How recorded evidence, approvals and obligations
//! read is shared with the audit pack, in `kopa_report::pack`.

use kopa_domain::cooperation::instrument::Requirement;

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
