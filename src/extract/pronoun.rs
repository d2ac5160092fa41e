//! Pronoun resolution: which candidate mention a third-person pronoun (he, his, she, her,
//! they, its, …) refers to.
//!
//! The resolver scores every candidate with a logistic model over syntactic and discourse
//! features computed from our own parse: grammatical roles of candidate and pronoun and
//! their parallelism, sentence and token distance, c-command (binding), how often and how
//! early the candidate's name occurs, whether it is the nearest preceding subject, and
//! gender agreement from a hand-compiled given-names list. The weights are trained on
//! `gap-validation.tsv` plus GAP-like rows made from GUM's gold coreference
//! ([`read_coref_conllu`], train file only) by [`train_gap`] (deterministic full-batch
//! gradient descent) and embedded from `data/models/pronoun.tsv`; [`eval_gap`] measures the
//! resolver on a GAP file with GAP's own F1 (never on the URL: no page context).
//!
//! Spans are byte spans into the analyzed text, like everywhere in the crate; GAP's
//! character offsets are converted at the boundary.

use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;

use crate::nlp::{AnalyzedSentence, Pipeline, Word};

/// Errors of pronoun resolution and of reading GAP files.
#[derive(Debug, thiserror::Error)]
pub enum PronounError {
    #[error("span {start}..{end} is not a span of the text ({len} bytes, on char boundaries)")]
    BadSpan {
        start: usize,
        end: usize,
        len: usize,
    },
    #[error("span {0}..{1} covers no analyzed word")]
    NoWord(usize, usize),
    #[error("reading {0}")]
    Io(String, #[source] std::io::Error),
    #[error("{0}:{1}: {2}")]
    Format(String, usize, String),
}

/// What a pronoun can agree with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Masculine,
    Feminine,
    /// it, its: things and organizations.
    Neuter,
    /// they, them, their: groups and organizations.
    Plural,
}

/// The gender class of a third-person pronoun, or `None` for any other word.
pub fn pronoun_gender(form: &str) -> Option<Gender> {
    match form.to_lowercase().as_str() {
        "he" | "him" | "his" | "himself" => Some(Gender::Masculine),
        "she" | "her" | "hers" | "herself" => Some(Gender::Feminine),
        "it" | "its" | "itself" => Some(Gender::Neuter),
        "they" | "them" | "their" | "theirs" | "themselves" => Some(Gender::Plural),
        _ => None,
    }
}

static NAMES: &str = include_str!("../../data/lexicon/gendered-names.txt");
static WEIGHTS: &str = include_str!("../../data/models/pronoun.tsv");

const MALE_WORDS: &[&str] = &[
    "Mr", "Mr.", "Sir", "King", "Lord", "Prince", "Duke", "Baron", "Count", "Emperor", "Father",
    "Brother", "Uncle", "Pope", "Earl", "Sultan", "Tsar", "Archduke",
];
const FEMALE_WORDS: &[&str] = &[
    "Mrs", "Mrs.", "Ms", "Ms.", "Miss", "Madame", "Dame", "Lady", "Queen", "Princess", "Duchess",
    "Baroness", "Countess", "Empress", "Sister", "Mother", "Aunt", "Tsarina",
];

/// Features, in the order of the weight vector. The names are the keys of the weight file.
const FEATURES: &[&str] = &[
    "bias",
    // the candidate span itself
    "span_before",
    "span_sent0",
    "span_sent1",
    "span_sent2",
    "span_sent3",
    "span_after_same",
    "span_after_later",
    "span_tokdist",
    "span_nearest_before",
    "span_nearest_any",
    "span_subj_main",
    "span_sent_initial",
    "span_in_paren",
    "coarg",
    "ccommand_poss",
    "ccommand_nonposs",
    "p_ccommands_c",
    "parallel",
    "span_subj_p_subj",
    "span_subj_p_obj",
    "span_subj_p_poss",
    "span_obj_p_subj",
    "span_obj_p_obj",
    "span_obj_p_poss",
    "span_poss_p_subj",
    "span_poss_p_poss",
    "span_obl_p_subj",
    "span_obl_p_poss",
    "span_appos",
    "span_other",
    // the candidate's entity: every mention of its name
    "ent_count",
    "ent_count_max",
    "ent_count_tie",
    "ent_first",
    "ent_in_first_sent",
    "ent_near0",
    "ent_near1",
    "ent_near2",
    "ent_near3",
    "ent_none_before",
    "ent_nearest_cand",
    "ent_nearest_subj",
    "ent_subj_same_sent",
    "ent_subj_prev_sent",
    "ent_near_subj_p_subj",
    "ent_near_subj_p_poss",
    "ent_near_subj_p_obj",
    "ent_near_obj",
    "ent_near_poss",
    "ent_near_obl",
    "p_initial_count_max",
    "p_initial_first",
    "p_initial_nearest_subj",
    "gender_agree",
    "gender_clash",
];

/// Features whose weights are set by hand, not trained: GAP picks both candidates of a row
/// with the pronoun's gender, so agreement never separates them there, yet in news text a
/// name of the wrong gender must lose.
const HAND_WEIGHTS: &[(&str, f32)] = &[("gender_clash", -4.0)];

fn is_title(w: &str) -> bool {
    MALE_WORDS.contains(&w) || FEMALE_WORDS.contains(&w)
}

fn feature_index(name: &str) -> Option<usize> {
    FEATURES.iter().position(|f| *f == name)
}

/// Scores pronoun–candidate pairs. Cheap to build: a name list and a weight vector.
#[derive(Debug, Clone)]
pub struct PronounResolver {
    male: HashSet<&'static str>,
    female: HashSet<&'static str>,
    weights: Vec<f32>,
    /// A candidate whose probability is below this is not linked (see [`decide`]).
    pub threshold: f32,
}

impl Default for PronounResolver {
    fn default() -> Self {
        PronounResolver::new()
    }
}

impl PronounResolver {
    /// The resolver with the embedded name list and weights.
    pub fn new() -> Self {
        // The embedded file is written by `train_gap`; a malformed line would be a build
        // problem, and skipping it leaves a weaker but working model.
        PronounResolver::from_weights_file(WEIGHTS).unwrap_or_else(|_| Self::with_weights(&[]))
    }

    /// The resolver with weights from a file `train_gap` wrote (`pronoun.tsv`).
    pub fn from_weights_file(src: &str) -> Result<Self, String> {
        let mut r = PronounResolver::with_weights(&[]);
        let (w, t) = parse_weights(src)?;
        r.weights = w;
        if let Some(t) = t {
            r.threshold = t;
        }
        r.apply_hand_weights();
        Ok(r)
    }

