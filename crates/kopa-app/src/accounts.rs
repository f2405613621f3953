//! Accounts: signing in and out, residents signing up or joining, and invitations to a role.
//! Sign-ins and sign-ups are limited here, so that no adapter can skip the limit.

use kopa_domain::token::TokenScope;
use kopa_domain::validation::{Code, is_storable};
use kopa_domain::workspace::Workspace;
use kopa_domain::{Action, Invalid, Role};
use kopa_store::{AccountRole, Invitation, SessionInfo, SessionSummary, User};

use crate::{App, Caller, Refusal, limits};

/// An account signed in: who, the token of their new session, and, for a browser new to
/// the account, the token that remembers it.
pub struct Session {
    pub user: User,
    pub token: String,
    pub device: Option<String>,
}

/// Where a sign-in comes from: the client's address, and the cookie of a browser that signed
/// in before, if it has one.
#[derive(Clone, Copy, Default)]
pub struct Origin<'a> {
    pub client: &'a str,
    pub device: Option<&'a str>,
}

/// What a resident gives to sign up.
pub struct SignUp<'a> {
    pub display_name: &'a str,
    pub email: &'a str,
    pub password: &'a str,
    pub consent: bool,
    /// A field people never see: only form-filling robots fill it in.
    pub website: &'a str,
}

/// An open invitation with the workspace it invites to.
pub struct OpenInvitation {
    pub invitation: Invitation,
    pub workspace: Workspace,
    pub role: Role,
    /// Whether the e-mail has an account already, which accepts with its password.
    pub account_exists: bool,
}

impl App {
    /// Signs in with an e-mail and password. Attempts are limited per account, and per
    /// client for those that fail; a browser that signed in to the account before has a limit
    /// of its own instead, so that strangers guessing cannot lock the owner out.
    /// Where a person works, to land there after signing in: the workspace they joined first,
    /// else the site's administration for a site admin, else the list of cities.
    pub async fn home_of(&self, user: &User) -> Result<String, Refusal> {
        if let Some(first) = self.store.first_workspace_of(user.id).await?
            && let Some(workspace) = self.store.workspaces().await?.into_iter().find(|w| w.id == first)
        {
            return Ok(format!("/w/{}", workspace.slug));
        }
        Ok(if user.site_admin { "/admin" } else { "/" }.to_owned())
    }

    pub async fn sign_in(&self, email: &str, password: &str, origin: Origin<'_>) -> Result<Session, Refusal> {
        if !is_storable(email) {
            return Err(Invalid::single("email", "error-unstorable-text").into());
        }
        let email = email.trim().to_lowercase();
        let account = self.store.user_by_email(&email).await?;
        let known = match (origin.device, &account) {
            (Some(device), Some(user)) => self.store.known_device(device, user.id).await?,
            _ => None,
        };
        let (client, attempt) = match &known {
            Some(device) => (None, self.count(&limits::SIGN_IN_PER_DEVICE, device).await?),
            None => {
                let client = self.count(&limits::SIGN_IN_PER_CLIENT, origin.client).await?;
                (Some(client), self.count(&limits::SIGN_IN_PER_ACCOUNT, &email).await?)
            }
        };
        let Some(user) = self.store.check_password_of(account, password).await? else {
            return Err(Refusal::Refused("error-sign-in-failed"));
        };
        // The right password: this attempt does not count against anyone.
        self.store.give_back(&attempt).await?;
        if let Some(client) = client {
            self.store.give_back(&client).await?;
        }
        let device = match known {
            Some(_) => None,
            None => Some(self.store.remember_device(user.id).await?),
        };
        let mut session = self.start_session(user).await?;
        session.device = device;
        Ok(session)
    }

    /// The account a session cookie stands for, while the session lasts.
    pub async fn session(&self, token: &str) -> Result<Option<SessionInfo>, Refusal> {
        Ok(self.store.session(token).await?)
    }

    /// The account a personal API token stands for, with what the token may do.
    pub async fn api_token_owner(&self, secret: &str) -> Result<Option<(User, TokenScope)>, Refusal> {
        Ok(self.store.user_by_api_token(secret).await?)
    }

    /// Who acts in the workspace `slug`: the account (if any) with its role there, and its
    /// unread notifications. `None` when there is no such workspace.
    pub async fn caller_in(&self, slug: &str, user: Option<User>) -> Result<Option<(Caller, Option<i64>)>, Refusal> {
        let Some(workspace) = self.workspace(slug).await? else {
            return Ok(None);
        };
        let (role, unread) = match &user {
            Some(user) => {
                let (role, unread) = self.store.standing_in(user.id, workspace.id).await?;
                (role, Some(unread))
            }
            None => (None, None),
        };
        Ok(Some((Caller { workspace, user, role }, unread)))
    }

