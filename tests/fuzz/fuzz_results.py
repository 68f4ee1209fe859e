#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Fuzz result folders read by `compare`, `gate` and `plot`, against the
sanitized binary.

Starts from real small folders (tests/fixtures/results and a tiny run made
here) and mutates one of a pair.  Each mutation is classified:

  strict    the folder breaks the reader's contract (docs/RESULTS.md, STYLE
            rule 12): a non-finite, negative, fractional or 400-digit timing,
            a config/rep cell that is not a small integer, a duplicate or
            out-of-range configuration id, a sample row whose procs/size/...
            disagree with its configuration, a row of an unknown
            configuration, a missing column, a row cut short, an empty or
            truncated manifest, a wrong schema or status.  Every command must
            refuse it: gate exits 3 or more (0 pass and 1 regression are
            wrong verdicts, 2 inconclusive hides the error), compare and plot
            exit non-zero.
  semantic  the folder is valid but different: one configuration fewer (gate
            must never pass: INCONCLUSIVE names it), thousands of
            configurations, hostile strings in kernel ids and releases (plot
            must not run them: a backquoted `touch` must leave no file).
  noise     random bytes anywhere: only the generic checks apply.

Generic checks on every invocation: no sanitizer report, no death by signal,
no hang, exit status within 0-3.
"""
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fuzzlib import Fuzzer  # noqa: E402

PAIRS = [("aa-1", "aa-2"), ("planted-base", "planted-slow"), ("three-a", "three-b"),
         ("sweep-mlockcount", "sweep-rmap"), ("calib-1", "calib-p4"), ("tiny-a", "tiny-b")]
TIMING = ["setup_ns", "teardown_ns", "skew_ns", "lat_min_ns", "lat_median_ns", "lat_max_ns"]
NMANY = 200
GATED = ["teardown_ns", "lat_max_ns"]
NONFINITE = ["inf", "-inf", "nan", "NaN", "-nan", "Infinity", "INF", "1e400", "-1e400"]
NEGATIVE = ["-1", "-5", "-1000000000", "-0.5"]
FRACTION = ["12.5", "3.14159", "0.001"]
BADID = ["nan", "inf", "-1", "4294967296", "2147483648", "1e400", "-2147483649", "0.5",
         "9" * 40, "18446744073709551616"]


def read_csv(path):
    with open(path, newline="") as fh:
        rows = [ln.rstrip("\n").split(",") for ln in fh.read().splitlines()]
    return rows


def write_csv(path, rows):
    with open(path, "w") as fh:
        fh.write("".join(",".join(r) + "\n" for r in rows))


def load_manifest(d):
    with open(os.path.join(d, "manifest.json")) as fh:
        return json.load(fh)


def save_manifest(d, m):
    with open(os.path.join(d, "manifest.json"), "w") as fh:
        json.dump(m, fh, indent=2)


def set_cells(rng, rows, col, values, all_rows=False):
    """Set column col of one data row (or all) to a value from values."""
    hdr = rows[0]
    if col not in hdr or len(rows) < 2:
        return False
    i = hdr.index(col)
    targets = range(1, len(rows)) if all_rows else [rng.randrange(1, len(rows))]
    v = rng.choice(values)
    for r in targets:
        rows[r][i] = v
    return True


# Each mutation: (name, class, function(rng, dir) -> bool applied)
def m_samples_cell(values, cols, all_rows_p=0.2):
    def f(rng, d):
        p = os.path.join(d, "samples.csv")
        rows = read_csv(p)
        ok = set_cells(rng, rows, rng.choice(cols), values, rng.random() < all_rows_p)
        write_csv(p, rows)
        return ok
    return f


def m_csv_cell(name, cols, values):
    def f(rng, d):
        p = os.path.join(d, name)
        if not os.path.exists(p):
            return False
        rows = read_csv(p)
        ok = set_cells(rng, rows, rng.choice(cols), values)
        write_csv(p, rows)
        return ok
    return f


def m_row_mismatch(rng, d):
    """A sample row that disagrees with its configuration (issue 8 defect 9)."""
    p = os.path.join(d, "samples.csv")
    rows = read_csv(p)
    col = rng.choice(["procs", "size", "workload", "plain", "lock", "backing"])
    i = rows[0].index(col)
    r = rng.randrange(1, len(rows))
    new = {"procs": lambda v: str(int(v) * 16 + 64), "size": lambda v: str(int(v) * 2),
           "workload": lambda v: "munmap" if v != "munmap" else "exit",
           "plain": lambda v: str(int(v) + 3), "lock": lambda v: "onfault" if v != "onfault"
           else "mlock", "backing": lambda v: "anon-cow" if v != "anon-cow" else "shmem"}[col]
    if rng.random() < 0.5:	# every row of one configuration: a whole other run
        cfg = rows[r][0]
        for row in rows[1:]:
            if row[0] == cfg:
                row[i] = new(row[i])
    else:
        rows[r][i] = new(rows[r][i])
    write_csv(p, rows)
    return True


def m_unknown_config(rng, d):
    p = os.path.join(d, "samples.csv")
    rows = read_csv(p)
    ids = [c["id"] for c in load_manifest(d)["configs"]]
    rows[rng.randrange(1, len(rows))][0] = str(max(ids) + rng.choice([1, 7, 1000]))
    write_csv(p, rows)
    return True


def m_drop_column(rng, d):
    name = rng.choice(["samples.csv"] * 3 + ["latencies.csv"])
    p = os.path.join(d, name)
    rows = read_csv(p)
    cols = (GATED + ["config", "rep", "procs", "warmup"]) if name == "samples.csv" \
        else ["config", "rep", "latency_ns"]
    i = rows[0].index(rng.choice([c for c in cols if c in rows[0]]))
    for r in rows:
        del r[i:i + 1]
    write_csv(p, rows)
    return True


def m_extra_field(rng, d):
    p = os.path.join(d, "samples.csv")
    rows = read_csv(p)
    rows[rng.randrange(1, len(rows))].append(rng.choice(["1", "", "x"]))
    write_csv(p, rows)
    return True


def m_cut_row(rng, d):
    """Cut a CSV inside a row so that the last row has too few fields."""
    name = rng.choice(["samples.csv", "samples.csv", "latencies.csv"])
    p = os.path.join(d, name)
    with open(p, "rb") as fh:
        data = fh.read()
    lines = data.split(b"\n")
    ncomma = lines[0].count(b",")
    li = rng.randrange(1, max(2, len(lines) - 1))
    line = lines[li]
    commas = [i for i, c in enumerate(line) if c == ord(",")]
    if not commas:
        return False
    cut = commas[rng.randrange(0, min(len(commas), ncomma))]	# right after a field
    cut += rng.choice([0, 1])	# "…," or "…,d": either leaves fields missing
    start = sum(len(x) + 1 for x in lines[:li])
    with open(p, "wb") as fh:
        fh.write(data[:start + cut] + rng.choice([b"", b"\n"]))
    return True


def m_empty(name, header_only=False):
    def f(rng, d):
        p = os.path.join(d, name)
        with open(p, "rb") as fh:
            first = fh.readline()
        with open(p, "wb") as fh:
            fh.write(first if header_only else b"")
        return True
    return f


def m_no_rows(rng, d):
    """No data row at all (a 'complete' run that measured nothing)."""
    for name in ("samples.csv", "latencies.csv", "metrics.csv"):
        m_empty(name, header_only=True)(rng, d)
    return True


def m_manifest(fn):
    def f(rng, d):
        m = load_manifest(d)
        ok = fn(rng, m)
        save_manifest(d, m)
        return ok is not False
    return f


def mm_schema_version(rng, m):
    v = rng.choice([2, 0, "1", None, 1.5, -1, 1e300, 4294967297, "missing"])
    if v == "missing":
        del m["schema_version"]
    else:
        m["schema_version"] = v


def mm_schema_name(rng, m):
    v = rng.choice(["mlockbench-resul", "", None, "missing", 1])
    if v == "missing":
        del m["schema"]
    else:
        m["schema"] = v


def mm_status(rng, m):
    m["status"] = rng.choice(["running", "", "interrupted", None, 1, "Complete"])


def mm_dup_id(rng, m):
    """Duplicate configuration ids (issue 8 defect 10)."""
    cs = m["configs"]
    if len(cs) >= 2 and rng.random() < 0.6:
        a, b = rng.sample(range(len(cs)), 2)
        cs[b]["id"] = cs[a]["id"]
    else:
        cs.append(dict(rng.choice(cs)))


def mm_id_range(rng, m):
    c = rng.choice(m["configs"])
    c["id"] = rng.choice([4294967296, -1, 2147483648, 1e300, 1.5, "0", None,
                          c["id"] + 4294967296])


def mm_config_field(rng, m):
    c = rng.choice(m["configs"])
    k = rng.choice(["procs", "size", "plain", "reps", "warmup"])
    c[k] = rng.choice([-1, "4", None, 1e300, 1.5, 18446744073709551616, {}])


def mm_configs_shape(rng, m):
    v = rng.choice(["missing", {}, "x", None, [1, 2], [None]])
    if v == "missing":
        del m["configs"]
    else:
        m["configs"] = v


def m_manifest_bytes(rng, d):
    p = os.path.join(d, "manifest.json")
    with open(p, "rb") as fh:
        data = fh.read()
    how = rng.randrange(3)
    if how == 0:
        data = data[:rng.randrange(0, len(data) - 2)]	# truncated JSON
    elif how == 1:
        data = b""
    else:
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))
    with open(p, "wb") as fh:
        fh.write(data)
    return True


def m_drop_config(rng, d):
    """A valid folder with one configuration fewer than the other side."""
    m = load_manifest(d)
    if len(m["configs"]) < 2:
        return False
    gone = m["configs"].pop(rng.randrange(len(m["configs"])))["id"]
    save_manifest(d, m)
    for name in ("samples.csv", "latencies.csv", "metrics.csv"):
        p = os.path.join(d, name)
        if os.path.exists(p):
            rows = read_csv(p)
            write_csv(p, [rows[0]] + [r for r in rows[1:] if r[0] != str(gone)])
    return True


def m_hostile_strings(rng, d):
    m = load_manifest(d)
    marker = os.path.join(d, "..", "PWNED")
    evil = rng.choice([f"x`touch {marker}`", f"x$(touch {marker})", f"x\"; system(\"touch {marker}\"); \"",
                       f"x'`touch {marker}`'", f"a\nsystem('touch {marker}')\n", "\\", "\"", "%s%n" * 50,
                       "k" * 5000])
    where = rng.choice(["kernel_id", "release"])
    if where == "kernel_id":
        m["kernel_id"] = evil
    else:
        m["system"]["kernel"]["release"] = evil
    save_manifest(d, m)
    return True


def m_bytes(rng, d):
    name = rng.choice(["samples.csv", "latencies.csv", "metrics.csv", "manifest.json"])
    p = os.path.join(d, name)
    if not os.path.exists(p):
        return False
    b = bytearray(open(p, "rb").read())
    for _ in range(rng.randrange(1, 6)):
        pos = rng.randrange(len(b) + 1)
        op = rng.randrange(5)
        if op == 0 and b:
            b[min(pos, len(b) - 1)] = rng.randrange(256)
        elif op == 1:
            b[pos:pos] = b"\0"
        elif op == 2:
            b[pos:pos] = b"9" * rng.choice([20, 400, 5000])
        elif op == 3:
            b[pos:pos] = b"," * rng.choice([1, 200])
        else:
            b[pos:pos] = b"x" * rng.choice([100, 70000])
    open(p, "wb").write(bytes(b))
    return True


def m_drop_optional(rng, d):
    """latencies.csv and metrics.csv are optional (docs/RESULTS.md): a folder
    without them, or with only their header, is valid."""
    for name in rng.choice([["metrics.csv"], ["latencies.csv"], ["metrics.csv", "latencies.csv"]]):
        p = os.path.join(d, name)
        if rng.random() < 0.5:
            os.remove(p)
        else:
            with open(p, "rb") as fh:
                first = fh.readline()
            with open(p, "wb") as fh:
                fh.write(first)
    return True


def m_whitespace(rng, d):
    """Semantically the same folder: a blank line at the end of a CSV."""
    p = os.path.join(d, rng.choice(["manifest.json"]))
    with open(p, "a") as fh:
        fh.write("\n\n")
    return True


MUTATIONS = [
    ("d4-timing-nonfinite", "strict", m_samples_cell(NONFINITE, GATED + TIMING, 0.4)),
    ("d4-timing-negative", "strict", m_samples_cell(NEGATIVE, GATED + TIMING)),
    ("d4-timing-fraction", "strict", m_samples_cell(FRACTION, GATED)),
    ("d4-timing-400digits", "strict", m_samples_cell(["9" * 400, "1" + "0" * 400], GATED)),
    ("samples-config-rep-bad", "strict", m_samples_cell(BADID, ["config", "rep", "warmup"])),
    ("latencies-bad", "strict", m_csv_cell("latencies.csv", ["config", "rep", "latency_ns"],
                                                   BADID + NONFINITE)),
    ("metrics-config-rep-bad", "strict", m_csv_cell("metrics.csv", ["config", "rep"], BADID)),
    ("d9-row-mismatch", "strict", m_row_mismatch),
    ("row-unknown-config", "strict", m_unknown_config),
    ("missing-column", "strict", m_drop_column),
    ("extra-field", "strict", m_extra_field),
    ("cut-row", "strict", m_cut_row),
    ("samples-empty", "strict", m_empty("samples.csv")),
    ("samples-header-only", "strict", m_empty("samples.csv", header_only=True)),
    ("no-rows", "strict", m_no_rows),
    ("manifest-schema-version", "strict", m_manifest(mm_schema_version)),
    ("manifest-schema-name", "strict", m_manifest(mm_schema_name)),
    ("manifest-status", "strict", m_manifest(mm_status)),
    ("d10-dup-id", "strict", m_manifest(mm_dup_id)),
    ("d10-id-range", "strict", m_manifest(mm_id_range)),
    ("manifest-config-field", "strict", m_manifest(mm_config_field)),
    ("manifest-configs-shape", "strict", m_manifest(mm_configs_shape)),
    ("manifest-bytes", "strict", m_manifest_bytes),
    ("d10-missing-config", "semantic", m_drop_config),
    ("d2-hostile-strings", "semantic", m_hostile_strings),
    ("whitespace", "semantic", m_whitespace),
    ("optional-files", "semantic", m_drop_optional),
    ("bytes", "noise", m_bytes),
    ("bytes", "noise", m_bytes),
]


def make_many_configs(src, d, n):
    """A consistent folder of n configurations (3 reps each) built from src."""
    shutil.copytree(src, d)
    m = load_manifest(d)
    rows = read_csv(os.path.join(src, "samples.csv"))
    hdr, data = rows[0], [r for r in rows[1:] if r[0] == str(m["configs"][0]["id"])]
    c0 = m["configs"][0]
    m["configs"], out = [], [hdr]
    ip, isz = hdr.index("procs"), hdr.index("size")
    for i in range(n):
        c = dict(c0, id=i, size=c0["size"] * (i + 1), reps=len(data), warmup=0)
        m["configs"].append(c)
        for r in data:
            r = list(r)
            r[0], r[ip], r[isz] = str(i), str(c["procs"]), str(c["size"])
            r[hdr.index("warmup")] = "0"
            out.append(r)
    save_manifest(d, m)
    write_csv(os.path.join(d, "samples.csv"), out)
    for name in ("latencies.csv", "metrics.csv"):
        os.remove(os.path.join(d, name))


def main():
    f = Fuzzer("fuzz_results", iters=400, wall=140)
    rng = f.rng
    fixtures = os.environ.get("MLB_FIXTURES", os.path.join(f.src, "tests/fixtures"))
    bases = os.path.join(f.tmp, "bases")
    os.makedirs(bases)
    for a, b in PAIRS:
        for n in (a, b):
            src = os.path.join(fixtures, "results", n)
            if os.path.isdir(src):
                shutil.copytree(src, os.path.join(bases, n))
    for n in ("tiny-a", "tiny-b"):	# real folders of this binary
        st, _, err, _ = f.run(["run", "--quiet", "--procs", "1,2", "--size", "4K", "--reps", "4",
                               "--warmup", "0", "--collect", "none", "--out",
                               os.path.join(bases, n)])
        tag = f.judge(st, err)
        if tag:
            f.record(tag, f"the tiny run: {err.strip()}", lambda rd: ["run", "--procs", "1,2",
                     "--size", "4K", "--reps", "4", "--warmup", "0", "--out", "out"])
    pairs = [p for p in PAIRS if all(os.path.isdir(os.path.join(bases, n)) for n in p)]
    # the unmutated pairs must be fine, or the strict checks below mean nothing
    for a, b in pairs:
        st, _, err, _ = f.run(["gate", "-b", os.path.join(bases, a), "-c", os.path.join(bases, b)])
        tag = f.judge(st, err)
        if tag or st == 3:
            f.record(tag or "base-pair-unreadable", f"gate {a} {b}: {err.strip()[-300:]}",
                     lambda rd, a=a, b=b: ["gate", "-b", os.path.join(bases, a), "-c",
                                           os.path.join(bases, b)])

    # once: many configurations, which must stay bounded.  compare costs
    # about 0.15 s per configuration here (bootstrap CIs), so CI uses a few
    # hundred; MLB_FUZZ_MANY=4000 for the case.
    nmany = int(os.environ.get("MLB_FUZZ_MANY", NMANY))
    many = os.path.join(f.tmp, "many")
    make_many_configs(os.path.join(bases, "aa-1"), many, nmany)
    for args in (["gate", "-b", many, "-c", many], ["compare", "-m", "teardown_ns", many, many]):
        st, _, err, secs = f.run(args, timeout=90)
        print(f"fuzz_results: {args[0]} of {nmany} configurations: exit {st} in {secs:.1f} s")
        tag = f.judge(st, err)
        if tag:
            f.record(f"{tag}:many-configs", f"{args[0]} {nmany} configs: {err.strip()[-300:]}",
                     lambda rd, args=args: (shutil.copytree(many, os.path.join(rd, "many")),
                                            [a if a != many else "many" for a in args])[1])

    # issue 8's own reproducers first, so every run checks them: every
    # baseline timing inf (gate said PASS), and a folder with no rows alone
    # (compare printed a footer; qsort(NULL, 0) in collect_keys)
    pinned = os.path.join(f.tmp, "pinned")
    shutil.copytree(os.path.join(bases, "aa-1"), os.path.join(pinned, "inf"))
    rows = read_csv(os.path.join(pinned, "inf", "samples.csv"))
    for r in rows[1:]:
        for c in GATED:
            r[rows[0].index(c)] = "inf"
    write_csv(os.path.join(pinned, "inf", "samples.csv"), rows)
    shutil.copytree(os.path.join(bases, "aa-1"), os.path.join(pinned, "norows"))
    shutil.copytree(os.path.join(bases, "aa-2"), os.path.join(pinned, "aa-2"))
    m_no_rows(rng, os.path.join(pinned, "norows"))
    for name, args in (("d4-timing-nonfinite", ["gate", "-b", "inf", "-c", "aa-2"]),
                       ("no-rows", ["compare", "norows"]), ("no-rows", ["plot", "--scripts-only",
                                                               "-o", "plots", "norows"])):
        st, _, err, _ = f.run(args, cwd=pinned)
        tag = f.judge(st, err)
        if not tag and args[0] == "gate" and st in (0, 1, 2):
            tag = f"gate-{'inconclusive' if st == 2 else 'verdict'}:{name}"
        elif not tag and args[0] != "gate" and st == 0:
            tag = f"{args[0]}-accepts:{name}"
        if tag:
            f.record(tag, f"{' '.join(args)} (exit {st}): {err.strip()[-300:]}",
                     lambda rd, args=args: (shutil.copytree(pinned, rd, dirs_exist_ok=True),
                                            args)[1])

    while f.more():
        f.cases += 1
        name, cls, mut = rng.choice(MUTATIONS)
        a, b = rng.choice(pairs)
        d = os.path.join(f.tmp, f"c{f.cases}")
        side = "candidate" if rng.random() < 0.7 else "baseline"
        good = os.path.join(bases, a if side == "candidate" else b)
        bad = os.path.join(d, "bad")
        shutil.copytree(os.path.join(bases, b if side == "candidate" else a), bad)
        if not mut(rng, bad):
            shutil.rmtree(d)
            continue
        gb, gc = (good, bad) if side == "candidate" else (bad, good)
        runs = [("gate", ["gate", "-b", gb, "-c", gc])]
        if rng.random() < 0.5 or cls != "noise":
            runs.append(("compare", ["compare"] + rng.choice([[], ["-f", "json"], ["-f", "csv"],
                                                             ["-f", "markdown"]]) +
                         ([bad] if rng.random() < 0.3 else [gb, gc])))
        if rng.random() < 0.35 or name == "d2-hostile-strings":
            scripts = [] if name == "d2-hostile-strings" or rng.random() < 0.2 else ["--scripts-only"]
            runs.append(("plot", ["plot"] + scripts + ["-o", os.path.join(d, "plots"), gb, gc]))
        if rng.random() < 0.1:
            runs.append(("gate", ["gate", "--allow-incomplete", "-b", gb, "-c", gc]))

        for cmd, args in runs:
            st, out, err, secs = f.run(args, timeout=60)
            tag = f.judge(st, err)
            # --allow-incomplete makes any status acceptable
            strict = cls == "strict" and not (name == "manifest-status" and
                                              "--allow-incomplete" in args)
            if not tag and strict:
                if cmd == "gate" and st in (0, 1):
                    tag = f"gate-verdict:{name}"
                elif cmd == "gate" and st == 2:
                    tag = f"gate-inconclusive:{name}"
                elif cmd != "gate" and st == 0:
                    tag = f"{cmd}-accepts:{name}"
            elif not tag and name == "d10-missing-config" and cmd == "gate" and st == 0:
                tag = "gate-verdict:d10-missing-config-passes"
            elif not tag and name == "d2-hostile-strings" and os.path.exists(
                    os.path.join(d, "PWNED")):
                tag = "d2-plot-runs-shell"
            if tag:
                rel = [x.replace(bad, "bad").replace(good, "good").replace(d + "/", "")
                       for x in args]

                def save(rd, rel=rel):
                    shutil.copytree(bad, os.path.join(rd, "bad"))
                    shutil.copytree(good, os.path.join(rd, "good"))
                    return rel
                f.record(tag, f"{' '.join(rel)} (exit {st}): {err.strip()[-300:]}", save)
        shutil.rmtree(d, ignore_errors=True)
    f.finish()


if __name__ == "__main__":
    main()