    /// A resolver with the given weights (one per [`FEATURES`] entry, missing ones zero).
    fn with_weights(weights: &[f32]) -> Self {
        let mut male = HashSet::new();
        let mut female = HashSet::new();
        for line in NAMES.lines() {
            let mut it = line.split_whitespace();
            let set = match it.next() {
                Some("m") => &mut male,
                Some("f") => &mut female,
                _ => continue,
            };
            set.extend(it);
        }
        let mut w = vec![0.0; FEATURES.len()];
        for (d, s) in w.iter_mut().zip(weights) {
            *d = *s;
        }
        let mut r = PronounResolver {
            male,
            female,
            weights: w,
            threshold: 0.5,
        };
        r.apply_hand_weights();
        r
    }

    fn apply_hand_weights(&mut self) {
        for (name, v) in HAND_WEIGHTS {
            if let Some(i) = feature_index(name) {
                self.weights[i] = *v;
            }
        }
    }

    /// The gender a name implies, from a title word in it ("Mrs.", "King") or a known given
    /// name opening it.
    pub fn name_gender(&self, words: &[&str]) -> Option<Gender> {
        for w in words {
            if MALE_WORDS.contains(w) {
                return Some(Gender::Masculine);
            }
            if FEMALE_WORDS.contains(w) {
                return Some(Gender::Feminine);
            }
        }
        // A lone "James" or "Allen" is as likely a surname as a given name; only the first
        // word of a longer name is read as a given name.
        match words {
            [first, _, ..] if self.male.contains(first) => Some(Gender::Masculine),
            [first, _, ..] if self.female.contains(first) => Some(Gender::Feminine),
            _ => None,
        }
    }

    /// Probability, per candidate, that the pronoun at byte span `pronoun` refers to it.
    ///
    /// `sentences` is the analysis of `text` ([`Pipeline::analyze`]); candidates are byte
    /// spans of mentions (names or noun phrases) anywhere in the text, before or after the
    /// pronoun. Fails if a span is outside the text, not on char boundaries, or covers no
    /// analyzed word.
    pub fn resolve(
        &self,
        text: &str,
        sentences: &[AnalyzedSentence],
        pronoun: Range<usize>,
        candidates: &[Range<usize>],
    ) -> Result<Vec<f32>, PronounError> {
        let feats = self.features(text, sentences, pronoun, candidates)?;
        Ok(softmax_with_null(&self.weights, &feats))
    }

