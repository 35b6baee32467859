//! The typed form of a statement node's attributes (see [`super::Attrs`]):
//! what `add_annotated` sets on a statement, kept as spans, numbers and
//! strings (short ones inline, the document shared) instead of JSON values.

use super::AttrKey;
use crate::document::Span;
use serde_json::Value;
use std::sync::Arc;

/// Bytes a [`Text`] holds without allocating.
const INLINE: usize = 22;

/// A string, held inline (no allocation) when it has at most [`INLINE`]
/// bytes: CAMEO codes, cue words and lemmas, dates.
#[derive(Clone)]
pub(crate) enum Text {
    Inline(u8, [u8; INLINE]),
    Heap(Box<str>),
}

impl Text {
    #[inline]
    pub(crate) fn new(s: &str) -> Text {
        let b = s.as_bytes();
        if b.len() <= INLINE {
            let mut buf = [0u8; INLINE];
            buf[..b.len()].copy_from_slice(b);
            Text::Inline(b.len() as u8, buf)
        } else {
            Text::Heap(s.into())
        }
    }

    #[inline]
    pub(crate) fn as_str(&self) -> &str {
        match self {
            // SAFETY: the first `n` bytes were copied from a `str` whole
            // (`new`), so they are UTF-8.
            Text::Inline(n, buf) => unsafe { std::str::from_utf8_unchecked(&buf[..*n as usize]) },
            Text::Heap(s) => s,
        }
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

/// A statement node's attributes (the keys `add_annotated` sets, in key
/// order): `audience` (if any), `cameo`, `cue` and `cue_lemma` (if any),
/// `date` (a string or null), `direct`, `document`, `evidence` and `span`
/// (`[start, end]`), `text`, and `utterance` (`{document}:{number}`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct StatementAttrs {
    pub(crate) audience: Option<Box<str>>,
    pub(crate) cameo: Text,
    pub(crate) cue: Option<Text>,
    pub(crate) cue_lemma: Option<Text>,
    pub(crate) date: Option<Text>,
    pub(crate) direct: bool,
    pub(crate) document: Arc<str>,
    pub(crate) evidence: Span,
    pub(crate) span: Span,
    pub(crate) text: Box<str>,
    pub(crate) utterance: usize,
}

/// `[start, end]`
fn span_value(x: Span) -> Value {
    Value::Array(vec![x.start.into(), x.end.into()])
}

impl StatementAttrs {
    /// How many attributes.
    pub(crate) fn len(&self) -> usize {
        8 + self.audience.is_some() as usize
            + self.cue.is_some() as usize
            + self.cue_lemma.is_some() as usize
    }

    /// The `utterance` attribute's value.
    pub(crate) fn utterance(&self) -> String {
        format!("{}:{}", self.document, self.utterance)
    }

    /// The (key, value) pairs, in key order.
    pub(crate) fn pairs(&self) -> Vec<(AttrKey, Value)> {
        let mut v: Vec<(AttrKey, Value)> = Vec::with_capacity(self.len());
        let mut put = |k: &'static str, x: Value| v.push((AttrKey::Borrowed(k), x));
        let string = |x: &str| Value::String(x.to_string());
        if let Some(au) = &self.audience {
            put("audience", string(au));
        }
        put("cameo", string(self.cameo.as_str()));
        if let Some(c) = &self.cue {
            put("cue", string(c.as_str()));
        }
        if let Some(l) = &self.cue_lemma {
            put("cue_lemma", string(l.as_str()));
        }
        put(
            "date",
            self.date
                .as_ref()
                .map_or(Value::Null, |d| string(d.as_str())),
        );
        put("direct", Value::Bool(self.direct));
        put("document", string(&self.document));
        put("evidence", span_value(self.evidence));
        put("span", span_value(self.span));
        put("text", string(&self.text));
        put("utterance", Value::String(self.utterance()));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_hold_what_they_were_made_of() {
        let long = "x".repeat(INLINE + 1);
        for s in ["", "010", "said", "é€🙂", &"a".repeat(INLINE), &long] {
            let t = Text::new(s);
            assert_eq!(t.as_str(), s);
            assert_eq!(matches!(t, Text::Inline(..)), s.len() <= INLINE);
            assert_eq!(t, Text::Heap(s.into()));
        }
    }
}
