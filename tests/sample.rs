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

/// The brief's article has no date in its text: `--date` supplies it, and "on Tuesday",
/// "Friday night" resolve against it while "his final morning in office" keeps its words.
#[test]
fn brief_sample_times_resolve_against_the_date() {
    let dir = tempfile::tempdir().unwrap();
    let facts = |date: Option<&str>| -> Vec<serde_json::Value> {
        let mut cmd = newsgraph(&dir.path().join("unused"));
        cmd.arg("extract").arg(brief_sample());
        if let Some(d) = date {
            cmd.args(["--date", d]);
        }
        let ir: serde_json::Value = serde_json::from_str(stdout(&mut cmd).trim()).unwrap();
        ir["facts"].as_array().unwrap().clone()
    };
    let time_of = |facts: &[serde_json::Value], predicate: &str| -> serde_json::Value {
        facts
            .iter()
            .find(|f| f["predicate"] == predicate)
            .unwrap_or_else(|| panic!("no {predicate} fact"))["time"]
            .clone()
    };
    let dated = facts(Some("2025-01-28"));
    assert_eq!(time_of(&dated, "revoke")["text"], "on Tuesday");
    assert_eq!(time_of(&dated, "revoke")["value"], "2025-01-28");
    assert_eq!(time_of(&dated, "fire")["value"], "2025-01-24");
    let pardon = time_of(&dated, "pardon");
    assert!(pardon["text"]
        .as_str()
        .unwrap()
        .contains("final morning in office"));
    assert!(pardon["value"].is_null());
    // Without a date the words stay, unresolved.
    let undated = facts(None);
    assert_eq!(time_of(&undated, "revoke")["text"], "on Tuesday");
    assert!(time_of(&undated, "revoke")["value"].is_null());
}

/// The brief's people are each exactly one `schema:Person`; possessives and "X's Secret
/// Service" are not mistaken for names; the Pentagon and the Department of Defense are one
/// organization.
#[test]
fn brief_sample_entities_are_each_one_node() {
    let out = stdout(
        newsgraph(std::path::Path::new("unused"))
            .args(["extract", "--date", "2025-01-28"])
            .arg(brief_sample()),
    );
    let doc: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    let entities = doc["entities"].as_array().unwrap();
    let of_kind = |kind: &str| -> Vec<&str> {
        entities
            .iter()
            .filter(|e| e["kind"] == kind)
            .map(|e| e["name"].as_str().unwrap())
            .collect()
    };
    let people = of_kind("person");
    for name in [
        "Pete Hegseth",
        "Mark Milley",
        "John Ullyot",
        "Donald Trump",
        "Joe Biden",
        "Joe Kasper",
        "John Bolton",
        "Mike Pompeo",
        "Anthony Fauci",
        "Mark Esper",
        "Eric Fanning",
        "Oren Liebermann",
    ] {
        let surname = name.split(' ').next_back().unwrap();
        let matching: Vec<&&str> = people.iter().filter(|p| p.contains(surname)).collect();
        assert_eq!(
            matching,
            vec![&name],
            "{name} should be one person: {people:?}"
        );
    }
    let orgs = of_kind("organization");
    assert!(
        !orgs.iter().any(|o| o.contains("Milley")),
        "Milley’s is not an organization: {orgs:?}"
    );
    assert!(
        !people.iter().any(|p| p.contains("Secret Service")),
        "John Bolton’s Secret Service is not a person: {people:?}"
    );
    let defense: Vec<&serde_json::Value> = entities
        .iter()
        .filter(|e| {
            e["name"] == "Pentagon"
                || e["name"] == "Department of Defense"
                || e["aliases"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|x| x == "Pentagon"))
        })
        .collect();
    assert_eq!(defense.len(), 1, "Pentagon and DoD are one organization");
    assert_eq!(defense[0]["name"], "Department of Defense");
}

/// The facts the issue lists for the brief's article, each with its sentence and offsets.
/// (subject, predicate, object or the holder of a concept object, argument, time value)
#[test]
fn brief_sample_facts_listed_in_the_issue() {
    let out = stdout(
        newsgraph(std::path::Path::new("unused"))
            .args(["extract", "--date", "2025-01-28"])
            .arg(brief_sample()),
    );
    let doc: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    let entities = doc["entities"].as_array().unwrap();
    let text = std::fs::read_to_string(brief_sample()).unwrap();
    let name = |v: &serde_json::Value| -> String {
        v.as_u64()
            .map(|i| entities[i as usize]["name"].as_str().unwrap().to_string())
            .unwrap_or_default()
    };
    // The object's name, or for a concept ("Milley's security detail") its holder's too.
    let object_names = |f: &serde_json::Value| -> Vec<String> {
        let mut v = vec![name(&f["object"])];
        if let Some(o) = f["object"].as_u64() {
            v.push(name(&entities[o as usize]["holder"]));
        }
        for a in f["arguments"].as_array().unwrap() {
            v.push(name(&a[1]));
        }
        v
    };
    type Expected<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, Option<&'a str>);
    let expected: &[Expected] = &[
        (
            "Pete Hegseth",
            "revoke",
            "Mark Milley",
            Some("security detail"),
            Some("2025-01-28"),
        ),
        (
            "Pete Hegseth",
            "revoke",
            "Mark Milley",
            Some("security clearance"),
            Some("2025-01-28"),
        ),
        (
            "Pete Hegseth",
            "direct",
            "",
            Some("inspector general"),
            None,
        ),
        ("", "investigate", "Mark Milley", Some("conduct"), None),
        (
            "Donald Trump",
            "nominate",
            "Mark Milley",
            None,
            Some("2018"),
        ),
        ("Mark Milley", "call", "Donald Trump", Some("fascist"), None),
        (
            "Donald Trump",
            "accuse_of",
            "Mark Milley",
            Some("treason"),
            None,
        ),
        ("Joe Biden", "pardon", "Mark Milley", None, None),
        ("Mark Milley", "thank", "Joe Biden", None, None),
        ("Donald Trump", "fire", "", Some("inspectors general"), None),
        (
            "Donald Trump",
            "terminate",
            "John Bolton",
            Some("Secret Service detail"),
            None,
        ),
        (
            "Donald Trump",
            "revoke",
            "Mike Pompeo",
            Some("security detail"),
            None,
        ),
        ("", "remove", "Mark Esper", Some("portrait"), None),
    ];
    let facts = doc["facts"].as_array().unwrap();
    let chars: Vec<char> = text.chars().collect();
    for (subject, predicate, object, words, time) in expected {
        let found = facts.iter().find(|f| {
            f["predicate"] == *predicate
                && (subject.is_empty() || name(&f["subject"]) == *subject)
                && (object.is_empty() || object_names(f).iter().any(|o| o == object))
                && words.is_none_or(|w| {
                    object_names(f).iter().any(|o| o.contains(w))
                        || f["arguments"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .any(|a| name(&a[1]).contains(w))
                })
                && time.is_none_or(|t| f["time"]["value"] == t)
        });
        let Some(f) = found else {
            panic!("missing fact: {subject} {predicate} {object} {words:?} {time:?}");
        };
        let (b, e) = (
            f["span"]["start"].as_u64().unwrap() as usize,
            f["span"]["end"].as_u64().unwrap() as usize,
        );
        assert!(b < e && e <= chars.len(), "{predicate}: offsets {b}..{e}");
        let anchored: String = chars[b..e].iter().collect();
        assert_eq!(
            anchored,
            f["text"].as_str().unwrap(),
            "{predicate}: offsets"
        );
        assert!(f["sentence"].as_u64().is_some());
    }
}
