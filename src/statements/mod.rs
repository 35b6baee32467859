//! The statements stage: direct quotes and reported speech with speaker,
//! addressee, cue and date.
//!
//! * [`quotes`] pairs the quote marks (one linear pass per paragraph);
//! * [`attribution`] finds each quote's speech cue ("said", "told",
//!   "according to" …) and speaker through the entity layer, carries
//!   speakers over to continuation quotes, and reads addressee and date;
//! * [`reported`] finds reported speech ("Xi said Monday he saw headway …").
//!
//! The words it relies on are data: `speech_verbs.tsv` (cues),
//! `statement_words.tsv` (grammar words around a cue), `audiences.txt`
//! (generic audiences) and `statement_cameo.tsv` (CAMEO refinements).

pub mod attribution;
pub mod quotes;
pub mod reported;
#[cfg(test)]
mod tests;

use crate::dates::Timex;
use crate::document::{Document, Span};
use crate::entities::EntityLayer;
use crate::lexicon::FxMap as HashMap;
use crate::lexicon::{DataError, Lexicon, PhraseSet};
use serde::Serialize;

/// One statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Statement {
    /// The quoted words without quote marks (direct), or the reported clause.
    pub span: Span,
    pub direct: bool,
    /// Speaker: index into [`EntityLayer::entities`].
    pub speaker: Option<usize>,
    /// The mention through which the speaker was found.
    pub speaker_span: Option<Span>,
    /// Addressee entity ("told Blinken").
    pub addressee: Option<usize>,
    /// A generic audience ("reporters").
    pub audience: Option<String>,
    /// The speech cue ("said", "told") and its lemma.
    pub cue: Option<Span>,
    pub cue_lemma: Option<String>,
    /// The sentence (or sentences) that carry the statement.
    pub evidence: Span,
    /// ISO date at the precision known ("2023-06-19").
    pub date: Option<String>,
    /// Parts of one utterance split by attribution share this number.
    pub utterance: usize,
    /// CAMEO code (010 make statement by default).
    pub cameo: String,
    /// Entities mentioned inside the statement.
    pub mentions: Vec<usize>,
}

/// What the cue table says about one speech verb.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueInfo {
    pub lemma: String,
    /// Takes the hearer as its object ("told Blinken").
    pub addressee: bool,
    /// Introduces reported speech ("said he would …").
    pub clause: bool,
    /// Introduces reported speech only through "that" ("replied that …",
    /// but "replied in kind").
    pub that_clause: bool,
    /// Also takes a noun object ("denied a report"): a reported clause
    /// without "that" opened by a noun phrase needs an auxiliary.
    pub object: bool,
    /// The CAMEO code of the lemma (`statement_cameo.tsv`, else 010),
    /// looked up once here rather than for every statement.
    pub cameo: String,
    /// A participle ("saying", "adding"): its subject is the clause's.
    pub participle: bool,
}

/// Grammar words read around a cue (see `statement_words.tsv`), each with
/// the bit set of its roles ([`Words::SKIP`] …), so that one lookup by the
/// hash the document keeps answers every role question about a token.
#[derive(Debug, Clone, Default)]
pub struct Words {
    roles: RoleTable,
}

/// The role words in an open-addressing table of one `u64` a slot: a
/// fingerprint of the word's hash with the role bits beside it, so that a
/// token that is no role word is mostly told by one slot read, and the word
/// itself is compared only when the fingerprint matches. The same answers
/// as a [`crate::lexicon::WordTable`] of the words (tested).
#[derive(Debug, Clone, Default)]
struct RoleTable {
    /// `fingerprint << 16 | roles`; 0 for an empty slot. At most half full.
    slots: Vec<u64>,
    /// The word of each used slot ("" for empty ones).
    words: Vec<Box<str>>,
    /// Per slot: [`crate::document::word8_of`] of its word (compared with
    /// a token's [`crate::document::Lowered::word8`]).
    shorts: Vec<Option<(u64, usize)>>,
    used: usize,
}

impl RoleTable {
    /// 48 bits of the word hash, never 0.
    #[inline]
    fn fingerprint(h: u64) -> u64 {
        (h >> 16) | (1 << 47)
    }

