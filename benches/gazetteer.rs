//! Startup cost: loading the embedded gazetteer and compiling its
//! Aho-Corasick automaton, and building the whole pipeline.

use criterion::{criterion_group, criterion_main, Criterion};
use readout::gazetteer::{Gazetteer, Sources};
use readout::Pipeline;
use std::hint::black_box;

fn startup(c: &mut Criterion) {
    let mut g = c.benchmark_group("startup");
    g.sample_size(20);
    g.bench_function("gazetteer load + check", |b| {
        b.iter(|| black_box(Gazetteer::from_sources(&Sources::embedded()).unwrap()))
    });
    let gz = Gazetteer::from_sources(&Sources::embedded()).unwrap();
    g.bench_function("automaton build", |b| b.iter(|| black_box(gz.matcher())));
    g.bench_function("whole pipeline", |b| {
        b.iter(|| black_box(Pipeline::embedded().unwrap()))
    });
    g.finish();
}

criterion_group!(benches, startup);
criterion_main!(benches);
