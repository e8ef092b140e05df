#!/usr/bin/env bash
# Ganvas's GPU steps against PyTorch CUDA eager on the same GPU, prepared as one
# run for a GPU machine that is lent for minutes (shared/BENCHMARKS.md, "GPU
# measurements"). Two halves:
#
#   scripts/bench_gpu.sh pack        here: build in build-gpu/ without
#       -march=native, then put into .gpu/ (ignored by git) the binary, the GL
#       test binaries, the libraries they need beyond
#       glibc and libstdc++, the EGL probe, the PyTorch reference, and Debian's GL
#       dispatch packages (a bare GPU machine has NVIDIA's driver but not these).
#   scripts/bench_gpu.sh run [STEPS] there: unpack, bring EGL up, then the probe,
#       `ganvas bench --device gpu`, PyTorch's bench on CUDA, a dcgan28 profile
#       and the GL op and model-step tests; prints a Markdown table and leaves
#       every output under $OUT (default /tmp/ganvas-gpu-out). Here, on Mesa's
#       llvmpipe, the same run checks the script itself:
#       WARMUP=0 PROBE_N=256 scripts/bench_gpu.sh run 1
#
# With the device tool, after `pack`:
#   run(command="scripts/bench_gpu.sh run", carry=[".gpu"], timeout_s=480)
set -uo pipefail
cd "$(dirname "$0")/.."
bundle=.gpu/bundle.tar.xz

