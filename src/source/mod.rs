//! Stage 1: where documents come from. Files, folders (recursively), stdin; `.txt`/`.md`
//! (first line = headline), `.html` (article body text), `.jsonl` (one article per line).
//!
//! Everything that can be wrong with an input is caught here, before any store is touched,
//! so a bad file never leaves half a document behind.

mod dateline;
mod html;

pub use dateline::{find as dateline_date, is_valid_date, parse_ymd};

use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

/// A document ready for extraction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Where it came from: a path, `-`, or `file.jsonl#id`.
    pub source: String,
    /// Stable identity used to replace a changed version: the path, or the JSONL `id`.
    pub key: String,
    pub title: Option<String>,
    /// `YYYY-MM-DD`: the metadata's date (JSONL `date`, HTML meta), else the dateline's
    /// ([`dateline_date`]), else the caller's default ([`Document::date_or`]).
    pub date: Option<String>,
    pub url: Option<String>,
    pub text: String,
}

impl Document {
    /// Builds a document from plain text; the first non-empty line is the headline.
    pub fn from_text(source: &str, text: String) -> Self {
        let title = text
            .lines()
            .map(|l| l.trim().trim_start_matches('#').trim())
            .find(|l| !l.is_empty())
            .map(str::to_owned);
        Document {
            source: source.to_owned(),
            key: source.to_owned(),
            title,
            date: None,
            url: None,
            text,
        }
    }

    /// Gives the document `default` as its date when neither metadata nor dateline did: the
    /// user's `--date`, for articles that carry their date nowhere in the text.
    pub fn date_or(mut self, default: Option<&str>) -> Self {
        if self.date.is_none() {
            self.date = default.map(str::to_owned);
        }
        self
    }

    /// Hex of the first 16 bytes of the SHA-256 of the text: the document's identity.
    pub fn content_hash(&self) -> String {
        let digest = Sha256::digest(self.text.as_bytes());
        digest[..16].iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: no such file or directory")]
    Missing { path: String },
    #[error("{path}: looks like a binary file (NUL byte at offset {offset}), not text")]
    Binary { path: String, offset: usize },
    #[error("{path}: invalid UTF-8 at byte {offset}; convert the file to UTF-8 first")]
    InvalidUtf8 { path: String, offset: usize },
    #[error("{path}: document of {size} bytes is larger than the {limit}-byte limit (raise it with --max-document-bytes)")]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error("{path}: the document is empty")]
    Empty { path: String },
    #[error("{path}:{line}: {message}")]
    Jsonl {
        path: String,
        line: usize,
        message: String,
    },
}

/// One input named on the command line, after folders are expanded.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    pub fn display(&self) -> String {
        match self {
            Input::Stdin => "-".to_owned(),
            Input::File(p) => p.display().to_string(),
        }
    }
}

/// Extensions read when walking a folder. A file named explicitly is read whatever its name.
pub const EXTENSIONS: &[&str] = &["txt", "md", "html", "htm", "jsonl"];

/// Expands folders recursively (sorted, so runs are reproducible) and checks that paths exist.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<Input>, SourceError> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if path.is_dir() {
            walk(path, &mut inputs)?;
        } else if path.exists() {
            inputs.push(Input::File(path.clone()));
        } else {
            return Err(SourceError::Missing {
                path: path.display().to_string(),
            });
        }
    }
    Ok(inputs)
}

fn walk(dir: &Path, out: &mut Vec<Input>) -> Result<(), SourceError> {
    let io_err = |source| SourceError::Io {
        path: dir.display().to_string(),
        source,
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io_err)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(io_err)?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, out)?;
        } else if has_known_extension(&path) && !is_readme(&path) {
            out.push(Input::File(path));
        }
    }
    Ok(())
}

/// A folder's README describes the folder; it is not an article.
fn is_readme(path: &Path) -> bool {
    path.file_stem()
        .and_then(|s| s.to_str())
        .is_some_and(|s| s.eq_ignore_ascii_case("readme"))
}

fn has_known_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Largest document accepted by default: far above any news article (the longest BBC story
/// is 25 KB), low enough that a stray log file or dump is refused at once.
pub const DEFAULT_MAX_DOCUMENT_BYTES: u64 = 4 * 1024 * 1024;

/// Reads one input into its documents (a `.jsonl` file holds many).
pub fn read(input: &Input) -> Result<Vec<Document>, SourceError> {
    read_limited(input, DEFAULT_MAX_DOCUMENT_BYTES)
}

/// [`read`] with a size limit per document (per line for `.jsonl`).
pub fn read_limited(input: &Input, limit: u64) -> Result<Vec<Document>, SourceError> {
    let name = input.display();
    let is_jsonl = matches!(input, Input::File(p) if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("jsonl")));
    if let Input::File(path) = input {
        let size = std::fs::metadata(path)
            .map_err(|source| SourceError::Io {
                path: name.clone(),
                source,
            })?
            .len();
        if size > limit && !is_jsonl {
            return Err(SourceError::TooLarge {
                path: name,
                size,
                limit,
            });
        }
    }
    let bytes = match input {
        Input::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|source| SourceError::Io {
                    path: name.clone(),
                    source,
                })?;
            buf
        }
        Input::File(path) => std::fs::read(path).map_err(|source| SourceError::Io {
            path: name.clone(),
            source,
        })?,
    };
    let text = decode(&name, bytes)?;
    let ext = match input {
        Input::File(p) => p
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase()),
        Input::Stdin => None,
    };
    let mut docs = match ext.as_deref() {
        Some("jsonl") => parse_jsonl(&name, &text)?,
        Some("html") | Some("htm") => vec![html::document(&name, &text)],
        _ => vec![Document::from_text(&name, text)],
    };
    for doc in &mut docs {
        if doc.date.is_none() {
            doc.date = dateline_date(&doc.text);
        }
    }
    for doc in &docs {
        if doc.text.len() as u64 > limit {
            return Err(SourceError::TooLarge {
                path: doc.source.clone(),
                size: doc.text.len() as u64,
                limit,
            });
        }
        if doc.text.trim().is_empty() {
            return Err(SourceError::Empty {
                path: doc.source.clone(),
            });
        }
    }
    Ok(docs)
}

