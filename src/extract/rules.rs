//! The rule extractor: capitalized-name chunks typed by lexicons, titles and appositions as
//! roles, surname and pronoun coreference, and verb-lexicon patterns for facts.
//!
//! It reads only tokens (no tagger or parser) so it is fast and predictable; its limits are
//! the lexicons'. Each fact records the rule that produced it.

use super::lexicon::{Lexicon, VerbForm};
use super::time::{self, TimeMention};
use super::Extractor;
use crate::ir::{
    slug, DocumentMeta, Entity, EntityId, EntityKind, Extraction, Fact, Mention, MentionKind, Role,
    Sentence, Span,
};
use crate::nlp::ner::{NerTagger, TYPES};
use crate::nlp::{AnalyzedSentence, Pipeline};
use crate::source::Document;
use crate::text::{self, CharOffsets, Segmented};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

mod clause_facts;
use clause_facts::Coverage;

pub struct RuleExtractor {
    lex: &'static Lexicon,
}

impl RuleExtractor {
    pub fn new() -> Self {
        RuleExtractor {
            lex: Lexicon::embedded(),
        }
    }
}

impl Default for RuleExtractor {
    fn default() -> Self {
        Self::new()
    }
}

impl Extractor for RuleExtractor {
    fn name(&self) -> &'static str {
        concat!("newsgraph-rules/", env!("CARGO_PKG_VERSION"))
    }

    fn extract(&self, doc: &Document) -> Extraction {
        let mut run = Run::new(self.lex, doc);
        run.names();
        run.facts();
        run.finish(doc, self.name())
    }
}

/// Capitalized words that start sentences without naming anything.
const STOP_CAPS: &[&str] = &[
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "By",
    "For",
    "From",
    "With",
    "Without",
    "Within",
    "During",
    "After",
    "Before",
    "Only",
    "As",
    "But",
    "And",
    "Or",
    "So",
    "If",
    "When",
    "While",
    "Although",
    "Though",
    "It",
    "Its",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "Here",
    "He",
    "She",
    "They",
    "We",
    "I",
    "You",
    "His",
    "Her",
    "Their",
    "Our",
    "My",
    "Your",
    "What",
    "Who",
    "Why",
    "How",
    "Where",
    "Which",
    "Some",
    "Many",
    "Most",
    "All",
    "Any",
    "Each",
    "Every",
    "No",
    "Not",
    "Even",
    "Also",
    "Still",
    "Yet",
    "Then",
    "Now",
    "Last",
    "Next",
    "First",
    "Share",
    "According",
    "Despite",
    "Under",
    "Over",
    "Since",
    "Until",
    "Mr",
    "Meanwhile",
    "However",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan.",
    "Feb.",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
    "To",
    "Of",
    "About",
    "Like",
    "Yes",
    "Asked",
    "One",
    "Two",
    "Three",
    "Former",
    "Another",
    "Both",
];
/// How far (in tokens) rules look left for a subject or a phrase.
const MAX_SCAN: usize = 60;

/// Nouns for people an organization serves, teaches or hosts: "a student at X" is no role.
const NOT_EMPLOYEES: &[&str] = &[
    "student",
    "graduate",
    "alumnus",
    "alumna",
    "undergraduate",
    "fan",
    "visitor",
    "guest",
    "patient",
    "customer",
    "client",
    "resident",
    "inmate",
    "prisoner",
    "applicant",
    "candidate",
    "user",
    "shareholder",
    "investor",
    "critic",
    "winner",
    "recipient",
    "finalist",
    "nominee",
    "pupil",
    "spectator",
    "passenger",
    "tourist",
];

/// Words that stand for something else and make no node of their own.
const NOT_CONCEPTS: &[&str] = &[
    "we",
    "they",
    "it",
    "i",
    "you",
    "who",
    "which",
    "that",
    "this",
    "those",
    "these",
    "he",
    "she",
    "him",
    "her",
    "them",
    "us",
    "what",
    "there",
    "one",
    "itself",
    "themselves",
    "later",
];
const PRONOUNS: &[&str] = &[
    "he", "him", "his", "she", "her", "hers", "himself", "herself",
];
const POSSESSIVE_PRONOUNS: &[&str] = &["his", "her", "its", "their"];
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "his", "her", "its", "their", "this", "that", "these", "those", "our",
];
const PREPOSITIONS: &[&str] = &[
    "for",
    "of",
    "to",
    "from",
    "with",
    "by",
    "in",
    "on",
    "at",
    "about",
    "against",
    "into",
    "under",
    "after",
    "before",
    "since",
    "like",
    "including",
    "as",
    "over",
    "during",
    "within",
    "without",
    "through",
    "between",
    "among",
    "toward",
    "towards",
    "upon",
    "via",
];
const CLAUSE_BOUNDARIES: &[&str] = &[
    ",", ";", ":", ".", "!", "?", "—", "–", "(", ")", "\"", "“", "”", "that", "who", "which",
    "whose", "but", "while", "because", "when", "if", "although", "though", "where", "whether",
    "after", "before", "since", "until", "unless",
];
const SKIPPABLE_BEFORE_VERB: &[&str] = &[
    "also",
    "has",
    "have",
    "had",
    "did",
    "does",
    "do",
    "will",
    "would",
    "could",
    "may",
    "might",
    "can",
    "should",
    "must",
    "not",
    "n't",
    "never",
    "then",
    "later",
    "reportedly",
    "allegedly",
    "first",
    "previously",
    "already",
    "still",
    "just",
    "recently",
    "once",
    "again",
    "quickly",
    "formally",
    "publicly",
    "officially",
    "abruptly",
    "repeatedly",
];
/// Verbs whose object controls a following infinitive ("directed X to launch").
const DIRECTIVES: &[&str] = &[
    "direct", "order", "tell", "ask", "urge", "force", "allow", "instruct",
];
/// Verbs whose complement is a clause, not a thing: only named objects are kept.
const CLAUSAL: &[&str] = &[
    "say", "testify", "report", "confirm", "announce", "warn", "deny", "tell", "describe",
];
const MODALS: &[&str] = &[
    "could", "would", "may", "might", "should", "can", "must", "will",
];
const BE_FORMS: &[&str] = &[
    "was", "were", "is", "are", "been", "being", "be", "’s", "'s",
];
const ATTRIBUTING: &[&str] = &[
    "say", "tell", "testify", "report", "confirm", "announce", "warn",
];

/// A capitalized-name chunk in a sentence, title stripped.
struct Chunk {
    sentence: usize,
    /// First token, title included.
    start: usize,
    /// Name tokens (title excluded).
    name: Range<usize>,
    /// In-chunk title tokens ("Defense Secretary", "Gen.").
    title: Option<Range<usize>>,
    /// Organization named before the title inside the chunk ("Pentagon Press Secretary X").
    title_org: Option<Range<usize>>,
    possessive: bool,
}

/// Words that open many organizations' names and name none alone ("National Reserve Bank",
/// "Federal Reserve", "Port Calder Harbor Authority").
const GENERIC_ORG_OPENERS: &[&str] = &[
    "National",
    "Federal",
    "United",
    "International",
    "American",
    "British",
    "European",
    "Royal",
    "Central",
    "State",
    "City",
    "County",
    "Port",
    "New",
    "First",
    "General",
    "Supreme",
    "High",
    "North",
    "South",
    "East",
    "West",
    "Northern",
    "Southern",
    "Eastern",
    "Western",
    "Great",
    "Global",
    "World",
    "Public",
    "Coastal",
    "Ministry",
    "Department",
    "Office",
    "University",
    "Bank",
    "Church",
    "Holy",
    "Saint",
    "St.",
    "Old",
    "Grand",
];

#[derive(Debug, Clone, PartialEq, Eq)]
enum Class {
    Person,
    Organization(String),
    Place(String),
}

struct Run<'a> {
    lex: &'static Lexicon,
    text: &'a str,
    seg: Segmented,
    words: Vec<&'a str>,
    lower: Vec<String>,
    sentence_of: Vec<usize>,
    offsets: CharOffsets,
    date: Option<(i32, u32, u32)>,
    entities: Vec<Entity>,
    by_key: HashMap<(EntityKind, String), EntityId>,
    mentions: Vec<Mention>,
    /// Token → mention index, for every token of a name (title tokens included).
    token_mention: Vec<Option<usize>>,
    /// Token → true when it is part of a chunk's in-name title or a possessive marker.
    possessive_end: Vec<bool>,
    /// Tokens inside ", who …," relative clauses, which are skipped when looking for subjects.
    in_relative: Vec<bool>,
    facts: Vec<Fact>,
    /// The verb token each fact in `facts` was read from.
    fact_verbs: Vec<Option<usize>>,
    /// Tags, lemmas and dependency trees of every sentence (`nlp` stage).
    analysis: Vec<AnalyzedSentence>,
    /// Token → entity type index (`nlp::ner::TYPES`) assigned by the NER tagger.
    ner: Vec<Option<usize>>,
}

/// A role found in a tree: person, title, organization, former, tokens.
type FoundRole = (EntityId, String, Option<EntityId>, bool, Range<usize>);

fn pronoun_resolver() -> &'static super::pronoun::PronounResolver {
    static RESOLVER: std::sync::OnceLock<super::pronoun::PronounResolver> =
        std::sync::OnceLock::new();
    RESOLVER.get_or_init(super::pronoun::PronounResolver::new)
}

