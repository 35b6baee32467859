//! Neo4j bulk-import CSV (`neo4j-admin database import full --nodes=nodes.csv
//! --relationships=relationships.csv`): headers with `:ID`, `:LABEL`,
//! `:START_ID`, `:END_ID`, `:TYPE` and typed property columns, fields quoted
//! as RFC 4180 says (a field holding a comma, quote or line break is put in
//! double quotes, quotes doubled). Lists become Neo4j arrays (`;`-separated).

use super::{flat, value_type};
use crate::graph::{Attrs, KnowledgeGraph};
use serde_json::Value;
use std::collections::BTreeMap;

/// Quote one CSV field if it needs it (RFC 4180).
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv_line(fields: &[String]) -> String {
    let mut s = fields
        .iter()
        .map(|f| csv_field(f))
        .collect::<Vec<_>>()
        .join(",");
    s.push('\n');
    s
}

/// Neo4j label(s) of a node kind: the kind capitalised, plus `Actor` or `Event`.
pub fn labels(kind: &str) -> String {
    let mut c = kind.chars();
    let cap: String = match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => "Node".into(),
    };
    match kind {
        "person" | "organization" | "place" => format!("{cap};Actor"),
        "meeting" | "call" | "visit" => format!("{cap};Event"),
        _ => cap,
    }
}

/// A column: property name and Neo4j type.
struct Column {
    name: String,
    ty: String,
}

fn columns<'a>(rows: impl Iterator<Item = &'a Attrs>, reserved: &[&str]) -> Vec<Column> {
    let mut by: BTreeMap<&str, Vec<&Value>> = BTreeMap::new();
    for r in rows {
        for (k, v) in r {
            if !reserved.contains(&k) {
                by.entry(k).or_default().push(v);
            }
        }
    }
    by.into_iter()
        .map(|(name, vals)| {
            let string_list = vals.iter().all(|v| {
                v.is_null()
                    || v.as_array()
                        .is_some_and(|a| a.iter().all(|x| x.is_string()))
            });
            let ty = if string_list && vals.iter().any(|v| v.is_array()) {
                "string[]".to_string()
            } else {
                value_type(vals.into_iter()).to_string()
            };
            Column {
                name: name.to_string(),
                ty,
            }
        })
        .collect()
}

fn cell(v: Option<&Value>, col: &Column) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::Array(a)) if col.ty == "string[]" => a
            .iter()
            .filter_map(|x| x.as_str())
            .map(|s| s.replace(';', ","))
            .collect::<Vec<_>>()
            .join(";"),
        Some(v @ (Value::Array(_) | Value::Object(_))) => v.to_string(),
        Some(v) => flat(v, ";"),
    }
}

fn header(col: &Column) -> String {
    if col.ty == "string" {
        col.name.clone()
    } else {
        format!("{}:{}", col.name, col.ty)
    }
}

/// The nodes file.
pub fn nodes_csv(g: &KnowledgeGraph) -> String {
    let nodes = g.sorted_nodes();
    let cols = columns(
        nodes.iter().map(|n| &n.attrs),
        &["id", "kind", "label", "provenance"],
    );
    let mut head = vec![
        "id:ID".to_string(),
        ":LABEL".into(),
        "kind".into(),
        "label".into(),
    ];
    head.extend(cols.iter().map(header));
    head.push("provenance".into());
    let mut out = csv_line(&head);
    for n in nodes {
        let mut row = vec![
            n.id.clone(),
            labels(&n.kind),
            n.kind.clone(),
            n.label.clone(),
        ];
        row.extend(cols.iter().map(|c| cell(n.attrs.get(&c.name), c)));
        row.push(serde_json::to_string(&n.provenance).unwrap_or_default());
        out.push_str(&csv_line(&row));
    }
    out
}

/// The relationships file.
pub fn relationships_csv(g: &KnowledgeGraph) -> String {
    let edges = g.sorted_edges();
    let cols = columns(
        edges.iter().map(|e| &e.2.attrs),
        &["source", "target", "kind", "provenance"],
    );
    let mut head = vec![":START_ID".to_string(), ":END_ID".into(), ":TYPE".into()];
    head.extend(cols.iter().map(header));
    head.push("provenance".into());
    let mut out = csv_line(&head);
    for (s, t, e) in edges {
        let mut row = vec![s.to_string(), t.to_string(), e.kind.to_uppercase()];
        row.extend(cols.iter().map(|c| cell(e.attrs.get(&c.name), c)));
        row.push(serde_json::to_string(&e.provenance).unwrap_or_default());
        out.push_str(&csv_line(&row));
    }
    out
}
