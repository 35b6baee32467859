//! JSON Lines records written straight from one document's annotations,
//! without building its graph first.
//!
//! Invariant: [`write_record`] appends exactly the bytes that
//! [`super::jsonl::record_bytes`] writes for
//! `KnowledgeGraph::from_annotated(a)`. The graph of one document holds each
//! entity, statement and event once and each edge once, unless two of them
//! share an id (two entities with one id, an entity named twice among an
//! event's participants …): then the graph merges them, and this writer
//! hands the document to the graph path instead. Otherwise nodes and edges
//! are written in the graph's order (by id; by source, target and kind),
//! with the attributes `add_annotated` sets, in key order.

use super::compact;
use crate::document::Span;
use crate::graph::{
    event_label, event_names, sorted_aliases, source_name, statement_id, statement_label,
    utterance, EntityNodes, EventIds, KnowledgeGraph,
};
use crate::Annotated;

/// A node of the document's graph: an entity, a statement or an event (by index).
#[derive(Clone, Copy)]
enum What {
    Entity(usize),
    Statement(usize),
    Event(usize),
}

/// An edge of the document's graph, with its one provenance span.
struct EdgeRef<'a> {
    source: &'a str,
    target: &'a str,
    kind: &'static str,
    span: Span,
}

/// Append the JSON Lines record of `a` (with its newline): the bytes of
/// `record_bytes(&KnowledgeGraph::from_annotated(a), id, url, source)`.
pub(crate) fn write_record(
    out: &mut Vec<u8>,
    a: &Annotated,
    id: &str,
    url: Option<&str>,
    source: Option<&str>,
) {
    if !write_direct(out, a, id, url, source) {
        let g = KnowledgeGraph::from_annotated(a);
        out.extend_from_slice(&super::jsonl::record_bytes(&g, id, url, source));
    }
}

/// `[s,e]`
fn write_span(out: &mut Vec<u8>, s: Span) {
    out.push(b'[');
    compact::uint(out, s.start as u64);
    out.push(b',');
    compact::uint(out, s.end as u64);
    out.push(b']');
}

/// `[[s,e],…]`
fn write_spans(out: &mut Vec<u8>, spans: &[Span]) {
    out.push(b'[');
    for (i, &s) in spans.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_span(out, s);
    }
    out.push(b']');
}

#[inline(always)]
/// `,"key":"value"`, the key given as its bytes `,"key":`.
fn str_attr(out: &mut Vec<u8>, key: &[u8], v: &str) {
    out.extend_from_slice(key);
    compact::string(out, v);
}

