//! `readout query GRAPH said|met|timeline`.

use super::{date_arg, error, pipeline, write_output};
use crate::export::jsonl::read_graph;
use crate::graph::KnowledgeGraph;
use crate::input::{io_message, InputFormat};
use crate::query::{
    self, check_bound, Met, MetFilter, Range, Resolver, Said, SaidFilter, TimelineItem,
};
use clap::{Args, Subcommand, ValueEnum};
use std::collections::BTreeSet;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum QueryFormat {
    /// a plain-text table
    Table,
    /// a JSON array
    Json,
}

#[derive(Args, Debug)]
pub struct QueryArgs {
    /// A graph (extract --format json or jsonl, merge), or articles to extract first
    /// (a file, a folder of *.txt, a JSON Lines corpus, or - for standard input).
    pub graph: String,
    #[command(subcommand)]
    pub what: What,
    /// Output: a table, or JSON.
    #[arg(long, value_enum, default_value = "table", global = true)]
    pub format: QueryFormat,
    /// Day on which titles in names resolve ("the Secretary of State"); also the
    /// articles' date when GRAPH is articles. Default: --until, else --since.
    #[arg(long, global = true)]
    pub date: Option<String>,
    /// Extra gazetteer folders.
    #[arg(long = "gazetteer", global = true)]
    pub gazetteer: Vec<PathBuf>,
    /// Worker threads when GRAPH is articles (0: one per core).
    #[arg(long, default_value_t = 0, global = true)]
    pub threads: usize,
}

#[derive(Args, Debug, Clone, Default)]
pub struct DateRange {
    /// Only from this date on (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<String>,
    /// Only up to this date.
    #[arg(long)]
    pub until: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum What {
    /// Statements: speaker, date, text, addressee and source document, newest first.
    #[command(
        after_help = "Example:\n  readout query graph.json said --by Blinken --to \"Wang Yi\" --since 2023"
    )]
    Said {
        /// Said by this actor (a name, alias, title or node id).
        #[arg(long)]
        by: Option<String>,
        /// Said to this actor.
        #[arg(long)]
        to: Option<String>,
        /// Mentioning this actor, or containing these words.
        #[arg(long)]
        about: Option<String>,
        #[command(flatten)]
        range: DateRange,
    },
    /// Meetings, calls and visits, newest first.
    #[command(
        after_help = "Example:\n  readout query graph.json met --between Blinken \"Qin Gang\" --at Beijing"
    )]
    Met {
        /// With this actor taking part (repeatable: all of them).
        #[arg(long)]
        with: Vec<String>,
        /// Both of these actors taking part.
        #[arg(long, num_args = 2, value_names = ["X", "Y"])]
        between: Vec<String>,
        /// Held at this place.
        #[arg(long)]
        at: Option<String>,
        /// Only this kind of event.
        #[arg(long, value_parser = ["meeting", "call", "visit"])]
        kind: Vec<String>,
        #[command(flatten)]
        range: DateRange,
    },
    /// Everything an actor said and took part in, in date order.
    #[command(after_help = "Example:\n  readout query graph.json timeline \"Qin Gang\"")]
    Timeline {
        /// The actor.
        who: String,
        #[command(flatten)]
        range: DateRange,
    },
}

