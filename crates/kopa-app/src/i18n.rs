//! Interface strings from the Fluent files in `locales/`, one per language with the same keys.

use std::collections::HashMap;

pub use fluent_bundle::FluentValue;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use kopa_domain::plan::Language;
use kopa_domain::workspace::Workspace;
use kopa_report::{Arg, Words};
use unic_langid::LanguageIdentifier;

/// The interface languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Locale {
    Lv,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Lv, Locale::En];

    /// The language user-written plan text is shown in for this interface language.
    pub fn language(self) -> kopa_domain::plan::Language {
        match self {
            Locale::Lv => kopa_domain::plan::Language::Lv,
            Locale::En => kopa_domain::plan::Language::En,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Locale::Lv => "lv",
            Locale::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Locale> {
        match code.trim().to_ascii_lowercase().as_str() {
            "lv" => Some(Locale::Lv),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// The first supported language in an `Accept-Language` header.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        header
            .split(',')
            .filter_map(|part| part.split(';').next())
            .find_map(|tag| {
                let primary = tag.trim().split('-').next().unwrap_or_default();
                Locale::from_code(primary)
            })
    }

    fn source(self) -> &'static str {
        match self {
            Locale::Lv => include_str!("../locales/lv.ftl"),
            Locale::En => include_str!("../locales/en.ftl"),
        }
    }
}

pub struct I18n {
    bundles: HashMap<Locale, FluentBundle<FluentResource>>,
}

/// A Fluent file failed to parse: a developer's mistake, found by the tests.
#[derive(Debug, thiserror::Error)]
#[error("the {locale} Fluent file has errors: {errors}")]
pub struct BadFluentFile {
    locale: &'static str,
    errors: String,
}

impl I18n {
    pub fn load() -> Result<I18n, BadFluentFile> {
        let mut bundles = HashMap::new();
        for locale in Locale::ALL {
            let bad = |errors: String| BadFluentFile {
                locale: locale.code(),
                errors,
            };
            let resource =
                FluentResource::try_new(locale.source().to_owned()).map_err(|(_, e)| bad(format!("{e:?}")))?;
            let language: LanguageIdentifier = locale.code().parse().map_err(|e| bad(format!("{e:?}")))?;
            let mut bundle = FluentBundle::new_concurrent(vec![language]);
            // No bidi isolation marks: both languages are left-to-right and the text goes into HTML.
            bundle.set_use_isolating(false);
            bundle.add_resource(resource).map_err(|e| bad(format!("{e:?}")))?;
            bundles.insert(locale, bundle);
        }
        Ok(I18n { bundles })
    }

    /// The message for `key`, or the key itself when it is missing, so a gap shows instead of
    /// breaking the page.
    pub fn text(&self, locale: Locale, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let Some(bundle) = self.bundles.get(&locale) else {
            return key.to_owned();
        };
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            return key.to_owned();
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, (!args.is_empty()).then_some(&fluent_args), &mut errors)
            .into_owned()
    }

    /// The message for `key` with a document's arguments.
    pub fn message(&self, locale: Locale, key: &str, args: &[(&str, Arg)]) -> String {
        let args: Vec<(&str, FluentValue)> = args
            .iter()
            .map(|(name, value)| {
                let value = match value {
                    Arg::Number(n) => FluentValue::from(*n),
                    Arg::Text(t) => FluentValue::from(t.as_str()),
                };
                (*name, value)
            })
            .collect();
        self.text(locale, key, &args)
    }

    /// Every message key of one language, for the parity test.
    pub fn keys(locale: Locale) -> Vec<String> {
        let resource = FluentResource::try_new(locale.source().to_owned()).unwrap_or_else(|(r, _)| r);
        resource
            .entries()
            .filter_map(|entry| match entry {
                fluent_syntax::ast::Entry::Message(message) => Some(message.id.name.to_owned()),
                _ => None,
            })
            .collect()
    }
}

/// The clock a workspace keeps.
pub fn zone(workspace: &Workspace) -> chrono_tz::Tz {
    workspace.time_zone.parse().unwrap_or(chrono_tz::Europe::Riga)
}

/// A reader's words from the Fluent files, with their workspace's clock: what documents made
/// outside a web page are worded with.
pub struct Wording<'a> {
    pub i18n: &'a I18n,
    pub locale: Locale,
    pub zone: chrono_tz::Tz,
}

impl Words for Wording<'_> {
    fn language(&self) -> Language {
        self.locale.language()
    }

    fn message(&self, key: &str, args: &[(&str, Arg)]) -> String {
        self.i18n.message(self.locale, key, args)
    }

    fn local(&self, at: &chrono::DateTime<chrono::Utc>) -> chrono::NaiveDateTime {
        at.with_timezone(&self.zone).naive_local()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_keys() {
        let mut lv = I18n::keys(Locale::Lv);
        let mut en = I18n::keys(Locale::En);
        lv.sort();
        en.sort();
        let only_lv: Vec<&String> = lv.iter().filter(|k| !en.contains(k)).collect();
        let only_en: Vec<&String> = en.iter().filter(|k| !lv.contains(k)).collect();
        assert!(
            only_lv.is_empty() && only_en.is_empty(),
            "only in lv: {only_lv:?}; only in en: {only_en:?}"
        );
        assert!(lv.len() > 100, "expected the whole interface, found {} keys", lv.len());
    }

    /// The glossary (`locales/GLOSSARY.md`) keeps "pieteikties" for registering for a meeting:
    /// signing in is "pieslēgties" and signing up "reģistrēties", and English never logs in.
    #[test]
    fn the_messages_keep_to_the_glossary() {
        let i18n = I18n::load().unwrap();
        let registering = [
            "registration",
            "meeting-regist",
            "meeting-capacity",
            "error-already-registered",
            "error-registration",
        ];
        for key in I18n::keys(Locale::Lv) {
            let lv = i18n.text(Locale::Lv, &key, &[]).to_lowercase();
            if lv.contains("pieteik") || lv.contains("piesak") {
                assert!(
                    registering.iter().any(|k| key.starts_with(k)) || key == "funding-status-applied",
                    "{key} says \"{lv}\": the glossary keeps pieteikties for meetings"
                );
            }
            let en = i18n.text(Locale::En, &key, &[]).to_lowercase();
            for word in ["log in", "login", "log out", "logout"] {
                assert!(
                    !en.contains(word),
                    "{key} says \"{en}\": the glossary says sign in and sign out"
                );
            }
        }
        assert_eq!(i18n.text(Locale::Lv, "sign-in", &[]), "Pieslēgties");
    }

    #[test]
    fn the_files_parse_and_translate() {
        let i18n = I18n::load().unwrap();
        assert_eq!(i18n.text(Locale::Lv, "nav-meetings", &[]), "Sanāksmes");
        assert_eq!(i18n.text(Locale::En, "nav-meetings", &[]), "Meetings");
        assert_eq!(i18n.text(Locale::En, "no-such-key", &[]), "no-such-key");
    }

    #[test]
    fn accept_language_picks_the_first_known_language() {
        assert_eq!(
            Locale::from_accept_language("de-DE,en-GB;q=0.8,lv;q=0.5"),
            Some(Locale::En)
        );
        assert_eq!(Locale::from_accept_language("lv-LV"), Some(Locale::Lv));
        assert_eq!(Locale::from_accept_language("fr"), None);
    }
}
