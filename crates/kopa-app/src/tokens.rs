//! Personal API tokens: a signed-in person makes, names, scopes and revokes their own.

use kopa_domain::token::{ApiToken, TokenInput};
use kopa_store::{Actor, User};

use crate::{App, Refusal};

impl App {
    /// Makes a token for the signed-in `account`; returns it with its secret, shown only now.
    pub async fn create_api_token(
        &self,
        account: Option<&User>,
        input: TokenInput,
    ) -> Result<(ApiToken, String), Refusal> {
        let user = account.ok_or(Refusal::SignInRequired)?;
        let new = input.validate()?;
        let actor = Actor::user(user.id, &user.email);
        Ok(self.store.create_api_token(&actor, user.id, &new).await?)
    }

    /// The account's tokens, newest first, revoked ones included.
    pub async fn api_tokens(&self, account: Option<&User>) -> Result<Vec<ApiToken>, Refusal> {
        let user = account.ok_or(Refusal::SignInRequired)?;
        Ok(self.store.api_tokens(user.id).await?)
    }

    /// Revokes one of the account's own tokens: from now on it opens nothing.
    pub async fn revoke_api_token(&self, account: Option<&User>, id: i64) -> Result<(), Refusal> {
        let user = account.ok_or(Refusal::SignInRequired)?;
        let actor = Actor::user(user.id, &user.email);
        Ok(self.store.revoke_api_token(&actor, user.id, id).await?)
    }
}
