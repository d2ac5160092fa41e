//! The whole per-document pipeline, source document in, extraction and quads out. Stateless
//! and deterministic, so documents run in parallel and in any order.

use crate::extract::{default_extractor, Extractor};
use crate::ir::Extraction;
use crate::rdf::{document_iri, Mapper};
use crate::source::Document;
use oxigraph::model::Quad;

pub struct Pipeline {
    extractor: Box<dyn Extractor>,
    mapper: Mapper,
}

/// One document through every stage.
pub struct Processed {
    pub extraction: Extraction,
    pub quads: Vec<Quad>,
}

impl Processed {
    pub fn document_iri(&self, base: &str) -> String {
        document_iri(base, &self.extraction.document.id)
    }
}

impl Pipeline {
    pub fn new(mapper: Mapper) -> Self {
        Pipeline {
            extractor: Box::new(default_extractor()),
            mapper,
        }
    }

    pub fn with_extractor(extractor: Box<dyn Extractor>, mapper: Mapper) -> Self {
        Pipeline { extractor, mapper }
    }

    pub fn mapper(&self) -> &Mapper {
        &self.mapper
    }

    pub fn extract(&self, doc: &Document) -> Extraction {
        self.extractor.extract(doc)
    }

    pub fn process(&self, doc: &Document) -> Processed {
        let extraction = self.extractor.extract(doc);
        let quads = self.mapper.quads(&extraction);
        Processed { extraction, quads }
    }
}
