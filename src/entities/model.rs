//! The compiled entity model and the driver of the entity stage.

use super::{coref, infer, DocEntity, EntityLayer, How, Mention};
use crate::document::{Document, Span, TokenKind};
use crate::gazetteer::matcher::AliasKind;
use crate::gazetteer::{slug, EntityKind, Gazetteer, Matcher, Source, Target};
use crate::lexicon::FxMap as HashMap;
use crate::lexicon::{DataError, FxSet, Lexicon, PhraseSet, WordTable};
use std::collections::BTreeMap;

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
        let mut titles = PhraseSet::new();
        for (_, f) in lex.rows("titles", &["title", "role", "gender", "kind"])? {
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
        for (_, f) in lex.rows("roles", &["phrase", "role", "gender"])? {
            roles.insert(
                &f[0],
                RoleInfo {
                    role: opt(&f[1]),
                    gender: gender(&f[2]),
                },
            );
        }
        let mut pronouns = WordTable::default();
        for (row, f) in lex.rows("pronouns", &["pronoun", "gender"])? {
            let g = f[1]
                .chars()
                .next()
                .ok_or_else(|| row.error("gender must be m, f or n"))?;
            pronouns.insert(&f[0].to_lowercase(), g);
        }
        let mut speech = PhraseSet::new();
        for (_, f) in lex.rows("speech_verbs", &["form", "lemma"])? {
            speech.insert(&f[0], f[1].clone());
        }
        let mut org_prefix = PhraseSet::new();
        let mut org_suffix = FxSet::default();
        for (_, f) in lex.rows("org_forms", &["word", "position"])? {
            if f[1] == "prefix" {
                org_prefix.insert(&f[0], ());
            } else {
                org_suffix.insert(f[0].clone());
            }
        }
        let mut locatives = PhraseSet::new();
        for l in lex.list("locatives") {
            locatives.insert(l, ());
        }
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
        let mut name_intros = PhraseSet::new();
        for (_, f) in lex.rows("name_intros", &["phrase"])? {
            name_intros.insert(&f[0], ());
        }
        let mut shorts: HashMap<String, Vec<usize>> = HashMap::default();
        for (i, e) in gazetteer.entities.iter().enumerate() {
            if e.kind != EntityKind::Person {
                continue;
            }
            let mut forms: Vec<String> =
                e.attr_list("short").iter().map(|s| s.to_string()).collect();
            if let Some(last) = e.name.split_whitespace().last() {
                forms.push(last.trim_end_matches(',').to_string());
            }
            forms.sort();
            forms.dedup();
            for f in forms {
                shorts.entry(f).or_default().push(i);
            }
        }
        Ok(EntityModel {
            gazetteer,
            matcher,
            titles,
            roles,
            pronouns,
            common: lex.list("common_words").iter().cloned().collect(),
            months,
            speech,
            org_prefix,
            org_suffix,
            locatives,
            person_nouns,
            place_suffix: lex.list("place_forms").iter().cloned().collect(),
            particles: lex.list("name_particles").iter().cloned().collect(),
            name_intros,
            full_months,
            role_modifiers: lex
                .list("role_modifiers")
                .iter()
                .map(|w| w.to_lowercase())
                .collect(),
            state_bodies: {
                let mut p = PhraseSet::new();
                for w in lex.list("state_bodies") {
                    p.insert(w, ());
                }
                p
            },
            month_context: lex
                .list("month_context")
                .iter()
                .map(|w| w.to_lowercase())
                .collect(),
            shorts,
        })
    }

    /// Run the entity stage on `doc`.
    pub fn run(&self, doc: &Document) -> EntityLayer {
        let mut b = Builder::new(self, doc);
        b.gazetteer_mentions();
        infer::run(&mut b);
        coref::run(&mut b);
        b.finish()
    }
}

