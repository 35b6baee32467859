//! One Aho-Corasick pass over the whole text finds every gazetteer name,
//! alias, country adjective and office title.
//!
//! Invariants of [`Matcher::find`]:
//! * matches are whole words (the characters around them are not
//!   alphanumeric, Unicode-aware), so "Iran" does not match in "Iranian";
//! * case: an alias with no lowercase letter ("US", "NATO") matches only as
//!   written; any other alias also matches in ALL CAPS ("BONN"); beyond
//!   that, an alias of at most 4 characters or of one word matches only as
//!   written, and a multi-word alias matches in any case;
//! * the result is leftmost-longest and non-overlapping, chosen among the
//!   *valid* candidates, so a longer candidate rejected for case or
//!   boundaries never hides a valid shorter one;
//! * time is linear in the text (plus the number of candidate matches).

use super::wordac::{word_byte, WordAc, CODE, DENSE_DEPTH, IN_WORD, MATCH, SPARSE, START};
#[cfg(test)]
use super::wordac::{AcState, Deep, Table, LEAF, MANY, ONE};
use super::{Entity, Gazetteer};
use crate::document::Span;
use crate::lexicon::FxMap;

/// How a pattern relates to what it names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AliasKind {
    /// The canonical name.
    Name,
    /// An alias from the `aliases` column.
    Alias,
    /// A country adjective from `adj=` ("Chinese").
    Adjective,
    /// An organization alias that describes rather than names
    /// ("Ukrainian parliament", "UN refugee agency").
    Descriptive,
}

/// Is `alias` (of an organization) a description rather than a name? It
/// is when a content word of four or more letters is written in lower case
/// and the alias starts in lower case or with the name or adjective of a
/// place or organization ("Ukrainian parliament", "UN refugee agency").
pub fn is_descriptive<S: std::hash::BuildHasher>(
    alias: &str,
    known_heads: &std::collections::HashSet<&str, S>,
) -> bool {
    let mut words = alias.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    let lower_content = words.any(|w| {
        w.chars().count() >= 4
            && w.chars().next().is_some_and(char::is_lowercase)
            && !w.chars().any(char::is_uppercase)
    });
    let starts_lower = first.chars().next().is_some_and(char::is_lowercase);
    lower_content
        && (starts_lower
            || known_heads.contains(first.trim_end_matches(['\'', '’', 's']))
            || known_heads.contains(first))
}

/// What a pattern points to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    Entity { entity: usize, how: AliasKind },
    Office(usize),
}

/// One pattern of the automaton.
#[derive(Clone, Debug)]
pub struct Pattern {
    pub text: String,
    pub case_sensitive: bool,
    pub targets: Vec<Target>,
}

/// A validated match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub span: Span,
    pub pattern: usize,
}

/// The compiled automaton and its pattern table.
#[derive(Clone, Debug)]
pub struct Matcher {
    /// The Aho-Corasick automaton over the lower-cased patterns.
    ac: WordAc,
    pub patterns: Vec<Pattern>,
}

/// Texts of at least this many bytes are read as two halves at once.
const SPLIT_MIN: usize = 256;

/// The automaton of the embedded gazetteer's patterns, made by the build
/// script (build.rs) with [`WordAc::build`] and read in place: most runs
/// need not build it (nor write its 6 MB of tables). The lower-cased
/// pattern texts it was built for, one after another, and where each ends.
mod embedded {
    #[repr(C, align(8))]
    struct Aligned<B: ?Sized>(B);
    macro_rules! blob {
        ($name:literal) => {{
            static B: &Aligned<[u8]> = &Aligned(*include_bytes!(concat!(
                env!("OUT_DIR"),
                "/wordac_",
                $name,
                ".bin"
            )));
            &B.0
        }};
    }
    pub(super) fn texts() -> &'static [u8] {
        blob!("texts")
    }
    pub(super) fn ends() -> &'static [u8] {
        blob!("ends")
    }
    pub(super) fn tables() -> [&'static [u8]; 8] {
        [
            blob!("meta"),
            blob!("dense"),
            blob!("deep"),
            blob!("states"),
            blob!("byte"),
            blob!("own_start"),
            blob!("own_pids"),
            blob!("out_link"),
        ]
    }
}

