//! CaRB scoring of Open IE tuples (Bhardwaj, Aggarwal and Mausam, EMNLP 2019), with the
//! reference scorer's default settings: lenient token matching of binarized tuples, greedy
//! one-to-one matching for precision, many-to-one for recall, one curve point per distinct
//! confidence.
//!
//! Numbers are compared against the reference scorer run on the same files, so this follows
//! its behaviour where a cleaner design would differ (each such place says so). Where the
//! reference would crash (blank gold lines, no extraction at all) we skip or report zero
//! instead; where it would accept input that makes its result meaningless (NaN or infinite
//! confidences) we reject the line.

use std::collections::HashMap;

use serde::Serialize;
use thiserror::Error;

/// A malformed line in a gold or system file. Lines are numbered from 1, blank lines included.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CarbError {
    #[error("line {line}: expected at least {expected} tab-separated fields, found {found}")]
    MissingFields {
        line: usize,
        expected: usize,
        found: usize,
    },
    #[error("line {line}: confidence {value:?} is not a finite number")]
    BadConfidence { line: usize, value: String },
}

/// A relation with its arguments, as written in the file (arguments not yet binarized).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tuple {
    pub relation: String,
    pub args: Vec<String>,
}

/// One line of a system file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Extraction {
    pub sentence: String,
    pub confidence: f64,
    pub relation: String,
    pub args: Vec<String>,
}

/// The gold tuples of one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldSentence {
    /// The sentence as written in the gold file (trimmed).
    pub text: String,
    /// [`normalize_key`] of `text`: what system sentences are matched by.
    pub key: String,
    pub tuples: Vec<Tuple>,
}

/// A parsed gold file: sentences in order of first appearance, one entry per normalized key.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Gold {
    sentences: Vec<GoldSentence>,
}

impl Gold {
    /// Parses `sentence<TAB>relation<TAB>arg1<TAB>arg2…` lines. Relation and arguments are
    /// trimmed; arguments containing `C: ` (the corpus's context annotations) are dropped.
    /// Blank lines are skipped.
    pub fn parse(input: &str) -> Result<Gold, CarbError> {
        let mut entries = Vec::new();
        for (line, raw) in numbered_lines(input) {
            let stripped = py_strip(raw);
            if stripped.is_empty() {
                continue;
            }
            let fields: Vec<&str> = stripped.split('\t').collect();
            if fields.len() < 2 {
                return Err(CarbError::MissingFields {
                    line,
                    expected: 2,
                    found: fields.len(),
                });
            }
            let args = fields[2..]
                .iter()
                .filter(|arg| !arg.contains("C: "))
                .map(|arg| py_strip(arg).to_string())
                .collect();
            entries.push((
                py_strip(fields[0]).to_string(),
                Tuple {
                    relation: py_strip(fields[1]).to_string(),
                    args,
                },
            ));
        }
        Ok(Gold::from_tuples(entries))
    }

    /// Builds a gold set from (sentence, tuple) pairs, grouped the way the reference groups a
    /// gold file: by exact sentence text first, then by normalized key. Two different texts
    /// with the same key do not merge: the later text's tuples replace the earlier ones, as in
    /// the reference (which builds a dictionary from the text-keyed one).
    pub fn from_tuples<S, I>(entries: I) -> Gold
    where
        S: Into<String>,
        I: IntoIterator<Item = (S, Tuple)>,
    {
        let mut groups: Vec<(String, Vec<Tuple>)> = Vec::new();
        let mut by_text: HashMap<String, usize> = HashMap::new();
        for (text, tuple) in entries {
            let text = text.into();
            match by_text.get(&text) {
                Some(&i) => groups[i].1.push(tuple),
                None => {
                    by_text.insert(text.clone(), groups.len());
                    groups.push((text, vec![tuple]));
                }
            }
        }
        let mut sentences: Vec<GoldSentence> = Vec::new();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        for (text, tuples) in groups {
            let key = normalize_key(&text);
            let sentence = GoldSentence {
                text,
                key: key.clone(),
                tuples,
            };
            match by_key.get(&key) {
                Some(&i) => sentences[i] = sentence,
                None => {
                    by_key.insert(key, sentences.len());
                    sentences.push(sentence);
                }
            }
        }
        Gold { sentences }
    }

    pub fn sentences(&self) -> &[GoldSentence] {
        &self.sentences
    }

    pub fn tuple_count(&self) -> usize {
        self.sentences.iter().map(|s| s.tuples.len()).sum()
    }
}

/// Parses a gold file; see [`Gold::parse`].
pub fn parse_gold(input: &str) -> Result<Gold, CarbError> {
    Gold::parse(input)
}

/// Parses `sentence<TAB>confidence<TAB>relation<TAB>arg1<TAB>arg2…` lines, skipping blank
/// ones. Fields are kept as written: the matcher splits on whitespace anyway, and the raw
/// sentence text matters for grouping (see [`score`]).
pub fn parse_system(input: &str) -> Result<Vec<Extraction>, CarbError> {
    let mut extractions = Vec::new();
    for (line, raw) in numbered_lines(input) {
        let stripped = py_strip(raw);
        if stripped.is_empty() {
            continue;
        }
        let fields: Vec<&str> = stripped.split('\t').collect();
        if fields.len() < 3 {
            return Err(CarbError::MissingFields {
                line,
                expected: 3,
                found: fields.len(),
            });
        }
        let confidence = parse_confidence(fields[1]).ok_or_else(|| CarbError::BadConfidence {
            line,
            value: fields[1].to_string(),
        })?;
        extractions.push(Extraction {
            sentence: fields[0].to_string(),
            confidence,
            relation: fields[2].to_string(),
            args: fields[3..].iter().map(|a| a.to_string()).collect(),
        });
    }
    Ok(extractions)
}

