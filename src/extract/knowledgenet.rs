//! Scores the extractor's roles on KnowledgeNet passages: `schema:worksFor` against
//! EMPLOYEE_OR_MEMBER_OF, and a CEO-like title with its organization against CEO.
//!
//! KnowledgeNet annotates passages exhaustively per relation: a row without a subject says
//! "checked, none here". So every role the extractor finds in a checked passage is a
//! prediction, and precision is meaningful. Each passage is extracted alone, without the
//! rest of its Wikipedia article: a gold subject written as a pronoun ("He is a Technical
//! Fellow at Microsoft") has no antecedent in the passage, so those facts are scored apart.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Extractor;
use crate::ir::{EntityKind, Extraction, Span};
use crate::source::Document;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Row {
    document_id: String,
    passage_start: usize,
    passage_text: String,
    property: String,
    subject_start: Option<usize>,
    subject_end: Option<usize>,
    object_start: Option<usize>,
    object_end: Option<usize>,
    subject_text: Option<String>,
}

/// Precision and recall of one relation.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct RelationScores {
    pub passages: usize,
    pub gold: usize,
    /// Gold facts whose person is named (not a pronoun) in the passage.
    pub gold_named: usize,
    pub predicted: usize,
    pub correct: usize,
    pub precision: f64,
    /// Over all gold facts.
    pub recall: f64,
    /// Over gold facts whose person is named in the passage.
    pub recall_named: f64,
}

/// Scores per KnowledgeNet relation ("EMPLOYEE_OR_MEMBER_OF", "CEO").
pub type RoleScores = BTreeMap<String, RelationScores>;

/// (person span, organization span, person named rather than a pronoun), in passage chars.
type GoldPair = ((usize, usize), (usize, usize), bool);

const PRONOUNS: &[&str] = &[
    "he", "she", "his", "her", "him", "they", "their", "it", "its",
];

fn overlaps(a: Span, start: usize, end: usize) -> bool {
    a.start < end && start < a.end
}

/// The (person, organization) pairs a relation asserts in one extraction, with the spans
/// of every mention of each side.
fn predicted(ex: &Extraction, property: &str) -> Vec<(Vec<Span>, Vec<Span>)> {
    let spans = |id: usize| -> Vec<Span> {
        ex.mentions
            .iter()
            .filter(|m| m.entity == id)
            .map(|m| m.span)
            .collect()
    };
    let mut pairs = BTreeSet::new();
    for (pid, e) in ex.entities.iter().enumerate() {
        if e.kind != EntityKind::Person {
            continue;
        }
        for r in &e.roles {
            let Some(org) = r.organization else { continue };
            let ceo = {
                let t = r.title.to_lowercase();
                t.contains("chief executive") || t.split_whitespace().any(|w| w == "ceo")
            };
            if property == "EMPLOYEE_OR_MEMBER_OF" || ceo {
                pairs.insert((pid, org));
            }
        }
    }
    pairs
        .into_iter()
        .map(|(p, o)| (spans(p), spans(o)))
        .collect()
}

