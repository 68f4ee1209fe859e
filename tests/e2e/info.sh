#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mlockbench info: the design it prints matches one derived here from
# /proc/kallsyms with grep; --json parses and has the manifest keys; bad
# options exit 2; a synthetic topology is summarised with hwloc's counts.
set -u
: "${MLB:?MLB must point at the mlockbench binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

[ -r /proc/kallsyms ] || { echo "SKIP: no /proc/kallsyms"; exit 4; }

# Core-kernel symbols only (module lines end in "[module]"), suffixes allowed.
has() { grep -Eq "^[0-9a-f]+ [A-Za-z] ($1)(\.[^[:space:]]*)?\$" /proc/kallsyms; }
rmap='try_to_munlock|page_mlock|page_mlock_one|munlock_vma_pages_range|clear_page_mlock'
count='mlock_folio|munlock_page|munlock_folio|mlock_new_page|mlock_new_folio'
count+='|mlock_page_drain_local|mlock_drain_local|need_mlock_page_drain|need_mlock_drain'
r=0; c=0
has "$rmap" && r=1
has "$count" && c=1
case "$r$c" in
10) want=rmap-walk ;;
01) want=mlock_count ;;
*) want=unknown ;;
esac

"$MLB" info >"$tmp/out" 2>"$tmp/err" || fail "info exited $?: $(cat "$tmp/err")"
cat "$tmp/out"
got=$(sed -n 's/^munlock design: *\([^ ]*\) (evidence: .*)$/\1/p' "$tmp/out")
[ "$got" = "$want" ] || fail "info says design '$got', kallsyms says '$want'"
grep -q '^kernel: *'"$(uname -r)"' ' "$tmp/out" || fail "kernel line lacks $(uname -r)"
grep -Eq '^collectors: +tracepoints (yes|n/a), kprobes (yes|n/a), pmu (yes|n/a)$' "$tmp/out" ||
	fail "collectors line malformed"

"$MLB" info --json >"$tmp/json" 2>"$tmp/err" || fail "info --json exited $?"
python3 - "$tmp/json" "$want" "$(uname -r)" <<'PY' || fail "json check failed"
import json, sys
s = json.load(open(sys.argv[1]))
keys = {
    "kernel": ["release", "version", "cmdline", "machine"],
    "design": ["name", "evidence"],
    "topology": ["packages", "numa_nodes", "cores", "pus", "source"],
    "memory": ["total_kib", "available_kib"],
    "thp": ["enabled", "shmem_enabled"],
    "memlock": ["soft", "hard", "cap_ipc_lock"],
    "collectors": ["tracepoints", "kprobes", "pmu"],
}
for obj, ks in keys.items():
    for k in ks:
        assert k in s[obj], f"missing {obj}.{k}"
assert isinstance(s["cpu_model"], str)
assert s["design"]["name"] == sys.argv[2], s["design"]
assert s["kernel"]["release"] == sys.argv[3]
assert s["topology"]["source"] == "this machine"
assert s["topology"]["pus"] >= 1 and s["memory"]["total_kib"] > 0
for k in ("soft", "hard"):
    v = s["memlock"][k]
    assert v == "unlimited" or (isinstance(v, int) and v >= 0), v
for k in keys["collectors"]:
    assert isinstance(s["collectors"][k], bool)
PY

"$MLB" info --bogus >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] || fail "--bogus exited $rc, want 2"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "--bogus printed more than one line"

# hwloc 2.9: "numa:2" below each package gives 4 NUMA nodes in all.
"$MLB" info --topology "pack:2 numa:2 core:8 pu:2" >"$tmp/topo" || fail "--topology exited $?"
grep -q '^topology: *packages 2, NUMA nodes 4, cores 32, PUs 64 (pack:2 numa:2 core:8 pu:2)$' \
	"$tmp/topo" || fail "synthetic topology: $(grep ^topology "$tmp/topo")"
"$MLB" info --topology "pack:two" >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ] || fail "bad --topology exited $rc, want 2"
echo "not xml" >"$tmp/bad.xml"
"$MLB" info --topology "$tmp/bad.xml" >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ] || fail "non-xml --topology file exited $rc, want 2"
echo PASS
