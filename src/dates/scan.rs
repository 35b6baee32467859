//! The scanner: one left-to-right pass over the document tokens that finds
//! time expressions and records what they mean (a [`Sem`]), leaving the
//! calendar arithmetic to `normalize`.

use super::lexicon::{bits, filter_bit, Class, NumKind, TimeLex, WordEntry};
use super::TimexType;
use crate::document::{Document, TokenKind};

/// Calendar units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unit {
    Year,
    Month,
    Week,
    Day,
    Hour,
    Minute,
    Second,
    Decade,
    Century,
    Quarter,
    Weekend,
    Fortnight,
}

impl Unit {
    pub fn from_code(s: &str) -> Option<Unit> {
        Some(match s {
            "Y" => Unit::Year,
            "M" => Unit::Month,
            "W" => Unit::Week,
            "D" => Unit::Day,
            "H" => Unit::Hour,
            "MI" => Unit::Minute,
            "S" => Unit::Second,
            "DE" => Unit::Decade,
            "CE" => Unit::Century,
            "Q" => Unit::Quarter,
            "WE" => Unit::Weekend,
            "FN" => Unit::Fortnight,
            _ => return None,
        })
    }
}

/// Which year an expression lies in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum YearSpec {
    /// Written out.
    Abs(i32),
    /// Relative to the document year ("last year" = -1).
    Rel(i32),
    /// To be inferred from the document date and the tense.
    Infer,
}

/// What an expression means, before anchoring.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Sem {
    /// A value given by the word list (PRESENT_REF, P1D sets …).
    Fixed(TimexType, String),
    /// A month or a day of a month.
    Date {
        y: YearSpec,
        m: u32,
        d: Option<u32>,
    },
    /// last/next/this + month name.
    MonthRel {
        m: u32,
        rel: i32,
    },
    Year(i32),
    /// "199" for the 1990s.
    Decade(i32),
    /// "19" for the 20th century.
    Century(i32),
    Season {
        y: YearSpec,
        s: String,
    },
    SeasonRel {
        s: String,
        rel: i32,
    },
    /// q = 0: the quarter the article reports on.
    Quarter {
        y: YearSpec,
        q: u32,
    },
    Half {
        y: YearSpec,
        h: u32,
    },
    Weekday {
        wd: u32,
        rel: Option<i32>,
    },
    /// today (0), yesterday (-1) …
    Day(i64),
    Holiday {
        y: YearSpec,
        spec: String,
        rel: Option<i32>,
    },
    /// last week, this year, next month.
    RelUnit {
        unit: Unit,
        rel: i32,
    },
    /// the following year, that day, the next morning: relative to the
    /// time last mentioned.
    RefUnit {
        unit: Unit,
        rel: i32,
    },
    /// the previous Friday: relative to the day last mentioned.
    RefWeekday {
        wd: u32,
        rel: i32,
    },
    /// two weeks ago (sign -1), three years later (+1); n None: vague.
    Offset {
        unit: Unit,
        n: Option<f64>,
        sign: i32,
    },
    /// year-earlier, the year-ago quarter.
    YearAgo,
    Duration {
        unit: Unit,
        n: Option<f64>,
    },
    Set(String),
    /// A clock time with no day named: the day last mentioned.
    RefDay,
}

/// One time expression found by the scanner: tokens `[start, end)`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Cand {
    pub start: usize,
    pub end: usize,
    pub sem: Sem,
    pub modifier: Option<String>,
    /// Part of day: MO AF EV NI.
    pub part: Option<String>,
    /// Clock time (hour 0..=24, minute).
    pub clock: Option<(u32, u32)>,
}

impl Cand {
    fn new(start: usize, end: usize, sem: Sem) -> Cand {
        Cand {
            start,
            end,
            sem,
            modifier: None,
            part: None,
            clock: None,
        }
    }
    fn is_datelike(&self) -> bool {
        !matches!(
            self.sem,
            Sem::Fixed(..) | Sem::Duration { .. } | Sem::Set(_) | Sem::Offset { .. } | Sem::YearAgo
        )
    }
}

pub(crate) struct Scanner<'a> {
    doc: &'a Document,
    /// Per token: its table entry, the phrases starting there and what an
    /// expression starting there may be.
    toks: Toks<'a>,
    /// The longest phrase of each class at each token (a token's range is
    /// `Tok::found..Tok::found + Tok::nfound`).
    found: Vec<(Class, usize, &'a str)>,
    /// The tokens with [`START`], in order.
    starts: Vec<usize>,
    /// (from, k): token `k` is the first at or after `from` with a unit
    /// phrase (or the token count); see [`Scanner::unit_ahead`].
    unit_cache: std::cell::Cell<(usize, usize)>,
}

impl Drop for Scanner<'_> {
    /// The token indices and the start list go back to be reused by the
    /// next document's scanner on this thread.
    fn drop(&mut self) {
        let idx = std::mem::take(&mut self.toks.idx);
        let starts = std::mem::take(&mut self.starts);
        SCRATCH.with(|c| c.set((idx, starts)));
    }
}

/// The [`Tok`] of every token, kept only for the tokens with something in
/// it (a word-table entry or a digit; about one in five): most tokens share
/// the default one.
struct Toks<'a> {
    /// Per token: its `Tok` in `info` (0: the default).
    idx: Vec<u32>,
    /// The default `Tok` first, then those of the tokens that have one.
    info: Vec<Tok<'a>>,
}

thread_local! {
    /// The token indices ([`Toks::idx`]) and start list
    /// ([`Scanner::starts`]) of the last document's scanner on this
    /// thread, kept to be reused (not allocated and faulted in afresh for
    /// each document).
    static SCRATCH: std::cell::Cell<(Vec<u32>, Vec<usize>)> =
        const { std::cell::Cell::new((Vec::new(), Vec::new())) };
}

impl<'a> Toks<'a> {
    /// For `n` tokens, all with the default `Tok`; room for `some` more.
    /// `idx`: a vector to reuse (its contents are dropped).
    fn new(n: usize, some: usize, mut idx: Vec<u32>) -> Toks<'a> {
        let mut info = Vec::with_capacity(some + 1);
        info.push(Tok::default());
        idx.clear();
        idx.resize(n, 0);
        Toks { idx, info }
    }

    /// Gives token `i` (which has the default `Tok`) its own.
    #[inline]
    fn set(&mut self, i: usize, tok: Tok<'a>) {
        self.idx[i] = self.info.len() as u32;
        self.info.push(tok);
    }

    /// The `Tok` of token `i`, None past the end.
    #[inline]
    fn get(&self, i: usize) -> Option<&Tok<'a>> {
        let &k = self.idx.get(i)?;
        self.info.get(k as usize)
    }

    fn len(&self) -> usize {
        self.idx.len()
    }
}

impl<'a> std::ops::Index<usize> for Toks<'a> {
    type Output = Tok<'a>;

    #[inline]
    fn index(&self, i: usize) -> &Tok<'a> {
        &self.info[self.idx[i] as usize]
    }
}

/// What the scanner knows about one token, computed once.
#[derive(Clone, Copy, Debug, Default)]
struct Tok<'a> {
    /// Its lower-case text's entry in the word table.
    entry: Option<&'a WordEntry>,
    /// Its phrases in `Scanner::found`.
    found: u32,
    nfound: u16,
    /// [`DIGIT`], [`START`].
    flags: u16,
    /// The classes of its phrases ([`Class::bit`]).
    mask: u32,
}

/// The classes some rule of [`Scanner::core`] needs at its first token.
const GATE_CLASSES: u32 = {
    use Class::*;
    let all = [
        Fixed, Rel, Deictic, Clock, Every, FreqArt, Holiday, Fiscal, Decade, AnaRel, DurPre, Vague,
        Unit, YearAgo, Season,
    ];
    let mut m = 0;
    let mut k = 0;
    while k < all.len() {
        m |= 1 << all[k] as u32;
        k += 1;
    }
    m
};

/// The bits of [`WordEntry::bits`] some rule of [`Scanner::core`] needs at
/// its first token, and those it needs there after "the".
const GATE_BITS: u32 = bits::MONTH
    | bits::WEEKDAY
    | bits::CARD
    | bits::ORD
    | bits::ARTICLE
    | bits::APOSTROPHE
    | bits::HALF
    | bits::LAST
    | bits::DIGIT;
const GATE_BITS_THE: u32 = GATE_BITS | bits::YEAR | bits::QUARTER | bits::FULL | bits::COMPARABLE;

/// The token has an ASCII digit.
const DIGIT: u16 = 1;
/// An expression may start at the token (see [`Scanner::may_start`]).
const START: u16 = 2;

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// An expression may start at the token only with the next one: "the" +
/// an expression there, or an apostrophe + a decade ("'80s"); see
/// [`Scanner::may_parse_alone`] and [`Scanner::next_may_parse`].
const WITH_NEXT: u16 = 4;

/// The word table gives the token a tense ([`super::lexicon::bits::TENSE`]).
const TENSE: u16 = 8;
/// The token is an apostrophe ([`bits::APOSTROPHE`]).
const APOSTROPHE: u16 = 16;
/// All [`Scanner::parse_at`] may find at the token is a quantity of an
/// article ([`Scanner::article_only`]).
const ARTICLE: u16 = 32;
/// The token is a number in no word list ("5", "1,000", "1998"): see
/// [`Scanner::number_may_parse`].
const NUMBER: u16 = 64;
/// All [`Scanner::parse_at`] may find at the token is an anaphoric
/// expression without "the" ("that day"): see [`Scanner::anaphoric_only`]
/// and [`Scanner::anaphoric_may_follow`].
const ANAPHORIC: u16 = 128;
/// The token is a number word and all [`Scanner::parse_at`] may find there
/// needs something after it: see [`Scanner::number_word_only`] and
/// [`Scanner::number_word_may_go_on`].
const NUMBER_WORD: u16 = 256;

/// `text[start..end]` has an ASCII digit. Words of up to 8 bytes are
/// tested 8 bytes at a time. (The reference for [`Lowered::has_digit`].)
#[cfg(test)]
#[inline]
fn has_digit(text: &[u8], start: usize, end: usize) -> bool {
    let len = end.saturating_sub(start);
    if len <= 8 {
        if let Some(b) = text.get(start..start + 8) {
            let x = u64::from_le_bytes(b.try_into().unwrap_or_default());
            // the token's bytes only; a 0 byte is no digit
            let x = if len == 8 {
                x
            } else {
                x & ((1u64 << (8 * len)) - 1)
            };
            // a byte b with b'0' <= b <= b'9' ("hasbetween", bit twiddling hacks)
            const L: u64 = u64::MAX / 255;
            let low = x & (L * 127);
            return ((L * (127 + 0x3a)).wrapping_sub(low)
                & !x
                & low.wrapping_add(L * (127 - 0x2f))
                & (L * 128))
                != 0;
        }
    }
    text.get(start..end)
        .unwrap_or_default()
        .iter()
        .any(|b| b.is_ascii_digit())
}

/// `w` without its commas, read as a number ("1,000" → 1000): whole
/// numbers of up to 15 digits without going through a String.
fn parse_number(w: &str) -> Option<f64> {
    let mut v: u64 = 0;
    let mut digits = 0;
    for b in w.bytes() {
        match b {
            b'0'..=b'9' => {
                v = v * 10 + u64::from(b - b'0');
                digits += 1;
                if digits > 15 {
                    return slow_parse_number(w);
                }
            }
            b',' => {}
            _ => return slow_parse_number(w),
        }
    }
    (digits > 0).then_some(v as f64)
}

fn slow_parse_number(w: &str) -> Option<f64> {
    let s: String = w.chars().filter(|&c| c != ',').collect();
    s.parse().ok()
}

impl<'a> Scanner<'a> {
    #[inline(never)]
    pub fn new(doc: &'a Document, lex: &'a TimeLex) -> Scanner<'a> {
        let n = doc.tokens.len();
        // every phrase of the word lists at every token, in one pass: the
        // longest per class
        let mut found: Vec<(Class, usize, &'a str)> = Vec::new();
        // most tokens are in no list: their `Tok` stays the default
        let (idx, mut starts) = SCRATCH.with(|c| c.take());
        let mut toks = Toks::new(n, n / 2 + 8, idx);
        // (about one token in six may start one)
        starts.clear();
        starts.reserve(n / 4 + 8);
        let hashes = doc.lowered.hash_slice();
        let filter = lex.words.filter();
        let hn = n.min(hashes.len());
        let mut next = 0;
        loop {
            // most tokens are in no list and have no digit: a tight loop
            // skips them (the filter of `WordIndex::may_list` and the digit
            // bit, nothing else read)
            while next < hn {
                let (fw, fm) = filter_bit(hashes[next]);
                if filter[fw] & fm != 0 || doc.lowered.has_digit(next) {
                    break;
                }
                next += 1;
            }
            if next >= hn {
                break;
            }
            let i = next;
            next += 1;
            let h = hashes[i];
            let t = &doc.tokens[i];
            let entry = if lex.words.may_list(h) {
                lex.words.get_token(h, &doc.lowered, i)
            } else {
                None
            };
            let Some(entry) = entry else {
                // (lower-casing neither makes nor takes ASCII digits)
                if doc.lowered.has_digit(i) {
                    let number = if t.kind == TokenKind::Number {
                        NUMBER
                    } else {
                        0
                    };
                    toks.set(
                        i,
                        Tok {
                            flags: DIGIT | START | number,
                            ..Tok::default()
                        },
                    );
                    starts.push(i);
                }
                continue;
            };
            let mut tok = Tok {
                entry: Some(entry),
                mask: entry.single_classes,
                ..Tok::default()
            };
            // a phrase of several words is longer than any single word
            let sent = t.sentence;
            let second = !entry.seconds.is_empty()
                && i + 1 < n
                && doc.tokens[i + 1].sentence == sent
                && doc
                    .lowered
                    .hash(i + 1)
                    .is_some_and(|h| entry.seconds.binary_search(&h).is_ok());
            if !second && t.kind != TokenKind::Number {
                // the word alone: its flags are the table's
                tok.flags = entry.tok_flags;
                if tok.flags & START != 0 {
                    starts.push(i);
                }
                toks.set(i, tok);
                continue;
            }
            tok.flags = Self::word_base_flags(entry);
            if second {
                let first = found.len();
                let mut matched = false;
                found.extend(entry.singles.iter().map(|(c, v)| (*c, 1, v.as_str())));
                for p in &entry.multis {
                    let len = p.words.len();
                    let ok = i + len <= n
                        && (1..len).all(|k| {
                            doc.tokens[i + k].sentence == sent && doc.lower(i + k) == p.words[k]
                        });
                    if !ok {
                        continue;
                    }
                    match found[first..].iter_mut().find(|x| x.0 == p.class) {
                        Some(x) if x.1 >= len => {}
                        Some(x) => *x = (p.class, len, p.value.as_str()),
                        None => found.push((p.class, len, p.value.as_str())),
                    }
                    tok.mask |= p.class.bit();
                    matched = true;
                }
                // a token with phrases of several words has them all in `found`
                if matched {
                    tok.found = first as u32;
                    tok.nfound = (found.len() - first) as u16;
                } else {
                    found.truncate(first);
                }
            }
            tok.flags |= Self::start_flags(&tok, t.kind);
            if tok.flags & START != 0 {
                starts.push(i);
            }
            toks.set(i, tok);
        }
        Scanner {
            doc,
            toks,
            found,
            starts,
            unit_cache: std::cell::Cell::new((usize::MAX, 0)),
        }
    }

