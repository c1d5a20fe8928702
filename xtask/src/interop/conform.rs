//! The conformance kit against the real releases: `app-server-kit conform server --model
//! stand-in` against each release's `codex app-server` (each scenario with a server process
//! and a home of its own), run several times — every run must give the same verdicts — and
//! held to the release's committed expected results, `interop/<version>/conform.toml`; each
//! of the kit's broken relays in front of the release must fail the check it names; and the
//! kit against our mock must fail and skip nothing.
//!
//! `conform.toml` lists each check whose verdict is not `pass`, with the reason:
//!
//! ```toml
//! [[check]]
//! id = "method.config/read"
//! verdict = "fail"
//! reason = "0.63.0 does not serve config/*: -32600 unknown variant"
//! ```
//!
//! A check that does not pass and is not listed fails the suite; so does an entry whose check
//! now has another verdict, or that names no check (stale entries).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The verdicts of one run: check id → `pass`, `fail`, `warn`, `skip`.
pub type Verdicts = BTreeMap<String, String>;

/// One entry of `conform.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    /// The check id.
    pub id: String,
    /// The verdict the check must have.
    pub verdict: String,
    /// Why (required unless the verdict is `pass`).
    pub reason: Option<String>,
}

/// What the kit needs to run: its binary.
pub struct Kit {
    /// `target/debug/app-server-kit`.
    pub binary: PathBuf,
}

/// The wall-clock bound of one run of the kit: far above what a run takes (a few seconds).
const RUN_BOUND: Duration = Duration::from_secs(180);

/// Reads `conform.toml` of a release: every entry has an id, a verdict of `pass`, `fail`,
/// `warn` or `skip`, and a reason unless it passes; an id is listed once.
pub fn load(path: &Path) -> Result<Vec<Expected>, String> {
    let text = std::fs::read_to_string(path).map_err(|err| format!("{}: {err}", path.display()))?;
    let document: toml_edit::DocumentMut =
        text.parse().map_err(|err| format!("{}: {err}", path.display()))?;
    let mut entries: Vec<Expected> = Vec::new();
    let tables = match document.get("check") {
        None => return Ok(entries),
        Some(item) => item.as_array_of_tables().ok_or_else(|| {
            format!("{}: `check` must be an array of tables ([[check]])", path.display())
        })?,
    };
    for (index, table) in tables.iter().enumerate() {
        let place = format!("{}: check #{}", path.display(), index + 1);
        let field = |name: &str| table.get(name).and_then(|item| item.as_str()).map(str::to_owned);
        let id = field("id").ok_or_else(|| format!("{place}: expected a string `id`"))?;
        let verdict = field("verdict")
            .ok_or_else(|| format!("{place} (`{id}`): expected a string `verdict`"))?;
        if !["pass", "fail", "warn", "skip"].contains(&verdict.as_str()) {
            return Err(format!(
                "{place} (`{id}`): `verdict` must be \"pass\", \"fail\", \"warn\" or \"skip\", found {verdict:?}"
            ));
        }
        let reason = field("reason").filter(|r| !r.trim().is_empty());
        if verdict != "pass" && reason.is_none() {
            return Err(format!("{place} (`{id}`): a `{verdict}` needs a `reason`"));
        }
        if let Some(other) =
            table.iter().map(|(key, _)| key).find(|key| !["id", "verdict", "reason"].contains(key))
        {
            return Err(format!(
                "{place} (`{id}`): unknown key `{other}` (expected id, verdict, reason)"
            ));
        }
        if entries.iter().any(|e| e.id == id) {
            return Err(format!("{place}: `{id}` is listed twice"));
        }
        entries.push(Expected { id, verdict, reason });
    }
    Ok(entries)
}

/// The differences between a run's verdicts and the expected ones, one a line; empty when
/// they agree.
pub fn compare(verdicts: &Verdicts, expected: &[Expected]) -> Vec<String> {
    let mut problems = Vec::new();
    for entry in expected {
        match verdicts.get(&entry.id) {
            None => problems.push(format!("stale entry `{}`: the kit has no such check", entry.id)),
            Some(found) if *found != entry.verdict => problems.push(format!(
                "`{}` is `{found}`, listed `{}` ({}): update the entry",
                entry.id,
                entry.verdict,
                entry.reason.as_deref().unwrap_or("no reason")
            )),
            Some(_) => {}
        }
    }
    for (id, verdict) in verdicts {
        if verdict != "pass" && !expected.iter().any(|e| &e.id == id) {
            problems.push(format!(
                "`{id}` is `{verdict}` and not listed: fix it or list it with a reason"
            ));
        }
    }
    problems
}

