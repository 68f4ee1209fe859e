// SPDX-License-Identifier: GPL-2.0
/*
 * Kalibera-Jones variance components of one kernel's runs: how much of the
 * noise lives inside a run and how much between runs.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>

#include <gsl/gsl_cdf.h>

#include "stats/two_level.h"

int stats_runs_check(const struct stats_run *runs, size_t m, struct stats_runs_shape *out)
{
	size_t i, j;

	*out = (struct stats_runs_shape){ 0 };
	if (!m || !runs)
		return -EINVAL;
	for (i = 0; i < m; i++) {
		if (!runs[i].n || !runs[i].x)
			return -EINVAL;
		for (j = 0; j < runs[i].n; j++)
			if (!isfinite(runs[i].x[j]))
				return -EINVAL;
		out->reps += runs[i].n;
		out->dof += runs[i].n - 1;
		if (runs[i].n > out->max_n)
			out->max_n = runs[i].n;
	}
	return 0;
}

static int check_runs(const struct stats_run *runs, size_t m, size_t *reps, size_t *dof)
{
	struct stats_runs_shape sh;
	int err = stats_runs_check(runs, m, &sh);

	*reps = sh.reps;
	*dof = sh.dof;
	if (err)
		return err;
	return sh.dof ? 0 : -EINVAL;
}

static double run_mean(const struct stats_run *run)
{
	double s = 0;
	size_t j;

	for (j = 0; j < run->n; j++)
		s += run->x[j];
	return s / run->n;
}

int stats_two_level(const struct stats_run *runs, size_t m, double alpha,
		    struct stats_two_level *out)
{
	double ss1 = 0, ss2 = 0, inv_r = 0, grand = 0, diff, half;
	size_t i, j, dof;
	int err;

	err = check_runs(runs, m, &out->reps, &dof);
	if (err)
		return err;
	if (!(alpha > 0 && alpha < 1))
		return -EINVAL;
	for (i = 0; i < m; i++) {
		grand += run_mean(&runs[i]);
		inv_r += 1.0 / runs[i].n;
	}
	grand /= m;
	if (grand == 0)
		return -EDOM;
	for (i = 0; i < m; i++) {
		double yi = run_mean(&runs[i]);

		for (j = 0; j < runs[i].n; j++)
			ss1 += (runs[i].x[j] - yi) * (runs[i].x[j] - yi);
		ss2 += (yi - grand) * (yi - grand);
	}
	out->m = m;
	out->r_h = m / inv_r;
	out->mean = grand;
	out->s1sq = ss1 / dof;
	out->t1sq = out->s1sq;
	out->cv_within = sqrt(out->t1sq) / fabs(grand);
	out->no_between = false;
	if (m < 2) {
		out->s2sq = out->t2sq = out->cv_between = NAN;
		out->ci_lo = out->ci_hi = NAN;
		return 0;
	}
	out->s2sq = ss2 / (m - 1);
	diff = out->s2sq - out->s1sq / out->r_h;
	out->no_between = !(diff > 0);
	out->t2sq = out->no_between ? 0 : diff;
	out->cv_between = sqrt(out->t2sq) / fabs(grand);
	half = gsl_cdf_tdist_Pinv(1 - alpha / 2, m - 1) * sqrt(out->s2sq / m);
	out->ci_lo = grand - half;
	out->ci_hi = grand + half;
	return 0;
}

size_t stats_optimal_reps(double t1sq, double t2sq, double c1, double c2, size_t r_max)
{
	double r;

	if (!r_max)
		r_max = 1;
	if (!(t1sq > 0) || !(c1 > 0) || !(c2 > 0))
		return 1;	/* nothing to average out inside a run, or no costs */
	if (!(t2sq > 0))
		return r_max;	/* only within-run noise: repetitions are the cheap evidence */
	r = ceil(sqrt(c2 / c1 * t1sq / t2sq));
	if (!isfinite(r) || r >= (double)r_max)
		return r_max;
	return r < 1 ? 1 : (size_t)r;
}
