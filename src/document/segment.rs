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

/// Trim white space off both ends of `[s, e)` in `text`: ASCII white
/// space byte by byte, then (when a char of two or more bytes is left at
/// an end) as [`trim_reference`] does.
fn trim(text: &str, s: usize, e: usize) -> Option<Span> {
    let b = &text.as_bytes()[..e];
    let ascii_space = |c: u8| c < 0x80 && CLASS[c as usize] & SPACE != 0;
    let (mut a, mut z) = (s, e);
    while a < z && ascii_space(b[a]) {
        a += 1;
    }
    while z > a && ascii_space(b[z - 1]) {
        z -= 1;
    }
    if a == z {
        return None;
    }
    if b[a] < 0x80 && b[z - 1] < 0x80 {
        return Some(Span::new(a, z));
    }
    trim_reference(text, a, z)
}

/// [`trim`] char by char, as first written.
fn trim_reference(text: &str, s: usize, e: usize) -> Option<Span> {
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
    tokenize_whole::<false>(text, &mut LowBuilder::empty()).0
}

/// The tokens and sentence stops of all of `text`, as one paragraph; with
/// `LOWER`, each token's lower-case text onto `low` (made for `text`).
fn tokenize_whole<const LOWER: bool>(text: &str, low: &mut LowBuilder) -> (Vec<Token>, Vec<usize>) {
    let mut out = Vec::with_capacity(text.len() / 3 + 2);
    let mut stops = Vec::new();
    tokenize_into::<LOWER>(text, Span::new(0, text.len()), &mut out, low, &mut stops);
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

/// The most token room [`tokenize_into`] asks for at a time.
const ROOM: usize = 1024;

/// Where [`tokenize_into`] writes its tokens (and with `LOWER`, their
/// hashes and lower-case spans): the spare room of the lists, `k` written
/// so far, none of them counted in the lists' lengths until [`Emit::done`].
struct Emit<const LOWER: bool> {
    tokens: *mut Token,
    hashes: *mut u64,
    spans: *mut (usize, usize),
    /// Tokens written.
    k: usize,
    /// Room in every list (tokens that may be written).
    room: usize,
}

impl<const LOWER: bool> Emit<LOWER> {
    /// Room for at least `want` (>= 1) tokens past the end of `out` and
    /// `low`'s lists: the spare room as it is when it holds `want`, else
    /// grown to `grow` (>= `want`).
    #[inline(always)]
    fn new(out: &mut Vec<Token>, low: &mut LowBuilder, want: usize, grow: usize) -> Self {
        let spare = |o: &Vec<Token>, low: &LowBuilder| {
            let r = o.capacity() - o.len();
            if LOWER {
                r.min(low.hashes.capacity() - low.hashes.len())
                    .min(low.spans.capacity() - low.spans.len())
            } else {
                r
            }
        };
        let mut room = spare(out, low);
        if room < want {
            out.reserve(grow);
            if LOWER {
                low.hashes.reserve(grow);
                low.spans.reserve(grow);
            }
            room = spare(out, low);
        }
        Emit {
            tokens: out.spare_capacity_mut().as_mut_ptr().cast(),
            hashes: low.hashes.spare_capacity_mut().as_mut_ptr().cast(),
            spans: low.spans.spare_capacity_mut().as_mut_ptr().cast(),
            k: 0,
            room,
        }
    }

    /// Write a token with its lower-case text's `hash`, where that text
    /// lies in the lower-case buffer (`low_span`) and whether it has a
    /// digit.
    #[inline(always)]
    fn push(
        &mut self,
        span: Span,
        kind: TokenKind,
        hash: u64,
        low_span: (usize, usize),
        digit: bool,
    ) {
        assert!(self.k < self.room);
        // SAFETY: `k < room`, and `room` slots past each list's length are
        // allocated (`new`); each slot is written once before `done`
        // counts it.
        unsafe {
            self.tokens.add(self.k).write(Token {
                span,
                kind,
                sentence: 0,
            });
            if LOWER {
                self.hashes.add(self.k).write(hash);
                self.spans
                    .add(self.k)
                    .write((low_span.0, low_span.1 << 1 | digit as usize));
            }
        }
        self.k += 1;
    }

    /// Count the tokens written in the lists' lengths.
    #[inline(always)]
    fn done(self, out: &mut Vec<Token>, low: &mut LowBuilder) {
        // SAFETY: the `k` slots past each list's length were written
        // (`push`), within its capacity (`k <= room`).
        unsafe {
            out.set_len(out.len() + self.k);
            if LOWER {
                low.hashes.set_len(low.hashes.len() + self.k);
                low.spans.set_len(low.spans.len() + self.k);
            }
        }
    }
}

/// The hash of a word of `n` (1..=16) ASCII bytes whose lower-case text is
/// `lo` then `hi` (little-endian, any bytes past `n`):
/// [`crate::lexicon::word_hash`] of it.
#[inline(always)]
fn ascii_hash(lo: u64, hi: u64, n: usize) -> u64 {
    let mut h = crate::lexicon::WordHasher::default();
    if n <= 8 {
        h.chunk(lo & LOW_BYTES[n]);
    } else {
        h.chunk(lo);
        h.chunk(hi & LOW_BYTES[n - 8]);
    }
    h.finish()
}

/// Tokenize `text[span]` onto `out`, with (when `LOWER`) each token's
/// lower-case text onto `low`, and the index (into `out`) of every token
/// that may end a sentence (`.`, `!`, `?`, `…`, or a word ending with a
/// period like "U.S.") onto `stops`. Tokens get sentence 0.
#[inline(never)]
fn tokenize_into<const LOWER: bool>(
    text: &str,
    span: Span,
    out: &mut Vec<Token>,
    low: &mut LowBuilder,
    stops: &mut Vec<usize>,
) {
    let s = &text[span.start..span.end];
    let bytes = s.as_bytes();
    let all = text.as_bytes();
    let base = span.start;
    let mut i = 0;
    while i < bytes.len() {
        // one token at most per byte: room for the next `stop - i` bytes'
        // (the lists grow only when full, as pushes would grow them)
        let rem = bytes.len() - i;
        let mut emit = Emit::<LOWER>::new(out, low, 1, rem.min(ROOM));
        let first = out.len();
        let stop = i + emit.room.min(rem);
        while i < stop {
            // the common tokens of the next 32 bytes at once
            let took = window(
                all,
                low.buf.as_bytes(),
                bytes,
                base,
                i,
                stop - i,
                &mut emit,
                stops,
                first,
            );
            if took > 0 {
                i += took;
                continue;
            }
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
                        stops.push(first + emit.k);
                    }
                    let a = base + i;
                    emit.push(
                        Span::new(a, a + 1),
                        TokenKind::Punct,
                        ascii_hash(b as u64, 0, 1),
                        (a, a + 1),
                        false,
                    );
                    i += 1;
                    // (a space after it is passed over here, not by the loop)
                    if bytes.get(i) == Some(&b' ') {
                        i += 1;
                    }
                    continue;
                }
                // the common case: a word of ASCII letters and digits read
                // sixteen bytes at a time, ending within them at a byte
                // that cannot continue it
                let (alpha, alnum, lo, hi) = class16(all, base + i);
                let n = ((!alnum).trailing_zeros() as usize).min(rem);
                let mask = (1u32 << n) - 1;
                if n < 16 && ends_at(bytes, i + n) {
                    let a = base + i;
                    emit.push(
                        Span::new(a, a + n),
                        if alpha & mask != 0 {
                            TokenKind::Word
                        } else {
                            TokenKind::Number
                        },
                        ascii_hash(lo, hi, n),
                        (a, a + n),
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
                let Some(c) = char_at(s, i) else {
                    // (not at a char boundary: never, `i` moves by chars)
                    i = bytes.len();
                    break;
                };
                if c.is_whitespace() {
                    i += c.len_utf8();
                    continue;
                }
                if !c.is_alphanumeric() {
                    let l = c.len_utf8();
                    if c == '…' {
                        stops.push(first + emit.k);
                    }
                    let a = base + i;
                    let (hash, ls) = low.entry::<LOWER>(text, a, l);
                    emit.push(Span::new(a, a + l), TokenKind::Punct, hash, ls, false);
                    i += l;
                    continue;
                }
                (c.len_utf8(), c.is_alphabetic())
            };
            let end = word_end(s, i + clen, &mut has_alpha, &mut digit_seen);
            let kind = if has_alpha {
                TokenKind::Word
            } else {
                TokenKind::Number
            };
            if kind == TokenKind::Word && end - i > 2 && bytes[end - 1] == b'.' {
                stops.push(first + emit.k);
            }
            let a = base + i;
            let (hash, ls) = low.entry::<LOWER>(text, a, end - i);
            emit.push(Span::new(a, base + end), kind, hash, ls, digit_seen);
            i = end;
        }
        emit.done(out, low);
    }
}

