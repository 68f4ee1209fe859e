/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A workload says only what each locker does after the engine has locked
 * its area (setup) and at the release (teardown); the engine owns forking,
 * mapping, faulting, mlocking, the barrier and the clock.  One file per
 * workload under workloads/, listed in workloads/registry.c.
 */
#ifndef MLB_WORKLOAD_H
#define MLB_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/errmsg.h"
#include "engine/locked_pages.h"
#include "engine/ops_options.h"
#include "job/job.h"

/* The locker's view of its mapping, set up by the engine. */
struct locker_area {
	void *addr;
	size_t len;
	int lock_method;	/* enum lock_method */
	struct ops_args args;	/* the workload's own options (workload_ops.options) */
	const struct job *job;	/* the job's options (--reserve, --vmas) */
	long priv[4];		/* the workload's own, from setup() to teardown() */
};

/* What the teardown latency of a locker is, as the workload times it. */
enum workload_clock {
	WORKLOAD_CLOCK_REAP,	/* release to reaped by the parent (the exit itself) */
	WORKLOAD_CLOCK_CALL,	/* the locker's own timing of its call (munmap, munlock) */
};

#define WORKLOAD_OPS_VERSION 3

struct workload_ops {
	unsigned int version;	/* WORKLOAD_OPS_VERSION */
	const char *name;
	const char *help;
	/* options beyond the job's own, "--workload name:opt=val"; NULL: none */
	const struct ops_option *options;
	/*
	 * Job options (long names) only this workload takes, NULL-terminated;
	 * NULL: none.  job_validate refuses them with any other workload.
	 */
	const char *const *job_options;
	/*
	 * Lock methods accepted, 1 << enum lock_method each; 0: every one.  A
	 * single one is implied when --lock is not given.
	 */
	unsigned int locks;
	/* the phases timed: set-up is always the engine's; teardown as below */
	enum workload_clock teardown_clock;
	const char *teardown_timed;	/* for --help: "release to reaped" */
	/*
	 * Checks of the job's values for this workload; @l is the machine's
	 * limits, NULL when only the job is checked (a campaign file read on
	 * the host).  -errno with @e saying why.  NULL: nothing to check.
	 */
	int (*validate)(const struct job *j, const struct job_limits *l, struct errmsg *e);
	/*
	 * What each locker locks, for the vmstat rules, given @size bytes per
	 * locker of @page bytes.  NULL: the area's pages, shared by every
	 * locker.  workload_locked_pages() adds own_too for --lock mlockall.
	 */
	void (*pages)(const struct job *j, uint64_t size, uint64_t page,
		      struct locked_pages *out);
	/*
	 * Run in the locker after the engine mapped, faulted and locked its
	 * area and before it reports ready: set-up, so never timed as the
	 * teardown (it is inside setup_ns).  Return 0, or -errno with *@step
	 * naming what failed ("mmap reservation").  NULL: nothing to do.
	 */
	int (*setup)(struct locker_area *a, const char **step);
	/*
	 * Run in the locker after the release.  Return 0 and, for a
	 * self-timed workload, the duration of the measured call in
	 * *call_ns; return -errno on failure.  An exit workload returns
	 * without doing anything: the engine exits the child and the parent
	 * times the reap.
	 */
	int (*teardown)(struct locker_area *a, uint64_t *call_ns);
	/*
	 * Why this workload refuses --lock-offset/--lock-len (job/lock_range.h),
	 * for the message; NULL: the engine mlocks the range instead of the area.
	 */
	const char *no_lock_range;
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
/* The workload that lists job option @opt in its job_options; NULL: none. */
const struct workload_ops *workload_owning_option(const char *opt);
/* Whether @w lists job option @opt. */
bool workload_takes_option(const struct workload_ops *w, const char *opt);
/* @w's pages() or its default, with own_too set for --lock mlockall. */
void workload_locked_pages(const struct workload_ops *w, const struct job *j, uint64_t size,
			   uint64_t page, struct locked_pages *out);

#endif
