//! The events stage: meetings, visits and calls with participants, place,
//! date, status and a CAMEO code.

mod args;
mod dedup;
mod status;
#[cfg(test)]
mod tests;
mod triggers;

use crate::dates::Timex;
use crate::document::{Document, Span};
use crate::entities::EntityLayer;
use crate::lexicon::{DataError, FxMap, Lexicon};
use crate::statements::Statement;
use serde::Serialize;

/// What kind of event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    Meeting,
    Call,
    Visit,
}

/// Whether it happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Occurred,
    Planned,
    Cancelled,
}

/// One event (mentions of the same real event merged).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Event {
    pub kind: EventKind,
    /// The first trigger ("met", "talks", "visit").
    pub trigger: Span,
    /// Every evidence span (trigger sentences of merged mentions).
    pub evidence: Vec<Span>,
    /// Participants (index into [`EntityLayer::entities`]), hosts included.
    pub participants: Vec<usize>,
    /// Hosts among the participants.
    pub hosts: Vec<usize>,
    pub place: Option<usize>,
    /// ISO date at the precision known.
    pub date: Option<String>,
    pub status: Status,
    /// CAMEO code: 040, 041, 042, 043, 044, 046, 036.
    pub cameo: String,
    /// Event-data source and target actors.
    pub source_actor: Option<usize>,
    pub target_actor: Option<usize>,
}

/// Compiled trigger and cue tables.
#[derive(Debug, Clone)]
pub struct EventModel {
    tables: triggers::Tables,
}

/// Per-event bookkeeping kept while a document is read.
struct Draft {
    /// Trigger CAMEO code of the first mention.
    base: String,
    third: bool,
    subjects: Vec<usize>,
    /// Token of the first trigger.
    first_token: usize,
    /// Sentence of the last mention.
    last_sentence: usize,
    /// The place was named in the text (not inherited).
    explicit_place: bool,
}

impl EventModel {
    pub fn new(lex: &Lexicon) -> Result<EventModel, DataError> {
        Ok(EventModel {
            tables: triggers::Tables::load(lex)?,
        })
    }

