//! Trigger and cue tables (`event_triggers.tsv`, `event_cues.tsv`) and
//! finding trigger mentions in a document.

use super::EventKind;
use crate::document::Document;
use crate::lexicon::FxMap as HashMap;
use crate::lexicon::FxSet as HashSet;
use crate::lexicon::{DataError, Lexicon, PhraseSet};

/// Part of speech of a trigger: decides where its arguments are looked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pos {
    Verb,
    Noun,
}

/// The role an argument position gives its entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Participant,
    Host,
    Guest,
    Visitor,
    Place,
    None,
}

impl Role {
    fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "participant" => Role::Participant,
            "host" => Role::Host,
            "guest" => Role::Guest,
            "visitor" => Role::Visitor,
            "place" => Role::Place,
            "-" | "" => Role::None,
            _ => return None,
        })
    }
}

/// One trigger row.
#[derive(Clone, Debug)]
pub struct TriggerDef {
    pub pos: Pos,
    pub kind: EventKind,
    pub subject: Role,
    pub object: Role,
    /// The object may follow the trigger directly ("met Biden").
    pub direct_object: bool,
    /// Prepositions introducing the object ("with", "between", "to").
    pub object_preps: Vec<String>,
    /// Prepositions introducing the agent of a noun ("by", "from").
    pub agent_preps: Vec<String>,
    /// Fire only when an object is found.
    pub needs_object: bool,
    /// Fire only with two or more participants ("X and Y ... on the
    /// sidelines of", not "X said on the sidelines of").
    pub needs_pair: bool,
    pub cameo: String,
}

/// What a status cue says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CueUse {
    Planned,
    Cancelled,
    Negated,
}

/// Where a status cue stands relative to the trigger, and how far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatusCue {
    pub what: CueUse,
    pub after: bool,
    pub window: usize,
}

/// All compiled tables of the events stage.
#[derive(Debug, Clone, Default)]
pub struct Tables {
    pub triggers: PhraseSet<usize>,
    pub defs: Vec<TriggerDef>,
    pub status: PhraseSet<StatusCue>,
    /// The widest window of a status cue that follows its trigger: how far
    /// past a trigger cues are looked for.
    pub status_after: usize,
    pub definite: HashSet<String>,
    pub plural: PhraseSet<()>,
    pub place_preps: PhraseSet<()>,
    pub third: PhraseSet<()>,
    pub light: PhraseSet<()>,
    pub preps: HashSet<String>,
    pub noun_context: HashSet<String>,
    pub verb_context: HashSet<String>,
    /// Relative pronouns ("who"): "X, who met Y" makes X the subject.
    pub relative: HashSet<String>,
    /// Relative adverbs of place: "Manila, where he met X" puts the meeting
    /// in Manila.
    pub relative_place: HashSet<String>,
    /// Words for the place the story is filed from ("here").
    pub here: HashSet<String>,
    /// Organization types whose seat is a venue ("at the Kremlin").
    pub venue_types: HashSet<String>,
    /// First-person possessives ("my"): inside a quotation, its speaker.
    pub first_person: HashSet<String>,
    /// Words introducing the purpose of a journey ("to meet", "for talks"):
    /// the trigger after one has the journey's status.
    pub purpose: HashSet<String>,
    /// Prepositions after a host's guest that name where the guest was
    /// received ("welcomed X to Riyadh").
    pub guest_place: HashSet<String>,
    /// Plural possessives ("their talks"): the trigger's subject is the
    /// coordinated pair of its clause.
    pub plural_possessive: HashSet<String>,
    /// Phrases after a group word that name its leader ("a delegation led
    /// by X"): the leader stands for the group.
    pub led_by: PhraseSet<()>,
    /// Phrases naming people who join the parties ("together with X",
    /// "accompanied by X").
    pub accompany: PhraseSet<()>,
    /// Weekday names (lowercase) → ISO weekday number (Monday = 1).
    pub weekdays: HashMap<String, u32>,
}

