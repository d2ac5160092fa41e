//! Time expressions ("on Tuesday", "in 2018", "Jan. 20", "last week") and their resolution
//! against the article's publication date.
//!
//! A resolved value ([`TimeRef::value`]) is one of
//!
//! | form | example | meaning | RDF (`src/rdf/mapping.rs`) |
//! |---|---|---|---|
//! | `YYYY-MM-DD` | "on Tuesday", "Jan. 20", "yesterday" | one day | `ng:date` `xsd:date` |
//! | `YYYY-MM` | "January 2023", "last month", "in March" | a month | `ng:date` `xsd:gYearMonth` |
//! | `YYYY` | "in 2018", "last year" | a year | `ng:date` `xsd:gYear` |
//! | `YYYY-MM-DD/YYYY-MM-DD` | "last week", "earlier this week" | days, both ends included | `ng:dateStart`, `ng:dateEnd` `xsd:date` |
//!
//! A week is an interval, not its Monday: "last week" says the event happened on one of
//! seven days, and a single date would claim more than the text does. Weeks run Monday to
//! Sunday (ISO 8601).
//!
//! Without an article date, or for expressions no calendar can resolve ("on his final
//! morning in office", "during his first week in office"), the value is `None` and only the
//! text is kept.
//!
//! Resolution rules, the usual ones for news text:
//! - A bare weekday ("on Tuesday", "Friday night") is the most recent such day on or before
//!   the article date: news reports what happened, and "Tuesday" in a Tuesday paper is that
//!   day. "last Tuesday" is strictly before it. "next Tuesday" and "by Tuesday" (a deadline)
//!   are the first such day after it.
//! - A month and day without a year ("Jan. 20") take the year that puts them closest to the
//!   article date, the earlier on a tie: "Jan. 20" in a paper of 2025-01-28 is 2025-01-20,
//!   "Dec. 30" in one of 2025-01-05 is 2024-12-30, "Feb. 10" in one of 2025-01-28 is
//!   2025-02-10. A month without day or year ("in March") is resolved the same way.

use crate::ir::TimeRef;

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
/// Parts of a day after a weekday: "Friday night" is still Friday.
const DAY_PARTS: [&str; 4] = ["morning", "afternoon", "evening", "night"];

/// The article date as (year, month, day).
pub type Ymd = (i32, u32, u32);

/// A time expression found in a sentence: token range and meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeMention {
    pub tokens: std::ops::Range<usize>,
    pub time: TimeRef,
}

fn month_index(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&w) && (w.len() == m.len() || w.len() <= 4))
        .map(|i| i as u32 + 1)
}

/// A capitalized weekday ("Wednesday").
pub fn weekday_word(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
        && WEEKDAYS.contains(&word.to_lowercase().as_str())
}

/// A capitalized month name or abbreviation ("Jan.", "January"); lower-case "may" is a verb.
pub fn month_word(word: &str) -> Option<u32> {
    if word.chars().next().is_some_and(char::is_uppercase) {
        month_index(word)
    } else {
        None
    }
}

fn day_number(word: &str) -> Option<u32> {
    (word.len() <= 2)
        .then(|| word.parse::<u32>().ok())
        .flatten()
        .filter(|d| (1..=31).contains(d))
}

/// "two" or "2", for "two weeks ago".
fn count(word: &str) -> Option<i64> {
    const WORDS: [&str; 10] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    let w = word.to_lowercase();
    if let Some(i) = WORDS.iter().position(|n| *n == w) {
        return Some(i as i64 + 1);
    }
    (w.len() <= 2)
        .then(|| w.parse::<i64>().ok())
        .flatten()
        .filter(|n| *n >= 1)
}

