//! The report as a Word document. Pictures go in as PNG, drawn from their SVG with the same
//! fonts the PDF uses, since not every word processor reads SVG.

use std::io::Cursor;
use std::sync::LazyLock;

use docx_rs::{
    AlignmentType, BreakType, Docx, FieldCharType, Footer, Header, InstrText, InstrToC, PageMargin, Paragraph, Pic,
    Run, RunFonts, Style, StyleType, Table, TableCell, TableLayoutType, TableRow, WidthType,
};
use resvg::{tiny_skia, usvg};

use crate::{Figure, PrintError, Report};

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

/// The width of the text on the page, in twips: A4 less the margins the PDF keeps
/// (1.8 cm at the sides, 2 cm at the top and foot).
const PAGE_WIDTH_TWIPS: u32 = 11_906;
const SIDE_MARGIN_TWIPS: u32 = 1_021;
const TEXT_WIDTH_TWIPS: u32 = PAGE_WIDTH_TWIPS - 2 * SIDE_MARGIN_TWIPS;
const EMU_PER_TWIP: u32 = 635;
/// A letter of table text (9 pt) is about this wide, and a cell pads its text by this much.
const LETTER_TWIPS: u32 = 125;
const CELL_PADDING_TWIPS: u32 = 280;
/// No column asks for room for more letters than this on one line, nor for a word longer.
const LONGEST_LINE: usize = 60;
const LONGEST_WORD: usize = 18;

/// Column widths in twips, set by what the columns hold: no column is narrower than its
/// longest word, where the page allows, and the room left goes to those with most to say.
fn column_widths(rows: &[&[String]]) -> Vec<u32> {
    let count = rows.iter().map(|r| r.len()).max().unwrap_or(0);
    let letters = |n: usize| n as u32 * LETTER_TWIPS + CELL_PADDING_TWIPS;
    let (mut floors, mut wants) = (vec![0u32; count], vec![0u32; count]);
    for row in rows {
        for (c, cell) in row.iter().enumerate() {
            let word = cell.split_whitespace().map(|w| w.chars().count()).max().unwrap_or(0);
            floors[c] = floors[c].max(letters(word.min(LONGEST_WORD)));
            wants[c] = wants[c].max(letters(cell.chars().count().min(LONGEST_LINE)));
        }
    }
    let (floor, want): (u32, u32) = (floors.iter().sum(), wants.iter().sum());
    let share = |part: u32, whole: u32, room: u32| (u64::from(part) * u64::from(room) / u64::from(whole.max(1))) as u32;
    if want <= TEXT_WIDTH_TWIPS {
        wants.iter().map(|w| share(*w, want, TEXT_WIDTH_TWIPS)).collect()
    } else if floor <= TEXT_WIDTH_TWIPS {
        let room = TEXT_WIDTH_TWIPS - floor;
        let extra = want - floor;
        floors
            .iter()
            .zip(&wants)
            .map(|(f, w)| f + share(w - f, extra, room))
            .collect()
    } else {
        floors.iter().map(|f| share(*f, floor, TEXT_WIDTH_TWIPS)).collect()
    }
}

/// Marks a header row; Word's own mark for it is added when the file is packed, since
/// the writer has no word for it.
const HEADER_ROW_MARK: &str = "<w:cantSplit />";
const HEADER_ROW: &str = "<w:cantSplit /><w:tblHeader />";

fn table(columns: &[String], rows: &[Vec<String>]) -> Table {
    let mut measured: Vec<&[String]> = rows.iter().map(Vec::as_slice).collect();
    measured.push(columns);
    let widths = column_widths(&measured);
    let row_of = |cells: &[String], bold: bool| {
        TableRow::new(
            cells
                .iter()
                .zip(&widths)
                .map(|(content, width)| {
                    let run = Run::new().add_text(content).size(18);
                    TableCell::new()
                        .width(*width as usize, WidthType::Dxa)
                        .add_paragraph(Paragraph::new().add_run(if bold { run.bold() } else { run }))
                })
                .collect(),
        )
    };
    let mut all = Vec::with_capacity(rows.len() + 1);
    if !columns.is_empty() {
        all.push(row_of(columns, true).cant_split());
    }
    all.extend(rows.iter().map(|row| row_of(row, false)));
    Table::new(all)
        .set_grid(widths.iter().map(|w| *w as usize).collect())
        .layout(TableLayoutType::Fixed)
        .width(TEXT_WIDTH_TWIPS as usize, WidthType::Dxa)
}

/// A heading in Word's own style, kept on the page of the text that follows it.
fn heading(content: &str) -> Paragraph {
    Paragraph::new()
        .style("Heading1")
        .keep_next(true)
        .add_run(Run::new().add_text(content))
}

/// Word's own table of contents: a field over the headings, already filled with the
/// sections so it reads before it is brought up to date, which Word offers on opening and
/// which adds the page numbers.
fn contents_entries(report: &Report) -> Vec<Paragraph> {
    let last = report.sections.len().saturating_sub(1);
    report
        .sections
        .iter()
        .enumerate()
        .map(|(n, section)| {
            let mut entry = Paragraph::new().style("ToC1");
            if n == 0 {
                entry = entry.add_run(
                    Run::new()
                        .add_field_char(FieldCharType::Begin, true)
                        .add_instr_text(InstrText::TOC(InstrToC::new().heading_styles_range(1, 1)))
                        .add_field_char(FieldCharType::Separate, false),
                );
            }
            entry = entry.add_run(Run::new().add_text(&section.heading));
            if n == last {
                entry = entry.add_run(Run::new().add_field_char(FieldCharType::End, false));
            }
            entry
        })
        .collect()
}

