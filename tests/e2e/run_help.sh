#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mlockbench run --help exits 0 on stdout and lists every option.
. "$(dirname "$0")/lib.sh"

"$MLB" run --help >"$tmp/help" 2>"$tmp/err" || fail "run --help exited $?"
[ -s "$tmp/err" ] && fail "run --help printed on stderr: $(cat "$tmp/err")"
grep -q '^usage: mlockbench run ' "$tmp/help" || fail "no usage line"
for o in workload procs size plain backing lock reps warmup pin membind interleave seed \
	collect probe perf-record timeout force reserve vmas lock-offset lock-len require-thp job out \
	overwrite quiet help; do
	grep -Eq "^  --$o( |\$)" "$tmp/help" || fail "run --help lacks --$o"
done
# the defaults shown are the ones in effect
grep -Eq '^  --procs LIST .*\[4\]$' "$tmp/help" || fail "--procs default not shown as [4]"
grep -Eq '^  --size LIST .*\[64M\]$' "$tmp/help" || fail "--size default not shown as [64M]"
grep -Eq '^  --lock-offset OFF .*auto.*\[0\]$' "$tmp/help" || fail "--lock-offset: no auto or [0]"
grep -q '130 interrupted' "$tmp/help" || fail "exit statuses not explained"
# every workload and collector an ops file defines is listed, from the registries
src=$(dirname "$0")/../../bench
section() { sed -n "/^$1/,/^\$/p" "$tmp/help"; }
section Workloads >"$tmp/wl"
section Collectors >"$tmp/col"
names() {	# the .name of every ops struct of that version in $2
	grep -l "\.version = $1" "$2"/*.c | xargs sed -n 's/^\t\.name = "\([^"]*\)",$/\1/p'
}
n=0
for w in $(names WORKLOAD_OPS_VERSION "$src/workloads"); do
	grep -Eq "^  $w +[^ ]" "$tmp/wl" || fail "run --help lacks workload $w"
	n=$((n + 1))
done
[ "$n" -ge 3 ] || fail "only $n workloads found in $src/workloads"
n=0
for c in $(names COLLECTOR_OPS_VERSION "$src/collectors"); do
	grep -Eq "^  $c +[^ ]" "$tmp/col" || fail "run --help lacks collector $c"
	n=$((n + 1))
done
[ "$n" -ge 4 ] || fail "only $n collectors found in $src/collectors"
# their options, as the option table declares them
grep -q '^    :method=auto|tracepoint|kprobe|profile$' "$tmp/col" ||
	fail "run --help lacks the locks method option"
grep -q '^    :scope=system|inherit$' "$tmp/col" || fail "run --help lacks the perf scope option"
# a workload's own options say whose they are
grep -Eq '^  --reserve SIZE .*; --workload munlockall-reserve only \[64G\]$' "$tmp/help" ||
	fail "--reserve does not say it is munlockall-reserve's"
grep -Eq '^  --vmas K .*; --workload vmas only \[1024\]$' "$tmp/help" ||
	fail "--vmas does not say it is the vmas workload's"
# and the job option's help names no workload of its own
grep -E '^  --workload ' "$tmp/help" | grep -q munmap && fail "--workload help keeps a list"
# --help wins over the rest of the line, and runs nothing
"$MLB" run --procs 2 --help --out "$tmp/nothing" >/dev/null || fail "--help with options exited $?"
[ -e "$tmp/nothing" ] && fail "--help ran something"
echo PASS