/// Runs `conform server` with `args` (after the kit's own), bounded in time, offline: the
/// environment is PATH and `RUST_LOG=error` only. Returns the verdicts and the run's time.
pub fn run_kit(kit: &Kit, args: &[&str]) -> Result<(Verdicts, Value, Duration), String> {
    let started = Instant::now();
    let mut command = Command::new(&kit.binary);
    command
        .args(["conform", "server", "--format", "json"])
        .args(args)
        .env_clear()
        .env("RUST_LOG", "error")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(path) = std::env::var_os("PATH") {
        command.env("PATH", path);
    }
    let mut child =
        command.spawn().map_err(|err| format!("cannot start {}: {err}", kit.binary.display()))?;
    let mut stdout = child.stdout.take().ok_or("the kit's stdout")?;
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut text);
        text
    });
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|err| err.to_string())? {
            break status;
        }
        if started.elapsed() > RUN_BOUND {
            let _ = child.kill();
            return Err(format!("`conform server` ran longer than {} s", RUN_BOUND.as_secs()));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let text = reader.join().unwrap_or_default();
    let report: Value = serde_json::from_str(&text).map_err(|err| {
        let mut stderr = String::new();
        if let Some(mut pipe) = child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
        }
        format!("`conform server` ({status}) gave no JSON report ({err}): {}", stderr.trim())
    })?;
    let verdicts = report["checks"]
        .as_array()
        .ok_or("the report has no `checks`")?
        .iter()
        .map(|check| {
            let field = |name: &str| check[name].as_str().unwrap_or_default().to_owned();
            (field("id"), field("status"))
        })
        .collect();
    Ok((verdicts, report, started.elapsed()))
}

/// The kit's arguments for a release's server: the stand-in model API, a fresh CODEX_HOME and
/// HOME per scenario.
pub fn release_args(binary: &Path) -> Vec<String> {
    let mut args: Vec<String> =
        ["--model", "stand-in", "--fresh-dir-env", "CODEX_HOME", "--fresh-dir-env", "HOME"]
            .map(str::to_owned)
            .to_vec();
    args.push("--".to_owned());
    args.push(binary.display().to_string());
    args.push("app-server".to_owned());
    args
}

/// Runs the kit `runs` times against a release and holds every run to `expected`; the runs
/// must agree. Returns the lines to print and whether all is well.
pub fn check_release(
    kit: &Kit,
    version: &str,
    binary: &Path,
    expected: &[Expected],
    runs: usize,
) -> (Vec<String>, bool) {
    let args = release_args(binary);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut lines = Vec::new();
    let mut first: Option<Verdicts> = None;
    let mut ok = true;
    for run in 1..=runs {
        match run_kit(kit, &args) {
            Err(err) => {
                lines.push(format!("  run {run}: {err}"));
                return (lines, false);
            }
            Ok((verdicts, _, took)) => {
                let problems = compare(&verdicts, expected);
                let changed = first.as_ref().map(|first| differences(first, &verdicts));
                lines.push(format!(
                    "  run {run}: {} checks in {:.1} s; {} as interop/{version}/conform.toml{}",
                    verdicts.len(),
                    took.as_secs_f64(),
                    if problems.is_empty() { "verdicts" } else { "NOT" },
                    match &changed {
                        Some(changed) if !changed.is_empty() =>
                            format!("; {} verdicts differ from run 1", changed.len()),
                        Some(_) => "; the same verdicts as run 1".to_owned(),
                        None => String::new(),
                    }
                ));
                for problem in problems.iter().chain(changed.iter().flatten()) {
                    lines.push(format!("    {problem}"));
                }
                ok &= problems.is_empty() && changed.is_none_or(|c| c.is_empty());
                first.get_or_insert(verdicts);
            }
        }
    }
    (lines, ok)
}

/// The checks whose verdict differs between two runs.
fn differences(first: &Verdicts, other: &Verdicts) -> Vec<String> {
    first
        .iter()
        .filter(|(id, verdict)| other.get(*id) != Some(verdict))
        .map(|(id, verdict)| {
            format!(
                "`{id}`: `{verdict}` in run 1, `{}` now",
                other.get(id).map_or("absent", String::as_str)
            )
        })
        .collect()
}

