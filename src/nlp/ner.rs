//! Named-entity tagger: PER, ORG and LOC spans over the words of one sentence.
//!
//! A first-order structured averaged perceptron (Collins 2002) over BILOU labels (13
//! classes), decoded with Viterbi. BILOU rather than IOB2 because "this is the last word of an
//! organization" is a sharper decision than "inside", and it lets a single-word name (`U-`)
//! learn different evidence from multi-word ones. Decoding only allows well-formed label
//! sequences, so every output is a set of clean spans.
//!
//! Features: the word and its neighbours (forms, lowercase, shapes, affixes), the POS tagger's
//! XPOS tags, how the training text capitalizes the word, and gazetteers in `data/lexicon/`
//! (places, organization aliases, agencies, given names, titles, organization words, and the
//! tagger's own name lists in `ner-names.txt`), matched as written and lowercased. Label
//! sequences are scored by transition weights. A second pass over the whole document adds
//! what the first pass said about the same word elsewhere in it. The gazetteers are compiled
//! into the binary; a model is trained against one version of them.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use super::clusters::WordClusters;
use super::perceptron::{
    hash_str, read_header, write_header, write_strings, Feat, Model, Perceptron, Reader, XorShift,
};
use super::tagger::shape;
use super::NlpError;

pub const MAGIC: &[u8; 8] = b"NGNERTAG";
pub const VERSION: u32 = 2;

/// The entity types the tagger predicts (UNER's coarse types).
pub const TYPES: [&str; 3] = ["PER", "ORG", "LOC"];

/// One entity: words `start..end` of the sentence, type index into [`TYPES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntitySpan {
    pub start: usize,
    pub end: usize,
    pub kind: usize,
}

impl EntitySpan {
    pub fn type_name(&self) -> &'static str {
        TYPES[self.kind]
    }
}

// Label layout: 0 = O, then for type t: 1 + 4t + {0: B, 1: I, 2: L, 3: U}.
const N_LABELS: usize = 1 + 4 * TYPES.len();
const B: usize = 0;
const I: usize = 1;
const L: usize = 2;
const U: usize = 3;

fn label(kind: usize, pos: usize) -> usize {
    1 + 4 * kind + pos
}

fn label_parts(l: usize) -> Option<(usize, usize)> {
    (l > 0).then(|| ((l - 1) / 4, (l - 1) % 4))
}

/// Whether label `next` may follow label `prev` (`None` = sentence start).
fn allowed(prev: Option<usize>, next: usize, last_word: bool) -> bool {
    let open = prev
        .and_then(label_parts)
        .filter(|&(_, p)| p == B || p == I);
    let ok = match (open, label_parts(next)) {
        (Some((k, _)), Some((k2, p))) => k == k2 && (p == I || p == L),
        (Some(_), None) => false,
        (None, Some((_, p))) => p == B || p == U,
        (None, None) => true,
    };
    ok && !(last_word && label_parts(next).is_some_and(|(_, p)| p == B || p == I))
}

/// BILOU labels of `spans` over `n` words (spans must not overlap).
fn encode(n: usize, spans: &[EntitySpan]) -> Vec<usize> {
    let mut out = vec![0; n];
    for s in spans {
        if s.end - s.start == 1 {
            out[s.start] = label(s.kind, U);
        } else {
            out[s.start] = label(s.kind, B);
            for o in &mut out[s.start + 1..s.end - 1] {
                *o = label(s.kind, I);
            }
            out[s.end - 1] = label(s.kind, L);
        }
    }
    out
}

fn decode(labels: &[usize]) -> Vec<EntitySpan> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &l) in labels.iter().enumerate() {
        match label_parts(l) {
            Some((kind, U)) => out.push(EntitySpan {
                start: i,
                end: i + 1,
                kind,
            }),
            Some((_, B)) => start = i,
            Some((kind, L)) => out.push(EntitySpan {
                start,
                end: i + 1,
                kind,
            }),
            _ => {}
        }
    }
    out
}

/// Spans of an IOB2 (or IOB1) tag sequence such as `B-PER I-PER O B-LOC`. Unknown types are
/// ignored, so a file with MISC entities still scores PER/ORG/LOC.
pub fn spans_from_iob(tags: &[&str]) -> Vec<EntitySpan> {
    let mut out = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    let close = |open: &mut Option<(usize, usize)>, end: usize, out: &mut Vec<EntitySpan>| {
        if let Some((start, kind)) = open.take() {
            out.push(EntitySpan { start, end, kind });
        }
    };
    for (i, t) in tags.iter().enumerate() {
        let (bio, ty) = t.split_once('-').unwrap_or((t, ""));
        let kind = TYPES.iter().position(|x| *x == ty);
        let continues = bio == "I" && open.is_some_and(|(_, k)| Some(k) == kind);
        if !continues {
            close(&mut open, i, &mut out);
            if let (Some(k), "B" | "I") = (kind, bio) {
                open = Some((i, k));
            }
        }
    }
    close(&mut open, tags.len(), &mut out);
    out
}

// ---------------------------------------------------------------------------------------
// Gazetteers

const PLACES: &str = include_str!("../../data/lexicon/places.txt");
const ORGANIZATIONS: &str = include_str!("../../data/lexicon/organizations.tsv");
const AGENCIES: &str = include_str!("../../data/lexicon/agencies.txt");
const GIVEN_NAMES: &str = include_str!("../../data/lexicon/given-names.txt");
const TITLES: &str = include_str!("../../data/lexicon/titles.txt");
const ORG_WORDS: &str = include_str!("../../data/lexicon/org-words.txt");
const NER_NAMES: &str = include_str!("../../data/lexicon/ner-names.txt");

