//! Accounts, workspace roles, sessions kept in the database, and one-time invitations.
//! Passwords are stored as argon2 hashes; session and invitation tokens only as SHA-256
//! digests, so a stolen database opens no session.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Duration, Utc};
use kopa_domain::audit::AuditAction;
use kopa_domain::validation::Code;
use kopa_domain::{Invalid, Role};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::FromRow;

use crate::audit::change;
use crate::db::{in_transaction, on_pool, on_writer, record_change};
use crate::{Actor, Result, Store, StoreError, snapshot};

pub const SESSION_LIFETIME: Duration = Duration::days(14);
pub const SESSION_LIFETIME_SECONDS: i64 = 14 * 24 * 60 * 60;
pub const INVITATION_LIFETIME: Duration = Duration::days(14);
pub const MIN_PASSWORD_CHARS: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    #[serde(skip)]
    password_hash: String,
    pub created_at: DateTime<Utc>,
}

/// A signed-in session: who, and the token forms must echo back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    pub user: User,
    pub csrf_token: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct Invitation {
    pub id: i64,
    pub workspace_id: i64,
    pub email: String,
    pub role: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
}

pub(crate) fn random_token() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

pub(crate) fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// How many password hashes run at once. Each takes about 19 MiB and tens of milliseconds, so a
/// flood of sign-ins unbounded would take gigabytes; past this they wait their turn.
const PASSWORD_WORK_AT_ONCE: usize = 4;
/// How long a password check waits for its turn before it is told to try again.
const PASSWORD_WORK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);
static PASSWORD_WORK: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(PASSWORD_WORK_AT_ONCE);

/// Runs hashing `work` off the async workers, in its turn among at most
/// [`PASSWORD_WORK_AT_ONCE`]; [`StoreError::Busy`] after [`PASSWORD_WORK_WAIT`] without one.
async fn password_work<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    let turn = tokio::time::timeout(PASSWORD_WORK_WAIT, PASSWORD_WORK.acquire())
        .await
        .map_err(|_| StoreError::Busy)?
        .map_err(|_| StoreError::Busy)?;
    let done = tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| StoreError::Refused(if e.is_panic() { "error-password" } else { "error-busy" }));
    drop(turn);
    done
}

fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>()).map_err(|_| StoreError::Refused("salt"))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|_| StoreError::Refused("error-password"))
}

fn check_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Checks a new account's name and password into `invalid`; returns the name as kept.
fn check_account(invalid: &mut Invalid, display_name: &str, password: &str) -> String {
    let name = invalid.required_text("display_name", display_name, 200);
    if password.chars().count() < MIN_PASSWORD_CHARS {
        invalid.add("password", "error-password-short");
    } else if password.len() > 1000 {
        invalid.add("password", "error-too-long");
    }
    name
}

const USER_COLUMNS: &str = "id, email, display_name, password_hash, created_at";

/// A fixed hash to check against when the e-mail is unknown, so a sign-in takes as long
/// whether or not the account exists.
static DECOY_HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();

impl Store {
    /// Creates an account. The e-mail is normalised; a taken e-mail names the field.
    pub async fn create_user(&self, actor: &Actor, email: &str, display_name: &str, password: &str) -> Result<User> {
        let mut invalid = Invalid::new();
        let email = invalid.email("email", email);
        let display_name = check_account(&mut invalid, display_name, password);
        invalid.into_result()?;
        if self.user_by_email(&email).await?.is_some() {
            return Err(Invalid::single("email", "error-email-taken").into());
        }
        let password_owned = password.to_owned();
        let hash = password_work(move || hash_password(&password_owned)).await??;
        let now = self.now();
        let user = in_transaction!(self, tx => {
            let user: User = sqlx::query_as(&format!(
                "INSERT INTO users (email, display_name, password_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING {USER_COLUMNS}"
            ))
            .bind(&email)
            .bind(&display_name)
            .bind(&hash)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            record_change!(self, tx, change(actor, None, "user", user.id, AuditAction::Create, None, snapshot(&user)));
            user
        });
        Ok(user)
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1");
        let email = email.trim().to_lowercase();
        Ok(on_pool!(self, pool => sqlx::query_as(&sql).bind(&email).fetch_optional(pool).await?))
    }

    /// The account, if the password is right.
    pub async fn check_sign_in(&self, email: &str, password: &str) -> Result<Option<User>> {
        let user = self.user_by_email(email).await?;
        let password = password.to_owned();
        let hash = match &user {
            Some(user) => user.password_hash.clone(),
            None => DECOY_HASH
                .get_or_init(|| hash_password("decoy password, never used").unwrap_or_default())
                .clone(),
        };
        let matches = password_work(move || check_password(&password, &hash)).await?;
        Ok(user.filter(|_| matches))
    }

