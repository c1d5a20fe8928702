//! ARCHITECTURE.md's dependency table ("| crate | may depend on | never on |") against what
//! `cargo metadata` says each crate depends on (normal and build dependencies, optional ones
//! included; dev-dependencies are the tests' business): every crate of the workspace has a
//! row, every dependency is named in its "may depend on" cell, none in its "never on" cell, and
//! every crate the cell names is really a dependency.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// How the table names the workspace's own crates (besides their package names).
const OUR_NAMES: &[(&str, &str)] = &[
    ("app-server-protocol", "the protocol crate"),
    ("app-server-protocol-derive", "its derive"),
    ("app-server-peer", "the peer"),
    ("app-server-behaviour", "behaviour"),
    ("app-server-config-edit", "config-edit"),
    ("app-server-exec-policy", "exec-policy"),
];

/// One row of the table.
#[derive(Debug)]
struct Row {
    may: String,
    never: String,
}

/// What is untrue in the table, one line per finding (empty when it is true).
pub fn dependency_table_drift(root: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(root.join("ARCHITECTURE.md"))
        .map_err(|error| format!("ARCHITECTURE.md: {error}"))?;
    let rows = table_rows(&text);
    let dependencies = workspace_dependencies(root)?;
    Ok(drift(&rows, &dependencies))
}

fn drift(
    rows: &BTreeMap<String, Row>,
    dependencies: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<String> {
    let known: BTreeSet<&String> =
        dependencies.values().flatten().chain(dependencies.keys()).collect();
    let mut findings = Vec::new();
    for (krate, uses) in dependencies {
        let Some(row) = rows.get(krate) else {
            findings.push(format!("no row for `{krate}`"));
            continue;
        };
        for dependency in uses {
            if !mentions(&row.may, dependency) {
                findings.push(format!(
                    "`{krate}` depends on `{dependency}`, which its \"may depend on\" cell does not name"
                ));
            }
            if mentions(&row.never, dependency) {
                findings.push(format!(
                    "`{krate}` depends on `{dependency}`, which its \"never on\" cell names"
                ));
            }
        }
        for name in &known {
            if name.as_str() != krate && !uses.contains(*name) && mentions(&row.may, name) {
                findings.push(format!(
                    "`{krate}`'s \"may depend on\" cell names `{name}`, which it does not depend on"
                ));
            }
        }
    }
    for krate in rows.keys().filter(|krate| !dependencies.contains_key(*krate)) {
        findings.push(format!("a row for `{krate}`, which is not a crate of the workspace"));
    }
    findings
}

/// The rows of the first table whose header starts `| crate | may depend on |`, by crate.
fn table_rows(text: &str) -> BTreeMap<String, Row> {
    let mut rows = BTreeMap::new();
    let mut lines = text.lines().skip_while(|line| !line.starts_with("| crate | may depend on |"));
    lines.next();
    for line in lines.skip(1).take_while(|line| line.starts_with('|')) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        if let [krate, may, never] = cells[..] {
            let krate = krate.trim_matches('`').to_owned();
            rows.insert(krate, Row { may: may.to_owned(), never: never.to_owned() });
        }
    }
    rows
}

/// Whether `cell` names the crate `name`: its package name as a word, or for one of ours the
/// name the table uses for it.
fn mentions(cell: &str, name: &str) -> bool {
    let ours = OUR_NAMES.iter().find(|(package, _)| *package == name).map(|(_, words)| *words);
    contains_word(cell, name) || ours.is_some_and(|words| contains_word(cell, words))
}

fn contains_word(text: &str, word: &str) -> bool {
    let is_name_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(is_name_char) && !after.is_some_and(is_name_char)
    })
}

/// Each workspace crate's normal and build dependencies, by package name.
fn workspace_dependencies(root: &Path) -> Result<BTreeMap<String, BTreeSet<String>>, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .current_dir(root)
        .output()
        .map_err(|error| format!("cargo metadata: {error}"))?;
    if !output.status.success() {
        return Err(format!("cargo metadata: {}", String::from_utf8_lossy(&output.stderr)));
    }
    let metadata: Value = serde_json::from_slice(&output.stdout)
        .map_err(|error| format!("cargo metadata: {error}"))?;
    let mut out = BTreeMap::new();
    for package in metadata["packages"].as_array().into_iter().flatten() {
        let Some(name) = package["name"].as_str() else { continue };
        let uses = package["dependencies"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|dependency| dependency["kind"].as_str() != Some("dev"))
            .filter_map(|dependency| dependency["name"].as_str().map(str::to_owned))
            .collect();
        out.insert(name.to_owned(), uses);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(may: &str, never: &str) -> Row {
        Row { may: may.to_owned(), never: never.to_owned() }
    }

    #[test]
    fn a_missing_an_extra_and_a_forbidden_dependency_are_each_found() {
        let rows = BTreeMap::from([
            ("app-server-peer".to_owned(), row("the protocol crate, tokio, memchr", "xtask")),
            ("xtask".to_owned(), row("the peer, clap", "—")),
        ]);
        let dependencies = BTreeMap::from([
            (
                "app-server-peer".to_owned(),
                BTreeSet::from(["app-server-protocol".to_owned(), "tokio".to_owned()]),
            ),
            (
                "xtask".to_owned(),
                BTreeSet::from(["app-server-peer".to_owned(), "clap".to_owned(), "sha2".into()]),
            ),
            ("kit".to_owned(), BTreeSet::new()),
        ]);
        let findings = drift(&rows, &dependencies);
        assert_eq!(
            findings,
            [
                "no row for `kit`",
                "`xtask` depends on `sha2`, which its \"may depend on\" cell does not name",
            ],
            "memchr is named but not a known crate here, so it is not judged"
        );
        let rows = BTreeMap::from([("kit".to_owned(), row("tokio", "the peer"))]);
        let dependencies =
            BTreeMap::from([("kit".to_owned(), BTreeSet::from(["app-server-peer".to_owned()]))]);
        let findings = drift(&rows, &dependencies);
        assert_eq!(findings.len(), 2, "{findings:?}");
    }

    #[test]
    fn a_word_is_matched_whole() {
        assert!(contains_word("tokio, serde_json (x)", "serde_json"));
        assert!(!contains_word("tokio-tungstenite", "tokio"));
        assert!(!contains_word("serde_json", "serde"));
    }
}
