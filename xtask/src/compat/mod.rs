//! `cargo xtask compat`: direction-aware breaking-change detection against a released
//! baseline.
//!
//! ```text
//! cargo xtask compat [--baseline <version|dir>] [--format json] [--write-report]
//! cargo xtask compat snapshot <version> [--from <spec dir>] [--force]
//! ```
//!
//! collect (read the baseline, collect the current surface) → compare (method table, then
//! every payload through its `$ref`s, per flow) → judge (the rules in [`rules`], then
//! `compat/allow.toml`) → report (Markdown or JSON; exit 1 on an unaccepted breaking or
//! unknown change, an unused allow entry, or a stale committed report).
//!
//! - Baselines live in `compat/baselines/<version>/` ([`baseline`] describes the format);
//!   `snapshot <version>` cuts one from the current Rust types, `snapshot <version> --from
//!   <dir>` imports a published spec folder ([`import`]). Without `--baseline` the newest
//!   baseline (by version number) is used.
//! - Every change is judged in its flow: *input* is what the server receives (params of
//!   client requests and notifications, results of server requests), *output* what it sends.
//!   Inputs may only widen, outputs only narrow; a type reached from both flows is compared
//!   in both, under each flow's contract (deserialize for input, serialize for output).
//! - Open enums: a Rust enum marked `#[schemars(extend("x-open-enum" = true))]` (its receivers
//!   map unknown values to a fallback) shows `"x-open-enum": true` in the schema; a value or
//!   variant added to such a type in output is safe when the *baseline* marks it open.
//!   A catch-all variant (tag `{ "type": "string", "not": { "enum": [the known tags] } }`,
//!   how an open union's decoder is described) covers the variants of the other side it does
//!   not exclude: they are compared with it, not reported as added or removed.
//! - Schemas are compared by structure, not by name ([`shape`] normalizes them): `$ref`s
//!   followed, unions split into alternatives matched by enum value or variant tag, `null`
//!   as nullability, a flattened tagged enum beside a struct's fields compared variant by
//!   variant with a struct whose tag became a plain enum field (C10's `Turn`).
//! - What is not compared: documentation, `default`s, `deprecated` flags, whether an
//!   *output* object would accept unknown keys (the server never sends them), and the
//!   method table's deprecation notes and stability. Keywords the comparison does not model
//!   (e.g. `maxItems`) are compared by value and a difference is `unknown`.
//! - `compat/report-<version>.md` is the report against that baseline, written by
//!   `--write-report`; the command fails when it is stale.

mod allow;
mod baseline;
mod compare;
mod import;
mod methods;
mod objects;
mod report;
mod rules;
mod shape;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};

pub use baseline::Baseline;
pub use rules::{Flow, Kind, Verdict};

use crate::codegen::pretty_json;

/// One change between the baseline and the current surface.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub kind: Kind,
    /// `None` for a change of the method table itself.
    pub flow: Option<Flow>,
    pub verdict: Verdict,
    /// Where, relative to the nearest named type (`v2.Turn → variant failed → error`) or the
    /// method (`method thread/start`): stable, what `compat/allow.toml` matches.
    pub at: String,
    /// The first path from a method that reaches it (`turn/started → params → turn → …`).
    pub path: String,
    /// What changed, before → after.
    pub detail: String,
    /// Why the change is accepted (from `compat/allow.toml`).
    pub reason: Option<String>,
}

/// Options of `cargo xtask compat`.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Sub>,
    /// The baseline to compare with: a version under compat/baselines/ or a baseline folder
    /// (default: the newest committed baseline).
    #[arg(long, value_name = "VERSION|DIR")]
    pub baseline: Option<String>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the report to compat/report-<version>.md (the committed report).
    #[arg(long)]
    pub write_report: bool,
}

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Markdown for people.
    Text,
    /// JSON for tooling.
    Json,
}

/// Subcommands of `cargo xtask compat`.
#[derive(Debug, Subcommand)]
pub enum Sub {
    /// Cut a baseline: write compat/baselines/<version>/ from the current Rust types (at
    /// release time), or import a published spec folder with --from.
    Snapshot(SnapshotArgs),
}

/// Options of `cargo xtask compat snapshot`.
#[derive(Debug, clap::Args)]
pub struct SnapshotArgs {
    /// The released version, e.g. 0.64.0.
    pub version: String,
    /// Import a published spec folder (schema.json, methods.md, wire-notes.md) instead.
    #[arg(long, value_name = "DIR")]
    pub from: Option<PathBuf>,
    /// Replace an existing baseline of that version.
    #[arg(long)]
    pub force: bool,
}

/// The folder of committed baselines.
pub const BASELINES: &str = "compat/baselines";
/// The allow file.
pub const ALLOW_FILE: &str = "compat/allow.toml";

/// Runs the command.
pub fn run(args: &Args, root: &Path) -> Result<ExitCode, String> {
    match &args.command {
        Some(Sub::Snapshot(snapshot)) => run_snapshot(snapshot, root),
        None => run_check(args, root),
    }
}

/// The outcome of a comparison, before printing.
pub struct Outcome {
    pub text: String,
    pub json: serde_json::Value,
    pub version: String,
    pub failing: usize,
    pub unused: usize,
    pub summary: String,
}

