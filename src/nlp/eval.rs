//! Scoring against gold CoNLL-U: tokenization and sentence splitting on raw text rebuilt
//! from the `# text` lines, and tagging/lemmas/attachment on gold tokens.

use std::collections::HashSet;
use std::ops::Range;

use super::conllu::GoldSentence;
use super::Pipeline;

/// A raw document rebuilt from gold sentences, with gold token and sentence spans.
#[derive(Debug, Clone, Default)]
pub struct GoldDoc {
    pub text: String,
    pub tokens: Vec<Range<usize>>,
    pub sentences: Vec<Range<usize>>,
}

/// Rebuilds documents: sentences joined by a space, paragraphs (`# newpar`) by a blank line,
/// a new document at every `# newdoc`. Word spans are found by matching forms left to right
/// in each sentence's `# text`; a multiword token whose words do not spell its surface is one
/// gold token.
pub fn rebuild_docs(sents: &[GoldSentence]) -> Vec<GoldDoc> {
    let mut docs: Vec<GoldDoc> = Vec::new();
    for s in sents {
        if s.newdoc.is_some() || docs.is_empty() {
            docs.push(GoldDoc::default());
        }
        let doc = docs.last_mut().expect("pushed");
        if !doc.text.is_empty() {
            doc.text.push_str(if s.newpar { "\n\n" } else { " " });
        }
        let base = doc.text.len();
        let text = match &s.text {
            Some(t) => t.clone(),
            None => s
                .words
                .iter()
                .map(|w| w.form.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        };
        doc.text.push_str(&text);
        // Surface units: multiword tokens or single words.
        let mut units: Vec<(String, Vec<String>)> = Vec::new();
        let mut i = 0;
        while i < s.words.len() {
            if let Some(m) = s.multiwords.iter().find(|m| m.words.start == i) {
                units.push((
                    m.form.clone(),
                    s.words[m.words.clone()]
                        .iter()
                        .map(|w| w.form.clone())
                        .collect(),
                ));
                i = m.words.end.max(i + 1);
            } else {
                units.push((s.words[i].form.clone(), vec![s.words[i].form.clone()]));
                i += 1;
            }
        }
        let mut cur = 0;
        let first_tok = doc.tokens.len();
        for (surface, words) in units {
            let Some(off) = text[cur..].find(surface.as_str()) else {
                continue;
            };
            let start = cur + off;
            let end = start + surface.len();
            if words.concat() == surface {
                let mut p = start;
                for w in &words {
                    doc.tokens.push(base + p..base + p + w.len());
                    p += w.len();
                }
            } else {
                doc.tokens.push(base + start..base + end);
            }
            cur = end;
        }
        if doc.tokens.len() > first_tok {
            let a = doc.tokens[first_tok].start;
            let b = doc.tokens.last().expect("non-empty").end;
            doc.sentences.push(a..b);
        }
    }
    docs
}

/// Precision/recall/F1 of exact span matches.
pub fn span_f1(gold: &[Range<usize>], pred: &[Range<usize>]) -> f64 {
    let g: HashSet<(usize, usize)> = gold.iter().map(|r| (r.start, r.end)).collect();
    let hit = pred
        .iter()
        .filter(|r| g.contains(&(r.start, r.end)))
        .count();
    if gold.is_empty() && pred.is_empty() {
        return 1.0;
    }
    let p = hit as f64 / pred.len().max(1) as f64;
    let r = hit as f64 / gold.len().max(1) as f64;
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// Token F1 and sentence F1 of [`crate::text::segment`] over the rebuilt documents
/// (micro-averaged: spans pooled over all documents).
pub fn tokenize_scores(sents: &[GoldSentence]) -> (f64, f64) {
    let docs = rebuild_docs(sents);
    let (mut gt, mut pt, mut gs, mut ps) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut off = 0;
    for d in &docs {
        let seg = crate::text::segment(&d.text);
        gt.extend(d.tokens.iter().map(|r| r.start + off..r.end + off));
        gs.extend(d.sentences.iter().map(|r| r.start + off..r.end + off));
        pt.extend(
            seg.tokens
                .iter()
                .map(|t| t.span.start + off..t.span.end + off),
        );
        ps.extend(
            seg.sentences
                .iter()
                .map(|s| s.span.start + off..s.span.end + off),
        );
        off += d.text.len() + 1;
    }
    (span_f1(&gt, &pt), span_f1(&gs, &ps))
}

/// Scores of the tagger, lemmatizer and parser on gold tokens.
#[derive(Debug, Clone, Default)]
pub struct TagParseScores {
    pub upos: f64,
    pub xpos: f64,
    pub lemma: f64,
    pub uas: f64,
    /// Full labels, subtypes included ("obl:tmod" ≠ "obl").
    pub las: f64,
    /// Universal part of the label only (the CoNLL 2018 shared task convention).
    pub las_universal: f64,
    pub words: usize,
    /// UPOS errors: (gold, predicted) → count.
    pub upos_confusion: std::collections::BTreeMap<(String, String), usize>,
    /// Per gold relation (universal part): (words, wrong heads, right head but wrong label).
    pub deprel_errors: std::collections::BTreeMap<String, [usize; 3]>,
}

pub fn tag_parse_scores(p: &Pipeline, sents: &[GoldSentence]) -> TagParseScores {
    let mut c = [0usize; 6];
    let mut n = 0;
    let mut upos_confusion = std::collections::BTreeMap::new();
    let mut deprel_errors: std::collections::BTreeMap<String, [usize; 3]> = Default::default();
    // Documents (`# newdoc`) are tagged as a whole, as the product tags an article.
    let mut docs: Vec<&[GoldSentence]> = Vec::new();
    let mut start = 0;
    for (i, s) in sents.iter().enumerate() {
        if s.newdoc.is_some() && i > start {
            docs.push(&sents[start..i]);
            start = i;
        }
    }
    docs.push(&sents[start..]);
    let analyzed = docs.iter().flat_map(|d| {
        let forms: Vec<Vec<&str>> = d
            .iter()
            .map(|s| s.words.iter().map(|w| w.form.as_str()).collect())
            .collect();
        p.analyze_document(&forms)
    });
    for (s, a) in sents.iter().zip(analyzed) {
        for ((t, h, l), w) in a.into_iter().zip(&s.words) {
            n += 1;
            if t.upos == w.upos {
                c[0] += 1;
            } else {
                *upos_confusion
                    .entry((w.upos.clone(), t.upos.to_string()))
                    .or_default() += 1;
            }
            c[1] += (p.tagger.xpos[t.xpos] == w.xpos) as usize;
            c[2] += (t.lemma == w.lemma) as usize;
            let uni = |x: &str| x.split(':').next().unwrap_or("").to_string();
            let by_rel = deprel_errors.entry(uni(&w.deprel)).or_default();
            by_rel[0] += 1;
            if h == w.head {
                c[3] += 1;
                let lab = &p.parser.labels[l];
                c[4] += (*lab == w.deprel) as usize;
                by_rel[2] += (*lab != w.deprel) as usize;
                c[5] += (uni(lab) == uni(&w.deprel)) as usize;
            } else {
                by_rel[1] += 1;
            }
        }
    }
    let f = |k: usize| c[k] as f64 / n.max(1) as f64;
    TagParseScores {
        upos: f(0),
        xpos: f(1),
        lemma: f(2),
        uas: f(3),
        las: f(4),
        las_universal: f(5),
        words: n,
        upos_confusion,
        deprel_errors,
    }
}

/// Keeps only the sentences of documents whose `# newdoc id` starts with `prefix`.
pub fn filter_docs(sents: Vec<GoldSentence>, prefix: &str) -> Vec<GoldSentence> {
    let mut keep = false;
    sents
        .into_iter()
        .filter(|s| {
            if let Some(id) = &s.newdoc {
                keep = id.starts_with(prefix);
            }
            keep
        })
        .collect()
}

/// The documents of a CoNLL-U text whose `# newdoc id` starts with `prefix`, as CoNLL-U text
/// (for readers that parse the text themselves, such as the NER reader of GUM's entities).
pub fn filter_doc_text(src: &str, prefix: &str) -> String {
    let mut keep = false;
    let mut out = String::new();
    for line in src.split_inclusive('\n') {
        if let Some(id) = line.trim_end().strip_prefix("# newdoc id") {
            keep = id.trim_start_matches([' ', '=']).starts_with(prefix);
        }
        if keep {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_document_text_by_id_prefix() {
        let src = "# newdoc id = GUM_news_a\n# text = A.\n1\tA\n\n# newdoc id = GUM_bio_b\n# text = B.\n1\tB\n\n# newdoc id = GUM_news_c\n1\tC\n\n";
        let kept = filter_doc_text(src, "GUM_news");
        assert!(kept.contains("1\tA\n") && kept.contains("1\tC\n"));
        assert!(!kept.contains("1\tB"));
        assert_eq!(filter_doc_text(src, "GUM_x"), "");
    }

    #[test]
    fn rebuilds_offsets_with_multiwords() {
        let src = "# newdoc id = d\n# text = I don't know.\n1\tI\tI\tPRON\tPRP\t_\t4\tnsubj\t_\t_\n2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t_\t_\n3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n4\tknow\tknow\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\n# text = Yes.\n1\tYes\tyes\tINTJ\tUH\t_\t0\troot\t_\tSpaceAfter=No\n2\t.\t.\tPUNCT\t.\t_\t1\tpunct\t_\t_\n\n";
        let sents = super::super::conllu::parse(src).unwrap();
        let docs = rebuild_docs(&sents);
        assert_eq!(docs.len(), 1);
        let d = &docs[0];
        assert_eq!(d.text, "I don't know. Yes.");
        let words: Vec<&str> = d.tokens.iter().map(|r| &d.text[r.clone()]).collect();
        assert_eq!(words, ["I", "do", "n't", "know", ".", "Yes", "."]);
        assert_eq!(d.sentences, vec![0..13, 14..18]);
    }

    #[test]
    fn f1_counts_exact_matches() {
        assert_eq!(span_f1(&[0..1, 2..3], &[0..1, 2..3]), 1.0);
        assert_eq!(span_f1(&[0..1, 2..3], std::slice::from_ref(&(0..3))), 0.0);
        assert!((span_f1(&[0..1, 2..3], std::slice::from_ref(&(0..1))) - 2.0 / 3.0).abs() < 1e-9);
    }
}