/// Text must be UTF-8 and not binary. Invalid UTF-8 is rejected rather than decoded lossily:
/// offsets in the graph must point at the characters the user has, not at replacements.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<String, SourceError> {
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(SourceError::Binary {
            path: name.to_owned(),
            offset,
        });
    }
    let mut text = String::from_utf8(bytes).map_err(|e| SourceError::InvalidUtf8 {
        path: name.to_owned(),
        offset: e.utf8_error().valid_up_to(),
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    if text.contains('\r') {
        text = text.replace("\r\n", "\n").replace('\r', "\n");
    }
    Ok(text)
}

#[derive(Deserialize)]
struct JsonlArticle {
    id: Option<serde_json::Value>,
    url: Option<String>,
    title: Option<String>,
    date: Option<String>,
    text: String,
}

fn parse_jsonl(name: &str, text: &str) -> Result<Vec<Document>, SourceError> {
    let mut docs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let article: JsonlArticle = serde_json::from_str(line).map_err(|e| SourceError::Jsonl {
            path: name.to_owned(),
            line: i + 1,
            message: e.to_string(),
        })?;
        let id = match article.id {
            Some(serde_json::Value::String(s)) => s,
            Some(v) => v.to_string(),
            None => article
                .url
                .clone()
                .unwrap_or_else(|| format!("line{}", i + 1)),
        };
        let date = article.date.as_deref().and_then(normalize_date);
        docs.push(Document {
            source: format!("{name}#{id}"),
            key: id,
            title: article.title,
            date,
            url: article.url,
            text: article.text,
        });
    }
    if docs.is_empty() {
        return Err(SourceError::Empty {
            path: name.to_owned(),
        });
    }
    Ok(docs)
}

/// Keeps the `YYYY-MM-DD` part of an ISO date or date-time, when it names a real day (a
/// malformed date would become an invalid `xsd:date` literal).
pub fn normalize_date(s: &str) -> Option<String> {
    let d = s.trim().get(..10)?;
    parse_ymd(d).map(|_| d.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_binary_and_invalid_utf8() {
        assert!(matches!(
            decode("x", vec![b'a', 0, b'b']),
            Err(SourceError::Binary { offset: 1, .. })
        ));
        assert!(matches!(
            decode("x", vec![b'a', 0xff, b'b']),
            Err(SourceError::InvalidUtf8 { offset: 1, .. })
        ));
        assert_eq!(decode("x", b"\xef\xbb\xbfhi\r\n".to_vec()).unwrap(), "hi\n");
    }

    #[test]
    fn headline_is_first_line() {
        let d = Document::from_text("a.md", "\n# Big news\n\nBody.".into());
        assert_eq!(d.title.as_deref(), Some("Big news"));
        assert_eq!(d.content_hash().len(), 32);
    }

    #[test]
    fn dateline_then_default_date() {
        let dir = tempfile::tempdir().unwrap();
        let dated = dir.path().join("dated.txt");
        std::fs::write(&dated, "Headline\n\nWASHINGTON, Jan. 28, 2025 — Story.").unwrap();
        let undated = dir.path().join("undated.md");
        std::fs::write(&undated, "# Headline\n\nHALVERN, Jan. 15 — Story.").unwrap();
        let doc = |p: &Path| read(&Input::File(p.to_owned())).unwrap().remove(0);
        assert_eq!(doc(&dated).date.as_deref(), Some("2025-01-28"));
        assert_eq!(doc(&undated).date, None);
        // The user's default fills only what metadata and dateline left open.
        assert_eq!(
            doc(&dated).date_or(Some("2000-01-01")).date.as_deref(),
            Some("2025-01-28")
        );
        assert_eq!(
            doc(&undated).date_or(Some("2000-01-01")).date.as_deref(),
            Some("2000-01-01")
        );
    }

    #[test]
    fn metadata_dates_must_be_real_days() {
        assert_eq!(
            normalize_date("2025-01-28T10:00Z").as_deref(),
            Some("2025-01-28")
        );
        assert_eq!(normalize_date("2025-02-30"), None);
        assert_eq!(normalize_date("2025-1-2"), None);
        assert_eq!(normalize_date("é"), None);
    }

    #[test]
    fn jsonl_reports_line_numbers() {
        let err = parse_jsonl("f.jsonl", "{\"text\":\"a\"}\n{oops").unwrap_err();
        assert!(err.to_string().starts_with("f.jsonl:2:"), "{err}");
        let docs = parse_jsonl(
            "f.jsonl",
            r#"{"id":7,"date":"2025-01-28T10:00Z","text":"x"}"#,
        )
        .unwrap();
        assert_eq!(docs[0].key, "7");
        assert_eq!(docs[0].date.as_deref(), Some("2025-01-28"));
    }
}
