//! Rule-based tokenizer and sentence splitter for news English, UD (EWT) conventions.
//!
//! Tokens: possessives and contractions split off (`Milley’s` → `Milley` `’s`, `don't` →
//! `do` `n't`, `cannot` → `can` `not`), hyphenated compounds split at the hyphen except after
//! common prefixes (`e-mail`, `co-workers`, `non-human`) and between digits (phone numbers),
//! abbreviations keep their period (`Gen.`, `U.S.`, `Jan.`, `Inc.`), money splits its sign
//! (`$50` → `$` `50`), URLs and e-mail addresses stay whole, quotes, brackets and dashes are
//! their own tokens, runs like `...` or `?!` are one token.
//!
//! Sentences end at `.`, `!`, `?`, `...` (plus closing quotes and brackets) before a word that
//! can start a sentence, after an abbreviation like `Inc.` or `U.S.` when the next word is a
//! common sentence opener, and at blank lines.

use super::{Segmented, SentenceBounds, Token};

/// Abbreviations that keep their final period (compared case-sensitively, then lowercased).
const ABBREVIATIONS: &[&str] = &[
    "Gen.", "Dr.", "Mr.", "Mrs.", "Ms.", "Messrs.", "Sen.", "Sens.", "Rep.", "Reps.", "Gov.",
    "Lt.", "Col.", "Sgt.", "Capt.", "Cmdr.", "Adm.", "Maj.", "Prof.", "Pres.", "Supt.", "Det.",
    "Insp.", "Atty.", "Rev.", "Hon.", "Fr.", "Sr.", "Jr.", "St.", "Ste.", "Mt.", "Ft.", "Ave.",
    "Blvd.", "Rd.", "Inc.", "Corp.", "Co.", "Ltd.", "Bros.", "Cos.", "Assn.", "Dept.", "Univ.",
    "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.", "Nov.",
    "Dec.", "Mon.", "Tue.", "Tues.", "Wed.", "Thu.", "Thur.", "Thurs.", "Fri.", "Sat.", "Sun.",
    "No.", "Nos.", "vs.", "v.", "etc.", "approx.", "est.", "ca.", "cf.", "al.", "fig.", "Fig.",
    "Vol.", "vol.", "pp.", "p.", "Ph.D.", "Ala.", "Ariz.", "Ark.", "Calif.", "Colo.", "Conn.",
    "Del.", "Fla.", "Ga.", "Ill.", "Ind.", "Kan.", "Ky.", "La.", "Md.", "Mass.", "Mich.", "Minn.",
    "Miss.", "Mo.", "Mont.", "Neb.", "Nev.", "Okla.", "Ore.", "Pa.", "Penn.", "Tenn.", "Tex.",
    "Va.", "Vt.", "Wash.", "Wis.", "Wyo.", "min.", "max.", "hr.", "hrs.", "mins.", "sec.", "yr.",
    "yrs.", "ft.", "lb.", "lbs.", "oz.", "mi.", "km.", "Mt.", "Gov't.", "dept.", "inc.", "corp.",
    "ltd.", "co.", "jr.", "sr.", "dr.", "mr.", "mrs.", "ms.", "st.", "ave.",
];

/// Abbreviations that never end a sentence (a name or number follows them).
const TITLES: &[&str] = &[
    "Gen.", "Dr.", "Mr.", "Mrs.", "Ms.", "Messrs.", "Sen.", "Sens.", "Rep.", "Reps.", "Gov.",
    "Lt.", "Col.", "Sgt.", "Capt.", "Cmdr.", "Adm.", "Maj.", "Prof.", "Pres.", "Supt.", "Det.",
    "Insp.", "Atty.", "Rev.", "Hon.", "Fr.", "St.", "Mt.", "Ft.", "No.", "Nos.", "vs.", "v.",
    "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.", "Nov.",
    "Dec.", "cf.", "Vol.", "pp.", "p.", "Fig.", "fig.",
];

