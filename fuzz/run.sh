#!/bin/sh
# Seeds the corpora from fixtures/, builds every target once, then runs each in turn.
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET ...]     (default: 60 s, all four targets)
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a C++ compiler; on a stable toolchain,
# RUSTC_BOOTSTRAP=1 lets rustc accept the nightly flags cargo-fuzz passes. The targets run as
# built binaries (not `cargo fuzz run`), so editing the sources while they run rebuilds nothing.
# Logs: fuzz/logs/<target>.log; crashes: fuzz/artifacts/<target>/.
set -eu
cd "$(dirname "$0")"
seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-decode_client decode_server transcript fixture_roundtrip}
python3 seed-corpora.py
RUSTC_BOOTSTRAP=1 cargo fuzz build -O
bin=target/x86_64-unknown-linux-gnu/release
mkdir -p logs
for target in $targets; do
    case $target in
        transcript) max_len=65536 ;;
        fixture_roundtrip) max_len=512 ;;
        *) max_len=16384 ;;
    esac
    mkdir -p "artifacts/$target"
    echo "== $target: $seconds s"
    status=0
    "$bin/$target" "corpus/$target" -dict=corpus/protocol.dict -max_len=$max_len -timeout=10 \
        -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="artifacts/$target/" \
        > "logs/$target.log" 2>&1 || status=$?
    tail -n 12 "logs/$target.log" | grep -E '^(stat::|#|Done)' || true
    [ "$status" -eq 0 ] || echo "== $target: exit $status, see fuzz/logs/$target.log and fuzz/artifacts/$target/"
done
