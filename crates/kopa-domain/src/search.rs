//! Full-text search that ignores case and diacritics, so that "kekava" finds "Ķekava" and
//! "rigas" finds "Rīgas".

/// Text as search compares it: Latin letters without diacritics, lower case, single spaces.
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text)
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A sort key for names in Latvian alphabetical order: č after c, ģ after g, ķ after k, ļ after
/// l, ņ after n, š after s, ž after z and y after i, while a long vowel sorts with its short one
/// and case only breaks ties (as the Unicode collation for Latvian has it).
pub fn latvian_order(text: &str) -> (Vec<u32>, Vec<u32>) {
    let mut letters = Vec::new();
    let mut marks = Vec::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let (base, own_letter) = match c {
            'č' => ('c', true),
            'ģ' => ('g', true),
            'ķ' => ('k', true),
            'ļ' => ('l', true),
            'ņ' => ('n', true),
            'š' => ('s', true),
            'ž' => ('z', true),
            'y' => ('i', true),
            c if c.is_ascii() => (c, false),
            c => (
                deunicode::deunicode_char(c).and_then(|s| s.chars().next()).unwrap_or(c),
                false,
            ),
        };
        letters.push(base as u32 * 2 + u32::from(own_letter));
        marks.push(u32::from(!c.is_ascii() && !own_letter));
    }
    (letters, marks)
}

/// A query: every word must occur somewhere in the text searched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    words: Vec<String>,
}

impl Query {
    pub fn new(text: &str) -> Query {
        Query {
            words: fold(text)
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Whether every word occurs in one of `fields`.
    pub fn matches<'a>(&self, fields: impl IntoIterator<Item = &'a str>) -> bool {
        if self.words.is_empty() {
            return true;
        }
        let text: String = fields.into_iter().map(fold).collect::<Vec<_>>().join(" ");
        self.words.iter().all(|word| text.contains(word.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_in_the_latvian_alphabet() {
        let mut names = [
            "Vecumnieki",
            "Ķekava",
            "Kalnciems",
            "Ābeles",
            "Baloži",
            "Čiekurkalns",
            "Cēsis",
            "Zaube",
            "Žagari",
            "Šķirotava",
            "Saulkrasti",
        ];
        names.sort_by_key(|n| latvian_order(n));
        assert_eq!(
            names,
            [
                "Ābeles",
                "Baloži",
                "Cēsis",
                "Čiekurkalns",
                "Kalnciems",
                "Ķekava",
                "Saulkrasti",
                "Šķirotava",
                "Vecumnieki",
                "Zaube",
                "Žagari"
            ]
        );
    }

    #[test]
    fn latvian_letters_fold_to_plain_latin() {
        assert_eq!(fold("Ķekavas  novads!"), "kekavas novads");
        assert_eq!(fold("Ā Č Ē Ģ Ī Ķ Ļ Ņ Š Ū Ž"), "a c e g i k l n s u z");
    }

    #[test]
    fn every_word_must_match_somewhere() {
        let query = Query::new("kekava velo");
        assert!(query.matches(["Velonovietne Ķekavā", ""]));
        assert!(query.matches(["Ķekava", "velosipēdu statīvi"]));
        assert!(!query.matches(["Ķekava", "gājēju pāreja"]));
        assert!(Query::new("  ").matches(["anything"]));
    }
}