/// Words that commonly open a sentence: after `Inc.` or `U.S.` they signal a boundary.
const OPENERS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "But",
    "And",
    "Or",
    "So",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "In",
    "On",
    "At",
    "For",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "As",
    "His",
    "Her",
    "Its",
    "Their",
    "Our",
    "My",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "However",
    "Meanwhile",
    "Still",
    "Yet",
    "Now",
    "Then",
    "Also",
    "Some",
    "Many",
    "Most",
    "No",
    "Not",
    "What",
    "Why",
    "How",
    "Who",
    "Where",
    "Officials",
    "Last",
    "Earlier",
    "Later",
    "Since",
    "Although",
    "Though",
    "According",
    "With",
    "By",
    "From",
    "To",
    "Under",
];

/// Hyphen prefixes UD English keeps attached (`co-workers`, `non-human`, `e-mail`).
const HYPHEN_PREFIXES: &[&str] = &[
    "e", "co", "pre", "post", "non", "semi", "re", "pro", "mid", "ex", "anti", "multi", "sub",
    "inter", "intra", "counter", "neo", "pseudo", "quasi", "self", "ultra", "vice", "de", "un",
    "mis", "over", "under", "bi", "tri", "micro", "macro", "mega", "mini", "auto", "cyber", "geo",
    "infra", "meta", "non", "out", "trans", "x", "t", "u", "a", "b", "c", "p", "o", "k",
];

/// Contractions written without an apostrophe, split the EWT way.
const BARE_CONTRACTIONS: &[(&str, usize)] = &[
    ("cannot", 3),
    ("gonna", 3),
    ("wanna", 3),
    ("gotta", 3),
    ("dont", 2),
    ("doesnt", 4),
    ("didnt", 3),
    ("isnt", 2),
    ("wasnt", 3),
    ("arent", 3),
    ("werent", 4),
    ("havent", 4),
    ("hasnt", 3),
    ("hadnt", 3),
    ("couldnt", 5),
    ("wouldnt", 5),
    ("shouldnt", 6),
    ("cant", 2),
    ("wont", 2),
];

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʼ')
}

fn is_open_punct(c: char) -> bool {
    matches!(
        c,
        '(' | '[' | '{' | '"' | '“' | '‘' | '«' | '\'' | '„' | '‹' | '¿' | '¡' | '<'
    )
}

fn is_close_punct(c: char) -> bool {
    matches!(
        c,
        ')' | ']' | '}' | '"' | '”' | '’' | '»' | '\'' | '›' | '>'
    )
}

fn is_dash(c: char) -> bool {
    matches!(c, '—' | '–' | '―' | '‒')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `U.S.`, `p.m.`, `J.` — single letters each followed by a period.
fn is_initialism(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 2 || b.len() & 1 != 0 {
        return false;
    }
    b.chunks(2)
        .all(|p| p[0].is_ascii_alphabetic() && p[1] == b'.')
}

fn is_abbreviation(s: &str) -> bool {
    ABBREVIATIONS.contains(&s) || is_initialism(s)
}

fn looks_like_url(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    if l.starts_with("http://") || l.starts_with("https://") || l.starts_with("www.") {
        return true;
    }
    if l.starts_with("ftp://") || l.starts_with("mailto:") {
        return true;
    }
    // e-mail address: x@y.z
    if let Some((a, b)) = l.split_once('@') {
        return !a.is_empty()
            && b.contains('.')
            && a.chars()
                .all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c))
            && b.trim_end_matches(|c: char| !c.is_ascii_alphanumeric())
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-".contains(c));
    }
    // bare domains like cnn.com or example.org/path
    let core = l.trim_end_matches(|c: char| !c.is_ascii_alphanumeric() && c != '/');
    for tld in [".com", ".org", ".net", ".gov", ".edu", ".co.uk", ".io"] {
        if let Some(i) = core.find(tld) {
            let after = &core[i + tld.len()..];
            if i > 0 && (after.is_empty() || after.starts_with('/')) {
                return core[..i]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-".contains(c));
            }
        }
    }
    false
}

/// Cut `text` into sentences and tokens.
pub fn segment(text: &str) -> Segmented {
    let mut tokens = Vec::new();
    let mut chunk_start = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = chunk_start.take() {
                split_chunk(text, s, i, &mut tokens);
            }
        } else if chunk_start.is_none() {
            chunk_start = Some(i);
        }
    }
    if let Some(s) = chunk_start {
        split_chunk(text, s, text.len(), &mut tokens);
    }
    let sentences = split_sentences(text, &tokens);
    Segmented { tokens, sentences }
}

fn push(out: &mut Vec<Token>, a: usize, b: usize) {
    if a < b {
        out.push(Token { span: a..b });
    }
}

