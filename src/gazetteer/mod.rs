//! The gazetteer: people, organizations and places with their aliases, and
//! offices with their holders over time. Loaded from the TSV files under
//! `gazetteer/` (embedded in the binary) plus any `--gazetteer DIR`, then
//! compiled once into an Aho-Corasick matcher (see [`matcher`]).
//!
//! File formats are described in `gazetteer/README.md`. Every error names
//! the file and line and says what is wrong.

pub mod check;
pub mod matcher;
pub mod offices;
mod wordac;

use crate::document::bytescan::next_of;
use crate::lexicon::{content_lines, split_ascii, trim, DataError, FxMap};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

pub use matcher::{Matcher, Target};
pub use offices::{Holder, Office, PartialDate};

/// What an entity is.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Organization,
    Place,
}

impl EntityKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organization => "organization",
            EntityKind::Place => "place",
        }
    }
    pub fn parse(s: &str) -> Option<EntityKind> {
        match s {
            "person" => Some(EntityKind::Person),
            "organization" => Some(EntityKind::Organization),
            "place" => Some(EntityKind::Place),
            _ => None,
        }
    }
}

/// Where an entity record came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Gazetteer,
    Inferred,
}

/// One entity of the gazetteer.
#[derive(Debug, PartialEq, Eq)]
pub struct Entity {
    pub id: String,
    pub name: String,
    pub kind: EntityKind,
    pub aliases: List,
    pub attrs: Attrs,
    /// File and line of its row.
    pub origin: (Arc<str>, usize),
}

impl Clone for Entity {
    fn clone(&self) -> Entity {
        Entity {
            id: self.id.clone(),
            name: self.name.clone(),
            kind: self.kind,
            aliases: self.aliases.copy(),
            attrs: self.attrs.copy(),
            origin: self.origin.clone(),
        }
    }
}

/// A row's `|`-separated list (aliases, titles): its text, whose items
/// [`List::items`] reads in place, made into a `Vec` of the items (trimmed,
/// the empty ones left out) only when first used as one (it derefs to it).
/// The embedded files' rows borrow their text.
///
/// Not `Clone`, so that `list.clone()` still clones the `Vec` (use
/// [`List::copy`] for another `List`).
pub struct List {
    pub(crate) raw: Cow<'static, str>,
    vec: OnceLock<Vec<String>>,
}

impl List {
    pub fn new(raw: Cow<'static, str>) -> List {
        List {
            raw,
            vec: OnceLock::new(),
        }
    }
    /// The items (trimmed, none empty) without a `Vec`.
    pub fn items(&self) -> impl Iterator<Item = &str> {
        list_items(&self.raw)
    }
    /// Another `List` of the same text.
    pub fn copy(&self) -> List {
        List {
            raw: self.raw.clone(),
            vec: self.vec.clone(),
        }
    }
}

/// The items of a `|`-separated list: trimmed, none empty.
fn list_items(s: &str) -> impl Iterator<Item = &str> {
    split_ascii(s, b'|').map(trim).filter(|a| !a.is_empty())
}

impl Default for List {
    fn default() -> List {
        List::new(Cow::Borrowed(""))
    }
}

impl std::ops::Deref for List {
    type Target = Vec<String>;
    fn deref(&self) -> &Vec<String> {
        (self.vec).get_or_init(|| list_items(&self.raw).map(str::to_string).collect())
    }
}

impl<'a> IntoIterator for &'a List {
    type Item = &'a String;
    type IntoIter = std::slice::Iter<'a, String>;
    fn into_iter(self) -> Self::IntoIter {
        (**self).iter()
    }
}

impl PartialEq for List {
    fn eq(&self, other: &List) -> bool {
        **self == **other
    }
}

impl Eq for List {}

