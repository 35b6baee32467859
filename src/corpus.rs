//! Corpus processing: many documents through one [`Pipeline`] in parallel,
//! results handed back in input order.
//!
//! Documents are read lazily ([`crate::input::Inputs`]) and processed in
//! windows of a bounded number of documents (and bytes) with rayon; each
//! window's results are emitted in input order before the next window is
//! read. Memory therefore stays flat in corpus size, and the output is the
//! same whatever the thread count. A document whose processing panics is
//! reported as a failure and skipped; nothing else is lost.

use crate::graph::KnowledgeGraph;
use crate::input::{InputDoc, InputError, Meter};
use crate::{Annotated, Pipeline};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// How to run a corpus.
#[derive(Clone, Debug)]
pub struct Options {
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    /// At most this many documents in flight.
    pub window: usize,
    /// At most about this many bytes of text in flight.
    pub window_bytes: usize,
    /// Show a progress bar on stderr (only drawn when stderr is a terminal).
    pub progress: bool,
    /// The size of the inputs and how much of them has been read
    /// ([`crate::input::Inputs::meter`]): with it the progress bar shows a
    /// percentage and the time left; without it, a count of documents.
    pub meter: Option<Meter>,
}

impl Options {
    /// True when a run with these options draws a progress bar (so that
    /// measuring the inputs for it is worth its cost).
    pub fn shows_progress(&self) -> bool {
        self.progress && std::io::stderr().is_terminal()
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            threads: 0,
            window: 256,
            window_bytes: 64 << 20,
            progress: true,
            meter: None,
        }
    }
}

/// What happened to one document.
pub enum Outcome<T> {
    /// Processed: the document (text dropped) and the work's result.
    Done(InputDoc, T),
    /// Could not be read or processed.
    Failed(InputError),
}

/// Counts for the final summary line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub documents: usize,
    pub bytes: usize,
    pub failures: Vec<InputError>,
}

fn panic_message(p: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown error".into()
    }
}

/// Build the thread pool for `threads` (0 = one per core).
pub fn pool(threads: usize) -> Result<rayon::ThreadPool, String> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| format!("cannot start worker threads: {e}"))
}

/// `work` on one document: its outcome, the text dropped; a panic is a
/// failure of that document.
fn work_on<T>(
    mut d: InputDoc,
    work: &impl Fn(&InputDoc) -> T,
) -> Result<(InputDoc, T), InputError> {
    match catch_unwind(AssertUnwindSafe(|| work(&d))) {
        Ok(t) => {
            d.text = String::new();
            Ok((d, t))
        }
        Err(p) => Err(InputError {
            id: d.id.clone(),
            message: format!(
                "internal error, document skipped (please report it): {}",
                panic_message(p)
            ),
        }),
    }
}

