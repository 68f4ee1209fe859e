// SPDX-License-Identifier: GPL-2.0
/*
 * Each metric's direction as compare shows it: over two folders where every
 * metric triples, only the metrics whose owner declares "lower is better"
 * get a change and a star; vmstat fingerprints, instruction counts, profile
 * shares and metrics nobody declares are informational.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report/analysis.h"
#include "report/compare.h"
#include "test_util.h"

static const struct {
	const char *metric;
	enum metric_direction dir;
} expect[] = {
	{ "teardown_ns", METRIC_LOWER_BETTER },
	{ "perf.cycles", METRIC_LOWER_BETTER },
	{ "locks.lru_lock.wait_ns", METRIC_LOWER_BETTER },
	{ "vmstat.teardown.delta_unevictable_pgs_munlocked", METRIC_INFO },
	{ "perf.instructions", METRIC_INFO },
	{ "locks.lru_lock.count", METRIC_INFO },
	{ "locks.profile.lru_lock.share", METRIC_INFO },
	{ "mystery.widgets", METRIC_INFO },
};
#define NEXPECT (sizeof(expect) / sizeof(expect[0]))

struct fixture {
	struct result_folder *f[2];
	struct report r;
};

static int setup(void **state)
{
	struct fixture *x = calloc(1, sizeof(*x));
	struct errmsg e = { "" };

	x->f[0] = fixture_load("directions-base");
	x->f[1] = fixture_load("directions-other");
	if (report_build(x->f, 2, NULL, 0, REPORT_HOLM_SPLIT, &x->r, &e))
		fail_msg("%s", e.buf);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *x = *state;

	report_release(&x->r);
	result_folder_free(x->f[0]);
	result_folder_free(x->f[1]);
	free(x);
	return 0;
}

static const struct report_row *row_of(const struct report *r, const char *metric)
{
	size_t i;

	for (i = 0; i < r->nrows; i++)
		if (!strcmp(r->rows[i].metric, metric))
			return &r->rows[i];
	fail_msg("no row for %s", metric);
	return NULL;
}

static void test_report_rows(void **state)
{
	struct fixture *x = *state;
	size_t i;

	for (i = 0; i < NEXPECT; i++) {
		const struct report_row *row = row_of(&x->r, expect[i].metric);
		const struct report_cell *c = &row->cell[1];

		if (row->direction != expect[i].dir)
			fail_msg("%s: direction %s, want %s", expect[i].metric,
				 report_direction_name(row->direction),
				 report_direction_name(expect[i].dir));
		assert_true(c->tested);
		if (expect[i].dir == METRIC_INFO)
			assert_true(isnan(c->change));
		else if (strcmp(expect[i].metric, "teardown_ns"))
			assert_true(c->change < -150);	/* three times worse */
	}
}

/* The text section of @metric: its header line and its Median row for procs=4. */
static void text_section(const char *out, const char *metric, char *head, char *median,
			 size_t len)
{
	char label[128], key[160];
	const char *h, *m, *eol;

	report_metric_label(metric, label, sizeof(label));
	snprintf(key, sizeof(key), ": %s (", label);
	h = strstr(out, key);
	if (!h)
		fail_msg("no section for %s", metric);
	while (h > out && h[-1] != '\n')
		h--;
	eol = strchr(h, '\n');
	snprintf(head, len, "%.*s", (int)(eol - h), h);
	m = strstr(eol, "\nMedian ");
	assert_non_null(m);
	eol = strchr(m + 1, '\n');
	snprintf(median, len, "%.*s", (int)(eol - m - 1), m + 1);
}

static void test_text_marks(void **state)
{
	struct fixture *x = *state;
	char *out = NULL, head[512], median[512];
	size_t len = 0, i;
	FILE *f = open_memstream(&out, &len);

	assert_int_equal(compare_write(f, &x->r, COMPARE_TEXT), 0);
	fclose(f);
	for (i = 0; i < NEXPECT; i++) {
		bool info = expect[i].dir == METRIC_INFO;

		text_section(out, expect[i].metric, head, median, sizeof(head));
		if (!strstr(head, info ? ", informational)" : ", lower is better)"))
			fail_msg("%s: header '%s'", expect[i].metric, head);
		if (info && (strchr(median, '*') || strchr(median, '%')))
			fail_msg("%s: informational row marked: '%s'", expect[i].metric, median);
		if (!info && !strchr(median, '*'))
			fail_msg("%s: lower-is-better change not starred: '%s'", expect[i].metric,
				 median);
	}
	free(out);
}

/* Field @n of a CSV line without quoted fields, in a static buffer. */
static const char *field(const char *line, int n)
{
	static char buf[128];

	while (n-- && line)
		line = strchr(line, ',') ? strchr(line, ',') + 1 : NULL;
	snprintf(buf, sizeof(buf), "%.*s", line ? (int)strcspn(line, ",") : 0, line ? line : "");
	return buf;
}

static void test_csv(void **state)
{
	struct fixture *x = *state;
	char *out = NULL, *line;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	int seen = 0;

	assert_int_equal(compare_write(f, &x->r, COMPARE_CSV), 0);
	fclose(f);
	assert_non_null(strstr(out, ",significant,direction,identity\n"));
	for (line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
		bool candidate = !strcmp(field(line, 10), "0");	/* not the baseline */

		if (candidate && !strcmp(field(line, 6), "perf.instructions")) {
			/* the candidate row: tested, never significant, informational */
			assert_non_null(strstr(line, ",0,info"));
			seen++;
		}
		if (candidate && !strcmp(field(line, 6), "perf.cycles"))
			assert_non_null(strstr(line, ",1,lower"));
	}
	assert_int_equal(seen, 2);	/* procs=4 and procs=16 */
	free(out);
}

static void test_change_sign(void **unused)
{
	assert_true(fabs(report_change(METRIC_LOWER_BETTER, 2, 4) - 50) < 1e-9);
	assert_true(fabs(report_change(METRIC_HIGHER_BETTER, 2, 4) + 50) < 1e-9);
	assert_true(isnan(report_change(METRIC_INFO, 2, 4)));
	assert_true(isnan(report_change(METRIC_LOWER_BETTER, 2, 0)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_report_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_marks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv, setup, teardown),
		cmocka_unit_test(test_change_sign),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
