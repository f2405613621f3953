//! Working days under Latvia's law on public holidays, for publication deadlines. Holidays
//! that fall on a weekend are not made up, except 4 May and 18 November, which move to the
//! next Monday.

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// One-off public holidays declared by the Saeima (Parliament): Song and Dance Festival
/// closing days that fell on a working day, and the day after the 2023 hockey bronze.
const DECLARED_HOLIDAYS: [(i32, u32, u32); 1] = [(2023, 5, 29)];

fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a real calendar date")
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// A holiday that moves to Monday when it falls on a weekend.
fn moved_off_weekend(date: NaiveDate) -> NaiveDate {
    match date.weekday() {
        Weekday::Sat => date + Days::new(2),
        Weekday::Sun => date + Days::new(1),
        _ => date,
    }
}

/// Every Latvian public holiday of `year`, weekends included, in date order.
pub fn public_holidays(year: i32) -> Vec<NaiveDate> {
    let mut days = vec![
        day(year, 1, 1),
        day(year, 5, 1),
        day(year, 5, 4),
        day(year, 6, 23),
        day(year, 6, 24),
        day(year, 11, 18),
        day(year, 12, 24),
        day(year, 12, 25),
        day(year, 12, 26),
        day(year, 12, 31),
    ];
    days.extend([day(year, 5, 4), day(year, 11, 18)].map(moved_off_weekend));
    if let Ok(easter) = computus::gregorian_naive(year) {
        days.extend([easter - Days::new(2), easter, easter + Days::new(1)]);
    }
    days.extend(
        DECLARED_HOLIDAYS
            .iter()
            .filter(|(y, _, _)| *y == year)
            .map(|&(y, m, d)| day(y, m, d)),
    );
    days.sort();
    days.dedup();
    days
}

/// Monday to Friday and not a public holiday.
pub fn is_working_day(date: NaiveDate) -> bool {
    !is_weekend(date) && !public_holidays(date.year()).contains(&date)
}

/// The `count`th working day after `from`; `from` itself never counts.
pub fn add_working_days(from: NaiveDate, count: u32) -> NaiveDate {
    let mut date = from;
    let mut left = count;
    while left > 0 {
        date = date.succ_opt().expect("a date before the end of the calendar");
        if is_working_day(date) {
            left -= 1;
        }
    }
    date
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn moveable_feasts_follow_easter() {
        let holidays = public_holidays(2026);
        for easter_day in ["2026-04-03", "2026-04-05", "2026-04-06"] {
            assert!(holidays.contains(&on(easter_day)), "{easter_day}");
        }
        assert!(public_holidays(2021).contains(&on("2021-04-02")), "Good Friday 2021");
        assert!(public_holidays(2021).contains(&on("2021-04-05")), "Easter Monday 2021");
    }

    #[test]
    fn independence_days_on_a_weekend_move_to_monday() {
        // 4 May 2024 was a Saturday; 18 November 2023 a Saturday.
        assert!(!is_working_day(on("2024-05-06")));
        assert!(!is_working_day(on("2023-11-20")));
        // 23 June 2024 was a Sunday: Midsummer is not made up.
        assert!(is_working_day(on("2024-06-25")));
    }

    #[test]
    fn deadlines_span_easter() {
        // Accepted on Maundy Thursday 2026: Good Friday and Easter Monday do not count.
        assert_eq!(add_working_days(on("2026-04-02"), 5), on("2026-04-13"));
        // Accepted on Easter Monday itself.
        assert_eq!(add_working_days(on("2026-04-06"), 5), on("2026-04-13"));
    }

    #[test]
    fn deadlines_span_midsummer() {
        // 23 and 24 June 2026 are a Tuesday and a Wednesday.
        assert_eq!(add_working_days(on("2026-06-19"), 5), on("2026-06-30"));
        assert_eq!(add_working_days(on("2026-06-22"), 1), on("2026-06-25"));
    }

    #[test]
    fn deadlines_span_the_eighteenth_of_november() {
        // 18 November 2026 is a Wednesday.
        assert_eq!(add_working_days(on("2026-11-16"), 5), on("2026-11-24"));
        // 18 November 2029 is a Sunday, so Monday the 19th is the holiday.
        assert_eq!(add_working_days(on("2029-11-16"), 1), on("2029-11-20"));
    }

    #[test]
    fn deadlines_span_the_year_end() {
        // From Tuesday 22 Dec 2026: 24–25 Dec (Thu–Fri), 31 Dec and 1 Jan (Thu–Fri) do not count.
        assert_eq!(add_working_days(on("2026-12-22"), 5), on("2027-01-04"));
        // 2020, the year of the 2 December discussion, with the same weekdays.
        assert_eq!(add_working_days(on("2020-12-23"), 5), on("2021-01-05"));
    }

    #[test]
    fn declared_holidays_count() {
        assert!(!is_working_day(on("2023-05-29")));
        assert_eq!(add_working_days(on("2023-05-26"), 1), on("2023-05-30"));
    }

    #[test]
    fn an_ordinary_week_is_five_days() {
        assert_eq!(add_working_days(on("2026-03-02"), 5), on("2026-03-09"));
        assert_eq!(add_working_days(on("2026-03-07"), 0), on("2026-03-07"));
    }
}
