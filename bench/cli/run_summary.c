// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/run_summary.h"
#include "common/parse.h"
#include "stats/stats.h"

/* Clean, measured repetitions: what the summary describes. */
static size_t clean_column(const struct result_writer *w, unsigned int id, size_t field,
			   double *out)
{
	return result_writer_column(w, id, "", field, out);
}

/* Summary of config @id's clean column @field; n = 0 when it has none. */
static struct stats_summary summary_of(const struct result_writer *w, unsigned int id,
				       size_t field, double *buf)
{
	struct stats_summary st;

	if (stats_summary(buf, clean_column(w, id, field, buf), STATS_ALPHA, &st))
		memset(&st, 0, sizeof(st));
	return st;
}

static void fmt_ms(double ns, char *buf, size_t len)
{
	snprintf(buf, len, ns >= 1e8 ? "%.0f" : ns >= 1e6 ? "%.2f" : "%.3f", ns / 1e6);
}

void run_summary_print(FILE *f, const struct runner *r)
{
	const struct result_writer *w = &r->w;
	double *v = malloc((w->nsamples + 1) * sizeof(*v));
	size_t i;

	if (!v)
		return;
	fprintf(f, "kernel %s, munlock design %s; results in %s\n", r->si.release,
		design_name(r->si.design.design), w->dir);
	fprintf(f, "%-8s %-9s %-10s %5s %5s %6s | %12s %21s %6s | %10s %10s %3s\n",
		"workload", "backing", "lock", "procs", "plain", "size", "teardown(ms)",
		"min..max(ms)", "CV", "setup(ms)", "skew(ms)", "n");
	for (i = 0; i < w->ncfg; i++) {
		const struct config *c = &w->cfg_copy[i];
		struct stats_summary td, su, sk;
		char size[16], a[16], b[16], cc[16], d[16], s[16], range[40];

		td = summary_of(w, c->id, offsetof(struct sample_row, teardown_ns), v);
		su = summary_of(w, c->id, offsetof(struct sample_row, setup_ns), v);
		sk = summary_of(w, c->id, offsetof(struct sample_row, skew_ns), v);
		if (!td.n)
			continue;
		format_size(c->size, size, sizeof(size));
		fmt_ms(td.median, a, sizeof(a));
		fmt_ms(td.min, b, sizeof(b));
		fmt_ms(td.max, cc, sizeof(cc));
		fmt_ms(su.median, d, sizeof(d));
		fmt_ms(sk.median, s, sizeof(s));
		snprintf(range, sizeof(range), "%s..%s", b, cc);
		fprintf(f, "%-8s %-9s %-10s %5llu %5llu %6s | %12s %21s %5.1f%% | %10s %10s %3zu\n",
			c->wl->name, backing_name(c->job->backing), lock_method_name(c->job->lock),
			(unsigned long long)c->procs, (unsigned long long)c->plain, size, a, range,
			td.cv * 100, d, s, td.n);
	}
	free(v);
}
