#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# compare and gate on corrupted result folders (issue 8, defects 4, 9, 10 and
# the minor ones): every bad folder is an error (exit >= 3, one line naming
# FILE:LINE) and never a verdict; a configuration one side lacks is
# INCONCLUSIVE and named.  Skip (4) only without python3.
set -u
. "${MLB_SRC:?source tree}/tests/e2e/lib.sh"
FX=${MLB_FIXTURES:?fixtures dir}/results
command -v python3 >/dev/null || skip "python3 not installed"

# craft NAME FIXTURE PYTHON: $tmp/NAME is a copy of FIXTURE changed by PYTHON,
# which sees m (the manifest), csv(name) -> rows as lists, put(name, rows).
craft() {
	cp -r "$FX/$2" "$tmp/$1"
	python3 - "$tmp/$1" "$3" <<'EOF' || fail "cannot craft $1"
import json, sys
d, code = sys.argv[1], sys.argv[2]
m = json.load(open(d + "/manifest.json"))
def csv(n):
    return [l.split(",") for l in open(d + "/" + n).read().splitlines()]
def put(n, rows):
    open(d + "/" + n, "w").write("\n".join(",".join(r) for r in rows) + "\n")
def col(rows, name):
    return rows[0].index(name)
exec(code)
json.dump(m, open(d + "/manifest.json", "w"))
EOF
}

gate() { "$MLB" gate --baseline "$1" --candidate "$2" "${@:3}" >"$tmp/g.out" 2>"$tmp/g.err"; }
# refused WHAT GATE-ARGS...: exit >= 3, one line on stderr, no verdict on stdout
refused() {
	local what=$1 rc

	shift
	gate "$@"
	rc=$?
	[ $rc -ge 3 ] || { cat "$tmp/g.out" "$tmp/g.err"; fail "$what: exit $rc, not >= 3"; }
	[ "$(wc -l <"$tmp/g.err")" -eq 1 ] || { cat "$tmp/g.err"; fail "$what: not one line"; }
	if grep -Eq 'PASS|IMPROVEMENT|INCONCLUSIVE|REGRESSION|NO-CHANGE' "$tmp/g.out"; then
		cat "$tmp/g.out"
		fail "$what: a verdict on an error"
	fi
}
has() { grep -q -- "$2" "$tmp/g.err" || { cat "$tmp/g.err"; fail "$1: no '$2' in the message"; }; }

A=$FX/aa-1 B=$FX/aa-2

# --- defect 4: non-finite, negative, huge numbers --------------------------
craft inf aa-1 '
r = csv("samples.csv"); t = col(r, "teardown_ns")
for x in r[1:]: x[t] = "inf"
put("samples.csv", r)'
refused "baseline all inf" "$tmp/inf" "$B"
has "baseline all inf" "inf/samples.csv:2: teardown_ns 'inf'"
craft nan aa-2 '
r = csv("samples.csv"); t = col(r, "teardown_ns")
for x in r[1:]: x[t] = "nan"
put("samples.csv", r)'
refused "candidate all nan" "$A" "$tmp/nan"
has "candidate all nan" "nan/samples.csv:2:"
"$MLB" compare "$A" "$tmp/nan" >"$tmp/c.out" 2>"$tmp/c.err"
rc=$?; [ $rc -ge 3 ] || fail "compare on nan: exit $rc"
grep -q '\*' "$tmp/c.out" && fail "compare on nan marked something significant"
craft neg aa-2 '
r = csv("latencies.csv"); r[5][3] = "-1"
put("latencies.csv", r)'
refused "negative latency" "$A" "$tmp/neg"
has "negative latency" "neg/latencies.csv:6: latency_ns '-1'"
craft huge aa-2 '
r = csv("samples.csv"); t = col(r, "lat_max_ns"); r[3][t] = "9" * 400
put("samples.csv", r)'
refused "400 digits" "$A" "$tmp/huge"
has "400 digits" "huge/samples.csv:4: lat_max_ns"
craft junk aa-2 '
r = csv("metrics.csv"); r[1][4] = "12junk"
put("metrics.csv", r)'
refused "trailing junk" "$A" "$tmp/junk"
has "trailing junk" "junk/metrics.csv:2: value '12junk'"

# --- defect 10: configuration ids -------------------------------------------
craft dup aa-2 'm["configs"][1]["id"] = m["configs"][0]["id"]'
refused "duplicate id" "$A" "$tmp/dup"
has "duplicate id" "both have id 0"
craft big aa-2 'm["configs"][1]["id"] = 4294967296'
refused "id 4294967296" "$A" "$tmp/big"
has "id 4294967296" "configs\[1\].id is out of range"
# a configuration only the baseline has: INCONCLUSIVE (exit 2), named
craft lacks aa-2 '
gone = m["configs"][1]["id"]; m["configs"] = m["configs"][:1]
for n in ("samples.csv", "latencies.csv", "metrics.csv"):
    put(n, [x for x in csv(n) if x[0] != str(gone)])'
gate "$A" "$tmp/lacks"; rc=$?
[ $rc -eq 2 ] || { cat "$tmp/g.out" "$tmp/g.err"; fail "missing configuration: exit $rc, not 2"; }
grep -q 'procs=16 .*INCONCLUSIVE' "$tmp/g.out" || fail "the missing configuration is not named"
grep -q 'only in the baseline' "$tmp/g.out" || fail "no 'only in the baseline'"

# --- defect 9: an old manifest beside new rows (a failed --overwrite) -------
craft mixed planted-slow 'm["configs"][0]["procs"] = 2'
refused "mixed runs" "$FX/planted-base" "$tmp/mixed"
has "mixed runs" "mixed/samples.csv:2: config 0 has procs="
craft stray aa-2 '
r = csv("samples.csv"); x = list(r[1]); x[0] = "7"; r.append(x)
put("samples.csv", r)'
refused "rows for an unlisted configuration" "$A" "$tmp/stray"
has "rows for an unlisted configuration" "config 7 is not in manifest.json"

# --- minor defects -----------------------------------------------------------
for t in nan inf -5% 0 -0.1; do
	refused "--threshold $t" "$A" "$B" --threshold "$t"
	has "--threshold $t" "threshold"
done
refused "same folder" "$A" "$A"
has "same folder" "same run"
cp -r "$A" "$tmp/copy"
refused "a copy of the baseline" "$A" "$tmp/copy"
has "a copy of the baseline" "same run"
craft empty aa-1 '
for n in ("samples.csv", "latencies.csv", "metrics.csv"):
    put(n, csv(n)[:1])'
"$MLB" compare "$tmp/empty" >"$tmp/c.out" 2>"$tmp/c.err"; rc=$?
[ $rc -ge 3 ] || fail "compare with no timed rows: exit $rc"
[ "$(wc -l <"$tmp/c.err")" -eq 1 ] || fail "compare with no timed rows: not one line"
grep -q 'no timed repetitions' "$tmp/c.err" || fail "compare with no timed rows: message"
[ -s "$tmp/c.out" ] && fail "compare with no timed rows printed a table"
refused "gate with no timed rows" "$A" "$tmp/empty"
echo "corrupted folders are errors, a missing configuration is inconclusive"
