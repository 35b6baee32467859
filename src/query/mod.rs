//! Questions asked of a knowledge graph: who said what (to whom, about
//! what, when), who met whom (where, when), and an actor's timeline.
//!
//! Names resolve to entity ids through the pipeline (gazetteer names,
//! aliases, office titles on a date: "the Secretary of State") and through
//! the graph's own labels and aliases ([`Resolver`]). Dates are ISO 8601 at
//! any precision; a date range keeps every item whose date overlaps it.

use crate::graph::{KnowledgeGraph, Node};
use crate::Pipeline;
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeSet;

/// Entity kinds (the rest are statements and events).
pub const ACTOR_KINDS: [&str; 3] = ["person", "organization", "place"];
/// Event kinds.
pub const EVENT_KINDS: [&str; 3] = ["meeting", "call", "visit"];

/// Resolves names to the ids of actor nodes of one graph.
pub struct Resolver<'a> {
    pub graph: &'a KnowledgeGraph,
    pub pipeline: Option<&'a Pipeline>,
    /// The date on which titles are resolved ("the Secretary of State").
    pub date: Option<NaiveDate>,
}

fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Resolver<'_> {
    /// Every actor id `name` may refer to: a node id, what the pipeline
    /// resolves the name to (on the resolver's date), or a graph node whose
    /// label, alias or surname is the name.
    pub fn resolve(&self, name: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        if let Some(n) = self.graph.node(name) {
            if ACTOR_KINDS.contains(&n.kind.as_str()) {
                out.insert(n.id.clone());
                return out;
            }
        }
        if let Some(p) = self.pipeline {
            let a = p.annotate("query", name, self.date);
            for m in &a.entities.mentions {
                if let Some(e) = m.entity {
                    let id = &a.entities.entities[e].id;
                    if self.graph.node(id).is_some() {
                        out.insert(id.clone());
                    }
                }
            }
        }
        if !out.is_empty() {
            return out;
        }
        let want = norm(name.trim_start_matches("the ").trim_start_matches("The "));
        if want.is_empty() {
            return out;
        }
        for n in self.graph.graph.node_weights() {
            if !ACTOR_KINDS.contains(&n.kind.as_str()) {
                continue;
            }
            let mut names = vec![n.label.as_str()];
            if let Some(Value::Array(a)) = n.attrs.get("aliases") {
                names.extend(a.iter().filter_map(|x| x.as_str()));
            }
            let hit = names.iter().any(|s| {
                let s = norm(s);
                s == want || (n.kind == "person" && s.rsplit(' ').next() == Some(want.as_str()))
            });
            if hit {
                out.insert(n.id.clone());
            }
        }
        out
    }
}

/// A date range; bounds are ISO dates at any precision ("2023", "2023-06").
#[derive(Clone, Debug, Default)]
pub struct Range {
    pub since: Option<String>,
    pub until: Option<String>,
}

/// Check a range bound: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
pub fn check_bound(s: &str) -> Result<(), String> {
    let ok = match s.len() {
        4 => s.parse::<u32>().is_ok(),
        7 => NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").is_ok(),
        10 => NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok(),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!("'{s}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"))
    }
}

/// The first and last day a partial ISO date can stand for, as comparable strings.
fn bounds(d: &str) -> (String, String) {
    let d = d.get(..10).unwrap_or(d);
    match d.len() {
        4 => (format!("{d}-00-00"), format!("{d}-99-99")),
        7 => (format!("{d}-00"), format!("{d}-99")),
        _ => (d.to_string(), d.to_string()),
    }
}

impl Range {
    pub fn is_empty(&self) -> bool {
        self.since.is_none() && self.until.is_none()
    }

