// SPDX-License-Identifier: GPL-2.0
/* munmap: each locker times its own munmap() of the mlocked area. */
#include <errno.h>
#include <sys/mman.h>

#include "common/timeutil.h"
#include "engine/workload.h"

static int munmap_teardown(struct locker_area *a, uint64_t *call_ns)
{
	uint64_t t = now_ns();

	if (munmap(a->addr, a->len))
		return -errno;
	*call_ns = now_ns() - t;
	return 0;
}

const struct workload_ops munmap_workload = {
	.version = WORKLOAD_OPS_VERSION,
	.name = "munmap",
	.help = "each locker munmap()s its mlocked area",
	.teardown = munmap_teardown,
	.teardown_clock = WORKLOAD_CLOCK_CALL,
	.teardown_timed = "its munmap() call",
};
