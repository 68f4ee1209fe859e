// SPDX-License-Identifier: GPL-2.0
/*
 * Two-sided Mann-Whitney U with midranks and tie correction.  Without ties
 * and with nA+nB <= STATS_MWU_EXACT_MAX the p-value comes from the exact null
 * distribution (count recursion); otherwise from the normal approximation
 * with continuity correction, as SciPy's mannwhitneyu(method="auto") does.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>

#include "stats/stats.h"

struct tagged {
	double v;
	int from_b;
};

static int tagged_cmp(const void *x, const void *y)
{
	const struct tagged *a = x, *b = y;

	return (a->v > b->v) - (a->v < b->v);
}

/*
 * Number of arrangements with U = u for sample sizes i, j:
 * c(u;i,j) = c(u-j;i-1,j) + c(u;i,j-1).  Computed as doubles (C(40,20) is
 * about 1.4e11, exact in a double).  Returns P(U <= u) and P(U >= u).
 */
static int mwu_exact_tails(size_t na, size_t nb, size_t u, double *le, double *ge)
{
	size_t umax = na * nb, i, j, k, w = umax + 1;
	double *c, total = 0, lo = 0, hi = 0;

	c = calloc((na + 1) * (nb + 1) * w, sizeof(*c));
	if (!c)
		return -ENOMEM;
#define C(i, j, k) c[((i) * (nb + 1) + (j)) * w + (k)]
	for (i = 0; i <= na; i++)
		for (j = 0; j <= nb; j++) {
			if (!i || !j) {
				C(i, j, 0) = 1;
				continue;
			}
			for (k = 0; k <= i * j; k++)
				C(i, j, k) = (k >= j ? C(i - 1, j, k - j) : 0) + C(i, j - 1, k);
		}
	for (k = 0; k <= umax; k++) {
		double n = C(na, nb, k);

		total += n;
		if (k <= u)
			lo += n;
		if (k >= u)
			hi += n;
	}
#undef C
	free(c);
	*le = lo / total;
	*ge = hi / total;
	return 0;
}

int stats_mwu(const double *a, size_t na, const double *b, size_t nb, struct stats_mwu *r)
{
	size_t n = na + nb, i, j;
	struct tagged *t;
	double rb = 0, ties = 0, mu, var, d;

	memset(r, 0, sizeof(*r));
	if (!na || !nb)
		return -EINVAL;
	t = malloc(n * sizeof(*t));
	if (!t)
		return -ENOMEM;
	for (i = 0; i < na; i++)
		t[i] = (struct tagged){ a[i], 0 };
	for (i = 0; i < nb; i++)
		t[na + i] = (struct tagged){ b[i], 1 };
	qsort(t, n, sizeof(*t), tagged_cmp);
	for (i = 0; i < n; i = j) {
		double tg, midrank;

		for (j = i + 1; j < n && t[j].v == t[i].v; j++)
			;
		tg = j - i;
		midrank = (i + 1 + j) / 2.0;	/* ranks i+1 .. j */
		if (tg > 1)
			ties += tg * tg * tg - tg;
		for (size_t k = i; k < j; k++)
			if (t[k].from_b)
				rb += midrank;
	}
	free(t);
	r->u_b = rb - nb * (nb + 1) / 2.0;
	r->ties = ties > 0;
	r->cliff = 2.0 * r->u_b / ((double)na * nb) - 1.0;
	mu = na * (double)nb / 2.0;
	if (!r->ties && n <= STATS_MWU_EXACT_MAX) {
		double le, ge;
		int err = mwu_exact_tails(na, nb, (size_t)llround(r->u_b), &le, &ge);

		if (err)
			return err;
		r->exact = true;
		r->p = fmin(1.0, 2.0 * fmin(le, ge));
		return 0;
	}
	var = (na * (double)nb / 12.0) * ((n + 1) - ties / ((double)n * (n - 1)));
	if (var <= 0) {
		r->p = 1.0;
		return 0;
	}
	d = r->u_b - mu;
	r->z = (d - 0.5 * ((d > 0) - (d < 0))) / sqrt(var);
	r->p = fmin(1.0, 2.0 * gsl_cdf_ugaussian_Q(fabs(r->z)));
	return 0;
}

double stats_mwu_min_p(size_t na, size_t nb)
{
	return fmin(1.0, 2.0 / gsl_sf_choose(na + nb, na));
}

const char *stats_cliff_magnitude(double delta)
{
	double m = fabs(delta);

	if (m < 0.147)
		return "negligible";
	if (m < 0.33)
		return "small";
	if (m < 0.474)
		return "medium";
	return "large";
}
