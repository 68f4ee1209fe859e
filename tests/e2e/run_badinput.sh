#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mlockbench run refuses bad or unsafe input before it starts anything: exit
# 2, exactly one line on stderr saying what is wrong, no result folder.
. "$(dirname "$0")/lib.sh"

n=0
# bad NEEDLE ARGS...: run must exit 2 with one stderr line containing NEEDLE.
bad() {
	local needle=$1 rc lines

	shift
	n=$((n + 1))
	"$MLB" run --quiet --out "$tmp/bad$n" "$@" >"$tmp/bad$n.out" 2>"$tmp/bad$n.err"
	rc=$?
	[ $rc -eq 2 ] || fail "run $* exited $rc, want 2: $(cat "$tmp/bad$n.err")"
	lines=$(wc -l <"$tmp/bad$n.err")
	[ "$lines" -eq 1 ] || fail "run $* printed $lines lines on stderr: $(cat "$tmp/bad$n.err")"
	grep -q '^mlockbench run: ' "$tmp/bad$n.err" || fail "run $*: $(cat "$tmp/bad$n.err")"
	grep -qF -- "$needle" "$tmp/bad$n.err" ||
		fail "run $*: message lacks '$needle': $(cat "$tmp/bad$n.err")"
	[ -s "$tmp/bad$n.out" ] && fail "run $* printed on stdout: $(cat "$tmp/bad$n.out")"
	[ -e "$tmp/bad$n" ] && fail "run $* created its result folder"
	return 0
}

bad "procs: 0 is outside 1..4096" --procs 0
bad "procs: 5000 is outside 1..4096" --procs 5000
bad "size: 1P is outside 4K..1T" --size 1P
bad "size: 0 is outside 4K..1T" --size 0
bad "size" --size 64Q
bad "procs" --procs 1,,4
bad "unknown option '--bogus'" --bogus
bad "--procs needs a value" --procs
bad "unexpected argument 'extra'" extra
bad "unknown workload 'nope'" --workload nope
bad "unknown backing 'nope'" --backing nope
bad "unknown lock method 'nope'" --lock nope
bad "unknown pin policy 'nope'" --pin nope
bad "is not a boolean" --force=maybe
bad "/nonexistent' does not exist" --backing file:/nonexistent --size 4M
bad "map-locked needs a file backing" --lock map-locked --backing anon-cow --size 4M
bad "membind and interleave exclude each other" --membind 0 --interleave --size 4M
bad "unknown collector 'nope'" --collect nope --size 4M
# collector options, as each collector's option table declares them
bad "collector 'locks': 'method=nope' is not a value of method (method=auto|tracepoint|kprobe|profile)" \
	--collect vmstat,locks:method=nope --size 4M
bad "collector 'locks' has no option 'bogus' (method=" --collect locks:bogus --size 4M
bad "collector 'vmstat' has no options ('x=1')" --collect vmstat:x=1 --size 4M
bad "collector 'perf': empty option" --collect perf:: --size 4M
bad "workload 'exit' has no options ('fast')" --workload exit:fast

# a workload's own options only with it, its lock method only, its values in range
bad "--reserve is an option of --workload munlockall-reserve, not exit" --reserve 1G --size 4M
bad "--vmas is an option of --workload vmas, not munlock" --workload munlock --vmas 16 --size 4M
bad "--vmas is an option of --workload vmas, not munlockall-reserve" \
	--workload munlockall-reserve --vmas 16 --size 4M
bad "--workload munlockall-reserve locks with mlockall only, not --lock mlock" \
	--workload munlockall-reserve --lock mlock --size 4M
bad "--reserve must be at least 64M" --workload munlockall-reserve --reserve 1M --size 4M
bad "reserve: '1G,2G': one size, not a list" --workload munlockall-reserve --reserve 1G,2G
bad "reserve: 128T is outside 4K..64T" --workload munlockall-reserve --reserve 128T
bad "vmas: 0 is outside 1..16777216" --workload vmas --vmas 0
bad "--vmas 512 needs as many pages per locker, but --size 1M has 256" \
	--workload vmas --vmas 512 --size 1M
mmc=$(cat /proc/sys/vm/max_map_count)
if [ "$mmc" -le 65536 ]; then	# 256M has 65536 pages
	bad "--vmas $((mmc - 511)) leaves no room under vm.max_map_count $mmc for a locker's own 512 mappings: at most $((mmc - 512))" \
		--workload vmas --vmas $((mmc - 511)) --size 256M --collect none
fi
printf '[global]\nworkload = munlockall-reserve\nsize = 4M\n\n[r]\n\n[x]\nworkload = exit\n' \
	>"$tmp/reserve.ini"
printf 'reserve = 1G\n' >>"$tmp/reserve.ini"
bad "job 'x': --reserve is an option of --workload munlockall-reserve, not exit" \
	--job "$tmp/reserve.ini"