impl WordAc {
    /// The automaton of the lower-cased patterns `lower` (ending at
    /// `ends`), if the build script built it: the same texts in the same
    /// order (the embedded gazetteer's, without a `--gazetteer` folder).
    fn embedded(lower: &[u8], ends: &[u32]) -> Option<WordAc> {
        let want_ends = embedded::ends();
        let same = cfg!(target_endian = "little")
            && lower == embedded::texts()
            && want_ends.len() == ends.len() * 4
            && (want_ends.chunks_exact(4).zip(ends))
                .all(|(w, &e)| u32::from_le_bytes([w[0], w[1], w[2], w[3]]) == e);
        if !same {
            return None;
        }
        // SAFETY: the build script wrote the tables with `WordAc::blobs`
        // for this target (it writes none when cross-compiling, and then
        // the texts differ).
        unsafe { WordAc::from_blobs(embedded::tables()) }
    }
}

#[cfg(test)]
impl WordAc {
    /// The automaton of `patterns` (already lower-cased), numbered in order.
    #[cfg(test)]
    fn build_reference(patterns: &[String]) -> WordAc {
        // 1. A trie in preorder over the sorted patterns: the children of a
        // node are made in byte order.
        let bytes: Vec<&[u8]> = patterns.iter().map(|p| p.as_bytes()).collect();
        let order = super::wordac::sorted_order(&bytes);
        let mut parent: Vec<u32> = vec![0];
        let mut edge: Vec<u8> = vec![0];
        let mut end_node: Vec<u32> = vec![0; patterns.len()];
        let mut path: Vec<u32> = vec![0]; // nodes of the previous pattern, root first
        let mut prev: &[u8] = &[];
        for &p in &order {
            let text = patterns[p as usize].as_bytes();
            let common = text.iter().zip(prev).take_while(|(a, b)| a == b).count();
            path.truncate(common + 1);
            for &b in &text[common..] {
                let node = parent.len() as u32;
                parent.push(*path.last().expect("root"));
                edge.push(b);
                path.push(node);
            }
            end_node[p as usize] = *path.last().expect("root");
            prev = text;
        }
        let nodes = parent.len();
        // 2. Children lists (in byte order) by a stable counting sort.
        let mut child_start = vec![0u32; nodes + 1];
        for &p in &parent[1..] {
            child_start[p as usize + 1] += 1;
        }
        for k in 0..nodes {
            child_start[k + 1] += child_start[k];
        }
        let mut children = vec![0u32; nodes.saturating_sub(1)];
        let mut fill = child_start.clone();
        for (node, &p) in parent.iter().enumerate().skip(1) {
            children[fill[p as usize] as usize] = node as u32;
            fill[p as usize] += 1;
        }
        // 3. Breadth-first numbering: START = root, IN_WORD, then the rest.
        let total = nodes + 1;
        let mut new_id = vec![0u32; nodes];
        let mut bfs: Vec<u32> = Vec::with_capacity(nodes); // old ids by new id (IN_WORD: u32::MAX)
        bfs.push(0);
        bfs.push(u32::MAX);
        let mut states = vec![AcState::default(); total];
        let mut byte = vec![0u8; total];
        let mut k = 0;
        while k < bfs.len() {
            let old = bfs[k];
            if old != u32::MAX {
                let cs = &children
                    [child_start[old as usize] as usize..child_start[old as usize + 1] as usize];
                states[k].first = bfs.len() as u32;
                states[k].len = cs.len() as u16;
                for &c in cs {
                    new_id[c as usize] = bfs.len() as u32;
                    byte[bfs.len()] = edge[c as usize];
                    states[bfs.len()].depth = states[k].depth + 1;
                    bfs.push(c);
                }
            }
            k += 1;
        }
        // 4. The patterns of each state, by pattern number.
        let mut own_start = vec![0u32; total + 1];
        for &n in &end_node {
            own_start[new_id[n as usize] as usize + 1] += 1;
        }
        for k in 0..total {
            own_start[k + 1] += own_start[k];
        }
        let mut own_pids = vec![0u32; patterns.len()];
        let mut fill = own_start.clone();
        for (p, &n) in end_node.iter().enumerate() {
            let s = new_id[n as usize] as usize;
            own_pids[fill[s] as usize] = p as u32;
            fill[s] += 1;
        }
        // 5. Byte classes, and the shallow states.
        let (mut ac, class, reps) = WordAc::with_trie(states, byte, own_start, own_pids);
        let dense_states = ac.dense_states as usize;
        // 6. The root's transitions, then failure and output links
        // breadth-first (a state's failure link is shallower than itself),
        // and how the search steps from the deeper states.
        let mut deep = vec![Deep::default(); total];
        let mut root: Vec<u32> = (0..=255u8)
            .map(|b| if word_byte(b) { IN_WORD } else { START })
            .collect();
        let first = ac.states[START as usize];
        for c in first.first..first.first + first.len as u32 {
            root[ac.byte[c as usize] as usize] = c;
        }
        for s in (START as usize..total).filter(|&s| s as u32 != IN_WORD) {
            let st = ac.states[s];
            for c in st.first..st.first + st.len as u32 {
                let c = c as usize;
                let b = ac.byte[c];
                let fail = if s as u32 == START {
                    if word_byte(b) {
                        IN_WORD
                    } else {
                        START
                    }
                } else {
                    ac.next_slow(&root, st.fail, b)
                };
                let f = fail as usize;
                let f_own = ac.own_start[f + 1] > ac.own_start[f];
                ac.states[c].fail = fail;
                ac.out_link[c] = if f_own { fail } else { ac.out_link[f] };
                ac.states[c].is_match =
                    ac.own_start[c + 1] > ac.own_start[c] || ac.states[f].is_match;
                if c >= dense_states {
                    deep[c].fail = ac.code(fail) & !MATCH;
                }
            }
            if s >= dense_states {
                deep[s].kind = match st.len {
                    0 => LEAF,
                    1 => ONE,
                    _ => MANY,
                };
                if st.len == 1 {
                    deep[s].child = ac.code(st.first);
                    deep[s].byte = ac.byte[st.first as usize];
                }
            }
        }
        // 7. The rows of the shallow states.
        // a row is its failure link's (shallower, made before) with the
        // state's own children; the root's is `root`
        let classes = reps.len();
        let mut dense = Vec::with_capacity(dense_states * classes);
        for s in 0..dense_states {
            if s as u32 == IN_WORD {
                dense.extend(
                    reps.iter()
                        .map(|&b| ac.code(if word_byte(b) { IN_WORD } else { START })),
                );
                continue;
            }
            if s as u32 == START {
                dense.extend(reps.iter().map(|&b| ac.code(root[b as usize])));
                continue;
            }
            let st = ac.states[s];
            let f = st.fail as usize * classes;
            dense.extend_from_within(f..f + classes);
            for c in st.first..st.first + st.len as u32 {
                dense[s * classes + class[ac.byte[c as usize] as usize] as usize] = ac.code(c);
            }
        }
        ac.class = Box::new(class);
        ac.dense = dense.into();
        ac.deep = deep.into();
        ac
    }

