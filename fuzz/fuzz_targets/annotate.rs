//! Arbitrary bytes through the whole pipeline: decode, annotate, build the
//! graph, export JSON and DOT. Checks the span invariants on the way.
#![no_main]

use libfuzzer_sys::fuzz_target;
use readout::document::Span;
use readout::export;
use readout::graph::KnowledgeGraph;
use readout::Pipeline;
use std::sync::OnceLock;

static PIPELINE: OnceLock<Pipeline> = OnceLock::new();

fn check(text: &str, s: Span, what: &str) {
    assert!(
        s.start <= s.end && s.end <= text.len(),
        "{what} span {s:?} outside the text ({} bytes)",
        text.len()
    );
    assert!(
        text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
        "{what} span {s:?} not on char boundaries"
    );
}

fuzz_target!(|data: &[u8]| {
    let p = PIPELINE.get_or_init(|| Pipeline::embedded().expect("embedded pipeline"));
    let Ok((text, _warnings)) = readout::input::decode("fuzz", data.to_vec()) else {
        return;
    };
    let date = chrono::NaiveDate::from_ymd_opt(2020, 2, 29);
    let a = p.annotate("fuzz", &text, date);
    let t = &a.doc.text;
    for x in &a.doc.paragraphs {
        check(t, x.span, "paragraph");
    }
    for x in &a.doc.sentences {
        check(t, x.span, "sentence");
    }
    for x in &a.doc.tokens {
        check(t, x.span, "token");
    }
    for m in &a.entities.mentions {
        check(t, m.span, "mention");
        if let Some(s) = m.title {
            check(t, s, "mention title");
        }
    }
    for x in &a.timexes {
        check(t, x.span, "timex");
    }
    for s in &a.statements {
        check(t, s.span, "statement");
        check(t, s.evidence, "statement evidence");
        for x in [s.cue, s.speaker_span].into_iter().flatten() {
            check(t, x, "statement cue/speaker");
        }
    }
    for e in &a.events {
        check(t, e.trigger, "event trigger");
        for &x in &e.evidence {
            check(t, x, "event evidence");
        }
    }
    let _ = a.to_json();
    let g = KnowledgeGraph::from_annotated(&a);
    let json = export::json::to_string(&g, false);
    let back = export::json::from_str(&json).expect("our own JSON reads back");
    assert_eq!(
        json,
        export::json::to_string(&back, false),
        "JSON round trip"
    );
    let _ = export::dot::to_dot(&g, &Default::default());
});
