#!/usr/bin/env bash
# Sets Ganvas up (scripts/setup.sh) and runs every test with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
GANVAS_WITH_TEST_TOOLS=1 scripts/setup.sh
scripts/check_style.sh
ctest --test-dir build --output-on-failure -j "$(nproc)" "$@"
