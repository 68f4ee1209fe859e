// SPDX-License-Identifier: GPL-2.0
/* The two-level view over runs: components, run medians, ratio, run test. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/analysis.h"

static bool metric_in_groups(const struct run_report *r, const char *name, char *unit,
			     bool *primary)
{
	size_t gi, fi, ci;

	for (gi = 0; gi < r->ng; gi++)
		for (fi = 0; fi < r->g[gi].nruns; fi++) {
			const struct result_folder *f = r->g[gi].runs[fi];

			for (ci = 0; ci < f->nconfigs; ci++) {
				const struct result_series *s =
					result_config_series(&f->configs[ci], name);

				if (s) {
					snprintf(unit, 16, "%s", s->unit);
					*primary = s->primary;
					return true;
				}
			}
		}
	return false;
}

/* Mean and sample sd of @n values. */
static void mean_sd(const double *x, size_t n, double *mean, double *sd)
{
	double s = 0, q = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += x[i];
	*mean = s / n;
	for (i = 0; i < n; i++)
		q += (x[i] - *mean) * (x[i] - *mean);
	*sd = n > 1 ? sqrt(q / (n - 1)) : NAN;
}

static int cell_fill(struct run_cell *c, const struct run_group *g,
		     const struct result_config *key, const char *metric)
{
	size_t i, two = 0;
	int err;

	c->p = c->p_holm = NAN;
	c->median = c->between_pct = NAN;
	c->runs = calloc(g->nruns, sizeof(*c->runs));
	c->run_median = calloc(g->nruns, sizeof(*c->run_median));
	if (!c->runs || !c->run_median)
		return -ENOMEM;
	for (i = 0; i < g->nruns; i++) {
		const struct result_config *rc = result_folder_match(g->runs[i], key);
		const struct result_series *s = rc ? result_config_series(rc, metric) : NULL;

		if (!s || !s->n)
			continue;
		c->runs[c->m] = (struct stats_run){ s->v, s->n };
		err = stats_median(s->v, s->n, &c->run_median[c->m]);
		if (err)
			return err;
		two += s->n >= 2;
		c->reps += s->n;
		c->m++;
	}
	if (!c->m)
		return 0;
	c->present = true;
	err = stats_median(c->run_median, c->m, &c->median);
	if (err)
		return err;
	if (c->m >= 2) {
		double mean, sd;

		mean_sd(c->run_median, c->m, &mean, &sd);
		c->between_pct = mean != 0 ? 100 * sd / fabs(mean) : NAN;
	}
	/* a zero mean (a counter that never moved) has no CV: no components */
	c->tl_ok = two && !stats_two_level(c->runs, c->m, STATS_ALPHA, &c->tl);
	return 0;
}

static bool all_positive(const struct run_cell *c)
{
	size_t i, j;

	for (i = 0; i < c->m; i++)
		for (j = 0; j < c->runs[i].n; j++)
			if (!(c->runs[i].x[j] > 0))
				return false;
	return true;
}

static int cell_test(struct run_cell *c, const struct run_cell *base)
{
	struct stats_hboot_opts o;
	int err;

	if (!c->present || !base->present || !all_positive(c) || !all_positive(base))
		return 0;
	stats_hboot_opts_default(&o);
	o.stat = STATS_HBOOT_MEDIAN;	/* the statistic the tables show */
	err = stats_hboot_ratio(base->runs, base->m, c->runs, c->m, &o, &c->boot);
	if (err == -ENOMEM)
		return err;
	if (err || !isfinite(c->boot.ratio))
		return 0;
	c->tested = true;
	err = stats_run_test(base->runs, base->m, c->runs, c->m, &c->test);
	if (err == -ENOMEM)
		return err;
	if (!err && c->test.welch_ok && isfinite(c->test.p))
		c->p = c->test.p;
	return 0;
}

/* Holm over the rows of each kernel pair that have a run-level p. */
static int apply_holm(struct run_report *r)
{
	size_t n = r->nrows ? r->nrows : 1, gi, i, m;
	double *p = malloc(n * sizeof(*p)), *adj = malloc(n * sizeof(*adj));
	size_t *idx = malloc(n * sizeof(*idx));
	int err = 0;

	if (!p || !adj || !idx) {
		err = -ENOMEM;
		goto out;
	}
	for (gi = 1; gi < r->ng; gi++) {
		for (i = m = 0; i < r->nrows; i++)
			if (isfinite(r->rows[i].cell[gi].p)) {
				idx[m] = i;
				p[m++] = r->rows[i].cell[gi].p;
			}
		if (!m)
			continue;
		err = stats_holm(p, m, adj);
		if (err)
			goto out;
		for (i = 0; i < m; i++)
			r->rows[idx[i]].cell[gi].p_holm = adj[i];
	}
out:
	free(p);
	free(adj);
	free(idx);
	return err;
}

