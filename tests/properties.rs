//! Property tests (proptest) for the invariants every input must keep:
//! spans on UTF-8 boundaries inside the text, direct quotes inside quote
//! marks, JSON that round-trips, DOT that escapes every label, and output
//! that does not depend on the order of a corpus.

use proptest::prelude::*;
use readout::document::Span;
use readout::export;
use readout::graph::{Edge, KnowledgeGraph, Node, Provenance};
use readout::{Annotated, Pipeline};
use serde_json::{json, Map, Value};
use std::sync::OnceLock;

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::embedded().expect("embedded pipeline"))
}

/// Pieces of wire copy and of broken text: names the gazetteer knows, cue
/// verbs, dates, every kind of quote mark, line ends, and characters whose
/// case mapping changes their byte length.
const FRAGMENTS: &[&str] = &[
    "Antony Blinken",
    "Blinken",
    "Wang Yi",
    "Wang",
    "Sergei Lavrov",
    "Lavrov",
    "Annalena Baerbock",
    "Xi Jinping",
    "Xi",
    "President",
    "Secretary of State",
    "the Foreign Minister",
    "the minister",
    "Chinese",
    "American",
    "the United Nations",
    "NATO",
    "Beijing",
    "Berlin",
    "Washington",
    "BEIJING (AP) -",
    "By A. Writer",
    "he",
    "she",
    "his",
    "her",
    "they",
    "said",
    "told reporters",
    "told",
    "added",
    "met",
    "visited",
    "will visit",
    "called",
    "spoke by phone with",
    "held talks with",
    "according to",
    "visiting",
    "the visiting",
    "talks",
    "summit",
    "meeting",
    "hosted",
    "trip to",
    "at",
    "in",
    "on",
    "and",
    "that",
    "the",
    "with",
    "of",
    "for",
    "on Monday",
    "June 19",
    "19 June 2023",
    "last week",
    "2023",
    "yesterday",
    "next month",
    "at 3 p.m.",
    "for two hours",
    "every year",
    "\"",
    "\"",
    "\"",
    "“",
    "”",
    "‘",
    "’",
    "'",
    "«",
    "»",
    "``",
    "''",
    "„",
    ",",
    ".",
    ". ",
    ":",
    ";",
    "—",
    "-",
    "(",
    ")",
    "?",
    "!",
    "...",
    "…",
    " ",
    " ",
    " ",
    " ",
    "\n",
    "\n\n",
    "\r\n",
    "\r\n\r\n",
    "\t",
    "\u{a0}",
    "é",
    "中文",
    "😀",
    "Ü",
    "\u{200b}",
    "\u{1A}",
    "\0",
    "İ",
    "ß",
    "ﬁ",
    "ǅ",
    "ΐ",
    "e\u{301}",
    "Ⅻ",
    "ＡＢＣ",
    "\u{feff}",
    "\u{2028}",
];

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => proptest::sample::select(FRAGMENTS).prop_map(str::to_string),
        1 => "\\PC{0,6}",
        1 => any::<String>().prop_map(|s| s.chars().take(6).collect()),
    ]
}

fn article() -> impl Strategy<Value = String> {
    proptest::collection::vec(fragment(), 0..80).prop_map(|v| {
        let mut s = String::new();
        for (i, f) in v.iter().enumerate() {
            // mostly words separated by spaces, sometimes glued together
            if i > 0 && i % 3 != 0 {
                s.push(' ');
            }
            s.push_str(f);
        }
        s
    })
}

fn annotate(id: &str, text: &str) -> Annotated {
    pipeline().annotate(id, text, chrono::NaiveDate::from_ymd_opt(2023, 6, 19))
}

