//! Greedy arc-hybrid transition-based dependency parser with an averaged perceptron, rich
//! Zhang & Nivre (2011)-style features adapted to arc-hybrid, trained with the dynamic oracle
//! of Goldberg & Nivre (2013) and exploration.
//!
//! Configuration: stack σ|s1|s0 (the artificial root 0 at the bottom), buffer b0|β.
//! Transitions: SHIFT (push b0), LEFT-l (b0 → s0 with label l, pop s0), RIGHT-l (s1 → s0, pop).
//! RIGHT with s1 = root is allowed only once the buffer is empty, so each tree has one root word.

use super::clusters::WordClusters;
use super::conllu::GoldSentence;
use super::perceptron::{
    hash_str, read_header_of, write_header, write_strings, Feat, Model, Perceptron, Reader,
    XorShift,
};
use super::NlpError;

pub const MAGIC: &[u8; 8] = b"NGPARSER";
/// Version 1: a greedy parser. Version 2 adds, after the header, the beam width the model
/// was trained for (greedy models keep writing version 1, so their files stay as they were).
pub const VERSION: u32 = 1;
pub const VERSION_BEAM: u32 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Shift,
    Left(usize),
    Right(usize),
}

impl Move {
    pub fn class(self) -> usize {
        match self {
            Move::Shift => 0,
            Move::Left(l) => 1 + 2 * l,
            Move::Right(l) => 2 + 2 * l,
        }
    }
    pub fn from_class(c: usize) -> Move {
        if c == 0 {
            Move::Shift
        } else if c % 2 == 1 {
            Move::Left((c - 1) / 2)
        } else {
            Move::Right((c - 2) / 2)
        }
    }
}

const NO: usize = usize::MAX;

/// Parser state over tokens 1..=n (0 is the root).
#[derive(Debug, Clone)]
pub struct State {
    pub n: usize,
    pub stack: Vec<usize>,
    /// Next buffer token (n + 1 when the buffer is empty).
    pub b: usize,
    pub heads: Vec<usize>,
    pub labels: Vec<usize>,
    l1: Vec<usize>,
    l2: Vec<usize>,
    r1: Vec<usize>,
    r2: Vec<usize>,
    vl: Vec<u8>,
    vr: Vec<u8>,
    lset: Vec<u128>,
    rset: Vec<u128>,
}

impl State {
    pub fn new(n: usize) -> Self {
        State {
            n,
            stack: vec![0],
            b: 1,
            heads: vec![NO; n + 1],
            labels: vec![NO; n + 1],
            l1: vec![NO; n + 1],
            l2: vec![NO; n + 1],
            r1: vec![NO; n + 1],
            r2: vec![NO; n + 1],
            vl: vec![0; n + 1],
            vr: vec![0; n + 1],
            lset: vec![0; n + 1],
            rset: vec![0; n + 1],
        }
    }

    /// Copies `o` into `self`, reusing `self`'s allocations (the beam copies states at
    /// every step).
    fn copy_from(&mut self, o: &State) {
        self.n = o.n;
        self.b = o.b;
        self.stack.clone_from(&o.stack);
        self.heads.clone_from(&o.heads);
        self.labels.clone_from(&o.labels);
        self.l1.clone_from(&o.l1);
        self.l2.clone_from(&o.l2);
        self.r1.clone_from(&o.r1);
        self.r2.clone_from(&o.r2);
        self.vl.clone_from(&o.vl);
        self.vr.clone_from(&o.vr);
        self.lset.clone_from(&o.lset);
        self.rset.clone_from(&o.rset);
    }

    pub fn is_final(&self) -> bool {
        self.b > self.n && self.stack.len() == 1
    }

    fn s(&self, k: usize) -> usize {
        if self.stack.len() > k {
            self.stack[self.stack.len() - 1 - k]
        } else {
            NO
        }
    }

    pub fn legal(&self, m: Move) -> bool {
        let buffer = self.b <= self.n;
        match m {
            Move::Shift => buffer,
            Move::Left(_) => buffer && self.stack.len() >= 2,
            Move::Right(_) => self.stack.len() >= 3 || (self.stack.len() == 2 && !buffer),
        }
    }

    fn attach(&mut self, head: usize, dep: usize, label: usize) {
        self.heads[dep] = head;
        self.labels[dep] = label;
        if dep < head {
            self.l2[head] = self.l1[head];
            self.l1[head] = dep;
            self.vl[head] = self.vl[head].saturating_add(1);
            self.lset[head] |= 1u128 << (label % 128);
        } else {
            self.r2[head] = self.r1[head];
            self.r1[head] = dep;
            self.vr[head] = self.vr[head].saturating_add(1);
            self.rset[head] |= 1u128 << (label % 128);
        }
    }

    pub fn apply(&mut self, m: Move) {
        match m {
            Move::Shift => {
                self.stack.push(self.b);
                self.b += 1;
            }
            Move::Left(l) => {
                let s0 = self.stack.pop().expect("legal");
                self.attach(self.b, s0, l);
            }
            Move::Right(l) => {
                let s0 = self.stack.pop().expect("legal");
                let s1 = *self.stack.last().expect("legal");
                self.attach(s1, s0, l);
            }
        }
    }

    /// Dynamic-oracle costs (gold arcs made unreachable) of SHIFT, LEFT, RIGHT, ignoring labels.
    fn costs(&self, gh: &[usize]) -> [usize; 3] {
        let s0 = self.s(0);
        let s1 = self.s(1);
        let b = self.b;
        let in_buf = |k: usize| k >= b && k <= self.n && k != NO;
        let deps_in_buf = |h: usize| (b..=self.n).filter(|&k| gh[k] == h).count();
        let mut c = [0usize; 3];
        if b <= self.n {
            // SHIFT: b loses heads deeper than s0 and dependents anywhere on the stack.
            let depth = self.stack.len();
            c[0] = self.stack[..depth - 1]
                .iter()
                .filter(|&&k| gh[b] == k)
                .count()
                + self.stack.iter().filter(|&&k| k != 0 && gh[k] == b).count();
        }
        if s0 != NO && s0 != 0 {
            let h = gh[s0];
            // LEFT: head b.
            c[1] = deps_in_buf(s0) + usize::from(h != b && (h == s1 || in_buf(h)));
            // RIGHT: head s1.
            c[2] = deps_in_buf(s0) + usize::from(h != s1 && in_buf(h));
        }
        c
    }
}

/// Per-token inputs to the features.
struct Tok {
    w: u64,
    p: u64,
    /// Brown cluster of the word: 6-bit prefix and whole path (0 for words without one).
    c6: u64,
    cf: u64,
}

const NONE: u64 = 0x2545_f491;

