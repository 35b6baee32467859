//! The document stage: the text as read, its paragraphs, sentences, word
//! tokens and dateline. Every later stage reads these layers.
//!
//! Invariants: all spans are UTF-8 byte offsets into [`Document::text`] and
//! lie on `char` boundaries; paragraphs, sentences and tokens are sorted,
//! non-overlapping, and every sentence lies inside one paragraph. Hard-wrapped
//! lines inside a paragraph are joined logically (a newline inside a
//! paragraph is ordinary white space), the text itself is never changed.

pub mod bytescan;
mod dateline;
mod segment;
mod span;

pub use dateline::Dateline;
pub use segment::tokenize;
pub(crate) use segment::{char_at, char_before};
pub use span::Span;

use crate::lexicon::FxSet as HashSet;
use crate::lexicon::Lexicon;
use chrono::NaiveDate;

/// What kind of text a token holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// Letters (and digits mixed with letters), e.g. `Blinken`, `U.S.`, `G20`.
    Word,
    /// Digits, with internal `,` or `.` (`1,000`, `3.5`).
    Number,
    /// One punctuation or symbol character.
    Punct,
}

/// A token: a word, a number or one punctuation character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
    /// Index of the sentence the token lies in.
    pub sentence: usize,
}

/// A sentence: its span and the paragraph it belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Sentence {
    pub span: Span,
    pub paragraph: usize,
    /// Index of its first token and one past its last token.
    #[serde(skip)]
    pub tokens: (usize, usize),
}

/// A paragraph. `heading` marks headlines, bylines, datelines and section
/// heads: lines that are not running prose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Paragraph {
    pub span: Span,
    pub heading: bool,
}

/// One document with its structural layers.
#[derive(Clone, Debug)]
pub struct Document {
    /// Caller-given id (file name, JSONL `id`); appears in provenance.
    pub id: String,
    pub text: String,
    pub paragraphs: Vec<Paragraph>,
    pub sentences: Vec<Sentence>,
    pub tokens: Vec<Token>,
    pub dateline: Option<Dateline>,
    /// Byline author span ("By Shaun TANDON" → the name).
    pub byline: Option<Span>,
    /// The document creation date: `--date`, else the dateline's full date.
    pub date: Option<NaiveDate>,
    /// The lower-case text of every token (see [`Document::lower`]), made
    /// once so that later stages look words up without allocating.
    pub lowered: Lowered,
}

/// The lower-case text (`str::to_lowercase`) of every token, in one buffer.
#[derive(Clone, Debug, Default)]
pub struct Lowered {
    /// The document's text with its ASCII letters lower-case (a token of
    /// ASCII characters is lower-cased where it stands), zero bytes the
    /// tokenizer reads past its end, then the
    /// lower-case text of the tokens with other characters whose
    /// `to_lowercase` differs from that, then [`PAD`] zero bytes.
    buf: String,
    /// Per token: [`crate::lexicon::word_hash`] of its lower-case text, in
    /// an array of its own (stages scan every token's hash: eight tokens to
    /// a cache line).
    hashes: Vec<u64>,
    /// Per token: where its lower-case text starts in `buf`, and where it
    /// ends shifted left by one, the low bit: it has an ASCII digit.
    spans: Vec<(usize, usize)>,
}

/// The zero bytes after the text in [`Lowered::buf`] (as many as the
/// tokenizer reads from a byte: `segment::WINDOW_READ`).
const WINDOW_ZEROS: &str = concat!(
    "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
    "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
);
const _: () = assert!(WINDOW_ZEROS.len() == segment::WINDOW_READ);

/// Zero bytes after the last text in [`Lowered::buf`]: eight bytes may be
/// read from the start of any token's lower-case text.
const PAD: usize = 8;

/// Builds a [`Lowered`] a token at a time, in token order (the tokenizer
/// feeds it as it goes).
pub(crate) struct LowBuilder {
    buf: String,
    /// Bytes of the text copied into `buf` (the lower-case text of an ASCII
    /// token lies there already).
    text_len: usize,
    hashes: Vec<u64>,
    spans: Vec<(usize, usize)>,
}