    /// One feature vector per candidate.
    fn features(
        &self,
        text: &str,
        sentences: &[AnalyzedSentence],
        pronoun: Range<usize>,
        candidates: &[Range<usize>],
    ) -> Result<Vec<Vec<f32>>, PronounError> {
        check_span(text, &pronoun)?;
        for c in candidates {
            check_span(text, c)?;
        }
        let doc = Doc::new(sentences);
        let p = doc
            .locate(&pronoun)
            .ok_or(PronounError::NoWord(pronoun.start, pronoun.end))?;
        let mut mentions = Vec::with_capacity(candidates.len());
        for c in candidates {
            let m = doc.locate(c).ok_or(PronounError::NoWord(c.start, c.end))?;
            mentions.push(m);
        }
        let pw = doc.word(p.head);
        let pgender = pronoun_gender(&pw.form);
        let prole = pronoun_role(pw);
        let p_initial = p.head.1 == first_content(&doc.sents[p.head.0]);

        let ents: Vec<Entity> = mentions.iter().map(|m| doc.entity(m)).collect();
        let counts: Vec<usize> = ents.iter().map(|e| e.mentions.len()).collect();
        let firsts: Vec<usize> = ents
            .iter()
            .map(|e| e.mentions.first().map_or(usize::MAX, |&(g, _)| g))
            .collect();
        let pg = doc.global(p.head);
        let p_first = doc.global((p.head.0, p.first));
        let nearest_before = |e: &Entity| -> Option<(usize, (usize, usize))> {
            e.mentions
                .iter()
                .rev()
                .find(|&&(g, _)| g < p_first)
                .copied()
        };
        let ent_near: Vec<Option<usize>> = ents
            .iter()
            .map(|e| nearest_before(e).map(|(g, _)| g))
            .collect();
        let best_near = ent_near.iter().flatten().max().copied();
        let span_pos: Vec<usize> = mentions.iter().map(|m| doc.global(m.head)).collect();
        let nearest_span_before = span_pos.iter().filter(|&&g| g < pg).max().copied();
        let nearest_span_any = span_pos.iter().map(|&g| g.abs_diff(pg)).min();
        let subj = doc.nearest_name_subject(p_first);

        let mut out = Vec::with_capacity(candidates.len());
        for (k, m) in mentions.iter().enumerate() {
            let mut f = Feats::new();
            f.put("bias", 1.0);
            let cw = doc.word(m.head);
            let cg = span_pos[k];
            let (cs, ps) = (m.head.0, p.head.0);
            let before = cg < pg;
            if before {
                f.put("span_before", 1.0);
                f.put(
                    ["span_sent0", "span_sent1", "span_sent2", "span_sent3"][(ps - cs).min(3)],
                    1.0,
                );
            } else if cs == ps {
                f.put("span_after_same", 1.0);
            } else {
                f.put("span_after_later", 1.0);
            }
            f.put("span_tokdist", (1.0 + cg.abs_diff(pg) as f32).ln() / 3.0);
            if Some(cg) == nearest_span_before {
                f.put("span_nearest_before", 1.0);
            }
            if Some(cg.abs_diff(pg)) == nearest_span_any {
                f.put("span_nearest_any", 1.0);
            }
            let sent = &doc.sents[cs];
            let crole = role(sent, m.head.1);
            if crole == Role::Subj && sent.words[m.head.1].head > 0 {
                let h = sent.words[m.head.1].head - 1;
                if sent.words[h].head == 0 {
                    f.put("span_subj_main", 1.0);
                }
            }
            if m.first == first_content(sent) {
                f.put("span_sent_initial", 1.0);
            }
            if in_parens(sent, m.first) {
                f.put("span_in_paren", 1.0);
            }
            if cs == ps {
                let s = &doc.sents[cs];
                let (ci, pi) = (m.head.1, p.head.1);
                let ch = s.words[ci].head;
                let ph = s.words[pi].head;
                if ch != 0 && ch == ph {
                    f.put("coarg", 1.0);
                } else if ch != 0 && is_ancestor(s, ch - 1, pi) {
                    f.put(
                        if prole == Role::Poss {
                            "ccommand_poss"
                        } else {
                            "ccommand_nonposs"
                        },
                        1.0,
                    );
                }
                if ph != 0 && ph != ch && is_ancestor(s, ph - 1, ci) && prole != Role::Poss {
                    f.put("p_ccommands_c", 1.0);
                }
            }
            if crole == prole {
                f.put("parallel", 1.0);
            }
            let cross = match (crole, prole) {
                (Role::Subj, Role::Subj) => Some("span_subj_p_subj"),
                (Role::Subj, Role::Obj) => Some("span_subj_p_obj"),
                (Role::Subj, Role::Poss) => Some("span_subj_p_poss"),
                (Role::Obj, Role::Subj) => Some("span_obj_p_subj"),
                (Role::Obj, Role::Obj) => Some("span_obj_p_obj"),
                (Role::Obj, Role::Poss) => Some("span_obj_p_poss"),
                (Role::Poss, Role::Poss) => Some("span_poss_p_poss"),
                (Role::Poss, _) => Some("span_poss_p_subj"),
                (Role::Obl, Role::Poss) => Some("span_obl_p_poss"),
                (Role::Obl, _) => Some("span_obl_p_subj"),
                (Role::Appos, _) => Some("span_appos"),
                (Role::Other, _) => Some("span_other"),
                _ => None,
            };
            if let Some(c) = cross {
                f.put(c, 1.0);
            }

            let e = &ents[k];
            f.put("ent_count", (counts[k] as f32).ln());
            let others_max = counts
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != k)
                .map(|(_, &c)| c)
                .max()
                .unwrap_or(0);
            let count_max = counts[k] > others_max;
            if count_max {
                f.put("ent_count_max", 1.0);
            } else if counts[k] == others_max {
                f.put("ent_count_tie", 1.0);
            }
            let first = firsts
                .iter()
                .enumerate()
                .all(|(j, &g)| j == k || firsts[k] < g);
            if first {
                f.put("ent_first", 1.0);
            }
            if e.mentions.iter().any(|&(_, (s, _))| s == 0) {
                f.put("ent_in_first_sent", 1.0);
            }
            match nearest_before(e) {
                Some((g, (s, i))) => {
                    f.put(
                        ["ent_near0", "ent_near1", "ent_near2", "ent_near3"][(ps - s).min(3)],
                        1.0,
                    );
                    if Some(g) == best_near {
                        f.put("ent_nearest_cand", 1.0);
                    }
                    let r = role(&doc.sents[s], chunk_head(&doc.sents[s], i));
                    let name = match (r, prole) {
                        (Role::Subj, Role::Subj) => Some("ent_near_subj_p_subj"),
                        (Role::Subj, Role::Poss) => Some("ent_near_subj_p_poss"),
                        (Role::Subj, _) => Some("ent_near_subj_p_obj"),
                        (Role::Obj, _) => Some("ent_near_obj"),
                        (Role::Poss, _) => Some("ent_near_poss"),
                        (Role::Obl, _) => Some("ent_near_obl"),
                        _ => None,
                    };
                    if let Some(n) = name {
                        f.put(n, 1.0);
                    }
                }
                None => f.put("ent_none_before", 1.0),
            }
            let is_subj = |&(g, (s, i)): &(usize, (usize, usize))| {
                g < p_first && role(&doc.sents[s], chunk_head(&doc.sents[s], i)) == Role::Subj
            };
            if e.mentions.iter().any(|m| m.1 .0 == ps && is_subj(m)) {
                f.put("ent_subj_same_sent", 1.0);
            }
            if ps > 0 && e.mentions.iter().any(|m| m.1 .0 == ps - 1 && is_subj(m)) {
                f.put("ent_subj_prev_sent", 1.0);
            }
            let nearest_subj = subj.is_some_and(|g| e.mentions.iter().any(|m| m.0 == g));
            if nearest_subj {
                f.put("ent_nearest_subj", 1.0);
            }
            if p_initial {
                if count_max {
                    f.put("p_initial_count_max", 1.0);
                }
                if first {
                    f.put("p_initial_first", 1.0);
                }
                if nearest_subj {
                    f.put("p_initial_nearest_subj", 1.0);
                }
            }

            // The word before the span joins it when it is a title: "Mrs. [Smith]".
            let from = match m.first.checked_sub(1) {
                Some(i) if is_title(&sent.words[i].form) => i,
                _ => m.first,
            };
            let forms: Vec<&str> = (from..=m.last)
                .map(|i| sent.words[i].form.as_str())
                .filter(|f| f.chars().next().is_some_and(char::is_uppercase))
                .collect();
            let cgender = self.name_gender(&forms).or_else(|| noun_gender(cw));
            match (pgender, cgender) {
                // News calls an organization both "it" and "they".
                (Some(Gender::Plural), Some(Gender::Neuter)) => {}
                (Some(a), Some(b)) if a == b => f.put("gender_agree", 1.0),
                (Some(_), Some(_)) => f.put("gender_clash", 1.0),
                _ => {}
            }
            out.push(f.v);
        }
        Ok(out)
    }
}

/// At most one TRUE per pronoun: the most probable candidate, if it passes `threshold`.
/// Ties go to the earlier candidate, so the decision is deterministic.
pub fn decide(probs: &[f32], threshold: f32) -> Vec<bool> {
    let mut best: Option<usize> = None;
    for (i, &p) in probs.iter().enumerate() {
        if p >= threshold && best.is_none_or(|b| p > probs[b]) {
            best = Some(i);
        }
    }
    (0..probs.len()).map(|i| Some(i) == best).collect()
}

/// Probability of each candidate against the others and against "none of them" (score 0):
/// the candidates of one pronoun compete, as they do in the decision.
fn softmax_with_null(w: &[f32], feats: &[Vec<f32>]) -> Vec<f32> {
    let s: Vec<f64> = feats.iter().map(|f| dot(w, f) as f64).collect();
    let m = s.iter().copied().fold(0.0f64, f64::max);
    let z = (-m).exp() + s.iter().map(|v| (v - m).exp()).sum::<f64>();
    s.iter().map(|v| ((v - m).exp() / z) as f32).collect()
}

fn dot(w: &[f32], f: &[f32]) -> f32 {
    w.iter().zip(f).map(|(a, b)| a * b).sum()
}

struct Feats {
    v: Vec<f32>,
}

