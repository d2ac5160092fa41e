//! Sparse multi-class averaged perceptron over hashed features, and its frozen, serializable
//! form.
//!
//! Features are 64-bit hashes (see [`Feat`]); each feature holds weights only for the classes
//! it was ever updated with, so scoring touches few cells.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::NlpError;

/// FxHash-style hasher for already-hashed u64 keys (deterministic, no random state).
#[derive(Default, Clone, Copy)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ b as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u64(&mut self, n: u64) {
        // Keys are already well mixed hashes.
        self.0 = n;
    }
}

pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

const K: u64 = 0x9E37_79B9_7F4A_7C15;

#[inline]
fn mix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// Builds one feature hash from a template id and parts.
#[derive(Clone, Copy)]
pub struct Feat(u64);

impl Feat {
    #[inline]
    pub fn new(template: u32) -> Self {
        Feat(mix(template as u64 ^ K))
    }
    #[inline]
    pub fn u(self, v: u64) -> Self {
        Feat(mix(self.0.wrapping_mul(K) ^ v))
    }
    #[inline]
    pub fn s(self, s: &str) -> Self {
        self.u(hash_str(s))
    }
    #[inline]
    pub fn get(self) -> u64 {
        self.0
    }
}

/// Deterministic string hash (FNV-1a then mixed).
#[inline]
pub fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in s.as_bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    mix(h)
}

#[derive(Clone, Copy)]
struct Cell {
    class: u16,
    w: f32,
    total: f64,
    stamp: u32,
}

/// The trainable perceptron.
pub struct Perceptron {
    pub n_classes: usize,
    weights: FastMap<u64, Vec<Cell>>,
    /// Number of examples seen (the averaging clock).
    pub clock: u32,
}

/// Adds `delta` to one class's weight of a feature, first settling its running total (the
/// averaging is lazy: a weight's total catches up only when the weight changes).
fn bump(cells: &mut Vec<Cell>, class: usize, delta: f32, now: u32) {
    let cell = match cells.iter_mut().position(|c| c.class as usize == class) {
        Some(i) => &mut cells[i],
        None => {
            cells.push(Cell {
                class: class as u16,
                w: 0.0,
                total: 0.0,
                stamp: now,
            });
            cells.last_mut().expect("pushed")
        }
    };
    cell.total += (now - cell.stamp) as f64 * cell.w as f64;
    cell.stamp = now;
    cell.w += delta;
}

impl Perceptron {
    pub fn new(n_classes: usize) -> Self {
        Perceptron {
            n_classes,
            weights: FastMap::default(),
            clock: 0,
        }
    }

    /// Adds the current weights of `feats` into `scores` (length `n_classes`).
    pub fn score(&self, feats: &[u64], scores: &mut [f32]) {
        scores.iter_mut().for_each(|s| *s = 0.0);
        for f in feats {
            if let Some(cells) = self.weights.get(f) {
                for c in cells {
                    scores[c.class as usize] += c.w;
                }
            }
        }
    }

    /// Advances the averaging clock by one example.
    pub fn tick(&mut self) {
        self.clock += 1;
    }

    /// Adds `delta` to the weight of `class` on every feature (a global update adds the
    /// gold sequence's moves and subtracts the predicted sequence's, one move at a time).
    pub fn update_class(&mut self, class: usize, feats: &[u64], delta: f32) {
        let now = self.clock;
        for &f in feats {
            bump(self.weights.entry(f).or_default(), class, delta, now);
        }
    }

    /// Perceptron update: +1 for `truth`, −1 for `guess` on every feature.
    pub fn update(&mut self, truth: usize, guess: usize, feats: &[u64]) {
        if truth == guess {
            return;
        }
        let now = self.clock;
        for &f in feats {
            let cells = self.weights.entry(f).or_default();
            bump(cells, truth, 1.0, now);
            bump(cells, guess, -1.0, now);
        }
    }

    /// Averages the weights, keeps the `max_weights` largest in magnitude, and freezes the model with
    /// 32-bit feature keys (features whose keys collide are merged) and 16-bit weights.
    pub fn average(&self, max_weights: usize) -> Model {
        Perceptron::average_runs(&[self], max_weights)
    }

