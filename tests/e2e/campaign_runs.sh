#!/usr/bin/env bash
# runs = N: every kernel booted N times, one result folder per boot
# (<kernel>/boot-N), interleaved (A B A B) or in a seeded shuffle that is the
# same on every run; resume per boot; compare, gate and plot expand a campaign
# folder (this layout and the older one of one folder per kernel) and gate
# takes several folders per side.  Two "kernels" of source native: no VM, a
# tiny job, seconds.
. "$(dirname "$0")/campaign_lib.sh"

tcg_kernels_dir
printf '[kernel]\nid = na\nsource = native\n' >"$T/kernels/na.ini"
printf '[kernel]\nid = nb\nsource = native\n' >"$T/kernels/nb.ini"
write_campaign "name = e2e-runs" "kernels = na nb" "runs = 2"
run_campaign 120
[ $rc = 0 ] || fail "campaign exited $rc"
D=$T/data/e2e-runs
grep -q "2 boots per kernel, order interleave: na#1 nb#1 na#2 nb#2" "$T/err" || fail "order not printed"
python3 - "$D" <<'PY' || exit 1
import json, sys
d = sys.argv[1]
s = json.load(open(d + "/campaign.json"))
assert s["runs"] == 2 and s["order"] == "interleave", s
got = [(b["kernel"], b["boot"], b["dir"], b["outcome"]) for b in s["boots"]]
want = [("na", 1, "na/boot-1", "complete"), ("nb", 1, "nb/boot-1", "complete"),
        ("na", 2, "na/boot-2", "complete"), ("nb", 2, "nb/boot-2", "complete")]
assert got == want, got
t = [(b["started"], b["finished"]) for b in s["boots"]]
assert all(a <= b for a, b in t) and all(t[i][1] <= t[i + 1][0] for i in range(3)), t
for k, n in (("na", 1), ("nb", 1), ("na", 2), ("nb", 2)):
    m = json.load(open(f"{d}/{k}/boot-{n}/manifest.json"))
    assert m["status"] == "complete" and m["kernel_id"] == k, (k, n, m["status"])
    c = json.load(open(f"{d}/{k}/boot-{n}/campaign.json"))
    assert c["boot"] == n and c["runs"] == 2 and c["kernel_id"] == k, c
assert [(k["id"], k["boots_complete"]) for k in s["kernels"]] == [("na", 2), ("nb", 2)], s["kernels"]
PY
[ -z "$(find "$D" -name '*.partial')" ] || fail "staging folders left: $(find "$D" -name '*.partial')"

# resume: every boot complete is skipped; a missing one alone runs again
run_campaign 60
[ $rc = 0 ] || fail "resume exited $rc"
[ "$(grep -c ': skipped' "$T/err")" = 4 ] || fail "resume did not skip the 4 boots"
rm -rf "$D/na/boot-2"
run_campaign 60
[ $rc = 0 ] || fail "second resume exited $rc"
grep -q "na boot 2: complete" "$T/err" || fail "the missing boot was not run"
[ "$(grep -c ': skipped' "$T/err")" = 3 ] || fail "finished boots were rerun"
[ -s "$D/na/boot-2/manifest.json" ] || fail "boot-2 not rewritten"

# a kernel folder of the older layout (a result itself) is not silently mixed
# with boots: refused (2) before any boot, replaced with --force
mkdir -p "$T/data/e2e-older"
cp -r "$D/na/boot-1" "$T/data/e2e-older/na"
write_campaign "name = e2e-older" "kernels = na" "runs = 1"
run_campaign 60
[ $rc = 2 ] || fail "older layout in the way: exit $rc, want 2"
grep -q "holds a result of the older layout" "$T/err" || fail "older layout not named"
grep -q "na boot 1/1" "$T/err" && fail "a boot ran over the older layout"
timeout -k 5 60 "$MLB" campaign --force --out "$T/data" "$T/c.ini" 2>"$T/err" || { cat "$T/err"; fail "--force over the older layout"; }
[ ! -e "$T/data/e2e-older/na/manifest.json" ] && [ -s "$T/data/e2e-older/na/boot-1/manifest.json" ] ||
	fail "older layout not replaced by boot-1"

# a kernel that cannot be had fails once, not once per boot; the others run
printf '[kernel]\nid = gone\nsource = local\nimage = ../no-such-image\n' >"$T/kernels/gone.ini"
write_campaign "name = e2e-gone" "kernels = gone na" "runs = 2"
run_campaign 60
[ $rc = 1 ] || fail "a campaign with an unavailable kernel exited $rc, want 1"
grep -q "gone boot 1: unavailable" "$T/err" || fail "boot 1 of the missing kernel not reported"
grep -q "gone boot 2: unavailable: kernel unavailable (see its boot 1)" "$T/err" || fail "boot 2 retried the missing kernel"
[ "$(grep -c 'na boot [12]: complete' "$T/err")" = 2 ] || fail "the healthy kernel did not run twice"

