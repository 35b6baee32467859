//! networkx node-link JSON, readable by `networkx.node_link_graph` in every
//! version (the edge list is written under both `edges` and `links`).

use super::compact;
use crate::graph::{Attrs, Edge, KnowledgeGraph, Node, Provenance, StatementAttrs};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

/// One value of an [`Obj`]: borrowed from the graph where possible.
pub(crate) enum V<'a> {
    Str(&'a str),
    Usize(usize),
    Json(&'a Value),
    Prov(&'a [Provenance]),
    Owned(Value),
}

/// Provenance as serde_json writes it: `[{"document":…,"spans":[[s,e],…]},…]`.
pub(crate) fn write_prov(out: &mut Vec<u8>, prov: &[Provenance]) {
    out.push(b'[');
    for (i, p) in prov.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"document\":");
        compact::string(out, &p.document);
        out.extend_from_slice(b",\"spans\":[");
        for (j, s) in p.spans.iter().enumerate() {
            if j > 0 {
                out.push(b',');
            }
            compact::pair_list(out, s.start as u64, s.end as u64);
        }
        out.extend_from_slice(b"]}");
    }
    out.push(b']');
}

impl Serialize for V<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            V::Str(x) => s.serialize_str(x),
            V::Usize(x) => s.serialize_u64(*x as u64),
            V::Json(x) => x.serialize(s),
            V::Prov(x) => x.serialize(s),
            V::Owned(x) => x.serialize(s),
        }
    }
}

/// A JSON object built from borrowed parts and serialized directly, with
/// the key order and the insert/remove semantics of a `serde_json::Map`
/// (with `preserve_order`): inserting an existing key keeps its place,
/// removing one moves the last entry into its place. Writing the graph this
/// way renders the same bytes as building a `Value` tree first, without
/// copying every string of the graph.
pub(crate) struct Obj<'a>(Vec<(&'a str, V<'a>)>);

impl<'a> Obj<'a> {
    pub(crate) fn with_capacity(n: usize) -> Self {
        Obj(Vec::with_capacity(n))
    }
    pub(crate) fn contains_key(&self, k: &str) -> bool {
        self.0.iter().any(|(key, _)| *key == k)
    }
    pub(crate) fn insert(&mut self, k: &'a str, v: V<'a>) {
        match self.0.iter_mut().find(|(key, _)| *key == k) {
            Some(slot) => slot.1 = v,
            None => self.0.push((k, v)),
        }
    }
    pub(crate) fn remove(&mut self, k: &str) {
        if let Some(i) = self.0.iter().position(|(key, _)| *key == k) {
            self.0.swap_remove(i);
        }
    }
}

impl Serialize for Obj<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// Attributes in key order (so that output does not depend on merge
/// order), skipping keys already set.
fn add_attrs<'a>(m: &mut Obj<'a>, attrs: &'a Attrs) {
    for (k, v) in attrs {
        if !m.contains_key(k) {
            m.insert(k, V::Json(v));
        }
    }
}

pub(crate) fn node_obj(n: &Node) -> Obj<'_> {
    let mut m = Obj::with_capacity(n.attrs.len() + 8);
    m.insert("id", V::Str(&n.id));
    m.insert("kind", V::Str(&n.kind));
    m.insert("label", V::Str(&n.label));
    add_attrs(&mut m, &n.attrs);
    m.insert("provenance", V::Prov(&n.provenance));
    m
}

pub(crate) fn edge_obj<'a>(s: &'a str, t: &'a str, key: usize, e: &'a Edge) -> Obj<'a> {
    let mut m = Obj::with_capacity(e.attrs.len() + 5);
    m.insert("source", V::Str(s));
    m.insert("target", V::Str(t));
    m.insert("key", V::Usize(key));
    m.insert("kind", V::Str(&e.kind));
    add_attrs(&mut m, &e.attrs);
    m.insert("provenance", V::Prov(&e.provenance));
    m
}

/// A value computed from the graph and set on a node's object after its
/// own fields (the convenience keys of JSON Lines records).
pub(crate) enum Extra<'a> {
    /// The first of these ids (sorted, unique), or null.
    First(&'a [&'a str]),
    /// These ids (sorted, unique).
    List(&'a [&'a str]),
}

