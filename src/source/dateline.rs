//! The article date from the text itself, for documents whose metadata gives none: a
//! dateline ("WASHINGTON, Jan. 28, 2025 —"), a bare date line ("January 28, 2025") or a
//! publication line ("Published 3:14 PM EST, Tue January 28, 2025", "Updated 28 January
//! 2025", "(Reuters) 2025-01-28") near the top.
//!
//! Conservative on purpose: a wrong article date silently shifts every "on Tuesday" in the
//! document, while a missing one only leaves them unresolved. So only the first few lines
//! and first ~600 characters are looked at, only full dates with a year count, and a date
//! counts only where a dateline or publication line would put it: a sentence such as "On
//! January 6, 2021, rioters stormed the Capitol" or a headline about a past date is not the
//! article's date.

/// How much of the document is searched: a dateline sits above or at the start of the body.
const MAX_CHARS: usize = 600;
const MAX_LINES: usize = 8;

/// Words that open a publication line: the date after them is the article's.
const CUES: &[&str] = &[
    "published",
    "updated",
    "posted",
    "modified",
    "last updated",
    "first published",
    "originally published",
    "date",
    "dated",
    "filed",
];

const WEEKDAYS: &[&str] = &[
    "mon",
    "monday",
    "tue",
    "tues",
    "tuesday",
    "wed",
    "wednesday",
    "thu",
    "thur",
    "thurs",
    "thursday",
    "fri",
    "friday",
    "sat",
    "saturday",
    "sun",
    "sunday",
];

/// The `YYYY-MM-DD` date of the article's dateline or publication line, if it has one.
pub fn find(text: &str) -> Option<String> {
    let head = match text.char_indices().nth(MAX_CHARS) {
        Some((end, _)) => &text[..end],
        None => text,
    };
    head.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(MAX_LINES)
        .find_map(line_date)
        .map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
}

/// The date a single line gives as the article's, when the line is shaped like a dateline
/// or publication line.
fn line_date(line: &str) -> Option<(i32, u32, u32)> {
    let (start, end, date) = first_full_date(line)?;
    let prefix = line[..start].trim();
    let suffix = line[end..].trim_start();
    let accepted = prefix.chars().count() <= 80
        && (is_bare(prefix) && ends_dateline(suffix)
            || has_cue(prefix)
            || is_place(prefix) && ends_dateline(suffix)
            || has_agency(prefix)
            || line[start..end].contains('-') && line.chars().count() <= 100);
    accepted.then_some(date)
}

/// Nothing before the date, or only a weekday ("Tuesday, January 28, 2025").
fn is_bare(prefix: &str) -> bool {
    let p = prefix.trim_end_matches([',', ' ']).to_lowercase();
    p.is_empty() || WEEKDAYS.contains(&p.trim_end_matches('.'))
}

/// What may follow the date of a dateline: the end of the line, the dash before the story,
/// a time of day, a separator or a parenthesized source. Not a comma: "January 6, 2021,
/// rioters stormed …" is a sentence.
fn ends_dateline(suffix: &str) -> bool {
    suffix.is_empty()
        || suffix.starts_with(['—', '–', '-', '|', '/', '(', '·', '•'])
        || suffix.starts_with(|c: char| c.is_ascii_digit())
        || suffix.to_lowercase().starts_with("at ")
}

/// A publication cue, then at most a time of day and a weekday: "Published 3:14 PM EST,
/// Tue", "Last updated:". Not "Date of the attack:".
fn has_cue(prefix: &str) -> bool {
    const TIME_WORDS: &[&str] = &[
        "on", "at", "am", "pm", "a", "m", "p", "est", "edt", "cst", "cdt", "mst", "mdt", "pst",
        "pdt", "et", "ct", "pt", "utc", "gmt", "bst", "cet", "cest",
    ];
    let p = prefix.to_lowercase();
    let p = p.trim_start_matches(|c: char| !c.is_alphanumeric());
    CUES.iter().any(|c| {
        p.strip_prefix(c).is_some_and(|rest| {
            !rest.starts_with(char::is_alphanumeric)
                && rest
                    .split(|c: char| !c.is_alphabetic())
                    .filter(|w| !w.is_empty())
                    .all(|w| TIME_WORDS.contains(&w) || WEEKDAYS.contains(&w))
        })
    })
}

/// A dateline's place: capitals up to a comma ("WASHINGTON,", "PORT CALDER,", "NEW YORK,
/// N.Y.,"), perhaps followed by the agency ("LONDON (Reuters),").
fn is_place(prefix: &str) -> bool {
    let p = prefix.strip_suffix(',').unwrap_or(prefix).trim();
    let p = match p.find('(') {
        Some(i) => p[..i].trim(),
        None => p,
    };
    let letters = p.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 2
        && prefix.ends_with(',')
        && p.chars()
            .all(|c| c.is_uppercase() || matches!(c, ' ' | '.' | ',' | '\'' | '’' | '-'))
}

