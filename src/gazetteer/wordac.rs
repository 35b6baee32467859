//! The word-aligned Aho-Corasick automaton of the gazetteer matcher: its
//! tables and their breadth-first build. (The build script compiles this
//! file too, to embed the tables of the embedded gazetteer: it uses
//! nothing of the crate.)

use std::ops::{Deref, DerefMut};

/// The start state: no pattern prefix is pending and a match may start at
/// the next byte (the text start, or after a byte that is not an ASCII
/// letter or digit). It is also the root of the trie.
pub(crate) const START: u32 = 0;
/// No pattern prefix is pending and the next byte is inside a word, where
/// no valid match can start.
pub(crate) const IN_WORD: u32 = 1;
/// A state as the search loop holds it (see [`WordAc::code`]) is a
/// shallow state's row offset in [`WordAc::dense`], or a deeper state's
/// number with this bit …
pub(crate) const SPARSE: u32 = 1 << 30;
/// … and this bit if a pattern ends there.
pub(crate) const MATCH: u32 = 1 << 31;
pub(crate) const CODE: u32 = SPARSE - 1;
/// States of at most this depth have a row of resolved transitions
/// (through their failure links) by byte class: most bytes are read
/// among them. (About 2.9 MB of rows, built in about 0.4 M instructions
/// more than depth 3's 1.2 MB, for 16% fewer instructions in the search:
/// many common words start with four letters of some name; depth 2 would
/// take 0.2 MB and 35% more instructions than depth 3.)
pub(crate) const DENSE_DEPTH: u32 = 4;

/// An Aho-Corasick automaton whose matches start only where a word can
/// start: at the text start or after a byte that is not an ASCII letter
/// or digit. Every valid match of [`Matcher::find`] starts there (the
/// character before it is no letter or digit), so the automaton follows
/// only those prefixes: a state is the longest pattern prefix that ends
/// the text read and starts at such a place, its failure link the next
/// longest. Inside a word the state soon falls to [`IN_WORD`], which stays
/// there to the end of the word; most bytes are read in shallow states,
/// by one lookup in a table of resolved transitions.
///
/// States are numbered breadth-first, so the children of a state are
/// consecutive states; `byte[c]` is the byte on the edge into state `c`.
/// The shallow states (the first `dense_states`) have resolved transitions.
#[derive(Clone, Debug)]
pub(crate) struct WordAc {
    /// The class of every byte: bytes of the patterns (a capital letter as
    /// its lower case) have a class each; the others are either a letter
    /// or digit or not.
    pub(crate) class: Box<[u8; 256]>,
    pub(crate) classes: usize,
    /// States `0..dense_states` (those of depth up to [`DENSE_DEPTH`]) …
    pub(crate) dense_states: u32,
    /// … and their transitions: `dense[s * classes + class[b]]`, coded by
    /// [`WordAc::code`].
    pub(crate) dense: Table<u32>,
    /// How the search steps from each deeper state (by state number; the
    /// shallow states' entries are unused).
    pub(crate) deep: Table<Deep>,
    pub(crate) states: Table<AcState>,
    pub(crate) byte: Table<u8>,
    /// The patterns ending at each state (`own_pids[own_start[s]..own_start[s + 1]]`),
    /// by pattern number.
    pub(crate) own_start: Table<u32>,
    pub(crate) own_pids: Table<u32>,
    /// The next state on the failure chain that ends a pattern ([`START`] if none).
    pub(crate) out_link: Table<u32>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(C)]
pub(crate) struct AcState {
    /// The first child (children are consecutive states).
    pub(crate) first: u32,
    /// The failure link.
    pub(crate) fail: u32,
    /// The length of the prefix.
    pub(crate) depth: u32,
    /// The number of children.
    pub(crate) len: u16,
    /// Does a pattern end here or on the failure chain?
    pub(crate) is_match: bool,
    /// (0: the struct has no padding, so its bytes can be embedded)
    pub(crate) pad: u8,
}