    /// The transition from deep state `s` on byte `b` of the text, coded,
    /// by the trie and failure links alone (the reference of [`WordAc::step_deep`]).
    #[cfg(test)]
    fn step_sparse(&self, mut s: u32, b: u8) -> u32 {
        let lb = b.to_ascii_lowercase();
        loop {
            if s < self.dense_states {
                return self.dense[s as usize * self.classes + self.class[b as usize] as usize];
            }
            let st = &self.states[s as usize];
            let first = st.first as usize;
            if let Some(k) = self.byte[first..first + st.len as usize]
                .iter()
                .position(|&x| x == lb)
            {
                return self.code((first + k) as u32);
            }
            s = st.fail;
        }
    }

    /// The transition from state `s` on (lower-cased) byte `b`, given the
    /// transitions of the root, while building (the reference build's).
    #[cfg(test)]
    fn next_slow(&self, root: &[u32], mut s: u32, b: u8) -> u32 {
        loop {
            if s == START {
                return root[b as usize];
            }
            if s == IN_WORD {
                return if word_byte(b) { IN_WORD } else { START };
            }
            let st = &self.states[s as usize];
            let first = st.first as usize;
            if let Some(k) = self.byte[first..first + st.len as usize]
                .iter()
                .position(|&x| x == b)
            {
                return (first + k) as u32;
            }
            s = st.fail;
        }
    }
}

