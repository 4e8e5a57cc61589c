#!/usr/bin/env bash
# Builds the libFuzzer targets (the asan preset: build-asan/, the same build as the sanitizer suite) and runs
# each for FUZZ_SECONDS (default 60), two at a time (one per core), seeded from fuzz/corpus/<target>/, with a
# scratch corpus in build-asan/fuzz-corpus/<target>/ (the seeds in the tree are never written). A crash makes
# the script exit non-zero and leaves the reproducer in build-asan/fuzz-artifacts/<target>/; keep it in
# fuzz/regressions/<target>/ once fixed (fuzz/README.md).
# Usage: scripts/fuzz.sh [target...]   (default: all five). FUZZ_SECONDS=600 for the long run; FUZZ_JOBS=1 for
# one at a time.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${FUZZ_SECONDS:-60}
JOBS=${FUZZ_JOBS:-2}
TARGETS=("$@")
((${#TARGETS[@]})) || TARGETS=(fuzz_listener_file fuzz_implant_file fuzz_scene_file fuzz_audio_reader fuzz_process)
B=build-asan
cmake --preset asan >/dev/null
cmake --build --preset asan -j2 --target "${TARGETS[@]}"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export LSAN_OPTIONS="suppressions=$PWD/.ci/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

run_one() {  # target -> exit status; prints a summary
  local t=$1 log="$B/fuzz-logs/$1.log"
  mkdir -p "$B/fuzz-corpus/$t" "$B/fuzz-artifacts/$t" "$B/fuzz-logs"
  # the scratch corpus first: libFuzzer writes new inputs into the first directory only
  if "./$B/fuzz/$t" -max_total_time="$SECONDS_EACH" -max_len=65536 -timeout=25 -rss_limit_mb=2560 \
       -print_final_stats=1 -artifact_prefix="$B/fuzz-artifacts/$t/" \
       "$B/fuzz-corpus/$t" "fuzz/corpus/$t" >"$log" 2>&1; then
    echo "fuzz: $t ${SECONDS_EACH} s: $(grep -E 'stat::number_of_executed_units' "$log" | awk '{print $2}') execs," \
         "$(grep -oE 'cov: [0-9]+' "$log" | tail -1), no crash"
  else
    echo "fuzz: $t FAILED after $(grep -E 'stat::number_of_executed_units' "$log" | awk '{print $2}') execs; log $log," \
         "reproducer in $B/fuzz-artifacts/$t/:" >&2
    ls "$B/fuzz-artifacts/$t"/ >&2 || true
    grep -E "ERROR|SUMMARY|runtime error|non-finite|terminate" "$log" | head -5 >&2 || true
    return 1
  fi
}

status=0
pids=()
for t in "${TARGETS[@]}"; do
  echo "fuzz: $t for ${SECONDS_EACH} s (log: $B/fuzz-logs/$t.log)"
  run_one "$t" & pids+=($!)
  if ((${#pids[@]} >= JOBS)); then
    wait "${pids[0]}" || status=1
    pids=("${pids[@]:1}")
  fi
done
for p in "${pids[@]}"; do wait "$p" || status=1; done
exit $status
