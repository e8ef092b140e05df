#!/usr/bin/env bash
# Fuzzes Ganvas's readers with libFuzzer (Debian's clang): builds build-fuzz with
# GANVAS_FUZZ=ON, writes the seed corpora with the project's own writers
# (tests/fuzz/make_corpus.cpp), then runs each target for SECONDS.
#   scripts/fuzz.sh                   every target, 60 s each
#   scripts/fuzz.sh npy 600           one target (fuzz_npy) for ten minutes
#   GANVAS_FUZZ_JOBS=2 scripts/fuzz.sh   build with more jobs (default 2)
#   GANVAS_FUZZ_KEEP_GOING=1 scripts/fuzz.sh image   go on past findings (libFuzzer's
#       fork mode), for a target whose known finding would stop it at once
# A crash, a sanitizer report, an input slower than 2 s or one that needs over
# 512 MB is a finding: libFuzzer saves it as build-fuzz/findings/<target>/crash-*
# (or timeout-*, oom-*, leak-*); save it under tests/fuzz/regressions/<target>/ once
# fixed, so test_fuzz_regressions replays it in every build.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET="${1:-all}"
SECONDS_EACH="${2:-60}"
JOBS="${GANVAS_FUZZ_JOBS:-2}"
TARGETS=(npy safetensors idx tfrecord tf_example feature_columns image rf_json experiment column_file tensorboard)
if [ "$TARGET" != all ]; then
  TARGET="${TARGET#fuzz_}"
  [[ " ${TARGETS[*]} " == *" $TARGET "* ]] || { echo "fuzz: no target '$TARGET' (${TARGETS[*]})" >&2; exit 2; }
  TARGETS=("$TARGET")
fi

command -v clang++ >/dev/null || { echo "fuzz: needs clang (GANVAS_WITH_FUZZ_TOOLS=1 scripts/setup.sh)" >&2; exit 2; }
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DGANVAS_FUZZ=ON -DGANVAS_BUILD_TESTS=OFF >/dev/null
cmake --build build-fuzz -j "$JOBS" --target fuzz_all
rm -rf build-fuzz/seeds && build-fuzz/tests/fuzz/make_corpus build-fuzz/seeds

printf '%-16s %12s %9s %s\n' target executions findings log > build-fuzz/summary.txt
status=0
for t in "${TARGETS[@]}"; do
  # The corpus grows across runs; the seeds are merged in fresh each time.
  corpus="build-fuzz/corpus/$t" findings="build-fuzz/findings/$t" log="build-fuzz/fuzz_$t.log"
  mkdir -p "$corpus" "$findings"
  cp -n build-fuzz/seeds/"$t"/* "$corpus"/
  echo "fuzz: $t for ${SECONDS_EACH}s"
  keep_going=()
  if [ "${GANVAS_FUZZ_KEEP_GOING:-0}" = 1 ]; then
    keep_going=(-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1)
  fi
  set +e
  # Leaks are not checked while fuzzing: a reader that throws mid-way is fine, and
  # LeakSanitizer at every input would slow the search; the sanitizer CI stage checks them.
  ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1 \
    "build-fuzz/tests/fuzz/fuzz_$t" -max_total_time="$SECONDS_EACH" -rss_limit_mb=512 \
    -timeout=2 -max_len=65536 -print_final_stats=1 -artifact_prefix="$findings/" \
    "${keep_going[@]}" "$corpus" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  # Fork mode prints no final stats: its last "#N: cov: ..." line counts the runs.
  [ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9]*\): cov:.*/\1/p' "$log" | tail -1)
  found=$(find "$findings" -type f | wc -l)
  ((rc == 0 && found == 0)) || status=1
  printf '%-16s %12s %9s %s\n' "fuzz_$t" "${execs:-?}" "$found" "$log" >> build-fuzz/summary.txt
done
cat build-fuzz/summary.txt
exit $status
