#!/usr/bin/env bash
# Peer vs codec: instructions per message (valgrind callgrind, deterministic) of
# the async peer and of the bare codec doing the same decode and encode (src/bin/peer.rs), and
# where the instructions go. Each mode runs at N and 2N messages; the cost of one message is
# (Ir(2N) - Ir(N)) / N, so that the setup (runtime, tasks, connection) cancels out.
# Writes $RESULTS_DIR/peer.txt (default bench/target/results) and prints it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
results=${RESULTS_DIR:-$here/target/results}
mkdir -p "$results"
cd "$here"
cargo build --quiet --release --bin peer
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
n=${PEER_N:-2000}
total() { callgrind_annotate --auto=no "$1" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }'; }
# Self instructions of a callgrind file by where the code lives.
categories() {
  callgrind_annotate --threshold=100 --auto=no "$1" 2>/dev/null | awk '
  /PROGRAM TOTALS/ { next }
  /^ *[0-9,]+ \(/ {
    k = $1; gsub(",", "", k); line = $0
    if (line ~ /memmove|memcpy|memset/) c = "memcpy"
    else if (line ~ /malloc|free|realloc|memalign|__rdl_|__rust_alloc|__rust_dealloc/) c = "malloc/free"
    else if (line ~ /pthread|futex|parking_lot|sys::sync|std::sync::/) c = "locks"
    # By the file the code comes from, then (code inlined from the standard library) by the
    # function it was inlined into.
    else if (line ~ /tokio-1[^:]*:|bytes-1[^:]*:/) c = "tokio"
    else if (line ~ /(serde_json|serde_core|itoa)-[^:]*:|\/protocol\/src[^:]*:/) c = "codec"
    else if (line ~ /\/peer\/src[^:]*:/) c = "peer"
    else if (line ~ /:[^ ]*tokio::/) c = "tokio"
    else if (line ~ /:[^ ]*(serde_json|serde_core|app_server_protocol|from_utf8|hash)/) c = "codec"
    else if (line ~ /:[^ ]*app_server_peer/) c = "peer"
    else c = "other"
    s[c] += k
  }
  END { for (c in s) print c, s[c] }'
}
out="$results/peer.txt"
{
  echo "callgrind, Ir per message = (Ir at $((2 * n)) messages - Ir at $n) / $n; self Ir per message by where the code lives"
  printf '%-13s %8s | %7s %7s %7s %7s %7s %7s %7s\n' mode Ir/msg codec tokio memcpy malloc locks peer other
  for mode in stream_peer stream_codec rt_peer rt_codec list_peer list_codec; do
    for k in 1 2; do
      valgrind --tool=callgrind --callgrind-out-file="$scratch/cg.$mode.$k" target/release/peer "$mode" $((k * n)) >/dev/null 2>&1
    done
    per=$(( ($(total "$scratch/cg.$mode.2") - $(total "$scratch/cg.$mode.1")) / n ))
    categories "$scratch/cg.$mode.1" > "$scratch/c1"
    categories "$scratch/cg.$mode.2" > "$scratch/c2"
    row=$(awk -v n="$n" 'NR == FNR { a[$1] = $2; next } { b[$1] = $2 }
      END { split("codec tokio memcpy malloc/free locks peer other", cs, " ");
            for (i = 1; i <= 7; i++) printf " %7d", (b[cs[i]] - a[cs[i]]) / n }' "$scratch/c1" "$scratch/c2")
    printf '%-13s %8d |%s\n' "$mode" "$per" "$row"
    case $mode in rt_peer | list_peer) cp "$scratch/cg.$mode.2" "$results/callgrind.$mode" ;; esac
  done
} | tee "$out"
echo "(the round trips' profiles: callgrind_annotate $results/callgrind.rt_peer, $results/callgrind.list_peer)"
