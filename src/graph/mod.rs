//! The `graph` stage: a petgraph view of the knowledge graph and the diagram writers.
//!
//! [`RelationGraph::from_triples`] reads the triples of the union graph (already queried by the
//! caller) and keeps only what a relationship diagram shows: entities (typed by `rdf:type`,
//! named by `rdfs:label`) and the fact edges between them (`rel:*`, `ng:holder`,
//! `schema:worksFor`). [`to_dot`], [`to_svg`] and [`to_html`] render it.
//!
//! Everything here is deterministic: nodes are ordered by IRI, edges by (source, target,
//! predicate), and the SVG layout uses no randomness, so the same triples in any order give the
//! same bytes. Labels come from article text and are untrusted: every writer escapes them.

mod dot;
mod escape;
mod html;
mod layout;
mod svg;

pub use dot::to_dot;
pub use html::to_html;
pub use svg::to_svg;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use oxigraph::model::{NamedOrBlankNode, Term, Triple};
use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeRef, IntoEdgeReferences};

use crate::vocab::{self, iri};

/// Errors of the graph stage.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GraphError {
    /// `focus` found no node whose label contains the name.
    #[error("no node label contains {name:?}{}", describe_suggestions(.suggestions, *.node_count))]
    NoMatch {
        name: String,
        /// Labels close to the name, best first (at most five).
        suggestions: Vec<String>,
        node_count: usize,
    },
}

fn describe_suggestions(suggestions: &[String], node_count: usize) -> String {
    if node_count == 0 {
        "; the graph is empty".to_owned()
    } else if suggestions.is_empty() {
        format!("; no close match among {node_count} nodes")
    } else {
        let list: Vec<String> = suggestions.iter().map(|s| format!("{s:?}")).collect();
        format!("; did you mean {}?", list.join(", "))
    }
}

/// What an entity is, from its `rdf:type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeKind {
    Person,
    Organization,
    Place,
    Concept,
    Document,
    Other,
}

impl NodeKind {
    /// Every kind, in legend order.
    pub const ALL: [NodeKind; 6] = [
        NodeKind::Person,
        NodeKind::Organization,
        NodeKind::Place,
        NodeKind::Concept,
        NodeKind::Document,
        NodeKind::Other,
    ];

    /// The kind's name, as shown in legends.
    pub fn name(self) -> &'static str {
        match self {
            NodeKind::Person => "Person",
            NodeKind::Organization => "Organization",
            NodeKind::Place => "Place",
            NodeKind::Concept => "Concept",
            NodeKind::Document => "Document",
            NodeKind::Other => "Other",
        }
    }

    /// The kind a type IRI gives, if any.
    fn from_type(type_iri: &str) -> Option<NodeKind> {
        if let Some(local) = type_iri.strip_prefix(vocab::SCHEMA) {
            match local {
                vocab::schema::PERSON => Some(NodeKind::Person),
                vocab::schema::ORGANIZATION => Some(NodeKind::Organization),
                vocab::schema::PLACE => Some(NodeKind::Place),
                vocab::schema::NEWS_ARTICLE => Some(NodeKind::Document),
                _ => None,
            }
        } else if type_iri.strip_prefix(vocab::NG) == Some(vocab::ng::CONCEPT) {
            Some(NodeKind::Concept)
        } else {
            None
        }
    }

    /// Entities of these kinds are shown even when no edge touches them. A concept is not:
    /// it exists only as the argument of a fact, and alone it is noise in the diagram.
    fn is_entity(self) -> bool {
        matches!(
            self,
            NodeKind::Person | NodeKind::Organization | NodeKind::Place
        )
    }
}

/// An entity (or any IRI a fact edge touches).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub iri: String,
    pub label: String,
    pub kind: NodeKind,
}

/// A fact edge; parallel identical edges (same ends, same predicate) are merged into one with a
/// count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// The predicate IRI.
    pub predicate: String,
    pub label: String,
    pub count: usize,
}

/// The relationship diagram's graph: nodes in IRI order, edges in (source, target, predicate)
/// order.
#[derive(Debug, Clone, Default)]
pub struct RelationGraph {
    graph: StableDiGraph<Node, Edge>,
    /// IRIs of the nodes a `focus` call matched; drawn highlighted.
    focus: BTreeSet<String>,
}

