//! The command line end to end: examples, real `dot` and networkx, bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_readout"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Output {
    bin()
        .current_dir(root())
        .args(args)
        .output()
        .expect("run readout")
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("readout-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

fn node_ids(v: &serde_json::Value) -> Vec<String> {
    v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_string())
        .collect()
}

/// A tool needed by a test: present, or (in CI) a failure, else a skip notice.
fn have(tool: &str, check: &[&str]) -> bool {
    let ok = Command::new(tool)
        .args(check)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        if std::env::var_os("CI").is_some() {
            panic!("{tool} is required in CI (.ci/run installs it)");
        }
        eprintln!("skipping: {tool} not installed");
    }
    ok
}

fn examples() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    v.sort();
    v
}

#[test]
fn extract_example_has_the_people_and_places() {
    let v = json(&run(&[
        "extract",
        "examples/beijing-visit.txt",
        "--format",
        "json",
    ]));
    let ids = node_ids(&v);
    for id in [
        "person:antony-blinken",
        "person:xi-jinping",
        "person:qin-gang",
        "place:china",
        "place:united-states",
    ] {
        assert!(ids.iter().any(|i| i == id), "{id} missing from {ids:?}");
    }
    assert_eq!(v["directed"], true);
    assert_eq!(v["multigraph"], true);
    assert_eq!(v["edges"], v["links"]);
    // every node carries provenance with spans inside the article
    let len = std::fs::read(root().join("examples/beijing-visit.txt"))
        .unwrap()
        .len();
    for n in v["nodes"].as_array().unwrap() {
        for p in n["provenance"].as_array().unwrap() {
            for s in p["spans"].as_array().unwrap() {
                assert!(s[1].as_u64().unwrap() as usize <= len);
            }
        }
    }
}

#[test]
fn several_files_merge_into_one_graph() {
    let v = json(&run(&[
        "extract",
        "examples/beijing-visit.txt",
        "examples/geneva-talks.txt",
        "--date",
        "2015-01-14",
    ]));
    let ids = node_ids(&v);
    assert!(ids.contains(&"person:antony-blinken".to_string()));
    assert!(
        ids.contains(&"person:sergey-lavrov".to_string())
            || ids.iter().any(|i| i.contains("lavrov")),
        "{ids:?}"
    );
    assert_eq!(v["graph"]["documents"].as_array().unwrap().len(), 2);
}

#[test]
fn dot_output_renders_with_graphviz() {
    if !have("dot", &["-V"]) {
        return;
    }
    let mut inputs: Vec<PathBuf> = examples();
    let dev = root().join("../shared/eval/dev");
    if dev.is_dir() {
        let mut d: Vec<PathBuf> = std::fs::read_dir(&dev)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        d.sort();
        inputs.extend(d);
    }
    for p in inputs {
        let out = run(&["extract", p.to_str().unwrap(), "--format", "dot"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let svg = Command::new("dot")
            .arg("-Tsvg")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write;
                c.stdin.take().unwrap().write_all(&out.stdout)?;
                c.wait_with_output()
            })
            .unwrap();
        assert!(
            svg.status.success(),
            "dot rejected {}: {}",
            p.display(),
            String::from_utf8_lossy(&svg.stderr)
        );
        assert!(String::from_utf8_lossy(&svg.stdout).contains("<svg"));
    }
}

#[test]
fn dot_escapes_hostile_labels() {
    let d = tmpdir("dot");
    let f = d.join("a.txt");
    std::fs::write(
        &f,
        "Foreign Minister Zed \"Quote\\\" Bar said \"we\n} digraph { x\" today.",
    )
    .unwrap();
    let out = run(&["extract", f.to_str().unwrap(), "--format", "dot"]);
    assert!(out.status.success());
    if have("dot", &["-V"]) {
        let st = Command::new("dot")
            .arg("-Tsvg")
            .arg("-o")
            .arg(d.join("a.svg"))
            .arg("/dev/stdin")
            .stdin(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write;
                c.stdin.take().unwrap().write_all(&out.stdout)?;
                c.wait()
            });
        assert!(st.unwrap().success());
    }
}

