// SPDX-License-Identifier: GPL-2.0
/*
 * Significance at the run level: each run is summarised by its median and
 * the runs are the samples, so drift between runs is not read as a change.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats/two_level.h"

/* ln of each run's median into @lnmed, the medians into @med. */
static int run_medians(const struct stats_run *runs, size_t m, double *med, double *lnmed)
{
	size_t i, j;
	int err;

	for (i = 0; i < m; i++) {
		if (!runs[i].x || !runs[i].n)
			return -EINVAL;
		for (j = 0; j < runs[i].n; j++) {
			if (!isfinite(runs[i].x[j]))
				return -EINVAL;
			if (!(runs[i].x[j] > 0))
				return -EDOM;
		}
		err = stats_median(runs[i].x, runs[i].n, &med[i]);
		if (err)
			return err;
		lnmed[i] = log(med[i]);
	}
	return 0;
}

int stats_run_test(const struct stats_run *a, size_t ma, const struct stats_run *b,
		   size_t mb, struct stats_run_test *out)
{
	double *buf, *meda, *medb, *lna, *lnb, ca, cb;
	int err;

	if (!ma || !mb || !a || !b)
		return -EINVAL;
	buf = malloc(2 * (ma + mb) * sizeof(*buf));
	if (!buf)
		return -ENOMEM;
	meda = buf;
	medb = meda + ma;
	lna = medb + mb;
	lnb = lna + ma;
	err = run_medians(a, ma, meda, lna);
	if (!err)
		err = run_medians(b, mb, medb, lnb);
	if (!err)
		err = stats_median(meda, ma, &ca);
	if (!err)
		err = stats_median(medb, mb, &cb);
	if (err)
		goto out;
	memset(out, 0, sizeof(*out));
	out->ma = ma;
	out->mb = mb;
	out->ratio = cb / ca;
	out->t = out->df = out->p = NAN;
	out->welch_ok = ma >= 2 && mb >= 2;
	if (out->welch_ok)
		err = stats_welch(lna, ma, lnb, mb, &out->t, &out->df, &out->p);
	out->rank_ok = ma >= STATS_RUN_RANK_MIN && mb >= STATS_RUN_RANK_MIN;
	if (!err && out->rank_ok)
		err = stats_mwu(meda, ma, medb, mb, &out->mwu);
out:
	free(buf);
	return err;
}
