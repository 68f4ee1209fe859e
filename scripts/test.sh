#!/usr/bin/env bash
# README command 2: install, build, run every test (unit + end-to-end).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
cd build
ctest --output-on-failure --timeout 900 "$@"
