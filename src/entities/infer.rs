//! Names the gazetteer does not know, recognised by how news introduces
//! them: a title ("Foreign Minister Qin Gang", "Mr. Kabila"), an apposition
//! ("Sun Yi, 26,"), a byline, a speech verb ("said Jane Roe"), an
//! organization form ("Ministry of X", "X Party"), an acronym definition
//! ("the Democratic Republic of the Congo (DRC)"), a locative phrase ("in
//! Muscat") or the dateline city. Titles followed by a short form of a
//! known person ("President Xi") resolve to that person.

use super::model::{bit, Builder, PersonIndex};
use super::How;
use crate::document::{Span, TokenKind};
use crate::gazetteer::EntityKind;

/// A run of name tokens starting at token `i`: (first, end-exclusive).
/// Allows initials ("R."), inner particles ("bin", "da"), hyphenated and
/// apostrophised parts ("Al-Sisi", "O'Brien"), and "Jr." at the end.
#[inline(always)]
pub(super) fn name_run(b: &Builder, i: usize, max_words: usize) -> Option<(usize, usize)> {
    name_runs(b, i, max_words, max_words).map(|(a, _, e)| (a, e))
}

/// [`name_run`]`(b, i, max_words)` as (first, the end [`name_run`]`(b, i,
/// short)` has, end): the shorter run is read on the way (`short <=
/// max_words`; the two read alike until `short` words).
#[inline(always)]
pub(super) fn name_runs(
    b: &Builder,
    i: usize,
    max_words: usize,
    short: usize,
) -> Option<(usize, usize, usize)> {
    let toks = &b.doc.tokens;
    if i >= toks.len() || !b.name_word(i) {
        return None;
    }
    let sent = toks[i].sentence;
    let mut words = 1;
    let mut end = i + 1;
    let mut short_end = None;
    // an initial's period
    if end < toks.len()
        && b.tok_is(end, b'.')
        && toks[end].span.start == toks[end - 1].span.end
        && b.tok(i).chars().count() == 1
    {
        end += 1;
    }
    loop {
        if words >= short && short_end.is_none() {
            short_end = Some(end);
        }
        if words >= max_words || end >= toks.len() || toks[end].sentence != sent {
            break;
        }
        let adjacent = toks[end].span.start == toks[end - 1].span.end;
        // hyphen or apostrophe joining two capitalised parts
        if adjacent
            && matches!(b.tok_bytes(end), b"-" | b"'" | b"\xe2\x80\x99")
            && end + 1 < toks.len()
            && b.name_word(end + 1)
            && toks[end + 1].span.start == toks[end].span.end
        {
            end += 2;
            continue;
        }
        if b.name_word_inner(end) && !adjacent {
            if b.has(end, bit::COMMON) && !b.has(end, bit::ORG_SUFFIX | bit::PLACE_SUFFIX) {
                break;
            }
            end += 1;
            words += 1;
            if end < toks.len()
                && b.tok_is(end, b'.')
                && toks[end].span.start == toks[end - 1].span.end
                && b.tok(end - 1).chars().count() == 1
            {
                end += 1;
            }
            continue;
        }
        if b.has(end, bit::PARTICLE) && end + 1 < toks.len() && b.name_word(end + 1) {
            end += 1;
            continue;
        }
        break;
    }
    // "Jr." after a comma
    Some((i, short_end.unwrap_or(end), end))
}

/// The run of four words at most starting at token `i` ([`name_run`]`(b, i,
/// 4)`), read from the runs [`organizations`] noted (`runs4` from `*k` on,
/// `*k` moved past the runs starting before `i`: callers ask in token
/// order), else read anew.
#[inline(always)]
fn name_run4(
    b: &Builder,
    runs4: &[(usize, usize)],
    k: &mut usize,
    i: usize,
) -> Option<(usize, usize)> {
    while *k < runs4.len() && runs4[*k].0 < i {
        *k += 1;
    }
    match runs4.get(*k) {
        Some(&(s, e)) if s == i => Some((i, e)),
        _ => name_run(b, i, 4),
    }
}

