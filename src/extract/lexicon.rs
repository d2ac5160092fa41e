//! Lexicons the rule extractor reads: titles, organization aliases, places, given names and
//! the relation vocabulary. They are plain files under data/lexicon/ so a user can extend
//! them; the defaults are compiled in so the binary works on its own.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// One relation of data/lexicon/relations.tsv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationEntry {
    pub lemma: String,
    pub predicate: String,
    pub label: String,
    pub category: String,
    pub light_nouns: Vec<String>,
    pub particle: Option<String>,
    pub inverse: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerbForm {
    Base,
    ThirdSingular,
    /// Regular `-ed`: past tense or past participle.
    PastOrParticiple,
    Gerund,
}

#[derive(Debug, Default)]
pub struct Lexicon {
    /// Lowercased title word sequences.
    pub titles: HashSet<Vec<String>>,
    pub max_title_len: usize,
    /// Alias (exact case) → canonical organization name.
    pub org_aliases: HashMap<String, String>,
    pub org_words: HashSet<String>,
    /// Organization names from the NER gazetteers (`agencies.txt`, the organization sections
    /// of `ner-names.txt`), so that a name starting with a title word ("General Motors") is
    /// not read as a title and a name. Not aliases: they do not merge entities.
    pub known_orgs: HashSet<String>,
    pub places: HashSet<String>,
    pub given_names: HashSet<String>,
    pub relations: Vec<RelationEntry>,
    /// Inflected form (lowercase) → (relation index, form).
    pub verb_forms: HashMap<String, (usize, VerbForm)>,
    /// Light-verb noun (lowercase, singular or plural) → relation index.
    pub light_nouns: HashMap<String, usize>,
    /// Verb lemma → relation index.
    pub by_lemma: HashMap<String, usize>,
}

/// The organization names of `agencies.txt` (one organization per line, aliases split by
/// `|`) and of the company, store, media, university, team and organization sections of
/// `ner-names.txt`.
fn known_orgs(agencies: &str, ner_names: &str) -> HashSet<String> {
    let mut out: HashSet<String> = data_lines(agencies)
        .flat_map(|l| l.split('|'))
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .collect();
    let mut section = "";
    for line in data_lines(ner_names) {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name;
        } else if matches!(
            section,
            "company" | "store" | "media" | "university" | "team" | "organization"
        ) {
            out.extend(
                line.split('|')
                    .map(|n| n.trim().to_owned())
                    .filter(|n| !n.is_empty()),
            );
        }
    }
    out
}

fn data_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
}

impl Lexicon {
    /// The lexicons compiled into the binary from data/lexicon/.
    pub fn embedded() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(|| {
            let mut lex = Lexicon::parse(
                include_str!("../../data/lexicon/titles.txt"),
                include_str!("../../data/lexicon/organizations.tsv"),
                include_str!("../../data/lexicon/org-words.txt"),
                include_str!("../../data/lexicon/places.txt"),
                include_str!("../../data/lexicon/given-names.txt"),
                include_str!("../../data/lexicon/relations.tsv"),
            );
            lex.known_orgs = known_orgs(
                include_str!("../../data/lexicon/agencies.txt"),
                include_str!("../../data/lexicon/ner-names.txt"),
            );
            lex
        })
    }

    pub fn parse(
        titles: &str,
        orgs: &str,
        org_words: &str,
        places: &str,
        given: &str,
        relations: &str,
    ) -> Lexicon {
        let mut lex = Lexicon::default();
        for line in data_lines(titles) {
            let words: Vec<String> = line.split_whitespace().map(str::to_lowercase).collect();
            lex.max_title_len = lex.max_title_len.max(words.len());
            lex.titles.insert(words);
        }
        for line in data_lines(orgs) {
            let mut cols = line.split('\t');
            let canonical = cols.next().unwrap_or_default().trim().to_owned();
            lex.org_aliases.insert(canonical.clone(), canonical.clone());
            for alias in cols.next().unwrap_or_default().split('|') {
                let alias = alias.trim();
                if !alias.is_empty() {
                    lex.org_aliases.insert(alias.to_owned(), canonical.clone());
                }
            }
        }
        lex.org_words = data_lines(org_words).map(|l| l.trim().to_owned()).collect();
        lex.places = data_lines(places).map(|l| l.trim().to_owned()).collect();
        lex.given_names = data_lines(given)
            .flat_map(str::split_whitespace)
            .map(str::to_owned)
            .collect();
        for line in data_lines(relations) {
            let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
            if cols.len() < 8 {
                continue;
            }
            let opt = |s: &str| (s != "-" && !s.is_empty()).then(|| s.to_owned());
            let list = |s: &str| -> Vec<String> {
                opt(s)
                    .map(|s| s.split(',').map(|w| w.trim().to_owned()).collect())
                    .unwrap_or_default()
            };
            let entry = RelationEntry {
                lemma: cols[0].to_owned(),
                predicate: cols[1].to_owned(),
                label: cols[2].to_owned(),
                category: cols[3].to_owned(),
                light_nouns: list(cols[5]),
                particle: opt(cols[6]),
                inverse: opt(cols[7]),
            };
            let index = lex.relations.len();
            lex.by_lemma.entry(entry.lemma.clone()).or_insert(index);
            for (form, kind) in inflections(&entry.lemma) {
                lex.verb_forms.entry(form).or_insert((index, kind));
            }
            for form in list(cols[4]) {
                let kind = if form.ends_with("ing") {
                    VerbForm::Gerund
                } else if form.ends_with('s') && !form.ends_with("ss") {
                    VerbForm::ThirdSingular
                } else {
                    VerbForm::PastOrParticiple
                };
                lex.verb_forms.insert(form, (index, kind));
            }
            for noun in &entry.light_nouns {
                lex.light_nouns.insert(noun.clone(), index);
                lex.light_nouns.insert(format!("{noun}s"), index);
            }
            lex.relations.push(entry);
        }
        lex
    }

    /// Longest title (in words) that the lowercased `words` start with.
    pub fn title_prefix(&self, words: &[&str]) -> usize {
        let max = self.max_title_len.min(words.len());
        (1..=max)
            .rev()
            .find(|&n| {
                let key: Vec<String> = words[..n].iter().map(|w| w.to_lowercase()).collect();
                self.titles.contains(&key)
            })
            .unwrap_or(0)
    }

    /// Longest title that the lowercased `words` end with.
    pub fn title_suffix(&self, words: &[&str]) -> usize {
        let max = self.max_title_len.min(words.len());
        (1..=max)
            .rev()
            .find(|&n| {
                let key: Vec<String> = words[words.len() - n..]
                    .iter()
                    .map(|w| w.to_lowercase())
                    .collect();
                self.titles.contains(&key)
            })
            .unwrap_or(0)
    }
}

