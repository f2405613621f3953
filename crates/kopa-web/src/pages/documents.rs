//! Documents for download: a [`Report`] shown as a page, printed as PDF or Word, or saved as
//! a standalone HTML file. Printing runs off the request threads.

use askama::Template;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use kopa_report::{Format, Report};

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
    let bytes = tokio::task::spawn_blocking(move || kopa_report::write(&report, format))
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let name = format!("{stem}.{}", format.extension());
    Ok(download(format.content_type(), name, bytes))
}
