//! Setting Kopa up and administering it: the first network, workspace and admin; site admins
//! over networks and workspaces; workspace admins over roles, accounts and invitations. Every
//! change goes into the audit log, where the store records it.

use kopa_domain::audit::SystemActor;
use kopa_domain::validation::Code;
use kopa_domain::workspace::{Network, NetworkInput, Workspace, WorkspaceInput};
use kopa_domain::{Action, Invalid, Role};
use kopa_store::{AccountRole, Actor, Invitation, RoleChange, User};

use crate::{App, Caller, Refusal};

/// Which network a new workspace belongs to.
pub enum NetworkChoice<'a> {
    /// A new network, as typed.
    New(NetworkInput<'a>),
    /// An existing network, by its name or number.
    Join(&'a str),
}

/// Everything `kopa init` asks for: the network, the workspace and its first admin.
pub struct SetUp<'a> {
    pub network: NetworkChoice<'a>,
    pub workspace: WorkspaceInput<'a>,
    pub admin_email: &'a str,
    pub admin_name: &'a str,
    pub admin_password: &'a str,
}

/// What a set-up made.
pub struct SetUpDone {
    pub network: Network,
    pub workspace: Workspace,
    pub admin: User,
    /// Whether the admin also became a site admin: the first one on this site does.
    pub site_admin: bool,
}

/// A site admin's view: every network with its workspaces and readers, and the site admins.
pub struct Site {
    pub networks: Vec<(Network, Vec<Workspace>, Vec<User>)>,
    pub site_admins: Vec<User>,
}

/// The site admin acting, or why not.
fn site_admin(user: Option<&User>) -> Result<&User, Refusal> {
    let user = user.ok_or(Refusal::SignInRequired)?;
    if user.site_admin && user.deactivated_at.is_none() {
        Ok(user)
    } else {
        Err(Refusal::Forbidden)
    }
}

fn actor(user: &User) -> Actor {
    Actor::user(user.id, &user.email)
}

impl App {
    /// Sets a municipality up from nothing: the network (new, or one that exists), the
    /// workspace and its first admin. Everything is checked before anything is written, and
    /// every faulty field is named at once.
    pub async fn set_up(&self, set_up: &SetUp<'_>) -> Result<SetUpDone, Refusal> {
        let mut invalid = Invalid::new();
        let (new_network, existing) = match &set_up.network {
            NetworkChoice::New(input) => (input.check(&mut invalid), None),
            NetworkChoice::Join(name) => {
                let networks = self.store.networks().await?;
                let found = networks
                    .into_iter()
                    .find(|n| n.name == name.trim() || n.id.to_string() == name.trim());
                if found.is_none() {
                    invalid.add("network", "error-network-unknown");
                }
                (None, found)
            }
        };
        let workspace = set_up.workspace.check(&mut invalid);
        let email = invalid.email("admin_email", set_up.admin_email);
        invalid.required_text("admin_name", set_up.admin_name, 200);
        invalid.new_password("admin_password", set_up.admin_password);
        if self.store.workspace_by_slug(&workspace.slug).await?.is_some() {
            invalid.add("slug", "error-slug-taken");
        }
        if self.store.user_by_email(&email).await?.is_some() {
            invalid.add("admin_email", "error-email-taken");
        }
        invalid.into_result()?;
        let system = Actor::system(SystemActor::Setup);
        let network = match (existing, new_network) {
            (Some(network), _) => network,
            (None, Some(new)) => self.store.create_network(&system, &new).await?,
            (None, None) => return Err(Invalid::single("network", "error-required").into()),
        };
        let workspace = self.store.create_workspace(&system, network.id, &workspace).await?;
        let created = self
            .store
            .create_user(&system, &email, set_up.admin_name, set_up.admin_password);
        let admin = created.await?;
        self.store
            .grant_role(&system, admin.id, workspace.id, Role::Admin)
            .await?;
        let first = self.store.site_admins().await?.is_empty();
        let admin = match first {
            true => self.store.set_site_admin(&system, admin.id, true).await?,
            false => admin,
        };
        Ok(SetUpDone {
            network,
            workspace,
            admin,
            site_admin: first,
        })
    }

