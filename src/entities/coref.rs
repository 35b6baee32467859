//! Back-references inside a document: office titles resolved on the
//! document date, surnames and partial names, role descriptions ("the
//! minister", "the Chinese leader") and pronouns.

use super::model::{bit, Builder, PersonIndex};
use super::{How, Mention};
use crate::document::Span;
use crate::gazetteer::offices::has_word;
use crate::gazetteer::EntityKind;

pub(super) fn run(b: &mut Builder) {
    b.sort_mentions();
    office_titles(b);
    b.sort_mentions();
    plural_offices(b);
    surnames(b);
    b.sort_mentions();
    descriptions(b);
    b.sort_mentions();
    pronouns(b);
}

/// Office-title hits of the gazetteer ("Secretary of State", "top US
/// diplomat"): a title right before a person's name belongs to that name;
/// otherwise it refers to whoever held the office on the document date.
#[inline(never)]
fn office_titles(b: &mut Builder) {
    let hits = std::mem::take(&mut b.office_hits);
    for (span, oi) in hits {
        let office = &b.m.gazetteer.offices[oi];
        let role = office.role.clone();
        // followed (after spaces / honorifics) by a person mention?
        let k = b.first_mention_from(span.end);
        let next = b.sorted()[k..]
            .iter()
            .take(4)
            .position(|m| m.kind == EntityKind::Person)
            .map(|p| k + p);
        if let Some(k) = next {
            let start = b.layer.mentions[k].span.start;
            let gap = &b.doc.text[span.end..start];
            if gap.len() <= 12
                && gap
                    .split_whitespace()
                    .all(|w| w.ends_with('.') || w.chars().next().is_some_and(char::is_uppercase))
            {
                let m = &mut b.layer.mentions[k];
                m.title = Some(span);
                m.role = Some(role);
                continue;
            }
        }
        if b.is_claimed(span) {
            continue;
        }
        let person = b.doc.date.and_then(|d| b.m.gazetteer.holder_on(oi, d));
        let entity = person.map(|p| b.gaz_entity(p));
        if b.add(span, entity, EntityKind::Person, How::Office) {
            b.layer.mentions.last_mut().unwrap().role = Some(role);
        }
    }
}

/// Most countries read in one coordinated plural title.
const MAX_COORDINATED: usize = 8;

/// A plural office title coordinated over countries: "the foreign
/// ministers of Russia and Turkey", "the Chinese and Indian foreign
/// ministers". Each country's mention becomes a mention of whoever held
/// that country's office on the document date (one mention per country,
/// on the country's own span, the role phrase as its title). When one
/// country's holder on the date is unknown, all keep their place mentions.
#[inline(never)]
fn plural_offices(b: &mut Builder) {
    let n = b.doc.tokens.len();
    let mut changes: Vec<(usize, Option<usize>, String, Span)> = Vec::new();
    let mut i = 0;
    while i < n {
        i = b.next_with(i, bit::PLURAL_ROLE);
        if i >= n {
            break;
        }
        if !b.has(i, bit::PLURAL_ROLE) {
            i += 1;
            continue;
        }
        let Some((len, info)) = b.m.plural_roles.longest_at(b.doc, i) else {
            i += 1;
            continue;
        };
        let Some(role) = info.role.clone() else {
            i += len;
            continue;
        };
        let role_span = Span::new(
            b.doc.tokens[i].span.start,
            b.doc.tokens[i + len - 1].span.end,
        );
        if b.is_claimed(role_span) {
            i += len;
            continue;
        }
        // "the foreign ministers of Russia and Turkey"
        let mut countries = if i + len < n && b.doc.lower(i + len) == "of" {
            countries_right(b, i + len + 1)
        } else {
            Vec::new()
        };
        // "the Chinese and Indian foreign ministers"
        if countries.is_empty() {
            let mut k = i;
            while k > 0 && b.has(k - 1, bit::ROLE_MODIFIER) {
                k -= 1;
            }
            countries = countries_left(b, k);
        }
        // all or none: a pair read as one of its members would misreport
        let holders: Option<Vec<(usize, usize)>> = b.doc.date.and_then(|d| {
            countries
                .iter()
                .map(|&mi| {
                    let cg = b.sorted()[mi]
                        .entity
                        .and_then(|c| b.layer.entities[c].gazetteer)?;
                    let (_, p) = b.m.gazetteer.role_holder_on(cg, &role, d)?;
                    Some((mi, p))
                })
                .collect()
        });
        for (mi, p) in holders.unwrap_or_default() {
            let e = b.gaz_entity(p);
            changes.push((mi, Some(e), role.clone(), role_span));
        }
        i += len;
    }
    for (mi, e, role, title) in changes {
        let m = &mut b.layer.mentions[mi];
        m.entity = e;
        m.kind = EntityKind::Person;
        m.how = How::Office;
        m.role = Some(role);
        m.title = Some(title);
    }
}

