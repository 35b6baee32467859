//! The entities stage: every mention of a person, organization or place,
//! resolved to one entity of the document.
//!
//! Sources of mentions, in order of trust:
//! 1. the gazetteer matcher (names, aliases, country adjectives, office titles);
//! 2. names the gazetteer lacks, recognised by how news introduces them
//!    (titles, appositions, bylines, speech verbs, organization forms,
//!    locative phrases) — see [`infer`];
//! 3. back-references: surnames, titles and role descriptions, pronouns —
//!    see [`coref`].
//!
//! Invariant: mentions are sorted by span start and do not overlap.

mod coref;
mod infer;
mod model;
#[cfg(test)]
mod tests;

pub use model::EntityModel;

use crate::document::Span;
use crate::gazetteer::{EntityKind, Source};
use serde::Serialize;
use std::collections::BTreeMap;

/// How a mention was tied to its entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum How {
    /// A gazetteer name or alias.
    Gazetteer,
    /// A country adjective ("Chinese").
    Adjective,
    /// A name recognised by its context, not in the gazetteer.
    Inferred,
    /// A surname or partial name of an entity named earlier ("Blinken").
    Surname,
    /// An office title resolved on the document date ("the Secretary of State").
    Office,
    /// A title or role description tied to a recent entity ("the minister").
    Title,
    /// A pronoun ("he", "her").
    Pronoun,
}

/// One entity of a document: from the gazetteer or inferred from the text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocEntity {
    /// Stable id: the gazetteer id, or `<kind>:<slug>` for inferred ones.
    pub id: String,
    pub name: String,
    pub kind: EntityKind,
    pub source: Source,
    /// Other names this entity goes by (gazetteer aliases, forms seen).
    pub aliases: Vec<String>,
    /// 'm' / 'f' where known.
    pub gender: Option<char>,
    /// Index in the gazetteer, if it came from there.
    #[serde(skip)]
    pub gazetteer: Option<usize>,
    /// Attributes (country, type, …).
    pub attrs: BTreeMap<String, String>,
}

/// One mention in the text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mention {
    pub span: Span,
    /// Index into [`EntityLayer::entities`]; None for a title that no one
    /// held on the date, or that has no antecedent.
    pub entity: Option<usize>,
    pub kind: EntityKind,
    pub how: How,
    pub sentence: usize,
    /// The office role a title mention names ("foreign_minister"), if any.
    pub role: Option<String>,
    /// Span of a title immediately before a name ("Foreign Minister" in
    /// "Foreign Minister Qin Gang").
    pub title: Option<Span>,
}

/// The entity layer of one document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EntityLayer {
    pub entities: Vec<DocEntity>,
    pub mentions: Vec<Mention>,
}

impl EntityLayer {
    /// The mention covering byte `pos`, if any.
    pub fn mention_at(&self, pos: usize) -> Option<&Mention> {
        let i = self.mentions.partition_point(|m| m.span.start <= pos);
        if i == 0 {
            return None;
        }
        let m = &self.mentions[i - 1];
        (pos < m.span.end).then_some(m)
    }

    /// Mentions lying inside `span`, in order.
    pub fn mentions_in(&self, span: Span) -> &[Mention] {
        let a = self.mentions.partition_point(|m| m.span.start < span.start);
        let b = self.mentions.partition_point(|m| m.span.start < span.end);
        let b = b.max(a);
        let mut e = b;
        while e > a && self.mentions[e - 1].span.end > span.end {
            e -= 1;
        }
        &self.mentions[a..e.max(a)]
    }

    /// True when a mention of this entity is a name (not only a pronoun,
    /// adjective or title).
    pub fn is_named(&self, entity: usize) -> bool {
        self.mentions.iter().any(|m| {
            m.entity == Some(entity)
                && matches!(
                    m.how,
                    How::Gazetteer | How::Inferred | How::Surname | How::Adjective
                )
        })
    }
}
