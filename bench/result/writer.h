/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The result folder writer (docs/RESULTS.md).  Rows are kept in memory and
 * every flush rewrites each file atomically, so after any flush the folder
 * is valid and says how far the run got.
 */
#ifndef MLB_RESULT_WRITER_H
#define MLB_RESULT_WRITER_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "common/errmsg.h"
#include "engine/engine.h"
#include "result/metric_sink.h"

#define RESULT_SCHEMA "mlockbench-result"
#define RESULT_SCHEMA_VERSION 1

struct sample_row {
	unsigned int config;
	int rep;
	bool warmup;
	char instrumented_by[24];	/* "" for a clean repetition */
	uint64_t setup_ns, teardown_ns, skew_ns;
	uint64_t lat_min_ns, lat_median_ns, lat_max_ns;
	uint64_t utime_us, stime_us;
};

struct latency_row {
	unsigned int config;
	int rep;
	unsigned int child;
	uint64_t ns;
};

struct result_writer {
	char dir[PATH_MAX];
	json_t *manifest;		/* owned; callers add keys */
	json_t *configs;		/* borrowed from manifest */
	struct sample_row *samples;
	size_t nsamples, samples_alloc;
	struct latency_row *lats;
	size_t nlats, lats_alloc;
	struct config *cfg_copy;	/* for the CSV's descriptive columns */
	size_t ncfg;
	struct metric_sink sink;	/* collectors emit here */
};

/*
 * Create @dir (and parents).  A folder already holding a manifest is
 * refused unless @force: results are never overwritten by accident.
 */
int result_writer_open(struct result_writer *w, const char *dir, bool force,
		       struct errmsg *e);
void result_writer_release(struct result_writer *w);

int result_writer_add_config(struct result_writer *w, const struct config *c);
/*
 * Forget configuration @id: its manifest entry and every row it added.  An
 * interrupted configuration is dropped, so the folder lists only what ran.
 */
void result_writer_drop_config(struct result_writer *w, unsigned int id);
int result_writer_add_rep(struct result_writer *w, const struct config *c, int rep,
			  bool warmup, const char *instrumented_by,
			  const struct rep_result *r);
/*
 * The uint64_t column at @field (offsetof(struct sample_row, ...)) of config
 * @config's measured repetitions run with @instrumented_by ("" = clean),
 * as doubles into @out (room for nsamples).  Returns how many.
 */
size_t result_writer_column(const struct result_writer *w, unsigned int config,
			    const char *instrumented_by, size_t field, double *out);

/* status: "running", "complete", "interrupted" or "failed". */
int result_writer_flush(struct result_writer *w, const char *status, struct errmsg *e);

#endif
