//! Reading documents: files, directories, standard input and JSON Lines
//! corpora. Bad input never panics: each problem becomes an [`InputError`]
//! for that one document, and everything else still comes through.

use chrono::NaiveDate;
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// One document to process.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputDoc {
    pub id: String,
    pub text: String,
    pub date: Option<NaiveDate>,
    pub url: Option<String>,
    pub source: Option<String>,
    /// Warnings raised while reading (e.g. invalid UTF-8).
    pub warnings: Vec<String>,
}

/// A document that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    pub id: String,
    pub message: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.id, self.message)
    }
}

/// Byte substituted for each invalid UTF-8 byte: ASCII SUB (0x1A), one byte,
/// so every span still refers to the bytes as read.
pub const SUBSTITUTE: char = '\u{1A}';

/// Decode bytes as text. UTF-16 with a BOM is decoded; invalid UTF-8 bytes
/// are replaced one-for-one by [`SUBSTITUTE`] with a warning naming the
/// first bad offset; binary data (NUL bytes in UTF-8) is an error.
pub fn decode(id: &str, bytes: Vec<u8>) -> Result<(String, Vec<String>), String> {
    if bytes.len() >= 2 && (bytes[0..2] == [0xFF, 0xFE] || bytes[0..2] == [0xFE, 0xFF]) {
        let le = bytes[0] == 0xFF;
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|c| {
                let (a, b) = (c[0], *c.get(1).unwrap_or(&0));
                if le {
                    u16::from_le_bytes([a, b])
                } else {
                    u16::from_be_bytes([a, b])
                }
            })
            .collect();
        let text = String::from_utf16_lossy(&units);
        return Ok((
            text,
            vec![format!("{id}: decoded as UTF-16 (byte-order mark found); spans refer to the UTF-8 re-encoding")],
        ));
    }
    // (a memchr over the first 64 KiB)
    if bytes[..bytes.len().min(1 << 16)].contains(&0) {
        return Err(
            "looks like a binary file (it contains NUL bytes); readout reads UTF-8 text".into(),
        );
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok((s, Vec::new())),
        Err(e) => {
            let bytes = e.into_bytes();
            let mut out = String::with_capacity(bytes.len());
            let mut first_bad = None;
            let mut rest = &bytes[..];
            let mut offset = 0;
            loop {
                match std::str::from_utf8(rest) {
                    Ok(s) => {
                        out.push_str(s);
                        break;
                    }
                    Err(err) => {
                        let good = err.valid_up_to();
                        out.push_str(std::str::from_utf8(&rest[..good]).unwrap_or_default());
                        let bad = err.error_len().unwrap_or(rest.len() - good);
                        first_bad.get_or_insert(offset + good);
                        for _ in 0..bad {
                            out.push(SUBSTITUTE);
                        }
                        offset += good + bad;
                        rest = &rest[good + bad..];
                    }
                }
            }
            let warn = format!(
                "{id}: invalid UTF-8 at byte {} (each bad byte is read as U+001A; spans still refer to the bytes as read)",
                first_bad.unwrap_or(0)
            );
            Ok((out, vec![warn]))
        }
    }
}

/// Read one text file as a document; the bytes read are added to `read`.
fn read_path(path: &Path, shown: String, read: &AtomicU64) -> Result<InputDoc, InputError> {
    let err = |id: String, m: String| InputError { id, message: m };
    // read first: a directory fails to read (one `stat` fewer per file)
    let bytes = match std::fs::read(path) {
        Ok(b) => {
            read.fetch_add(b.len() as u64, Ordering::Relaxed);
            b
        }
        Err(_) if path.is_dir() => {
            return Err(err(shown, "is a directory (give the files in it, or the directory to extract, which reads its *.txt files)".into()));
        }
        Err(e) => return Err(err(shown, format!("cannot read: {}", io_message(&e)))),
    };
    match decode(&shown, bytes) {
        Ok((text, warnings)) => Ok(InputDoc {
            id: shown,
            text,
            date: None,
            url: None,
            source: None,
            warnings,
        }),
        Err(m) => Err(err(shown, m)),
    }
}

