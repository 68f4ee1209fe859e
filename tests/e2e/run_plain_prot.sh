#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run --plain times the plain mappers' own teardown (plain_teardown_ns, a
# number > 0 in every row; empty with plain=0), --prot rw,ro makes two
# configurations (prot=ro in the identity), and compare, gate and plot show
# plain_teardown rows; anon backings refuse ro.  No timing is asserted.
. "$(dirname "$0")/lib.sh"

small=(--procs 2 --size 4M --reps 2 --warmup 1 --collect "$COLLECT")

for r in a b; do
	run_ok "$r" "${small[@]}" --plain 4 --prot rw,ro --timeout 120
	check_folder "$tmp/$r" complete plain=4 procs=2
done
run_ok zero "${small[@]}" --plain 0 --timeout 120
check_folder "$tmp/zero" complete plain=0
no_leftover_procs
mlocked_back

python3 - "$tmp/a" "$tmp/zero" <<'PY' || fail "samples.csv / manifest.json (see above)"
import csv, json, os, sys

d, zero = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(os.path.join(d, "samples.csv"))))
assert rows, "no rows"
for s in rows:
    v = s.get("plain_teardown_ns")
    assert v is not None, "no plain_teardown_ns column"
    assert v.isdigit() and int(v) > 0, f"plain_teardown_ns {v!r} in {s}"
m = json.load(open(os.path.join(d, "manifest.json")))
prots = sorted((c["identity"]["prot"], c["prot"]) for c in m["configs"])
assert prots == [("ro", "ro"), ("rw", "rw")], prots
assert m["jobs"][0]["options"]["prot"] == "rw,ro", m["jobs"]
assert {s["config"] for s in rows} == {str(c["id"]) for c in m["configs"]}
for s in csv.DictReader(open(os.path.join(zero, "samples.csv"))):
    assert s["plain_teardown_ns"] == "", f"plain=0 has a plain teardown: {s}"
print("plain_teardown_ns in every row; prot rw and ro are two configurations")
PY

# the run's own summary (not --quiet) shows the plain teardown, per configuration
for r in sum sumzero; do
	p=4
	[ "$r" = sumzero ] && p=0
	"$MLB" run --out "$tmp/$r" --procs 2 --size 4M --reps 1 --warmup 0 --collect none \
		--plain $p --prot rw,ro --timeout 120 >"$tmp/$r.out" 2>&1 || fail "run $r"
done
grep -q 'plain(ms)' "$tmp/sum.out" || fail "run summary without plain(ms): $(cat "$tmp/sum.out")"
grep -Eq ' 4 +4M .* [0-9.]+ +1  prot=ro$' "$tmp/sum.out" ||
	fail "run summary: no plain teardown of the prot=ro configuration: $(cat "$tmp/sum.out")"
grep -q 'plain(ms)' "$tmp/sumzero.out" && fail "run summary shows plain(ms) without plain mappers"
no_leftover_procs

# compare: run-level rows (text, markdown, csv, json) and --detail
"$MLB" compare "$tmp/a" "$tmp/b" >"$tmp/c.txt" || fail "compare"
grep -q 'plain=4 size=4M: plain_teardown' "$tmp/c.txt" || fail "no plain_teardown table: $(cat "$tmp/c.txt")"
grep -q 'plain=4 size=4M prot=ro: plain_teardown' "$tmp/c.txt" || fail "no prot=ro plain_teardown table"
"$MLB" compare -f markdown "$tmp/a" "$tmp/b" | grep -q 'plain_teardown' || fail "markdown"
"$MLB" compare -f csv "$tmp/a" "$tmp/b" >"$tmp/c.csv" || fail "compare csv"
grep -q ',plain_teardown_ns,.*,prot=ro$' "$tmp/c.csv" || fail "csv: no plain_teardown_ns row of prot=ro"
awk -F, 'NR==1{n=NF} NF!=n{bad=1} END{exit bad}' "$tmp/c.csv" || fail "run-level csv ragged"
"$MLB" compare -f json "$tmp/a" "$tmp/b" | python3 -c '
import json, sys
j = json.load(sys.stdin)
rows = [r for r in j["two_level"]["rows"] if r["metric"] == "plain_teardown_ns"]
assert {r["identity"] for r in rows} == {"", "prot=ro"}, rows
assert any(r["metric"] == "plain_teardown_ns" for r in j["rows"]), "per-folder json"' ||
	fail "compare json"
