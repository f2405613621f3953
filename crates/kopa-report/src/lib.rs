//! Kopa's documents. A [`Report`] is what a reader gets on paper: a title, notices, and
//! sections of facts, paragraphs, pictures and tables, all already in the reader's language.
//! The web renders the same report as an HTML page; this crate typesets it as PDF with typst
//! and writes it as a Word document, with fonts built in, so Latvian text prints the same
//! everywhere. [`charts`] draws the pictures.

pub mod charts;
mod docx;
mod typeset;

use serde::Serialize;

pub use docx::docx;
pub use typeset::pdf;

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
    /// The heading of the table of contents; empty for none.
    pub contents: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Section {
    pub heading: String,
    pub paragraphs: Vec<String>,
    /// Label and value pairs.
    pub facts: Vec<(String, String)>,
    pub figures: Vec<Figure>,
    pub tables: Vec<Table>,
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
