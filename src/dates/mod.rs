//! The dates stage: time expressions (TIMEX3) normalized against the
//! document date, the way TempEval-3 scores them.
//!
//! * [`scan`] walks the tokens once and finds expressions with the word lists
//!   of `gazetteer/lexicon/time_*.tsv`, `months.tsv` and `weekdays.tsv`;
//! * [`normalize`] turns each into a TIMEX3 value, anchoring relative
//!   expressions on [`Document::date`] (HeidelTime's news mode): an
//!   underspecified month or weekday takes its direction from the tense of
//!   its clause (the nearest tense cue in the sentence); without a document
//!   date such values keep X placeholders ("XXXX-11").

mod lexicon;
mod normalize;
mod scan;

use crate::document::{Document, Span};
use crate::lexicon::{DataError, Lexicon};
use lexicon::{Tense, TimeLex};
use serde::Serialize;

/// TIMEX3 types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum TimexType {
    DATE,
    TIME,
    DURATION,
    SET,
}

/// One time expression.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Timex {
    pub span: Span,
    pub text: String,
    #[serde(rename = "type")]
    pub kind: TimexType,
    /// TIMEX3 value: "2023-06-19", "2022-11", "P5Y", "PRESENT_REF", "XXXX-WXX-1" …
    pub value: String,
    /// TIMEX3 mod: APPROX, START, END, MID, LESS_THAN …
    #[serde(rename = "mod", skip_serializing_if = "Option::is_none")]
    pub modifier: Option<String>,
    /// True when the value was computed from the document date (relative
    /// expressions such as "Monday", "last year").
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub anchored: bool,
}

impl Timex {
    /// A time expression with no modifier, not anchored on the document date.
    pub fn new(
        span: Span,
        text: impl Into<String>,
        kind: TimexType,
        value: impl Into<String>,
    ) -> Timex {
        Timex {
            span,
            text: text.into(),
            kind,
            value: value.into(),
            modifier: None,
            anchored: false,
        }
    }

    /// The most specific calendar date of a DATE (or TIME) expression:
    /// "2023-06-19", "2022-11", "2023". None for durations, sets,
    /// PRESENT_REF and the like, weeks, quarters and values with X
    /// placeholders.
    pub fn calendar_date(&self) -> Option<String> {
        if !matches!(self.kind, TimexType::DATE | TimexType::TIME) {
            return None;
        }
        let v = self.value.split('T').next().unwrap_or("");
        let parts: Vec<&str> = v.split('-').collect();
        let ok_len = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        match parts.as_slice() {
            [y] if ok_len(y, 4) => Some(y.to_string()),
            [y, m] if ok_len(y, 4) && ok_len(m, 2) => Some(format!("{y}-{m}")),
            [y, m, d] if ok_len(y, 4) && ok_len(m, 2) && ok_len(d, 2) => {
                Some(format!("{y}-{m}-{d}"))
            }
            _ => None,
        }
    }

    /// The calendar date as a day, when the value names one.
    pub fn day(&self) -> Option<chrono::NaiveDate> {
        let d = self.calendar_date()?;
        chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()
    }
}

/// The time expression covering byte offset `pos` (timexes sorted by span,
/// as [`DateModel::tag`] returns them).
pub fn timex_at(timexes: &[Timex], pos: usize) -> Option<&Timex> {
    let i = timexes.partition_point(|t| t.span.start <= pos);
    (i > 0)
        .then(|| &timexes[i - 1])
        .filter(|t| pos < t.span.end)
}

/// The time expressions lying inside `span` (timexes sorted by span).
pub fn timexes_in(timexes: &[Timex], span: Span) -> &[Timex] {
    let a = timexes.partition_point(|t| t.span.start < span.start);
    let b = timexes.partition_point(|t| t.span.start < span.end);
    let b = b.max(a);
    let mut e = b;
    while e > a && timexes[e - 1].span.end > span.end {
        e -= 1;
    }
    &timexes[a..e]
}

