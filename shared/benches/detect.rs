//! Detection throughput over the public vectors (every valid and invalid number, as written).
//! Run with `cargo xtask bench` or `cargo bench -p waypost-shared --bench detect`.
#![allow(
    missing_docs,
    reason = "criterion's macros generate undocumented items"
)]

#[path = "../tests/support/vectors.rs"]
mod vectors;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use waypost_shared::detect::detect;

fn detection(c: &mut Criterion) {
    let formats = vectors::vector_formats();
    for format in &formats {
        for number in &format.valid {
            let found = detect(number).expect("valid numbers are answered");
            let detected = found
                .candidates
                .iter()
                .any(|c| c.carrier.code() == format.courier);
            assert!(
                detected,
                "{number:?} ({}) must be detected before it is timed",
                format.name
            );
        }
    }
    let numbers: Vec<String> = formats
        .into_iter()
        .flat_map(|format| format.valid.into_iter().chain(format.invalid))
        .collect();
    let mut group = c.benchmark_group("detect");
    group.throughput(Throughput::Elements(numbers.len() as u64));
    group.bench_function("public_vectors", |b| {
        b.iter(|| {
            for number in &numbers {
                black_box(detect(black_box(number)).ok());
            }
        })
    });
    group.finish();
}

criterion_group!(benches, detection);
criterion_main!(benches);
