//! The compiled entity model and the driver of the entity stage.

use super::{coref, infer, DocEntity, EntityLayer, How, Mention, Shared};
use crate::document::{Document, Span, TokenKind};
use crate::gazetteer::matcher::AliasKind;
use crate::gazetteer::{EntityKind, Gazetteer, Matcher, Source, Target};
use crate::lexicon::FxMap as HashMap;
use crate::lexicon::{DataError, FxSet, Lexicon, PhraseSet, WordTable};

/// A title that can stand before a name (titles.tsv).
#[derive(Clone, Debug)]
pub struct TitleInfo {
    pub role: Option<String>,
    pub gender: Option<char>,
    /// honorific, office or position
    pub kind: String,
}

/// A role description (roles.tsv).
#[derive(Clone, Debug)]
pub struct RoleInfo {
    pub role: Option<String>,
    pub gender: Option<char>,
}

/// Everything the entity stage needs, compiled once.
#[derive(Debug, Clone)]
pub struct EntityModel {
    pub gazetteer: Gazetteer,
    pub matcher: Matcher,
    pub titles: PhraseSet<TitleInfo>,
    pub roles: PhraseSet<RoleInfo>,
    /// Plural forms of the roles that name an office ("foreign ministers",
    /// "heads of state"), made by [`plural_phrase`].
    pub plural_roles: PhraseSet<RoleInfo>,
    pub pronouns: WordTable<char>,
    pub common: FxSet<String>,
    pub months: FxSet<String>,
    pub speech: PhraseSet<String>,
    pub org_prefix: PhraseSet<()>,
    pub org_suffix: FxSet<String>,
    /// Last words of place names ("Base", "Square").
    pub place_suffix: FxSet<String>,
    pub locatives: PhraseSet<()>,
    /// Nouns for people ("aide", "counterpart").
    pub person_nouns: PhraseSet<()>,
    /// Lowercase words allowed inside names ("bin", "da", "arap").
    pub particles: FxSet<String>,
    /// "I'm", "my name is" …
    pub name_intros: PhraseSet<()>,
    /// Full month and weekday names (not abbreviations: "Jan" is also a name).
    pub full_months: FxSet<String>,
    /// Words between "the" and a role ("top", "visiting").
    pub role_modifiers: FxSet<String>,
    /// A state's institutions ("foreign ministry", "government").
    pub state_bodies: PhraseSet<()>,
    /// Words before a month name that make it a date ("in May").
    pub month_context: FxSet<String>,
    /// short form → gazetteer person indices
    pub shorts: HashMap<String, Vec<usize>>,
    /// Agency credits a dateline gives in parentheses ("(PTI)") → the
    /// gazetteer's news organization of that credit (attribute `credit`),
    /// which wins there over another entity of the same alias.
    pub credits: HashMap<String, usize>,
    /// Given names that tell a gender ("Lina" → 'f'): the gender of an
    /// inferred person with no title that tells it.
    pub given_names: HashMap<String, char>,
    /// One bit per [`crate::lexicon::word_hash`] of a short form in lower
    /// case: a token whose hash has its bit clear is no short form (see
    /// [`EntityModel::may_be_short`]).
    short_filter: Vec<u64>,
    /// What each word of the tables above is, by its lower-case form: the
    /// token flags of [`Builder`] are looked up here once per token.
    pub(super) words: WordIndex,
    /// Per gazetteer entity, made when a document first names it: the
    /// aliases and attributes its doc entities share (see [`GazShared`]).
    gaz_shared: Vec<std::sync::OnceLock<GazShared>>,
}

/// What the doc entities of one gazetteer entity share: its aliases
/// followed by its short forms, and its attributes.
#[derive(Clone, Debug)]
struct GazShared {
    aliases: Shared<Vec<String>>,
    attrs: Shared<std::collections::BTreeMap<String, String>>,
    gender: Option<char>,
}

impl GazShared {
    fn of(e: &crate::gazetteer::Entity) -> GazShared {
        let shorts = e.attr_list("short");
        let mut aliases = Vec::with_capacity(e.aliases.len() + shorts.len());
        aliases.extend_from_slice(&e.aliases);
        aliases.extend(shorts.iter().map(|s| s.to_string()));
        GazShared {
            aliases: Shared::new(aliases),
            attrs: Shared::new(e.attrs.clone()),
            gender: e.gender(),
        }
    }
}

/// Word classes by the [`crate::lexicon::word_hash`] of the lower-case word,
/// which a document keeps for every token. A 1 KB filter (one bit per
/// word) turns most words of a text away without a probe; the others
/// probe an open-addressing table of 32-byte slots holding the full hash,
/// the word itself (up to 16 bytes) and its bits, so that an ASCII token
/// is confirmed in one cache line, eight bytes at a time. Anything else
/// (longer or non-ASCII words, other written forms) asks the map of the
/// words as built.
#[derive(Clone, Debug)]
pub(super) struct WordIndex {
    /// A power of two long, at most half full; a hash's first slot is its
    /// top bits.
    slots: Vec<Slot>,
    shift: u32,
    /// One bit per [`filter_bit`] of a word's hash: a word whose bit is
    /// clear is in no table (most words of a text).
    filter: Box<[u64; FILTER_WORDS]>,
    /// The words and their classes (the slow path, and the reference).
    classes: HashMap<String, WordClass>,
}

/// One slot of a [`WordIndex`].
#[derive(Clone, Copy, Debug, Default)]
#[repr(C, align(32))]
struct Slot {
    hash: u64,
    /// The lower-case word, zero-padded, as two little-endian words (when
    /// at most 16 bytes long).
    word: [u64; 2],
    /// 0 for an empty slot, else [`FULL`] | the class bits of the word |
    /// [`OTHER_FORMS`] | the bits of the written form equal to the word
    /// (`<< SAME_SHIFT`) | those of the form with a capital first letter
    /// (`<< TITLE_SHIFT`) | the word's length (`<< LEN_SHIFT`).
    info: u64,
}

const FULL: u64 = 1 << 63;
/// The class bits of a slot (below [`OTHER_FORMS`]).
const CLASS_BITS: u64 = (1 << 23) - 1;
/// The word has written forms the slot does not hold, or is longer than
/// sixteen bytes: the map decides.
const OTHER_FORMS: u64 = 1 << 23;
/// The bits a written form may have (those of the case-sensitive sets).
const FORM_BITS: u32 = 0x7f;
const SAME_SHIFT: u32 = 24;
const TITLE_SHIFT: u32 = 32;
const LEN_SHIFT: u32 = 40;
/// The word starts with an ASCII lower-case letter (its form with a
/// capital first letter differs in bit 5 of the first byte alone).
const TITLED: u64 = 1 << 48;

/// Size of the [`WordIndex`] filter in 64-bit words (1 KB: in cache).
const FILTER_WORDS: usize = 128;

/// The word and bit of a hash in the [`WordIndex`] filter (bits of the
/// hash the slot is not taken from).
#[inline(always)]
fn filter_bit(hash: u64) -> (usize, u64) {
    (
        (hash >> 32) as usize % FILTER_WORDS,
        1 << ((hash >> 48) & 63),
    )
}

/// The `len` (at most 16) bytes of `text` from `start`, as two
/// little-endian words, zero-padded: None unless they are ASCII and
/// sixteen bytes can be read there.
#[inline(always)]
fn ascii16(text: &[u8], start: usize, len: usize) -> Option<[u64; 2]> {
    use crate::document::LOW_BYTES;
    let b = text.get(start..start.checked_add(16)?)?;
    let lo = u64::from_le_bytes(b[..8].try_into().ok()?);
    let hi = u64::from_le_bytes(b[8..].try_into().ok()?);
    let (lo, hi) = if len <= 8 {
        (lo & LOW_BYTES[len.min(8)], 0)
    } else {
        (lo, hi & LOW_BYTES[len.min(16) - 8])
    };
    if (lo | hi) & 0x8080_8080_8080_8080 != 0 {
        return None;
    }
    Some([lo, hi])
}

