//! The HTML report (`readout report`, `readout extract --format html`): one
//! self-contained page — no network, no external scripts or fonts — that
//! shows each article with its mentions, time expressions, quotes and event
//! triggers highlighted, tables of statements and events linked to their
//! evidence in the text, the knowledge graph as inline SVG, and, for several
//! articles, a document index, the merged actors ranked by statements and
//! events, and a timeline.
//!
//! Safety: every string taken from the input (text, document ids, names,
//! values) is escaped by [`html::esc`]; the page's Content-Security-Policy
//! forbids all network access and allows only the page's own script (by
//! hash), so even a mistake in escaping could not run a script from the
//! input. The page is readable without JavaScript (tooltips and layer
//! toggles are CSS); the small script only adds a row filter.

pub mod cli;
pub mod highlight;
pub mod html;
pub mod svg;

use crate::document::Span;
use crate::entities::How;
use crate::graph::KnowledgeGraph;
use crate::Annotated;
use highlight::Mark;
use html::{esc, link, push_esc, shorten, td};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

const CSS: &str = include_str!("page.css");
const JS: &str = include_str!("page.js");
/// SHA-256 of [`JS`] (base64), for the Content-Security-Policy. The browser
/// test checks the script runs, so a stale hash fails it.
const JS_HASH: &str = "Kf1t013uD0UOMwz60Irr2pOjn8QbX/ne2EHVrzqWqCs=";

/// How to draw the graph.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Layout {
    /// The built-in column layout (no Graphviz needed).
    #[default]
    Builtin,
    /// Graphviz `dot -Tsvg`, falling back to the built-in layout.
    Dot,
}

/// Report options.
#[derive(Clone, Debug)]
pub struct ReportOptions {
    pub title: String,
    pub layout: Layout,
    /// Draw at most this many statements and events in the graph.
    pub max_graph_facts: usize,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            title: "readout report".into(),
            layout: Layout::Builtin,
            max_graph_facts: 60,
        }
    }
}

/// A rendered report.
#[derive(Clone, Debug)]
pub struct Report {
    pub html: String,
    /// Problems worth telling the user (e.g. `dot` not found).
    pub warnings: Vec<String>,
}

/// "1 statement", "2 statements".
fn count(n: usize, what: &str) -> String {
    match (n, what) {
        (1, _) => format!("{n} {what}"),
        (_, "entity") => format!("{n} entities"),
        _ => format!("{n} {what}s"),
    }
}

fn lower<T: serde::Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Anchors of one document's annotations.
fn anchor_doc(d: usize) -> String {
    format!("doc-{d}")
}
fn anchor_statement(d: usize, i: usize) -> String {
    format!("d{d}-s{i}")
}
fn anchor_event(d: usize, i: usize) -> String {
    format!("d{d}-e{i}")
}
fn anchor_evidence(d: usize, i: usize, k: usize) -> String {
    format!("d{d}-e{i}-v{k}")
}

/// Names of a document's entities.
struct Names<'a> {
    a: &'a Annotated,
}

impl Names<'_> {
    fn name(&self, e: usize) -> &str {
        self.a
            .entities
            .entities
            .get(e)
            .map(|x| x.name.as_str())
            .unwrap_or("?")
    }
    fn id(&self, e: usize) -> &str {
        self.a
            .entities
            .entities
            .get(e)
            .map(|x| x.id.as_str())
            .unwrap_or("")
    }
    fn slice(&self, s: Span) -> &str {
        self.a.doc.text.get(s.start..s.end).unwrap_or("")
    }
}

