#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Fuzz job files and command lines of `mlockbench run` (and the option
parsing of gate/compare/plot) against the sanitized binary.

Safety: a mutated job may ask for 4096 children of 1 TiB each.  Every run
ends with command-line overrides (SAFE below) that the harness applies after
the job file and after the fuzzed options, so whatever the file or the
fuzzed options say is parsed and validated, but what runs is one 4 KiB
locker, one repetition, shmem, plain mlock, no collector.  mlockall is never
let through: under ASan it would fault in the whole shadow mapping.

Fails on a sanitizer report, a death by signal, a hang, an exit status
outside 0-3, and a progression A,B,...,C whose length the harness gets wrong
(issue 8 defect 7), checked against an exact big-integer model.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fuzzlib import Fuzzer  # noqa: E402

SAFE = ["--procs", "1", "--size", "4K", "--plain", "0", "--reps", "1", "--warmup", "0",
        "--timeout", "10", "--collect", "none", "--backing", "shmem", "--lock", "mlock",
        "--perf-record=no", "--force=no"]
KEYS = ["workload", "procs", "size", "plain", "backing", "lock", "reps", "warmup", "pin",
        "membind", "interleave", "seed", "collect", "perf-record", "timeout", "force"]
U64_MAX = (1 << 64) - 1
NUMS = ["0", "1", "2", "4", "-1", "-0", "+4", " 4", "4 ", "007", "0x10", "1e3", "4.5",
        str(U64_MAX), str(U64_MAX + 1), str(1 << 63), "9" * 25, "9" * 400, "nan", "inf",
        "4096", "4097", "100000", "100001", "86400", "86401", "4294967296", "", " ",
        "4K", "4k", "4KiB", "4KB", "4Kb", "4X", "64M", "1T", "1025G", "16E", "17179869184T",
        "16383P", "1P", "4M4", "M", "4,", ",4", "1,,2", "...", "1,...", "1,2,...",
        "1,2,...,1", "2,1,...,8", "1,2,...,...,8", "1, 2 ,4", "4G,4G",
        ",".join(str(i) for i in range(1, 70)), "1,2,...,4096", "1,3,...,4095"]
WORDS = {
    "workload": ["exit", "munmap", "munlock", "EXIT", "exit ", "", "fork", "x" * 300],
    "backing": ["shmem", "file:/tmp", "file:", "file:/nonexistent", "anon-cow", "thp-shmem",
                "thp-anon", "file:" + "a/" * 3000, "file:/proc", "shm"],
    "lock": ["mlock", "onfault", "map-locked", "mlockall", "mlock2", ""],
    "pin": ["none", "compact", "scatter", "all", ""],
    "collect": ["vmstat", "perf", "locks", "none", "vmstat,vmstat", "perf:bogus", "locks:",
                ",", "vmstat,", "x" * 5000, "perf:system,locks:kprobe"],
    "flag": ["yes", "no", "1", "0", "true", "false", "", "maybe", "YES"],
}
FLAGS = {"interleave", "perf-record", "force"}


def progression_model(tokens, sizes):
    """Exact expansion of a list with '...' as bench/common/parse.c means it
    (two values: a whole ratio >= 2 is geometric; three with equal steps are
    arithmetic), with Python integers: 'count' if more than 64 values."""
    vals, ell = [], False
    for t in tokens:
        if t == "...":
            ell = True
            continue
        v = t
        if ell:
            a, b = vals[-2], vals[-1]
            if b <= a or v <= b:
                return "bad"
            step = b - a
            ratio = b // a if a and b % a == 0 and b // a >= 2 else 0
            if len(vals) >= 3 and a - vals[-3] == step:
                ratio = 0
            nxt = b * ratio if ratio else b + step
            while nxt < v:
                vals.append(nxt)
                if len(vals) > 64:
                    return "count"
                nxt = nxt * ratio if ratio else nxt + step
            ell = False
        vals.append(v)
        if len(vals) > 64:
            return "count"
    return vals