/// Runs the statistical core over the segmented document: tagger, parser and NER.
fn analyze(text: &str, seg: &Segmented) -> (Vec<AnalyzedSentence>, Vec<Option<usize>>) {
    let Ok(pipeline) = Pipeline::try_embedded() else {
        return (Vec::new(), vec![None; seg.tokens.len()]);
    };
    let analysis = pipeline.analyze(text, seg);
    let mut ner = vec![None; seg.tokens.len()];
    if let Ok(tagger) = NerTagger::embedded() {
        let forms: Vec<Vec<String>> = analysis
            .iter()
            .map(|s| {
                s.words
                    .iter()
                    .map(|w| crate::nlp::normalize(&w.form).into_owned())
                    .collect()
            })
            .collect();
        let forms: Vec<Vec<&str>> = forms
            .iter()
            .map(|f| f.iter().map(String::as_str).collect())
            .collect();
        let xpos: Vec<Vec<&str>> = analysis
            .iter()
            .map(|s| s.words.iter().map(|w| w.xpos.as_str()).collect())
            .collect();
        let pairs: Vec<(&[&str], &[&str])> = forms
            .iter()
            .zip(&xpos)
            .map(|(f, x)| (f.as_slice(), x.as_slice()))
            .collect();
        for (sentence, spans) in seg.sentences.iter().zip(tagger.tag_document(&pairs)) {
            for e in spans {
                for t in &mut ner[sentence.tokens.start + e.start..sentence.tokens.start + e.end] {
                    *t = Some(e.kind);
                }
            }
        }
    }
    (analysis, ner)
}

impl<'a> Run<'a> {
    fn new(lex: &'static Lexicon, doc: &'a Document) -> Self {
        let text = doc.text.as_str();
        let seg = text::segment(text);
        let words: Vec<&str> = seg.tokens.iter().map(|t| &text[t.span.clone()]).collect();
        let lower = words.iter().map(|w| w.to_lowercase()).collect();
        let mut sentence_of = vec![0; words.len()];
        for (i, s) in seg.sentences.iter().enumerate() {
            for t in s.tokens.clone() {
                sentence_of[t] = i;
            }
        }
        let n = words.len();
        let (analysis, ner) = analyze(text, &seg);
        Run {
            analysis,
            ner,
            lex,
            text,
            offsets: CharOffsets::new(text),
            seg,
            words,
            lower,
            sentence_of,
            date: doc.date.as_deref().and_then(time::parse_date),
            entities: Vec::new(),
            by_key: HashMap::new(),
            mentions: Vec::new(),
            token_mention: vec![None; n],
            possessive_end: vec![false; n],
            in_relative: vec![false; n],
            facts: Vec::new(),
            fact_verbs: Vec::new(),
        }
    }

    fn span_of(&self, tokens: Range<usize>) -> Span {
        let start = self.seg.tokens[tokens.start].span.start;
        let end = self.seg.tokens[tokens.end - 1].span.end;
        Span::new(self.offsets.char_of(start), self.offsets.char_of(end))
    }