/// Load GRAPH: a saved graph, or articles extracted on the spot.
fn load(
    a: &QueryArgs,
    p: &mut Option<crate::Pipeline>,
    date: Option<chrono::NaiveDate>,
) -> Result<KnowledgeGraph, i32> {
    let path = std::path::Path::new(&a.graph);
    let mut format = InputFormat::Text;
    if a.graph != "-" && path.is_file() {
        let text = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                error(format!("{}: cannot read: {}", a.graph, io_message(&e)));
                return Err(1);
            }
        };
        let head = text.iter().find(|b| !b.is_ascii_whitespace()).copied();
        if head == Some(b'{') {
            let text = String::from_utf8_lossy(&text);
            match read_graph(&text) {
                Ok(g) => return Ok(g),
                Err(e) => {
                    let first = text.lines().next().unwrap_or("");
                    let record = serde_json::from_str::<serde_json::Value>(first)
                        .ok()
                        .is_some_and(|v| v.get("text").is_some());
                    if !record {
                        error(format!("{}: {e}", a.graph));
                        return Err(1);
                    }
                    format = InputFormat::Jsonl;
                }
            }
        }
    }
    if p.is_none() {
        *p = Some(pipeline(&a.gazetteer)?);
    }
    let pl = p.as_ref().expect("pipeline built above");
    match super::extract::extract_graph(pl, std::slice::from_ref(&a.graph), format, date, a.threads)
    {
        Ok((g, failed)) => {
            if failed && g.documents.is_empty() {
                return Err(1);
            }
            Ok(g)
        }
        Err(e) => {
            error(e);
            Err(2)
        }
    }
}

fn range(r: &DateRange) -> Result<Range, String> {
    for (flag, v) in [("--since", &r.since), ("--until", &r.until)] {
        if let Some(v) = v {
            check_bound(v).map_err(|e| format!("{flag}: {e}"))?;
        }
    }
    Ok(Range {
        since: r.since.clone(),
        until: r.until.clone(),
    })
}

fn said_rows(v: &[Said]) -> Vec<Vec<String>> {
    v.iter()
        .map(|s| {
            vec![
                s.date.clone().unwrap_or_else(|| "-".into()),
                s.speaker.clone().unwrap_or_else(|| "?".into()),
                s.addressee
                    .clone()
                    .or_else(|| s.audience.clone())
                    .unwrap_or_default(),
                s.document.clone().unwrap_or_default(),
                if s.direct == Some(true) {
                    format!("\u{201c}{}\u{201d}", s.text)
                } else {
                    s.text.clone()
                },
            ]
        })
        .collect()
}

fn met_rows(v: &[Met]) -> Vec<Vec<String>> {
    v.iter()
        .map(|m| {
            vec![
                m.date.clone().unwrap_or_else(|| "-".into()),
                m.kind.clone(),
                m.status.clone().unwrap_or_default(),
                m.place.clone().unwrap_or_default(),
                m.documents.join(", "),
                m.participants.join(", "),
            ]
        })
        .collect()
}

