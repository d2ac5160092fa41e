//! Greedy left-to-right averaged-perceptron tagger predicting UPOS and XPOS jointly (one
//! feature set, two output ranges), plus the lemmatizer, stored together in `tagger.bin`.

use super::conllu::GoldSentence;
use super::lemma::Lemmatizer;
use super::perceptron::{
    argmax, hash_str, read_header, write_header, write_strings, FastMap, Feat, Model, Perceptron,
    Reader, XorShift,
};
use super::NlpError;
use std::collections::{HashMap, HashSet};

pub const MAGIC: &[u8; 8] = b"NGTAGGER";
pub const VERSION: u32 = 2;

/// Word shape: X for upper, x for lower, d for digit, other chars kept; runs longer than 2
/// collapsed ("Milley" → "Xxx", "2025" → "dd", "U.S." → "X.X.").
pub fn shape(w: &str) -> String {
    let mut out = String::new();
    let mut last = '\0';
    let mut run = 0;
    for c in w.chars().take(24) {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if k == last {
            run += 1;
            if run >= 2 {
                continue;
            }
        } else {
            run = 0;
        }
        last = k;
        out.push(k);
    }
    out
}

fn prefix(w: &str, n: usize) -> &str {
    match w.char_indices().nth(n) {
        Some((i, _)) => &w[..i],
        None => w,
    }
}

fn suffix(w: &str, n: usize) -> &str {
    let c = w.chars().count();
    if c <= n {
        return w;
    }
    match w.char_indices().nth(c - n) {
        Some((i, _)) => &w[i..],
        None => w,
    }
}

/// Per-word precomputed hashes.
struct WordInfo {
    form: u64,
    lower: u64,
    shape: u64,
    suf: [u64; 4],
    pre: [u64; 3],
    suf5: u64,
    /// The part after the last hyphen of a hyphenated word.
    tail: u64,
    flags: u64,
}

fn word_info(w: &str) -> WordInfo {
    let lower = w.to_lowercase();
    let mut flags = 0u64;
    if w.contains('-') {
        flags |= 1;
    }
    if w.chars().any(|c| c.is_ascii_digit()) {
        flags |= 2;
    }
    if w.chars().next().is_some_and(|c| c.is_uppercase()) {
        flags |= 4;
    }
    if w.chars().all(|c| !c.is_lowercase()) {
        flags |= 8;
    }
    WordInfo {
        form: hash_str(w),
        lower: hash_str(&lower),
        shape: hash_str(&shape(w)),
        suf: [1, 2, 3, 4].map(|n| hash_str(suffix(&lower, n))),
        pre: [1, 2, 3].map(|n| hash_str(prefix(&lower, n))),
        suf5: hash_str(suffix(&lower, 5)),
        tail: lower.rsplit_once('-').map_or(NONE, |(_, t)| hash_str(t)),
        flags,
    }
}

const NONE: u64 = 0x5bd1_e995;
const START: u64 = 0x1b87_3593;