/// Working state of the entity stage for one document.
pub(super) struct Builder<'a> {
    pub m: &'a EntityModel,
    pub doc: &'a Document,
    pub layer: EntityLayer,
    /// gazetteer index → doc entity index
    by_gaz: HashMap<usize, usize>,
    /// id → doc entity index
    by_id: HashMap<String, usize>,
    /// office-title hits not yet resolved: (span, office index)
    pub office_hits: Vec<(Span, usize)>,
    /// bytes already claimed by a mention: start → end, non-overlapping
    claimed: BTreeMap<usize, usize>,
    /// `layer.mentions[..sorted]` is sorted by start (see [`Builder::sort_mentions`])
    sorted: usize,
    /// Persons named inside a longer name ("Harry S. Truman Library"): (byte
    /// offset, doc entity). No mention of their own, but later short forms
    /// refer to them.
    pub eponyms: Vec<(usize, usize)>,
    /// Per token: NAME_WORD, FULL_MONTH and HEADING bits, worked out once
    /// (the passes below ask them of every token, several times).
    flags: Vec<u8>,
}

const NAME_WORD: u8 = 1;
const FULL_MONTH: u8 = 2;
const HEADING: u8 = 4;

impl<'a> Builder<'a> {
    fn new(m: &'a EntityModel, doc: &'a Document) -> Self {
        let flags = doc
            .tokens
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let mut f = 0;
                if doc.token_in_heading(i) {
                    f |= HEADING;
                }
                if t.kind == TokenKind::Word {
                    let s = doc.slice(t.span);
                    let month = m.full_months.contains(s);
                    if month {
                        f |= FULL_MONTH;
                    }
                    if !month && s.chars().next().is_some_and(char::is_uppercase) {
                        f |= NAME_WORD;
                    }
                }
                f
            })
            .collect();
        Builder {
            flags,
            m,
            doc,
            layer: EntityLayer::default(),
            by_gaz: HashMap::default(),
            by_id: HashMap::default(),
            office_hits: Vec::new(),
            claimed: BTreeMap::new(),
            sorted: 0,
            eponyms: Vec::new(),
        }
    }

    /// The doc entity for gazetteer entity `gi`, created on first use.
    pub fn gaz_entity(&mut self, gi: usize) -> usize {
        if let Some(&i) = self.by_gaz.get(&gi) {
            return i;
        }
        let e = &self.m.gazetteer.entities[gi];
        let mut aliases = e.aliases.clone();
        aliases.extend(e.attr_list("short").iter().map(|s| s.to_string()));
        let i = self.layer.entities.len();
        self.layer.entities.push(DocEntity {
            id: e.id.clone(),
            name: e.name.clone(),
            kind: e.kind,
            source: Source::Gazetteer,
            aliases,
            gender: e.gender(),
            gazetteer: Some(gi),
            attrs: e.attrs.clone(),
        });
        self.by_gaz.insert(gi, i);
        self.by_id.insert(e.id.clone(), i);
        i
    }

    /// The doc entity for an inferred name, created on first use.
    pub fn inferred_entity(&mut self, name: &str, kind: EntityKind, gender: Option<char>) -> usize {
        let id = format!("{}:{}", kind.as_str(), slug(name));
        if let Some(&i) = self.by_id.get(&id) {
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
            aliases: Vec::new(),
            gender,
            gazetteer: None,
            attrs: Default::default(),
        });
        self.by_id.insert(id, i);
        i
    }

    /// Is any byte of `span` already part of a mention? (O(log n))
    pub fn is_claimed(&self, span: Span) -> bool {
        // intervals do not overlap, so the one starting last before
        // span.end reaches furthest
        self.claimed
            .range(..span.end)
            .next_back()
            .is_some_and(|(_, &e)| e > span.start)
    }

    /// Add a mention unless it overlaps an existing one. New mentions are
    /// appended; [`Builder::sort_mentions`] restores the order.
    pub fn add(&mut self, span: Span, entity: Option<usize>, kind: EntityKind, how: How) -> bool {
        if span.is_empty() || self.is_claimed(span) {
            return false;
        }
        self.claimed.insert(span.start, span.end);
        let sentence = self.doc.sentence_at(span.start).unwrap_or(0);
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

    /// Sort the mentions by start; lookups below see the sorted ones.
    pub fn sort_mentions(&mut self) {
        self.layer
            .mentions
            .sort_by_key(|m| (m.span.start, m.span.end));
        self.sorted = self.layer.mentions.len();
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

    fn gazetteer_mentions(&mut self) {
        let hits = self.m.matcher.find(&self.doc.text);
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
            .any(|k| {
                let w = self.tok(k);
                self.m.place_suffix.contains(w) || self.m.org_suffix.contains(w)
            })
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

    /// Text of token `i`.
    pub fn tok(&self, i: usize) -> &'a str {
        let d: &'a Document = self.doc;
        d.slice(d.tokens[i].span)
    }

    /// Is token `i` in a heading paragraph (headline, byline, dateline)?
    pub fn in_heading(&self, i: usize) -> bool {
        self.flags[i] & HEADING != 0
    }

    /// Is token `i` a full month or weekday name ("May", "Monday")?
    fn full_month(&self, i: usize) -> bool {
        self.flags[i] & FULL_MONTH != 0
    }

    /// Is token `i` a capitalised word that can be part of a name?
    pub fn name_word(&self, i: usize) -> bool {
        self.flags[i] & NAME_WORD != 0
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
            && self.m.month_context.contains(self.doc.lower(i - 1));
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

    fn finish(mut self) -> EntityLayer {
        self.layer
            .mentions
            .sort_by_key(|m| (m.span.start, m.span.end));
        // record forms seen for inferred entities
        for m in &self.layer.mentions {
            if let Some(e) = m.entity {
                let form = self.doc.slice(m.span).to_string();
                let ent = &mut self.layer.entities[e];
                if matches!(m.how, How::Gazetteer | How::Inferred | How::Surname)
                    && form != ent.name
                    && !ent.aliases.contains(&form)
                {
                    ent.aliases.push(form);
                }
            }
        }
        self.layer
    }
}

/// Persons of the document by the forms that refer back to them (surname,
/// gazetteer short forms, the first word of a two-word inferred name),
/// built in one pass over the mentions and updated as mentions are added.
#[derive(Default)]
pub(super) struct PersonIndex {
    by_form: HashMap<String, Vec<Cand>>,
    /// mentions so far per entity
    count: HashMap<usize, usize>,
}

#[derive(Clone, Copy)]
struct Cand {
    entity: usize,
    first: usize,
    short: bool,
}

impl PersonIndex {
    pub fn build(b: &Builder) -> PersonIndex {
        let mut ix = PersonIndex::default();
        let mut ms: Vec<(usize, usize)> = b
            .layer
            .mentions
            .iter()
            .filter(|m| m.kind == EntityKind::Person && m.how != How::Pronoun)
            .filter_map(|m| m.entity.map(|e| (m.span.start, e)))
            .chain(b.eponyms.iter().copied())
            .collect();
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
        let n = self.count.entry(e).or_insert(0);
        *n += 1;
        if *n > 1 {
            return;
        }
        let words: Vec<&str> = ent.name.split_whitespace().collect();
        let shorts: Vec<String> = ent
            .gazetteer
            .map(|g| {
                b.m.gazetteer.entities[g]
                    .attr_list("short")
                    .iter()
                    .map(|s| s.to_string())
                    .collect()
            })
            .unwrap_or_default();
        let mut forms: Vec<(String, bool)> = shorts.into_iter().map(|s| (s, true)).collect();
        if let Some(last) = words.last() {
            forms.push((last.trim_end_matches(',').to_string(), false));
        }
        if ent.gazetteer.is_none() && words.len() == 2 {
            forms.push((words[0].to_string(), false));
        }
        for (f, short) in forms {
            let v = self.by_form.entry(f).or_default();
            if !v.iter().any(|c| c.entity == e) {
                v.push(Cand {
                    entity: e,
                    first: pos,
                    short,
                });
            }
        }
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
                    self.count.get(&c.entity).copied().unwrap_or(0),
                    std::cmp::Reverse(c.first),
                )
            })
            .map(|c| c.entity)
    }
}
