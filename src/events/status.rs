//! Status (occurred, planned, cancelled) from the cues around a trigger,
//! and the CAMEO code and event-data actors of a finished event.

use super::args::Ctx;
use super::triggers::{CueUse, TriggerHit};
use super::{Event, EventKind, Status};

/// What the cues around a trigger say: a status, or that the event is
/// negated (None).
pub fn status(ctx: &Ctx, h: &TriggerHit) -> Option<Status> {
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
    let hi = (h.end + ctx.t.status_after).min(s1);
    for k in h.end..hi {
        for (_, cue) in ctx.t.status.all_at(ctx.doc, k) {
            if !cue.after || k - h.end >= cue.window {
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