def gen_progression(rng, sizes):
    """A,B,...,C (sometimes with a value before A) in range, aimed at the
    wrap-around of next*ratio and next+step."""
    hi = 1 << 40 if sizes else 4096
    lo = 4096 if sizes else 1
    if sizes:
        a = rng.choice([4096, 8192, 1 << 20, rng.randrange(lo, 1 << 24) & ~4095])
        b = rng.choice([1 << 38, 274877911040, (1 << 39) + 4096, a * rng.choice([2, 3, 4, 7]),
                        rng.randrange(a + 1, hi), a + 4096, hi - 4096])
    else:
        a = rng.randrange(lo, 64)
        b = rng.choice([a + 1, a * 2, a * rng.randrange(2, 64), rng.randrange(a + 1, hi)])
    b = min(max(b, a + 1), hi - 1)
    c = rng.choice([hi, rng.randrange(b + 1, hi + 1), b + 1])
    toks = [a, b, "...", c]
    if rng.random() < 0.3 and a > lo:
        toks.insert(0, rng.randrange(lo, a))
    return toks


def fmt_tok(t, rng, sizes):
    if t == "...":
        return t
    if sizes and t % (1 << 40) == 0 and rng.random() < 0.5:
        return f"{t >> 40}T"
    if sizes and t % (1 << 30) == 0 and rng.random() < 0.5:
        return f"{t >> 30}G"
    if sizes and t % 1024 == 0 and rng.random() < 0.5:
        return f"{t >> 10}K"
    return str(t)


def value_for(rng, key):
    if key in FLAGS:
        return rng.choice(WORDS["flag"])
    if key in WORDS and rng.random() < 0.7:
        return rng.choice(WORDS[key])
    if key in ("procs", "size", "plain") and rng.random() < 0.3:
        sizes = key == "size"
        return ",".join(fmt_tok(t, rng, sizes) for t in gen_progression(rng, sizes))
    return rng.choice(NUMS)


def gen_jobfile(rng):
    lines = []
    if rng.random() < 0.5:
        lines.append("[global]")
        for _ in range(rng.randrange(0, 4)):
            k = rng.choice(KEYS)
            lines.append(f"{k} = {value_for(rng, k)}")
    nsec = rng.choice([1, 1, 2, 3, 5, 64, 65])
    for s in range(nsec):
        lines.append(rng.choice([f"[job{s}]", f"[job{s}]", "[global]", "[]", "[job0]",
                                 "[" + "n" * rng.choice([63, 64, 300]) + "]", "[a,b]",
                                 "[a\"b]", "[unterminated", f"[job{s}] trailing"]))
        for _ in range(rng.randrange(0, 5)):
            k = rng.choice(KEYS + ["procz", "", " ", "=", "size.x", "x" * 200])
            lines.append(rng.choice([f"{k} = {value_for(rng, k)}", f"{k}={value_for(rng, k)}",
                                     f"{k}", f"  {k} :  {value_for(rng, k)}",
                                     f"; {k} = 1", f"# {k}"]))
    data = ("\n".join(lines) + "\n").encode()
    return mutate_bytes(rng, data)


def mutate_bytes(rng, data):
    b = bytearray(data)
    for _ in range(rng.choice([0, 0, 0, 1, 2, 5])):
        op = rng.randrange(9)
        pos = rng.randrange(len(b) + 1)
        if op == 0 and b:
            b[min(pos, len(b) - 1)] = rng.randrange(256)
        elif op == 1:
            b[pos:pos] = b"\0"
        elif op == 2:
            b[pos:pos] = b"\n" + b"x" * rng.choice([200, 4096, 70000]) + b" = 1\n"
        elif op == 3:
            b[pos:pos] = b"\nsize = " + b"9" * rng.choice([30, 1000, 20000]) + b"\n"
        elif op == 4:
            del b[pos:pos + rng.randrange(1, 20)]
        elif op == 5:
            b[pos:pos] = rng.choice([b"\r\n", b"\xef\xbb\xbf", b"\xff\xfe", b"[", b"]", b"=",
                                     b"\\\n", b"\"", b"%n%s%s", b"\t"])
        elif op == 6 and b:	# duplicate a line
            lines = bytes(b).split(b"\n")
            i = rng.randrange(len(lines))
            lines.insert(i, lines[i])
            b = bytearray(b"\n".join(lines))
        elif op == 7:
            b = b[:pos]	# truncated
        else:
            b[pos:pos] = b"\n[s%d]\n" % rng.randrange(1000) * rng.choice([1, 70])
    return bytes(b)