impl WordIndex {
    fn new(words: HashMap<String, WordClass>) -> WordIndex {
        let len = (words.len() * 2).next_power_of_two().max(8);
        let mut ix = WordIndex {
            slots: vec![Slot::default(); len],
            shift: 64 - len.trailing_zeros(),
            filter: Box::new([0; FILTER_WORDS]),
            classes: HashMap::default(),
        };
        let mut sorted: Vec<_> = words.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(b.0));
        for (w, c) in sorted {
            let h = crate::lexicon::word_hash(w);
            let (fw, fb) = filter_bit(h);
            ix.filter[fw] |= fb;
            let mut s = (h >> ix.shift) as usize;
            while ix.slots[s].info != 0 {
                s = (s + 1) & (len - 1);
            }
            let mut info = FULL | (w.len().min(255) as u64) << LEN_SHIFT;
            if u64::from(c.lower) & !CLASS_BITS != 0 || w.len() > 16 {
                info |= OTHER_FORMS;
            }
            info |= u64::from(c.lower) & CLASS_BITS;
            let mut bytes = [0; 16];
            let n = w.len().min(16);
            bytes[..n].copy_from_slice(&w.as_bytes()[..n]);
            let word = [
                u64::from_le_bytes(bytes[..8].try_into().unwrap_or_default()),
                u64::from_le_bytes(bytes[8..].try_into().unwrap_or_default()),
            ];
            // the word with its first letter in capitals ("the" → "The")
            let title = w.as_bytes().first().is_some_and(u8::is_ascii_lowercase);
            if title {
                info |= TITLED;
            }
            for (form, b) in &c.exact {
                let same = **form == **w;
                let titled = title
                    && form.len() == w.len()
                    && form.as_bytes()[0] == w.as_bytes()[0].to_ascii_uppercase()
                    && form.as_bytes()[1..] == w.as_bytes()[1..];
                if b & !FORM_BITS != 0 || !(same || titled) {
                    info |= OTHER_FORMS;
                } else if same {
                    info |= u64::from(*b) << SAME_SHIFT;
                } else {
                    info |= u64::from(*b) << TITLE_SHIFT;
                }
            }
            ix.slots[s] = Slot {
                hash: h,
                word,
                info,
            };
        }
        ix.classes = words;
        ix
    }

    /// The [`bit`]s of the token of lower-case text hash `hash` at
    /// `start..end` of `text` from the slots, if they can tell (an ASCII
    /// token whose word has at most the two written forms a slot holds);
    /// 0 for a word of no table. (The filter is the caller's to ask
    /// first: most words are turned away there.) A token of at most eight
    /// bytes written as its word, or with a capital first letter, is
    /// confirmed with one load and compare (bytes equal to the word's are
    /// the word, whatever they are); other written forms are lower-cased
    /// and compared by [`WordIndex::confirm`].
    #[inline(always)]
    fn probe(&self, text: &[u8], start: usize, end: usize, hash: u64) -> Option<u32> {
        let mask = self.slots.len().wrapping_sub(1);
        let mut s = (hash >> self.shift) as usize;
        let slot = loop {
            let slot = self.slots.get(s & mask)?;
            if slot.info == 0 {
                return Some(0);
            }
            if slot.hash == hash {
                break slot;
            }
            s += 1;
        };
        let info = slot.info;
        let len = (info >> LEN_SHIFT & 0xff) as usize;
        if info & OTHER_FORMS != 0 || end.wrapping_sub(start) != len {
            return None;
        }
        if len <= 8 {
            if let Some(b) = text.get(start..start.wrapping_add(8)) {
                let raw = u64::from_le_bytes(b.try_into().ok()?) & crate::document::LOW_BYTES[len];
                let class = (info & CLASS_BITS) as u32;
                if raw == slot.word[0] {
                    return Some(class | (info >> SAME_SHIFT) as u32 & FORM_BITS);
                }
                if info & TITLED != 0 && raw == slot.word[0] ^ 0x20 {
                    return Some(class | (info >> TITLE_SHIFT) as u32 & FORM_BITS);
                }
            }
        }
        Self::confirm(slot, text, start, len)
    }

    /// The bits of `slot` for the token at `start` (of the slot's length
    /// `len`) written in any other case: its bytes lower-cased are the
    /// word's (None: not ASCII, or too near the end of the text).
    #[inline(never)]
    fn confirm(slot: &Slot, text: &[u8], start: usize, len: usize) -> Option<u32> {
        let info = slot.info;
        let raw = ascii16(text, start, len)?;
        let low = [
            crate::document::ascii_lower8(raw[0]),
            crate::document::ascii_lower8(raw[1]),
        ];
        if low != slot.word {
            return None;
        }
        let mut f = (info & CLASS_BITS) as u32;
        if raw == slot.word {
            f |= (info >> SAME_SHIFT) as u32 & FORM_BITS;
        } else if raw == [slot.word[0] ^ 0x20, slot.word[1]] {
            f |= (info >> TITLE_SHIFT) as u32 & FORM_BITS;
        }
        Some(f)
    }

    /// The [`bit`]s of token `i` of `doc` from the words and classes as
    /// built (what [`WordIndex::probe`] cannot tell, and the reference
    /// it is tested against).
    #[inline(never)]
    fn bits(&self, doc: &Document, i: usize) -> u32 {
        let Some(c) = self.classes.get(doc.lower(i)) else {
            return 0;
        };
        let word = doc.tokens.get(i).map_or("", |t| doc.slice(t.span));
        c.exact
            .iter()
            .filter(|(w, _)| **w == *word)
            .fold(c.lower, |a, (_, b)| a | b)
    }
}

/// The [`bit`]s of one lower-case word: those of the word itself and,
/// for the case-sensitive sets, those of each written form.
#[derive(Clone, Debug, Default)]
pub(super) struct WordClass {
    lower: u32,
    exact: Vec<(Box<str>, u32)>,
}

/// Token flags (see [`Builder::has`]).
pub(super) mod bit {
    /// A capitalised word that can be part of a name (not a full month name).
    pub const NAME_WORD: u32 = 1;
    /// A full month or weekday name ("May", "Monday").
    pub const FULL_MONTH: u32 = 1 << 1;
    /// In a heading paragraph (headline, byline, dateline).
    pub const HEADING: u32 = 1 << 2;
    /// The token's text is in `common` (as written).
    pub const COMMON: u32 = 1 << 3;
    /// … in `org_suffix`.
    pub const ORG_SUFFIX: u32 = 1 << 4;
    /// … in `place_suffix`.
    pub const PLACE_SUFFIX: u32 = 1 << 5;
    /// … in `particles`.
    pub const PARTICLE: u32 = 1 << 6;
    /// The token's lower-case text is in `role_modifiers`.
    pub const ROLE_MODIFIER: u32 = 1 << 7;
    /// … in `month_context`.
    pub const MONTH_CONTEXT: u32 = 1 << 8;
    /// … in `pronouns`.
    pub const PRONOUN: u32 = 1 << 9;
    /// The token's lower-case text is the first word of a phrase of `titles`.
    pub const TITLE: u32 = 1 << 10;
    /// … of `roles`.
    pub const ROLE: u32 = 1 << 11;
    /// … of `speech`.
    pub const SPEECH: u32 = 1 << 12;
    /// … of `org_prefix`.
    pub const ORG_PREFIX: u32 = 1 << 13;
    /// … of `locatives`.
    pub const LOCATIVE: u32 = 1 << 14;
    /// … of `person_nouns`.
    pub const PERSON_NOUN: u32 = 1 << 15;
    /// … of `name_intros`.
    pub const NAME_INTRO: u32 = 1 << 16;
    /// … of `state_bodies`.
    pub const STATE_BODY: u32 = 1 << 17;
    /// The first character is uppercase.
    pub const UPPER: u32 = 1 << 18;
    /// The first character is lowercase.
    pub const LOWER: u32 = 1 << 19;
    /// The word "the", in any case.
    pub const THE: u32 = 1 << 20;
    /// The first word of a phrase of `plural_roles`.
    pub const PLURAL_ROLE: u32 = 1 << 21;
    /// The token "(".
    pub const OPEN_PAREN: u32 = 1 << 22;
}

