//! The HTML report: highlighting over overlapping layers, tables and anchors,
//! escaping of hostile input, and (with headless Chromium) the rendered page
//! of the examples and of a hostile article.
//!
//! The browser tests need Debian's `chromium` (or `READOUT_CHROMIUM=/path`).
//! Without it they fail when `CI` is set and are skipped otherwise.

use readout::dates::{Timex, TimexType};
use readout::document::Span;
use readout::events::{Event, EventKind, Status};
use readout::report::{render, ReportOptions};
use readout::statements::Statement;
use readout::{Annotated, Pipeline};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------- helpers

fn span_of(text: &str, needle: &str, nth: usize) -> Span {
    let (start, _) = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} #{nth} not in the test text"));
    Span::new(start, start + needle.len())
}

fn entity(a: &Annotated, name: &str) -> usize {
    a.entities
        .entities
        .iter()
        .position(|e| e.name == name)
        .unwrap_or_else(|| panic!("entity {name} not found by the pipeline"))
}

/// The `<div class="text">` of document `d` (it holds only spans).
fn text_div(html: &str, d: usize) -> &str {
    let art = html
        .find(&format!("<article class=\"doc\" id=\"doc-{d}\">"))
        .expect("document section");
    let start = art + html[art..].find("<div class=\"text\">").unwrap() + 18;
    let end = start + html[start..].find("</div>").unwrap();
    &html[start..end]
}