fn spans_ok(a: &Annotated) -> Result<(), TestCaseError> {
    let t = a.doc.text.as_str();
    let check = |s: Span, what: &str| -> Result<(), TestCaseError> {
        prop_assert!(
            s.start <= s.end && s.end <= t.len(),
            "{} span {:?} outside the text ({} bytes)",
            what,
            s,
            t.len()
        );
        prop_assert!(
            t.is_char_boundary(s.start) && t.is_char_boundary(s.end),
            "{} span {:?} not on char boundaries",
            what,
            s
        );
        Ok(())
    };
    for x in &a.doc.paragraphs {
        check(x.span, "paragraph")?;
    }
    for x in &a.doc.sentences {
        check(x.span, "sentence")?;
    }
    for x in &a.doc.tokens {
        check(x.span, "token")?;
    }
    for m in &a.entities.mentions {
        check(m.span, "mention")?;
        if let Some(s) = m.title {
            check(s, "mention title")?;
        }
    }
    for x in &a.timexes {
        check(x.span, "timex")?;
    }
    for s in &a.statements {
        check(s.span, "statement")?;
        check(s.evidence, "statement evidence")?;
        if let Some(c) = s.cue {
            check(c, "statement cue")?;
        }
        if let Some(c) = s.speaker_span {
            check(c, "statement speaker")?;
        }
    }
    for e in &a.events {
        check(e.trigger, "event trigger")?;
        for &x in &e.evidence {
            check(x, "event evidence")?;
        }
    }
    Ok(())
}

const QUOTE_MARKS: &[char] = &[
    '"', '“', '”', '‘', '’', '\'', '«', '»', '`', '„', '‚', '‹', '›', '「', '」',
];

fn quotes_ok(a: &Annotated) -> Result<(), TestCaseError> {
    let t = a.doc.text.as_str();
    for s in a.statements.iter().filter(|s| s.direct) {
        let before = t[..s.span.start].trim_end();
        let opens_quote = before
            .chars()
            .next_back()
            .is_some_and(|c| QUOTE_MARKS.contains(&c));
        let continues_paragraph = a.doc.paragraphs.iter().any(|p| {
            p.span.start <= s.span.start && t[p.span.start..s.span.start].trim().is_empty()
        });
        prop_assert!(
            opens_quote || continues_paragraph,
            "direct quote {:?} at {:?} does not follow a quote mark (before: {:?})",
            &t[s.span.start..s.span.end],
            s.span,
            &before[before.len().saturating_sub(20)..]
        );
    }
    Ok(())
}

fn graph_json(g: &KnowledgeGraph) -> String {
    export::json::to_string(g, false)
}

// ------------------------------------------------------ arbitrary graphs

/// Strings full of what breaks DOT and JSON writers.
fn nasty() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            4 => proptest::sample::select(&[
                "\"", "\\", "\\\"", "\n", "\r", "\r\n", "{", "}", "[", "]", "<", ">", ";", ",",
                "=", "->", "--", "//", "/*", "*/", "#", "\\N", "\\G", "\\l", "\\\\n", "|", "'",
                "subgraph", "node", "edge", "digraph", "strict", "a", "Wang Yi", " ", "\t",
                "\0", "\u{1b}", "\u{7f}", "é", "😀", "\u{200b}", "\u{2028}", "&amp;", "&",
            ][..]).prop_map(str::to_string),
            1 => any::<char>().prop_map(|c| c.to_string()),
        ],
        0..12,
    )
    .prop_map(|v| v.concat())
}

fn kind_of(id: &str) -> &'static str {
    [
        "person",
        "organization",
        "place",
        "statement",
        "meeting",
        "call",
        "visit",
    ]
    .into_iter()
    .find(|k| id.starts_with(&format!("{k}:")))
    .unwrap_or("place")
}

fn attr_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|i| json!(i)),
        nasty().prop_map(Value::String),
        proptest::collection::vec(nasty(), 0..4).prop_map(|v| json!(v)),
        proptest::collection::vec((0usize..500, 0usize..500), 0..3)
            .prop_map(|v| json!(v.iter().map(|(a, b)| json!([a, b])).collect::<Vec<_>>())),
    ]
}

