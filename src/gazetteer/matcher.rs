//! One pass over the words of the text finds every gazetteer name, alias,
//! country adjective and office title: a table of the patterns' first
//! words says where a match may start, and a byte trie of the patterns
//! (ASCII-folded) goes on from there.
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
//! * time is linear in the text: one table look-up per word, and a trie
//!   walk only where a pattern's first word stands, never longer than the
//!   longest pattern (plus the number of candidate matches).

use super::{Entity, Gazetteer};
use crate::document::Span;
use crate::lexicon::FxMap;
use std::collections::HashMap;

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
pub fn is_descriptive(alias: &str, known_heads: &std::collections::HashSet<&str>) -> bool {
    let words: Vec<&str> = alias.split_whitespace().collect();
    let lower_content = words.iter().skip(1).any(|w| {
        w.chars().count() >= 4
            && w.chars().next().is_some_and(char::is_lowercase)
            && !w.chars().any(char::is_uppercase)
    });
    let Some(first) = words.first() else {
        return false;
    };
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
    trie: Trie,
    pub patterns: Vec<Pattern>,
    /// First characters of the patterns that do not start with a word
    /// character ("'Akilisi Pohiva").
    odd_starts: Vec<char>,
    /// The first word (maximal run of word characters) of every pattern
    /// that starts with one, folded, with the trie node it leads to.
    first_words: FxMap<Box<[u8]>, u32>,
}

/// A byte trie over the ASCII-folded patterns, walked from each position
/// where a match may start. Nodes are numbered breadth first, so that the
/// short prefixes every walk goes through lie together in memory; the
/// root's transitions are a dense table, the others sorted runs.
#[derive(Clone, Debug)]
struct Trie {
    root: Vec<u32>,
    nodes: Vec<TrieNode>,
    /// Transitions (byte, child) of all nodes, each node's run sorted.
    edges: Vec<(u8, u32)>,
    /// Patterns ending at each node, each node's run in pattern order.
    ends: Vec<u32>,
}

#[derive(Clone, Copy, Debug)]
struct TrieNode {
    edges: u32,
    n_edges: u32,
    ends: u32,
    n_ends: u32,
}

const NO_NODE: u32 = u32::MAX;

impl Trie {
    fn new(folded: &[String]) -> Trie {
        let mut children: Vec<Vec<(u8, u32)>> = vec![Vec::new()];
        let mut ends: Vec<Vec<u32>> = vec![Vec::new()];
        for (pi, p) in folded.iter().enumerate() {
            let mut node = 0usize;
            for &b in p.as_bytes() {
                node = match children[node].iter().find(|(c, _)| *c == b) {
                    Some(&(_, n)) => n as usize,
                    None => {
                        let n = children.len();
                        children.push(Vec::new());
                        ends.push(Vec::new());
                        children[node].push((b, n as u32));
                        n
                    }
                };
            }
            if node != 0 {
                ends[node].push(pi as u32);
            }
        }
        // breadth-first numbering
        let mut order = vec![0u32];
        let mut new_id = vec![NO_NODE; children.len()];
        new_id[0] = 0;
        let mut k = 0;
        while k < order.len() {
            let n = order[k] as usize;
            children[n].sort_unstable();
            for &(_, c) in &children[n] {
                new_id[c as usize] = order.len() as u32;
                order.push(c);
            }
            k += 1;
        }
        let mut t = Trie {
            root: vec![NO_NODE; 256],
            nodes: Vec::with_capacity(order.len()),
            edges: Vec::new(),
            ends: Vec::new(),
        };
        for &(b, c) in &children[0] {
            t.root[b as usize] = new_id[c as usize];
        }
        for &old in &order {
            let (c, e) = (&children[old as usize], &ends[old as usize]);
            t.nodes.push(TrieNode {
                edges: t.edges.len() as u32,
                n_edges: c.len() as u32,
                ends: t.ends.len() as u32,
                n_ends: e.len() as u32,
            });
            t.edges
                .extend(c.iter().map(|&(b, ch)| (b, new_id[ch as usize])));
            t.ends.extend(e);
        }
        t
    }

    /// The node reached from the root by `bytes`, if any.
    fn node_of(&self, bytes: &[u8]) -> Option<u32> {
        let (&first, rest) = bytes.split_first()?;
        let mut node = self.root[first as usize];
        for &b in rest {
            if node == NO_NODE {
                return None;
            }
            node = self.child(node, b);
        }
        (node != NO_NODE).then_some(node)
    }

    fn child(&self, node: u32, b: u8) -> u32 {
        let n = self.nodes[node as usize];
        let run = &self.edges[n.edges as usize..(n.edges + n.n_edges) as usize];
        if run.len() <= 8 {
            run.iter()
                .find(|(c, _)| *c == b)
                .map_or(NO_NODE, |&(_, n)| n)
        } else {
            run.binary_search_by_key(&b, |&(c, _)| c)
                .map_or(NO_NODE, |i| run[i].1)
        }
    }

    /// From `node`, reached at byte `i` of `folded`: every (pattern, end)
    /// of a pattern ending there or further on, by increasing end and, for
    /// one end, by pattern number.
    fn walk(&self, folded: &[u8], mut node: u32, mut i: usize, mut f: impl FnMut(usize, usize)) {
        while node != NO_NODE {
            let n = self.nodes[node as usize];
            for &p in &self.ends[n.ends as usize..(n.ends + n.n_ends) as usize] {
                f(p as usize, i);
            }
            let Some(&b) = folded.get(i) else {
                return;
            };
            node = self.child(node, b);
            i += 1;
        }
    }
}

