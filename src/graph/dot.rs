//! Graphviz DOT output: shapes and colors per kind, a legend cluster, escaped labels.

use std::fmt::Write as _;

use super::escape::{dot, one_line, shorten};
use super::svg::colors;
use super::{NodeKind, RelationGraph};

const NODE_LABEL_MAX: usize = 40;

fn dot_shape(kind: NodeKind) -> (&'static str, &'static str) {
    match kind {
        NodeKind::Person => ("ellipse", "filled"),
        NodeKind::Organization => ("box", "rounded,filled"),
        NodeKind::Place => ("diamond", "filled"),
        NodeKind::Concept => ("hexagon", "filled"),
        NodeKind::Document => ("note", "filled"),
        NodeKind::Other => ("ellipse", "filled,dashed"),
    }
}

fn node_attrs(kind: NodeKind) -> String {
    let (shape, style) = dot_shape(kind);
    let (fill, stroke) = colors(kind);
    format!("shape={shape}, style=\"{style}\", fillcolor=\"{fill}\", color=\"{stroke}\"")
}

/// Renders the graph as a Graphviz `digraph`. Node ids are `n0`, `n1`, … in IRI order; labels
/// and tooltips are escaped, so no article text can end a string or add attributes.
pub fn to_dot(g: &RelationGraph) -> String {
    let (nodes, edges) = g.dense();
    let mut out = String::new();
    out.push_str("digraph newsgraph {\n");
    out.push_str(
        "  graph [overlap=false, splines=true, outputorder=edgesfirst, \
         fontname=\"Helvetica\", fontsize=11];\n  \
         node [fontname=\"Helvetica\", fontsize=11, fontcolor=\"#ffffff\", penwidth=1.5];\n  \
         edge [fontname=\"Helvetica\", fontsize=9, color=\"#8a8a8a\", fontcolor=\"#444444\", \
         arrowsize=0.7];\n",
    );

    out.push_str(
        "  subgraph cluster_legend {\n    label=\"Legend\"; style=dashed; color=\"#999999\";\n",
    );
    let present: Vec<NodeKind> = NodeKind::ALL
        .into_iter()
        .filter(|k| nodes.iter().any(|n| n.kind == *k))
        .collect();
    let legend = if present.is_empty() {
        NodeKind::ALL.to_vec()
    } else {
        present
    };
    for kind in &legend {
        let _ = writeln!(
            out,
            "    legend_{} [label=\"{}\", {}];",
            kind.name().to_lowercase(),
            kind.name(),
            node_attrs(*kind)
        );
    }
    for pair in legend.windows(2) {
        let _ = writeln!(
            out,
            "    legend_{} -> legend_{} [style=invis];",
            pair[0].name().to_lowercase(),
            pair[1].name().to_lowercase()
        );
    }
    out.push_str("  }\n");

    for (i, node) in nodes.iter().enumerate() {
        let focus = if g.is_focus(node) {
            ", penwidth=3.5, color=\"#d62728\""
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  n{i} [label=\"{}\", tooltip=\"{}\\n{}\\n{}\", {}{focus}];",
            dot(&shorten(&node.label, NODE_LABEL_MAX)),
            dot(&one_line(&node.label)),
            node.kind.name(),
            dot(&node.iri),
            node_attrs(node.kind)
        );
    }
    for (s, t, edge) in edges {
        let label = if edge.count > 1 {
            format!("{} ×{}", one_line(&edge.label), edge.count)
        } else {
            one_line(&edge.label)
        };
        let width = 1.0 + (edge.count as f64).ln() * 0.8;
        let _ = writeln!(
            out,
            "  n{s} -> n{t} [label=\"{}\", tooltip=\"{}\", penwidth={:.1}];",
            dot(&label),
            dot(&edge.predicate),
            width
        );
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::*;

    #[test]
    fn dot_has_nodes_edges_and_legend() {
        let g = RelationGraph::from_triples(sample());
        let d = to_dot(&g);
        assert!(d.starts_with("digraph newsgraph {\n") && d.ends_with("}\n"));
        assert!(d.contains("subgraph cluster_legend"));
        assert!(d.contains("legend_person [label=\"Person\", shape=ellipse"));
        assert!(d.contains("legend_organization [label=\"Organization\", shape=box"));
        assert_eq!(d.matches(" -> n").count(), 5);
        assert!(d.contains("[label=\"pardon\""));
        assert!(d.contains("[label=\"Mark Milley\""));
    }

    #[test]
    fn dot_labels_cannot_break_out_of_strings() {
        let mut t = sample();
        t.extend(typed(
            "person/evil",
            &person(),
            "x\", shape=none]; evil [label=\"<script>\\N & ]]>",
        ));
        let d = to_dot(&RelationGraph::from_triples(t));
        let line = d.lines().find(|l| l.contains("evil [")).unwrap();
        assert!(
            line.contains(r#"tooltip="x\", shape=none]; evil [label=\"<script>\\N & ]]>\nPerson"#)
        );
        // Outside strings only our own syntax remains: strip strings and look.
        let mut in_string = false;
        let mut escaped = false;
        let mut outside = String::new();
        for c in d.chars() {
            if in_string {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_string = false;
                }
            } else if c == '"' {
                in_string = true;
            } else {
                outside.push(c);
            }
        }
        assert!(!in_string);
        assert!(!outside.contains("evil"));
        assert!(!outside.contains("shape=none"));
    }

    #[test]
    fn dot_is_deterministic_under_permutation() {
        let t = sample();
        let mut r = t.clone();
        r.reverse();
        assert_eq!(
            to_dot(&RelationGraph::from_triples(t)),
            to_dot(&RelationGraph::from_triples(r))
        );
    }
}
