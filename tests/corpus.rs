//! Corpus input, parallel extraction and merging, through the built binary.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_readout");

struct Run {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

impl Run {
    fn out(&self) -> String {
        String::from_utf8(self.stdout.clone()).expect("stdout is UTF-8")
    }
}

fn run(args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    {
        let mut i = child.stdin.take().expect("stdin");
        if let Some(data) = stdin {
            i.write_all(data).expect("write stdin");
        }
    }
    let o = child.wait_with_output().expect("the binary finishes");
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: o.stdout,
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("readout-corpus-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch folder");
    d
}

const LEADERS: [(&str, &str); 6] = [
    ("Justin Trudeau", "Ottawa"),
    ("Olaf Scholz", "Berlin"),
    ("Wang Yi", "Beijing"),
    ("Rishi Sunak", "London"),
    ("Joe Biden", "Washington"),
    ("Antony Blinken", "Paris"),
];

/// A small corpus of articles written for these tests.
fn corpus(dir: &Path, n: usize) -> Vec<String> {
    let mut files = Vec::new();
    for i in 0..n {
        let (a, city) = LEADERS[i % LEADERS.len()];
        let (b, _) = LEADERS[(i + 1) % LEADERS.len()];
        let text = format!(
            "{}, June {}, 2023 (Wire) - {a} met {b} in {city} on Monday to discuss trade.\n\n\
             \"We have agreed on the next steps,\" {a} said after the talks in {city}. {b} later \
             travelled to NATO headquarters.\n",
            city.to_uppercase(),
            1 + i % 28
        );
        let sub = dir.join(format!("batch{}", i % 3));
        std::fs::create_dir_all(&sub).unwrap();
        let f = sub.join(format!("story{i:03}.txt"));
        std::fs::write(&f, text).unwrap();
        files.push(f.display().to_string());
    }
    files
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let d = scratch("threads");
    corpus(&d, 40);
    let dir = d.display().to_string();
    for format in ["json", "jsonl", "graphml"] {
        let one = run(
            &["extract", &dir, "--threads", "1", "--format", format],
            None,
        );
        assert_eq!(one.code, 0, "{}", one.stderr);
        assert!(!one.stdout.is_empty());
        for t in ["2", "3", "0"] {
            let many = run(&["extract", &dir, "--threads", t, "--format", format], None);
            assert_eq!(many.code, 0, "{}", many.stderr);
            assert!(
                one.stdout == many.stdout,
                "{format} output differs with --threads {t}"
            );
        }
    }
}

#[test]
fn directories_are_read_recursively_for_txt_files_in_order() {
    let r = run(
        &["extract", "tests/data/articles", "--format", "jsonl"],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ids: Vec<String> = r
        .out()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        ids,
        [
            "tests/data/articles/lisbon.txt",
            "tests/data/articles/more/geneva.txt",
            "tests/data/articles/ottawa.txt"
        ]
    );
    // the summary line
    assert!(
        r.stderr.contains("3 documents (3 read, 0 failed)"),
        "{}",
        r.stderr
    );
}

#[test]
fn jsonl_records_carry_entities_and_metadata() {
    let r = run(
        &[
            "extract",
            "tests/data/articles/ottawa.txt",
            "--format",
            "jsonl",
        ],
        None,
    );
    assert_eq!(r.code, 0);
    let lines: Vec<&str> = r
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| std::str::from_utf8(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(v["date"], "2022-05-12");
    let ents: Vec<&str> = v["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert!(ents.contains(&"person:justin-trudeau"), "{ents:?}");
    assert!(ents.contains(&"person:olaf-scholz"), "{ents:?}");
    assert!(v["statements"].is_array() && v["events"].is_array() && v["edges"].is_array());
}

#[test]
fn jsonl_input_bad_records_are_reported_and_skipped() {
    let input = concat!(
        r#"{"id": "one", "text": "Olaf Scholz visited Ottawa.", "date": "2022-05-12", "url": "https://example.org/1", "source": "Wire"}"#,
        "\n",
        r#"{"id": "two", "date": "2022-05-13"}"#,
        "\n\n",
        "this is not json\n",
        r#"{"id": "three", "text": "Justin Trudeau spoke in Berlin.", "date": "13 May"}"#,
        "\n",
        r#"{"id": "four", "text": "Wang Yi met Antony Blinken."}"#,
        "\n"
    );
    let r = run(
        &["extract", "--input", "jsonl", "-", "--format", "jsonl"],
        Some(input.as_bytes()),
    );
    assert_eq!(r.code, 1, "a failed record makes the exit code 1");
    let recs: Vec<serde_json::Value> = r
        .out()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<&str> = recs.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["one", "four"]);
    assert_eq!(recs[0]["url"], "https://example.org/1");
    assert_eq!(recs[0]["source"], "Wire");
    assert_eq!(recs[0]["date"], "2022-05-12");
    assert!(
        r.stderr.contains("two: the record has no \"text\" string"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("stdin:4: not a JSON record"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("three: date '13 May' is not YYYY-MM-DD"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("5 documents (2 read, 3 failed)"),
        "{}",
        r.stderr
    );
}

#[test]
fn jsonl_files_and_folders_of_them() {
    let d = scratch("jsonl-dir");
    std::fs::create_dir_all(d.join("day2")).unwrap();
    std::fs::write(
        d.join("day1.jsonl"),
        "{\"id\": \"a\", \"text\": \"Rishi Sunak arrived in Paris.\"}\n",
    )
    .unwrap();
    std::fs::write(
        d.join("day2/wire.jsonl"),
        "{\"id\": \"b\", \"text\": \"Joe Biden left London.\"}\n",
    )
    .unwrap();
    std::fs::write(d.join("day2/ignored.txt"), "Olaf Scholz.").unwrap();
    let r = run(
        &[
            "extract",
            "--input",
            "jsonl",
            &d.display().to_string(),
            "--format",
            "jsonl",
            "-q",
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.is_empty(), "--quiet: {}", r.stderr);
    let ids: Vec<String> = r
        .out()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids, ["a", "b"]);
}

#[test]
fn stdin_text_is_one_document() {
    let r = run(
        &["extract", "-", "--date", "2023-01-05"],
        Some(b"Olaf Scholz met Justin Trudeau in Berlin."),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let g: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
    assert_eq!(g["graph"]["documents"][0]["id"], "stdin");
    assert_eq!(g["graph"]["documents"][0]["date"], "2023-01-05");
}

#[test]
fn a_bad_document_is_skipped_and_the_rest_kept() {
    let d = scratch("bad");
    std::fs::write(d.join("binary.txt"), b"\x00\x01\x02PK\x00").unwrap();
    std::fs::write(d.join("good.txt"), "Wang Yi met Olaf Scholz in Berlin.").unwrap();
    let missing = d.join("missing.txt").display().to_string();
    let r = run(
        &[
            "extract",
            &d.display().to_string(),
            &missing,
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(r.code, 1);
    let g: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
    let docs = g["graph"]["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 1, "only the good document is in the graph");
    assert!(g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["id"] == "person:wang-yi"));
    assert!(
        r.stderr.contains("binary.txt: looks like a binary file"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("missing.txt: cannot read"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("3 documents (1 read, 2 failed)"),
        "{}",
        r.stderr
    );
}

#[test]
fn usage_errors_exit_2_with_one_line() {
    let r = run(
        &["extract", "tests/data/articles", "--format", "neo4j"],
        None,
    );
    assert_eq!(r.code, 2);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.contains("-o DIR"));
    let r = run(
        &["extract", "tests/data/articles", "--date", "yesterday"],
        None,
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--date"), "{}", r.stderr);
    let r = run(
        &["merge", "tests/data/week-a.json", "--format", "jsonl"],
        None,
    );
    assert_eq!(r.code, 2);
}

#[test]
fn output_file_is_written_atomically() {
    let d = scratch("atomic");
    let out = d.join("graph.json");
    std::fs::write(&out, "old").unwrap();
    let r = run(
        &[
            "extract",
            "tests/data/articles",
            "-o",
            &out.display().to_string(),
        ],
        None,
    );
    assert_eq!(r.code, 0);
    let g: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(g["graph"]["documents"].as_array().unwrap().len(), 3);
    // streamed output too, and no temporary file is left behind
    let jl = d.join("records.jsonl");
    let r = run(
        &[
            "extract",
            "tests/data/articles",
            "--format",
            "jsonl",
            "-o",
            &jl.display().to_string(),
        ],
        None,
    );
    assert_eq!(r.code, 0);
    assert_eq!(std::fs::read_to_string(&jl).unwrap().lines().count(), 3);
    let left: Vec<_> = std::fs::read_dir(&d)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(left.is_empty());
}

#[test]
fn merging_saved_graphs_equals_extracting_together() {
    let d = scratch("merge");
    let files = [
        "tests/data/articles/lisbon.txt",
        "tests/data/articles/ottawa.txt",
        "tests/data/articles/more/geneva.txt",
    ];
    let mut parts = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let p = d.join(format!("part{i}.json"));
        let r = run(&["extract", f, "-o", &p.display().to_string()], None);
        assert_eq!(r.code, 0);
        parts.push(p.display().to_string());
    }
    let together = run(&["extract", files[0], files[1], files[2]], None);
    let m = run(&["merge", &parts[0], &parts[1], &parts[2]], None);
    assert_eq!(m.code, 0, "{}", m.stderr);
    assert!(
        together.stdout == m.stdout,
        "merge of parts differs from one extract run"
    );
    // any order, any grouping
    let rev = run(&["merge", &parts[2], &parts[0], &parts[1]], None);
    assert!(rev.stdout == m.stdout, "merge is not commutative");
    let ab = d.join("ab.json");
    run(
        &[
            "merge",
            &parts[0],
            &parts[1],
            "-o",
            &ab.display().to_string(),
        ],
        None,
    );
    let grouped = run(&["merge", &parts[2], &ab.display().to_string()], None);
    assert!(grouped.stdout == m.stdout, "merge is not associative");
    // JSON Lines records are a valid merge input too (map: extract --format jsonl, reduce: merge)
    let jl = d.join("all.jsonl");
    run(
        &[
            "extract",
            files[0],
            files[1],
            files[2],
            "--format",
            "jsonl",
            "-o",
            &jl.display().to_string(),
        ],
        None,
    );
    let from_records = run(&["merge", &jl.display().to_string()], None);
    assert!(
        from_records.stdout == m.stdout,
        "merging JSON Lines records differs"
    );
}

#[test]
fn merging_fixture_graphs_joins_events_and_keeps_sources() {
    let m = run(
        &[
            "merge",
            "tests/data/week-a.json",
            "tests/data/week-b.json",
            "tests/data/week-c.json",
        ],
        None,
    );
    assert_eq!(m.code, 0, "{}", m.stderr);
    let g: serde_json::Value = serde_json::from_slice(&m.stdout).unwrap();
    let nodes = g["nodes"].as_array().unwrap();
    let meeting: Vec<&serde_json::Value> =
        nodes.iter().filter(|n| n["kind"] == "meeting").collect();
    assert_eq!(
        meeting.len(),
        1,
        "the same meeting reported twice is one node"
    );
    let docs: Vec<&str> = meeting[0]["provenance"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["document"].as_str().unwrap())
        .collect();
    assert_eq!(docs, ["wire-1", "wire-2"]);
    assert_eq!(
        meeting[0]["documents"],
        serde_json::json!(["wire-1", "wire-2"])
    );
    let blinken = nodes
        .iter()
        .find(|n| n["id"] == "person:antony-blinken")
        .unwrap();
    assert_eq!(
        blinken["label"], "Antony Blinken",
        "the fuller label wins whatever the order"
    );
    assert_eq!(
        blinken["aliases"],
        serde_json::json!(["Blinken", "Secretary Blinken", "Tony Blinken"])
    );
    for order in [["c", "b", "a"], ["b", "c", "a"]] {
        let files: Vec<String> = order
            .iter()
            .map(|x| format!("tests/data/week-{x}.json"))
            .collect();
        let r = run(&["merge", &files[0], &files[1], &files[2]], None);
        assert!(
            r.stdout == m.stdout,
            "merge order {order:?} changes the output"
        );
    }
}

#[test]
fn merge_reports_a_bad_file_and_keeps_the_rest() {
    let d = scratch("merge-bad");
    let bad = d.join("bad.json");
    std::fs::write(&bad, "{\"not\": \"a graph\"}").unwrap();
    let r = run(
        &[
            "merge",
            "tests/data/week-a.json",
            &bad.display().to_string(),
        ],
        None,
    );
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("bad.json"), "{}", r.stderr);
    let g: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
    assert_eq!(g["graph"]["documents"][0]["id"], "wire-1");
}

#[test]
fn the_same_meeting_reported_twice_is_one_event_with_both_sources() {
    let d = scratch("same-event");
    std::fs::write(
        d.join("a.txt"),
        "OTTAWA, May 12, 2022 (Wire) - Prime Minister Justin Trudeau met German Chancellor Olaf Scholz in Ottawa on Thursday.\n",
    )
    .unwrap();
    std::fs::write(
        d.join("b.txt"),
        "OTTAWA, May 12, 2022 (Agency) - German Chancellor Olaf Scholz met Canadian Prime Minister Justin Trudeau in Ottawa today, officials said.\n",
    )
    .unwrap();
    let r = run(&["extract", &d.display().to_string()], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let g: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
    let meetings: Vec<&serde_json::Value> = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "meeting")
        .collect();
    assert_eq!(meetings.len(), 1, "{meetings:?}");
    let docs: Vec<&str> = meetings[0]["provenance"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["document"].as_str().unwrap())
        .collect();
    assert_eq!(docs.len(), 2, "both articles are sources: {docs:?}");
    // the articles disagree on who met whom: one article's direction is
    // kept whole, never the source of one and the target of the other
    let (s, t) = (&meetings[0]["source_actor"], &meetings[0]["target_actor"]);
    let mut pair = [s.as_str().unwrap(), t.as_str().unwrap()];
    pair.sort_unstable();
    assert_eq!(pair, ["person:justin-trudeau", "person:olaf-scholz"]);
}

#[test]
fn a_graph_merged_with_itself_keeps_its_statements_as_they_were() {
    // the same document extracted on two machines: its statements merge
    // into themselves, spans [start, end] kept in order
    // (a quote starting before byte 100 and ending after it: sorted as a
    // set of numbers, [37, 102] would become [102, 37])
    let d = scratch("self-merge");
    let f = d.join("a.txt");
    std::fs::write(
        &f,
        "WASHINGTON, May 4, 2023 (Reuters) - \"We will keep talking with our partners \
         until the talks bear fruit,\" Antony Blinken told reporters on Thursday.\n",
    )
    .unwrap();
    let p = d.join("a.json");
    let f = f.display().to_string();
    let r = run(&["extract", &f, "-o", &p.display().to_string()], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let p = p.display().to_string();
    let m = run(&["merge", &p, &p], None);
    assert_eq!(m.code, 0, "{}", m.stderr);
    let once: serde_json::Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
    let twice: serde_json::Value = serde_json::from_slice(&m.stdout).unwrap();
    let statements = |g: &serde_json::Value| -> Vec<serde_json::Value> {
        g["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["kind"] == "statement")
            .cloned()
            .collect()
    };
    let (a, b) = (statements(&once), statements(&twice));
    assert!(!a.is_empty(), "the article has statements");
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x["span"], y["span"], "{}", x["id"]);
        let s = x["span"].as_array().unwrap();
        assert!(s[0].as_u64() < s[1].as_u64());
    }
}
