// SPDX-License-Identifier: GPL-2.0
/*
 * exit: lockers exit together; each is timed until reaped.  The munlock
 * work happens in exit_mmap (rmap-walk: munlock_vma_pages_range;
 * mlock_count: munlock_folio from the zap) before the parent can reap.
 */
#include "engine/workload.h"

static int exit_teardown(struct locker_area *a, uint64_t *call_ns)
{
	return 0;	/* the engine's _exit() is the teardown */
}

const struct workload_ops exit_workload = {
	.version = WORKLOAD_OPS_VERSION,
	.name = "exit",
	.help = "lockers exit together; the munlock work happens in exit_mmap",
	.teardown = exit_teardown,
	.teardown_clock = WORKLOAD_CLOCK_REAP,
	.teardown_timed = "release to reaped",
};
