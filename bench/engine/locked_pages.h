/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the lockers of one configuration lock, as the vmstat rules count it
 * (collectors/vmstat.c, docs/COLLECTORS.md).  The workload says it
 * (workload_ops.pages); the engine hands it to the collectors in rep_info.
 */
#ifndef MLB_LOCKED_PAGES_H
#define MLB_LOCKED_PAGES_H

#include <stdbool.h>
#include <stdint.h>

struct locked_pages {
	/* pages every locker locks, the same ones (N): the rmap walk re-mlocks them */
	uint64_t shared;
	/*
	 * Pages of each locker's VM_LOCKED mappings that are never populated
	 * (munlockall-reserve's PROT_NONE reservation): no counter may show them.
	 */
	uint64_t never;
	/* mlockall: each locker's stack, heap and libraries are locked too, uncounted */
	bool own_too;
	/*
	 * The shared pages are anon huge pages mapped by the parent and every
	 * locker (thp-anon, COW after fork).  Before 5.18 mlock went through
	 * follow_trans_huge_pmd, which skips an anon THP mapped more than
	 * once: rmap-walk kernels mlock none of them, mlock_count ones all.
	 */
	bool anon_huge_shared;
};

#endif
