//! Accounts, workspace roles, sessions kept in the database, and one-time invitations.
//! Passwords are stored as argon2 hashes; session and invitation tokens only as SHA-256
//! digests, so a stolen database opens no session.

use chrono::{DateTime, Duration, Utc};
use kopa_domain::audit::AuditAction;
use kopa_domain::validation::Code;
use kopa_domain::{Invalid, Role};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::FromRow;

use crate::audit::change;
use crate::db::{in_transaction, on_pool, on_writer, record_change};
use crate::{Actor, Result, Store, StoreError, passwords, snapshot};

pub const SESSION_LIFETIME: Duration = Duration::days(14);
pub const SESSION_LIFETIME_SECONDS: i64 = 14 * 24 * 60 * 60;
pub const INVITATION_LIFETIME: Duration = Duration::days(14);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    #[serde(skip)]
    password_hash: String,
    pub created_at: DateTime<Utc>,
    /// Manages networks, workspaces, their lead partner and the network's readers.
    pub site_admin: bool,
    /// An account switched off cannot sign in; what it did stays attributed to it.
    pub deactivated_at: Option<DateTime<Utc>>,
}

/// Someone's role in a workspace, which an admin may have switched off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRole {
    pub user: User,
    pub role: Role,
    pub deactivated_at: Option<DateTime<Utc>>,
}

/// One of an account's sessions, as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSummary {
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The session the list was asked from.
    pub current: bool,
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
    pub revoked_at: Option<DateTime<Utc>>,
}

const INVITATION_COLUMNS: &str = "id, workspace_id, email, role, created_at, expires_at, accepted_at, revoked_at";

pub(crate) fn random_token() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

pub(crate) fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Checks a new account's name and password into `invalid`; returns the name as kept.
fn check_account(invalid: &mut Invalid, display_name: &str, password: &str) -> String {
    let name = invalid.required_text("display_name", display_name, 200);
    check_password_rules(invalid, password);
    name
}

fn check_password_rules(invalid: &mut Invalid, password: &str) {
    invalid.new_password("password", password);
}