/// The sorted mention of a country (a place of type country from the
/// gazetteer) covering exactly tokens `[a, z)` for some `z`: (index, z).
fn country_from(b: &Builder, a: usize) -> Option<(usize, usize)> {
    let start = b.doc.tokens.get(a)?.span.start;
    let k = b.first_mention_from(start);
    let m = b.sorted().get(k).filter(|m| m.span.start == start)?;
    is_country(b, m).then(|| (k, b.doc.token_at_or_after(m.span.end)))
}

/// The sorted mention of a country ending exactly where token `z - 1`
/// ends: (index, its first token).
fn country_until(b: &Builder, z: usize) -> Option<(usize, usize)> {
    let end = b.doc.tokens.get(z.checked_sub(1)?)?.span.end;
    let k = b.first_mention_from(end).checked_sub(1)?;
    let m = b.sorted().get(k).filter(|m| m.span.end == end)?;
    is_country(b, m).then(|| (k, b.doc.token_at_or_after(m.span.start)))
}

fn is_country(b: &Builder, m: &Mention) -> bool {
    m.kind == EntityKind::Place
        && m.entity.is_some_and(|e| {
            let ent = &b.layer.entities[e];
            ent.gazetteer.is_some() && ent.attrs.get("type").is_some_and(|t| t == "country")
        })
}

fn is_and(b: &Builder, k: usize) -> bool {
    matches!(b.doc.lower(k), "and" | "&")
}

/// Countries listed from token `a` on: "Russia and Turkey", "France,
/// Germany and Italy". Empty unless at least two, the last after "and".
fn countries_right(b: &Builder, mut a: usize) -> Vec<usize> {
    let n = b.doc.tokens.len();
    let mut out = Vec::new();
    while out.len() < MAX_COORDINATED {
        let Some((k, z)) = country_from(b, a) else {
            return Vec::new();
        };
        out.push(k);
        if z < n && is_and(b, z) {
            if let Some((k, _)) = country_from(b, z + 1) {
                out.push(k);
                return out;
            }
            return Vec::new();
        }
        if z < n && b.doc.lower(z) == "," {
            a = z + 1;
            if a < n && is_and(b, a) {
                // "France, Germany, and Italy"
                return match country_from(b, a + 1) {
                    Some((k, _)) => {
                        out.push(k);
                        out
                    }
                    None => Vec::new(),
                };
            }
            continue;
        }
        return Vec::new();
    }
    Vec::new()
}

/// Countries listed right before token `z`: "Chinese and Indian", "US,
/// British and French". Empty unless at least two, the last after "and".
fn countries_left(b: &Builder, z: usize) -> Vec<usize> {
    let Some((last, a)) = country_until(b, z) else {
        return Vec::new();
    };
    if a == 0 || !is_and(b, a - 1) {
        return Vec::new();
    }
    let mut out = vec![last];
    let mut z = a - 1;
    while out.len() < MAX_COORDINATED {
        let Some((k, a)) = country_until(b, z) else {
            return Vec::new();
        };
        out.push(k);
        if a > 0 && b.doc.lower(a - 1) == "," {
            z = a - 1;
            continue;
        }
        out.reverse();
        return out;
    }
    Vec::new()
}

