//! Builds the gazetteer matcher's Aho-Corasick automaton for the embedded
//! gazetteer files once, at compile time, so that a run need not (see
//! `src/gazetteer/matcher.rs`, `mod embedded`). The pattern texts are read
//! from the files as `gazetteer::check` and `Matcher::build` read them and
//! are embedded with the tables: at run time the automaton is used only if
//! the patterns the program computes are exactly these (otherwise, e.g.
//! with `--gazetteer DIR`, it builds its own), so a difference here costs
//! time, never a wrong match (a test checks that the embedded one is used).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

#[path = "src/gazetteer/wordac.rs"]
#[allow(dead_code)]
mod wordac;

const ENTITY_FILES: [&str; 3] = [
    "gazetteer/places.tsv",
    "gazetteer/organizations.tsv",
    "gazetteer/people.tsv",
];
const OFFICE_FILE: &str = "gazetteer/offices.tsv";
const HOLDER_FILE: &str = "gazetteer/office_holders.tsv";
const HOLDER_HEADER: [&str; 6] = [
    "office",
    "person",
    "start",
    "end",
    "confirmed_until",
    "source",
];
const ENTITY_HEADER: [&str; 5] = ["id", "name", "kind", "aliases", "attributes"];
const OFFICE_HEADER: [&str; 5] = ["id", "jurisdiction", "role", "titles", "attributes"];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/gazetteer/wordac.rs");
    for f in ENTITY_FILES.iter().chain([&OFFICE_FILE]) {
        println!("cargo:rerun-if-changed={f}");
    }
    let out = std::env::var("OUT_DIR").expect("OUT_DIR");
    let out = Path::new(&out);
    println!("cargo:rerun-if-changed={HOLDER_FILE}");
    for (i, f) in (ENTITY_FILES.iter().chain([&OFFICE_FILE, &HOLDER_FILE])).enumerate() {
        let header: &[&str] = if *f == HOLDER_FILE {
            &HOLDER_HEADER
        } else if *f == OFFICE_FILE {
            &OFFICE_HEADER
        } else {
            &ENTITY_HEADER
        };
        // a first word 1 marks a table (an empty file: none)
        let table = std::fs::read_to_string(f)
            .ok()
            .and_then(|t| field_table(&t, header))
            .map(|t| [1].into_iter().chain(t).collect::<Vec<u32>>())
            .unwrap_or_default();
        let bytes: Vec<u8> = table.iter().flat_map(|v| v.to_le_bytes()).collect();
        std::fs::write(out.join(format!("rows_{i}.bin")), bytes).expect("write OUT_DIR");
    }
    let write = |name: &str, bytes: &[u8]| {
        std::fs::write(out.join(format!("wordac_{name}.bin")), bytes).expect("write OUT_DIR");
    };
    // The tables' layout is the compiling host's: embed them only for a
    // little-endian target of the same architecture.
    let same_target = std::env::var("TARGET").ok() == std::env::var("HOST").ok()
        && std::env::var("CARGO_CFG_TARGET_ENDIAN").as_deref() == Ok("little");
    let patterns = if same_target { patterns() } else { None };
    let Some(patterns) = patterns else {
        write("texts", &[]);
        write("ends", &[]);
        for name in wordac::BLOBS {
            write(name, &[]);
        }
        return;
    };
    let mut texts: Vec<u8> = Vec::new();
    let mut ends: Vec<u8> = Vec::new();
    for p in &patterns {
        texts.extend(p.bytes().map(|b| b.to_ascii_lowercase()));
        ends.extend_from_slice(&(texts.len() as u32).to_le_bytes());
    }
    let lower: Vec<Vec<u8>> = (patterns.iter())
        .map(|p| p.to_ascii_lowercase().into_bytes())
        .collect();
    let refs: Vec<&[u8]> = lower.iter().map(|p| p.as_slice()).collect();
    let ac = wordac::WordAc::build(&refs);
    write("texts", &texts);
    write("ends", &ends);
    for (name, bytes) in wordac::BLOBS.iter().zip(ac.blobs()) {
        write(name, &bytes);
    }
}

/// The rows of a TSV file (fields trimmed), if its header is `header` and
/// no row has more fields.
fn rows(text: &str, header: &[&str; 5]) -> Option<Vec<[String; 5]>> {
    let mut lines = text.lines().filter_map(|l| {
        let l = l.strip_suffix('\r').unwrap_or(l);
        let body = l.trim_start();
        (!body.is_empty() && !body.starts_with('#')).then_some(l)
    });
    let h: Vec<&str> = lines.next()?.split('\t').map(str::trim).collect();
    if h != header {
        return None;
    }
    let mut out = Vec::new();
    for l in lines {
        let f: Vec<&str> = l.split('\t').map(str::trim).collect();
        if f.len() > 5 {
            return None;
        }
        let mut row: [String; 5] = Default::default();
        for (slot, v) in row.iter_mut().zip(f) {
            *slot = v.to_string();
        }
        out.push(row);
    }
    Some(out)
}

/// `key=value;…`, None if a part has no '='.
fn attrs(s: &str) -> Option<BTreeMap<String, String>> {
    let mut m = BTreeMap::new();
    for part in s.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=')?;
        m.insert(k.trim().to_string(), v.trim().to_string());
    }
    Some(m)
}

fn items(s: &str) -> impl Iterator<Item = &str> {
    s.split('|').map(str::trim).filter(|a| !a.is_empty())
}