fn features(st: &State, toks: &[Tok], labels: &[u64], out: &mut Vec<u64>) {
    out.clear();
    let tw = |i: usize| if i == NO { NONE } else { toks[i].w };
    let tp = |i: usize| if i == NO { NONE } else { toks[i].p };
    let c6 = |i: usize| if i == NO { NONE } else { toks[i].c6 };
    let cf = |i: usize| if i == NO { NONE } else { toks[i].cf };
    let lab = |i: usize| {
        if i == NO || st.labels[i] == NO {
            NONE
        } else {
            labels[st.labels[i]]
        }
    };
    let get = |v: &Vec<usize>, i: usize| if i == NO { NO } else { v[i] };
    let s0 = st.s(0);
    let s1 = st.s(1);
    let s2 = st.s(2);
    let b0 = if st.b <= st.n { st.b } else { NO };
    let b1 = if st.b < st.n { st.b + 1 } else { NO };
    let b2 = if st.b + 1 < st.n { st.b + 2 } else { NO };
    let (s0w, s0p, s1w, s1p, s2p) = (tw(s0), tp(s0), tw(s1), tp(s1), tp(s2));
    let (b0w, b0p, b1w, b1p, b2w, b2p) = (tw(b0), tp(b0), tw(b1), tp(b1), tw(b2), tp(b2));
    let s0l = get(&st.l1, s0);
    let s0r = get(&st.r1, s0);
    let s0l2 = get(&st.l2, s0);
    let s0r2 = get(&st.r2, s0);
    let s1l = get(&st.l1, s1);
    let s1r = get(&st.r1, s1);
    let s1r2 = get(&st.r2, s1);
    let b0l = get(&st.l1, b0);
    let b0l2 = get(&st.l2, b0);
    let dist = if s0 != NO && b0 != NO {
        (b0 - s0).min(6) as u64
    } else {
        7
    };
    let dist01 = if s0 != NO && s1 != NO && s1 != 0 {
        (s0 - s1).min(6) as u64
    } else {
        7
    };
    let val = |v: &Vec<u8>, i: usize| if i == NO { 9 } else { v[i].min(5) as u64 };
    let set = |v: &Vec<u128>, i: usize| {
        if i == NO {
            0
        } else {
            v[i] as u64 ^ (v[i] >> 64) as u64
        }
    };
    let mut t = 0u32;
    let mut f = |feat: Feat| {
        out.push(feat.get());
    };
    let mut n = || {
        t += 1;
        Feat::new(t)
    };
    f(n());
    // Unigrams.
    f(n().u(s0w));
    f(n().u(s0p));
    f(n().u(s0w).u(s0p));
    f(n().u(s1w));
    f(n().u(s1p));
    f(n().u(s1w).u(s1p));
    f(n().u(b0w));
    f(n().u(b0p));
    f(n().u(b0w).u(b0p));
    f(n().u(b1w));
    f(n().u(b1p));
    f(n().u(b1w).u(b1p));
    f(n().u(b2w));
    f(n().u(b2p));
    f(n().u(b2w).u(b2p));
    f(n().u(s2p));
    // Pairs s0-b0 and s1-s0.
    f(n().u(s0w).u(s0p).u(b0w).u(b0p));
    f(n().u(s0w).u(s0p).u(b0w));
    f(n().u(s0w).u(b0w).u(b0p));
    f(n().u(s0w).u(s0p).u(b0p));
    f(n().u(s0p).u(b0w).u(b0p));
    f(n().u(s0w).u(b0w));
    f(n().u(s0p).u(b0p));
    f(n().u(b0p).u(b1p));
    f(n().u(s1w).u(s1p).u(s0w).u(s0p));
    f(n().u(s1w).u(s0w));
    f(n().u(s1p).u(s0p));
    f(n().u(s1w).u(s0p));
    f(n().u(s1p).u(s0w));
    f(n().u(s1p).u(b0p));
    f(n().u(s1w).u(b0w));
    // Trigrams of tags.
    f(n().u(b0p).u(b1p).u(b2p));
    f(n().u(s0p).u(b0p).u(b1p));
    f(n().u(s1p).u(s0p).u(b0p));
    f(n().u(s2p).u(s1p).u(s0p));
    f(n().u(s0p).u(tp(s0l)).u(b0p));
    f(n().u(s0p).u(tp(s0r)).u(b0p));
    f(n().u(s0p).u(b0p).u(tp(b0l)));
    f(n().u(s1p).u(tp(s1r)).u(s0p));
    f(n().u(s1p).u(tp(s1l)).u(s0p));
    f(n().u(s1p).u(s0p).u(tp(s0l)));
    f(n().u(s1p).u(s0p).u(tp(s0r)));
    // Distance.
    f(n().u(s0w).u(dist));
    f(n().u(s0p).u(dist));
    f(n().u(b0w).u(dist));
    f(n().u(b0p).u(dist));
    f(n().u(s0w).u(b0w).u(dist));
    f(n().u(s0p).u(b0p).u(dist));
    f(n().u(s1p).u(s0p).u(dist01));
    f(n().u(s1w).u(s0w).u(dist01));
    // Valency.
    f(n().u(s0w).u(val(&st.vr, s0)));
    f(n().u(s0p).u(val(&st.vr, s0)));
    f(n().u(s0w).u(val(&st.vl, s0)));
    f(n().u(s0p).u(val(&st.vl, s0)));
    f(n().u(b0w).u(val(&st.vl, b0)));
    f(n().u(b0p).u(val(&st.vl, b0)));
    f(n().u(s1p).u(val(&st.vr, s1)));
    // Children unigrams.
    for c in [s0l, s0r, b0l, s1r, s1l] {
        f(n().u(tw(c)));
        f(n().u(tp(c)));
        f(n().u(lab(c)));
    }
    // Second children.
    for c in [s0l2, s0r2, b0l2, s1r2] {
        f(n().u(tw(c)));
        f(n().u(tp(c)));
        f(n().u(lab(c)));
    }
    f(n().u(s0p).u(lab(s0l)).u(lab(s0l2)));
    f(n().u(s0p).u(lab(s0r)).u(lab(s0r2)));
    f(n().u(b0p).u(lab(b0l)).u(lab(b0l2)));
    f(n().u(s1p).u(lab(s1r)).u(lab(s1r2)));
    f(n().u(s0p).u(tp(s0l)).u(tp(s0l2)));
    f(n().u(s0p).u(tp(s0r)).u(tp(s0r2)));
    f(n().u(b0p).u(tp(b0l)).u(tp(b0l2)));
    // Label sets.
    f(n().u(s0w).u(set(&st.rset, s0)));
    f(n().u(s0p).u(set(&st.rset, s0)));
    f(n().u(s0w).u(set(&st.lset, s0)));
    f(n().u(s0p).u(set(&st.lset, s0)));
    f(n().u(b0w).u(set(&st.lset, b0)));
    f(n().u(b0p).u(set(&st.lset, b0)));
    f(n().u(s1p).u(set(&st.rset, s1)));
    // Lexicalized combos with children.
    f(n().u(s0w).u(tw(s0l)));
    f(n().u(s0w).u(tw(s0r)));
    f(n().u(b0w).u(tw(b0l)));
    f(n().u(s1w).u(s0w).u(b0p));
    f(n().u(s0w).u(b0p).u(b1p));
    f(n().u(s0p).u(b0w).u(b1w));
    // Root / stack depth signal.
    f(n().u((s1 == 0) as u64).u((b0 == NO) as u64).u(s0p));
    f(n().u(st.stack.len().min(5) as u64).u(s0p).u(b0p));
    // Word clusters (Koo et al. 2008): words the treebank saw rarely share evidence with
    // their cluster mates.
    f(n().u(cf(s0)));
    f(n().u(cf(b0)));
    f(n().u(cf(s1)));
    f(n().u(cf(b1)));
    f(n().u(c6(s0)).u(c6(b0)));
    f(n().u(cf(s0)).u(b0p));
    f(n().u(s0p).u(cf(b0)));
    f(n().u(c6(s1)).u(c6(s0)));
    f(n().u(cf(s1)).u(s0p));
    f(n().u(s1p).u(cf(s0)));
    f(n().u(c6(b0)).u(c6(b1)));
}