/// Strip tags and decode the entities `esc` makes.
fn strip(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Rows of the table with class `cls`.
fn rows(html: &str, cls: &str) -> usize {
    let Some(t) = html.find(&format!("<table class=\"rows {cls}\">")) else {
        return 0;
    };
    let body = &html[t..];
    let end = body.find("</table>").unwrap();
    body[..end].matches("<tr>").count() + body[..end].matches("<tr id=").count() - 1
}

const TEXT: &str = "Antony Blinken met Wang Yi in Beijing on Monday.\n\n\
\"Beijing and Washington will talk again next week,\" Blinken told Wang on Monday.\n";

/// An article with statements, events and time expressions laid over it
/// by hand (whatever the stages find, the layers below are known).
fn synthetic(id: &str) -> Annotated {
    let p = Pipeline::embedded().unwrap();
    let mut a = p.annotate(id, TEXT, Some("2023-06-19".parse().unwrap()));
    let blinken = entity(&a, "Antony Blinken");
    let wang = entity(&a, "Wang Yi");
    let beijing = entity(&a, "Beijing");
    let t = TEXT;
    a.timexes = vec![
        Timex {
            span: span_of(t, "Monday", 0),
            text: "Monday".into(),
            kind: TimexType::DATE,
            value: "2023-06-19".into(),
            modifier: None,
            anchored: false,
        },
        // crosses the end of the quote and contains the mention "Blinken"
        Timex {
            span: Span::new(
                span_of(t, "next week", 0).start,
                span_of(t, "Blinken told", 0).start + 7,
            ),
            text: String::new(),
            kind: TimexType::DATE,
            value: "CROSS".into(),
            modifier: None,
            anchored: false,
        },
        Timex {
            span: span_of(t, "Monday", 1),
            text: "Monday".into(),
            kind: TimexType::DATE,
            value: "2023-06-19".into(),
            modifier: None,
            anchored: false,
        },
    ];
    let quote = span_of(t, "Beijing and Washington will talk again next week,", 0);
    let second = span_of(t, "\"Beijing", 0).start;
    let sentence2 = Span::new(second, t.len() - 1);
    a.statements = vec![Statement {
        span: quote,
        direct: true,
        speaker: Some(blinken),
        speaker_span: Some(span_of(t, "Blinken told", 0)),
        addressee: Some(wang),
        audience: None,
        cue: Some(span_of(t, "told", 0)),
        cue_lemma: Some("tell".into()),
        evidence: sentence2,
        date: Some("2023-06-19".into()),
        utterance: 0,
        cameo: "010".into(),
        mentions: vec![beijing],
    }];
    a.events = vec![Event {
        kind: EventKind::Meeting,
        trigger: span_of(t, "met", 0),
        evidence: vec![Span::new(0, span_of(t, "Monday.", 0).end)],
        participants: vec![blinken, wang],
        hosts: vec![wang],
        place: Some(beijing),
        date: Some("2023-06-19".into()),
        status: Status::Occurred,
        cameo: "040".into(),
        source_actor: Some(blinken),
        target_actor: Some(wang),
    }];
    a
}

// ------------------------------------------------------- library tests

#[test]
fn highlighting_keeps_the_text_and_nests_overlapping_layers() {
    let a = synthetic("synthetic.txt");
    let html = render(std::slice::from_ref(&a), &ReportOptions::default()).html;
    // kept for looking at: target/tmp/report-synthetic/report.html
    std::fs::write(scratch("synthetic").join("report.html"), &html).unwrap();
    let div = text_div(&html, 0);
    // the text comes back exactly, and the spans are balanced
    assert_eq!(strip(div), TEXT);
    assert_eq!(div.matches("<span").count(), div.matches("</span>").count());
    // the quote opens first, the mention that starts with it inside
    let q = div.find("id=\"d0-s0\"").expect("quote anchor");
    let after = &div[q + div[q..].find('>').unwrap() + 1..];
    assert!(
        after.starts_with("<span class=\"hl m place\""),
        "mention not nested in the quote: {}",
        &after[..80.min(after.len())]
    );
    // the crossing time expression is split in two pieces, one anchor
    assert!(div.matches("data-tip=\"DATE CROSS\"").count() >= 2, "{div}");
    assert_eq!(div.matches("id=\"d0-t1\"").count(), 1);
    // tooltips
    assert!(div.contains(
        "speaker: Antony Blinken&#10;addressee: Wang Yi&#10;cue: told (tell)&#10;date: 2023-06-19"
    ));
    assert!(div.contains("participants: Antony Blinken, Wang Yi (host)&#10;place: Beijing"));
    assert!(div.contains("Antony Blinken (person)&#10;entity: "));
    assert!(div.contains("how: gazetteer"));
    assert!(div.contains("data-tip=\"DATE 2023-06-19\""));
    // every anchor once, every table row links to it
    for anchor in ["d0-s0", "d0-e0", "d0-e0-v0", "d0-t0", "d0-t2"] {
        assert_eq!(
            html.matches(&format!("id=\"{anchor}\"")).count(),
            1,
            "{anchor}"
        );
    }
    for anchor in ["d0-s0", "d0-e0", "d0-e0-v0"] {
        assert!(
            html.contains(&format!("<a href=\"#{anchor}\">")),
            "{anchor}"
        );
    }
    assert_eq!(rows(&html, "statements"), 1);
    assert_eq!(rows(&html, "events"), 1);
    assert_eq!(rows(&html, "timexes"), 3);
    // the graph: fact nodes link to the text, edges are drawn
    let svg = &html[html.find("<svg class=\"graph\"").unwrap()..];
    assert!(svg.contains("<a href=\"#d0-s0\">"));
    assert!(svg.contains("<a href=\"#d0-e0\">"));
    for kind in [
        "said",
        "addressed",
        "mentions",
        "participated",
        "hosted",
        "held_at",
    ] {
        assert!(
            svg.contains(&format!("class=\"edge {kind}\"")),
            "no {kind} edge"
        );
    }
}

#[test]
fn several_documents_get_an_index_ranked_actors_and_a_timeline() {
    let docs = vec![synthetic("one.txt"), synthetic("two.txt")];
    let html = render(&docs, &ReportOptions::default()).html;
    let index = &html[html.find("<section id=\"index\">").expect("index")..];
    let index = &index[..index.find("</section>").unwrap()];
    assert!(index.contains("<a href=\"#doc-0\">one.txt</a>"));
    assert!(index.contains("<a href=\"#doc-1\">two.txt</a>"));
    // Blinken speaks once in each document; the two reports of the same
    // meeting (same date and participants) are one event of the graph
    let actors = &html[html.find("<section id=\"actors\">").expect("actors")..];
    let first = &actors[actors.find("<tr id=\"actor-0\">").unwrap()..];
    let first = &first[..first.find("</tr>").unwrap()];
    assert!(first.contains("Antony Blinken"), "{first}");
    assert!(first.contains("<td class=\"num\">2</td><td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">1</td><td class=\"num\">2</td>"), "{first}");
    // the timeline lists both statements and both meetings
    let tl = &html[html.find("<section id=\"timeline\">").expect("timeline")..];
    let tl = &tl[..tl.find("</section>").unwrap()];
    assert_eq!(tl.matches("<li>").count(), 4);
    assert!(tl.contains("<a href=\"#d1-s0\">"));
    assert!(tl.contains("<a href=\"#d0-e0\">met</a>"));
}

const HOSTILE: &str = "Talks ended <script>document.title='pwned'</script> early.\n\n\
Then <img src=x onerror=\"document.title='pwned'\"> & \"quotes\" 'too' </div></span><b>bold?</b>\n";

#[test]
fn hostile_text_stays_text() {
    let p = Pipeline::embedded().unwrap();
    let mut a = p.annotate("<img src=x onerror=alert(1)>.txt", HOSTILE, None);
    // a statement over the script, with a hostile audience in its tooltip
    a.statements.push(Statement {
        span: span_of(HOSTILE, "<script>document.title='pwned'</script>", 0),
        direct: true,
        speaker: None,
        speaker_span: None,
        addressee: None,
        audience: Some("\"><script>alert(2)</script>".into()),
        cue: None,
        cue_lemma: None,
        evidence: Span::new(0, 10),
        date: None,
        utterance: 0,
        cameo: "010".into(),
        mentions: vec![],
    });
    // and spans that do not fit the text are ignored, not a panic
    a.timexes.push(Timex {
        span: Span::new(5, 10_000),
        text: String::new(),
        kind: TimexType::DATE,
        value: "<x>".into(),
        modifier: None,
        anchored: false,
    });
    let opts = ReportOptions {
        title: "<script>alert(3)</script>".into(),
        ..ReportOptions::default()
    };
    let html = render(&[a], &opts).html;
    assert_eq!(
        html.matches("<script").count(),
        1,
        "only the page's own script"
    );
    assert!(!html.contains("<img"));
    assert!(!html.contains("<b>"));
    assert!(html.contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;.txt"));
    assert!(html.contains("&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"));
    assert!(html.contains("Content-Security-Policy"));
    assert_eq!(strip(text_div(&html, 0)), HOSTILE);
}

#[test]
fn empty_input_renders_a_page() {
    let html = render(&[], &ReportOptions::default()).html;
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("No documents."));
    let p = Pipeline::embedded().unwrap();
    let html = render(&[p.annotate("empty", "", None)], &ReportOptions::default()).html;
    assert_eq!(text_div(&html, 0), "");
}

#[test]
fn extract_format_html_writes_the_report() {
    let out = Command::new(env!("CARGO_BIN_EXE_readout"))
        .args(["extract", "examples/phone-call.txt", "--format", "html"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("class=\"hl m person\""));
    assert!(html.contains("examples/phone-call.txt"));
}

// ------------------------------------------------------- browser tests

/// Headless Chromium, or None (skip) when it is missing outside CI.
fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("READOUT_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in [
            "chromium",
            "chromium-browser",
            "google-chrome",
            "google-chrome-stable",
        ] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "headless Chromium not found: the report browser tests need Debian's `chromium` \
             package (apt-get install -y chromium) or READOUT_CHROMIUM=/path/to/chromium"
        );
    }
    eprintln!(
        "NOTICE: chromium not installed; skipping the report browser test \
         (apt-get install -y chromium; set CI=1 to make this a failure)"
    );
    None
}