impl std::fmt::Debug for List {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

/// A row's `key=value;…` attributes (already validated): its text, read
/// in place by [`Attrs::value`] (and so by `Entity::attr`), and parsed
/// into the map [`parse_attrs`] makes only when first used as one (it
/// derefs to it). The embedded files' rows borrow their text: loading
/// them makes no map nor string for attributes.
///
/// Not `Clone`, so that `attrs.clone()` still clones the map (use
/// [`Attrs::copy`] for another `Attrs`).
pub struct Attrs {
    raw: Cow<'static, str>,
    /// [`key_bit`] of every key: a key whose bit is not set is absent.
    keys: u64,
    map: OnceLock<BTreeMap<String, String>>,
}

impl Attrs {
    /// The attributes of `raw` (none if [`check_attrs`] rejects it).
    pub fn new(raw: Cow<'static, str>) -> Attrs {
        Attrs::parse(raw).unwrap_or_default()
    }
    /// The attributes of `raw`, well-formed, whose set of [`key_bit`]s is
    /// `keys` (as the build script found them for an embedded row).
    pub(crate) fn with_keys(raw: Cow<'static, str>, keys: u64) -> Attrs {
        Attrs {
            keys,
            raw,
            map: OnceLock::new(),
        }
    }
    /// The set of [`key_bit`]s of its keys.
    #[cfg(test)]
    pub(crate) fn key_bits(&self) -> u64 {
        self.keys
    }
    /// The attributes of `raw`, or [`parse_attrs`]'s error, in one pass.
    pub fn parse(raw: Cow<'static, str>) -> Result<Attrs, String> {
        let mut keys = 0;
        each_attr(&raw, |k, _| {
            keys |= key_bit(k);
            Ok(())
        })?;
        Ok(Attrs {
            keys,
            raw,
            map: OnceLock::new(),
        })
    }
    /// The attribute text as written in the row.
    pub fn raw(&self) -> &str {
        &self.raw
    }
    #[cfg(test)]
    pub(crate) fn raw_text(&self) -> &Cow<'static, str> {
        &self.raw
    }
    /// The value of `key` (the last one if repeated), as the map has it,
    /// read from the text without making the map.
    pub fn value(&self, key: &str) -> Option<&str> {
        if self.keys & key_bit(key) == 0 {
            return None;
        }
        match self.map.get() {
            Some(m) => m.get(key).map(|s| s.as_str()),
            None => attr_value(&self.raw, key),
        }
    }
    /// Another `Attrs` of the same text.
    pub fn copy(&self) -> Attrs {
        Attrs {
            raw: self.raw.clone(),
            keys: self.keys,
            map: self.map.clone(),
        }
    }
}

impl Default for Attrs {
    fn default() -> Attrs {
        Attrs::new(Cow::Borrowed(""))
    }
}

impl std::ops::Deref for Attrs {
    type Target = BTreeMap<String, String>;
    fn deref(&self) -> &BTreeMap<String, String> {
        self.map.get_or_init(|| {
            let mut m = BTreeMap::new();
            each_attr(&self.raw, |k, v| {
                m.insert(k.to_string(), v.to_string());
                Ok(())
            })
            .ok();
            m
        })
    }
}

impl<'a> IntoIterator for &'a Attrs {
    type Item = (&'a String, &'a String);
    type IntoIter = std::collections::btree_map::Iter<'a, String, String>;
    fn into_iter(self) -> Self::IntoIter {
        (**self).iter()
    }
}

impl PartialEq for Attrs {
    fn eq(&self, other: &Attrs) -> bool {
        **self == **other
    }
}

impl Eq for Attrs {}

impl std::fmt::Debug for Attrs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl Entity {
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs.value(key)
    }
    /// A `|`-separated attribute as a list.
    pub fn attr_list(&self, key: &str) -> Vec<&str> {
        self.attr_items(key).collect()
    }
    /// The items of a `|`-separated attribute, without a Vec.
    pub fn attr_items(&self, key: &str) -> impl Iterator<Item = &str> {
        (self.attr(key).into_iter())
            .flat_map(|v| split_ascii(v, b'|'))
            .map(trim)
            .filter(|s| !s.is_empty())
    }
    /// 'm', 'f' or None.
    pub fn gender(&self) -> Option<char> {
        match self.attr("gender") {
            Some("m") => Some('m'),
            Some("f") => Some('f'),
            _ => None,
        }
    }
}