pack() {
  set -e
  [ -x build/app/ganvas ] || scripts/setup.sh
  # Built without -march=native: the GPU machine's processor is not this one, and
  # an instruction this one has and that one lacks would end the run at once.
  cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DGANVAS_PORTABLE=ON >/dev/null
  cmake --build build-gpu --target ganvas test_backend_ops test_model_device_steps >/dev/null
  rm -rf .gpu
  mkdir -p .gpu/stage/bin .gpu/stage/lib .gpu/gl
  cp build-gpu/app/ganvas build-gpu/tests/test_backend_ops build-gpu/tests/test_model_device_steps \
    .gpu/stage/bin/
  gcc -O2 ../shared/bench/glcompute_probe.c -o .gpu/stage/bin/glprobe -lEGL -lGL
  cp ../shared/reference/torch_reference.py .gpu/stage/
  # Every shared library beyond the C and C++ runtimes (the machine's own are
  # newer) and the GL dispatch libraries (from the packages below).
  for b in .gpu/stage/bin/*; do ldd "$b"; done | awk '/=> \// {print $3}' | sort -u |
    grep -vE '/(libc|libm|libdl|libpthread|librt|libstdc\+\+|libgcc_s|libGL|libGLX|libGLdispatch|libOpenGL|libEGL)\.so' |
    while read -r lib; do cp -L "$lib" .gpu/stage/lib/; done
  tar -C .gpu/stage -cJf "$bundle" .
  rm -rf .gpu/stage
  (cd .gpu/gl && apt-get download -qq libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2 2>/dev/null)
  tracked=$(git ls-files -z | xargs -0 du -cb 2>/dev/null | tail -1 | cut -f1)
  carried=$(du -sb .gpu | cut -f1)
  echo "packed .gpu: $((carried / 1048576)) MiB, with the tracked tree $(((carried + tracked) / 1048576)) MiB (the device tool takes 64)"
}

ms_of() { grep -o "\"$2\": [0-9.]*" <<<"$1" | head -1 | awk '{print $2}'; }

run() {
  local steps="${1:-50}" warmup="${WARMUP:-3}" out="${OUT:-/tmp/ganvas-gpu-out}" dir=/tmp/ganvas-gpu
  [ -f "$bundle" ] || { echo "bench_gpu: no $bundle; run 'scripts/bench_gpu.sh pack' first" >&2; exit 2; }
  mkdir -p "$out"
  rm -rf "$dir" && mkdir -p "$dir" && tar -C "$dir" -xJf "$bundle"
  if command -v nvidia-smi >/dev/null && [ "$(id -u)" = 0 ]; then
    # A bare NVIDIA machine: the GL dispatch packages into /, as the device notes say.
    for f in .gpu/gl/*.deb; do dpkg -x "$f" /; done
    ldconfig
    local vendor=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
    [ -f "$vendor" ] && export __EGL_VENDOR_LIBRARY_FILENAMES="$vendor"
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee "$out/gpu.txt"
  fi
  export LD_LIBRARY_PATH="$dir/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

  echo "== EGL probe"
  timeout 60 stdbuf -oL "$dir/bin/glprobe" "${PROBE_N:-1024}" 2>&1 | tee "$out/glprobe.txt"
  echo "== ganvas bench --device gpu ($steps steps)"
  local ganvas torch
  ganvas=$(timeout 300 "$dir/bin/ganvas" bench --device gpu --steps "$steps" --warmup "$warmup" --json \
    2>"$out/ganvas_bench.txt" | tail -1)
  echo "$ganvas" | tee "$out/ganvas.json"
  echo "== PyTorch on CUDA ($steps steps)"
  torch=$(cd "$dir" && timeout 180 "${PYTHON:-python3}" torch_reference.py bench --device cuda \
    --steps "$steps" --warmup "$warmup" 2>"$out/torch_bench.txt" | tail -1)
  echo "$torch" | tee "$out/torch.json"
  echo "== dcgan28 by op (ganvas bench --profile)"
  timeout 120 "$dir/bin/ganvas" bench --device gpu --model dcgan28 --steps "$steps" --warmup "$warmup" --profile \
    >/dev/null 2>"$out/profile_dcgan28.txt"
  head -30 "$out/profile_dcgan28.txt"
  echo "== GL op cases and model steps against the CPU"
  (cd "$dir/bin" && timeout 240 ./test_backend_ops --gtest_filter='*/gl_*' \
    --gtest_brief=1 >"$out/test_backend_ops.txt" 2>&1; echo "test_backend_ops: rc $?")
  (cd "$dir/bin" && timeout 240 ./test_model_device_steps --gtest_filter='*Gl*' \
    --gtest_brief=1 >"$out/test_model_device_steps.txt" 2>&1; echo "test_model_device_steps: rc $?")
  tail -n 3 "$out/test_backend_ops.txt" "$out/test_model_device_steps.txt"

  local renderer line m
  renderer=$(grep -o '"renderer": "[^"]*"' <<<"$ganvas" | cut -d'"' -f4)
  {
    echo
    echo "GPU: $(cat "$out/gpu.txt" 2>/dev/null || echo none found); Ganvas on: ${renderer:-no GL context}"
    echo "PyTorch: $(grep -o '"torch": "[^"]*"' <<<"$torch" | cut -d'"' -f4) on CUDA; $steps timed steps each."
    echo
    echo "| ms per step | dcgan28 | wgan_gp28 | vqgan28 | prior49 |"
    echo "|---|---|---|---|---|"
    for row in "PyTorch CUDA eager:$torch" "Ganvas, OpenGL compute:$ganvas"; do
      line="| ${row%%:*} |"
      for m in dcgan28 wgan_gp28 vqgan28 prior49; do line+=" $(ms_of "${row#*:}" "$m") |"; done
      echo "$line"
    done
    line="| **Ganvas vs PyTorch** |"
    for m in dcgan28 wgan_gp28 vqgan28 prior49; do
      line+=" $(awk -v t="$(ms_of "$torch" "$m")" -v g="$(ms_of "$ganvas" "$m")" \
        'BEGIN {if (t > 0 && g > 0) printf "**%.2f×**", t / g; else printf "–"}') |"
    done
    echo "$line"
  } | tee "$out/table.md"
}

case "${1:-}" in
  pack) pack ;;
  run) shift; run "$@" ;;
  *) echo "usage: scripts/bench_gpu.sh pack | run [STEPS]" >&2; exit 2 ;;
esac