    /// Like [`Perceptron::average`], over several runs on the same data (other shuffle
    /// seeds): the mean of their averaged weights, so the frozen model scores as the mean
    /// of the runs' scores at the cost of one model.
    pub fn average_runs(runs: &[&Perceptron], max_weights: usize) -> Model {
        let mut merged: std::collections::BTreeMap<u32, Vec<(u16, f32)>> = Default::default();
        let n_classes = runs.first().map_or(1, |p| p.n_classes);
        let share = 1.0 / runs.len().max(1) as f64;
        for p in runs {
            let now = p.clock.max(1);
            for (&k, cells) in &p.weights {
                let key = Model::key(k);
                for c in cells {
                    let total = c.total + (now - c.stamp) as f64 * c.w as f64;
                    let w = (total / now as f64 * share) as f32;
                    if w != 0.0 {
                        let e = merged.entry(key).or_default();
                        match e.iter_mut().find(|x| x.0 == c.class) {
                            Some(x) => x.1 += w,
                            None => e.push((c.class, w)),
                        }
                    }
                }
            }
        }
        let max = merged
            .values()
            .flat_map(|v| v.iter())
            .fold(0f32, |m, w| m.max(w.1.abs()));
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        let mut mags: Vec<f32> = merged
            .values()
            .flat_map(|v| v.iter().map(|x| x.1.abs()))
            .collect();
        let min_abs = if mags.len() > max_weights && max_weights > 0 {
            let k = mags.len() - max_weights;
            *mags.select_nth_unstable_by(k, |a, b| a.total_cmp(b)).1
        } else {
            0.0
        };
        drop(mags);
        let mut features = Vec::new();
        for (key, mut ws) in merged {
            ws.sort_unstable_by_key(|x| x.0);
            let mut cells = Vec::new();
            for &(c, w) in &ws {
                let q = (w / scale).round();
                if w.abs() >= min_abs && q != 0.0 {
                    cells.push((c as u8, q as i16));
                }
            }
            if !cells.is_empty() {
                features.push((key, cells));
            }
        }
        let mut model = Model::empty(n_classes, scale);
        model.build(&features);
        model
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Slot {
    key: u32,
    /// `INLINE | class << 16 | weight as u16` for a feature with one cell; `DENSE | row` for
    /// a feature stored as a dense row; else `(len - 1) << RUN_BITS | start` into `runs`.
    val: u32,
}

const INLINE: u32 = 1 << 31;
const DENSE: u32 = 1 << 30;
const RUN_BITS: u32 = 23;
const RUN_MASK: u32 = (1 << RUN_BITS) - 1;
/// Classes per cache line of a dense row.
const LANES: usize = 32;

/// One cache line of a dense row.
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(align(64))]
struct Line([i16; LANES]);

/// Adds one line of a dense row to the accumulators (fixed size, so it vectorizes).
#[inline]
fn add_line(acc: &mut [i32; LANES], w: &[i16; LANES]) {
    let mut a = *acc;
    let w = *w;
    for (x, &y) in a.iter_mut().zip(&w) {
        *x += y as i32;
    }
    *acc = a;
}

/// Home slot of a key: its top bits. Keys are uniform hashes, and inserting them in sorted
/// order then fills the table front to back (fast loading).
#[inline]
fn slot_of(k: u32, cap: usize) -> usize {
    ((k as u64 * cap as u64) >> 32) as usize
}

/// A frozen, averaged model: 32-bit feature keys in an open-addressing table, sparse
/// per-feature class weights quantized to i16 with one scale. Scores are summed exactly in
/// integers and scaled once.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub n_classes: usize,
    scale: f32,
    /// Open addressing on the key (key 0 = empty slot).
    table: Vec<Slot>,
    cap: usize,
    /// Cells of features with a few classes.
    runs: Vec<(u8, i16)>,
    /// Dense rows (`stride` lines each) of features with many cells.
    dense: Vec<Line>,
    /// Cache lines per dense row.
    stride: usize,
    n_features: usize,
    n_weights: usize,
}

impl Model {
    /// An empty model (no features).
    pub fn empty(n_classes: usize, scale: f32) -> Self {
        assert!(n_classes <= 256, "at most 256 classes");
        Model {
            n_classes,
            scale,
            table: Vec::new(),
            cap: 0,
            runs: Vec::new(),
            dense: Vec::new(),
            stride: n_classes.div_ceil(LANES),
            n_features: 0,
            n_weights: 0,
        }
    }

    /// The 32-bit key of a 64-bit feature hash.
    #[inline]
    pub fn key(f: u64) -> u32 {
        match (f >> 32) as u32 {
            0 => 1,
            k => k,
        }
    }