impl RelationGraph {
    /// Builds the graph from the triples of the union graph. Interprets `rdf:type`
    /// (`schema:Person` / `schema:Organization` / `schema:Place` / `ng:Concept` /
    /// `schema:NewsArticle` give the kind), `rdfs:label` (node and predicate labels; falling back
    /// to the IRI's last segment), every `rel:` predicate between two IRIs (a fact edge labeled
    /// with the predicate's `rdfs:label`), `ng:holder` (concept → holder, "of") and
    /// `schema:worksFor` ("works for"). Parallel identical edges merge with a count. Everything
    /// else is ignored. Typed people, organizations, places and concepts are kept even without
    /// edges; other IRIs appear only as edge ends.
    pub fn from_triples(triples: impl IntoIterator<Item = Triple>) -> Self {
        let rdf_type = iri(vocab::RDF, vocab::rdf::TYPE);
        let rdfs_label = iri(vocab::RDFS, vocab::rdfs::LABEL);
        let holder = iri(vocab::NG, vocab::ng::HOLDER);
        let works_for = iri(vocab::SCHEMA, vocab::schema::WORKS_FOR);

        let mut kinds: BTreeMap<String, BTreeSet<NodeKind>> = BTreeMap::new();
        // Candidate labels per IRI, ranked: untagged or English labels first.
        let mut labels: BTreeMap<String, BTreeSet<(u8, String)>> = BTreeMap::new();
        let mut edges: BTreeMap<(String, String, String), usize> = BTreeMap::new();

        for triple in triples {
            let NamedOrBlankNode::NamedNode(subject) = &triple.subject else {
                continue;
            };
            let predicate = triple.predicate.as_str();
            if predicate == rdf_type {
                if let Term::NamedNode(class) = &triple.object {
                    if let Some(kind) = NodeKind::from_type(class.as_str()) {
                        kinds
                            .entry(subject.as_str().to_owned())
                            .or_default()
                            .insert(kind);
                    }
                }
            } else if predicate == rdfs_label {
                if let Term::Literal(literal) = &triple.object {
                    let rank = match literal.language() {
                        None => 0,
                        Some(lang) if lang == "en" || lang.starts_with("en-") => 0,
                        Some(_) => 1,
                    };
                    labels
                        .entry(subject.as_str().to_owned())
                        .or_default()
                        .insert((rank, literal.value().to_owned()));
                }
            } else if predicate == holder
                || predicate == works_for
                || (predicate.starts_with(vocab::REL) && predicate.len() > vocab::REL.len())
            {
                if let Term::NamedNode(object) = &triple.object {
                    *edges
                        .entry((
                            subject.as_str().to_owned(),
                            object.as_str().to_owned(),
                            predicate.to_owned(),
                        ))
                        .or_default() += 1;
                }
            }
        }

        let label_of = |iri: &str| -> String {
            labels
                .get(iri)
                .and_then(|set| set.iter().map(|(_, l)| l.trim()).find(|l| !l.is_empty()))
                .map(str::to_owned)
                .unwrap_or_else(|| last_segment(iri).to_owned())
        };

        let mut node_iris: BTreeSet<&str> = kinds
            .iter()
            .filter(|(_, ks)| ks.iter().next().is_some_and(|k| k.is_entity()))
            .map(|(iri, _)| iri.as_str())
            .collect();
        for (s, o, _) in edges.keys() {
            node_iris.insert(s);
            node_iris.insert(o);
        }

        let mut graph = StableDiGraph::with_capacity(node_iris.len(), edges.len());
        let mut index: BTreeMap<&str, NodeIndex> = BTreeMap::new();
        for iri in node_iris {
            let kind = kinds
                .get(iri)
                .and_then(|ks| ks.iter().next().copied())
                .unwrap_or(NodeKind::Other);
            let node = Node {
                iri: iri.to_owned(),
                label: label_of(iri),
                kind,
            };
            index.insert(iri, graph.add_node(node));
        }
        for ((s, o, p), count) in &edges {
            let label = if *p == holder {
                "of".to_owned()
            } else if *p == works_for {
                "works for".to_owned()
            } else {
                label_of(p)
            };
            let edge = Edge {
                predicate: p.clone(),
                label,
                count: *count,
            };
            graph.add_edge(index[s.as_str()], index[o.as_str()], edge);
        }
        RelationGraph {
            graph,
            focus: BTreeSet::new(),
        }
    }

