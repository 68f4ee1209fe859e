// SPDX-License-Identifier: GPL-2.0
/*
 * Planning at two levels: which change m runs of r repetitions per side can
 * detect, how many runs a target change needs, and "~N more runs per side".
 */
#include <errno.h>
#include <math.h>

#include <gsl/gsl_cdf.h>

#include "stats/two_level.h"

static bool valid_cvs(double cvb, double cvw)
{
	return isfinite(cvb) && isfinite(cvw) && cvb >= 0 && cvw >= 0;
}

double stats_detectable_change(double cv_between, double cv_within, size_t r, size_t m,
			       double alpha, double beta)
{
	double df, q;

	if (m < 2 || !r || !valid_cvs(cv_between, cv_within) || !(alpha > 0 && alpha < 1) ||
	    !(beta > 0 && beta < 1))
		return NAN;
	df = 2.0 * (m - 1);
	q = gsl_cdf_tdist_Pinv(1 - alpha / 2, df) + gsl_cdf_tdist_Pinv(1 - beta, df);
	return q * sqrt(2 * (cv_between * cv_between + cv_within * cv_within / r) / m);
}

/* The detectable change falls as m grows (both the t quantiles and 1/m do). */
int stats_runs_for_change(double cv_between, double cv_within, size_t r, double target,
			  double alpha, double beta, size_t m_max, size_t *m)
{
	size_t lo = 2, hi = 2;

	if (!(target > 0) || !isfinite(target) || m_max < 2 ||
	    isnan(stats_detectable_change(cv_between, cv_within, r, 2, alpha, beta)))
		return -EINVAL;
	while (stats_detectable_change(cv_between, cv_within, r, hi, alpha, beta) > target) {
		if (hi == m_max)
			return -ERANGE;
		lo = hi + 1;
		hi = hi > m_max / 2 ? m_max : 2 * hi;
	}
	/* lo..hi holds the answer, hi satisfies it */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (stats_detectable_change(cv_between, cv_within, r, mid, alpha, beta) > target)
			lo = mid + 1;
		else
			hi = mid;
	}
	*m = hi;
	return 0;
}

int stats_plan_runs(const struct stats_plan_in *in, struct stats_plan *out)
{
	int err;

	if (!valid_cvs(in->cv_between, in->cv_within))
		return -EINVAL;
	out->r_opt = stats_optimal_reps(in->cv_within * in->cv_within,
					in->cv_between * in->cv_between, in->c1, in->c2,
					in->r_max);
	out->r = in->r ? in->r : out->r_opt;
	out->delta_now = stats_detectable_change(in->cv_between, in->cv_within, out->r,
						 in->m_now, in->alpha, in->beta);
	err = stats_runs_for_change(in->cv_between, in->cv_within, out->r, in->target,
				    in->alpha, in->beta, in->m_max, &out->m_needed);
	out->reachable = !err;
	if (err == -ERANGE)
		out->m_needed = in->m_max;
	else if (err)
		return err;
	out->more_runs = out->m_needed > in->m_now ? out->m_needed - in->m_now : 0;
	return 0;
}
