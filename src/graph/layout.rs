//! Deterministic layout for the SVG writer, no randomness anywhere:
//!
//! 1. connected components are laid out separately;
//! 2. initial positions: breadth-first order from the best-connected node, along a sunflower
//!    (golden-angle) spiral, so neighbours start near each other;
//! 3. stress majorization (SMACOF) toward weighted shortest-path distances, where an edge is as
//!    long as the largest of: the ideal length, `HUB_SPACING` × the degree of its busier end (so
//!    a hub's neighbours fit around it) and what its label needs (given by the caller).
//!    Components above `STRESS_MAX_NODES` use Fruchterman–Reingold with hub mass instead;
//! 4. label-box overlap removal alternating with moving nodes off edges that cross their box;
//! 5. shelf packing: components biggest first, isolated nodes in one grid block.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, VecDeque};

/// Force-directed iterations for components up to `FULL_ITERATION_NODES` nodes; bigger ones
/// get proportionally fewer (the pass is quadratic) but never fewer than `MIN_ITERATIONS`.
const ITERATIONS: usize = 500;
const MIN_ITERATIONS: usize = 60;
const FULL_ITERATION_NODES: usize = 300;
/// Ideal edge length = `IDEAL_BASE` + `IDEAL_WIDTH_SHARE` × the component's mean box width.
const IDEAL_BASE: f64 = 50.0;
const IDEAL_WIDTH_SHARE: f64 = 0.45;
/// Pull toward the component's centroid, as a share of the distance, per iteration.
const GRAVITY: f64 = 0.04;
/// Repulsion between two nodes is scaled by ((1 + degree_a)(1 + degree_b))^this.
const HUB_MASS_EXPONENT: f64 = 0.5;
/// Components up to this size use stress majorization (quadratic memory); bigger ones use
/// Fruchterman–Reingold.
const STRESS_MAX_NODES: usize = 1200;
const STRESS_ITERATIONS: usize = 200;
/// In stress majorization an edge at a node of degree d is at least `HUB_SPACING` × d long.
const HUB_SPACING: f64 = 20.0;
/// Space kept between two label boxes, and between packed components.
const BOX_PADDING: f64 = 10.0;
const COMPONENT_GAP: f64 = 40.0;
const OVERLAP_PASSES: usize = 400;
/// Rounds of (overlap removal, moving nodes off foreign edges), and the air kept between an
/// edge and a label box it passes.
const CLEARANCE_ROUNDS: usize = 4;
const EDGE_CLEARANCE: f64 = 4.0;

/// A laid-out block: its members, their centers from its top-left corner, its width and height.
type Block = (Vec<usize>, Vec<(f64, f64)>, f64, f64);

/// Box centers, in the order of the input sizes, inside `[0, width] × [0, height]`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Layout {
    pub centers: Vec<(f64, f64)>,
    pub width: f64,
    pub height: f64,
}