    /// Every network with its workspaces and readers, for a site admin.
    pub async fn site(&self, user: Option<&User>) -> Result<Site, Refusal> {
        site_admin(user)?;
        let mut networks = Vec::new();
        for (network, workspaces) in self.networks().await? {
            let readers = self.store.network_readers(network.id).await?;
            networks.push((network, workspaces, readers));
        }
        Ok(Site {
            networks,
            site_admins: self.store.site_admins().await?,
        })
    }

    pub async fn create_network(&self, user: Option<&User>, input: &NetworkInput<'_>) -> Result<Network, Refusal> {
        let user = site_admin(user)?;
        let mut invalid = Invalid::new();
        let new = input.check(&mut invalid);
        invalid.into_result()?;
        let new = new.ok_or_else(|| Invalid::single("starts_on", "error-required"))?;
        Ok(self.store.create_network(&actor(user), &new).await?)
    }

    /// Adds a workspace to a network and invites its first admin; returns the invitation's
    /// one-time token, which is also mailed.
    pub async fn create_workspace(
        &self,
        user: Option<&User>,
        network_id: i64,
        input: &WorkspaceInput<'_>,
        admin_email: &str,
    ) -> Result<(Workspace, String), Refusal> {
        let user = site_admin(user)?;
        let mut invalid = Invalid::new();
        let new = input.check(&mut invalid);
        let email = invalid.email("admin_email", admin_email);
        invalid.into_result()?;
        if !self.store.networks().await?.iter().any(|n| n.id == network_id) {
            return Err(Refusal::NotFound);
        }
        let actor = actor(user);
        let workspace = self.store.create_workspace(&actor, network_id, &new).await?;
        let (invitation, token) = (self.store)
            .create_invitation(&actor, workspace.id, &email, Role::Admin)
            .await?;
        self.mail_invitation(&workspace, &invitation, &token).await?;
        Ok((workspace, token))
    }

    pub async fn set_lead_partner(
        &self,
        user: Option<&User>,
        network_id: i64,
        workspace_id: i64,
    ) -> Result<(), Refusal> {
        let user = site_admin(user)?;
        Ok(self
            .store
            .set_lead_partner(&actor(user), network_id, workspace_id)
            .await?)
    }

    /// Names an account, by its e-mail, to read every city's submitted plans in the network.
    pub async fn add_network_reader(&self, user: Option<&User>, network_id: i64, email: &str) -> Result<(), Refusal> {
        let user = site_admin(user)?;
        let mut invalid = Invalid::new();
        let email = invalid.email("email", email);
        invalid.into_result()?;
        let reader = self.store.user_by_email(&email).await?;
        let reader = reader.ok_or_else(|| Invalid::single("email", "error-no-account"))?;
        if !self.store.networks().await?.iter().any(|n| n.id == network_id) {
            return Err(Refusal::NotFound);
        }
        Ok(self
            .store
            .add_network_reader(&actor(user), network_id, reader.id)
            .await?)
    }

    pub async fn remove_network_reader(
        &self,
        user: Option<&User>,
        network_id: i64,
        reader: i64,
    ) -> Result<(), Refusal> {
        let user = site_admin(user)?;
        Ok(self
            .store
            .remove_network_reader(&actor(user), network_id, reader)
            .await?)
    }

    /// Makes an account, by its e-mail, a site admin, or no longer one. The site always keeps
    /// one.
    pub async fn set_site_admin(&self, user: Option<&User>, email: &str, on: bool) -> Result<User, Refusal> {
        let user = site_admin(user)?;
        let other = self.store.user_by_email(email).await?;
        let other = other.ok_or_else(|| Invalid::single("email", "error-no-account"))?;
        Ok(self.store.set_site_admin(&actor(user), other.id, on).await?)
    }

    /// Switches a whole account, by its e-mail, off (it can no longer sign in, and its
    /// sessions end) or on.
    pub async fn set_account_active(&self, user: Option<&User>, email: &str, on: bool) -> Result<User, Refusal> {
        let user = site_admin(user)?;
        let account = self.store.user_by_email(email).await?;
        let account = account.ok_or_else(|| Invalid::single("email", "error-no-account"))?;
        if user.id == account.id && !on {
            return Err(Invalid::single("email", "error-not-yourself").into());
        }
        Ok(self.store.set_account_active(&actor(user), account.id, on).await?)
    }

