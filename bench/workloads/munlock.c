// SPDX-License-Identifier: GPL-2.0
/* munlock: each locker times its own munlock() (munlockall() after mlockall). */
#include <errno.h>
#include <sys/mman.h>

#include "common/timeutil.h"
#include "engine/workload.h"
#include "job/job.h"

static int munlock_teardown(struct locker_area *a, uint64_t *call_ns)
{
	uint64_t t = now_ns();
	int ret;

	if (a->lock_method == LOCK_MLOCKALL)
		ret = munlockall();
	else
		ret = munlock(a->addr, a->len);
	if (ret)
		return -errno;
	*call_ns = now_ns() - t;
	return 0;
}

const struct workload_ops munlock_workload = {
	.version = WORKLOAD_OPS_VERSION,
	.name = "munlock",
	.help = "each locker munlock()s its area (munlockall() with --lock mlockall)",
	.teardown = munlock_teardown,
	.teardown_clock = WORKLOAD_CLOCK_CALL,
	.teardown_timed = "its munlock() call",
};