/// Capitalised words that are the surname or short form of a person named
/// in the document ("Blinken", "Xi", "Lula").
#[inline(never)]
fn surnames(b: &mut Builder) {
    let ix = PersonIndex::build(b);
    let n = b.doc.tokens.len();
    // The mentions are sorted and do not overlap, so their ends ascend: a
    // token is claimed when the first mention ending after its start
    // begins before its end. Mentions added below lie on earlier tokens.
    let claimed: Vec<Span> = b.sorted().iter().map(|m| m.span).collect();
    let mut k = 0;
    let mut i = 0;
    while i < n {
        let next = b.next_with(i, bit::NAME_WORD | bit::FULL_MONTH);
        if next >= n {
            break;
        }
        i = next + 1;
        let i = next;
        // (a month name used as a name is a full month name)
        if !b.has(i, bit::NAME_WORD | bit::FULL_MONTH) {
            continue;
        }
        if !b.name_word(i) && !b.month_as_name(i) {
            continue;
        }
        let span = b.doc.tokens[i].span;
        while k < claimed.len() && claimed[k].end <= span.start {
            k += 1;
        }
        if claimed.get(k).is_some_and(|c| c.start < span.end) {
            debug_assert!(b.is_claimed(span));
            continue;
        }
        debug_assert!(!b.is_claimed(span));
        if b.has(i, bit::COMMON) {
            continue;
        }
        // (most capitalised words are no form: filters tell without
        // hashing the text)
        let named_form = ix.may_be_form(b.doc, i);
        if !named_form {
            #[cfg(test)]
            assert!(ix.lookup(b.tok(i), usize::MAX).is_none());
            if !b.m.may_be_short(b.doc, i) {
                continue;
            }
        }
        let form = b.tok(i);
        let found = named_form
            .then(|| ix.lookup(form, usize::MAX))
            .flatten()
            .or_else(|| in_office_by_short(b, i, form));
        if let Some(e) = found {
            b.add(span, Some(e), EntityKind::Person, How::Surname);
        }
    }
}

/// A bare surname or short form that the document names no one by ("Bush
/// said", with no "George Bush" before): the one gazetteer person with
/// that form who held an office on the article's date ("Bush" is George
/// H. W. Bush in 1990 and George W. Bush in 2005). Not a word next to
/// another name word ("Francis Fukuyama" is no pope), and not when the
/// date or the office holders leave it open.
fn in_office_by_short(b: &mut Builder, i: usize, form: &str) -> Option<usize> {
    let date = b.doc.date?;
    let lone = |k: Option<usize>| {
        k.and_then(|k| b.doc.tokens.get(k))
            .is_none_or(|t| t.sentence != b.doc.tokens[i].sentence)
            || k.is_some_and(|k| !b.name_word(k) || b.has(k, bit::COMMON))
    };
    if !lone(i.checked_sub(1)) || !lone(Some(i + 1)) {
        return None;
    }
    let cands = b.m.shorts.get(form)?;
    let gz = &b.m.gazetteer;
    let mut holding = cands.iter().filter(|&&p| gz.person_in_office_on(p, date));
    let one = *holding.next()?;
    if holding.next().is_some() {
        return None;
    }
    Some(b.gaz_entity(one))
}

/// The most recently mentioned country (a place of type country) before `pos`.
fn recent_country(b: &Builder, pos: usize) -> Option<usize> {
    let ms = b.sorted();
    let end = ms.partition_point(|m| m.span.start < pos);
    ms[..end].iter().rev().take(LOOKBACK).find_map(|m| {
        m.entity.filter(|&e| {
            let ent = &b.layer.entities[e];
            ent.kind == EntityKind::Place && ent.attrs.get("type").is_some_and(|t| t == "country")
        })
    })
}

