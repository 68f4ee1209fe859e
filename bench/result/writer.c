// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/atomic_file.h"
#include "common/safe_dir.h"
#include "common/timeutil.h"
#include "result/manifest.h"
#include "result/writer.h"

enum folder_kind { FOLDER_EMPTY, FOLDER_RESULT, FOLDER_OTHER };

/* A listing of the folder @dirfd (its own fd: closedir leaves @dirfd open). */
static int dir_listing(int dirfd, const char *dir, DIR **out, struct errmsg *e)
{
	int fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);

	if (!d) {
		if (fd >= 0)
			close(fd);
		return errmsg_set(e, -errno, "%s: %s", dir, strerror(errno));
	}
	rewinddir(d);
	*out = d;
	return 0;
}

/* Does the folder hold nothing, a result (our manifest), or something else? */
static int folder_kind(int dirfd, const char *dir, enum folder_kind *kind, struct errmsg *e)
{
	struct dirent *de;
	bool any = false;
	struct stat st;
	json_t *m;
	DIR *d;
	int fd, err;

	err = dir_listing(dirfd, dir, &d, e);
	if (err)
		return err;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			any = true;
	closedir(d);
	*kind = any ? FOLDER_OTHER : FOLDER_EMPTY;
	fd = openat(dirfd, "manifest.json", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (!fstat(fd, &st) && S_ISREG(st.st_mode)) {
		m = json_loadfd(fd, 0, NULL);
		if (manifest_is_result(m))
			*kind = FOLDER_RESULT;
		json_decref(m);
	}
	close(fd);
	return 0;
}

static int refuse(const char *dir, enum folder_kind kind, bool force, struct errmsg *e)
{
	if (kind == FOLDER_OTHER)
		return errmsg_set(e, -EEXIST, "%s is not empty and holds no mlockbench result; "
				  "refusing to replace its files (choose an empty or new --out)",
				  dir);
	if (kind == FOLDER_RESULT && !force)
		return errmsg_set(e, -EEXIST, "%s already holds a result (choose another --out, "
				  "or --overwrite to replace it)", dir);
	return 0;
}

static int unlink_step(int dirfd, const char *dir, const char *name, struct errmsg *e)
{
	int err = atomic_file_fault ? atomic_file_fault("unlink", name) : 0;

	if (!err && unlinkat(dirfd, name, 0) && errno != ENOENT)
		err = -errno;
	if (err)
		return errmsg_set(e, err, "cannot remove %s/%s: %s", dir, name, strerror(-err));
	return 0;
}

/*
 * Empty a result folder for the next run, the old manifest kept for last
 * (the caller replaces it): samples.csv first, so that from the first step
 * on the old run cannot be read as complete, then every other file.
 */
static int clear_old_run(int dirfd, const char *dir, struct errmsg *e)
{
	struct dirent *de;
	struct stat st;
	DIR *d;
	int err;

	err = unlink_step(dirfd, dir, "samples.csv", e);
	if (err)
		return err;
	err = dir_listing(dirfd, dir, &d, e);
	if (err)
		return err;
	while (!err && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    !strcmp(de->d_name, "manifest.json"))
			continue;
		if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) || S_ISDIR(st.st_mode))
			continue;
		err = unlink_step(dirfd, dir, de->d_name, e);
	}
	closedir(d);
	if (!err && fsync(dirfd))
		err = errmsg_set(e, -errno, "%s: %s", dir, strerror(errno));
	return err;
}

int result_writer_check(const char *dir, bool force, struct errmsg *e)
{
	enum folder_kind kind;
	struct stat st;
	int fd, err;

	err = safe_dir_open(dir, SAFE_DIR_PROBE, e);
	if (err || lstat(dir, &st))
		return err;
	fd = safe_dir_open(dir, 0, e);
	if (fd < 0)
		return fd;
	err = folder_kind(fd, dir, &kind, e);
	close(fd);
	return err ? err : refuse(dir, kind, force, e);
}

int result_writer_open(struct result_writer *w, const char *dir, bool force,
		       struct errmsg *e)
{
	enum folder_kind kind;
	int fd, ret;

	memset(w, 0, sizeof(*w));
	w->dirfd = -1;
	if (snprintf(w->dir, sizeof(w->dir), "%s", dir) >= (int)sizeof(w->dir))
		return errmsg_set(e, -ENAMETOOLONG, "%.40s...: path too long", dir);
	fd = safe_dir_open(dir, SAFE_DIR_CREATE, e);
	if (fd < 0)
		return fd;
	w->dirfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	close(fd);
	if (w->dirfd < 0)
		return errmsg_set(e, -errno, "%s: %s", dir, strerror(errno));
	ret = folder_kind(w->dirfd, dir, &kind, e);
	if (!ret)
		ret = refuse(dir, kind, force, e);
	if (!ret && kind == FOLDER_RESULT)
		ret = clear_old_run(w->dirfd, dir, e);
	if (ret)
		return ret;
	w->manifest = manifest_new();
	if (!w->manifest)
		return -ENOMEM;
	metric_sink_init(&w->sink);
	/* from now on the folder is this run's, before any of its data lands */
	return atomic_write_json_at(w->dirfd, w->dir, "manifest.json", w->manifest, e);
}