impl Feats {
    fn new() -> Self {
        Feats {
            v: vec![0.0; FEATURES.len()],
        }
    }
    fn put(&mut self, name: &str, val: f32) {
        if let Some(i) = feature_index(name) {
            self.v[i] = val;
        }
    }
}

fn check_span(text: &str, span: &Range<usize>) -> Result<(), PronounError> {
    let ok = span.start < span.end
        && span.end <= text.len()
        && text.is_char_boundary(span.start)
        && text.is_char_boundary(span.end);
    if ok {
        Ok(())
    } else {
        Err(PronounError::BadSpan {
            start: span.start,
            end: span.end,
            len: text.len(),
        })
    }
}

/// Coarse grammatical role; conjuncts take the role of the first conjunct, so "Fred and
/// Gordon left" makes both subjects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Subj,
    Obj,
    Poss,
    Obl,
    Appos,
    Other,
}

fn role(s: &AnalyzedSentence, mut i: usize) -> Role {
    for _ in 0..s.words.len() {
        let w = &s.words[i];
        if w.deprel == "conj" && w.head > 0 {
            i = w.head - 1;
            continue;
        }
        let d = w.deprel.as_str();
        return if d.starts_with("nsubj") || d.starts_with("csubj") {
            Role::Subj
        } else if d == "obj" || d == "iobj" {
            Role::Obj
        } else if d == "nmod:poss" {
            Role::Poss
        } else if d.starts_with("obl") || d.starts_with("nmod") {
            Role::Obl
        } else if d == "appos" {
            Role::Appos
        } else {
            Role::Other
        };
    }
    Role::Other
}

/// The words that hold the noun phrase a pronoun's clause modifies: for "Mark Esper’s
/// portrait — a position in which he served", the relative clause hangs on "position", an
/// apposition of "portrait", whose possessor is "Esper". Returns the possessors (and
/// compounds) of that noun and of the nouns it is in apposition to, nearest first. Binding
/// in such clauses is near certain in news copy, and GAP has too few of them for the trained
/// resolver to learn it.
pub fn holders_of_modified_phrase(s: &AnalyzedSentence, p: usize) -> Vec<usize> {
    let mut i = p;
    let mut noun = None;
    for _ in 0..s.words.len() {
        let Some(w) = s.words.get(i) else { break };
        if w.head == 0 {
            break;
        }
        if matches!(w.deprel.as_str(), "acl:relcl" | "acl") {
            noun = Some(w.head - 1);
            break;
        }
        i = w.head - 1;
    }
    let mut out = Vec::new();
    let Some(mut n) = noun else { return out };
    for _ in 0..s.words.len() {
        out.extend(
            s.words
                .iter()
                .enumerate()
                .filter(|(k, w)| *k < n && w.head == n + 1 && w.deprel == "nmod:poss")
                .map(|(k, _)| k),
        );
        let w = &s.words[n];
        if w.deprel != "appos" || w.head == 0 {
            break;
        }
        n = w.head - 1;
    }
    out
}

fn pronoun_role(w: &Word) -> Role {
    let l = w.form.to_lowercase();
    if matches!(l.as_str(), "his" | "its" | "their" | "hers" | "theirs") || w.xpos == "PRP$" {
        return Role::Poss;
    }
    let d = w.deprel.as_str();
    if d == "nmod:poss" {
        Role::Poss
    } else if d.starts_with("nsubj") {
        Role::Subj
    } else {
        Role::Obj
    }
}

/// The head of the name chunk word `i` belongs to ("Leach" for "Bernard"), so a name's role
/// is the role of the whole name.
fn chunk_head(s: &AnalyzedSentence, mut i: usize) -> usize {
    for _ in 0..s.words.len() {
        let w = &s.words[i];
        let flat = w.deprel == "compound" || w.deprel.starts_with("flat");
        if flat && w.head > 0 && s.words[w.head - 1].upos == "PROPN" {
            i = w.head - 1;
        } else {
            break;
        }
    }
    i
}

/// Whether word `a` dominates word `b` (0-based indices; a word dominates itself).
fn is_ancestor(s: &AnalyzedSentence, a: usize, mut b: usize) -> bool {
    for _ in 0..=s.words.len() {
        if a == b {
            return true;
        }
        match s.words.get(b) {
            Some(w) if w.head > 0 => b = w.head - 1,
            _ => return false,
        }
    }
    false
}

/// Index of the first word that is not punctuation (sentences may open with a quote).
fn first_content(s: &AnalyzedSentence) -> usize {
    s.words.iter().position(|w| w.upos != "PUNCT").unwrap_or(0)
}

fn in_parens(s: &AnalyzedSentence, i: usize) -> bool {
    let mut depth = 0i32;
    for w in &s.words[..i] {
        match w.form.as_str() {
            "(" | "[" => depth += 1,
            ")" | "]" => depth -= 1,
            _ => {}
        }
    }
    depth > 0
}

/// Gender of a common-noun mention: organizations and things are neuter or plural.
fn noun_gender(w: &Word) -> Option<Gender> {
    match w.xpos.as_str() {
        "NNS" | "NNPS" => Some(Gender::Plural),
        "NN" => Some(Gender::Neuter),
        _ => None,
    }
}

/// A located mention: sentence, first and last word, and head word (all 0-based).
#[derive(Debug, Clone, Copy)]
struct Mention {
    head: (usize, usize),
    first: usize,
    last: usize,
}

/// Every mention of a candidate's name: (global word index, (sentence, word)), in text order.
struct Entity {
    mentions: Vec<(usize, (usize, usize))>,
}

struct Doc<'a> {
    sents: &'a [AnalyzedSentence],
    /// Global index of each sentence's first word.
    offsets: Vec<usize>,
}

impl<'a> Doc<'a> {
    fn new(sents: &'a [AnalyzedSentence]) -> Self {
        let mut offsets = Vec::with_capacity(sents.len());
        let mut n = 0;
        for s in sents {
            offsets.push(n);
            n += s.words.len();
        }
        Doc { sents, offsets }
    }

    fn word(&self, (s, i): (usize, usize)) -> &Word {
        &self.sents[s].words[i]
    }

    fn global(&self, (s, i): (usize, usize)) -> usize {
        self.offsets[s] + i
    }

