//! A person's API tokens: made, named and scoped here, shown once, and revoked.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use kopa_domain::token::{ApiToken, TokenInput, TokenScope};

use kopa_domain::validation::Code;

use super::{Chrome, FormState, form_refusal, private, render, render_refused, see_other};
use crate::AppState;
use crate::context::{Form, Visitor, parse_id};
use crate::error::WebError;

const HERE: &str = "/account/tokens";

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage {
    page: Chrome,
    tokens: Vec<ApiToken>,
    form: FormState,
    scope_options: Vec<(String, String)>,
    /// A token just made, with its secret: shown this once.
    made: Option<(ApiToken, String)>,
}

async fn tokens_page(
    state: &AppState,
    visitor: &Visitor,
    form: FormState,
    made: Option<(ApiToken, String)>,
) -> Result<TokensPage, WebError> {
    let account = visitor.session.as_ref().map(|s| &s.user);
    let tokens = state.app.api_tokens(account).await?;
    let page = Chrome::plain(state, Some(visitor), visitor.locale(None), "tokens-title", HERE);
    Ok(TokensPage {
        scope_options: TokenScope::ALL
            .iter()
            .map(|s| (s.code().to_owned(), page.t(&format!("token-scope-{}", s.code()))))
            .collect(),
        page,
        tokens,
        form: form.named("token"),
        made,
    })
}

pub async fn list(State(state): State<AppState>, visitor: Visitor) -> Result<Response, WebError> {
    Ok(private(render(
        tokens_page(&state, &visitor, FormState::default(), None).await?,
    )?))
}

pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    form: Form<TokenInput>,
) -> Result<Response, WebError> {
    let account = visitor.session.as_ref().map(|s| &s.user);
    match state.app.create_api_token(account, form.input.clone()).await {
        Ok(made) => Ok(private(render(
            tokens_page(&state, &visitor, FormState::default(), Some(made)).await?,
        )?)),
        Err(refused) => {
            let invalid = form_refusal(refused)?;
            let page = tokens_page(&state, &visitor, FormState::new(form.values, invalid), None).await?;
            Ok(private(render_refused(page)?))
        }
    }
}

pub async fn revoke(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let account = visitor.session.as_ref().map(|s| &s.user);
    state.app.revoke_api_token(account, parse_id(&id)?).await?;
    Ok(see_other(HERE))
}