    /// True when `date` overlaps the range (an undated item only matches an open range).
    pub fn contains(&self, date: Option<&str>) -> bool {
        let Some(d) =
            date.filter(|d| d.len() >= 4 && d.as_bytes()[..4].iter().all(u8::is_ascii_digit))
        else {
            return self.is_empty();
        };
        let (start, end) = bounds(d);
        if let Some(s) = &self.since {
            if end < bounds(s).0 {
                return false;
            }
        }
        if let Some(u) = &self.until {
            if start > bounds(u).1 {
                return false;
            }
        }
        true
    }
}

/// One statement found by a query.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Said {
    pub id: String,
    pub date: Option<String>,
    pub speaker: Option<String>,
    pub speaker_id: Option<String>,
    pub addressee: Option<String>,
    pub addressee_id: Option<String>,
    /// Who heard it when that is a group, not an entity ("reporters").
    pub audience: Option<String>,
    pub text: String,
    pub direct: Option<bool>,
    pub document: Option<String>,
    pub span: Option<Value>,
}

/// One event found by a query.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Met {
    pub id: String,
    pub kind: String,
    pub date: Option<String>,
    pub status: Option<String>,
    pub participants: Vec<String>,
    pub participant_ids: Vec<String>,
    pub place: Option<String>,
    pub place_id: Option<String>,
    pub documents: Vec<String>,
}

/// One line of a timeline.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum TimelineItem {
    Said(Said),
    Event(Met),
}

impl TimelineItem {
    pub fn date(&self) -> Option<&str> {
        match self {
            TimelineItem::Said(s) => s.date.as_deref(),
            TimelineItem::Event(m) => m.date.as_deref(),
        }
    }
}

fn s_attr(n: &Node, k: &str) -> Option<String> {
    n.attrs.get(k).and_then(|v| v.as_str()).map(str::to_string)
}

fn label(g: &KnowledgeGraph, id: &str) -> String {
    g.node(id)
        .map(|n| n.label.clone())
        .unwrap_or_else(|| id.to_string())
}

fn documents_of(n: &Node) -> Vec<String> {
    let mut d: Vec<String> = n.provenance.iter().map(|p| p.document.clone()).collect();
    if let Some(x) = s_attr(n, "document") {
        d.push(x);
    }
    d.sort();
    d.dedup();
    d
}

/// A statement node as a [`Said`]; the date falls back to the document's date.
pub fn said_of(g: &KnowledgeGraph, n: &Node) -> Said {
    let speaker_id = g.neighbours(&n.id, "said", true).into_iter().next();
    let addressee_id = g.neighbours(&n.id, "addressed", false).into_iter().next();
    let document =
        s_attr(n, "document").or_else(|| n.provenance.first().map(|p| p.document.clone()));
    let date = s_attr(n, "date").or_else(|| {
        document
            .as_ref()
            .and_then(|d| g.documents.get(d).cloned().flatten())
    });
    Said {
        id: n.id.clone(),
        date,
        speaker: speaker_id.as_deref().map(|i| label(g, i)),
        addressee: addressee_id.as_deref().map(|i| label(g, i)),
        speaker_id,
        addressee_id,
        audience: s_attr(n, "audience"),
        text: s_attr(n, "text").unwrap_or_else(|| n.label.clone()),
        direct: n.attrs.get("direct").and_then(|v| v.as_bool()),
        document,
        span: n.attrs.get("span").cloned(),
    }
}

/// An event node as a [`Met`]; an undated event takes its document's date.
pub fn met_of(g: &KnowledgeGraph, n: &Node) -> Met {
    let mut ids = g.neighbours(&n.id, "participated", true);
    ids.extend(g.neighbours(&n.id, "hosted", true));
    let place_id = g.neighbours(&n.id, "held_at", false).into_iter().next();
    let documents = documents_of(n);
    let date = s_attr(n, "date").or_else(|| {
        let mut ds: Vec<String> = documents
            .iter()
            .filter_map(|d| g.documents.get(d).cloned().flatten())
            .collect();
        ds.sort();
        ds.into_iter().next()
    });
    let mut participants: Vec<(String, String)> =
        ids.into_iter().map(|i| (label(g, &i), i)).collect();
    participants.sort();
    Met {
        id: n.id.clone(),
        kind: n.kind.clone(),
        date,
        status: s_attr(n, "status"),
        participant_ids: participants.iter().map(|p| p.1.clone()).collect(),
        participants: participants.into_iter().map(|p| p.0).collect(),
        place: place_id.as_deref().map(|i| label(g, i)),
        place_id,
        documents,
    }
}

