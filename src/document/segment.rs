//! Paragraphs, sentences and tokens in one left-to-right pass per layer.

use super::{
    Dateline, DocumentModel, LowBuilder, Lowered, Paragraph, Sentence, Span, Token, TokenKind,
    LOW_BYTES,
};

fn is_blank(line: &str) -> bool {
    // most lines start with a letter: not blank at the first byte
    match line.as_bytes().first() {
        Some(&b) if b < 0x80 && CLASS[b as usize] & SPACE == 0 => false,
        _ => line.trim().is_empty(),
    }
}

/// The lines of `text` as `text.split_inclusive('\n')` gives them, as
/// (start, end) byte offsets: the newlines found sixteen bytes at a time.
pub(super) fn line_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= bytes.len() {
            return None;
        }
        let start = pos;
        pos = next_newline(bytes, pos).map_or(bytes.len(), |k| k + 1);
        Some((start, pos))
    })
}

/// The first `\n` at or after `i` ([`super::bytescan::next_of`]).
#[inline]
fn next_newline(bytes: &[u8], i: usize) -> Option<usize> {
    super::bytescan::next_of(bytes, i, [b'\n'])
}

/// Trim white space off both ends of `[s, e)` in `text`.
fn trim(text: &str, s: usize, e: usize) -> Option<Span> {
    let t = &text[s..e];
    let lead = t.len() - t.trim_start().len();
    let body = t.trim();
    if body.is_empty() {
        None
    } else {
        Some(Span::new(s + lead, s + lead + body.len()))
    }
}

/// A single line that is a section head ("- End 'downward spiral' -", "###").
fn looks_like_section_head(line: &str) -> bool {
    let t = line.trim();
    (t.starts_with("- ") && t.ends_with(" -"))
        || (!t.is_empty() && t.chars().all(|c| !c.is_alphanumeric()))
}

/// Split the text into paragraphs: blank lines and indented lines start a
/// new one; lines up to the dateline, the byline and the dateline itself are
/// heading paragraphs of their own.
pub(super) fn paragraphs(
    text: &str,
    dateline: Option<&Dateline>,
    byline: Option<Span>,
) -> Vec<Paragraph> {
    let head_end = dateline
        .map(|d| d.span.end)
        .into_iter()
        .chain(byline.map(|b| b.end))
        .max()
        .unwrap_or(0);
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    // lines of the open paragraph (all non-blank: the paragraph holds a
    // newline between words exactly when it has two or more)
    let mut lines = 0;
    let push = |out: &mut Vec<Paragraph>, s: usize, e: usize, heading: bool, single_line: bool| {
        if let Some(sp) = trim(text, s, e) {
            let heading =
                heading || (single_line && looks_like_section_head(&text[sp.start..sp.end]));
            out.push(Paragraph { span: sp, heading });
        }
    };
    for (ls, le) in line_spans(text) {
        let line = &text[ls..le];
        if is_blank(line) {
            if let Some(s) = start.take() {
                push(&mut out, s, ls, false, lines == 1);
            }
            continue;
        }
        // Heading region: each line (or the dateline part of a line) alone.
        if ls < head_end {
            if let Some(s) = start.take() {
                push(&mut out, s, ls, false, lines == 1);
            }
            let split = dateline.map(|d| d.span.end).filter(|&e| e > ls && e < le);
            match split {
                Some(e) if trim(text, e, le).is_some() => {
                    push(&mut out, ls, e, true, true);
                    start = Some(e);
                    lines = 1;
                }
                _ => push(&mut out, ls, le, true, true),
            }
            continue;
        }
        let indented = line.starts_with("  ") || line.starts_with('\t');
        if indented {
            if let Some(s) = start.take() {
                push(&mut out, s, ls, false, lines == 1);
            }
        }
        if start.is_none() {
            start = Some(ls);
            lines = 1;
        } else {
            lines += 1;
        }
    }
    if let Some(s) = start {
        push(&mut out, s, text.len(), false, lines == 1);
    }
    out
}

/// Tokenize a free-standing string the way documents are tokenized
/// (used to compile lexicon phrases).
pub fn tokenize(text: &str) -> Vec<Token> {
    tokenize_whole(text, &mut NoLower).0
}

