// SPDX-License-Identifier: GPL-2.0
/*
 * Hierarchical bootstrap of statistic(B)/statistic(A): resample runs, then
 * repetitions inside each drawn run, so that the CI covers the between-run
 * drift as well as the noise inside a run.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "stats/two_level.h"

struct hboot_buf {
	double *reps;	/* one run's resampled repetitions */
	double *runs;	/* the per-run statistics of one resample */
};

void stats_hboot_opts_default(struct stats_hboot_opts *o)
{
	o->stat = STATS_HBOOT_MEAN;
	o->alpha = STATS_ALPHA;
	o->seed = STATS_BOOT_SEED;
	o->resamples = STATS_BOOT_RESAMPLES;
}

static double median_inplace(double *x, size_t n)
{
	gsl_sort(x, 1, n);
	return gsl_stats_median_from_sorted_data(x, 1, n);
}

static double run_stat(enum stats_hboot_stat stat, double *x, size_t n)
{
	return stat == STATS_HBOOT_MEDIAN ? median_inplace(x, n) : gsl_stats_mean(x, 1, n);
}

/* The statistic of one side; @rng NULL: of the data itself. */
static double side_stat(gsl_rng *rng, enum stats_hboot_stat stat, const struct stats_run *runs,
			size_t m, struct hboot_buf *buf)
{
	size_t i, j;

	for (i = 0; i < m; i++) {
		const struct stats_run *run = rng ? &runs[gsl_rng_uniform_int(rng, m)] : &runs[i];

		for (j = 0; j < run->n; j++)
			buf->reps[j] = run->x[rng ? gsl_rng_uniform_int(rng, run->n) : j];
		buf->runs[i] = run_stat(stat, buf->reps, run->n);
	}
	return run_stat(stat, buf->runs, m);
}

static int check_side(const struct stats_run *runs, size_t m, size_t *max_n)
{
	struct stats_runs_shape sh;
	int err = stats_runs_check(runs, m, &sh);

	if (!err && sh.max_n > *max_n)
		*max_n = sh.max_n;
	return err;
}

static int buf_alloc(struct hboot_buf *buf, const struct stats_run *a, size_t ma,
		     const struct stats_run *b, size_t mb)
{
	size_t max_n = 0;
	int err = check_side(a, ma, &max_n);

	if (!err)
		err = check_side(b, mb, &max_n);
	if (err)
		return err;
	buf->reps = malloc(max_n * sizeof(double));
	buf->runs = malloc((ma > mb ? ma : mb) * sizeof(double));
	if (!buf->reps || !buf->runs) {
		free(buf->reps);
		free(buf->runs);
		return -ENOMEM;
	}
	return 0;
}

int stats_hboot_draws(const struct stats_run *a, size_t ma, const struct stats_run *b,
		      size_t mb, const struct stats_hboot_opts *o, double *draws)
{
	struct hboot_buf buf;
	gsl_rng *rng;
	size_t k;
	int err;

	if (!o->resamples || (o->stat != STATS_HBOOT_MEAN && o->stat != STATS_HBOOT_MEDIAN))
		return -EINVAL;
	err = buf_alloc(&buf, a, ma, b, mb);
	if (err)
		return err;
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!rng) {
		err = -ENOMEM;
		goto out;
	}
	gsl_rng_set(rng, o->seed);
	for (k = 0; k < o->resamples; k++) {
		double sa = side_stat(rng, o->stat, a, ma, &buf);
		double sb = side_stat(rng, o->stat, b, mb, &buf);

		draws[k] = sa != 0 ? sb / sa : NAN;
	}
	gsl_rng_free(rng);
out:
	free(buf.reps);
	free(buf.runs);
	return err;
}

int stats_hboot_ratio(const struct stats_run *a, size_t ma, const struct stats_run *b,
		      size_t mb, const struct stats_hboot_opts *o, struct stats_hboot *out)
{
	struct hboot_buf buf;
	double sa, sb, *draws;
	size_t k, valid = 0;
	int err;

	if (!(o->alpha > 0 && o->alpha < 1) || o->resamples > SIZE_MAX / sizeof(double))
		return -EINVAL;
	err = buf_alloc(&buf, a, ma, b, mb);
	if (err)
		return err;
	sa = side_stat(NULL, o->stat, a, ma, &buf);
	sb = side_stat(NULL, o->stat, b, mb, &buf);
	free(buf.reps);
	free(buf.runs);
	if (sa == 0)
		return -EDOM;
	draws = malloc(o->resamples * sizeof(*draws));
	if (!draws)
		return -ENOMEM;
	err = stats_hboot_draws(a, ma, b, mb, o, draws);
	if (err)
		goto out;
	for (k = 0; k < o->resamples; k++)
		if (!isnan(draws[k]))
			draws[valid++] = draws[k];
	if (!valid) {
		err = -EDOM;
		goto out;
	}
	gsl_sort(draws, 1, valid);
	out->ratio = sb / sa;
	out->lo = gsl_stats_quantile_from_sorted_data(draws, 1, valid, o->alpha / 2);
	out->hi = gsl_stats_quantile_from_sorted_data(draws, 1, valid, 1 - o->alpha / 2);
	out->valid = valid;
	out->within_only = ma < 2 || mb < 2;
out:
	free(draws);
	return err;
}
