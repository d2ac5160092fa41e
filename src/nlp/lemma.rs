//! Lemmatizer: suffix-edit rules learned per XPOS tag, plus an exception dictionary holding
//! only the training words the rules get wrong.

use std::collections::{BTreeMap, HashMap};

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

    pub fn lemmatize(&self, form: &str, xpos: &str) -> String {
        if let Some(l) = self.exceptions.get(&(form.to_string(), xpos.to_string())) {
            return l.clone();
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
}