/// Lays out boxes of the given (width, height) joined by the given undirected edges, each
/// with the least length its label needs.
pub(crate) fn layout(sizes: &[(f64, f64)], edges: &[(usize, usize, f64)]) -> Layout {
    let n = sizes.len();
    let mut adjacency: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
    let mut lengths: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for &(a, b, len) in edges {
        if a != b && a < n && b < n {
            adjacency[a].insert(b);
            adjacency[b].insert(a);
            let l = lengths.entry((a.min(b), a.max(b))).or_insert(0.0);
            *l = l.max(if len.is_finite() { len } else { 0.0 });
        }
    }

    let mut seen = vec![false; n];
    let mut components: Vec<Vec<usize>> = Vec::new();
    for start in 0..n {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        let mut members = vec![start];
        let mut queue = VecDeque::from([start]);
        while let Some(v) = queue.pop_front() {
            for &w in &adjacency[v] {
                if !seen[w] {
                    seen[w] = true;
                    members.push(w);
                    queue.push_back(w);
                }
            }
        }
        members.sort_unstable();
        components.push(members);
    }

    // Isolated nodes go into one grid block, packed after the connected components.
    let (singles, components): (Vec<Vec<usize>>, Vec<Vec<usize>>) =
        components.into_iter().partition(|c| c.len() == 1);
    let singles: Vec<usize> = singles.into_iter().flatten().collect();

    // Lay out each component with its own origin at (0, 0) top-left.
    let mut placed: Vec<Block> = components
        .into_iter()
        .map(|members| {
            let centers = layout_component(&members, sizes, &adjacency, &lengths);
            let (w, h, centers) = normalize(&members, centers, sizes);
            (members, centers, w, h)
        })
        .collect();

    // Big components first, then by first member (stable, deterministic).
    placed.sort_by(|a, b| {
        (b.0.len(), b.3.round() as i64, a.0[0]).cmp(&(a.0.len(), a.3.round() as i64, b.0[0]))
    });
    if !singles.is_empty() {
        let cell_w = singles.iter().map(|&i| sizes[i].0).fold(0.0, f64::max) + BOX_PADDING;
        let cell_h = singles.iter().map(|&i| sizes[i].1).fold(0.0, f64::max) + BOX_PADDING;
        let tallest = placed.iter().map(|p| p.3).fold(0.0, f64::max);
        let rows = if tallest > 0.0 {
            ((tallest / cell_h).floor() as usize).max(1)
        } else {
            (singles.len() as f64).sqrt().ceil() as usize
        };
        let cols = singles.len().div_ceil(rows);
        let rows = singles.len().div_ceil(cols);
        let centers = (0..singles.len())
            .map(|k| {
                let (r, c) = (k % rows, k / rows);
                (
                    c as f64 * cell_w + cell_w / 2.0,
                    r as f64 * cell_h + cell_h / 2.0,
                )
            })
            .collect();
        let (w, h, centers) = normalize(&singles, centers, sizes);
        placed.push((singles, centers, w, h));
    }
    let total_area: f64 = placed
        .iter()
        .map(|p| (p.2 + COMPONENT_GAP) * (p.3 + COMPONENT_GAP))
        .sum();
    let widest = placed.iter().map(|p| p.2).fold(0.0, f64::max);
    let row_width = widest.max(total_area.sqrt() * 1.3);

    let mut centers = vec![(0.0, 0.0); n];
    let (mut x, mut y, mut row_height, mut width) = (0.0_f64, 0.0_f64, 0.0_f64, 0.0_f64);
    for (members, local, w, h) in &placed {
        if x > 0.0 && x + w > row_width {
            x = 0.0;
            y += row_height + COMPONENT_GAP;
            row_height = 0.0;
        }
        for (&m, &(cx, cy)) in members.iter().zip(local) {
            centers[m] = (cx + x, cy + y);
        }
        width = width.max(x + w);
        row_height = row_height.max(*h);
        x += w + COMPONENT_GAP;
    }
    Layout {
        centers,
        width,
        height: if n == 0 { 0.0 } else { y + row_height },
    }
}

/// Translates a component so its boxes start at (0, 0); returns its width, height and centers.
fn normalize(
    members: &[usize],
    centers: Vec<(f64, f64)>,
    sizes: &[(f64, f64)],
) -> (f64, f64, Vec<(f64, f64)>) {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (&m, &(x, y)) in members.iter().zip(&centers) {
        let (w, h) = sizes[m];
        x0 = x0.min(x - w / 2.0);
        y0 = y0.min(y - h / 2.0);
        x1 = x1.max(x + w / 2.0);
        y1 = y1.max(y + h / 2.0);
    }
    let centers = centers.into_iter().map(|(x, y)| (x - x0, y - y0)).collect();
    (x1 - x0, y1 - y0, centers)
}

