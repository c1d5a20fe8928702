//! Benchmarks of `app-server-protocol` side by side with the published baseline crate
//! (`codex-app-server-protocol` 0.63.0). See `RESULTS.md`.
//!
//! The corpora are generated ([`corpus`]); only the lines that both crates accept go into the
//! side-by-side groups ([`side_by_side`]), and the excluded lines are counted by reason.

pub mod corpus;
pub mod paths;

use std::collections::BTreeMap;

use app_server_protocol::PendingRequests;

use corpus::Line;
use paths::Prepared;

/// The two corpora at the sizes the benchmarks use.
pub fn server_corpus() -> Vec<Line> {
    corpus::server_stream(16, 8)
}

pub fn client_corpus() -> Vec<Line> {
    corpus::client_mix(3000)
}

/// The delta notifications of a server group (`item/agentMessage/delta`,
/// `item/commandExecution/outputDelta`, reasoning deltas): the `decode_server_deltas` group.
pub fn deltas(lines: &[Prepared]) -> Vec<Prepared> {
    lines
        .iter()
        .filter(|line| line.kind == corpus::Kind::Notification && line.method.contains("elta"))
        .map(|line| Prepared {
            text: line.text.clone(),
            kind: line.kind,
            method: line.method,
            answers: None,
        })
        .collect()
}

/// The lines of a corpus that both crates accept, and why the others were left out.
pub struct SideBySide {
    pub lines: Vec<Prepared>,
    /// `(method, who rejected it, first words of the error)` → how many lines.
    pub excluded: BTreeMap<(String, &'static str, String), usize>,
    pub total: usize,
}

impl SideBySide {
    pub fn bytes(&self) -> usize {
        self.lines.iter().map(|line| line.text.len()).sum()
    }

    /// A human-readable account of the exclusions.
    pub fn report(&self, name: &str) -> String {
        let excluded: usize = self.excluded.values().sum();
        let mut text = format!(
            "{name}: {} of {} generated lines in the side-by-side group ({} bytes); {excluded} excluded\n",
            self.lines.len(),
            self.total,
            self.bytes()
        );
        for ((method, side, why), count) in &self.excluded {
            text.push_str(&format!("  {count:>5} × {method}: rejected by {side}: {why}\n"));
        }
        text
    }
}

fn short(error: &str) -> String {
    let error = match error.find(" at line ") {
        Some(at) => &error[..at],
        None => error,
    };
    error.chars().take(110).collect()
}

fn keep(
    lines: &[Line],
    mut accepts: impl FnMut(&Prepared) -> Vec<(&'static str, String)>,
) -> SideBySide {
    let mut side = SideBySide { lines: Vec::new(), excluded: BTreeMap::new(), total: lines.len() };
    for line in lines {
        let prepared = Prepared::from(line);
        let rejections = accepts(&prepared);
        if rejections.is_empty() {
            side.lines.push(prepared);
        } else {
            let who = rejections.iter().map(|(side, _)| *side).collect::<Vec<_>>();
            let who: &'static str = match who.as_slice() {
                ["ours"] => "ours",
                ["ours", ..] => "both",
                _ => "baseline",
            };
            let why = short(&rejections[0].1);
            *side.excluded.entry((line.method.to_owned(), who, why)).or_default() += 1;
        }
    }
    side
}

fn check<T, E: ToString>(
    side: &'static str,
    result: Result<T, E>,
    out: &mut Vec<(&'static str, String)>,
) {
    if let Err(err) = result {
        out.push((side, err.to_string()));
    }
}

/// The server → client lines every path decodes.
pub fn server_side_by_side(lines: &[Line]) -> SideBySide {
    keep(lines, |line| {
        let mut rejected = Vec::new();
        check("ours", paths::ours_decode_server(line, &mut PendingRequests::new()), &mut rejected);
        check("baseline", paths::base_idiomatic_server(line), &mut rejected);
        check("baseline", paths::base_direct_server(line), &mut rejected);
        rejected
    })
}

/// The client → server lines every path decodes.
pub fn client_side_by_side(lines: &[Line]) -> SideBySide {
    keep(lines, |line| {
        let mut rejected = Vec::new();
        check("ours", paths::ours_decode_client(line, &mut PendingRequests::new()), &mut rejected);
        check("baseline", paths::base_idiomatic_client(line), &mut rejected);
        check("baseline", paths::base_direct_client(line), &mut rejected);
        rejected
    })
}
