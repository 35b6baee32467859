//! The tagger's word lists, read from `gazetteer/lexicon/`: months.tsv,
//! weekdays.tsv, time_words.tsv, time_numbers.tsv and time_tense.tsv.

use crate::lexicon::FxMap as HashMap;
use crate::lexicon::{DataError, FxMap, Lexicon, WordTable};

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
}

impl Class {
    fn parse(s: &str) -> Option<Class> {
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
    /// Phrases of time_words.tsv starting with this word.
    pub phrases: Vec<Phrase>,
}

/// All word lists of the tagger, compiled.
#[derive(Debug, Clone)]
pub(crate) struct TimeLex {
    /// Everything known about a lower-case word, in one table.
    pub words: WordTable<WordEntry>,
    pub tense_words: HashMap<String, Tense>,
    pub tense_suffixes: Vec<(String, Tense)>,
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
        for (row, f) in lex.rows("time_tense", &["word", "tense"])? {
            let t = match f[1].as_str() {
                "past" => Tense::Past,
                "future" => Tense::Future,
                "none" => Tense::None,
                "aux" => Tense::Aux,
                "det" => Tense::Det,
                k => return Err(row.error(format!("unknown tense '{k}'"))),
            };
            match f[0].strip_prefix('-') {
                Some(suffix) if !suffix.is_empty() => {
                    tense_suffixes.push((suffix.to_lowercase(), t))
                }
                _ => {
                    tense_words.insert(f[0].to_lowercase(), t);
                }
            }
        }
        let mut words: FxMap<String, WordEntry> = FxMap::default();
        for (w, ps) in phrases {
            words.entry(w).or_default().phrases = ps;
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
        Ok(TimeLex {
            words: words.into_iter().collect(),
            tense_words,
            tense_suffixes,
        })
    }

    /// The tense a word signals; `prev` is the (lower-case) word before it.
    /// Suffix rules apply to lower-case words not right after an auxiliary.
    pub fn tense_of(&self, word: &str, prev: &str) -> Tense {
        self.tense_of_lowered(word, &word.to_lowercase(), prev)
    }

    /// [`TimeLex::tense_of`] with the lower-case form of `word` given.
    pub fn tense_of_lowered(&self, word: &str, lower: &str, prev: &str) -> Tense {
        if self.tense_words.get(prev) == Some(&Tense::Det) {
            return Tense::None;
        }
        if let Some(t) = self.tense_words.get(word) {
            return *t;
        }
        if lower != word {
            return self.tense_words.get(lower).copied().unwrap_or(Tense::None);
        }
        if self.tense_words.get(prev) == Some(&Tense::Aux) {
            return Tense::None;
        }
        for (suf, t) in &self.tense_suffixes {
            if word.len() > suf.len() + 2
                && word.ends_with(suf.as_str())
                && word.chars().all(|c| c.is_alphabetic())
            {
                return *t;
            }
        }
        Tense::None
    }
}
