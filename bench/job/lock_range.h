/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The THP boundary (--lock-offset/--lock-len, docs/WORKLOADS.md): the range
 * of its area each locker mlocks, per configuration (the size is a sweep),
 * and what the vmstat rules count for it.  With a range, the area is placed
 * at a huge-page-aligned address (engine/backing.c), so the geometry below
 * is every locker's on every kernel, whatever mmap would have picked.
 */
#ifndef MLB_LOCK_RANGE_H
#define MLB_LOCK_RANGE_H

#include <stdbool.h>
#include <stdint.h>

#include "common/errmsg.h"
#include "engine/locked_pages.h"
#include "job/job.h"
#include "sysinfo/thp_boundary.h"

/* The geometry's huge page where the machine has no THP: explicit ranges only */
#define LOCK_RANGE_NOMINAL_HUGE (2ull << 20)

struct lock_range {
	bool whole;		/* no range asked: mlock the whole area, no alignment */
	uint64_t off, len;	/* bytes from the area's start; the whole area when @whole */
	uint64_t align;		/* the area's alignment (the huge page size); 0 when @whole */
	struct thp_lock_range geo;	/* where the ends fall (start relative to the area) */
};

/* Whether @j mlocks a range rather than its whole area. */
bool job_has_lock_range(const struct job *j);

/* The machine's PMD size in bytes (hpage_pmd_size), 0 without THP. */
uint64_t lock_range_huge_size(void);

/*
 * The range of a locker's @size-byte area for @j, pages of @page bytes and
 * huge pages of @huge (0: none here).  -EINVAL with @e saying why: a bad
 * geometry (thp_lock_range's message), auto without THP or with fewer than
 * two huge pages, a THP backing whose range holds no whole huge page.
 */
int lock_range_of(const struct job *j, uint64_t size, uint64_t page, uint64_t huge,
		  struct lock_range *r, struct errmsg *e);

/*
 * The job's checks: a range is refused with --lock mlockall or
 * map-locked (they lock whole mappings), --workload vmas (its K VMAs and a
 * range do not mix) and munlockall-reserve (mlockall); --lock-len with
 * --lock-offset auto (auto sets both); --require-thp without a THP
 * backing; and every --size's geometry on this machine's page sizes.
 */
int lock_range_validate(const struct job *j, struct errmsg *e);

/*
 * What the lockers lock for the vmstat rules, given the range: its pages,
 * or, on a THP backing whose lockers got huge pages (@huge_backed), only
 * the huge pages wholly inside it (geo.whole_huge × huge/page): the cut
 * ones are PTE-mapped by the vma split and not mlocked.  Leaves @out alone
 * for the whole area.
 */
void lock_range_locked_pages(const struct lock_range *r, bool huge_backed, uint64_t page,
			     struct locked_pages *out);

/*
 * Marks @out's pages as anon huge pages every locker maps (anon_huge_shared)
 * when @j's backing is thp-anon and its lockers got huge pages.
 */
void locked_pages_mark_anon_huge(const struct job *j, bool huge_backed,
				 struct locked_pages *out);

#endif
