//! The whole pipeline, compiled once and run per document.

use crate::dates::{DateModel, Timex};
use crate::document::{Document, DocumentModel};
use crate::entities::{EntityLayer, EntityModel};
use crate::events::{Event, EventModel};
use crate::gazetteer::{Gazetteer, Sources};
use crate::lexicon::{DataError, Lexicon};
use crate::statements::{Statement, StatementModel};
use chrono::NaiveDate;
use serde::Serialize;
use std::path::Path;

/// Every stage's compiled resources.
#[derive(Debug, Clone)]
pub struct Pipeline {
    pub lexicon: Lexicon,
    pub document: DocumentModel,
    pub entities: EntityModel,
    pub dates: DateModel,
    pub statements: StatementModel,
    pub events: EventModel,
}

/// One document with all its layers.
#[derive(Debug, Clone)]
pub struct Annotated {
    pub doc: Document,
    pub entities: EntityLayer,
    pub timexes: Vec<Timex>,
    pub statements: Vec<Statement>,
    pub events: Vec<Event>,
}

impl Pipeline {
    /// The pipeline on the embedded gazetteer and lexicon.
    pub fn embedded() -> Result<Pipeline, DataError> {
        Pipeline::load(&[])
    }

    /// The embedded data plus user gazetteer directories (`--gazetteer DIR`).
    pub fn load(dirs: &[&Path]) -> Result<Pipeline, DataError> {
        let mut lexicon = Lexicon::embedded()?;
        let mut sources = Sources::embedded();
        for d in dirs {
            sources.add_dir(d)?;
            lexicon.add_dir(d)?;
        }
        let gazetteer = Gazetteer::from_sources(&sources)?;
        Ok(Pipeline {
            document: DocumentModel::new(&lexicon)?,
            entities: EntityModel::new(&lexicon, gazetteer)?,
            dates: DateModel::new(&lexicon)?,
            statements: StatementModel::new(&lexicon)?,
            events: EventModel::new(&lexicon)?,
            lexicon,
        })
    }

    /// Run every stage on one text.
    pub fn annotate(&self, id: &str, text: &str, date: Option<NaiveDate>) -> Annotated {
        let doc = self.document.parse(id, text.to_string(), date);
        let entities = self.entities.run(&doc);
        let timexes = self.dates.tag(&doc);
        let statements = self.statements.extract(&doc, &entities, &timexes);
        let events = self.events.extract(&doc, &entities, &timexes, &statements);
        Annotated {
            doc,
            entities,
            timexes,
            statements,
            events,
        }
    }
}

#[derive(Serialize)]
struct DocJson<'a> {
    id: &'a str,
    date: Option<NaiveDate>,
    length: usize,
    dateline: Option<&'a crate::document::Dateline>,
    byline: Option<crate::document::Span>,
    paragraphs: &'a [crate::document::Paragraph],
    sentences: &'a [crate::document::Sentence],
}

#[derive(Serialize)]
struct MentionJson<'a> {
    span: crate::document::Span,
    text: &'a str,
    entity: Option<&'a str>,
    name: Option<&'a str>,
    kind: &'a str,
    how: crate::entities::How,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<crate::document::Span>,
}

#[derive(Serialize)]
struct StatementJson<'a> {
    #[serde(flatten)]
    s: &'a Statement,
    text: &'a str,
    speaker_id: Option<&'a str>,
    addressee_id: Option<&'a str>,
}

#[derive(Serialize)]
struct EventJson<'a> {
    #[serde(flatten)]
    e: &'a Event,
    participant_ids: Vec<&'a str>,
    host_ids: Vec<&'a str>,
    place_id: Option<&'a str>,
}

impl Annotated {
    /// The layers as JSON (`readout annotate --format json`).
    pub fn to_json(&self) -> serde_json::Value {
        let ents = &self.entities.entities;
        let id = |e: Option<usize>| e.map(|e| ents[e].id.as_str());
        let mentions: Vec<MentionJson> = self
            .entities
            .mentions
            .iter()
            .map(|m| MentionJson {
                span: m.span,
                text: self.doc.slice(m.span),
                entity: id(m.entity),
                name: m.entity.map(|e| ents[e].name.as_str()),
                kind: m.kind.as_str(),
                how: m.how,
                role: m.role.as_deref(),
                title: m.title,
            })
            .collect();
        let quotes: Vec<StatementJson> = self
            .statements
            .iter()
            .map(|s| StatementJson {
                s,
                text: self.doc.slice(s.span),
                speaker_id: id(s.speaker),
                addressee_id: id(s.addressee),
            })
            .collect();
        let events: Vec<EventJson> = self
            .events
            .iter()
            .map(|e| EventJson {
                e,
                participant_ids: e
                    .participants
                    .iter()
                    .map(|&p| ents[p].id.as_str())
                    .collect(),
                host_ids: e.hosts.iter().map(|&p| ents[p].id.as_str()).collect(),
                place_id: id(e.place),
            })
            .collect();
        serde_json::json!({
            "document": DocJson {
                id: &self.doc.id,
                date: self.doc.date,
                length: self.doc.text.len(),
                dateline: self.doc.dateline.as_ref(),
                byline: self.doc.byline,
                paragraphs: &self.doc.paragraphs,
                sentences: &self.doc.sentences,
            },
            "entities": ents,
            "mentions": mentions,
            "timexes": self.timexes,
            "quotes": quotes,
            "events": events,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::gazetteer::EntityKind;
    use std::collections::BTreeMap;

    /// The people by short form (EntityModel::new's `shorts`) as first
    /// computed: each person's forms as owned strings, sorted, deduplicated.
    #[test]
    fn short_forms_agree_with_the_reference() {
        let p = crate::Pipeline::embedded().unwrap();
        let mut want: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, e) in p.entities.gazetteer.entities.iter().enumerate() {
            if e.kind != EntityKind::Person {
                continue;
            }
            let mut forms: Vec<String> = e.attr_items("short").map(str::to_string).collect();
            if let Some(last) = e.name.split_whitespace().last() {
                forms.push(last.trim_end_matches(',').to_string());
            }
            forms.sort();
            forms.dedup();
            for f in forms {
                want.entry(f).or_default().push(i);
            }
        }
        let got: BTreeMap<String, Vec<usize>> = (p.entities.shorts.iter())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        assert!(got.len() > 1000, "{}", got.len());
        assert_eq!(got, want);
    }
}