    /// Find the events of `doc`.
    pub fn extract(
        &self,
        doc: &Document,
        ents: &EntityLayer,
        timexes: &[Timex],
        statements: &[Statement],
    ) -> Vec<Event> {
        let hits = triggers::find(&self.tables, doc);
        // most articles have no trigger and no one telling anyone anything:
        // nothing below can make an event, so skip building the context
        if hits.is_empty() && !statements.iter().any(|st| told(st).is_some()) {
            return Vec::new();
        }
        let ctx = args::Ctx::new(doc, ents, &self.tables, timexes, statements);
        let mut events: Vec<Event> = Vec::new();
        let mut drafts: Vec<Draft> = Vec::new();
        // sentence → index of the last event it produced, per kind
        let mut sentence_event: Vec<(usize, EventKind, usize)> = Vec::new();
        let story = crate::dates::story_day(doc, timexes);
        for h in &hits {
            let def = &self.tables.defs[h.def];
            let Some(mut status) = status::status(&ctx, h) else {
                continue;
            };
            let Some(reading) = ctx.read(h) else { continue };
            let sentence = doc.tokens[h.start].sentence;
            let trigger = Span::new(
                doc.tokens[h.start].span.start,
                doc.tokens[h.end - 1].span.end,
            );
            let evidence = doc.sentences[sentence].span;
            let date = ctx
                .attached_date(h)
                .map(|(d, xi)| reanchor(&ctx, d, xi, status, story.as_deref()));
            if status == Status::Occurred
                && date
                    .as_deref()
                    .is_some_and(|d| status::after_doc_date(d, doc.date))
            {
                status = Status::Planned;
            }
            let (attached, third) = if def.kind == EventKind::Call {
                (None, false)
            } else {
                ctx.attached_place(h)
            };
            let place = match def.kind {
                EventKind::Visit => reading.destination.or(attached),
                // "welcomed X to Riyadh"
                _ if def.subject == triggers::Role::Host && def.pos == triggers::Pos::Verb => {
                    attached.or_else(|| ctx.guest_place(h.end))
                }
                _ => attached,
            };
            // a noun in the sentence of an event of its kind refers to it
            // (hits come in text order, so only the tail can be this sentence)
            let same_sentence = sentence_event
                .iter()
                .rev()
                .take_while(|(s, _, _)| *s == sentence)
                .find(|(_, k, _)| *k == def.kind)
                .map(|x| x.2);
            // ... unless it names other participants ("the meeting between A
            // and B was the first since a conference between A and C")
            let named = &reading.objects;
            let same_sentence = same_sentence.filter(|&i| {
                named.is_empty() || named.iter().all(|p| events[i].participants.contains(p))
            });
            if let (Some(i), triggers::Pos::Noun) = (same_sentence, def.pos) {
                let m = Event {
                    evidence: vec![evidence],
                    date,
                    place: None,
                    ..empty(def.kind, trigger, status)
                };
                dedup::merge(&mut events[i], m, false);
                continue;
            }
            // "the talks" with nothing before them to refer to: talks of the
            // two people of different countries the story is about
            let unanchored = reading.anaphoric
                && ctx.bare_definite(h.start)
                && ctx.quote_at(trigger.start).is_none()
                && dedup::last_of_kind(&events, def.kind).is_none()
                && def.kind == EventKind::Meeting
                && status == Status::Occurred;
            let foreign_pair = if unanchored {
                let pair = pair_before(&ctx, &events, trigger.start);
                let countries: Vec<Option<String>> =
                    pair.iter().map(|&p| status::country(&ctx, p)).collect();
                // ... unless the pair already has an event ("X called Y about
                // the talks in Geneva")
                let known = events
                    .iter()
                    .any(|e| pair.iter().all(|p| e.participants.contains(p)));
                (pair.len() == 2
                    && countries.iter().all(|c| c.is_some())
                    && countries[0] != countries[1]
                    && !known)
                    .then_some(pair)
            } else {
                None
            };
            if reading.anaphoric && foreign_pair.is_none() {
                if let Some(i) = dedup::last_of_kind(&events, def.kind) {
                    let m = Event {
                        evidence: vec![evidence],
                        date,
                        ..empty(def.kind, trigger, status)
                    };
                    // "The talks were held at the Kremlin": the sentence is
                    // about the event, so its place is the event's
                    let (s0, _) = ctx.sentence_tokens(h.start);
                    let about_it = h.start - s0 <= 3 && events[i].place.is_none();
                    let m = Event {
                        place: place.filter(|_| about_it),
                        date: if status == events[i].status {
                            m.date
                        } else {
                            None
                        },
                        ..m
                    };
                    let placed = m.place.is_some();
                    dedup::merge(&mut events[i], m, placed);
                    drafts[i].explicit_place |= placed;
                }
                continue;
            }
            let subjects = match &reading.subject {
                _ if foreign_pair.is_some() => foreign_pair.clone().unwrap_or_default(),
                args::Subject::Entities(v) => v.clone(),
                args::Subject::Plural => pair_before(&ctx, &events, trigger.start),
                args::Subject::None => Vec::new(),
            };
            // "The talks were hosted by X": X hosted the event just told
            if def.subject == triggers::Role::Guest && subjects.is_empty() {
                // (only when the sentence opens with a noun of its kind)
                let (s0, _) = ctx.sentence_tokens(h.start);
                let opens = (s0..h.start.min(s0 + 4)).any(|k| {
                    self.tables.triggers.all_at(doc, k).any(|(_, &d)| {
                        let o = &self.tables.defs[d];
                        o.kind == def.kind && o.pos == triggers::Pos::Noun
                    })
                });
                let recent = dedup::last_of_kind(&events, def.kind)
                    .filter(|&i| opens && sentence <= drafts[i].last_sentence + 1);
                if let Some(i) = recent {
                    let ev = &mut events[i];
                    for &e in &reading.objects {
                        if !ev.participants.contains(&e) && Some(e) != ev.place {
                            ev.participants.push(e);
                        }
                        if !ev.hosts.contains(&e) {
                            ev.hosts.push(e);
                        }
                    }
                    if let Err(at) = ev.evidence.binary_search(&evidence) {
                        ev.evidence.insert(at, evidence);
                    }
                }
                continue;
            }
            let mut participants: Vec<usize> = Vec::new();
            let mut hosts: Vec<usize> = Vec::new();
            let mut add = |e: usize, host: bool, participants: &mut Vec<usize>| {
                if !participants.contains(&e) && Some(e) != place {
                    participants.push(e);
                }
                if host && !hosts.contains(&e) {
                    hosts.push(e);
                }
            };
            for &e in &subjects {
                add(e, def.subject == triggers::Role::Host, &mut participants);
            }
            if def.kind != EventKind::Visit {
                for &e in &reading.objects {
                    add(e, def.object == triggers::Role::Host, &mut participants);
                }
            }
            if !participants.is_empty() {
                for e in ctx.companions(h.end) {
                    add(e, false, &mut participants);
                }
            }
            if def.needs_pair && participants.len() < 2 {
                continue;
            }
            // "Kenya must meet the standards": countries alone meet no one
            let only_places = !participants.is_empty()
                && participants
                    .iter()
                    .all(|&p| ctx.ents.entities[p].kind == crate::gazetteer::EntityKind::Place);
            if def.kind == EventKind::Meeting
                && def.pos == triggers::Pos::Verb
                && reading.objects.is_empty()
                && only_places
            {
                continue;
            }
            // "... called for talks with Ukraine": a country alone, and no
            // one who meets it
            if def.kind != EventKind::Visit && subjects.is_empty() && only_places {
                continue;
            }
            if participants.is_empty() {
                // nothing to tie it to: it may still refer back
                if let Some(i) = dedup::last_of_kind(&events, def.kind)
                    .filter(|_| def.pos == triggers::Pos::Noun)
                {
                    let m = Event {
                        evidence: vec![evidence],
                        ..empty(def.kind, trigger, status)
                    };
                    dedup::merge(&mut events[i], m, false);
                }
                continue;
            }
            let m = Event {
                participants,
                hosts,
                place,
                date,
                evidence: vec![evidence],
                ..empty(def.kind, trigger, status)
            };
            if let Some(i) = dedup::find_same(&events, &m) {
                let spec = place.is_some_and(|p| {
                    events[i]
                        .place
                        .map(|q| ctx.specificity(p) > ctx.specificity(q))
                        .unwrap_or(true)
                });
                dedup::merge(&mut events[i], m, spec);
                let d = &mut drafts[i];
                d.last_sentence = sentence;
                d.third |= third;
                d.explicit_place |= place.is_some();
                sentence_event.push((sentence, def.kind, i));
                continue;
            }
            sentence_event.push((sentence, def.kind, events.len()));
            events.push(m);
            drafts.push(Draft {
                base: def.cameo.clone(),
                third,
                subjects,
                first_token: h.start,
                last_sentence: sentence,
                explicit_place: place.is_some(),
            });
        }
        spoken_meetings(&ctx, statements, &mut events, &mut drafts);
        fill_defaults(&ctx, &mut events, &drafts, story.as_deref());
        refine_countries(&ctx, &mut events);
        for (ev, d) in events.iter_mut().zip(&drafts) {
            status::cameo(&ctx, ev, &d.base, d.third, &d.subjects);
        }
        // (only a destination the text names: a dateline default may be wrong)
        let mut explicit = drafts.iter().map(|d| d.explicit_place);
        events.retain(|ev| !(explicit.next().unwrap_or(false) && domestic_trip(&ctx, ev)));
        events
    }
}