/// Render the report of `docs`.
pub fn render(docs: &[Annotated], opts: &ReportOptions) -> Report {
    let mut warnings = Vec::new();
    let mut graph = KnowledgeGraph::new();
    for a in docs {
        graph.add_annotated(a);
    }
    let actors = rank_actors(&graph);
    let actor_anchor: HashMap<String, String> = actors
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.clone(), format!("actor-{i}")))
        .collect();
    // graph node id → anchor in the text, found through the node's
    // provenance (statement span, event evidence), not by rebuilding ids
    let mut node_anchor = actor_anchor.clone();
    let mut doc_index: HashMap<&str, usize> = HashMap::new();
    let mut by_span: HashMap<(usize, Span, bool), String> = HashMap::new();
    for (d, a) in docs.iter().enumerate() {
        doc_index.entry(a.doc.id.as_str()).or_insert(d);
        for (i, s) in a.statements.iter().enumerate() {
            by_span
                .entry((d, s.span, true))
                .or_insert_with(|| anchor_statement(d, i));
        }
        for (i, e) in a.events.iter().enumerate() {
            for sp in &e.evidence {
                by_span
                    .entry((d, *sp, false))
                    .or_insert_with(|| anchor_event(d, i));
            }
        }
    }
    for n in graph.graph.node_weights() {
        if matches!(n.kind.as_str(), "person" | "organization" | "place") {
            continue;
        }
        let statement = n.kind == "statement";
        let found = n.provenance.iter().find_map(|p| {
            let d = *doc_index.get(p.document.as_str())?;
            p.spans
                .iter()
                .find_map(|sp| by_span.get(&(d, *sp, statement)))
        });
        if let Some(anchor) = found {
            node_anchor.insert(n.id.clone(), anchor.clone());
        }
    }

    let mut out =
        String::with_capacity(docs.iter().map(|a| a.doc.text.len() * 3).sum::<usize>() + 64 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{JS_HASH}'; img-src data:\">\
         <meta name=\"generator\" content=\"readout {}\">\
         <title>{}</title><style>{CSS}</style></head><body>\n",
        env!("CARGO_PKG_VERSION"),
        esc(&opts.title)
    );
    // header
    let (n_st, n_ev, n_tx, n_m) = docs.iter().fold((0, 0, 0, 0), |c, a| {
        (
            c.0 + a.statements.len(),
            c.1 + a.events.len(),
            c.2 + a.timexes.len(),
            c.3 + a.entities.mentions.len(),
        )
    });
    let _ = write!(
        out,
        "<header class=\"top\"><h1>{}</h1><p>{} · {} of {} · {} · {} · {}</p><nav class=\"toc\">",
        esc(&opts.title),
        count(docs.len(), "document"),
        count(n_m, "mention"),
        count(actors.len(), "actor"),
        count(n_tx, "time expression"),
        count(n_st, "statement"),
        count(n_ev, "event")
    );
    let several = docs.len() > 1;
    if several {
        out.push_str("<a href=\"#index\">Documents</a><a href=\"#timeline\">Timeline</a><a href=\"#graph\">Graph</a><a href=\"#actors\">Actors</a>");
    }
    if !several {
        out.push_str(
            "<a href=\"#doc-0\">Text</a><a href=\"#graph\">Graph</a><a href=\"#actors\">Actors</a>",
        );
    }
    out.push_str("</nav></header>\n");
    // legend with layer toggles (CSS only) and the row filter (script)
    out.push_str(
        "<div class=\"legend\" role=\"group\" aria-label=\"layers\"><strong>Highlight:</strong>",
    );
    for (id, label, var) in [
        ("person", "person", "--person"),
        ("organization", "organization", "--organization"),
        ("place", "place", "--place"),
        ("time", "time expression", "--time"),
        ("quote", "statement", "--quote"),
        ("event", "event trigger", "--event"),
    ] {
        let _ = write!(
            out,
            "<label><input type=\"checkbox\" id=\"f-{id}\" checked> <span class=\"sw\" style=\"background:var({var})\"></span>{label}</label>"
        );
    }
    out.push_str("<input type=\"search\" id=\"filter\" placeholder=\"Filter table rows…\" aria-label=\"filter table rows\" hidden></div>\n<main>\n");

    if several {
        index_section(&mut out, docs);
        timeline_section(&mut out, docs, &actor_anchor);
        graph_section(&mut out, &graph, &node_anchor, opts, &mut warnings);
        actors_section(&mut out, &actors);
        for (d, a) in docs.iter().enumerate() {
            doc_section(&mut out, d, a, &actor_anchor);
        }
    } else {
        for (d, a) in docs.iter().enumerate() {
            doc_section(&mut out, d, a, &actor_anchor);
        }
        graph_section(&mut out, &graph, &node_anchor, opts, &mut warnings);
        actors_section(&mut out, &actors);
    }
    if docs.is_empty() {
        out.push_str("<section><p class=\"empty\">No documents.</p></section>");
    }
    let _ = write!(
        out,
        "</main><footer>Made by readout {} — a self-contained page: no network access, no external resources.</footer>\n<script>{JS}</script></body></html>\n",
        env!("CARGO_PKG_VERSION")
    );
    Report {
        html: out,
        warnings,
    }
}

