//! The knowledge graph as inline SVG, laid out here without Graphviz.
//!
//! The graph is bipartite: every edge joins an actor (person, organization,
//! place) and a fact (statement, meeting, call, visit). So the layout is
//! three columns — people and organizations on the left, facts in the
//! middle, places on the right — ordered by a few barycenter sweeps to keep
//! edges short and crossings few. Actors with no statement or event are
//! listed in a strip below. With `--layout dot`, Graphviz renders the DOT
//! export instead (when `dot` is installed).

use super::html::{esc, shorten};
use crate::graph::KnowledgeGraph;
use std::collections::{HashMap, HashSet};
use std::fmt::Write;

const ROW: f64 = 44.0;
const BOX_H: f64 = 34.0;
const TOP: f64 = 34.0;
const COL_X: [f64; 3] = [10.0, 330.0, 770.0];
const COL_W: [f64; 3] = [220.0, 330.0, 190.0];
const WIDTH: f64 = 970.0;

fn is_actor(kind: &str) -> bool {
    matches!(kind, "person" | "organization" | "place")
}

fn column(kind: &str) -> usize {
    match kind {
        "person" | "organization" => 0,
        "place" => 2,
        _ => 1,
    }
}

/// Approximate characters that fit in `w` pixels at 12px.
fn fit(w: f64) -> usize {
    ((w - 14.0) / 6.6).max(4.0) as usize
}

/// Edge kinds with a legend entry, in legend order.
pub const EDGE_KINDS: [&str; 6] = [
    "said",
    "addressed",
    "mentions",
    "participated",
    "hosted",
    "held_at",
];

