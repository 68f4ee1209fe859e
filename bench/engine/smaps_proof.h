/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Proof of what was measured (docs/WORKLOADS.md): the lockers'
 * smaps_rollup read once their set-up is done, summarised, and the verdict
 * on a THP backing.  The runner takes it in a configuration's first
 * repetition (a warm-up when there is one) and the result writer records
 * it in the manifest's configuration ("smaps", docs/RESULTS.md).
 */
#ifndef MLB_SMAPS_PROOF_H
#define MLB_SMAPS_PROOF_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "engine/engine.h"
#include "sysinfo/audit.h"
#include "sysinfo/smaps.h"

struct smaps_proof {
	int rep;			/* the repetition it was read in */
	bool available;			/* false: the kernel has no smaps_rollup (-ENOENT) */
	size_t read;			/* lockers whose rollup was read and parsed */
	int err;			/* 0, or the first other failure's -errno */
	char error[192];		/* its message ("" without one) */
	struct smaps_summary sum;	/* over the @read rollups */
	enum thp_verdict verdict;
	bool pass;			/* false: --require-thp refuses the run */
	/*
	 * One line: "thp-shmem got no huge pages in 4 of 4 lockers
	 * (/sys/kernel/mm/transparent_hugepage/shmem_enabled is never)"
	 */
	char detail[256];
};

/*
 * Read the rollups of @c's @c->procs lockers (@pids), summarise, judge.
 * @audit names the THP knob that explains a backing without huge pages.
 * Never fails: what could not be read is recorded in @p.
 */
void smaps_proof_take(const struct config *c, int rep, const pid_t *pids,
		      const struct sysaudit *audit, struct smaps_proof *p);

/* The sysfs knob deciding whether backing @b gets huge pages; NULL for none. */
const char *smaps_proof_knob(enum backing_kind b);

#endif
