//! Stage 4: from a document to an [`Extraction`](crate::ir::Extraction): entity mentions,
//! roles, coreference, facts and their times.
//!
//! [`Extractor`] is the seam: the rule extractor here is the first implementation; the
//! statistical pipeline replaces it behind the same trait, and nothing downstream changes.

pub mod carb;
pub mod clauses;
pub mod conll04;
pub mod knowledgenet;
pub mod lexicon;
pub mod pronoun;
mod rules;
pub mod time;

use crate::ir::Extraction;
use crate::source::Document;

pub use rules::RuleExtractor;

/// Anything that turns a document into an extraction. Must be deterministic and stateless
/// between documents, so documents can be processed in parallel and in any order.
pub trait Extractor: Send + Sync {
    /// Name and version, recorded on every document (`ng:extractor`).
    fn name(&self) -> &'static str;
    fn extract(&self, doc: &Document) -> Extraction;
}

/// The extractor the CLI uses.
pub fn default_extractor() -> RuleExtractor {
    RuleExtractor::new()
}
