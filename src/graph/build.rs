//! Building the graph of one annotated document.

use super::{
    better_label, flag, id_hash, merge_prov, merge_prov_one_sorted, merge_str_attr,
    merge_strs_attr, Attrs, Edge, KnowledgeGraph, Node, Provenance, StatementAttrs, Text, UNSORTED,
};
use crate::document::Span;
use crate::entities::{DocEntity, How};
use crate::events::Event;
use crate::gazetteer::Source;
use crate::statements::Statement;
use crate::Annotated;
use petgraph::stable_graph::NodeIndex;
use serde_json::Value;

/// The id of an event node. An event with a date and participants is
/// identified by kind, date and participant ids, so that the same real event
/// reported by several articles becomes one node with every source in its
/// provenance; otherwise the id is local to its document.
pub fn event_id<'a>(
    kind: &str,
    doc: &str,
    trigger: usize,
    date: Option<&str>,
    participants: impl Iterator<Item = &'a str>,
) -> String {
    let mut ids: Vec<&str> = participants.collect();
    ids.sort_unstable();
    ids.dedup();
    match date {
        Some(d) if !ids.is_empty() && !d.is_empty() => format!("{kind}:{d}:{}", ids.join("+")),
        _ => format!("{kind}:{doc}:{trigger}"),
    }
}

/// Append `n` in decimal.
fn push_uint(s: &mut String, n: usize) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut n = n;
    while n >= 100 {
        let r = n % 100;
        n /= 100;
        i -= 2;
        buf[i] = b'0' + (r / 10) as u8;
        buf[i + 1] = b'0' + (r % 10) as u8;
    }
    if n >= 10 {
        i -= 2;
        buf[i] = b'0' + (n / 10) as u8;
        buf[i + 1] = b'0' + (n % 10) as u8;
    } else {
        i -= 1;
        buf[i] = b'0' + n as u8;
    }
    for &d in &buf[i..] {
        s.push(d as char);
    }
}

/// A statement's label: its text, cut to 57 characters and "…" when it
/// is longer than 60.
pub(crate) fn statement_label(text: &str) -> String {
    let b = text.as_bytes();
    if b.len() <= 60 {
        // no more characters than bytes
        return text.to_string();
    }
    if b[..57].is_ascii() && b[57..].iter().take(4).all(|&c| !(0x80..0xC0).contains(&c)) {
        // 57 one-byte characters, and four more start in the next four bytes
        let mut label = String::with_capacity(57 + '…'.len_utf8());
        label.push_str(&text[..57]);
        label.push('…');
        return label;
    }
    if text.char_indices().nth(60).is_none() {
        return text.to_string();
    }
    let cut = text.char_indices().nth(57).map_or(text.len(), |(i, _)| i);
    let mut label = String::with_capacity(cut + '…'.len_utf8());
    label.push_str(&text[..cut]);
    label.push('…');
    label
}

fn prov(doc: &str, spans: Vec<Span>) -> Vec<Provenance> {
    vec![Provenance {
        document: doc.to_string(),
        spans,
    }]
}

/// Which entities of a document become nodes (those named, or that a
/// statement or event refers to; the test of `EntityLayer::is_named`), and
/// each entity's spans (its mentions but pronouns, in mention order).
pub(crate) struct EntityNodes {
    pub(crate) keep: Vec<bool>,
    /// Entity `e`'s spans are `spans[start[e]..start[e + 1]]`.
    pub(crate) start: Vec<usize>,
    pub(crate) spans: Vec<Span>,
}

