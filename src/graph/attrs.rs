//! [`Attrs`]: the attributes of a node or an edge, kept sorted by key.
//!
//! The writers list attributes in key order, and the graph build sets a
//! handful of known keys on every node: a small sorted vector of
//! (key, value) pairs with `'static` keys serves both without hashing or
//! allocating the keys, which a `serde_json::Map` does for every insert.
//!
//! A statement node (by far the most numerous) keeps its attributes in a
//! typed form instead ([`StatementAttrs`]: spans, short strings inline,
//! its document shared with the document's other statements): the JSON
//! writer writes them from it, and the (key, value) pairs are made only
//! when a caller reads them (once, kept) or changes them (the node then
//! holds the pairs).

use super::typed::StatementAttrs;
use serde::de::{Deserialize, Deserializer};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::sync::OnceLock;

/// An attribute name: a literal, or a string read from a saved graph.
pub type AttrKey = Cow<'static, str>;

/// Attributes by name, each name once, iterated in key order (byte order of
/// the names, as `str` compares them). Equality ignores insertion order, as
/// a map's does.
#[derive(Clone, Default)]
pub struct Attrs(Repr);

#[derive(Clone)]
enum Repr {
    /// The (key, value) pairs.
    Map(Vec<(AttrKey, Value)>),
    /// A statement's attributes, typed, and their pairs once asked for.
    Statement(Box<Lazy>),
}

impl Default for Repr {
    fn default() -> Self {
        Repr::Map(Vec::new())
    }
}

#[derive(Clone)]
struct Lazy {
    typed: StatementAttrs,
    pairs: OnceLock<Vec<(AttrKey, Value)>>,
}

impl PartialEq for Attrs {
    fn eq(&self, other: &Attrs) -> bool {
        match (self.as_statement(), other.as_statement()) {
            // the pairs are a one-to-one function of the typed form
            (Some(a), Some(b)) => a == b,
            _ => self.entries() == other.entries(),
        }
    }
}

impl std::fmt::Debug for Attrs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(self.entries().iter().map(|(k, v)| (k, v)))
            .finish()
    }
}

impl Attrs {
    pub fn new() -> Self {
        Attrs(Repr::Map(Vec::new()))
    }

    pub fn with_capacity(n: usize) -> Self {
        Attrs(Repr::Map(Vec::with_capacity(n)))
    }

    /// A statement's attributes in their typed form.
    pub(crate) fn statement(typed: StatementAttrs) -> Self {
        Attrs(Repr::Statement(Box::new(Lazy {
            typed,
            pairs: OnceLock::new(),
        })))
    }

    /// The typed form, if the attributes are (still) in it.
    #[inline]
    pub(crate) fn as_statement(&self) -> Option<&StatementAttrs> {
        match &self.0 {
            Repr::Statement(l) => Some(&l.typed),
            Repr::Map(_) => None,
        }
    }

    /// The (key, value) pairs in key order (made from the typed form the
    /// first time they are asked for).
    #[inline]
    fn entries(&self) -> &[(AttrKey, Value)] {
        match &self.0 {
            Repr::Map(v) => v,
            Repr::Statement(l) => l.pairs.get_or_init(|| l.typed.pairs()),
        }
    }

    /// The pairs, to change: the typed form, if any, is given up for them.
    #[inline]
    fn vec_mut(&mut self) -> &mut Vec<(AttrKey, Value)> {
        if let Repr::Statement(_) = &self.0 {
            self.make_pairs();
        }
        match &mut self.0 {
            Repr::Map(v) => v,
            Repr::Statement(_) => unreachable!("made pairs above"),
        }
    }

