//! `readout query`: who said what, who met whom, timelines.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_readout");

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

/// The merged fixture graph (three hand-written wire reports).
fn graph() -> String {
    let p = std::env::temp_dir().join(format!("readout-query-{}.json", std::process::id()));
    let (code, _, err) = run(&[
        "merge",
        "tests/data/week-a.json",
        "tests/data/week-b.json",
        "tests/data/week-c.json",
        "-o",
        &p.display().to_string(),
    ]);
    assert_eq!(code, 0, "{err}");
    p.display().to_string()
}

fn json(args: &[&str]) -> Vec<serde_json::Value> {
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    let (code, out, err) = run(&a);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str::<Vec<serde_json::Value>>(&out).expect("a JSON array")
}

fn ids(v: &[serde_json::Value]) -> Vec<&str> {
    v.iter().map(|x| x["id"].as_str().unwrap()).collect()
}

#[test]
fn said_lists_statements_newest_first() {
    let g = graph();
    let v = json(&["query", &g, "said"]);
    assert_eq!(
        ids(&v),
        [
            "statement:wire-2:180-230",
            "statement:wire-1:100-140",
            "statement:wire-3:70-120"
        ]
    );
    // an undated statement takes its document's date
    assert_eq!(v[0]["date"], "2023-06-19");
    assert_eq!(v[0]["speaker"], "Wang Yi");
    assert_eq!(v[1]["addressee"], "Wang Yi");
    assert_eq!(v[1]["document"], "wire-1");
}

#[test]
fn said_filters_by_speaker_addressee_topic_and_date() {
    let g = graph();
    // a surname, through the gazetteer and the graph's aliases
    assert_eq!(
        ids(&json(&["query", &g, "said", "--by", "Blinken"])),
        ["statement:wire-1:100-140", "statement:wire-3:70-120"]
    );
    assert_eq!(
        ids(&json(&["query", &g, "said", "--by", "person:wang-yi"])),
        ["statement:wire-2:180-230"]
    );
    assert_eq!(
        ids(&json(&["query", &g, "said", "--to", "Wang Yi"])),
        ["statement:wire-1:100-140"]
    );
    // about: an entity the statement mentions, or words in its text
    assert_eq!(
        ids(&json(&["query", &g, "said", "--about", "NATO"])),
        ["statement:wire-3:70-120"]
    );
    assert_eq!(
        ids(&json(&["query", &g, "said", "--about", "the US"])),
        ["statement:wire-2:180-230"]
    );
    assert_eq!(
        ids(&json(&["query", &g, "said", "--about", "communication"])),
        ["statement:wire-1:100-140"]
    );
    assert_eq!(
        ids(&json(&[
            "query", &g, "said", "--by", "Blinken", "--since", "2023"
        ])),
        ["statement:wire-1:100-140"]
    );
    assert_eq!(
        ids(&json(&["query", &g, "said", "--until", "2022-12"])),
        ["statement:wire-3:70-120"]
    );
    assert!(json(&["query", &g, "said", "--since", "2023-06-20"]).is_empty());
}

#[test]
fn titles_resolve_on_a_date() {
    let g = graph();
    let v = json(&[
        "query",
        &g,
        "said",
        "--by",
        "the Secretary of State",
        "--date",
        "2023-06-19",
    ]);
    assert_eq!(
        ids(&v),
        ["statement:wire-1:100-140", "statement:wire-3:70-120"]
    );
    // --until gives the date when --date is not given
    let v = json(&[
        "query",
        &g,
        "said",
        "--by",
        "the Secretary of State",
        "--until",
        "2023-06-30",
    ]);
    assert_eq!(v.len(), 2);
}

