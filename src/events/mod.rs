//! The events stage: meetings, visits and calls with participants, place,
//! date, status and a CAMEO code.

use crate::dates::Timex;
use crate::document::{Document, Span};
use crate::entities::EntityLayer;
use crate::lexicon::{DataError, Lexicon};
use crate::statements::Statement;
use serde::Serialize;

/// What kind of event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    Meeting,
    Call,
    Visit,
}

/// Whether it happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Occurred,
    Planned,
    Cancelled,
}

/// One event (mentions of the same real event merged).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Event {
    pub kind: EventKind,
    /// The first trigger ("met", "talks", "visit").
    pub trigger: Span,
    /// Every evidence span (trigger sentences of merged mentions).
    pub evidence: Vec<Span>,
    /// Participants (index into [`EntityLayer::entities`]), hosts included.
    pub participants: Vec<usize>,
    /// Hosts among the participants.
    pub hosts: Vec<usize>,
    pub place: Option<usize>,
    /// ISO date at the precision known.
    pub date: Option<String>,
    pub status: Status,
    /// CAMEO code: 040, 041, 042, 043, 044, 046, 036.
    pub cameo: String,
    /// Event-data source and target actors.
    pub source_actor: Option<usize>,
    pub target_actor: Option<usize>,
}

/// Compiled trigger lists.
#[derive(Debug, Clone)]
pub struct EventModel {}

impl EventModel {
    pub fn new(_lex: &Lexicon) -> Result<EventModel, DataError> {
        Ok(EventModel {})
    }

    /// Find the events of `doc`.
    pub fn extract(
        &self,
        _doc: &Document,
        _ents: &EntityLayer,
        _timexes: &[Timex],
        _statements: &[Statement],
    ) -> Vec<Event> {
        Vec::new()
    }
}
