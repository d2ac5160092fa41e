//! Standalone SVG with its own deterministic layout (no Graphviz needed).
//!
//! Nodes are drawn as a symbol (shape and color by kind) with the label under it; edges are
//! straight (or curved when two nodes share several edges) with an arrowhead and the label
//! drawn along the edge, with a small arrow in the reading direction. Long labels are shortened
//! with an ellipsis; the full text is in a `<title>` tooltip. The HTML writer embeds this SVG
//! and relies on its `class` / `data-*` attributes.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::escape::{one_line, shorten, xml};
use super::layout::layout;
use super::{Edge, NodeKind, RelationGraph};

/// Half size of a node symbol.
const R: f64 = 10.0;
const NODE_FONT: f64 = 12.0;
const EDGE_FONT: f64 = 10.0;
/// Average glyph advance as a share of the font size (DejaVu Sans / Helvetica are ~0.55–0.6).
const CHAR_WIDTH: f64 = 0.58;
const NODE_LABEL_MAX: usize = 28;
const EDGE_LABEL_MAX: usize = 24;
const MARGIN: f64 = 24.0;
const LEGEND_HEIGHT: f64 = 36.0;
/// Distance between parallel edges of one node pair, at their middle.
const PARALLEL_SPACING: f64 = 26.0;
/// Predicates listed on one edge before the rest is summarized as "+N more".
const MAX_LABEL_LINES: usize = 4;
/// Bends tried (added to the base offset) when a straight edge would cross another node.
const ROUTE_STEPS: [f64; 9] = [0.0, 16.0, -16.0, 32.0, -32.0, 48.0, -48.0, 64.0, -64.0];
/// Candidate label positions along an edge (share of the way from source to target), in order
/// of preference.
const LABEL_POSITIONS: [f64; 9] = [0.5, 0.4, 0.6, 0.32, 0.68, 0.25, 0.75, 0.18, 0.82];
const EDGE_COLOR: &str = "#8a8a8a";
const FONT_FAMILY: &str = "DejaVu Sans, Verdana, Helvetica, Arial, sans-serif";

/// Fill and stroke color of a kind.
pub(crate) fn colors(kind: NodeKind) -> (&'static str, &'static str) {
    match kind {
        NodeKind::Person => ("#4e79a7", "#2c4a6e"),
        NodeKind::Organization => ("#f28e2b", "#a85a12"),
        NodeKind::Place => ("#59a14f", "#356b2f"),
        NodeKind::Concept => ("#b07aa1", "#7a4d6e"),
        NodeKind::Document => ("#9c755f", "#634633"),
        NodeKind::Other => ("#bab0ac", "#7f7672"),
    }
}

fn text_width(text: &str, font: f64) -> f64 {
    text.chars().count() as f64 * font * CHAR_WIDTH
}

fn num(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r == 0.0 {
        "0".to_owned()
    } else {
        format!("{r}")
    }
}

/// The symbol of a kind centred on (x, y), with the given fill, stroke and stroke width.
fn shape(kind: NodeKind, x: f64, y: f64, attrs: &str) -> String {
    let p = |pts: &[(f64, f64)]| {
        let list: Vec<String> = pts
            .iter()
            .map(|(dx, dy)| format!("{},{}", num(x + dx), num(y + dy)))
            .collect();
        format!("<polygon points=\"{}\" {attrs}/>", list.join(" "))
    };
    match kind {
        NodeKind::Person => format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" {attrs}/>",
            num(x),
            num(y),
            num(R)
        ),
        NodeKind::Organization => format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"2.5\" {attrs}/>",
            num(x - R * 0.9),
            num(y - R * 0.9),
            num(R * 1.8),
            num(R * 1.8)
        ),
        NodeKind::Place => p(&[
            (0.0, -R * 1.2),
            (R * 1.2, 0.0),
            (0.0, R * 1.2),
            (-R * 1.2, 0.0),
        ]),
        NodeKind::Concept => p(&[
            (R, 0.0),
            (R / 2.0, -R * 0.87),
            (-R / 2.0, -R * 0.87),
            (-R, 0.0),
            (-R / 2.0, R * 0.87),
            (R / 2.0, R * 0.87),
        ]),
        NodeKind::Document => p(&[
            (-R * 0.75, -R),
            (R * 0.35, -R),
            (R * 0.75, -R * 0.6),
            (R * 0.75, R),
            (-R * 0.75, R),
        ]),
        NodeKind::Other => format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" {attrs}/>",
            num(x),
            num(y),
            num(R * 0.6)
        ),
    }
}

