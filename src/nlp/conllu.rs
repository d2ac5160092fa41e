//! Minimal CoNLL-U reader: the columns the tagger, lemmatizer and parser train on.

use super::NlpError;

/// One syntactic word of a gold sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldWord {
    pub form: String,
    pub lemma: String,
    pub upos: String,
    pub xpos: String,
    /// 0 = root, else 1-based index in the sentence.
    pub head: usize,
    pub deprel: String,
    /// `SpaceAfter=No` was set on this word (or on the multiword token it ends).
    pub no_space_after: bool,
}

/// A multiword token (`3-4 don't`): word range (0-based, inclusive start, exclusive end) and surface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultiWord {
    pub words: std::ops::Range<usize>,
    pub form: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoldSentence {
    pub text: Option<String>,
    pub newdoc: Option<String>,
    pub newpar: bool,
    pub words: Vec<GoldWord>,
    pub multiwords: Vec<MultiWord>,
}

/// Parses CoNLL-U text. Empty nodes (`8.1`) are skipped.
pub fn parse(src: &str) -> Result<Vec<GoldSentence>, NlpError> {
    let mut out = Vec::new();
    let mut cur = GoldSentence::default();
    for (lineno, line) in src.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            if !cur.words.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if let Some(c) = line.strip_prefix('#') {
            let c = c.trim_start();
            if let Some(t) = c.strip_prefix("text =") {
                cur.text = Some(t.trim().to_string());
            } else if let Some(d) = c.strip_prefix("newdoc id =") {
                cur.newdoc = Some(d.trim().to_string());
                cur.newpar = true;
            } else if c.starts_with("newdoc") {
                cur.newdoc = Some(String::new());
                cur.newpar = true;
            } else if c.starts_with("newpar") {
                cur.newpar = true;
            }
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(NlpError::Format(format!(
                "line {}: expected 10 columns, found {}",
                lineno + 1,
                cols.len()
            )));
        }
        let nsa = cols[9].split('|').any(|m| m == "SpaceAfter=No");
        if let Some((a, b)) = cols[0].split_once('-') {
            let a: usize = a.parse().map_err(|_| bad_id(lineno))?;
            let b: usize = b.parse().map_err(|_| bad_id(lineno))?;
            cur.multiwords.push(MultiWord {
                words: a - 1..b,
                form: cols[1].to_string(),
            });
            if nsa {
                // Applied to the last word of the range when it is read.
                cur.multiwords
                    .last_mut()
                    .expect("pushed")
                    .form
                    .push('\u{0}');
            }
            continue;
        }
        if cols[0].contains('.') {
            continue;
        }
        let head = if cols[6] == "_" {
            0
        } else {
            cols[6].parse().map_err(|_| bad_id(lineno))?
        };
        cur.words.push(GoldWord {
            form: cols[1].to_string(),
            lemma: cols[2].to_string(),
            upos: cols[3].to_string(),
            xpos: cols[4].to_string(),
            head,
            deprel: cols[7].to_string(),
            no_space_after: nsa,
        });
    }
    if !cur.words.is_empty() {
        out.push(cur);
    }
    // Resolve SpaceAfter=No marks of multiword tokens onto their last word.
    for s in &mut out {
        for m in &mut s.multiwords {
            if m.form.ends_with('\u{0}') {
                m.form.pop();
                if let Some(w) = s.words.get_mut(m.words.end - 1) {
                    w.no_space_after = true;
                }
            }
        }
    }
    Ok(out)
}

fn bad_id(lineno: usize) -> NlpError {
    NlpError::Format(format!("line {}: bad id or head", lineno + 1))
}

/// Reads and parses a CoNLL-U file.
pub fn read(path: &std::path::Path) -> Result<Vec<GoldSentence>, NlpError> {
    let src =
        std::fs::read_to_string(path).map_err(|e| NlpError::Io(path.display().to_string(), e))?;
    parse(&src).map_err(|e| match e {
        NlpError::Format(m) => NlpError::Format(format!("{}: {m}", path.display())),
        other => other,
    })
}

/// Writes analyzed sentences as CoNLL-U (`# sent_id`, `# text`, ten columns; FEATS, DEPS
/// and MISC empty), the format the parser is trained and scored on, so its output can be
/// read by any UD tool.
pub fn write(
    out: &mut dyn std::io::Write,
    doc_id: &str,
    text: &str,
    sentences: &[super::AnalyzedSentence],
) -> std::io::Result<()> {
    for (n, s) in sentences.iter().enumerate() {
        writeln!(out, "# sent_id = {doc_id}-{}", n + 1)?;
        if let (Some(first), Some(last)) = (s.words.first(), s.words.last()) {
            let t = text.get(first.span.start..last.span.end).unwrap_or("");
            writeln!(out, "# text = {}", t.replace(['\n', '\r'], " "))?;
        }
        for (i, w) in s.words.iter().enumerate() {
            writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t_\t{}\t{}\t_\t_",
                i + 1,
                w.form,
                w.lemma,
                w.upos,
                w.xpos,
                w.head,
                w.deprel
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# newdoc id = d1\n# text = I don't.\n1-2\tdon't\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n1\tdo\tdo\tAUX\tVBP\t_\t0\troot\t_\t_\n2\tn't\tnot\tPART\tRB\t_\t1\tadvmod\t_\t_\n3\t.\t.\tPUNCT\t.\t_\t1\tpunct\t_\t_\n\n";

    #[test]
    fn reads_words_and_multiwords() {
        let s = parse(SAMPLE).unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].words.len(), 3);
        assert_eq!(s[0].multiwords[0].words, 0..2);
        assert_eq!(s[0].multiwords[0].form, "don't");
        assert!(s[0].words[1].no_space_after);
        assert!(!s[0].words[0].no_space_after);
        assert_eq!(s[0].words[2].head, 1);
        assert_eq!(s[0].newdoc.as_deref(), Some("d1"));
    }

    #[test]
    fn rejects_bad_lines() {
        assert!(parse("1\tx\n").is_err());
    }
}