/// The OS error text without Rust's "(os error 2)" suffix.
pub fn io_message(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// Every `*.txt` below `dir`, sorted.
pub fn walk_txt(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    walk_ext(dir, "txt")
}

/// Every file below `dir` whose name ends in `.{ext}`, sorted by path.
pub fn walk_ext(dir: &Path, ext: &str) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)?.filter_map(Result::ok) {
            let p = e.path();
            // the entry's own type needs no `stat`; a link is followed
            let is_dir = match e.file_type() {
                Ok(t) if !t.is_symlink() => t.is_dir(),
                _ => p.is_dir(),
            };
            if is_dir {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == ext) {
                out.push(p);
            }
        }
    }
    sort_paths(&mut out);
    Ok(out)
}

/// Sort paths found under one directory in `Path`'s order (component by
/// component), comparing bytes: with the separator ranked below every other
/// byte, the byte order of such paths is their component order.
fn sort_paths(paths: &mut [PathBuf]) {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        paths.sort_by_cached_key(|p| {
            p.as_os_str()
                .as_bytes()
                .iter()
                .map(|&b| if b == b'/' { 0 } else { b })
                .collect::<Vec<u8>>()
        });
    }
    #[cfg(not(unix))]
    paths.sort();
}

/// Parse one JSON Lines record: `{"id", "text", "date", "url", "source"}`.
pub fn parse_record(line: &str, fallback_id: &str) -> Result<InputDoc, InputError> {
    let err = |m: String| InputError {
        id: fallback_id.to_string(),
        message: m,
    };
    let v: serde_json::Value =
        serde_json::from_str(line).map_err(|e| err(format!("not a JSON record: {e}")))?;
    let obj = v
        .as_object()
        .ok_or_else(|| err("a record must be a JSON object".into()))?;
    let id = obj
        .get("id")
        .map(|i| {
            i.as_str()
                .map(str::to_string)
                .unwrap_or_else(|| i.to_string())
        })
        .unwrap_or_else(|| fallback_id.to_string());
    let err = |m: String| InputError {
        id: id.clone(),
        message: m,
    };
    let text = obj
        .get("text")
        .and_then(|t| t.as_str())
        .ok_or_else(|| err("the record has no \"text\" string".into()))?;
    let date = match obj.get("date").and_then(|d| d.as_str()) {
        Some(d) if !d.is_empty() => Some(parse_date(d).map_err(err)?),
        _ => None,
    };
    let s = |k: &str| obj.get(k).and_then(|x| x.as_str()).map(str::to_string);
    Ok(InputDoc {
        id: id.clone(),
        text: text.to_string(),
        date,
        url: s("url"),
        source: s("source"),
        warnings: Vec::new(),
    })
}

/// Parse a date given as `YYYY-MM-DD` (a longer ISO timestamp is cut to its date).
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let d = s.get(..10).unwrap_or(s);
    NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| format!("date '{s}' is not YYYY-MM-DD"))
}

/// How inputs are to be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// Plain text files (directories: their *.txt files).
    #[default]
    Text,
    /// JSON Lines records, one document per line.
    Jsonl,
}

/// Expand the command line's inputs into documents, in order. `-` or no
/// input means standard input. Reads everything; for large corpora use
/// [`Inputs`], which reads one document at a time.
pub fn read_inputs(inputs: &[String], format: InputFormat) -> Vec<Result<InputDoc, InputError>> {
    Inputs::new(inputs, format).collect()
}

enum Pending {
    /// A command-line argument, not yet expanded.
    Arg(String),
    /// A file found in a directory.
    File(PathBuf),
}

struct LineReader {
    shown: String,
    reader: Box<dyn BufRead + Send>,
    line: usize,
}

