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
# the default: the run-level table, a few lines per configuration
"$MLB" compare "$FX/sweep-rmap" "$FX/sweep-mlockcount" >"$tmp/r.txt" || fail "compare"
grep -Eq '^ +16  74\.36 ms \(1 run\) +14\.51 ms \(1 run\) x0\.19[0-9] \[' "$tmp/r.txt" \
	|| { cat "$tmp/r.txt"; fail "no run-level row for procs=16"; }
grep -q 'within-run noise only' "$tmp/r.txt" || fail "one run per side not said"
[ "$(wc -l <"$tmp/r.txt")" -le 30 ] || fail "default compare is not short"
grep -q '^Reproducibility' "$tmp/r.txt" || fail "no run-level footer"
# several runs per kernel: between-run %stddev, a run-level p
R=$FX/runs
"$MLB" compare "$R/aa-1" "$R/aa-3" "$R/aa-5" >"$tmp/r3.txt" || fail "compare of runs"
grep -q '3 runs' "$tmp/r3.txt" || fail "runs of one kernel not grouped"
grep -Eq '±[0-9.]+%' "$tmp/r3.txt" || fail "no between-run %stddev"
"$MLB" compare --detail "$R/aa-1" "$R/aa-3" >"$tmp/r3d.txt" || fail "compare --detail"
grep -Eq 'CVw [0-9.]+%, (CVb [0-9.]+%|no between-run variance detected)' "$tmp/r3d.txt" \
	|| fail "--detail without variance components"
"$MLB" compare --plan 10% "$R/aa-1" "$R/aa-3" "$R/aa-5" >"$tmp/plan.txt" || fail "--plan"
grep -Eq 'teardown +[0-9]+ .* runs x [0-9]+ reps' "$tmp/plan.txt" || fail "--plan: runs x reps"
"$MLB" compare --plan "$R/aa-1" "$R/aa-3" >/dev/null || fail "--plan without a value"
"$MLB" compare --plan=0 "$R/aa-1" 2>/dev/null; [ $? -eq 2 ] || fail "--plan=0 must exit 2"

# --detail: the full per-folder tables (mmtests-like)
"$MLB" compare --detail "$FX/sweep-rmap" "$FX/sweep-mlockcount" >"$tmp/c.txt" || fail "compare text"
grep -q '^Amean .*teardown-ms procs=16 ' "$tmp/c.txt" || fail "no Amean teardown row"
grep -Eq '\*[ ]+[0-9.]+%\*' "$tmp/c.txt" || fail "no significance mark in text"
grep -Eq '\([ ]+0\.00%\)' "$tmp/c.txt" || fail "no baseline change column"
grep -q 'debian-6.1 .*b = 1\.0' "$tmp/c.txt" || fail "no scaling exponent for debian-6.1"
grep -q 'debian-5.10 .*b = 1\.3' "$tmp/c.txt" || fail "no scaling exponent for debian-5.10"
grep -q 'design    rmap-walk' "$tmp/c.txt" || fail "no reproducibility footer"
grep -q 'THP       enabled=madvise' "$tmp/c.txt" || fail "no THP in footer"
grep -q 'lat_max.*procs=16' "$tmp/c.txt" && fail "lat_max of exit shown beside teardown"

"$MLB" compare -f markdown "$FX/sweep-rmap" "$FX/sweep-mlockcount" >"$tmp/r.md" || fail "md runs"
grep -q '^| procs | debian-5.10 (1 run) | debian-6.1 (1 run) | ratio \[95% CI\] | p |' "$tmp/r.md" \
	|| fail "run-level md header"
grep -Eq '^\| 16 \| 74\.36 ms \(1 run\) \| 14\.51 ms \(1 run\) \| 0\.19[0-9] \[' "$tmp/r.md" \
	|| fail "run-level md row"
"$MLB" compare --detail -f markdown "$FX/sweep-rmap" "$FX/sweep-mlockcount" >"$tmp/c.md" \
	|| fail "md"
grep -q '^| procs | debian-5.10 | debian-6.1 | ratio | p (Holm) |' "$tmp/c.md" || fail "md header"
grep -q '^| 16 | ' "$tmp/c.md" || fail "md row"

"$MLB" compare -f csv -o "$tmp/r.csv" "$FX/sweep-rmap" "$FX/sweep-mlockcount" || fail "csv"
head -1 "$tmp/r.csv" | grep -q '^kernel,workload,backing,lock,procs,plain,size,metric,runs,' \
	|| fail "run-level csv header"