fn empty(kind: EventKind, trigger: Span, status: Status) -> Event {
    Event {
        kind,
        trigger,
        evidence: Vec::new(),
        participants: Vec::new(),
        hosts: Vec::new(),
        place: None,
        date: None,
        status,
        cameo: String::new(),
        source_actor: None,
        target_actor: None,
    }
}

/// The pair a plural phrase ("the two leaders") names: the participants of
/// the last event with two or more, if it is recent, else the last two
/// people mentioned.
fn pair_before(ctx: &args::Ctx, events: &[Event], pos: usize) -> Vec<usize> {
    let ents = ctx.ents;
    let end = ents.mentions.partition_point(|m| m.span.start < pos);
    let mut people: Vec<usize> = Vec::new();
    for m in ents.mentions[end.saturating_sub(40)..end].iter().rev() {
        if m.kind == crate::gazetteer::EntityKind::Person {
            if let Some(e) = m.entity {
                if !people.contains(&e) {
                    people.push(e);
                }
            }
        }
        if people.len() == 2 {
            break;
        }
    }
    if let Some(last) = events.last().filter(|e| e.participants.len() >= 2) {
        if people.iter().all(|p| last.participants.contains(p)) || people.len() < 2 {
            return last.participants.clone();
        }
    }
    if people.len() == 2 {
        people.reverse();
        people
    } else {
        Vec::new()
    }
}

