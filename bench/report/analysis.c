// SPDX-License-Identifier: GPL-2.0
/* Summaries, tests against the baseline, Holm families, scaling fits. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/parse.h"
#include "report/analysis.h"

bool report_same_group(const struct result_config *a, const struct result_config *b)
{
	return !strcmp(a->workload, b->workload) && !strcmp(a->backing, b->backing) &&
	       !strcmp(a->lock, b->lock) && a->plain == b->plain && a->size == b->size &&
	       !strcmp(a->extra, b->extra);
}

void report_group_describe(const struct result_config *c, char *buf, size_t len)
{
	char sz[32];

	format_size(c->size, sz, sizeof(sz));
	snprintf(buf, len, "%s %s %s plain=%llu size=%s%s%s", c->workload, c->backing, c->lock,
		 c->plain, sz, c->extra[0] ? " " : "", c->extra);
}

const char *report_scale(const char *unit, double maxabs, double *div)
{
	*div = 1;
	if (!strcmp(unit, "ns")) {
		if (maxabs >= 1e8) {
			*div = 1e9;
			return "s";
		}
		if (maxabs >= 1e5) {
			*div = 1e6;
			return "ms";
		}
		if (maxabs >= 1e2) {
			*div = 1e3;
			return "us";
		}
		return "ns";
	}
	if (!strcmp(unit, "us") && maxabs >= 1e5) {
		*div = 1e3;
		return "ms";
	}
	return unit;
}

double report_change(enum metric_direction d, double v, double base)
{
	if (base == 0)
		return NAN;
	switch (d) {
	case METRIC_LOWER_BETTER:
		return 100.0 * (1.0 - v / base);
	case METRIC_HIGHER_BETTER:
		return 100.0 * (v / base - 1.0);
	case METRIC_INFO:
		break;
	}
	return NAN;
}

const char *report_direction_name(enum metric_direction d)
{
	switch (d) {
	case METRIC_LOWER_BETTER:
		return "lower is better";
	case METRIC_HIGHER_BETTER:
		return "higher is better";
	case METRIC_INFO:
		break;
	}
	return "informational";
}

/*
 * samples.csv's columns are times (lower is better); a metrics.csv series
 * "collector.metric" goes as its collector declares it, informational when
 * nobody does.
 */
static enum metric_direction series_direction(const struct result_series *s)
{
	return s->from_samples ? METRIC_LOWER_BETTER : collector_metric_direction(s->name);
}

void report_metric_label(const char *metric, char *buf, size_t len)
{
	size_t l;

	snprintf(buf, len, "%s", metric);
	l = strlen(buf);
	if (l > 3 && (!strcmp(buf + l - 3, "_ns") || !strcmp(buf + l - 3, "_us")))
		buf[l - 3] = 0;
}

struct key_sort {
	const struct result_config *c;
	size_t group, order;
};

