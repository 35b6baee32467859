//! `readout merge`: saved graphs in, one graph out. Merging is associative
//! and commutative, so partial graphs combine in any order.

use super::{error, write_graph, GraphFormat, OutputArgs};
use crate::export::jsonl::read_graph;
use crate::graph::KnowledgeGraph;
use crate::input::io_message;
use std::io::Read;

/// Read one saved graph file (or `-`).
pub fn load(path: &str) -> Result<KnowledgeGraph, String> {
    let mut text = String::new();
    let res = if path == "-" {
        std::io::stdin().read_to_string(&mut text).map(|_| ())
    } else {
        std::fs::read_to_string(path).map(|t| text = t)
    };
    res.map_err(|e| format!("{path}: cannot read: {}", io_message(&e)))?;
    read_graph(&text).map_err(|e| format!("{path}: {e}"))
}

pub fn run(inputs: &[String], format: GraphFormat, out: &OutputArgs) -> i32 {
    if format == GraphFormat::Jsonl {
        error("merge writes one graph: use --format json, graphml, neo4j or dot");
        return 2;
    }
    let mut g = KnowledgeGraph::new();
    let mut failed = false;
    for p in inputs {
        match load(p) {
            Ok(part) => g.merge_owned(part),
            Err(e) => {
                error(format!(
                    "{e} (skipped; merge reads the output of extract --format json or jsonl)"
                ));
                failed = true;
            }
        }
    }
    let code = write_graph(&g, format, out);
    if code != 0 {
        code
    } else if failed {
        1
    } else {
        0
    }
}
