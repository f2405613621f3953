//! A review of a plan version by the network's peers and experts: the city asks for it with a
//! due date, reviewers comment on sections and items, and the city answers each comment. What
//! was raised, and what the city did about it, goes with the plan as an annex.

use chrono::NaiveDate;
use serde::Deserialize;

use super::edit::ItemKind;
use super::{ItemId, Plan, Section};
use crate::code_enum;
use crate::validation::{Code, Invalid};

/// What a comment is about: a section, `section:actions`, or an item of the version,
/// `action:3`. Items keep their ids from version to version, so the comment stays on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentTarget {
    Section(Section),
    Item(ItemKind, ItemId),
}

impl CommentTarget {
    /// The target `text` names in `plan`; `None` for a section or item it does not have.
    pub fn in_plan(text: &str, plan: &Plan) -> Option<CommentTarget> {
        let (kind, id) = text.split_once(':')?;
        if kind == "section" {
            return Section::from_code(id).map(CommentTarget::Section);
        }
        let (kind, id) = (ItemKind::from_code(kind)?, id.parse::<ItemId>().ok()?);
        plan.has_item(kind, id).then_some(CommentTarget::Item(kind, id))
    }
}

code_enum! {
    /// Where a reviewer's comment stands: open until the city answers it, and then answered,
    /// accepted (the plan changes) or declined (with the city's reasons).
    CommentState {
        Open => "open",
        Answered => "answered",
        Accepted => "accepted",
        Declined => "declined",
    }
}

impl CommentState {
    /// A comment is answered once; an answered comment may still be accepted or declined,
    /// and an accepted or declined one is settled.
    pub fn may_move_to(self, to: CommentState) -> bool {
        use CommentState::*;
        matches!(
            (self, to),
            (Open, Answered | Accepted | Declined) | (Answered, Accepted | Declined)
        )
    }

    /// Whether the city still owes the reviewer an answer.
    pub fn waits_on_city(self) -> bool {
        self == CommentState::Open
    }
}

/// A city's request for a review of one plan version.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReviewRequestInput {
    /// The plan version to review, by its number.
    pub version: String,
    /// "YYYY-MM-DD": when the city needs the comments.
    pub due_on: String,
    /// What the city asks the reviewers to look at.
    pub note: String,
}

/// A review request, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRequest {
    pub version: i64,
    pub due_on: NaiveDate,
    pub note: Option<String>,
}

impl ReviewRequestInput {
    /// A review is due after `today`: reviewers need time to read.
    pub fn validate(&self, today: NaiveDate) -> Result<ReviewRequest, Invalid> {
        let mut invalid = Invalid::new();
        let version = invalid.number_in("version", &self.version, 1..=i64::from(u16::MAX));
        let due_on = invalid.date("due_on", &self.due_on);
        if due_on.is_some_and(|due| due <= today) {
            invalid.add("due_on", "error-review-due-in-past");
        }
        let note = invalid.optional_text("note", &self.note, 4000);
        invalid.into_result()?;
        Ok(ReviewRequest {
            version,
            due_on: due_on.unwrap_or(today),
            note,
        })
    }
}

/// The city's answer to a reviewer's comment.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AnswerInput {
    /// "answered", "accepted" or "declined".
    pub state: String,
    pub answer: String,
}

/// An answer, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub state: CommentState,
    pub answer: String,
}

impl AnswerInput {
    /// The answer to a comment that now stands at `current`: an answer always says why, and a
    /// settled comment is not answered again.
    pub fn validate(&self, current: CommentState) -> Result<Answer, Invalid> {
        let mut invalid = Invalid::new();
        let state = invalid.choice("state", &self.state, CommentState::from_code);
        let answer = invalid.required_text("answer", &self.answer, 4000);
        if let Some(state) = state
            && !current.may_move_to(state)
        {
            invalid.add("state", "error-comment-settled");
        }
        invalid.into_result()?;
        Ok(Answer {
            state: state.unwrap_or(CommentState::Answered),
            answer,
        })
    }
}