fn is_projective(heads: &[usize]) -> bool {
    // heads[i] for i in 1..=n, heads[0] unused.
    let n = heads.len() - 1;
    for d in 1..=n {
        let h = heads[d];
        let (a, b) = if h < d { (h, d) } else { (d, h) };
        for k in a + 1..b {
            // Every word strictly inside the arc must be dominated by h.
            let mut x = k;
            let mut guard = 0;
            while x != 0 && x != h && guard <= n {
                x = heads[x];
                guard += 1;
            }
            if x != h {
                return false;
            }
        }
    }
    true
}

/// Whether the arc into `d` (head `heads[d]`) is non-projective: some word strictly between
/// head and dependent is not dominated by the head.
fn arc_non_projective(heads: &[usize], d: usize) -> bool {
    let n = heads.len() - 1;
    let h = heads[d];
    let (a, b) = if h < d { (h, d) } else { (d, h) };
    (a + 1..b).any(|k| {
        let mut x = k;
        let mut guard = 0;
        while x != 0 && x != h && guard <= n {
            x = heads[x];
            guard += 1;
        }
        x != h
    })
}

/// Pseudo-projective lifting (Nivre & Nilsson 2005, plain "lift" without label encoding):
/// while the tree is non-projective, the shortest non-projective arc h → d is replaced by
/// head(h) → d. `heads[0]` is unused; returns the number of lifts. A lift never reaches the
/// artificial root when the tree has one root word (arcs from it are always projective).
pub fn projectivize(heads: &mut [usize]) -> usize {
    let n = heads.len() - 1;
    let mut lifts = 0;
    loop {
        let mut best: Option<(usize, usize)> = None;
        for d in 1..=n {
            let h = heads[d];
            let len = h.abs_diff(d);
            if h != 0 && best.is_none_or(|(_, l)| len < l) && arc_non_projective(heads, d) {
                best = Some((d, len));
            }
        }
        match best {
            Some((d, _)) => {
                heads[d] = heads[heads[d]];
                lifts += 1;
            }
            None => return lifts,
        }
    }
}

/// Static oracle for arc-hybrid on a projective gold tree (used in tests and as a check).
pub fn static_oracle(st: &State, gh: &[usize], gl: &[usize]) -> Move {
    let s0 = st.s(0);
    let s1 = st.s(1);
    let b = st.b;
    let has_deps_in_buffer = |x: usize| (b..=st.n).any(|k| gh[k] == x);
    if s0 != NO && s0 != 0 && b <= st.n && gh[s0] == b && st.legal(Move::Left(gl[s0])) {
        return Move::Left(gl[s0]);
    }
    if s1 != NO
        && s0 != 0
        && gh[s0] == s1
        && !has_deps_in_buffer(s0)
        && st.legal(Move::Right(gl[s0]))
    {
        return Move::Right(gl[s0]);
    }
    Move::Shift
}

pub struct Parser {
    pub labels: Vec<String>,
    pub model: Model,
    /// Beam width in use: 1 parses greedily. A greedily trained model ranks whole parses
    /// badly (a beam of 2 costs it 7 points of UAS), so wider beams need a model trained
    /// for them.
    pub beam: usize,
    /// The beam width the model was trained for (stored in the file; the default `beam`).
    pub trained_beam: usize,
}

/// How [`Parser::train`] trains.
#[derive(Debug, Clone, Copy)]
pub struct TrainSettings {
    /// Passes over the data.
    pub iterations: usize,
    /// Seed of the first run (run r uses seed + r).
    pub seed: u64,
    /// Runs whose averaged weights are averaged again into the model.
    pub runs: usize,
    /// Weights kept (largest magnitude first).
    pub max_weights: usize,
    /// Beam width the model is trained for (1 = greedy).
    pub beam: usize,
}

/// One partial parse in the beam.
#[derive(Clone)]
struct Hyp {
    st: State,
    score: f64,
    moves: Vec<Move>,
    /// Every move so far is the gold sequence's.
    gold: bool,
}

impl Hyp {
    /// Copies `o` into `self`, reusing `self`'s allocations.
    fn copy_from(&mut self, o: &Hyp) {
        self.st.copy_from(&o.st);
        self.score = o.score;
        self.moves.clone_from(&o.moves);
        self.gold = o.gold;
    }
}

/// What a training beam looked like after one step.
struct BeamStep {
    best_score: f64,
    best_moves: Vec<Move>,
    /// The best hypothesis is the gold prefix.
    best_is_gold: bool,
}