/// Bytes of text [`window`] needs from a token's start: the 64 it reads
/// the classes of, and 16 more for a word's lower-case chunks.
pub(super) const WINDOW_READ: usize = 80;

/// The tokens of the common kinds that start in the 63 bytes of
/// `text[base + i..]` (the paragraph `bytes` starting at `base`) and in the
/// first `lim` of them: words of 16 ASCII letters and digits or fewer that
/// end within the window at a byte that cannot continue them, ASCII
/// punctuation and ASCII white space, with their classes read once for
/// the whole window. `lower`: the text with its ASCII letters lower-case
/// and [`WINDOW_READ`] bytes after it ([`LowBuilder::buf`]), read in place
/// of `text` when `LOWER`. Returns how many bytes
/// it took (0: none, the token at `i` is of another kind); the next token
/// starts there, or white space does.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn window<const LOWER: bool>(
    text: &[u8],
    lower: &[u8],
    bytes: &[u8],
    base: usize,
    i: usize,
    lim: usize,
    emit: &mut Emit<LOWER>,
    stops: &mut Vec<usize>,
    first: usize,
) -> usize {
    // (the lower-case text has the same classes, and WINDOW_READ zero
    // bytes after the text: a window at every byte)
    let src = if LOWER { lower } else { text };
    let Some(w) = src
        .get(base + i..)
        .and_then(|r| r.first_chunk::<WINDOW_READ>())
    else {
        return 0;
    };
    let rem = bytes.len() - i;
    let [alpha, alnum, high, dc, space] = class64(w);
    // the bytes of the paragraph among the first 63 (the 64th only tells
    // whether a '.' or ',' before it continues a word)
    let (valid, open) = if rem >= 64 {
        (u64::MAX >> 1, 1u64 << 63)
    } else {
        ((1u64 << rem) - 1, 0)
    };
    // a word cannot be taken as ending at: a byte of 0x80 or above, a '.'
    // or ',' before a letter, digit or such a byte, the window's end
    // while the paragraph goes on
    let next = (alnum | high) & (valid | open);
    let bad = high | (dc & (next >> 1)) | open;
    let (alpha, alnum, high) = (alpha & valid, alnum & valid, high & valid);
    // the bytes tokens are taken from: within `lim` and the window
    let scope = lim.min(if rem >= 64 { 63 } else { rem });
    let lim = (1u64 << scope) - 1;
    // where tokens start: words, and bytes not letters, digits or spaces
    let mut t = ((alnum & !(alnum << 1)) | (!alnum & !space)) & valid & lim;
    let digits = alnum & !alpha;
    // where the last token taken ends
    let mut end = 0;
    while t != 0 {
        let j = t.trailing_zeros() as usize;
        if alnum >> j & 1 != 0 {
            let n = (!(alnum >> j)).trailing_zeros() as usize;
            let e = j + n;
            if n > 16 || bad >> e & 1 != 0 {
                return j;
            }
            let a = base + i + j;
            let m = (1u64 << n) - 1;
            let hash = if LOWER {
                // SAFETY: `a + 16 <= base + i + WINDOW_READ <= src.len()` (`w`)
                let (lo, hi) = unsafe { (read8(src, a), read8(src, a + 8)) };
                ascii_hash(lo, hi, n)
            } else {
                0
            };
            emit.push(
                Span::new(a, a + n),
                if alpha >> j & m != 0 {
                    TokenKind::Word
                } else {
                    TokenKind::Number
                },
                hash,
                (a, a + n),
                digits >> j & m != 0,
            );
            end = e;
        } else if high >> j & 1 == 0 {
            // ASCII, not a letter, digit or space: punctuation
            let b = w[j & 63];
            if matches!(b, b'.' | b'!' | b'?') {
                stops.push(first + emit.k);
            }
            let a = base + i + j;
            emit.push(
                Span::new(a, a + 1),
                TokenKind::Punct,
                ascii_hash(b as u64, 0, 1),
                (a, a + 1),
                false,
            );
            end = j + 1;
        } else {
            return j;
        }
        t &= t - 1;
    }
    // (white space only from `end` up to the limit)
    end.max(scope)
}

