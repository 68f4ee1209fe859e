/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which kernel a result folder measured, and which run it is.  Runs of one
 * kernel identity with the same job form a series (run_group.h): the run,
 * not the repetition, is the unit of evidence (docs/STATISTICS.md).
 */
#ifndef MLB_RESULT_IDENTITY_H
#define MLB_RESULT_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>

#include "result/reader.h"

/* The kernel: release, version string, detected design, descriptor kernel_id. */
struct kernel_identity {
	const char *release, *version, *design, *kernel_id;	/* borrowed from a folder */
};

/* The run: boot id (from the audit, "n/a" without one), start time, folder. */
struct run_identity {
	const char *boot_id, *start, *path;
};

void kernel_identity_of(const struct result_folder *f, struct kernel_identity *k);
void run_identity_of(const struct result_folder *f, struct run_identity *r);

/*
 * 0 when @a and @b are one kernel; else the first field that differs, as
 * its name ("release", "version", "design", "kernel_id"), 1-based index.
 */
int kernel_identity_cmp(const struct kernel_identity *a, const struct kernel_identity *b,
			const char **field);
/* "6.1.0-13-amd64 (kernel_id 6.1, design mlock_count)" */
void kernel_identity_describe(const struct kernel_identity *k, char *buf, size_t len);

/*
 * Whether @a and @b ran the same job: the same configurations (workload,
 * backing, lock, procs, plain, size), measured alike (result_config.method:
 * reps, warm-up, seed, collectors, perf-record, probe).  When not, @why (may be
 * NULL) names the first configuration only one of them has, or measured
 * otherwise.
 */
/*
 * The first configuration of @a that @b holds too but whose job measured it
 * otherwise (result_config.method differs; folders without jobs are never
 * compared), its twin in @b into @other; NULL when there is none.
 */
const struct result_config *result_folders_measured_otherwise(const struct result_folder *a,
							     const struct result_folder *b,
							     const struct result_config **other);

bool result_folders_same_job(const struct result_folder *a, const struct result_folder *b,
			     char *why, size_t len);

#endif
