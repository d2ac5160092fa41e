//! Lemmatizer: suffix-edit rules learned per XPOS tag, plus an exception dictionary holding
//! only the training words the rules get wrong.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use super::perceptron::{write_string, Reader};
use super::NlpError;

/// An edit turning a form into its lemma: optionally lowercase, strip `strip` chars, append.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rule {
    pub lower: bool,
    pub strip: u8,
    pub append: String,
}

impl Rule {
    fn apply(&self, form: &str) -> Option<String> {
        let base = if self.lower {
            form.to_lowercase()
        } else {
            form.to_string()
        };
        let n = base.chars().count();
        if self.strip as usize > n || (self.strip as usize == n && self.append.is_empty()) {
            return None;
        }
        let cut = base
            .char_indices()
            .nth(n - self.strip as usize)
            .map_or(base.len(), |(i, _)| i);
        Some(format!("{}{}", &base[..cut], self.append))
    }

    /// Rules (at most two: as-is and lowercased) mapping `form` to `lemma`.
    fn learn(form: &str, lemma: &str) -> Vec<Rule> {
        let mut out = Vec::new();
        for lower in [true, false] {
            let base = if lower {
                form.to_lowercase()
            } else {
                form.to_string()
            };
            let bc: Vec<char> = base.chars().collect();
            let lc: Vec<char> = lemma.chars().collect();
            let common = bc.iter().zip(&lc).take_while(|(a, b)| a == b).count();
            let strip = bc.len() - common;
            if strip > 8 || common == 0 {
                continue;
            }
            let append: String = lc[common..].iter().collect();
            out.push(Rule {
                lower,
                strip: strip as u8,
                append,
            });
        }
        out.dedup_by(|a, b| a.apply(form) == b.apply(form));
        out
    }
}

const MAX_SUFFIX: usize = 5;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lemmatizer {
    /// (xpos, lowercase suffix) → best rule.
    rules: HashMap<(String, String), Rule>,
    /// (form, xpos) → lemma, only where the rules are wrong.
    exceptions: HashMap<(String, String), String>,
}

fn suffix(lower: &str, len: usize) -> Option<&str> {
    let n = lower.chars().count();
    if len > n {
        return None;
    }
    let i = lower
        .char_indices()
        .nth(n - len)
        .map_or(lower.len(), |(i, _)| i);
    Some(&lower[i..])
}