/// The eight bytes of `text` from `a`, little-endian.
///
/// # Safety
/// `a + 8 <= text.len()`.
#[inline(always)]
unsafe fn read8(text: &[u8], a: usize) -> u64 {
    debug_assert!(a + 8 <= text.len());
    u64::from_le(std::ptr::read_unaligned(text.as_ptr().add(a) as *const u64))
}

/// The classes of the first 64 bytes of `w`, as bit masks (bit k for byte
/// k): ASCII letters, ASCII letters and digits, bytes of 0x80 and above,
/// '.' and ',', ASCII white space (' ', '\\t' to '\\r'). SSE2 (the x86_64
/// baseline), else [`class64_portable`].
#[inline(always)]
fn class64(w: &[u8; WINDOW_READ]) -> [u64; 5] {
    #[cfg(target_arch = "x86_64")]
    {
        class64_sse2(w)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        class64_portable(w)
    }
}

/// [`class64`] with SSE2.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn class64_sse2(w: &[u8; WINDOW_READ]) -> [u64; 5] {
    use core::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_cmplt_epi8, _mm_loadu_si128,
        _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    let mut out = [0u64; 5];
    for k in 0..4 {
        // SAFETY: SSE2 is part of the x86_64 baseline; the load reads bytes
        // 16k..16k + 16 of `w` (k < 4).
        let m = unsafe {
            let v = _mm_loadu_si128(w.as_ptr().add(16 * k) as *const __m128i);
            let (alpha, digit) = letters_digits_sse2(v);
            let dc = _mm_or_si128(
                _mm_cmpeq_epi8(v, _mm_set1_epi8(b'.' as i8)),
                _mm_cmpeq_epi8(v, _mm_set1_epi8(b',' as i8)),
            );
            let space = _mm_or_si128(
                _mm_cmpeq_epi8(v, _mm_set1_epi8(b' ' as i8)),
                _mm_and_si128(
                    _mm_cmpgt_epi8(v, _mm_set1_epi8(b'\t' as i8 - 1)),
                    _mm_cmplt_epi8(v, _mm_set1_epi8(b'\r' as i8 + 1)),
                ),
            );
            [
                _mm_movemask_epi8(alpha),
                _mm_movemask_epi8(_mm_or_si128(alpha, digit)),
                _mm_movemask_epi8(v),
                _mm_movemask_epi8(dc),
                _mm_movemask_epi8(space),
            ]
        };
        for (o, x) in out.iter_mut().zip(m) {
            *o |= u64::from(x as u16) << (16 * k);
        }
    }
    out
}