fn attrs() -> impl Strategy<Value = Map<String, Value>> {
    proptest::collection::vec(
        (
            proptest::sample::select(
                &["aliases", "gender", "type", "date", "text", "x y", "\"q\""][..],
            ),
            attr_value(),
        ),
        0..4,
    )
    .prop_map(|v| v.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

fn provenance() -> impl Strategy<Value = Vec<Provenance>> {
    proptest::collection::vec(
        (
            proptest::sample::select(&["doc-a", "doc-b", "d\"c"][..]),
            proptest::collection::vec((0usize..100, 0usize..100), 0..3),
        )
            .prop_map(|(d, spans)| Provenance {
                document: d.to_string(),
                spans: spans
                    .into_iter()
                    .map(|(a, b)| Span::new(a.min(b), a.max(b)))
                    .collect(),
            }),
        0..3,
    )
    // as the graph keeps it: one entry per document, spans sorted and unique
    .prop_map(|v| {
        let mut by_doc: std::collections::BTreeMap<String, Vec<Span>> = Default::default();
        for p in v {
            by_doc.entry(p.document).or_default().extend(p.spans);
        }
        by_doc
            .into_iter()
            .map(|(document, mut spans)| {
                spans.sort();
                spans.dedup();
                Provenance { document, spans }
            })
            .collect()
    })
}

fn node_id() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(&[
            "person:wang-yi", "person:x", "place:beijing", "organization:un",
            "meeting:doc-a:10", "statement:doc-b:3-9",
        ][..]).prop_map(str::to_string),
        1 => (proptest::sample::select(&["person:", "place:", "call:", ""][..]), nasty())
            .prop_map(|(k, s)| format!("{k}{s}")),
    ]
}

fn node() -> impl Strategy<Value = Node> {
    (node_id(), nasty(), attrs(), provenance()).prop_map(|(id, label, attrs, provenance)| Node {
        kind: kind_of(&id).to_string(),
        id,
        label,
        attrs: attrs.into(),
        provenance,
    })
}

/// An edge by node indices: (source, target, kind, attributes, provenance).
type EdgeSpec = (usize, usize, String, Map<String, Value>, Vec<Provenance>);

/// A graph: nodes, then edges between them by index.
#[derive(Clone, Debug)]
struct GraphSpec {
    nodes: Vec<Node>,
    edges: Vec<EdgeSpec>,
    docs: Vec<(String, Option<String>)>,
}

fn graph_spec() -> impl Strategy<Value = GraphSpec> {
    (
        proptest::collection::vec(node(), 1..8),
        proptest::collection::vec(
            (
                0usize..8,
                0usize..8,
                proptest::sample::select(&["said", "met", "mentions", "a\"b", "x\ny"][..])
                    .prop_map(str::to_string),
                attrs(),
                provenance(),
            ),
            0..10,
        ),
        proptest::collection::vec(
            (
                proptest::sample::select(&["doc-a", "doc-b", "doc-c"][..]).prop_map(str::to_string),
                proptest::option::of(
                    proptest::sample::select(&["2023-06-19", "2020-02-29"][..])
                        .prop_map(str::to_string),
                ),
            ),
            0..3,
        ),
    )
        .prop_map(|(nodes, edges, docs)| GraphSpec { nodes, edges, docs })
}

fn build(spec: &GraphSpec) -> KnowledgeGraph {
    let mut g = KnowledgeGraph::new();
    let idx: Vec<_> = spec
        .nodes
        .iter()
        .map(|n| g.upsert_node(n.clone()))
        .collect();
    for (a, b, kind, attrs, provenance) in &spec.edges {
        g.upsert_edge(
            idx[a % idx.len()],
            idx[b % idx.len()],
            Edge {
                kind: kind.clone(),
                attrs: attrs.clone().into(),
                provenance: provenance.clone(),
            },
        );
    }
    for (d, date) in &spec.docs {
        g.documents.insert(d.clone(), date.clone());
    }
    g
}