/// The embedded entity files: (shown name, contents).
pub const EMBEDDED_ENTITIES: &[(&str, &str)] = &[
    (
        "gazetteer/places.tsv",
        include_str!("../../gazetteer/places.tsv"),
    ),
    (
        "gazetteer/organizations.tsv",
        include_str!("../../gazetteer/organizations.tsv"),
    ),
    (
        "gazetteer/people.tsv",
        include_str!("../../gazetteer/people.tsv"),
    ),
];
pub const EMBEDDED_OFFICES: (&str, &str) = (
    "gazetteer/offices.tsv",
    include_str!("../../gazetteer/offices.tsv"),
);
pub const EMBEDDED_HOLDERS: (&str, &str) = (
    "gazetteer/office_holders.tsv",
    include_str!("../../gazetteer/office_holders.tsv"),
);

pub const ENTITY_HEADER: &[&str] = &["id", "name", "kind", "aliases", "attributes"];
pub const OFFICE_HEADER: &[&str] = &["id", "jurisdiction", "role", "titles", "attributes"];
pub const HOLDER_HEADER: &[&str] = &[
    "office",
    "person",
    "start",
    "end",
    "confirmed_until",
    "source",
];

/// The loaded gazetteer.
#[derive(Clone, Debug, Default)]
pub struct Gazetteer {
    pub entities: Vec<Entity>,
    pub by_id: FxMap<String, usize>,
    pub offices: Vec<Office>,
    pub office_by_id: FxMap<String, usize>,
    pub holders: Vec<Holder>,
    /// Holder indices by office index, sorted by start date.
    pub holders_of: Vec<Vec<usize>>,
    /// Offices by (jurisdiction entity index, role).
    pub office_by_role: FxMap<(usize, String), Vec<usize>>,
    /// Office indices each person held.
    pub offices_of_person: FxMap<usize, Vec<usize>>,
}

/// A file's shown name and contents: borrowed for the embedded files,
/// owned for a user directory's.
pub type SourceFile = (Cow<'static, str>, Cow<'static, str>);

/// Raw rows before linking, kept for `gazetteer check`.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    pub entity_files: Vec<SourceFile>,
    pub office_files: Vec<SourceFile>,
    pub holder_files: Vec<SourceFile>,
}

impl Sources {
    /// The files embedded in the binary (borrowed, not copied).
    pub fn embedded() -> Sources {
        let file = |&(n, t): &(&'static str, &'static str)| (Cow::Borrowed(n), Cow::Borrowed(t));
        Sources {
            entity_files: EMBEDDED_ENTITIES.iter().map(file).collect(),
            office_files: vec![file(&EMBEDDED_OFFICES)],
            holder_files: vec![file(&EMBEDDED_HOLDERS)],
        }
    }

    /// Add the files of a user directory: every `*.tsv` directly in it whose
    /// header is the entity header, plus `offices.tsv` and `office_holders.tsv`.
    pub fn add_dir(&mut self, dir: &Path) -> Result<(), DataError> {
        let err = |m: String| DataError {
            file: dir.display().to_string(),
            line: 0,
            message: m,
        };
        if !dir.is_dir() {
            return Err(err(
                "not a directory (--gazetteer takes a folder of .tsv files)".into(),
            ));
        }
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| err(format!("cannot read the folder: {e}")))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
            .collect();
        paths.sort();
        for p in paths {
            let shown = p.display().to_string();
            let text = std::fs::read_to_string(&p).map_err(|e| DataError {
                file: shown.clone(),
                line: 0,
                message: format!("cannot read: {e}"),
            })?;
            let file = (Cow::Owned(shown), Cow::Owned(text));
            match p.file_name().and_then(|n| n.to_str()) {
                Some("offices.tsv") => self.office_files.push(file),
                Some("office_holders.tsv") => self.holder_files.push(file),
                _ => self.entity_files.push(file),
            }
        }
        Ok(())
    }
}

/// Split a TSV file into rows, checking the header. Yields (line, fields).
pub fn rows<'t>(
    file: &str,
    text: &'t str,
    header: &[&str],
) -> Result<Vec<(usize, Vec<&'t str>)>, DataError> {
    let mut out: Vec<(usize, Vec<&'t str>)> = Vec::new();
    for_rows(file, text, header, |line, k, v| {
        if k == 0 {
            out.push((line, Vec::with_capacity(header.len())));
        }
        if let Some(r) = out.last_mut() {
            r.1.push(v);
        }
    })?;
    Ok(out)
}

/// [`rows`] into fixed arrays of `N` fields (`N` the header's length; a
/// field past the row's end is ""), appended to `out` as (file, line,
/// fields) without a Vec per row. On an error nothing of the file is
/// added.
pub(crate) fn rows_into<'t, const N: usize>(
    file: &'t str,
    text: &'t str,
    header: &[&str],
    out: &mut Vec<(&'t str, usize, [&'t str; N])>,
) -> Result<(), DataError> {
    debug_assert_eq!(header.len(), N);
    let before = out.len();
    let r = for_rows(file, text, header, |line, k, v| {
        if k == 0 {
            out.push((file, line, [""; N]));
        }
        if let Some(slot) = out.last_mut().and_then(|r| r.2.get_mut(k)) {
            *slot = v;
        }
    });
    if r.is_err() {
        out.truncate(before);
    }
    r
}

