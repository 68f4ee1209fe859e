// SPDX-License-Identifier: GPL-2.0
/*
 * vmas: each locker's locked area is split into K VMAs (--vmas) that
 * cannot merge, then the lockers exit together; timed until reaped.  The
 * first K-1 VMAs are one page each, the last holds the rest of the area.
 *
 * Every other VMA gets MADV_DONTFORK: a flag that differs stops the merge
 * as surely as a protection, without changing what the pages are.  A
 * protection would: mprotect(PROT_WRITE) of a VM_LOCKED private area (the
 * anon backings) populates it for write and breaks COW, and it would undo
 * the mapping's own protection.  The lockers never fork, so the flag has
 * no other effect.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "engine/workload.h"

/* A locker's own mappings besides the area (binary, libraries, stack): 81 measured on 6.18 */
#define VMAS_OWN_MAPPINGS 512

static const char *const vmas_job_options[] = { "vmas", NULL };

static int vmas_setup(struct locker_area *a, const char **step)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t k = a->job->vmas, i;
	char *p = a->addr;

	*step = "madvise(MADV_DONTFORK)";
	for (i = 1; i < k; i += 2) {
		size_t off = i * page, len = i == k - 1 ? a->len - off : (size_t)page;

		if (off >= a->len)
			return -EINVAL;	/* job_validate keeps K within the area */
		if (madvise(p + off, len, MADV_DONTFORK))
			return -errno;
	}
	return 0;
}

static uint64_t min_size(const struct u64_list *l)
{
	uint64_t m = UINT64_MAX;
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i] < m)
			m = l->v[i];
	return m;
}

static int vmas_validate(const struct job *j, const struct job_limits *l, struct errmsg *e)
{
	uint64_t page = l && l->page_size ? l->page_size : 4096;
	uint64_t pages = min_size(&j->size) / page;
	uint64_t max = l && l->max_map_count ? l->max_map_count : 0;
	char size_s[32];

	if (j->vmas > pages) {
		format_size(min_size(&j->size), size_s, sizeof(size_s));
		return errmsg_set(e, -EINVAL,
				  "job '%s': --vmas %llu needs as many pages per locker, but --size %s has %llu",
				  j->name, (unsigned long long)j->vmas, size_s,
				  (unsigned long long)pages);
	}
	if (max && j->vmas + VMAS_OWN_MAPPINGS > max)
		return errmsg_set(e, -E2BIG,
				  "job '%s': --vmas %llu leaves no room under vm.max_map_count %llu for a locker's own %d mappings: at most %llu, or raise it (sysctl vm.max_map_count)",
				  j->name, (unsigned long long)j->vmas, (unsigned long long)max,
				  VMAS_OWN_MAPPINGS,
				  (unsigned long long)(max > VMAS_OWN_MAPPINGS ? max - VMAS_OWN_MAPPINGS
									       : 0));
	return 0;
}

static int vmas_teardown(struct locker_area *a, uint64_t *call_ns)
{
	return 0;	/* the engine's _exit() is the teardown */
}

const struct workload_ops vmas_workload = {
	.version = WORKLOAD_OPS_VERSION,
	.name = "vmas",
	.help = "each locker's area is split into --vmas page-sized VMAs that cannot merge; "
		"the lockers exit",
	.job_options = vmas_job_options,
	.validate = vmas_validate,
	.setup = vmas_setup,
	.teardown = vmas_teardown,
	.teardown_clock = WORKLOAD_CLOCK_REAP,
	.teardown_timed = "release to reaped",
	.no_lock_range = "a range and K split VMAs do not mix",
};
