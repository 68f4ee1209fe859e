#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the synthetic result folders under tests/fixtures/results/.

Deterministic (fixed seeds): re-running it reproduces the committed files
byte for byte.  The folders follow docs/RESULTS.md (schema 1) and exist to
test compare, gate and plot:

  sweep-rmap/, sweep-mlockcount/  exit, procs 1..16, teardown ~4x apart,
                                   exponents ~1.3 vs ~1.0, locks metrics,
                                   instrumented reps (must be ignored)
  aa-1/, aa-2/                     two runs of one kernel (A/A), n=10
  planted-base/, planted-slow/     n=10, candidate 20% slower
  three-a/, three-b/               n=3 per side, 10% apart
  incomplete/                      status "interrupted"
  mismatch/                        configurations that match nothing above
  calib-1/, calib-2/, calib-3/     A/A calibration: three runs of one kernel, n=10,
                                   CV 1%, run-level offsets 1.00, 1.06, 0.94
  calib-drift/                     the same kernel, a later run 5% slower (drift)
  calib-slow/                      a planted 25% slowdown
  calib-p4/                        one more run, procs=4 only (partial calibration)
  calib-noisy/                     the same kernel, CV 8%: the CV rule above A/A
"""
import json
import math
import os
import random
import sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures",
                   "results")
SIZE = 8 << 20
PAGES = SIZE // 4096
LOCK_CLASSES = ["i_mmap_rwsem", "anon_vma", "lru_lock", "mmap_lock", "other", "ptl"]


def system(release, design, evidence, cmdline):
    return {
        "kernel": {"release": release, "version": "#1 SMP PREEMPT_DYNAMIC Debian",
                   "cmdline": cmdline},
        "design": {"name": design, "evidence": evidence},
        "cpu_model": "Intel Xeon Processor (Cascadelake)",
        "topology": {"packages": 1, "numa_nodes": 1, "cores": 2, "pus": 2,
                     "source": "this machine"},
        "memory": {"total_kib": 24576000, "available_kib": 23000000},
        "thp": {"enabled": "madvise", "shmem_enabled": "never"},
        "memlock": {"soft": 8388608, "hard": 8388608, "cap_ipc_lock": True},
        "collectors": {"tracepoints": True, "kprobes": True, "pmu": False},
    }


def write(folder, kernel, procs_list, reps, base_ms, exponent, cv, seed, slow=1.0,
          status="complete", instrumented=0, locks=None, warmup=1):
    """kernel: (kernel_id, expected_design, release, design, evidence)."""
    rng = random.Random(seed)
    d = os.path.join(OUT, folder)
    os.makedirs(d, exist_ok=True)
    kid, expected, release, design, evidence = kernel
    procs_str = ",".join(str(p) for p in procs_list)
    configs = []
    for i, p in enumerate(procs_list):
        configs.append({"id": i, "job": "job0", "workload": "exit", "procs": p, "plain": 0,
                        "size": SIZE, "backing": "shmem", "lock": "mlock", "pin": "none",
                        "reps": reps, "warmup": warmup})
    manifest = {
        "schema": "mlockbench-result",
        "schema_version": 1,
        "status": status,
        "tool": {"name": "mlockbench", "version": "0.1.0", "git": "fixture"},
        "cmdline": ["mlockbench", "run", "--workload", "exit", "--procs", procs_str,
                    "--size", "8M", "--reps", str(reps)],
        "start": "2026-11-24T08:00:00Z", "end": "2026-11-24T08:01:00Z",
        "kernel_id": kid,
        "system": system(release, design, evidence,
                         "console=ttyS0 quiet transparent_hugepage=madvise"),
        "jobs": [{"name": "job0", "workload": "exit",
                  "options": {"procs": procs_str, "size": "8M", "reps": str(reps)}}],
        "configs": configs,
        "collectors": [{"name": "vmstat", "method": "procfs", "overhead": 1.0}],
        "checks": [],
    }
    if expected:
        manifest["expected_design"] = expected
    cols = ["config", "job", "workload", "backing", "lock", "procs", "plain", "size", "rep",
            "warmup"]
    if instrumented:
        cols.append("instrumented")
    cols += ["setup_ns", "teardown_ns", "skew_ns", "lat_min_ns", "lat_median_ns",
             "lat_max_ns", "utime_us", "stime_us"]
    samples = [",".join(cols)]
    lats = ["config,rep,child,latency_ns"]
    metrics = ["config,rep,collector,metric,value,unit"]
    sigma = math.sqrt(math.log(1 + cv * cv))
    for c in configs:
        p = c["procs"]
        mean_t = base_ms * 1e6 * p ** exponent * slow
        for rep in range(warmup + reps + instrumented):
            wu = 1 if rep < warmup else 0
            inst = 1 if rep >= warmup + reps else 0
            t = mean_t * rng.lognormvariate(0, sigma) * (1.3 if wu else 1.0) * \
                (1.5 if inst else 1.0)
            child = sorted(t * (0.55 + 0.43 * rng.random()) for _ in range(p))
            child[-1] = t * (0.97 + 0.01 * rng.random())
            med = child[(p - 1) // 2] if p % 2 else (child[p // 2 - 1] + child[p // 2]) / 2
            setup = 0.9e6 * p * rng.lognormvariate(0, 0.05)
            row = [c["id"], "job0", "exit", "shmem", "mlock", p, 0, SIZE, rep, wu]
            if instrumented:
                row.append(inst)
            row += [int(setup), int(t), int(t * 0.02 * rng.random()), int(child[0]),
                    int(med), int(child[-1]), int(50 * p * rng.random()),
                    int(t / 1000 * 0.8 * p)]
            samples.append(",".join(str(v) for v in row))
            for k, lat in enumerate(child):
                lats.append(f"{c['id']},{rep},{k},{int(lat)}")
            growth = PAGES * (p if design == "rmap-walk" else 1)
            metrics.append(f"{c['id']},{rep},vmstat,delta_unevictable_pgs_mlocked,"
                           f"{int(growth * (1 + 0.01 * rng.random()))},pages")
            metrics.append(f"{c['id']},{rep},perf,cycles,,count")
            if locks and (inst or not instrumented):
                total = 0
                for cls in LOCK_CLASSES:
                    share = locks.get(cls, 0.0)
                    w = share * t * (p - 1) / max(p, 1) * rng.lognormvariate(0, 0.1)
                    total += int(w)
                    metrics.append(f"{c['id']},{rep},locks,{cls}.wait_ns,{int(w)},ns")
                    metrics.append(f"{c['id']},{rep},locks,{cls}.count,{int(w / 2000)},count")
                # a total, not a class: the lock plot must not stack it
                metrics.append(f"{c['id']},{rep},locks,lockers.wait_ns,{total},ns")
        metrics.append(f"{c['id']},-1,vmstat,fingerprint_ok,1,bool")
    with open(os.path.join(d, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    for name, lines in (("samples.csv", samples), ("latencies.csv", lats),
                        ("metrics.csv", metrics)):
        with open(os.path.join(d, name), "w") as f:
            f.write("\n".join(lines) + "\n")


def main():
    rmap = ("debian-5.10", "rmap-walk", "5.10.0-33-amd64", "rmap-walk",
            ["try_to_munlock", "munlock_vma_pages_range"])
    mc = ("debian-6.1", "mlock_count", "6.1.0-27-amd64", "mlock_count",
          ["mlock_folio", "munlock_folio"])
    native = ("native", None, "6.18.0-test-amd64", "mlock_count", ["mlock_folio"])
    sweep = [1, 2, 4, 8, 16]
    write("sweep-rmap", rmap, sweep, 10, 2.0, 1.3, 0.04, 1, instrumented=2,
          locks={"i_mmap_rwsem": 0.55, "anon_vma": 0.02, "lru_lock": 0.05, "mmap_lock": 0.03,
                 "other": 0.02, "ptl": 0.01})
    write("sweep-mlockcount", mc, sweep, 10, 0.9, 1.0, 0.04, 2, instrumented=2,
          locks={"i_mmap_rwsem": 0.03, "anon_vma": 0.01, "lru_lock": 0.25, "mmap_lock": 0.03,
                 "other": 0.02, "ptl": 0.01})
    write("aa-1", native, [4, 16], 10, 1.0, 1.0, 0.01, 11)
    write("aa-2", native, [4, 16], 10, 1.0, 1.0, 0.01, 12)
    write("planted-base", native, [4, 16], 10, 1.0, 1.0, 0.01, 21)
    write("planted-slow", native, [4, 16], 10, 1.0, 1.0, 0.01, 22, slow=1.2)
    write("three-a", native, [4, 16], 3, 1.0, 1.0, 0.015, 31)
    write("three-b", native, [4, 16], 3, 1.0, 1.0, 0.015, 32, slow=1.1)
    write("incomplete", native, [4, 16], 10, 1.0, 1.0, 0.015, 41, status="interrupted")
    write("mismatch", native, [32], 10, 1.0, 1.0, 0.015, 51)
    # run-to-run drift larger than the noise within a run: what A/A calibration is for
    write("calib-1", native, [4, 16], 10, 1.0, 1.0, 0.01, 61)
    write("calib-2", native, [4, 16], 10, 1.0, 1.0, 0.01, 62, slow=1.06)
    write("calib-3", native, [4, 16], 10, 1.0, 1.0, 0.01, 63, slow=0.94)
    write("calib-drift", native, [4, 16], 10, 1.0, 1.0, 0.01, 64, slow=1.05)
    write("calib-slow", native, [4, 16], 10, 1.0, 1.0, 0.01, 65, slow=1.25)
    write("calib-p4", native, [4], 10, 1.0, 1.0, 0.01, 66, slow=1.03)
    write("calib-noisy", native, [4, 16], 10, 1.0, 1.0, 0.08, 67)
    return 0


if __name__ == "__main__":
    sys.exit(main())
