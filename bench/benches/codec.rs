//! Decode and encode throughput, ours side by side with the baseline crate, on the generated
//! corpora (see `src/corpus.rs`); only lines both crates accept are measured. Each benchmark
//! decodes (or encodes) the whole group once per iteration and reports MB/s and messages/s.

use std::hint::black_box;
use std::time::Duration;

use app_server_protocol::PendingRequests;
use app_server_protocol_bench::paths::{self, Prepared};
use app_server_protocol_bench::{
    SideBySide, client_corpus, client_side_by_side, server_corpus, server_side_by_side,
};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn throughput(lines: &[Prepared]) -> Throughput {
    Throughput::ElementsAndBytes {
        elements: lines.len() as u64,
        bytes: lines.iter().map(|l| l.text.len() as u64).sum(),
    }
}

fn decode_server_group(c: &mut Criterion, name: &str, lines: &[Prepared]) {
    let mut group = c.benchmark_group(name);
    group.throughput(throughput(lines));
    group.bench_function("ours", |b| {
        let mut pending = PendingRequests::new();
        b.iter(|| {
            for line in lines {
                black_box(paths::ours_decode_server(line, &mut pending).expect("ours decodes"));
            }
        })
    });
    group.bench_function("baseline_idiomatic", |b| {
        b.iter(|| {
            for line in lines {
                black_box(paths::base_idiomatic_server(line).expect("baseline decodes"));
            }
        })
    });
    group.bench_function("baseline_direct", |b| {
        b.iter(|| {
            for line in lines {
                black_box(paths::base_direct_server(line).expect("baseline decodes"));
            }
        })
    });
    floors(&mut group, lines);
    group.finish();
}

fn floors(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    lines: &[Prepared],
) {
    group.bench_function("value", |b| {
        b.iter(|| {
            for line in lines {
                black_box(paths::value_parse(line).expect("JSON"));
            }
        })
    });
    group.bench_function("ignored_any", |b| {
        b.iter(|| {
            for line in lines {
                black_box(paths::ignored_any_scan(line).expect("JSON"));
            }
        })
    });
}

fn decode(c: &mut Criterion) {
    let server = server_side_by_side(&server_corpus());
    let client = client_side_by_side(&client_corpus());
    eprint!("{}{}", server.report("server stream"), client.report("client mix"));

    decode_server_group(c, "decode_server_stream", &server.lines);
    let deltas = app_server_protocol_bench::deltas(&server.lines);
    decode_server_group(c, "decode_server_deltas", &deltas);

    let lines = &client.lines;
    let mut group = c.benchmark_group("decode_client_mix");
    group.throughput(throughput(lines));
    group.bench_function("ours", |b| {
        let mut pending = PendingRequests::new();
        b.iter(|| {
            for line in lines {
                black_box(paths::ours_decode_client(line, &mut pending).expect("ours decodes"));
            }
        })
    });
    group.bench_function("baseline_idiomatic", |b| {
        b.iter(|| {
            for line in lines {
                black_box(paths::base_idiomatic_client(line).expect("baseline decodes"));
            }
        })
    });
    group.bench_function("baseline_direct", |b| {
        b.iter(|| {
            for line in lines {
                black_box(paths::base_direct_client(line).expect("baseline decodes"));
            }
        })
    });
    floors(&mut group, lines);
    group.finish();

    encode(c, &server, &client);
}

fn encode(c: &mut Criterion, server: &SideBySide, client: &SideBySide) {
    let mut pending = PendingRequests::new();
    let ours: Vec<_> = server
        .lines
        .iter()
        .map(|l| paths::ours_decode_server(l, &mut pending).expect("decodes"))
        .collect();
    let base: Vec<_> =
        server.lines.iter().map(|l| paths::base_direct_server(l).expect("decodes")).collect();
    let mut group = c.benchmark_group("encode_server_stream");
    group.throughput(throughput(&server.lines));
    let mut out = Vec::with_capacity(1 << 20);
    group.bench_function("ours", |b| {
        b.iter(|| {
            for message in &ours {
                out.clear();
                serde_json::to_writer(&mut out, message).expect("encodes");
                black_box(&out);
            }
        })
    });
    group.bench_function("baseline", |b| {
        b.iter(|| {
            for message in &base {
                out.clear();
                paths::base_encode_server(message, &mut out).expect("encodes");
                black_box(&out);
            }
        })
    });
    group.finish();

    let mut pending = PendingRequests::new();
    let ours: Vec<_> = client
        .lines
        .iter()
        .map(|l| paths::ours_decode_client(l, &mut pending).expect("decodes"))
        .collect();
    let base: Vec<_> =
        client.lines.iter().map(|l| paths::base_direct_client(l).expect("decodes")).collect();
    let mut group = c.benchmark_group("encode_client_mix");
    group.throughput(throughput(&client.lines));
    group.bench_function("ours", |b| {
        b.iter(|| {
            for message in &ours {
                out.clear();
                serde_json::to_writer(&mut out, message).expect("encodes");
                black_box(&out);
            }
        })
    });
    group.bench_function("baseline", |b| {
        b.iter(|| {
            for message in &base {
                out.clear();
                paths::base_encode_client(message, &mut out).expect("encodes");
                black_box(&out);
            }
        })
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20)
        .without_plots()
}

criterion_group! { name = benches; config = config(); targets = decode }
criterion_main!(benches);