/// Fruchterman–Reingold on one component, then overlap removal. Returns centers in member order.
fn layout_component(
    members: &[usize],
    sizes: &[(f64, f64)],
    adjacency: &[BTreeSet<usize>],
    lengths: &BTreeMap<(usize, usize), f64>,
) -> Vec<(f64, f64)> {
    let m = members.len();
    if m == 1 {
        return vec![(0.0, 0.0)];
    }
    let local = |global: usize| members.binary_search(&global).ok();
    let mut edges: Vec<(usize, usize, f64)> = Vec::new();
    for (i, &g) in members.iter().enumerate() {
        for &h in &adjacency[g] {
            if let Some(j) = local(h) {
                if i < j {
                    edges.push((
                        i,
                        j,
                        lengths.get(&(g.min(h), g.max(h))).copied().unwrap_or(0.0),
                    ));
                }
            }
        }
    }
    let mean_width = members.iter().map(|&g| sizes[g].0).sum::<f64>() / m as f64;
    let k = IDEAL_BASE + IDEAL_WIDTH_SHARE * mean_width;

    // Initial positions: breadth-first from the best-connected node, along a sunflower spiral,
    // so neighbours start near each other.
    let degree = |i: usize| adjacency[members[i]].len();
    let root = (0..m).max_by_key(|&i| (degree(i), Reverse(i))).unwrap_or(0);
    let mut order = Vec::with_capacity(m);
    let mut seen = vec![false; m];
    seen[root] = true;
    let mut queue = VecDeque::from([root]);
    while let Some(i) = queue.pop_front() {
        order.push(i);
        for &h in &adjacency[members[i]] {
            if let Some(j) = local(h) {
                if !seen[j] {
                    seen[j] = true;
                    queue.push_back(j);
                }
            }
        }
    }
    let mut pos = vec![(0.0, 0.0); m];
    const GOLDEN_ANGLE: f64 = 2.399_963_229_728_653;
    for (rank, &i) in order.iter().enumerate() {
        let r = k * 0.6 * (rank as f64).sqrt();
        let a = rank as f64 * GOLDEN_ANGLE;
        pos[i] = (r * a.cos(), r * a.sin());
    }

    let degrees: Vec<usize> = (0..m).map(degree).collect();
    if m <= STRESS_MAX_NODES {
        stress_majorization(&mut pos, &edges, &degrees, k);
    } else {
        fruchterman_reingold(&mut pos, &edges, &degrees, k);
    }

    let boxes: Vec<(f64, f64)> = members.iter().map(|&g| sizes[g]).collect();
    for _ in 0..CLEARANCE_ROUNDS {
        remove_overlaps(&mut pos, &boxes);
        if !clear_edges(&mut pos, &boxes, &edges) {
            break;
        }
    }
    remove_overlaps(&mut pos, &boxes);
    pos
}

/// Moves nodes off edges that run through their label box (edges they are not an end of).
/// Returns whether anything moved.
fn clear_edges(
    pos: &mut [(f64, f64)],
    boxes: &[(f64, f64)],
    edges: &[(usize, usize, f64)],
) -> bool {
    let mut moved = false;
    for v in 0..pos.len() {
        let (w, h) = boxes[v];
        for &(a, b, _) in edges {
            if a == v || b == v {
                continue;
            }
            let (pa, pb, pv) = (pos[a], pos[b], pos[v]);
            let (dx, dy) = (pb.0 - pa.0, pb.1 - pa.1);
            let len2 = dx * dx + dy * dy;
            if len2 < 1e-6 {
                continue;
            }
            let t = ((pv.0 - pa.0) * dx + (pv.1 - pa.1) * dy) / len2;
            if !(0.0..=1.0).contains(&t) {
                continue;
            }
            let len = len2.sqrt();
            let (nx, ny) = (-dy / len, dx / len);
            let side = (pv.0 - pa.0) * nx + (pv.1 - pa.1) * ny;
            // Half extent of the box along the normal, plus air.
            let reach = nx.abs() * w / 2.0 + ny.abs() * h / 2.0 + EDGE_CLEARANCE;
            if side.abs() >= reach - 0.5 {
                continue;
            }
            let push = (reach - side.abs()).min(reach);
            let sign = if side > 0.0 || (side == 0.0 && v % 2 == 0) {
                1.0
            } else {
                -1.0
            };
            pos[v].0 += sign * nx * push;
            pos[v].1 += sign * ny * push;
            moved = true;
        }
    }
    moved
}

