#!/usr/bin/env bash
# Ganvas's CPU speed against PyTorch set up fairly, and against the machine's
# own FMA peak, in one run (shared/BENCHMARKS.md's method). Prints a Markdown
# table of ms per step for the four reference models.
#   scripts/bench_cpu.sh [STEPS]        (default 20 timed steps, 3 warm-up)
#   ROUNDS=3 scripts/bench_cpu.sh       best of 3 rounds per figure (default 2)
#   MODELS=dcgan28,prior49 scripts/bench_cpu.sh
#
# PyTorch is Debian's python3-torch with OpenBLAS installed and selected as
# libblas.so.3 (the reference BLAS would make it 3-6x slower: not a fair peer),
# run in the three set-ups of BENCHMARKS.md; the best of them per model is the
# figure to beat. "Interference" runs Ganvas beside one busy loop at normal
# priority, with one and with two threads.
set -euo pipefail
cd "$(dirname "$0")/.."
steps="${1:-20}"
rounds="${ROUNDS:-2}"
models="${MODELS:-dcgan28,wgan_gp28,vqgan28,prior49}"
bin=build/app/ganvas
ref=../shared/reference/torch_reference.py
py=/usr/bin/python3   # Debian's Python, where python3-torch lives
[ -x "$bin" ] || scripts/setup.sh

need=()
$py -c 'import torch' 2>/dev/null || need+=(python3-torch)
dpkg -s libopenblas0-pthread >/dev/null 2>&1 || need+=(libopenblas0-pthread)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
blas=$(update-alternatives --query libblas.so.3-x86_64-linux-gnu 2>/dev/null | awk '/^Value:/ {print $2}')
case "$blas" in
  *openblas*) ;;
  *) echo "libblas.so.3 is $blas, not OpenBLAS: PyTorch would be handicapped." >&2
     echo "Select it: update-alternatives --set libblas.so.3-x86_64-linux-gnu \\" >&2
     echo "  /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3" >&2
     exit 1 ;;
esac

fma=$(mktemp); trap 'rm -f "$fma"' EXIT
gcc -O2 -march=native -fopenmp ../shared/bench/fma_peak.c -o "$fma"

# One figure per model from a JSON line: "dcgan28": 63.6, ...
ms_of() { grep -o "\"$2\": [0-9.]*" <<<"$1" | head -1 | awk '{print $2}'; }
best() { tr ' ' '\n' <<<"$*" | grep . | sort -g | head -1; }