impl LowBuilder {
    /// For the tokens of `text` (about `tokens` of them; the lists grow
    /// when needed): the text, its ASCII letters made lower-case, copied
    /// in one pass.
    pub(crate) fn new(text: &str, tokens: usize) -> LowBuilder {
        let mut buf = String::with_capacity(text.len() + segment::WINDOW_READ + PAD + 32);
        buf.push_str(text);
        buf.make_ascii_lowercase();
        // (the tokenizer reads WINDOW_READ bytes from any byte of the text)
        buf.push_str(WINDOW_ZEROS);
        LowBuilder {
            buf,
            text_len: text.len(),
            hashes: Vec::with_capacity(tokens),
            spans: Vec::with_capacity(tokens),
        }
    }

    /// A builder for the tokens alone (no text: [`LowBuilder::entry`]
    /// with `LOWER` false only).
    pub(crate) fn empty() -> LowBuilder {
        LowBuilder {
            buf: String::new(),
            text_len: 0,
            hashes: Vec::new(),
            spans: Vec::new(),
        }
    }

    /// The hash of the lower-case text of the token `text[a..a + n]`
    /// (`text`: the text the builder was made with) and where that text
    /// lies in the buffer (added to it when it is not there already);
    /// nothing (zeros) unless `LOWER`.
    #[inline]
    pub(crate) fn entry<const LOWER: bool>(
        &mut self,
        text: &str,
        a: usize,
        n: usize,
    ) -> (u64, (usize, usize)) {
        if !LOWER {
            return (0, (0, 0));
        }
        let word = &text[a..a + n];
        if word.is_ascii() {
            // lower-case where it stands
            (crate::lexicon::word_hash(&self.buf[a..a + n]), (a, a + n))
        } else {
            let l = word.to_lowercase();
            let hash = crate::lexicon::word_hash(&l);
            if a + n <= self.text_len && self.buf.as_bytes().get(a..a + n) == Some(l.as_bytes()) {
                (hash, (a, a + n))
            } else {
                let start = self.buf.len();
                self.buf.push_str(&l);
                (hash, (start, self.buf.len()))
            }
        }
    }

    pub(crate) fn finish(mut self) -> Lowered {
        self.buf.push_str("\0\0\0\0\0\0\0\0");
        Lowered {
            buf: self.buf,
            hashes: self.hashes,
            spans: self.spans,
        }
    }
}

impl Lowered {
    /// The lower-case text of every token of `text`, each token's
    /// `to_lowercase` written one after the other (the reference the
    /// tokenizer's own is tested against).
    #[cfg(test)]
    fn new(text: &str, tokens: &[Token]) -> Lowered {
        let mut buf = String::new();
        let mut hashes = Vec::new();
        let mut spans = Vec::new();
        for t in tokens {
            let w = t.span.of(text);
            let digit = w.bytes().any(|b| b.is_ascii_digit());
            let l = w.to_lowercase();
            let start = buf.len();
            buf.push_str(&l);
            hashes.push(crate::lexicon::word_hash(&l));
            spans.push((start, buf.len() << 1 | digit as usize));
        }
        buf.push_str("\0\0\0\0\0\0\0\0");
        Lowered { buf, hashes, spans }
    }

    /// The hash of token `i`'s lower-case text (None past the end).
    #[inline]
    pub fn hash(&self, i: usize) -> Option<u64> {
        self.hashes.get(i).copied()
    }

