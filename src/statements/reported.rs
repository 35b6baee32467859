//! Reported speech: "Xi said Monday he saw headway in …", "Blinken said he
//! also raised concern about …", "Albright told the minister that …" — a
//! statement with `direct: false` whose span is the reported clause.
//!
//! Read in sentences without quotes (a sentence with a quote is covered by
//! its direct statements), at the first cue that introduces a clause (the
//! `clause` column of `speech_verbs.tsv`) and has a subject in the entity
//! layer. The clause starts after the addressee, date words and "that",
//! and must open like a clause (a pronoun, determiner, name or number).

use super::attribution::{Ctx, Cue, Speaker};
use super::{Statement, Words};
use crate::document::{Span, TokenKind};

/// Reported statements of the document, in text order.
pub fn find(ctx: &Ctx, next_utterance: &mut usize) -> Vec<Statement> {
    let doc = ctx.doc;
    let mut out = Vec::new();
    let cands = &ctx.cue_candidates;
    // index into `cands` of the first candidate of the current sentence
    let mut ci = 0;
    for s in &doc.sentences {
        let (lo, hi) = s.tokens;
        while ci < cands.len() && cands[ci] < lo {
            ci += 1;
        }
        if ci == cands.len() || cands[ci] >= hi {
            continue; // no cue can start in this sentence
        }
        if doc.paragraphs[s.paragraph].heading {
            continue;
        }
        if lo >= hi || ctx.any_quoted(lo, hi) {
            continue;
        }
        // the first token not inside a cue already read
        let mut next = lo;
        // the speaker of a clause cut short by ", but added …": the
        // speaker of the cue right after the cut
        let mut carry: Option<Speaker> = None;
        for &t in cands[ci..].iter().take_while(|&&t| t < hi) {
            if t < next {
                continue;
            }
            let Some(c) = ctx.cue_at(t) else {
                continue;
            };
            let carried = carry.take();
            if c.info.clause || c.info.that_clause || inverted_only(ctx, c) {
                if let Some((st, cut)) = reported_at(ctx, c, lo, hi, carried, *next_utterance) {
                    *next_utterance += 1;
                    let Some(cut) = cut else {
                        out.push(st);
                        break;
                    };
                    carry = st
                        .speaker
                        .zip(st.speaker_span)
                        .map(|(entity, span)| Speaker { entity, span });
                    out.push(st);
                    next = cut + 1;
                    continue;
                }
            }
            next = t + c.len;
        }
    }
    out
}

/// Minimum length of a reported clause, in tokens.
const MIN_CLAUSE: usize = 3;
/// How far "that" may stand after the cue ("said in a statement that").
const THAT_REACH: usize = 10;

/// A cue whose speaker can only follow it ("according to X").
fn inverted_only(ctx: &Ctx, c: Cue) -> bool {
    ctx.is(c.tok + c.len - 1, Words::PREP)
}

/// Tokens an attribution after its clause may take up ("…, the
/// foreign minister of Peru, Jane Roe, said").
const TRAIL_REACH: usize = 14;

/// The first token from `k` on that is no date word or adverb ("said
/// Monday", "said on Tuesday", "said later").
fn past_date_words(ctx: &Ctx, mut k: usize, hi: usize) -> usize {
    while k < hi {
        let w = ctx.w(k);
        let roles = ctx.roles(k);
        let date_word = roles & Words::CALENDAR != 0
            || ctx.in_timex_tok(k)
            || (roles & Words::SKIP != 0 && roles & Words::SUBJECT == 0)
            || (w.len() > 4 && w.ends_with("ly"));
        if !date_word {
            break;
        }
        k += 1;
    }
    k
}

/// A quick test before [`Ctx::linked`]: a participle, or a cue after a
/// link word or a word that may stand between a subject and its cue.
fn may_link(ctx: &Ctx, c: Cue, lo: usize) -> bool {
    if c.info.participle {
        return true;
    }
    if c.tok <= lo {
        return false;
    }
    let t = c.tok - 1;
    ctx.is(t, Words::LINK | Words::SKIP | Words::CALENDAR)
        || ctx.doc.tokens[t].kind == TokenKind::Number
        || ctx.in_timex_tok(t)
        || ctx.w(t).ends_with("ly")
}

/// One past the last token of `[lo, hi)` that is no punctuation.
fn last_word_end(ctx: &Ctx, lo: usize, hi: usize) -> usize {
    let mut end = hi;
    while end > lo && ctx.doc.tokens[end - 1].kind == TokenKind::Punct {
        end -= 1;
    }
    end
}

/// Most tokens that may follow an attribution closing its sentence ("said
/// late on Monday night.").
const CLOSE_REACH: usize = 8;

