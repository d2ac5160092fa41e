//! Brown word clusters (Brown et al. 1992), as a bit-string path per word.
//!
//! Why: a rare word the labeled data never showed ("Miramar", "Saginaw") often shares its
//! neighbours with words it did show ("Memphis", "Encino"). Hierarchical clusters learned from
//! unlabeled text give the taggers that evidence as features at several granularities (path
//! prefixes), the classic semi-supervised gain for NER (Ratinov & Roth 2009; Turian et al.
//! 2010).
//!
//! The algorithm is the windowed one of Liang (2005): words in order of frequency enter a
//! window of `c` active clusters one at a time; after each entry the two clusters whose merge
//! loses the least average mutual information between adjacent clusters are merged. Merge
//! losses are kept in a table and updated in O(1) per pair after each change (the quantities
//! that change are only the terms involving the clusters touched), so a run costs O(V·c²).
//! Every merge is a node of a binary tree over the words; a word's path from the root, 0 for a
//! left branch and 1 for a right one, is its cluster. Lowercased forms are clustered, so "The"
//! and "the" share their counts.

use std::collections::HashMap;

use super::NlpError;

/// Word → bit-string path (at most 63 bits are kept: deeper bits are never used as features).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WordClusters {
    paths: HashMap<String, (u64, u8)>,
}

static CLUSTERS_TXT: &str = include_str!("../../data/models/clusters.txt");