/// The record of `a`, or false (and nothing written) if its graph merges
/// something.
fn write_direct(
    out: &mut Vec<u8>,
    a: &Annotated,
    id: &str,
    url: Option<&str>,
    source: Option<&str>,
) -> bool {
    let doc = a.doc.id.as_str();
    let ents = &a.entities.entities;
    // the graph path indexes these without a check: let it fail its way
    if a.events.iter().any(|ev| {
        ev.participants
            .iter()
            .chain(&ev.source_actor)
            .chain(&ev.target_actor)
            .any(|&p| p >= ents.len())
    }) {
        return false;
    }
    let en = EntityNodes::of(a);
    let id_of =
        |e: usize| -> Option<&str> { (e < ents.len() && en.keep[e]).then(|| ents[e].id.as_str()) };
    let statement_ids: Vec<String> = a.statements.iter().map(|s| statement_id(doc, s)).collect();
    let event_kinds: Vec<(String, String)> = a.events.iter().map(event_names).collect();
    let mut ids_here = EventIds::default();
    let event_ids: Vec<String> = a
        .events
        .iter()
        .zip(&event_kinds)
        .map(|(ev, (kind, _))| ids_here.id(kind, doc, ev, ents))
        .collect();
    // the nodes by id, each id once
    let mut nodes: Vec<(&str, What)> = Vec::with_capacity(
        en.keep.iter().filter(|&&k| k).count() + a.statements.len() + a.events.len(),
    );
    for (e, ent) in ents.iter().enumerate() {
        if en.keep[e] {
            nodes.push((&ent.id, What::Entity(e)));
        }
    }
    for (i, sid) in statement_ids.iter().enumerate() {
        nodes.push((sid, What::Statement(i)));
    }
    for (i, eid) in event_ids.iter().enumerate() {
        nodes.push((eid, What::Event(i)));
    }
    nodes.sort_unstable_by(|x, y| x.0.cmp(y.0));
    if nodes.windows(2).any(|w| w[0].0 == w[1].0) {
        return false;
    }
    // the edges by (source, target, kind), each once
    let mut edges: Vec<EdgeRef> = Vec::new();
    for (s, sid) in a.statements.iter().zip(&statement_ids) {
        if let Some(sp) = s.speaker.and_then(id_of) {
            edges.push(EdgeRef {
                source: sp,
                target: sid,
                kind: "said",
                span: s.speaker_span.unwrap_or(s.evidence),
            });
        }
        if let Some(ad) = s.addressee.and_then(id_of) {
            edges.push(EdgeRef {
                source: sid,
                target: ad,
                kind: "addressed",
                span: s.evidence,
            });
        }
        for &m in &s.mentions {
            if Some(m) == s.speaker {
                continue;
            }
            if let Some(t) = id_of(m) {
                edges.push(EdgeRef {
                    source: sid,
                    target: t,
                    kind: "mentions",
                    span: s.span,
                });
            }
        }
    }
    for (ev, eid) in a.events.iter().zip(&event_ids) {
        for &p in &ev.participants {
            if let Some(pi) = id_of(p) {
                edges.push(EdgeRef {
                    source: pi,
                    target: eid,
                    kind: if ev.hosts.contains(&p) {
                        "hosted"
                    } else {
                        "participated"
                    },
                    span: ev.trigger,
                });
            }
        }
        if let Some(pl) = ev.place.and_then(id_of) {
            edges.push(EdgeRef {
                source: eid,
                target: pl,
                kind: "held_at",
                span: ev.trigger,
            });
        }
    }
    fn key<'a>(e: &EdgeRef<'a>) -> (&'a str, &'a str, &'static str) {
        (e.source, e.target, e.kind)
    }
    edges.sort_unstable_by(|x, y| key(x).cmp(&key(y)));
    if edges.windows(2).any(|w| key(&w[0]) == key(&w[1])) {
        return false;
    }

    out.extend_from_slice(b"{\"id\":");
    compact::string(out, id);
    let date = (id == doc)
        .then(|| a.doc.date.map(|d| d.to_string()))
        .flatten();
    out.extend_from_slice(b",\"date\":");
    compact::opt_string(out, date.as_deref());
    out.extend_from_slice(b",\"url\":");
    compact::opt_string(out, url);
    out.extend_from_slice(b",\"source\":");
    compact::opt_string(out, source);
    // `,"provenance":[{"document":DOC,"spans":` once for all
    let mut prov = Vec::with_capacity(doc.len() + 40);
    prov.extend_from_slice(b",\"provenance\":[{\"document\":");
    compact::string(&mut prov, doc);
    prov.extend_from_slice(b",\"spans\":");
    let write_prov = |out: &mut Vec<u8>, spans: &[Span]| {
        out.extend_from_slice(&prov);
        write_spans(out, spans);
        out.extend_from_slice(b"}]");
    };
    let head = |out: &mut Vec<u8>, id: &str, kind: &str, label: &str| {
        out.extend_from_slice(b"{\"id\":");
        compact::string(out, id);
        out.extend_from_slice(b",\"kind\":");
        compact::string(out, kind);
        out.extend_from_slice(b",\"label\":");
        compact::string(out, label);
    };
    let ids_list = |out: &mut Vec<u8>, ids: &[&str]| {
        compact::list(out, ids, |out, s| compact::string(out, s));
    };
    let mut ids: Vec<&str> = Vec::new();

    out.extend_from_slice(b",\"entities\":[");
    let mut first = true;
    for &(_, what) in &nodes {
        let What::Entity(e) = what else { continue };
        if !first {
            out.push(b',');
        }
        first = false;
        let ent = &ents[e];
        head(out, &ent.id, ent.kind.as_str(), &ent.name);
        out.extend_from_slice(b",\"aliases\":");
        if ent.aliases.windows(2).all(|w| w[0] < w[1]) {
            compact::list(out, &ent.aliases, |out, s| compact::string(out, s));
        } else {
            ids_list(out, &sorted_aliases(ent));
        }
        // the entity's attributes that become node attributes, with the
        // gender and the source, in key order: one walk of its map
        let gender = |out: &mut Vec<u8>| {
            if let Some(gd) = ent.gender {
                str_attr(out, b",\"gender\":", gd.encode_utf8(&mut [0; 4]));
            }
        };
        let source = |out: &mut Vec<u8>| {
            str_attr(out, b",\"source\":", source_name(ent.source));
        };
        let (mut gender_done, mut source_done) = (false, false);
        for (k, v) in &ent.attrs {
            let key: &[u8] = match k.as_str() {
                "country" => b",\"country\":",
                "iso2" => b",\"iso2\":",
                "type" => b",\"type\":",
                "wikidata" => b",\"wikidata\":",
                _ => continue,
            };
            if !gender_done && k.as_str() > "gender" {
                gender(out);
                gender_done = true;
            }
            if !source_done && k.as_str() > "source" {
                source(out);
                source_done = true;
            }
            str_attr(out, key, v);
        }
        if !gender_done {
            gender(out);
        }
        if !source_done {
            source(out);
        }
        write_prov(out, &en.spans[en.start[e]..en.start[e + 1]]);
        out.push(b'}');
    }

    out.extend_from_slice(b"],\"statements\":[");
    let mut first = true;
    for &(sid, what) in &nodes {
        let What::Statement(i) = what else { continue };
        if !first {
            out.push(b',');
        }
        first = false;
        let s = &a.statements[i];
        let text = a.doc.slice(s.span);
        head(out, sid, "statement", &statement_label(text));
        if let Some(au) = &s.audience {
            str_attr(out, b",\"audience\":", au);
        }
        str_attr(out, b",\"cameo\":", &s.cameo);
        if let Some(c) = s.cue {
            str_attr(out, b",\"cue\":", a.doc.slice(c));
        }
        if let Some(l) = &s.cue_lemma {
            str_attr(out, b",\"cue_lemma\":", l);
        }
        out.extend_from_slice(b",\"date\":");
        compact::opt_string(out, s.date.as_deref());
        out.extend_from_slice(if s.direct {
            b",\"direct\":true"
        } else {
            b",\"direct\":false"
        });
        str_attr(out, b",\"document\":", doc);
        out.extend_from_slice(b",\"evidence\":");
        write_span(out, s.evidence);
        out.extend_from_slice(b",\"span\":");
        write_span(out, s.span);
        str_attr(out, b",\"text\":", text);
        str_attr(out, b",\"utterance\":", &utterance(doc, s));
        write_prov(out, &[s.span]);
        out.extend_from_slice(b",\"speaker\":");
        compact::opt_string(out, s.speaker.and_then(id_of));
        out.extend_from_slice(b",\"addressee\":");
        compact::opt_string(out, s.addressee.and_then(id_of));
        ids.clear();
        ids.extend(
            s.mentions
                .iter()
                .filter(|&&m| Some(m) != s.speaker)
                .filter_map(|&m| id_of(m)),
        );
        ids.sort_unstable();
        out.extend_from_slice(b",\"mentioned\":");
        ids_list(out, &ids);
        out.push(b'}');
    }

    out.extend_from_slice(b"],\"events\":[");
    let mut first = true;
    for &(eid, what) in &nodes {
        let What::Event(i) = what else { continue };
        if !first {
            out.push(b',');
        }
        first = false;
        let ev = &a.events[i];
        let (kind, status) = &event_kinds[i];
        head(out, eid, kind, &event_label(kind, ev, ents));
        str_attr(out, b",\"cameo\":", &ev.cameo);
        out.extend_from_slice(b",\"date\":");
        compact::opt_string(out, ev.date.as_deref());
        out.extend_from_slice(b",\"documents\":");
        ids_list(out, &[doc]);
        if let Some(s) = ev.source_actor {
            str_attr(out, b",\"source_actor\":", &ents[s].id);
        }
        str_attr(out, b",\"status\":", status);
        if let Some(t) = ev.target_actor {
            str_attr(out, b",\"target_actor\":", &ents[t].id);
        }
        out.extend_from_slice(b",\"triggers\":");
        ids_list(out, &[a.doc.slice(ev.trigger)]);
        write_prov(out, &ev.evidence);
        ids.clear();
        ids.extend(ev.participants.iter().filter_map(|&p| id_of(p)));
        ids.sort_unstable();
        out.extend_from_slice(b",\"participants\":");
        ids_list(out, &ids);
        ids.clear();
        ids.extend(
            ev.participants
                .iter()
                .filter(|p| ev.hosts.contains(p))
                .filter_map(|&p| id_of(p)),
        );
        ids.sort_unstable();
        out.extend_from_slice(b",\"hosts\":");
        ids_list(out, &ids);
        out.extend_from_slice(b",\"place\":");
        compact::opt_string(out, ev.place.and_then(id_of));
        out.push(b'}');
    }

    out.extend_from_slice(b"],\"edges\":[");
    for (i, e) in edges.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"source\":");
        compact::string(out, e.source);
        out.extend_from_slice(b",\"target\":");
        compact::string(out, e.target);
        write_prov(out, &[e.span]);
        out.extend_from_slice(b",\"kind\":");
        compact::string(out, e.kind);
        out.push(b'}');
    }
    out.extend_from_slice(b"]}\n");
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::KnowledgeGraph;
    use crate::Pipeline;

    /// The record the graph path writes for `a`.
    fn via_graph(a: &Annotated, id: &str, url: Option<&str>, source: Option<&str>) -> String {
        let g = KnowledgeGraph::from_annotated(a);
        String::from_utf8(super::super::jsonl::record_bytes(&g, id, url, source)).unwrap()
    }

    fn direct(a: &Annotated, id: &str, url: Option<&str>, source: Option<&str>) -> (bool, String) {
        let mut out = b"prefix".to_vec();
        let ok = write_direct(&mut out, a, id, url, source);
        let mut again = b"prefix".to_vec();
        write_record(&mut again, a, id, url, source);
        assert!(again.starts_with(b"prefix"));
        assert!(!ok || again == out);
        (ok, String::from_utf8(again[6..].to_vec()).unwrap())
    }

    const TEXTS: [&str; 4] = [
        "WASHINGTON, May 4, 2021 -\n\nAntony Blinken met Dmitry Kuleba in Kyiv on Monday. \
         \"We stand with you,\tfriends \\ \u{1} – “always”,\" Blinken told Kuleba.\n\n\
         Kuleba said the talks were \"useful\". The foreign minister of France, Catherine \
         Colonna, called Wang Yi on Tuesday. Wang said China wanted peace, according to the \
         Chinese foreign ministry. The United Nations and NATO were not mentioned by him.",
        "BERLIN (Reuters) - Olaf Scholz hosted Justin Trudeau in Berlin on Friday, and the two \
         leaders met again in Ottawa a week later. \"Canada is a friend,\" Scholz told reporters. \
         Trudeau visited Poland, where he met Andrzej Duda. Duda said: \"We are grateful.\"",
        "Nothing happened here.",
        "",
    ];

    #[test]
    fn records_written_directly_are_what_the_graph_path_writes() {
        let p = Pipeline::embedded().unwrap();
        let mut direct_ones = 0;
        for (n, text) in TEXTS.iter().enumerate() {
            for date in [None, chrono::NaiveDate::from_ymd_opt(2021, 5, 4)] {
                let id = format!("doc \"{n}\"\n/é");
                let a = p.annotate(&id, text, date);
                for (rid, url, source) in [
                    (id.as_str(), None, None),
                    (
                        id.as_str(),
                        Some("https://example.org/?a=\"b\""),
                        Some("wire"),
                    ),
                    ("another id", None, Some("x")),
                ] {
                    let (ok, line) = direct(&a, rid, url, source);
                    assert_eq!(line, via_graph(&a, rid, url, source), "text {n}");
                    direct_ones += usize::from(ok);
                }
            }
        }
        assert!(direct_ones >= 12, "{direct_ones}");
    }

    /// Annotations whose graph merges something go the graph path, with
    /// the same bytes; so do ones with out-of-range indexes.
    #[test]
    fn documents_whose_graph_merges_are_written_by_the_graph_path() {
        let p = Pipeline::embedded().unwrap();
        let a = p.annotate("d", TEXTS[0], None);
        assert!(!a.statements.is_empty() && !a.events.is_empty(), "{a:?}");
        assert!(direct(&a, "d", None, None).0);
        let mut cases: Vec<Annotated> = Vec::new();
        // an event naming a participant twice: one edge, provenance merged
        let mut b = p.annotate("d", TEXTS[0], None);
        let first = b.events[0].participants[0];
        b.events[0].participants.push(first);
        cases.push(b);
        // a statement mentioning one entity twice
        let mut b = p.annotate("d", TEXTS[0], None);
        let e = b.entities.mentions.iter().find_map(|m| m.entity).unwrap();
        b.statements[0].mentions.extend([e, e]);
        cases.push(b);
        // two entities with one id
        let mut b = p.annotate("d", TEXTS[0], None);
        let id = b.entities.entities[0].id.clone();
        b.entities.entities[1].id = id;
        cases.push(b);
        // two statements with one span
        let mut b = p.annotate("d", TEXTS[0], None);
        let s = b.statements[0].clone();
        b.statements.push(s);
        cases.push(b);
        for (i, b) in cases.iter().enumerate() {
            let (ok, line) = direct(b, "d", None, None);
            assert!(!ok, "case {i}");
            assert_eq!(line, via_graph(b, "d", None, None), "case {i}");
        }
        let mut b = p.annotate("d", TEXTS[0], None);
        b.events[0].participants.push(b.entities.entities.len());
        let mut out = Vec::new();
        assert!(!write_direct(&mut out, &b, "d", None, None));
        assert!(out.is_empty());
    }
}
