//! The tagger's word lists, read from `gazetteer/lexicon/`: months.tsv,
//! weekdays.tsv, time_words.tsv, time_numbers.tsv and time_tense.tsv.

use crate::lexicon::FxMap as HashMap;
use crate::lexicon::{DataError, FxMap, Lexicon};

/// What a phrase of time_words.tsv is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Class {
    Fixed,
    Deictic,
    Unit,
    Season,
    Daypart,
    Clock,
    Ampm,
    Zone,
    Rel,
    After,
    Approx,
    Pos,
    Every,
    Vague,
    Holiday,
    Fiscal,
    Period,
    YearAgo,
    Decade,
    Filler,
    DurPre,
    FreqPre,
    FreqArt,
    DatePre,
    BarePre,
    SpanAfter,
    AnaRel,
    DurNext,
}

impl Class {
    /// The bit of this class in a set of classes (a `u32`).
    #[inline]
    pub fn bit(self) -> u32 {
        1 << self as u32
    }

    pub(crate) fn parse(s: &str) -> Option<Class> {
        Some(match s {
            "fixed" => Class::Fixed,
            "deictic" => Class::Deictic,
            "unit" => Class::Unit,
            "season" => Class::Season,
            "daypart" => Class::Daypart,
            "clock" => Class::Clock,
            "ampm" => Class::Ampm,
            "zone" => Class::Zone,
            "rel" => Class::Rel,
            "after" => Class::After,
            "approx" => Class::Approx,
            "pos" => Class::Pos,
            "every" => Class::Every,
            "vague" => Class::Vague,
            "holiday" => Class::Holiday,
            "fiscal" => Class::Fiscal,
            "period" => Class::Period,
            "yearago" => Class::YearAgo,
            "decade" => Class::Decade,
            "filler" => Class::Filler,
            "durpre" => Class::DurPre,
            "freqpre" => Class::FreqPre,
            "freqart" => Class::FreqArt,
            "datepre" => Class::DatePre,
            "barepre" => Class::BarePre,
            "spanafter" => Class::SpanAfter,
            "anarel" => Class::AnaRel,
            "durnext" => Class::DurNext,
            _ => return None,
        })
    }
}

/// Tense of a clause, as far as its cues tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tense {
    Past,
    Future,
    None,
    /// An auxiliary: the participle after it is no tense cue.
    Aux,
    /// A determiner: the participle after it is an adjective ("a planned
    /// trip"), no tense cue.
    Det,
    /// An infinitive marker ("to" before a verb): an expression after it
    /// belongs to the infinitive, whose time follows a past verb before it
    /// ("agreed to hold talks in June"): that verb is no cue of the past.
    Inf,
}

/// Kind of a number word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NumKind {
    Card,
    Ord,
    Mult,
    Article,
    Half,
}

/// A phrase of time_words.tsv, tokenized like documents.
#[derive(Debug, Clone)]
pub(crate) struct Phrase {
    pub words: Vec<String>,
    pub class: Class,
    pub value: String,
}

/// What the tables say about one lower-case word.
#[derive(Debug, Clone, Default)]
pub(crate) struct WordEntry {
    /// (month, a spelling with a period exists)
    pub month: Option<(u32, bool)>,
    pub weekday: Option<(u32, bool)>,
    /// "mondays"
    pub weekday_plural: Option<(u32, bool)>,
    pub number: Option<(f64, NumKind)>,
    /// The tense of time_tense.tsv this word signals.
    pub tense: Option<Tense>,
    /// The word is the first of a pair of time_tense.tsv ("next to").
    pub pair_first: bool,
    /// The single-word phrases of time_words.tsv that are this word: the
    /// first of each class (class, value), and the set of their classes.
    pub singles: Vec<(Class, String)>,
    pub single_classes: u32,
    /// Phrases of time_words.tsv of several words starting with this word,
    /// in file order.
    pub multis: Vec<Phrase>,
    /// [`crate::lexicon::word_hash`] of the second word of each of `multis`,
    /// sorted: a token not followed by one starts none of them.
    pub seconds: Vec<u64>,
    /// What the scanner tests of the word, as bits ([`bits`]).
    pub bits: u32,
    /// The scanner's flags of a token of this word alone (no number, no
    /// phrase of several words starting there): see
    /// [`super::scan::Scanner::word_flags`].
    pub tok_flags: u16,
}