/// A deeper state as the search steps from it: most have one child, and
/// a failure link to a shallow state, whose row then gives the transition.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(C)]
pub(crate) struct Deep {
    /// The code of the only child (if `kind` is [`ONE`]).
    pub(crate) child: u32,
    /// The code of the failure link (without [`MATCH`]).
    pub(crate) fail: u32,
    /// The (lower-case) byte into the only child.
    pub(crate) byte: u8,
    /// [`LEAF`], [`ONE`] or [`MANY`] children.
    pub(crate) kind: u8,
    /// (0: no padding)
    pub(crate) pad: [u8; 2],
}
pub(crate) const LEAF: u8 = 0;
pub(crate) const ONE: u8 = 1;
pub(crate) const MANY: u8 = 2;

/// Can a match start after byte `b` (seen as ASCII)?
#[inline]
pub(crate) fn word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// The byte classes of the automaton's rows for the bytes its patterns
/// use (`pattern_bytes`): one class per pattern byte (an upper-case letter
/// shares its lower case's), then one for the other letters and digits and
/// one for the rest (each only if it has a byte, so at most 256 classes).
/// Returns each byte's class and each class's representative byte.
pub(crate) fn byte_classes(pattern_bytes: &[u8]) -> ([u8; 256], Vec<u8>) {
    let mut class = [0u8; 256];
    let mut reps: Vec<u8> = Vec::new();
    let mut seen = [false; 256];
    for &b in pattern_bytes {
        seen[b as usize] = true;
    }
    for b in 0..=255u8 {
        if seen[b as usize] {
            class[b as usize] = reps.len() as u8;
            reps.push(b);
        }
    }
    let mut other = [None, None];
    for b in 0..=255u8 {
        let lb = b.to_ascii_lowercase();
        if seen[lb as usize] {
            class[b as usize] = class[lb as usize];
        } else {
            let k = usize::from(word_byte(b));
            let c = *other[k].get_or_insert_with(|| {
                reps.push(b);
                reps.len() - 1
            });
            class[b as usize] = c as u8;
        }
    }
    (class, reps)
}

impl WordAc {
    /// An automaton of the trie's `states` (breadth-first, the root first),
    /// the `byte` of each state's incoming transition and the patterns
    /// ending at each state (`own_pids[own_start[s]..own_start[s + 1]]`),
    /// with its byte classes and its count of shallow states set; its dense
    /// rows, deep steps and output links are still to be made. Also gives
    /// the class of each byte and a representative byte of each class.
    pub(crate) fn with_trie(
        states: Vec<AcState>,
        byte: Vec<u8>,
        own_start: Vec<u32>,
        own_pids: Vec<u32>,
    ) -> (WordAc, [u8; 256], Vec<u8>) {
        let total = states.len();
        let (class, reps) = byte_classes(&byte[2..]);
        let dense_states = states
            .iter()
            .position(|st| st.depth > DENSE_DEPTH)
            .unwrap_or(total);
        let ac = WordAc {
            class: Box::new([0; 256]),
            classes: reps.len(),
            dense_states: dense_states as u32,
            dense: Vec::new().into(),
            deep: Vec::new().into(),
            states: states.into(),
            byte: byte.into(),
            own_start: own_start.into(),
            own_pids: own_pids.into(),
            out_link: vec![START; total].into(),
        };
        (ac, class, reps)
    }

