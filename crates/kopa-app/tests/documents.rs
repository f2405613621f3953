//! The plan and the audit pack as documents, built from fixed domain values in each language
//! with the real Fluent files, and kept as reviewed snapshots. The fixtures are the demo's plan
//! and the audit pack of its land lease, both examples.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use kopa_app::Locale;
use kopa_app::i18n::{I18n, Wording};
use kopa_domain::cooperation::pack::verify_sealed;
use kopa_domain::plan::{Names, Plan};
use kopa_report::plan::PlanDocument;
use kopa_report::{Format, Report};
use kopa_store::testing::assert_snapshot;

fn here(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join(path)
}

fn words(i18n: &I18n, locale: Locale) -> Wording<'_> {
    Wording {
        i18n,
        locale,
        zone: chrono_tz::Europe::Riga,
    }
}

fn plan() -> Plan {
    serde_json::from_str(&std::fs::read_to_string(here("fixtures/plan.json")).unwrap()).unwrap()
}

/// Names for every record the plan points to, invented and marked as such.
fn names_of(plan: &Plan) -> Names {
    let refs = plan.references();
    let named = |ids: &std::collections::BTreeSet<i64>, what: &str| {
        ids.iter().map(|id| (*id, format!("{what} {id} (example)"))).collect()
    };
    Names {
        people: named(&refs.people, "Person"),
        organisations: named(&refs.organisations, "Organisation"),
        initiatives: named(&refs.initiatives, "Initiative"),
        meetings: named(&refs.meetings, "Meeting"),
        decisions: refs
            .decisions
            .iter()
            .map(|id| (*id, (1, format!("Decision {id} (example)"))))
            .collect(),
        instruments: Default::default(),
        scenarios: Default::default(),
    }
}

/// The report as reviewable JSON: pictures by their size, since the charts test their own.
fn reviewable(report: &Report) -> String {
    let mut value = serde_json::to_value(report).unwrap();
    for section in value["sections"].as_array_mut().unwrap() {
        for figure in section["figures"].as_array_mut().unwrap() {
            let size = figure["svg"].as_str().unwrap().len();
            assert!(
                figure["svg"].as_str().unwrap().starts_with("<svg"),
                "a figure is an SVG picture"
            );
            figure["svg"] = format!("<svg of {size} bytes>").into();
        }
    }
    serde_json::to_string_pretty(&value).unwrap() + "\n"
}

/// Every text of the report, to look for words that were not translated.
fn texts(value: &serde_json::Value, into: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => into.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| texts(v, into)),
        serde_json::Value::Object(fields) => fields.values().for_each(|v| texts(v, into)),
        _ => {}
    }
}

/// Message keys standing where their words should be: the Fluent file lacks them, so the
/// lookup gave the key back.
fn untranslated(report: &Report, locale: Locale) -> Vec<String> {
    let keys = I18n::keys(locale);
    let mut all = Vec::new();
    texts(&serde_json::to_value(report).unwrap(), &mut all);
    let looks_like_key = |s: &str| {
        s.contains('-')
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c == '-' || c == '_' || c.is_ascii_digit())
    };
    all.into_iter()
        .filter(|s| looks_like_key(s) && !keys.contains(s))
        .collect()
}

#[test]
fn the_plan_document_is_as_reviewed_in_both_languages() {
    let i18n = I18n::load().unwrap();
    let plan = plan();
    let names = names_of(&plan);
    for locale in Locale::ALL {
        let document = PlanDocument {
            plan: &plan,
            number: 1,
            submitted_at: None,
            municipality: "Ķekavas novads",
            network: "Cities4CSR (URBACT III Action Planning Network)",
            names: &names,
            today: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        };
        let report = kopa_report::plan::report(&words(&i18n, locale), &document);
        assert_eq!(report.lang, locale.code());
        assert!(
            untranslated(&report, locale).is_empty(),
            "{:?}",
            untranslated(&report, locale)
        );
        // A draft says so before anything else.
        assert_eq!(report.notices[0], i18n.text(locale, "export-draft-notice", &[]));
        assert_eq!(
            report.sections.len(),
            11,
            "every section of the plan, and the funding summary"
        );
        assert!(
            report
                .cover
                .iter()
                .any(|(_, value)| value == "Cities4CSR (URBACT III Action Planning Network)")
        );
        assert_snapshot(
            &here(&format!("snapshots/plan-{}.json", locale.code())),
            &reviewable(&report),
        );
    }
}

#[test]
fn a_submitted_plan_gives_its_day_on_the_workspace_clock() {
    let i18n = I18n::load().unwrap();
    let plan = plan();
    let names = names_of(&plan);
    // Late on 30 November in UTC is already 1 December in Riga.
    let submitted: DateTime<Utc> = "2026-11-30T23:30:00Z".parse().unwrap();
    let document = PlanDocument {
        plan: &plan,
        number: 2,
        submitted_at: Some(submitted),
        municipality: "Ķekavas novads",
        network: "Cities4CSR (URBACT III Action Planning Network)",
        names: &names,
        today: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
    };
    let report = kopa_report::plan::report(&words(&i18n, Locale::En), &document);
    let state = &report.cover.iter().find(|(label, _)| *label == "State").unwrap().1;
    // Fluent isolates an argument's direction with marks around it.
    assert!(
        state.replace(['\u{2068}', '\u{2069}'], "").contains("1 Dec 2026"),
        "{state}"
    );
    assert!(
        !report
            .notices
            .contains(&i18n.text(Locale::En, "export-draft-notice", &[]))
    );
}

#[test]
fn the_audit_pack_document_is_as_reviewed_in_both_languages() {
    let i18n = I18n::load().unwrap();
    let sealed = std::fs::read_to_string(here("fixtures/audit-pack.json")).unwrap();
    let pack = verify_sealed(&sealed).expect("the fixture is a sealed pack that verifies");
    for locale in Locale::ALL {
        let report = kopa_report::pack::report(&words(&i18n, locale), &pack);
        assert!(
            untranslated(&report, locale).is_empty(),
            "{:?}",
            untranslated(&report, locale)
        );
        assert!(report.title.ends_with(&pack.file.instrument.subject));
        // The land lease is an example, and the pack says so first.
        assert_eq!(report.notices[0], i18n.text(locale, "pack-example-notice", &[]));
        let trail = report.sections.last().unwrap();
        assert_eq!(
            trail.tables[0].rows.len(),
            pack.trail.len(),
            "every audit event is listed"
        );
        assert_snapshot(
            &here(&format!("snapshots/audit-pack-{}.json", locale.code())),
            &reviewable(&report),
        );
    }
}

#[test]
fn every_format_writes_the_same_report() {
    let i18n = I18n::load().unwrap();
    let sealed = std::fs::read_to_string(here("fixtures/audit-pack.json")).unwrap();
    let pack = verify_sealed(&sealed).unwrap();
    let report = kopa_report::pack::report(&words(&i18n, Locale::Lv), &pack);
    let html = String::from_utf8(kopa_report::write(&report, Format::Html).unwrap()).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<html lang=\"lv\">"));
    assert!(html.contains(&pack.file.instrument.subject));
    assert!(kopa_report::write(&report, Format::Pdf).unwrap().starts_with(b"%PDF-"));
    assert!(kopa_report::write(&report, Format::Docx).unwrap().starts_with(b"PK"));
}
