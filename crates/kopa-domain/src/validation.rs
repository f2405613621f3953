//! Input validation that names the faulty field, so forms and the API can say exactly what
//! is wrong. Messages are Fluent keys: the web layer renders them in the page's language.

use serde::Serialize;

/// One faulty field: its name and the Fluent key of the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// A rejected input with every faulty field at once.
#[derive(Debug, Clone, PartialEq, Eq, Default, thiserror::Error)]
#[error("invalid input: {}", .errors.iter().map(|e| format!("{} ({})", e.field, e.message)).collect::<Vec<_>>().join(", "))]
pub struct Invalid {
    pub errors: Vec<FieldError>,
}

/// The years a date Kopa keeps may fall in: a typing slip such as year 20201 or year 0 is
/// refused rather than kept.
pub const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// The shortest password an account may have.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Whether every backend can keep `text` as it is.
pub fn is_storable(text: &str) -> bool {
    !text.contains('\0')
}

impl Invalid {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn single(field: &str, message: &str) -> Self {
        let mut invalid = Self::new();
        invalid.add(field, message);
        invalid
    }

    pub fn add(&mut self, field: &str, message: &str) {
        self.errors.push(FieldError {
            field: field.to_owned(),
            message: message.to_owned(),
        });
    }

    /// The message for `field`, if it is faulty.
    pub fn message_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    /// `Ok(())` when nothing was added.
    pub fn into_result(self) -> Result<(), Invalid> {
        if self.errors.is_empty() { Ok(()) } else { Err(self) }
    }

    /// A required text field: trimmed, non-empty, at most `max` characters.
    pub fn required_text(&mut self, field: &str, value: &str, max: usize) -> String {
        let value = value.trim();
        if value.is_empty() {
            self.add(field, "error-required");
        } else if value.chars().count() > max {
            self.add(field, "error-too-long");
        } else {
            self.storable(field, value);
        }
        value.to_owned()
    }

    /// An optional text field: `None` when blank.
    pub fn optional_text(&mut self, field: &str, value: &str, max: usize) -> Option<String> {
        let value = value.trim();
        if value.chars().count() > max {
            self.add(field, "error-too-long");
        } else {
            self.storable(field, value);
        }
        (!value.is_empty()).then(|| value.to_owned())
    }

    /// Refuses text that a database cannot keep: PostgreSQL stores no NUL character, and
    /// Kopa keeps the same text on every backend.
    pub fn storable(&mut self, field: &str, value: &str) {
        if !is_storable(value) {
            self.add(field, "error-unstorable-text");
        }
    }

    /// A new password: at least [`MIN_PASSWORD_CHARS`] characters, and not absurdly long.
    pub fn new_password(&mut self, field: &str, value: &str) {
        if value.chars().count() < MIN_PASSWORD_CHARS {
            self.add(field, "error-password-short");
        } else if value.len() > 1000 {
            self.add(field, "error-too-long");
        }
    }

    /// An e-mail address: one `@` with text on both sides and a dot in the domain.
    pub fn email(&mut self, field: &str, value: &str) -> String {
        let value = value.trim().to_lowercase();
        let valid = match value.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !value.contains(char::is_whitespace)
                    && !domain.contains('@')
            }
            None => false,
        };
        if value.is_empty() {
            self.add(field, "error-required");
        } else if !valid || value.len() > 254 || !is_storable(&value) {
            self.add(field, "error-email");
        }
        value
    }

    /// A whole number within `range`.
    pub fn number_in(&mut self, field: &str, value: &str, range: std::ops::RangeInclusive<i64>) -> i64 {
        match value.trim().parse::<i64>() {
            Ok(n) if range.contains(&n) => n,
            Ok(_) => {
                self.add(field, "error-out-of-range");
                *range.start()
            }
            Err(_) => {
                self.add(field, "error-number");
                *range.start()
            }
        }
    }

    /// A calendar date written `YYYY-MM-DD`.
    pub fn date(&mut self, field: &str, value: &str) -> Option<chrono::NaiveDate> {
        let value = value.trim();
        if value.is_empty() {
            self.add(field, "error-required");
            return None;
        }
        let parsed = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").ok();
        match parsed {
            None => self.add(field, "error-date"),
            Some(date) if !PLAUSIBLE_YEARS.contains(&chrono::Datelike::year(&date)) => {
                self.add(field, "error-date-range")
            }
            Some(_) => {}
        }
        parsed
    }

    /// A date that may be left blank.
    pub fn optional_date(&mut self, field: &str, value: &str) -> Option<chrono::NaiveDate> {
        if value.trim().is_empty() {
            None
        } else {
            self.date(field, value)
        }
    }

    /// An amount of euros, `1500`, `1 500,50` or `1500.50`, as cents; never negative.
    pub fn euros(&mut self, field: &str, value: &str) -> i64 {
        match crate::money::parse_euros(value) {
            Some(cents) => cents,
            None if value.trim().is_empty() => {
                self.add(field, "error-required");
                0
            }
            None if value.trim().starts_with('-') => {
                self.add(field, "error-negative-amount");
                0
            }
            None => {
                self.add(field, "error-euros");
                0
            }
        }
    }

    /// One of the `allowed` codes, parsed with `parse`.
    pub fn choice<T>(&mut self, field: &str, value: &str, parse: impl Fn(&str) -> Option<T>) -> Option<T> {
        let parsed = parse(value.trim());
        if parsed.is_none() {
            self.add(field, "error-choice");
        }
        parsed
    }
}