/// How far a run has read through inputs of known size (see
/// [`Inputs::meter`]): a progress bar's position and length, in bytes.
#[derive(Clone, Debug)]
pub struct Meter {
    /// Bytes in all the inputs (file sizes when measured).
    pub total: u64,
    /// Bytes of input read so far (a file whole, a JSON Lines record with
    /// its line end), updated as documents are read.
    pub read: Arc<AtomicU64>,
}

impl Meter {
    /// Bytes read so far.
    pub fn position(&self) -> u64 {
        self.read.load(Ordering::Relaxed)
    }
}

/// The documents of the command line's inputs, read lazily in order: a
/// directory is listed when reached, a JSON Lines file is read one line at
/// a time, so memory stays flat in corpus size.
pub struct Inputs {
    format: InputFormat,
    pending: VecDeque<Pending>,
    lines: Option<LineReader>,
    /// Bytes of input read so far (see [`Meter`]).
    read: Arc<AtomicU64>,
}

impl Inputs {
    pub fn new(inputs: &[String], format: InputFormat) -> Inputs {
        let inputs: Vec<String> = if inputs.is_empty() {
            vec!["-".into()]
        } else {
            inputs.to_vec()
        };
        Inputs {
            format,
            pending: inputs.into_iter().map(Pending::Arg).collect(),
            lines: None,
            read: Arc::default(),
        }
    }

    /// Measure the inputs for a progress bar: list the directories now
    /// (each is listed once either way: its files are kept) and add up the
    /// file sizes. None when standard input is among the inputs (its size
    /// is unknown). An input that cannot be listed or measured counts as
    /// empty here and is reported when it is reached, in its place.
    pub fn meter(&mut self) -> Option<Meter> {
        let ext = if self.format == InputFormat::Jsonl {
            "jsonl"
        } else {
            "txt"
        };
        let mut total = 0u64;
        let mut expanded = VecDeque::with_capacity(self.pending.len());
        while let Some(item) = self.pending.pop_front() {
            match item {
                Pending::Arg(a) if a == "-" => {
                    // the rest stays as it was: nothing is lost
                    self.pending.push_front(Pending::Arg(a));
                    while let Some(done) = expanded.pop_back() {
                        self.pending.push_front(done);
                    }
                    return None;
                }
                Pending::Arg(a) if Path::new(&a).is_dir() => match walk_ext(Path::new(&a), ext) {
                    Ok(files) => {
                        for f in files {
                            total += std::fs::metadata(&f).map_or(0, |m| m.len());
                            expanded.push_back(Pending::File(f));
                        }
                    }
                    Err(_) => expanded.push_back(Pending::Arg(a)),
                },
                Pending::Arg(a) => {
                    total += std::fs::metadata(&a).map_or(0, |m| m.len());
                    expanded.push_back(Pending::Arg(a));
                }
                Pending::File(f) => {
                    total += std::fs::metadata(&f).map_or(0, |m| m.len());
                    expanded.push_back(Pending::File(f));
                }
            }
        }
        self.pending = expanded;
        Some(Meter {
            total,
            read: Arc::clone(&self.read),
        })
    }

    fn next_line(&mut self) -> Option<Result<InputDoc, InputError>> {
        let lr = self.lines.as_mut()?;
        let mut buf = Vec::new();
        loop {
            buf.clear();
            lr.line += 1;
            match lr.reader.read_until(b'\n', &mut buf) {
                Ok(0) => {
                    self.lines = None;
                    return None;
                }
                Ok(n) => {
                    self.read.fetch_add(n as u64, Ordering::Relaxed);
                }
                Err(e) => {
                    let id = format!("{}:{}", lr.shown, lr.line);
                    self.lines = None;
                    return Some(Err(InputError {
                        id,
                        message: format!("cannot read: {}", io_message(&e)),
                    }));
                }
            }
            let id = format!("{}:{}", lr.shown, lr.line);
            if buf.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            return Some(match decode(&id, std::mem::take(&mut buf)) {
                Ok((text, warnings)) => {
                    let line = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
                    parse_record(line, &id).map(|mut d| {
                        d.warnings.extend(warnings);
                        d
                    })
                }
                Err(m) => Err(InputError { id, message: m }),
            });
        }
    }

