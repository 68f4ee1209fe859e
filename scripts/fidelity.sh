#!/usr/bin/env bash
# Harness fidelity: the exit workload timed by mlockbench vs the same
# workload as a bare program (bench/fidelity/bare_exit.c), alternated in one
# run so drift hits both alike.  Prints both medians and their ratio.
# usage: scripts/fidelity.sh [PROCS] [SIZE_BYTES] [ROUNDS] [REPS_PER_ROUND]
set -euo pipefail
cd "$(dirname "$0")/.."
procs=${1:-64} size=${2:-$((64 << 20))} rounds=${3:-10} reps=${4:-5}
mlb=build/mlockbench bare=build/bare_exit
[ -x "$mlb" ] && [ -x "$bare" ] || { echo "fidelity: build first (scripts/setup.sh)" >&2; exit 3; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

for ((r = 0; r < rounds; r++)); do
	"$bare" "$procs" "$size" "$reps" >>"$tmp/bare.ns"
	"$mlb" run --workload exit --procs "$procs" --size "$size" --reps "$reps" \
		--warmup 0 --collect none --quiet --out "$tmp/r$r"
	awk -F, 'NR > 1 { print $14 }' "$tmp/r$r/samples.csv" >>"$tmp/mlb.ns"
	printf '\rfidelity: round %d/%d' $((r + 1)) "$rounds" >&2
done
echo >&2

median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
b=$(median "$tmp/bare.ns") m=$(median "$tmp/mlb.ns")
awk -v b="$b" -v m="$m" -v n="$(wc -l <"$tmp/bare.ns")" -v p="$procs" -v s="$size" 'BEGIN {
	printf "exit, %d procs, %d MiB, %d reps each, alternated\n", p, s / 1048576, n
	printf "bare program  median teardown %.3f ms\n", b / 1e6
	printf "mlockbench    median teardown %.3f ms\n", m / 1e6
	printf "ratio mlockbench/bare %.3f (%+.1f%%)\n", m / b, 100 * (m / b - 1)
}'