    /// The words a byte span overlaps, cut to the sentence of the first one; the head is the
    /// word whose own head lies outside the span (the last such, for flat parses).
    fn locate(&self, span: &Range<usize>) -> Option<Mention> {
        for (si, s) in self.sents.iter().enumerate() {
            let idx: Vec<usize> = s
                .words
                .iter()
                .enumerate()
                .filter(|(_, w)| w.span.start < span.end && span.start < w.span.end)
                .map(|(i, _)| i)
                .collect();
            let (Some(&first), Some(&last)) = (idx.first(), idx.last()) else {
                continue;
            };
            let inside = |h: usize| h > 0 && (first..=last).contains(&(h - 1));
            let content = |i: &&usize| s.words[**i].upos != "PUNCT" && s.words[**i].upos != "PART";
            let head = idx
                .iter()
                .filter(content)
                .rfind(|&&i| !inside(s.words[i].head))
                .or_else(|| idx.iter().rfind(|&&i| !inside(s.words[i].head)))
                .copied()
                .unwrap_or(last);
            return Some(Mention {
                head: (si, head),
                first,
                last,
            });
        }
        None
    }

    /// Mentions of the candidate's name: words equal to its last capitalized word (the
    /// surname, usually) or, for a common noun, words with its head's lemma.
    fn entity(&self, m: &Mention) -> Entity {
        let s = &self.sents[m.head.0];
        let key = (m.first..=m.last)
            .rev()
            .map(|i| &s.words[i])
            .find(|w| w.upos == "PROPN" || w.form.chars().next().is_some_and(char::is_uppercase))
            .filter(|w| w.upos != "PRON" && w.upos != "DET" && w.upos != "PUNCT");
        let mut mentions = Vec::new();
        for (si, sent) in self.sents.iter().enumerate() {
            for (i, w) in sent.words.iter().enumerate() {
                let hit = match key {
                    Some(k) => w.form == k.form,
                    None => {
                        let h = &s.words[m.head.1];
                        w.lemma.eq_ignore_ascii_case(&h.lemma) && w.upos == h.upos
                    }
                };
                let own = si == m.head.0 && (m.first..=m.last).contains(&i);
                if hit || (own && i == m.head.1) {
                    mentions.push((self.global((si, i)), (si, i)));
                }
            }
        }
        mentions.dedup();
        Entity { mentions }
    }

    /// Global index of the nearest subject before `before` that is a name (a pronoun
    /// subject would be the pronoun's own chain, not a rival).
    fn nearest_name_subject(&self, before: usize) -> Option<usize> {
        for (si, s) in self.sents.iter().enumerate().rev() {
            for (i, w) in s.words.iter().enumerate().rev() {
                let g = self.global((si, i));
                if g >= before {
                    continue;
                }
                if w.upos == "PROPN" && chunk_head(s, i) == i && role(s, i) == Role::Subj {
                    return Some(g);
                }
            }
        }
        None
    }
}

fn parse_weights(src: &str) -> Result<(Vec<f32>, Option<f32>), String> {
    let mut w = vec![0.0; FEATURES.len()];
    let mut threshold = None;
    for (n, line) in src.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut it = line.split('\t');
        let (Some(name), Some(val)) = (it.next(), it.next()) else {
            return Err(format!("line {}: expected name<TAB>value", n + 1));
        };
        let val: f32 = val
            .trim()
            .parse()
            .map_err(|_| format!("line {}: bad number {val:?}", n + 1))?;
        if name == "threshold" {
            threshold = Some(val);
        } else if let Some(i) = feature_index(name) {
            w[i] = val;
        }
    }
    Ok((w, threshold))
}

// ---------------------------------------------------------------------------------------
// GAP

/// One GAP row with byte spans.
#[derive(Debug, Clone)]
pub struct GapRow {
    pub id: String,
    pub text: String,
    pub pronoun: Range<usize>,
    pub a: Range<usize>,
    pub b: Range<usize>,
    pub a_coref: bool,
    pub b_coref: bool,
}

/// Reads a GAP TSV file, converting character offsets to byte spans.
pub fn read_gap(path: &Path) -> Result<Vec<GapRow>, PronounError> {
    let src = std::fs::read_to_string(path)
        .map_err(|e| PronounError::Io(path.display().to_string(), e))?;
    let name = path.display().to_string();
    let mut rows = Vec::new();
    for (n, line) in src.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let err = |m: &str| PronounError::Format(name.clone(), n + 1, m.to_string());
        let c: Vec<&str> = line.split('\t').collect();
        if c.len() < 10 {
            return Err(err("expected at least 10 tab-separated columns"));
        }
        let text = c[1].to_string();
        let span = |word: &str, off: &str| -> Result<Range<usize>, PronounError> {
            let off: usize = off.trim().parse().map_err(|_| err("bad offset"))?;
            let start = char_to_byte(&text, off).ok_or_else(|| err("offset out of range"))?;
            let end = char_to_byte(&text, off + word.chars().count())
                .ok_or_else(|| err("mention runs past the text"))?;
            Ok(start..end)
        };
        let flag = |v: &str| match v.trim().to_ascii_uppercase().as_str() {
            "TRUE" => Ok(true),
            "FALSE" => Ok(false),
            _ => Err(err("coref flag is neither TRUE nor FALSE")),
        };
        rows.push(GapRow {
            id: c[0].to_string(),
            pronoun: span(c[2], c[3])?,
            a: span(c[4], c[5])?,
            a_coref: flag(c[6])?,
            b: span(c[7], c[8])?,
            b_coref: flag(c[9])?,
            text,
        });
    }
    Ok(rows)
}

fn char_to_byte(text: &str, chars: usize) -> Option<usize> {
    text.char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .nth(chars)
}

