#!/usr/bin/env bash
# The THP boundary in the guests: a small thp-anon job mlocking
# --lock-offset auto in a debian-5.10 boot (rmap-walk) and, when it can be
# fetched or is cached, a debian-6.1 boot (mlock_count), QEMU TCG.  Each
# manifest proves huge pages (smaps: coverage > 0, got-huge-pages) and
# Mlocked returns to its baseline (vmstat mlocked-baseline); the
# design-fingerprint check passes under each design's rule.  The guest gets
# 1G: below 512M of RAM the kernel turns THP off at boot (hugepage_init), and
# thp-anon then gets no huge pages, which the proof flags.
. "$(dirname "$0")/campaign_lib.sh"

if ! timeout 300 "$MLB" kernel fetch debian-5.10 >"$T/fetch.log" 2>"$T/fetch.err"; then
	cat "$T/fetch.log" "$T/fetch.err"
	echo "debian-5.10 cannot be fetched and is not cached: skip"
	exit 4
fi
kernels=debian-5.10
timeout 300 "$MLB" kernel fetch debian-6.1 >>"$T/fetch.log" 2>&1 && kernels="$kernels debian-6.1"
tcg_kernels_dir
for k in $kernels; do cp "$MLB_SRC/kernels/$k.ini" "$T/kernels/"; done
cat >"$T/c.ini" <<INI
[campaign]
name = e2e-thp
kernels = $kernels
runs = 1
smp = 2
memory = 1G
timeout = 100

[global]
collect = vmstat
backing = thp-anon
procs = 4
size = 16M
reps = 3
warmup = 0

[boundary]
lock-offset = auto
INI
run_campaign 240
[ "$rc" = 0 ] || { find "$T/data" -name guest-run.log -exec tail -5 {} \;; fail "campaign exited $rc"; }
no_qemu_left "$T/"
bad=
for k in $kernels; do
	python3 - "$T/data/e2e-thp/$k/boot-1" "$k" <<'PY' || bad="$bad $k"
import csv, json, sys
d, k = sys.argv[1:3]
m = json.load(open(d + "/manifest.json"))
assert m["status"] == "complete", (m["status"], m.get("error"))
want = {"debian-5.10": "rmap-walk", "debian-6.1": "mlock_count"}[k]
assert m["system"]["design"]["name"] == want, m["system"]["design"]
(c,) = m["configs"]
assert c["identity"]["lock-offset"] == "auto", c["identity"]
s = c["smaps"]
assert s["available"] and s["read"] == 4, s
assert s["thp_verdict"] == "got-huge-pages" and s["huge_coverage"]["min"] > 0, s
checks = {x["name"]: (x["ok"], x["detail"]) for x in m["checks"] if x["collector"] == "vmstat"}
mets = {}
for r in csv.DictReader(open(d + "/metrics.csv")):
    mets.setdefault(r["metric"], []).append(r["value"])
print(k, "coverage %.3f..%.3f" % (s["huge_coverage"]["min"], s["huge_coverage"]["max"]),
      "AnonHugePages", s["fields"]["AnonHugePages"]["min"], "Locked sum",
      s["fields"]["Locked"]["sum"])
for n in ("setup.delta_unevictable_pgs_mlocked", "teardown.delta_unevictable_pgs_mlocked",
          "teardown.delta_unevictable_pgs_munlocked", "teardown.mlocked_kib_residual"):
    print(" ", n, mets.get(n))
for n, v in checks.items():
    print(" ", n, v[0], v[1])
assert checks["mlocked-baseline"][0], checks
assert checks["design-fingerprint"][0], checks
PY
done
[ -z "$bad" ] || fail "guest results wrong for$bad (see above)"
echo PASS
