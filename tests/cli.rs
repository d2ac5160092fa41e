//! Every command, run as a user runs it.

use crate::util::*;
use predicates::prelude::*;

#[test]
fn ingest_is_idempotent_and_replaces_changed_documents() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let article = dir.path().join("story.txt");
    std::fs::write(
        &article,
        "Mayor resigns\n\nMayor Ana Ruiz fired Police Chief Tom Hale on Monday.\n",
    )
    .unwrap();
    newsgraph(&store)
        .arg("ingest")
        .arg(&article)
        .assert()
        .success();
    let count = |store: &std::path::Path| {
        stdout(newsgraph(store).args([
            "query",
            "-e",
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
            "--format",
            "tsv",
        ]))
    };
    let first = count(&store);
    newsgraph(&store)
        .arg("ingest")
        .arg(&article)
        .assert()
        .success()
        .stderr(predicate::str::contains("1 unchanged"));
    assert_eq!(
        count(&store),
        first,
        "re-ingesting the same document changed the store"
    );
    std::fs::write(
        &article,
        "Mayor resigns\n\nMayor Ana Ruiz fired Police Chief Tom Hale on Friday.\n",
    )
    .unwrap();
    newsgraph(&store)
        .arg("ingest")
        .arg(&article)
        .assert()
        .success()
        .stderr(predicate::str::contains("1 replaced"));
    let docs = stdout(newsgraph(&store).arg("documents"));
    assert_eq!(
        docs.lines().count(),
        1,
        "the changed document must replace the old graph: {docs}"
    );
    let fired = stdout(newsgraph(&store).args([
        "query",
        "-e",
        "SELECT ?t WHERE { ?f rdf:predicate rel:fire ; ng:timeText ?t }",
        "--format",
        "tsv",
    ]));
    assert!(
        fired.contains("Friday") && !fired.contains("Monday"),
        "{fired}"
    );
}

#[test]
fn ingest_reads_stdin_jsonl_and_html() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    newsgraph(&store)
        .args(["ingest", "-"])
        .write_stdin("Minister Ana Ruiz sued the Harbor Authority.\n")
        .assert()
        .success();
    newsgraph(&store)
        .arg("ingest")
        .arg(samples().join("wire-briefs.jsonl"))
        .arg(samples().join("meridian-crane-deal.html"))
        .assert()
        .success();
    let docs = stdout(newsgraph(&store).arg("documents"));
    assert_eq!(docs.lines().count(), 4, "{docs}");
    let dates = stdout(newsgraph(&store).args([
        "query",
        "-e",
        "SELECT ?d WHERE { ?doc schema:datePublished ?d } ORDER BY ?d",
        "--format",
        "tsv",
    ]));
    assert!(
        dates.contains("2025-03-04"),
        "HTML meta date missing: {dates}"
    );
    // Scripts and navigation of the HTML page never become text.
    let text = stdout(newsgraph(&store).args([
        "query",
        "-e",
        "SELECT ?t WHERE { ?s a ng:Sentence ; nif:anchorOf ?t }",
        "--format",
        "tsv",
    ]));
    assert!(
        !text.contains("function(") && !text.contains("<script"),
        "script text leaked into sentences"
    );
}

