//! A fair encode comparison: throughput on the bytes each crate *writes*, not on
//! the bytes of the input line, since ours writes members 0.63.0 does not have (`threadId`,
//! `turnId`, `error: null`, …), and a group of messages whose wire is the same in both.
//!
//! `encode bytes GROUP` prints, for GROUP, the messages, the input bytes, and the bytes each
//! crate writes. `encode ours|base GROUP ITERATIONS` runs one encode path over the group, for
//! callgrind (`--toggle-collect='*encode::measured'`): Ir ÷ (bytes written × ITERATIONS) is the
//! instructions per byte written. `encode wall GROUP ROUNDS` times both paths in interleaved
//! rounds and prints MB/s written (noisy on a shared machine; a secondary figure).
//!
//! GROUP = `stream` (the whole `encode_server_stream` group) or `unchanged`: the messages of
//! the stream whose encoding is byte-for-byte the same in both crates (same members, same
//! order) — mostly the item deltas — so both write the same bytes and the comparison is of the
//! encoders alone.

use std::hint::black_box;
use std::time::Instant;

use app_server_protocol::{PendingRequests, ServerMessage};
use app_server_protocol_bench::paths::{self, BaseServer};
use app_server_protocol_bench::{server_corpus, server_side_by_side};

fn encode_ours(message: &ServerMessage, out: &mut Vec<u8>) {
    serde_json::to_writer(out, message).expect("encodes");
}

fn encode_base(message: &BaseServer, out: &mut Vec<u8>) {
    paths::base_encode_server(message, out).expect("encodes");
}

struct Group {
    ours: Vec<ServerMessage>,
    base: Vec<BaseServer>,
    methods: Vec<&'static str>,
    input_bytes: usize,
}

fn group(name: &str) -> Group {
    let lines = server_side_by_side(&server_corpus()).lines;
    let mut pending = PendingRequests::new();
    let mut group =
        Group { ours: Vec::new(), base: Vec::new(), methods: Vec::new(), input_bytes: 0 };
    for line in &lines {
        let ours = paths::ours_decode_server(line, &mut pending).expect("decodes");
        let base = paths::base_direct_server(line).expect("decodes");
        if name == "unchanged" {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            encode_ours(&ours, &mut a);
            encode_base(&base, &mut b);
            if a != b {
                continue;
            }
        }
        group.input_bytes += line.text.len();
        group.methods.push(line.method);
        group.ours.push(ours);
        group.base.push(base);
    }
    group
}

fn written<T>(messages: &[T], encode: fn(&T, &mut Vec<u8>)) -> usize {
    let mut out = Vec::new();
    messages
        .iter()
        .map(|m| {
            out.clear();
            encode(m, &mut out);
            out.len()
        })
        .sum()
}

/// The measured loop, alone in its function for `--toggle-collect='*encode::measured'`.
#[inline(never)]
fn measured<T>(messages: &[T], encode: fn(&T, &mut Vec<u8>), iterations: usize) {
    let mut out = Vec::with_capacity(1 << 20);
    for _ in 0..iterations {
        for message in messages {
            out.clear();
            encode(message, &mut out);
            black_box(&out);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (mode, name) = (args[1].as_str(), args[2].as_str());
    let count = args.get(3).map_or(1, |n| n.parse::<usize>().expect("a count"));
    let g = group(name);
    match mode {
        "bytes" => {
            let mut methods = std::collections::BTreeMap::<&str, usize>::new();
            g.methods.iter().for_each(|m| *methods.entry(m).or_default() += 1);
            println!(
                "{name}: {} messages, {} input bytes, ours writes {}, baseline writes {}",
                g.ours.len(),
                g.input_bytes,
                written(&g.ours, encode_ours),
                written(&g.base, encode_base)
            );
            for (method, n) in methods {
                println!("  {n:>5} × {method}");
            }
        }
        "ours" => measured(&g.ours, encode_ours, count),
        "base" => measured(&g.base, encode_base, count),
        "wall" => {
            let (ours_bytes, base_bytes) =
                (written(&g.ours, encode_ours), written(&g.base, encode_base));
            let (mut ours_t, mut base_t, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
            for round in 0..count {
                let time = |ours: bool| {
                    let start = Instant::now();
                    if ours {
                        measured(&g.ours, encode_ours, 3)
                    } else {
                        measured(&g.base, encode_base, 3)
                    }
                    start.elapsed().as_secs_f64() / 3.0
                };
                let (o, b) = if round % 2 == 0 {
                    let o = time(true);
                    (o, time(false))
                } else {
                    let b = time(false);
                    (time(true), b)
                };
                ours_t.push(o);
                base_t.push(b);
                // Throughput on bytes written: ours ÷ baseline.
                ratios.push((ours_bytes as f64 / o) / (base_bytes as f64 / b));
            }
            let median = |v: &mut Vec<f64>| {
                v.sort_by(f64::total_cmp);
                v[v.len() / 2]
            };
            println!(
                "{name}: ours {:.1} MB/s written, baseline {:.1} MB/s written, ours ÷ baseline (per-round median) {:.3}",
                ours_bytes as f64 / median(&mut ours_t) / 1e6,
                base_bytes as f64 / median(&mut base_t) / 1e6,
                median(&mut ratios)
            );
        }
        _ => panic!("MODE: bytes | ours | base | wall"),
    }
}
