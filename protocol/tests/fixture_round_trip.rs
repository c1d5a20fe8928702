//! Every method of the table, v1 and v2, against its wire fixtures (`fixtures/<v1|v2>/<method>/`):
//! each baseline-shaped message decodes with the decoder of its sender and re-encodes to the
//! same JSON value (same keys, same nulls), or to the `canonical` form a legacy input states.
//! A method without a fixture fails the test, by name.

use std::fs;
use std::path::{Path, PathBuf};

use app_server_protocol::Direction;
use app_server_protocol::transcript::TranscriptDecoder;
use app_server_protocol::{ApiGeneration, MethodMeta, all_methods};
use serde_json::Value;

fn fixtures_dir(meta: &MethodMeta) -> PathBuf {
    let generation = if meta.api == ApiGeneration::V1 { "v1" } else { "v2" };
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures").join(generation).join(meta.wire_name)
}

fn jsonl_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Round-trips one fixture file as one connection; returns the problems.
fn round_trip(file: &Path) -> Vec<String> {
    let text = fs::read_to_string(file).unwrap_or_else(|err| panic!("{}: {err}", file.display()));
    let mut transcript = TranscriptDecoder::new();
    let mut problems = Vec::new();
    for (index, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let at = format!("{}:{}", file.display(), index + 1);
        let entry: Value = serde_json::from_str(line).unwrap_or_else(|err| panic!("{at}: {err}"));
        let from = if entry["from"] == "client" {
            Direction::ClientToServer
        } else {
            Direction::ServerToClient
        };
        let message = &entry["message"];
        match transcript.decode(from, &message.to_string()) {
            Ok(decoded) => {
                let expected = entry.get("canonical").unwrap_or(message);
                let encoded = decoded.to_value().unwrap();
                if &encoded != expected {
                    problems
                        .push(format!("{at}: re-encoded as {encoded}\n    expected {expected}"));
                }
            }
            Err(err) => problems.push(format!("{at}: {err}")),
        }
    }
    problems
}

#[test]
fn every_method_has_fixtures_that_round_trip() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for meta in all_methods() {
        let files = jsonl_files(&fixtures_dir(meta));
        if files.is_empty() {
            problems.push(format!(
                "`{}` ({:?}): no fixture in {}",
                meta.wire_name,
                meta.api,
                fixtures_dir(meta).display()
            ));
        }
        for file in files {
            checked += 1;
            problems.extend(round_trip(&file));
        }
    }
    assert!(checked >= all_methods().count(), "only {checked} fixture files");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}