fn parse_confidence(field: &str) -> Option<f64> {
    let value: f64 = py_strip(field).parse().ok()?;
    // `+ 0.0` turns -0.0 into 0.0: the reference treats them as one threshold (they compare
    // equal), and a total order would not.
    value.is_finite().then_some(value + 0.0)
}

const PTB_ESCAPES: [(&str, &str); 6] = [
    ("-LRB-", "("),
    ("-RRB-", ")"),
    ("-LSB-", "["),
    ("-RSB-", "]"),
    ("-LCB-", "{"),
    ("-RCB-", "}"),
];

/// The key sentences are matched by: spaces removed, PTB bracket escapes undone, ASCII
/// punctuation removed. Steps run in the reference's order (one escape after the other), which
/// decides odd cases such as `-RRB-LRB-`.
pub fn normalize_key(sentence: &str) -> String {
    let mut key = sentence.replace(' ', "");
    for (escape, bracket) in PTB_ESCAPES {
        key = key.replace(escape, bracket);
    }
    key.retain(|c| !c.is_ascii_punctuation());
    key
}

/// Precision and recall of one extraction against one gold tuple.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PairScore {
    pub precision: f64,
    pub recall: f64,
}

const ZERO: PairScore = PairScore {
    precision: 0.0,
    recall: 0.0,
};

const SAID_VERBS: [&str; 5] = ["said", "told", "added", "adds", "says"];
const FORMS_OF_BE: [&str; 8] = ["be", "is", "am", "are", "was", "were", "been", "being"];

/// Scores one extraction against one gold tuple (SCORING.md, "Matching one gold tuple").
pub fn match_tuple(gold: &Tuple, extraction: &Extraction) -> PairScore {
    let gold_relation = words(&gold.relation);
    let gold_args = binarized(&gold.args);
    let relation = words(&extraction.relation);
    let straight = lenient_match(
        &gold_relation,
        &gold_args,
        &relation,
        &binarized(&extraction.args),
    );
    if !SAID_VERBS.iter().any(|verb| gold.relation.contains(verb)) || extraction.args.len() < 2 {
        return straight;
    }
    let swapped = vec![words_of(&extraction.args[1..]), words(&extraction.args[0])];
    let reverse = lenient_match(&gold_relation, &gold_args, &relation, &swapped);
    // Python's max over [precision, recall] lists: lexicographic, the first one on a tie.
    let reverse_wins = reverse.precision > straight.precision
        || (reverse.precision == straight.precision && reverse.recall > straight.recall);
    if reverse_wins {
        reverse
    } else {
        straight
    }
}

/// Arguments after the first joined into one; joining with spaces and splitting again is the
/// same as concatenating the word lists.
fn binarized(args: &[String]) -> Vec<Vec<&str>> {
    match args.split_first() {
        None => Vec::new(),
        Some((first, [])) => vec![words(first)],
        Some((first, rest)) => vec![words(first), words_of(rest)],
    }
}

fn lenient_match(
    gold_relation: &[&str],
    gold_args: &[Vec<&str>],
    relation: &[&str],
    args: &[Vec<&str>],
) -> PairScore {
    let mut predicted = relation.to_vec();
    let mut precision_total = predicted.len();
    let mut recall_total = gold_relation.len();
    let mut matched = take_matches(gold_relation, &mut predicted);
    // Checked on what is left after the word matching, as the reference does: a `be` that
    // already matched a gold `be` cannot also count for `is`.
    if let Some(pos) = predicted.iter().position(|w| *w == "be") {
        if gold_relation.iter().any(|w| FORMS_OF_BE.contains(w)) {
            matched += 1;
            predicted.remove(pos);
        }
    }
    if matched == 0 {
        return ZERO;
    }
    let mut precision_matched = matched;
    let mut recall_matched = matched;
    for (i, gold_words) in gold_args.iter().enumerate() {
        recall_total += gold_words.len();
        let Some(predicted_words) = args.get(i) else {
            if i < 2 {
                return ZERO;
            }
            continue;
        };
        // Only the extraction's arguments that have a gold counterpart count for precision.
        precision_total += predicted_words.len();
        let matched = take_matches(gold_words, &mut predicted_words.clone());
        precision_matched += matched;
        recall_matched += matched;
    }
    // Both totals are at least 1 here: a match needs a word on each side.
    PairScore {
        precision: precision_matched as f64 / precision_total as f64,
        recall: recall_matched as f64 / recall_total as f64,
    }
}

/// Multiset matching: each gold word found removes one copy from `predicted`.
fn take_matches(gold: &[&str], predicted: &mut Vec<&str>) -> usize {
    let mut matched = 0;
    for word in gold {
        if let Some(pos) = predicted.iter().position(|w| w == word) {
            predicted.remove(pos);
            matched += 1;
        }
    }
    matched
}

