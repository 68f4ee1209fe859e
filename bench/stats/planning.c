// SPDX-License-Identifier: GPL-2.0
/* How many repetitions per side a decision needs (STATS-NOTES, "Runs needed"). */
#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>

#include "stats/stats.h"

size_t stats_runs_needed(double cv, double delta, double alpha, double beta)
{
	double z = gsl_cdf_ugaussian_Pinv(1 - alpha / 2) + gsl_cdf_ugaussian_Pinv(1 - beta);
	double n = 2 * z * z * (cv / delta) * (cv / delta) / 0.955;
	size_t floor_n = 2;

	/* A rank test with n per side cannot go below 2/C(2n,n). */
	while (floor_n < 64 && 2.0 / gsl_sf_choose(2 * floor_n, floor_n) > alpha)
		floor_n++;
	if (!isfinite(n) || n > 1e6)
		n = 1e6;
	n = ceil(n);
	return n < floor_n ? floor_n : (size_t)n;
}
