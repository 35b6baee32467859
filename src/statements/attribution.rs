//! Attribution: for each quote, the speech cue that frames it, the speaker
//! (through the entity layer), the addressee and the date.
//!
//! Windows are read around each quote, inside its sentence and outside any
//! quote: the frame before the opening mark ("Wang told Blinken: …",
//! "said the two powers had …") and after the closing mark ("…,” Blinken
//! told reporters", "…,” said Murphy"). A quote that opens its sentence reads
//! the frame after it first, any other the frame before it first. The
//! speaker is the entity mention that is the cue's subject: right before it
//! (skipping adverbs, auxiliaries, dates and appositions between commas), or
//! right after it in the inverted order ("said Murphy", "according to
//! CCTV", "lauded by X"). A participle cue without a subject ("…, adding:",
//! "by saying") takes the subject of its clause, or the speaker of the
//! quote before it in the same sentence.
//!
//! Quotes with no cue of their own take their speaker from the quote they
//! continue: the earlier part of a multi-paragraph quotation, the next quote
//! in the same sentence ("A" and "B," he said), the previous quote of the
//! paragraph, or — for a paragraph that is only a quote — the last quote of
//! the previous paragraph (in an exchange, an answer to a question goes to
//! the speaker before the question). A quote whose speaker the text does
//! not give has none.
//!
//! Every window is bounded, so the work is linear in the text.

use super::quotes::Quote;
use super::{CueInfo, Statement, StatementModel, Words};
use crate::dates::Timex;
use crate::document::{Document, Span, TokenKind};
use crate::entities::{EntityLayer, How, Mention};
use crate::lexicon::FxMap as HashMap;

/// Tokens before a quote searched for its cue.
const BEFORE_REACH: usize = 25;
/// Tokens after a quote searched for its cue.
const AFTER_REACH: usize = 10;
/// Tokens after an inverted cue searched for the speaker.
const INVERTED_REACH: usize = 8;
/// Tokens before a participle cue searched for its clause subject.
const CLAUSE_REACH: usize = 60;
/// Paragraphs back a pronoun speaker may refer to the last speaker.
const PRONOUN_REACH: usize = 3;
/// Tokens between a cue and a date expression governing it.
const DATE_REACH: usize = 12;
/// Tokens of a speaker noun's phrase searched for its owner ("China's
/// foreign ministry spokesman").
const OWNER_REACH: usize = 6;

/// A speech cue found at token `tok`, `len` tokens long.
#[derive(Clone, Copy, Debug)]
pub struct Cue<'a> {
    pub tok: usize,
    pub len: usize,
    pub info: &'a CueInfo,
}

/// The gender `pronouns.tsv` gives the pronoun at `span`: looked up by the
/// lower-case text the document keeps when the span is one token, as it
/// mostly is, else lower-cased here.
pub(super) fn pronoun_gender(m: &StatementModel, doc: &Document, span: Span) -> Option<char> {
    let t = doc.token_at_or_after(span.start);
    let key = match doc.tokens.get(t) {
        Some(tok) if tok.span == span => std::borrow::Cow::Borrowed(doc.lower(t)),
        _ => std::borrow::Cow::Owned(doc.slice(span).to_lowercase()),
    };
    m.pronouns.get(key.as_ref()).copied()
}

/// Token ranges `[a, b)` sorted and merged where they overlap or touch
/// (empty ones dropped).
fn merged_runs(ranges: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut sorted: Vec<(usize, usize)> = ranges.iter().copied().filter(|r| r.0 < r.1).collect();
    sorted.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(sorted.len());
    for (a, b) in sorted {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// What [`Ctx`] keeps of one cue candidate.
struct CueMemo<'a> {
    cue: std::cell::OnceCell<Option<Cue<'a>>>,
    before: std::cell::OnceCell<Option<&'a Mention>>,
}

/// A resolved speaker: the entity and the mention that names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Speaker {
    pub entity: usize,
    pub span: Span,
}

/// Where a quote's speaker came from.
#[derive(Clone, Copy, Debug)]
struct Attr<'a> {
    cue: Option<Cue<'a>>,
    speaker: Option<Speaker>,
    /// Taken over from another quote (index).
    from: Option<usize>,
}

/// The shared view of one document for attribution.
pub struct Ctx<'a> {
    pub m: &'a StatementModel,
    pub doc: &'a Document,
    pub ents: &'a EntityLayer,
    pub timexes: &'a [Timex],
    pub quotes: &'a [Quote],
    /// Token → inside a quote (marks included).
    pub in_quote: Vec<bool>,
    /// Per quote: first token of the opening mark, one past its last token.
    qtok: Vec<(usize, usize)>,
    /// The token ranges where `in_quote` holds, merged, in order.
    quoted_runs: Vec<(usize, usize)>,
    /// Tokens outside quotes where a cue may start (the cue table's
    /// first-word filter passes), in order: the only tokens whole-document
    /// scans for cues need to look at.
    pub cue_candidates: Vec<usize>,
    /// Per cue candidate (same order): the cue read there ([`Ctx::cue_from`])
    /// and its subject before it within its sentence ([`Ctx::subject_before`]
    /// from the sentence start), each worked out when first asked for: both
    /// are asked for again and again.
    cue_memo: Vec<CueMemo<'a>>,
    /// Every speech cue outside quotes with a named subject, in order:
    /// (cue token, paragraph, speaker entity).
    trail: Vec<(usize, usize, usize)>,
    /// Genders learnt from the entity layer's pronoun links.
    genders: HashMap<usize, char>,
    /// The day the story reports: the date of a statement without its own.
    story_day: Option<String>,
}

