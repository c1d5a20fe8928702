#!/usr/bin/env bash
# Wall time of `cargo xtask codegen --check` against the baseline crate's `export` binary
# (bench/src/bin/baseline-export.rs: the same `generate_types` call), both dev builds as their
# projects run them, built first (not timed). Timed, CODEGEN_RUNS (default 5) times each:
#   ours-cargo-xtask-codegen-check  cargo xtask codegen --check              (repo root)
#   ours-xtask-binary               target/debug/xtask codegen --check       (no cargo)
#   baseline-cargo-run-export       cargo run --bin baseline-export -- --out DIR (bench/)
#   baseline-export-binary          bench/target/debug/baseline-export --out DIR
# Appends to $RESULTS_DIR/codegen.tsv (default bench/target/results):
#   run  what  wall_s  user_s  sys_s  max_rss_kb  exit_status
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
results=${RESULTS_DIR:-$here/target/results}
runs=${CODEGEN_RUNS:-5}
mkdir -p "$results"
tsv="$results/codegen.tsv"
[ -f "$tsv" ] || printf '# run\twhat\twall_s\tuser_s\tsys_s\tmax_rss_kb\texit_status\n' > "$tsv"

(cd "$root" && cargo build --quiet -p xtask)
cargo build --quiet --manifest-path "$here/Cargo.toml" --bin baseline-export
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

seconds() { awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.3f", s }' <<<"$1"; }

timed() { # run-id what command...
  local run=$1 what=$2; shift 2
  local log="$scratch/time.txt" status=0
  rm -rf "$scratch/out"
  (cd "$root" && /usr/bin/time -v -o "$log" "$@" >"$scratch/run.log" 2>&1) || status=$?
  if [ "$status" != 0 ]; then tail -5 "$scratch/run.log" >&2; fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "$what" \
    "$(seconds "$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")")" \
    "$(sed -n 's/.*User time (seconds): //p' "$log")" "$(sed -n 's/.*System time (seconds): //p' "$log")" \
    "$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")" "$status" | tee -a "$tsv"
}

for i in $(seq 1 "$runs"); do
  run="codegen-$(date +%Y%m%dT%H%M%S)-$i"
  timed "$run" ours-cargo-xtask-codegen-check cargo xtask codegen --check
  timed "$run" ours-xtask-binary "$root/target/debug/xtask" codegen --check
  timed "$run" baseline-cargo-run-export cargo run --quiet --manifest-path "$here/Cargo.toml" --bin baseline-export -- --out "$scratch/out"
  timed "$run" baseline-export-binary "$here/target/debug/baseline-export" --out "$scratch/out"
done
