//! The command-line interface: argument definitions and the commands.
//! `main.rs` only calls [`main`]; every command is a function here that
//! returns an exit code (0 ok, 1 some input failed, 2 usage error).

mod gazetteer_cmd;

use crate::export;
use crate::graph::KnowledgeGraph;
use crate::input::{self, InputFormat};
use crate::Pipeline;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};

const EXAMPLES: &str = "Examples:
  readout extract examples/beijing-visit.txt --format dot | dot -Tsvg > graph.svg
  readout extract corpus/ --format json --pretty -o graph.json
  readout annotate examples/beijing-visit.txt --format json
  readout gazetteer lookup \"the Secretary of State\" --date 2010-06-01";

/// Turn diplomatic news into a knowledge graph: who met whom, where and when,
/// and who said what to whom.
#[derive(Parser, Debug)]
#[command(name = "readout", version, about, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Graph output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// networkx node-link JSON
    Json,
    /// Graphviz DOT
    Dot,
    /// a self-contained HTML report (see `readout report`)
    Html,
}

/// Input formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum InputKind {
    /// plain text files (directories: their *.txt files)
    Text,
    /// JSON Lines: {"id", "text", "date", "url", "source"} per line
    Jsonl,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Extract the knowledge graph of one or more articles (merged).
    #[command(after_help = "Examples:
  readout extract article.txt --format dot | dot -Tsvg > graph.svg
  readout extract a.txt b.txt --date 2023-06-19 --format json --pretty -o graph.json
  cat article.txt | readout extract - --format json")]
    Extract {
        /// Files, directories (their *.txt files, recursively) or - for standard input.
        inputs: Vec<String>,
        /// The day the articles were written (YYYY-MM-DD); completes a dateline without a year.
        #[arg(long)]
        date: Option<String>,
        #[arg(long, value_enum, default_value = "json")]
        format: GraphFormat,
        /// How to read the inputs.
        #[arg(long = "input", value_enum, default_value = "text")]
        input: InputKind,
        /// Write here instead of standard output (atomically: replaced only on success).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Extra gazetteer folders (TSV files; rows override the embedded ones).
        #[arg(long = "gazetteer")]
        gazetteer: Vec<PathBuf>,
        /// Pretty-print JSON.
        #[arg(long)]
        pretty: bool,
        /// DOT: group nodes in clusters by document or by kind.
        #[arg(long = "dot-cluster", value_parser = ["document", "kind"])]
        dot_cluster: Option<String>,
        /// DOT: keep at most N nodes (the most connected).
        #[arg(long = "max-nodes")]
        max_nodes: Option<usize>,
    },
    /// Print the annotation layers of one article with their byte spans.
    #[command(after_help = "Example:
  readout annotate article.txt --date 2023-06-19 --format json")]
    Annotate {
        /// A file, or - for standard input.
        input: Option<String>,
        #[arg(long)]
        date: Option<String>,
        /// Output format (json).
        #[arg(long, default_value = "json", value_parser = ["json"])]
        format: String,
        #[arg(long = "gazetteer")]
        gazetteer: Vec<PathBuf>,
        #[arg(long)]
        pretty: bool,
    },
    /// Write a self-contained HTML report: highlighted text, statement and
    /// event tables, the graph as SVG, actors and a timeline.
    #[command(after_help = crate::report::cli::EXAMPLES)]
    Report(crate::report::cli::ReportArgs),
    /// Check or query the gazetteer.
    Gazetteer {
        #[command(subcommand)]
        command: gazetteer_cmd::GazetteerCommand,
    },
}

/// Print one plain error line.
pub fn error(msg: impl std::fmt::Display) {
    eprintln!("readout: {msg}");
}

/// Parse `--date`.
fn date_arg(d: &Option<String>) -> Result<Option<chrono::NaiveDate>, String> {
    d.as_deref()
        .map(input::parse_date)
        .transpose()
        .map_err(|e| format!("--date: {e}"))
}

/// Build the pipeline, or print why not.
pub fn pipeline(dirs: &[PathBuf]) -> Result<Pipeline, i32> {
    let refs: Vec<&Path> = dirs.iter().map(|p| p.as_path()).collect();
    Pipeline::load(&refs).map_err(|e| {
        error(format!("gazetteer: {e}"));
        2
    })
}