/// Dates and places the text leaves implicit: an occurred event in the lead
/// takes the document date; a meeting with no place takes that of the event
/// just before it in the same paragraph; an event reported there and then
/// takes the dateline city.
fn fill_defaults(
    ctx: &args::Ctx,
    events: &mut [Event],
    drafts: &[Draft],
    story_date: Option<&str>,
) {
    let doc = ctx.doc;
    let first_body = crate::dates::first_body_sentence(doc);
    let doc_date = doc.date.map(|d| d.format("%Y-%m-%d").to_string());
    let dateline_city = ctx.dateline_city;
    // undated events are taken to be on the story's day (before places,
    // so an event of that day can take the dateline city)
    let undated: Vec<bool> = events.iter().map(|e| e.date.is_none()).collect();
    // an undated event right after a dated one of the same participant, in
    // the same paragraph, continues its story ("X invited him to visit in
    // January. He met her and ...")
    for i in 1..events.len() {
        let (prev, cur) = events.split_at_mut(i);
        let (p, ev) = (&prev[i - 1], &mut cur[0]);
        let sent = doc.tokens[drafts[i].first_token].sentence;
        let prev_sent = drafts[i - 1].last_sentence;
        if ev.date.is_none()
            && !undated[i - 1]
            && ev.status != Status::Cancelled
            && p.status == ev.status
            && sent > prev_sent
            && sent <= prev_sent + 2
            && doc.sentences[prev_sent].paragraph == doc.sentences[sent].paragraph
            && ev.participants.iter().any(|x| p.participants.contains(x))
        {
            ev.date = p.date.clone();
        }
    }
    // (a planned trip the text gives no time for is not on the story's day:
    // "agreed to pay a return visit")
    if let Some(sd) = story_date {
        for ev in events.iter_mut() {
            let open_plan = ev.status == Status::Planned && ev.kind == EventKind::Visit;
            if ev.date.is_none() && ev.status != Status::Cancelled && !open_plan {
                ev.date = Some(sd.to_string());
            }
        }
    }
    // scenes set by sentences outside quotations, in text order
    let scenes: Vec<(usize, usize)> = (first_body..doc.sentences.len())
        // (a sentence whose first token starts no locative sets no scene)
        .filter(|&s| ctx.t.place_preps.may_start(doc, doc.sentences[s].tokens.0))
        .filter(|&s| !doc.paragraphs[doc.sentences[s].paragraph].heading)
        .filter(|&s| ctx.quote_at(doc.sentences[s].span.start).is_none())
        .filter_map(|s| Some((doc.sentences[s].tokens.0, ctx.scene(s)?)))
        .collect();
    // participant → (token, place, date) of their latest visit to a named
    // place (a planned one has not moved them yet)
    let mut whereabouts: FxMap<usize, (usize, usize, Option<String>)> = FxMap::default();
    for i in 0..events.len() {
        let sent = doc.tokens[drafts[i].first_token].sentence;
        let lead = sent >= first_body && sent < first_body + crate::dates::LEAD_SENTENCES
            || doc.paragraphs[doc.sentences[sent].paragraph].heading;
        let ev = &events[i];
        if ev.date.is_none()
            && ev.kind != EventKind::Visit
            && ev.status == Status::Occurred
            && lead
            && !doc.paragraphs[doc.sentences[sent].paragraph].heading
        {
            events[i].date = doc_date.clone();
        }
        if events[i].place.is_none() && events[i].kind == EventKind::Meeting && i > 0 {
            let prev_sent = drafts[i - 1].last_sentence;
            let same_par = doc.sentences[prev_sent].paragraph == doc.sentences[sent].paragraph;
            if same_par
                && sent <= prev_sent + 2
                && drafts[i - 1].explicit_place
                && events[i - 1].date == events[i].date
            {
                events[i].place = events[i - 1].place;
            }
        }
        if events[i].place.is_none()
            && events[i].kind == EventKind::Meeting
            && events[i].status != Status::Cancelled
        {
            events[i].place = whereabouts_of(
                &events[i],
                drafts[i].first_token,
                &scenes,
                &whereabouts,
                [story_date, doc_date.as_deref()],
            );
        }
        if events[i].kind == EventKind::Visit
            && drafts[i].explicit_place
            && events[i].status == Status::Occurred
        {
            if let Some(p) = events[i].place {
                for &e in &events[i].participants {
                    whereabouts.insert(e, (drafts[i].first_token, p, events[i].date.clone()));
                }
            }
        }
        let ev = &events[i];
        if ev.place.is_none() && ev.kind != EventKind::Call && ev.status == Status::Occurred {
            let today = ev.date.is_some() && ev.date == doc_date;
            let there = match ev.kind {
                EventKind::Visit => ev.date.is_none() || today,
                _ => today || ((ev.date.is_none() || undated[i]) && lead),
            };
            if there {
                if let Some(c) = dateline_city.filter(|c| !ev.participants.contains(c)) {
                    events[i].place = host_seat(ctx, ev, c);
                }
            }
        }
    }
}

