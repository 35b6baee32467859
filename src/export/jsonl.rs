//! JSON Lines records, one per document: its entities, statements (with
//! speaker and addressee ids) and events (with participant, host and place
//! ids), plus the edges with their provenance. A corpus run with
//! `--format jsonl` is a map step; `readout merge` is the reduce step (it
//! reads these records as well as node-link graphs).

use super::compact;
use super::json::{edge_obj, node_obj, take_prov, Obj, V};
use crate::graph::{KnowledgeGraph, Node};
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

/// [`record`] as one line of JSON (with its newline), written directly:
/// the bytes `serde_json` would write for [`record`] (see `compact`).
pub fn record_line(
    g: &KnowledgeGraph,
    id: &str,
    url: Option<&str>,
    source: Option<&str>,
) -> String {
    let r = record_parts(g, id, url, source);
    let mut out = Vec::with_capacity(4096);
    out.extend_from_slice(b"{\"id\":");
    compact::string(&mut out, r.id);
    for (k, v) in [("date", r.date), ("url", r.url), ("source", r.source)] {
        compact::key(&mut out, k, false);
        compact::opt_string(&mut out, v);
    }
    for (k, list) in [
        ("entities", &r.entities),
        ("statements", &r.statements),
        ("events", &r.events),
        ("edges", &r.edges),
    ] {
        compact::key(&mut out, k, false);
        compact::list(&mut out, list, |out, o| o.write(out));
    }
    out.extend_from_slice(b"}\n");
    String::from_utf8(out).expect("the compact writer writes UTF-8")
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
}