/// The first word of `phrase` as [`PhraseSet`] keys it (lower-case, tokenized
/// like documents).
fn first_word(phrase: &str) -> Option<String> {
    crate::document::tokenize(phrase)
        .first()
        .map(|t| phrase[t.span.start..t.span.end].to_lowercase())
}

/// The word classes of an entity model's tables.
#[derive(Default)]
struct WordClasses(HashMap<String, WordClass>);

impl WordClasses {
    fn lower(&mut self, word: &str, bit: u32) {
        self.0.entry(word.to_lowercase()).or_default().lower |= bit;
    }

    fn first_words<'s>(&mut self, phrases: impl IntoIterator<Item = &'s str>, bit: u32) {
        for p in phrases {
            if let Some(w) = first_word(p) {
                self.0.entry(w).or_default().lower |= bit;
            }
        }
    }

    fn exact<'s>(&mut self, words: impl IntoIterator<Item = &'s String>, bit: u32) {
        for w in words {
            let c = self.0.entry(w.to_lowercase()).or_default();
            match c.exact.iter_mut().find(|(x, _)| **x == **w) {
                Some(e) => e.1 |= bit,
                None => c.exact.push((w.as_str().into(), bit)),
            }
        }
    }
}

/// The plural of a role phrase: its head noun (the word before "of", else
/// the last word) takes the English plural ("foreign minister" → "foreign
/// ministers", "head of state" → "heads of state", "secretary" →
/// "secretaries", "strongman" → "strongmen").
pub(super) fn plural_phrase(phrase: &str) -> String {
    let words: Vec<&str> = phrase.split_whitespace().collect();
    let head = words
        .iter()
        .position(|w| w.eq_ignore_ascii_case("of"))
        .map_or(words.len(), |p| p.max(1))
        .saturating_sub(1);
    let mut out = String::with_capacity(phrase.len() + 3);
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if i == head {
            out.push_str(&plural_word(w));
        } else {
            out.push_str(w);
        }
    }
    out
}

/// English plural of one noun (regular forms and "-man").
fn plural_word(w: &str) -> String {
    let vowel = |c: char| "aeiou".contains(c);
    if let Some(stem) = w.strip_suffix("man") {
        return format!("{stem}men");
    }
    if let Some(stem) = w.strip_suffix('y') {
        if stem.chars().last().is_some_and(|c| !vowel(c)) {
            return format!("{stem}ies");
        }
    }
    let sibilant = ["s", "x", "z", "sh"].iter().any(|e| w.ends_with(e))
        || (w.ends_with("ch") && !w.ends_with("rch"));
    if sibilant {
        format!("{w}es")
    } else {
        format!("{w}s")
    }
}

fn gender(s: &str) -> Option<char> {
    match s {
        "m" => Some('m'),
        "f" => Some('f'),
        _ => None,
    }
}

fn opt(s: &str) -> Option<String> {
    (!s.is_empty() && s != "-").then(|| s.to_string())
}

impl EntityModel {
    pub fn new(lex: &Lexicon, gazetteer: Gazetteer) -> Result<EntityModel, DataError> {
        let matcher = gazetteer.matcher();
        let mut wc = WordClasses::default();
        let mut titles = PhraseSet::new();
        for (_, f) in lex.rows("titles", &["title", "role", "gender", "kind"])? {
            wc.first_words([f[0].as_str()], bit::TITLE);
            titles.insert(
                &f[0],
                TitleInfo {
                    role: opt(&f[1]),
                    gender: gender(&f[2]),
                    kind: f[3].clone(),
                },
            );
        }
        let mut roles = PhraseSet::new();
        let mut plural_roles = PhraseSet::new();
        for (_, f) in lex.rows("roles", &["phrase", "role", "gender"])? {
            if let Some(role) = opt(&f[1]) {
                let plural = plural_phrase(&f[0]);
                wc.first_words([plural.as_str()], bit::PLURAL_ROLE);
                plural_roles.insert(
                    &plural,
                    RoleInfo {
                        role: Some(role),
                        gender: None,
                    },
                );
            }
            wc.first_words([f[0].as_str()], bit::ROLE);
            roles.insert(
                &f[0],
                RoleInfo {
                    role: opt(&f[1]),
                    gender: gender(&f[2]),
                },
            );
        }
        let mut pronouns = WordTable::default();
        let mut credits = HashMap::default();
        for (i, e) in gazetteer.entities.iter().enumerate() {
            if e.kind == EntityKind::Organization {
                for c in e.attr_items("credit") {
                    credits.insert(c.to_string(), i);
                }
            }
        }
        let mut given_names = HashMap::default();
        for (row, f) in lex.rows("given_names", &["name", "gender"])? {
            let g = gender(&f[1]).ok_or_else(|| row.error("gender must be m or f"))?;
            given_names.insert(f[0].clone(), g);
        }
        for (row, f) in lex.rows("pronouns", &["pronoun", "gender"])? {
            let g = f[1]
                .chars()
                .next()
                .ok_or_else(|| row.error("gender must be m, f or n"))?;
            wc.lower(&f[0], bit::PRONOUN);
            pronouns.insert(&f[0].to_lowercase(), g);
        }
        let mut speech = PhraseSet::new();
        for (_, f) in lex.rows("speech_verbs", &["form", "lemma"])? {
            wc.first_words([f[0].as_str()], bit::SPEECH);
            speech.insert(&f[0], f[1].clone());
        }
        let mut org_prefix = PhraseSet::new();
        let mut org_suffix = FxSet::default();
        for (_, f) in lex.rows("org_forms", &["word", "position"])? {
            if f[1] == "prefix" {
                wc.first_words([f[0].as_str()], bit::ORG_PREFIX);
                org_prefix.insert(&f[0], ());
            } else {
                org_suffix.insert(f[0].clone());
            }
        }
        let mut locatives = PhraseSet::new();
        for l in lex.list("locatives") {
            locatives.insert(l, ());
        }
        wc.first_words(
            lex.list("locatives").iter().map(String::as_str),
            bit::LOCATIVE,
        );
        let mut months: FxSet<String> = FxSet::default();
        let mut full_months: FxSet<String> = FxSet::default();
        for (_, f) in lex
            .rows("months", &["name"])?
            .into_iter()
            .chain(lex.rows("weekdays", &["name"])?)
        {
            months.insert(f[0].trim_end_matches('.').to_string());
            if !f[0].ends_with('.') && f[0].len() > 4
                || f[0] == "May"
                || f[0] == "June"
                || f[0] == "July"
            {
                full_months.insert(f[0].clone());
            }
        }
        let mut person_nouns = PhraseSet::new();
        for w in lex.list("person_nouns") {
            person_nouns.insert(w, ());
        }
        wc.first_words(
            lex.list("person_nouns").iter().map(String::as_str),
            bit::PERSON_NOUN,
        );
        let mut name_intros = PhraseSet::new();
        for (_, f) in lex.rows("name_intros", &["phrase"])? {
            wc.first_words([f[0].as_str()], bit::NAME_INTRO);
            name_intros.insert(&f[0], ());
        }
        let mut shorts: HashMap<String, Vec<usize>> = HashMap::default();
        {
            // each person's short forms, borrowed (one buffer for all); a
            // form is copied once, as a new key
            let mut forms: Vec<&str> = Vec::new();
            for (i, e) in gazetteer.entities.iter().enumerate() {
                if e.kind != EntityKind::Person {
                    continue;
                }
                forms.clear();
                forms.extend(e.attr_items("short"));
                if let Some(last) = e.name.split_whitespace().last() {
                    forms.push(last.trim_end_matches(','));
                }
                forms.sort_unstable();
                forms.dedup();
                for &f in &forms {
                    match shorts.get_mut(f) {
                        Some(v) => v.push(i),
                        None => {
                            shorts.insert(f.to_string(), vec![i]);
                        }
                    }
                }
            }
        }
        let mut short_filter = vec![0u64; SHORT_FILTER_WORDS];
        for f in shorts.keys() {
            let h = if f.is_ascii() {
                lower_ascii_hash(f)
            } else {
                crate::lexicon::word_hash(&f.to_lowercase())
            };
            short_filter[(h >> 6) as usize % SHORT_FILTER_WORDS] |= 1 << (h & 63);
        }
        let common: FxSet<String> = lex.list("common_words").iter().cloned().collect();
        let place_suffix: FxSet<String> = lex.list("place_forms").iter().cloned().collect();
        let particles: FxSet<String> = lex.list("name_particles").iter().cloned().collect();
        let role_modifiers: FxSet<String> = lex
            .list("role_modifiers")
            .iter()
            .map(|w| w.to_lowercase())
            .collect();
        let month_context: FxSet<String> = lex
            .list("month_context")
            .iter()
            .map(|w| w.to_lowercase())
            .collect();
        wc.exact(&common, bit::COMMON);
        wc.exact(&org_suffix, bit::ORG_SUFFIX);
        wc.exact(&place_suffix, bit::PLACE_SUFFIX);
        wc.exact(&particles, bit::PARTICLE);
        wc.exact(&full_months, bit::FULL_MONTH);
        for w in &role_modifiers {
            wc.lower(w, bit::ROLE_MODIFIER);
        }
        for w in &month_context {
            wc.lower(w, bit::MONTH_CONTEXT);
        }
        wc.first_words(
            lex.list("state_bodies").iter().map(String::as_str),
            bit::STATE_BODY,
        );
        wc.lower("the", bit::THE);
        wc.lower("(", bit::OPEN_PAREN);
        let words = WordIndex::new(wc.0);
        let gaz_shared = (gazetteer.entities.iter())
            .map(|_| std::sync::OnceLock::new())
            .collect();
        Ok(EntityModel {
            gazetteer,
            matcher,
            titles,
            roles,
            plural_roles,
            pronouns,
            common,
            months,
            speech,
            org_prefix,
            org_suffix,
            locatives,
            person_nouns,
            place_suffix,
            particles,
            name_intros,
            full_months,
            role_modifiers,
            state_bodies: {
                let mut p = PhraseSet::new();
                for w in lex.list("state_bodies") {
                    p.insert(w, ());
                }
                p
            },
            month_context,
            shorts,
            short_filter,
            credits,
            given_names,
            words,
            gaz_shared,
        })
    }

