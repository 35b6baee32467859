//! Language knowledge as data: the word lists and small tables under
//! `gazetteer/lexicon/` (month names, abbreviations, titles, speech verbs,
//! meeting triggers …), embedded in the binary and parsed once.
//!
//! Two file shapes are supported:
//! * `NAME.txt`: one entry per line;
//! * `NAME.tsv`: a header row naming the columns, then one row per line.
//!
//! In both, blank lines and lines starting with `#` are ignored. A user's
//! `--gazetteer DIR` may hold `DIR/lexicon/NAME.{txt,tsv}`; its rows are
//! appended to the embedded ones.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

/// An error in a data file, naming the file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        }
    }
}

impl std::error::Error for DataError {}

/// The lexicon files shipped in the binary: (file name, contents).
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "abbreviations.txt",
        include_str!("../gazetteer/lexicon/abbreviations.txt"),
    ),
    (
        "modifier_context.txt",
        include_str!("../gazetteer/lexicon/modifier_context.txt"),
    ),
    (
        "months.tsv",
        include_str!("../gazetteer/lexicon/months.tsv"),
    ),
    (
        "weekdays.tsv",
        include_str!("../gazetteer/lexicon/weekdays.tsv"),
    ),
    (
        "news_agencies.txt",
        include_str!("../gazetteer/lexicon/news_agencies.txt"),
    ),
    (
        "titles.tsv",
        include_str!("../gazetteer/lexicon/titles.tsv"),
    ),
    ("roles.tsv", include_str!("../gazetteer/lexicon/roles.tsv")),
    (
        "pronouns.tsv",
        include_str!("../gazetteer/lexicon/pronouns.tsv"),
    ),
    (
        "common_words.txt",
        include_str!("../gazetteer/lexicon/common_words.txt"),
    ),
    (
        "org_forms.tsv",
        include_str!("../gazetteer/lexicon/org_forms.tsv"),
    ),
    (
        "locatives.txt",
        include_str!("../gazetteer/lexicon/locatives.txt"),
    ),
    (
        "speech_verbs.tsv",
        include_str!("../gazetteer/lexicon/speech_verbs.tsv"),
    ),
    (
        "audiences.txt",
        include_str!("../gazetteer/lexicon/audiences.txt"),
    ),
    (
        "given_names.tsv",
        include_str!("../gazetteer/lexicon/given_names.tsv"),
    ),
    (
        "statement_words.tsv",
        include_str!("../gazetteer/lexicon/statement_words.tsv"),
    ),
    (
        "statement_cameo.tsv",
        include_str!("../gazetteer/lexicon/statement_cameo.tsv"),
    ),
    (
        "event_triggers.tsv",
        include_str!("../gazetteer/lexicon/event_triggers.tsv"),
    ),
    (
        "event_cues.tsv",
        include_str!("../gazetteer/lexicon/event_cues.tsv"),
    ),
    (
        "time_words.tsv",
        include_str!("../gazetteer/lexicon/time_words.tsv"),
    ),
    (
        "time_numbers.tsv",
        include_str!("../gazetteer/lexicon/time_numbers.tsv"),
    ),
    (
        "time_tense.tsv",
        include_str!("../gazetteer/lexicon/time_tense.tsv"),
    ),
    (
        "month_context.txt",
        include_str!("../gazetteer/lexicon/month_context.txt"),
    ),
    (
        "role_modifiers.txt",
        include_str!("../gazetteer/lexicon/role_modifiers.txt"),
    ),
    (
        "state_bodies.txt",
        include_str!("../gazetteer/lexicon/state_bodies.txt"),
    ),
    (
        "place_forms.txt",
        include_str!("../gazetteer/lexicon/place_forms.txt"),
    ),
    (
        "person_nouns.txt",
        include_str!("../gazetteer/lexicon/person_nouns.txt"),
    ),
    (
        "name_particles.txt",
        include_str!("../gazetteer/lexicon/name_particles.txt"),
    ),
    (
        "name_intros.tsv",
        include_str!("../gazetteer/lexicon/name_intros.tsv"),
    ),
];

/// One row of a table, with the line it came from.
#[derive(Debug, Clone)]
pub struct Row {
    pub file: String,
    pub line: usize,
    pub fields: Vec<String>,
}

/// A parsed `.tsv` table.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
}

