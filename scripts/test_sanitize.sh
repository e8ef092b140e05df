#!/usr/bin/env bash
# The sanitizer stage of CI (scripts/test.sh): builds Ganvas with AddressSanitizer and
# UndefinedBehaviorSanitizer (GANVAS_SANITIZE=ON, ccache'd) in build-asan and runs a
# subset of the tests there: the readers of every file format (the fuzz targets'
# regression inputs included), the data and analysis parsers, the command line's
# parsers, the CPU's thread pool, GEMM, linear-layer and convolution kernels, and one
# window test, and the thread pool again under ThreadSanitizer. Any report fails the stage: the sanitizers do not
# recover, and LeakSanitizer ignores only leaks inside Mesa and X11
# (tests/sanitizer/lsan.supp).
#   scripts/test_sanitize.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# Test executable -> gtest filter ("*": all of it). Chosen to keep the stage to a few
# minutes on a 2-core machine; the model and training tests are slow under ASan and
# their numerics are covered by the normal build.
declare -A TESTS=(
  [test_npy]='*' [test_safetensors]='*' [test_image_png]='*' [test_image_gif]='*'
  [test_idx]='*' [test_tfrecord]='*' [test_feature_columns]='*' [test_fuzz_regressions]='*'
  [test_image_decode_png]='*' [test_image_decode_jpeg]='*' [test_image_decode_bmp_gif]='*'
  [test_atomic_file]='*' [test_printable]='*' [test_checked_math]='*' [test_shape_bounds]='*'
  [test_experiment_file]='*' [test_receptive_field_bounds]='*'
  [test_receptive_field]='*' [test_metrics_log]='*' [test_run_history]='*'
  [test_cli_help]='*' [test_cli_rf]='*' [test_error_translation]='*'
  [test_thread_pool]='*' [test_cpu_gemm]='*' [test_cpu_conv_kernels]='*'
  [test_cpu_linear_layer]='*'
  [test_gui_window]='GuiWindowTest.ABadDataSetIsShownNotACrash:GuiWindowTest.AnUnknownTabIsAnErrorThatNamesIt:GuiWindowTest.TheGanLabScreenshotWaitsForItsStepsAndTheExactW1'
)

start=$(date +%s)
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGANVAS_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$(nproc)" --target ganvas "${!TESTS[@]}"
built=$(date +%s)

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1"
export LSAN_OPTIONS="suppressions=$PWD/tests/sanitizer/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# Mesa's libGLX dlopens its DRI driver and dlcloses it at exit, so the driver's
# statics vanish before LeakSanitizer looks and what they held shows up as leaks from
# an "<unknown module>" that no suppression can name. Preloaded, the driver stays
# mapped and its memory stays reachable; ASan then no longer comes first in the
# library list, which is harmless here (verify_asan_link_order=0).
dri=$(find /usr/lib -name swrast_dri.so -print -quit 2>/dev/null || true)
failed=()
for t in $(printf '%s\n' "${!TESTS[@]}" | sort); do
  echo "sanitize: $t"
  exe=$(find build-asan/tests -name "$t" -type f -perm -u+x | head -1)
  preload=()
  if [[ $t == test_gui_window && -n $dri ]]; then
    preload=(env LD_PRELOAD="$dri" ASAN_OPTIONS="$ASAN_OPTIONS:verify_asan_link_order=0")
  fi
  if ! "${preload[@]}" "$exe" --gtest_filter="${TESTS[$t]}" --gtest_brief=1 >"build-asan/$t.log" 2>&1; then
    tail -40 "build-asan/$t.log"
    failed+=("$t")
  fi
done
# ThreadSanitizer on the thread pool alone: its threads poll shared atomics
# between jobs, the one place where they meet outside a mutex. It needs no
# other part of Ganvas, so it is compiled here directly (a few seconds).
echo "sanitize: test_thread_pool under ThreadSanitizer"
if ! { g++ -std=c++20 -O1 -g -fsanitize=thread -Icore core/backend/cpu/thread_pool.cpp \
         core/backend/cpu/thread_scheduling.cpp \
         tests/core/backend/test_thread_pool.cpp -lgtest -lgtest_main -pthread \
         -o build-asan/test_thread_pool_tsan &&
       TSAN_OPTIONS=halt_on_error=1 build-asan/test_thread_pool_tsan --gtest_repeat=3 \
         --gtest_brief=1; } >build-asan/test_thread_pool_tsan.log 2>&1; then
  tail -40 build-asan/test_thread_pool_tsan.log
  failed+=(test_thread_pool_tsan)
fi
echo "sanitize: built in $((built - start)) s, tests ran in $(($(date +%s) - built)) s"
if ((${#failed[@]})); then
  echo "sanitize: FAILED: ${failed[*]} (logs in build-asan/)" >&2
  exit 1
fi
echo "sanitize: no reports"
