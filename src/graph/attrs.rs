//! [`Attrs`]: the attributes of a node or an edge, kept sorted by key.
//!
//! The writers list attributes in key order, and the graph build sets a
//! handful of known keys on every node: a small sorted vector of
//! (key, value) pairs with `'static` keys serves both without hashing or
//! allocating the keys, which a `serde_json::Map` does for every insert.

use serde::de::{Deserialize, Deserializer};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// An attribute name: a literal, or a string read from a saved graph.
pub type AttrKey = Cow<'static, str>;

/// Attributes by name, each name once, iterated in key order (byte order of
/// the names, as `str` compares them). Equality ignores insertion order, as
/// a map's does.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Attrs(Vec<(AttrKey, Value)>);

impl Attrs {
    pub fn new() -> Self {
        Attrs(Vec::new())
    }

    pub fn with_capacity(n: usize) -> Self {
        Attrs(Vec::with_capacity(n))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn find(&self, k: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(key, _)| key.as_ref().cmp(k))
    }

    pub fn get(&self, k: &str) -> Option<&Value> {
        self.find(k).ok().map(|i| &self.0[i].1)
    }

    pub fn get_mut(&mut self, k: &str) -> Option<&mut Value> {
        self.find(k).ok().map(|i| &mut self.0[i].1)
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
        if self.0.last().is_none_or(|(last, _)| after_last(last)) {
            self.0.push((k, v));
            return None;
        }
        match self.find(&k) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, v)),
            Err(i) => {
                self.0.insert(i, (k, v));
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
        let mut j = from;
        while let Some((key, _)) = self.0.get(j) {
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
        &mut self.0[j].1
    }

    /// Insert `k` at entry `j`, where [`seek`](Self::seek) said it goes.
    pub(crate) fn insert_at(&mut self, j: usize, k: &'static str, v: Value) {
        debug_assert_eq!(self.find(k), Err(j));
        self.0.insert(j, (AttrKey::Borrowed(k), v));
    }

    /// Append `k`, which comes after every key there (as in building a
    /// node's attributes in key order): what [`insert`](Self::insert) does
    /// then, without its checks.
    #[inline(always)]
    pub(crate) fn push_last(&mut self, k: &'static str, v: Value) {
        debug_assert!(self.0.last().is_none_or(|(last, _)| **last < *k));
        self.0.push((AttrKey::Borrowed(k), v));
    }

    pub fn remove(&mut self, k: &str) -> Option<Value> {
        self.find(k).ok().map(|i| self.0.remove(i).1)
    }

    /// (key, value) pairs in key order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &Value)> + DoubleEndedIterator {
        self.0.iter().map(|(k, v)| (k.as_ref(), v))
    }

    /// The (key, value) pairs in key order.
    pub(crate) fn into_entries(self) -> Vec<(AttrKey, Value)> {
        self.0
    }

    /// The (key, value) pairs in key order, values to change in place
    /// (the keys must stay as they are).
    pub(crate) fn entries_mut(&mut self) -> &mut [(AttrKey, Value)] {
        &mut self.0
    }

    /// Keys in order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_ref())
    }
}

impl<'a> IntoIterator for &'a Attrs {
    type Item = (&'a str, &'a Value);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (AttrKey, Value)>,
        fn(&'a (AttrKey, Value)) -> (&'a str, &'a Value),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k.as_ref(), v))
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
        a.0.into_iter().map(|(k, v)| (k.into_owned(), v)).collect()
    }
}

impl Serialize for Attrs {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
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