fn lines(src: &str) -> impl Iterator<Item = &str> {
    src.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Word-level lexicon flags and multi-word gazetteer entries. Names are matched twice: as
/// written (a capitalized "Turkey" is the country) and lowercased (web text writes "kerala"
/// and "google"); the tagger learns how far to trust each.
struct Gazetteer {
    /// Names (words joined by one space) with their category.
    names: HashMap<String, u8>,
    /// The same, lowercased.
    lower_names: HashMap<String, u8>,
    longest: usize,
    given: HashSet<String>,
    surnames: HashSet<String>,
    titles: HashSet<String>,
    org_words: HashSet<String>,
}

const GIVEN: u64 = 1;
const TITLE: u64 = 2;
const ORG_WORD: u64 = 4;
const GIVEN_LOWER: u64 = 8;
const SURNAME: u64 = 16;
const SURNAME_LOWER: u64 = 32;

/// Gazetteer categories (0 = no match).
const CAT_PLACE: u8 = 1;
const CAT_ORG: u8 = 2;

fn split_words(s: &str) -> Vec<String> {
    // Names in the lexicon are written as text; split them the way the tokenizer would,
    // closely enough for names: on spaces, and peel "'s" and hyphens.
    let mut out = Vec::new();
    for w in s.split_whitespace() {
        let mut rest = w;
        while let Some(i) = rest.find('-') {
            if i > 0 {
                out.push(rest[..i].to_string());
            }
            out.push("-".to_string());
            rest = &rest[i + 1..];
        }
        if let Some(stem) = rest.strip_suffix("'s").filter(|s| !s.is_empty()) {
            out.push(stem.to_string());
            out.push("'s".to_string());
        } else if !rest.is_empty() {
            out.push(rest.to_string());
        }
    }
    out
}

impl Gazetteer {
    fn compiled() -> Gazetteer {
        let mut entries: Vec<(Vec<String>, u8)> = Vec::new();
        for l in lines(PLACES) {
            entries.push((split_words(l), CAT_PLACE));
        }
        for src in [AGENCIES, ORGANIZATIONS] {
            for l in lines(src) {
                for name in l.split(['|', '\t']) {
                    if !name.trim().is_empty() {
                        entries.push((split_words(name.trim()), CAT_ORG));
                    }
                }
            }
        }
        // ner-names.txt: `[category]` lines start a section; categories are numbered from 3
        // in order of first appearance. Person-name sections fill the word sets instead.
        let mut given = HashSet::new();
        let mut surnames = HashSet::new();
        let mut sections: Vec<&str> = Vec::new();
        let mut cat = 0u8;
        let mut section = "";
        for l in lines(NER_NAMES) {
            if let Some(name) = l.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
                section = name;
                if !sections.contains(&name) {
                    sections.push(name);
                }
                cat = 2 + (sections.iter().position(|x| *x == name).unwrap_or(0) as u8 + 1);
                continue;
            }
            match section {
                "given" => given.extend(l.split_whitespace().map(str::to_string)),
                "surname" => surnames.extend(l.split_whitespace().map(str::to_string)),
                _ => {
                    for name in l.split('|') {
                        if !name.trim().is_empty() {
                            entries.push((split_words(name.trim()), cat));
                        }
                    }
                }
            }
        }
        let mut names = HashMap::new();
        let mut lower_names = HashMap::new();
        let mut longest = 1;
        for (words, c) in entries {
            if words.is_empty() {
                continue;
            }
            longest = longest.max(words.len());
            let key = words.join(" ");
            lower_names.entry(key.to_lowercase()).or_insert(c);
            names.entry(key).or_insert(c);
        }
        let words = |src: &str| -> HashSet<String> {
            lines(src)
                .flat_map(|l| l.split_whitespace())
                .map(str::to_string)
                .collect()
        };
        given.extend(words(GIVEN_NAMES));
        Gazetteer {
            names,
            lower_names,
            longest,
            given,
            surnames,
            titles: lines(TITLES)
                .flat_map(|l| l.split_whitespace())
                .map(str::to_lowercase)
                .collect(),
            org_words: words(ORG_WORDS),
        }
    }

    fn flags(&self, w: &str) -> u64 {
        let mut f = 0;
        let lower = w.to_lowercase();
        let cap = capitalize(&lower);
        if self.given.contains(w) {
            f |= GIVEN;
        } else if self.given.contains(&cap) {
            f |= GIVEN_LOWER;
        }
        if self.surnames.contains(w) {
            f |= SURNAME;
        } else if self.surnames.contains(&cap) {
            f |= SURNAME_LOWER;
        }
        if self.titles.contains(&lower) {
            f |= TITLE;
        }
        if self.org_words.contains(w) {
            f |= ORG_WORD;
        }
        f
    }

    /// Per word: the BILOU position (0..4) plus 4 × category of the longest gazetteer name
    /// covering it (0 = none), matched as written and lowercased.
    fn matches(&self, forms: &[&str]) -> (Vec<u64>, Vec<u64>) {
        let lower: Vec<String> = forms.iter().map(|f| f.to_lowercase()).collect();
        let exact = Self::longest_matches(forms, &self.names, self.longest);
        let low: Vec<&str> = lower.iter().map(String::as_str).collect();
        let folded = Self::longest_matches(&low, &self.lower_names, self.longest);
        (exact, folded)
    }

    fn longest_matches(forms: &[&str], names: &HashMap<String, u8>, longest: usize) -> Vec<u64> {
        let mut out = vec![0; forms.len()];
        let mut i = 0;
        let mut key = String::new();
        while i < forms.len() {
            let mut found = None;
            let max = longest.min(forms.len() - i);
            for n in (1..=max).rev() {
                key.clear();
                for (k, w) in forms[i..i + n].iter().enumerate() {
                    if k > 0 {
                        key.push(' ');
                    }
                    key.push_str(w);
                }
                if let Some(&c) = names.get(key.as_str()) {
                    found = Some((n, c));
                    break;
                }
            }
            match found {
                Some((n, c)) => {
                    for (k, o) in out[i..i + n].iter_mut().enumerate() {
                        let pos = match (n, k) {
                            (1, _) => U,
                            (_, 0) => B,
                            _ if k + 1 == n => L,
                            _ => I,
                        };
                        *o = 1 + pos as u64 + 4 * c as u64;
                    }
                    i += n;
                }
                None => i += 1,
            }
        }
        out
    }
}

