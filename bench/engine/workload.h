/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A workload says only what each locker does at the release; the engine
 * owns forking, mapping, faulting, mlocking, the barrier and the clock.
 * One file per workload under workloads/, listed in workloads/registry.c.
 */
#ifndef MLB_WORKLOAD_H
#define MLB_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The locker's view of its mapping, set up by the engine. */
struct locker_area {
	void *addr;
	size_t len;
	int lock_method;	/* enum lock_method */
};

struct workload_ops {
	const char *name;
	const char *help;
	/*
	 * Run in the locker after the release.  Return 0 and, for a
	 * self-timed workload, the duration of the measured call in
	 * *call_ns; return -errno on failure.  An exit workload returns
	 * without doing anything: the engine exits the child and the parent
	 * times the reap.
	 */
	int (*teardown)(struct locker_area *a, uint64_t *call_ns);
	/* true: latency = the child's own timing of its call; false: until reaped */
	bool self_timed;
};

const struct workload_ops *workload_find(const char *name);
extern const struct workload_ops *const workload_table[];

#endif
