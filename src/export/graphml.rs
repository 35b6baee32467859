//! GraphML for networkx (`networkx.read_graphml`) and Gephi: every
//! attribute is declared by a typed `<key>`, lists are joined with `; `,
//! provenance is a JSON string, and characters XML 1.0 forbids are removed.

use super::{flat, value_type};
use crate::graph::{Attrs, KnowledgeGraph, Provenance};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Escape text for XML content and attribute values, dropping characters
/// that XML 1.0 does not allow (control characters other than tab, LF, CR,
/// and the non-characters U+FFFE, U+FFFF).
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' => out.push(c),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Attributes of one node or edge as GraphML sees them.
fn row(
    kind: &str,
    label: Option<&str>,
    attrs: &Attrs,
    prov: &[Provenance],
) -> BTreeMap<String, Value> {
    let mut m = BTreeMap::new();
    m.insert("kind".to_string(), Value::String(kind.to_string()));
    if let Some(l) = label {
        m.insert("label".to_string(), Value::String(l.to_string()));
    }
    for (k, v) in attrs {
        if k != "id" && !v.is_null() {
            m.entry(k.to_string()).or_insert_with(|| v.clone());
        }
    }
    let docs: Vec<&str> = prov.iter().map(|p| p.document.as_str()).collect();
    m.insert(
        "source_documents".to_string(),
        Value::String(docs.join("; ")),
    );
    m.insert(
        "provenance".to_string(),
        serde_json::to_value(prov).unwrap_or(Value::Null),
    );
    m
}

struct Keys {
    /// attribute name -> (key id, type)
    keys: BTreeMap<String, (String, &'static str)>,
}

impl Keys {
    fn new(prefix: &str, rows: &[BTreeMap<String, Value>]) -> Keys {
        let mut names: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
        for r in rows {
            for (k, v) in r {
                names.entry(k.clone()).or_default().push(v);
            }
        }
        let keys = names
            .into_iter()
            .enumerate()
            .map(|(i, (name, vals))| {
                let t = value_type(vals.into_iter());
                (name, (format!("{prefix}{i}"), t))
            })
            .collect();
        Keys { keys }
    }

    fn declare(&self, out: &mut String, domain: &str) {
        for (name, (id, t)) in &self.keys {
            let _ = writeln!(
                out,
                "  <key id=\"{id}\" for=\"{domain}\" attr.name=\"{}\" attr.type=\"{t}\"/>",
                xml_escape(name)
            );
        }
    }

    fn data(&self, out: &mut String, r: &BTreeMap<String, Value>) {
        for (name, v) in r {
            let Some((id, t)) = self.keys.get(name) else {
                continue;
            };
            let text = match (v, *t) {
                (Value::Object(_), _) | (Value::Array(_), _) if name == "provenance" => {
                    v.to_string()
                }
                (Value::Bool(b), "boolean") => b.to_string(),
                _ => flat(v, "; "),
            };
            let _ = writeln!(out, "      <data key=\"{id}\">{}</data>", xml_escape(&text));
        }
    }
}

/// Render the graph as GraphML.
pub fn to_graphml(g: &KnowledgeGraph) -> String {
    let (nodes, edges) = g.sorted();
    let node_rows: Vec<_> = nodes
        .iter()
        .map(|n| row(&n.kind, Some(&n.label), &n.attrs, &n.provenance))
        .collect();
    let edge_rows: Vec<_> = edges
        .iter()
        .map(|(_, _, e)| row(&e.kind, None, &e.attrs, &e.provenance))
        .collect();
    let nk = Keys::new("n", &node_rows);
    let ek = Keys::new("e", &edge_rows);
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n");
    nk.declare(&mut out, "node");
    ek.declare(&mut out, "edge");
    out.push_str("  <graph id=\"readout\" edgedefault=\"directed\">\n");
    for (n, r) in nodes.iter().zip(&node_rows) {
        let _ = writeln!(out, "    <node id=\"{}\">", xml_escape(&n.id));
        nk.data(&mut out, r);
        out.push_str("    </node>\n");
    }
    for (i, ((s, t, _), r)) in edges.iter().zip(&edge_rows).enumerate() {
        let _ = writeln!(
            out,
            "    <edge id=\"e{i}\" source=\"{}\" target=\"{}\">",
            xml_escape(s),
            xml_escape(t)
        );
        ek.data(&mut out, r);
        out.push_str("    </edge>\n");
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}
