//! JSON Lines records, one per document: its entities, statements (with
//! speaker and addressee ids) and events (with participant, host and place
//! ids), plus the edges with their provenance. A corpus run with
//! `--format jsonl` is a map step; `readout merge` is the reduce step (it
//! reads these records as well as node-link graphs).

use super::compact;
use super::json::{edge_obj, node_obj, take_prov, write_edge, write_node, Extra, Obj, V};
use crate::graph::{KnowledgeGraph, Node};
use petgraph::stable_graph::NodeIndex;
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use serde::Serialize;
use serde_json::{json, Value};

/// Convenience keys added to statement and event records (not attributes).
const DERIVED: [&str; 6] = [
    "speaker",
    "addressee",
    "mentioned",
    "participants",
    "hosts",
    "place",
];

fn first(s: std::collections::BTreeSet<String>) -> Value {
    s.into_iter()
        .next()
        .map(Value::String)
        .unwrap_or(Value::Null)
}

#[derive(Serialize)]
struct Record<'a> {
    id: &'a str,
    date: Option<&'a str>,
    url: Option<&'a str>,
    source: Option<&'a str>,
    entities: Vec<Obj<'a>>,
    statements: Vec<Obj<'a>>,
    events: Vec<Obj<'a>>,
    edges: Vec<Obj<'a>>,
}

fn record_parts<'a>(
    g: &'a KnowledgeGraph,
    id: &'a str,
    url: Option<&'a str>,
    source: Option<&'a str>,
) -> Record<'a> {
    let date = g.documents.get(id).and_then(|d| d.as_deref());
    let (mut entities, mut statements, mut events) = (Vec::new(), Vec::new(), Vec::new());
    for n in g.sorted_nodes() {
        let mut m = node_obj(n);
        match n.kind.as_str() {
            "statement" => {
                m.insert(
                    "speaker",
                    V::Owned(first(g.neighbours(&n.id, "said", true))),
                );
                m.insert(
                    "addressee",
                    V::Owned(first(g.neighbours(&n.id, "addressed", false))),
                );
                m.insert(
                    "mentioned",
                    V::Owned(json!(g.neighbours(&n.id, "mentions", false))),
                );
                statements.push(m);
            }
            "meeting" | "call" | "visit" => {
                let mut parts = g.neighbours(&n.id, "participated", true);
                let hosts = g.neighbours(&n.id, "hosted", true);
                parts.extend(hosts.iter().cloned());
                m.insert("participants", V::Owned(json!(parts)));
                m.insert("hosts", V::Owned(json!(hosts)));
                m.insert(
                    "place",
                    V::Owned(first(g.neighbours(&n.id, "held_at", false))),
                );
                events.push(m);
            }
            _ => entities.push(m),
        }
    }
    let edges = g
        .sorted_edges()
        .into_iter()
        .map(|(s, t, e)| {
            let mut m = edge_obj(s, t, 0, e);
            m.remove("key");
            m
        })
        .collect();
    Record {
        id,
        date,
        url,
        source,
        entities,
        statements,
        events,
        edges,
    }
}

/// The record of one document's graph. `url` and `source` come from the
/// input record, if any.
pub fn record(g: &KnowledgeGraph, id: &str, url: Option<&str>, source: Option<&str>) -> Value {
    serde_json::to_value(record_parts(g, id, url, source)).expect("JSON values always serialize")
}

/// Ids at the other end of `i`'s edges of `kind` (incoming or outgoing),
/// sorted and unique, into `ids` (the set [`KnowledgeGraph::neighbours`]
/// returns, without copying the ids).
fn neighbour_ids<'a>(
    g: &'a KnowledgeGraph,
    i: NodeIndex,
    kind: &str,
    incoming: bool,
    ids: &mut Vec<&'a str>,
) {
    ids.clear();
    let dir = if incoming {
        Direction::Incoming
    } else {
        Direction::Outgoing
    };
    for e in g.graph.edges_directed(i, dir) {
        if e.weight().kind == kind {
            let other = if incoming { e.source() } else { e.target() };
            ids.push(g.graph[other].id.as_str());
        }
    }
    ids.sort_unstable();
    ids.dedup();
}

/// [`record`] as one line of JSON (with its newline), written directly
/// from the graph: the bytes `serde_json` would write for [`record`] (see
/// `compact`).
pub fn record_line(
    g: &KnowledgeGraph,
    id: &str,
    url: Option<&str>,
    source: Option<&str>,
) -> String {
    String::from_utf8(record_bytes(g, id, url, source)).expect("the compact writer writes UTF-8")
}

