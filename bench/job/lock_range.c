// SPDX-License-Identifier: GPL-2.0
/* The lockers' mlock range and what the vmstat rules count for it. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "engine/workload.h"
#include "job/lock_range.h"

bool job_has_lock_range(const struct job *j)
{
	return j->lock_offset || j->lock_len;
}

uint64_t lock_range_huge_size(void)
{
	uint64_t huge;

	return thp_pmd_size_read(NULL, &huge, NULL) ? 0 : huge;
}

int lock_range_of(const struct job *j, uint64_t size, uint64_t page, uint64_t huge,
		  struct lock_range *r, struct errmsg *e)
{
	/* the area starts huge-aligned and at file offset 0: anon and file alike */
	struct thp_mapping m = { .start = 0, .len = size, .file = false, .page = page };
	uint64_t off = j->lock_offset, len = j->lock_len;
	int ret;

	memset(r, 0, sizeof(*r));
	if (!job_has_lock_range(j)) {
		r->whole = true;
		r->len = size;
		return 0;
	}
	if (off == LOCK_OFFSET_AUTO && !huge)
		return errmsg_set(e, -EINVAL, "--lock-offset auto needs THP (%s is missing)",
				  THP_PMD_SIZE_PATH);
	m.huge = huge ? huge : LOCK_RANGE_NOMINAL_HUGE;
	if (off == LOCK_OFFSET_AUTO) {
		ret = thp_boundary_default(&m, &off, &len, e);
		if (ret)
			return ret;
	}
	ret = thp_lock_range(&m, off, len, &r->geo, e);
	if (ret)
		return ret;
	/* no whole huge page: a THP run's expected Δmlocked would be 0, nothing to check */
	if (backing_is_thp(j->backing) && !r->geo.whole_huge)
		return errmsg_set(e, -EINVAL, "thp boundary: the lock range of a %llu-byte area "
				  "holds no whole huge page (%llu bytes): use a larger --size "
				  "or range", (unsigned long long)size, (unsigned long long)m.huge);
	r->off = r->geo.start;
	r->len = r->geo.len;
	r->align = m.huge;
	return 0;
}

int lock_range_validate(const struct job *j, struct errmsg *e)
{
	const struct workload_ops *w = workload_find(j->workload);
	uint64_t page = sysconf(_SC_PAGESIZE), huge = lock_range_huge_size();
	struct lock_range r;
	size_t i;
	int ret;

	if (j->require_thp && !backing_is_thp(j->backing))
		return errmsg_set(e, -EINVAL, "job '%s': --require-thp needs a THP backing "
				  "(thp-anon, thp-shmem), not %s", j->name,
				  backing_name(j->backing));
	if (!job_has_lock_range(j))
		return 0;
	if (j->lock_offset == LOCK_OFFSET_AUTO && j->lock_len)
		return errmsg_set(e, -EINVAL, "job '%s': --lock-len with --lock-offset auto "
				  "(auto sets both)", j->name);
	if (w && w->no_lock_range)
		return errmsg_set(e, -EINVAL, "job '%s': --lock-offset/--lock-len and "
				  "--workload %s do not mix (%s)", j->name, w->name,
				  w->no_lock_range);
	if (j->lock == LOCK_MLOCKALL || j->lock == LOCK_MAP_LOCKED)
		return errmsg_set(e, -EINVAL, "job '%s': --lock %s locks whole mappings, not "
				  "the range of --lock-offset/--lock-len (use mlock or onfault)",
				  j->name, lock_method_name(j->lock));
	for (i = 0; i < j->size.n; i++) {
		ret = lock_range_of(j, j->size.v[i], page, huge, &r, e);
		if (ret)
			return errmsg_prefix(e, ret, "job '%s'", j->name);
	}
	return 0;
}

void locked_pages_mark_anon_huge(const struct job *j, bool huge_backed,
				 struct locked_pages *out)
{
	out->anon_huge_shared = huge_backed && j->backing == BACKING_THP_ANON;
}

void lock_range_locked_pages(const struct lock_range *r, bool huge_backed, uint64_t page,
			     struct locked_pages *out)
{
	if (r->whole)
		return;
	out->shared = huge_backed ? r->geo.whole_huge * (r->align / page) : r->len / page;
}