/// Compares the current surface with the baseline in `dir` (shown as `shown`).
pub fn check(root: &Path, dir: &Path, shown: &str) -> Result<Outcome, String> {
    let baseline = Baseline::read(dir)?;
    let surface = crate::codegen::collect()?;
    let current = Baseline::from_surface(&surface, "current", "the Rust types");
    let mut changes = methods::compare(&baseline, &current);
    let entries = allow::load(&root.join(ALLOW_FILE))?;
    let unused = allow::apply(&entries, &baseline.version, &mut changes);
    let header =
        report::Header { version: &baseline.version, source: &baseline.source, dir: shown };
    let failing = changes
        .iter()
        .filter(|c| matches!(c.verdict, Verdict::Breaking | Verdict::Unknown))
        .count();
    let count = |verdict: Verdict| changes.iter().filter(|c| c.verdict == verdict).count();
    let summary = format!(
        "compat: {} changes against baseline {}: {} breaking, {} accepted, {} unknown, {} safe",
        changes.len(),
        baseline.version,
        count(Verdict::Breaking),
        count(Verdict::Accepted),
        count(Verdict::Unknown),
        count(Verdict::Safe)
    );
    Ok(Outcome {
        text: report::text(&header, &changes, &unused),
        json: report::json(&header, &changes, &unused),
        version: baseline.version.clone(),
        failing,
        unused: unused.len(),
        summary,
    })
}

fn run_check(args: &Args, root: &Path) -> Result<ExitCode, String> {
    let (dir, shown, committed) = match &args.baseline {
        Some(arg)
            if root.join(BASELINES).join(arg).join(baseline::METHODS_FILE).is_file()
                && is_version(arg) =>
        {
            (root.join(BASELINES).join(arg), format!("{BASELINES}/{arg}"), true)
        }
        Some(arg) if Path::new(arg).is_dir() => (PathBuf::from(arg), arg.clone(), false),
        Some(arg) => {
            return Err(format!(
                "no baseline `{arg}`: neither {BASELINES}/{arg}/ nor a folder `{arg}`"
            ));
        }
        None => {
            let version = newest(root)?;
            (root.join(BASELINES).join(&version), format!("{BASELINES}/{version}"), true)
        }
    };
    let outcome = check(root, &dir, &shown)?;
    match args.format {
        Format::Text => print!("{}", outcome.text),
        Format::Json => print!("{}", pretty_json(&outcome.json)),
    }
    let report_path = root.join(format!("compat/report-{}.md", outcome.version));
    let mut stale = false;
    if args.write_report {
        std::fs::write(&report_path, &outcome.text)
            .map_err(|err| format!("{}: {err}", report_path.display()))?;
        eprintln!("compat: wrote compat/report-{}.md", outcome.version);
    } else if committed && report_path.is_file() {
        let written = std::fs::read_to_string(&report_path)
            .map_err(|err| format!("{}: {err}", report_path.display()))?;
        if written != outcome.text {
            stale = true;
            eprintln!(
                "error: compat/report-{0}.md is stale; run `cargo xtask compat --baseline {0} --write-report` and commit it",
                outcome.version
            );
        }
    }
    eprintln!("{}", outcome.summary);
    if outcome.failing > 0 {
        eprintln!(
            "error: {} breaking or unknown change(s) not accepted in {ALLOW_FILE}",
            outcome.failing
        );
    }
    if outcome.unused > 0 {
        eprintln!(
            "error: {} entr(y/ies) of {ALLOW_FILE} match no breaking or unknown change; remove them",
            outcome.unused
        );
    }
    Ok(if outcome.failing > 0 || outcome.unused > 0 || stale {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn run_snapshot(args: &SnapshotArgs, root: &Path) -> Result<ExitCode, String> {
    if !is_version(&args.version) {
        return Err(format!(
            "`{}` is not a version (digits, letters, `.`, `-`, `+`; e.g. 0.64.0)",
            args.version
        ));
    }
    let dir = root.join(BASELINES).join(&args.version);
    if dir.exists() && !args.force {
        return Err(format!("{BASELINES}/{} exists; pass --force to replace it", args.version));
    }
    let surface = crate::codegen::collect()?;
    let baseline = match &args.from {
        Some(spec) => {
            let source = format!(
                "imported from `{0}` (schema.json, methods.md, wire-notes.md) by `cargo xtask compat snapshot {1} --from {0}`",
                spec.display(),
                args.version
            );
            import::import(spec, &args.version, &source)?
        }
        None => {
            let source = format!(
                "the Rust types at release, by `cargo xtask compat snapshot {}`",
                args.version
            );
            Baseline::from_surface(&surface, &args.version, &source)
        }
    };
    baseline.write(&dir)?;
    println!(
        "compat: baseline {} written to {BASELINES}/{} ({} methods, {} input types, {} output types)",
        args.version,
        args.version,
        baseline.methods.len(),
        baseline.input.len(),
        baseline.output.len()
    );
    Ok(ExitCode::SUCCESS)
}

fn is_version(text: &str) -> bool {
    !text.is_empty()
        && text.chars().next().is_some_and(|c| c.is_ascii_digit())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'))
}

/// Orders versions by their numeric parts (`0.10.0` after `0.9.1`).
fn version_key(version: &str) -> Vec<(u64, String)> {
    version
        .split(['.', '-', '+'])
        .map(|part| (part.parse().unwrap_or(u64::MAX), part.to_owned()))
        .collect()
}

/// The newest baseline under `compat/baselines/`.
pub fn newest(root: &Path) -> Result<String, String> {
    let dir = root.join(BASELINES);
    let entries = std::fs::read_dir(&dir).map_err(|err| {
        format!(
            "{}: {err}; cut a baseline with `cargo xtask compat snapshot <version>`",
            dir.display()
        )
    })?;
    let mut versions = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|err| format!("{}: {err}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_version(&name) && entry.path().join(baseline::METHODS_FILE).is_file() {
            versions.push(name);
        }
    }
    versions.sort_by_key(|v| version_key(v));
    versions.pop().ok_or_else(|| {
        format!("no baseline in {BASELINES}/; cut one with `cargo xtask compat snapshot <version>`")
    })
}
