//! Reported speech: "Xi said Monday he saw headway in …", "Blinken said he
//! also raised concern about …", "Albright told the minister that …" — a
//! statement with `direct: false` whose span is the reported clause.
//!
//! Read in sentences without quotes (a sentence with a quote is covered by
//! its direct statements), at the first cue that introduces a clause (the
//! `clause` column of `speech_verbs.tsv`) and has a subject in the entity
//! layer. The clause starts after the addressee, date words and "that",
//! and must open like a clause (a pronoun, determiner, name or number).

use super::attribution::{Ctx, Cue};
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
        for &t in cands[ci..].iter().take_while(|&&t| t < hi) {
            if t < next {
                continue;
            }
            let Some(c) = ctx.cue_at(t) else {
                continue;
            };
            if c.info.clause {
                if let Some(st) = reported_at(ctx, c, lo, hi, *next_utterance) {
                    *next_utterance += 1;
                    out.push(st);
                    break;
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

fn reported_at<'a>(
    ctx: &Ctx<'a>,
    c: Cue<'a>,
    lo: usize,
    hi: usize,
    utterance: usize,
) -> Option<Statement> {
    let doc = ctx.doc;
    let spk = match ctx.subject_before(c.tok, lo) {
        Some(m) => ctx.resolve(m, c.tok)?,
        None => {
            let (m, linked) = ctx.speaker_of(c, lo, c.tok, true);
            m.filter(|_| linked)?
        }
    };
    let mut k = c.tok + c.len;
    // the addressee: "told Blinken", "told the foreign minister", "told reporters"
    if c.info.addressee && k < hi {
        if let Some(m) = ctx
            .mention(k)
            .or_else(|| (k + 1 < hi).then(|| ctx.mention(k + 1)).flatten())
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
    // "that" a little further on: "said in a statement that …"
    let reach = hi.min(k + THAT_REACH);
    let mut t = k;
    while t < reach {
        let w = ctx.w(t);
        if ctx.is(t, Words::THAT) {
            k = t + 1;
            break;
        }
        if matches!(w, "." | ";" | ":" | "!" | "?") || ctx.cue_at(t).is_some() {
            break;
        }
        t += 1;
    }
    // date words and adverbs: "said Monday he", "said on Tuesday that"
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
    if k >= hi {
        return None;
    }
    let roles = ctx.roles(k);
    let tok = doc.tokens[k];
    let opens_clause = roles & Words::SUBJECT != 0
        || ctx.mention(k).is_some()
        || tok.kind == TokenKind::Number
        || (tok.kind == TokenKind::Word
            && doc
                .token_text(k)
                .chars()
                .next()
                .is_some_and(|ch| ch.is_uppercase()));
    if !opens_clause || roles & Words::PREP != 0 {
        return None;
    }
    let mut end = hi;
    while end > k && doc.tokens[end - 1].kind == TokenKind::Punct {
        end -= 1;
    }
    if end < k + MIN_CLAUSE {
        return None;
    }
    let span = Span::new(doc.tokens[k].span.start, doc.tokens[end - 1].span.end);
    let (addressee, audience) = ctx.addressee_of(c, hi);
    let spk_entity = Some(spk.entity);
    let lemma = c.info.lemma.clone();
    Some(Statement {
        span,
        direct: false,
        speaker: spk_entity,
        speaker_span: Some(spk.span),
        addressee: addressee
            .and_then(|m| m.entity)
            .filter(|&e| Some(e) != spk_entity),
        audience,
        cue: Some(ctx.cue_span(c)),
        cameo: ctx.m.cameo_for(Some(&lemma)),
        cue_lemma: Some(lemma),
        evidence: ctx.evidence(lo, hi - 1),
        date: ctx.date_of(Some(c)),
        utterance,
        mentions: ctx.mentions_in(span),
    })
}
