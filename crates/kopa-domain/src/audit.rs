//! The tamper-evident audit log. Every create, update and delete becomes an [`AuditEvent`]
//! whose hash covers its content and the previous event's hash, so changing, removing or
//! reordering any stored event breaks the chain at that point.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::code_enum;
use crate::validation::Code;

code_enum! {
    AuditAction {
        Create => "create",
        Update => "update",
        Delete => "delete",
    }
}

/// The actor of changes Kopa made itself in records from before each part of Kopa was named
/// for what it does (see [`SystemActor`]).
pub const SYSTEM_ACTOR: &str = "system";
/// What comes before the code of the [`SystemActor`] that made a change.
pub const SYSTEM_ACTOR_PREFIX: &str = "system:";

code_enum! {
    /// The part of Kopa that made a change no person made, named in the audit log for what
    /// it does.
    SystemActor {
        DemoLoader => "demo-loader",
        Setup => "setup",
        MapImport => "map-import",
        AnalysisRestart => "analysis-restart",
        Operator => "operator",
    }
}

impl SystemActor {
    /// Its label in the audit log: "system:demo-loader".
    pub fn label(self) -> String {
        format!("{SYSTEM_ACTOR_PREFIX}{}", self.code())
    }

    /// The part of Kopa an audit label names, if it names one.
    pub fn of_label(label: &str) -> Option<SystemActor> {
        label.strip_prefix(SYSTEM_ACTOR_PREFIX).and_then(SystemActor::from_code)
    }
}
/// What comes before the e-mail of a visitor who acted without signing in.
pub const VISITOR_ACTOR: &str = "visitor ";

/// The hash that the first event links to.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened, before it is given a place in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub workspace_id: Option<i64>,
    pub actor_user_id: Option<i64>,
    /// Who, readable even after the account is gone: an e-mail or "system".
    pub actor_label: String,
    pub entity: &'static str,
    pub entity_id: i64,
    pub action: AuditAction,
    /// JSON text of the record before the change; `None` for a create.
    pub before: Option<String>,
    /// JSON text of the record after the change; `None` for a delete.
    pub after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct AuditEvent {
    /// Position in the chain, from 1.
    pub seq: i64,
    pub workspace_id: Option<i64>,
    pub actor_user_id: Option<i64>,
    pub actor_label: String,
    /// Microsecond precision, which every backend stores exactly.
    pub at: DateTime<Utc>,
    pub entity: String,
    pub entity_id: i64,
    pub action: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEvent {
    /// Places `change` after the event with `prev_seq` and `prev_hash`.
    pub fn chain(change: Change, at: DateTime<Utc>, prev_seq: i64, prev_hash: &str) -> AuditEvent {
        let at = truncate_to_micros(at);
        let mut event = AuditEvent {
            seq: prev_seq + 1,
            workspace_id: change.workspace_id,
            actor_user_id: change.actor_user_id,
            actor_label: change.actor_label,
            at,
            entity: change.entity.to_owned(),
            entity_id: change.entity_id,
            action: change.action.to_string(),
            before: change.before,
            after: change.after,
            prev_hash: prev_hash.to_owned(),
            hash: String::new(),
        };
        event.hash = event.computed_hash();
        event
    }

    /// The hash of this event's content and its link to the previous one.
    pub fn computed_hash(&self) -> String {
        let mut hasher = Sha256::new();
        let optional = |value: Option<i64>| value.map(|v| v.to_string()).unwrap_or_default();
        // A unit separator between fields, and a tag for absent texts, so that no two
        // different events serialise alike.
        for field in [
            self.seq.to_string().as_str(),
            &optional(self.workspace_id),
            &optional(self.actor_user_id),
            &self.actor_label,
            &self.at.timestamp_micros().to_string(),
            &self.entity,
            &self.entity_id.to_string(),
            &self.action,
            self.before.as_deref().unwrap_or("\u{0}none"),
            self.after.as_deref().unwrap_or("\u{0}none"),
            &self.prev_hash,
        ] {
            hasher.update(field.as_bytes());
            hasher.update([0x1f]);
        }
        hex::encode(hasher.finalize())
    }
}

pub fn truncate_to_micros(at: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(at.timestamp_micros()).unwrap_or(at)
}

/// The newest event of the chain as it was seen once: kept outside the database, it shows
/// later that no event up to it was changed or removed. Written `seq:hash`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ChainHead {
    pub seq: i64,
    pub hash: String,
}

impl std::fmt::Display for ChainHead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.seq, self.hash)
    }
}

impl std::str::FromStr for ChainHead {
    type Err = String;

    fn from_str(text: &str) -> Result<ChainHead, String> {
        let problem = || format!("{text:?} is not a chain head: write the event's number, a colon, and its hash");
        let (seq, hash) = text.trim().split_once(':').ok_or_else(problem)?;
        let seq: i64 = seq.parse().map_err(|_| problem())?;
        let is_hash = hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit());
        if seq < 1 || !is_hash {
            return Err(problem());
        }
        Ok(ChainHead {
            seq,
            hash: hash.to_ascii_lowercase(),
        })
    }
}