/// Renders the graph as a standalone SVG document (no XML declaration, so it can be inlined).
pub fn to_svg(g: &RelationGraph) -> String {
    let (nodes, edges) = g.dense();

    // Label boxes: symbol on top, label below.
    let node_labels: Vec<String> = nodes
        .iter()
        .map(|n| shorten(&n.label, NODE_LABEL_MAX))
        .collect();
    let box_height = 2.0 * R + 6.0 + NODE_FONT + 4.0;
    let sizes: Vec<(f64, f64)> = node_labels
        .iter()
        .map(|l| {
            (
                (text_width(l, NODE_FONT) + 8.0).max(2.0 * R + 8.0),
                box_height,
            )
        })
        .collect();
    // An edge must be long enough for its label between the two nodes' boxes.
    let mut least: BTreeMap<(usize, usize), (f64, usize)> = BTreeMap::new();
    for &(s, t, edge) in &edges {
        let w = text_width(&shorten(&edge.label, EDGE_LABEL_MAX), EDGE_FONT) + 36.0;
        let entry = least.entry((s.min(t), s.max(t))).or_insert((0.0, 0));
        entry.0 = entry.0.max(w);
        entry.1 += 1;
    }
    let pairs: Vec<(usize, usize, f64)> = least
        .iter()
        .map(|(&(s, t), &(w, lines))| {
            let stacked = (lines.min(MAX_LABEL_LINES) as f64) * (EDGE_FONT + 2.0);
            let ends = 0.3 * (sizes[s].0 + sizes[t].0);
            (s, t, (w + ends).max(stacked * 3.0))
        })
        .collect();
    let lay = layout(&sizes, &pairs);

    // Legend: the kinds present (all of them for an empty graph).
    let mut kinds: Vec<NodeKind> = NodeKind::ALL
        .into_iter()
        .filter(|k| nodes.iter().any(|n| n.kind == *k))
        .collect();
    if kinds.is_empty() {
        kinds = NodeKind::ALL.to_vec();
    }
    let summary = format!(
        "{} node{} · {} edge{}",
        nodes.len(),
        if nodes.len() == 1 { "" } else { "s" },
        edges.len(),
        if edges.len() == 1 { "" } else { "s" }
    );
    let legend_width: f64 = kinds
        .iter()
        .map(|k| 2.0 * R + 10.0 + text_width(k.name(), NODE_FONT) + 18.0)
        .sum::<f64>()
        + text_width(&summary, NODE_FONT)
        + 16.0;

    let width = (lay.width + 2.0 * MARGIN).max(legend_width + 2.0 * MARGIN);
    let height = lay.height + 2.0 * MARGIN + LEGEND_HEIGHT;
    let (ox, oy) = (MARGIN, MARGIN + LEGEND_HEIGHT);
    // Symbol centre of each node.
    let centre: Vec<(f64, f64)> = lay
        .centers
        .iter()
        .map(|&(x, y)| (x + ox, y + oy - box_height / 2.0 + R + 3.0))
        .collect();

    let mut out = String::with_capacity(4096 + nodes.len() * 600 + edges.len() * 500);
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"newsgraph\" width=\"{w}\" \
         height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{FONT_FAMILY}\">",
        w = num(width),
        h = num(height)
    );
    let _ = write!(
        out,
        "<title>Relationship diagram: {}</title>\n\
         <defs><marker id=\"ng-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" \
         markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" orient=\"auto\">\
         <path d=\"M0,0L10,5L0,10z\" fill=\"{EDGE_COLOR}\"/></marker>\
         <marker id=\"ng-arrow-hi\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" \
         markerUnits=\"userSpaceOnUse\" markerWidth=\"10\" markerHeight=\"10\" orient=\"auto\">\
         <path d=\"M0,0L10,5L0,10z\" fill=\"#d62728\"/></marker></defs>\n\
         <rect class=\"background\" width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n",
        xml(&summary)
    );

    write_legend(&mut out, &kinds, &summary);

    // Edges with the same source and target are drawn as one path with one line of label per
    // predicate; the two directions of a pair bend to opposite sides.
    let mut bundles: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for (e, &(s, t, _)) in edges.iter().enumerate() {
        bundles.entry((s, t)).or_default().push(e);
    }
    let mut paths = String::new();
    let mut labels = String::new();
    let node_rects: Vec<Rect> = lay
        .centers
        .iter()
        .zip(&sizes)
        .map(|(&(x, y), &(w, h))| {
            let (x, y) = (x + ox, y + oy);
            (
                x - w / 2.0 + 2.0,
                y - h / 2.0 + 2.0,
                x + w / 2.0 - 2.0,
                y + h / 2.0 - 2.0,
            )
        })
        .collect();
    let mut placed: Vec<Rect> = Vec::new();
    // Self loops first: their label spot is fixed, the others avoid it.
    let order = bundles
        .iter()
        .filter(|((s, t), _)| s == t)
        .chain(bundles.iter().filter(|((s, t), _)| s != t));
    for (&(s, t), members) in order {
        let mut lines: Vec<(String, &Edge)> = members
            .iter()
            .map(|&e| {
                let edge = edges[e].2;
                let text = shorten(&edge.label, EDGE_LABEL_MAX);
                let text = if edge.count > 1 {
                    format!("{text} ×{}", edge.count)
                } else {
                    text
                };
                (text, edge)
            })
            .collect();
        lines.sort_by(|a, b| (&a.0, &a.1.predicate).cmp(&(&b.0, &b.1.predicate)));
        let tooltip: Vec<String> = lines
            .iter()
            .map(|(_, edge)| {
                format!(
                    "{} — {} → {}{}\n  {}",
                    one_line(&nodes[s].label),
                    one_line(&edge.label),
                    one_line(&nodes[t].label),
                    if edge.count > 1 {
                        format!(" (asserted {} times)", edge.count)
                    } else {
                        String::new()
                    },
                    edge.predicate
                )
            })
            .collect();
        let mut shown: Vec<String> = lines.iter().map(|(text, _)| text.clone()).collect();
        if shown.len() > MAX_LABEL_LINES {
            let more = shown.len() - (MAX_LABEL_LINES - 1);
            shown.truncate(MAX_LABEL_LINES - 1);
            shown.push(format!("+{more} more"));
        }
        let total: usize = lines.iter().map(|(_, e)| e.count).sum();
        let stroke_width = 1.2 + (total as f64).ln() * 0.8;

        let (p, q) = (centre[s], centre[t]);
        let (d, control, angle) = if s == t {
            let lift = R + 26.0;
            let d = format!(
                "M{},{} C{},{} {},{} {},{}",
                num(p.0 - 5.0),
                num(p.1 - R + 1.0),
                num(p.0 - 28.0),
                num(p.1 - lift - 8.0),
                num(p.0 + 28.0),
                num(p.1 - lift - 8.0),
                num(p.0 + 5.0),
                num(p.1 - R - 1.0)
            );
            (d, (p.0, p.1 - lift - 6.0), 0.0)
        } else {
            let base = if bundles.contains_key(&(t, s)) {
                PARALLEL_SPACING
            } else {
                0.0
            };
            edge_geometry(p, q, route(p, q, base, s, t, &node_rects))
        };
        // Labels read left to right; a small arrow on each line gives the direction.
        let mut deg = angle.to_degrees();
        let forward = (-90.0..=90.0).contains(&deg);
        if !forward {
            deg += if deg > 0.0 { -180.0 } else { 180.0 };
        }
        let shown: Vec<String> = shown
            .into_iter()
            .map(|l| {
                if s == t {
                    l
                } else if forward {
                    format!("{l} ▸")
                } else {
                    format!("◂ {l}")
                }
            })
            .collect();
        let _ = writeln!(
            paths,
            "<g class=\"edge\" data-s=\"{s}\" data-t=\"{t}\"><title>{}</title>\
             <path d=\"{d}\" fill=\"none\" stroke=\"{EDGE_COLOR}\" stroke-width=\"{}\" \
             marker-end=\"url(#ng-arrow)\"/></g>",
            xml(&tooltip.join("\n")),
            num(stroke_width)
        );
        let line_height = EDGE_FONT + 2.0;
        let w = shown
            .iter()
            .map(|l| text_width(l, EDGE_FONT))
            .fold(0.0, f64::max)
            + 6.0;
        let h = line_height * shown.len() as f64 + 2.0;
        let (lx, ly) = if s == t {
            placed.push((
                control.0 - w / 2.0,
                control.1 - h / 2.0,
                control.0 + w / 2.0,
                control.1 + h / 2.0,
            ));
            control
        } else {
            place_label(
                p,
                control,
                q,
                (w, h),
                deg.to_radians(),
                &node_rects,
                &mut placed,
            )
        };
        let _ = write!(
            labels,
            "<g class=\"elabel\" data-s=\"{s}\" data-t=\"{t}\" transform=\"rotate({a} {x} {y})\">\
             <title>{}</title>\
             <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"#ffffff\" fill-opacity=\"0.85\"/><text>",
            xml(&tooltip.join("\n")),
            num(lx - w / 2.0),
            num(ly - h / 2.0),
            num(w),
            num(h),
            a = num(deg),
            x = num(lx),
            y = num(ly),
        );
        for (i, line) in shown.iter().enumerate() {
            let _ = write!(
                labels,
                "<tspan x=\"{}\" y=\"{}\">{}</tspan>",
                num(lx),
                num(ly - h / 2.0 + 1.0 + line_height * (i as f64 + 0.5) + EDGE_FONT * 0.35),
                xml(line)
            );
        }
        labels.push_str("</text></g>\n");
    }
    out.push_str("<g class=\"edges\">\n");
    out.push_str(&paths);
    out.push_str("</g>\n");
    let _ = writeln!(
        out,
        "<g class=\"elabels\" font-size=\"{}\" fill=\"#444\" text-anchor=\"middle\">",
        num(EDGE_FONT)
    );
    out.push_str(&labels);
    out.push_str("</g>\n");

    let _ = writeln!(
        out,
        "<g class=\"nodes\" font-size=\"{}\" text-anchor=\"middle\">",
        num(NODE_FONT)
    );
    for (i, node) in nodes.iter().enumerate() {
        let (x, y) = centre[i];
        let (fill, stroke) = colors(node.kind);
        let focused = g.is_focus(node);
        let attrs = if focused {
            format!("fill=\"{fill}\" stroke=\"#d62728\" stroke-width=\"3.5\"")
        } else {
            format!("fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"")
        };
        let tooltip = format!(
            "{}\n{}\n{}",
            one_line(&node.label),
            node.kind.name(),
            node.iri
        );
        let _ = writeln!(
            out,
            "<g class=\"node{}\" data-n=\"{i}\" data-label=\"{}\"><title>{}</title>{}\
             <text x=\"{}\" y=\"{}\"{} fill=\"#1a1a1a\" stroke=\"#fff\" stroke-width=\"3.5\" \
             stroke-linejoin=\"round\" paint-order=\"stroke\">{}</text></g>",
            if focused { " focus" } else { "" },
            xml(&one_line(&node.label)),
            xml(&tooltip),
            shape(node.kind, x, y, &attrs),
            num(x),
            num(y + R + NODE_FONT + 2.0),
            if focused { " font-weight=\"bold\"" } else { "" },
            xml(&node_labels[i])
        );
    }
    out.push_str("</g>\n</svg>\n");
    out
}