/// "paris" → "Paris".
fn capitalize(lower: &str) -> String {
    let mut c = lower.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------------------
// Features

const NONE: u64 = 0x5bd1_e995;
const START: u64 = 0x1b87_3593;

struct WordInfo {
    form: u64,
    lower: u64,
    shape: u64,
    suf: [u64; 4],
    pre: [u64; 3],
    xpos: u64,
    flags: u64,
    gaz: u64,
    gaz_lower: u64,
    case: u64,
    /// Brown cluster path prefixes of 4, 8 and 12 bits and the whole path (0 = no cluster).
    cluster: [u64; 4],
    cap: bool,
    /// The place name of a news dateline ("HALVERN, Feb. 12 —"): it does not vote in the
    /// document-level pass, where an all-caps word's first-pass guess would spread to the
    /// name's ordinary mentions.
    dateline: bool,
    /// Second pass only: what the first pass said about this word elsewhere in the document
    /// (majority entity type of the same lowercase form, and whether it also occurs in
    /// lowercase), and the first-pass label of this word.
    doc: Option<DocInfo>,
}

#[derive(Clone, Copy)]
struct DocInfo {
    majority: u64,
    lowercase_elsewhere: bool,
    first: u64,
}

fn affix(lower: &str, n: usize, from_end: bool) -> u64 {
    let c = lower.chars().count();
    if c <= n {
        return hash_str(lower);
    }
    let idx = if from_end { c - n } else { n };
    match lower.char_indices().nth(idx) {
        Some((i, _)) if from_end => hash_str(&lower[i..]),
        Some((i, _)) => hash_str(&lower[..i]),
        None => hash_str(lower),
    }
}

/// How each word type of the training text is written: per lowercase form (hashed), a bucket
/// of how often it is capitalized away from the sentence start, and how frequent it is. A
/// capitalized word that the training text mostly writes in lowercase ("Keep", "Medicine")
/// is rarely a name.
#[derive(Clone, Default)]
struct CaseStats {
    buckets: HashMap<u64, u8>,
}

impl CaseStats {
    fn count(sents: &[&NerSentence]) -> CaseStats {
        let mut counts: BTreeMap<u64, (u32, u32)> = BTreeMap::new();
        for s in sents {
            let forms: Vec<&str> = s.forms.iter().map(String::as_str).collect();
            if mostly_caps(&forms) {
                continue;
            }
            for w in forms.iter().skip(1) {
                let Some(c) = w.chars().next() else { continue };
                if !c.is_alphabetic() {
                    continue;
                }
                let e = counts.entry(hash_str(&w.to_lowercase())).or_default();
                if c.is_uppercase() {
                    e.1 += 1;
                } else {
                    e.0 += 1;
                }
            }
        }
        let buckets = counts
            .into_iter()
            .filter(|(_, (l, u))| l + u >= 2)
            .map(|(k, (l, u))| {
                let n = l + u;
                let ratio = (4 * u + n / 2) / n; // 0..=4, rounded
                let freq = if n >= 10 { 5 } else { 0 };
                (k, 1 + ratio as u8 + freq)
            })
            .collect();
        CaseStats { buckets }
    }

    fn get(&self, lower: &str) -> u64 {
        self.buckets.get(&hash_str(lower)).copied().unwrap_or(0) as u64
    }

    fn write(&self, out: &mut Vec<u8>) {
        let mut v: Vec<(u64, u8)> = self.buckets.iter().map(|(k, b)| (*k, *b)).collect();
        v.sort_unstable();
        out.extend_from_slice(&(v.len() as u32).to_le_bytes());
        for (k, b) in v {
            out.extend_from_slice(&k.to_le_bytes());
            out.push(b);
        }
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, NlpError> {
        let n = r.u32()? as usize;
        let mut buckets = HashMap::with_capacity(n);
        for _ in 0..n {
            let k = r.u64()?;
            buckets.insert(k, r.bytes(1)?[0]);
        }
        Ok(CaseStats { buckets })
    }
}

fn infos(gaz: &Gazetteer, case: &CaseStats, forms: &[&str], xpos: &[&str]) -> Vec<WordInfo> {
    let (matches, folded) = gaz.matches(forms);
    let clusters = WordClusters::embedded();
    // A dateline: up to four all-caps words opening the sentence, then a comma or a dash.
    let caps = |w: &&str| w.chars().count() > 1 && w.chars().all(char::is_uppercase);
    let run = forms.iter().take_while(|w| caps(w)).count();
    let dateline = match forms.get(run) {
        Some(&n) if (1..=4).contains(&run) && [",", "—", "–", "-", "("].contains(&n) => run,
        _ => 0,
    };
    forms
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let lower = w.to_lowercase();
            WordInfo {
                form: hash_str(w),
                lower: hash_str(&lower),
                shape: hash_str(&shape(w)),
                suf: [1, 2, 3, 4].map(|n| affix(&lower, n, true)),
                pre: [1, 2, 3].map(|n| affix(&lower, n, false)),
                xpos: xpos.get(i).map_or(NONE, |x| hash_str(x)),
                flags: gaz.flags(w),
                gaz: matches[i],
                gaz_lower: folded[i],
                case: case.get(&lower),
                cluster: clusters.prefixes(&lower, [4, 8, 12, 63]),
                cap: w.chars().next().is_some_and(char::is_uppercase),
                dateline: i < dateline,
                doc: None,
            }
        })
        .collect()
}

/// Features of word `i` (none depend on labels: label sequences are scored by transitions).
fn features(info: &[WordInfo], i: usize, all_caps: bool, out: &mut Vec<u64>) {
    out.clear();
    let at = |j: isize| -> Option<&WordInfo> {
        let k = i as isize + j;
        (k >= 0).then(|| info.get(k as usize)).flatten()
    };
    let lower = |j| at(j).map_or(START, |w| w.lower);
    let shp = |j| at(j).map_or(START, |w| w.shape);
    let xp = |j| at(j).map_or(START, |w| w.xpos);
    let w = &info[i];
    let mut f = |x: Feat| out.push(x.get());
    f(Feat::new(0));
    f(Feat::new(1).u(w.lower));
    f(Feat::new(2).u(w.form));
    f(Feat::new(3).u(w.shape));
    for (k, s) in w.suf.iter().enumerate() {
        f(Feat::new(4 + k as u32).u(*s));
    }
    for (k, s) in w.pre.iter().enumerate() {
        f(Feat::new(8 + k as u32).u(*s));
    }
    f(Feat::new(11).u(lower(-1)));
    f(Feat::new(12).u(lower(1)));
    f(Feat::new(13).u(lower(-2)));
    f(Feat::new(14).u(lower(2)));
    f(Feat::new(15).u(shp(-1)));
    f(Feat::new(16).u(shp(1)));
    f(Feat::new(17).u(w.xpos));
    f(Feat::new(18).u(xp(-1)));
    f(Feat::new(19).u(xp(1)));
    f(Feat::new(20).u(xp(-1)).u(w.xpos).u(xp(1)));
    f(Feat::new(21).u(w.xpos).u(xp(1)).u(xp(2)));
    f(Feat::new(26).u(w.flags));
    f(Feat::new(27).u(at(-1).map_or(START, |x| x.flags)));
    f(Feat::new(28).u(at(1).map_or(START, |x| x.flags)));
    f(Feat::new(29).u(w.gaz));
    f(Feat::new(30).u(w.gaz).u(w.shape));
    f(Feat::new(31).u(at(-1).map_or(START, |x| x.gaz)));
    f(Feat::new(32).u(at(1).map_or(START, |x| x.gaz)));
    f(Feat::new(52).u(w.gaz_lower).u(w.cap as u64));
    f(Feat::new(56).u(w.case).u(w.cap as u64).u((i == 0) as u64));
    f(Feat::new(57).u(w.case).u(w.shape).u(w.xpos));
    f(Feat::new(58)
        .u(at(-1).map_or(START, |x| x.case))
        .u(w.case)
        .u(w.cap as u64));
    f(Feat::new(59)
        .u(at(1).map_or(START, |x| x.case))
        .u(w.case)
        .u(w.cap as u64));
    f(Feat::new(53).u(w.gaz_lower).u(w.xpos));
    f(Feat::new(54).u(at(-1).map_or(START, |x| x.gaz_lower)));
    f(Feat::new(55).u(at(1).map_or(START, |x| x.gaz_lower)));
    f(Feat::new(33).u(lower(-1)).u(w.lower));
    f(Feat::new(34).u(w.lower).u(lower(1)));
    f(Feat::new(35).u((i == 0) as u64).u(w.shape));
    f(Feat::new(36).u(all_caps as u64).u(w.cap as u64).u(w.xpos));
    f(Feat::new(38).u(shp(-1)).u(w.shape).u(shp(1)));
    f(Feat::new(40).u(w.suf[2]).u(xp(1)));
    f(Feat::new(41).u(lower(1)).u(lower(2)));
    f(Feat::new(42).u(lower(-2)).u(lower(-1)));
    let cl = |j: isize, k: usize| at(j).map_or(START, |x| x.cluster[k]);
    for k in 0..4 {
        f(Feat::new(70 + k as u32).u(w.cluster[k]));
    }
    f(Feat::new(74).u(w.cluster[3]).u(w.cap as u64));
    f(Feat::new(75).u(cl(-1, 3)));
    f(Feat::new(76).u(cl(1, 3)));
    f(Feat::new(77).u(cl(-1, 1)).u(w.cluster[1]));
    f(Feat::new(78).u(w.cluster[1]).u(cl(1, 1)));
    if let Some(d) = w.doc {
        let first = |j: isize| at(j).and_then(|x| x.doc).map_or(START, |d| d.first);
        f(Feat::new(44).u(d.majority));
        f(Feat::new(45).u(d.majority).u(w.shape));
        f(Feat::new(46).u(d.majority).u(d.lowercase_elsewhere as u64));
        f(Feat::new(47).u(d.first));
        f(Feat::new(48).u(d.first).u(first(1)));
        f(Feat::new(49).u(first(-1)).u(d.first));
        f(Feat::new(51).u(d.majority).u(w.lower));
    }
}