/// Where and why the chain broke.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BrokenLink {
    #[error("event {seq} was altered: its stored hash does not match its content")]
    Altered { seq: i64 },
    #[error("event {seq} does not link to the event before it (expected previous hash {expected})")]
    Unlinked { seq: i64, expected: String },
    #[error("event {seq} is missing from the chain (found {found} in its place)")]
    Missing { seq: i64, found: i64 },
    /// The chain ends before an event that was seen: its last events were deleted.
    #[error(
        "the chain ends before event {seq}, yet event {seen} was seen before: the events from {seq} on were deleted"
    )]
    Truncated { seq: i64, seen: i64 },
    /// An event is not the one seen before: the chain was rewritten there or before it.
    #[error("event {seq} is not the one seen before: the chain was rewritten up to it")]
    Rewritten { seq: i64 },
}

impl BrokenLink {
    /// Where the chain breaks: every event before this one is intact.
    pub fn seq(&self) -> i64 {
        match self {
            BrokenLink::Altered { seq }
            | BrokenLink::Unlinked { seq, .. }
            | BrokenLink::Missing { seq, .. }
            | BrokenLink::Truncated { seq, .. }
            | BrokenLink::Rewritten { seq } => *seq,
        }
    }
}

/// Walks events in order and checks every link, continuing from `prev` (seq and hash of the
/// last event already checked). Returns the last event's seq and hash.
pub fn verify<'a>(
    events: impl IntoIterator<Item = &'a AuditEvent>,
    prev: (i64, String),
) -> Result<(i64, String), BrokenLink> {
    let (mut prev_seq, mut prev_hash) = prev;
    for event in events {
        if event.seq != prev_seq + 1 {
            return Err(BrokenLink::Missing {
                seq: prev_seq + 1,
                found: event.seq,
            });
        }
        if event.prev_hash != prev_hash {
            return Err(BrokenLink::Unlinked {
                seq: event.seq,
                expected: prev_hash,
            });
        }
        if event.computed_hash() != event.hash {
            return Err(BrokenLink::Altered { seq: event.seq });
        }
        prev_seq = event.seq;
        prev_hash = event.hash.clone();
    }
    Ok((prev_seq, prev_hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chain_head_is_read_as_it_is_written_and_nothing_else() {
        let head = ChainHead {
            seq: 1886,
            hash: "ab".repeat(32),
        };
        assert_eq!(head.to_string().parse::<ChainHead>(), Ok(head));
        for bad in ["", "1886", "x:ab", "0:00", &format!("12:{}", "g".repeat(64)), "12:abc"] {
            assert!(bad.parse::<ChainHead>().is_err(), "{bad}");
        }
    }

    fn chain_of(n: i64) -> Vec<AuditEvent> {
        let mut events: Vec<AuditEvent> = Vec::new();
        for i in 0..n {
            let (seq, hash) = events
                .last()
                .map(|e| (e.seq, e.hash.clone()))
                .unwrap_or((0, GENESIS_HASH.to_owned()));
            let change = Change {
                workspace_id: Some(1),
                actor_user_id: Some(7),
                actor_label: "koordinatore@kekava.lv".into(),
                entity: "meeting",
                entity_id: i,
                action: AuditAction::Create,
                before: None,
                after: Some(format!("{{\"title\":\"Sanāksme {i}\"}}")),
            };
            let at = DateTime::from_timestamp(1_605_000_000 + i, 123_456_789).unwrap();
            events.push(AuditEvent::chain(change, at, seq, &hash));
        }
        events
    }

    fn start() -> (i64, String) {
        (0, GENESIS_HASH.to_owned())
    }

    #[test]
    fn an_untouched_chain_verifies() {
        let events = chain_of(5);
        assert_eq!(verify(&events, start()).unwrap().0, 5);
        assert_eq!(events[0].at.timestamp_subsec_nanos(), 123_456_000);
    }

    #[test]
    fn an_altered_event_is_found() {
        let mut events = chain_of(5);
        events[2].after = Some("{\"title\":\"forged\"}".into());
        assert_eq!(verify(&events, start()), Err(BrokenLink::Altered { seq: 3 }));
    }

    #[test]
    fn a_rehashed_forgery_breaks_the_next_link() {
        let mut events = chain_of(5);
        events[2].actor_label = "someone-else".into();
        events[2].hash = events[2].computed_hash();
        assert!(matches!(
            verify(&events, start()),
            Err(BrokenLink::Unlinked { seq: 4, .. })
        ));
    }

    #[test]
    fn a_removed_event_is_found() {
        let mut events = chain_of(5);
        events.remove(1);
        assert_eq!(verify(&events, start()), Err(BrokenLink::Missing { seq: 2, found: 3 }));
    }

    #[test]
    fn absent_and_empty_texts_hash_differently() {
        let mut a = chain_of(1).remove(0);
        let hash_with_none = a.computed_hash();
        a.before = Some(String::new());
        assert_ne!(a.computed_hash(), hash_with_none);
    }
}