void result_writer_release(struct result_writer *w)
{
	if (w->dirfd >= 3)
		close(w->dirfd);
	json_decref(w->manifest);
	free(w->samples);
	free(w->lats);
	free(w->cfg_copy);
	metric_sink_release(&w->sink);
	memset(w, 0, sizeof(*w));
	w->dirfd = -1;
}

static int grow(void **arr, size_t *alloc, size_t need, size_t elem)
{
	size_t want = *alloc ? *alloc : 64;
	void *p;

	if (need <= *alloc)
		return 0;
	while (want < need)
		want *= 2;
	p = realloc(*arr, want * elem);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*alloc = want;
	return 0;
}

int result_writer_add_config(struct result_writer *w, const struct config *c)
{
	struct config *p;

	p = realloc(w->cfg_copy, (w->ncfg + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	w->cfg_copy = p;
	w->cfg_copy[w->ncfg++] = *c;
	return manifest_add_config(w->manifest, c);
}

/* Keep the @n rows of @arr whose config is not @id, in order. */
#define DROP_ROWS(arr, n, id) do {					\
		size_t from_, to_ = 0;					\
		for (from_ = 0; from_ < (n); from_++)			\
			if ((arr)[from_].config != (id))		\
				(arr)[to_++] = (arr)[from_];		\
		(n) = to_;						\
	} while (0)

void result_writer_drop_config(struct result_writer *w, unsigned int id)
{
	size_t i;

	manifest_drop_config(w->manifest, id);
	for (i = 0; i < w->ncfg; i++)
		if (w->cfg_copy[i].id == id)
			w->cfg_copy[i--] = w->cfg_copy[--w->ncfg];
	DROP_ROWS(w->samples, w->nsamples, id);
	DROP_ROWS(w->lats, w->nlats, id);
	DROP_ROWS(w->sink.rows, w->sink.nrows, id);
	DROP_ROWS(w->sink.checks, w->sink.nchecks, id);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int result_writer_add_rep(struct result_writer *w, const struct config *c, int rep,
			  bool warmup, const char *instrumented_by,
			  const struct rep_result *r)
{
	struct sample_row *s;
	uint64_t *sorted;
	uint64_t i;

	if (grow((void **)&w->samples, &w->samples_alloc, w->nsamples + 1, sizeof(*s)) ||
	    grow((void **)&w->lats, &w->lats_alloc, w->nlats + c->procs, sizeof(*w->lats)))
		return -ENOMEM;
	sorted = malloc(c->procs * sizeof(*sorted));
	if (!sorted)
		return -ENOMEM;
	memcpy(sorted, r->lat_ns, c->procs * sizeof(*sorted));
	qsort(sorted, c->procs, sizeof(*sorted), cmp_u64);

	s = &w->samples[w->nsamples++];
	memset(s, 0, sizeof(*s));
	s->config = c->id;
	s->rep = rep;
	s->warmup = warmup;
	snprintf(s->instrumented_by, sizeof(s->instrumented_by), "%s",
		 instrumented_by ? instrumented_by : "");
	s->setup_ns = r->setup_ns;
	s->teardown_ns = r->teardown_ns;
	s->has_plain = c->plain > 0;
	s->plain_teardown_ns = r->plain_teardown_ns;
	s->skew_ns = r->skew_ns;
	s->lat_min_ns = sorted[0];
	s->lat_max_ns = sorted[c->procs - 1];
	s->lat_median_ns = c->procs % 2 ? sorted[c->procs / 2]
					: (sorted[c->procs / 2 - 1] + sorted[c->procs / 2]) / 2;
	s->utime_us = r->utime_us;
	s->stime_us = r->stime_us;
	free(sorted);

	for (i = 0; i < c->procs; i++)
		w->lats[w->nlats++] = (struct latency_row){ c->id, rep, i, r->lat_ns[i] };
	return 0;
}

static const struct config *cfg_of(const struct result_writer *w, unsigned int id)
{
	size_t i;

	for (i = 0; i < w->ncfg; i++)
		if (w->cfg_copy[i].id == id)
			return &w->cfg_copy[i];
	return NULL;
}

static int samples_csv(FILE *f, const void *arg)
{
	const struct result_writer *w = arg;
	size_t i;

	char hdr[1024];

	result_table_header(&result_samples_table, hdr, sizeof(hdr));
	fprintf(f, "%s\n", hdr);
	for (i = 0; i < w->nsamples; i++) {
		const struct sample_row *s = &w->samples[i];
		const struct config *c = cfg_of(w, s->config);
		char plain_td[24] = "";	/* empty: n/a, no plain mappers */

		if (s->has_plain)
			snprintf(plain_td, sizeof(plain_td), "%" PRIu64, s->plain_teardown_ns);
		fprintf(f, "%u,%s,%s,%s,%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%d,%d,%d,%s,"
			"%" PRIu64 ",%" PRIu64 ",%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
			",%" PRIu64 ",%" PRIu64 "\n",
			s->config, c->job->name, c->wl->name, backing_name(c->job->backing),
			lock_method_name(c->job->lock), c->procs, c->plain, c->size, s->rep,
			s->warmup, s->instrumented_by[0] != 0, s->instrumented_by,
			s->setup_ns, s->teardown_ns, plain_td, s->skew_ns, s->lat_min_ns,
			s->lat_median_ns, s->lat_max_ns, s->utime_us, s->stime_us);
	}
	return 0;
}

static int latencies_csv(FILE *f, const void *arg)
{
	const struct result_writer *w = arg;
	size_t i;

	char hdr[256];

	result_table_header(&result_latencies_table, hdr, sizeof(hdr));
	fprintf(f, "%s\n", hdr);
	for (i = 0; i < w->nlats; i++)
		fprintf(f, "%u,%d,%u,%" PRIu64 "\n", w->lats[i].config, w->lats[i].rep,
			w->lats[i].child, w->lats[i].ns);
	return 0;
}

static int metrics_csv(FILE *f, const void *arg)
{
	const struct result_writer *w = arg;
	size_t i;

	char hdr[256];

	result_table_header(&result_metrics_table, hdr, sizeof(hdr));
	fprintf(f, "%s\n", hdr);
	for (i = 0; i < w->sink.nrows; i++) {
		const struct metric_row *m = &w->sink.rows[i];

		fprintf(f, "%u,%d,%s,%s,", m->config, m->rep, m->collector, m->metric);
		if (m->available)
			fprintf(f, "%.17g", m->value);
		fprintf(f, ",%s\n", m->unit);
	}
	return 0;
}

/* DIR/NAME, written atomically by BODY */
static int write_csv(const struct result_writer *w, const char *name,
		     int (*body)(FILE *f, const void *arg), struct errmsg *e)
{
	return atomic_write_with_at(w->dirfd, w->dir, name, body, w, e);
}

/* The CSV files first, the manifest last: its status vouches for the files before it. */
static int flush(struct result_writer *w, const char *status, const char *error,
		 struct errmsg *e)
{
	int ret;

	ret = write_csv(w, "samples.csv", samples_csv, e);
	if (!ret)
		ret = write_csv(w, "latencies.csv", latencies_csv, e);
	if (!ret)
		ret = write_csv(w, "metrics.csv", metrics_csv, e);
	if (!ret && manifest_finish(w->manifest, status, error, &w->sink))
		ret = errmsg_set(e, -ENOMEM, "out of memory");
	if (ret)
		return ret;
	return atomic_write_json_at(w->dirfd, w->dir, "manifest.json", w->manifest, e);
}

int result_writer_flush(struct result_writer *w, const char *status, struct errmsg *e)
{
	return flush(w, status, NULL, e);
}

/* The run sink (engine/run_sink.h) over a writer. */
static int sink_open(void *ctx, const struct run_head *h, struct errmsg *e)
{
	struct result_writer *w = ctx;
	char dir[PATH_MAX];
	bool force = w->force;
	int ret;

	snprintf(dir, sizeof(dir), "%s", w->dir);
	ret = result_writer_open(w, dir, force, e);
	if (!ret && manifest_set_head(w->manifest, h))
		ret = errmsg_set(e, -ENOMEM, "out of memory");
	if (!ret)
		ret = atomic_write_json_at(w->dirfd, w->dir, "manifest.json", w->manifest, e);
	return ret;
}

static int sink_add_config(void *ctx, const struct config *c)
{
	return result_writer_add_config(ctx, c);
}

static void sink_drop_config(void *ctx, unsigned int id)
{
	result_writer_drop_config(ctx, id);
}

static int sink_add_rep(void *ctx, const struct config *c, int rep, bool warmup,
			const char *instrumented_by, const struct rep_result *r)
{
	return result_writer_add_rep(ctx, c, rep, warmup, instrumented_by, r);
}

static int sink_add_smaps(void *ctx, const struct config *c, const struct smaps_proof *p)
{
	struct result_writer *w = ctx;

	return manifest_add_smaps(w->manifest, c->id, p);
}

static int sink_add_collector(void *ctx, const struct job *j, const struct active_collector *ac)
{
	struct result_writer *w = ctx;

	return manifest_add_collector(w->manifest, j, ac, &w->sink);
}

static int sink_flush(void *ctx, const char *status, const char *error, struct errmsg *e)
{
	return flush(ctx, status, error, e);
}

static const struct run_sink_ops writer_sink_ops = {
	.open = sink_open,
	.add_config = sink_add_config,
	.drop_config = sink_drop_config,
	.add_rep = sink_add_rep,
	.add_smaps = sink_add_smaps,
	.add_collector = sink_add_collector,
	.flush = sink_flush,
};

int result_writer_sink(struct result_writer *w, const char *dir, bool force,
		       struct run_sink *out)
{
	memset(w, 0, sizeof(*w));
	w->dirfd = -1;
	if (snprintf(w->dir, sizeof(w->dir), "%s", dir) >= (int)sizeof(w->dir))
		return -ENAMETOOLONG;
	w->force = force;
	*out = (struct run_sink){ &writer_sink_ops, w, &w->sink };
	return 0;
}