/// Bits of [`WordEntry::bits`].
pub(crate) mod bits {
    /// An expression may start at this word whatever follows: a month,
    /// weekday or number word, or "the" or an apostrophe ("the '80s").
    pub const OPENS: u32 = 1;
    pub const MONTH: u32 = 1 << 1;
    /// A weekday or weekdays ("Mondays").
    pub const WEEKDAY: u32 = 1 << 2;
    /// Number words by kind.
    pub const CARD: u32 = 1 << 3;
    pub const ORD: u32 = 1 << 4;
    pub const ARTICLE: u32 = 1 << 5;
    /// The words the scanner's rules name.
    pub const THE: u32 = 1 << 6;
    pub const APOSTROPHE: u32 = 1 << 7;
    pub const HALF: u32 = 1 << 8;
    pub const YEAR: u32 = 1 << 9;
    pub const LAST: u32 = 1 << 10;
    pub const QUARTER: u32 = 1 << 11;
    pub const FULL: u32 = 1 << 12;
    pub const COMPARABLE: u32 = 1 << 13;
    /// The word has an ASCII digit.
    pub const DIGIT: u32 = 1 << 14;
    /// "a" or "an".
    pub const A: u32 = 1 << 15;
    /// time_tense.tsv gives the word a tense ([`super::WordEntry::tense`]).
    pub const TENSE: u32 = 1 << 16;
    /// The words of the bits above.
    pub const NAMED: [(&str, u32); 12] = [
        ("the", THE | OPENS),
        ("'", APOSTROPHE | OPENS),
        ("’", APOSTROPHE | OPENS),
        ("half", HALF),
        ("year", YEAR),
        ("last", LAST),
        ("quarter", QUARTER),
        ("full", FULL),
        ("comparable", COMPARABLE),
        ("corresponding", COMPARABLE),
        ("a", A),
        ("an", A),
    ];
}

/// Lower-case words and their entries, looked up by the hash the document
/// keeps for every token ([`crate::lexicon::word_hash`]) with open
/// addressing: a token in no list (most of them) costs one probe.
#[derive(Debug, Clone)]
pub(crate) struct WordIndex {
    /// One bit per bucket of hashes ([`FILTER_BITS`] of them, by bits 32
    /// and up of the hash), set for the buckets of the words listed: a word
    /// whose bit is clear (most words of a text) is in no list, learnt from
    /// a table of 2 KB that stays in the cache (`slots` is 32 KB).
    filter: Box<[u64; FILTER_BITS / 64]>,
    /// (hash, index in `words` + 1), 0 for an empty slot; a power of two
    /// long, at most a quarter full.
    slots: Vec<(u64, u32)>,
    words: Vec<(Box<str>, WordEntry)>,
    /// Per word of `words`: [`crate::document::word8_of`] (compared with
    /// a token's [`crate::document::Lowered::word8`]).
    shorts: Vec<Option<(u64, usize)>>,
}

/// Bits of [`WordIndex::filter`].
const FILTER_BITS: usize = 1 << 14;
/// Words of [`WordIndex::filter`].
pub(crate) const FILTER_WORDS: usize = FILTER_BITS / 64;

/// The bit of [`WordIndex::filter`] of a hash: (word, mask).
#[inline]
pub(crate) fn filter_bit(h: u64) -> (usize, u64) {
    let b = (h >> 32) as usize & (FILTER_BITS - 1);
    (b >> 6, 1 << (b & 63))
}

impl WordIndex {
    fn new(words: Vec<(String, WordEntry)>) -> WordIndex {
        let len = (words.len() * 4).next_power_of_two().max(16);
        let mut slots = vec![(0u64, 0u32); len];
        let mut filter = Box::new([0u64; FILTER_BITS / 64]);
        for (k, (w, _)) in words.iter().enumerate() {
            let h = crate::lexicon::word_hash(w);
            let (fw, fm) = filter_bit(h);
            filter[fw] |= fm;
            let mut s = h as usize & (len - 1);
            while slots[s].1 != 0 {
                s = (s + 1) & (len - 1);
            }
            slots[s] = (h, k as u32 + 1);
        }
        WordIndex {
            filter,
            slots,
            shorts: words
                .iter()
                .map(|(w, _)| crate::document::word8_of(w))
                .collect(),
            words: words
                .into_iter()
                .map(|(w, e)| (w.into_boxed_str(), e))
                .collect(),
        }
    }

