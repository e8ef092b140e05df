#!/usr/bin/env bash
# Sets Ganvas up (scripts/setup.sh) and starts it; arguments go to ganvas.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec build/app/ganvas "$@"