impl Table {
    /// Index of a column, or an error naming the file.
    pub fn column(&self, name: &str, file: &str) -> Result<usize, DataError> {
        self.columns
            .iter()
            .position(|c| c == name)
            .ok_or_else(|| DataError {
                file: file.to_string(),
                line: 1,
                message: format!("missing column '{name}' in the header"),
            })
    }
}

impl Row {
    /// Field `i`, or "" when the row is short.
    pub fn get(&self, i: usize) -> &str {
        self.fields.get(i).map(|s| s.as_str()).unwrap_or("")
    }
    /// An error located at this row.
    pub fn error(&self, message: impl Into<String>) -> DataError {
        DataError {
            file: self.file.clone(),
            line: self.line,
            message: message.into(),
        }
    }
}

/// All lexicon files, parsed.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    lists: HashMap<String, Vec<String>>,
    tables: HashMap<String, Table>,
}

/// Lines of a data file that carry content: (1-based line number, line,
/// without its line end). Each line's end is found sixteen bytes at a time.
pub fn content_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let b = text.as_bytes();
    let (mut pos, mut n) = (0, 0);
    std::iter::from_fn(move || loop {
        if pos >= b.len() {
            return None;
        }
        // as `str::lines` cuts it: at '\n', and a '\r' before it
        let l = match crate::document::bytescan::next_of(b, pos, [b'\n']) {
            Some(e) => {
                let l = &text[pos..e];
                pos = e + 1;
                l.strip_suffix('\r').unwrap_or(l)
            }
            None => {
                let l = &text[pos..];
                pos = b.len();
                l
            }
        };
        n += 1;
        // then without a '\r' before that, and only if not blank or a comment
        let l = l.strip_suffix('\r').unwrap_or(l);
        let body = match l.as_bytes().first() {
            Some(c) if c.is_ascii() && !c.is_ascii_whitespace() => l,
            _ => l.trim_start(),
        };
        if !body.is_empty() && !body.starts_with('#') {
            return Some((n, l));
        }
    })
}

/// [`content_lines`] as first written: by `str::lines`.
#[cfg(test)]
pub(crate) fn content_lines_reference(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().filter_map(|(i, l)| {
        let l = l.strip_suffix('\r').unwrap_or(l);
        let body = match l.as_bytes().first() {
            Some(b) if b.is_ascii() && !b.is_ascii_whitespace() => l,
            _ => l.trim_start(),
        };
        if body.is_empty() || body.starts_with('#') {
            None
        } else {
            Some((i + 1, l))
        }
    })
}

/// `s.split(sep)` for an ASCII separator, by a plain byte loop: data
/// fields are short, and a `memchr` call per field costs more than reading
/// them. (An ASCII byte never falls inside a character, so every piece is
/// a `&str` of `s`.)
#[inline]
pub fn split_ascii(s: &str, sep: u8) -> impl Iterator<Item = &str> {
    debug_assert!(sep.is_ascii());
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.bytes().position(|b| b == sep) {
            Some(k) => {
                rest = Some(&r[k + 1..]);
                Some(&r[..k])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// `s.trim()`, without reading its characters when `s` starts and ends
/// with a printable ASCII byte (as nearly every data field does).
#[inline]
pub fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(z))
            if a.is_ascii()
                && z.is_ascii()
                && !a.is_ascii_whitespace()
                && !z.is_ascii_whitespace() =>
        {
            s
        }
        _ => s.trim(),
    }
}

/// Parse a TSV file with a header row.
pub fn parse_table(file: &str, text: &str) -> Result<Table, DataError> {
    let mut lines = content_lines(text);
    let Some((_, header)) = lines.next() else {
        return Ok(Table::default());
    };
    let columns: Vec<String> = split_ascii(header, b'\t')
        .map(|s| trim(s).to_string())
        .collect();
    let mut rows = Vec::new();
    for (line, l) in lines {
        let fields: Vec<String> = split_ascii(l, b'\t').map(|s| trim(s).to_string()).collect();
        if fields.len() > columns.len() {
            return Err(DataError {
                file: file.to_string(),
                line,
                message: format!(
                    "{} fields, but the header has {} columns ({})",
                    fields.len(),
                    columns.len(),
                    columns.join(", ")
                ),
            });
        }
        rows.push(Row {
            file: file.to_string(),
            line,
            fields,
        });
    }
    Ok(Table { columns, rows })
}

