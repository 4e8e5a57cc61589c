#!/usr/bin/env bash
# Builds the libFuzzer targets (preset fuzz, build-fuzz/) and runs each for FUZZ_SECONDS (default 60),
# seeded from fuzz/corpus/<target>/, with a scratch corpus in build-fuzz/corpus/<target>/ (the seeds in
# the tree are never written). A crash stops with a non-zero exit and leaves the reproducer in
# build-fuzz/artifacts/<target>/; keep it in fuzz/regressions/<target>/ once fixed (fuzz/README.md).
# Usage: scripts/fuzz.sh [target...]   (default: all five). FUZZ_SECONDS=600 for the long run.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${FUZZ_SECONDS:-60}
TARGETS=("$@")
((${#TARGETS[@]})) || TARGETS=(fuzz_listener_file fuzz_implant_file fuzz_scene_file fuzz_audio_reader fuzz_process)
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j2 --target "${TARGETS[@]}"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export LSAN_OPTIONS="suppressions=$PWD/.ci/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for t in "${TARGETS[@]}"; do
  mkdir -p "build-fuzz/corpus/$t" "build-fuzz/artifacts/$t" "build-fuzz/logs"
  log="build-fuzz/logs/$t.log"
  echo "fuzz: $t for ${SECONDS_EACH} s (log: $log)"
  # the scratch corpus first: libFuzzer writes new inputs into the first directory only
  if ./build-fuzz/fuzz/"$t" -max_total_time="$SECONDS_EACH" -max_len=65536 -timeout=25 -rss_limit_mb=2560 \
       -print_final_stats=1 -artifact_prefix="build-fuzz/artifacts/$t/" \
       "build-fuzz/corpus/$t" "fuzz/corpus/$t" >"$log" 2>&1; then
    grep -E "^#[0-9]+.*(DONE|pulse)|stat::number_of_executed_units|stat::peak_rss_mb" "$log" | tail -3 | sed "s/^/  /"
  else
    echo "fuzz: $t FAILED; reproducer in build-fuzz/artifacts/$t/:" >&2
    ls build-fuzz/artifacts/"$t"/ >&2 || true
    grep -E "ERROR|SUMMARY|runtime error|non-finite|terminate" "$log" | head -5 >&2 || true
    status=1
  fi
done
exit $status
