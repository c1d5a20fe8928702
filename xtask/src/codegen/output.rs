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
/// and the temporary folder is removed; if the swap itself fails, the previous tree is put
/// back. A read-only target (`out`, a folder in it, or its parent) is refused up front, even
/// where the OS would let this user write (root), since writing there is not what was meant.
/// Temporary folders that a killed earlier run left behind are removed.
pub fn write(out: &Path, files: &OutputFiles) -> Result<WriteSummary, String> {
    write_with(out, files, None)
}

/// Where [`write_with`] fails on purpose, to test that a failure anywhere leaves the previous
/// tree as it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(test), allow(dead_code))]
pub(super) enum Fault {
    /// After this many files of the new tree are written.
    AfterFiles(usize),
    /// After the previous tree is moved aside, before the new one is moved in.
    DuringSwap,
}

pub(super) fn write_with(
    out: &Path,
    files: &OutputFiles,
    fault: Option<Fault>,
) -> Result<WriteSummary, String> {
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("generated");
    refuse_unwritable(out, parent)?;
    let summary =
        summarize(out, files).map_err(|err| format!("reading {}: {err}", out.display()))?;
    fs::create_dir_all(parent)
        .map_err(|err| format!("creating {}: {}", parent.display(), describe(&err)))?;
    remove_leftovers(parent, name);
    let staging = parent.join(format!(".{name}.new-{}", std::process::id()));
    let retired = parent.join(format!(".{name}.old-{}", std::process::id()));

    let staged = stage(&staging, files, fault);
    if let Err(err) = staged {
        let _ = fs::remove_dir_all(&staging);
        return Err(err);
    }
    let had_old = out.exists();
    if had_old {
        if let Err(err) = fs::rename(out, &retired) {
            let _ = fs::remove_dir_all(&staging);
            return Err(format!("cannot replace {}: {}", out.display(), describe(&err)));
        }
    }
    let moved = match fault {
        Some(Fault::DuringSwap) => {
            Err(io::Error::other("injected failure while swapping the trees"))
        }
        _ => fs::rename(&staging, out),
    };
    if let Err(err) = moved {
        if had_old {
            let _ = fs::rename(&retired, out);
        }
        let _ = fs::remove_dir_all(&staging);
        return Err(format!("cannot move the new tree into {}: {}", out.display(), describe(&err)));
    }
    if had_old {
        fs::remove_dir_all(&retired).map_err(|err| {
            format!("removing the old tree {}: {}", retired.display(), describe(&err))
        })?;
    }
    Ok(summary)
}

/// Refuses a target that cannot or must not be written: `out` or its parent is a file, or
/// `out`, a folder inside it, or the parent is read-only (no write permission bit).
fn refuse_unwritable(out: &Path, parent: &Path) -> Result<(), String> {
    let read_only = |dir: &Path| -> Result<(), String> {
        match fs::metadata(dir) {
            Ok(meta) if !meta.is_dir() => Err(format!(
                "cannot write {}: {} is a file, not a folder",
                out.display(),
                dir.display()
            )),
            Ok(meta) if meta.permissions().readonly() => Err(format!(
                "cannot write {}: {} is read-only; make it writable (chmod u+w) or write elsewhere with --out DIR",
                out.display(),
                dir.display()
            )),
            _ => Ok(()),
        }
    };
    // The nearest existing folder above `out` is where the new tree would be created.
    let mut above = Some(parent);
    while let Some(dir) = above {
        if dir.exists() {
            read_only(dir)?;
            break;
        }
        above = dir.parent().filter(|p| !p.as_os_str().is_empty());
    }
    if out.exists() {
        read_only(out)?;
        let mut stack = vec![out.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in fs::read_dir(&dir)
                .map_err(|err| format!("reading {}: {}", dir.display(), describe(&err)))?
            {
                let entry = entry
                    .map_err(|err| format!("reading {}: {}", dir.display(), describe(&err)))?;
                if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    read_only(&entry.path())?;
                    stack.push(entry.path());
                }
            }
        }
    }
    Ok(())
}

/// An I/O error in words, with what to do about the common ones.
fn describe(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::PermissionDenied => {
            format!("{err} (no write permission: make the folder writable or use --out DIR)")
        }
        io::ErrorKind::ReadOnlyFilesystem => {
            format!("{err} (the file system is mounted read-only: use --out DIR)")
        }
        _ => err.to_string(),
    }
}

/// Removes `.{name}.new-PID` / `.{name}.old-PID` folders of runs that are no longer running
/// (killed half-way): on Linux, a PID without `/proc/PID`. Elsewhere nothing is removed.
fn remove_leftovers(parent: &Path, name: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else { continue };
        let pid = [".new-", ".old-"]
            .iter()
            .find_map(|kind| file_name.strip_prefix(&format!(".{name}{kind}")))
            .and_then(|pid| pid.parse::<u32>().ok());
        if let Some(pid) = pid {
            if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }
}

fn stage(staging: &Path, files: &OutputFiles, fault: Option<Fault>) -> Result<(), String> {
    if staging.exists() {
        fs::remove_dir_all(staging)
            .map_err(|err| format!("clearing {}: {}", staging.display(), describe(&err)))?;
    }
    for (written, (relative, text)) in files.iter().enumerate() {
        if fault == Some(Fault::AfterFiles(written)) {
            return Err(format!("injected failure after writing {written} files"));
        }
        let path = staging.join(relative);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)
                .map_err(|err| format!("creating {}: {}", dir.display(), describe(&err)))?;
        }
        fs::write(&path, text)
            .map_err(|err| format!("writing {}: {}", path.display(), describe(&err)))?;
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
            stale.push((
                Stale::Missing(relative.clone()),
                unified_diff("", expected, "/dev/null", &label),
            ));
            continue;
        }
        let current = fs::read(out.join(relative))
            .map_err(|err| format!("reading {}: {err}", relative.display()))?;
        if current != expected.as_bytes() {
            let current = String::from_utf8_lossy(&current);
            stale.push((
                Stale::Changed(relative.clone()),
                unified_diff(&current, expected, &label, &label),
            ));
        }
    }
    for relative in existing.iter().filter(|p| !files.contains_key(*p)) {
        let label = Path::new("generated").join(relative).display().to_string();
        let current = fs::read(out.join(relative)).unwrap_or_default();
        let current = String::from_utf8_lossy(&current);
        stale.push((
            Stale::Extra(relative.clone()),
            unified_diff(&current, "", &label, "/dev/null"),
        ));
    }
    Ok(stale)
}

fn unified_diff(current: &str, expected: &str, from: &str, to: &str) -> String {
    TextDiff::from_lines(current, expected)
        .unified_diff()
        .context_radius(3)
        .header(from, to)
        .to_string()
}
