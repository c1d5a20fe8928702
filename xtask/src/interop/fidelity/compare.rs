//! Reading the two transcripts into steps of events, and the differences between them.
//!
//! A transcript is cut at each request the client sends: step *i* holds what the server
//! sent after the *i*-th request and before the next one. Each server line becomes one
//! event: a notification its method (`item/started`, `codex/event/task_started`), a server
//! request `request METHOD #ID`, an answer to the client `answer METHOD: ok` or
//! `answer METHOD: error CODE`. What a server sends when a thread starts
//! (`thread/started`, `codex/event/mcp_startup_complete`) comes at a time of its own choosing
//! (a released server sends it from another task), so it is compared per session
//! (step `session`) rather than in order.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde_json::Value;
use similar::{Algorithm, DiffOp, capture_diff_slices};

use super::difference::{Difference, Side};
use super::list::{Entry, Judged};

/// Events compared per session, not in order.
const UNORDERED: &[&str] = &["thread/started", "codex/event/mcp_startup_complete"];

/// One transcript, cut into the script's steps.
#[derive(Debug, Default)]
pub struct Steps {
    /// For each step (in script order), its name and events.
    pub steps: Vec<(String, Vec<String>)>,
    /// The unordered events of the whole session, with their counts.
    pub unordered: BTreeMap<String, usize>,
}

/// Reads a transcript (`> ` client lines, `< ` server lines) into the steps named `names`.
pub fn read(path: &Path, names: &[&str]) -> Result<Steps, String> {
    let text = std::fs::read_to_string(path).map_err(|err| format!("{}: {err}", path.display()))?;
    let mut out = Steps::default();
    let mut pending: HashMap<String, String> = HashMap::new();
    for (index, line) in text.lines().enumerate() {
        let at = || format!("{}:{}", path.display(), index + 1);
        let (client, json) = match line.split_at_checked(2) {
            Some(("> ", json)) => (true, json),
            Some(("< ", json)) => (false, json),
            _ => return Err(format!("{}: not a transcript line (`> ` or `< ` first)", at())),
        };
        let message: Value =
            serde_json::from_str(json).map_err(|err| format!("{}: {err}", at()))?;
        let method = message.get("method").and_then(Value::as_str);
        let id = message.get("id").map(Value::to_string);
        if client {
            if let (Some(method), Some(id)) = (method, id) {
                let Some(name) = names.get(out.steps.len()) else {
                    return Err(format!("{}: more requests than the script's steps", at()));
                };
                pending.insert(id, method.to_owned());
                out.steps.push(((*name).to_owned(), Vec::new()));
            }
            continue;
        }
        let event = match (method, id) {
            (Some(method), None) if UNORDERED.contains(&method) => {
                *out.unordered.entry(method.to_owned()).or_default() += 1;
                continue;
            }
            (Some(method), None) => method.to_owned(),
            (Some(method), Some(id)) => format!("request {method} #{id}"),
            (None, Some(id)) => {
                let method = pending.remove(&id).unwrap_or_else(|| format!("(unknown id {id})"));
                match message.pointer("/error/code") {
                    Some(code) => format!("answer {method}: error {code}"),
                    None => format!("answer {method}: ok"),
                }
            }
            (None, None) => return Err(format!("{}: neither a method nor an id", at())),
        };
        match out.steps.last_mut() {
            Some((_, events)) => events.push(event),
            None => return Err(format!("{}: the server spoke before any request", at())),
        }
    }
    if out.steps.len() != names.len() {
        return Err(format!(
            "{}: {} requests, the script has {} steps (the session stopped early?)",
            path.display(),
            out.steps.len(),
            names.len()
        ));
    }
    Ok(out)
}

/// The differences of `mock` from `release`, step by step (an edit script of the two event
/// sequences), then the unordered events' counts.
pub fn differences(release: &Steps, mock: &Steps) -> Vec<Difference> {
    let mut found: BTreeMap<(usize, String, Side, String), usize> = BTreeMap::new();
    for (index, ((step, ours), (_, theirs))) in release.steps.iter().zip(&mock.steps).enumerate() {
        for op in capture_diff_slices(Algorithm::Myers, ours, theirs) {
            let (old, new) = match op {
                DiffOp::Equal { .. } => continue,
                DiffOp::Delete { old_index, old_len, .. } => (old_index..old_index + old_len, 0..0),
                DiffOp::Insert { new_index, new_len, .. } => (0..0, new_index..new_index + new_len),
                DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                    (old_index..old_index + old_len, new_index..new_index + new_len)
                }
            };
            for event in &ours[old] {
                *found.entry((index, step.clone(), Side::Release, event.clone())).or_default() += 1;
            }
            for event in &theirs[new] {
                *found.entry((index, step.clone(), Side::Mock, event.clone())).or_default() += 1;
            }
        }
    }
    let session = release.steps.len();
    let events: std::collections::BTreeSet<&String> =
        release.unordered.keys().chain(mock.unordered.keys()).collect();
    for event in events {
        let ours = release.unordered.get(event).copied().unwrap_or(0);
        let theirs = mock.unordered.get(event).copied().unwrap_or(0);
        let key = |side| (session, "session".to_owned(), side, event.clone());
        if ours > theirs {
            found.insert(key(Side::Release), ours - theirs);
        } else if theirs > ours {
            found.insert(key(Side::Mock), theirs - ours);
        }
    }
    found
        .into_iter()
        .map(|((_, step, side, event), count)| Difference { step, side, event, count })
        .collect()
}