impl Timex {
    /// The calendar date of a DATE or TIME expression, if its value is one:
    /// "YYYY", "YYYY-MM" or "YYYY-MM-DD" (a TIME's date part, which must be
    /// a full day: "1998-02-22TAF" → "1998-02-22"). A week is its month
    /// when it lies in one ("1987-W16" → "1987-04"), else its year; a season,
    /// quarter or half is its year ("1987-SU", "1987-Q2" → "1987").
    pub fn calendar(&self) -> Option<String> {
        if !matches!(self.kind, TimexType::DATE | TimexType::TIME) {
            return None;
        }
        let head = self.value.split('T').next().unwrap_or("");
        if self.kind == TimexType::DATE {
            if let Some(v) = coarse_calendar(head) {
                return Some(v);
            }
        }
        let b = head.as_bytes();
        let digits = |r: std::ops::Range<usize>| {
            r.clone()
                .all(|i| b.get(i).is_some_and(|c| c.is_ascii_digit()))
        };
        let ok = match b.len() {
            4 => digits(0..4),
            7 => digits(0..4) && b[4] == b'-' && digits(5..7),
            10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
            _ => false,
        };
        if !ok || (self.kind == TimexType::TIME && b.len() != 10) {
            return None;
        }
        Some(head.to_string())
    }
}

/// The month or year of a week, season, quarter or half-year value.
fn coarse_calendar(v: &str) -> Option<String> {
    use chrono::{Datelike, NaiveDate, Weekday};
    let (year, rest) = v.split_once('-')?;
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = year.parse().ok()?;
    if let Some(w) = rest.strip_prefix('W') {
        let w: u32 = w.parse().ok()?;
        let monday = NaiveDate::from_isoywd_opt(y, w, Weekday::Mon)?;
        let sunday = NaiveDate::from_isoywd_opt(y, w, Weekday::Sun)?;
        return Some(if monday.month() == sunday.month() {
            format!("{:04}-{:02}", monday.year(), monday.month())
        } else if monday.year() == sunday.year() {
            format!("{:04}", monday.year())
        } else {
            return None;
        });
    }
    matches!(
        rest,
        "SP" | "SU" | "FA" | "WI" | "Q1" | "Q2" | "Q3" | "Q4" | "H1" | "H2"
    )
    .then(|| year.to_string())
}

/// Number of body sentences at the top of a story (its lead) that report
/// "there and then".
pub const LEAD_SENTENCES: usize = 3;

/// Index of the first sentence outside a heading.
pub fn first_body_sentence(doc: &Document) -> usize {
    doc.sentences
        .iter()
        .position(|s| !doc.paragraphs[s.paragraph].heading)
        .unwrap_or(0)
}

/// The day a news story reports ("YYYY-MM-DD"): the latest full calendar day
/// named in its lead that is not after the document date ("X, who met Y on
/// Monday, said today" reports today), else the document date. A Friday paper's story of Wednesday's visit reports Wednesday; what
/// the text gives no time for is taken to be on that day.
pub fn story_day(doc: &Document, timexes: &[Timex]) -> Option<String> {
    let doc_date = doc.date.map(|d| d.format("%Y-%m-%d").to_string());
    let first_body = first_body_sentence(doc);
    let lead_end = first_body + LEAD_SENTENCES;
    let mut latest: Option<String> = None;
    for x in timexes {
        let k = doc.token_at_or_after(x.span.start);
        let Some(tok) = doc.tokens.get(k) else { break };
        if tok.sentence >= lead_end {
            break;
        }
        if tok.sentence < first_body
            || doc.paragraphs[doc.sentences[tok.sentence].paragraph].heading
        {
            continue;
        }
        if let Some(v) = x.calendar().filter(|v| v.len() == 10) {
            if doc_date.as_deref().is_none_or(|d| v.as_str() <= d)
                && latest.as_ref().is_none_or(|l| v > *l)
            {
                latest = Some(v);
            }
        }
    }
    latest.or(doc_date)
}

/// Compiled word lists for the tagger.
#[derive(Debug, Clone)]
pub struct DateModel {
    lex: TimeLex,
}