/// Features of word `i` given the infos of the sentence and the tags predicted so far.
fn features(
    info: &[WordInfo],
    amb: &[u64],
    i: usize,
    prev_u: [u64; 2],
    prev_x: [u64; 2],
    first: Option<(&[u64], &[u64])>,
    out: &mut Vec<u64>,
) {
    out.clear();
    let am = |j: isize| -> u64 {
        let k = i as isize + j;
        if k < 0 {
            START
        } else {
            amb.get(k as usize).copied().unwrap_or(NONE)
        }
    };
    let w = &info[i];
    let at = |j: isize| -> Option<&WordInfo> {
        let k = i as isize + j;
        if k < 0 {
            None
        } else {
            info.get(k as usize)
        }
    };
    let lw = |j: isize| at(j).map_or(if j < 0 { START } else { NONE }, |x| x.lower);
    out.push(Feat::new(0).get());
    out.push(Feat::new(1).u(w.form).get());
    out.push(Feat::new(2).u(w.lower).get());
    for (k, s) in w.suf.iter().enumerate() {
        out.push(Feat::new(3 + k as u32).u(*s).get());
    }
    for (k, s) in w.pre.iter().enumerate() {
        out.push(Feat::new(7 + k as u32).u(*s).get());
    }
    out.push(Feat::new(10).u(w.shape).get());
    out.push(Feat::new(11).u(lw(-1)).get());
    out.push(Feat::new(12).u(lw(-2)).get());
    out.push(Feat::new(13).u(lw(1)).get());
    out.push(Feat::new(14).u(lw(2)).get());
    out.push(Feat::new(15).u(at(-1).map_or(START, |x| x.suf[2])).get());
    out.push(Feat::new(16).u(at(1).map_or(NONE, |x| x.suf[2])).get());
    out.push(Feat::new(17).u(prev_u[0]).get());
    out.push(Feat::new(18).u(prev_u[0]).u(prev_u[1]).get());
    out.push(Feat::new(19).u(prev_x[0]).get());
    out.push(Feat::new(20).u(prev_x[0]).u(w.lower).get());
    out.push(Feat::new(21).u(w.flags).u((i == 0) as u64).get());
    out.push(Feat::new(22).u(lw(-1)).u(w.lower).get());
    out.push(Feat::new(23).u(w.lower).u(lw(1)).get());
    out.push(Feat::new(24).u(at(1).map_or(NONE, |x| x.shape)).get());
    out.push(Feat::new(25).u(at(-1).map_or(START, |x| x.shape)).get());
    out.push(Feat::new(26).u(prev_x[0]).u(w.suf[2]).get());
    out.push(Feat::new(27).u(prev_x[0]).u(prev_x[1]).get());
    out.push(
        Feat::new(28)
            .u(w.suf[1])
            .u(at(1).map_or(NONE, |x| x.suf[1]))
            .get(),
    );
    out.push(Feat::new(29).u(prev_x[0]).u(lw(1)).get());
    out.push(Feat::new(30).u(am(0)).get());
    out.push(Feat::new(31).u(am(1)).get());
    out.push(Feat::new(32).u(am(2)).get());
    out.push(Feat::new(33).u(am(-1)).get());
    out.push(Feat::new(34).u(am(0)).u(am(1)).get());
    out.push(Feat::new(35).u(prev_x[0]).u(am(0)).get());
    out.push(Feat::new(36).u(am(0)).u(w.suf[2]).get());
    out.push(Feat::new(37).u(w.suf5).get());
    out.push(Feat::new(38).u(w.tail).get());
    out.push(Feat::new(39).u(lw(-1)).u(lw(1)).get());
    out.push(Feat::new(40).u(prev_u[0]).u(am(1)).get());
    // Second pass: the first pass's tags of this word and the words to the right.
    if let Some((fu, fx)) = first {
        let fxa = |j: usize| fx.get(i + j).copied().unwrap_or(NONE);
        let fua = |j: usize| fu.get(i + j).copied().unwrap_or(NONE);
        out.push(Feat::new(50).u(fxa(0)).get());
        out.push(Feat::new(51).u(fxa(1)).get());
        out.push(Feat::new(52).u(fxa(2)).get());
        out.push(Feat::new(53).u(fua(1)).get());
        out.push(Feat::new(54).u(fxa(1)).u(fxa(2)).get());
        out.push(Feat::new(55).u(w.lower).u(fxa(1)).get());
        out.push(Feat::new(56).u(prev_x[0]).u(fxa(1)).get());
        out.push(Feat::new(57).u(fxa(0)).u(w.suf[2]).get());
        out.push(Feat::new(58).u(prev_x[0]).u(fxa(0)).u(fxa(1)).get());
        out.push(Feat::new(59).u(fua(0)).u(fua(1)).get());
    }
}