/// Run `work` on every document of `inputs` in parallel and hand each
/// outcome to `sink` in input order; `sink` returns false to stop early
/// (e.g. the output is closed). Returns the summary.
pub fn run<I, T, W, S>(inputs: I, opts: &Options, work: W, mut sink: S) -> Result<Summary, String>
where
    I: Iterator<Item = Result<InputDoc, InputError>>,
    T: Send,
    W: Fn(&InputDoc) -> T + Sync,
    S: FnMut(Outcome<T>) -> bool,
{
    let window = opts.window.max(1);
    let mut bar = Progress::new(opts);
    let mut summary = Summary::default();
    if opts.threads == 1 {
        // One thread: each document is worked on and handed to `sink` before
        // the next is read (no pool, no window of results in memory), in
        // the same order with the same outcomes.
        for (n, d) in inputs.enumerate() {
            let r = d.and_then(|d| {
                summary.bytes += d.text.len();
                work_on(d, &work)
            });
            summary.documents += 1;
            let go_on = match r {
                Ok((d, t)) => sink(Outcome::Done(d, t)),
                Err(e) => {
                    summary.failures.push(e.clone());
                    sink(Outcome::Failed(e))
                }
            };
            if !go_on {
                break;
            }
            if (n + 1) % window == 0 {
                bar.update(&summary);
            }
        }
        bar.finish();
        return Ok(summary);
    }
    let pool = pool(opts.threads)?;
    let mut inputs = inputs.peekable();
    let mut go_on = true;
    while go_on && inputs.peek().is_some() {
        let mut chunk = Vec::with_capacity(window);
        let mut bytes = 0;
        while chunk.len() < window && bytes < opts.window_bytes {
            let Some(d) = inputs.next() else { break };
            if let Ok(d) = &d {
                bytes += d.text.len();
            }
            chunk.push(d);
        }
        let results: Vec<Result<(InputDoc, T), InputError>> =
            pool.install(|| chunk.into_par_iter().map(|d| work_on(d?, &work)).collect());
        summary.bytes += bytes;
        for r in results {
            if !go_on {
                break;
            }
            summary.documents += 1;
            go_on = match r {
                Ok((d, t)) => sink(Outcome::Done(d, t)),
                Err(e) => {
                    summary.failures.push(e.clone());
                    sink(Outcome::Failed(e))
                }
            };
        }
        bar.update(&summary);
    }
    bar.finish();
    Ok(summary)
}

/// The progress bar of a run on stderr: drawn only when stderr is a
/// terminal. With a [`Meter`], a bar of the bytes read with a percentage
/// and the time left; without one (standard input), a spinner with the
/// number of documents.
struct Progress {
    bar: indicatif::ProgressBar,
    meter: Option<Meter>,
    start: std::time::Instant,
}