/// Tokens of one whitespace-free chunk `text[start..end]`.
fn split_chunk(text: &str, start: usize, end: usize, out: &mut Vec<Token>) {
    let chunk = &text[start..end];
    // A bare clitic ("'s", "n't") stays whole.
    if is_clitic(chunk) {
        push(out, start, end);
        return;
    }
    // Leading punctuation.
    let mut lo = start;
    loop {
        let rest = &text[lo..end];
        let Some(c) = rest.chars().next() else { break };
        if rest.len() > c.len_utf8() && is_apostrophe(c) && is_clitic(rest) {
            break;
        }
        // '90s, 'em: an apostrophe glued to a word-initial digit stays.
        if is_apostrophe(c)
            && rest[c.len_utf8()..]
                .chars()
                .next()
                .is_some_and(|d| d.is_ascii_digit())
        {
            break;
        }
        // A closing curly quote also opens quotes in some copy (`a ”fascist”`).
        if is_open_punct(c) || is_dash(c) || matches!(c, '*' | '•' | '”' | '»') {
            push(out, lo, lo + c.len_utf8());
            lo += c.len_utf8();
        } else if rest.starts_with("--") {
            let n = rest.bytes().take_while(|&b| b == b'-').count();
            push(out, lo, lo + n);
            lo += n;
        } else if c == '-' && rest.len() > 1 && !rest[1..].starts_with(|d: char| d.is_ascii_digit())
        {
            push(out, lo, lo + 1);
            lo += 1;
        } else {
            break;
        }
    }
    if lo >= end {
        return;
    }
    // Trailing punctuation, collected right to left.
    let mut hi = end;
    let mut tail: Vec<(usize, usize)> = Vec::new();
    let url = looks_like_url(&text[lo..hi]);
    loop {
        let rest = &text[lo..hi];
        let Some(c) = rest.chars().next_back() else {
            break;
        };
        let cl = c.len_utf8();
        if rest.len() == cl {
            break;
        }
        if c == '.' {
            // A run of periods is one token ("...").
            let n = rest.bytes().rev().take_while(|&b| b == b'.').count();
            if n >= 2 {
                tail.push((hi - n, hi));
                hi -= n;
                continue;
            }
            if url && rest.len() > 1 {
                tail.push((hi - 1, hi));
                hi -= 1;
                break;
            }
            if is_abbreviation(rest) || is_abbreviation(&rest.to_ascii_lowercase()) {
                break;
            }
            tail.push((hi - 1, hi));
            hi -= 1;
            continue;
        }
        if c == '!' || c == '?' {
            // Counted in bytes: all these characters are ASCII.
            let n = rest
                .bytes()
                .rev()
                .take_while(|&d| d == b'!' || d == b'?' || d == b'.')
                .count();
            tail.push((hi - n, hi));
            hi -= n;
            continue;
        }
        if c == '…' || is_dash(c) || matches!(c, ',' | ';' | ':' | '%' | '*') {
            tail.push((hi - cl, hi));
            hi -= cl;
            continue;
        }
        if is_close_punct(c) {
            // Plural possessive "parents'" : the apostrophe is its own token either way.
            tail.push((hi - cl, hi));
            hi -= cl;
            continue;
        }
        if c == '-' && rest.len() > 1 && rest[..rest.len() - 1].ends_with('-') {
            let n = rest.bytes().rev().take_while(|&b| b == b'-').count();
            tail.push((hi - n, hi));
            hi -= n;
            continue;
        }
        break;
    }
    if lo < hi {
        if url {
            push(out, lo, hi);
        } else {
            split_core(text, lo, hi, out);
        }
    }
    for (a, b) in tail.into_iter().rev() {
        push(out, a, b);
    }
}

fn is_clitic(s: &str) -> bool {
    let n = normalize_apostrophes(s).to_lowercase();
    matches!(
        n.as_str(),
        "'s" | "'re" | "'ve" | "'ll" | "'d" | "'m" | "n't" | "'"
    )
}

fn normalize_apostrophes(s: &str) -> String {
    s.chars()
        .map(|c| if is_apostrophe(c) { '\'' } else { c })
        .collect()
}