/// Events both sides sent, per step (the length of the longest common subsequence).
fn agreed(release: &[String], mock: &[String]) -> usize {
    capture_diff_slices(Algorithm::Myers, release, mock)
        .iter()
        .map(|op| match op {
            DiffOp::Equal { len, .. } => *len,
            _ => 0,
        })
        .sum()
}

/// The report: per step what agreed and each difference with the entry that lists it, then
/// the unlisted differences and the stale entries.
pub fn render(
    version: &str,
    release: &Steps,
    mock: &Steps,
    differences: &[Difference],
    entries: &[Entry],
    judged: &Judged,
) -> String {
    let mut out = format!("fidelity: the mock against {version}, step by step\n");
    let mut total = 0;
    for ((step, ours), (_, theirs)) in release.steps.iter().zip(&mock.steps) {
        let same = agreed(ours, theirs);
        total += same;
        out.push_str(&format!(
            "  {step}: {same} events agreed ({} from {version}, {} from the mock)\n",
            ours.len(),
            theirs.len()
        ));
        for (index, difference) in differences.iter().enumerate() {
            if &difference.step == step {
                out.push_str(&line(difference, entries, judged.covered_by[index]));
            }
        }
    }
    let common: usize = release
        .unordered
        .iter()
        .map(|(e, n)| (*n).min(mock.unordered.get(e).copied().unwrap_or(0)))
        .sum();
    out.push_str(&format!(
        "  session (unordered {}): {common} events agreed\n",
        UNORDERED.join(", ")
    ));
    for (index, difference) in differences.iter().enumerate() {
        if difference.step == "session" {
            out.push_str(&line(difference, entries, judged.covered_by[index]));
        }
    }
    let listed = judged.covered_by.iter().filter(|by| by.is_some()).count();
    let unlisted = differences.len() - listed;
    let stale: Vec<&str> = judged.stale(entries).iter().map(|entry| entry.id.as_str()).collect();
    out.push_str(&format!(
        "fidelity: {total} events agreed, {listed} listed differences, {unlisted} unlisted, {} stale entries{}\n",
        stale.len(),
        if stale.is_empty() { String::new() } else { format!(" ({})", stale.join(", ")) },
    ));
    out.push_str(if judged.passed() { "fidelity: PASS\n" } else { "fidelity: FAIL\n" });
    out
}

fn line(difference: &Difference, entries: &[Entry], by: Option<usize>) -> String {
    let listed = match by {
        Some(index) => format!("listed: {}", entries[index].id),
        None => "NOT LISTED".to_owned(),
    };
    format!(
        "    {} only (×{}): {}  [{listed}]\n",
        difference.side.as_str(),
        difference.count,
        difference.event
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(events: &[&[&str]]) -> Steps {
        Steps {
            steps: events
                .iter()
                .enumerate()
                .map(|(i, e)| (format!("s{i}"), e.iter().map(|s| (*s).to_owned()).collect()))
                .collect(),
            unordered: BTreeMap::new(),
        }
    }

    #[test]
    fn differences_name_the_step_the_side_and_the_count() {
        let release = steps(&[&["a", "x", "b", "x", "c"], &["d"]]);
        let mock = steps(&[&["a", "b", "c", "y"], &["d"]]);
        let found = differences(&release, &mock);
        assert_eq!(
            found,
            vec![
                Difference { step: "s0".into(), side: Side::Release, event: "x".into(), count: 2 },
                Difference { step: "s0".into(), side: Side::Mock, event: "y".into(), count: 1 },
            ]
        );
        assert_eq!(agreed(&release.steps[0].1, &mock.steps[0].1), 3);
    }

    #[test]
    fn transcripts_are_cut_at_each_client_request() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.jsonl");
        std::fs::write(
            &path,
            concat!(
                "> {\"id\":1,\"method\":\"initialize\",\"params\":{}}\n",
                "< {\"id\":1,\"result\":{}}\n",
                "> {\"id\":2,\"method\":\"turn/start\",\"params\":{}}\n",
                "< {\"method\":\"thread/started\",\"params\":{}}\n",
                "< {\"id\":0,\"method\":\"item/fileChange/requestApproval\",\"params\":{}}\n",
                "> {\"id\":0,\"result\":{}}\n",
                "< {\"id\":2,\"error\":{\"code\":-32600,\"message\":\"no\"}}\n",
            ),
        )
        .unwrap();
        let read = read(&path, &["init", "turn"]).unwrap();
        assert_eq!(read.steps[0].1, ["answer initialize: ok"]);
        assert_eq!(
            read.steps[1].1,
            ["request item/fileChange/requestApproval #0", "answer turn/start: error -32600"]
        );
        assert_eq!(read.unordered.get("thread/started"), Some(&1));
        let error = super::read(&path, &["init"]).unwrap_err();
        assert!(error.contains("t.jsonl:3: more requests"), "{error}");
    }
}
