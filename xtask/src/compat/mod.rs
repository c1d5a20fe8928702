//! `cargo xtask compat`: the one baseline gate. It compares the current surface with a
//! released baseline and judges every change by who sends the data.
//!
//! ```text
//! cargo xtask compat [--baseline <version|dir>] [--format json] [--write-report]
//! cargo xtask compat snapshot <version> [--from <spec dir>] [--force]
//! ```
//!
//! collect (read the baseline and `compat/allow.toml`, collect the current surface) →
//! compare ([`methods`]: the method table, then every payload of every method through its
//! `$ref`s, per direction, merged so that a change in a named type is one change with every
//! path that reaches it) → judge ([`rules`], then `compat/allow.toml`) → report ([`report`]:
//! Markdown or JSON) → exit code ([`Status`]: 0 pass, 1 an unaccepted breaking or unknown
//! change, a stale allow entry or a stale committed report, 2 the check could not run).
//!
//! - Baselines live in `compat/baselines/<version>/` ([`baseline`] describes the format);
//!   `snapshot <version>` cuts one from the current Rust types, `snapshot <version> --from
//!   <dir>` imports a published spec folder ([`import`]). Without `--baseline` the newest
//!   baseline (by version number) is used.
//! - Every change is judged in its direction: client → server is what the server receives
//!   (params of client requests and notifications, results of server requests), server →
//!   client what it sends. What the server receives may only widen, what it sends only
//!   narrow; a type reached in both directions is compared in both, each as its direction
//!   has it (as the decoder accepts it, as the encoder writes it).
//! - v1 is frozen: any wire change reached through a v1 or shared method is breaking, and
//!   so is a new v1 or shared method. Experimental promises nothing: a change reached only
//!   inside something the baseline marks experimental (a method's `stability`, or
//!   `"x-experimental": true` on a definition, a property or a union variant) is safe;
//!   stable → experimental is breaking.
//! - Open enums: a Rust enum marked `#[schemars(extend("x-open-enum" = true))]` (its receivers
//!   map unknown values to a fallback) shows `"x-open-enum": true` in the schema; a value or
//!   variant added to such a type in what the server sends is safe when the *baseline* marks
//!   it open. A catch-all variant (tag `{ "type": "string", "not": { "enum": [the known tags]
//!   } }`, how an open union's decoder is described) covers the variants of the other side it
//!   does not exclude: they are compared with it, not reported as added or removed.
//! - Schemas are compared by structure, not by name ([`shape`] normalizes them): `$ref`s
//!   followed, unions split into alternatives matched by enum value or variant tag, `null`
//!   as nullability, a flattened tagged enum beside a struct's fields compared variant by
//!   variant with a struct whose tag became a plain enum field (C10's `Turn`). Ranges,
//!   lengths, formats and patterns are judged by direction like every other constraint
//!   ([`bounds`]).
//! - What is not compared: documentation, `default`s, `deprecated` flags and the method
//!   table's deprecation notes, and whether an object the server *sends* would accept
//!   unknown keys (the server never sends them). Keywords the comparison does not model
//!   (e.g. `uniqueItems`) are compared by value and a difference is `unknown`.
//! - Every deliberate change to a baseline's wire is listed once in `compat/allow.toml`, with
//!   its reason ([`allow`]); the reason shows in the report beside the change.
//! - `compat/report-<version>.md` is the report against that baseline, written by
//!   `--write-report`; the command fails when it is stale.

mod allow;
mod baseline;
mod bounds;
mod compare;
mod import;
mod methods;
mod report;
mod rules;
mod shape;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::codegen::{OutputFiles, check_files, write_files};
use app_server_protocol::Direction;
use clap::{Subcommand, ValueEnum};

pub use baseline::Baseline;
pub use rules::{Kind, Verdict};

/// One change between the baseline and the current surface.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// What changed.
    pub kind: Kind,
    /// The direction of the data that changed; for a change of the method table, the
    /// method's direction (or its payload's, for params added or removed).
    pub direction: Direction,
    /// The judgement, after `compat/allow.toml`.
    pub verdict: Verdict,
    /// Where, relative to the nearest named type (`v2.Turn → variant failed → error`) or the
    /// method (`method thread/start`): stable, what `compat/allow.toml` matches.
    pub at: String,
    /// Every method path that reaches it, one per method (the shortest), in table order
    /// (`turn/started → params → turn → …`).
    pub paths: Vec<String>,
    /// What changed, before → after, and which rule overrode the direction rule if one did.
    pub detail: String,
    /// Why the change is deliberate (from `compat/allow.toml`).
    pub reason: Option<String>,
}

