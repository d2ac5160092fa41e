//! The brief's article (read from ../shared, never copied): what even the first extractor
//! must find in it.

use crate::util::*;

fn ask(store: &std::path::Path, query: &str) -> bool {
    let out = stdout(newsgraph(store).args(["query", "-e", query, "--format", "tsv"]));
    match out.trim() {
        "true" => true,
        "false" => false,
        other => panic!("not a boolean: {other}"),
    }
}

#[test]
fn brief_sample_facts_and_roles() {
    let sample = brief_sample();
    assert!(
        sample.is_file(),
        "../shared/samples/milley-clearance.txt must be beside the project"
    );
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    newsgraph(&store)
        .arg("ingest")
        .arg(&sample)
        .assert()
        .success();
    let s = &store;
    assert!(ask(
        s,
        r#"ASK { ?s ?p ?o . ?s rdfs:label ?a . ?o rdfs:label ?b FILTER(CONTAINS(?a,"Biden") && CONTAINS(STR(?p),"pardon") && CONTAINS(?b,"Milley")) }"#
    ));
    // Hegseth revoked Milley's security detail: a concept node held by Milley.
    assert!(ask(
        s,
        r#"ASK { ?h rdfs:label "Pete Hegseth" ; rel:revoke ?c . ?c a ng:Concept ; rdfs:label ?l ; ng:holder ?m . ?m rdfs:label "Mark Milley" FILTER(CONTAINS(?l, "security detail")) }"#
    ));
    assert!(ask(
        s,
        r#"ASK { ?h rdfs:label "Pete Hegseth" ; schema:jobTitle "Defense Secretary" }"#
    ));
    assert!(ask(
        s,
        r#"ASK { ?u rdfs:label "John Ullyot" ; schema:jobTitle "spokesman" ; schema:worksFor ?o . ?o skos:altLabel "Pentagon" }"#
    ));
    // Evidence: the statement carries its sentence and offsets.
    assert!(ask(
        s,
        r#"ASK { ?f rdf:predicate rel:pardon ; ng:inSentence ?sent ; nif:beginIndex ?b ; nif:endIndex ?e ; ng:confidence ?c . ?sent nif:anchorOf ?t FILTER(?e > ?b && CONTAINS(?t, "pardon")) }"#
    ));
    // Every entity, predicate and concept has a label.
    assert!(!ask(
        s,
        r#"ASK { { ?x a schema:Person } UNION { ?x a schema:Organization } UNION { ?x a ng:Concept } UNION { ?x a ng:Relation } FILTER NOT EXISTS { ?x rdfs:label ?l } }"#
    ));
}

#[test]
fn offsets_point_at_the_text() {
    let sample = brief_sample();
    let text = std::fs::read_to_string(&sample).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let jsonl = stdout(
        newsgraph(&dir.path().join("unused"))
            .arg("extract")
            .arg(&sample),
    );
    let ir: serde_json::Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    let chars: Vec<char> = text.chars().collect();
    let slice = |s: &serde_json::Value| -> String {
        let (b, e) = (
            s["start"].as_u64().unwrap() as usize,
            s["end"].as_u64().unwrap() as usize,
        );
        chars[b..e].iter().collect()
    };
    for m in ir["mentions"].as_array().unwrap() {
        assert_eq!(slice(&m["span"]), m["text"].as_str().unwrap());
    }
    for s in ir["sentences"].as_array().unwrap() {
        assert_eq!(slice(&s["span"]), s["text"].as_str().unwrap());
    }
}