/// One actor of the merged graph with its counts.
#[derive(Clone, Debug)]
pub struct ActorRow {
    pub id: String,
    pub label: String,
    pub kind: String,
    pub statements: usize,
    pub addressed: usize,
    pub mentioned: usize,
    pub events: usize,
    pub documents: usize,
    pub mentions: usize,
}

/// Actors ranked by statements and events (then addressed, mentions).
pub fn rank_actors(g: &KnowledgeGraph) -> Vec<ActorRow> {
    let mut rows: BTreeMap<&str, ActorRow> = BTreeMap::new();
    for n in g.sorted_nodes() {
        if matches!(n.kind.as_str(), "person" | "organization" | "place") {
            rows.insert(
                &n.id,
                ActorRow {
                    id: n.id.clone(),
                    label: n.label.clone(),
                    kind: n.kind.clone(),
                    statements: 0,
                    addressed: 0,
                    mentioned: 0,
                    events: 0,
                    documents: n.provenance.len(),
                    mentions: n.provenance.iter().map(|p| p.spans.len()).sum(),
                },
            );
        }
    }
    for (s, t, e) in g.sorted_edges() {
        match e.kind.as_str() {
            "said" => {
                if let Some(r) = rows.get_mut(s) {
                    r.statements += 1;
                }
            }
            "participated" | "hosted" => {
                if let Some(r) = rows.get_mut(s) {
                    r.events += 1;
                }
            }
            "held_at" => {
                if let Some(r) = rows.get_mut(t) {
                    r.events += 1;
                }
            }
            "addressed" => {
                if let Some(r) = rows.get_mut(t) {
                    r.addressed += 1;
                }
            }
            "mentions" => {
                if let Some(r) = rows.get_mut(t) {
                    r.mentioned += 1;
                }
            }
            _ => {}
        }
    }
    let mut v: Vec<ActorRow> = rows.into_values().collect();
    v.sort_by(|a, b| {
        (b.statements + b.events)
            .cmp(&(a.statements + a.events))
            .then(b.addressed.cmp(&a.addressed))
            .then(b.mentions.cmp(&a.mentions))
            .then(a.label.cmp(&b.label))
            .then(a.id.cmp(&b.id))
    });
    v
}

/// The opening words of a document: its first paragraph of a few words,
/// after the dateline.
fn headline(a: &Annotated) -> String {
    let dl = a.doc.dateline.as_ref().map(|d| d.span);
    for p in &a.doc.paragraphs {
        let mut start = p.span.start;
        if let Some(d) = dl.filter(|d| d.overlaps(p.span)) {
            start = d.end.clamp(p.span.start, p.span.end);
        }
        let Some(t) = a.doc.text.get(start..p.span.end) else {
            continue;
        };
        let t = t.trim_start_matches(|c: char| c.is_whitespace() || "-_—–:".contains(c));
        let words = t
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count();
        if words >= 3 {
            return shorten(t, 90);
        }
    }
    String::new()
}

fn index_section(out: &mut String, docs: &[Annotated]) {
    const SHOWN: usize = 30;
    let head = "<table class=\"rows index\"><thead><tr><th>#</th><th>Document</th><th>Date</th><th>Opening</th><th>Mentions</th><th>Time expr.</th><th>Statements</th><th>Events</th></tr></thead><tbody>";
    out.push_str("<section id=\"index\"><h2>Documents</h2>");
    out.push_str(head);
    for (d, a) in docs.iter().enumerate() {
        if d == SHOWN {
            let _ = write!(
                out,
                "</tbody></table><details><summary>{} more</summary>{head}",
                docs.len() - SHOWN
            );
        }
        let _ = write!(out, "<tr><td class=\"num\">{}</td><td>", d + 1);
        link(out, &anchor_doc(d), &a.doc.id);
        out.push_str("</td><td class=\"date\">");
        push_esc(out, &a.doc.date.map(|x| x.to_string()).unwrap_or_default());
        out.push_str("</td>");
        td(out, &headline(a));
        let _ = write!(
            out,
            "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            a.entities.mentions.len(),
            a.timexes.len(),
            a.statements.len(),
            a.events.len()
        );
    }
    out.push_str("</tbody></table>");
    if docs.len() > SHOWN {
        out.push_str("</details>");
    }
    out.push_str("</section>\n");
}

