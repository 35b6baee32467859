//! The dates stage: time expressions (TIMEX3) normalized against the
//! document date.

use crate::document::{Document, Span};
use crate::lexicon::{DataError, Lexicon};
use serde::Serialize;

/// TIMEX3 types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum TimexType {
    DATE,
    TIME,
    DURATION,
    SET,
}

/// One time expression.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Timex {
    pub span: Span,
    pub text: String,
    #[serde(rename = "type")]
    pub kind: TimexType,
    /// TIMEX3 value: "2023-06-19", "2022-11", "P5Y", "PRESENT_REF", "XXXX-WXX-1" …
    pub value: String,
}

/// Compiled word lists for the tagger.
#[derive(Debug, Clone)]
pub struct DateModel {}

impl DateModel {
    pub fn new(_lex: &Lexicon) -> Result<DateModel, DataError> {
        Ok(DateModel {})
    }

    /// Tag and normalize every time expression in `doc`, in text order.
    pub fn tag(&self, _doc: &Document) -> Vec<Timex> {
        Vec::new()
    }
}
