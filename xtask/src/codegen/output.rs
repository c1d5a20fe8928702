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
    if had_old && let Err(err) = fs::rename(out, &retired) {
        let _ = fs::remove_dir_all(&staging);
        return Err(format!("cannot replace {}: {}", out.display(), describe(&err)));
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
        if let Some(pid) = pid
            && pid != std::process::id()
            && !Path::new(&format!("/proc/{pid}")).exists()
        {
            let _ = fs::remove_dir_all(entry.path());
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

/// Compares `files` with the tree under `out` (shown as `shown`, e.g. `generated`). Returns
/// every stale file and, per file, a unified diff from what is committed to what codegen
/// renders now, each side labelled.
pub fn check(out: &Path, files: &OutputFiles) -> Result<Vec<(Stale, String)>, String> {
    let existing = read_tree(out).map_err(|err| format!("reading {}: {err}", out.display()))?;
    let shown = out
        .file_name()
        .map_or_else(|| out.display().to_string(), |n| n.to_string_lossy().into_owned());
    let mut stale = Vec::new();
    for (relative, expected) in files {
        let label = Path::new(&shown).join(relative);
        let current = if existing.contains(relative) {
            Some(
                fs::read(out.join(relative))
                    .map_err(|err| format!("reading {}: {err}", label.display()))?,
            )
        } else {
            None
        };
        stale.extend(compare(relative, &label, current.as_deref(), expected));
    }
    for relative in existing.iter().filter(|p| !files.contains_key(*p)) {
        let label = Path::new(&shown).join(relative);
        let current = fs::read(out.join(relative)).unwrap_or_default();
        let current = String::from_utf8_lossy(&current);
        stale.push((
            Stale::Extra(relative.clone()),
            labelled_diff(&current, "", &label, Side::Extra),
        ));
    }
    Ok(stale)
}

/// Compares single files kept outside `generated/` (paths relative to `root`, e.g. the schema
/// the protocol crate embeds, the committed compat report) with what codegen renders: the
/// same verdicts and diffs as [`check`]. Nothing is ever extra here.
pub fn check_files(root: &Path, files: &OutputFiles) -> Result<Vec<(Stale, String)>, String> {
    let mut stale = Vec::new();
    for (relative, expected) in files {
        let current = match fs::read(root.join(relative)) {
            Ok(bytes) => Some(bytes),
            Err(err) if err.kind() == io::ErrorKind::NotFound => None,
            Err(err) => return Err(format!("reading {}: {}", relative.display(), describe(&err))),
        };
        stale.extend(compare(relative, relative, current.as_deref(), expected));
    }
    Ok(stale)
}

/// Writes single files kept outside `generated/` (paths relative to `root`), each through a
/// temporary sibling and a rename, so that a reader never sees half a file; files whose bytes
/// are already right are not touched. Returns how many changed.
pub fn write_files(root: &Path, files: &OutputFiles) -> Result<usize, String> {
    let mut changed = 0;
    for (relative, text) in files {
        let path = root.join(relative);
        if fs::read(&path).ok().as_deref() == Some(text.as_bytes()) {
            continue;
        }
        let staging = path.with_extension(format!("new-{}", std::process::id()));
        fs::write(&staging, text)
            .map_err(|err| format!("writing {}: {}", staging.display(), describe(&err)))?;
        fs::rename(&staging, &path).map_err(|err| {
            let _ = fs::remove_file(&staging);
            format!("replacing {}: {}", path.display(), describe(&err))
        })?;
        changed += 1;
    }
    Ok(changed)
}

/// The verdict on one rendered file given what is on disk (`None`: nothing there).
fn compare(
    relative: &Path,
    label: &Path,
    current: Option<&[u8]>,
    expected: &str,
) -> Option<(Stale, String)> {
    match current {
        None => Some((
            Stale::Missing(relative.to_path_buf()),
            labelled_diff("", expected, label, Side::Missing),
        )),
        Some(bytes) if bytes != expected.as_bytes() => {
            let current = String::from_utf8_lossy(bytes);
            Some((
                Stale::Changed(relative.to_path_buf()),
                labelled_diff(&current, expected, label, Side::Changed),
            ))
        }
        Some(_) => None,
    }
}

/// Which sides of a diff exist.
#[derive(Clone, Copy)]
enum Side {
    Missing,
    Changed,
    Extra,
}

/// A unified diff from the committed file to the rendered one, with both sides labelled:
/// `--- generated/x.ts (committed)` / `+++ generated/x.ts (generated)`; a side that does not
/// exist is `/dev/null`.
fn labelled_diff(current: &str, expected: &str, label: &Path, side: Side) -> String {
    let committed = format!("{} (committed)", label.display());
    let generated = format!("{} (generated)", label.display());
    let (from, to) = match side {
        Side::Missing => ("/dev/null (nothing committed)".to_owned(), generated),
        Side::Changed => (committed, generated),
        Side::Extra => (committed, "/dev/null (no longer generated)".to_owned()),
    };
    TextDiff::from_lines(current, expected)
        .unified_diff()
        .context_radius(3)
        .header(&from, &to)
        .to_string()
}

impl Stale {
    /// One line for the list printed before the diffs: `changed  generated/x.ts`.
    pub fn describe(&self, shown: &str) -> String {
        let (what, path) = match self {
            Stale::Missing(path) => ("missing", path),
            Stale::Changed(path) => ("changed", path),
            Stale::Extra(path) => ("extra  ", path),
        };
        let path = if shown.is_empty() { path.clone() } else { Path::new(shown).join(path) };
        format!("  {what}  {}", path.display())
    }
}