/// Finds time expressions among the sentence's `words`; `date` is the article date.
pub fn find(words: &[&str], date: Option<Ymd>) -> Vec<TimeMention> {
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let at = |k: usize| lower.get(k).map(String::as_str).unwrap_or("");
    let today = date.map(days_from_civil);
    let mut found = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = at(i);
        // "on his final morning in office": a time only the reader's knowledge resolves.
        if let Some(end) = tenure_phrase(&lower, words, i) {
            found.push(mention(words, i..end, None));
            i = end;
            continue;
        }
        // Weekday, optionally preceded by on/last/this/next/by and followed by a part of day.
        if let Some(day) = WEEKDAYS.iter().position(|d| *d == w) {
            let before = if i > 0 { at(i - 1) } else { "" };
            let start = if matches!(before, "on" | "last" | "this" | "next" | "by") {
                i - 1
            } else {
                i
            };
            let end = if DAY_PARTS.contains(&at(i + 1)) {
                i + 2
            } else {
                i + 1
            };
            let value = today.map(|t| {
                let back = (weekday_of(t) + 7 - day as i64) % 7;
                let resolved = match before {
                    "last" if back == 0 => t - 7,
                    "next" | "by" => t + 7 - back,
                    _ => t - back,
                };
                format_days(resolved)
            });
            found.push(mention(words, start..end, value));
            i = end;
            continue;
        }
        if let Some((start, end, value)) = month_expression(&lower, words, i, date) {
            found.push(mention(words, start..end, value));
            i = end;
            continue;
        }
        // Day Month [Year]: "28 January 2025", "on 28 January".
        if let (Some(d), Some(m)) = (
            day_number(words[i]),
            words.get(i + 1).and_then(|w| month_word(w)),
        ) {
            let year = words.get(i + 2).and_then(|w| parse_year(w));
            if year.is_some() || (i > 0 && at(i - 1) == "on") {
                let end = i + 2 + usize::from(year.is_some());
                let value = match year {
                    Some(y) => ymd(y, m, d),
                    None => date.and_then(|a| nearest_day(a, m, d)),
                };
                let start = if i > 0 && at(i - 1) == "on" { i - 1 } else { i };
                found.push(mention(words, start..end, value));
                i = end;
                continue;
            }
        }
        // in 2018 / since 2020 / in early 2019
        if matches!(w, "in" | "since" | "until" | "by" | "during") {
            let skip = usize::from(matches!(at(i + 1), "early" | "late" | "mid"));
            if let Some(y) = words.get(i + 1 + skip).and_then(|w| parse_year(w)) {
                let end = i + 2 + skip;
                found.push(mention(words, i..end, Some(format!("{y:04}"))));
                i = end;
                continue;
            }
        }
        // last week / this month / next year / earlier this week
        let (dir, unit_at) = match (w, at(i + 1)) {
            ("earlier" | "later", "this") => (w, i + 2),
            ("last" | "next" | "this" | "past", _) => (w, i + 1),
            _ => ("", 0),
        };
        if !dir.is_empty() && matches!(at(unit_at), "week" | "month" | "year") {
            let value = date.and_then(|d| relative(d, dir, at(unit_at)));
            found.push(mention(words, i..unit_at + 1, value));
            i = unit_at + 1;
            continue;
        }
        // two weeks ago / three days ago
        if let Some(n) = count(words[i]) {
            let unit = at(i + 1).trim_end_matches('s');
            if at(i + 2) == "ago" && matches!(unit, "day" | "week" | "month" | "year") {
                let value = date.map(|d| ago(d, n, unit));
                found.push(mention(words, i..i + 3, value));
                i += 3;
                continue;
            }
        }
        // yesterday / today / tonight / this morning — but not "today's military".
        let possessive = matches!(at(i + 1), "'s" | "’s");
        if matches!(w, "yesterday" | "today" | "tonight") && !possessive {
            let value = today.map(|t| format_days(t - i64::from(w == "yesterday")));
            found.push(mention(words, i..i + 1, value));
        } else if w == "this" && DAY_PARTS.contains(&at(i + 1)) {
            found.push(mention(words, i..i + 2, today.map(format_days)));
            i += 2;
            continue;
        }
        i += 1;
    }
    found
}

/// "Jan. 20", "March 3, 2019", "January 2023", "in March", "last January" around the month
/// name at `i`: the token range and the value.
fn month_expression(
    lower: &[String],
    words: &[&str],
    i: usize,
    date: Option<Ymd>,
) -> Option<(usize, usize, Option<String>)> {
    let month = month_word(words[i])?;
    let day = words.get(i + 1).and_then(|w| day_number(w));
    let mut end = i + 1 + usize::from(day.is_some());
    let mut j = end;
    if words.get(j) == Some(&",") {
        j += 1;
    }
    let year = words.get(j).and_then(|w| parse_year(w));
    if year.is_some() {
        end = j + 1;
    }
    let before = if i > 0 { lower[i - 1].as_str() } else { "" };
    let value = match (day, year) {
        (Some(d), Some(y)) => ymd(y, month, d),
        (Some(d), None) => date.and_then(|a| nearest_day(a, month, d)),
        (None, Some(y)) => Some(format!("{y:04}-{month:02}")),
        // A month alone is a time only after a word that makes it one ("in May", not "May I").
        (None, None) => {
            let y = match before {
                "in" | "since" | "until" | "by" | "during" | "early" | "late" | "mid" => {
                    date.map(|a| nearest_month(a, month))
                }
                "last" => date.map(|a| a.0 - i32::from(month >= a.1)),
                "next" => date.map(|a| a.0 + i32::from(month <= a.1)),
                _ => return None,
            };
            return Some((i - 1, end, y.map(|y| format!("{y:04}-{month:02}"))));
        }
    };
    let start = if before == "on" { i - 1 } else { i };
    Some((start, end, value))
}