impl WordClusters {
    /// The clusters embedded in the binary (`data/models/clusters.txt`).
    pub fn embedded() -> &'static WordClusters {
        static CELL: std::sync::OnceLock<WordClusters> = std::sync::OnceLock::new();
        CELL.get_or_init(|| WordClusters::from_text(CLUSTERS_TXT).unwrap_or_default())
    }

    /// The path of `word` (matched lowercased) as (bits, length), the first bit highest.
    pub fn path(&self, word: &str) -> Option<(u64, u8)> {
        match self.paths.get(word) {
            Some(p) => Some(*p),
            None => self.paths.get(&word.to_lowercase()).copied(),
        }
    }

    /// The first `n` bits of the path of `word`, tagged with `n` (0 when the word has no
    /// cluster), for use as a feature value.
    pub fn prefix(&self, word: &str, n: u8) -> u64 {
        match self.paths.get(word) {
            Some(_) => self.prefixes(word, [n])[0],
            None => self.prefixes(&word.to_lowercase(), [n])[0],
        }
    }

    /// [`prefix`](Self::prefix) at several lengths with one lookup; `lower` must already
    /// be lowercase.
    pub fn prefixes<const K: usize>(&self, lower: &str, ns: [u8; K]) -> [u64; K] {
        match self.paths.get(lower) {
            Some(&(bits, len)) => ns.map(|n| {
                let k = n.min(len);
                let top = if k == 0 { 0 } else { bits >> (len - k) };
                1 + (top << 8 | k as u64)
            }),
            None => [0; K],
        }
    }

    pub fn len(&self) -> usize {
        self.paths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// One `path<TAB>word` line per word, sorted by word (Liang's `paths` format without the
    /// count column).
    pub fn to_text(&self) -> String {
        let mut rows: Vec<(&String, &(u64, u8))> = self.paths.iter().collect();
        rows.sort();
        let mut out = String::new();
        for (w, &(bits, len)) in rows {
            for k in (0..len).rev() {
                out.push(if bits >> k & 1 == 1 { '1' } else { '0' });
            }
            out.push('\t');
            out.push_str(w);
            out.push('\n');
        }
        out
    }

    pub fn from_text(src: &str) -> Result<WordClusters, NlpError> {
        let mut paths = HashMap::new();
        for (n, line) in src.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad =
                || NlpError::Model(format!("clusters line {}: expected PATH<TAB>WORD", n + 1));
            let (path, word) = line.split_once('\t').ok_or_else(bad)?;
            if path.len() > 63 || !path.bytes().all(|b| b == b'0' || b == b'1') {
                return Err(bad());
            }
            let bits = path
                .bytes()
                .fold(0u64, |acc, b| acc << 1 | (b - b'0') as u64);
            paths.insert(word.to_string(), (bits, path.len() as u8));
        }
        Ok(WordClusters { paths })
    }

    /// Clusters the words of `sentences` (already lowercased or not: they are lowercased
    /// here) that occur at least `min_count` times, with a window of `window` clusters.
    /// Deterministic: ties are broken by frequency order, then by spelling.
    pub fn train(sentences: &[Vec<String>], window: usize, min_count: usize) -> WordClusters {
        let window = window.max(2);
        let mut counts: HashMap<String, usize> = HashMap::new();
        for s in sentences {
            for w in s {
                *counts.entry(w.to_lowercase()).or_default() += 1;
            }
        }
        let mut vocab: Vec<(String, usize)> = counts
            .into_iter()
            .filter(|(_, c)| *c >= min_count.max(1))
            .collect();
        vocab.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let index: HashMap<&str, usize> = vocab
            .iter()
            .enumerate()
            .map(|(i, (w, _))| (w.as_str(), i))
            .collect();
        // Bigrams between clustered words (a sentence boundary breaks the chain; words below
        // the count threshold are left out of the statistics).
        let mut right: Vec<HashMap<usize, f64>> = vec![HashMap::new(); vocab.len()];
        let mut left_total = vec![0f64; vocab.len()];
        let mut right_total = vec![0f64; vocab.len()];
        let mut total = 0f64;
        for s in sentences {
            let ids: Vec<Option<usize>> = s
                .iter()
                .map(|w| index.get(w.to_lowercase().as_str()).copied())
                .collect();
            for pair in ids.windows(2) {
                if let (Some(a), Some(b)) = (pair[0], pair[1]) {
                    *right[a].entry(b).or_default() += 1.0;
                    left_total[a] += 1.0;
                    right_total[b] += 1.0;
                    total += 1.0;
                }
            }
        }
        let mut left: Vec<Vec<(usize, f64)>> = vec![Vec::new(); vocab.len()];
        let right: Vec<Vec<(usize, f64)>> = right
            .into_iter()
            .enumerate()
            .map(|(a, m)| {
                let mut v: Vec<(usize, f64)> = m.into_iter().collect();
                v.sort_by_key(|x| x.0);
                for &(b, c) in &v {
                    left[b].push((a, c));
                }
                v
            })
            .collect();
        let mut paths = HashMap::new();
        if total > 0.0 {
            let mut w = Window::new(window + 1, total);
            for word in 0..vocab.len() {
                w.add(
                    word,
                    &right[word],
                    &left[word],
                    left_total[word],
                    right_total[word],
                );
                if w.active.len() > window {
                    let (a, b) = w.best_merge();
                    w.merge(a, b, 0);
                }
            }
            // The hierarchy is built over the final clusters only: every word of a cluster
            // gets the same path, as in Liang's `paths` output.
            let leaves: Vec<usize> = w.active.clone();
            w.members_of_leaf = w.members.clone();
            let mut tree = Tree::new(leaves.len());
            for (k, &s) in leaves.iter().enumerate() {
                w.node[s] = k;
            }
            while w.active.len() > 1 {
                let (a, b) = w.best_merge();
                let node = tree.merge(w.node[a], w.node[b]);
                w.merge(a, b, node);
            }
            for (k, &s) in leaves.iter().enumerate() {
                let path = tree.path(k);
                for &word in &w.members_of_leaf[s] {
                    paths.insert(vocab[word].0.clone(), path);
                }
            }
        }
        WordClusters { paths }
    }
}

/// The merge tree: leaves are words `0..n`, inner nodes follow.
struct Tree {
    parent: Vec<Option<(usize, bool)>>,
}

impl Tree {
    fn new(leaves: usize) -> Tree {
        Tree {
            parent: vec![None; leaves],
        }
    }

