//! Output formats: GraphML (checked with real networkx), Neo4j bulk-import
//! CSV, and the DOT options for large graphs.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_readout");
const WEEK: [&str; 3] = [
    "tests/data/week-a.json",
    "tests/data/week-b.json",
    "tests/data/week-c.json",
];

fn run(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(BIN)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn merged(format: &str, extra: &[&str]) -> String {
    let mut a = vec!["merge"];
    a.extend(WEEK);
    a.extend(["--format", format]);
    a.extend(extra);
    let (code, out, err) = run(&a);
    assert_eq!(code, 0, "{err}");
    out
}

fn scratch(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("readout-formats-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Run a Python snippet; None when python3 or the module is missing outside CI.
fn python(module: &str, script: &str) -> Option<String> {
    let has = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !has {
        assert!(
            std::env::var_os("CI").is_none(),
            "python3 with {module} is needed (apt-get install python3-{module}, or pip install {module})"
        );
        eprintln!("skipped: python3 cannot import {module}");
        return None;
    }
    let o = Command::new("python3")
        .args(["-c", script])
        .output()
        .expect("python3 runs");
    assert!(
        o.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    Some(String::from_utf8(o.stdout).unwrap())
}

#[test]
fn graphml_loads_in_networkx_with_types() {
    let d = scratch("graphml");
    let path = d.join("week.graphml");
    std::fs::write(&path, merged("graphml", &[])).unwrap();
    let script = format!(
        r#"
import networkx as nx
g = nx.read_graphml({p:?})
print(g.number_of_nodes(), g.number_of_edges())
s = g.nodes["statement:wire-3:70-120"]
print(type(s["direct"]).__name__, s["direct"])
print(repr(s["text"]))
print(g.nodes["person:antony-blinken"]["aliases"])
print(g.nodes["meeting:2023-06-18:person:antony-blinken+person:wang-yi"]["source_documents"])
print(sorted({{k for _, _, k in g.edges(data="kind")}}))
"#,
        p = path.display().to_string()
    );
    let Some(out) = python("networkx", &script) else {
        return;
    };
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "12 12");
    assert_eq!(lines[1], "bool True", "booleans are typed");
    // the control character is gone; quotes, ampersand and angle brackets survive
    assert_eq!(
        lines[2],
        r#"'Talks were "candid", & useful <mostly>\nand long'"#
    );
    assert_eq!(
        lines[3], "Blinken; Secretary Blinken; Tony Blinken",
        "lists are joined"
    );
    assert_eq!(lines[4], "wire-1; wire-2");
    assert_eq!(
        lines[5],
        "['addressed', 'held_at', 'hosted', 'mentions', 'participated', 'said']"
    );
}

#[test]
fn graphml_of_extracted_articles_loads() {
    let d = scratch("graphml-articles");
    let path = d.join("a.graphml");
    let (code, _, err) = run(&[
        "extract",
        "tests/data/articles",
        "--format",
        "graphml",
        "-o",
        &path.display().to_string(),
    ]);
    assert_eq!(code, 0, "{err}");
    let (_, json, _) = run(&["extract", "tests/data/articles", "-q"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let n = v["nodes"].as_array().unwrap().len();
    let script = format!(
        "import networkx as nx\ng = nx.read_graphml({:?})\nprint(g.number_of_nodes())",
        path.display().to_string()
    );
    let Some(out) = python("networkx", &script) else {
        return;
    };
    assert_eq!(out.trim(), n.to_string());
}

#[test]
fn xml_escape_drops_illegal_characters() {
    use readout::export::graphml::xml_escape;
    assert_eq!(
        xml_escape("a\u{1}b\u{1A}c\td&<'\"\u{FFFE}>"),
        "abc\td&amp;&lt;&apos;&quot;&gt;"
    );
}

#[test]
fn neo4j_csv_headers_and_quoting() {
    let d = scratch("neo4j");
    let (code, out, err) = run(&[
        "merge",
        WEEK[0],
        WEEK[1],
        WEEK[2],
        "--format",
        "neo4j",
        "-o",
        &d.display().to_string(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty());
    let nodes = std::fs::read_to_string(d.join("nodes.csv")).unwrap();
    let rels = std::fs::read_to_string(d.join("relationships.csv")).unwrap();
    let nh = nodes.lines().next().unwrap();
    assert!(nh.starts_with("id:ID,:LABEL,kind,label,"), "{nh}");
    assert!(
        nh.contains(",aliases:string[],") && nh.contains(",direct:boolean,"),
        "{nh}"
    );
    assert!(nh.ends_with(",provenance"));
    let rh = rels.lines().next().unwrap();
    assert!(rh.starts_with(":START_ID,:END_ID,:TYPE"), "{rh}");
    // RFC 4180: fields with commas, quotes or line breaks are quoted, quotes doubled
    assert!(
        nodes.contains(r#","Talks were ""candid"", & useful <mostly>""#),
        "{nodes}"
    );
    assert!(nodes.contains("\"Talks were \"\"candid\"\", & useful <mostly>\u{1}\nand long\""));
    assert!(nodes
        .contains(",Person;Actor,person,Antony Blinken,Blinken;Secretary Blinken;Tony Blinken,"));
    assert!(rels.contains("person:wang-yi,statement:wire-2:180-230,SAID,"));
    // a real CSV reader sees the same rows and columns
    let script = format!(
        "import csv\nfor f in ['nodes.csv', 'relationships.csv']:\n    rows = list(csv.reader(open({:?} + '/' + f, newline='')))\n    print(len(rows), len({{len(r) for r in rows}}))",
        d.display().to_string()
    );
    let out = python("csv", &script).expect("python3 has csv");
    assert_eq!(
        out, "13 1\n13 1\n",
        "12 nodes and 12 relationships, every row as wide as its header"
    );
}

#[test]
fn neo4j_needs_an_output_folder() {
    let (code, out, err) = run(&["merge", WEEK[0], "--format", "neo4j"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("-o DIR"), "{err}");
}

fn node_lines(dot: &str) -> Vec<&str> {
    dot.lines()
        .filter(|l| l.contains("[label=") && l.contains("shape="))
        .collect()
}

#[test]
fn dot_clusters_by_document_and_kind() {
    let by_doc = merged("dot", &["--dot-cluster", "document"]);
    assert_eq!(by_doc.matches("subgraph \"cluster_").count(), 3, "{by_doc}");
    for d in ["wire-1", "wire-2", "wire-3"] {
        assert!(by_doc.contains(&format!("label=\"{d}\";")), "{by_doc}");
    }
    let by_kind = merged("dot", &["--dot-cluster", "kind"]);
    // call, meeting, organization, person, place, statement
    assert_eq!(
        by_kind.matches("subgraph \"cluster_").count(),
        6,
        "{by_kind}"
    );
    assert_eq!(node_lines(&by_kind).len(), 12);
    let plain = merged("dot", &[]);
    assert_eq!(plain.matches("subgraph").count(), 0);
    check_with_graphviz(&by_doc);
}

#[test]
fn dot_max_nodes_keeps_the_most_connected() {
    let dot = merged("dot", &["--max-nodes", "3"]);
    let nodes = node_lines(&dot);
    assert_eq!(nodes.len(), 3, "{dot}");
    // Wang Yi (4 edges), Blinken (4) and the meeting (4) are the hubs
    for id in [
        "person:wang-yi",
        "person:antony-blinken",
        "meeting:2023-06-18:person:antony-blinken+person:wang-yi",
    ] {
        assert!(
            nodes
                .iter()
                .any(|l| l.trim_start().starts_with(&format!("\"{id}\""))),
            "{id} missing: {dot}"
        );
    }
    // edges only between kept nodes
    for l in dot.lines().filter(|l| l.contains(" -> ")) {
        assert!(!l.contains("statement:") && !l.contains("place:"), "{l}");
    }
    check_with_graphviz(&dot);
}

fn check_with_graphviz(dot: &str) {
    use std::io::Write;
    let Ok(mut child) = Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
    else {
        assert!(
            std::env::var_os("CI").is_none(),
            "graphviz (dot) is needed in CI"
        );
        return;
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(dot.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(
        o.status.success(),
        "dot rejected the output: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}
