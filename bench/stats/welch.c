// SPDX-License-Identifier: GPL-2.0
/* Welch's t test of mean(B) - mean(A): shown next to the rank test, not gated. */
#include <errno.h>
#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "stats/stats.h"

int stats_welch(const double *a, size_t na, const double *b, size_t nb, double *t,
		double *df, double *p)
{
	double ma, mb, va, vb, se2;

	if (na < 2 || nb < 2)
		return -EINVAL;
	ma = gsl_stats_mean(a, 1, na);
	mb = gsl_stats_mean(b, 1, nb);
	va = gsl_stats_variance_m(a, 1, na, ma) / na;
	vb = gsl_stats_variance_m(b, 1, nb, mb) / nb;
	se2 = va + vb;
	if (se2 <= 0) {
		*t = 0;
		*df = na + nb - 2;
		*p = ma == mb ? 1.0 : 0.0;
		return 0;
	}
	*t = (mb - ma) / sqrt(se2);
	*df = se2 * se2 / (va * va / (na - 1) + vb * vb / (nb - 1));
	*p = fmin(1.0, 2.0 * gsl_cdf_tdist_Q(fabs(*t), *df));
	return 0;
}