    pub async fn sign_out(&self, token: &str) -> Result<(), Refusal> {
        Ok(self.store.end_session(token).await?)
    }

    async fn start_session(&self, user: User) -> Result<Session, Refusal> {
        let token = self.store.create_session(user.id).await?;
        Ok(Session {
            user,
            token,
            device: None,
        })
    }

    /// A resident makes an account with the public role in the caller's workspace, and is
    /// signed in. `client` is where the request came from: new accounts are limited per client.
    pub async fn sign_up(&self, caller: &Caller, client: &str, input: &SignUp<'_>) -> Result<Session, Refusal> {
        if !input.website.is_empty() {
            return Err(Invalid::single("form", "error-looks-automated").into());
        }
        // Only accounts made count: a form sent again after a typo does not.
        let signed_up = self.counting(&limits::SIGN_UP_PER_CLIENT, client, self.signed_up(caller, input));
        self.start_session(signed_up.await?).await
    }

    async fn signed_up(&self, caller: &Caller, input: &SignUp<'_>) -> Result<User, Refusal> {
        if !input.consent {
            // Say everything that is wrong at once: the account's fields too.
            let mut invalid = Invalid::new();
            invalid.required_text("display_name", input.display_name, 200);
            invalid.email("email", input.email);
            invalid.add("consent", "error-consent");
            return Err(invalid.into());
        }
        let workspace = caller.workspace_id();
        let signed_up = self
            .store
            .sign_up_resident(workspace, input.email, input.display_name, input.password);
        Ok(signed_up.await?)
    }

    /// Someone signed in joins the caller's workspace as a resident. Someone with a role keeps
    /// it, and an auditor stays read-only.
    pub async fn join_as_resident(&self, caller: &Caller) -> Result<(), Refusal> {
        let user = caller.user.as_ref().ok_or(Refusal::SignInRequired)?;
        if caller.role.is_some() {
            caller.require(Action::Participate)?;
        }
        Ok(self.store.join_as_resident(user, caller.workspace_id()).await?)
    }

    /// The workspace's accounts with their roles, and its invitations, newest first.
    pub async fn accounts(&self, caller: &Caller) -> Result<(Vec<AccountRole>, Vec<Invitation>), Refusal> {
        caller.require(Action::InviteMembers)?;
        let workspace = caller.workspace_id();
        Ok((
            self.store.workspace_accounts(workspace).await?,
            self.store.invitations(workspace).await?,
        ))
    }

    /// Invites `email` to a role the caller may give; returns the invitation and the one-time
    /// token of its link.
    pub async fn invite(&self, caller: &Caller, email: &str, role: &str) -> Result<(Invitation, String), Refusal> {
        caller.require(Action::InviteMembers)?;
        let allowed = caller.role.map(Role::may_invite).unwrap_or_default();
        let role = Role::from_code(role).filter(|r| allowed.contains(r));
        let role = role.ok_or_else(|| Invalid::single("role", "error-choice"))?;
        let workspace = caller.workspace_id();
        let (invitation, token) = (self.store)
            .create_invitation(&caller.actor(), workspace, email, role)
            .await?;
        self.mail_invitation(&caller.workspace, &invitation, &token).await?;
        Ok((invitation, token))
    }

    /// The invitation behind a link, while it can still be accepted.
    pub async fn open_invitation(&self, token: &str) -> Result<OpenInvitation, Refusal> {
        let invalid = || Refusal::Refused("error-invitation-invalid");
        let invitation = self.store.open_invitation(token).await?.ok_or_else(invalid)?;
        let role = Role::from_code(&invitation.role).ok_or_else(invalid)?;
        let workspace = (self.store.workspaces().await?)
            .into_iter()
            .find(|w| w.id == invitation.workspace_id)
            .ok_or_else(invalid)?;
        let account_exists = self.store.user_by_email(&invitation.email).await?.is_some();
        Ok(OpenInvitation {
            invitation,
            workspace,
            role,
            account_exists,
        })
    }