    /// The hash of every token's lower-case text, in token order (what
    /// [`Lowered::hash`] gives token by token).
    #[inline]
    pub fn hashes(&self) -> impl ExactSizeIterator<Item = u64> + '_ {
        self.hashes.iter().copied()
    }

    /// The hash of every token's lower-case text, as a slice (what
    /// [`Lowered::hashes`] iterates).
    #[inline]
    pub fn hash_slice(&self) -> &[u64] {
        &self.hashes
    }

    /// Whether token `i` has an ASCII digit (false past the end).
    #[inline]
    pub fn has_digit(&self, i: usize) -> bool {
        self.spans.get(i).is_some_and(|&(_, e)| e & 1 != 0)
    }

    /// The lower-case text of token `i` as a little-endian word (the bytes
    /// past it zero) and its length, when it is of eight bytes or fewer
    /// (None for longer ones and past the end): compared with a listed
    /// word's, no string compare.
    #[inline]
    pub fn word8(&self, i: usize) -> Option<(u64, usize)> {
        let &(s, e) = self.spans.get(i)?;
        let n = (e >> 1) - s;
        if n > 8 {
            return None;
        }
        // (`buf` ends with PAD zero bytes: eight bytes from any start)
        let w = self.buf.as_bytes().get(s..s + 8)?;
        Some((u64::from_le_bytes(w.try_into().ok()?) & LOW_BYTES[n], n))
    }

    /// Lower-case text of token `i` ("" past the end).
    #[inline]
    pub fn get(&self, i: usize) -> &str {
        let Some(&(start, end)) = self.spans.get(i) else {
            return "";
        };
        &self.buf[start..end >> 1]
    }
}

/// `w` (eight bytes or fewer) as a little-endian word, the bytes past it
/// zero, and its length (None for longer words): what
/// [`Lowered::word8`] gives for a token whose lower-case text is `w`.
pub fn word8_of(w: &str) -> Option<(u64, usize)> {
    let b = w.as_bytes();
    if b.len() > 8 {
        return None;
    }
    let v = b
        .iter()
        .enumerate()
        .fold(0u64, |v, (k, &x)| v | (x as u64) << (8 * k));
    Some((v, b.len()))
}

/// Masks of the low 0..=8 bytes of a word.
pub(crate) const LOW_BYTES: [u64; 9] = {
    let mut t = [u64::MAX; 9];
    let mut m = 0;
    while m < 8 {
        t[m] = (1u64 << (8 * m)) - 1;
        m += 1;
    }
    t
};

/// `v` (eight ASCII bytes, little-endian) with `A`..`Z` made lower-case.
#[inline]
pub(crate) fn ascii_lower8(v: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // per byte b < 0x80: bit 7 of b + (0x80 - 'A') is set when b >= 'A',
    // of b + (0x80 - 'Z' - 1) when b > 'Z'; no carry crosses a byte
    let ge_a = v.wrapping_add(ONES * (0x80 - b'A' as u64));
    let gt_z = v.wrapping_add(ONES * (0x80 - b'Z' as u64 - 1));
    let upper = ge_a & !gt_z & (ONES * 0x80);
    v | (upper >> 2)
}

/// The compiled resources the document stage needs, built once.
#[derive(Debug, Clone)]
pub struct DocumentModel {
    abbreviations: HashSet<String>,
    /// For each first byte, a bit per length (1 << len, lengths of 31 and
    /// more on bit 31) of the abbreviations that start with it: most words
    /// before a period rule themselves out without a hash lookup.
    abbr_filter: [u32; 256],
    months: Vec<(String, u32)>,
    /// For each first byte, the indices into `months` of the names that
    /// start with it, in `months` order; every index under every byte when
    /// a name is empty.
    month_by_first: Vec<Vec<usize>>,
    agencies: HashSet<String>,
    sentence_starters: HashSet<String>,
    /// Words after which "U.S." modifies the next word ("with U.S. President").
    modifier_context: HashSet<String>,
}

impl DocumentModel {
    pub fn new(lex: &Lexicon) -> Result<DocumentModel, crate::lexicon::DataError> {
        let mut months = crate::lexicon::month_names(lex)?;
        // Longest names first, so "Sept." wins over "Sep".
        months.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        let mut month_by_first = vec![Vec::new(); 256];
        for (k, (n, _)) in months.iter().enumerate() {
            match n.as_bytes().first() {
                Some(&b) => month_by_first[b as usize].push(k),
                None => {
                    month_by_first = vec![(0..months.len()).collect(); 256];
                    break;
                }
            }
        }
        let abbreviations: HashSet<String> = lex.list("abbreviations").iter().cloned().collect();
        let mut abbr_filter = [0u32; 256];
        for a in &abbreviations {
            if let Some(&b) = a.as_bytes().first() {
                abbr_filter[b as usize] |= len_bit(a.len());
            }
        }
        Ok(DocumentModel {
            month_by_first,
            abbreviations,
            abbr_filter,
            months,
            agencies: lex.list("news_agencies").iter().cloned().collect(),
            sentence_starters: lex.list("common_words").iter().cloned().collect(),
            modifier_context: lex.list("modifier_context").iter().cloned().collect(),
        })
    }