    fn open_lines(&mut self, shown: String, path: Option<&Path>) -> Option<InputError> {
        let reader: Box<dyn BufRead + Send> = match path {
            None => Box::new(BufReader::new(std::io::stdin())),
            Some(p) => match std::fs::File::open(p) {
                Ok(f) => Box::new(BufReader::with_capacity(1 << 16, f)),
                Err(e) => {
                    return Some(InputError {
                        id: shown,
                        message: format!("cannot read: {}", io_message(&e)),
                    })
                }
            },
        };
        self.lines = Some(LineReader {
            shown,
            reader,
            line: 0,
        });
        None
    }
}

impl Iterator for Inputs {
    type Item = Result<InputDoc, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(r) = self.next_line() {
                return Some(r);
            }
            let item = self.pending.pop_front()?;
            let jsonl = self.format == InputFormat::Jsonl;
            match item {
                Pending::File(f) => {
                    // (`display` of a UTF-8 path is the path itself)
                    let shown = f
                        .to_str()
                        .map_or_else(|| f.display().to_string(), str::to_owned);
                    if jsonl {
                        if let Some(e) = self.open_lines(shown, Some(&f)) {
                            return Some(Err(e));
                        }
                        continue;
                    }
                    return Some(read_path(&f, shown, &self.read));
                }
                Pending::Arg(a) if a == "-" => {
                    if jsonl {
                        self.open_lines("stdin".into(), None);
                        continue;
                    }
                    let mut buf = Vec::new();
                    let id = "stdin".to_string();
                    if let Err(e) = std::io::stdin().read_to_end(&mut buf) {
                        return Some(Err(InputError {
                            id,
                            message: format!("cannot read: {}", io_message(&e)),
                        }));
                    }
                    return Some(
                        decode(&id, buf)
                            .map(|(text, warnings)| InputDoc {
                                id: id.clone(),
                                text,
                                date: None,
                                url: None,
                                source: None,
                                warnings,
                            })
                            .map_err(|m| InputError {
                                id: id.clone(),
                                message: m,
                            }),
                    );
                }
                Pending::Arg(a) => {
                    let p = Path::new(&a);
                    if p.is_dir() {
                        match walk_ext(p, if jsonl { "jsonl" } else { "txt" }) {
                            Ok(files) => {
                                for f in files.into_iter().rev() {
                                    self.pending.push_front(Pending::File(f));
                                }
                                continue;
                            }
                            Err(e) => {
                                return Some(Err(InputError {
                                    id: a,
                                    message: format!("cannot read directory: {}", io_message(&e)),
                                }))
                            }
                        }
                    }
                    self.pending.push_front(Pending::File(PathBuf::from(a)));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_path_reads_files_and_names_directories_and_missing_files() {
        let d = std::env::temp_dir().join(format!("readout-read-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("sub")).unwrap();
        std::fs::write(d.join("a.txt"), "Hello, é.\n").unwrap();
        let read = AtomicU64::new(0);
        let doc = read_path(&d.join("a.txt"), "shown a".into(), &read).unwrap();
        assert_eq!(
            (doc.id.as_str(), doc.text.as_str()),
            ("shown a", "Hello, é.\n")
        );
        let e = read_path(&d.join("sub"), "shown sub".into(), &read).unwrap_err();
        assert_eq!(e.id, "shown sub");
        assert!(e.message.starts_with("is a directory"), "{}", e.message);
        let e = read_path(&d.join("none.txt"), "shown none".into(), &read).unwrap_err();
        assert_eq!(e.id, "shown none");
        assert!(e.message.starts_with("cannot read: "), "{}", e.message);
        assert!(!e.message.contains("os error"), "{}", e.message);
        // the bytes of the one file read
        assert_eq!(read.load(Ordering::Relaxed), "Hello, é.\n".len() as u64);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn sort_paths_is_path_order() {
        let names = [
            "d/a", "d/a-b/c", "d/a/b", "d/a.b", "d/a b", "d/A", "d/é", "d/a/b/c", "d/ab", "d/a/",
            "d/-", "d/a0", "d/z/a", "d/a./x", "d/a/.b",
        ];
        for root in ["", "./", "/tmp//x/"] {
            let mut fast: Vec<PathBuf> = names.iter().map(|n| Path::new(root).join(n)).collect();
            let mut slow = fast.clone();
            sort_paths(&mut fast);
            slow.sort();
            assert_eq!(fast, slow, "root {root:?}");
        }
    }

    #[test]
    fn a_meter_measures_the_inputs_and_follows_the_reading() {
        let d = std::env::temp_dir().join(format!("readout-meter-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("sub")).unwrap();
        std::fs::write(d.join("a.txt"), "one article\n").unwrap();
        std::fs::write(d.join("sub/b.txt"), "another, longer article\n").unwrap();
        std::fs::write(d.join("sub/skip.md"), "not read").unwrap();
        let c = d.join("c.jsonl");
        let rec = "{\"id\": \"r1\", \"text\": \"a record\"}\n\n";
        std::fs::write(&c, rec.repeat(2)).unwrap();
        let size = |p: &Path| std::fs::metadata(p).unwrap().len();
        let dir = d.display().to_string();
        let missing = d.join("missing.txt").display().to_string();
        // text: the folder's *.txt files and a missing file (counted as empty,
        // reported in its place)
        let mut inputs = Inputs::new(&[dir.clone(), missing.clone()], InputFormat::Text);
        let m = inputs.meter().expect("files have sizes");
        assert_eq!(m.total, size(&d.join("a.txt")) + size(&d.join("sub/b.txt")));
        assert_eq!(m.position(), 0);
        let got: Vec<_> = inputs.by_ref().collect();
        assert_eq!(got.len(), 3);
        assert!(got[2].as_ref().is_err_and(|e| e.id == missing));
        assert_eq!(m.position(), m.total);
        // JSON Lines: every line read, blank ones too
        let mut inputs = Inputs::new(&[dir], InputFormat::Jsonl);
        let m = inputs.meter().unwrap();
        assert_eq!(m.total, size(&c));
        assert_eq!(inputs.by_ref().filter(Result::is_ok).count(), 2);
        assert_eq!(m.position(), m.total);
        // standard input has no size: no meter, and nothing is lost
        let a = d.join("a.txt").display().to_string();
        let mut inputs = Inputs::new(&[a.clone(), "-".into(), a], InputFormat::Text);
        assert!(inputs.meter().is_none());
        let pending: Vec<String> = inputs
            .pending
            .iter()
            .map(|p| match p {
                Pending::Arg(a) => a.clone(),
                Pending::File(f) => f.display().to_string(),
            })
            .collect();
        assert_eq!(pending.len(), 3);
        assert_eq!(pending[1], "-");
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn walk_ext_finds_nested_and_linked_folders_in_order() {
        let d = std::env::temp_dir().join(format!("readout-walk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        for sub in ["b", "a-b", "a/c", "z"] {
            std::fs::create_dir_all(d.join(sub)).unwrap();
        }
        for f in [
            "b/2.txt",
            "a-b/1.txt",
            "a/c/3.txt",
            "a/4.txt",
            "z/5.md",
            "0.txt",
        ] {
            std::fs::write(d.join(f), "x").unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(d.join("b"), d.join("link")).unwrap();
        let got = walk_ext(&d, "txt").unwrap();
        let rel: Vec<String> = got
            .iter()
            .map(|p| p.strip_prefix(&d).unwrap().to_string_lossy().into_owned())
            .collect();
        let mut want = vec!["0.txt", "a/4.txt", "a/c/3.txt", "a-b/1.txt", "b/2.txt"];
        if cfg!(unix) {
            want.push("link/2.txt");
        }
        assert_eq!(rel, want);
        let _ = std::fs::remove_dir_all(&d);
    }
}
