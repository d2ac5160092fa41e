//! Facts from the clauses of the dependency tree (`extract::clauses`): each proposition's
//! subject, objects and prepositional arguments are linked to the document's entities, or
//! become concept nodes tied to the entities inside them ("Milley's security detail").
//!
//! This is the primary fact extractor. The token patterns in `rules.rs` run after it only
//! for lexicon verbs whose clause gave no fact, which happens when the parse is wrong
//! (a verb tagged as a noun, a subject attached elsewhere).

use super::{nearest_time, Run, CLAUSAL};
use crate::extract::clauses::{self, Arg, ArgRole, Proposition};
use crate::extract::time;
use crate::ir::{EntityId, EntityKind, Fact, MentionKind};
use std::collections::HashSet;

/// Dependents that belong to a concept's label: "security" in "security detail",
/// "official" in "official portrait". Possessors, determiners, prepositional modifiers
/// and clauses are left out (the possessor becomes the concept's holder).
const CONCEPT_PARTS: &[&str] = &[
    "compound", "amod", "nummod", "flat", "fixed", "goeswith", "advmod",
];

/// Prepositions that, on a light-verb noun, introduce its real object ("an investigation
/// *into* Milley's conduct", "a pardon *for* Milley").
const LIGHT_OBJECT_CASES: &[&str] = &["for", "into", "of", "against", "on", "to"];

/// What the clause extractor made of a verb: the token patterns then run on verbs it gave
/// no fact for, and replace a fact whose subject is no named entity (often a parse error:
/// "Hegseth, in his second day, directed …" read with "day" as the subject).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Coverage {
    None,
    Weak,
    Strong,
}

/// One argument linked to the graph.
struct Linked {
    entity: EntityId,
    /// Words of the sentence it covers (sentence-relative), for the fact's span.
    words: Vec<usize>,
}