/// Where an event the text places nowhere was held, given the dateline city
/// `city`: there, unless a host's country is another ("PARIS - The German
/// chancellor hosted ..."): then that country's capital if the article
/// names it, else nowhere.
fn host_seat(ctx: &args::Ctx, ev: &Event, city: usize) -> Option<usize> {
    let Some(&host) = ev.hosts.first() else {
        return Some(city);
    };
    let (Some(hc), Some(cc)) = (status::country(ctx, host), status::country(ctx, city)) else {
        return Some(city);
    };
    if hc == cc {
        return Some(city);
    }
    let ents = &ctx.ents.entities;
    let capital = ents
        .iter()
        .find(|e| {
            e.attrs.get("type").is_some_and(|t| t == "country")
                && e.attrs
                    .get("iso2")
                    .is_some_and(|c| c.eq_ignore_ascii_case(&hc))
        })
        .and_then(|e| e.attrs.get("capital"))?;
    ents.iter().position(|e| &e.id == capital)
}

/// Words said to someone face to face at a named place are a meeting
/// ("At the guesthouse on Monday, Wang told Blinken that ..."): a statement
/// between two people whose sentence sets a place, and no call, joins the
/// meeting of the same pair or starts one. Events stay in text order.
/// Speaker, addressee and cue of a statement that names all three ("X told
/// Y"): the only statements [`spoken_meetings`] reads.
fn told(st: &Statement) -> Option<(usize, usize, Span)> {
    Some((st.speaker?, st.addressee?, st.cue?))
}

