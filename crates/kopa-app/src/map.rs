//! The map of ideas and initiatives: what it shows, when that last changed, and the base map
//! it is drawn on. Everything here is published content that anyone may read.

use kopa_domain::Action;
use kopa_domain::idea::Idea;
use kopa_domain::initiative::Initiative;
use kopa_domain::map::Backdrop;

use crate::{App, Caller, Refusal};

/// The kinds of record the map shows: supports, comments and changes elsewhere leave what it
/// shows be.
const MAPPED_SOURCES: &[&str] = &["idea", "initiative", "milestone", "cooperation_type"];

/// Every open idea and every initiative of the workspace.
pub struct Mapped {
    pub ideas: Vec<Idea>,
    pub initiatives: Vec<Initiative>,
}

impl App {
    /// The newest change to what the map shows, so that what is drawn from it can be kept
    /// until then.
    pub async fn map_version(&self, caller: &Caller) -> Result<i64, Refusal> {
        caller.require(Action::ViewPublished)?;
        Ok(self.version_of(caller.workspace_id(), MAPPED_SOURCES).await?)
    }

    pub async fn mapped(&self, caller: &Caller) -> Result<Mapped, Refusal> {
        caller.require(Action::ViewPublished)?;
        let workspace = caller.workspace_id();
        Ok(Mapped {
            ideas: self.store.ideas(workspace, false).await?,
            initiatives: self.store.initiatives(workspace).await?,
        })
    }

    /// The workspace's own base map, if one was imported.
    pub async fn backdrop(&self, caller: &Caller) -> Result<Option<Backdrop>, Refusal> {
        caller.require(Action::ViewPublished)?;
        Ok(self.store.backdrop(caller.workspace_id()).await?)
    }

    /// Whether the workspace has a base map, without reading it.
    pub async fn has_backdrop(&self, caller: &Caller) -> Result<bool, Refusal> {
        caller.require(Action::ViewPublished)?;
        Ok(self.store.has_backdrop(caller.workspace_id()).await?)
    }
}