    fn slice(&self, tokens: Range<usize>) -> &'a str {
        let start = self.seg.tokens[tokens.start].span.start;
        let end = self.seg.tokens[tokens.end - 1].span.end;
        &self.text[start..end]
    }

    fn joined(&self, tokens: Range<usize>) -> String {
        self.words[tokens].join(" ")
    }

    fn is_cap(&self, i: usize) -> bool {
        let w = self.words[i];
        let mut chars = w.chars();
        let first = chars.next();
        first.is_some_and(|c| c.is_uppercase())
            && w.chars().any(|c| c.is_alphabetic())
            && !matches!(w, "I")
    }

    fn is_possessive_marker(&self, i: usize) -> bool {
        matches!(
            self.words.get(i),
            Some(&"’s") | Some(&"'s") | Some(&"’") | Some(&"'")
        ) && i > 0
            && self.seg.tokens[i].span.start == self.seg.tokens[i - 1].span.end
    }

    // ---------------------------------------------------------------- names

    fn chunks(&self) -> Vec<Chunk> {
        let mut chunks = Vec::new();
        for (s, sentence) in self.seg.sentences.iter().enumerate() {
            let range = sentence.tokens.clone();
            let mut i = range.start;
            while i < range.end {
                if !self.is_cap(i) {
                    i += 1;
                    continue;
                }
                let start = i;
                let mut end = i + 1;
                loop {
                    if end < range.end && self.is_cap(end) && !self.is_possessive_marker(end) {
                        end += 1;
                    } else if end + 1 < range.end
                        && matches!(self.lower[end].as_str(), "of" | "&")
                        && self.is_cap(end + 1)
                    {
                        end += 2;
                    } else if end + 2 < range.end
                        && self.lower[end] == "of"
                        && self.lower[end + 1] == "the"
                        && self.is_cap(end + 2)
                    {
                        end += 3;
                    } else {
                        break;
                    }
                }
                let mut first = start;
                while first < end && STOP_CAPS.contains(&self.words[first]) {
                    first += 1;
                }
                // A trailing "of" never ends a name.
                if first < end {
                    chunks.push(self.split_title(s, first, end));
                }
                i = end;
            }
        }
        chunks
    }

    fn split_title(&self, sentence: usize, start: usize, end: usize) -> Chunk {
        let words = &self.words[start..end];
        let mut title = None;
        let mut title_org = None;
        let mut name_start = start;
        // "General Motors", "General Electric": a known organization starting with a title
        // word is a name, not a title and a name.
        let joined = words.join(" ");
        let known_org =
            self.lex.org_aliases.contains_key(&joined) || self.lex.known_orgs.contains(&joined);
        let n = if known_org {
            0
        } else {
            self.lex.title_prefix(words)
        };
        if n > 0 && n < words.len() {
            title = Some(start..start + n);
            name_start = start + n;
        } else {
            // "Pentagon Press Secretary John Doe": organization, then title, then name.
            for k in 1..words.len().saturating_sub(1) {
                if self.lex.org_aliases.contains_key(&words[..k].join(" ")) {
                    let t = self.lex.title_prefix(&words[k..]);
                    if t > 0 && k + t < words.len() {
                        title_org = Some(start..start + k);
                        title = Some(start + k..start + k + t);
                        name_start = start + k + t;
                        break;
                    }
                }
            }
        }
        // "Professor of Ocean Engineering", "Director of the Hopwood Awards Program": a
        // title governing "of …" names a position, and what follows names its organization.
        if title.is_some() && matches!(self.words.get(name_start).copied(), Some("of")) {
            let mut org_start = name_start + 1;
            if matches!(self.words.get(org_start).copied(), Some("the" | "The")) {
                org_start += 1;
            }
            return Chunk {
                sentence,
                start: org_start.min(end),
                name: org_start.min(end)..end,
                title: None,
                title_org: None,
                possessive: self.is_possessive_marker(end),
            };
        }
        Chunk {
            sentence,
            start,
            name: name_start..end,
            title,
            title_org,
            possessive: self.is_possessive_marker(end),
        }
    }

    fn classify(
        &self,
        chunk: &Chunk,
        surnames: &HashMap<String, String>,
        singles: &HashSet<&str>,
        org_heads: &HashMap<String, String>,
        places: &HashSet<String>,
    ) -> Option<Class> {
        let name = self.joined(chunk.name.clone());
        // A bare title ("Secretary of the Army portrait") names nobody.
        if chunk.title.is_none()
            && self.lex.title_prefix(&self.words[chunk.name.clone()]) == chunk.name.len()
        {
            return None;
        }
        if let Some(canonical) = self.lex.org_aliases.get(&name) {
            return Some(Class::Organization(canonical.clone()));
        }
        if self.lex.places.contains(&name) {
            return Some(Class::Place(name));
        }
        let tokens = &self.words[chunk.name.clone()];
        let alphabetic = tokens.iter().all(|w| {
            w.chars()
                .all(|c| c.is_alphabetic() || c == '-' || c == '.' || c == '\'')
        });
        if chunk.title.is_some() && alphabetic {
            return Some(Class::Person);
        }
        // A lowercase title right before: "union president Ansel Moravec".
        if alphabetic && chunk.start > 0 && tokens.len() <= 4 {
            let from = chunk.start.saturating_sub(self.lex.max_title_len);
            let before = &self.words[from..chunk.start];
            let n = self.lex.title_suffix(before);
            if n > 0 && !self.is_cap(chunk.start - 1) {
                return Some(Class::Person);
            }
        }
        if tokens.iter().any(|w| self.lex.org_words.contains(*w)) && tokens.len() > 1 {
            return Some(Class::Organization(name));
        }
        if !alphabetic {
            return None;
        }
        if tokens.len() >= 2 && tokens.len() <= 4 && self.lex.given_names.contains(tokens[0]) {
            return Some(Class::Person);
        }
        if tokens.len() == 1 && surnames.contains_key(tokens[0]) {
            return Some(Class::Person);
        }
        // News names a person in full once, then by surname: "Marcus Feld … Feld said".
        if (2..=3).contains(&tokens.len())
            && singles.contains(tokens[tokens.len() - 1])
            && !self.lex.places.contains(tokens[tokens.len() - 1])
        {
            return Some(Class::Person);
        }
        // One sense per discourse: a name the document uses as a place stays a place where
        // the tagger reads it otherwise or not at all ("near Halvern" beside "in Halvern,
        // the minister said").
        if places.contains(&name) {
            return Some(Class::Place(name));
        }
        if let Some(class) = self.ner_class(chunk, &name) {
            return Some(class);
        }
        // "Meridian Shipping Group … Meridian, which is based in Halvern": once named in
        // full, an organization goes by its first word (unless the tagger read it otherwise:
        // "Barden was President of Majestic …" beside "Barden Nevada Las Vegas"; and not in
        // a title: "Finance minister" beside "Finance Ministry").
        let before_title = self.lex.title_prefix(&self.words[chunk.name.end..]) > 0;
        if tokens.len() == 1 && chunk.title.is_none() && !before_title {
            if let Some(full) = org_heads.get(tokens[0]) {
                return Some(Class::Organization(full.clone()));
            }
        }
        if (2..=3).contains(&tokens.len()) {
            let after = self.lower.get(chunk.name.end).map(String::as_str);
            let after2 = self.lower.get(chunk.name.end + 1).map(String::as_str);
            let before = chunk.start.checked_sub(1).map(|i| self.lower[i].as_str());
            let speaks = matches!(after, Some("said" | "says" | "told"))
                || matches!(before, Some("said" | "says"))
                || (after == Some(",") && matches!(after2, Some("who")));
            if speaks {
                return Some(Class::Person);
            }
        }
        // "reporters in Halvern", "a consultancy in Saltmere", "a deputy from Sevastopol":
        // a capitalized word nothing else could type, after a preposition of place, is a
        // place. Single words only: "at Boeing", "in Congress Park" say less.
        if tokens.len() == 1 && chunk.title.is_none() && chunk.start > 0 {
            let before = self.lower[chunk.start - 1].as_str();
            // Not a language or a people: "in Spanish", "from Ukrainian".
            let lower = name.to_lowercase();
            let demonym = [
                "ish", "ese", "ian", "ean", "ic", "ch", "ek", "ai", "man", "can", "ani",
            ]
            .iter()
            .any(|s| lower.ends_with(s));
            if matches!(before, "in" | "near" | "from" | "outside") && !demonym {
                return Some(Class::Place(name));
            }
        }
        None
    }

    /// The NER tagger's reading of a chunk the lexicons could not type: the type it gave to
    /// every word of the name, if one type covers them all.
    fn ner_class(&self, chunk: &Chunk, name: &str) -> Option<Class> {
        // All-capital words carry no case evidence; at a sentence start before a dash they
        // are a dateline's place ("HALVERN — The ombudsman …"), elsewhere they are left alone.
        if !name.chars().any(char::is_lowercase) {
            let first = self.seg.sentences[chunk.sentence].tokens.start;
            let dash = matches!(
                self.words.get(chunk.name.end).copied(),
                Some("—" | "–" | "-" | "--")
            );
            return (chunk.start == first && dash && name.chars().count() > 2)
                .then(|| Class::Place(name.to_string()));
        }
        let mut kinds = self.ner.get(chunk.name.clone())?.iter();
        let first = (*kinds.next()?)?;
        if !kinds.all(|k| *k == Some(first)) {
            return None;
        }
        match TYPES[first] {
            "PER" => Some(Class::Person),
            "ORG" => Some(Class::Organization(name.to_string())),
            _ => Some(Class::Place(name.to_string())),
        }
    }

    /// The entity a typed name refers to, preferring what the document already named: the
    /// same name typed earlier (the statistical tagger may type a repeated name differently;
    /// the first, often lexicon-backed, reading wins), or an organization whose full name
    /// starts with this one ("Meridian" after "Meridian Shipping Group").
    fn resolve_in_document(&mut self, kind: EntityKind, name: &str) -> EntityId {
        let key = slug(name);
        if let Some(id) = (0..self.entities.len())
            .find(|&e| self.entities[e].kind != EntityKind::Concept && self.entities[e].key == key)
        {
            return id;
        }
        // A lone word that starts an organization's name is that organization, even where a
        // verb of speech made it look like a person ("Meridian said …"). Not a place: places
        // start organizations' names ("Port Calder" of "Port Calder Harbor Authority").
        if kind != EntityKind::Place && (kind != EntityKind::Person || !name.contains(' ')) {
            let prefix = format!("{name} ");
            if let Some(id) = (0..self.entities.len()).find(|&e| {
                self.entities[e].kind == EntityKind::Organization
                    && self.entities[e].name.starts_with(&prefix)
            }) {
                return id;
            }
        }
        self.entity(kind, name, key)
    }

    fn entity(&mut self, kind: EntityKind, name: &str, key: String) -> EntityId {
        if let Some(&id) = self.by_key.get(&(kind, key.clone())) {
            return id;
        }
        let id = self.entities.len();
        self.entities.push(Entity {
            kind,
            name: name.to_owned(),
            key: key.clone(),
            aliases: Vec::new(),
            roles: Vec::new(),
            holder: None,
            confidence: 0.9,
        });
        self.by_key.insert((kind, key), id);
        id
    }

    fn add_mention(&mut self, entity: EntityId, tokens: Range<usize>, kind: MentionKind) -> usize {
        let sentence = self.sentence_of[tokens.start];
        let text = self.slice(tokens.clone()).to_owned();
        if kind == MentionKind::Name {
            let e = &mut self.entities[entity];
            if text != e.name && !e.aliases.contains(&text) {
                e.aliases.push(text.clone());
            }
        }
        let index = self.mentions.len();
        self.mentions.push(Mention {
            entity,
            sentence,
            span: self.span_of(tokens.clone()),
            text,
            kind,
        });
        for t in tokens {
            self.token_mention[t] = Some(index);
        }
        index
    }

    fn names(&mut self) {
        let chunks = self.chunks();
        // Full names first, so "Trump" in a headline finds "Donald Trump" met later.
        let mut surnames: HashMap<String, String> = HashMap::new();
        let empty = HashMap::new();
        let singles: HashSet<&str> = chunks
            .iter()
            .filter(|c| c.name.len() == 1)
            .map(|c| self.words[c.name.start])
            .collect();
        // First words of organizations named in full, when only one organization starts
        // with the word and the document does not also use the word as a place.
        let mut heads: HashMap<String, HashSet<String>> = HashMap::new();
        let mut place_words: HashSet<&str> = HashSet::new();
        let mut place_names: HashSet<String> = HashSet::new();
        let no_places = HashSet::new();
        for chunk in &chunks {
            let class = self.classify(chunk, &empty, &singles, &empty, &no_places);
            if let Some(Class::Place(name)) = &class {
                place_names.insert(name.clone());
            }
            match class {
                Some(Class::Person) if chunk.name.len() >= 2 => {
                    let full = self.joined(chunk.name.clone());
                    let last = self.words[chunk.name.end - 1].to_owned();
                    surnames.entry(last).or_insert(full);
                }
                Some(Class::Organization(full)) if chunk.name.len() >= 2 => {
                    let first = self.words[chunk.name.start];
                    if full.split(' ').next() == Some(first) {
                        heads.entry(first.to_owned()).or_default().insert(full);
                    }
                }
                Some(Class::Place(_)) if chunk.name.len() == 1 => {
                    place_words.insert(self.words[chunk.name.start]);
                }
                _ => {}
            }
        }
        let org_heads: HashMap<String, String> = heads
            .into_iter()
            .filter(|(w, names)| {
                names.len() == 1
                    && w.chars().count() >= 3
                    && w.chars().any(char::is_lowercase)
                    && !place_words.contains(w.as_str())
                    && !self.lex.places.contains(w)
                    && !self.lex.given_names.contains(w)
                    && !GENERIC_ORG_OPENERS.contains(&w.as_str())
            })
            .filter_map(|(w, names)| Some((w, names.into_iter().next()?)))
            .collect();
        let mut org_of_chunk: HashMap<usize, EntityId> = HashMap::new();
        let mut person_chunks = Vec::new();
        for (ci, chunk) in chunks.iter().enumerate() {
            let Some(class) = self.classify(chunk, &surnames, &singles, &org_heads, &place_names)
            else {
                continue;
            };
            let (kind, canonical) = match class {
                Class::Person => {
                    let name = self.joined(chunk.name.clone());
                    let full = if chunk.name.len() == 1 {
                        surnames.get(&name).cloned().unwrap_or(name)
                    } else {
                        name
                    };
                    (EntityKind::Person, full)
                }
                Class::Organization(n) => (EntityKind::Organization, n),
                Class::Place(n) => (EntityKind::Place, n),
            };
            let id = self.resolve_in_document(kind, &canonical);
            self.add_mention(id, chunk.name.clone(), MentionKind::Name);
            // Title tokens belong to the mention's extent for subject search.
            let m = self.token_mention[chunk.name.start];
            for t in chunk.start..chunk.name.start {
                self.token_mention[t] = m;
            }
            if chunk.possessive {
                self.possessive_end[chunk.name.end] = true;
            }
            match kind {
                EntityKind::Person => person_chunks.push(ci),
                _ => {
                    org_of_chunk.insert(ci, id);
                }
            }
        }
        self.mark_relative_clauses();
        for ci in person_chunks {
            self.roles_of(&chunks, ci);
        }
        self.pronouns();
        self.dependency_roles();
    }

    /// Roles read off the dependency trees, where the token rules do not reach: copulas
    /// ("Nadella is the chief executive of Microsoft"), appositions with an organization
    /// ("Barra, chief executive of General Motors"), and employment verbs ("works for X",
    /// "joined X", "served as director of X").
    fn dependency_roles(&mut self) {
        let mut found: Vec<FoundRole> = Vec::new();
        for (si, sentence) in self.analysis.iter().enumerate() {
            let base = self.seg.sentences[si].tokens.start;
            let words = &sentence.words;
            let head = |i: usize| {
                let h = words[i].head;
                (h > 0 && h <= words.len() && h - 1 != i).then(|| h - 1)
            };
            // Children lists built once: a scan per lookup is quadratic on the
            // sentence-that-never-ends inputs the bad-input tests feed in.
            let mut kids: Vec<Vec<usize>> = vec![Vec::new(); words.len()];
            for c in 0..words.len() {
                if let Some(h) = head(c) {
                    kids[h].push(c);
                }
            }
            let children = |i: usize| kids[i].iter().copied();
            let person = |i: usize| {
                self.entity_at(base + i)
                    .filter(|&e| self.entities[e].kind == EntityKind::Person)
            };
            // The organization a title or verb is tied to: "of/at/for/with ORG", "ORG's".
            let org_of = |i: usize| {
                children(i).find_map(|c| {
                    let rel = words[c].deprel.as_str();
                    let prep = children(c)
                        .find(|&k| words[k].deprel == "case")
                        .map(|k| words[k].form.to_lowercase());
                    let ok = rel == "nmod:poss"
                        || rel == "compound"
                        || ((rel == "nmod" || rel.starts_with("obl"))
                            && matches!(prep.as_deref(), Some("of" | "at" | "for" | "with")));
                    if ok {
                        self.org_at(base + c)
                    } else {
                        None
                    }
                })
            };
            // A noun phrase headed by `p` (its compound/adjective modifiers and itself) and
            // whether it is marked former; `None` when a title must be in the lexicon and
            // is not.
            let noun_phrase = |p: usize, lexicon: bool| -> Option<(String, bool)> {
                let mods: Vec<usize> = children(p)
                    .filter(|&c| {
                        c < p
                            && matches!(words[c].deprel.as_str(), "compound" | "amod")
                            && self.org_at(base + c).is_none()
                    })
                    .collect();
                let former = mods
                    .iter()
                    .any(|&c| matches!(words[c].form.to_lowercase().as_str(), "former" | "ex"));
                let start = mods
                    .iter()
                    .copied()
                    .filter(|&c| !matches!(words[c].form.to_lowercase().as_str(), "former" | "ex"))
                    .min()
                    .unwrap_or(p);
                let phrase: Vec<&str> = (start..=p).map(|k| words[k].form.as_str()).collect();
                if !lexicon {
                    return Some((phrase.join(" "), former));
                }
                let n = self.lex.title_suffix(&phrase);
                (n > 0 && phrase.len() - n <= 1).then(|| (phrase.join(" "), former))
            };
            let title = |p: usize| noun_phrase(p, true);
            // The person a predicate is said of: its subject; through "who"/"that" in a
            // relative clause, the noun modified (or that noun's subject when it is a predicate
            // nominal: "X is a mathematician who has been Professor at O"); for a clause
            // without a subject ("Before joining O, X …"), the subject of its host clause.
            let subject_person = |v: usize| -> Option<EntityId> {
                let subject = |v: usize| children(v).find(|&c| words[c].deprel == "nsubj");
                match subject(v) {
                    Some(s) => person(s).or_else(|| {
                        let relative = words[s].upos == "PRON"
                            && matches!(words[s].form.to_lowercase().as_str(), "who" | "that")
                            && words[v].deprel == "acl:relcl";
                        let n = head(v).filter(|_| relative)?;
                        person(n).or_else(|| subject(n).and_then(person))
                    }),
                    None if matches!(words[v].deprel.as_str(), "advcl" | "xcomp") => {
                        head(v).and_then(subject).and_then(person)
                    }
                    None => None,
                }
            };
            // An occupation held at an organization: "a zoologist at Indiana University",
            // "a columnist for The Washington Times" ("at/for/with", not "of": "a critic of
            // X" is no employee). Nouns for people who are served or taught are left out.
            let occupation = |q: usize| -> Option<(String, bool, EntityId)> {
                // A capitalized occupation ("Managing Attorney for O") is tagged PROPN; it
                // must not be a name itself.
                let noun = words[q].upos == "NOUN"
                    || (words[q].upos == "PROPN" && self.entity_at(base + q).is_none());
                if !noun || NOT_EMPLOYEES.contains(&words[q].lemma.to_lowercase().as_str()) {
                    return None;
                }
                let org = children(q).find_map(|c| {
                    let prep = children(c)
                        .find(|&k| words[k].deprel == "case")
                        .map(|k| words[k].form.to_lowercase());
                    (words[c].deprel == "nmod"
                        && matches!(prep.as_deref(), Some("at" | "for" | "with")))
                    .then(|| self.org_at(base + c))
                    .flatten()
                })?;
                let (t, former) = noun_phrase(q, false)?;
                Some((t, former, org))
            };
            for p in 0..words.len() {
                let rel = words[p].deprel.as_str();
                // Copula: "X is/was the T of O".
                let is_cop = children(p).any(|c| words[c].deprel == "cop");
                // "X became co-chairman of O": the noun "become" takes as its complement.
                let became = (words[p].lemma == "become")
                    .then(|| {
                        children(p).find(|&c| {
                            words[c].deprel == "xcomp" && matches!(words[c].upos, "NOUN" | "PROPN")
                        })
                    })
                    .flatten();
                let predicate = if is_cop { Some(p) } else { became };
                if let Some(pred) = predicate {
                    if let Some(subj) = subject_person(p) {
                        // "X was a Czech priest, philosopher … and Master at Charles
                        // University": every coordinated or apposed predicate noun.
                        let preds = std::iter::once(pred).chain(children(pred).filter(|&c| {
                            matches!(words[c].deprel.as_str(), "conj" | "appos")
                                && matches!(words[c].upos, "NOUN" | "PROPN")
                        }));
                        for q in preds {
                            if let Some((t, former)) = title(q) {
                                found.push((subj, t, org_of(q), former, base + q..base + q + 1));
                            } else if let Some((t, former, org)) = occupation(q) {
                                found.push((subj, t, Some(org), former, base + q..base + q + 1));
                            }
                        }
                    }
                }
                // Apposition: "X, the T of O" / "the T of O, X".
                if rel == "appos" {
                    if let Some(h) = head(p) {
                        if let (Some(pe), Some((t, former))) = (person(h), title(p)) {
                            found.push((pe, t, org_of(p), former, base + p..base + p + 1));
                        } else if let (Some(pe), Some((t, former))) = (person(p), title(h)) {
                            found.push((pe, t, org_of(h), former, base + h..base + h + 1));
                        }
                    }
                }
                // Employment verbs.
                let lemma = words[p].lemma.as_str();
                if words[p].upos == "VERB" && matches!(lemma, "work" | "serve" | "join") {
                    let Some(subj) = subject_person(p) else {
                        continue;
                    };
                    let org = if lemma == "join" {
                        children(p)
                            .find(|&c| words[c].deprel == "obj")
                            .and_then(|c| self.org_at(base + c))
                    } else {
                        org_of(p)
                    };
                    // "served as director of O": the title and its organization.
                    let as_title = children(p).find(|&c| {
                        children(c).any(|k| words[k].deprel == "case" && words[k].form == "as")
                    });
                    match as_title.and_then(|c| title(c).map(|t| (c, t))) {
                        Some((c, (t, former))) => {
                            let o = org_of(c).or(org);
                            found.push((subj, t, o, former, base + c..base + c + 1));
                        }
                        None => {
                            if let Some(o) = org {
                                found.push((
                                    subj,
                                    "member".into(),
                                    Some(o),
                                    false,
                                    base + p..base + p + 1,
                                ));
                            }
                        }
                    }
                }
            }
        }
        for (person, title, org, former, tokens) in found {
            self.push_role(person, title, org, former, tokens);
        }
    }

    fn mark_relative_clauses(&mut self) {
        for i in 1..self.words.len() {
            if self.words[i - 1] == "," && matches!(self.lower[i].as_str(), "who" | "which") {
                let sentence_end = self.seg.sentences[self.sentence_of[i]].tokens.end;
                let mut j = i - 1;
                self.in_relative[j] = true;
                j += 1;
                let sentence_end = sentence_end.min(i + MAX_SCAN);
                while j < sentence_end && self.words[j] != "," {
                    self.in_relative[j] = true;
                    j += 1;
                }
                if j < sentence_end {
                    self.in_relative[j] = true;
                }
            }
        }
    }

    fn entity_at(&self, token: usize) -> Option<EntityId> {
        self.token_mention[token].map(|m| self.mentions[m].entity)
    }

    fn org_at(&self, token: usize) -> Option<EntityId> {
        self.entity_at(token)
            .filter(|&e| self.entities[e].kind == EntityKind::Organization)
    }

    fn push_role(
        &mut self,
        person: EntityId,
        title: String,
        org: Option<EntityId>,
        former: bool,
        tokens: Range<usize>,
    ) {
        let role = Role {
            title,
            organization: org,
            former,
            sentence: self.sentence_of[tokens.start],
            span: self.span_of(tokens),
        };
        let roles = &mut self.entities[person].roles;
        if !roles.iter().any(|r| {
            r.title.eq_ignore_ascii_case(&role.title) && r.organization == role.organization
        }) {
            roles.push(role);
        }
    }

    fn is_former(&self, before: usize) -> bool {
        (before.saturating_sub(2)..before)
            .any(|i| matches!(self.lower[i].as_str(), "former" | "ex-" | "then-"))
    }

    fn roles_of(&mut self, chunks: &[Chunk], ci: usize) {
        let chunk = &chunks[ci];
        let Some(person) = self.entity_at(chunk.name.start) else {
            return;
        };
        let sentence = self.seg.sentences[chunk.sentence].tokens.clone();
        // (a) title inside the capitalized name: "Defense Secretary Pete Hegseth".
        if let Some(title) = chunk.title.clone() {
            let org = chunk.title_org.as_ref().and_then(|r| self.org_at(r.start));
            let text = expand_title(self.slice(title.clone()));
            if !is_honorific(&text) {
                let former = self.is_former(chunk.start);
                self.push_role(person, text, org, former, chunk.start..chunk.name.end);
            }
        }
        // (b) lowercase title before it: "Pentagon spokesman John Ullyot".
        let window_start = chunk
            .start
            .saturating_sub(self.lex.max_title_len)
            .max(sentence.start);
        let before: Vec<&str> = self.words[window_start..chunk.start].to_vec();
        let n = self.lex.title_suffix(&before);
        if n > 0
            && before[before.len() - n..]
                .iter()
                .all(|w| !self.is_cap_word(w))
        {
            let title_start = chunk.start - n;
            let org = title_start.checked_sub(1).and_then(|i| self.org_at(i));
            let former = self.is_former(title_start);
            let text = self.joined(title_start..chunk.start);
            self.push_role(person, text, org, former, title_start..chunk.name.end);
        }
        // (c) apposition: "Joe Kasper, the Defense Department’s chief of staff, said".
        // (d) relative: "Esper, who is currently a CNN contributor,".
        let mut i = chunk.name.end;
        if i < sentence.end && self.words[i] == "," {
            i += 1;
            if i + 1 < sentence.end && matches!(self.lower[i].as_str(), "who") {
                i += 1;
                if i < sentence.end
                    && matches!(self.lower[i].as_str(), "is" | "was" | "has" | "had")
                {
                    let former = self.lower[i] == "was";
                    i += 1;
                    while i < sentence.end
                        && matches!(
                            self.lower[i].as_str(),
                            "currently" | "now" | "also" | "been" | "still"
                        )
                    {
                        i += 1;
                    }
                    self.apposition(person, i, sentence.end, former);
                }
            } else {
                self.apposition(person, i, sentence.end, false);
            }
        }
    }

    fn is_cap_word(&self, w: &str) -> bool {
        w.chars().next().is_some_and(char::is_uppercase)
    }

    /// Reads "[the] [Org’s] [former] title [of|at Org]" up to the next comma.
    fn apposition(&mut self, person: EntityId, mut i: usize, end: usize, mut former: bool) {
        let start = i;
        let mut stop = i;
        while stop < end && !matches!(self.words[stop], "," | ";" | "." | "—" | "(") {
            stop += 1;
        }
        if stop == end || stop - start > 9 {
            return; // Not closed by a comma, or too long to be an apposition.
        }
        if i < stop && DETERMINERS.contains(&self.lower[i].as_str()) {
            i += 1;
        }
        let mut org = None;
        // Organization as a possessor or a modifier: "the Defense Department’s", "a CNN".
        if let Some(o) = (i < stop).then(|| self.org_at(i)).flatten() {
            org = Some(o);
            while i < stop && self.entity_at(i) == Some(o) {
                i += 1;
            }
            if i < stop && self.is_possessive_marker(i) {
                i += 1;
            }
        }
        // Title, then optionally "of/at Org".
        let mut title_end = stop;
        for j in i..stop {
            if matches!(self.lower[j].as_str(), "of" | "at" | "for") && self.org_at(j + 1).is_some()
            {
                title_end = j;
                org = org.or_else(|| self.org_at(j + 1));
                break;
            }
        }
        if i < title_end && self.lower[i] == "former" {
            former = true;
        }
        let words: Vec<&str> = self.words[i..title_end].to_vec();
        let n = self.lex.title_suffix(&words);
        if n == 0
            || words
                .iter()
                .any(|w| self.is_cap_word(w) && !self.lex.title_prefix(&[w]) > 0)
        {
            return;
        }
        // Keep modifiers in the title ("top US general" stays "general"; "chief of staff" whole).
        let title = words[words.len() - n..].join(" ");
        self.push_role(person, title, org, former, start..stop);
    }

    /// Pronoun resolution: the most recent person earlier in the same sentence, else the first
    /// person named in the previous sentences (the subject position news prose favours).
    /// The person a pronoun at token `i` (sentence `s`) refers to, by the trained resolver
    /// (`extract::pronoun`), over the people named in this and the three sentences before:
    /// the most probable person if the resolver is confident enough, else `None` (and the
    /// caller falls back to the nearest person).
    fn resolve_pronoun(&self, s: usize, i: usize) -> Option<EntityId> {
        if self.analysis.len() != self.seg.sentences.len() {
            return None;
        }
        let agrees = |e: EntityId| self.gender_agrees(i, e);
        // "Mark Esper’s portrait — a position in which he served": the person holding the
        // phrase the pronoun's clause modifies.
        let first = self.seg.sentences[s].tokens.start;
        if self.analysis[s].words.len() == self.seg.sentences[s].tokens.len() {
            let holder = super::pronoun::holders_of_modified_phrase(&self.analysis[s], i - first)
                .into_iter()
                .filter_map(|k| self.entity_at(first + k))
                .find(|&e| self.entities[e].kind == EntityKind::Person && agrees(e));
            if holder.is_some() {
                return holder;
            }
        }
        let from = self.seg.sentences[s.saturating_sub(3)].tokens.start;
        let to = self.seg.sentences[s].tokens.end;
        let mut candidates: Vec<(EntityId, Range<usize>)> = Vec::new();
        let mut t = from;
        while t < to {
            let Some(m) = self.token_mention[t] else {
                t += 1;
                continue;
            };
            let mention = &self.mentions[m];
            let mut end = t + 1;
            while end < to && self.token_mention[end] == Some(m) {
                end += 1;
            }
            if mention.kind == MentionKind::Name
                && self.entities[mention.entity].kind == EntityKind::Person
            {
                let bytes = self.seg.tokens[t].span.start..self.seg.tokens[end - 1].span.end;
                candidates.push((mention.entity, bytes));
            }
            t = end;
        }
        if candidates.is_empty() {
            return None;
        }
        let spans: Vec<Range<usize>> = candidates.iter().map(|c| c.1.clone()).collect();
        let probs = pronoun_resolver()
            .resolve(
                self.text,
                &self.analysis,
                self.seg.tokens[i].span.clone(),
                &spans,
            )
            .ok()?;
        // Several mentions of one person: the person's best mention counts (a sum would favour
        // whoever is named most often nearby).
        let mut by_entity: Vec<(EntityId, f32)> = Vec::new();
        for ((e, _), p) in candidates.iter().zip(probs) {
            // A person whose full name says the other gender cannot win: the resolver only
            // sees the mention ("Feld"), the entity knows "Marcus Feld". It still runs with
            // every candidate, since its features compare them (nearest, most mentioned) as
            // in training.
            if !agrees(*e) {
                continue;
            }
            match by_entity.iter_mut().find(|(x, _)| x == e) {
                Some(slot) => slot.1 = slot.1.max(p),
                None => by_entity.push((*e, p)),
            }
        }
        let best =
            by_entity
                .iter()
                .copied()
                .fold(None, |b: Option<(EntityId, f32)>, c| match b {
                    Some(b) if b.1 >= c.1 => Some(b),
                    _ => Some(c),
                })?;
        (best.1 >= pronoun_resolver().threshold).then_some(best.0)
    }

    /// Whether the pronoun at token `i` may refer to person `e`: not when the person's full
    /// name says the other gender ("she" is not "Marcus Feld").
    fn gender_agrees(&self, i: usize, e: EntityId) -> bool {
        use super::pronoun::{pronoun_gender, Gender};
        let sexed =
            |g: Option<Gender>| g.filter(|g| matches!(g, Gender::Masculine | Gender::Feminine));
        let Some(pg) = sexed(pronoun_gender(&self.lower[i])) else {
            return true;
        };
        let words: Vec<&str> = self.entities[e].name.split_whitespace().collect();
        sexed(pronoun_resolver().name_gender(&words)).is_none_or(|g| g == pg)
    }

    fn pronouns(&mut self) {
        let mut sentence_people: Vec<Vec<EntityId>> = Vec::new();
        for s in 0..self.seg.sentences.len() {
            let range = self.seg.sentences[s].tokens.clone();
            let mut here: Vec<EntityId> = Vec::new();
            for i in range {
                if let Some(e) = self.entity_at(i) {
                    if self.entities[e].kind == EntityKind::Person && here.last() != Some(&e) {
                        here.push(e);
                    }
                    continue;
                }
                if PRONOUNS.contains(&self.lower[i].as_str()) {
                    let agrees = |e: &&EntityId| self.gender_agrees(i, **e);
                    let antecedent = self.resolve_pronoun(s, i).or_else(|| {
                        here.iter().rev().find(agrees).copied().or_else(|| {
                            sentence_people
                                .iter()
                                .rev()
                                .take(3)
                                .find_map(|p| p.iter().find(agrees).copied())
                        })
                    });
                    if let Some(e) = antecedent {
                        self.add_mention(e, i..i + 1, MentionKind::Pronoun);
                        if here.is_empty() {
                            here.push(e);
                        }
                    }
                }
            }
            sentence_people.push(here);
        }
    }

    // ---------------------------------------------------------------- facts

    /// Facts from the dependency clauses first; the token patterns then cover lexicon verbs
    /// whose clause gave none.
    fn facts(&mut self) {
        let mut covered = vec![Coverage::None; self.words.len()];
        for s in 0..self.seg.sentences.len() {
            self.clause_facts(s, &mut covered);
        }
        let from_clauses = self.facts.len();
        for s in 0..self.seg.sentences.len() {
            self.sentence_facts(s, &covered);
        }
        // A token-pattern fact replaces the weak clause facts of its verb.
        let replaced: HashSet<usize> = self.fact_verbs[from_clauses..]
            .iter()
            .flatten()
            .copied()
            .collect();
        let keep: Vec<bool> = self
            .fact_verbs
            .iter()
            .enumerate()
            .map(|(k, v)| k >= from_clauses || v.is_none_or(|v| !replaced.contains(&v)))
            .collect();
        let mut k = 0;
        self.facts.retain(|_| {
            k += 1;
            keep[k - 1]
        });
        self.fact_verbs.clear();
    }

    fn is_verb_use(&self, i: usize, range: &Range<usize>) -> Option<(usize, VerbForm)> {
        let &(rel, form) = self.lex.verb_forms.get(&self.lower[i])?;
        if self.token_mention[i].is_some() || (self.is_cap(i) && i != range.start) {
            return None;
        }
        // "the pardon", "Biden’s pardon", "a call": nouns, not verbs.
        if i > range.start {
            let prev = self.lower[i - 1].as_str();
            if DETERMINERS.contains(&prev)
                || self.is_possessive_marker(i - 1)
                || matches!(prev, "blanket" | "final" | "of")
            {
                return None;
            }
        }
        let prev = if i > range.start {
            self.lower[i - 1].as_str()
        } else {
            ""
        };
        match form {
            // "saying in a statement": participial, not a fact of its own; "is leading": progressive.
            VerbForm::Gerund if !BE_FORMS.contains(&prev) => return None,
            // "phone calls Milley held": a present-tense verb needs its subject right before it.
            VerbForm::ThirdSingular | VerbForm::Base
                if i > range.start
                    && prev != "to"
                    && !MODALS.contains(&prev)
                    && !SKIPPABLE_BEFORE_VERB.contains(&prev)
                    && self.token_mention[i - 1].is_none()
                    && !prev.ends_with("ly") =>
            {
                let noun_before = prev.chars().all(|c| c.is_alphabetic())
                    && !matches!(
                        prev,
                        "it" | "they" | "we" | "i" | "you" | "who" | "which" | "that"
                    );
                if noun_before && !self.lex.verb_forms.contains_key(prev) {
                    // A lowercase noun right before: "the company says" is fine, "phone calls" is not;
                    // without tags we accept only when a determiner sits two back.
                    let two_back = if i >= range.start + 2 {
                        self.lower[i - 2].as_str()
                    } else {
                        ""
                    };
                    if !DETERMINERS.contains(&two_back) {
                        return None;
                    }
                }
            }
            _ => {}
        }
        Some((rel, form))
    }

    fn sentence_facts(&mut self, s: usize, covered: &[Coverage]) {
        let range = self.seg.sentences[s].tokens.clone();
        let sentence_words: Vec<&str> = self.words[range.clone()].to_vec();
        let times = time::find(&sentence_words, self.date);
        let attribution = self.according_to(&range);
        let mut previous: Option<(usize, Option<EntityId>, Option<EntityId>, &'static str)> = None;
        let mut speaker: Option<(usize, EntityId)> = None;
        let mut i = range.start;
        while i < range.end {
            let Some((rel, form)) = self.is_verb_use(i, &range) else {
                i += 1;
                continue;
            };
            if covered[i] == Coverage::Strong {
                i += 1;
                continue;
            }
            let infinitive = i > range.start && self.lower[i - 1] == "to" && form == VerbForm::Base;
            let passive = form == VerbForm::PastOrParticiple && self.is_passive(i, &range);
            let entry = &self.lex.relations[rel];
            let mut confidence: f32 = 0.9;
            let mut rule = String::from(if passive { "passive" } else { "svo" });
            // Subject.
            let (mut subject, subject_tokens) = if infinitive {
                // Control: "directed the inspector general to launch an investigation".
                match previous {
                    Some((_, subj, obj, lemma)) if DIRECTIVES.contains(&lemma) => {
                        confidence *= 0.8;
                        rule = "control".into();
                        (obj.or(subj), None)
                    }
                    _ => {
                        i += 1;
                        continue;
                    }
                }
            } else {
                match self.subject_left(i, &range) {
                    Subject::Found(e, tok) => (Some(e), Some(tok)),
                    Subject::Inherit => {
                        confidence *= 0.85;
                        rule.push_str("+coordination");
                        (previous.and_then(|p| p.1), None)
                    }
                    Subject::None => {
                        // "Biden’s pardon protects Milley", "Milley’s detail had been pulled".
                        let np = self.noun_phrase_left(i, &range);
                        let e = np.and_then(|np| match np.entity {
                            Some(e) => Some(e),
                            None => self.concept(&np.words, np.holder),
                        });
                        if e.is_some() {
                            confidence *= 0.85;
                            rule.push_str("+np");
                        }
                        (e, None)
                    }
                }
            };
            if let Some(t) = subject_tokens {
                if let Some(m) = self.token_mention[t] {
                    if self.mentions[m].kind == MentionKind::Pronoun {
                        confidence *= 0.85;
                    }
                }
            }
            // Arguments to the right.
            let args = self.arguments(i + 1, &range);
            let mut predicate = entry.predicate.clone();
            let mut label = entry.label.clone();
            let particle = entry.particle.clone();
            let lemma = entry.lemma.clone();
            let clausal = CLAUSAL.contains(&lemma.as_str());
            let mut objects: Vec<EntityId> = Vec::new();
            let mut extra: Vec<(String, EntityId)> = Vec::new();
            let mut last_token = i;
            if passive {
                // "was fired by President Donald Trump": the by-phrase is the agent.
                let object = subject.take();
                for pp in &args.pps {
                    if pp.prep == "by" && pp.entity.is_some() && subject.is_none() {
                        subject = pp.entity;
                    } else if let Some(e) = pp.entity {
                        extra.push((pp.prep.clone(), e));
                    }
                    last_token = last_token.max(pp.end);
                }
                objects.extend(object);
                if subject.is_none() {
                    confidence *= 0.85;
                }
            } else {
                let light = args
                    .noun_phrases
                    .first()
                    .filter(|np| np_is_concept(np) && !args.pps.is_empty())
                    .and_then(|np| {
                        np.head
                            .as_ref()
                            .and_then(|h| self.lex.light_nouns.get(h).copied())
                    });
                if let Some(light_rel) = light {
                    // "issued a blanket pardon for Milley" = pardon(Milley).
                    let le = &self.lex.relations[light_rel];
                    predicate = le.predicate.clone();
                    label = le.label.clone();
                    rule = format!("{rule}+light-verb");
                    confidence *= 0.9;
                    last_token = last_token.max(args.noun_phrases[0].end);
                    for (k, pp) in args.pps.iter().enumerate() {
                        let e = pp.entity.or_else(|| {
                            if k == 0 {
                                self.concept(&pp.words, pp.holder)
                            } else {
                                None
                            }
                        });
                        if let Some(e) = e {
                            if k == 0 {
                                objects.push(e);
                            } else {
                                extra.push((pp.prep.clone(), e));
                            }
                        }
                        last_token = last_token.max(pp.end);
                    }
                } else {
                    let holder_pp = args
                        .pps
                        .first()
                        .filter(|pp| {
                            pp.start == args.np_end && matches!(pp.prep.as_str(), "for" | "of")
                        })
                        .and_then(|pp| pp.entity)
                        .filter(|&e| self.entities[e].kind != EntityKind::Concept);
                    let mut used_holder = false;
                    for np in &args.noun_phrases {
                        last_token = last_token.max(np.end);
                        let e = match np.entity {
                            Some(e) => Some(e),
                            None if clausal => None,
                            None => {
                                let holder = np.holder.or(holder_pp);
                                used_holder |= np.holder.is_none() && holder.is_some();
                                self.concept(&np.words, holder)
                            }
                        };
                        objects.extend(e);
                    }
                    let mut particle_used = false;
                    for (k, pp) in args.pps.iter().enumerate() {
                        if k == 0 && used_holder {
                            last_token = last_token.max(pp.end);
                            continue;
                        }
                        let is_particle =
                            particle.as_deref() == Some(pp.prep.as_str()) && !particle_used;
                        particle_used |= is_particle;
                        let wanted = is_particle || (pp.prep == "complement" && !clausal);
                        let e = pp.entity.or_else(|| {
                            if wanted {
                                self.concept(&pp.words, pp.holder)
                            } else {
                                None
                            }
                        });
                        if let Some(e) = e {
                            extra.push((pp.prep.clone(), e));
                            last_token = last_token.max(pp.end);
                        }
                    }
                    if !objects.is_empty()
                        && objects
                            .iter()
                            .all(|&o| self.entities[o].kind == EntityKind::Concept)
                    {
                        confidence *= 0.9;
                    }
                }
            }
            // An active clause with nobody acting is not a fact we can state.
            if subject.is_none() && (!passive || objects.is_empty()) {
                i += 1;
                continue;
            }
            let negated = self.negated(i, &range);
            let modality = self.modality(i, &range);
            let time = nearest_time(&times, i - range.start).map(|t| t.time.clone());
            let first_token = subject_tokens.unwrap_or(i).min(i);
            let span = self.span_of(first_token..last_token + 1);
            let fact_text = self.slice(first_token..last_token + 1).to_owned();
            let attributed =
                attribution.or_else(|| speaker.filter(|&(v, _)| v < i).map(|(_, e)| e));
            let objects_or_none: Vec<Option<EntityId>> = if objects.is_empty() {
                vec![None]
            } else {
                objects.iter().copied().map(Some).collect()
            };
            for object in objects_or_none {
                if subject.is_some() && subject == object {
                    continue;
                }
                let place = extra
                    .iter()
                    .find(|(p, e)| {
                        matches!(p.as_str(), "in" | "at")
                            && self.entities[*e].kind == EntityKind::Place
                    })
                    .map(|(_, e)| *e);
                self.facts.push(Fact {
                    subject,
                    predicate: predicate.clone(),
                    predicate_label: label.clone(),
                    object,
                    arguments: extra.clone(),
                    sentence: s,
                    span,
                    text: fact_text.clone(),
                    time: time.clone(),
                    place,
                    attribution: attributed.filter(|&a| Some(a) != subject),
                    negated,
                    modality: modality.clone(),
                    confidence: (confidence * 100.0).round() / 100.0,
                    rule: rule.clone(),
                });
                self.fact_verbs.push(Some(i));
            }
            if ATTRIBUTING.contains(&lemma.as_str()) {
                if let Some(e) = subject {
                    speaker = Some((i, e));
                }
            }
            previous = Some((
                i,
                subject,
                objects.first().copied(),
                self.lex.relations[rel].lemma.as_str(),
            ));
            i = (last_token + 1).max(i + 1);
        }
    }

    fn according_to(&self, range: &Range<usize>) -> Option<EntityId> {
        (range.start..range.end.saturating_sub(2)).find_map(|i| {
            (self.lower[i] == "according" && self.lower[i + 1] == "to")
                .then(|| {
                    let window = i + 2..range.end.min(i + 9);
                    let people = window
                        .clone()
                        .filter_map(|j| self.entity_at(j))
                        .find(|&e| self.entities[e].kind == EntityKind::Person);
                    people.or_else(|| window.filter_map(|j| self.entity_at(j)).next())
                })
                .flatten()
        })
    }

    fn is_passive(&self, verb: usize, range: &Range<usize>) -> bool {
        let mut j = verb;
        while j > range.start {
            j -= 1;
            let w = self.lower[j].as_str();
            if BE_FORMS.contains(&w) && !self.is_possessive_marker(j) {
                return true;
            }
            if !SKIPPABLE_BEFORE_VERB.contains(&w) && !w.ends_with("ly") {
                return false;
            }
        }
        false
    }

    fn negated(&self, verb: usize, range: &Range<usize>) -> bool {
        (verb.saturating_sub(3).max(range.start)..verb)
            .any(|j| matches!(self.lower[j].as_str(), "not" | "n't" | "never"))
    }

    fn modality(&self, verb: usize, range: &Range<usize>) -> Option<String> {
        (verb.saturating_sub(3).max(range.start)..verb)
            .find(|&j| MODALS.contains(&self.lower[j].as_str()))
            .map(|j| self.lower[j].clone())
    }

    /// The nearest entity mention left of the verb that can be its subject.
    fn subject_left(&self, verb: usize, range: &Range<usize>) -> Subject {
        let mut j = verb;
        // Bounded, so a pathological sentence (a 50 MB line) stays linear.
        let floor = range.start.max(verb.saturating_sub(MAX_SCAN));
        while j > floor {
            j -= 1;
            if self.in_relative[j] {
                continue;
            }
            let w = self.lower[j].as_str();
            if matches!(w, "and" | "but") && self.token_mention[j].is_none() {
                return Subject::Inherit;
            }
            if matches!(
                w,
                ";" | ":"
                    | "that"
                    | "which"
                    | "who"
                    | "because"
                    | "when"
                    | "if"
                    | "whether"
                    | "while"
                    | "as"
            ) && self.token_mention[j].is_none()
            {
                return Subject::None;
            }
            if let Some(m) = self.token_mention[j] {
                let mention = &self.mentions[m];
                let first = self.first_token_of_mention(j);
                let possessive = self
                    .possessive_end
                    .get(mention_end(self, j))
                    .copied()
                    .unwrap_or(false)
                    || (mention.kind == MentionKind::Pronoun
                        && (POSSESSIVE_PRONOUNS.contains(&w)
                            || w == "him"
                            || w == "himself"
                            || w == "herself"))
                    || (mention.kind == MentionKind::Pronoun
                        && w == "her"
                        && j + 1 < verb
                        && !self.lex.verb_forms.contains_key(&self.lower[j + 1]));
                let governed = first > range.start && {
                    let prev = self.lower[first - 1].as_str();
                    let prev2 = if first >= range.start + 2 {
                        self.lower[first - 2].as_str()
                    } else {
                        ""
                    };
                    PREPOSITIONS.contains(&prev)
                        || (DETERMINERS.contains(&prev) && prev != "the")
                        || (prev == "the" && PREPOSITIONS.contains(&prev2))
                };
                let modifier =
                    first > range.start && matches!(self.lower[first - 1].as_str(), "a" | "an");
                if !possessive
                    && !governed
                    && !modifier
                    && self.entities[mention.entity].kind != EntityKind::Place
                {
                    return Subject::Found(mention.entity, first);
                }
                j = first;
                continue;
            }
            if self.lex.verb_forms.contains_key(w) && self.is_verb_use(j, range).is_some() {
                // Another clause's verb lies between: this clause's subject is not visible.
                return Subject::None;
            }
        }
        Subject::None
    }

    fn first_token_of_mention(&self, token: usize) -> usize {
        let m = self.token_mention[token];
        let mut t = token;
        while t > 0 && self.token_mention[t - 1] == m {
            t -= 1;
        }
        t
    }

    /// Noun phrases (objects) and prepositional phrases right of the verb, up to the clause end.
    fn arguments(&self, start: usize, range: &Range<usize>) -> Arguments {
        let mut args = Arguments::default();
        let mut i = start;
        // Adverbs and particles right after the verb.
        while i < range.end
            && (self.lower[i].ends_with("ly") && self.token_mention[i].is_none()
                || matches!(
                    self.lower[i].as_str(),
                    "up" | "off" | "out" | "down" | "back" | "also"
                ))
        {
            i += 1;
        }
        // Object noun phrases, split on "and".
        while let Some(np) = self.noun_phrase(i, range) {
            i = np.end + 1;
            args.noun_phrases.push(np);
            if i < range.end && self.lower[i] == "and" && self.noun_phrase_starts(i + 1, range) {
                i += 1;
                continue;
            }
            // "called Trump a fascist": a second noun phrase is a complement.
            if let Some(np2) = self.noun_phrase(i, range) {
                args.pps.push(PrepPhrase {
                    prep: "complement".into(),
                    start: i,
                    end: np2.end,
                    entity: np2.entity,
                    holder: np2.holder,
                    words: np2.words.clone(),
                });
                i = np2.end + 1;
            }
            break;
        }
        args.np_end = i;
        // Prepositional phrases.
        while i < range.end && args.pps.len() < 4 {
            let w = self.lower[i].as_str();
            if !PREPOSITIONS.contains(&w)
                || CLAUSE_BOUNDARIES.contains(&w)
                || (w == "to"
                    && i + 1 < range.end
                    && self
                        .lex
                        .verb_forms
                        .get(&self.lower[i + 1])
                        .is_some_and(|v| v.1 == VerbForm::Base))
            {
                break;
            }
            let Some(np) = self.noun_phrase(i + 1, range) else {
                break;
            };
            args.pps.push(PrepPhrase {
                prep: w.to_owned(),
                start: i,
                end: np.end,
                entity: np.entity,
                holder: np.holder,
                words: np.words.clone(),
            });
            i = np.end + 1;
        }
        args
    }

    fn noun_phrase_starts(&self, i: usize, range: &Range<usize>) -> bool {
        i < range.end
            && !CLAUSE_BOUNDARIES.contains(&self.lower[i].as_str())
            && !PREPOSITIONS.contains(&self.lower[i].as_str())
            && self.is_verb_use(i, range).is_none()
            && !matches!(
                self.lower[i].as_str(),
                "and"
                    | "or"
                    | "to"
                    | "not"
                    | "was"
                    | "were"
                    | "is"
                    | "are"
                    | "has"
                    | "had"
                    | "have"
            )
    }

    /// A noun phrase from `start`: up to a preposition, a verb or a clause boundary.
    fn noun_phrase(&self, start: usize, range: &Range<usize>) -> Option<NounPhrase> {
        self.noun_phrase_until(start, range.end, range)
    }

    fn noun_phrase_until(
        &self,
        start: usize,
        limit: usize,
        range: &Range<usize>,
    ) -> Option<NounPhrase> {
        if start >= limit || !self.noun_phrase_starts(start, range) {
            return None;
        }
        let mut end = start;
        let mut j = start;
        while j < limit {
            let w = self.lower[j].as_str();
            let in_name = self.token_mention[j].is_some()
                && j > start
                && self.token_mention[j] == self.token_mention[j - 1];
            // "Secretary of the Army": "of" between capitalized words stays inside.
            let inner_of = w == "of"
                && j > start
                && self.is_cap(j - 1)
                && (self.is_cap(j + 1)
                    || (self.lower.get(j + 1).map(String::as_str) == Some("the")
                        && j + 2 < limit
                        && self.is_cap(j + 2)));
            let inner_the = w == "the"
                && j > start
                && self.lower[j - 1] == "of"
                && self.is_cap(j - 2)
                && j + 1 < limit
                && self.is_cap(j + 1);
            let stop = CLAUSE_BOUNDARIES.contains(&w) && !matches!(w, "“" | "”" | "\"")
                || PREPOSITIONS.contains(&w)
                || matches!(w, "and" | "or" | "to")
                || (j > start
                    && self.is_verb_use(j, range).is_some()
                    && !self.is_possessive_marker(j - 1));
            if !in_name && !inner_of && !inner_the && stop {
                break;
            }
            // "called Trump a fascist": a name followed by a determiner ends the phrase.
            // "called the agreement a truce": a determiner mid-phrase starts a second one.
            if j > start
                && DETERMINERS.contains(&w)
                && !self.is_possessive_marker(j - 1)
                && self.token_mention[j].is_none()
                && !matches!(self.lower[j - 1].as_str(), "of" | "all" | "both" | "half")
                && !self.lower[j - 1].ends_with("ing")
                && !DETERMINERS.contains(&self.lower[j - 1].as_str())
            {
                break;
            }
            if j - start > 16 {
                break;
            }
            end = j;
            j += 1;
        }
        // Trailing quote marks belong to the sentence, not the phrase.
        while end > start && matches!(self.words[end], "“" | "”" | "\"") {
            end -= 1;
        }
        // The last possessor ("Milley’s", "his") owns what follows it.
        let mut holder = None;
        let mut after = start;
        for k in start..=end {
            if k > start && self.is_possessive_marker(k) {
                if let Some(e) = self.entity_at(k - 1) {
                    holder = Some(e);
                    after = k + 1;
                }
            } else if POSSESSIVE_PRONOUNS.contains(&self.lower[k].as_str()) {
                if let Some(e) = self.entity_at(k) {
                    holder = Some(e);
                    after = k + 1;
                }
            }
        }
        let mut lead = after;
        while lead <= end && DETERMINERS.contains(&self.lower[lead].as_str()) {
            lead += 1;
        }
        let content: Vec<usize> = (lead..=end)
            .filter(|&k| !matches!(self.words[k], "“" | "”" | "\"" | "‘"))
            .collect();
        // Just a name ("Gen. Mark Milley", "his former Secretary of State Mike Pompeo")?
        let mentions: Vec<Option<usize>> = content.iter().map(|&k| self.token_mention[k]).collect();
        let single = mentions.iter().copied().flatten().next().filter(|m| {
            // Allowed before the name: "former", a lowercase title, an organization naming it.
            let first = content
                .iter()
                .position(|&k| self.token_mention[k] == Some(*m))
                .unwrap_or(0);
            let pre: Vec<&str> = content[..first]
                .iter()
                .filter(|&&k| {
                    !matches!(self.lower[k].as_str(), "former" | "then-" | "acting")
                        && self.org_at(k).is_none()
                })
                .map(|&k| self.words[k])
                .collect();
            let titled = pre.is_empty()
                || (self.lex.title_suffix(&pre) > 0 && pre.iter().all(|w| !self.is_cap_word(w)));
            titled
                && content[first..]
                    .iter()
                    .all(|&k| self.token_mention[k] == Some(*m))
        });
        if let Some(m) = single {
            let e = self.mentions[m].entity;
            return Some(NounPhrase {
                end,
                entity: Some(e),
                holder: None,
                words: Vec::new(),
                head: None,
            });
        }
        if content.is_empty() {
            return Some(NounPhrase {
                end,
                entity: holder,
                holder: None,
                words: Vec::new(),
                head: None,
            });
        }
        let mut words: Vec<String> = Vec::new();
        for &k in &content {
            if self.is_possessive_marker(k) {
                if let Some(last) = words.last_mut() {
                    last.push_str(self.words[k]);
                    continue;
                }
            }
            words.push(self.words[k].to_owned());
        }
        let head = words.last().map(|w| w.to_lowercase());
        Some(NounPhrase {
            end,
            entity: None,
            holder,
            words,
            head,
        })
    }

    /// The noun phrase that ends right before token `end` ("Milley’s detail" in "Milley’s
    /// detail had been pulled"), skipping a dash-delimited aside.
    fn noun_phrase_left(&self, end: usize, range: &Range<usize>) -> Option<NounPhrase> {
        let mut j = end;
        let mut limit = end;
        while j > range.start {
            let w = self.lower[j - 1].as_str();
            if SKIPPABLE_BEFORE_VERB.contains(&w)
                || BE_FORMS.contains(&w) && !self.is_possessive_marker(j - 1)
            {
                j -= 1;
                limit = j;
            } else {
                break;
            }
        }
        if j > range.start && matches!(self.words[j - 1], "—" | "–") {
            let open = (range.start.max(j.saturating_sub(MAX_SCAN))..j - 1)
                .rev()
                .find(|&k| matches!(self.words[k], "—" | "–"))?;
            j = open;
            limit = open;
        }
        let mut start = j;
        let floor = range.start.max(j.saturating_sub(MAX_SCAN / 2));
        while start > floor {
            let k = start - 1;
            let w = self.lower[k].as_str();
            let inner_of = matches!(w, "of" | "the")
                && k > range.start
                && (self.is_cap(k - 1) || self.lower[k - 1] == "of")
                && (self.is_cap(k + 1) || self.lower[k + 1] == "the");
            let boundary = (CLAUSE_BOUNDARIES.contains(&w) && !matches!(w, "“" | "”"))
                || (PREPOSITIONS.contains(&w) && !inner_of)
                || matches!(w, "and" | "or")
                || (self.token_mention[k].is_none() && self.lex.verb_forms.contains_key(w));
            if boundary {
                break;
            }
            start = k;
        }
        if start == limit {
            return None;
        }
        // "on the White House left him": an NP governed by a preposition is no subject.
        if start > range.start && PREPOSITIONS.contains(&self.lower[start - 1].as_str()) {
            return None;
        }
        self.noun_phrase_until(start, limit, range)
    }

    /// A concept node for a non-named argument, keyed by its holder so that "Milley’s rank"
    /// in two articles is one node.
    fn concept(&mut self, words: &[String], holder: Option<EntityId>) -> Option<EntityId> {
        if words.is_empty() {
            return holder;
        }
        let phrase = words.join(" ");
        if phrase.chars().all(|c| !c.is_alphabetic())
            || words.len() > 12
            || (words.len() == 1 && NOT_CONCEPTS.contains(&words[0].to_lowercase().as_str()))
        {
            return None;
        }
        let (name, key) = match holder {
            Some(h) => {
                let hn = &self.entities[h].name;
                (
                    format!("{hn}'s {phrase}"),
                    format!("{}/{}", self.entities[h].key, slug(&phrase)),
                )
            }
            None => (phrase.clone(), slug(&phrase)),
        };
        let id = self.entity(EntityKind::Concept, &name, key);
        self.entities[id].holder = holder;
        self.entities[id].confidence = 0.7;
        Some(id)
    }

    fn finish(self, doc: &Document, extractor: &str) -> Extraction {
        let sentences = self
            .seg
            .sentences
            .iter()
            .enumerate()
            .map(|(index, s)| Sentence {
                index,
                span: Span::new(
                    self.offsets.char_of(s.span.start),
                    self.offsets.char_of(s.span.end),
                ),
                text: self.text[s.span.clone()].to_owned(),
            })
            .collect();
        Extraction {
            document: DocumentMeta {
                id: doc.content_hash(),
                source: doc.source.clone(),
                key: doc.key.clone(),
                title: doc.title.clone(),
                date: doc.date.clone(),
                url: doc.url.clone(),
                chars: self.offsets.len_chars(),
                extractor: extractor.to_owned(),
            },
            sentences,
            entities: self.entities,
            mentions: self.mentions,
            facts: self.facts,
        }
    }
}