# seeded random order: balanced, printed, the same on a second campaign
write_campaign "name = e2e-rand" "kernels = na nb" "runs = 3" "order = random" "seed = 5"
run_campaign 120
[ $rc = 0 ] || fail "random campaign exited $rc"
line1=$(grep -o "order random (seed 5): .*" "$T/err") || fail "random order not printed"
mv "$T/data" "$T/data1"
D=$T/data1/e2e-runs
run_campaign 120
[ $rc = 0 ] || fail "second random campaign exited $rc"
line2=$(grep -o "order random (seed 5): .*" "$T/err")
[ "$line1" = "$line2" ] || fail "seed 5 gave two orders: '$line1' and '$line2'"
python3 - "$T/data1/e2e-rand" "$T/data/e2e-rand" "$line1" <<'PY' || exit 1
import json, sys
a, b = (json.load(open(p + "/campaign.json"))["boots"] for p in sys.argv[1:3])
order = [(x["kernel"], x["boot"]) for x in a]
assert order == [(x["kernel"], x["boot"]) for x in b], (order, b)
for k in ("na", "nb"):
    assert [n for kk, n in order if kk == k] == [1, 2, 3], order
assert sys.argv[3].endswith(" ".join(f"{k}#{n}" for k, n in order)), (sys.argv[3], order)
PY

# compare, gate, plot take the campaign folder as its 4 boots
timeout -k 5 60 "$MLB" compare "$D" >"$T/cmp" 2>"$T/cmp.err" || { cat "$T/cmp.err"; fail "compare of the campaign folder"; }
# grouped by kernel, each kernel's boots in the order they ran
grep -q "^  na (baseline): 2 runs: .*/na/boot-1, .*/na/boot-2$" "$T/cmp" &&
	grep -q "^  nb: 2 runs: .*/nb/boot-1, .*/nb/boot-2$" "$T/cmp" ||
	{ cat "$T/cmp"; fail "compare lacks a boot or groups them wrong"; }
timeout -k 5 60 "$MLB" plot -o "$T/plots" "$D" >/dev/null 2>"$T/plot.err" || { cat "$T/plot.err"; fail "plot of the campaign folder"; }
ls "$T/plots"/*.png >/dev/null 2>&1 || fail "plot wrote no png"
timeout -k 5 60 "$MLB" compare "$D/na" >"$T/cmp2" 2>&1 || { cat "$T/cmp2"; fail "compare of a kernel folder"; }
grep -q "boot-2" "$T/cmp2" || { cat "$T/cmp2"; fail "kernel folder not expanded"; }
gate() {
	timeout -k 5 60 "$MLB" gate "$@" >"$T/gate" 2>"$T/gate.err"
	grc=$?
	[ $grc -le 2 ] || { cat "$T/gate" "$T/gate.err"; fail "gate $* exited $grc"; }
}
gate --baseline "$D/na" --candidate "$D/nb"
grep -q "2 baseline and 2 candidate runs" "$T/gate.err" || { cat "$T/gate.err"; fail "kernel folders not expanded"; }
gate --baseline "$D/na/boot-1,$D/na/boot-2" --candidate "$D/nb/boot-1" --candidate "$D/nb/boot-2"
grep -q "2 baseline and 2 candidate runs" "$T/gate.err" || { cat "$T/gate.err"; fail "comma list and repeated option"; }
gate -b "$D/na/boot-1" -c "$D/nb/boot-1" -c "$D/nb/boot-2"
grep -q "1 baseline and 2 candidate runs" "$T/gate.err" || { cat "$T/gate.err"; fail "repeated -c"; }
timeout -k 5 60 "$MLB" gate -b "$D/na/boot-1" -c "$D/nb/boot-1,$D/na/boot-1" >/dev/null 2>"$T/gate.err"
[ $? -ge 3 ] && grep -q "same run" "$T/gate.err" || { cat "$T/gate.err"; fail "a run on both sides not refused"; }

# the older layout (one folder per kernel, as data/default) is one run per kernel
mkdir -p "$T/old/c"
cp -r "$D/na/boot-1" "$T/old/c/na"
cp -r "$D/nb/boot-1" "$T/old/c/nb"
echo '{"campaign": "c", "kernels": [{"id": "na", "outcome": "complete"}, {"id": "nb", "outcome": "complete"}]}' >"$T/old/c/campaign.json"
timeout -k 5 60 "$MLB" compare "$T/old/c" >"$T/cmp3" 2>&1 || { cat "$T/cmp3"; fail "compare of an old-layout campaign"; }
gate -b "$T/old/c/na" -c "$T/old/c/nb"
# a campaign.json naming a path outside its folder is refused, not followed
echo '{"boots": [{"kernel": "../../data1/e2e-rand/na", "boot": 1}]}' >"$T/old/c/campaign.json"
timeout -k 5 60 "$MLB" compare "$T/old/c" >"$T/cmp4" 2>&1 && fail "a hostile campaign.json was followed"
grep -q "bad kernel id" "$T/cmp4" || { cat "$T/cmp4"; fail "no clear refusal"; }
echo PASS
