#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Proof of what was measured and the THP boundary (docs/WORKLOADS.md), at
# small sizes natively: a thp-anon run mlocking --lock-offset auto records
# huge-page coverage > 0 in the manifest's smaps, passes both vmstat checks
# (only the whole huge pages count) and leaves Mlocked at its baseline; a
# thp-shmem run without shmem THP is flagged in the summary and the
# manifest, and refused with --require-thp (exit 3, one line naming the
# knob, no child left, the folder failed with the reason); bad ranges and
# the combinations a range does not take are refused (exit 2).
. "$(dirname "$0")/lib.sh"

THP=/sys/kernel/mm/transparent_hugepage
knob() { sed 's/.*\[\(.*\)\].*/\1/' "$THP/$1"; }
[ -r "$THP/enabled" ] || skip "no THP on this kernel"

small=(--procs 2 --size 16M --reps 2 --warmup 0 --collect "$COLLECT")

# 1. thp-anon, the boundary in the middle of the first and last huge page
if [ "$(knob enabled)" = never ]; then
	echo "THP enabled is never: no thp-anon boundary run"
else
	for try in 1 2 3; do
		rm -rf "${tmp:?}/anon"
		run_ok anon "${small[@]}" --backing thp-anon --lock-offset auto
		vmstat_ok "$tmp/anon" && break
		echo "anon: a vmstat check failed (try $try), other mlocks on the machine?"
	done
	check_folder "$tmp/anon" complete backing=thp-anon
	python3 - "$tmp/anon" "$COLLECT" <<'PY' || fail "anon: smaps, identity or checks wrong"
import csv, json, os, sys
d, collect = sys.argv[1:3]
m = json.load(open(os.path.join(d, "manifest.json")))
(c,) = m["configs"]
assert c["identity"]["lock-offset"] == "auto" and c["identity"]["lock-len"] == "0", c["identity"]
s = c["smaps"]
assert s["available"] and s["read"] == s["lockers"] == 2 and s["rep"] == 0, s
assert s["thp_verdict"] == "got-huge-pages", s
assert s["huge_coverage"]["min"] > 0, s["huge_coverage"]
f = s["fields"]
assert f["AnonHugePages"]["min"] >= 2 << 20, f["AnonHugePages"]
assert f["Rss"]["min"] >= 16 << 20, f["Rss"]
# Locked is proportional over the lockers of the shared pages: the range (14M) at most
assert 0 < f["Locked"]["sum"] <= (14 << 20) + (1 << 20), f["Locked"]
print("anon: coverage %.3f..%.3f, AnonHugePages %d..%d, Locked sum %d" % (
    s["huge_coverage"]["min"], s["huge_coverage"]["max"], f["AnonHugePages"]["min"],
    f["AnonHugePages"]["max"], f["Locked"]["sum"]))
if collect == "vmstat":
    ok = {k["name"]: (k["ok"], k["detail"]) for k in m["checks"] if k["collector"] == "vmstat"}
    assert ok["design-fingerprint"][0] and ok["mlocked-baseline"][0], ok
    for k, v in ok.items():
        print(" ", k, v[1][:160])
    mets = [r for r in csv.DictReader(open(os.path.join(d, "metrics.csv")))
            if r["metric"] == "setup.delta_unevictable_pgs_mlocked"]
    print("  setup Δmlocked", [r["value"] for r in mets], "(6 whole huge pages = 3072)")
PY
fi

# 2. thp-shmem where shmem THP is off: flagged, in the summary and the manifest
case $(knob shmem_enabled) in
never | deny) ;;
*) no_leftover_procs; mlocked_back; echo "PASS (shmem THP is on here: no flag to see)"; exit 0 ;;
esac
"$MLB" run --out "$tmp/shmem" "${small[@]}" --size 4M --backing thp-shmem \
	>"$tmp/shmem.out" 2>"$tmp/shmem.err" || fail "thp-shmem run exited $?: $(cat "$tmp/shmem.err")"
grep -q "smaps: .*FLAGGED no-huge-pages: thp-shmem got no huge pages in 2 of 2 lockers" \
	"$tmp/shmem.out" || fail "thp-shmem not flagged in the summary: $(cat "$tmp/shmem.out")"
check_folder "$tmp/shmem" complete backing=thp-shmem
python3 -c 'import json, sys
(c,) = json.load(open(sys.argv[1]))["configs"]
s = c["smaps"]
assert s["thp_verdict"] == "no-huge-pages" and s["lockers_without_huge"] == 2, s
assert s["huge_coverage"]["max"] == 0 and s["fields"]["ShmemPmdMapped"]["max"] == 0, s' \
	"$tmp/shmem/manifest.json" || fail "thp-shmem: manifest smaps"

# 3. the same with --require-thp: refused before any measured repetition
timeout -s KILL 60 "$MLB" run --quiet --out "$tmp/req" "${small[@]}" --size 4M \
	--backing thp-shmem --require-thp >"$tmp/req.out" 2>"$tmp/req.err"
rc=$?
[ $rc -eq 3 ] || fail "--require-thp exited $rc, want 3: $(cat "$tmp/req.err")"
want="mlockbench run: --require-thp: thp-shmem got no huge pages in 2 of 2 lockers ($THP/shmem_enabled is $(knob shmem_enabled))"
[ "$(cat "$tmp/req.err")" = "$want" ] || fail "--require-thp said: $(cat "$tmp/req.err")"
echo "require-thp: exit $rc: $(cat "$tmp/req.err")"
no_leftover_procs
mlocked_back
check_folder "$tmp/req" failed
python3 -c 'import csv, json, sys
m = json.load(open(sys.argv[1] + "/manifest.json"))
assert m["error"].startswith("--require-thp: thp-shmem got no huge pages"), m.get("error")
(c,) = m["configs"]
assert c["smaps"]["thp_verdict"] == "no-huge-pages", c["smaps"]
assert not list(csv.DictReader(open(sys.argv[1] + "/samples.csv"))), "rows were measured"' \
	"$tmp/req" || fail "--require-thp: folder"

# 4. refusals: one line, exit 2, nothing created
refuse() {
	local why=$1 rc

	shift
	"$MLB" run --quiet --out "$tmp/bad" --procs 1 --size 16M --reps 1 "$@" \
		>/dev/null 2>"$tmp/bad.err"
	rc=$?
	[ $rc -eq 2 ] || fail "$* exited $rc, want 2: $(cat "$tmp/bad.err")"
	[ "$(wc -l <"$tmp/bad.err")" -eq 1 ] || fail "$*: $(cat "$tmp/bad.err")"
	grep -qF -- "$why" "$tmp/bad.err" || fail "$*: $(cat "$tmp/bad.err"), want '$why'"
	[ -e "$tmp/bad" ] && fail "$*: the result folder was created"
	return 0
}
refuse "multiples of the page size" --lock-offset 1000
refuse "lock range ends beyond the mapping" --lock-offset 1M --lock-len 16M
refuse "holds no whole huge page" --backing thp-anon --lock-offset 1M --lock-len 2M
refuse "--lock mlockall locks whole mappings" --lock-offset auto --lock mlockall
refuse "--workload vmas do not mix" --lock-offset auto --workload vmas --vmas 4
refuse "--workload munlockall-reserve do not mix" --lock-offset auto \
	--workload munlockall-reserve
refuse "--lock-len with --lock-offset auto" --lock-offset auto --lock-len 4M
refuse "--require-thp needs a THP backing" --require-thp
refuse "'soon' is not a size or auto" --lock-offset soon

no_leftover_procs
mlocked_back
echo PASS
