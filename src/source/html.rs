//! Article text out of an HTML page: the `<article>` (or `<main>`, or `<body>`) text, with
//! scripts, styles, navigation, headers, footers and asides dropped.

use super::{normalize_date, Document};
use scraper::{ElementRef, Html, Node, Selector};

const SKIPPED: &[&str] = &[
    "script", "style", "nav", "header", "footer", "aside", "noscript", "form", "iframe", "svg",
    "button", "figure", "template",
];
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "section",
    "article",
    "br",
    "tr",
    "pre",
];

pub fn document(source: &str, html: &str) -> Document {
    let page = Html::parse_document(html);
    let root = ["article", "main", "body"]
        .iter()
        .find_map(|s| {
            page.select(&Selector::parse(s).expect("static selector"))
                .next()
        })
        .unwrap_or_else(|| page.root_element());
    let mut text = String::new();
    collect(root, &mut text);
    let text = tidy(&text);
    let title = first(&page, "h1")
        .or_else(|| first(&page, "title"))
        .filter(|t| !t.is_empty());
    let date = meta(&page, "article:published_time")
        .or_else(|| meta(&page, "date"))
        .or_else(|| attr(&page, "time[datetime]", "datetime"))
        .and_then(|d| normalize_date(&d));
    let url = attr(&page, "link[rel=canonical]", "href").or_else(|| meta(&page, "og:url"));
    let mut doc = Document::from_text(source, text);
    if title.is_some() {
        doc.title = title;
    }
    doc.date = date;
    doc.url = url;
    doc
}

fn collect(element: ElementRef, out: &mut String) {
    for child in element.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) => {
                let name = e.name();
                if SKIPPED.contains(&name) {
                    continue;
                }
                let block = BLOCKS.contains(&name);
                if block {
                    out.push_str("\n\n");
                }
                if let Some(child) = ElementRef::wrap(child) {
                    collect(child, out);
                }
                if block {
                    out.push_str("\n\n");
                }
            }
            _ => {}
        }
    }
}

/// Collapses runs of spaces inside lines and keeps one blank line between paragraphs.
fn tidy(raw: &str) -> String {
    let mut paragraphs = Vec::new();
    for para in raw.split("\n\n") {
        let joined = para.split_whitespace().collect::<Vec<_>>().join(" ");
        if !joined.is_empty() {
            paragraphs.push(joined);
        }
    }
    paragraphs.join("\n\n")
}

fn first(page: &Html, selector: &str) -> Option<String> {
    let sel = Selector::parse(selector).ok()?;
    page.select(&sel)
        .next()
        .map(|e| e.text().collect::<Vec<_>>().join(" "))
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn attr(page: &Html, selector: &str, name: &str) -> Option<String> {
    let sel = Selector::parse(selector).ok()?;
    page.select(&sel)
        .next()
        .and_then(|e| e.value().attr(name))
        .map(str::to_owned)
}

fn meta(page: &Html, key: &str) -> Option<String> {
    attr(page, &format!("meta[property=\"{key}\"]"), "content")
        .or_else(|| attr(page, &format!("meta[name=\"{key}\"]"), "content"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_article_text_and_drops_scripts() {
        let html = r#"<html><head><title>T</title>
            <meta property="article:published_time" content="2025-03-04T09:00:00Z">
            <script>var x = "Evil Person";</script><style>p{}</style></head>
            <body><nav>Home News</nav><article><h1>Headline here</h1>
            <p>First   paragraph.</p><p>Second <b>one</b>.</p></article>
            <footer>Copyright</footer></body></html>"#;
        let doc = document("a.html", html);
        assert_eq!(doc.text, "Headline here\n\nFirst paragraph.\n\nSecond one.");
        assert_eq!(doc.title.as_deref(), Some("Headline here"));
        assert_eq!(doc.date.as_deref(), Some("2025-03-04"));
    }
}