fn actors_section(out: &mut String, actors: &[ActorRow]) {
    const SHOWN: usize = 15;
    const MAX: usize = 500;
    out.push_str("<section id=\"actors\"><h2>Actors</h2><p class=\"meta\">Ranked by statements made and events taken part in, across all documents.</p>");
    if actors.is_empty() {
        out.push_str("<p class=\"empty\">No actors found.</p></section>\n");
        return;
    }
    let head = "<table class=\"rows actors\"><thead><tr><th>#</th><th>Actor</th><th>Kind</th><th>Statements</th><th>Addressed</th><th>Mentioned in statements</th><th>Events</th><th>Documents</th><th>Mentions</th></tr></thead><tbody>";
    out.push_str(head);
    for (i, r) in actors.iter().take(MAX).enumerate() {
        if i == SHOWN {
            let _ = write!(
                out,
                "</tbody></table><details><summary>{} more</summary>{head}",
                actors.len().min(MAX) - SHOWN
            );
        }
        let _ = write!(
            out,
            "<tr id=\"actor-{i}\"><td class=\"num\">{}</td><td>",
            i + 1
        );
        push_esc(out, &r.label);
        out.push_str(" <span class=\"id\">");
        push_esc(out, &r.id);
        let _ = write!(
            out,
            "</span></td><td><span class=\"badge {k}\">{k}</span></td>",
            k = esc(&r.kind)
        );
        for n in [
            r.statements,
            r.addressed,
            r.mentioned,
            r.events,
            r.documents,
            r.mentions,
        ] {
            let _ = write!(out, "<td class=\"num\">{n}</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    if actors.len().min(MAX) > SHOWN {
        out.push_str("</details>");
    }
    if actors.len() > MAX {
        let _ = write!(
            out,
            "<p class=\"meta\">{} more actors not shown.</p>",
            actors.len() - MAX
        );
    }
    out.push_str("</section>\n");
}

/// A link to the actors table for entity `e` of a document, or its name.
fn actor_link(
    out: &mut String,
    names: &Names,
    e: Option<usize>,
    actor_anchor: &HashMap<String, String>,
) {
    let Some(e) = e else {
        return;
    };
    match actor_anchor.get(names.id(e)) {
        Some(anchor) => link(out, anchor, names.name(e)),
        None => push_esc(out, names.name(e)),
    }
}

fn timeline_section(out: &mut String, docs: &[Annotated], actor_anchor: &HashMap<String, String>) {
    // (date, doc, position, kind, html)
    let mut items: Vec<(String, usize, usize, String)> = Vec::new();
    let mut undated = 0;
    for (d, a) in docs.iter().enumerate() {
        let names = Names { a };
        for (i, s) in a.statements.iter().enumerate() {
            let Some(date) = &s.date else {
                undated += 1;
                continue;
            };
            let mut h = String::from("<span class=\"badge statement\">statement</span> ");
            if s.speaker.is_some() {
                actor_link(&mut h, &names, s.speaker, actor_anchor);
                h.push_str(": ");
            }
            link(
                &mut h,
                &anchor_statement(d, i),
                &format!("“{}”", shorten(names.slice(s.span), 110)),
            );
            items.push((date.clone(), d, s.span.start, h));
        }
        for (i, e) in a.events.iter().enumerate() {
            let Some(date) = &e.date else {
                undated += 1;
                continue;
            };
            let kind = lower(e.kind);
            let status = lower(e.status);
            let mut h = format!("<span class=\"badge {kind}\">{kind}</span> ");
            if status != "occurred" {
                let _ = write!(h, "<span class=\"badge {status}\">{status}</span> ");
            }
            for (k, &p) in e.participants.iter().enumerate() {
                if k > 0 {
                    h.push_str(", ");
                }
                actor_link(&mut h, &names, Some(p), actor_anchor);
            }
            if e.place.is_some() {
                h.push_str(" in ");
                actor_link(&mut h, &names, e.place, actor_anchor);
            }
            h.push_str(" — ");
            link(&mut h, &anchor_event(d, i), names.slice(e.trigger));
            items.push((date.clone(), d, e.trigger.start, h));
        }
    }
    items.sort_by(|a, b| (&a.0, a.1, a.2).cmp(&(&b.0, b.1, b.2)));
    out.push_str("<section id=\"timeline\"><h2>Timeline</h2>");
    if items.is_empty() {
        out.push_str("<p class=\"empty\">No dated statements or events.</p>");
    } else {
        out.push_str("<ol class=\"timeline\">");
        for (date, d, _, h) in &items {
            out.push_str("<li><time>");
            push_esc(out, date);
            let _ = write!(out, "</time> {h} <span class=\"meta\">(");
            link(out, &anchor_doc(*d), &docs[*d].doc.id);
            out.push_str(")</span></li>");
        }
        out.push_str("</ol>");
    }
    if undated > 0 {
        let _ = write!(
            out,
            "<p class=\"meta\">{undated} statements and events without a date are not shown.</p>"
        );
    }
    out.push_str("</section>\n");
}

fn graph_section(
    out: &mut String,
    g: &KnowledgeGraph,
    anchors: &HashMap<String, String>,
    opts: &ReportOptions,
    warnings: &mut Vec<String>,
) {
    out.push_str("<section id=\"graph\"><h2>Graph</h2><div class=\"edgekey\">");
    for k in svg::EDGE_KINDS {
        let _ = write!(
            out,
            "<span><i class=\"{k}\"></i>{}</span>",
            k.replace('_', " ")
        );
    }
    out.push_str("</div><div class=\"graphbox\">");
    let drawn = match opts.layout {
        Layout::Dot => match svg::render_dot(g) {
            Ok(s) => Some(s),
            Err(e) => {
                warnings.push(e);
                None
            }
        },
        Layout::Builtin => None,
    };
    match drawn {
        Some(s) => out.push_str(&s),
        None => out.push_str(&svg::render(g, anchors, opts.max_graph_facts)),
    }
    out.push_str("</div></section>\n");
}

/// The marks of one document: headings, event evidence, quotes, event
/// triggers, mentions, time expressions.
fn marks(d: usize, a: &Annotated) -> Vec<Mark> {
    let names = Names { a };
    let date = a.doc.date.map(|x| x.to_string());
    let mut v = Vec::new();
    for p in &a.doc.paragraphs {
        if p.heading {
            v.push(Mark {
                span: p.span,
                rank: 0,
                class: "hd".into(),
                id: None,
                tip: None,
            });
        }
    }
    for (i, e) in a.events.iter().enumerate() {
        for (k, s) in e.evidence.iter().enumerate() {
            v.push(Mark {
                span: *s,
                rank: 1,
                class: "ev".into(),
                id: Some(anchor_evidence(d, i, k)),
                tip: None,
            });
        }
    }
    for (i, s) in a.statements.iter().enumerate() {
        let mut tip = String::from(if s.direct {
            "direct quote"
        } else {
            "reported speech"
        });
        let _ = write!(
            tip,
            "\nspeaker: {}",
            s.speaker.map(|e| names.name(e)).unwrap_or("unknown")
        );
        if let Some(ad) = s.addressee {
            let _ = write!(tip, "\naddressee: {}", names.name(ad));
        }
        if let Some(au) = &s.audience {
            let _ = write!(tip, "\naudience: {au}");
        }
        if let Some(c) = s.cue {
            let _ = write!(tip, "\ncue: {}", names.slice(c));
            if let Some(l) = &s.cue_lemma {
                let _ = write!(tip, " ({l})");
            }
        }
        let _ = write!(
            tip,
            "\ndate: {}\nCAMEO {}",
            s.date.as_deref().unwrap_or("unknown"),
            s.cameo
        );
        v.push(Mark {
            span: s.span,
            rank: 2,
            class: if s.direct { "hl q" } else { "hl q rep" }.into(),
            id: Some(anchor_statement(d, i)),
            tip: Some(tip),
        });
    }
    for (i, e) in a.events.iter().enumerate() {
        let mut tip = format!("{} ({})", lower(e.kind), lower(e.status));
        if !e.participants.is_empty() {
            let ps: Vec<String> = e
                .participants
                .iter()
                .map(|&p| {
                    if e.hosts.contains(&p) {
                        format!("{} (host)", names.name(p))
                    } else {
                        names.name(p).to_string()
                    }
                })
                .collect();
            let _ = write!(tip, "\nparticipants: {}", ps.join(", "));
        }
        if let Some(p) = e.place {
            let _ = write!(tip, "\nplace: {}", names.name(p));
        }
        let _ = write!(
            tip,
            "\ndate: {}\nCAMEO {}",
            e.date.as_deref().unwrap_or("unknown"),
            e.cameo
        );
        v.push(Mark {
            span: e.trigger,
            rank: 3,
            class: "hl e".into(),
            id: Some(anchor_event(d, i)),
            tip: Some(tip),
        });
    }
    for (i, m) in a.entities.mentions.iter().enumerate() {
        let kind = m.kind.as_str();
        let how = lower(m.how);
        let mut class = format!("hl m {kind}");
        let mut tip = match m.entity {
            Some(e) => format!("{} ({kind})\nentity: {}", names.name(e), names.id(e)),
            None => {
                class.push_str(" unres");
                format!("unresolved {kind}")
            }
        };
        if m.how == How::Pronoun {
            class.push_str(" pron");
        }
        let _ = write!(tip, "\nhow: {how}");
        if let Some(r) = &m.role {
            let _ = write!(tip, "\nrole: {r}");
        }
        if matches!(m.how, How::Office | How::Title) {
            let _ = write!(
                tip,
                "\nresolved on: {}",
                date.as_deref().unwrap_or("no document date")
            );
        }
        v.push(Mark {
            span: m.span,
            rank: 4,
            class,
            id: Some(format!("d{d}-m{i}")),
            tip: Some(tip),
        });
    }
    for (i, t) in a.timexes.iter().enumerate() {
        v.push(Mark {
            span: t.span,
            rank: 5,
            class: "hl t".into(),
            id: Some(format!("d{d}-t{i}")),
            tip: Some(timex_tip(t, date.as_deref())),
        });
    }
    v
}

/// "DATE 2023-06-19", with its TIMEX3 mod and anchoring.
fn timex_tip(t: &crate::dates::Timex, date: Option<&str>) -> String {
    let mut tip = format!("{:?} {}", t.kind, t.value);
    if let Some(m) = &t.modifier {
        let _ = write!(tip, " (mod {m})");
    }
    if t.anchored {
        let _ = write!(
            tip,
            "\nrelative to the document date{}",
            date.map(|d| format!(" {d}")).unwrap_or_default()
        );
    }
    tip
}

fn doc_section(out: &mut String, d: usize, a: &Annotated, actor_anchor: &HashMap<String, String>) {
    let names = Names { a };
    let _ = write!(out, "<article class=\"doc\" id=\"{}\"><h2>", anchor_doc(d));
    push_esc(out, &a.doc.id);
    out.push_str("</h2><p class=\"meta\">");
    match a.doc.date {
        Some(x) => {
            let _ = write!(out, "Document date {x}");
        }
        None => out.push_str("No document date"),
    }
    let _ = write!(
        out,
        " · {} · {} · {} · {} · {}</p>",
        count(a.entities.entities.len(), "entity"),
        count(a.entities.mentions.len(), "mention"),
        count(a.timexes.len(), "time expression"),
        count(a.statements.len(), "statement"),
        count(a.events.len(), "event")
    );
    out.push_str("<div class=\"text\">");
    out.push_str(&highlight::render(&a.doc.text, &marks(d, a)));
    out.push_str("</div>");

    // statements
    let _ = write!(out, "<h3>Statements ({})</h3>", a.statements.len());
    if a.statements.is_empty() {
        out.push_str("<p class=\"empty\">No statements found.</p>");
    } else {
        out.push_str("<table class=\"rows statements\"><thead><tr><th>#</th><th>Speaker</th><th>To</th><th>Cue</th><th>Statement</th><th>Date</th><th>Form</th><th>CAMEO</th></tr></thead><tbody>");
        for (i, s) in a.statements.iter().enumerate() {
            let _ = write!(out, "<tr><td class=\"num\">{}</td><td>", i + 1);
            actor_link(out, &names, s.speaker, actor_anchor);
            out.push_str("</td><td>");
            actor_link(out, &names, s.addressee, actor_anchor);
            if let Some(au) = &s.audience {
                if s.addressee.is_some() {
                    out.push_str("; ");
                }
                push_esc(out, au);
            }
            out.push_str("</td>");
            td(out, s.cue.map(|c| names.slice(c)).unwrap_or(""));
            out.push_str("<td class=\"quote\">");
            link(
                out,
                &anchor_statement(d, i),
                &if s.direct {
                    format!("“{}”", names.slice(s.span))
                } else {
                    names.slice(s.span).to_string()
                },
            );
            out.push_str("</td>");
            out.push_str("<td class=\"date\">");
            push_esc(out, s.date.as_deref().unwrap_or(""));
            out.push_str("</td>");
            td(out, if s.direct { "direct" } else { "reported" });
            td(out, &s.cameo);
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table>");
    }

    // events
    let _ = write!(out, "<h3>Events ({})</h3>", a.events.len());
    if a.events.is_empty() {
        out.push_str("<p class=\"empty\">No events found.</p>");
    } else {
        out.push_str("<table class=\"rows events\"><thead><tr><th>#</th><th>Kind</th><th>Participants</th><th>Place</th><th>Date</th><th>Status</th><th>CAMEO</th><th>Evidence</th></tr></thead><tbody>");
        for (i, e) in a.events.iter().enumerate() {
            let kind = lower(e.kind);
            let status = lower(e.status);
            let _ = write!(
                out,
                "<tr><td class=\"num\">{}</td><td><span class=\"badge {kind}\">{kind}</span></td><td>",
                i + 1
            );
            for (k, &p) in e.participants.iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                actor_link(out, &names, Some(p), actor_anchor);
                if e.hosts.contains(&p) {
                    out.push_str(" <span class=\"badge\">host</span>");
                }
            }
            out.push_str("</td><td>");
            actor_link(out, &names, e.place, actor_anchor);
            out.push_str("</td>");
            out.push_str("<td class=\"date\">");
            push_esc(out, e.date.as_deref().unwrap_or(""));
            out.push_str("</td>");
            let _ = write!(
                out,
                "<td><span class=\"badge {status}\">{status}</span></td>"
            );
            td(out, &e.cameo);
            out.push_str("<td>");
            link(out, &anchor_event(d, i), names.slice(e.trigger));
            for k in 0..e.evidence.len() {
                out.push(' ');
                link(out, &anchor_evidence(d, i, k), &format!("[{}]", k + 1));
            }
            out.push_str("</td></tr>");
        }
        out.push_str("</tbody></table>");
    }

    // entities and time expressions, folded
    let mut count = vec![0usize; a.entities.entities.len()];
    let mut first: Vec<Option<usize>> = vec![None; a.entities.entities.len()];
    for (i, m) in a.entities.mentions.iter().enumerate() {
        if let Some(e) = m.entity.filter(|&e| e < count.len()) {
            count[e] += 1;
            first[e].get_or_insert(i);
        }
    }
    let _ = write!(
        out,
        "<details><summary>Entities ({})</summary><table class=\"rows entities\"><thead><tr><th>Entity</th><th>Kind</th><th>Source</th><th>Mentions</th><th>First mention</th><th>Id</th></tr></thead><tbody>",
        a.entities.entities.len()
    );
    for (e, ent) in a.entities.entities.iter().enumerate() {
        out.push_str("<tr><td>");
        actor_link(out, &names, Some(e), actor_anchor);
        out.push_str("</td>");
        let k = ent.kind.as_str();
        let _ = write!(out, "<td><span class=\"badge {k}\">{k}</span></td>");
        td(out, &lower(ent.source));
        let _ = write!(out, "<td class=\"num\">{}</td><td>", count[e]);
        if let Some(i) = first[e] {
            link(
                out,
                &format!("d{d}-m{i}"),
                names.slice(a.entities.mentions[i].span),
            );
        }
        out.push_str("</td><td class=\"meta\">");
        push_esc(out, &ent.id);
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody></table></details>");
    let _ = write!(
        out,
        "<details><summary>Time expressions ({})</summary><table class=\"rows timexes\"><thead><tr><th>Text</th><th>Type</th><th>Value</th><th>Mod</th><th>Relative to</th></tr></thead><tbody>",
        a.timexes.len()
    );
    for (i, t) in a.timexes.iter().enumerate() {
        out.push_str("<tr><td>");
        link(out, &format!("d{d}-t{i}"), names.slice(t.span));
        out.push_str("</td>");
        td(out, &format!("{:?}", t.kind));
        td(out, &t.value);
        td(out, t.modifier.as_deref().unwrap_or(""));
        td(out, if t.anchored { "document date" } else { "" });
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></details></article>\n");
}
