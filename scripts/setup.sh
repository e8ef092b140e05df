#!/usr/bin/env bash
# Installs the Debian packages Ganvas needs (idempotent), then configures and
# builds it in build/. Runs as root or through sudo.
#   scripts/setup.sh            install + build
#   GANVAS_PORTABLE=ON scripts/setup.sh   build without -march=native
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake ninja-build pkg-config   # toolchain
  ccache                                          # cheap rebuilds across checkouts
  libeigen3-dev                                   # CPU kernels
  libdnnl-dev                                     # oneDNN: the CPU's matrix products (sgemm)
  ocl-icd-opencl-dev                              # only a Recommends of libdnnl-dev, but its CMake config requires OpenCL
  libstb-dev                                      # PNG writing; GIF/BMP reading
  libpng-dev                                      # PNG reading (checks CRCs, zlib, truncation)
  libjpeg-dev                                     # JPEG reading (libjpeg-turbo)
  nlohmann-json3-dev                              # safetensors headers, experiment files
  libcli11-dev                                    # command-line flags and --help
  zlib1g-dev                                      # gzip'd IDX files
  libgif-dev                                      # animated GIF export
  libimgui-dev libglfw3-dev libgl-dev             # the window: Dear ImGui 1.86, GLFW, OpenGL
  libepoxy-dev                                    # loads OpenGL's functions (ImGui's backend, the GPU backend)
  glslang-tools                                   # glslangValidator: the build checks shaders/*.comp
  libegl-dev libopengl0                           # the GPU backend: headless EGL, OpenGL without GLX
  libegl-mesa0 libgl1-mesa-dri                    # Mesa's EGL and llvmpipe: the GPU tests run without a GPU
  fonts-dejavu-core                               # readable UI text
  fonts-noto-cjk                                  # the Chinese interface (Noto Sans CJK SC)
  libfarmhash-dev                                 # TensorFlow's string hash for hashed feature columns
  libgtest-dev                                    # unit tests
  dataset-fashion-mnist                           # the default data set
)

# The tests also need an X server for the window test.
if [ "${GANVAS_WITH_TEST_TOOLS:-0}" = 1 ]; then
  PACKAGES+=(xvfb xauth xdotool clang-format)
fi
# scripts/fuzz.sh builds the fuzz targets with clang's libFuzzer. libFuzzer and the
# sanitizers' runtimes (libclang-rt-dev) are only a Recommends of clang, which
# --no-install-recommends below would skip; without them -fsanitize=fuzzer does not link.
if [ "${GANVAS_WITH_FUZZ_TOOLS:-0}" = 1 ]; then
  PACKAGES+=(clang libclang-rt-dev)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DGANVAS_PORTABLE="${GANVAS_PORTABLE:-OFF}" >/dev/null
cmake --build build -j "$(nproc)"
echo "setup: built build/app/ganvas"