    /// The entry of the word whose [`crate::lexicon::word_hash`] is `h`;
    /// `word` gives the word, asked only when an entry has that hash (the
    /// reference for [`WordIndex::get_token`]).
    #[cfg(test)]
    pub fn get_hashed<'w>(&self, h: u64, word: impl Fn() -> &'w str) -> Option<&WordEntry> {
        let (fw, fm) = filter_bit(h);
        if self.filter[fw] & fm == 0 {
            return None;
        }
        self.probe(h, word)
    }

    /// The entry of token `i` of `low` whose hash is `h` (the filter
    /// passed already, see [`WordIndex::may_list`]): [`WordIndex::get_hashed`]
    /// with a word of eight bytes or fewer compared as one integer.
    #[inline]
    pub fn get_token(
        &self,
        h: u64,
        low: &crate::document::Lowered,
        i: usize,
    ) -> Option<&WordEntry> {
        let mask = self.slots.len() - 1;
        let mut s = h as usize & mask;
        loop {
            let (sh, k) = self.slots[s];
            if k == 0 {
                return None;
            }
            if sh == h {
                let k = k as usize - 1;
                let same = match self.shorts[k] {
                    Some(x) => low.word8(i) == Some(x),
                    None => *self.words[k].0 == *low.get(i),
                };
                if same {
                    return Some(&self.words[k].1);
                }
            }
            s = (s + 1) & mask;
        }
    }

    /// The filter of [`WordIndex::may_list`], as an array: a word whose
    /// hash `h` has its bit ([`filter_bit`]) clear is listed nowhere.
    #[inline]
    pub fn filter(&self) -> &[u64; FILTER_WORDS] {
        &self.filter
    }

    /// Whether a word whose hash is `h` may be listed (false for most words
    /// of a text): the filter of [`WordIndex::get_hashed`].
    #[inline]
    pub fn may_list(&self, h: u64) -> bool {
        let (fw, fm) = filter_bit(h);
        self.filter[fw] & fm != 0
    }

    /// [`WordIndex::get_hashed`] without the filter: the slots only.
    #[cfg(test)]
    fn probe<'w>(&self, h: u64, word: impl Fn() -> &'w str) -> Option<&WordEntry> {
        let mask = self.slots.len() - 1;
        let mut s = h as usize & mask;
        loop {
            let (sh, k) = self.slots[s];
            if k == 0 {
                return None;
            }
            if sh == h {
                let (w, e) = &self.words[k as usize - 1];
                if **w == *word() {
                    return Some(e);
                }
            }
            s = (s + 1) & mask;
        }
    }

    /// The entry of a lower-case word.
    #[cfg(test)]
    pub fn get(&self, word: &str) -> Option<&WordEntry> {
        self.get_hashed(crate::lexicon::word_hash(word), || word)
    }

    /// The entry of a lower-case word, read from the slots alone (the
    /// reference for the filter of [`WordIndex::get_hashed`]).
    #[cfg(test)]
    pub fn get_unfiltered(&self, word: &str) -> Option<&WordEntry> {
        self.probe(crate::lexicon::word_hash(word), || word)
    }

    /// Word `k` of the filter.
    #[cfg(test)]
    pub fn filter_word(&self, k: usize) -> u64 {
        self.filter[k]
    }

    /// The words listed.
    #[cfg(test)]
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.words.iter().map(|(w, _)| &**w)
    }
}