/// Runs `extractor` over every checked passage of `path` and scores the roles.
pub fn eval_roles(path: &Path, extractor: &dyn Extractor) -> Result<RoleScores, String> {
    let src = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    // (document, passage start) → (text, rows of the scored relations)
    let mut passages: BTreeMap<(String, usize), (String, Vec<Row>)> = BTreeMap::new();
    for (n, line) in src.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let row: Row = serde_json::from_str(line)
            .map_err(|e| format!("{}: line {}: {e}", path.display(), n + 1))?;
        if !matches!(row.property.as_str(), "EMPLOYEE_OR_MEMBER_OF" | "CEO") {
            continue;
        }
        passages
            .entry((row.document_id.clone(), row.passage_start))
            .or_insert_with(|| (row.passage_text.clone(), Vec::new()))
            .1
            .push(row);
    }
    let mut scores = RoleScores::new();
    for ((doc, start), (text, rows)) in &passages {
        let document = Document::from_text(&format!("knowledgenet:{doc}:{start}"), text.clone());
        let ex = extractor.extract(&document);
        let char_len = text.chars().count();
        for property in ["EMPLOYEE_OR_MEMBER_OF", "CEO"] {
            let checked: Vec<&Row> = rows.iter().filter(|r| r.property == property).collect();
            if checked.is_empty() {
                continue;
            }
            let s = scores.entry(property.to_string()).or_default();
            s.passages += 1;
            // Gold as (person span, organization span), relative to the passage. CEO rows
            // have the organization as subject and the person as object.
            let gold: Vec<GoldPair> = checked
                .iter()
                .filter_map(|r| {
                    let (ss, se, os, oe) = (
                        r.subject_start?,
                        r.subject_end?,
                        r.object_start?,
                        r.object_end?,
                    );
                    let rel = |x: usize| x.checked_sub(*start).filter(|&v| v <= char_len);
                    let subj = (rel(ss)?, rel(se)?);
                    let obj = (rel(os)?, rel(oe)?);
                    let (person, org) = if property == "CEO" {
                        (obj, subj)
                    } else {
                        (subj, obj)
                    };
                    let person_text: String = text
                        .chars()
                        .skip(person.0)
                        .take(person.1.saturating_sub(person.0))
                        .collect();
                    let named = !PRONOUNS.contains(&person_text.to_lowercase().trim())
                        && r.subject_text.is_some();
                    Some((person, org, named))
                })
                .collect();
            let pred = predicted(&ex, property);
            s.gold += gold.len();
            s.gold_named += gold.iter().filter(|g| g.2).count();
            s.predicted += pred.len();
            let mut used = vec![false; pred.len()];
            for (person, org, _) in &gold {
                if let Some(k) = (0..pred.len()).find(|&k| {
                    !used[k]
                        && pred[k].0.iter().any(|&m| overlaps(m, person.0, person.1))
                        && pred[k].1.iter().any(|&m| overlaps(m, org.0, org.1))
                }) {
                    used[k] = true;
                    s.correct += 1;
                }
            }
        }
    }
    for s in scores.values_mut() {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        s.precision = ratio(s.correct, s.predicted);
        s.recall = ratio(s.correct, s.gold);
        s.recall_named = ratio(s.correct, s.gold_named);
    }
    Ok(scores)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_a_worksfor_role_in_a_checked_passage() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kn.jsonl");
        let text = "Pentagon spokesman John Ullyot spoke on Tuesday.";
        let row = |prop: &str, s: Option<(usize, usize)>, o: Option<(usize, usize)>| {
            serde_json::json!({
                "documentId": "1", "passageStart": 100, "passageEnd": 148,
                "passageText": text, "property": prop,
                "subjectStart": s.map(|x| x.0 + 100), "subjectEnd": s.map(|x| x.1 + 100),
                "objectStart": o.map(|x| x.0 + 100), "objectEnd": o.map(|x| x.1 + 100),
                "subjectText": s.map(|_| "John Ullyot"), "objectText": o.map(|_| "Pentagon"),
            })
            .to_string()
        };
        let lines = [
            row("EMPLOYEE_OR_MEMBER_OF", Some((19, 30)), Some((0, 8))),
            row("CEO", None, None),
        ];
        std::fs::write(&path, lines.join("\n")).unwrap();
        let s = eval_roles(&path, &crate::extract::RuleExtractor::new()).unwrap();
        let e = &s["EMPLOYEE_OR_MEMBER_OF"];
        assert_eq!((e.gold, e.predicted, e.correct), (1, 1, 1));
        assert_eq!(s["CEO"].gold, 0);
        assert_eq!(s["CEO"].predicted, 0);
    }

    #[test]
    fn malformed_lines_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.jsonl");
        std::fs::write(&path, "{not json").unwrap();
        assert!(eval_roles(&path, &crate::extract::RuleExtractor::new())
            .unwrap_err()
            .contains("line 1"));
    }
}
