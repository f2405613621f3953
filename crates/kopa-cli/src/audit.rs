//! `kopa audit verify`: the whole hash chain walked, and held against the heads seen before,
//! so that deleting the log's last events cannot pass unnoticed.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use kopa_domain::audit::ChainHead;
use kopa_store::Store;

pub async fn verify(store: &Store, mut heads: Vec<ChainHead>, witness: Option<&Path>) -> Result<ExitCode> {
    if let Some(file) = witness {
        heads.extend(witnessed(file)?);
    }
    let report = store.verify_audit_chain_against(&heads).await?;
    match &report.confirmed {
        Some(head) => println!("Confirmed: every event up to {} is as it was seen before.", head.seq),
        None if heads.is_empty() => {}
        None => println!("No head seen before could be confirmed."),
    }
    if let Some(broken) = report.broken {
        println!("The audit chain is broken: {broken}.");
        println!("The {} events before it are intact.", report.events_checked);
        return Ok(ExitCode::from(2));
    }
    println!("The audit chain is intact: {} events checked.", report.events_checked);
    if let Some(head) = &report.head {
        println!("Its head is {head}");
        println!("Keep that line outside the database; `kopa audit verify --head` confirms it later.");
        if let Some(file) = witness {
            let mut out = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(file)
                .with_context(|| format!("opening the witness file {}", file.display()))?;
            writeln!(out, "{head} {}", chrono::Utc::now().to_rfc3339())
                .with_context(|| format!("writing to the witness file {}", file.display()))?;
            println!("Added to the witness file {}.", file.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The heads in a witness file: `seq:hash`, then anything (when it was seen), a line each. A
/// line that is not one is an error that names it, so that a damaged witness is not ignored.
fn witnessed(file: &Path) -> Result<Vec<ChainHead>> {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("reading the witness file {}", file.display())),
    };
    let mut heads = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let Some(head) = line.split_whitespace().next() else {
            continue;
        };
        let head = head
            .parse()
            .map_err(anyhow::Error::msg)
            .with_context(|| format!("line {} of the witness file {}", n + 1, file.display()))?;
        heads.push(head);
    }
    Ok(heads)
}