/// How far back (in mentions) a description or pronoun looks for its antecedent.
const LOOKBACK: usize = 80;

/// The person entity of the most recent mention before `pos` that passes `ok`.
fn recent_person(b: &Builder, pos: usize, ok: impl Fn(&Mention, usize) -> bool) -> Option<usize> {
    let ms = b.sorted();
    let end = ms.partition_point(|m| m.span.start < pos);
    ms[..end]
        .iter()
        .rev()
        .take(LOOKBACK)
        .filter(|m| m.span.end <= pos && m.kind == EntityKind::Person)
        .find_map(|m| m.entity.filter(|&e| ok(m, e)))
}

/// "the Chinese foreign minister", "China's foreign minister", "the
/// minister", "the Secretary", "the Chinese leader".
#[inline(never)]
fn descriptions(b: &mut Builder) {
    let n = b.doc.tokens.len();
    let mut i = 0;
    while i < n {
        i = b.next_with(i, bit::THE);
        if i >= n {
            break;
        }
        if !b.has(i, bit::THE) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        // optional modifiers
        while j < n && b.has(j, bit::ROLE_MODIFIER) {
            j += 1;
        }
        // optional country: adjective or name mention ("Chinese", "US")
        let mut country = None;
        if j < n {
            let sp = b.doc.tokens[j].span;
            let k = b.first_mention_from(sp.start);
            if let Some(m) = b
                .sorted()
                .get(k)
                .filter(|m| m.span.start == sp.start && m.kind == EntityKind::Place)
            {
                country = m.entity;
                let end = m.span.end;
                while j < n && b.doc.tokens[j].span.start < end {
                    j += 1;
                }
            }
        }
        while j < n && b.has(j, bit::ROLE_MODIFIER) {
            j += 1;
        }
        if j >= n {
            break;
        }
        let role_hit = b
            .has(j, bit::ROLE)
            .then(|| b.m.roles.longest_at(b.doc, j))
            .flatten()
            .map(|(l, r)| (l, r.role.clone(), r.gender));
        let Some((len, role, gender)) = role_hit else {
            // "the foreign ministry", "the French government": the country speaks
            if let Some((len, _)) = b
                .has(j, bit::STATE_BODY)
                .then(|| b.m.state_bodies.longest_at(b.doc, j))
                .flatten()
            {
                let span = Span::new(
                    b.doc.tokens[j].span.start,
                    b.doc.tokens[j + len - 1].span.end,
                );
                let named_after = j + len < n && b.name_word(j + len);
                if !b.is_claimed(span) && !named_after {
                    let state = country.or_else(|| recent_country(b, span.start));
                    if let Some(c) = state {
                        b.add(span, Some(c), EntityKind::Place, How::Title);
                    }
                }
                i = j + len;
                continue;
            }
            i += 1;
            continue;
        };
        // "the two leaders" etc. are not single-person references
        let span = Span::new(
            b.doc.tokens[j].span.start,
            b.doc.tokens[j + len - 1].span.end,
        );
        let full = Span::new(b.doc.tokens[i].span.start, span.end);
        // a name right after ("the Foreign Minister Qin Gang") is handled by titles
        if j + len < n && b.name_word(j + len) && b.is_claimed(b.doc.tokens[j + len].span) {
            i = j + len;
            continue;
        }
        if b.is_claimed(span) {
            i = j + len;
            continue;
        }
        let date = b.doc.date;
        let entity = match (country, role.as_deref(), date) {
            (Some(c), Some(r), Some(d)) => {
                let cg = b.layer.entities[c].gazetteer;
                cg.and_then(|cg| b.m.gazetteer.role_holder_on(cg, r, d))
                    .map(|(_, p)| b.gaz_entity(p))
            }
            (Some(_), _, _) => None,
            // a bare head with no role ("the Secretary", "the Minister"):
            // the latest person whose title in the text, or office on the
            // date, has that word; else the latest person
            (None, None, _) => {
                let gz = &b.m.gazetteer;
                let head = b.doc.slice(b.doc.tokens[j + len - 1].span);
                let agrees = |e: usize| {
                    let ent = &b.layer.entities[e];
                    gender.is_none() || ent.gender.is_none() || ent.gender == gender
                };
                recent_person(b, full.start, |m, e| {
                    agrees(e)
                        && (m.title.is_some_and(|t| has_word(b.doc.slice(t), head))
                            || b.layer.entities[e]
                                .gazetteer
                                .is_some_and(|g| gz.person_held_title_word(g, head, date)))
                })
                .or_else(|| recent_person(b, full.start, |_, e| agrees(e)))
            }
            (None, r, _) => {
                let gz = &b.m.gazetteer;
                recent_person(b, full.start, |m, e| {
                    let ent = &b.layer.entities[e];
                    let g_ok = gender.is_none() || ent.gender.is_none() || ent.gender == gender;
                    let role_ok = match r {
                        None => true,
                        Some(r) => {
                            m.role.as_deref() == Some(r)
                                || (r == "leader"
                                    && matches!(
                                        m.role.as_deref(),
                                        Some("head_of_state" | "head_of_government")
                                    ))
                                || ent
                                    .gazetteer
                                    .is_some_and(|g| gz.person_held_role(g, r, date))
                        }
                    };
                    g_ok && role_ok
                })
            }
        };
        let how = if country.is_some() {
            How::Office
        } else {
            How::Title
        };
        if (entity.is_some() || country.is_some())
            && b.add(
                if country.is_some() { span } else { full },
                entity,
                EntityKind::Person,
                how,
            )
        {
            b.layer.mentions.last_mut().unwrap().role = role;
        }
        i = j + len;
    }
}

