#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A hostile tracefs journal (issue 8, defect 3): `nobody` plants what it
# can, then root runs `mlockbench run --collect locks`.
#  - nobody cannot create /run/mlockbench nor write into it; after a root
#    run it is a root-owned 0700 folder;
#  - a journal folder nobody controls ($MLOCKBENCH_STATE_DIR pointing at it)
#    is not used: its journal names a fake "tracefs" whose kprobe_events is
#    a link to a root-only file, a pid 1 owner and a mount to undo; the run
#    succeeds, the root-only file and the fake mount are untouched, and the
#    manifest says why the journal was ignored;
#  - tracefs is left as found.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || skip "needs root (the harness runs as root, the attacker as nobody)"
id nobody >/dev/null 2>&1 || skip "no user nobody"
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; }
tfs=/sys/kernel/tracing
snap() {
	local f
	for f in kprobe_events uprobe_events dynamic_events set_event events/enable; do
		echo "== $f"
		cat "$tfs/$f" 2>/dev/null || echo "<absent>"
	done
	grep -c ' tracefs ' /proc/mounts
}
before=$(snap)
RUN=(run --quiet --collect locks --procs 2 --size 4M --reps 2 --warmup 0)

# -- the default folder: /run must not let nobody in
state=/run/mlockbench
[ "$(stat -c %u /run)" -eq 0 ] || fail "/run is not root's"
(( (8#$(stat -c %a /run) & 8#022) == 0 )) || fail "/run is writable by others: $(stat -c %a /run)"
if [ -e "$state" ]; then
	as_nobody sh -c "echo pid 1 > $state/tracefs-state" 2>/dev/null &&
		fail "nobody wrote into $state"
else
	as_nobody mkdir "$state" 2>/dev/null && fail "nobody created $state"
fi
# a root run that needs no tracefs change leaves the folder as it was; one
# that reads the journal (every locks run) makes it 0700
timeout -s KILL 120 "$MLB" "${RUN[@]}" --out "$tmp/default" >"$tmp/default.out" 2>&1 ||
	fail "run with the default journal folder failed: $(cat "$tmp/default.out")"
[ "$(stat -c '%u %a' "$state")" = "0 700" ] ||
	fail "$state is $(stat -c '%U %a' "$state"), want root 700"
as_nobody sh -c "echo x > $state/tracefs-state" 2>/dev/null && fail "nobody wrote into $state"

# -- a journal folder nobody controls
evil=$(mktemp -d /tmp/mlb-hostile.XXXXXX)
trap 'umount "$evil/mnt" 2>/dev/null; rm -rf "$evil"; lib_cleanup' EXIT
chmod 0755 "$evil"
mkdir "$evil/mnt" && mount -t tmpfs -o size=64k mlbhostile "$evil/mnt" || fail "tmpfs mount"
echo "root only" >"$tmp/secret"
chmod 0600 "$tmp/secret"
sum=$(sha256sum <"$tmp/secret")
# a live pid 1 owner (forever, were it trusted), then a dead one (undone, were it trusted)
mkdir -m 0777 "$evil/state" "$evil/tfs"
chown nobody "$evil/state" "$evil/tfs"
as_nobody ln -s "$tmp/secret" "$evil/tfs/kprobe_events" || fail "nobody could not plant its link"
for pid in 1 999999999; do
	as_nobody sh -c "printf 'pid $pid\nowner $pid 1 x\ntracefs %s\nprobe kprobe_events mlockbench/evil\nmount %s\n' \
		'$evil/tfs' '$evil/mnt' >'$evil/state/tracefs-state'" ||
		fail "nobody could not plant its journal"
	jsum=$(sha256sum <"$evil/state/tracefs-state")
	rm -rf "$tmp/evil"
	MLOCKBENCH_STATE_DIR="$evil/state" timeout -s KILL 60 "$MLB" "${RUN[@]}" --out "$tmp/evil" \
		>"$tmp/evil.out" 2>&1 ||
		fail "run with a hostile journal (pid $pid) exited $?: $(head -c 400 "$tmp/evil.out")"
	[ "$(sha256sum <"$tmp/secret")" = "$sum" ] || fail "root wrote through the planted link"
	grep -q " $evil/mnt " /proc/mounts || fail "root unmounted $evil/mnt, named by the journal"
	[ "$(sha256sum <"$evil/state/tracefs-state")" = "$jsum" ] || fail "the planted journal changed"
	python3 - "$tmp/evil/manifest.json" "$evil/state" <<'PY' || fail "manifest, pid $pid (see above)"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["status"] == "complete", m["status"]
locks = [c for c in m["collectors"] if c["name"] == "locks"][0]
note = locks.get("tracefs_journal", "")
assert sys.argv[2] in note and "ignored" in note, locks
assert not locks["stale_state_cleaned"], locks
PY
done

after=$(snap)
[ "$before" = "$after" ] || fail "tracefs not left as found: $(diff <(echo "$before") <(echo "$after"))"
echo "ok: hostile journals refused"
