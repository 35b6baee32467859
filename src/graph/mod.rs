//! The graph stage: actors, statements and events as a petgraph graph with
//! provenance (document id and byte spans) on every node and edge. Graphs
//! of several documents merge by node id.
//!
//! Invariants: node ids are unique; an edge is identified by (source,
//! target, kind) and merging adds provenance instead of duplicating it;
//! serialization orders nodes by id and edges by (source, target, kind), so
//! merging is associative and commutative and output is deterministic.

mod attrs;
mod build;
mod typed;

pub use attrs::{AttrKey, Attrs};
pub(crate) use build::{
    event_label, event_names, sorted_aliases, source_name, statement_id, statement_label,
    utterance, EntityNodes, EventIds,
};
pub(crate) use typed::{StatementAttrs, Text};

use crate::document::Span;
use crate::lexicon::{FxHasher, FxMap};
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeRef, IntoEdgeReferences};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::Hasher;

/// Where a fact was read: a document and byte spans in it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Provenance {
    pub document: String,
    pub spans: Vec<Span>,
}

/// A node: an actor (person, organization, place), a statement or an event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub id: String,
    /// person, organization, place, statement, meeting, call, visit
    pub kind: String,
    pub label: String,
    /// Further attributes (aliases, text, date, status …).
    pub attrs: Attrs,
    pub provenance: Vec<Provenance>,
}

/// An edge: said, addressed, mentions, participated, hosted, held_at …
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    pub kind: String,
    pub attrs: Attrs,
    pub provenance: Vec<Provenance>,
}

/// The knowledge graph.
#[derive(Clone, Debug, Default)]
pub struct KnowledgeGraph {
    pub graph: StableDiGraph<Node, Edge>,
    /// Node ids by their hash (no copy of the id): an id whose hash an
    /// earlier id has goes to `index_more`, keyed by the id itself.
    index: FxMap<u64, NodeIndex>,
    index_more: FxMap<String, NodeIndex>,
    /// Edge lookup by (source, target), then kind, so that upserts stay
    /// O(1) even on hub nodes: the last edge added with those ends, and
    /// from each edge (by index) the one added before it with the same
    /// ends ([`NO_EDGE`] after the first), a chain instead of a list
    /// allocated for every pair of ends.
    edge_index: FxMap<(NodeIndex, NodeIndex), EdgeIndex>,
    edge_next: Vec<u32>,
    /// The state of each node's and edge's provenance list ([`UNSORTED`],
    /// [`SORTED`] or [`TAIL`]): sorted by document with no document twice
    /// (true for all that upserts made from extracted documents), merging
    /// into it is a binary search.
    sorted_node_prov: Vec<u8>,
    sorted_edge_prov: Vec<u8>,
    /// Nodes and edges whose lists have an unsorted tail, to [`settle`](Self::settle).
    tail_nodes: Vec<NodeIndex>,
    tail_edges: Vec<EdgeIndex>,
    /// While set, lists with a tail are left so (settled at the end of a
    /// batch: `extract_graph`, or one merge or document).
    defer: bool,
    /// Documents that went into the graph, by id, with their dates.
    pub documents: BTreeMap<String, Option<String>>,
}

/// The end of a chain of `edge_next`.
const NO_EDGE: u32 = u32::MAX;

/// The hash a node id is indexed by.
fn id_hash(id: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(id.as_bytes());
    h.finish()
}

/// Sorted by document, no document twice.
fn prov_is_sorted(p: &[Provenance]) -> bool {
    p.windows(2).all(|w| w[0].document < w[1].document)
}

/// A provenance list in no known order: merged into by [`merge_prov`].
const UNSORTED: u8 = 0;
/// A provenance list sorted by document, no document twice.
const SORTED: u8 = 1;
/// A [`SORTED`] list followed by entries appended as they came (a
/// document that came out of order, and all after it): [`settle_prov`]
/// makes it what merging them one by one would have made. Inserting each
/// in its place instead would move the entries after it, quadratic for an
/// actor named in every one of many documents that come in no order.
const TAIL: u8 = 2;

fn flag(v: &[u8], i: usize) -> u8 {
    v.get(i).copied().unwrap_or(UNSORTED)
}

fn set_flag(v: &mut Vec<u8>, i: usize, state: u8) {
    if v.len() <= i {
        v.resize(i + 1, UNSORTED);
    }
    v[i] = state;
}

/// [`merge_prov`] for an `into` in `state` [`SORTED`] (see
/// [`prov_is_sorted`]) or [`TAIL`]: the same result once settled, found by
/// a binary search (after one comparison with the last entry), or
/// appended from the first document that would go before the end on.
/// Returns whether `into` has just got a tail.
fn merge_prov_sorted(into: &mut Vec<Provenance>, from: Vec<Provenance>, state: &mut u8) -> bool {
    let was = *state;
    for p in from {
        if *state == TAIL {
            into.push(p);
            continue;
        }
        match sorted_place(into, &p.document) {
            Ok(i) => add_spans(&mut into[i], &p.spans),
            Err(i) if i == into.len() => into.push(p),
            Err(_) => {
                into.push(p);
                *state = TAIL;
            }
        }
    }
    was != TAIL && *state == TAIL
}

