//! The command-line interface: argument definitions and the commands.
//! `main.rs` only calls [`main`]; every command is a function here that
//! returns an exit code (0 ok, 1 some input failed, 2 usage error).

mod extract;
mod gazetteer_cmd;
mod merge;
mod query_cmd;

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
  readout extract --input jsonl wire.jsonl --format jsonl > records.jsonl
  readout merge monday.json tuesday.json -o week.json
  readout query week.json said --by Blinken --since 2023-06-01
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
    /// networkx node-link JSON (one merged graph)
    Json,
    /// JSON Lines: one record per document (entities, statements, events), streamed
    Jsonl,
    /// Graphviz DOT
    Dot,
    /// GraphML (networkx, Gephi)
    Graphml,
    /// Neo4j bulk-import CSV: nodes.csv and relationships.csv in the -o folder
    Neo4j,
    /// a self-contained HTML report (see `readout report`)
    Html,
}

/// Output options shared by extract and merge.
#[derive(clap::Args, Debug, Clone)]
pub struct OutputArgs {
    /// Write here instead of standard output (atomically: replaced only on
    /// success). With --format neo4j, a folder for nodes.csv and relationships.csv.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Pretty-print JSON.
    #[arg(long)]
    pub pretty: bool,
    /// DOT: group nodes in clusters by document or by kind.
    #[arg(long = "dot-cluster", value_parser = ["document", "kind"])]
    pub dot_cluster: Option<String>,
    /// DOT: keep at most N nodes (the most connected).
    #[arg(long = "max-nodes")]
    pub max_nodes: Option<usize>,
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
    /// Extract the knowledge graph of one or more articles (merged), in parallel.
    #[command(after_help = "Examples:
  readout extract article.txt --format dot | dot -Tsvg > graph.svg
  readout extract a.txt b.txt --date 2023-06-19 --format json --pretty -o graph.json
  readout extract archive/ --threads 2 --format graphml -o archive.graphml
  readout extract --input jsonl wire.jsonl --format jsonl > records.jsonl
  readout extract archive/ --format neo4j -o neo4j-import/
  cat article.txt | readout extract - --format json")]
    Extract {
        /// Files, directories (their *.txt files, or *.jsonl with --input jsonl,
        /// recursively) or - for standard input.
        inputs: Vec<String>,
        /// The day the articles were written (YYYY-MM-DD); completes a dateline without a year.
        #[arg(long)]
        date: Option<String>,
        #[arg(long, value_enum, default_value = "json")]
        format: GraphFormat,
        /// How to read the inputs.
        #[arg(long = "input", value_enum, default_value = "text")]
        input: InputKind,
        #[command(flatten)]
        out: OutputArgs,
        /// Extra gazetteer folders (TSV files; rows override the embedded ones).
        #[arg(long = "gazetteer")]
        gazetteer: Vec<PathBuf>,
        /// Worker threads (0: one per core). The output is the same for any number.
        #[arg(long, default_value_t = 0)]
        threads: usize,
        /// No summary line on stderr.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Merge saved graphs (node-link JSON or JSON Lines records) into one.
    #[command(after_help = "Examples:
  readout merge monday.json tuesday.json > both.json
  readout merge part-*.jsonl --format graphml -o all.graphml")]
    Merge {
        /// Graph files (extract --format json or jsonl, or merge output), or - for standard input.
        #[arg(required = true)]
        inputs: Vec<String>,
        #[arg(long, value_enum, default_value = "json")]
        format: GraphFormat,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Ask a graph (or articles, extracted first) who said what and who met whom.
    #[command(after_help = "Examples:
  readout query graph.json said --by Blinken --since 2023-06-01
  readout query graph.json said --by \"the Secretary of State\" --date 2023-06-19 --format json
  readout query graph.json met --between Blinken \"Wang Yi\"
  readout query graph.json timeline \"Qin Gang\"
  readout query article.txt said")]
    Query(query_cmd::QueryArgs),
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

/// The temporary file an atomic write to `p` goes through: hidden, in the
/// same folder (so the final rename stays on one file system).
pub fn temp_path(p: &Path) -> std::path::PathBuf {
    let dir = p
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "out".into());
    dir.join(format!(".{name}.readout-{}.tmp", std::process::id()))
}

/// Is `p` an existing device, FIFO or socket (`-o /dev/null`, a named
/// pipe)? Those are written to as they are: renaming a temporary file
/// over them would replace the device with a plain file.
pub fn is_special(p: &Path) -> bool {
    std::fs::metadata(p).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// Write `data` to `path` atomically (the temporary file of [`temp_path`],
/// then rename; an existing file is replaced only on success), or to
/// standard output. A device or pipe ([`is_special`]) is written directly.
pub fn write_output(path: Option<&Path>, data: &[u8]) -> std::io::Result<()> {
    match path {
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(data)?;
            out.flush()
        }
        Some(p) if is_special(p) => {
            let mut f = std::fs::OpenOptions::new().write(true).open(p)?;
            f.write_all(data)?;
            f.flush()
        }
        Some(p) => {
            let tmp = temp_path(p);
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

/// An output being written: standard output, or a temporary file renamed
/// over the target when finished (so a failed run leaves the old file).
pub struct Output {
    target: Option<PathBuf>,
    tmp: Option<PathBuf>,
    w: Box<dyn Write>,
}

impl Output {
    pub fn open(path: Option<&Path>) -> std::io::Result<Output> {
        match path {
            None => Ok(Output {
                target: None,
                tmp: None,
                w: Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
            }),
            Some(p) if is_special(p) => Ok(Output {
                target: None,
                tmp: None,
                w: Box::new(std::io::BufWriter::new(
                    std::fs::OpenOptions::new().write(true).open(p)?,
                )),
            }),
            Some(p) => {
                let tmp = temp_path(p);
                let f = std::fs::File::create(&tmp)?;
                Ok(Output {
                    target: Some(p.to_path_buf()),
                    tmp: Some(tmp),
                    w: Box::new(std::io::BufWriter::new(f)),
                })
            }
        }
    }

    pub fn write_all(&mut self, data: &[u8]) -> std::io::Result<()> {
        self.w.write_all(data)
    }
}

impl Write for Output {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.w.write(data)
    }

    fn write_all(&mut self, data: &[u8]) -> std::io::Result<()> {
        self.w.write_all(data)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.w.flush()
    }
}

impl Output {
    /// Flush and move into place.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.w.flush()?;
        if let (Some(tmp), Some(target)) = (self.tmp.take(), self.target.as_ref()) {
            drop(std::mem::replace(&mut self.w, Box::new(std::io::sink())));
            if let Err(e) = std::fs::File::open(&tmp)
                .and_then(|f| f.sync_all())
                .and_then(|_| std::fs::rename(&tmp, target))
            {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
        }
        Ok(())
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if let Some(tmp) = self.tmp.take() {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// Where an output goes, for messages.
pub fn shown(path: Option<&Path>) -> String {
    path.map(|p| p.display().to_string())
        .unwrap_or_else(|| "standard output".into())
}

/// Report a failed write; returns the exit code. A closed pipe on standard
/// output (`readout … | head`) is not an error worth a message.
pub fn write_failed(path: Option<&Path>, e: &std::io::Error) -> i32 {
    if path.is_none() && e.kind() == std::io::ErrorKind::BrokenPipe {
        return 0;
    }
    error(format!(
        "cannot write {}: {}",
        shown(path),
        input::io_message(e)
    ));
    1
}

/// Write a whole graph in `format` (not jsonl) to `out`. Returns the exit code.
pub fn write_graph(g: &KnowledgeGraph, format: GraphFormat, out: &OutputArgs) -> i32 {
    let path = out.output.as_deref();
    let res = match format {
        GraphFormat::Neo4j => {
            let Some(dir) = path else {
                error("--format neo4j writes two files: give -o DIR (nodes.csv and relationships.csv go there)");
                return 2;
            };
            std::fs::create_dir_all(dir)
                .and_then(|_| {
                    write_output(
                        Some(&dir.join("nodes.csv")),
                        export::neo4j::nodes_csv(g).as_bytes(),
                    )
                })
                .and_then(|_| {
                    write_output(
                        Some(&dir.join("relationships.csv")),
                        export::neo4j::relationships_csv(g).as_bytes(),
                    )
                })
        }
        _ => {
            let data = match format {
                GraphFormat::Dot => export::dot::to_dot(
                    g,
                    &export::dot::DotOptions {
                        cluster: out.dot_cluster.clone(),
                        max_nodes: out.max_nodes,
                    },
                ),
                GraphFormat::Graphml => export::graphml::to_graphml(g),
                _ => {
                    // written as it is made, into the temporary file that
                    // replaces `path` on success (as write_output does)
                    let res = Output::open(path).and_then(|mut o| {
                        export::json::write_stream(g, out.pretty, &mut o)?;
                        o.write_all(b"\n")?;
                        o.finish()
                    });
                    return match res {
                        Ok(()) => 0,
                        Err(e) => write_failed(path, &e),
                    };
                }
            };
            write_output(path, data.as_bytes())
        }
    };
    match res {
        Ok(()) => 0,
        Err(e) => write_failed(path, &e),
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
            out,
            gazetteer,
            ..
        } => {
            crate::report::cli::extract_html(inputs, date, *input, out.output.as_deref(), gazetteer)
        }
        Command::Merge {
            format: GraphFormat::Html,
            ..
        } => {
            error("merge --format html: the report needs the articles, not only the graph; use `readout report FILES`");
            2
        }
        Command::Report(args) => crate::report::cli::run(args),
        Command::Extract {
            inputs,
            date,
            format,
            input,
            out,
            gazetteer,
            threads,
            quiet,
        } => extract::run(&extract::ExtractArgs {
            inputs,
            date,
            format: *format,
            input: *input,
            out,
            gazetteer,
            threads: *threads,
            quiet: *quiet,
        }),
        Command::Merge {
            inputs,
            format,
            out,
        } => merge::run(inputs, *format, out),
        Command::Query(q) => query_cmd::run(q),
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

#[cfg(test)]
mod tests {
    use super::is_special;
    use std::path::Path;

    #[test]
    fn devices_are_written_in_place_files_and_new_paths_atomically() {
        assert!(is_special(Path::new("/dev/null")));
        let dir = std::env::temp_dir().join(format!("readout-special-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("out.json");
        assert!(!is_special(&file), "a path that does not exist yet");
        std::fs::write(&file, "{}").unwrap();
        assert!(!is_special(&file), "a plain file");
        assert!(!is_special(&dir), "a folder");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