    /// Builds the table from features in ascending key order with their (class, weight)
    /// cells (classes ascending, weights non-zero).
    fn build(&mut self, features: &[(u32, Vec<(u8, i16)>)]) {
        self.start_table(features.len(), 0);
        for (k, cells) in features {
            self.insert(*k, cells);
        }
    }

    /// Allocates the table for `n` features (about `cells` cells in all).
    fn start_table(&mut self, n: usize, cells: usize) {
        let cap = n * 3 / 2 + 16;
        // One spare slot past the home range: the table never wraps around, and an empty
        // slot always ends it (the probe loops rely on that sentinel).
        self.table = vec![Slot::default(); cap + 1];
        self.cap = cap;
        self.runs = Vec::with_capacity(cells);
        self.dense.clear();
        self.n_features = 0;
        self.n_weights = 0;
    }

    /// Adds one feature (keys in ascending order, so slots fill front to back).
    fn insert(&mut self, k: u32, cells: &[(u8, i16)]) {
        // Rows of at least this many cells are dense (a sparse cell costs 4 bytes and a
        // scattered add, a dense row 2 bytes per class added with vector instructions).
        let dense_min = (self.n_classes / 4).max(2);
        self.n_features += 1;
        self.n_weights += cells.len();
        let mut slot = slot_of(k, self.cap);
        while self.table[slot].key != 0 {
            slot += 1;
        }
        if slot + 1 == self.table.len() {
            self.table.push(Slot::default());
        }
        let val = if cells.len() == 1 {
            let (c, w) = cells[0];
            INLINE | (c as u32) << 16 | w as u16 as u32
        } else if cells.len() >= dense_min
            || cells.len() > 128
            || self.runs.len() + cells.len() > RUN_MASK as usize
        {
            let row = self.dense.len() / self.stride;
            self.dense
                .resize(self.dense.len() + self.stride, Line([0; LANES]));
            for &(c, w) in cells {
                let c = c as usize;
                self.dense[row * self.stride + c / LANES].0[c % LANES] = w;
            }
            DENSE | row as u32
        } else {
            let start = self.runs.len() as u32;
            self.runs.extend_from_slice(cells);
            (cells.len() as u32 - 1) << RUN_BITS | start
        };
        self.table[slot] = Slot { key: k, val };
    }

    /// The (class, weight) cells of a table entry.
    fn cells_of(&self, val: u32, out: &mut Vec<(u8, i16)>) {
        out.clear();
        if val & INLINE != 0 {
            out.push(((val >> 16) as u8, val as u16 as i16));
        } else if val & DENSE != 0 {
            let row = (val & !DENSE) as usize * self.stride;
            for c in 0..self.n_classes {
                let w = self.dense[row + c / LANES].0[c % LANES];
                if w != 0 {
                    out.push((c as u8, w));
                }
            }
        } else {
            let start = (val & RUN_MASK) as usize;
            let len = (val >> RUN_BITS) as usize + 1;
            out.extend_from_slice(&self.runs[start..start + len]);
        }
    }

    pub fn n_features(&self) -> usize {
        self.n_features
    }
    pub fn n_weights(&self) -> usize {
        self.n_weights
    }