/// Each of the kit's broken relays in front of a release (`conform relay --list`): the check
/// it names must fail. Returns the lines to print and whether all is well.
pub fn check_relays(kit: &Kit, binary: &Path) -> (Vec<String>, bool) {
    let listed = Command::new(&kit.binary).args(["conform", "relay", "--list"]).output();
    let listed = match listed {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).into_owned(),
        Ok(out) => return (vec![format!("  `conform relay --list`: {}", out.status)], false),
        Err(err) => return (vec![format!("  `conform relay --list`: {err}")], false),
    };
    let kit_path = kit.binary.display().to_string();
    let server = binary.display().to_string();
    let mut lines = Vec::new();
    let mut ok = true;
    for line in listed.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let [rule, check, scenario] = words[..] else {
            lines.push(format!(
                "  `conform relay --list` printed {line:?}: expected RULE CHECK SCENARIO"
            ));
            ok = false;
            continue;
        };
        let mut args = vec!["--timeout-ms", "5000", "--scenario", scenario];
        args.extend([
            "--model",
            "stand-in",
            "--fresh-dir-env",
            "CODEX_HOME",
            "--fresh-dir-env",
            "HOME",
        ]);
        args.extend([
            "--",
            &kit_path,
            "conform",
            "relay",
            "--break",
            rule,
            "--",
            &server,
            "app-server",
        ]);
        let verdict = match run_kit(kit, &args) {
            Ok((verdicts, _, _)) => {
                verdicts.get(check).cloned().unwrap_or_else(|| "absent".to_owned())
            }
            Err(err) => err,
        };
        let passed = verdict == "fail";
        ok &= passed;
        lines.push(format!(
            "  relay {rule}: `{check}` {}",
            if passed {
                "fails, as it must".to_owned()
            } else {
                format!("is `{verdict}`: it must fail")
            }
        ));
    }
    (lines, ok)
}

/// The kit against our mock (`app-server-kit mock --speed 0`): no check may fail, and none
/// may be skipped (the mock's turns follow the kit's prompts, so every check has something to
/// judge).
pub fn check_mock(kit: &Kit) -> (Vec<String>, bool) {
    let kit_path = kit.binary.display().to_string();
    let args = ["--", &kit_path, "mock", "--speed", "0", "--seed", "7"];
    match run_kit(kit, &args) {
        Err(err) => (vec![format!("  {err}")], false),
        Ok((verdicts, _, took)) => {
            let failed: Vec<&String> =
                verdicts.iter().filter(|(_, v)| *v == "fail").map(|(id, _)| id).collect();
            let skipped: Vec<&String> =
                verdicts.iter().filter(|(_, v)| *v == "skip").map(|(id, _)| id).collect();
            let listed = |what: &str, ids: &[&String]| match ids {
                [] => format!("0 {what}"),
                ids => format!("{} {what}: {ids:?}", ids.len()),
            };
            let line = format!(
                "  {} checks in {:.1} s: {}, {}",
                verdicts.len(),
                took.as_secs_f64(),
                listed("failed", &failed),
                listed("skipped", &skipped)
            );
            (vec![line], failed.is_empty() && skipped.is_empty())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdicts(pairs: &[(&str, &str)]) -> Verdicts {
        pairs.iter().map(|(id, v)| ((*id).to_owned(), (*v).to_owned())).collect()
    }

    fn entry(id: &str, verdict: &str) -> Expected {
        Expected { id: id.into(), verdict: verdict.into(), reason: Some("why".into()) }
    }

    #[test]
    fn unlisted_failures_changed_verdicts_and_stale_entries_are_named() {
        let run = verdicts(&[("a.one", "pass"), ("a.two", "fail"), ("a.three", "skip")]);
        assert_eq!(
            compare(&run, &[entry("a.two", "fail"), entry("a.three", "skip")]),
            Vec::<String>::new()
        );
        let problems =
            compare(&run, &[entry("a.two", "fail"), entry("a.one", "fail"), entry("gone", "skip")]);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].starts_with("`a.one` is `pass`, listed `fail`"), "{problems:?}");
        assert!(problems[1].starts_with("stale entry `gone`"), "{problems:?}");
        assert!(problems[2].starts_with("`a.three` is `skip` and not listed"), "{problems:?}");
    }

    #[test]
    fn entries_need_a_known_verdict_and_a_reason() {
        let dir = std::env::temp_dir().join(format!("conform-toml-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("conform.toml");
        for (text, says) in [
            ("[[check]]\nid = \"a.b\"\nverdict = \"fail\"\n", "a `fail` needs a `reason`"),
            ("[[check]]\nid = \"a.b\"\nverdict = \"maybe\"\nreason = \"x\"\n", "`verdict` must be"),
            ("[[check]]\nid = \"a.b\"\nverdict = \"pass\"\nwhy = \"x\"\n", "unknown key `why`"),
            (
                "[[check]]\nid = \"a.b\"\nverdict = \"pass\"\n[[check]]\nid = \"a.b\"\nverdict = \"pass\"\n",
                "listed twice",
            ),
        ] {
            std::fs::write(&path, text).unwrap();
            let err = load(&path).unwrap_err();
            assert!(err.contains(says), "{err}");
        }
        std::fs::write(&path, "[[check]]\nid = \"a.b\"\nverdict = \"skip\"\nreason = \"x\"\n")
            .unwrap();
        assert_eq!(
            load(&path).unwrap(),
            [entry("a.b", "skip")].map(|mut e| {
                e.reason = Some("x".into());
                e
            })
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