    /// The automaton of `patterns` (already lower-cased), numbered in order.
    #[inline(never)]
    pub(crate) fn build(patterns: &[&[u8]]) -> WordAc {
        // 1. The patterns sorted by their bytes (equal ones by number)
        let order = sorted_order(patterns);
        let sorted: Vec<&[u8]> = order.iter().map(|&p| patterns[p as usize]).collect();
        // the length of each sorted pattern and of the prefix it shares
        // with the one before: a pattern adds a state for each byte past it
        let len: Vec<u32> = sorted.iter().map(|p| p.len() as u32).collect();
        let mut lcp: Vec<u32> = Vec::with_capacity(sorted.len());
        let mut nodes = 2;
        let mut prev: &[u8] = &[];
        for p in &sorted {
            let common = p.iter().zip(prev).take_while(|(a, b)| a == b).count();
            lcp.push(common as u32);
            nodes += p.len() - common;
            prev = p;
        }
        // 2. The trie, breadth-first: START = root, IN_WORD, then the rest,
        // the children of a state consecutive and in byte order. A state of
        // depth `d` stands for the sorted patterns `sorted[lo..hi]` that
        // start with its prefix: those of length `d` end there (they come
        // first), and the others fall into its children by their byte `d`:
        // a child ends where a pattern shares only `d` bytes with the one
        // before. (No hashing, no search among children.)
        // (`nodes` is exact: the tables are made at their size and filled)
        let mut states: Vec<AcState> = vec![AcState::default(); nodes];
        let mut byte: Vec<u8> = vec![0; nodes];
        let mut range: Vec<(u32, u32)> = vec![(0, 0); nodes];
        range[START as usize] = (0, sorted.len() as u32);
        let mut own_start: Vec<u32> = vec![0; nodes + 1];
        let mut own_pids: Vec<u32> = Vec::with_capacity(patterns.len());
        let mut next = 2;
        for k in 0..nodes {
            let (lo, hi) = range[k];
            let (mut lo, hi) = (lo as usize, hi as usize);
            let d = states[k].depth;
            while lo < hi && len[lo] == d {
                own_pids.push(order[lo]);
                lo += 1;
            }
            own_start[k + 1] = own_pids.len() as u32;
            if k as u32 != IN_WORD {
                states[k].first = next as u32;
            }
            let first = next;
            while lo < hi {
                let b = sorted[lo][d as usize];
                // the patterns sharing byte `d` (often only this one)
                let e = if lo + 1 == hi {
                    hi
                } else {
                    lo + 1 + lcp[lo + 1..hi].iter().take_while(|&&c| c > d).count()
                };
                states[next].depth = d + 1;
                byte[next] = b;
                range[next] = (lo as u32, e as u32);
                next += 1;
                lo = e;
            }
            states[k].len = (next - first) as u16;
        }
        debug_assert_eq!(next, nodes);
        drop(range);
        let total = states.len();
        // 3. Byte classes, and the shallow states.
        let (mut ac, class, reps) = WordAc::with_trie(states, byte, own_start, own_pids);
        let dense_states = ac.dense_states as usize;
        let classes = ac.classes;
        // 4. Breadth-first: the failure and output links of each state's
        // children, how the search steps from a deeper state, and the row of
        // a shallow one: its failure link's (shallower, made before) with
        // its own children. A child's failure link is the transition from
        // the parent's failure link, read in that state's row once a
        // shallow state is reached on its failure chain.
        let mut deep = vec![Deep::default(); total];
        let mut dense: Vec<u32> = Vec::with_capacity(dense_states * classes);
        // the state of a shallow state's code (a multiple of `classes`):
        // exact division by the odd part of `classes`, by its inverse
        let tz = classes.trailing_zeros();
        let odd = (classes >> tz) as u32;
        let mut inv: u32 = odd; // Newton's iteration: 3 → 6 → 12 → 24 → 48 bits
        for _ in 0..4 {
            inv = inv.wrapping_mul(2u32.wrapping_sub(odd.wrapping_mul(inv)));
        }
        let row_state = |c: u32| ((c & CODE) >> tz).wrapping_mul(inv);
        let nd = dense_states as u32;
        // [`WordAc::code`] of a state and whether a pattern ends there
        let code_of = |s: u32, is_match: bool| -> u32 {
            (if s < nd {
                s * classes as u32
            } else {
                s | SPARSE
            }) | if is_match { MATCH } else { 0 }
        };
        let word_row: Vec<u32> = (reps.iter())
            .map(|&b| code_of(if word_byte(b) { IN_WORD } else { START }, false))
            .collect();
        let (states, byte) = (&mut ac.states[..], &ac.byte[..]);
        let (own_start, out_link) = (&ac.own_start[..], &mut ac.out_link[..]);
        for s in 0..total {
            if s as u32 == IN_WORD {
                dense.extend_from_slice(&word_row);
                continue;
            }
            let st = states[s];
            let (first, n) = (st.first as usize, st.len as usize);
            // the parent's failure link's row, if shallow
            let parent_row =
                (s as u32 != START && st.fail < nd).then(|| st.fail as usize * classes);
            for c in first..first + n {
                let b = byte[c];
                let fail = if s as u32 == START {
                    if word_byte(b) {
                        IN_WORD
                    } else {
                        START
                    }
                } else if let Some(row) = parent_row {
                    let code = dense[row + class[b as usize] as usize];
                    if code & SPARSE != 0 {
                        code & CODE
                    } else {
                        row_state(code)
                    }
                } else {
                    // the transition from the parent's failure link
                    let mut f = st.fail;
                    loop {
                        if f < nd {
                            let code = dense[f as usize * classes + class[b as usize] as usize];
                            break if code & SPARSE != 0 {
                                code & CODE
                            } else {
                                row_state(code)
                            };
                        }
                        let fs = &states[f as usize];
                        let first = fs.first as usize;
                        if let Some(k) = byte[first..first + fs.len as usize]
                            .iter()
                            .position(|&x| x == b)
                        {
                            break (first + k) as u32;
                        }
                        f = fs.fail;
                    }
                };
                let f = fail as usize;
                out_link[c] = if own_start[f + 1] > own_start[f] {
                    fail
                } else {
                    out_link[f]
                };
                let is_match = own_start[c + 1] > own_start[c] || states[f].is_match;
                states[c].fail = fail;
                states[c].is_match = is_match;
                if c >= dense_states {
                    deep[c].fail = code_of(fail, false);
                }
            }
            if s >= dense_states {
                let d = &mut deep[s];
                d.kind = match n {
                    0 => LEAF,
                    1 => ONE,
                    _ => MANY,
                };
                if n == 1 {
                    d.child = code_of(first as u32, states[first].is_match);
                    d.byte = byte[first];
                }
                continue;
            }
            // the row of a shallow state: its failure link's (the root's:
            // IN_WORD after a letter or digit, START after another byte)
            // with its own children
            let row = dense.len();
            if s as u32 == START {
                dense.extend_from_slice(&word_row);
            } else {
                let f = st.fail as usize * classes;
                dense.extend_from_within(f..f + classes);
            }
            for c in first..first + n {
                dense[row + class[byte[c] as usize] as usize] =
                    code_of(c as u32, states[c].is_match);
            }
        }
        ac.class = Box::new(class);
        ac.dense = dense.into();
        ac.deep = deep.into();
        ac
    }

