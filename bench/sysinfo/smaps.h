/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Proof of what was measured: a locker's /proc/PID/smaps_rollup (4.14+)
 * read after set-up, so a run can show how much was resident, locked and
 * backed by huge pages, and refuse a THP backing that got none.
 *
 * The file is hostile input (root reads another process's file): reads are
 * bounded, every number is checked, unknown lines are ignored.  All values
 * are bytes; -1 means the kernel does not print that field.
 */
#ifndef MLB_SMAPS_H
#define MLB_SMAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/errmsg.h"

enum smaps_field {
	SMAPS_RSS,		/* required: a rollup without Rss is malformed */
	SMAPS_PSS,
	SMAPS_LOCKED,
	SMAPS_ANON_HUGE,	/* AnonHugePages */
	SMAPS_SHMEM_PMD,	/* ShmemPmdMapped (4.8+) */
	SMAPS_FILE_PMD,		/* FilePmdMapped (5.4+) */
	SMAPS_SHARED_HUGETLB,
	SMAPS_PRIVATE_HUGETLB,
	SMAPS_NFIELDS
};

/* The field's name in smaps_rollup ("AnonHugePages"). */
extern const char *const smaps_field_names[SMAPS_NFIELDS];

/* The largest value accepted, in kB: bytes must fit an int64_t. */
#define SMAPS_MAX_KB (INT64_MAX / 1024)
/* The read bound: a real rollup is about 1 KiB. */
#define SMAPS_MAX_TEXT 16384

struct smaps_rollup {
	int64_t bytes[SMAPS_NFIELDS];	/* -1: not printed by this kernel */
};

/*
 * Parse @len bytes of smaps_rollup text (need not be NUL-terminated).
 * Lines are "Name: <decimal> kB"; a known field with any other shape, a
 * value above SMAPS_MAX_KB, a repeated field, a missing Rss, or Locked, Pss
 * or the PMD-mapped sum above Rss is -EINVAL with the line number in @e.
 */
int smaps_rollup_parse(const char *text, size_t len, struct smaps_rollup *r,
		       struct errmsg *e);

/*
 * Read /proc/@pid/smaps_rollup.  -ENOENT when the kernel has no such file
 * (before 4.14) or the process is gone; -EFBIG above SMAPS_MAX_TEXT.
 */
int smaps_rollup_read(pid_t pid, struct smaps_rollup *r, struct errmsg *e);
/* The same for any path (tests, fixtures). */
int smaps_rollup_read_path(const char *path, struct smaps_rollup *r, struct errmsg *e);

/*
 * AnonHugePages + ShmemPmdMapped + FilePmdMapped in bytes, fields the
 * kernel does not print counting as 0 (it had no such huge pages then);
 * -1 when it prints none of them.
 */
int64_t smaps_huge_bytes(const struct smaps_rollup *r);
/* smaps_huge_bytes / Rss in [0, 1]; -1 when unknown or Rss is 0. */
double smaps_huge_coverage(const struct smaps_rollup *r);

/*
 * One field over the lockers; n = lockers whose kernel printed it.  Pss and
 * Locked are proportional (Locked is the Pss of VM_LOCKED vmas): P lockers
 * of one shared file have about N/P pages Locked each, and the sum is N.
 */
struct smaps_stat {
	size_t n;
	int64_t min, median, max;	/* bytes; -1 when n == 0 */
	int64_t sum;			/* bytes, saturating at INT64_MAX; -1 when n == 0 */
};

struct smaps_summary {
	size_t lockers;
	struct smaps_stat f[SMAPS_NFIELDS];
	/* huge-page coverage over the lockers; n counts the known ones */
	size_t coverage_n;
	double coverage_min, coverage_median, coverage_max;	/* -1 when n == 0 */
	size_t lockers_without_huge;	/* known coverage exactly 0 */
};

/* Summarise @n rollups (n may be 0).  The median of an even count is the lower one. */
void smaps_summarise(const struct smaps_rollup *r, size_t n, struct smaps_summary *s);

enum thp_verdict {
	THP_NOT_ASKED,	/* the backing does not ask for huge pages */
	THP_GOT,	/* every locker has huge pages */
	THP_PARTIAL,	/* some lockers have none */
	THP_NONE,	/* no locker has any: the run measured small pages */
	THP_UNKNOWN,	/* no coverage could be read (no lockers, no fields) */
};

const char *thp_verdict_name(enum thp_verdict v);

/*
 * The verdict on a THP backing from the summary; a one-line reason for the
 * summary goes into @detail ("thp-shmem got no huge pages in 64 of 64
 * lockers (shmem_enabled?)").  Returns true when the run may go on:
 * with @require_thp, only THP_GOT and THP_NOT_ASKED pass.
 */
bool smaps_thp_verdict(const struct smaps_summary *s, bool backing_is_thp, bool require_thp,
		       enum thp_verdict *v, char *detail, size_t len);

#endif