/// [`class64`] a byte at a time (any target).
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn class64_portable(w: &[u8; WINDOW_READ]) -> [u64; 5] {
    let mut out = [0u64; 5];
    for (k, &b) in w[..64].iter().enumerate() {
        out[0] |= u64::from(b.is_ascii_alphabetic()) << k;
        out[1] |= u64::from(b.is_ascii_alphanumeric()) << k;
        out[2] |= u64::from(b >= 0x80) << k;
        out[3] |= u64::from(b == b'.' || b == b',') << k;
        out[4] |= u64::from(b == b' ' || (b'\t'..=b'\r').contains(&b)) << k;
    }
    out
}

/// The end of the word of `s` whose first chars end at `end`: letters and
/// digits, internal '.' or ',' between digits, "U.S." style; `has_alpha`
/// and `digit_seen` set when it has a letter, an ASCII digit.
#[inline(never)]
fn word_end(s: &str, mut end: usize, has_alpha: &mut bool, digit_seen: &mut bool) -> usize {
    let bytes = s.as_bytes();
    // ASCII letters and digits OR their classes in here
    let mut seen = 0u8;
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
                    *has_alpha |= n.is_alphabetic();
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
        let closed =
            char_at(s, end + 1 + n.len_utf8()).is_some_and(|a| a == '.' || !a.is_alphanumeric());
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
    *has_alpha |= seen & ALPHA != 0;
    *digit_seen |= seen & DIGIT != 0;
    end
}

