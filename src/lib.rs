//! newsgraph: English news articles to a traceable RDF knowledge graph.
//!
//! The pipeline runs one direction, stage by stage (see ARCHITECTURE.md):
//! [`source`] → [`text`] → `nlp` → [`extract`] → [`ir`] → [`rdf`] → [`graph`].
//! [`pipeline`] strings the per-document stages together; [`cli`] is the command line.

pub mod cli;
pub mod extract;
pub mod graph;
pub mod ir;
pub mod nlp;
pub mod pipeline;
pub mod rdf;
pub mod source;
pub mod text;
pub mod vocab;