impl Extra<'_> {
    fn write(&self, out: &mut Vec<u8>) {
        match self {
            Extra::First(ids) => compact::opt_string(out, ids.first().copied()),
            Extra::List(ids) => compact::list(out, *ids, |out, s| compact::string(out, s)),
        }
    }
}

/// Write [`node_obj`]`(n)` with each of `extras` then inserted in order,
/// directly: the same bytes as building the [`Obj`] and writing it (an
/// attribute named like a field or an extra keeps its place and takes the
/// field's or extra's value, as [`Obj::insert`] does).
#[inline]
pub(crate) fn write_node(out: &mut Vec<u8>, n: &Node, extras: &[(&str, Extra)]) {
    if let Some(s) = n.attrs.as_statement() {
        // (an extra named like one of the attributes would take its place)
        if extras.iter().all(|(k, _)| !is_statement_key(k)) {
            return write_statement(out, n, s, extras);
        }
    }
    write_node_generic(out, n, extras)
}

/// Is `k` a key a statement node's object has (fields and attributes)?
fn is_statement_key(k: &str) -> bool {
    matches!(
        k,
        "id" | "kind"
            | "label"
            | "audience"
            | "cameo"
            | "cue"
            | "cue_lemma"
            | "date"
            | "direct"
            | "document"
            | "evidence"
            | "span"
            | "text"
            | "utterance"
            | "provenance"
    )
}

/// [`write_node_generic`] of a node whose attributes are a statement's in
/// their typed form `s`, written from it: the same bytes (as long as no
/// extra is named like a field or attribute of the node).
fn write_statement(out: &mut Vec<u8>, n: &Node, s: &StatementAttrs, extras: &[(&str, Extra)]) {
    node_head(out, n);
    if let Some(au) = &s.audience {
        out.extend_from_slice(b",\"audience\":");
        compact::string(out, au);
    }
    out.extend_from_slice(b",\"cameo\":");
    compact::string(out, s.cameo.as_str());
    if let Some(c) = &s.cue {
        out.extend_from_slice(b",\"cue\":");
        compact::string(out, c.as_str());
    }
    if let Some(l) = &s.cue_lemma {
        out.extend_from_slice(b",\"cue_lemma\":");
        compact::string(out, l.as_str());
    }
    out.extend_from_slice(b",\"date\":");
    compact::opt_string(out, s.date.as_ref().map(|d| d.as_str()));
    out.extend_from_slice(if s.direct {
        b",\"direct\":true,\"document\":"
    } else {
        b",\"direct\":false,\"document\":"
    });
    compact::string(out, &s.document);
    out.extend_from_slice(b",\"evidence\":");
    compact::pair_list(out, s.evidence.start as u64, s.evidence.end as u64);
    out.extend_from_slice(b",\"span\":");
    compact::pair_list(out, s.span.start as u64, s.span.end as u64);
    out.extend_from_slice(b",\"text\":");
    compact::string(out, &s.text);
    // "{document}:{n}": the document's literal, then ':' and digits
    // (which need no escapes) before its closing quote
    out.extend_from_slice(b",\"utterance\":");
    compact::string(out, &s.document);
    out.pop();
    out.push(b':');
    compact::uint(out, s.utterance as u64);
    out.extend_from_slice(b"\",\"provenance\":");
    write_prov(out, &n.provenance);
    for (k, x) in extras {
        compact::key(out, k, false);
        x.write(out);
    }
    out.push(b'}');
}

/// A node's opening: `{"id":…,"kind":…,"label":…`.
fn node_head(out: &mut Vec<u8>, n: &Node) {
    out.extend_from_slice(b"{\"id\":");
    compact::string(out, &n.id);
    out.extend_from_slice(b",\"kind\":");
    compact::string(out, &n.kind);
    out.extend_from_slice(b",\"label\":");
    compact::string(out, &n.label);
}

