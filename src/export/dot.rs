//! A small DOT writer. Every id and label is quoted and escaped (petgraph's
//! `Dot` does not escape attribute strings), so `dot` accepts any input.

use crate::graph::KnowledgeGraph;
use std::fmt::Write;

/// Escape a string for a double-quoted DOT string.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn style(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "person" => ("ellipse", "#cfe2ff"),
        "organization" => ("box", "#d1e7dd"),
        "place" => ("house", "#fff3cd"),
        "statement" => ("note", "#f8f9fa"),
        "meeting" => ("doubleoctagon", "#f8d7da"),
        "call" => ("octagon", "#e2d9f3"),
        "visit" => ("cds", "#ffe5d0"),
        _ => ("ellipse", "#ffffff"),
    }
}

/// Options for large graphs.
#[derive(Clone, Debug, Default)]
pub struct DotOptions {
    /// Group nodes in clusters: "document" or "kind".
    pub cluster: Option<String>,
    /// Keep at most this many nodes (the most connected ones).
    pub max_nodes: Option<usize>,
}

/// Render the graph as DOT.
pub fn to_dot(g: &KnowledgeGraph, opts: &DotOptions) -> String {
    let mut nodes = g.sorted_nodes();
    if let Some(max) = opts.max_nodes {
        if nodes.len() > max {
            let degree = |id: &str| {
                g.node_index(id)
                    .map(|i| g.graph.neighbors_undirected(i).count())
                    .unwrap_or(0)
            };
            nodes.sort_by(|a, b| degree(&b.id).cmp(&degree(&a.id)).then(a.id.cmp(&b.id)));
            nodes.truncate(max);
            nodes.sort_by(|a, b| a.id.cmp(&b.id));
        }
    }
    let kept: std::collections::HashSet<&str> = nodes.iter().map(|n| n.id.as_str()).collect();
    let mut out = String::new();
    out.push_str("digraph readout {\n  graph [rankdir=LR, overlap=false, splines=true, fontname=\"Helvetica\"];\n");
    out.push_str("  node [style=filled, fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n");
    let line = |out: &mut String, n: &crate::graph::Node, indent: &str| {
        let (shape, colour) = style(&n.kind);
        let mut label = n.label.clone();
        if let Some(d) = n.attrs.get("date").and_then(|d| d.as_str()) {
            label.push_str(&format!("\n{d}"));
        }
        if let Some(s) = n.attrs.get("status").and_then(|d| d.as_str()) {
            if s != "occurred" {
                label.push_str(&format!(" ({s})"));
            }
        }
        let _ = writeln!(
            out,
            "{indent}\"{}\" [label=\"{}\", shape={shape}, fillcolor=\"{colour}\"];",
            escape(&n.id),
            escape(&label)
        );
    };
    match opts.cluster.as_deref() {
        Some(by) => {
            let mut groups: std::collections::BTreeMap<String, Vec<&crate::graph::Node>> =
                Default::default();
            for n in &nodes {
                let key = if by == "kind" {
                    n.kind.clone()
                } else {
                    n.provenance
                        .first()
                        .map(|p| p.document.clone())
                        .unwrap_or_default()
                };
                groups.entry(key).or_default().push(n);
            }
            for (gi, (key, ns)) in groups.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "  subgraph \"cluster_{gi}\" {{\n    label=\"{}\";",
                    escape(key)
                );
                for n in ns {
                    line(&mut out, n, "    ");
                }
                out.push_str("  }\n");
            }
        }
        None => {
            for n in &nodes {
                line(&mut out, n, "  ");
            }
        }
    }
    for (s, t, e) in g.sorted_edges() {
        if kept.contains(s) && kept.contains(t) {
            let _ = writeln!(
                out,
                "  \"{}\" -> \"{}\" [label=\"{}\"];",
                escape(s),
                escape(t),
                escape(&e.kind)
            );
        }
    }
    out.push_str("}\n");
    out
}