#[test]
fn query_formats_and_bindings() {
    let dir = sample_store();
    let store = dir.path().join("store");
    let csv =
        stdout(newsgraph(&store).args(["query", "queries/people-roles.rq", "--format", "csv"]));
    assert!(csv.starts_with("person,"), "{csv}");
    assert!(csv.contains("Dana Whitlock"));
    let json =
        stdout(newsgraph(&store).args(["query", "queries/people-roles.rq", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v["results"]["bindings"]
        .as_array()
        .is_some_and(|b| !b.is_empty()));
    let xml = stdout(newsgraph(&store).args([
        "query",
        "-e",
        "ASK { ?s a schema:Person }",
        "--format",
        "xml",
    ]));
    assert!(xml.contains("<boolean>true</boolean>"), "{xml}");
    let table = stdout(newsgraph(&store).args([
        "query",
        "-e",
        "SELECT ?name WHERE { ?p a schema:Person ; schema:name ?name } ORDER BY ?name LIMIT 2",
        "--format",
        "table",
    ]));
    assert!(table.lines().nth(1).unwrap().starts_with('─'), "{table}");
    assert!(table.trim_end().ends_with("(2 rows)"), "{table}");
    let bound = stdout(newsgraph(&store).args([
        "query",
        "queries/entity.rq",
        "--bind",
        "name=Aurelia Voss",
        "--format",
        "tsv",
    ]));
    let unbound = stdout(newsgraph(&store).args(["query", "queries/entity.rq", "--format", "tsv"]));
    assert!(bound.lines().count() > 3 && bound.lines().count() < unbound.lines().count());
    assert!(
        bound
            .lines()
            .skip(1)
            .all(|l| l.contains("Voss") || l.contains("voss")),
        "{bound}"
    );
    let ttl = stdout(newsgraph(&store).args([
        "query",
        "-e",
        "CONSTRUCT { ?s rel:pardon ?o } WHERE { ?s rel:pardon ?o }",
    ]));
    assert!(ttl.contains("rel:pardon"), "{ttl}");
}

#[test]
fn export_is_byte_identical_across_runs() {
    let dir = sample_store();
    let store = dir.path().join("store");
    for format in [
        "turtle", "ntriples", "nquads", "trig", "rdfxml", "jsonld", "dot",
    ] {
        let a = stdout(newsgraph(&store).args(["export", "--format", format]));
        let b = stdout(newsgraph(&store).args(["export", "--format", format]));
        assert!(!a.is_empty(), "{format} export is empty");
        assert_eq!(a, b, "{format} export differs between runs");
    }
    let ttl = stdout(newsgraph(&store).args(["export", "--format", "turtle"]));
    assert!(
        ttl.contains("@prefix schema: <https://schema.org/>"),
        "Turtle without prefixes"
    );
    let out = dir.path().join("one.nq");
    newsgraph(&store)
        .args(["export", "--graph"])
        .arg(samples().join("reserve-pension.txt"))
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let one = std::fs::read_to_string(&out).unwrap();
    let graphs: std::collections::BTreeSet<&str> =
        one.lines().filter_map(|l| l.rsplit(' ').nth(1)).collect();
    assert_eq!(graphs.len(), 1, "--graph exported more than one graph");
}

#[test]
fn render_escapes_and_focuses() {
    let dir = sample_store();
    let store = dir.path().join("store");
    let svg = stdout(newsgraph(&store).args(["render", "--format", "svg"]));
    assert!(
        svg.starts_with("<svg") || svg.starts_with("<?xml"),
        "{}",
        &svg[..svg.len().min(80)]
    );
    assert!(svg.contains("Dana Whitlock"));
    let focused = stdout(newsgraph(&store).args([
        "render", "--format", "dot", "--focus", "Reyes", "--depth", "1",
    ]));
    let all = stdout(newsgraph(&store).args(["render", "--format", "dot"]));
    assert!(focused.contains("Tomas Reyes") && focused.len() < all.len());
    assert!(
        !focused.contains("Nadia Kerr"),
        "--focus kept an entity two articles away"
    );
    let html_path = dir.path().join("g.html");
    newsgraph(&store)
        .args(["render", "-o"])
        .arg(&html_path)
        .assert()
        .success();
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(html.contains("<html"));
    for remote in ["src=\"http", "<link", "@import", "href=\"http"] {
        assert!(
            !html.contains(remote),
            "HTML must be self-contained, found {remote}"
        );
    }
    newsgraph(&store)
        .args(["render", "--focus", "Nobody Atall"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--focus"));
}

#[test]
fn untrusted_names_are_escaped_in_diagrams() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let article = dir.path().join("evil.txt");
    std::fs::write(&article, "Headline\n\nMinister Ana Ruiz fired the <script>alert(1)</script> & \"]]> board on Monday.\n").unwrap();
    newsgraph(&store)
        .arg("ingest")
        .arg(&article)
        .assert()
        .success();
    for format in ["svg", "html", "dot"] {
        let out = stdout(newsgraph(&store).args(["render", "--format", format]));
        assert!(out.contains("Ana Ruiz"), "{format}: the fact is not drawn");
        assert!(
            !out.contains("<script>alert") && !out.contains("</script> &"),
            "{format} output contains live markup"
        );
        if format != "dot" {
            assert!(
                out.contains("&lt;") || out.contains("&gt;"),
                "{format}: the label was not escaped"
            );
        }
    }
}

#[test]
fn remove_retracts_only_that_document() {
    let dir = sample_store();
    let store = dir.path().join("store");
    let before = stdout(newsgraph(&store).arg("documents"));
    newsgraph(&store)
        .arg("remove")
        .arg(samples().join("customs-pardon.txt"))
        .assert()
        .success();
    let after = stdout(newsgraph(&store).arg("documents"));
    assert_eq!(after.lines().count() + 1, before.lines().count());
    assert!(!after.contains("customs-pardon"));
    // Aurelia Voss is in other articles too: she stays; the pardon only this one stated goes.
    let ask = |q: &str| stdout(newsgraph(&store).args(["query", "-e", q, "--format", "tsv"]));
    assert!(ask("ASK { ?p schema:name \"Aurelia Voss\" }").contains("true"));
    assert!(ask("ASK { ?s rel:pardon ?o }").contains("false"));
    newsgraph(&store)
        .args(["remove", "no-such-doc"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no document"));
}

#[test]
fn extract_streams_ir_and_rdf() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = stdout(
        newsgraph(&dir.path().join("unused"))
            .arg("extract")
            .arg(samples().join("reserve-pension.txt")),
    );
    let v: serde_json::Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    for key in ["document", "sentences", "entities", "mentions", "facts"] {
        assert!(v.get(key).is_some(), "IR lacks {key}");
    }
    let fact = &v["facts"][0];
    assert!(fact["confidence"]
        .as_f64()
        .is_some_and(|c| c > 0.0 && c <= 1.0));
    assert!(fact["span"]["end"].as_u64() > fact["span"]["start"].as_u64());
    let nq = stdout(
        newsgraph(&dir.path().join("unused"))
            .args(["extract", "--format", "nquads"])
            .arg(samples().join("reserve-pension.txt")),
    );
    assert!(nq.lines().all(|l| l.ends_with(" .")));
    assert!(
        !dir.path().join("unused").exists(),
        "extract must not create a store"
    );
}

#[test]
fn demo_runs_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    let text = stdout(
        newsgraph(&dir.path().join("unused"))
            .args(["demo", "--out"])
            .arg(&out),
    );
    assert!(text.contains("Try next"), "{text}");
    assert!(out.join("graph.svg").is_file() && out.join("graph.html").is_file());
    assert!(out.join("results/who-did-what.csv").is_file());
}

#[test]
fn date_option_must_be_a_calendar_day() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["2025-02-30", "28/01/2025", "tuesday"] {
        newsgraph(&dir.path().join("store"))
            .args(["ingest", "--date", bad])
            .arg(samples().join("customs-pardon.txt"))
            .assert()
            .code(2)
            .stderr(predicate::str::contains("YYYY-MM-DD"));
    }
    assert!(!dir.path().join("store").exists());
    // A valid one dates documents that have no date of their own.
    let nq = stdout(
        newsgraph(&dir.path().join("unused"))
            .args(["extract", "--format", "nquads", "--date", "2025-02-12"])
            .arg(samples().join("customs-pardon.txt")),
    );
    assert!(
        nq.contains("\"2025-02-11\"^^<http://www.w3.org/2001/XMLSchema#date>"),
        "{nq}"
    );
}

#[test]
fn help_has_examples() {
    let mut cmd = assert_cmd::Command::cargo_bin("newsgraph").unwrap();
    cmd.arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples:").and(predicate::str::contains("Exit codes")));
}

/// `eval openie` scores a CaRB file and reports the precision per confidence decile in the
/// same JSON object, highest confidences first.
#[test]
fn eval_openie_reports_scores_and_deciles_in_one_json_object() {
    let dir = tempfile::tempdir().unwrap();
    let gold = dir.path().join("gold.tsv");
    std::fs::write(
        &gold,
        "Biden pardoned Milley .\tpardoned\tBiden\tMilley\n\
         Hegseth revoked the clearance .\trevoked\tHegseth\tthe clearance\n",
    )
    .unwrap();
    let out = stdout(
        newsgraph(&dir.path().join("store"))
            .args(["eval", "openie", "--format", "json", "--gold"])
            .arg(&gold),
    );
    let v: serde_json::Value = serde_json::from_str(out.trim()).expect("one JSON object");
    assert!(v["f1"].as_f64().unwrap() > 0.5, "{out}");
    let deciles: Vec<f64> = (1..=10)
        .map(|d| v[format!("decile_{d}")].as_f64().expect("decile key"))
        .collect();
    assert!(deciles.iter().all(|p| (0.0..=1.0).contains(p)), "{out}");
    assert!(deciles.iter().sum::<f64>() > 0.0, "{out}");
}