    /// The slot of `w` (hash `h`): where it is, or the empty one where it
    /// would go. The table must have an empty slot.
    #[inline]
    fn find(&self, h: u64, w: &str) -> usize {
        let mask = self.slots.len() - 1;
        let fp = Self::fingerprint(h);
        let mut i = h as usize & mask;
        loop {
            let s = self.slots[i];
            if s == 0 || (s >> 16 == fp && *self.words[i] == *w) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /// OR `role` into the roles of `w`.
    fn add(&mut self, w: &str, role: u16) {
        if (self.used + 1) * 2 > self.slots.len() {
            let n = (self.slots.len() * 2).max(64);
            let old: Vec<(Box<str>, u64)> = std::mem::take(&mut self.words)
                .into_iter()
                .zip(std::mem::take(&mut self.slots))
                .filter(|&(_, s)| s != 0)
                .collect();
            self.slots = vec![0; n];
            self.words = vec![Box::from(""); n];
            self.shorts = vec![None; n];
            for (w, s) in old {
                let i = self.find(crate::lexicon::word_hash(&w), &w);
                self.slots[i] = s;
                self.shorts[i] = crate::document::word8_of(&w);
                self.words[i] = w;
            }
        }
        let h = crate::lexicon::word_hash(w);
        let i = self.find(h, w);
        if self.slots[i] == 0 {
            self.used += 1;
            self.words[i] = w.into();
            self.shorts[i] = crate::document::word8_of(w);
            self.slots[i] = Self::fingerprint(h) << 16;
        }
        self.slots[i] |= u64::from(role);
    }

    /// The roles of token `t`'s lower-case text, 0 when it has none (or
    /// past the end).
    #[inline]
    fn of_token(&self, doc: &Document, t: usize) -> u16 {
        let Some(h) = doc.lowered.hash(t) else {
            return 0;
        };
        if self.slots.is_empty() {
            return 0;
        }
        let mask = self.slots.len() - 1;
        let fp = Self::fingerprint(h);
        let mut i = h as usize & mask;
        loop {
            let s = self.slots[i];
            if s == 0 {
                return 0;
            }
            if s >> 16 == fp
                && match self.shorts[i] {
                    Some(x) => doc.lowered.word8(t) == Some(x),
                    None => *self.words[i] == *doc.lower(t),
                }
            {
                return s as u16;
            }
            i = (i + 1) & mask;
        }
    }

    /// The roles of the lower-case word `w`, 0 when it has none.
    #[cfg(test)]
    fn get(&self, w: &str) -> u16 {
        if self.slots.is_empty() {
            return 0;
        }
        let s = self.slots[self.find(crate::lexicon::word_hash(w), w)];
        s as u16
    }
}

impl Words {
    /// May stand between a subject and its cue ("also", "has").
    pub const SKIP: u16 = 1;
    /// A preposition ("in", "by").
    pub const PREP: u16 = 1 << 1;
    /// A relative pronoun ("who").
    pub const RELATIVE: u16 = 1 << 2;
    /// Links a verb to an earlier subject ("and", "while").
    pub const LINK: u16 = 1 << 3;
    /// Introduces a reported clause ("that").
    pub const THAT: u16 = 1 << 4;
    /// Introduces the agent of a passive ("by").
    pub const AGENT: u16 = 1 << 5;
    /// A determiner ("a", "the").
    pub const DET: u16 = 1 << 6;
    /// A subject pronoun that opens a clause ("he", "they").
    pub const SUBJECT: u16 = 1 << 7;
    /// A weekday or month name (may stand between a speaker and the cue).
    pub const CALENDAR: u16 = 1 << 8;
    /// An auxiliary or copula ("had", "would"): a clause's verb.
    pub const AUX: u16 = 1 << 9;
    /// Speaks for the one named before it ("his spokesman").
    pub const VOICE: u16 = 1 << 10;
    /// A body or official of the state or organization named before it
    /// ("Egypt's foreign ministry", "a U.S. official").
    pub const BODY: u16 = 1 << 11;
    /// A question word ("whether", "who"): opens no reported clause.
    pub const WH: u16 = 1 << 12;
    /// A negation ("not", "never"): a negated cue makes no statement.
    pub const NEG: u16 = 1 << 13;

    /// Add `role` to the lower-case word `w`.
    fn add(&mut self, w: &str, role: u16) {
        self.roles.add(w, role);
    }

    /// The roles of token `t` of `doc` (0 for none or past the end).
    #[inline]
    pub fn of(&self, doc: &Document, t: usize) -> u16 {
        self.roles.of_token(doc, t)
    }
}

/// Compiled cue lists.
#[derive(Debug, Clone)]
pub struct StatementModel {
    pub(crate) cues: PhraseSet<CueInfo>,
    pub(crate) words: Words,
    pub(crate) audiences: PhraseSet<()>,
    pub(crate) channels: PhraseSet<()>,
    pub(crate) cameo: HashMap<String, String>,
    /// Pronoun → gender (m, f, n), read from `pronouns.tsv`.
    pub(crate) pronouns: HashMap<String, char>,
}

fn yes(s: &str, row: &crate::lexicon::Row, col: &str) -> Result<bool, DataError> {
    match s {
        "yes" => Ok(true),
        "no" | "" => Ok(false),
        _ => Err(row.error(format!("{col} must be yes or no, found '{s}'"))),
    }
}

impl StatementModel {
    pub fn new(lex: &Lexicon) -> Result<StatementModel, DataError> {
        let mut cameo = HashMap::default();
        for (row, f) in lex.rows("statement_cameo", &["lemma", "cameo"])? {
            if !(f[1].len() == 3
                && f[1].starts_with("01")
                && f[1].bytes().all(|b| b.is_ascii_digit()))
            {
                return Err(row.error(format!("cameo must be a 01x code, found '{}'", f[1])));
            }
            cameo.insert(f[0].clone(), f[1].clone());
        }
        let mut cues = PhraseSet::new();
        for (row, f) in lex.rows("speech_verbs", &["form", "lemma", "addressee", "clause"])? {
            let info = CueInfo {
                lemma: f[1].clone(),
                addressee: yes(&f[2], &row, "addressee")?,
                clause: f[3] == "object" || (f[3] != "that" && yes(&f[3], &row, "clause")?),
                that_clause: f[3] == "that",
                object: f[3] == "object",
                cameo: cameo
                    .get(&f[1])
                    .cloned()
                    .unwrap_or_else(|| "010".to_string()),
                participle: f[0].ends_with("ing"),
            };
            cues.insert(&f[0], info);
        }
        let mut words = Words::default();
        let mut channels = PhraseSet::new();
        for (row, f) in lex.rows("statement_words", &["word", "role"])? {
            let role = match f[1].as_str() {
                "skip" => Words::SKIP,
                "prep" => Words::PREP,
                "relative" => Words::RELATIVE,
                "link" => Words::LINK,
                "that" => Words::THAT,
                "agent" => Words::AGENT,
                "det" => Words::DET,
                "subject" => Words::SUBJECT,
                "aux" => Words::AUX,
                "voice" => Words::VOICE,
                "body" => Words::BODY,
                "wh" => Words::WH,
                "neg" => Words::NEG,
                "channel" => {
                    channels.insert(&f[0], ());
                    continue;
                }
                other => return Err(row.error(format!("unknown role '{other}'"))),
            };
            words.add(&f[0].to_lowercase(), role);
        }
        for stem in ["weekdays", "months"] {
            for (_, f) in lex.rows(stem, &["name"])? {
                words.add(&f[0].trim_end_matches('.').to_lowercase(), Words::CALENDAR);
            }
        }
        let mut audiences = PhraseSet::new();
        for a in lex.list("audiences") {
            audiences.insert(a, ());
        }
        let mut pronouns = HashMap::default();
        for (_, f) in lex.rows("pronouns", &["pronoun", "gender"])? {
            if let Some(g) = f[1].chars().next() {
                pronouns.insert(f[0].to_lowercase(), g);
            }
        }
        Ok(StatementModel {
            cues,
            words,
            audiences,
            channels,
            cameo,
            pronouns,
        })
    }

    /// Find every statement of `doc`, in text order.
    pub fn extract(&self, doc: &Document, ents: &EntityLayer, timexes: &[Timex]) -> Vec<Statement> {
        let quotes = quotes::find_quotes(doc);
        let ctx = attribution::Ctx::new(self, doc, ents, timexes, &quotes);
        let mut out = ctx.direct();
        let mut next_utterance = out.iter().map(|s| s.utterance + 1).max().unwrap_or(0);
        out.extend(reported::find(&ctx, &mut next_utterance));
        out.sort_by_key(|s| (s.span.start, s.span.end));
        out
    }

    /// The CAMEO code for a cue lemma (010 when none is listed).
    pub fn cameo_for(&self, lemma: Option<&str>) -> String {
        lemma
            .and_then(|l| self.cameo.get(l))
            .cloned()
            .unwrap_or_else(|| "010".to_string())
    }
}

#[cfg(test)]
mod role_table_tests {
    use super::RoleTable;
    use crate::lexicon::WordTable;

    #[test]
    fn role_table_answers_as_a_word_table() {
        let lex = Lexicon::embedded().unwrap();
        let model = crate::document::DocumentModel::new(&lex).unwrap();
        // many words (the table grows several times), repeated with more roles
        let mut words: Vec<String> = [
            "the", "a", "he", "she", "said", "by", "in", "that", "who", "and", "monday", "é",
            "über",
        ]
        .iter()
        .map(|w| w.to_string())
        .collect();
        for k in 0..700 {
            words.push(format!("w{k}"));
        }
        let mut fast = RoleTable::default();
        let mut slow: WordTable<u16> = WordTable::default();
        for (k, w) in words
            .iter()
            .enumerate()
            .chain(words.iter().enumerate().step_by(3))
        {
            let role = 1u16 << (k % 9);
            fast.add(w, role);
            let had = slow.get(w).copied().unwrap_or(0);
            slow.insert(w, had | role);
        }
        let text = format!(
            "The minister, who said in Rome that he and She met by Monday, told THE É über w1 W699 w700 x w7. {}",
            words.join(" ")
        );
        let doc = model.parse("t", text, None);
        for t in 0..doc.tokens.len() + 2 {
            let want = slow.get_token(&doc, t).copied().unwrap_or(0);
            assert_eq!(fast.of_token(&doc, t), want, "token {t} {:?}", doc.lower(t));
        }
        for w in words
            .iter()
            .map(String::as_str)
            .chain(["", "x", "w700", "thee"])
        {
            assert_eq!(fast.get(w), slow.get(w).copied().unwrap_or(0), "{w:?}");
        }
        assert!(RoleTable::default().of_token(&doc, 0) == 0);
    }

    use crate::lexicon::Lexicon;
}
