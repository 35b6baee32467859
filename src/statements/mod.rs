//! The statements stage: direct quotes and reported speech with speaker,
//! addressee, cue and date.

use crate::dates::Timex;
use crate::document::{Document, Span};
use crate::entities::EntityLayer;
use crate::lexicon::{DataError, Lexicon};
use serde::Serialize;

/// One statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Statement {
    /// The quoted words without quote marks (direct), or the reported clause.
    pub span: Span,
    pub direct: bool,
    /// Speaker: index into [`EntityLayer::entities`].
    pub speaker: Option<usize>,
    /// The mention through which the speaker was found.
    pub speaker_span: Option<Span>,
    /// Addressee entity ("told Blinken").
    pub addressee: Option<usize>,
    /// A generic audience ("reporters").
    pub audience: Option<String>,
    /// The speech cue ("said", "told") and its lemma.
    pub cue: Option<Span>,
    pub cue_lemma: Option<String>,
    /// The sentence (or sentences) that carry the statement.
    pub evidence: Span,
    /// ISO date at the precision known ("2023-06-19").
    pub date: Option<String>,
    /// Parts of one utterance split by attribution share this number.
    pub utterance: usize,
    /// CAMEO code (010 make statement by default).
    pub cameo: String,
    /// Entities mentioned inside the statement.
    pub mentions: Vec<usize>,
}

/// Compiled cue lists.
#[derive(Debug, Clone)]
pub struct StatementModel {}

impl StatementModel {
    pub fn new(_lex: &Lexicon) -> Result<StatementModel, DataError> {
        Ok(StatementModel {})
    }

    /// Find every statement of `doc`.
    pub fn extract(
        &self,
        _doc: &Document,
        _ents: &EntityLayer,
        _timexes: &[Timex],
    ) -> Vec<Statement> {
        Vec::new()
    }
}