pub fn run(a: &QueryArgs) -> i32 {
    let ranges = match &a.what {
        What::Said { range: r, .. }
        | What::Met { range: r, .. }
        | What::Timeline { range: r, .. } => range(r),
    };
    let rng = match ranges {
        Ok(r) => r,
        Err(e) => {
            error(e);
            return 2;
        }
    };
    let date = match date_arg(&a.date) {
        Ok(d) => d,
        Err(e) => {
            error(e);
            return 2;
        }
    };
    // the day titles resolve on: --date, else the end (or start) of the range
    let on = date.or_else(|| {
        [&rng.until, &rng.since]
            .into_iter()
            .flatten()
            .find_map(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    });
    let mut p = None;
    let g = match load(a, &mut p, date) {
        Ok(g) => g,
        Err(c) => return c,
    };
    let names: Vec<&String> = match &a.what {
        What::Said { by, to, about, .. } => [by, to, about].into_iter().flatten().collect(),
        What::Met {
            with, between, at, ..
        } => with.iter().chain(between).chain(at).collect(),
        What::Timeline { who, .. } => vec![who],
    };
    if !names.is_empty() && p.is_none() {
        p = match pipeline(&a.gazetteer) {
            Ok(p) => Some(p),
            Err(c) => return c,
        };
    }
    let resolver = Resolver {
        graph: &g,
        pipeline: p.as_ref(),
        date: on,
    };
    let resolve = |flag: &str, name: &str| -> Result<BTreeSet<String>, i32> {
        let ids = resolver.resolve(name);
        if ids.is_empty() {
            error(format!("{flag} '{name}': no one in the graph goes by that name (check the spelling, or list the actors with readout extract --format json)"));
            return Err(1);
        }
        Ok(ids)
    };
    let out = match &a.what {
        What::Said { by, to, about, .. } => {
            let mut f = SaidFilter {
                range: rng,
                ..Default::default()
            };
            let r = (|| -> Result<(), i32> {
                if let Some(b) = by {
                    f.by = Some(resolve("--by", b)?);
                }
                if let Some(t) = to {
                    // an entity, or an audience such as "reporters"
                    let ids = resolver.resolve(t);
                    if ids.is_empty() && !query::has_audience(&g, t) {
                        error(format!("--to '{t}': no one in the graph goes by that name, and no statement was addressed to an audience of that name (check the spelling, or list the actors with readout extract --format json)"));
                        return Err(1);
                    }
                    f.to = Some((ids, t.clone()));
                }
                if let Some(z) = about {
                    f.about = Some((resolver.resolve(z), z.clone()));
                }
                Ok(())
            })();
            if let Err(c) = r {
                return c;
            }
            let v = query::said(&g, &f);
            match a.format {
                QueryFormat::Json => json(&v),
                QueryFormat::Table => query::table(
                    &["DATE", "SPEAKER", "TO", "DOCUMENT", "TEXT"],
                    &said_rows(&v),
                ),
            }
        }
        What::Met {
            with,
            between,
            at,
            kind,
            ..
        } => {
            let mut f = MetFilter {
                range: rng,
                kinds: kind.clone(),
                ..Default::default()
            };
            for (flag, n) in with
                .iter()
                .map(|w| ("--with", w))
                .chain(between.iter().map(|b| ("--between", b)))
            {
                match resolve(flag, n) {
                    Ok(ids) => f.with.push(ids),
                    Err(c) => return c,
                }
            }
            if let Some(pl) = at {
                match resolve("--at", pl) {
                    Ok(ids) => f.at = Some(ids),
                    Err(c) => return c,
                }
            }
            let v = query::met(&g, &f);
            match a.format {
                QueryFormat::Json => json(&v),
                QueryFormat::Table => query::table(
                    &[
                        "DATE",
                        "KIND",
                        "STATUS",
                        "PLACE",
                        "DOCUMENTS",
                        "PARTICIPANTS",
                    ],
                    &met_rows(&v),
                ),
            }
        }
        What::Timeline { who, .. } => {
            let ids = match resolve("timeline", who) {
                Ok(ids) => ids,
                Err(c) => return c,
            };
            let v = query::timeline(&g, &ids, &rng);
            match a.format {
                QueryFormat::Json => json(&v),
                QueryFormat::Table => {
                    let rows: Vec<Vec<String>> = v
                        .iter()
                        .map(|i| match i {
                            TimelineItem::Said(s) => {
                                let mut r = said_rows(std::slice::from_ref(s)).remove(0);
                                let to = if r[2].is_empty() {
                                    String::new()
                                } else {
                                    format!(" to {}", r[2])
                                };
                                vec![
                                    r.remove(0),
                                    "said".into(),
                                    r[2].clone(),
                                    format!("{}{to}: {}", r[0], r[3]),
                                ]
                            }
                            TimelineItem::Event(m) => {
                                let at = m
                                    .place
                                    .as_ref()
                                    .map(|p| format!(" at {p}"))
                                    .unwrap_or_default();
                                let status = match m.status.as_deref() {
                                    Some(s) if s != "occurred" => format!(" ({s})"),
                                    _ => String::new(),
                                };
                                vec![
                                    m.date.clone().unwrap_or_else(|| "-".into()),
                                    m.kind.clone(),
                                    m.documents.join(", "),
                                    format!("{}{at}{status}", m.participants.join(", ")),
                                ]
                            }
                        })
                        .collect();
                    query::table(&["DATE", "WHAT", "DOCUMENT", "DETAILS"], &rows)
                }
            }
        }
    };
    match write_output(None, out.as_bytes()) {
        Ok(()) => 0,
        Err(e) => super::write_failed(None, &e),
    }
}

fn json<T: serde::Serialize>(v: &T) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("query results always serialize");
    s.push('\n');
    s
}
