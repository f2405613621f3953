//! Reviews of the plan by the network's peers and experts: the city asks, reviewers comment
//! on the version under review (a draft too), and the city answers.

use kopa_domain::Action;
use kopa_domain::plan::review::{AnswerInput, ReviewRequestInput};
use kopa_store::{PlanReview, PlanVersion, ReviewComment};

use crate::{App, Caller, Refusal};

/// A review with its comments and the version it is of.
pub struct ReviewFile {
    pub review: PlanReview,
    pub comments: Vec<ReviewComment>,
    pub version: PlanVersion,
}

impl App {
    /// Asks the network's peers and experts to review one of the plan's versions by a date.
    pub async fn request_review(&self, caller: &Caller, input: &ReviewRequestInput) -> Result<PlanReview, Refusal> {
        caller.require(Action::ManagePlan)?;
        let by = caller.signed_in()?;
        let request = input.validate(self.today(caller))?;
        Ok(self
            .store
            .request_review(&caller.actor(), caller.workspace_id(), &request, by)
            .await?)
    }

    /// The workspace's reviews, for its group and for those who review it.
    pub async fn plan_reviews(&self, caller: &Caller) -> Result<Vec<PlanReview>, Refusal> {
        self.require_group_or_reviewer(caller).await?;
        Ok(self.store.plan_reviews(caller.workspace_id()).await?)
    }

    /// One review, with its comments and the version under review: reviewers read that
    /// version even while it is a draft.
    pub async fn review_file(&self, caller: &Caller, id: i64) -> Result<ReviewFile, Refusal> {
        self.require_group_or_reviewer(caller).await?;
        let workspace = caller.workspace_id();
        let found = self.store.plan_review_with_comments(workspace, id).await?;
        let (review, comments) = found.ok_or(Refusal::NotFound)?;
        let version = self
            .store
            .plan_version(workspace, review.version)
            .await?
            .ok_or(Refusal::NotFound)?;
        Ok(ReviewFile {
            review,
            comments,
            version,
        })
    }

    /// A reviewer's comment on a section or an item of the version under review.
    pub async fn comment_in_review(
        &self,
        caller: &Caller,
        review: i64,
        item: &str,
        body: &str,
    ) -> Result<i64, Refusal> {
        let by = caller.signed_in()?;
        if !self.reviews(caller).await? {
            return Err(Refusal::Forbidden);
        }
        Ok(self
            .store
            .comment_in_review(&caller.actor(), caller.workspace_id(), review, by, (item, body))
            .await?)
    }

    /// One comment of a review, for the group and for those who review it.
    pub async fn review_comment(&self, caller: &Caller, id: i64) -> Result<ReviewComment, Refusal> {
        self.require_group_or_reviewer(caller).await?;
        let comment = self.store.review_comment(caller.workspace_id(), id).await?;
        comment.ok_or(Refusal::NotFound)
    }

    /// The city's answer to a reviewer's comment.
    pub async fn answer_review_comment(
        &self,
        caller: &Caller,
        review: i64,
        comment: i64,
        input: &AnswerInput,
    ) -> Result<ReviewComment, Refusal> {
        caller.require(Action::ManagePlan)?;
        let by = caller.signed_in()?;
        let workspace = caller.workspace_id();
        let before = self
            .store
            .review_comment(workspace, comment)
            .await?
            .filter(|c| c.review_id == review)
            .ok_or(Refusal::NotFound)?;
        let answer = input.validate(before.state)?;
        Ok(self
            .store
            .answer_review_comment(&caller.actor(), workspace, &before, (&answer, by))
            .await?)
    }

    /// Whether the caller reviews the workspace's plans: the network's readers (its experts
    /// and the lead partner's staff) and the other partner cities' coordinators.
    pub async fn reviews(&self, caller: &Caller) -> Result<bool, Refusal> {
        let Some(user) = caller.user_id() else { return Ok(false) };
        let workspace = &caller.workspace;
        Ok(self.reads_network_plans(caller).await?
            || self
                .store
                .coordinates_a_peer(user, workspace.network_id, workspace.id)
                .await?)
    }

    async fn require_group_or_reviewer(&self, caller: &Caller) -> Result<(), Refusal> {
        if caller.may(Action::ViewPlan) || self.reviews(caller).await? {
            Ok(())
        } else {
            caller.require(Action::ViewPlan)
        }
    }
}