/// GAP's scores: precision, recall and F1 of the TRUE decisions pooled over both candidates
/// of every row, overall and by the pronoun's gender; `bias` is feminine F1 / masculine F1.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct GapScores {
    pub rows: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub masculine_f1: f64,
    pub feminine_f1: f64,
    pub bias: f64,
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn add(&mut self, pred: bool, gold: bool) {
        match (pred, gold) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, true) => self.fn_ += 1,
            _ => {}
        }
    }
    fn prf(&self) -> (f64, f64, f64) {
        let p = ratio(self.tp, self.tp + self.fp);
        let r = ratio(self.tp, self.tp + self.fn_);
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        (p, r, f)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Analyzes each row and returns its candidate feature vectors (A, B).
fn gap_features(
    resolver: &PronounResolver,
    rows: &[GapRow],
    pipeline: &Pipeline,
) -> Vec<Option<Vec<Vec<f32>>>> {
    rows.iter()
        .map(|r| {
            let seg = crate::text::segment(&r.text);
            let sents = pipeline.analyze(&r.text, &seg);
            resolver
                .features(
                    &r.text,
                    &sents,
                    r.pronoun.clone(),
                    &[r.a.clone(), r.b.clone()],
                )
                .ok()
        })
        .collect()
}

fn score_rows(rows: &[GapRow], probs: &[Option<Vec<f32>>], threshold: f32) -> GapScores {
    let (mut all, mut masc, mut fem) = (Counts::default(), Counts::default(), Counts::default());
    for (r, p) in rows.iter().zip(probs) {
        let pred = match p {
            Some(p) => decide(p, threshold),
            None => vec![false, false],
        };
        let g = pronoun_gender(&r.text[r.pronoun.clone()]);
        for (d, gold) in pred.iter().zip([r.a_coref, r.b_coref]) {
            all.add(*d, gold);
            match g {
                Some(Gender::Masculine) => masc.add(*d, gold),
                Some(Gender::Feminine) => fem.add(*d, gold),
                _ => {}
            }
        }
    }
    let (precision, recall, f1) = all.prf();
    let masculine_f1 = masc.prf().2;
    let feminine_f1 = fem.prf().2;
    GapScores {
        rows: rows.len(),
        precision,
        recall,
        f1,
        masculine_f1,
        feminine_f1,
        bias: if masculine_f1 > 0.0 {
            feminine_f1 / masculine_f1
        } else {
            0.0
        },
    }
}

/// Runs a resolver on a GAP file (without page context: the URL is not read).
pub fn eval_gap(
    path: &Path,
    pipeline: &Pipeline,
    r: &PronounResolver,
) -> Result<GapScores, PronounError> {
    let rows = read_gap(path)?;
    let feats = gap_features(r, &rows, pipeline);
    let probs: Vec<Option<Vec<f32>>> = feats
        .iter()
        .map(|f| f.as_ref().map(|f| softmax_with_null(&r.weights, f)))
        .collect();
    Ok(score_rows(&rows, &probs, r.threshold))
}

/// Trains the weights on a GAP file: L2-regularized conditional logit (each row's candidates
/// and "none" compete in one softmax) by full-batch
/// gradient descent from zero (no randomness, so the same file gives the same weights), then
/// the decision threshold that maximizes GAP F1 on the same file. `extra` rows (e.g. from
/// [`read_coref_conllu`]) are added to the training data. Returns the weight file
/// (`data/models/pronoun.tsv`) and the scores on the GAP training file.
pub fn train_gap(
    path: &Path,
    extra: &[GapRow],
    pipeline: &Pipeline,
) -> Result<(String, GapScores), PronounError> {
    let gap = read_gap(path)?;
    let n_gap = gap.len();
    let rows: Vec<GapRow> = gap.into_iter().chain(extra.iter().cloned()).collect();
    let base = PronounResolver::with_weights(&[]);
    let feats = gap_features(&base, &rows, pipeline);
    // The penalty is chosen by 5-fold cross-validation over the GAP rows (folds by row
    // number; the extra rows are always trained on), so the development file stays unseen.
    // The criterion is the held-out log-likelihood: F1 at its best threshold over 454 rows
    // jumps by ±0.005 between neighbouring penalties, which made the choice a coin toss.
    let mut best_l2 = (L2_GRID[0], f64::NEG_INFINITY);
    for &l2 in L2_GRID {
        let mut probs: Vec<Option<Vec<f32>>> = vec![None; n_gap];
        for fold in 0..FOLDS {
            let train: Vec<usize> = (0..rows.len())
                .filter(|&i| i >= n_gap || i % FOLDS != fold)
                .collect();
            let w = fit(&rows, &feats, &train, l2);
            for i in (0..n_gap).filter(|i| i % FOLDS == fold) {
                probs[i] = feats[i].as_ref().map(|f| softmax_with_null(&w, f));
            }
        }
        let ll = held_out_log_likelihood(&rows[..n_gap], &probs);
        if ll > best_l2.1 {
            best_l2 = (l2, ll);
        }
    }
    let all: Vec<usize> = (0..rows.len()).collect();
    let w = fit(&rows, &feats, &all, best_l2.0);
    let probs: Vec<Option<Vec<f32>>> = feats[..n_gap]
        .iter()
        .map(|f| f.as_ref().map(|f| softmax_with_null(&w, f)))
        .collect();
    let (threshold, scores) = best_threshold(&rows[..n_gap], &probs);
    let mut out = String::from(
        "# Pronoun resolver weights: written by `train_gap` (src/extract/pronoun.rs) from\n\
         # gap-validation.tsv and GUM train coreference; feature<TAB>weight.\n\
         # Hand-set weights live in the code.\n",
    );
    out.push_str(&format!(
        "# l2 {} (cross-validated log-likelihood {:.4})\n",
        best_l2.0, best_l2.1
    ));
    out.push_str(&format!("threshold\t{threshold}\n"));
    for (name, v) in FEATURES.iter().zip(&w) {
        out.push_str(&format!("{name}\t{v:.4}\n"));
    }
    Ok((out, scores))
}

/// Mean log-probability of each row's gold outcome (A, B or neither).
fn held_out_log_likelihood(rows: &[GapRow], probs: &[Option<Vec<f32>>]) -> f64 {
    let (mut sum, mut n) = (0.0f64, 0usize);
    for (r, p) in rows.iter().zip(probs) {
        let Some(p) = p else { continue };
        let gold = if r.a_coref {
            p[0] as f64
        } else if r.b_coref {
            p[1] as f64
        } else {
            1.0 - p.iter().map(|&x| x as f64).sum::<f64>()
        };
        sum += gold.max(1e-9).ln();
        n += 1;
    }
    sum / n.max(1) as f64
}

const FOLDS: usize = 5;
const L2_GRID: &[f64] = &[1e-4, 1e-3, 3e-3, 1e-2, 3e-2];

/// The decision threshold with the best GAP F1 on these rows (the lowest, on ties).
fn best_threshold(rows: &[GapRow], probs: &[Option<Vec<f32>>]) -> (f32, GapScores) {
    let mut best = (0.5f32, score_rows(rows, probs, 0.5));
    for t in (10..=70).map(|t| t as f32 / 100.0) {
        let s = score_rows(rows, probs, t);
        if s.f1 > best.1.f1 {
            best = (t, s);
        }
    }
    best
}

/// Full-batch gradient descent from zero on the rows `train`: each row's candidates and
/// "none" compete in one softmax.
fn fit(rows: &[GapRow], feats: &[Option<Vec<Vec<f32>>>], train: &[usize], l2: f64) -> Vec<f32> {
    let mut groups: Vec<(&[Vec<f32>], [f64; 2])> = Vec::new();
    for &i in train {
        if let Some(f) = &feats[i] {
            let r = &rows[i];
            groups.push((f, [r.a_coref as u8 as f64, r.b_coref as u8 as f64]));
        }
    }
    let n = FEATURES.len();
    let hand: Vec<(usize, f64)> = HAND_WEIGHTS
        .iter()
        .filter_map(|(name, v)| feature_index(name).map(|i| (i, *v as f64)))
        .collect();
    let mut w = vec![0.0f64; n];
    for &(i, v) in &hand {
        w[i] = v;
    }
    let (lr, epochs) = (0.5, 3000);
    for _ in 0..epochs {
        let mut g = vec![0.0f64; n];
        let wf: Vec<f32> = w.iter().map(|&v| v as f32).collect();
        for (x, y) in &groups {
            let p = softmax_with_null(&wf, x);
            for ((xk, pk), yk) in x.iter().zip(&p).zip(y) {
                let err = *pk as f64 - yk;
                for (gi, xi) in g.iter_mut().zip(xk) {
                    *gi += err * *xi as f64;
                }
            }
        }
        let m = groups.len().max(1) as f64;
        for i in 0..n {
            let reg = if i == 0 { 0.0 } else { l2 * w[i] };
            w[i] -= lr * (g[i] / m + reg);
        }
        for &(i, v) in &hand {
            w[i] = v;
        }
    }
    w.iter().map(|&v| v as f32).collect()
}

/// GAP-like rows from the gold coreference of a CoNLL-U file with CorefUD `Entity=`
/// annotations in MISC (GUM): for every he/she/his/her/him, the nearest earlier name of its
/// own entity (if any) and the nearest earlier name of another person, within five
/// sentences; the text is the detokenized sentences around them. Only ever read training
/// files with this.
pub fn read_coref_conllu(path: &Path) -> Result<Vec<GapRow>, PronounError> {
    let src = std::fs::read_to_string(path)
        .map_err(|e| PronounError::Io(path.display().to_string(), e))?;
    let mut rows = Vec::new();
    let mut doc = CorefDoc::default();
    let mut sent = 0usize;
    for line in src.lines() {
        if let Some(id) = line.strip_prefix("# newdoc id = ") {
            doc.rows(&mut rows);
            doc = CorefDoc {
                id: id.trim().to_string(),
                ..CorefDoc::default()
            };
            sent = 0;
            continue;
        }
        if line.trim().is_empty() {
            if doc.words.last().is_some_and(|w| w.sent == sent) {
                sent += 1;
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let c: Vec<&str> = line.split('\t').collect();
        if c.len() < 10 || !c[0].bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let misc = c[9];
        let k = doc.words.len();
        doc.words.push(CorefWord {
            form: c[1].to_string(),
            propn: c[3] == "PROPN",
            space: !misc.split('|').any(|m| m == "SpaceAfter=No"),
            sent,
        });
        if let Some(ent) = misc.split('|').find_map(|m| m.strip_prefix("Entity=")) {
            doc.entities(ent, k);
        }
    }
    doc.rows(&mut rows);
    Ok(rows)
}

#[derive(Default)]
struct CorefDoc {
    id: String,
    words: Vec<CorefWord>,
    /// Open mentions: (entity, is a person, first word).
    open: Vec<(String, bool, usize)>,
    /// Closed mentions: (entity, is a person, first word, last word).
    mentions: Vec<(String, bool, usize, usize)>,
}

struct CorefWord {
    form: String,
    propn: bool,
    space: bool,
    sent: usize,
}

impl CorefDoc {
    /// Reads one `Entity=` value: "(3-person-…" opens entity 3, "3)" closes it, "(3-…)"
    /// is a one-word mention.
    fn entities(&mut self, v: &str, k: usize) {
        let mut rest = v;
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix('(') {
                let end = r.find(['(', ')']).unwrap_or(r.len());
                let spec = &r[..end];
                let mut f = spec.split('-');
                let id = f.next().unwrap_or("").to_string();
                let person = f.next() == Some("person");
                if r[end..].starts_with(')') {
                    self.mentions.push((id, person, k, k));
                    rest = &r[end + 1..];
                } else {
                    self.open.push((id, person, k));
                    rest = &r[end..];
                }
            } else {
                let end = rest.find(')').unwrap_or(rest.len());
                let id = &rest[..end];
                if let Some(pos) = self.open.iter().rposition(|o| o.0 == id) {
                    let (id, person, start) = self.open.remove(pos);
                    self.mentions.push((id, person, start, k));
                }
                rest = rest.get(end + 1..).unwrap_or("");
            }
        }
    }

    fn rows(&self, out: &mut Vec<GapRow>) {
        // The name inside a mention: its first to last proper noun ("the physicist [Daniel
        // Bernoulli]"), as GAP marks names.
        let names: Vec<(&str, usize, usize)> = self
            .mentions
            .iter()
            .filter(|m| m.1 && m.3 - m.2 < 8)
            .filter_map(|m| {
                let ws = &self.words[m.2..=m.3];
                let a = ws.iter().position(|w| w.propn)?;
                let b = ws.iter().rposition(|w| w.propn)?;
                Some((m.0.as_str(), m.2 + a, m.2 + b))
            })
            .collect();
        for (k, w) in self.words.iter().enumerate() {
            if !matches!(
                w.form.to_lowercase().as_str(),
                "he" | "she" | "his" | "her" | "him"
            ) {
                continue;
            }
            let Some(ent) = self.mentions.iter().find(|m| m.2 == k && m.3 == k) else {
                continue;
            };
            let near = |own: bool| {
                names
                    .iter()
                    .filter(|n| n.2 < k && w.sent - self.words[n.1].sent <= 5)
                    .filter(|n| (n.0 == ent.0) == own)
                    .max_by_key(|n| n.2)
            };
            let pos = near(true);
            let Some(neg) = near(false) else {
                continue;
            };
            let mut cands = vec![(neg, false)];
            match pos {
                Some(p) => cands.push((p, true)),
                None => {
                    // A row where neither name is right: a second, different other person.
                    let other = names
                        .iter()
                        .filter(|n| n.2 < k && w.sent - self.words[n.1].sent <= 5)
                        .filter(|n| n.0 != ent.0 && n.0 != neg.0)
                        .max_by_key(|n| n.2);
                    match other {
                        Some(o) => cands.push((o, false)),
                        None => continue,
                    }
                }
            }
            cands.sort_by_key(|c| c.0 .1);
            let first_sent = self.words[cands[0].0 .1].sent.saturating_sub(1);
            let last_sent = w.sent + 1;
            let mut text = String::new();
            let mut spans = vec![0..0; self.words.len()];
            for (i, x) in self.words.iter().enumerate() {
                if x.sent < first_sent || x.sent > last_sent {
                    continue;
                }
                spans[i] = text.len()..text.len() + x.form.len();
                text.push_str(&x.form);
                if x.space {
                    text.push(' ');
                }
            }
            let span = |a: usize, b: usize| spans[a].start..spans[b].end;
            out.push(GapRow {
                id: format!("{}-{k}", self.id),
                pronoun: span(k, k),
                a: span(cands[0].0 .1, cands[0].0 .2),
                a_coref: cands[0].1,
                b: span(cands[1].0 .1, cands[1].0 .2),
                b_coref: cands[1].1,
                text,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyze(text: &str) -> Vec<AnalyzedSentence> {
        let seg = crate::text::segment(text);
        Pipeline::embedded().analyze(text, &seg)
    }

    fn span(text: &str, word: &str, nth: usize) -> Range<usize> {
        let start = text.match_indices(word).nth(nth).map(|(i, _)| i).unwrap();
        start..start + word.len()
    }

    fn probs(text: &str, pronoun: (&str, usize), cands: &[&str]) -> Vec<f32> {
        let sents = analyze(text);
        let c: Vec<Range<usize>> = cands.iter().map(|w| span(text, w, 0)).collect();
        PronounResolver::new()
            .resolve(text, &sents, span(text, pronoun.0, pronoun.1), &c)
            .unwrap()
    }

    #[test]
    fn relative_clause_on_a_possessed_phrase_names_its_holder() {
        let text = "Former Army Secretary Tom Hale’s official portrait — a position in which \
                    he served before becoming governor — was removed.";
        let sents = analyze(text);
        let at = |form: &str| sents[0].words.iter().position(|w| w.form == form).unwrap();
        assert_eq!(
            holders_of_modified_phrase(&sents[0], at("he")),
            vec![at("Tom")]
        ); // the head of the flat name
           // No relative clause above the pronoun: nobody.
        let plain = analyze("Tom Hale’s portrait was removed after he left.");
        let he = plain[0].words.iter().position(|w| w.form == "he").unwrap();
        assert!(holders_of_modified_phrase(&plain[0], he).is_empty());
    }

    #[test]
    fn gender_agreement_picks_the_matching_name() {
        let text = "Mary Smith met John Brown in Paris. She was there for a conference.";
        let p = probs(text, ("She", 0), &["Mary Smith", "John Brown"]);
        assert!(p[0] > p[1], "{p:?}");
        let text = "Mary Smith met John Brown in Paris. He was there for a conference.";
        let p = probs(text, ("He", 0), &["Mary Smith", "John Brown"]);
        assert!(p[1] > p[0], "{p:?}");
    }

    #[test]
    fn nearest_subject_wins_without_gender() {
        let text = "Kowalski founded the firm in 1990. Later Nakamura joined the board. \
                    He became chairman in 2001.";
        let p = probs(text, ("He", 0), &["Kowalski", "Nakamura"]);
        assert!(p[1] > p[0], "{p:?}");
    }

    #[test]
    fn his_refers_to_the_subject_of_its_clause() {
        let text = "Peter Novak thanked Andrew Clark for his support.";
        let r = PronounResolver::new();
        let sents = analyze(text);
        let p = r
            .resolve(
                text,
                &sents,
                span(text, "his", 0),
                &[span(text, "Peter Novak", 0), span(text, "Andrew Clark", 0)],
            )
            .unwrap();
        assert!(p[0] > p[1], "{p:?}");
    }

    #[test]
    fn they_prefers_the_organization_over_a_person() {
        let text = "Acme Corp. hired Mary Smith in May. They paid a bonus.";
        let p = probs(text, ("They", 0), &["Acme Corp.", "Mary Smith"]);
        assert!(p[0] > p[1], "{p:?}");
        let text = "The company hired Mary Smith in May. They paid a bonus.";
        let p = probs(text, ("They", 0), &["company", "Mary Smith"]);
        assert!(p[0] > p[1], "{p:?}");
    }

    #[test]
    fn name_and_pronoun_genders() {
        let r = PronounResolver::new();
        assert_eq!(r.name_gender(&["Mrs.", "Smith"]), Some(Gender::Feminine));
        assert_eq!(r.name_gender(&["James"]), None);
        let g = r.name_gender(&["Mary", "Smith"]);
        assert_eq!(g, Some(Gender::Feminine));
        assert_eq!(r.name_gender(&["Acme", "Corp."]), None);
        assert_eq!(pronoun_gender("Their"), Some(Gender::Plural));
    }

    #[test]
    fn bad_spans_are_errors_not_panics() {
        let r = PronounResolver::new();
        let text = "Zoë said she would come.";
        let sents = analyze(text);
        let she = span(text, "she", 0);
        assert!(r.resolve("", &[], 0..0, &[]).is_err());
        assert!(r.resolve(text, &sents, 100..103, &[]).is_err());
        // 'ë' is two bytes: byte 3 is inside it.
        assert!(r.resolve(text, &sents, 3..4, &[]).is_err());
        let reversed = Range { start: 2, end: 1 };
        let zoe = Range { start: 0, end: 4 };
        let one = std::slice::from_ref;
        assert!(r
            .resolve(text, &sents, she.clone(), one(&reversed))
            .is_err());
        assert!(r.resolve(text, &[], she.clone(), one(&zoe)).is_err());
        assert!(r.resolve(text, &sents, she.clone(), one(&zoe)).is_ok());
        let ok = r.resolve(text, &sents, she, &[]).unwrap();
        assert!(ok.is_empty());
    }

    #[test]
    fn decide_links_at_most_one() {
        assert_eq!(decide(&[0.7, 0.9], 0.5), vec![false, true]);
        assert_eq!(decide(&[0.2, 0.3], 0.5), vec![false, false]);
        assert_eq!(decide(&[0.8, 0.8], 0.5), vec![true, false]);
        assert!(decide(&[], 0.5).is_empty());
    }

    #[test]
    fn gap_offsets_are_characters() {
        let text = "Zoë Ball met Anna. She smiled.";
        assert_eq!(char_to_byte(text, 3), Some(4));
        assert_eq!(char_to_byte(text, text.chars().count()), Some(text.len()));
        assert_eq!(char_to_byte(text, 1000), None);
    }
}