printf '[global]\nsize = 4M\n\n[j]\nprocs = 2\nbogus = 1\n' >"$tmp/bad.ini"
bad "$tmp/bad.ini:6: unknown option 'bogus'" --job "$tmp/bad.ini"
printf '[j]\nreps = 0\n' >"$tmp/bad2.ini"
bad "$tmp/bad2.ini:2: reps" --job "$tmp/bad2.ini"
bad "$tmp/none.ini" --job "$tmp/none.ini"

# More than 80% of MemAvailable, in whole GiB above it (30G on a 24G box).
avail_kib=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
big=$((avail_kib * 8 / 10 / 1024 / 1024 + 2))G
bad "more than 80% of MemAvailable" --size "$big" --collect none
grep -qF -- "--force" "$tmp/bad$n.err" || fail "the 80% refusal does not mention --force"
# (the same job with --force would really mlock it: never run here)

# An existing result folder is not overwritten without --overwrite.
run_ok exists --procs 1 --size 4M --reps 1 --warmup 0 --collect "$COLLECT"
cp "$tmp/exists/manifest.json" "$tmp/manifest.before"
"$MLB" run --quiet --out "$tmp/exists" --procs 1 --size 4M --reps 1 --warmup 0 \
	--collect "$COLLECT" >/dev/null 2>"$tmp/exists.err"
rc=$?
[ $rc -eq 2 ] || fail "--out into a result exited $rc, want 2"
[ "$(wc -l <"$tmp/exists.err")" -eq 1 ] || fail "--out into a result: $(cat "$tmp/exists.err")"
grep -q "already holds a result.*--overwrite" "$tmp/exists.err" ||
	fail "--out into a result: $(cat "$tmp/exists.err")"
cmp -s "$tmp/exists/manifest.json" "$tmp/manifest.before" || fail "the result was touched"
"$MLB" run --quiet --out "$tmp/exists" --overwrite --procs 1 --size 4M --reps 1 --warmup 0 \
	--collect "$COLLECT" || fail "--overwrite exited $?"
no_temp_files "$tmp/exists"

# RLIMIT_MEMLOCK too low, without CAP_IPC_LOCK: refused, and told how to fix.
command -v setpriv >/dev/null || skip "setpriv (util-linux) is not installed"
id nobody >/dev/null 2>&1 || skip "no user nobody"
mkdir -m 1777 "$tmp/nobody"
chmod 755 "$tmp"
cp "$MLB" "$tmp/nobody/mlockbench"
chmod 755 "$tmp/nobody/mlockbench"
bash -c 'ulimit -l 64 && exec setpriv --reuid=nobody --regid=nogroup --clear-groups \
	--inh-caps=-all "$0" run --quiet --procs 2 --size 64M --collect none --out "$1"' \
	"$tmp/nobody/mlockbench" "$tmp/nobody/out" >/dev/null 2>"$tmp/nobody.err"
rc=$?
[ $rc -eq 2 ] || fail "RLIMIT_MEMLOCK 64K as nobody exited $rc, want 2: $(cat "$tmp/nobody.err")"
[ "$(wc -l <"$tmp/nobody.err")" -eq 1 ] || fail "RLIMIT_MEMLOCK: $(cat "$tmp/nobody.err")"
for w in "RLIMIT_MEMLOCK is 64K" "64M" "CAP_IPC_LOCK" "ulimit -l"; do
	grep -qF "$w" "$tmp/nobody.err" || fail "RLIMIT_MEMLOCK message lacks '$w': $(cat "$tmp/nobody.err")"
done
[ -e "$tmp/nobody/out" ] && fail "RLIMIT_MEMLOCK: the result folder was created"
# ...while a job within the limit runs unprivileged.
bash -c 'ulimit -l 64 && exec setpriv --reuid=nobody --regid=nogroup --clear-groups \
	--inh-caps=-all "$0" run --quiet --procs 2 --size 32K --reps 1 --warmup 0 --collect none \
	--out "$1"' "$tmp/nobody/mlockbench" "$tmp/nobody/small" 2>"$tmp/nobody.err" ||
	fail "32K under RLIMIT_MEMLOCK 64K as nobody exited $?: $(cat "$tmp/nobody.err")"
check_folder "$tmp/nobody/small" complete size=32768
# mlockall counts munlockall-reserve's whole reservation: refused up front.
bash -c 'ulimit -l 64 && exec setpriv --reuid=nobody --regid=nogroup --clear-groups \
	--inh-caps=-all "$0" run --quiet --workload munlockall-reserve --reserve 1G --procs 1 \
	--size 32K --collect none --out "$1"' \
	"$tmp/nobody/mlockbench" "$tmp/nobody/reserve" >/dev/null 2>"$tmp/nobody.err"
rc=$?
[ $rc -eq 2 ] || fail "--reserve 1G under RLIMIT_MEMLOCK 64K exited $rc: $(cat "$tmp/nobody.err")"
grep -q "RLIMIT_MEMLOCK is 64K but mlockall over --reserve needs" "$tmp/nobody.err" ||
	fail "--reserve under RLIMIT_MEMLOCK: $(cat "$tmp/nobody.err")"

no_leftover_procs
mlocked_back
echo PASS