/// The sixteen bytes of `b` from `at` (zero past the end), as bit masks
/// (bit k for byte `at + k`): the ASCII letters, the ASCII letters and
/// digits; and the bytes with their ASCII letters lower-case, as two
/// little-endian words. SSE2 (the x86_64 baseline), else
/// [`class16_portable`].
#[inline(always)]
fn class16(b: &[u8], at: usize) -> (u32, u32, u64, u64) {
    #[cfg(target_arch = "x86_64")]
    {
        class16_sse2(b, at)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        class16_portable(b, at)
    }
}

/// The ASCII letters and the ASCII digits among the 16 bytes of `v`, as
/// byte masks.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn letters_digits_sse2(
    v: core::arch::x86_64::__m128i,
) -> (core::arch::x86_64::__m128i, core::arch::x86_64::__m128i) {
    use core::arch::x86_64::{
        _mm_and_si128, _mm_cmpgt_epi8, _mm_cmplt_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    // SAFETY: SSE2 is part of the x86_64 baseline; no memory is read.
    unsafe {
        // (signed compares: bytes of 0x80 and above are below every bound)
        let folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
        let alpha = _mm_and_si128(
            _mm_cmpgt_epi8(folded, _mm_set1_epi8(b'a' as i8 - 1)),
            _mm_cmplt_epi8(folded, _mm_set1_epi8(b'z' as i8 + 1)),
        );
        let digit = _mm_and_si128(
            _mm_cmpgt_epi8(v, _mm_set1_epi8(b'0' as i8 - 1)),
            _mm_cmplt_epi8(v, _mm_set1_epi8(b'9' as i8 + 1)),
        );
        (alpha, digit)
    }
}

/// [`class16`] with SSE2.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn class16_sse2(b: &[u8], at: usize) -> (u32, u32, u64, u64) {
    use core::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_cvtsi128_si64, _mm_loadu_si128, _mm_movemask_epi8,
        _mm_or_si128, _mm_set1_epi8, _mm_unpackhi_epi64,
    };
    let padded;
    let w: &[u8; 16] = match b.get(at..).and_then(|r| r.first_chunk::<16>()) {
        Some(w) => w,
        None => {
            padded = pad16(b, at);
            &padded
        }
    };
    // SAFETY: SSE2 is part of the x86_64 baseline; the load reads the 16
    // bytes of `w`.
    unsafe {
        let v = _mm_loadu_si128(w.as_ptr() as *const __m128i);
        let (alpha, digit) = letters_digits_sse2(v);
        let lower = _mm_or_si128(v, _mm_and_si128(alpha, _mm_set1_epi8(0x20)));
        (
            _mm_movemask_epi8(alpha) as u32,
            _mm_movemask_epi8(_mm_or_si128(alpha, digit)) as u32,
            _mm_cvtsi128_si64(lower) as u64,
            _mm_cvtsi128_si64(_mm_unpackhi_epi64(lower, lower)) as u64,
        )
    }
}

/// The sixteen bytes of `b` from `at`, zero past the end.
#[cold]
#[inline(never)]
fn pad16(b: &[u8], at: usize) -> [u8; 16] {
    let mut w = [0u8; 16];
    let r = b.get(at..).unwrap_or(&[]);
    let n = r.len().min(16);
    w[..n].copy_from_slice(&r[..n]);
    w
}

