#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# plot on result folders whose strings are shell commands for gnuplot
# (issue 8, defect 2): a kernel id, a release, a job name, a lock class of
# metrics.csv and a folder name with backquotes, '@' macros, '$' and
# newlines.  Neither `plot` nor running the written .gp scripts by hand may
# run any of them.  Skip (4) only without gnuplot or python3.
set -u
. "${MLB_SRC:?source tree}/tests/e2e/lib.sh"
FX=${MLB_FIXTURES:?fixtures dir}/results
command -v gnuplot >/dev/null || skip "gnuplot not installed"
command -v python3 >/dev/null || skip "python3 not installed"

# Every payload touches a file under $pw (no '.' in it: lock classes end at one).
pw=$(mktemp -d /tmp/mlbpwXXXXXX)
trap 'rm -rf "$pw"; lib_cleanup' EXIT
a="$tmp/a"
b="$tmp/b\`touch m_folder\`"	# relative: gnuplot runs inside the plot folder
cp -r "$FX/sweep-rmap" "$a"
cp -r "$FX/sweep-mlockcount" "$b"

PW="$pw" python3 - "$a" "$b" <<'EOF' || fail "cannot craft the folders"
import json, os, sys
pw = os.environ["PW"]
def craft(d, kid, release, job, cls):
    m = json.load(open(d + "/manifest.json"))
    m["kernel_id"] = kid
    if release is None:
        m["system"]["kernel"].pop("release", None)
    else:
        m["system"]["kernel"]["release"] = release
    for c in m["configs"]:
        c["job"] = job
    json.dump(m, open(d + "/manifest.json", "w"))
    rows = open(d + "/samples.csv").read().splitlines()
    out = [rows[0]]
    for r in rows[1:]:
        f = r.split(",")
        f[1] = '"' + job.replace('"', '""') + '"'
        out.append(",".join(f))
    open(d + "/samples.csv", "w").write("\n".join(out) + "\n")
    met = open(d + "/metrics.csv").read().replace("i_mmap_rwsem.wait_ns", cls + ".wait_ns")
    open(d + "/metrics.csv", "w").write(met)
craft(sys.argv[1], "x`touch %s/kernel_id`" % pw, "6.1 @x `touch %s/release`\n`touch %s/nl`" % (pw, pw),
      "job`touch %s/job`@m$HOME" % pw, "c`touch %s/class`@m")
craft(sys.argv[2], "native", None, "j\"`touch %s/job2`\"\\" % pw, "\"`touch %s/class2`\"")
EOF
grep -q 'touch' "$a/metrics.csv" || fail "payload not in metrics.csv"

"$MLB" plot -o "$tmp/out" "$a" "$b" >"$tmp/plot.out" 2>&1 || { cat "$tmp/plot.out"; fail "plot failed"; }
ls "$tmp/out"/*.gp >/dev/null 2>&1 || fail "plot wrote no .gp script"
ls "$tmp/out"/locks-*.gp >/dev/null 2>&1 || fail "no lock plot: the class payload was not exercised"
[ -z "$(ls -A "$pw")" ] || fail "plot ran a command from a result folder: $(ls "$pw")"
[ ! -e "$tmp/out/m_folder" ] || fail "plot ran a command from a folder name"

# The scripts beside the plots, run by hand as the README says.
for gp in "$tmp/out"/*.gp; do
	(cd "$tmp/out" && gnuplot "$(basename "$gp")") >"$tmp/gp.out" 2>&1 ||
		{ cat "$tmp/gp.out"; fail "gnuplot $(basename "$gp") failed"; }
done
[ -z "$(ls -A "$pw")" ] || fail "a .gp script ran a command by hand: $(ls "$pw")"
[ ! -e "$tmp/out/m_folder" ] || fail "a .gp script ran a command from a folder name"
# The strings are still there, made inert, not dropped.
grep -q "x_touch" "$tmp/out"/teardown-*.gp || fail "kernel id missing from the title"
if grep -l '`' "$tmp/out"/*.gp "$tmp/out"/*.dat; then
	fail "a backquote reached a script or data file"
fi
echo "hostile strings stayed inert in plot and in the scripts run by hand"
