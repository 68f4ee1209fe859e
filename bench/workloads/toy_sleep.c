// SPDX-License-Identifier: GPL-2.0
/* toy-sleep: each locker sleeps 1 ms and times that; an example of the contract. */
#include <errno.h>
#include <time.h>

#include "common/timeutil.h"
#include "engine/workload.h"

static int toy_sleep_teardown(struct locker_area *a, uint64_t *call_ns)
{
	struct timespec ms = { 0, 1000000 };
	uint64_t t = now_ns();

	if (nanosleep(&ms, NULL))
		return -errno;
	*call_ns = now_ns() - t;
	return 0;
}

const struct workload_ops toy_sleep_workload = {
	.version = WORKLOAD_OPS_VERSION,
	.name = "toy-sleep",
	.help = "each locker sleeps 1 ms (a toy; the area is unmapped at exit, untimed)",
	.teardown = toy_sleep_teardown,
	.teardown_clock = WORKLOAD_CLOCK_CALL,
	.teardown_timed = "its nanosleep() call",
};