"$MLB" compare --detail "$tmp/a" "$tmp/b" | grep -q 'plain_teardown' || fail "compare --detail"
"$MLB" compare --primary "$tmp/a" "$tmp/b" | grep -q 'plain_teardown' || fail "compare --primary"
"$MLB" compare --primary "$tmp/zero" >/dev/null || fail "--primary without plain mappers"
"$MLB" compare "$tmp/zero" | grep -q plain_teardown && fail "plain=0 has a plain_teardown row"

# gate: plain_teardown is gated (one row per configuration with plain mappers)
"$MLB" gate -b "$tmp/a" -c "$tmp/b" --junit "$tmp/j.xml" >"$tmp/g.txt"
rc=$?
[ "$rc" -le 2 ] || fail "gate exited $rc: $(cat "$tmp/g.txt")"
[ "$(grep -c '^plain_teardown ' "$tmp/g.txt")" -eq 2 ] || fail "gate: not 2 plain_teardown rows: $(cat "$tmp/g.txt")"
grep -q 'plain_teardown.*prot=ro' "$tmp/g.txt" || fail "gate: no prot=ro row"
grep -q 'plain_teardown' "$tmp/j.xml" || fail "junit without plain_teardown"

# a baseline from before the column (plain_teardown_ns removed) still reads, and its
# configurations gate on teardown only: no "only in the candidate" plain_teardown rows
cp -r "$tmp/a" "$tmp/old"
python3 - "$tmp/old/samples.csv" <<'PY' || fail "making the old folder"
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
i = rows[0].index("plain_teardown_ns")
csv.writer(open(sys.argv[1], "w"), lineterminator="\n").writerows(r[:i] + r[i + 1:] for r in rows)
PY
"$MLB" gate -b "$tmp/old" -c "$tmp/b" >"$tmp/g-old.txt"
rc=$?
[ "$rc" -le 2 ] || fail "gate of an old baseline exited $rc: $(cat "$tmp/g-old.txt")"
grep -q '^teardown ' "$tmp/g-old.txt" || fail "gate of an old baseline: no teardown rows"
grep -q '^plain_teardown ' "$tmp/g-old.txt" && fail "gate of an old baseline: plain_teardown rows"
"$MLB" compare "$tmp/old" "$tmp/b" >/dev/null || fail "compare of an old folder"

# anon backings are read-only already: ro is refused in one line, exit 2
"$MLB" run --quiet --out "$tmp/anon" "${small[@]}" --backing anon-cow --prot ro \
	>/dev/null 2>"$tmp/anon.err"
rc=$?
[ "$rc" -eq 2 ] || fail "anon-cow --prot ro exited $rc"
grep -q 'prot ro needs a file backing' "$tmp/anon.err" || fail "anon message: $(cat "$tmp/anon.err")"
[ "$(wc -l <"$tmp/anon.err")" -eq 1 ] || fail "anon refusal is not one line"

# plot: a plain-* plot per configuration group with plain mappers, the runs-* of each prot
if command -v gnuplot >/dev/null; then
	"$MLB" plot -o "$tmp/p" "$tmp/a" "$tmp/b" >"$tmp/p.txt" || fail "plot"
	for f in plain-exit-shmem-mlock-4M-plain4 plain-exit-shmem-mlock-4M-plain4-prot_ro \
		 runs-exit-shmem-mlock-4M-plain4 runs-exit-shmem-mlock-4M-plain4-prot_ro; do
		[ -s "$tmp/p/$f.dat" ] || fail "plot: no $f.dat ($(ls "$tmp/p"))"
	done
	grep -q plain_teardown_ns "$tmp/p/plain-exit-shmem-mlock-4M-plain4.dat" || fail "plain-* .dat"
	"$MLB" plot -o "$tmp/pz" "$tmp/zero" >/dev/null || fail "plot of plain=0"
	ls "$tmp/pz" | grep -q '^plain-' && fail "plain-* plot without plain mappers"
fi
no_temp_files "$tmp/a"
echo "ok"