    /// State `s` as the search loop holds it: a shallow state by its row
    /// offset, a deeper one by its number and [`SPARSE`]; with [`MATCH`] if
    /// a pattern ends there.
    #[inline]
    pub(crate) fn code(&self, s: u32) -> u32 {
        let c = if s < self.dense_states {
            s * self.classes as u32
        } else {
            s | SPARSE
        };
        if self.states[s as usize].is_match {
            c | MATCH
        } else {
            c
        }
    }

    /// The state number of code `c`.
    #[inline]
    pub(crate) fn state(&self, c: u32) -> u32 {
        if c & SPARSE != 0 {
            c & CODE
        } else {
            (c & CODE) / self.classes as u32
        }
    }

    /// The transition from deep state `s` on byte `b` of the text, coded.
    #[inline]
    pub(crate) fn step_deep(&self, mut s: u32, b: u8) -> u32 {
        let lb = b.to_ascii_lowercase();
        loop {
            let d = self.deep[s as usize];
            if d.kind == ONE {
                if d.byte == lb {
                    return d.child;
                }
            } else if d.kind == MANY {
                if let Some(c) = self.child_of(s, lb) {
                    return c;
                }
            }
            if d.fail & SPARSE == 0 {
                return self.dense[d.fail as usize + self.class[b as usize] as usize];
            }
            s = d.fail & CODE;
        }
    }

    /// The code of the child of state `s` on byte `lb`, if any (a state
    /// with several children).
    #[inline(never)]
    pub(crate) fn child_of(&self, s: u32, lb: u8) -> Option<u32> {
        let st = &self.states[s as usize];
        let first = st.first as usize;
        self.byte[first..first + st.len as usize]
            .iter()
            .position(|&x| x == lb)
            .map(|k| self.code((first + k) as u32))
    }
}