/// Fills in [`DocInfo`] for every word of one document from the first pass's labels.
fn add_doc_info(doc: &mut [(Vec<WordInfo>, bool)], first: &[Vec<usize>]) {
    // Per lowercase form: words labeled PER/ORG/LOC by the first pass, and occurrences
    // written in lowercase.
    let mut seen: std::collections::HashMap<u64, ([u32; 3], bool)> = Default::default();
    for ((info, _), labels) in doc.iter().zip(first) {
        for (w, &l) in info.iter().zip(labels) {
            if w.dateline {
                continue;
            }
            let e = seen.entry(w.lower).or_default();
            if let Some((k, _)) = label_parts(l) {
                e.0[k] += 1;
            }
            if !w.cap {
                e.1 = true;
            }
        }
    }
    for ((info, _), labels) in doc.iter_mut().zip(first) {
        for (w, &l) in info.iter_mut().zip(labels) {
            let (counts, lowercase_elsewhere) = seen.get(&w.lower).copied().unwrap_or_default();
            let best = (0..3).max_by_key(|&k| (counts[k], std::cmp::Reverse(k)));
            let majority = match best {
                Some(k) if counts[k] > 0 => 1 + k as u64,
                _ => 0,
            };
            w.doc = Some(DocInfo {
                majority,
                lowercase_elsewhere,
                first: l as u64,
            });
        }
    }
}

/// True when most letters of the sentence are uppercase: headlines and shouting, where
/// capitalization says nothing.
fn mostly_caps(forms: &[&str]) -> bool {
    let (mut up, mut low) = (0usize, 0usize);
    for c in forms.iter().flat_map(|f| f.chars()) {
        if c.is_uppercase() {
            up += 1;
        } else if c.is_lowercase() {
            low += 1;
        }
    }
    up > 2 * low.max(1)
}

/// Index of the transition weight from `prev` (`None` = sentence start) to `next`.
fn tidx(prev: Option<usize>, next: usize) -> usize {
    prev.map_or(0, |p| p + 1) * N_LABELS + next
}

const N_TRANS: usize = (N_LABELS + 1) * N_LABELS;

/// The best well-formed label sequence under emission scores `emit` and transition weights.
fn viterbi(emit: &[[f32; N_LABELS]], trans: &[f32]) -> Vec<usize> {
    let n = emit.len();
    if n == 0 {
        return Vec::new();
    }
    let mut delta = vec![[f32::NEG_INFINITY; N_LABELS]; n];
    let mut back = vec![[0u8; N_LABELS]; n];
    for l in 0..N_LABELS {
        if allowed(None, l, n == 1) {
            delta[0][l] = emit[0][l] + trans[tidx(None, l)];
        }
    }
    for i in 1..n {
        let last = i + 1 == n;
        for l in 0..N_LABELS {
            let mut best: Option<(usize, f32)> = None;
            for p in 0..N_LABELS {
                let d = delta[i - 1][p];
                if d == f32::NEG_INFINITY || !allowed(Some(p), l, last) {
                    continue;
                }
                let s = d + trans[tidx(Some(p), l)];
                if best.is_none_or(|(_, b)| s > b) {
                    best = Some((p, s));
                }
            }
            if let Some((p, s)) = best {
                delta[i][l] = s + emit[i][l];
                back[i][l] = p as u8;
            }
        }
    }
    let mut l = (0..N_LABELS)
        .fold(None, |best: Option<usize>, l| match best {
            Some(b) if delta[n - 1][b] >= delta[n - 1][l] => Some(b),
            _ => Some(l),
        })
        .unwrap_or(0);
    let mut out = vec![0; n];
    for i in (0..n).rev() {
        out[i] = l;
        l = back[i][l] as usize;
    }
    out
}

/// One pass's weights: the perceptron over word features and the label transitions.
#[derive(Clone)]
struct PassModel {
    model: Model,
    trans: Vec<f32>,
}

fn emissions(
    info: &[WordInfo],
    all_caps: bool,
    score: impl Fn(&[u64], &mut [f32]),
) -> Vec<[f32; N_LABELS]> {
    let mut feats = Vec::with_capacity(48);
    (0..info.len())
        .map(|i| {
            features(info, i, all_caps, &mut feats);
            let mut s = [0f32; N_LABELS];
            score(&feats, &mut s);
            s
        })
        .collect()
}

/// Tags one sentence.
fn run(info: &[WordInfo], all_caps: bool, m: &PassModel) -> Vec<usize> {
    let emit = emissions(info, all_caps, |f, s| m.model.score(f, s));
    viterbi(&emit, &m.trans)
}

/// A trained named-entity tagger.
pub struct NerTagger {
    model: PassModel,
    /// Second pass over the whole document with the first pass's labels as features.
    model2: Option<PassModel>,
    gazetteer: Gazetteer,
    case: CaseStats,
}

/// One training or gold sentence: words, their XPOS (predicted by our tagger) and entities.
#[derive(Debug, Clone, Default)]
pub struct NerSentence {
    /// Index of the document (`# newdoc` comments) the sentence belongs to.
    pub doc: usize,
    pub forms: Vec<String>,
    pub xpos: Vec<String>,
    pub entities: Vec<EntitySpan>,
}

static NER_BIN: &[u8] = include_bytes!("../../data/models/ner.bin");

impl NerTagger {
    /// The model embedded in the binary, loaded on first use.
    pub fn embedded() -> Result<&'static NerTagger, &'static NlpError> {
        static CELL: std::sync::OnceLock<Result<NerTagger, NlpError>> = std::sync::OnceLock::new();
        CELL.get_or_init(|| {
            if NER_BIN.is_empty() {
                return Err(NlpError::Model(
                    "ner.bin is empty: run `newsgraph train ner`".into(),
                ));
            }
            NerTagger::from_bytes(NER_BIN)
        })
        .as_ref()
    }

    /// Entities of one sentence. `xpos` are the tagger's XPOS tags of `forms`.
    pub fn tag(&self, forms: &[&str], xpos: &[&str]) -> Vec<EntitySpan> {
        self.tag_document(&[(forms, xpos)])
            .pop()
            .unwrap_or_default()
    }

    /// Entities of every sentence of one document, given as (forms, XPOS) pairs. A name the
    /// document uses several times is labeled consistently more often this way.
    pub fn tag_document(&self, sentences: &[(&[&str], &[&str])]) -> Vec<Vec<EntitySpan>> {
        let mut doc: Vec<(Vec<WordInfo>, bool)> = sentences
            .iter()
            .map(|(f, x)| (infos(&self.gazetteer, &self.case, f, x), mostly_caps(f)))
            .collect();
        let first: Vec<Vec<usize>> = doc
            .iter()
            .map(|(info, caps)| run(info, *caps, &self.model))
            .collect();
        let Some(m2) = &self.model2 else {
            return first.iter().map(|l| decode(l)).collect();
        };
        add_doc_info(&mut doc, &first);
        doc.iter()
            .map(|(info, caps)| decode(&run(info, *caps, m2)))
            .collect()
    }

