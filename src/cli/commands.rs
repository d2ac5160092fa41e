//! One function per command.

use super::output::{write_answer, ResultFormat};
use super::{Cli, Command, GlobalArgs};
use crate::ir::EntityKind;
use crate::pipeline::{Pipeline, Processed};
use crate::rdf::query::{self, QueryError};
use crate::rdf::store::PutOutcome;
use crate::rdf::{GraphStore, Mapper, RdfSyntax, StoreError};
use crate::source::{self, Document, Input, SourceError};
use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Exit codes, documented in the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ExitStatus {
    Failure = 1,
    Usage = 2,
    BadInput = 3,
    BadQuery = 4,
    BrokenPipe = 141,
}

impl ExitStatus {
    pub fn of(err: &anyhow::Error) -> ExitStatus {
        for cause in err.chain() {
            if cause.is::<SourceError>() {
                return ExitStatus::BadInput;
            }
            if cause.is::<QueryError>() {
                return ExitStatus::BadQuery;
            }
            if let Some(e) = cause.downcast_ref::<std::io::Error>() {
                if e.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitStatus::BrokenPipe;
                }
            }
            if cause.is::<UsageError>() {
                return ExitStatus::Usage;
            }
        }
        ExitStatus::Failure
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(String);

pub fn run(cli: Cli) -> Result<()> {
    let g = &cli.global;
    if let Some(width) = g.beam {
        crate::nlp::set_embedded_beam(usize::from(width));
        let parses = matches!(
            cli.command,
            Command::Ingest(_) | Command::Extract(_) | Command::Demo(_)
        );
        if parses && width > 1 {
            if let Ok(p) = crate::nlp::Pipeline::try_embedded() {
                super::nlp::warn_untrained_beam(&p.parser);
            }
        }
    }
    match &cli.command {
        Command::Ingest(a) => ingest(g, a),
        Command::Extract(a) => extract(g, a),
        Command::Query(a) => query_cmd(g, a),
        Command::Export(a) => export(g, a),
        Command::Render(a) => render(g, a),
        Command::Remove(a) => remove(g, a),
        Command::Documents => documents(g),
        Command::Demo(a) => demo(g, a),
        Command::Train(a) => super::nlp::train(a),
        Command::Eval(a) => super::nlp::eval(a),
    }
}

fn mapper(g: &GlobalArgs) -> Result<Mapper> {
    Mapper::new(&g.base).map_err(|e| UsageError(format!("--base: {e}")).into())
}

fn store_dir(g: &GlobalArgs) -> PathBuf {
    g.store
        .clone()
        .unwrap_or_else(|| PathBuf::from("newsgraph.db"))
}

fn open_store(g: &GlobalArgs) -> Result<GraphStore> {
    if g.memory {
        return Ok(GraphStore::memory()?);
    }
    let dir = store_dir(g);
    GraphStore::open(&dir).with_context(|| format!("opening store {}", dir.display()))
}

/// Opens an existing store for reading; a missing store is an error, not an empty answer.
fn open_existing_store(g: &GlobalArgs) -> Result<GraphStore> {
    if !g.memory {
        let dir = store_dir(g);
        if !dir.exists() {
            bail!(
                "no store at {} (run `newsgraph ingest PATH` first, or pass --store DIR)",
                dir.display()
            );
        }
    }
    open_store(g)
}

fn progress(g: &GlobalArgs, len: u64, what: &str) -> ProgressBar {
    if g.quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} ({per_sec}, {eta})")
            .expect("static template")
            .progress_chars("=> "),
    );
    bar.set_message(what.to_owned());
    bar
}

// ------------------------------------------------------------------ ingest

#[derive(Debug, clap::Args)]
pub struct IngestArgs {
    /// Files, folders (recursive: .txt .md .html .jsonl) or - for stdin
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Warn about and skip bad inputs (binary, invalid UTF-8, empty, too large) instead of
    /// refusing the whole ingest
    #[arg(long)]
    pub skip_invalid: bool,
    #[command(flatten)]
    pub date: DateArg,
}

/// `--date`, shared by the commands that read documents.
#[derive(Debug, clap::Args)]
pub struct DateArg {
    /// Article date for documents whose metadata and dateline give none; "on Tuesday",
    /// "last week" are resolved against it
    #[arg(long = "date", value_name = "YYYY-MM-DD", value_parser = parse_date_arg)]
    pub value: Option<String>,
}