impl DateModel {
    pub fn new(lex: &Lexicon) -> Result<DateModel, DataError> {
        Ok(DateModel {
            lex: TimeLex::new(lex)?,
        })
    }

    /// Tag and normalize every time expression in `doc`, in text order.
    pub fn tag(&self, doc: &Document) -> Vec<Timex> {
        let scanner = scan::Scanner::new(doc, &self.lex);
        let cands = scanner.scan();
        let mut ctx = normalize::Context {
            dct: doc.date,
            ..Default::default()
        };
        let mut out = Vec::with_capacity(cands.len());
        for c in cands {
            if c.start >= c.end || c.end > doc.tokens.len() {
                continue;
            }
            let sentence = doc.tokens[c.start].sentence;
            // (an expression whose value no tense changes needs none)
            let tense = if normalize::reads_tense(&c.sem) {
                self.tense_around(doc, &scanner, c.start, c.end)
            } else {
                Tense::None
            };
            let (kind, value) = normalize::normalize(&c, tense, &mut ctx, sentence);
            let span = Span::new(
                doc.tokens[c.start].span.start,
                doc.tokens[c.end - 1].span.end,
            );
            let anchored = doc.date.is_some() && is_relative(&c.sem);
            out.push(Timex {
                span,
                text: doc.slice(span).to_string(),
                kind,
                value,
                modifier: c.modifier,
                anchored,
            });
        }
        out
    }

    /// The tense cue nearest to tokens `[start, end)` within their sentence
    /// (a tie goes to the left).
    #[inline(never)]
    fn tense_around(
        &self,
        doc: &Document,
        scanner: &scan::Scanner,
        start: usize,
        end: usize,
    ) -> Tense {
        let s = doc.tokens[start].sentence;
        let Some(sent) = doc.sentences.get(s) else {
            return Tense::None;
        };
        let (a, b) = sent.tokens;
        let cue = |i: usize| self.cue(doc, scanner, (a, b), i);
        // the verb governing a time adverbial mostly precedes it: a cue to
        // the right counts at one and a half times its distance
        let mut best: Option<(usize, Tense)> = None;
        // an infinitive between the expression and a past verb ("agreed to
        // hold talks in June"): the verb's past is no direction
        let mut infinitive = false;
        for (d, i) in (a..start).rev().enumerate() {
            if best.is_some_and(|(c, _)| c <= d + 1) {
                break;
            }
            if i + 1 < start
                && scanner.tense_word(i) == Some(Tense::Inf)
                && self.verb_may_follow(doc, scanner, i + 1)
            {
                infinitive = true;
            }
            let t = cue(i);
            if t != Tense::None {
                let t = if infinitive && t == Tense::Past {
                    Tense::None
                } else {
                    t
                };
                best = Some((d + 1, t));
                break;
            }
        }
        for (d, i) in (end..b).enumerate() {
            let cost = (d + 1) * 3 / 2 + 1;
            if best.is_some_and(|(c, _)| c <= cost) {
                break;
            }
            let t = cue(i);
            if t != Tense::None {
                best = Some((cost, t));
                break;
            }
        }
        best.map(|(_, t)| t).unwrap_or(Tense::None)
    }

    /// Token `j` may be the verb of an infinitive: a lower-case word the
    /// tense table gives no determiner's role ("to hold", not "to the").
    fn verb_may_follow(&self, doc: &Document, scanner: &scan::Scanner, j: usize) -> bool {
        let t = &doc.tokens[j];
        t.kind == crate::document::TokenKind::Word
            && doc.token_text(j) == doc.lower(j)
            && doc.lower(j).bytes().all(|c| c.is_ascii_lowercase())
            && scanner.tense_word(j) != Some(Tense::Det)
    }