/// What [`tokenize_into`] tells of each token's lower-case text:
/// [`LowBuilder`] keeps it, [`NoLower`] drops it.
pub(crate) trait LowerSink {
    /// See [`LowBuilder::push_ascii`].
    fn push_ascii(&mut self, v: u64, a: usize, n: usize, digit: bool);
    /// See [`LowBuilder::push_ascii16`].
    fn push_ascii16(&mut self, v: u64, v2: u64, a: usize, n: usize, digit: bool);
    /// See [`LowBuilder::push`].
    fn push(&mut self, text: &str, a: usize, n: usize, digit: bool);
}

impl LowerSink for LowBuilder {
    #[inline(always)]
    fn push_ascii(&mut self, v: u64, a: usize, n: usize, digit: bool) {
        LowBuilder::push_ascii(self, v, a, n, digit)
    }
    #[inline(always)]
    fn push_ascii16(&mut self, v: u64, v2: u64, a: usize, n: usize, digit: bool) {
        LowBuilder::push_ascii16(self, v, v2, a, n, digit)
    }
    #[inline(always)]
    fn push(&mut self, text: &str, a: usize, n: usize, digit: bool) {
        LowBuilder::push(self, text, a, n, digit)
    }
}

/// The tokens alone (free-standing strings: lexicon phrases).
struct NoLower;

impl LowerSink for NoLower {
    #[inline(always)]
    fn push_ascii(&mut self, _: u64, _: usize, _: usize, _: bool) {}
    #[inline(always)]
    fn push_ascii16(&mut self, _: u64, _: u64, _: usize, _: usize, _: bool) {}
    #[inline(always)]
    fn push(&mut self, _: &str, _: usize, _: usize, _: bool) {}
}

/// The tokens and sentence stops of all of `text`, as one paragraph.
fn tokenize_whole<L: LowerSink>(text: &str, low: &mut L) -> (Vec<Token>, Vec<usize>) {
    let mut out = Vec::with_capacity(text.len() / 3 + 2);
    let mut stops = Vec::new();
    tokenize_into(text, Span::new(0, text.len()), &mut out, low, &mut stops);
    (out, stops)
}

/// The char starting at byte `pos` of `s` (None at the end); `pos` must be
/// a char boundary.
#[inline]
pub(crate) fn char_at(s: &str, pos: usize) -> Option<char> {
    let b = *s.as_bytes().get(pos)?;
    if b < 0x80 {
        Some(b as char)
    } else {
        s.get(pos..)?.chars().next()
    }
}

/// The char ending at byte `end` of `s` (None at the start).
#[inline]
pub(crate) fn char_before(s: &str, end: usize) -> Option<char> {
    let b = *s.as_bytes().get(end.checked_sub(1)?)?;
    if b < 0x80 {
        Some(b as char)
    } else {
        s.get(..end)?.chars().next_back()
    }
}

/// [`CLASS`] bits of an ASCII byte.
const ALNUM: u8 = 1;
const ALPHA: u8 = 2;
const SPACE: u8 = 4;
const DIGIT: u8 = 8;

/// The class of every byte: ASCII letters, digits and white space (as
/// `char::is_alphanumeric`, `is_alphabetic`, `is_whitespace` say); 0 for
/// other bytes, including every byte of a multi-byte char.
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphabetic() {
            ALNUM | ALPHA
        } else if c.is_ascii_digit() {
            ALNUM | DIGIT
        } else if c == b' ' || (c >= b'\t' && c <= b'\r') {
            SPACE
        } else {
            0
        };
        b += 1;
    }
    t
};

/// Per byte of an eight-byte word (little-endian): bit 7 set where the
/// byte is an ASCII letter, and where it is an ASCII letter or digit.
#[inline(always)]
fn alpha_alnum8(w: u64) -> (u64, u64) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = ONES * 0x80;
    let ascii = !w & HI;
    // the low seven bits of each byte: adding to them carries into bit 7
    // at most, never into the next byte
    let low7 = w & !HI;
    let digit = low7.wrapping_add(ONES * (0x80 - b'0' as u64))
        & !low7.wrapping_add(ONES * (0x80 - b'9' as u64 - 1));
    let folded = low7 | (ONES * 0x20);
    let alpha = folded.wrapping_add(ONES * (0x80 - b'a' as u64))
        & !folded.wrapping_add(ONES * (0x80 - b'z' as u64 - 1));
    let alpha = alpha & ascii;
    (alpha, (digit & ascii) | alpha)
}