#[test]
fn json_loads_in_networkx() {
    if !have("python3", &["-c", "import networkx"]) {
        return;
    }
    let d = tmpdir("nx");
    let g = d.join("g.json");
    let out = run(&[
        "extract",
        "examples/beijing-visit.txt",
        "-o",
        g.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let script = r#"
import json, sys, networkx as nx
data = json.load(open(sys.argv[1]))
try:
    g = nx.node_link_graph(data, edges="edges")
except TypeError:
    g = nx.node_link_graph(data, link="links")
assert g.is_directed() and g.is_multigraph()
assert g.nodes["person:antony-blinken"]["kind"] == "person"
assert g.nodes["place:china"]["label"] == "China"
print(g.number_of_nodes(), g.number_of_edges())
"#;
    let o = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&g)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn annotate_prints_layers_with_spans() {
    let v = json(&run(&[
        "annotate",
        "examples/beijing-visit.txt",
        "--format",
        "json",
    ]));
    assert_eq!(v["document"]["date"], "2023-06-19");
    let text = std::fs::read_to_string(root().join("examples/beijing-visit.txt")).unwrap();
    let ms = v["mentions"].as_array().unwrap();
    assert!(!ms.is_empty());
    for m in ms {
        let s = m["span"][0].as_u64().unwrap() as usize;
        let e = m["span"][1].as_u64().unwrap() as usize;
        assert_eq!(&text[s..e], m["text"].as_str().unwrap());
    }
    assert!(ms
        .iter()
        .any(|m| m["entity"] == "person:xi-jinping" && m["how"] == "gazetteer"));
    assert!(v["timexes"].is_array() && v["quotes"].is_array() && v["events"].is_array());
}

#[test]
fn empty_file_gives_empty_graph() {
    let d = tmpdir("empty");
    let f = d.join("empty.txt");
    std::fs::write(&f, "").unwrap();
    let v = json(&run(&["extract", f.to_str().unwrap()]));
    assert!(v["nodes"].as_array().unwrap().is_empty());
}

#[test]
fn invalid_utf8_warns_with_offset_and_keeps_spans() {
    let d = tmpdir("utf8");
    let f = d.join("bad.txt");
    let mut bytes = b"President Xi Jinping met ".to_vec();
    bytes.push(0xFF);
    bytes.extend_from_slice(b" Antony Blinken in Beijing.");
    std::fs::write(&f, &bytes).unwrap();
    let out = run(&["annotate", f.to_str().unwrap(), "--date", "2023-06-19"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("invalid UTF-8 at byte 25"), "{err}");
    let v = json(&out);
    let m = v["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["text"] == "Antony Blinken")
        .unwrap();
    assert_eq!(m["span"][0].as_u64().unwrap() as usize, 27);
    assert_eq!(&bytes[27..41], b"Antony Blinken");
}

#[test]
fn missing_and_binary_files_fail_alone() {
    let d = tmpdir("bad");
    let bin_file = d.join("blob.txt");
    std::fs::write(&bin_file, [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
    let out = run(&[
        "extract",
        "no-such-file.txt",
        bin_file.to_str().unwrap(),
        "examples/phone-call.txt",
        "--date",
        "2023-06-08",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no-such-file.txt: cannot read: No such file or directory"),
        "{err}"
    );
    assert!(err.contains("binary"), "{err}");
    // the good file still came out
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(node_ids(&v).iter().any(|i| i == "person:rishi-sunak"));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["extract", "--date", "June 5"]).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
    let out = run(&["extract", "--date", "2023-13-01", "examples/phone-call.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--date"));
}

#[test]
fn malformed_user_gazetteer_names_file_and_line() {
    let d = tmpdir("gaz");
    std::fs::write(
        d.join("extra.tsv"),
        "id\tname\tkind\taliases\tattributes\nperson:zed\tZed\tperson\t\tgender\n",
    )
    .unwrap();
    let out = run(&[
        "extract",
        "examples/phone-call.txt",
        "--gazetteer",
        d.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("extra.tsv:2:") && err.contains("key=value"),
        "{err}"
    );
}

#[test]
fn user_gazetteer_adds_entities() {
    let d = tmpdir("gaz2");
    std::fs::write(
        d.join("mine.tsv"),
        "id\tname\tkind\taliases\tattributes\nperson:quill-marrow\tQuill Marrow\tperson\tMarrow\tgender=f\n",
    )
    .unwrap();
    let f = d.join("a.txt");
    std::fs::write(&f, "Quill Marrow visited the capital. Marrow was pleased.").unwrap();
    let v = json(&run(&[
        "extract",
        f.to_str().unwrap(),
        "--gazetteer",
        d.to_str().unwrap(),
    ]));
    let n = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "person:quill-marrow")
        .expect("node");
    assert_eq!(n["source"], "gazetteer");
}

#[test]
fn output_file_is_written_atomically() {
    let d = tmpdir("atomic");
    let out_path = d.join("g.json");
    std::fs::write(&out_path, "old").unwrap();
    let out = run(&[
        "extract",
        "examples/phone-call.txt",
        "-o",
        out_path.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let s = std::fs::read_to_string(&out_path).unwrap();
    assert!(s.starts_with('{'));
    // no temporary files left behind
    let left: Vec<_> = std::fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
    // a failing write leaves the old file alone
    let bad = Path::new("/nonexistent-dir/g.json");
    let out = run(&[
        "extract",
        "examples/phone-call.txt",
        "-o",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn gazetteer_check_and_lookup() {
    let out = run(&["gazetteer", "check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("person\t"));
    let out = run(&[
        "gazetteer",
        "lookup",
        "the Secretary of State",
        "--date",
        "2013-01-31",
    ]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Hillary Clinton"));
}
