# SPDX-License-Identifier: GPL-2.0
"""Shared machinery of the fuzzers in tests/fuzz: seed, bounds, running the
sanitized binary, judging an outcome, saving reproducers, known failures.

Environment:
  MLB_FUZZ_BIN    the ASan + UBSan mlockbench (build-san/mlockbench)
  MLB_FUZZ_SEED   seed (default 8; "random": one from the clock; printed)
  MLB_FUZZ_ITERS  cases to try (default per fuzzer)
  MLB_FUZZ_TIME   wall-clock cap in seconds (default per fuzzer)
  MLB_FUZZ_OUT    where reproducers go (default /tmp/mlb-fuzz-NAME-SEED)
  MLB_FUZZ_XFAIL  comma list of fnmatch patterns over finding tags that are
                  known and reported but do not fail the test (default: none,
                  strict)
"""
import fnmatch
import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ASAN_EXIT = 86
DEFAULT_SEED = 8	# issue 8
SAN_ENV = {
    # halt at the first report, with a status no command of ours uses
    "ASAN_OPTIONS": f"halt_on_error=1:exitcode={ASAN_EXIT}:detect_leaks=1:"
                    "abort_on_error=0:handle_abort=1:symbolize=1",
    "UBSAN_OPTIONS": f"halt_on_error=1:exitcode={ASAN_EXIT}:print_stacktrace=1",
    "LSAN_OPTIONS": f"exitcode={ASAN_EXIT}:suppressions="
                    + os.path.join(os.path.dirname(os.path.abspath(__file__)), "lsan.supp"),
}
SAN_PATTERNS = ("runtime error", "ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                "SUMMARY: UndefinedBehaviorSanitizer", "SUMMARY: AddressSanitizer")


class Fuzzer:
    def __init__(self, name, iters, wall):
        self.name = name
        self.bin = os.environ.get("MLB_FUZZ_BIN", "")
        self.src = os.environ.get("MLB_SRC",
                                  os.path.dirname(os.path.dirname(os.path.dirname(
                                      os.path.abspath(__file__)))))
        if not self.bin or not os.access(self.bin, os.X_OK):
            print(f"FAIL: MLB_FUZZ_BIN ({self.bin or 'unset'}) is not an executable; "
                  "build the sanitized binary: cmake -S . -B build-san -DMLB_SANITIZE=ON "
                  "&& cmake --build build-san --target mlockbench (scripts/test.sh does it)")
            sys.exit(1)
        self.bin = os.path.abspath(self.bin)
        # a fixed default keeps CI deterministic; "random" explores
        seed = os.environ.get("MLB_FUZZ_SEED", str(DEFAULT_SEED))
        self.seed = int(time.time()) % 1000000 if seed == "random" else int(seed)
        self.rng = random.Random(self.seed)
        self.iters = int(os.environ.get("MLB_FUZZ_ITERS", iters))
        self.wall = float(os.environ.get("MLB_FUZZ_TIME", wall))
        self.xfail = [p.strip() for p in os.environ.get("MLB_FUZZ_XFAIL", "").split(",")
                      if p.strip()]
        self.out = os.environ.get("MLB_FUZZ_OUT", f"/tmp/mlb-fuzz-{name}-{self.seed}")
        self.tmp = tempfile.mkdtemp(prefix=f"mlb-fuzz-{name}.")
        self.start = time.monotonic()
        self.findings = {}	# tag -> [count, reproducer, detail]
        self.cases = 0
        self.notes = []
        self.statuses = {}	# exit status -> invocations, to show what was reached
        print(f"{name}: seed {self.seed} (MLB_FUZZ_SEED={self.seed} to replay), "
              f"up to {self.iters} cases or {self.wall:.0f} s, binary {self.bin}")
        print(f"{name}: MLB_FUZZ_XFAIL={','.join(self.xfail) or '(none: strict)'}")

    def time_left(self):
        return self.wall - (time.monotonic() - self.start)

    def more(self):
        """True while both bounds allow another case."""
        return self.cases < self.iters and self.time_left() > 0

    def run(self, args, timeout=30, cwd=None, stdin=subprocess.DEVNULL):
        """Run the binary; returns (status, stdout, stderr, seconds).  status is
        the exit status, -N for death by signal N, None for a timeout kill."""
        env = dict(os.environ)
        env.update(SAN_ENV)
        env["LC_ALL"] = "C"
        t = time.monotonic()
        p = subprocess.Popen([self.bin] + args, stdin=stdin, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, cwd=cwd or self.tmp, env=env,
                             start_new_session=True)
        try:
            out, err = p.communicate(timeout=timeout)
            st = p.returncode
        except subprocess.TimeoutExpired:
            # the whole session: a run's children too
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            out, err = p.communicate()
            st = None
        else:
            try:	# a child the harness failed to reap must not outlive us
                os.killpg(p.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self.statuses[st] = self.statuses.get(st, 0) + 1
        return st, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), \
            time.monotonic() - t

    @staticmethod
    def sanitizer_site(err):
        """First frame in bench/ of a sanitizer report, as file:line."""
        m = re.search(r"(bench/[\w/.-]+\.c):(\d+)(?::\d+)?: runtime error", err)
        if m:
            return f"{m.group(1)}:{m.group(2)}"
        for m in re.finditer(r"#\d+ 0x[0-9a-f]+ in \S+ \S*?(bench/[\w/.-]+\.c):(\d+)", err):
            return f"{m.group(1)}:{m.group(2)}"
        return "unknown"

    def judge(self, st, err):
        """The generic failure of one invocation, as a tag, or None."""
        if any(p in err for p in SAN_PATTERNS) or st == ASAN_EXIT:
            kind = "ubsan" if ("runtime error" in err or "UndefinedBehavior" in err) \
                else "asan"
            return f"{kind}:{self.sanitizer_site(err)}"
        if st is None:
            return "hang"
        if st < 0:
            return f"signal:{signal.Signals(-st).name}"
        if st > 3:
            return f"exit:{st}"
        return None

    def record(self, tag, detail, save):
        """A finding: save the reproducer once per tag (save(dir) writes the input
        and returns the command line to replay)."""
        f = self.findings.get(tag)
        if f:
            f[0] += 1
            return
        d = os.path.join(self.out, re.sub(r"[^\w.-]+", "_", tag))
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d, exist_ok=True)
        cmd = save(d)
        with open(os.path.join(d, "repro.sh"), "w") as fh:
            fh.write("#!/bin/sh\n# " + tag + "\ncd \"$(dirname \"$0\")\"\n")
            for k, v in SAN_ENV.items():
                fh.write(f"export {k}={shlex.quote(v)}\n")
            fh.write(f"MLB=${{MLB:-{shlex.quote(self.bin)}}}\n")
            fh.write("\"$MLB\" " + " ".join(shlex.quote(a) for a in cmd) + "\n")
        os.chmod(os.path.join(d, "repro.sh"), 0o755)
        self.findings[tag] = [1, d, detail]
        print(f"{self.name}: FINDING {tag}: {detail[:300]}")
        print(f"{self.name}:   reproducer {d}/repro.sh")

    def note(self, text):
        print(f"{self.name}: NOTE {text}")
        self.notes.append(text)

    def is_xfail(self, tag):
        return any(fnmatch.fnmatchcase(tag, p) for p in self.xfail)

    def finish(self):
        el = time.monotonic() - self.start
        why = "wall-clock cap" if self.cases < self.iters else "iterations"
        print(f"{self.name}: {self.cases} cases in {el:.1f} s (stopped by {why}), seed {self.seed}")
        print(f"{self.name}: invocations by exit status: " +
              ", ".join(f"{k}: {v}" for k, v in sorted(self.statuses.items(),
                                                       key=lambda kv: (kv[0] is None, kv[0] or 0))))
        bad = 0
        for tag, (n, d, detail) in sorted(self.findings.items()):
            x = self.is_xfail(tag)
            bad += not x
            print(f"{self.name}: {'XFAIL' if x else 'FAIL '} {tag} x{n}  {d}/repro.sh")
        for p in self.xfail:
            if not any(fnmatch.fnmatchcase(t, p) for t in self.findings):
                print(f"{self.name}: XPASS {p} (listed in MLB_FUZZ_XFAIL, not seen this run)")
        shutil.rmtree(self.tmp, ignore_errors=True)
        if bad:
            print(f"{self.name}: FAIL: {bad} finding(s) not in MLB_FUZZ_XFAIL; "
                  f"replay with MLB_FUZZ_SEED={self.seed}")
            sys.exit(1)
        print(f"{self.name}: ok ({len(self.findings)} known finding(s) tolerated)")
        sys.exit(0)