impl EntityNodes {
    pub(crate) fn of(a: &Annotated) -> EntityNodes {
        let n = a.entities.entities.len();
        let mut keep = vec![false; n];
        let mut start = vec![0usize; n + 1];
        for m in &a.entities.mentions {
            let Some(e) = m.entity.filter(|&e| e < n) else {
                continue;
            };
            if matches!(
                m.how,
                How::Gazetteer | How::Inferred | How::Surname | How::Adjective
            ) {
                keep[e] = true;
            }
            if m.how != How::Pronoun {
                start[e + 1] += 1;
            }
        }
        for e in 0..n {
            start[e + 1] += start[e];
        }
        let mut spans = vec![Span::default(); start[n]];
        let mut next = start.clone();
        for m in &a.entities.mentions {
            if let Some(e) = m.entity.filter(|&e| e < n && m.how != How::Pronoun) {
                spans[next[e]] = m.span;
                next[e] += 1;
            }
        }
        let mut mark = |e: usize| {
            if let Some(k) = keep.get_mut(e) {
                *k = true;
            }
        };
        for s in &a.statements {
            s.speaker.into_iter().for_each(&mut mark);
            s.addressee.into_iter().for_each(&mut mark);
        }
        for e in &a.events {
            e.participants.iter().copied().for_each(&mut mark);
            e.place.into_iter().for_each(&mut mark);
        }
        EntityNodes { keep, start, spans }
    }
}

/// An entity's aliases sorted, each once.
pub(crate) fn sorted_aliases(ent: &DocEntity) -> Vec<&str> {
    let mut v: Vec<&str> = ent.aliases.iter().map(String::as_str).collect();
    if !v.windows(2).all(|w| w[0] < w[1]) {
        v.sort_unstable();
        v.dedup();
    }
    v
}

/// An entity's `source` attribute.
pub(crate) fn source_name(s: Source) -> &'static str {
    match s {
        Source::Gazetteer => "gazetteer",
        Source::Inferred => "inferred",
    }
}

/// A statement node's id: `statement:{doc}:{start}-{end}`.
pub(crate) fn statement_id(doc: &str, s: &Statement) -> String {
    let mut id = String::with_capacity("statement:".len() + doc.len() + 24);
    id.push_str("statement:");
    id.push_str(doc);
    id.push(':');
    push_uint(&mut id, s.span.start);
    id.push('-');
    push_uint(&mut id, s.span.end);
    id
}

/// A statement's `utterance` attribute: `{doc}:{utterance}`.
pub(crate) fn utterance(doc: &str, s: &Statement) -> String {
    let mut u = String::with_capacity(doc.len() + 12);
    u.push_str(doc);
    u.push(':');
    push_uint(&mut u, s.utterance);
    u
}

/// An event's kind and status as written (their serde names).
pub(crate) fn event_names(ev: &Event) -> (String, String) {
    let kind = serde_json::to_value(ev.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let status = serde_json::to_value(ev.status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    (kind, status)
}

/// An event node's label: its kind, and its participants' names.
pub(crate) fn event_label(kind: &str, ev: &Event, ents: &[DocEntity]) -> String {
    let names: Vec<&str> = ev
        .participants
        .iter()
        .map(|&p| ents[p].name.as_str())
        .collect();
    if names.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}: {}", names.join(", "))
    }
}

/// The ids of one document's event nodes, in event order.
#[derive(Default)]
pub(crate) struct EventIds(std::collections::HashSet<String>);

impl EventIds {
    /// The id of the document's next event `ev` (see [`event_id`]).
    pub(crate) fn id(&mut self, kind: &str, doc: &str, ev: &Event, ents: &[DocEntity]) -> String {
        let mut id = event_id(
            kind,
            doc,
            ev.trigger.start,
            ev.date.as_deref(),
            ev.participants.iter().map(|&p| ents[p].id.as_str()),
        );
        // two events of one article never share a node: the second of
        // the same kind, date and participants keeps a document-local id
        if !self.0.insert(id.clone()) {
            id = format!("{kind}:{doc}:{}", ev.trigger.start);
            self.0.insert(id.clone());
        }
        id
    }
}

/// The entity attributes a node copies: country, iso2, type and wikidata
/// (one walk over the entity's attributes).
fn copied_attrs(ent: &DocEntity) -> [Option<&str>; 4] {
    let mut found = [None; 4];
    for (k, v) in &ent.attrs {
        let i = match k.as_str() {
            "country" => 0,
            "iso2" => 1,
            "type" => 2,
            "wikidata" => 3,
            _ => continue,
        };
        found[i] = Some(v.as_str());
    }
    found
}