/// A list with a tail ([`TAIL`]) made what merging its entries one by one
/// in their order makes: sorted by document (stable: a document's entries
/// keep their order, the first from the sorted part), then each document's
/// later entries merged into its first.
fn settle_prov(p: &mut Vec<Provenance>) {
    p.sort_by(|a, b| a.document.cmp(&b.document));
    let mut out: Vec<Provenance> = Vec::with_capacity(p.len());
    for x in p.drain(..) {
        match out.last_mut() {
            Some(q) if q.document == x.document => add_spans(q, &x.spans),
            _ => out.push(x),
        }
    }
    *p = out;
}

/// Where `doc` is (`Ok`) or would go (`Err`) in `into`, sorted by
/// document: documents mostly come in order, so the last entry is tried
/// first (one comparison for a document after every other, or the last
/// one again), then a binary search.
#[inline]
fn sorted_place(into: &[Provenance], doc: &str) -> Result<usize, usize> {
    let n = into.len();
    match into.last().map(|q| q.document.as_str().cmp(doc)) {
        None | Some(std::cmp::Ordering::Less) => Err(n),
        Some(std::cmp::Ordering::Equal) => Ok(n - 1),
        Some(std::cmp::Ordering::Greater) => {
            into[..n - 1].binary_search_by(|q| q.document.as_str().cmp(doc))
        }
    }
}

/// A document's spans merged into its entry: those not there yet are
/// added, then all sorted.
fn add_spans(q: &mut Provenance, spans: &[Span]) {
    for s in spans {
        if !q.spans.contains(s) {
            q.spans.push(*s);
        }
    }
    q.spans.sort();
}

fn merge_prov(into: &mut Vec<Provenance>, from: Vec<Provenance>) {
    for p in from {
        match into.iter_mut().find(|q| q.document == p.document) {
            Some(q) => {
                for s in &p.spans {
                    if !q.spans.contains(s) {
                        q.spans.push(*s);
                    }
                }
                q.spans.sort();
            }
            None => into.push(p),
        }
    }
    into.sort();
}

/// Sort JSON values into a canonical order: strings by their text first,
/// then everything else by its JSON rendering.
pub(crate) fn sort_values(a: &mut [Value]) {
    a.sort_by_cached_key(|x| match x {
        Value::String(s) => (0, s.clone()),
        other => (1, other.to_string()),
    });
}

/// The better of two labels, independent of order: non-empty, then the
/// longer (more complete name), then the alphabetically first.
fn better_label<'a>(a: &'a str, b: &'a str) -> &'a str {
    let key = |s: &str| (s.is_empty(), std::cmp::Reverse(s.chars().count()));
    match key(a).cmp(&key(b)).then(a.cmp(b)) {
        std::cmp::Ordering::Greater => b,
        _ => a,
    }
}