    /// Sums the weights of `feats` per class into `scores`. Table slots are loaded in a
    /// first, branch-free pass and the weight rows touched in a second, so the cache misses
    /// overlap; the sums are exact (integers) and scaled once.
    pub fn score(&self, feats: &[u64], scores: &mut [f32]) {
        const CHUNK: usize = 32;
        let mut acc = [[0i32; LANES]; 256 / LANES + 1];
        let acc = &mut acc[..self.stride];
        if !self.table.is_empty() {
            let mut idx = [0usize; CHUNK];
            let mut first = [Slot::default(); CHUNK];
            let mut ents = [0u32; CHUNK];
            for chunk in feats.chunks(CHUNK) {
                for (j, &f) in chunk.iter().enumerate() {
                    idx[j] = slot_of(Model::key(f), self.cap);
                }
                for j in 0..chunk.len() {
                    first[j] = self.table[idx[j]];
                }
                let mut found = 0;
                for (j, &f) in chunk.iter().enumerate() {
                    let k = Model::key(f);
                    let mut slot = idx[j];
                    let mut e = first[j];
                    // Keys arrive in ascending order and the table never wraps, so keys
                    // ascend along it: a probe ends at the first larger key, which makes a
                    // miss (a quarter of the parser's lookups) as short as a hit.
                    while e.key < k && e.key != 0 {
                        slot += 1;
                        e = self.table[slot];
                    }
                    if e.key == k {
                        ents[found] = e.val;
                        found += 1;
                    }
                }
                // Touch every row first (independent loads, fetched in parallel).
                let mut touch = 0i32;
                for &v in &ents[..found] {
                    if v & INLINE != 0 {
                    } else if v & DENSE != 0 {
                        touch ^= self.dense[(v & !DENSE) as usize * self.stride].0[0] as i32;
                    } else {
                        touch ^= self.runs[(v & RUN_MASK) as usize].1 as i32;
                    }
                }
                std::hint::black_box(touch);
                for &v in &ents[..found] {
                    if v & INLINE != 0 {
                        let c = (v >> 16 & 0xff) as usize;
                        acc[c / LANES][c % LANES] += v as u16 as i16 as i32;
                    } else if v & DENSE != 0 {
                        let row = (v & !DENSE) as usize * self.stride;
                        for (a, line) in acc.iter_mut().zip(&self.dense[row..row + self.stride]) {
                            add_line(a, &line.0);
                        }
                    } else {
                        let start = (v & RUN_MASK) as usize;
                        let len = (v >> RUN_BITS) as usize + 1;
                        for &(c, w) in &self.runs[start..start + len] {
                            acc[c as usize / LANES][c as usize % LANES] += w as i32;
                        }
                    }
                }
            }
        }
        for (s, &a) in scores.iter_mut().zip(acc.iter().flatten()) {
            *s = a as f32 * self.scale;
        }
    }

    /// Appends the binary form (little endian): n_classes u32, scale f32, n_features u32,
    /// then per feature in ascending key order: key u32, count − 1 u8, (class u8, weight
    /// i16) × count.
    pub fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&(self.n_classes as u32).to_le_bytes());
        out.extend_from_slice(&self.scale.to_le_bytes());
        out.extend_from_slice(&(self.n_features as u32).to_le_bytes());
        let mut slots: Vec<Slot> = self.table.iter().copied().filter(|s| s.key != 0).collect();
        slots.sort_unstable_by_key(|s| s.key);
        let mut cells = Vec::new();
        for s in slots {
            self.cells_of(s.val, &mut cells);
            out.extend_from_slice(&s.key.to_le_bytes());
            out.push((cells.len() - 1) as u8);
            for &(c, w) in &cells {
                out.push(c);
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
    }

    pub fn read(r: &mut Reader<'_>) -> Result<Self, NlpError> {
        let n_classes = r.u32()? as usize;
        if n_classes == 0 || n_classes > 256 {
            return Err(NlpError::Model("bad class count".into()));
        }
        let scale = r.f32()?;
        let n = r.u32()? as usize;
        let total = count_cells(r.rest(), n)?;
        let mut m = Model::empty(n_classes, scale);
        m.start_table(n, total);
        let mut cells: Vec<(u8, i16)> = Vec::with_capacity(256);
        let mut last = 0u32;
        for _ in 0..n {
            let k = r.u32()?;
            if k <= last {
                return Err(NlpError::Model("feature keys out of order".into()));
            }
            last = k;
            let len = r.bytes(1)?[0] as usize + 1;
            let raw = r.bytes(3 * len)?;
            cells.clear();
            let mut prev = None;
            for c in raw.chunks_exact(3) {
                if c[0] as usize >= n_classes || prev.is_some_and(|p| p >= c[0]) {
                    return Err(NlpError::Model("class out of range or order".into()));
                }
                prev = Some(c[0]);
                let w = i16::from_le_bytes([c[1], c[2]]);
                if w == 0 {
                    return Err(NlpError::Model("zero weight in model file".into()));
                }
                cells.push((c[0], w));
            }
            m.insert(k, &cells);
        }
        Ok(m)
    }
}

/// Number of cells of the `n` features at the start of `buf` (a quick pre-scan).
fn count_cells(buf: &[u8], n: usize) -> Result<usize, NlpError> {
    let (mut pos, mut cells) = (0usize, 0usize);
    for _ in 0..n {
        let len = *buf
            .get(pos + 4)
            .ok_or_else(|| NlpError::Model("truncated model file".into()))?
            as usize
            + 1;
        cells += len;
        pos += 5 + 3 * len;
    }
    Ok(cells)
}

