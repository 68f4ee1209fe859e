#!/usr/bin/env bash
# README command 2: install, build, run every test (unit + end-to-end + fuzz).
# The fuzzers (tests/fuzz, label fuzz) drive an ASan + UBSan build in
# build-san/; MLB_FUZZ_SEED replays a run, MLB_FUZZ_XFAIL tolerates known
# findings (default: none, strict).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
cmake -S . -B build-san -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMLB_SANITIZE=ON >/dev/null
cmake --build build-san -j"$(nproc)" --target mlockbench >/dev/null
echo "test: built $(pwd)/build-san/mlockbench (ASan + UBSan) for the fuzzers"
cd build
ctest --output-on-failure --timeout 900 "$@"
