//! Ideas: proposing one, supporting it, discussing it, and moderating. Who writes or supports
//! follows the idea; its followers hear of comments and of the moderators' decisions.

use kopa_domain::Action;
use kopa_domain::idea::{Comment, CommentInput, Idea, IdeaInput, IdeaStatus, Moderation, ModerationInput, Place};
use kopa_domain::notification::{FollowKind, NotificationKind};
use kopa_store::{Album, Author, PhotoInfo};
use tokio::sync::mpsc::Receiver;

use crate::photos::{PhotoUpload, Photos};
use crate::{App, Caller, Refusal, held_to_limits, limits};

/// How many open ideas proposed before an idea, and as many after, a duplicate is chosen from.
const MERGE_CANDIDATES: i64 = 50;

impl App {
    /// Every open idea, oldest first, streamed as stored: open data that anyone may read.
    pub fn open_ideas_stream(&self, caller: &Caller) -> Result<Receiver<kopa_store::Result<Idea>>, Refusal> {
        caller.require(Action::ViewPublished)?;
        Ok(self.store.stream_open_ideas(caller.workspace_id()))
    }

    /// The last added ideas, up to `limit`, before the idea `before`; hidden and merged ones
    /// only for moderators.
    pub async fn ideas_before(&self, caller: &Caller, before: Option<i64>, limit: i64) -> Result<Vec<Idea>, Refusal> {
        caller.require(Action::ViewPublished)?;
        let all = caller.may(Action::ModerateIdeas);
        Ok(self
            .store
            .ideas_before(caller.workspace_id(), all, before, limit)
            .await?)
    }

    /// One page of the newest ideas, with how many there are in all; hidden and merged ones
    /// only for moderators.
    pub async fn ideas_page(&self, caller: &Caller, size: i64, skipped: i64) -> Result<(Vec<Idea>, i64), Refusal> {
        caller.require(Action::ViewPublished)?;
        let (workspace, all) = (caller.workspace_id(), caller.may(Action::ModerateIdeas));
        let ideas = self.store.ideas_page(workspace, all, size, skipped).await?;
        let counted = if all { "every idea" } else { "open ideas" };
        let total = self
            .kept_count(workspace, counted, &["idea"], || self.store.ideas_count(workspace, all))
            .await?;
        Ok((ideas, total))
    }

    /// Whether the signed-in caller supports the idea.
    pub async fn supports(&self, caller: &Caller, idea_id: i64) -> Result<bool, Refusal> {
        match caller.user_id() {
            Some(user) => Ok(self.store.supports_idea(idea_id, user).await?),
            None => Ok(false),
        }
    }

    /// The open ideas proposed just before and after `idea`, which a moderator may merge it
    /// into: a duplicate is usually proposed close in time.
    pub async fn merge_candidates(&self, caller: &Caller, idea: &Idea) -> Result<Vec<Idea>, Refusal> {
        caller.require(Action::ModerateIdeas)?;
        Ok(self
            .store
            .open_ideas_around(caller.workspace_id(), idea, MERGE_CANDIDATES)
            .await?)
    }

    /// The idea's photos; none of a hidden idea, except for moderators.
    pub async fn idea_photos(&self, caller: &Caller, idea: &Idea) -> Result<Vec<PhotoInfo>, Refusal> {
        if idea.status == IdeaStatus::Hidden && !caller.may(Action::ModerateIdeas) {
            return Ok(Vec::new());
        }
        Ok(self.store.idea_photos(idea.id).await?)
    }

    /// A photo of an idea, or its thumbnail, as stored: hidden with the idea.
    pub async fn idea_photo(
        &self,
        caller: &Caller,
        idea_id: i64,
        photo: i64,
        thumbnail: bool,
    ) -> Result<(String, Vec<u8>), Refusal> {
        let idea = self.idea(caller, idea_id).await?;
        if idea.status == IdeaStatus::Hidden && !caller.may(Action::ModerateIdeas) {
            return Err(Refusal::NotFound);
        }
        let found = self.store.photo_bytes(Album::Idea(idea_id), photo, thumbnail).await?;
        found.ok_or(Refusal::NotFound)
    }

    /// Whether the caller may add photos to the idea: its author, or a moderator.
    pub fn may_add_photos(&self, caller: &Caller, idea: &Idea) -> bool {
        let wrote = caller.user_id().is_some() && caller.user_id() == idea.author_user_id;
        (wrote || caller.may(Action::ModerateIdeas)) && caller.may(Action::Participate)
    }

    /// Adds photos, already checked and re-encoded, to an idea.
    pub async fn add_idea_photos(
        &self,
        caller: &Caller,
        idea_id: i64,
        upload: PhotoUpload,
    ) -> Result<Vec<PhotoInfo>, Refusal> {
        caller.require(Action::Participate)?;
        let idea = self.idea(caller, idea_id).await?;
        if !self.may_add_photos(caller, &idea) {
            return Err(Refusal::Forbidden);
        }
        if held_to_limits(caller) {
            // Counted before anything is decoded, and kept whatever comes of it: decoding is
            // the cost.
            self.count(&limits::PHOTO_UPLOADS_PER_PERSON, &caller.actor().label)
                .await?;
        }
        let held = self.store.photos(Album::Idea(idea_id)).await?.len();
        let Photos { description, photos } = upload.prepare(held).await?;
        let (actor, workspace) = (caller.actor(), caller.workspace_id());
        Ok(self
            .store
            .add_idea_photos(&actor, workspace, idea_id, description.as_deref(), &photos)
            .await?)
    }

