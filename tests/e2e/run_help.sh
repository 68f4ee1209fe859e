#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mlockbench run --help exits 0 on stdout and lists every option.
. "$(dirname "$0")/lib.sh"

"$MLB" run --help >"$tmp/help" 2>"$tmp/err" || fail "run --help exited $?"
[ -s "$tmp/err" ] && fail "run --help printed on stderr: $(cat "$tmp/err")"
grep -q '^usage: mlockbench run ' "$tmp/help" || fail "no usage line"
for o in workload procs size plain backing lock reps warmup pin membind interleave seed \
	collect perf-record timeout force job out overwrite quiet help; do
	grep -Eq "^  --$o( |\$)" "$tmp/help" || fail "run --help lacks --$o"
done
# the defaults shown are the ones in effect
grep -Eq '^  --procs LIST .*\[4\]$' "$tmp/help" || fail "--procs default not shown as [4]"
grep -Eq '^  --size LIST .*\[64M\]$' "$tmp/help" || fail "--size default not shown as [64M]"
grep -q '130 interrupted' "$tmp/help" || fail "exit statuses not explained"
# --help wins over the rest of the line, and runs nothing
"$MLB" run --procs 2 --help --out "$tmp/nothing" >/dev/null || fail "--help with options exited $?"
[ -e "$tmp/nothing" ] && fail "--help ran something"
echo PASS
