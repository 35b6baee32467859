//! Writers for the knowledge graph: node-link JSON (networkx), DOT.

pub mod dot;
pub mod json;