/// Write `data` to `path` atomically (temporary file in the same folder,
/// then rename), or to standard output.
pub fn write_output(path: Option<&Path>, data: &[u8]) -> std::io::Result<()> {
    match path {
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(data)?;
            out.flush()
        }
        Some(p) => {
            let dir = p
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_else(|| "out".into());
            let tmp = dir.join(format!(".{name}.readout-{}.tmp", std::process::id()));
            let res = (|| {
                let mut f = std::fs::File::create(&tmp)?;
                f.write_all(data)?;
                f.sync_all()?;
                std::fs::rename(&tmp, p)
            })();
            if res.is_err() {
                let _ = std::fs::remove_file(&tmp);
            }
            res
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn extract(
    inputs: &[String],
    date: &Option<String>,
    format: GraphFormat,
    input_kind: InputKind,
    output: Option<&Path>,
    gazetteer: &[PathBuf],
    pretty: bool,
    dot_opts: export::dot::DotOptions,
) -> i32 {
    let date = match date_arg(date) {
        Ok(d) => d,
        Err(e) => {
            error(e);
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
    let mut g = KnowledgeGraph::new();
    let mut failed = 0;
    for d in input::read_inputs(inputs, fmt) {
        match d {
            Ok(d) => {
                for w in &d.warnings {
                    error(format!("warning: {w}"));
                }
                let a = p.annotate(&d.id, &d.text, d.date.or(date));
                g.add_annotated(&a);
            }
            Err(e) => {
                error(&e);
                failed += 1;
            }
        }
    }
    let data = match format {
        GraphFormat::Json => {
            let mut s = export::json::to_string(&g, pretty);
            s.push('\n');
            s
        }
        GraphFormat::Dot => export::dot::to_dot(&g, &dot_opts),
        // dispatched to the report module in `main` (it needs the layers, not only the graph)
        GraphFormat::Html => String::new(),
    };
    if let Err(e) = write_output(output, data.as_bytes()) {
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

fn annotate(
    inp: &Option<String>,
    date: &Option<String>,
    gazetteer: &[PathBuf],
    pretty: bool,
) -> i32 {
    let date = match date_arg(date) {
        Ok(d) => d,
        Err(e) => {
            error(e);
            return 2;
        }
    };
    let p = match pipeline(gazetteer) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let inputs: Vec<String> = inp.iter().cloned().collect();
    let mut docs = input::read_inputs(&inputs, InputFormat::Text);
    if docs.len() != 1 {
        error("annotate takes one file (a directory gives several: use extract)");
        return 2;
    }
    match docs.remove(0) {
        Ok(d) => {
            for w in &d.warnings {
                error(format!("warning: {w}"));
            }
            let a = p.annotate(&d.id, &d.text, date);
            let v = a.to_json();
            let mut s = if pretty {
                serde_json::to_string_pretty(&v)
            } else {
                serde_json::to_string(&v)
            }
            .unwrap_or_default();
            s.push('\n');
            match write_output(None, s.as_bytes()) {
                Ok(()) => 0,
                Err(e) => {
                    error(format!("cannot write stdout: {}", input::io_message(&e)));
                    1
                }
            }
        }
        Err(e) => {
            error(&e);
            1
        }
    }
}

/// Run the command line; returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match &cli.command {
        Command::Extract {
            format: GraphFormat::Html,
            inputs,
            date,
            input,
            output,
            gazetteer,
            ..
        } => crate::report::cli::extract_html(inputs, date, *input, output.as_deref(), gazetteer),
        Command::Report(args) => crate::report::cli::run(args),
        Command::Extract {
            inputs,
            date,
            format,
            input,
            output,
            gazetteer,
            pretty,
            dot_cluster,
            max_nodes,
        } => extract(
            inputs,
            date,
            *format,
            *input,
            output.as_deref(),
            gazetteer,
            *pretty,
            export::dot::DotOptions {
                cluster: dot_cluster.clone(),
                max_nodes: *max_nodes,
            },
        ),
        Command::Annotate {
            input,
            date,
            format: _,
            gazetteer,
            pretty,
        } => annotate(input, date, gazetteer, *pretty),
        Command::Gazetteer { command } => gazetteer_cmd::run(command),
    }
}
