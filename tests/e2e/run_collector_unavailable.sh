#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A collector that cannot open is this machine's or this user's limit, not
# a failed measurement: exit 3, found before any measurement and before the
# result folder exists, for the first job and for a later one alike.
. "$(dirname "$0")/lib.sh"

# expect3 NAME ARGS...: exit 3, one line naming the collector, no folder
expect3() {
	local name=$1 rc

	shift
	timeout -s KILL 60 "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	rc=$?
	[ $rc -eq 3 ] || fail "$name: exit status $rc, want 3 ($(cat "$tmp/$name.err"))"
	grep -q '^mlockbench run: collector ' "$tmp/$name.err" ||
		fail "$name: stderr: $(cat "$tmp/$name.err")"
	[ "$(wc -l <"$tmp/$name.err")" -eq 1 ] || fail "$name: more than one line: $(cat "$tmp/$name.err")"
}

# perf-record without perf on PATH: the collector's open says ENOENT.
expect3 noperf env PATH=/nonexistent "$MLB" run --quiet --out "$tmp/noperf" --procs 1 \
	--size 4M --reps 1 --warmup 0 --collect none --perf-record
[ -e "$tmp/noperf" ] && fail "noperf: a result folder was created before the collector opened"

# The same in the second job of a job file: the folder exists by then, with
# the first job's configuration, and the status is still 3.
cat >"$tmp/two.ini" <<EOF2
[global]
procs = 1
size = 4M
reps = 1
warmup = 0
collect = none

[first]

[second]
perf-record = yes
EOF2
expect3 second env PATH=/nonexistent "$MLB" run --quiet --out "$tmp/second" --job "$tmp/two.ini"
grep -q '"status": "failed"' "$tmp/second/manifest.json" || fail "second: manifest status"

# perf as nobody: with kernel.perf_event_paranoid >= 2 (or without a PMU)
# the counters do not open; then it must be 3, not 1.
if id nobody >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
	dir=$(mktemp -d /tmp/mlb-nobody.XXXXXX)
	chown nobody "$dir"
	su nobody -s /bin/bash -c "timeout -s KILL 60 '$MLB' run --quiet --out '$dir/r' \
		--procs 1 --size 4M --reps 1 --warmup 0 --collect perf" >"$tmp/nobody.err" 2>&1
	rc=$?
	rm -rf "$dir"
	case $rc in
	0) echo "perf as nobody: the counters open here, nothing to check" ;;
	3) grep -q 'collector perf' "$tmp/nobody.err" || fail "nobody: $(cat "$tmp/nobody.err")" ;;
	*) fail "perf as nobody: exit status $rc, want 3 ($(cat "$tmp/nobody.err"))" ;;
	esac
fi
no_leftover_procs 2
echo PASS
