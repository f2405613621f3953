//! The names behind the ids a plan points to: who owns an item, which organisation leads an
//! action, which initiative, meeting or decision it links to. The plan page and every export
//! show the same names.

use std::borrow::Borrow;
use std::collections::HashMap;

use chrono::NaiveDateTime;

use crate::cooperation::instrument::{InstrumentKind, InstrumentStatus};
use crate::street_network::Expected;

/// An instrument of an initiative, as a plan's action names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedInstrument {
    pub kind: InstrumentKind,
    pub subject: String,
    pub status: InstrumentStatus,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Names {
    pub people: HashMap<i64, String>,
    pub organisations: HashMap<i64, String>,
    pub initiatives: HashMap<i64, String>,
    /// A decision's meeting, and the decision by its meeting's title and its text.
    pub decisions: HashMap<i64, (i64, String)>,
    pub meetings: HashMap<i64, String>,
    /// The instruments of each initiative, oldest first; a plan names those of
    /// [`Names::instruments_of`].
    pub instruments: HashMap<i64, Vec<LinkedInstrument>>,
    /// The saved scenarios of the street network: their title and expected effect.
    pub scenarios: HashMap<i64, (String, Expected)>,
}

impl Names {
    /// A meeting as a plan names it: its title and day.
    pub fn meeting_label(title: &str, starts_at: NaiveDateTime) -> String {
        format!("{title} ({})", starts_at.date())
    }

    /// A decision as a plan names it: its meeting's title and its text.
    pub fn decision_label(meeting_title: &str, text: &str) -> String {
        format!("{meeting_title} – {text}")
    }

    fn of(map: &HashMap<i64, String>, id: impl Borrow<Option<i64>>) -> String {
        id.borrow().and_then(|id| map.get(&id).cloned()).unwrap_or_default()
    }

    pub fn person(&self, id: impl Borrow<Option<i64>>) -> String {
        Names::of(&self.people, id)
    }

    pub fn organisation(&self, id: impl Borrow<Option<i64>>) -> String {
        Names::of(&self.organisations, id)
    }

    pub fn initiative(&self, id: impl Borrow<Option<i64>>) -> String {
        Names::of(&self.initiatives, id)
    }

    /// The instruments of an initiative that a plan counts on.
    pub fn instruments_of(&self, initiative: i64) -> impl Iterator<Item = &LinkedInstrument> {
        let linked = self.instruments.get(&initiative).into_iter().flatten();
        linked.filter(|i| i.status.belongs_in_plan())
    }

    pub fn meeting(&self, id: impl Borrow<Option<i64>>) -> String {
        Names::of(&self.meetings, id)
    }

    pub fn decision(&self, id: impl Borrow<Option<i64>>) -> String {
        id.borrow()
            .and_then(|id| self.decisions.get(&id))
            .map(|(_, label)| label.clone())
            .unwrap_or_default()
    }
}
