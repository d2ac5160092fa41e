//! Bad input: a clear message naming the file, a non-zero exit, and the store as it was.

use crate::util::*;
use predicates::prelude::*;
use std::path::Path;

/// Ingests `bad` next to a good article into a store that already holds one document, and
/// checks the exit code, the message and that the store did not change.
fn rejected(bad: &Path, code: i32, message: &str) {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    newsgraph(&store)
        .arg("ingest")
        .arg(samples().join("customs-pardon.txt"))
        .assert()
        .success();
    let before = stdout(newsgraph(&store).args(["export", "--format", "nquads"]));
    newsgraph(&store)
        .arg("ingest")
        .arg(samples().join("reserve-pension.txt"))
        .arg(bad)
        .assert()
        .code(code)
        .stderr(
            predicate::str::contains(message).and(predicate::str::contains(
                bad.file_name().unwrap().to_str().unwrap(),
            )),
        );
    let after = stdout(newsgraph(&store).args(["export", "--format", "nquads"]));
    assert_eq!(before, after, "a rejected ingest changed the store");
}

#[test]
fn binary_file() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("image.txt");
    std::fs::write(&bad, [0x89, b'P', b'N', b'G', 0, 0, 0, 13]).unwrap();
    rejected(&bad, 3, "binary");
}

#[test]
fn invalid_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("latin1.txt");
    std::fs::write(&bad, b"Caf\xe9 owner Jos\xe9 Ruiz sued the city.\n").unwrap();
    rejected(&bad, 3, "invalid UTF-8 at byte 3");
}

#[test]
fn empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("empty.md");
    std::fs::write(&bad, "  \n\n").unwrap();
    rejected(&bad, 3, "empty");
}

#[test]
fn missing_path() {
    rejected(Path::new("/no/such/article.txt"), 3, "no such file");
}

#[test]
fn malformed_jsonl_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("feed.jsonl");
    std::fs::write(
        &bad,
        "{\"id\":\"a\",\"text\":\"Ana Ruiz resigned.\"}\n{\"id\": \"b\", \"text\": \n",
    )
    .unwrap();
    rejected(&bad, 3, "feed.jsonl:2:");
}

#[test]
fn fifty_megabyte_single_line_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("dump.txt");
    let unit = "Mayor Ana Ruiz fired the harbor board and Tom Hale said nothing ";
    std::fs::write(&big, unit.repeat(50 * 1024 * 1024 / unit.len())).unwrap();
    rejected(&big, 3, "larger than the");
}

#[test]
fn long_sentence_without_end_stays_linear() {
    // A single 1 MB line with no sentence end, under the size limit: it must go through
    // (regression: the fact anchor was cut from the sentence with a char scan per fact,
    // quadratic on a sentence that never ends). Speed itself is measured in the benchmark.
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("line.txt");
    let unit = "Mayor Ana Ruiz fired the harbor board and Tom Hale said nothing ";
    std::fs::write(&big, unit.repeat(1024 * 1024 / unit.len())).unwrap();
    let out = newsgraph(&dir.path().join("unused"))
        .args(["extract", "--format", "jsonl"])
        .arg(&big)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ir: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(ir["facts"].as_array().unwrap().len() > 10_000);
}

#[test]
fn malformed_sparql_names_line_and_column() {
    let dir = sample_store();
    let store = dir.path().join("store");
    let q = dir.path().join("broken.rq");
    std::fs::write(&q, "SELECT ?s WHERE {\n  ?s ?p \n}\n").unwrap();
    newsgraph(&store)
        .arg("query")
        .arg(&q)
        .assert()
        .code(4)
        .stderr(predicate::str::contains("broken.rq").and(predicate::str::contains("at 3:")));
}

#[test]
fn unknown_format_name() {
    let dir = sample_store();
    let store = dir.path().join("store");
    newsgraph(&store)
        .args(["export", "--format", "yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid value 'yaml'"));
}