/// Splits a chunk with its outer punctuation removed: clitics, then inner separators.
fn split_core(text: &str, lo: usize, hi: usize, out: &mut Vec<Token>) {
    let core = &text[lo..hi];
    let norm = normalize_apostrophes(core).to_lowercase();
    // Suffix clitics. Normalized apostrophes are 1 byte, originals may be 3: measure in chars.
    let mut clitic_chars = 0;
    if norm.ends_with("n't") && norm.chars().count() > 3 {
        clitic_chars = 3;
    } else {
        for suf in ["'s", "'re", "'ve", "'ll", "'d", "'m"] {
            if norm.ends_with(suf) && norm.chars().count() > suf.len() {
                clitic_chars = suf.chars().count();
                break;
            }
        }
    }
    if clitic_chars == 0 {
        let letters: String = norm.chars().filter(|c| c.is_alphabetic()).collect();
        if letters == norm {
            if let Some(&(_, keep)) = BARE_CONTRACTIONS.iter().find(|(w, _)| *w == norm) {
                clitic_chars = norm.chars().count() - keep;
            }
        }
    }
    let split_at = if clitic_chars > 0 {
        let n = core.chars().count();
        core.char_indices()
            .nth(n - clitic_chars)
            .map_or(hi, |(i, _)| lo + i)
    } else {
        hi
    };
    split_inner(text, lo, split_at, out);
    push(out, split_at, hi);
}

/// Splits at hyphens, slashes, dashes and other inner punctuation.
fn split_inner(text: &str, lo: usize, hi: usize, out: &mut Vec<Token>) {
    let s = &text[lo..hi];
    if s.is_empty() {
        return;
    }
    // Currency sign before a number.
    let first = s.chars().next().expect("non-empty");
    if matches!(first, '$' | '€' | '£' | '¥')
        && s.len() > first.len_utf8()
        && s[first.len_utf8()..].starts_with(|c: char| c.is_ascii_digit())
    {
        push(out, lo, lo + first.len_utf8());
        return split_inner(text, lo + first.len_utf8(), hi, out);
    }
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let n = chars.len();
    let mut tok_start = 0usize; // byte offset within s
    let mut i = 0;
    while i < n {
        let (bi, c) = chars[i];
        let prev = if i > 0 { Some(chars[i - 1].1) } else { None };
        let next = chars.get(i + 1).map(|x| x.1);
        let both = |f: fn(char) -> bool| prev.is_some_and(f) && next.is_some_and(f);
        let sep: Option<usize> = if is_dash(c) || c == '…' {
            Some(c.len_utf8())
        } else if c == '-' && next == Some('-') {
            Some(s[bi..].bytes().take_while(|&b| b == b'-').count())
        } else if c == '-' && i > 0 && next.is_some() {
            let left = &s[tok_start..bi];
            let left_l = left.to_lowercase();
            let keep = both(|x| x.is_ascii_digit())
                || HYPHEN_PREFIXES.contains(&left_l.as_str())
                || !prev.is_some_and(is_word_char)
                || !next.is_some_and(is_word_char)
                || left.chars().all(|x| x.is_ascii_digit() || x == '-')
                    && next.is_some_and(|x| x.is_ascii_digit());
            if keep {
                None
            } else {
                Some(1)
            }
        } else if c == '/' && i > 0 && next.is_some() {
            if both(|x| x.is_ascii_digit()) || n <= 4 {
                None
            } else {
                Some(1)
            }
        } else if (c == ',' || c == ':') && i > 0 && next.is_some() {
            if both(|x| x.is_ascii_digit()) {
                None
            } else {
                Some(1)
            }
        } else if matches!(
            c,
            '(' | ')' | '[' | ']' | '"' | '“' | '”' | ';' | '!' | '?' | '{' | '}'
        ) && i > 0
        {
            Some(c.len_utf8())
        } else if c == '%' && i > 0 && next.is_none() {
            Some(1)
        } else {
            None
        };
        if let Some(len) = sep {
            push(out, lo + tok_start, lo + bi);
            push(out, lo + bi, lo + bi + len);
            tok_start = bi + len;
            while i < n && chars[i].0 < tok_start {
                i += 1;
            }
            continue;
        }
        i += 1;
    }
    push(out, lo + tok_start, hi);
}

fn is_terminal(w: &str) -> bool {
    !w.is_empty() && w.chars().all(|c| matches!(c, '.' | '!' | '?' | '…'))
}

