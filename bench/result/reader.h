/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Load a result folder (docs/RESULTS.md, schema 1) for compare, gate and
 * plot: the manifest, and per configuration one series of values per
 * metric.  Warm-up repetitions are dropped everywhere; repetitions flagged
 * "instrumented" (perturbing collectors on) are dropped from the timing
 * metrics of samples.csv and latencies.csv but kept for metrics.csv.
 * Values of metrics.csv with rep -1 (per-configuration summaries) or an
 * empty value (n/a) are not series and are skipped.
 */
#ifndef MLB_RESULT_READER_H
#define MLB_RESULT_READER_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "common/errmsg.h"
#include "result/schema.h"
#include "sysinfo/audit.h"

struct result_series {
	char name[96];		/* "teardown_ns" or "<collector>.<metric>" */
	char unit[16];		/* "ns", "us", "pages", ... */
	bool primary;		/* gated: teardown_ns, lat_max_ns, plain_teardown_ns */
	bool from_samples;	/* a samples.csv column (else metrics.csv) */
	double *v;
	size_t n, cap;
};

struct result_config {
	int id;
	char job[64], workload[32], backing[32], lock[32], pin[32];
	unsigned long long procs, plain, size;
	/*
	 * The rest of the identity (result/schema.h): the non-default values
	 * of pin, membind, interleave, ... as "membind=0 pin=compact"; "" = all default.
	 */
	char extra[160];
	/*
	 * How the job measured it, outside the identity: its reps, warmup,
	 * seed, collectors, perf-record and probes as "collect=vmstat
	 * perf-record=0 probe=none reps=8 seed=0 warmup=1"; "" when the
	 * manifest has no jobs.  Runs
	 * measured otherwise are not a series (the gate refuses them).
	 */
	char method[256];
	struct result_series *series;
	size_t nseries;
	double *lat;		/* per-locker latencies (ns) of timed repetitions */
	size_t nlat, latcap;
	size_t nrows;		/* timed repetitions seen in samples.csv */
};

struct result_folder {
	char path[PATH_MAX];
	char label[128];	/* kernel_id unless "native", else the release */
	char status[32];
	char kernel_id[64], release[128], kversion[256];
	char design[64], expected_design[64];
	char kcmdline[4096], thp[128], topology[192], tool[128], cpu[128];
	char cmdline[1024];	/* of the run, joined with spaces */
	char start[40], end[40];
	struct sysaudit audit;	/* the environment at the start of the run */
	bool has_audit;		/* false: a manifest from before the audit */
	struct sysaudit host;	/* a campaign's host at the boot's start */
	bool has_host;		/* false: a native run, or an older campaign */
	struct result_config *configs;
	size_t nconfigs;
	size_t *by_key;		/* indices into configs, in result_config_cmp order */
};

/*
 * Load @dir into a new folder.  -ENOENT: missing folder or file;
 * -EINVAL: not a result folder, wrong schema, (unless @allow_incomplete)
 * status other than "complete", or a file that is not what docs/RESULTS.md
 * says: a number out of range, a configuration id twice, a CSV row whose
 * configuration is not the manifest's (the message names FILE:LINE); -ENOMEM.
 */
int result_folder_load(const char *dir, bool allow_incomplete, struct result_folder **out,
		       struct errmsg *e);
void result_folder_free(struct result_folder *f);

/*
 * Make the labels of @nf folders distinct: a label shared by several (two
 * runs of one kernel) gets the folder's base name appended, "6.1.0 (aa-2)".
 */
void result_folders_unique_labels(struct result_folder **f, size_t nf);

/* The series @name of @c, or NULL. */
const struct result_series *result_config_series(const struct result_config *c,
						 const char *name);
/*
 * The same configuration: workload, backing, lock, procs, plain, size and
 * the extra identity (pin, membind, interleave, ...).
 */
bool result_config_same(const struct result_config *a, const struct result_config *b);
/* Order by those parameters (0 exactly when result_config_same()). */
int result_config_cmp(const struct result_config *a, const struct result_config *b);
/* The first configuration of @f matching @key, or NULL (O(log n)). */
const struct result_config *result_folder_match(const struct result_folder *f,
						const struct result_config *key);
/* "exit shmem mlock procs=16 plain=0 size=8M", then the extra identity if any */
void result_config_describe(const struct result_config *c, char *buf, size_t len);

/*
 * @a and @b hold one run: the same folder (realpath), or copies with
 * byte-identical samples.csv (two runs never time every repetition alike).
 */
bool result_folder_same_run(const struct result_folder *a, const struct result_folder *b);

#endif
