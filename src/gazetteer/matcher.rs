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

use super::{Entity, Gazetteer};
use crate::document::Span;
use crate::lexicon::FxMap;
use aho_corasick::automaton::Automaton;
use aho_corasick::nfa::contiguous::NFA;
use aho_corasick::{Anchored, MatchKind};

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
    /// The aho-corasick crate's contiguous NFA, driven directly (see
    /// [`Matcher::candidates`]).
    nfa: NFA,
    pub patterns: Vec<Pattern>,
}

/// States this close to the start are stored densely (one lookup per
/// byte instead of a scan of the transitions): the start of every word
/// passes through them. 3 instead of the crate's 2 costs about 1 MB.
const DENSE_DEPTH: usize = 3;

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
    pub fn build<'a>(entities: &'a [Entity], offices: &'a [super::Office]) -> Matcher {
        // Patterns by their text, borrowed from the tables for the build.
        let mut index: FxMap<&str, usize> = FxMap::default();
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut add = |text: &'a str, t: Target| {
            let text = text.trim();
            if text.is_empty() {
                return;
            }
            let i = *index.entry(text).or_insert_with(|| {
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
        let nfa = NFA::builder()
            .match_kind(MatchKind::Standard)
            .dense_depth(DENSE_DEPTH)
            .prefilter(false)
            .build(patterns.iter().map(|p| p.text.to_ascii_lowercase()))
            .expect("aho-corasick automaton over gazetteer patterns");
        Matcher { nfa, patterns }
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
    pub fn candidates(&self, text: &str) -> Vec<Hit> {
        let mut cands: Vec<Hit> = Vec::new();
        // An overlapping search, as `AhoCorasick::find_overlapping_iter`
        // runs it (every match of every state, in the automaton's order),
        // with the loop kept in registers. Patterns and text are both
        // ASCII-lowercased, which keeps every byte offset.
        let nfa = &self.nfa;
        let Ok(mut sid) = nfa.start_state(Anchored::No) else {
            return cands;
        };
        for (i, &byte) in text.as_bytes().iter().enumerate() {
            sid = nfa.next_state(Anchored::No, sid, byte.to_ascii_lowercase());
            if !nfa.is_special(sid) {
                continue;
            }
            if nfa.is_dead(sid) {
                break;
            }
            if !nfa.is_match(sid) {
                continue;
            }
            self.matches_at(text, sid, i + 1, &mut cands);
        }
        cands
    }

    /// The valid matches of match state `sid` at end offset `e`, in the
    /// state's order (out of the byte loop: most bytes end no match).
    #[inline(never)]
    fn matches_at(
        &self,
        text: &str,
        sid: aho_corasick::automaton::StateID,
        e: usize,
        out: &mut Vec<Hit>,
    ) {
        let nfa = &self.nfa;
        for k in 0..nfa.match_len(sid) {
            let pid = nfa.match_pattern(sid, k);
            let s = e - nfa.pattern_len(pid);
            if let Some(h) = self.check(text, s, e, pid.as_usize()) {
                out.push(h);
            }
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
    use aho_corasick::{AhoCorasick, AhoCorasickKind};

    /// The candidates as the crate's own overlapping iterator finds them.
    fn via_iterator(m: &Matcher, text: &str) -> Vec<Hit> {
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(m.patterns.iter().map(|p| p.text.to_ascii_lowercase()))
            .unwrap();
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
    }
}
