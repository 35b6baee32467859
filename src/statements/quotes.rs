//! Quote-mark pairing: one linear pass over the marks of each paragraph with
//! a small state machine (at most one quote open at a time; marks of the
//! other kind inside it are nested quotes and are skipped).
//!
//! Marks understood: straight `"` and `'`, curly `“ ” ‘ ’`, low `„`,
//! guillemets `« »`, and the wire style ``` `` ``` … `''`. A straight mark's
//! direction comes from its neighbours (white space before and a word after
//! opens; a word or punctuation before and white space or punctuation after
//! closes). Apostrophes (`We're`, `Xi’s`, `the ’90s`) never open or close.
//!
//! Unbalanced marks stay inside their paragraph: a quote still open at the
//! end of a paragraph runs on into the next one only when that paragraph
//! opens with a quote mark of the same kind (the multi-paragraph convention);
//! otherwise a double quote ends at the paragraph end and a single one is
//! dropped (it was most likely an apostrophe). An opening mark met while a
//! quote of its kind is open ends that quote and starts a new one.

use crate::document::{char_at, char_before, Document, Span};

/// Double (`"`, `“”`, ``` `` '' ```, `«»`) or single (`'`, `‘’`) marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuoteKind {
    Double,
    Single,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Open,
    Close,
    /// A straight mark whose neighbours do not tell its direction.
    Either,
}

#[derive(Clone, Copy, Debug)]
struct Mark {
    span: Span,
    kind: QuoteKind,
    role: Role,
}

/// One quoted span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quote {
    /// The quoted words without marks, white space and a trailing comma.
    pub inner: Span,
    /// The opening mark.
    pub open: Span,
    /// The closing mark; None when the quote ends unclosed (paragraph end,
    /// or a new opening mark of its kind).
    pub close: Option<Span>,
    pub kind: QuoteKind,
    pub paragraph: usize,
    /// Index (in the returned list) of the quote of the previous paragraph
    /// that this one continues (multi-paragraph quotation).
    pub continues: Option<usize>,
}

impl Quote {
    /// From the opening mark to the closing mark (or the end of the words).
    pub fn outer(&self) -> Span {
        Span::new(
            self.open.start,
            self.close.map(|c| c.end).unwrap_or(self.inner.end),
        )
    }
}

fn opening_context(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '(' | '[' | '{' | '—' | '–' | '-' | '/' | ':' | '"' | '\'' | '“' | '‘' | '`' | '«'
        )
}

fn closing_context(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '.' | ','
                | ';'
                | ':'
                | '!'
                | '?'
                | ')'
                | ']'
                | '}'
                | '—'
                | '–'
                | '-'
                | '…'
                | '"'
                | '\''
                | '”'
                | '’'
                | '»'
        )
}

/// [`LEADS`] as a table, the tests' reference.
#[cfg(test)]
const MARK_LEAD: [bool; 256] = {
    let mut t = [false; 256];
    t[b'"' as usize] = true;
    t[b'\'' as usize] = true;
    t[b'`' as usize] = true;
    t[0xC2] = true;
    t[0xE2] = true;
    t
};

/// Bytes that may start a quote mark: `"`, `'`, `` ` ``, and the lead bytes
/// of `« »` (0xC2) and of `“ ” „ ‘ ’` (0xE2).
const LEADS: [u8; 5] = [b'"', b'\'', b'`', 0xC2, 0xE2];

/// The first byte at or after `i` that may start a quote mark
/// ([`LEADS`]), by [`crate::document::bytescan::next_of`].
#[inline]
fn next_lead(bytes: &[u8], i: usize) -> Option<usize> {
    crate::document::bytescan::next_of(bytes, i, LEADS)
}

/// The role of a single quote mark `c` between `prev` and `next` (`left`
/// and `right`: whether the characters around it may open or close a
/// quote), or None for an apostrophe.
fn single_role(
    c: char,
    prev: Option<char>,
    next: Option<char>,
    left: bool,
    right: bool,
) -> Option<Role> {
    let word_before = prev.is_some_and(|p| p.is_alphanumeric());
    let word_after = next.is_some_and(|n| n.is_alphanumeric());
    let digit_after = next.is_some_and(|n| n.is_ascii_digit());
    if word_before && word_after {
        None // We're, Xi’s
    } else if c == '`' {
        Some(Role::Open)
    } else if left && digit_after {
        None // the '90s
    } else if c == '’' {
        (!left).then_some(Role::Close)
    } else if c == '‘' {
        Some(Role::Open)
    } else {
        match (left, right) {
            (true, false) => Some(Role::Open),
            (false, true) => Some(Role::Close),
            _ => None,
        }
    }
}

