//! The intermediate representation: what one document says, before it becomes RDF.
//!
//! `Extraction` is the seam between the NLP/extraction stages and the RDF stages. The extractor
//! writes it, `extract --format jsonl` prints it, and `rdf::mapping` reads only it. Swapping
//! the extractor (rules today, statistical models tomorrow) touches nothing downstream as long
//! as it fills these types.
//!
//! Offsets are **character** offsets (Unicode scalar values) into the document text, as NIF
//! requires, so `text.chars().skip(start).take(end - start)` is the quoted string.

use serde::{Deserialize, Serialize};

/// Everything extracted from one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extraction {
    pub document: DocumentMeta,
    pub sentences: Vec<Sentence>,
    pub entities: Vec<Entity>,
    pub mentions: Vec<Mention>,
    pub facts: Vec<Fact>,
}

/// Metadata of the source document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentMeta {
    /// Hex SHA-256 of the document text (first 16 bytes); the document IRI is built from it.
    pub id: String,
    /// Where the document came from: a path, `-` for stdin, or `file.jsonl#id`.
    pub source: String,
    /// Stable key used to replace a changed document: the source path, or a JSONL `id`.
    pub key: String,
    pub title: Option<String>,
    /// Publication date, `YYYY-MM-DD`, when known.
    pub date: Option<String>,
    pub url: Option<String>,
    /// Length of the text in characters.
    pub chars: usize,
    /// Name and version of the extractor that produced this extraction.
    pub extractor: String,
}

/// A half-open character range `[start, end)` in the document text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    pub index: usize,
    pub span: Span,
    pub text: String,
}

/// Index into `Extraction::entities`.
pub type EntityId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Organization,
    Place,
    /// A non-named argument ("Milley's security detail"), labeled and linked to its holder.
    Concept,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organization => "organization",
            EntityKind::Place => "place",
            EntityKind::Concept => "concept",
        }
    }
}

/// A thing the document talks about: a named entity or a concept node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub kind: EntityKind,
    /// Canonical name, titles stripped ("Mark Milley"); for concepts, the label.
    pub name: String,
    /// Key the IRI is minted from, unique per kind ("mark-milley", "mark-milley/security-detail").
    pub key: String,
    /// Other names seen in the document ("Milley", "Gen. Mark Milley").
    pub aliases: Vec<String>,
    pub roles: Vec<Role>,
    /// For concepts: the entity that holds or owns it (Milley for "Milley's security detail").
    pub holder: Option<EntityId>,
    pub confidence: f32,
}

/// A title or position an entity holds ("Defense Secretary", "spokesman" at the Pentagon).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Role {
    pub title: String,
    pub organization: Option<EntityId>,
    /// "former national security adviser": the role is no longer held.
    pub former: bool,
    pub sentence: usize,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MentionKind {
    Name,
    Pronoun,
    Nominal,
}

/// One place in the text that refers to an entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    pub entity: EntityId,
    pub sentence: usize,
    pub span: Span,
    pub text: String,
    pub kind: MentionKind,
}

/// A time expression attached to a fact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeRef {
    /// The words in the text ("on Tuesday").
    pub text: String,
    /// The resolved time, when it can be resolved against the article date: a day
    /// `YYYY-MM-DD`, a month `YYYY-MM`, a year `YYYY`, or a span of days
    /// `YYYY-MM-DD/YYYY-MM-DD` (ISO 8601 interval, both ends included: "last week").
    /// `src/extract/time.rs` gives the rules.
    pub value: Option<String>,
}

/// "Who did what to whom": one relation instance with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    /// Who acts; `None` for an agentless passive ("the portrait was removed").
    pub subject: Option<EntityId>,
    /// Normalized relation, the lemma-based local name of the `rel:` predicate ("pardon").
    pub predicate: String,
    /// Human label of the predicate ("pardoned").
    pub predicate_label: String,
    pub object: Option<EntityId>,
    /// Further arguments: (preposition or role, entity).
    pub arguments: Vec<(String, EntityId)>,
    pub sentence: usize,
    /// The characters the fact was read from (usually the clause).
    pub span: Span,
    /// The text of `span`.
    pub text: String,
    pub time: Option<TimeRef>,
    pub place: Option<EntityId>,
    /// Who claims this ("according to Pentagon spokesman John Ullyot").
    pub attribution: Option<EntityId>,
    pub negated: bool,
    /// "could", "would", "may" when the fact is hedged.
    pub modality: Option<String>,
    pub confidence: f32,
    /// Which extraction rule produced it, for tracing.
    pub rule: String,
}

/// The key an IRI is minted from: lowercase ASCII letters and digits, other runs become `-`.
/// Letters with diacritics keep their base letter ("José" → "jose") so names stay readable.
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut dash = false;
    for ch in name.chars().flat_map(fold_diacritic) {
        if ch.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(ch.to_ascii_lowercase());
        } else if ch != '\'' && ch != '’' {
            dash = true;
        }
    }
    if out.is_empty() {
        out.push('x');
    }
    out
}

fn fold_diacritic(c: char) -> impl Iterator<Item = char> {
    let base = match c {
        'à'..='å' => 'a',
        'À'..='Å' => 'A',
        'ç' => 'c',
        'Ç' => 'C',
        'è'..='ë' => 'e',
        'È'..='Ë' => 'E',
        'ì'..='ï' => 'i',
        'Ì'..='Ï' => 'I',
        'ñ' => 'n',
        'Ñ' => 'N',
        'ò'..='ö' | 'ø' => 'o',
        'Ò'..='Ö' | 'Ø' => 'O',
        'ù'..='ü' => 'u',
        'Ù'..='Ü' => 'U',
        'ý' | 'ÿ' => 'y',
        _ => c,
    };
    std::iter::once(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_stable_ascii() {
        assert_eq!(slug("Mark Milley"), "mark-milley");
        assert_eq!(slug("Milley’s security detail"), "milleys-security-detail");
        assert_eq!(slug("  José  Ramírez-Ortiz "), "jose-ramirez-ortiz");
        assert_eq!(slug("!!!"), "x");
    }
}