fn case_sensitive(alias: &str) -> bool {
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
    pub fn build(entities: &[Entity], offices: &[super::Office]) -> Matcher {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut add = |text: &str, t: Target| {
            let text = text.trim();
            if text.is_empty() {
                return;
            }
            let i = *index.entry(text.to_string()).or_insert_with(|| {
                patterns.push(Pattern {
                    text: text.to_string(),
                    case_sensitive: case_sensitive(text),
                    targets: Vec::new(),
                });
                patterns.len() - 1
            });
            if !patterns[i].targets.contains(&t) {
                patterns[i].targets.push(t);
            }
        };
        let mut heads: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for e in entities
            .iter()
            .filter(|e| e.kind != super::EntityKind::Person)
        {
            heads.insert(e.name.as_str());
            heads.extend(
                e.aliases
                    .iter()
                    .filter(|a| !a.contains(' '))
                    .map(|a| a.as_str()),
            );
            heads.extend(e.attr_list("adj"));
        }
        for (i, e) in entities.iter().enumerate() {
            add(
                &e.name,
                Target::Entity {
                    entity: i,
                    how: AliasKind::Name,
                },
            );
            for a in &e.aliases {
                let how = if e.kind == super::EntityKind::Organization && is_descriptive(a, &heads)
                {
                    AliasKind::Descriptive
                } else {
                    AliasKind::Alias
                };
                add(a, Target::Entity { entity: i, how });
            }
            for a in e.attr_list("adj") {
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
            for t in &o.titles {
                add(t, Target::Office(i));
            }
        }
        // Patterns and text are both ASCII-lowercased (which keeps every byte
        // offset), so the automaton needs no case-insensitive transitions.
        // Patterns and text are both ASCII-lowercased (which keeps every byte
        // offset), so the trie needs no case-insensitive transitions.
        let folded: Vec<String> = patterns
            .iter()
            .map(|p| p.text.to_ascii_lowercase())
            .collect();
        let trie = Trie::new(&folded);
        let mut odd_starts: Vec<char> = patterns
            .iter()
            .filter_map(|p| p.text.chars().next())
            .filter(|&c| !is_word_char(c))
            .collect();
        odd_starts.sort_unstable();
        odd_starts.dedup();
        let mut first_words = FxMap::default();
        for (p, f) in patterns.iter().zip(&folded) {
            let run = p
                .text
                .char_indices()
                .find(|&(_, c)| !is_word_char(c))
                .map_or(p.text.len(), |(i, _)| i);
            if run == 0 {
                continue;
            }
            let word = &f.as_bytes()[..run];
            if let Some(node) = trie.node_of(word) {
                first_words.insert(word.into(), node);
            }
        }
        Matcher {
            trie,
            patterns,
            odd_starts,
            first_words,
        }
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
        let mut out: Vec<Hit> = Vec::with_capacity(cands.len());
        let mut last_end = 0;
        for c in cands {
            if c.span.start >= last_end {
                last_end = c.span.end;
                out.push(c);
            }
        }
        out
    }

    /// Every valid match (overlapping ones included), in no particular order.
    ///
    /// A valid match starts at a word start (or, for a pattern that starts
    /// with another character, after a non-word character) and ends at a
    /// word end. So the first word of the text at a word start must be the
    /// whole first word of the pattern: one table look-up per word finds
    /// the trie node to go on from, and most words go no further.
    pub fn candidates(&self, text: &str) -> Vec<Hit> {
        let mut cands: Vec<Hit> = Vec::new();
        let folded = text.to_ascii_lowercase();
        let bytes = folded.as_bytes();
        let mut check = |s: usize, pattern: usize, e: usize| {
            if !text.is_char_boundary(e) || text[e..].chars().next().is_some_and(is_word_char) {
                return;
            }
            let p = &self.patterns[pattern];
            if case_ok(&p.text, &text[s..e], p.case_sensitive) {
                cands.push(Hit {
                    span: Span::new(s, e),
                    pattern,
                });
            }
        };
        // the character at byte `i` (a char boundary) and its length
        let char_at = |i: usize| -> (char, usize) {
            match bytes[i] {
                b if b.is_ascii() => (b as char, 1),
                _ => {
                    let c = text[i..].chars().next().unwrap_or(' ');
                    (c, c.len_utf8())
                }
            }
        };
        let is_word_at = |i: usize| -> (bool, usize) {
            match bytes[i] {
                b if b.is_ascii() => (b.is_ascii_alphanumeric(), 1),
                _ => {
                    let (c, l) = char_at(i);
                    (is_word_char(c), l)
                }
            }
        };
        let mut s = 0;
        let mut prev_word = false;
        while s < bytes.len() {
            let (word, len) = is_word_at(s);
            if !word {
                if !prev_word && self.odd_starts.contains(&char_at(s).0) {
                    let node = self.trie.root[bytes[s] as usize];
                    self.trie.walk(bytes, node, s + 1, |p, e| check(s, p, e));
                }
                prev_word = false;
                s += len;
                continue;
            }
            // a word start: the whole run of word characters
            let mut r = s + len;
            while r < bytes.len() {
                let (w, l) = is_word_at(r);
                if !w {
                    break;
                }
                r += l;
            }
            prev_word = true;
            if let Some(&node) = self.first_words.get(&bytes[s..r]) {
                self.trie.walk(bytes, node, r, |p, e| check(s, p, e));
            }
            s = r;
        }
        cands
    }
}

impl Gazetteer {
    /// Compile the matcher for this gazetteer.
    pub fn matcher(&self) -> Matcher {
        Matcher::build(&self.entities, &self.offices)
    }
}
