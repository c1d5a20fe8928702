//! Throughput ratios measured in interleaved rounds, for a machine whose speed drifts while a
//! benchmark runs (a shared 2-core VM: see RESULTS.md).
//!
//! criterion measures one path after the other, seconds apart, so a burst of load from a
//! neighbour lands on one path and skews the ratios of that run. Here every round times each
//! path of a group over the whole group (one pass = every line), one path right after the
//! other, in an order that rotates from round to round; each timed pass follows
//! `WARM_PASSES` untimed passes of the same path. The ratio of two paths is taken within each
//! round, and the table gives the median and the quartiles of those per-round ratios: a
//! burst shifts one round, not the median. Ratios are throughput ratios (ours ÷ other), as in
//! the criterion table.
//!
//! Usage: `ratios ROUNDS` (default 200). Prints a TSV: group, other path, rounds, median,
//! 25th and 75th percentile of ours ÷ other, and the median MB/s of both paths.

use std::hint::black_box;
use std::time::Instant;

use app_server_protocol::PendingRequests;
use app_server_protocol_bench::paths::{self, Prepared};
use app_server_protocol_bench::{
    client_corpus, client_side_by_side, server_corpus, server_side_by_side,
};

/// Untimed passes of a path right before its timed pass in each round, so that the path's code
/// and data are in the caches as in steady use (as criterion's warm-up and repeated iterations
/// have them); without them a path is timed right after another path evicted its code.
const WARM_PASSES: usize = 2;

/// One pass of a path over a group; returns the seconds it took.
type Pass<'a> = Box<dyn FnMut() -> f64 + 'a>;

fn timed(mut pass: impl FnMut()) -> f64 {
    let start = Instant::now();
    pass();
    start.elapsed().as_secs_f64()
}

/// The decode paths of one direction: ours (with its pending-request table), the baseline's
/// idiomatic and direct paths, and the two floors.
fn decode_paths<'a, M: 'a, O: 'a, E: std::fmt::Debug + 'a, B: 'a>(
    lines: &'a [Prepared],
    ours: fn(&Prepared, &mut PendingRequests<M>) -> Result<O, E>,
    idiomatic: fn(&Prepared) -> serde_json::Result<B>,
    direct: fn(&Prepared) -> serde_json::Result<B>,
) -> Vec<(&'static str, Pass<'a>)>
where
    M: Copy,
{
    let mut pending = PendingRequests::new();
    vec![
        (
            "ours",
            Box::new(move || {
                timed(|| {
                    lines.iter().for_each(|l| drop(black_box(ours(l, &mut pending).expect("ours"))))
                })
            }) as Pass<'a>,
        ),
        (
            "baseline_idiomatic",
            Box::new(move || {
                timed(|| {
                    lines.iter().for_each(|l| drop(black_box(idiomatic(l).expect("baseline"))))
                })
            }),
        ),
        (
            "baseline_direct",
            Box::new(move || {
                timed(|| lines.iter().for_each(|l| drop(black_box(direct(l).expect("baseline")))))
            }),
        ),
        (
            "value",
            Box::new(|| {
                timed(|| {
                    lines.iter().for_each(|l| drop(black_box(paths::value_parse(l).expect("JSON"))))
                })
            }),
        ),
        (
            "ignored_any",
            Box::new(|| {
                timed(|| {
                    lines.iter().for_each(|l| {
                        black_box(paths::ignored_any_scan(l).expect("JSON"));
                    })
                })
            }),
        ),
    ]
}

/// Encodes every message of a group into one reused buffer, as the criterion bench does.
fn encode_paths<'a, O: serde::Serialize, B>(
    ours: &'a [O],
    base: &'a [B],
    encode_base: fn(&B, &mut Vec<u8>) -> serde_json::Result<()>,
) -> Vec<(&'static str, Pass<'a>)> {
    let mut out_ours = Vec::with_capacity(1 << 20);
    let mut out_base = Vec::with_capacity(1 << 20);
    vec![
        (
            "ours",
            Box::new(move || {
                timed(|| {
                    for message in ours {
                        out_ours.clear();
                        serde_json::to_writer(&mut out_ours, message).expect("encodes");
                        black_box(&out_ours);
                    }
                })
            }) as Pass<'a>,
        ),
        (
            "baseline",
            Box::new(move || {
                timed(|| {
                    for message in base {
                        out_base.clear();
                        encode_base(message, &mut out_base).expect("encodes");
                        black_box(&out_base);
                    }
                })
            }),
        ),
    ]
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let at = (p * (sorted.len() - 1) as f64).round() as usize;
    sorted[at]
}

