//! Documents for download: a [`Report`] shown as a page, printed as PDF or Word, or saved as
//! a standalone HTML file. Printing runs off the request threads.

use askama::Template;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use kopa_report::Report;

use super::Chrome;
use crate::error::WebError;

/// A report as a page of the site, with links to the same report in other formats.
#[derive(Template)]
#[template(path = "report.html")]
pub struct ReportPage {
    pub page: Chrome,
    pub report: Report,
    pub downloads: Vec<(String, String)>,
}

/// A report as one HTML file that stands alone: its own styles, no site around it.
#[derive(Template)]
#[template(path = "report_file.html")]
pub struct ReportFile {
    pub report: Report,
}

/// The formats a report is downloaded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Pdf,
    Docx,
}

impl Format {
    pub fn from_extension(extension: &str) -> Option<Format> {
        match extension {
            "html" => Some(Format::Html),
            "pdf" => Some(Format::Pdf),
            "docx" => Some(Format::Docx),
            _ => None,
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Format::Html => "text/html; charset=utf-8",
            Format::Pdf => "application/pdf",
            Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }
    }
}

/// A file the browser saves under `name`.
pub fn download(content_type: &str, name: String, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        body,
    )
        .into_response()
}

/// The report in `format`, as a download named `stem` and the format's extension.
pub async fn deliver(report: Report, format: Format, stem: &str) -> Result<Response, WebError> {
    let bytes = tokio::task::spawn_blocking(move || match format {
        Format::Html => ReportFile { report }
            .render()
            .map(String::into_bytes)
            .map_err(|e| e.to_string()),
        Format::Pdf => kopa_report::pdf(&report).map_err(|e| e.to_string()),
        Format::Docx => kopa_report::docx(&report).map_err(|e| e.to_string()),
    })
    .await
    .map_err(|e| WebError::Internal(e.to_string()))?
    .map_err(WebError::Internal)?;
    let extension = match format {
        Format::Html => "html",
        Format::Pdf => "pdf",
        Format::Docx => "docx",
    };
    Ok(download(format.content_type(), format!("{stem}.{extension}"), bytes))
}