/// Fruchterman–Reingold with hub mass, centroid gravity and a cooling step limit; used for
/// components too big for stress majorization's quadratic memory.
fn fruchterman_reingold(
    pos: &mut [(f64, f64)],
    edges: &[(usize, usize, f64)],
    degrees: &[usize],
    k: f64,
) {
    let m = pos.len();
    let iterations = if m <= FULL_ITERATION_NODES {
        ITERATIONS
    } else {
        (ITERATIONS * FULL_ITERATION_NODES / m).max(MIN_ITERATIONS)
    };
    // Hubs push harder (ForceAtlas2-style mass), so their many neighbours get room.
    let mass: Vec<f64> = (0..m)
        .map(|i| (1.0 + degrees[i] as f64).powf(HUB_MASS_EXPONENT))
        .collect();
    let start_temperature = k * (m as f64).sqrt() * 0.3;
    let mut disp = vec![(0.0, 0.0); m];
    for it in 0..iterations {
        disp.iter_mut().for_each(|d| *d = (0.0, 0.0));
        for i in 0..m {
            for j in i + 1..m {
                let (dx, dy, dist) = separation(pos[i], pos[j], i, j);
                let f = k * k * mass[i] * mass[j] / dist;
                disp[i].0 += dx / dist * f;
                disp[i].1 += dy / dist * f;
                disp[j].0 -= dx / dist * f;
                disp[j].1 -= dy / dist * f;
            }
        }
        for &(i, j, _) in edges {
            let (dx, dy, dist) = separation(pos[i], pos[j], i, j);
            let f = dist * dist / k;
            disp[i].0 -= dx / dist * f;
            disp[i].1 -= dy / dist * f;
            disp[j].0 += dx / dist * f;
            disp[j].1 += dy / dist * f;
        }
        let (cx, cy) = centroid(pos);
        let progress = it as f64 / iterations as f64;
        let temperature = start_temperature * (1.0 - progress).powi(2) + 0.5;
        for i in 0..m {
            let (mut dx, mut dy) = disp[i];
            dx -= GRAVITY * (pos[i].0 - cx) * k / 10.0;
            dy -= GRAVITY * (pos[i].1 - cy) * k / 10.0;
            let len = (dx * dx + dy * dy).sqrt();
            if len > 1e-9 && len.is_finite() {
                let step = len.min(temperature);
                pos[i].0 += dx / len * step;
                pos[i].1 += dy / len * step;
            }
        }
    }
}

