//! Reports typeset for real: the PDF is parsed back and its text searched.

use kopa_report::{Report, Section, Table, docx, pdf};

fn sample() -> Report {
    Report {
        lang: "lv".into(),
        title: "Revīzijas pakete: zemes noma Ķekavā".into(),
        subtitle: "Nomas līgums Nr. 7/2021".into(),
        notices: vec!["Piemērs: izdomāts uzņēmums".into()],
        sections: vec![
            Section::new("Puses")
                .fact("Partneris", "SIA Piemēra Loģistika")
                .fact("Vērtība", "1 200,00 €")
                .paragraph("#set text(red) — lietotāja teksts netiek izpildīts"),
            Section::new("Audita pieraksti").table(Table {
                caption: "Notikumi".into(),
                columns: vec!["Nr.".into(), "Kas".into()],
                rows: vec![vec!["1".into(), "koordinatore@kekava.lv".into()]],
                empty: "Nav".into(),
            }),
        ],
        footer: "Kopa · Ķekavas novads".into(),
        ..Report::default()
    }
}

/// The sample with a cover, contents and a picture with Latvian words in it.
fn with_picture() -> Report {
    let risks = [kopa_report::charts::Placed {
        label: "R1".into(),
        likelihood: 3,
        impact: 4,
    }];
    let svg = kopa_report::charts::HeatMap {
        title: "Risku karte".into(),
        description: "Riski".into(),
        risks: &risks,
        likelihood_label: "Iespējamība".into(),
        impact_label: "Ietekme".into(),
    }
    .svg();
    let mut report = sample();
    report.cover = vec![("Tīkls".into(), "Cities4CSR".into())];
    report.contents = "Saturs".into();
    report.sections[0] = report.sections[0].clone().figure("Risku karte šķērsgriezumā", svg);
    report
}

#[test]
fn a_report_prints_with_latvian_letters_intact() {
    let bytes = pdf(&sample()).expect("typeset");
    assert!(bytes.starts_with(b"%PDF-"));
    let text = pdf_extract::extract_text_from_mem(&bytes).expect("read the PDF back");
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Revīzijas pakete: zemes noma Ķekavā",
        "SIA Piemēra Loģistika",
        "koordinatore@kekava.lv",
        "#set text(red)",
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text:?}");
    }
}

#[test]
fn a_cover_contents_and_pictures_print_in_the_pdf_and_the_word_file() {
    let report = with_picture();
    let text = pdf_extract::extract_text_from_mem(&pdf(&report).expect("typeset")).expect("read back");
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in ["Saturs", "Cities4CSR", "Risku karte šķērsgriezumā"] {
        assert!(text.contains(expected), "{expected:?} not in {text:?}");
    }
    // A picture's words stay text, set letter by letter.
    let letters: String = text.split_whitespace().collect();
    for expected in ["Iespējamība", "Ietekme", "R1"] {
        assert!(letters.contains(expected), "{expected:?} not in the picture");
    }

    let bytes = docx(&report).expect("written");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    let pictures = (0..archive.len())
        .filter(|i| archive.by_index(*i).unwrap().name().ends_with(".png"))
        .count();
    assert_eq!(pictures, 1);
    let mut document = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("word/document.xml").unwrap(), &mut document).unwrap();
    assert!(document.contains("TOC \\o"), "Word's own table of contents");
    for expected in ["Saturs", "Puses", "Risku karte šķērsgriezumā", "SIA Piemēra Loģistika"] {
        assert!(document.contains(expected), "{expected:?} not in the Word document");
    }
}

/// Whether the PDF's metadata (XMP, kept uncompressed) holds `needle`.
fn declares(pdf: &[u8], needle: &str) -> bool {
    pdf.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn the_pdf_keeps_to_its_standard_and_carries_its_files() {
    // typst checks the standard as it writes: a report that broke it would fail here.
    let accessible = pdf(&with_picture()).expect("a report with a cover and a picture keeps to PDF/UA-1");
    assert!(declares(&accessible, "<pdfuaid:part>1</pdfuaid:part>"));
    assert!(!declares(&accessible, "pdfaid:part"));

    let mut archival = with_picture();
    archival.standard = kopa_report::Standard::Archival;
    archival.attachments = vec![kopa_report::Attachment {
        name: "pakete.json".into(),
        description: "Dati".into(),
        mime_type: "application/json".into(),
        data: br#"{"ok":true}"#.to_vec(),
    }];
    let undated = pdf(&archival).expect_err("an archival PDF must say when it was made");
    assert!(undated.to_string().contains("date"), "{undated}");
    archival.made_at = Some(chrono::Utc::now());
    let archival = pdf(&archival).expect("the same report keeps to PDF/A-3a");
    assert!(declares(&archival, "<pdfaid:part>3</pdfaid:part>"));
    assert!(declares(&archival, "<pdfaid:conformance>A</pdfaid:conformance>"));
    assert!(declares(&archival, "pakete.json"));
}