def cli_case(f, rng, d):
    """Fuzzed job options on the command line, then SAFE."""
    # every path stays under d: a fuzzed --out must never reach /
    with open(os.path.join(d, "f"), "w") as fh:
        fh.write("a regular file\n")
    args = ["run", "--quiet", "--out", os.path.join(d, "o")]
    for _ in range(rng.randrange(1, 5)):
        k = rng.choice(KEYS + ["procz", "job", "out", "overwrite", "quiet", "help"])
        if k in ("job", "out"):
            args += [f"--{k}", rng.choice([os.path.join(d, "missing"), "/dev/null", d,
                                           os.path.join(d, "f"), d + "/" + "a" * 5000, "",
                                           os.path.join(d, "a/b/c"), d + "/" + "a/" * 2100])]
        elif k in ("overwrite", "quiet", "help"):
            args.append(f"--{k}")
        elif k in FLAGS and rng.random() < 0.5:
            args.append(f"--{k}")
        else:
            v = value_for(rng, k)
            args += rng.choice([[f"--{k}", v], [f"--{k}={v}"]])
    args += SAFE
    if rng.random() < 0.05:
        args.append(rng.choice(["--procs", "extra", "--", "-x", "--size=", "--seed"]))
    return args


def other_case(rng, d, folder):
    """Option parsing of the reading commands (on a real folder)."""
    cmd = rng.choice(["gate", "compare", "plot"])
    hostile = rng.choice(NUMS + ["5%", "%", "1e-300", "-5%", "nan%", "-nan", "NAN", "0.05", "10",
                                 "x" * 3000, "--", "-"])
    if cmd == "gate":
        args = ["gate", "-b", folder, "-c", folder]
        args += rng.choice([["--threshold", hostile], ["-m", hostile], ["-a", hostile],
                            ["--calibrate", f"{folder},{folder}"], ["-j", os.path.join(d, "j.xml")],
                            ["--metric", "teardown_ns,teardown_ns"], ["-b", hostile]])
    elif cmd == "compare":
        args = ["compare", folder] + rng.choice([["-f", hostile], ["-m", hostile],
                                                 ["-o", os.path.join(d, hostile[:200] or "x")],
                                                 [folder] * rng.choice([1, 40]), ["-p", hostile]])
    else:
        args = ["plot", "--scripts-only", "-o", os.path.join(d, "p"), folder] + \
            rng.choice([[hostile], ["-o", d + "/" + "a" * 5000], [folder]])
    return args


