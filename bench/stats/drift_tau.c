// SPDX-License-Identifier: GPL-2.0
/*
 * The gate's threshold from the runs: a change smaller than what ordinary
 * run-to-run drift produces between two series of the same kernel is not a
 * regression, however significant.
 */
#include <errno.h>
#include <math.h>

#include "stats/two_level.h"

int stats_drift_tau(double cv_between, double cv_within, size_t r, size_t m,
		    double cvb_prior, double k, double tau_min, struct stats_tau *out)
{
	double cvb = cv_between, var;

	if (!m || !r || !isfinite(cv_within) || cv_within < 0 || !(k > 0) || !isfinite(k) ||
	    !(tau_min >= 0) || !isfinite(tau_min))
		return -EINVAL;
	out->assumed = m < 2 || !isfinite(cvb);
	if (out->assumed)
		cvb = cvb_prior;
	if (!isfinite(cvb) || cvb < 0)
		return -EINVAL;
	var = 2 * (cvb * cvb + cv_within * cv_within / r) / m;
	out->se = sqrt(var);
	out->tau = fmax(tau_min, expm1(k * out->se));
	return 0;
}