    /// Trains both passes. The second pass learns from first-pass labels produced by models
    /// that did not see the document (5-fold jackknifing by document), so it learns how far
    /// to trust them.
    pub fn train(
        train: &[NerSentence],
        dev: Option<&[NerSentence]>,
        iterations: usize,
        seed: u64,
        runs: usize,
        max_weights: usize,
    ) -> NerTagger {
        let runs = runs.max(1);
        let gazetteer = Gazetteer::compiled();
        let sents: Vec<&NerSentence> = train.iter().filter(|s| !s.forms.is_empty()).collect();
        let case = CaseStats::count(&sents);
        // Training sentences see case statistics from the other folds' documents only, as
        // text at run time sees statistics that never counted it.
        const FOLDS: usize = 5;
        let fold_case: Vec<CaseStats> = (0..FOLDS)
            .map(|fold| {
                let rest: Vec<&NerSentence> = sents
                    .iter()
                    .copied()
                    .filter(|s| s.doc % FOLDS != fold)
                    .collect();
                CaseStats::count(&rest)
            })
            .collect();
        let prepare = |s: &NerSentence| {
            let forms: Vec<&str> = s.forms.iter().map(String::as_str).collect();
            let xpos: Vec<&str> = s.xpos.iter().map(String::as_str).collect();
            let stats = &fold_case[s.doc % FOLDS];
            (infos(&gazetteer, stats, &forms, &xpos), mostly_caps(&forms))
        };
        let mut prepared: Vec<(Vec<WordInfo>, bool)> = sents.iter().map(|s| prepare(s)).collect();
        let gold: Vec<Vec<usize>> = sents
            .iter()
            .map(|s| encode(s.forms.len(), &s.entities))
            .collect();
        let all: Vec<usize> = (0..sents.len()).collect();
        let report = |name: &str, it: usize, t: &NerTagger| {
            if let Some(dev) = dev {
                let s = t.evaluate(dev);
                eprintln!(
                    "ner {name} iteration {}: dev precision {:.4} recall {:.4} f1 {:.4}",
                    it + 1,
                    s.precision,
                    s.recall,
                    s.f1
                );
            }
        };
        let p1: Vec<PassTrainer> = (0..runs as u64)
            .map(|r| {
                train_pass(&prepared, &gold, &all, iterations, seed + r, |it, p| {
                    report(
                        "pass 1",
                        it,
                        &NerTagger {
                            model: p.average(usize::MAX),
                            model2: None,
                            gazetteer: Gazetteer::compiled(),
                            case: case.clone(),
                        },
                    )
                })
            })
            .collect();
        let m1 = PassTrainer::average_runs(&p1, max_weights);
        drop(p1);
        let mut first: Vec<Vec<usize>> = vec![Vec::new(); sents.len()];
        for fold in 0..FOLDS {
            let rest: Vec<usize> = all
                .iter()
                .copied()
                .filter(|&i| sents[i].doc % FOLDS != fold)
                .collect();
            let m = train_pass(&prepared, &gold, &rest, iterations, seed, |_, _| {})
                .average(usize::MAX);
            for i in all
                .iter()
                .copied()
                .filter(|&i| sents[i].doc % FOLDS == fold)
            {
                first[i] = run(&prepared[i].0, prepared[i].1, &m);
            }
        }
        for_each_doc(&sents, |start, end| {
            add_doc_info(&mut prepared[start..end], &first[start..end])
        });
        let p2: Vec<PassTrainer> = (0..runs as u64)
            .map(|r| {
                train_pass(
                    &prepared,
                    &gold,
                    &all,
                    iterations,
                    (seed + r) ^ 0x9e37,
                    |it, p| {
                        report(
                            "pass 2",
                            it,
                            &NerTagger {
                                model: m1.clone(),
                                model2: Some(p.average(usize::MAX)),
                                gazetteer: Gazetteer::compiled(),
                                case: case.clone(),
                            },
                        )
                    },
                )
            })
            .collect();
        NerTagger {
            model: m1,
            model2: Some(PassTrainer::average_runs(&p2, max_weights)),
            gazetteer,
            case,
        }
    }

    /// Scores the tagger on gold sentences (exact span and type match, micro-averaged),
    /// tagging each document (consecutive sentences with one `doc`) as a whole.
    pub fn evaluate(&self, gold: &[NerSentence]) -> NerScores {
        let pred = self.predict(gold);
        let g: Vec<Vec<EntitySpan>> = gold.iter().map(|s| s.entities.clone()).collect();
        NerScores::compute(&g, &pred)
    }

    /// Entities predicted for each sentence, tagging documents as a whole.
    pub fn predict(&self, gold: &[NerSentence]) -> Vec<Vec<EntitySpan>> {
        let mut pred: Vec<Vec<EntitySpan>> = Vec::with_capacity(gold.len());
        for doc in gold.chunk_by(|a, b| a.doc == b.doc) {
            let forms: Vec<Vec<&str>> = doc
                .iter()
                .map(|s| s.forms.iter().map(String::as_str).collect())
                .collect();
            let xpos: Vec<Vec<&str>> = doc
                .iter()
                .map(|s| s.xpos.iter().map(String::as_str).collect())
                .collect();
            let pairs: Vec<(&[&str], &[&str])> = forms
                .iter()
                .zip(&xpos)
                .map(|(f, x)| (f.as_slice(), x.as_slice()))
                .collect();
            pred.extend(self.tag_document(&pairs));
        }
        pred
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        write_header(&mut out, MAGIC, VERSION);
        write_strings(
            &mut out,
            &TYPES.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        );
        self.case.write(&mut out);
        self.model.write(&mut out);
        match &self.model2 {
            Some(m) => {
                out.push(1);
                m.write(&mut out);
            }
            None => out.push(0),
        }
        out
    }

    pub fn from_bytes(buf: &[u8]) -> Result<Self, NlpError> {
        let mut r = Reader::new(buf);
        read_header(&mut r, MAGIC, VERSION)?;
        let types = r.strings()?;
        if types != TYPES {
            return Err(NlpError::Model(format!(
                "NER model types {types:?}, expected {TYPES:?}"
            )));
        }
        let case = CaseStats::read(&mut r)?;
        let model = PassModel::read(&mut r)?;
        let model2 = match r.bytes(1)?[0] {
            0 => None,
            _ => Some(PassModel::read(&mut r)?),
        };
        if model.model.n_classes != N_LABELS
            || model2
                .as_ref()
                .is_some_and(|m| m.model.n_classes != N_LABELS)
        {
            return Err(NlpError::Model("NER label count mismatch".into()));
        }
        if !r.at_end() {
            return Err(NlpError::Model("trailing bytes in NER model".into()));
        }
        Ok(NerTagger {
            model,
            model2,
            gazetteer: Gazetteer::compiled(),
            case,
        })
    }
}