/// [`write_node`] for any attributes.
pub(crate) fn write_node_generic(out: &mut Vec<u8>, n: &Node, extras: &[(&str, Extra)]) {
    node_head(out, n);
    let mut prov_done = false;
    let mut extra_done = 0u64;
    for (k, v) in &n.attrs {
        // only a key starting with i, k, l, p or an extra's first byte can
        // be a field's or an extra's
        let first = k.as_bytes().first().copied().unwrap_or(0);
        let special = matches!(first, b'i' | b'k' | b'l' | b'p')
            || extras
                .iter()
                .any(|(x, _)| x.as_bytes().first() == Some(&first));
        if special && matches!(k, "id" | "kind" | "label") {
            continue;
        }
        compact::key(out, k, false);
        if !special {
            match v {
                Value::String(x) => compact::string(out, x),
                _ => compact::value(out, v),
            }
        } else if k == "provenance" {
            write_prov(out, &n.provenance);
            prov_done = true;
        } else if let Some(j) = extras.iter().position(|(x, _)| *x == k) {
            extras[j].1.write(out);
            extra_done |= 1 << j;
        } else {
            compact::value(out, v);
        }
    }
    if !prov_done {
        out.extend_from_slice(b",\"provenance\":");
        write_prov(out, &n.provenance);
    }
    for (j, (k, x)) in extras.iter().enumerate() {
        if extra_done & (1 << j) == 0 {
            compact::key(out, k, false);
            x.write(out);
        }
    }
    out.push(b'}');
}

/// Write [`edge_obj`]`(s, t, key, e)` directly: the same bytes as building
/// the [`Obj`] and writing it; with `key` None, as the object with its
/// `key` then removed (which moves its last entry into the key's place).
pub(crate) fn write_edge(out: &mut Vec<u8>, s: &str, t: &str, key: Option<usize>, e: &Edge) {
    out.extend_from_slice(b"{\"source\":");
    compact::string(out, s);
    out.extend_from_slice(b",\"target\":");
    compact::string(out, t);
    if e.attrs.is_empty() {
        match key {
            Some(k) => {
                out.extend_from_slice(b",\"key\":");
                compact::uint(out, k as u64);
                out.extend_from_slice(b",\"kind\":");
                compact::string(out, &e.kind);
                out.extend_from_slice(b",\"provenance\":");
                write_prov(out, &e.provenance);
            }
            None => {
                out.extend_from_slice(b",\"provenance\":");
                write_prov(out, &e.provenance);
                out.extend_from_slice(b",\"kind\":");
                compact::string(out, &e.kind);
            }
        }
        out.push(b'}');
        return;
    }
    // With attributes: lay the entries out as the Obj would hold them.
    enum Entry<'a> {
        Key,
        Kind,
        Attr(&'a str, &'a Value),
        Prov(&'a str),
    }
    let mut entries = vec![Entry::Key, Entry::Kind];
    let mut prov_done = false;
    for (k, v) in &e.attrs {
        match k {
            "source" | "target" | "key" | "kind" => {}
            "provenance" => {
                entries.push(Entry::Prov(k));
                prov_done = true;
            }
            _ => entries.push(Entry::Attr(k, v)),
        }
    }
    if !prov_done {
        entries.push(Entry::Prov("provenance"));
    }
    if key.is_none() {
        entries.swap_remove(0);
    }
    for x in &entries {
        match x {
            Entry::Key => {
                out.extend_from_slice(b",\"key\":");
                compact::uint(out, key.unwrap_or_default() as u64);
            }
            Entry::Kind => {
                out.extend_from_slice(b",\"kind\":");
                compact::string(out, &e.kind);
            }
            Entry::Attr(k, v) => {
                compact::key(out, k, false);
                compact::value(out, v);
            }
            Entry::Prov(k) => {
                compact::key(out, k, false);
                write_prov(out, &e.provenance);
            }
        }
    }
    out.push(b'}');
}

/// A list serialized from an iterator made on demand.
struct Seq<F>(F);

impl<I, F> Serialize for Seq<F>
where
    F: Fn() -> I,
    I: ExactSizeIterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let it = (self.0)();
        let mut seq = s.serialize_seq(Some(it.len()))?;
        for x in it {
            seq.serialize_element(&x)?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct DocRef<'a> {
    id: &'a str,
    date: &'a Option<String>,
}

#[derive(Serialize)]
struct GraphInfo<D: Serialize> {
    generator: &'static str,
    documents: D,
    counts: std::collections::BTreeMap<String, usize>,
}

#[derive(Serialize)]
struct NodeLink<'a, D: Serialize, N: Serialize, E: Serialize> {
    directed: bool,
    multigraph: bool,
    graph: GraphInfo<D>,
    nodes: N,
    edges: &'a E,
    links: &'a E,
}

