#!/usr/bin/env bash
# Runs one fuzz target for a while, one process, on its seeds plus what earlier runs found.
# usage: run.sh TARGET SECONDS NEW_CORPUS_DIR SEED_DIR ARTIFACT_PREFIX [libFuzzer options...]
# New interesting inputs are written to NEW_CORPUS_DIR (the first corpus directory), crashes to
# ARTIFACT_PREFIX; the seeds are only read.
set -euo pipefail
target=$1 seconds=$2 corpus=$3 seeds=$4 artifacts=$5
shift 5
mkdir -p "$corpus" "$artifacts"
export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
exec "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
  -artifact_prefix="$artifacts" "$@" "$corpus" "$seeds"
