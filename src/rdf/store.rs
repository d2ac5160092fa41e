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
    store: Store,
    backend: Backend,
}

impl GraphStore {
    /// A throwaway in-memory store (`--memory`).
    pub fn memory() -> Result<Self, StoreError> {
        Ok(GraphStore {
            store: Store::new()?,
            backend: Backend::Memory,
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
                store,
                backend: Backend::RocksDb(dir.to_owned()),
            })
        }
        #[cfg(not(feature = "rocksdb"))]
        {
            let graphs = dir.join(GRAPHS);
            std::fs::create_dir_all(&graphs).map_err(io_err(&graphs))?;
            let store = Store::new()?;
            load_graph_files(&store, &graphs)?;
            Ok(GraphStore {
                store,
                backend: Backend::Files(dir.to_owned()),
            })
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Memory => "memory",
            Backend::Files(_) => "files",
            #[cfg(feature = "rocksdb")]
            Backend::RocksDb(_) => "rocksdb",
        }
    }

    pub fn len(&self) -> Result<usize, StoreError> {
        Ok(self.store.len()?)
    }

    pub fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.store.is_empty()?)
    }

    pub fn contains_document(&self, iri: &str) -> Result<bool, StoreError> {
        Ok(self
            .store
            .contains_named_graph(NamedNodeRef::new_unchecked(iri))?)
    }

    /// Every document graph, sorted by IRI.
    pub fn documents(&self) -> Result<Vec<DocumentInfo>, StoreError> {
        let key_p = NamedNode::new_unchecked(vocab::iri(vocab::NG, ng::SOURCE_KEY));
        let source_p = NamedNode::new_unchecked(vocab::iri(vocab::NG, ng::SOURCE));
        let mut docs: BTreeMap<String, DocumentInfo> = BTreeMap::new();
        for q in self
            .store
            .quads_for_pattern(None, Some(key_p.as_ref()), None, None)
        {
            let q = q?;
            let (Term::Literal(key), oxigraph::model::GraphName::NamedNode(g)) =
                (&q.object, &q.graph_name)
            else {
                continue;
            };
            if q.subject.to_string() != format!("<{}>", g.as_str()) {
                continue;
            }
            let source = self
                .store
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
        let retract = self.retractions(&replaced)?;
        let mut tx = self.store.start_transaction()?;
        for old in &replaced {
            tx.remove_named_graph(NamedNodeRef::new_unchecked(old))?;
        }
        for t in &retract {
            tx.remove(t.as_ref().in_graph(GraphNameRef::DefaultGraph));
        }
        tx.insert_named_graph(NamedNodeRef::new_unchecked(iri));
        tx.extend(quads.iter());
        tx.commit()?;
        Ok(if replaced.is_empty() {
            PutOutcome::Added
        } else {
            PutOutcome::Replaced(replaced)
        })
    }

    /// Drops one document graph; returns how many quads it held.
    pub fn remove_document(&mut self, iri: &str) -> Result<usize, StoreError> {
        let g = NamedNodeRef::new_unchecked(iri);
        let count = self
            .store
            .quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(g)))
            .count();
        if let Backend::Files(dir) = &self.backend {
            let path = graph_file(dir, iri);
            if path.exists() {
                std::fs::remove_file(&path).map_err(io_err(&path))?;
            }
        }
        let retract = self.retractions(&[iri.to_owned()])?;
        let mut tx = self.store.start_transaction()?;
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
            .store
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
            self.store.flush()?;
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

/// Loads every `graphs/*.nq` file, parsing files in parallel; leftover `.tmp` files from an
/// interrupted write are deleted (their document was never in).
#[cfg_attr(feature = "rocksdb", allow(dead_code))]
fn load_graph_files(store: &Store, graphs: &Path) -> Result<(), StoreError> {
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