impl Lemmatizer {
    /// Learns from (form, xpos, lemma) triples.
    pub fn train<'a>(data: impl Iterator<Item = (&'a str, &'a str, &'a str)> + Clone) -> Self {
        // (xpos, suffix) → rule → count
        let mut counts: HashMap<(String, String), BTreeMap<Rule, u32>> = HashMap::new();
        for (form, xpos, lemma) in data.clone() {
            let lower = form.to_lowercase();
            for rule in Rule::learn(form, lemma) {
                for l in 0..=MAX_SUFFIX {
                    let Some(suf) = suffix(&lower, l) else { break };
                    *counts
                        .entry((xpos.to_string(), suf.to_string()))
                        .or_default()
                        .entry(rule.clone())
                        .or_default() += 1;
                }
            }
        }
        let mut rules = HashMap::new();
        for (k, m) in counts {
            // Highest count; ties broken by the BTreeMap order (deterministic).
            let mut best: Option<(&Rule, u32)> = None;
            for (r, &c) in &m {
                if best.is_none_or(|(_, bc)| c > bc) {
                    best = Some((r, c));
                }
            }
            if let Some((r, _)) = best {
                rules.insert(k, r.clone());
            }
        }
        let mut lem = Lemmatizer {
            rules,
            exceptions: HashMap::new(),
        };
        // Exceptions: most frequent lemma per (form, xpos) where the rules disagree.
        let mut seen: HashMap<(String, String), BTreeMap<String, u32>> = HashMap::new();
        for (form, xpos, lemma) in data {
            *seen
                .entry((form.to_string(), xpos.to_string()))
                .or_default()
                .entry(lemma.to_string())
                .or_default() += 1;
        }
        for ((form, xpos), m) in seen {
            let mut best: Option<(&String, u32)> = None;
            for (l, &c) in &m {
                if best.is_none_or(|(_, bc)| c > bc) {
                    best = Some((l, c));
                }
            }
            let best = best.expect("non-empty").0.clone();
            if lem.by_rules(&form, &xpos) != best {
                lem.exceptions.insert((form, xpos), best);
            }
        }
        lem
    }

    fn by_rules(&self, form: &str, xpos: &str) -> String {
        if !form.chars().any(char::is_alphanumeric) {
            return form.to_string();
        }
        let lower = form.to_lowercase();
        let mut key = (xpos.to_string(), String::new());
        for l in (0..=MAX_SUFFIX).rev() {
            let Some(suf) = suffix(&lower, l) else {
                continue;
            };
            key.1.clear();
            key.1.push_str(suf);
            if let Some(r) = self.rules.get(&key) {
                if let Some(out) = r.apply(form) {
                    return out;
                }
            }
        }
        form.to_string()
    }

    /// Lemma of `form` tagged `xpos`: the exception dictionary first, then (for past tenses and
    /// past participles) the irregular-verb lexicon, then the suffix rules.
    pub fn lemmatize(&self, form: &str, xpos: &str) -> String {
        let mut key = (form.to_string(), xpos.to_string());
        if let Some(l) = self.exceptions.get(&key) {
            return l.clone();
        }
        let lower = form.to_lowercase();
        if matches!(xpos, "VBD" | "VBN") {
            if let Some(l) = irregular_lemma(&lower) {
                return l;
            }
        }
        // Web addresses and e-mail addresses are their own lemma (the rules would lowercase them).
        if xpos == "ADD" {
            return form.to_string();
        }
        if lower != form {
            key.0 = lower;
            if let Some(l) = self.exceptions.get(&key) {
                return l.clone();
            }
        }
        self.by_rules(form, xpos)
    }

    pub fn write(&self, out: &mut Vec<u8>) {
        let mut rules: Vec<_> = self.rules.iter().collect();
        rules.sort();
        out.extend_from_slice(&(rules.len() as u32).to_le_bytes());
        for ((x, s), r) in rules {
            write_string(out, x);
            write_string(out, s);
            out.push(r.lower as u8);
            out.push(r.strip);
            write_string(out, &r.append);
        }
        let mut exc: Vec<_> = self.exceptions.iter().collect();
        exc.sort();
        out.extend_from_slice(&(exc.len() as u32).to_le_bytes());
        for ((f, x), l) in exc {
            write_string(out, f);
            write_string(out, x);
            write_string(out, l);
        }
    }

    pub fn read(r: &mut Reader<'_>) -> Result<Self, NlpError> {
        let n = r.u32()? as usize;
        let mut rules = HashMap::with_capacity(n);
        for _ in 0..n {
            let x = r.string()?;
            let s = r.string()?;
            let b = r.bytes(2)?;
            let append = r.string()?;
            rules.insert(
                (x, s),
                Rule {
                    lower: b[0] != 0,
                    strip: b[1],
                    append,
                },
            );
        }
        let n = r.u32()? as usize;
        let mut exceptions = HashMap::with_capacity(n);
        for _ in 0..n {
            let f = r.string()?;
            let x = r.string()?;
            let l = r.string()?;
            exceptions.insert((f, x), l);
        }
        Ok(Lemmatizer { rules, exceptions })
    }
}

/// The team-written lexicon of irregular verbs: `lemma past participle` per line.
const IRREGULAR_VERBS: &str = include_str!("../../data/lexicon/irregular-verbs.txt");

