//! readout: diplomatic news in, a knowledge graph out.
//!
//! The pipeline runs one way, one module per stage:
//! [`document`] → [`entities`] → [`dates`] → [`statements`] → [`events`] →
//! [`graph`] → [`export`] / [`query`]. Each stage reads the layers before it
//! and adds its own; every annotation carries its byte span.

pub mod document;
pub mod lexicon;