/// A JSON value's compact rendering (used for deterministic choices).
fn render(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// Are these all strings, in order (as [`sort_values`] leaves them)?
fn strings_sorted(a: &[Value]) -> Option<bool> {
    let mut prev: Option<&str> = None;
    let mut sorted = true;
    for x in a {
        let s = x.as_str()?;
        if prev.is_some_and(|p| p > s) {
            sorted = false;
        }
        prev = Some(s);
    }
    Some(sorted)
}

/// Keep a merged list in the order [`sort_values`] gives (so that merge
/// order does not matter).
fn settle_list(a: &mut [Value]) {
    match strings_sorted(a) {
        // nothing to do: already in sort_values order
        Some(true) => {}
        // strings only: the order of sort_values, without its copies
        Some(false) => a.sort_by(|x, y| x.as_str().cmp(&y.as_str())),
        None => sort_values(a),
    }
}

/// Merge `v` into the value of the same attribute: lists are united,
/// of two different other values the smaller JSON rendering is kept (a
/// value over null).
fn merge_value(existing: &mut Value, v: Value) {
    match (existing, v) {
        (Value::Array(a), Value::Array(b)) => {
            for x in b {
                if !a.contains(&x) {
                    a.push(x);
                }
            }
            settle_list(a);
            // a list that came with copies of a value loses them too, so
            // that the union is the same whichever side it came from
            a.dedup();
        }
        (existing, v) => merge_scalar(existing, v),
    }
}

/// Merge `v` into a value taken whole (not a list to unite): of two
/// different values the smaller JSON rendering is kept (a value over null).
fn merge_scalar(existing: &mut Value, v: Value) {
    if *existing == v {
        return;
    }
    // deterministic choice: keep the smaller JSON rendering
    if existing.is_null() || (!v.is_null() && render(&v) < render(existing)) {
        *existing = v;
    }
}

/// The two attributes that give an event its direction: who met, called
/// or visited whom.
const ACTOR_PAIR: [&str; 2] = ["source_actor", "target_actor"];

/// Merge an event's direction ([`ACTOR_PAIR`]) as one value, taking it
/// out of `from`: two reports that disagree ("A met B", "B held talks with
/// A") keep one report's pair whole, never the source of one and the
/// target of the other (which could make an actor meet itself). Of two
/// pairs the one with fewer missing sides is kept, then the one with the
/// smaller JSON renderings, so the choice does not depend on merge order.
fn merge_actor_pair(into: &mut Attrs, from: &mut Attrs) {
    if !ACTOR_PAIR.iter().any(|k| from.contains_key(k)) {
        return;
    }
    let theirs = ACTOR_PAIR.map(|k| from.remove(k));
    let ours = ACTOR_PAIR.map(|k| into.get(k).cloned());
    if ours == theirs {
        return;
    }
    let rank = |p: &[Option<Value>; 2]| {
        let missing = p
            .iter()
            .filter(|v| v.as_ref().is_none_or(Value::is_null))
            .count();
        (missing, p.clone().map(|v| v.map(|v| render(&v))))
    };
    if rank(&theirs) < rank(&ours) {
        for (k, v) in ACTOR_PAIR.into_iter().zip(theirs) {
            match v {
                Some(v) => {
                    into.insert(k, v);
                }
                None => {
                    into.remove(k);
                }
            }
        }
    }
}

/// [`merge_attrs`] of the one attribute `k`: a string `v` (allocated only
/// if it is kept). `at` is where to search `k` from (see [`Attrs::seek`]),
/// and is left past it.
fn merge_str_attr(into: &mut Attrs, at: &mut usize, k: &'static str, v: &str) {
    match into.seek(*at, k) {
        Ok(j) => {
            *at = j + 1;
            match into.value_at_mut(j) {
                Value::String(s) if s == v => {}
                existing => merge_value(existing, Value::String(v.to_string())),
            }
        }
        Err(j) => {
            *at = j + 1;
            into.insert_at(j, k, Value::String(v.to_string()));
        }
    }
}

/// [`merge_attrs`] of the one attribute `k`: a list of the strings `vs`
/// sorted, each once (each allocated only if it is added), as
/// [`merge_str_attr`]. Into a list, `vs` is taken as it is (the union is
/// settled into one order whatever order it is added in); only a list
/// that is set or compared whole is sorted first.
fn merge_strs_attr(into: &mut Attrs, at: &mut usize, k: &'static str, vs: &[String]) {
    let list = || {
        let strings = |v: &mut dyn Iterator<Item = &str>| {
            Value::Array(v.map(|x| Value::String(x.to_string())).collect())
        };
        if vs.windows(2).all(|w| w[0] < w[1]) {
            strings(&mut vs.iter().map(String::as_str))
        } else {
            let mut v: Vec<&str> = vs.iter().map(String::as_str).collect();
            v.sort_unstable();
            v.dedup();
            strings(&mut v.into_iter())
        }
    };
    match into.seek(*at, k) {
        Ok(j) => {
            *at = j + 1;
            match into.value_at_mut(j) {
                Value::Array(a) => {
                    for x in vs {
                        if !a.iter().any(|y| y.as_str() == Some(x)) {
                            a.push(Value::String(x.clone()));
                        }
                    }
                    settle_list(a);
                }
                existing => merge_value(existing, list()),
            }
        }
        Err(j) => {
            *at = j + 1;
            into.insert_at(j, k, list());
        }
    }
}

/// [`merge_prov_sorted`] of one document's spans.
fn merge_prov_one_sorted(
    into: &mut Vec<Provenance>,
    doc: &str,
    spans: &[Span],
    state: &mut u8,
) -> bool {
    let place = match *state {
        TAIL => Err(0),
        _ => sorted_place(into, doc),
    };
    match place {
        Ok(i) => add_spans(&mut into[i], spans),
        Err(i) => {
            into.push(Provenance {
                document: doc.to_string(),
                spans: spans.to_vec(),
            });
            if i + 1 < into.len() && *state == SORTED {
                *state = TAIL;
                return true;
            }
        }
    }
    false
}

fn merge_attrs(into: &mut Attrs, mut from: Attrs) {
    if from.is_empty() {
        return;
    }
    merge_actor_pair(into, &mut from);
    // (typed attributes are merged as their pairs)
    // both sorted by key: walk them together
    let mut new = Vec::new();
    let mut j = 0;
    // keys set by the graph build are the same literals on both sides:
    // equal at a glance
    let same = |a: &str, b: &str| std::ptr::eq(a, b) || a == b;
    for (k, v) in from.into_entries() {
        let entries = into.entries_mut();
        while j < entries.len() && !same(&entries[j].0, &k) && *entries[j].0 < *k {
            j += 1;
        }
        let existing = entries
            .get_mut(j)
            .filter(|(key, _)| same(key, &k))
            .map(|(_, x)| x);
        match existing {
            // a span is one [start, end] pair, not a set of numbers
            Some(existing) if &*k == "span" => merge_scalar(existing, v),
            Some(existing) => merge_value(existing, v),
            None => new.push((k, v)),
        }
    }
    for (k, v) in new {
        into.insert(k, v);
    }
}

impl KnowledgeGraph {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn node_index(&self, id: &str) -> Option<NodeIndex> {
        self.find_node(id_hash(id), id)
    }

    fn find_node(&self, h: u64, id: &str) -> Option<NodeIndex> {
        match self.index.get(&h) {
            Some(&i) if self.graph[i].id == id => Some(i),
            Some(_) => self.index_more.get(id).copied(),
            None => None,
        }
    }

    pub fn node(&self, id: &str) -> Option<&Node> {
        self.node_index(id).map(|i| &self.graph[i])
    }

    /// Make room for `n` more nodes in the id index.
    fn reserve_nodes(&mut self, n: usize) {
        self.index.reserve(n);
        self.sorted_node_prov.reserve(n);
    }

    /// Add a node or merge it into the node with the same id.
    pub fn upsert_node(&mut self, node: Node) -> NodeIndex {
        let h = id_hash(&node.id);
        if let Some(i) = self.find_node(h, &node.id) {
            self.merge_node(i, node);
            self.settle();
            return i;
        }
        self.insert_node(h, node)
    }

    /// Merge `node` into node `i` (which has its id).
    fn merge_node(&mut self, i: NodeIndex, node: Node) {
        let n = &mut self.graph[i];
        if n.label != node.label && better_label(&n.label, &node.label) != n.label {
            n.label = node.label;
        }
        if node.kind < n.kind {
            n.kind = node.kind;
        }
        merge_attrs(&mut n.attrs, node.attrs);
        let mut state = flag(&self.sorted_node_prov, i.index());
        if state == UNSORTED {
            merge_prov(&mut n.provenance, node.provenance);
        } else if merge_prov_sorted(&mut n.provenance, node.provenance, &mut state) {
            self.has_tail(i);
        }
    }

    /// Node `i`'s provenance has just got a tail.
    fn has_tail(&mut self, i: NodeIndex) {
        set_flag(&mut self.sorted_node_prov, i.index(), TAIL);
        self.tail_nodes.push(i);
    }

    /// Settle the provenance lists with a tail (see [`TAIL`]), unless
    /// deferred.
    fn settle(&mut self) {
        if self.defer {
            return;
        }
        for i in std::mem::take(&mut self.tail_nodes) {
            if let Some(n) = self.graph.node_weight_mut(i) {
                settle_prov(&mut n.provenance);
                set_flag(&mut self.sorted_node_prov, i.index(), SORTED);
            }
        }
        for ei in std::mem::take(&mut self.tail_edges) {
            if let Some(e) = self.graph.edge_weight_mut(ei) {
                settle_prov(&mut e.provenance);
                set_flag(&mut self.sorted_edge_prov, ei.index(), SORTED);
            }
        }
    }

    /// Defer settling (`on`), or settle what was deferred: a batch of
    /// upserts leaves each list with a tail as it is until the end.
    pub(crate) fn defer_settle(&mut self, on: bool) {
        self.defer = on;
        self.settle();
    }

    /// `f` with settling deferred (if it was not already), then settled.
    fn deferred<R>(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        let was = self.defer;
        self.defer = true;
        let r = f(self);
        self.defer = was;
        self.settle();
        r
    }

    /// Add `node`, whose id (of hash `h`) no node has.
    fn insert_node(&mut self, h: u64, node: Node) -> NodeIndex {
        let sorted = prov_is_sorted(&node.provenance);
        let i = self.graph.add_node(node);
        set_flag(&mut self.sorted_node_prov, i.index(), sorted as u8);
        match self.index.entry(h) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(i);
            }
            std::collections::hash_map::Entry::Occupied(_) => {
                self.index_more.insert(self.graph[i].id.clone(), i);
            }
        }
        i
    }

    /// Add an edge or merge it into the edge with the same (source, target, kind).
    pub fn upsert_edge(&mut self, a: NodeIndex, b: NodeIndex, edge: Edge) {
        let mut existing = self.edge_index.get(&(a, b)).copied();
        while let Some(ei) = existing {
            if self.graph[ei].kind == edge.kind {
                break;
            }
            existing = match self.edge_next.get(ei.index()) {
                Some(&next) if next != NO_EDGE => Some(EdgeIndex::new(next as usize)),
                _ => None,
            };
        }
        match existing {
            Some(ei) => {
                let mut state = flag(&self.sorted_edge_prov, ei.index());
                let e = &mut self.graph[ei];
                merge_attrs(&mut e.attrs, edge.attrs);
                if state == UNSORTED {
                    merge_prov(&mut e.provenance, edge.provenance);
                } else if merge_prov_sorted(&mut e.provenance, edge.provenance, &mut state) {
                    set_flag(&mut self.sorted_edge_prov, ei.index(), TAIL);
                    self.tail_edges.push(ei);
                    self.settle();
                }
            }
            None => {
                let sorted = prov_is_sorted(&edge.provenance);
                let ei = self.graph.add_edge(a, b, edge);
                set_flag(&mut self.sorted_edge_prov, ei.index(), sorted as u8);
                let before = self.edge_index.insert((a, b), ei);
                let k = ei.index();
                if self.edge_next.len() <= k {
                    self.edge_next.resize(k + 1, NO_EDGE);
                }
                self.edge_next[k] = before.map_or(NO_EDGE, |x| x.index() as u32);
            }
        }
    }

    /// Record a document and its date (of two different dates the earlier is kept).
    pub fn add_document(&mut self, id: &str, date: Option<String>) {
        self.add_document_owned(id.to_string(), date);
    }

    fn add_document_owned(&mut self, id: String, date: Option<String>) {
        let slot = self.documents.entry(id).or_insert(None);
        match (slot.as_ref(), date) {
            (None, d) => *slot = d,
            (Some(old), Some(d)) if d < *old => *slot = Some(d),
            _ => {}
        }
    }

    /// Merge another graph into this one (associative and commutative).
    pub fn merge(&mut self, other: &KnowledgeGraph) {
        self.merge_owned(other.clone());
    }

    /// Merge another graph into this one, consuming it.
    pub fn merge_owned(&mut self, other: KnowledgeGraph) {
        self.deferred(|g| g.merge_owned_deferred(other));
    }

    fn merge_owned_deferred(&mut self, other: KnowledgeGraph) {
        for (d, date) in other.documents {
            self.add_document_owned(d, date);
        }
        let KnowledgeGraph { mut graph, .. } = other;
        // Take the weights' contents out in place, in index order (what a
        // conversion to a Graph would hand over, without moving every node
        // twice; removing them one by one from a StableGraph would walk each
        // endpoint's edge list, quadratic on hubs). What is left holds no
        // allocation.
        let bound = graph
            .node_indices()
            .map(|i| i.index() + 1)
            .max()
            .unwrap_or(0);
        let mut map = vec![NodeIndex::end(); bound];
        let nodes: Vec<NodeIndex> = graph.node_indices().collect();
        for i in nodes {
            let n = &mut graph[i];
            let node = Node {
                id: std::mem::take(&mut n.id),
                kind: std::mem::take(&mut n.kind),
                label: std::mem::take(&mut n.label),
                attrs: std::mem::take(&mut n.attrs),
                provenance: std::mem::take(&mut n.provenance),
            };
            map[i.index()] = self.upsert_node(node);
        }
        let edges: Vec<EdgeIndex> = graph.edge_indices().collect();
        for ei in edges {
            let Some((a, b)) = graph.edge_endpoints(ei) else {
                continue;
            };
            let e = &mut graph[ei];
            let edge = Edge {
                kind: std::mem::take(&mut e.kind),
                attrs: std::mem::take(&mut e.attrs),
                provenance: std::mem::take(&mut e.provenance),
            };
            self.upsert_edge(map[a.index()], map[b.index()], edge);
        }
    }

    /// Nodes sorted by id.
    pub fn sorted_nodes(&self) -> Vec<&Node> {
        let mut v: Vec<&Node> = self.graph.node_weights().collect();
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v
    }

    /// Edges as (source id, target id, edge), sorted.
    pub fn sorted_edges(&self) -> Vec<(&str, &str, &Edge)> {
        self.sorted().1
    }

    /// [`sorted_nodes`](Self::sorted_nodes) and
    /// [`sorted_edges`](Self::sorted_edges) at once: the edges are sorted by
    /// their ends' places in the node order (and kind), numbers instead of
    /// ids, which is the same order.
    pub fn sorted(&self) -> (Vec<&Node>, Vec<(&str, &str, &Edge)>) {
        // (id, index): the index keeps equal ids (never made by the
        // upserts) in index order, as a stable sort would
        let mut order: Vec<(&str, u32)> = self
            .graph
            .node_indices()
            .map(|i| (self.graph[i].id.as_str(), i.index() as u32))
            .collect();
        order.sort_unstable();
        // equal ids share a rank
        let bound = order
            .iter()
            .map(|&(_, i)| i as usize + 1)
            .max()
            .unwrap_or(0);
        let mut rank = vec![0u32; bound];
        for r in 0..order.len() {
            let first = match r {
                0 => 0,
                _ if order[r - 1].0 == order[r].0 => rank[order[r - 1].1 as usize],
                _ => r as u32,
            };
            rank[order[r].1 as usize] = first;
        }
        // (source rank, target rank) in one number, then kind, then the
        // edge's place (equal edges keep their order, as a stable sort would)
        let edge_refs: Vec<_> = (&self.graph).edge_references().collect();
        let mut keys: Vec<(u64, &str, u32)> = edge_refs
            .iter()
            .enumerate()
            .map(|(k, e)| {
                let (a, b) = (rank[e.source().index()], rank[e.target().index()]);
                (
                    (a as u64) << 32 | b as u64,
                    e.weight().kind.as_str(),
                    k as u32,
                )
            })
            .collect();
        keys.sort_unstable();
        let edges = keys
            .into_iter()
            .map(|(_, _, k)| {
                let e = &edge_refs[k as usize];
                (
                    self.graph[e.source()].id.as_str(),
                    self.graph[e.target()].id.as_str(),
                    e.weight(),
                )
            })
            .collect();
        let nodes = order
            .into_iter()
            .map(|(_, i)| &self.graph[NodeIndex::new(i as usize)])
            .collect();
        (nodes, edges)
    }

    /// The edge order by ids (the reference [`sorted`](Self::sorted) keeps).
    #[cfg(test)]
    fn sorted_edges_by_id(&self) -> Vec<(&str, &str, &Edge)> {
        let mut v: Vec<(&str, &str, &Edge)> = (&self.graph)
            .edge_references()
            .map(|e| {
                (
                    self.graph[e.source()].id.as_str(),
                    self.graph[e.target()].id.as_str(),
                    e.weight(),
                )
            })
            .collect();
        v.sort_by(|a, b| (a.0, a.1, &a.2.kind).cmp(&(b.0, b.1, &b.2.kind)));
        v
    }

    /// Counts of nodes by kind.
    pub fn counts(&self) -> BTreeMap<String, usize> {
        let mut c = BTreeMap::new();
        for n in self.graph.node_weights() {
            *c.entry(n.kind.clone()).or_insert(0) += 1;
        }
        c
    }

    /// Ids of the entity nodes linked to `node` by edges of `kind` (either direction).
    pub fn neighbours(&self, node: &str, kind: &str, incoming: bool) -> BTreeSet<String> {
        let Some(i) = self.node_index(node) else {
            return BTreeSet::new();
        };
        let dir = if incoming {
            petgraph::Direction::Incoming
        } else {
            petgraph::Direction::Outgoing
        };
        self.graph
            .edges_directed(i, dir)
            .filter(|e| e.weight().kind == kind)
            .map(|e| {
                let other = if incoming { e.source() } else { e.target() };
                self.graph[other].id.clone()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node(id: &str, label: &str, attrs: Attrs, doc: &str) -> Node {
        Node {
            id: id.into(),
            kind: "person".into(),
            label: label.into(),
            attrs,
            provenance: vec![Provenance {
                document: doc.into(),
                spans: vec![Span::new(0, 1)],
            }],
        }
    }

    /// Two different 16-byte ASCII ids with the same [`id_hash`]: the hash
    /// of two words is ((h(w1)).rotl(5) ^ w2) · K, and h(w1) is the hash of
    /// the first word alone.
    fn colliding_ids() -> (String, String) {
        let a = "person:aaaaaaaab";
        let word = |s: &str| u64::from_le_bytes(s.as_bytes()[..8].try_into().unwrap());
        let mix = |first: &str| id_hash(first).rotate_left(5);
        for n in 0u64.. {
            let first = format!("p{n:07}");
            let second = mix(&a[..8]) ^ word(&a[8..]) ^ mix(&first);
            let bytes = second.to_le_bytes();
            if bytes.iter().all(|b| (0x20..0x7f).contains(b)) {
                let b = first + std::str::from_utf8(&bytes).unwrap();
                assert_eq!(id_hash(a), id_hash(&b));
                return (a.to_string(), b);
            }
        }
        unreachable!()
    }

    /// The rank order of edges is the id order, also with ids that are
    /// prefixes of others, equal ids (put in by hand) and parallel edges.
    #[test]
    fn edges_sorted_by_rank_are_sorted_by_id() {
        let mut g = KnowledgeGraph::new();
        let ids = ["b", "a", "ab", "a:1", "a:10", "a:2", "é", "B", ""];
        let idx: Vec<NodeIndex> = ids
            .iter()
            .map(|id| g.upsert_node(node(id, id, Attrs::new(), "d")))
            .collect();
        // two more nodes with ids already taken, past the index
        let dup = g.graph.add_node(node("ab", "x", Attrs::new(), "d"));
        let dup2 = g.graph.add_node(node("", "y", Attrs::new(), "d"));
        let edge = |kind: &str| Edge {
            kind: kind.into(),
            attrs: Attrs::new(),
            provenance: Vec::new(),
        };
        let all: Vec<NodeIndex> = idx.iter().copied().chain([dup, dup2]).collect();
        for (i, &a) in all.iter().enumerate() {
            for (j, &b) in all.iter().enumerate() {
                if (i * 7 + j * 3) % 4 == 0 {
                    let kind = ["said", "mentions", "held_at"][(i + j) % 3];
                    g.graph.add_edge(a, b, edge(kind));
                    if (i + j) % 5 == 0 {
                        g.graph.add_edge(a, b, edge("said"));
                    }
                }
            }
        }
        let (nodes, edges) = g.sorted();
        assert_eq!(nodes, g.sorted_nodes());
        let key = |v: &[(&str, &str, &Edge)]| -> Vec<(String, String, String)> {
            v.iter()
                .map(|(s, t, e)| (s.to_string(), t.to_string(), e.kind.clone()))
                .collect()
        };
        assert!(edges.len() > 20);
        assert_eq!(key(&edges), key(&g.sorted_edges_by_id()));
        // the same edge objects in the same places
        for (x, y) in edges.iter().zip(g.sorted_edges_by_id()) {
            assert!(std::ptr::eq(x.2, y.2));
        }
    }

    proptest::proptest! {
        /// Documents' spans merged one by one into a provenance list
        /// sorted by document (the last entry tried first, a tail for those
        /// that come out of order, settled at the end) give what the plain
        /// merge gives, in whatever order the documents come.
        #[test]
        fn documents_merged_into_sorted_provenance_are_the_plain_merge(
            docs in proptest::collection::btree_set("[a-e]{0,3}", 0..8),
            arrivals in proptest::collection::vec(
                ("[a-e]{0,3}", proptest::collection::vec((0usize..6, 0usize..3), 0..4)),
                0..12,
            ),
        ) {
            let span = |&(a, n): &(usize, usize)| Span::new(a, a + n);
            let into: Vec<Provenance> = docs
                .iter()
                .enumerate()
                .map(|(k, d)| Provenance {
                    document: d.clone(),
                    spans: vec![Span::new(k, k + 2), Span::new(1, 2)],
                })
                .collect();
            let arrivals: Vec<(String, Vec<Span>)> = arrivals
                .iter()
                .map(|(d, s)| (d.clone(), s.iter().map(span).collect()))
                .collect();
            let one = |d: &str, s: &[Span]| Provenance {
                document: d.to_string(),
                spans: s.to_vec(),
            };
            let mut plain = into.clone();
            for (d, s) in &arrivals {
                merge_prov(&mut plain, vec![one(d, s)]);
            }
            // one document at a time
            let (mut fast, mut state) = (into.clone(), SORTED);
            for (d, s) in &arrivals {
                merge_prov_one_sorted(&mut fast, d, s, &mut state);
            }
            if state == TAIL {
                settle_prov(&mut fast);
            }
            proptest::prop_assert_eq!(&fast, &plain);
            // lists of documents
            let (mut many, mut state) = (into.clone(), SORTED);
            for pair in arrivals.chunks(2) {
                let from = pair.iter().map(|(d, s)| one(d, s)).collect();
                merge_prov_sorted(&mut many, from, &mut state);
            }
            if state == TAIL {
                settle_prov(&mut many);
            }
            proptest::prop_assert_eq!(&many, &plain);
            // through the graph: each upsert settled, or all at the end
            let node = |prov: Vec<Provenance>| Node {
                id: "n".into(),
                kind: "person".into(),
                label: "N".into(),
                attrs: Attrs::new(),
                provenance: prov,
            };
            let mut each = KnowledgeGraph::new();
            let mut batch = KnowledgeGraph::new();
            batch.defer_settle(true);
            for g in [&mut each, &mut batch] {
                g.upsert_node(node(into.clone()));
                for (d, s) in &arrivals {
                    g.upsert_node(node(vec![one(d, s)]));
                }
            }
            batch.defer_settle(false);
            proptest::prop_assert_eq!(&each.node("n").unwrap().provenance, &plain);
            proptest::prop_assert_eq!(&batch.node("n").unwrap().provenance, &plain);
        }
    }

    /// Edges of several kinds between the same ends (both ways) stay one
    /// edge per (source, target, kind), each with every document it was
    /// upserted from.
    #[test]
    fn parallel_edges_are_found_by_kind() {
        let mut g = KnowledgeGraph::new();
        let a = g.upsert_node(node("a", "A", Attrs::new(), "d"));
        let b = g.upsert_node(node("b", "B", Attrs::new(), "d"));
        let kinds = ["said", "mentions", "addressed", "held_at"];
        let mut expected = BTreeMap::new();
        for round in 0..5 {
            let doc = format!("d{}", (round * 3) % 5);
            for (k, kind) in kinds.iter().enumerate() {
                for (s, t) in [(a, b), (b, a), (a, a)] {
                    if (k + round + s.index()) % 3 == 0 {
                        continue;
                    }
                    g.upsert_edge(
                        s,
                        t,
                        Edge {
                            kind: kind.to_string(),
                            attrs: Attrs::new(),
                            provenance: vec![Provenance {
                                document: doc.clone(),
                                spans: vec![Span::new(k, k + 1)],
                            }],
                        },
                    );
                    expected
                        .entry((s.index(), t.index(), kind.to_string()))
                        .or_insert_with(BTreeSet::new)
                        .insert(doc.clone());
                }
            }
        }
        let got: BTreeMap<(usize, usize, String), BTreeSet<String>> = (&g.graph)
            .edge_references()
            .map(|e| {
                let docs = e.weight().provenance.iter().map(|p| p.document.clone());
                (
                    (
                        e.source().index(),
                        e.target().index(),
                        e.weight().kind.clone(),
                    ),
                    docs.collect(),
                )
            })
            .collect();
        assert_eq!(g.graph.edge_count(), expected.len());
        assert_eq!(got, expected);
    }

    #[test]
    fn ids_with_the_same_hash_are_different_nodes() {
        let (a, b) = colliding_ids();
        assert_ne!(a, b);
        let mut g = KnowledgeGraph::new();
        let ia = g.upsert_node(node(&a, "A", Attrs::new(), "d1"));
        assert_eq!(g.node_index(&b), None);
        let ib = g.upsert_node(node(&b, "B", Attrs::new(), "d1"));
        assert_ne!(ia, ib);
        assert_eq!(g.node_index(&a), Some(ia));
        assert_eq!(g.node_index(&b), Some(ib));
        let mut h = KnowledgeGraph::new();
        h.upsert_node(node(&b, "B", Attrs::new(), "d2"));
        h.upsert_node(node(&a, "A", Attrs::new(), "d2"));
        g.merge_owned(h);
        assert_eq!(g.graph.node_count(), 2);
        assert_eq!(g.node(&b).unwrap().label, "B");
        assert_eq!(g.node(&b).unwrap().provenance.len(), 2);
        assert_eq!(g.node(&a).unwrap().provenance.len(), 2);
    }

    #[test]
    fn a_span_merges_as_one_pair_not_as_a_set_of_numbers() {
        // sorted as a set, [96, 127] would become [127, 96] ("127" < "96")
        let mut attrs = Attrs::default();
        attrs.insert("span", json!([96, 127]));
        let mut into = attrs.clone();
        merge_attrs(&mut into, attrs.clone());
        assert_eq!(into.get("span"), Some(&json!([96, 127])));
        let mut other = Attrs::default();
        other.insert("span", json!([5, 9]));
        merge_attrs(&mut into, other);
        assert_eq!(into.get("span"), Some(&json!([5, 9])));
    }

    #[test]
    fn an_events_direction_merges_as_one_pair() {
        let pair = |s: Option<&str>, t: Option<&str>| {
            let mut a = Attrs::default();
            a.insert("status", json!("occurred"));
            if let Some(s) = s {
                a.insert("source_actor", json!(s));
            }
            if let Some(t) = t {
                a.insert("target_actor", json!(t));
            }
            a
        };
        let get =
            |a: &Attrs| ACTOR_PAIR.map(|k| a.get(k).and_then(Value::as_str).map(str::to_string));
        let ab = pair(Some("person:b"), Some("person:a"));
        let ba = pair(Some("person:a"), Some("person:b"));
        let one_sided = pair(Some("person:0"), None);
        let want = [Some("person:a".to_string()), Some("person:b".to_string())];
        // either merge order keeps one report's pair whole: never a meets a
        for (x, y) in [(&ab, &ba), (&ba, &ab), (&one_sided, &ba), (&ba, &one_sided)] {
            let mut into = x.clone();
            merge_attrs(&mut into, y.clone());
            assert_eq!(get(&into), want, "{x:?} + {y:?}");
            assert_eq!(into.get("status"), Some(&json!("occurred")));
        }
        // associative: ((ab + one_sided) + ba) == (ab + (one_sided + ba))
        let mut left = ab.clone();
        merge_attrs(&mut left, one_sided.clone());
        merge_attrs(&mut left, ba.clone());
        let mut right = one_sided.clone();
        merge_attrs(&mut right, ba.clone());
        let mut right2 = ab.clone();
        merge_attrs(&mut right2, right);
        assert_eq!(get(&left), get(&right2));
        // a pair meets nothing: kept as it is
        let mut into = Attrs::default();
        merge_attrs(&mut into, one_sided.clone());
        assert_eq!(get(&into), [Some("person:0".to_string()), None]);
    }

    #[test]
    fn a_list_with_copies_merges_the_same_from_either_side() {
        // the union of ["", ""] and [""] is [""] whichever is merged into which
        let mut a = json!(["", ""]);
        merge_value(&mut a, json!([""]));
        let mut b = json!([""]);
        merge_value(&mut b, json!(["", ""]));
        assert_eq!(a, json!([""]));
        assert_eq!(b, json!([""]));
        let mut c = json!([2, 1, 2]);
        merge_value(&mut c, json!([3]));
        assert_eq!(c, json!([1, 2, 3]));
    }

    #[test]
    fn merged_attributes_are_the_union_with_the_documented_choices() {
        let attrs = |pairs: &[(&'static str, Value)]| -> Attrs {
            pairs.iter().map(|(k, v)| (*k, v.clone())).collect()
        };
        let mut g = KnowledgeGraph::new();
        g.upsert_node(node(
            "x",
            "X",
            attrs(&[
                ("aliases", json!(["b", "d"])),
                ("c", json!("zz")),
                ("m", json!(null)),
                ("z", json!(1)),
            ]),
            "d1",
        ));
        g.upsert_node(node(
            "x",
            "Xavier",
            attrs(&[
                ("a", json!(true)),
                ("aliases", json!(["a", "d"])),
                ("c", json!("aa")),
                ("m", json!(2)),
                ("n", json!([1])),
            ]),
            "d0",
        ));
        let n = g.node("x").unwrap();
        assert_eq!(n.label, "Xavier");
        let got: Vec<(&str, &Value)> = n.attrs.iter().collect();
        let (t, a, d, m, one, v1) = (
            json!(true),
            json!(["a", "b", "d"]),
            json!("aa"),
            json!(2),
            json!([1]),
            json!(1),
        );
        assert_eq!(
            got,
            [
                ("a", &t),
                ("aliases", &a),
                ("c", &d),
                ("m", &m),
                ("n", &one),
                ("z", &v1)
            ]
        );
        let docs: Vec<&str> = n.provenance.iter().map(|p| p.document.as_str()).collect();
        assert_eq!(docs, ["d0", "d1"]);
    }
}
