//! Examples for OpenRPC and the API reference, taken from the wire fixtures.
//!
//! A fixture file (`fixtures/v1/**.jsonl`, `fixtures/v2/**.jsonl`) holds one exchange: one
//! line per message, each `{"from": "client" | "server", "message": {…}}` (optionally with
//! `"canonical"` for input-only legacy forms, and a `"note"`). The first exchange of each
//! method, in path order, is its example; legacy input forms are never used as examples.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use app_server_protocol::MethodMeta;
use serde_json::{Value, json};

/// One example exchange of a method.
#[derive(Debug, Clone)]
pub struct Example {
    /// The fixture it came from, relative to the workspace root.
    pub source: PathBuf,
    /// The request or notification, as on the wire.
    pub message: Value,
    /// The answer, for requests whose fixture has one.
    pub answer: Option<Value>,
}

/// Examples by wire method name.
#[derive(Debug, Default)]
pub struct Examples {
    by_method: BTreeMap<String, Example>,
}

impl Examples {
    /// Reads every fixture under `root/fixtures/v1` and `root/fixtures/v2`. A missing folder
    /// has no examples; an unreadable line is an error naming file and line.
    pub fn load(root: &Path) -> Result<Examples, String> {
        let mut files = Vec::new();
        for generation in ["v1", "v2"] {
            let dir = root.join("fixtures").join(generation);
            let tree = super::read_tree(&dir)
                .map_err(|err| format!("reading {}: {err}", dir.display()))?;
            files.extend(
                tree.into_iter()
                    .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
                    .map(|p| dir.join(p)),
            );
        }
        files.sort();
        let mut examples = Examples::default();
        for file in files {
            examples.add_file(root, &file)?;
        }
        Ok(examples)
    }

    fn add_file(&mut self, root: &Path, file: &Path) -> Result<(), String> {
        let text =
            fs::read_to_string(file).map_err(|err| format!("reading {}: {err}", file.display()))?;
        let source = file.strip_prefix(root).unwrap_or(file).to_path_buf();
        let mut lines = Vec::new();
        for (index, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let entry: Value = serde_json::from_str(line)
                .map_err(|err| format!("{}:{}: not JSON: {err}", source.display(), index + 1))?;
            lines.push(entry);
        }
        let Some(first) = lines.first() else { return Ok(()) };
        if first.get("canonical").is_some() {
            return Ok(());
        }
        let message = first.get("message").cloned().unwrap_or(Value::Null);
        let Some(method) = message.get("method").and_then(Value::as_str).map(str::to_owned) else {
            return Ok(());
        };
        let answer = message.get("id").and_then(|id| {
            lines[1..]
                .iter()
                .filter_map(|l| l.get("message"))
                .find(|m| m.get("id") == Some(id) && m.get("method").is_none())
                .cloned()
        });
        self.by_method.entry(method).or_insert(Example { source, message, answer });
        Ok(())
    }

    /// The example of a method, if a fixture has one: the one of its wire name, or for a
    /// method family the first, in path order, of the names of the family.
    pub fn of(&self, meta: &MethodMeta) -> Option<&Example> {
        if meta.family.is_none() {
            return self.by_method.get(meta.wire_name);
        }
        self.by_method
            .iter()
            .filter(|(name, _)| meta.answers_to(name))
            .map(|(_, example)| example)
            .min_by(|a, b| a.source.cmp(&b.source))
    }

    /// The method's example as OpenRPC example pairings (by-name params).
    pub fn openrpc_examples(&self, meta: &MethodMeta) -> Vec<Value> {
        let Some(example) = self.of(meta) else { return Vec::new() };
        let method = meta.wire_name;
        let params: Vec<Value> = example
            .message
            .get("params")
            .and_then(Value::as_object)
            .map(|p| {
                p.iter().map(|(name, value)| json!({ "name": name, "value": value })).collect()
            })
            .unwrap_or_default();
        let mut pairing = json!({
            "name": example.source.file_stem().and_then(|s| s.to_str()).unwrap_or(method),
            "description": format!("From {}", example.source.display().to_string().replace('\\', "/")),
            "params": params,
        });
        if let Some(result) = example.answer.as_ref().and_then(|a| a.get("result")) {
            pairing["result"] = json!({ "name": "result", "value": result });
        }
        vec![pairing]
    }
}
