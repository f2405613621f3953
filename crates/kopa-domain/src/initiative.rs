//! Initiatives: what the group decides to do, typed by cooperation model, moving through a
//! status workflow whose every step records who, when and why, with progress that parent
//! initiatives roll up from their children.

use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

use crate::code_enum;
use crate::idea::Place;
use crate::validation::{Code, Invalid};

/// The four cooperation models the municipality started with; a workspace may add its own.
pub const BUILT_IN_TYPES: [&str; 4] = [
    "crossing_with_owners",
    "mobility_point",
    "information_campaign",
    "recreation_place",
];

code_enum! {
    /// Where an initiative stands, in the order it gets there.
    InitiativeStatus {
        Idea => "idea",
        Assessed => "assessed",
        Agreed => "agreed",
        InPlan => "in_plan",
        Approved => "approved",
        Delivered => "delivered",
        Monitored => "monitored",
    }
}

impl InitiativeStatus {
    fn position(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    /// The next step, if there is one.
    pub fn next(self) -> Option<InitiativeStatus> {
        Self::ALL.get(self.position() + 1).copied()
    }

    /// The step before, if there is one.
    pub fn previous(self) -> Option<InitiativeStatus> {
        self.position().checked_sub(1).map(|p| Self::ALL[p])
    }

    /// An initiative moves one step forward, or one step back when a step must be redone.
    pub fn may_move_to(self, to: InitiativeStatus) -> bool {
        Some(to) == self.next() || Some(to) == self.previous()
    }
}

code_enum! {
    /// What an initiative may be linked to.
    LinkKind {
        Idea => "idea",
        Meeting => "meeting",
        Decision => "decision",
        Organisation => "organisation",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Initiative {
    pub id: i64,
    pub workspace_id: i64,
    pub title: String,
    pub description: Option<String>,
    pub cooperation_type: String,
    pub place: Option<Place>,
    pub parent_id: Option<i64>,
    /// How much it counts in its parent's progress.
    pub weight: i64,
    /// Its own progress, 0–100, as last set.
    pub progress: i64,
    pub status: InitiativeStatus,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub is_example: bool,
}

/// One step of an initiative's history: who moved it, when, from where to where, and why.
/// The first step, its creation, comes from nowhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Step {
    pub from: Option<InitiativeStatus>,
    pub to: InitiativeStatus,
    pub reason: String,
    pub actor_user_id: Option<i64>,
    pub actor_label: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// A parent's progress from its children: their progress weighted by their weights, divided
/// by the sum of the weights. `None` when there are no children or every weight is zero.
pub fn rolled_up_progress(children: &[(f64, f64)]) -> Option<f64> {
    let weight: f64 = children.iter().map(|(_, w)| w).sum();
    (weight > 0.0).then(|| children.iter().map(|(p, w)| p * w).sum::<f64>() / weight)
}

/// An initiative's progress among all of its workspace's: its own, or, when it has children,
/// theirs rolled up by weight (each child's likewise, down the tree).
pub fn progress_in(all: &[Initiative], id: i64) -> f64 {
    RolledUp::of(all).progress(id)
}

/// Every initiative's rolled-up progress (see [`progress_in`]), worked out once for all of them:
/// each initiative is visited once, however deep the tree, so a list costs no more than its rows.
pub struct RolledUp(HashMap<i64, f64>);

impl RolledUp {
    pub fn of(all: &[Initiative]) -> RolledUp {
        let mut children: HashMap<i64, Vec<&Initiative>> = HashMap::new();
        for initiative in all {
            if let Some(parent) = initiative.parent_id {
                children.entry(parent).or_default().push(initiative);
            }
        }
        let mut done = HashMap::with_capacity(all.len());
        let mut visiting = HashSet::new();
        for initiative in all {
            roll_up(initiative, &children, &mut done, &mut visiting);
        }
        RolledUp(done)
    }

    /// The progress of initiative `id`; 0 for one not among them.
    pub fn progress(&self, id: i64) -> f64 {
        self.0.get(&id).copied().unwrap_or(0.0)
    }
}

fn roll_up(
    initiative: &Initiative,
    children: &HashMap<i64, Vec<&Initiative>>,
    done: &mut HashMap<i64, f64>,
    visiting: &mut HashSet<i64>,
) -> f64 {
    if let Some(progress) = done.get(&initiative.id) {
        return *progress;
    }
    let own = initiative.progress as f64;
    // A parent met again on the way down is a cycle: there it counts its own progress.
    if !visiting.insert(initiative.id) {
        return own;
    }
    let weighed: Vec<(f64, f64)> = children
        .get(&initiative.id)
        .into_iter()
        .flatten()
        .map(|child| (roll_up(child, children, done, visiting), child.weight as f64))
        .collect();
    visiting.remove(&initiative.id);
    let progress = rolled_up_progress(&weighed).unwrap_or(own);
    done.insert(initiative.id, progress);
    progress
}

/// A new or edited initiative as typed into a form or sent to the API.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct InitiativeInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// A built-in cooperation type or one the workspace added.
    #[serde(default)]
    pub cooperation_type: String,
    /// GeoJSON geometry, or "lat, lon"; empty for none.
    #[serde(default)]
    pub place: String,
    /// Empty for a top-level initiative.
    #[serde(default, deserialize_with = "crate::validation::lenient::text")]
    pub parent_id: String,
    /// How much it counts in its parent's progress; 1 when empty.
    #[serde(default, deserialize_with = "crate::validation::lenient::text")]
    pub weight: String,
    /// 0–100; 0 when empty.
    #[serde(default, deserialize_with = "crate::validation::lenient::text")]
    pub progress: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewInitiative {
    pub title: String,
    pub description: Option<String>,
    pub cooperation_type: String,
    pub place: Option<Place>,
    pub parent_id: Option<i64>,
    pub weight: i64,
    pub progress: i64,
    pub is_example: bool,
    /// When it was created, for initiatives carried over from earlier minutes; otherwise now.
    pub created_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl InitiativeInput {
    /// `types` are the cooperation types the workspace knows, built-in ones included.
    pub fn validate(&self, types: &[String]) -> Result<NewInitiative, Invalid> {
        let mut invalid = Invalid::new();
        let title = invalid.required_text("title", &self.title, 200);
        let description = invalid.optional_text("description", &self.description, 10_000);
        let cooperation_type = self.cooperation_type.trim().to_owned();
        if !types.contains(&cooperation_type) {
            invalid.add("cooperation_type", "error-choice");
        }
        let place = match self.place.trim() {
            "" => None,
            text => Place::parse(text).map_err(|message| invalid.add("place", message)).ok(),
        };
        let parent_id = match self.parent_id.trim() {
            "" => None,
            id => id
                .parse::<i64>()
                .map_err(|_| invalid.add("parent_id", "error-unknown"))
                .ok(),
        };
        let weight = match self.weight.trim() {
            "" => 1,
            text => invalid.number_in("weight", text, 0..=100),
        };
        let progress = match self.progress.trim() {
            "" => 0,
            text => invalid.number_in("progress", text, 0..=100),
        };
        invalid.into_result()?;
        Ok(NewInitiative {
            title,
            description,
            cooperation_type,
            place,
            parent_id,
            weight,
            progress,
            is_example: false,
            created_at: None,
        })
    }
}

/// A new initiative as a coordinator starts it: what it is, and why it was started.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct StartInput {
    #[serde(flatten)]
    pub initiative: InitiativeInput,
    #[serde(default)]
    pub reason: String,
}

impl StartInput {
    /// Every problem at once, the reason's with the initiative's.
    pub fn validate(&self, types: &[String]) -> Result<(NewInitiative, String), Invalid> {
        let mut reason_check = Invalid::new();
        let reason = reason_check.required_text("reason", &self.reason, 1000);
        match self.initiative.validate(types) {
            Ok(new) => reason_check.into_result().map(|()| (new, reason)),
            Err(mut invalid) => {
                invalid.errors.extend(reason_check.errors);
                Err(invalid)
            }
        }
    }
}

/// A step in the workflow as asked for: where to, and why.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct TransitionInput {
    pub to: String,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub from: InitiativeStatus,
    pub to: InitiativeStatus,
    /// When it happened, for steps carried over from earlier minutes; otherwise now.
    pub at: Option<chrono::DateTime<chrono::Utc>>,
}

impl TransitionInput {
    /// Checks the step against where the initiative stands; returns it with its reason.
    pub fn validate(&self, from: InitiativeStatus) -> Result<(Transition, String), Invalid> {
        let mut invalid = Invalid::new();
        let to = invalid.choice("to", &self.to, InitiativeStatus::from_code);
        if let Some(to) = to
            && !from.may_move_to(to)
        {
            invalid.add("to", "error-transition");
        }
        let reason = invalid.required_text("reason", &self.reason, 2000);
        invalid.into_result()?;
        let to = to.unwrap_or(from);
        Ok((Transition { from, to, at: None }, reason))
    }
}

/// What a person sees of a type's name: the built-in ones have translated labels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CooperationType {
    pub code: String,
    /// The workspace's own name for a custom type; built-in types are named by translation.
    pub name: Option<String>,
}

/// A milestone of an initiative: done on a day, or still to do (by a day, if one was set).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Milestone {
    pub id: i64,
    pub initiative_id: i64,
    pub title: String,
    pub due_on: Option<chrono::NaiveDate>,
    pub done_on: Option<chrono::NaiveDate>,
}