    /// An idea with its comments. A hidden one shows only why it was hidden, except to
    /// moderators.
    pub async fn idea_with_comments(&self, caller: &Caller, id: i64) -> Result<(Idea, Vec<Comment>), Refusal> {
        let idea = self.idea(caller, id).await?;
        if idea.status == IdeaStatus::Hidden && !caller.may(Action::ModerateIdeas) {
            return Ok((idea, Vec::new()));
        }
        let comments = self.store.idea_comments(id).await?;
        Ok((idea, comments))
    }

    /// An idea; a hidden one without its text and place, except to moderators.
    pub async fn idea(&self, caller: &Caller, id: i64) -> Result<Idea, Refusal> {
        caller.require(Action::ViewPublished)?;
        let idea = self.store.idea(caller.workspace_id(), id).await?;
        let mut idea = idea.ok_or(Refusal::NotFound)?;
        if idea.status == IdeaStatus::Hidden && !caller.may(Action::ModerateIdeas) {
            idea.title.clear();
            idea.body.clear();
            idea.place = None;
        }
        Ok(idea)
    }

    /// A resident proposes an idea, with a place typed, drawn or named by its street.
    pub async fn propose_idea(&self, caller: &Caller, mut input: IdeaInput) -> Result<Idea, Refusal> {
        caller.require(Action::Participate)?;
        let write = async {
            input.place = self.resolve_address(caller, &input.place).await?;
            let new = input.validate()?;
            let author = self.author(caller);
            Ok(self
                .store
                .create_idea(&caller.actor(), caller.workspace_id(), &author, &new)
                .await?)
        };
        let idea = self.limited(caller, &limits::IDEAS_PER_PERSON, write).await?;
        self.follow_quietly(caller, (FollowKind::Idea, idea.id)).await;
        let link = format!("/w/{}/ideas/{}", caller.workspace.slug, idea.id);
        self.tell_coordinators(caller, NotificationKind::NewIdea, &idea.title, link)
            .await;
        Ok(idea)
    }

    /// Supports an idea once (`support`), or takes the support back.
    pub async fn support_idea(&self, caller: &Caller, idea_id: i64, support: bool) -> Result<(), Refusal> {
        caller.require(Action::Participate)?;
        let user = caller.signed_in()?;
        let (actor, workspace) = (caller.actor(), caller.workspace_id());
        if support {
            self.store.support_idea(&actor, workspace, idea_id, user).await?;
            self.follow_quietly(caller, (FollowKind::Idea, idea_id)).await;
        } else {
            self.store.withdraw_support(&actor, workspace, idea_id, user).await?;
        }
        Ok(())
    }

    /// Comments on an idea, or answers a comment on it.
    pub async fn comment_on_idea(
        &self,
        caller: &Caller,
        idea_id: i64,
        input: CommentInput,
    ) -> Result<Comment, Refusal> {
        caller.require(Action::Participate)?;
        let write = async {
            let new = input.validate()?;
            let author = self.author(caller);
            Ok(self
                .store
                .comment_on_idea(&caller.actor(), caller.workspace_id(), idea_id, &author, &new)
                .await?)
        };
        let comment = self.limited(caller, &limits::COMMENTS_PER_PERSON, write).await?;
        let target = (FollowKind::Idea, idea_id);
        self.follow_quietly(caller, target).await;
        self.tell_about(caller, target, NotificationKind::Comment, "comments")
            .await;
        Ok(comment)
    }

    /// A moderator answers an idea, hides it with a public reason, merges it into another, or
    /// restores it.
    pub async fn moderate_idea(&self, caller: &Caller, idea_id: i64, input: ModerationInput) -> Result<(), Refusal> {
        caller.require(Action::ModerateIdeas)?;
        let moderation = input.validate()?;
        self.store
            .moderate_idea(&caller.actor(), caller.workspace_id(), idea_id, &moderation)
            .await?;
        let told = match moderation {
            Moderation::Hide { .. } => Some(NotificationKind::Hidden),
            Moderation::Merge { .. } => Some(NotificationKind::Merged),
            Moderation::Answer { .. } => Some(NotificationKind::Answer),
            Moderation::Restore => None,
        };
        if let Some(kind) = told {
            self.tell_about(caller, (FollowKind::Idea, idea_id), kind, "answer")
                .await;
        }
        Ok(())
    }

    /// A place typed as a street name becomes that street's middle, when the workspace's map
    /// knows the street; anything else is left for [`Place::parse`] to read or refuse.
    pub async fn resolve_address(&self, caller: &Caller, text: &str) -> Result<String, Refusal> {
        if text.trim().is_empty() || Place::parse(text).is_ok() || text.trim_start().starts_with('{') {
            return Ok(text.to_owned());
        }
        let found = self
            .store
            .backdrop(caller.workspace_id())
            .await?
            .and_then(|backdrop| backdrop.find_street(text));
        Ok(match found {
            Some([lon, lat]) => format!("{lat:.6}, {lon:.6}"),
            None => text.to_owned(),
        })
    }

    /// The caller as the author of what they write.
    fn author(&self, caller: &Caller) -> Author {
        Author {
            user_id: caller.user_id(),
            name: caller.user.as_ref().map_or_else(
                || {
                    let locale = self.workspace_locale(&caller.workspace);
                    self.i18n.text(locale, "idea-anonymous", &[])
                },
                |u| u.display_name.clone(),
            ),
        }
    }
}