/* Every run of every group in one list (r->k.f), for the union of the configurations. */
static int gather_runs(struct run_report *r, struct errmsg *e)
{
	struct result_folder **all;
	size_t nall = 0, gi, fi;
	int err;

	for (gi = 0; gi < r->ng; gi++)
		nall += r->g[gi].nruns;
	all = calloc(nall ? nall : 1, sizeof(*all));
	if (!all)
		return errmsg_set(e, -ENOMEM, "out of memory");
	for (gi = 0, nall = 0; gi < r->ng; gi++)
		for (fi = 0; fi < r->g[gi].nruns; fi++)
			all[nall++] = r->g[gi].runs[fi];
	err = report_check_timed(all, nall, e);
	if (err) {
		free(all);
		return err;
	}
	r->k.f = all;
	r->k.nf = nall;
	return 0;
}

static void free_cells(struct run_cell *cell, size_t ng)
{
	size_t gi;

	for (gi = 0; gi < ng; gi++) {
		free(cell[gi].runs);
		free(cell[gi].run_median);
	}
	free(cell);
}

/* One row per configuration that has METRIC in some group, tested against group 0. */
static int add_metric_rows(struct run_report *r, const char *metric, const char *unit,
			   bool primary)
{
	size_t ki, gi;
	int err;

	for (ki = 0; ki < r->k.nkeys; ki++) {
		struct run_row *row = &r->rows[r->nrows];
		bool any = false;

		if (report_metric_redundant(metric, r->k.keys[ki]))
			continue;
		row->key = ki;
		snprintf(row->metric, sizeof(row->metric), "%s", metric);
		memcpy(row->unit, unit, sizeof(row->unit));
		row->primary = primary;
		row->cell = calloc(r->ng, sizeof(*row->cell));
		if (!row->cell)
			return -ENOMEM;
		r->nrows++;
		for (gi = 0; gi < r->ng; gi++) {
			err = cell_fill(&row->cell[gi], &r->g[gi], r->k.keys[ki], metric);
			if (!err && gi)
				err = cell_test(&row->cell[gi], &row->cell[0]);
			if (err)
				return err;
			any |= row->cell[gi].present;
		}
		if (!any) {
			free_cells(row->cell, r->ng);
			r->nrows--;
		}
	}
	return 0;
}

int run_report_build(struct run_group *g, size_t ng, const char *const *metrics,
		     size_t nmetrics, struct run_report *r, struct errmsg *e)
{
	const char *primaries[RESULT_PRIMARY_SERIES];
	size_t mi;
	int err;

	memset(r, 0, sizeof(*r));
	r->g = g;
	r->ng = ng;
	err = gather_runs(r, e);
	if (err)
		return err;
	err = report_collect_keys(&r->k);
	if (err)
		goto fail;
	/* by default the primary series (result/schema.h): those the folders have */
	if (!nmetrics) {
		for (mi = 0; mi < RESULT_PRIMARY_SERIES; mi++)
			primaries[mi] = result_series_column(mi)->name;
		metrics = primaries;
		nmetrics = RESULT_PRIMARY_SERIES;
	}
	r->rows = calloc(nmetrics * r->k.nkeys + 1, sizeof(*r->rows));
	if (!r->rows) {
		err = -ENOMEM;
		goto fail;
	}
	for (mi = 0; mi < nmetrics; mi++) {
		char unit[16] = "";
		bool primary = false;

		if (!metric_in_groups(r, metrics[mi], unit, &primary)) {
			if (metrics == primaries)
				continue;
			err = errmsg_set(e, -EINVAL, "metric '%s' is in none of the folders",
					 metrics[mi]);
			goto fail;
		}
		err = add_metric_rows(r, metrics[mi], unit, primary);
		if (err)
			goto fail;
	}
	err = apply_holm(r);
	if (err)
		goto fail;
	return 0;
fail:
	if (err == -ENOMEM)
		errmsg_set(e, err, "out of memory");
	run_report_release(r);
	return err;
}

void run_report_release(struct run_report *r)
{
	size_t i;

	for (i = 0; i < r->nrows; i++)
		free_cells(r->rows[i].cell, r->ng);
	free(r->rows);
	free(r->k.f);
	free(r->k.keys);
	free(r->k.group);
	memset(r, 0, sizeof(*r));
}

void run_cell_pool(const struct run_cell *a, const struct run_cell *b, double *cvb,
		   double *cvw, double *r, bool *known)
{
	const struct run_cell *c[2] = { a, b };
	double sb = 0, sw = 0, rr = 0;
	size_t i;

	*known = true;
	for (i = 0; i < 2; i++) {
		double w = c[i]->tl_ok && isfinite(c[i]->tl.cv_within) ? c[i]->tl.cv_within : 0;
		double bt = c[i]->tl_ok && c[i]->m >= 2 && isfinite(c[i]->tl.cv_between) ?
			    c[i]->tl.cv_between : NAN;

		if (isnan(bt))
			*known = false;
		else
			sb += bt * bt;
		sw += w * w;
		rr += c[i]->m ? (double)c[i]->reps / c[i]->m : 1;
	}
	*cvb = *known ? sqrt(sb / 2) : NAN;
	*cvw = sqrt(sw / 2);
	*r = rr / 2;
}