/// Lenient readers for input fields: forms send text, JSON clients send numbers and booleans.
/// Both arrive as the text the validators expect.
pub mod lenient {
    use serde::{Deserialize, Deserializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Scalar {
        Text(String),
        Integer(i64),
        Float(f64),
        Flag(bool),
    }

    /// A string, number or boolean as text; null as empty.
    pub fn text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
        Ok(match Option::<Scalar>::deserialize(deserializer)? {
            None => String::new(),
            Some(Scalar::Text(text)) => text,
            Some(Scalar::Integer(n)) => n.to_string(),
            Some(Scalar::Float(n)) => n.to_string(),
            Some(Scalar::Flag(flag)) => flag.to_string(),
        })
    }

    /// A checkbox: present (`on`) or `true` means yes.
    pub fn flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
        Ok(match Option::<Scalar>::deserialize(deserializer)? {
            Some(Scalar::Flag(true)) => Some("on".into()),
            Some(Scalar::Flag(false)) | None => None,
            Some(Scalar::Text(text)) => Some(text),
            Some(Scalar::Integer(n)) => (n != 0).then(|| "on".into()),
            Some(Scalar::Float(n)) => (n != 0.0).then(|| "on".into()),
        })
    }
}

/// A closed list of codes that round-trips through text (database, forms, API).
pub trait Code: Sized + Copy + std::fmt::Display + 'static {
    const ALL: &'static [Self];
    fn code(self) -> &'static str;
    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }
}

/// Declares a closed enum with its text codes.
#[macro_export]
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        // One code for the database, forms and JSON alike.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        pub enum $name { $(#[serde(rename = $code)] #[schema(rename = $code)] $variant),+ }

        impl $crate::validation::Code for $name {
            const ALL: &'static [Self] = &[$(Self::$variant),+];
            fn code(self) -> &'static str {
                match self { $(Self::$variant => $code),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad($crate::validation::Code::code(*self))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_text_names_the_field() {
        let mut invalid = Invalid::new();
        invalid.required_text("title", "   ", 10);
        invalid.required_text("place", "a very long place name", 5);
        assert_eq!(invalid.message_for("title"), Some("error-required"));
        assert_eq!(invalid.message_for("place"), Some("error-too-long"));
        assert!(invalid.into_result().is_err());
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        let mut invalid = Invalid::new();
        assert_eq!(invalid.email("email", " Anna@Kekava.LV "), "anna@kekava.lv");
        assert!(invalid.errors.is_empty());
        for bad in [
            "anna",
            "anna@",
            "@kekava.lv",
            "anna@kekava",
            "an na@kekava.lv",
            "a@b@c.lv",
        ] {
            let mut invalid = Invalid::new();
            invalid.email("email", bad);
            assert_eq!(invalid.message_for("email"), Some("error-email"), "{bad}");
        }
    }

    #[test]
    fn numbers_outside_the_range_are_refused() {
        let mut invalid = Invalid::new();
        assert_eq!(invalid.number_in("power", "3", 1..=5), 3);
        invalid.number_in("interest", "7", 1..=5);
        invalid.number_in("capacity", "many", 1..=5);
        assert_eq!(invalid.message_for("interest"), Some("error-out-of-range"));
        assert_eq!(invalid.message_for("capacity"), Some("error-number"));
    }
}
