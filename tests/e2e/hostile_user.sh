#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Root runs the harness, `nobody` attacks its writes (issue 8, defect 1):
# symlinks planted at the temp names root would use and at perf-c0.log, an
# --out another user owns, folders others can write.  Root must refuse the
# folder in one line (exit 2) and never write through a link: the target
# file stays as it was.  compare/plot/gate outputs and campaign --out get the
# same refusal.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || skip "needs root (root runs the harness, nobody attacks it)"
command -v setpriv >/dev/null || skip "setpriv (util-linux) missing"
command -v perl >/dev/null || skip "perl missing (plants thousands of links in one process)"
FX=${MLB_FIXTURES:?fixtures dir}/results
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"; }

# the attacker's folder, where nobody can write: under /tmp, not under $tmp (0700)
evil=$(as_nobody mktemp -d /tmp/mlb-evil.XXXXXX) || skip "cannot run as nobody"
trap 'rm -rf "$evil"; lib_cleanup' EXIT
chmod 0755 "$evil"
target=$tmp/precious
echo "root's own data" >"$target"
chmod 0600 "$target"
want=$(sha256sum <"$target")
untouched() {
	[ "$(sha256sum <"$target")" = "$want" ] || fail "$1: root wrote through a link into $target"
}

# refused ERR_FILE STATUS NEEDLE WHAT: one line on stderr with NEEDLE, that exit status
refused() {
	local err=$1 rc=$2 want_rc=$3 needle=$4 what=$5

	[ "$rc" -eq "$want_rc" ] || fail "$what exited $rc, want $want_rc: $(cat "$err")"
	[ "$(wc -l <"$err")" -eq 1 ] || fail "$what: not one line on stderr: $(cat "$err")"
	grep -qF -- "$needle" "$err" || fail "$what: message lacks '$needle': $(cat "$err")"
}

RUN=(run --quiet --procs 2 --size 4M --reps 1 --warmup 0)

# --- 1. temp-name links for the next few thousand pids --------------------
names="samples.csv latencies.csv metrics.csv manifest.json"
first=$(($(cat /proc/sys/kernel/ns_last_pid) + 1))
last=$((first + 3000))
as_nobody perl -e 'my ($t, $d, $a, $b, @n) = @ARGV;
	for my $p ($a .. $b) { symlink $t, "$d/$_.tmp.$p" or die "$!" for @n }' \
	"$target" "$evil" "$first" "$last" $names || fail "cannot plant the links"
"$MLB" "${RUN[@]}" --out "$evil" >"$tmp/1.out" 2>"$tmp/1.err" &
pid=$!
wait $pid
rc=$?
[ "$pid" -ge "$first" ] && [ "$pid" -le "$last" ] ||
	echo "note: the run's pid $pid fell outside the planted $first..$last"
untouched "run --out (planted temp names)"
refused "$tmp/1.err" $rc 2 "owned by uid 65534" "run --out a folder nobody owns"
[ -z "$(find "$evil" -user root)" ] || fail "root created files in $evil: $(find "$evil" -user root)"

# --- 2. perf-c0.log ---------------------------------------------------------
find "$evil" -mindepth 1 -delete
as_nobody ln -s "$target" "$evil/perf-c0.log"
"$MLB" "${RUN[@]}" --perf-record --out "$evil" >"$tmp/2.out" 2>"$tmp/2.err"
rc=$?
untouched "run --perf-record (planted perf-c0.log)"
refused "$tmp/2.err" $rc 2 "owned by uid 65534" "run --perf-record --out a folder nobody owns"
# a link left in root's own result folder is removed by --overwrite, and
# perf-c0.log is created O_EXCL|O_NOFOLLOW anyway
if "$MLB" "${RUN[@]}" --perf-record --out "$tmp/perf" >"$tmp/2b.out" 2>&1; then
	ln -sf "$target" "$tmp/perf/perf-c0.log"
	"$MLB" "${RUN[@]}" --perf-record --overwrite --out "$tmp/perf" >"$tmp/2c.out" 2>&1 ||
		fail "run --perf-record --overwrite: $(cat "$tmp/2c.out")"
	untouched "run --perf-record --overwrite (a link at perf-c0.log)"
	[ -f "$tmp/perf/perf-c0.log" ] && [ ! -L "$tmp/perf/perf-c0.log" ] ||
		fail "perf-c0.log is not a new regular file"
