//! Quote pairing and attribution on adversarial text: 100,000 lone quote
//! marks of every kind mixed with prose (5 MB), against the same mix at
//! 1 MB. Linear time shows as a 5x ratio between the two sizes.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use readout::entities::EntityLayer;
use readout::statements::quotes::find_quotes;
use readout::Pipeline;

const MARKS: &[&str] = &[
    "\"", "“", "”", "'", "‘", "’", "``", "''", "«", "»", "„", "`",
];
const PROSE: &[&str] = &[
    "the minister said talks would resume and",
    "officials told reporters that nothing was agreed while",
    "Xi’s envoy, who we're told arrived late in the ’90s style, added",
    "according to the agency the delegation left before dawn as",
];

/// About `bytes` of text with `marks` lone quote marks, paragraphs of
/// varying length (one paragraph runs over a tenth of the text).
fn adversarial(bytes: usize, marks: usize) -> String {
    let mut s = String::with_capacity(bytes + 1024);
    let per_mark = bytes / marks;
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut i = 0;
    while s.len() < bytes {
        let start = s.len();
        while s.len() - start < per_mark {
            s.push_str(PROSE[(next() % PROSE.len() as u64) as usize]);
            s.push(' ');
        }
        let m = MARKS[(next() % MARKS.len() as u64) as usize];
        if next() % 2 == 0 {
            s.push_str(m);
            s.push_str("word ");
        } else {
            s.push_str("word");
            s.push_str(m);
            s.push(' ');
        }
        i += 1;
        let long = (bytes / 10 / per_mark).max(1);
        if i % 7 == 0 && !(i / long).is_multiple_of(10) {
            s.push_str(".\n\n");
        }
    }
    s
}

fn bench(c: &mut Criterion) {
    let pipeline = Pipeline::embedded().expect("embedded data");
    let mut g = c.benchmark_group("quotes");
    g.sample_size(10);
    for (mb, marks) in [(1usize, 20_000usize), (5, 100_000)] {
        let text = adversarial(mb << 20, marks);
        let doc = pipeline.document.parse("bench", text, None);
        let ents = EntityLayer::default();
        g.throughput(Throughput::Bytes(doc.text.len() as u64));
        g.bench_with_input(BenchmarkId::new("pair", format!("{mb}MB")), &doc, |b, d| {
            b.iter(|| find_quotes(d).len())
        });
        g.bench_with_input(
            BenchmarkId::new("extract", format!("{mb}MB")),
            &doc,
            |b, d| b.iter(|| pipeline.statements.extract(d, &ents, &[]).len()),
        );
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