/// The quote marks of `text[lo..hi]`, in order, with their roles. Only the
/// bytes that may start a mark are looked at closely.
fn marks(text: &str, lo: usize, hi: usize, singles: bool, out: &mut Vec<Mark>) {
    out.clear();
    let s = &text[lo..hi];
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match next_lead(bytes, i) {
            Some(k) => i = k,
            None => break,
        }
        let Some(c) = char_at(s, i) else { break };
        let len = c.len_utf8();
        if !matches!(
            c,
            '`' | '\'' | '"' | '“' | '„' | '«' | '”' | '»' | '‘' | '’'
        ) {
            i += len;
            continue;
        }
        let prev = char_before(s, i);
        let next = char_at(s, i + len);
        let start = lo + i;
        let left = prev.is_none_or(opening_context);
        let right = next.is_none_or(closing_context);
        let mut push = |len: usize, kind: QuoteKind, role: Role| {
            out.push(Mark {
                span: Span::new(start, start + len),
                kind,
                role,
            });
        };
        match c {
            '`' if next == Some('`') => {
                push(2, QuoteKind::Double, Role::Open);
                i += 2;
                continue;
            }
            '\'' if next == Some('\'') => {
                let right2 = char_at(s, i + 2).is_none_or(closing_context);
                let role = if left && !right2 {
                    Role::Open
                } else {
                    Role::Close
                };
                push(2, QuoteKind::Double, role);
                i += 2;
                continue;
            }
            '"' => {
                let role = match (left, right) {
                    (true, false) => Role::Open,
                    (false, true) => Role::Close,
                    _ => Role::Either,
                };
                push(1, QuoteKind::Double, role);
            }
            '“' | '„' | '«' => push(len, QuoteKind::Double, Role::Open),
            '”' => {
                let role = if left && !right {
                    Role::Open
                } else {
                    Role::Close
                };
                push(len, QuoteKind::Double, role);
            }
            '»' => push(len, QuoteKind::Double, Role::Close),
            '`' | '‘' | '\'' | '’' if singles => {
                if let Some(role) = single_role(c, prev, next, left, right) {
                    push(len, QuoteKind::Single, role);
                }
            }
            _ => {}
        }
        i += len;
    }
}

/// [`marks`] as first written, char by char: the reference the fast one is
/// tested against.
#[cfg(test)]
fn marks_reference(text: &str, lo: usize, hi: usize, singles: bool, out: &mut Vec<Mark>) {
    out.clear();
    let s = &text[lo..hi];
    let mut prev: Option<char> = None;
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        // most characters are no quote mark: nothing to work out
        if !matches!(
            c,
            '`' | '\'' | '"' | '“' | '„' | '«' | '”' | '»' | '‘' | '’'
        ) {
            prev = Some(c);
            continue;
        }
        let next = it.peek().map(|&(_, n)| n);
        let start = lo + i;
        let left = prev.is_none_or(opening_context);
        let right = next.is_none_or(closing_context);
        let mut push = |len: usize, kind: QuoteKind, role: Role| {
            out.push(Mark {
                span: Span::new(start, start + len),
                kind,
                role,
            });
        };
        match c {
            '`' if next == Some('`') => {
                it.next();
                push(2, QuoteKind::Double, Role::Open);
                prev = Some('`');
                continue;
            }
            '\'' if next == Some('\'') => {
                it.next();
                let after = it.peek().map(|&(_, n)| n);
                let right2 = after.is_none_or(closing_context);
                let role = if left && !right2 {
                    Role::Open
                } else {
                    Role::Close
                };
                push(2, QuoteKind::Double, role);
                prev = Some('\'');
                continue;
            }
            '"' => {
                let role = match (left, right) {
                    (true, false) => Role::Open,
                    (false, true) => Role::Close,
                    _ => Role::Either,
                };
                push(1, QuoteKind::Double, role);
            }
            '“' | '„' | '«' => push(c.len_utf8(), QuoteKind::Double, Role::Open),
            '”' => {
                let role = if left && !right {
                    Role::Open
                } else {
                    Role::Close
                };
                push(c.len_utf8(), QuoteKind::Double, role);
            }
            '»' => push(c.len_utf8(), QuoteKind::Double, Role::Close),
            '`' | '‘' | '\'' | '’' if singles => {
                if let Some(role) = single_role(c, prev, next, left, right) {
                    push(c.len_utf8(), QuoteKind::Single, role);
                }
            }
            _ => {}
        }
        prev = Some(c);
    }
}

/// Trim white space (and a trailing comma) from `[a, b)`.
fn trim(text: &str, a: usize, b: usize) -> Span {
    let s = &text[a..b];
    let lead = s.len() - s.trim_start().len();
    let mut t = s.trim();
    while let Some(u) = t.strip_suffix(',') {
        t = u.trim_end();
    }
    Span::new(a + lead, a + lead + t.len())
}

/// The first mark at the start of paragraph `p` (after white space).
fn opens_with(text: &str, p: Span, kind: QuoteKind, buf: &mut Vec<Mark>) -> bool {
    let s = &text[p.start..p.end];
    let lead = s.len() - s.trim_start().len();
    let a = p.start + lead;
    // look at the first few characters only
    let mut b = a;
    for (i, c) in text[a..p.end].char_indices().take(3) {
        b = a + i + c.len_utf8();
    }
    marks(text, a, b, true, buf);
    buf.first()
        .is_some_and(|m| m.span.start == a && m.kind == kind && m.role != Role::Close)
}

struct Open {
    mark: Mark,
    continues: Option<usize>,
}

