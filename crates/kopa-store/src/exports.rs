//! Streams of a workspace's published ideas and initiatives, for open-data exports: rows are
//! read one at a time and handed on through a small channel, so an export never holds the
//! whole table in memory.

use futures_util::TryStreamExt;
use kopa_domain::idea::Idea;
use kopa_domain::initiative::Initiative;
use tokio::sync::mpsc;

use crate::db::on_pool;
use crate::ideas::{IDEA_SELECT, IdeaRow};
use crate::initiatives::{INITIATIVE_COLUMNS, InitiativeRow};
use crate::{Result, Store};

/// Rows in flight between the database and the response.
const BUFFER: usize = 64;

macro_rules! stream_rows {
    ($store:expr, $sql:expr, $workspace_id:expr, $row:ty, $item:ty) => {{
        let (sender, receiver) = mpsc::channel::<Result<$item>>(BUFFER);
        let store = $store.clone();
        let sql: String = $sql;
        let workspace_id = $workspace_id;
        tokio::spawn(async move {
            on_pool!(store, pool => {
                let mut rows = sqlx::query_as::<_, $row>(&sql).bind(workspace_id).fetch(pool);
                loop {
                    let next = match rows.try_next().await {
                        Ok(Some(row)) => <$item>::try_from(row),
                        Ok(None) => break,
                        Err(error) => Err(error.into()),
                    };
                    let failed = next.is_err();
                    // A reader that went away ends the export.
                    if sender.send(next).await.is_err() || failed {
                        break;
                    }
                }
            })
        });
        receiver
    }};
}

impl Store {
    /// The workspace's open ideas, oldest first, one at a time.
    pub fn stream_open_ideas(&self, workspace_id: i64) -> mpsc::Receiver<Result<Idea>> {
        let sql = format!("{IDEA_SELECT} WHERE i.workspace_id = $1 AND i.status = 'open' ORDER BY i.id");
        stream_rows!(self, sql, workspace_id, IdeaRow, Idea)
    }

    /// The workspace's initiatives, oldest first, one at a time.
    pub fn stream_initiatives(&self, workspace_id: i64) -> mpsc::Receiver<Result<Initiative>> {
        let sql = format!("SELECT {INITIATIVE_COLUMNS} FROM initiatives WHERE workspace_id = $1 ORDER BY id");
        stream_rows!(self, sql, workspace_id, InitiativeRow, Initiative)
    }
}