/// Little-endian cursor over a model file.
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }
    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], NlpError> {
        if self.pos + n > self.buf.len() {
            return Err(NlpError::Model("truncated model file".into()));
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    pub fn u16(&mut self) -> Result<u16, NlpError> {
        Ok(u16::from_le_bytes(self.bytes(2)?.try_into().expect("2")))
    }
    pub fn u32(&mut self) -> Result<u32, NlpError> {
        Ok(u32::from_le_bytes(self.bytes(4)?.try_into().expect("4")))
    }
    pub fn u64(&mut self) -> Result<u64, NlpError> {
        Ok(u64::from_le_bytes(self.bytes(8)?.try_into().expect("8")))
    }
    pub fn f32(&mut self) -> Result<f32, NlpError> {
        Ok(f32::from_le_bytes(self.bytes(4)?.try_into().expect("4")))
    }
    pub fn string(&mut self) -> Result<String, NlpError> {
        let n = self.u32()? as usize;
        let b = self.bytes(n)?;
        String::from_utf8(b.to_vec()).map_err(|_| NlpError::Model("invalid UTF-8".into()))
    }
    pub fn strings(&mut self) -> Result<Vec<String>, NlpError> {
        let n = self.u32()? as usize;
        (0..n).map(|_| self.string()).collect()
    }
    pub fn rest(&self) -> &'a [u8] {
        &self.buf[self.pos..]
    }
    pub fn at_end(&self) -> bool {
        self.pos == self.buf.len()
    }
}