/// Does `alias` match only as written (or in capitals)? When it has at
/// most 4 characters or no lowercase letter. (An ASCII alias by its bytes.)
fn case_sensitive(alias: &str) -> bool {
    let b = alias.as_bytes();
    if b.len() <= 4 {
        return true;
    }
    if b.is_ascii() {
        return !b.iter().any(u8::is_ascii_lowercase);
    }
    case_sensitive_chars(alias)
}

/// [`case_sensitive`] by characters.
fn case_sensitive_chars(alias: &str) -> bool {
    alias.chars().count() <= 4 || !alias.chars().any(|c| c.is_lowercase())
}

/// Does `found` (the text) satisfy the case rule for `alias`?
pub fn case_ok(alias: &str, found: &str, sensitive: bool) -> bool {
    if alias == found {
        return true;
    }
    let has_lower = |s: &str| s.chars().any(|c| c.is_lowercase());
    let all_caps = found.chars().any(|c| c.is_alphabetic()) && !has_lower(found);
    // "BONN", "WASHINGTON", "TANDON": a name written in capitals. An acronym
    // alias ("US", "WHO") has no lowercase letter and matches only as written.
    if all_caps && has_lower(alias) {
        return true;
    }
    if sensitive {
        return false;
    }
    // A multi-word alias matches in any case ("Great Hall Of The People",
    // "UN security council"); a one-word alias only as written or in capitals.
    alias
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .count()
        >= 2
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

impl Matcher {
    /// Compile every entity name, alias, adjective and office title.
    pub fn build<'a>(entities: &'a [Entity], offices: &'a [super::Office]) -> Matcher {
        // Patterns by their text, borrowed from the tables for the build.
        let estimate = entities.len() * 2 + offices.len() * 2;
        let mut index: FxMap<&str, usize> = FxMap::default();
        index.reserve(estimate);
        let mut patterns: Vec<Pattern> = Vec::with_capacity(estimate);
        let mut add = |text: &'a str, t: Target| {
            let text = crate::lexicon::trim(text);
            if text.is_empty() {
                return;
            }
            match index.entry(text) {
                std::collections::hash_map::Entry::Occupied(o) => {
                    let targets = &mut patterns[*o.get()].targets;
                    if !targets.contains(&t) {
                        targets.push(t);
                    }
                }
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(patterns.len());
                    patterns.push(Pattern {
                        text: text.to_string(),
                        case_sensitive: case_sensitive(text),
                        targets: vec![t],
                    });
                }
            }
        };
        let mut heads: crate::lexicon::FxSet<&str> = Default::default();
        for e in entities
            .iter()
            .filter(|e| e.kind != super::EntityKind::Person)
        {
            heads.insert(e.name.as_str());
            heads.extend(e.aliases.items().filter(|a| !a.contains(' ')));
            heads.extend(e.attr_items("adj"));
        }
        for (i, e) in entities.iter().enumerate() {
            add(
                &e.name,
                Target::Entity {
                    entity: i,
                    how: AliasKind::Name,
                },
            );
            for a in e.aliases.items() {
                let how = if e.kind == super::EntityKind::Organization && is_descriptive(a, &heads)
                {
                    AliasKind::Descriptive
                } else {
                    AliasKind::Alias
                };
                add(a, Target::Entity { entity: i, how });
            }
            for a in e.attr_items("adj") {
                add(
                    a,
                    Target::Entity {
                        entity: i,
                        how: AliasKind::Adjective,
                    },
                );
            }
        }
        for (i, o) in offices.iter().enumerate() {
            for t in o.titles.items() {
                add(t, Target::Office(i));
            }
        }
        // Patterns and text are both ASCII-lowercased (which keeps every byte
        // offset), so the automaton needs no case-insensitive transitions.
        let mut lower: Vec<u8> = Vec::with_capacity(patterns.iter().map(|p| p.text.len()).sum());
        let mut ends: Vec<u32> = Vec::with_capacity(patterns.len());
        for p in &patterns {
            let start = lower.len();
            lower.extend_from_slice(p.text.as_bytes());
            lower[start..].make_ascii_lowercase();
            ends.push(lower.len() as u32);
        }
        let ac = WordAc::embedded(&lower, &ends).unwrap_or_else(|| {
            let texts: Vec<&[u8]> = (ends.iter())
                .scan(0, |start, &end| {
                    Some(&lower[std::mem::replace(start, end as usize)..end as usize])
                })
                .collect();
            WordAc::build(&texts)
        });
        Matcher { ac, patterns }
    }

    /// All valid matches, leftmost-longest, non-overlapping, in text order.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        let mut cands = self.candidates(text);
        cands.sort_by(|a, b| {
            a.span
                .start
                .cmp(&b.span.start)
                .then(b.span.end.cmp(&a.span.end))
        });
        // (kept in place: no second list)
        let mut last_end = 0;
        cands.retain(|c| {
            let keep = c.span.start >= last_end;
            if keep {
                last_end = c.span.end;
            }
            keep
        });
        cands
    }

    /// Every valid match (overlapping ones included), in no particular order.
    pub fn candidates(&self, text: &str) -> Vec<Hit> {
        self.candidates_split(text, SPLIT_MIN)
    }

    /// [`Matcher::candidates`], reading a text of at least `min` bytes as
    /// two halves at once (two independent chains of table loads keep the
    /// processor busier than one). The second half starts afresh at
    /// [`START`] after a byte that is no ASCII letter or digit, at `p`; the
    /// first goes on past `p` until its state is one the second half has
    /// too (a prefix that starts at `p` or later), at `q`, from where the
    /// two agree: matches ending before `q` are the first half's, the
    /// others the second's. The result is in the order of one pass.
    fn candidates_split(&self, text: &str, min: usize) -> Vec<Hit> {
        let bytes = text.as_bytes();
        let n = bytes.len();
        let split = (n >= min.max(2))
            .then(|| {
                let h = n / 2;
                bytes[h..]
                    .iter()
                    .position(|&b| !word_byte(b))
                    .map(|k| h + k + 1)
            })
            .flatten()
            .filter(|&p| p < n);
        let mut first: Vec<Hit> = Vec::new();
        let Some(p) = split else {
            self.run(text, 0, 0, n, &mut first);
            return first;
        };
        let mut second: Vec<Hit> = Vec::new();
        let ac = &self.ac;
        let (dense, class) = (&ac.dense[..], &*ac.class);
        let (mut ca, mut ia) = (START, 0);
        let (mut cb, mut ib) = (START, p);
        while ia < p && ib < n {
            // both step through as many bytes as both have, until a match
            // or a deeper state
            let m = (p - ia).min(n - ib);
            let mut k = 0;
            for (&x, &y) in bytes[ia..ia + m].iter().zip(&bytes[ib..ib + m]) {
                ca = dense[ca as usize + class[x as usize] as usize];
                cb = dense[cb as usize + class[y as usize] as usize];
                k += 1;
                if (ca | cb) & (MATCH | SPARSE) != 0 {
                    break;
                }
            }
            ia += k;
            ib += k;
            if ca & (MATCH | SPARSE) != 0 {
                (ca, ia) = self.slow_steps(text, ca, ia, &mut first);
            }
            if cb & (MATCH | SPARSE) != 0 {
                (cb, ib) = self.slow_steps(text, cb, ib, &mut second);
            }
        }
        self.run(text, cb, ib, n, &mut second);
        (ca, ia) = self.run(text, ca, ia, p, &mut first);
        // the first half's state (a shallow one, of depth at most
        // DENSE_DEPTH) is the second's once it cannot reach back before `p`
        let q = loop {
            if ia >= n {
                break usize::MAX;
            }
            if ia - p >= DENSE_DEPTH as usize {
                break ia;
            }
            ca = dense[ca as usize + class[bytes[ia] as usize] as usize];
            ia += 1;
            if ca & (MATCH | SPARSE) != 0 {
                (ca, ia) = self.slow_steps(text, ca, ia, &mut first);
            }
        };
        first.retain(|h| h.span.end < q);
        first.extend(second.into_iter().filter(|h| h.span.end >= q));
        first
    }

    /// Step from state code `c` (shallow, after `i` bytes) until `end` or
    /// a little past it (a deeper state goes on to a shallow one), adding
    /// the matches to `out`; the code and offset reached.
    #[inline]
    fn run(
        &self,
        text: &str,
        mut c: u32,
        mut i: usize,
        end: usize,
        out: &mut Vec<Hit>,
    ) -> (u32, usize) {
        let ac = &self.ac;
        let (dense, class) = (&ac.dense[..], &*ac.class);
        let bytes = &text.as_bytes()[..end];
        // The shallow states, [`IN_WORD`] among them, step by their rows;
        // a match or a deeper state leaves the loop.
        while let Some(&b) = bytes.get(i) {
            c = dense[c as usize + class[b as usize] as usize];
            i += 1;
            if c & (MATCH | SPARSE) != 0 {
                (c, i) = self.slow_steps(text, c, i, out);
            }
        }
        (c, i)
    }

    /// From state code `c` (after `i` bytes): report its matches, and step
    /// through deeper states until a shallow one, whose code it returns.
    #[inline(never)]
    fn slow_steps(&self, text: &str, mut c: u32, mut i: usize, out: &mut Vec<Hit>) -> (u32, usize) {
        let ac = &self.ac;
        let bytes = text.as_bytes();
        loop {
            // a match must end before a non-word character
            if c & MATCH != 0 && !bytes.get(i).is_some_and(|&b| word_byte(b)) {
                self.matches_at(text, c, i, out);
            }
            if c & SPARSE == 0 {
                return (c & CODE, i);
            }
            let Some(&b) = bytes.get(i) else {
                return (0, i);
            };
            c = ac.step_deep(c & CODE, b);
            i += 1;
        }
    }

    /// The valid matches of the match state of code `c` at end offset `e`:
    /// longest first, then by pattern number (the order of the crate's
    /// overlapping iterator).
    #[inline(never)]
    fn matches_at(&self, text: &str, c: u32, e: usize, out: &mut Vec<Hit>) {
        let ac = &self.ac;
        let mut s = ac.state(c);
        while s > IN_WORD {
            let st = s as usize;
            let own = &ac.own_pids[ac.own_start[st] as usize..ac.own_start[st + 1] as usize];
            if !own.is_empty() {
                let start = e - ac.states[st].depth as usize;
                for &pid in own {
                    if let Some(h) = self.check(text, start, e, pid as usize) {
                        out.push(h);
                    }
                }
            }
            s = ac.out_link[st];
        }
    }

    /// The match of pattern `pattern` at `s..e`, if valid: whole words and
    /// the case rule.
    #[inline]
    fn check(&self, text: &str, s: usize, e: usize, pattern: usize) -> Option<Hit> {
        if !text.is_char_boundary(s) || !text.is_char_boundary(e) {
            return None;
        }
        let bytes = text.as_bytes();
        // the characters around, read as bytes when ASCII
        let before = match s.checked_sub(1).map(|k| bytes[k]) {
            None => false,
            Some(b) if b < 0x80 => b.is_ascii_alphanumeric(),
            Some(_) => text[..s].chars().next_back().is_some_and(is_word_char),
        };
        let after = || match bytes.get(e) {
            None => false,
            Some(&b) if b < 0x80 => b.is_ascii_alphanumeric(),
            Some(_) => text[e..].chars().next().is_some_and(is_word_char),
        };
        if before || after() {
            return None;
        }
        let p = &self.patterns[pattern];
        if !case_ok(&p.text, &text[s..e], p.case_sensitive) {
            return None;
        }
        Some(Hit {
            span: Span::new(s, e),
            pattern,
        })
    }
}