/// True when nothing but date words and punctuation follows `k` in its
/// sentence (`hi` its end): the attribution closes the sentence.
fn closes_sentence(ctx: &Ctx, k: usize, hi: usize) -> bool {
    hi <= k + CLOSE_REACH && past_date_words(ctx, k, hi) >= last_word_end(ctx, k, hi)
}

/// True when the sentence ends at `k` (but for date words), or goes on
/// only with an apposition to the speaker ("…, said Jane Roe, the
/// foreign minister.").
fn ends_with_apposition(ctx: &Ctx, k: usize, hi: usize) -> bool {
    if closes_sentence(ctx, k, hi) {
        return true;
    }
    k < hi
        && ctx.w(k) == ","
        && hi - k <= TRAIL_REACH
        && (k + 1..hi).all(|t| {
            !ctx.in_quote[t]
                && !ctx.is(t, Words::AUX | Words::THAT | Words::LINK)
                && ctx.cue_at(t).is_none()
        })
}

/// The comma that ends the clause of an attribution standing after it
/// ("Talks will resume, Jane Roe said", "…, his spokesman, Jane Roe,
/// said"): the comma before the attribution's subject phrase, which must be
/// short and hold the speaker's mention, no verb and no other cue. `cue` is
/// the attribution's first token (its subject's, when the subject stands
/// before the cue), `speaker` where the speaker's mention starts.
fn trailing_comma(ctx: &Ctx, lo: usize, cue: usize, speaker: usize) -> Option<usize> {
    let floor = lo.max(cue.saturating_sub(TRAIL_REACH));
    let mut commas = Vec::with_capacity(3);
    let mut t = cue;
    while t > floor && commas.len() < 3 {
        t -= 1;
        let w = ctx.w(t);
        if w == "," {
            commas.push(t);
            // an empty stretch: the comma closes an apposition
            let empty = commas.len() == 1 && t + 1 == cue;
            let appos = commas.len() == 2 && commas[0] == cue - 1;
            if !(empty || appos) {
                break;
            }
            continue;
        }
        if ctx.in_quote[t]
            || ctx.doc.tokens[t].kind == TokenKind::Punct && !matches!(w, "'" | "’" | "." | "-")
            || ctx.is(t, Words::AUX | Words::THAT | Words::LINK)
            || (t < speaker && ctx.cue_at(t).is_some())
        {
            return None;
        }
    }
    let &c = commas.last()?;
    (ctx.doc.tokens[c + 1].span.start <= ctx.doc.tokens[speaker].span.start).then_some(c)
}

/// True when `[a, b)` can stand as a reported clause before its
/// attribution: long enough, not opened by a preposition, a cue or a
/// participle ("Speaking in Ankara, X said").
fn clause_before(ctx: &Ctx, a: usize, b: usize) -> bool {
    if b < a + MIN_CLAUSE {
        return false;
    }
    let w = ctx.w(a);
    ctx.doc.tokens[a].kind == TokenKind::Word
        && ctx.roles(a) & (Words::PREP | Words::LINK) == 0
        && ctx.cue_at(a).is_none()
        && !w.ends_with("ing")
}

