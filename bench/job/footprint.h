/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a configuration costs the machine: the memory it maps, the page
 * tables of every mapping and each child's own memory.  Pure arithmetic,
 * for the 80%-of-MemAvailable check before a run (job_check_limits).
 */
#ifndef MLB_FOOTPRINT_H
#define MLB_FOOTPRINT_H

#include <stdint.h>

#include "job/job.h"

/*
 * Each child's own memory besides its page tables over the backing: task
 * and kernel stack, mm and VMAs, the harness's page tables and the pages
 * it dirties after fork.  Measured: 152 KiB a child (4096 children of
 * --size 4K, MemAvailable before and during); rounded up.
 */
#define FOOTPRINT_CHILD_BYTES (256ull << 10)

struct footprint {
	uint64_t data;		/* the backing's pages, once: every mapping shares them */
	uint64_t page_tables;	/* PTE, PMD and PUD pages of every mapping */
	uint64_t children;	/* FOOTPRINT_CHILD_BYTES each */
	uint64_t total;		/* bytes; every sum saturates at UINT64_MAX */
};

/*
 * @procs lockers and @plain plain mappers each mapping @size bytes of
 * @backing, with @page_size pages (0: 4096).  The anon kinds share the
 * parent's pages copy-on-write, read-only in the children, so their data
 * counts once too; the parent's own mapping adds a set of page tables.
 * Transparent huge pages may need no PTE pages, but may also fall back:
 * they are counted as small pages.
 */
void footprint_estimate(uint64_t procs, uint64_t plain, uint64_t size,
			enum backing_kind backing, uint64_t page_size, struct footprint *out);

#endif
