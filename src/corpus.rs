//! Corpus processing: many documents through one [`Pipeline`] in parallel,
//! results handed back in input order.
//!
//! Documents are read lazily ([`crate::input::Inputs`]) and processed in
//! windows of a bounded number of documents (and bytes) with rayon; each
//! window's results are emitted in input order before the next window is
//! read. Memory therefore stays flat in corpus size, and the output is the
//! same whatever the thread count. A document whose processing panics is
//! reported as a failure and skipped; nothing else is lost.

use crate::input::{InputDoc, InputError};
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
}

impl Default for Options {
    fn default() -> Self {
        Options {
            threads: 0,
            window: 256,
            window_bytes: 64 << 20,
            progress: true,
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
    let pool = pool(opts.threads)?;
    let bar = if opts.progress && std::io::stderr().is_terminal() {
        let b = indicatif::ProgressBar::new_spinner();
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {pos} documents, {msg} [{elapsed_precise}]",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        b.enable_steady_tick(std::time::Duration::from_millis(200));
        b
    } else {
        indicatif::ProgressBar::hidden()
    };
    let start = std::time::Instant::now();
    let mut summary = Summary::default();
    let mut inputs = inputs.peekable();
    let window = opts.window.max(1);
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
        let results: Vec<Result<(InputDoc, T), InputError>> = pool.install(|| {
            chunk
                .into_par_iter()
                .map(|d| {
                    let mut d = d?;
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
                })
                .collect()
        });
        summary.bytes += bytes;
        for r in results {
            if !go_on {
                break;
            }
            summary.documents += 1;
            bar.inc(1);
            go_on = match r {
                Ok((d, t)) => sink(Outcome::Done(d, t)),
                Err(e) => {
                    summary.failures.push(e.clone());
                    sink(Outcome::Failed(e))
                }
            };
        }
        let secs = start.elapsed().as_secs_f64().max(1e-9);
        bar.set_message(format!(
            "{:.1} MB, {:.1} MB/s",
            summary.bytes as f64 / 1e6,
            summary.bytes as f64 / 1e6 / secs
        ));
    }
    bar.finish_and_clear();
    Ok(summary)
}
