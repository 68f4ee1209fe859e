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

#include "common/errmsg.h"
#include "engine/ops_options.h"

/* The locker's view of its mapping, set up by the engine. */
struct locker_area {
	void *addr;
	size_t len;
	int lock_method;	/* enum lock_method */
	struct ops_args args;	/* the workload's own options (workload_ops.options) */
};

/* What the teardown latency of a locker is, as the workload times it. */
enum workload_clock {
	WORKLOAD_CLOCK_REAP,	/* release to reaped by the parent (the exit itself) */
	WORKLOAD_CLOCK_CALL,	/* the locker's own timing of its call (munmap, munlock) */
};

#define WORKLOAD_OPS_VERSION 2

struct workload_ops {
	unsigned int version;	/* WORKLOAD_OPS_VERSION */
	const char *name;
	const char *help;
	/* options beyond the job's own, "--workload name:opt=val"; NULL: none */
	const struct ops_option *options;
	/* the phases timed: set-up is always the engine's; teardown as below */
	enum workload_clock teardown_clock;
	const char *teardown_timed;	/* for --help: "release to reaped" */
	/*
	 * Run in the locker after the release.  Return 0 and, for a
	 * self-timed workload, the duration of the measured call in
	 * *call_ns; return -errno on failure.  An exit workload returns
	 * without doing anything: the engine exits the child and the parent
	 * times the reap.
	 */
	int (*teardown)(struct locker_area *a, uint64_t *call_ns);
};

const struct workload_ops *workload_find(const char *name);
/* NULL-terminated table of every workload (workloads/registry.c). */
extern const struct workload_ops *const workload_table[];
/* "name[:options]" against the registry; -EINVAL naming what is accepted. */
int workload_spec_parse(const char *spec, const struct workload_ops **w,
			struct ops_args *args, struct errmsg *e);
int workload_spec_check(const char *spec, struct errmsg *e);
/* "exit, munmap, munlock" into @buf. */
void workload_names(char *buf, size_t len, const char *sep);

#endif
