#!/usr/bin/env bash
# Training speed with the window open against headless `ganvas bench`, and
# the window's frame time, in one run on this machine (shared/BENCHMARKS.md:
# the window keeps 60 fps and at least 90% of headless training speed).
#   scripts/bench_window.sh [STEPS]      (default 100 steps of dcgan28; ROUNDS=3 rounds)
# Without a $DISPLAY it starts Xvfb (Mesa's llvmpipe renders). The window draws
# a frame when something changes; CONTINUOUS=1 makes it draw every frame (up to
# 60 fps), as it does while the user moves the mouse or drags a plot.
set -euo pipefail
cd "$(dirname "$0")/.."
steps="${1:-100}"
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

field() { grep -o "\"$1\": [0-9.]*" <<<"$2" | head -1 | awk '{print $2}'; }
median() { tr ' ' '\n' <<<"$*" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

# This machine's speed drifts from minute to minute: alternate the two runs
# and compare medians.
rounds="${ROUNDS:-3}"
bench=() step=() wall=() frame=()
for r in $(seq "$rounds"); do
  # --warmup 0: the window's figure counts every step from the first, whose
  # first-use work (oneDNN's kernels, the memory cache) costs about 45 ms more.
  headless=$("$bin" bench --model dcgan28 --steps "$steps" --warmup 0 --json 2>/dev/null)
  shot=$(mktemp --suffix=.png)
  window=$("$bin" --screenshot "$shot" --train-steps "$steps" --tab Losses --timing - \
           ${CONTINUOUS:+--continuous} 2>/dev/null)
  rm -f "$shot"
  echo "round $r: headless $headless"
  echo "         window   $window"
  bench+=("$(grep -o '"dcgan28": [0-9.]*' <<<"$headless" | awk '{print $2}')")
  step+=("$(field ms_per_step "$window")")
  wall+=("$(field ms_per_step_wall "$window")")
  frame+=("$(field frame_ms_median "$window")")
done
awk -v b="$(median "${bench[@]}")" -v s="$(median "${step[@]}")" -v w="$(median "${wall[@]}")" \
    -v f="$(median "${frame[@]}")" 'BEGIN {
  printf "headless %.1f ms/step; with the window %.1f ms/step (%.1f ms counting sampling and checkpoints)\n", b, s, w
  printf "training with the window: %.1f%% of headless speed (%.1f%% counting sampling and checkpoints)\n", 100*b/s, 100*b/w
  printf "median UI frame time: %.2f ms (60 fps needs <= 16.7)\n", f
}'