/// A table of the automaton: built at run time, or embedded in the binary
/// (read in place). Writing to an embedded one copies it first.
#[derive(Clone)]
pub(crate) enum Table<T: 'static> {
    Owned(Vec<T>),
    Static(&'static [T]),
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table::Owned(Vec::new())
    }
}

impl<T> From<Vec<T>> for Table<T> {
    fn from(v: Vec<T>) -> Self {
        Table::Owned(v)
    }
}

impl<T> Deref for Table<T> {
    type Target = [T];
    #[inline]
    fn deref(&self) -> &[T] {
        match self {
            Table::Owned(v) => v,
            Table::Static(s) => s,
        }
    }
}

impl<T: Clone> DerefMut for Table<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        if let Table::Static(s) = self {
            *self = Table::Owned(s.to_vec());
        }
        match self {
            Table::Owned(v) => v,
            Table::Static(_) => unreachable!("made owned above"),
        }
    }
}

impl<T: PartialEq> PartialEq for Table<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Table<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

/// The bytes of a table of plain numbers (or of structs of them without
/// padding), as embedded.
#[cfg_attr(not(test), allow(dead_code))] // (the build script's)
fn bytes_of<T: Plain>(t: &[T]) -> &[u8] {
    // SAFETY: `T` has no padding (see [`Plain`]), so every byte of the
    // slice is initialized; u8 has no alignment.
    unsafe { std::slice::from_raw_parts(t.as_ptr().cast::<u8>(), std::mem::size_of_val(t)) }
}

/// Types whose every byte is initialized (no padding) and of which any
/// bytes written by [`bytes_of`] on this target are a valid value.
///
/// # Safety
/// Only for `#[repr(C)]` structs of integers and bools without padding,
/// and integers.
pub(crate) unsafe trait Plain: Copy + 'static {}
// SAFETY: integers.
unsafe impl Plain for u8 {}
// SAFETY: integers.
unsafe impl Plain for u32 {}
// SAFETY: repr(C), 4 + 4 + 4 + 2 + 1 + 1 bytes, no padding (checked below).
unsafe impl Plain for AcState {}
// SAFETY: repr(C), 4 + 4 + 1 + 1 + 2 bytes, no padding (checked below).
unsafe impl Plain for Deep {}
const _: () = assert!(std::mem::size_of::<AcState>() == 16);
const _: () = assert!(std::mem::size_of::<Deep>() == 12);

/// The names of the embedded tables, in the order of [`WordAc::blobs`].
#[cfg_attr(not(test), allow(dead_code))] // (the build script's)
pub(crate) const BLOBS: [&str; 8] = [
    "meta",
    "dense",
    "deep",
    "states",
    "byte",
    "own_start",
    "own_pids",
    "out_link",
];

impl WordAc {
    /// The tables as bytes (the build script embeds them), named as in
    /// [`BLOBS`]: `meta` is the byte classes, then `classes` and
    /// `dense_states` as u32.
    #[cfg_attr(not(test), allow(dead_code))] // (the build script's)
    pub(crate) fn blobs(&self) -> [Vec<u8>; 8] {
        let mut meta = self.class.to_vec();
        meta.extend_from_slice(bytes_of(&[self.classes as u32, self.dense_states]));
        [
            meta,
            bytes_of(&self.dense).to_vec(),
            bytes_of(&self.deep).to_vec(),
            bytes_of(&self.states).to_vec(),
            bytes_of(&self.byte).to_vec(),
            bytes_of(&self.own_start).to_vec(),
            bytes_of(&self.own_pids).to_vec(),
            bytes_of(&self.out_link).to_vec(),
        ]
    }

