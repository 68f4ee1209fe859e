// SPDX-License-Identifier: GPL-2.0
/*
 * Robust outlier flags: z = (x - median) / (1.4826 MAD).  Values are only
 * flagged, never removed.  With MAD = 0 (most values equal) nothing is
 * flagged: the scale is undefined and a flag would be noise.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "stats/stats.h"

int stats_outliers(const double *x, size_t n, unsigned char *flags, size_t *nflagged)
{
	struct stats_summary s;
	size_t i, cnt = 0;
	int err;

	memset(flags, 0, n);
	if (nflagged)
		*nflagged = 0;
	if (!n)
		return 0;
	err = stats_summary(x, n, STATS_ALPHA, &s);
	if (err)
		return err;
	if (s.mad > 0) {
		for (i = 0; i < n; i++) {
			double z = fabs(x[i] - s.median) / s.mad;

			if (z > STATS_OUTLIER_WARN)
				flags[i] = 2;
			else if (z > STATS_OUTLIER_FLAG)
				flags[i] = 1;
			cnt += flags[i] != 0;
		}
	}
	if (nflagged)
		*nflagged = cnt;
	return 0;
}