impl PassModel {
    fn write(&self, out: &mut Vec<u8>) {
        self.model.write(out);
        for w in &self.trans {
            out.extend_from_slice(&w.to_le_bytes());
        }
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, NlpError> {
        let model = Model::read(r)?;
        let trans = (0..N_TRANS)
            .map(|_| r.f32())
            .collect::<Result<Vec<f32>, NlpError>>()?;
        Ok(PassModel { model, trans })
    }
}

/// A perceptron over word features plus averaged label-transition weights: a first-order
/// structured perceptron (Collins 2002) decoded with Viterbi.
struct PassTrainer {
    p: Perceptron,
    trans: Vec<f32>,
    total: Vec<f64>,
    stamp: Vec<u32>,
}

impl PassTrainer {
    fn new() -> Self {
        PassTrainer {
            p: Perceptron::new(N_LABELS),
            trans: vec![0.0; N_TRANS],
            total: vec![0.0; N_TRANS],
            stamp: vec![0; N_TRANS],
        }
    }

    fn bump(&mut self, k: usize, delta: f32) {
        let now = self.p.clock;
        self.total[k] += (now - self.stamp[k]) as f64 * self.trans[k] as f64;
        self.stamp[k] = now;
        self.trans[k] += delta;
    }

    fn average(&self, max_weights: usize) -> PassModel {
        PassTrainer::average_runs(std::slice::from_ref(self), max_weights)
    }

    /// The mean of several runs' averaged weights (see [`Perceptron::average_runs`]).
    fn average_runs(runs: &[PassTrainer], max_weights: usize) -> PassModel {
        let share = 1.0 / runs.len().max(1) as f64;
        let trans = (0..N_TRANS)
            .map(|k| {
                runs.iter()
                    .map(|r| {
                        let now = r.p.clock.max(1);
                        let t = r.total[k] + (now - r.stamp[k]) as f64 * r.trans[k] as f64;
                        t / now as f64 * share
                    })
                    .sum::<f64>() as f32
            })
            .collect();
        let perceptrons: Vec<&Perceptron> = runs.iter().map(|r| &r.p).collect();
        PassModel {
            model: Perceptron::average_runs(&perceptrons, max_weights),
            trans,
        }
    }

    fn train_sentence(&mut self, info: &[WordInfo], caps: bool, gold: &[usize]) {
        let n = info.len();
        let mut feats: Vec<Vec<u64>> = Vec::with_capacity(n);
        let mut emit = Vec::with_capacity(n);
        for i in 0..n {
            let mut f = Vec::with_capacity(48);
            features(info, i, caps, &mut f);
            let mut s = [0f32; N_LABELS];
            self.p.score(&f, &mut s);
            emit.push(s);
            feats.push(f);
        }
        let pred = viterbi(&emit, &self.trans);
        if pred != gold {
            for i in 0..n {
                self.p.update(gold[i], pred[i], &feats[i]);
                let gp = (i > 0).then(|| gold[i - 1]);
                let pp = (i > 0).then(|| pred[i - 1]);
                if (gp, gold[i]) != (pp, pred[i]) {
                    self.bump(tidx(gp, gold[i]), 1.0);
                    self.bump(tidx(pp, pred[i]), -1.0);
                }
            }
        }
        for _ in 0..n {
            self.p.tick();
        }
    }
}

/// Calls `f(start, end)` for every run of consecutive sentences of one document.
fn for_each_doc(sents: &[&NerSentence], mut f: impl FnMut(usize, usize)) {
    let mut start = 0;
    while start < sents.len() {
        let mut end = start + 1;
        while end < sents.len() && sents[end].doc == sents[start].doc {
            end += 1;
        }
        f(start, end);
        start = end;
    }
}

fn train_pass(
    prepared: &[(Vec<WordInfo>, bool)],
    gold: &[Vec<usize>],
    subset: &[usize],
    iterations: usize,
    seed: u64,
    mut report: impl FnMut(usize, &PassTrainer),
) -> PassTrainer {
    let mut t = PassTrainer::new();
    let mut rng = XorShift::new(seed);
    let mut order = subset.to_vec();
    for it in 0..iterations {
        rng.shuffle(&mut order);
        for &k in &order {
            t.train_sentence(&prepared[k].0, prepared[k].1, &gold[k]);
        }
        report(it, &t);
    }
    t
}

/// Precision, recall and F1 of one entity type or of all.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub gold: usize,
    pub predicted: usize,
    pub correct: usize,
}

impl Prf {
    fn from_counts(gold: usize, predicted: usize, correct: usize) -> Prf {
        let precision = if predicted == 0 {
            0.0
        } else {
            correct as f64 / predicted as f64
        };
        let recall = if gold == 0 {
            0.0
        } else {
            correct as f64 / gold as f64
        };
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Prf {
            precision,
            recall,
            f1,
            gold,
            predicted,
            correct,
        }
    }
}

/// Entity-level exact-match scores, micro-averaged, and per type.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct NerScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub per_type: BTreeMap<String, Prf>,
}

impl NerScores {
    pub fn compute(gold: &[Vec<EntitySpan>], pred: &[Vec<EntitySpan>]) -> NerScores {
        let mut counts = [[0usize; 3]; 3];
        for (g, p) in gold.iter().zip(pred) {
            let gs: HashSet<&EntitySpan> = g.iter().collect();
            for e in g {
                counts[e.kind][0] += 1;
            }
            for e in p {
                counts[e.kind][1] += 1;
                if gs.contains(e) {
                    counts[e.kind][2] += 1;
                }
            }
        }
        let sum = |k: usize| counts.iter().map(|c| c[k]).sum::<usize>();
        let all = Prf::from_counts(sum(0), sum(1), sum(2));
        NerScores {
            precision: all.precision,
            recall: all.recall,
            f1: all.f1,
            per_type: TYPES
                .iter()
                .enumerate()
                .map(|(k, t)| {
                    (
                        t.to_string(),
                        Prf::from_counts(counts[k][0], counts[k][1], counts[k][2]),
                    )
                })
                .collect(),
        }
    }
}

/// Reads a column file (UNER/CoNLL style: one word per line, blank line between sentences,
/// `#` comments). Columns are 0-based.
pub fn read_columns(
    path: &Path,
    form_column: usize,
    tag_column: usize,
) -> Result<Vec<NerSentence>, NlpError> {
    let src =
        std::fs::read_to_string(path).map_err(|e| NlpError::Io(path.display().to_string(), e))?;
    parse_columns(&src, form_column, tag_column)
        .map_err(|e| NlpError::Format(format!("{}: {e}", path.display())))
}