/// A trained tagger and lemmatizer.
pub struct Tagger {
    pub upos: Vec<String>,
    pub xpos: Vec<String>,
    pub model: Model,
    /// Second pass, seeing the first pass's tags to the right.
    pub model2: Option<Model>,
    pub lemmatizer: Lemmatizer,
    /// Lowercased word hash → ambiguity class hash.
    pub ambiguity: FastMap<u64, u64>,
    upos_hash: Vec<u64>,
    xpos_hash: Vec<u64>,
}

/// Tags of one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tags {
    pub upos: usize,
    pub xpos: usize,
}

fn label_hashes(labels: &[String]) -> Vec<u64> {
    labels.iter().map(|l| hash_str(l)).collect()
}

/// Ambiguity class of each word: hash of the set of XPOS tags it had in training (words
/// seen at least twice), or a constant for other words.
fn ambiguity(dict: &FastMap<u64, u64>, info: &[WordInfo]) -> Vec<u64> {
    info.iter()
        .map(|w| dict.get(&w.lower).copied().unwrap_or(UNSEEN))
        .collect()
}

const UNSEEN: u64 = 0x7f4a_7c15;

fn build_ambiguity(train: &[GoldSentence], xpos: &[String]) -> FastMap<u64, u64> {
    let mut m: FastMap<u64, (u128, u32)> = FastMap::default();
    for s in train {
        for w in &s.words {
            let k = hash_str(&w.form.to_lowercase());
            let x = xpos.binary_search(&w.xpos).expect("label");
            let e = m.entry(k).or_default();
            e.0 |= 1u128 << (x % 128);
            e.1 += 1;
        }
    }
    m.into_iter()
        .filter(|(_, (_, c))| *c >= 2)
        .map(|(k, (mask, _))| {
            (
                k,
                Feat::new(999).u(mask as u64).u((mask >> 64) as u64).get(),
            )
        })
        .collect()
}

/// Label tables shared by training and tagging.
struct Labels<'a> {
    nu: usize,
    uh: &'a [u64],
    xh: &'a [u64],
}

/// A first-pass tag whose UPOS and XPOS both lead their runners-up by more than this is
/// kept without asking the second pass: on EWT dev that is 85 % of the words, the second
/// pass would change none of them (dev UPOS, XPOS, lemma, UAS and LAS are identical to the
/// last digit), and tagging + parsing gets about 18 % faster. Score units of the committed
/// `tagger.bin` (weights are quantized per model), so re-check it after retraining.
const SURE_MARGIN: f32 = 30.0;

/// How far the best score is ahead of the second best.
fn margin(scores: &[f32]) -> f32 {
    let (mut best, mut second) = (f32::NEG_INFINITY, f32::NEG_INFINITY);
    for &s in scores {
        if s > best {
            second = best;
            best = s;
        } else if s > second {
            second = s;
        }
    }
    best - second
}

/// One greedy left-to-right pass (inference).
fn run_pass(
    labels: &Labels<'_>,
    info: &[WordInfo],
    amb: &[u64],
    first: Option<&[Tags]>,
    forced: &[Option<Tags>],
    score: impl Fn(&[u64], &mut [f32]),
    mut margins: Option<&mut Vec<f32>>,
) -> Vec<Tags> {
    let mut scores = vec![0f32; labels.nu + labels.xh.len()];
    let fh: Option<(Vec<u64>, Vec<u64>)> = first.map(|f| {
        (
            f.iter().map(|t| labels.uh[t.upos]).collect(),
            f.iter().map(|t| labels.xh[t.xpos]).collect(),
        )
    });
    let fref = fh.as_ref().map(|(u, x)| (u.as_slice(), x.as_slice()));
    let mut out = Vec::with_capacity(info.len());
    let mut feats = Vec::with_capacity(64);
    let mut pu = [START, START];
    let mut px = [START, START];
    for i in 0..info.len() {
        let t = match forced.get(i).copied().flatten() {
            Some(t) => {
                if let Some(m) = margins.as_deref_mut() {
                    m.push(f32::INFINITY);
                }
                t
            }
            None => {
                features(info, amb, i, pu, px, fref, &mut feats);
                score(&feats, &mut scores);
                let t = Tags {
                    upos: argmax(&scores[..labels.nu]),
                    xpos: argmax(&scores[labels.nu..]),
                };
                if let Some(m) = margins.as_deref_mut() {
                    m.push(margin(&scores[..labels.nu]).min(margin(&scores[labels.nu..])));
                }
                t
            }
        };
        pu = [labels.uh[t.upos], pu[0]];
        px = [labels.xh[t.xpos], px[0]];
        out.push(t);
    }
    out
}

