//! Status (occurred, planned, cancelled) from the cues around a trigger,
//! and the CAMEO code and event-data actors of a finished event.

use super::args::Ctx;
use super::triggers::{CueUse, Pos, TriggerHit};
use super::{Event, EventKind, Status};

/// What the cues around a trigger say: a status, or that the event is
/// negated (None).
pub fn status(ctx: &Ctx, h: &TriggerHit) -> Option<Status> {
    let own = cue_status(ctx, h)?;
    if own != Status::Occurred {
        return Some(own);
    }
    // "will travel to Washington next week to meet Bush", "is flying to
    // Moscow for talks with Putin": the purpose has the journey's status
    match journey(ctx, h) {
        Some(j) => cue_status(ctx, &j),
        None => Some(own),
    }
}

/// The journey a trigger is the purpose of: a visit verb before it in the
/// sentence, the trigger introduced by a purpose word ("to", "for").
fn journey(ctx: &Ctx, h: &TriggerHit) -> Option<TriggerHit> {
    let (s0, _) = ctx.sentence_tokens(h.start);
    let p = h.start.checked_sub(1).filter(|&p| p > s0)?;
    // ("for the talks", "for a visit")
    let p = match ctx.lower(p) {
        "a" | "an" | "the" if p > s0 + 1 => p - 1,
        _ => p,
    };
    if !ctx.t.purpose.contains(ctx.lower(p)) {
        return None;
    }
    let lo = p.saturating_sub(JOURNEY_WINDOW).max(s0);
    (lo..p).rev().find_map(|k| {
        ctx.t.triggers.all_at(ctx.doc, k).find_map(|(n, &d)| {
            let def = &ctx.t.defs[d];
            (def.kind == EventKind::Visit && def.pos == Pos::Verb && k + n <= p).then_some(
                TriggerHit {
                    start: k,
                    end: k + n,
                    def: d,
                },
            )
        })
    })
}

/// How far before a purpose word its journey verb is looked for (tokens).
const JOURNEY_WINDOW: usize = 14;

/// The status the cues around one trigger give it.
fn cue_status(ctx: &Ctx, h: &TriggerHit) -> Option<Status> {
    let (s0, s1) = ctx.sentence_tokens(h.start);
    let mut planned = false;
    let mut cancelled = false;
    let mut negated = false;
    let lo = h.start.saturating_sub(24).max(s0);
    for k in lo..h.start {
        for (n, cue) in ctx.t.status.all_at(ctx.doc, k) {
            let end = k + n;
            if cue.after || end > h.start || h.start - end >= cue.window {
                continue;
            }
            match cue.what {
                CueUse::Planned => planned = true,
                CueUse::Cancelled => cancelled = true,
                CueUse::Negated => negated = true,
            }
        }
    }
    // (names, titles and the commas of an aside count for nothing: "the
    // visit by Afghan President X to Pakistan, planned for May, has been
    // cancelled")
    let hi = ctx.reach_right(h.end, ctx.t.status_after, s1);
    let mut dist = 0;
    for k in h.end..hi {
        let counts = ctx.doc.token_text(k) != ","
            && !ctx
                .doc
                .token_text(k)
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase());
        let d = dist;
        dist += usize::from(counts);
        if !counts {
            continue; // (no cue starts with a capital or a comma)
        }
        for (_, cue) in ctx.t.status.all_at(ctx.doc, k) {
            if !cue.after || d >= cue.window {
                continue;
            }
            match cue.what {
                CueUse::Planned => planned = true,
                CueUse::Cancelled => cancelled = true,
                CueUse::Negated => {}
            }
        }
    }
    if cancelled {
        Some(Status::Cancelled)
    } else if negated {
        None
    } else if planned {
        Some(Status::Planned)
    } else {
        Some(Status::Occurred)
    }
}

/// True when date `d` (ISO at any precision) lies after the document date
/// at `d`'s precision.
pub fn after_doc_date(d: &str, doc_date: Option<chrono::NaiveDate>) -> bool {
    let Some(dd) = doc_date else { return false };
    let dd = dd.format("%Y-%m-%d").to_string();
    let n = d.len().min(dd.len());
    d.is_char_boundary(n) && dd.is_char_boundary(n) && d[..n] > dd[..n]
}

/// The country code of an entity: its `country` attribute, or its own
/// `iso2` for a country.
pub(super) fn country(ctx: &Ctx, e: usize) -> Option<String> {
    let a = &ctx.ents.entities[e].attrs;
    a.get("country")
        .or_else(|| a.get("iso2"))
        .map(|s| s.to_uppercase())
}

/// Fill in the CAMEO code and the source and target actors of `ev`.
/// `base` is the trigger's code; `third` marks a third-location cue.
pub fn cameo(ctx: &Ctx, ev: &mut Event, base: &str, third: bool, subjects: &[usize]) {
    let first_subject = subjects
        .first()
        .copied()
        .or(ev.participants.first().copied());
    let other = |s: Option<usize>| ev.participants.iter().copied().find(|&p| Some(p) != s);
    match ev.kind {
        EventKind::Visit => {
            ev.source_actor = first_subject;
            ev.target_actor = ev.place.or(ev.hosts.first().copied());
            ev.cameo = "042".into();
        }
        EventKind::Call => {
            ev.source_actor = first_subject;
            ev.target_actor = other(first_subject);
            ev.cameo = "041".into();
        }
        EventKind::Meeting => {
            if let Some(&h) = ev.hosts.first() {
                ev.source_actor = Some(h);
                ev.target_actor = other(Some(h));
                ev.cameo = "043".into();
            } else {
                ev.source_actor = first_subject;
                ev.target_actor = other(first_subject);
                let place_country = ev.place.and_then(|p| country(ctx, p));
                let part_countries: Vec<Option<String>> =
                    ev.participants.iter().map(|&p| country(ctx, p)).collect();
                let elsewhere = match &place_country {
                    Some(pc) => {
                        !part_countries.is_empty()
                            && part_countries
                                .iter()
                                .all(|c| c.as_ref().is_some_and(|c| c != pc))
                    }
                    None => false,
                };
                ev.cameo = if third || elsewhere {
                    "044".into()
                } else {
                    base.to_string()
                };
            }
        }
    }
    if ev.status == Status::Planned {
        ev.cameo = "036".into();
    }
}
