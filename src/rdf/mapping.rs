//! Extraction → quads. Deterministic: IRIs come from kinds, canonical names and the
//! document's content hash, and quads come out in the extraction's order, so the same
//! document gives the same bytes on every machine.

use crate::ir::{EntityKind, Extraction};
use crate::vocab::{self, ng, nif, owl, prov, rdf, rdfs, schema, skos, xsd, NG, REL};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term, Triple};

/// Mints instance IRIs under a base and writes quads.
#[derive(Debug, Clone)]
pub struct Mapper {
    base: String,
}

/// The document IRI (also its named graph) for a content hash.
pub fn document_iri(base: &str, id: &str) -> String {
    format!("{base}doc/{id}")
}

#[derive(Debug, thiserror::Error)]
#[error("invalid base IRI {base:?}: {reason}")]
pub struct BaseError {
    base: String,
    reason: String,
}

impl Mapper {
    /// `base` must be an absolute IRI ending in `/` or `#`.
    pub fn new(base: &str) -> Result<Self, BaseError> {
        let err = |reason: &str| BaseError {
            base: base.to_owned(),
            reason: reason.to_owned(),
        };
        if !(base.ends_with('/') || base.ends_with('#')) {
            return Err(err("it must end with '/' or '#'"));
        }
        NamedNode::new(format!("{base}x")).map_err(|e| err(&e.to_string()))?;
        Ok(Mapper {
            base: base.to_owned(),
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn entity_iri(&self, kind: EntityKind, key: &str) -> String {
        format!("{}{}/{}", self.base, kind.as_str(), key)
    }

    /// Every quad the document asserts, in its named graph.
    pub fn quads(&self, ex: &Extraction) -> Vec<Quad> {
        let doc = document_iri(&self.base, &ex.document.id);
        let mut w = Writer {
            graph: GraphName::NamedNode(node(&doc)),
            doc_prefix: doc.clone(),
            quads: Vec::with_capacity(64 + ex.facts.len() * 16 + ex.mentions.len() * 7),
            shared: Vec::new(),
        };
        let d = node(&doc);
        let meta = &ex.document;
        w.add(
            &d,
            &t(rdf::NAMESPACE, rdf::TYPE),
            iri(vocab::SCHEMA, schema::NEWS_ARTICLE),
        );
        w.add(
            &d,
            &t(rdf::NAMESPACE, rdf::TYPE),
            iri(vocab::NIF, nif::CONTEXT),
        );
        if let Some(title) = &meta.title {
            w.add(&d, &t(vocab::SCHEMA, schema::HEADLINE), lit(title));
            w.add(&d, &t(vocab::RDFS, rdfs::LABEL), lit(title));
        } else {
            w.add(&d, &t(vocab::RDFS, rdfs::LABEL), lit(&meta.source));
        }
        if let Some(date) = &meta.date {
            w.add(
                &d,
                &t(vocab::SCHEMA, schema::DATE_PUBLISHED),
                date_lit(date),
            );
        }
        if let Some(url) = &meta.url {
            w.add(&d, &t(vocab::SCHEMA, schema::URL), lit(url));
        }
        w.add(&d, &t(NG, ng::SOURCE), lit(&meta.source));
        w.add(&d, &t(NG, ng::SOURCE_KEY), lit(&meta.key));
        w.add(&d, &t(NG, ng::CONTENT_HASH), lit(&meta.id));
        w.add(&d, &t(NG, ng::EXTRACTOR), lit(&meta.extractor));
        w.add(&d, &t(vocab::NIF, nif::END_INDEX), int(meta.chars));

        let sentence_iri = |i: usize| format!("{doc}/sentence/{i}");
        // Only sentences something points at: a sentence node is evidence, not a copy of
        // the article (and unreferenced ones would double the store for nothing).
        let mut referenced = vec![false; ex.sentences.len()];
        for i in ex
            .mentions
            .iter()
            .map(|m| m.sentence)
            .chain(ex.facts.iter().map(|f| f.sentence))
        {
            if let Some(r) = referenced.get_mut(i) {
                *r = true;
            }
        }
        for e in &ex.entities {
            for r in &e.roles {
                if let Some(x) = referenced.get_mut(r.sentence) {
                    *x = true;
                }
            }
        }
        for s in ex.sentences.iter().filter(|s| referenced[s.index]) {
            let n = node(&sentence_iri(s.index));
            w.add(&n, &t(rdf::NAMESPACE, rdf::TYPE), iri(NG, ng::SENTENCE));
            w.add(&n, &t(NG, ng::SENTENCE_INDEX), int(s.index));
            w.add(&n, &t(vocab::NIF, nif::BEGIN_INDEX), int(s.span.start));
            w.add(&n, &t(vocab::NIF, nif::END_INDEX), int(s.span.end));
            w.add(&n, &t(vocab::NIF, nif::ANCHOR_OF), lit(&s.text));
            w.add(
                &n,
                &t(vocab::NIF, nif::REFERENCE_CONTEXT),
                Term::NamedNode(d.clone()),
            );
        }

        let entity_iris: Vec<String> = ex
            .entities
            .iter()
            .map(|e| self.entity_iri(e.kind, &e.key))
            .collect();
        for (e, entity) in ex.entities.iter().enumerate() {
            let n = node(&entity_iris[e]);
            let class = match entity.kind {
                EntityKind::Person => iri(vocab::SCHEMA, schema::PERSON),
                EntityKind::Organization => iri(vocab::SCHEMA, schema::ORGANIZATION),
                EntityKind::Place => iri(vocab::SCHEMA, schema::PLACE),
                EntityKind::Concept => iri(NG, ng::CONCEPT),
            };
            w.add(&n, &t(rdf::NAMESPACE, rdf::TYPE), class);
            w.add(&n, &t(vocab::RDFS, rdfs::LABEL), lit(&entity.name));
            if entity.kind != EntityKind::Concept {
                w.add(&n, &t(vocab::SCHEMA, schema::NAME), lit(&entity.name));
            }
            for alias in &entity.aliases {
                w.add(&n, &t(vocab::SKOS, skos::ALT_LABEL), lit(alias));
            }
            if let Some(h) = entity.holder {
                w.add(
                    &n,
                    &t(NG, ng::HOLDER),
                    Term::NamedNode(node(&entity_iris[h])),
                );
            }
            for role in &entity.roles {
                let mut key = format!("{}/{}", entity.key, crate::ir::slug(&role.title));
                if let Some(o) = role.organization {
                    key.push('/');
                    key.push_str(&ex.entities[o].key);
                }
                let r = node(&format!("{}role/{key}", self.base));
                w.add(&n, &t(NG, ng::HAS_ROLE), Term::NamedNode(r.clone()));
                w.add(&r, &t(rdf::NAMESPACE, rdf::TYPE), iri(NG, ng::ROLE));
                let label = match role.organization {
                    Some(o) => format!("{} ({})", role.title, ex.entities[o].name),
                    None => role.title.clone(),
                };
                w.add(&r, &t(vocab::RDFS, rdfs::LABEL), lit(&label));
                w.add(&r, &t(NG, ng::TITLE), lit(&role.title));
                w.add(&r, &t(NG, ng::FORMER), boolean(role.former));
                if !role.former {
                    w.add(&n, &t(vocab::SCHEMA, schema::JOB_TITLE), lit(&role.title));
                }
                if let Some(o) = role.organization {
                    let org = Term::NamedNode(node(&entity_iris[o]));
                    w.add(&r, &t(NG, ng::ORGANIZATION), org.clone());
                    if !role.former {
                        w.add(&n, &t(vocab::SCHEMA, schema::WORKS_FOR), org);
                    }
                }
            }
        }

        for m in &ex.mentions {
            let n = node(&format!("{doc}/mention/{}-{}", m.span.start, m.span.end));
            w.add(&n, &t(rdf::NAMESPACE, rdf::TYPE), iri(NG, ng::MENTION));
            w.add(&n, &t(vocab::NIF, nif::BEGIN_INDEX), int(m.span.start));
            w.add(&n, &t(vocab::NIF, nif::END_INDEX), int(m.span.end));
            w.add(&n, &t(vocab::NIF, nif::ANCHOR_OF), lit(&m.text));
            w.add(
                &n,
                &t(NG, ng::REFERS_TO),
                Term::NamedNode(node(&entity_iris[m.entity])),
            );
            w.add(
                &n,
                &t(NG, ng::IN_SENTENCE),
                Term::NamedNode(node(&sentence_iri(m.sentence))),
            );
            w.add(
                &n,
                &t(vocab::NIF, nif::REFERENCE_CONTEXT),
                Term::NamedNode(d.clone()),
            );
        }

        let mut predicates: Vec<(&str, &str)> = Vec::new();
        for (i, f) in ex.facts.iter().enumerate() {
            let p = node(&format!("{REL}{}", f.predicate));
            if !predicates.iter().any(|(name, _)| *name == f.predicate) {
                predicates.push((&f.predicate, &f.predicate_label));
            }
            let subject = f.subject.map(|s| node(&entity_iris[s]));
            let object = f.object.map(|o| node(&entity_iris[o]));
            if let (Some(s), Some(o), false) = (&subject, &object, f.negated) {
                w.add(s, &p, Term::NamedNode(o.clone()));
            }
            let st = node(&format!("{doc}/fact/{i}"));
            w.add(
                &st,
                &t(rdf::NAMESPACE, rdf::TYPE),
                iri(vocab::RDF, rdf::STATEMENT),
            );
            if let Some(s) = subject {
                w.add(&st, &t(rdf::NAMESPACE, rdf::SUBJECT), Term::NamedNode(s));
            }
            w.add(
                &st,
                &t(rdf::NAMESPACE, rdf::PREDICATE),
                Term::NamedNode(p.clone()),
            );
            if let Some(o) = object {
                w.add(&st, &t(rdf::NAMESPACE, rdf::OBJECT), Term::NamedNode(o));
            }
            let label = fact_label(ex, f);
            w.add(&st, &t(vocab::RDFS, rdfs::LABEL), lit(&label));
            w.add(
                &st,
                &t(NG, ng::IN_SENTENCE),
                Term::NamedNode(node(&sentence_iri(f.sentence))),
            );
            w.add(&st, &t(vocab::NIF, nif::BEGIN_INDEX), int(f.span.start));
            w.add(&st, &t(vocab::NIF, nif::END_INDEX), int(f.span.end));
            w.add(&st, &t(vocab::NIF, nif::ANCHOR_OF), lit(&f.text));
            w.add(&st, &t(NG, ng::CONFIDENCE), decimal(f.confidence));
            w.add(&st, &t(NG, ng::RULE), lit(&f.rule));
            w.add(&st, &t(NG, ng::NEGATED), boolean(f.negated));
            if let Some(m) = &f.modality {
                w.add(&st, &t(NG, ng::MODALITY), lit(m));
            }
            if let Some(a) = f.attribution {
                w.add(
                    &st,
                    &t(NG, ng::ATTRIBUTED_TO),
                    Term::NamedNode(node(&entity_iris[a])),
                );
            }
            if let Some(time) = &f.time {
                w.add(&st, &t(NG, ng::TIME_TEXT), lit(&time.text));
                for (p, o) in time.value.as_deref().map(date_terms).unwrap_or_default() {
                    w.add(&st, &t(NG, p), o);
                }
            }
            if let Some(pl) = f.place {
                w.add(
                    &st,
                    &t(NG, ng::PLACE),
                    Term::NamedNode(node(&entity_iris[pl])),
                );
            }
            for (k, (role, e)) in f.arguments.iter().enumerate() {
                let a = node(&format!("{doc}/fact/{i}/arg/{k}"));
                w.add(&st, &t(NG, ng::ARGUMENT), Term::NamedNode(a.clone()));
                w.add(&a, &t(NG, ng::ARGUMENT_ROLE), lit(role));
                w.add(
                    &a,
                    &t(NG, ng::ARGUMENT_VALUE),
                    Term::NamedNode(node(&entity_iris[*e])),
                );
            }
            w.add(
                &st,
                &t(vocab::PROV, prov::WAS_DERIVED_FROM),
                Term::NamedNode(d.clone()),
            );
        }
        for (name, label) in predicates {
            let p = node(&format!("{REL}{name}"));
            w.add(&p, &t(rdf::NAMESPACE, rdf::TYPE), iri(NG, ng::RELATION));
            w.add(&p, &t(vocab::RDFS, rdfs::LABEL), lit(label));
            // What the relation lexicon (data/lexicon/relations.tsv) says of it; predicates
            // minted from unknown verbs have neither.
            let lexicon = crate::extract::lexicon::Lexicon::embedded();
            if let Some(entry) = lexicon.relations.iter().find(|r| r.predicate == name) {
                w.add(&p, &t(NG, ng::RELATION_CATEGORY), lit(&entry.category));
                if let Some(inverse) = &entry.inverse {
                    w.add(
                        &p,
                        &t(vocab::OWL, owl::INVERSE_OF),
                        Term::NamedNode(node(&format!("{REL}{inverse}"))),
                    );
                }
            }
        }
        let _ = owl::SAME_AS;
        let _ = xsd::STRING;
        w.finish(&d)
    }
}

/// "Joe Biden pardoned Mark Milley": a readable label for a statement node.
fn fact_label(ex: &Extraction, f: &crate::ir::Fact) -> String {
    let name = |e: Option<usize>| e.map(|e| ex.entities[e].name.as_str());
    let mut parts = Vec::new();
    parts.push(name(f.subject).unwrap_or("(someone)").to_owned());
    if f.negated {
        parts.push("not".to_owned());
    }
    parts.push(f.predicate_label.clone());
    if let Some(o) = name(f.object) {
        parts.push(o.to_owned());
    }
    parts.join(" ")
}

/// Sorts triples into the document's graph and the shared default graph.
///
/// What describes an entity, concept, role or relation (its type, labels, titles, holder) is
/// said by every document that mentions it. Kept once, in the default graph, it is a set, so
/// a person named in 300 articles has one label, not 300 copies that multiply every join in
/// a union-graph query. The document graph keeps its own statements plus, in one literal
/// (`ng:sharedTriples`), the description triples it contributed, so that removing the
/// document retracts exactly those no other document also asserts.
struct Writer {
    graph: GraphName,
    doc_prefix: String,
    quads: Vec<Quad>,
    shared: Vec<Quad>,
}

impl Writer {
    fn add(&mut self, s: &NamedNode, p: &NamedNode, o: Term) {
        let own = s.as_str().starts_with(&self.doc_prefix) || p.as_str().starts_with(REL);
        let (graph, out) = if own {
            (self.graph.clone(), &mut self.quads)
        } else {
            (GraphName::DefaultGraph, &mut self.shared)
        };
        out.push(Quad::new(
            NamedOrBlankNode::NamedNode(s.clone()),
            p.clone(),
            o,
            graph,
        ));
    }

    fn finish(mut self, doc: &NamedNode) -> Vec<Quad> {
        let mut lines: Vec<String> = self
            .shared
            .iter()
            .map(|q| format!("{} .", Triple::from(q.clone())))
            .collect();
        lines.sort();
        lines.dedup();
        let mut seen = std::collections::HashSet::new();
        self.shared.retain(|q| seen.insert(q.clone()));
        self.add(doc, &t(NG, ng::SHARED_TRIPLES), lit(&lines.join("\n")));
        self.quads.append(&mut self.shared);
        self.quads
    }
}

/// The description triples a document contributed (its `ng:sharedTriples` literal).
pub fn parse_shared_triples(literal: &str) -> Vec<Triple> {
    oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NTriples)
        .for_slice(literal.as_bytes())
        .filter_map(Result::ok)
        .map(Triple::from)
        .collect()
}

/// A NamedNode from a string built from validated parts (base checked in `Mapper::new`,
/// keys are slugs, vocabulary terms are constants).
fn node(s: &str) -> NamedNode {
    NamedNode::new_unchecked(s)
}

fn t(ns: &str, local: &str) -> NamedNode {
    node(&vocab::iri(ns, local))
}

fn iri(ns: &str, local: &str) -> Term {
    Term::NamedNode(t(ns, local))
}

fn lit(s: &str) -> Term {
    Term::Literal(Literal::new_simple_literal(s))
}

fn int(n: usize) -> Term {
    Term::Literal(Literal::new_typed_literal(
        n.to_string(),
        t(vocab::XSD, xsd::INTEGER),
    ))
}

fn decimal(x: f32) -> Term {
    Term::Literal(Literal::new_typed_literal(
        format!("{x:.2}"),
        t(vocab::XSD, xsd::DECIMAL),
    ))
}

fn boolean(b: bool) -> Term {
    Term::Literal(Literal::new_typed_literal(
        b.to_string(),
        t(vocab::XSD, xsd::BOOLEAN),
    ))
}

/// A resolved time as statement properties: `ng:date` for a day, month or year; an interval
/// ("last week": `2025-01-20/2025-01-26`) has no XSD type of its own, so it is written as its
/// first and last day, `ng:dateStart` and `ng:dateEnd`.
fn date_terms(v: &str) -> Vec<(&'static str, Term)> {
    match v.split_once('/') {
        Some((from, to)) => vec![
            (ng::DATE_START, date_lit(from)),
            (ng::DATE_END, date_lit(to)),
        ],
        None => vec![(ng::DATE, date_lit(v))],
    }
}

/// `YYYY-MM-DD` → xsd:date, `YYYY-MM` → xsd:gYearMonth, `YYYY` → xsd:gYear.
fn date_lit(v: &str) -> Term {
    let dt = match v.len() {
        10 => xsd::DATE,
        7 => xsd::GYEAR_MONTH,
        4 => xsd::GYEAR,
        _ => return lit(v),
    };
    Term::Literal(Literal::new_typed_literal(v, t(vocab::XSD, dt)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_bases() {
        assert!(Mapper::new("https://example.org/kg/").is_ok());
        assert!(Mapper::new("https://example.org/kg").is_err());
        assert!(Mapper::new("not an iri/").is_err());
    }

    #[test]
    fn typed_dates() {
        assert_eq!(
            date_lit("2025-01-28").to_string(),
            "\"2025-01-28\"^^<http://www.w3.org/2001/XMLSchema#date>"
        );
        assert_eq!(
            date_lit("2018").to_string(),
            "\"2018\"^^<http://www.w3.org/2001/XMLSchema#gYear>"
        );
        assert_eq!(
            date_lit("2023-01").to_string(),
            "\"2023-01\"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>"
        );
    }

    #[test]
    fn intervals_become_start_and_end() {
        let terms = date_terms("2025-01-20/2025-01-26");
        assert_eq!(terms.len(), 2);
        assert_eq!(terms[0].0, ng::DATE_START);
        assert_eq!(
            terms[1].1.to_string(),
            "\"2025-01-26\"^^<http://www.w3.org/2001/XMLSchema#date>"
        );
        assert_eq!(date_terms("2025-01-28")[0].0, ng::DATE);
    }
}