/// Prefixes that irregular verbs take while keeping their inflection ("misled" → "mislead",
/// "overtook" → "overtake", "withheld" → "withhold").
const VERB_PREFIXES: &[&str] = &[
    "counter", "inter", "under", "cross", "super", "over", "with", "fore", "back", "down", "mis",
    "out", "for", "pre", "sub", "mid", "off", "re", "un", "up", "be", "co", "in",
];

/// Lowercase past / past participle form → lemma, from [`IRREGULAR_VERBS`] (first entry wins).
fn irregular_forms() -> &'static HashMap<String, String> {
    static FORMS: OnceLock<HashMap<String, String>> = OnceLock::new();
    FORMS.get_or_init(|| {
        let mut m = HashMap::new();
        for line in IRREGULAR_VERBS.lines() {
            let line = line.split('#').next().unwrap_or("");
            let mut cols = line.split_whitespace();
            let (Some(lemma), Some(past), Some(part)) = (cols.next(), cols.next(), cols.next())
            else {
                continue;
            };
            for f in past.split('/').chain(part.split('/')) {
                m.entry(f.to_lowercase())
                    .or_insert_with(|| lemma.to_lowercase());
            }
        }
        m
    })
}

/// Lemma of a lowercase past tense or past participle that is an irregular verb form, possibly
/// with a prefix ("mis", "over", …) or after a hyphen ("co-wrote" → "co-write").
pub fn irregular_lemma(lower: &str) -> Option<String> {
    let forms = irregular_forms();
    if let Some(l) = forms.get(lower) {
        return Some(l.clone());
    }
    if let Some((head, tail)) = lower.rsplit_once('-') {
        if !head.is_empty() {
            if let Some(l) = irregular_lemma(tail) {
                return Some(format!("{head}-{l}"));
            }
        }
    }
    for p in VERB_PREFIXES {
        let Some(rest) = lower.strip_prefix(p) else {
            continue;
        };
        if rest.chars().count() < 3 || rest.starts_with('-') {
            continue;
        }
        if let Some(l) = irregular_lemma(rest) {
            return Some(format!("{p}{l}"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_suffix_rules_and_exceptions() {
        let data = [
            ("walked", "VBD", "walk"),
            ("talked", "VBD", "talk"),
            ("jumped", "VBD", "jump"),
            ("went", "VBD", "go"),
            ("Dogs", "NNS", "dog"),
            ("cats", "NNS", "cat"),
            ("Google", "NNP", "Google"),
        ];
        let lem = Lemmatizer::train(data.iter().copied());
        assert_eq!(lem.lemmatize("parked", "VBD"), "park");
        assert_eq!(lem.lemmatize("went", "VBD"), "go");
        assert_eq!(lem.lemmatize("Rats", "NNS"), "rat");
        assert_eq!(lem.lemmatize("Milley", "NNP"), "Milley");
        let mut buf = Vec::new();
        lem.write(&mut buf);
        let back = Lemmatizer::read(&mut Reader::new(&buf)).unwrap();
        assert_eq!(back, lem);
    }

    #[test]
    fn rule_apply_handles_unicode() {
        let r = Rule {
            lower: true,
            strip: 1,
            append: "e".into(),
        };
        assert_eq!(r.apply("CAFÉS").as_deref(), Some("cafée"));
    }

    /// A lemmatizer whose rules strip "-ed" from every past form, as a model trained on regular
    /// verbs would: the irregular-verb lexicon has to override them.
    fn regular_only() -> Lemmatizer {
        let data = [
            ("walked", "VBD", "walk"),
            ("talked", "VBN", "talk"),
            ("sailed", "VBD", "sail"),
            ("sailed", "VBN", "sail"),
            ("http://Example.com/A", "ADD", "http://Example.com/A"),
            ("Mail", "NN", "mail"),
        ];
        Lemmatizer::train(data.iter().copied())
    }

    #[test]
    fn irregular_verbs_beat_the_suffix_rules() {
        let lem = regular_only();
        // The rules alone get these wrong ("misled" → "misl").
        assert_eq!(lem.by_rules("misled", "VBD"), "misl");
        for (form, xpos, lemma) in [
            ("misled", "VBD", "mislead"),
            ("misled", "VBN", "mislead"),
            ("shot", "VBD", "shoot"),
            ("led", "VBD", "lead"),
            ("overtook", "VBD", "overtake"),
            ("undertaken", "VBN", "undertake"),
            ("withheld", "VBD", "withhold"),
            ("foresaw", "VBD", "foresee"),
            ("outran", "VBD", "outrun"),
            ("rebuilt", "VBN", "rebuild"),
            ("misunderstood", "VBD", "misunderstand"),
            ("went", "VBD", "go"),
            ("Shot", "VBD", "shoot"),
            ("LED", "VBD", "lead"),
            ("co-wrote", "VBD", "co-write"),
            ("pre-made", "VBN", "pre-make"),
            ("born", "VBN", "bear"),
            ("dreamt", "VBD", "dream"),
        ] {
            assert_eq!(lem.lemmatize(form, xpos), lemma, "{form}/{xpos}");
        }
        // Only past tenses and participles are looked up: a noun "shot" stays a shot.
        assert_eq!(lem.lemmatize("shot", "NN"), "shot");
        assert_eq!(lem.lemmatize("lead", "VB"), "lead");
        // Regular verbs still go through the rules; no prefix is split off a regular verb.
        assert_eq!(lem.lemmatize("parked", "VBD"), "park");
        assert_eq!(lem.lemmatize("recalled", "VBD"), "recall");
        assert_eq!(irregular_lemma("resented"), None);
        assert_eq!(irregular_lemma("red"), None);
    }

    #[test]
    fn exceptions_win_over_the_lexicon() {
        // "undershot" shares its 5-char suffix with the majority "overshot" → "overshoot", so the
        // rules get it wrong and training stores it as an exception.
        let data = [
            ("overshot", "VBD", "overshoot"),
            ("overshot", "VBD", "overshoot"),
            ("undershot", "VBD", "undershot"),
        ];
        let lem = Lemmatizer::train(data.iter().copied());
        assert_eq!(irregular_lemma("undershot").as_deref(), Some("undershoot"));
        assert_eq!(lem.lemmatize("undershot", "VBD"), "undershot");
        // Not in the exceptions under this spelling: the lexicon decides.
        assert_eq!(lem.lemmatize("Undershot", "VBD"), "undershoot");
    }

    #[test]
    fn capitalized_words_fall_back_to_lowercase_exceptions() {
        let data = [
            ("cravings", "NNS", "craving"),
            ("engravings", "NNS", "engraving"),
            ("savings", "NNS", "savings"),
        ];
        let lem = Lemmatizer::train(data.iter().copied());
        assert_eq!(lem.by_rules("Savings", "NNS"), "saving");
        assert_eq!(lem.lemmatize("savings", "NNS"), "savings");
        assert_eq!(lem.lemmatize("Savings", "NNS"), "savings");
        assert_eq!(lem.lemmatize("Cravings", "NNS"), "craving");
    }

    #[test]
    fn web_addresses_keep_their_case() {
        let lem = regular_only();
        assert_eq!(
            lem.lemmatize("http://Example.org/Page", "ADD"),
            "http://Example.org/Page"
        );
        assert_eq!(
            lem.lemmatize("Jane.Doe@Example.COM", "ADD"),
            "Jane.Doe@Example.COM"
        );
    }

    #[test]
    fn odd_input_does_not_panic() {
        let lem = regular_only();
        for form in [
            "",
            "-",
            "--",
            "re-",
            "-led",
            "mis",
            "ß",
            "İ",
            "re\u{301}led",
            "über-led",
            "x-",
        ] {
            for xpos in ["VBD", "VBN", "ADD", "NNP", "NN", ""] {
                let _ = lem.lemmatize(form, xpos);
            }
        }
        assert_eq!(lem.lemmatize("über-led", "VBD"), "über-lead");
    }
}
