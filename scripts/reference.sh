#!/usr/bin/env bash
# Regenerate the committed reference campaign: data/default/ (result folders
# and compare tables) and plots/ (its plots).  Takes about as long as the
# demo; commit the changes it makes.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
mlb=build/mlockbench
"$mlb" campaign --out data --force kernels/campaigns/default.ini
dirs=(data/default/debian-5.10 data/default/debian-6.1)
"$mlb" compare "${dirs[@]}" >data/default/compare.txt
"$mlb" compare --format markdown --primary "${dirs[@]}" >data/default/compare.md
"$mlb" plot -o plots "${dirs[@]}"