impl Lexicon {
    /// The lexicon embedded in the binary.
    pub fn embedded() -> Result<Lexicon, DataError> {
        let mut lex = Lexicon::default();
        for (name, text) in EMBEDDED {
            lex.add_file(&format!("gazetteer/lexicon/{name}"), name, text)?;
        }
        Ok(lex)
    }

    /// Add the rows of `DIR/lexicon/*` to this lexicon.
    pub fn add_dir(&mut self, dir: &Path) -> Result<(), DataError> {
        let sub = dir.join("lexicon");
        let Ok(entries) = std::fs::read_dir(&sub) else {
            return Ok(());
        };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            let Some(name) = path
                .file_name()
                .and_then(|n| n.to_str())
                .map(str::to_string)
            else {
                continue;
            };
            if !(name.ends_with(".txt") || name.ends_with(".tsv")) {
                continue;
            }
            let shown = path.display().to_string();
            let text = std::fs::read_to_string(&path).map_err(|e| DataError {
                file: shown.clone(),
                line: 0,
                message: format!("cannot read: {e}"),
            })?;
            self.add_file(&shown, &name, &text)?;
        }
        Ok(())
    }

    fn add_file(&mut self, shown: &str, name: &str, text: &str) -> Result<(), DataError> {
        if let Some(stem) = name.strip_suffix(".txt") {
            let list = self.lists.entry(stem.to_string()).or_default();
            list.extend(content_lines(text).map(|(_, l)| l.trim().to_string()));
        } else if let Some(stem) = name.strip_suffix(".tsv") {
            let table = parse_table(shown, text)?;
            match self.tables.get_mut(stem) {
                Some(existing) => {
                    if existing.columns != table.columns && !table.columns.is_empty() {
                        return Err(DataError {
                            file: shown.to_string(),
                            line: 1,
                            message: format!(
                                "header differs from the embedded {name} (expected: {})",
                                existing.columns.join("\t")
                            ),
                        });
                    }
                    existing.rows.extend(table.rows);
                }
                None => {
                    self.tables.insert(stem.to_string(), table);
                }
            }
        }
        Ok(())
    }

    /// A `.txt` word list by stem ("abbreviations"); empty when absent.
    pub fn list(&self, stem: &str) -> &[String] {
        self.lists.get(stem).map(|v| v.as_slice()).unwrap_or(&[])
    }

    /// A `.tsv` table by stem ("months"); empty when absent.
    pub fn table(&self, stem: &str) -> &Table {
        static EMPTY: Table = Table {
            columns: Vec::new(),
            rows: Vec::new(),
        };
        self.tables.get(stem).unwrap_or(&EMPTY)
    }

    /// Read named columns of a table: for each row, where it is (its file
    /// and line, for [`Row::error`]; its `fields` are left empty, not
    /// copied: [`Lexicon::table`] has them) and the fields in `cols` order.
    /// Errors name the file when a column is missing.
    pub fn rows(&self, stem: &str, cols: &[&str]) -> Result<Vec<(Row, Vec<String>)>, DataError> {
        let table = self.table(stem);
        let file = format!("gazetteer/lexicon/{stem}.tsv");
        if table.columns.is_empty() {
            return Ok(Vec::new());
        }
        let idx: Vec<usize> = cols
            .iter()
            .map(|c| table.column(c, &file))
            .collect::<Result<_, _>>()?;
        Ok(table
            .rows
            .iter()
            .map(|r| {
                (
                    Row {
                        file: r.file.clone(),
                        line: r.line,
                        fields: Vec::new(),
                    },
                    idx.iter().map(|&i| r.get(i).to_string()).collect(),
                )
            })
            .collect())
    }
}

/// A small, fast, non-cryptographic hasher (FxHash) for the word tables
/// looked up once per token; keys are our own data, not attacker-chosen.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    /// Eight bytes at a time, little-endian, the last chunk zero-padded
    /// (read by [`tail_le`], not copied into a buffer).
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let v = u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
            self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(FX_K);
        }
        let r = chunks.remainder();
        if !r.is_empty() {
            self.0 = (self.0.rotate_left(5) ^ tail_le(r)).wrapping_mul(FX_K);
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ i as u64).wrapping_mul(FX_K);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// Up to eight bytes as a little-endian number, zero-padded: two
/// overlapping four-byte reads, or three single bytes for a short piece.
#[inline]
fn tail_le(r: &[u8]) -> u64 {
    let n = r.len();
    debug_assert!(n <= 8);
    if n >= 4 {
        let word = |k: usize| u64::from(u32::from_le_bytes([r[k], r[k + 1], r[k + 2], r[k + 3]]));
        word(0) | word(n - 4) << (8 * (n - 4))
    } else if n > 0 {
        u64::from(r[0])
            | u64::from(r[n / 2]) << (8 * (n / 2))
            | u64::from(r[n - 1]) << (8 * (n - 1))
    } else {
        0
    }
}