/// A real calendar day as `YYYY-MM-DD`; clap reports anything else as a usage error (exit 2).
fn parse_date_arg(s: &str) -> Result<String, String> {
    source::parse_ymd(s)
        .map(|_| s.to_owned())
        .ok_or_else(|| "expected a calendar date as YYYY-MM-DD, e.g. 2025-01-28".to_owned())
}

/// Counts for the summary line.
#[derive(Debug, Default)]
pub struct IngestSummary {
    pub added: usize,
    pub unchanged: usize,
    pub replaced: usize,
    pub skipped: usize,
    pub facts: usize,
    /// Quads written (of documents added or replaced).
    pub quads: usize,
    pub entities: BTreeSet<String>,
}

impl IngestSummary {
    /// Adds the counts of another ingest into the same store.
    fn absorb(&mut self, other: IngestSummary) {
        self.added += other.added;
        self.unchanged += other.unchanged;
        self.replaced += other.replaced;
        self.skipped += other.skipped;
        self.facts += other.facts;
        self.quads += other.quads;
        self.entities.extend(other.entities);
    }
}

/// An input that passed the checks, with its documents when they cannot be read twice (stdin).
type CheckedInput = (Input, Option<Vec<Document>>);

/// Reads every input once to check it before anything is written, so a bad file
/// leaves the store as it was. Stdin can only be read once, so its documents are kept.
/// With `skip_invalid`, bad inputs are reported and left out instead.
fn validate(
    inputs: Vec<Input>,
    limit: u64,
    skip_invalid: bool,
    summary: &mut IngestSummary,
) -> Result<Vec<CheckedInput>, SourceError> {
    let checked: Vec<Result<Option<Vec<Document>>, SourceError>> = inputs
        .par_iter()
        .map(|input| {
            let docs = source::read_limited(input, limit)?;
            Ok(matches!(input, Input::Stdin).then_some(docs))
        })
        .collect();
    let mut good = Vec::with_capacity(inputs.len());
    for (input, result) in inputs.into_iter().zip(checked) {
        match result {
            Ok(kept) => good.push((input, kept)),
            Err(e) if skip_invalid => {
                eprintln!("newsgraph: warning: skipped {e}");
                summary.skipped += 1;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(good)
}

pub fn ingest_into(
    store: &mut GraphStore,
    pipeline: &Pipeline,
    paths: &[PathBuf],
    limit: u64,
    skip_invalid: bool,
    default_date: Option<&str>,
    bar: &ProgressBar,
) -> Result<IngestSummary> {
    let mut summary = IngestSummary::default();
    let inputs = validate(source::expand(paths)?, limit, skip_invalid, &mut summary)?;
    bar.set_length(inputs.len() as u64);
    let base = pipeline.mapper().base().to_owned();
    // Batches bound memory by the batch, not the corpus; within one, documents run in parallel.
    for batch in inputs.chunks(64) {
        let processed: Vec<Vec<Processed>> = batch
            .par_iter()
            .map(|(input, kept)| {
                let docs = match kept {
                    Some(d) => d.clone(),
                    None => source::read_limited(input, limit)?,
                };
                Ok(docs
                    .into_iter()
                    .map(|d| pipeline.process(&d.date_or(default_date)))
                    .collect())
            })
            .collect::<Result<_, SourceError>>()?;
        for p in processed.into_iter().flatten() {
            let iri = p.document_iri(&base);
            let outcome = store
                .put_document(&iri, &p.extraction.document.key, &p.quads)
                .with_context(|| format!("writing {}", p.extraction.document.source))?;
            match outcome {
                PutOutcome::Unchanged => summary.unchanged += 1,
                PutOutcome::Added => summary.added += 1,
                PutOutcome::Replaced(_) => summary.replaced += 1,
            }
            if outcome != PutOutcome::Unchanged {
                summary.quads += p.quads.len();
            }
            summary.facts += p.extraction.facts.len();
            for e in &p.extraction.entities {
                if e.kind != EntityKind::Concept {
                    summary
                        .entities
                        .insert(pipeline.mapper().entity_iri(e.kind, &e.key));
                }
            }
        }
        bar.inc(batch.len() as u64);
    }
    store.flush()?;
    Ok(summary)
}

fn ingest(g: &GlobalArgs, a: &IngestArgs) -> Result<()> {
    let started = Instant::now();
    let pipeline = Pipeline::new(mapper(g)?);
    // Check the inputs exist before creating a store for them.
    source::expand(&a.paths)?;
    let mut store = open_store(g)?;
    let bar = progress(g, 0, "ingesting");
    let summary = ingest_into(
        &mut store,
        &pipeline,
        &a.paths,
        g.max_document_bytes,
        a.skip_invalid,
        a.date.value.as_deref(),
        &bar,
    )?;
    bar.finish_and_clear();
    if !g.quiet {
        eprintln!(
            "{} documents ({} new, {} replaced, {} unchanged{}), {} entities, {} facts, {} quads written; store {} holds {} documents; {:.2}s",
            summary.added + summary.replaced + summary.unchanged,
            summary.added,
            summary.replaced,
            summary.unchanged,
            if summary.skipped > 0 { format!(", {} skipped", summary.skipped) } else { String::new() },
            summary.entities.len(),
            summary.facts,
            summary.quads,
            if g.memory { "(memory)".to_owned() } else { store_dir(g).display().to_string() },
            store.document_count()?,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

// ------------------------------------------------------------------ extract

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExtractFormat {
    /// The IR: one JSON object per document
    Jsonl,
    Nquads,
    Turtle,
    /// Open IE tuples, one input line = one sentence:
    /// sentence<TAB>confidence<TAB>relation<TAB>arg1<TAB>arg2…
    Openie,
    /// Tokens, tags, lemmas and dependency trees as CoNLL-U (what the extractor reads)
    Conllu,
}

#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// Files, folders or - for stdin
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[arg(long, short, value_enum, default_value = "jsonl")]
    pub format: ExtractFormat,
    #[command(flatten)]
    pub date: DateArg,
}

fn extract(g: &GlobalArgs, a: &ExtractArgs) -> Result<()> {
    let pipeline = Pipeline::new(mapper(g)?);
    let inputs = source::expand(&a.paths)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if a.format == ExtractFormat::Conllu {
        let nlp = crate::nlp::Pipeline::try_embedded().map_err(|e| anyhow::anyhow!("{e}"))?;
        for input in &inputs {
            for d in source::read_limited(input, g.max_document_bytes)? {
                let seg = crate::text::segment(&d.text);
                let analyzed = nlp.analyze(&d.text, &seg);
                crate::nlp::conllu::write(&mut out, &d.key, &d.text, &analyzed)
                    .with_context(|| format!("writing the analysis of {}", d.source))?;
            }
        }
        out.flush()?;
        return Ok(());
    }
    if a.format == ExtractFormat::Openie {
        let nlp = crate::nlp::Pipeline::try_embedded().map_err(|e| anyhow::anyhow!("{e}"))?;
        for input in &inputs {
            for d in source::read_limited(input, g.max_document_bytes)? {
                for e in crate::extract::clauses::openie(&d.text, nlp) {
                    write!(out, "{}\t{:.4}\t{}", e.sentence, e.confidence, e.relation)?;
                    for arg in &e.args {
                        write!(out, "\t{arg}")?;
                    }
                    writeln!(out)?;
                }
            }
        }
        out.flush()?;
        return Ok(());
    }
    for batch in inputs.chunks(64) {
        let processed: Vec<Vec<Processed>> = batch
            .par_iter()
            .map(|input| {
                let docs = source::read_limited(input, g.max_document_bytes)?;
                Ok(docs
                    .into_iter()
                    .map(|d| pipeline.process(&d.date_or(a.date.value.as_deref())))
                    .collect())
            })
            .collect::<Result<_, SourceError>>()?;
        for p in processed.into_iter().flatten() {
            match a.format {
                ExtractFormat::Jsonl => {
                    serde_json::to_writer(&mut out, &p.extraction)?;
                    out.write_all(b"\n")?;
                }
                ExtractFormat::Nquads => {
                    for q in &p.quads {
                        writeln!(out, "{q} .")?;
                    }
                }
                ExtractFormat::Turtle => {
                    crate::rdf::format::write_quads(RdfSyntax::Turtle, p.quads, &mut out)?;
                }
                ExtractFormat::Openie | ExtractFormat::Conllu => unreachable!("handled above"),
            }
        }
    }
    out.flush()?;
    Ok(())
}

// ------------------------------------------------------------------ query

#[derive(Debug, clap::Args)]
pub struct QueryArgs {
    /// A .rq file (or - for stdin)
    #[arg(
        value_name = "FILE",
        required_unless_present = "expression",
        conflicts_with = "expression"
    )]
    pub file: Option<PathBuf>,
    /// The query text itself
    #[arg(long, short = 'e', value_name = "SPARQL")]
    pub expression: Option<String>,
    /// Bind a variable before running: name=value (value <iri> or a string); repeatable
    #[arg(long, value_name = "NAME=VALUE")]
    pub bind: Vec<String>,
    /// Output format [default: table on a terminal, tsv when piped; turtle for graphs]
    #[arg(long, short, value_enum)]
    pub format: Option<ResultFormat>,
}

fn read_query(a: &QueryArgs) -> Result<(String, String)> {
    if let Some(e) = &a.expression {
        return Ok(("-e".to_owned(), e.clone()));
    }
    let path = a.file.as_ref().expect("clap requires file or -e");
    let input = if path.as_os_str() == "-" {
        Input::Stdin
    } else {
        Input::File(path.clone())
    };
    let name = input.display();
    if let Input::File(p) = &input {
        if !p.exists() {
            return Err(SourceError::Missing { path: name }.into());
        }
    }
    let bytes = match &input {
        Input::Stdin => {
            let mut buf = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf)?;
            buf
        }
        Input::File(p) => std::fs::read(p).with_context(|| format!("reading {name}"))?,
    };
    Ok((name.clone(), source::decode(&name, bytes)?))
}

pub fn run_query(
    store: &GraphStore,
    origin: &str,
    text: &str,
    binds: &[String],
) -> Result<query::Answer> {
    let bindings = binds
        .iter()
        .map(|b| query::parse_binding(b))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(query::run(store.store()?, origin, text, &bindings)?)
}

fn query_cmd(g: &GlobalArgs, a: &QueryArgs) -> Result<()> {
    let (origin, text) = read_query(a)?;
    let store = open_existing_store(g)?;
    let answer = run_query(&store, &origin, &text, &a.bind)?;
    let format = a.format.unwrap_or(if std::io::stdout().is_terminal() {
        ResultFormat::Table
    } else {
        ResultFormat::Tsv
    });
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    write_answer(answer, format, &mut out)?;
    out.flush()?;
    Ok(())
}

// ------------------------------------------------------------------ export / render

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Turtle,
    Ntriples,
    Nquads,
    Trig,
    Rdfxml,
    Jsonld,
    Dot,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    #[arg(long, short, value_enum, default_value = "nquads")]
    pub format: ExportFormat,
    /// Only this document's graph (its IRI, source path or key)
    #[arg(long, value_name = "DOC")]
    pub graph: Option<String>,
    /// Write here instead of stdout (written to a temporary file, then renamed)
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

fn selected_quads(store: &GraphStore, graph: Option<&str>) -> Result<Vec<oxigraph::model::Quad>> {
    match graph {
        None => Ok(store
            .store()?
            .iter()
            .collect::<Result<Vec<_>, _>>()
            .map_err(StoreError::from)?),
        Some(name) => {
            let mut quads = Vec::new();
            for doc in store.resolve_document(name)? {
                let g = oxigraph::model::NamedNodeRef::new_unchecked(&doc.iri);
                for q in store
                    .store()?
                    .quads_for_pattern(None, None, None, Some(g.into()))
                {
                    quads.push(q.map_err(StoreError::from)?);
                }
            }
            Ok(quads)
        }
    }
}

/// Writes `body` to `path` atomically, or to stdout when `path` is None.
fn emit(path: Option<&Path>, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    match path {
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            write(&mut out)?;
            out.flush()?;
        }
        Some(path) => {
            let tmp = path.with_extension("newsgraph-tmp");
            let file = std::fs::File::create(&tmp)
                .with_context(|| format!("creating {}", tmp.display()))?;
            let mut out = std::io::BufWriter::new(file);
            let result = write(&mut out).and_then(|()| Ok(out.flush()?));
            if let Err(e) = result {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
            drop(out);
            std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
        }
    }
    Ok(())
}

fn export(g: &GlobalArgs, a: &ExportArgs) -> Result<()> {
    let store = open_existing_store(g)?;
    let quads = selected_quads(&store, a.graph.as_deref())?;
    emit(a.output.as_deref(), |out| {
        let syntax = match a.format {
            ExportFormat::Turtle => RdfSyntax::Turtle,
            ExportFormat::Ntriples => RdfSyntax::Ntriples,
            ExportFormat::Nquads => RdfSyntax::Nquads,
            ExportFormat::Trig => RdfSyntax::Trig,
            ExportFormat::Rdfxml => RdfSyntax::Rdfxml,
            ExportFormat::Jsonld => RdfSyntax::Jsonld,
            ExportFormat::Dot => {
                let graph = relation_graph(quads);
                out.write_all(crate::graph::to_dot(&graph).as_bytes())?;
                return Ok(());
            }
        };
        crate::rdf::format::write_quads(syntax, quads, out)?;
        Ok(())
    })
}

fn relation_graph(quads: Vec<oxigraph::model::Quad>) -> crate::graph::RelationGraph {
    crate::graph::RelationGraph::from_triples(quads.into_iter().map(oxigraph::model::Triple::from))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RenderFormat {
    Svg,
    Html,
    Dot,
}

#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// Output format [default: from the -o extension, else svg]
    #[arg(long, short, value_enum)]
    pub format: Option<RenderFormat>,
    /// Output file [default: stdout]
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only the neighbourhood of entities whose label contains NAME
    #[arg(long, value_name = "NAME")]
    pub focus: Option<String>,
    /// Hops around --focus
    #[arg(long, default_value_t = 1)]
    pub depth: usize,
    /// Only this document's graph (its IRI, source path or key)
    #[arg(long, value_name = "DOC")]
    pub graph: Option<String>,
}

pub fn render_to(store: &GraphStore, a: &RenderArgs, out: &mut dyn Write) -> Result<usize> {
    let quads = selected_quads(store, a.graph.as_deref())?;
    let mut graph = relation_graph(quads);
    if let Some(name) = &a.focus {
        graph = graph
            .focus(name, a.depth)
            .map_err(|e| UsageError(format!("--focus: {e}")))?;
    }
    let format = a.format.unwrap_or_else(|| {
        match a
            .output
            .as_ref()
            .and_then(|p| p.extension())
            .and_then(|e| e.to_str())
        {
            Some("html") | Some("htm") => RenderFormat::Html,
            Some("dot") | Some("gv") => RenderFormat::Dot,
            _ => RenderFormat::Svg,
        }
    });
    let body = match format {
        RenderFormat::Svg => crate::graph::to_svg(&graph),
        RenderFormat::Html => crate::graph::to_html(&graph, "newsgraph"),
        RenderFormat::Dot => crate::graph::to_dot(&graph),
    };
    out.write_all(body.as_bytes())?;
    Ok(graph.node_count())
}

fn render(g: &GlobalArgs, a: &RenderArgs) -> Result<()> {
    let store = open_existing_store(g)?;
    emit(a.output.as_deref(), |out| {
        render_to(&store, a, out).map(|_| ())
    })
}

// ------------------------------------------------------------------ remove / documents

#[derive(Debug, clap::Args)]
pub struct RemoveArgs {
    /// Document IRI, source path or key
    #[arg(value_name = "DOC")]
    pub doc: String,
}

fn remove(g: &GlobalArgs, a: &RemoveArgs) -> Result<()> {
    let mut store = open_existing_store(g)?;
    for doc in store.resolve_document(&a.doc)? {
        let n = store.remove_document(&doc.iri)?;
        if !g.quiet {
            eprintln!("removed {} ({}): {n} quads", doc.iri, doc.source);
        }
    }
    store.flush()?;
    Ok(())
}

fn documents(g: &GlobalArgs) -> Result<()> {
    let store = open_existing_store(g)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for d in store.documents()? {
        writeln!(out, "{}\t{}", d.iri, d.source)?;
    }
    Ok(())
}

// ------------------------------------------------------------------ demo

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Where the demo writes its store, diagram and query results
    #[arg(long, default_value = "newsgraph-demo", value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub date: DateArg,
}

/// The brief's article (a CNN story) carries no date in its text; it was published then.
const BRIEF_DATE: &str = "2025-01-28";

/// The project folder holding data/samples and queries/: the current directory when it has
/// them (a checkout), else the folder the binary was built from.
fn project_dir() -> PathBuf {
    let here = PathBuf::from(".");
    if here.join("data/samples").is_dir() && here.join("queries").is_dir() {
        return here;
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn demo(g: &GlobalArgs, a: &DemoArgs) -> Result<()> {
    let started = Instant::now();
    let project = project_dir();
    let samples = project.join("data/samples");
    let queries = project.join("queries");
    std::fs::create_dir_all(&a.out).with_context(|| format!("creating {}", a.out.display()))?;
    let store_path = a.out.join("store");
    let mut store = if g.memory {
        GraphStore::memory()?
    } else {
        GraphStore::open(&store_path)?
    };
    let pipeline = Pipeline::new(mapper(g)?);
    let date = a.date.value.as_deref();
    let mut paths = vec![samples.clone()];
    let mut summary = ingest_into(
        &mut store,
        &pipeline,
        &paths,
        g.max_document_bytes,
        false,
        date,
        &ProgressBar::hidden(),
    )?;
    // The article the product was specified from, when the shared folder is beside us.
    let brief = project.join("../shared/samples/milley-clearance.txt");
    if brief.is_file() {
        summary.absorb(ingest_into(
            &mut store,
            &pipeline,
            std::slice::from_ref(&brief),
            g.max_document_bytes,
            false,
            Some(date.unwrap_or(BRIEF_DATE)),
            &ProgressBar::hidden(),
        )?);
        paths.push(brief);
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Ingested {} documents from {}: {} entities, {} facts, {} quads in {}.\n",
        summary.added + summary.replaced + summary.unchanged,
        paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(" and "),
        summary.entities.len(),
        summary.facts,
        store.len()?,
        store_path.display()
    )?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(&queries)
        .with_context(|| format!("reading {}", queries.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rq"))
        .collect();
    files.sort();
    let results_dir = a.out.join("results");
    std::fs::create_dir_all(&results_dir)?;
    for file in &files {
        let text =
            std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        let what = text
            .lines()
            .filter_map(|l| l.strip_prefix('#').map(str::trim))
            .find(|l| !l.is_empty() && !l.ends_with(".rq"))
            .unwrap_or_default();
        let answer = run_query(&store, &file.display().to_string(), &text, &[])?;
        let name = file.file_stem().and_then(|s| s.to_str()).unwrap_or("query");
        let csv = results_dir.join(format!("{name}.csv"));
        emit(Some(&csv), |w| {
            write_answer(answer.clone(), ResultFormat::Csv, w)
        })?;
        writeln!(out, "── {} — {what}", file.display())?;
        if let query::Answer::Solutions { variables, rows } = answer {
            let shown = rows.len().min(8);
            super::output::write_table(&variables, &rows[..shown], &mut out)?;
            if rows.len() > shown {
                writeln!(
                    out,
                    "… {} more rows in {}",
                    rows.len() - shown,
                    csv.display()
                )?;
            }
        }
        writeln!(out)?;
    }
    let svg = a.out.join("graph.svg");
    let html = a.out.join("graph.html");
    let render_args = |format, output: &Path| RenderArgs {
        format: Some(format),
        output: Some(output.to_owned()),
        focus: None,
        depth: 1,
        graph: None,
    };
    let mut nodes = 0;
    emit(Some(&svg), |w| {
        nodes = render_to(&store, &render_args(RenderFormat::Svg, &svg), w)?;
        Ok(())
    })?;
    emit(Some(&html), |w| {
        render_to(&store, &render_args(RenderFormat::Html, &html), w).map(|_| ())
    })?;
    let store_flag = if g.memory {
        "--memory".to_owned()
    } else {
        format!("--store {}", store_path.display())
    };
    writeln!(
        out,
        "Diagram ({nodes} nodes): {} and {}\nQuery results (CSV): {}\nDone in {:.1}s.\n\nTry next:\n  newsgraph query {store_flag} {}/entity.rq --bind name=Milley\n  newsgraph render {store_flag} --focus Milley --depth 1 -o milley.svg\n  newsgraph export {store_flag} --format turtle -o graph.ttl",
        svg.display(),
        html.display(),
        results_dir.display(),
        started.elapsed().as_secs_f64(),
        queries.display(),
    )?;
    Ok(())
}