/// The matcher's pattern texts in its order, as `Matcher::build` makes
/// them from the embedded files; None if a file cannot be read as the
/// program reads it.
fn patterns() -> Option<Vec<String>> {
    // entities: (id, name, aliases, adjectives), a later row with the same
    // id replacing the earlier in place
    let mut entities: Vec<(String, String, String, String)> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for f in ENTITY_FILES {
        let text = std::fs::read_to_string(f).ok()?;
        for [id, name, kind, aliases, at] in rows(&text, &ENTITY_HEADER)? {
            let kind_ok = matches!(kind.as_str(), "person" | "organization" | "place");
            let prefixed = id
                .strip_prefix(kind.as_str())
                .is_some_and(|r| r.starts_with(':'));
            if id.is_empty() || name.is_empty() || !kind_ok || !prefixed {
                continue;
            }
            let Some(at) = attrs(&at) else { continue };
            let adj = at.get("adj").cloned().unwrap_or_default();
            let e = (id.clone(), name, aliases, adj);
            match by_id.get(&id) {
                Some(&i) => entities[i] = e,
                None => {
                    by_id.insert(id, entities.len());
                    entities.push(e);
                }
            }
        }
    }
    let mut offices: Vec<String> = Vec::new();
    let mut office_by_id: HashMap<String, usize> = HashMap::new();
    let text = std::fs::read_to_string(OFFICE_FILE).ok()?;
    for [id, jur, role, titles, at] in rows(&text, &OFFICE_HEADER)? {
        if !id.starts_with("office:")
            || !by_id.contains_key(&jur)
            || role.is_empty()
            || attrs(&at).is_none()
        {
            continue;
        }
        match office_by_id.get(&id) {
            Some(&i) => offices[i] = titles,
            None => {
                office_by_id.insert(id, offices.len());
                offices.push(titles);
            }
        }
    }
    let mut seen: HashMap<String, ()> = HashMap::new();
    let mut out: Vec<String> = Vec::new();
    let mut add = |t: &str| {
        let t = t.trim();
        if !t.is_empty() && seen.insert(t.to_string(), ()).is_none() {
            out.push(t.to_string());
        }
    };
    for (_, name, aliases, adj) in &entities {
        add(name);
        items(aliases).for_each(&mut add);
        items(adj).for_each(&mut add);
    }
    for titles in &offices {
        items(titles).for_each(&mut add);
    }
    Some(out)
}

/// `crate::lexicon::trim`: `s.trim()` unless `s` starts and ends with a
/// printable ASCII byte.
fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(z))
            if a.is_ascii()
                && z.is_ascii()
                && !a.is_ascii_whitespace()
                && !z.is_ascii_whitespace() =>
        {
            s
        }
        _ => s.trim(),
    }
}

/// The rows of a gazetteer file as `gazetteer::rows_into` cuts them (its
/// lines as `lexicon::content_lines`, fields split at tabs and trimmed),
/// for reading the embedded files without scanning them: per row its line
/// number, then the start and end byte offset of each of the header's
/// fields (0, 0 for one past the row's end), then for a header ending in
/// `attributes` the attributes' set of key bits (low, high word). None if the header is not
/// `header`, a row has more fields or malformed attributes (then the
/// program scans the file and reports it).
fn field_table(text: &str, header: &[&str]) -> Option<Vec<u32>> {
    let mut lines = Vec::new();
    let (mut pos, mut n) = (0, 0);
    while pos < text.len() {
        let l = match text[pos..].find('\n') {
            Some(k) => {
                let l = &text[pos..pos + k];
                pos += k + 1;
                l.strip_suffix('\r').unwrap_or(l)
            }
            None => {
                let l = &text[pos..];
                pos = text.len();
                l
            }
        };
        n += 1;
        let l = l.strip_suffix('\r').unwrap_or(l);
        let body = match l.as_bytes().first() {
            Some(c) if c.is_ascii() && !c.is_ascii_whitespace() => l,
            _ => l.trim_start(),
        };
        if !body.is_empty() && !body.starts_with('#') {
            lines.push((n as u32, l));
        }
    }
    let mut lines = lines.into_iter();
    let (_, h) = lines.next()?;
    if !h.split('\t').map(trim).eq(header.iter().copied()) {
        return None;
    }
    let base = text.as_ptr() as usize;
    let mut out = Vec::new();
    let with_attrs = header.last() == Some(&"attributes");
    for (line, l) in lines {
        let fields: Vec<&str> = l.split('\t').map(trim).collect();
        if fields.len() > header.len() {
            return None;
        }
        out.push(line);
        for k in 0..header.len() {
            let (s, e) = match fields.get(k) {
                Some(f) => {
                    let s = f.as_ptr() as usize - base;
                    (s, s + f.len())
                }
                None => (0, 0),
            };
            out.push(u32::try_from(s).ok()?);
            out.push(u32::try_from(e).ok()?);
        }
        if with_attrs {
            let bits = attr_key_bits(fields.get(header.len() - 1).copied().unwrap_or(""))?;
            out.push(bits as u32);
            out.push((bits >> 32) as u32);
        }
    }
    Some(out)
}

/// `gazetteer::key_bit`: a bit of a 64-bit set for attribute key `k`.
fn key_bit(k: &str) -> u64 {
    let h = (k.bytes()).fold(k.len() as u32, |h, b| h.wrapping_mul(33) ^ b as u32);
    1 << (h.wrapping_mul(0x9e37_79b9) >> 26)
}

/// The set of key bits of `key=value;…` as `gazetteer::Attrs::parse`
/// makes it (the parts are the pieces between ';', each's key the text
/// before its first '=', trimmed); None if a part that is not blank has no
/// '=' (the program then reports it).
fn attr_key_bits(s: &str) -> Option<u64> {
    let mut bits = 0;
    for part in s.split(';') {
        match part.find('=') {
            Some(e) => bits |= key_bit(trim(&part[..e])),
            None if trim(part).is_empty() => {}
            None => return None,
        }
    }
    Some(bits)
}
