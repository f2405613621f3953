//! The audit pack: one instrument's whole file with its audit trail, sealed with a SHA-256
//! checksum so that anyone holding the JSON can tell whether it was changed.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::file::InstrumentFile;
use crate::audit::{AuditEvent, ChainHead};

pub const PACK_FORMAT: &str = "kopa-audit-pack/1";

/// What was checked when the pack was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Verification {
    /// Every event of the whole audit log links to the one before it.
    pub chain_intact: bool,
    pub events_checked: i64,
    /// The event up to which an earlier full check vouched for the chain, when this check
    /// started after it.
    #[serde(default)]
    pub checkpoint: Option<i64>,
    /// The chain's newest event when the pack was made: an auditor who keeps the pack can
    /// show later that no event up to it was removed (`kopa audit verify --head`).
    #[serde(default)]
    pub head: Option<ChainHead>,
    /// Where the chain broke, if it did.
    pub chain_break: Option<String>,
    /// Records that differ from what the log says was written to them.
    pub records_not_matching: Vec<String>,
}

impl Verification {
    pub fn passed(&self) -> bool {
        self.chain_intact && self.records_not_matching.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AuditPack {
    pub format: String,
    pub generated_at: DateTime<Utc>,
    pub municipality: String,
    pub file: InstrumentFile,
    /// Every audit event about the instrument, its records and its partner, oldest first.
    pub trail: Vec<AuditEvent>,
    pub verification: Verification,
}

/// A pack as downloaded: the pack and the checksum of its canonical JSON.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SealedPack {
    pub checksum: Checksum,
    pub pack: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checksum {
    pub algorithm: String,
    /// Hex SHA-256 of the pack written as canonical JSON: keys sorted, no spaces.
    pub value: String,
}

/// Why a downloaded pack cannot be trusted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PackProblem {
    #[error("the file is not an audit pack: {0}")]
    Unreadable(String),
    #[error("the checksum does not match the content: the pack was changed after it was made")]
    ChecksumMismatch,
    #[error("audit event {0} does not match its own hash")]
    EventAltered(i64),
    #[error("when the pack was made, the audit log did not verify: {0}")]
    NotVerified(String),
}

impl AuditPack {
    /// Seals the pack as pretty JSON with its checksum.
    pub fn seal(&self) -> String {
        let pack = serde_json::to_value(self).unwrap_or(serde_json::Value::Null);
        let sealed = SealedPack {
            checksum: Checksum {
                algorithm: "sha256".into(),
                value: checksum(&pack),
            },
            pack,
        };
        serde_json::to_string_pretty(&sealed).unwrap_or_default()
    }
}

/// Checks a downloaded pack: its checksum, each audit event's own hash, and the
/// verification done when it was made. Returns the pack when everything holds.
pub fn verify_sealed(text: &str) -> Result<AuditPack, PackProblem> {
    let sealed: SealedPack = serde_json::from_str(text).map_err(|e| PackProblem::Unreadable(e.to_string()))?;
    if sealed.checksum.algorithm != "sha256" || checksum(&sealed.pack) != sealed.checksum.value {
        return Err(PackProblem::ChecksumMismatch);
    }
    let pack: AuditPack = serde_json::from_value(sealed.pack).map_err(|e| PackProblem::Unreadable(e.to_string()))?;
    if let Some(altered) = pack.trail.iter().find(|e| e.computed_hash() != e.hash) {
        return Err(PackProblem::EventAltered(altered.seq));
    }
    let verification = &pack.verification;
    if let Some(broken) = &verification.chain_break {
        return Err(PackProblem::NotVerified(broken.clone()));
    }
    if !verification.records_not_matching.is_empty() {
        return Err(PackProblem::NotVerified(format!(
            "records differ from the log: {}",
            verification.records_not_matching.join(", ")
        )));
    }
    Ok(pack)
}

fn checksum(value: &serde_json::Value) -> String {
    let mut text = String::new();
    write_canonical(value, &mut text);
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// JSON with object keys sorted, so the same content always hashes the same.
fn write_canonical(value: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(&map[key.as_str()], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_ignores_key_order() {
        let a: serde_json::Value = serde_json::from_str(r#"{"b":1,"a":{"d":[1,2],"c":"ā"}}"#).unwrap();
        let b: serde_json::Value = serde_json::from_str(r#"{"a":{"c":"ā","d":[1,2]},"b":1}"#).unwrap();
        assert_eq!(checksum(&a), checksum(&b));
        let c: serde_json::Value = serde_json::from_str(r#"{"a":{"c":"a","d":[1,2]},"b":1}"#).unwrap();
        assert_ne!(checksum(&a), checksum(&c));
    }

    #[test]
    fn a_pack_that_is_not_json_is_named_unreadable() {
        assert!(matches!(verify_sealed("%PDF-1.7"), Err(PackProblem::Unreadable(_))));
    }
}
