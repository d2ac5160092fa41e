//! Clauses from dependency trees: one [`Proposition`] per predicate, with its subject,
//! objects, complements and prepositional arguments, its verb group (auxiliaries, negation,
//! particles, modals) and a confidence.
//!
//! This is the syntactic half of relation extraction: it knows nothing about entities. The
//! Open IE output (`extract --format openie`) prints propositions as they are; the fact
//! extractor links their arguments to entities.
//!
//! Conventions follow the Open IE benchmarks the output is scored on (CaRB): a preposition
//! that introduces the first argument after a verb without an object joins the relation
//! ("was fired by" + "President Trump"), other prepositional arguments keep theirs ("in
//! 2018"), and an argument left of the verb that is not the subject comes last.

use crate::nlp::{AnalyzedSentence, Word};

/// What an argument is to its predicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ArgRole {
    Subject,
    Object,
    IndirectObject,
    /// A predicative or clausal complement ("called Trump *a fascist*", "said *that …*").
    Complement,
    /// A prepositional or bare oblique argument ("*from* the Pentagon", "*Tuesday*").
    Oblique,
    /// The agent of a passive ("*by* President Trump").
    Agent,
}

/// One argument: a contiguous-as-possible set of words of the sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    pub role: ArgRole,
    /// The argument's head word (0-based index into the sentence's words).
    pub head: usize,
    /// Words of the argument, sorted, without the introducing preposition.
    pub words: Vec<usize>,
    /// The preposition (or subordinator) introducing it, if any.
    pub case: Option<usize>,
    /// The argument was not found under the predicate but inherited: the subject of a
    /// coordinated verb, the noun a relative clause modifies, a controlled subject.
    pub inherited: bool,
}

/// One predicate with its arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposition {
    /// The predicate word: a verb, or for a copula the nominal or adjectival predicate.
    pub predicate: usize,
    /// The lemma naming the relation ("revoke"; "be" for copulas).
    pub lemma: String,
    /// Words of the relation phrase in sentence order (auxiliaries, negation, verb,
    /// particle, and a preposition moved in from the first argument).
    pub relation: Vec<usize>,
    pub subject: Option<Arg>,
    /// Non-subject arguments, the first one after the relation first.
    pub args: Vec<Arg>,
    pub negated: bool,
    pub modal: Option<String>,
    pub passive: bool,
    /// A clause-embedding verb of speech or cognition governs this one ("said that …").
    pub embedded_under: Option<usize>,
    /// For relations no word states: "be" for appositions ("Milley, the former top
    /// general"), "have" for possessives ("Milley's portrait").
    pub implicit: Option<&'static str>,
    /// Estimated probability that the proposition is right, in [0, 1].
    pub confidence: f32,
}

const MODALS: &[&str] = &[
    "can", "could", "may", "might", "must", "shall", "should", "will", "would",
];

struct Tree<'a> {
    words: &'a [Word],
    children: Vec<Vec<usize>>,
}

impl<'a> Tree<'a> {
    fn new(s: &'a AnalyzedSentence) -> Self {
        let mut children = vec![Vec::new(); s.words.len()];
        for (i, w) in s.words.iter().enumerate() {
            if w.head > 0 && w.head <= s.words.len() && w.head - 1 != i {
                children[w.head - 1].push(i);
            }
        }
        Tree {
            words: &s.words,
            children,
        }
    }

    fn rel(&self, i: usize) -> &str {
        &self.words[i].deprel
    }

    /// Base relation without subtype ("nsubj:pass" → "nsubj").
    fn base(&self, i: usize) -> &str {
        let r = self.rel(i);
        r.split(':').next().unwrap_or(r)
    }

    fn head(&self, i: usize) -> Option<usize> {
        let h = self.words[i].head;
        (h > 0 && h <= self.words.len() && h - 1 != i).then(|| h - 1)
    }

    fn kids<'b>(&'b self, i: usize, rels: &'b [&str]) -> impl Iterator<Item = usize> + 'b {
        self.children[i]
            .iter()
            .copied()
            .filter(move |&c| rels.contains(&self.rel(c)))
    }

