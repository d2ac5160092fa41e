//! Escaping for untrusted text (labels come from article text) and label shortening.

/// Escapes text for XML/HTML content and attribute values (double or single quoted), and drops
/// the characters XML 1.0 forbids (control characters other than tab, newline, return), which
/// would make the document malformed.
pub(crate) fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if is_xml_forbidden(c) => {}
            c => out.push(c),
        }
    }
    out
}

fn is_xml_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
        || ('\u{7F}'..='\u{9F}').contains(&c)
}

/// Escapes text for the inside of a double-quoted DOT string: backslashes are doubled (so
/// Graphviz escapes such as `\N` or `\l` in article text stay literal), quotes are escaped,
/// line breaks and other control characters become spaces.
pub(crate) fn dot(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Collapses whitespace runs (and control characters) to single spaces and trims.
pub(crate) fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `one_line(text)`, cut to at most `max` characters with a trailing ellipsis when longer.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    let line = one_line(text);
    if line.chars().count() <= max {
        return line;
    }
    let mut cut: String = line.chars().take(max.saturating_sub(1)).collect();
    let trimmed = cut.trim_end().len();
    cut.truncate(trimmed);
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup_quotes_and_cdata_end() {
        let s = xml(r#"<script>alert("x" & 'y')</script> ]]> <![CDATA["#);
        assert!(!s.contains('<'));
        assert!(!s.contains('>'));
        assert!(!s.contains('"'));
        assert!(!s.contains('\''));
        assert!(!s.contains("]]>"));
        assert_eq!(
            s,
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt; ]]&gt; &lt;![CDATA["
        );
        // Every & starts an entity we wrote.
        assert_eq!(xml("a&amp;b"), "a&amp;amp;b");
    }

    #[test]
    fn xml_drops_forbidden_control_characters() {
        assert_eq!(xml("a\u{0}b\u{1b}c\u{7f}d\te"), "abcd\te");
    }

    #[test]
    fn dot_escapes_quotes_and_backslashes() {
        assert_eq!(dot(r#"say "hi" \N \"#), r#"say \"hi\" \\N \\"#);
        assert_eq!(dot("a\nb\r\"c"), "a b \\\"c");
        // After escaping, every quote is preceded by an odd number of backslashes.
        let e = dot(r#"x\"];evil[label="y"#);
        let bytes = e.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'"' {
                let run = bytes[..i].iter().rev().take_while(|&&c| c == b'\\').count();
                assert_eq!(run % 2, 1, "unescaped quote in {e}");
            }
        }
    }

    #[test]
    fn shorten_cuts_on_characters_with_ellipsis() {
        assert_eq!(shorten("short", 10), "short");
        assert_eq!(shorten("Mark Milley's security detail", 12), "Mark Milley…");
        assert_eq!(shorten("ééééééé", 4), "ééé…");
        assert_eq!(shorten("  a \n\t b  ", 10), "a b");
        assert_eq!(shorten("abcdef", 6).chars().count(), 6);
    }
}