/// Trains one pass over `train` (all sentences in `subset`).
#[allow(clippy::too_many_arguments)]
fn train_pass(
    train: &[GoldSentence],
    subset: &[usize],
    gold: &[Vec<Tags>],
    labels: &Labels<'_>,
    amb_dict: &FastMap<u64, u64>,
    first: Option<&[Vec<Tags>]>,
    iterations: usize,
    seed: u64,
    mut report: impl FnMut(usize, &Perceptron),
) -> Perceptron {
    let nc = labels.nu + labels.xh.len();
    let mut p = Perceptron::new(nc);
    let mut rng = XorShift::new(seed);
    let mut order = subset.to_vec();
    let mut scores = vec![0f32; nc];
    for it in 0..iterations {
        rng.shuffle(&mut order);
        for &si in &order {
            let info: Vec<WordInfo> = train[si].words.iter().map(|w| word_info(&w.form)).collect();
            let amb = ambiguity(amb_dict, &info);
            let g = &gold[si];
            let mut pu = [START, START];
            let mut px = [START, START];
            let fh: Option<(Vec<u64>, Vec<u64>)> = first.map(|f| {
                (
                    f[si].iter().map(|t| labels.uh[t.upos]).collect(),
                    f[si].iter().map(|t| labels.xh[t.xpos]).collect(),
                )
            });
            let fref = fh.as_ref().map(|(u, x)| (u.as_slice(), x.as_slice()));
            let mut feats = Vec::with_capacity(64);
            for (i, gi) in g.iter().enumerate() {
                features(&info, &amb, i, pu, px, fref, &mut feats);
                p.score(&feats, &mut scores);
                let gu = argmax(&scores[..labels.nu]);
                let gx = argmax(&scores[labels.nu..]);
                p.update(gi.upos, gu, &feats);
                p.update(labels.nu + gi.xpos, labels.nu + gx, &feats);
                p.tick();
                pu = [labels.uh[gu], pu[0]];
                px = [labels.xh[gx], px[0]];
            }
        }
        report(it, &p);
    }
    p
}

