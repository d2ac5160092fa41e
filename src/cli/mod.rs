//! The command line: argument parsing and one function per command. `main.rs` only calls
//! [`main`]; everything here is thin glue over the library stages.

mod commands;
pub mod nlp;
mod output;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

pub use commands::ExitStatus;

const AFTER_HELP: &str = "\
Examples:
  newsgraph demo                                  ingest the bundled samples, run the queries, draw a diagram
  newsgraph ingest articles/ --store kg.db        extract every .txt/.md/.html/.jsonl below articles/
  newsgraph query queries/who-did-what.rq         run a SPARQL file over all documents
  newsgraph query -e 'SELECT ?p WHERE { ?p a schema:Person }' --format csv
  newsgraph extract article.txt --format jsonl    the pipeline without a store
  newsgraph render --focus Milley --depth 1 -o milley.svg
  newsgraph export --format turtle -o graph.ttl

Exit codes: 0 success, 1 error, 2 bad usage, 3 bad input document, 4 bad query.";

/// Reads English news articles and builds a traceable RDF knowledge graph of them.
#[derive(Debug, Parser)]
#[command(name = "newsgraph", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, clap::Args)]
pub struct GlobalArgs {
    /// Store directory [default: $NEWSGRAPH_STORE, else ./newsgraph.db]
    #[arg(long, global = true, env = "NEWSGRAPH_STORE", value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// Use a throwaway in-memory store (nothing is written to disk)
    #[arg(long, global = true, conflicts_with = "store")]
    pub memory: bool,
    /// Base IRI for instance IRIs (must end with '/' or '#')
    #[arg(long, global = true, default_value = crate::vocab::DEFAULT_BASE, value_name = "IRI")]
    pub base: String,
    /// Refuse documents larger than this many bytes (a JSONL file: per line)
    #[arg(long, global = true, default_value_t = crate::source::DEFAULT_MAX_DOCUMENT_BYTES, value_name = "BYTES")]
    pub max_document_bytes: u64,
    /// No progress bar or summary on stderr
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Parser beam width [default: the width the parser was trained for; the bundled
    /// parser is greedy, 1]. `train parser` trains for this width.
    #[arg(long, global = true, env = "NEWSGRAPH_BEAM",
          value_parser = clap::value_parser!(u16).range(1..=64), value_name = "WIDTH")]
    pub beam: Option<u16>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Ingest files, folders (recursively) or - (stdin) into the store
    #[command(
        after_help = "Examples:\n  newsgraph ingest data/samples/\n  cat story.txt | newsgraph ingest -\n\nRe-ingesting an unchanged document changes nothing; a changed document (same path or JSONL id) replaces its graph."
    )]
    Ingest(commands::IngestArgs),
    /// Run the pipeline without a store and stream the result to stdout
    #[command(
        after_help = "Examples:\n  newsgraph extract story.txt --format jsonl | jq .facts\n  newsgraph extract corpus/ --format nquads > corpus.nq"
    )]
    Extract(commands::ExtractArgs),
    /// Run a SPARQL query (SELECT/ASK/CONSTRUCT/DESCRIBE) over the union of all documents
    #[command(
        after_help = "Examples:\n  newsgraph query queries/entity.rq --bind name=Milley\n  newsgraph query -e 'ASK { ?s rel:pardon ?o }'\n\nThe prefixes ng: rel: schema: rdfs: rdf: skos: owl: prov: nif: dct: xsd: are predeclared."
    )]
    Query(commands::QueryArgs),
    /// Export the store, or one document's graph, as RDF or DOT
    Export(commands::ExportArgs),
    /// Draw a relationship diagram (SVG, self-contained HTML or DOT)
    Render(commands::RenderArgs),
    /// Retract one document's graph (give its IRI, source path or key)
    Remove(commands::RemoveArgs),
    /// List the documents in the store
    Documents,
    /// Ingest the bundled samples, run the queries in queries/, render a diagram
    Demo(commands::DemoArgs),
    /// Train a model from the corpora in ../shared/corpora (reproduces data/models/)
    #[command(
        after_help = "Examples:\n  newsgraph train tagger --dev ../shared/corpora/ud-en-ewt/en_ewt-ud-dev.conllu\n  newsgraph train parser --jackknife 5 --iterations 15 --dev ../shared/corpora/ud-en-ewt/en_ewt-ud-dev.conllu\n  newsgraph train ner --jackknife 5 --dev ../shared/corpora/uner-en-ewt/en_ewt-ud-dev.iob2"
    )]
    Train(nlp::TrainArgs),
    /// Score a component on a gold file
    #[command(
        after_help = "Examples:\n  newsgraph eval parser --gold ../shared/corpora/ud-en-ewt/en_ewt-ud-test.conllu --format json"
    )]
    Eval(nlp::EvalArgs),
}

/// Parses arguments, runs the command, prints errors with context, returns the exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let status = ExitStatus::of(&err);
            // A closed pipe (`newsgraph export | head`) is not an error worth a message.
            if status == ExitStatus::BrokenPipe {
                return ExitCode::SUCCESS;
            }
            eprintln!("newsgraph: error: {err:#}");
            ExitCode::from(status as u8)
        }
    }
}