declare -A fig
once() {  # once LABEL COMMAND...: one more figure per model for LABEL
  local label=$1; shift
  local out m
  out=$("$@" 2>/dev/null | tail -1)
  for m in ${models//,/ }; do fig[$label/$m]+=" $(ms_of "$out" "$m")"; done
}
keep_best() {  # keep_best LABEL...: each label's best figure per model
  local label m
  for label in "$@"; do
    for m in ${models//,/ }; do fig[$label/$m]=$(best ${fig[$label/$m]}); done
  done
}
run() {  # run LABEL COMMAND...: best of $rounds rounds per model
  local r
  for r in $(seq "$rounds"); do once "$@"; done
  keep_best "$1"
}

peak1=$(OMP_NUM_THREADS=1 "$fma" | awk '{print $1}')
peak2=$(OMP_NUM_THREADS=2 "$fma" | awk '{print $1}')
torch_bench=($py "$ref" bench --models "$models" --steps "$steps" --warmup 3)
run "torch1" "${torch_bench[@]}" --threads 1
run "torch1o" env OPENBLAS_NUM_THREADS=1 "${torch_bench[@]}" --threads 1
run "torch2o" env OPENBLAS_NUM_THREADS=1 "${torch_bench[@]}" --threads 2
run "ganvas1" "$bin" bench --steps "$steps" --threads 1 --json
run "ganvas2" "$bin" bench --steps "$steps" --threads 2 --json
sh -c 'while :; do :; done' & busy=$!
trap 'kill $busy 2>/dev/null || true; rm -f "$fma"' EXIT
# Beside the busy loop the one- and two-thread runs alternate, round by round,
# so that a drift in the machine's speed reaches both alike. Last in each
# round, two independent 1-thread runs at once, which never wait for each
# other: with three busy threads on two cores they share about 4/3 of a core.
for r in $(seq "$rounds"); do
  once "busy1" "$bin" bench --steps "$steps" --threads 1 --json
  once "busy2" "$bin" bench --steps "$steps" --threads 2 --json
  a=$(mktemp); "$bin" bench --steps "$steps" --threads 1 --json 2>/dev/null | tail -1 >"$a" &
  b=$("$bin" bench --steps "$steps" --threads 1 --json 2>/dev/null | tail -1); wait $!
  for m in ${models//,/ }; do
    fig[pair/$m]+=" $(awk -v a="$(ms_of "$(cat "$a")" "$m")" -v b="$(ms_of "$b" "$m")" \
      'BEGIN {printf "%.1f", 1 / (1 / a + 1 / b)}')"
  done
  rm -f "$a"
done
keep_best busy1 busy2 pair
kill $busy

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
echo "Machine: $(nproc) cores, $cpu; FMA peak $peak1 GFLOP/s on one core, $peak2 on two."
echo "PyTorch $($py -c 'import torch; print(torch.__version__)') with $blas; best of $rounds rounds of $steps steps."
echo
header="| ms per step |"; rule="|---|"
for m in ${models//,/ }; do header+=" $m |"; rule+="---|"; done
echo "$header"; echo "$rule"
row() {  # row TITLE LABEL
  local line="| $1 |" m
  for m in ${models//,/ }; do line+=" ${fig[$2/$m]} |"; done
  echo "$line"
}
row "PyTorch, 1 thread" torch1
row "PyTorch, 1 thread, OPENBLAS_NUM_THREADS=1" torch1o
row "PyTorch, 2 threads, OPENBLAS_NUM_THREADS=1" torch2o
row "Ganvas, 1 thread" ganvas1
row "Ganvas, 2 threads" ganvas2
line="| **Ganvas (2 threads) vs PyTorch's best** |"
for m in ${models//,/ }; do
  b=$(best "${fig[torch1/$m]}" "${fig[torch1o/$m]}" "${fig[torch2o/$m]}")
  line+=" **$(awk -v a="$b" -v g="${fig[ganvas2/$m]}" 'BEGIN {printf "%.2f×", a / g}')** |"
done
echo "$line"
row "Ganvas, 1 thread, beside a busy loop" busy1
row "Ganvas, 2 threads, beside a busy loop" busy2
line="| 2 threads vs 1, beside a busy loop |"
for m in ${models//,/ }; do
  line+=" $(awk -v a="${fig[busy1/$m]}" -v b="${fig[busy2/$m]}" 'BEGIN {printf "%.2f×", a / b}') |"
done
echo "$line"
# Amdahl's law from the quiet runs: two threads x times faster than one leave a
# serial share s = 2/x - 1. Beside the busy loop the pool's worker keeps off
# the caller's core, so the caller has a core and the worker half of the
# other: the parallel part can run at most 1.5x one thread, the serial part
# no faster, so two threads can beat one by at most 1 / (s + (1 - s) / 1.5).
line="| 2 threads vs 1, quiet (serial share s) |"
for m in ${models//,/ }; do
  line+=" $(awk -v a="${fig[ganvas1/$m]}" -v b="${fig[ganvas2/$m]}" 'BEGIN {
    x = a / b; s = 2 / x - 1; if (s < 0) s = 0; printf "%.2f× (s %.0f%%)", x, s * 100 }') |"
done
echo "$line"
line="| the bound beside a busy loop, 1 / (s + (1 − s) / 1.5) |"
for m in ${models//,/ }; do
  line+=" $(awk -v a="${fig[ganvas1/$m]}" -v b="${fig[ganvas2/$m]}" 'BEGIN {
    s = 2 * b / a - 1; if (s < 0) s = 0; printf "%.2f×", 1 / (s + (1 - s) / 1.5) }') |"
done
echo "$line"
line="| two independent 1-thread runs at once vs one, beside a busy loop |"
for m in ${models//,/ }; do
  line+=" $(awk -v a="${fig[busy1/$m]}" -v b="${fig[pair/$m]}" 'BEGIN {printf "%.2f×", a / b}') |"
done
echo "$line"
case ",$models," in *,dcgan28,*)
  echo
  awk -v ms="${fig[ganvas2/dcgan28]}" -v peak="$peak2" 'BEGIN {
    printf "dcgan28 (10.4 GFLOP a step) at 2 threads: %.0f GFLOP/s, %.0f%% of the two cores'"'"' FMA peak.\n",
           10.4 / ms * 1000, 10.4 / ms * 1000 / peak * 100 }' ;;
esac
