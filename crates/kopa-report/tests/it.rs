//! Reports typeset for real: the PDF is parsed back and its text searched.

use kopa_report::{Report, Section, Table, pdf};

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
    }
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