    /// Keeps the nodes within `depth` hops (either direction) of the nodes whose label contains
    /// `name` (case-insensitive), with every edge between kept nodes. Errs, listing close
    /// matches, when no label contains `name`.
    pub fn focus(&self, name: &str, depth: usize) -> Result<RelationGraph, GraphError> {
        let needle = name.trim().to_lowercase();
        let seeds: Vec<NodeIndex> = self
            .graph
            .node_indices()
            .filter(|&i| self.graph[i].label.to_lowercase().contains(&needle))
            .collect();
        if seeds.is_empty() {
            return Err(GraphError::NoMatch {
                name: name.to_owned(),
                suggestions: self.suggestions(&needle),
                node_count: self.node_count(),
            });
        }

        let mut distance: BTreeMap<NodeIndex, usize> = BTreeMap::new();
        let mut queue = VecDeque::new();
        for &seed in &seeds {
            distance.insert(seed, 0);
            queue.push_back(seed);
        }
        while let Some(node) = queue.pop_front() {
            let d = distance[&node];
            if d == depth {
                continue;
            }
            for next in self.graph.neighbors_undirected(node) {
                if let std::collections::btree_map::Entry::Vacant(e) = distance.entry(next) {
                    e.insert(d + 1);
                    queue.push_back(next);
                }
            }
        }

        let mut graph = StableDiGraph::with_capacity(distance.len(), 0);
        let mut map: BTreeMap<NodeIndex, NodeIndex> = BTreeMap::new();
        for old in self.graph.node_indices() {
            if distance.contains_key(&old) {
                map.insert(old, graph.add_node(self.graph[old].clone()));
            }
        }
        for edge in self.sorted_edges() {
            let (s, t) = (edge.source(), edge.target());
            if let (Some(&ns), Some(&nt)) = (map.get(&s), map.get(&t)) {
                graph.add_edge(ns, nt, edge.weight().clone());
            }
        }
        let focus = seeds.iter().map(|&i| self.graph[i].iri.clone()).collect();
        Ok(RelationGraph { graph, focus })
    }

    /// Labels close to `needle` (already lowercased), best first.
    fn suggestions(&self, needle: &str) -> Vec<String> {
        let limit = (needle.chars().count() / 3).max(2);
        let mut scored: BTreeSet<(usize, String)> = BTreeSet::new();
        for node in self.graph.node_weights() {
            let lower = node.label.to_lowercase();
            let whole = levenshtein(needle, &lower);
            let best_word = lower
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(|w| levenshtein(needle, w))
                .min()
                .unwrap_or(usize::MAX);
            let score = whole.min(best_word);
            if score <= limit {
                scored.insert((score, node.label.clone()));
            }
        }
        scored.into_iter().take(5).map(|(_, l)| l).collect()
    }

    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// The underlying petgraph graph.
    pub fn graph(&self) -> &StableDiGraph<Node, Edge> {
        &self.graph
    }

    /// The nodes, in IRI order.
    pub fn nodes(&self) -> impl Iterator<Item = &Node> + '_ {
        self.graph.node_weights()
    }

    /// The edges as (source, target, edge), in (source IRI, target IRI, predicate) order.
    pub fn edges(&self) -> impl Iterator<Item = (&Node, &Node, &Edge)> + '_ {
        self.sorted_edges()
            .into_iter()
            .map(|e| (&self.graph[e.source()], &self.graph[e.target()], e.weight()))
    }

    /// The node with this IRI.
    pub fn node(&self, iri: &str) -> Option<&Node> {
        self.graph.node_weights().find(|n| n.iri == iri)
    }

    /// Whether a `focus` call matched this node.
    pub fn is_focus(&self, node: &Node) -> bool {
        self.focus.contains(&node.iri)
    }

    /// Edge references in deterministic order (edges are added sorted, so index order is it).
    fn sorted_edges(&self) -> Vec<petgraph::stable_graph::EdgeReference<'_, Edge>> {
        let mut edges: Vec<_> = (&self.graph).edge_references().collect();
        edges.sort_by_key(|e| e.id());
        edges
    }

    /// Node positions 0..n in index order, and edges as (source pos, target pos, edge).
    pub(crate) fn dense(&self) -> (Vec<&Node>, Vec<(usize, usize, &Edge)>) {
        let order: Vec<NodeIndex> = self.graph.node_indices().collect();
        let pos: BTreeMap<NodeIndex, usize> =
            order.iter().enumerate().map(|(p, &i)| (i, p)).collect();
        let nodes = order.iter().map(|&i| &self.graph[i]).collect();
        let edges = self
            .sorted_edges()
            .into_iter()
            .map(|e| (pos[&e.source()], pos[&e.target()], e.weight()))
            .collect();
        (nodes, edges)
    }
}

/// The last non-empty `/`- or `#`-separated segment of an IRI.
fn last_segment(iri: &str) -> &str {
    iri.split(['/', '#'])
        .rev()
        .find(|s| !s.is_empty())
        .unwrap_or(iri)
}