/// A new milestone as typed into a form or sent to the API.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct MilestoneInput {
    #[serde(default)]
    pub title: String,
    /// YYYY-MM-DD, or empty.
    #[serde(default)]
    pub due_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMilestone {
    pub title: String,
    pub due_on: Option<chrono::NaiveDate>,
}

impl MilestoneInput {
    pub fn validate(&self) -> Result<NewMilestone, Invalid> {
        let mut invalid = Invalid::new();
        let title = invalid.required_text("title", &self.title, 200);
        let due_on = match self.due_on.trim() {
            "" => None,
            text => invalid.date("due_on", text),
        };
        invalid.into_result()?;
        Ok(NewMilestone { title, due_on })
    }
}

/// Progress from milestones: the share done, 0–100; `None` without milestones.
pub fn milestone_progress(milestones: &[Milestone]) -> Option<i64> {
    let done = milestones.iter().filter(|m| m.done_on.is_some()).count();
    share_done(done as i64, milestones.len() as i64)
}

/// `done` of `total` as 0–100; `None` when there are none.
pub fn share_done(done: i64, total: i64) -> Option<i64> {
    (total > 0).then(|| (100.0 * done as f64 / total as f64).round() as i64)
}

/// Whether making `parent` the parent of `id` would close a loop: `parent` is `id` itself or
/// lies below it.
pub fn would_loop(all: &[Initiative], id: i64, parent: i64) -> bool {
    let mut current = Some(parent);
    let mut steps = 0;
    while let Some(at) = current {
        if at == id || steps > all.len() {
            return true;
        }
        current = all.iter().find(|i| i.id == at).and_then(|i| i.parent_id);
        steps += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workflow_moves_one_step_at_a_time_either_way() {
        use InitiativeStatus::*;
        assert_eq!(Idea.next(), Some(Assessed));
        assert_eq!(Monitored.next(), None);
        assert_eq!(Idea.previous(), None);
        assert!(Agreed.may_move_to(InPlan));
        assert!(Agreed.may_move_to(Assessed));
        assert!(!Agreed.may_move_to(Approved), "no skipping the plan");
        assert!(!Agreed.may_move_to(Agreed));
        // Every status but the last leads somewhere.
        for status in InitiativeStatus::ALL.iter().take(InitiativeStatus::ALL.len() - 1) {
            assert!(status.next().is_some());
        }
    }

    #[test]
    fn a_parent_rolls_up_its_childrens_progress_by_weight() {
        assert_eq!(rolled_up_progress(&[(100.0, 1.0), (0.0, 3.0)]), Some(25.0));
        assert_eq!(rolled_up_progress(&[(40.0, 2.0), (70.0, 2.0)]), Some(55.0));
        assert_eq!(rolled_up_progress(&[]), None);
        assert_eq!(
            rolled_up_progress(&[(50.0, 0.0)]),
            None,
            "weights of zero count for nothing"
        );
    }

    fn initiative(id: i64, parent_id: Option<i64>, weight: i64, progress: i64) -> Initiative {
        Initiative {
            id,
            workspace_id: 1,
            title: format!("Iniciatīva {id}"),
            description: None,
            cooperation_type: "mobility_point".into(),
            place: None,
            parent_id,
            weight,
            progress,
            status: InitiativeStatus::Idea,
            created_at: chrono::DateTime::UNIX_EPOCH,
            is_example: true,
        }
    }

    #[test]
    fn progress_rolls_up_the_whole_tree_and_survives_a_cycle() {
        // 1 ← 2 (weight 1, itself ← 4 at 100 and 5 at 0), 1 ← 3 (weight 3, at 20).
        let all = [
            initiative(1, None, 1, 90),
            initiative(2, Some(1), 1, 10),
            initiative(3, Some(1), 3, 20),
            initiative(4, Some(2), 1, 100),
            initiative(5, Some(2), 1, 0),
            initiative(6, None, 1, 35),
        ];
        let rolled = RolledUp::of(&all);
        assert_eq!(rolled.progress(2), 50.0, "its children, not its own 10");
        assert_eq!(rolled.progress(1), (50.0 + 3.0 * 20.0) / 4.0);
        assert_eq!(rolled.progress(6), 35.0, "no children: its own");
        assert_eq!(rolled.progress(99), 0.0);
        assert_eq!(progress_in(&all, 1), rolled.progress(1));

        let cycle = [initiative(7, Some(8), 1, 40), initiative(8, Some(7), 1, 60)];
        let rolled = RolledUp::of(&cycle);
        assert!(
            (40.0..=60.0).contains(&rolled.progress(7)),
            "ends, within what they hold"
        );
    }

    #[test]
    fn a_step_needs_a_reason_and_a_neighbouring_status() {
        let skip = TransitionInput {
            to: "approved".into(),
            reason: "".into(),
        };
        let invalid = skip.validate(InitiativeStatus::Agreed).unwrap_err();
        assert_eq!(invalid.message_for("to"), Some("error-transition"));
        assert_eq!(invalid.message_for("reason"), Some("error-required"));
        let step = TransitionInput {
            to: "in_plan".into(),
            reason: "Iekļauts IAP melnrakstā".into(),
        };
        let (transition, reason) = step.validate(InitiativeStatus::Agreed).unwrap();
        assert_eq!(transition.to, InitiativeStatus::InPlan);
        assert_eq!(reason, "Iekļauts IAP melnrakstā");
    }

    #[test]
    fn an_initiative_names_its_faulty_fields() {
        let types: Vec<String> = BUILT_IN_TYPES.iter().map(|t| (*t).to_owned()).collect();
        let input = InitiativeInput {
            title: "Mobilitātes punkts pie stacijas".into(),
            cooperation_type: "bike_parade".into(),
            weight: "-1".into(),
            progress: "120".into(),
            place: "56.83, 24.24".into(),
            ..Default::default()
        };
        let invalid = input.validate(&types).unwrap_err();
        assert_eq!(invalid.message_for("cooperation_type"), Some("error-choice"));
        assert_eq!(invalid.message_for("weight"), Some("error-out-of-range"));
        assert_eq!(invalid.message_for("progress"), Some("error-out-of-range"));
        assert_eq!(invalid.message_for("place"), None);
        let good = InitiativeInput {
            cooperation_type: "mobility_point".into(),
            weight: "".into(),
            progress: "".into(),
            ..input
        };
        let new = good.validate(&types).unwrap();
        assert_eq!((new.weight, new.progress), (1, 0));
    }

    #[test]
    fn milestones_give_the_share_done() {
        let milestone = |id: i64, done: bool| Milestone {
            id,
            initiative_id: 1,
            title: format!("m{id}"),
            due_on: None,
            done_on: done.then(|| chrono::NaiveDate::from_ymd_opt(2021, 5, 1).unwrap()),
        };
        assert_eq!(milestone_progress(&[]), None);
        assert_eq!(
            milestone_progress(&[milestone(1, true), milestone(2, false), milestone(3, false)]),
            Some(33)
        );
        assert_eq!(milestone_progress(&[milestone(1, true)]), Some(100));
        let bad = MilestoneInput {
            title: "".into(),
            due_on: "31.12.2021".into(),
        };
        let invalid = bad.validate().unwrap_err();
        assert_eq!(invalid.message_for("title"), Some("error-required"));
        assert_eq!(invalid.message_for("due_on"), Some("error-date"));
    }

    #[test]
    fn a_parent_may_not_lie_below_its_child() {
        let at = |id: i64, parent: Option<i64>| Initiative {
            id,
            workspace_id: 1,
            title: String::new(),
            description: None,
            cooperation_type: "mobility_point".into(),
            place: None,
            parent_id: parent,
            weight: 1,
            progress: 0,
            status: InitiativeStatus::Idea,
            created_at: chrono::DateTime::default(),
            is_example: false,
        };
        let all = [at(1, None), at(2, Some(1)), at(3, Some(2)), at(4, None)];
        assert!(would_loop(&all, 1, 3), "3 lies below 1");
        assert!(would_loop(&all, 2, 2), "not its own parent");
        assert!(!would_loop(&all, 4, 3));
        assert!(!would_loop(&all, 3, 1));
    }
}
