//! Merging the mentions of one real-world event within a document.

use super::{Event, EventKind, Status};

/// How many recent events a new mention is compared with.
const LOOKBACK: usize = 40;

/// Do two ISO dates (any precision) agree where both are given?
pub fn dates_agree(a: &Option<String>, b: &Option<String>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.starts_with(b.as_str()) || b.starts_with(a.as_str()),
        _ => true,
    }
}

fn statuses_agree(a: Status, b: Status) -> bool {
    a == b
        || matches!(
            (a, b),
            (Status::Planned, Status::Cancelled) | (Status::Cancelled, Status::Planned)
        )
}

/// Jaccard overlap of two participant lists.
pub fn jaccard(a: &[usize], b: &[usize]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let inter = a.iter().filter(|x| b.contains(x)).count();
    let union = a.len() + b.len() - inter;
    inter as f64 / union as f64
}

/// The index of an earlier event that `m` describes again: same kind,
/// overlapping participants, and no conflict of date, status or place.
pub fn find_same(events: &[Event], m: &Event) -> Option<usize> {
    let lo = events.len().saturating_sub(LOOKBACK);
    (lo..events.len()).rev().find(|&i| {
        let e = &events[i];
        e.kind == m.kind
            && jaccard(&e.participants, &m.participants) >= 0.5
            && dates_agree(&e.date, &m.date)
            && statuses_agree(e.status, m.status)
            && (e.place.is_none() || m.place.is_none() || e.place == m.place)
    })
}

/// The most recent event of `kind`, for a mention that only refers back
/// ("the talks", "this visit").
pub fn last_of_kind(events: &[Event], kind: EventKind) -> Option<usize> {
    let lo = events.len().saturating_sub(LOOKBACK);
    (lo..events.len()).rev().find(|&i| events[i].kind == kind)
}

/// Fold mention `m` into event `e`. `more_specific` says whether `m`'s
/// place is more specific than `e`'s.
pub fn merge(e: &mut Event, m: Event, more_specific: bool) {
    for p in m.participants {
        if !e.participants.contains(&p) && Some(p) != e.place {
            e.participants.push(p);
        }
    }
    for h in m.hosts {
        if !e.hosts.contains(&h) {
            e.hosts.push(h);
        }
    }
    for s in m.evidence {
        if !e.evidence.contains(&s) {
            e.evidence.push(s);
        }
    }
    let longer = |d: &String| {
        e.date
            .as_ref()
            .is_none_or(|ed| d.len() > ed.len() && d.starts_with(ed.as_str()))
    };
    if m.date.as_ref().is_some_and(longer) {
        e.date = m.date;
    }
    if m.place.is_some() && (e.place.is_none() || more_specific) {
        e.place = m.place;
    }
    if m.status == Status::Cancelled {
        e.status = Status::Cancelled;
    }
}
