//! Arguments of a trigger: participants (subject, object, possessor,
//! agent), the place it is attached to and its time expression.

use super::triggers::{Pos, Role, Tables, TriggerDef, TriggerHit};
use crate::dates::Timex;
use crate::document::{Document, Span, TokenKind};
use crate::entities::{EntityLayer, How, Mention};
use crate::gazetteer::EntityKind;
use crate::statements::Statement;

/// How far left of a trigger its subject is looked for (tokens); a
/// subject shared by a list of verb phrases can stand far to the left.
const SUBJECT_WINDOW: usize = 40;

/// How far left of a noun trigger its possessor is looked for ("Kuchma's
/// four-day state visit").
const POSSESSOR_WINDOW: usize = 8;

/// Which phrases of one set start at each token of a window `[lo, hi)`,
/// found when first asked for: a leftward scan asks about the same tokens
/// again for each token it passes (`Ctx::phrase_ending_at`, the reference
/// kept for the tests, reads them afresh).
pub(super) struct PhraseEnds {
    lo: usize,
    /// Per token from `lo`: bit n set when a phrase of n tokens (n < 8)
    /// starts there (bit 0: `UNREAD`, not looked up yet; no phrase is empty).
    lens: [u8; SUBJECT_WINDOW],
    hi: usize,
}

impl PhraseEnds {
    const UNREAD: u8 = 1;

    pub(super) fn new(lo: usize, hi: usize) -> PhraseEnds {
        PhraseEnds {
            lo,
            lens: [Self::UNREAD; SUBJECT_WINDOW],
            hi: hi.min(lo + SUBJECT_WINDOW),
        }
    }

    /// The lengths of the phrases of `set` starting at token `j`.
    fn lens_at(&mut self, doc: &Document, set: &crate::lexicon::PhraseSet<()>, j: usize) -> u16 {
        let read = |j| {
            set.all_at(doc, j).fold(
                0u16,
                |m, (n, _)| if n < 8 { m | 1 << n } else { m | 1 << 8 },
            )
        };
        if j < self.lo || j >= self.hi {
            return read(j);
        }
        let slot = &mut self.lens[j - self.lo];
        if *slot == Self::UNREAD {
            let m = read(j);
            if m >> 8 != 0 {
                return m; // a phrase too long for the byte: read afresh each time
            }
            *slot = m as u8;
        }
        u16::from(*slot)
    }

    /// Does a phrase of `set` end at token `k` (start at most four tokens
    /// before it, at or after `floor`)? The same as
    /// `ctx.phrase_ending_at(set, k, floor).is_some()`.
    pub(super) fn ending_at(
        &mut self,
        doc: &Document,
        set: &crate::lexicon::PhraseSet<()>,
        k: usize,
        floor: usize,
    ) -> bool {
        let mut j = k.saturating_sub(4).max(floor);
        while j <= k {
            // n = k + 1 - j is at most 5: its bit is exact
            if self.lens_at(doc, set, j) & (1 << (k + 1 - j)) != 0 {
                return true;
            }
            j += 1;
        }
        false
    }
}

/// Token-indexed views of the layers an event reads.
pub struct Ctx<'a> {
    pub doc: &'a Document,
    pub ents: &'a EntityLayer,
    pub t: &'a Tables,
    pub timexes: &'a [Timex],
    /// For each token, the mention covering its start ([`NONE`]: none).
    tok_mention: Vec<u32>,
    /// For each token, the timex covering its start ([`NONE`]: none).
    tok_timex: Vec<u32>,
    /// Direct quotations with their speakers, sorted by start.
    quotes: Vec<(Span, Option<usize>)>,
    /// The place of the dateline city ("here" in the story).
    pub dateline_city: Option<usize>,
    /// End bytes of the speech cues of statements ("said"), sorted.
    said_ends: Vec<usize>,
}

/// The subject found to the left of a trigger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    None,
    /// "the two leaders", "both sides": the pair just mentioned.
    Plural,
    Entities(Vec<usize>),
}

/// One trigger with its arguments, before merging.
#[derive(Clone, Debug)]
pub struct Reading {
    pub subject: Subject,
    pub objects: Vec<usize>,
    /// A visit's destination or the object place ("visited the White House").
    pub destination: Option<usize>,
    /// Set when the noun trigger has a definite determiner and no arguments.
    pub anaphoric: bool,
}

/// How much farther a date right after a speech cue counts than its
/// distance (tokens × 2): any date the event's own words give comes first.
const SAID_PENALTY: usize = 64;

/// "No index" in the per-token tables of [`Ctx`] (four bytes a token,
/// where an `Option<usize>` takes sixteen).
const NONE: u32 = u32::MAX;

/// An index kept in a per-token table.
#[inline]
fn index(v: u32) -> Option<usize> {
    (v != NONE).then_some(v as usize)
}

/// For each of the first `n_tokens` tokens, the value of the last span
/// (start, end, value) covering its start; [`NONE`] where none does (and
/// for values too large to keep).
fn covering(
    n_tokens: usize,
    doc: &Document,
    spans: impl Iterator<Item = (usize, usize, usize)>,
) -> Vec<u32> {
    let mut out = vec![NONE; n_tokens];
    let toks = &doc.tokens[..n_tokens.min(doc.tokens.len())];
    let n_tokens = toks.len();
    // the first token starting at or after the span's start: walked forward
    // while the spans come in order, searched when one goes back
    let mut first = 0;
    for (start, end, v) in spans {
        if first > 0 && toks[first - 1].span.start >= start {
            first = toks.partition_point(|t| t.span.start < start);
        } else {
            // a few steps forward, then a search in strides that double
            let mut steps = 0;
            while first < n_tokens && toks[first].span.start < start {
                first += 1;
                steps += 1;
                if steps == 8 {
                    first = gallop(toks, first, start);
                    break;
                }
            }
        }
        let mut k = first;
        while k < n_tokens && toks[k].span.start < end {
            out[k] = u32::try_from(v).unwrap_or(NONE);
            k += 1;
        }
    }
    out
}