/// "on his final morning in office", "during his first week in office", "in only his second
/// full day on the job", "On former President Joe Biden’s final morning in office": times
/// measured from someone's tenure, which the text does not date. Returns the end token.
fn tenure_phrase(lower: &[String], words: &[&str], i: usize) -> Option<usize> {
    let at = |k: usize| lower.get(k).map(String::as_str).unwrap_or("");
    if !matches!(at(i), "on" | "in" | "during") {
        return None;
    }
    let mut j = i + 1;
    if at(j) == "only" {
        j += 1;
    }
    if matches!(at(j), "his" | "her" | "their" | "its") {
        j += 1;
    } else {
        // A named possessor: up to six words of a name or title, then "’s".
        let limit = (j + 6).min(words.len());
        let k = (j..limit).find(|&k| matches!(at(k), "'s" | "’s"))?;
        let name_like = (j..k).all(|n| {
            words[n].chars().next().is_some_and(char::is_uppercase)
                || matches!(at(n), "former" | "the" | "then" | "late")
        });
        if k == j || !name_like {
            return None;
        }
        j = k + 1;
    }
    if !matches!(
        at(j),
        "first" | "final" | "last" | "second" | "third" | "opening" | "closing"
    ) {
        return None;
    }
    j += 1;
    if at(j) == "full" {
        j += 1;
    }
    if !matches!(
        at(j).trim_end_matches('s'),
        "morning" | "afternoon" | "evening" | "night" | "day" | "week" | "month" | "year" | "hour"
    ) {
        return None;
    }
    j += 1;
    for tail in [
        &["in", "office"][..],
        &["on", "the", "job"],
        &["in", "power"],
    ] {
        if tail.iter().enumerate().all(|(n, t)| at(j + n) == *t) {
            j += tail.len();
            break;
        }
    }
    Some(j)
}

/// last/this/next/past week, month or year; "earlier"/"later" this week.
fn relative(d: Ymd, dir: &str, unit: &str) -> Option<String> {
    let t = days_from_civil(d);
    let monday = t - weekday_of(t);
    match (unit, dir) {
        ("week", "last") => Some(interval(monday - 7, monday - 1)),
        ("week", "this") => Some(interval(monday, monday + 6)),
        ("week", "next") => Some(interval(monday + 7, monday + 13)),
        // "earlier this week": from Monday up to the article; "later": from it to Sunday.
        ("week", "earlier") => Some(interval(monday, t)),
        ("week", "later") => Some(interval(t, monday + 6)),
        // "the past week": the seven days before the article.
        ("week", "past") => Some(interval(t - 7, t - 1)),
        ("month", "last") => Some(year_month(d, -1)),
        ("month", "next") => Some(year_month(d, 1)),
        ("month", "this" | "earlier" | "later") => Some(year_month(d, 0)),
        ("year", "last") => Some(format!("{:04}", d.0 - 1)),
        ("year", "next") => Some(format!("{:04}", d.0 + 1)),
        ("year", "this" | "earlier" | "later") => Some(format!("{:04}", d.0)),
        // "the past month/year" is a span ending today, not a calendar unit: left as text.
        _ => None,
    }
}

/// "N days/weeks/months/years ago". "Two weeks ago" is vague by a few days, so it is the
/// week (Monday to Sunday) holding the day fourteen days back, not that day.
fn ago(d: Ymd, n: i64, unit: &str) -> String {
    let t = days_from_civil(d);
    match unit {
        "day" => format_days(t - n),
        "week" => {
            let back = t - 7 * n;
            let monday = back - weekday_of(back);
            interval(monday, monday + 6)
        }
        "month" => year_month(d, -n),
        _ => format!("{:04}", i64::from(d.0) - n),
    }
}

fn year_month(d: Ymd, shift: i64) -> String {
    let m = i64::from(d.1) - 1 + shift;
    let (y, m) = (i64::from(d.0) + m.div_euclid(12), m.rem_euclid(12) + 1);
    format!("{y:04}-{m:02}")
}

fn interval(from: i64, to: i64) -> String {
    format!("{}/{}", format_days(from), format_days(to))
}

