//! Datelines and bylines: "Beijing (AFP) June 19, 2023", "WASHINGTON
//! (Reuters) -", "KINSHASA, April 30 , 1997 (AFP)", "WASHINGTON, March 31 -",
//! "NAIROBI, Kenya (AP) _", a bare "June 19, 2023" line, "By Shaun TANDON".

use super::{DocumentModel, Span};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// A dateline at the head of the article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Dateline {
    /// The whole dateline, including trailing dashes.
    pub span: Span,
    /// The city ("Beijing", "KINSHASA").
    pub city: Option<Span>,
    /// A state or country after the city ("Kenya" in "NAIROBI, Kenya").
    pub region: Option<Span>,
    /// The agency credit inside parentheses ("AFP").
    pub agency: Option<Span>,
    /// The date part, when there is one.
    pub date_span: Option<Span>,
    /// Month and day as written.
    pub month_day: Option<(u32, u32)>,
    /// The year as written, if any.
    pub year: Option<i32>,
    /// The full date: written, or completed with the year of `--date`.
    pub date: Option<NaiveDate>,
}

/// How far into the text a dateline is looked for.
const SEARCH_LINES: usize = 8;
const SEARCH_BYTES: usize = 1200;

/// A small cursor over one line.
struct Cur<'a> {
    s: &'a str,
    base: usize,
    pos: usize,
}

impl<'a> Cur<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.pos..]
    }
    fn skip_spaces(&mut self) {
        // (ASCII bytes: a byte compare is a char compare)
        self.pos += self.s.as_bytes()[self.pos..]
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
    }
    fn eat(&mut self, p: &str) -> bool {
        if self.rest().starts_with(p) {
            self.pos += p.len();
            true
        } else {
            false
        }
    }
    /// A word of letters, '.', '\'' and '-' starting with an uppercase letter.
    fn cap_word(&mut self) -> Option<(usize, usize)> {
        let len = cap_word_len(self.rest())?;
        let start = self.pos;
        self.pos += len;
        Some((start, self.pos))
    }
    fn digits(&mut self, max: usize) -> Option<(u32, usize, usize)> {
        let r = self.rest();
        let len = r.bytes().take_while(|b| b.is_ascii_digit()).count();
        if len == 0 || len > max {
            return None;
        }
        let v = r[..len].parse().ok()?;
        let start = self.pos;
        self.pos += len;
        Some((v, start, self.pos))
    }
    fn span(&self, a: usize, b: usize) -> Span {
        Span::new(self.base + a, self.base + b)
    }
}

/// Capitalised words separated by single spaces, at most `max`, stopping
/// before a month name. Returns the span within the line.
/// The length of the word of letters, '.', '\'' and '-' that `r` starts
/// with, when it starts with an uppercase letter: ASCII bytes read as
/// bytes, the rest as [`cap_word_len_reference`] reads it.
#[inline]
fn cap_word_len(r: &str) -> Option<usize> {
    let b = r.as_bytes();
    match b.first() {
        Some(c) if c.is_ascii_uppercase() => {}
        Some(c) if c.is_ascii() => return None,
        _ => return cap_word_len_reference(r),
    }
    let n = b
        .iter()
        .take_while(|&&c| c.is_ascii_alphabetic() || matches!(c, b'.' | b'\'' | b'-'))
        .count();
    match b.get(n) {
        // a char of two or more bytes may be a letter: on char by char
        Some(&c) if c >= 0x80 => Some(n + cap_word_rest_len(&r[n..])),
        _ => Some(n),
    }
}

/// The length of the run of letters, '.', '\'' and '-' that `r` starts with.
fn cap_word_rest_len(r: &str) -> usize {
    r.char_indices()
        .find(|&(_, c)| !(c.is_alphabetic() || c == '.' || c == '\'' || c == '-'))
        .map(|(i, _)| i)
        .unwrap_or(r.len())
}

/// [`cap_word_len`] char by char, as first written.
fn cap_word_len_reference(r: &str) -> Option<usize> {
    let first = r.chars().next()?;
    if !first.is_uppercase() {
        return None;
    }
    Some(cap_word_rest_len(r))
}

fn cap_words(c: &mut Cur, model: &DocumentModel, max: usize) -> Option<(usize, usize)> {
    let start = c.pos;
    let mut end = None;
    for _ in 0..max {
        let save = c.pos;
        let Some((a, b)) = c.cap_word() else { break };
        if model.month(c.s[a..b].trim_end_matches('.')).is_some()
            || model.month(&c.s[a..b]).is_some()
        {
            c.pos = save;
            break;
        }
        end = Some(b);
        if !(c.rest().starts_with(' ') && c.rest()[1..].starts_with(|ch: char| ch.is_uppercase())) {
            break;
        }
        c.pos += 1;
    }
    match end {
        Some(e) => {
            c.pos = e;
            Some((start, e))
        }
        None => {
            c.pos = start;
            None
        }
    }
}

