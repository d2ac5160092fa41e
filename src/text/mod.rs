//! Stage 2: raw text to sentences and tokens, with byte offsets into the original string.
//!
//! Everything later (tagger, parser, extractor) sees words through [`Segmented`]; the offsets
//! let every fact point back at the characters it came from.

mod offsets;
mod tokenizer;

pub use offsets::CharOffsets;
pub use tokenizer::segment;

use std::ops::Range;

/// One word, UD-style ("Milley’s" is two tokens: `Milley` and `’s`). `span` is in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub span: Range<usize>,
}

/// One sentence: its byte span and the range of its tokens in [`Segmented::tokens`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentenceBounds {
    pub span: Range<usize>,
    pub tokens: Range<usize>,
}

/// A text cut into sentences and tokens.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segmented {
    pub tokens: Vec<Token>,
    pub sentences: Vec<SentenceBounds>,
}

impl Segmented {
    /// The text of token `i`.
    pub fn word<'t>(&self, text: &'t str, i: usize) -> &'t str {
        &text[self.tokens[i].span.clone()]
    }
}