    /// Words of the subtree of `i`, minus the subtrees of children `skip` says to drop.
    fn subtree(&self, i: usize, skip: &dyn Fn(usize) -> bool) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack = vec![i];
        let mut guard = 0;
        while let Some(n) = stack.pop() {
            guard += 1;
            if guard > self.words.len() * 2 {
                break;
            }
            out.push(n);
            for &c in &self.children[n] {
                if !skip(c) {
                    stack.push(c);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        trim_punct(self.words, out)
    }

    fn is_verbal(&self, i: usize) -> bool {
        matches!(self.words[i].upos, "VERB")
            || (self.words[i].upos == "AUX" && !self.kids(i, &["cop"]).any(|_| true))
    }
}

fn trim_punct(words: &[Word], mut v: Vec<usize>) -> Vec<usize> {
    while v.first().is_some_and(|&i| words[i].upos == "PUNCT") {
        v.remove(0);
    }
    while v.last().is_some_and(|&i| words[i].upos == "PUNCT") {
        v.pop();
    }
    v
}

/// Relations that attach clause-level material an argument should not swallow.
fn clause_level(rel: &str) -> bool {
    matches!(
        rel,
        "acl:relcl" | "parataxis" | "advcl" | "punct" | "conj" | "cc" | "appos" | "dep"
    )
}

/// Attachments a noun phrase argument leaves out.
const NP_CLAUSE_LEVEL: &[&str] = &["acl:relcl", "parataxis", "advcl", "appos", "dep"];

/// Speech and cognition verbs whose clausal complement is a claim, not a fact.
pub const EMBEDDING: &[&str] = &[
    "say",
    "tell",
    "report",
    "claim",
    "testify",
    "state",
    "announce",
    "believe",
    "think",
    "allege",
    "argue",
    "insist",
    "add",
    "write",
    "note",
    "suggest",
    "deny",
    "confirm",
    "know",
    "accuse",
    "warn",
    "acknowledge",
    "explain",
    "indicate",
    "predict",
    "expect",
    "fear",
    "hope",
];

/// All propositions of one analyzed sentence, in order of their predicates.
pub fn propositions(s: &AnalyzedSentence) -> Vec<Proposition> {
    let t = Tree::new(s);
    let mut out = Vec::new();
    for p in 0..s.words.len() {
        let is_cop_pred = t.kids(p, &["cop"]).next().is_some();
        if !(t.is_verbal(p) || is_cop_pred) {
            continue;
        }
        // Adjectival participles ("the fired official") and verbs inside names are not
        // predicates of their own.
        if matches!(
            t.base(p),
            "amod" | "compound" | "fixed" | "flat" | "case" | "mark"
        ) || (t.words[p].upos == "AUX" && matches!(t.base(p), "aux" | "cop"))
        {
            continue;
        }
        if let Some(prop) = proposition(&t, p, is_cop_pred) {
            out.extend(split_coordinated_objects(&t, prop));
        }
    }
    for a in 0..s.words.len() {
        if let Some(prop) = implicit(&t, a) {
            out.push(prop);
        }
    }
    out
}

/// "revoked the security detail and security clearance" is two facts: one proposition per
/// conjunct of the first object.
fn split_coordinated_objects(t: &Tree<'_>, prop: Proposition) -> Vec<Proposition> {
    let Some(k) = prop.args.iter().position(|a| a.role == ArgRole::Object) else {
        return vec![prop];
    };
    let head = prop.args[k].head;
    let conjuncts: Vec<usize> = t
        .kids(head, &["conj"])
        .filter(|&c| matches!(t.words[c].upos, "NOUN" | "PROPN" | "PRON" | "NUM"))
        .collect();
    if conjuncts.is_empty() {
        return vec![prop];
    }
    let strip = |h: usize| {
        let mut a = noun_arg(t, h, ArgRole::Object, false, None);
        let drop: Vec<usize> = t
            .kids(h, &["conj", "cc"])
            .flat_map(|c| t.subtree(c, &|_| false))
            .collect();
        a.words.retain(|w| !drop.contains(w));
        // Trailing commas and conjunctions left by the cut.
        while a
            .words
            .last()
            .is_some_and(|&w| matches!(t.words[w].upos, "PUNCT" | "CCONJ"))
        {
            a.words.pop();
        }
        a
    };
    let mut out = Vec::new();
    for h in std::iter::once(head).chain(conjuncts) {
        let mut p = prop.clone();
        p.args[k] = strip(h);
        out.push(p);
    }
    out
}

fn is_title_word(w: &str) -> bool {
    let lower = w.to_lowercase();
    let lex = super::lexicon::Lexicon::embedded();
    lex.title_prefix(&[lower.as_str()]) == 1 || lex.title_prefix(&[w]) == 1
}

/// Relations carried by a phrase's shape: an apposition says what its noun is, a possessive
/// what its owner has.
fn implicit(t: &Tree<'_>, a: usize) -> Option<Proposition> {
    let h = t.head(a)?;
    let (lemma, subject, object) = match t.rel(a) {
        "appos" if matches!(t.words[h].upos, "PROPN" | "NOUN" | "PRON") => {
            let subject = noun_arg(t, h, ArgRole::Subject, false, Some(a));
            let object = noun_arg(t, a, ArgRole::Complement, false, None);
            // "the host, Ryan Cameron": the name is what the description is said of.
            if t.words[h].upos == "NOUN" && t.words[a].upos == "PROPN" {
                let mut subject = object;
                subject.role = ArgRole::Subject;
                let mut object = noun_arg(t, h, ArgRole::Complement, false, Some(a));
                object.role = ArgRole::Complement;
                ("be", subject, object)
            } else {
                ("be", subject, object)
            }
        }
        // "Defense Secretary Pete Hegseth", "author Bill Bryson": a title before a name.
        "compound" | "flat" | "nmod"
            if t.words[h].upos == "PROPN"
                && a < h
                && is_title_word(&t.words[a].form)
                && t.kids(h, &["flat", "compound"])
                    .any(|c| c > a && t.words[c].upos == "PROPN") =>
        {
            let title: Vec<usize> = t.children[h]
                .iter()
                .copied()
                .filter(|&c| c <= a && matches!(t.rel(c), "compound" | "amod" | "flat" | "nmod"))
                .collect();
            if title
                .iter()
                .any(|&c| c != a && !is_title_word(&t.words[c].form))
            {
                return None;
            }
            let name: Vec<usize> = (a + 1..=h)
                .filter(|&c| c == h || t.head(c) == Some(h))
                .collect();
            let subject = Arg {
                role: ArgRole::Subject,
                head: h,
                words: name,
                case: None,
                inherited: false,
            };
            let object = Arg {
                role: ArgRole::Complement,
                head: a,
                words: title,
                case: None,
                inherited: false,
            };
            ("be", subject, object)
        }
        "nmod:poss"
            if matches!(t.words[a].upos, "PROPN" | "NOUN")
                && matches!(t.words[h].upos, "NOUN" | "PROPN") =>
        {
            let subject = noun_arg(t, a, ArgRole::Subject, false, None);
            let mut object = noun_arg(t, h, ArgRole::Object, false, Some(a));
            object
                .words
                .retain(|&w| !t.subtree(a, &|_| false).contains(&w));
            ("have", subject, object)
        }
        // "Henry Wood Hall in Glasgow": a place or part relation between two names.
        "nmod"
            if matches!(t.words[h].upos, "PROPN" | "NOUN")
                && (t.words[h].upos == "PROPN" || t.words[a].upos == "PROPN") =>
        {
            let case = t.kids(a, &["case"]).find(|&c| c < a)?;
            let prep = t.words[case].form.to_lowercase();
            if !matches!(
                prep.as_str(),
                "in" | "at" | "of" | "on" | "from" | "near" | "for" | "with"
            ) {
                return None;
            }
            let subject = noun_arg(t, h, ArgRole::Subject, false, Some(a));
            let mut object = noun_arg(t, a, ArgRole::Oblique, false, None);
            // The preposition is in the relation ("is in").
            object.case = None;
            let rel: &'static str = match prep.as_str() {
                "in" => "is in",
                "at" => "is at",
                "of" => "is of",
                "on" => "is on",
                "from" => "is from",
                "near" => "is near",
                "for" => "is for",
                _ => "is with",
            };
            return (!subject.words.is_empty() && !object.words.is_empty()).then(|| {
                let mut prop = Proposition {
                    predicate: a,
                    lemma: rel.to_string(),
                    relation: Vec::new(),
                    subject: Some(subject),
                    args: vec![object],
                    negated: false,
                    modal: None,
                    passive: false,
                    embedded_under: None,
                    implicit: Some(rel),
                    confidence: 0.0,
                };
                prop.confidence = confidence(t, &prop);
                prop
            });
        }
        _ => return None,
    };
    if subject.words.is_empty() || object.words.is_empty() {
        return None;
    }
    let mut prop = Proposition {
        predicate: a,
        lemma: lemma.to_string(),
        relation: Vec::new(),
        subject: Some(subject),
        args: vec![object],
        negated: false,
        modal: None,
        passive: false,
        embedded_under: None,
        implicit: Some(if lemma == "be" { "is" } else { "has" }),
        confidence: 0.0,
    };
    prop.confidence = self::confidence(t, &prop);
    Some(prop)
}

fn subject_of(t: &Tree<'_>, p: usize, depth: usize) -> Option<Arg> {
    if depth > 8 {
        return None;
    }
    if let Some(c) = t
        .kids(
            p,
            &["nsubj", "nsubj:pass", "csubj", "csubj:pass", "nsubj:outer"],
        )
        .next()
    {
        // A relative pronoun stands for the noun the clause modifies.
        let lower = t.words[c].form.to_lowercase();
        if t.rel(p) == "acl:relcl" && matches!(lower.as_str(), "who" | "which" | "that") {
            if let Some(h) = t.head(p) {
                return Some(noun_arg(t, h, ArgRole::Subject, true, Some(p)));
            }
        }
        return Some(noun_arg(t, c, ArgRole::Subject, false, None));
    }
    let h = t.head(p)?;
    match t.rel(p) {
        // "revoked X and ordered Y": the second verb shares the first one's subject.
        "conj" if t.is_verbal(h) || t.kids(h, &["cop"]).next().is_some() => {
            subject_of(t, h, depth + 1).map(|mut a| {
                a.inherited = true;
                a
            })
        }
        // "officials who …" without a relative pronoun, and "officials appointed by X".
        "acl:relcl" | "acl" => Some(noun_arg(t, h, ArgRole::Subject, true, Some(p))),
        // "directed the inspector general to launch": the object controls the infinitive.
        "xcomp" => {
            let controller = t
                .kids(h, &["obj", "iobj"])
                .next()
                .map(|o| noun_arg(t, o, ArgRole::Subject, true, None));
            controller.or_else(|| {
                subject_of(t, h, depth + 1).map(|mut a| {
                    a.inherited = true;
                    a
                })
            })
        }
        "advcl" if t.words[p].xpos == "VBG" || t.words[p].xpos == "VBN" => {
            subject_of(t, h, depth + 1).map(|mut a| {
                a.inherited = true;
                a
            })
        }
        _ => None,
    }
}

/// A noun phrase argument headed by `h`: its subtree minus clause-level attachments, and
/// minus `exclude` (the relative clause the phrase is being used from).
fn noun_arg(t: &Tree<'_>, h: usize, role: ArgRole, inherited: bool, exclude: Option<usize>) -> Arg {
    let case = t.kids(h, &["case", "mark"]).find(|&c| c < h);
    let possessive_marker = t
        .kids(h, &["case"])
        .find(|&c| c > h && matches!(t.words[c].form.as_str(), "'s" | "’s" | "'" | "’"));
    // A predicate nominal's own subject, copula and auxiliaries belong to its clause, not
    // to the phrase ("an Australian footballer who plays …", not "X is an … footballer").
    let words = t.subtree(h, &|c| {
        Some(c) == exclude
            || Some(c) == case
            || (Some(c) == possessive_marker && role == ArgRole::Subject)
            || (NP_CLAUSE_LEVEL.contains(&t.rel(c)) && t.head(c) == Some(h))
            || matches!(
                t.rel(c),
                "nsubj" | "nsubj:pass" | "csubj" | "cop" | "aux" | "aux:pass" | "expl"
            ) && t.head(c) == Some(h)
    });
    let words = cut_at_comma(t, h, words);
    Arg {
        role,
        head: h,
        words,
        case,
        inherited,
    }
}

/// Ends a phrase at the first comma after its head unless a conjunct of the head follows
/// ("the region, such as …" → "the region"; "Alpha, Beta and Gamma" stays whole), and drops
/// conjunctions left at its edges.
fn cut_at_comma(t: &Tree<'_>, h: usize, mut words: Vec<usize>) -> Vec<usize> {
    let last_conj = t.kids(h, &["conj"]).max();
    if let Some(k) = words
        .iter()
        .position(|&w| w > h && t.words[w].form == "," && last_conj.is_none_or(|c| c < w))
    {
        words.truncate(k);
    }
    while words
        .first()
        .is_some_and(|&w| matches!(t.words[w].upos, "CCONJ" | "PUNCT"))
    {
        words.remove(0);
    }
    while words
        .last()
        .is_some_and(|&w| matches!(t.words[w].upos, "CCONJ" | "PUNCT"))
    {
        words.pop();
    }
    words
}

fn clause_arg(t: &Tree<'_>, h: usize, role: ArgRole) -> Arg {
    let case = t.kids(h, &["mark"]).find(|&c| c < h);
    let words = t.subtree(h, &|c| {
        Some(c) == case || matches!(t.rel(c), "punct" | "parataxis")
    });
    Arg {
        role,
        head: h,
        words,
        case,
        inherited: false,
    }
}

fn proposition(t: &Tree<'_>, p: usize, copular: bool) -> Option<Proposition> {
    let w = t.words;
    let mut relation: Vec<usize> = Vec::new();
    let mut negated = false;
    let mut modal = None;
    let mut passive = false;
    for c in t.children[p].iter().copied() {
        match t.rel(c) {
            "aux" | "aux:pass" => {
                relation.push(c);
                if t.rel(c) == "aux:pass" {
                    passive = true;
                }
                let l = w[c].form.to_lowercase();
                if MODALS.contains(&l.as_str()) {
                    modal = Some(l);
                }
            }
            "advmod" if matches!(w[c].form.to_lowercase().as_str(), "not" | "n't" | "never") => {
                relation.push(c);
                negated = true;
            }
            "compound:prt" => relation.push(c),
            "cop" => relation.push(c),
            // "often refers to", "are also known as": an adverb inside the verb group.
            "advmod"
                if c < p
                    && c + 3 >= p
                    && w[c].upos == "ADV"
                    && t.children[c].is_empty()
                    && (c + 1..p).all(|k| matches!(w[k].upos, "ADV" | "AUX" | "PART")) =>
            {
                relation.push(c)
            }
            _ => {}
        }
    }
    let subject = subject_of(t, p, 0);
    let mut args: Vec<Arg> = Vec::new();
    if copular {
        // "Milley is the former top US general": the nominal is the second argument.
        let pred = t.subtree(p, &|c| {
            matches!(
                t.rel(c),
                "nsubj" | "nsubj:pass" | "csubj" | "cop" | "aux" | "aux:pass" | "mark"
            ) || clause_level(t.rel(c))
                || matches!(t.base(c), "obl" | "advmod")
                || (t.rel(c) == "advmod"
                    && matches!(w[c].form.to_lowercase().as_str(), "not" | "n't"))
        });
        let case = t.kids(p, &["case"]).find(|&c| c < p);
        args.push(Arg {
            role: ArgRole::Complement,
            head: p,
            words: pred.into_iter().filter(|&i| Some(i) != case).collect(),
            case,
            inherited: false,
        });
    } else {
        relation.push(p);
    }
    for c in t.children[p].iter().copied() {
        let arg = match t.rel(c) {
            "obj" => Some(noun_arg(t, c, ArgRole::Object, false, None)),
            "iobj" => Some(noun_arg(t, c, ArgRole::IndirectObject, false, None)),
            "ccomp" | "csubj:outer" => Some(clause_arg(t, c, ArgRole::Complement)),
            "xcomp" if !t.is_verbal(c) => Some(noun_arg(t, c, ArgRole::Complement, false, None)),
            "xcomp" => Some(clause_arg(t, c, ArgRole::Complement)),
            "obl:agent" => Some(noun_arg(t, c, ArgRole::Agent, false, None)),
            r if !copular && (r == "obl" || r.starts_with("obl:")) => {
                Some(noun_arg(t, c, ArgRole::Oblique, false, None))
            }
            r if copular && (r == "obl" || r.starts_with("obl:")) => {
                Some(noun_arg(t, c, ArgRole::Oblique, false, None))
            }
            _ => None,
        };
        if let Some(a) = arg {
            if !a.words.is_empty() {
                args.push(a);
            }
        }
    }
    // "chose to accept the draft": a verb whose infinitive complement says what happens
    // joins it in the relation, and the infinitive's arguments become its own.
    if !copular && !args.iter().any(|a| a.role == ArgRole::Object) {
        if let Some(k) = args.iter().position(|a| {
            a.role == ArgRole::Complement && t.rel(a.head) == "xcomp" && t.is_verbal(a.head)
        }) {
            let c = args[k].head;
            let has_own_subject = t.kids(c, &["nsubj", "nsubj:pass"]).next().is_some();
            if !has_own_subject {
                args.remove(k);
                for m in t.kids(c, &["mark", "aux", "compound:prt", "aux:pass"]) {
                    relation.push(m);
                }
                relation.push(c);
                for cc in t.children[c].iter().copied() {
                    let a = match t.rel(cc) {
                        "obj" => Some(noun_arg(t, cc, ArgRole::Object, false, None)),
                        "iobj" => Some(noun_arg(t, cc, ArgRole::IndirectObject, false, None)),
                        "ccomp" => Some(clause_arg(t, cc, ArgRole::Complement)),
                        "xcomp" => Some(noun_arg(t, cc, ArgRole::Complement, false, None)),
                        r if r == "obl" || r.starts_with("obl:") => {
                            Some(noun_arg(t, cc, ArgRole::Oblique, false, None))
                        }
                        _ => None,
                    };
                    if let Some(a) = a.filter(|a| !a.words.is_empty()) {
                        args.push(a);
                    }
                }
            }
        }
    }
    // "buy and sell large amounts": the first verb holds the shared object.
    if !copular && t.rel(p) == "conj" && !args.iter().any(|a| a.role == ArgRole::Object) {
        if let Some(h) = t.head(p) {
            if let Some(o) = t.kids(h, &["obj"]).find(|&o| o > p) {
                args.push(noun_arg(t, o, ArgRole::Object, true, None));
            }
        }
    }
    // Passive agents are often parsed as plain obl with "by".
    if passive {
        for a in &mut args {
            if a.role == ArgRole::Oblique
                && a.case.is_some_and(|c| w[c].form.eq_ignore_ascii_case("by"))
            {
                a.role = ArgRole::Agent;
            }
        }
    }
    if subject.is_none() && args.is_empty() {
        return None;
    }
    // Arguments after the predicate first, in order; those before it (not the subject) last.
    let anchor = p;
    args.sort_by_key(|a| (a.head < anchor, a.words.first().copied().unwrap_or(a.head)));
    relation.sort_unstable();
    // The first argument after a verb without an object lends its preposition to the
    // relation: "was fired by" + "President Donald Trump".
    if !copular {
        if let Some(first) = args.first_mut() {
            if first.head > p && matches!(first.role, ArgRole::Oblique | ArgRole::Agent) {
                if let Some(c) = first.case.take() {
                    relation.push(c);
                }
            }
        }
    }
    let embedded_under = t.head(p).filter(|&h| {
        matches!(t.rel(p), "ccomp" | "parataxis") && EMBEDDING.contains(&t.words[h].lemma.as_str())
    });
    let lemma = if copular {
        "be".to_string()
    } else {
        w[p].lemma.to_lowercase()
    };
    let mut prop = Proposition {
        predicate: p,
        lemma,
        relation,
        subject,
        args,
        negated,
        modal,
        passive,
        embedded_under,
        implicit: None,
        confidence: 0.0,
    };
    prop.confidence = confidence(t, &prop);
    Some(prop)
}

/// A hand-set logistic score over the proposition's shape. The weights follow how often each
/// shape was right on CaRB dev (precision by shape, measured with `eval openie
/// --show-errors`): a predicate with no argument besides its subject is almost never a
/// gold tuple; possessive and prepositional readings are right a quarter of the time; long
/// arguments are not worse than short ones.
fn confidence(t: &Tree<'_>, p: &Proposition) -> f32 {
    let mut z = 0.9f32;
    if p.args.is_empty() {
        z -= 3.0;
    }
    z -= match p.implicit {
        Some("has") => 1.6,
        Some("is in") => 1.1,
        Some("is") => 0.7,
        Some(_) => 1.5,
        None => 0.0,
    };
    let w = &t.words[p.predicate];
    let bare_participle = p.implicit.is_none()
        && matches!(w.xpos.as_str(), "VBG" | "VBN")
        && !p
            .relation
            .iter()
            .any(|&r| matches!(t.base(r), "aux" | "cop"));
    if bare_participle {
        z -= 0.8;
    }
    if p.args.len() >= 2 {
        z += 0.3;
    }
    match &p.subject {
        None => z -= 0.4,
        Some(s) if s.words.is_empty() => z -= 0.4,
        Some(s) if s.inherited => z -= 0.2,
        Some(s) if s.words.len() > 5 => z -= 0.3,
        _ => {}
    }
    if p.embedded_under.is_some() {
        z -= 0.1;
    }
    if t.words.len() > 35 {
        z -= 0.3;
    }
    1.0 / (1.0 + (-z).exp())
}

/// The words of a proposition part as text, joined by spaces.
pub fn text(s: &AnalyzedSentence, words: &[usize]) -> String {
    words
        .iter()
        .filter_map(|&i| s.words.get(i).map(|w| w.form.as_str()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Open IE rendering: relation, then subject, then the other arguments, each with its
/// preposition.
pub fn openie_tuple(s: &AnalyzedSentence, p: &Proposition) -> (String, Vec<String>) {
    let rel = match p.implicit {
        Some(r) => r.to_string(),
        None => text(s, &p.relation),
    };
    let mut args = Vec::new();
    args.push(
        p.subject
            .as_ref()
            .map_or(String::new(), |a| text(s, &a.words)),
    );
    for a in &p.args {
        let mut words = Vec::new();
        if let Some(c) = a.case {
            words.push(c);
        }
        words.extend(&a.words);
        args.push(text(s, &words));
    }
    (rel, args)
}

/// Analyzes one sentence given on a line. Lines that look tokenized already (a space before
/// the final punctuation or around commas, as in the Open IE benchmarks) are split on
/// whitespace and kept as given; other lines go through the tokenizer.
pub fn analyze_line(line: &str, pipeline: &crate::nlp::Pipeline) -> AnalyzedSentence {
    let trimmed = line.trim_end();
    let pretokenized = trimmed.contains(" , ")
        || [" .", " ?", " !", " ''", " \""]
            .iter()
            .any(|e| trimmed.ends_with(e));
    let spans: Vec<std::ops::Range<usize>> = if pretokenized {
        let mut v = Vec::new();
        let mut start = None;
        for (i, c) in line.char_indices() {
            match (c.is_whitespace(), start) {
                (true, Some(s)) => {
                    v.push(s..i);
                    start = None;
                }
                (false, None) => start = Some(i),
                _ => {}
            }
        }
        if let Some(s) = start {
            v.push(s..line.len());
        }
        v
    } else {
        crate::text::segment(line)
            .tokens
            .into_iter()
            .map(|t| t.span)
            .collect()
    };
    let forms: Vec<&str> = spans.iter().map(|r| &line[r.clone()]).collect();
    let words = pipeline
        .analyze_words(&forms)
        .into_iter()
        .zip(spans)
        .map(|((t, head, label), span)| Word {
            form: line[span.clone()].to_string(),
            span,
            upos: t.upos,
            xpos: pipeline.tagger.xpos[t.xpos].clone(),
            lemma: t.lemma,
            head,
            deprel: pipeline.parser.labels[label].clone(),
        })
        .collect();
    AnalyzedSentence { words }
}

/// Open IE extractions of one sentence per line of `text`, in CaRB's system-file shape.
pub fn openie(text: &str, pipeline: &crate::nlp::Pipeline) -> Vec<super::carb::Extraction> {
    let mut out = Vec::new();
    for line in text.lines() {
        let sentence = line.trim();
        if sentence.is_empty() {
            continue;
        }
        let analyzed = analyze_line(sentence, pipeline);
        for p in propositions(&analyzed) {
            let (relation, args) = openie_tuple(&analyzed, &p);
            out.push(super::carb::Extraction {
                sentence: sentence.to_string(),
                confidence: p.confidence as f64,
                relation,
                args,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::Word;

    /// A sentence from (form, upos, lemma, head, deprel) rows.
    fn sent(rows: &[(&str, &'static str, &str, usize, &str)]) -> AnalyzedSentence {
        AnalyzedSentence {
            words: rows
                .iter()
                .map(|(f, u, l, h, d)| Word {
                    span: 0..0,
                    form: f.to_string(),
                    upos: u,
                    xpos: String::new(),
                    lemma: l.to_string(),
                    head: *h,
                    deprel: d.to_string(),
                })
                .collect(),
        }
    }

    fn tuples(s: &AnalyzedSentence) -> Vec<(String, Vec<String>)> {
        propositions(s).iter().map(|p| openie_tuple(s, p)).collect()
    }

    #[test]
    fn subject_verb_object() {
        let s = sent(&[
            ("Biden", "PROPN", "Biden", 2, "nsubj"),
            ("pardoned", "VERB", "pardon", 0, "root"),
            ("Milley", "PROPN", "Milley", 2, "obj"),
        ]);
        assert_eq!(
            tuples(&s),
            vec![("pardoned".into(), vec!["Biden".into(), "Milley".into()])]
        );
    }

    #[test]
    fn passive_agent_joins_the_relation() {
        let s = sent(&[
            ("Esper", "PROPN", "Esper", 3, "nsubj:pass"),
            ("was", "AUX", "be", 3, "aux:pass"),
            ("fired", "VERB", "fire", 0, "root"),
            ("by", "ADP", "by", 5, "case"),
            ("Trump", "PROPN", "Trump", 3, "obl:agent"),
        ]);
        let p = propositions(&s);
        assert!(p[0].passive);
        assert_eq!(p[0].args[0].role, ArgRole::Agent);
        assert_eq!(
            tuples(&s),
            vec![("was fired by".into(), vec!["Esper".into(), "Trump".into()])]
        );
    }

    #[test]
    fn coordinated_verbs_share_the_subject_and_negation_is_kept() {
        // Hegseth revoked the detail and did not specify reasons
        let s = sent(&[
            ("Hegseth", "PROPN", "Hegseth", 2, "nsubj"),
            ("revoked", "VERB", "revoke", 0, "root"),
            ("the", "DET", "the", 4, "det"),
            ("detail", "NOUN", "detail", 2, "obj"),
            ("and", "CCONJ", "and", 8, "cc"),
            ("did", "AUX", "do", 8, "aux"),
            ("not", "PART", "not", 8, "advmod"),
            ("specify", "VERB", "specify", 2, "conj"),
            ("reasons", "NOUN", "reason", 8, "obj"),
        ]);
        let p = propositions(&s);
        assert_eq!(p.len(), 2);
        assert_eq!(text(&s, &p[0].args[0].words), "the detail");
        assert!(p[1].negated);
        assert!(p[1].subject.as_ref().unwrap().inherited);
        assert_eq!(openie_tuple(&s, &p[1]).0, "did not specify");
    }

    #[test]
    fn relative_pronoun_becomes_its_noun() {
        // Pompeo , who received protection , left
        let s = sent(&[
            ("Pompeo", "PROPN", "Pompeo", 7, "nsubj"),
            (",", "PUNCT", ",", 4, "punct"),
            ("who", "PRON", "who", 4, "nsubj"),
            ("received", "VERB", "receive", 1, "acl:relcl"),
            ("protection", "NOUN", "protection", 4, "obj"),
            (",", "PUNCT", ",", 4, "punct"),
            ("left", "VERB", "leave", 0, "root"),
        ]);
        let t = tuples(&s);
        assert!(t.contains(&(
            "received".into(),
            vec!["Pompeo".into(), "protection".into()]
        )));
    }

    #[test]
    fn copula_and_control() {
        // Milley is the general ; Hegseth directed the inspector to launch an inquiry
        let s = sent(&[
            ("Milley", "PROPN", "Milley", 4, "nsubj"),
            ("is", "AUX", "be", 4, "cop"),
            ("the", "DET", "the", 4, "det"),
            ("general", "NOUN", "general", 0, "root"),
        ]);
        assert_eq!(
            tuples(&s),
            vec![("is".into(), vec!["Milley".into(), "the general".into()])]
        );
        let s = sent(&[
            ("Hegseth", "PROPN", "Hegseth", 2, "nsubj"),
            ("directed", "VERB", "direct", 0, "root"),
            ("the", "DET", "the", 4, "det"),
            ("inspector", "NOUN", "inspector", 2, "obj"),
            ("to", "PART", "to", 6, "mark"),
            ("launch", "VERB", "launch", 2, "xcomp"),
            ("an", "DET", "a", 8, "det"),
            ("inquiry", "NOUN", "inquiry", 6, "obj"),
        ]);
        let p = propositions(&s);
        let launch = p.iter().find(|p| p.lemma == "launch").unwrap();
        assert_eq!(
            text(&s, &launch.subject.as_ref().unwrap().words),
            "the inspector"
        );
    }

    #[test]
    fn malformed_trees_do_not_panic() {
        // Heads out of range, self-loops and cycles.
        let s = sent(&[
            ("a", "VERB", "a", 2, "root"),
            ("b", "VERB", "b", 1, "conj"),
            ("c", "NOUN", "c", 9, "obj"),
            ("d", "NOUN", "d", 4, "nsubj"),
        ]);
        let _ = propositions(&s);
        let _ = propositions(&AnalyzedSentence::default());
    }
}