fn mention_end(run: &Run, token: usize) -> usize {
    let m = run.token_mention[token];
    let mut t = token;
    while t + 1 < run.token_mention.len() && run.token_mention[t + 1] == m {
        t += 1;
    }
    t + 1
}

/// Abbreviated ranks and offices written out, so "Gen." and "General" are one title.
fn expand_title(title: &str) -> String {
    let full = match title {
        "Gen." => "General",
        "Lt. Gen." => "Lieutenant General",
        "Maj. Gen." => "Major General",
        "Brig. Gen." => "Brigadier General",
        "Adm." => "Admiral",
        "Col." => "Colonel",
        "Capt." => "Captain",
        "Lt." => "Lieutenant",
        "Sgt." => "Sergeant",
        "Sen." => "Senator",
        "Rep." => "Representative",
        "Gov." => "Governor",
        other => other,
    };
    full.to_owned()
}

/// "Gen.", "Dr.", "Mr." are forms of address, not positions.
fn is_honorific(title: &str) -> bool {
    matches!(
        title.to_lowercase().as_str(),
        "dr." | "mr." | "mrs." | "ms." | "sir" | "lord" | "lady" | "prof."
    )
}

fn np_is_concept(np: &NounPhrase) -> bool {
    np.entity.is_none() && np.holder.is_none()
}