/// The reported statement of cue `c` in the sentence `[lo, hi)`, and the
/// comma where its clause was cut short (", but added …"). `carry`: the
/// speaker of the clause a cut ended, for a cue with no subject of its own.
fn reported_at<'a>(
    ctx: &Ctx<'a>,
    c: Cue<'a>,
    lo: usize,
    hi: usize,
    carry: Option<Speaker>,
    utterance: usize,
) -> Option<(Statement, Option<usize>)> {
    let doc = ctx.doc;
    let after = c.tok + c.len;
    let inverted = inverted_only(ctx, c);
    // "According to X, …", "…, according to X.", "…, said X."
    let comma_before = c.tok > lo && ctx.w(c.tok - 1) == ",";
    let before = if inverted {
        None
    } else {
        ctx.subject_before(c.tok, lo)
    };
    if (inverted || (comma_before && c.info.clause && !c.info.addressee && before.is_none()))
        && (c.tok == lo || comma_before)
    {
        // the speaker right after the cue (its title or a determiner
        // between): "said Jane Roe", "according to the ministry"
        let next = (after < hi)
            .then(|| ctx.mention_or_titled(after))
            .flatten()
            .or_else(|| {
                (after + 1 < hi && ctx.is(after, Words::DET))
                    .then(|| ctx.mention(after + 1))
                    .flatten()
            })
            .filter(|m| ctx.eligible(m));
        if let Some(m) = next {
            let e = doc.token_at_or_after(m.span.end);
            if let Some(spk) = ctx.resolve(m, c.tok) {
                let span = if c.tok == lo && inverted {
                    // "According to X, the talks will resume."
                    (e < hi && ctx.w(e) == ",").then(|| {
                        let a = past_apposition(ctx, e + 1, hi);
                        (a, last_word_end(ctx, a, hi))
                    })
                } else if comma_before && ends_with_apposition(ctx, e, hi) {
                    Some((lo, c.tok - 1))
                } else {
                    None
                };
                if let Some((a, b)) = span.filter(|&(a, b)| clause_before(ctx, a, b)) {
                    let st = statement(ctx, c, spk, a, b, lo, hi, None, utterance);
                    return Some((st, None));
                }
            }
        }
        if inverted {
            return None;
        }
    }
    if inverted {
        return None;
    }
    let spk = match (before, carry) {
        (Some(m), _) => ctx.resolve(m, c.tok)?,
        (None, Some(s)) => s,
        // a cue with no subject speaks for its clause's ("…, saying")
        (None, None) if may_link(ctx, c, lo) && ctx.linked(c, lo) => {
            let (m, linked) = ctx.speaker_of(c, lo, c.tok, true);
            m.filter(|_| linked)?
        }
        (None, None) => return None,
    };
    // "he did not say who …", "never said": no statement
    let mut j = c.tok;
    while j > lo {
        let roles = ctx.roles(j - 1);
        if roles & Words::NEG != 0 {
            return None;
        }
        if roles & (Words::SKIP | Words::CALENDAR) == 0 {
            break;
        }
        j -= 1;
    }
    // "Talks will resume next week, Jane Roe said on Monday."
    if c.info.clause && closes_sentence(ctx, after, hi) {
        let sp = doc.token_at_or_after(spk.span.start);
        let from = ctx
            .mention(sp)
            .and_then(|m| m.title)
            .map_or(sp, |t| doc.token_at_or_after(t.start).min(sp));
        // the speaker's phrase: from its mention (or the determiner and
        // words before it) to the cue
        let comma = trailing_comma(ctx, lo, c.tok, from)?;
        if !clause_before(ctx, lo, comma) {
            return None;
        }
        let st = statement(ctx, c, spk, lo, comma, lo, hi, None, utterance);
        return Some((st, None));
    }
    let mut k = after;
    // the addressee: "told Blinken", "told the foreign minister", "told reporters"
    if c.info.addressee && k < hi {
        if let Some(m) = ctx
            .mention_or_titled(k)
            .or_else(|| (k + 1 < hi).then(|| ctx.mention_or_titled(k + 1)).flatten())
        {
            if m.entity.is_some() {
                k = doc.token_at_or_after(m.span.end).max(k + 1);
            }
        } else if let Some(a) =
            (k..hi.min(k + 4)).find_map(|t| ctx.m.audiences.longest_at(doc, t).map(|(n, _)| t + n))
        {
            k = a;
        }
    }
    // "that" a little further on: "said in a statement that …", but not a
    // relative after the object ("said the plan that X made was dead")
    let mut that = false;
    let k0 = k;
    let reach = hi.min(k + THAT_REACH);
    let mut t = k;
    let may_scan = c.info.addressee
        || (k < hi && (ctx.is(k, Words::PREP | Words::THAT) || ctx.w(k) == ","))
        || past_date_words(ctx, k, hi) > k;
    while may_scan && t < reach {
        let w = ctx.w(t);
        if ctx.is(t, Words::THAT) {
            k = t + 1;
            that = true;
            break;
        }
        if matches!(w, "." | ";" | ":" | "!" | "?") || ctx.cue_at(t).is_some() {
            break;
        }
        t += 1;
    }
    // a verb that reports only through "that", right after it or its
    // addressee and date words ("replied on Monday that")
    let through_that = that && past_date_words(ctx, k0, t) == t;
    if !(c.info.clause || through_that) {
        return None;
    }
    // date words and adverbs: "said Monday he", "said on Tuesday that"
    k = past_date_words(ctx, k, hi);
    if k >= hi {
        return None;
    }
    let roles = ctx.roles(k);
    let tok = doc.tokens[k];
    let upper = tok.kind == TokenKind::Word
        && doc
            .token_text(k)
            .chars()
            .next()
            .is_some_and(|ch| ch.is_uppercase());
    // a lower-case word opens a clause after "that", or when a verb
    // follows it closely ("said thousands had fled")
    let lower_clause = tok.kind == TokenKind::Word
        && roles & Words::PREP == 0
        && (that
            || (k + 1..hi.min(k + 5))
                .take_while(|&t| doc.tokens[t].kind != TokenKind::Punct)
                .any(|t| ctx.is(t, Words::AUX)));
    let opens_clause = roles & Words::SUBJECT != 0
        || ctx.mention(k).is_some()
        || tok.kind == TokenKind::Number
        || upper
        || lower_clause;
    if !opens_clause || (roles & Words::PREP != 0 && !that) || roles & Words::WH != 0 {
        return None;
    }
    let mut end = last_word_end(ctx, k, hi);
    // a verb that also takes a noun object: "denied a report that …" is no
    // clause, "confirmed the visit would go ahead" is (a clause opened by a
    // pronoun needs no auxiliary: "noted it")
    let pronoun = roles & Words::SUBJECT != 0 && roles & Words::DET == 0;
    if c.info.object && !that && !pronoun {
        let verb = (k + 1..end)
            .take_while(|&t| {
                !ctx.is(t, Words::THAT | Words::RELATIVE) && doc.tokens[t].kind != TokenKind::Punct
            })
            .any(|t| ctx.is(t, Words::AUX));
        if !verb {
            return None;
        }
    }
    // ", but added …": the clause ends at the comma, the next cue speaks on
    let mut cut = None;
    for t in k..end.saturating_sub(1) {
        if doc.tokens[t].kind == TokenKind::Punct
            && doc.token_text(t) == ","
            && ctx.is(t + 1, Words::LINK)
        {
            let mut j = t + 2;
            while j < end && ctx.is(j, Words::SKIP) {
                j += 1;
            }
            if j < end && ctx.cue_at(j).is_some() {
                cut = Some(t);
                end = t;
                break;
            }
        }
    }
    if end < k + MIN_CLAUSE {
        return None;
    }
    // after a cut, the clause before it is reported too: none of its dates
    let dates_from = (before.is_none() && carry.is_some()).then_some(lo);
    let st = statement(ctx, c, spk, k, end, lo, hi, dates_from, utterance);
    Some((st, cut))
}