/// Stress majorization (SMACOF, in-place updates in index order): every pair of nodes is pulled
/// toward its target distance, the weighted shortest-path length, with weight 1/d². An edge
/// is `k` long, longer at hubs so their neighbours fit around them.
fn stress_majorization(
    pos: &mut [(f64, f64)],
    edges: &[(usize, usize, f64)],
    degrees: &[usize],
    k: f64,
) {
    let m = pos.len();
    let mut adjacency: Vec<Vec<(usize, f64)>> = vec![Vec::new(); m];
    for &(a, b, least) in edges {
        let hub = degrees[a].max(degrees[b]) as f64;
        let len = k.max(HUB_SPACING * hub).max(least);
        adjacency[a].push((b, len));
        adjacency[b].push((a, len));
    }
    // All-pairs shortest paths: Dijkstra from every node (the component is connected).
    // Lengths are positive, so their bit patterns order like the numbers.
    let mut dist = vec![f64::INFINITY; m * m];
    let mut heap = BinaryHeap::new();
    for source in 0..m {
        let row = &mut dist[source * m..(source + 1) * m];
        row[source] = 0.0;
        heap.push(Reverse((0u64, source)));
        while let Some(Reverse((bits, u))) = heap.pop() {
            let du = f64::from_bits(bits);
            if du > row[u] {
                continue;
            }
            for &(v, len) in &adjacency[u] {
                let dv = du + len;
                if dv < row[v] {
                    row[v] = dv;
                    heap.push(Reverse((dv.to_bits(), v)));
                }
            }
        }
    }
    let iterations = if m <= FULL_ITERATION_NODES {
        STRESS_ITERATIONS
    } else {
        (STRESS_ITERATIONS * FULL_ITERATION_NODES / m).max(MIN_ITERATIONS)
    };
    for _ in 0..iterations {
        for i in 0..m {
            let (mut sx, mut sy, mut sw) = (0.0, 0.0, 0.0);
            for j in 0..m {
                let d = dist[i * m + j];
                if j == i || !d.is_finite() || d <= 0.0 {
                    continue;
                }
                let w = 1.0 / (d * d);
                let (dx, dy, len) = separation(pos[i], pos[j], i, j);
                sx += w * (pos[j].0 + d * dx / len);
                sy += w * (pos[j].1 + d * dy / len);
                sw += w;
            }
            if sw > 0.0 {
                pos[i] = (sx / sw, sy / sw);
            }
        }
    }
}

/// Vector from b to a and its length, never zero (coincident points get a fixed direction).
fn separation(a: (f64, f64), b: (f64, f64), i: usize, j: usize) -> (f64, f64, f64) {
    let (dx, dy) = (a.0 - b.0, a.1 - b.1);
    let dist = (dx * dx + dy * dy).sqrt();
    if dist > 0.01 {
        (dx, dy, dist)
    } else {
        let angle = (i * 7 + j * 13) as f64;
        (0.01 * angle.cos(), 0.01 * angle.sin(), 0.01)
    }
}

fn centroid(pos: &[(f64, f64)]) -> (f64, f64) {
    let n = pos.len().max(1) as f64;
    let (sx, sy) = pos
        .iter()
        .fold((0.0, 0.0), |(sx, sy), &(x, y)| (sx + x, sy + y));
    (sx / n, sy / n)
}

