#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# compare (every format), gate exit statuses, and plot on the committed
# result fixtures.  Exit 4 (skip) only when gnuplot is missing, after the
# compare and gate checks have passed.
set -u
MLB=${MLB:?path of the mlockbench binary}
FX=${MLB_FIXTURES:?fixtures dir}/results
tmp=$(mktemp -d /tmp/mlb-e2e-cgp-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# --- compare ---------------------------------------------------------------
"$MLB" compare "$FX/sweep-rmap" "$FX/sweep-mlockcount" >"$tmp/c.txt" || fail "compare text"
grep -q '^Amean .*teardown-ms procs=16 ' "$tmp/c.txt" || fail "no Amean teardown row"
grep -Eq '\*[ ]+[0-9.]+%\*' "$tmp/c.txt" || fail "no significance mark in text"
grep -Eq '\([ ]+0\.00%\)' "$tmp/c.txt" || fail "no baseline change column"
grep -q 'debian-6.1 .*b = 1\.0' "$tmp/c.txt" || fail "no scaling exponent for debian-6.1"
grep -q 'debian-5.10 .*b = 1\.3' "$tmp/c.txt" || fail "no scaling exponent for debian-5.10"
grep -q 'design    rmap-walk' "$tmp/c.txt" || fail "no reproducibility footer"
grep -q 'THP       enabled=madvise' "$tmp/c.txt" || fail "no THP in footer"

"$MLB" compare -f markdown "$FX/sweep-rmap" "$FX/sweep-mlockcount" >"$tmp/c.md" || fail "md"
grep -q '^| procs | debian-5.10 | debian-6.1 | ratio | p (Holm) |' "$tmp/c.md" || fail "md header"
grep -q '^| 16 | ' "$tmp/c.md" || fail "md row"

"$MLB" compare -f csv -o "$tmp/c.csv" "$FX/sweep-rmap" "$FX/sweep-mlockcount" || fail "csv"
head -1 "$tmp/c.csv" | grep -q '^workload,backing,lock,plain,size,procs,metric,' || fail "csv header"
# every data row has as many fields as the header
awk -F, 'NR==1{n=NF} NF!=n{bad=1} END{exit bad}' "$tmp/c.csv" || fail "csv ragged"
grep -q '^exit,shmem,mlock,0,8388608,16,teardown_ns,ns,1,debian-6.1,0,10,' "$tmp/c.csv" \
	|| fail "csv teardown row"
ls "$tmp"/c.csv.tmp.* "$tmp"/.c.csv.*.tmp >/dev/null 2>&1 && fail "temp file left behind"

"$MLB" compare -f json "$FX/sweep-rmap" "$FX/sweep-mlockcount" >"$tmp/c.json" || fail "json"
grep -q '"schema": "mlockbench-compare"' "$tmp/c.json" || fail "json schema"
command -v python3 >/dev/null || echo "note: no python3, JSON/XML content checks skipped"
command -v python3 >/dev/null && { python3 - "$tmp/c.json" <<'PY' || fail "json content"; }
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "mlockbench-compare" and d["baseline"] == "debian-5.10"
rows = [r for r in d["rows"] if r["metric"] == "teardown_ns" and r["procs"] == 16]
assert len(rows) == 1
vs = rows[0]["kernels"][1]["vs_baseline"]
assert vs["significant"] and vs["ratio_hl"][0] < 0.3, vs
fits = {f["kernel"]: f["exponent"] for f in d["scaling"]}
assert 1.25 < fits["debian-5.10"] < 1.35 and 0.95 < fits["debian-6.1"] < 1.05, fits
PY

# a configuration present on one side only is reported, not fatal
"$MLB" compare "$FX/aa-1" "$FX/mismatch" >"$tmp/m.txt" || fail "compare with mismatch"
grep -q "missing from that folder" "$tmp/m.txt" || fail "missing configs not reported"
"$MLB" compare -f yaml "$FX/aa-1" 2>/dev/null; [ $? -eq 2 ] || fail "bad format must exit 2"
"$MLB" compare "$FX/incomplete" 2>"$tmp/err"; [ $? -eq 3 ] || fail "incomplete must exit 3"
grep -q "interrupted" "$tmp/err" || fail "incomplete message"
"$MLB" compare --allow-incomplete "$FX/incomplete" >/dev/null || fail "--allow-incomplete"

# --- gate ------------------------------------------------------------------
gate() { "$MLB" gate --baseline "$FX/$1" --candidate "$FX/$2" "${@:3}" >"$tmp/g.out" 2>&1; }
# a folder against itself proves nothing: refused (gate_hostile.sh covers copies)
gate aa-1 aa-1; rc=$?; [ $rc -ge 3 ] || fail "same folder must exit >=3, got $rc"
grep -q 'same run' "$tmp/g.out" || fail "same folder: no message"
gate aa-1 aa-2; [ $? -eq 0 ] || { cat "$tmp/g.out"; fail "A/A two runs must exit 0"; }
gate planted-base planted-slow --junit "$tmp/j.xml"; rc=$?
[ $rc -eq 1 ] || { cat "$tmp/g.out"; fail "planted 20% slowdown must exit 1, got $rc"; }
grep -q 'REGRESSION' "$tmp/g.out" || fail "planted must say REGRESSION"
[ "$(grep -c '<failure ' "$tmp/j.xml")" -eq 4 ] || fail "junit failures"
if command -v python3 >/dev/null; then
	python3 -c "import sys, xml.dom.minidom as m; m.parse(sys.argv[1])" "$tmp/j.xml" \
		|| fail "junit is not well-formed XML"
fi
gate planted-slow planted-base; [ $? -eq 0 ] || fail "improvement must pass"
gate three-a three-b; rc=$?
[ $rc -eq 2 ] || { cat "$tmp/g.out"; fail "3 reps must exit 2 (inconclusive), got $rc"; }
grep -q 'more reps per side would decide' "$tmp/g.out" || fail "no runs-needed hint"
gate aa-1 does-not-exist; rc=$?; [ $rc -ge 3 ] || fail "missing folder must exit >=3, got $rc"
gate aa-1 incomplete; rc=$?; [ $rc -ge 3 ] || fail "incomplete folder must exit >=3, got $rc"
gate aa-1 mismatch; rc=$?; [ $rc -ge 3 ] || fail "no matching config must exit >=3, got $rc"
mkdir "$tmp/empty" && cp "$FX/aa-1/manifest.json" "$tmp/empty/" &&
	head -1 "$FX/aa-1/samples.csv" >"$tmp/empty/samples.csv"
"$MLB" gate --baseline "$FX/aa-1" --candidate "$tmp/empty" >/dev/null 2>&1; rc=$?
[ $rc -ge 3 ] || fail "a folder without timed repetitions must exit >=3, got $rc"
gate aa-1 aa-2 --threshold bogus; rc=$?; [ $rc -ge 3 ] || fail "bad option must exit >=3"
gate aa-1 aa-2 --metric nope_ns; rc=$?; [ $rc -ge 3 ] || fail "unknown metric must exit >=3"
"$MLB" gate --baseline "$FX/aa-1" >/dev/null 2>&1; [ $? -ge 3 ] || fail "missing --candidate"

# --- gate --calibrate: A/A history sets tau ------------------------------------
cal="$FX/calib-1,$FX/calib-2,$FX/calib-3"
gate calib-1 calib-drift; rc=$?
[ $rc -eq 1 ] || { cat "$tmp/g.out"; fail "uncalibrated 5% drift: expected 1, got $rc"; }
grep -q '(CV)' "$tmp/g.out" || fail "no CV tau source"
gate calib-1 calib-drift --calibrate "$cal" --junit "$tmp/jc.xml"; rc=$?
[ $rc -eq 0 ] || [ $rc -eq 2 ] || { cat "$tmp/g.out"; fail "calibrated drift: got $rc"; }
grep -q 'REGRESSION' "$tmp/g.out" && fail "calibrated drift says REGRESSION"
[ "$(grep -c '(A/A 3 pairs)' "$tmp/g.out")" -eq 4 ] || { cat "$tmp/g.out"; fail "A/A tau source"; }
grep -q '^A/A calibration, 3 folders:.*calib-2' "$tmp/g.out" || fail "no calibration header"
[ "$(grep -c '<property name="calibration"' "$tmp/jc.xml")" -eq 3 ] || fail "junit properties"
if command -v python3 >/dev/null; then
	python3 -c "import sys, xml.dom.minidom as m; m.parse(sys.argv[1])" "$tmp/jc.xml" \
		|| fail "calibrated junit is not well-formed XML"
fi
# repeated --calibrate works like the comma list
gate calib-1 calib-slow --calibrate "$FX/calib-1" --calibrate "$FX/calib-2" -a "$FX/calib-3"
rc=$?; [ $rc -eq 1 ] || { cat "$tmp/g.out"; fail "planted 25%, calibrated: want 1, got $rc"; }
gate calib-1 calib-drift --calibrate "$cal" --threshold 3%; rc=$?
[ $rc -eq 1 ] || fail "--threshold must win over --calibrate, got $rc"
grep -q '(given)' "$tmp/g.out" || fail "no given tau source"
gate calib-1 calib-drift --calibrate "$FX/calib-p4,$FX/calib-2"; rc=$?
[ $rc -eq 1 ] || fail "partial calibration (tiny A/A tau), got $rc"
grep -q 'fewer than 2 calibration folders: tau from the CV rule' "$tmp/g.out" \
	|| fail "no per-row fallback note"
gate calib-1 calib-drift --calibrate "$FX/calib-2"; rc=$?
[ $rc -eq 3 ] || fail "one calibration folder must exit 3, got $rc"
grep -q 'at least 2' "$tmp/g.out" || fail "one calibration folder: message"
gate calib-1 calib-drift --calibrate "$FX/calib-2,$FX/does-not-exist"; rc=$?
[ $rc -eq 3 ] || fail "missing calibration folder must exit 3, got $rc"
gate calib-1 calib-drift --calibrate "$FX/calib-2,$FX/incomplete,$FX/calib-3"; rc=$?
[ $rc -eq 3 ] || fail "incomplete calibration folder must exit 3, got $rc"
gate calib-1 calib-drift --calibrate "$FX/calib-p4,$FX/mismatch"; rc=$?
[ $rc -eq 3 ] || fail "calibration folders matching nothing must exit 3, got $rc"
gate calib-1 calib-drift --calibrate "$FX/calib-2,$FX/calib-2"; rc=$?
[ $rc -eq 3 ] || fail "a calibration folder given twice must exit 3, got $rc"
"$MLB" gate --help | grep -q -- '--calibrate DIR' || fail "--help lacks --calibrate"

# --- plot ------------------------------------------------------------------
"$MLB" plot --scripts-only -o "$tmp/s" "$FX/sweep-rmap" "$FX/sweep-mlockcount" >/dev/null \
	|| fail "plot --scripts-only"
ls "$tmp/s"/teardown-*.gp "$tmp/s"/teardown-*.dat >/dev/null || fail "no scripts"
if ! command -v gnuplot >/dev/null; then
	PATH=/nonexistent "$MLB" plot -o "$tmp/p" "$FX/aa-1" 2>/dev/null
	[ $? -eq 3 ] || fail "plot without gnuplot must exit 3"
	echo "SKIP: gnuplot not installed (compare and gate checks passed)"
	exit 4
fi
"$MLB" plot -o "$tmp/p" "$FX/sweep-rmap" "$FX/sweep-mlockcount" >/dev/null || fail "plot"
for kind in teardown setup cdf locks; do
	for ext in png svg gp dat; do
		ls "$tmp/p/$kind"-*."$ext" >/dev/null 2>&1 || fail "no $kind .$ext"
	done
done
head -c 4 "$tmp"/p/teardown-*.png | grep -q PNG || fail "teardown png is not a PNG"
# the scripts are standalone: re-render from inside the folder
( cd "$tmp/p" && rm -f teardown-*.png && gnuplot teardown-*.gp ) || fail "gp not standalone"
ls "$tmp"/p/teardown-*.png >/dev/null || fail "re-render made no png"
PATH=/nonexistent "$MLB" plot -o "$tmp/q" "$FX/aa-1" 2>/dev/null
[ $? -eq 3 ] || fail "plot without gnuplot on PATH must exit 3"
echo "ok"
exit 0
