//! Writers for the knowledge graph: node-link JSON (networkx), JSON Lines
//! records (one per document), GraphML (networkx, Gephi), Neo4j bulk-import
//! CSV and DOT.

mod compact;
mod direct;
pub mod dot;
pub mod graphml;
pub mod json;
pub mod jsonl;
pub mod neo4j;

use serde_json::Value;

/// The type of an attribute over all its non-null values: "boolean",
/// "long", "double" or "string" (lists and objects are rendered as strings).
pub(crate) fn value_type<'a>(values: impl Iterator<Item = &'a Value>) -> &'static str {
    let mut t: Option<&'static str> = None;
    for v in values {
        let this = match v {
            Value::Null => continue,
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "long",
            Value::Number(_) => "double",
            _ => "string",
        };
        t = Some(match (t, this) {
            (None, x) => x,
            (Some(a), b) if a == b => a,
            (Some("long"), "double") | (Some("double"), "long") => "double",
            _ => "string",
        });
    }
    t.unwrap_or("string")
}

/// A scalar rendering of a value: lists of scalars joined with `sep`,
/// spans `[start, end]` as `start-end`, objects as JSON.
pub(crate) fn flat(v: &Value, sep: &str) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(a) => {
            if a.len() == 2 && a.iter().all(|x| x.is_u64()) {
                return format!("{}-{}", a[0], a[1]);
            }
            a.iter().map(|x| flat(x, ",")).collect::<Vec<_>>().join(sep)
        }
        Value::Object(_) => v.to_string(),
    }
}