pub(super) fn span_of(b: &Builder, a: usize, e: usize) -> Span {
    Span::new(b.doc.tokens[a].span.start, b.doc.tokens[e - 1].span.end)
}

/// Does the run look like a personal name (no common words, no month,
/// not an organization form)?
fn personal(b: &Builder, a: usize, e: usize) -> bool {
    if b.has(a, bit::COMMON) || b.has(e - 1, bit::ORG_SUFFIX | bit::PLACE_SUFFIX) {
        return false;
    }
    // a single word in capitals is an acronym
    let mut words = (a..e)
        .map(|k| b.tok(k))
        .filter(|w| w.chars().any(char::is_alphabetic));
    match (words.next(), words.next()) {
        (Some(w), None) => !(w.len() > 1 && w.chars().all(|c| c.is_uppercase())),
        _ => true,
    }
}

/// Title-case a name written in capitals ("TANDON" → "Tandon").
pub(super) fn tidy(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for (k, w) in name.split(' ').enumerate() {
        if k > 0 {
            out.push(' ');
        }
        let mut cs = w.chars();
        match cs.next() {
            Some(f) if !cs.as_str().is_empty() && w.chars().all(|c| !c.is_lowercase()) => {
                out.push(f);
                out.push_str(&cs.as_str().to_lowercase());
            }
            _ => out.push_str(w),
        }
    }
    out
}

