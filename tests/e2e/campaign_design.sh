#!/usr/bin/env bash
# Design checks: a descriptor whose expected design is wrong is flagged in the
# manifest (design_mismatch) and warned about; a compare = design campaign
# whose kernels all turn out to share one design exits non-zero.
# Uses debian-6.1 in QEMU (TCG, no probe) and the native kernel (mlock_count here).
. "$(dirname "$0")/campaign_lib.sh"

need_debian61
native=$("$MLB" info --json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["design"]["name"])')
[ "$native" = mlock_count ] || { echo "native design is $native, not mlock_count: skip"; exit 4; }

# descriptors: 6.1 wrongly declared rmap-walk
tcg_kernels_dir
sed 's/^expected_design = .*/expected_design = rmap-walk/' "$MLB_SRC/kernels/debian-6.1.ini" >"$T/kernels/debian-6.1.ini"
cp "$MLB_SRC/kernels/native.ini" "$T/kernels/"

write_campaign "name = e2e-design" \
	"kernels = debian-6.1 native" \
	"compare = design" \
	"smp = 2" \
	"memory = 512M" \
	"timeout = 150"

run_campaign 200
[ $rc = 1 ] || fail "same-design comparison exited $rc, want 1"
grep -q "compares designs, but every kernel ran mlock_count" "$T/err" || fail "no clear refusal message"
grep -q "warning: debian-6.1 boot 1 detected mlock_count but its descriptor expects rmap-walk" "$T/err" ||
	fail "no mismatch warning"
python3 - "$T/data/e2e-design" <<'PY' || exit 1
import json, sys
d = sys.argv[1]
m = json.load(open(d + "/debian-6.1/boot-1/manifest.json"))
assert m["design_mismatch"] is True, m.get("design_mismatch")
assert m["expected_design"] == "rmap-walk"
assert m["kernel_id"] == "debian-6.1"
n = json.load(open(d + "/native/boot-1/manifest.json"))
assert n["status"] == "complete" and n["kernel_id"] == "native", (n["status"], n.get("kernel_id"))
assert "design_mismatch" not in n
print("mismatch recorded; native run complete")
PY
echo PASS