#[test]
fn query_without_a_store() {
    let dir = tempfile::tempdir().unwrap();
    newsgraph(&dir.path().join("nothing"))
        .args(["query", "-e", "ASK {}"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no store at"));
    assert!(!dir.path().join("nothing").exists());
}

/// Regression: `eval ner --doc-prefix` was silently ignored and scored every document.
#[test]
fn eval_ner_doc_prefix_on_a_column_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let gold = dir.path().join("gold.iob2");
    std::fs::write(&gold, "1\tParis\tB-LOC\t-\t-\n\n").unwrap();
    newsgraph(&dir.path().join("store"))
        .args(["eval", "ner", "--doc-prefix", "GUM_news", "--gold"])
        .arg(&gold)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("gold.iob2").and(predicate::str::contains("--doc-prefix")),
        );
}

/// Regression: a missing gold file was reported as "reading X: reading X: No such file …:
/// No such file …", the cause twice; a malformed one did not name the file.
#[test]
fn eval_gold_file_errors_name_the_file_once() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.conllu");
    let out = newsgraph(&dir.path().join("store"))
        .args(["eval", "tagger", "--gold"])
        .arg(&missing)
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let message = String::from_utf8(out).unwrap();
    assert_eq!(message.matches("missing.conllu").count(), 1, "{message}");
    assert_eq!(message.matches("os error").count(), 1, "{message}");
    let bad = dir.path().join("bad.conllu");
    std::fs::write(&bad, "1\tword\n\n").unwrap();
    newsgraph(&dir.path().join("store"))
        .args(["eval", "parser", "--gold"])
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("bad.conllu").and(predicate::str::contains("line 1")));
}

/// `train clusters` reads CoNLL-U, KnowledgeNet JSONL and GAP TSV; anything else is refused
/// by name, and a real run writes the same file twice.
#[test]
fn train_clusters_refuses_unknown_files_and_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "just some text\n").unwrap();
    newsgraph(&store)
        .args(["train", "clusters", "--train"])
        .arg(&notes)
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("notes.txt").and(predicate::str::contains(".conllu")));
    let gap = dir.path().join("gap.tsv");
    let mut rows = String::from("ID\tText\n");
    for (i, city) in ["Paris", "London", "Rome", "Oslo"].iter().enumerate() {
        rows.push_str(&format!(
            "r{i}\tWe went to {city} today. The cat sat on the mat.\n"
        ));
    }
    std::fs::write(&gap, rows).unwrap();
    let mut outputs = Vec::new();
    for run in ["a", "b"] {
        let out = dir.path().join(run);
        newsgraph(&store)
            .args([
                "train",
                "clusters",
                "--clusters",
                "4",
                "--min-count",
                "1",
                "--train",
            ])
            .arg(&gap)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        outputs.push(std::fs::read_to_string(out.join("clusters.txt")).unwrap());
    }
    assert_eq!(outputs[0], outputs[1]);
    let paths: Vec<(&str, &str)> = outputs[0]
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .collect();
    let path_of = |w: &str| paths.iter().find(|(_, x)| *x == w).map(|(p, _)| *p);
    assert_eq!(path_of("paris"), path_of("oslo"), "{}", outputs[0]);
    assert!(path_of("cat").is_some());
}

/// A beam width outside 1–64 is a usage error; a beam wider than the bundled (greedy) parser
/// was trained for still parses, with a warning that says how to train for it.
#[test]
fn beam_width_is_checked_and_an_untrained_beam_warns() {
    let dir = tempfile::tempdir().unwrap();
    newsgraph(&dir.path().join("store"))
        .args(["--beam", "0", "extract", "-"])
        .write_stdin("Biden pardoned Milley.\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--beam"));
    newsgraph(&dir.path().join("store"))
        .args(["--beam", "2", "extract", "--format", "jsonl", "-"])
        .write_stdin("Biden pardoned Milley.\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("Milley"))
        .stderr(
            predicate::str::contains("trained for greedy parsing")
                .and(predicate::str::contains("newsgraph --beam 2 train parser")),
        );
}
