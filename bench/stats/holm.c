// SPDX-License-Identifier: GPL-2.0
/* Holm step-down: p~(i) = max_{k<=i} min(1, (m-k+1) p(k)) over sorted p. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_sort.h>

#include "stats/stats.h"

int stats_holm(const double *p, size_t m, double *adj)
{
	size_t *idx, i;
	double run = 0;

	if (!m)
		return 0;
	idx = malloc(m * sizeof(*idx));
	if (!idx)
		return -ENOMEM;
	gsl_sort_index(idx, p, 1, m);	/* stable: ties keep input order */
	for (i = 0; i < m; i++) {
		double v = fmin(1.0, (m - i) * p[idx[i]]);

		run = fmax(run, v);
		adj[idx[i]] = run;
	}
	free(idx);
	return 0;
}