    /// Run the entity stage on `doc`.
    pub fn run(&self, doc: &Document) -> EntityLayer {
        let layer = self.run_with(doc, false);
        // the passes that skip to the tokens they act on read as the
        // token-by-token reading does
        #[cfg(test)]
        assert_eq!(layer, self.run_with(doc, true));
        layer
    }

    fn run_with(&self, doc: &Document, _scan_all: bool) -> EntityLayer {
        let mut b = Builder::new(self, doc);
        #[cfg(test)]
        {
            b.scan_all = _scan_all;
        }
        b.gazetteer_mentions();
        infer::run(&mut b);
        coref::run(&mut b);
        b.finish()
    }
}

/// The short forms of a gazetteer entity: its `short` attribute as
/// [`crate::gazetteer::Entity::attr_list`] reads it, without a Vec.
pub(super) fn short_forms(e: &crate::gazetteer::Entity) -> impl Iterator<Item = &str> {
    (e.attr("short").into_iter())
        .flat_map(|v| v.split('|'))
        .map(crate::lexicon::trim)
        .filter(|s| !s.is_empty())
}

/// Append [`slug`]`(s)` to `out`, without allocating per character.
pub(super) fn slug_into(s: &str, out: &mut String) {
    let start = out.len();
    let mut dash = false;
    let mut put = |f: char, out: &mut String| {
        if f.is_ascii_alphanumeric() {
            if dash && out.len() > start {
                out.push('-');
            }
            dash = false;
            out.push(f.to_ascii_lowercase());
        } else if f != '\'' && f != '’' && f != '.' {
            dash = true;
        }
    };
    for c in s.chars() {
        if c.is_ascii() {
            put(c, out);
        } else {
            for f in crate::gazetteer::fold_char(c).chars() {
                put(f, out);
            }
        }
    }
}

/// The case bits of a token by its first byte: [`bit::UPPER`] or
/// [`bit::LOWER`] for an ASCII letter, [`NON_ASCII`] for the first byte of
/// a longer character (decided by the character).
const CASE: [u32; 256] = {
    let mut t = [0; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = if b >= 0x80 {
            NON_ASCII
        } else if (b as u8).is_ascii_uppercase() {
            bit::UPPER
        } else if (b as u8).is_ascii_lowercase() {
            bit::LOWER
        } else {
            0
        };
        b += 1;
    }
    t
};

/// [`CASE`] of a byte that starts a character of more than one byte.
const NON_ASCII: u32 = 1 << 31;

/// The [`bit`]s of every token of `doc` into `flags` (cleared first), in
/// two passes over the tokens: the first writes what the token itself
/// tells (heading, case, a capitalised word as [`bit::NAME_WORD`]); the
/// second reads only the lower-case hashes and probes the tables for the
/// few words the filter of [`WordIndex`] lets through (most words of a
/// text are in no table), correcting [`bit::NAME_WORD`] and
/// [`bit::FULL_MONTH`] for those.
fn token_flags(m: &EntityModel, doc: &Document, flags: &mut Vec<u32>) {
    let text = doc.text.as_bytes();
    let hashes = doc.lowered.hash_slice();
    let n = doc.tokens.len().min(hashes.len());
    let toks = &doc.tokens[..n];
    flags.clear();
    flags.resize(doc.tokens.len(), 0);
    // the heading bit of the current sentence
    let (mut sentence, mut heading) = (usize::MAX, 0);
    for (i, (t, f)) in toks.iter().zip(flags.iter_mut()).enumerate() {
        if sentence != t.sentence {
            sentence = t.sentence;
            heading = heading_bit(doc, i);
        }
        let (start, end) = (t.span.start, t.span.end);
        // the first byte of the token (0 for an empty one)
        let first = if start < end && end <= text.len() {
            text[start]
        } else {
            0
        };
        let mut case = CASE[first as usize];
        if case == NON_ASCII {
            case = non_ascii_case(doc.slice(t.span));
        }
        let name = if case == bit::UPPER && t.kind == TokenKind::Word {
            bit::NAME_WORD
        } else {
            0
        };
        *f = heading | case | name;
    }
    let words = &m.words;
    for (i, ((f, &hash), t)) in flags.iter_mut().zip(hashes).zip(toks).enumerate() {
        let (w, b) = filter_bit(hash);
        if words.filter[w] & b != 0 {
            *f = with_word_bits(words, doc, i, t, hash, *f);
        }
    }
}

/// [`bit::HEADING`] if token `i` lies in a heading paragraph, else 0.
#[inline(never)]
fn heading_bit(doc: &Document, i: usize) -> u32 {
    if doc.token_in_heading(i) {
        bit::HEADING
    } else {
        0
    }
}

/// [`CASE`] of a token starting with a character of more than one byte.
#[cold]
#[inline(never)]
fn non_ascii_case(token: &str) -> u32 {
    let c = token.chars().next();
    if c.is_some_and(char::is_uppercase) {
        bit::UPPER
    } else if c.is_some_and(char::is_lowercase) {
        bit::LOWER
    } else {
        0
    }
}

/// The flags `f` of token `i` (of lower-case hash `hash`) with the bits of
/// its word: a full month name is no name word, and only a word is a full
/// month name.
#[inline(always)]
fn with_word_bits(
    words: &WordIndex,
    doc: &Document,
    i: usize,
    t: &crate::document::Token,
    hash: u64,
    f: u32,
) -> u32 {
    let wb = match words.probe(doc.text.as_bytes(), t.span.start, t.span.end, hash) {
        Some(b) => b,
        None => words.bits(doc, i),
    };
    let mut f = f | wb;
    if t.kind != TokenKind::Word {
        f &= !bit::FULL_MONTH;
    } else if wb & bit::FULL_MONTH != 0 {
        f &= !bit::NAME_WORD;
    }
    f
}