/// A news agency's credit just before the date: "(Reuters) 2025-01-28", "By Jane Doe
/// (Reuters) · January 28, 2025". Only punctuation may stand between credit and date, so
/// "(CNN) — On January 6, 2021, …" is a sentence, not a dateline.
fn has_agency(prefix: &str) -> bool {
    let Some(close) = prefix.rfind(')') else {
        return false;
    };
    if prefix[close + 1..].chars().any(char::is_alphanumeric) {
        return false;
    }
    let Some(open) = prefix[..close].rfind('(') else {
        return false;
    };
    let inside = &prefix[open + 1..close];
    !inside.is_empty()
        && inside.len() <= 20
        && inside.chars().next().is_some_and(char::is_uppercase)
        && inside.chars().all(|c| c.is_alphabetic() || c == ' ')
}

/// A word of the line and its byte range.
struct Word<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

fn words(line: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in line
        .char_indices()
        .chain(std::iter::once((line.len(), ' ')))
    {
        match (start, c.is_alphanumeric()) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                out.push(Word {
                    text: &line[s..i],
                    start: s,
                    end: i,
                });
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// The first full date in the line (month name with day and year, either order, or ISO
/// `YYYY-MM-DD`), with its byte range.
fn first_full_date(line: &str) -> Option<(usize, usize, (i32, u32, u32))> {
    let w = words(line);
    let gap = |a: &Word, b: &Word| &line[a.end..b.start];
    for i in 0..w.len() {
        // ISO: 2025-01-28, not inside a longer number. The day's word may run on into a
        // time ("28T10"), so only its first two bytes are the day.
        if let (Some(y), Some(m), Some(d)) = (w.get(i), w.get(i + 1), w.get(i + 2)) {
            let db = d.text.as_bytes();
            let two_digits = |b: &[u8]| b.len() == 2 && b.iter().all(u8::is_ascii_digit);
            if y.text.len() == 4
                && two_digits(m.text.as_bytes())
                && db.len() >= 2
                && two_digits(&db[..2])
                && db.get(2).is_none_or(|b| !b.is_ascii_digit())
                && gap(y, m) == "-"
                && gap(m, d) == "-"
            {
                // Bytes 0..2 are ASCII digits, so these slices are on char boundaries.
                if let (Some(yy), Ok(mm), Ok(dd)) = (
                    year(y.text),
                    m.text.parse::<u32>(),
                    d.text[..2].parse::<u32>(),
                ) {
                    if plausible(yy, mm, dd) {
                        return Some((y.start, d.start + 2, (yy, mm, dd)));
                    }
                }
            }
        }
        // Month Day[,] Year: "Jan. 28, 2025", "January 28 2025", "Jan 28th, 2025".
        if let (Some(mo), Some(da), Some(ye)) = (w.get(i), w.get(i + 1), w.get(i + 2)) {
            if let (Some(m), Some(d), Some(y)) = (month(mo.text), day(da.text), year(ye.text)) {
                let g1 = gap(mo, da);
                let g2 = gap(da, ye);
                if matches!(g1, " " | ". ") && matches!(g2, " " | ", ") && plausible(y, m, d) {
                    return Some((mo.start, ye.end, (y, m, d)));
                }
            }
            // Day Month[,] Year: "28 January 2025", "28 Jan. 2025".
            if let (Some(d), Some(m), Some(y)) = (day(mo.text), month(da.text), year(ye.text)) {
                let g1 = gap(mo, da);
                let g2 = gap(da, ye);
                if g1 == " " && matches!(g2, " " | ", " | ". " | "., ") && plausible(y, m, d) {
                    return Some((mo.start, ye.end, (y, m, d)));
                }
            }
        }
    }
    None
}

/// A month name or its usual abbreviation, capitalized ("Jan", "Sept", "JANUARY").
fn month(w: &str) -> Option<u32> {
    const NAMES: [&str; 12] = [
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
    if !w.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    let l = w.to_ascii_lowercase();
    NAMES
        .iter()
        .position(|n| {
            *n == l || (l.len() == 3 && n.starts_with(&l)) || l == "sept" && *n == "september"
        })
        .map(|i| i as u32 + 1)
}

/// "28", "8", "28th".
fn day(w: &str) -> Option<u32> {
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &w[digits.len()..];
    if digits.is_empty()
        || digits.len() > 2
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || !matches!(suffix, "" | "st" | "nd" | "rd" | "th")
    {
        return None;
    }
    digits.parse().ok()
}

fn year(w: &str) -> Option<i32> {
    (w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
        .then(|| w.parse().ok())
        .flatten()
}

/// A real calendar day in the years news is dated in.
fn plausible(y: i32, m: u32, d: u32) -> bool {
    (1900..=2100).contains(&y) && is_valid_date(y, m, d)
}

/// Whether `y-m-d` is a day of the Gregorian calendar.
pub fn is_valid_date(y: i32, m: u32, d: u32) -> bool {
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// Parses a strict `YYYY-MM-DD` that names a real day.
pub fn parse_ymd(s: &str) -> Option<(i32, u32, u32)> {
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return None;
    }
    let (y, m, d) = (
        s[..4].parse().ok()?,
        s[5..7].parse().ok()?,
        s[8..].parse().ok()?,
    );
    is_valid_date(y, m, d).then_some((y, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Option<String> {
        find(text)
    }

    #[test]
    fn dateline_forms() {
        let cases = [
            "Headline here\n\nWASHINGTON, Jan. 28, 2025 — Defense Secretary Pete Hegseth on Tuesday revoked …",
            "Headline\nJanuary 28, 2025\nBody text.",
            "Headline\nBy Oren Liebermann\nPublished 3:14 PM EST, Tue January 28, 2025\nBody.",
            "Headline\nUpdated 28 January 2025\nBody.",
            "Headline\nLONDON (Reuters) 2025-01-28 - Body text.",
            "Headline\nTuesday, January 28, 2025\n",
            "Headline\nNEW YORK, N.Y., Jan 28th, 2025 — text",
            "Headline\nLast updated: 2025-01-28T10:14:00Z\n",
            "Headline\nSept. 28, 2025 | 3:14 PM\n",
            "Headline\nBy Jane Doe (Reuters) · January 28, 2025 3:14 PM GMT\n",
            "Headline\nPublished on Tuesday, Jan. 28, 2025 at 9:00 a.m. ET\n",
        ];
        let expected = [
            "2025-01-28",
            "2025-01-28",
            "2025-01-28",
            "2025-01-28",
            "2025-01-28",
            "2025-01-28",
            "2025-01-28",
            "2025-01-28",
            "2025-09-28",
            "2025-01-28",
            "2025-01-28",
        ];
        for (text, want) in cases.iter().zip(expected) {
            assert_eq!(date(text).as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn ignores_dates_that_are_not_the_articles() {
        // No year: the project's own samples ("HALVERN, Jan. 15 —").
        assert_eq!(
            date("Headline\n\nHALVERN, Jan. 15 — Finance Minister …"),
            None
        );
        // A date in a sentence or a headline about the past.
        assert_eq!(
            date("Capitol riot anniversary\n\nOn January 6, 2021, rioters stormed the Capitol."),
            None
        );
        assert_eq!(date("January 6, 2021, will be remembered\n\nBody."), None);
        assert_eq!(
            date("Headline\n\n(CNN) — On January 6, 2021, rioters stormed the Capitol."),
            None
        );
        assert_eq!(
            date("Headline\nDate of the attack: January 6, 2021\n"),
            None
        );
        // Not a calendar day.
        assert_eq!(date("Headline\nFebruary 30, 2025\n"), None);
        assert_eq!(date("Headline\n2025-13-01\n"), None);
        // Too far down: past the first lines of the document.
        let late = format!(
            "Headline\n{}\nJanuary 28, 2025\n",
            "Body line.\n".repeat(10)
        );
        assert_eq!(date(&late), None);
        let deep = format!("Headline {}\nJanuary 28, 2025\n", "x".repeat(700));
        assert_eq!(date(&deep), None);
        // Part of a longer number.
        assert_eq!(date("Headline\nref 12025-01-281\n"), None);
        assert_eq!(date(""), None);
    }

    #[test]
    fn the_brief_sample_has_no_dateline() {
        let text = "Defense secretary revokes security detail and clearance for Trump critic Gen. Mark Milley, orders investigation\n\nKevin Lamarque/Reuters/File via CNN Newsource\n\nBy Oren Liebermann\n\n(CNN) — Defense Secretary Pete Hegseth on Tuesday revoked …";
        assert_eq!(date(text), None);
    }

    #[test]
    fn strict_iso_dates() {
        assert_eq!(parse_ymd("2024-02-29"), Some((2024, 2, 29)));
        assert_eq!(parse_ymd("2025-02-29"), None);
        assert_eq!(parse_ymd("2025-1-28"), None);
        assert_eq!(parse_ymd("+2025-01-2"), None);
        assert_eq!(parse_ymd("2025-01-28x"), None);
        assert!(!is_valid_date(2025, 0, 1));
        assert!(is_valid_date(2000, 2, 29));
        assert!(!is_valid_date(1900, 2, 29));
    }
}
