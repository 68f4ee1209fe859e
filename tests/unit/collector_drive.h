/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A stand-in for the engine, for collector tests: P children map one
 * populated memfd, mlock it, wait on a barrier and exit together; the
 * collectors' hooks are called around set-up and teardown as the engine
 * will call them.
 */
#ifndef MLB_TEST_COLLECTOR_DRIVE_H
#define MLB_TEST_COLLECTOR_DRIVE_H

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/collector.h"
#include "engine/metric_sink.h"

struct drive {
	const struct collector_ops *ops[8];
	void *state[8];
	int n;
	struct metric_sink sink;
	struct errmsg e;
	char outdir[256];
};

/* Open the collectors @specs names ("locks:kprobe"), as --collect would. */
static int drive_open(struct drive *d, const char *const *specs, int n)
{
	int i, ret;

	memset(d, 0, sizeof(*d));
	metric_sink_init(&d->sink);
	snprintf(d->outdir, sizeof(d->outdir), "/tmp/mlb-drive-%d", (int)getpid());
	mkdir(d->outdir, 0755);
	for (i = 0; i < n; i++) {
		ret = collector_spec_open(specs[i], &d->ops[i], &d->state[i], &d->e);
		if (ret) {
			fprintf(stderr, "open %s: %s\n", specs[i], d->e.buf);
			while (i--)
				d->ops[i]->close(d->state[i]);
			d->n = 0;
			return ret;
		}
		d->n++;
	}
	return 0;
}

#define DRIVE_HOOK(d, hook, ...) do {						\
		int _i, _r;							\
		for (_i = 0; _i < (d)->n; _i++) {				\
			if (!(d)->ops[_i]->hook)				\
				continue;					\
			_r = (d)->ops[_i]->hook((d)->state[_i], __VA_ARGS__);	\
			if (_r) {						\
				fprintf(stderr, "%s %s: %s\n", (d)->ops[_i]->name, \
					#hook, (d)->e.buf);			\
				ret = _r;					\
			}							\
		}								\
	} while (0)

/* One repetition: P lockers of @size bytes of one memfd, released together. */
static int drive_rep(struct drive *d, unsigned int config, int rep, int procs, size_t size)
{
	int ready[2], go[2], i, ret = 0, fd;
	pid_t *pids = calloc(procs, sizeof(pid_t));
	struct rep_info r = {
		.config = config, .rep = rep, .workload = "exit", .procs = procs,
		.size = size, .page_size = sysconf(_SC_PAGESIZE), .pids = pids,
		.outdir = d->outdir,
	};
	char *p, c;
	size_t off;

	fd = memfd_create("mlb-drive", 0);
	if (fd < 0 || ftruncate(fd, size))
		return -errno;
	/* populate and let the pages settle on the LRU before the mlocks */
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	for (off = 0; off < size; off += r.page_size)
		p[off] = 1;
	munmap(p, size);
	usleep(50000);

	if (pipe(ready) || pipe(go))
		return -errno;
	metric_sink_at(&d->sink, config, rep);
	DRIVE_HOOK(d, setup_begin, &r, &d->e);
	for (i = 0; i < procs; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			close(ready[0]);
			close(go[1]);
			p = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
			if (p == MAP_FAILED || mlock(p, size))
				_exit(1);
			c = 'r';
			if (write(ready[1], &c, 1) != 1)
				_exit(1);
			if (read(go[0], &c, 1) < 0)
				_exit(1);
			_exit(0);
		}
	}
	close(ready[1]);
	close(go[0]);
	for (i = 0; i < procs; i++)
		if (read(ready[0], &c, 1) != 1)
			ret = -EIO;
	close(ready[0]);
	DRIVE_HOOK(d, setup_end, &r, &d->e);
	DRIVE_HOOK(d, teardown_begin, &r, &d->e);
	close(go[1]);	/* the release */
	for (i = 0; i < procs; i++) {
		int st;

		waitpid(pids[i], &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			ret = -ECHILD;
	}
	DRIVE_HOOK(d, teardown_end, &r, &d->sink, &d->e);
	close(fd);
	free(pids);
	return ret;
}

static int drive_config_end(struct drive *d, unsigned int config, int procs, size_t size)
{
	struct rep_info r = { .config = config, .rep = -1, .workload = "exit", .procs = procs,
			      .size = size, .page_size = sysconf(_SC_PAGESIZE),
			      .outdir = d->outdir };
	int ret = 0;

	metric_sink_at(&d->sink, config, -1);
	DRIVE_HOOK(d, config_end, &r, &d->sink, &d->e);
	return ret;
}

static void drive_close(struct drive *d)
{
	int i;

	char cmd[300];

	for (i = 0; i < d->n; i++)
		d->ops[i]->close(d->state[i]);
	metric_sink_release(&d->sink);
	if (!getenv("MLB_DRIVE_KEEP")) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->outdir);
		if (system(cmd))
			fprintf(stderr, "could not remove %s\n", d->outdir);
	}
}

/* Value of @metric of @collector in the last rep that has it; NAN-free: found flag. */
static const struct metric_row *drive_metric(const struct drive *d, const char *collector,
					     const char *metric)
{
	const struct metric_row *found = NULL;
	size_t i;

	for (i = 0; i < d->sink.nrows; i++)
		if (!strcmp(d->sink.rows[i].collector, collector) &&
		    !strcmp(d->sink.rows[i].metric, metric))
			found = &d->sink.rows[i];
	return found;
}

static void drive_print(const struct drive *d, FILE *f)
{
	size_t i;

	for (i = 0; i < d->sink.nrows; i++) {
		const struct metric_row *m = &d->sink.rows[i];

		if (m->available)
			fprintf(f, "%u,%d,%s,%s,%.6g,%s\n", m->config, m->rep, m->collector,
				m->metric, m->value, m->unit);
		else
			fprintf(f, "%u,%d,%s,%s,,%s\n", m->config, m->rep, m->collector,
				m->metric, m->unit);
	}
	for (i = 0; i < d->sink.nchecks; i++)
		fprintf(f, "check %s %s: %s: %s\n", d->sink.checks[i].collector,
			d->sink.checks[i].name, d->sink.checks[i].ok ? "ok" : "FAIL",
			d->sink.checks[i].detail);
}

#endif
