//! networkx node-link JSON, readable by `networkx.node_link_graph` in every
//! version (the edge list is written under both `edges` and `links`).

use crate::graph::{Edge, KnowledgeGraph, Node, Provenance};
use serde_json::{json, Map, Value};

pub(crate) fn node_json(n: &Node) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(n.id));
    m.insert("kind".into(), json!(n.kind));
    m.insert("label".into(), json!(n.label));
    // attributes in key order, so that output does not depend on merge order
    let mut attrs: Vec<(&String, &Value)> = n.attrs.iter().collect();
    attrs.sort_by(|a, b| a.0.cmp(b.0));
    for (k, v) in attrs {
        if !m.contains_key(k) {
            m.insert(k.clone(), v.clone());
        }
    }
    m.insert("provenance".into(), json!(n.provenance));
    Value::Object(m)
}

pub(crate) fn edge_json(s: &str, t: &str, key: usize, e: &Edge) -> Value {
    let mut m = Map::new();
    m.insert("source".into(), json!(s));
    m.insert("target".into(), json!(t));
    m.insert("key".into(), json!(key));
    m.insert("kind".into(), json!(e.kind));
    let mut attrs: Vec<(&String, &Value)> = e.attrs.iter().collect();
    attrs.sort_by(|a, b| a.0.cmp(b.0));
    for (k, v) in attrs {
        if !m.contains_key(k) {
            m.insert(k.clone(), v.clone());
        }
    }
    m.insert("provenance".into(), json!(e.provenance));
    Value::Object(m)
}

/// The graph as a node-link JSON value.
pub fn to_value(g: &KnowledgeGraph) -> Value {
    let nodes: Vec<Value> = g.sorted_nodes().into_iter().map(node_json).collect();
    let mut keys: std::collections::HashMap<(&str, &str), usize> = Default::default();
    let edges: Vec<Value> = g
        .sorted_edges()
        .into_iter()
        .map(|(s, t, e)| {
            let k = keys.entry((s, t)).or_insert(0);
            let v = edge_json(s, t, *k, e);
            *k += 1;
            v
        })
        .collect();
    let docs: Vec<Value> = g
        .documents
        .iter()
        .map(|(d, date)| json!({"id": d, "date": date}))
        .collect();
    json!({
        "directed": true,
        "multigraph": true,
        "graph": {"generator": concat!("readout ", env!("CARGO_PKG_VERSION")), "documents": docs, "counts": g.counts()},
        "nodes": nodes,
        "edges": edges,
        "links": edges,
    })
}

/// Serialize, compact or pretty.
pub fn to_string(g: &KnowledgeGraph, pretty: bool) -> String {
    let v = to_value(g);
    if pretty {
        serde_json::to_string_pretty(&v).expect("JSON values always serialize")
    } else {
        serde_json::to_string(&v).expect("JSON values always serialize")
    }
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
            attrs: m,
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
            attrs: m,
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