/// Serialize the node-link document of `g` with `s`.
pub(crate) fn write_node_link<S: Serializer>(g: &KnowledgeGraph, s: S) -> Result<S::Ok, S::Error> {
    let (nodes, edges) = g.sorted();
    let mut keys: std::collections::HashMap<(&str, &str), usize> = Default::default();
    let edge_keys: Vec<usize> = edges
        .iter()
        .map(|&(s, t, _)| {
            let k = keys.entry((s, t)).or_insert(0);
            *k += 1;
            *k - 1
        })
        .collect();
    let edge_seq = Seq(|| {
        edges
            .iter()
            .zip(&edge_keys)
            .map(|(&(s, t, e), &k)| edge_obj(s, t, k, e))
    });
    NodeLink {
        directed: true,
        multigraph: true,
        graph: GraphInfo {
            generator: concat!("readout ", env!("CARGO_PKG_VERSION")),
            documents: Seq(|| g.documents.iter().map(|(d, date)| DocRef { id: d, date })),
            counts: g.counts(),
        },
        nodes: Seq(|| nodes.iter().map(|n| node_obj(n))),
        edges: &edge_seq,
        links: &edge_seq,
    }
    .serialize(s)
}

/// Takes the bytes gathered so far (see [`write_node_link_compact`]).
type Spill<'a> = &'a mut dyn FnMut(&[u8]) -> std::io::Result<()>;

/// Bytes of output gathered before they are handed to the writer.
const CHUNK: usize = 1 << 16;

/// About how many bytes of edge list [`write_stream`] keeps to write it a
/// second time (instead of making it again).
const KEEP_EDGES: usize = 32 << 20;

/// [`write_node_link`] in compact form, written without serde: the same
/// bytes (see [`compact`]). The output is built in `out`; when `spill` is
/// given, `out` is handed to it (and emptied) between nodes once it holds
/// [`CHUNK`] bytes or more, and at the end. The edge list is written twice
/// (`edges` and `links`): when `spill` is given, made twice, else made once
/// and copied within `out`.
fn write_node_link_compact(
    g: &KnowledgeGraph,
    out: &mut Vec<u8>,
    spill: Option<Spill>,
) -> std::io::Result<()> {
    write_node_link_keeping(g, out, spill, KEEP_EDGES)
}

/// [`write_node_link_compact`], keeping at most `keep_edges` bytes of the
/// edge list to write it again.
fn write_node_link_keeping(
    g: &KnowledgeGraph,
    out: &mut Vec<u8>,
    mut spill: Option<Spill>,
    keep_edges: usize,
) -> std::io::Result<()> {
    let (nodes, edges) = g.sorted();
    out.extend_from_slice(b"{\"directed\":true,\"multigraph\":true,\"graph\":{\"generator\":");
    compact::string(out, concat!("readout ", env!("CARGO_PKG_VERSION")));
    out.extend_from_slice(b",\"documents\":");
    compact::list(out, &g.documents, |out, (d, date)| {
        out.extend_from_slice(b"{\"id\":");
        compact::string(out, d);
        out.extend_from_slice(b",\"date\":");
        compact::opt_string(out, date.as_deref());
        out.push(b'}');
    });
    out.extend_from_slice(b",\"counts\":{");
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for n in &nodes {
        *counts.entry(n.kind.as_str()).or_insert(0) += 1;
    }
    for (i, (k, n)) in counts.iter().enumerate() {
        compact::key(out, k, i == 0);
        compact::uint(out, *n as u64);
    }
    out.extend_from_slice(b"}},\"nodes\":[");
    for (i, n) in nodes.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_node(out, n, &[]);
        if out.len() >= CHUNK {
            if let Some(spill) = spill.as_mut() {
                spill(out)?;
                out.clear();
            }
        }
    }
    out.extend_from_slice(b"],\"edges\":");
    // edges are sorted by (source, target, kind): the key of an edge is
    // its place in the run of edges with its source and target. `out` is
    // spilled (if `spill` is given) once it holds `limit` bytes or more,
    // then every CHUNK bytes; returns whether it holds the whole list.
    let write_edges = |out: &mut Vec<u8>, spill: &mut Option<Spill>, mut limit: usize| {
        let mut whole = true;
        let mut run: Option<(&str, &str, usize)> = None;
        out.push(b'[');
        for (i, &(s, t, e)) in edges.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let k = match run {
                Some((a, b, k)) if (a, b) == (s, t) => k + 1,
                _ => 0,
            };
            run = Some((s, t, k));
            write_edge(out, s, t, Some(k), e);
            if out.len() >= limit {
                if let Some(spill) = spill.as_mut() {
                    spill(out)?;
                    out.clear();
                    limit = CHUNK;
                    whole = false;
                }
            }
        }
        out.push(b']');
        Ok::<bool, std::io::Error>(whole)
    };
    let Some(sink) = spill.as_mut() else {
        let start = out.len();
        write_edges(out, &mut spill, CHUNK)?;
        let end = out.len();
        out.extend_from_slice(b",\"links\":");
        out.extend_from_within(start..end);
        out.push(b'}');
        return Ok(());
    };
    // written out as they are made; the list is written twice: the
    // second time from the first kept whole in memory (up to `keep_edges`
    // bytes), or else made again
    sink(out)?;
    out.clear();
    let limit = keep_edges.max(CHUNK);
    let mut keep = Vec::with_capacity(limit.min(edges.len().saturating_mul(256)));
    let whole = write_edges(&mut keep, &mut spill, limit)?;
    let sink = spill.as_mut().expect("spilling");
    sink(&keep)?;
    if whole {
        sink(b",\"links\":")?;
        sink(&keep)?;
    } else {
        drop(keep);
        out.extend_from_slice(b",\"links\":");
        write_edges(out, &mut spill, CHUNK)?;
    }
    out.push(b'}');
    if let Some(spill) = spill.as_mut() {
        spill(out)?;
        out.clear();
    }
    Ok(())
}

