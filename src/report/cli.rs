//! `readout report` and `readout extract --format html`.

use super::{render, Layout, ReportOptions};
use crate::cli::{error, pipeline, write_output, InputKind};
use crate::input::{self, InputFormat};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

/// Graph layouts on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LayoutArg {
    /// built-in column layout (no Graphviz needed)
    Builtin,
    /// Graphviz `dot`, if installed (else the built-in layout)
    Dot,
}

/// Arguments of `readout report`.
#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Files, directories (their *.txt files, recursively) or - for standard input.
    pub inputs: Vec<String>,
    /// The day the articles were written (YYYY-MM-DD); completes a dateline without a year.
    #[arg(long)]
    pub date: Option<String>,
    /// How to read the inputs.
    #[arg(long = "input", value_enum, default_value = "text")]
    pub input: InputKind,
    /// Write the HTML here instead of standard output (atomically).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Extra gazetteer folders (TSV files; rows override the embedded ones).
    #[arg(long = "gazetteer")]
    pub gazetteer: Vec<PathBuf>,
    /// How to draw the graph.
    #[arg(long, value_enum, default_value = "builtin")]
    pub layout: LayoutArg,
    /// Page title.
    #[arg(long, default_value = "readout report")]
    pub title: String,
    /// Draw at most N statements and events in the graph (the most connected).
    #[arg(long = "max-graph-facts", default_value_t = 60)]
    pub max_graph_facts: usize,
}

/// Help text examples for the command.
pub const EXAMPLES: &str = "Examples:
  readout report examples/*.txt -o report.html
  readout report corpus.jsonl --input jsonl --date 2023-06-19 -o report.html
  readout report article.txt --layout dot -o report.html";

/// Run `readout report`; returns the exit code.
pub fn run(args: &ReportArgs) -> i32 {
    let opts = ReportOptions {
        title: args.title.clone(),
        layout: match args.layout {
            LayoutArg::Builtin => Layout::Builtin,
            LayoutArg::Dot => Layout::Dot,
        },
        max_graph_facts: args.max_graph_facts,
    };
    run_with(
        &args.inputs,
        &args.date,
        args.input,
        args.output.as_deref(),
        &args.gazetteer,
        &opts,
    )
}

/// `readout extract --format html`: the report with default options.
pub fn extract_html(
    inputs: &[String],
    date: &Option<String>,
    input: InputKind,
    output: Option<&Path>,
    gazetteer: &[PathBuf],
) -> i32 {
    run_with(
        inputs,
        date,
        input,
        output,
        gazetteer,
        &ReportOptions::default(),
    )
}

fn run_with(
    inputs: &[String],
    date: &Option<String>,
    input_kind: InputKind,
    output: Option<&Path>,
    gazetteer: &[PathBuf],
    opts: &ReportOptions,
) -> i32 {
    let date = match date.as_deref().map(input::parse_date).transpose() {
        Ok(d) => d,
        Err(e) => {
            error(format!("--date: {e}"));
            return 2;
        }
    };
    let p = match pipeline(gazetteer) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let fmt = if input_kind == InputKind::Jsonl {
        InputFormat::Jsonl
    } else {
        InputFormat::Text
    };
    let mut docs = Vec::new();
    let mut failed = 0;
    for d in input::read_inputs(inputs, fmt) {
        match d {
            Ok(d) => {
                for w in &d.warnings {
                    error(format!("warning: {w}"));
                }
                docs.push(p.annotate(&d.id, &d.text, d.date.or(date)));
            }
            Err(e) => {
                error(&e);
                failed += 1;
            }
        }
    }
    let report = render(&docs, opts);
    for w in &report.warnings {
        error(format!("warning: {w}"));
    }
    if let Err(e) = write_output(output, report.html.as_bytes()) {
        error(format!(
            "cannot write {}: {}",
            output
                .map(|p| p.display().to_string())
                .unwrap_or("stdout".into()),
            input::io_message(&e)
        ));
        return 1;
    }
    if failed > 0 {
        1
    } else {
        0
    }
}