    /// Give the typed form up for its pairs.
    #[cold]
    #[inline(never)]
    fn make_pairs(&mut self) {
        if let Repr::Statement(l) = &mut self.0 {
            let pairs = l.pairs.take().unwrap_or_else(|| l.typed.pairs());
            self.0 = Repr::Map(pairs);
        }
    }

    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Map(v) => v.len(),
            Repr::Statement(l) => l.typed.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn find(&self, k: &str) -> Result<usize, usize> {
        self.entries()
            .binary_search_by(|(key, _)| key.as_ref().cmp(k))
    }

    pub fn get(&self, k: &str) -> Option<&Value> {
        self.find(k).ok().map(|i| &self.entries()[i].1)
    }

    pub fn get_mut(&mut self, k: &str) -> Option<&mut Value> {
        let i = self.find(k).ok()?;
        Some(&mut self.vec_mut()[i].1)
    }

    pub fn contains_key(&self, k: &str) -> bool {
        self.find(k).is_ok()
    }

    /// Set `k` to `v`; returns the value it replaces. Inserting keys in
    /// ascending order (as the graph build does) appends.
    #[inline]
    pub fn insert(&mut self, k: impl Into<AttrKey>, v: Value) -> Option<Value> {
        let k = k.into();
        // after the last key? (most keys differ from it in their first byte)
        let after_last = |last: &str| match (last.as_bytes().first(), k.as_bytes().first()) {
            (Some(a), Some(b)) if a != b => a < b,
            _ => last < k.as_ref(),
        };
        let entries = self.vec_mut();
        if entries.last().is_none_or(|(last, _)| after_last(last)) {
            entries.push((k, v));
            return None;
        }
        match entries.binary_search_by(|(key, _)| key.as_ref().cmp(&k)) {
            Ok(i) => Some(std::mem::replace(&mut entries[i].1, v)),
            Err(i) => {
                entries.insert(i, (k, v));
                None
            }
        }
    }

    /// Where `k` is (`Ok`) or would go (`Err`), searched from entry
    /// `from` on: for keys looked up in ascending order, each search going
    /// on from where the last one ended (every key before `from` must be
    /// less than `k`).
    pub(crate) fn seek(&self, from: usize, k: &str) -> Result<usize, usize> {
        let kb = k.as_bytes();
        let entries = self.entries();
        let mut j = from;
        while let Some((key, _)) = entries.get(j) {
            let b = key.as_bytes();
            // most keys differ from `k` in their first byte, and a key set
            // from the same literal is the same bytes at the same place
            let order = match (b.first(), kb.first()) {
                (Some(x), Some(y)) if x != y => x.cmp(y),
                _ if std::ptr::eq(b, kb) => std::cmp::Ordering::Equal,
                _ => b.cmp(kb),
            };
            match order {
                std::cmp::Ordering::Less => j += 1,
                std::cmp::Ordering::Equal => return Ok(j),
                std::cmp::Ordering::Greater => return Err(j),
            }
        }
        Err(j)
    }

    /// The value of entry `j` (see [`seek`](Self::seek)).
    pub(crate) fn value_at_mut(&mut self, j: usize) -> &mut Value {
        &mut self.vec_mut()[j].1
    }

    /// Insert `k` at entry `j`, where [`seek`](Self::seek) said it goes.
    pub(crate) fn insert_at(&mut self, j: usize, k: &'static str, v: Value) {
        debug_assert_eq!(self.find(k), Err(j));
        self.vec_mut().insert(j, (AttrKey::Borrowed(k), v));
    }

    /// Append `k`, which comes after every key there (as in building a
    /// node's attributes in key order): what [`insert`](Self::insert) does
    /// then, without its checks.
    #[inline(always)]
    pub(crate) fn push_last(&mut self, k: &'static str, v: Value) {
        let entries = self.vec_mut();
        debug_assert!(entries.last().is_none_or(|(last, _)| **last < *k));
        entries.push((AttrKey::Borrowed(k), v));
    }

    pub fn remove(&mut self, k: &str) -> Option<Value> {
        let i = self.find(k).ok()?;
        Some(self.vec_mut().remove(i).1)
    }

