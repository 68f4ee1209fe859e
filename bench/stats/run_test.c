// SPDX-License-Identifier: GPL-2.0
/*
 * Significance at the run level: each run is summarised by its median and
 * the runs are the samples, so drift between runs is not read as a change.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "stats/two_level.h"

/* ln of each run's median into @lnmed, the medians into @med. */
static int run_medians(const struct stats_run *runs, size_t m, double *med, double *lnmed)
{
	size_t i, j;
	int err;

	for (i = 0; i < m; i++) {
		if (!runs[i].x || !runs[i].n)
			return -EINVAL;
		for (j = 0; j < runs[i].n; j++) {
			if (!isfinite(runs[i].x[j]))
				return -EINVAL;
			if (!(runs[i].x[j] > 0))
				return -EDOM;
		}
		err = stats_median(runs[i].x, runs[i].n, &med[i]);
		if (err)
			return err;
		lnmed[i] = log(med[i]);
	}
	return 0;
}

int stats_run_test(const struct stats_run *a, size_t ma, const struct stats_run *b,
		   size_t mb, struct stats_run_test *out)
{
	double *buf, *meda, *medb, *lna, *lnb, ca, cb;
	int err;

	if (!ma || !mb || !a || !b)
		return -EINVAL;
	buf = malloc(2 * (ma + mb) * sizeof(*buf));
	if (!buf)
		return -ENOMEM;
	meda = buf;
	medb = meda + ma;
	lna = medb + mb;
	lnb = lna + ma;
	err = run_medians(a, ma, meda, lna);
	if (!err)
		err = run_medians(b, mb, medb, lnb);
	if (!err)
		err = stats_median(meda, ma, &ca);
	if (!err)
		err = stats_median(medb, mb, &cb);
	if (err)
		goto out;
	memset(out, 0, sizeof(*out));
	out->ma = ma;
	out->mb = mb;
	out->ratio = cb / ca;
	out->t = out->df = out->p = NAN;
	out->welch_ok = ma >= 2 && mb >= 2;
	if (out->welch_ok)
		err = stats_welch(lna, ma, lnb, mb, &out->t, &out->df, &out->p);
	out->rank_ok = ma >= STATS_RUN_RANK_MIN && mb >= STATS_RUN_RANK_MIN;
	if (!err && out->rank_ok)
		err = stats_mwu(meda, ma, medb, mb, &out->mwu);
out:
	free(buf);
	return err;
}

/* The sum of squared deviations of @x (@n) from their mean. */
static double sum_squares(const double *x, size_t n)
{
	double m = gsl_stats_mean(x, 1, n);

	return n > 1 ? gsl_stats_variance_m(x, 1, n, m) * (n - 1) : 0;
}

/*
 * Student's t on ln run medians, B - A, with the variance pooled over A, B
 * and A/A history C (repeated runs of one kernel and job, not part of A or
 * B): the history adds degrees of freedom to the estimate of the drift
 * between runs, which three runs a side cannot pin down (STATS-NOTES.md
 * "Two levels").  It assumes one run-to-run variance for all three; A and
 * B still contribute theirs, weighted by their degrees of freedom, and when
 * they drift more than the history (F test, one-sided, at STATS_ALPHA) the
 * history does not describe them: -EDOM, and the caller keeps Welch.
 */
int stats_run_test_pooled(const struct stats_run *a, size_t ma, const struct stats_run *b,
			  size_t mb, const struct stats_run *c, size_t mc, double *t, double *df,
			  double *p)
{
	size_t n = ma + mb + mc;
	double *med, *ln, ss, s2, d;
	int err;

	if (!ma || !mb || mc < 2 || !a || !b || !c)
		return -EINVAL;
	med = malloc(2 * n * sizeof(*med));
	if (!med)
		return -ENOMEM;
	ln = med + n;
	err = run_medians(a, ma, med, ln);
	if (!err)
		err = run_medians(b, mb, med + ma, ln + ma);
	if (!err)
		err = run_medians(c, mc, med + ma + mb, ln + ma + mb);
	if (err)
		goto out;
	ss = sum_squares(ln, ma) + sum_squares(ln + ma, mb);
	/* pooling assumes one variance: refuse sides that drift more than the history */
	if (ma + mb > 2) {
		double sc = sum_squares(ln + ma + mb, mc) / (mc - 1);
		double f = sc > 0 ? ss / (ma + mb - 2) / sc : INFINITY;

		if (gsl_cdf_fdist_Q(f, ma + mb - 2, mc - 1) < STATS_ALPHA) {
			err = -EDOM;
			goto out;
		}
	}
	ss += sum_squares(ln + ma + mb, mc);
	*df = (double)n - 3;	/* (ma - 1) + (mb - 1) + (mc - 1) */
	s2 = ss / *df;
	d = gsl_stats_mean(ln + ma, 1, mb) - gsl_stats_mean(ln, 1, ma);
	if (s2 <= 0) {
		*t = 0;
		*p = d == 0 ? 1.0 : 0.0;
		goto out;
	}
	*t = d / sqrt(s2 * (1.0 / ma + 1.0 / mb));
	*p = fmin(1.0, 2.0 * gsl_cdf_tdist_Q(fabs(*t), *df));
out:
	free(med);
	return err;
}