/// The graph as a node-link JSON value.
pub fn to_value(g: &KnowledgeGraph) -> Value {
    write_node_link(g, serde_json::value::Serializer).expect("JSON values always serialize")
}

/// Serialize, compact or pretty.
pub fn to_string(g: &KnowledgeGraph, pretty: bool) -> String {
    let mut out = Vec::with_capacity(1 << 16);
    write_to(g, pretty, &mut out);
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// [`to_string`] appended to `out` as bytes (UTF-8), for writing out
/// without a check.
pub fn write_to(g: &KnowledgeGraph, pretty: bool, out: &mut Vec<u8>) {
    if pretty {
        write_node_link(g, &mut serde_json::Serializer::pretty(&mut *out))
            .expect("JSON values always serialize");
    } else {
        write_node_link_compact(g, out, None).expect("writing into memory never fails");
    }
}

/// The bytes of [`to_string`] written to `w` piece by piece, as they are
/// made (no copy of the whole document in memory).
pub fn write_stream(
    g: &KnowledgeGraph,
    pretty: bool,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    if pretty {
        return write_node_link(g, &mut serde_json::Serializer::pretty(w))
            .map_err(std::io::Error::from);
    }
    let mut out = Vec::with_capacity(CHUNK + (CHUNK >> 2));
    write_node_link_compact(g, &mut out, Some(&mut |b: &[u8]| w.write_all(b)))
}

/// Read a graph written by [`to_string`] (or by networkx's node_link_data).
pub fn from_str(s: &str) -> Result<KnowledgeGraph, String> {
    let v: Value = serde_json::from_str(s).map_err(|e| format!("not JSON: {e}"))?;
    from_value(&v)
}

pub(crate) fn take_prov(m: &mut Map<String, Value>) -> Vec<Provenance> {
    m.remove("provenance")
        .and_then(|p| serde_json::from_value(p).ok())
        .unwrap_or_default()
}

/// Remove `key` from a JSON object and return it if it is a string.
pub fn take_str(m: &mut Map<String, Value>, key: &str) -> Option<String> {
    m.remove(key).and_then(|k| k.as_str().map(str::to_string))
}

/// Add one node-link edge object to `g` (its endpoints must be nodes of
/// `g` already; `where_` names where they should have been, for the error).
pub fn add_edge(g: &mut KnowledgeGraph, e: &Value, where_: &str) -> Result<(), String> {
    let mut m = e.as_object().cloned().ok_or("an edge is not an object")?;
    let mut end = |key: &str| {
        m.remove(key)
            .map(|x| {
                x.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| x.to_string())
            })
            .ok_or(format!("an edge has no '{key}'"))
    };
    let s = end("source")?;
    let t = end("target")?;
    m.remove("key");
    let kind = take_str(&mut m, "kind").unwrap_or_default();
    let provenance = take_prov(&mut m);
    let (Some(a), Some(b)) = (g.node_index(&s), g.node_index(&t)) else {
        return Err(format!(
            "edge {s} -> {t} names a node that is not in {where_}"
        ));
    };
    g.upsert_edge(
        a,
        b,
        Edge {
            kind,
            attrs: m.into(),
            provenance,
        },
    );
    Ok(())
}