/// Regular inflections of a verb lemma.
fn inflections(lemma: &str) -> Vec<(String, VerbForm)> {
    let mut out = vec![(lemma.to_owned(), VerbForm::Base)];
    let third = if lemma.ends_with('s')
        || lemma.ends_with("sh")
        || lemma.ends_with("ch")
        || lemma.ends_with('x')
    {
        format!("{lemma}es")
    } else if let Some(stem) = consonant_y(lemma) {
        format!("{stem}ies")
    } else {
        format!("{lemma}s")
    };
    out.push((third, VerbForm::ThirdSingular));
    let (past, gerund) = if let Some(stem) = lemma.strip_suffix('e') {
        (format!("{lemma}d"), format!("{stem}ing"))
    } else if let Some(stem) = consonant_y(lemma) {
        (format!("{stem}ied"), format!("{lemma}ing"))
    } else if doubles_final_consonant(lemma) {
        let last = lemma.chars().last().unwrap_or_default();
        (format!("{lemma}{last}ed"), format!("{lemma}{last}ing"))
    } else {
        (format!("{lemma}ed"), format!("{lemma}ing"))
    };
    out.push((past, VerbForm::PastOrParticiple));
    out.push((gerund, VerbForm::Gerund));
    out
}

fn consonant_y(lemma: &str) -> Option<&str> {
    let stem = lemma.strip_suffix('y')?;
    (!stem.ends_with(['a', 'e', 'o', 'u'])).then_some(stem)
}

/// One-syllable consonant-vowel-consonant verbs double their last letter ("ban" → "banned").
fn doubles_final_consonant(lemma: &str) -> bool {
    let b = lemma.as_bytes();
    let vowel = |c: u8| b"aeiou".contains(&c);
    let vowels = b.iter().filter(|&&c| vowel(c)).count();
    b.len() >= 3
        && vowels == 1
        && !vowel(b[b.len() - 1])
        && !b"wxy".contains(&b[b.len() - 1])
        && vowel(b[b.len() - 2])
        && !vowel(b[b.len() - 3])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_organizations_come_from_the_gazetteer_sections() {
        let orgs = known_orgs(
            "# comment\nGeneral Motors|GM\n",
            "[city]\nParis|Rome\n[company]\nGeneral Electric|Acme Corp\n[given]\nAnna\n",
        );
        for name in ["General Motors", "GM", "General Electric", "Acme Corp"] {
            assert!(orgs.contains(name), "{name}");
        }
        for name in ["Paris", "Anna", "# comment"] {
            assert!(!orgs.contains(name), "{name}");
        }
        assert!(Lexicon::embedded().known_orgs.contains("General Electric"));
    }

    #[test]
    fn inflects_regular_verbs() {
        let forms = |l: &str| inflections(l).into_iter().map(|f| f.0).collect::<Vec<_>>();
        assert_eq!(
            forms("revoke"),
            ["revoke", "revokes", "revoked", "revoking"]
        );
        assert_eq!(forms("ban"), ["ban", "bans", "banned", "banning"]);
        assert_eq!(forms("deny"), ["deny", "denies", "denied", "denying"]);
        assert_eq!(
            forms("dismiss"),
            ["dismiss", "dismisses", "dismissed", "dismissing"]
        );
    }

    #[test]
    fn embedded_lexicon_knows_the_sample() {
        let lex = Lexicon::embedded();
        assert_eq!(lex.org_aliases["Pentagon"], "Department of Defense");
        assert_eq!(lex.title_prefix(&["Defense", "Secretary", "Pete"]), 2);
        assert_eq!(
            lex.title_suffix(&["former", "national", "security", "adviser"]),
            3
        );
        let (i, form) = lex.verb_forms["pardoned"];
        assert_eq!(lex.relations[i].predicate, "pardon");
        assert_eq!(form, VerbForm::PastOrParticiple);
        assert_eq!(lex.relations[lex.light_nouns["pardon"]].predicate, "pardon");
        assert!(lex.places.contains("Afghanistan"));
    }
}
