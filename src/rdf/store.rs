//! The graph store: Oxigraph, one named graph per document.
//!
//! Two backends behind one type. The default is pure Rust: Oxigraph's in-memory store made
//! durable by a folder of N-Quads files, one per document graph, each written to a temporary
//! file and renamed into place, so a crash or a kill leaves every document fully in or fully
//! out; the folder is also something any RDF tool can bulk-load. With the `rocksdb` feature
//! the store is Oxigraph's on-disk RocksDB database, for corpora larger than memory.

use super::mapping::parse_shared_triples;
use crate::vocab::{self, ng};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedNodeRef, Quad, Term, Triple};
use oxigraph::store::Store;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

const MARKER: &str = "newsgraph-store.json";
const GRAPHS: &str = "graphs";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("store: {0}")]
    Oxigraph(#[from] oxigraph::store::StorageError),
    #[error("store {path}: graph file is corrupt: {message}")]
    Corrupt { path: String, message: String },
    #[error("store {path}: {message}")]
    Incompatible { path: String, message: String },
    #[error("no document in the store matches {0:?} (give its IRI, source path or key)")]
    UnknownDocument(String),
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.display().to_string(),
        source,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Backend {
    Memory,
    #[cfg_attr(feature = "rocksdb", allow(dead_code))]
    Files(PathBuf),
    #[cfg(feature = "rocksdb")]
    RocksDb(PathBuf),
}

/// What `put_document` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PutOutcome {
    /// The same document (same content hash) was already there: nothing changed.
    Unchanged,
    Added,
    /// A document with the same source key was replaced; these graphs were dropped.
    Replaced(Vec<String>),
}

/// A document graph in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentInfo {
    pub iri: String,
    pub key: String,
    pub source: String,
}

pub struct GraphStore {
    /// The Oxigraph store. With the files backend it is loaded from the graph files only
    /// when something reads it (a query, an export), so an ingest, which only writes, holds
    /// one batch in memory instead of the whole corpus.
    store: std::sync::OnceLock<Store>,
    backend: Backend,
    /// Files backend: every document in the folder by IRI, read from the graph files'
    /// `ng:sourceKey`/`ng:source` lines at open and kept up to date by `put_document` and
    /// `remove_document`.
    index: BTreeMap<String, DocumentInfo>,
}

impl GraphStore {
    /// A throwaway in-memory store (`--memory`).
    pub fn memory() -> Result<Self, StoreError> {
        Ok(GraphStore {
            store: Store::new()?.into(),
            backend: Backend::Memory,
            index: BTreeMap::new(),
        })
    }

