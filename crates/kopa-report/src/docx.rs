//! The report as a Word document. Pictures go in as PNG, drawn from their SVG with the same
//! fonts the PDF uses, since not every word processor reads SVG.

use std::io::Cursor;
use std::sync::LazyLock;

use docx_rs::{
    AlignmentType, BreakType, Docx, Footer, Paragraph, Pic, Run, RunFonts, Style, StyleType, Table, TableCell,
    TableRow, WidthType,
};
use resvg::{tiny_skia, usvg};

use crate::{Figure, PrintError, Report};

/// The text width of an A4 page with Word's default margins, in EMU (6.27 inches).
const TEXT_WIDTH_EMU: u32 = 5_733_288;
/// EMU per CSS pixel (1/96 inch).
const EMU_PER_PX: f64 = 9_525.0;
/// Pictures are drawn at twice their size, to stay sharp in print.
const SCALE: f32 = 2.0;

static SVG_OPTIONS: LazyLock<usvg::Options<'static>> = LazyLock::new(|| {
    let mut options = usvg::Options {
        font_family: "Libertinus Serif".into(),
        ..usvg::Options::default()
    };
    let fonts = options.fontdb_mut();
    for data in typst_assets::fonts() {
        fonts.load_font_data(data.to_vec());
    }
    options
});

/// A picture as PNG, with its size in pixels.
fn png(figure: &Figure) -> Result<(Vec<u8>, u32, u32), PrintError> {
    let tree = usvg::Tree::from_str(&figure.svg, &SVG_OPTIONS).map_err(|e| PrintError::Picture(e.to_string()))?;
    let size = tree.size();
    let (width, height) = (
        (size.width() * SCALE).ceil() as u32,
        (size.height() * SCALE).ceil() as u32,
    );
    let mut pixmap =
        tiny_skia::Pixmap::new(width, height).ok_or_else(|| PrintError::Picture("the picture has no size".into()))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(SCALE, SCALE),
        &mut pixmap.as_mut(),
    );
    let bytes = pixmap.encode_png().map_err(|e| PrintError::Picture(e.to_string()))?;
    Ok((bytes, size.width() as u32, size.height() as u32))
}

fn text(content: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(content))
}

fn table(columns: &[String], rows: &[Vec<String>]) -> Table {
    let cell = |content: &str, bold: bool| {
        let run = Run::new().add_text(content).size(18);
        TableCell::new().add_paragraph(Paragraph::new().add_run(if bold { run.bold() } else { run }))
    };
    let mut all = Vec::with_capacity(rows.len() + 1);
    if !columns.is_empty() {
        all.push(TableRow::new(columns.iter().map(|c| cell(c, true)).collect()));
    }
    for row in rows {
        all.push(TableRow::new(row.iter().map(|c| cell(c, false)).collect()));
    }
    Table::new(all).width(5000, WidthType::Pct)
}

fn heading(content: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(content)).style("Heading1")
}

/// The report as a `.docx` file.
pub fn docx(report: &Report) -> Result<Vec<u8>, PrintError> {
    let mut doc = Docx::new()
        .default_fonts(
            RunFonts::new()
                .ascii("Libertinus Serif")
                .hi_ansi("Libertinus Serif")
                .cs("Libertinus Serif"),
        )
        .default_size(20)
        .add_style(Style::new("Title", StyleType::Paragraph).name("Title").size(48).bold())
        .add_style(
            Style::new("Heading1", StyleType::Paragraph)
                .name("Heading 1")
                .size(32)
                .bold()
                .outline_lvl(0),
        )
        .add_style(
            Style::new("Caption", StyleType::Paragraph)
                .name("Caption")
                .size(18)
                .italic(),
        )
        .footer(Footer::new().add_paragraph(text(&report.footer)));

    doc = doc.add_paragraph(
        Paragraph::new()
            .add_run(Run::new().add_text(&report.title))
            .style("Title"),
    );
    if !report.subtitle.is_empty() {
        doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(&report.subtitle).size(28)));
    }
    for notice in &report.notices {
        doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(notice).bold()));
    }
    if !report.cover.is_empty() {
        let rows: Vec<Vec<String>> = report.cover.iter().map(|(k, v)| vec![k.clone(), v.clone()]).collect();
        doc = doc.add_table(table(&[], &rows));
        doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)));
    }
    if !report.contents.is_empty() {
        doc = doc.add_paragraph(heading(&report.contents));
        for (number, section) in report.sections.iter().enumerate() {
            doc = doc.add_paragraph(text(&format!("{}. {}", number + 1, section.heading)));
        }
        doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)));
    }
    for section in &report.sections {
        doc = doc.add_paragraph(heading(&section.heading));
        for paragraph in &section.paragraphs {
            doc = doc.add_paragraph(text(paragraph));
        }
        if !section.facts.is_empty() {
            let rows: Vec<Vec<String>> = section.facts.iter().map(|(k, v)| vec![k.clone(), v.clone()]).collect();
            doc = doc.add_table(table(&[], &rows));
        }
        for figure in &section.figures {
            let (bytes, width, height) = png(figure)?;
            let width_emu = (f64::from(width) * EMU_PER_PX).min(f64::from(TEXT_WIDTH_EMU));
            let height_emu = width_emu * f64::from(height) / f64::from(width.max(1));
            let picture = Pic::new_with_dimensions(bytes, width, height).size(width_emu as u32, height_emu as u32);
            doc = doc.add_paragraph(
                Paragraph::new()
                    .add_run(Run::new().add_image(picture))
                    .align(AlignmentType::Center),
            );
            doc = doc.add_paragraph(
                Paragraph::new()
                    .add_run(Run::new().add_text(&figure.caption))
                    .style("Caption"),
            );
        }
        for t in &section.tables {
            if !t.caption.is_empty() {
                doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(&t.caption).bold()));
            }
            if t.rows.is_empty() {
                doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(&t.empty).italic()));
            } else {
                doc = doc.add_table(table(&t.columns, &t.rows));
            }
        }
    }
    let mut out = Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| PrintError::Docx(e.to_string()))?;
    Ok(out.into_inner())
}