/// Runs `rounds` rounds over the paths (the first is ours) and prints one TSV row per other
/// path.
fn measure(group: &str, bytes: usize, rounds: usize, mut paths: Vec<(&'static str, Pass<'_>)>) {
    let n = paths.len();
    let mut seconds = vec![Vec::with_capacity(rounds); n];
    for round in 0..rounds {
        for k in 0..n {
            let index = (round + k) % n;
            let pass = &mut paths[index].1;
            for _ in 0..WARM_PASSES {
                pass();
            }
            seconds[index].push(pass());
        }
    }
    let mb_per_s = |times: &[f64]| {
        let mut sorted = times.to_vec();
        sorted.sort_by(f64::total_cmp);
        bytes as f64 / percentile(&sorted, 0.5) / 1e6
    };
    let ours_mb = mb_per_s(&seconds[0]);
    for index in 1..n {
        // Throughput ratio ours ÷ other = time of other ÷ time of ours, within the round.
        let mut ratios: Vec<f64> =
            seconds[index].iter().zip(&seconds[0]).map(|(other, ours)| other / ours).collect();
        ratios.sort_by(f64::total_cmp);
        println!(
            "{group}\t{}\t{rounds}\t{:.4}\t{:.4}\t{:.4}\t{ours_mb:.1}\t{:.1}",
            paths[index].0,
            percentile(&ratios, 0.5),
            percentile(&ratios, 0.25),
            percentile(&ratios, 0.75),
            mb_per_s(&seconds[index]),
        );
    }
}

fn main() {
    let rounds =
        std::env::args().nth(1).map_or(200, |n| n.parse::<usize>().expect("ROUNDS is a count"));
    let server = server_side_by_side(&server_corpus());
    let client = client_side_by_side(&client_corpus());
    let deltas = app_server_protocol_bench::deltas(&server.lines);
    let bytes = |lines: &[Prepared]| lines.iter().map(|line| line.text.len()).sum::<usize>();

    println!("group\tother\trounds\tmedian\tp25\tp75\tours_mb_s\tother_mb_s");
    let server_paths = |lines| {
        decode_paths(
            lines,
            paths::ours_decode_server,
            paths::base_idiomatic_server,
            paths::base_direct_server,
        )
    };
    measure("decode_server_stream", bytes(&server.lines), rounds, server_paths(&server.lines));
    measure("decode_server_deltas", bytes(&deltas), rounds, server_paths(&deltas));
    let client_paths = decode_paths(
        &client.lines,
        paths::ours_decode_client,
        paths::base_idiomatic_client,
        paths::base_direct_client,
    );
    measure("decode_client_mix", bytes(&client.lines), rounds, client_paths);

    let mut pending = PendingRequests::new();
    let ours: Vec<_> = server
        .lines
        .iter()
        .map(|l| paths::ours_decode_server(l, &mut pending).expect("decodes"))
        .collect();
    let base: Vec<_> =
        server.lines.iter().map(|l| paths::base_direct_server(l).expect("decodes")).collect();
    measure(
        "encode_server_stream",
        bytes(&server.lines),
        rounds,
        encode_paths(&ours, &base, paths::base_encode_server),
    );
    let mut pending = PendingRequests::new();
    let ours: Vec<_> = client
        .lines
        .iter()
        .map(|l| paths::ours_decode_client(l, &mut pending).expect("decodes"))
        .collect();
    let base: Vec<_> =
        client.lines.iter().map(|l| paths::base_direct_client(l).expect("decodes")).collect();
    measure(
        "encode_client_mix",
        bytes(&client.lines),
        rounds,
        encode_paths(&ours, &base, paths::base_encode_client),
    );
}
