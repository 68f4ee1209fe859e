#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A run that fails while measuring (here: the backing file cannot be
# populated on a full filesystem) exits 1 with one line saying why, and
# leaves a valid folder marked "failed" with the error; nothing is left
# running or mlocked.
. "$(dirname "$0")/lib.sh"

command -v unshare >/dev/null || skip "unshare (util-linux) is not installed"
mkdir "$tmp/full"
# A 1M tmpfs in a private mount namespace: gone when the run ends.
unshare -m true 2>/dev/null || skip "cannot create a mount namespace here"
unshare -m sh -c 'mount -t tmpfs -o size=1M mlb-full "$0" && exec "$@"' "$tmp/full" \
	"$MLB" run --quiet --procs 2 --size 1M,4M --reps 2 --warmup 0 --backing "file:$tmp/full" \
	--collect "$COLLECT" --out "$tmp/failed" >"$tmp/failed.out" 2>"$tmp/failed.err"
rc=$?
[ $rc -eq 1 ] || fail "run on a full filesystem exited $rc, want 1: $(cat "$tmp/failed.err")"
[ "$(wc -l <"$tmp/failed.err")" -eq 1 ] || fail "stderr: $(cat "$tmp/failed.err")"
grep -q '^mlockbench run: .*No space left on device' "$tmp/failed.err" ||
	fail "stderr: $(cat "$tmp/failed.err")"
check_folder "$tmp/failed" failed
python3 -c 'import json, sys
m = json.load(open(sys.argv[1]))
assert "No space left on device" in m["error"], m.get("error")' "$tmp/failed/manifest.json" ||
	fail "the manifest does not say what failed"
# the 1M configuration did run before the 4M one failed (1M fits: tmpfs
# counts whole pages, and the file is the only thing on it)
[ "$(grep -c '^0,' "$tmp/failed/samples.csv")" -eq 2 ] || fail "the first configuration's rows are lost"
[ -z "$(ls -A "$tmp/full")" ] || fail "files left in the backing directory"
no_leftover_procs
mlocked_back
echo PASS
