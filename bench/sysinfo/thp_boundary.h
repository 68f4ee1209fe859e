/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The THP boundary workload's geometry (issue 10): lockers mlock a range of
 * their mapping that starts and ends inside huge pages, so that a large
 * folio crosses the VM_LOCKED boundary (the PMD-mapped THP mlock thread:
 * such a folio is not mlocked).  Pure arithmetic plus the reading of the
 * machine's PMD size; here, beside the other machine facts, until the
 * workload that uses it exists.
 */
#ifndef MLB_THP_BOUNDARY_H
#define MLB_THP_BOUNDARY_H

#include <stdbool.h>
#include <stdint.h>

#include "common/errmsg.h"

#define THP_PMD_SIZE_PATH "/sys/kernel/mm/transparent_hugepage/hpage_pmd_size"

/*
 * The PMD huge page size in bytes from @path (NULL: THP_PMD_SIZE_PATH):
 * one decimal line, a power of two from 64K to 1G.  -ENOENT without THP.
 */
int thp_pmd_size_read(const char *path, uint64_t *bytes, struct errmsg *e);

struct thp_mapping {
	uint64_t start, len;	/* the locker's mapping: page-aligned */
	bool file;		/* shmem/file: huge pages sit at file offsets ≡ 0 mod huge */
	uint64_t file_offset;	/* of @start in the file, page-aligned (file only) */
	uint64_t page, huge;	/* page size, PMD size: powers of two, page < huge */
};

struct thp_lock_range {
	uint64_t start, len;		/* what to pass to mlock() */
	/*
	 * The range's first (last) byte lies in a huge-page block that does
	 * not start (end) with the range, and that block can hold a PMD huge
	 * page: inside the mapping and, for a file, at an aligned offset.
	 */
	bool start_inside, end_inside;
	uint64_t whole_huge;		/* huge-page blocks wholly inside the range */
	uint64_t partial_huge;		/* 0..2: blocks the range's boundaries cut */
	uint64_t huge_blocks;		/* PMD-mappable blocks of the whole mapping */
};

/*
 * The mlock range for --lock-offset @off and --lock-len @len (0: to the end
 * of the mapping) within @m, and where its ends fall.  -EINVAL (message)
 * for a bad geometry: sizes not powers of two, an unaligned start, offset
 * or length, a range outside the mapping, an overflow.
 */
int thp_lock_range(const struct thp_mapping *m, uint64_t off, uint64_t len,
		   struct thp_lock_range *r, struct errmsg *e);

/*
 * The workload's default: from the middle of the first PMD-mappable block
 * to the middle of the last, so both ends cut a huge page.  -EINVAL when
 * the mapping holds fewer than two such blocks.
 */
int thp_boundary_default(const struct thp_mapping *m, uint64_t *off, uint64_t *len,
			 struct errmsg *e);

#endif
