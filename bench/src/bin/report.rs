//! Prints the results table (Markdown) from what `bench/run.sh` recorded under
//! `bench/target/results/`: criterion's estimates of every decode/encode run, the ratios of
//! `ratios` (interleaved rounds), and the timings of `compile_time.sh` and `codegen_time.sh`. Nothing here is typed by hand: every number is
//! read from those files. Ratios are taken within one run, then min/median/max over the runs.
//!
//! Usage: `report RESULTS_DIR`

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// One criterion measurement: time per iteration and what an iteration processes.
#[derive(Clone, Copy)]
struct Measure {
    ns: f64,
    bytes: f64,
    elements: f64,
}

type Run = BTreeMap<(String, String), Measure>;

fn read_json(path: &Path) -> Option<Value> {
    serde_json::from_str(&fs::read_to_string(path).ok()?).ok()
}

fn read_run(dir: &Path) -> Run {
    let mut run = Run::new();
    let Ok(groups) = fs::read_dir(dir) else { return run };
    for group in groups.flatten() {
        let Ok(benches) = fs::read_dir(group.path()) else { continue };
        for bench in benches.flatten() {
            let new = bench.path().join("new");
            let (Some(est), Some(meta)) =
                (read_json(&new.join("estimates.json")), read_json(&new.join("benchmark.json")))
            else {
                continue;
            };
            let ns = est["median"]["point_estimate"].as_f64().unwrap_or(f64::NAN);
            let tp = &meta["throughput"]["ElementsAndBytes"];
            let measure = Measure {
                ns,
                bytes: tp["bytes"].as_f64().unwrap_or(0.0),
                elements: tp["elements"].as_f64().unwrap_or(0.0),
            };
            let group = meta["group_id"].as_str().unwrap_or_default().to_owned();
            let function = meta["function_id"].as_str().unwrap_or_default().to_owned();
            run.insert((group, function), measure);
        }
    }
    run
}

/// min, median, max.
fn stats(mut values: Vec<f64>) -> Option<(f64, f64, f64)> {
    values.retain(|v| v.is_finite());
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let median = if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2.0 };
    Some((values[0], median, values[n - 1]))
}

fn fmt3((min, median, max): (f64, f64, f64), digits: usize) -> String {
    format!("{median:.digits$} ({min:.digits$}–{max:.digits$})")
}

struct Target {
    label: &'static str,
    group: &'static str,
    ours: &'static str,
    other: &'static str,
    /// `Some(x)`: ratio (ours throughput / other throughput) must be ≥ x.
    at_least: Option<f64>,
}

const DECODE_GROUPS: &[&str] =
    &["decode_server_stream", "decode_server_deltas", "decode_client_mix"];
const FUNCTIONS: &[&str] =
    &["ours", "baseline_idiomatic", "baseline_direct", "baseline", "value", "ignored_any"];

fn targets() -> Vec<Target> {
    let mut all = Vec::new();
    for group in DECODE_GROUPS {
        all.push(Target {
            label: "ours ÷ baseline idiomatic (JSONRPCMessage → TryFrom)",
            group,
            ours: "ours",
            other: "baseline_idiomatic",
            at_least: Some(5.0),
        });
        all.push(Target {
            label: "ours ÷ baseline direct (from_str, kind known)",
            group,
            ours: "ours",
            other: "baseline_direct",
            at_least: Some(1.0),
        });
        all.push(Target {
            label: "ours ÷ serde_json::Value parse",
            group,
            ours: "ours",
            other: "value",
            at_least: Some(1.7),
        });
        all.push(Target {
            label: "ours ÷ IgnoredAny scan",
            group,
            ours: "ours",
            other: "ignored_any",
            at_least: Some(0.40),
        });
    }
    for group in ["encode_server_stream", "encode_client_mix"] {
        all.push(Target {
            label: "ours ÷ baseline (typed encode)",
            group,
            ours: "ours",
            other: "baseline",
            at_least: Some(1.0),
        });
    }
    all
}

