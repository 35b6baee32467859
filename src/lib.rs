//! readout: diplomatic news in, a knowledge graph out.
//!
//! The pipeline runs one way, one module per stage:
//! [`document`] → [`entities`] → [`dates`] → [`statements`] → [`events`] →
//! [`graph`] → [`export`] / [`query`]. Each stage reads the layers before it
//! and adds its own; every annotation carries its byte span. Language
//! knowledge lives in data files under `gazetteer/` ([`lexicon`],
//! [`gazetteer`]); [`pipeline`] compiles it once and runs the stages.

pub mod alloc;
pub mod cli;
pub mod corpus;
pub mod dates;
pub mod document;
pub mod entities;
pub mod events;
pub mod export;
pub mod gazetteer;
pub mod graph;
pub mod input;
pub mod lexicon;
pub mod pipeline;
pub mod query;
pub mod report;
pub mod statements;

pub use pipeline::{Annotated, Pipeline};