impl Change {
    /// A change of the method table itself (its `at` is `method <name>`).
    pub fn is_table(&self) -> bool {
        self.at == methods::table_at(self.paths.first().map_or("", String::as_str))
    }
}

/// How a run of `cargo xtask compat` ends: the exit code a CI acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// 0: no breaking or unknown change that `compat/allow.toml` does not accept, no stale
    /// allow entry, the committed report current.
    Pass,
    /// 1: a breaking or unknown change not accepted, an allow entry that matches nothing, or
    /// a stale committed report.
    Fail,
    /// 2: the check could not run (no baseline, an unreadable or malformed file).
    CouldNotRun,
}

impl Status {
    /// The status of a run that compared: what failed, what is stale.
    pub fn of(failing: usize, stale_entries: usize, stale_report: bool) -> Status {
        if failing > 0 || stale_entries > 0 || stale_report { Status::Fail } else { Status::Pass }
    }

    /// The status of a run: an error means it could not run.
    pub fn of_run(result: &Result<Status, String>) -> Status {
        result.as_ref().map_or(Status::CouldNotRun, |status| *status)
    }

    /// The process exit code: 0, 1 or 2.
    pub fn code(self) -> u8 {
        match self {
            Status::Pass => 0,
            Status::Fail => 1,
            Status::CouldNotRun => 2,
        }
    }
}

/// Options of `cargo xtask compat`.
#[derive(Debug, Default, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    /// A subcommand (`snapshot`); none runs the check.
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
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Markdown for people.
    #[default]
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

/// Runs the command and returns its exit code ([`Status`]): an error is printed (in JSON
/// too with `--format json`) and exits 2.
pub fn main(args: &Args, root: &Path) -> ExitCode {
    let result = run(args, root);
    if let Err(err) = &result {
        eprintln!("error: {err}");
        if args.format == Format::Json && args.command.is_none() {
            print!("{}", report::json_text(&report::json_error(err)));
        }
    }
    ExitCode::from(Status::of_run(&result).code())
}

/// Runs the command.
pub fn run(args: &Args, root: &Path) -> Result<Status, String> {
    match &args.command {
        Some(Sub::Snapshot(snapshot)) => run_snapshot(snapshot, root),
        None => run_check(args, root),
    }
}

/// The outcome of a comparison, before printing.
pub struct Outcome {
    /// The baseline's version.
    pub version: String,
    /// Where the baseline came from.
    pub source: String,
    /// The baseline folder as shown.
    pub dir: String,
    /// Every change, judged, with the reasons of `compat/allow.toml`.
    pub changes: Vec<Change>,
    /// The allow entries (for this baseline) that match no change.
    pub stale: Vec<allow::Entry>,
}

impl Outcome {
    /// Breaking or unknown changes the allow file does not accept.
    pub fn failing(&self) -> usize {
        self.changes.iter().filter(|c| c.verdict.fails()).count()
    }

    /// How many changes have `verdict`.
    pub fn count(&self, verdict: Verdict) -> usize {
        self.changes.iter().filter(|c| c.verdict == verdict).count()
    }

    /// The status of the run, given whether the committed report is stale.
    pub fn status(&self, stale_report: bool) -> Status {
        Status::of(self.failing(), self.stale.len(), stale_report)
    }

    /// The one-line summary printed at the end of a run.
    pub fn summary(&self, stale_report: bool) -> String {
        let reasons = self.changes.iter().filter(|c| c.reason.is_some()).count();
        format!(
            "compat: {} changes against baseline {}: {} breaking, {} accepted, {} unknown, {} safe; {reasons} with a reason in {ALLOW_FILE}, {} stale allow entries{}; exit {}",
            self.changes.len(),
            self.version,
            self.count(Verdict::Breaking),
            self.count(Verdict::Accepted),
            self.count(Verdict::Unknown),
            self.count(Verdict::Safe),
            self.stale.len(),
            if stale_report { ", stale report" } else { "" },
            self.status(stale_report).code()
        )
    }
}

