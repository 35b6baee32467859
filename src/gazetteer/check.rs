//! Parsing, linking and validation of gazetteer files.
//!
//! Errors (a malformed row, an unknown id) stop loading. Problems (an
//! overlapping tenure, an alias shared by two entities of one kind, an id
//! defined twice) are reported by `readout gazetteer check` but do not
//! stop loading: the later row wins.

use super::offices::{Holder, Office, PartialDate};
use super::{
    embedded_rows_into, rows_into, Attrs, Entity, EntityKind, Gazetteer, List, SourceFile, Sources,
    ENTITY_HEADER, HOLDER_HEADER, OFFICE_HEADER,
};
use crate::lexicon::DataError;
use crate::lexicon::FxMap;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

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

/// `field`, a slice of the text of one of `files`, for keeps: borrowed
/// in place if that text is (an embedded file's), else copied.
fn keep(files: &[SourceFile], field: &str) -> Cow<'static, str> {
    if field.is_empty() {
        return Cow::Borrowed("");
    }
    let p = field.as_ptr() as usize;
    for (_, text) in files {
        if let Cow::Borrowed(t) = text {
            let start = t.as_ptr() as usize;
            if start <= p && p + field.len() <= start + t.len() {
                let at = p - start;
                return Cow::Borrowed(&t[at..at + field.len()]);
            }
        }
    }
    Cow::Owned(field.to_string())
}

/// A row: (file, line, fields).
type FileRow<'a, const N: usize> = (&'a str, usize, [&'a str; N]);

/// Every row of every file, as (file, line, fields); a file whose header is
/// wrong (or with a row of too many fields) adds an error and contributes
/// no rows. With each row, the set of its attributes' key bits if the
/// build script found them well-formed (a row of an embedded file).
fn file_rows<'a, const N: usize>(
    files: &'a [SourceFile],
    header: &[&str],
    errors: &mut Vec<DataError>,
) -> (Vec<FileRow<'a, N>>, Vec<Option<u64>>) {
    // about one row per 90 bytes (reserved once: no copy as it grows)
    let mut out = Vec::with_capacity(files.iter().map(|(_, t)| t.len() / 64).sum());
    let mut keys = Vec::new();
    for (file, text) in files {
        if embedded_rows_into(file, text, &mut out, &mut keys) {
            keys.resize(out.len(), None);
            continue;
        }
        if let Err(e) = rows_into(file, text, header, &mut out) {
            errors.push(e);
        }
        keys.resize(out.len(), None);
    }
    (out, keys)
}

/// Read, link and validate everything in `src`, with the problems.
pub fn check(src: &Sources) -> Report {
    check_with(src, true)
}