impl Gazetteer {
    /// Compile the matcher for this gazetteer.
    pub fn matcher(&self) -> Matcher {
        Matcher::build(&self.entities, &self.offices)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

    /// The candidates as the crate's own overlapping iterator finds them.
    fn via_iterator(m: &Matcher, text: &str) -> Vec<Hit> {
        thread_local! {
            static AC: AhoCorasick = {
                let p = crate::Pipeline::embedded().unwrap();
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .build(p.entities.matcher.patterns.iter().map(|p| p.text.to_ascii_lowercase()))
                    .unwrap()
            };
        }
        AC.with(|ac| via(ac, m, text))
    }

    fn via(ac: &AhoCorasick, m: &Matcher, text: &str) -> Vec<Hit> {
        let folded = text.to_ascii_lowercase();
        ac.find_overlapping_iter(&folded)
            .filter_map(|h| m.check(text, h.start(), h.end(), h.pattern().as_usize()))
            .collect()
    }

    #[test]
    fn driven_automaton_agrees_with_the_crate_iterator() {
        let p = crate::Pipeline::embedded().unwrap();
        let m = &p.entities.matcher;
        // every pattern in context, in capitals, and glued to its neighbours
        let mut text = String::new();
        for (i, pat) in m.patterns.iter().enumerate().step_by(3) {
            match i % 4 {
                0 => text.push_str(&format!("({}) ", pat.text)),
                1 => text.push_str(&format!("{}, ", pat.text.to_uppercase())),
                2 => text.push_str(&format!("x{}é ", pat.text)),
                _ => text.push_str(&format!("{}-{} ", pat.text, pat.text.to_lowercase())),
            }
        }
        text.push_str("Ünited Stätes İran K\u{212a} ﬁnland ß");
        let fast = m.candidates(&text);
        assert_eq!(fast, via_iterator(m, &text));
        assert!(fast.len() > m.patterns.len() / 4, "{}", fast.len());
        for t in ["", "a", "é", "US", "the United States of America"] {
            assert_eq!(m.candidates(t), via_iterator(m, t), "{t}");
        }
        // two halves whose seam falls inside long multi-word names
        let long: Vec<&str> = m
            .patterns
            .iter()
            .map(|p| p.text.as_str())
            .filter(|t| t.split(' ').count() >= 4)
            .take(40)
            .collect();
        assert!(long.len() >= 10, "{}", long.len());
        for (k, name) in long.iter().enumerate() {
            for pad in 0..name.len().min(24) {
                let text = format!(
                    "{}{name} {name}, {}",
                    " ".repeat(pad),
                    long[(k + 1) % long.len()]
                );
                let want = via_iterator(m, &text);
                assert!(!want.is_empty(), "{text}");
                assert_eq!(m.candidates_split(&text, 2), want, "{text}");
            }
        }
    }

    /// The tables of two automata, field by field.
    fn assert_same(a: &WordAc, b: &WordAc) {
        assert_eq!(a.class, b.class);
        assert_eq!(a.classes, b.classes);
        assert_eq!(a.dense_states, b.dense_states);
        assert_eq!(a.states, b.states);
        assert_eq!(a.byte, b.byte);
        assert_eq!(a.own_start, b.own_start);
        assert_eq!(a.own_pids, b.own_pids);
        assert_eq!(a.out_link, b.out_link);
        assert_eq!(a.deep, b.deep);
        assert!(a.dense == b.dense, "dense rows differ");
    }

    #[test]
    fn breadth_first_build_equals_the_reference() {
        let p = crate::Pipeline::embedded().unwrap();
        let m = &p.entities.matcher;
        let lower: Vec<String> = (m.patterns.iter())
            .map(|p| p.text.to_ascii_lowercase())
            .collect();
        assert_same(&m.ac, &WordAc::build_reference(&lower));
        // small sets: shared prefixes, a pattern that is another's prefix,
        // equal patterns, digits and punctuation, one byte, none
        let sets: &[&[&str]] = &[
            &[],
            &["a"],
            &["ab", "a", "abc", "b", "ab", "bc", "c"],
            &["new york", "new", "york", "new zealand", "ne", "w y"],
            &["g7", "g-7", "7", "u.s.", "us", "u", "s", "u.s"],
            &[
                "xxxxxx", "xxxxx", "xxxx", "xxx", "xx", "x", "xxxxxxx", "xxxxxxxx",
            ],
        ];
        for set in sets {
            let owned: Vec<String> = set.iter().map(|s| s.to_string()).collect();
            let texts: Vec<&[u8]> = set.iter().map(|s| s.as_bytes()).collect();
            assert_same(&WordAc::build(&texts), &WordAc::build_reference(&owned));
        }
        // pseudo-random sets over a small alphabet (deep failure chains)
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut rnd = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n) as usize
        };
        for _ in 0..40 {
            let owned: Vec<String> = (0..rnd(60) + 1)
                .map(|_| (0..rnd(9) + 1).map(|_| b"ab c-"[rnd(5)] as char).collect())
                .collect();
            let texts: Vec<&[u8]> = owned.iter().map(|s| s.as_bytes()).collect();
            assert_same(&WordAc::build(&texts), &WordAc::build_reference(&owned));
        }
    }

    #[test]
    fn the_embedded_automaton_is_the_one_built_at_run_time() {
        let p = crate::Pipeline::embedded().unwrap();
        let m = &p.entities.matcher;
        // the build script's tables are used, read in place …
        assert!(matches!(m.ac.dense, Table::Static(_)));
        assert!(matches!(m.ac.states, Table::Static(_)));
        // … and are those of the run-time build
        let lower: Vec<Vec<u8>> = (m.patterns.iter())
            .map(|p| p.text.to_ascii_lowercase().into_bytes())
            .collect();
        let texts: Vec<&[u8]> = lower.iter().map(|t| t.as_slice()).collect();
        let built = WordAc::build(&texts);
        assert!(matches!(built.dense, Table::Owned(_)));
        assert_same(&m.ac, &built);
        // other patterns (a user's folder) build their own
        let mut src = crate::gazetteer::Sources::embedded();
        src.entity_files.push((
            "mine.tsv".into(),
            "id\tname\tkind\taliases\tattributes\nplace:qx\tQuuxland\tplace\t\t\n".into(),
        ));
        let g = Gazetteer::from_sources(&src).unwrap();
        let mine = g.matcher();
        assert!(matches!(mine.ac.dense, Table::Owned(_)));
        let hits = mine.find("They flew to Quuxland and to France.");
        let found: Vec<&str> = (hits.iter())
            .map(|h| mine.patterns[h.pattern].text.as_str())
            .collect();
        assert_eq!(found, ["Quuxland", "France"]);
    }

    #[test]
    fn case_rule_by_bytes_agrees_with_characters() {
        let p = crate::Pipeline::embedded().unwrap();
        let texts = (p.entities.matcher.patterns.iter()).map(|p| p.text.as_str());
        let more = [
            "",
            "a",
            "US",
            "abcd",
            "abcde",
            "ABCDE",
            "ABCDe",
            "ÉÉ",
            "Éabc",
            "ÉABCD",
            "éabcd",
            "ÜNITED",
            "İran",
            "ﬁnland",
            "K\u{212a}KKK",
            "12345",
            "1234a",
            "a b c",
        ];
        for t in texts.chain(more) {
            assert_eq!(case_sensitive(t), case_sensitive_chars(t), "{t}");
        }
    }

    #[test]
    fn deep_steps_agree_with_the_trie() {
        let p = crate::Pipeline::embedded().unwrap();
        let ac = &p.entities.matcher.ac;
        let mut deep = 0;
        for s in ac.dense_states..ac.states.len() as u32 {
            deep += 1;
            for b in 0..=255u8 {
                assert_eq!(ac.step_deep(s, b), ac.step_sparse(s, b), "{s} {b}");
            }
        }
        assert!(deep > 1000, "{deep}");
    }

    /// [`Matcher::find`] from the candidates as first written: sorted, and
    /// those that start at or after the last kept one's end copied to a
    /// new list.
    fn find_reference(cands: &[Hit]) -> Vec<Hit> {
        let mut cands = cands.to_vec();
        cands.sort_by(|a, b| {
            a.span
                .start
                .cmp(&b.span.start)
                .then(b.span.end.cmp(&a.span.end))
        });
        let mut out = Vec::new();
        let mut last_end = 0;
        for c in cands {
            if c.span.start >= last_end {
                last_end = c.span.end;
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn word_aligned_automaton_agrees_on_mixed_text() {
        let p = crate::Pipeline::embedded().unwrap();
        let m = &p.entities.matcher;
        // pieces of patterns glued by separators and letters, pseudo-random
        let seps = [" ", "", "x", "-", "é", ". ", "’s ", "\n", "2", "—"];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut rnd = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..200 {
            let mut text = String::new();
            for _ in 0..12 {
                let pat = &m.patterns[rnd(m.patterns.len())].text;
                let cut: Vec<usize> = (0..=pat.len())
                    .filter(|&k| pat.is_char_boundary(k))
                    .collect();
                let a = if rnd(3) == 0 { cut[rnd(cut.len())] } else { 0 };
                let b = if rnd(3) == 0 {
                    cut[rnd(cut.len())].max(a)
                } else {
                    pat.len()
                };
                let piece = &pat[a..b];
                match rnd(3) {
                    0 => text.push_str(&piece.to_uppercase()),
                    _ => text.push_str(piece),
                }
                text.push_str(seps[rnd(seps.len())]);
            }
            let want = via_iterator(m, &text);
            assert_eq!(m.candidates(&text), want, "{text}");
            assert_eq!(m.find(&text), find_reference(&want), "{text}");
            // read as two halves, split wherever the text allows
            for min in [2, 16, 64] {
                assert_eq!(m.candidates_split(&text, min), want, "{min} {text}");
            }
        }
    }
}