    /// The flags a token with `entry` has whatever follows: [`DIGIT`] and
    /// [`START`] for a word with digits, [`TENSE`], [`APOSTROPHE`].
    fn word_base_flags(entry: &WordEntry) -> u16 {
        let mut flags = 0;
        if entry.bits & bits::DIGIT != 0 {
            flags = DIGIT | START;
        }
        if entry.bits & bits::TENSE != 0 {
            flags |= TENSE;
        }
        if entry.bits & bits::APOSTROPHE != 0 {
            flags |= APOSTROPHE;
        }
        flags
    }

    /// [`START`], [`WITH_NEXT`] and [`ARTICLE`] of a token (`tok`: its
    /// entry, phrases and base flags; `kind`: its kind).
    fn start_flags(tok: &Tok, kind: TokenKind) -> u16 {
        let mut flags = 0;
        if Self::may_start(tok) && Self::may_parse(tok, kind) {
            flags |= START;
            if !Self::may_parse_alone(tok, kind) {
                flags |= WITH_NEXT;
            } else if Self::article_only(tok, kind) {
                flags |= ARTICLE;
            } else if Self::anaphoric_only(tok, kind) {
                flags |= ANAPHORIC;
            } else if Self::number_word_only(tok, kind) {
                flags |= NUMBER_WORD;
            }
        }
        flags
    }

    /// The flags of a word of the table in a token that is no number and
    /// starts no phrase of several words ([`WordEntry::tok_flags`]).
    pub(crate) fn word_flags(entry: &WordEntry) -> u16 {
        let mut tok = Tok {
            entry: Some(entry),
            mask: entry.single_classes,
            flags: Self::word_base_flags(entry),
            ..Tok::default()
        };
        tok.flags |= Self::start_flags(&tok, TokenKind::Word);
        tok.flags
    }

    /// Whether all [`Scanner::parse_at`] may find at a token (`tok`, of
    /// `kind`) is a quantity of an article ("a year", "a hundred days") or
    /// a set ("twice a year"): an article in no word-list class a rule or
    /// prefix reads but the one-word FreqArt, with no other bit a rule
    /// reads.
    fn article_only(tok: &Tok, kind: TokenKind) -> bool {
        let prefixes = Class::Pos.bit() | Class::Approx.bit();
        // a one-word FreqArt phrase ("a"): see drop_bare_articles
        tok.mask & (GATE_CLASSES | prefixes) & !Class::FreqArt.bit() == 0
            && tok.nfound == 0
            && tok
                .entry
                .is_some_and(|e| e.bits & (GATE_BITS | bits::THE) == bits::ARTICLE)
            && tok.flags & DIGIT == 0
            && kind != TokenKind::Number
    }

    /// Whether all [`Scanner::parse_at`] may find at a token (`tok`, of
    /// `kind`) is what [`Scanner::p_anaphoric`] finds there without "the"
    /// ("that day", "that Friday"): a one-word phrase of [`Class::AnaRel`]
    /// in no other class a rule or prefix reads, with no bit a rule reads,
    /// no digit and no number. Of the rules of `core`, only
    /// [`Scanner::p_rel`] reads such a token, and without "the" and without
    /// a [`Class::Rel`] phrase it finds no more than `p_anaphoric`.
    fn anaphoric_only(tok: &Tok, kind: TokenKind) -> bool {
        let prefixes = Class::Pos.bit() | Class::Approx.bit();
        tok.mask & (GATE_CLASSES | prefixes) == Class::AnaRel.bit()
            && tok.nfound == 0
            && tok
                .entry
                .is_some_and(|e| e.bits & (GATE_BITS | bits::THE) == 0)
            && tok.flags & DIGIT == 0
            && kind != TokenKind::Number
    }

    /// For a token of [`ANAPHORIC`]: whether what
    /// [`Scanner::p_anaphoric`] needs after its one-word phrase follows in
    /// its sentence: a unit, a weekday or a part of the day.
    fn anaphoric_may_follow(&self, i: usize) -> bool {
        let j = i + 1;
        self.same(i, j)
            && (self.mask(j) & (Class::Unit.bit() | Class::Daypart.bit()) != 0
                || self
                    .entry(j)
                    .is_some_and(|e| e.weekday.is_some() || e.weekday_plural.is_some()))
    }

    /// Whether a token (`tok`, of `kind`) is a cardinal or ordinal number
    /// word ("two", "first"), a one-word vague quantity ("many") or a
    /// one-word duration prefix ("first nine months"), in no other
    /// word-list class a rule or prefix reads, with no other bit a rule
    /// reads, no digit and no number. The rules of `core` that read such a
    /// word each need the next token to go on: a number word
    /// ([`Scanner::number_at`], [`Scanner::year_at`], the quantity after a
    /// duration prefix), "-" ("twenty-first", "third-quarter"), a unit or
    /// filler (quantities), a month or "of" ([`Scanner::p_date`]),
    /// "century" ([`Scanner::p_decade`]), "quarter" or "half"
    /// ([`Scanner::p_quarter`]), "to", "or" or "and" (ranges, "one and a
    /// half").
    fn number_word_only(tok: &Tok, kind: TokenKind) -> bool {
        let prefixes = Class::Pos.bit() | Class::Approx.bit();
        let read = tok.entry.map_or(0, |e| e.bits & (GATE_BITS | bits::THE));
        let classes = tok.mask & (GATE_CLASSES | prefixes);
        let words = Class::Vague.bit() | Class::DurPre.bit();
        classes & !words == 0
            && tok.nfound == 0
            && (read != 0 || classes != 0)
            && read & !(bits::CARD | bits::ORD) == 0
            && tok.flags & DIGIT == 0
            && kind != TokenKind::Number
    }