impl Progress {
    fn new(opts: &Options) -> Progress {
        let meter = opts.meter.clone();
        let bar = if !opts.shows_progress() {
            indicatif::ProgressBar::hidden()
        } else if let Some(m) = &meter {
            let b = indicatif::ProgressBar::new(m.total.max(1));
            b.set_style(
                indicatif::ProgressStyle::with_template(
                    "{percent:>3}% [{wide_bar}] {msg}, {eta} left",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            b
        } else {
            indicatif::ProgressBar::new_spinner().with_style(
                indicatif::ProgressStyle::with_template("{spinner} {msg} [{elapsed_precise}]")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            )
        };
        if !bar.is_hidden() {
            bar.enable_steady_tick(std::time::Duration::from_millis(200));
        }
        Progress {
            bar,
            meter,
            start: std::time::Instant::now(),
        }
    }

    /// Show where the run is: documents done, megabytes and speed.
    fn update(&mut self, summary: &Summary) {
        if self.bar.is_hidden() {
            return;
        }
        let secs = self.start.elapsed().as_secs_f64().max(1e-9);
        let mb = summary.bytes as f64 / 1e6;
        self.bar.set_message(format!(
            "{} docs, {mb:.1} MB, {:.1} MB/s",
            summary.documents,
            mb / secs
        ));
        match &self.meter {
            Some(m) => self.bar.set_position(m.position().min(m.total)),
            None => self.bar.set_position(summary.documents as u64),
        }
    }

    fn finish(self) {
        self.bar.finish_and_clear();
    }
}

/// What [`extract_graph`] reports of each document, in input order.
pub enum Seen<'a> {
    /// Extracted into the graph: the document (text dropped) and how many
    /// statements and events it gave.
    Done {
        doc: &'a InputDoc,
        statements: usize,
        events: usize,
    },
    /// Could not be read or processed (nothing of it is in the graph).
    Failed(&'a InputError),
}

/// One document's share of the graph, as a worker hands it back (moved
/// once per document: its size does not matter).
#[allow(clippy::large_enum_variant)]
enum Part {
    /// The annotations, to be added into the graph directly (one thread).
    Annotated(Annotated),
    /// The document's own graph, to be merged (several threads).
    Graph(KnowledgeGraph),
}

/// Extract every document of `inputs` with `p` into `g`, one merged graph
/// (the `extract --format json` path, and `query` on article files): in
/// parallel with `opts.threads`, merged in input order, so the graph is the
/// same whatever the thread count. `date` is the creation date of documents
/// that have none of their own. `seen` is told of each document in input
/// order. Returns the summary.
///
/// On one thread each document's annotations are added straight into `g`;
/// on several, each worker builds its document's graph and `g` merges it.
/// Upserts are associative and commutative, so both give the same graph.
pub fn extract_graph<I>(
    p: &Pipeline,
    inputs: I,
    opts: &Options,
    date: Option<chrono::NaiveDate>,
    g: &mut KnowledgeGraph,
    mut seen: impl FnMut(Seen),
) -> Result<Summary, String>
where
    I: Iterator<Item = Result<InputDoc, InputError>>,
{
    let direct = opts.threads == 1;
    let work = |d: &InputDoc| {
        let a = p.annotate(&d.id, &d.text, d.date.or(date));
        let counts = (a.statements.len(), a.events.len());
        // (annotations that the graph build would reject are built here,
        // where a panic is caught and reported as this document's failure)
        let part = if direct && KnowledgeGraph::can_add(&a) {
            Part::Annotated(a)
        } else {
            Part::Graph(KnowledgeGraph::from_annotated(&a))
        };
        (part, counts)
    };
    // provenance lists of documents that come out of order are settled
    // once, at the end (see graph::TAIL)
    g.defer_settle(true);
    let summary = run(inputs, opts, work, |o| {
        match o {
            Outcome::Done(d, (part, (statements, events))) => {
                match part {
                    Part::Annotated(a) => g.add_annotated(&a),
                    Part::Graph(dg) => g.merge_owned(dg),
                }
                seen(Seen::Done {
                    doc: &d,
                    statements,
                    events,
                });
            }
            Outcome::Failed(e) => seen(Seen::Failed(&e)),
        }
        true
    });
    g.defer_settle(false);
    summary
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export;

    fn doc(id: &str, text: &str) -> InputDoc {
        InputDoc {
            id: id.into(),
            text: text.into(),
            date: chrono::NaiveDate::from_ymd_opt(2022, 6, 3),
            url: None,
            source: None,
            warnings: Vec::new(),
        }
    }

    /// Articles that share actors, a dated meeting and its place; one is
    /// there twice under two ids and once more under the same id.
    fn articles() -> Vec<InputDoc> {
        let a = "BERLIN, June 3 (Reuters) - German Chancellor Olaf Scholz met Canadian Prime \
                 Minister Justin Trudeau in Berlin on Friday. \"We stand together on energy,\" \
                 Scholz told reporters after the talks.";
        let b = "BERLIN, June 3 (AP) - Justin Trudeau and Olaf Scholz met in Berlin on Friday \
                 to discuss trade. Trudeau said the two leaders \"agreed to deepen ties\" and \
                 thanked Scholz for his hospitality.";
        let c = "OTTAWA, June 3 - Canada's prime minister, Justin Trudeau, said on Friday that \
                 \"Germany is a close friend\". He met Chancellor Olaf Scholz in Berlin.";
        vec![
            doc("one", a),
            doc("two", b),
            doc("three", c),
            doc("one-again", a),
            doc("two", b),
        ]
    }

    /// Every format of `g` (compact and pretty JSON, GraphML, DOT).
    fn rendered(g: &KnowledgeGraph) -> Vec<String> {
        vec![
            export::json::to_string(g, false),
            export::json::to_string(g, true),
            export::graphml::to_graphml(g),
            export::dot::to_dot(g, &Default::default()),
        ]
    }

    /// Adding each document's annotations straight into the graph (one
    /// thread) gives the same bytes as building each document's graph and
    /// merging it (several threads, and the plain reference below).
    #[test]
    fn the_graph_is_the_same_added_directly_or_merged() {
        let p = Pipeline::embedded().unwrap();
        let docs = articles();
        let mut reference = KnowledgeGraph::new();
        for d in &docs {
            assert!(KnowledgeGraph::can_add(&p.annotate(&d.id, &d.text, d.date)));
            reference.merge_owned(KnowledgeGraph::from_annotated(
                &p.annotate(&d.id, &d.text, d.date),
            ));
        }
        // the test means something: nodes and edges from several documents
        let shared = |n: usize| n >= 3;
        assert!(reference
            .sorted_nodes()
            .iter()
            .any(|n| n.kind == "meeting" && shared(n.provenance.len())));
        assert!(reference
            .sorted_nodes()
            .iter()
            .any(|n| n.kind == "person" && shared(n.provenance.len())));
        assert!(reference
            .sorted_edges()
            .iter()
            .any(|(_, _, e)| e.kind == "participated" && shared(e.provenance.len())));
        let expected = rendered(&reference);
        for threads in [1, 2, 3] {
            let opts = Options {
                threads,
                window: 2,
                progress: false,
                ..Default::default()
            };
            let mut g = KnowledgeGraph::new();
            let mut order = Vec::new();
            let s = extract_graph(
                &p,
                docs.clone().into_iter().map(Ok),
                &opts,
                None,
                &mut g,
                |s| {
                    if let Seen::Done {
                        doc, statements, ..
                    } = s
                    {
                        assert!(doc.text.is_empty());
                        order.push((doc.id.clone(), statements));
                    }
                },
            )
            .unwrap();
            assert_eq!(s.documents, docs.len());
            let ids: Vec<&str> = order.iter().map(|(id, _)| id.as_str()).collect();
            assert_eq!(ids, ["one", "two", "three", "one-again", "two"]);
            assert!(order.iter().all(|&(_, n)| n > 0), "{order:?}");
            let got = rendered(&g);
            for (x, y) in got.iter().zip(&expected) {
                assert!(x == y, "{threads} threads:\n{x}\n---\n{y}");
            }
        }
    }

    /// One thread (no pool) and several give the same outcomes in the same
    /// order, failures (unreadable or panicking documents) included.
    #[test]
    fn one_thread_and_several_hand_back_the_same_outcomes() {
        let inputs = || {
            (0..23).map(|i| {
                if i % 7 == 3 {
                    Err(InputError {
                        id: format!("bad{i}"),
                        message: "unreadable".into(),
                    })
                } else {
                    Ok(doc(&format!("d{i}"), &"x".repeat(i)))
                }
            })
        };
        let work = |d: &InputDoc| {
            assert!(d.text.len() % 5 != 4, "a document that breaks the work");
            d.text.len() * 2
        };
        let collect = |threads: usize, stop_at: usize| {
            let opts = Options {
                threads,
                window: 4,
                progress: false,
                ..Default::default()
            };
            let mut seen = Vec::new();
            let s = run(inputs(), &opts, work, |o| {
                seen.push(match o {
                    Outcome::Done(d, n) => {
                        assert!(d.text.is_empty());
                        format!("{} {n}", d.id)
                    }
                    Outcome::Failed(e) => format!("failed {}: {}", e.id, e.message),
                });
                seen.len() < stop_at
            })
            .unwrap();
            (seen, s.documents, s.failures)
        };
        let one = collect(1, usize::MAX);
        assert_eq!(one.0.len(), 23);
        assert!(one.0.iter().any(|s| s.contains("internal error")));
        assert!(one.0.iter().any(|s| s.contains("unreadable")));
        assert_eq!(one.2.len(), 3 + 4);
        for threads in [2, 3] {
            assert_eq!(collect(threads, usize::MAX), one);
        }
        // stopped early: the same documents are handed over
        let (stopped, n, _) = collect(1, 10);
        assert_eq!((&stopped[..], n), (&one.0[..10], 10));
        let (stopped, n, _) = collect(2, 10);
        assert_eq!((&stopped[..], n), (&one.0[..10], 10));
    }
}