fn split_list(s: &str) -> Vec<String> {
    if s == "-" || s.is_empty() {
        return Vec::new();
    }
    s.split('|')
        .map(|w| w.trim().to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

impl Tables {
    pub fn load(lex: &Lexicon) -> Result<Tables, DataError> {
        let mut t = Tables::default();
        let cols = [
            "form",
            "pos",
            "kind",
            "subject",
            "object",
            "object_preps",
            "agent_preps",
            "requires",
            "cameo",
        ];
        for (row, f) in lex.rows("event_triggers", &cols)? {
            let pos = match f[1].as_str() {
                "verb" => Pos::Verb,
                "noun" => Pos::Noun,
                other => {
                    return Err(row.error(format!("pos must be verb or noun, found '{other}'")))
                }
            };
            let kind = match f[2].as_str() {
                "meeting" => EventKind::Meeting,
                "call" => EventKind::Call,
                "visit" => EventKind::Visit,
                other => {
                    return Err(row.error(format!(
                        "kind must be meeting, call or visit, found '{other}'"
                    )))
                }
            };
            let subject = Role::parse(&f[3])
                .ok_or_else(|| row.error(format!("unknown subject role '{}'", f[3])))?;
            let object = Role::parse(&f[4])
                .ok_or_else(|| row.error(format!("unknown object role '{}'", f[4])))?;
            let mut object_preps = split_list(&f[5]);
            let direct_object = object_preps.iter().any(|p| p == "0");
            object_preps.retain(|p| p != "0");
            let (needs_object, needs_pair) = match f[7].as_str() {
                "object" => (true, false),
                "pair" => (false, true),
                "-" | "" => (false, false),
                other => {
                    return Err(row.error(format!(
                        "requires must be object, pair or -, found '{other}'"
                    )))
                }
            };
            if f[8].len() != 3 || !f[8].chars().all(|c| c.is_ascii_digit()) {
                return Err(row.error(format!(
                    "cameo must be a three-digit code, found '{}'",
                    f[8]
                )));
            }
            t.triggers.insert(&f[0], t.defs.len());
            t.defs.push(TriggerDef {
                pos,
                kind,
                subject,
                object,
                direct_object,
                object_preps,
                agent_preps: split_list(&f[6]),
                needs_object,
                needs_pair,
                cameo: f[8].clone(),
            });
        }
        for (row, f) in lex.rows("event_cues", &["cue", "use", "position", "window"])? {
            let cue = f[0].as_str();
            let window = || -> Result<usize, DataError> {
                f[3].parse()
                    .map_err(|_| row.error(format!("window must be a number, found '{}'", f[3])))
            };
            let after = || -> Result<bool, DataError> {
                match f[2].as_str() {
                    "before" => Ok(false),
                    "after" => Ok(true),
                    other => {
                        Err(row.error(format!("position must be before or after, found '{other}'")))
                    }
                }
            };
            match f[1].as_str() {
                u @ ("planned" | "cancelled" | "negated") => {
                    let what = match u {
                        "planned" => CueUse::Planned,
                        "cancelled" => CueUse::Cancelled,
                        _ => CueUse::Negated,
                    };
                    let c = StatusCue {
                        what,
                        after: after()?,
                        window: window()?,
                    };
                    if c.after {
                        t.status_after = t.status_after.max(c.window);
                    }
                    t.status.insert(cue, c);
                }
                "plural" => t.plural.insert(cue, ()),
                "place" => t.place_preps.insert(cue, ()),
                "third" => t.third.insert(cue, ()),
                "light" => t.light.insert(cue, ()),
                "led_by" => t.led_by.insert(cue, ()),
                "accompany" => t.accompany.insert(cue, ()),
                other => match t.word_set(other) {
                    Some(set) => {
                        set.insert(cue.to_lowercase());
                    }
                    None => return Err(row.error(format!("unknown cue use '{other}'"))),
                },
            }
        }
        for (name, n) in crate::lexicon::weekday_names(lex)? {
            t.weekdays.insert(name.to_lowercase(), n);
        }
        Ok(t)
    }

    /// The single-word table a cue use of `event_cues.tsv` fills.
    fn word_set(&mut self, cue_use: &str) -> Option<&mut HashSet<String>> {
        Some(match cue_use {
            "definite" => &mut self.definite,
            "prep" => &mut self.preps,
            "noun_context" => &mut self.noun_context,
            "verb_context" => &mut self.verb_context,
            "relative" => &mut self.relative,
            "relative_place" => &mut self.relative_place,
            "here" => &mut self.here,
            "venue_type" => &mut self.venue_types,
            "first_person" => &mut self.first_person,
            "purpose" => &mut self.purpose,
            "guest_place" => &mut self.guest_place,
            "plural_possessive" => &mut self.plural_possessive,
            _ => return None,
        })
    }
}

/// One trigger found in the text: token range `[start, end)` and its row.
#[derive(Clone, Copy, Debug)]
pub struct TriggerHit {
    pub start: usize,
    pub end: usize,
    pub def: usize,
}

/// Every trigger in `doc` (longest match, left to right, no overlaps).
pub fn find(tables: &Tables, doc: &Document) -> Vec<TriggerHit> {
    let mut hits = Vec::new();
    // the first token past the last trigger found
    let mut next = 0;
    // most tokens start no trigger: one pass over the token hashes lists
    // those that may
    for i in tables.triggers.may_starts(doc) {
        if i < next {
            continue;
        }
        // the longest phrases at `i`, and among them the reading the word
        // before picks when one form has more ("visit" noun and verb)
        let mut at = tables.triggers.all_at(doc, i);
        let Some((n, &first)) = at.next() else {
            next = i + 1;
            continue;
        };
        let d = match at.next() {
            Some((m, &second)) if m == n => {
                let mut same = vec![first, second];
                same.extend(at.filter(|&(m, _)| m == n).map(|(_, &d)| d));
                reading(tables, doc, i, &same)
            }
            Some(_) => {
                // a shorter phrase: a second one of length n may still follow
                let same: Vec<usize> = std::iter::once(first)
                    .chain(at.filter(|&(m, _)| m == n).map(|(_, &d)| d))
                    .collect();
                if same.len() > 1 {
                    reading(tables, doc, i, &same)
                } else {
                    first
                }
            }
            None => first,
        };
        hits.push(TriggerHit {
            start: i,
            end: i + n,
            def: d,
        });
        next = i + n;
    }
    hits
}

/// [`find`] as first written, token by token: the reference it is tested
/// against.
#[cfg(test)]
pub fn find_reference(tables: &Tables, doc: &Document) -> Vec<TriggerHit> {
    let mut hits = Vec::new();
    let mut i = 0;
    while i < doc.tokens.len() {
        if !tables.triggers.may_start(doc, i) {
            i += 1;
            continue;
        }
        let cands: Vec<(usize, usize)> = tables
            .triggers
            .all_at(doc, i)
            .map(|(n, &d)| (n, d))
            .collect();
        let best = cands.first().map(|&(n, _)| {
            let same: Vec<usize> = cands.iter().filter(|c| c.0 == n).map(|c| c.1).collect();
            let pick = if same.len() > 1 {
                reading(tables, doc, i, &same)
            } else {
                same[0]
            };
            (n, pick)
        });
        match best {
            Some((n, d)) => {
                hits.push(TriggerHit {
                    start: i,
                    end: i + n,
                    def: d,
                });
                i += n;
            }
            None => i += 1,
        }
    }
    hits
}

/// Choose between the noun and verb readings of a form by the word before
/// it: a determiner or possessive makes a noun; "to", an auxiliary, a
/// pronoun or a capitalised name makes a verb; otherwise the noun.
fn reading(tables: &Tables, doc: &Document, i: usize, defs: &[usize]) -> usize {
    let sent = doc.tokens[i].sentence;
    let prev = (i > 0 && doc.tokens[i - 1].sentence == sent).then(|| doc.token_text(i - 1));
    let want = match prev {
        None => Pos::Noun,
        Some(p) => {
            let l = p.to_lowercase();
            if tables.definite.contains(&l) || tables.noun_context.contains(&l) {
                Pos::Noun
            } else if tables.verb_context.contains(&l) {
                Pos::Verb
            } else if p.chars().next().is_some_and(|c| c.is_uppercase()) {
                // "Blinken visits" is a verb, "in Blinken visit" a noun
                let before = (i > 1 && doc.tokens[i - 2].sentence == sent)
                    .then(|| doc.token_text(i - 2).to_lowercase());
                match before {
                    Some(b)
                        if tables.preps.contains(&b)
                            || tables.definite.contains(&b)
                            || b == "a"
                            || b == "an" =>
                    {
                        Pos::Noun
                    }
                    _ => Pos::Verb,
                }
            } else {
                Pos::Noun
            }
        }
    };
    defs.iter()
        .copied()
        .find(|&d| tables.defs[d].pos == want)
        .unwrap_or(defs[0])
}