pub fn write_string(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

pub fn write_strings(out: &mut Vec<u8>, v: &[String]) {
    out.extend_from_slice(&(v.len() as u32).to_le_bytes());
    for s in v {
        write_string(out, s);
    }
}

/// Checks and skips a `magic` + version header.
pub fn read_header(r: &mut Reader<'_>, magic: &[u8; 8], version: u32) -> Result<(), NlpError> {
    read_header_of(r, magic, &[version]).map(|_| ())
}

/// Reads the magic and a version that is one of `versions`; returns the version.
pub fn read_header_of(
    r: &mut Reader<'_>,
    magic: &[u8; 8],
    versions: &[u32],
) -> Result<u32, NlpError> {
    let m = r.bytes(8)?;
    if m != magic {
        return Err(NlpError::Model(format!(
            "bad magic: expected {:?}",
            String::from_utf8_lossy(magic)
        )));
    }
    let v = r.u32()?;
    if !versions.contains(&v) {
        return Err(NlpError::Model(format!(
            "model version {v}, this build reads {versions:?}"
        )));
    }
    Ok(v)
}

pub fn write_header(out: &mut Vec<u8>, magic: &[u8; 8], version: u32) {
    out.extend_from_slice(magic);
    out.extend_from_slice(&version.to_le_bytes());
}

/// Seeded xorshift64* RNG, so training is reproducible bit for bit.
pub struct XorShift(u64);

impl XorShift {
    pub fn new(seed: u64) -> Self {
        XorShift(mix(seed ^ K) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

#[inline]
pub fn argmax(scores: &[f32]) -> usize {
    let mut best = 0;
    for i in 1..scores.len() {
        if scores[i] > scores[best] {
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_and_round_trips() {
        let mut p = Perceptron::new(3);
        // Real features are well-mixed hashes; the frozen model keys on their high 32 bits.
        let h = |t: u32| Feat::new(t).get();
        let data = [
            (vec![h(1), h(10)], 0usize),
            (vec![h(2), h(10)], 1),
            (vec![h(3), h(10)], 2),
        ];
        let mut scores = vec![0.0; 3];
        for _ in 0..5 {
            for (f, y) in &data {
                p.score(f, &mut scores);
                let g = argmax(&scores);
                p.update(*y, g, f);
                p.tick();
            }
        }
        let m = p.average(usize::MAX);
        for (f, y) in &data {
            m.score(f, &mut scores);
            assert_eq!(argmax(&scores), *y);
        }
        let mut buf = Vec::new();
        m.write(&mut buf);
        let m2 = Model::read(&mut Reader::new(&buf)).unwrap();
        assert_eq!(m, m2);
        assert!(Model::read(&mut Reader::new(&buf[..buf.len() - 1])).is_err());
    }

    #[test]
    fn averaged_runs_score_as_the_mean_of_the_runs() {
        let h = |t: u32| Feat::new(t).get();
        // Two runs that learned opposite preferences for the same feature, one of them also
        // a second feature: the mean cancels the first and halves the second.
        let mut a = Perceptron::new(2);
        a.update(0, 1, &[h(1)]);
        a.update(0, 1, &[h(2)]);
        a.tick();
        let mut b = Perceptron::new(2);
        b.update(1, 0, &[h(1)]);
        b.tick();
        let mean = Perceptron::average_runs(&[&a, &b], usize::MAX);
        let mut scores = vec![0.0; 2];
        mean.score(&[h(1)], &mut scores);
        assert_eq!(scores, vec![0.0, 0.0]);
        mean.score(&[h(2)], &mut scores);
        let (mut one, mut alone) = (vec![0.0; 2], vec![0.0; 2]);
        a.average(usize::MAX).score(&[h(2)], &mut one);
        Perceptron::average_runs(&[&a], usize::MAX).score(&[h(2)], &mut alone);
        assert_eq!(one, alone, "one run averages as `average` does");
        assert!((scores[0] - one[0] / 2.0).abs() < 1e-3 * one[0].abs());
        assert!((scores[1] - one[1] / 2.0).abs() < 1e-3 * one[1].abs());
    }

    #[test]
    fn frozen_scores_match_the_cells() {
        // Features with 1 (inline), 3 (sparse) and 60 (dense) cells over 100 classes.
        let n = 100;
        let mut features = Vec::new();
        let mut want = vec![0i32; n];
        for (i, len) in [1usize, 3, 60, 2, 1].into_iter().enumerate() {
            let cells: Vec<(u8, i16)> = (0..len)
                .map(|j| {
                    (
                        (j * 7 + i) as u8 % n as u8,
                        (j as i16 + 1) * if i % 2 == 0 { 3 } else { -5 },
                    )
                })
                .collect();
            let mut cells = cells;
            cells.sort_unstable_by_key(|c| c.0);
            cells.dedup_by_key(|c| c.0);
            for &(c, w) in &cells {
                want[c as usize] += w as i32;
            }
            features.push((((i as u32) + 1) << 28, cells));
        }
        let mut m = Model::empty(n, 0.5);
        m.build(&features);
        let feats: Vec<u64> = features.iter().map(|(k, _)| (*k as u64) << 32).collect();
        let mut scores = vec![0f32; n];
        m.score(&feats, &mut scores);
        for c in 0..n {
            assert_eq!(scores[c], want[c] as f32 * 0.5);
        }
        let mut buf = Vec::new();
        m.write(&mut buf);
        let back = Model::read(&mut Reader::new(&buf)).unwrap();
        assert_eq!(back, m);
        assert_eq!(
            back.n_weights(),
            features.iter().map(|f| f.1.len()).sum::<usize>()
        );
    }

    #[test]
    fn probes_stop_at_larger_keys_and_run_past_the_home_range() {
        // Keys crowded onto the last home slots overflow past `cap`; absent keys between and
        // around present ones must miss, present ones must hit (early exit on a larger key).
        let n = 4;
        let mut keys: Vec<u32> = (0..200u32).map(|i| u32::MAX - 2 * i).collect();
        keys.extend([2, 4, 6, 1 << 20, 1 << 31]);
        keys.sort_unstable();
        let features: Vec<(u32, Vec<(u8, i16)>)> = keys
            .iter()
            .map(|&k| (k, vec![((k % n) as u8, 1 + (k % 7) as i16)]))
            .collect();
        let mut m = Model::empty(n as usize, 1.0);
        m.build(&features);
        let mut scores = vec![0f32; n as usize];
        for &k in &keys {
            m.score(&[(k as u64) << 32], &mut scores);
            assert_eq!(scores[(k % n) as usize], (1 + k % 7) as f32, "key {k:#x}");
            for probe in [k - 1, k.wrapping_add(1)] {
                if probe != 0 && keys.binary_search(&probe).is_err() {
                    m.score(&[(probe as u64) << 32], &mut scores);
                    assert!(scores.iter().all(|&s| s == 0.0), "absent key {probe:#x}");
                }
            }
        }
    }

    #[test]
    fn header_checks_version() {
        let mut buf = Vec::new();
        write_header(&mut buf, b"NGTEST01", 3);
        assert!(read_header(&mut Reader::new(&buf), b"NGTEST01", 3).is_ok());
        assert!(read_header(&mut Reader::new(&buf), b"NGTEST01", 4).is_err());
        assert!(read_header(&mut Reader::new(&buf), b"NGOTHER1", 3).is_err());
    }

    #[test]
    fn rng_is_deterministic() {
        let mut a = XorShift::new(7);
        let mut b = XorShift::new(7);
        let va: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let vb: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        assert_eq!(va, vb);
        assert_ne!(XorShift::new(8).next_u64(), va[0]);
    }
}
