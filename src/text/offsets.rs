//! Byte offsets (what Rust slices use) to character offsets (what NIF and the IR use).

/// Maps byte offsets of one text to character offsets in O(log n) per lookup.
pub struct CharOffsets {
    /// For every non-ASCII char: (byte offset just after it, char offset just after it).
    /// Between two entries all chars are ASCII, so offsets advance one for one.
    checkpoints: Vec<(usize, usize)>,
    len_bytes: usize,
    len_chars: usize,
}

impl CharOffsets {
    pub fn new(text: &str) -> Self {
        let mut checkpoints = Vec::new();
        let mut chars = 0;
        for (byte, ch) in text.char_indices() {
            chars += 1;
            if ch.len_utf8() > 1 {
                checkpoints.push((byte + ch.len_utf8(), chars));
            }
        }
        CharOffsets {
            checkpoints,
            len_bytes: text.len(),
            len_chars: chars,
        }
    }

    /// Character offset of byte offset `byte` (on a char boundary, or the end of the text).
    pub fn char_of(&self, byte: usize) -> usize {
        if byte >= self.len_bytes {
            return self.len_chars;
        }
        let idx = self.checkpoints.partition_point(|&(b, _)| b <= byte);
        match idx {
            0 => byte,
            _ => {
                let (b, c) = self.checkpoints[idx - 1];
                c + (byte - b)
            }
        }
    }

    pub fn len_chars(&self) -> usize {
        self.len_chars
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_char_indices() {
        for text in ["", "abc", "Milley’s “conduct” — é 中文 x", "’’’", "a’b’c"]
        {
            let offsets = CharOffsets::new(text);
            for (ci, (bi, _)) in text.char_indices().enumerate() {
                assert_eq!(offsets.char_of(bi), ci, "{text:?} at byte {bi}");
            }
            assert_eq!(offsets.char_of(text.len()), text.chars().count());
        }
    }
}