/// The time expression closest to the verb; `times` are in text order, so only the two
/// around the verb need a look (linear even for a sentence that never ends).
fn nearest_time(times: &[TimeMention], verb: usize) -> Option<&TimeMention> {
    let at = times.partition_point(|t| t.tokens.start <= verb);
    times[at.saturating_sub(1)..(at + 1).min(times.len())]
        .iter()
        .min_by_key(|t| {
            if t.tokens.end <= verb {
                verb - t.tokens.end
            } else {
                t.tokens.start.saturating_sub(verb)
            }
        })
}

enum Subject {
    Found(EntityId, usize),
    Inherit,
    None,
}

#[derive(Default)]
struct Arguments {
    noun_phrases: Vec<NounPhrase>,
    pps: Vec<PrepPhrase>,
    np_end: usize,
}

struct NounPhrase {
    end: usize,
    /// Set when the phrase is just a name ("Gen. Mark Milley").
    entity: Option<EntityId>,
    /// The possessor ("Milley’s rank", "his rank").
    holder: Option<EntityId>,
    /// Words other than determiners and the possessor.
    words: Vec<String>,
    head: Option<String>,
}

#[allow(dead_code)]
struct PrepPhrase {
    prep: String,
    start: usize,
    end: usize,
    entity: Option<EntityId>,
    holder: Option<EntityId>,
    words: Vec<String>,
}