/// The hash of a (lower-case) word that [`crate::document::Document`]
/// keeps for every token and [`PhraseSet`] looks phrases up by.
/// (The same value as [`FxHasher::write`] over the bytes, then mixed; kept
/// in step with [`WordHasher`], which builds it a byte at a time.)
#[inline]
pub fn word_hash(w: &str) -> u64 {
    let mut h = WordHasher::default();
    let b = w.as_bytes();
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        h.chunk(u64::from_le_bytes(c.try_into().unwrap_or([0; 8])));
    }
    for &x in chunks.remainder() {
        h.byte(x);
    }
    h.finish()
}

const FX_K: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// [`word_hash`] built incrementally, one byte (or eight) at a time, so a
/// caller writing the lower-case text of a word can hash it in the same
/// pass. `byte` calls fill eight-byte chunks (little-endian, the last one
/// zero-padded) exactly as [`FxHasher::write`] reads them.
#[derive(Default, Clone, Copy)]
pub struct WordHasher {
    h: u64,
    /// The bytes of the current, unfinished chunk.
    cur: u64,
    /// How many bytes `cur` holds (0..8).
    n: u32,
}

impl WordHasher {
    /// Add one eight-byte chunk, little-endian: the last, short one
    /// zero-padded (only when no bytes were added one at a time since the
    /// last whole chunk).
    #[inline]
    pub fn chunk(&mut self, v: u64) {
        self.h = (self.h.rotate_left(5) ^ v).wrapping_mul(FX_K);
    }

    /// Add one byte.
    #[inline]
    pub fn byte(&mut self, b: u8) {
        self.cur |= (b as u64) << (8 * self.n);
        self.n += 1;
        if self.n == 8 {
            self.chunk(self.cur);
            self.cur = 0;
            self.n = 0;
        }
    }

    /// The hash of the bytes added.
    #[inline]
    pub fn finish(mut self) -> u64 {
        if self.n > 0 {
            self.chunk(self.cur);
        }
        let x = self.h;
        // FxHash's low bits are weak; the table takes its slot from them
        (x ^ (x >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9) ^ (x >> 32)
    }
}

/// A hasher for keys that are hashes already ([`word_hash`]).
#[derive(Default, Clone, Copy)]
pub struct PreHashed(u64);

impl std::hash::Hasher for PreHashed {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = i;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A HashMap keyed by [`word_hash`] values.
pub type PreHashedMap<T> = HashMap<u64, T, std::hash::BuildHasherDefault<PreHashed>>;

/// Lower-case words with values, looked up by a token's hash made once
/// per document ([`WordTable::get_token`]) or by the word.
#[derive(Debug, Clone)]
pub struct WordTable<T> {
    map: PreHashedMap<Vec<(Box<str>, T)>>,
}

impl<T> Default for WordTable<T> {
    fn default() -> Self {
        WordTable {
            map: PreHashedMap::default(),
        }
    }
}

impl<T> WordTable<T> {
    /// Set the value of `word` (replacing an earlier one).
    pub fn insert(&mut self, word: &str, value: T) {
        let slot = self.map.entry(word_hash(word)).or_default();
        match slot.iter_mut().find(|(w, _)| **w == *word) {
            Some(e) => e.1 = value,
            None => slot.push((word.into(), value)),
        }
    }

    fn lookup(&self, hash: u64, word: &str) -> Option<&T> {
        self.map
            .get(&hash)?
            .iter()
            .find(|(w, _)| **w == *word)
            .map(|(_, v)| v)
    }

    /// The value of `word`.
    pub fn get(&self, word: &str) -> Option<&T> {
        self.lookup(word_hash(word), word)
    }

    /// The value of token `i`'s lower-case text.
    pub fn get_token(&self, doc: &crate::document::Document, i: usize) -> Option<&T> {
        self.lookup(doc.lowered.hash(i)?, doc.lower(i))
    }