/// Beam search over arc-hybrid moves (Zhang & Clark 2008). Every parse of n words takes 2n
/// moves (each word is shifted once and attached once), so the hypotheses stay aligned step
/// by step and their summed scores compare fairly. With `gold` (the static oracle's
/// sequence) it also reports each step for a max-violation update. Ties go to the earlier
/// hypothesis and the lower move class, so the search is deterministic.
fn beam_search(
    toks: &[Tok],
    lh: &[u64],
    n_classes: usize,
    width: usize,
    mut score: impl FnMut(&[u64], &mut [f32]),
    gold: Option<&[Move]>,
    mut on_step: impl FnMut(BeamStep),
) -> State {
    let n = toks.len() - 1;
    let mut beam = vec![Hyp {
        st: State::new(n),
        score: 0.0,
        moves: Vec::with_capacity(2 * n),
        gold: true,
    }];
    let mut feats = Vec::with_capacity(128);
    let mut scores = vec![0f32; n_classes];
    let mut cands: Vec<(f64, usize, usize)> = Vec::with_capacity(width * n_classes);
    let mut next: Vec<Hyp> = Vec::with_capacity(width);
    for step in 0..2 * n {
        cands.clear();
        for (hi, h) in beam.iter().enumerate() {
            // With only the root on the stack SHIFT is forced and scores nothing.
            if h.st.stack.len() == 1 {
                cands.push((h.score, hi, Move::Shift.class()));
                continue;
            }
            features(&h.st, toks, lh, &mut feats);
            score(&feats, &mut scores);
            let legal = [
                h.st.legal(Move::Shift),
                h.st.legal(Move::Left(0)),
                h.st.legal(Move::Right(0)),
            ];
            for (c, &sc) in scores.iter().enumerate() {
                // Classes: 0 SHIFT, odd LEFT, even RIGHT (see `Move::class`).
                let kind = if c == 0 { 0 } else { 2 - c % 2 };
                if legal[kind] {
                    cands.push((h.score + sc as f64, hi, c));
                }
            }
        }
        let order = |a: &(f64, usize, usize), b: &(f64, usize, usize)| {
            b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2))
        };
        if cands.len() > width {
            cands.select_nth_unstable_by(width - 1, order);
            cands.truncate(width);
        }
        cands.sort_by(order);
        let gold_move = gold.map(|g| g[step]);
        // The next beam reuses the allocations of the one before last.
        for (i, &(sc, hi, c)) in cands.iter().enumerate() {
            if next.len() <= i {
                next.push(beam[hi].clone());
            } else {
                next[i].copy_from(&beam[hi]);
            }
            let h = &mut next[i];
            let m = Move::from_class(c);
            h.st.apply(m);
            h.score = sc;
            if gold.is_some() {
                h.moves.push(m);
            }
            h.gold = h.gold && gold_move == Some(m);
        }
        next.truncate(cands.len());
        std::mem::swap(&mut beam, &mut next);
        if gold.is_some() {
            on_step(BeamStep {
                best_score: beam[0].score,
                best_moves: beam[0].moves.clone(),
                best_is_gold: beam[0].gold,
            });
        }
    }
    beam.swap_remove(0).st
}

/// One global perceptron update on a sentence (Huang, Fayong & Guo 2012): beam-search it,
/// find the step where the best hypothesis beats the gold prefix by the most (max
/// violation), and move the weights towards the gold prefix and away from that hypothesis.
fn beam_update(
    p: &mut Perceptron,
    toks: &[Tok],
    lh: &[u64],
    width: usize,
    gh: &[usize],
    gl: &[usize],
) {
    let n = toks.len() - 1;
    let gm = gold_moves(n, gh, gl);
    let mut steps = Vec::with_capacity(2 * n);
    let nc = p.n_classes;
    beam_search(
        toks,
        lh,
        nc,
        width,
        |f, s| p.score(f, s),
        Some(&gm),
        |b| steps.push(b),
    );
    // Gold prefix scores and features.
    let mut st = State::new(n);
    let mut scores = vec![0f32; nc];
    let mut gold_feats: Vec<Vec<u64>> = Vec::with_capacity(gm.len());
    let mut gold_score = Vec::with_capacity(gm.len());
    let mut g = 0f64;
    for &m in &gm {
        let mut feats = Vec::new();
        if st.stack.len() > 1 {
            features(&st, toks, lh, &mut feats);
            p.score(&feats, &mut scores);
            g += scores[m.class()] as f64;
        }
        gold_feats.push(feats);
        gold_score.push(g);
        st.apply(m);
    }
    let worst = steps
        .iter()
        .enumerate()
        .filter(|(_, b)| !b.best_is_gold)
        .max_by(|(i, a), (j, b)| {
            (a.best_score - gold_score[*i])
                .total_cmp(&(b.best_score - gold_score[*j]))
                .then(j.cmp(i))
        })
        .map(|(i, _)| i);
    let Some(t) = worst else {
        p.tick();
        return;
    };
    for k in 0..=t {
        if !gold_feats[k].is_empty() {
            p.update_class(gm[k].class(), &gold_feats[k], 1.0);
        }
    }
    let mut st = State::new(n);
    let mut feats = Vec::new();
    for &m in &steps[t].best_moves {
        if st.stack.len() > 1 {
            features(&st, toks, lh, &mut feats);
            p.update_class(m.class(), &feats, -1.0);
        }
        st.apply(m);
    }
    p.tick();
}

/// The static oracle's move sequence for a projective tree.
fn gold_moves(n: usize, gh: &[usize], gl: &[usize]) -> Vec<Move> {
    let mut st = State::new(n);
    let mut moves = Vec::with_capacity(2 * n);
    while !st.is_final() {
        let m = static_oracle(&st, gh, gl);
        st.apply(m);
        moves.push(m);
    }
    moves
}

fn tok_inputs(forms: &[&str], tags: &[&str]) -> Vec<Tok> {
    let mut toks = Vec::with_capacity(forms.len() + 1);
    let root = hash_str("<ROOT>");
    toks.push(Tok {
        w: root,
        p: root,
        c6: root,
        cf: root,
    });
    let clusters = WordClusters::embedded();
    for (f, t) in forms.iter().zip(tags) {
        let lower = f.to_lowercase();
        let [c6, cf] = clusters.prefixes(&lower, [6, 63]);
        toks.push(Tok {
            w: hash_str(&lower),
            p: hash_str(t),
            c6,
            cf,
        });
    }
    toks
}

fn best_legal(st: &State, scores: &[f32], filter: impl Fn(Move) -> bool) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (c, &s) in scores.iter().enumerate() {
        let m = Move::from_class(c);
        if st.legal(m) && filter(m) && best.is_none_or(|b| s > scores[b]) {
            best = Some(c);
        }
    }
    best
}

impl Parser {
    /// Parses one sentence: returns (head, label index) per word (heads 1-based, 0 = root).
    pub fn parse(&self, forms: &[&str], tags: &[&str]) -> Vec<(usize, usize)> {
        let n = forms.len();
        let toks = tok_inputs(forms, tags);
        let lh: Vec<u64> = self.labels.iter().map(|l| hash_str(l)).collect();
        if self.beam > 1 {
            let st = beam_search(
                &toks,
                &lh,
                self.model.n_classes,
                self.beam,
                |f, s| self.model.score(f, s),
                None,
                |_| {},
            );
            return self.finish(forms, tags, &st);
        }
        let mut st = State::new(n);
        let mut feats = Vec::with_capacity(128);
        let mut scores = vec![0f32; self.model.n_classes];
        while !st.is_final() {
            // With only the root on the stack, SHIFT is the one legal move, whatever the
            // scores: skipping them saves the feature lookups of about one move in twelve.
            if st.stack.len() == 1 {
                st.apply(Move::Shift);
                continue;
            }
            features(&st, &toks, &lh, &mut feats);
            self.model.score(&feats, &mut scores);
            let c = best_legal(&st, &scores, |_| true).expect("a legal move exists");
            st.apply(Move::from_class(c));
        }
        self.finish(forms, tags, &st)
    }

    /// Reads the tree off a final state and repairs it.
    fn finish(&self, forms: &[&str], tags: &[&str], st: &State) -> Vec<(usize, usize)> {
        let n = forms.len();
        let root = self.labels.iter().position(|l| l == "root").unwrap_or(0);
        let mut tree: Vec<(usize, usize)> = (1..=n)
            .map(|i| {
                if st.heads[i] == NO {
                    (0, root)
                } else {
                    (st.heads[i], st.labels[i])
                }
            })
            .collect();
        self.repair(forms, tags, &mut tree);
        tree
    }