    /// Accepts an invitation: the account, its role, and a session, all at once. The token
    /// works once.
    pub async fn accept_invitation(
        &self,
        token: &str,
        display_name: &str,
        password: &str,
    ) -> Result<(Session, Workspace), Refusal> {
        let open = self.open_invitation(token).await?;
        let user = match open.account_exists {
            false => self.store.accept_invitation(token, display_name, password).await?,
            true => {
                // The account's owner shows its password; the role joins the account.
                let key = open.invitation.email.clone();
                let user = self.checked_password(&key, password, "password").await?;
                self.store.accept_invitation_as(token, &user).await?;
                user
            }
        };
        Ok((self.start_session(user).await?, open.workspace))
    }

    /// The account, if `password` is its own; failures count against the account as a
    /// sign-in's do, and are named on `field`.
    async fn checked_password(&self, email: &str, password: &str, field: &str) -> Result<User, Refusal> {
        let key = email.trim().to_lowercase();
        let attempt = self.count(&limits::SIGN_IN_PER_ACCOUNT, &key).await?;
        match self.store.check_sign_in(email, password).await? {
            Some(user) => {
                self.store.give_back(&attempt).await?;
                Ok(user)
            }
            None => Err(Invalid::single(field, "error-password-wrong").into()),
        }
    }

    /// Someone who forgot their password asks for a link to set a new one. Whether or not
    /// the address has an account, the answer is the same, so it tells no one who has one.
    pub async fn request_password_reset(&self, client: &str, email: &str) -> Result<(), Refusal> {
        let mut invalid = Invalid::new();
        let email = invalid.email("email", email);
        invalid.into_result()?;
        self.count(&limits::RESETS_PER_CLIENT, client).await?;
        self.count(&limits::RESETS_PER_ACCOUNT, &email).await?;
        let Some(user) = self.store.user_by_email(&email).await? else {
            return Ok(());
        };
        if user.deactivated_at.is_some() {
            return Ok(());
        }
        let token = self.store.create_password_reset(user.id).await?;
        let workspace = match self.store.first_workspace_of(user.id).await? {
            Some(id) => self.store.workspaces().await?.into_iter().find(|w| w.id == id),
            None => None,
        };
        let locale = workspace
            .as_ref()
            .map_or(crate::Locale::Lv, |w| self.workspace_locale(w));
        let link = format!("{}/password/reset/{token}", self.base_url());
        let minutes = kopa_store::PASSWORD_RESET_LIFETIME.num_minutes();
        let args = [
            ("name", user.display_name.clone().into()),
            ("link", link.into()),
            ("minutes", minutes.into()),
        ];
        let subject = self.i18n.text(locale, "mail-reset-subject", &args);
        let body = self.i18n.text(locale, "mail-reset-body", &args);
        self.store
            .queue_mail(workspace.map(|w| w.id), &user.email, &subject, &body)
            .await?;
        Ok(())
    }

    /// The account a reset link is for, while it works.
    pub async fn open_password_reset(&self, token: &str) -> Result<User, Refusal> {
        let user = self.store.open_password_reset(token).await?;
        user.ok_or(Refusal::Refused("error-reset-invalid"))
    }

    /// Sets a new password through a reset link, ends every session of the account, and
    /// signs in afresh.
    pub async fn reset_password(&self, token: &str, password: &str) -> Result<Session, Refusal> {
        let user = self.store.reset_password(token, password).await?;
        // Whoever was locked out by others' guesses is let in again, on this browser too.
        (self.store)
            .clear_counts(&limits::SIGN_IN_PER_ACCOUNT, &user.email)
            .await?;
        let device = self.store.remember_device(user.id).await?;
        let mut session = self.start_session(user).await?;
        session.device = Some(device);
        Ok(session)
    }

    /// Changes the signed-in person's password once they show the current one; their other
    /// sessions end.
    pub async fn change_password(
        &self,
        user: &User,
        session_token: &str,
        current: &str,
        new: &str,
    ) -> Result<(), Refusal> {
        let mut invalid = Invalid::new();
        invalid.new_password("password", new);
        invalid.into_result()?;
        let user = self.checked_password(&user.email, current, "current_password").await?;
        Ok(self.store.change_password(&user, new, session_token).await?)
    }

    /// The signed-in person's sessions, newest first.
    pub async fn sessions(&self, user: &User, session_token: &str) -> Result<Vec<SessionSummary>, Refusal> {
        Ok(self.store.sessions_of(user.id, session_token).await?)
    }

    /// Ends every session of the signed-in person but this one; returns how many ended.
    pub async fn sign_out_elsewhere(&self, user: &User, session_token: &str) -> Result<u64, Refusal> {
        Ok(self.store.end_other_sessions(user.id, session_token).await?)
    }
}