pub fn parse_columns(
    src: &str,
    form_column: usize,
    tag_column: usize,
) -> Result<Vec<NerSentence>, String> {
    let mut out = Vec::new();
    let mut forms: Vec<String> = Vec::new();
    let mut tags: Vec<String> = Vec::new();
    let mut doc = 0;
    let mut flush = |forms: &mut Vec<String>, tags: &mut Vec<String>, doc: usize| {
        if !forms.is_empty() {
            let t: Vec<&str> = tags.iter().map(String::as_str).collect();
            out.push(NerSentence {
                doc,
                entities: spans_from_iob(&t),
                xpos: Vec::new(),
                forms: std::mem::take(forms),
            });
            tags.clear();
        }
    };
    for (n, line) in src.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            flush(&mut forms, &mut tags, doc);
            continue;
        }
        if line.starts_with('#') {
            if line.starts_with("# newdoc") {
                flush(&mut forms, &mut tags, doc);
                doc += 1;
            }
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(form), Some(tag)) = (cols.get(form_column), cols.get(tag_column)) else {
            return Err(format!(
                "line {}: expected at least {} tab-separated columns, found {}",
                n + 1,
                form_column.max(tag_column) + 1,
                cols.len()
            ));
        };
        forms.push(form.to_string());
        tags.push(tag.to_string());
    }
    flush(&mut forms, &mut tags, doc);
    Ok(out)
}

/// Reads person, organization and place names from the `Entity=` annotations in the MISC
/// column of a GUM-style CoNLL-U file, as extra NER training data.
///
/// GUM brackets every mention, including descriptions ("the Bernoulli family", "a Swiss
/// mathematician"); UNER tags only names. So a GUM mention counts when, after a leading
/// determiner, it starts and ends with a proper noun and holds only proper nouns, "of", "and",
/// "'s", hyphens and periods; nested mentions are kept outermost first.
pub fn parse_gum_entities(src: &str) -> Vec<NerSentence> {
    let mut out = Vec::new();
    let mut doc = 0;
    let mut words: Vec<(String, String)> = Vec::new();
    let mut spans: Vec<(usize, usize, usize)> = Vec::new();
    let mut open: Vec<(String, usize, Option<usize>)> = Vec::new();
    let mut finish =
        |words: &mut Vec<(String, String)>, spans: &mut Vec<(usize, usize, usize)>, doc: usize| {
            if words.is_empty() {
                return;
            }
            let mut cands: Vec<EntitySpan> = spans
                .iter()
                .filter_map(|&(start, end, kind)| name_part(words, start, end, kind))
                .collect();
            cands.sort_by_key(|e| (std::cmp::Reverse(e.end - e.start), e.start));
            let mut taken = vec![false; words.len()];
            let mut entities = Vec::new();
            for e in cands {
                if taken[e.start..e.end].iter().all(|t| !t) {
                    taken[e.start..e.end].iter_mut().for_each(|t| *t = true);
                    entities.push(e);
                }
            }
            entities.sort();
            out.push(NerSentence {
                doc,
                forms: words.iter().map(|w| w.0.clone()).collect(),
                xpos: Vec::new(),
                entities,
            });
            words.clear();
            spans.clear();
        };
    for line in src.lines() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            finish(&mut words, &mut spans, doc);
            open.clear();
            continue;
        }
        if line.starts_with('#') {
            if line.starts_with("# newdoc") {
                finish(&mut words, &mut spans, doc);
                doc += 1;
            }
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 10 || cols[0].contains(['-', '.']) {
            continue;
        }
        let i = words.len();
        words.push((cols[1].to_string(), cols[3].to_string()));
        let Some(ent) = cols[9].split('|').find_map(|m| m.strip_prefix("Entity=")) else {
            continue;
        };
        let b = ent.as_bytes();
        let mut k = 0;
        while k < b.len() {
            if b[k] == b'(' {
                let end = ent[k + 1..]
                    .find(['(', ')'])
                    .map_or(ent.len(), |x| x + k + 1);
                let attrs = &ent[k + 1..end];
                let mut parts = attrs.split('-');
                let id = parts.next().unwrap_or("").to_string();
                let kind = match parts.next() {
                    Some("person") => Some(0),
                    Some("organization") => Some(1),
                    Some("place") => Some(2),
                    _ => None,
                };
                if end < b.len() && b[end] == b')' {
                    if let Some(kind) = kind {
                        spans.push((i, i + 1, kind));
                    }
                    k = end + 1;
                } else {
                    open.push((id, i, kind));
                    k = end;
                }
            } else if b[k].is_ascii_digit() {
                let end = ent[k..].find(')').map_or(ent.len(), |x| x + k);
                let id = &ent[k..end];
                if let Some(pos) = open.iter().rposition(|(o, _, _)| o == id) {
                    let (_, start, kind) = open.remove(pos);
                    if let Some(kind) = kind {
                        spans.push((start, i + 1, kind));
                    }
                }
                k = end + 1;
            } else {
                k += 1;
            }
        }
    }
    finish(&mut words, &mut spans, doc);
    out
}

