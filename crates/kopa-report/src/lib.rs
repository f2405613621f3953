//! Kopa's documents. A [`Report`] is what a reader gets on paper: a title, notices, and
//! sections of facts, paragraphs, pictures and tables, all already in the reader's language.
//! [`plan`] and [`pack`] build the plan and the audit pack from domain values, with the
//! [`Words`] of whoever asks: the web and the command line make the same documents. This crate
//! typesets a report as PDF with typst, with fonts built in so Latvian text prints the same
//! everywhere, writes it as a Word document or a standalone HTML file, and [`charts`] draws the
//! pictures. The web also shows the same report as a page of the site.

pub mod charts;
mod docx;
pub mod pack;
pub mod plan;
mod typeset;
mod words;

use askama::Template;
use serde::Serialize;

pub use docx::docx;
pub use typeset::pdf;
pub use words::{Arg, Keys, Words, number};

#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("the report could not be typeset: {0}")]
    Typeset(String),
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
    #[error("a picture could not be drawn: {0}")]
    Picture(String),
    #[error("the Word document could not be written: {0}")]
    Docx(String),
    #[error("the HTML file could not be written: {0}")]
    Html(String),
}

/// The formats a report is saved in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Pdf,
    Docx,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Html, Format::Pdf, Format::Docx];

    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
        }
    }

    pub fn from_extension(extension: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.extension() == extension)
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Html => "text/html; charset=utf-8",
            Format::Pdf => "application/pdf",
            Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }
    }
}

/// A report as one HTML file that stands alone: its own styles, no site around it.
#[derive(Template)]
#[template(path = "report_file.html")]
struct HtmlFile<'a> {
    report: &'a Report,
}

/// The report written in `format`. Typesetting takes a while: call it off async threads.
pub fn write(report: &Report, format: Format) -> Result<Vec<u8>, PrintError> {
    match format {
        Format::Html => HtmlFile { report }
            .render()
            .map(String::into_bytes)
            .map_err(|e| PrintError::Html(e.to_string())),
        Format::Pdf => pdf(report),
        Format::Docx => docx(report),
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The language code, for hyphenation and the document's metadata.
    pub lang: String,
    pub title: String,
    pub subtitle: String,
    /// Things the reader must see first, such as "this is an example".
    pub notices: Vec<String>,
    pub sections: Vec<Section>,
    /// Printed at the foot of every page.
    pub footer: String,
    /// Facts on a cover page of its own; without any, the report starts at once.
    pub cover: Vec<(String, String)>,
    /// Above the title on the cover: whom the document is for, such as the network.
    pub cover_line: String,
    /// Across every page, faintly, such as "Draft"; empty for none.
    pub watermark: String,
    /// The heading of the table of contents; empty for none.
    pub contents: String,
    /// The standard the PDF keeps to.
    pub standard: Standard,
    /// Files carried inside the PDF, such as the data it was drawn from.
    pub attachments: Vec<Attachment>,
    /// When the document was made, in its metadata; archival PDFs must say.
    #[serde(skip)]
    pub made_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The standard a report's PDF declares and keeps to. typst checks it while writing, so a
/// report that would break it fails instead of being written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum Standard {
    /// PDF/UA-1: tagged, with a title, a language and text for every picture, for readers
    /// who listen to it.
    #[default]
    Accessible,
    /// PDF/A-3a: for keeping as it is for years, still tagged, and able to carry files.
    Archival,
}

/// A file carried inside a PDF, under its name (any but `report.json`, the report itself).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Attachment {
    pub name: String,
    pub description: String,
    pub mime_type: String,
    /// Handed to typst as a file of its own, not through the report's JSON.
    #[serde(skip)]
    pub data: Vec<u8>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Section {
    pub heading: String,
    pub paragraphs: Vec<String>,
    /// Label and value pairs.
    pub facts: Vec<(String, String)>,
    pub figures: Vec<Figure>,
    pub tables: Vec<Table>,
    /// Whether the section stands on a page of its own, as a summary does.
    pub own_page: bool,
}

/// A picture drawn as SVG, with the caption readers see under it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Figure {
    pub caption: String,
    pub svg: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Table {
    pub caption: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Shown when there are no rows.
    pub empty: String,
}

impl Section {
    pub fn new(heading: impl Into<String>) -> Section {
        Section {
            heading: heading.into(),
            ..Section::default()
        }
    }

    pub fn fact(mut self, label: impl Into<String>, value: impl Into<String>) -> Section {
        self.facts.push((label.into(), value.into()));
        self
    }

    pub fn paragraph(mut self, text: impl Into<String>) -> Section {
        self.paragraphs.push(text.into());
        self
    }

    pub fn figure(mut self, caption: impl Into<String>, svg: String) -> Section {
        self.figures.push(Figure {
            caption: caption.into(),
            svg,
        });
        self
    }

    pub fn table(mut self, table: Table) -> Section {
        self.tables.push(table);
        self
    }
}
