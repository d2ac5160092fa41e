//! The RDF syntaxes the product writes, behind one enum, all serialized by Oxigraph's own
//! writers (oxrdfio 0.2: Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD; N3 is not offered).

use crate::vocab::PREFIXES;
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, Quad, Triple};
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RdfSyntax {
    Turtle,
    Ntriples,
    Nquads,
    Trig,
    Rdfxml,
    Jsonld,
}

impl RdfSyntax {
    pub fn format(self) -> RdfFormat {
        match self {
            RdfSyntax::Turtle => RdfFormat::Turtle,
            RdfSyntax::Ntriples => RdfFormat::NTriples,
            RdfSyntax::Nquads => RdfFormat::NQuads,
            RdfSyntax::Trig => RdfFormat::TriG,
            RdfSyntax::Rdfxml => RdfFormat::RdfXml,
            RdfSyntax::Jsonld => RdfFormat::JsonLd {
                profile: JsonLdProfileSet::empty(),
            },
        }
    }

    /// Whether the syntax can hold named graphs; the others get the union of all graphs.
    pub fn has_graphs(self) -> bool {
        matches!(
            self,
            RdfSyntax::Nquads | RdfSyntax::Trig | RdfSyntax::Jsonld
        )
    }

    fn uses_prefixes(self) -> bool {
        matches!(
            self,
            RdfSyntax::Turtle | RdfSyntax::Trig | RdfSyntax::Rdfxml | RdfSyntax::Jsonld
        )
    }
}

fn serializer(syntax: RdfSyntax) -> RdfSerializer {
    let mut s = RdfSerializer::from_format(syntax.format());
    if syntax.uses_prefixes() {
        for (name, ns) in PREFIXES {
            s = s
                .with_prefix(*name, *ns)
                .expect("vocabulary prefixes are valid IRIs");
        }
    }
    s
}

/// Writes quads in a stable order: sorted by their N-Quads form. Syntaxes without named
/// graphs get the distinct triples of all graphs.
pub fn write_quads<W: Write>(syntax: RdfSyntax, quads: Vec<Quad>, out: W) -> std::io::Result<W> {
    let mut s = serializer(syntax).for_writer(out);
    if syntax.has_graphs() {
        let mut keyed: Vec<(String, Quad)> =
            quads.into_iter().map(|q| (q.to_string(), q)).collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        keyed.dedup_by(|a, b| a.0 == b.0);
        for (_, q) in &keyed {
            s.serialize_quad(q)?;
        }
    } else {
        let triples: Vec<Triple> = quads.into_iter().map(Triple::from).collect();
        return write_sorted_triples(s, triples);
    }
    s.finish()
}

/// Writes triples (e.g. a CONSTRUCT result) in a stable order.
pub fn write_triples<W: Write>(
    syntax: RdfSyntax,
    triples: Vec<Triple>,
    out: W,
) -> std::io::Result<W> {
    write_sorted_triples(serializer(syntax).for_writer(out), triples)
}

fn write_sorted_triples<W: Write>(
    mut s: oxigraph::io::WriterQuadSerializer<W>,
    triples: Vec<Triple>,
) -> std::io::Result<W> {
    let mut keyed: Vec<(String, Triple)> =
        triples.into_iter().map(|t| (t.to_string(), t)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.dedup_by(|a, b| a.0 == b.0);
    for (_, t) in &keyed {
        s.serialize_quad(
            t.as_ref()
                .in_graph(oxigraph::model::GraphNameRef::DefaultGraph),
        )?;
    }
    s.finish()
}

/// The graph name as a string for messages.
pub fn graph_label(g: &GraphName) -> String {
    match g {
        GraphName::NamedNode(n) => n.as_str().to_owned(),
        GraphName::BlankNode(b) => b.to_string(),
        GraphName::DefaultGraph => "default graph".to_owned(),
    }
}
