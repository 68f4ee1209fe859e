// SPDX-License-Identifier: GPL-2.0
/* Scaling law T = c P^b fitted as a line in log-log space (gsl_fit_linear). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fit.h>

#include "stats/stats.h"

int stats_powerfit(const double *x, const double *y, size_t k, double alpha,
		   struct stats_powerfit *f)
{
	double *lx, *ly, c0, c1, cov00, cov01, cov11, sumsq, mean = 0, tss = 0, h;
	size_t i;
	int err = 0;

	if (k < 3)
		return -EINVAL;
	lx = malloc(k * sizeof(*lx));
	ly = malloc(k * sizeof(*ly));
	if (!lx || !ly) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < k; i++) {
		if (!(x[i] > 0) || !(y[i] > 0)) {
			err = -EINVAL;
			goto out;
		}
		lx[i] = log(x[i]);
		ly[i] = log(y[i]);
		mean += ly[i];
	}
	mean /= k;
	for (i = 0; i < k; i++)
		tss += (ly[i] - mean) * (ly[i] - mean);
	if (gsl_fit_linear(lx, 1, ly, 1, k, &c0, &c1, &cov00, &cov01, &cov11, &sumsq)) {
		err = -EDOM;
		goto out;
	}
	/* gsl estimates cov from the residual scatter, s^2 = sumsq/(k-2). */
	h = gsl_cdf_tdist_Pinv(1.0 - alpha / 2, k - 2) * sqrt(cov11);
	f->k = k;
	f->c = exp(c0);
	f->b = c1;
	f->b_lo = c1 - h;
	f->b_hi = c1 + h;
	f->r2 = tss > 0 ? 1.0 - sumsq / tss : 1.0;
out:
	free(lx);
	free(ly);
	return err;
}