/// Render `g` as SVG. `anchor` maps a node id to an anchor in the page;
/// at most `max_facts` facts are drawn (the most connected ones).
pub fn render(g: &KnowledgeGraph, anchor: &HashMap<String, String>, max_facts: usize) -> String {
    let nodes = g.sorted_nodes();
    // degree of every node
    let mut degree: HashMap<&str, usize> = HashMap::new();
    let mut edges: Vec<(&str, &str, &str)> = Vec::new();
    for (s, t, e) in g.sorted_edges() {
        *degree.entry(s).or_default() += 1;
        *degree.entry(t).or_default() += 1;
        edges.push((s, t, e.kind.as_str()));
    }
    let deg = |id: &str| degree.get(id).copied().unwrap_or(0);
    let mut facts: Vec<&str> = nodes
        .iter()
        .filter(|n| !is_actor(&n.kind))
        .map(|n| n.id.as_str())
        .collect();
    let total_facts = facts.len();
    if facts.len() > max_facts {
        facts.sort_by(|a, b| deg(b).cmp(&deg(a)).then(a.cmp(b)));
        facts.truncate(max_facts);
        facts.sort();
    }
    let fact_set: HashSet<&str> = facts.iter().copied().collect();
    // keep the edges between a kept fact and an actor
    let node_of: HashMap<&str, &crate::graph::Node> =
        nodes.iter().map(|n| (n.id.as_str(), *n)).collect();
    edges.retain(|(s, t, _)| {
        let (ks, kt) = (&node_of[s].kind, &node_of[t].kind);
        (fact_set.contains(s) && is_actor(kt)) || (fact_set.contains(t) && is_actor(ks))
    });
    let mut linked: HashSet<&str> = HashSet::new();
    for (s, t, _) in &edges {
        linked.insert(s);
        linked.insert(t);
    }
    let mut cols: [Vec<&str>; 3] = [Vec::new(), facts.clone(), Vec::new()];
    let mut isolated: Vec<&crate::graph::Node> = Vec::new();
    let mut hidden = 0;
    for n in &nodes {
        if is_actor(&n.kind) {
            if linked.contains(n.id.as_str()) {
                cols[column(&n.kind)].push(n.id.as_str());
            } else {
                isolated.push(n);
            }
        }
    }
    cols[0].sort_by(|a, b| deg(b).cmp(&deg(a)).then(a.cmp(b)));
    cols[2].sort_by(|a, b| deg(b).cmp(&deg(a)).then(a.cmp(b)));
    // neighbour lists
    let mut nb: HashMap<&str, Vec<&str>> = HashMap::new();
    for (s, t, _) in &edges {
        nb.entry(s).or_default().push(t);
        nb.entry(t).or_default().push(s);
    }
    // barycenter sweeps; positions normalised to 0..1 per column
    let mut pos: HashMap<&str, f64> = HashMap::new();
    place(&cols, &mut pos);
    for round in 0..8 {
        let order: &[usize] = if round % 2 == 0 { &[1] } else { &[0, 2] };
        for &c in order {
            let mut keyed: Vec<(f64, usize, &str)> = cols[c]
                .iter()
                .enumerate()
                .map(|(i, id)| {
                    let ns = nb.get(id).map(|v| v.as_slice()).unwrap_or(&[]);
                    let b = if ns.is_empty() {
                        pos[id]
                    } else {
                        ns.iter().map(|x| pos[x]).sum::<f64>() / ns.len() as f64
                    };
                    (b, i, *id)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            cols[c] = keyed.into_iter().map(|k| k.2).collect();
        }
        place(&cols, &mut pos);
    }
    // coordinates: each column centred on the tallest
    let rows = cols.iter().map(|c| c.len()).max().unwrap_or(0);
    let mut xy: HashMap<&str, (f64, f64, usize)> = HashMap::new();
    for (c, ids) in cols.iter().enumerate() {
        let off = (rows - ids.len()) as f64 * ROW / 2.0;
        for (i, id) in ids.iter().enumerate() {
            xy.insert(id, (COL_X[c], TOP + off + i as f64 * ROW, c));
        }
    }
    let strip_top = TOP + rows as f64 * ROW + if rows > 0 { 20.0 } else { 0.0 };
    const MAX_ISOLATED: usize = 60;
    // the most mentioned first, then by kind and name
    let mentions =
        |n: &crate::graph::Node| -> usize { n.provenance.iter().map(|p| p.spans.len()).sum() };
    if isolated.len() > MAX_ISOLATED {
        isolated.sort_by(|a, b| mentions(b).cmp(&mentions(a)).then(a.id.cmp(&b.id)));
        hidden = isolated.len() - MAX_ISOLATED;
        isolated.truncate(MAX_ISOLATED);
    }
    isolated.sort_by(|a, b| (&a.kind, &a.label).cmp(&(&b.kind, &b.label)));
    let per_row = 5usize;
    let strip_rows = isolated.len().div_ceil(per_row);
    let height = strip_top
        + if isolated.is_empty() {
            0.0
        } else {
            30.0 + strip_rows as f64 * 32.0 + if hidden > 0 { 24.0 } else { 0.0 }
        }
        + 10.0;

    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"graph\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"{WIDTH}\" height=\"{height}\" role=\"img\" aria-label=\"knowledge graph\">"
    );
    out.push_str("<defs>");
    for k in EDGE_KINDS {
        let _ = write!(
            out,
            "<marker id=\"arr-{k}\" class=\"arrow {k}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" \
             markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\"/></marker>"
        );
    }
    out.push_str("</defs>");
    if total_facts > 0 || rows > 0 {
        let heads = [
            "people and organizations",
            "statements and events",
            "places",
        ];
        for c in 0..3 {
            if !cols[c].is_empty() {
                let _ = write!(
                    out,
                    "<text class=\"colhead\" x=\"{}\" y=\"18\">{}</text>",
                    COL_X[c] + 4.0,
                    heads[c]
                );
            }
        }
    }
    if facts.len() < total_facts {
        let _ = write!(
            out,
            "<text class=\"colhead\" x=\"{}\" y=\"30\">(the {} most connected of {} shown)</text>",
            COL_X[1] + 4.0,
            facts.len(),
            total_facts
        );
    }
    // edges first, under the boxes
    for (s, t, kind) in &edges {
        let (Some(&a), Some(&b)) = (xy.get(s), xy.get(t)) else {
            continue;
        };
        let (ax, ay) = endpoint(a, b);
        let (bx, by) = endpoint(b, a);
        let mx = (ax + bx) / 2.0;
        let cls = if EDGE_KINDS.contains(kind) {
            *kind
        } else {
            "other"
        };
        let _ = write!(
            out,
            "<path class=\"edge {cls}\" d=\"M{ax:.1},{ay:.1} C{mx:.1},{ay:.1} {mx:.1},{by:.1} {bx:.1},{by:.1}\" \
             marker-end=\"url(#arr-{cls})\"><title>{}</title></path>",
            esc(&format!(
                "{} {kind} {}",
                node_of[s].label,
                node_of[t].label
            ))
        );
    }
    for (id, &(x, y, c)) in cols
        .iter()
        .flatten()
        .filter_map(|id| xy.get(id).map(|p| (id, p)))
    {
        let n = node_of[id];
        let w = COL_W[c];
        let mut label = n.label.clone();
        if n.kind == "statement" {
            label = format!("“{label}”");
        }
        let sub = match n.kind.as_str() {
            "person" | "organization" | "place" => n.kind.clone(),
            _ => {
                let mut s = n.kind.clone();
                if let Some(d) = n.attrs.get("date").and_then(|d| d.as_str()) {
                    let _ = write!(s, " · {d}");
                }
                if let Some(st) = n.attrs.get("status").and_then(|d| d.as_str()) {
                    if st != "occurred" {
                        let _ = write!(s, " · {st}");
                    }
                }
                if let Some(doc) = n.provenance.first().filter(|_| g.documents.len() > 1) {
                    let _ = write!(s, " · {}", doc.document);
                }
                s
            }
        };
        node_box(&mut out, n, anchor.get(*id), x, y, w, &label, &sub);
    }
    if !isolated.is_empty() {
        let _ = write!(
            out,
            "<text class=\"colhead\" x=\"14\" y=\"{}\">named, without statements or events</text>",
            strip_top + 14.0
        );
        let w = (WIDTH - 20.0) / per_row as f64 - 8.0;
        for (i, n) in isolated.iter().enumerate() {
            let x = 10.0 + (i % per_row) as f64 * (w + 8.0);
            let y = strip_top + 24.0 + (i / per_row) as f64 * 32.0;
            let _ = write!(out, "<g class=\"node {}\">", esc(&n.kind));
            open_link(&mut out, anchor.get(&n.id));
            let _ = write!(
                out,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"24\" rx=\"12\"/>\
                 <text x=\"{:.1}\" y=\"{:.1}\">{}</text><title>{}</title>",
                x + 10.0,
                y + 16.0,
                esc(&shorten(&n.label, fit(w))),
                esc(&format!("{} ({}) {}", n.label, n.kind, n.id))
            );
            close_link(&mut out, anchor.get(&n.id));
            out.push_str("</g>");
        }
        if hidden > 0 {
            let _ = write!(
                out,
                "<text class=\"colhead\" x=\"14\" y=\"{:.1}\">and {hidden} more (see the actors table)</text>",
                strip_top + 24.0 + strip_rows as f64 * 32.0 + 14.0
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// Normalised positions (0..1) of every node in its column.
fn place<'a>(cols: &[Vec<&'a str>; 3], pos: &mut HashMap<&'a str, f64>) {
    for c in cols.iter() {
        let n = c.len().max(1) as f64;
        for (i, id) in c.iter().enumerate() {
            pos.insert(id, (i as f64 + 0.5) / n);
        }
    }
}

/// Where an edge from box `a` towards box `b` leaves `a`.
fn endpoint(a: (f64, f64, usize), b: (f64, f64, usize)) -> (f64, f64) {
    let (x, y, c) = a;
    let right = b.2 > c;
    let x = if right { x + COL_W[c] } else { x };
    (x, y + BOX_H / 2.0)
}

fn open_link(out: &mut String, anchor: Option<&String>) {
    if let Some(a) = anchor {
        let _ = write!(out, "<a href=\"#{}\">", esc(a));
    }
}

fn close_link(out: &mut String, anchor: Option<&String>) {
    if anchor.is_some() {
        out.push_str("</a>");
    }
}

#[allow(clippy::too_many_arguments)]
fn node_box(
    out: &mut String,
    n: &crate::graph::Node,
    anchor: Option<&String>,
    x: f64,
    y: f64,
    w: f64,
    label: &str,
    sub: &str,
) {
    let _ = write!(out, "<g class=\"node {}\">", esc(&n.kind));
    open_link(out, anchor);
    let _ = write!(
        out,
        "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{BOX_H}\" rx=\"6\"/>\
         <text x=\"{:.1}\" y=\"{:.1}\">{}</text>\
         <text class=\"sub\" x=\"{:.1}\" y=\"{:.1}\">{}</text><title>{}</title>",
        x + 7.0,
        y + 14.0,
        esc(&shorten(label, fit(w))),
        x + 7.0,
        y + 28.0,
        esc(&shorten(sub, fit(w) + 6)),
        esc(&format!("{label}\n{} · {}", n.kind, n.id))
    );
    close_link(out, anchor);
    out.push_str("</g>");
}

/// Render with Graphviz `dot -Tsvg` (the DOT export), for `--layout dot`.
pub fn render_dot(g: &KnowledgeGraph) -> Result<String, String> {
    use std::io::{Read, Write as _};
    use std::process::{Command, Stdio};
    let dot = crate::export::dot::to_dot(g, &Default::default());
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run Graphviz `dot` ({e}); using the built-in layout"))?;
    let mut stdin = child.stdin.take().ok_or("dot: no stdin")?;
    let writer = std::thread::spawn(move || stdin.write_all(dot.as_bytes()));
    let mut svg = String::new();
    if let Some(mut o) = child.stdout.take() {
        o.read_to_string(&mut svg)
            .map_err(|e| format!("dot: bad output ({e})"))?;
    }
    let _ = writer.join();
    let status = child.wait().map_err(|e| format!("dot: {e}"))?;
    if !status.success() {
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        return Err(format!(
            "dot failed ({}); using the built-in layout",
            err.trim()
        ));
    }
    // drop the XML prolog and doctype: the SVG is inlined in HTML
    let start = svg
        .find("<svg")
        .ok_or("dot: no <svg> in its output; using the built-in layout")?;
    Ok(svg[start..].to_string())
}