/// The token flags as first written, from the words and classes as built
/// (the reference [`token_flags`] is tested against).
#[cfg(test)]
fn token_flags_reference(m: &EntityModel, doc: &Document) -> Vec<u32> {
    let text = doc.text.as_bytes();
    (0..doc.tokens.len())
        .map(|i| {
            let t = &doc.tokens[i];
            let mut f = if doc.token_in_heading(i) {
                bit::HEADING
            } else {
                0
            };
            f |= m.words.bits(doc, i);
            let is_word = t.kind == TokenKind::Word;
            if !is_word {
                f &= !bit::FULL_MONTH;
            }
            let first = if t.span.start < t.span.end && t.span.end <= text.len() {
                text[t.span.start]
            } else {
                0
            };
            let (upper, lower) = if first < 0x80 {
                (first.is_ascii_uppercase(), first.is_ascii_lowercase())
            } else {
                let c = doc.slice(t.span).chars().next();
                (
                    c.is_some_and(char::is_uppercase),
                    c.is_some_and(char::is_lowercase),
                )
            };
            if upper {
                f |= bit::UPPER;
                if is_word && f & bit::FULL_MONTH == 0 {
                    f |= bit::NAME_WORD;
                }
            } else if lower {
                f |= bit::LOWER;
            }
            f
        })
        .collect()
}

/// The doc entity of gazetteer entity `e` (index `gi`) as first made, with
/// its own copies of the aliases and attributes (the reference of
/// [`Builder::gaz_entity`]).
#[cfg(test)]
pub(super) fn gaz_doc_entity_reference(e: &crate::gazetteer::Entity, gi: usize) -> DocEntity {
    let shorts = e.attr_list("short");
    let mut aliases = Vec::with_capacity(e.aliases.len() + shorts.len());
    aliases.extend_from_slice(&e.aliases);
    aliases.extend(shorts.iter().map(|s| s.to_string()));
    DocEntity {
        id: e.id.clone(),
        name: e.name.clone(),
        kind: e.kind,
        source: Source::Gazetteer,
        aliases: aliases.into(),
        gender: e.gender(),
        gazetteer: Some(gi),
        attrs: e.attrs.clone().into(),
    }
}

thread_local! {
    /// The token flags of the last document, kept to be reused (not
    /// allocated and faulted in afresh for each document).
    static FLAGS: std::cell::Cell<Vec<u32>> = const { std::cell::Cell::new(Vec::new()) };
}

thread_local! {
    /// The claimed-byte bits of the last document, kept to be reused.
    static CLAIMED: std::cell::Cell<Vec<u64>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Bytes of a text claimed by mentions, which do not overlap: word `2k`
/// holds the claimed bits of bytes `64k..64k + 64`, word `2k + 1` the bits
/// of those where a mention starts.
pub(super) struct Claimed(Vec<u64>);

impl Claimed {
    /// No byte claimed yet of a text of `len` bytes (the bits of the last
    /// document reused).
    pub(super) fn for_text(len: usize) -> Claimed {
        let mut v = CLAIMED.with(|c| c.take());
        v.clear();
        v.resize(2 * (len / 64 + 1), 0);
        Claimed(v)
    }

    #[inline]
    fn bit(&self, pos: usize, starts: usize) -> bool {
        self.0
            .get(2 * (pos / 64) + starts)
            .is_some_and(|w| w >> (pos % 64) & 1 != 0)
    }

    /// Is a byte of `span` claimed? An empty span: does it lie strictly
    /// inside a claimed span?
    #[inline]
    pub(super) fn any(&self, span: Span) -> bool {
        let (s, e) = (span.start, span.end);
        if s >= e {
            return s == e && s > 0 && self.bit(s - 1, 0) && self.bit(s, 0) && !self.bit(s, 1);
        }
        for (w, mask) in word_masks(s, e) {
            match self.0.get(2 * w) {
                Some(&x) if x & mask != 0 => return true,
                Some(_) => {}
                None => return false,
            }
        }
        false
    }

    /// Claim the bytes of a non-empty `span`.
    #[inline]
    pub(super) fn set(&mut self, span: Span) {
        let (s, e) = (span.start, span.end);
        if s >= e {
            return;
        }
        if let Some(w) = self.0.get_mut(2 * (s / 64) + 1) {
            *w |= 1 << (s % 64);
        }
        for (w, mask) in word_masks(s, e) {
            match self.0.get_mut(2 * w) {
                Some(x) => *x |= mask,
                None => return,
            }
        }
    }
}

/// The 64-bit words that bytes `s..e` (s < e) fall in, each with the
/// mask of those bytes' bits.
#[inline]
fn word_masks(s: usize, e: usize) -> impl Iterator<Item = (usize, u64)> {
    let (first, last) = (s / 64, (e - 1) / 64);
    (first..=last).map(move |w| {
        let mut mask = u64::MAX;
        if w == first {
            mask &= u64::MAX << (s % 64);
        }
        if w == last {
            mask &= u64::MAX >> (63 - (e - 1) % 64);
        }
        (w, mask)
    })
}

/// Working state of the entity stage for one document.
pub(super) struct Builder<'a> {
    pub m: &'a EntityModel,
    pub doc: &'a Document,
    pub layer: EntityLayer,
    /// gazetteer index → doc entity index
    by_gaz: HashMap<usize, usize>,
    /// id → doc entity index, of the inferred entities (a gazetteer
    /// entity's id is the gazetteer's)
    by_id: HashMap<String, usize>,
    /// office-title hits not yet resolved: (span, office index)
    pub office_hits: Vec<(Span, usize)>,
    /// The bytes already claimed by a mention: one bit per byte of the
    /// text (O(1) to test and to set, in any order), and one per byte
    /// where a mention starts (mentions do not overlap: an empty span lies
    /// inside one when the bytes on both sides are claimed and none starts
    /// there).
    claimed: Claimed,
    /// The sentence of the mention added last (see [`Builder::sentence_at`]).
    last_sentence: usize,
    /// `layer.mentions[..sorted]` is sorted by start (see [`Builder::sort_mentions`])
    sorted: usize,
    /// Persons named inside a longer name ("Harry S. Truman Library"): (byte
    /// offset, doc entity). No mention of their own, but later short forms
    /// refer to them.
    pub eponyms: Vec<(usize, usize)>,
    /// Name runs of four words at most ([`infer::name_run`]`(b, i, 4)`)
    /// read by the organizations pass, for the passes after it: (first
    /// token, end), in token order.
    pub runs4: Vec<(usize, usize)>,
    /// Per token: its [`bit`]s, worked out once (the passes below ask them
    /// of every token, several times).
    flags: Vec<u32>,
    /// Read every token in the passes, not only those [`Builder::next_with`]
    /// finds (the token-by-token reading the skipping one is tested against).
    #[cfg(test)]
    scan_all: bool,
}

impl<'a> Builder<'a> {
    #[inline(never)]
    fn new(m: &'a EntityModel, doc: &'a Document) -> Self {
        let mut flags = FLAGS.with(|f| f.take());
        token_flags(m, doc, &mut flags);
        #[cfg(test)]
        assert_eq!(flags, token_flags_reference(m, doc));
        Builder {
            flags,
            m,
            doc,
            layer: EntityLayer::default(),
            // (sized for most documents: no growing)
            by_gaz: HashMap::with_capacity_and_hasher(16, Default::default()),
            by_id: HashMap::with_capacity_and_hasher(16, Default::default()),
            office_hits: Vec::new(),
            claimed: Claimed::for_text(doc.text.len()),
            last_sentence: 0,
            sorted: 0,
            eponyms: Vec::new(),
            runs4: Vec::new(),
            #[cfg(test)]
            scan_all: false,
        }
    }

    /// A builder with its token flags, for tests.
    #[cfg(test)]
    pub fn for_test(m: &'a EntityModel, doc: &'a Document) -> Self {
        Builder::new(m, doc)
    }

    /// The doc entity for gazetteer entity `gi`, created on first use.
    pub fn gaz_entity(&mut self, gi: usize) -> usize {
        if let Some(&i) = self.by_gaz.get(&gi) {
            return i;
        }
        let e = &self.m.gazetteer.entities[gi];
        let shared = match self.m.gaz_shared.get(gi) {
            Some(s) => s.get_or_init(|| GazShared::of(e)).clone(),
            None => GazShared::of(e),
        };
        let i = self.layer.entities.len();
        self.layer.entities.push(DocEntity {
            id: e.id.clone(),
            name: e.name.clone(),
            kind: e.kind,
            source: Source::Gazetteer,
            aliases: shared.aliases,
            gender: shared.gender,
            gazetteer: Some(gi),
            attrs: shared.attrs,
        });
        #[cfg(test)]
        assert_eq!(self.layer.entities[i], gaz_doc_entity_reference(e, gi));
        self.by_gaz.insert(gi, i);
        i
    }