/// Rows of a TSV written by the timing scripts: `run  what  wall_s  user_s  sys_s  status`.
fn read_tsv(path: &Path) -> Vec<Vec<String>> {
    fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| line.split('\t').map(str::to_owned).collect())
        .collect()
}

/// Per run (first column), the seconds of each `what` (second column): wall (third column),
/// or CPU = user + sys (fourth and fifth) when `cpu`.
fn by_run(rows: &[Vec<String>], cpu: bool) -> BTreeMap<String, BTreeMap<String, f64>> {
    let mut runs: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
    for row in rows {
        if let [run, what, wall, user, sys, ..] = row.as_slice() {
            let seconds = if cpu {
                user.parse::<f64>().and_then(|user| Ok(user + sys.parse::<f64>()?))
            } else {
                wall.parse::<f64>()
            };
            if let Ok(seconds) = seconds {
                runs.entry(run.clone()).or_default().insert(what.clone(), seconds);
            }
        }
    }
    runs
}

fn timing_section(
    out: &mut String,
    title: &str,
    rows: &[Vec<String>],
    ratios: &[(&str, &str, &str, Option<f64>)],
) {
    let (wall, cpu) = (by_run(rows, false), by_run(rows, true));
    if wall.is_empty() {
        out.push_str(&format!("\n### {title}\n\nNo runs recorded.\n"));
        return;
    }
    out.push_str(&format!("\n### {title}: {} run(s), seconds, median (min–max)\n\n", wall.len()));
    out.push_str("| what | wall s | CPU s (user + sys) |\n|---|---|---|\n");
    let mut whats: Vec<&String> = wall.values().flat_map(|r| r.keys()).collect();
    whats.sort();
    whats.dedup();
    for what in whats {
        let w = stats(wall.values().filter_map(|r| r.get(what).copied()).collect());
        let c = stats(cpu.values().filter_map(|r| r.get(what).copied()).collect());
        if let (Some(w), Some(c)) = (w, c) {
            out.push_str(&format!("| {what} | {} | {} |\n", fmt3(w, 2), fmt3(c, 2)));
        }
    }
    out.push_str(
        "\n| ratio (within a run) | wall | CPU | target (wall) | met |\n|---|---|---|---|---|\n",
    );
    for (label, num, den, at_most) in ratios {
        let ratio = |runs: &BTreeMap<String, BTreeMap<String, f64>>| {
            stats(runs.values().filter_map(|r| Some(r.get(*num)? / r.get(*den)?)).collect())
        };
        let (Some(w), Some(c)) = (ratio(&wall), ratio(&cpu)) else { continue };
        let (target, met) = match at_most {
            Some(t) => (format!("≤ {t:.2}"), if w.1 <= *t { "yes" } else { "**no**" }),
            None => ("—".to_owned(), "—"),
        };
        out.push_str(&format!(
            "| {label} | {} | {} | {target} | {met} |\n",
            fmt3(w, 3),
            fmt3(c, 3)
        ));
    }
}

/// The ratios of `ratios.rs` (interleaved rounds): `group other rounds median p25 p75 ours_mb
/// other_mb` per row, the header row first.
fn interleaved_section(out: &mut String, rows: &[Vec<String>]) {
    let rows: Vec<&Vec<String>> =
        rows.iter().filter(|row| row.first().is_some_and(|g| g != "group")).collect();
    let Some(rounds) = rows.first().and_then(|row| row.get(2)) else {
        out.push_str("\n### Ratios in interleaved rounds\n\nNo run recorded.\n");
        return;
    };
    out.push_str(&format!(
        "\n### Ratios in interleaved rounds (bench/src/bin/ratios.rs, {rounds} rounds): median (25th–75th percentile) of the per-round ratios\n\n"
    ));
    out.push_str("| group | ratio | median (p25–p75) | ours MB/s | other MB/s | target | met |\n|---|---|---|---|---|---|---|\n");
    for t in targets() {
        let Some(row) =
            rows.iter().find(|row| row.len() >= 8 && row[0] == t.group && row[1] == t.other)
        else {
            continue;
        };
        let number = |i: usize| row[i].parse::<f64>().unwrap_or(f64::NAN);
        let (median, p25, p75) = (number(3), number(4), number(5));
        let (target, met) = match t.at_least {
            Some(x) => (format!("≥ {x:.2}"), if median >= x { "yes" } else { "**no**" }),
            None => ("—".to_owned(), "—"),
        };
        out.push_str(&format!(
            "| {} | {} | {median:.2} ({p25:.2}–{p75:.2}) | {:.0} | {:.0} | {target} | {met} |\n",
            t.group,
            t.label,
            number(6),
            number(7)
        ));
    }
}