static int key_cmp(const void *x, const void *y)
{
	const struct key_sort *a = x, *b = y;

	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	if (a->c->procs != b->c->procs)
		return a->c->procs < b->c->procs ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* By configuration, then first seen first: the first of equal ones is the key. */
static int same_key_cmp(const void *x, const void *y)
{
	const struct key_sort *a = x, *b = y;
	int d = result_config_cmp(a->c, b->c);

	return d ? d : a->order < b->order ? -1 : a->order > b->order;
}

/* The group's parameters (all but procs), then first seen first. */
static int group_cmp(const void *x, const void *y)
{
	const struct key_sort *a = x, *b = y;
	int d = strcmp(a->c->workload, b->c->workload);

	if (!d)
		d = strcmp(a->c->backing, b->c->backing);
	if (!d)
		d = strcmp(a->c->lock, b->c->lock);
	if (!d)
		d = a->c->plain < b->c->plain ? -1 : a->c->plain > b->c->plain;
	if (!d)
		d = a->c->size < b->c->size ? -1 : a->c->size > b->c->size;
	if (!d)
		d = strcmp(a->c->extra, b->c->extra);
	return d ? d : a->order < b->order ? -1 : a->order > b->order;
}

static int order_cmp(const void *x, const void *y)
{
	const struct key_sort *a = x, *b = y;

	return a->order < b->order ? -1 : a->order > b->order;
}

/*
 * The union of the folders' configurations, first seen first, numbered
 * into groups in the order their first member was seen, then sorted by
 * group and procs.  By sorting, not pairwise: thousands of configurations
 * per folder are normal for a sweep.
 */
static int collect_keys(struct report *r)
{
	struct key_sort *ks;
	size_t i, j, n = 0, total = 0, ng;

	for (i = 0; i < r->nf; i++)
		total += r->f[i]->nconfigs;
	ks = calloc(total ? total : 1, sizeof(*ks));
	r->keys = calloc(total ? total : 1, sizeof(*r->keys));
	r->group = calloc(total ? total : 1, sizeof(*r->group));
	if (!ks || !r->keys || !r->group) {
		free(ks);
		return -ENOMEM;
	}
	for (i = 0; i < r->nf; i++)
		for (j = 0; j < r->f[i]->nconfigs; j++)
			if (r->f[i]->configs[j].nseries) {
				ks[n] = (struct key_sort){ &r->f[i]->configs[j], 0, n };
				n++;
			}
	if (n) {
		qsort(ks, n, sizeof(*ks), same_key_cmp);
		for (i = j = 0; i < n; i++)
			if (!j || result_config_cmp(ks[j - 1].c, ks[i].c))
				ks[j++] = ks[i];
		n = j;
		/* provisional group numbers: runs of equal parameters */
		qsort(ks, n, sizeof(*ks), group_cmp);
		for (i = 0, ng = 0; i < n; i++) {
			ng += i && !report_same_group(ks[i - 1].c, ks[i].c);
			ks[i].group = ng;
		}
		qsort(ks, n, sizeof(*ks), order_cmp);
	}
	/*
	 * Renumber the groups in first-seen order: walking by order, a member
	 * whose group has no number yet opens the next one (gnum[g] is it + 1).
	 */
	{
		size_t *gnum = calloc(n ? n : 1, sizeof(*gnum));

		if (!gnum) {
			free(ks);
			return -ENOMEM;
		}
		for (i = 0; i < n; i++) {
			if (!gnum[ks[i].group])
				gnum[ks[i].group] = ++r->ngroups;
			ks[i].group = gnum[ks[i].group] - 1;
		}
		free(gnum);
	}
	if (n)
		qsort(ks, n, sizeof(*ks), key_cmp);
	for (i = 0; i < n; i++) {
		r->keys[i] = ks[i].c;
		r->group[i] = ks[i].group;
	}
	r->nkeys = n;
	free(ks);
	return 0;
}

int report_collect_keys(struct report *r)
{
	return collect_keys(r);
}

bool report_metric_redundant(const char *metric, const struct result_config *c)
{
	return !strcmp(metric, "lat_max_ns") && !strcmp(c->workload, "exit");
}

static bool metric_anywhere(const struct report *r, const char *name, char *unit,
			    bool *primary, enum metric_direction *dir)
{
	size_t i, j;

	for (i = 0; i < r->nf; i++)
		for (j = 0; j < r->f[i]->nconfigs; j++) {
			const struct result_series *s =
				result_config_series(&r->f[i]->configs[j], name);

			if (s) {
				snprintf(unit, 16, "%s", s->unit);
				*primary = s->primary;
				if (dir)
					*dir = series_direction(s);
				return true;
			}
		}
	return false;
}

size_t report_primary_metrics(struct result_folder *const *f, size_t nf, const char **out,
			      size_t max)
{
	struct report r = { .f = (struct result_folder **)f, .nf = nf };
	size_t i, n = 0;

	for (i = 0; i < RESULT_PRIMARY_SERIES && n < max; i++) {
		const char *name = result_series_column(i)->name;
		char unit[16];
		bool pri;

		if (metric_anywhere(&r, name, unit, &pri, NULL))
			out[n++] = name;
	}
	return n;
}

/* Append NAME to the growing array *V of *N names (room for *CAP). */
static int names_add(char (**v)[96], size_t *n, size_t *cap, const char *name)
{
	if (*n == *cap) {
		void *nv = realloc(*v, (*cap ? 2 * *cap : 32) * sizeof(**v));

		if (!nv)
			return -ENOMEM;
		*v = nv;
		*cap = *cap ? 2 * *cap : 32;
	}
	snprintf((*v)[(*n)++], 96, "%s", name);
	return 0;
}

/* Metric names: samples.csv columns first, then metrics.csv in first-seen order. */
static int collect_metrics(const struct report *r, char (**names)[96], size_t *n)
{
	size_t i, j, k, l, cap = 0;
	char (*v)[96] = NULL;

	*n = 0;
	for (i = 0; i < result_series_count(); i++) {
		const char *name = result_series_column(i)->name;
		char unit[16];
		bool pri;

		if (!metric_anywhere(r, name, unit, &pri, NULL))
			continue;
		if (names_add(&v, n, &cap, name))
			goto nomem;
	}
	for (i = 0; i < r->nf; i++)
		for (j = 0; j < r->f[i]->nconfigs; j++)
			for (k = 0; k < r->f[i]->configs[j].nseries; k++) {
				const struct result_series *s = &r->f[i]->configs[j].series[k];

				if (s->from_samples)
					continue;
				for (l = 0; l < *n; l++)
					if (!strcmp(v[l], s->name))
						break;
				if (l < *n)
					continue;
				if (names_add(&v, n, &cap, s->name))
					goto nomem;
			}
	*names = v;
	return 0;
nomem:
	free(v);
	return -ENOMEM;
}

static int cell_fill(struct report_cell *c, const struct result_series *s,
		     const struct report_cell *base, enum metric_direction dir)
{
	unsigned char *fl;
	size_t i;
	int err;

	c->p_holm = 1.0;
	c->change = NAN;
	if (!s || !s->n)
		return 0;
	c->present = true;
	c->series = s;
	err = stats_summary(s->v, s->n, STATS_ALPHA, &c->s);
	if (err)
		return err;
	fl = malloc(s->n);
	if (!fl)
		return -ENOMEM;
	err = stats_outliers(s->v, s->n, fl, NULL);
	for (i = 0; i < s->n; i++) {
		c->outliers += fl[i] == 1;
		c->extreme += fl[i] == 2;
	}
	free(fl);
	if (err || !base || !base->present)
		return err;
	c->change = report_change(dir, c->s.mean, base->s.mean);
	if (base->s.n < 2 || s->n < 2)
		return 0;
	err = stats_mwu(base->series->v, base->series->n, s->v, s->n, &c->mwu);
	if (err)
		return err;
	c->tested = true;
	c->hl.ratio = c->hl.lo = c->hl.hi = NAN;
	c->boot = c->hl;
	/* Ratios need positive values (a zero count has no ratio). */
	if (stats_hl_ratio(base->series->v, base->series->n, s->v, s->n, STATS_ALPHA, &c->hl))
		c->hl.ratio = c->hl.lo = c->hl.hi = NAN;
	/*
	 * Equivalence is two one-sided tests at alpha (Schuirmann's TOST): the
	 * 1-2alpha interval.  Only where the alpha interval exists, so runs too
	 * few for any rank test never read as "no change".
	 */
	c->hl_tost = c->hl;
	if (isfinite(c->hl.hi) && c->hl.hi > 0 &&
	    stats_hl_ratio(base->series->v, base->series->n, s->v, s->n, 2 * STATS_ALPHA,
			   &c->hl_tost))
		c->hl_tost.lo = c->hl_tost.hi = NAN;
	if (stats_boot_median_ratio(base->series->v, base->series->n, s->v, s->n, STATS_ALPHA,
				    STATS_BOOT_SEED, STATS_BOOT_RESAMPLES, &c->boot))
		c->boot.ratio = c->boot.lo = c->boot.hi = NAN;
	/* As for Hodges-Lehmann: with so few runs that no rank test could reach
	 * alpha, a percentile interval from a handful of distinct resampled
	 * medians would look far more certain than it is. */
	if (stats_mwu_min_p(base->series->n, s->n) > STATS_ALPHA && isfinite(c->boot.ratio)) {
		c->boot.lo = 0;
		c->boot.hi = INFINITY;
	}
	return 0;
}

static int apply_holm(struct report *r, enum report_holm mode)
{
	double *p = malloc((r->nrows ? r->nrows : 1) * sizeof(*p));
	double *adj = malloc((r->nrows ? r->nrows : 1) * sizeof(*adj));
	size_t *idx = malloc((r->nrows ? r->nrows : 1) * sizeof(*idx));
	size_t fi, i, m;
	int fam, err = 0;

	if (!p || !adj || !idx) {
		err = -ENOMEM;
		goto out;
	}
	for (fi = 1; fi < r->nf; fi++)
		for (fam = 0; fam < (mode == REPORT_HOLM_ALL ? 1 : 2); fam++) {
			for (i = m = 0; i < r->nrows; i++) {
				struct report_cell *c = &r->rows[i].cell[fi];

				if (!c->tested)
					continue;
				if (mode == REPORT_HOLM_SPLIT && r->rows[i].primary != !fam)
					continue;
				idx[m] = i;
				p[m++] = c->mwu.p;
			}
			err = stats_holm(p, m, adj);
			if (err)
				goto out;
			for (i = 0; i < m; i++)
				r->rows[idx[i]].cell[fi].p_holm = adj[i];
		}
out:
	free(p);
	free(adj);
	free(idx);
	return err;
}

static int build_fits(struct report *r)
{
	double *x = malloc((r->nkeys ? r->nkeys : 1) * sizeof(*x));
	double *y = malloc((r->nkeys ? r->nkeys : 1) * sizeof(*y));
	size_t g, fi, i, k;
	int err = 0;

	r->fits = calloc(r->ngroups * r->nf + 1, sizeof(*r->fits));
	if (!x || !y || !r->fits) {
		err = -ENOMEM;
		goto out;
	}
	for (g = 0; g < r->ngroups; g++)
		for (fi = 0; fi < r->nf; fi++) {
			struct report_fit *fit = &r->fits[r->nfits++];
			size_t distinct = 0;

			fit->folder = fi;
			fit->key = SIZE_MAX;
			for (i = k = 0; i < r->nkeys; i++) {
				const struct result_config *c;
				const struct result_series *s;
				double med;

				if (r->group[i] != g)
					continue;
				if (fit->key == SIZE_MAX)
					fit->key = i;
				c = result_folder_match(r->f[fi], r->keys[i]);
				s = c ? result_config_series(c, "teardown_ns") : NULL;
				if (!s || !s->n || stats_median(s->v, s->n, &med) || !(med > 0))
					continue;
				if (!k || x[k - 1] != (double)r->keys[i]->procs)
					distinct++;
				x[k] = r->keys[i]->procs;
				y[k++] = med;
			}
			fit->ok = distinct >= 3 && k >= 3 &&
				  !stats_powerfit(x, y, k, STATS_ALPHA, &fit->fit);
		}
out:
	free(x);
	free(y);
	return err;
}

int report_check_timed(struct result_folder *const *f, size_t nf, struct errmsg *e)
{
	size_t fi, ki;

	for (fi = 0; fi < nf; fi++) {
		size_t timed = 0;

		for (ki = 0; ki < f[fi]->nconfigs; ki++)
			timed += f[fi]->configs[ki].nrows;
		if (!timed)
			return errmsg_set(e, -ENODATA, "%s has no timed repetitions (no samples.csv "
					  "row that is neither warm-up nor instrumented)",
					  f[fi]->path);
	}
	return 0;
}

/*
 * The metrics to report: the asked ones (each must be in some folder) or,
 * with none asked, every metric of the folders.  *NAMES is the caller's to free.
 */
static int pick_metrics(const struct report *r, const char *const *metrics, size_t nmetrics,
			char (**names)[96], size_t *nnames, struct errmsg *e)
{
	size_t mi;

	if (!nmetrics)
		return collect_metrics(r, names, nnames);
	*names = calloc(nmetrics, sizeof(**names));
	if (!*names)
		return -ENOMEM;
	for (mi = 0; mi < nmetrics; mi++) {
		char unit[16];
		bool pri;

		if (!metric_anywhere(r, metrics[mi], unit, &pri, NULL))
			return errmsg_set(e, -EINVAL, "metric '%s' is in none of the folders",
					  metrics[mi]);
		snprintf((*names)[mi], 96, "%s", metrics[mi]);
	}
	*nnames = nmetrics;
	return 0;
}

/* One row per configuration that has metric NAME in some folder. */
static int add_metric_rows(struct report *r, const char *name)
{
	enum metric_direction dir = METRIC_INFO;
	char unit[16] = "";
	bool primary = false;
	size_t ki, fi;
	int err;

	/* once per metric: it walks every series of every folder */
	metric_anywhere(r, name, unit, &primary, &dir);
	for (ki = 0; ki < r->nkeys; ki++) {
		struct report_row *row = &r->rows[r->nrows];
		bool any = false;

		if (report_metric_redundant(name, r->keys[ki]))
			continue;

		row->key = ki;
		snprintf(row->metric, sizeof(row->metric), "%s", name);
		memcpy(row->unit, unit, sizeof(row->unit));
		row->primary = primary;
		row->direction = dir;
		row->cell = calloc(r->nf, sizeof(*row->cell));
		if (!row->cell)
			return -ENOMEM;
		r->nrows++;
		for (fi = 0; fi < r->nf; fi++) {
			const struct result_config *c = result_folder_match(r->f[fi], r->keys[ki]);
			const struct result_series *s = c ? result_config_series(c, name) : NULL;

			err = cell_fill(&row->cell[fi], s, fi ? &row->cell[0] : NULL, dir);
			if (err)
				return err;
			any |= row->cell[fi].present;
		}
		if (!any) {	/* metric not collected for this configuration */
			free(row->cell);
			r->nrows--;
			continue;
		}
		for (fi = 0; fi < r->nf; fi++)
			r->nmissing += !row->cell[fi].present;
	}
	return 0;
}

int report_build(struct result_folder **f, size_t nf, const char *const *metrics,
		 size_t nmetrics, enum report_holm holm, struct report *r, struct errmsg *e)
{
	char (*names)[96] = NULL;
	size_t nnames = 0, mi;
	int err;

	memset(r, 0, sizeof(*r));
	r->f = f;
	r->nf = nf;
	err = report_check_timed(f, nf, e);
	if (err)
		return err;
	err = collect_keys(r);
	if (!err)
		err = pick_metrics(r, metrics, nmetrics, &names, &nnames, e);
	if (err)
		goto fail;
	r->rows = calloc(nnames * r->nkeys + 1, sizeof(*r->rows));
	if (!r->rows) {
		err = -ENOMEM;
		goto fail;
	}
	for (mi = 0; mi < nnames && !err; mi++)
		err = add_metric_rows(r, names[mi]);
	if (!err)
		err = apply_holm(r, holm);
	if (!err)
		err = build_fits(r);
	if (err)
		goto fail;
	free(names);
	return 0;
fail:
	if (err == -ENOMEM)
		errmsg_set(e, err, "out of memory");
	free(names);
	report_release(r);
	return err;
}

void report_release(struct report *r)
{
	size_t i;

	for (i = 0; i < r->nrows; i++)
		free(r->rows[i].cell);
	free(r->rows);
	free(r->keys);
	free(r->group);
	free(r->fits);
	memset(r, 0, sizeof(*r));
}