    pub fn len(&self) -> usize {
        self.map.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

impl<T> FromIterator<(String, T)> for WordTable<T> {
    fn from_iter<I: IntoIterator<Item = (String, T)>>(iter: I) -> Self {
        let mut t = WordTable::default();
        for (w, v) in iter {
            t.insert(&w, v);
        }
        t
    }
}

/// Phrases (lower-case words) with their values, longest first.
type Phrases<V> = Vec<(Vec<String>, V)>;

/// A HashSet with [`FxHasher`].
pub type FxSet<K> = std::collections::HashSet<K, std::hash::BuildHasherDefault<FxHasher>>;

/// A HashMap with [`FxHasher`].
pub type FxMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;

/// Lowercase `s`, borrowing when it has no uppercase letter.
pub fn lower(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(char::is_uppercase) {
        std::borrow::Cow::Owned(s.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// The weekday names of `weekdays.tsv` with their ISO numbers (Monday = 1),
/// checked (1..7).
pub fn weekday_names(lex: &Lexicon) -> Result<Vec<(String, u32)>, DataError> {
    numbered_names(lex, "weekdays", "weekday", 7)
}

/// The month names of `months.tsv` with their numbers, checked (1..12).
pub fn month_names(lex: &Lexicon) -> Result<Vec<(String, u32)>, DataError> {
    numbered_names(lex, "months", "month", 12)
}

/// Rows (name, number) of table `stem` whose column `col` must be 1..=`max`.
fn numbered_names(
    lex: &Lexicon,
    stem: &str,
    col: &str,
    max: u32,
) -> Result<Vec<(String, u32)>, DataError> {
    let mut out = Vec::new();
    for (row, f) in lex.rows(stem, &["name", col])? {
        let n: u32 = f[1]
            .parse()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| row.error(format!("{col} must be 1..{max}, found '{}'", f[1])))?;
        out.push((f[0].clone(), n));
    }
    Ok(out)
}

/// A set of multi-word phrases matched over a document's tokens, longest
/// first, case-insensitively. Phrases are tokenized like documents, so
/// "Mr." is two tokens and "U.S." one.
#[derive(Debug, Clone)]
pub struct PhraseSet<V> {
    /// By the [`word_hash`] of the first word: (first word, its phrases
    /// longest first), more than one only when two first words collide.
    by_first: PreHashedMap<Vec<(Box<str>, Phrases<V>)>>,
    /// A bit per [`first_bit`] of every first word's hash (empty when there
    /// are no phrases): most tokens start no phrase, and one bit test tells.
    firsts: Vec<u64>,
}

/// Bits in a [`PhraseSet`]'s first-word filter.
const FIRST_BITS: usize = 1 << 14;

/// The filter bit of a word hash (its high bits: the best mixed ones).
#[inline]
fn first_bit(h: u64) -> usize {
    (h >> (64 - 14)) as usize
}

impl<V> Default for PhraseSet<V> {
    fn default() -> Self {
        PhraseSet {
            by_first: HashMap::default(),
            firsts: Vec::new(),
        }
    }
}

impl<V> PhraseSet<V> {
    /// False when no phrase can start at token `i` of `doc` (a filter:
    /// true does not promise a match).
    #[inline]
    pub fn may_start(&self, doc: &crate::document::Document, i: usize) -> bool {
        let Some(h) = doc.lowered.hash(i) else {
            return false;
        };
        let b = first_bit(h);
        self.firsts
            .get(b >> 6)
            .is_some_and(|&w| w & (1u64 << (b & 63)) != 0)
    }

    /// Every token of `doc` where [`PhraseSet::may_start`] holds, in order:
    /// one pass over the token hashes for scans of the whole document.
    pub fn may_starts<'d>(
        &'d self,
        doc: &'d crate::document::Document,
    ) -> impl Iterator<Item = usize> + 'd {
        static NONE: [u64; FIRST_BITS / 64] = [0; FIRST_BITS / 64];
        // the filter as a fixed-size array: its index needs no bounds check
        let filter: &[u64; FIRST_BITS / 64] = self.firsts.as_slice().try_into().unwrap_or(&NONE);
        // zipped with the token indices: one counter, no bounds checks
        let mut hashes = doc.lowered.hashes().zip(0..doc.tokens.len());
        std::iter::from_fn(move || {
            for (h, i) in hashes.by_ref() {
                let b = first_bit(h);
                if (filter[b >> 6] >> (b & 63)) & 1 != 0 {
                    return Some(i);
                }
            }
            None
        })
    }
}

impl<V: Clone> PhraseSet<V> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a phrase. Later additions of the same phrase are kept too; the
    /// first added wins in [`PhraseSet::longest_at`].
    pub fn insert(&mut self, phrase: &str, value: V) {
        let words: Vec<String> = crate::document::tokenize(phrase)
            .iter()
            .map(|t| phrase[t.span.start..t.span.end].to_lowercase())
            .collect();
        if words.is_empty() {
            return;
        }
        let h0 = word_hash(&words[0]);
        if self.firsts.is_empty() {
            self.firsts = vec![0; FIRST_BITS / 64];
        }
        let b = first_bit(h0);
        self.firsts[b >> 6] |= 1u64 << (b & 63);
        let slot = self.by_first.entry(h0).or_default();
        let i = match slot.iter().position(|(w, _)| **w == *words[0]) {
            Some(i) => i,
            None => {
                slot.push((words[0].clone().into_boxed_str(), Vec::new()));
                slot.len() - 1
            }
        };
        let v = &mut slot[i].1;
        v.push((words, value));
        v.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
    }

    /// The longest phrase starting at token `i` of `doc` (staying inside the
    /// token's sentence): (number of tokens, value).
    #[inline]
    pub fn longest_at<'a>(
        &'a self,
        doc: &'a crate::document::Document,
        i: usize,
    ) -> Option<(usize, &'a V)> {
        if !self.may_start(doc, i) {
            return None;
        }
        self.candidates(doc, i)
            .iter()
            .find(|(words, _)| Self::matches(doc, i, words))
            .map(|(words, v)| (words.len(), v))
    }

