//! Exports parse back to the same dataset: Turtle/TriG/JSON-LD against the N-Quads graph,
//! compared as canonicalized datasets (isomorphism), not as strings.

use crate::util::*;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::dataset::CanonicalizationAlgorithm;
use oxigraph::model::{Dataset, GraphNameRef, Quad};

fn parse(format: RdfFormat, text: &str) -> Dataset {
    let quads: Vec<Quad> = RdfParser::from_format(format)
        .for_slice(text.as_bytes())
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{format} export does not parse: {e}"));
    let mut d: Dataset = quads.into_iter().collect();
    d.canonicalize(CanonicalizationAlgorithm::Unstable);
    d
}

/// The same quads with every graph name dropped (what triple formats hold).
fn union(d: &Dataset) -> Dataset {
    let mut u: Dataset = d
        .iter()
        .map(|q| {
            q.into_owned()
                .subject_predicate_object_in(GraphNameRef::DefaultGraph)
        })
        .collect();
    u.canonicalize(CanonicalizationAlgorithm::Unstable);
    u
}

trait InGraph {
    fn subject_predicate_object_in(self, g: GraphNameRef<'_>) -> Quad;
}

impl InGraph for Quad {
    fn subject_predicate_object_in(self, g: GraphNameRef<'_>) -> Quad {
        Quad::new(self.subject, self.predicate, self.object, g.into_owned())
    }
}

#[test]
fn exports_round_trip() {
    let dir = sample_store();
    let store = dir.path().join("store");
    let export = |f: &str| stdout(newsgraph(&store).args(["export", "--format", f]));
    let nquads = parse(RdfFormat::NQuads, &export("nquads"));
    assert!(nquads.len() > 1000);
    assert_eq!(
        parse(RdfFormat::TriG, &export("trig")),
        nquads,
        "TriG differs from N-Quads"
    );
    let jsonld = parse(
        RdfFormat::JsonLd {
            profile: Default::default(),
        },
        &export("jsonld"),
    );
    assert_eq!(jsonld, nquads, "JSON-LD differs from N-Quads");
    let triples = union(&nquads);
    assert_eq!(
        parse(RdfFormat::Turtle, &export("turtle")),
        triples,
        "Turtle differs from the union graph"
    );
    assert_eq!(parse(RdfFormat::NTriples, &export("ntriples")), triples);
    assert_eq!(
        parse(RdfFormat::RdfXml, &export("rdfxml")),
        triples,
        "RDF/XML differs"
    );
}