fn month_day_year(
    c: &mut Cur,
    model: &DocumentModel,
) -> Option<(u32, u32, Option<i32>, usize, usize)> {
    let save = c.pos;
    let start = c.pos;
    let rest = c.rest();
    let found = model
        .months_from(rest)
        .find(|(n, _)| {
            rest.starts_with(n.as_str())
                && !rest[n.len()..].starts_with(|ch: char| ch.is_alphabetic())
        })
        .map(|(n, m)| (n.len(), *m));
    let (len, month) = found?;
    c.pos += len;
    c.eat(".");
    c.skip_spaces();
    let Some((day, _, mut end)) = c.digits(2).filter(|d| (1..=31).contains(&d.0)) else {
        c.pos = save;
        return None;
    };
    let after_day = c.pos;
    c.skip_spaces();
    let mut year = None;
    if c.eat(",") {
        c.skip_spaces();
        if let Some((y, _, e)) = c.digits(4).filter(|d| d.2 - d.1 == 4) {
            year = Some(y as i32);
            end = e;
        } else {
            c.pos = after_day;
        }
    } else if let Some((y, _, e)) = c.digits(4).filter(|d| d.2 - d.1 == 4) {
        year = Some(y as i32);
        end = e;
    } else {
        c.pos = after_day;
    }
    if year.is_none() {
        c.pos = after_day;
    }
    Some((month, day, year, start, end))
}

fn agency(c: &mut Cur, model: &DocumentModel) -> Option<(usize, usize)> {
    let save = c.pos;
    c.skip_spaces();
    if !c.eat("(") {
        c.pos = save;
        return None;
    }
    let r = c.rest();
    let close = r.find(')').filter(|&i| i > 0 && i <= 30)?;
    let inner = &r[..close];
    let known = model.agencies.contains(inner)
        || inner
            .split(['-', '/', ' '])
            .any(|w| model.agencies.contains(w));
    let looks = inner.chars().next().is_some_and(|ch| ch.is_uppercase())
        && inner
            .chars()
            .all(|ch| ch.is_alphanumeric() || " -/.&".contains(ch));
    if !(known || looks) {
        c.pos = save;
        return None;
    }
    let a = c.pos;
    c.pos += close + 1;
    Some((a, a + close))
}

fn all_caps(s: &str) -> bool {
    s.chars().any(|c| c.is_alphabetic()) && !s.chars().any(|c| c.is_lowercase())
}

