// SPDX-License-Identifier: GPL-2.0
/*
 * munlockall-reserve: beside its locked area each locker maps a huge
 * PROT_NONE reservation (--reserve, never populated), mlockall()s, and at
 * the release times its munlockall().  The rmap-walk kernels munlock the
 * reservation one page at a time (follow_page over 16M steps for 64G:
 * >30 s reported on 5.10); mlock_count walks page tables and skips the
 * empty ones.  The lock method is mlockall (implied): the engine's
 * mlockall(MCL_CURRENT | MCL_FUTURE) locks the area, and the set-up's
 * mlockall(MCL_CURRENT) locks the reservation as the reports did.
 *
 * Memory: a PROT_NONE private mapping is not committed (MAP_NORESERVE
 * anyway), and since it is never touched no page table is allocated for
 * it: mlockall's populate fails on a PROT_NONE vma before walking it.  So
 * the footprint check needs nothing for it; RLIMIT_MEMLOCK does
 * (locked_vm counts the whole vma): CAP_IPC_LOCK or a limit above it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/timeutil.h"
#include "engine/workload.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000	/* 4.17+; a hint only before */
#endif

#define RESERVE_MIN (64ull << 20)
#define PAGE_UP(x, p) (((x) + (p) - 1) / (p) * (p))

static const char *const reserve_job_options[] = { "reserve", NULL };

static void *map_reservation(void *below, void *above, size_t len)
{
	const int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
	void *want[] = { below, above };
	size_t i;

	/* beside the area: just below it (where top-down placement leaves room), else above */
	for (i = 0; i < 2; i++) {
		void *r = mmap(want[i], len, PROT_NONE, flags | MAP_FIXED_NOREPLACE, -1, 0);

		if (r == want[i])
			return r;
		if (r != MAP_FAILED)
			munmap(r, len);	/* an old kernel took it as a hint */
	}
	return mmap(NULL, len, PROT_NONE, flags, -1, 0);
}

static int reserve_setup(struct locker_area *a, const char **step)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t len = PAGE_UP(a->job->reserve, page);
	char *base = a->addr;
	void *r;

	*step = "mmap reservation";
	if ((uintptr_t)base < len)
		return -ENOMEM;
	r = map_reservation(base - len, base + PAGE_UP(a->len, page), len);
	if (r == MAP_FAILED)
		return -errno;
	a->priv[0] = (long)r;
	*step = "mlockall(MCL_CURRENT)";
	return mlockall(MCL_CURRENT) ? -errno : 0;
}

static int reserve_teardown(struct locker_area *a, uint64_t *call_ns)
{
	uint64_t t = now_ns();

	if (munlockall())
		return -errno;
	*call_ns = now_ns() - t;
	return 0;
}

static int reserve_validate(const struct job *j, const struct job_limits *l,
			    struct errmsg *e)
{
	uint64_t need = u64_list_max(&j->size) + j->reserve + (64ull << 20);
	char need_s[32], have_s[32];

	/* the vmstat rule tells an empty reservation from mlockall's own ~10M a locker */
	if (j->reserve < RESERVE_MIN)
		return errmsg_set(e, -EINVAL,
				  "job '%s': --reserve must be at least 64M (smaller is lost among the pages mlockall locks anyway)",
				  j->name);
	if (!l || l->cap_ipc_lock || l->memlock_soft == UINT64_MAX || need <= l->memlock_soft)
		return 0;
	format_size(l->memlock_soft, have_s, sizeof(have_s));
	format_size(need, need_s, sizeof(need_s));
	return errmsg_set(e, -EPERM,
			  "job '%s': RLIMIT_MEMLOCK is %s but mlockall over --reserve needs %s a locker (the reservation counts in full): run as root or with CAP_IPC_LOCK, or raise it (ulimit -l unlimited)",
			  j->name, have_s, need_s);
}

static void reserve_pages(const struct job *j, uint64_t size, uint64_t page,
			  struct locked_pages *out)
{
	out->never = PAGE_UP(j->reserve, page) / page;
}

const struct workload_ops munlockall_reserve_workload = {
	.version = WORKLOAD_OPS_VERSION,
	.name = "munlockall-reserve",
	.help = "each locker also maps a PROT_NONE reservation (--reserve), mlockall()s, "
		"then munlockall()s",
	.job_options = reserve_job_options,
	.locks = 1u << LOCK_MLOCKALL,
	.validate = reserve_validate,
	.pages = reserve_pages,
	.setup = reserve_setup,
	.teardown = reserve_teardown,
	.teardown_clock = WORKLOAD_CLOCK_CALL,
	.teardown_timed = "its munlockall() call",
	.no_lock_range = "it mlocks everything with mlockall",
};