/// Path data, label anchor and label angle (radians) for an edge from `p` to `q`, bent left by
/// `offset` (perpendicular distance at the middle), so the two directions of one pair part.
fn edge_geometry(p: (f64, f64), q: (f64, f64), offset: f64) -> (String, (f64, f64), f64) {
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let len = (dx * dx + dy * dy).sqrt().max(1e-6);
    let (ux, uy) = (dx / len, dy / len);
    // Left normal of this direction: the reverse edge of the pair bends the other way.
    let (nx, ny) = (-uy, ux);
    let mid = ((p.0 + q.0) / 2.0, (p.1 + q.1) / 2.0);
    let angle = dy.atan2(dx);
    // Symbols are about R across; leave a little air, more at the arrow end.
    let (start_gap, end_gap) = (R + 2.0, R + 3.0);
    if offset == 0.0 || len < 1e-3 {
        let a = (p.0 + ux * start_gap, p.1 + uy * start_gap);
        let b = (q.0 - ux * end_gap, q.1 - uy * end_gap);
        let d = format!("M{},{} L{},{}", num(a.0), num(a.1), num(b.0), num(b.1));
        return (d, mid, angle);
    }
    let c = (mid.0 + nx * offset * 2.0, mid.1 + ny * offset * 2.0);
    let toward = |from: (f64, f64), to: (f64, f64), gap: f64| {
        let (vx, vy) = (to.0 - from.0, to.1 - from.1);
        let l = (vx * vx + vy * vy).sqrt().max(1e-6);
        (from.0 + vx / l * gap, from.1 + vy / l * gap)
    };
    let a = toward(p, c, start_gap);
    let b = toward(q, c, end_gap);
    let d = format!(
        "M{},{} Q{},{} {},{}",
        num(a.0),
        num(a.1),
        num(c.0),
        num(c.1),
        num(b.0),
        num(b.1)
    );
    (d, c, angle)
}

