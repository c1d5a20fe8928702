//! Write or check: put the rendered tree on disk in one step, or compare it with what is there.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use similar::TextDiff;

use super::OutputFiles;

/// What a write changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct WriteSummary {
    /// Files in the new tree.
    pub written: usize,
    /// Files that did not exist or whose bytes changed.
    pub changed: usize,
    /// Files of the old tree no longer produced.
    pub removed: usize,
}

/// Every file under `dir`, relative to it, sorted. A missing `dir` has no files.
pub fn read_tree(dir: &Path) -> io::Result<BTreeSet<PathBuf>> {
    let mut found = BTreeSet::new();
    if !dir.exists() {
        return Ok(found);
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current)? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                stack.push(path);
            } else if let Ok(relative) = path.strip_prefix(dir) {
                found.insert(relative.to_path_buf());
            }
        }
    }
    Ok(found)
}

/// Replaces `out` with exactly `files`: the new tree is written into a temporary sibling
/// folder, then swapped in by rename. If anything fails before the swap, `out` is untouched
/// and the temporary folder is removed.
pub fn write(out: &Path, files: &OutputFiles) -> Result<WriteSummary, String> {
    let summary = summarize(out, files).map_err(|err| format!("reading {}: {err}", out.display()))?;
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("generated");
    fs::create_dir_all(parent).map_err(|err| format!("creating {}: {err}", parent.display()))?;
    let staging = parent.join(format!(".{name}.new-{}", std::process::id()));
    let retired = parent.join(format!(".{name}.old-{}", std::process::id()));

    let staged = stage(&staging, files);
    if let Err(err) = staged {
        let _ = fs::remove_dir_all(&staging);
        return Err(err);
    }
    let had_old = out.exists();
    if had_old {
        if let Err(err) = fs::rename(out, &retired) {
            let _ = fs::remove_dir_all(&staging);
            return Err(format!("cannot replace {}: {err}", out.display()));
        }
    }
    if let Err(err) = fs::rename(&staging, out) {
        if had_old {
            let _ = fs::rename(&retired, out);
        }
        let _ = fs::remove_dir_all(&staging);
        return Err(format!("cannot move the new tree into {}: {err}", out.display()));
    }
    if had_old {
        fs::remove_dir_all(&retired).map_err(|err| format!("removing the old tree {}: {err}", retired.display()))?;
    }
    Ok(summary)
}

fn stage(staging: &Path, files: &OutputFiles) -> Result<(), String> {
    if staging.exists() {
        fs::remove_dir_all(staging).map_err(|err| format!("clearing {}: {err}", staging.display()))?;
    }
    for (relative, text) in files {
        let path = staging.join(relative);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|err| format!("creating {}: {err}", dir.display()))?;
        }
        fs::write(&path, text).map_err(|err| format!("writing {}: {err}", path.display()))?;
    }
    Ok(())
}

fn summarize(out: &Path, files: &OutputFiles) -> io::Result<WriteSummary> {
    let existing = read_tree(out)?;
    let mut summary = WriteSummary { written: files.len(), ..WriteSummary::default() };
    for (relative, text) in files {
        let same = existing.contains(relative) && fs::read(out.join(relative))? == text.as_bytes();
        if !same {
            summary.changed += 1;
        }
    }
    summary.removed = existing.iter().filter(|p| !files.contains_key(*p)).count();
    Ok(summary)
}

/// A file whose bytes on disk differ from what codegen renders.
#[derive(Debug, PartialEq, Eq)]
pub enum Stale {
    /// Rendered, not on disk.
    Missing(PathBuf),
    /// On disk with other bytes.
    Changed(PathBuf),
    /// On disk, no longer rendered.
    Extra(PathBuf),
}

/// Compares `files` with the tree under `out`. Returns every stale file and, per file, a
/// unified diff (current → expected).
pub fn check(out: &Path, files: &OutputFiles) -> Result<Vec<(Stale, String)>, String> {
    let existing = read_tree(out).map_err(|err| format!("reading {}: {err}", out.display()))?;
    let mut stale = Vec::new();
    for (relative, expected) in files {
        let label = Path::new("generated").join(relative).display().to_string();
        if !existing.contains(relative) {
            stale.push((Stale::Missing(relative.clone()), unified_diff("", expected, "/dev/null", &label)));
            continue;
        }
        let current = fs::read(out.join(relative)).map_err(|err| format!("reading {}: {err}", relative.display()))?;
        if current != expected.as_bytes() {
            let current = String::from_utf8_lossy(&current);
            stale.push((Stale::Changed(relative.clone()), unified_diff(&current, expected, &label, &label)));
        }
    }
    for relative in existing.iter().filter(|p| !files.contains_key(*p)) {
        let label = Path::new("generated").join(relative).display().to_string();
        let current = fs::read(out.join(relative)).unwrap_or_default();
        let current = String::from_utf8_lossy(&current);
        stale.push((Stale::Extra(relative.clone()), unified_diff(&current, "", &label, "/dev/null")));
    }
    Ok(stale)
}

fn unified_diff(current: &str, expected: &str, from: &str, to: &str) -> String {
    TextDiff::from_lines(current, expected).unified_diff().context_radius(3).header(from, to).to_string()
}
