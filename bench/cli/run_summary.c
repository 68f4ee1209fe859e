// SPDX-License-Identifier: GPL-2.0
/*
 * The summary `run` prints: the folder it flushed, read back by the reader
 * and summarised by report_build(), the code compare uses, so the two
 * cannot disagree.
 */
#include <string.h>

#include "cli/run_summary.h"
#include "common/parse.h"
#include "report/analysis.h"

static const char *const summary_metrics[] = { "teardown_ns", "setup_ns", "skew_ns" };
#define NSUMMARY (sizeof(summary_metrics) / sizeof(summary_metrics[0]))

static void fmt_ms(double ns, char *buf, size_t len)
{
	snprintf(buf, len, ns >= 1e8 ? "%.0f" : ns >= 1e6 ? "%.2f" : "%.3f", ns / 1e6);
}

/* The summary of @metric for key @key; zero (n = 0) when it has none. */
static struct stats_summary summary_of(const struct report *r, size_t key, const char *metric)
{
	struct stats_summary none = { 0 };
	size_t i;

	for (i = 0; i < r->nrows; i++)
		if (r->rows[i].key == key && !strcmp(r->rows[i].metric, metric))
			return r->rows[i].cell[0].present ? r->rows[i].cell[0].s : none;
	return none;
}

static void print_config(FILE *f, const struct report *r, size_t key)
{
	const struct result_config *c = r->keys[key];
	struct stats_summary td, su, sk;
	char size[16], a[16], b[16], cc[16], d[16], s[16], range[40];

	td = summary_of(r, key, "teardown_ns");
	su = summary_of(r, key, "setup_ns");
	sk = summary_of(r, key, "skew_ns");
	if (!td.n)
		return;
	format_size(c->size, size, sizeof(size));
	fmt_ms(td.median, a, sizeof(a));
	fmt_ms(td.min, b, sizeof(b));
	fmt_ms(td.max, cc, sizeof(cc));
	fmt_ms(su.median, d, sizeof(d));
	fmt_ms(sk.median, s, sizeof(s));
	snprintf(range, sizeof(range), "%s..%s", b, cc);
	fprintf(f, "%-8s %-9s %-10s %5llu %5llu %6s | %12s %21s %5.1f%% | %10s %10s %3zu%s%s\n",
		c->workload, c->backing, c->lock, c->procs, c->plain, size, a, range,
		td.cv * 100, d, s, td.n, c->extra[0] ? "  " : "", c->extra);
}

void run_summary_print(FILE *f, const char *dir)
{
	struct result_folder *folder;
	struct errmsg e = { "" };
	struct report r;
	size_t k;

	if (result_folder_load(dir, true, &folder, &e)) {
		fprintf(f, "no summary: %s\n", e.buf);
		return;
	}
	fprintf(f, "kernel %s, munlock design %s; results in %s\n", folder->release,
		folder->design, dir);
	fprintf(f, "%-8s %-9s %-10s %5s %5s %6s | %12s %21s %6s | %10s %10s %3s\n",
		"workload", "backing", "lock", "procs", "plain", "size", "teardown(ms)",
		"min..max(ms)", "CV", "setup(ms)", "skew(ms)", "n");
	/* -ENODATA: nothing was measured (interrupted at once); the header says enough */
	if (!report_build(&folder, 1, summary_metrics, NSUMMARY, REPORT_HOLM_SPLIT, &r, &e)) {
		for (k = 0; k < r.nkeys; k++)
			print_config(f, &r, k);
		report_release(&r);
	}
	result_folder_free(folder);
}
