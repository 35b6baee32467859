//! Back-references inside a document: office titles resolved on the
//! document date, surnames and partial names, role descriptions ("the
//! minister", "the Chinese leader") and pronouns.

use super::infer::resolve_short;
use super::model::Builder;
use super::{How, Mention};
use crate::document::Span;
use crate::gazetteer::EntityKind;

pub(super) fn run(b: &mut Builder) {
    office_titles(b);
    surnames(b);
    b.layer.mentions.sort_by_key(|m| m.span.start);
    descriptions(b);
    b.layer.mentions.sort_by_key(|m| m.span.start);
    pronouns(b);
}

/// Office-title hits of the gazetteer ("Secretary of State", "top US
/// diplomat"): a title right before a person's name belongs to that name;
/// otherwise it refers to whoever held the office on the document date.
fn office_titles(b: &mut Builder) {
    let hits = std::mem::take(&mut b.office_hits);
    for (span, oi) in hits {
        let office = &b.m.gazetteer.offices[oi];
        let role = office.role.clone();
        // followed (after spaces / honorifics) by a person mention?
        let next = b
            .layer
            .mentions
            .iter_mut()
            .filter(|m| m.span.start >= span.end && m.kind == EntityKind::Person)
            .min_by_key(|m| m.span.start);
        if let Some(m) = next {
            let gap = &b.doc.text[span.end..m.span.start];
            if gap.len() <= 12
                && gap
                    .split_whitespace()
                    .all(|w| w.ends_with('.') || w.chars().next().is_some_and(char::is_uppercase))
            {
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
fn surnames(b: &mut Builder) {
    let n = b.doc.tokens.len();
    for i in 0..n {
        if !b.name_word(i) {
            continue;
        }
        let span = b.doc.tokens[i].span;
        if b.is_claimed(span) {
            continue;
        }
        let form = b.tok(i);
        if b.m.common.contains(form) {
            continue;
        }
        // only forms of persons already in the document (anywhere before),
        // or a unique gazetteer short form of a person the document names
        let known = b.layer.mentions.iter().any(|m| {
            m.entity.is_some_and(|e| {
                let ent = &b.layer.entities[e];
                ent.kind == EntityKind::Person
                    && (ent.name.split_whitespace().any(|w| w == form)
                        || ent.aliases.iter().any(|a| a == form))
            })
        });
        if !known {
            continue;
        }
        if let Some(e) = resolve_short(b, form, None, usize::MAX) {
            b.add(span, Some(e), EntityKind::Person, How::Surname);
        }
    }
}

/// The person entity of the most recent mention before `pos` that passes `ok`.
fn recent_person(b: &Builder, pos: usize, ok: impl Fn(&Mention, usize) -> bool) -> Option<usize> {
    b.layer
        .mentions
        .iter()
        .rev()
        .filter(|m| m.span.end <= pos && m.kind == EntityKind::Person)
        .find_map(|m| m.entity.filter(|&e| ok(m, e)))
}

/// "the Chinese foreign minister", "China's foreign minister", "the
/// minister", "the Secretary", "the Chinese leader".
fn descriptions(b: &mut Builder) {
    let n = b.doc.tokens.len();
    let mut i = 0;
    while i < n {
        let t = b.tok(i);
        if !(t.eq_ignore_ascii_case("the")) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        // optional modifiers
        while j < n
            && matches!(
                b.tok(j).to_lowercase().as_str(),
                "top" | "senior" | "visiting" | "new" | "veteran" | "powerful"
            )
        {
            j += 1;
        }
        // optional country: adjective or name mention ("Chinese", "US")
        let mut country = None;
        if j < n {
            let sp = b.doc.tokens[j].span;
            if let Some(m) = b
                .layer
                .mentions
                .iter()
                .find(|m| m.span.start == sp.start && m.kind == EntityKind::Place)
            {
                country = m.entity;
                let end = m.span.end;
                while j < n && b.doc.tokens[j].span.start < end {
                    j += 1;
                }
            }
        }
        while j < n
            && matches!(
                b.tok(j).to_lowercase().as_str(),
                "top" | "senior" | "former"
            )
        {
            j += 1;
        }
        if j >= n {
            break;
        }
        let role_hit =
            b.m.roles
                .longest_at(b.doc, j)
                .map(|(l, r)| (l, r.role.clone(), r.gender));
        let Some((len, role, gender)) = role_hit else {
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

/// he/she/his/her → the most recent person of compatible gender; within a
/// sentence the first (subject) person before the pronoun is preferred.
fn pronouns(b: &mut Builder) {
    let n = b.doc.tokens.len();
    let mut out = Vec::new();
    for i in 0..n {
        let t = b.tok(i).to_lowercase();
        let Some(&g) = b.m.pronouns.get(&t) else {
            continue;
        };
        let pos = b.doc.tokens[i].span.start;
        let sent = b.doc.tokens[i].sentence;
        let compatible = |e: usize| {
            let ent = &b.layer.entities[e];
            ent.kind == EntityKind::Person && (g == 'n' || ent.gender.is_none_or(|eg| eg == g))
        };
        // subject of the current sentence before the pronoun
        let in_sentence = b
            .layer
            .mentions
            .iter()
            .filter(|m| m.sentence == sent && m.span.end <= pos && m.how != How::Pronoun)
            .find_map(|m| m.entity.filter(|&e| compatible(e)));
        let entity = in_sentence.or_else(|| {
            // most recent earlier sentence with a compatible person: its first one
            let mut best = None;
            for m in b
                .layer
                .mentions
                .iter()
                .rev()
                .filter(|m| m.span.end <= pos && m.sentence < sent)
            {
                if let Some(e) = m.entity.filter(|&e| compatible(e)) {
                    match best {
                        None => best = Some((m.sentence, e)),
                        Some((s, _)) if m.sentence == s => best = Some((s, e)),
                        Some(_) => break,
                    }
                }
            }
            best.map(|(_, e)| e)
        });
        if let Some(e) = entity {
            out.push((b.doc.tokens[i].span, e));
        }
    }
    for (span, e) in out {
        b.add(span, Some(e), EntityKind::Person, How::Pronoun);
    }
}