    /// Build the document layers for `text`. `date` (from `--date` or a
    /// corpus record) takes precedence over the dateline's date and
    /// completes a dateline that has no year.
    pub fn parse(&self, id: &str, text: String, date: Option<NaiveDate>) -> Document {
        let dateline = dateline::find(self, &text, date);
        let byline = dateline::find_byline(&text);
        let paragraphs = segment::paragraphs(&text, dateline.as_ref(), byline);
        let (sentences, tokens, lowered) = segment::sentences_and_tokens(self, &text, &paragraphs);
        let date = date.or_else(|| dateline.as_ref().and_then(|d| d.date));
        Document {
            id: id.to_string(),
            text,
            paragraphs,
            sentences,
            tokens,
            dateline,
            byline,
            date,
            lowered,
        }
    }

    pub(crate) fn month(&self, word: &str) -> Option<u32> {
        self.months_from(word)
            .find(|(n, _)| n == word)
            .map(|(_, m)| *m)
    }
}

/// The bit of a length in [`DocumentModel::abbr_filter`]'s words.
#[inline]
fn len_bit(len: usize) -> u32 {
    1 << len.min(31)
}

impl DocumentModel {
    /// Whether `s` (a word with its period) is one of the abbreviations.
    #[inline]
    pub(crate) fn is_abbreviation(&self, s: &str) -> bool {
        let Some(&b) = s.as_bytes().first() else {
            return self.abbreviations.contains(s);
        };
        self.abbr_filter[b as usize] & len_bit(s.len()) != 0 && self.abbreviations.contains(s)
    }

    /// The month names (in `months` order) that may match at the start of
    /// `s`: those that start with its first byte (none for an empty `s`,
    /// unless a name is empty).
    #[inline]
    pub(crate) fn months_from<'a>(&'a self, s: &str) -> impl Iterator<Item = &'a (String, u32)> {
        let idx: &[usize] = match s.as_bytes().first() {
            Some(&b) => &self.month_by_first[b as usize],
            None if self.month_by_first[0].len() == self.months.len() => &self.month_by_first[0],
            None => &[],
        };
        idx.iter().map(|&k| &self.months[k])
    }
}

impl Document {
    /// The text of a span.
    pub fn slice(&self, span: Span) -> &str {
        &self.text[span.start..span.end]
    }

    /// The text of token `i`.
    pub fn token_text(&self, i: usize) -> &str {
        self.slice(self.tokens[i].span)
    }

    /// The lower-case text of token `i` (`str::to_lowercase`; "" past the
    /// last token), without allocating.
    #[inline]
    pub fn lower(&self, i: usize) -> &str {
        self.lowered.get(i)
    }

    /// Index of the sentence containing byte offset `pos` (the last sentence
    /// starting at or before it).
    pub fn sentence_at(&self, pos: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.span.start <= pos);
        if i == 0 {
            None
        } else {
            Some(i - 1)
        }
    }

    /// Index of the first token starting at or after `pos`.
    pub fn token_at_or_after(&self, pos: usize) -> usize {
        self.tokens.partition_point(|t| t.span.start < pos)
    }

    /// Index of the paragraph containing `pos`.
    pub fn paragraph_at(&self, pos: usize) -> Option<usize> {
        let i = self.paragraphs.partition_point(|p| p.span.start <= pos);
        if i == 0 {
            None
        } else {
            Some(i - 1)
        }
    }

    /// True when token `i` lies in a heading paragraph (O(1)).
    pub fn token_in_heading(&self, i: usize) -> bool {
        let s = self.tokens[i].sentence;
        self.paragraphs[self.sentences[s].paragraph].heading
    }

    /// True when `pos` lies in a heading paragraph (headline, byline, dateline).
    pub fn in_heading(&self, pos: usize) -> bool {
        self.paragraph_at(pos)
            .map(|p| self.paragraphs[p].heading && self.paragraphs[p].span.end > pos)
            .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests;