/// The bend (left offset at the middle) closest to `base` that keeps the edge p → q out of the
/// boxes of nodes other than its ends; the one touching the fewest boxes if none is clear.
fn route(p: (f64, f64), q: (f64, f64), base: f64, s: usize, t: usize, nodes: &[Rect]) -> f64 {
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let len = (dx * dx + dy * dy).sqrt();
    if len < 1e-3 {
        return base;
    }
    let (nx, ny) = (-dy / len, dx / len);
    let reach = ROUTE_STEPS.last().copied().unwrap_or(0.0).abs() * 2.0 + base.abs() * 2.0;
    let hull = (
        p.0.min(q.0) - reach,
        p.1.min(q.1) - reach,
        p.0.max(q.0) + reach,
        p.1.max(q.1) + reach,
    );
    let near: Vec<Rect> = nodes
        .iter()
        .enumerate()
        .filter(|&(i, &r)| i != s && i != t && overlap_area(hull, r) > 0.0)
        .map(|(_, &r)| r)
        .collect();
    if near.is_empty() {
        return base;
    }
    let mut best = (usize::MAX, base);
    for step in ROUTE_STEPS {
        let offset = base + step;
        let c = (
            (p.0 + q.0) / 2.0 + nx * offset * 2.0,
            (p.1 + q.1) / 2.0 + ny * offset * 2.0,
        );
        let hits = near
            .iter()
            .filter(|r| {
                (1..16).any(|k| {
                    let t = k as f64 / 16.0;
                    let u = 1.0 - t;
                    let x = u * u * p.0 + 2.0 * u * t * c.0 + t * t * q.0;
                    let y = u * u * p.1 + 2.0 * u * t * c.1 + t * t * q.1;
                    x > r.0 && x < r.2 && y > r.1 && y < r.3
                })
            })
            .count();
        if hits < best.0 {
            best = (hits, offset);
        }
        if hits == 0 {
            break;
        }
    }
    best.1
}

