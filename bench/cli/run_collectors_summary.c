// SPDX-License-Identifier: GPL-2.0
/*
 * What the collectors saw, per configuration: each collector's own summary
 * hook (the lock table, the perf counters), the checks and each perturbing
 * collector's overhead.  Medians over repetitions.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/run_summary.h"
#include "common/parse.h"
#include "stats/stats.h"

/* Median (or largest) over repetitions of one metric; NAN when never available. */
static double metric_stat(const struct metric_sink *s, unsigned int config,
			  const char *collector, const char *metric, bool largest, bool *seen)
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
	if (largest) {
		m = NAN;	/* compares false: the first value is taken */
		for (i = 0; i < n; i++)
			if (!(v[i] <= m))
				m = v[i];
	} else if (stats_median(v, n, &m)) {
		m = NAN;
	}
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

struct view_ctx {
	const struct result_writer *r;
	unsigned int config;
	const char *collector;
};

static double view_median(const struct collector_view *v, const char *metric, bool *seen)
{
	const struct view_ctx *x = v->ctx;

	return metric_stat(&x->r->sink, x->config, x->collector, metric, false, seen);
}

static double view_max(const struct collector_view *v, const char *metric, bool *seen)
{
	const struct view_ctx *x = v->ctx;

	return metric_stat(&x->r->sink, x->config, x->collector, metric, true, seen);
}

/* Every collector's own lines, in registry order. */
static void print_collectors(FILE *f, const struct result_writer *r, unsigned int id)
{
	const struct collector_ops *const *o;

	for (o = collector_table; *o; o++) {
		struct view_ctx x = { r, id, (*o)->name };
		struct collector_view v = { view_median, view_max, collector_method(r, (*o)->name),
					    &x };

		if ((*o)->summary)
			(*o)->summary(f, &v);
	}
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
		if (!any && !run_smaps_summary_print(f, r, c->id, false))
			continue;
		format_size(c->size, size, sizeof(size));
		fprintf(f, "\n%s procs=%llu plain=%llu size=%s %s/%s%s:\n", c->wl->name,
			(unsigned long long)c->procs, (unsigned long long)c->plain, size,
			backing_name(c->job->backing), lock_method_name(c->job->lock),
			c->prot == PROT_MODE_RO ? " prot=ro" : "");
		run_smaps_summary_print(f, r, c->id, true);
		print_collectors(f, r, c->id);
		print_checks(f, r, c->id);
		print_overheads(f, r, c->id);
	}
}