/// The build script's tables of the embedded files' rows (`field_table`
/// in build.rs), in the order of [`embedded_texts`]: a word 1, then per
/// row its line and the start and end offset of each field, as
/// little-endian u32; empty if the build script found the file malformed.
const EMBEDDED_TABLES: [&[u8]; 5] = [
    include_bytes!(concat!(env!("OUT_DIR"), "/rows_0.bin")),
    include_bytes!(concat!(env!("OUT_DIR"), "/rows_1.bin")),
    include_bytes!(concat!(env!("OUT_DIR"), "/rows_2.bin")),
    include_bytes!(concat!(env!("OUT_DIR"), "/rows_3.bin")),
    include_bytes!(concat!(env!("OUT_DIR"), "/rows_4.bin")),
];

/// The embedded gazetteer files' texts, in build.rs's order.
fn embedded_texts() -> [&'static str; 5] {
    [
        EMBEDDED_ENTITIES[0].1,
        EMBEDDED_ENTITIES[1].1,
        EMBEDDED_ENTITIES[2].1,
        EMBEDDED_OFFICES.1,
        EMBEDDED_HOLDERS.1,
    ]
}

/// [`rows_into`] without scanning, for the text of an embedded file (the
/// same bytes in place, not a copy): its rows read from the build
/// script's table; for a file whose last field is the attributes, the
/// set of key bits of each row's attributes (which the build script found
/// well-formed) is pushed to `keys`. False (nothing added) if `text` is no
/// embedded file, or its table is missing or does not fit (then scan it).
pub(crate) fn embedded_rows_into<'t, const N: usize>(
    file: &'t str,
    text: &'t str,
    out: &mut Vec<(&'t str, usize, [&'t str; N])>,
    keys: &mut Vec<Option<u64>>,
) -> bool {
    let Some(i) = (embedded_texts().iter())
        .position(|t| std::ptr::eq(t.as_ptr(), text.as_ptr()) && t.len() == text.len())
    else {
        return false;
    };
    let table = EMBEDDED_TABLES[i];
    let with_attrs = i < 4;
    let row = 4 * (1 + 2 * N + if with_attrs { 2 } else { 0 });
    if N != [5, 5, 5, 5, 6][i] || table.len() < 4 || table[..4] != [1, 0, 0, 0] {
        return false;
    }
    let table = &table[4..];
    if !table.len().is_multiple_of(row) {
        return false;
    }
    let (before, keys_before) = (out.len(), keys.len());
    out.reserve(table.len() / row);
    let word = |w: &[u8]| u32::from_le_bytes([w[0], w[1], w[2], w[3]]);
    for r in table.chunks_exact(row) {
        let mut fields = [""; N];
        for (k, f) in fields.iter_mut().enumerate() {
            let (s, e) = (word(&r[4 + 8 * k..]), word(&r[8 + 8 * k..]));
            match text.get(s as usize..e as usize) {
                Some(t) => *f = t,
                None => {
                    out.truncate(before);
                    keys.truncate(keys_before);
                    return false;
                }
            }
        }
        out.push((file, word(r) as usize, fields));
        if with_attrs {
            let at = 4 + 8 * N;
            let bits = u64::from(word(&r[at..])) | u64::from(word(&r[at + 4..])) << 32;
            keys.push(Some(bits));
        }
    }
    true
}