    fn merge(&mut self, a: usize, b: usize) -> usize {
        let node = self.parent.len();
        self.parent.push(None);
        self.parent[a] = Some((node, false));
        self.parent[b] = Some((node, true));
        node
    }

    fn path(&self, leaf: usize) -> (u64, u8) {
        let mut bits = Vec::new();
        let mut at = leaf;
        while let Some((p, right)) = self.parent[at] {
            bits.push(right);
            at = p;
        }
        // Keep the top of the tree: those are the bits prefixes use.
        let kept: Vec<bool> = bits.iter().rev().take(63).copied().collect();
        let value = kept.iter().fold(0u64, |acc, &b| acc << 1 | b as u64);
        (value, kept.len() as u8)
    }
}

/// The active clusters with their bigram counts, the mutual-information terms `q` and the
/// merge losses `loss` (upper triangle, by slot).
struct Window {
    slots: usize,
    total: f64,
    /// Active slots, ascending.
    active: Vec<usize>,
    /// Tree node of each slot.
    node: Vec<usize>,
    /// Slot of each word added so far, and the words of each slot.
    slot_of: HashMap<usize, usize>,
    members: Vec<Vec<usize>>,
    /// The words of each slot when the window phase ended.
    members_of_leaf: Vec<Vec<usize>>,
    n: Vec<f64>,
    q: Vec<f64>,
    loss: Vec<f64>,
    pl: Vec<f64>,
    pr: Vec<f64>,
}

impl Window {
    fn new(slots: usize, total: f64) -> Window {
        Window {
            slots,
            total,
            active: Vec::new(),
            node: vec![0; slots],
            slot_of: HashMap::new(),
            members: vec![Vec::new(); slots],
            members_of_leaf: Vec::new(),
            n: vec![0.0; slots * slots],
            q: vec![0.0; slots * slots],
            loss: vec![0.0; slots * slots],
            pl: vec![0.0; slots],
            pr: vec![0.0; slots],
        }
    }

    fn at(&self, i: usize, j: usize) -> usize {
        i * self.slots + j
    }

    /// One mutual-information term from a bigram count and the two marginals (as counts).
    fn term(&self, n: f64, left: f64, right: f64) -> f64 {
        if n <= 0.0 {
            return 0.0;
        }
        let p = n / self.total;
        p * (n * self.total / (left * right)).ln()
    }

    /// What the terms between cluster `x` and the clusters `i`, `j` lose when `i` and `j`
    /// are merged.
    fn third(&self, i: usize, j: usize, x: usize) -> f64 {
        let (ix, xi, jx, xj) = (self.at(i, x), self.at(x, i), self.at(j, x), self.at(x, j));
        let separate = self.q[ix] + self.q[xi] + self.q[jx] + self.q[xj];
        let merged = self.term(self.n[ix] + self.n[jx], self.pl[i] + self.pl[j], self.pr[x])
            + self.term(self.n[xi] + self.n[xj], self.pl[x], self.pr[i] + self.pr[j]);
        separate - merged
    }

    /// The loss of merging `i` and `j`, from scratch.
    fn full_loss(&self, i: usize, j: usize) -> f64 {
        let mut l: f64 = self
            .active
            .iter()
            .filter(|&&x| x != i && x != j)
            .map(|&x| self.third(i, j, x))
            .sum();
        let inner = self.n[self.at(i, i)]
            + self.n[self.at(i, j)]
            + self.n[self.at(j, i)]
            + self.n[self.at(j, j)];
        l += self.q[self.at(i, i)]
            + self.q[self.at(i, j)]
            + self.q[self.at(j, i)]
            + self.q[self.at(j, j)]
            - self.term(inner, self.pl[i] + self.pl[j], self.pr[i] + self.pr[j]);
        l
    }

    /// Adds `loss(i, j) += sign × third(i, j, x)` for every active pair without `x` or `skip`.
    fn shift_losses(&mut self, x: usize, skip: &[usize], sign: f64) {
        let act: Vec<usize> = self
            .active
            .iter()
            .copied()
            .filter(|s| *s != x && !skip.contains(s))
            .collect();
        for (k, &i) in act.iter().enumerate() {
            for &j in &act[k + 1..] {
                let d = sign * self.third(i, j, x);
                let at = self.at(i, j);
                self.loss[at] += d;
            }
        }
    }

