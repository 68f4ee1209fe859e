/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One repetition of one configuration: fork the plain mappers and the
 * lockers, wait until all are set up, release the lockers together and
 * time their teardown, then release the plain mappers together and time
 * theirs (a phase of its own, after the collectors' teardown window).
 * The engine never prints.
 */
#ifndef MLB_ENGINE_H
#define MLB_ENGINE_H

#include <signal.h>
#include <stdint.h>

#include "common/errmsg.h"
#include "engine/collector.h"
#include "engine/workload.h"
#include "job/job.h"
#include "job/lock_range.h"
#include "sysinfo/topology.h"

/* A point of the sweep: a job with one value per swept parameter. */
struct config {
	unsigned int id;
	const struct job *job;
	const struct workload_ops *wl;
	uint64_t procs, plain, size;
	enum prot_mode prot;
	/*
	 * Set by the runner from the first repetition's smaps_rollup: every
	 * locker of a THP backing had huge pages (the vmstat rules of a lock
	 * range count only the whole ones, job/lock_range.h).
	 */
	bool huge_backed;
};

/* A collector opened for the run, and its state. */
struct active_collector {
	const struct collector_ops *ops;
	void *state;
	char spec[64];		/* as given in --collect, e.g. "locks:kprobe" */
};

struct engine_env {
	const struct topo *topo;	/* for pin_apply; NULL = no pinning */
	const int *cpus;		/* pin plan, one per locker; NULL = none */
	struct active_collector *collectors;
	size_t ncollectors;
	struct metric_sink *sink;
	const char *outdir;
	/* set by the signal handler: stop as soon as possible */
	volatile sig_atomic_t *interrupted;
	/*
	 * Called once every locker is ready and the collectors' set-up window
	 * has closed, before the teardown window opens (so inside neither),
	 * with the lockers' pids: the proof of what is measured (the runner
	 * reads their smaps_rollup).  Non-zero ends the repetition before the
	 * release, children reaped.  NULL: nothing.
	 */
	int (*after_setup)(void *ctx, const pid_t *pids, struct errmsg *e);
	void *after_setup_ctx;
};

struct rep_result {
	uint64_t setup_ns;	/* first locker forked → all lockers ready */
	uint64_t teardown_ns;	/* release → last locker done */
	uint64_t plain_teardown_ns;	/* plain mappers released → last reaped; 0 without */
	uint64_t skew_ns;	/* first → last locker running after the release */
	uint64_t *lat_ns;	/* per locker, release → done; caller allocates procs */
	uint64_t utime_us, stime_us;	/* lockers' CPU (rusage) */
};

/*
 * Run one repetition with the collectors in env (all of them: the caller
 * chooses which are active).  -EINTR when interrupted; other -errno with
 * @e explaining (e.g. "locker 3: mlock: Cannot allocate memory").  Every
 * child is reaped before it returns, whatever happens.
 */
int engine_run_rep(const struct config *c, int rep, const struct engine_env *env,
		   struct rep_result *out, struct errmsg *e);

/*
 * What @c's lockers lock, for the vmstat rules (engine/locked_pages.h): the
 * workload's word, then lock range @r's, then whether they are shared anon
 * huge pages.  Pages of @page bytes.
 */
void config_locked_pages(const struct config *c, const struct lock_range *r, uint64_t page,
			 struct locked_pages *out);

/* Install SIGINT/SIGTERM/SIGHUP/SIGALRM handlers that kill the children at once. */
void engine_install_signals(volatile sig_atomic_t *interrupted);

#endif