/// The name inside a GUM mention, or `None` when the mention is a description.
fn name_part(
    words: &[(String, String)],
    start: usize,
    end: usize,
    kind: usize,
) -> Option<EntitySpan> {
    let mut s = start;
    while s < end && matches!(words[s].1.as_str(), "DET") {
        s += 1;
    }
    let span = &words[s..end];
    let propn = |w: &(String, String)| w.1 == "PROPN";
    if span.is_empty() || !propn(&span[0]) || !propn(&span[span.len() - 1]) {
        return None;
    }
    let ok = span.iter().all(|w| {
        propn(w)
            || matches!(
                w.0.as_str(),
                "of" | "and" | "&" | "'s" | "-" | "." | "de" | "the"
            )
    });
    ok.then_some(EntitySpan {
        start: s,
        end,
        kind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gum_mentions_become_names() {
        let src = "# newdoc id = x\n\
1\tDaniel\t_\tPROPN\t_\t_\t0\t_\t_\tEntity=(1-person-new-coref-D\n\
2\tBernoulli\t_\tPROPN\t_\t_\t0\t_\t_\tEntity=1)\n\
3\tmet\t_\tVERB\t_\t_\t0\t_\t_\t_\n\
4\tthe\t_\tDET\t_\t_\t0\t_\t_\tEntity=(2-organization-new\n\
5\tBernoulli\t_\tPROPN\t_\t_\t0\t_\t_\tEntity=(3-person-giv)\n\
6\tfamily\t_\tNOUN\t_\t_\t0\t_\t_\tEntity=2)\n\
7\tin\t_\tADP\t_\t_\t0\t_\t_\t_\n\
8\tthe\t_\tDET\t_\t_\t0\t_\t_\tEntity=(4-place-new\n\
9\tUnited\t_\tPROPN\t_\t_\t0\t_\t_\t_\n\
10\tStates\t_\tPROPN\t_\t_\t0\t_\t_\tEntity=4)\n\n";
        let s = parse_gum_entities(src);
        assert_eq!(s.len(), 1);
        let e: Vec<(usize, usize, &str)> = s[0]
            .entities
            .iter()
            .map(|e| (e.start, e.end, e.type_name()))
            .collect();
        assert_eq!(e, vec![(0, 2, "PER"), (4, 5, "PER"), (8, 10, "LOC")]);
    }

    #[test]
    fn iob_spans() {
        let t = [
            "B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-ORG", "O", "B-MISC",
        ];
        let s = spans_from_iob(&t);
        assert_eq!(
            s,
            vec![
                EntitySpan {
                    start: 0,
                    end: 2,
                    kind: 0
                },
                EntitySpan {
                    start: 3,
                    end: 4,
                    kind: 2
                },
                EntitySpan {
                    start: 4,
                    end: 5,
                    kind: 2
                },
                EntitySpan {
                    start: 5,
                    end: 6,
                    kind: 1
                },
            ]
        );
    }

    #[test]
    fn bilou_round_trips() {
        let spans = vec![
            EntitySpan {
                start: 0,
                end: 1,
                kind: 1,
            },
            EntitySpan {
                start: 2,
                end: 5,
                kind: 0,
            },
        ];
        let enc = encode(6, &spans);
        assert_eq!(decode(&enc), spans);
        let mut prev = None;
        for (i, &l) in enc.iter().enumerate() {
            assert!(allowed(prev, l, i + 1 == enc.len()), "{enc:?} at {i}");
            prev = Some(l);
        }
    }

    #[test]
    fn constraints_forbid_broken_sequences() {
        assert!(!allowed(None, label(0, I), false));
        assert!(!allowed(Some(label(0, B)), 0, false));
        assert!(!allowed(Some(label(0, B)), label(1, L), false));
        assert!(!allowed(Some(0), label(0, B), true));
        assert!(allowed(Some(label(0, I)), label(0, L), true));
    }

    #[test]
    fn scores_exact_matches_per_type() {
        let g = vec![vec![
            EntitySpan {
                start: 0,
                end: 2,
                kind: 0,
            },
            EntitySpan {
                start: 3,
                end: 4,
                kind: 2,
            },
        ]];
        let p = vec![vec![
            EntitySpan {
                start: 0,
                end: 2,
                kind: 0,
            },
            EntitySpan {
                start: 3,
                end: 5,
                kind: 2,
            },
            EntitySpan {
                start: 6,
                end: 7,
                kind: 1,
            },
        ]];
        let s = NerScores::compute(&g, &p);
        assert!((s.precision - 1.0 / 3.0).abs() < 1e-9);
        assert!((s.recall - 0.5).abs() < 1e-9);
        assert!((s.f1 - 0.4).abs() < 1e-9);
        assert_eq!(s.per_type["PER"].f1, 1.0);
        assert_eq!(s.per_type["LOC"].correct, 0);
    }

    #[test]
    fn datelines_do_not_vote_in_the_document_pass() {
        let g = Gazetteer::compiled();
        let case = CaseStats::default();
        let marked = |forms: &[&str]| -> Vec<bool> {
            infos(&g, &case, forms, &[])
                .iter()
                .map(|w| w.dateline)
                .collect()
        };
        assert_eq!(
            marked(&["PORT", "CALDER", ",", "March", "4", "—", "The"]),
            [true, true, false, false, false, false, false]
        );
        assert_eq!(marked(&["HALVERN", "—", "The"]), [true, false, false]);
        // Shouting and acronyms elsewhere are not datelines.
        assert_eq!(marked(&["NATO", "said", "so"]), [false, false, false]);
        assert_eq!(
            marked(&["The", "FBI", ",", "he"]),
            [false, false, false, false]
        );
        // A dateline's first-pass label is left out of the majority; other mentions count.
        let mut doc = vec![
            (
                infos(&g, &case, &["HALVERN", ",", "Feb.", "12", "—"], &[]),
                false,
            ),
            (infos(&g, &case, &["in", "Halvern"], &[]), false),
        ];
        let first = vec![vec![label(1, U), 0, 0, 0, 0], vec![0, 0]];
        add_doc_info(&mut doc, &first);
        assert_eq!(doc[1].0[1].doc.map(|d| d.majority), Some(0));
    }

    #[test]
    fn gazetteer_matches_longest_name() {
        let g = Gazetteer::compiled();
        let forms = ["the", "Department", "of", "Defense", "in", "France"];
        let (m, _) = g.matches(&forms);
        let code = |pos: usize, cat: u8| 1 + pos as u64 + 4 * u64::from(cat);
        assert_eq!(m[0], 0);
        assert_eq!(m[1], code(B, CAT_ORG));
        assert_eq!(m[2], code(I, CAT_ORG));
        assert_eq!(m[3], code(L, CAT_ORG));
        assert_eq!(m[5], code(U, CAT_PLACE));
        // Lowercased names match only the folded lookup.
        let (m, folded) = g.matches(&["moving", "to", "france"]);
        assert_eq!(m[2], 0);
        assert_eq!(folded[2], code(U, CAT_PLACE));
        assert_eq!(folded[0], 0);
    }

    #[test]
    fn name_lists_fill_word_sets() {
        let g = Gazetteer::compiled();
        assert_ne!(g.flags("Jennifer") & GIVEN, 0);
        assert_ne!(g.flags("jennifer") & GIVEN_LOWER, 0);
        assert_ne!(g.flags("Rodriguez") & SURNAME, 0);
        assert_eq!(g.flags("table"), 0);
    }

    #[test]
    fn viterbi_finds_best_well_formed_sequence() {
        // Word-by-word argmax would be I-PER, O (ill-formed); the best allowed is U-PER, O.
        let mut emit = vec![[0f32; N_LABELS]; 2];
        emit[0][label(0, I)] = 5.0;
        emit[0][label(0, U)] = 1.0;
        emit[1][0] = 1.0;
        let trans = vec![0f32; N_TRANS];
        assert_eq!(viterbi(&emit, &trans), vec![label(0, U), 0]);
        // A strong transition weight can pull the second word into the name.
        let mut trans = vec![0f32; N_TRANS];
        trans[tidx(Some(label(0, B)), label(0, L))] = 10.0;
        let out = viterbi(&emit, &trans);
        assert_eq!(out, vec![label(0, B), label(0, L)]);
        assert!(viterbi(&[], &trans).is_empty());
    }

    #[test]
    fn parses_columns_and_rejects_short_lines() {
        let src = "# c\n1\tPete\tB-PER\n2\tHegseth\tI-PER\n3\tspoke\tO\n\n1\tParis\tB-LOC\n";
        let s = parse_columns(src, 1, 2).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].entities.len(), 1);
        assert_eq!(s[1].forms, vec!["Paris"]);
        assert!(parse_columns("1\tx\n", 1, 2).is_err());
    }

    #[test]
    fn learns_toy_data_and_round_trips() {
        let mk = |forms: &[&str], ents: Vec<EntitySpan>| NerSentence {
            doc: 0,
            forms: forms.iter().map(|s| s.to_string()).collect(),
            xpos: forms
                .iter()
                .map(|f| {
                    if f.chars().next().unwrap().is_uppercase() {
                        "NNP".into()
                    } else {
                        "NN".into()
                    }
                })
                .collect(),
            entities: ents,
        };
        let per = |s, e| EntitySpan {
            start: s,
            end: e,
            kind: 0,
        };
        let data = vec![
            mk(&["Alice", "Smith", "left", "town"], vec![per(0, 2)]),
            mk(&["the", "man", "met", "Bob", "Jones"], vec![per(3, 5)]),
            mk(&["a", "dog", "barked"], vec![]),
        ];
        let t = NerTagger::train(&data, None, 10, 1, 1, usize::MAX);
        assert_eq!(t.evaluate(&data).f1, 1.0);
        let bytes = t.to_bytes();
        let t2 = NerTagger::from_bytes(&bytes).unwrap();
        assert_eq!(t2.to_bytes(), bytes);
        assert!(NerTagger::from_bytes(&bytes[..bytes.len() - 3]).is_err());
    }
}
