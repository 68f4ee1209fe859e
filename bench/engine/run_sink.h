/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the runner puts a run: declared here, below the result layer, and
 * implemented by the result writer (result/writer.h), so the engine never
 * knows the file format.  Every call but open comes after a successful open.
 */
#ifndef MLB_RUN_SINK_H
#define MLB_RUN_SINK_H

#include <stdbool.h>
#include <stddef.h>

#include "common/errmsg.h"
#include "engine/engine.h"
#include "engine/metric_sink.h"
#include "engine/smaps_proof.h"
#include "job/job.h"
#include "sysinfo/audit.h"
#include "sysinfo/sysinfo.h"

/* What the run is: echoed into the manifest once the folder exists. */
struct run_head {
	int argc;
	char **argv;
	const struct job *jobs;
	size_t njobs;
	const struct sysinfo *si;
	const struct sysaudit *audit;	/* the environment at the start */
};

struct run_sink_ops {
	/* Create the folder; from then on it is this run's (status "running"). */
	int (*open)(void *ctx, const struct run_head *h, struct errmsg *e);
	int (*add_config)(void *ctx, const struct config *c);
	/* Forget configuration @id and every row it added (interrupted half-way). */
	void (*drop_config)(void *ctx, unsigned int id);
	int (*add_rep)(void *ctx, const struct config *c, int rep, bool warmup,
		       const char *instrumented_by, const struct rep_result *r);
	/* What configuration @c's lockers had mapped after set-up (smaps_proof.h). */
	int (*add_smaps)(void *ctx, const struct config *c, const struct smaps_proof *p);
	/* A collector of job @j is closing: describe it (before ops->close). */
	int (*add_collector)(void *ctx, const struct job *j, const struct active_collector *ac);
	/* Write everything; @error (NULL: none) says why a run failed. */
	int (*flush)(void *ctx, const char *status, const char *error, struct errmsg *e);
};

struct run_sink {
	const struct run_sink_ops *ops;
	void *ctx;
	struct metric_sink *metrics;	/* collectors emit here; valid after open */
};

#endif
