//! Stage 3: statistical NLP core — POS tags (UPOS + XPOS), lemmas and UD dependency trees.
//!
//! All models are trained by this crate's own code on the openly licensed UD corpora (see
//! `data/models/README.md`) and embedded in the binary. [`Pipeline::embedded`] loads them once.
//!
//! ```no_run
//! let text = "Gen. Mark Milley’s security detail was revoked.";
//! let seg = newsgraph::text::segment(text);
//! for s in newsgraph::nlp::Pipeline::embedded().analyze(text, &seg) {
//!     for w in &s.words {
//!         println!("{} {} {} {} {}", w.form, w.upos, w.lemma, w.head, w.deprel);
//!     }
//! }
//! ```

pub mod clusters;
pub mod conllu;
pub mod eval;
pub mod lemma;
pub mod ner;
pub mod parser;
pub mod perceptron;
pub mod tagger;

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use parser::Parser;
use tagger::{Tagger, Tags};

/// Errors of the NLP stage.
#[derive(Debug, thiserror::Error)]
pub enum NlpError {
    #[error("reading {0}")]
    Io(String, #[source] std::io::Error),
    #[error("CoNLL-U format: {0}")]
    Format(String),
    #[error("model file: {0}")]
    Model(String),
}

/// The 17 Universal POS tags; [`Word::upos`] is always one of these.
pub const UPOS_TAGS: [&str; 17] = [
    "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN",
    "PUNCT", "SCONJ", "SYM", "VERB", "X",
];

/// One analyzed word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Byte span in the analyzed text.
    pub span: Range<usize>,
    pub form: String,
    /// Universal POS tag (one of [`UPOS_TAGS`]).
    pub upos: &'static str,
    /// Penn Treebank tag as used by UD English ("NNP", "VBD", …).
    pub xpos: String,
    pub lemma: String,
    /// 0 = root, else the 1-based index of the head word in the sentence.
    pub head: usize,
    /// UD relation, with subtype where the treebank has one ("nsubj", "nmod:poss", "obl:tmod").
    pub deprel: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AnalyzedSentence {
    pub words: Vec<Word>,
}

/// Tagger, lemmatizer and parser, loaded.
pub struct Pipeline {
    pub tagger: Tagger,
    pub parser: Parser,
    upos_static: Vec<&'static str>,
}

pub(crate) static TAGGER_BIN: &[u8] = include_bytes!("../../data/models/tagger.bin");
static PARSER_BIN: &[u8] = include_bytes!("../../data/models/parser.bin");
static EMBEDDED: OnceLock<Result<Pipeline, NlpError>> = OnceLock::new();
/// The beam width asked for on the command line; 0 = the width the model was trained for.
static EMBEDDED_BEAM: AtomicUsize = AtomicUsize::new(0);

/// Sets the beam width of the embedded parser (by default the width it was trained for). It
/// takes effect when the models are first loaded, so call it before the first
/// [`Pipeline::embedded`]; returns false (and changes nothing) when they are already loaded.
pub fn set_embedded_beam(width: usize) -> bool {
    if EMBEDDED.get().is_some() {
        return false;
    }
    EMBEDDED_BEAM.store(width, Ordering::Relaxed);
    true
}

/// The beam width set by [`set_embedded_beam`], if any.
pub fn requested_beam() -> Option<usize> {
    Some(EMBEDDED_BEAM.load(Ordering::Relaxed)).filter(|&w| w > 0)
}

/// Maps typographic characters to the ASCII forms the treebanks mostly use, so "Milley’s"
/// and "Milley's" look alike to the models.
pub fn normalize(form: &str) -> std::borrow::Cow<'_, str> {
    if form.is_ascii() {
        return std::borrow::Cow::Borrowed(form);
    }
    let mut out = String::with_capacity(form.len());
    for c in form.chars() {
        match c {
            '’' | '‘' | '′' => out.push('\''),
            '“' | '”' | '″' => out.push('"'),
            '—' => out.push_str("--"),
            '–' => out.push('-'),
            '…' => out.push_str("..."),
            _ => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

impl Pipeline {
    /// Builds a pipeline from the bytes of `tagger.bin` and `parser.bin`.
    pub fn from_bytes(tagger: &[u8], parser: &[u8]) -> Result<Self, NlpError> {
        if tagger.is_empty() || parser.is_empty() {
            return Err(NlpError::Model(
                "model file is empty: run `newsgraph train tagger` and `newsgraph train parser`"
                    .into(),
            ));
        }
        let tagger = Tagger::from_bytes(tagger)?;
        let parser = Parser::from_bytes(parser)?;
        let upos_static = tagger
            .upos
            .iter()
            .map(|u| UPOS_TAGS.iter().copied().find(|t| t == u).unwrap_or("X"))
            .collect();
        Ok(Pipeline {
            tagger,
            parser,
            upos_static,
        })
    }

    /// Loads models from a directory holding `tagger.bin` and `parser.bin`.
    pub fn from_dir(dir: &std::path::Path) -> Result<Self, NlpError> {
        let read = |name: &str| {
            let p = dir.join(name);
            std::fs::read(&p).map_err(|e| NlpError::Io(p.display().to_string(), e))
        };
        Pipeline::from_bytes(&read("tagger.bin")?, &read("parser.bin")?)
    }

    /// The models embedded in the binary, loaded on first use, with the parser's beam width
    /// set by [`set_embedded_beam`].
    pub fn try_embedded() -> Result<&'static Pipeline, &'static NlpError> {
        EMBEDDED
            .get_or_init(|| {
                Pipeline::from_bytes(TAGGER_BIN, PARSER_BIN).map(|mut p| {
                    if let Some(w) = requested_beam() {
                        p.parser.beam = w;
                    }
                    p
                })
            })
            .as_ref()
    }

    /// The models embedded in the binary. Panics if they are missing or corrupt (a build
    /// problem, not an input problem); use [`Pipeline::try_embedded`] to handle that.
    pub fn embedded() -> &'static Pipeline {
        match Pipeline::try_embedded() {
            Ok(p) => p,
            Err(e) => panic!("embedded NLP models: {e}"),
        }
    }

    /// Tags, lemmatizes and parses one sentence given as word forms.
    pub fn analyze_words(&self, forms: &[&str]) -> Vec<(Tags3, usize, usize)> {
        let norm: Vec<std::borrow::Cow<'_, str>> = forms.iter().map(|f| normalize(f)).collect();
        let nf: Vec<&str> = norm.iter().map(|c| c.as_ref()).collect();
        let tags = self.tagger.tag(&nf);
        self.parse_tagged(&nf, &tags)
    }

    /// Tags, lemmatizes and parses the sentences of one document (word forms per sentence);
    /// unlike [`Pipeline::analyze_words`] on each sentence, tagging sees the whole document
    /// ([`Tagger::tag_document`]).
    pub fn analyze_document(&self, sentences: &[Vec<&str>]) -> Vec<Vec<(Tags3, usize, usize)>> {
        let norm: Vec<Vec<std::borrow::Cow<'_, str>>> = sentences
            .iter()
            .map(|s| s.iter().map(|f| normalize(f)).collect())
            .collect();
        let nf: Vec<Vec<&str>> = norm
            .iter()
            .map(|s| s.iter().map(|c| c.as_ref()).collect())
            .collect();
        let tags = self.tagger.tag_document(&nf);
        nf.iter()
            .zip(&tags)
            .map(|(s, t)| self.parse_tagged(s, t))
            .collect()
    }

    fn parse_tagged(&self, nf: &[&str], tags: &[Tags]) -> Vec<(Tags3, usize, usize)> {
        let xpos: Vec<&str> = tags
            .iter()
            .map(|t| self.tagger.xpos[t.xpos].as_str())
            .collect();
        let tree = self.parser.parse(nf, &xpos);
        tags.iter()
            .zip(tree)
            .zip(nf)
            .map(|((t, (h, l)), f)| {
                let lemma = self
                    .tagger
                    .lemmatizer
                    .lemmatize(f, &self.tagger.xpos[t.xpos]);
                (
                    Tags3 {
                        upos: self.upos_static[t.upos],
                        xpos: t.xpos,
                        lemma,
                    },
                    h,
                    l,
                )
            })
            .collect()
    }

    /// Analyzes every sentence of `seg` (as produced by [`crate::text::segment`] on `text`).
    pub fn analyze(&self, text: &str, seg: &crate::text::Segmented) -> Vec<AnalyzedSentence> {
        let forms: Vec<Vec<&str>> = seg
            .sentences
            .iter()
            .map(|s| {
                seg.tokens[s.tokens.clone()]
                    .iter()
                    .map(|t| &text[t.span.clone()])
                    .collect()
            })
            .collect();
        seg.sentences
            .iter()
            .zip(self.analyze_document(&forms))
            .map(|(s, analyzed)| {
                let toks = &seg.tokens[s.tokens.clone()];
                let words = analyzed
                    .into_iter()
                    .zip(toks)
                    .map(|((t, head, label), tok)| Word {
                        span: tok.span.clone(),
                        form: text[tok.span.clone()].to_string(),
                        upos: t.upos,
                        xpos: self.tagger.xpos[t.xpos].clone(),
                        lemma: t.lemma,
                        head,
                        deprel: self.parser.labels[label].clone(),
                    })
                    .collect();
                AnalyzedSentence { words }
            })
            .collect()
    }
}

/// Tagger output for one word inside [`Pipeline::analyze_words`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tags3 {
    pub upos: &'static str,
    /// Index into the tagger's XPOS labels.
    pub xpos: usize,
    pub lemma: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_typography() {
        assert_eq!(normalize("Milley’s"), "Milley's");
        assert_eq!(normalize("“x”"), "\"x\"");
        assert!(matches!(normalize("plain"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn empty_models_are_an_error() {
        assert!(Pipeline::from_bytes(b"", b"").is_err());
        assert!(Pipeline::from_bytes(b"garbage", b"garbage").is_err());
    }

    #[test]
    fn analyze_handles_odd_input() {
        let p = Pipeline::embedded();
        let long = "word ".repeat(500);
        for text in [
            "",
            "...",
            "“”",
            "a\u{0}b 😀 ß",
            "U.S. Inc. Gen.",
            long.as_str(),
        ] {
            let seg = crate::text::segment(text);
            let out = p.analyze(text, &seg);
            assert_eq!(out.len(), seg.sentences.len());
            for s in &out {
                assert_eq!(
                    s.words.iter().filter(|w| w.head == 0).count(),
                    1,
                    "{text:?}"
                );
                for (i, w) in s.words.iter().enumerate() {
                    assert!(w.head <= s.words.len() && w.head != i + 1);
                    assert!(UPOS_TAGS.contains(&w.upos));
                }
            }
        }
    }

    #[test]
    fn embedded_models_round_trip_bit_for_bit() {
        let t = Tagger::from_bytes(TAGGER_BIN).unwrap();
        assert!(
            t.to_bytes() == TAGGER_BIN,
            "tagger.bin does not re-serialize identically"
        );
        let p = Parser::from_bytes(PARSER_BIN).unwrap();
        assert!(
            p.to_bytes() == PARSER_BIN,
            "parser.bin does not re-serialize identically"
        );
    }

    #[test]
    fn embedded_pipeline_analyzes_a_sentence() {
        let Ok(p) = Pipeline::try_embedded() else {
            panic!("embedded models missing");
        };
        let text = "Gen. Mark Milley’s security detail was revoked on Tuesday.";
        let seg = crate::text::segment(text);
        let out = p.analyze(text, &seg);
        assert_eq!(out.len(), 1);
        let words = &out[0].words;
        assert_eq!(words.len(), seg.tokens.len());
        assert_eq!(words.iter().filter(|w| w.head == 0).count(), 1);
        for w in words {
            assert!(w.head <= words.len());
            assert_eq!(&text[w.span.clone()], w.form);
        }
        let revoked = words.iter().find(|w| w.form == "revoked").unwrap();
        assert_eq!(revoked.lemma, "revoke");
        assert_eq!(revoked.upos, "VERB");
        let milley = words.iter().find(|w| w.form == "Milley").unwrap();
        assert_eq!(milley.upos, "PROPN");
    }

    #[test]
    fn a_name_opening_a_sentence_is_tagged_as_its_other_mentions() {
        let p = Pipeline::embedded();
        let first = [
            "Former", "governor", "Tomas", "Reyes", "said", "he", "would", "sue", ".",
        ];
        let second = ["Reyes", ",", "67", ",", "led", "the", "bank", "."];
        // Alone, the tagger reads the sentence-initial "Reyes" as a plural noun ("reye").
        assert_ne!(p.analyze_words(&second)[0].0.upos, "PROPN");
        let doc = p.analyze_document(&[first.to_vec(), second.to_vec()]);
        assert_eq!(doc[1][0].0.upos, "PROPN");
        assert_eq!(doc[1][0].0.lemma, "Reyes");
        // "led" is the root, with "Reyes" as its subject.
        assert_eq!(doc[1][4].1, 0);
        assert_eq!(doc[1][0].1, 5);
        // A word seen in lowercase elsewhere is left to the tagger.
        let third = ["The", "Hague", "ruled", "."];
        let fourth = ["the", "court", "sat", "in", "The", "Hague", "."];
        let doc = p.analyze_document(&[third.to_vec(), fourth.to_vec()]);
        assert_ne!(doc[0][0].0.upos, "PROPN");
    }
}
