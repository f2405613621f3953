//! Amounts in euros, kept as whole cents so sums never drift.

/// Reads `1500`, `1 500`, `1500.5`, `1 500,50` or `€ 1500` as cents. Negative amounts, more
/// than two decimals and anything else are refused.
pub fn parse_euros(text: &str) -> Option<i64> {
    let cleaned: String = text
        .trim()
        .trim_start_matches('€')
        .trim_end_matches('€')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    if cleaned.is_empty() {
        return None;
    }
    let (whole, fraction) = match cleaned.rsplit_once([',', '.']) {
        Some((whole, fraction)) if fraction.len() <= 2 => (whole, fraction),
        Some(_) => return None,
        None => (cleaned.as_str(), ""),
    };
    if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) || !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let cents: i64 = format!("{fraction:0<2}").parse().ok()?;
    whole.checked_mul(100)?.checked_add(cents)
}

/// Cents as a reader expects them: `1 500,00 €` in Latvian, `€1,500.00` in English.
pub fn format_euros(cents: i64, locale: &str) -> String {
    let whole = (cents / 100).abs().to_string();
    let fraction = (cents % 100).abs();
    let group = if locale == "lv" { '\u{a0}' } else { ',' };
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(group);
        }
        grouped.push(digit);
    }
    let sign = if cents < 0 { "-" } else { "" };
    if locale == "lv" {
        format!("{sign}{grouped},{fraction:02}\u{a0}€")
    } else {
        format!("{sign}€{grouped}.{fraction:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_as_people_write_them() {
        assert_eq!(parse_euros("1500"), Some(150_000));
        assert_eq!(parse_euros("1 500,50"), Some(150_050));
        assert_eq!(parse_euros("1500.5"), Some(150_050));
        assert_eq!(parse_euros("€ 20"), Some(2_000));
        assert_eq!(parse_euros("0"), Some(0));
        for bad in ["", "-5", "1,234.5", "12.345", "abc", "1e3", ",50"] {
            assert_eq!(parse_euros(bad), None, "{bad}");
        }
    }

    #[test]
    fn amounts_are_written_in_the_readers_style() {
        assert_eq!(format_euros(150_050, "lv"), "1\u{a0}500,50\u{a0}€");
        assert_eq!(format_euros(150_050, "en"), "€1,500.50");
        assert_eq!(format_euros(123_456_789, "en"), "€1,234,567.89");
        assert_eq!(format_euros(5, "en"), "€0.05");
    }
}
