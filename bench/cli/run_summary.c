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

/* plain_teardown_ns last: asked only when the folder has it (plain mappers ran) */
static const char *const summary_metrics[] = {
	"teardown_ns", "setup_ns", "skew_ns", "plain_teardown_ns",
};
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

static void print_config(FILE *f, const struct report *r, size_t key, bool plain)
{
	const struct result_config *c = r->keys[key];
	struct stats_summary td, su, sk, pt;
	char size[16], a[16], b[16], cc[16], d[16], s[16], p[16] = "-", range[40];

	td = summary_of(r, key, "teardown_ns");
	su = summary_of(r, key, "setup_ns");
	sk = summary_of(r, key, "skew_ns");
	pt = summary_of(r, key, "plain_teardown_ns");
	if (!td.n)
		return;
	format_size(c->size, size, sizeof(size));
	fmt_ms(td.median, a, sizeof(a));
	fmt_ms(td.min, b, sizeof(b));
	fmt_ms(td.max, cc, sizeof(cc));
	fmt_ms(su.median, d, sizeof(d));
	fmt_ms(sk.median, s, sizeof(s));
	if (pt.n)
		fmt_ms(pt.median, p, sizeof(p));
	snprintf(range, sizeof(range), "%s..%s", b, cc);
	fprintf(f, "%-8s %-9s %-10s %5llu %5llu %6s | %12s %21s %5.1f%% | %10s %10s",
		c->workload, c->backing, c->lock, c->procs, c->plain, size, a, range,
		td.cv * 100, d, s);
	if (plain)
		fprintf(f, " %9s", p);
	fprintf(f, " %3zu%s%s\n", td.n, c->extra[0] ? "  " : "", c->extra);
}

/* Whether some configuration of @f timed its plain mappers. */
static bool has_plain_teardown(const struct result_folder *f)
{
	size_t i;

	for (i = 0; i < f->nconfigs; i++)
		if (result_config_series(&f->configs[i], "plain_teardown_ns"))
			return true;
	return false;
}

void run_summary_print(FILE *f, const char *dir)
{
	struct result_folder *folder;
	struct errmsg e = { "" };
	struct report r;
	bool plain;
	size_t k;

	if (result_folder_load(dir, true, &folder, &e)) {
		fprintf(f, "no summary: %s\n", e.buf);
		return;
	}
	plain = has_plain_teardown(folder);
	fprintf(f, "kernel %s, munlock design %s; results in %s\n", folder->release,
		folder->design, dir);
	fprintf(f, "%-8s %-9s %-10s %5s %5s %6s | %12s %21s %6s | %10s %10s",
		"workload", "backing", "lock", "procs", "plain", "size", "teardown(ms)",
		"min..max(ms)", "CV", "setup(ms)", "skew(ms)");
	if (plain)
		fprintf(f, " %9s", "plain(ms)");
	fprintf(f, " %3s\n", "n");
	/* -ENODATA: nothing was measured (interrupted at once); the header says enough */
	if (!report_build(&folder, 1, summary_metrics, NSUMMARY - !plain, REPORT_HOLM_SPLIT, &r,
			  &e)) {
		for (k = 0; k < r.nkeys; k++)
			print_config(f, &r, k, plain);
		report_release(&r);
	}
	result_folder_free(folder);
}
