//! The committed list of differences between the mock and a release
//! (`interop/<version>/fidelity.toml`): each entry names a side, an event (exact, or a
//! prefix ending in `*`), optionally a step, and why the difference is there. Every
//! difference must be covered by an entry, and every entry must cover one: a stale entry
//! fails the test as an unlisted difference does.

use std::path::Path;

use super::difference::{Difference, Side};
use crate::interop::releases::string_tables;

/// One entry of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its name in the report.
    pub id: String,
    /// The side that sends the event.
    pub side: Side,
    /// The event, or a prefix of it ending in `*`.
    pub event: String,
    /// The step it is seen in; any step when `None`.
    pub step: Option<String>,
    /// Why the mock differs there.
    pub reason: String,
}

impl Entry {
    /// Whether this entry covers `difference`.
    fn covers(&self, difference: &Difference) -> bool {
        let event = match self.event.strip_suffix('*') {
            Some(prefix) => difference.event.starts_with(prefix),
            None => difference.event == self.event,
        };
        event
            && self.side == difference.side
            && self.step.as_ref().is_none_or(|step| *step == difference.step)
    }
}

/// Reads a list file.
pub fn load(path: &Path) -> Result<Vec<Entry>, String> {
    let text = std::fs::read_to_string(path).map_err(|err| format!("{}: {err}", path.display()))?;
    parse(&text).map_err(|err| format!("{}:{err}", path.display()))
}

/// Parses a list file's text; errors start with the line number.
pub fn parse(text: &str) -> Result<Vec<Entry>, String> {
    let tables = string_tables(text, "difference", &["id", "side", "event", "step", "reason"])?;
    let mut entries: Vec<Entry> = Vec::new();
    for table in tables {
        let id = table.required("id")?;
        if entries.iter().any(|entry| entry.id == id) {
            return Err(format!("{}: id `{id}` is listed twice", table.line_of("id")));
        }
        let side = match table.required("side")?.as_str() {
            "release" => Side::Release,
            "mock" => Side::Mock,
            other => {
                return Err(format!(
                    "{}: `side` is `{other}`, expected `release` or `mock`",
                    table.line_of("side")
                ));
            }
        };
        let step = table.optional("step");
        if let Some(step) = &step
            && step != "session"
            && !super::STEPS.contains(&step.as_str())
        {
            return Err(format!(
                "{}: no step `{step}` (steps: session, {})",
                table.line_of("step"),
                super::STEPS.join(", ")
            ));
        }
        entries.push(Entry {
            id,
            side,
            event: table.required("event")?,
            step,
            reason: table.required("reason")?,
        });
    }
    Ok(entries)
}

/// What the list says of the differences.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Judged {
    /// For each difference, the first entry covering it.
    pub covered_by: Vec<Option<usize>>,
    /// For each entry, how many differences it covers.
    pub counts: Vec<usize>,
}

impl Judged {
    /// Every difference is listed and no entry is stale.
    pub fn passed(&self) -> bool {
        self.covered_by.iter().all(Option::is_some) && self.counts.iter().all(|n| *n > 0)
    }

    /// The entries that cover nothing.
    pub fn stale<'e>(&self, entries: &'e [Entry]) -> Vec<&'e Entry> {
        entries.iter().zip(&self.counts).filter(|(_, n)| **n == 0).map(|(e, _)| e).collect()
    }
}

/// Gives each difference the first entry that covers it.
pub fn judge(entries: &[Entry], differences: &[Difference]) -> Judged {
    let mut counts = vec![0; entries.len()];
    let covered_by = differences
        .iter()
        .map(|difference| {
            let index = entries.iter().position(|entry| entry.covers(difference))?;
            counts[index] += 1;
            Some(index)
        })
        .collect();
    Judged { covered_by, counts }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn difference(step: &str, side: Side, event: &str) -> Difference {
        Difference { step: step.into(), side, event: event.into(), count: 1 }
    }

    #[test]
    fn entries_cover_by_side_event_and_step_and_stale_ones_fail() {
        let entries = parse(
            r#"
[[difference]]
id = "usage"
side = "release"
event = "thread/tokenUsage/*"
reason = "not in the contract"

[[difference]]
id = "declined"
side = "mock"
event = "item/completed"
step = "v2 command declined"
reason = "why"
"#,
        )
        .unwrap();
        let found = [
            difference("v2 text turn", Side::Release, "thread/tokenUsage/updated"),
            difference("v2 text turn", Side::Mock, "thread/tokenUsage/updated"),
            difference("v2 command declined", Side::Mock, "item/completed"),
        ];
        let judged = judge(&entries, &found);
        assert_eq!(judged.covered_by, [Some(0), None, Some(1)]);
        assert!(!judged.passed());
        let judged = judge(&entries, &found[..1]);
        assert_eq!(judged.stale(&entries)[0].id, "declined");
        assert!(!judged.passed());
        assert!(judge(&entries, &[found[0].clone(), found[2].clone()]).passed());
    }

    #[test]
    fn bad_entries_say_where() {
        let error =
            parse("[[difference]]\nid = \"a\"\nside = \"both\"\nevent = \"x\"\nreason = \"r\"\n")
                .unwrap_err();
        assert!(error.starts_with("3: `side` is `both`"), "{error}");
        let error = parse(
            "[[difference]]\nid = \"a\"\nside = \"mock\"\nevent = \"x\"\nstep = \"nope\"\nreason = \"r\"\n",
        )
        .unwrap_err();
        assert!(error.starts_with("5: no step `nope`"), "{error}");
    }
}
