#!/usr/bin/env bash
# Regenerate the committed reference campaign: data/default/ (result folders
# and compare tables) and plots/ (its plots).  Takes about as long as the
# demo; commit the changes it makes.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
mlb=build/mlockbench
"$mlb" campaign --out data --force kernels/campaigns/default.ini
# the campaign folder stands for every boot of both kernels
"$mlb" compare data/default >data/default/compare.txt
"$mlb" compare --detail data/default >data/default/compare-detail.txt
"$mlb" compare --format markdown --primary data/default >data/default/compare.md
"$mlb" plot -o plots data/default