/// Past an apposition right after "According to X,": "the newsletter's
/// editor," (a short phrase opened by a determiner, with no verb, followed
/// by a comma and a clause's opening); else `a`.
fn past_apposition(ctx: &Ctx, a: usize, hi: usize) -> usize {
    if a >= hi || !ctx.is(a, Words::DET) {
        return a;
    }
    let Some(e) = (a + 1..hi.min(a + 8)).find(|&t| ctx.w(t) == ",") else {
        return a;
    };
    let verbless = (a..e).all(|t| {
        ctx.doc.tokens[t].kind != TokenKind::Punct
            && !ctx.is(t, Words::AUX | Words::THAT | Words::RELATIVE | Words::WH)
            && ctx.cue_at(t).is_none()
    });
    let n = e + 1;
    let opens = n < hi
        && (ctx.mention(n).is_some()
            || ctx.doc.tokens[n].kind == TokenKind::Number
            || (ctx.is(n, Words::SUBJECT) && !ctx.is(n, Words::WH | Words::RELATIVE))
            || ctx
                .doc
                .token_text(n)
                .chars()
                .next()
                .is_some_and(char::is_uppercase));
    if verbless && opens {
        n
    } else {
        a
    }
}

/// The reported statement of cue `c` by `spk` whose clause is the tokens
/// `[a, b)` of the sentence `[lo, hi)`; no date is read from the clause,
/// nor from token `dates_from` on, when given.
#[allow(clippy::too_many_arguments)]
fn statement<'a>(
    ctx: &Ctx<'a>,
    c: Cue<'a>,
    spk: Speaker,
    a: usize,
    b: usize,
    lo: usize,
    hi: usize,
    dates_from: Option<usize>,
    utterance: usize,
) -> Statement {
    let doc = ctx.doc;
    let span = Span::new(doc.tokens[a].span.start, doc.tokens[b - 1].span.end);
    let skip = match dates_from {
        Some(t) => Span::new(doc.tokens[t].span.start.min(span.start), span.end),
        None => span,
    };
    let (addressee, audience) = ctx.addressee_of(c, hi);
    let spk_entity = Some(spk.entity);
    let lemma = c.info.lemma.clone();
    Statement {
        span,
        direct: false,
        speaker: spk_entity,
        speaker_span: Some(spk.span),
        addressee: addressee
            .and_then(|m| m.entity)
            .filter(|&e| Some(e) != spk_entity),
        audience,
        cue: Some(ctx.cue_span(c)),
        cameo: c.info.cameo.clone(),
        cue_lemma: Some(lemma),
        evidence: ctx.evidence(lo, hi - 1),
        // a date inside the clause is the reported event's
        date: ctx.date_outside(Some(c), skip),
        utterance,
        mentions: ctx.mentions_in(span),
    }
}
