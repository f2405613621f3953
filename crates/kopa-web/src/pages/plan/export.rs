//! `…/export/{lang}/{format}`: one version of the plan as a document in Latvian or English,
//! built by the same use case as `kopa plan export`.

use axum::extract::Path;
use axum::response::Response;
use kopa_report::Format;

use crate::context::{Scope, parse_id};
use crate::error::WebError;
use crate::i18n::Locale;
use crate::pages::Chrome;
use crate::pages::documents::deliver;

type ExportPath = Path<(String, String, String, String)>;

pub async fn export(scope: Scope, Path((_, number, lang, format)): ExportPath) -> Result<Response, WebError> {
    let number = parse_id(&number)?;
    let locale = Locale::from_code(&lang).ok_or(WebError::NotFound)?;
    let format = Format::from_extension(&format).ok_or(WebError::NotFound)?;
    let mut words = Chrome::for_scope(&scope, "nav-plan");
    words.locale = locale;
    let report = scope.app().plan_report(&scope.caller(), number, &words).await?;
    let stem = format!("{}-iap-v{number}-{}", scope.workspace.slug, locale.code());
    deliver(report, format, &stem).await
}