    /// Every phrase starting at token `i`, longest first.
    #[inline]
    pub fn all_at<'a>(
        &'a self,
        doc: &'a crate::document::Document,
        i: usize,
    ) -> impl Iterator<Item = (usize, &'a V)> + 'a {
        let cands = if self.may_start(doc, i) {
            self.candidates(doc, i)
        } else {
            &[]
        };
        cands
            .iter()
            .filter(move |(words, _)| Self::matches(doc, i, words))
            .map(|(words, v)| (words.len(), v))
    }

    /// The phrases whose first word is token `i`'s, longest first.
    fn candidates(&self, doc: &crate::document::Document, i: usize) -> &[(Vec<String>, V)] {
        doc.lowered
            .hash(i)
            .and_then(|h| self.by_first.get(&h))
            .and_then(|slot| {
                let w = doc.lower(i);
                slot.iter().find(|(f, _)| **f == *w)
            })
            .map(|(_, v)| v.as_slice())
            .unwrap_or(&[])
    }

    /// True when the words after the first of a candidate follow token `i`
    /// inside its sentence.
    fn matches(doc: &crate::document::Document, i: usize, words: &[String]) -> bool {
        let n = words.len();
        if i + n > doc.tokens.len() {
            return false;
        }
        let sent = doc.tokens[i].sentence;
        words
            .iter()
            .enumerate()
            .skip(1)
            .all(|(k, w)| doc.tokens[i + k].sentence == sent && doc.lower(i + k) == w)
    }

    pub fn is_empty(&self) -> bool {
        self.by_first.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`FxHasher::write`] as it was: each chunk copied into a buffer.
    fn fx_write_reference(h: &mut u64, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut v = [0u8; 8];
            v[..chunk.len()].copy_from_slice(chunk);
            *h = (h.rotate_left(5) ^ u64::from_le_bytes(v)).wrapping_mul(FX_K);
        }
    }

    #[test]
    fn fx_write_agrees_with_the_reference() {
        use std::hash::Hasher;
        let text = "Ünited Stätes\tof América, 0123456789 abcdefghijklmnopqrstuvwxyz";
        for a in 0..text.len() {
            for b in a..=text.len().min(a + 40) {
                let piece = &text.as_bytes()[a..b];
                for seed in [0u64, 0x9e37_79b9_7f4a_7c15] {
                    let mut fast = FxHasher(seed);
                    fast.write(piece);
                    let mut slow = seed;
                    fx_write_reference(&mut slow, piece);
                    assert_eq!(fast.finish(), slow, "{piece:?}");
                }
            }
        }
    }

