//! Time expressions ("on Tuesday", "in 2018", "Jan. 20", "last week") and their resolution
//! against the article's publication date.

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

/// Finds time expressions among the sentence's `words`; `date` is the article date.
pub fn find(words: &[&str], date: Option<(i32, u32, u32)>) -> Vec<TimeMention> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let lower = words[i].to_lowercase();
        // Weekday, optionally preceded by on/last and followed by morning/night.
        if let Some(day) = WEEKDAYS.iter().position(|d| *d == lower) {
            let mut start = i;
            if i > 0 && matches!(words[i - 1].to_lowercase().as_str(), "on" | "last" | "this") {
                start = i - 1;
            }
            let mut end = i + 1;
            if end < words.len()
                && matches!(
                    words[end].to_lowercase().as_str(),
                    "morning" | "afternoon" | "evening" | "night"
                )
            {
                end += 1;
            }
            let value = date.map(|d| {
                let back = (weekday(d) + 7 - day as i64) % 7;
                let last = words[start].eq_ignore_ascii_case("last") && back == 0;
                format_days(days_from_civil(d) - back - if last { 7 } else { 0 })
            });
            found.push(mention(words, start..end, value));
            i = end;
            continue;
        }
        // Month Day[,] [Year]  or  Month Year
        if words[i].chars().next().is_some_and(char::is_uppercase) {
            if let Some(month) = month_index(words[i]) {
                let day = words
                    .get(i + 1)
                    .and_then(|w| w.parse::<u32>().ok())
                    .filter(|d| (1..=31).contains(d));
                let mut end = i + 1 + usize::from(day.is_some());
                let mut year = None;
                let mut j = end;
                if words.get(j) == Some(&",") {
                    j += 1;
                }
                if let Some(y) = words.get(j).and_then(|w| parse_year(w)) {
                    year = Some(y);
                    end = j + 1;
                }
                if day.is_some() || year.is_some() {
                    let value = match (day, year.or(date.map(|d| d.0))) {
                        (Some(d), Some(y)) => Some(format!("{y:04}-{month:02}-{d:02}")),
                        (None, Some(y)) if year.is_some() => Some(format!("{y:04}-{month:02}")),
                        _ => None,
                    };
                    let start = if i > 0 && words[i - 1].eq_ignore_ascii_case("on") {
                        i - 1
                    } else {
                        i
                    };
                    found.push(mention(words, start..end, value));
                    i = end;
                    continue;
                }
            }
        }
        // in 2018 / since 2020
        if matches!(lower.as_str(), "in" | "since" | "until" | "by") {
            if let Some(y) = words.get(i + 1).and_then(|w| parse_year(w)) {
                found.push(mention(words, i..i + 2, Some(format!("{y:04}"))));
                i += 2;
                continue;
            }
        }
        // last week / last month / last year / yesterday / today
        if lower == "last" || lower == "next" {
            if let Some(unit) = words.get(i + 1).map(|w| w.to_lowercase()) {
                if matches!(unit.as_str(), "week" | "month" | "year") {
                    let value = date.and_then(|d| relative(d, &lower, &unit));
                    found.push(mention(words, i..i + 2, value));
                    i += 2;
                    continue;
                }
            }
        }
        if matches!(lower.as_str(), "yesterday" | "today") {
            let value =
                date.map(|d| format_days(days_from_civil(d) - i64::from(lower == "yesterday")));
            found.push(mention(words, i..i + 1, value));
        }
        i += 1;
    }
    found
}

fn relative(d: (i32, u32, u32), dir: &str, unit: &str) -> Option<String> {
    let sign = if dir == "last" { -1 } else { 1 };
    match unit {
        "year" => Some(format!("{:04}", d.0 + sign)),
        "month" => {
            let m = d.1 as i32 - 1 + sign;
            let (y, m) = (d.0 + m.div_euclid(12), m.rem_euclid(12) + 1);
            Some(format!("{y:04}-{m:02}"))
        }
        // A week is an interval; left unresolved (its text is kept).
        _ => None,
    }
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

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    let mut it = s.splitn(3, '-');
    let y = it.next()?.parse().ok()?;
    let m = it.next()?.parse().ok().filter(|m| (1..=12).contains(m))?;
    let d = it.next()?.parse().ok().filter(|d| (1..=31).contains(d))?;
    Some((y, m, d))
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil((y, m, d): (i32, u32, u32)) -> i64 {
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

/// 0 = Monday.
fn weekday(d: (i32, u32, u32)) -> i64 {
    (days_from_civil(d) + 3).rem_euclid(7)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: Option<(i32, u32, u32)> = Some((2025, 1, 28)); // a Tuesday

    fn values(sentence: &str) -> Vec<(String, Option<String>)> {
        let words: Vec<&str> = sentence.split(' ').collect();
        find(&words, ARTICLE)
            .into_iter()
            .map(|m| (m.time.text, m.time.value))
            .collect()
    }

    #[test]
    fn resolves_weekdays_against_the_article_date() {
        assert_eq!(weekday((2025, 1, 28)), 1);
        assert_eq!(
            values("Hegseth on Tuesday revoked"),
            [("on Tuesday".into(), Some("2025-01-28".into()))]
        );
        assert_eq!(
            values("In a Friday night purge"),
            [("Friday night".into(), Some("2025-01-24".into()))]
        );
    }

    #[test]
    fn years_months_and_relative() {
        assert_eq!(
            values("nominated Milley in 2018")[0].1.as_deref(),
            Some("2018")
        );
        assert_eq!(values("on Jan. 20 ,")[0].1.as_deref(), Some("2025-01-20"));
        assert_eq!(values("March 3 , 2019")[0].1.as_deref(), Some("2019-03-03"));
        assert_eq!(values("last week")[0], ("last week".into(), None));
        assert_eq!(values("last year")[0].1.as_deref(), Some("2024"));
        assert!(values("May I go").is_empty());
    }

    #[test]
    fn date_round_trip() {
        for d in [(1970, 1, 1), (2000, 2, 29), (2025, 12, 31)] {
            let s = format_days(days_from_civil(d));
            assert_eq!(parse_date(&s), Some(d));
        }
    }
}