    /// Opens the store in `dir`, creating it when missing.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        let backend_name = if cfg!(feature = "rocksdb") {
            "rocksdb"
        } else {
            "files"
        };
        let marker = dir.join(MARKER);
        if dir.exists() {
            if !dir.is_dir() {
                return Err(StoreError::Incompatible {
                    path: dir.display().to_string(),
                    message: "exists and is not a directory".into(),
                });
            }
            match std::fs::read_to_string(&marker) {
                Ok(text) => {
                    let found = serde_json::from_str::<serde_json::Value>(&text)
                        .ok()
                        .and_then(|v| v.get("backend").and_then(|b| b.as_str().map(str::to_owned)));
                    if found.as_deref() != Some(backend_name) {
                        return Err(StoreError::Incompatible {
                            path: dir.display().to_string(),
                            message: format!(
                                "was written by the {:?} backend but this build uses {backend_name:?} (build with{} --features rocksdb)",
                                found.unwrap_or_default(),
                                if backend_name == "files" { "" } else { "out" }
                            ),
                        });
                    }
                }
                Err(_)
                    if std::fs::read_dir(dir)
                        .map_err(io_err(dir))?
                        .next()
                        .is_some() =>
                {
                    return Err(StoreError::Incompatible {
                        path: dir.display().to_string(),
                        message: format!("is not a newsgraph store (no {MARKER}) and not empty"),
                    });
                }
                Err(_) => {}
            }
        }
        std::fs::create_dir_all(dir).map_err(io_err(dir))?;
        if !marker.exists() {
            let body = format!("{{\"format\":1,\"backend\":\"{backend_name}\"}}\n");
            write_atomically(&marker, body.as_bytes())?;
        }
        #[cfg(feature = "rocksdb")]
        {
            let path = dir.join("rocksdb");
            let store = Store::open(&path)?;
            Ok(GraphStore {
                store: store.into(),
                backend: Backend::RocksDb(dir.to_owned()),
                index: BTreeMap::new(),
            })
        }
        #[cfg(not(feature = "rocksdb"))]
        {
            let graphs = dir.join(GRAPHS);
            std::fs::create_dir_all(&graphs).map_err(io_err(&graphs))?;
            Ok(GraphStore {
                index: index_graph_files(&graphs)?,
                store: std::sync::OnceLock::new(),
                backend: Backend::Files(dir.to_owned()),
            })
        }
    }

    /// The Oxigraph store with every document graph, loading the graph files on first use.
    pub fn store(&self) -> Result<&Store, StoreError> {
        if let Some(store) = self.store.get() {
            return Ok(store);
        }
        let Backend::Files(dir) = &self.backend else {
            unreachable!("memory and RocksDB stores are opened loaded");
        };
        let store = Store::new()?;
        load_graph_files(&store, &dir.join(GRAPHS))?;
        Ok(self.store.get_or_init(|| store))
    }

    /// The loaded store, if it is: writes then keep it in step with the files.
    fn loaded(&self) -> Option<&Store> {
        self.store.get()
    }

    fn is_files(&self) -> bool {
        matches!(self.backend, Backend::Files(_))
    }

    /// How many documents the store holds.
    pub fn document_count(&self) -> Result<usize, StoreError> {
        if self.is_files() {
            return Ok(self.index.len());
        }
        Ok(self.documents()?.len())
    }

    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Memory => "memory",
            Backend::Files(_) => "files",
            #[cfg(feature = "rocksdb")]
            Backend::RocksDb(_) => "rocksdb",
        }
    }

    /// Number of quads (loads a files store).
    pub fn len(&self) -> Result<usize, StoreError> {
        Ok(self.store()?.len()?)
    }

    pub fn is_empty(&self) -> Result<bool, StoreError> {
        if self.is_files() {
            return Ok(self.index.is_empty());
        }
        Ok(self.store()?.is_empty()?)
    }

    pub fn contains_document(&self, iri: &str) -> Result<bool, StoreError> {
        if self.is_files() {
            return Ok(self.index.contains_key(iri));
        }
        Ok(self
            .store()?
            .contains_named_graph(NamedNodeRef::new_unchecked(iri))?)
    }

    /// Every document graph, sorted by IRI.
    pub fn documents(&self) -> Result<Vec<DocumentInfo>, StoreError> {
        if self.is_files() {
            return Ok(self.index.values().cloned().collect());
        }
        let store = self.store()?;
        let key_p = NamedNode::new_unchecked(vocab::iri(vocab::NG, ng::SOURCE_KEY));
        let source_p = NamedNode::new_unchecked(vocab::iri(vocab::NG, ng::SOURCE));
        let mut docs: BTreeMap<String, DocumentInfo> = BTreeMap::new();
        for q in store.quads_for_pattern(None, Some(key_p.as_ref()), None, None) {
            let q = q?;
            let (Term::Literal(key), oxigraph::model::GraphName::NamedNode(g)) =
                (&q.object, &q.graph_name)
            else {
                continue;
            };
            if q.subject.to_string() != format!("<{}>", g.as_str()) {
                continue;
            }
            let source = store
                .quads_for_pattern(
                    Some(g.as_ref().into()),
                    Some(source_p.as_ref()),
                    None,
                    Some(g.as_ref().into()),
                )
                .next()
                .transpose()?
                .and_then(|q| match q.object {
                    Term::Literal(l) => Some(l.value().to_owned()),
                    _ => None,
                })
                .unwrap_or_default();
            docs.insert(
                g.as_str().to_owned(),
                DocumentInfo {
                    iri: g.as_str().to_owned(),
                    key: key.value().to_owned(),
                    source,
                },
            );
        }
        Ok(docs.into_values().collect())
    }

    /// The documents `name` designates: an IRI, a source path or a source key.
    pub fn resolve_document(&self, name: &str) -> Result<Vec<DocumentInfo>, StoreError> {
        let docs = self.documents()?;
        let absolute = std::fs::canonicalize(name).ok();
        let found: Vec<DocumentInfo> = docs
            .into_iter()
            .filter(|d| {
                d.iri == name
                    || d.key == name
                    || d.source == name
                    || absolute
                        .as_ref()
                        .is_some_and(|a| std::fs::canonicalize(&d.source).ok().as_ref() == Some(a))
            })
            .collect();
        if found.is_empty() {
            return Err(StoreError::UnknownDocument(name.to_owned()));
        }
        Ok(found)
    }

    /// Writes one document graph in one step: added whole, or not at all. A document with
    /// the same content is left alone; a changed document with the same key replaces the old.
    pub fn put_document(
        &mut self,
        iri: &str,
        key: &str,
        quads: &[Quad],
    ) -> Result<PutOutcome, StoreError> {
        if self.contains_document(iri)? {
            return Ok(PutOutcome::Unchanged);
        }
        let replaced: Vec<String> = self
            .documents()?
            .into_iter()
            .filter(|d| d.key == key && d.iri != iri)
            .map(|d| d.iri)
            .collect();
        // Durable copy first: if we die after the rename, the next open loads it.
        if let Backend::Files(dir) = &self.backend {
            let mut body = Vec::with_capacity(quads.len() * 160);
            for q in quads {
                writeln!(body, "{q} .").map_err(io_err(dir))?;
            }
            write_atomically(&graph_file(dir, iri), &body)?;
            for old in &replaced {
                let path = graph_file(dir, old);
                std::fs::remove_file(&path).map_err(io_err(&path))?;
            }
        }
        if self.is_files() {
            for old in &replaced {
                self.index.remove(old);
            }
            self.index.insert(
                iri.to_owned(),
                document_info(iri, quads).unwrap_or(DocumentInfo {
                    iri: iri.to_owned(),
                    key: key.to_owned(),
                    source: String::new(),
                }),
            );
        }
        if let Some(store) = self.loaded() {
            let retract = self.retractions(&replaced)?;
            let mut tx = store.start_transaction()?;
            for old in &replaced {
                tx.remove_named_graph(NamedNodeRef::new_unchecked(old))?;
            }
            for t in &retract {
                tx.remove(t.as_ref().in_graph(GraphNameRef::DefaultGraph));
            }
            tx.insert_named_graph(NamedNodeRef::new_unchecked(iri));
            tx.extend(quads.iter());
            tx.commit()?;
        }
        Ok(if replaced.is_empty() {
            PutOutcome::Added
        } else {
            PutOutcome::Replaced(replaced)
        })
    }

    /// Drops one document graph; returns how many quads it held.
    pub fn remove_document(&mut self, iri: &str) -> Result<usize, StoreError> {
        let g = NamedNodeRef::new_unchecked(iri);
        // Removing loads a files store: the shared triples that go with the document are
        // the ones no other graph file asserts.
        let store = self.store()?;
        let count = store
            .quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(g)))
            .count();
        if let Backend::Files(dir) = &self.backend {
            let path = graph_file(dir, iri);
            if path.exists() {
                std::fs::remove_file(&path).map_err(io_err(&path))?;
            }
        }
        self.index.remove(iri);
        let store = self.store()?;
        let retract = self.retractions(&[iri.to_owned()])?;
        let mut tx = store.start_transaction()?;
        tx.remove_named_graph(g)?;
        for t in &retract {
            tx.remove(t.as_ref().in_graph(GraphNameRef::DefaultGraph));
        }
        tx.commit()?;
        Ok(count + retract.len())
    }

    /// The shared description triples (default graph) that only the documents `leaving`
    /// asserted: what must go with them.
    fn retractions(&self, leaving: &[String]) -> Result<Vec<Triple>, StoreError> {
        if leaving.is_empty() {
            return Ok(Vec::new());
        }
        let shared_p = NamedNode::new_unchecked(vocab::iri(vocab::NG, ng::SHARED_TRIPLES));
        let mut leaving_triples: HashSet<Triple> = HashSet::new();
        let mut staying: HashSet<Triple> = HashSet::new();
        for q in self
            .store()?
            .quads_for_pattern(None, Some(shared_p.as_ref()), None, None)
        {
            let q = q?;
            let (Term::Literal(l), GraphName::NamedNode(g)) = (&q.object, &q.graph_name) else {
                continue;
            };
            let target = if leaving.iter().any(|d| d == g.as_str()) {
                &mut leaving_triples
            } else {
                &mut staying
            };
            target.extend(parse_shared_triples(l.value()));
        }
        let mut gone: Vec<Triple> = leaving_triples
            .into_iter()
            .filter(|t| !staying.contains(t))
            .collect();
        gone.sort_by_cached_key(|t| t.to_string());
        Ok(gone)
    }

    /// Makes sure everything written is on disk.
    pub fn flush(&self) -> Result<(), StoreError> {
        #[cfg(feature = "rocksdb")]
        if let Backend::RocksDb(_) = self.backend {
            self.store()?.flush()?;
        }
        Ok(())
    }
}