def main():
    f = Fuzzer("fuzz_jobs", iters=700, wall=100)
    rng = f.rng
    base = os.path.join(f.tmp, "base")
    st, out, err, _ = f.run(["run", "--procs", "1,2", "--size", "4K", "--reps", "3",
                             "--warmup", "0", "--out", base])
    tag = f.judge(st, err)
    if tag or st:
        f.record(tag or f"exit:{st}", f"the plain tiny run: {err.strip()}", lambda d: [
            "run", "--procs", "1,2", "--size", "4K", "--reps", "3", "--warmup", "0",
            "--out", "out"])
    # Not a failure, not hidden: ASan makes mlock() a no-op, so the vmstat
    # counters do not move as the detected design says.
    fp = [ln.strip() for ln in out.splitlines() if "vmstat " in ln]
    f.note("ASan turns mlock into a no-op, so the vmstat fingerprint is expected to "
           "fail under this binary (not counted): " + (" | ".join(fp) or "(no vmstat line)"))
    # issue 8's own reproducers first, so every run checks them
    for sizes, val in ((True, "4K,256G,...,1T"), (True, "4096,274877911040,...,1T")):
        toks = [t if t == "..." else int(t[:-1]) << {"K": 10, "G": 30, "T": 40}[t[-1]]
                if t[-1] in "KGT" else int(t) for t in val.split(",")]
        prog = progression_model(toks, sizes)
        args = ["run", "--quiet", "--out", os.path.join(f.tmp, "pinned"), "--size", val] + SAFE
        st, _, err, _ = f.run(args)
        tag = f.judge(st, err)
        if not tag and isinstance(prog, list) and "more than 64 values" in err:
            tag = "d7-progression:refused-as-over-64"
        if tag:
            f.record(tag, f"--size {val} has {len(prog)} values: {err.strip()}",
                     lambda rd, val=val: ["run", "--quiet", "--out", "out", "--size", val] + SAFE)
    for thr in ("nan", "nan%"):
        args = ["gate", "-b", base, "-c", base, "--threshold", thr]
        st, _, err, _ = f.run(args)
        tag = f.judge(st, err) or ("gate-threshold-nan-accepted" if st in (0, 1, 2) else None)
        if tag:
            f.record(tag, f"--threshold {thr}: exit {st}", lambda rd, args=args: args)

    while f.more():
        f.cases += 1
        d = os.path.join(f.tmp, f"c{f.cases}")
        os.makedirs(d)
        kind = rng.random()
        prog = None
        if kind < 0.55:
            data = gen_jobfile(rng)
            jf = os.path.join(d, "job.ini")
            with open(jf, "wb") as fh:
                fh.write(data)
            args = ["run", "--quiet", "--job", jf, "--out", os.path.join(d, "o")] + SAFE

            def save(rd, data=data):
                with open(os.path.join(rd, "job.ini"), "wb") as fh:
                    fh.write(data)
                return ["run", "--quiet", "--job", "job.ini", "--out", "out"] + SAFE
        elif kind < 0.75:
            sizes = rng.random() < 0.7
            toks = gen_progression(rng, sizes)
            prog = progression_model(toks, sizes)
            key = "--size" if sizes else rng.choice(["--procs", "--plain"])
            val = ",".join(fmt_tok(t, rng, sizes) for t in toks)
            args = ["run", "--quiet", "--out", os.path.join(d, "o"), key, val] + SAFE

            def save(rd, key=key, val=val):
                return ["run", "--quiet", "--out", "out", key, val] + SAFE
        elif kind < 0.92:
            args = cli_case(f, rng, d)

            def save(rd, args=args, d=d):
                return [a.replace(d, ".") for a in args]
        else:
            args = other_case(rng, d, base)

            def save(rd, args=args):
                return args
        st, out, err, secs = f.run(args, timeout=60)
        tag = f.judge(st, err)
        if tag:
            f.record(tag, f"{' '.join(args)[:200]}: {err.strip()[-400:]}", save)
        elif args[0] == "gate" and "--threshold" in args and st in (0, 1, 2) and \
                "nan" in args[args.index("--threshold") + 1].lower():
            f.record("gate-threshold-nan-accepted", f"{' '.join(args)}: exit {st}", save)
        elif prog is not None:
            said_count = "more than 64 values" in err
            if prog == "count" and st == 0:
                f.record("d7-progression:accepted-over-64", f"{val}: accepted", save)
            elif isinstance(prog, list) and said_count:
                f.record("d7-progression:refused-as-over-64",
                         f"{key} {val} has {len(prog)} values, refused: {err.strip()}", save)
            elif isinstance(prog, list) and st == 2 and ("progression" in err or "values" in err):
                f.record("d7-progression:refused", f"{key} {val}: {err.strip()}", save)
        if not tag:
            import shutil
            shutil.rmtree(d, ignore_errors=True)
    f.finish()


if __name__ == "__main__":
    main()