/// Pushes overlapping boxes apart along the axis of least overlap until none overlap (or the
/// pass budget runs out).
pub(crate) fn remove_overlaps(pos: &mut [(f64, f64)], boxes: &[(f64, f64)]) {
    let n = pos.len();
    for _ in 0..OVERLAP_PASSES {
        let mut moved = false;
        for i in 0..n {
            for j in i + 1..n {
                let (dx, dy) = (pos[j].0 - pos[i].0, pos[j].1 - pos[i].1);
                let ox = (boxes[i].0 + boxes[j].0) / 2.0 + BOX_PADDING - dx.abs();
                let oy = (boxes[i].1 + boxes[j].1) / 2.0 + BOX_PADDING - dy.abs();
                if ox <= 0.0 || oy <= 0.0 {
                    continue;
                }
                moved = true;
                // Move a little past half so the pair separates in one step.
                if ox < oy {
                    let s = if dx > 0.0 || (dx == 0.0 && i < j) {
                        1.0
                    } else {
                        -1.0
                    };
                    pos[i].0 -= s * (ox / 2.0 + 0.5);
                    pos[j].0 += s * (ox / 2.0 + 0.5);
                } else {
                    let s = if dy > 0.0 || (dy == 0.0 && i < j) {
                        1.0
                    } else {
                        -1.0
                    };
                    pos[i].1 -= s * (oy / 2.0 + 0.5);
                    pos[j].1 += s * (oy / 2.0 + 0.5);
                }
            }
        }
        if !moved {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overlaps(l: &Layout, sizes: &[(f64, f64)]) -> usize {
        let mut count = 0;
        for i in 0..sizes.len() {
            for j in i + 1..sizes.len() {
                let (a, b) = (l.centers[i], l.centers[j]);
                if (a.0 - b.0).abs() < (sizes[i].0 + sizes[j].0) / 2.0
                    && (a.1 - b.1).abs() < (sizes[i].1 + sizes[j].1) / 2.0
                {
                    count += 1;
                }
            }
        }
        count
    }

    #[test]
    fn empty_and_single() {
        let l = layout(&[], &[]);
        assert_eq!((l.width, l.height), (0.0, 0.0));
        let l = layout(&[(50.0, 20.0)], &[]);
        assert_eq!(l.centers, vec![(25.0, 10.0)]);
        let l = layout(&[(50.0, 20.0)], &[(0, 0, 10.0)]);
        assert_eq!(l.centers, vec![(25.0, 10.0)]);
        assert_eq!((l.width, l.height), (50.0, 20.0));
    }

    #[test]
    fn boxes_stay_inside_finite_and_apart() {
        // A star, a chain, a few isolated nodes and a self loop.
        let sizes: Vec<(f64, f64)> = (0..40)
            .map(|i| (40.0 + (i % 7) as f64 * 20.0, 36.0))
            .collect();
        let mut edges: Vec<(usize, usize, f64)> = (1..15).map(|i| (0, i, 0.0)).collect();
        edges.extend((15..30).map(|i| (i, i + 1, 150.0)));
        edges.push((3, 3, 0.0));
        let l = layout(&sizes, &edges);
        for (i, &(x, y)) in l.centers.iter().enumerate() {
            assert!(x.is_finite() && y.is_finite());
            assert!(x - sizes[i].0 / 2.0 >= -1e-6 && x + sizes[i].0 / 2.0 <= l.width + 1e-6);
            assert!(y - sizes[i].1 / 2.0 >= -1e-6 && y + sizes[i].1 / 2.0 <= l.height + 1e-6);
        }
        assert_eq!(overlaps(&l, &sizes), 0);
        assert_eq!(l, layout(&sizes, &edges));
    }

    #[test]
    fn neighbours_end_closer_than_strangers() {
        // Two triangles joined by one edge: within-triangle distances are short.
        let sizes = vec![(60.0, 30.0); 6];
        let edges =
            [(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (2, 3)].map(|(a, b)| (a, b, 0.0));
        let l = layout(&sizes, &edges);
        let d = |a: usize, b: usize| {
            let (p, q) = (l.centers[a], l.centers[b]);
            ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt()
        };
        assert!(d(0, 1) < d(0, 4));
        assert!(d(4, 5) < d(1, 5));
    }

    #[test]
    fn fruchterman_reingold_fallback_is_finite_and_keeps_neighbours_close() {
        // Two 5-cliques joined by one edge, all starting on one point.
        let mut edges = Vec::new();
        for base in [0, 5] {
            for a in base..base + 5 {
                for b in a + 1..base + 5 {
                    edges.push((a, b, 0.0));
                }
            }
        }
        edges.push((4, 5, 0.0));
        let degrees: Vec<usize> = (0..10)
            .map(|v| edges.iter().filter(|e| e.0 == v || e.1 == v).count())
            .collect();
        let mut pos = vec![(0.0, 0.0); 10];
        fruchterman_reingold(&mut pos, &edges, &degrees, 100.0);
        assert!(pos.iter().all(|p| p.0.is_finite() && p.1.is_finite()));
        let d = |a: usize, b: usize| {
            ((pos[a].0 - pos[b].0).powi(2) + (pos[a].1 - pos[b].1).powi(2)).sqrt()
        };
        assert!(d(0, 1) < d(0, 9));
        assert!(d(7, 8) < d(2, 8));
    }

    #[test]
    fn coincident_points_separate() {
        let mut pos = vec![(0.0, 0.0); 3];
        remove_overlaps(&mut pos, &[(10.0, 10.0); 3]);
        assert!(pos.iter().all(|p| p.0.is_finite() && p.1.is_finite()));
        assert_ne!(pos[0], pos[1]);
        assert_ne!(pos[1], pos[2]);
    }
}