/// [`record_line`] as bytes (UTF-8), for writing out without a check.
pub fn record_bytes<'a>(
    g: &'a KnowledgeGraph,
    id: &str,
    url: Option<&str>,
    source: Option<&str>,
) -> Vec<u8> {
    let date = g.documents.get(id).and_then(|d| d.as_deref());
    let mut out = Vec::with_capacity(4096);
    out.extend_from_slice(b"{\"id\":");
    compact::string(&mut out, id);
    for (k, v) in [("date", date), ("url", url), ("source", source)] {
        compact::key(&mut out, k, false);
        compact::opt_string(&mut out, v);
    }
    let (nodes, edges) = g.sorted();
    let part = |n: &Node| match n.kind.as_str() {
        "statement" => 1,
        "meeting" | "call" | "visit" => 2,
        _ => 0,
    };
    let (mut a, mut b, mut c) = (Vec::new(), Vec::new(), Vec::new());
    for (k, list) in [("entities", 0), ("statements", 1), ("events", 2)] {
        compact::key(&mut out, k, false);
        compact::list(
            &mut out,
            nodes.iter().filter(|n| part(n) == list),
            |out, n| {
                if list == 0 {
                    return write_node(out, n, &[]);
                }
                let i = g.node_index(&n.id);
                let ids = |kind: &str, incoming: bool, into: &mut Vec<&'a str>| match i {
                    Some(i) => neighbour_ids(g, i, kind, incoming, into),
                    None => into.clear(),
                };
                if list == 1 {
                    ids("said", true, &mut a);
                    ids("addressed", false, &mut b);
                    ids("mentions", false, &mut c);
                    write_node(
                        out,
                        n,
                        &[
                            ("speaker", Extra::First(&a)),
                            ("addressee", Extra::First(&b)),
                            ("mentioned", Extra::List(&c)),
                        ],
                    );
                } else {
                    // participants: those who took part or hosted
                    ids("participated", true, &mut a);
                    ids("hosted", true, &mut b);
                    a.extend_from_slice(&b);
                    a.sort_unstable();
                    a.dedup();
                    ids("held_at", false, &mut c);
                    write_node(
                        out,
                        n,
                        &[
                            ("participants", Extra::List(&a)),
                            ("hosts", Extra::List(&b)),
                            ("place", Extra::First(&c)),
                        ],
                    );
                }
            },
        );
    }
    compact::key(&mut out, "edges", false);
    compact::list(&mut out, edges, |out, (s, t, e)| {
        write_edge(out, s, t, None, e)
    });
    out.extend_from_slice(b"}\n");
    out
}

/// The record of one annotated document, appended to `out`: the bytes
/// [`record_bytes`] writes for `KnowledgeGraph::from_annotated(a)`, written
/// straight from the annotations (see `direct`).
pub fn write_record_of(
    out: &mut Vec<u8>,
    a: &crate::Annotated,
    id: &str,
    url: Option<&str>,
    source: Option<&str>,
) {
    super::direct::write_record(out, a, id, url, source);
}

/// Rebuild the graph of one record.
pub fn from_record(v: &Value) -> Result<KnowledgeGraph, String> {
    let obj = v.as_object().ok_or("a record is not a JSON object")?;
    let id = obj
        .get("id")
        .and_then(|i| i.as_str())
        .ok_or("a record has no \"id\"")?;
    let mut g = KnowledgeGraph::new();
    g.add_document(
        id,
        obj.get("date").and_then(|d| d.as_str()).map(str::to_string),
    );
    for list in ["entities", "statements", "events"] {
        for n in obj
            .get(list)
            .and_then(|l| l.as_array())
            .map(|a| a.as_slice())
            .unwrap_or_default()
        {
            let mut m = n.as_object().cloned().ok_or("a node is not an object")?;
            let nid = m
                .remove("id")
                .and_then(|x| x.as_str().map(str::to_string))
                .ok_or("a node has no \"id\"")?;
            let kind = super::json::take_str(&mut m, "kind").unwrap_or_default();
            let label = super::json::take_str(&mut m, "label").unwrap_or_else(|| nid.clone());
            if list != "entities" {
                for k in DERIVED {
                    m.remove(k);
                }
            }
            let provenance = take_prov(&mut m);
            g.upsert_node(Node {
                id: nid,
                kind,
                label,
                attrs: m.into(),
                provenance,
            });
        }
    }
    for e in obj
        .get("edges")
        .and_then(|l| l.as_array())
        .map(|a| a.as_slice())
        .unwrap_or_default()
    {
        super::json::add_edge(&mut g, e, "the record")?;
    }
    Ok(g)
}