/// All word lists of the tagger, compiled.
#[derive(Debug, Clone)]
pub(crate) struct TimeLex {
    /// Everything known about a lower-case word, in one table.
    pub words: WordIndex,
    pub tense_words: HashMap<String, Tense>,
    pub tense_suffixes: Vec<(String, Tense)>,
    /// Word pairs whose first word signals the tense given instead of its
    /// own ("next to": none; "set to": future); every first word is a row
    /// of `tense_words` too.
    pub tense_pairs: Vec<(String, String, Tense)>,
    /// Every key of `tense_words` is its own lower case, so a word that
    /// lower-casing changes is none of them.
    pub tense_keys_lower: bool,
    /// The tense of the empty word (no word before the sentence's first).
    pub tense_empty: Option<Tense>,
    /// The words of `tense_words` with an apostrophe ("won't", "'ll").
    pub apostrophe_words: Vec<(String, Tense)>,
    /// The last bytes of `tense_suffixes`, as a set (a bit per byte).
    pub suffix_ends: [u64; 4],
    /// The length of the shortest word a suffix rule reads (a word must
    /// be longer than its suffix by three bytes or more).
    pub suffix_min_len: usize,
}

/// The tense of a table word after an auxiliary: a past participle there
/// is passive ("will be held", "is said"), no cue of the past; a future
/// cue stays one ("is expected", "are due").
#[inline]
fn after_aux(t: Tense, aux: bool) -> Tense {
    if aux && t == Tense::Past {
        Tense::None
    } else {
        t
    }
}

fn name_key(name: &str) -> (String, bool) {
    let lower = name.to_lowercase();
    match lower.strip_suffix('.') {
        Some(s) => (s.to_string(), true),
        None => (lower, false),
    }
}

