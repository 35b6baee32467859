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
use std::sync::Arc;

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
    /// Other names this entity goes by (gazetteer aliases, forms seen):
    /// read as a `Vec<String>`; the doc entities of one gazetteer entity
    /// share its list until a document adds a form.
    pub aliases: Shared<Vec<String>>,
    /// 'm' / 'f' where known.
    pub gender: Option<char>,
    /// Index in the gazetteer, if it came from there.
    #[serde(skip)]
    pub gazetteer: Option<usize>,
    /// Attributes (country, type, …): read as a `BTreeMap`, shared with
    /// the gazetteer entity's other doc entities.
    pub attrs: Shared<BTreeMap<String, String>>,
}

/// A value read through `Deref` (and iterated, collected, compared,
/// serialized and printed as the value itself) that clones in O(1): the
/// doc entities of one gazetteer entity, in every document, hold one
/// copy of its aliases and attributes (the stage made a deep copy for
/// each). An empty one holds nothing. [`Shared::make_mut`] copies a list
/// shared with others before changing it.
pub struct Shared<T: SharedEmpty>(Option<Arc<T>>);

/// A type with an empty value to be borrowed for ever (what an empty
/// [`Shared`] reads as).
pub trait SharedEmpty: Default + 'static {
    fn empty() -> &'static Self;
}

impl SharedEmpty for Vec<String> {
    fn empty() -> &'static Self {
        static E: Vec<String> = Vec::new();
        &E
    }
}

impl SharedEmpty for BTreeMap<String, String> {
    fn empty() -> &'static Self {
        static E: BTreeMap<String, String> = BTreeMap::new();
        &E
    }
}

impl<T: SharedEmpty> Shared<T> {
    /// `value`, to be shared by the clones.
    pub fn new(value: T) -> Self {
        Shared(Some(Arc::new(value)))
    }

    /// The value, to be changed: copied first when shared.
    pub fn make_mut(&mut self) -> &mut T
    where
        T: Clone,
    {
        Arc::make_mut(self.0.get_or_insert_with(Default::default))
    }
}

impl<T: SharedEmpty> std::ops::Deref for Shared<T> {
    type Target = T;
    #[inline]
    fn deref(&self) -> &T {
        match &self.0 {
            Some(v) => v,
            None => T::empty(),
        }
    }
}

impl<T: SharedEmpty> Default for Shared<T> {
    fn default() -> Self {
        Shared(None)
    }
}

impl<T: SharedEmpty> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T: SharedEmpty> From<T> for Shared<T> {
    fn from(value: T) -> Self {
        Shared::new(value)
    }
}

impl<A, T: SharedEmpty + FromIterator<A>> FromIterator<A> for Shared<T> {
    fn from_iter<I: IntoIterator<Item = A>>(iter: I) -> Self {
        Shared::new(iter.into_iter().collect())
    }
}

impl<'a, T: SharedEmpty> IntoIterator for &'a Shared<T>
where
    &'a T: IntoIterator,
{
    type Item = <&'a T as IntoIterator>::Item;
    type IntoIter = <&'a T as IntoIterator>::IntoIter;
    fn into_iter(self) -> Self::IntoIter {
        (**self).into_iter()
    }
}

impl<T: SharedEmpty + PartialEq> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: SharedEmpty + Eq> Eq for Shared<T> {}

impl<T: SharedEmpty + std::fmt::Debug> std::fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl<T: SharedEmpty + Serialize> Serialize for Shared<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(s)
    }
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