/// The first token at or after `from` that starts at or after `start`
/// (every token before `from` starts before it): strides of 8, 16, 32 …
/// tokens from `from` bracket it, a binary search inside the bracket finds
/// it. The same as `from + toks[from..].partition_point(|t| t.span.start <
/// start)`, reading the tokens near `from` rather than the middle of the rest.
fn gallop(toks: &[crate::document::Token], from: usize, start: usize) -> usize {
    let mut lo = from.min(toks.len());
    let mut stride = 8;
    loop {
        let probe = lo + stride;
        if probe >= toks.len() {
            return lo + toks[lo..].partition_point(|t| t.span.start < start);
        }
        if toks[probe].span.start < start {
            lo = probe + 1;
            stride *= 2;
        } else {
            return lo + toks[lo..probe].partition_point(|t| t.span.start < start);
        }
    }
}

impl<'a> Ctx<'a> {
    pub fn new(
        doc: &'a Document,
        ents: &'a EntityLayer,
        t: &'a Tables,
        timexes: &'a [Timex],
        statements: &[Statement],
    ) -> Ctx<'a> {
        let n = doc.tokens.len();
        let tok_mention = covering(
            n,
            doc,
            ents.mentions
                .iter()
                .enumerate()
                .map(|(i, m)| (m.span.start, m.span.end, i)),
        );
        let tok_timex = covering(
            n,
            doc,
            timexes
                .iter()
                .enumerate()
                .map(|(i, x)| (x.span.start, x.span.end, i)),
        );
        let mut quotes: Vec<(Span, Option<usize>)> = statements
            .iter()
            .filter(|s| s.direct)
            .map(|s| (s.span, s.speaker))
            .collect();
        quotes.sort_by_key(|q| q.0.start);
        let mut said_ends: Vec<usize> = statements
            .iter()
            .filter_map(|s| s.cue.map(|c| c.end))
            .collect();
        said_ends.sort_unstable();
        let dateline_city = doc
            .dateline
            .as_ref()
            .and_then(|d| d.city)
            .and_then(|c| ents.mention_at(c.start))
            .filter(|m| m.kind == EntityKind::Place && m.how != How::Adjective)
            .and_then(|m| m.entity);
        Ctx {
            dateline_city,
            said_ends,
            doc,
            ents,
            t,
            timexes,
            tok_mention,
            tok_timex,
            quotes,
        }
    }

    /// The direct quotation covering byte `pos`: `Some(speaker)` inside one.
    pub fn quote_at(&self, pos: usize) -> Option<Option<usize>> {
        let i = self.quotes.partition_point(|q| q.0.start <= pos);
        let q = self.quotes.get(i.checked_sub(1)?)?;
        (pos < q.0.end).then_some(q.1)
    }

    /// The lower-case text of token `k` (kept by the document stage).
    pub fn lower(&self, k: usize) -> &'a str {
        self.doc.lower(k)
    }

    /// Token range `[start, end)` of the sentence of token `k`.
    pub fn sentence_tokens(&self, k: usize) -> (usize, usize) {
        let s = self.doc.tokens[k].sentence;
        self.doc.sentences[s].tokens
    }

    /// The timex covering the start of token `k`.
    fn timex_at(&self, k: usize) -> Option<usize> {
        index(self.tok_timex[k])
    }

    pub fn mention(&self, k: usize) -> Option<(usize, &'a Mention)> {
        let mi = self.tok_mention.get(k).copied().and_then(index)?;
        Some((mi, &self.ents.mentions[mi]))
    }

    /// Token range of mention `mi`.
    fn mention_tokens(&self, m: &Mention) -> (usize, usize) {
        (
            self.doc.token_at_or_after(m.span.start),
            self.doc.token_at_or_after(m.span.end),
        )
    }

    /// Does a definite determiner stand right before token `t` ("the talks",
    /// not "the arms talks")?
    pub fn bare_definite(&self, t: usize) -> bool {
        let (s0, _) = self.sentence_tokens(t);
        t > s0 && self.t.definite.contains(self.lower(t - 1))
    }

    /// Is token `t` right after a determiner ("the", "a")?
    fn after_determiner(&self, t: usize) -> bool {
        let (s0, _) = self.sentence_tokens(t);
        t > s0 && {
            let w = self.lower(t - 1);
            w == "a" || w == "an" || self.t.definite.contains(w)
        }
    }

    /// Does a verb trigger ("met", "received", "held talks with") end right
    /// before token `t`, within the sentence starting at `s0`?
    /// Capitalised words (a title, a country adjective: "met Chinese
    /// President Xi") may stand between.
    fn verb_trigger_ends_at(&self, t: usize, s0: usize) -> bool {
        let capitalised = |k: usize| self.capitalised_word(k);
        (t.saturating_sub(6).max(s0)..t).any(|j| {
            self.t.triggers.all_at(self.doc, j).any(|(n, &d)| {
                let end = j + n;
                end <= t && (end..t).all(capitalised) && self.t.defs[d].pos == Pos::Verb
            })
        })
    }

    /// First token of a mention with the title before it ("Vice President
    /// Biden" starts at "Vice"); `a` is the mention's own first token.
    fn title_start(&self, m: &Mention, a: usize) -> usize {
        match m.title {
            Some(t) if t.start < m.span.start => self.doc.token_at_or_after(t.start).min(a),
            _ => a,
        }
    }

    fn is_prep(&self, k: usize) -> bool {
        self.t.preps.contains(self.lower(k))
    }

    /// Does a preposition (possibly followed by a determiner) stand right
    /// before token `a`?
    fn after_prep(&self, a: usize, s0: usize) -> bool {
        let mut k = a;
        let mut steps = 0;
        while k > s0 && steps < 2 {
            k -= 1;
            steps += 1;
            if self.is_prep(k) {
                return true;
            }
            if !self.t.definite.contains(self.lower(k)) {
                return false;
            }
        }
        false
    }

    /// Does a leader phrase ("led by", "headed by") end right before token `a`?
    fn after_led_by(&self, a: usize, s0: usize) -> bool {
        (1..=3).any(|n| a >= s0 + n && self.t.led_by.all_at(self.doc, a - n).any(|(m, _)| m == n))
    }

    /// Where a host received the guest named after the trigger ending at
    /// `t1`: a place right after a guest-place preposition ("welcomed X to
    /// Riyadh", "to the White House"), before any comma.
    pub fn guest_place(&self, t1: usize) -> Option<usize> {
        let (_, s1) = self.sentence_tokens(t1.saturating_sub(1));
        let hi = self.reach_right(t1, 6, s1);
        let mut k = t1;
        while k < hi {
            if self.is_barrier(k) || self.doc.token_text(k) == "," {
                return None;
            }
            if self.t.guest_place.contains(self.lower(k)) {
                let mut j = k + 1;
                while j < s1 && self.t.definite.contains(self.lower(j)) {
                    j += 1;
                }
                let (_, m) = self.mention(j)?;
                let b = self.mention_tokens(m).1;
                let possessor = b < self.doc.tokens.len() && self.is_possessive(b);
                return self.place(m).filter(|_| !possessor);
            }
            k += 1;
        }
        None
    }

    /// People said to accompany the event's parties later in the sentence of
    /// the trigger ending at `t1` (", together with Foreign Minister X",
    /// "accompanied by X and Y").
    pub fn companions(&self, t1: usize) -> Vec<usize> {
        let (_, s1) = self.sentence_tokens(t1.saturating_sub(1));
        let hi = self.reach_right(t1, 16, s1);
        let mut k = t1;
        while k < hi {
            if self.is_barrier(k) {
                break;
            }
            if let Some((n, _)) = self.t.accompany.longest_at(self.doc, k) {
                let from = k + n;
                let next = (from..(from + 5).min(s1)).find_map(|j| self.mention(j));
                if let Some((_, m)) = next {
                    let (a, b) = self.mention_tokens(m);
                    let near = self.title_start(m, a) <= from + 2;
                    if let Some(e) = self
                        .actor(m)
                        .filter(|_| m.kind == EntityKind::Person && near)
                    {
                        let mut out = vec![e];
                        self.coordinated_right(b, s1, &mut out);
                        return out;
                    }
                }
                return Vec::new();
            }
            k += 1;
        }
        Vec::new()
    }

    /// Is the mention starting at token `a` the later member of a list
    /// governed by a preposition ("between France and the United States")?
    fn after_prep_list(&self, a: usize, s0: usize) -> bool {
        let mut a = a;
        for _ in 0..5 {
            let mut k = a;
            while k > s0 && self.t.definite.contains(self.lower(k - 1)) {
                k -= 1;
            }
            if k < s0 + 2 || !matches!(self.lower(k - 1), "and" | "&" | "," | "or") {
                return false;
            }
            let Some((_, m)) = self.mention(k - 2) else {
                return false;
            };
            let (ma, mb) = self.mention_tokens(m);
            if mb != k - 1 {
                return false;
            }
            // "In Tokyo, Lula held ...": a comma joins a list of one kind only
            let kind = self.mention(a).map(|(_, x)| x.kind);
            if self.lower(k - 1) == "," && kind.is_some_and(|kd| kd != m.kind) {
                return false;
            }
            if self.after_prep(ma, s0) {
                return true;
            }
            a = ma;
        }
        false
    }

    /// A preposition inside a capitalised name or title ("Secretary of State").
    fn inside_name(&self, k: usize) -> bool {
        let cap = |j: usize| {
            self.doc
                .token_text(j)
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase())
        };
        k > 0 && k + 1 < self.doc.tokens.len() && cap(k - 1) && cap(k + 1)
    }

    /// A preposition between a mention and the title it carries ("of" in
    /// "the foreign ministers of Russia and Turkey").
    fn inside_title(&self, k: usize) -> bool {
        k + 1 < self.doc.tokens.len()
            && self.mention(k + 1).is_some_and(|(_, m)| {
                m.span.start == self.doc.tokens[k + 1].span.start
                    && m.title.is_some_and(|t| {
                        t.end <= self.doc.tokens[k].span.start
                            && self.doc.token_at_or_after(t.end) == k
                    })
            })
    }

    fn is_barrier(&self, k: usize) -> bool {
        let s = self.doc.token_text(k);
        matches!(s, ";" | ":" | "\"" | "“" | "”" | "(" | ")" | "?" | "!") || s == "``" || s == "''"
    }

    fn is_possessive(&self, k: usize) -> bool {
        matches!(self.doc.token_text(k), "'s" | "’s" | "'" | "’")
            || (self.doc.token_text(k) == "'" || self.doc.token_text(k) == "’")
                && k + 1 < self.doc.tokens.len()
                && self.doc.token_text(k + 1) == "s"
    }

    /// The entity of a mention that can take part in an event: a person or
    /// organization, or a country named as such (not an adjective, not after
    /// a preposition, not a possessor).
    pub fn actor(&self, m: &Mention) -> Option<usize> {
        let e = m.entity?;
        match m.kind {
            EntityKind::Person | EntityKind::Organization => {
                (m.how != How::Adjective || m.kind == EntityKind::Person).then_some(e)
            }
            EntityKind::Place => {
                if m.how == How::Adjective {
                    return None;
                }
                let ent = &self.ents.entities[e];
                if ent
                    .attrs
                    .get("type")
                    .map(|t| t == "country")
                    .unwrap_or(false)
                {
                    let (a, b) = self.mention_tokens(m);
                    let after_prep = self.after_prep(a, 0);
                    let possessor = b < self.doc.tokens.len() && self.is_possessive(b);
                    (!after_prep && !possessor).then_some(e)
                } else {
                    None
                }
            }
        }
    }

    /// Does mention `m` (a country or an organization ending at token `b`)
    /// only name the office of the person after it ("U.S. Secretary of State
    /// Kerry", "U.N. Secretary-General Ban"): that person's title starts
    /// right where it ends.
    fn modifies_title(&self, m: &Mention, b: usize) -> bool {
        if m.kind == EntityKind::Person {
            return false;
        }
        let Some(tok) = self.doc.tokens.get(b) else {
            return false;
        };
        let start = tok.span.start;
        let i = self.ents.mentions.partition_point(|x| x.span.start < start);
        let Some(n) = self.ents.mentions.get(i) else {
            return false;
        };
        if n.kind != EntityKind::Person {
            return false;
        }
        if n.title.is_some_and(|t| t.start == start) {
            return true;
        }
        // a title the gazetteer does not know: capitalised words only
        // ("U.S. First Lady Hillary Clinton")
        let a = self.doc.token_at_or_after(n.span.start);
        a > b && a - b <= 4 && (b..a).all(|k| self.capitalised_word(k))
    }

    /// Is token `k` a word that starts with a capital letter?
    fn capitalised_word(&self, k: usize) -> bool {
        self.doc.tokens[k].kind == TokenKind::Word
            && self
                .doc
                .token_text(k)
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase())
    }

    /// The entity of a mention in object position right after one of the
    /// trigger's own prepositions `prep` (or its determiner): a country counts
    /// there ("talks between India and Pakistan"), unlike after other
    /// prepositions.
    fn object_actor(&self, m: &Mention, a: usize, b: usize, prep: Option<usize>) -> Option<usize> {
        if self.modifies_title(m, b) {
            return None;
        }
        let own_prep = prep
            .is_some_and(|p| p < a && (p + 1..a).all(|j| self.t.definite.contains(self.lower(j))));
        self.actor(m).or_else(|| {
            let e = m.entity?;
            let country = m.kind == EntityKind::Place
                && m.how != How::Adjective
                && m.how != How::Pronoun
                && self.ents.entities[e]
                    .attrs
                    .get("type")
                    .is_some_and(|t| t == "country");
            let possessor = b < self.doc.tokens.len() && self.is_possessive(b);
            (own_prep && country && !possessor).then_some(e)
        })
    }

    /// A place mention usable as an event's place.
    pub fn place(&self, m: &Mention) -> Option<usize> {
        (m.kind == EntityKind::Place && m.how != How::Adjective && m.how != How::Pronoun)
            .then_some(m.entity?)
    }

    /// An organization mention whose seat is a venue (a ministry, an
    /// international organization, "the Kremlin").
    pub fn venue(&self, m: &Mention) -> Option<usize> {
        let e = m.entity?;
        let ent = &self.ents.entities[e];
        (m.kind == EntityKind::Organization
            && m.how != How::Adjective
            && m.how != How::Pronoun
            && ent
                .attrs
                .get("type")
                .is_some_and(|t| self.t.venue_types.contains(t)))
        .then_some(e)
    }

    /// How specific a place is: countries least, then regions, cities, and
    /// named sites most.
    pub fn specificity(&self, e: usize) -> u8 {
        match self.ents.entities[e].attrs.get("type").map(|s| s.as_str()) {
            Some("country") => 0,
            Some("region") | Some("state") | Some("province") | Some("continent")
            | Some("territory") => 1,
            Some("city") | Some("capital") => 2,
            _ => 3,
        }
    }

    /// A phrase of `set` ending at token `k` (inclusive), within the sentence.
    #[cfg(test)]
    pub(super) fn phrase_ending_at(
        &self,
        set: &crate::lexicon::PhraseSet<()>,
        k: usize,
        lo: usize,
    ) -> Option<usize> {
        let from = k.saturating_sub(4).max(lo);
        (from..=k).find(|&j| set.all_at(self.doc, j).any(|(n, _)| j + n == k + 1))
    }

    /// Is there a light word or status cue in tokens `[a, b)`?
    fn light_between(&self, a: usize, b: usize) -> bool {
        (a..b).any(|k| {
            self.t.light.all_at(self.doc, k).next().is_some()
                || self.t.status.all_at(self.doc, k).next().is_some()
                // "X travelled to Paris for talks with Y": the traveller
                || self.t.triggers.all_at(self.doc, k).any(|(_, &d)| {
                    let def = &self.t.defs[d];
                    def.kind == super::EventKind::Visit && def.pos == Pos::Verb
                })
        })
    }

    /// The subject of the trigger at `t0`: the nearest actor to its left in
    /// the sentence, with the actors coordinated with it ("Biden and Xi"), or
    /// a plural phrase ("the two leaders"). With `need_light`, a light verb
    /// or status cue must stand between subject and trigger ("held talks").
    pub fn subject_left(&self, t0: usize, need_light: bool) -> Subject {
        let (s0, _) = self.sentence_tokens(t0);
        let lo = t0.saturating_sub(SUBJECT_WINDOW).max(s0);
        // the plural phrases starting at each token of the window, read once
        let mut plural = PhraseEnds::new(lo, t0);
        let mut k = t0;
        while k > lo {
            k -= 1;
            if self.is_barrier(k) {
                return Subject::None;
            }
            if k >= s0 + 2
                && self.doc.token_text(k - 1) == ","
                && self.t.relative.contains(self.lower(k))
            {
                // "X, who had talks with Y": the relative clause's subject
                if let Some((_, m)) = self.mention(k - 2) {
                    let (a, b) = self.mention_tokens(m);
                    if let Some(e) = self.actor(m).filter(|_| b == k - 1) {
                        if need_light && !self.light_between(k + 1, t0) {
                            return Subject::None;
                        }
                        let mut out = vec![e];
                        self.coordinated_left(a, s0, &mut out);
                        return Subject::Entities(out);
                    }
                }
            }
            if let Some((_, m)) = self.mention(k) {
                let (a, b) = self.mention_tokens(m);
                if let Some(e) = self.actor(m) {
                    let t = self.title_start(m, a);
                    let after_prep = (self.after_prep(t, s0) || self.after_prep_list(t, s0))
                        && !self.after_led_by(t, s0);
                    let possessor = b < self.doc.tokens.len() && self.is_possessive(b);
                    // "Blinken met Xi ..., the last stop of a trip": the
                    // object of an earlier verb is not this trigger's subject
                    let object = self.verb_trigger_ends_at(t, s0);
                    if !after_prep && !possessor && !object {
                        if need_light && !self.light_between(b, t0) {
                            return Subject::None;
                        }
                        let mut out = vec![e];
                        self.coordinated_left(a, s0, &mut out);
                        return Subject::Entities(out);
                    }
                }
                k = a.max(lo);
                continue;
            }
            if plural.ending_at(self.doc, &self.t.plural, k, s0) {
                if need_light && !self.light_between(k + 1, t0) {
                    return Subject::None;
                }
                return Subject::Plural;
            }
        }
        Subject::None
    }

    /// Actors coordinated to the left of the one starting at token `a`.
    fn coordinated_left(&self, mut a: usize, s0: usize, out: &mut Vec<usize>) {
        let mut saw_and = false;
        for _ in 0..5 {
            let mut k = a;
            let mut joined = false;
            let mut found = None;
            while k > s0 && a - k < 7 {
                k -= 1;
                if self.is_barrier(k) {
                    break;
                }
                let w = self.lower(k);
                if w == "and" || w == "&" {
                    joined = true;
                    saw_and = true;
                    continue;
                }
                if w == "," {
                    joined = saw_and;
                    if !saw_and {
                        break;
                    }
                    continue;
                }
                if let Some((_, m)) = self.mention(k) {
                    let (ma, mb) = self.mention_tokens(m);
                    let e = self.actor(m).or(if m.kind == EntityKind::Person {
                        m.entity
                    } else {
                        None
                    });
                    if let Some(e) = e.filter(|_| !self.modifies_title(m, mb)) {
                        if joined && m.kind != EntityKind::Place {
                            found = Some((e, ma));
                            break;
                        }
                    }
                    k = ma.max(s0);
                    continue;
                }
                if self.doc.tokens[k].kind == TokenKind::Word && self.is_verbish(k) {
                    break;
                }
            }
            match found {
                Some((e, ma)) => {
                    if !out.contains(&e) {
                        out.push(e);
                    }
                    a = ma;
                }
                None => return,
            }
        }
    }

    /// A word that ends a noun phrase list (a trigger, a status cue or a light word).
    fn is_verbish(&self, k: usize) -> bool {
        self.t.triggers.all_at(self.doc, k).next().is_some()
            || self.t.light.all_at(self.doc, k).next().is_some()
    }

    /// Actors coordinated to the right of the one ending at token `b`.
    fn coordinated_right(&self, mut b: usize, s1: usize, out: &mut Vec<usize>) {
        // a list of countries goes on with countries ("between India and Pakistan")
        let countries = out
            .first()
            .is_some_and(|&e| self.ents.entities[e].kind == EntityKind::Place);
        for _ in 0..5 {
            let mut k = b;
            let mut joined = false;
            let mut found = None;
            while k < s1 && k - b < 7 {
                if self.is_barrier(k) {
                    break;
                }
                let w = self.lower(k);
                if w == "and" || w == "," || w == "&" {
                    joined = true;
                    k += 1;
                    continue;
                }
                if let Some((_, m)) = self.mention(k) {
                    let (_, mb) = self.mention_tokens(m);
                    let list_goes_on = self.lower(k.saturating_sub(1)) != ","
                        || (mb < s1 && matches!(self.lower(mb), "," | "and" | "&"));
                    if joined && (countries || m.kind != EntityKind::Place) && list_goes_on {
                        if let Some(e) = self.actor(m).filter(|_| !self.modifies_title(m, mb)) {
                            found = Some((e, mb));
                            break;
                        }
                    }
                    k = mb.max(k + 1);
                    continue;
                }
                if !joined || self.is_verbish(k) || self.is_prep(k) {
                    break;
                }
                k += 1;
            }
            match found {
                Some((e, mb)) => {
                    if !out.contains(&e) {
                        out.push(e);
                    }
                    b = mb;
                }
                None => return,
            }
        }
    }

    /// The object to the right of the trigger ending at token `t1`: actors
    /// (for participant/guest/host roles) or a place (for the place role).
    /// Objects after a preposition need one of `preps`; direct objects need
    /// `direct`.
    pub fn object_right(
        &self,
        t1: usize,
        role: Role,
        direct: bool,
        preps: &[String],
    ) -> (Vec<usize>, Option<usize>) {
        let (_, s1) = self.sentence_tokens(t1.saturating_sub(1));
        let hi = (t1 + 14).min(s1);
        let mut k = t1;
        let mut prep_at: Option<usize> = None;
        let mut other_prep = false;
        while k < hi {
            if self.is_barrier(k) || self.doc.token_text(k) == "," {
                break;
            }
            let w = self.lower(k);
            if preps.iter().any(|p| p == w) {
                prep_at = Some(k);
                other_prep = false;
                k += 1;
                continue;
            }
            // "received a delegation led by X": the group's leader
            if role != Role::Place {
                if let Some((n, _)) = self.t.led_by.longest_at(self.doc, k) {
                    prep_at = Some(k + n - 1);
                    other_prep = false;
                    k += n;
                    continue;
                }
            }
            // "arrived here": the dateline city
            if role == Role::Place
                && self.t.here.contains(w)
                && !other_prep
                && (k == t1 || prep_at == Some(k - 1))
            {
                if let Some(c) = self.dateline_city {
                    return (Vec::new(), Some(c));
                }
            }
            if let Some((_, m)) = self.mention(k) {
                let (a, b) = self.mention_tokens(m);
                let allowed = match prep_at {
                    Some(p) => a.checked_sub(p).is_some_and(|d| d <= 6) && !other_prep,
                    None => direct && !other_prep,
                };
                let determiner = m.how == How::Pronoun && self.is_determiner(a);
                if allowed && !determiner {
                    if role == Role::Place {
                        let possessor = b < self.doc.tokens.len() && self.is_possessive(b);
                        let from = prep_at.map(|p| p + 1).unwrap_or(t1);
                        // a short noun phrase may stand before the name
                        // ("the Arab country of Tunisia", "gas giant Gazprom")
                        let close = a.checked_sub(from).is_some_and(|d| d <= 5)
                            && (from..a).all(|j| {
                                self.mention(j).is_some()
                                    || !self.is_prep(j)
                                    || self.lower(j) == "of"
                            });
                        // an organization visited directly ("visit Gazprom")
                        let org = (prep_at.is_none()
                            && m.kind == EntityKind::Organization
                            && m.how != How::Adjective
                            && m.how != How::Pronoun)
                            .then_some(m.entity)
                            .flatten();
                        if let Some(e) = self.place(m).or(org).filter(|_| !possessor && close) {
                            return (Vec::new(), Some(e));
                        }
                    } else if let Some(e) = self.object_actor(m, a, b, prep_at) {
                        let mut out = vec![e];
                        self.coordinated_right(b, s1, &mut out);
                        return (out, None);
                    }
                }
                k = b.max(k + 1);
                continue;
            }
            let place_of = role == Role::Place && self.lower(k) == "of" && k > t1;
            let governs = !self.inside_name(k) && !self.inside_title(k);
            if self.is_prep(k) && governs && !place_of {
                other_prep = true;
            } else if self.t.triggers.all_at(self.doc, k).next().is_some()
                && !self.participle_modifier(k)
            {
                break;
            }
            k += 1;
        }
        (Vec::new(), None)
    }

    /// A present participle used as an adjective before a name or title
    /// ("met visiting Hungarian Prime Minister Orban"): not a new trigger.
    fn participle_modifier(&self, k: usize) -> bool {
        let n = k + 1;
        self.lower(k).ends_with("ing")
            && n < self.doc.tokens.len()
            && self.doc.tokens[n].sentence == self.doc.tokens[k].sentence
            && self.doc.tokens[n].kind == TokenKind::Word
            && self
                .doc
                .token_text(n)
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase())
    }

    /// Possessor or noun-modifier agent of a noun trigger starting at `t0`
    /// ("Kuchma's state visit", "her meeting", "the Blinken visit").
    fn possessor(&self, t0: usize) -> Option<usize> {
        let (s0, _) = self.sentence_tokens(t0);
        let lo = t0.saturating_sub(POSSESSOR_WINDOW).max(s0);
        let mut k = t0;
        while k > lo {
            k -= 1;
            if let Some((_, m)) = self.mention(k) {
                let (a, b) = self.mention_tokens(m);
                let adjacent = b == t0 || (b < t0 && self.is_possessive(b));
                if adjacent || m.how == How::Pronoun {
                    if m.how == How::Pronoun && !self.is_possessive_pronoun(a) {
                        return None;
                    }
                    return self
                        .actor(m)
                        .filter(|_| m.kind != EntityKind::Place || adjacent);
                }
                return None;
            }
            let tok = &self.doc.tokens[k];
            if self.t.first_person.contains(self.lower(k)) {
                // "my first meeting with him", inside a quotation: its speaker
                return self.quote_at(tok.span.start).flatten();
            }
            if self.is_possessive(k)
                || self.doc.token_text(k) == "-"
                || tok.kind == TokenKind::Number
            {
                continue;
            }
            if tok.kind != TokenKind::Word
                || self.is_prep(k)
                || self.t.definite.contains(self.lower(k))
            {
                return None;
            }
            let w = self.lower(k);
            if w == "a" || w == "an" {
                return None;
            }
        }
        None
    }

    /// Does a plural possessive ("their") stand before the noun trigger at
    /// `t0`, with at most two modifiers between ("their first talks",
    /// "their 90-minute meeting")?
    fn plural_possessive_before(&self, t0: usize) -> bool {
        let (s0, _) = self.sentence_tokens(t0);
        let mut k = t0;
        for _ in 0..4 {
            if k <= s0 {
                return false;
            }
            k -= 1;
            if self.t.plural_possessive.contains(self.lower(k)) {
                return true;
            }
            let tok = &self.doc.tokens[k];
            let modifier = tok.kind == TokenKind::Number
                || self.doc.token_text(k) == "-"
                || tok.kind == TokenKind::Word
                    && self
                        .doc
                        .token_text(k)
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_lowercase())
                    && !self.is_prep(k)
                    && self.mention(k).is_none();
            if !modifier {
                return false;
            }
        }
        false
    }

    /// A possessive pronoun used as a determiner: "his", "their", and "her"
    /// when a noun follows ("her counterpart", not "met her and others").
    fn is_determiner(&self, k: usize) -> bool {
        if !self.is_possessive_pronoun(k) {
            return false;
        }
        if self.lower(k) != "her" {
            return true;
        }
        let n = k + 1;
        n < self.doc.tokens.len()
            && self.doc.tokens[n].sentence == self.doc.tokens[k].sentence
            && self.doc.tokens[n].kind == TokenKind::Word
            && !self.is_prep(n)
            && !self.t.relative.contains(self.lower(n))
            && !matches!(self.lower(n), "and" | "or" | "but" | "as")
            && self.timex_at(n).is_none()
    }

    fn is_possessive_pronoun(&self, k: usize) -> bool {
        matches!(self.lower(k), "his" | "her" | "their" | "its")
    }

    /// Is the noun trigger at `t0` introduced by a definite determiner
    /// ("the talks", "the 90-minute meeting")?
    pub fn definite_before(&self, t0: usize) -> bool {
        let (s0, _) = self.sentence_tokens(t0);
        let lo = t0.saturating_sub(5).max(s0);
        let mut k = t0;
        while k > lo {
            k -= 1;
            let w = self.lower(k);
            if self.t.definite.contains(w) {
                return true;
            }
            if let Some((_, m)) = self.mention(k) {
                // a place modifying the noun: "the Geneva talks"
                if m.kind == EntityKind::Place && self.actor(m).is_none() {
                    continue;
                }
                return false;
            }
            if self.is_prep(k) || w == "a" || w == "an" || self.is_barrier(k) || w == "," {
                return false;
            }
        }
        false
    }

    /// Read the arguments of a trigger.
    pub fn read(&self, h: &TriggerHit) -> Option<Reading> {
        let def: &TriggerDef = &self.t.defs[h.def];
        let obj_role = def.object;
        let (objects, mut destination) = if obj_role == Role::None {
            (Vec::new(), None)
        } else {
            let direct = def.direct_object && def.pos == Pos::Verb;
            self.object_right(h.end, obj_role, direct, &def.object_preps)
        };
        let mut objects = objects;
        let mut subject = Subject::None;
        match def.pos {
            // "the visiting diplomat": an adjective; its noun is the subject
            Pos::Verb if self.after_determiner(h.start) => {
                let (_, s1) = self.sentence_tokens(h.start);
                let m = (h.end..(h.end + 3).min(s1)).find_map(|k| self.mention(k));
                let e = m.and_then(|(_, m)| self.actor(m))?;
                subject = Subject::Entities(vec![e]);
            }
            Pos::Verb => {
                subject = self.subject_left(h.start, false);
            }
            Pos::Noun => {
                // agent after the noun ("visit by Blinken")
                if !def.agent_preps.is_empty() {
                    let (ag, _) =
                        self.object_right(h.end, Role::Participant, false, &def.agent_preps);
                    if !ag.is_empty() {
                        subject = Subject::Entities(ag);
                    }
                }
                if subject == Subject::None {
                    if let Some(e) = self.possessor(h.start) {
                        subject = Subject::Entities(vec![e]);
                    }
                }
                if subject == Subject::None && !self.definite_before(h.start) {
                    subject = self.subject_left(h.start, true);
                }
                // "Trump and Modi signed deals after their talks": the pair
                // the clause is about
                if subject == Subject::None && self.plural_possessive_before(h.start) {
                    if let Subject::Entities(v) = self.subject_left(h.start, false) {
                        if v.len() >= 2 {
                            subject = Subject::Entities(v);
                        }
                    }
                }
            }
        }
        // "talks between X and Y": both are participants, no subject
        if def.pos == Pos::Noun && objects.len() >= 2 && subject == Subject::None {
            subject = Subject::Entities(vec![objects.remove(0)]);
        }
        if def.kind == super::EventKind::Visit {
            // a visit's object is its destination; a person object is not one
            objects.clear();
        } else {
            destination = None;
        }
        let has_object = !objects.is_empty() || destination.is_some();
        let has_args = has_object || subject != Subject::None;
        let possessed = def.pos == Pos::Noun && matches!(subject, Subject::Entities(_));
        if def.needs_object && !has_object && !(possessed && def.kind == super::EventKind::Meeting)
        {
            return None;
        }
        let anaphoric = !has_args;
        Some(Reading {
            subject,
            objects,
            destination,
            anaphoric,
        })
    }

    /// The most specific place attached to the trigger in its sentence by a
    /// locative preposition ("in Bali", "at the G20 summit in New Delhi"),
    /// and whether a third-location cue ("on the sidelines of") is present.
    pub fn attached_place(&self, h: &TriggerHit) -> (Option<usize>, bool) {
        self.place_near(h.start, h.end)
    }

    /// [`Ctx::attached_place`] for the words in tokens `[start, end)`.
    pub fn place_near(&self, start: usize, end: usize) -> (Option<usize>, bool) {
        let h = TriggerHit { start, end, def: 0 };
        let (s0, s1) = self.sentence_tokens(h.start);
        let lo = h.start.saturating_sub(8).max(s0);
        let hi = (h.end + 16).min(s1);
        let mut best: Option<(u8, usize, usize)> = None; // (specificity, distance, entity)
        let mut third = false;
        let mut k = lo;
        while k < hi {
            if k >= h.start && k < h.end {
                k += 1;
                continue;
            }
            if self.t.third.all_at(self.doc, k).next().is_some() {
                third = true;
            }
            if k >= h.end && matches!(self.doc.token_text(k), ";" | ",") {
                break;
            }
            // "traveled to Manila, where he met ...": the relative clause's place
            if k < h.start
                && k >= s0 + 2
                && self.t.relative_place.contains(self.lower(k))
                && self.doc.token_text(k - 1) == ","
            {
                if let Some((_, m)) = self.mention(k - 2) {
                    let (_, b) = self.mention_tokens(m);
                    if let Some(e) = self.place(m).filter(|_| b == k - 1) {
                        let spec = self.specificity(e);
                        let dist = h.start - k;
                        if best.is_none_or(|(bs, bd, _)| spec > bs || (spec == bs && dist < bd)) {
                            best = Some((spec, dist, e));
                        }
                    }
                }
            }
            // "talks here": the dateline city
            if k >= h.end && k <= h.end + 2 && self.t.here.contains(self.lower(k)) {
                if let Some(c) = self.dateline_city {
                    let spec = self.specificity(c);
                    let dist = k - h.start;
                    if best.is_none_or(|(bs, bd, _)| spec > bs || (spec == bs && dist < bd)) {
                        best = Some((spec, dist, c));
                    }
                }
            }
            if let Some((n, _)) = self.t.place_preps.longest_at(self.doc, k) {
                let mut j = k + n;
                let end = (j + 8).min(s1);
                while j < end {
                    if let Some((_, m)) = self.mention(j) {
                        let (_, b) = self.mention_tokens(m);
                        // an organization whose seat is a venue, right after
                        // the preposition ("at the Kremlin"), counts below a city
                        let seat = (k + n..j)
                            .all(|x| self.t.definite.contains(self.lower(x)))
                            .then(|| self.venue(m))
                            .flatten();
                        if let Some(e) = self.place(m).or(seat) {
                            let possessor = b < self.doc.tokens.len() && self.is_possessive(b);
                            if !possessor {
                                let dist = j.abs_diff(h.start);
                                let spec = if seat == Some(e) {
                                    1
                                } else {
                                    self.specificity(e)
                                };
                                let better = match best {
                                    None => true,
                                    Some((bs, bd, _)) => spec > bs || (spec == bs && dist < bd),
                                };
                                if better {
                                    best = Some((spec, dist, e));
                                }
                                break;
                            }
                        }
                        j = b.max(j + 1);
                        continue;
                    }
                    let tok = &self.doc.tokens[j];
                    let w = self.doc.token_text(j);
                    let skippable = tok.kind == TokenKind::Number
                        || w == "-"
                        || (tok.kind == TokenKind::Word
                            && w.chars().next().is_some_and(|c| c.is_lowercase())
                            && !self.is_prep(j)
                            || w == "of");
                    if !skippable {
                        break;
                    }
                    j += 1;
                }
            }
            k += 1;
        }
        (best.map(|b| b.2), third)
    }

    /// The calendar date of the time expression nearest the trigger in its
    /// sentence (YYYY, YYYY-MM or YYYY-MM-DD; the date part of a TIME value).
    pub fn attached_date(&self, h: &TriggerHit) -> Option<(String, usize)> {
        self.date_near(h.start, h.end)
    }

    /// [`Ctx::attached_date`] for the words in tokens `[start, end)`.
    pub fn date_near(&self, start: usize, end: usize) -> Option<(String, usize)> {
        let h = TriggerHit { start, end, def: 0 };
        let (s0, s1) = self.sentence_tokens(h.start);
        let lo = h.start.saturating_sub(10).max(s0);
        let hi = self.reach_right(h.end, 12, s1);
        let mut best: Option<(usize, String, usize)> = None;
        let mut k = lo;
        while k < hi {
            if let Some(xi) = self.timex_at(k) {
                let x = &self.timexes[xi];
                if let Some(v) = x.calendar() {
                    let mut dist = if k < h.start {
                        (h.start - k) * 2 + 1
                    } else {
                        k.saturating_sub(h.end) * 2
                    };
                    // "said on Monday that X met Y ... on Sunday": the day
                    // of the saying only when no other is near
                    if k < h.start && self.after_said(k) {
                        dist += SAID_PENALTY;
                    }
                    if best.as_ref().map(|b| dist < b.0).unwrap_or(true) {
                        best = Some((dist, v, xi));
                    }
                }
                // skip the rest of this timex
                while k < hi && self.timex_at(k) == Some(xi) {
                    k += 1;
                }
                continue;
            }
            k += 1;
        }
        best.map(|b| (b.1, b.2))
    }

    /// The token `n` tokens to the right of `from` (at most `s1`), not
    /// counting the capitalised words of names and titles in between ("will
    /// meet Israeli Prime Minister Yitzhak Rabin and PLO leader Yasser Arafat
    /// at the White House next week"), nor more than `2n` tokens in all.
    pub fn reach_right(&self, from: usize, n: usize, s1: usize) -> usize {
        let cap = (from + 2 * n).min(s1);
        let mut k = from;
        let mut counted = 0;
        while k < cap && counted < n {
            let capitalised = self.doc.tokens[k].kind == TokenKind::Word
                && self
                    .doc
                    .token_text(k)
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase());
            if !capitalised {
                counted += 1;
            }
            k += 1;
        }
        k
    }

    /// Does the time expression at token `k` follow a statement's speech cue
    /// ("said on Monday", "said Monday")?
    fn after_said(&self, k: usize) -> bool {
        let start = self.doc.tokens[k].span.start;
        let i = self.said_ends.partition_point(|&e| e <= start);
        let Some(&end) = i.checked_sub(1).and_then(|i| self.said_ends.get(i)) else {
            return false;
        };
        let j = self.doc.token_at_or_after(end);
        j <= k && k - j <= 1 && (j..k).all(|x| self.is_prep(x))
    }

    /// The place a sentence opens with as its scene ("In Nairobi, the
    /// minister said ..."): a locative preposition, a place, then a comma.
    pub fn scene(&self, sentence: usize) -> Option<usize> {
        let (s0, s1) = self.doc.sentences.get(sentence)?.tokens;
        let (n, _) = self.t.place_preps.longest_at(self.doc, s0)?;
        let mut j = s0 + n;
        // determiners and a few lowercase modifiers: "At the ornate X,"
        let mut skipped = 0;
        while j < s1 && self.mention(j).is_none() && skipped < 4 {
            let w = self.doc.token_text(j);
            let lower_word = self.doc.tokens[j].kind == TokenKind::Word
                && w.chars().next().is_some_and(|c| c.is_lowercase())
                && !self.is_prep(j);
            if !lower_word {
                return None;
            }
            j += 1;
            skipped += 1;
        }
        let (_, m) = self.mention(j)?;
        let (a, mut b) = self.mention_tokens(m);
        // a time may follow before the comma: "In Geneva on Monday,"
        let mut extra = 0;
        while b < s1 && extra < 4 && self.doc.token_text(b) != "," {
            let timeish = self.timex_at(b).is_some() || self.is_prep(b);
            if !timeish && self.doc.tokens[b].kind == TokenKind::Word {
                let w = self.doc.token_text(b);
                if !w.chars().next().is_some_and(|c| c.is_lowercase()) {
                    return None;
                }
            } else if !timeish {
                return None;
            }
            b += 1;
            extra += 1;
        }
        (a == j && b < s1 && self.doc.token_text(b) == ",")
            .then(|| self.place(m))
            .flatten()
    }

    /// The ISO weekday of a timex that is a bare weekday ("Thursday",
    /// "Thursday night"), not a full date ("Thursday, May 4").
    pub fn bare_weekday(&self, xi: usize) -> Option<u32> {
        let text = self.timexes.get(xi)?.text.as_str();
        if text.bytes().any(|b| b.is_ascii_digit()) {
            return None;
        }
        let first = text.split([' ', ',']).next()?.to_lowercase();
        self.t.weekdays.get(&first).copied()
    }
}

