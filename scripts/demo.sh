#!/usr/bin/env bash
# README command 1: install, build, and run the default campaign — Debian 5.10
# (rmap-walk munlock) against Debian 6.1 (mlock_count), both booted in QEMU —
# then print the comparison.  Results go to results/ (the committed reference
# campaign in data/ is left alone); rerunning resumes, --force reruns.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
mlb=build/mlockbench
campaign=kernels/campaigns/default.ini
out=${MLOCKBENCH_DEMO_OUT:-results}

"$mlb" info
echo
"$mlb" campaign --out "$out" "$@" "$campaign"
echo
# the campaign folder stands for every boot of every kernel
"$mlb" compare --primary "$out"/default
"$mlb" plot -o "$out"/default/plots "$out"/default >/dev/null
echo "plots: $out/default/plots/"
