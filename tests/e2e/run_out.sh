#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# --out is checked before anything is measured (issue 8, defect 6): a
# regular file, a path too long (2) or a folder the machine will not let us
# write (3) end the run at once, with one line, instead of after the whole
# measurement.  A non-empty folder that is not a result is never written
# into, --overwrite or not; --overwrite replaces a result folder whole.
. "$(dirname "$0")/lib.sh"

# A job that takes minutes: a run that measured first would hit the timeout.
LONG=(run --quiet --procs 2 --size 4M --reps 100000 --warmup 0)

# early STATUS NEEDLE WHAT ARGS...: exits STATUS at once, one line with NEEDLE
early() {
	local want=$1 needle=$2 what=$3 rc

	shift 3
	timeout -s KILL 60 "$@" >"$tmp/e.out" 2>"$tmp/e.err"
	rc=$?
	[ $rc -eq "$want" ] || fail "$what exited $rc, want $want: $(head -c 300 "$tmp/e.err")"
	[ "$(wc -l <"$tmp/e.err")" -eq 1 ] || fail "$what: not one line: $(head -c 300 "$tmp/e.err")"
	grep -qF -- "$needle" "$tmp/e.err" || fail "$what: lacks '$needle': $(head -c 300 "$tmp/e.err")"
	[ -s "$tmp/e.out" ] && fail "$what printed on stdout"
	return 0
}

touch "$tmp/file"
early 2 "exists and is not a folder" "--out a regular file" "$MLB" "${LONG[@]}" --out "$tmp/file"
early 2 "Not a directory" "--out below a regular file" "$MLB" "${LONG[@]}" --out "$tmp/file/sub"
long=$tmp/$(printf 'd%.0s' $(seq 5000))
early 2 "path too long" "--out of 5000 characters" "$MLB" "${LONG[@]}" --out "$long"
name=$(printf 'n%.0s' $(seq 300))
early 2 "File name too long" "--out with a 300-character name" "$MLB" "${LONG[@]}" \
	--out "$tmp/$name"
[ -s "$tmp/file" ] && fail "the regular file was written"

if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	# read-only for the user running it: nobody in its own 0555 folder
	ro=$(setpriv --reuid=65534 --regid=65534 --clear-groups -- mktemp -d /tmp/mlb-ro.XXXXXX)
	trap 'rm -rf "$ro"; lib_cleanup' EXIT
	chmod 0555 "$ro"
	early 3 "cannot write there" "--out a read-only folder" \
		setpriv --reuid=65534 --regid=65534 --clear-groups -- "$MLB" "${LONG[@]}" --out "$ro"
	early 3 "cannot write there" "--out below a read-only folder" \
		setpriv --reuid=65534 --regid=65534 --clear-groups -- "$MLB" "${LONG[@]}" \
		--out "$ro/new/sub"
	[ -z "$(ls -A "$ro")" ] || fail "something was created in the read-only folder"
	# read-only for root too: a read-only mount
	mkdir "$tmp/rofs"
	if mount -t tmpfs -o ro,size=1m mlb-ro "$tmp/rofs" 2>/dev/null; then
		trap 'umount "$tmp/rofs" 2>/dev/null; rm -rf "$ro"; lib_cleanup' EXIT
		early 3 "Read-only file system" "--out on a read-only mount" \
			"$MLB" "${LONG[@]}" --out "$tmp/rofs/r"
		umount "$tmp/rofs"
	else
		echo "note: cannot mount a read-only tmpfs here; root's read-only case not tried"
	fi
fi

# --- a folder that is not a result ------------------------------------------
mkdir "$tmp/mine"
echo "my own numbers" >"$tmp/mine/samples.csv"
early 2 "holds no mlockbench result" "--out a folder of one's own files" \
	"$MLB" "${LONG[@]}" --out "$tmp/mine"
early 2 "holds no mlockbench result" "--overwrite a folder of one's own files" \
	"$MLB" "${LONG[@]}" --overwrite --out "$tmp/mine"
[ "$(cat "$tmp/mine/samples.csv")" = "my own numbers" ] || fail "the user's samples.csv was replaced"
[ -e "$tmp/mine/manifest.json" ] && fail "a manifest appeared in the user's folder"

# --- a result folder: refused without --overwrite, replaced whole with it ----
mkdir -m 0700 "$tmp/empty"	# an empty folder (mktemp -d) is fine
run_ok empty --procs 2 --size 4M --reps 1 --warmup 0 --collect none
run_ok r1 --procs 2 --size 4M --reps 1 --warmup 0 --collect none
early 2 "already holds a result" "--out a result without --overwrite" \
	"$MLB" "${LONG[@]}" --out "$tmp/r1"
echo "from the old run" >"$tmp/r1/perf-c7.log"
mkdir "$tmp/r1/notes"
"$MLB" run --quiet --procs 3 --size 4M --reps 1 --warmup 0 --collect none --overwrite \
	--out "$tmp/r1" 2>"$tmp/r1.err" || fail "--overwrite: $(cat "$tmp/r1.err")"
[ -e "$tmp/r1/perf-c7.log" ] && fail "--overwrite kept a file of the old run"
[ -d "$tmp/r1/notes" ] || fail "--overwrite removed a sub-folder"
grep -q '"procs": 3' "$tmp/r1/manifest.json" || fail "the manifest is not the new run's"
awk -F, 'NR > 1 && $6 != 3 { exit 1 }' "$tmp/r1/samples.csv" || fail "old rows in samples.csv"
check_folder "$tmp/r1" complete procs=3
no_temp_files "$tmp"
echo "ok"