#[cfg(test)]
mod covering_tests {
    use super::*;

    #[test]
    fn gallop_is_a_search_over_the_rest() {
        let model =
            crate::document::DocumentModel::new(&crate::lexicon::Lexicon::embedded().unwrap())
                .unwrap();
        let text = "Ann met Bob in Rome on May 3, and they spoke again later. ".repeat(12);
        let doc = model.parse("t", text, None);
        let toks = &doc.tokens;
        assert!(toks.len() > 100);
        for from in 0..toks.len() + 2 {
            let from_c = from.min(toks.len());
            let floor = toks
                .get(from_c.wrapping_sub(1))
                .map_or(0, |t| t.span.start + 1);
            for start in floor..doc.text.len() + 3 {
                let want = from_c + toks[from_c..].partition_point(|t| t.span.start < start);
                assert_eq!(gallop(toks, from, start), want, "from {from} start {start}");
            }
        }
    }

    #[test]
    fn covering_agrees_with_a_search_per_span() {
        let model =
            crate::document::DocumentModel::new(&crate::lexicon::Lexicon::embedded().unwrap())
                .unwrap();
        let doc = model.parse(
            "t",
            "Ann met Bob in Rome on May 3, and they spoke again later.".into(),
            None,
        );
        let n = doc.tokens.len();
        let len = doc.text.len();
        // in order, nested, overlapping, going back, empty, past the end
        let spans = [
            (0, 3, 0),
            (0, 11, 1),
            (8, 11, 2),
            (4, 20, 3),
            (2, 6, 4),
            (15, 15, 5),
            (30, len, 6),
            (0, 1, 7),
            (len, len + 5, 8),
        ];
        let naive = {
            let mut out = vec![NONE; n];
            for &(start, end, v) in &spans {
                let mut k = doc.token_at_or_after(start);
                while k < n && doc.tokens[k].span.start < end {
                    out[k] = v as u32;
                    k += 1;
                }
            }
            out
        };
        assert_eq!(covering(n, &doc, spans.iter().copied()), naive);
        assert!(naive.iter().any(|&x| x != NONE));
    }
}