/// The node of entity `ent` in document `doc`, seen at `spans`.
fn entity_node(ent: &DocEntity, doc: &str, spans: &[Span]) -> Node {
    // keys in ascending order: each is pushed last
    let mut attrs = Attrs::with_capacity(7);
    let aliases: Vec<Value> = if ent.aliases.windows(2).all(|w| w[0] < w[1]) {
        ent.aliases
            .iter()
            .map(|a| Value::String(a.clone()))
            .collect()
    } else {
        sorted_aliases(ent)
            .into_iter()
            .map(|a| Value::String(a.to_string()))
            .collect()
    };
    attrs.push_last("aliases", Value::Array(aliases));
    let [country, iso2, type_, wikidata] = copied_attrs(ent);
    let copy = |attrs: &mut Attrs, key: &'static str, v: Option<&str>| {
        if let Some(v) = v {
            attrs.push_last(key, Value::String(v.to_string()));
        }
    };
    copy(&mut attrs, "country", country);
    if let Some(gd) = ent.gender {
        attrs.push_last("gender", Value::String(gd.to_string()));
    }
    copy(&mut attrs, "iso2", iso2);
    attrs.push_last("source", Value::String(source_name(ent.source).into()));
    copy(&mut attrs, "type", type_);
    copy(&mut attrs, "wikidata", wikidata);
    Node {
        id: ent.id.clone(),
        kind: ent.kind.as_str().to_string(),
        label: ent.name.clone(),
        attrs,
        provenance: prov(doc, spans.to_vec()),
    }
}

/// How many nodes and (at most) edges the graph of `a` has.
fn capacity(a: &Annotated) -> (usize, usize) {
    let nodes = a.entities.entities.len() + a.statements.len() + a.events.len();
    let edges = a
        .statements
        .iter()
        .map(|s| 2 + s.mentions.len())
        .chain(a.events.iter().map(|e| 1 + e.participants.len()))
        .sum();
    (nodes, edges)
}