/// One file per graph, named from the hash of the graph IRI (the IRI depends on `--base`).
fn graph_file(dir: &Path, iri: &str) -> PathBuf {
    let digest = Sha256::digest(iri.as_bytes());
    let name: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    dir.join(GRAPHS).join(format!("{name}.nq"))
}

fn write_atomically(path: &Path, body: &[u8]) -> Result<(), StoreError> {
    let tmp = path.with_extension("tmp");
    let mut f = std::fs::File::create(&tmp).map_err(io_err(&tmp))?;
    f.write_all(body).map_err(io_err(&tmp))?;
    f.sync_all().map_err(io_err(&tmp))?;
    drop(f);
    std::fs::rename(&tmp, path).map_err(io_err(path))?;
    Ok(())
}

/// Source key and path of a document graph, from its `ng:sourceKey` and `ng:source` quads.
fn document_info(iri: &str, quads: &[Quad]) -> Option<DocumentInfo> {
    let key_p = vocab::iri(vocab::NG, ng::SOURCE_KEY);
    let source_p = vocab::iri(vocab::NG, ng::SOURCE);
    let mut key = None;
    let mut source = String::new();
    for q in quads {
        let (
            oxigraph::model::NamedOrBlankNode::NamedNode(s),
            Term::Literal(l),
            GraphName::NamedNode(g),
        ) = (&q.subject, &q.object, &q.graph_name)
        else {
            continue;
        };
        if s.as_str() != iri || g.as_str() != iri {
            continue;
        }
        if q.predicate.as_str() == key_p {
            key = Some(l.value().to_owned());
        } else if q.predicate.as_str() == source_p {
            source = l.value().to_owned();
        }
    }
    Some(DocumentInfo {
        iri: iri.to_owned(),
        key: key?,
        source,
    })
}

