//! Photo uploads as forms send them, and stored photos as responses. What a photo must be is
//! the application's to say ([`kopa_app::PhotoUpload`]).

use axum::extract::Multipart;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use kopa_app::PhotoUpload;

/// Reads a form with `photos` files and a `description`, without looking at the files.
pub async fn read_upload(mut form: Multipart) -> PhotoUpload {
    let mut upload = PhotoUpload::default();
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => {
                upload.broken = true;
                break;
            }
        };
        match field.name() {
            Some("description") => upload.description = field.text().await.unwrap_or_default(),
            Some("photos") => match field.bytes().await {
                // A form sent without a file chosen holds one empty part.
                Ok(bytes) if bytes.is_empty() => {}
                Ok(bytes) => upload.files.push(bytes.to_vec()),
                Err(_) => upload.broken = true,
            },
            _ => {}
        }
    }
    upload
}

/// A stored photo as a response, cached by the browser for an hour.
pub fn respond(content_type: String, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "private, max-age=3600".to_owned()),
        ],
        bytes,
    )
        .into_response()
}
