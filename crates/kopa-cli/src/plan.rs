//! `kopa plan export`: one version of a workspace's plan as a document, made by the same use
//! case as the plan page's downloads, so the file is the one a reader of the site gets.

use std::path::PathBuf;

use anyhow::Context;
use kopa_app::{App, Locale, Refusal};
use kopa_report::Format;

#[derive(clap::Subcommand)]
pub enum PlanCommand {
    /// Write a version of the plan as PDF, Word or HTML. It is read as the account --as names,
    /// with that account's role; without --as, as a visitor, who reads the published version.
    Export {
        /// The workspace's short name, e.g. kekava.
        workspace: String,
        /// The version's number; without it, the newest the reader may read.
        #[arg(long)]
        version: Option<i64>,
        /// The document's language.
        #[arg(long, default_value = "lv", value_parser = ["lv", "en"])]
        language: String,
        #[arg(long, default_value = "pdf", value_parser = ["pdf", "docx", "html"])]
        format: String,
        /// Where to write it; without it, WORKSPACE-iap-vVERSION-LANGUAGE.FORMAT here.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Read as the account with this e-mail.
        #[arg(long = "as")]
        reader: Option<String>,
    },
}

pub async fn run(app: &App, command: PlanCommand) -> anyhow::Result<()> {
    let PlanCommand::Export {
        workspace,
        version,
        language,
        format,
        output,
        reader,
    } = command;
    let locale = Locale::from_code(&language).context("the language is lv or en")?;
    let format = Format::from_extension(&format).context("the format is pdf, docx or html")?;
    let said = |refusal| explain(app, refusal);
    let caller = app.caller_at(&workspace, reader.as_deref()).await;
    let caller = caller.map_err(|refusal| said(refusal).context(format!("reading {workspace:?}")))?;
    let number = match version {
        Some(number) => number,
        None => match app.current_plan(&caller).await.map_err(said)? {
            Some(current) => current.info.number,
            None => anyhow::bail!("{workspace} has not started its plan yet"),
        },
    };
    let words = app.wording(&caller, locale);
    let report = app.plan_report(&caller, number, &words).await.map_err(said)?;
    let bytes = tokio::task::spawn_blocking(move || kopa_report::write(&report, format)).await??;
    let output = output.unwrap_or_else(|| {
        PathBuf::from(format!(
            "{workspace}-iap-v{number}-{}.{}",
            locale.code(),
            format.extension()
        ))
    });
    std::fs::write(&output, bytes).with_context(|| format!("writing {}", output.display()))?;
    println!("Wrote version {number} of {workspace}'s plan to {}.", output.display());
    Ok(())
}

/// A refusal in the words a page would use.
pub(crate) fn explain(app: &App, refusal: Refusal) -> anyhow::Error {
    let key = match &refusal {
        Refusal::SignInRequired => "error-sign-in-required",
        Refusal::Forbidden => "error-forbidden",
        Refusal::NotFound => "error-not-found",
        Refusal::Refused(key) => key,
        Refusal::Invalid(_) | Refusal::SlowDown { .. } | Refusal::Store(_) => return anyhow::anyhow!(refusal),
    };
    anyhow::anyhow!(app.i18n.text(Locale::En, key, &[]))
}