/// `w` with its ASCII letters lower-case, given `alpha` (bit 7 set in each
/// byte that is an ASCII letter, as [`alpha_alnum8`] gives it): a letter's
/// 0x20 bit set. The same as [`super::ascii_lower8`] on the bytes that are ASCII
/// letters or digits.
#[inline(always)]
fn lower_alnum8(w: u64, alpha: u64) -> u64 {
    w | (alpha >> 2)
}

/// Tokenize `text[span]` onto `out`, with each token's lower-case text onto
/// `low`, and the index (into `out`) of every token that may end a sentence
/// (`.`, `!`, `?`, `…`, or a word ending with a period like "U.S.") onto
/// `stops`. Tokens get sentence 0.
#[inline(never)]
fn tokenize_into<L: LowerSink>(
    text: &str,
    span: Span,
    out: &mut Vec<Token>,
    low: &mut L,
    stops: &mut Vec<usize>,
) {
    let s = &text[span.start..span.end];
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // an ASCII digit in the first bytes the word takes
        let mut digit_seen = false;
        // the first char: its length, and whether it is a letter
        let (clen, mut has_alpha) = if b < 0x80 {
            let cl = CLASS[b as usize];
            if cl & SPACE != 0 {
                i += 1;
                continue;
            }
            if cl & ALNUM == 0 {
                if matches!(b, b'.' | b'!' | b'?') {
                    stops.push(out.len());
                }
                out.push(Token {
                    span: Span::new(span.start + i, span.start + i + 1),
                    kind: TokenKind::Punct,
                    sentence: 0,
                });
                low.push_ascii(b as u64, span.start + i, 1, false);
                i += 1;
                // (a space after it is passed over here, not by the loop)
                if bytes.get(i) == Some(&b' ') {
                    i += 1;
                }
                continue;
            }
            // the common case: a word of ASCII letters and digits read
            // eight bytes at a time (up to sixteen), ending within them at
            // a byte that cannot continue it
            let w = load_word(bytes, i);
            let (alpha, alnum) = alpha_alnum8(w);
            let n = ((!alnum & 0x8080_8080_8080_8080).trailing_zeros() / 8) as usize;
            let mask = LOW_BYTES[n];
            if n < 8 {
                if ends_at(bytes, i + n) {
                    out.push(Token {
                        span: Span::new(span.start + i, span.start + i + n),
                        kind: if alpha & mask != 0 {
                            TokenKind::Word
                        } else {
                            TokenKind::Number
                        },
                        sentence: 0,
                    });
                    low.push_ascii(
                        lower_alnum8(w, alpha) & mask,
                        span.start + i,
                        n,
                        alnum & !alpha & mask != 0,
                    );
                    i += n;
                    if bytes.get(i) == Some(&b' ') {
                        i += 1;
                    }
                    continue;
                }
                // on from the first byte the word cannot take as is
                digit_seen = alnum & !alpha & mask != 0;
                (n, alpha & mask != 0)
            } else {
                let w2 = load_word(bytes, i + 8);
                let (alpha2, alnum2) = alpha_alnum8(w2);
                let n2 = ((!alnum2 & 0x8080_8080_8080_8080).trailing_zeros() / 8) as usize;
                let mask2 = LOW_BYTES[n2];
                let alpha_seen = alpha != 0 || alpha2 & mask2 != 0;
                let digit = alnum & !alpha != 0 || alnum2 & !alpha2 & mask2 != 0;
                if n2 < 8 && ends_at(bytes, i + 8 + n2) {
                    out.push(Token {
                        span: Span::new(span.start + i, span.start + i + 8 + n2),
                        kind: if alpha_seen {
                            TokenKind::Word
                        } else {
                            TokenKind::Number
                        },
                        sentence: 0,
                    });
                    low.push_ascii16(
                        lower_alnum8(w, alpha),
                        lower_alnum8(w2, alpha2) & mask2,
                        span.start + i,
                        8 + n2,
                        digit,
                    );
                    i += 8 + n2;
                    if bytes.get(i) == Some(&b' ') {
                        i += 1;
                    }
                    continue;
                }
                digit_seen = digit;
                (8 + n2, alpha_seen)
            }
        } else {
            let Some(c) = char_at(s, i) else { break };
            if c.is_whitespace() {
                i += c.len_utf8();
                continue;
            }
            if !c.is_alphanumeric() {
                let l = c.len_utf8();
                if c == '…' {
                    stops.push(out.len());
                }
                out.push(Token {
                    span: Span::new(span.start + i, span.start + i + l),
                    kind: TokenKind::Punct,
                    sentence: 0,
                });
                low.push(text, span.start + i, l, false);
                i += l;
                continue;
            }
            (c.len_utf8(), c.is_alphabetic())
        };
        let mut end = i + clen;
        // ASCII letters and digits OR their classes in here
        let mut seen = 0u8;
        // letters/digits; internal '.' or ',' between digits; "U.S." style
        while let Some(&nb) = bytes.get(end) {
            let cl = CLASS[nb as usize];
            if cl & ALNUM != 0 {
                seen |= cl;
                end += 1;
                continue;
            }
            if nb >= 0x80 {
                match char_at(s, end) {
                    Some(n) if n.is_alphanumeric() => {
                        has_alpha |= n.is_alphabetic();
                        end += n.len_utf8();
                        continue;
                    }
                    _ => break,
                }
            }
            if nb != b'.' && nb != b',' {
                break;
            }
            let next = char_at(s, end + 1);
            let prev = char_before(s, end).unwrap_or(' ');
            if prev.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit()) {
                end += 1;
                continue;
            }
            // "U.S." / "a.m.": single letters separated by periods
            let Some(n) = next.filter(|n| nb == b'.' && n.is_alphabetic()) else {
                break;
            };
            let single = prev.is_alphabetic()
                && !char_before(s, end - prev.len_utf8()).is_some_and(char::is_alphanumeric);
            let closed = char_at(s, end + 1 + n.len_utf8())
                .is_some_and(|a| a == '.' || !a.is_alphanumeric());
            if !(single && closed) {
                break;
            }
            // take the period and the letter
            end += 1 + n.len_utf8();
            if bytes.get(end) == Some(&b'.') {
                end += 1;
                // continue only if another "X." follows
                let more = char_at(s, end)
                    .filter(|c| c.is_alphabetic())
                    .is_some_and(|c| char_at(s, end + c.len_utf8()) == Some('.'));
                if !more {
                    break;
                }
            }
        }
        let kind = if has_alpha || seen & ALPHA != 0 {
            TokenKind::Word
        } else {
            TokenKind::Number
        };
        if kind == TokenKind::Word && end - i > 2 && bytes[end - 1] == b'.' {
            stops.push(out.len());
        }
        out.push(Token {
            span: Span::new(span.start + i, span.start + end),
            kind,
            sentence: 0,
        });
        low.push(
            text,
            span.start + i,
            end - i,
            digit_seen || seen & DIGIT != 0,
        );
        i = end;
    }
}

