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
#include "engine/metric_sink.h"
#include "engine/run_sink.h"
#include "result/schema.h"

struct sample_row {
	unsigned int config;
	int rep;
	bool warmup;
	char instrumented_by[24];	/* "" for a clean repetition */
	uint64_t setup_ns, teardown_ns, skew_ns;
	uint64_t lat_min_ns, lat_median_ns, lat_max_ns;
	uint64_t utime_us, stime_us;
	bool has_plain;			/* plain mappers ran: plain_teardown_ns is a value */
	uint64_t plain_teardown_ns;
};

struct latency_row {
	unsigned int config;
	int rep;
	unsigned int child;
	uint64_t ns;
};

struct result_writer {
	char dir[PATH_MAX];
	int dirfd;			/* the checked folder; every file is made in it */
	bool force;			/* result_writer_sink(): replace a result */
	json_t *manifest;		/* owned; built by result/manifest.c */
	struct sample_row *samples;
	size_t nsamples, samples_alloc;
	struct latency_row *lats;
	size_t nlats, lats_alloc;
	struct config *cfg_copy;	/* for the CSV's descriptive columns */
	size_t ncfg;
	struct metric_sink sink;	/* collectors emit here */
};

/*
 * Create @dir (and parents) through safe_dir_open(): a link, a folder of
 * another user or one others can write is refused (-EPERM, -ELOOP).  A
 * folder that is not empty must hold a result (a manifest.json of this
 * schema), else it is refused (-EEXIST) even with @force; a result is
 * refused (-EEXIST) unless @force.  Replacing one never leaves two runs
 * in the folder: the old samples.csv goes first, then every other file
 * of the folder (sub-folders stay), then the new run's manifest (status
 * "running", no configurations) replaces the old one; only after that is
 * any new data written, and every flush writes the manifest last.
 */
int result_writer_open(struct result_writer *w, const char *dir, bool force,
		       struct errmsg *e);
/*
 * What result_writer_open() would refuse, found before a run starts and
 * without creating anything: the checks above plus a file created and
 * removed where the results will go.  -EACCES, -EROFS: the machine does
 * not let us write there; other errors are the caller's bad input.
 */
int result_writer_check(const char *dir, bool force, struct errmsg *e);
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
/* status: "running", "complete", "interrupted" or "failed". */
int result_writer_flush(struct result_writer *w, const char *status, struct errmsg *e);

/*
 * @w as the runner's sink: nothing is created until the runner opens it
 * (then as result_writer_open(), the manifest's head included).  Release
 * @w with result_writer_release() whether or not it was opened.
 * -ENAMETOOLONG: @dir does not fit.
 */
int result_writer_sink(struct result_writer *w, const char *dir, bool force,
		       struct run_sink *out);

#endif