    /// For a token of [`NUMBER_WORD`]: whether the next token, in its
    /// sentence, may go on with it (see [`Scanner::number_word_only`]): it
    /// is in the word table, has a digit or is a number, is no word
    /// (punctuation: "-", "/" …), or is one of the words the rules name
    /// there.
    fn number_word_may_go_on(&self, i: usize) -> bool {
        let j = i + 1;
        if !self.same(i, j) {
            return false;
        }
        let t = &self.toks[j];
        t.entry.is_some()
            || t.flags & DIGIT != 0
            || self.doc.tokens[j].kind != TokenKind::Word
            || !self
                .w(j)
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphanumeric())
            || matches!(
                self.w(j),
                "of" | "century" | "quarter" | "half" | "to" | "or" | "and"
            )
    }

    /// For a number in no word list ([`NUMBER`]): whether
    /// [`Scanner::parse_at`] may find something there. Of the rules of
    /// `core` that read such a number, each needs one of these first: a
    /// month after it ([`Scanner::p_date`]), "-" or "/" after it
    /// ([`Scanner::p_numeric_date`]), what a clock time needs
    /// ([`Scanner::p_time`]), four characters (a year), a possessive
    /// ([`Scanner::p_quarter`]), or a quantity going on to a unit
    /// (durations and offsets); it has no word-list class and is no "the".
    fn number_may_parse(&self, i: usize) -> bool {
        self.month_follows(i)
            || matches!(self.w(i + 1), "-" | "/")
            || self.clock_follows(i)
            || self.w(i).len() == 4
            || self.possessive_year(i)
            || (self.quantity_may_start(i, true) && self.unit_ahead(i))
    }

    /// For a token of [`ARTICLE`]: whether nothing may start at it, as no
    /// quantity does ([`Scanner::quantity_may_start`]) and no unit follows
    /// ("a trip", "an end"). (Where no quantity starts, `core` reads no
    /// quantity, and "a" + a unit is all [`Scanner::p_set`] reads of such
    /// an article.)
    fn bare_article(&self, i: usize) -> bool {
        !self.quantity_may_start(i, false) && !self.is(i + 1, Class::Unit)
    }

    /// The longest phrases of each class at token `i`.
    #[cfg(test)]
    fn matches(&self, i: usize) -> Vec<(Class, usize, &'a str)> {
        match self.toks.get(i) {
            Some(t) if t.nfound > 0 => {
                self.found[t.found as usize..t.found as usize + t.nfound as usize].to_vec()
            }
            Some(t) => t.entry.map_or(Vec::new(), |e| {
                e.singles.iter().map(|(c, v)| (*c, 1, v.as_str())).collect()
            }),
            None => Vec::new(),
        }
    }

    /// Token `i`'s entry in the word table.
    #[inline]
    fn entry(&self, i: usize) -> Option<&'a WordEntry> {
        self.toks.get(i)?.entry
    }

    /// The classes of the phrases at token `i`.
    #[inline]
    fn mask(&self, i: usize) -> u32 {
        self.toks.get(i).map_or(0, |t| t.mask)
    }

    /// Token `i` is a word of `bit` ([`bits::NAMED`]).
    #[inline]
    fn named(&self, i: usize, bit: u32) -> bool {
        self.entry(i).is_some_and(|e| e.bits & bit != 0)
    }

    /// Token `i` is an apostrophe ("'" or "’"; false past the end).
    #[inline]
    pub fn apostrophe(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.flags & APOSTROPHE != 0)
    }

    /// The word table gives token `i` a tense ([`Scanner::tense_word`]).
    #[inline]
    pub fn has_tense_word(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.flags & TENSE != 0)
    }

    /// Token `i` is the first word of a pair of the tense table.
    pub fn tense_pair_first(&self, i: usize) -> bool {
        self.entry(i).is_some_and(|e| e.pair_first)
    }

    /// The tense the word table gives token `i` (None past the end).
    pub fn tense_word(&self, i: usize) -> Option<super::lexicon::Tense> {
        self.entry(i)?.tense
    }

    /// Lower-case text of token `i` ("" past the end).
    fn w(&self, i: usize) -> &str {
        self.doc.lower(i)
    }

    /// Original text of token `i`.
    fn raw(&self, i: usize) -> &str {
        if i < self.doc.tokens.len() {
            self.doc.token_text(i)
        } else {
            ""
        }
    }

    /// Token `j` exists and lies in the sentence of token `i`.
    fn same(&self, i: usize, j: usize) -> bool {
        j < self.doc.tokens.len()
            && i < self.doc.tokens.len()
            && self.doc.tokens[i].sentence == self.doc.tokens[j].sentence
    }

    /// Token `j` follows token `j-1` with no space between.
    fn glued(&self, j: usize) -> bool {
        j > 0
            && j < self.doc.tokens.len()
            && self.doc.tokens[j - 1].span.end == self.doc.tokens[j].span.start
    }

    fn capitalized(&self, i: usize) -> bool {
        self.raw(i).chars().next().is_some_and(|c| c.is_uppercase())
    }

    /// Longest phrase of `class` at token `i`: (length, value).
    #[inline]
    fn cls(&self, i: usize, class: Class) -> Option<(usize, &'a str)> {
        let t = self.toks.get(i)?;
        if t.mask & class.bit() == 0 {
            return None;
        }
        if t.nfound == 0 {
            // the word's own phrases only
            let (_, v) = t.entry?.singles.iter().find(|m| m.0 == class)?;
            return Some((1, v.as_str()));
        }
        self.found[t.found as usize..t.found as usize + t.nfound as usize]
            .iter()
            .find(|m| m.0 == class)
            .map(|m| (m.1, m.2))
    }

    #[inline]
    fn is(&self, i: usize, class: Class) -> bool {
        self.mask(i) & class.bit() != 0
    }

    /// Token `j` is `word` and in the sentence of `i`.
    fn word(&self, i: usize, j: usize, word: &str) -> bool {
        self.same(i, j) && self.w(j) == word
    }

    // ----- words ---------------------------------------------------------

    /// A month name at `i` (capitalized): (month, end).
    fn month_at(&self, i: usize) -> Option<(u32, usize)> {
        let (m, abbr) = self.entry(i)?.month?;
        if !self.capitalized(i) {
            return None;
        }
        let mut end = i + 1;
        if abbr && self.word(i, end, ".") && self.glued(end) {
            end += 1;
        } else if abbr && !(self.same(i, end) && self.doc.tokens[end].kind == TokenKind::Number) {
            // "Jan" without its period is a name unless a number follows
            return None;
        }
        Some((m, end))
    }

    /// A weekday name at `i`: (weekday, end, plural).
    fn weekday_at(&self, i: usize) -> Option<(u32, usize, bool)> {
        let info = self.entry(i)?;
        if info.weekday.is_none() && info.weekday_plural.is_none() {
            return None;
        }
        if !self.capitalized(i) {
            return None;
        }
        if let Some((d, abbr)) = info.weekday {
            let mut end = i + 1;
            if abbr && self.word(i, end, ".") && self.glued(end) {
                end += 1;
            } else if abbr {
                // "Sun" without a period is a name
                return None;
            }
            return Some((d, end, false));
        }

        let (d, abbr) = info.weekday_plural?;
        if abbr {
            return None;
        }
        Some((d, i + 1, true))
    }

    /// A unit at `i`: (unit, end, plural).
    fn unit_at(&self, i: usize) -> Option<(Unit, usize, bool)> {
        let (n, v) = self.cls(i, Class::Unit)?;
        let u = Unit::from_code(v)?;
        let plural = self.w(i + n - 1).ends_with('s')
            && !matches!(self.w(i + n - 1), "hrs" | "yrs" | "mins");
        Some((
            u,
            i + n,
            plural || matches!(self.w(i + n - 1), "hrs" | "yrs" | "mins"),
        ))
    }

    #[inline]
    fn num_word(&self, i: usize) -> Option<(f64, NumKind)> {
        self.entry(i)?.number
    }

    /// A cardinal number at `i`: digits ("1,000", "3.5", "2 1/2") or words
    /// ("twenty-four", "a hundred", "one and a half"): (value, end).
    fn number_at(&self, i: usize, article: bool) -> Option<(f64, usize)> {
        if !self.same(i, i) {
            return None;
        }
        let t = self.doc.tokens[i];
        if t.kind == TokenKind::Number {
            let mut v = parse_number(self.w(i))?;
            let mut end = i + 1;
            // "2 1/2"
            if let Some((f, e)) = self.fraction_at(end) {
                if !self.w(i).contains('.') {
                    v += f;
                    end = e;
                }
            }
            return Some((v, end));
        }
        let (v0, k0) = self.num_word(i)?;
        let mut end;
        let mut total;
        let mut cur;
        match k0 {
            NumKind::Card => {
                cur = v0;
                total = 0.0;
                end = i + 1;
            }
            NumKind::Article | NumKind::Mult if self.named(i, bits::A) || k0 == NumKind::Mult => {
                // "a hundred", or a bare article
                if k0 == NumKind::Mult {
                    return None;
                }
                match self.num_word(i + 1) {
                    Some((m, NumKind::Mult)) if self.same(i, i + 1) => {
                        cur = m;
                        total = 0.0;
                        end = i + 2;
                    }
                    _ => {
                        // a bare article: "a year"
                        return article.then_some((1.0, i + 1));
                    }
                }
            }
            _ => return None,
        }
        loop {
            let mut j = end;
            let hyphen = self.word(i, j, "-") && self.glued(j);
            let and = self.word(i, j, "and")
                && matches!(self.num_word(j + 1), Some((_, NumKind::Card)))
                && cur >= 100.0;
            if hyphen || and {
                j += 1;
            }
            match self.num_word(j) {
                Some((v, NumKind::Card)) if self.same(i, j) => {
                    // "twenty four" but not "four twenty"
                    let last_unit = cur % 100.0;
                    if last_unit != 0.0
                        && (v >= 10.0 || last_unit < 20.0)
                        && !(last_unit >= 20.0 && v < 10.0)
                    {
                        break;
                    }
                    if last_unit >= 20.0 && v >= 10.0 {
                        break;
                    }
                    cur += v;
                    end = j + 1;
                }
                Some((m, NumKind::Mult)) if self.same(i, j) && j == end => {
                    if m >= 1000.0 {
                        total += cur.max(1.0) * m;
                        cur = 0.0;
                    } else {
                        cur = cur.max(1.0) * m;
                    }
                    end = j + 1;
                }
                _ => break,
            }
        }
        Some((total + cur, end))
    }

    /// "1/2" (glued digits): (value, end).
    fn fraction_at(&self, i: usize) -> Option<(f64, usize)> {
        if !(self.same(i, i + 2) && self.w(i + 1) == "/" && self.glued(i + 1) && self.glued(i + 2))
        {
            return None;
        }
        let (a, b) = (self.w(i), self.w(i + 2));
        if !(is_digits(a) && is_digits(b)) {
            return None;
        }
        let (a, b): (f64, f64) = (a.parse().ok()?, b.parse().ok()?);
        if b == 0.0 || a >= b || b > 10.0 {
            return None;
        }
        Some((a / b, i + 3))
    }

    /// An ordinal at `i`: "third", "3rd", "twenty-first": (value, end).
    fn ordinal_at(&self, i: usize) -> Option<(u32, usize)> {
        let w = self.w(i);
        if let Some((v, NumKind::Ord)) = self.num_word(i) {
            return Some((v as u32, i + 1));
        }
        if let Some((tens, NumKind::Card)) = self.num_word(i) {
            if tens >= 20.0 && self.word(i, i + 1, "-") && self.glued(i + 1) {
                if let Some((v, NumKind::Ord)) = self.num_word(i + 2) {
                    if v < 10.0 {
                        return Some(((tens + v) as u32, i + 3));
                    }
                }
            }
        }
        for suf in ["st", "nd", "rd", "th"] {
            if let Some(d) = w.strip_suffix(suf) {
                if is_digits(d) && d.len() <= 3 {
                    return d.parse().ok().map(|v| (v, i + 1));
                }
            }
        }
        None
    }

    /// A four-digit year ("1998") or a spelled one ("nineteen ninety-six").
    fn year_at(&self, i: usize) -> Option<(i32, usize)> {
        let w = self.w(i);
        if self.doc.tokens.get(i)?.kind == TokenKind::Number && w.len() == 4 && is_digits(w) {
            let y: i32 = w.parse().ok()?;
            return (1000..=2199).contains(&y).then_some((y, i + 1));
        }
        // spelled: nineteen ninety-six, nineteen eighty
        let (c, NumKind::Card) = self.num_word(i)? else {
            return None;
        };
        if !(10.0..20.0).contains(&c) && c != 20.0 {
            return None;
        }
        let (t, NumKind::Card) = self.num_word(i + 1)? else {
            return None;
        };
        if !self.same(i, i + 1) || t < 10.0 {
            return None;
        }
        let mut y = c * 100.0 + t;
        let mut end = i + 2;
        if t >= 20.0 && self.word(i, end, "-") && self.glued(end) {
            if let Some((u, NumKind::Card)) = self.num_word(end + 1) {
                if u < 10.0 {
                    y += u;
                    end += 2;
                }
            }
        }
        Some((y as i32, end))
    }

    /// Day of month at `i`: "30", "30th", "eighth".
    fn monthday_at(&self, i: usize) -> Option<(u32, usize)> {
        let w = self.w(i);
        let (d, end) = if is_digits(w) && w.len() <= 2 {
            (w.parse().ok()?, i + 1)
        } else {
            self.ordinal_at(i)?
        };
        if !(1..=31).contains(&d) {
            return None;
        }
        // not a clock time or a quantity
        if self.same(i, end) && self.glued(end) {
            let digit_after = self.glued(end + 1) && is_digits(self.w(end + 1));
            if self.w(end) == "%" || (matches!(self.w(end), ":" | "/" | "." | ",") && digit_after) {
                return None;
            }
        }
        if self.same(i, end) && (self.is(end, Class::Unit) || self.w(end) == "percent") {
            return None;
        }
        Some((d, end))
    }

    // ----- expressions ----------------------------------------------------

    /// Every time expression of the document, in text order.
    #[inline(never)]
    pub fn scan(&self) -> Vec<Cand> {
        let mut out = Vec::new();
        // the first token not inside an expression found
        let mut free = 0;
        for &i in &self.starts {
            let f = self.toks[i].flags;
            if i < free
                || (f & WITH_NEXT != 0 && !self.next_may_parse(i))
                || (f & ARTICLE != 0 && self.bare_article(i))
                || (f & NUMBER != 0 && !self.number_may_parse(i))
                || (f & ANAPHORIC != 0 && !self.anaphoric_may_follow(i))
                || (f & NUMBER_WORD != 0 && !self.number_word_may_go_on(i))
            {
                continue;
            }
            if let Some(c) = self.parse_at(i).filter(|c| c.end > i) {
                free = c.end;
                out.push(c);
            }
        }
        out
    }

    /// Whether an expression can start at a token (`tok`: its phrases and
    /// entry): it is in a word list, has a digit, or is "the" / an
    /// apostrophe ("the '80s").
    fn may_start(tok: &Tok) -> bool {
        // DatePre and BarePre ("in", "of", "to", "for" …) are only ever
        // read at the token before an expression, never where one starts
        tok.mask & !(Class::DatePre.bit() | Class::BarePre.bit()) != 0
            || tok.entry.is_some_and(|e| e.bits & bits::OPENS != 0)
            || tok.flags & DIGIT != 0
    }

    /// Whether [`Scanner::parse_at`] can find anything at a token (`tok`,
    /// of `kind`): [`Scanner::core`] has a rule for it, or it is a prefix
    /// (early, nearly …) or "the".
    fn may_parse(tok: &Tok, kind: TokenKind) -> bool {
        let prefixes = Class::Pos.bit() | Class::Approx.bit();
        tok.mask & (GATE_CLASSES | prefixes) != 0
            || tok
                .entry
                .is_some_and(|e| e.bits & (GATE_BITS | bits::THE) != 0)
            || tok.flags & DIGIT != 0
            || kind == TokenKind::Number
    }

    /// [`Scanner::may_parse`] leaving out "the" and the apostrophe:
    /// whether [`Scanner::parse_at`] can find anything at a token other
    /// than "the" + an expression at the next token or "'80s".
    fn may_parse_alone(tok: &Tok, kind: TokenKind) -> bool {
        let prefixes = Class::Pos.bit() | Class::Approx.bit();
        tok.mask & (GATE_CLASSES | prefixes) != 0
            || tok
                .entry
                .is_some_and(|e| e.bits & GATE_BITS & !bits::APOSTROPHE != 0)
            || tok.flags & DIGIT != 0
            || kind == TokenKind::Number
    }

    /// For a token [`WITH_NEXT`]: whether [`Scanner::parse_at`] can find
    /// anything at `i`.
    fn next_may_parse(&self, i: usize) -> bool {
        (self.named(i, bits::THE) && self.the_may_parse(i))
            || (self.named(i, bits::APOSTROPHE) && self.apostrophe_decade(i))
    }

    /// For "the" at `i`: whether what follows in its sentence takes "the"
    /// ([`Scanner::core`] after "the") or is an early/late/mid prefix.
    fn the_may_parse(&self, i: usize) -> bool {
        self.same(i, i + 1) && (self.may_core(i + 1, true) || self.is(i + 1, Class::Pos))
    }

    fn better(best: &mut Option<Cand>, c: Option<Cand>) {
        if let Some(c) = c {
            if best
                .as_ref()
                .is_none_or(|b| c.end > b.end || (c.end == b.end && c.start < b.start))
            {
                *best = Some(c);
            }
        }
    }

    /// The longest expression starting at token `i`, with its prefixes
    /// (approximators, "the", early/late …).
    #[inline(never)]
    fn parse_at(&self, i: usize) -> Option<Cand> {
        let mut best: Option<Cand> = None;
        Self::better(&mut best, self.with_the(i));
        // early/late/mid …
        if let Some((k, m)) = self.cls(i, Class::Pos) {
            if self.same(i, i + k) {
                if let Some(mut c) = self.with_the(i + k).filter(|c| c.is_datelike()) {
                    c.start = i;
                    c.modifier = Some(m.to_string());
                    Self::better(&mut best, Some(c));
                }
                // "the end of the month", "the middle of the week": a phrase
                // of several words before "the" + a month or week is the
                // current one ("the year" is one by itself)
                if k > 1 && self.named(i + k, bits::THE) && self.same(i, i + k + 1) {
                    if let Some((u @ (Unit::Month | Unit::Week), e, false)) =
                        self.unit_at(i + k + 1)
                    {
                        let mut c = Cand::new(i, e, Sem::RelUnit { unit: u, rel: 0 });
                        c.modifier = Some(m.to_string());
                        Self::better(&mut best, Some(c));
                    }
                }
            }
        }
        if self.named(i, bits::THE) {
            if let Some((k, m)) = self.cls(i + 1, Class::Pos) {
                if self.same(i, i + 1 + k) {
                    if let Some(mut c) = self.with_the(i + 1 + k).filter(|c| c.is_datelike()) {
                        c.start = i;
                        c.modifier = Some(m.to_string());
                        Self::better(&mut best, Some(c));
                    }
                }
            }
        }
        // nearly, more than, at least …
        if let Some((k, m)) = self.cls(i, Class::Approx) {
            if self.same(i, i + k) {
                if let Some(mut c) = self.with_the(i + k).filter(|c| {
                    matches!(
                        c.sem,
                        Sem::Duration { n: Some(_), .. } | Sem::Offset { n: Some(_), .. }
                    ) || c.clock.is_some()
                }) {
                    c.start = i;
                    c.modifier = Some(m.to_string());
                    Self::better(&mut best, Some(c));
                }
            }
        }
        best
    }

    /// An expression at `i`, or "the" + an expression that takes it.
    fn with_the(&self, i: usize) -> Option<Cand> {
        let mut best = self.core(i, false);
        if self.named(i, bits::THE) && self.same(i, i + 1) {
            if let Some(mut c) = self.core(i + 1, true) {
                // "the" stays outside adjectival compounds: "the third-quarter results"
                let adjectival = matches!(
                    c.sem,
                    Sem::Duration { .. }
                        | Sem::Quarter {
                            q: 1..=4,
                            y: YearSpec::Infer
                        }
                ) && (c.start + 1..c.end)
                    .any(|j| self.w(j) == "-" && self.glued(j));
                if !adjectival {
                    c.start = i;
                    Self::better(&mut best, Some(c));
                }
            }
        }
        best
    }

    /// The longest expression starting exactly at `i`. `the`: a "the"
    /// precedes (some expressions need it, some refuse it).
    #[inline]
    fn core(&self, i: usize, the: bool) -> Option<Cand> {
        if !self.may_core(i, the) {
            return None;
        }
        self.core_rules(i, the)
    }

    /// Whether token `i` has something a rule of [`Scanner::core`] tests
    /// first (a word-list class, a table entry bit, a digit, a number).
    #[inline]
    fn may_core(&self, i: usize, the: bool) -> bool {
        let Some(t) = self.toks.get(i) else {
            return false;
        };
        let gate_bits = if the { GATE_BITS_THE } else { GATE_BITS };
        // an apostrophe starts nothing but "'80s" (see [`Scanner::p_decade`])
        let e = t.entry.map_or(0, |e| e.bits);
        t.mask & GATE_CLASSES != 0
            || e & gate_bits & !bits::APOSTROPHE != 0
            || t.flags & DIGIT != 0
            || self.doc.tokens[i].kind == TokenKind::Number
            || (e & bits::APOSTROPHE != 0 && self.apostrophe_decade(i))
    }

    /// Token `i` is an apostrophe glued to a decade: "'80s" (the test of
    /// [`Scanner::p_decade`]).
    #[inline]
    fn apostrophe_decade(&self, i: usize) -> bool {
        matches!(self.w(i), "'" | "’")
            && self.glued(i + 1)
            && self.same(i, i + 1)
            && self
                .w(i + 1)
                .strip_suffix('s')
                .is_some_and(|d| is_digits(d) && d.len() == 2 && d.ends_with('0'))
    }

    /// A phrase of the `Fixed` class at token `i` ("today", "the past
    /// year"): its listed type and value ("DATE:PRESENT_REF"), except
    /// "current" read as an adjective of no time.
    fn fixed_at(&self, i: usize) -> Option<Cand> {
        let (k, v) = self.cls(i, Class::Fixed)?;
        let (ty, val) = v.split_once(':')?;
        let ty = match ty {
            "DATE" => TimexType::DATE,
            "TIME" => TimexType::TIME,
            "DURATION" => TimexType::DURATION,
            "SET" => TimexType::SET,
            _ => return None,
        };
        if self.w(i) == "current" && k == 1 && self.current_is_not_time(i) {
            return None;
        }
        Some(Cand::new(i, i + k, Sem::Fixed(ty, val.to_string())))
    }

    /// [`Scanner::core`] at a token [`Scanner::may_core`] lets through.
    fn core_rules(&self, i: usize, the: bool) -> Option<Cand> {
        let mut best = None;
        if !the {
            best = self.fixed_at(i);
        }
        // Each rule below needs something of token `i` (a word-list class,
        // a table entry, a digit, a word); a rule that cannot match is not
        // tried. The conditions are those the rules test first.
        let t = self.toks[i];
        let e = t.entry.map_or(0, |e| e.bits);
        let digit = t.flags & DIGIT != 0;
        let isnum = self.doc.tokens[i].kind == TokenKind::Number;
        let has = |c: Class| t.mask & c.bit() != 0;
        let word = |b: u32| e & b != 0;
        let (month, wday, card) = (word(bits::MONTH), word(bits::WEEKDAY), word(bits::CARD));
        // what ordinal_at, year_at and number_at need
        let ordinal = digit || card || word(bits::ORD);
        let year = isnum || card;
        let number = isnum || card || word(bits::ARTICLE);
        let rel = has(Class::Rel);
        let unit = has(Class::Unit);
        let quantity = number || has(Class::Vague) || word(bits::HALF);
        // a number (or a word with digits) in no word list: the rules that
        // could read it need a word after it, tested first
        let plain = t.entry.is_none();
        if !the {
            // "19 June", "3rd of May"
            if month || wday || (ordinal && (!plain || self.month_follows(i))) {
                Self::better(&mut best, self.p_date(i));
            }
            if digit {
                Self::better(&mut best, self.p_numeric_date(i));
            }
            if rel || wday {
                Self::better(&mut best, self.p_weekday(i));
            }
            if rel || has(Class::Deictic) {
                Self::better(&mut best, self.p_deictic(i));
            }
            if has(Class::Clock) || (digit && (!plain || self.clock_follows(i))) {
                Self::better(&mut best, self.p_time(i));
            }
            if has(Class::Every) || has(Class::FreqArt) {
                Self::better(&mut best, self.p_set(i));
            }
            if rel || has(Class::Holiday) {
                Self::better(&mut best, self.p_holiday(i, None, i));
            }
        }
        let fiscal = has(Class::Fiscal);
        if year || fiscal || (the && word(bits::YEAR)) {
            Self::better(&mut best, self.p_year(i, the));
        }
        // (a plain number is no decade: "1990s" and "20th" are words)
        if (ordinal && !(plain && isnum)) || (the && has(Class::Decade)) || word(bits::APOSTROPHE) {
            Self::better(&mut best, self.p_decade(i, the));
        }
        if (year || ordinal || rel || fiscal || word(bits::LAST) || (the && word(bits::QUARTER)))
            && (the || !(plain && isnum) || self.possessive_year(i))
        {
            Self::better(&mut best, self.p_quarter(i, the));
        }
        if rel || has(Class::AnaRel) || (the && (fiscal || unit || word(bits::FULL))) {
            Self::better(&mut best, self.p_rel(i, the));
        }
        // the quantity at `i`, for durations and offsets alike (it ends
        // with a unit)
        let q = if quantity && self.quantity_may_start(i, plain && isnum) && self.unit_ahead(i) {
            self.quantity_at(i)
        } else {
            None
        };
        if quantity || has(Class::DurPre) || (!the && unit) {
            Self::better(&mut best, self.p_duration(i, the, q));
        }
        if quantity || unit {
            Self::better(&mut best, self.p_offset(i, q));
        }
        if has(Class::YearAgo) || (the && word(bits::COMPARABLE)) {
            Self::better(&mut best, self.p_yearago(i, the));
        }
        if has(Class::Season) {
            Self::better(&mut best, self.p_season(i, the));
        }
        best
    }

    /// A month name at token `i + 1` or `i + 2` (what [`Scanner::p_date`]
    /// needs after a day of the month in no word list: "19 June", "3rd of May").
    fn month_follows(&self, i: usize) -> bool {
        (1..=2).any(|k| self.entry(i + k).is_some_and(|e| e.month.is_some()))
    }

    /// What [`Scanner::clock_at`] needs after an hour in no word list: ":",
    /// a.m./p.m. or "in" ("4 in the morning").
    fn clock_follows(&self, i: usize) -> bool {
        matches!(self.w(i + 1), ":" | "in") || self.is(i + 1, Class::Ampm)
    }

    /// "1988's" (the year [`Scanner::p_quarter`] reads before "third
    /// quarter" without "the"): four characters and an apostrophe.
    fn possessive_year(&self, i: usize) -> bool {
        self.w(i).len() == 4 && self.w(i + 1) == "'"
    }

    /// Whether [`Scanner::quantity_at`] may find something at `i`, for the
    /// two commonest shapes (a plain number, `number` true, and "a"/"an"):
    /// what follows their number must go on to a unit ([`Scanner::quantity_may_follow`]).
    fn quantity_may_start(&self, i: usize, number: bool) -> bool {
        if number {
            // "12 weeks", "2 1/2 years"
            return self.quantity_may_follow(i + 1) || self.w(i + 2) == "/";
        }
        let Some(t) = self.toks.get(i) else {
            return false;
        };
        let article = t.mask & Class::Vague.bit() == 0
            && !self.named(i, bits::HALF)
            && self.doc.tokens[i].kind != TokenKind::Number
            && matches!(self.num_word(i), Some((_, NumKind::Article)));
        if !article {
            return true;
        }
        // "a year", "a hundred years"; an article without the bit of "a"
        // is no number
        self.named(i, bits::A)
            && (self.quantity_may_follow(i + 1)
                || matches!(self.num_word(i + 1), Some((_, NumKind::Mult))))
    }

    /// What may follow the number of a quantity: its unit, a filler
    /// ("more"), "-" ("five-year"), "to"/"or" (a range) or "and" ("and a half").
    fn quantity_may_follow(&self, j: usize) -> bool {
        self.is(j, Class::Unit)
            || self.is(j, Class::Filler)
            || matches!(self.w(j), "-" | "to" | "or" | "and")
    }

    /// Whether a token after `i` in its sentence has a [`Class::Unit`]
    /// phrase (every quantity ends with one). The first such token at or
    /// after a position is cached, so that the scan stays linear.
    fn unit_ahead(&self, i: usize) -> bool {
        let n = self.toks.len();
        let from = i + 1;
        // no unit in [cf, cu); `cu` is one, the token count, or the first
        // token of a sentence after that of `cf - 1` (which no query
        // before `cu` counts: the answer is about the query's sentence)
        let (cf, cu) = self.unit_cache.get();
        let mut k = from;
        if cf <= k && k <= cu {
            k = cu;
        } else {
            // the walk stops where the cached stretch begins, or at the end
            // of the sentence of `i`
            let send = self
                .doc
                .tokens
                .get(i)
                .and_then(|t| self.doc.sentences.get(t.sentence))
                .map_or(n, |s| s.tokens.1.clamp(from.min(n), n));
            let stop = if k < cf { cf.min(send) } else { send };
            while k < stop && self.toks[k].mask & Class::Unit.bit() == 0 {
                k += 1;
            }
            if k == cf {
                k = cu;
            }
        }
        self.unit_cache.set((from, k));
        k < n && self.same(i, k)
    }

    /// "current" as an adjective of a non-temporal noun it cannot date
    /// ("current account", "current events" are fine either way; we only
    /// refuse it before units, which other rules take).
    fn current_is_not_time(&self, i: usize) -> bool {
        self.is(i + 1, Class::Unit) || self.is(i + 1, Class::Fiscal)
    }

    /// Month-day-year, day-month-year, month-year and bare months.
    fn p_date(&self, i: usize) -> Option<Cand> {
        let mut best = None;
        // optional weekday in front: "Friday, Oct. 23"
        let (start, j) = match self.weekday_at(i) {
            Some((_, e, false)) => {
                let j = if self.word(i, e, ",") { e + 1 } else { e };
                (i, j)
            }
            _ => (i, i),
        };
        if let Some((m, e)) = self.month_at(j) {
            // Month Day [, Year]
            if let Some((d, e2)) = self.same(j, e).then(|| self.monthday_at(e)).flatten() {
                let mut end = e2;
                let mut y = YearSpec::Infer;
                let k = if self.word(j, end, ",") { end + 1 } else { end };
                if let Some((yy, e3)) = self.same(j, k).then(|| self.year_at(k)).flatten() {
                    y = YearSpec::Abs(yy);
                    end = e3;
                }
                Self::better(
                    &mut best,
                    Some(Cand::new(start, end, Sem::Date { y, m, d: Some(d) })),
                );
            }
            if j == i {
                // Month [,] Year / Month of Year / Month last year
                let k = if self.word(j, e, ",") || self.word(j, e, "of") {
                    e + 1
                } else {
                    e
                };
                if let Some((yy, e3)) = self.same(j, k).then(|| self.year_at(k)).flatten() {
                    Self::better(
                        &mut best,
                        Some(Cand::new(
                            i,
                            e3,
                            Sem::Date {
                                y: YearSpec::Abs(yy),
                                m,
                                d: None,
                            },
                        )),
                    );
                }
                if let Some((n, r)) = self.cls(k, Class::Rel) {
                    if self.same(j, k) && matches!(self.w(k + n), "year") && self.same(j, k + n) {
                        if let Ok(r) = r.parse::<i32>() {
                            Self::better(
                                &mut best,
                                Some(Cand::new(
                                    i,
                                    k + n + 1,
                                    Sem::Date {
                                        y: YearSpec::Rel(r),
                                        m,
                                        d: None,
                                    },
                                )),
                            );
                        }
                    }
                }
                if best.is_none() && self.bare_month_ok(i, e) {
                    best = Some(Cand::new(
                        i,
                        e,
                        Sem::Date {
                            y: YearSpec::Infer,
                            m,
                            d: None,
                        },
                    ));
                }
            }
        }
        // Day Month [Year]: "30 September 1998", "the 30th of September"
        if j == i {
            if let Some((d, e)) = self.monthday_at(i) {
                let k = if self.word(i, e, "of") { e + 1 } else { e };
                if let Some((m, e2)) = self.same(i, k).then(|| self.month_at(k)).flatten() {
                    let mut end = e2;
                    let mut y = YearSpec::Infer;
                    let k2 = if self.word(i, end, ",") { end + 1 } else { end };
                    if let Some((yy, e3)) = self.same(i, k2).then(|| self.year_at(k2)).flatten() {
                        y = YearSpec::Abs(yy);
                        end = e3;
                    }
                    Self::better(
                        &mut best,
                        Some(Cand::new(i, end, Sem::Date { y, m, d: Some(d) })),
                    );
                }
            }
        }
        best
    }

    /// A month name alone is a date unless it is a word like "may"/"march".
    fn bare_month_ok(&self, i: usize, e: usize) -> bool {
        if !matches!(self.w(i), "may" | "march") && e == i + 1 {
            return true;
        }
        if e > i + 1 && self.w(i) != "may" {
            // "Jan." is unambiguous
            return true;
        }
        i > 0 && self.same(i, i - 1) && self.is(i - 1, Class::DatePre)
    }

    /// 2023-06-19, 6/19/2023.
    fn p_numeric_date(&self, i: usize) -> Option<Cand> {
        let g = |k: usize| self.same(i, i + k) && self.glued(i + k);
        let w0 = self.w(i);
        if !is_digits(w0) {
            return None;
        }
        if w0.len() == 4
            && g(1)
            && g(2)
            && g(3)
            && g(4)
            && self.w(i + 1) == "-"
            && self.w(i + 3) == "-"
        {
            let (y, m, d) = (
                w0.parse().ok()?,
                self.w(i + 2).parse().ok()?,
                self.w(i + 4).parse().ok()?,
            );
            if (1..=12).contains(&m) && (1..=31).contains(&d) && is_digits(self.w(i + 4)) {
                return Some(Cand::new(
                    i,
                    i + 5,
                    Sem::Date {
                        y: YearSpec::Abs(y),
                        m,
                        d: Some(d),
                    },
                ));
            }
        }
        if w0.len() <= 2
            && g(1)
            && g(2)
            && g(3)
            && g(4)
            && self.w(i + 1) == "/"
            && self.w(i + 3) == "/"
        {
            let (m, d): (u32, u32) = (w0.parse().ok()?, self.w(i + 2).parse().ok()?);
            let yw = self.w(i + 4);
            if !is_digits(yw) || !(yw.len() == 4 || yw.len() == 2) {
                return None;
            }
            let mut y: i32 = yw.parse().ok()?;
            if yw.len() == 2 {
                y += if y < 50 { 2000 } else { 1900 };
            }
            if (1..=12).contains(&m) && (1..=31).contains(&d) {
                return Some(Cand::new(
                    i,
                    i + 5,
                    Sem::Date {
                        y: YearSpec::Abs(y),
                        m,
                        d: Some(d),
                    },
                ));
            }
        }
        None
    }

    /// Years: "1998", "fiscal 1989", "the year two thousand", "the 1988
    /// period", "the 1988 second quarter" (quarters come from p_quarter).
    fn p_year(&self, i: usize, the: bool) -> Option<Cand> {
        let mut j = i;
        let mut fiscal = false;
        if let Some((k, _)) = self.cls(i, Class::Fiscal) {
            j = i + k;
            if self.word(i, j, "year") {
                j += 1;
            }
            fiscal = true;
        }
        if the && self.w(j) == "year" && self.same(i, j + 1) {
            // the year two thousand [and one]
            if let Some((v, e)) = self.number_at(j + 1, false) {
                if (1000.0..2200.0).contains(&v) && !is_digits(self.w(j + 1)) {
                    return Some(Cand::new(i, e, Sem::Year(v as i32)));
                }
            }
        }
        let (y, mut end) = self.same(i, j).then(|| self.year_at(j)).flatten()?;
        if !fiscal && !self.year_context_ok(j, end) {
            return None;
        }
        if self.word(j, end, "'") && self.word(j, end + 1, "s") && self.glued(end) {
            // "1989's" — the possessive stays outside
        } else if self.same(j, end) && self.is(end, Class::Period) {
            end += 1;
        } else if the && !fiscal {
            return None;
        }
        Some(Cand::new(i, end, Sem::Year(y)))
    }

    /// A four-digit number is a year unless it counts something.
    fn year_context_ok(&self, i: usize, end: usize) -> bool {
        if i > 0 && self.same(i, i - 1) && matches!(self.w(i - 1), "$" | "#" | "£" | "€" | "no")
        {
            return false;
        }
        if !is_digits(self.w(i)) {
            // spelled years only where a year is expected
            return i > 0
                && self.same(i, i - 1)
                && (self.is(i - 1, Class::DatePre) || self.month_at(i - 1).is_some());
        }
        let nx = self.w(end);
        if self.same(i, end) {
            if matches!(nx, "%" | "percent" | "-" | "/" | ":") && self.glued(end) {
                return nx == "-"
                    && self.w(end + 1).chars().all(|c| c.is_ascii_digit())
                    && self.w(end + 1).len() == 2;
            }
            if matches!(nx, "percent" | "%") || self.is(end, Class::Unit) {
                return false;
            }
            // "1,000" is tokenized whole; "2000 troops": a plural noun after a bare number
            let t = self.doc.tokens[end];
            if t.kind == TokenKind::Word
                && nx.ends_with('s')
                && nx.len() > 3
                && !self.capitalized(end)
                && !self.is(end, Class::Period)
                && !matches!(
                    nx,
                    "was"
                        | "has"
                        | "is"
                        | "as"
                        | "its"
                        | "this"
                        | "thus"
                        | "plus"
                        | "levels"
                        | "results"
                        | "sales"
                        | "earnings"
                        | "figures"
                        | "highs"
                        | "lows"
                )
            {
                return false;
            }
        }
        true
    }

    /// Decades and centuries: "1990s", "the '80s", "the nineties", "the 20th century".
    fn p_decade(&self, i: usize, the: bool) -> Option<Cand> {
        let w = self.w(i);
        if let Some(d) = w.strip_suffix('s') {
            if is_digits(d) && d.len() == 4 && d.ends_with('0') {
                let v: i32 = d.parse().ok()?;
                return Some(Cand::new(i, i + 1, Sem::Decade(v / 10)));
            }
        }
        if matches!(w, "'" | "’") && self.glued(i + 1) && self.same(i, i + 1) {
            if let Some(d) = self.w(i + 1).strip_suffix('s') {
                if is_digits(d) && d.len() == 2 && d.ends_with('0') {
                    let v: i32 = d.parse().ok()?;
                    return Some(Cand::new(i, i + 2, Sem::Decade(190 + v / 10)));
                }
            }
        }
        if the {
            if is_digits(w.strip_suffix('s').unwrap_or("x")) && w.len() == 3 && w.ends_with("0s") {
                let v: i32 = w[..2].parse().ok()?;
                return Some(Cand::new(i, i + 1, Sem::Decade(190 + v / 10)));
            }
            if let Some((k, v)) = self.cls(i, Class::Decade) {
                return Some(Cand::new(i, i + k, Sem::Decade(v.parse().ok()?)));
            }
        }
        // the 20th century
        if let Some((o, e)) = self.ordinal_at(i) {
            if self.word(i, e, "century") && (1..=30).contains(&o) {
                return Some(Cand::new(i, e + 1, Sem::Century(o as i32 - 1)));
            }
        }
        if the {
            if let Some((k, _)) = self.cls(i, Class::Decade) {
                let _ = k;
            }
        }
        None
    }

    /// Quarters and halves: "third-quarter", "the fiscal first quarter",
    /// "the 1988 second quarter", "this year's third quarter", "the quarter",
    /// "the latest period", "the first half of 1990".
    fn p_quarter(&self, i: usize, the: bool) -> Option<Cand> {
        let mut j = i;
        let mut y = YearSpec::Infer;
        // year or "this year 's" in front
        if let Some((yy, e)) = self.year_at(j) {
            if self.word(i, e, "'") && self.word(i, e + 1, "s") {
                y = YearSpec::Abs(yy);
                j = e + 2;
            } else if the && self.same(i, e) {
                y = YearSpec::Abs(yy);
                j = e;
            }
        } else if let Some((k, r)) = self.cls(j, Class::Rel) {
            if self.word(i, j + k, "year")
                && self.word(i, j + k + 1, "'")
                && self.word(i, j + k + 2, "s")
            {
                y = YearSpec::Rel(r.parse().ok()?);
                j = j + k + 3;
            }
        }
        if let Some((k, _)) = self.cls(j, Class::Fiscal) {
            if self.same(i, j + k) {
                j += k;
                if self.word(i, j, "-") {
                    j += 1;
                }
            }
        }
        // ordinal + quarter / half
        if let Some((o, e)) = self.same(i, j).then(|| self.ordinal_at(j)).flatten() {
            let k = if self.word(i, e, "-") && self.glued(e) {
                e + 1
            } else {
                e
            };
            let what = self.w(k);
            if self.same(i, k) && (what == "quarter" || (what == "half" && o <= 2)) {
                let mut end = k + 1;
                if let Some((yy, e2)) = self
                    .word(i, end, "of")
                    .then(|| self.year_at(end + 1))
                    .flatten()
                {
                    y = YearSpec::Abs(yy);
                    end = e2;
                } else if let Some((yy, e2)) =
                    self.same(i, end).then(|| self.year_at(end)).flatten()
                {
                    if y == YearSpec::Infer {
                        y = YearSpec::Abs(yy);
                        end = e2;
                    }
                }
                let sem = if what == "quarter" {
                    if !(1..=4).contains(&o) {
                        return None;
                    }
                    Sem::Quarter { y, q: o }
                } else {
                    Sem::Half { y, h: o }
                };
                // "fourth quarters" is a set; leave it
                return Some(Cand::new(i, end, sem));
            }
        }
        // "last half of 1989"
        if self.w(j) == "last" && self.word(i, j + 1, "half") && self.word(i, j + 2, "of") {
            if let Some((yy, e2)) = self.year_at(j + 3) {
                return Some(Cand::new(
                    i,
                    e2,
                    Sem::Half {
                        y: YearSpec::Abs(yy),
                        h: 2,
                    },
                ));
            }
        }
        // the (latest|current) quarter / period; the 1988 quarter
        if the || j > i {
            let mut k = j;
            let mut current = false;
            if let Some((n, r)) = self.cls(k, Class::Rel) {
                if r == "0" && self.same(i, k + n) {
                    current = self.w(k) == "current" || self.w(k) == "this";
                    k += n;
                }
            }
            if self.same(i, k)
                && (self.w(k) == "quarter"
                    || (self.is(k, Class::Period) && (k > i || y != YearSpec::Infer)))
            {
                if current && self.w(k) == "quarter" {
                    return Some(Cand::new(
                        i,
                        k + 1,
                        Sem::RelUnit {
                            unit: Unit::Quarter,
                            rel: 0,
                        },
                    ));
                }
                return Some(Cand::new(i, k + 1, Sem::Quarter { y, q: 0 }));
            }
        }
        // "this quarter" without "the"
        None
    }

    /// Weekdays: "Friday", "Wednesday night", "last Thursday", "Mondays".
    fn p_weekday(&self, i: usize) -> Option<Cand> {
        let mut j = i;
        let mut rel = None;
        if let Some((k, r)) = self.cls(i, Class::Rel) {
            if self.weekday_at(i + k).is_some() && self.same(i, i + k) {
                rel = r.parse::<i32>().ok();
                j = i + k;
            }
        }
        let (wd, e, plural) = self.weekday_at(j)?;
        if plural {
            if rel.is_some() {
                return None;
            }
            let mut c = Cand::new(i, e, Sem::Set(format!("XXXX-WXX-{wd}")));
            if let Some((k, p)) = self.cls(e, Class::Daypart) {
                if self.same(i, e) {
                    c.end = e + k;
                    c.sem = Sem::Set(format!("XXXX-WXX-{wd}T{p}"));
                }
            }
            return Some(c);
        }
        let mut c = Cand::new(i, e, Sem::Weekday { wd, rel });
        if let Some((k, p)) = self.cls(e, Class::Daypart) {
            if self.same(i, e) {
                c.end = e + k;
                c.part = Some(p.to_string());
                // "Tuesday nights" is a set
                if self.w(e + k - 1).ends_with('s') {
                    c.sem = Sem::Set(format!("XXXX-WXX-{wd}T{p}"));
                    c.part = None;
                }
            }
        }
        Some(c)
    }

    /// today, yesterday morning, tonight, this morning, last night.
    fn p_deictic(&self, i: usize) -> Option<Cand> {
        if let Some((k, v)) = self.cls(i, Class::Deictic) {
            let off: i64 = v.parse().ok()?;
            let mut c = Cand::new(i, i + k, Sem::Day(off));
            if let Some((k2, p)) = self.cls(i + k, Class::Daypart) {
                if self.same(i, i + k) && !self.w(i + k + k2 - 1).ends_with('s') {
                    c.end = i + k + k2;
                    c.part = Some(p.to_string());
                }
            }
            return Some(c);
        }
        // this morning / last night / tomorrow night handled above
        let (k, r) = self.cls(i, Class::Rel)?;
        let (k2, p) = self.cls(i + k, Class::Daypart)?;
        if !self.same(i, i + k) || self.w(i + k + k2 - 1).ends_with('s') {
            return None;
        }
        let off = match (self.w(i), p) {
            ("this", _) => 0,
            ("last", "NI") => -1,
            _ => return None,
        };
        let _ = r;
        let mut c = Cand::new(i, i + k + k2, Sem::Day(off));
        c.part = Some(p.to_string());
        Some(c)
    }

    /// Clock times: "10 p.m. Wednesday", "10:35 a.m.", "noon Thursday",
    /// "5 p.m. EST Nov. 9", "4 in the morning".
    fn p_time(&self, i: usize) -> Option<Cand> {
        let (h, mi, mut end) = self.clock_at(i)?;
        let mut c = Cand::new(i, end, Sem::RefDay);
        c.clock = Some((h, mi));
        if let Some((k, _)) = self.cls(end, Class::Zone) {
            if self.same(i, end) {
                end += k;
            }
        }
        let k = if self.word(i, end, ",") { end + 1 } else { end };
        let k = if self.word(i, k, "on") { k + 1 } else { k };
        c.end = end;
        if self.same(i, k) {
            let day = self
                .p_date(k)
                .filter(|d| matches!(d.sem, Sem::Date { d: Some(_), .. }))
                .or_else(|| {
                    self.p_weekday(k)
                        .filter(|d| d.part.is_none() && matches!(d.sem, Sem::Weekday { .. }))
                })
                .or_else(|| self.p_deictic(k).filter(|d| d.part.is_none()));
            if let Some(d) = day {
                c.end = d.end;
                c.sem = d.sem;
            }
        }
        Some(c)
    }

    /// A clock time at `i`: (hour, minute, end).
    fn clock_at(&self, i: usize) -> Option<(u32, u32, usize)> {
        if let Some((k, v)) = self.cls(i, Class::Clock) {
            let (h, m) = v.split_once(':')?;
            return Some((h.parse().ok()?, m.parse().ok()?, i + k));
        }
        let w = self.w(i);
        if !is_digits(w) || w.len() > 2 {
            return None;
        }
        let mut h: u32 = w.parse().ok()?;
        let mut mi = 0;
        let mut end = i + 1;
        let mut has_minutes = false;
        if self.word(i, end, ":")
            && self.glued(end)
            && is_digits(self.w(end + 1))
            && self.w(end + 1).len() == 2
            && self.glued(end + 1)
        {
            mi = self.w(end + 1).parse().ok()?;
            end += 2;
            has_minutes = true;
        }
        if h > 24 || mi > 59 {
            return None;
        }
        if let Some((k, ap)) = self.cls(end, Class::Ampm).filter(|_| self.same(i, end)) {
            if h > 12 || h == 0 {
                return None;
            }
            match ap {
                "PM" if h < 12 => h += 12,
                "AM" if h == 12 => h = 0,
                _ => {}
            }
            return Some((h, mi, end + k));
        }
        // "4 in the morning"
        if self.word(i, end, "in") && self.word(i, end + 1, "the") {
            if let Some((k, p)) = self.cls(end + 2, Class::Daypart) {
                if h <= 12 && self.same(i, end + 2) {
                    if matches!(p, "AF" | "EV") || (p == "NI" && (6..12).contains(&h)) {
                        h += 12;
                    }
                    return Some((h, mi, end + 2 + k));
                }
            }
        }
        // 24-hour clock with a zone: "14:30 GMT"
        if has_minutes && self.same(i, end) && self.is(end, Class::Zone) {
            return Some((h, mi, end));
        }
        None
    }

    /// Frequencies: "every day", "each Thursday", "every two weeks",
    /// "twice a year", "$5 million a year".
    fn p_set(&self, i: usize) -> Option<Cand> {
        if let Some((k, _)) = self.cls(i, Class::Every) {
            let mut j = i + k;
            if self.word(i, j, "other") {
                j += 1;
            }
            let mut n = 1.0;
            if let Some((v, e)) = self.number_at(j, false) {
                n = v;
                j = e;
            }
            if !self.same(i, j) {
                return None;
            }
            if let Some((u, e, _)) = self.unit_at(j) {
                return Some(Cand::new(
                    i,
                    e,
                    Sem::Set(super::normalize::duration_value(u, Some(n))),
                ));
            }
            if let Some((wd, e, _)) = self.weekday_at(j) {
                return Some(Cand::new(i, e, Sem::Set(format!("XXXX-WXX-{wd}"))));
            }
            if let Some((m, e)) = self.month_at(j) {
                return Some(Cand::new(i, e, Sem::Set(format!("XXXX-{m:02}"))));
            }
            if let Some((k2, p)) = self.cls(j, Class::Daypart) {
                return Some(Cand::new(i, j + k2, Sem::Set(format!("XXXX-XX-XXT{p}"))));
            }
            if let Some((k2, s)) = self.cls(j, Class::Season) {
                return Some(Cand::new(i, j + k2, Sem::Set(format!("XXXX-{s}"))));
            }
            return None;
        }
        // "a year" after a quantity or a frequency word
        if let Some((k, _)) = self.cls(i, Class::FreqArt) {
            let prev_ok = i > 0
                && self.same(i, i - 1)
                && (self.doc.tokens[i - 1].kind == TokenKind::Number
                    || self.is(i - 1, Class::FreqPre));
            if prev_ok {
                if let Some((u, e, false)) =
                    self.same(i, i + k).then(|| self.unit_at(i + k)).flatten()
                {
                    return Some(Cand::new(
                        i,
                        e,
                        Sem::Set(super::normalize::duration_value(u, Some(1.0))),
                    ));
                }
            }
        }
        None
    }

    /// Holidays: "Christmas", "Thanksgiving Day", "last Thanksgiving".
    fn p_holiday(&self, i: usize, rel: Option<i32>, start: usize) -> Option<Cand> {
        if rel.is_none() {
            if let Some((k, r)) = self.cls(i, Class::Rel) {
                if self.is(i + k, Class::Holiday) && self.same(i, i + k) {
                    return self.p_holiday(i + k, r.parse().ok(), i);
                }
            }
        }
        let (k, spec) = self.cls(i, Class::Holiday)?;
        if !self.capitalized(i) {
            return None;
        }
        let mut end = i + k;
        let mut y = YearSpec::Infer;
        if let Some((yy, e)) = self.same(i, end).then(|| self.year_at(end)).flatten() {
            y = YearSpec::Abs(yy);
            end = e;
        }
        Some(Cand::new(
            start,
            end,
            Sem::Holiday {
                y,
                spec: spec.to_string(),
                rel,
            },
        ))
    }

    /// last/next/this + unit, month, season: "last week", "this year",
    /// "next month", "last December", "this past spring", "the past year",
    /// "the weekend", "the year", "the full year", "the fiscal year".
    fn p_rel(&self, i: usize, the: bool) -> Option<Cand> {
        if let Some(c) = self.p_anaphoric(i, the) {
            return Some(c);
        }
        let mut j = i;
        let mut rel = None;
        if let Some((k, r)) = self.cls(i, Class::Rel) {
            if !self.same(i, i + k) {
                return None;
            }
            rel = r.parse::<i32>().ok();
            j = i + k;
        }
        let mut fiscal = false;
        if let Some((k, _)) = self.cls(j, Class::Fiscal) {
            if self.w(j + k) == "year" && self.same(i, j + k) {
                j += k;
                fiscal = true;
            }
        }
        if the && rel.is_none() {
            if self.w(j) == "full" && self.word(i, j + 1, "year") {
                return Some(Cand::new(
                    i,
                    j + 2,
                    Sem::RelUnit {
                        unit: Unit::Year,
                        rel: 0,
                    },
                ));
            }
            if self.word(i, j + 1, "-") && self.glued(j + 1) {
                // "the year-earlier …"
                return None;
            }
            if let Some((u, e, false)) = self.unit_at(j) {
                // "the year ended June 30" is a span; "for the year" the current one
                return match u {
                    Unit::Year if self.same(i, e) && self.is(e, Class::SpanAfter) => {
                        Some(Cand::new(
                            i,
                            e,
                            Sem::Duration {
                                unit: Unit::Year,
                                n: Some(1.0),
                            },
                        ))
                    }
                    Unit::Year => Some(Cand::new(
                        i,
                        e,
                        Sem::RelUnit {
                            unit: Unit::Year,
                            rel: 0,
                        },
                    )),
                    Unit::Weekend => Some(Cand::new(
                        i,
                        e,
                        Sem::RelUnit {
                            unit: Unit::Weekend,
                            rel: 0,
                        },
                    )),
                    _ => None,
                };
            }
            return None;
        }
        let rel = rel?;
        if fiscal && self.w(j) == "year" {
            return Some(Cand::new(
                i,
                j + 1,
                Sem::RelUnit {
                    unit: Unit::Year,
                    rel,
                },
            ));
        }
        // the previous/following + unit needs "the"; last/next/this must not have it
        let w0 = self.w(i);
        let needs_the = matches!(
            w0,
            "previous" | "following" | "preceding" | "prior" | "same"
        );
        if needs_the && !the {
            return None;
        }
        if the && matches!(w0, "next" | "this" | "coming" | "upcoming") {
            return None;
        }
        if let Some((u, e, false)) = self.unit_at(j) {
            if matches!(
                u,
                Unit::Hour | Unit::Minute | Unit::Second | Unit::Fortnight
            ) {
                return None;
            }
            if w0 == "current" && !the && u != Unit::Quarter {
                // "current year" without "the" is rare; still a date
            }
            return Some(Cand::new(i, e, Sem::RelUnit { unit: u, rel }));
        }
        if let Some((m, e)) = self.month_at(j) {
            // "last Oct. 23": the date alone is the expression
            if the || (self.same(i, e) && self.monthday_at(e).is_some()) {
                return None;
            }
            return Some(Cand::new(i, e, Sem::MonthRel { m, rel }));
        }
        if let Some((k, s)) = self.cls(j, Class::Season) {
            return Some(Cand::new(
                i,
                j + k,
                Sem::SeasonRel {
                    s: s.to_string(),
                    rel,
                },
            ));
        }
        None
    }

    /// "the following year", "that day", "the next morning", "the previous
    /// Friday": offsets from the time last mentioned.
    fn p_anaphoric(&self, i: usize, the: bool) -> Option<Cand> {
        let (k, v) = self.cls(i, Class::AnaRel)?;
        let (needs_the, r) = match v.strip_prefix("the:") {
            Some(r) => (true, r),
            None => (false, v),
        };
        if needs_the != the || !self.same(i, i + k) {
            return None;
        }
        let rel: i32 = r.parse().ok()?;
        let j = i + k;
        if let Some((u, e, false)) = self.unit_at(j) {
            if matches!(u, Unit::Year | Unit::Month | Unit::Week | Unit::Day) {
                return Some(Cand::new(i, e, Sem::RefUnit { unit: u, rel }));
            }
            return None;
        }
        if let Some((wd, e, false)) = self.weekday_at(j) {
            return Some(Cand::new(i, e, Sem::RefWeekday { wd, rel }));
        }
        if let Some((k2, _)) = self.cls(j, Class::Daypart).filter(|_| rel != 0) {
            return Some(Cand::new(
                i,
                j + k2,
                Sem::RefUnit {
                    unit: Unit::Day,
                    rel,
                },
            ));
        }
        None
    }

    /// Seasons: "the summer", "summer 1998", "the winter of 1994".
    fn p_season(&self, i: usize, the: bool) -> Option<Cand> {
        let (k, s) = self.cls(i, Class::Season)?;
        let mut end = i + k;
        let kk = if self.word(i, end, "of") {
            end + 1
        } else {
            end
        };
        if let Some((yy, e)) = self.same(i, kk).then(|| self.year_at(kk)).flatten() {
            end = e;
            return Some(Cand::new(
                i,
                end,
                Sem::Season {
                    y: YearSpec::Abs(yy),
                    s: s.to_string(),
                },
            ));
        }
        let ok = the
            || (i > 0
                && self.same(i, i - 1)
                && matches!(
                    self.w(i - 1),
                    "in" | "during"
                        | "since"
                        | "until"
                        | "by"
                        | "this"
                        | "last"
                        | "next"
                        | "early"
                        | "late"
                )
                && !matches!(self.w(i), "fall" | "spring"));
        if !ok {
            return None;
        }
        Some(Cand::new(
            i,
            end,
            Sem::Season {
                y: YearSpec::Infer,
                s: s.to_string(),
            },
        ))
    }

    /// A quantity of a unit: (n or None when vague, unit, end, plural).
    fn quantity_at(&self, i: usize) -> Option<(Option<f64>, Unit, usize)> {
        let mut j;
        let mut n: Option<f64>;
        if let Some((k, v)) = self.cls(i, Class::Vague) {
            n = v.parse().ok();
            j = i + k;
        } else if self.named(i, bits::HALF) {
            // half an hour, half a year
            let (u, e, false) = self.same(i, i + 2).then(|| self.unit_at(i + 2)).flatten()? else {
                return None;
            };
            if !matches!(self.w(i + 1), "a" | "an") {
                return None;
            }
            return Some((Some(0.5), u, e));
        } else {
            let (v, e) = self.number_at(i, true)?;
            n = Some(v);
            j = e;
            // "two to three weeks", "12 to 18 months", "one or two years"
            if matches!(self.w(j), "to" | "or") && self.same(i, j + 1) {
                if let Some((v2, e2)) = self.number_at(j + 1, false) {
                    if v2 > v && self.unit_at(e2).is_some() {
                        n = if self.w(j) == "to" && v2 - v <= 1.0 {
                            Some(v)
                        } else {
                            None
                        };
                        if self.w(j) == "to" && v2 - v <= 1.0 {
                            n = Some(v);
                        }
                        j = e2;
                    }
                }
            }
            // "one and a half years"
            if self.w(j) == "and"
                && matches!(self.w(j + 1), "a" | "one")
                && self.w(j + 2) == "half"
                && self.same(i, j + 2)
            {
                n = n.map(|x| x + 0.5);
                j += 3;
            }
        }
        if !self.same(i, j) {
            return None;
        }
        // "five-year", "two more weeks"
        if self.word(i, j, "-") && self.glued(j) {
            j += 1;
        }
        while let Some((k, _)) = self.cls(j, Class::Filler) {
            if !self.same(i, j + k) || self.unit_at(j + k).is_none() {
                break;
            }
            j += k;
        }
        let (u, mut e, _) = self.unit_at(j).filter(|_| self.same(i, j))?;
        // "year-earlier", "year-end" are not quantities of a year
        if self.word(i, e, "-")
            && self.glued(e)
            && (self.is(e + 1, Class::After) || self.w(e + 1) == "end")
        {
            return None;
        }
        // "a year and a half"
        if self.w(e) == "and"
            && matches!(self.w(e + 1), "a" | "one")
            && self.w(e + 2) == "half"
            && self.same(i, e + 2)
        {
            n = n.map(|x| x + 0.5);
            e += 3;
        }
        Some((n, u, e))
    }

    /// Durations: "five years", "the past three months", "the first nine
    /// months", "2 1/2 years", "a couple of years", "five-year", "8-month-old",
    /// "years" (after "for"/"in").
    /// `q`: [`Scanner::quantity_at`] `i`.
    fn p_duration(
        &self,
        i: usize,
        the: bool,
        q: Option<(Option<f64>, Unit, usize)>,
    ) -> Option<Cand> {
        let mut j = i;
        let mut q = q;
        if let Some((k, _)) = self.cls(i, Class::DurPre) {
            if self.same(i, i + k) {
                if let Some(qk) = self.quantity_at(i + k) {
                    j = i + k;
                    q = Some(qk);
                }
            }
        }
        if let Some((n, u, mut e)) = q {
            // a bare article needs a singular unit ("a year"), and "a" + unit
            // right after a quantity is a frequency
            if matches!(u, Unit::Weekend) {
                return None;
            }
            // ages are not time expressions: "a 6-year-old", "52 years old"
            if self.w(e) == "old" || (self.word(i, e, "-") && self.w(e + 1) == "old") {
                return None;
            }
            // "decade-long"
            if self.word(i, e, "-") && self.glued(e) && self.w(e + 1) == "long" {
                e += 2;
            }
            // "a week or so"
            if self.word(i, e, "or") && self.word(i, e + 1, "so") {
                e += 2;
            }
            let article = self.num_word(j).is_some_and(|(_, k)| k == NumKind::Article);
            if the && j == i && article {
                return None;
            }
            // a unit that is also an ordinal, after an article and before a
            // word that never follows a span of time, is the ordinal: "a
            // second round" (but "a second later", "a second or two")
            if article
                && e == j + 2
                && self.num_word(j + 1).is_some_and(|(_, k)| k == NumKind::Ord)
                && self.same(i, e)
                && self.doc.tokens[e].kind == TokenKind::Word
                && !self.is(e, Class::DurNext)
            {
                return None;
            }
            return Some(Cand::new(i, e, Sem::Duration { unit: u, n }));
        }
        // bare plural units: "for years", "weeks or months"
        if the {
            return None;
        }
        let (u, e, plural) = self.unit_at(i)?;
        if !plural || matches!(u, Unit::Weekend | Unit::Second | Unit::Quarter) {
            return None;
        }
        let prev_ok = i > 0 && self.same(i, i - 1) && self.is(i - 1, Class::BarePre);
        let mut end = e;
        if self.word(i, e, "or") {
            if let Some((_, e2, true)) = self.same(i, e + 1).then(|| self.unit_at(e + 1)).flatten()
            {
                end = e2;
            }
        }
        if !prev_ok && end == e {
            return None;
        }
        Some(Cand::new(i, end, Sem::Duration { unit: u, n: None }))
    }

    /// "two weeks ago", "a year earlier", "three days later", "several years ago".
    /// `q`: [`Scanner::quantity_at`] `i`.
    fn p_offset(&self, i: usize, q: Option<(Option<f64>, Unit, usize)>) -> Option<Cand> {
        let (n, u, e) = q.or_else(|| {
            // "months ago"
            let (u, e, true) = self.unit_at(i)? else {
                return None;
            };
            Some((None, u, e))
        })?;
        // "an hour later" stays a duration
        if matches!(u, Unit::Weekend | Unit::Hour | Unit::Minute | Unit::Second) {
            return None;
        }
        let (k, v) = self.cls(e, Class::After).filter(|_| self.same(i, e))?;
        if self.w(e) == "before" {
            return None;
        }
        let sign: i32 = v.parse().ok()?;
        Some(Cand::new(i, e + k, Sem::Offset { unit: u, n, sign }))
    }

    /// "year-earlier", "the year-ago quarter", "the year-earlier period",
    /// "the comparable year-ago quarter".
    fn p_yearago(&self, i: usize, the: bool) -> Option<Cand> {
        let mut j = i;
        if the && matches!(self.w(i), "comparable" | "corresponding") {
            j += 1;
        }
        let (k, _) = self.cls(j, Class::YearAgo).filter(|_| self.same(i, j))?;
        // the glued form only: "year-earlier"
        if !(self.glued(j + 1) && self.w(j + 1) == "-") {
            return None;
        }
        let mut end = j + k;
        let mut q = None;
        if let Some((o, e)) = self.same(i, end).then(|| self.ordinal_at(end)).flatten() {
            if self.word(i, e, "quarter") && (1..=4).contains(&o) {
                q = Some(o);
                end = e + 1;
            }
        }
        if q.is_none()
            && self.same(i, end)
            && (self.w(end) == "quarter" || self.is(end, Class::Period))
        {
            end += 1;
        } else if q.is_none() && (the || j > i) {
            return None;
        }
        let mut c = Cand::new(i, end, Sem::YearAgo);
        if let Some(q) = q {
            c.sem = Sem::Quarter {
                y: YearSpec::Rel(-1),
                q,
            };
        }
        Some(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::DocumentModel;
    use crate::lexicon::Lexicon;

    fn models() -> &'static (Lexicon, DocumentModel, TimeLex) {
        use std::sync::OnceLock;
        static M: OnceLock<(Lexicon, DocumentModel, TimeLex)> = OnceLock::new();
        M.get_or_init(|| {
            let lex = Lexicon::embedded().expect("embedded lexicon");
            let dm = DocumentModel::new(&lex).expect("document model");
            let tl = TimeLex::new(&lex).expect("time lexicon");
            (lex, dm, tl)
        })
    }

    /// Sentences with most kinds of expressions (and near misses).
    const TEXT: &str = "The talks began on Friday, Oct. 23, 1998, and ended the following \
        week. Three years ago the 1990s looked different; in the '80s nobody cared. \
        The minister said on Tuesday night that the third-quarter results, due 6/19/2023 \
        or 2023-06-19, would come at 10:35 a.m. EST Nov. 9. Sales rose 2,000 percent in \
        fiscal 1989 and in the first half of 1990, roughly two and a half years after \
        the year-earlier period. Every two weeks, twice a year, each Thursday, Mondays \
        and Tuesday nights they meet. He had planned a trip for the summer of 1994 but \
        won't go until late next spring; we'll see this morning, tonight or last night. \
        The 20th century, the nineties, the year two thousand, the fiscal year ended \
        June 30, the comparable year-ago quarter, the latest period. A 6-year-old went \
        for years, weeks or months, a week or so, nearly five-year terms, more than \
        1,000,000 days, 2 1/2 hours, the past three months, that day, the next morning, \
        the previous Friday, Christmas 2003, last Thanksgiving. May I march in May? \
        Sun rises on Sun. 5; Jan met Jan. 4 and the current account.";

    fn doc(text: &str) -> Document {
        models().1.parse("t", text.to_string(), None)
    }

    /// Every rule of `core`, tried whatever the token.
    fn core_all(s: &Scanner, i: usize, the: bool) -> Option<Cand> {
        if i >= s.doc.tokens.len() {
            return None;
        }
        let mut best = None;
        if !the {
            best = s.fixed_at(i);
            Scanner::better(&mut best, s.p_date(i));
            Scanner::better(&mut best, s.p_numeric_date(i));
            Scanner::better(&mut best, s.p_weekday(i));
            Scanner::better(&mut best, s.p_deictic(i));
            Scanner::better(&mut best, s.p_time(i));
            Scanner::better(&mut best, s.p_set(i));
            Scanner::better(&mut best, s.p_holiday(i, None, i));
        }
        let q = s.quantity_at(i);
        Scanner::better(&mut best, s.p_year(i, the));
        Scanner::better(&mut best, s.p_decade(i, the));
        Scanner::better(&mut best, s.p_quarter(i, the));
        Scanner::better(&mut best, s.p_rel(i, the));
        Scanner::better(&mut best, s.p_duration(i, the, q));
        Scanner::better(&mut best, s.p_offset(i, q));
        Scanner::better(&mut best, s.p_yearago(i, the));
        Scanner::better(&mut best, s.p_season(i, the));
        best
    }

    /// Numbers in and out of time expressions, for the gates of plain
    /// numbers and quantities.
    const NUMBERS: &str = "On 19 June 50 people met; 3rd of May, 12 of them, at 10:30 and \
        4 in the morning, 5 pm or 7 p.m. GMT, 14:30 GMT. 1988's third quarter and 1988 's \
        sales; 12 to 18 months, 2 1/2 years, 40 - year terms, 7 more weeks. The 1990s and \
        20th century, 2,000 days, 3.5 hours. 300 and 40 - 7 / 8 : 9 in 10 ' 11; 2023-06-19 \
        then 6/19/23 and 1,200 of 30 May, 30th of 31 June and one and a half years. A year, \
        a full year, a hundred years, a new year, an hour, a - year, a or two years, 3 and a \
        half days, 4 1/2 weeks, 10 to 12 days, 5 full days, a couple of weeks.";

    #[test]
    fn gated_rules_find_what_every_rule_finds() {
        for text in [TEXT, NUMBERS] {
            gated_rules_agree(text);
        }
    }

    fn gated_rules_agree(text: &str) {
        let d = doc(text);
        let s = Scanner::new(&d, &models().2);
        let mut found = 0;
        let mut skipped = 0;
        for i in 0..=d.tokens.len() {
            for the in [false, true] {
                let all = core_all(&s, i, the);
                found += all.is_some() as usize;
                assert_eq!(s.core(i, the), all, "token {i} '{}' the={the}", s.w(i));
            }
            // where the scanner does not parse, nothing is found
            if i < d.tokens.len() && s.toks[i].flags & START == 0 {
                assert_eq!(core_all(&s, i, false), None, "token {i} '{}'", s.w(i));
                if Scanner::may_start(&s.toks[i]) {
                    skipped += 1;
                    assert_eq!(s.parse_at(i), None, "token {i} '{}'", s.w(i));
                }
            }
        }
        assert!(found > 15, "{found}");
        assert!(skipped > 0);
        // scanning left to right and back again, the cached unit search
        // agrees with a plain one
        let plain =
            |i: usize| (i + 1..d.tokens.len()).any(|k| s.same(i, k) && s.is(k, Class::Unit));
        for i in (0..d.tokens.len()).chain((0..d.tokens.len()).rev()) {
            assert_eq!(s.unit_ahead(i), plain(i), "token {i} '{}'", s.w(i));
        }
    }

    /// [`Scanner::scan`] trying [`Scanner::parse_at`] at every token.
    fn scan_all(s: &Scanner) -> Vec<Cand> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < s.doc.tokens.len() {
            match s.parse_at(i) {
                Some(c) if c.end > i => {
                    i = c.end;
                    out.push(c);
                }
                _ => i += 1,
            }
        }
        out
    }

    #[test]
    fn reused_scratch_scans_as_a_fresh_one() {
        // a long document, then a short one, then the long one again: the
        // token indices and start list left by one scanner (longer or
        // shorter, with other contents) change nothing for the next
        let long = format!("{TEXT} {NUMBERS} {TEXT}");
        let texts = [long.as_str(), "On 3 May.", NUMBERS, long.as_str(), ""];
        let fresh: Vec<_> = texts
            .iter()
            .map(|t| {
                SCRATCH.with(|c| c.take());
                let d = doc(t);
                let s = Scanner::new(&d, &models().2);
                (s.starts.clone(), s.toks.idx.clone(), s.scan())
            })
            .collect();
        for (t, want) in texts.iter().zip(&fresh) {
            let d = doc(t);
            let s = Scanner::new(&d, &models().2);
            assert_eq!(
                (s.starts.clone(), s.toks.idx.clone(), s.scan()),
                *want,
                "{t}"
            );
        }
        // the scratch went back to the thread for the next scanner
        let (idx, starts) = SCRATCH.with(|c| c.take());
        assert!(idx.capacity() > 0 && starts.capacity() > 0);
        assert!(fresh[0].2.len() > 10);
    }

    #[test]
    fn unit_ahead_is_a_unit_later_in_the_sentence() {
        let extra = "Years. For 3 of them, 5 or 6 in all. Two more. 7 and 9 weeks; \
            the 2 days, 4 then. Nothing here at all 10 11 12. Hours";
        for text in [TEXT, NUMBERS, extra] {
            let d = doc(text);
            let n = d.tokens.len();
            // the reference: a walk to the end of the sentence
            let reference =
                |s: &Scanner, i: usize| (i + 1..n).any(|k| s.same(i, k) && s.is(k, Class::Unit));
            // queries in order, in reverse, and jumping back and forth
            // (the cache kept between them)
            let orders: [Vec<usize>; 3] = [
                (0..n).collect(),
                (0..n).rev().collect(),
                (0..n).map(|k| (k * 7919) % n).collect(),
            ];
            let mut units = 0;
            for order in orders {
                let s = Scanner::new(&d, &models().2);
                for i in order {
                    let want = reference(&s, i);
                    units += want as usize;
                    assert_eq!(s.unit_ahead(i), want, "token {i} '{}' of {text}", s.w(i));
                }
            }
            assert!(units > 0);
        }
    }

    #[test]
    fn scan_skips_only_tokens_where_nothing_starts() {
        let extra = "The the '90s ' 80s ’70s the early 1990s, the late spring, the \
            the year the same day. ' The";
        let that = "He said that day that that week, that Friday and that \
            Mondays that morning that same year were that. That is that; that \
            hour, that evening, that night, that summer, that 1998 and that \
            May, that the, That Week. That";
        let numbers = "Two people met one another; the first time, three of them and \
            twenty-first May, the third-quarter profit, first quarter, two to three \
            weeks, one and a half years, Nineteen ninety-six, the twentieth century, \
            second half 1990, five-year terms, twelve days ago, fourth of July, \
            eleven men, seven more weeks, eight? Nine. First: ten, first/second \
            four 1/2 hours, twenty-four hours, eighth September, the third \
            day, six months later, twice a year, many people, several years, \
            first nine months, many more weeks, few days, first time, several \
            - year terms, many";
        let (mut anaphoric, mut skipped) = (0, 0);
        let (mut number_words, mut words_skipped) = (0, 0);
        let mut after_the = 0;
        for text in [TEXT, extra, that, numbers, NUMBERS] {
            let d = doc(text);
            let s = Scanner::new(&d, &models().2);
            for i in 0..d.tokens.len() {
                let f = s.toks[i].flags;
                if f & START == 0 || (f & WITH_NEXT != 0 && !s.next_may_parse(i)) {
                    assert_eq!(s.parse_at(i), None, "token {i} '{}'", s.w(i));
                    after_the += (f & WITH_NEXT != 0) as usize;
                }
                if f & ANAPHORIC != 0 {
                    anaphoric += 1;
                    if !s.anaphoric_may_follow(i) {
                        skipped += 1;
                        assert_eq!(s.parse_at(i), None, "token {i} '{}'", s.w(i));
                    }
                }
                if f & NUMBER_WORD != 0 {
                    number_words += 1;
                    if !s.number_word_may_go_on(i) {
                        words_skipped += 1;
                        assert_eq!(s.parse_at(i), None, "token {i} '{}'", s.w(i));
                    }
                }
            }
            assert_eq!(s.scan(), scan_all(&s), "{text}");
        }
        assert!(after_the > 0);
        // "that" with and without a unit, weekday or part of the day after it
        assert!(skipped > 0 && anaphoric > skipped, "{anaphoric} {skipped}");
        // number words going on to something and not
        assert!(
            words_skipped > 3 && number_words > words_skipped + 10,
            "{number_words} {words_skipped}"
        );
    }

    #[test]
    fn phrases_at_tokens_are_the_longest_of_each_class() {
        let (lex, _, tl) = models();
        let d = doc(TEXT);
        let s = Scanner::new(&d, tl);
        // the word list read afresh, every phrase tried at every token
        let rows = lex
            .rows("time_words", &["phrase", "class", "value"])
            .expect("time_words");
        let phrases: Vec<(Vec<String>, Class, String)> = rows
            .into_iter()
            .map(|(_, f)| {
                let words = crate::document::tokenize(&f[0])
                    .iter()
                    .map(|t| f[0][t.span.start..t.span.end].to_lowercase())
                    .collect();
                (words, Class::parse(&f[1]).expect("class"), f[2].clone())
            })
            .collect();
        let mut seen = 0;
        for i in 0..d.tokens.len() {
            let mut want: Vec<(Class, usize, &str)> = Vec::new();
            for (words, class, value) in &phrases {
                let len = words.len();
                let ok = i + len <= d.tokens.len()
                    && (0..len).all(|k| {
                        d.tokens[i + k].sentence == d.tokens[i].sentence
                            && d.lower(i + k) == words[k]
                    });
                if !ok {
                    continue;
                }
                match want.iter_mut().find(|x| x.0 == *class) {
                    Some(x) if x.1 >= len => {}
                    Some(x) => *x = (*class, len, value),
                    None => want.push((*class, len, value)),
                }
            }
            let mut got = s.matches(i).to_vec();
            let key = |x: &(Class, usize, &str)| x.0 as u32;
            got.sort_by_key(key);
            want.sort_by_key(key);
            seen += want.len();
            assert_eq!(got, want, "token {i} '{}'", s.w(i));
            let mask = want.iter().fold(0, |m, x| m | x.0.bit());
            assert_eq!(s.mask(i), mask, "token {i} '{}'", s.w(i));
        }
        assert!(seen > 50, "{seen}");
    }

    #[test]
    fn word_index_finds_its_words_only() {
        let tl = &models().2;
        let words: Vec<&str> = tl.words.words().collect();
        assert!(words.len() > 100);
        for w in &words {
            let e = tl.words.get(w).expect("listed word");
            assert!(std::ptr::eq(e, tl.words.get(w).unwrap()));
        }
        for w in [
            "",
            "government",
            "Monday",
            "thee",
            "mondayss",
            "1998",
            "minister",
        ] {
            assert!(tl.words.get(w).is_none(), "{w}");
        }
        assert!(tl.words.get("monday").is_some());
        assert!(tl.words.get("the").is_some_and(|e| e.bits & bits::THE != 0));
    }

    #[test]
    fn token_flags_agree_with_the_table() {
        let tl = &models().2;
        let d = doc(&format!(
            "{TEXT} {NUMBERS} We'll ' ’ won't; it'd been called."
        ));
        let s = Scanner::new(&d, tl);
        let (mut tensed, mut apostrophes) = (0, 0);
        for i in 0..=d.tokens.len() + 1 {
            assert_eq!(s.has_tense_word(i), s.tense_word(i).is_some(), "token {i}");
            assert_eq!(s.apostrophe(i), s.named(i, bits::APOSTROPHE), "token {i}");
            tensed += s.has_tense_word(i) as usize;
            apostrophes += s.apostrophe(i) as usize;
        }
        assert!(tensed > 10 && apostrophes > 3, "{tensed} {apostrophes}");
    }

    /// The flags of token `i` computed in full, from its entry, its phrases
    /// and its kind (the reference for the table's [`WordEntry::tok_flags`]).
    fn full_flags(s: &Scanner, i: usize) -> u16 {
        let t = s.toks[i];
        match t.entry {
            None if s.doc.lowered.has_digit(i) && s.doc.tokens[i].kind == TokenKind::Number => {
                DIGIT | START | NUMBER
            }
            None if s.doc.lowered.has_digit(i) => DIGIT | START,
            None => 0,
            Some(e) => Scanner::word_base_flags(e) | Scanner::start_flags(&t, s.doc.tokens[i].kind),
        }
    }

    #[test]
    fn token_flags_are_those_computed_in_full() {
        let tl = &models().2;
        let words: Vec<&str> = tl.words.words().collect();
        let all = words.join(" ");
        let capitalized: Vec<String> = words
            .iter()
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
            })
            .collect();
        let caps = capitalized.join(" , ");
        for text in [
            TEXT,
            NUMBERS,
            &all,
            &caps,
            "a year 5 the 1990s the past year",
        ] {
            let d = doc(text);
            let s = Scanner::new(&d, tl);
            let mut starts = Vec::new();
            for i in 0..d.tokens.len() {
                assert_eq!(
                    s.toks[i].flags,
                    full_flags(&s, i),
                    "token {i} '{}' of {text:?}",
                    s.w(i)
                );
                assert_eq!(
                    s.toks[i].entry.map(|e| e as *const _),
                    tl.words.get(d.lower(i)).map(|e| e as *const _)
                );
                if s.toks[i].flags & START != 0 {
                    starts.push(i);
                }
            }
            assert_eq!(s.starts, starts);
        }
    }

    #[test]
    fn numbers_skipped_parse_to_nothing() {
        let extra = "5 percent, $3 million, 1,200 troops, 3.5 points, 12 of 30, 7 or 8 \
            days, 2 - 3 years, 4/5, 1998 and 20 in the morning; 6 p.m. 44 's 9 May.";
        for text in [TEXT, NUMBERS, extra] {
            let d = doc(text);
            let s = Scanner::new(&d, &models().2);
            let mut skipped = 0;
            for i in 0..d.tokens.len() {
                if s.toks[i].flags & NUMBER != 0 && !s.number_may_parse(i) {
                    skipped += 1;
                    assert_eq!(s.parse_at(i), None, "token {i} '{}'", s.w(i));
                    assert_eq!(core_all(&s, i, false), None, "token {i} '{}'", s.w(i));
                }
            }
            assert!(skipped > 0, "{text}");
            assert_eq!(s.scan(), scan_all(&s), "{text}");
        }
    }

    #[test]
    fn articles_start_only_quantities() {
        let d = doc(
            "A trip took a year, an hour and a half, a hundred days or a few \
            weeks; a - year, a or two years, an end. A man came a week ago. A",
        );
        let s = Scanner::new(&d, &models().2);
        let (mut kept, mut dropped) = (0, 0);
        for i in 0..d.tokens.len() {
            if s.toks[i].flags & ARTICLE == 0 {
                continue;
            }
            assert!(s.starts.contains(&i));
            if !s.bare_article(i) {
                kept += 1;
            } else {
                dropped += 1;
                assert_eq!(core_all(&s, i, false), None, "token {i}");
                assert_eq!(s.parse_at(i), None, "token {i}");
            }
        }
        assert!(kept >= 5 && dropped >= 3, "{kept} {dropped}");
        assert_eq!(s.scan(), scan_all(&s));
    }

    #[test]
    fn the_word_filter_drops_no_listed_word() {
        let tl = &models().2;
        let d = doc(&format!("{TEXT} {NUMBERS}"));
        let mut words: Vec<String> = tl.words.words().map(str::to_string).collect();
        words.extend((0..d.tokens.len()).map(|i| d.lower(i).to_string()));
        words.extend((0..20000).map(|k| format!("w{k}")));
        let mut filtered = 0;
        for w in &words {
            let slow = tl.words.get_unfiltered(w);
            assert_eq!(
                tl.words.get(w).map(|e| e as *const _),
                slow.map(|e| e as *const _),
                "{w}"
            );
            let (fw, fm) = super::super::lexicon::filter_bit(crate::lexicon::word_hash(w));
            filtered += (tl.words.filter_word(fw) & fm == 0) as usize;
        }
        // most words in no list stop at the filter
        assert!(filtered > 15000, "{filtered}");
    }

    #[test]
    fn numbers_parse_as_before() {
        for w in [
            "0",
            "7",
            "007",
            "1,000",
            "1,000,000",
            "3.5",
            "12.25",
            "2,5",
            ",",
            "",
            "1e3",
            "123456789012345",
            "1234567890123456",
            "99999999999999999999",
            "1.2.3",
            "1,5.5",
        ] {
            assert_eq!(parse_number(w), slow_parse_number(w), "{w}");
        }
    }

    #[test]
    fn token_tenses_agree_with_the_word_tenses() {
        let tl = &models().2;
        let d = doc(&format!(
            "{TEXT} They Had WALKED, were Expected and will be signed; a planned, the \
             Approved deal had called off what she Said."
        ));
        let s = Scanner::new(&d, tl);
        for sent in &d.sentences {
            let (a, b) = sent.tokens;
            for i in a..b {
                let prev = if i > a { d.lower(i - 1) } else { "" };
                let prev_tense = if i > a {
                    s.tense_word(i - 1)
                } else {
                    tl.tense_empty
                };
                assert_eq!(
                    tl.tense_of_token(|| d.token_text(i), d.lower(i), s.tense_word(i), prev_tense),
                    tl.tense_of_lowered(d.token_text(i), d.lower(i), prev),
                    "token {i} '{}'",
                    d.token_text(i)
                );
            }
        }
    }

    #[test]
    fn joined_words_have_the_tense_of_the_whole_word() {
        use super::super::lexicon::Tense;
        let tl = &models().2;
        let mut some = 0;
        for (a, b) in [
            ("won", "t"),
            ("", "ll"),
            ("", "d"),
            ("we", "ll"),
            ("clinton", "s"),
            ("", "s"),
            ("it", "s"),
            ("", ""),
        ] {
            let joined = format!("{a}'{b}");
            for prev in ["", "the", "a", "will", "had", "minister"] {
                let det = tl.tense_words.get(prev) == Some(&Tense::Det);
                let fast = tl.tense_joined(a, b).filter(|_| !det);
                some += fast.is_some() as usize;
                assert_eq!(
                    fast.unwrap_or(Tense::None),
                    tl.tense_of(&joined, prev),
                    "{joined} after '{prev}'"
                );
            }
        }
        assert!(some > 0);
    }

    /// Lower-case text lower-cases to itself, so "won" + "'" + "t" made of
    /// lower-cased tokens is looked up as it is.
    #[test]
    fn lower_case_is_its_own_lower_case() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let l: String = c.to_lowercase().collect();
            assert_eq!(l.to_lowercase(), l, "{c:?}");
            // and it has the ASCII digits of the text (Scanner::new reads them there)
            assert_eq!(
                l.bytes().any(|b| b.is_ascii_digit()),
                c.is_ascii_digit(),
                "{c:?}"
            );
        }
    }

    #[test]
    fn digits_are_found_in_words_of_any_length() {
        let text = "ab1 x9 a0b :/ 1990s G20 é٣x ÿ .,;/:@ ABCDEFGH ABCDEFG7 3rd abcdefghi9 \
            0 9 / : \u{7f}\u{80}\u{ff} twenty-one \u{2f}\u{3a}\u{30}\u{39}";
        let b = text.as_bytes();
        let mut seen = [0; 2];
        for start in 0..b.len() {
            for end in start..=(start + 12).min(b.len()) {
                let want = b[start..end].iter().any(|c| c.is_ascii_digit());
                seen[want as usize] += 1;
                assert_eq!(has_digit(b, start, end), want, "{:?}", &b[start..end]);
            }
        }
        assert!(seen[0] > 100 && seen[1] > 100);
        // every byte value at every place, with any other bytes around it
        for fill in [0u8, b'a', b'5', 0x80, 0xff] {
            for v in 0..=255u8 {
                for pos in 0..8 {
                    let mut buf = [fill; 16];
                    buf[pos] = v;
                    for end in pos + 1..=8 {
                        let want = buf[..end].iter().any(|c| c.is_ascii_digit());
                        assert_eq!(has_digit(&buf, 0, end), want, "{buf:?} ..{end}");
                    }
                }
            }
        }
    }
}
