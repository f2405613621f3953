//! What needs a coordinator's attention, gathered from the whole workspace: ideas waiting for
//! an answer, partners' offers, instruments held at a gate, overdue duties in the register,
//! and plan actions that no one owns. Each entry names the record, so a page can link to the
//! place to act. Overdue milestones are the plan's roadmap, shown beside it.

use kopa_domain::Action;
use kopa_domain::cooperation::file::{Flag, InstrumentFile};
use kopa_domain::cooperation::instrument::{InstrumentStatus, Requirement};
use kopa_domain::cooperation::rules::Stage;
use kopa_domain::idea::Idea;
use kopa_domain::plan::{ItemId, Text};

use crate::{App, Caller, Refusal};

/// How many of the ideas waiting are listed; the rest are counted.
const IDEAS_LISTED: i64 = 5;

/// An instrument as the list names it.
#[derive(Debug, Clone)]
pub struct InstrumentNote {
    pub id: i64,
    pub subject: String,
    pub partner: String,
}

impl InstrumentNote {
    fn of(file: &InstrumentFile) -> InstrumentNote {
        InstrumentNote {
            id: file.instrument.id,
            subject: file.instrument.subject.clone(),
            partner: file.partner.name.clone(),
        }
    }
}

/// A plan action no one owns, in the plan's newest version.
#[derive(Debug, Clone)]
pub struct Unowned {
    pub version: i64,
    pub id: ItemId,
    pub code: String,
    pub title: Text,
}

/// Everything waiting on the coordinators, oldest first within each kind.
#[derive(Debug, Clone, Default)]
pub struct Attention {
    /// How many open ideas have neither an answer nor an initiative.
    pub ideas_waiting: i64,
    /// The oldest of them.
    pub ideas: Vec<Idea>,
    /// Offers a partner sent, waiting for a coordinator to take them up as drafts.
    pub offers: Vec<InstrumentNote>,
    /// Instruments that cannot pass their next gate, with what they lack there.
    pub held: Vec<(InstrumentNote, Stage, Vec<Requirement>)>,
    /// Overdue publications, missed inspections and unremedied findings.
    pub overdue: Vec<(InstrumentNote, Flag)>,
    pub unowned: Vec<Unowned>,
}

impl Attention {
    pub fn is_empty(&self) -> bool {
        self.ideas_waiting == 0
            && self.offers.is_empty()
            && self.held.is_empty()
            && self.overdue.is_empty()
            && self.unowned.is_empty()
    }
}

impl App {
    /// What waits on the coordinators today; `None` for anyone else.
    pub async fn attention(&self, caller: &Caller) -> Result<Option<Attention>, Refusal> {
        if !caller.may(Action::ManageInitiatives) {
            return Ok(None);
        }
        let workspace = caller.workspace_id();
        let (ideas_waiting, ideas) = self.store.ideas_awaiting_answer(workspace, IDEAS_LISTED).await?;
        let mut attention = Attention {
            ideas_waiting,
            ideas,
            ..Attention::default()
        };
        if caller.may(Action::ViewCooperation) {
            let today = self.today(caller);
            for file in self.instrument_files(caller).await?.files.iter() {
                let note = || InstrumentNote::of(file);
                if file.instrument.offered && file.instrument.status == InstrumentStatus::Draft {
                    attention.offers.push(note());
                }
                if let Some((stage, missing)) = file.held_at() {
                    attention.held.push((note(), stage, missing));
                }
                attention
                    .overdue
                    .extend(file.flags(today).into_iter().map(|flag| (note(), flag)));
            }
        }
        if caller.may(Action::ManagePlan)
            && let Some(version) = self.store.current_plan(workspace).await?
            && !version.info.is_submitted()
        {
            attention.unowned = version
                .plan
                .actions
                .iter()
                .filter(|action| action.owner.is_none())
                .map(|action| Unowned {
                    version: version.info.number,
                    id: action.id,
                    code: action.code.clone(),
                    title: action.title.clone(),
                })
                .collect();
        }
        Ok(Some(attention))
    }
}