impl Run<'_> {
    /// Facts of sentence `s` read off its propositions. Marks the verbs it produced a fact
    /// for in `covered` (document token indexes).
    pub(super) fn clause_facts(&mut self, s: usize, covered: &mut [Coverage]) {
        let Some(analysis) = self.analysis.get(s) else {
            return;
        };
        let range = self.seg.sentences[s].tokens.clone();
        let base = range.start;
        if analysis.words.len() != range.len() {
            return;
        }
        let props = clauses::propositions(analysis);
        let heads: Vec<Option<usize>> = analysis
            .words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                (w.head > 0 && w.head <= analysis.words.len() && w.head - 1 != i)
                    .then(|| w.head - 1)
            })
            .collect();
        let mut kids: Vec<Vec<usize>> = vec![Vec::new(); heads.len()];
        for (c, h) in heads.iter().enumerate() {
            if let Some(h) = *h {
                kids[h].push(c);
            }
        }
        let deprel: Vec<String> = analysis.words.iter().map(|w| w.deprel.clone()).collect();
        let upos: Vec<&'static str> = analysis.words.iter().map(|w| w.upos).collect();
        let lemma: Vec<String> = analysis.words.iter().map(|w| w.lemma.clone()).collect();
        let tree = TreeView {
            kids: &kids,
            deprel: &deprel,
            upos: &upos,
        };
        let sentence_words: Vec<&str> = self.words[range.clone()].to_vec();
        let times = time::find(&sentence_words, self.date);
        let according = self.according_to(&range);

        // Subject entity of every predicate word, for the attribution of embedded claims.
        let mut speakers: Vec<(usize, EntityId)> = Vec::new();
        for p in props.iter().filter(|p| p.implicit.is_none()) {
            if let Some(a) = &p.subject {
                if let Some(e) = self.named_at(base, &tree, a.head) {
                    speakers.push((p.predicate, e));
                }
            }
        }

        let mut seen: HashSet<(Option<EntityId>, String, Option<EntityId>)> = HashSet::new();
        for p in &props {
            if p.implicit.is_some() || p.lemma == "be" || upos[p.predicate] != "VERB" {
                // Copulas, appositions and possessives are roles and concept holders,
                // read by `dependency_roles` and `concept`.
                continue;
            }
            let Some(fact) = self.clause_fact(s, base, &tree, &lemma, p, &times, &speakers) else {
                continue;
            };
            let fact = Fact {
                attribution: fact
                    .attribution
                    .or(according)
                    .filter(|&a| Some(a) != fact.subject),
                ..fact
            };
            // Coordinated objects ("revoked the detail and the clearance") are one fact each.
            let (more, arguments): (Vec<_>, Vec<_>) = fact
                .arguments
                .iter()
                .cloned()
                .partition(|(role, _)| role == "object");
            let fact = Fact { arguments, ..fact };
            let mut all = vec![fact.clone()];
            all.extend(more.into_iter().map(|(_, o)| Fact {
                object: Some(o),
                ..fact.clone()
            }));
            let named_subject = fact
                .subject
                .is_some_and(|e| self.entities[e].kind != EntityKind::Concept);
            covered[base + p.predicate] = if named_subject {
                Coverage::Strong
            } else {
                Coverage::Weak
            };
            for fact in all {
                if seen.insert((fact.subject, fact.predicate.clone(), fact.object)) {
                    self.facts.push(fact);
                    self.fact_verbs.push(Some(base + p.predicate));
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn clause_fact(
        &mut self,
        s: usize,
        base: usize,
        tree: &TreeView<'_>,
        lemma: &[String],
        p: &Proposition,
        times: &[time::TimeMention],
        speakers: &[(usize, EntityId)],
    ) -> Option<Fact> {
        let lex = self.lex;
        let verb_lemma = p.lemma.to_lowercase();
        let entry = lex.by_lemma.get(&verb_lemma).map(|&i| &lex.relations[i]);
        let clausal = CLAUSAL.contains(&verb_lemma.as_str())
            || clauses::EMBEDDING.contains(&verb_lemma.as_str());
        let mut predicate = entry.map(|e| e.predicate.clone());
        let mut label = entry.map(|e| e.label.clone());
        let particle = entry.and_then(|e| e.particle.clone());
        let mut rule = String::from(if p.passive {
            "clause+passive"
        } else {
            "clause"
        });
        let mut confidence = p.confidence.max(0.05);
        let mut used: Vec<usize> = p.relation.clone();
        used.push(p.predicate);

        let mut subject: Option<Linked> = p.subject.as_ref().and_then(|a| self.link(base, tree, a));
        if let Some(a) = &p.subject {
            if self.token_mention[base + a.head]
                .is_some_and(|m| self.mentions[m].kind == MentionKind::Pronoun)
            {
                confidence *= 0.85;
            }
        }
        let mut objects: Vec<Linked> = Vec::new();
        let mut extra: Vec<(String, Linked)> = Vec::new();
        let mut time_words: Vec<usize> = Vec::new();
        let objects_args: Vec<&Arg> = p
            .args
            .iter()
            .filter(|a| matches!(a.role, ArgRole::Object))
            .collect();

        // "issued a blanket pardon for Milley", "launch an investigation into Milley's
        // conduct": the noun names the relation, its prepositional modifier the object.
        let mut light_object: Option<(usize, usize)> = None;
        let hosts_light_noun = entry.is_none_or(|e| e.category == "action");
        if hosts_light_noun {
            if let Some(obj) = objects_args.first() {
                let noun = lemma[obj.head].to_lowercase();
                let form = self.lower[base + obj.head].clone();
                if let Some(&ri) = lex
                    .light_nouns
                    .get(&noun)
                    .or_else(|| lex.light_nouns.get(&form))
                {
                    let light_case = |c: usize| {
                        tree.case_of(c, self, base)
                            .is_some_and(|prep| LIGHT_OBJECT_CASES.contains(&prep.as_str()))
                    };
                    // On the noun ("a pardon for Milley") or, as parsers often attach it,
                    // on the verb right after the noun ("launch an investigation into …").
                    let inner = tree.kids[obj.head]
                        .iter()
                        .copied()
                        .find(|&c| tree.deprel[c] == "nmod" && light_case(c))
                        .or_else(|| {
                            p.args
                                .iter()
                                .find(|a| {
                                    a.role == ArgRole::Oblique
                                        && a.head > obj.head
                                        && light_case(a.head)
                                })
                                .map(|a| a.head)
                        });
                    if let Some(inner) = inner {
                        light_object = Some((obj.head, inner));
                        predicate = Some(lex.relations[ri].predicate.clone());
                        label = Some(lex.relations[ri].label.clone());
                        rule.push_str("+light-verb");
                        confidence *= 0.9;
                    }
                }
            }
        }

        for a in &p.args {
            let in_time = times.iter().any(|t| {
                t.tokens.contains(&a.head) || a.words.iter().any(|w| t.tokens.contains(w))
            });
            match a.role {
                ArgRole::Object | ArgRole::IndirectObject => {
                    if let Some((noun, inner)) = light_object.filter(|(n, _)| *n == a.head) {
                        let inner_arg = Arg {
                            role: ArgRole::Object,
                            head: inner,
                            words: tree.subtree_words(inner),
                            case: None,
                            inherited: false,
                        };
                        used.push(noun);
                        if let Some(l) = self.link(base, tree, &inner_arg) {
                            objects.push(l);
                        }
                        continue;
                    }
                    if clausal && self.named_at(base, tree, a.head).is_none() {
                        continue;
                    }
                    for l in self.link_all(base, tree, a) {
                        if a.role == ArgRole::IndirectObject && !objects_args.is_empty() {
                            extra.push(("to".into(), l));
                        } else {
                            objects.push(l);
                        }
                    }
                }
                ArgRole::Agent => {
                    if let Some(l) = self.link(base, tree, a) {
                        extra.push(("by".into(), l));
                    }
                }
                ArgRole::Complement => {
                    // "called Trump *a fascist*"; clauses ("said that …") are facts of their own.
                    if clausal || matches!(tree.upos[a.head], "VERB" | "AUX") {
                        continue;
                    }
                    if let Some(l) = self.link(base, tree, a) {
                        extra.push(("as".into(), l));
                    }
                }
                ArgRole::Oblique => {
                    if light_object.is_some_and(|(_, inner)| inner == a.head) {
                        continue;
                    }
                    if in_time {
                        time_words.extend(a.words.iter().copied());
                        continue;
                    }
                    let prep = a
                        .case
                        .map(|c| self.lower[base + c].clone())
                        .unwrap_or_default();
                    // Bare obliques ("(CNN)") and "according to" (an attribution) are not
                    // arguments of the fact.
                    if prep.is_empty() || prep == "according" {
                        continue;
                    }
                    let named = self.named_at(base, tree, a.head);
                    let wanted = particle.as_deref() == Some(prep.as_str());
                    let linked = if named.is_some() || wanted {
                        self.link(base, tree, a)
                    } else {
                        None
                    };
                    if let Some(l) = linked {
                        extra.push((prep, l));
                    }
                }
                ArgRole::Subject => {}
            }
        }

        // "accused Milley of treason": parsers often hang the predicate's preposition
        // ("accuse … of") on the object instead of the verb.
        if let Some(prt) = particle.as_deref() {
            if !extra.iter().any(|(prep, _)| prep == prt) {
                let inner = objects_args.iter().find_map(|o| {
                    tree.kids[o.head].iter().copied().find(|&c| {
                        tree.deprel[c] == "nmod"
                            && tree.case_of(c, self, base).as_deref() == Some(prt)
                    })
                });
                if let Some(inner) = inner {
                    let arg = Arg {
                        role: ArgRole::Oblique,
                        head: inner,
                        words: tree.subtree_words(inner),
                        case: None,
                        inherited: false,
                    };
                    if let Some(l) = self.link(base, tree, &arg) {
                        extra.push((prt.to_string(), l));
                    }
                }
            }
        }

        // Passive: the grammatical subject is what was acted on; the by-phrase acts.
        if p.passive {
            let patient = subject.take();
            if let Some(k) = extra.iter().position(|(prep, _)| prep == "by") {
                subject = Some(extra.remove(k).1);
            } else {
                confidence *= 0.85;
            }
            if let Some(pt) = patient {
                objects.insert(0, pt);
            }
        }
        if subject.is_none() && (objects.is_empty() || !p.passive) {
            return None;
        }
        // A fact must be about something the graph knows by name.
        let named = |e: EntityId| self.entities[e].kind != EntityKind::Concept;
        let holder_named = |e: EntityId| {
            self.entities[e]
                .holder
                .is_some_and(|h| self.entities[h].kind != EntityKind::Concept)
        };
        let any_named = subject
            .iter()
            .chain(objects.iter())
            .chain(extra.iter().map(|(_, l)| l))
            .any(|l| named(l.entity) || holder_named(l.entity));
        if !any_named {
            return None;
        }

        let predicate = predicate.unwrap_or_else(|| minted_predicate(&verb_lemma, p, self, base));
        let label = label.unwrap_or_else(|| predicate.replace('_', " "));
        for l in subject
            .iter()
            .chain(objects.iter())
            .chain(extra.iter().map(|(_, l)| l))
        {
            used.extend(l.words.iter().copied());
        }
        used.extend(p.subject.iter().flat_map(|a| a.words.iter().copied()));
        let first = *used.iter().min()?;
        let last = *used.iter().max()?;
        let span = self.span_of(base + first..base + last + 1);
        let text = self.slice(base + first..base + last + 1).to_owned();
        let time = times
            .iter()
            .find(|t| time_words.iter().any(|w| t.tokens.contains(w)))
            .or_else(|| nearest_time(times, p.predicate))
            .map(|t| t.time.clone());
        let attribution = p
            .embedded_under
            .and_then(|w| speakers.iter().find(|(v, _)| *v == w).map(|(_, e)| *e));
        let subject_id = subject.as_ref().map(|l| l.entity);
        let place = extra
            .iter()
            .find(|(prep, l)| {
                matches!(prep.as_str(), "in" | "at")
                    && self.entities[l.entity].kind == EntityKind::Place
            })
            .map(|(_, l)| l.entity);
        if !objects.is_empty() && objects.iter().all(|o| !named(o.entity)) {
            confidence *= 0.9;
        }
        let object = objects
            .iter()
            .map(|o| o.entity)
            .find(|&o| Some(o) != subject_id);
        let arguments: Vec<(String, EntityId)> = objects
            .iter()
            .skip(1)
            .map(|o| ("object".to_string(), o.entity))
            .chain(extra.into_iter().map(|(prep, l)| (prep, l.entity)))
            .filter(|(_, e)| Some(*e) != subject_id && Some(*e) != object)
            .collect();
        Some(Fact {
            subject: subject_id,
            predicate,
            predicate_label: label,
            object,
            arguments,
            sentence: s,
            span,
            text,
            time,
            place,
            attribution,
            negated: p.negated,
            modality: p.modal.clone(),
            confidence: (confidence * 100.0).round() / 100.0,
            rule,
        })
    }

    /// The named entity (person, organization, place) an argument head stands for: the head
    /// is part of its mention, or a title noun with the name in apposition ("his former
    /// adviser John Bolton").
    fn named_at(&self, base: usize, tree: &TreeView<'_>, head: usize) -> Option<EntityId> {
        let direct = self.entity_at(base + head);
        if direct.is_some() {
            return direct;
        }
        tree.kids[head]
            .iter()
            .copied()
            .filter(|&c| matches!(tree.deprel[c].as_str(), "appos" | "flat" | "compound"))
            .find_map(|c| {
                self.entity_at(base + c)
                    .filter(|&e| self.entities[e].kind == EntityKind::Person)
            })
    }

    /// Like [`Self::link`], but "the security detail and security clearance", which parsers
    /// read as a compound holding a coordination, gives one concept per conjunct.
    fn link_all(&mut self, base: usize, tree: &TreeView<'_>, a: &Arg) -> Vec<Linked> {
        let h = a.head;
        let split = tree.kids[h].iter().copied().find_map(|c| {
            (tree.deprel[c] == "compound")
                .then(|| {
                    tree.kids[c].iter().copied().find(|&d| {
                        tree.deprel[d] == "conj" && c < d && d < h && tree.upos[d] == "NOUN"
                    })
                })
                .flatten()
                .map(|d| (c, d))
        });
        let (Some((c, d)), None) = (split, self.named_at(base, tree, h)) else {
            return self.link(base, tree, a).into_iter().collect();
        };
        let holder = self.holder_of(base, tree, h);
        let conj_words = tree.subtree_words(d);
        let first: Vec<usize> = tree
            .core(c)
            .into_iter()
            .filter(|w| !conj_words.contains(w))
            .collect();
        let mut second: Vec<usize> = tree.core(d);
        second.push(h);
        second.sort_unstable();
        let mut out = Vec::new();
        for core in [first, second] {
            let words: Vec<String> = core
                .iter()
                .map(|&i| self.words[base + i].to_string())
                .collect();
            if let Some(entity) = self.concept(&words, holder) {
                out.push(Linked {
                    entity,
                    words: a.words.clone(),
                });
            }
        }
        out
    }

    /// Who a noun belongs to: a possessor ("Milley's portrait", "his clearance") or a name
    /// after "of"/"for" ("a second portrait of Milley", "the clearance for Gen. Milley").
    ///
    /// A conjunct without one shares the "of"/"for" name of the last conjunct: in "revoked
    /// the security detail and security clearance for Gen. Mark Milley" the name qualifies
    /// both, though the tree hangs it on "clearance".
    fn holder_of(&self, base: usize, tree: &TreeView<'_>, head: usize) -> Option<EntityId> {
        let of_name = |c: usize| {
            tree.deprel[c] == "nmod"
                && matches!(tree.case_of(c, self, base).as_deref(), Some("of" | "for"))
        };
        let own = tree.kids[head].iter().copied().find_map(|c| {
            if tree.deprel[c] == "nmod:poss" || of_name(c) {
                self.named_at(base, tree, c)
            } else {
                None
            }
        });
        own.or_else(|| {
            let last = tree.kids[head]
                .iter()
                .copied()
                .filter(|&c| tree.deprel[c] == "conj" && tree.upos[c] == "NOUN")
                .max()?;
            tree.kids[last]
                .iter()
                .copied()
                .filter(|&c| c > last && of_name(c))
                .find_map(|c| self.named_at(base, tree, c))
        })
    }

    /// The entity an argument refers to, or a concept node for it.
    fn link(&mut self, base: usize, tree: &TreeView<'_>, a: &Arg) -> Option<Linked> {
        if let Some(e) = self.named_at(base, tree, a.head) {
            return Some(Linked {
                entity: e,
                words: a.words.clone(),
            });
        }
        // "his former national security adviser John Bolton's Secret Service detail": a
        // title noun with an apposition stands for what the apposition names.
        let head_word = self.lower[base + a.head].clone();
        if self.lex.title_suffix(&[head_word.as_str()]) == 1 {
            if let Some(ap) = tree.kids[a.head]
                .iter()
                .copied()
                .find(|&c| tree.deprel[c] == "appos" && matches!(tree.upos[c], "NOUN" | "PROPN"))
            {
                let inner = Arg {
                    role: a.role,
                    head: ap,
                    words: tree.subtree_words(ap),
                    case: None,
                    inherited: a.inherited,
                };
                if let Some(mut l) = self.link(base, tree, &inner) {
                    l.words = a.words.clone();
                    return Some(l);
                }
            }
        }
        // A verb tag in a nominal position (with a preposition) is a tagging error.
        let nominal_verb =
            tree.upos[a.head] == "VERB" && tree.case_of(a.head, self, base).is_some();
        if matches!(
            tree.upos[a.head],
            "PRON" | "DET" | "NUM" | "PUNCT" | "SYM" | "AUX"
        ) || (tree.upos[a.head] == "VERB" && !nominal_verb)
        {
            return None;
        }
        let holder = self.holder_of(base, tree, a.head);
        let core = tree.core(a.head);
        let words: Vec<String> = core
            .iter()
            .map(|&i| self.words[base + i].to_string())
            .collect();
        let entity = self.concept(&words, holder)?;
        Some(Linked {
            entity,
            words: a.words.clone(),
        })
    }
}

/// A predicate for a verb the lexicon does not list: its lemma, with a particle
/// ("push back" → `push_back`), in the ASCII letters an IRI local name keeps readable.
fn minted_predicate(lemma: &str, p: &Proposition, run: &Run<'_>, base: usize) -> String {
    let mut name: String = lemma
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    if let Some(&prt) = p.relation.iter().find(|&&w| {
        run.analysis
            .get(run.sentence_of[base])
            .and_then(|s| s.words.get(w))
            .is_some_and(|w| w.deprel == "compound:prt")
    }) {
        name.push('_');
        name.push_str(&run.lower[base + prt]);
    }
    let name = name.trim_matches('_').to_string();
    if name.is_empty() {
        "relate".into()
    } else {
        name
    }
}

/// The parts of a dependency tree the linker reads.
struct TreeView<'t> {
    kids: &'t [Vec<usize>],
    deprel: &'t [String],
    upos: &'t [&'static str],
}