impl Tagger {
    fn labels(&self) -> Labels<'_> {
        Labels {
            nu: self.upos.len(),
            uh: &self.upos_hash,
            xh: &self.xpos_hash,
        }
    }

    pub fn tag(&self, forms: &[&str]) -> Vec<Tags> {
        self.tag_forced(forms, &[])
    }

    /// Tags a sentence in which some words already have their tags (`forced[i]`, missing
    /// entries are free): both passes keep them and tag the other words around them.
    pub fn tag_forced(&self, forms: &[&str], forced: &[Option<Tags>]) -> Vec<Tags> {
        let info: Vec<WordInfo> = forms.iter().map(|w| word_info(w)).collect();
        let amb = ambiguity(&self.ambiguity, &info);
        let labels = self.labels();
        let mut margins = Vec::with_capacity(forms.len());
        let first = run_pass(
            &labels,
            &info,
            &amb,
            None,
            forced,
            |f, s| self.model.score(f, s),
            Some(&mut margins),
        );
        match &self.model2 {
            None => first,
            Some(m2) => {
                let keep: Vec<Option<Tags>> = (0..forms.len())
                    .map(|i| match forced.get(i).copied().flatten() {
                        Some(t) => Some(t),
                        None => (margins[i] > SURE_MARGIN).then_some(first[i]),
                    })
                    .collect();
                run_pass(
                    &labels,
                    &info,
                    &amb,
                    Some(&first),
                    &keep,
                    |f, s| m2.score(f, s),
                    None,
                )
            }
        }
    }

    /// Tags the sentences of one document. A capitalized word that the tagger reads as a
    /// proper noun everywhere inside the document's sentences but as something else where it
    /// opens one ("Reyes, 67, led …" after "former governor Tomas Reyes", "Castellanos did
    /// not return calls") is a proper noun there too: at a sentence start capitalization
    /// says nothing, and the name's other mentions are the best evidence left. Such a
    /// sentence is tagged again with that word fixed, so its neighbours follow.
    pub fn tag_document(&self, sentences: &[Vec<&str>]) -> Vec<Vec<Tags>> {
        let mut tags: Vec<Vec<Tags>> = sentences.iter().map(|s| self.tag(s)).collect();
        if sentences.len() < 2 {
            return tags;
        }
        let Some(propn) = self.upos.iter().position(|u| u == "PROPN") else {
            return tags;
        };
        let opener = |s: &[&str]| {
            s.iter()
                .position(|w| w.chars().next().is_some_and(char::is_alphanumeric))
        };
        // Per form inside sentences: XPOS counts when read as a proper noun, and whether it
        // was ever read otherwise; lowercase forms seen anywhere.
        let mut inside: HashMap<&str, (HashMap<usize, usize>, bool)> = HashMap::new();
        let mut lower_seen: HashSet<String> = HashSet::new();
        for (s, t) in sentences.iter().zip(&tags) {
            let first = opener(s);
            for (i, (w, t)) in s.iter().zip(t).enumerate() {
                if w.chars().next().is_some_and(char::is_lowercase) {
                    lower_seen.insert(w.to_string());
                }
                if Some(i) == first || !w.chars().next().is_some_and(char::is_uppercase) {
                    continue;
                }
                let e = inside.entry(w).or_default();
                if t.upos == propn {
                    *e.0.entry(t.xpos).or_default() += 1;
                } else {
                    e.1 = true;
                }
            }
        }
        for (s, t) in sentences.iter().zip(tags.iter_mut()) {
            let Some(i) = opener(s) else { continue };
            let w = s[i];
            if t[i].upos == propn
                || !w.chars().next().is_some_and(char::is_uppercase)
                || !w.chars().any(char::is_lowercase)
                || lower_seen.contains(&w.to_lowercase())
            {
                continue;
            }
            let Some((counts, false)) = inside.get(w) else {
                continue;
            };
            // The most frequent proper-noun XPOS, the smallest index on a tie.
            let Some((&xpos, _)) = counts
                .iter()
                .max_by_key(|(x, n)| (**n, std::cmp::Reverse(**x)))
            else {
                continue;
            };
            let mut forced = vec![None; s.len()];
            forced[i] = Some(Tags { upos: propn, xpos });
            *t = self.tag_forced(s, &forced);
        }
        tags
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        write_header(&mut out, MAGIC, VERSION);
        write_strings(&mut out, &self.upos);
        write_strings(&mut out, &self.xpos);
        self.model.write(&mut out);
        match &self.model2 {
            Some(m) => {
                out.push(1);
                m.write(&mut out);
            }
            None => out.push(0),
        }
        self.lemmatizer.write(&mut out);
        let mut amb: Vec<(u64, u64)> = self.ambiguity.iter().map(|(k, v)| (*k, *v)).collect();
        amb.sort_unstable();
        out.extend_from_slice(&(amb.len() as u32).to_le_bytes());
        for (k, v) in amb {
            out.extend_from_slice(&k.to_le_bytes());
            out.extend_from_slice(&v.to_le_bytes());
        }
        out
    }

    pub fn from_bytes(buf: &[u8]) -> Result<Self, NlpError> {
        let mut r = Reader::new(buf);
        read_header(&mut r, MAGIC, VERSION)?;
        let upos = r.strings()?;
        let xpos = r.strings()?;
        let model = Model::read(&mut r)?;
        if model.n_classes != upos.len() + xpos.len() {
            return Err(NlpError::Model("tagger class count mismatch".into()));
        }
        let model2 = match r.bytes(1)?[0] {
            0 => None,
            _ => Some(Model::read(&mut r)?),
        };
        if model2
            .as_ref()
            .is_some_and(|m| m.n_classes != model.n_classes)
        {
            return Err(NlpError::Model("tagger class count mismatch".into()));
        }
        let lemmatizer = Lemmatizer::read(&mut r)?;
        let n = r.u32()? as usize;
        let mut ambiguity = FastMap::default();
        ambiguity.reserve(n);
        for _ in 0..n {
            let k = r.u64()?;
            let v = r.u64()?;
            ambiguity.insert(k, v);
        }
        if !r.at_end() {
            return Err(NlpError::Model("trailing bytes in tagger model".into()));
        }
        Ok(Tagger::assemble(
            upos, xpos, model, model2, lemmatizer, ambiguity,
        ))
    }

    fn assemble(
        upos: Vec<String>,
        xpos: Vec<String>,
        model: Model,
        model2: Option<Model>,
        lemmatizer: Lemmatizer,
        ambiguity: FastMap<u64, u64>,
    ) -> Tagger {
        Tagger {
            model2,
            upos_hash: label_hashes(&upos),
            xpos_hash: label_hashes(&xpos),
            upos,
            xpos,
            model,
            lemmatizer,
            ambiguity,
        }
    }

    /// Trains on gold sentences. `dev` (if any) is scored after each iteration to stderr.
    pub fn train(
        train: &[GoldSentence],
        dev: Option<&[GoldSentence]>,
        iterations: usize,
        seed: u64,
        max_weights: usize,
        two_pass: bool,
        runs: usize,
    ) -> Tagger {
        let mut upos: Vec<String> = Vec::new();
        let mut xpos: Vec<String> = Vec::new();
        for s in train {
            for w in &s.words {
                upos.push(w.upos.clone());
                xpos.push(w.xpos.clone());
            }
        }
        upos.sort();
        upos.dedup();
        xpos.sort();
        xpos.dedup();
        let nu = upos.len();
        let uh = label_hashes(&upos);
        let xh = label_hashes(&xpos);
        let gold: Vec<Vec<Tags>> = train
            .iter()
            .map(|s| {
                s.words
                    .iter()
                    .map(|w| Tags {
                        upos: upos.binary_search(&w.upos).expect("label"),
                        xpos: xpos.binary_search(&w.xpos).expect("label"),
                    })
                    .collect()
            })
            .collect();
        let amb_dict = build_ambiguity(train, &xpos);
        let lemmatizer = Lemmatizer::train(train.iter().flat_map(|s| {
            s.words
                .iter()
                .map(|w| (w.form.as_str(), w.xpos.as_str(), w.lemma.as_str()))
        }));
        let labels = Labels {
            nu,
            uh: &uh,
            xh: &xh,
        };
        let all: Vec<usize> = (0..train.len()).collect();
        let shell = |m: Model, m2: Option<Model>| {
            Tagger::assemble(
                upos.clone(),
                xpos.clone(),
                m,
                m2,
                Lemmatizer::default(),
                amb_dict.clone(),
            )
        };
        let report_dev = |name: &str, it: usize, t: &Tagger| {
            if let Some(dev) = dev {
                let (u, x) = t.accuracy(dev);
                eprintln!(
                    "tagger {name} iteration {}: dev upos {u:.4} xpos {x:.4}",
                    it + 1
                );
            }
        };
        let t0 = std::time::Instant::now();
        // `runs` runs per pass with seeds seed, seed+1, …; the frozen pass holds the mean of
        // their averaged weights (`Perceptron::average_runs`). Runs are independent, so they
        // train in parallel; only the first reports dev scores.
        let train_runs = |first: Option<&[Vec<Tags>]>,
                          base: u64,
                          report: &(dyn Fn(usize, &Perceptron) + Sync)|
         -> Model {
            use rayon::prelude::*;
            let trained: Vec<Perceptron> = (0..runs.max(1) as u64)
                .into_par_iter()
                .map(|r| {
                    train_pass(
                        train,
                        &all,
                        &gold,
                        &labels,
                        &amb_dict,
                        first,
                        iterations,
                        base + r,
                        |it, p| {
                            if r == 0 {
                                report(it, p)
                            }
                        },
                    )
                })
                .collect();
            let trained: Vec<&Perceptron> = trained.iter().collect();
            Perceptron::average_runs(&trained, max_weights)
        };
        let m1 = train_runs(None, seed, &|it, p| {
            if two_pass {
                eprintln!(
                    "tagger pass 1 iteration {} ({:.1}s)",
                    it + 1,
                    t0.elapsed().as_secs_f64()
                );
            } else {
                report_dev("pass 1", it, &shell(p.average(usize::MAX), None));
            }
        });
        if !two_pass {
            return Tagger::assemble(upos, xpos, m1, None, lemmatizer, amb_dict);
        }
        // First-pass tags for the training data, each fold tagged by a model not trained on
        // it (one run per fold; folds train in parallel).
        const FOLDS: usize = 5;
        let mut first: Vec<Vec<Tags>> = vec![Vec::new(); train.len()];
        let folds: Vec<Vec<(usize, Vec<Tags>)>> = {
            use rayon::prelude::*;
            (0..FOLDS)
                .into_par_iter()
                .map(|fold| {
                    let rest: Vec<usize> =
                        all.iter().copied().filter(|i| i % FOLDS != fold).collect();
                    let pf = train_pass(
                        train,
                        &rest,
                        &gold,
                        &labels,
                        &amb_dict,
                        None,
                        iterations,
                        seed.wrapping_add(fold as u64 + 1),
                        |_, _| {},
                    );
                    let t = shell(pf.average(usize::MAX), None);
                    drop(pf);
                    let tagged = all
                        .iter()
                        .copied()
                        .filter(|i| i % FOLDS == fold)
                        .map(|i| {
                            let forms: Vec<&str> =
                                train[i].words.iter().map(|w| w.form.as_str()).collect();
                            (i, t.tag(&forms))
                        })
                        .collect();
                    eprintln!(
                        "tagger jackknife fold {}/{FOLDS} ({:.1}s)",
                        fold + 1,
                        t0.elapsed().as_secs_f64()
                    );
                    tagged
                })
                .collect()
        };
        for (i, t) in folds.into_iter().flatten() {
            first[i] = t;
        }
        let m2 = train_runs(Some(&first), seed.wrapping_add(100), &|it, p| {
            report_dev(
                "pass 2",
                it,
                &shell(m1.clone(), Some(p.average(usize::MAX))),
            )
        });
        Tagger::assemble(upos, xpos, m1, Some(m2), lemmatizer, amb_dict)
    }

    /// (UPOS, XPOS) accuracy on gold tokens.
    pub fn accuracy(&self, gold: &[GoldSentence]) -> (f64, f64) {
        let (mut u, mut x, mut n) = (0, 0, 0);
        for s in gold {
            let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            for (t, w) in self.tag(&forms).iter().zip(&s.words) {
                u += (self.upos[t.upos] == w.upos) as usize;
                x += (self.xpos[t.xpos] == w.xpos) as usize;
                n += 1;
            }
        }
        (u as f64 / n.max(1) as f64, x as f64 / n.max(1) as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn margin_is_the_lead_of_the_best_score() {
        assert_eq!(margin(&[1.0, 5.0, 3.0]), 2.0);
        assert_eq!(margin(&[4.0, 4.0]), 0.0);
        assert_eq!(margin(&[-1.0, -3.0, -2.0]), 1.0);
    }

    #[test]
    fn shapes() {
        assert_eq!(shape("Milley"), "Xxx");
        assert_eq!(shape("2025"), "dd");
        assert_eq!(shape("U.S."), "X.X.");
        assert_eq!(shape("e-mail"), "x-xx");
    }

    #[test]
    fn features_depend_on_context() {
        let a: Vec<WordInfo> = ["the", "dog", "barks"]
            .iter()
            .map(|w| word_info(w))
            .collect();
        let b: Vec<WordInfo> = ["a", "dog", "barks"].iter().map(|w| word_info(w)).collect();
        let mut fa = Vec::new();
        let mut fb = Vec::new();
        features(&a, &[], 1, [START; 2], [START; 2], None, &mut fa);
        features(&b, &[], 1, [START; 2], [START; 2], None, &mut fb);
        assert_eq!(fa.len(), fb.len());
        // The word's own features agree, the left-context ones differ.
        assert_eq!(fa[1], fb[1]);
        assert_ne!(fa[11], fb[11]);
        // Same input, same features (no hidden state).
        let mut fa2 = Vec::new();
        features(&a, &[], 1, [START; 2], [START; 2], None, &mut fa2);
        assert_eq!(fa, fa2);
    }

    fn toy() -> Vec<GoldSentence> {
        let src = "1\tthe\tthe\tDET\tDT\t_\t2\tdet\t_\t_\n2\tdogs\tdog\tNOUN\tNNS\t_\t3\tnsubj\t_\t_\n3\tbark\tbark\tVERB\tVBP\t_\t0\troot\t_\t_\n\n1\ta\ta\tDET\tDT\t_\t2\tdet\t_\t_\n2\tcat\tcat\tNOUN\tNN\t_\t3\tnsubj\t_\t_\n3\tsleeps\tsleep\tVERB\tVBZ\t_\t0\troot\t_\t_\n\n";
        super::super::conllu::parse(src).unwrap()
    }

    #[test]
    fn trains_and_round_trips() {
        let data = toy();
        let t = Tagger::train(&data, None, 5, 1, usize::MAX, true, 1);
        assert_eq!(t.accuracy(&data), (1.0, 1.0));
        let back = Tagger::from_bytes(&t.to_bytes()).unwrap();
        assert_eq!(back.model, t.model);
        assert_eq!(back.upos, t.upos);
        assert_eq!(back.lemmatizer, t.lemmatizer);
        assert_eq!(back.ambiguity, t.ambiguity);
        assert!(Tagger::from_bytes(b"NGTAGGER\x09\0\0\0").is_err());
        // Deterministic: same data and seed, same bytes.
        assert_eq!(
            Tagger::train(&data, None, 5, 1, usize::MAX, true, 1).to_bytes(),
            t.to_bytes()
        );
    }

    #[test]
    fn runs_are_averaged_deterministically() {
        let data = toy();
        let one = Tagger::train(&data, None, 5, 1, usize::MAX, true, 1);
        let three = Tagger::train(&data, None, 5, 1, usize::MAX, true, 3);
        assert_eq!(three.accuracy(&data), (1.0, 1.0));
        // Other seeds shuffle the toy sentences differently, so the mean of three runs is
        // not the first run's model; trained twice (in parallel), it is the same bytes.
        assert_ne!(three.model, one.model);
        assert_eq!(
            Tagger::train(&data, None, 5, 1, usize::MAX, true, 3).to_bytes(),
            three.to_bytes()
        );
    }
}