fn scratch(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("report-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Run Chromium headless on `page` with `extra` arguments; returns stdout.
fn browse(bin: &Path, dir: &Path, page: &Path, extra: &[String]) -> String {
    let profile = dir.join(format!("profile-{}", extra.len()));
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.canonicalize().unwrap().display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut s).map(|_| s)
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "chromium failed: {status}");
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish in 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    reader.join().unwrap().unwrap()
}

fn dump_dom(bin: &Path, dir: &Path, page: &Path) -> String {
    browse(
        bin,
        dir,
        page,
        &["--virtual-time-budget=3000".into(), "--dump-dom".into()],
    )
}

fn title(dom: &str) -> &str {
    let s = dom.find("<title>").expect("title") + 7;
    &dom[s..s + dom[s..].find("</title>").unwrap()]
}

fn readout(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_readout"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "readout {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn browser_renders_the_examples() {
    let Some(bin) = chromium() else { return };
    let dir = scratch("examples");
    let page = dir.join("report.html");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut examples: Vec<PathBuf> = std::fs::read_dir(root.join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    examples.sort();
    assert!(!examples.is_empty());
    let names: Vec<String> = examples
        .iter()
        .map(|p| p.strip_prefix(root).unwrap().display().to_string())
        .collect();
    let mut args = vec!["report"];
    args.extend(names.iter().map(String::as_str));
    let out = page.display().to_string();
    args.extend(["-o", &out]);
    readout(&args);

    // what the pipeline finds, to compare with the page
    let p = Pipeline::embedded().unwrap();
    let paths: Vec<String> = examples.iter().map(|p| p.display().to_string()).collect();
    let docs: Vec<Annotated> =
        readout::input::read_inputs(&paths, readout::input::InputFormat::Text)
            .into_iter()
            .map(|d| d.unwrap())
            .map(|d| p.annotate(&d.id, &d.text, d.date))
            .collect();

    let shot = dir.join("report.png");
    browse(
        &bin,
        &dir,
        &page,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,2000".into(),
        ],
    );
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 20_000,
        "bad screenshot"
    );

    let dom = dump_dom(&bin, &dir, &page);
    assert!(
        dom.contains("data-js=\"on\""),
        "the page's script did not run (CSP hash stale?)"
    );
    assert_eq!(title(&dom), "readout report");
    let index = &dom[dom.find("<section id=\"index\">").expect("index")..];
    let index = &index[..index.find("</section>").unwrap()];
    assert_eq!(index.matches("<tr>").count(), docs.len() + 1);
    for (d, a) in docs.iter().enumerate() {
        assert!(!a.entities.mentions.is_empty(), "{}: no mentions", a.doc.id);
        // every mention, time expression, statement and event is highlighted
        for i in 0..a.entities.mentions.len() {
            assert!(
                dom.contains(&format!("id=\"d{d}-m{i}\"")),
                "mention d{d}-m{i}"
            );
        }
        for i in 0..a.timexes.len() {
            assert!(
                dom.contains(&format!("id=\"d{d}-t{i}\"")),
                "timex d{d}-t{i}"
            );
        }
        for i in 0..a.statements.len() {
            assert!(dom.contains(&format!("id=\"d{d}-s{i}\"")));
            assert!(dom.contains(&format!("<a href=\"#d{d}-s{i}\">")));
        }
        for i in 0..a.events.len() {
            assert!(dom.contains(&format!("id=\"d{d}-e{i}\"")));
            assert!(dom.contains(&format!("<a href=\"#d{d}-e{i}\">")));
        }
        let art = &dom[dom.find(&format!("id=\"doc-{d}\"")).unwrap()..];
        let art = &art[..art.find("</article>").unwrap()];
        assert_eq!(rows(art, "statements"), a.statements.len());
        assert_eq!(rows(art, "events"), a.events.len());
        assert_eq!(strip(text_div(&dom, d)), a.doc.text);
    }
    assert!(dom.contains("class=\"hl m person\""));
    assert!(dom.contains("<svg class=\"graph\""));
}

#[test]
fn browser_runs_no_script_from_the_input() {
    let Some(bin) = chromium() else { return };
    let dir = scratch("hostile");
    let article = dir.join("hostile.txt");
    std::fs::write(&article, HOSTILE).unwrap();
    let page = dir.join("report.html");
    readout(&[
        "report",
        &article.display().to_string(),
        "-o",
        &page.display().to_string(),
    ]);
    let dom = dump_dom(&bin, &dir, &page);
    assert_eq!(title(&dom), "readout report", "a script from the input ran");
    assert!(!dom.contains("pwned</title>"));
    assert!(!dom.contains("<img"), "an <img> element was created");
    // the markup is in the page as text (layers may split it into spans)
    assert!(dom.contains("&lt;script&gt;"));
    assert!(dom.contains("&lt;img src=x onerror="));
    assert_eq!(strip(text_div(&dom, 0)), HOSTILE);
    assert!(dom.contains("data-js=\"on\""));
}

/// The control: the same check does see a script that runs, so the test
/// above can fail.
#[test]
fn browser_check_detects_a_running_script() {
    let Some(bin) = chromium() else { return };
    let dir = scratch("control");
    let page = dir.join("unsafe.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html><head><title>readout report</title></head><body>\
         <img src=x onerror=\"document.title='pwned'\"></body></html>",
    )
    .unwrap();
    let dom = dump_dom(&bin, &dir, &page);
    assert_eq!(title(&dom), "pwned");
}

#[test]
fn layout_dot_falls_back_without_graphviz() {
    let out = Command::new(env!("CARGO_BIN_EXE_readout"))
        .args(["report", "examples/phone-call.txt", "--layout", "dot"])
        .env("PATH", "")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot run Graphviz `dot`"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("<svg class=\"graph\""));
}

#[test]
fn layout_dot_uses_graphviz_when_installed() {
    let has_dot = Command::new("dot")
        .arg("-V")
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !has_dot {
        eprintln!("NOTICE: Graphviz not installed; skipping the --layout dot test");
        return;
    }
    let out = Command::new(env!("CARGO_BIN_EXE_readout"))
        .args(["report", "examples/beijing-visit.txt", "--layout", "dot"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(!html.contains("<svg class=\"graph\""));
    assert!(html.contains("<svg width="), "no Graphviz SVG");
    assert!(!html.contains("<?xml"));
    assert!(!html.contains("<!DOCTYPE svg"));
}