    /// Mends three trees the parser builds that UD does not allow, all common in news noun
    /// phrases. `tree[i]` is (head, label) of word i + 1, heads 1-based.
    ///
    /// 1. **A second object.** UD gives a verb at most one `obj`.
    ///    - "revoked the security detail and security clearance", read as obj "detail", conj
    ///      "security" and obj "clearance": when the word before the second object is a noun
    ///      conjunct of the first, it becomes the second object's compound and the second
    ///      object the conjunct (taking the conjunct's left dependents, such as "and").
    ///    - "suspends pension of former central bank governor Reyes", read with "Reyes" as a
    ///      second object: a capitalized second object right after a common noun inside the
    ///      first is the name that noun titles, so it takes the noun's place and the noun
    ///      becomes its `nmod:desc` (the noun's preposition, "of", goes with the name).
    /// 2. **A possessed noun hung below the possessor's title.** "terminated his former
    ///    national security adviser John Bolton's Secret Service detail", read as obj
    ///    "adviser" with a bare `nmod` "detail" (no preposition) whose possessor "Bolton"
    ///    stands between them: "detail" takes the title's place, and the title becomes the
    ///    possessor's `nmod:desc`.
    /// 3. **A second subject.** An apposition set off by dashes read as a second subject
    ///    becomes the first subject's `appos`.
    fn repair(&self, forms: &[&str], tags: &[&str], tree: &mut [(usize, usize)]) {
        let label = |name: &str| self.labels.iter().position(|l| l == name);
        let (Some(obj), Some(conj), Some(compound), Some(desc), Some(nmod), Some(poss), Some(case)) = (
            label("obj"),
            label("conj"),
            label("compound"),
            label("nmod:desc"),
            label("nmod"),
            label("nmod:poss"),
            label("case"),
        ) else {
            return;
        };
        let common_noun = |w: usize| tags.get(w).is_some_and(|t| matches!(*t, "NN" | "NNS"));
        let noun = |w: usize| tags.get(w).is_some_and(|t| t.starts_with("NN"));
        let capitalized = |w: usize| {
            forms
                .get(w)
                .and_then(|f| f.chars().next())
                .is_some_and(char::is_uppercase)
        };
        // Whether word `w` lies in the subtree of word `top` (0-based both).
        let below = |tree: &[(usize, usize)], mut w: usize, top: usize| {
            for _ in 0..tree.len() {
                if w == top {
                    return true;
                }
                match tree[w].0 {
                    0 => return false,
                    h => w = h - 1,
                }
            }
            false
        };
        for h in 1..=tree.len() {
            let objs: Vec<usize> = (0..tree.len()).filter(|&w| tree[w] == (h, obj)).collect();
            let [a, b, ..] = objs[..] else { continue };
            let Some(c) = b.checked_sub(1) else { continue };
            if c == a || !noun(b) {
                continue;
            }
            if tree[c] == (a + 1, conj) && noun(c) {
                tree[c] = (b + 1, compound);
                tree[b] = (a + 1, conj);
                for dep in tree.iter_mut().take(c) {
                    if dep.0 == c + 1 {
                        dep.0 = b + 1;
                    }
                }
            } else if common_noun(c) && !capitalized(c) && capitalized(b) && below(tree, c, a) {
                tree[b] = tree[c];
                tree[c] = (b + 1, desc);
                // The preposition introduced the title; it now introduces the name.
                for dep in tree.iter_mut().take(c) {
                    if *dep == (c + 1, case) {
                        dep.0 = b + 1;
                    }
                }
            }
        }
        // Two subjects of one verb: the second, set off by dashes, commas or brackets right
        // after the first, is the first's apposition ("Tom Hale's official portrait — a
        // position in which he served … — was removed").
        let subject = |l: usize| matches!(self.labels[l].as_str(), "nsubj" | "nsubj:pass");
        let mark = |w: usize| {
            forms
                .get(w)
                .is_some_and(|f| matches!(*f, "—" | "–" | "--" | "," | "(" | ")"))
        };
        for h in 1..=tree.len() {
            let subjects: Vec<usize> = (0..tree.len())
                .filter(|&w| tree[w].0 == h && subject(tree[w].1) && w + 1 < h)
                .collect();
            let [a, b, ..] = subjects[..] else { continue };
            let Some(appos) = label("appos") else { return };
            let first = (0..b).find(|&w| below(tree, w, b)).unwrap_or(b);
            let opened = first > a && mark(first - 1);
            let last = (b..tree.len())
                .rev()
                .find(|&w| below(tree, w, b) && !mark(w))
                .unwrap_or(b);
            let closed = mark(last + 1);
            if opened && closed && (a + 1..first - 1).all(|w| below(tree, w, a)) {
                tree[b] = (a + 1, appos);
            }
        }
        for n in 0..tree.len() {
            let (h1, l) = tree[n];
            if l != nmod || h1 == 0 || h1 > n || !common_noun(h1 - 1) || !noun(n) {
                continue;
            }
            let t = h1 - 1;
            if (0..tree.len()).any(|k| tree[k] == (n + 1, case)) {
                continue;
            }
            let Some(p) = (t + 1..n).find(|&k| tree[k] == (n + 1, poss) && capitalized(k)) else {
                continue;
            };
            tree[n] = tree[t];
            tree[t] = (p + 1, desc);
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        if self.trained_beam > 1 {
            write_header(&mut out, MAGIC, VERSION_BEAM);
            out.extend_from_slice(&(self.trained_beam as u32).to_le_bytes());
        } else {
            write_header(&mut out, MAGIC, VERSION);
        }
        write_strings(&mut out, &self.labels);
        self.model.write(&mut out);
        out
    }

    pub fn from_bytes(buf: &[u8]) -> Result<Self, NlpError> {
        let mut r = Reader::new(buf);
        let beam = match read_header_of(&mut r, MAGIC, &[VERSION, VERSION_BEAM])? {
            VERSION_BEAM => match r.u32()? {
                w @ 2..=64 => w as usize,
                w => return Err(NlpError::Model(format!("parser beam width {w}"))),
            },
            _ => 1,
        };
        let labels = r.strings()?;
        let model = Model::read(&mut r)?;
        if model.n_classes != 1 + 2 * labels.len() {
            return Err(NlpError::Model("parser class count mismatch".into()));
        }
        if !r.at_end() {
            return Err(NlpError::Model("trailing bytes in parser model".into()));
        }
        Ok(Parser {
            labels,
            model,
            beam,
            trained_beam: beam,
        })
    }

    /// Trains with the dynamic oracle (and, for a beam wider than 1, a global update per
    /// sentence). `tags[s][i]` is the tag the parser sees for word i of
    /// sentence s (gold or jackknifed). Non-projective trees are made projective by lifting
    /// ([`projectivize`]); sentences without exactly one root word are skipped, and their
    /// count is returned with the parser.
    pub fn train(
        train: &[GoldSentence],
        tags: &[Vec<String>],
        dev: Option<(&[GoldSentence], &[Vec<String>])>,
        settings: &TrainSettings,
    ) -> (Parser, usize) {
        let TrainSettings {
            iterations,
            seed,
            runs,
            max_weights,
            beam,
        } = *settings;
        let mut labels: Vec<String> = train
            .iter()
            .flat_map(|s| s.words.iter().map(|w| w.deprel.clone()))
            .collect();
        labels.sort();
        labels.dedup();
        let lh: Vec<u64> = labels.iter().map(|l| hash_str(l)).collect();
        let nc = 1 + 2 * labels.len();
        let mut usable = Vec::new();
        let mut skipped = 0;
        let (mut lifted_sents, mut lifts) = (0, 0);
        // Gold heads per sentence (index 0 = NO), projectivized by lifting.
        let mut gold_heads: Vec<Vec<usize>> = Vec::with_capacity(train.len());
        for (i, s) in train.iter().enumerate() {
            let mut heads = vec![0usize];
            heads.extend(s.words.iter().map(|w| w.head));
            let roots = s.words.iter().filter(|w| w.head == 0).count();
            if roots == 1 {
                let k = projectivize(&mut heads);
                if k > 0 {
                    lifted_sents += 1;
                    lifts += k;
                }
                debug_assert!(is_projective(&heads));
                usable.push(i);
            } else {
                skipped += 1;
            }
            heads[0] = NO;
            gold_heads.push(heads);
        }
        eprintln!(
            "parser: {} training sentences ({} non-projective, made projective by {} lifts), \
             {} skipped (not single-rooted)",
            usable.len(),
            lifted_sents,
            lifts,
            skipped
        );
        // One run per seed; the runs' averaged weights are averaged again (see
        // `Perceptron::average_runs`). Runs are independent, so they train in parallel.
        let run = |seed: u64, report: bool| -> Perceptron {
            let mut usable = usable.clone();
            let mut p = Perceptron::new(nc);
            let mut rng = XorShift::new(seed);
            let mut feats = Vec::with_capacity(128);
            let mut scores = vec![0f32; nc];
            for it in 0..iterations {
                let t0 = std::time::Instant::now();
                rng.shuffle(&mut usable);
                let explore = it >= 1;
                for &si in &usable {
                    let s = &train[si];
                    let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
                    let tg: Vec<&str> = tags[si].iter().map(|t| t.as_str()).collect();
                    let toks = tok_inputs(&forms, &tg);
                    let gh = &gold_heads[si];
                    let mut gl = vec![NO];
                    gl.extend(
                        s.words
                            .iter()
                            .map(|w| labels.binary_search(&w.deprel).expect("label")),
                    );
                    let mut st = State::new(forms.len());
                    while !st.is_final() {
                        features(&st, &toks, &lh, &mut feats);
                        p.score(&feats, &mut scores);
                        let costs = st.costs(gh);
                        let s0 = st.s(0);
                        let s1 = st.s(1);
                        let cost = |m: Move| -> usize {
                            match m {
                                Move::Shift => costs[0],
                                Move::Left(l) => {
                                    costs[1] + usize::from(gh[s0] == st.b && gl[s0] != l)
                                }
                                Move::Right(l) => {
                                    costs[2] + usize::from(gh[s0] == s1 && gl[s0] != l)
                                }
                            }
                        };
                        let min = (0..nc)
                            .map(Move::from_class)
                            .filter(|&m| st.legal(m))
                            .map(cost)
                            .min()
                            .expect("legal move");
                        let guess = best_legal(&st, &scores, |_| true).expect("legal");
                        let gold = best_legal(&st, &scores, |m| cost(m) == min).expect("legal");
                        let gm = Move::from_class(guess);
                        if cost(gm) != min {
                            p.update(gold, guess, &feats);
                        }
                        p.tick();
                        let follow = if cost(gm) == min || (explore && rng.next_f64() < 0.9) {
                            gm
                        } else {
                            Move::from_class(gold)
                        };
                        st.apply(follow);
                    }
                    if beam > 1 {
                        beam_update(&mut p, &toks, &lh, beam, gh, &gl);
                    }
                }
                let mut msg = format!(
                    "parser run {seed} iteration {}: {:.1}s",
                    it + 1,
                    t0.elapsed().as_secs_f64()
                );
                if let (Some((d, dt)), true) = (dev, report) {
                    let parser = Parser {
                        labels: labels.clone(),
                        model: p.average(usize::MAX),
                        beam,
                        trained_beam: beam,
                    };
                    let (uas, las) = parser.attachment(d, dt);
                    msg.push_str(&format!(", dev uas {uas:.4} las {las:.4}"));
                }
                eprintln!("{msg}");
            }
            p
        };
        let trained: Vec<Perceptron> = {
            use rayon::prelude::*;
            (0..runs.max(1) as u64)
                .into_par_iter()
                .map(|r| run(seed + r, r == 0))
                .collect()
        };
        let trained: Vec<&Perceptron> = trained.iter().collect();
        let parser = Parser {
            labels,
            model: Perceptron::average_runs(&trained, max_weights),
            beam,
            trained_beam: beam,
        };
        if let Some((d, dt)) = dev {
            let (uas, las) = parser.attachment(d, dt);
            eprintln!("parser final (pruned) model: dev uas {uas:.4} las {las:.4}");
        }
        (parser, skipped)
    }

    /// (UAS, LAS) over all words, full labels (with subtypes).
    pub fn attachment(&self, gold: &[GoldSentence], tags: &[Vec<String>]) -> (f64, f64) {
        let (mut u, mut l, mut n) = (0, 0, 0);
        for (s, t) in gold.iter().zip(tags) {
            let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            let tg: Vec<&str> = t.iter().map(|x| x.as_str()).collect();
            for ((h, lab), w) in self.parse(&forms, &tg).into_iter().zip(&s.words) {
                if h == w.head {
                    u += 1;
                    if self.labels[lab] == w.deprel {
                        l += 1;
                    }
                }
                n += 1;
            }
        }
        (u as f64 / n.max(1) as f64, l as f64 / n.max(1) as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One unpruned run with seed 3.
    fn toy_settings(iterations: usize, beam: usize) -> TrainSettings {
        TrainSettings {
            iterations,
            seed: 3,
            runs: 1,
            max_weights: usize::MAX,
            beam,
        }
    }

    /// Runs the static oracle on gold heads and returns the tree it builds.
    fn oracle_tree(heads: &[usize]) -> Vec<usize> {
        let n = heads.len();
        let mut gh = vec![NO];
        gh.extend_from_slice(heads);
        let gl = vec![0; n + 1];
        let mut st = State::new(n);
        let mut steps = 0;
        while !st.is_final() {
            let m = static_oracle(&st, &gh, &gl);
            assert!(st.legal(m), "oracle chose illegal {m:?}");
            // The dynamic oracle agrees: the static move costs nothing.
            let c = st.costs(&gh);
            let k = match m {
                Move::Shift => 0,
                Move::Left(_) => 1,
                Move::Right(_) => 2,
            };
            assert_eq!(c[k], 0, "static move {m:?} has cost");
            st.apply(m);
            steps += 1;
            assert!(steps <= 2 * n + 1);
        }
        st.heads[1..].to_vec()
    }

    #[test]
    fn static_oracle_reproduces_projective_trees() {
        let trees: Vec<Vec<usize>> = vec![
            // "The dog barked loudly ." det nsubj root advmod punct
            vec![2, 3, 0, 3, 3],
            // "I saw the man with a telescope"
            vec![2, 0, 4, 2, 7, 7, 4],
            // Right-branching chain.
            vec![0, 1, 2, 3, 4],
            // Left-branching chain.
            vec![2, 3, 4, 5, 0],
            // Single word.
            vec![0],
        ];
        for t in trees {
            assert!(is_projective(&[&[0][..], &t[..]].concat()));
            assert_eq!(oracle_tree(&t), t);
        }
    }

    #[test]
    fn detects_non_projective() {
        // 1→3 crosses 2→4.
        assert!(!is_projective(&[0, 3, 4, 0, 3]));
        assert!(is_projective(&[0, 2, 0, 2]));
    }

    #[test]
    fn lifting_makes_trees_projective() {
        // 2 → 4 crosses 3 (the root word); lifted to 4's head 3.
        let mut h = vec![0, 3, 4, 0, 3];
        assert_eq!(projectivize(&mut h), 1);
        assert_eq!(h, vec![0, 3, 3, 0, 3]);
        // Already projective: unchanged.
        let mut h = vec![0, 2, 0, 2];
        assert_eq!(projectivize(&mut h), 0);
        assert_eq!(h, vec![0, 2, 0, 2]);
        // "A hearing is scheduled on the issue today": hearing → issue crosses "is
        // scheduled"; the arc is lifted to "scheduled".
        let mut h = vec![0, 2, 4, 4, 0, 7, 7, 2, 4];
        assert!(!is_projective(&h));
        assert_eq!(projectivize(&mut h), 1);
        assert_eq!(h, vec![0, 2, 4, 4, 0, 7, 7, 4, 4]);
        assert!(is_projective(&h));
    }

    #[test]
    fn move_classes_round_trip() {
        for m in [
            Move::Shift,
            Move::Left(0),
            Move::Right(0),
            Move::Left(7),
            Move::Right(9),
        ] {
            assert_eq!(Move::from_class(m.class()), m);
        }
    }

    #[test]
    fn costs_count_lost_arcs() {
        // Gold: 1←2 (head of 1 is 2), 2 root. After SHIFT 1, RIGHT would attach 1 to root.
        let gh = vec![NO, 2, 0];
        let mut st = State::new(2);
        st.apply(Move::Shift);
        let c = st.costs(&gh);
        assert_eq!(c[1], 0); // LEFT: 2 → 1, right
        assert!(!st.legal(Move::Right(0))); // root arc only with empty buffer
        st.apply(Move::Shift);
        // Now stack [0,1,2], buffer empty: 1 can no longer get head 2.
        let c = st.costs(&gh);
        assert_eq!(c[2], 0); // RIGHT 1 → 2 costs nothing new: 2's head (root) is not in the buffer
    }

    #[test]
    fn features_are_deterministic_and_state_dependent() {
        let toks = tok_inputs(&["a", "b", "c"], &["DT", "NN", "VB"]);
        let lh = vec![hash_str("x")];
        let mut st = State::new(3);
        let (mut f1, mut f2) = (Vec::new(), Vec::new());
        features(&st, &toks, &lh, &mut f1);
        features(&st, &toks, &lh, &mut f2);
        assert_eq!(f1, f2);
        st.apply(Move::Shift);
        features(&st, &toks, &lh, &mut f2);
        assert_eq!(f1.len(), f2.len());
        assert_ne!(f1, f2);
    }

    #[test]
    fn cluster_mates_share_cluster_features_but_not_word_features() {
        // "monday" and "tuesday" share a Brown cluster; "paris" does not.
        let lh = vec![hash_str("x")];
        let feats_of = |w: &str| {
            let toks = tok_inputs(&["on", w], &["IN", "NNP"]);
            let mut st = State::new(2);
            st.apply(Move::Shift);
            let mut f = Vec::new();
            features(&st, &toks, &lh, &mut f);
            f
        };
        let (mon, tue, paris) = (feats_of("Monday"), feats_of("Tuesday"), feats_of("Paris"));
        let shared = |a: &[u64], b: &[u64]| a.iter().filter(|f| b.contains(f)).count();
        assert!(shared(&mon, &tue) > shared(&mon, &paris));
        assert_ne!(mon, tue);
    }

    /// Runs [`Parser::repair`] on a tree given as (head, label) per word.
    fn repaired(forms: &str, tags: &str, tree: &[(usize, &str)]) -> Vec<(usize, String)> {
        let mut labels: Vec<String> = [
            "appos",
            "case",
            "cc",
            "compound",
            "conj",
            "det",
            "nmod",
            "nmod:desc",
            "nmod:poss",
            "nsubj",
            "nsubj:pass",
            "obj",
            "punct",
            "root",
        ]
        .map(String::from)
        .to_vec();
        labels.sort();
        let p = Parser {
            model: Model::empty(1 + 2 * labels.len(), 1.0),
            labels,
            beam: 1,
            trained_beam: 1,
        };
        let forms: Vec<&str> = forms.split(' ').collect();
        let tags: Vec<&str> = tags.split(' ').collect();
        let id = |l: &str| p.labels.iter().position(|x| x == l).unwrap();
        let mut t: Vec<(usize, usize)> = tree.iter().map(|&(h, l)| (h, id(l))).collect();
        p.repair(&forms, &tags, &mut t);
        t.into_iter()
            .map(|(h, l)| (h, p.labels[l].clone()))
            .collect()
    }

    #[test]
    fn repair_joins_a_compound_split_off_a_coordinated_object() {
        let t = repaired(
            "revoked the security detail and security clearance",
            "VBD DT NN NN CC NN NN",
            &[
                (0, "root"),
                (4, "det"),
                (4, "compound"),
                (1, "obj"),
                (6, "cc"),
                (4, "conj"),
                (1, "obj"),
            ],
        );
        assert_eq!(t[5], (7, "compound".to_string()));
        assert_eq!(t[6], (4, "conj".to_string()));
        assert_eq!(t[4], (7, "cc".to_string()));
    }

    #[test]
    fn repair_gives_a_titled_name_its_titles_place() {
        // "suspends pension of governor Reyes" with "Reyes" as a second object.
        let t = repaired(
            "suspends pension of governor Reyes",
            "VBZ NN IN NN NNS",
            &[
                (0, "root"),
                (1, "obj"),
                (4, "case"),
                (2, "nmod"),
                (1, "obj"),
            ],
        );
        assert_eq!(t[4], (2, "nmod".to_string()));
        assert_eq!(t[3], (5, "nmod:desc".to_string()));
        assert_eq!(t[2], (5, "case".to_string()));
        // Two objects that are no such pair stay as they are.
        let untouched = [(0, "root"), (1, "obj"), (1, "obj")];
        let t = repaired("gave them books", "VBD PRP NNS", &untouched);
        assert_eq!(t[2], (1, "obj".to_string()));
    }

    #[test]
    fn repair_moves_a_possessed_noun_above_the_possessors_title() {
        // "terminated adviser Bolton 's detail" with "detail" as a bare nmod of "adviser".
        let t = repaired(
            "terminated adviser Bolton 's detail",
            "VBD NN NNP POS NN",
            &[
                (0, "root"),
                (1, "obj"),
                (5, "nmod:poss"),
                (3, "case"),
                (2, "nmod"),
            ],
        );
        assert_eq!(t[4], (1, "obj".to_string()));
        assert_eq!(t[1], (3, "nmod:desc".to_string()));
    }

    #[test]
    fn repair_reads_a_second_subject_between_dashes_as_an_apposition() {
        let tree = [
            (6, "nsubj:pass"),
            (1, "punct"),
            (4, "det"),
            (6, "nsubj:pass"),
            (4, "punct"),
            (0, "root"),
        ];
        let t = repaired("portrait — a position — removed", "NN , DT NN , VBN", &tree);
        assert_eq!(t[3], (1, "appos".to_string()));
        // Without the dashes it is left alone.
        let t = repaired("portrait x a position y removed", "NN , DT NN , VBN", &tree);
        assert_eq!(t[3], (6, "nsubj:pass".to_string()));
    }

    #[test]
    fn trains_on_toy_data_and_round_trips() {
        let src = "1\tthe\tthe\tDET\tDT\t_\t2\tdet\t_\t_\n2\tdogs\tdog\tNOUN\tNNS\t_\t3\tnsubj\t_\t_\n3\tbark\tbark\tVERB\tVBP\t_\t0\troot\t_\t_\n\n";
        let data = super::super::conllu::parse(src).unwrap();
        let tags = vec![vec!["DT".to_string(), "NNS".into(), "VBP".into()]];
        let (p, skipped) = Parser::train(&data, &tags, None, &toy_settings(5, 1));
        assert_eq!(skipped, 0);
        assert_eq!(p.attachment(&data, &tags), (1.0, 1.0));
        let back = Parser::from_bytes(&p.to_bytes()).unwrap();
        assert_eq!(back.model, p.model);
        assert_eq!(back.labels, p.labels);
    }

    /// Three small sentences whose trees differ in shape (left and right dependents,
    /// a prepositional phrase, a conjunction), as CoNLL-U with their XPOS tags.
    fn toy_treebank() -> (Vec<GoldSentence>, Vec<Vec<String>>) {
        let rows = [
            "the DT 2 det|dogs NNS 3 nsubj|bark VBP 0 root|loudly RB 3 advmod",
            "she PRP 2 nsubj|saw VBD 0 root|a DT 4 det|man NN 2 obj|with IN 7 case|a DT 7 det|telescope NN 2 obl",
            "cats NNS 4 nsubj|and CC 3 cc|dogs NNS 1 conj|sleep VBP 0 root",
        ];
        let mut src = String::new();
        let mut tags = Vec::new();
        for row in rows {
            let mut t = Vec::new();
            for (i, w) in row.split('|').enumerate() {
                let f: Vec<&str> = w.split(' ').collect();
                src.push_str(&format!(
                    "{}\t{}\t{}\tX\t{}\t_\t{}\t{}\t_\t_\n",
                    i + 1,
                    f[0],
                    f[0],
                    f[1],
                    f[2],
                    f[3]
                ));
                t.push(f[1].to_string());
            }
            src.push('\n');
            tags.push(t);
        }
        (super::super::conllu::parse(&src).unwrap(), tags)
    }

    #[test]
    fn a_beam_of_one_parses_as_the_greedy_parser_does() {
        let (data, tags) = toy_treebank();
        let (mut p, _) = Parser::train(&data, &tags, None, &toy_settings(2, 1));
        for (s, t) in data.iter().zip(&tags) {
            let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            let tg: Vec<&str> = t.iter().map(|x| x.as_str()).collect();
            p.beam = 1;
            let greedy = p.parse(&forms, &tg);
            let toks = tok_inputs(&forms, &tg);
            let lh: Vec<u64> = p.labels.iter().map(|l| hash_str(l)).collect();
            let st = beam_search(
                &toks,
                &lh,
                p.model.n_classes,
                1,
                |f, sc| p.model.score(f, sc),
                None,
                |_| {},
            );
            assert_eq!(p.finish(&forms, &tg, &st), greedy);
            // Wider beams still give one tree: every word has a head, one word the root.
            p.beam = 4;
            let tree = p.parse(&forms, &tg);
            assert_eq!(tree.len(), forms.len());
            assert_eq!(tree.iter().filter(|(h, _)| *h == 0).count(), 1);
        }
    }

    #[test]
    fn beam_training_learns_the_toy_trees_deterministically() {
        let (data, tags) = toy_treebank();
        let (p, skipped) = Parser::train(&data, &tags, None, &toy_settings(8, 4));
        assert_eq!(skipped, 0);
        assert_eq!(p.beam, 4);
        assert_eq!(p.attachment(&data, &tags), (1.0, 1.0));
        // Deterministic: the same command gives the same weights.
        let (q, _) = Parser::train(&data, &tags, None, &toy_settings(8, 4));
        assert_eq!(p.to_bytes(), q.to_bytes());
        // The file records the width, and loading it parses with that width by default.
        let bytes = p.to_bytes();
        assert_eq!(bytes[8..12], VERSION_BEAM.to_le_bytes());
        let back = Parser::from_bytes(&bytes).unwrap();
        assert_eq!((back.beam, back.trained_beam), (4, 4));
        assert_eq!(back.attachment(&data, &tags), (1.0, 1.0));
        // A greedy model keeps the version-1 layout, byte for byte as before.
        let (g, _) = Parser::train(&data, &tags, None, &toy_settings(2, 1));
        assert_eq!(g.to_bytes()[8..12], VERSION.to_le_bytes());
        assert_eq!(Parser::from_bytes(&g.to_bytes()).unwrap().trained_beam, 1);
    }

    #[test]
    fn gold_moves_rebuild_the_gold_tree() {
        let gh = [NO, 2, 3, 0, 3];
        let gl = [NO, 0, 1, 2, 3];
        let moves = gold_moves(4, &gh, &gl);
        assert_eq!(
            moves.len(),
            8,
            "each word is shifted once and attached once"
        );
        let mut st = State::new(4);
        for m in moves {
            st.apply(m);
        }
        assert!(st.is_final());
        assert_eq!(&st.heads[1..], &gh[1..]);
        assert_eq!(&st.labels[1..], &gl[1..]);
    }
}
