/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The run loop: jobs → configurations → repetitions, collectors opened
 * per job, results flushed after every configuration.  Never prints:
 * progress goes to a callback.
 */
#ifndef MLB_RUNNER_H
#define MLB_RUNNER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "common/errmsg.h"
#include "engine/engine.h"
#include "engine/run_sink.h"
#include "job/job.h"
#include "sysinfo/audit.h"
#include "sysinfo/sysinfo.h"

struct run_progress {
	size_t config_index, nconfigs;	/* position in the run */
	const struct config *config;
	unsigned int round, rounds;	/* repetition round, warm-ups included */
	bool warmup;
	const char *instrumented_by;	/* NULL for a clean repetition */
};

struct run_request {
	struct job *jobs;
	size_t njobs;
	const char *outdir;		/* for collectors that write files (perf record) */
	struct run_sink *sink;		/* where the run goes (result_writer_sink()) */
	int argc;
	char **argv;			/* echoed into the manifest */
	void (*progress)(void *ctx, const struct run_progress *p);
	void *progress_ctx;
	volatile sig_atomic_t *interrupted;
};

struct runner {
	struct run_sink *sink;		/* the request's */
	struct sysinfo si;
	struct sysaudit audit;		/* gathered at the start, into the manifest */
	struct config *configs;
	size_t nconfigs;
	size_t configs_done;
	bool started;		/* the result folder exists: errors are run failures */
	bool collector_failed;	/* the error is a collector's that could not open */
	bool thp_refused;	/* --require-thp: a THP backing got no huge pages */
};

/*
 * Validate every job against this machine before anything runs (-EINVAL,
 * -E2BIG, -EPERM: the caller's "bad input"), then run.  Returns 0,
 * -EINTR (interrupted: finished configurations are kept), or -errno.
 * The result folder is valid in every case once it was created.
 */
int runner_run(struct runner *r, const struct run_request *req, struct errmsg *e);
void runner_release(struct runner *r);

/* Expand the jobs' sweeps into configurations (exposed for tests). */
int runner_expand(struct job *jobs, size_t njobs, struct config **out, size_t *n,
		  struct errmsg *e);

#endif
