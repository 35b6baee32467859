//! Parsing, linking and validation of gazetteer files.
//!
//! Errors (a malformed row, an unknown id) stop loading. Problems (an
//! overlapping tenure, an alias shared by two entities of one kind, an id
//! defined twice) are reported by `readout gazetteer check` but do not
//! stop loading: the later row wins.

use super::offices::{Holder, Office, PartialDate};
use super::{
    parse_attrs, rows, Entity, EntityKind, Gazetteer, Sources, ENTITY_HEADER, HOLDER_HEADER,
    OFFICE_HEADER,
};
use crate::lexicon::DataError;
use crate::lexicon::FxMap;
use std::collections::BTreeMap;

/// The outcome of reading all files.
#[derive(Debug, Default)]
pub struct Report {
    pub gazetteer: Gazetteer,
    pub errors: Vec<DataError>,
    pub problems: Vec<DataError>,
}

impl Report {
    /// Entity counts by kind, plus offices and holders.
    pub fn counts(&self) -> BTreeMap<String, usize> {
        let mut c = BTreeMap::new();
        for e in &self.gazetteer.entities {
            *c.entry(e.kind.as_str().to_string()).or_insert(0) += 1;
            if let Some(t) = e.attr("type") {
                *c.entry(format!("{}:{t}", e.kind.as_str())).or_insert(0) += 1;
            }
        }
        let aliases: usize = self
            .gazetteer
            .entities
            .iter()
            .map(|e| e.aliases.len() + 1)
            .sum();
        c.insert("names and aliases".into(), aliases);
        c.insert("offices".into(), self.gazetteer.offices.len());
        c.insert("office holders".into(), self.gazetteer.holders.len());
        c
    }
}

fn split_list(s: &str) -> Vec<String> {
    crate::lexicon::split_ascii(s, b'|')
        .map(crate::lexicon::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_string)
        .collect()
}

/// Every row of every file, as (file, line, fields); a file whose header is
/// wrong adds an error and contributes no rows.
fn file_rows<'a>(
    files: &'a [(String, String)],
    header: &[&str],
    errors: &mut Vec<DataError>,
) -> Vec<(&'a str, usize, Vec<&'a str>)> {
    let mut out = Vec::new();
    for (file, text) in files {
        match rows(file, text, header) {
            Ok(rs) => out.extend(rs.into_iter().map(|(line, f)| (file.as_str(), line, f))),
            Err(e) => errors.push(e),
        }
    }
    out
}

/// Read, link and validate everything in `src`.
pub fn check(src: &Sources) -> Report {
    let mut rep = Report::default();
    let g = &mut rep.gazetteer;
    // ---- entities
    let entity_rows = file_rows(&src.entity_files, ENTITY_HEADER, &mut rep.errors);
    g.entities.reserve(entity_rows.len());
    g.by_id.reserve(entity_rows.len());
    for (file, line, f) in entity_rows {
        let at = |m: String| DataError {
            file: file.to_string(),
            line,
            message: m,
        };
        let get = |i: usize| f.get(i).copied().unwrap_or("");
        let (id, name, kind) = (get(0), get(1), get(2));
        if id.is_empty() || name.is_empty() {
            rep.errors.push(at("id and name must not be empty".into()));
            continue;
        }
        let Some(k) = EntityKind::parse(kind) else {
            rep.errors.push(at(format!(
                "kind must be person, organization or place, found '{kind}'"
            )));
            continue;
        };
        if !id
            .strip_prefix(kind)
            .is_some_and(|rest| rest.starts_with(':'))
        {
            rep.errors
                .push(at(format!("id '{id}' must start with '{kind}:'")));
            continue;
        }
        let attrs = match parse_attrs(get(4)) {
            Ok(a) => a,
            Err(m) => {
                rep.errors.push(at(m));
                continue;
            }
        };
        let e = Entity {
            id: id.to_string(),
            name: name.to_string(),
            kind: k,
            aliases: split_list(get(3)),
            attrs,
            origin: (file.to_string(), line),
        };
        match g.by_id.get(id) {
            Some(&i) => {
                let prev = &g.entities[i].origin;
                if prev.0 == file {
                    rep.problems
                        .push(at(format!("id '{id}' is also defined at line {}", prev.1)));
                }
                g.entities[i] = e;
            }
            None => {
                g.by_id.insert(id.to_string(), g.entities.len());
                g.entities.push(e);
            }
        }
    }
    // ---- offices
    for (file, line, f) in file_rows(&src.office_files, OFFICE_HEADER, &mut rep.errors) {
        let at = |m: String| DataError {
            file: file.to_string(),
            line,
            message: m,
        };
        let get = |i: usize| f.get(i).copied().unwrap_or("");
        let (id, jur, role) = (get(0), get(1), get(2));
        if !id.starts_with("office:") {
            rep.errors
                .push(at(format!("office id '{id}' must start with 'office:'")));
            continue;
        }
        let Some(&j) = g.by_id.get(jur) else {
            rep.errors.push(at(format!(
                "unknown jurisdiction '{jur}' (no entity has this id)"
            )));
            continue;
        };
        if role.is_empty() {
            rep.errors.push(at("role must not be empty".into()));
            continue;
        }
        let attrs = match parse_attrs(get(4)) {
            Ok(a) => a,
            Err(m) => {
                rep.errors.push(at(m));
                continue;
            }
        };
        let o = Office {
            id: id.to_string(),
            jurisdiction: j,
            role: role.to_string(),
            titles: split_list(get(3)),
            attrs,
            origin: (file.to_string(), line),
        };
        match g.office_by_id.get(id) {
            Some(&i) => g.offices[i] = o,
            None => {
                g.office_by_id.insert(id.to_string(), g.offices.len());
                g.offices.push(o);
            }
        }
    }
    // ---- holders
    let holder_rows = file_rows(&src.holder_files, HOLDER_HEADER, &mut rep.errors);
    g.holders.reserve(holder_rows.len());
    for (file, line, f) in holder_rows {
        let at = |m: String| DataError {
            file: file.to_string(),
            line,
            message: m,
        };
        let get = |i: usize| f.get(i).copied().unwrap_or("");
        let Some(&office) = g.office_by_id.get(get(0)) else {
            rep.errors.push(at(format!(
                "unknown office '{}' (not in offices.tsv)",
                get(0)
            )));
            continue;
        };
        let Some(&person) = g.by_id.get(get(1)) else {
            rep.errors.push(at(format!(
                "unknown person '{}' (not in people.tsv)",
                get(1)
            )));
            continue;
        };
        let date = |s: &str, what: &str| -> Result<Option<PartialDate>, DataError> {
            if s.is_empty() {
                return Ok(None);
            }
            PartialDate::parse(s)
                .map(Some)
                .ok_or_else(|| at(format!("{what} '{s}' is not YYYY, YYYY-MM or YYYY-MM-DD")))
        };
        let start = match date(get(2), "start") {
            Ok(Some(d)) => d,
            Ok(None) => {
                rep.errors.push(at("start must not be empty".into()));
                continue;
            }
            Err(e) => {
                rep.errors.push(e);
                continue;
            }
        };
        let (end, until) = match (date(get(3), "end"), date(get(4), "confirmed_until")) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(e), _) | (_, Err(e)) => {
                rep.errors.push(e);
                continue;
            }
        };
        g.holders.push(Holder {
            office,
            person,
            start,
            end,
            confirmed_until: until,
            source: get(5).to_string(),
            origin: (file.to_string(), line),
        });
    }
    link(g, &mut rep.problems);
    rep
}

