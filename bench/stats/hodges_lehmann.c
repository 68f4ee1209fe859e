// SPDX-License-Identifier: GPL-2.0
/*
 * Hodges-Lehmann shift on log values, reported as a ratio B/A: the median of
 * the nA*nB pairwise differences ln b_j - ln a_i.  The CI takes the k-th
 * smallest and largest differences with k from the normal approximation of
 * the U distribution, k = max(1, floor(M/2 - z(1-alpha/2) sqrt(M(N+1)/12)))
 * (no tie correction: ties only make it slightly conservative).  When even
 * k = 1 cannot reach the level (2/C(N,nA) > alpha, e.g. 3 vs 3: the range of
 * all differences covers only 90%) the CI is reported as [0, inf]: there is
 * no CI at that level, and a narrow one would let gate claim NO-CHANGE.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "stats/stats.h"

int stats_hl_ratio(const double *a, size_t na, const double *b, size_t nb, double alpha,
		   struct stats_ratio *r)
{
	size_t m = na * nb, n = na + nb, i, j, k;
	double *d, kf;

	if (!na || !nb)
		return -EINVAL;
	for (i = 0; i < na; i++)
		if (!(a[i] > 0))
			return -EINVAL;
	for (j = 0; j < nb; j++)
		if (!(b[j] > 0))
			return -EINVAL;
	d = malloc(m * sizeof(*d));
	if (!d)
		return -ENOMEM;
	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++)
			d[i * nb + j] = log(b[j]) - log(a[i]);
	gsl_sort(d, 1, m);
	r->ratio = exp(gsl_stats_median_from_sorted_data(d, 1, m));
	kf = floor(m / 2.0 - gsl_cdf_ugaussian_Pinv(1.0 - alpha / 2) *
		   sqrt(m * (n + 1) / 12.0));
	k = kf < 1 ? 1 : (size_t)kf;
	if (k > (m + 1) / 2)
		k = (m + 1) / 2;
	r->lo = exp(d[k - 1]);
	r->hi = exp(d[m - k]);
	if (stats_mwu_min_p(na, nb) > alpha) {
		r->lo = 0;
		r->hi = INFINITY;
	}
	free(d);
	return 0;
}