/// Pair the quote marks of `doc`, paragraph by paragraph (headings skipped).
pub fn find_quotes(doc: &Document) -> Vec<Quote> {
    let text = doc.text.as_str();
    let mut out: Vec<Quote> = Vec::new();
    let mut buf = Vec::new();
    let mut peek = Vec::new();
    // quote of the previous paragraph that runs on into the next one
    let mut carry: Option<(usize, QuoteKind)> = None;
    for (pi, para) in doc.paragraphs.iter().enumerate() {
        if para.heading {
            carry = None;
            continue;
        }
        let carried = carry.take();
        let mut singles = true;
        let mut from = para.span.start;
        // at most two passes: the second, without single marks, re-reads the
        // rest of a paragraph after a single mark that never closed
        loop {
            marks(text, from, para.span.end, singles, &mut buf);
            let mut open: Option<Open> = None;
            let mut first = true;
            let mut retry_from = None;
            for &m in buf.iter() {
                let cont = if first && from == para.span.start {
                    carried.filter(|&(_, k)| k == m.kind).map(|(q, _)| q)
                } else {
                    None
                };
                first = false;
                match &open {
                    None => {
                        if m.role != Role::Close {
                            open = Some(Open {
                                mark: m,
                                continues: cont,
                            });
                        }
                    }
                    Some(o)
                        if o.mark.kind == m.kind
                            && (m.role != Role::Open || m.kind == QuoteKind::Double) =>
                    {
                        let inner = trim(text, o.mark.span.end, m.span.start);
                        let (close, reopen) = match m.role {
                            Role::Close | Role::Either => (Some(m.span), false),
                            Role::Open => (None, true),
                        };
                        if !inner.is_empty() {
                            out.push(Quote {
                                inner,
                                open: o.mark.span,
                                close,
                                kind: o.mark.kind,
                                paragraph: pi,
                                continues: o.continues,
                            });
                        }
                        open = if reopen {
                            Some(Open {
                                mark: m,
                                continues: None,
                            })
                        } else {
                            None
                        };
                    }
                    Some(_) => {} // a nested mark of the other kind
                }
            }
            if let Some(o) = open {
                let next = doc.paragraphs.get(pi + 1).filter(|n| !n.heading);
                let runs_on =
                    next.is_some_and(|n| opens_with(text, n.span, o.mark.kind, &mut peek));
                let inner = trim(text, o.mark.span.end, para.span.end);
                if runs_on || o.mark.kind == QuoteKind::Double {
                    if !inner.is_empty() {
                        out.push(Quote {
                            inner,
                            open: o.mark.span,
                            close: None,
                            kind: o.mark.kind,
                            paragraph: pi,
                            continues: o.continues,
                        });
                        if runs_on {
                            carry = Some((out.len() - 1, o.mark.kind));
                        }
                    }
                } else if singles {
                    retry_from = Some(o.mark.span.end);
                }
            }
            match retry_from {
                Some(f) => {
                    singles = false;
                    from = f;
                }
                None => break,
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &[Mark], b: &[Mark]) -> bool {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(x, y)| x.span == y.span && x.kind == y.kind && x.role == y.role)
    }

    #[test]
    fn next_lead_finds_the_first_lead_byte() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..5_000 {
            let len = (x % 70) as usize;
            let mut b = Vec::new();
            for _ in 0..len {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // mostly plain bytes, now and then a lead byte or a near miss
                b.push(match x % 16 {
                    0 => b'"',
                    1 => 0xE2,
                    2 => 0xC2,
                    3 => b'`',
                    4 => b'\'',
                    5 => 0xE3,
                    6 => b'#',
                    _ => b'a' + (x % 26) as u8,
                });
            }
            for i in 0..=b.len() {
                let want = b[i..]
                    .iter()
                    .position(|&c| MARK_LEAD[c as usize])
                    .map(|k| i + k);
                assert_eq!(next_lead(&b, i), want, "{b:?} {i}");
                assert_eq!(
                    crate::document::bytescan::next_of_portable(&b, i, LEADS),
                    want,
                    "{b:?} {i}"
                );
            }
        }
    }

    #[test]
    fn fast_marks_agree_with_the_reference() {
        const PIECES: &[&str] = &[
            "\"", "'", "`", "“", "”", "„", "‘", "’", "«", "»", "a", "9", " ", "\n", ".", ",", "(",
            "-", "—", "é", "…", "\u{a0}", "日", "Â", "â€",
        ];
        let n = PIECES.len() as u64;
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for round in 0..30_000 {
            let mut t = String::new();
            for _ in 0..(2 + round % 14) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                t.push_str(PIECES[(x % n) as usize]);
            }
            for singles in [true, false] {
                // the whole string and a window inside it
                let lo = t.char_indices().nth(1).map_or(0, |(i, _)| i);
                for (l, h) in [(0, t.len()), (lo, t.len())] {
                    marks(&t, l, h, singles, &mut a);
                    marks_reference(&t, l, h, singles, &mut b);
                    assert!(same(&a, &b), "{t:?} {l} {singles}: {a:?} vs {b:?}");
                }
            }
        }
    }
}
