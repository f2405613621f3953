//! The roadmap's milestones on a given day: done, overdue, coming up, or further off.

use chrono::NaiveDate;
use serde::Serialize;

use super::{Milestone, Plan};
use crate::code_enum;

/// How far ahead a milestone counts as coming up.
pub const UPCOMING_DAYS: i64 = 30;

code_enum! {
    MilestoneState {
        Done => "done",
        Overdue => "overdue",
        Upcoming => "upcoming",
        Planned => "planned",
    }
}

impl Milestone {
    pub fn state(&self, today: NaiveDate) -> MilestoneState {
        match self.done_on {
            Some(_) => MilestoneState::Done,
            None if self.due_on < today => MilestoneState::Overdue,
            None if (self.due_on - today).num_days() <= UPCOMING_DAYS => MilestoneState::Upcoming,
            None => MilestoneState::Planned,
        }
    }
}

/// The milestones a coordinator should look at today, overdue first, each in date order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attention<'a> {
    pub overdue: Vec<&'a Milestone>,
    pub upcoming: Vec<&'a Milestone>,
}

impl Plan {
    pub fn attention(&self, today: NaiveDate) -> Attention<'_> {
        let mut sorted: Vec<&Milestone> = self.milestones.iter().collect();
        sorted.sort_by_key(|m| m.due_on);
        let of = |state| sorted.iter().copied().filter(|m| m.state(today) == state).collect();
        Attention {
            overdue: of(MilestoneState::Overdue),
            upcoming: of(MilestoneState::Upcoming),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Text;
    use super::*;

    fn milestone(id: u32, due: &str, done: Option<&str>) -> Milestone {
        Milestone {
            id,
            title: Text::new("IAP ceļvedis", "IAP roadmap"),
            due_on: due.parse().unwrap(),
            done_on: done.map(|d| d.parse().unwrap()),
            meeting: None,
            owner: None,
        }
    }

    #[test]
    fn milestones_are_overdue_upcoming_or_planned_by_the_day() {
        let today: NaiveDate = "2020-12-10".parse().unwrap();
        assert_eq!(milestone(1, "2020-12-31", None).state(today), MilestoneState::Upcoming);
        assert_eq!(milestone(1, "2020-12-09", None).state(today), MilestoneState::Overdue);
        assert_eq!(milestone(1, "2020-12-10", None).state(today), MilestoneState::Upcoming);
        assert_eq!(milestone(1, "2021-03-01", None).state(today), MilestoneState::Planned);
        assert_eq!(
            milestone(1, "2020-11-25", Some("2020-11-25")).state(today),
            MilestoneState::Done
        );

        let plan = Plan {
            milestones: vec![
                milestone(1, "2021-01-09", None),
                milestone(2, "2020-12-31", None),
                milestone(3, "2020-10-28", None),
                milestone(4, "2020-11-25", Some("2020-11-25")),
            ],
            ..Plan::default()
        };
        let attention = plan.attention(today);
        let ids = |list: &Vec<&Milestone>| list.iter().map(|m| m.id).collect::<Vec<_>>();
        assert_eq!(ids(&attention.overdue), [3]);
        assert_eq!(ids(&attention.upcoming), [2, 1]);
    }
}