/// Walk DOT output as the DOT lexer would: every double-quoted string must
/// close on its own line, and braces and brackets outside strings balance.
fn dot_well_formed(dot: &str) -> Result<(), String> {
    let mut depth_brace = 0i64;
    let mut depth_bracket = 0i64;
    for (n, line) in dot.lines().enumerate() {
        let mut in_str = false;
        let mut esc = false;
        for c in line.chars() {
            if in_str {
                if esc {
                    esc = false;
                } else if c == '\\' {
                    esc = true;
                } else if c == '"' {
                    in_str = false;
                }
                if c.is_control() {
                    return Err(format!("line {}: control character in a string", n + 1));
                }
                continue;
            }
            match c {
                '"' => in_str = true,
                '{' => depth_brace += 1,
                '}' => depth_brace -= 1,
                '[' => depth_bracket += 1,
                ']' => depth_bracket -= 1,
                _ => {}
            }
            if depth_brace < 0 || depth_bracket < 0 {
                return Err(format!("line {}: unbalanced", n + 1));
            }
        }
        if in_str {
            return Err(format!("line {}: string not closed: {line:?}", n + 1));
        }
        if depth_bracket != 0 {
            return Err(format!("line {}: attribute list not closed", n + 1));
        }
    }
    if depth_brace != 0 {
        return Err("braces do not balance".into());
    }
    Ok(())
}

fn have_dot() -> bool {
    static HAVE: OnceLock<bool> = OnceLock::new();
    *HAVE.get_or_init(|| {
        let ok = std::process::Command::new("dot")
            .arg("-V")
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        if !ok && std::env::var_os("CI").is_some() {
            panic!("dot is required in CI (.ci/run installs graphviz)");
        }
        ok
    })
}