    #[test]
    fn rows_locate_each_row_of_the_table() {
        let mut lex = Lexicon::default();
        let text = "# note\nword\trole\n\nalpha\tx\n# c\nbeta\ty\n";
        lex.add_file("mine/words.tsv", "words.tsv", text).unwrap();
        let rows = lex.rows("words", &["role", "word"]).unwrap();
        let table = &lex.table("words").rows;
        assert_eq!(rows.len(), 2);
        for ((row, f), full) in rows.iter().zip(table) {
            assert_eq!((&row.file, row.line), (&full.file, full.line));
            assert_eq!(f, &[full.get(1), full.get(0)]);
            let e = row.error("bad");
            assert_eq!((e.file.as_str(), e.line), ("mine/words.tsv", full.line));
        }
        assert_eq!((rows[0].0.line, rows[1].0.line), (4, 6));
    }

    #[test]
    fn split_ascii_is_str_split() {
        for s in [
            "",
            "\t",
            "a",
            "a\tb",
            "\ta\t",
            "é\tü\t\t",
            "a;b=c;",
            "x|y||z|",
        ] {
            for sep in [b'\t', b';', b'|', b'='] {
                let fast: Vec<&str> = split_ascii(s, sep).collect();
                let slow: Vec<&str> = s.split(sep as char).collect();
                assert_eq!(fast, slow, "{s:?} by {sep}");
            }
        }
    }

    #[test]
    fn trim_is_str_trim() {
        for s in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\ta b\t",
            "x\u{a0}",
            "\u{a0}x",
            "\u{2003}é\u{2003}",
            "é",
            "é ",
            " é",
            "#c",
            "a\r",
            "\u{3000}",
            "ab cd",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
    }

    #[test]
    fn content_lines_skip_blank_and_comment_lines() {
        let text = "a\tb\n\n  # note\n\u{a0}# also a note\n\u{a0}\n x\r\n#\n";
        let got: Vec<(usize, &str)> = content_lines(text).collect();
        assert_eq!(got, vec![(1, "a\tb"), (6, " x")]);
    }

    /// The mixing of [`word_hash`] as first written: FxHasher over the bytes.
    fn reference_hash(w: &str) -> u64 {
        use std::hash::Hasher;
        let mut h = FxHasher::default();
        h.write(w.as_bytes());
        let x = h.finish();
        (x ^ (x >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9) ^ (x >> 32)
    }

    #[test]
    fn word_hash_agrees_with_fxhasher_and_the_incremental_hasher() {
        for w in [
            "",
            "a",
            "said",
            "abcdefg",
            "abcdefgh",
            "abcdefghi",
            "spokeswoman",
            "außenminister",
            "sixteen-letter-w",
            "seventeen-letters",
        ] {
            assert_eq!(word_hash(w), reference_hash(w), "{w}");
            let mut h = WordHasher::default();
            for &b in w.as_bytes() {
                h.byte(b);
            }
            assert_eq!(h.finish(), word_hash(w), "{w}");
        }
        assert_ne!(word_hash("said"), word_hash("says"));
    }

    #[test]
    fn phrase_filter_passes_every_first_word_and_rejects_others() {
        let mut set = PhraseSet::new();
        set.insert("according to", 1);
        set.insert("said", 2);
        set.insert("Told", 3);
        let model = crate::document::DocumentModel::new(&Lexicon::embedded().unwrap()).unwrap();
        let doc = model.parse(
            "t",
            "She told us, according to him, and said no.".into(),
            None,
        );
        let starts: Vec<usize> = (0..doc.tokens.len())
            .filter(|&i| set.may_start(&doc, i))
            .collect();
        // every token that starts a phrase passes the filter
        for i in 0..doc.tokens.len() {
            if set.all_at(&doc, i).next().is_some() {
                assert!(starts.contains(&i), "{i}");
            }
        }
        assert_eq!(set.longest_at(&doc, 1).map(|(n, v)| (n, *v)), Some((1, 3)));
        assert_eq!(set.longest_at(&doc, 4).map(|(n, v)| (n, *v)), Some((2, 1)));
        assert!(!set.may_start(&doc, doc.tokens.len()));
        let empty: PhraseSet<()> = PhraseSet::new();
        assert!(!empty.may_start(&doc, 0));
    }
}