/// Axis-aligned rectangle (x0, y0, x1, y1).
type Rect = (f64, f64, f64, f64);

fn overlap_area(a: Rect, b: Rect) -> f64 {
    let w = a.2.min(b.2) - a.0.max(b.0);
    let h = a.3.min(b.3) - a.1.max(b.1);
    if w > 0.0 && h > 0.0 {
        w * h
    } else {
        0.0
    }
}

/// Where along the edge p → q (quadratic with control c) to put a w × h label rotated by
/// `angle`: the first of a few positions around the middle that covers the least of the node
/// boxes and of the labels placed so far. Returns the centre and records the label's box.
#[allow(clippy::too_many_arguments)]
fn place_label(
    p: (f64, f64),
    c: (f64, f64),
    q: (f64, f64),
    (w, h): (f64, f64),
    angle: f64,
    nodes: &[Rect],
    placed: &mut Vec<Rect>,
) -> (f64, f64) {
    let (sin, cos) = angle.sin_cos();
    let ex = cos.abs() * w / 2.0 + sin.abs() * h / 2.0;
    let ey = sin.abs() * w / 2.0 + cos.abs() * h / 2.0;
    let mut best: Option<(f64, (f64, f64), Rect)> = None;
    for t in LABEL_POSITIONS {
        let u = 1.0 - t;
        let x = u * u * p.0 + 2.0 * u * t * c.0 + t * t * q.0;
        let y = u * u * p.1 + 2.0 * u * t * c.1 + t * t * q.1;
        let rect = (x - ex, y - ey, x + ex, y + ey);
        let cost: f64 = nodes
            .iter()
            .chain(placed.iter())
            .map(|&r| overlap_area(rect, r))
            .sum();
        if best.as_ref().is_none_or(|b| cost < b.0 - 1e-9) {
            best = Some((cost, (x, y), rect));
        }
        if cost == 0.0 {
            break;
        }
    }
    let (_, centre, rect) = best.unwrap_or((0.0, p, (p.0, p.1, p.0, p.1)));
    placed.push(rect);
    centre
}

