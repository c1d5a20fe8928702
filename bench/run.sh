#!/usr/bin/env bash
# Runs every benchmark of bench/ and writes the results table into bench/RESULTS.md.
#
#   bash bench/run.sh                      # everything (about an hour on 2 cores)
#   RUNS=5 ROUNDS=200 COMPILE_RUNS=1 CODEGEN_RUNS=5 bash bench/run.sh
#   SKIP_COMPILE=1 SKIP_CODEGEN=1 SKIP_PROFILE=1 bash bench/run.sh   # keep what was recorded
#   REPORT_ONLY=1 bash bench/run.sh        # measure nothing: the table from what is recorded
#                                          # (e.g. after more `compile_time.sh` runs)
#
# 1. prints the corpora and what was left out of the side-by-side groups (src/bin/corpus.rs);
# 2. runs the criterion benchmarks (benches/codec.rs) RUNS times (default 5), keeping each run's
#    estimates under target/results/criterion/run-NN, then the interleaved ratios
#    (src/bin/ratios.rs, ROUNDS rounds, default 200) into target/results/ratios.tsv;
# 3. compile_time.sh (cold release builds), codegen_time.sh (codegen wall time) and
#    profile.sh (callgrind instruction counts);
# 4. prints the table (src/bin/report.rs: ratios within each run, min/median/max over runs) and
#    replaces the generated part of RESULTS.md with it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
results="$here/target/results"
runs=${RUNS:-5}
mkdir -p "$results"
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
if [ -z "${REPORT_ONLY:-}" ]; then
rm -rf "$results/criterion"
[ -n "${SKIP_COMPILE:-}" ] || rm -f "$results/compile.tsv"
[ -n "${SKIP_CODEGEN:-}" ] || rm -f "$results/codegen.tsv"
[ -n "${SKIP_PROFILE:-}" ] || rm -f "$results/profile.txt"

cargo build --quiet --release --bins
cargo bench --quiet --bench codec --no-run
target/release/corpus > "$results/corpus.txt"

for i in $(seq -w 1 "$runs"); do
  echo "== criterion run $i of $runs"
  rm -rf target/criterion
  cargo bench --quiet --bench codec 2>&1 | grep -E '^(decode|encode)_|thrpt: .*B/s' || true
  mkdir -p "$results/criterion"
  cp -r target/criterion "$results/criterion/run-$i"
done

echo "== interleaved ratios (${ROUNDS:-200} rounds)"
target/release/ratios "${ROUNDS:-200}" > "$results/ratios.tsv"

[ -n "${SKIP_COMPILE:-}" ] || RESULTS_DIR="$results" bash "$here/compile_time.sh"
[ -n "${SKIP_CODEGEN:-}" ] || RESULTS_DIR="$results" bash "$here/codegen_time.sh"
[ -n "${SKIP_PROFILE:-}" ] || RESULTS_DIR="$results" bash "$here/profile.sh"
fi

if [ -z "${REPORT_ONLY:-}" ]; then
  {
    echo "Printed by \`bench/run.sh\` (table: \`bench/src/bin/report.rs\`), started $started, finished $(date -u +%Y-%m-%dT%H:%M:%SZ)."
    echo "Commit $(git -C "$here" rev-parse --short HEAD)$(git -C "$here" diff --quiet HEAD -- ../protocol . ':!RESULTS.md' && echo '' || echo ' with uncommitted changes in protocol/ or bench/')."
    echo "Machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(free -g | awk '/Mem:/ {print $2}') GiB;" \
      "$(rustc --version); load average before the run: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)."
  } > "$results/header.txt"
else
  cargo build --quiet --release --bin report
fi

{
  if [ -n "${REPORT_ONLY:-}" ]; then
    echo "Re-printed by \`REPORT_ONLY=1 bench/run.sh\` at $started from the results recorded under \`bench/target/results/\`"
    echo "(\`compile_time.sh\`/\`codegen_time.sh\`/\`profile.sh\` runs made after the measured run are included). The measured run:"
    echo
  fi
  cat "$results/header.txt"
  echo
  echo '### Corpora (side-by-side groups: only lines both crates accept)'
  echo
  echo '```text'
  sed -n '/^server stream:/,$p' "$results/corpus.txt"
  echo '```'
  echo
  target/release/report "$results"
  if [ -f "$results/profile.txt" ]; then
    echo
    echo '### Instruction counts (bench/profile.sh)'
    echo
    echo '```text'
    cat "$results/profile.txt"
    echo '```'
  fi
} > "$results/table.md"

# Replace what is between the markers in RESULTS.md.
awk -v table="$results/table.md" '
  /<!-- results:begin -->/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
  /<!-- results:end -->/ { skip = 0 }
  !skip { print }' RESULTS.md > "$results/RESULTS.md.new"
mv "$results/RESULTS.md.new" RESULTS.md
cat "$results/table.md"