/// The person a pronoun of gender `g` ('m', 'f' or 'n') refers to: among
/// among the persons of its sentence so far (`cur`), the first whose gender
/// is known to agree, else the first whose gender may agree; then the same
/// among the recent sentences (latest first).
fn antecedent(
    b: &Builder,
    g: char,
    cur: &[usize],
    recent: &std::collections::VecDeque<Vec<usize>>,
) -> Option<usize> {
    let ents = &b.layer.entities;
    let strict =
        |e: &usize| ents[*e].kind == EntityKind::Person && (g == 'n' || ents[*e].gender == Some(g));
    let loose = |e: &usize| {
        ents[*e].kind == EntityKind::Person
            && (g == 'n' || ents[*e].gender.is_none_or(|eg| eg == g))
    };
    // the pronoun's own sentence first ("X, 34, a trader, said she …" is
    // X even when X's gender is unknown and an earlier sentence names a
    // woman), then the recent sentences
    let in_recent =
        |f: &dyn Fn(&usize) -> bool| recent.iter().find_map(|s| s.iter().find(|e| f(e)));
    cur.iter()
        .find(|e| strict(e))
        .or_else(|| cur.iter().find(|e| loose(e)))
        .or_else(|| in_recent(&strict))
        .or_else(|| in_recent(&loose))
        .copied()
}