    /// The automaton whose tables [`WordAc::blobs`] wrote, read in place;
    /// None if a blob's length or alignment does not fit.
    ///
    /// # Safety
    /// The blobs must be [`WordAc::blobs`] of an automaton, on this target.
    pub(crate) unsafe fn from_blobs(b: [&'static [u8]; 8]) -> Option<WordAc> {
        fn cast<T: Plain>(b: &'static [u8]) -> Option<&'static [T]> {
            let size = std::mem::size_of::<T>();
            if !b.len().is_multiple_of(size)
                || !(b.as_ptr() as usize).is_multiple_of(std::mem::align_of::<T>())
            {
                return None;
            }
            // SAFETY: aligned, in bounds, and written by `bytes_of` (the
            // caller's promise), so every value is valid.
            Some(unsafe { std::slice::from_raw_parts(b.as_ptr().cast::<T>(), b.len() / size) })
        }
        let [meta, dense, deep, states, byte, own_start, own_pids, out_link] = b;
        let (class, rest) = meta.split_first_chunk::<256>()?;
        let nums: &[u32] = cast(rest)?;
        let &[classes, dense_states] = nums else {
            return None;
        };
        Some(WordAc {
            class: Box::new(*class),
            classes: classes as usize,
            dense_states,
            dense: Table::Static(cast(dense)?),
            deep: Table::Static(cast(deep)?),
            states: Table::Static(cast(states)?),
            byte: Table::Static(cast(byte)?),
            own_start: Table::Static(cast(own_start)?),
            own_pids: Table::Static(cast(own_pids)?),
            out_link: Table::Static(cast(out_link)?),
        })
    }
}

/// The numbers of `patterns` in the order of their bytes (equal ones by
/// number): sorted by their first eight bytes as a number, which orders
/// them as the bytes do, and by all their bytes only when those tie.
pub(crate) fn sorted_order(patterns: &[&[u8]]) -> Vec<u32> {
    let prefix = |t: &[u8]| {
        let mut k = [0u8; 8];
        let n = t.len().min(8);
        k[..n].copy_from_slice(&t[..n]);
        u64::from_be_bytes(k)
    };
    let mut keyed: Vec<(u64, u32)> = patterns
        .iter()
        .enumerate()
        .map(|(i, p)| (prefix(p), i as u32))
        .collect();
    keyed.sort_unstable_by(|&(ka, a), &(kb, b)| {
        ka.cmp(&kb).then_with(|| {
            patterns[a as usize]
                .cmp(patterns[b as usize])
                .then(a.cmp(&b))
        })
    });
    keyed.into_iter().map(|(_, p)| p).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `b` in leaked 8-aligned memory, as the embedded blobs are.
    fn leak(b: Vec<u8>) -> &'static [u8] {
        let words: &'static mut [u64] =
            Box::leak(vec![0u64; b.len().div_ceil(8)].into_boxed_slice());
        // SAFETY: the u64s hold at least `b.len()` bytes; any bytes are u8s.
        let bytes =
            unsafe { std::slice::from_raw_parts_mut(words.as_mut_ptr().cast::<u8>(), b.len()) };
        bytes.copy_from_slice(&b);
        bytes
    }

    #[test]
    fn tables_read_in_place_are_the_tables_written() {
        let pats: [&[u8]; 7] = [b"new york", b"new", b"york", b"u.s.", b"g7", b"new", b"x"];
        let ac = WordAc::build(&pats);
        let blobs = ac.blobs();
        assert_eq!(blobs.len(), BLOBS.len());
        // SAFETY: the blobs of an automaton, on this target.
        let back = unsafe { WordAc::from_blobs(blobs.map(leak)) }.unwrap();
        assert!(matches!(back.dense, Table::Static(_)));
        assert_eq!(back.class, ac.class);
        assert_eq!(
            (back.classes, back.dense_states),
            (ac.classes, ac.dense_states)
        );
        assert!(back.dense == ac.dense && back.deep == ac.deep);
        assert!(back.states == ac.states && back.byte == ac.byte);
        assert!(back.own_start == ac.own_start && back.own_pids == ac.own_pids);
        assert!(back.out_link == ac.out_link);
        for s in 0..ac.states.len() as u32 {
            assert_eq!(back.code(s), ac.code(s));
        }
        // a blob of the wrong length is refused
        let mut blobs = ac.blobs();
        blobs[3].pop();
        // SAFETY: as above (and checked: refused).
        assert!(unsafe { WordAc::from_blobs(blobs.map(leak)) }.is_none());
    }
}