/// The eight bytes of `bytes` from `i` as a little-endian word, zero past
/// the end.
#[inline(always)]
fn load_word(bytes: &[u8], i: usize) -> u64 {
    // (the rest from `i`, then its first eight: two compares, no `i + 8`
    // that could overflow)
    let rest = bytes.get(i..).unwrap_or(&[]);
    match rest.first_chunk::<8>() {
        Some(w) => u64::from_le_bytes(*w),
        None => load_short(rest),
    }
}

/// Whether a word of ASCII letters and digits that reaches byte `p` ends
/// there: at the end, or at an ASCII byte that does not continue it (a
/// '.' or ',' continues a word only before a letter or digit: "3.5",
/// "U.S.").
#[inline(always)]
fn ends_at(bytes: &[u8], p: usize) -> bool {
    match bytes.get(p) {
        None => true,
        Some(&t) if t >= 0x80 => false,
        Some(b'.' | b',') => bytes
            .get(p + 1)
            .is_none_or(|&u| u < 0x80 && CLASS[u as usize] & ALNUM == 0),
        Some(_) => true,
    }
}

/// The bytes of `b` (fewer than eight) as a little-endian word.
#[inline(never)]
fn load_short(b: &[u8]) -> u64 {
    b.iter()
        .take(8)
        .enumerate()
        .fold(0, |v, (k, &x)| v | (x as u64) << (8 * k))
}

/// The tokenizer as first written, char by char: the reference the fast
/// one is tested against.
#[cfg(test)]
pub(super) fn tokenize_reference(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    reference_into(text, Span::new(0, text.len()), &mut out, 0);
    out
}

