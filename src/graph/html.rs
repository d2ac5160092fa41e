//! One self-contained HTML file: the SVG inline, a little vanilla JavaScript for pan/zoom,
//! neighbour highlighting on hover/click and a search box. No network, no library.
//!
//! No label ever goes into the script: the script reads the (escaped) SVG through the DOM, and
//! compares labels as plain strings (`getAttribute`, `textContent`), never as markup.

use super::escape::{one_line, xml};
use super::svg::to_svg;
use super::RelationGraph;

const STYLE: &str = r#"
html, body { margin: 0; height: 100%; font-family: "DejaVu Sans", Verdana, Helvetica, Arial, sans-serif; }
body { display: flex; flex-direction: column; }
header { display: flex; gap: .75em; align-items: center; padding: .5em .75em; background: #f4f4f4; border-bottom: 1px solid #ddd; }
header h1 { font-size: 1.05em; margin: 0; font-weight: 600; flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
header input { font-size: 1em; padding: .25em .5em; width: 16em; }
header button { font-size: .95em; }
#status { color: #666; font-size: .9em; min-width: 8em; }
#view { flex: 1; overflow: hidden; cursor: grab; background: #fff; }
#view.dragging { cursor: grabbing; }
#view svg { width: 100%; height: 100%; display: block; }
.node { cursor: pointer; }
svg.dim .node:not(.hi), svg.dim .edge:not(.hi), svg.dim .elabel:not(.hi) { opacity: .12; }
svg .edge.hi path { stroke: #d62728; marker-end: url(#ng-arrow-hi); }
svg .elabel.hi { fill: #b01f20; font-weight: bold; }
svg .node.match text { fill: #d62728; font-weight: bold; }
svg .node.match > :nth-child(2) { stroke: #d62728; stroke-width: 4; }
"#;

const SCRIPT: &str = r#"
(function () {
  "use strict";
  var view = document.getElementById("view");
  var svg = view.querySelector("svg");
  var search = document.getElementById("search");
  var status = document.getElementById("status");
  if (!svg) { return; }
  var vb = svg.viewBox.baseVal;
  var home = { x: vb.x, y: vb.y, w: vb.width, h: vb.height };
  svg.removeAttribute("width");
  svg.removeAttribute("height");

  // Adjacency from the edges' data attributes.
  var nodes = {}, incident = {};
  Array.prototype.forEach.call(svg.querySelectorAll(".node"), function (n) {
    nodes[n.getAttribute("data-n")] = n; incident[n.getAttribute("data-n")] = [];
  });
  Array.prototype.forEach.call(svg.querySelectorAll(".edge, .elabel"), function (e) {
    var s = e.getAttribute("data-s"), t = e.getAttribute("data-t");
    if (incident[s]) { incident[s].push({ el: e, other: t }); }
    if (incident[t] && t !== s) { incident[t].push({ el: e, other: s }); }
  });

  var pinned = null, drag = null, moved = false;
  function clear() {
    svg.classList.remove("dim");
    Array.prototype.forEach.call(svg.querySelectorAll(".hi"), function (e) { e.classList.remove("hi"); });
  }
  function highlight(id) {
    clear();
    if (id === null || !nodes[id]) { return; }
    svg.classList.add("dim");
    nodes[id].classList.add("hi");
    incident[id].forEach(function (x) { x.el.classList.add("hi"); if (nodes[x.other]) { nodes[x.other].classList.add("hi"); } });
  }
  Object.keys(nodes).forEach(function (id) {
    var n = nodes[id];
    n.addEventListener("mouseenter", function () { if (pinned === null) { highlight(id); } });
    n.addEventListener("mouseleave", function () { if (pinned === null) { clear(); } });
    n.addEventListener("click", function (ev) {
      ev.stopPropagation();
      if (moved) { return; }
      pinned = pinned === id ? null : id;
      highlight(pinned);
    });
  });

  // Pan and zoom by moving the viewBox.
  function toSvg(ev) {
    var r = svg.getBoundingClientRect();
    var scale = Math.max(vb.width / r.width, vb.height / r.height);
    var ox = (r.width * scale - vb.width) / 2, oy = (r.height * scale - vb.height) / 2;
    return { x: vb.x - ox + (ev.clientX - r.left) * scale, y: vb.y - oy + (ev.clientY - r.top) * scale, scale: scale };
  }
  function zoom(factor, p) {
    var w = Math.min(Math.max(vb.width * factor, home.w / 40), home.w * 4);
    var f = w / vb.width;
    vb.x = p.x - (p.x - vb.x) * f; vb.y = p.y - (p.y - vb.y) * f;
    vb.width = w; vb.height *= f;
  }
  view.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    zoom(ev.deltaY < 0 ? 1 / 1.15 : 1.15, toSvg(ev));
  }, { passive: false });
  view.addEventListener("mousedown", function (ev) {
    if (ev.button !== 0) { return; }
    drag = { x: ev.clientX, y: ev.clientY, scale: toSvg(ev).scale }; moved = false;
    view.classList.add("dragging");
  });
  window.addEventListener("mousemove", function (ev) {
    if (!drag) { return; }
    var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 2) { moved = true; }
    vb.x -= dx * drag.scale; vb.y -= dy * drag.scale;
    drag.x = ev.clientX; drag.y = ev.clientY;
  });
  window.addEventListener("mouseup", function () { drag = null; view.classList.remove("dragging"); });
  view.addEventListener("click", function () { if (!moved) { pinned = null; clear(); } });

  function reset() { vb.x = home.x; vb.y = home.y; vb.width = home.w; vb.height = home.h; }
  document.getElementById("reset").addEventListener("click", function () { reset(); pinned = null; clear(); });
  document.getElementById("zoomin").addEventListener("click", function () { zoom(1 / 1.4, { x: vb.x + vb.width / 2, y: vb.y + vb.height / 2 }); });
  document.getElementById("zoomout").addEventListener("click", function () { zoom(1.4, { x: vb.x + vb.width / 2, y: vb.y + vb.height / 2 }); });

  // Search: mark nodes whose label contains the text; Enter centres and pins the first.
  var matches = [];
  function runSearch() {
    var q = search.value.trim().toLowerCase();
    matches = [];
    Object.keys(nodes).forEach(function (id) {
      var hit = q !== "" && (nodes[id].getAttribute("data-label") || "").toLowerCase().indexOf(q) >= 0;
      nodes[id].classList.toggle("match", hit);
      if (hit) { matches.push(id); }
    });
    // Best match first: the shortest label (an exact name beats "X's security detail").
    matches.sort(function (a, b) {
      return nodes[a].getAttribute("data-label").length - nodes[b].getAttribute("data-label").length || a - b;
    });
    status.textContent = q === "" ? "" : matches.length + (matches.length === 1 ? " match" : " matches");
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter" || matches.length === 0) { return; }
    var id = matches[0];
    var b = nodes[id].getBBox();
    var w = Math.min(home.w, Math.max(600, home.w / 3)), h = w * vb.height / vb.width;
    vb.x = b.x + b.width / 2 - w / 2; vb.y = b.y + b.height / 2 - h / 2; vb.width = w; vb.height = h;
    pinned = id; highlight(id);
  });
})();
"#;

/// One self-contained HTML page with the diagram, pan/zoom, neighbour highlighting and search.
pub fn to_html(g: &RelationGraph, title: &str) -> String {
    let title = xml(&one_line(title));
    let svg = to_svg(g);
    let mut out = String::with_capacity(svg.len() + STYLE.len() + SCRIPT.len() + 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n",
    );
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!(
        "<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
    ));
    out.push_str(&format!(
        "<header><h1>{title}</h1>\
         <input id=\"search\" type=\"search\" placeholder=\"Find a node…\" autocomplete=\"off\">\
         <span id=\"status\"></span>\
         <button id=\"zoomin\" type=\"button\" title=\"Zoom in\">+</button>\
         <button id=\"zoomout\" type=\"button\" title=\"Zoom out\">−</button>\
         <button id=\"reset\" type=\"button\">Reset view</button></header>\n\
         <main id=\"view\">\n"
    ));
    out.push_str(&svg);
    out.push_str("</main>\n<script>");
    out.push_str(SCRIPT);
    out.push_str("</script>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::*;

    #[test]
    fn html_is_self_contained() {
        let h = to_html(&RelationGraph::from_triples(sample()), "Milley");
        assert!(h.starts_with("<!DOCTYPE html>"));
        assert!(h.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert_eq!(h.matches("<script").count(), 1);
        for needle in [
            "src=", "href=", "http://", "https://", "@import", "url(http",
        ] {
            let outside_svg_ns = h.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
            // IRIs appear only inside escaped tooltips; no element loads anything.
            let loads = outside_svg_ns
                .match_indices(needle)
                .filter(|(i, _)| !in_title(&outside_svg_ns, *i))
                .count();
            assert_eq!(loads, 0, "{needle}");
        }
    }

    fn in_title(doc: &str, at: usize) -> bool {
        let open = doc[..at].rfind("<title>");
        let close = doc[..at].rfind("</title>");
        match (open, close) {
            (Some(o), Some(c)) => o > c,
            (Some(_), None) => true,
            _ => false,
        }
    }

    #[test]
    fn html_escapes_title_and_labels() {
        let mut t = sample();
        t.extend(typed(
            "person/evil",
            &person(),
            "</script><script>alert(1)</script> & \" ' ]]>",
        ));
        let h = to_html(
            &RelationGraph::from_triples(t),
            "<img src=x onerror=alert(1)> & \"q\"",
        );
        // Only our own script element, ending where ours ends.
        assert_eq!(h.matches("<script").count(), 1);
        assert_eq!(h.matches("</script>").count(), 1);
        assert!(!h.contains("<img"));
        assert!(!h.contains("]]>"));
        assert!(h.contains("<title>&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot;</title>"));
        assert!(h.contains("data-label=\"&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot; &#39; ]]&gt;\""));
    }

    #[test]
    fn html_is_deterministic() {
        let g = RelationGraph::from_triples(sample());
        assert_eq!(to_html(&g, "t"), to_html(&g, "t"));
    }
}
