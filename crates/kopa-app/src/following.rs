//! Following ideas and initiatives, and telling their followers what happened: a notification
//! in the app for each, and mail for those who want it each time. Each person reads their
//! notifications and chooses how they want mail.
//!
//! A failure to follow or to tell never undoes what happened: it is logged, and the action
//! stands.

use kopa_domain::notification::{EmailMode, FollowKind, Mail, Notification, NotificationKind};
use kopa_domain::validation::Code;
use kopa_domain::{Action, Invalid};

use crate::{App, Caller, Refusal};

/// Something followed, as a notification names it: its title and its page.
#[derive(Debug, Clone)]
pub struct Followed {
    pub title: String,
    pub path: String,
}

/// What happened, to whom it matters, and where to read about it.
pub(crate) struct Event<'a> {
    pub target: (FollowKind, i64),
    pub kind: NotificationKind,
    pub title: &'a str,
    pub link: String,
}

impl App {
    /// The idea or initiative `target` names in the caller's workspace, if there is one.
    pub async fn followed(&self, caller: &Caller, target: (FollowKind, i64)) -> Result<Option<Followed>, Refusal> {
        let (kind, id) = target;
        let (workspace, slug) = (caller.workspace_id(), &caller.workspace.slug);
        Ok(match kind {
            FollowKind::Idea => self.store.idea(workspace, id).await?.map(|idea| Followed {
                title: idea.title,
                path: format!("/w/{slug}/ideas/{id}"),
            }),
            FollowKind::Initiative => self.store.initiative(workspace, id).await?.map(|initiative| Followed {
                title: initiative.title,
                path: format!("/w/{slug}/initiatives/{id}"),
            }),
        })
    }

    /// Starts (`follow`) or stops following an idea or initiative; returns what it is.
    pub async fn follow(&self, caller: &Caller, target: (FollowKind, i64), follow: bool) -> Result<Followed, Refusal> {
        let user = Self::participant(caller)?;
        let thing = self.followed(caller, target).await?.ok_or(Refusal::NotFound)?;
        let (kind, id) = target;
        if follow {
            self.store.follow(user, kind, id).await?;
        } else {
            self.store.unfollow(user, kind, id).await?;
        }
        Ok(thing)
    }

    /// Whether the caller follows `target`; `None` for those who cannot follow.
    pub async fn follows(&self, caller: &Caller, target: (FollowKind, i64)) -> Result<Option<bool>, Refusal> {
        match caller.user_id().filter(|_| caller.may(Action::Participate)) {
            Some(user) => Ok(Some(self.store.follows(user, target.0, target.1).await?)),
            None => Ok(None),
        }
    }

    /// The caller's latest notifications in the workspace, the newest first.
    pub async fn notifications(&self, caller: &Caller, limit: i64) -> Result<Vec<Notification>, Refusal> {
        let user = Self::participant(caller)?;
        Ok(self.store.notifications(user, caller.workspace_id(), limit).await?)
    }

    pub async fn mark_notifications_read(&self, caller: &Caller) -> Result<(), Refusal> {
        let user = Self::participant(caller)?;
        Ok(self.store.mark_notifications_read(user, caller.workspace_id()).await?)
    }

    /// How the caller wants mail: each time, a daily digest, or none.
    pub async fn email_mode(&self, caller: &Caller) -> Result<EmailMode, Refusal> {
        let user = Self::participant(caller)?;
        Ok(self.store.email_mode(user).await?)
    }

    pub async fn set_email_mode(&self, caller: &Caller, mode: &str) -> Result<EmailMode, Refusal> {
        let user = Self::participant(caller)?;
        let mode = EmailMode::from_code(mode.trim()).ok_or_else(|| Invalid::single("email", "error-choice"))?;
        self.store.set_email_mode(user, mode).await?;
        Ok(mode)
    }

    /// The mail sent about the workspace, for its admin: without a mail server, the only
    /// place it is.
    pub async fn outbox(&self, caller: &Caller, limit: i64) -> Result<Vec<Mail>, Refusal> {
        caller.require(Action::ManageRoles)?;
        Ok(self.store.outbox(caller.workspace_id(), limit).await?)
    }

    /// The signed-in account of someone who takes part, whose notifications these are.
    fn participant(caller: &Caller) -> Result<i64, Refusal> {
        caller.require(Action::Participate)?;
        caller.signed_in()
    }

    /// Follows `target` for the caller, as those who write, support or start something do.
    pub(crate) async fn follow_quietly(&self, caller: &Caller, target: (FollowKind, i64)) {
        let (kind, id) = target;
        if let Some(user) = caller.user_id()
            && let Err(error) = self.store.follow(user, kind, id).await
        {
            tracing::warn!("could not follow {kind} {id}: {error}");
        }
    }

    /// Tells the followers of `target` what happened to it; `anchor` names the part of its
    /// page that says.
    pub(crate) async fn tell_about(
        &self,
        caller: &Caller,
        target: (FollowKind, i64),
        kind: NotificationKind,
        anchor: &str,
    ) {
        let Ok(Some(thing)) = self.followed(caller, target).await else {
            return;
        };
        let event = Event {
            target,
            kind,
            title: &thing.title,
            link: format!("{}#{anchor}", thing.path),
        };
        self.tell_followers(caller, event).await;
    }

    /// Tells the coordinators that something new waits on them (an idea to answer, an offer to
    /// review), at `link`; it also shows on their home under what needs attention.
    pub(crate) async fn tell_coordinators(&self, caller: &Caller, kind: NotificationKind, title: &str, link: String) {
        let told = async {
            let store = &self.store;
            let recipients = store
                .notify_coordinators(caller.workspace_id(), kind, title, &link, caller.user_id())
                .await?;
            self.mail_each_time(&caller.workspace, &recipients, kind, title, &link)
                .await
        };
        if let Err(error) = told.await {
            tracing::warn!("coordinators were not told: {error}");
        }
    }

    /// Tells the target's followers, except the one who did it.
    pub(crate) async fn tell_followers(&self, caller: &Caller, event: Event<'_>) {
        if let Err(error) = self.try_tell(caller, event).await {
            tracing::warn!("followers were not told: {error}");
        }
    }

    async fn try_tell(&self, caller: &Caller, event: Event<'_>) -> Result<(), kopa_store::StoreError> {
        let recipients = self
            .store
            .notify_followers(
                caller.workspace_id(),
                event.target,
                event.kind,
                event.title,
                &event.link,
                caller.user_id(),
            )
            .await?;
        self.mail_each_time(&caller.workspace, &recipients, event.kind, event.title, &event.link)
            .await
    }
}
