//! Every IRI and vocabulary term the product writes or reads lives here, so the RDF model
//! (docs/rdf-model.md) has one source of truth in code.

/// The newsgraph ontology namespace. Fixed: queries depend on it.
pub const NG: &str = "https://w3id.org/newsgraph/ns#";
/// One predicate per normalized relation (`rel:pardon`).
pub const REL: &str = "https://w3id.org/newsgraph/rel/";
/// Default base for instance IRIs; `--base` overrides it.
pub const DEFAULT_BASE: &str = "https://w3id.org/newsgraph/id/";

pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
pub const OWL: &str = "http://www.w3.org/2002/07/owl#";
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
pub const SCHEMA: &str = "https://schema.org/";
pub const PROV: &str = "http://www.w3.org/ns/prov#";
pub const NIF: &str = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#";
pub const DCT: &str = "http://purl.org/dc/terms/";

/// Prefixes used by Turtle/TriG output and offered to SPARQL queries.
pub const PREFIXES: &[(&str, &str)] = &[
    ("dct", DCT),
    ("ng", NG),
    ("nif", NIF),
    ("owl", OWL),
    ("prov", PROV),
    ("rdf", RDF),
    ("rdfs", RDFS),
    ("rel", REL),
    ("schema", SCHEMA),
    ("skos", SKOS),
    ("xsd", XSD),
];

macro_rules! terms {
    ($ns:ident => $($name:ident = $local:literal),* $(,)?) => {
        $(pub const $name: &str = concat!($local);)*
        /// All local names in this namespace, for documentation tests.
        pub const ALL: &[&str] = &[$($local),*];
        pub const NAMESPACE: &str = super::$ns;
    };
}

/// Terms of the `ng:` ontology.
pub mod ng {
    terms! { NG =>
        MENTION = "Mention",
        SENTENCE = "Sentence",
        CONCEPT = "Concept",
        ROLE = "Role",
        RELATION = "Relation",
        RELATION_CATEGORY = "relationCategory",
        MENTIONS = "mentions",
        REFERS_TO = "refersTo",
        IN_SENTENCE = "inSentence",
        IN_DOCUMENT = "inDocument",
        SENTENCE_INDEX = "sentenceIndex",
        HOLDER = "holder",
        HAS_ROLE = "hasRole",
        TITLE = "title",
        ORGANIZATION = "organization",
        FORMER = "former",
        CONFIDENCE = "confidence",
        RULE = "rule",
        NEGATED = "negated",
        MODALITY = "modality",
        ATTRIBUTED_TO = "attributedTo",
        TIME_TEXT = "timeText",
        DATE = "date",
        DATE_START = "dateStart",
        DATE_END = "dateEnd",
        PLACE = "place",
        ARGUMENT = "argument",
        ARGUMENT_ROLE = "argumentRole",
        ARGUMENT_VALUE = "argumentValue",
        SOURCE = "source",
        SOURCE_KEY = "sourceKey",
        CONTENT_HASH = "contentHash",
        EXTRACTOR = "extractor",
        ENTITY_KIND = "entityKind",
        SHARED_TRIPLES = "sharedTriples",
    }
}

pub mod schema {
    terms! { SCHEMA =>
        PERSON = "Person",
        ORGANIZATION = "Organization",
        PLACE = "Place",
        NEWS_ARTICLE = "NewsArticle",
        JOB_TITLE = "jobTitle",
        WORKS_FOR = "worksFor",
        DATE_PUBLISHED = "datePublished",
        HEADLINE = "headline",
        URL = "url",
        NAME = "name",
    }
}

pub mod nif {
    terms! { NIF =>
        BEGIN_INDEX = "beginIndex",
        END_INDEX = "endIndex",
        ANCHOR_OF = "anchorOf",
        IS_STRING = "isString",
        REFERENCE_CONTEXT = "referenceContext",
        CONTEXT = "Context",
    }
}

pub mod rdf {
    terms! { RDF =>
        TYPE = "type",
        STATEMENT = "Statement",
        SUBJECT = "subject",
        PREDICATE = "predicate",
        OBJECT = "object",
    }
}

pub mod rdfs {
    terms! { RDFS => LABEL = "label", COMMENT = "comment" }
}

pub mod skos {
    terms! { SKOS => ALT_LABEL = "altLabel" }
}

pub mod owl {
    terms! { OWL => SAME_AS = "sameAs", INVERSE_OF = "inverseOf" }
}

pub mod prov {
    terms! { PROV =>
        WAS_DERIVED_FROM = "wasDerivedFrom",
        WAS_ATTRIBUTED_TO = "wasAttributedTo",
        GENERATED_AT_TIME = "generatedAtTime",
    }
}

pub mod xsd {
    terms! { XSD =>
        DATE = "date",
        GYEAR = "gYear",
        GYEAR_MONTH = "gYearMonth",
        INTEGER = "integer",
        DECIMAL = "decimal",
        BOOLEAN = "boolean",
        STRING = "string",
    }
}

/// Full IRI of a term: `iri(NG, ng::MENTION)`.
pub fn iri(namespace: &str, local: &str) -> String {
    let mut s = String::with_capacity(namespace.len() + local.len());
    s.push_str(namespace);
    s.push_str(local);
    s
}

/// The SPARQL `PREFIX` lines for every prefix in [`PREFIXES`].
pub fn sparql_prologue() -> String {
    PREFIXES
        .iter()
        .map(|(p, ns)| format!("PREFIX {p}: <{ns}>\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_sorted_and_unique() {
        let names: Vec<_> = PREFIXES.iter().map(|p| p.0).collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(names, sorted);
    }

    #[test]
    fn terms_are_valid_iris() {
        for (ns, all) in [(ng::NAMESPACE, ng::ALL), (schema::NAMESPACE, schema::ALL)] {
            for local in all {
                oxigraph::model::NamedNode::new(iri(ns, local)).unwrap();
            }
        }
    }
}
