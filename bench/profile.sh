#!/usr/bin/env bash
# Instruction counts (valgrind callgrind: deterministic, unlike wall time on a shared machine)
# of each decode path on the side-by-side groups, counted only inside the measured loop
# (--toggle-collect, not the setup), and where they go: the `memcpy`s of the typed message, and
# serde's buffering (`Content`) of internally tagged enums such as `ThreadItem`.
# Writes $RESULTS_DIR/profile.txt (default bench/target/results) and prints it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
results=${RESULTS_DIR:-$here/target/results}
mkdir -p "$results"
cd "$here"
cargo build --quiet --release --bin profile
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
out="$results/profile.txt"
iterations=${PROFILE_ITERATIONS:-3}
{
  echo "callgrind, $iterations iteration(s) over each group; Ir = instructions executed inside the measured loop;"
  echo "ours ÷ path = Ir of the path ÷ Ir of ours (how many times fewer instructions ours executes)"
  printf '%-8s %-12s %14s %9s %11s  %s\n' group path Ir Ir/line "ours ÷ path" "memcpy share | serde Content (buffering) share, inclusive"
  for group in deltas stream client resume; do
    n=$(target/release/profile count "$group" 0)
    ours=""
    for path in ours direct idiomatic value ignored_any encode_ours encode_base; do
      file="$scratch/cg.$group.$path"
      toggle='*profile::measured'
      case $path in encode_*) toggle='*profile::encode_measured' ;; esac
      valgrind --tool=callgrind --toggle-collect="$toggle" --callgrind-out-file="$file" \
        target/release/profile "$path" "$group" "$iterations" >/dev/null 2>&1
      callgrind_annotate "$file" 2>/dev/null > "$scratch/self.txt"
      callgrind_annotate --inclusive=yes "$file" 2>/dev/null > "$scratch/incl.txt"
      total=$(awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }' "$scratch/self.txt")
      case $path in ours | encode_ours) ours=$total ;; esac
      memcpy=$(awk '/__memcpy/ { gsub(",", "", $1); s += $1 } END { print s + 0 }' "$scratch/self.txt")
      content=$(awk '/__deserialize_content_v1 \[/ { gsub(",", "", $1); if ($1 > m) m = $1 } END { print m + 0 }' "$scratch/incl.txt")
      printf '%-8s %-12s %14s %9.0f %11.2f  %5.1f %% | %5.1f %%\n' "$group" "$path" "$total" \
        "$(echo "$total / ($n * $iterations)" | bc -l)" "$(echo "$total / $ours" | bc -l)" \
        "$(echo "100 * $memcpy / $total" | bc -l)" "$(echo "100 * $content / $total" | bc -l)"
    done
  done
} | tee "$out"