/// Edit distance in characters.
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode};

    pub(crate) const BASE: &str = "https://w3id.org/newsgraph/id/";

    pub(crate) fn nn(s: &str) -> NamedNode {
        NamedNode::new(s).unwrap()
    }

    pub(crate) fn typed(local: &str, class: &str, label: &str) -> Vec<Triple> {
        let s = nn(&format!("{BASE}{local}"));
        vec![
            Triple::new(s.clone(), nn(&iri(vocab::RDF, "type")), nn(class)),
            Triple::new(
                s,
                nn(&iri(vocab::RDFS, "label")),
                Literal::new_simple_literal(label),
            ),
        ]
    }

    pub(crate) fn fact(s: &str, rel: &str, o: &str) -> Triple {
        Triple::new(
            nn(&format!("{BASE}{s}")),
            nn(&format!("{}{rel}", vocab::REL)),
            nn(&format!("{BASE}{o}")),
        )
    }

    pub(crate) fn person() -> String {
        iri(vocab::SCHEMA, "Person")
    }

    /// A small Milley-story graph used across the stage's tests.
    pub(crate) fn sample() -> Vec<Triple> {
        let mut t = Vec::new();
        t.extend(typed("person/joe-biden", &person(), "Joe Biden"));
        t.extend(typed("person/mark-milley", &person(), "Mark Milley"));
        t.extend(typed("person/pete-hegseth", &person(), "Pete Hegseth"));
        t.extend(typed("person/donald-trump", &person(), "Donald Trump"));
        t.extend(typed(
            "organization/pentagon",
            &iri(vocab::SCHEMA, "Organization"),
            "Pentagon",
        ));
        t.extend(typed("place/iran", &iri(vocab::SCHEMA, "Place"), "Iran"));
        t.extend(typed(
            "concept/milley-security-detail",
            &iri(vocab::NG, "Concept"),
            "Mark Milley's security detail",
        ));
        t.push(Triple::new(
            nn(&format!("{}pardon", vocab::REL)),
            nn(&iri(vocab::RDFS, "label")),
            Literal::new_simple_literal("pardon"),
        ));
        t.push(fact("person/joe-biden", "pardon", "person/mark-milley"));
        t.push(fact(
            "person/pete-hegseth",
            "revoke",
            "concept/milley-security-detail",
        ));
        t.push(Triple::new(
            nn(&format!("{BASE}concept/milley-security-detail")),
            nn(&iri(vocab::NG, "holder")),
            nn(&format!("{BASE}person/mark-milley")),
        ));
        t.push(Triple::new(
            nn(&format!("{BASE}person/pete-hegseth")),
            nn(&iri(vocab::SCHEMA, "worksFor")),
            nn(&format!("{BASE}organization/pentagon")),
        ));
        t.push(fact(
            "person/donald-trump",
            "accuse_of",
            "person/mark-milley",
        ));
        t
    }

    #[test]
    fn kinds_come_from_types_and_labels_from_rdfs_label() {
        let g = RelationGraph::from_triples(sample());
        let milley = g.node(&format!("{BASE}person/mark-milley")).unwrap();
        assert_eq!(milley.kind, NodeKind::Person);
        assert_eq!(milley.label, "Mark Milley");
        let pentagon = g.node(&format!("{BASE}organization/pentagon")).unwrap();
        assert_eq!(pentagon.kind, NodeKind::Organization);
        assert_eq!(
            g.node(&format!("{BASE}place/iran")).unwrap().kind,
            NodeKind::Place
        );
        assert_eq!(
            g.node(&format!("{BASE}concept/milley-security-detail"))
                .unwrap()
                .kind,
            NodeKind::Concept
        );
        // Isolated typed entities are kept.
        assert_eq!(g.node_count(), 7);
        assert_eq!(g.edge_count(), 5);
    }

    #[test]
    fn edge_labels_come_from_predicate_labels_or_fall_back() {
        let g = RelationGraph::from_triples(sample());
        let labels: BTreeSet<String> = g.edges().map(|(_, _, e)| e.label.clone()).collect();
        let expected: BTreeSet<String> = ["pardon", "revoke", "of", "works for", "accuse_of"]
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(labels, expected);
    }

    #[test]
    fn untyped_unlabeled_ends_are_other_with_last_segment_label() {
        let g = RelationGraph::from_triples(vec![fact("thing/x", "see", "thing/y#frag")]);
        let kinds: Vec<_> = g.nodes().map(|n| (n.kind, n.label.clone())).collect();
        assert_eq!(
            kinds,
            vec![
                (NodeKind::Other, "x".to_owned()),
                (NodeKind::Other, "frag".to_owned())
            ]
        );
    }

    #[test]
    fn other_triples_are_ignored() {
        let mut t = sample();
        // Literal objects, non-rel predicates, statements, the bare rel namespace.
        t.push(Triple::new(
            nn(&format!("{BASE}person/joe-biden")),
            nn(&format!("{}pardon", vocab::REL)),
            Literal::new_simple_literal("x"),
        ));
        t.push(Triple::new(
            nn(&format!("{BASE}statement/1")),
            nn(&iri(vocab::RDF, "subject")),
            nn(&format!("{BASE}person/joe-biden")),
        ));
        t.push(Triple::new(
            nn(&format!("{BASE}person/joe-biden")),
            nn(vocab::REL),
            nn(&format!("{BASE}person/mark-milley")),
        ));
        let g = RelationGraph::from_triples(t);
        assert_eq!(g.node_count(), 7);
        assert_eq!(g.edge_count(), 5);
    }

    #[test]
    fn parallel_identical_edges_merge_with_count() {
        let mut t = sample();
        t.push(fact("person/joe-biden", "pardon", "person/mark-milley"));
        t.push(fact("person/joe-biden", "pardon", "person/mark-milley"));
        t.push(fact("person/joe-biden", "thank", "person/mark-milley"));
        let g = RelationGraph::from_triples(t);
        let between: Vec<(String, usize)> = g
            .edges()
            .filter(|(s, o, _)| s.label == "Joe Biden" && o.label == "Mark Milley")
            .map(|(_, _, e)| (e.label.clone(), e.count))
            .collect();
        assert_eq!(
            between,
            vec![("pardon".to_owned(), 3), ("thank".to_owned(), 1)]
        );
    }

    #[test]
    fn focus_selects_by_depth_in_either_direction() {
        let g = RelationGraph::from_triples(sample());
        let f0 = g.focus("HEGSETH", 0).unwrap();
        assert_eq!(f0.node_count(), 1);
        assert_eq!(f0.edge_count(), 0);

        let f1 = g.focus("hegseth", 1).unwrap();
        let labels: BTreeSet<&str> = f1.nodes().map(|n| n.label.as_str()).collect();
        assert_eq!(
            labels,
            BTreeSet::from(["Pete Hegseth", "Pentagon", "Mark Milley's security detail"])
        );
        assert_eq!(f1.edge_count(), 2);

        // Two hops reach Milley through the concept (against the holder edge's direction:
        // the concept points at Milley, Milley is reached from it).
        let f2 = g.focus("hegseth", 2).unwrap();
        assert!(f2.nodes().any(|n| n.label == "Mark Milley"));
        assert!(!f2.nodes().any(|n| n.label == "Joe Biden"));
        let f3 = g.focus("hegseth", 3).unwrap();
        assert!(f3.nodes().any(|n| n.label == "Joe Biden"));
        assert!(!f3.nodes().any(|n| n.label == "Iran"));
        assert!(f3.is_focus(f3.nodes().find(|n| n.label == "Pete Hegseth").unwrap()));
        assert!(!f3.is_focus(f3.nodes().find(|n| n.label == "Joe Biden").unwrap()));
    }

    #[test]
    fn focus_matches_every_label_containing_the_name() {
        let g = RelationGraph::from_triples(sample());
        // "milley" matches the person and the concept.
        let f = g.focus("Milley", 0).unwrap();
        assert_eq!(f.node_count(), 2);
        assert_eq!(f.edge_count(), 1); // the holder edge between them
    }

    #[test]
    fn focus_without_match_lists_close_matches() {
        let g = RelationGraph::from_triples(sample());
        let err = g.focus("Milly", 1).unwrap_err();
        let GraphError::NoMatch { suggestions, .. } = &err;
        assert_eq!(suggestions.first().map(String::as_str), Some("Mark Milley"));
        assert!(err.to_string().contains("did you mean \"Mark Milley\""));

        let err = g.focus("zzzzzzzz", 1).unwrap_err();
        assert!(err.to_string().contains("no close match among 7 nodes"));
        let empty = RelationGraph::default();
        assert!(empty
            .focus("x", 1)
            .unwrap_err()
            .to_string()
            .contains("empty"));
    }

    #[test]
    fn node_and_edge_order_ignore_input_order() {
        let mut t = sample();
        let a = RelationGraph::from_triples(t.clone());
        t.reverse();
        t.rotate_left(5);
        let b = RelationGraph::from_triples(t);
        assert_eq!(a.nodes().collect::<Vec<_>>(), b.nodes().collect::<Vec<_>>());
        assert_eq!(a.edges().collect::<Vec<_>>(), b.edges().collect::<Vec<_>>());
    }

    #[test]
    fn levenshtein_counts_edits() {
        assert_eq!(levenshtein("milly", "milley"), 1);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
    }
}