/// The year (article year, the one before or after) that puts month/day closest to the
/// article date; the earlier on a tie. `None` for a day that year's month does not have
/// ("Feb. 29" nearest to a 2025 paper is in 2025, which has none; not the one in 2024).
fn nearest_day(a: Ymd, m: u32, d: u32) -> Option<String> {
    let t = days_from_civil(a);
    // Day 28 exists in every month, so every candidate year can be measured.
    let y = [a.0 - 1, a.0, a.0 + 1]
        .into_iter()
        .min_by_key(|&y| (days_from_civil((y, m, d.min(28))) - t).abs())?;
    ymd(y, m, d)
}

/// The year that puts the month closest to the article's month; the earlier on a tie.
fn nearest_month(a: Ymd, m: u32) -> i32 {
    let here = i64::from(a.0) * 12 + i64::from(a.1);
    [a.0 - 1, a.0, a.0 + 1]
        .into_iter()
        .min_by_key(|&y| (i64::from(y) * 12 + i64::from(m) - here).abs())
        .unwrap_or(a.0)
}

/// `YYYY-MM-DD` for a real day, else `None` ("Feb. 30" stays text).
fn ymd(y: i32, m: u32, d: u32) -> Option<String> {
    crate::source::is_valid_date(y, m, d).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

fn mention(words: &[&str], tokens: std::ops::Range<usize>, value: Option<String>) -> TimeMention {
    let text = words[tokens.clone()].join(" ");
    TimeMention {
        tokens,
        time: TimeRef { text, value },
    }
}

fn parse_year(w: &str) -> Option<i32> {
    (w.len() == 4)
        .then(|| w.parse::<i32>().ok())
        .flatten()
        .filter(|y| (1800..=2100).contains(y))
}

/// Parses a strict `YYYY-MM-DD` naming a real day (the document's date).
pub fn parse_date(s: &str) -> Option<Ymd> {
    crate::source::parse_ymd(s)
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil((y, m, d): Ymd) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn format_days(z: i64) -> String {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Day of the week of a day number, 0 = Monday.
fn weekday_of(days: i64) -> i64 {
    (days + 3).rem_euclid(7)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: Option<Ymd> = Some((2025, 1, 28)); // a Tuesday

    fn values_at(sentence: &str, date: Option<Ymd>) -> Vec<(String, Option<String>)> {
        let words: Vec<&str> = sentence.split(' ').collect();
        find(&words, date)
            .into_iter()
            .map(|m| (m.time.text, m.time.value))
            .collect()
    }

    fn values(sentence: &str) -> Vec<(String, Option<String>)> {
        values_at(sentence, ARTICLE)
    }

    fn value(sentence: &str) -> Option<String> {
        values(sentence).into_iter().next().and_then(|v| v.1)
    }

    fn pair(text: &str, value: Option<&str>) -> (String, Option<String>) {
        (text.to_owned(), value.map(str::to_owned))
    }

    #[test]
    fn resolves_weekdays_against_the_article_date() {
        assert_eq!(weekday_of(days_from_civil((2025, 1, 28))), 1);
        assert_eq!(
            values("Hegseth on Tuesday revoked"),
            [pair("on Tuesday", Some("2025-01-28"))]
        );
        assert_eq!(
            values("In a Friday night purge"),
            [pair("Friday night", Some("2025-01-24"))]
        );
        assert_eq!(
            values("As of Tuesday afternoon ,"),
            [pair("Tuesday afternoon", Some("2025-01-28"))]
        );
        assert_eq!(value("on Sunday"), Some("2025-01-26".into()));
        assert_eq!(value("on Wednesday"), Some("2025-01-22".into()));
        assert_eq!(value("last Tuesday"), Some("2025-01-21".into()));
        assert_eq!(value("last Monday"), Some("2025-01-27".into()));
        assert_eq!(value("next Tuesday"), Some("2025-02-04".into()));
        assert_eq!(
            values("would be open by Monday"),
            [pair("by Monday", Some("2025-02-03"))]
        );
    }

    #[test]
    fn weeks_are_intervals() {
        assert_eq!(
            values("inaugurated last week ,"),
            [pair("last week", Some("2025-01-20/2025-01-26"))]
        );
        assert_eq!(value("this week"), Some("2025-01-27/2025-02-02".into()));
        assert_eq!(
            value("earlier this week"),
            Some("2025-01-27/2025-01-28".into())
        );
        assert_eq!(value("next week"), Some("2025-02-03/2025-02-09".into()));
        assert_eq!(value("the past week"), Some("2025-01-21/2025-01-27".into()));
        // The sample's "suspended two weeks ago", written on 2025-01-28 about 2025-01-14.
        assert_eq!(
            values("suspended two weeks ago"),
            [pair("two weeks ago", Some("2025-01-13/2025-01-19"))]
        );
        // Across a year boundary.
        assert_eq!(
            values_at("last week", Some((2025, 1, 1))),
            [pair("last week", Some("2024-12-23/2024-12-29"))]
        );
    }

    #[test]
    fn years_months_and_relative_days() {
        assert_eq!(
            values("nominated Milley in 2018"),
            [pair("in 2018", Some("2018"))]
        );
        assert_eq!(value("in early 2019 ,"), Some("2019".into()));
        assert_eq!(
            values("on Jan. 20 ,"),
            [pair("on Jan. 20", Some("2025-01-20"))]
        );
        assert_eq!(value("March 3 , 2019"), Some("2019-03-03".into()));
        assert_eq!(value("in January 2023"), Some("2023-01".into()));
        assert_eq!(value("on 28 January 2025"), Some("2025-01-28".into()));
        assert_eq!(value("on 20 January"), Some("2025-01-20".into()));
        assert_eq!(value("last year"), Some("2024".into()));
        assert_eq!(value("last month"), Some("2024-12".into()));
        assert_eq!(value("earlier this month"), Some("2025-01".into()));
        assert_eq!(value("yesterday"), Some("2025-01-27".into()));
        assert_eq!(value("today"), Some("2025-01-28".into()));
        assert_eq!(value("this morning"), Some("2025-01-28".into()));
        assert_eq!(value("three days ago"), Some("2025-01-25".into()));
        assert!(values("today ’s military").is_empty());
        assert!(values("May I go").is_empty());
        assert!(values("the past month").iter().all(|v| v.1.is_none()));
    }

    #[test]
    fn month_day_without_year_takes_the_nearest_year() {
        // A hearing scheduled "for Feb. 10" in a January paper is ahead, in the same year.
        assert_eq!(value("for Feb. 10 ."), Some("2025-02-10".into()));
        // "Dec. 30" in an early-January paper is the one just past.
        assert_eq!(
            values_at("on Dec. 30", Some((2025, 1, 5)))[0].1.as_deref(),
            Some("2024-12-30")
        );
        // "Jan. 3" in a late-December paper is the one just ahead.
        assert_eq!(
            values_at("on Jan. 3", Some((2024, 12, 28)))[0].1.as_deref(),
            Some("2025-01-03")
        );
        assert_eq!(values("in March ,"), [pair("in March", Some("2025-03"))]);
        assert_eq!(value("in December"), Some("2024-12".into()));
        assert_eq!(value("last January"), Some("2024-01".into()));
        assert_eq!(value("next January"), Some("2026-01".into()));
        // A day the month does not have stays text.
        assert_eq!(values("on Feb. 30"), [pair("on Feb. 30", None)]);
        assert_eq!(value("on Feb. 29"), None);
        assert_eq!(
            values_at("on Feb. 29", Some((2024, 3, 1)))[0].1.as_deref(),
            Some("2024-02-29")
        );
    }

    #[test]
    fn tenure_times_keep_only_their_text() {
        assert_eq!(
            values("On former President Joe Biden ’s final morning in office , he issued"),
            [pair(
                "On former President Joe Biden ’s final morning in office",
                None
            )]
        );
        assert_eq!(
            values("During his first week in office , Trump started"),
            [pair("During his first week in office", None)]
        );
        assert_eq!(
            values("Hegseth , in only his second full day on the job , also directed"),
            [pair("in only his second full day on the job", None)]
        );
        // Not a time: a speech, not a day.
        assert_eq!(
            values("in his final speech as Joint Chiefs chair in 2023 ,"),
            [pair("in 2023", Some("2023"))]
        );
    }

    #[test]
    fn without_an_article_date_only_text_is_kept() {
        assert_eq!(
            values_at("on Tuesday , last week , Jan. 20", None),
            [
                pair("on Tuesday", None),
                pair("last week", None),
                pair("Jan. 20", None)
            ]
        );
        // Explicit dates need no article date.
        assert_eq!(
            values_at("in 2018 , January 2023", None),
            [
                pair("in 2018", Some("2018")),
                pair("January 2023", Some("2023-01"))
            ]
        );
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in [
            "",
            "on",
            "last",
            "in only",
            "On ’s first",
            "two",
            "99 days ago",
            "Jan. 99",
        ] {
            values(s);
            values_at(s, None);
            values_at(s, Some((9999, 12, 31)));
        }
    }

    #[test]
    fn date_round_trip() {
        for d in [(1970, 1, 1), (2000, 2, 29), (2025, 12, 31)] {
            let s = format_days(days_from_civil(d));
            assert_eq!(parse_date(&s), Some(d));
        }
        assert_eq!(parse_date("2025-02-30"), None);
    }
}
