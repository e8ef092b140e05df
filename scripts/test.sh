#!/usr/bin/env bash
# Sets Ganvas up (scripts/setup.sh) and runs every test with CTest, then the
# sanitizer stage: a subset of the tests built with ASan + UBSan
# (scripts/test_sanitize.sh; GANVAS_SANITIZE_STAGE=0 skips it, for a quick local run).
set -euo pipefail
cd "$(dirname "$0")/.."
GANVAS_WITH_TEST_TOOLS=1 scripts/setup.sh
scripts/check_style.sh
ctest --test-dir build --output-on-failure -j "$(nproc)" "$@"
if [ "${GANVAS_SANITIZE_STAGE:-1}" != 0 ]; then
  scripts/test_sanitize.sh
fi
