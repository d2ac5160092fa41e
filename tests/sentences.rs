//! The team's test sentences (tests/sentences/entities.tsv): each line a tiny document and
//! what the extractor must find in it, so every entity rule has a case a reader can see.

use newsgraph::extract::{default_extractor, Extractor};
use newsgraph::ir::{EntityKind, Extraction};
use newsgraph::source::Document;

fn entity<'a>(ex: &'a Extraction, name: &str) -> Option<(usize, &'a newsgraph::ir::Entity)> {
    ex.entities
        .iter()
        .enumerate()
        .find(|(_, e)| e.name == name && e.kind != EntityKind::Concept)
}

fn check(ex: &Extraction, expectation: &str) -> Result<(), String> {
    let (what, arg) = expectation
        .split_once(':')
        .ok_or_else(|| format!("bad expectation {expectation:?}"))?;
    let (left, right) = arg.split_once('=').unwrap_or((arg, ""));
    let kind = |k: &str| match k {
        "person" | "no-person" => EntityKind::Person,
        "org" | "no-org" => EntityKind::Organization,
        _ => EntityKind::Place,
    };
    let found = match what {
        "person" | "org" | "place" => ex
            .entities
            .iter()
            .any(|e| e.kind == kind(what) && e.name == arg),
        "no-person" | "no-org" | "no-place" => !ex
            .entities
            .iter()
            .any(|e| e.kind == kind(what) && e.name.contains(arg)),
        "title" | "former" => entity(ex, left).is_some_and(|(_, e)| {
            e.roles
                .iter()
                .any(|r| r.title.eq_ignore_ascii_case(right) && (what == "title" || r.former))
        }),
        "worksFor" => entity(ex, left).is_some_and(|(_, e)| {
            e.roles
                .iter()
                .any(|r| r.organization.is_some_and(|o| ex.entities[o].name == right))
        }),
        "alias" => entity(ex, left).is_some_and(|(_, e)| e.aliases.iter().any(|a| a == right)),
        "mention" => entity(ex, right)
            .is_some_and(|(id, _)| ex.mentions.iter().any(|m| m.entity == id && m.text == left)),
        "time" => ex.facts.iter().any(|f| {
            f.predicate_label == left
                && f.time.as_ref().and_then(|t| t.value.as_deref()) == Some(right)
        }),
        "fact" | "negated" | "hedged" | "claim" => {
            // SUBJECT|PREDICATE|OBJECT[|EXTRA]: names may be empty (anything); the object
            // matches a named object, a concept's holder or any argument by substring.
            let parts: Vec<&str> = arg.split('|').collect();
            let [subject, predicate, object] =
                [0, 1, 2].map(|i| parts.get(i).copied().unwrap_or(""));
            let extra = parts.get(3).copied().unwrap_or("");
            let name =
                |e: Option<usize>| e.map(|i| ex.entities[i].name.clone()).unwrap_or_default();
            ex.facts.iter().any(|f| {
                let mut objects = vec![name(f.object)];
                if let Some(o) = f.object {
                    objects.push(name(ex.entities[o].holder));
                }
                objects.extend(f.arguments.iter().map(|(_, e)| name(Some(*e))));
                f.predicate == predicate
                    && (subject.is_empty() || name(f.subject) == subject)
                    && (object.is_empty() || objects.iter().any(|o| o == object))
                    && (extra.is_empty() || objects.iter().any(|o| o.contains(extra)))
                    && match what {
                        "negated" => f.negated,
                        "hedged" => f.modality.is_some(),
                        "claim" => f.attribution.is_some(),
                        _ => !f.negated,
                    }
            })
        }
        "people" => {
            ex.entities
                .iter()
                .filter(|e| e.kind == EntityKind::Person)
                .count()
                .to_string()
                == arg
        }
        _ => return Err(format!("unknown expectation {what:?}")),
    };
    if found {
        Ok(())
    } else {
        Err(expectation.to_string())
    }
}

#[test]
fn team_sentences_meet_their_expectations() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sentences/entities.tsv");
    let src = std::fs::read_to_string(&path).unwrap();
    let extractor = default_extractor();
    let mut failures = Vec::new();
    let mut cases = 0;
    for line in src
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (text, expectations) = line.split_once('\t').expect("text<TAB>expectations");
        let mut doc = Document::from_text("test", text.to_string());
        doc.date = Some("2025-01-28".into());
        let ex = extractor.extract(&doc);
        for e in expectations.split(" ; ") {
            cases += 1;
            if let Err(what) = check(&ex, e.trim()) {
                let names: Vec<String> = ex
                    .entities
                    .iter()
                    .filter(|e| e.kind != EntityKind::Concept)
                    .map(|e| {
                        format!(
                            "{:?} {} {:?}",
                            e.kind,
                            e.name,
                            e.roles.iter().map(|r| &r.title).collect::<Vec<_>>()
                        )
                    })
                    .collect();
                failures.push(format!("{text}\n    missing {what}\n    got {names:?}"));
            }
        }
    }
    assert!(cases > 40, "only {cases} expectations");
    assert!(
        failures.is_empty(),
        "{} of {cases} expectations failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