impl TreeView<'_> {
    /// Lowercase preposition of a nominal dependent ("of" in "portrait of Milley").
    fn case_of(&self, n: usize, run: &Run<'_>, base: usize) -> Option<String> {
        self.kids[n]
            .iter()
            .copied()
            .find(|&c| self.deprel[c] == "case" && c < n)
            .map(|c| run.lower[base + c].clone())
    }

    /// The words naming a concept: `n` and its modifiers in [`CONCEPT_PARTS`].
    fn core(&self, n: usize) -> Vec<usize> {
        let mut core = vec![n];
        let mut stack = vec![n];
        while let Some(x) = stack.pop() {
            if core.len() > self.kids.len() {
                break;
            }
            for &c in &self.kids[x] {
                if CONCEPT_PARTS.contains(&self.deprel[c].as_str()) && self.upos[c] != "PUNCT" {
                    core.push(c);
                    stack.push(c);
                }
            }
        }
        core.sort_unstable();
        core.dedup();
        core
    }

    /// Words of the subtree of `n` without clause-level attachments and punctuation.
    fn subtree_words(&self, n: usize) -> Vec<usize> {
        let mut out = vec![n];
        let mut stack = vec![n];
        while let Some(x) = stack.pop() {
            if out.len() > self.kids.len() {
                break;
            }
            for &c in &self.kids[x] {
                let rel = self.deprel[c].as_str();
                if !matches!(
                    rel,
                    "acl:relcl"
                        | "parataxis"
                        | "advcl"
                        | "punct"
                        | "appos"
                        | "conj"
                        | "cc"
                        | "case"
                ) {
                    out.push(c);
                    stack.push(c);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}