/// [`tidy`] as it was first written (the reference it is tested against).
#[cfg(test)]
pub(super) fn tidy_reference(name: &str) -> String {
    name.split(' ')
        .map(|w| {
            if w.chars().count() > 1 && w.chars().all(|c| !c.is_lowercase()) {
                let mut cs = w.chars();
                let f = cs.next().unwrap();
                f.to_string() + &cs.as_str().to_lowercase()
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Find the doc/gazetteer person a single short form refers to: one named
/// earlier in the document, else a gazetteer person holding `role` on the
/// date, else the only gazetteer person with that short form.
pub(super) fn resolve_short(
    b: &mut Builder,
    ix: &PersonIndex,
    form: &str,
    role: Option<&str>,
    before: usize,
) -> Option<usize> {
    // a person the document already named
    if let Some(e) = ix.lookup(form, before) {
        return Some(e);
    }
    let cands = b.m.shorts.get(form)?.clone();
    let date = b.doc.date;
    let pick = if let Some(r) = role {
        let holding: Vec<usize> = cands
            .iter()
            .copied()
            .filter(|&p| b.m.gazetteer.person_held_role(p, r, date))
            .collect();
        if holding.len() == 1 {
            Some(holding[0])
        } else if cands.len() == 1 {
            Some(cands[0])
        } else {
            None
        }
    } else if cands.len() == 1 {
        Some(cands[0])
    } else {
        None
    };
    pick.map(|gi| b.gaz_entity(gi))
}

pub(super) fn run(b: &mut Builder) {
    byline_and_dateline(b);
    titles_before_names(b);
    organizations(b);
    acronyms(b);
    appositions_and_speech(b);
    locatives(b);
}

#[inline(never)]
fn byline_and_dateline(b: &mut Builder) {
    if let Some(sp) = b.doc.byline {
        // "By Jane ROE and John DOE": each name
        let text = b.doc.slice(sp).to_string();
        let mut off = 0;
        for part in text.split(" and ") {
            let start = sp.start + off;
            let name = part.trim_end_matches([',', ' ']);
            if !name.is_empty() {
                let s = Span::new(start, start + name.len());
                let e = b.inferred_entity(&tidy(name), EntityKind::Person, None);
                b.add(s, Some(e), EntityKind::Person, How::Inferred);
            }
            off += part.len() + 5;
        }
    }
    // an agency credit the gazetteer has no name for ("(MENA)")
    if let Some(agency) = b.doc.dateline.as_ref().and_then(|d| d.agency) {
        if !b.is_claimed(agency) {
            if let Some(&gi) = b.m.credits.get(b.doc.slice(agency)) {
                let e = b.gaz_entity(gi);
                b.add(agency, Some(e), EntityKind::Organization, How::Gazetteer);
            }
        }
    }
    if let Some(city) = b.doc.dateline.as_ref().and_then(|d| d.city) {
        if !b.is_claimed(city) {
            let name = tidy(b.doc.slice(city));
            // a known place in capitals ("KINSHASA") is matched by the gazetteer already
            let e = b.inferred_entity(&name, EntityKind::Place, None);
            b.add(city, Some(e), EntityKind::Place, How::Inferred);
        }
    }
}

/// "Foreign Minister Qin Gang", "President Xi", "Mr. Kabila", "U.S.
/// Ambassador to Oman Ana Escrogima".
#[inline(never)]
fn titles_before_names(b: &mut Builder) {
    let n = b.doc.tokens.len();
    b.sort_mentions();
    // the persons named so far, indexed when first needed (nothing the
    // index reads changes before: the pass adds no mention until then)
    let mut ix: Option<PersonIndex> = None;
    let mut i = 0;
    while i < n {
        i = b.next_with(i, bit::TITLE);
        if i >= n {
            break;
        }
        if b.in_heading(i) || !b.name_word(i) || !b.has(i, bit::TITLE) {
            i += 1;
            continue;
        }
        let Some((len, info)) = b.m.titles.longest_at(b.doc, i) else {
            i += 1;
            continue;
        };
        let info = info.clone();
        // every title word capitalised (a title before a name is written so)
        let caps = (i..i + len).all(|k| !b.has(k, bit::LOWER) || b.tok(k) == "of");
        if !caps {
            i += 1;
            continue;
        }
        let title_span = span_of(b, i, i + len);
        let mut j = i + len;
        // "Ambassador to Oman", "Minister of Foreign Affairs of Georgia": skip "to/of X"
        if j + 1 < n && matches!(b.tok(j), "to" | "of" | "for") && b.name_word(j + 1) {
            // the place or organization named there (a gazetteer mention)
            let start = b.doc.tokens[j + 1].span.start;
            if let Some(k) = b.mention_overlapping(Span::new(start, start + 1)) {
                let end = b.layer.mentions[k].span.end;
                let mut e = j + 1;
                while e < n && b.doc.tokens[e].span.start < end {
                    e += 1;
                }
                // keep going only if a name follows
                if e < n && b.name_word(e) {
                    j = e;
                }
            }
        }
        // honorifics after an office title ("Foreign Minister Dr. Abbas")
        while j < n && b.has(j, bit::TITLE) {
            match b.m.titles.longest_at(b.doc, j) {
                Some((l2, t2)) if t2.kind == "honorific" && b.name_word(j) => j += l2,
                _ => break,
            }
        }
        let Some((a, e)) = name_run(b, j, 5) else {
            i += len;
            continue;
        };
        let span = span_of(b, a, e);
        if b.is_claimed(span) {
            // a gazetteer name: give it the title
            if let Some(k) = b.mention_overlapping(span) {
                let m = &mut b.layer.mentions[k];
                if m.kind == EntityKind::Person {
                    m.title = Some(title_span);
                    m.role = info.role.clone();
                }
            }
            i = e;
            continue;
        }
        if !personal(b, a, e) {
            i = e;
            continue;
        }
        let ix = ix.get_or_insert_with(|| PersonIndex::build(b));
        let name = b.doc.slice(span).to_string();
        let words = e - a;
        let entity = if words == 1 || (words == 2 && b.tok(e - 1) == ".") {
            resolve_short(b, ix, &name, info.role.as_deref(), span.start)
        } else {
            None
        };
        let (entity, how) = match entity {
            Some(x) => (x, How::Surname),
            None => (
                b.inferred_entity(&tidy(&name), EntityKind::Person, info.gender),
                How::Inferred,
            ),
        };
        if b.add(span, Some(entity), EntityKind::Person, how) {
            let m = b.layer.mentions.last_mut().unwrap();
            m.title = Some(title_span);
            m.role = info.role.clone();
            ix.note(b, entity, span.start);
        }
        i = e;
    }
}

/// "Democratic Republic of the Congo (DRC)": the acronym becomes an alias
/// of the entity before it; later uses of the acronym are mentions.
#[inline(never)]
fn acronyms(b: &mut Builder) {
    let n = b.doc.tokens.len();
    b.sort_mentions();
    let mut defs: crate::lexicon::FxMap<String, (usize, EntityKind)> = Default::default();
    let toks = &b.doc.tokens;
    let text = b.doc.text.as_bytes();
    let is = |k: usize, c: u8| toks[k].span.len() == 1 && text[toks[k].span.start] == c;
    // the tokens "("
    let mut next = 0;
    while next < n {
        let i = b.next_with(next, bit::OPEN_PAREN);
        if i >= n {
            break;
        }
        next = i + 1;
        if !b.has(i, bit::OPEN_PAREN) {
            continue;
        }
        if i < 1 || i + 2 >= n || !is(i + 2, b')') {
            continue;
        }
        let acr = b.tok(i + 1);
        if b.in_heading(i) || acr.len() < 2 || !acr.chars().all(|c| c.is_uppercase() || c == '.') {
            continue;
        }
        let before = b.doc.tokens[i - 1].span;
        let Some(m) = b
            .mention_overlapping(Span::new(before.end - 1, before.end))
            .map(|k| &b.layer.mentions[k])
            .filter(|m| m.span.end == before.end && m.entity.is_some())
        else {
            continue;
        };
        let (e, k) = (m.entity.unwrap(), m.kind);
        let acr_span = b.doc.tokens[i + 1].span;
        if !b.is_claimed(acr_span) {
            b.add(acr_span, Some(e), k, How::Surname);
        }
        defs.insert(acr.to_string(), (e, k));
    }
    if defs.is_empty() {
        return;
    }
    for i in 0..n {
        let t = b.tok(i);
        if let Some(&(e, k)) = defs.get(t) {
            let sp = b.doc.tokens[i].span;
            b.add(sp, Some(e), k, How::Surname);
        }
    }
}

/// "Ministry of Foreign Affairs", "Ba'ath Party", "National Security Council".
#[inline(never)]
fn organizations(b: &mut Builder) {
    let n = b.doc.tokens.len();
    // (room for the runs of most documents: about one per eight tokens)
    b.runs4.reserve(n / 8 + 8);
    let mut i = 0;
    while i < n {
        i = b.next_with(i, bit::ORG_PREFIX | bit::NAME_WORD);
        if i >= n {
            break;
        }
        if b.in_heading(i) {
            i += 1;
            continue;
        }
        // prefix forms: "Ministry of X"
        if let Some((len, _)) = b
            .has(i, bit::ORG_PREFIX)
            .then(|| b.m.org_prefix.longest_at(b.doc, i))
            .flatten()
        {
            if b.name_word(i) && i + len < n && b.name_word(i + len) {
                if let Some((_, mut e)) = name_run(b, i + len, 4) {
                    // "Office of Management and Budget", "Ministry of Trade and Industry"
                    if e + 1 < n
                        && matches!(b.tok_bytes(e), b"and" | b"&")
                        && b.doc.tokens[e].sentence == b.doc.tokens[i].sentence
                        && b.name_word(e + 1)
                    {
                        if let Some((_, e2)) = name_run(b, e + 1, 3) {
                            e = e2;
                        }
                    }
                    let span = span_of(b, i, e);
                    if !b.is_claimed(span) {
                        let name = b.doc.slice(span).to_string();
                        let ent = b.inferred_entity(&name, EntityKind::Organization, None);
                        b.add(span, Some(ent), EntityKind::Organization, How::Inferred);
                    }
                    i = e;
                    continue;
                }
            }
        }
        // suffix forms: a capitalised run ending in "Party", "Council" … (an
        // organization; "and" may join parts: "Office of Management and
        // Budget") or in "Square", "Base" … (a place)
        if b.name_word(i)
            && (i == 0
                || !b.name_word(i - 1)
                || b.doc.tokens[i - 1].sentence != b.doc.tokens[i].sentence)
        {
            if let Some((a, e4, mut e)) = name_runs(b, i, 6, 4) {
                // (the run of four words at most is the one appositions
                // read from the same token)
                b.runs4.push((a, e4));
                while e + 1 < n
                    && matches!(b.tok_bytes(e), b"and" | b"&")
                    && b.doc.tokens[e].sentence == b.doc.tokens[i].sentence
                    && b.name_word(e + 1)
                {
                    match name_run(b, e + 1, 4) {
                        Some((_, e2)) if b.has(e2 - 1, bit::ORG_SUFFIX) => e = e2,
                        _ => break,
                    }
                }
                let kind = if b.has(e - 1, bit::ORG_SUFFIX) {
                    Some(EntityKind::Organization)
                } else if b.has(e - 1, bit::PLACE_SUFFIX) {
                    Some(EntityKind::Place)
                } else {
                    None
                };
                let mut added = false;
                if let (Some(kind), true) = (kind, e - a >= 2) {
                    // drop a leading common word ("The", "A")
                    let a2 = if b.has(a, bit::COMMON) { a + 1 } else { a };
                    if e - a2 >= 2 {
                        let span = span_of(b, a2, e);
                        if !b.is_claimed(span) {
                            let name = b.doc.slice(span).to_string();
                            let ent = b.inferred_entity(&name, kind, None);
                            added = b.add(span, Some(ent), kind, How::Inferred);
                        }
                    }
                }
                // nothing found: the next word may start a prefix form ("The Ministry of …")
                i = if added { e } else { i + 1 };
                continue;
            }
        }
        i += 1;
    }
}

/// "Sun Yi, 26,", "Jane Roe, the foreign minister,", "said Jane Roe",
/// "Jane Roe said".
#[inline(never)]
fn appositions_and_speech(b: &mut Builder) {
    let n = b.doc.tokens.len();
    let runs4 = std::mem::take(&mut b.runs4);
    let mut k = 0;
    let mut i = 0;
    while i < n {
        i = b.next_with(i, bit::NAME_WORD);
        if i >= n {
            break;
        }
        if b.in_heading(i)
            || !b.name_word(i)
            || (i > 0
                && b.name_word(i - 1)
                && b.doc.tokens[i - 1].sentence == b.doc.tokens[i].sentence)
        {
            i += 1;
            continue;
        }
        let Some((a, e)) = name_run4(b, &runs4, &mut k, i) else {
            i += 1;
            continue;
        };
        let span = span_of(b, a, e);
        let words = (a..e)
            .filter(|&k| b.doc.tokens[k].kind == TokenKind::Word)
            .count();
        if words < 2 || b.is_claimed(span) || !personal(b, a, e) {
            i = e;
            continue;
        }
        let after = |k: usize| if e + k < n { b.tok(e + k) } else { "" };
        let age = after(0) == ","
            && b.doc
                .tokens
                .get(e + 1)
                .is_some_and(|t| t.kind == TokenKind::Number)
            && matches!(after(2), "," | ")" | ".");
        let role_appos = after(0) == "," && e + 1 < n && role_phrase_after(b, e + 1);
        let who = after(0) == "," && matches!(after(1), "who" | "whose");
        let speech_at =
            |k: usize| b.has(k, bit::SPEECH) && b.m.speech.longest_at(b.doc, k).is_some();
        let said_after =
            (e < n && speech_at(e)) || (after(0) == "," && e + 1 < n && speech_at(e + 1));
        let said_before = a > 0
            && b.has(a - 1, bit::SPEECH)
            && b.m
                .speech
                .longest_at(b.doc, a - 1)
                .is_some_and(|(l, _)| l == 1);
        let noun_before = a > 0 && person_noun_ending_at(b, a);
        let intro = (1..=3).any(|k| {
            a >= k
                && b.has(a - k, bit::NAME_INTRO)
                && b.m
                    .name_intros
                    .longest_at(b.doc, a - k)
                    .is_some_and(|(l, _)| l == k)
        });
        if age || role_appos || who || said_after || said_before || noun_before || intro {
            let name = b.doc.slice(span).to_string();
            let ent = b.inferred_entity(&tidy(&name), EntityKind::Person, None);
            b.add(span, Some(ent), EntityKind::Person, How::Inferred);
        }
        i = e;
    }
    b.runs4 = runs4;
}

/// "in Muscat", "arrived in Kigali": a capitalised name after a locative
/// preposition becomes a place when nothing else claims it and it does not
/// look like a person or organization.
#[inline(never)]
fn locatives(b: &mut Builder) {
    let n = b.doc.tokens.len();
    let runs4 = std::mem::take(&mut b.runs4);
    let mut k = 0;
    // the words of the persons' names, made when first needed (the pass
    // adds no person)
    let mut person_words: Option<crate::lexicon::FxSet<String>> = None;
    let mut i = 0;
    while i < n {
        let next = b.next_with(i, bit::LOCATIVE);
        if next >= n {
            break;
        }
        i = next + 1;
        let i = next;
        // lowercase preposition only ("In" at a sentence start is common)
        if !b.has(i, bit::LOCATIVE) || b.has(i, bit::UPPER) {
            continue;
        }
        let Some((len, _)) = b.m.locatives.longest_at(b.doc, i) else {
            continue;
        };
        let j = i + len;
        if j >= n || b.in_heading(j) {
            continue;
        }
        let Some((a, e)) = name_run4(b, &runs4, &mut k, j) else {
            continue;
        };
        let span = span_of(b, a, e);
        if b.is_claimed(span) || !personal(b, a, e) {
            continue;
        }
        // a longer name than we read, or a person's name ("at Reno's side")
        if e < n && b.name_word(e) && b.doc.tokens[e].sentence == b.doc.tokens[a].sentence {
            continue;
        }
        let person_words = person_words.get_or_insert_with(|| {
            b.layer
                .entities
                .iter()
                .filter(|e| e.kind == EntityKind::Person)
                .flat_map(|e| e.name.split_whitespace().map(str::to_string))
                .collect()
        });
        if person_words.contains(b.tok(a)) {
            continue;
        }
        // followed by a capitalised word or possessive: probably something else
        let next = if e < n { b.tok(e) } else { "" };
        if matches!(next, "'" | "’") {
            continue;
        }
        let name = b.doc.slice(span).to_string();
        if name.chars().all(|c| c.is_uppercase()) && name.len() > 1 {
            continue;
        }
        let ent = b.inferred_entity(&name, EntityKind::Place, None);
        b.add(span, Some(ent), EntityKind::Place, How::Inferred);
    }
}

/// After an apposition comma: "the foreign minister", "a former Clinton
/// aide", "the Burmese leader", "Iran's top negotiator" — a determiner, up
/// to five modifiers, then a role or person noun before the next comma.
fn role_phrase_after(b: &Builder, k: usize) -> bool {
    let n = b.doc.tokens.len();
    let sent = b.doc.tokens[k].sentence;
    let mut j = k;
    if j < n && matches!(b.doc.lower(j), "the" | "a" | "an" | "his" | "her" | "their") {
        j += 1;
    } else if !(j < n && title_at(b, j)) {
        return false;
    }
    for _ in 0..6 {
        if j >= n || b.doc.tokens[j].sentence != sent || matches!(b.tok(j), "," | "." | ";" | ":") {
            return false;
        }
        if (b.has(j, bit::PERSON_NOUN) && b.m.person_nouns.longest_at(b.doc, j).is_some())
            || (b.has(j, bit::ROLE) && b.m.roles.longest_at(b.doc, j).is_some())
            || title_at(b, j)
        {
            return true;
        }
        j += 1;
    }
    false
}

/// Does a title that is not an honorific start at token `j`?
fn title_at(b: &Builder, j: usize) -> bool {
    b.has(j, bit::TITLE)
        && b.m
            .titles
            .longest_at(b.doc, j)
            .is_some_and(|(_, t)| t.kind != "honorific")
}

/// Does a lowercase person noun end right before token `a` ("counterpart
/// Omar Bongo", "spokesman Wang Wenbin")?
fn person_noun_ending_at(b: &Builder, a: usize) -> bool {
    let sent = b.doc.tokens[a].sentence;
    (1..=2).any(|l| {
        a >= l
            && b.doc.tokens[a - l].sentence == sent
            && b.has(a - l, bit::LOWER)
            && b.has(a - l, bit::PERSON_NOUN)
            && b.m
                .person_nouns
                .longest_at(b.doc, a - l)
                .is_some_and(|(len, _)| len == l)
    })
}