    pub async fn grant_role(&self, actor: &Actor, user_id: i64, workspace_id: i64, role: Role) -> Result<()> {
        in_transaction!(self, tx => {
            let before: Option<String> = sqlx::query_scalar("SELECT role FROM workspace_roles WHERE user_id = $1 AND workspace_id = $2")
                .bind(user_id).bind(workspace_id).fetch_optional(&mut *tx).await?;
            sqlx::query(
                "INSERT INTO workspace_roles (user_id, workspace_id, role) VALUES ($1, $2, $3) \
                 ON CONFLICT (user_id, workspace_id) DO UPDATE SET role = excluded.role",
            )
            .bind(user_id)
            .bind(workspace_id)
            .bind(role.code())
            .execute(&mut *tx)
            .await?;
            let action = if before.is_some() { AuditAction::Update } else { AuditAction::Create };
            let describe = |role: &str| serde_json::json!({ "user_id": user_id, "role": role }).to_string();
            record_change!(self, tx, change(actor, Some(workspace_id), "role", user_id, action, before.as_deref().map(describe), Some(describe(role.code()))));
        });
        Ok(())
    }

    pub async fn role_of(&self, user_id: i64, workspace_id: i64) -> Result<Option<Role>> {
        let code: Option<String> = on_pool!(self, pool => {
            sqlx::query_scalar("SELECT role FROM workspace_roles WHERE user_id = $1 AND workspace_id = $2")
                .bind(user_id).bind(workspace_id).fetch_optional(pool).await?
        });
        let row = format!("user {user_id} in workspace {workspace_id}");
        code.map(|role| crate::code("workspace_roles", "role", &row, &role))
            .transpose()
    }