/// Compares the current surface with the baseline in `dir` (shown as `shown`).
pub fn check(root: &Path, dir: &Path, shown: &str) -> Result<Outcome, String> {
    let baseline = Baseline::read(dir)?;
    let entries = allow::load(&root.join(ALLOW_FILE))?;
    let surface = crate::codegen::collect()?;
    let current = Baseline::from_surface(&surface, "current", "the Rust types");
    let mut changes = methods::compare(&baseline, &current);
    let stale = allow::apply(&entries, &baseline.version, &mut changes);
    Ok(Outcome {
        version: baseline.version,
        source: baseline.source,
        dir: shown.to_owned(),
        changes,
        stale: stale.into_iter().cloned().collect(),
    })
}

/// The baseline folder `--baseline` names (or the newest committed one), how to show it,
/// and whether it is a committed one (its report is then checked).
fn baseline_dir(arg: Option<&str>, root: &Path) -> Result<(PathBuf, String, bool), String> {
    match arg {
        Some(arg)
            if is_version(arg)
                && root.join(BASELINES).join(arg).join(baseline::METHODS_FILE).is_file() =>
        {
            Ok((root.join(BASELINES).join(arg), format!("{BASELINES}/{arg}"), true))
        }
        Some(arg) if Path::new(arg).is_dir() => Ok((PathBuf::from(arg), arg.to_owned(), false)),
        Some(arg) => {
            Err(format!("no baseline `{arg}`: neither {BASELINES}/{arg}/ nor a folder `{arg}`"))
        }
        None => {
            let version = newest(root)?;
            Ok((root.join(BASELINES).join(&version), format!("{BASELINES}/{version}"), true))
        }
    }
}

/// Where the committed report against a baseline version lives, relative to the root.
fn report_file(version: &str) -> PathBuf {
    PathBuf::from(format!("compat/report-{version}.md"))
}

/// The committed report against the newest baseline, as `cargo xtask codegen` keeps it
/// current through its one write-or-check path (with every other generated file).
pub fn committed_report(root: &Path) -> Result<OutputFiles, String> {
    let version = newest(root)?;
    let dir = root.join(BASELINES).join(&version);
    let outcome = check(root, &dir, &format!("{BASELINES}/{version}"))?;
    Ok(OutputFiles::from([(report_file(&outcome.version), report::text(&outcome))]))
}

fn run_check(args: &Args, root: &Path) -> Result<Status, String> {
    let (dir, shown, committed) = baseline_dir(args.baseline.as_deref(), root)?;
    let outcome = check(root, &dir, &shown)?;
    let text = report::text(&outcome);
    let report = OutputFiles::from([(report_file(&outcome.version), text.clone())]);
    let mut stale_report = false;
    if args.write_report {
        write_files(root, &report)?;
        eprintln!("compat: wrote compat/report-{}.md", outcome.version);
    } else if committed && root.join(report_file(&outcome.version)).is_file() {
        for (stale, diff) in check_files(root, &report)? {
            stale_report = true;
            eprint!("{}\n{diff}", stale.describe(""));
            eprintln!(
                "error: compat/report-{0}.md is stale; run `cargo xtask codegen` (or `cargo xtask compat --baseline {0} --write-report`) and commit it",
                outcome.version
            );
        }
    }
    match args.format {
        Format::Text => print!("{text}"),
        Format::Json => print!("{}", report::json_text(&report::json(&outcome, stale_report))),
    }
    eprintln!("{}", outcome.summary(stale_report));
    if outcome.failing() > 0 {
        eprintln!(
            "error: {} breaking or unknown change(s) not accepted in {ALLOW_FILE}",
            outcome.failing()
        );
    }
    if !outcome.stale.is_empty() {
        eprintln!(
            "error: {} entr(y/ies) of {ALLOW_FILE} are stale (the first match of no change); remove them",
            outcome.stale.len()
        );
    }
    Ok(outcome.status(stale_report))
}

fn run_snapshot(args: &SnapshotArgs, root: &Path) -> Result<Status, String> {
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
        "compat: baseline {} written to {BASELINES}/{} ({} methods, {} client → server types, {} server → client types)",
        args.version,
        args.version,
        baseline.methods.len(),
        baseline.client_to_server.len(),
        baseline.server_to_client.len()
    );
    Ok(Status::Pass)
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