/// `dot -Tcanon` parses the graph; returns its node count (lines with `label=`
/// inside node statements are not counted by hand: dot's canonical form is).
fn dot_parses(dot: &str) -> Result<(), String> {
    use std::io::Write;
    let mut child = std::process::Command::new("dot")
        .arg("-Tcanon")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(dot.as_bytes())
        .map_err(|e| e.to_string())?;
    let o = child.wait_with_output().map_err(|e| e.to_string())?;
    let err = String::from_utf8_lossy(&o.stderr);
    if !o.status.success() || err.contains("syntax error") || err.contains("Error") {
        return Err(format!("dot failed: {err}\n{dot}"));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        // 200 cases by default; PROPTEST_CASES=5000 for a deeper search
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(200),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Every span of every layer lies inside the text on char boundaries, and
    /// the layers, the graph and both exports come out without a panic.
    #[test]
    fn spans_on_char_boundaries(text in article()) {
        let a = annotate("prop", &text);
        prop_assert_eq!(&a.doc.text, &text);
        spans_ok(&a)?;
        let _ = a.to_json();
        let g = KnowledgeGraph::from_annotated(&a);
        let _ = export::dot::to_dot(&g, &Default::default());
    }

    /// The same with CRLF line ends: spans still on boundaries, and the
    /// mentions cover the same words as with LF.
    #[test]
    fn crlf_keeps_spans(text in article()) {
        let lf = text.replace('\r', "");
        let crlf = lf.replace('\n', "\r\n");
        let a = annotate("lf", &lf);
        let b = annotate("crlf", &crlf);
        spans_ok(&b)?;
        let words = |x: &Annotated| -> Vec<String> {
            x.entities.mentions.iter().map(|m| x.doc.slice(m.span).replace('\r', "")).collect()
        };
        prop_assert_eq!(words(&a), words(&b));
    }

    /// Direct quotes lie inside quote marks.
    #[test]
    fn direct_quotes_inside_quote_marks(text in article()) {
        let a = annotate("quotes", &text);
        quotes_ok(&a)?;
    }

    /// to_string → from_str → to_string is identical, for pipeline graphs.
    #[test]
    fn pipeline_graph_json_round_trips(text in article()) {
        let g = KnowledgeGraph::from_annotated(&annotate("rt", &text));
        for pretty in [false, true] {
            let s = export::json::to_string(&g, pretty);
            let back = export::json::from_str(&s).map_err(TestCaseError::fail)?;
            prop_assert_eq!(&s, &export::json::to_string(&back, pretty));
        }
    }

    /// The same for arbitrary graphs with hostile labels and attributes.
    #[test]
    fn arbitrary_graph_json_round_trips(spec in graph_spec()) {
        let g = build(&spec);
        let s = graph_json(&g);
        let back = export::json::from_str(&s).map_err(TestCaseError::fail)?;
        prop_assert_eq!(&s, &graph_json(&back));
    }

    /// DOT escapes every id and label: the output is well formed and `dot`
    /// parses it (when installed; CI installs it).
    #[test]
    fn dot_escapes_every_label(spec in graph_spec(), cluster in proptest::option::of(
        proptest::sample::select(&["document", "kind"][..]))) {
        let g = build(&spec);
        let opts = export::dot::DotOptions {
            cluster: cluster.map(str::to_string),
            max_nodes: None,
        };
        let dot = export::dot::to_dot(&g, &opts);
        dot_well_formed(&dot).map_err(TestCaseError::fail)?;
        if have_dot() {
            dot_parses(&dot).map_err(TestCaseError::fail)?;
        }
    }

    /// Merging arbitrary graphs A then B gives the same JSON as B then A.
    #[test]
    fn merge_of_arbitrary_graphs_commutes(a in graph_spec(), b in graph_spec(), c in graph_spec()) {
        let (ga, gb, gc) = (build(&a), build(&b), build(&c));
        let mut ab = ga.clone();
        ab.merge(&gb);
        let mut ba = gb.clone();
        ba.merge(&ga);
        prop_assert_eq!(graph_json(&ab), graph_json(&ba));
        // and associatively: (A B) C == A (B C)
        let mut ab_c = ab.clone();
        ab_c.merge(&gc);
        let mut bc = gb.clone();
        bc.merge(&gc);
        let mut a_bc = ga.clone();
        a_bc.merge(&bc);
        prop_assert_eq!(graph_json(&ab_c), graph_json(&a_bc));
    }

    /// A corpus gives the same graph in any order, whether its documents are
    /// added one by one or built separately and merged.
    #[test]
    fn corpus_order_does_not_matter(texts in proptest::collection::vec(article(), 1..5)) {
        let docs: Vec<Annotated> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| annotate(&format!("doc-{i}"), t))
            .collect();
        let forward = {
            let mut g = KnowledgeGraph::new();
            for a in &docs {
                g.add_annotated(a);
            }
            graph_json(&g)
        };
        let backward = {
            let mut g = KnowledgeGraph::new();
            for a in docs.iter().rev() {
                g.add_annotated(a);
            }
            graph_json(&g)
        };
        prop_assert_eq!(&forward, &backward);
        let merged = {
            let mut g = KnowledgeGraph::new();
            for a in docs.iter().rev() {
                g.merge(&KnowledgeGraph::from_annotated(a));
            }
            graph_json(&g)
        };
        prop_assert_eq!(&forward, &merged);
    }
}

/// The DOT check above can fail: an unescaped quote is caught.
#[test]
fn dot_check_catches_a_bad_label() {
    assert!(dot_well_formed("digraph { \"a\"b\" [label=\"x\"]; }\n").is_err());
    assert!(dot_well_formed("digraph {\n \"a\n b\";\n}\n").is_err());
    assert!(dot_well_formed("digraph {\n \"a\\\"b\" [label=\"x\\\\\"];\n}\n").is_ok());
    if have_dot() {
        assert!(dot_parses("digraph { \"a\"b\" -> c; }").is_err());
    }
}