/// The documents of a graph folder, without loading it: each file's key and source lines
/// are parsed (in parallel); leftover `.tmp` files of an interrupted write are deleted.
#[cfg_attr(feature = "rocksdb", allow(dead_code))]
fn index_graph_files(graphs: &Path) -> Result<BTreeMap<String, DocumentInfo>, StoreError> {
    let files = graph_files(graphs)?;
    let key_p = format!("<{}>", vocab::iri(vocab::NG, ng::SOURCE_KEY));
    let source_p = format!("<{}>", vocab::iri(vocab::NG, ng::SOURCE));
    let infos: Vec<Option<DocumentInfo>> = files
        .par_iter()
        .map(|path| {
            let text = std::fs::read(path).map_err(io_err(path))?;
            let lines: Vec<u8> = text
                .split(|&b| b == b'\n')
                .filter(|l| {
                    let l = String::from_utf8_lossy(l);
                    l.contains(key_p.as_str()) || l.contains(source_p.as_str())
                })
                .flat_map(|l| l.iter().copied().chain(std::iter::once(b'\n')))
                .collect();
            let quads = RdfParser::from_format(RdfFormat::NQuads)
                .lenient()
                .for_slice(&lines)
                .collect::<Result<Vec<Quad>, _>>()
                .map_err(|e| StoreError::Corrupt {
                    path: path.display().to_string(),
                    message: e.to_string(),
                })?;
            // The document is the graph whose own node carries the key.
            Ok(quads.iter().find_map(|q| match &q.graph_name {
                GraphName::NamedNode(g) => document_info(g.as_str(), &quads),
                _ => None,
            }))
        })
        .collect::<Result<_, StoreError>>()?;
    Ok(infos
        .into_iter()
        .flatten()
        .map(|d| (d.iri.clone(), d))
        .collect())
}

/// The `.nq` files of a graph folder, sorted; removes `.tmp` leftovers.
fn graph_files(graphs: &Path) -> Result<Vec<PathBuf>, StoreError> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(graphs).map_err(io_err(graphs))? {
        let path = entry.map_err(io_err(graphs))?.path();
        match path.extension().and_then(|e| e.to_str()) {
            Some("nq") => files.push(path),
            Some("tmp") => std::fs::remove_file(&path).map_err(io_err(&path))?,
            _ => {}
        }
    }
    files.sort();
    Ok(files)
}

