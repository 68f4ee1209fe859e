// SPDX-License-Identifier: GPL-2.0
/* The lockers' smaps_rollup after set-up, and the THP verdict on it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/smaps_proof.h"

#define THP_SYSFS "/sys/kernel/mm/transparent_hugepage/"

const char *smaps_proof_knob(enum backing_kind b)
{
	switch (b) {
	case BACKING_THP_SHMEM:
		return THP_SYSFS "shmem_enabled";
	case BACKING_THP_ANON:
		return THP_SYSFS "enabled";
	default:
		return NULL;
	}
}

static const char *knob_value(enum backing_kind b, const struct sysaudit *a)
{
	if (!a)
		return AUDIT_NA;
	return b == BACKING_THP_SHMEM ? a->thp_shmem_enabled : a->thp_enabled;
}

void smaps_proof_take(const struct config *c, int rep, const pid_t *pids,
		      const struct sysaudit *audit, struct smaps_proof *p)
{
	enum backing_kind b = c->job->backing;
	struct smaps_rollup *r = calloc(c->procs ? c->procs : 1, sizeof(*r));
	struct errmsg e = { "" };
	const char *knob = smaps_proof_knob(b);
	uint64_t i;
	int ret;

	memset(p, 0, sizeof(*p));
	p->rep = rep;
	p->available = true;
	for (i = 0; r && i < c->procs; i++) {
		ret = smaps_rollup_read(pids[i], &r[p->read], &e);
		if (!ret) {
			p->read++;
			continue;
		}
		/* the lockers are alive and waiting: ENOENT is the kernel's (before 4.14) */
		if (ret == -ENOENT) {
			p->available = false;
			p->read = 0;
			snprintf(p->error, sizeof(p->error), "no /proc/PID/smaps_rollup on this "
				 "kernel (4.14+)");
			break;
		}
		if (!p->err) {
			p->err = ret;
			snprintf(p->error, sizeof(p->error), "locker %llu: %s",
				 (unsigned long long)i, e.buf);
		}
	}
	if (!r) {
		p->err = -ENOMEM;
		snprintf(p->error, sizeof(p->error), "out of memory");
	}
	smaps_summarise(r, p->read, &p->sum);
	p->sum.lockers = c->procs;	/* the verdict counts every locker, read or not */
	p->pass = smaps_thp_verdict(&p->sum, knob != NULL, c->job->require_thp, &p->verdict,
				    p->detail, sizeof(p->detail));
	/* name the knob that explains no huge pages, with its value */
	if (p->verdict == THP_NONE || p->verdict == THP_PARTIAL)
		snprintf(p->detail, sizeof(p->detail), "%s got no huge pages in %zu of %zu "
			 "lockers (%s is %s)", backing_name(b), p->sum.lockers_without_huge,
			 p->sum.coverage_n, knob, knob_value(b, audit));
	free(r);
}