    /// The doc entity for an inferred name, created on first use.
    pub fn inferred_entity(&mut self, name: &str, kind: EntityKind, gender: Option<char>) -> usize {
        // a person with no title telling the gender: the given name may
        let gender = gender.or_else(|| {
            (kind == EntityKind::Person)
                .then(|| name.split([' ', '-']).next())
                .flatten()
                .and_then(|first| self.m.given_names.get(first).copied())
        });
        let mut id = String::with_capacity(name.len() + 16);
        id.push_str(kind.as_str());
        id.push(':');
        slug_into(name, &mut id);
        // a gazetteer entity of that id the document has (it would take
        // the id over from an inferred one), else an inferred one
        let known = (self.m.gazetteer.by_id.get(&id))
            .and_then(|gi| self.by_gaz.get(gi))
            .or_else(|| self.by_id.get(&id));
        if let Some(&i) = known {
            if self.layer.entities[i].gender.is_none() {
                self.layer.entities[i].gender = gender;
            }
            return i;
        }
        let i = self.layer.entities.len();
        self.layer.entities.push(DocEntity {
            id: id.clone(),
            name: name.to_string(),
            kind,
            source: Source::Inferred,
            aliases: Shared::default(),
            gender,
            gazetteer: None,
            attrs: Default::default(),
        });
        self.by_id.insert(id, i);
        i
    }

    /// Is any byte of `span` already part of a mention? (O(1) for a
    /// mention's span; an empty span: does it lie inside a mention?)
    #[inline]
    pub fn is_claimed(&self, span: Span) -> bool {
        self.claimed.any(span)
    }

    /// Add a mention unless it overlaps an existing one. New mentions are
    /// appended; [`Builder::sort_mentions`] restores the order.
    pub fn add(&mut self, span: Span, entity: Option<usize>, kind: EntityKind, how: How) -> bool {
        if span.is_empty() {
            return false;
        }
        if self.is_claimed(span) {
            return false;
        }
        self.claimed.set(span);
        let sentence = self.sentence_at(span.start);
        self.layer.mentions.push(Mention {
            span,
            entity,
            kind,
            how,
            sentence,
            role: None,
            title: None,
        });
        true
    }

    /// The sentence of byte `pos` ([`Document::sentence_at`], 0 before the
    /// first): that of the mention added last when it holds `pos` too
    /// (mentions are mostly added in text order), else searched for.
    #[inline]
    fn sentence_at(&mut self, pos: usize) -> usize {
        let ss = &self.doc.sentences;
        let c = self.last_sentence;
        let here = ss.get(c).is_some_and(|s| s.span.start <= pos)
            && ss.get(c + 1).is_none_or(|s| s.span.start > pos);
        let found = if here {
            c
        } else {
            let Some(s) = self.doc.sentence_at(pos) else {
                return 0;
            };
            self.last_sentence = s;
            s
        };
        #[cfg(test)]
        assert_eq!(Some(found), self.doc.sentence_at(pos));
        found
    }

    /// Sort the mentions by start; lookups below see the sorted ones.
    pub fn sort_mentions(&mut self) {
        // (nothing to do when no mention was added since the last sort)
        if self.sorted < self.layer.mentions.len() {
            #[cfg(test)]
            let reference = {
                let mut r = self.layer.mentions.clone();
                r.sort_by_key(mention_key);
                r
            };
            merge_new_mentions(&mut self.layer.mentions, self.sorted);
            #[cfg(test)]
            assert_eq!(self.layer.mentions, reference);
            self.sorted = self.layer.mentions.len();
        }
    }

    /// The sorted mentions.
    pub fn sorted(&self) -> &[Mention] {
        &self.layer.mentions[..self.sorted]
    }

    /// Index of the sorted mention overlapping `span`, if any.
    pub fn mention_overlapping(&self, span: Span) -> Option<usize> {
        let ms = self.sorted();
        let i = ms.partition_point(|m| m.span.start < span.end);
        (i > 0 && ms[i - 1].span.end > span.start).then(|| i - 1)
    }

    /// Index of the first sorted mention starting at or after `pos`.
    pub fn first_mention_from(&self, pos: usize) -> usize {
        self.sorted().partition_point(|m| m.span.start < pos)
    }

    #[inline(never)]
    fn gazetteer_mentions(&mut self) {
        let hits = self.m.matcher.find(&self.doc.text);
        // (most mentions are the gazetteer's; the other passes add fewer)
        self.layer.mentions.reserve(2 * hits.len() + 16);
        for h in hits {
            let p = &self.m.matcher.patterns[h.pattern];
            // choose the best target: a name beats an alias beats an adjective;
            // a place beats an organization beats a person for the same rank.
            let mut best: Option<(usize, AliasKind, EntityKind)> = None;
            let mut office = None;
            for t in &p.targets {
                match *t {
                    Target::Entity { entity, how } => {
                        let k = self.m.gazetteer.entities[entity].kind;
                        let rank = |a: AliasKind, k: EntityKind| {
                            let ar = match a {
                                AliasKind::Name => 0,
                                AliasKind::Alias => 1,
                                AliasKind::Adjective => 2,
                                AliasKind::Descriptive => 3,
                            };
                            let kr = match k {
                                EntityKind::Place => 0,
                                EntityKind::Organization => 1,
                                EntityKind::Person => 2,
                            };
                            (ar, kr)
                        };
                        if best.is_none_or(|(_, a, bk)| rank(how, k) < rank(a, bk)) {
                            best = Some((entity, how, k));
                        }
                    }
                    Target::Office(o) => office = office.or(Some(o)),
                }
            }
            let text = self.doc.slice(h.span);
            // A single capitalised common word at a sentence start is not a name.
            if self.m.common.contains(text) {
                continue;
            }
            // An office title or a descriptive alias that starts with a
            // country ("Iranian foreign minister", "Ukrainian parliament"):
            // the country is a mention of its own.
            let descriptive = best.is_some_and(|(_, a, _)| a == AliasKind::Descriptive);
            let mut span = h.span;
            if descriptive || (best.is_none() && office.is_some()) {
                if let Some((place_span, place)) = self.leading_place(h.span) {
                    let ei = self.gaz_entity(place.0);
                    let how = if place.1 == AliasKind::Adjective {
                        How::Adjective
                    } else {
                        How::Gazetteer
                    };
                    self.add(place_span, Some(ei), EntityKind::Place, how);
                    let rest = &self.doc.text[place_span.end..h.span.end];
                    let skip = rest.len() - rest.trim_start().len();
                    span = Span::new(place_span.end + skip, h.span.end);
                }
            }
            let h = crate::gazetteer::matcher::Hit {
                span,
                pattern: h.pattern,
            };
            match (best, office) {
                // "Harry S. Truman Library": a person's name inside a place
                // or organization name; inference tags the whole name
                (Some((gi, _, EntityKind::Person)), _) if self.named_after(h.span) => {
                    // the person is still named: "Truman" later refers to them
                    let ei = self.gaz_entity(gi);
                    self.eponyms.push((h.span.start, ei));
                }
                (Some((gi, how, kind)), _) => {
                    // the agency credit of the dateline: the news organization
                    let credit = self.doc.dateline.as_ref().and_then(|d| d.agency) == Some(h.span);
                    let (gi, kind) = match credit.then(|| self.m.credits.get(text)).flatten() {
                        Some(&c) => (c, EntityKind::Organization),
                        None => (gi, kind),
                    };
                    let ei = self.gaz_entity(gi);
                    let how = match how {
                        AliasKind::Adjective => How::Adjective,
                        AliasKind::Descriptive => How::Title,
                        _ => How::Gazetteer,
                    };
                    self.add(h.span, Some(ei), kind, how);
                }
                (None, Some(o)) => self.office_hits.push((h.span, o)),
                (None, None) => {}
            }
        }
    }