/// Read a node-link JSON value.
pub fn from_value(v: &Value) -> Result<KnowledgeGraph, String> {
    let mut g = KnowledgeGraph::new();
    let nodes = v
        .get("nodes")
        .and_then(|n| n.as_array())
        .ok_or("no 'nodes' list: is this a readout graph (extract --format json)?")?;
    for n in nodes {
        let mut m = n.as_object().cloned().ok_or("a node is not an object")?;
        let id = match m.remove("id") {
            Some(Value::String(s)) => s,
            Some(other) => other.to_string(),
            None => return Err("a node has no 'id'".into()),
        };
        let kind = take_str(&mut m, "kind").unwrap_or_default();
        let label = take_str(&mut m, "label").unwrap_or_else(|| id.clone());
        let provenance = take_prov(&mut m);
        g.upsert_node(Node {
            id,
            kind,
            label,
            attrs: m.into(),
            provenance,
        });
    }
    let edges = v
        .get("edges")
        .or_else(|| v.get("links"))
        .and_then(|e| e.as_array())
        .cloned()
        .unwrap_or_default();
    for e in &edges {
        add_edge(&mut g, e, "'nodes'")?;
    }
    if let Some(docs) = v.pointer("/graph/documents").and_then(|d| d.as_array()) {
        for d in docs {
            if let Some(id) = d.get("id").and_then(|i| i.as_str()) {
                g.documents.insert(
                    id.to_string(),
                    d.get("date").and_then(|x| x.as_str()).map(str::to_string),
                );
            }
        }
    }
    Ok(g)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Span;

    /// A graph whose JSON is several [`CHUNK`]s long, with parallel edges,
    /// attributes on edges and strings that need escapes.
    fn big_graph() -> KnowledgeGraph {
        let mut g = KnowledgeGraph::new();
        let prov = |d: usize, s: usize| {
            vec![Provenance {
                document: format!("doc \"{d}\""),
                spans: vec![Span::new(s, s + 5), Span::new(s + 9, s + 20)],
            }]
        };
        let mut idx = Vec::new();
        for i in 0..1500 {
            let mut attrs = Attrs::new();
            attrs.insert(
                "text",
                Value::String(format!("line\n{i} “quoted” ").repeat(3)),
            );
            attrs.insert("n", Value::from(i));
            idx.push(g.upsert_node(Node {
                id: format!("node:{i:05}"),
                kind: ["person", "statement", "place"][i % 3].into(),
                label: format!("Node {i}"),
                attrs,
                provenance: prov(i % 17, i),
            }));
        }
        for i in 0..3000 {
            let (a, b) = (idx[i % 1500], idx[(i * 7 + 1) % 1500]);
            let mut attrs = Attrs::new();
            if i % 5 == 0 {
                attrs.insert("weight", Value::from(i));
            }
            g.upsert_edge(
                a,
                b,
                Edge {
                    kind: ["said", "mentions"][i % 2].into(),
                    attrs,
                    provenance: prov(i % 11, i),
                },
            );
        }
        g.add_document("doc \"1\"", Some("2020-01-02".into()));
        g
    }

    /// Takes at most 7 bytes a call.
    struct Trickle(Vec<u8>);

    impl std::io::Write for Trickle {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            let n = b.len().min(7);
            self.0.extend_from_slice(&b[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// A statement node written from its typed attributes is the same
    /// bytes as the node with those attributes as (key, value) pairs,
    /// with or without extras (an extra named like an attribute included).
    #[test]
    fn a_typed_statement_is_written_as_its_pairs() {
        use crate::graph::{Attrs, StatementAttrs, Text};
        let doc = |d: &str| std::sync::Arc::<str>::from(d);
        let typed = |audience: Option<&str>, cue: Option<&str>, d: &str, date: Option<&str>| {
            StatementAttrs {
                audience: audience.map(Box::from),
                cameo: Text::new("010"),
                cue: cue.map(Text::new),
                cue_lemma: cue.map(|_| Text::new("say")),
                date: date.map(Text::new),
                direct: cue.is_some(),
                document: doc(d),
                evidence: Span::new(3, 1_000_017),
                span: Span::new(0, 9),
                text: "We \"stand\" here\n — together".into(),
                utterance: 12,
            }
        };
        let cases = [
            typed(None, Some("said"), "d1", None),
            typed(
                Some("reporters"),
                None,
                "dir/a \"b\"\\c.txt",
                Some("2022-06-03"),
            ),
            typed(
                Some(""),
                Some("a cue longer than twenty-two bytes"),
                "",
                Some(""),
            ),
        ];
        let ids = ["person:a", "person:b \"x\""];
        let extras: Vec<Vec<(&str, Extra)>> = vec![
            vec![],
            vec![
                ("speaker", Extra::First(&ids)),
                ("addressee", Extra::First(&[])),
                ("mentioned", Extra::List(&ids)),
            ],
            vec![("text", Extra::First(&ids)), ("zeta", Extra::List(&[]))],
        ];
        for t in cases {
            let node = Node {
                id: "statement:d1:0-9".into(),
                kind: "statement".into(),
                label: "We \"stand\"".into(),
                attrs: Attrs::statement(t.clone()),
                provenance: vec![Provenance {
                    document: t.document.to_string(),
                    spans: vec![Span::new(0, 9)],
                }],
            };
            assert!(node.attrs.as_statement().is_some());
            let mut pairs = node.clone();
            pairs.attrs = Attrs::from(Map::from(node.attrs.clone()));
            assert!(pairs.attrs.as_statement().is_none());
            assert_eq!(pairs.attrs, node.attrs);
            for x in &extras {
                let (mut fast, mut reference) = (b"[".to_vec(), b"[".to_vec());
                write_node(&mut fast, &node, x);
                write_node_generic(&mut reference, &pairs, x);
                assert_eq!(
                    String::from_utf8(fast).unwrap(),
                    String::from_utf8(reference).unwrap()
                );
            }
            // and as serde writes the node's object
            let mut fast = Vec::new();
            write_node(&mut fast, &node, &[]);
            let serde = serde_json::to_string(&node_obj(&pairs)).unwrap();
            assert_eq!(String::from_utf8(fast).unwrap(), serde);
        }
    }

    #[test]
    fn the_streamed_graph_is_the_same_bytes() {
        let g = big_graph();
        for pretty in [false, true] {
            let whole = to_string(&g, pretty);
            assert!(whole.len() > 4 * CHUNK);
            let mut w = Trickle(Vec::new());
            write_stream(&g, pretty, &mut w).unwrap();
            assert!(w.0 == whole.as_bytes(), "pretty: {pretty}");
            // and what serde_json writes of the same document
            let v = to_value(&g);
            let serde = if pretty {
                serde_json::to_string_pretty(&v)
            } else {
                serde_json::to_string(&v)
            };
            assert_eq!(whole, serde.unwrap());
        }
        // the edge list written again from its copy, or made again when it
        // is longer than the copy may be (given up at once, or after
        // a few chunks)
        let whole = to_string(&g, false);
        for keep in [0, 1, CHUNK, 3 * CHUNK, usize::MAX] {
            let mut w = Trickle(Vec::new());
            let mut out = Vec::new();
            write_node_link_keeping(
                &g,
                &mut out,
                Some(&mut |b: &[u8]| std::io::Write::write_all(&mut w, b)),
                keep,
            )
            .unwrap();
            assert!(out.is_empty());
            assert!(w.0 == whole.as_bytes(), "keeping {keep} bytes");
        }
        let empty = KnowledgeGraph::new();
        let mut w = Trickle(Vec::new());
        write_stream(&empty, false, &mut w).unwrap();
        assert_eq!(w.0, to_string(&empty, false).as_bytes());
    }

    #[test]
    fn a_failed_write_is_reported() {
        struct Full;
        impl std::io::Write for Full {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("disk full"))
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        for pretty in [false, true] {
            let e = write_stream(&big_graph(), pretty, &mut Full).unwrap_err();
            assert_eq!(e.to_string(), "disk full");
        }
    }
}
