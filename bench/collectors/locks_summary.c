// SPDX-License-Identifier: GPL-2.0
/* The run summary's lock table: wait, count, max wait and profile share by class. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "collectors/locks.h"

static double med(const struct collector_view *v, const char *fmt, const char *cls)
{
	char name[96];
	bool seen;

	snprintf(name, sizeof(name), fmt, cls);
	return v->median(v, name, &seen);
}

void locks_summary(FILE *f, const struct collector_view *v)
{
	const char *c;
	bool seen;
	size_t i;

	v->median(v, "lru_lock.wait_ns", &seen);
	if (!seen)
		return;
	fprintf(f, "  locks (%s), per instrumented repetition, medians:\n", v->method);
	fprintf(f, "    %-13s %10s %8s %12s %9s\n", "class", "wait(ms)", "count",
		"max wait(us)", "profile");
	for (i = 0; (c = lock_class_name(i)); i++) {
		double wait = med(v, "%s.wait_ns", c), count = med(v, "%s.count", c);
		double max = med(v, "%s.max_wait_ns", c), share = med(v, "profile.%s.share", c);

		/* the two locks of the munlock path always shown, others when seen */
		if (!(count > 0) && !(share > 0) && strcmp(c, "i_mmap_rwsem") &&
		    strcmp(c, "lru_lock"))
			continue;
		fprintf(f, "    %-13s %10.3f %8.0f %12.1f %8.1f%%\n", c,
			isfinite(wait) ? wait / 1e6 : 0, isfinite(count) ? count : 0,
			isfinite(max) ? max / 1e3 : 0, isfinite(share) ? share * 100 : 0);
	}
	fprintf(f, "    %-13s %41.1f%%  (sampled time in the rmap walk itself)\n", "rmap_walk",
		100 * fmax(0, v->median(v, "profile.rmap_walk.share", &seen)));
}
