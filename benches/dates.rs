//! Throughput of the temporal tagger (the dates stage alone) on the
//! TimeBank texts under ../shared/eval/timebank, read at bench time; the
//! bench is skipped when they are absent. Documents are segmented once,
//! outside the measured loop.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use readout::dates::DateModel;
use readout::document::{Document, DocumentModel};
use readout::lexicon::Lexicon;
use std::hint::black_box;
use std::path::Path;

fn load_docs(dm: &DocumentModel) -> Vec<Document> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/timebank");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(p).ok()?;
            // the document date from the file name where it has one is not
            // needed for speed; anchor everything on one date
            let date = chrono::NaiveDate::from_ymd_opt(1998, 6, 15);
            Some(dm.parse(&p.display().to_string(), text, date))
        })
        .collect()
}

fn tagging(c: &mut Criterion) {
    let lex = Lexicon::embedded().expect("embedded lexicon");
    let dm = DocumentModel::new(&lex).expect("document model");
    let model = DateModel::new(&lex).expect("date model");
    let docs = load_docs(&dm);
    if docs.is_empty() {
        eprintln!("dates bench: ../shared/eval/timebank not found, skipping");
        return;
    }
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let mut g = c.benchmark_group("dates");
    g.sample_size(20);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function(format!("tag {} timebank docs", docs.len()), |b| {
        b.iter(|| {
            let n: usize = docs.iter().map(|d| model.tag(black_box(d)).len()).sum();
            black_box(n)
        })
    });
    g.finish();
}

criterion_group!(benches, tagging);
criterion_main!(benches);