fn write_legend(out: &mut String, kinds: &[NodeKind], summary: &str) {
    let _ = writeln!(
        out,
        "<g class=\"legend\" font-size=\"{}\" fill=\"#333\">",
        num(NODE_FONT)
    );
    let y = MARGIN + R;
    let mut x = MARGIN + R;
    for &kind in kinds {
        let (fill, stroke) = colors(kind);
        out.push_str(&shape(
            kind,
            x,
            y,
            &format!("fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\""),
        ));
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            num(x + R + 6.0),
            num(y + 4.0),
            kind.name()
        );
        x += 2.0 * R + 10.0 + text_width(kind.name(), NODE_FONT) + 18.0;
    }
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" fill=\"#777\">{}</text>\n</g>",
        num(x - R),
        num(y + 4.0),
        xml(summary)
    );
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::*;
    use crate::vocab::{self, iri};
    use oxigraph::model::{Literal, Triple};

    fn view_box(svg: &str) -> (f64, f64) {
        let start = svg.find("viewBox=\"0 0 ").unwrap() + "viewBox=\"0 0 ".len();
        let rest = &svg[start..];
        let end = rest.find('"').unwrap();
        let mut it = rest[..end].split(' ').map(|v| v.parse::<f64>().unwrap());
        (it.next().unwrap(), it.next().unwrap())
    }

    /// All numbers in attributes x, y, cx, cy, points, d.
    fn coordinates(svg: &str) -> Vec<(f64, f64)> {
        let mut out = Vec::new();
        for attr in [" cx=\"", " x=\"", " points=\"", " d=\""] {
            let mut rest = svg;
            while let Some(i) = rest.find(attr) {
                rest = &rest[i + attr.len()..];
                let end = rest.find('"').unwrap();
                let value = &rest[..end];
                if attr == " cx=\"" || attr == " x=\"" {
                    let x: f64 = value.parse().unwrap();
                    let tail = &rest[end..];
                    let key = if attr == " cx=\"" { " cy=\"" } else { " y=\"" };
                    let j = tail.find(key).unwrap() + key.len();
                    let y: f64 = tail[j..j + tail[j..].find('"').unwrap()].parse().unwrap();
                    out.push((x, y));
                } else {
                    let nums: Vec<f64> = value
                        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
                        .filter(|s| !s.is_empty())
                        .map(|s| s.parse().unwrap())
                        .collect();
                    out.extend(nums.chunks(2).map(|c| (c[0], c[1])));
                }
            }
        }
        out
    }

    #[test]
    fn every_coordinate_is_finite_and_inside_the_view_box() {
        let svg = to_svg(&RelationGraph::from_triples(big_sample()));
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
        let (w, h) = view_box(&svg);
        let coords = coordinates(&svg);
        assert!(coords.len() > 200);
        for (x, y) in coords {
            assert!((0.0..=w).contains(&x) && (0.0..=h).contains(&y), "{x},{y}");
        }
    }

    #[test]
    fn same_triples_in_any_order_give_the_same_bytes() {
        let triples = big_sample();
        let a = to_svg(&RelationGraph::from_triples(triples.clone()));
        let mut shuffled = triples.clone();
        // A deterministic permutation.
        let n = shuffled.len();
        for i in 0..n {
            shuffled.swap(i, (i * 7919 + 13) % n);
        }
        let b = to_svg(&RelationGraph::from_triples(shuffled));
        assert_eq!(a, b);
    }

    #[test]
    fn labels_are_escaped_and_shortened_with_full_tooltip() {
        let mut t = sample();
        let evil = "<script>alert('x & \"y\"')</script> ]]> and a very long tail of words";
        t.extend(typed("person/evil", &person(), evil));
        t.push(fact("person/evil", "pardon", "person/mark-milley"));
        let svg = to_svg(&RelationGraph::from_triples(t));
        assert!(!svg.contains("<script"));
        assert!(!svg.contains("]]>"));
        assert!(!svg.contains("'x"));
        assert!(svg.contains("&lt;script&gt;alert(&#39;x &amp; &quot;y&quot;&#39;)&lt;/s…</text>"));
        // Full label in the node tooltip.
        assert!(svg.contains("&lt;/script&gt; ]]&gt; and a very long tail of words\nPerson"));
    }

    #[test]
    fn kinds_have_distinct_shapes_and_the_legend_lists_them() {
        let svg = to_svg(&RelationGraph::from_triples(sample()));
        let legend = &svg[svg.find("class=\"legend\"").unwrap()..];
        let legend = &legend[..legend.find("</g>").unwrap()];
        for name in ["Person", "Organization", "Place", "Concept"] {
            assert!(legend.contains(&format!(">{name}</text>")), "{name}");
        }
        assert!(!legend.contains(">Document<"));
        assert!(legend.contains("7 nodes · 5 edges"));
        for el in ["<circle", "<rect x", "<polygon"] {
            assert!(svg.contains(el));
        }
        assert_eq!(svg.matches("class=\"edge\"").count(), 5);
        assert_eq!(svg.matches("marker-end=\"url(#ng-arrow)\"").count(), 5);
    }

    #[test]
    fn merged_edges_show_their_count_and_focus_is_marked() {
        let mut t = sample();
        t.push(fact("person/joe-biden", "pardon", "person/mark-milley"));
        let g = RelationGraph::from_triples(t);
        let svg = to_svg(&g);
        assert!(svg.contains("pardon ×2"));
        let f = to_svg(&g.focus("Biden", 1).unwrap());
        assert_eq!(f.matches("class=\"node focus\"").count(), 1);
    }

    #[test]
    fn empty_graph_renders() {
        let svg = to_svg(&RelationGraph::default());
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
        assert!(svg.contains("0 nodes · 0 edges"));
    }

    /// 70 nodes: people, organizations, places, concepts with holders, a self loop, parallel
    /// edges in both directions and isolated entities.
    pub(crate) fn big_sample() -> Vec<Triple> {
        let mut t = sample();
        let kinds = [
            ("person", iri(vocab::SCHEMA, "Person")),
            ("organization", iri(vocab::SCHEMA, "Organization")),
            ("place", iri(vocab::SCHEMA, "Place")),
            ("concept", iri(vocab::NG, "Concept")),
        ];
        for i in 0..64 {
            let (prefix, class) = &kinds[i % 4];
            t.extend(typed(
                &format!("{prefix}/e{i}"),
                class,
                &format!("Entity number {i} with a name"),
            ));
        }
        for i in 0..64 {
            let (a, b) = (i, (i * 5 + 3) % 64);
            if i % 9 != 0 {
                t.push(fact(
                    &format!("{}/e{a}", kinds[a % 4].0),
                    "meet_with",
                    &format!("{}/e{b}", kinds[b % 4].0),
                ));
            }
        }
        t.push(fact("person/e0", "praise", "person/e0"));
        t.push(fact("person/mark-milley", "thank", "person/joe-biden"));
        t.push(Triple::new(
            nn(&format!("{}meet_with", vocab::REL)),
            nn(&iri(vocab::RDFS, "label")),
            Literal::new_simple_literal("met with"),
        ));
        t
    }
}
