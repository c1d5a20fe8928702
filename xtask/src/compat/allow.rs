//! `compat/allow.toml`: the breaking (or unknown) changes accepted on purpose, each with a
//! reason.
//!
//! ```toml
//! [[accept]]
//! baseline = "0.63.0"                     # optional: only against this baseline
//! kind = "made-nullable"                  # a kind of the report
//! at = "v2.Turn → variant failed → error" # the `at` of the report line
//! flow = "output"                         # optional: `input` or `output`
//! reason = "C10: …"                       # required, not empty
//! ```
//!
//! A change the file lists is reported as `accepted` with its reason. An entry that matches
//! no change of the compared baseline is an error too: the file only lists what is real.

use std::path::Path;

use toml_edit::{Document, Item, Table, Value};

use super::Change;
use super::rules::{Flow, Kind, Verdict};

/// One accepted change.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Line of the `[[accept]]` header, for messages.
    pub line: usize,
    pub baseline: Option<String>,
    pub kind: Kind,
    pub at: String,
    pub flow: Option<Flow>,
    pub reason: String,
}

impl Entry {
    fn matches(&self, baseline: &str, change: &Change) -> bool {
        self.baseline.as_deref().is_none_or(|b| b == baseline)
            && self.kind == change.kind
            && self.at == change.at
            && self.flow.is_none_or(|flow| Some(flow) == change.flow)
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
        if !matches!(key, "baseline" | "kind" | "at" | "flow" | "reason") {
            return Err(format!(
                "{line}: unknown key `{key}` in [[accept]] (expected baseline, kind, at, flow, reason)"
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
        return Err(format!("{reason_line}: `reason` is empty: say why the break is accepted"));
    }
    let flow = match fields.get("flow") {
        None => None,
        Some((text, flow_line)) => Some(Flow::parse(text).ok_or_else(|| {
            format!("{flow_line}: `flow` is `{text}`: expected `input` or `output`")
        })?),
    };
    Ok(Entry {
        line,
        baseline: fields.get("baseline").map(|(b, _)| b.clone()),
        kind,
        at,
        flow,
        reason: reason.trim().to_owned(),
    })
}

/// Marks the listed changes `accepted`; returns the entries (for this baseline) that matched
/// no breaking or unknown change.
pub fn apply<'e>(entries: &'e [Entry], baseline: &str, changes: &mut [Change]) -> Vec<&'e Entry> {
    let mut unused = Vec::new();
    for entry in entries.iter().filter(|e| e.baseline.as_deref().is_none_or(|b| b == baseline)) {
        let mut used = false;
        let listed = changes.iter_mut().filter(|c| entry.matches(baseline, c));
        for change in listed.filter(|c| {
            matches!(c.verdict, Verdict::Breaking | Verdict::Unknown | Verdict::Accepted)
        }) {
            used = true;
            change.verdict = Verdict::Accepted;
            change.reason = Some(entry.reason.clone());
        }
        if !used {
            unused.push(entry);
        }
    }
    unused
}