#[cfg(test)]
fn reference_into(text: &str, span: Span, out: &mut Vec<Token>, sentence: usize) {
    let s = &text[span.start..span.end];
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c.is_whitespace() {
            continue;
        }
        if c.is_alphanumeric() {
            let mut end = i + c.len_utf8();
            let mut has_alpha = c.is_alphabetic();
            // letters/digits; internal '.' or ',' between digits; "U.S." style
            loop {
                let rest = &s[end..];
                let mut ch = rest.chars();
                match ch.next() {
                    Some(n) if n.is_alphanumeric() => {
                        has_alpha |= n.is_alphabetic();
                        end += n.len_utf8();
                    }
                    Some(p @ ('.' | ',')) => {
                        let next = ch.next();
                        let prev = s[..end].chars().next_back().unwrap_or(' ');
                        let digits =
                            prev.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit());
                        // "U.S." / "a.m.": single letters separated by periods
                        let seg_start = s[..end]
                            .char_indices()
                            .rfind(|&(_, ch)| !ch.is_alphanumeric())
                            .map(|(k, ch)| k + ch.len_utf8())
                            .unwrap_or(0);
                        let single = s[seg_start..end].chars().count() == 1;
                        let dotted = p == '.'
                            && prev.is_alphabetic()
                            && single
                            && next.is_some_and(|n| n.is_alphabetic())
                            && s[end + 1..]
                                .chars()
                                .nth(1)
                                .is_some_and(|n| n == '.' || !n.is_alphanumeric());
                        if digits {
                            end += 1;
                        } else if dotted {
                            end += 1;
                            // take the letter and its period
                            let n = next.unwrap();
                            end += n.len_utf8();
                            if s[end..].starts_with('.') {
                                end += 1;
                                // continue only if another "X." follows
                                let more =
                                    s[end..].chars().next().is_some_and(|c| c.is_alphabetic())
                                        && s[end..].chars().nth(1) == Some('.');
                                if !more {
                                    break;
                                }
                            }
                        } else {
                            break;
                        }
                    }
                    _ => break,
                }
            }
            while it.peek().is_some_and(|&(j, _)| j < end) {
                it.next();
            }
            out.push(Token {
                span: Span::new(span.start + i, span.start + end),
                kind: if has_alpha {
                    TokenKind::Word
                } else {
                    TokenKind::Number
                },
                sentence,
            });
        } else {
            out.push(Token {
                span: Span::new(span.start + i, span.start + i + c.len_utf8()),
                kind: TokenKind::Punct,
                sentence,
            });
        }
    }
}

fn is_closer(t: &str) -> bool {
    matches!(t, "\"" | "”" | "’" | "'" | ")" | "]" | "»")
}

fn starts_sentence(t: &str) -> bool {
    t.chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        || matches!(t, "\"" | "“" | "'" | "‘" | "`" | "(" | "«" | "-" | "—")
}

/// Sentences, tokens and the tokens' lower-case text, of every paragraph.
pub(super) fn sentences_and_tokens(
    model: &DocumentModel,
    text: &str,
    paragraphs: &[Paragraph],
) -> (Vec<Sentence>, Vec<Token>, Lowered) {
    // room for a sentence of about 120 bytes (grows when needed)
    let mut sentences = Vec::with_capacity(text.len() / 120 + 4);
    // news text has about one token per five bytes: room for more, so
    // that the list is seldom moved while it grows
    let cap = text.len() / 4 + 16;
    let mut tokens: Vec<Token> = Vec::with_capacity(cap);
    let mut low = LowBuilder::new(text, cap);
    // tokens that may end a sentence
    let mut stops = Vec::with_capacity(text.len() / 100 + 4);
    // ends (paragraph-relative token index) of a paragraph's sentences
    let mut cuts = Vec::new();
    for (pi, p) in paragraphs.iter().enumerate() {
        let base = tokens.len();
        let first_stop = stops.len();
        tokenize_into(text, p.span, &mut tokens, &mut low, &mut stops);
        if p.heading {
            let si = sentences.len();
            for t in &mut tokens[base..] {
                t.sentence = si;
            }
            sentences.push(Sentence {
                span: p.span,
                paragraph: pi,
                tokens: (base, tokens.len()),
            });
            continue;
        }
        sentence_cuts(
            model,
            text,
            &tokens[base..],
            base,
            &stops[first_stop..],
            &mut cuts,
        );
        let mut from = 0;
        for &to in &cuts {
            if to > from {
                let si = sentences.len();
                let toks = &mut tokens[base + from..base + to];
                for t in toks.iter_mut() {
                    t.sentence = si;
                }
                sentences.push(Sentence {
                    span: Span::new(toks[0].span.start, toks[toks.len() - 1].span.end),
                    paragraph: pi,
                    tokens: (base + from, base + to),
                });
            }
            from = to;
        }
    }
    (sentences, tokens, low.finish())
}

