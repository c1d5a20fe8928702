//! `cargo xtask layout`: checks of the repository's shape that no compiler makes: no file
//! import cycles in any crate ([`cycles`]), and ARCHITECTURE.md's dependency table true to
//! `cargo metadata` ([`architecture`]).

pub mod architecture;
pub mod cycles;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The source folder of every crate of the workspace (its members' `src/`).
pub fn crate_sources(root: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let manifest = std::fs::read_to_string(root.join("Cargo.toml"))
        .map_err(|error| format!("Cargo.toml: {error}"))?;
    let doc: toml_edit::DocumentMut =
        manifest.parse().map_err(|error| format!("Cargo.toml: {error}"))?;
    let members = doc["workspace"]["members"]
        .as_array()
        .ok_or("Cargo.toml: `workspace.members` is not an array of folders")?;
    Ok(members
        .iter()
        .filter_map(|member| member.as_str())
        .map(|member| (member.to_owned(), root.join(member).join("src")))
        .collect())
}

/// Every file cycle of every crate, as lines to print (`crate: a.rs → b.rs → a.rs`).
pub fn cycle_report(root: &Path) -> Result<Vec<String>, String> {
    let mut lines = Vec::new();
    for (member, src) in crate_sources(root)? {
        for cycle in cycles::cycles_of_crate(&src)? {
            let mut names: Vec<String> =
                cycle.iter().map(|file| file.display().to_string()).collect();
            names.push(names[0].clone());
            lines.push(format!("{member}/src: {}", names.join(" → ")));
        }
    }
    Ok(lines)
}

/// Runs both checks; exit 1 when one fails.
pub fn run(root: &Path) -> Result<ExitCode, String> {
    let cycles = cycle_report(root)?;
    for line in &cycles {
        println!("file cycle: {line}");
    }
    let drift = architecture::dependency_table_drift(root)?;
    for line in &drift {
        println!("ARCHITECTURE.md: {line}");
    }
    if cycles.is_empty() && drift.is_empty() {
        println!("layout: no file cycles in any crate; ARCHITECTURE.md's dependency table is true");
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::FAILURE)
    }
}

#[cfg(test)]
mod tests;