impl TimeLex {
    pub fn new(lex: &Lexicon) -> Result<TimeLex, DataError> {
        let mut phrases: HashMap<String, Vec<Phrase>> = HashMap::default();
        for (row, f) in lex.rows("time_words", &["phrase", "class", "value"])? {
            let class = Class::parse(&f[1])
                .ok_or_else(|| row.error(format!("unknown class '{}'", f[1])))?;
            if f[0].is_empty() {
                return Err(row.error("empty phrase"));
            }
            let words: Vec<String> = crate::document::tokenize(&f[0])
                .iter()
                .map(|t| f[0][t.span.start..t.span.end].to_lowercase())
                .collect();
            if let Some(first) = words.first().cloned() {
                phrases.entry(first).or_default().push(Phrase {
                    words,
                    class,
                    value: f[2].clone(),
                });
            }
        }
        let mut months = HashMap::default();
        for (name, m) in crate::lexicon::month_names(lex)? {
            let (key, abbr) = name_key(&name);
            // the flag: a spelling with a period exists ("Sept.")
            let e = months.entry(key).or_insert((m, abbr));
            e.1 |= abbr;
        }
        let mut weekdays = HashMap::default();
        for (name, d) in crate::lexicon::weekday_names(lex)? {
            let (key, abbr) = name_key(&name);
            let e = weekdays.entry(key).or_insert((d, abbr));
            e.1 |= abbr;
        }
        let mut numbers = HashMap::default();
        for (row, f) in lex.rows("time_numbers", &["word", "value", "kind"])? {
            let v: f64 = f[1]
                .parse()
                .map_err(|_| row.error(format!("bad number '{}'", f[1])))?;
            let kind = match f[2].as_str() {
                "card" => NumKind::Card,
                "ord" => NumKind::Ord,
                "mult" => NumKind::Mult,
                "article" => NumKind::Article,
                "half" => NumKind::Half,
                k => return Err(row.error(format!("unknown number kind '{k}'"))),
            };
            numbers.insert(f[0].to_lowercase(), (v, kind));
        }
        let mut tense_words = HashMap::default();
        let mut tense_suffixes = Vec::new();
        let mut tense_pairs = Vec::new();
        for (row, f) in lex.rows("time_tense", &["word", "tense"])? {
            let t = match f[1].as_str() {
                "past" => Tense::Past,
                "future" => Tense::Future,
                "none" => Tense::None,
                "aux" => Tense::Aux,
                "det" => Tense::Det,
                "inf" => Tense::Inf,
                k => return Err(row.error(format!("unknown tense '{k}'"))),
            };
            if let Some((a, b)) = f[0].split_once(' ') {
                if a.is_empty() || b.is_empty() || b.contains(' ') {
                    return Err(row.error(format!("bad word pair '{}'", f[0])));
                }
                tense_pairs.push((a.to_lowercase(), b.to_lowercase(), t));
                continue;
            }
            match f[0].strip_prefix('-') {
                Some(suffix) if !suffix.is_empty() => {
                    tense_suffixes.push((suffix.to_lowercase(), t))
                }
                _ => {
                    tense_words.insert(f[0].to_lowercase(), t);
                }
            }
        }
        // the first word of a pair is a table word (a token the word table
        // gives no tense is no cue, and its pairs are never asked about),
        // with the tense the suffix rules give it ("postponed": past)
        for (a, _, _) in &tense_pairs {
            if !tense_words.contains_key(a) {
                let t = suffix_rule(&tense_suffixes, a);
                tense_words.insert(a.clone(), t);
            }
        }
        let mut words: FxMap<String, WordEntry> = FxMap::default();
        for (w, ps) in phrases {
            let e = words.entry(w).or_default();
            for p in ps {
                if p.words.len() > 1 {
                    e.seconds.push(crate::lexicon::word_hash(&p.words[1]));
                    e.multis.push(p);
                } else if e.single_classes & p.class.bit() == 0 {
                    e.single_classes |= p.class.bit();
                    e.singles.push((p.class, p.value));
                }
            }
            e.seconds.sort_unstable();
            e.seconds.dedup();
        }
        for (w, m) in &months {
            words.entry(w.clone()).or_default().month = Some(*m);
        }
        for (w, d) in &weekdays {
            words.entry(w.clone()).or_default().weekday = Some(*d);
            words.entry(format!("{w}s")).or_default().weekday_plural = Some(*d);
        }
        for (w, n) in &numbers {
            words.entry(w.clone()).or_default().number = Some(*n);
        }
        for (w, t) in &tense_words {
            words.entry(w.clone()).or_default().tense = Some(*t);
        }
        for (a, _, _) in &tense_pairs {
            words.entry(a.clone()).or_default().pair_first = true;
        }
        for e in words.values_mut() {
            let flag = |b: bool, bit: u32| if b { bit } else { 0 };
            e.bits = flag(e.month.is_some(), bits::MONTH)
                | flag(
                    e.weekday.is_some() || e.weekday_plural.is_some(),
                    bits::WEEKDAY,
                )
                | match e.number {
                    Some((_, NumKind::Card)) => bits::CARD,
                    Some((_, NumKind::Ord)) => bits::ORD,
                    Some((_, NumKind::Article)) => bits::ARTICLE,
                    _ => 0,
                };
            if e.bits != 0 || e.number.is_some() {
                e.bits |= bits::OPENS;
            }
        }
        for (w, e) in words.iter_mut() {
            if w.bytes().any(|b| b.is_ascii_digit()) {
                e.bits |= bits::DIGIT;
            }
            if e.tense.is_some() {
                e.bits |= bits::TENSE;
            }
        }
        for (w, b) in bits::NAMED {
            words.entry(w.to_string()).or_default().bits |= b;
        }
        for e in words.values_mut() {
            e.tok_flags = super::scan::Scanner::word_flags(e);
        }
        let tense_keys_lower = tense_words.keys().all(|k| k.to_lowercase() == *k);
        let tense_empty = tense_words.get("").copied();
        let suffix_min_len = tense_suffixes
            .iter()
            .map(|(suf, _)| suf.len() + 3)
            .min()
            .unwrap_or(usize::MAX);
        let mut suffix_ends = [0u64; 4];
        for (suf, _) in &tense_suffixes {
            if let Some(&b) = suf.as_bytes().last() {
                suffix_ends[b as usize >> 6] |= 1 << (b & 63);
            }
        }
        let apostrophe_words = tense_words
            .iter()
            .filter(|(w, _)| w.contains('\''))
            .map(|(w, t)| (w.clone(), *t))
            .collect();
        Ok(TimeLex {
            words: WordIndex::new(words.into_iter().collect()),
            tense_words,
            tense_suffixes,
            tense_pairs,
            tense_keys_lower,
            tense_empty,
            apostrophe_words,
            suffix_ends,
            suffix_min_len,
        })
    }

    /// The tense the table gives the word `a` + "'" + `b` ("won" "t").
    pub fn tense_joined(&self, a: &str, b: &str) -> Option<Tense> {
        self.apostrophe_words
            .iter()
            .find(|(w, _)| {
                w.len() == a.len() + 1 + b.len()
                    && w.starts_with(a)
                    && w.as_bytes()[a.len()] == b'\''
                    && w.ends_with(b)
            })
            .map(|x| x.1)
    }