    /// Changes someone's role in the caller's workspace, or switches their membership off or
    /// on. The caller may change only roles they may give, to roles they may give, and never
    /// their own; the workspace keeps an admin.
    pub async fn change_account_role(
        &self,
        caller: &Caller,
        account: i64,
        to: RoleChange,
    ) -> Result<AccountRole, Refusal> {
        caller.require(Action::InviteMembers)?;
        if caller.user_id() == Some(account) {
            return Err(Refusal::Refused("error-not-yourself"));
        }
        let workspace = caller.workspace_id();
        let current = self.store.account_role(account, workspace).await?;
        let current = current.ok_or(Refusal::NotFound)?;
        let allowed = caller.role.map(Role::may_invite).unwrap_or_default();
        if !allowed.contains(&current.role) {
            return Err(Refusal::Forbidden);
        }
        if let RoleChange::Role(role) = to
            && !allowed.contains(&role)
        {
            return Err(Invalid::single("role", "error-choice").into());
        }
        Ok(self
            .store
            .change_account_role(&caller.actor(), workspace, account, to)
            .await?)
    }

    /// Reads a role as a form sends it, for [`App::change_account_role`].
    pub fn role_change(role: &str) -> Result<RoleChange, Refusal> {
        Role::from_code(role)
            .map(RoleChange::Role)
            .ok_or_else(|| Invalid::single("role", "error-choice").into())
    }

    /// Sends an invitation again with a new link; the old one stops working.
    pub async fn renew_invitation(&self, caller: &Caller, id: i64) -> Result<(Invitation, String), Refusal> {
        let invitation = self.invitation_to_manage(caller, id).await?;
        let (invitation, token) = (self.store)
            .renew_invitation(&caller.actor(), caller.workspace_id(), invitation.id)
            .await?;
        self.mail_invitation(&caller.workspace, &invitation, &token).await?;
        Ok((invitation, token))
    }

    /// Withdraws an invitation: its link stops working.
    pub async fn revoke_invitation(&self, caller: &Caller, id: i64) -> Result<Invitation, Refusal> {
        let invitation = self.invitation_to_manage(caller, id).await?;
        Ok(self
            .store
            .revoke_invitation(&caller.actor(), caller.workspace_id(), invitation.id)
            .await?)
    }

    /// An invitation of the caller's workspace to a role the caller may give.
    async fn invitation_to_manage(&self, caller: &Caller, id: i64) -> Result<Invitation, Refusal> {
        caller.require(Action::InviteMembers)?;
        let invitations = self.store.invitations(caller.workspace_id()).await?;
        let invitation = invitations.into_iter().find(|i| i.id == id);
        let invitation = invitation.ok_or(Refusal::NotFound)?;
        let allowed = caller.role.map(Role::may_invite).unwrap_or_default();
        match Role::from_code(&invitation.role) {
            Some(role) if allowed.contains(&role) => Ok(invitation),
            _ => Err(Refusal::Forbidden),
        }
    }

    /// Puts the invitation's link in the outbox, addressed to the one invited.
    pub(crate) async fn mail_invitation(
        &self,
        workspace: &Workspace,
        invitation: &Invitation,
        token: &str,
    ) -> Result<(), Refusal> {
        let locale = self.workspace_locale(workspace);
        let role = self.i18n.text(locale, &format!("role-{}", invitation.role), &[]);
        let link = format!("{}/invitations/{token}", self.base_url());
        let args = [
            ("workspace", workspace.municipality.clone().into()),
            ("role", role.into()),
            ("link", link.into()),
        ];
        let subject = self.i18n.text(locale, "mail-invitation-subject", &args);
        let body = self.i18n.text(locale, "mail-invitation-body", &args);
        self.store
            .queue_mail(Some(workspace.id), &invitation.email, &subject, &body)
            .await?;
        Ok(())
    }
}