/// Whether a token may end a sentence: `.`, `!`, `?`, `…`, or a word of
/// three or more bytes ending with a period ("U.S."). The tokenizer lists
/// these as it goes; this is the test it is checked against.
#[cfg(test)]
pub(super) fn is_stop(text: &str, t: &Token) -> bool {
    let bytes = text.as_bytes();
    let (a, e) = (t.span.start, t.span.end);
    match t.kind {
        TokenKind::Punct => {
            let b = bytes.get(a).copied().unwrap_or(0);
            if e - a == 1 {
                matches!(b, b'.' | b'!' | b'?')
            } else {
                b == 0xE2 && bytes.get(a..e) == Some("…".as_bytes())
            }
        }
        TokenKind::Word => e - a > 2 && bytes.get(e - 1) == Some(&b'.'),
        TokenKind::Number => false,
    }
}

/// Tokens and their stops, the way [`sentences_and_tokens`] makes them
/// for one paragraph holding all of `text`.
#[cfg(test)]
pub(super) fn tokens_and_stops(text: &str) -> (Vec<Token>, Lowered, Vec<usize>) {
    let mut low = LowBuilder::new(text, 0);
    let (out, stops) = tokenize_whole(text, &mut low);
    (out, low.finish(), stops)
}

/// The token index after each sentence of a paragraph's tokens, the last
/// one `para_tokens.len()`. `stops`: the indices (`base` + paragraph-relative)
/// of the tokens that may end a sentence, in order.
#[inline(never)]
fn sentence_cuts(
    model: &DocumentModel,
    text: &str,
    para_tokens: &[Token],
    base: usize,
    stops: &[usize],
    cuts: &mut Vec<usize>,
) {
    cuts.clear();
    let n = para_tokens.len();
    let bytes = text.as_bytes();
    // the first token not yet read: stops before it are passed over
    let mut next_free = 0;
    for &stop in stops {
        let i = stop - base;
        if i < next_free {
            continue;
        }
        let t = para_tokens[i];
        // extend over repeated stops and closing marks
        let mut j = i + 1;
        while j < n {
            let u = para_tokens[j];
            let adjacent = para_tokens[j - 1].span.end == u.span.start;
            if adjacent && stop_or_closer(text, u) {
                j += 1;
            } else {
                break;
            }
        }
        // a "``...''" closer is two apostrophes
        let next = para_tokens.get(j).map(|u| &text[u.span.start..u.span.end]);
        let mut ok = match next {
            None => true,
            Some(u) => {
                starts_sentence(u)
                    && gap_has_space(text, para_tokens[j - 1].span.end, para_tokens[j].span.start)
            }
        };
        let is_period = t.kind == TokenKind::Punct && bytes.get(t.span.start) == Some(&b'.');
        if ok && is_period && i > 0 {
            let prev = para_tokens[i - 1];
            let adjacent = prev.span.end == t.span.start;
            if adjacent && prev.kind == TokenKind::Word {
                let pt = &text[prev.span.start..prev.span.end];
                let with_dot = &text[prev.span.start..t.span.end];
                if is_initial(pt) || model.is_abbreviation(with_dot) {
                    ok = false;
                }
            }
        }
        if ok && t.kind == TokenKind::Word {
            // "U.S." ends a sentence only before a typical sentence
            // opener, and never right after "with", "of", "a" …
            let modifier = i > 0 && {
                let p = para_tokens[i - 1];
                model
                    .modifier_context
                    .contains(&text[p.span.start..p.span.end].to_lowercase())
            };
            ok = !modifier && next.is_none_or(|u| model.sentence_starters.contains(u));
        }
        if ok {
            cuts.push(j);
            next_free = j;
        } else {
            next_free = i + 1;
        }
    }
    cuts.push(n);
}

