//! Personal API tokens: a person lets a script or a GIS tool act as them through the API,
//! reading only or also writing, until they revoke it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::Invalid;
use crate::validation::Code;

crate::code_enum! {
    /// What a token may do.
    TokenScope {
        Read => "read",
        Write => "write",
    }
}

/// A token as its owner sees it; the secret itself is shown once, when it is made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub scope: TokenScope,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ApiToken {
    pub fn is_live(&self) -> bool {
        self.revoked_at.is_none()
    }
}

/// A new token as a form or the API sends it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct TokenInput {
    #[serde(default)]
    pub name: String,
    /// `read` or `write`.
    #[serde(default)]
    pub scope: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    pub name: String,
    pub scope: TokenScope,
}

impl TokenInput {
    pub fn validate(&self) -> Result<NewToken, Invalid> {
        let mut invalid = Invalid::new();
        let name = invalid.required_text("name", &self.name, 100);
        let scope = invalid.choice("scope", &self.scope, TokenScope::from_code);
        match (invalid.into_result(), scope) {
            (Ok(()), Some(scope)) => Ok(NewToken { name, scope }),
            (Err(invalid), _) => Err(invalid),
            (Ok(()), None) => Err(Invalid::single("scope", "error-choice")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_needs_a_name_and_a_known_scope() {
        let refused = TokenInput {
            name: " ".into(),
            scope: "admin".into(),
        }
        .validate()
        .unwrap_err();
        assert_eq!(refused.message_for("name"), Some("error-required"));
        assert_eq!(refused.message_for("scope"), Some("error-choice"));
        let made = TokenInput {
            name: "QGIS".into(),
            scope: "write".into(),
        }
        .validate()
        .unwrap();
        assert_eq!((made.name.as_str(), made.scope), ("QGIS", TokenScope::Write));
    }
}