    fn refresh_terms(&mut self, s: usize) {
        for &x in &self.active.clone() {
            let (sx, xs) = (self.at(s, x), self.at(x, s));
            self.q[sx] = self.term(self.n[sx], self.pl[s], self.pr[x]);
            self.q[xs] = self.term(self.n[xs], self.pl[x], self.pr[s]);
        }
    }

    fn refresh_row(&mut self, s: usize) {
        for &x in &self.active.clone() {
            if x != s {
                let (i, j) = (s.min(x), s.max(x));
                let l = self.full_loss(i, j);
                let at = self.at(i, j);
                self.loss[at] = l;
            }
        }
    }

    fn add(
        &mut self,
        word: usize,
        right: &[(usize, f64)],
        left: &[(usize, f64)],
        left_total: f64,
        right_total: f64,
    ) {
        let s = (0..self.slots)
            .find(|s| !self.active.contains(s))
            .expect("a free slot: the window merges before it fills");
        for &x in &self.active {
            let (sx, xs) = (self.at(s, x), self.at(x, s));
            self.n[sx] = 0.0;
            self.n[xs] = 0.0;
        }
        let ss = self.at(s, s);
        self.n[ss] = 0.0;
        self.pl[s] = left_total;
        self.pr[s] = right_total;
        for &(b, c) in right {
            let t = if b == word {
                Some(s)
            } else {
                self.slot_of.get(&b).copied()
            };
            if let Some(t) = t {
                let at = self.at(s, t);
                self.n[at] += c;
            }
        }
        for &(a, c) in left {
            if a == word {
                continue; // counted above as (s, s)
            }
            if let Some(&t) = self.slot_of.get(&a) {
                let at = self.at(t, s);
                self.n[at] += c;
            }
        }
        self.slot_of.insert(word, s);
        self.members[s] = vec![word];
        self.node[s] = word;
        self.active.push(s);
        self.active.sort_unstable();
        self.refresh_terms(s);
        self.shift_losses(s, &[], 1.0);
        self.refresh_row(s);
    }

    /// The active pair with the smallest merge loss (ties: the lowest slots).
    fn best_merge(&self) -> (usize, usize) {
        let mut best = (f64::INFINITY, 0, 0);
        for (k, &i) in self.active.iter().enumerate() {
            for &j in &self.active[k + 1..] {
                let l = self.loss[self.at(i, j)];
                if l < best.0 {
                    best = (l, i, j);
                }
            }
        }
        (best.1, best.2)
    }