/// [`sentence_cuts`] as first written, string by string: the reference it
/// is tested against.
#[cfg(test)]
pub(super) fn sentence_cuts_reference(
    model: &DocumentModel,
    text: &str,
    para_tokens: &[Token],
    base: usize,
    stops: &[usize],
    cuts: &mut Vec<usize>,
) {
    cuts.clear();
    let n = para_tokens.len();
    // the first token not yet read: stops before it are passed over
    let mut next_free = 0;
    for &stop in stops {
        let i = stop - base;
        if i < next_free {
            continue;
        }
        let t = &para_tokens[i];
        let t = *t;
        let tt = &text[t.span.start..t.span.end];
        let mut boundary_after = None;
        {
            // extend over repeated stops and closing marks
            let mut j = i + 1;
            while j < n {
                let u = &text[para_tokens[j].span.start..para_tokens[j].span.end];
                let adjacent = para_tokens[j - 1].span.end == para_tokens[j].span.start;
                if adjacent && (matches!(u, "." | "!" | "?") || is_closer(u)) {
                    j += 1;
                } else {
                    break;
                }
            }
            // a "``...''" closer is two apostrophes
            let next = if j < n {
                Some(&text[para_tokens[j].span.start..para_tokens[j].span.end])
            } else {
                None
            };
            let next_ok = match next {
                None => true,
                Some(u) => {
                    starts_sentence(u)
                        && text[para_tokens[j - 1].span.end..para_tokens[j].span.start]
                            .chars()
                            .any(char::is_whitespace)
                }
            };
            let mut ok = next_ok;
            if ok && tt == "." && i > 0 {
                let prev = para_tokens[i - 1];
                let pt = &text[prev.span.start..prev.span.end];
                let adjacent = prev.span.end == t.span.start;
                if adjacent && prev.kind == TokenKind::Word {
                    let with_dot = &text[prev.span.start..t.span.end];
                    let initial = pt.chars().count() == 1 && pt.chars().all(char::is_uppercase);
                    if initial || model.abbreviations.contains(with_dot) {
                        ok = false;
                    }
                }
            }
            if ok && t.kind == TokenKind::Word {
                // "U.S." ends a sentence only before a typical sentence
                // opener, and never right after "with", "of", "a" …
                let modifier = i > 0 && {
                    let p = para_tokens[i - 1];
                    model
                        .modifier_context
                        .contains(&text[p.span.start..p.span.end].to_lowercase())
                };
                ok = !modifier && next.is_none_or(|u| model.sentence_starters.contains(u));
            }
            if ok {
                boundary_after = Some(j);
            }
        }
        match boundary_after {
            Some(j) => {
                cuts.push(j);
                next_free = j;
            }
            None => next_free = i + 1,
        }
    }
    cuts.push(n);
}

/// Whether token `u` is `.`, `!`, `?` or a closing mark ([`is_closer`]).
#[inline]
fn stop_or_closer(text: &str, u: Token) -> bool {
    let bytes = text.as_bytes();
    let (a, e) = (u.span.start, u.span.end);
    match e - a {
        1 => matches!(
            bytes.get(a),
            Some(b'.' | b'!' | b'?' | b'"' | b'\'' | b')' | b']')
        ),
        // "”", "’" (three bytes), "»" (two): a Punct token of one char
        2 | 3 => u.kind == TokenKind::Punct && is_closer(&text[a..e]),
        _ => false,
    }
}

/// Whether the text between two tokens (`a..b`) has white space.
#[inline]
fn gap_has_space(text: &str, a: usize, b: usize) -> bool {
    let gap = &text.as_bytes()[a..b];
    if gap.is_ascii() {
        gap.iter().any(|&c| CLASS[c as usize] & SPACE != 0)
    } else {
        text[a..b].chars().any(char::is_whitespace)
    }
}

/// A single upper-case letter ("R" of "Joseph R. Biden").
#[inline]
fn is_initial(w: &str) -> bool {
    let mut cs = w.chars();
    matches!((cs.next(), cs.next()), (Some(c), None) if c.is_uppercase())
}

#[cfg(test)]
mod fast_path_tests {
    use super::*;

