//! Typesetting with typst. The report goes in as JSON that the template reads, so no text a
//! user wrote is ever parsed as typst markup.

use std::sync::LazyLock;

use chrono::{Datelike, Timelike};
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::layout::PagedDocument;
use typst::syntax::{FileId, Source, VirtualPath};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::{PrintError, Report, Standard};

const TEMPLATE: &str = include_str!("../templates/report.typ");
const DATA_PATH: &str = "/report.json";

/// The fonts typst ships (Libertinus Serif, New Computer Modern, DejaVu Sans Mono), loaded
/// once: they cover Latvian letters, and the pictures name Libertinus Serif first.
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// One compilation: the template and the report's data.
struct ReportWorld<'a> {
    main: Source,
    data: Bytes,
    report: &'a Report,
}

impl World for ReportWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotFound(id.vpath().as_rootless_path().into()))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id.vpath() == &VirtualPath::new(DATA_PATH) {
            return Ok(self.data.clone());
        }
        self.report
            .attachments
            .iter()
            .find(|a| id.vpath() == &VirtualPath::new(format!("/{}", a.name)))
            .map(|a| Bytes::new(a.data.clone()))
            .ok_or_else(|| FileError::NotFound(id.vpath().as_rootless_path().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    /// Reports carry their own dates; the template never asks for today.
    fn today(&self, _offset: Option<i64>) -> Option<Datetime> {
        None
    }
}

/// The report as a PDF.
pub fn pdf(report: &Report) -> Result<Vec<u8>, PrintError> {
    let data = serde_json::to_vec(report).map_err(|e| PrintError::Typeset(e.to_string()))?;
    let world = ReportWorld {
        main: Source::new(FileId::new(None, VirtualPath::new("/report.typ")), TEMPLATE.to_owned()),
        data: Bytes::new(data),
        report,
    };
    let document: PagedDocument = typst::compile(&world).output.map_err(|errors| {
        PrintError::Typeset(
            errors
                .iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    let standard = match report.standard {
        Standard::Accessible => PdfStandard::Ua_1,
        Standard::Archival => PdfStandard::A_3a,
    };
    let options = PdfOptions {
        timestamp: report.made_at.and_then(|at| {
            let at = at.naive_utc();
            Datetime::from_ymd_hms(
                at.year(),
                at.month() as u8,
                at.day() as u8,
                at.hour() as u8,
                at.minute() as u8,
                at.second() as u8,
            )
            .map(Timestamp::new_utc)
        }),
        standards: PdfStandards::new(&[standard]).map_err(|e| PrintError::Pdf(e.to_string()))?,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|errors| {
        PrintError::Pdf(
            errors
                .iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })
}