/// Loads every `graphs/*.nq` file, parsing files in parallel; leftover `.tmp` files from an
/// interrupted write are deleted (their document was never in).
#[cfg_attr(feature = "rocksdb", allow(dead_code))]
fn load_graph_files(store: &Store, graphs: &Path) -> Result<(), StoreError> {
    let files = graph_files(graphs)?;
    // Parse on the other cores while this thread inserts: the two halves take about as long.
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Result<Vec<Quad>, StoreError>>(64);
    let mut loader = store.bulk_loader();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            files.par_iter().for_each_with(sender, |sender, path| {
                let parsed = std::fs::read(path).map_err(io_err(path)).and_then(|bytes| {
                    RdfParser::from_format(RdfFormat::NQuads)
                        .lenient()
                        .for_slice(&bytes)
                        .collect::<Result<Vec<Quad>, _>>()
                        .map_err(|e| StoreError::Corrupt {
                            path: path.display().to_string(),
                            message: e.to_string(),
                        })
                });
                // The receiver only goes away after an error; nothing left to report then.
                let _ = sender.send(parsed);
            });
        });
        for parsed in receiver {
            loader.load_quads(parsed?)?;
        }
        Ok::<(), StoreError>(())
    })?;
    loader.commit()?;
    Ok(())
}

#[cfg(all(test, not(feature = "rocksdb")))]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode};

    fn doc_quads(iri: &str, key: &str, extra: &str) -> Vec<Quad> {
        let g = NamedNode::new_unchecked(iri);
        let lit = |p: &str, v: &str| {
            Quad::new(
                g.clone(),
                NamedNode::new_unchecked(vocab::iri(vocab::NG, p)),
                Literal::new_simple_literal(v),
                g.clone(),
            )
        };
        vec![
            lit(ng::SOURCE_KEY, key),
            lit(ng::SOURCE, &format!("{key}.txt")),
            lit("note", extra),
        ]
    }

    #[test]
    fn ingest_writes_files_without_loading_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = GraphStore::open(dir.path()).unwrap();
        let a = "https://example.org/doc/a";
        assert_eq!(
            store
                .put_document(a, "a", &doc_quads(a, "a", "one"))
                .unwrap(),
            PutOutcome::Added
        );
        assert!(store.loaded().is_none(), "a write must not load the graphs");
        assert_eq!(
            store
                .put_document(a, "a", &doc_quads(a, "a", "one"))
                .unwrap(),
            PutOutcome::Unchanged
        );
        assert_eq!(store.document_count().unwrap(), 1);
        // Reopened, the index comes from the files, and reading loads the quads.
        let reopened = GraphStore::open(dir.path()).unwrap();
        let docs = reopened.documents().unwrap();
        assert_eq!(docs.len(), 1);
        assert_eq!(
            (docs[0].key.as_str(), docs[0].source.as_str()),
            ("a", "a.txt")
        );
        assert_eq!(reopened.len().unwrap(), 3);
    }

    #[test]
    fn a_loaded_store_follows_later_writes() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = GraphStore::open(dir.path()).unwrap();
        let (a1, a2) = ("https://example.org/doc/a1", "https://example.org/doc/a2");
        store
            .put_document(a1, "a", &doc_quads(a1, "a", "old"))
            .unwrap();
        assert_eq!(store.len().unwrap(), 3);
        // Same key, new content: replaces the old graph in memory and on disk.
        let outcome = store
            .put_document(a2, "a", &doc_quads(a2, "a", "new"))
            .unwrap();
        assert_eq!(outcome, PutOutcome::Replaced(vec![a1.to_owned()]));
        assert_eq!(store.len().unwrap(), 3);
        assert!(!store.contains_document(a1).unwrap());
        let reopened = GraphStore::open(dir.path()).unwrap();
        assert_eq!(
            reopened
                .documents()
                .unwrap()
                .iter()
                .map(|d| d.iri.as_str())
                .collect::<Vec<_>>(),
            vec![a2]
        );
        let mut reopened = reopened;
        assert_eq!(reopened.remove_document(a2).unwrap(), 3);
        assert_eq!(reopened.document_count().unwrap(), 0);
        assert!(GraphStore::open(dir.path()).unwrap().is_empty().unwrap());
    }
}