fn main() {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "target/results".to_owned()));
    let mut run_dirs: Vec<PathBuf> = fs::read_dir(dir.join("criterion"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    run_dirs.sort();
    let runs: Vec<Run> = run_dirs.iter().map(|d| read_run(d)).filter(|r| !r.is_empty()).collect();
    let mut out = String::new();

    out.push_str(&format!(
        "### Throughput ({} criterion run(s); median (min–max) over runs)\n\n",
        runs.len()
    ));
    out.push_str("| group | path | MB/s | messages/s (thousands) |\n|---|---|---|---|\n");
    let mut groups: Vec<&String> = runs.iter().flat_map(|r| r.keys().map(|(g, _)| g)).collect();
    groups.sort();
    groups.dedup();
    for group in &groups {
        for function in FUNCTIONS {
            let key = ((*group).clone(), (*function).to_owned());
            let ms: Vec<Measure> = runs.iter().filter_map(|r| r.get(&key).copied()).collect();
            if ms.is_empty() {
                continue;
            }
            let mbs = stats(ms.iter().map(|m| m.bytes / m.ns * 1e3).collect()).expect("values");
            let kmsg = stats(ms.iter().map(|m| m.elements / m.ns * 1e6).collect()).expect("values");
            out.push_str(&format!(
                "| {group} | {function} | {} | {} |\n",
                fmt3(mbs, 1),
                fmt3(kmsg, 0)
            ));
        }
    }

    interleaved_section(&mut out, &read_tsv(&dir.join("ratios.tsv")));

    out.push_str(
        "\n### Ratios of throughput within each criterion run (median (min–max) over runs)\n\n",
    );
    out.push_str("| group | ratio | median (min–max) | target | met |\n|---|---|---|---|---|\n");
    for t in targets() {
        let values = runs
            .iter()
            .filter_map(|r| {
                let ours = r.get(&(t.group.to_owned(), t.ours.to_owned()))?;
                let other = r.get(&(t.group.to_owned(), t.other.to_owned()))?;
                Some(other.ns / ours.ns)
            })
            .collect();
        let Some(s) = stats(values) else { continue };
        let (target, met) = match t.at_least {
            Some(x) => (format!("≥ {x:.2}"), if s.1 >= x { "yes" } else { "**no**" }),
            None => ("—".to_owned(), "—"),
        };
        out.push_str(&format!(
            "| {} | {} | {} | {target} | {met} |\n",
            t.group,
            t.label,
            fmt3(s, 2)
        ));
    }

    timing_section(
        &mut out,
        "Cold release build (bench/compile_time.sh)",
        &read_tsv(&dir.join("compile.tsv")),
        &[
            ("ours (default features) ÷ baseline", "ours-default", "baseline", Some(0.35)),
            ("ours (`codegen` feature) ÷ baseline", "ours-codegen", "baseline", None),
        ],
    );
    timing_section(
        &mut out,
        "Codegen (bench/codegen_time.sh)",
        &read_tsv(&dir.join("codegen.tsv")),
        &[
            (
                "`cargo xtask codegen --check` ÷ baseline `export` (both through cargo)",
                "ours-cargo-xtask-codegen-check",
                "baseline-cargo-run-export",
                None,
            ),
            (
                "xtask binary ÷ baseline export binary (no cargo)",
                "ours-xtask-binary",
                "baseline-export-binary",
                None,
            ),
        ],
    );
    print!("{out}");
}
