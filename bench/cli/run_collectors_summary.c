// SPDX-License-Identifier: GPL-2.0
/*
 * What the collectors saw, per configuration: the lock table by class,
 * the perf counters (n/a where the PMU refuses), the vmstat checks and
 * each perturbing collector's overhead.  Medians over repetitions.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/run_summary.h"
#include "collectors/lock_classify.h"
#include "common/parse.h"
#include "stats/stats.h"

/* Median over repetitions of one metric; NAN when never available. */
static double metric_median(const struct metric_sink *s, unsigned int config,
			    const char *collector, const char *metric, bool *seen)
{
	double *v = malloc((s->nrows + 1) * sizeof(*v)), m;
	size_t i, n = 0;

	*seen = false;
	if (!v)
		return NAN;
	for (i = 0; i < s->nrows; i++) {
		const struct metric_row *r = &s->rows[i];

		if (r->config != config || strcmp(r->collector, collector) ||
		    strcmp(r->metric, metric))
			continue;
		*seen = true;
		if (r->available)
			v[n++] = r->value;
	}
	if (stats_median(v, n, &m))
		m = NAN;
	free(v);
	return m;
}

static const char *collector_method(const struct result_writer *r, const char *name)
{
	json_t *arr = json_object_get(r->manifest, "collectors"), *o;
	size_t i;

	json_array_foreach(arr, i, o) {
		const char *n = json_string_value(json_object_get(o, "name"));
		const char *m = json_string_value(json_object_get(o, "method"));

		if (n && !strcmp(n, name) && m)
			return m;
	}
	return "?";
}

static void print_locks(FILE *f, const struct result_writer *r, unsigned int id)
{
	const struct metric_sink *s = &r->sink;
	char name[64];
	const char *c;
	bool seen;
	size_t i;

	metric_median(s, id, "locks", "lru_lock.wait_ns", &seen);
	if (!seen)
		return;
	fprintf(f, "  locks (%s), per instrumented repetition, medians:\n",
		collector_method(r, "locks"));
	fprintf(f, "    %-13s %10s %8s %12s %9s\n", "class", "wait(ms)", "count",
		"max wait(us)", "profile");
	for (i = 0; (c = lock_class_name(i)); i++) {
		double wait, count, max, share;

		snprintf(name, sizeof(name), "%s.wait_ns", c);
		wait = metric_median(s, id, "locks", name, &seen);
		snprintf(name, sizeof(name), "%s.count", c);
		count = metric_median(s, id, "locks", name, &seen);
		snprintf(name, sizeof(name), "%s.max_wait_ns", c);
		max = metric_median(s, id, "locks", name, &seen);
		snprintf(name, sizeof(name), "profile.%s.share", c);
		share = metric_median(s, id, "locks", name, &seen);
		if (!(count > 0) && !(share > 0) && strcmp(c, "i_mmap_rwsem") &&
		    strcmp(c, "lru_lock"))
			continue;
		fprintf(f, "    %-13s %10.3f %8.0f %12.1f %8.1f%%\n", c,
			isfinite(wait) ? wait / 1e6 : 0, isfinite(count) ? count : 0,
			isfinite(max) ? max / 1e3 : 0, isfinite(share) ? share * 100 : 0);
	}
	fprintf(f, "    %-13s %41.1f%%  (sampled time in the rmap walk itself)\n", "rmap_walk",
		100 * fmax(0, metric_median(s, id, "locks", "profile.rmap_walk.share", &seen)));
}

static void print_perf(FILE *f, const struct result_writer *r, unsigned int id)
{
	static const char *const events[] = {
		"task-clock", "context-switches", "cpu-migrations", "page-faults", "cycles",
		"instructions", "cache-misses", NULL,
	};
	const char *const *ev;
	bool seen, any = false;

	for (ev = events; *ev; ev++) {
		double v = metric_median(&r->sink, id, "perf", *ev, &seen);

		if (!seen)
			continue;
		if (!any)
			fprintf(f, "  perf (%s):", collector_method(r, "perf"));
		any = true;
		if (isfinite(v))
			fprintf(f, " %s %.0f", *ev, v);
		else
			fprintf(f, " %s n/a", *ev);
	}
	if (any)
		fputc('\n', f);
}

static void print_checks(FILE *f, const struct result_writer *r, unsigned int id)
{
	const struct metric_sink *s = &r->sink;
	size_t i;

	for (i = 0; i < s->nchecks; i++) {
		const struct check_row *c = &s->checks[i];

		if (c->config == id)
			fprintf(f, "  %s %s: %s — %s\n", c->collector, c->name,
				c->ok ? "ok" : "FAILED", c->detail);
	}
}

static void print_overheads(FILE *f, const struct result_writer *r, unsigned int id)
{
	const struct metric_sink *s = &r->sink;
	bool any = false;
	size_t i;

	for (i = 0; i < s->nrows; i++) {
		const struct metric_row *m = &s->rows[i];

		if (m->config != id || m->rep != -1 || strcmp(m->metric, "overhead.teardown_ratio"))
			continue;
		fprintf(f, "%s %s ", any ? "," : "  overhead (instrumented/clean teardown):",
			m->collector);
		if (m->available)
			fprintf(f, "x%.2f", m->value);
		else
			fprintf(f, "n/a");
		any = true;
	}
	if (any)
		fputc('\n', f);
}

void run_collectors_summary_print(FILE *f, const struct result_writer *r)
{
	size_t i;

	for (i = 0; i < r->ncfg; i++) {
		const struct config *c = &r->cfg_copy[i];
		bool any = false;
		size_t k;
		char size[16];

		for (k = 0; k < r->sink.nrows && !any; k++)
			any = r->sink.rows[k].config == c->id;
		if (!any)
			continue;
		format_size(c->size, size, sizeof(size));
		fprintf(f, "\n%s procs=%llu plain=%llu size=%s %s/%s:\n", c->wl->name,
			(unsigned long long)c->procs, (unsigned long long)c->plain, size,
			backing_name(c->job->backing), lock_method_name(c->job->lock));
		print_locks(f, r, c->id);
		print_perf(f, r, c->id);
		print_checks(f, r, c->id);
		print_overheads(f, r, c->id);
	}
}
