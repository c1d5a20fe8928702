//! Runs one decode path over a corpus group many times, for a profiler (callgrind, see
//! `profile.sh`):
//! `profile PATH GROUP ITERATIONS` with PATH = ours | direct | idiomatic | value | ignored_any
//! (decode) or encode_ours | encode_base (encode)
//! and GROUP = stream | deltas | client | resume (the stream's `thread/resume` responses); `profile count GROUP 0` prints the group's line count.

use std::hint::black_box;

use app_server_protocol::PendingRequests;
use app_server_protocol_bench::corpus::Kind;
use app_server_protocol_bench::paths::{self, Prepared};
use app_server_protocol_bench::{
    client_corpus, client_side_by_side, server_corpus, server_side_by_side,
};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (path, group, iterations) =
        (args[1].as_str(), args[2].as_str(), args[3].parse::<usize>().expect("a count"));
    let lines: Vec<Prepared> = match group {
        "client" => client_side_by_side(&client_corpus()).lines,
        "deltas" => app_server_protocol_bench::deltas(&server_side_by_side(&server_corpus()).lines),
        // The two large `thread/resume` responses of the stream alone.
        "resume" => server_side_by_side(&server_corpus())
            .lines
            .into_iter()
            .filter(|line| line.kind == Kind::Response && line.method == "thread/resume")
            .collect(),
        _ => server_side_by_side(&server_corpus()).lines,
    };
    if path == "count" {
        println!("{}", lines.len());
        return;
    }
    let client = group == "client";
    if let Some(side) = path.strip_prefix("encode_") {
        let mut server_pending = PendingRequests::new();
        let mut client_pending = PendingRequests::new();
        let messages: Vec<Encodable> = lines
            .iter()
            .map(|line| match (side, client) {
                ("ours", false) => Encodable::OursServer(
                    paths::ours_decode_server(line, &mut server_pending).expect("decodes"),
                ),
                ("ours", true) => Encodable::OursClient(
                    paths::ours_decode_client(line, &mut client_pending).expect("decodes"),
                ),
                (_, false) => {
                    Encodable::BaseServer(paths::base_direct_server(line).expect("decodes"))
                }
                (_, true) => {
                    Encodable::BaseClient(paths::base_direct_client(line).expect("decodes"))
                }
            })
            .collect();
        encode_measured(&messages, iterations);
        return;
    }
    measured(path, client, &lines, iterations);
}

enum Encodable {
    OursServer(app_server_protocol::ServerMessage),
    OursClient(app_server_protocol::ClientMessage),
    BaseServer(paths::BaseServer),
    BaseClient(paths::BaseClient),
}

/// The measured encode loop (`--toggle-collect='*profile::encode_measured'`).
#[inline(never)]
fn encode_measured(messages: &[Encodable], iterations: usize) {
    let mut out = Vec::with_capacity(1 << 20);
    for _ in 0..iterations {
        for message in messages {
            out.clear();
            match message {
                Encodable::OursServer(m) => serde_json::to_writer(&mut out, m).expect("encodes"),
                Encodable::OursClient(m) => serde_json::to_writer(&mut out, m).expect("encodes"),
                Encodable::BaseServer(m) => {
                    paths::base_encode_server(m, &mut out).expect("encodes")
                }
                Encodable::BaseClient(m) => {
                    paths::base_encode_client(m, &mut out).expect("encodes")
                }
            }
            black_box(&out);
        }
    }
}

/// The measured loop, alone in its function so that callgrind counts only it
/// (`--toggle-collect='*profile::measured'`), not the setup.
#[inline(never)]
fn measured(path: &str, client: bool, lines: &[Prepared], iterations: usize) {
    let mut server_pending = PendingRequests::new();
    let mut client_pending = PendingRequests::new();
    for _ in 0..iterations {
        for line in lines {
            match (path, client) {
                ("ours", false) => drop(black_box(
                    paths::ours_decode_server(line, &mut server_pending).expect("decodes"),
                )),
                ("ours", true) => drop(black_box(
                    paths::ours_decode_client(line, &mut client_pending).expect("decodes"),
                )),
                ("direct", false) => {
                    drop(black_box(paths::base_direct_server(line).expect("decodes")))
                }
                ("direct", true) => {
                    drop(black_box(paths::base_direct_client(line).expect("decodes")))
                }
                ("idiomatic", false) => {
                    drop(black_box(paths::base_idiomatic_server(line).expect("decodes")))
                }
                ("idiomatic", true) => {
                    drop(black_box(paths::base_idiomatic_client(line).expect("decodes")))
                }
                ("value", _) => drop(black_box(paths::value_parse(line).expect("JSON"))),
                _ => drop(black_box(paths::ignored_any_scan(line).expect("JSON"))),
            }
        }
    }
}