impl KnowledgeGraph {
    /// Merge entity `ent` of document `doc`, seen at `spans`, into node `i`
    /// (which has its id): what merging [`entity_node`] does, without
    /// building it (a value is copied only where it changes the node).
    fn merge_entity(&mut self, i: NodeIndex, ent: &DocEntity, doc: &str, spans: &[Span]) {
        let mut state = flag(&self.sorted_node_prov, i.index());
        let n = &mut self.graph[i];
        if n.label != ent.name && better_label(&n.label, &ent.name) != n.label {
            n.label = ent.name.clone();
        }
        if *ent.kind.as_str() < *n.kind {
            n.kind = ent.kind.as_str().to_string();
        }
        // the keys of entity_node, in its (ascending) order
        let attrs = &mut n.attrs;
        let mut at = 0;
        merge_strs_attr(attrs, &mut at, "aliases", &ent.aliases);
        let [country, iso2, type_, wikidata] = copied_attrs(ent);
        let copy = |attrs: &mut Attrs, at: &mut usize, key: &'static str, v: Option<&str>| {
            if let Some(v) = v {
                merge_str_attr(attrs, at, key, v);
            }
        };
        copy(attrs, &mut at, "country", country);
        if let Some(gd) = ent.gender {
            merge_str_attr(attrs, &mut at, "gender", gd.encode_utf8(&mut [0; 4]));
        }
        copy(attrs, &mut at, "iso2", iso2);
        merge_str_attr(attrs, &mut at, "source", source_name(ent.source));
        copy(attrs, &mut at, "type", type_);
        copy(attrs, &mut at, "wikidata", wikidata);
        if state == UNSORTED {
            merge_prov(&mut n.provenance, prov(doc, spans.to_vec()));
        } else if merge_prov_one_sorted(&mut n.provenance, doc, spans, &mut state) {
            self.has_tail(i);
        }
    }

    /// Can [`add_annotated`](Self::add_annotated) take `a` without
    /// panicking? True when every entity index of its events is in range
    /// and every span it reads the text of (statement spans and cues, event
    /// triggers) is a slice of the text, as the pipeline makes them.
    pub fn can_add(a: &Annotated) -> bool {
        let n = a.entities.entities.len();
        let text = &a.doc.text;
        let slice_ok = |s: Span| text.get(s.start..s.end).is_some();
        a.statements
            .iter()
            .all(|s| slice_ok(s.span) && s.cue.is_none_or(slice_ok))
            && a.events.iter().all(|e| {
                slice_ok(e.trigger)
                    && e.participants.iter().all(|&p| p < n)
                    && e.source_actor.is_none_or(|x| x < n)
                    && e.target_actor.is_none_or(|x| x < n)
            })
    }

    /// The graph of one annotated document.
    pub fn from_annotated(a: &Annotated) -> KnowledgeGraph {
        let mut g = KnowledgeGraph::new();
        let (nodes, edges) = capacity(a);
        g.graph = petgraph::stable_graph::StableDiGraph::with_capacity(nodes, edges);
        g.add_annotated(a);
        g
    }

    /// Add one annotated document's actors, statements and events.
    pub fn add_annotated(&mut self, a: &Annotated) {
        self.deferred(|g| g.add_annotated_deferred(a));
    }

    fn add_annotated_deferred(&mut self, a: &Annotated) {
        let doc = a.doc.id.as_str();
        self.add_document(doc, a.doc.date.map(|d| d.to_string()));
        let ents = &a.entities.entities;
        let EntityNodes { keep, start, spans } = EntityNodes::of(a);
        let mut idx: Vec<Option<NodeIndex>> = vec![None; ents.len()];
        let new_nodes = keep.iter().filter(|&&k| k).count() + a.statements.len() + a.events.len();
        self.reserve_nodes(new_nodes);
        for e in (0..ents.len()).filter(|&e| keep[e]) {
            let ent = &ents[e];
            let ent_spans = &spans[start[e]..start[e + 1]];
            let h = id_hash(&ent.id);
            idx[e] = Some(match self.find_node(h, &ent.id) {
                // seen before (in another document, mostly): merged in place
                Some(i) => {
                    self.merge_entity(i, ent, doc, ent_spans);
                    i
                }
                None => self.insert_node(h, entity_node(ent, doc, ent_spans)),
            });
        }
        let idx = |e: usize| idx.get(e).copied().flatten();
        // statements
        // the document's statements share their `document` attribute
        let shared_doc: Option<std::sync::Arc<str>> =
            (!a.statements.is_empty()).then(|| std::sync::Arc::from(doc));
        for s in &a.statements {
            let id = statement_id(doc, s);
            let attrs = Attrs::statement(StatementAttrs {
                audience: s.audience.as_deref().map(Box::from),
                cameo: Text::new(&s.cameo),
                cue: s.cue.map(|c| Text::new(a.doc.slice(c))),
                cue_lemma: s.cue_lemma.as_deref().map(Text::new),
                date: s.date.as_deref().map(Text::new),
                direct: s.direct,
                document: shared_doc.clone().unwrap_or_else(|| doc.into()),
                evidence: s.evidence,
                span: s.span,
                text: a.doc.slice(s.span).into(),
                utterance: s.utterance,
            });
            let label = statement_label(a.doc.slice(s.span));
            let si = self.upsert_node(Node {
                id,
                kind: "statement".into(),
                label,
                attrs,
                provenance: prov(doc, vec![s.span]),
            });
            let edge = |kind: &str, span: Option<Span>| Edge {
                kind: kind.into(),
                attrs: Attrs::new(),
                provenance: prov(doc, span.into_iter().collect()),
            };
            if let Some(sp) = s.speaker.and_then(idx) {
                self.upsert_edge(sp, si, edge("said", s.speaker_span.or(Some(s.evidence))));
            }
            if let Some(ad) = s.addressee.and_then(idx) {
                self.upsert_edge(si, ad, edge("addressed", Some(s.evidence)));
            }
            for m in &s.mentions {
                if Some(*m) == s.speaker {
                    continue;
                }
                if let Some(t) = idx(*m) {
                    self.upsert_edge(si, t, edge("mentions", Some(s.span)));
                }
            }
        }
        // events
        let mut ids_here = EventIds::default();
        for ev in &a.events {
            let (kind, status) = event_names(ev);
            let id = ids_here.id(&kind, doc, ev, ents);
            let label = event_label(&kind, ev, ents);
            // keys in ascending order: each is pushed last
            let mut attrs = Attrs::with_capacity(7);
            attrs.push_last("cameo", Value::String(ev.cameo.clone()));
            attrs.push_last("date", ev.date.clone().map_or(Value::Null, Value::String));
            attrs.push_last("documents", Value::Array(vec![Value::String(doc.into())]));
            if let Some(s) = ev.source_actor {
                attrs.push_last("source_actor", Value::String(ents[s].id.clone()));
            }
            attrs.push_last("status", Value::String(status));
            if let Some(t) = ev.target_actor {
                attrs.push_last("target_actor", Value::String(ents[t].id.clone()));
            }
            attrs.push_last(
                "triggers",
                Value::Array(vec![Value::String(a.doc.slice(ev.trigger).into())]),
            );
            let ei = self.upsert_node(Node {
                id,
                kind,
                label,
                attrs,
                provenance: prov(doc, ev.evidence.clone()),
            });
            for &p in &ev.participants {
                if let Some(pi) = idx(p) {
                    let k = if ev.hosts.contains(&p) {
                        "hosted"
                    } else {
                        "participated"
                    };
                    self.upsert_edge(
                        pi,
                        ei,
                        Edge {
                            kind: k.into(),
                            attrs: Attrs::new(),
                            provenance: prov(doc, vec![ev.trigger]),
                        },
                    );
                }
            }
            if let Some(pl) = ev.place.and_then(idx) {
                self.upsert_edge(
                    ei,
                    pl,
                    Edge {
                        kind: "held_at".into(),
                        attrs: Attrs::new(),
                        provenance: prov(doc, vec![ev.trigger]),
                    },
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{Event, EventKind, Status};
    use crate::Pipeline;
    use serde_json::json;

    /// One article with a meeting between its first two people, on `date`.
    fn article(p: &Pipeline, id: &str, text: &str, date: Option<&str>) -> Annotated {
        let mut a = p.annotate(id, text, None);
        a.events.clear();
        let people: Vec<usize> = (0..a.entities.entities.len())
            .filter(|&e| a.entities.entities[e].id.starts_with("person:"))
            .collect();
        assert!(people.len() >= 2, "{id}: {:?}", a.entities.entities);
        let trigger = text
            .find("met")
            .map(|i| Span::new(i, i + 3))
            .unwrap_or_default();
        a.events.push(Event {
            kind: EventKind::Meeting,
            trigger,
            evidence: vec![Span::new(0, text.len())],
            participants: vec![people[0], people[1]],
            hosts: vec![],
            place: None,
            date: date.map(str::to_string),
            status: Status::Occurred,
            cameo: "040".into(),
            source_actor: None,
            target_actor: None,
        });
        a
    }

    fn entity(
        name: &str,
        kind: crate::gazetteer::EntityKind,
        source: Source,
        aliases: &[&str],
        gender: Option<char>,
        attrs: &[(&str, &str)],
    ) -> DocEntity {
        DocEntity {
            id: "person:x".into(),
            name: name.into(),
            kind,
            source,
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            gender,
            gazetteer: None,
            attrs: attrs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    /// Merging an entity in place gives the node that building it and
    /// upserting it gives, whatever the node held before (values equal or
    /// not, of other types, lists unsorted, provenance unsorted, the same
    /// document already there).
    #[test]
    fn an_entity_merged_in_place_is_the_entity_node_upserted() {
        use crate::gazetteer::EntityKind::{Organization, Person, Place};
        let ents = [
            entity(
                "Ann Lee",
                Person,
                Source::Gazetteer,
                &["A. Lee", "Ann Lee", "Lee"],
                Some('f'),
                &[("country", "US"), ("iso2", "us"), ("wikidata", "Q1")],
            ),
            entity(
                "Lee",
                Place,
                Source::Inferred,
                &["Lee", "Ann", "Lee", "B\"x"],
                None,
                &[("country", "CA"), ("type", "city")],
            ),
            entity("", Organization, Source::Gazetteer, &[], Some('é'), &[]),
        ];
        let span = |a: usize| Span::new(a, a + 3);
        let mut seeds: Vec<Node> = ents
            .iter()
            .map(|e| entity_node(e, "d1", &[span(1), span(5)]))
            .collect();
        let mut odd = Attrs::new();
        odd.insert("aliases", json!("Lee"));
        odd.insert("country", json!(5));
        odd.insert("gender", Value::Null);
        odd.insert("iso2", json!(["zz", 1]));
        odd.insert("source", json!(["inferred", "a"]));
        odd.insert("type", json!({"k": 1}));
        odd.insert("zeta", json!(true));
        seeds.push(Node {
            id: "person:x".into(),
            kind: "zzz".into(),
            label: "Ann Lee-Smith".into(),
            attrs: odd,
            // not sorted by document
            provenance: vec![
                Provenance {
                    document: "d9".into(),
                    spans: vec![span(7)],
                },
                Provenance {
                    document: "d2".into(),
                    spans: vec![span(9), span(2)],
                },
            ],
        });
        let mut unsorted = Attrs::new();
        unsorted.insert("aliases", json!(["Lee", "Ann", 3, "B\"x"]));
        seeds.push(Node {
            id: "person:x".into(),
            kind: "person".into(),
            label: "Al".into(),
            attrs: unsorted,
            provenance: vec![],
        });
        let mut checked = 0;
        for seed in &seeds {
            for ent in &ents {
                for (doc, spans) in [
                    ("d1", vec![span(5), span(3)]),
                    ("d2", vec![span(2), span(4)]),
                    ("d0", vec![]),
                ] {
                    let mut g = KnowledgeGraph::new();
                    let i = g.upsert_node(seed.clone());
                    let mut reference = g.clone();
                    g.merge_entity(i, ent, doc, &spans);
                    g.settle();
                    reference.upsert_node(entity_node(ent, doc, &spans));
                    assert_eq!(g.node("person:x"), reference.node("person:x"));
                    assert_eq!(
                        crate::export::json::to_string(&g, false),
                        crate::export::json::to_string(&reference, false)
                    );
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 5 * 3 * 3);
    }

    /// The attributes of a statement as `add_annotated` made them before
    /// they were kept typed (the reference for [`StatementAttrs::pairs`]).
    fn statement_attrs_reference(a: &Annotated, s: &Statement) -> Attrs {
        let doc = a.doc.id.as_str();
        let mut attrs = Attrs::with_capacity(11);
        let str_value = |x: &str| Value::String(x.to_string());
        let span_value = |x: Span| Value::Array(vec![x.start.into(), x.end.into()]);
        if let Some(au) = &s.audience {
            attrs.push_last("audience", str_value(au));
        }
        attrs.push_last("cameo", str_value(&s.cameo));
        if let Some(c) = s.cue {
            attrs.push_last("cue", str_value(a.doc.slice(c)));
        }
        if let Some(l) = &s.cue_lemma {
            attrs.push_last("cue_lemma", str_value(l));
        }
        attrs.push_last("date", s.date.as_deref().map_or(Value::Null, str_value));
        attrs.push_last("direct", Value::Bool(s.direct));
        attrs.push_last("document", str_value(doc));
        attrs.push_last("evidence", span_value(s.evidence));
        attrs.push_last("span", span_value(s.span));
        attrs.push_last("text", str_value(a.doc.slice(s.span)));
        attrs.push_last("utterance", Value::String(utterance(doc, s)));
        attrs
    }

    /// Statement nodes keep their attributes typed; read, they are the
    /// pairs `add_annotated` used to set, and the graph writes the same
    /// bytes as with every node's attributes as pairs.
    #[test]
    fn typed_statement_attributes_are_the_reference_pairs() {
        let p = Pipeline::embedded().unwrap();
        let text = "WASHINGTON, May 2 - \"We will not back down,\" Foreign Minister \
                    Ann Lee told reporters on Monday. Lee said the talks would go on. \
                    \"It is a good day,\" said Olaf Scholz, who met Justin Trudeau.";
        let mut g = KnowledgeGraph::new();
        let mut seen = 0;
        for (id, date) in [("a \"1\"", None), ("b", Some("2022-05-02"))] {
            let date = date.map(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap());
            let a = p.annotate(id, text, date);
            assert!(a.statements.len() >= 2, "{:?}", a.statements);
            g.add_annotated(&a);
            for s in &a.statements {
                let n = g.node(&statement_id(id, s)).expect("the statement's node");
                let typed = n.attrs.as_statement().expect("typed attributes");
                let reference = statement_attrs_reference(&a, s);
                assert_eq!(n.attrs, reference);
                assert_eq!(n.attrs.len(), reference.len());
                let pairs: Vec<(&str, &Value)> = n.attrs.iter().collect();
                let expected: Vec<(&str, &Value)> = reference.iter().collect();
                assert_eq!(pairs, expected);
                assert_eq!(typed.pairs(), reference.clone().into_entries());
                seen += 1;
            }
        }
        assert!(seen >= 4);
        let mut pairs = g.clone();
        for n in pairs.graph.node_weights_mut() {
            n.attrs = Attrs::from(serde_json::Map::from(n.attrs.clone()));
            assert!(n.attrs.as_statement().is_none());
        }
        for pretty in [false, true] {
            assert_eq!(
                crate::export::json::to_string(&g, pretty),
                crate::export::json::to_string(&pairs, pretty)
            );
        }
        // merged with itself or its pairs form: the same graph as the
        // pairs form merged with itself (the union of two equal spans is
        // settled into the order of their JSON renderings)
        let mut reference = pairs.clone();
        reference.merge(&pairs);
        for (x, y) in [(&g, &g), (&g, &pairs), (&pairs, &g)] {
            let mut twice = x.clone();
            twice.merge(y);
            assert_eq!(
                crate::export::json::to_string(&twice, false),
                crate::export::json::to_string(&reference, false)
            );
        }
    }

    #[test]
    fn statement_labels_are_cut_at_60_characters() {
        let mixed = "a".repeat(57) + "é“b”" + &"x".repeat(3);
        let ascii_then_one = "a".repeat(58) + "é" + "b";
        for text in ["", "short", "é", "a“b”", &mixed, &ascii_then_one] {
            let expected = if text.chars().count() > 60 {
                text.chars().take(57).collect::<String>() + "…"
            } else {
                text.to_string()
            };
            assert_eq!(statement_label(text), expected);
        }
        for text in ["", "short", "é", "a“b”"] {
            assert_eq!(statement_label(text), text);
        }
        for n in [59, 60, 61, 62, 100] {
            for c in ["a", "é", "北", "🙂"] {
                let text = c.repeat(n);
                let expected = if text.chars().count() > 60 {
                    text.chars().take(57).collect::<String>() + "…"
                } else {
                    text.clone()
                };
                assert_eq!(statement_label(&text), expected, "{n} × {c}");
            }
        }
        for n in [0, 7, 10, 99, 100, 12345, usize::MAX] {
            let mut s = String::from("x");
            push_uint(&mut s, n);
            assert_eq!(s, format!("x{n}"));
        }
    }

    #[test]
    fn the_same_event_from_two_articles_is_one_node_with_both_sources() {
        let p = Pipeline::embedded().unwrap();
        let a = article(
            &p,
            "one",
            "Olaf Scholz met Justin Trudeau in Ottawa.",
            Some("2022-05-12"),
        );
        let b = article(
            &p,
            "two",
            "Justin Trudeau and Olaf Scholz met for an hour.",
            Some("2022-05-12"),
        );
        let c = article(
            &p,
            "three",
            "Olaf Scholz met Justin Trudeau again.",
            Some("2022-08-22"),
        );
        let d = article(&p, "four", "Olaf Scholz met Justin Trudeau.", None);
        let mut g = KnowledgeGraph::from_annotated(&a);
        for x in [&b, &c, &d] {
            g.merge_owned(KnowledgeGraph::from_annotated(x));
        }
        let meetings: Vec<&super::Node> = g
            .sorted_nodes()
            .into_iter()
            .filter(|n| n.kind == "meeting")
            .collect();
        assert_eq!(
            meetings.len(),
            3,
            "same day merges; another day and an undated one stay apart"
        );
        let m = g
            .node("meeting:2022-05-12:person:justin-trudeau+person:olaf-scholz")
            .expect("the merged meeting");
        let docs: Vec<&str> = m.provenance.iter().map(|p| p.document.as_str()).collect();
        assert_eq!(docs, ["one", "two"]);
        assert_eq!(m.attrs["documents"], json!(["one", "two"]));
        assert_eq!(g.neighbours(&m.id, "participated", true).len(), 2);
        assert!(
            g.node("meeting:four:12").is_some(),
            "an undated event keeps a per-document id"
        );
    }
}
