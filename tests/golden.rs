//! Golden files: one sample's N-Quads pin determinism of the whole pipeline, and every
//! query in queries/ has its expected answer over the team's samples (as Oxigraph's
//! testsuite pairs queries with results). UPDATE_GOLDEN=1 rewrites them after a deliberate
//! change; review the diff.

use crate::util::*;

#[test]
fn sample_nquads_are_pinned() {
    let dir = tempfile::tempdir().unwrap();
    let nq = stdout(
        newsgraph(&dir.path().join("unused"))
            .args(["extract", "--format", "nquads"])
            .arg("data/samples/reserve-pension.txt"),
    );
    assert_golden("reserve-pension.nq", &nq);
}

#[test]
fn queries_answer_as_recorded() {
    let dir = sample_store();
    let store = dir.path().join("store");
    let mut files: Vec<_> = std::fs::read_dir(project().join("queries"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rq"))
        .collect();
    files.sort();
    assert!(files.len() >= 8, "queries/ must hold at least 8 queries");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            text.starts_with('#'),
            "{} must open with a comment",
            file.display()
        );
        let name = file.file_stem().unwrap().to_str().unwrap().to_owned();
        let format = if text.contains("CONSTRUCT") {
            "ntriples"
        } else {
            "tsv"
        };
        let out = stdout(
            newsgraph(&store)
                .arg("query")
                .arg(&file)
                .args(["--format", format]),
        );
        assert!(
            out.lines().count() > 1 || format == "ntriples",
            "{name} answered nothing"
        );
        assert_golden(&format!("queries/{name}.{format}"), &out);
    }
}