awk -F, 'NR==1{n=NF} NF!=n{bad=1} END{exit bad}' "$tmp/r.csv" || fail "run-level csv ragged"
"$MLB" compare --detail -f csv -o "$tmp/c.csv" "$FX/sweep-rmap" "$FX/sweep-mlockcount" \
	|| fail "csv"
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
tl = [r for r in d["two_level"]["rows"] if r["procs"] == 16]
assert len(tl) == 1 and tl[0]["metric"] == "teardown_ns", tl
k = tl[0]["kernels"][1]
assert k["vs_baseline"]["ci_within_run_only"] and k["vs_baseline"]["ratio"] < 0.3, k
assert "cv_within" in k["components"], k
PY

# runs of one kernel with different jobs are not one series: refused, one line
"$MLB" compare "$FX/aa-1" "$FX/mismatch" >"$tmp/m.txt" 2>"$tmp/m.err"; rc=$?
[ $rc -eq 2 ] || fail "a series of different jobs must exit 2, got $rc"
[ "$(wc -l <"$tmp/m.err")" -eq 1 ] && grep -q 'different jobs' "$tmp/m.err" \
	|| fail "different jobs: message"
# of different kernels, a configuration on one side only is reported, not fatal
"$MLB" compare --detail "$FX/sweep-rmap" "$FX/aa-1" >"$tmp/m.txt" || fail "compare with mismatch"
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
# real runs (tests/fixtures/results/runs): several per side, comma list or repeated
gate runs/aa-1,"$R/aa-3,$R/aa-5" runs/aa-2 --candidate "$R/aa-4" -c "$R/aa-6"
rc=$?; [ $rc -eq 0 ] || [ $rc -eq 2 ] || { cat "$tmp/g.out"; fail "A/A 3 vs 3: got $rc"; }
grep -q '3 runs' "$tmp/g.out" || fail "3 runs per side not read"
# one run per side: drift unknown, never a regression, and the message says what decides
gate runs/aa-1 runs/aa-8; rc=$?
[ $rc -eq 2 ] || { cat "$tmp/g.out"; fail "A/A single runs must exit 2, got $rc"; }
grep -q 'or --calibrate with A/A runs, would decide' "$tmp/g.out" || fail "no advice"
gate planted-base planted-slow --junit "$tmp/j.xml"; rc=$?
[ $rc -eq 2 ] || { cat "$tmp/g.out"; fail "1.2x from one run per side must exit 2, got $rc"; }
[ "$(grep -c '<skipped ' "$tmp/j.xml")" -eq 2 ] || fail "junit skipped (teardown x 2; no lat_max of exit)"
if command -v python3 >/dev/null; then
	python3 -c "import sys, xml.dom.minidom as m; m.parse(sys.argv[1])" "$tmp/j.xml" \
		|| fail "junit is not well-formed XML"
fi
# one run per side, 5.10 -> 6.1: 3.4-5x faster at procs >= 4 is beyond any drift
# (x3), 2.2-2.8x at procs 1, 2 is not
gate sweep-rmap sweep-mlockcount; rc=$?
[ $rc -eq 2 ] || { cat "$tmp/g.out"; fail "5.10 -> 6.1 from one run each: want 2, got $rc"; }
[ "$(grep -c ' IMPROVEMENT$' "$tmp/g.out")" -eq 3 ] || fail "5.10 -> 6.1: 3 improvements"
gate sweep-mlockcount sweep-rmap; rc=$?
[ $rc -eq 1 ] || { cat "$tmp/g.out"; fail "6.1 -> 5.10 (4x slower, one run) must exit 1, got $rc"; }
grep -q 'plausible drift' "$tmp/g.out" || fail "far change: no reason"
gate aa-1 does-not-exist; rc=$?; [ $rc -ge 3 ] || fail "missing folder must exit >=3, got $rc"
gate aa-1 incomplete; rc=$?; [ $rc -ge 3 ] || fail "incomplete folder must exit >=3, got $rc"
gate aa-1 mismatch; rc=$?; [ $rc -ge 3 ] || fail "no matching config must exit >=3, got $rc"
gate aa-1,"$FX/mismatch" aa-2; rc=$?; [ $rc -ge 3 ] || fail "a side of two jobs must exit >=3, got $rc"
grep -q 'different jobs' "$tmp/g.out" || fail "a side of two jobs: message"
gate aa-1 sweep-rmap,"$FX/sweep-mlockcount"; rc=$?
[ $rc -ge 3 ] || fail "a side of two kernels must exit >=3, got $rc"
grep -q 'not one kernel' "$tmp/g.out" || fail "a side of two kernels: message"
mkdir "$tmp/empty" && cp "$FX/aa-1/manifest.json" "$tmp/empty/" &&
	head -1 "$FX/aa-1/samples.csv" >"$tmp/empty/samples.csv"