/// Newest first; undated last; ties in document and span order.
fn newest_first(a: (Option<&str>, &str), b: (Option<&str>, &str)) -> std::cmp::Ordering {
    match (a.0, b.0) {
        (Some(x), Some(y)) => y.cmp(x).then(a.1.cmp(b.1)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.1.cmp(b.1),
    }
}

/// Filters of `said`; each set holds the ids a name resolved to (None: no filter).
#[derive(Clone, Debug, Default)]
pub struct SaidFilter {
    pub by: Option<BTreeSet<String>>,
    /// Addressees: entity ids, or an audience ("reporters") given by name.
    pub to: Option<(BTreeSet<String>, String)>,
    /// Entities the statement must mention, or words its text must contain.
    pub about: Option<(BTreeSet<String>, String)>,
    pub range: Range,
}

fn hit(set: &Option<BTreeSet<String>>, id: Option<&String>) -> bool {
    match set {
        None => true,
        Some(s) => id.is_some_and(|i| s.contains(i)),
    }
}

/// True when the audience `au` of a statement is the one asked for
/// (`want`): the same words, case and a leading "the" aside.
fn same_audience(au: &str, want: &str) -> bool {
    let bare = |s: &str| {
        let s = norm(s);
        s.strip_prefix("the ").map(str::to_string).unwrap_or(s)
    };
    !want.trim().is_empty() && bare(au) == bare(want)
}

/// True when some statement of `g` was addressed to the audience `name`.
pub fn has_audience(g: &KnowledgeGraph, name: &str) -> bool {
    g.graph.node_weights().any(|n| {
        n.kind == "statement"
            && n.attrs
                .get("audience")
                .and_then(Value::as_str)
                .is_some_and(|au| same_audience(au, name))
    })
}

/// The statements matching `f`, newest first.
pub fn said(g: &KnowledgeGraph, f: &SaidFilter) -> Vec<Said> {
    let mut out: Vec<Said> = g
        .sorted_nodes()
        .into_iter()
        .filter(|n| n.kind == "statement")
        .map(|n| (n, said_of(g, n)))
        .filter(|(n, s)| {
            hit(&f.by, s.speaker_id.as_ref())
                && match &f.to {
                    None => true,
                    Some((ids, words)) => {
                        s.addressee_id.as_ref().is_some_and(|i| ids.contains(i))
                            || s.audience
                                .as_deref()
                                .is_some_and(|au| same_audience(au, words))
                    }
                }
                && f.range.contains(s.date.as_deref())
                && match &f.about {
                    None => true,
                    Some((ids, words)) => {
                        let m = g.neighbours(&n.id, "mentions", false);
                        ids.iter().any(|i| m.contains(i))
                            || (!words.is_empty()
                                && s.text.to_lowercase().contains(&words.to_lowercase()))
                    }
                }
        })
        .map(|(_, s)| s)
        .collect();
    out.sort_by(|a, b| {
        newest_first(
            (a.date.as_deref(), a.document.as_deref().unwrap_or("")),
            (b.date.as_deref(), b.document.as_deref().unwrap_or("")),
        )
        .then(span_start(a).cmp(&span_start(b)))
    });
    out
}

fn span_start(s: &Said) -> u64 {
    s.span
        .as_ref()
        .and_then(|v| v.get(0))
        .and_then(|v| v.as_u64())
        .unwrap_or(0)
}

/// Filters of `met`.
#[derive(Clone, Debug, Default)]
pub struct MetFilter {
    /// Every set must meet one participant.
    pub with: Vec<BTreeSet<String>>,
    pub at: Option<BTreeSet<String>>,
    /// Event kinds to keep (empty: all).
    pub kinds: Vec<String>,
    pub range: Range,
}

/// The events matching `f`, newest first.
pub fn met(g: &KnowledgeGraph, f: &MetFilter) -> Vec<Met> {
    let mut out: Vec<Met> = g
        .sorted_nodes()
        .into_iter()
        .filter(|n| {
            EVENT_KINDS.contains(&n.kind.as_str())
                && (f.kinds.is_empty() || f.kinds.contains(&n.kind))
        })
        .map(|n| met_of(g, n))
        .filter(|m| {
            f.with
                .iter()
                .all(|set| m.participant_ids.iter().any(|p| set.contains(p)))
                && hit(&f.at, m.place_id.as_ref())
                && f.range.contains(m.date.as_deref())
        })
        .collect();
    out.sort_by(|a, b| newest_first((a.date.as_deref(), &a.id), (b.date.as_deref(), &b.id)));
    out
}

/// Everything the actors in `who` said or took part in, oldest first
/// (undated items last).
pub fn timeline(g: &KnowledgeGraph, who: &BTreeSet<String>, range: &Range) -> Vec<TimelineItem> {
    let said = said(
        g,
        &SaidFilter {
            by: Some(who.clone()),
            range: range.clone(),
            ..Default::default()
        },
    );
    let met = met(
        g,
        &MetFilter {
            with: vec![who.clone()],
            range: range.clone(),
            ..Default::default()
        },
    );
    let mut items: Vec<TimelineItem> = said
        .into_iter()
        .map(TimelineItem::Said)
        .chain(met.into_iter().map(TimelineItem::Event))
        .collect();
    // the lists come newest first; reverse to oldest first, keeping undated items last
    items.sort_by(|a, b| match (a.date(), b.date()) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    items
}

/// A plain-text table: columns padded to their widest cell, the last column
/// left unpadded.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let clean = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| clean(c)).collect())
        .collect();
    let mut w: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in &rows {
        for (i, c) in r.iter().enumerate() {
            if i < w.len() {
                w[i] = w[i].max(c.chars().count().min(40));
            }
        }
    }
    let mut out = String::new();
    let mut line = |cells: Vec<String>| {
        let n = cells.len();
        for (i, c) in cells.into_iter().enumerate() {
            if i + 1 == n {
                out.push_str(&c);
            } else {
                let c: String = if c.chars().count() > 40 {
                    c.chars().take(39).chain(['…']).collect()
                } else {
                    c
                };
                let pad = w[i].saturating_sub(c.chars().count());
                out.push_str(&c);
                out.push_str(&" ".repeat(pad + 2));
            }
        }
        out.push('\n');
    };
    line(header.iter().map(|h| h.to_string()).collect());
    for r in rows {
        line(r);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_overlap_partial_dates() {
        let r = Range {
            since: Some("2023-06-10".into()),
            until: Some("2023-06-20".into()),
        };
        assert!(r.contains(Some("2023-06")));
        assert!(r.contains(Some("2023-06-19")));
        assert!(!r.contains(Some("2023-06-21")));
        assert!(!r.contains(Some("2022")));
        assert!(!r.contains(None));
        assert!(Range::default().contains(None));
        let y = Range {
            since: Some("2023".into()),
            until: None,
        };
        assert!(y.contains(Some("2023-01-01")));
        assert!(!y.contains(Some("2022-12-31")));
        assert!(check_bound("2023-13").is_err());
        assert!(check_bound("2023-02-03").is_ok());
    }

    #[test]
    fn table_pads_columns() {
        let t = table(&["A", "B"], &[vec!["xx".into(), "y".into()]]);
        assert_eq!(t, "A   B\nxx  y\n");
    }
}