/// Python's `str.isspace`: Unicode whitespace plus the ASCII separators U+001C–U+001F, which
/// Rust does not count. The reference splits and strips with it.
fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

fn py_strip(s: &str) -> &str {
    s.trim_matches(is_py_space)
}

fn words(s: &str) -> Vec<&str> {
    s.split(is_py_space).filter(|w| !w.is_empty()).collect()
}

fn words_of(parts: &[String]) -> Vec<&str> {
    parts.iter().flat_map(|p| words(p)).collect()
}

/// Lines split the way Python reads text files (universal newlines: `\n`, `\r\n`, `\r`),
/// numbered from 1. A leading byte-order mark is dropped.
fn numbered_lines(input: &str) -> impl Iterator<Item = (usize, &str)> {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let mut rest = Some(input);
    let mut number = 0;
    std::iter::from_fn(move || {
        let text = rest?;
        number += 1;
        match text.find(['\n', '\r']) {
            Some(end) => {
                let newline = if text[end..].starts_with("\r\n") {
                    2
                } else {
                    1
                };
                let next = &text[end + newline..];
                rest = (!next.is_empty()).then_some(next);
                Some((number, &text[..end]))
            }
            None => {
                rest = None;
                (!text.is_empty()).then_some((number, text))
            }
        }
    })
}

/// Precision and recall when extractions below `threshold` are dropped.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CurvePoint {
    pub threshold: f64,
    pub precision: f64,
    pub recall: f64,
}

/// The scores the reference reports, unrounded (it rounds to 3 decimals).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CarbScores {
    /// Area under the precision-recall curve with the point (recall 0, precision 1) added.
    pub auc: f64,
    /// Best F1 over the thresholds, with the precision and recall at that threshold.
    pub f1: f64,
    pub precision: f64,
    pub recall: f64,
    /// The lowest confidence threshold reaching the best F1; `None` when no threshold has a
    /// defined F1 (no extraction, or precision and recall both zero everywhere).
    pub threshold: Option<f64>,
    /// One point per distinct confidence, thresholds ascending.
    pub curve: Vec<CurvePoint>,
    /// Precision per confidence decile: the extractions of gold sentences, highest confidence
    /// first (ties in file order), cut into ten groups of (nearly) equal size; each group's
    /// mean of its extractions' precision in their sentence's one-to-one matching with every
    /// extraction kept (0 when unmatched). An empty group (fewer than ten extractions) is 0.
    /// A confidence that means something makes these fall from the first decile to the last.
    pub deciles: [f64; 10],
}

/// Scores a system's extractions against the gold tuples (SCORING.md, "From pairs to a
/// curve").
///
/// System extractions are grouped like the gold: by exact sentence text, then by normalized
/// key, a later text replacing an earlier one with the same key (reference behaviour; write
/// each sentence the same way every time). Extractions of sentences not in the gold count
/// only as thresholds. Within a sentence, file order breaks ties in the greedy matching.
pub fn score(gold: &Gold, system: &[Extraction]) -> CarbScores {
    let predicted = group_system(system);
    let mut thresholds: Vec<f64> = predicted.values().flatten().map(|e| e.confidence).collect();
    thresholds.sort_by(f64::total_cmp);
    thresholds.dedup();
    let n = thresholds.len();
    let mut precision_sum = vec![0.0; n];
    let mut precision_count = vec![0usize; n];
    let mut recall_sum = vec![0.0; n];
    let mut recall_count = vec![0usize; n];
    // (confidence, matched precision) of every extraction of a gold sentence.
    let mut matched: Vec<(f64, f64)> = Vec::new();

    for sentence in gold.sentences() {
        let extractions: &[&Extraction] = predicted.get(&sentence.key).map_or(&[], Vec::as_slice);
        let gold_count = sentence.tuples.len();
        let mut first_open = 0;
        let (steps, precisions) = sentence_steps(&sentence.tuples, extractions);
        matched.extend(
            extractions
                .iter()
                .zip(precisions)
                .map(|(e, p)| (e.confidence, p)),
        );
        for step in steps {
            let Ok(index) = thresholds.binary_search_by(|t| t.total_cmp(&step.confidence)) else {
                continue; // unreachable: every confidence is a threshold
            };
            // Thresholds between this sentence's confidences keep the extractions of the next
            // confidence up, so every index up to this one gets these numbers.
            for k in first_open..=index {
                precision_sum[k] += step.precision;
                precision_count[k] += step.taken;
                recall_sum[k] += step.recall;
                recall_count[k] += gold_count;
            }
            first_open = index + 1;
        }
        for count in recall_count.iter_mut().skip(first_open) {
            *count += gold_count;
        }
    }

    let curve: Vec<CurvePoint> = (0..n)
        .map(|k| CurvePoint {
            threshold: thresholds[k],
            precision: ratio(precision_sum[k], precision_count[k], 1.0),
            recall: ratio(recall_sum[k], recall_count[k], 0.0),
        })
        .collect();
    let best = best_f1(&curve);
    CarbScores {
        auc: area_under_curve(&curve),
        f1: best.map_or(0.0, |(_, f1)| f1),
        precision: best.map_or(0.0, |(k, _)| curve[k].precision),
        recall: best.map_or(0.0, |(k, _)| curve[k].recall),
        threshold: best.map(|(k, _)| curve[k].threshold),
        curve,
        deciles: deciles(matched),
    }
}