fn full_date(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Try to read a dateline at the start of `line` (which starts at `base`).
fn parse_line(
    model: &DocumentModel,
    line: &str,
    base: usize,
    given: Option<NaiveDate>,
) -> Option<Dateline> {
    let mut c = Cur {
        s: line,
        base,
        pos: 0,
    };
    c.skip_spaces();
    let lead = c.pos;
    // A bare date line: "June 19, 2023" (optionally after a weekday and comma).
    {
        let mut d = Cur {
            s: line,
            base,
            pos: lead,
        };
        if let Some((_, _)) = d.cap_word() {
            // weekday prefix such as "Monday, "
            if d.eat(",") {
                d.skip_spaces();
            } else {
                d.pos = lead;
            }
        }
        for start in [lead, d.pos] {
            let mut e = Cur {
                s: line,
                base,
                pos: start,
            };
            if let Some((m, day, Some(y), a, b)) = month_day_year(&mut e, model) {
                if e.rest().trim().is_empty() {
                    let date = full_date(y, m, day);
                    return Some(Dateline {
                        span: c.span(lead, line.trim_end().len()),
                        city: None,
                        region: None,
                        agency: None,
                        date_span: Some(c.span(a, b)),
                        month_day: Some((m, day)),
                        year: Some(y),
                        date,
                    });
                }
            }
        }
    }
    let (cs, ce) = cap_words(&mut c, model, 4)?;
    let city_text = &line[cs..ce];
    let mut region = None;
    let mut agency_span = None;
    let mut date_parts = None;
    let save = c.pos;
    if c.eat(",") {
        c.skip_spaces();
        match cap_words(&mut c, model, 3) {
            Some(r) => region = Some(r),
            None => c.pos = save,
        }
    }
    if let Some(a) = agency(&mut c, model) {
        agency_span = Some(a);
    }
    {
        let save = c.pos;
        c.eat(",");
        c.skip_spaces();
        match month_day_year(&mut c, model) {
            Some(p) => date_parts = Some(p),
            None => c.pos = save,
        }
    }
    if agency_span.is_none() {
        if let Some(a) = agency(&mut c, model) {
            agency_span = Some(a);
        }
    }
    // trailing dashes / underscores / colon
    let before_trail = c.pos;
    c.skip_spaces();
    let r = c.rest();
    let dash_len = r
        .char_indices()
        .find(|&(_, ch)| !matches!(ch, '-' | '_' | '—' | '–' | ':'))
        .map(|(i, _)| i)
        .unwrap_or(r.len());
    let has_dash = dash_len > 0;
    c.pos += dash_len;
    if !has_dash {
        c.pos = before_trail;
    }
    c.skip_spaces();
    let line_ends = c.rest().trim().is_empty();
    let caps = all_caps(city_text);
    let ok = if agency_span.is_some() {
        has_dash || line_ends || date_parts.is_some()
    } else if date_parts.is_some() {
        caps || has_dash
    } else {
        caps && has_dash
    };
    if !ok {
        return None;
    }
    // "By Shaun TANDON" is a byline, not a dateline.
    if city_text == "By" {
        return None;
    }
    let end = if has_dash || line_ends {
        c.pos.min(line.trim_end().len().max(before_trail))
    } else {
        before_trail
    };
    let (month_day, year, date_span) = match date_parts {
        Some((m, d, y, a, b)) => (Some((m, d)), y, Some(c.span(a, b))),
        None => (None, None, None),
    };
    let date = match (month_day, year) {
        (Some((m, d)), Some(y)) => full_date(y, m, d),
        (Some((m, d)), None) => given.and_then(|g| full_date(g.year(), m, d)),
        _ => None,
    };
    Some(Dateline {
        span: c.span(lead, end.max(ce)),
        city: Some(c.span(cs, ce)),
        region: region.map(|(a, b)| c.span(a, b)),
        agency: agency_span.map(|(a, b)| c.span(a, b)),
        date_span,
        month_day,
        year,
        date,
    })
}

/// Find the dateline among the first lines of `text`.
pub(crate) fn find(
    model: &DocumentModel,
    text: &str,
    given: Option<NaiveDate>,
) -> Option<Dateline> {
    // (the lines of `text.split_inclusive('\n')`, found sixteen bytes at a time)
    for (n, (base, le)) in super::segment::line_spans(text).enumerate() {
        if n >= SEARCH_LINES || base >= SEARCH_BYTES {
            break;
        }
        let line = &text[base..le];
        let body = line.trim_end_matches(['\n', '\r']);
        if !body.trim().is_empty() {
            if let Some(d) = parse_line(model, body, base, given) {
                return Some(d);
            }
        }
    }
    None
}

/// A byline "By NAME" alone on one of the first lines: the span of the name.
pub(crate) fn find_byline(text: &str) -> Option<Span> {
    for (n, (base, le)) in super::segment::line_spans(text).enumerate() {
        if n >= SEARCH_LINES || base >= SEARCH_BYTES {
            break;
        }
        // (a line that starts with an ASCII byte other than white space
        // or 'B' starts with it when trimmed: no "By " line)
        if text
            .as_bytes()
            .get(base)
            .is_some_and(|&b| b < 0x80 && b != b'B' && !b.is_ascii_whitespace() && b != 0x0b)
        {
            continue;
        }
        if let Some(s) = byline_in(text, base, le) {
            return Some(s);
        }
    }
    None
}

/// [`find_byline`] reading every line, as first written.
#[cfg(test)]
fn find_byline_reference(text: &str) -> Option<Span> {
    for (n, (base, le)) in super::segment::line_spans(text).enumerate() {
        if n >= SEARCH_LINES || base >= SEARCH_BYTES {
            break;
        }
        if let Some(s) = byline_in(text, base, le) {
            return Some(s);
        }
    }
    None
}

/// The name of a "By NAME" line `text[base..le]`.
fn byline_in(text: &str, base: usize, le: usize) -> Option<Span> {
    let line = &text[base..le];
    let body = line.trim_end_matches(['\n', '\r']);
    let lead = body.len() - body.trim_start().len();
    let t = body.trim();
    let rest = t.strip_prefix("By ").or_else(|| t.strip_prefix("BY "))?;
    let words: Vec<&str> = rest.split_whitespace().collect();
    let name_like = !words.is_empty()
        && words.len() <= 5
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(|c| c.is_uppercase()) || *w == "and");
    if name_like {
        let start = base + lead + 3;
        return Some(Span::new(start, base + lead + t.len()));
    }
    None
}

#[cfg(test)]
mod fast_path_tests {
    use super::*;

    /// Random lines of pieces that start, continue or end words, names
    /// and bylines.
    fn texts() -> Vec<String> {
        let pieces = [
            "By", "BY", "B", "by", " ", "\t", "\n", "\r\n", "\u{b}", "\u{c}", "\u{a0}", "\u{2003}",
            "Jane", "DOE", "and", "x", "É", "é", "Ünal", "ß", "'", "-", ".", ",", "(AP)", "3", "Σ",
            "日本", "\u{85}",
        ];
        let mut out = Vec::new();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for round in 0..40_000 {
            let mut t = String::new();
            for _ in 0..(round % 12) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                t.push_str(pieces[(x % pieces.len() as u64) as usize]);
            }
            out.push(t);
        }
        out
    }

    #[test]
    fn byline_skip_and_word_scans_agree_with_the_references() {
        for t in texts() {
            assert_eq!(find_byline(&t), find_byline_reference(&t), "{t:?}");
            for (k, _) in t.char_indices() {
                let r = &t[k..];
                assert_eq!(cap_word_len(r), cap_word_len_reference(r), "{r:?}");
                let mut c = Cur {
                    s: &t,
                    base: 0,
                    pos: k,
                };
                c.skip_spaces();
                let want = r.len() - r.trim_start_matches([' ', '\t']).len();
                assert_eq!(c.pos, k + want, "{r:?}");
            }
        }
    }
}