    /// The tense cue of token `i` of the sentence of tokens `[a, b)`
    /// ([`DateModel::cue_full`]). Most tokens give none, and the test of
    /// the commonest of them is short: a word the table gives no tense,
    /// which no suffix rule may read and with no apostrophe on either side
    /// (no contraction), is no cue.
    #[inline(always)]
    fn cue(
        &self,
        doc: &Document,
        scanner: &scan::Scanner,
        sent: (usize, usize),
        i: usize,
    ) -> Tense {
        if self.lex.tense_keys_lower
            && !scanner.has_tense_word(i)
            && !scanner.apostrophe(i + 1)
            && !i.checked_sub(1).is_some_and(|j| scanner.apostrophe(j))
            && !self.lex.may_take_suffix(doc.lower(i))
        {
            return Tense::None;
        }
        // nor is a word the table gives no tense of its own ("the", "is",
        // "his"), unless it starts a pair or a contraction
        if self.lex.tense_keys_lower
            && scanner.has_tense_word(i)
            && !matches!(scanner.tense_word(i), Some(Tense::Past | Tense::Future))
            && !scanner.tense_pair_first(i)
            && !scanner.apostrophe(i + 1)
            && !i.checked_sub(1).is_some_and(|j| scanner.apostrophe(j))
        {
            return Tense::None;
        }
        self.cue_full(doc, scanner, sent, i)
    }

    /// The tense cue of token `i` of the sentence of tokens `[a, b)`:
    /// contractions, the word table, the suffix rules.
    #[inline(never)]
    fn cue_full(
        &self,
        doc: &Document,
        scanner: &scan::Scanner,
        (a, b): (usize, usize),
        i: usize,
    ) -> Tense {
        let text = doc.text.as_bytes();
        // token `j` is an apostrophe
        let apostrophe = |j: usize| {
            let sp = doc.tokens[j].span;
            sp.end == sp.start + 1 && text[sp.start] == b'\''
        };
        let glued = |j: usize| doc.tokens[j].span.start == doc.tokens[j - 1].span.end;
        // contractions: won't, 'll (words the table lists whole: what
        // TimeLex::tense_of gives "won't" after the word before, and
        // "'ll" after no word)
        let prev_tense = if i > a {
            scanner.tense_word(i - 1)
        } else {
            self.lex.tense_empty
        };
        if i + 2 < b && apostrophe(i + 1) && glued(i + 1) && prev_tense != Some(Tense::Det) {
            let t = self.lex.tense_joined(doc.lower(i), doc.lower(i + 2));
            if let Some(t @ (Tense::Past | Tense::Future)) = t {
                return t;
            }
        }
        if i > a && apostrophe(i - 1) && glued(i) && self.lex.tense_empty != Some(Tense::Det) {
            let t = self.lex.tense_joined("", doc.lower(i));
            if let Some(t @ (Tense::Past | Tense::Future)) = t {
                return t;
            }
        }
        // word pairs: "next to" is no cue, "set to" one of the future
        let pair = if i + 1 < b && scanner.tense_pair_first(i) {
            self.lex.tense_pair(doc.lower(i), doc.lower(i + 1))
        } else {
            None
        };
        let t = pair.unwrap_or_else(|| {
            self.lex.tense_of_token(
                || doc.token_text(i),
                doc.lower(i),
                scanner.tense_word(i),
                prev_tense,
            )
        });
        match t {
            Tense::Aux | Tense::Det | Tense::Inf => Tense::None,
            // a plan in the past perfect is over: "it had been due to
            // expire Friday" (a past tense word, an auxiliary, the cue)
            Tense::Future
                if i >= a + 2
                    && prev_tense == Some(Tense::Aux)
                    && scanner.tense_word(i - 2) == Some(Tense::Past) =>
            {
                Tense::Past
            }
            t => t,
        }
    }
}

fn is_relative(sem: &scan::Sem) -> bool {
    use scan::{Sem, YearSpec};
    match sem {
        Sem::Fixed(..)
        | Sem::Set(_)
        | Sem::Duration { .. }
        | Sem::Year(_)
        | Sem::Decade(_)
        | Sem::Century(_) => false,
        Sem::Date { y, .. }
        | Sem::Season { y, .. }
        | Sem::Quarter { y, .. }
        | Sem::Half { y, .. }
        | Sem::Holiday { y, .. } => !matches!(y, YearSpec::Abs(_)),
        _ => true,
    }
}

#[cfg(test)]
mod tests;