/// See [`CarbScores::deciles`].
fn deciles(mut matched: Vec<(f64, f64)>) -> [f64; 10] {
    matched.sort_by(|a, b| b.0.total_cmp(&a.0));
    let n = matched.len();
    std::array::from_fn(|d| {
        let group = &matched[d * n / 10..(d + 1) * n / 10];
        ratio(group.iter().map(|&(_, p)| p).sum(), group.len(), 0.0)
    })
}

/// Extractions by normalized sentence key, in file order within a sentence. Collecting into
/// the map lets a later text overwrite an earlier one with the same key, as the reference does.
fn group_system(system: &[Extraction]) -> HashMap<String, Vec<&Extraction>> {
    let mut by_text: Vec<(&str, Vec<&Extraction>)> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for extraction in system {
        let text = extraction.sentence.as_str();
        match index.get(text) {
            Some(&i) => by_text[i].1.push(extraction),
            None => {
                index.insert(text, by_text.len());
                by_text.push((text, vec![extraction]));
            }
        }
    }
    by_text
        .into_iter()
        .map(|(text, extractions)| (normalize_key(text), extractions))
        .collect()
}

/// One sentence's numbers when only its extractions with confidence ≥ `confidence` are kept.
struct Step {
    confidence: f64,
    /// Greedy one-to-one precision numerator.
    precision: f64,
    /// Number of extractions kept.
    taken: usize,
    /// Sum over gold tuples of the best recall among the kept extractions.
    recall: f64,
}

/// The steps for each distinct confidence of the sentence, ascending, and each extraction's
/// precision in the matching with every extraction kept (0 when unmatched). Computed from the
/// highest confidence down so each gold tuple's best recall only has to look at the
/// extractions added.
fn sentence_steps(gold: &[Tuple], extractions: &[&Extraction]) -> (Vec<Step>, Vec<f64>) {
    let pairs: Vec<Vec<PairScore>> = gold
        .iter()
        .map(|g| extractions.iter().map(|e| match_tuple(g, e)).collect())
        .collect();
    // The reference's greedy matching takes, min(#gold, #kept) times, the unused pair with the
    // highest precision, ties going to the first in gold order then file order. Scanning all
    // pairs sorted once by precision (stable, so ties keep that order), skipping dropped
    // extractions and used rows and columns, picks the same pairs in the same order.
    let mut candidates: Vec<(usize, usize)> = (0..gold.len())
        .flat_map(|i| (0..extractions.len()).map(move |j| (i, j)))
        .collect();
    candidates.sort_by(|&(ai, aj), &(bi, bj)| {
        pairs[bi][bj].precision.total_cmp(&pairs[ai][aj].precision)
    });
    let mut by_confidence: Vec<usize> = (0..extractions.len()).collect();
    by_confidence.sort_by(|&a, &b| {
        extractions[b]
            .confidence
            .total_cmp(&extractions[a].confidence)
    });

    let mut best_recall = vec![0.0_f64; gold.len()];
    let mut steps = Vec::new();
    let mut taken = 0;
    while let Some(&first) = by_confidence.get(taken) {
        let confidence = extractions[first].confidence;
        while let Some(&j) = by_confidence.get(taken) {
            if extractions[j].confidence != confidence {
                break;
            }
            for (best, row) in best_recall.iter_mut().zip(&pairs) {
                *best = best.max(row[j].recall);
            }
            taken += 1;
        }
        let kept = |j: usize| extractions[j].confidence >= confidence;
        steps.push(Step {
            confidence,
            precision: greedy_precision(&pairs, &candidates, taken, kept),
            taken,
            recall: best_recall.iter().sum(),
        });
    }
    steps.reverse();
    let mut matched = vec![0.0; extractions.len()];
    greedy_matching(
        &pairs,
        &candidates,
        extractions.len(),
        |_| true,
        |j, p| {
            matched[j] = p;
        },
    );
    (steps, matched)
}

fn greedy_precision(
    pairs: &[Vec<PairScore>],
    candidates: &[(usize, usize)],
    taken: usize,
    kept: impl Fn(usize) -> bool,
) -> f64 {
    let mut sum = 0.0;
    greedy_matching(pairs, candidates, taken, kept, |_, p| sum += p);
    sum
}

/// The reference's greedy one-to-one matching among the kept extractions (`taken` of them):
/// calls `pick(extraction, precision)` for each pair it takes.
fn greedy_matching(
    pairs: &[Vec<PairScore>],
    candidates: &[(usize, usize)],
    taken: usize,
    kept: impl Fn(usize) -> bool,
    mut pick: impl FnMut(usize, f64),
) {
    let picks = pairs.len().min(taken);
    let mut row_used = vec![false; pairs.len()];
    let mut column_used = vec![false; pairs.first().map_or(0, Vec::len)];
    let mut picked = 0;
    for &(i, j) in candidates {
        if picked == picks {
            break;
        }
        if row_used[i] || column_used[j] || !kept(j) {
            continue;
        }
        row_used[i] = true;
        column_used[j] = true;
        picked += 1;
        pick(j, pairs[i][j].precision);
    }
}

fn ratio(numerator: f64, denominator: usize, if_empty: f64) -> f64 {
    if denominator == 0 {
        if_empty
    } else {
        numerator / denominator as f64
    }
}