/// Check the header of a TSV file, then call `each(line, k, field)` for
/// the `k`-th field (trimmed) of every row, `k` from 0; a row with more
/// fields than the header stops it with an error (before its extra field).
fn for_rows<'t>(
    file: &str,
    text: &'t str,
    header: &[&str],
    mut each: impl FnMut(usize, usize, &'t str),
) -> Result<(), DataError> {
    let mut lines = content_lines(text);
    let Some((hl, h)) = lines.next() else {
        return Ok(());
    };
    if !split_ascii(h, b'\t').map(trim).eq(header.iter().copied()) {
        let got: Vec<&str> = split_ascii(h, b'\t').map(trim).collect();
        return Err(DataError {
            file: file.into(),
            line: hl,
            message: format!(
                "header must be '{}' (tab-separated), found '{}'",
                header.join("\\t"),
                got.join("\\t")
            ),
        });
    }
    for (line, l) in lines {
        // the fields as `split_ascii(l, b'\t')` cuts them, the tabs found
        // sixteen bytes at a time
        let b = l.as_bytes();
        let (mut k, mut start) = (0, 0);
        loop {
            if k == header.len() {
                return Err(DataError {
                    file: file.into(),
                    line,
                    message: format!(
                        "{} fields, expected at most {} ({})",
                        split_ascii(l, b'\t').count(),
                        header.len(),
                        header.join(", ")
                    ),
                });
            }
            match next_of(b, start, [b'\t']) {
                Some(t) => {
                    each(line, k, trim(&l[start..t]));
                    start = t + 1;
                    k += 1;
                }
                None => {
                    each(line, k, trim(&l[start..]));
                    break;
                }
            }
        }
    }
    Ok(())
}

/// Call `each(key, value)` (both trimmed) for every `key=value` part of
/// `key=value;key=value` in order, stopping at the first error of `each`
/// or at a non-empty part without '='. Each part's first `=` and its end
/// are found sixteen bytes at a time.
fn each_attr<'s>(
    s: &'s str,
    mut each: impl FnMut(&'s str, &'s str) -> Result<(), String>,
) -> Result<(), String> {
    let b = s.as_bytes();
    let mut start = 0;
    while start <= b.len() {
        let (eq, end) = match next_of(b, start, [b';', b'=']) {
            Some(k) if b[k] == b'=' => (Some(k), next_of(b, k + 1, [b';']).unwrap_or(b.len())),
            Some(k) => (None, k),
            None => (None, b.len()),
        };
        match eq {
            Some(e) => each(trim(&s[start..e]), trim(&s[e + 1..end]))?,
            None => {
                let part = trim(&s[start..end]);
                if !part.is_empty() {
                    return Err(format!("attribute '{part}' is not key=value"));
                }
            }
        }
        start = end + 1;
    }
    Ok(())
}

/// Parse `key=value;key=value` (a later value of a key replaces the
/// earlier).
pub fn parse_attrs(s: &str) -> Result<BTreeMap<String, String>, String> {
    let mut m = BTreeMap::new();
    each_attr(s, |k, v| {
        m.insert(k.to_string(), v.to_string());
        Ok(())
    })?;
    Ok(m)
}

/// Check `key=value;key=value` as [`parse_attrs`] does, without making
/// the map: the same error for the same text. (The parts are the pieces
/// between ';'; one is bad if it has no '=' and is not blank.)
pub fn check_attrs(s: &str) -> Result<(), String> {
    let b = s.as_bytes();
    let mut start = 0;
    loop {
        let end = next_of(b, start, [b';']).unwrap_or(b.len());
        let part = &b[start..end];
        if !part.contains(&b'=') {
            let part = trim(&s[start..end]);
            if !part.is_empty() {
                return Err(format!("attribute '{part}' is not key=value"));
            }
        }
        if end == b.len() {
            return Ok(());
        }
        start = end + 1;
    }
}

/// The value of `key` in `key=value;key=value` (which [`check_attrs`]
/// accepts): the last one, as [`parse_attrs`]'s map has it.
fn attr_value<'s>(s: &'s str, key: &str) -> Option<&'s str> {
    attr_value_reference(s, key)
}

/// A bit of a 64-bit set for key `k` (a Bloom filter of one hash).
fn key_bit(k: &str) -> u64 {
    let h = (k.bytes()).fold(k.len() as u32, |h, b| h.wrapping_mul(33) ^ b as u32);
    1 << (h.wrapping_mul(0x9e37_79b9) >> 26)
}

