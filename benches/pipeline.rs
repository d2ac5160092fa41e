//! Throughput of the NLP front end on real news: `cargo bench --bench pipeline`.
//!
//! Reads every `.txt` under `../shared/corpora/news-bbc` (or the directory given as the first
//! argument or in `NEWSGRAPH_BENCH_DIR`), then times, on one thread: loading the embedded
//! models, `text::segment`, `nlp::Pipeline::analyze` (tag + lemmatize + parse), and the whole
//! per-document pipeline (`pipeline::Pipeline::process`: segment, tag, parse, NER, entities,
//! coreference, facts, RDF quads), which is what `ingest` runs before writing to the store.

use std::path::{Path, PathBuf};
use std::time::Instant;

use newsgraph::nlp::Pipeline;
use newsgraph::text::segment;

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|e| e == "txt") {
            out.push(p);
        }
    }
}

fn main() {
    let dir = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .or_else(|| std::env::var("NEWSGRAPH_BENCH_DIR").ok())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/news-bbc")
        });
    let mut files = Vec::new();
    collect(&dir, &mut files);
    let texts: Vec<String> = files
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .collect();
    if texts.is_empty() {
        eprintln!("no .txt files under {}", dir.display());
        std::process::exit(1);
    }
    let bytes: usize = texts.iter().map(|t| t.len()).sum();

    let t = Instant::now();
    let pipeline = Pipeline::embedded();
    let load = t.elapsed();

    let t = Instant::now();
    let segs: Vec<_> = texts.iter().map(|x| segment(x)).collect();
    let seg_time = t.elapsed();
    let words: usize = segs.iter().map(|s| s.tokens.len()).sum();
    let sentences: usize = segs.iter().map(|s| s.sentences.len()).sum();

    let t = Instant::now();
    let mut analyzed = 0usize;
    for (text, seg) in texts.iter().zip(&segs) {
        analyzed += pipeline
            .analyze(text, seg)
            .iter()
            .map(|s| s.words.len())
            .sum::<usize>();
    }
    let analyze_time = t.elapsed();
    assert_eq!(analyzed, words);

    let t = Instant::now();
    let whole = newsgraph::pipeline::Pipeline::new(
        newsgraph::rdf::Mapper::new(newsgraph::vocab::DEFAULT_BASE).expect("default base"),
    );
    let (mut quads, mut facts) = (0usize, 0usize);
    for (file, text) in files.iter().zip(&texts) {
        let doc = newsgraph::source::Document::from_text(&file.display().to_string(), text.clone());
        let out = whole.process(&doc);
        quads += out.quads.len();
        facts += out.extraction.facts.len();
    }
    let whole_time = t.elapsed();

    let total = seg_time + analyze_time;
    println!(
        "{} files, {:.1} MB, {} sentences, {} words (from {})",
        texts.len(),
        bytes as f64 / 1e6,
        sentences,
        words,
        dir.display()
    );
    println!("model load:          {:.1} ms", load.as_secs_f64() * 1e3);
    println!(
        "segment:             {:.2} s, {:.0} words/s",
        seg_time.as_secs_f64(),
        words as f64 / seg_time.as_secs_f64()
    );
    println!(
        "tag+lemma+parse:     {:.2} s, {:.0} words/s",
        analyze_time.as_secs_f64(),
        words as f64 / analyze_time.as_secs_f64()
    );
    println!(
        "segment+analyze:     {:.2} s, {:.0} words/s (one thread)",
        total.as_secs_f64(),
        words as f64 / total.as_secs_f64()
    );
    println!(
        "whole pipeline:      {:.2} s, {:.0} words/s (one thread; {} facts, {} quads)",
        whole_time.as_secs_f64(),
        words as f64 / whole_time.as_secs_f64(),
        facts,
        quads
    );
}
