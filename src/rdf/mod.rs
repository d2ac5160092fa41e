//! Stage 6: the IR as RDF. [`mapping`] turns an [`Extraction`](crate::ir::Extraction) into
//! quads with deterministic IRIs; [`store`] keeps them in Oxigraph, one named graph per
//! document; [`query`] runs SPARQL; [`format`] names every RDF syntax the product writes.

pub mod format;
pub mod mapping;
pub mod query;
pub mod store;

pub use format::RdfSyntax;
pub use mapping::{document_iri, Mapper};
pub use store::{GraphStore, StoreError};
