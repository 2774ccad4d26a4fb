//! Criterion benches of `inspect` and `check` on the inputs `cargo xtask bench` writes into
//! `CERTCHECK_BENCH_INPUTS` (one certificate, Mozilla's CA bundle, synthetic bundles of 1 to
//! 10 000 distinct certificates, and the worst cases of the limits section). Missing inputs are
//! skipped with a note, so `cargo bench` alone runs whatever is there.
//!
//! Checks remember signature verifications for the life of the process, so every bench but
//! `cold` measures the warm case (a bundle checked again: the dashboard after an edit, a server
//! checking the same CAs); `cold` forgets them before each call (a bundle seen for the first
//! time: every signature verified).

use std::path::PathBuf;
use std::time::Duration;

use certcheck::{Destination, Options, UnixTime, check, forget_signatures, inspect};
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

const NOW: UnixTime = UnixTime(1_795_000_000);

fn input(name: &str) -> Option<Vec<u8>> {
    let dir = std::env::var_os("CERTCHECK_BENCH_INPUTS").map(PathBuf::from)?;
    match std::fs::read(dir.join(name)) {
        Ok(bytes) => Some(bytes),
        Err(_) => {
            eprintln!("note: no bench input {name}; run `cargo xtask bench`");
            None
        }
    }
}

fn certificates(bytes: &[u8]) -> u64 {
    bytes.windows(27).filter(|w| *w == b"-----BEGIN CERTIFICATE-----").count() as u64
}

fn single_and_mozilla(c: &mut Criterion) {
    let mut group = c.benchmark_group("single");
    group.measurement_time(Duration::from_secs(3));
    let access = Options::new(Some(Destination::CloudflareAccess), NOW);
    for name in ["one.pem", "mozilla.pem"] {
        let Some(bytes) = input(name) else { continue };
        group.throughput(Throughput::Elements(certificates(&bytes).max(1)));
        group.bench_with_input(BenchmarkId::new("inspect", name), &bytes, |b, bytes| b.iter(|| inspect(bytes, NOW)));
        group.bench_with_input(BenchmarkId::new("check-access", name), &bytes, |b, bytes| {
            b.iter(|| check(bytes, &access))
        });
    }
    group.finish();
}

fn synthetic(c: &mut Criterion) {
    let mut group = c.benchmark_group("synthetic");
    group.measurement_time(Duration::from_secs(4)).sample_size(10);
    for count in [1, 10, 100, 1_000, 10_000] {
        let Some(bytes) = input(&format!("synthetic-{count}.pem")) else { continue };
        group.throughput(Throughput::Elements(count));
        group.bench_with_input(BenchmarkId::new("inspect", count), &bytes, |b, bytes| b.iter(|| inspect(bytes, NOW)));
    }
    group.finish();
}

fn worst_cases(c: &mut Criterion) {
    let mut group = c.benchmark_group("worst");
    group.measurement_time(Duration::from_secs(3)).sample_size(10);
    for name in ["blocks-10000.pem", "nested-der.pem", "absurd-length.pem", "line-1mb.txt", "base64-line-1mb.pem"] {
        let Some(bytes) = input(name) else { continue };
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_with_input(BenchmarkId::new("inspect", name), &bytes, |b, bytes| b.iter(|| inspect(bytes, NOW)));
    }
    group.finish();
}

fn cold(c: &mut Criterion) {
    let mut group = c.benchmark_group("cold");
    group.measurement_time(Duration::from_secs(4)).sample_size(10);
    for name in ["one.pem", "mozilla.pem"] {
        let Some(bytes) = input(name) else { continue };
        group.throughput(Throughput::Elements(certificates(&bytes).max(1)));
        group.bench_with_input(BenchmarkId::new("inspect", name), &bytes, |b, bytes| {
            b.iter_batched(forget_signatures, |()| inspect(bytes, NOW), BatchSize::PerIteration)
        });
    }
    group.finish();
}

criterion_group!(benches, single_and_mozilla, cold, synthetic, worst_cases);
criterion_main!(benches);