fn spoken_meetings(
    ctx: &args::Ctx,
    statements: &[Statement],
    events: &mut Vec<Event>,
    drafts: &mut Vec<Draft>,
) {
    use crate::gazetteer::EntityKind as K;
    let doc = ctx.doc;
    let person = |e: usize| ctx.ents.entities[e].kind == K::Person;
    // sentences that carry a call
    let mut call_sentences: Vec<usize> = events
        .iter()
        .filter(|e| e.kind == EventKind::Call)
        .flat_map(|e| e.evidence.iter().map(|s| s.start))
        .collect();
    call_sentences.sort_unstable();
    let before = events.len();
    for st in statements {
        let Some((sp, ad, cue)) = told(st) else {
            continue;
        };
        if sp == ad || !person(sp) || !person(ad) {
            continue;
        }
        let k = doc.token_at_or_after(cue.start);
        let Some(tok) = doc.tokens.get(k) else {
            continue;
        };
        let sentence = doc.sentences[tok.sentence];
        if call_sentences.binary_search(&sentence.span.start).is_ok() {
            continue;
        }
        let place = ctx
            .scene(tok.sentence)
            .or_else(|| ctx.place_near(k, k + 1).0);
        let Some(place) = place else { continue };
        let m = Event {
            participants: vec![sp, ad],
            place: Some(place),
            date: ctx.date_near(k, k + 1).map(|d| d.0),
            evidence: vec![sentence.span],
            ..empty(EventKind::Meeting, cue, Status::Occurred)
        };
        if let Some(i) = dedup::find_same(events, &m) {
            let spec = events[i]
                .place
                .map(|q| ctx.specificity(place) > ctx.specificity(q))
                .unwrap_or(true);
            dedup::merge(&mut events[i], m, spec);
            drafts[i].explicit_place = true;
            continue;
        }
        events.push(m);
        drafts.push(Draft {
            base: "040".into(),
            third: false,
            subjects: vec![sp],
            first_token: k,
            last_sentence: tok.sentence,
            explicit_place: true,
        });
    }
    if events.len() > before {
        let mut order: Vec<usize> = (0..events.len()).collect();
        order.sort_by_key(|&i| drafts[i].first_token);
        let mut ev: Vec<Option<Event>> = std::mem::take(events).into_iter().map(Some).collect();
        let mut dr: Vec<Option<Draft>> = std::mem::take(drafts).into_iter().map(Some).collect();
        for i in order {
            events.extend(ev[i].take());
            drafts.extend(dr[i].take());
        }
    }
}

/// Where a meeting the text gives no place for was held, from the story
/// before it: the last scene set ("In Nairobi, ..."), for a meeting of the
/// story's day, or the destination of the last visit of one of its
/// participants that the meeting's day falls in (see [`same_stay`]),
/// whichever comes later in the text.
fn whereabouts_of(
    ev: &Event,
    at: usize,
    scenes: &[(usize, usize)],
    whereabouts: &FxMap<usize, (usize, usize, Option<String>)>,
    today: [Option<&str>; 2],
) -> Option<usize> {
    let there_then = ev.date.is_none()
        || today
            .iter()
            .any(|d| d.is_some() && *d == ev.date.as_deref());
    let scene = scenes
        .partition_point(|s| s.0 < at)
        .checked_sub(1)
        .map(|j| scenes[j])
        .filter(|_| there_then);
    let visit = ev
        .participants
        .iter()
        .filter_map(|p| whereabouts.get(p))
        .filter(|w| w.0 < at && same_stay(w.2.as_deref(), ev.date.as_deref()))
        .filter(|w| !ev.participants.contains(&w.1))
        .map(|w| (w.0, w.1))
        .max();
    scene.into_iter().chain(visit).max().map(|x| x.1)
}