const USER_COLUMNS: &str = "id, email, display_name, password_hash, created_at, site_admin, deactivated_at";
/// [`USER_COLUMNS`] from a join where the users table is `u`.
pub(crate) const U_USER_COLUMNS: &str =
    "u.id, u.email, u.display_name, u.password_hash, u.created_at, u.site_admin, u.deactivated_at";

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
        let hash = passwords::hash(password.to_owned()).await?;
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

    /// The account, if the password is right and the account is not switched off.
    pub async fn check_sign_in(&self, email: &str, password: &str) -> Result<Option<User>> {
        let user = self.user_by_email(email).await?;
        self.check_password_of(user, password).await
    }

    /// `user`, if the password is theirs and the account is not switched off. Without a user
    /// it takes as long, so that a sign-in does not tell which e-mails have accounts.
    pub async fn check_password_of(&self, user: Option<User>, password: &str) -> Result<Option<User>> {
        let stored = user.as_ref().map_or(passwords::DECOY, |user| &user.password_hash);
        let matches = passwords::check(password.to_owned(), stored.to_owned()).await?;
        let Some(user) = user else { return Ok(None) };
        let matches = matches.ok_or_else(|| {
            StoreError::Unreadable(format!(
                "users row {}: password_hash is no argon2 hash this Kopa can read",
                user.id
            ))
        })?;
        Ok(Some(user).filter(|user| matches && user.deactivated_at.is_none()))
    }

    /// Gives the account a role in the workspace, or another one; a membership that was
    /// switched off is switched on again.
    pub async fn grant_role(&self, actor: &Actor, user_id: i64, workspace_id: i64, role: Role) -> Result<()> {
        in_transaction!(self, tx => {
            let before: Option<String> = sqlx::query_scalar("SELECT role FROM workspace_roles WHERE user_id = $1 AND workspace_id = $2")
                .bind(user_id).bind(workspace_id).fetch_optional(&mut *tx).await?;
            sqlx::query(
                "INSERT INTO workspace_roles (user_id, workspace_id, role) VALUES ($1, $2, $3) \
                 ON CONFLICT (user_id, workspace_id) DO UPDATE SET role = excluded.role, deactivated_at = NULL",
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

    /// The account's role in the workspace, unless its membership is switched off.
    pub async fn role_of(&self, user_id: i64, workspace_id: i64) -> Result<Option<Role>> {
        Ok(self
            .account_role(user_id, workspace_id)
            .await?
            .filter(|m| m.deactivated_at.is_none())
            .map(|m| m.role))
    }

    /// The account's membership of the workspace, switched on or off.
    pub async fn account_role(&self, user_id: i64, workspace_id: i64) -> Result<Option<AccountRole>> {
        let sql = format!(
            "SELECT {U_USER_COLUMNS}, r.role, r.deactivated_at AS membership_deactivated_at FROM users u \
             JOIN workspace_roles r ON r.user_id = u.id WHERE r.workspace_id = $1 AND u.id = $2"
        );
        let row: Option<AccountRoleRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(workspace_id).bind(user_id).fetch_optional(pool).await?);
        row.map(|row| row.read(workspace_id)).transpose()
    }

    /// The account's role in the workspace and its unread notifications there, in one read:
    /// every signed-in page wants both.
    pub async fn standing_in(&self, user_id: i64, workspace_id: i64) -> Result<(Option<Role>, i64)> {
        let (code, unread): (Option<String>, i64) = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT (SELECT role FROM workspace_roles WHERE user_id = $1 AND workspace_id = $2 AND deactivated_at IS NULL), \
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

    /// A workspace's memberships, switched on or off, by name.
    pub async fn workspace_accounts(&self, workspace_id: i64) -> Result<Vec<AccountRole>> {
        let sql = format!(
            "SELECT {U_USER_COLUMNS}, r.role, r.deactivated_at AS membership_deactivated_at FROM users u \
             JOIN workspace_roles r ON r.user_id = u.id WHERE r.workspace_id = $1 ORDER BY u.display_name, u.id"
        );
        let rows: Vec<AccountRoleRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(workspace_id).fetch_all(pool).await?);
        rows.into_iter().map(|row| row.read(workspace_id)).collect()
    }

    /// Changes a membership: another role, or switched off or on. A workspace always keeps an
    /// admin whose membership is on.
    pub async fn change_account_role(
        &self,
        actor: &Actor,
        workspace_id: i64,
        user_id: i64,
        to: RoleChange,
    ) -> Result<AccountRole> {
        let now = self.now();
        in_transaction!(self, tx => {
            let row: Option<(String, Option<DateTime<Utc>>)> = sqlx::query_as(
                "SELECT role, deactivated_at FROM workspace_roles WHERE user_id = $1 AND workspace_id = $2",
            )
            .bind(user_id).bind(workspace_id).fetch_optional(&mut *tx).await?;
            let (code, deactivated_at) = row.ok_or(StoreError::not_found("account role", user_id))?;
            let row_name = format!("user {user_id} in workspace {workspace_id}");
            let role: Role = crate::code("workspace_roles", "role", &row_name, &code)?;
            let (new_role, new_deactivated) = match to {
                RoleChange::Role(role) => (role, deactivated_at),
                RoleChange::Deactivate => (role, deactivated_at.or(Some(now))),
                RoleChange::Reactivate => (role, None),
            };
            let was_admin = role == Role::Admin && deactivated_at.is_none();
            let stays_admin = new_role == Role::Admin && new_deactivated.is_none();
            if was_admin && !stays_admin {
                let others: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM workspace_roles WHERE workspace_id = $1 AND role = 'admin' \
                     AND deactivated_at IS NULL AND user_id <> $2",
                )
                .bind(workspace_id).bind(user_id).fetch_one(&mut *tx).await?;
                if others == 0 {
                    return Err(StoreError::Refused("error-last-admin"));
                }
            }
            sqlx::query("UPDATE workspace_roles SET role = $1, deactivated_at = $2 WHERE user_id = $3 AND workspace_id = $4")
                .bind(new_role.code()).bind(new_deactivated).bind(user_id).bind(workspace_id)
                .execute(&mut *tx).await?;
            let describe = |role: Role, off: Option<DateTime<Utc>>| {
                serde_json::json!({ "user_id": user_id, "role": role.code(), "deactivated_at": off }).to_string()
            };
            record_change!(self, tx, change(actor, Some(workspace_id), "role", user_id, AuditAction::Update,
                Some(describe(role, deactivated_at)), Some(describe(new_role, new_deactivated))));
        });
        self.account_role(user_id, workspace_id)
            .await?
            .ok_or(StoreError::not_found("account role", user_id))
    }

    /// Switches a whole account off, which ends its sessions, or on again. Its records stay
    /// attributed to it. The site always keeps a site admin whose account is on.
    pub async fn set_account_active(&self, actor: &Actor, user_id: i64, active: bool) -> Result<User> {
        let now = self.now();
        self.change_account(actor, user_id, move |user| {
            user.deactivated_at = if active {
                None
            } else {
                user.deactivated_at.or(Some(now))
            };
        })
        .await
    }

    /// Makes the account a site admin, or no longer one.
    pub async fn set_site_admin(&self, actor: &Actor, user_id: i64, site_admin: bool) -> Result<User> {
        self.change_account(actor, user_id, move |user| user.site_admin = site_admin)
            .await
    }

    /// Applies `edit` to the account's standing, in the audit log; refuses to leave the site
    /// without an active site admin.
    async fn change_account(&self, actor: &Actor, user_id: i64, edit: impl FnOnce(&mut User)) -> Result<User> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        let user = in_transaction!(self, tx => {
            let before: User = sqlx::query_as(&sql).bind(user_id).fetch_optional(&mut *tx).await?
                .ok_or(StoreError::not_found("user", user_id))?;
            let mut after = before.clone();
            edit(&mut after);
            let leads = |u: &User| u.site_admin && u.deactivated_at.is_none();
            if leads(&before) && !leads(&after) {
                let others: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM users WHERE site_admin AND deactivated_at IS NULL AND id <> $1",
                )
                .bind(user_id).fetch_one(&mut *tx).await?;
                if others == 0 {
                    return Err(StoreError::Refused("error-last-site-admin"));
                }
            }
            sqlx::query("UPDATE users SET site_admin = $1, deactivated_at = $2 WHERE id = $3")
                .bind(after.site_admin).bind(after.deactivated_at).bind(user_id)
                .execute(&mut *tx).await?;
            if after.deactivated_at.is_some() {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
            }
            record_change!(self, tx, change(actor, None, "user", user_id, AuditAction::Update, snapshot(&before), snapshot(&after)));
            after
        });
        Ok(user)
    }

    /// The site admins, switched on or off.
    pub async fn site_admins(&self) -> Result<Vec<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE site_admin ORDER BY display_name, id");
        Ok(on_pool!(self, pool => sqlx::query_as(&sql).fetch_all(pool).await?))
    }

    /// The workspace the account joined first, whose outbox keeps its account mail.
    pub async fn first_workspace_of(&self, user_id: i64) -> Result<Option<i64>> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT MIN(workspace_id) FROM workspace_roles WHERE user_id = $1",
        )
        .bind(user_id).fetch_one(pool).await?))
    }

    pub async fn user(&self, user_id: i64) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        Ok(on_pool!(self, pool => sqlx::query_as(&sql).bind(user_id).fetch_optional(pool).await?))
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

    /// The live session behind a cookie token, of an account that is switched on.
    pub async fn session(&self, token: &str) -> Result<Option<SessionInfo>> {
        #[derive(FromRow)]
        struct Row {
            #[sqlx(flatten)]
            user: User,
            csrf_token: String,
        }
        let sql = format!(
            "SELECT {U_USER_COLUMNS}, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.deactivated_at IS NULL"
        );
        let row: Option<Row> = on_pool!(self, pool => sqlx::query_as(&sql).bind(digest(token)).bind(self.now()).fetch_optional(pool).await?);
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

    /// The account's live sessions, newest first, marking the one behind `current`.
    pub async fn sessions_of(&self, user_id: i64, current: &str) -> Result<Vec<SessionSummary>> {
        let rows: Vec<(String, DateTime<Utc>, DateTime<Utc>)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT token_hash, created_at, expires_at FROM sessions WHERE user_id = $1 AND expires_at > $2 \
             ORDER BY created_at DESC",
        )
        .bind(user_id).bind(self.now()).fetch_all(pool).await?);
        let current = digest(current);
        Ok(rows
            .into_iter()
            .map(|(hash, created_at, expires_at)| SessionSummary {
                created_at,
                expires_at,
                current: hash == current,
            })
            .collect())
    }

    /// Ends every session of the account but the one behind `keep`; returns how many ended.
    pub async fn end_other_sessions(&self, user_id: i64, keep: &str) -> Result<u64> {
        Ok(
            on_writer!(self, pool => sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(user_id).bind(digest(keep)).execute(pool).await?.rows_affected()),
        )
    }

    /// Sets a new password, once its owner has shown the old one, and ends the account's other
    /// sessions: whoever knew the old password is signed out.
    pub async fn change_password(&self, user: &User, new_password: &str, keep_session: &str) -> Result<()> {
        let hash = new_password_hash(new_password).await?;
        let actor = Actor::user(user.id, &user.email);
        in_transaction!(self, tx => {
            sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2").bind(&hash).bind(user.id).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2").bind(user.id).bind(digest(keep_session)).execute(&mut *tx).await?;
            record_change!(self, tx, change(&actor, None, "password", user.id, AuditAction::Update, None, Some(r#"{"changed":"by its owner"}"#.to_owned())));
        });
        Ok(())
    }

    /// A one-time link to set a new password, valid for [`PASSWORD_RESET_LIFETIME`]; returns
    /// its token. Earlier links of the account stop working.
    pub async fn create_password_reset(&self, user_id: i64) -> Result<String> {
        let token = random_token();
        let now = self.now();
        in_transaction!(self, tx => {
            sqlx::query("UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
                .bind(now).bind(user_id).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO password_resets (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)")
                .bind(user_id).bind(digest(&token)).bind(now).bind(now + PASSWORD_RESET_LIFETIME)
                .execute(&mut *tx).await?;
        });
        Ok(token)
    }

    /// The account a password reset link is for, while the link works.
    pub async fn open_password_reset(&self, token: &str) -> Result<Option<User>> {
        let sql = format!(
            "SELECT {U_USER_COLUMNS} FROM password_resets p JOIN users u ON u.id = p.user_id \
             WHERE p.token_hash = $1 AND p.used_at IS NULL AND p.expires_at > $2 AND u.deactivated_at IS NULL"
        );
        Ok(
            on_pool!(self, pool => sqlx::query_as(&sql).bind(digest(token)).bind(self.now()).fetch_optional(pool).await?),
        )
    }

    /// Sets a new password through a reset link, which then stops working, and ends every
    /// session of the account.
    pub async fn reset_password(&self, token: &str, new_password: &str) -> Result<User> {
        let refused = StoreError::Refused("error-reset-invalid");
        let user = self.open_password_reset(token).await?.ok_or(refused)?;
        let hash = new_password_hash(new_password).await?;
        let now = self.now();
        let actor = Actor::user(user.id, &user.email);
        in_transaction!(self, tx => {
            let taken = sqlx::query("UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
                .bind(now).bind(digest(token)).execute(&mut *tx).await?.rows_affected();
            if taken == 0 {
                return Err(StoreError::Refused("error-reset-invalid"));
            }
            sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2").bind(&hash).bind(user.id).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user.id).execute(&mut *tx).await?;
            record_change!(self, tx, change(&actor, None, "password", user.id, AuditAction::Update, None, Some(r#"{"changed":"through a reset link"}"#.to_owned())));
        });
        Ok(user)
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
            let invitation: Invitation = sqlx::query_as(&format!(
                "INSERT INTO invitations (workspace_id, email, role, token_hash, invited_by, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {INVITATION_COLUMNS}"
            ))
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

    /// Sends an invitation again: a new link, valid for another [`INVITATION_LIFETIME`]; the
    /// old link stops working. A withdrawn invitation opens again.
    pub async fn renew_invitation(&self, actor: &Actor, workspace_id: i64, id: i64) -> Result<(Invitation, String)> {
        let before_sql = invitation_sql();
        let token = random_token();
        let now = self.now();
        let sql = format!(
            "UPDATE invitations SET token_hash = $1, created_at = $2, expires_at = $3, revoked_at = NULL \
             WHERE id = $4 AND workspace_id = $5 AND accepted_at IS NULL RETURNING {INVITATION_COLUMNS}"
        );
        let renewed = in_transaction!(self, tx => {
            let before: Invitation = sqlx::query_as(&before_sql).bind(id).bind(workspace_id)
                .fetch_optional(&mut *tx).await?
                .ok_or(StoreError::not_found("invitation", id))?;
            let after: Invitation = sqlx::query_as(&sql)
                .bind(digest(&token)).bind(now).bind(now + INVITATION_LIFETIME).bind(id).bind(workspace_id)
                .fetch_optional(&mut *tx).await?
                .ok_or(StoreError::Refused("error-invitation-accepted"))?;
            record_change!(self, tx, change(actor, Some(workspace_id), "invitation", id, AuditAction::Update, snapshot(&before), snapshot(&after)));
            after
        });
        Ok((renewed, token))
    }

    /// Withdraws an invitation that was not accepted: its link stops working.
    pub async fn revoke_invitation(&self, actor: &Actor, workspace_id: i64, id: i64) -> Result<Invitation> {
        let before_sql = invitation_sql();
        let now = self.now();
        let sql = format!(
            "UPDATE invitations SET revoked_at = $1 WHERE id = $2 AND workspace_id = $3 AND accepted_at IS NULL \
             RETURNING {INVITATION_COLUMNS}"
        );
        let revoked = in_transaction!(self, tx => {
            let before: Invitation = sqlx::query_as(&before_sql).bind(id).bind(workspace_id)
                .fetch_optional(&mut *tx).await?
                .ok_or(StoreError::not_found("invitation", id))?;
            let after: Invitation = sqlx::query_as(&sql).bind(now).bind(id).bind(workspace_id)
                .fetch_optional(&mut *tx).await?
                .ok_or(StoreError::Refused("error-invitation-accepted"))?;
            record_change!(self, tx, change(actor, Some(workspace_id), "invitation", id, AuditAction::Update, snapshot(&before), snapshot(&after)));
            after
        });
        Ok(revoked)
    }

    /// An invitation that can still be accepted.
    pub async fn open_invitation(&self, token: &str) -> Result<Option<Invitation>> {
        let sql = format!(
            "SELECT {INVITATION_COLUMNS} FROM invitations \
             WHERE token_hash = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $2"
        );
        Ok(
            on_pool!(self, pool => sqlx::query_as(&sql).bind(digest(token)).bind(self.now()).fetch_optional(pool).await?),
        )
    }

    pub async fn invitations(&self, workspace_id: i64) -> Result<Vec<Invitation>> {
        let sql = format!("SELECT {INVITATION_COLUMNS} FROM invitations WHERE workspace_id = $1 ORDER BY id DESC");
        Ok(on_pool!(self, pool => sqlx::query_as(&sql).bind(workspace_id).fetch_all(pool).await?))
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

    /// Someone with an account but no role in a workspace joins it as a resident. A membership
    /// an admin switched off stays off.
    pub async fn join_as_resident(&self, user: &User, workspace_id: i64) -> Result<()> {
        match self.account_role(user.id, workspace_id).await? {
            Some(membership) if membership.deactivated_at.is_some() => Err(StoreError::Refused("error-membership-off")),
            Some(_) => Ok(()),
            None => {
                self.grant_role(&Actor::user(user.id, &user.email), user.id, workspace_id, Role::Public)
                    .await
            }
        }
    }

    /// Accepts an invitation by creating the account and granting the role. The token works once.
    pub async fn accept_invitation(&self, token: &str, display_name: &str, password: &str) -> Result<User> {
        let invitation = self
            .open_invitation(token)
            .await?
            .ok_or(StoreError::Refused("error-invitation-invalid"))?;
        if self.user_by_email(&invitation.email).await?.is_some() {
            return Err(StoreError::Refused("error-account-exists"));
        }
        let actor = Actor::visitor(&invitation.email);
        let user = self
            .create_user(&actor, &invitation.email, display_name, password)
            .await?;
        self.take_invitation(token, &user).await?;
        Ok(user)
    }

    /// Accepts an invitation for an account that already exists, once its owner has shown its
    /// password: the role is added to the account. The token works once.
    pub async fn accept_invitation_as(&self, token: &str, user: &User) -> Result<()> {
        let invitation = self
            .open_invitation(token)
            .await?
            .ok_or(StoreError::Refused("error-invitation-invalid"))?;
        if invitation.email != user.email {
            return Err(StoreError::Refused("error-invitation-other-account"));
        }
        self.take_invitation(token, user).await
    }

    /// Marks the invitation accepted by `user` and grants its role, at once.
    async fn take_invitation(&self, token: &str, user: &User) -> Result<()> {
        let now = self.now();
        let actor = Actor::user(user.id, &user.email);
        let sql = format!(
            "UPDATE invitations SET accepted_at = $1 WHERE token_hash = $2 AND accepted_at IS NULL \
             AND revoked_at IS NULL AND expires_at > $1 RETURNING {INVITATION_COLUMNS}"
        );
        let invitation = in_transaction!(self, tx => {
            let invitation: Invitation = sqlx::query_as(&sql).bind(now).bind(digest(token))
                .fetch_optional(&mut *tx).await?
                .ok_or(StoreError::Refused("error-invitation-invalid"))?;
            record_change!(self, tx, change(&actor, Some(invitation.workspace_id), "invitation", invitation.id, AuditAction::Update, None, snapshot(&invitation)));
            invitation
        });
        let role = crate::code("invitations", "role", &invitation.id, &invitation.role)?;
        self.grant_role(&actor, user.id, invitation.workspace_id, role).await
    }
}

/// How an admin changes someone's membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleChange {
    Role(Role),
    Deactivate,
    Reactivate,
}

/// One invitation of one workspace, by `$1` id and `$2` workspace.
fn invitation_sql() -> String {
    format!("SELECT {INVITATION_COLUMNS} FROM invitations WHERE id = $1 AND workspace_id = $2")
}

pub const PASSWORD_RESET_LIFETIME: Duration = Duration::hours(1);

/// A new password, checked and hashed in its turn.
async fn new_password_hash(password: &str) -> Result<String> {
    let mut invalid = Invalid::new();
    check_password_rules(&mut invalid, password);
    invalid.into_result()?;
    passwords::hash(password.to_owned()).await
}

#[derive(FromRow)]
struct AccountRoleRow {
    #[sqlx(flatten)]
    user: User,
    role: String,
    membership_deactivated_at: Option<DateTime<Utc>>,
}

impl AccountRoleRow {
    fn read(self, workspace_id: i64) -> Result<AccountRole> {
        let row = format!("user {} in workspace {workspace_id}", self.user.id);
        Ok(AccountRole {
            role: crate::code("workspace_roles", "role", &row, &self.role)?,
            user: self.user,
            deactivated_at: self.membership_deactivated_at,
        })
    }
}