/// [`attr_value`] by the parts [`each_attr`] reads.
fn attr_value_reference<'s>(s: &'s str, key: &str) -> Option<&'s str> {
    let mut found = None;
    each_attr(s, |k, v| {
        if k == key {
            found = Some(v);
        }
        Ok(())
    })
    .ok();
    found
}

/// [`parse_attrs`] as first written: the parts, then each part's `=`.
#[cfg(test)]
pub fn parse_attrs_reference(s: &str) -> Result<BTreeMap<String, String>, String> {
    let mut m = BTreeMap::new();
    for part in split_ascii(s, b';').map(trim).filter(|p| !p.is_empty()) {
        let Some(eq) = part.bytes().position(|b| b == b'=') else {
            return Err(format!("attribute '{part}' is not key=value"));
        };
        let (k, v) = (&part[..eq], &part[eq + 1..]);
        m.insert(trim(k).to_string(), trim(v).to_string());
    }
    Ok(m)
}

/// A lowercase ASCII slug: diacritics folded, other characters → '-'.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in s.chars() {
        let folded = fold_char(c);
        for f in folded.chars() {
            if f.is_ascii_alphanumeric() {
                if dash && !out.is_empty() {
                    out.push('-');
                }
                dash = false;
                out.push(f.to_ascii_lowercase());
            } else if f != '\'' && f != '’' && f != '.' {
                dash = true;
            }
        }
    }
    out
}

/// Fold common Latin diacritics to ASCII (enough for ids and loose matching).
pub fn fold_char(c: char) -> String {
    let s = match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'Á' | 'À' | 'Â' | 'Ä' | 'Ã' | 'Å' | 'Ā' | 'Ă' | 'Ą' => "A",
        'ç' | 'ć' | 'č' => "c",
        'Ç' | 'Ć' | 'Č' => "C",
        'ď' | 'đ' => "d",
        'Ď' | 'Đ' => "D",
        'é' | 'è' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' | 'ė' => "e",
        'É' | 'È' | 'Ê' | 'Ë' | 'Ē' | 'Ę' | 'Ě' | 'Ė' => "E",
        'ğ' => "g",
        'Ğ' => "G",
        'í' | 'ì' | 'î' | 'ï' | 'ī' | 'ı' => "i",
        'Í' | 'Ì' | 'Î' | 'Ï' | 'Ī' | 'İ' => "I",
        'ł' | 'ľ' => "l",
        'Ł' | 'Ľ' => "L",
        'ñ' | 'ń' | 'ň' => "n",
        'Ñ' | 'Ń' | 'Ň' => "N",
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' | 'ō' | 'ő' => "o",
        'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' | 'Ø' | 'Ō' | 'Ő' => "O",
        'ř' => "r",
        'Ř' => "R",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'Ś' | 'Š' | 'Ş' | 'Ș' => "S",
        'ß' => "ss",
        'ť' | 'ţ' | 'ț' => "t",
        'Ť' | 'Ţ' | 'Ț' => "T",
        'ú' | 'ù' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => "u",
        'Ú' | 'Ù' | 'Û' | 'Ü' | 'Ū' | 'Ů' | 'Ű' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' => "Y",
        'ź' | 'ż' | 'ž' => "z",
        'Ź' | 'Ż' | 'Ž' => "Z",
        'æ' => "ae",
        'Æ' => "AE",
        'œ' => "oe",
        'Œ' => "OE",
        _ => return c.to_string(),
    };
    s.to_string()
}

/// Fold a whole string's diacritics.
pub fn fold(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

impl Gazetteer {
    /// Load the embedded gazetteer plus user directories (later rows with the
    /// same id replace earlier ones).
    pub fn load(dirs: &[&Path]) -> Result<Gazetteer, DataError> {
        let mut src = Sources::embedded();
        for d in dirs {
            src.add_dir(d)?;
        }
        Gazetteer::from_sources(&src)
    }

    /// Build from file contents; the first error found is returned.
    pub fn from_sources(src: &Sources) -> Result<Gazetteer, DataError> {
        let report = check::check_with(src, false);
        if let Some(e) = report.errors.into_iter().next() {
            return Err(e);
        }
        Ok(report.gazetteer)
    }

    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.by_id.get(id).map(|&i| &self.entities[i])
    }
}