else
	echo "note: perf record cannot run here, perf-c0.log in root's folder not tried: $(tail -1 "$tmp/2b.out")"
fi

# --- 3. folders of another user, below one, or writable by others -----------
find "$evil" -mindepth 1 -delete
"$MLB" "${RUN[@]}" --out "$evil/sub" >"$tmp/3.out" 2>"$tmp/3.err"
refused "$tmp/3.err" $? 2 "owned by uid 65534, who could swap" "run --out below nobody's folder"
[ -e "$evil/sub" ] && fail "run created $evil/sub in nobody's folder"
shared=$(mktemp -d /tmp/mlb-shared.XXXXXX)
trap 'rm -rf "$evil" "$shared"; lib_cleanup' EXIT
for mode in 0777 0770 0757 1777; do
	chmod $mode "$shared"
	"$MLB" "${RUN[@]}" --out "$shared" >"$tmp/3.out" 2>"$tmp/3.err"
	refused "$tmp/3.err" $? 2 "group or others can write it" "run --out a folder of mode $mode"
	[ -z "$(ls -A "$shared")" ] || fail "run wrote into a folder of mode $mode"
done
chmod 0777 "$shared"
"$MLB" "${RUN[@]}" --out "$shared/sub" >"$tmp/3.out" 2>"$tmp/3.err"
refused "$tmp/3.err" $? 2 "not sticky" "run --out below a non-sticky folder others can write"
chmod 1777 "$shared"	# like /tmp: others cannot rename what root made there
"$MLB" "${RUN[@]}" --out "$shared/sub" >"$tmp/3.out" 2>"$tmp/3.err" ||
	fail "run --out below a sticky folder: $(cat "$tmp/3.err")"
ln -s "$shared/sub" "$tmp/link"
"$MLB" "${RUN[@]}" --overwrite --out "$tmp/link" >"$tmp/3.out" 2>"$tmp/3.err"
refused "$tmp/3.err" $? 2 "is a symbolic link" "run --out a link"

# --- 4. the other commands' outputs -----------------------------------------
"$MLB" compare "$FX/aa-1" "$FX/aa-2" -o "$evil/report.md" >"$tmp/4.out" 2>"$tmp/4.err"
refused "$tmp/4.err" $? 2 "owned by uid 65534" "compare -o into nobody's folder"
"$MLB" plot --scripts-only "$FX/aa-1" -o "$evil/plots" >"$tmp/4.out" 2>"$tmp/4.err"
refused "$tmp/4.err" $? 2 "owned by uid 65534" "plot -o into nobody's folder"
"$MLB" gate --baseline "$FX/aa-1" --candidate "$FX/aa-2" --junit "$evil/j.xml" \
	>"$tmp/4.out" 2>"$tmp/4.err"
rc=$?
[ $rc -ge 3 ] || fail "gate --junit into nobody's folder exited $rc, want >= 3"
grep -qF "owned by uid 65534" "$tmp/4.err" || fail "gate --junit: $(cat "$tmp/4.err")"
camp=${MLB_SRC:-$(dirname "$0")/../..}/kernels/campaigns/plain128.ini
if [ -f "$camp" ]; then
	timeout -s KILL 60 "$MLB" campaign --out "$evil" "$camp" >"$tmp/4.out" 2>"$tmp/4.err"
	rc=$?
	[ $rc -eq 2 ] || fail "campaign --out nobody's folder exited $rc, want 2: $(cat "$tmp/4.err")"
	grep -qF "owned by uid 65534" "$tmp/4.err" || fail "campaign --out: $(cat "$tmp/4.err")"
fi
[ -z "$(find "$evil" -mindepth 1)" ] || fail "root wrote into $evil: $(find "$evil" -mindepth 1)"
untouched "the end"
echo "ok"
