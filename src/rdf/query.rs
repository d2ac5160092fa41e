//! SPARQL over the store. The default graph is the union of all document graphs, the
//! vocabulary prefixes are predeclared, and `--bind name=value` substitutes a variable.

use crate::vocab::{self, PREFIXES};
use oxigraph::model::{Literal, NamedNode, Term, Triple, Variable};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;

#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("{origin}: SPARQL syntax error: {message}")]
    Syntax { origin: String, message: String },
    #[error("{origin}: {message}")]
    Evaluation { origin: String, message: String },
    #[error("--bind {0:?}: expected name=value with a valid variable name")]
    Binding(String),
}

/// A query's answer, materialized and in a stable order.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Solutions {
        variables: Vec<String>,
        rows: Vec<Vec<Option<Term>>>,
    },
    Boolean(bool),
    Graph(Vec<Triple>),
}

/// Parses `name=value`: `<...>` is an IRI, anything else a plain string literal.
pub fn parse_binding(spec: &str) -> Result<(Variable, Term), QueryError> {
    let (name, value) = spec
        .split_once('=')
        .ok_or_else(|| QueryError::Binding(spec.to_owned()))?;
    let var = Variable::new(name.trim().trim_start_matches(['?', '$']))
        .map_err(|_| QueryError::Binding(spec.to_owned()))?;
    let term = match value.strip_prefix('<').and_then(|v| v.strip_suffix('>')) {
        Some(iri) => {
            Term::NamedNode(NamedNode::new(iri).map_err(|_| QueryError::Binding(spec.to_owned()))?)
        }
        None => Term::Literal(Literal::new_simple_literal(value)),
    };
    Ok((var, term))
}

/// Runs `query` (from `origin`, a file name or `-e`) against the store's union graph.
pub fn run(
    store: &Store,
    origin: &str,
    query: &str,
    bindings: &[(Variable, Term)],
) -> Result<Answer, QueryError> {
    let mut evaluator = SparqlEvaluator::new();
    for (name, ns) in PREFIXES {
        evaluator = evaluator
            .with_prefix(*name, *ns)
            .expect("vocabulary prefixes are valid IRIs");
    }
    let _ = vocab::NG;
    let mut prepared = evaluator
        .parse_query(query)
        .map_err(|e| QueryError::Syntax {
            origin: origin.to_owned(),
            message: e.to_string(),
        })?;
    prepared.dataset_mut().set_default_graph_as_union();
    for (var, term) in bindings {
        prepared = prepared.substitute_variable(var.clone(), term.clone());
    }
    let eval_err = |e: &dyn std::fmt::Display| QueryError::Evaluation {
        origin: origin.to_owned(),
        message: e.to_string(),
    };
    let results = prepared
        .on_store(store)
        .execute()
        .map_err(|e| eval_err(&e))?;
    Ok(match results {
        QueryResults::Boolean(b) => Answer::Boolean(b),
        QueryResults::Solutions(solutions) => {
            let variables: Vec<String> = solutions
                .variables()
                .iter()
                .map(|v| v.as_str().to_owned())
                .collect();
            let mut rows = Vec::new();
            for solution in solutions {
                let solution = solution.map_err(|e| eval_err(&e))?;
                rows.push(
                    variables
                        .iter()
                        .map(|v| solution.get(v.as_str()).cloned())
                        .collect(),
                );
            }
            Answer::Solutions { variables, rows }
        }
        QueryResults::Graph(triples) => {
            let triples: Vec<Triple> = triples
                .collect::<Result<_, _>>()
                .map_err(|e| eval_err(&e))?;
            Answer::Graph(triples)
        }
    })
}

/// A term as a person reads it: IRIs compacted with the known prefixes, literals bare.
pub fn display_term(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => compact_iri(n.as_str()),
        Term::Literal(l) => l.value().to_owned(),
        other => other.to_string(),
    }
}

pub fn compact_iri(iri: &str) -> String {
    PREFIXES
        .iter()
        .filter(|(_, ns)| iri.starts_with(*ns))
        .max_by_key(|(_, ns)| ns.len())
        .map(|(p, ns)| format!("{p}:{}", &iri[ns.len()..]))
        .unwrap_or_else(|| format!("<{iri}>"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bindings_parse() {
        let (v, t) = parse_binding("name=Mark Milley").unwrap();
        assert_eq!(v.as_str(), "name");
        assert_eq!(t, Term::Literal(Literal::new_simple_literal("Mark Milley")));
        let (_, t) = parse_binding("?e=<https://example.org/x>").unwrap();
        assert!(matches!(t, Term::NamedNode(_)));
        assert!(parse_binding("novalue").is_err());
        assert!(parse_binding("bad name=x").is_err());
    }

    #[test]
    fn syntax_errors_name_the_origin() {
        let store = Store::new().unwrap();
        let err = run(&store, "q.rq", "SELECT * WHERE { ?s ?p }", &[]).unwrap_err();
        assert!(
            err.to_string().starts_with("q.rq: SPARQL syntax error"),
            "{err}"
        );
    }

    #[test]
    fn compacts_known_namespaces() {
        assert_eq!(
            compact_iri("https://w3id.org/newsgraph/rel/pardon"),
            "rel:pardon"
        );
        assert_eq!(
            compact_iri("http://example.org/x"),
            "<http://example.org/x>"
        );
    }
}
