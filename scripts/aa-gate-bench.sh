#!/bin/bash
# A/A and planted benchmark of the gate (a benchmark, not a test; issue 11).
#
#   scripts/aa-gate-bench.sh [-a] [-k K] [-n MAX_SPLITS] [-p PLANTED_PREFIX] RUN_DIR...
#
# RUN_DIR...: real runs of one kernel and job (e.g. tests/fixtures/results/runs/aa-*).
# Gates every single-run pair both ways round (i != j: drift has no direction)
# and up to MAX_SPLITS (default 60)
# disjoint K-vs-K splits (default 3), and prints the exit statuses and the rate of rows
# called REGRESSION or IMPROVEMENT (false: the runs are A/A).  With -p, each
# split is gated again with the candidate side replaced by the planted copies
# PREFIX-N of the same runs (tests/fixtures/results/runs/make-fixtures.py
# writes p110-N, the timing columns x1.10) and the REGRESSION rate is printed.
# With -a, each gate is given the runs it does not use as A/A history
# (--calibrate): what a CI box that keeps earlier runs of its baseline has.
# MLOCKBENCH (default build/mlockbench) is the binary.
set -u
bin=${MLOCKBENCH:-build/mlockbench}
max=60
planted=
calibrate=
per_side=3
while getopts ak:n:p: o; do
	case $o in
	k) per_side=$OPTARG ;;
	a) calibrate=1 ;;
	n) max=$OPTARG ;;
	p) planted=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
runs=("$@")
n=${#runs[@]}
[ "$n" -ge 2 ] || { echo "usage: $0 [-n MAX] [-p PREFIX] RUN_DIR..." >&2; exit 2; }

declare -A rc_single rc_split rc_planted
rows=0 false_rows=0 planted_rows=0 planted_reg=0 planted_gates=0 planted_exit1=0

# the runs not in the comma lists given, as a comma list
others() {
	local k o= used=",$*,"
	used=${used// /,}
	for ((k = 0; k < n; k++)); do
		[[ $used == *",${runs[k]},"* ]] || o+=${o:+,}${runs[k]}
	done
	echo "$o"
}

# gate BASE CAND [USED]: exit status in $rc; rows and verdict counts added
# up; the A/A history (-a) leaves out BASE and USED (default CAND)
gate() {
	local cal=()
	[ -n "$calibrate" ] && cal=(-a "$(others "$1" "${3:-$2}")")
	out=$("$bin" gate -b "$1" -c "$2" "${cal[@]}" 2>&1)
	rc=$?
	nr=$(grep -cE ' (REGRESSION|IMPROVEMENT|NO-CHANGE|INCONCLUSIVE)$' <<<"$out")
	nf=$(grep -cE ' (REGRESSION|IMPROVEMENT)$' <<<"$out")
	nreg=$(grep -cE ' REGRESSION$' <<<"$out")
	[ "$rc" -ge 3 ] && echo "error: gate -b $1 -c $2: $out" >&2
}

for ((i = 0; i < n; i++)); do
	for ((j = 0; j < n; j++)); do
		[ "$i" = "$j" ] && continue
		gate "${runs[i]}" "${runs[j]}"
		rc_single[$rc]=$((${rc_single[$rc]:-0} + 1))
		rows=$((rows + nr)); false_rows=$((false_rows + nf))
	done
done
single_rows=$rows single_false=$false_rows

# disjoint K-vs-K splits, drawn with a fixed seed
mapfile -t splits < <(python3 - "$n" "$max" "$per_side" <<'PY'
import itertools, random, sys
n, mx, k = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
# disjoint pairs of k-subsets, a < b; drawn with a fixed seed when there are many
a_sets = list(itertools.combinations(range(n), k))
rng = random.Random(11)
seen, out = set(), []
for _ in range(200000):
    if len(out) >= mx:
        break
    a = rng.choice(a_sets)
    rest = [x for x in range(n) if x not in a]
    if len(rest) < k:
        break
    b = tuple(sorted(rng.sample(rest, k)))
    key = (min(a, b), max(a, b))
    if key not in seen:
        seen.add(key)
        out.append(key)
for a, b in out:
    print(",".join(map(str, a)), ",".join(map(str, b)))
PY
)
split_rows=0 split_false=0
for sp in "${splits[@]}"; do
	read -r a b <<<"$sp"
	base= cand= cand_p=
	for k in ${a//,/ }; do base+=${base:+,}${runs[k]}; done
	for k in ${b//,/ }; do
		cand+=${cand:+,}${runs[k]}
		[ -n "$planted" ] && cand_p+=${cand_p:+,}$planted-$(basename "${runs[k]}" | sed 's/.*-//')
	done
	gate "$base" "$cand"
	rc_split[$rc]=$((${rc_split[$rc]:-0} + 1))
	split_rows=$((split_rows + nr)); split_false=$((split_false + nf))
	if [ -n "$planted" ]; then
		gate "$base" "$cand_p" "$cand"
		rc_planted[$rc]=$((${rc_planted[$rc]:-0} + 1))
		planted_gates=$((planted_gates + 1))
		planted_rows=$((planted_rows + nr)); planted_reg=$((planted_reg + nreg))
		[ "$rc" = 1 ] && planted_exit1=$((planted_exit1 + 1))
	fi
done

pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f%%", b ? 100 * a / b : 0 }'; }
statuses() { local -n m=$1; for k in 0 1 2 3; do printf ' exit%s=%s' "$k" "${m[$k]:-0}"; done; }
echo "runs: $n"
echo "single-run pairs, both ways: $((n * (n - 1))) gates,$(statuses rc_single); false rows" \
     "$single_false/$single_rows ($(pct "$single_false" "$single_rows"))"
echo "$per_side-vs-$per_side splits: ${#splits[@]} gates,$(statuses rc_split); false rows" \
     "$split_false/$split_rows ($(pct "$split_false" "$split_rows"))"
all=$((single_rows + split_rows)); allf=$((single_false + split_false))
echo "A/A all: $(( n * (n - 1) + ${#splits[@]} )) gates; false REGRESSION/IMPROVEMENT rows" \
     "$allf/$all ($(pct "$allf" "$all"))"
[ -n "$planted" ] && echo "planted $planted, $per_side-vs-$per_side: $planted_gates gates,$(statuses rc_planted);" \
     "exit 1 in $planted_exit1 ($(pct "$planted_exit1" "$planted_gates")); REGRESSION rows" \
     "$planted_reg/$planted_rows ($(pct "$planted_reg" "$planted_rows"))"
exit 0