/// The standard fonts every word processor has, or substitutes with one of the same size.
fn fonts(name: &str) -> RunFonts {
    RunFonts::new().ascii(name).hi_ansi(name).cs(name).east_asia(name)
}

/// The report as a `.docx` file.
pub fn docx(report: &Report) -> Result<Vec<u8>, PrintError> {
    // Word's built-in style names, so its style list, navigation pane and contents know them.
    let mut doc = Docx::new()
        .page_size(PAGE_WIDTH_TWIPS, 16_838)
        .page_margin(
            PageMargin::new()
                .top(1_134)
                .bottom(1_134)
                .left(SIDE_MARGIN_TWIPS as i32)
                .right(SIDE_MARGIN_TWIPS as i32),
        )
        .default_fonts(fonts("Times New Roman"))
        .default_size(22)
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .size(48)
                .bold()
                .fonts(fonts("Arial")),
        )
        .add_style(
            Style::new("Heading1", StyleType::Paragraph)
                .name("heading 1")
                .next("Normal")
                .size(32)
                .bold()
                .fonts(fonts("Arial"))
                .outline_lvl(0),
        )
        .add_style(
            Style::new("Caption", StyleType::Paragraph)
                .name("caption")
                .size(18)
                .italic(),
        )
        .add_style(Style::new("ToC1", StyleType::Paragraph).name("toc 1").next("Normal"))
        .footer(Footer::new().add_paragraph(text(&report.footer).size(16)));

    if !report.watermark.is_empty() {
        // At the head of every page; Word's own watermarks are drawn shapes it does not share.
        doc = doc.header(
            Header::new().add_paragraph(
                Paragraph::new()
                    .add_run(Run::new().add_text(&report.watermark).bold().size(20))
                    .align(AlignmentType::Right),
            ),
        );
    }
    if !report.cover_line.is_empty() {
        doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(&report.cover_line).bold().size(24)));
    }
    if !report.subtitle.is_empty() {
        doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(&report.subtitle).size(32)));
    }
    doc = doc.add_paragraph(
        Paragraph::new()
            .add_run(Run::new().add_text(&report.title))
            .style("Title"),
    );
    for notice in &report.notices {
        doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(notice).bold()));
    }
    if !report.cover.is_empty() {
        let rows: Vec<Vec<String>> = report.cover.iter().map(|(k, v)| vec![k.clone(), v.clone()]).collect();
        doc = doc.add_table(table(&[], &rows));
        doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)));
    }
    if !report.contents.is_empty() {
        doc = doc.add_paragraph(
            Paragraph::new()
                .add_run(Run::new().add_text(&report.contents).bold().size(32))
                .keep_next(true),
        );
        for entry in contents_entries(report) {
            doc = doc.add_paragraph(entry);
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
            let width_emu = (f64::from(width) * EMU_PER_PX).min(f64::from(TEXT_WIDTH_TWIPS * EMU_PER_TWIP));
            let height_emu = width_emu * f64::from(height) / f64::from(width.max(1));
            let picture = Pic::new_with_dimensions(bytes, width, height).size(width_emu as u32, height_emu as u32);
            // A picture stays on the page of the caption under it.
            doc = doc.add_paragraph(
                Paragraph::new()
                    .add_run(Run::new().add_image(picture))
                    .align(AlignmentType::Center)
                    .keep_next(true),
            );
            doc = doc.add_paragraph(
                Paragraph::new()
                    .add_run(Run::new().add_text(&figure.caption))
                    .style("Caption"),
            );
        }
        for t in &section.tables {
            if !t.caption.is_empty() {
                doc = doc.add_paragraph(
                    Paragraph::new()
                        .add_run(Run::new().add_text(&t.caption).bold())
                        .keep_next(true),
                );
            }
            if t.rows.is_empty() {
                doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(&t.empty).italic()));
            } else {
                doc = doc.add_table(table(&t.columns, &t.rows));
            }
        }
        if section.own_page {
            doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)));
        }
    }
    let mut out = Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| PrintError::Docx(e.to_string()))?;
    with_header_rows(&out.into_inner()).map_err(|e| PrintError::Docx(e.to_string()))
}

/// The packed file again, with its header rows marked to repeat on every page.
fn with_header_rows(packed: &[u8]) -> zip::result::ZipResult<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(packed))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut part = archive.by_index(i)?;
        let name = part.name().to_owned();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut part, &mut bytes)?;
        if name == "word/document.xml" {
            let xml = String::from_utf8_lossy(&bytes).replace(HEADER_ROW_MARK, HEADER_ROW);
            bytes = xml.into_bytes();
        }
        out.start_file(name, options)?;
        std::io::Write::write_all(&mut out, &bytes)?;
    }
    Ok(out.finish()?.into_inner())
}