    /// The account's role in the workspace and its unread notifications there, in one read:
    /// every signed-in page wants both.
    pub async fn standing_in(&self, user_id: i64, workspace_id: i64) -> Result<(Option<Role>, i64)> {
        let (code, unread): (Option<String>, i64) = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT (SELECT role FROM workspace_roles WHERE user_id = $1 AND workspace_id = $2), \
                 (SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND workspace_id = $2 AND read_at IS NULL)",
            )
            .bind(user_id).bind(workspace_id).fetch_one(pool).await?
        });
        let row = format!("user {user_id} in workspace {workspace_id}");
        let role = code
            .map(|role| crate::code("workspace_roles", "role", &row, &role))
            .transpose()?;
        Ok((role, unread))
    }

    /// A workspace's accounts with their roles, by name.
    pub async fn workspace_accounts(&self, workspace_id: i64) -> Result<Vec<(User, Role)>> {
        #[derive(FromRow)]
        struct Row {
            #[sqlx(flatten)]
            user: User,
            role: String,
        }
        let rows: Vec<Row> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT u.id, u.email, u.display_name, u.password_hash, u.created_at, r.role FROM users u \
                 JOIN workspace_roles r ON r.user_id = u.id WHERE r.workspace_id = $1 ORDER BY u.display_name",
            )
            .bind(workspace_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|r| {
                let row = format!("user {} in workspace {workspace_id}", r.user.id);
                Ok((r.user, crate::code("workspace_roles", "role", &row, &r.role)?))
            })
            .collect()
    }

    /// Starts a session; returns the token for the cookie.
    pub async fn create_session(&self, user_id: i64) -> Result<String> {
        let token = random_token();
        let now = self.now();
        on_writer!(self, pool => {
            sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(digest(&token))
                .bind(user_id)
                .bind(random_token())
                .bind(now)
                .bind(now + SESSION_LIFETIME)
                .execute(pool)
                .await?;
        });
        Ok(token)
    }

    /// The live session behind a cookie token.
    pub async fn session(&self, token: &str) -> Result<Option<SessionInfo>> {
        #[derive(FromRow)]
        struct Row {
            #[sqlx(flatten)]
            user: User,
            csrf_token: String,
        }
        let row: Option<Row> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT u.id, u.email, u.display_name, u.password_hash, u.created_at, s.csrf_token FROM sessions s \
                 JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2",
            )
            .bind(digest(token))
            .bind(self.now())
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(|r| SessionInfo {
            user: r.user,
            csrf_token: r.csrf_token,
        }))
    }

    pub async fn end_session(&self, token: &str) -> Result<()> {
        on_writer!(self, pool => {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(digest(token)).execute(pool).await?;
            sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(self.now()).execute(pool).await?;
        });
        Ok(())
    }

    /// Invites `email` to a workspace with `role`; returns the one-time token for the link.
    pub async fn create_invitation(
        &self,
        actor: &Actor,
        workspace_id: i64,
        email: &str,
        role: Role,
    ) -> Result<(Invitation, String)> {
        let mut invalid = Invalid::new();
        let email = invalid.email("email", email);
        invalid.into_result()?;
        let token = random_token();
        let now = self.now();
        let invitation = in_transaction!(self, tx => {
            let invitation: Invitation = sqlx::query_as(
                "INSERT INTO invitations (workspace_id, email, role, token_hash, invited_by, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, workspace_id, email, role, created_at, expires_at, accepted_at",
            )
            .bind(workspace_id)
            .bind(&email)
            .bind(role.code())
            .bind(digest(&token))
            .bind(actor.user_id)
            .bind(now)
            .bind(now + INVITATION_LIFETIME)
            .fetch_one(&mut *tx)
            .await?;
            record_change!(self, tx, change(actor, Some(workspace_id), "invitation", invitation.id, AuditAction::Create, None, snapshot(&invitation)));
            invitation
        });
        Ok((invitation, token))
    }

    /// An invitation that can still be accepted.
    pub async fn open_invitation(&self, token: &str) -> Result<Option<Invitation>> {
        let invitation: Option<Invitation> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, workspace_id, email, role, created_at, expires_at, accepted_at FROM invitations \
                 WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > $2",
            )
            .bind(digest(token))
            .bind(self.now())
            .fetch_optional(pool)
            .await?
        });
        Ok(invitation)
    }

    pub async fn invitations(&self, workspace_id: i64) -> Result<Vec<Invitation>> {
        Ok(on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, workspace_id, email, role, created_at, expires_at, accepted_at FROM invitations \
                 WHERE workspace_id = $1 ORDER BY id DESC",
            )
            .bind(workspace_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// A resident signs up: the account, with the public role in the workspace.
    pub async fn sign_up_resident(
        &self,
        workspace_id: i64,
        email: &str,
        display_name: &str,
        password: &str,
    ) -> Result<User> {
        let user = self
            .create_user(&Actor::visitor(email), email, display_name, password)
            .await?;
        self.grant_role(&Actor::user(user.id, &user.email), user.id, workspace_id, Role::Public)
            .await?;
        Ok(user)
    }

    /// Someone with an account but no role in a workspace joins it as a resident.
    pub async fn join_as_resident(&self, user: &User, workspace_id: i64) -> Result<()> {
        if self.role_of(user.id, workspace_id).await?.is_some() {
            return Ok(());
        }
        self.grant_role(&Actor::user(user.id, &user.email), user.id, workspace_id, Role::Public)
            .await
    }

    /// Accepts an invitation by creating the account and granting the role. The token works once.
    pub async fn accept_invitation(&self, token: &str, display_name: &str, password: &str) -> Result<User> {
        let invitation = self
            .open_invitation(token)
            .await?
            .ok_or(StoreError::Refused("error-invitation-invalid"))?;
        let role = Role::from_code(&invitation.role).ok_or(StoreError::Refused("error-invitation-invalid"))?;
        if self.user_by_email(&invitation.email).await?.is_some() {
            return Err(StoreError::Refused("error-account-exists"));
        }
        let actor = Actor::visitor(&invitation.email);
        let user = self
            .create_user(&actor, &invitation.email, display_name, password)
            .await?;
        let now = self.now();
        in_transaction!(self, tx => {
            sqlx::query("UPDATE invitations SET accepted_at = $1 WHERE id = $2").bind(now).bind(invitation.id).execute(&mut *tx).await?;
            record_change!(self, tx, change(&Actor::user(user.id, &user.email), Some(invitation.workspace_id), "invitation", invitation.id, AuditAction::Update, snapshot(&invitation), Some(serde_json::json!({"accepted_at": now}).to_string())));
        });
        self.grant_role(
            &Actor::user(user.id, &user.email),
            user.id,
            invitation.workspace_id,
            role,
        )
        .await?;
        Ok(user)
    }
}

#[cfg(test)]
mod password_work_tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_flood_of_password_checks_runs_a_few_at_a_time_and_all_are_answered() {
        let (running, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let flood: Vec<_> = (0..24)
            .map(|_| {
                let (running, most) = (running.clone(), most.clone());
                tokio::spawn(password_work(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    running.fetch_sub(1, Ordering::SeqCst);
                }))
            })
            .collect();
        for check in flood {
            assert!(check.await.unwrap().is_ok(), "each is answered in its turn");
        }
        let most = most.load(Ordering::SeqCst);
        assert!((1..=PASSWORD_WORK_AT_ONCE).contains(&most), "{most} at once");
    }
}