#[test]
fn met_filters_by_participants_and_place() {
    let g = graph();
    let all = json(&["query", &g, "met"]);
    assert_eq!(
        ids(&all),
        [
            "call:2023-06-20:person:joe-biden+person:rishi-sunak",
            "meeting:2023-06-18:person:antony-blinken+person:wang-yi"
        ]
    );
    assert_eq!(all[1]["documents"], serde_json::json!(["wire-1", "wire-2"]));
    assert_eq!(all[1]["place"], "Beijing");
    assert_eq!(
        all[1]["participants"],
        serde_json::json!(["Antony Blinken", "Wang Yi"])
    );
    assert_eq!(json(&["query", &g, "met", "--with", "Sunak"]).len(), 1);
    assert_eq!(
        json(&["query", &g, "met", "--between", "Blinken", "Wang Yi"]).len(),
        1
    );
    assert!(json(&["query", &g, "met", "--between", "Blinken", "Joe Biden"]).is_empty());
    assert_eq!(
        ids(&json(&["query", &g, "met", "--at", "Peking"])),
        ["meeting:2023-06-18:person:antony-blinken+person:wang-yi"]
    );
    assert_eq!(json(&["query", &g, "met", "--kind", "call"]).len(), 1);
    assert!(json(&["query", &g, "met", "--since", "2023-06-21"]).is_empty());
}

#[test]
fn timeline_is_in_date_order() {
    let g = graph();
    let v = json(&["query", &g, "timeline", "Antony Blinken"]);
    let kinds: Vec<(&str, &str)> = v
        .iter()
        .map(|x| (x["type"].as_str().unwrap(), x["date"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("said", "2022-11-02"),
            ("said", "2023-06-18"),
            ("event", "2023-06-18")
        ]
    );
}

#[test]
fn table_output_is_readable() {
    let g = graph();
    let (code, out, _) = run(&["query", &g, "said", "--by", "Blinken"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("DATE") && lines[0].contains("SPEAKER") && lines[0].contains("TEXT")
    );
    assert_eq!(lines.len(), 3);
    assert!(
        lines[1].starts_with("2023-06-18  Antony Blinken"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].contains("and long"),
        "line breaks in a quote are flattened: {}",
        lines[2]
    );
    let (_, out, _) = run(&["query", &g, "timeline", "Wang Yi"]);
    assert!(
        out.contains("meeting") && out.contains("at Beijing"),
        "{out}"
    );
}

#[test]
fn unknown_names_and_bad_dates_are_errors() {
    let g = graph();
    let (code, out, err) = run(&["query", &g, "said", "--by", "Nobody Atall"]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert_eq!(err.lines().count(), 1);
    assert!(err.contains("Nobody Atall"), "{err}");
    let (code, _, err) = run(&["query", &g, "said", "--since", "June"]);
    assert_eq!(code, 2);
    assert!(err.contains("--since"), "{err}");
    let (code, _, _) = run(&["query", &g, "dance"]);
    assert_eq!(code, 2);
}

#[test]
fn queries_run_on_article_files() {
    // not a graph: the article is extracted first
    let (code, out, err) = run(&[
        "query",
        "tests/data/articles/ottawa.txt",
        "timeline",
        "Trudeau",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let _: Vec<serde_json::Value> = serde_json::from_str(&out).expect("a JSON array");
    let (code, out, err) = run(&["query", "tests/data/articles", "said"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("DATE"));
    // a name the articles never mention
    let (code, _, _) = run(&[
        "query",
        "tests/data/articles/ottawa.txt",
        "met",
        "--with",
        "Rishi Sunak",
    ]);
    assert_eq!(code, 1);
}

#[test]
fn an_audience_is_the_addressee_of_a_statement_told_to_a_group() {
    let dir = std::env::temp_dir().join(format!("readout-audience-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let article = dir.join("briefing.txt");
    std::fs::write(
        &article,
        "OTTAWA, May 2, 2024 - Justin Trudeau spoke after the summit.\n\n\
         \"Canada will keep its word,\" Trudeau told reporters on Thursday.\n",
    )
    .unwrap();
    let a = article.display().to_string();
    let v = json(&["query", &a, "said"]);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0]["audience"], "reporters");
    assert!(v[0]["addressee"].is_null());
    // the table's TO column names the audience when no one is named
    let (code, out, err) = run(&["query", &a, "said"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.lines().nth(1).unwrap().contains("reporters"), "{out}");
    // --to takes an audience, with or without "the", in any case
    for to in ["reporters", "the Reporters"] {
        assert_eq!(json(&["query", &a, "said", "--to", to]).len(), 1, "{to}");
    }
    let (code, _, err) = run(&["query", &a, "said", "--to", "students"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("audience"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