"$MLB" gate --baseline "$FX/aa-1" --candidate "$tmp/empty" >/dev/null 2>&1; rc=$?
[ $rc -ge 3 ] || fail "a folder without timed repetitions must exit >=3, got $rc"
gate aa-1 aa-2 --threshold bogus; rc=$?; [ $rc -ge 3 ] || fail "bad option must exit >=3"
gate aa-1 aa-2 --metric nope_ns; rc=$?; [ $rc -ge 3 ] || fail "unknown metric must exit >=3"
"$MLB" gate --baseline "$FX/aa-1" >/dev/null 2>&1; [ $? -ge 3 ] || fail "missing --candidate"

# --- environments: an audit field that differs is refused ----------------------
cp -r "$R/aa-2" "$tmp/thp"
sed -i 's/"thp_enabled": "madvise"/"thp_enabled": "always"/' "$tmp/thp/manifest.json"
"$MLB" gate -b "$R/aa-1" -c "$tmp/thp" >"$tmp/g.out" 2>"$tmp/g.err"; rc=$?
[ $rc -eq 3 ] || fail "differing THP must exit 3, got $rc"
[ "$(wc -l <"$tmp/g.err")" -eq 1 ] && grep -q 'thp_enabled differs: madvise' "$tmp/g.err" \
	|| { cat "$tmp/g.err"; fail "differing THP: message"; }
"$MLB" gate -b "$R/aa-1" -c "$tmp/thp" --allow-mismatch >"$tmp/g.out" 2>&1; rc=$?
[ $rc -le 2 ] || fail "--allow-mismatch must give a verdict, got $rc"
grep -q 'warning: environments differ' "$tmp/g.out" || fail "allowed mismatch not said"

# --- gate --calibrate: A/A runs give the drift ----------------------------------
gate runs/aa-1 runs/p110-2 --calibrate "$R/aa-3,$R/aa-4" -a "$R/aa-5" --junit "$tmp/jc.xml"
rc=$?; [ $rc -le 2 ] || { cat "$tmp/g.out"; fail "calibrated: got $rc"; }
grep -q '(A/A 3 runs)' "$tmp/g.out" || { cat "$tmp/g.out"; fail "A/A tau source"; }
grep -q '^A/A calibration, 3 runs:.*aa-4' "$tmp/g.out" || fail "no calibration header"
[ "$(grep -c '<property name="calibration"' "$tmp/jc.xml")" -eq 3 ] || fail "junit properties"
gate runs/aa-1 runs/aa-2 --calibrate "$R/aa-3,$R/aa-4" --threshold 3%; rc=$?
grep -q '(given)' "$tmp/g.out" || fail "no given tau source"
gate calib-1 calib-drift --calibrate "$FX/calib-2"; rc=$?
[ $rc -eq 3 ] || fail "one calibration folder must exit 3, got $rc"
grep -q 'at least 2' "$tmp/g.out" || fail "one calibration folder: message"
gate calib-1 calib-drift --calibrate "$FX/calib-2,$FX/does-not-exist"; rc=$?
[ $rc -eq 3 ] || fail "missing calibration folder must exit 3, got $rc"
gate calib-1 calib-drift --calibrate "$FX/calib-2,$FX/incomplete,$FX/calib-3"; rc=$?
[ $rc -eq 3 ] || fail "incomplete calibration folder must exit 3, got $rc"
gate calib-1 calib-drift --calibrate "$FX/mismatch,$FX/sweep-rmap"; rc=$?
[ $rc -eq 3 ] || fail "calibration folders matching nothing must exit 3, got $rc"
gate calib-1 calib-drift --calibrate "$FX/calib-2,$FX/calib-2"; rc=$?
[ $rc -eq 3 ] || fail "a calibration folder given twice must exit 3, got $rc"
"$MLB" gate --help | grep -q -- '--calibrate DIR' || fail "--help lacks --calibrate"

# --- plot ------------------------------------------------------------------
"$MLB" plot --scripts-only -o "$tmp/s" "$FX/sweep-rmap" "$FX/sweep-mlockcount" >/dev/null \
	|| fail "plot --scripts-only"
ls "$tmp/s"/teardown-*.gp "$tmp/s"/teardown-*.dat >/dev/null || fail "no scripts"
# the run-to-run spread: every run's median a point, the two-level CI per kernel
"$MLB" plot --scripts-only -o "$tmp/rs" "$R/aa-1" "$R/aa-2" "$R/aa-3" >/dev/null \
	|| fail "plot of runs"
[ "$(grep -cE '^(4|16) [0-9.e+-]+ [0-9.e+-]+ [123]$' "$tmp"/rs/runs-*.dat)" -eq 6 ] \
	|| fail "runs plot: not 3 runs x 2 configurations as points"
[ "$(grep -cE '^(4|16) [0-9.e+-]+ [0-9.e+-]+ [0-9.e+-]+ 3$' "$tmp"/rs/runs-*.dat)" -eq 2 ] \
	|| fail "runs plot: no mean with its CI"
grep -q 'two-level 95% CI' "$tmp"/rs/runs-*.gp || fail "runs plot: no CI legend"
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
