//! `readout extract`: documents in (files, folders, stdin, JSON Lines), one
//! merged graph or one record per document out, processed in parallel.

use super::{
    date_arg, error, pipeline, shown, write_failed, write_graph, GraphFormat, InputKind, Output,
    OutputArgs,
};
use crate::corpus::{self, Outcome, Seen};
use crate::export;
use crate::graph::KnowledgeGraph;
use crate::input::{self, InputFormat, Inputs};
use std::path::PathBuf;

pub struct ExtractArgs<'a> {
    pub inputs: &'a [String],
    pub date: &'a Option<String>,
    pub format: GraphFormat,
    pub input: InputKind,
    pub out: &'a OutputArgs,
    pub gazetteer: &'a [PathBuf],
    pub threads: usize,
    pub quiet: bool,
}

/// Extract `inputs` into one graph (used by `query` on article files).
/// Failures are reported on stderr; returns the graph and whether any failed.
pub fn extract_graph(
    p: &crate::Pipeline,
    inputs: &[String],
    format: InputFormat,
    date: Option<chrono::NaiveDate>,
    threads: usize,
) -> Result<(KnowledgeGraph, bool), String> {
    let mut g = KnowledgeGraph::new();
    let (inputs, opts) = metered(inputs, format, threads);
    let summary = corpus::extract_graph(p, inputs, &opts, date, &mut g, report)?;
    Ok((g, !summary.failures.is_empty()))
}

/// The inputs and the run's options; when a progress bar will be drawn,
/// the inputs are measured first so that it shows how much is left.
fn metered(inputs: &[String], format: InputFormat, threads: usize) -> (Inputs, corpus::Options) {
    let mut inputs = Inputs::new(inputs, format);
    let mut opts = corpus::Options {
        threads,
        ..Default::default()
    };
    if opts.shows_progress() {
        opts.meter = inputs.meter();
    }
    (inputs, opts)
}

/// Report one document's warnings, or its failure, on stderr.
fn report(s: Seen) {
    match s {
        Seen::Done { doc, .. } => {
            for w in &doc.warnings {
                error(format!("warning: {w}"));
            }
        }
        Seen::Failed(e) => error(e),
    }
}

pub fn run(a: &ExtractArgs) -> i32 {
    let date = match date_arg(a.date) {
        Ok(d) => d,
        Err(e) => {
            error(e);
            return 2;
        }
    };
    if a.format == GraphFormat::Neo4j && a.out.output.is_none() {
        error("--format neo4j writes two files: give -o DIR (nodes.csv and relationships.csv go there)");
        return 2;
    }
    // The pipeline and the merged graph live until the process exits: they
    // are never dropped, which spares freeing hundreds of thousands of small
    // allocations one by one on the way out (`run` is the one-shot command).
    let p = match pipeline(a.gazetteer) {
        Ok(p) => std::mem::ManuallyDrop::new(p),
        Err(c) => return c,
    };
    let fmt = if a.input == InputKind::Jsonl {
        InputFormat::Jsonl
    } else {
        InputFormat::Text
    };
    let streaming = a.format == GraphFormat::Jsonl;
    let path = a.out.output.as_deref();
    let mut out = if streaming {
        match Output::open(path) {
            Ok(o) => Some(o),
            Err(e) => {
                error(format!(
                    "cannot write {}: {}",
                    shown(path),
                    input::io_message(&e)
                ));
                return 1;
            }
        }
    } else {
        None
    };
    let started = std::time::Instant::now();
    let (mut statements, mut events) = (0, 0);
    let (inputs, opts) = metered(a.inputs, fmt, a.threads);
    let mut write_error = None;
    // (never dropped: see the pipeline's)
    let mut g = std::mem::ManuallyDrop::new(KnowledgeGraph::new());
    let summary = if streaming {
        let work = |d: &input::InputDoc| {
            let ann = p.annotate(&d.id, &d.text, d.date.or(date));
            // the record straight from the annotations (no graph); seldom
            // longer than twice the text
            let mut line = Vec::with_capacity(2 * d.text.len() + 4096);
            export::jsonl::write_record_of(
                &mut line,
                &ann,
                &d.id,
                d.url.as_deref(),
                d.source.as_deref(),
            );
            (line, ann.statements.len(), ann.events.len())
        };
        corpus::run(inputs, &opts, work, |o| match o {
            Outcome::Done(d, (line, s, e)) => {
                for w in &d.warnings {
                    error(format!("warning: {w}"));
                }
                statements += s;
                events += e;
                if let Some(o) = out.as_mut() {
                    if let Err(e) = o.write_all(&line) {
                        write_error = Some(e);
                        return false;
                    }
                }
                true
            }
            Outcome::Failed(e) => {
                error(&e);
                true
            }
        })
    } else {
        corpus::extract_graph(&p, inputs, &opts, date, &mut g, |s| {
            if let Seen::Done {
                statements: s,
                events: e,
                ..
            } = s
            {
                statements += s;
                events += e;
            }
            report(s)
        })
    };
    let summary = match summary {
        Ok(s) => s,
        Err(e) => {
            error(e);
            return 2;
        }
    };
    let mut code = if summary.failures.is_empty() { 0 } else { 1 };
    if let Some(e) = write_error {
        return write_failed(path, &e);
    }
    if let Some(o) = out {
        if let Err(e) = o.finish() {
            return write_failed(path, &e);
        }
    } else {
        let c = write_graph(&g, a.format, a.out);
        if c != 0 {
            return c;
        }
    }
    if !a.quiet {
        let ok = summary.documents - summary.failures.len();
        let mut line = format!(
            "readout: {} documents ({ok} read, {} failed), {statements} statements, {events} events, {:.1} MB in {:.2} s",
            summary.documents,
            summary.failures.len(),
            summary.bytes as f64 / 1e6,
            started.elapsed().as_secs_f64()
        );
        if !summary.failures.is_empty() {
            let reasons: Vec<String> = summary
                .failures
                .iter()
                .take(3)
                .map(|f| f.to_string())
                .collect();
            line.push_str(&format!("; failed: {}", reasons.join("; ")));
            if summary.failures.len() > 3 {
                line.push_str(&format!("; and {} more", summary.failures.len() - 3));
            }
        }
        eprintln!("{line}");
    }
    if code == 0 && summary.documents == 0 {
        error("no documents found in the inputs (a folder is searched for *.txt, or *.jsonl with --input jsonl)");
        code = 1;
    }
    code
}
