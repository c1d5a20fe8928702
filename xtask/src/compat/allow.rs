//! `compat/allow.toml`: every deliberate change to a baseline's wire, each listed once with
//! its reason.
//!
//! ```toml
//! [[accept]]
//! baseline = "0.63.0"                     # optional: only against this baseline
//! kind = "made-nullable"                  # a kind of the report
//! at = "v2.Turn → variant failed → error" # the `at` of the report line
//! direction = "serverToClient"            # optional: `clientToServer` or `serverToClient`
//! reason = "C10: …"                       # required, not empty
//! ```
//!
//! A breaking or unknown change the file lists is reported as `accepted`; a safe one stays
//! `safe`. Both carry the reason in the report. Each change takes the first entry that
//! matches it; an entry that is the first match of no change (it matches nothing, or only
//! what an earlier entry already lists) is stale, and the check fails on it: the file lists
//! what is real, once.

use std::path::Path;

use toml_edit::{Document, Item, Table, Value};

use app_server_protocol::Direction;

use super::Change;
use super::rules::{Kind, Verdict};

/// One accepted change.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Line of the `[[accept]]` header, for messages.
    pub line: usize,
    /// Only against this baseline version.
    pub baseline: Option<String>,
    /// The kind of change.
    pub kind: Kind,
    /// The place, as the report prints it.
    pub at: String,
    /// Only in this direction.
    pub direction: Option<Direction>,
    /// Why the change is deliberate.
    pub reason: String,
}

impl Entry {
    fn matches(&self, baseline: &str, change: &Change) -> bool {
        self.baseline.as_deref().is_none_or(|b| b == baseline)
            && self.kind == change.kind
            && self.at == change.at
            && self.direction.is_none_or(|direction| direction == change.direction)
    }
}

fn line_of(text: &str, offset: Option<std::ops::Range<usize>>) -> usize {
    offset.map_or(0, |range| text[..range.start.min(text.len())].matches('\n').count() + 1)
}

/// Reads the allow file; a missing file accepts nothing.
pub fn load(path: &Path) -> Result<Vec<Entry>, String> {
    let shown = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(format!("{shown}: {err}")),
    };
    parse(&text).map_err(|err| format!("{shown}:{err}"))
}

/// Parses the text of an allow file. Errors start with the line number.
pub fn parse(text: &str) -> Result<Vec<Entry>, String> {
    let document =
        Document::parse(text).map_err(|err| format!(" {}", err.to_string().trim_end()))?;
    for (key, item) in document.iter() {
        if key != "accept" {
            let line = line_of(text, document.key(key).and_then(|k| k.span()));
            return Err(format!("{line}: unknown key `{key}` (expected `[[accept]]` entries)"));
        }
        if item.as_array_of_tables().is_none() {
            return Err(format!(
                "{}: `accept` must be an array of tables (`[[accept]]`)",
                line_of(text, item.span())
            ));
        }
    }
    let Some(tables) = document.get("accept").and_then(Item::as_array_of_tables) else {
        return Ok(Vec::new());
    };
    tables.iter().map(|table| entry(text, table)).collect()
}

fn entry(text: &str, table: &Table) -> Result<Entry, String> {
    let line = line_of(text, table.span());
    let value_line = |value: &Value| line_of(text, value.span()).max(line);
    let mut fields = std::collections::BTreeMap::new();
    for (key, item) in table.iter() {
        if !matches!(key, "baseline" | "kind" | "at" | "direction" | "reason") {
            return Err(format!(
                "{line}: unknown key `{key}` in [[accept]] (expected baseline, kind, at, direction, reason)"
            ));
        }
        let value = item.as_value().ok_or_else(|| format!("{line}: `{key}` must be a string"))?;
        let string = value
            .as_str()
            .ok_or_else(|| format!("{}: `{key}` must be a string", value_line(value)))?;
        fields.insert(key.to_owned(), (string.to_owned(), value_line(value)));
    }
    let required = |key: &str| {
        fields.get(key).cloned().ok_or_else(|| format!("{line}: [[accept]] has no `{key}`"))
    };
    let (kind_text, kind_line) = required("kind")?;
    let kind = Kind::parse(&kind_text).ok_or_else(|| {
        let known: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        format!("{kind_line}: unknown kind `{kind_text}` (one of: {})", known.join(", "))
    })?;
    let (at, _) = required("at")?;
    let (reason, reason_line) = required("reason")?;
    if reason.trim().is_empty() {
        return Err(format!("{reason_line}: `reason` is empty: say why the change is deliberate"));
    }
    let direction = match fields.get("direction") {
        None => None,
        Some((text, direction_line)) => Some(Direction::parse(text).ok_or_else(|| {
            format!(
                "{direction_line}: `direction` is `{text}`: expected `clientToServer` or `serverToClient`"
            )
        })?),
    };
    Ok(Entry {
        line,
        baseline: fields.get("baseline").map(|(b, _)| b.clone()),
        kind,
        at,
        direction,
        reason: reason.trim().to_owned(),
    })
}

/// Gives each change the reason of the first entry (for this baseline) that matches it; a
/// breaking or unknown change becomes `accepted`, a safe one stays safe. Returns the stale
/// entries: those that are the first match of no change.
pub fn apply<'e>(entries: &'e [Entry], baseline: &str, changes: &mut [Change]) -> Vec<&'e Entry> {
    let entries: Vec<&Entry> =
        entries.iter().filter(|e| e.baseline.as_deref().is_none_or(|b| b == baseline)).collect();
    let mut used = vec![false; entries.len()];
    for change in changes.iter_mut() {
        let Some(index) = entries.iter().position(|e| e.matches(baseline, change)) else {
            continue;
        };
        used[index] = true;
        change.reason = Some(entries[index].reason.clone());
        if change.verdict.fails() {
            change.verdict = Verdict::Accepted;
        }
    }
    entries.into_iter().zip(used).filter(|(_, used)| !used).map(|(entry, _)| entry).collect()
}