/// Build the indexes and report overlaps and alias clashes.
fn link(g: &mut Gazetteer, problems: &mut Vec<DataError>) {
    g.holders_of = vec![Vec::new(); g.offices.len()];
    for (i, h) in g.holders.iter().enumerate() {
        g.holders_of[h.office].push(i);
        g.offices_of_person
            .entry(h.person)
            .or_default()
            .push(h.office);
    }
    for v in g.offices_of_person.values_mut() {
        v.sort();
        v.dedup();
    }
    for (oi, hs) in g.holders_of.iter_mut().enumerate() {
        hs.sort_by_key(|&h| g.holders[h].start.first_day());
        let shared = g.offices[oi]
            .attrs
            .get("shared")
            .is_some_and(|v| v == "1" || v == "yes");
        if shared {
            continue;
        }
        for w in hs.windows(2) {
            let (a, b) = (&g.holders[w[0]], &g.holders[w[1]]);
            let a_end = a.end.map(|e| e.first_day());
            let overlap = match a_end {
                Some(e) => b.start.first_day() < e,
                None => a
                    .confirmed_until
                    .is_none_or(|u| b.start.first_day() <= u.last_day()),
            };
            if overlap {
                problems.push(DataError {
                    file: b.origin.0.clone(),
                    line: b.origin.1,
                    message: format!(
                        "tenure of {} in {} overlaps {}'s (line {})",
                        g.entities[b.person].id,
                        g.offices[oi].id,
                        g.entities[a.person].id,
                        a.origin.1
                    ),
                });
            }
        }
    }
    for (oi, o) in g.offices.iter().enumerate() {
        g.office_by_role
            .entry((o.jurisdiction, o.role.clone()))
            .or_default()
            .push(oi);
        if let Some(also) = o.attrs.get("also") {
            for r in also.split('|') {
                g.office_by_role
                    .entry((o.jurisdiction, r.trim().to_string()))
                    .or_default()
                    .push(oi);
            }
        }
    }
    // aliases shared by two entities of one kind
    let mut seen: FxMap<(EntityKind, &str), usize> = FxMap::default();
    for (i, e) in g.entities.iter().enumerate() {
        let mut names: Vec<&str> = vec![e.name.as_str()];
        names.extend(e.aliases.iter().map(|s| s.as_str()));
        names.sort();
        names.dedup();
        for n in names {
            let key = (e.kind, n);
            match seen.get(&key) {
                Some(&j) if j != i => problems.push(DataError {
                    file: e.origin.0.clone(),
                    line: e.origin.1,
                    message: format!(
                        "alias '{n}' of {} also names {} (line {})",
                        e.id, g.entities[j].id, g.entities[j].origin.1
                    ),
                }),
                _ => {
                    seen.insert(key, i);
                }
            }
        }
    }
}