fn is_closing_token(w: &str) -> bool {
    w.chars().all(is_close_punct) && !w.is_empty()
}

fn starts_sentence(w: &str) -> bool {
    match w.chars().next() {
        Some(c) => {
            c.is_uppercase()
                || c.is_ascii_digit()
                || is_open_punct(c)
                || is_dash(c)
                || matches!(c, '*' | '•' | '-' | '$' | '#' | '@')
        }
        None => false,
    }
}

fn split_sentences(text: &str, tokens: &[Token]) -> Vec<SentenceBounds> {
    let mut out = Vec::new();
    let mut first = 0;
    let word = |i: usize| &text[tokens[i].span.clone()];
    let mut i = 0;
    while i < tokens.len() {
        let w = word(i);
        let mut end = i;
        let mut boundary = false;
        if is_terminal(w) {
            while end + 1 < tokens.len()
                && is_closing_token(word(end + 1))
                && tokens[end + 1].span.start == tokens[end].span.end
            {
                end += 1;
            }
            boundary = end + 1 >= tokens.len() || {
                let next = word(end + 1);
                // After "." "!" "?" a lowercase word still starts a sentence (web text writes
                // "ok. see you"), but an ellipsis before lowercase is a pause.
                starts_sentence(next)
                    || (next.starts_with(char::is_lowercase)
                        && !w.contains(['…'])
                        && w != "..."
                        && w.len() < 3)
            };
        } else if (w == "AM" || w == "PM")
            && i > 0
            && i + 1 < tokens.len()
            && word(i - 1).contains(':')
            && word(i - 1).starts_with(|c: char| c.is_ascii_digit())
        {
            // E-mail headers: "08/16/2000 03:48 PM I just wanted …"
            boundary = starts_sentence(word(i + 1))
                && !word(i + 1).starts_with(|c: char| c.is_ascii_digit());
        } else if w == ":" && i + 1 < tokens.len() {
            // "…the following: The …" — a colon before a capitalized word that is not a name
            // of a quoted speaker ends the sentence in UD English.
            let next = word(i + 1);
            boundary = OPENERS.contains(&next) && next != "I";
        } else if w.len() > 1 && w.ends_with('.') && !TITLES.contains(&w) && i + 1 < tokens.len() {
            let next = word(i + 1);
            let initial = w.len() == 2;
            boundary = !initial && OPENERS.contains(&next);
        }
        // Blank line (paragraph break) after this token.
        if end + 1 < tokens.len() {
            let gap = &text[tokens[end].span.end..tokens[end + 1].span.start];
            if gap.matches('\n').count() >= 2 {
                boundary = true;
            }
        }
        if boundary || end + 1 >= tokens.len() {
            out.push(SentenceBounds {
                span: tokens[first].span.start..tokens[end].span.end,
                tokens: first..end + 1,
            });
            first = end + 1;
        }
        i = end + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn words(text: &str) -> Vec<&str> {
        let s = segment(text);
        s.tokens.iter().map(|t| &text[t.span.clone()]).collect()
    }

    fn sentences(text: &str) -> Vec<&str> {
        let s = segment(text);
        s.sentences.iter().map(|b| &text[b.span.clone()]).collect()
    }

    #[test]
    fn splits_possessive_and_punctuation() {
        assert_eq!(
            words("Gen. Mark Milley’s “conduct”."),
            ["Gen.", "Mark", "Milley", "’s", "“", "conduct", "”", "."]
        );
        assert_eq!(words("the parents' car"), ["the", "parents", "'", "car"]);
    }

    #[test]
    fn closing_quote_used_as_opener_is_split_off() {
        assert_eq!(
            words("called Trump a ”fascist” and"),
            ["called", "Trump", "a", "”", "fascist", "”", "and"]
        );
    }

    #[test]
    fn abbreviations_keep_their_period() {
        assert_eq!(
            words("Dr. Smith of Acme Inc. met U.S. officials on Jan. 20."),
            [
                "Dr.",
                "Smith",
                "of",
                "Acme",
                "Inc.",
                "met",
                "U.S.",
                "officials",
                "on",
                "Jan.",
                "20",
                "."
            ]
        );
    }

    #[test]
    fn contractions_ud_style() {
        assert_eq!(words("I don't know"), ["I", "do", "n't", "know"]);
        assert_eq!(
            words("We can't, won't."),
            ["We", "ca", "n't", ",", "wo", "n't", "."]
        );
        assert_eq!(
            words("It’s what they’re doing"),
            ["It", "’s", "what", "they", "’re", "doing"]
        );
        assert_eq!(words("I cannot go"), ["I", "can", "not", "go"]);
        assert_eq!(words("I'm sure you'll"), ["I", "'m", "sure", "you", "'ll"]);
    }

    #[test]
    fn dashes_numbers_money_urls_hyphens() {
        assert_eq!(
            words("He said—after a pause—no."),
            ["He", "said", "—", "after", "a", "pause", "—", "no", "."]
        );
        assert_eq!(
            words("It cost $1,250.50, or 3.5% more."),
            ["It", "cost", "$", "1,250.50", ",", "or", "3.5", "%", "more", "."]
        );
        assert_eq!(
            words("See https://example.com/a?b=1."),
            ["See", "https://example.com/a?b=1", "."]
        );
        assert_eq!(
            words("Mail bob@example.org now"),
            ["Mail", "bob@example.org", "now"]
        );
        assert_eq!(
            words("a search-engine e-mail and co-workers"),
            ["a", "search", "-", "engine", "e-mail", "and", "co-workers"]
        );
        assert_eq!(words("call 713-853-3989"), ["call", "713-853-3989"]);
        assert_eq!(words("and/or 9/11"), ["and", "/", "or", "9/11"]);
    }

    #[test]
    fn quotes_straight_and_curly() {
        assert_eq!(
            words("\"Yes,\" she said. ‘No’"),
            ["\"", "Yes", ",", "\"", "she", "said", ".", "‘", "No", "’"]
        );
    }

    #[test]
    fn splits_sentences() {
        let text = "Biden pardoned Milley. Hegseth revoked it.";
        assert_eq!(
            sentences(text),
            ["Biden pardoned Milley.", "Hegseth revoked it."]
        );
        let text = "Gen. Mark Milley spoke to Dr. Jones on Jan. 20. He left.";
        assert_eq!(
            sentences(text),
            [
                "Gen. Mark Milley spoke to Dr. Jones on Jan. 20.",
                "He left."
            ]
        );
        let text = "“We are done,” he said. “Really?” She nodded.";
        assert_eq!(
            sentences(text),
            ["“We are done,” he said.", "“Really?”", "She nodded."]
        );
        let text = "He works at Acme Inc. The firm grew.";
        assert_eq!(sentences(text), ["He works at Acme Inc.", "The firm grew."]);
        let text = "Headline here\n\nBody starts. Ends";
        assert_eq!(sentences(text), ["Headline here", "Body starts.", "Ends"]);
    }

    #[test]
    fn empty_and_whitespace() {
        assert_eq!(segment(""), Segmented::default());
        assert_eq!(segment(" \n\t "), Segmented::default());
    }

    fn check_invariants(text: &str) {
        let s = segment(text);
        let mut last = 0;
        for t in &s.tokens {
            assert!(t.span.start < t.span.end, "empty token in {text:?}");
            assert!(t.span.start >= last, "overlap in {text:?}");
            assert!(t.span.end <= text.len());
            assert!(text.is_char_boundary(t.span.start) && text.is_char_boundary(t.span.end));
            assert!(!text[t.span.clone()].chars().any(char::is_whitespace));
            last = t.span.end;
        }
        let mut next_tok = 0;
        for b in &s.sentences {
            assert_eq!(b.tokens.start, next_tok, "sentences must tile tokens");
            assert!(b.tokens.end > b.tokens.start);
            assert_eq!(b.span.start, s.tokens[b.tokens.start].span.start);
            assert_eq!(b.span.end, s.tokens[b.tokens.end - 1].span.end);
            next_tok = b.tokens.end;
        }
        assert_eq!(next_tok, s.tokens.len());
    }

    proptest! {
        #[test]
        fn never_panics_and_spans_are_valid(text in "\\PC{0,80}") {
            check_invariants(&text);
        }

        #[test]
        fn punctuation_heavy_strings(text in "[a-zA-Z0-9 .,'’\"“”$%/@:!?()\\-—\n]{0,60}") {
            check_invariants(&text);
        }
    }
}