    /// Does a person's name at `span` begin a longer capitalised name that
    /// ends in a place or organization form ("Truman Library", "Kennedy
    /// Presidential Center")? Up to three more words, same sentence.
    fn named_after(&self, span: Span) -> bool {
        let toks = &self.doc.tokens;
        let k0 = self.doc.token_at_or_after(span.end);
        let Some(first) = toks.get(k0) else {
            return false;
        };
        if first.span.start != span.end + 1 || !self.doc.text[span.end..].starts_with(' ') {
            return false;
        }
        let sentence = first.sentence;
        (k0..(k0 + 3).min(toks.len()))
            .take_while(|&k| toks[k].sentence == sentence && self.name_word(k))
            .any(|k| self.has(k, bit::PLACE_SUFFIX | bit::ORG_SUFFIX))
    }

    /// A place named at the start of `span` (a country adjective or name),
    /// as (its span, (gazetteer index, alias kind)).
    fn leading_place(&self, span: Span) -> Option<(Span, (usize, AliasKind))> {
        let sub = &self.doc.text[span.start..span.end];
        let mut hits: Vec<_> = self
            .m
            .matcher
            .candidates(sub)
            .into_iter()
            .filter(|h| h.span.start == 0 && h.span.end < sub.len())
            .collect();
        hits.sort_by_key(|h| std::cmp::Reverse(h.span.end));
        hits.iter().find_map(|hit| {
            self.m.matcher.patterns[hit.pattern]
                .targets
                .iter()
                .find_map(|t| match *t {
                    Target::Entity { entity, how }
                        if self.m.gazetteer.entities[entity].kind == EntityKind::Place
                            && matches!(
                                how,
                                AliasKind::Name | AliasKind::Alias | AliasKind::Adjective
                            ) =>
                    {
                        Some((
                            Span::new(span.start, span.start + hit.span.end),
                            (entity, how),
                        ))
                    }
                    _ => None,
                })
        })
    }

    /// Is token `i` the single ASCII character `c`?
    #[inline]
    pub fn tok_is(&self, i: usize, c: u8) -> bool {
        let sp = self.doc.tokens[i].span;
        sp.len() == 1 && self.doc.text.as_bytes()[sp.start] == c
    }

    /// Text of token `i` as bytes (for comparing with ASCII literals: no
    /// test of char boundaries; empty past the last token).
    #[inline]
    pub fn tok_bytes(&self, i: usize) -> &'a [u8] {
        let d: &'a Document = self.doc;
        d.tokens
            .get(i)
            .and_then(|t| d.text.as_bytes().get(t.span.start..t.span.end))
            .unwrap_or_default()
    }

    /// Text of token `i`.
    pub fn tok(&self, i: usize) -> &'a str {
        let d: &'a Document = self.doc;
        d.slice(d.tokens[i].span)
    }

    /// The first token from `i` on with any of the flags `bits`, else the
    /// number of tokens: a pass that acts only on such tokens skips to it.
    #[inline]
    pub fn next_with(&self, i: usize, bits: u32) -> usize {
        let n = self.flags.len();
        #[cfg(test)]
        if self.scan_all {
            return i.min(n);
        }
        let Some(rest) = self.flags.get(i..) else {
            return n;
        };
        // eight tokens at a time (their flags or-ed, which vectorizes)
        // while none has a flag, then one by one
        let mut k = 0;
        for c in rest.chunks_exact(8) {
            if c.iter().fold(0, |a, &f| a | f) & bits != 0 {
                break;
            }
            k += 8;
        }
        while k < rest.len() && rest[k] & bits == 0 {
            k += 1;
        }
        i + k
    }

    /// Does token `i` have any of the flags `bits` (see [`bit`])? False
    /// past the last token.
    #[inline]
    pub fn has(&self, i: usize, bits: u32) -> bool {
        self.flags.get(i).is_some_and(|f| f & bits != 0)
    }

    /// Is token `i` in a heading paragraph (headline, byline, dateline)?
    #[inline]
    pub fn in_heading(&self, i: usize) -> bool {
        self.flags[i] & bit::HEADING != 0
    }

    /// Is token `i` a full month or weekday name ("May", "Monday")?
    #[inline]
    fn full_month(&self, i: usize) -> bool {
        self.flags[i] & bit::FULL_MONTH != 0
    }

    /// Is token `i` a capitalised word that can be part of a name?
    #[inline]
    pub fn name_word(&self, i: usize) -> bool {
        self.flags[i] & bit::NAME_WORD != 0
    }

    /// A month name used as a surname ("May said"): not after a date word
    /// ("in May") and not before a number ("May 5").
    pub fn month_as_name(&self, i: usize) -> bool {
        let t = &self.doc.tokens[i];
        if !self.full_month(i) {
            return false;
        }
        let next_number = self
            .doc
            .tokens
            .get(i + 1)
            .is_some_and(|n| n.kind == TokenKind::Number && n.sentence == t.sentence);
        let prev_date_word = i > 0
            && self.doc.tokens[i - 1].sentence == t.sentence
            && self.has(i - 1, bit::MONTH_CONTEXT);
        !next_number && !prev_date_word
    }

    /// A capitalised word inside a name: month names are allowed after the
    /// first word ("Theresa May") unless a number follows ("May 5").
    pub fn name_word_inner(&self, i: usize) -> bool {
        if self.name_word(i) {
            return true;
        }
        let t = &self.doc.tokens[i];
        self.full_month(i)
            && self
                .doc
                .tokens
                .get(i + 1)
                .is_none_or(|n| n.kind != TokenKind::Number || n.sentence != t.sentence)
    }

    #[inline(never)]
    fn finish(mut self) -> EntityLayer {
        FLAGS.with(|f| f.set(std::mem::take(&mut self.flags)));
        CLAIMED.with(|c| c.set(std::mem::take(&mut self.claimed.0)));
        self.sort_mentions();
        // record forms seen for inferred entities
        for m in &self.layer.mentions {
            if let Some(e) = m.entity {
                let form = self.doc.slice(m.span);
                let ent = &mut self.layer.entities[e];
                if matches!(m.how, How::Gazetteer | How::Inferred | How::Surname)
                    && form != ent.name
                    && !ent.aliases.iter().any(|a| a == form)
                {
                    ent.aliases.make_mut().push(form.to_string());
                }
            }
        }
        self.layer
    }
}

/// The order of mentions: by start, then end.
#[inline]
fn mention_key(m: &Mention) -> (usize, usize) {
    (m.span.start, m.span.end)
}

/// At most this many mentions added since the last sort are put in place
/// one by one by [`merge_new_mentions`]; more are sorted with the others.
const FEW_NEW: usize = 8;

/// Sort `ms`, whose first `sorted` are in order, by [`mention_key`] as a
/// stable sort does. A few new ones (most calls add a few to many) are
/// each moved to their place, after the mentions of a key not above
/// theirs (the mentions between move up by one: at most [`FEW_NEW`] times
/// the length, linear); more are sorted with the others (a sort moves
/// the large mentions about more, and allocates).
pub(super) fn merge_new_mentions(ms: &mut [Mention], sorted: usize) {
    let n = ms.len();
    let s = sorted.min(n);
    if n - s > FEW_NEW {
        ms.sort_by_key(mention_key);
        return;
    }
    for i in s..n {
        let k = mention_key(&ms[i]);
        let at = ms[..i].partition_point(|m| mention_key(m) <= k);
        ms[at..=i].rotate_right(1);
    }
}

/// Persons of the document by the forms that refer back to them (surname,
/// gazetteer short forms, the first word of a two-word inferred name),
/// built in one pass over the mentions and updated as mentions are added.
#[derive(Default)]
pub(super) struct PersonIndex {
    by_form: HashMap<String, Cands>,
    /// mentions so far per entity (by its index; 0 past the end)
    count: Vec<usize>,
    /// One bit per [`crate::lexicon::word_hash`] of a form in lower case
    /// (all bits set once a form is not ASCII): a token whose lower-case
    /// hash has its bit clear is no form (see [`PersonIndex::may_be_form`]).
    filter: [u64; 4],
}