    #[test]
    fn sentence_cuts_agree_with_the_reference() {
        let model = DocumentModel::new(&crate::lexicon::Lexicon::embedded().unwrap()).unwrap();
        let words = [
            "He", "said", "so", ".", "Mr", "Gen", "R", "U.S.", "e.g.", "a.m.", "with", "The", "”",
            "’", "»", ")", "]", "\"", "'", "!", "?", "…", " ", "  ", "\u{a0}", "\n", "\u{b}", "é",
            "É", "3", "-", "(", "“", "Sept", "No", "vs", "Corp",
        ];
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut checked = 0;
        for round in 0..30_000 {
            let mut t = String::new();
            for _ in 0..(3 + round % 14) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                t.push_str(words[(x % words.len() as u64) as usize]);
                if x & 0x300 == 0 {
                    t.push(' ');
                }
            }
            let (tokens, _, stops) = tokens_and_stops(&t);
            let (mut fast, mut slow) = (Vec::new(), Vec::new());
            sentence_cuts(&model, &t, &tokens, 0, &stops, &mut fast);
            sentence_cuts_reference(&model, &t, &tokens, 0, &stops, &mut slow);
            assert_eq!(fast, slow, "{t:?}");
            checked += usize::from(fast.len() > 1);
        }
        assert!(checked > 1000, "too few texts with a cut: {checked}");
    }

    /// Texts with newlines at every offset of a sixteen-byte block, blank
    /// and white-space lines, CR LF, and non-ASCII white space.
    fn texts() -> Vec<String> {
        let mut out: Vec<String> = [
            "",
            "\n",
            "\n\n",
            "a",
            "a\n",
            "\na",
            "a\r\nb\r\n",
            "  \n\t\n\u{a0}\n\u{2003}x\n",
            "é\nü\n\n日本\n",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for n in 0..40 {
            for k in 0..n {
                let mut t: String = "abcdefghijklmnopqrstuvwxyz0123456789ABCD"[..n].to_string();
                t.replace_range(k..k + 1, "\n");
                out.push(t.clone());
                out.push(format!("{t}\n{t}"));
            }
        }
        out
    }

    #[test]
    fn load_word_reads_eight_bytes_zero_past_the_end() {
        let bytes: Vec<u8> = (1..=20).collect();
        for n in 0..=bytes.len() {
            let b = &bytes[..n];
            for i in 0..n + 10 {
                let mut want = [0u8; 8];
                for (k, w) in want.iter_mut().enumerate() {
                    *w = b.get(i + k).copied().unwrap_or(0);
                }
                assert_eq!(load_word(b, i), u64::from_le_bytes(want), "{n} {i}");
            }
        }
    }

    #[test]
    fn line_spans_are_split_inclusive() {
        for t in texts() {
            let fast: Vec<&str> = line_spans(&t).map(|(a, b)| &t[a..b]).collect();
            let slow: Vec<&str> = t.split_inclusive('\n').collect();
            assert_eq!(fast, slow, "{t:?}");
            for i in 0..=t.len() {
                let want = t.as_bytes()[i..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map(|k| i + k);
                assert_eq!(next_newline(t.as_bytes(), i), want, "{t:?} {i}");
                assert_eq!(
                    crate::document::bytescan::next_of_portable(t.as_bytes(), i, [b'\n']),
                    want,
                    "{t:?} {i}"
                );
            }
        }
    }

    #[test]
    fn is_blank_is_trim_is_empty() {
        for t in texts() {
            for line in t.split_inclusive('\n').chain(t.split('\n')) {
                assert_eq!(is_blank(line), line.trim().is_empty(), "{line:?}");
            }
        }
        for line in [
            "",
            " ",
            "\u{a0}",
            "\u{85}x",
            " x",
            "\u{3000}\n",
            "-",
            "\u{feff}",
        ] {
            assert_eq!(is_blank(line), line.trim().is_empty(), "{line:?}");
        }
    }

    #[test]
    fn lower_alnum8_is_ascii_lower8_on_letters_and_digits() {
        let alnum: Vec<u8> = (0u8..128).filter(|b| b.is_ascii_alphanumeric()).collect();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for round in 0..20_000 {
            let mut bytes = [0u8; 8];
            for (k, b) in bytes.iter_mut().enumerate() {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // every alphanumeric byte at every place, then random ones
                *b = if round < alnum.len() {
                    alnum[(round + k) % alnum.len()]
                } else {
                    alnum[(x % alnum.len() as u64) as usize]
                };
            }
            let w = u64::from_le_bytes(bytes);
            let (alpha, alnum_bits) = alpha_alnum8(w);
            assert_eq!(alnum_bits & 0x8080_8080_8080_8080, 0x8080_8080_8080_8080);
            assert_eq!(
                lower_alnum8(w, alpha),
                super::super::ascii_lower8(w),
                "{bytes:?}"
            );
        }
    }
}
