//! The translated words a document is built with. The web's pages and the command line each
//! say how to look a message up; dates, money and bilingual text are then worded the same way
//! everywhere.

use std::borrow::Borrow;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc};
use kopa_domain::money::format_euros;
use kopa_domain::plan::{Language, Names, PlanAction, Text};
use kopa_domain::validation::Code;

/// A value put into a message: whole numbers stay numbers, so that plural forms choose by them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Number(i64),
    Text(String),
}

impl Arg {
    /// A value as it goes into a message.
    pub fn of(value: impl ToString) -> Arg {
        let text = value.to_string();
        match text.parse::<i64>() {
            Ok(number) => Arg::Number(number),
            Err(_) => Arg::Text(text),
        }
    }
}

impl From<i64> for Arg {
    fn from(number: i64) -> Arg {
        Arg::Number(number)
    }
}

impl From<String> for Arg {
    fn from(text: String) -> Arg {
        Arg::Text(text)
    }
}

pub trait Words {
    /// The language the reader reads.
    fn language(&self) -> Language;

    /// The message `key` with its arguments.
    fn message(&self, key: &str, args: &[(&str, Arg)]) -> String;

    /// A moment recorded in UTC, as the workspace's clock showed it.
    fn local(&self, at: &DateTime<Utc>) -> NaiveDateTime;

    /// The language's code, for documents' metadata and money.
    fn lang(&self) -> &'static str {
        self.language().code()
    }

    fn t(&self, key: &str) -> String {
        self.message(key, &[])
    }

    /// A message with one argument.
    fn t1(&self, key: &str, name: &str, value: impl ToString) -> String {
        self.message(key, &[(name, Arg::of(value))])
    }

    /// Who made a change as the audit log names them: the part of Kopa that made it, and a
    /// visitor who was not signed in, in the reader's words.
    fn actor(&self, label: &str) -> String {
        use kopa_domain::audit::{SYSTEM_ACTOR, SystemActor, VISITOR_ACTOR};
        if let Some(part) = SystemActor::of_label(label) {
            return self.code("actor-system", part);
        }
        match label.strip_prefix(VISITOR_ACTOR) {
            _ if label == SYSTEM_ACTOR => self.t("actor-system"),
            Some(email) => self.t1("actor-visitor", "email", email),
            None => label.to_owned(),
        }
    }

    /// The label of a code, such as `instrument-kind-ppp`.
    fn code(&self, prefix: &str, value: impl std::fmt::Display) -> String {
        self.t(&format!("{prefix}-{value}"))
    }

    fn date(&self, date: impl Borrow<NaiveDate>) -> String {
        let date = date.borrow();
        match self.language() {
            Language::Lv => date.format("%d.%m.%Y.").to_string(),
            Language::En => format!(
                "{} {} {}",
                date.day(),
                self.t(&format!("month-{}", date.month())),
                date.year()
            ),
        }
    }

    fn datetime(&self, at: impl Borrow<NaiveDateTime>) -> String {
        let at = at.borrow();
        format!("{} {}", self.date(at.date()), at.format("%H:%M"))
    }

    fn money(&self, cents: i64) -> String {
        format_euros(cents, self.lang())
    }

    /// User-written text in the reader's language, or the other one marked with its code.
    fn label(&self, text: &Text) -> String {
        let shown = text.shown_in(self.language());
        match shown.fallback {
            Some(from) => format!("{} [{}]", shown.text, from.code().to_uppercase()),
            None if text.stale == Some(self.language()) => format!("{} [{}]", shown.text, self.t("translation-stale")),
            None => shown.text.to_owned(),
        }
    }

    /// What an action's saved scenario is expected to change, in one phrase; `None` for an
    /// action without one.
    fn expected_effect(&self, names: &Names, action: &PlanAction) -> Option<String> {
        let (title, expected) = names.scenarios.get(&action.scenario?)?;
        let gain = format!("{:+.1}", expected.gain());
        Some(self.message(
            "plan-expected-effect",
            &[("title", Arg::of(title)), ("gain", Arg::Text(gain))],
        ))
    }
}

/// A measured value as plans show it: at most two decimals, without trailing zeros.
pub fn number(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Words for tests and snapshots: every message is its key, with its arguments after it, so a
/// document's shape can be checked without depending on a translation.
#[derive(Debug, Clone, Copy)]
pub struct Keys(pub Language);

impl Words for Keys {
    fn language(&self) -> Language {
        self.0
    }

    fn message(&self, key: &str, args: &[(&str, Arg)]) -> String {
        let mut text = key.to_owned();
        for (name, value) in args {
            let value = match value {
                Arg::Number(n) => n.to_string(),
                Arg::Text(t) => t.clone(),
            };
            text.push_str(&format!(" {name}={value}"));
        }
        text
    }

    fn local(&self, at: &DateTime<Utc>) -> NaiveDateTime {
        at.naive_utc()
    }
}
