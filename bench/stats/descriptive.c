// SPDX-License-Identifier: GPL-2.0
/* Per-configuration summary: location, spread and their confidence intervals. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "stats/stats.h"

/* A sorted copy of X[N] (N > 0), to free; NULL when out of memory. */
static double *sorted_copy(const double *x, size_t n)
{
	double *c = malloc(n * sizeof(*c));

	if (!c)
		return NULL;
	memcpy(c, x, n * sizeof(*c));
	gsl_sort(c, 1, n);
	return c;
}

int stats_median(const double *x, size_t n, double *out)
{
	double *c;

	if (!n)
		return -EINVAL;
	c = sorted_copy(x, n);
	if (!c)
		return -ENOMEM;
	*out = gsl_stats_median_from_sorted_data(c, 1, n);
	free(c);
	return 0;
}

size_t stats_median_ci_rank(size_t n, double alpha, double *coverage)
{
	size_t l = 1;

	if (!n) {
		if (coverage)
			*coverage = NAN;
		return 0;
	}
	/* P(Bin(n,1/2) <= l-1) <= alpha/2, the largest such l; fall back to
	 * [min, max] when even that misses the level (n <= 5) and say so
	 * through the achieved coverage. */
	while (l + 1 <= (n + 1) / 2 && gsl_cdf_binomial_P(l, 0.5, n) <= alpha / 2)
		l++;
	if (coverage)
		*coverage = 1.0 - 2.0 * gsl_cdf_binomial_P(l - 1, 0.5, n);
	return l;
}

int stats_summary(const double *x, size_t n, double alpha, struct stats_summary *s)
{
	double *c;
	size_t i, l;

	memset(s, 0, sizeof(*s));
	if (!n)
		return -EINVAL;
	c = sorted_copy(x, n);
	if (!c)
		return -ENOMEM;
	s->n = n;
	s->min = c[0];
	s->max = c[n - 1];
	s->median = gsl_stats_median_from_sorted_data(c, 1, n);
	s->mean = gsl_stats_mean(c, 1, n);
	s->sd = n > 1 ? gsl_stats_sd_m(c, 1, n, s->mean) : 0.0;
	s->cv = s->mean != 0.0 ? s->sd / fabs(s->mean) : NAN;
	if (n > 1) {
		double h = gsl_cdf_tdist_Pinv(1.0 - alpha / 2, n - 1) * s->sd / sqrt(n);

		s->mean_lo = s->mean - h;
		s->mean_hi = s->mean + h;
	} else {
		s->mean_lo = s->mean_hi = NAN;
	}
	l = stats_median_ci_rank(n, alpha, &s->med_cover);
	s->med_lo = c[l - 1];
	s->med_hi = c[n - l];
	for (i = 0; i < n; i++)
		c[i] = fabs(x[i] - s->median);
	gsl_sort(c, 1, n);
	s->mad = 1.4826 * gsl_stats_median_from_sorted_data(c, 1, n);
	free(c);
	return 0;
}