/// Longest stay a visit is taken to cover (days after its arrival).
const STAY_DAYS: i64 = 7;

/// Can a meeting on `meeting` fall within a stay that began on `arrival`?
/// The same date, or a full day up to [`STAY_DAYS`] after the arrival day
/// ("arrived on Sunday ... on Monday he met").
fn same_stay(arrival: Option<&str>, meeting: Option<&str>) -> bool {
    if arrival == meeting {
        return true;
    }
    let day =
        |d: Option<&str>| d.and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    match (day(arrival), day(meeting)) {
        (Some(a), Some(m)) => (0..=STAY_DAYS).contains(&(m - a).num_days()),
        _ => false,
    }
}

/// A trip at home is no diplomatic visit: every visitor's country is that of
/// the destination, a country, region or city ("the president, on a trip to
/// California"). Named sites (a parliament, a palace) still count.
fn domestic_trip(ctx: &args::Ctx, ev: &Event) -> bool {
    let Some(p) = ev
        .place
        .filter(|&p| ev.kind == EventKind::Visit && ctx.specificity(p) <= 2)
    else {
        return false;
    };
    let Some(home) = status::country(ctx, p) else {
        return false;
    };
    !ev.participants.is_empty()
        && ev
            .participants
            .iter()
            .all(|&v| status::country(ctx, v).is_some_and(|c| c == home))
}

/// A visit to a country by someone the story places in one of its cities
/// or sites (a meeting in Tunis) was a visit there: "the first minister to
/// visit Tunisia" → Tunis.
fn refine_countries(ctx: &args::Ctx, events: &mut [Event]) {
    // (participant, country code) → the first specific place of theirs
    let mut seen: FxMap<(usize, String), usize> = FxMap::default();
    for ev in events.iter() {
        let Some(p) = ev.place.filter(|&p| ctx.specificity(p) >= 2) else {
            continue;
        };
        let Some(c) = status::country(ctx, p) else {
            continue;
        };
        for &e in &ev.participants {
            seen.entry((e, c.clone())).or_insert(p);
        }
    }
    for ev in events.iter_mut() {
        if ev.kind != EventKind::Visit {
            continue;
        }
        let Some(p) = ev.place.filter(|&p| ctx.specificity(p) == 0) else {
            continue;
        };
        let Some(c) = status::country(ctx, p) else {
            continue;
        };
        if let Some(&q) = ev
            .participants
            .iter()
            .find_map(|&e| seen.get(&(e, c.clone())))
        {
            ev.place = Some(q);
        }
    }
}

/// A bare weekday ("on Thursday") is read by the date stage against the
/// document date. A story often reports an earlier day than the one it is
/// dated (a Friday paper on Wednesday's visit), and its weekdays count from
/// that day: a planned event is on the first such weekday after the story's
/// day, an occurred one on the last such weekday not after it. Other dates
/// are returned unchanged.
fn reanchor(
    ctx: &args::Ctx,
    date: String,
    timex: usize,
    status: Status,
    story: Option<&str>,
) -> String {
    use chrono::{Datelike, Duration, NaiveDate};
    let (Some(w), Some(story), Some(doc_date)) = (ctx.bare_weekday(timex), story, ctx.doc.date)
    else {
        return date;
    };
    let Ok(s) = NaiveDate::parse_from_str(story, "%Y-%m-%d") else {
        return date;
    };
    if s >= doc_date || date.len() != 10 {
        return date;
    }
    let dow = s.weekday().number_from_monday();
    let fixed = match status {
        Status::Planned => s + Duration::days(((w + 7 - dow - 1) % 7 + 1) as i64),
        Status::Occurred if date.as_str() > story => s - Duration::days(((dow + 7 - w) % 7) as i64),
        _ => return date,
    };
    fixed.format("%Y-%m-%d").to_string()
}
