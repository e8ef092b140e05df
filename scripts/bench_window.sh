#!/usr/bin/env bash
# Training speed with the window open against headless `ganvas bench`, and
# the window's frame time, in one run on this machine (shared/BENCHMARKS.md:
# the window keeps 60 fps and at least 90% of headless training speed).
#   scripts/bench_window.sh [STEPS]      (default 200 steps of dcgan28)
# Without a $DISPLAY it starts Xvfb (Mesa's llvmpipe renders).
set -euo pipefail
cd "$(dirname "$0")/.."
steps="${1:-200}"
bin=build/app/ganvas
[ -x "$bin" ] || scripts/setup.sh

xvfb_pid=""
if [ -z "${DISPLAY:-}" ]; then
  exec {fd}<> <(:)
  Xvfb -displayfd "$fd" -screen 0 1600x1000x24 -nolisten tcp 2>/dev/null &
  xvfb_pid=$!
  read -r -u "$fd" display
  export DISPLAY=":$display"
  trap 'kill $xvfb_pid' EXIT
fi

echo "headless: ganvas bench --model dcgan28 --steps $steps --json"
headless=$("$bin" bench --model dcgan28 --steps "$steps" --json 2>/dev/null)
echo "  $headless"
echo "window:   ganvas --screenshot ... --train-steps $steps --timing -"
shot=$(mktemp --suffix=.png)
window=$("$bin" --screenshot "$shot" --train-steps "$steps" --tab Losses --timing - 2>/dev/null)
rm -f "$shot"
echo "  $window"

field() { grep -o "\"$1\": [0-9.]*" <<<"$2" | head -1 | awk '{print $2}'; }
bench_ms=$(grep -o '"dcgan28": [0-9.]*' <<<"$headless" | awk '{print $2}')
step_ms=$(field ms_per_step "$window")
wall_ms=$(field ms_per_step_wall "$window")
frame_ms=$(field frame_ms_median "$window")
awk -v b="$bench_ms" -v s="$step_ms" -v w="$wall_ms" -v f="$frame_ms" 'BEGIN {
  printf "training with the window: %.1f%% of headless speed per step, %.1f%% counting sampling and checkpoints\n", 100*b/s, 100*b/w
  printf "median UI frame time: %.2f ms (60 fps needs <= 16.7)\n", f
}'
