//! Benchmarks of each pipeline stage on the seed (18 projects) and on 10,008 projects
//! (the seed's areas repeated 556 times, renumbered). Whole-process time and peak
//! memory: `scripts/bench.sh`.

use std::path::Path;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use shiryo::{layout, registry, render, Job, Template};

fn seed_text() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/registry.yaml")).unwrap()
}

#[path = "../tests/support/big_registry.rs"]
mod support;

fn big_text(n: usize) -> String {
    support::big_registry(&seed_text(), n)
}

fn stages(c: &mut Criterion, name: &str, text: &str, samples: usize) {
    let path = Path::new("registry.yaml");
    let job = Job::new(Template::default()).unwrap();
    let reg = registry::parse(path, text).unwrap();
    let mut g = c.benchmark_group(name);
    g.sample_size(samples);
    g.bench_function("parse+validate", |b| {
        b.iter(|| registry::parse(path, text).unwrap())
    });
    g.bench_function("check glyphs", |b| b.iter(|| job.check(&reg).unwrap()));
    g.bench_function("layout", |b| {
        b.iter(|| layout::layout_handout(&reg, &job.template, &job.fonts))
    });
    let handout = layout::layout_handout(&reg, &job.template, &job.fonts);
    let info = render::PdfInfo::from_registry(&reg);
    g.bench_function("render pdf", |b| {
        b.iter_batched(
            || handout.clone(),
            |h| render::write_pdf(h, &info, &job.fonts).unwrap(),
            BatchSize::LargeInput,
        )
    });
    g.bench_function("xlsx", |b| b.iter(|| job.xlsx(&reg).unwrap()));
    g.bench_function("fonts", |b| {
        b.iter_batched(
            || (),
            |()| layout::Fonts::bundled().unwrap(),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

fn seed(c: &mut Criterion) {
    stages(c, "seed", &seed_text(), 50);
}

fn big(c: &mut Criterion) {
    stages(c, "10k", &big_text(10_000), 10);
}

criterion_group!(benches, seed, big);
criterion_main!(benches);
