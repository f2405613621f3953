//! Kopa's documents. A [`Report`] is what a reader gets on paper: a title, notices, and
//! sections of facts, paragraphs and tables, all already in the reader's language. The web
//! renders the same report as an HTML page; this crate typesets it as PDF with typst, with
//! its fonts built in, so Latvian text prints the same everywhere.

mod typeset;

use serde::Serialize;

pub use typeset::{PrintError, pdf};

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
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Section {
    pub heading: String,
    pub paragraphs: Vec<String>,
    /// Label and value pairs.
    pub facts: Vec<(String, String)>,
    pub tables: Vec<Table>,
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

    pub fn table(mut self, table: Table) -> Section {
        self.tables.push(table);
        self
    }
}