/// The pronoun mentions to add (span, person). One pass over the pronoun
/// tokens and the mentions: the persons of a sentence are those of its
/// mentions read, as a reading token by token would, at the first token
/// after each mention (a mention ending a sentence is read in the next one,
/// to which it does not belong).
fn pronoun_links(b: &Builder) -> Vec<(Span, usize)> {
    const SENTENCES_BACK: usize = 4;
    let toks = &b.doc.tokens;
    let mut out = Vec::new();
    let ms = b.sorted();
    let mut k = 0;
    // person entities of the current sentence seen so far, and of recent sentences
    let mut cur: Vec<usize> = Vec::new();
    let mut cur_sent = usize::MAX;
    let mut recent: std::collections::VecDeque<Vec<usize>> = Default::default();
    // reading moves on to sentence `s`: the current one joins the recent ones
    fn enter(
        s: usize,
        cur: &mut Vec<usize>,
        cur_sent: &mut usize,
        recent: &mut std::collections::VecDeque<Vec<usize>>,
    ) {
        if s != *cur_sent {
            if !cur.is_empty() {
                recent.push_front(std::mem::take(cur));
                recent.truncate(SENTENCES_BACK);
            }
            *cur_sent = s;
        }
    }
    // the pronoun tokens, skipped to by their flag
    let n = toks.len();
    let mut from = 0;
    let pronoun_tokens = std::iter::from_fn(|| {
        while from < n {
            let i = b.next_with(from, bit::PRONOUN);
            from = i.saturating_add(1);
            if i < n && b.has(i, bit::PRONOUN) {
                return Some(i);
            }
        }
        None
    });
    for i in pronoun_tokens {
        let tok = toks[i];
        while k < ms.len() && ms[k].span.end <= tok.span.start {
            let m = &ms[k];
            k += 1;
            if m.kind != EntityKind::Person || m.how == How::Pronoun {
                continue;
            }
            let Some(e) = m.entity else {
                continue;
            };
            // the sentence of the first token after the mention (at most `i`)
            let s = toks[b.doc.token_at_or_after(m.span.end)].sentence;
            enter(s, &mut cur, &mut cur_sent, &mut recent);
            if m.sentence == s {
                cur.push(e);
            }
        }
        enter(tok.sentence, &mut cur, &mut cur_sent, &mut recent);
        let Some(&g) = b.m.pronouns.get_token(b.doc, i) else {
            continue;
        };
        if let Some(e) = antecedent(b, g, &cur, &recent) {
            out.push((tok.span, e));
        }
    }
    out
}

/// The one-pass reading of [`pronoun_links`] over every token (the
/// reference it is tested against).
///
/// he/she/his/her → a person of compatible gender: the first one (the
/// subject) earlier in the same sentence, else the first one of the most
/// recent sentence that has one. A person whose gender is known to match
/// is preferred over one whose gender is unknown. One pass over tokens and
/// mentions.
#[cfg(test)]
fn pronoun_links_reference(b: &Builder) -> Vec<(Span, usize)> {
    const SENTENCES_BACK: usize = 4;
    let n = b.doc.tokens.len();
    let mut out = Vec::new();
    let ms = b.sorted();
    let mut k = 0;
    // person entities of the current sentence seen so far, and of recent sentences
    let mut cur: Vec<usize> = Vec::new();
    let mut cur_sent = usize::MAX;
    let mut recent: std::collections::VecDeque<Vec<usize>> = Default::default();
    for i in 0..n {
        let tok = b.doc.tokens[i];
        if tok.sentence != cur_sent {
            if !cur.is_empty() {
                recent.push_front(std::mem::take(&mut cur));
                recent.truncate(SENTENCES_BACK);
            }
            cur.clear();
            cur_sent = tok.sentence;
        }
        while k < ms.len() && ms[k].span.end <= tok.span.start {
            let m = &ms[k];
            if m.kind == EntityKind::Person && m.how != How::Pronoun {
                if let Some(e) = m.entity {
                    if m.sentence == cur_sent {
                        cur.push(e);
                    }
                }
            }
            k += 1;
        }
        if !b.has(i, bit::PRONOUN) {
            continue;
        }
        let Some(&g) = b.m.pronouns.get_token(b.doc, i) else {
            continue;
        };
        if let Some(e) = antecedent(b, g, &cur, &recent) {
            out.push((tok.span, e));
        }
    }
    out
}

/// he/she/his/her → a person of compatible gender: the first one (the
/// subject) earlier in the same sentence, else the first one of the most
/// recent sentence that has one. A person whose gender is known to match
/// is preferred over one whose gender is unknown.
#[inline(never)]
fn pronouns(b: &mut Builder) {
    let out = pronoun_links(b);
    #[cfg(test)]
    assert_eq!(out, pronoun_links_reference(b));
    for (span, e) in out {
        b.add(span, Some(e), EntityKind::Person, How::Pronoun);
    }
}