/// How a review stands: its comments by state, for the dashboard and the plan's annex.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReviewStanding {
    pub open: usize,
    pub answered: usize,
    pub accepted: usize,
    pub declined: usize,
}

impl ReviewStanding {
    pub fn of(states: impl IntoIterator<Item = CommentState>) -> ReviewStanding {
        let mut standing = ReviewStanding::default();
        for state in states {
            match state {
                CommentState::Open => standing.open += 1,
                CommentState::Answered => standing.answered += 1,
                CommentState::Accepted => standing.accepted += 1,
                CommentState::Declined => standing.declined += 1,
            }
        }
        standing
    }

    pub fn raised(&self) -> usize {
        self.open + self.answered + self.accepted + self.declined
    }

    /// Whether the city has answered every comment.
    pub fn is_answered(&self) -> bool {
        self.open == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn comments_are_on_a_section_or_an_item_the_version_has() {
        let plan = Plan::default();
        assert_eq!(
            CommentTarget::in_plan("section:actions", &plan),
            Some(CommentTarget::Section(Section::Actions))
        );
        assert_eq!(CommentTarget::in_plan("section:appendix", &plan), None);
        assert_eq!(CommentTarget::in_plan("action:1", &plan), None, "no such action");
        assert_eq!(CommentTarget::in_plan("actions", &plan), None);
    }

    #[test]
    fn a_comment_is_answered_once_and_then_settled() {
        use CommentState::*;
        assert!(Open.may_move_to(Answered) && Open.may_move_to(Accepted) && Open.may_move_to(Declined));
        assert!(Answered.may_move_to(Accepted) && Answered.may_move_to(Declined));
        assert!(!Answered.may_move_to(Answered) && !Answered.may_move_to(Open));
        for settled in [Accepted, Declined] {
            for to in [Open, Answered, Accepted, Declined] {
                assert!(!settled.may_move_to(to), "{settled:?} to {to:?}");
            }
        }
        assert!(Open.waits_on_city() && !Answered.waits_on_city());
    }

    #[test]
    fn an_answer_says_why_and_comes_only_while_a_comment_is_unsettled() {
        let input = |state: &str, answer: &str| AnswerInput {
            state: state.into(),
            answer: answer.into(),
        };
        let accepted = input("accepted", "Pievienojām rādītāju A3 sadaļā").validate(CommentState::Open);
        assert_eq!(accepted.unwrap().state, CommentState::Accepted);
        let silent = input("declined", " ").validate(CommentState::Open).unwrap_err();
        assert_eq!(silent.message_for("answer"), Some("error-required"));
        let again = input("answered", "Vēlreiz")
            .validate(CommentState::Declined)
            .unwrap_err();
        assert_eq!(again.message_for("state"), Some("error-comment-settled"));
        let odd = input("ignored", "Nē").validate(CommentState::Open).unwrap_err();
        assert_eq!(odd.message_for("state"), Some("error-choice"));
    }

    #[test]
    fn a_review_is_asked_for_a_version_and_falls_due_after_today() {
        let today = on("2021-03-01");
        let ask = |version: &str, due_on: &str| ReviewRequestInput {
            version: version.into(),
            due_on: due_on.into(),
            note: "Lūdzu skatīt rīcības un budžetu".into(),
        };
        let request = ask("2", "2021-03-15").validate(today).unwrap();
        assert_eq!((request.version, request.due_on), (2, on("2021-03-15")));
        let today_due = ask("2", "2021-03-01").validate(today).unwrap_err();
        assert_eq!(today_due.message_for("due_on"), Some("error-review-due-in-past"));
        let no_version = ask("", "2021-03-15").validate(today).unwrap_err();
        assert!(no_version.message_for("version").is_some());
    }

    #[test]
    fn a_reviews_standing_counts_what_was_raised_and_what_waits() {
        use CommentState::*;
        let standing = ReviewStanding::of([Open, Answered, Accepted, Accepted, Declined]);
        assert_eq!(standing.raised(), 5);
        assert_eq!((standing.open, standing.accepted), (1, 2));
        assert!(!standing.is_answered());
        assert!(ReviewStanding::of([Answered, Declined]).is_answered());
    }
}