/// Index and value of the best F1, the first on ties. F1 is undefined (NaN in the reference,
/// skipped by its `nanargmax`) where precision and recall are both zero.
fn best_f1(curve: &[CurvePoint]) -> Option<(usize, f64)> {
    let mut best: Option<(usize, f64)> = None;
    for (k, point) in curve.iter().enumerate() {
        let (p, r) = (point.precision, point.recall);
        if p + r == 0.0 {
            continue;
        }
        let f1 = 2.0 * p * r / (p + r);
        if best.is_none_or(|(_, b)| f1 > b) {
            best = Some((k, f1));
        }
    }
    best
}

/// Trapezoidal area over the curve plus (recall 0, precision 1). Recall never grows with the
/// threshold, so walking the thresholds downwards is the reference's order; the stable sort
/// only guards against rounding.
fn area_under_curve(curve: &[CurvePoint]) -> f64 {
    let mut points: Vec<(f64, f64)> = std::iter::once((0.0, 1.0))
        .chain(curve.iter().rev().map(|p| (p.recall, p.precision)))
        .collect();
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    points
        .windows(2)
        .map(|w| (w[1].0 - w[0].0) * (w[0].1 + w[1].1) / 2.0)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tuple(relation: &str, args: &[&str]) -> Tuple {
        Tuple {
            relation: relation.to_string(),
            args: args.iter().map(|a| a.to_string()).collect(),
        }
    }

    fn ext(sentence: &str, confidence: f64, relation: &str, args: &[&str]) -> Extraction {
        Extraction {
            sentence: sentence.to_string(),
            confidence,
            relation: relation.to_string(),
            args: args.iter().map(|a| a.to_string()).collect(),
        }
    }

    fn pair(gold: &Tuple, relation: &str, args: &[&str]) -> (f64, f64) {
        let score = match_tuple(gold, &ext("s", 1.0, relation, args));
        (score.precision, score.recall)
    }

    #[track_caller]
    fn close(actual: f64, expected: f64) {
        assert!(
            (actual - expected).abs() < 1e-12,
            "expected {expected}, got {actual}"
        );
    }

    const TOM: &str = "Tom met Ann in Oslo .";
    const SUE: &str = "Sue sold old cars .";

    #[test]
    fn deciles_follow_confidence_and_matching() {
        // Twenty extractions of one sentence with one gold tuple: the exact one has the
        // second-highest confidence, so it is matched and fills the first decile with the
        // top one (unmatched): (0 + 1) / 2. Every other decile is unmatched.
        let gold = Gold::from_tuples([(TOM, tuple("met", &["Tom", "Ann"]))]);
        let mut system: Vec<Extraction> = (0..20)
            .map(|k| ext(TOM, 0.5 - f64::from(k) * 0.01, "saw", &["Ann", "Oslo"]))
            .collect();
        system[1] = ext(TOM, 0.6, "met", &["Tom", "Ann"]);
        system[0] = ext(TOM, 0.7, "in", &["Oslo"]);
        let d = score(&gold, &system).deciles;
        close(d[0], 0.5);
        assert!(d[1..].iter().all(|&p| p == 0.0), "{d:?}");
        // Fewer than ten extractions leave empty groups at 0.
        let d = score(&gold, &[ext(TOM, 0.9, "met", &["Tom", "Ann"])]).deciles;
        close(d.iter().sum(), 1.0);
    }

    #[test]
    fn exact_match_scores_one() {
        let gold = Gold::from_tuples([(TOM, tuple("met", &["Tom", "Ann"]))]);
        let scores = score(&gold, &[ext(TOM, 0.9, "met", &["Tom", "Ann"])]);
        close(scores.precision, 1.0);
        close(scores.recall, 1.0);
        close(scores.f1, 1.0);
        // One point (1, 1) plus (0, 1): a unit square.
        close(scores.auc, 1.0);
        assert_eq!(scores.threshold, Some(0.9));
        assert_eq!(scores.curve.len(), 1);
    }

    #[test]
    fn partial_overlap_counts_words() {
        // Relation: gold {was, born, in}, extraction {born, in}: 2 match.
        // Arg1: gold {Marie, Curie}, extraction {Curie}: 1. Arg2: gold {Warsaw, Poland},
        // extraction {Warsaw, in, 1867}: 1.
        // Precision 4 / (2 + 1 + 3) = 2/3; recall 4 / (3 + 2 + 2) = 4/7.
        let sentence = "Marie Curie was born in Warsaw , Poland , in 1867 .";
        let gold = Gold::from_tuples([(
            sentence,
            tuple("was born in", &["Marie Curie", "Warsaw Poland"]),
        )]);
        let system = [ext(sentence, 0.7, "born in", &["Curie", "Warsaw in 1867"])];
        let scores = score(&gold, &system);
        close(scores.precision, 2.0 / 3.0);
        close(scores.recall, 4.0 / 7.0);
        // 2PR/(P+R) = (16/21) / (26/21) = 8/13.
        close(scores.f1, 8.0 / 13.0);
        // A single point: R(1+P)/2 = (4/7)(5/3)/2 = 10/21.
        close(scores.auc, 10.0 / 21.0);
    }

    #[test]
    fn words_match_as_a_multiset_and_case_sensitively() {
        let gold = tuple("met", &["the man", "the dog"]);
        // Arg1 gold {the, man} vs {the, the, man}: 2 of 3 predicted words match.
        // Arg2 gold {the, dog} vs {The, dog}: only "dog" matches.
        // Precision (1 + 2 + 1) / (1 + 3 + 2) = 4/6; recall 4 / (1 + 2 + 2) = 4/5.
        let (p, r) = pair(&gold, "met", &["the the man", "The dog"]);
        close(p, 4.0 / 6.0);
        close(r, 4.0 / 5.0);
    }

    #[test]
    fn be_matches_a_form_of_be_once_after_word_matching() {
        let gold = tuple("is", &["Oslo", "a city"]);
        close(pair(&gold, "be", &["Oslo", "a city"]).0, 1.0);
        // Gold {is, be} vs extraction {be}: "be" matches "be" and is used up, so the bonus for
        // "is" finds no "be" left: 1 of 2 gold relation words, recall (1 + 1 + 2) / 5.
        let gold = tuple("is be", &["Oslo", "a city"]);
        let (p, r) = pair(&gold, "be", &["Oslo", "a city"]);
        close(p, 1.0);
        close(r, 4.0 / 5.0);
        // With two "be", the second one takes the bonus: everything matches.
        let (p, r) = pair(&gold, "be be", &["Oslo", "a city"]);
        close(p, 1.0);
        close(r, 1.0);
    }

    #[test]
    fn relation_mismatch_or_missing_argument_scores_zero() {
        let gold = tuple("met", &["Tom", "Ann"]);
        assert_eq!(pair(&gold, "saw", &["Tom", "Ann"]), (0.0, 0.0));
        assert_eq!(pair(&gold, "met", &["Tom"]), (0.0, 0.0));
        assert_eq!(pair(&gold, "", &["Tom", "Ann"]), (0.0, 0.0));
        // Without gold arguments, only the relation counts.
        assert_eq!(pair(&tuple("met", &[]), "met", &["Tom"]), (1.0, 1.0));
    }

    #[test]
    fn extra_extraction_argument_is_not_counted_against_a_one_argument_gold() {
        // Gold has one argument, so the extraction's second ("fast") is not taken into account.
        assert_eq!(
            pair(&tuple("runs", &["Bob"]), "runs", &["Bob", "fast"]),
            (1.0, 1.0)
        );
    }

    #[test]
    fn arguments_after_the_first_are_joined() {
        let gold = tuple("was born", &["Ann", "in Oslo", "in 1990"]);
        assert_eq!(
            pair(&gold, "was born", &["Ann", "in Oslo in 1990"]),
            (1.0, 1.0)
        );
        assert_eq!(
            pair(&gold, "was born", &["Ann", "in", "Oslo in", "1990"]),
            (1.0, 1.0)
        );
    }

    #[test]
    fn said_relations_also_try_swapped_arguments() {
        // Straight: relation 1 word, no argument word matches: 1/6 each way.
        // Swapped: everything matches.
        let gold = tuple("said", &["the minister", "taxes will rise"]);
        assert_eq!(
            pair(&gold, "said", &["taxes will rise", "the minister"]),
            (1.0, 1.0)
        );
        let gold = tuple("wrote", &["the minister", "taxes will rise"]);
        let (p, r) = pair(&gold, "wrote", &["taxes will rise", "the minister"]);
        close(p, 1.0 / 6.0);
        close(r, 1.0 / 6.0);
        // A substring is enough: "has said" contains "said".
        let gold = tuple("has said", &["Ann", "yes"]);
        assert_eq!(pair(&gold, "has said", &["yes", "Ann"]), (1.0, 1.0));
    }

    #[test]
    fn gold_sentence_without_extraction_has_zero_recall() {
        let gold = Gold::from_tuples([
            (TOM, tuple("met", &["Tom", "Ann"])),
            (SUE, tuple("sold", &["Sue", "old cars"])),
        ]);
        let scores = score(&gold, &[ext(TOM, 0.5, "met", &["Tom", "Ann"])]);
        // P = 1/1, R = (1 + 0) / 2, F1 = 2 * 0.5 / 1.5.
        close(scores.precision, 1.0);
        close(scores.recall, 0.5);
        close(scores.f1, 2.0 / 3.0);
        // (0, 1) to (0.5, 1).
        close(scores.auc, 0.5);

        let scores = score(&gold, &[]);
        assert_eq!((scores.f1, scores.auc, scores.threshold), (0.0, 0.0, None));
        assert!(scores.curve.is_empty());
    }

    #[test]
    fn keys_ignore_spaces_punctuation_and_bracket_escapes() {
        assert_eq!(
            normalize_key("Acme -LRB- NYSE -RRB- rose , sharply ."),
            "AcmeNYSErosesharply"
        );
        assert_eq!(
            normalize_key("Acme (NYSE) rose, sharply."),
            "AcmeNYSErosesharply"
        );
        assert_eq!(normalize_key("a -LSB- b -RSB- -LCB- c -RCB- d"), "abcd");
        // Escapes are undone one kind after the other: "-LRB-" goes first here, which breaks
        // the "-RRB-" before it.
        assert_eq!(normalize_key("x-RRB-LRB-"), "xRRB");
        // Only ASCII punctuation and the plain space go; other characters stay.
        assert_eq!(normalize_key("café « a »\tb"), "café«a»\tb");

        let gold = Gold::from_tuples([(
            "Acme -LRB- NYSE -RRB- rose , sharply .",
            tuple("rose", &["Acme"]),
        )]);
        let scores = score(
            &gold,
            &[ext("Acme (NYSE) rose, sharply.", 0.4, "rose", &["Acme"])],
        );
        close(scores.f1, 1.0);
    }

    #[test]
    fn thresholds_and_auc_on_two_sentences() {
        // Pairs: a = (1, 1); b against Tom's gold: relation and arg1 match, arg2 does not:
        // (2/3, 2/3); c against Sue's gold: "old cars" vs "old trucks" gives 3 of 4 words:
        // (3/4, 3/4).
        // Thresholds 0.3, 0.6, 0.9 (indices 0, 1, 2).
        // Tom at 0.3 {a, b}: recall max(1, 2/3) = 1; precision: one gold, best pair a = 1;
        //   over #taken 2; added to index 0.
        // Tom at 0.9 {a}: recall 1, precision 1 over 1; added to indices 1 and 2.
        // Sue at 0.6 {c}: 3/4 over 1 both ways, added to indices 0 and 1; index 2 gets only
        //   its gold count in the recall denominator.
        // Index 0: P = (1 + 3/4) / 3 = 7/12, R = (1 + 3/4) / 2 = 7/8.
        // Index 1: P = (1 + 3/4) / 2 = 7/8, R = 7/8.
        // Index 2: P = 1/1, R = 1/2.
        // F1: 0.7, 0.875, 2/3 -> best at 0.6.
        // AUC over (0, 1), (1/2, 1), (7/8, 7/8), (7/8, 7/12):
        //   1/2 * 1 + 3/8 * (1 + 7/8) / 2 + 0 = 1/2 + 45/128 = 109/128.
        let gold = Gold::from_tuples([
            (TOM, tuple("met", &["Tom", "Ann"])),
            (SUE, tuple("sold", &["Sue", "old cars"])),
        ]);
        let system = [
            ext(TOM, 0.9, "met", &["Tom", "Ann"]),
            ext(SUE, 0.6, "sold", &["Sue", "old trucks"]),
            ext(TOM, 0.3, "met", &["Tom", "Bob"]),
        ];
        let scores = score(&gold, &system);
        let expected = [
            (0.3, 7.0 / 12.0, 7.0 / 8.0),
            (0.6, 7.0 / 8.0, 7.0 / 8.0),
            (0.9, 1.0, 0.5),
        ];
        assert_eq!(scores.curve.len(), expected.len());
        for (point, (t, p, r)) in scores.curve.iter().zip(expected) {
            assert_eq!(point.threshold, t);
            close(point.precision, p);
            close(point.recall, r);
        }
        assert_eq!(scores.threshold, Some(0.6));
        close(scores.f1, 0.875);
        close(scores.precision, 0.875);
        close(scores.recall, 0.875);
        close(scores.auc, 109.0 / 128.0);
    }

    #[test]
    fn precision_is_one_to_one_and_recall_many_to_one() {
        // One extraction, two gold tuples it half-covers: recall (1 + 2/3) / 2; precision takes
        // only one pair, the best (1) over one extraction.
        let gold = Gold::from_tuples([
            (TOM, tuple("met", &["Tom", "Ann"])),
            (TOM, tuple("met", &["Tom", "Bob"])),
        ]);
        let scores = score(&gold, &[ext(TOM, 1.0, "met", &["Tom", "Ann"])]);
        close(scores.precision, 1.0);
        close(scores.recall, 5.0 / 6.0);
        // A duplicate extraction cannot match a second time: precision 1/2.
        let gold = Gold::from_tuples([(TOM, tuple("met", &["Tom", "Ann"]))]);
        let twice = [
            ext(TOM, 1.0, "met", &["Tom", "Ann"]),
            ext(TOM, 1.0, "met", &["Tom", "Ann"]),
        ];
        let scores = score(&gold, &twice);
        close(scores.precision, 0.5);
        close(scores.recall, 1.0);
    }

    #[test]
    fn greedy_ties_follow_gold_then_file_order() {
        // Gold g1 (met with, Tom, Ann Lee), g2 (met, Kim, Ann).
        // e1 (met, Tom, Ann): g1 (1, 3/5), g2 (2/3, 2/3). e2 (with, Tom, Lee): g1 (1, 3/5),
        // g2 (0, 0). With e1 first, g1 takes e1 (first of the tied 1s) and g2 is left with e2:
        // precision (1 + 0) / 2. With e2 first, g1 takes e2 and g2 gets e1: (1 + 2/3) / 2.
        // Recall is (3/5 + 2/3) / 2 = 19/30 either way.
        let gold = Gold::from_tuples([
            (TOM, tuple("met with", &["Tom", "Ann Lee"])),
            (TOM, tuple("met", &["Kim", "Ann"])),
        ]);
        let e1 = ext(TOM, 1.0, "met", &["Tom", "Ann"]);
        let e2 = ext(TOM, 1.0, "with", &["Tom", "Lee"]);
        let scores = score(&gold, &[e1.clone(), e2.clone()]);
        close(scores.precision, 0.5);
        close(scores.recall, 19.0 / 30.0);
        let scores = score(&gold, &[e2, e1]);
        close(scores.precision, 5.0 / 6.0);
        close(scores.recall, 19.0 / 30.0);
    }

    #[test]
    fn extractions_of_unknown_sentences_only_add_thresholds() {
        let gold = Gold::from_tuples([(TOM, tuple("met", &["Tom", "Ann"]))]);
        let system = [
            ext(TOM, 0.5, "met", &["Tom", "Ann"]),
            ext("Another sentence .", 0.8, "is", &["it"]),
        ];
        let scores = score(&gold, &system);
        // Index 1 (0.8): Tom's extraction is below it, so P = 1 (nothing taken), R = 0.
        assert_eq!(scores.curve.len(), 2);
        close(scores.curve[1].precision, 1.0);
        close(scores.curve[1].recall, 0.0);
        close(scores.f1, 1.0);
        assert_eq!(scores.threshold, Some(0.5));
        close(scores.auc, 1.0);
    }

    #[test]
    fn zero_precision_and_recall_leaves_f1_undefined() {
        let gold = Gold::from_tuples([(TOM, tuple("met", &["Tom", "Ann"]))]);
        let scores = score(&gold, &[ext(TOM, 0.5, "saw", &["Kim", "Lee"])]);
        assert_eq!(
            (scores.f1, scores.precision, scores.recall),
            (0.0, 0.0, 0.0)
        );
        assert_eq!(scores.threshold, None);
        // (0, 1) and (0, 0): no width.
        close(scores.auc, 0.0);
    }

    #[test]
    fn parses_gold_file() {
        let input = format!(
            "{TOM}\tmet \t Tom\tAnn\tC: Kim said that\n\n{TOM}\tis\tOslo\t\t\r\n{SUE}\tsold\n"
        );
        let gold = parse_gold(&input).unwrap();
        assert_eq!(gold.sentences().len(), 2);
        assert_eq!(gold.tuple_count(), 3);
        let tom = &gold.sentences()[0];
        assert_eq!(tom.text, TOM);
        assert_eq!(tom.key, "TommetAnninOslo");
        assert_eq!(tom.tuples[0], tuple("met", &["Tom", "Ann"]));
        // Trailing empty fields go with the line's trailing whitespace.
        assert_eq!(tom.tuples[1], tuple("is", &["Oslo"]));
        assert_eq!(gold.sentences()[1].tuples[0], tuple("sold", &[]));
    }

    #[test]
    fn same_key_different_text_keeps_the_later_text() {
        let gold = Gold::from_tuples([
            ("Tom met Ann .", tuple("met", &["Tom", "Ann"])),
            ("Tom met Ann.", tuple("met", &["Tom", "her"])),
        ]);
        assert_eq!(gold.sentences().len(), 1);
        assert_eq!(
            gold.sentences()[0].tuples,
            vec![tuple("met", &["Tom", "her"])]
        );
    }

    #[test]
    fn parses_system_file() {
        let input =
            format!("{TOM}\t0.25\tmet\tTom\tAnn\n\n{SUE}\t -0 \tsold\r{SUE}\t1e-1\tsold\tSue\n");
        let system = parse_system(&input).unwrap();
        assert_eq!(system.len(), 3);
        assert_eq!(system[0], ext(TOM, 0.25, "met", &["Tom", "Ann"]));
        assert_eq!(system[1], ext(SUE, 0.0, "sold", &[]));
        assert!(system[1].confidence.is_sign_positive());
        assert_eq!(system[2].confidence, 0.1);
    }

    #[test]
    fn malformed_lines_are_rejected_with_their_number() {
        assert_eq!(
            parse_gold("a\tb\tc\n\njust a sentence\n"),
            Err(CarbError::MissingFields {
                line: 3,
                expected: 2,
                found: 1
            })
        );
        assert_eq!(
            parse_system("s\t0.5\tr\ns\t0.5\n"),
            Err(CarbError::MissingFields {
                line: 2,
                expected: 3,
                found: 2
            })
        );
        for bad in ["high", "NaN", "inf", ""] {
            let error = parse_system(&format!("s\t1\tr\r\ns\t{bad}\tr\ta\n")).unwrap_err();
            assert_eq!(
                error,
                CarbError::BadConfidence {
                    line: 2,
                    value: bad.to_string()
                }
            );
            assert!(error.to_string().starts_with("line 2: confidence"));
        }
        assert_eq!(parse_system(""), Ok(vec![]));
        assert_eq!(parse_gold("\u{feff}\n \n"), Ok(Gold::default()));
    }

    #[test]
    fn odd_input_does_not_panic() {
        let gold = parse_gold("\t\t\n.\t \t\t.\n-LRB-\tbe\t\t\nx\t \ty").unwrap();
        let system =
            parse_system(".\t0\t \t\tz\n.\t1\t,\t\t.\n-LRB-\t2\tbe be\t\t\t\nx\t3\tbe\t").unwrap();
        // "." and "-LRB-" share the empty key, so the second replaces the first.
        assert_eq!(gold.tuple_count(), 2);
        assert_eq!(system.len(), 4);
        let scores = score(&gold, &system);
        assert!(scores.auc.is_finite() && scores.f1.is_finite());
        let scores = score(&Gold::default(), &system);
        assert_eq!(scores.recall, 0.0);
    }
}