/// [`check`], looking for problems only if `problems` (loading skips
/// them: they never stop it, and `gazetteer check` and the tests report
/// them).
pub(crate) fn check_with<'a>(src: &'a Sources, problems: bool) -> Report {
    let mut rep = Report::default();
    let g = &mut rep.gazetteer;
    // each file's shown name, shared by the origins of its rows (which
    // come file by file: the last one's is at hand)
    let mut names: Vec<(&'a str, Arc<str>)> = Vec::new();
    let mut origin = |file: &'a str, line: usize| -> (Arc<str>, usize) {
        if let Some((_, name)) = names.last().filter(|(f, _)| std::ptr::eq(*f, file)) {
            return (name.clone(), line);
        }
        let name = match names.iter().find(|(f, _)| std::ptr::eq(*f, file)) {
            Some((_, name)) => name.clone(),
            None => Arc::from(file),
        };
        names.push((file, name.clone()));
        (name, line)
    };
    // ---- entities
    let (entity_rows, keys) = file_rows::<5>(&src.entity_files, ENTITY_HEADER, &mut rep.errors);
    g.entities.reserve(entity_rows.len());
    g.by_id.reserve(entity_rows.len());
    for ((file, line, f), keys) in entity_rows.into_iter().zip(keys) {
        let at = |m: String| DataError {
            file: file.to_string(),
            line,
            message: m,
        };
        let [id, name, kind, aliases, attrs] = f;
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
        let attrs = match keys {
            Some(keys) => Ok(Attrs::with_keys(keep(&src.entity_files, attrs), keys)),
            None => Attrs::parse(keep(&src.entity_files, attrs)),
        };
        let attrs = match attrs {
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
            aliases: List::new(keep(&src.entity_files, aliases)),
            attrs,
            origin: origin(file, line),
        };
        match g.by_id.get(id) {
            Some(&i) => {
                let prev = &g.entities[i].origin;
                if problems && &*prev.0 == file {
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
    let (office_rows, keys) = file_rows::<5>(&src.office_files, OFFICE_HEADER, &mut rep.errors);
    for ((file, line, f), keys) in office_rows.into_iter().zip(keys) {
        let at = |m: String| DataError {
            file: file.to_string(),
            line,
            message: m,
        };
        let [id, jur, role, titles, attrs] = f;
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
        let attrs = match keys {
            Some(keys) => Ok(Attrs::with_keys(keep(&src.office_files, attrs), keys)),
            None => Attrs::parse(keep(&src.office_files, attrs)),
        };
        let attrs = match attrs {
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
            titles: List::new(keep(&src.office_files, titles)),
            attrs,
            origin: origin(file, line),
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
    let (holder_rows, _) = file_rows::<6>(&src.holder_files, HOLDER_HEADER, &mut rep.errors);
    g.holders.reserve(holder_rows.len());
    for (file, line, f) in holder_rows {
        let at = |m: String| DataError {
            file: file.to_string(),
            line,
            message: m,
        };
        let get = |i: usize| f[i];
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
            origin: origin(file, line),
        });
    }
    link(g, problems.then_some(&mut rep.problems));
    rep
}

/// Build the indexes, and report overlaps and alias clashes to `problems`
/// if given.
fn link(g: &mut Gazetteer, mut problems: Option<&mut Vec<DataError>>) {
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
        let Some(problems) = problems.as_deref_mut() else {
            continue;
        };
        let shared = g.offices[oi]
            .attrs
            .value("shared")
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
                    file: b.origin.0.to_string(),
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
        if let Some(also) = o.attrs.value("also") {
            for r in also.split('|') {
                g.office_by_role
                    .entry((o.jurisdiction, r.trim().to_string()))
                    .or_default()
                    .push(oi);
            }
        }
    }
    // aliases shared by two entities of one kind
    let Some(problems) = problems else {
        return;
    };
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
                    file: e.origin.0.to_string(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::rows;

    #[test]
    fn loading_builds_what_the_full_check_builds() {
        let src = Sources::embedded();
        let (full, load) = (check(&src), check_with(&src, false));
        assert!(full.errors.is_empty() && load.errors.is_empty());
        assert!(load.problems.is_empty());
        let (a, b) = (&full.gazetteer, &load.gazetteer);
        assert_eq!(a.entities, b.entities);
        assert_eq!(a.offices, b.offices);
        assert_eq!(a.holders, b.holders);
        assert_eq!(a.holders_of, b.holders_of);
        let sorted = |m: &FxMap<(usize, String), Vec<usize>>| {
            let mut v: Vec<_> = m.iter().collect();
            v.sort();
            format!("{v:?}")
        };
        assert_eq!(sorted(&a.office_by_role), sorted(&b.office_by_role));
        let mut pa: Vec<_> = a.offices_of_person.iter().collect();
        let mut pb: Vec<_> = b.offices_of_person.iter().collect();
        pa.sort();
        pb.sort();
        assert_eq!(pa, pb);
        assert!(a.entities.len() > 1000 && a.holders.len() > 1000);
    }

    #[test]
    fn loading_still_reports_malformed_user_rows() {
        let mut src = Sources::embedded();
        src.entity_files.push((
            "mine.tsv".into(),
            "id\tname\tkind\taliases\tattributes\nplace:x\tX\tplace\t\ttype\n".into(),
        ));
        let e = crate::gazetteer::Gazetteer::from_sources(&src).unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("mine.tsv", 2), "{e}");
        assert!(e.message.contains("key=value"), "{e}");
        // too many fields: the file's first such row, and none of its rows load
        let mut src = Sources::embedded();
        src.entity_files.push((
            "wide.tsv".into(),
            "# c\nid\tname\tkind\taliases\tattributes\nplace:y\tY\tplace\t\t\nplace:z\tZ\tplace\t\t\tx\n"
                .into(),
        ));
        let rep = check_with(&src, false);
        assert_eq!(rep.errors.len(), 1);
        assert_eq!(
            (rep.errors[0].file.as_str(), rep.errors[0].line),
            ("wide.tsv", 4)
        );
        assert!(rep.gazetteer.entity("place:y").is_none());
    }

    /// Column `col` of every row of the embedded entity and office files.
    fn embedded_column(src: &Sources, col: usize) -> Vec<&str> {
        let mut fields = Vec::new();
        for (file, text) in src.entity_files.iter().chain(&src.office_files) {
            let header = if file.contains("offices") {
                OFFICE_HEADER
            } else {
                ENTITY_HEADER
            };
            for (_, f) in rows(file, text, header).unwrap() {
                fields.push(f.get(col).copied().unwrap_or(""));
            }
        }
        fields
    }

    #[test]
    fn scanned_attributes_agree_with_the_reference() {
        use crate::gazetteer::{parse_attrs, parse_attrs_reference};
        let src = Sources::embedded();
        let fields = embedded_column(&src, 4);
        assert!(fields.len() > 1000);
        let more = [
            "",
            ";",
            " ; a=b ; ",
            "a=b;a=c",
            "a",
            "a=b;c",
            "=x",
            "a==b",
            "k = v ;k2=v2",
            "é=ü;  ",
            "a=b;;c=d",
            "x=1;y",
            "b=2;a=1;b=3",
            " =",
            "a=;=b",
            "a\t=\tb",
            "wikidata=Q1;type=country;adj=French|Gallic;iso2=FR;capital=place:paris",
            "a=0123456789abcdef0123456789;b=0123456789abcdef;c",
        ];
        let keys = [
            "", "a", "b", "c", "k", "k2", "x", "y", "é", "type", "adj", "short", "gender",
            "country", "iso2", "also", "shared", "leader", "wikidata", " a", "a=", "a b",
        ];
        let mut found = 0;
        for s in fields.into_iter().chain(more) {
            let want = parse_attrs_reference(s);
            assert_eq!(parse_attrs(s), want, "{s:?}");
            // the check without a map, and the values read in place
            let checked = want.as_ref().map(|_| ()).map_err(String::clone);
            assert_eq!(crate::gazetteer::check_attrs(s), checked);
            let parsed = Attrs::parse(Cow::Owned(s.to_string()));
            assert_eq!(parsed.map(|_| ()), checked);
            let Ok(want) = want else { continue };
            let attrs = Attrs::new(Cow::Owned(s.to_string()));
            for k in want.keys().map(String::as_str).chain(keys) {
                let v = want.get(k).map(String::as_str);
                found += v.is_some() as usize;
                assert_eq!(attrs.value(k), v, "{s:?} {k:?}");
            }
            assert_eq!(*attrs, want, "{s:?}");
            // the map made, values come from it
            assert_eq!(attrs.value("type"), want.get("type").map(String::as_str));
            assert_eq!(attrs.copy(), attrs);
        }
        assert!(found > 5000, "{found}");
    }

    /// The lists (aliases, titles) read in place give what the loader
    /// first made of them: the `|`-separated items trimmed, the empty left
    /// out, as owned strings.
    #[test]
    fn lists_read_in_place_agree_with_the_reference() {
        let reference = |s: &str| -> Vec<String> {
            (s.split('|').map(str::trim))
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect()
        };
        let src = Sources::embedded();
        let fields = embedded_column(&src, 3);
        let more = ["", "|", " a | b ||c|", "\u{a0}x\u{a0}|y", "a|a", " | "];
        let mut n = 0;
        for s in fields.into_iter().chain(more) {
            let want = reference(s);
            n += want.len();
            let list = List::new(Cow::Owned(s.to_string()));
            assert_eq!(list.items().collect::<Vec<_>>(), want, "{s:?}");
            assert_eq!(*list, want, "{s:?}");
            assert_eq!(list.items().count(), want.len());
            assert_eq!(list.copy(), list);
        }
        assert!(n > 4000, "{n}");
        // the loaded gazetteer's, borrowed from the embedded files
        let g = check_with(&src, false).gazetteer;
        let e = g.entity("place:united-states").unwrap();
        assert!(e.aliases.items().any(|a| a == "US"));
        assert!(matches!(e.aliases.raw, Cow::Borrowed(_)));
        assert!(matches!(e.attrs.raw_text(), Cow::Borrowed(_)));
    }

    #[test]
    fn scanned_lines_agree_with_content_lines() {
        use crate::lexicon::{content_lines, content_lines_reference};
        let src = Sources::embedded();
        let files = (src.entity_files.iter())
            .chain(&src.office_files)
            .chain(&src.holder_files);
        let mut texts: Vec<&str> = files.map(|(_, t)| t.as_ref()).collect();
        texts.extend(crate::lexicon::EMBEDDED.iter().map(|(_, t)| *t));
        let more = [
            "",
            "\n",
            "a",
            "a\n",
            "a\n\n",
            "a\r\nb\r\n",
            "a\r\r\nb\r",
            "a\rb\n\r\n",
            " # c\n\t\n  x\n#y\n\u{a0}#z\n\u{a0}\n\u{2003}w",
            "0123456789abcdef0123456789\n\n0123456789abcdef0123\r\n# 0123456789abcdef\nz",
        ];
        for t in texts.into_iter().chain(more) {
            let want: Vec<(usize, &str)> = content_lines_reference(t).collect();
            let got: Vec<(usize, &str)> = content_lines(t).collect();
            assert_eq!(got, want, "{:?}", &t[..t.len().min(60)]);
        }
    }

    /// Loading the embedded files (their rows and attributes' keys from
    /// the build script's tables, fields borrowed) builds what the scanning
    /// checker builds from copies of them, and the checker finds no error
    /// in them (a malformed row would fail here, naming file:line).
    #[test]
    fn embedded_load_agrees_with_scanning_copies() {
        let src = Sources::embedded();
        let copy = |files: &[SourceFile]| -> Vec<SourceFile> {
            (files.iter())
                .map(|(n, t)| (n.clone(), Cow::Owned(t.to_string())))
                .collect()
        };
        let copies = Sources {
            entity_files: copy(&src.entity_files),
            office_files: copy(&src.office_files),
            holder_files: copy(&src.holder_files),
        };
        let (fast, scanned) = (check_with(&src, false), check(&copies));
        assert!(scanned.errors.is_empty(), "{:?}", scanned.errors.first());
        assert!(fast.errors.is_empty(), "{:?}", fast.errors.first());
        let (a, b) = (&fast.gazetteer, &scanned.gazetteer);
        assert_eq!(a.entities, b.entities);
        assert_eq!(a.offices, b.offices);
        assert_eq!(a.holders, b.holders);
        for (x, y) in a.entities.iter().zip(&b.entities) {
            assert!(matches!(x.attrs.raw_text(), Cow::Borrowed(_)));
            assert!(matches!(y.attrs.raw_text(), Cow::Owned(_)) || y.attrs.raw().is_empty());
            assert_eq!(x.attrs.key_bits(), y.attrs.key_bits(), "{}", x.id);
            for k in [
                "type", "adj", "short", "gender", "country", "iso2", "wikidata",
            ] {
                assert_eq!(x.attr(k), y.attr(k), "{} {k}", x.id);
            }
        }
    }

    /// The embedded files' rows read from the build script's tables are
    /// the rows the scan finds; a copy of a file is scanned.
    #[test]
    fn embedded_row_tables_agree_with_the_scan() {
        use crate::gazetteer::embedded_rows_into;
        fn same<const N: usize>(file: &str, text: &str, header: &[&str]) -> usize {
            let mut want: Vec<(&str, usize, [&str; N])> = Vec::new();
            rows_into(file, text, header, &mut want).unwrap();
            let mut got: Vec<(&str, usize, [&str; N])> = vec![("x", 0, [""; N])];
            let mut keys = vec![None];
            assert!(
                embedded_rows_into(file, text, &mut got, &mut keys),
                "{file}"
            );
            assert_eq!(got[1..], want[..], "{file}");
            // the attributes' key bits are those the parse finds
            if header.last() == Some(&"attributes") {
                assert_eq!(keys.len(), got.len());
                for (r, k) in got[1..].iter().zip(&keys[1..]) {
                    let parsed = Attrs::parse(Cow::Owned(r.2[N - 1].to_string())).unwrap();
                    assert_eq!(*k, Some(parsed.key_bits()), "{file}:{}", r.1);
                }
            } else {
                assert_eq!(keys.len(), 1);
            }
            // the fields are the text's own, in place
            let range = text.as_bytes().as_ptr_range();
            assert!((got[1..].iter().flat_map(|r| r.2))
                .all(|f| f.is_empty() || range.contains(&f.as_ptr())));
            // a copy is not the embedded file
            let copy = text.to_string();
            let mut none: Vec<(&str, usize, [&str; N])> = Vec::new();
            let mut no_keys = Vec::new();
            assert!(!embedded_rows_into(file, &copy, &mut none, &mut no_keys));
            assert!(none.is_empty() && no_keys.is_empty());
            want.len()
        }
        let src = Sources::embedded();
        let mut n = 0;
        for (file, text) in &src.entity_files {
            n += same::<5>(file, text, ENTITY_HEADER);
        }
        for (file, text) in &src.office_files {
            n += same::<5>(file, text, OFFICE_HEADER);
        }
        for (file, text) in &src.holder_files {
            n += same::<6>(file, text, HOLDER_HEADER);
        }
        assert!(n > 7000, "{n}");
        // an embedded text taken with the wrong number of fields is scanned
        let mut wrong: Vec<(&str, usize, [&str; 6])> = Vec::new();
        let (file, text) = &src.entity_files[0];
        assert!(!embedded_rows_into(file, text, &mut wrong, &mut Vec::new()));
    }

    #[test]
    fn fixed_rows_agree_with_rows() {
        let texts = [
            "a\tb\tc\n1\t2\t3\n\n# x\n 4 \t\t\n5\n",
            "a\tb\tc\r\n1\t2\r\n",
            "a\tb\tc\n1\t2\t3\t4\n5\n",
            "a\tb\n1\n",
            "",
        ];
        for t in texts {
            let header = ["a", "b", "c"];
            let want = rows("f", t, &header);
            let mut got: Vec<(&str, usize, [&str; 3])> = vec![("g", 0, ["x"; 3])];
            let r = rows_into("f", t, &header, &mut got);
            match want {
                Ok(w) => {
                    assert!(r.is_ok(), "{t:?}");
                    assert_eq!(got.len(), w.len() + 1);
                    for ((_, l, f), (wl, wf)) in got[1..].iter().zip(&w) {
                        assert_eq!(l, wl);
                        let mut padded = wf.clone();
                        padded.resize(3, "");
                        assert_eq!(&f[..], &padded[..], "{t:?}");
                    }
                }
                Err(e) => {
                    assert_eq!(r.unwrap_err().to_string(), e.to_string());
                    assert_eq!(got.len(), 1, "{t:?}");
                }
            }
        }
    }
}