#[derive(Clone, Copy)]
struct Cand {
    entity: usize,
    first: usize,
    short: bool,
}

/// The candidates of one form, in the order noted: the first inline (most
/// forms have one), the others after it.
struct Cands {
    first: Cand,
    more: Vec<Cand>,
}

impl Cands {
    fn iter(&self) -> impl Iterator<Item = &Cand> {
        std::iter::once(&self.first).chain(&self.more)
    }
}

/// Words (of 64 bits) in [`EntityModel::short_filter`]: some 3,000 short
/// forms set about one bit in six.
const SHORT_FILTER_WORDS: usize = 256;

impl EntityModel {
    /// False when token `i` of `doc` is surely no gazetteer person's short
    /// form (by its lower-case hash); true when it may be one.
    pub(super) fn may_be_short(&self, doc: &Document, i: usize) -> bool {
        doc.lowered.hash(i).is_none_or(|h| {
            self.short_filter[(h >> 6) as usize % SHORT_FILTER_WORDS] & 1 << (h & 63) != 0
        })
    }
}

/// [`crate::lexicon::word_hash`] of an ASCII `form` in lower case, eight
/// bytes at a time (what the document keeps for a token of that text).
fn lower_ascii_hash(form: &str) -> u64 {
    let mut h = crate::lexicon::WordHasher::default();
    for c in form.as_bytes().chunks(8) {
        let mut v = [0; 8];
        v[..c.len()].copy_from_slice(c);
        h.chunk(crate::document::ascii_lower8(u64::from_le_bytes(v)));
    }
    h.finish()
}

/// The first word of `name`, its last and how many words it has (as
/// `split_whitespace` reads them).
fn first_last_count(name: &str) -> (Option<&str>, Option<&str>, usize) {
    if name.is_ascii() {
        // (ASCII: the white space of `char::is_whitespace` is one of these)
        let mut words = name
            .split(|c: char| matches!(c, ' ' | '\t'..='\r'))
            .filter(|w| !w.is_empty());
        let first = words.next();
        let (mut last, mut count) = (first, usize::from(first.is_some()));
        for w in words {
            last = Some(w);
            count += 1;
        }
        return (first, last, count);
    }
    let mut words = name.split_whitespace();
    let first = words.next();
    let (mut last, mut count) = (first, usize::from(first.is_some()));
    for w in words {
        last = Some(w);
        count += 1;
    }
    (first, last, count)
}

impl PersonIndex {
    #[inline(never)]
    pub fn build(b: &Builder) -> PersonIndex {
        // (sized for most documents: no growing)
        let mut ix = PersonIndex {
            by_form: HashMap::with_capacity_and_hasher(32, Default::default()),
            count: vec![0; b.layer.entities.len()],
            filter: [0; 4],
        };
        // the person mentions by start (the mentions are sorted: no two
        // start alike) merged with the eponyms, in (start, entity) order
        let persons = b
            .layer
            .mentions
            .iter()
            .filter(|m| m.kind == EntityKind::Person && m.how != How::Pronoun)
            .filter_map(|m| m.entity.map(|e| (m.span.start, e)));
        if b.sorted == b.layer.mentions.len() && b.eponyms.is_sorted() {
            let mut persons = persons.peekable();
            let mut eponyms = b.eponyms.iter().copied().peekable();
            #[cfg(test)]
            let mut seen = Vec::new();
            loop {
                let next = match (persons.peek(), eponyms.peek()) {
                    (Some(p), Some(q)) if q < p => eponyms.next(),
                    (Some(_), _) => persons.next(),
                    (None, _) => eponyms.next(),
                };
                let Some((pos, e)) = next else {
                    break;
                };
                #[cfg(test)]
                seen.push((pos, e));
                ix.note(b, e, pos);
            }
            // the order of sorting them all, as first written
            #[cfg(test)]
            {
                let mut ms: Vec<(usize, usize)> = (b.layer.mentions.iter())
                    .filter(|m| m.kind == EntityKind::Person && m.how != How::Pronoun)
                    .filter_map(|m| m.entity.map(|e| (m.span.start, e)))
                    .chain(b.eponyms.iter().copied())
                    .collect();
                ms.sort();
                assert_eq!(seen, ms);
            }
            return ix;
        }
        let mut ms: Vec<(usize, usize)> = persons.chain(b.eponyms.iter().copied()).collect();
        ms.sort();
        for (pos, e) in ms {
            ix.note(b, e, pos);
        }
        ix
    }

    /// Record a mention of person `e` at `pos`.
    pub fn note(&mut self, b: &Builder, e: usize, pos: usize) {
        let ent = &b.layer.entities[e];
        if ent.kind != EntityKind::Person {
            return;
        }
        if self.count.len() <= e {
            self.count.resize(b.layer.entities.len().max(e + 1), 0);
        }
        let n = &mut self.count[e];
        *n += 1;
        if *n > 1 {
            return;
        }
        // the forms, in this order: the gazetteer short forms, the last
        // word, the first of two words of an inferred name
        let mut add = |f: &str, short: bool| {
            if f.is_ascii() {
                let h = lower_ascii_hash(f);
                self.filter[(h >> 6) as usize % 4] |= 1 << (h & 63);
            } else {
                self.filter = [u64::MAX; 4];
            }
            let c = Cand {
                entity: e,
                first: pos,
                short,
            };
            match self.by_form.get_mut(f) {
                Some(v) => {
                    if !v.iter().any(|c| c.entity == e) {
                        v.more.push(c);
                    }
                }
                None => {
                    self.by_form.insert(
                        f.to_string(),
                        Cands {
                            first: c,
                            more: Vec::new(),
                        },
                    );
                }
            }
        };
        if let Some(g) = ent.gazetteer {
            for s in short_forms(&b.m.gazetteer.entities[g]) {
                add(s, true);
            }
        }
        let (first, last, count) = first_last_count(&ent.name);
        if let Some(last) = last {
            add(last.trim_end_matches(','), false);
        }
        if let (None, 2, Some(first)) = (ent.gazetteer, count, first) {
            add(first, false);
        }
    }

    /// Can token `i` of `doc` be a form of the index? False only when it
    /// is not (its lower-case hash has no bit in the filter).
    #[inline]
    pub fn may_be_form(&self, doc: &Document, i: usize) -> bool {
        doc.lowered
            .hash(i)
            .is_none_or(|h| self.filter[(h >> 6) as usize % 4] & 1 << (h & 63) != 0)
    }

    /// The person a form refers to among those first named before `before`:
    /// a gazetteer short form beats a plain surname, then the most
    /// mentioned, then the first named.
    pub fn lookup(&self, form: &str, before: usize) -> Option<usize> {
        self.by_form
            .get(form)?
            .iter()
            .filter(|c| c.first < before)
            .max_by_key(|c| {
                (
                    c.short,
                    self.count.get(c.entity).copied().unwrap_or(0),
                    std::cmp::Reverse(c.first),
                )
            })
            .map(|c| c.entity)
    }
}

#[cfg(test)]
mod person_index_tests {
    use super::{first_last_count, lower_ascii_hash};

    /// The ASCII reading of a name's words is `split_whitespace`'s, and
    /// the chunked hash of a form is the byte-by-byte one it replaces.
    #[test]
    fn name_words_and_form_hashes_agree_with_the_references() {
        for name in [
            "",
            " ",
            "Jane Roe",
            "  Jane\tRoe\n",
            "A\u{b}B\u{c}C\rD",
            "Roe,",
            "Jean-Marie Le Pen",
            "José\u{a0}Roe",
            "Ana María de la Cruz Longname",
        ] {
            let mut words = name.split_whitespace();
            let first = words.next();
            let rest: Vec<&str> = words.collect();
            let last = rest.last().copied().or(first);
            let count = usize::from(first.is_some()) + rest.len();
            assert_eq!(first_last_count(name), (first, last, count), "{name:?}");
            if name.is_ascii() {
                let mut h = crate::lexicon::WordHasher::default();
                for b in name.bytes() {
                    h.byte(b.to_ascii_lowercase());
                }
                assert_eq!(lower_ascii_hash(name), h.finish(), "{name:?}");
            }
        }
    }
}