/// Read a saved graph: node-link JSON (`extract --format json`, `merge`) or
/// JSON Lines records (`extract --format jsonl`), merged into one graph.
pub fn read_graph(text: &str) -> Result<KnowledgeGraph, String> {
    let t = text.trim_start_matches('\u{FEFF}');
    if let Ok(v) = serde_json::from_str::<Value>(t) {
        if v.get("nodes").is_some() {
            return super::json::from_value(&v);
        }
        if v.get("entities").is_some() && v.get("id").is_some() {
            return from_record(&v);
        }
        return Err(
            "not a readout graph (no \"nodes\" list) nor a readout JSON Lines record".into(),
        );
    }
    let mut g = KnowledgeGraph::new();
    for (n, line) in t.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value =
            serde_json::from_str(line).map_err(|e| format!("line {}: not JSON: {e}", n + 1))?;
        let r = from_record(&v).map_err(|e| format!("line {}: {e}", n + 1))?;
        g.merge_owned(r);
    }
    Ok(g)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Pipeline;

    /// A small graph whose strings need escaping, with statements, an event
    /// and every edge kind the records carry.
    fn graph() -> KnowledgeGraph {
        let p = Pipeline::embedded().unwrap();
        let text =
            "WASHINGTON, May 4, 2021 -\n\nAntony Blinken met Dmitry Kuleba in Kyiv on Monday. \
                    \"We stand with you,\tfriends \\ \u{1} – “always”,\" Blinken told Kuleba.\n\n\
                    Kuleba said the talks were \"useful\".";
        let mut g = KnowledgeGraph::from_annotated(&p.annotate("doc \"one\"\n", text, None));
        g.merge_owned(KnowledgeGraph::from_annotated(
            &p.annotate("doc two", text, None),
        ));
        g
    }

    #[test]
    fn compact_node_link_is_what_serde_json_writes() {
        let g = graph();
        assert!(g.graph.edge_count() > 3, "{:?}", g.counts());
        let mut via_serde = Vec::new();
        super::super::json::write_node_link(&g, &mut serde_json::Serializer::new(&mut via_serde))
            .unwrap();
        assert_eq!(
            super::super::json::to_string(&g, false),
            String::from_utf8(via_serde).unwrap()
        );
    }

    #[test]
    fn record_lines_are_what_serde_json_writes() {
        let g = graph();
        for (id, url, source) in [
            ("doc \"one\"\n", Some("https://example.org/a?b=\"c\""), None),
            ("doc two", None, Some("wire\u{7f}")),
        ] {
            let line = record_line(&g, id, url, source);
            let expected =
                serde_json::to_string(&record_parts(&g, id, url, source)).unwrap() + "\n";
            assert_eq!(line, expected);
            assert!(line.contains("\"statements\":[{"), "{line}");
        }
    }

    /// Node and edge objects are laid out as `Obj` lays them out even when
    /// attributes are named like the fields or the record's derived keys.
    #[test]
    fn attributes_named_like_fields_are_written_as_serde_json_writes_them() {
        let mut g = graph();
        assert!(
            g.graph.node_weights().any(|n| n.kind == "meeting"),
            "{:?}",
            g.counts()
        );
        let node_keys = [
            "id",
            "kind",
            "label",
            "provenance",
            "speaker",
            "mentioned",
            "participants",
            "place",
            "a",
            "zz",
        ];
        for (i, n) in g.graph.node_weights_mut().enumerate() {
            for (j, k) in node_keys.iter().enumerate() {
                if (i + j) % 3 == 0 {
                    n.attrs.insert(k.to_string(), json!([j, "x\"y", 1.5]));
                }
            }
        }
        let edge_keys = ["source", "target", "key", "kind", "provenance", "a", "zz"];
        for (i, e) in g.graph.edge_weights_mut().enumerate() {
            for (j, k) in edge_keys.iter().enumerate() {
                if (i + j) % 4 == 0 {
                    e.attrs.insert(k.to_string(), json!({"k": j}));
                }
            }
        }
        let mut via_serde = Vec::new();
        super::super::json::write_node_link(&g, &mut serde_json::Serializer::new(&mut via_serde))
            .unwrap();
        assert_eq!(
            super::super::json::to_string(&g, false),
            String::from_utf8(via_serde).unwrap()
        );
        for id in ["doc \"one\"\n", "doc two"] {
            let expected = serde_json::to_string(&record_parts(&g, id, None, None)).unwrap() + "\n";
            assert_eq!(record_line(&g, id, None, None), expected);
        }
    }
}
