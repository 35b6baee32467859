//! Back-references inside a document: office titles resolved on the
//! document date, surnames and partial names, role descriptions ("the
//! minister", "the Chinese leader") and pronouns.

use super::model::{bit, Builder, PersonIndex};
use super::{How, Mention};
use crate::document::Span;
use crate::gazetteer::EntityKind;

pub(super) fn run(b: &mut Builder) {
    b.sort_mentions();
    office_titles(b);
    b.sort_mentions();
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
    for i in 0..n {
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
        let form = b.tok(i);
        if let Some(e) = ix.lookup(form, usize::MAX) {
            b.add(span, Some(e), EntityKind::Person, How::Surname);
        }
    }
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

/// he/she/his/her → a person of compatible gender: the first one (the
/// subject) earlier in the same sentence, else the first one of the most
/// recent sentence that has one. A person whose gender is known to match
/// is preferred over one whose gender is unknown. One pass over tokens and
/// mentions.
#[inline(never)]
fn pronouns(b: &mut Builder) {
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
        let ents = &b.layer.entities;
        let strict = |e: &usize| {
            ents[*e].kind == EntityKind::Person && (g == 'n' || ents[*e].gender == Some(g))
        };
        let loose = |e: &usize| {
            ents[*e].kind == EntityKind::Person
                && (g == 'n' || ents[*e].gender.is_none_or(|eg| eg == g))
        };
        let pick = |f: &dyn Fn(&usize) -> bool| -> Option<usize> {
            cur.iter()
                .find(|e| f(e))
                .or_else(|| recent.iter().find_map(|s| s.iter().find(|e| f(e))))
                .copied()
        };
        if let Some(e) = pick(&strict).or_else(|| pick(&loose)) {
            out.push((tok.span, e));
        }
    }
    for (span, e) in out {
        b.add(span, Some(e), EntityKind::Person, How::Pronoun);
    }
}