/// [`class16`] eight bytes at a time in a u64 (any target).
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn class16_portable(b: &[u8], at: usize) -> (u32, u32, u64, u64) {
    // bit 7 of each byte to bit k of a byte
    fn bits(x: u64) -> u32 {
        (((x >> 7) & 0x0101_0101_0101_0101).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u32
    }
    let w = load_word(b, at);
    let w2 = load_word(b, at.saturating_add(8));
    let (alpha, alnum) = alpha_alnum8(w);
    let (alpha2, alnum2) = alpha_alnum8(w2);
    (
        bits(alpha) | bits(alpha2) << 8,
        bits(alnum) | bits(alnum2) << 8,
        lower_alnum8(w, alpha),
        lower_alnum8(w2, alpha2),
    )
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
        tokenize_into::<true>(text, p.span, &mut tokens, &mut low, &mut stops);
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
    let (out, stops) = tokenize_whole::<true>(text, &mut low);
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

    /// One step of a xorshift generator: the tests' random texts.
    fn xorshift(x: &mut u64) {
        *x ^= *x << 13;
        *x ^= *x >> 7;
        *x ^= *x << 17;
    }

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
                xorshift(&mut x);
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
    fn class16_agrees_with_the_portable_one_and_the_byte_classes() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut bytes = [0u8; 64];
        for round in 0..20_000 {
            for b in bytes.iter_mut() {
                xorshift(&mut x);
                // every byte value, and runs of letters and digits
                *b = if round % 2 == 0 {
                    x as u8
                } else {
                    b"aZ09 .,\xc3"[(x % 8) as usize]
                };
            }
            let n = round % 40;
            let b = &bytes[..n];
            for at in 0..n + 18 {
                let got = class16(b, at);
                assert_eq!(got, class16_portable(b, at), "{b:?} {at}");
                let (mut alpha, mut alnum, mut lower) = (0u32, 0u32, [0u8; 16]);
                for (k, l) in lower.iter_mut().enumerate() {
                    let c = b.get(at + k).copied().unwrap_or(0);
                    alpha |= u32::from(c.is_ascii_alphabetic()) << k;
                    alnum |= u32::from(c.is_ascii_alphanumeric()) << k;
                    *l = c.to_ascii_lowercase();
                }
                let lo = u64::from_le_bytes(lower[..8].try_into().unwrap());
                let hi = u64::from_le_bytes(lower[8..].try_into().unwrap());
                assert_eq!((got.0, got.1), (alpha, alnum), "{b:?} {at}");
                // the lower-case bytes of the letters and digits
                let keep = |m: u32, k0: u32| {
                    (0..8).fold(0u64, |v, k| {
                        v | if m >> (k0 + k) & 1 != 0 {
                            0xff << (8 * k)
                        } else {
                            0
                        }
                    })
                };
                assert_eq!(got.2 & keep(alnum, 0), lo & keep(alnum, 0), "{b:?} {at}");
                assert_eq!(got.3 & keep(alnum, 8), hi & keep(alnum, 8), "{b:?} {at}");
            }
        }
    }

    #[test]
    fn class64_agrees_with_the_portable_one() {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut w = [0u8; WINDOW_READ];
        for round in 0..50_000 {
            for b in w.iter_mut() {
                xorshift(&mut x);
                *b = if round % 2 == 0 {
                    x as u8
                } else {
                    b"aZ09 .,\t\r\x0b\x1f\x7f\xc3\x80`{@["[(x % 17) as usize]
                };
            }
            let got = class64(&w);
            assert_eq!(got, class64_portable(&w), "{w:?}");
            for (k, &b) in w[..64].iter().enumerate() {
                let space = CLASS[b as usize & 0x7f] & SPACE != 0 && b < 0x80;
                assert_eq!(got[4] >> k & 1 != 0, space, "{w:?} {k}");
            }
        }
    }

    /// Long texts (windows of every alignment, paragraphs ending anywhere
    /// in one) tokenized as the reference does, alone and in documents.
    #[test]
    fn long_texts_agree_with_the_reference() {
        let pieces = [
            "said",
            "Talks",
            "U.S.",
            "3.5",
            "1,000",
            "x",
            ".",
            ",",
            "!",
            "?",
            "(",
            ")",
            "’",
            "é",
            "ABCDEFGHIJKLMNOP",
            "abcdefghijklmnopq",
            "12345678",
            "a.m.",
            "\u{a0}",
            "\u{3000}",
            "\x01",
            "\x0b",
            "--",
            "'",
            "\"",
            "…",
            "Mr.",
            "e.g.",
        ];
        let seps = [" ", " ", " ", "", "  ", "\n", "\n\n", "\t", ". "];
        let model = DocumentModel::new(&crate::lexicon::Lexicon::embedded().unwrap()).unwrap();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for round in 0..3_000 {
            let mut t = String::new();
            for _ in 0..(round % 90) {
                xorshift(&mut x);
                t.push_str(pieces[(x % pieces.len() as u64) as usize]);
                t.push_str(seps[((x >> 20) % seps.len() as u64) as usize]);
            }
            assert_eq!(tokenize(&t), tokenize_reference(&t), "{t:?}");
            let (tokens, low, stops) = tokens_and_stops(&t);
            assert_eq!(tokens, tokenize_reference(&t), "{t:?}");
            let want = super::super::Lowered::new(&t, &tokens);
            for i in 0..=tokens.len() {
                assert_eq!(low.get(i), want.get(i), "{t:?} {i}");
                assert_eq!(low.hash(i), want.hash(i), "{t:?} {i}");
                assert_eq!(low.has_digit(i), want.has_digit(i), "{t:?} {i}");
            }
            let want_stops: Vec<usize> = (0..tokens.len())
                .filter(|&i| is_stop(&t, &tokens[i]))
                .collect();
            assert_eq!(stops, want_stops, "{t:?}");
            let d = model.parse("t", t.clone(), None);
            let mut want = Vec::new();
            for p in &d.paragraphs {
                for mut k in tokenize_reference(&t[p.span.start..p.span.end]) {
                    k.span = Span::new(k.span.start + p.span.start, k.span.end + p.span.start);
                    want.push((k.span, k.kind));
                }
            }
            let got: Vec<(Span, TokenKind)> = d.tokens.iter().map(|k| (k.span, k.kind)).collect();
            assert_eq!(got, want, "{t:?}");
        }
    }

    #[test]
    fn parsed_tokens_are_the_reference_tokens_of_each_paragraph() {
        let model = DocumentModel::new(&crate::lexicon::Lexicon::embedded().unwrap()).unwrap();
        let pieces = [
            "WASHINGTON (AP) --",
            "WASHINGTON —",
            "By Jane Doe",
            "\n",
            "\n\n",
            "  ",
            "The",
            "U.S.",
            "3.5",
            "1,000",
            "Xi’s",
            "é",
            "ABCDEFGHIJKLMNOPQRS",
            "abcdefghijklmno",
            "x.",
            ".",
            "!",
            "\u{a0}",
            "日本",
            "a.m.",
            "said",
            ",",
            "\t",
            "12345678901234567",
        ];
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for round in 0..5_000 {
            let mut t = String::new();
            for _ in 0..(1 + round % 30) {
                xorshift(&mut x);
                t.push_str(pieces[(x % pieces.len() as u64) as usize]);
                if x & 0x100 == 0 {
                    t.push(' ');
                }
            }
            let d = model.parse("t", t.clone(), None);
            let mut want = Vec::new();
            for p in &d.paragraphs {
                for mut k in tokenize_reference(&t[p.span.start..p.span.end]) {
                    k.span = Span::new(k.span.start + p.span.start, k.span.end + p.span.start);
                    want.push(k);
                }
            }
            let got: Vec<(Span, TokenKind)> = d.tokens.iter().map(|k| (k.span, k.kind)).collect();
            let want: Vec<(Span, TokenKind)> = want.iter().map(|k| (k.span, k.kind)).collect();
            assert_eq!(got, want, "{t:?}");
            let low = super::super::Lowered::new(&t, &d.tokens);
            for i in 0..=d.tokens.len() {
                assert_eq!(d.lower(i), low.get(i), "{t:?} {i}");
                assert_eq!(d.lowered.hash(i), low.hash(i), "{t:?} {i}");
                assert_eq!(d.lowered.has_digit(i), low.has_digit(i), "{t:?} {i}");
            }
        }
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
    fn trim_agrees_with_the_reference() {
        let pieces = [
            " ", "\t", "\n", "\r", "\u{b}", "\u{c}", "\u{1c}", "\u{a0}", "\u{2003}", "\u{85}", "x",
            "é", "-", "日",
        ];
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for round in 0..30_000 {
            let mut t = String::new();
            for _ in 0..(round % 9) {
                xorshift(&mut x);
                t.push_str(pieces[(x % pieces.len() as u64) as usize]);
            }
            let ends: Vec<usize> = (0..=t.len()).filter(|&k| t.is_char_boundary(k)).collect();
            for &s in &ends {
                for &e in ends.iter().filter(|&&e| e >= s) {
                    assert_eq!(trim(&t, s, e), trim_reference(&t, s, e), "{t:?} {s} {e}");
                }
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
                xorshift(&mut x);
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