    /// The tense a word signals; `prev` is the (lower-case) word before it.
    /// Suffix rules apply to lower-case words not right after an auxiliary.
    /// (The reference [`TimeLex::tense_of_token`] and
    /// [`TimeLex::tense_joined`] are tested against.)
    #[cfg(test)]
    pub fn tense_of(&self, word: &str, prev: &str) -> Tense {
        self.tense_of_lowered(word, &word.to_lowercase(), prev)
    }

    /// [`TimeLex::tense_of`] with the lower-case form of `word` given.
    #[cfg(test)]
    pub fn tense_of_lowered(&self, word: &str, lower: &str, prev: &str) -> Tense {
        if self.tense_words.get(prev) == Some(&Tense::Det) {
            return Tense::None;
        }
        let aux = self.tense_words.get(prev) == Some(&Tense::Aux);
        if let Some(t) = self.tense_words.get(word) {
            return after_aux(*t, aux);
        }
        if lower != word {
            let t = self.tense_words.get(lower).copied().unwrap_or(Tense::None);
            return after_aux(t, aux);
        }
        if aux {
            return Tense::None;
        }
        self.suffix_tense(word)
    }

    /// [`TimeLex::tense_of_lowered`] of a document token: `lower` its
    /// lower-case text, `word` its text (asked only when a suffix rule
    /// applies to `lower`), with the tenses the table gives `lower` (`own`)
    /// and the word before it (`prev`) looked up already.
    pub fn tense_of_token<'w>(
        &self,
        word: impl FnOnce() -> &'w str,
        lower: &str,
        own: Option<Tense>,
        prev: Option<Tense>,
    ) -> Tense {
        if prev == Some(Tense::Det) {
            return Tense::None;
        }
        let aux = prev == Some(Tense::Aux);
        if !self.tense_keys_lower {
            let word = word();
            if let Some(t) = self.tense_words.get(word) {
                return after_aux(*t, aux);
            }
            if lower != word {
                return after_aux(own.unwrap_or(Tense::None), aux);
            }
            return match own {
                Some(t) => after_aux(t, aux),
                None if prev == Some(Tense::Aux) => Tense::None,
                None => self.suffix_tense(word),
            };
        }
        // a word that lower-casing changes is no key: the word's tense is
        // its lower case's, and the suffix rules read unchanged words only
        if let Some(t) = own {
            return after_aux(t, aux);
        }
        if aux {
            return Tense::None;
        }
        match self.suffix_tense(lower) {
            Tense::None => Tense::None,
            t if word() == lower => t,
            _ => Tense::None,
        }
    }

    /// The tense a pair of lower-case words gives its first word, when the
    /// table lists the pair ("next to").
    pub fn tense_pair(&self, a: &str, b: &str) -> Option<Tense> {
        self.tense_pairs
            .iter()
            .find(|(x, y, _)| x == a && y == b)
            .map(|p| p.2)
    }

    /// Whether a suffix rule may apply to the lower-case word `w`: it ends
    /// in the last byte of a suffix and is long enough for one (what
    /// [`TimeLex::suffix_tense`] tests first).
    #[inline]
    pub fn may_take_suffix(&self, w: &str) -> bool {
        w.len() >= self.suffix_min_len
            && w.as_bytes()
                .last()
                .is_some_and(|&b| self.suffix_ends[b as usize >> 6] & (1 << (b & 63)) != 0)
    }

    /// The tense the suffix rules give a lower-case word.
    fn suffix_tense(&self, word: &str) -> Tense {
        // a word ending in no suffix's last byte takes none
        if !self.may_take_suffix(word) {
            return Tense::None;
        }
        suffix_rule(&self.tense_suffixes, word)
    }
}

/// The tense the first suffix rule that fits gives a lower-case word.
fn suffix_rule(suffixes: &[(String, Tense)], word: &str) -> Tense {
    for (suf, t) in suffixes {
        if word.len() > suf.len() + 2
            && word.ends_with(suf.as_str())
            && word.chars().all(|c| c.is_alphabetic())
        {
            return *t;
        }
    }
    Tense::None
}
