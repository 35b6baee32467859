//! End-to-end extraction throughput (MB/s of article text) and pipeline
//! start-up cost.
//!
//! Reads the news texts of `../shared/eval/timebank` (relative to the crate
//! root) at bench time; without them the throughput benches are skipped.
//! Measures, on those texts and on a corpus ten times larger made by
//! repeating them: extraction into one merged graph serialized as JSON, on
//! one thread and on all cores, and JSON Lines streaming (the
//! `extract --format jsonl` path, one record line per document) likewise.
//!
//!     cargo bench --bench pipeline
//!     cargo bench --bench pipeline -- startup     # one group only

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use readout::corpus::{self, Outcome};
use readout::export;
use readout::graph::KnowledgeGraph;
use readout::input::InputDoc;
use readout::Pipeline;
use std::path::Path;
use std::time::Duration;

// The allocator the `readout` binary uses, so that figures match the CLI's.
#[global_allocator]
static GLOBAL: readout::alloc::Allocator = readout::alloc::Allocator;

fn texts() -> Option<Vec<(String, String)>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/timebank");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.retain(|p| p.extension().is_some_and(|x| x == "txt"));
    files.sort();
    let out: Vec<(String, String)> = files
        .iter()
        .filter_map(|p| {
            Some((
                p.file_name()?.to_string_lossy().into_owned(),
                std::fs::read_to_string(p).ok()?,
            ))
        })
        .collect();
    (!out.is_empty()).then_some(out)
}

fn docs(texts: &[(String, String)], copies: usize) -> Vec<InputDoc> {
    (0..copies)
        .flat_map(|c| {
            texts.iter().map(move |(id, t)| InputDoc {
                id: format!("{c}/{id}"),
                text: t.clone(),
                date: None,
                url: None,
                source: None,
                warnings: Vec::new(),
            })
        })
        .collect()
}

/// Counts the bytes written to it.
struct Count(usize);

impl std::io::Write for Count {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0 += b.len();
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The `extract --format json` path: the CLI's ([`corpus::extract_graph`],
/// then the graph written as it is made); the bytes counted, not kept.
fn extract_json(p: &Pipeline, docs: &[InputDoc], threads: usize) -> usize {
    let mut g = KnowledgeGraph::new();
    let opts = corpus::Options {
        threads,
        progress: false,
        ..Default::default()
    };
    corpus::extract_graph(p, docs.iter().cloned().map(Ok), &opts, None, &mut g, |_| {})
        .expect("thread pool");
    let mut out = Count(0);
    export::json::write_stream(&g, false, &mut out).expect("counting never fails");
    out.0
}

/// The `extract --format jsonl` path: one record per document, streamed,
/// written from the annotations as the CLI writes them.
fn extract_jsonl(p: &Pipeline, docs: &[InputDoc], threads: usize) -> usize {
    let opts = corpus::Options {
        threads,
        progress: false,
        ..Default::default()
    };
    let work = |d: &InputDoc| {
        let a = p.annotate(&d.id, &d.text, d.date);
        let mut line = Vec::with_capacity(2 * d.text.len() + 4096);
        export::jsonl::write_record_of(&mut line, &a, &d.id, None, None);
        line
    };
    let mut n = 0;
    corpus::run(docs.iter().cloned().map(Ok), &opts, work, |o| {
        if let Outcome::Done(_, line) = o {
            n += line.len();
        }
        true
    })
    .expect("thread pool");
    n
}

fn throughput(c: &mut Criterion) {
    let Some(texts) = texts() else {
        eprintln!("pipeline bench: ../shared/eval/timebank not found next to the crate; throughput benches skipped");
        return;
    };
    let p = Pipeline::embedded().expect("embedded data loads");
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    for (name, copies) in [("timebank", 1), ("timebank-x10", 10)] {
        let corpus = docs(&texts, copies);
        let bytes: usize = corpus.iter().map(|d| d.text.len()).sum();
        let mut g = c.benchmark_group(format!("extract/{name}"));
        g.throughput(Throughput::Bytes(bytes as u64));
        g.sample_size(10);
        g.warm_up_time(Duration::from_millis(500));
        g.measurement_time(Duration::from_secs(if copies > 1 { 8 } else { 3 }));
        g.bench_with_input(BenchmarkId::new("json", "1 thread"), &corpus, |b, d| {
            b.iter(|| extract_json(&p, d, 1))
        });
        g.bench_with_input(
            BenchmarkId::new("json", format!("{cores} threads")),
            &corpus,
            |b, d| b.iter(|| extract_json(&p, d, cores)),
        );
        g.bench_with_input(BenchmarkId::new("jsonl", "1 thread"), &corpus, |b, d| {
            b.iter(|| extract_jsonl(&p, d, 1))
        });
        g.bench_with_input(
            BenchmarkId::new("jsonl", format!("{cores} threads")),
            &corpus,
            |b, d| b.iter(|| extract_jsonl(&p, d, cores)),
        );
        g.finish();
    }
}

fn startup(c: &mut Criterion) {
    let mut g = c.benchmark_group("startup");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(5));
    g.bench_function("Pipeline::embedded", |b| {
        b.iter(|| Pipeline::embedded().expect("embedded data loads"))
    });
    g.finish();
}

criterion_group!(benches, throughput, startup);
criterion_main!(benches);
