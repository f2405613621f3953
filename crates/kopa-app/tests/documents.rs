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
use kopa_report::{Format, Report, Table};
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

/// The fixture's plan as the report of a first draft.
fn draft_report(i18n: &I18n, locale: Locale, plan: &Plan, names: &Names) -> Report {
    let document = PlanDocument {
        plan,
        number: 1,
        submitted_at: None,
        municipality: "Ķekavas novads",
        network: "Cities4CSR (URBACT III Action Planning Network)",
        names,
        today: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        written_in: kopa_domain::plan::Language::Lv,
    };
    kopa_report::plan::report(&words(i18n, locale), &document)
}

#[test]
fn the_plan_document_is_as_reviewed_in_both_languages() {
    let i18n = I18n::load().unwrap();
    let plan = plan();
    let names = names_of(&plan);
    for locale in Locale::ALL {
        let report = draft_report(&i18n, locale, &plan, &names);
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
            12,
            "the summary, every section of the plan, and the funding summary"
        );
        assert_eq!(
            report.sections[0].heading,
            i18n.text(locale, "plan-section-summary", &[])
        );
        assert!(report.sections[0].own_page, "the summary is one page of its own");
        assert_eq!(report.cover_line, "Cities4CSR (URBACT III Action Planning Network)");
        assert_eq!(
            report.watermark,
            i18n.text(locale, "export-draft-watermark", &[]),
            "a draft is marked on every page"
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
        written_in: kopa_domain::plan::Language::Lv,
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
    assert!(report.watermark.is_empty(), "a submitted plan is not marked as a draft");
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
        let trail = &report.sections[report.sections.len() - 2];
        assert_eq!(
            trail.tables[0].rows.len(),
            pack.trail.len(),
            "every audit event is listed"
        );
        // Each recorded field reads in words: no stored name, code or raw value is left.
        for row in &trail.tables[0].rows {
            for stored in [
                "_id",
                "_on:",
                "_cents",
                "null",
                "true",
                "false",
                "land_lease",
                "instrument_",
            ] {
                assert!(
                    !row[3].contains(stored) && !row[4].contains(stored),
                    "{stored:?} in {row:?}"
                );
            }
        }
        // The annex gives every hash whole.
        let annex = report.sections.last().unwrap();
        let whole: Vec<&String> = annex.tables[0].rows.iter().map(|r| &r[1]).collect();
        assert_eq!(whole, pack.trail.iter().map(|e| &e.hash).collect::<Vec<_>>());
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

/// A program people open documents with, run on `args`; `None`, said as skipped, where
/// it is not installed.
fn open_with(program: &str, args: &[&std::ffi::OsStr], package: &str) -> Option<std::process::Output> {
    match std::process::Command::new(program).args(args).output() {
        Ok(out) => {
            assert!(
                out.status.success(),
                "{program}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            Some(out)
        }
        Err(_) => {
            kopa_store::testing::say_skipped(&format!("the document check needs {program} ({package})"));
            None
        }
    }
}

fn os(s: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(s)
}

#[test]
fn the_plan_pdf_declares_pdf_ua_and_the_audit_pack_pdf_a_with_its_json() {
    let dir = tempfile::tempdir().unwrap();
    let i18n = I18n::load().unwrap();
    let plan = plan();
    let plan_pdf = dir.path().join("plan.pdf");
    let report = draft_report(&i18n, Locale::Lv, &plan, &names_of(&plan));
    std::fs::write(&plan_pdf, kopa_report::write(&report, Format::Pdf).unwrap()).unwrap();
    if let Some(meta) = open_with("pdfinfo", &[os("-meta"), plan_pdf.as_os_str()], "poppler-utils") {
        let meta = String::from_utf8_lossy(&meta.stdout);
        assert!(meta.contains("<pdfuaid:part>1</pdfuaid:part>"), "{meta}");
        assert!(meta.contains("<rdf:li>lv</rdf:li>"), "the language is declared: {meta}");
    }
    if let Some(info) = open_with("pdfinfo", &[plan_pdf.as_os_str()], "poppler-utils") {
        assert!(String::from_utf8_lossy(&info.stdout).contains("Tagged:          yes"));
    }

    let sealed = std::fs::read_to_string(here("fixtures/audit-pack.json")).unwrap();
    let pack = verify_sealed(&sealed).unwrap();
    let pack_pdf = dir.path().join("pack.pdf");
    let report = kopa_report::pack::report(&words(&i18n, Locale::Lv), &pack);
    std::fs::write(&pack_pdf, kopa_report::write(&report, Format::Pdf).unwrap()).unwrap();
    if let Some(meta) = open_with("pdfinfo", &[os("-meta"), pack_pdf.as_os_str()], "poppler-utils") {
        let meta = String::from_utf8_lossy(&meta.stdout);
        assert!(meta.contains("<pdfaid:part>3</pdfaid:part>"), "{meta}");
        assert!(meta.contains("<pdfaid:conformance>A</pdfaid:conformance>"), "{meta}");
    }
    // The sealed JSON rides inside the PDF, and still verifies when taken out.
    let out = dir.path().join("attached");
    std::fs::create_dir(&out).unwrap();
    if open_with(
        "pdfdetach",
        &[os("-saveall"), os("-o"), out.as_os_str(), pack_pdf.as_os_str()],
        "poppler-utils",
    )
    .is_some()
    {
        let name = format!("audit-pack-{}.json", pack.file.instrument.id);
        let attached = std::fs::read_to_string(out.join(&name)).expect("the pack's JSON is attached");
        let again = verify_sealed(&attached).expect("the attached JSON verifies");
        assert_eq!(again.file.instrument.id, pack.file.instrument.id);
    }
}

#[test]
fn the_plan_word_file_opens_in_libreoffice_with_set_columns_and_repeated_headers() {
    let dir = tempfile::tempdir().unwrap();
    let i18n = I18n::load().unwrap();
    let plan = plan();
    let report = draft_report(&i18n, Locale::Lv, &plan, &names_of(&plan));
    let docx = dir.path().join("plan.docx");
    std::fs::write(&docx, kopa_report::write(&report, Format::Docx).unwrap()).unwrap();

    // LibreOffice converts it without complaint, and every section is in what it made.
    let profile = format!("-env:UserInstallation=file://{}", dir.path().join("profile").display());
    if open_with(
        "soffice",
        &[
            os(&profile),
            os("--headless"),
            os("--convert-to"),
            os("pdf"),
            os("--outdir"),
            dir.path().join("converted").as_os_str(),
            docx.as_os_str(),
        ],
        "libreoffice-writer-nogui",
    )
    .is_some()
        && let Some(text) = open_with(
            "pdftotext",
            &[dir.path().join("converted/plan.pdf").as_os_str(), os("-")],
            "poppler-utils",
        )
    {
        let text = String::from_utf8_lossy(&text.stdout)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        for section in &report.sections {
            assert!(
                text.contains(&section.heading),
                "{:?} is not in LibreOffice's PDF",
                section.heading
            );
        }
    }

    // python-docx reads it back: Word's heading style and contents, and tables whose columns
    // are set by what they hold, with their header row repeated on every page.
    let script = r#"
import json, sys, docx
from docx.oxml.ns import qn
d = docx.Document(sys.argv[1])
tables = []
for t in d.tables:
    grid = [int(c.get(qn("w:w"))) for c in t._tbl.tblGrid.findall(qn("w:gridCol"))]
    first = t.rows[0]._tr
    tables.append({
        "grid": grid,
        "header_repeats": first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None,
        "first_row": [c.text for c in t.rows[0].cells],
    })
print(json.dumps({
    "headings": [p.text for p in d.paragraphs if p.style is not None and p.style.name == "Heading 1"],
    "contents": "TOC" in "".join(i.text or "" for i in d.element.body.iter(qn("w:instrText"))),
    "tables": tables,
}))
"#;
    let Some(read) = open_with("python3", &[os("-c"), os(script), docx.as_os_str()], "python3") else {
        return;
    };
    if !read.stderr.is_empty() && String::from_utf8_lossy(&read.stderr).contains("No module named 'docx'") {
        kopa_store::testing::say_skipped("the Word check needs python-docx (pip install python-docx)");
        return;
    }
    let read: serde_json::Value = serde_json::from_slice(&read.stdout).expect("python-docx read the file");
    let headings: Vec<&str> = read["headings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap())
        .collect();
    let sections: Vec<&str> = report.sections.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(headings, sections, "every section is a Heading 1");
    assert_eq!(read["contents"], true, "Word's own table of contents");
    let tables = read["tables"].as_array().unwrap();
    let with_columns: Vec<&Table> = report
        .sections
        .iter()
        .flat_map(|s| &s.tables)
        .filter(|t| !t.rows.is_empty())
        .collect();
    for table in &with_columns {
        let found = tables
            .iter()
            .find(|t| {
                t["first_row"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_str().unwrap())
                    .eq(table.columns.iter().map(String::as_str))
            })
            .unwrap_or_else(|| panic!("the table {:?} is in the file", table.caption));
        assert_eq!(
            found["header_repeats"], true,
            "{:?} repeats its header row",
            table.caption
        );
        let grid: Vec<u64> = found["grid"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_u64().unwrap())
            .collect();
        assert_eq!(grid.len(), table.columns.len());
        assert!(
            grid.iter().sum::<u64>() <= 9_864,
            "{:?} fits the page: {grid:?}",
            table.caption
        );
        if table.columns.len() > 2 {
            assert!(
                grid.iter().min() < grid.iter().max(),
                "{:?} has columns set by content: {grid:?}",
                table.caption
            );
        }
    }
}

#[test]
fn a_stale_translation_is_marked_in_the_export() {
    let i18n = I18n::load().unwrap();
    let mut plan = plan();
    plan.vision.stale = Some(kopa_domain::plan::Language::En);
    let english = draft_report(&i18n, Locale::En, &plan, &names_of(&plan));
    let vision = &english.sections[0].paragraphs[0];
    assert!(vision.ends_with("[translation out of date]"), "{vision}");
    let latvian = draft_report(&i18n, Locale::Lv, &plan, &names_of(&plan));
    assert!(
        !latvian.sections[0].paragraphs[0].contains('['),
        "the Latvian is the current text"
    );
}

/// Initiatives and instruments are written in the workspace's language; an English reader
/// sees them marked as Latvian, and the cover says what the mark means.
#[test]
fn records_in_the_workspaces_language_are_marked_for_a_reader_of_the_other() {
    let i18n = I18n::load().unwrap();
    let plan = plan();
    let names = names_of(&plan);
    let linked = |report: &Report| -> Vec<String> {
        let actions = report.sections.iter().find(|s| s.tables.len() == 2).unwrap();
        actions.tables[1]
            .rows
            .iter()
            .map(|r| r[3].clone())
            .filter(|c| !c.is_empty())
            .collect()
    };
    let english = draft_report(&i18n, Locale::En, &plan, &names);
    assert!(!linked(&english).is_empty(), "the fixture links initiatives");
    for cell in linked(&english) {
        assert!(cell.ends_with("[LV]"), "{cell}");
    }
    assert!(
        english
            .notices
            .contains(&i18n.text(Locale::En, "export-fallback-lv", &[]))
    );
    let latvian = draft_report(&i18n, Locale::Lv, &plan, &names);
    assert!(linked(&latvian).iter().all(|cell| !cell.contains("[LV]")));
}
