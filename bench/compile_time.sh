#!/usr/bin/env bash
# Cold release builds, each in a fresh CARGO_TARGET_DIR, timed with /usr/bin/time -v:
#   ours-default  cargo build --release -p app-server-protocol            (main workspace)
#   ours-codegen  cargo build --release -p app-server-protocol --features codegen
#   baseline      cargo build --release of a scratch crate depending on
#                 codex-app-server-protocol =0.63.0 (with bench/Cargo.lock's versions)
# Sources are fetched first (not timed); builds run --offline. Each run appends one row per
# build to $RESULTS_DIR/compile.tsv (default bench/target/results):
#   run  what  wall_s  user_s  sys_s  max_rss_kb  exit_status
# and prints the ratio ours-default / baseline. COMPILE_RUNS (default 1) runs in a row.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
results=${RESULTS_DIR:-$here/target/results}
runs=${COMPILE_RUNS:-1}
mkdir -p "$results"
tsv="$results/compile.tsv"
[ -f "$tsv" ] || printf '# run\twhat\twall_s\tuser_s\tsys_s\tmax_rss_kb\texit_status\n' > "$tsv"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/baseline/src"
cat > "$scratch/baseline/Cargo.toml" <<'TOML'
[package]
name = "baseline-build"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
codex-app-server-protocol = "=0.63.0"
TOML
echo 'pub use codex_app_server_protocol;' > "$scratch/baseline/src/lib.rs"
cp "$here/Cargo.lock" "$scratch/baseline/Cargo.lock"
cargo fetch --quiet --manifest-path "$root/Cargo.toml"
cargo fetch --quiet --manifest-path "$scratch/baseline/Cargo.toml"

seconds() { # h:mm:ss or m:ss(.ss) -> seconds
  awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }' <<<"$1"
}

timed() { # run-id what command...
  local run=$1 what=$2; shift 2
  local target="$scratch/target-$what" log="$scratch/time-$what.txt" status=0
  rm -rf "$target"
  CARGO_TARGET_DIR="$target" /usr/bin/time -v -o "$log" "$@" >"$scratch/build-$what.log" 2>&1 || status=$?
  if [ "$status" != 0 ]; then tail -20 "$scratch/build-$what.log" >&2; fi
  local wall user sys rss
  wall=$(seconds "$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")")
  user=$(sed -n 's/.*User time (seconds): //p' "$log")
  sys=$(sed -n 's/.*System time (seconds): //p' "$log")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "$what" "$wall" "$user" "$sys" "$rss" "$status" | tee -a "$tsv"
  rm -rf "$target"
}

for i in $(seq 1 "$runs"); do
  run="compile-$(date +%Y%m%dT%H%M%S)-$i"
  timed "$run" ours-default cargo build --release --offline --manifest-path "$root/Cargo.toml" -p app-server-protocol
  timed "$run" baseline cargo build --release --offline --manifest-path "$scratch/baseline/Cargo.toml"
  timed "$run" ours-codegen cargo build --release --offline --manifest-path "$root/Cargo.toml" -p app-server-protocol --features codegen
  awk -F'\t' -v run="$run" '$1 == run { wall[$2] = $3 } END {
    printf "%s: ours-default / baseline = %.3f (target <= 0.35); ours-codegen / baseline = %.3f\n",
      run, wall["ours-default"] / wall["baseline"], wall["ours-codegen"] / wall["baseline"] }' "$tsv"
done