    /// (key, value) pairs in key order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &Value)> + DoubleEndedIterator {
        self.entries().iter().map(|(k, v)| (k.as_ref(), v))
    }

    /// The (key, value) pairs in key order.
    pub(crate) fn into_entries(self) -> Vec<(AttrKey, Value)> {
        match self.0 {
            Repr::Map(v) => v,
            Repr::Statement(l) => l.pairs.into_inner().unwrap_or_else(|| l.typed.pairs()),
        }
    }

    /// The (key, value) pairs in key order, values to change in place
    /// (the keys must stay as they are).
    pub(crate) fn entries_mut(&mut self) -> &mut [(AttrKey, Value)] {
        self.vec_mut()
    }

    /// Keys in order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &str> {
        self.entries().iter().map(|(k, _)| k.as_ref())
    }
}

impl<'a> IntoIterator for &'a Attrs {
    type Item = (&'a str, &'a Value);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (AttrKey, Value)>,
        fn(&'a (AttrKey, Value)) -> (&'a str, &'a Value),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.entries().iter().map(|(k, v)| (k.as_ref(), v))
    }
}

impl std::ops::Index<&str> for Attrs {
    type Output = Value;
    /// The value of `k` (panics if there is none, as a map's index does).
    fn index(&self, k: &str) -> &Value {
        self.get(k).expect("no such attribute")
    }
}

impl<K: Into<AttrKey>> FromIterator<(K, Value)> for Attrs {
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(it: I) -> Self {
        let mut a = Attrs::new();
        for (k, v) in it {
            a.insert(k, v);
        }
        a
    }
}

impl From<Map<String, Value>> for Attrs {
    fn from(m: Map<String, Value>) -> Self {
        m.into_iter().collect()
    }
}

impl From<Attrs> for Map<String, Value> {
    fn from(a: Attrs) -> Self {
        a.into_entries()
            .into_iter()
            .map(|(k, v)| (k.into_owned(), v))
            .collect()
    }
}

impl Serialize for Attrs {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let entries = self.entries();
        let mut m = s.serialize_map(Some(entries.len()))?;
        for (k, v) in entries {
            m.serialize_entry(k.as_ref(), v)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for Attrs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Map::<String, Value>::deserialize(d).map(Attrs::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    proptest! {
        /// Any sequence of inserts and removes leaves what a map would
        /// hold, in key order.
        #[test]
        fn attrs_behave_as_a_sorted_map(
            ops in proptest::collection::vec((any::<bool>(), "[a-d_ ]{0,3}", 0u8..4), 0..40)
        ) {
            let mut a = Attrs::new();
            let mut m = std::collections::BTreeMap::new();
            for (ins, k, v) in ops {
                if ins {
                    prop_assert_eq!(a.insert(k.clone(), json!(v)), m.insert(k, json!(v)));
                } else {
                    prop_assert_eq!(a.remove(&k), m.remove(&k));
                }
                prop_assert_eq!(a.len(), m.len());
            }
            let ours: Vec<(&str, &Value)> = a.iter().collect();
            let theirs: Vec<(&str, &Value)> = m.iter().map(|(k, v)| (k.as_str(), v)).collect();
            prop_assert_eq!(ours, theirs);
            for (k, v) in &m {
                prop_assert_eq!(a.get(k), Some(v));
            }
        }
    }

    #[test]
    fn a_map_round_trips_in_key_order() {
        let m: Map<String, Value> = serde_json::from_str(r#"{"b":1,"a":[2],"c":null}"#).unwrap();
        let a = Attrs::from(m);
        assert_eq!(a.keys().collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            r#"{"a":[2],"b":1,"c":null}"#
        );
        let back: Attrs = serde_json::from_str(r#"{"c":null,"a":[2],"b":1}"#).unwrap();
        assert_eq!(back, a);
        assert_eq!(a["a"], json!([2]));
    }
}