    /// Merges slot `b` into slot `a`; the merged cluster is tree node `node` (unused while
    /// words are still entering the window).
    fn merge(&mut self, a: usize, b: usize, node: usize) {
        self.shift_losses(a, &[b], -1.0);
        self.shift_losses(b, &[a], -1.0);
        for &x in &self.active.clone() {
            if x == a || x == b {
                continue;
            }
            let (ax, bx, xa, xb) = (self.at(a, x), self.at(b, x), self.at(x, a), self.at(x, b));
            self.n[ax] += self.n[bx];
            self.n[xa] += self.n[xb];
        }
        let (aa, ab, ba, bb) = (self.at(a, a), self.at(a, b), self.at(b, a), self.at(b, b));
        self.n[aa] += self.n[ab] + self.n[ba] + self.n[bb];
        self.pl[a] += self.pl[b];
        self.pr[a] += self.pr[b];
        self.active.retain(|&x| x != b);
        let moved = std::mem::take(&mut self.members[b]);
        for &w in &moved {
            self.slot_of.insert(w, a);
        }
        self.members[a].extend(moved);
        self.node[a] = node;
        self.refresh_terms(a);
        self.shift_losses(a, &[], 1.0);
        self.refresh_row(a);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(text: &str) -> Vec<Vec<String>> {
        text.lines()
            .map(|l| l.split_whitespace().map(str::to_string).collect())
            .collect()
    }

    /// The loss table kept by incremental updates equals the loss computed from scratch.
    #[test]
    fn incremental_losses_match_full_recomputation() {
        let corpus = sents(
            "the cat sat on the mat\nthe dog sat on the rug\na cat ran to a dog\n\
             the man ran to the city\na woman sat in the city\nthe dog ran on a mat",
        );
        let mut counts: HashMap<String, usize> = HashMap::new();
        for s in &corpus {
            for w in s {
                *counts.entry(w.clone()).or_default() += 1;
            }
        }
        let mut vocab: Vec<(String, usize)> = counts.into_iter().collect();
        vocab.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let idx: HashMap<&str, usize> = vocab
            .iter()
            .enumerate()
            .map(|(i, (w, _))| (w.as_str(), i))
            .collect();
        let mut right: Vec<Vec<(usize, f64)>> = vec![Vec::new(); vocab.len()];
        let mut left: Vec<Vec<(usize, f64)>> = vec![Vec::new(); vocab.len()];
        let (mut lt, mut rt, mut total) = (vec![0.0; vocab.len()], vec![0.0; vocab.len()], 0.0);
        let mut pairs: HashMap<(usize, usize), f64> = HashMap::new();
        for s in &corpus {
            for p in s.windows(2) {
                let (a, b) = (idx[p[0].as_str()], idx[p[1].as_str()]);
                *pairs.entry((a, b)).or_default() += 1.0;
                lt[a] += 1.0;
                rt[b] += 1.0;
                total += 1.0;
            }
        }
        let mut keys: Vec<_> = pairs.keys().copied().collect();
        keys.sort();
        for (a, b) in keys {
            right[a].push((b, pairs[&(a, b)]));
            left[b].push((a, pairs[&(a, b)]));
        }
        let mut w = Window::new(5, total);
        let mut node = vocab.len();
        for word in 0..vocab.len() {
            w.add(word, &right[word], &left[word], lt[word], rt[word]);
            if w.active.len() > 4 {
                let (a, b) = w.best_merge();
                w.merge(a, b, node);
                node += 1;
            }
            for (k, &i) in w.active.iter().enumerate() {
                for &j in &w.active[k + 1..] {
                    let kept = w.loss[w.at(i, j)];
                    let fresh = w.full_loss(i, j);
                    assert!((kept - fresh).abs() < 1e-9, "{i},{j}: {kept} vs {fresh}");
                }
            }
        }
    }

    #[test]
    fn words_in_the_same_contexts_share_a_cluster() {
        let mut text = String::new();
        for _ in 0..20 {
            text.push_str("the cat sat on the mat\nthe dog sat on the rug\n");
            text.push_str("we went to paris today\nwe went to london today\n");
            text.push_str("we went to rome today\nthe cow sat on the bed\n");
        }
        // A window as large as the vocabulary: plain agglomerative clustering.
        let c = WordClusters::train(&sents(&text), 16, 2);
        let common = |a: &str, b: &str| {
            let (pa, pb) = (c.path(a).unwrap(), c.path(b).unwrap());
            (1..=pa.1.min(pb.1))
                .take_while(|&n| c.prefix(a, n) == c.prefix(b, n))
                .count()
        };
        assert!(common("paris", "london") > common("paris", "cat"));
        assert!(common("cat", "dog") > common("cat", "rome"));
        assert_eq!(c.prefix("unseen", 4), 0);
    }

    #[test]
    fn text_round_trip_and_bad_lines() {
        let c = WordClusters::train(&sents("a b c a b c\na c b a"), 2, 1);
        let text = c.to_text();
        assert_eq!(WordClusters::from_text(&text).unwrap(), c);
        assert!(WordClusters::from_text("01x\tword").is_err());
        assert!(WordClusters::from_text("nopath").is_err());
        // Case-folded lookup.
        assert_eq!(c.path("A"), c.path("a"));
    }
}