impl<'a> Ctx<'a> {
    pub fn new(
        m: &'a StatementModel,
        doc: &'a Document,
        ents: &'a EntityLayer,
        timexes: &'a [Timex],
        quotes: &'a [Quote],
    ) -> Ctx<'a> {
        let mut in_quote = vec![false; doc.tokens.len()];
        let mut qtok = Vec::with_capacity(quotes.len());
        for q in quotes {
            let a = doc.token_at_or_after(q.open.start);
            let b = doc.token_at_or_after(q.outer().end).max(a);
            for f in &mut in_quote[a..b] {
                *f = true;
            }
            qtok.push((a, b));
        }
        let mut genders = HashMap::default();
        for mn in &ents.mentions {
            if let (How::Pronoun, Some(e)) = (mn.how, mn.entity) {
                if let Some(g) = pronoun_gender(m, doc, mn.span) {
                    if g == 'm' || g == 'f' {
                        genders.entry(e).or_insert(g);
                    }
                }
            }
        }
        let mut ctx = Ctx {
            m,
            doc,
            ents,
            timexes,
            quotes,
            in_quote,
            quoted_runs: merged_runs(&qtok),
            qtok,
            cue_candidates: Vec::new(),
            cue_memo: Vec::new(),
            trail: Vec::new(),
            genders,
            story_day: crate::dates::story_day(doc, timexes),
        };
        let mut cands = Vec::new();
        for t in m.cues.may_starts(doc) {
            if !ctx.in_quote[t] {
                cands.push(t);
            }
        }
        ctx.cue_memo = cands
            .iter()
            .map(|_| CueMemo {
                cue: std::cell::OnceCell::new(),
                before: std::cell::OnceCell::new(),
            })
            .collect();
        ctx.cue_candidates = cands;
        ctx.trail = ctx.build_trail();
        ctx
    }

    /// The speakers of all cues, in order (pronoun subjects resolved).
    fn build_trail(&self) -> Vec<(usize, usize, usize)> {
        let mut trail: Vec<(usize, usize, usize)> = Vec::new();
        // the first token not inside a cue already read
        let mut next = 0;
        for &t in &self.cue_candidates {
            if t < next {
                continue;
            }
            let Some(c) = self.cue_at(t) else {
                continue;
            };
            let sent = &self.doc.sentences[self.doc.tokens[t].sentence];
            if !self.doc.paragraphs[sent.paragraph].heading {
                let inverted = || {
                    if c.info.addressee || !self.may_open_inverted(t + c.len, sent.tokens.1) {
                        return None;
                    }
                    let m = self.subject_after(t + c.len, sent.tokens.1)?;
                    let e = self.doc.token_at_or_after(m.span.end);
                    let ends =
                        e >= sent.tokens.1 || matches!(self.doc.token_text(e), "," | "." | ":");
                    (!c.info.addressee && ends).then_some(m)
                };
                if let Some(m) = self.subject_before(t, sent.tokens.0).or_else(inverted) {
                    if let Some(sp) = self.resolve_with(m, t, &trail) {
                        trail.push((t, sent.paragraph, sp.entity));
                    }
                }
            }
            next = t + c.len;
        }
        trail
    }

    /// The entity a subject mention stands for. A pronoun subject of a
    /// speech verb ("he added") goes back to the last speaker within
    /// `PRONOUN_REACH` paragraphs when the gender agrees; else to the
    /// entity layer's antecedent.
    fn resolve_with(
        &self,
        m: &Mention,
        cue_tok: usize,
        trail: &[(usize, usize, usize)],
    ) -> Option<Speaker> {
        let entity = m.entity?;
        if m.how != How::Pronoun {
            return Some(Speaker {
                entity,
                span: m.span,
            });
        }
        let gender = pronoun_gender(self.m, self.doc, m.span);
        let para = self.doc.sentences[self.doc.tokens[cue_tok].sentence].paragraph;
        let i = trail.partition_point(|&(t, _, _)| t < cue_tok);
        let recent = trail[..i]
            .iter()
            .rev()
            .take_while(|&&(_, p, _)| p + PRONOUN_REACH >= para);
        let mut last = None;
        for &(_, _, e) in recent {
            if e == entity {
                // the entity layer's antecedent is a recent speaker: keep it
                return Some(Speaker {
                    entity,
                    span: m.span,
                });
            }
            last = last.or(Some(e));
        }
        if let Some(e) = last {
            let ent = &self.ents.entities[e];
            let agrees = match (gender, ent.gender.or(self.genders.get(&e).copied())) {
                (Some(g), Some(h)) => g == h || g == 'n',
                _ => true,
            };
            if ent.kind == crate::gazetteer::EntityKind::Person && agrees {
                return Some(Speaker {
                    entity: e,
                    span: m.span,
                });
            }
        }
        Some(Speaker {
            entity,
            span: m.span,
        })
    }

    /// A quick test before [`Ctx::subject_after`] for the trail: an
    /// inverted subject opens with a capital ("said Foreign Minister X"), a
    /// determiner ("said the minister") or a name or title; "said he
    /// would", "said talks had" open none.
    fn may_open_inverted(&self, t: usize, hi: usize) -> bool {
        t < hi
            && (self.starts_upper(t)
                || self.is(t, Words::DET)
                || self.mention_or_titled(t).is_some())
    }

    /// [`Ctx::resolve_with`] on the document's trail.
    pub fn resolve(&self, m: &Mention, cue_tok: usize) -> Option<Speaker> {
        self.resolve_with(m, cue_tok, &self.trail)
    }

    /// Lower-cased text of token `t` ("" past the end).
    pub fn w(&self, t: usize) -> &'a str {
        self.doc.lower(t)
    }

    fn starts_upper(&self, t: usize) -> bool {
        self.doc
            .token_text(t)
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase())
    }

    /// Token range of the sentence of token `t`.
    pub fn sentence_tokens(&self, t: usize) -> (usize, usize) {
        self.doc.sentences[self.doc.tokens[t].sentence].tokens
    }

    /// The cue starting at token `t`, if any: not inside a quote or a name
    /// ("United States"), not capitalised inside a sentence, and not a
    /// noun ("a warning").
    #[inline]
    pub fn cue_at(&self, t: usize) -> Option<Cue<'a>> {
        // most tokens start no cue: one bit test tells
        if self.in_quote[t] || !self.m.cues.may_start(self.doc, t) {
            return None;
        }
        match self.cue_candidates.binary_search(&t) {
            Ok(k) => *self.cue_memo[k].cue.get_or_init(|| self.cue_from(t)),
            Err(_) => self.cue_from(t),
        }
    }

    /// Is any token of `[lo, hi)` inside a quote? One search in the merged
    /// quote runs.
    pub fn any_quoted(&self, lo: usize, hi: usize) -> bool {
        let i = self.quoted_runs.partition_point(|r| r.1 <= lo);
        self.quoted_runs.get(i).is_some_and(|r| r.0 < hi && lo < hi)
    }

    /// [`Ctx::any_quoted`] token by token: the reference it is tested against.
    #[cfg(test)]
    pub fn any_quoted_reference(&self, lo: usize, hi: usize) -> bool {
        (lo..hi).any(|t| self.in_quote[t])
    }

    /// [`Ctx::cue_at`] without the memo: the reference it is tested against.
    #[cfg(test)]
    pub fn cue_at_reference(&self, t: usize) -> Option<Cue<'a>> {
        if self.in_quote[t] || !self.m.cues.may_start(self.doc, t) {
            return None;
        }
        self.cue_from(t)
    }

    /// [`Ctx::cue_at`] past its quick checks.
    fn cue_from(&self, t: usize) -> Option<Cue<'a>> {
        let (len, info) = self.m.cues.longest_at(self.doc, t)?;
        if self.mention(t).is_some() {
            return None;
        }
        // part of a compound ("so-called")
        if t > 0
            && self.doc.token_text(t - 1) == "-"
            && self.doc.tokens[t - 1].span.end == self.doc.tokens[t].span.start
        {
            return None;
        }
        let (slo, _) = self.sentence_tokens(t);
        let initial = t == slo
            || (t > 0 && self.in_quote[t - 1])
            || (t > 0 && self.doc.tokens[t - 1].kind == TokenKind::Punct);
        if self.starts_upper(t) && !initial {
            return None;
        }
        if info.participle && t > slo && self.is(t - 1, Words::DET) {
            return None;
        }
        Some(Cue { tok: t, len, info })
    }

    /// The mention covering token `t`.
    pub fn mention(&self, t: usize) -> Option<&'a Mention> {
        self.ents.mention_at(self.doc.tokens[t].span.start)
    }

    /// The mention covering token `t`, or the one whose title token `t`
    /// is part of ("Secretary" in "Secretary of State Jane Roe").
    pub fn mention_or_titled(&self, t: usize) -> Option<&'a Mention> {
        let pos = self.doc.tokens[t].span.start;
        self.ents.mention_at(pos).or_else(|| {
            let ms = &self.ents.mentions;
            let i = ms.partition_point(|m| m.span.start <= pos);
            ms.get(i)
                .filter(|m| m.title.is_some_and(|ti| ti.start <= pos && pos < ti.end))
        })
    }

    /// A mention that can be a speaker or addressee: tied to an entity, and
    /// a name, title or pronoun rather than a country adjective.
    pub fn eligible(&self, m: &Mention) -> bool {
        m.entity.is_some() && m.how != How::Adjective
    }

    /// The grammar-word roles of token `t` ([`Words`] bits).
    #[inline]
    pub fn roles(&self, t: usize) -> u16 {
        self.m.words.of(self.doc, t)
    }

    /// True when token `t` has any of the `roles`.
    #[inline]
    pub fn is(&self, t: usize, roles: u16) -> bool {
        self.roles(t) & roles != 0
    }

    pub fn in_timex_tok(&self, t: usize) -> bool {
        let s = self.doc.tokens[t].span.start;
        let i = self.timexes.partition_point(|x| x.span.start <= s);
        i > 0 && self.timexes[i - 1].span.end > s
    }

    /// A token that may stand between a subject and its cue.
    fn skippable(&self, t: usize, w: &str) -> bool {
        self.skippable_with(t, w, self.roles(t))
    }

    /// [`Ctx::skippable`] given the token's `roles`.
    #[inline]
    fn skippable_with(&self, t: usize, w: &str, roles: u16) -> bool {
        let tok = &self.doc.tokens[t];
        roles & (Words::SKIP | Words::CALENDAR) != 0
            || tok.kind == TokenKind::Number
            || self.in_timex_tok(t)
            || (w.len() > 4 && w.ends_with("ly") && !self.starts_upper(t))
    }

    /// The subject mention of a cue, read leftwards from token `cue` down
    /// to `lo`: "Blinken told", "Xi also said Monday", "Sun Yi, 26, said",
    /// "McConnell, who in 2010 said".
    pub fn subject_before(&self, cue: usize, lo: usize) -> Option<&'a Mention> {
        // the subject of a cue candidate from its sentence start is asked for
        // by the trail, the reported clauses and the quotes: read it once
        if let Ok(k) = self.cue_candidates.binary_search(&cue) {
            if lo == self.sentence_tokens(cue).0 {
                return *self.cue_memo[k]
                    .before
                    .get_or_init(|| self.subject_before_uncached(cue, lo));
            }
        }
        self.subject_before_uncached(cue, lo)
    }

    /// [`Ctx::subject_before`] read afresh.
    pub fn subject_before_uncached(&self, cue: usize, lo: usize) -> Option<&'a Mention> {
        let mut j = cue;
        let mut commas = 0;
        let mut appos: Option<&'a Mention> = None;
        let mut relative = false;
        while j > lo {
            let t = j - 1;
            if self.in_quote[t] {
                return appos;
            }
            if let Some(m) = self.mention(t) {
                if relative {
                    // "… with McConnell, …, who said": the antecedent
                    return Some(m).filter(|m| self.eligible(m)).or(appos);
                }
                // "The spokesman for the Council, Jane Roe, said": the
                // person in apposition, not the object of "for"
                if appos.is_some() && self.after_prep(m, lo) {
                    return appos;
                }
                return self.accept_subject(m, lo).or(appos);
            }
            let w = self.w(t);
            if w == "," {
                // an apposition or parenthetical: jump to the comma before it
                // ("The head of X, Jane Roe, said": Jane Roe if the head is
                // no name)
                if commas == 3 {
                    return appos;
                }
                if appos.is_none() && t > lo {
                    appos = self.mention(t - 1).filter(|m| {
                        self.eligible(m) && m.kind == crate::gazetteer::EntityKind::Person
                    });
                }
                commas += 1;
                let floor = t.saturating_sub(40).max(lo);
                let mut k = t;
                let mut found = None;
                while k > floor {
                    k -= 1;
                    if self.in_quote[k] {
                        break;
                    }
                    match self.doc.token_text(k) {
                        "," => {
                            found = Some(k);
                            break;
                        }
                        "." | ";" | ":" | "!" | "?" => break,
                        _ => {}
                    }
                }
                match found {
                    Some(c) => {
                        j = c;
                        continue;
                    }
                    None => return appos,
                }
            }
            let roles = self.roles(t);
            if roles & Words::RELATIVE != 0 {
                relative = true;
                j = t;
                continue;
            }
            if self.skippable_with(t, w, roles) {
                j = t;
                continue;
            }
            if appos.is_none() && roles & (Words::VOICE | Words::BODY) != 0 {
                return self.owner_of(t, lo);
            }
            return appos;
        }
        appos
    }

    /// True when mention `m` is the object of a preposition, with or
    /// without a determiner between ("for the Council", "in Tanzania").
    fn after_prep(&self, m: &Mention, lo: usize) -> bool {
        let mut b = self.doc.token_at_or_after(m.span.start);
        if b > lo && self.is(b - 1, Words::DET) {
            b -= 1;
        }
        b > lo && self.is(b - 1, Words::PREP)
    }

    /// The one a speaker noun at token `head` speaks for, named in its noun
    /// phrase: "China's foreign ministry spokesman" (China), "his
    /// spokeswoman" (he), "a senior U.S. official" (the United States).
    /// A person owns only a spokesman; a state or organization any body or
    /// official. A determiner ends the phrase ("the ministry": no owner).
    fn owner_of(&self, head: usize, lo: usize) -> Option<&'a Mention> {
        let voice = self.is(head, Words::VOICE);
        let floor = head.saturating_sub(OWNER_REACH).max(lo);
        let mut k = head;
        while k > floor {
            let t = k - 1;
            if self.in_quote[t] {
                return None;
            }
            if let Some(m) = self.mention(t) {
                let person = m.kind == crate::gazetteer::EntityKind::Person;
                return m.entity.is_some().then_some(m).filter(|_| voice || !person);
            }
            let tok = &self.doc.tokens[t];
            let w = self.w(t);
            let plain = match tok.kind {
                TokenKind::Word => {
                    self.roles(t)
                        & (Words::PREP
                            | Words::LINK
                            | Words::THAT
                            | Words::RELATIVE
                            | Words::DET
                            | Words::SUBJECT)
                        == 0
                        && self.cue_at(t).is_none()
                }
                TokenKind::Punct => matches!(w, "'" | "’" | "-"),
                _ => false,
            };
            if !plain {
                return None;
            }
            k = t;
        }
        None
    }

    /// A mention found before a cue is its subject unless it is the object
    /// of a preposition ("officials in Tanzania said"); "X of Y said" is X.
    fn accept_subject(&self, m: &'a Mention, lo: usize) -> Option<&'a Mention> {
        if !self.eligible(m) {
            return None;
        }
        let b = self.doc.token_at_or_after(m.span.start);
        // "X and Y said", "the foreign ministers of X and Y said": a joint
        // statement, which one speaker cannot stand for
        if b >= lo + 2 && matches!(self.w(b - 1), "and" | "&") {
            if let Some(h) = self.mention(b - 2) {
                if self.eligible(h)
                    && h.kind == crate::gazetteer::EntityKind::Person
                    && m.kind == crate::gazetteer::EntityKind::Person
                    && h.span.end <= m.span.start
                {
                    return None;
                }
            }
        }
        if b > lo && self.is(b - 1, Words::PREP) {
            // "officials in Tanzania said" (but ", with Reagan describing")
            let head_noun = b >= lo + 2 && self.doc.tokens[b - 2].kind == TokenKind::Word;
            if !head_noun {
                return Some(m);
            }
            if b >= lo + 2 {
                if let Some(h) = self.mention(b - 2) {
                    if self.eligible(h)
                        && h.kind == crate::gazetteer::EntityKind::Person
                        && h.span.end <= m.span.start
                    {
                        return Some(h);
                    }
                }
                // "Turkey's ambassador to Kyiv said": Turkey
                if self.is(b - 2, Words::VOICE | Words::BODY) {
                    return self.owner_of(b - 2, lo);
                }
            }
            return None;
        }
        Some(m)
    }

    /// The speaker after an inverted cue: "said Hungarian Foreign Minister
    /// Janos Martonyi", "according to CCTV", "lauded by X".
    pub fn subject_after(&self, start: usize, limit: usize) -> Option<&'a Mention> {
        let end = limit.min(start + INVERTED_REACH).min(self.doc.tokens.len());
        if start >= end {
            return None;
        }
        // the mentions walked along with the tokens: `mi` is the last one
        // starting at or before the token (one search for the window)
        let ms = &self.ents.mentions;
        let pos0 = self.doc.tokens[start].span.start;
        let mut mi = ms.partition_point(|m| m.span.start <= pos0);
        let mention_at = |mi: &mut usize, t: usize| -> Option<&'a Mention> {
            let pos = self.doc.tokens[t].span.start;
            while *mi < ms.len() && ms[*mi].span.start <= pos {
                *mi += 1;
            }
            let m = ms.get(mi.checked_sub(1)?)?;
            (pos < m.span.end).then_some(m)
        };
        let mut t = start;
        while t < end {
            if self.in_quote[t] {
                break;
            }
            let w = self.w(t);
            // "Rep." "Gen.": an abbreviation's period does not end the name
            let abbrev = w == "."
                && t > start
                && self.doc.tokens[t - 1].kind == TokenKind::Word
                && self.starts_upper(t - 1)
                && self.doc.token_text(t - 1).len() <= 4;
            let roles = self.roles(t);
            if (matches!(w, "," | "." | ";" | ":" | "(" | "!" | "?") && !abbrev)
                || roles & Words::THAT != 0
            {
                break;
            }
            if roles & Words::PREP != 0 {
                let agent = t == start && roles & Words::AGENT != 0;
                let in_title = t > start
                    && t + 1 < end
                    && self.starts_upper(t - 1)
                    && self.starts_upper(t + 1);
                if !(agent || in_title) {
                    break;
                }
            }
            if let Some(m) = mention_at(&mut mi, t) {
                if self.eligible(m) && !self.modifier(m) {
                    return Some(m);
                }
                t = self.doc.token_at_or_after(m.span.end).max(t + 1);
                continue;
            }
            if t > start && self.cue_at(t).is_some() {
                break;
            }
            t += 1;
        }
        None
    }

    /// A place or organization name used as a modifier of the noun after
    /// it ("US officials", "US Secretary of State X"), not as a subject.
    fn modifier(&self, m: &Mention) -> bool {
        let e = self.doc.token_at_or_after(m.span.end);
        // a possessive: "the GOP's goal"
        if e + 1 < self.doc.tokens.len()
            && matches!(self.doc.token_text(e), "'" | "’")
            && self.w(e + 1) == "s"
        {
            return true;
        }
        if m.kind == crate::gazetteer::EntityKind::Person {
            return false;
        }
        if e >= self.doc.tokens.len()
            || self.doc.tokens[e].kind != TokenKind::Word
            || self.in_quote[e]
        {
            return false;
        }
        let w = self.w(e);
        !(self.is(
            e,
            Words::SKIP | Words::PREP | Words::LINK | Words::THAT | Words::RELATIVE,
        ) || self.cue_at(e).is_some()
            || (w.len() > 4 && w.ends_with("ly")))
    }

    /// The subject of the clause `[lo, hi)`: its first name that is not the
    /// object of a preposition, persons first.
    pub fn clause_subject(&self, lo: usize, hi: usize) -> Option<&'a Mention> {
        let mut any = None;
        let mut t = lo;
        while t < hi {
            if self.in_quote[t] {
                t += 1;
                continue;
            }
            if let Some(m) = self.mention(t) {
                let b = self.doc.token_at_or_after(m.span.start);
                let after_prep = b > lo && self.is(b - 1, Words::PREP);
                if self.eligible(m) && !after_prep && !self.modifier(m) {
                    if m.kind == crate::gazetteer::EntityKind::Person {
                        return Some(m);
                    }
                    any = any.or(Some(m));
                }
                t = self.doc.token_at_or_after(m.span.end).max(t + 1);
                continue;
            }
            t += 1;
        }
        any
    }

    /// True when the cue takes its subject from the clause: a participle,
    /// or a verb after "and", "while", "by" …
    pub fn linked(&self, cue: Cue, lo: usize) -> bool {
        if cue.info.participle {
            return true;
        }
        let mut j = cue.tok;
        while j > lo {
            let w = self.w(j - 1);
            if self.is(j - 1, Words::LINK) {
                return true;
            }
            if !self.skippable(j - 1, w) {
                return false;
            }
            j -= 1;
        }
        false
    }

    /// The speaker of `cue` within `[lo, hi)` (hi: where an inverted
    /// subject may reach). Returns the mention and whether the clause had
    /// no subject of its own (the caller may use the previous quote's).
    pub fn speaker_of(
        &self,
        cue: Cue<'a>,
        lo: usize,
        hi: usize,
        before_quote: bool,
    ) -> (Option<Speaker>, bool) {
        let inverted_only = self.is(cue.tok + cue.len - 1, Words::PREP);
        let before = if inverted_only {
            None
        } else {
            self.subject_before(cue.tok, lo)
        };
        if let Some(m) = before {
            return (self.resolve(m, cue.tok), false);
        }
        if !cue.info.addressee {
            if let Some(m) = self.subject_after(cue.tok + cue.len, hi) {
                // before a quote, the inverted subject ends the frame
                // ("Said Jane Roe: …"), else it is the object of a clause
                let e = self.doc.token_at_or_after(m.span.end);
                let ends = e >= hi || matches!(self.doc.token_text(e), "," | ":");
                let agent = self.is(cue.tok + cue.len, Words::AGENT);
                if !before_quote || ends || inverted_only || agent {
                    return (self.resolve(m, cue.tok), false);
                }
            }
        }
        if self.linked(cue, lo) {
            let (slo, _) = self.sentence_tokens(cue.tok);
            return (
                self.clause_subject(slo.max(cue.tok.saturating_sub(CLAUSE_REACH)), cue.tok)
                    .and_then(|m| self.resolve(m, cue.tok)),
                true,
            );
        }
        (None, false)
    }

    /// The addressee or audience of a cue: "told Blinken", "told reporters",
    /// "said in a letter to X", "said to journalists".
    pub fn addressee_of(&self, cue: Cue, limit: usize) -> (Option<&'a Mention>, Option<String>) {
        let start = cue.tok + cue.len;
        let end = limit.min(self.doc.tokens.len());
        let np = |from: usize| -> (Option<&'a Mention>, Option<String>) {
            let stop = end.min(from + 6);
            let mut t = from;
            while t < stop {
                if self.in_quote[t] {
                    break;
                }
                if let Some(m) = self.mention_or_titled(t) {
                    if self.eligible(m) {
                        return (Some(m), None);
                    }
                    t = self.doc.token_at_or_after(m.span.end).max(t + 1);
                    continue;
                }
                if let Some((n, _)) = self.m.audiences.longest_at(self.doc, t) {
                    let a = self.doc.tokens[from].span.start;
                    let b = self.doc.tokens[t + n - 1].span.end;
                    return (None, Some(self.doc.text[a..b].to_string()));
                }
                // a second determiner opens another phrase ("told state
                // television the government would …")
                if self.doc.tokens[t].kind == TokenKind::Punct
                    || self.is(t, Words::THAT | Words::PREP)
                    || (t > from && self.is(t, Words::DET))
                    || self.cue_at(t).is_some()
                {
                    break;
                }
                t += 1;
            }
            (None, None)
        };
        if start >= end {
            return (None, None);
        }
        if cue.info.addressee {
            let r = np(start);
            if r.0.is_some() || r.1.is_some() {
                return r;
            }
        }
        // "to X" right after the cue, or after a channel ("in a letter to X")
        let stop = end.min(start + 8);
        let mut t = start;
        let mut channel = false;
        while t < stop {
            if self.in_quote[t] {
                break;
            }
            let w = self.w(t);
            if matches!(w, "," | "." | ";" | ":") {
                break;
            }
            if w == "to" && (t == start || channel) {
                return np(t + 1);
            }
            if let Some((n, _)) = self.m.channels.longest_at(self.doc, t) {
                channel = true;
                t += n;
                continue;
            }
            t += 1;
        }
        (None, None)
    }

    /// The date of a statement: the calendar date of the time expression
    /// nearest its cue in the cue's sentence (a TIME's day: "last night"),
    /// else the day the story reports ([`crate::dates::story_day`]).
    pub fn date_of(&self, cue: Option<Cue>) -> Option<String> {
        self.date_outside(cue, Span::new(0, 0))
    }

    /// [`Ctx::date_of`] leaving out the time expressions inside `skip`
    /// (a reported clause: its dates are those of what it reports) and
    /// those of a relative clause or apposition between the subject and
    /// the cue ("X, who arrived on Monday, said").
    pub fn date_outside(&self, cue: Option<Cue>, skip: Span) -> Option<String> {
        if let Some(c) = cue {
            let (slo, shi) = self.sentence_tokens(c.tok);
            let toks = &self.doc.tokens;
            let slo = slo.max(c.tok.saturating_sub(DATE_REACH));
            let shi = shi.min(c.tok + c.len + DATE_REACH).max(slo + 1);
            let (a, b) = (toks[slo].span.start, toks[shi - 1].span.end);
            let i = self.timexes.partition_point(|x| x.span.start < a);
            let mut best: Option<(usize, String)> = None;
            for x in self.timexes[i..].iter().take_while(|x| x.span.start < b) {
                let Some(day) = x.calendar() else { continue };
                let xt = self.doc.token_at_or_after(x.span.start);
                if xt >= toks.len()
                    || self.in_quote[xt]
                    || (skip.start <= x.span.start && x.span.start < skip.end)
                    || (xt < c.tok && self.in_relative(xt, c.tok, slo))
                {
                    continue;
                }
                let d = if xt >= c.tok {
                    xt - (c.tok + c.len - 1)
                } else {
                    c.tok - xt
                };
                if d <= DATE_REACH && best.as_ref().is_none_or(|(bd, _)| d < *bd) {
                    best = Some((d, day));
                }
            }
            if let Some((_, day)) = best {
                return Some(day);
            }
        }
        self.story_day.clone()
    }

    /// True when token `t`, before the cue at `cue`, lies in a relative
    /// clause set off by commas between the subject and the cue ("X, who
    /// arrived on Monday, said"): a comma follows it before the cue, and the
    /// comma before it (not before `lo`) opens with a relative pronoun.
    fn in_relative(&self, t: usize, cue: usize, lo: usize) -> bool {
        if !(t + 1..cue).any(|k| self.w(k) == ",") {
            return false;
        }
        let mut k = t;
        while k > lo {
            k -= 1;
            if self.w(k) == "," {
                return self.is(k + 1, Words::RELATIVE) && self.w(k + 1) != "that";
            }
        }
        false
    }

    /// Entities mentioned inside `span` (pronouns left out), in order.
    pub fn mentions_in(&self, span: Span) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for m in self.ents.mentions_in(span) {
            if m.how == How::Pronoun {
                continue;
            }
            if let Some(e) = m.entity {
                if !out.contains(&e) {
                    out.push(e);
                }
            }
        }
        out
    }

    /// The evidence span: whole sentences from token `a` to token `b`.
    pub fn evidence(&self, a: usize, b: usize) -> Span {
        let n = self.doc.tokens.len();
        if n == 0 {
            return Span::new(0, 0);
        }
        let (a, b) = (a.min(n - 1), b.min(n - 1));
        let sa = &self.doc.sentences[self.doc.tokens[a].sentence];
        let sb = &self.doc.sentences[self.doc.tokens[b].sentence];
        Span::new(
            sa.span.start.min(sb.span.start),
            sa.span.end.max(sb.span.end),
        )
    }

    /// A quoted name or title rather than words said: a few capitalised
    /// words without punctuation, embedded in a sentence ("his famous
    /// "Iron Curtain" speech").
    fn name_like(&self, i: usize) -> bool {
        let q = &self.quotes[i];
        let (a, b) = self.qtok[i];
        let n = self.doc.tokens.len();
        let embedded = a > 0
            && b < n
            && self.doc.tokens[a - 1].kind == TokenKind::Word
            && self.doc.tokens[b].kind == TokenKind::Word
            && self.doc.tokens[a - 1].sentence == self.doc.tokens[b].sentence;
        if !embedded {
            return false;
        }
        let text = self.doc.slice(q.inner);
        // (ASCII marks: a byte test finds them)
        if text
            .bytes()
            .any(|c| matches!(c, b'.' | b',' | b';' | b':' | b'!' | b'?'))
        {
            return false;
        }
        let mut words = 0;
        let mut caps = 0;
        for w in text.split_whitespace() {
            words += 1;
            if words > 5 {
                return false;
            }
            let upper = w.chars().next().is_some_and(|c| c.is_uppercase());
            if upper {
                caps += 1;
            } else if !(w.len() <= 3 && w.chars().all(|c| c.is_lowercase())) {
                return false;
            }
        }
        caps >= 1
    }

    /// Find the cue of a window: the last one before a quote (within
    /// `BEFORE_REACH`), or the first one after it (within `AFTER_REACH`).
    fn window_cue(&self, lo: usize, hi: usize, before: bool) -> Option<Cue<'a>> {
        if before {
            let from = lo.max(hi.saturating_sub(BEFORE_REACH));
            let mut best = None;
            let mut t = from;
            while t < hi {
                if let Some(c) = self.cue_at(t) {
                    if t + c.len <= hi {
                        best = Some(c);
                    }
                    t += c.len;
                } else {
                    t += 1;
                }
            }
            best
        } else {
            (lo..hi.min(lo + AFTER_REACH)).find_map(|t| self.cue_at(t))
        }
    }

    /// Windows of quote `i`: (before lo, before hi, after lo, after hi,
    /// opens its sentence).
    fn windows(&self, i: usize) -> (usize, usize, usize, usize, bool) {
        let n = self.doc.tokens.len();
        let (a, b) = self.qtok[i];
        let prev_end = if i > 0 { self.qtok[i - 1].1 } else { 0 };
        let next_start = self.qtok.get(i + 1).map(|q| q.0).unwrap_or(n);
        if a >= n {
            return (a, a, n, n, true);
        }
        let (slo, _) = self.sentence_tokens(a);
        let mut blo = slo.max(prev_end).min(a);
        let opens = blo == a;
        // "He added:" ending the sentence or paragraph before
        if opens && a > 0 && !self.in_quote[a - 1] && self.doc.token_text(a - 1) == ":" {
            let (plo, _) = self.sentence_tokens(a - 1);
            blo = plo.max(prev_end);
        }
        if self.quotes[i].close.is_none() || b == 0 || b > n {
            return (blo, a, b.min(n), b.min(n), opens);
        }
        let (_, shi) = self.sentence_tokens(b - 1);
        let mut ahi = shi.min(next_start);
        if b >= ahi && b < n && b < next_start {
            // the sentence ended with the quote: "…?" he asked.
            let same_para = self.doc.sentences[self.doc.tokens[b].sentence].paragraph
                == self.doc.sentences[self.doc.tokens[b - 1].sentence].paragraph;
            let lower = self
                .doc
                .token_text(b)
                .chars()
                .next()
                .is_some_and(|c| c.is_lowercase());
            if same_para && lower {
                ahi = self.sentence_tokens(b).1.min(next_start);
            }
        }
        (blo, a, b, ahi.max(b), opens)
    }

    /// Own attribution of quote `i`: (cue, speaker, clause had no subject).
    fn attribute(&self, i: usize) -> Option<(Cue<'a>, Option<Speaker>, bool)> {
        let (blo, bhi, alo, ahi, opens) = self.windows(i);
        let introduced =
            bhi > 0 && matches!(self.doc.token_text(bhi - 1), ":" | ",") && !self.in_quote[bhi - 1];
        let order = if opens && !introduced {
            [false, true]
        } else {
            [true, false]
        };
        for before in order {
            let (lo, hi) = if before { (blo, bhi) } else { (alo, ahi) };
            if lo >= hi {
                continue;
            }
            if let Some(c) = self.window_cue(lo, hi, before) {
                let (spk, linked) = self.speaker_of(c, lo, hi, before);
                return Some((c, spk, linked));
            }
        }
        // the next sentence of the paragraph: "…" She added.
        let n = self.doc.tokens.len();
        if ahi < n && self.quotes[i].close.is_some() {
            let t0 = ahi;
            let same_para = self.doc.sentences[self.doc.tokens[t0].sentence].paragraph
                == self.quotes[i].paragraph;
            let (slo, shi) = self.sentence_tokens(t0);
            if same_para && slo == t0 && shi - slo <= 8 && !(slo..shi).any(|t| self.in_quote[t]) {
                if let Some(c) = (slo..shi).find_map(|t| self.cue_at(t)) {
                    let (spk, linked) = self.speaker_of(c, slo, shi, false);
                    if spk.is_some() {
                        return Some((c, spk, linked));
                    }
                }
            }
        }
        None
    }

    /// True when quote `i` is the first thing in its paragraph.
    fn opens_paragraph(&self, i: usize) -> bool {
        let q = &self.quotes[i];
        let p = self.doc.paragraphs[q.paragraph].span;
        self.doc.text[p.start..q.open.start].trim().is_empty()
    }

    fn sentence_of(&self, t: usize) -> usize {
        self.doc.tokens[t.min(self.doc.tokens.len().saturating_sub(1))].sentence
    }

    /// Every direct statement.
    #[allow(clippy::needless_range_loop)] // quotes refer to each other by index
    pub fn direct(&self) -> Vec<Statement> {
        let n = self.quotes.len();
        if self.doc.tokens.is_empty() {
            return Vec::new();
        }
        let mut attrs: Vec<Attr> = vec![
            Attr {
                cue: None,
                speaker: None,
                from: None
            };
            n
        ];
        for i in 0..n {
            if let Some((cue, spk, linked)) = self.attribute(i) {
                attrs[i].cue = Some(cue);
                attrs[i].speaker = spk;
                if linked && i > 0 {
                    // "…,” Blinken told reporters, adding: “…”
                    let same = self.sentence_of(self.qtok[i - 1].1.saturating_sub(1))
                        == self.sentence_of(self.qtok[i].0);
                    if same && attrs[i - 1].cue.is_some() {
                        attrs[i].speaker = None;
                        attrs[i].from = Some(i - 1);
                    }
                }
            }
        }
        // multi-paragraph quotations: the attributed part speaks for all
        let mut chain_head: Vec<usize> = (0..n).collect();
        for i in 0..n {
            if let Some(p) = self.quotes[i].continues {
                if p < i {
                    chain_head[i] = chain_head[p];
                }
            }
        }
        let mut chain_len: HashMap<usize, usize> = HashMap::default();
        for &h in &chain_head {
            *chain_len.entry(h).or_default() += 1;
        }
        let mut chain_src: HashMap<usize, usize> = HashMap::default();
        for i in 0..n {
            if attrs[i].cue.is_some() && attrs[i].from.is_none() {
                let h = chain_head[i];
                let better = match chain_src.get(&h) {
                    None => true,
                    Some(&j) => attrs[j].speaker.is_none() && attrs[i].speaker.is_some(),
                };
                if better {
                    chain_src.insert(h, i);
                }
            }
        }
        for i in 0..n {
            let h = chain_head[i];
            if attrs[i].cue.is_none() && chain_len[&h] > 1 {
                attrs[i].from = chain_src.get(&h).copied();
            }
        }
        // "A" and "B," he said: the next quote of the sentence
        for i in (0..n.saturating_sub(1)).rev() {
            if attrs[i].cue.is_none() && attrs[i].from.is_none() && self.quotes[i].close.is_some() {
                let same = self.sentence_of(self.qtok[i].1.saturating_sub(1))
                    == self.sentence_of(self.qtok[i + 1].0)
                    && self.quotes[i].paragraph == self.quotes[i + 1].paragraph;
                if same && (attrs[i + 1].cue.is_some() || attrs[i + 1].from.is_some()) {
                    attrs[i].from = Some(i + 1);
                }
            }
        }
        // continuation in the paragraph, or a paragraph that is only a quote
        for i in 1..n {
            if attrs[i].cue.is_some() || attrs[i].from.is_some() || self.name_like(i - 1) {
                continue;
            }
            let (pq, cq) = (self.quotes[i - 1].paragraph, self.quotes[i].paragraph);
            if pq == cq {
                attrs[i].from = Some(i - 1);
            } else if pq + 1 == cq && self.opens_paragraph(i) {
                // an answer to a question goes back to the one before it
                let question = self.doc.slice(self.quotes[i - 1].inner).ends_with('?');
                let k =
                    (i >= 2 && question && self.quotes[i - 2].paragraph + 1 == pq).then(|| i - 2);
                attrs[i].from = Some(k.unwrap_or(i - 1));
            }
        }
        // resolve sources
        // each quote's source, memoised (chains of continuations are long)
        let mut src_of: Vec<Option<Option<usize>>> = vec![None; n];
        let mut path = Vec::new();
        for start in 0..n {
            let mut i = start;
            path.clear();
            let found = loop {
                if let Some(r) = src_of[i] {
                    break r;
                }
                if attrs[i].cue.is_some() && attrs[i].from.is_none() {
                    break Some(i);
                }
                path.push(i);
                match attrs[i].from {
                    Some(j) if path.len() <= n => i = j,
                    _ => break None,
                }
            };
            for &p in &path {
                src_of[p] = Some(found);
            }
            src_of[start] = Some(src_of[start].unwrap_or(found));
        }
        let source = |i: usize| -> Option<usize> { src_of[i].flatten() };
        let mut utter_of_cue: HashMap<usize, usize> = HashMap::default();
        let mut utterance = vec![usize::MAX; n];
        let mut next_id = 0usize;
        let mut out = Vec::new();
        for i in 0..n {
            let src = source(i);
            // the cue: the quote's own, else its source's
            let owner = if attrs[i].cue.is_some() { Some(i) } else { src };
            let cue = owner.and_then(|o| attrs[o].cue);
            let spk = src.and_then(|s| attrs[s].speaker);
            // the utterance: shared by quotes of one cue and continuations
            let u = match (attrs[i].from, cue) {
                (Some(j), _) if j < i && utterance[j] != usize::MAX => utterance[j],
                (_, Some(c)) => *utter_of_cue.entry(c.tok).or_insert_with(|| {
                    next_id += 1;
                    next_id - 1
                }),
                _ => {
                    next_id += 1;
                    next_id - 1
                }
            };
            utterance[i] = u;
            if self.name_like(i) {
                continue;
            }
            let q = &self.quotes[i];
            let words = self.doc.slice(q.inner).split_whitespace().count();
            if src.is_none() && words <= 1 {
                continue; // a scare-quoted word nobody says
            }
            let (a, b) = self.qtok[i];
            let (addressee, audience) = match (owner, cue) {
                (Some(o), Some(c)) => {
                    let (_, _, _, ahi, _) = self.windows(o);
                    let limit = if c.tok >= self.qtok[o].1 {
                        ahi
                    } else {
                        self.qtok[o].0
                    };
                    self.addressee_of(c, limit)
                }
                _ => (None, None),
            };
            let spk_entity = spk.map(|s| s.entity);
            let addressee = addressee.filter(|m| m.entity != spk_entity);
            let own_cue = cue.filter(|_| owner == Some(i));
            let ev_b = own_cue
                .map(|c| (c.tok + c.len).max(b))
                .unwrap_or(b)
                .saturating_sub(1);
            let ev_a = own_cue.map(|c| c.tok.min(a)).unwrap_or(a);
            let lemma = cue.map(|c| c.info.lemma.clone());
            out.push(Statement {
                span: q.inner,
                direct: true,
                speaker: spk_entity,
                speaker_span: spk.map(|s| s.span),
                addressee: addressee.and_then(|m| m.entity),
                audience,
                cue: cue.map(|c| self.cue_span(c)),
                cameo: cue.map_or_else(|| "010".to_string(), |c| c.info.cameo.clone()),
                cue_lemma: lemma,
                evidence: self.evidence(ev_a, ev_b),
                date: self.date_outside(cue, self.quote_clause(i, cue)),
                utterance: u,
                mentions: self.mentions_in(q.inner),
            });
        }
        out
    }

    /// What a cue before quote `i` in its sentence governs: from the
    /// opening mark to the sentence end ("warned that Russia might try
    /// "something ugly" this week": the week is what is reported, not when
    /// it was said). Empty for a cue after the quote or in another
    /// sentence.
    fn quote_clause(&self, i: usize, cue: Option<Cue>) -> Span {
        let (a, b) = self.qtok[i];
        match cue {
            Some(c) if c.tok < a && self.sentence_of(c.tok) == self.sentence_of(a) => {
                let end = self.doc.sentences[self.sentence_of(b.saturating_sub(1).max(a))]
                    .span
                    .end;
                Span::new(
                    self.quotes[i].open.start,
                    end.max(self.quotes[i].open.start),
                )
            }
            _ => Span::new(0, 0),
        }
    }

    pub fn cue_span(&self, c: Cue) -> Span {
        Span::new(
            self.doc.tokens[c.tok].span.start,
            self.doc.tokens[c.tok + c.len - 1].span.end,
        )
    }
}
