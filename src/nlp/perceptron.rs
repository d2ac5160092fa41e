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

    /// Perceptron update: +1 for `truth`, −1 for `guess` on every feature.
    pub fn update(&mut self, truth: usize, guess: usize, feats: &[u64]) {
        if truth == guess {
            return;
        }
        let now = self.clock;
        for &f in feats {
            let cells = self.weights.entry(f).or_default();
            for (class, delta) in [(truth, 1.0f32), (guess, -1.0f32)] {
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
        }
    }

    /// Averages the weights, keeps the `max_weights` largest in magnitude, and freezes the model with
    /// 32-bit feature keys (features whose keys collide are merged) and 16-bit weights.
    pub fn average(&self, max_weights: usize) -> Model {
        let now = self.clock.max(1);
        let mut merged: std::collections::BTreeMap<u32, Vec<(u16, f32)>> = Default::default();
        for (&k, cells) in &self.weights {
            let key = Model::key(k);
            for c in cells {
                let total = c.total + (now - c.stamp) as f64 * c.w as f64;
                let w = (total / now as f64) as f32;
                if w != 0.0 {
                    let e = merged.entry(key).or_default();
                    match e.iter_mut().find(|x| x.0 == c.class) {
                        Some(x) => x.1 += w,
                        None => e.push((c.class, w)),
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
        let mut model = Model::empty(self.n_classes, scale);
        let mut cells = Vec::new();
        for (key, mut ws) in merged {
            ws.sort_unstable_by_key(|x| x.0);
            cells.clear();
            for &(c, w) in &ws {
                let q = (w / scale).round();
                if w.abs() >= min_abs && q != 0.0 {
                    cells.push((c as u8, q as i16));
                }
            }
            if !cells.is_empty() {
                model.push(key, &cells);
            }
        }
        model.build_table();
        model
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Slot {
    key: u32,
    start: u32,
    end: u32,
}

/// `Slot::end` of a feature stored as a dense row.
const DENSE: u32 = u32::MAX;

/// Home slot of a key: its top bits. Keys are uniform hashes, and inserting them in sorted
/// order then fills the table front to back (fast loading).
#[inline]
fn slot_of(k: u32, cap: usize) -> usize {
    ((k as u64 * cap as u64) >> 32) as usize
}

/// A frozen, averaged model: 32-bit feature keys in an open-addressing table, sparse
/// per-feature class weights quantized to i16 with one scale.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub n_classes: usize,
    scale: f32,
    /// Feature keys in ascending order (never 0).
    keys: Vec<u32>,
    /// `starts[i]..starts[i + 1]` are feature i's cells.
    starts: Vec<u32>,
    /// Dequantized (class, weight) cells, used for scoring.
    cells: Vec<(u8, f32)>,
    /// Dense rows (`n_classes` weights) of features with many cells.
    dense: Vec<f32>,
    /// Open addressing on the key (key 0 = empty slot), holding the feature's cell range.
    table: Vec<Slot>,
    cap: usize,
}

impl Model {
    pub fn empty(n_classes: usize, scale: f32) -> Self {
        assert!(n_classes <= 256, "at most 256 classes");
        Model {
            n_classes,
            scale,
            keys: Vec::new(),
            starts: vec![0],
            cells: Vec::new(),
            dense: Vec::new(),
            table: Vec::new(),
            cap: 0,
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

    fn push(&mut self, key: u32, cells: &[(u8, i16)]) {
        for &(c, q) in cells {
            self.cells.push((c, q as f32 * self.scale));
        }
        self.keys.push(key);
        self.starts.push(self.cells.len() as u32);
    }

    fn build_table(&mut self) {
        let cap = self.keys.len() * 3 / 2 + 16;
        self.table = vec![Slot::default(); cap];
        self.dense.clear();
        self.cap = cap;
        for (i, &k) in self.keys.iter().enumerate() {
            let mut slot = slot_of(k, cap);
            while self.table[slot].key != 0 {
                slot = if slot + 1 == cap { 0 } else { slot + 1 };
            }
            let (start, end) = (self.starts[i], self.starts[i + 1]);
            self.table[slot] = if (end - start) as usize * 8 >= self.n_classes {
                let row = self.dense.len();
                self.dense.resize(row + self.n_classes, 0.0);
                for &(c, w) in &self.cells[start as usize..end as usize] {
                    self.dense[row + c as usize] = w;
                }
                Slot {
                    key: k,
                    start: row as u32,
                    end: DENSE,
                }
            } else {
                Slot { key: k, start, end }
            };
        }
    }

    pub fn n_features(&self) -> usize {
        self.keys.len()
    }
    pub fn n_weights(&self) -> usize {
        self.cells.len()
    }

    /// Sums the weights of `feats` per class into `scores`. Table slots are loaded in a
    /// first, branch-free pass so the cache misses overlap.
    pub fn score(&self, feats: &[u64], scores: &mut [f32]) {
        scores.iter_mut().for_each(|s| *s = 0.0);
        if self.table.is_empty() {
            return;
        }
        const CHUNK: usize = 32;
        let mut idx = [0usize; CHUNK];
        let mut ents = [Slot::default(); CHUNK];
        for chunk in feats.chunks(CHUNK) {
            for (j, &f) in chunk.iter().enumerate() {
                idx[j] = slot_of(Model::key(f), self.cap);
            }
            for j in 0..chunk.len() {
                ents[j] = self.table[idx[j]];
            }
            let mut found = 0;
            for (j, &f) in chunk.iter().enumerate() {
                let k = Model::key(f);
                let mut e = ents[j];
                let mut slot = idx[j];
                while e.key != k && e.key != 0 {
                    slot = if slot + 1 == self.cap { 0 } else { slot + 1 };
                    e = self.table[slot];
                }
                if e.key == k {
                    ents[found] = e;
                    found += 1;
                }
            }
            let n = scores.len();
            for e in &ents[..found] {
                if e.end == DENSE {
                    // A frequent feature: a full row, added with vector instructions.
                    let row = &self.dense[e.start as usize..e.start as usize + n];
                    for (s, w) in scores.iter_mut().zip(row) {
                        *s += *w;
                    }
                } else {
                    for &(c, w) in &self.cells[e.start as usize..e.end as usize] {
                        scores[c as usize] += w;
                    }
                }
            }
        }
    }

    /// Appends the binary form (little endian): n_classes u32, scale f32, n_features u32,
    /// then per feature: key u32, count u8, (class u8, weight i16) × count.
    pub fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&(self.n_classes as u32).to_le_bytes());
        out.extend_from_slice(&self.scale.to_le_bytes());
        out.extend_from_slice(&(self.keys.len() as u32).to_le_bytes());
        for (i, &k) in self.keys.iter().enumerate() {
            let (s, e) = (self.starts[i] as usize, self.starts[i + 1] as usize);
            out.extend_from_slice(&k.to_le_bytes());
            out.push((e - s - 1) as u8);
            for j in s..e {
                let (c, w) = self.cells[j];
                out.push(c);
                out.extend_from_slice(&((w / self.scale).round() as i16).to_le_bytes());
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
        let mut m = Model::empty(n_classes, scale);
        m.keys.reserve(n);
        m.starts.reserve(n);
        m.cells.reserve_exact(count_cells(r.rest(), n)?);
        let mut cells = Vec::new();
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
            for c in raw.chunks_exact(3) {
                if c[0] as usize >= n_classes {
                    return Err(NlpError::Model("class out of range".into()));
                }
                cells.push((c[0], i16::from_le_bytes([c[1], c[2]])));
            }
            m.push(k, &cells);
        }
        m.build_table();
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
    let m = r.bytes(8)?;
    if m != magic {
        return Err(NlpError::Model(format!(
            "bad magic: expected {:?}",
            String::from_utf8_lossy(magic)
        )));
    }
    let v = r.u32()?;
    if v != version {
        return Err(NlpError::Model(format!(
            "model version {v}, this build reads {version}"
        )));
    }
    Ok(())
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
