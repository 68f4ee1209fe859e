// SPDX-License-Identifier: GPL-2.0
/*
 * What the run-level reports rest on: grouping runs by kernel identity,
 * refusing a series of different jobs, the gate's refusal of differing
 * environments, and compare's run-level table, JSON and plan.  On copies of
 * the real runs of tests/fixtures/results/runs with one field edited.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report/compare.h"
#include "report/gate.h"
#include "result/run_group.h"
#include "test_util.h"
#include "test_gate_util.h"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, n + 1);
	assert_int_equal(fread(buf, 1, n, f), (size_t)n);
	fclose(f);
	return buf;
}

static void spit(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(s, f);
	assert_int_equal(fclose(f), 0);
}

/*
 * runs/aa-@n copied into a new temporary @dir (32 bytes) with the first
 * @from in manifest.json replaced by @to (NULL: as is); with @drop_config1
 * the configuration with id 1 is left out.
 */
static struct result_folder *copy_run(char *dir, int n, const char *from, const char *to,
				      bool drop_config1)
{
	char src[4200], path[4200], name[32];
	char *m, *s, *hit;

	strcpy(dir, "/tmp/mlb-env-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(name, sizeof(name), "runs/aa-%d", n);
	snprintf(src, sizeof(src), "%s/manifest.json", fixture_path(name));
	m = slurp(src);
	if (from) {
		char *out = calloc(1, strlen(m) + strlen(to) + 1);

		hit = strstr(m, from);
		assert_non_null(hit);
		memcpy(out, m, hit - m);
		strcat(out, to);
		strcat(out, hit + strlen(from));
		free(m);
		m = out;
	}
	if (drop_config1) {
		/* the manifest's second configuration object, up to its closing brace */
		char *c1 = strstr(m, "\"id\": 1,"), *open, *close;

		assert_non_null(c1);
		for (open = c1; *open != '{'; open--)
			;
		close = strchr(c1, '}');
		for (open--; *open != ','; open--)
			;
		memmove(open, close + 1, strlen(close + 1) + 1);
	}
	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	spit(path, m);
	free(m);
	snprintf(src, sizeof(src), "%s/samples.csv", fixture_path(name));
	s = slurp(src);
	if (drop_config1) {
		char *w = s, *r = s;

		while (*r) {
			char *nl = strchr(r, '\n');
			size_t len = nl ? (size_t)(nl - r + 1) : strlen(r);

			if (strncmp(r, "1,", 2)) {
				memmove(w, r, len);
				w += len;
			}
			r += len;
		}
		*w = 0;
	}
	snprintf(path, sizeof(path), "%s/samples.csv", dir);
	spit(path, s);
	free(s);
	return synth_load(dir);
}

/* Two kernels x 3 runs, interleaved: 2 series in order of first appearance. */
static void test_grouping(void **state)
{
	char d[3][32];
	struct result_folder *f[6];
	struct run_group *g;
	struct errmsg e = { "" };
	size_t ng, i;

	for (i = 0; i < 3; i++) {
		char name[32];

		snprintf(name, sizeof(name), "runs/aa-%zu", i + 1);
		f[2 * i] = fixture_load(name);
		f[2 * i + 1] = copy_run(d[i], (int)i + 4, "\"release\": \"", "\"release\": \"9.9-",
					false);
	}
	assert_int_equal(run_groups_build(f, 6, &g, &ng, &e), 0);
	assert_int_equal(ng, 2);
	assert_int_equal(g[0].nruns, 3);
	assert_int_equal(g[1].nruns, 3);
	assert_ptr_equal(g[0].runs[0], f[0]);
	assert_ptr_equal(g[1].runs[2], f[5]);
	assert_true(!strncmp(g[1].id.release, "9.9-", 4));
	run_groups_free(g, ng);
	/* the gate takes a side only as one kernel */
	{
		struct run_group one;

		assert_int_equal(run_group_single(f, 2, &one, &e), -EINVAL);
		assert_non_null(strstr(e.buf, "release differs"));
	}
	/* one folder twice is not two runs */
	{
		struct result_folder *two[2] = { f[0], f[0] };

		assert_int_equal(run_groups_build(two, 2, &g, &ng, &e), -EINVAL);
		assert_non_null(strstr(e.buf, "given twice"));
	}
	for (i = 0; i < 6; i++)
		result_folder_free(f[i]);
	for (i = 0; i < 3; i++)
		assert_int_equal(rm_rf(d[i]), 0);
}

/* Runs of one kernel with different jobs are not one series: refused, named. */
static void test_job_differs(void **state)
{
	char d[32];
	struct result_folder *f[2] = { fixture_load("runs/aa-1"), NULL };
	struct run_group *g;
	struct errmsg e = { "" };
	size_t ng;

	f[1] = copy_run(d, 2, NULL, NULL, true);
	assert_int_equal(f[1]->nconfigs, 1);
	assert_int_equal(run_groups_build(f, 2, &g, &ng, &e), -EINVAL);
	assert_non_null(strstr(e.buf, "different jobs"));
	assert_non_null(strstr(e.buf, "procs=16"));
	assert_null(strchr(e.buf, '\n'));
	result_folder_free(f[1]);
	assert_int_equal(rm_rf(d), 0);

	/* the same configurations measured with another collector: not one series */
	f[1] = copy_run(d, 2, "\"collect\": \"vmstat\"", "\"collect\": \"vmstat,perf\"", false);
	assert_int_equal(run_groups_build(f, 2, &g, &ng, &e), -EINVAL);
	assert_non_null(strstr(e.buf, "different jobs"));
	assert_non_null(strstr(e.buf, "collect=vmstat,perf"));
	assert_null(strchr(e.buf, '\n'));
	result_folder_free(f[1]);
	assert_int_equal(rm_rf(d), 0);

	/* a folder older than --probe ran none: one series with "none" */
	f[1] = copy_run(d, 2, "\"collect\": \"vmstat\"",
			"\"collect\": \"vmstat\", \"probe\": \"none\"", false);
	assert_int_equal(run_groups_build(f, 2, &g, &ng, &e), 0);
	run_groups_free(g, ng);
	result_folder_free(f[1]);
	assert_int_equal(rm_rf(d), 0);

	/* probed: its clean repetitions alike, its metrics not; not one series */
	f[1] = copy_run(d, 2, "\"collect\": \"vmstat\"",
			"\"collect\": \"vmstat\", \"probe\": \"mmap_lock\"", false);
	assert_int_equal(run_groups_build(f, 2, &g, &ng, &e), -EINVAL);
	assert_non_null(strstr(e.buf, "probe=mmap_lock"));
	result_folder_free(f[0]);
	result_folder_free(f[1]);
	assert_int_equal(rm_rf(d), 0);
}

/* An audit field edited in a copy: the gate refuses, naming it; allowed, a verdict. */
static void test_env_mismatch(void **state)
{
	static const struct {
		const char *from, *to, *field;
	} edits[] = {
		{ "\"thp_enabled\": \"madvise\"", "\"thp_enabled\": \"always\"", "thp_enabled" },
		{ "\"randomize_va_space\": 2", "\"randomize_va_space\": 0", "randomize_va_space" },
		{ "\"hypervisor_flag\": \"yes\"", "\"hypervisor_flag\": \"no\"", "hypervisor_flag" },
		{ "\"version\": \"0.1.0\"", "\"version\": \"0.2.0\"", "tool version" },
		{ "\"cores\": 2", "\"cores\": 4", "topology" },
		/* the job measured otherwise: another collector, more repetitions */
		{ "\"collect\": \"vmstat\"", "\"collect\": \"vmstat,locks:kprobe\"", "job options" },
		{ "\"reps\": \"20\"", "\"reps\": \"10\"", "job options" },
		{ "\"warmup\": \"1\"", "\"warmup\": \"0\"", "job options" },
	};
	struct result_folder *a = fixture_load("runs/aa-1");
	size_t i;

	for (i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		struct gate_opts o = { 0 };
		struct errmsg e = { "" };
		struct gate_result g;
		struct result_folder *b;
		char d[32];

		b = copy_run(d, 2, edits[i].from, edits[i].to, false);
		assert_int_equal(gate_evaluate_runs(&a, 1, &b, 1, &o, &g, &e), -EXDEV);
		assert_non_null(strstr(e.buf, edits[i].field));
		assert_non_null(strstr(e.buf, "--allow-mismatch"));
		o.allow_mismatch = true;
		assert_int_equal(gate_evaluate_runs(&a, 1, &b, 1, &o, &g, &e), 0);
		assert_int_equal(g.nmismatch, 1);
		assert_non_null(strstr(g.mismatch[0], edits[i].field));
		assert_true(g.nrows > 0);
		gate_release(&g);
		result_folder_free(b);
		assert_int_equal(rm_rf(d), 0);
	}
	/* the unedited copy: same environment */
	{
		struct gate_opts o = { 0 };
		struct gate_result g;
		struct result_folder *b;
		char d[32];

		b = copy_run(d, 2, NULL, NULL, false);
		assert_int_equal(gate_evaluate_runs(&a, 1, &b, 1, &o, &g, NULL), 0);
		assert_int_equal(g.nmismatch, 0);
		assert_string_equal(g.audit_note, "");
		assert_string_equal(g.load_note, "");
		gate_release(&g);
		result_folder_free(b);
		assert_int_equal(rm_rf(d), 0);
	}
	/* started under a clearly different load: a warning, not a refusal */
	{
		struct gate_opts o = { 0 };
		struct gate_result g;
		struct result_folder *b;
		char d[32];

		b = copy_run(d, 2, "\"load1\": ", "\"load1\": 1", false);
		assert_true(b->audit.load1 > 10);
		assert_int_equal(gate_evaluate_runs(&a, 1, &b, 1, &o, &g, NULL), 0);
		assert_int_equal(g.nmismatch, 0);
		assert_non_null(strstr(g.load_note, "different load"));
		gate_release(&g);
		result_folder_free(b);
		assert_int_equal(rm_rf(d), 0);
	}
	/* no audit on one side: no refusal, but said */
	{
		struct gate_opts o = { 0 };
		struct gate_result g;
		struct result_folder *b;
		char d[32];

		b = copy_run(d, 2, "\"audit\"", "\"no_audit\"", false);
		assert_false(b->has_audit);
		assert_int_equal(gate_evaluate_runs(&a, 1, &b, 1, &o, &g, NULL), 0);
		assert_non_null(strstr(g.audit_note, d));
		gate_release(&g);
		result_folder_free(b);
		assert_int_equal(rm_rf(d), 0);
	}
	result_folder_free(a);
}

static char *compare_text(const struct run_report *r, const struct compare_opts *o,
			  enum compare_format fmt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(compare_write_runs(f, r, NULL, fmt, o), 0);
	fclose(f);
	return buf;
}

/* compare's default table: run-level columns, a few lines per configuration. */
static void test_compare_table(void **state)
{
	char d[3][32];
	struct result_folder *f[6];
	struct compare_opts o = { 0 };
	struct run_group *g;
	struct run_report r;
	size_t ng, i, lines = 0;
	char *text, *p, *end;

	for (i = 0; i < 3; i++) {
		char name[32];

		snprintf(name, sizeof(name), "runs/aa-%zu", 2 * i + 1);
		f[i] = fixture_load(name);
		f[3 + i] = copy_run(d[i], 2 * (int)i + 2, "\"release\": \"", "\"release\": \"9.9-",
				    false);
	}
	assert_int_equal(run_groups_build(f, 6, &g, &ng, NULL), 0);
	assert_int_equal(run_report_build(g, ng, NULL, 0, &r, NULL), 0);
	assert_int_equal(r.nrows, 2);	/* teardown x 2 configurations; no lat_max of exit */
	for (i = 0; i < r.nrows; i++) {
		const struct run_cell *c = &r.rows[i].cell[1];

		assert_true(c->tested && !c->boot.within_only);
		assert_true(c->boot.lo <= c->boot.ratio && c->boot.ratio <= c->boot.hi);
		assert_true(isfinite(c->p) && c->p_holm >= c->p);
		assert_true(c->tl_ok && isfinite(c->tl.cv_within));
		assert_int_equal(c->m, 3);
	}
	text = compare_text(&r, &o, COMPARE_TEXT);
	end = strstr(text, "\nReproducibility");
	assert_non_null(end);
	for (p = strstr(text, "\nexit "); p && p < end; p = strchr(p + 1, '\n'))
		lines++;
	assert_true(lines <= 2 * 3);	/* header, column names, one line per procs */
	assert_non_null(strstr(text, "±"));
	assert_non_null(strstr(text, " ["));
	assert_non_null(strstr(text, "p="));
	assert_null(strstr(text, "within-run noise only"));
	free(text);
	/* --plan: runs x repetitions */
	o.plan_delta = 0.05;
	text = compare_text(&r, &o, COMPARE_TEXT);
	assert_non_null(strstr(text, "Plan: runs x repetitions"));
	assert_non_null(strstr(text, " runs x "));
	free(text);
	/* JSON: the components and the two-level ratio */
	text = compare_text(&r, &o, COMPARE_JSON);
	assert_non_null(strstr(text, "\"two_level\""));
	assert_non_null(strstr(text, "\"cv_within\""));
	assert_non_null(strstr(text, "\"cv_between\""));
	assert_non_null(strstr(text, "\"ratio_ci\""));
	free(text);
	run_report_release(&r);
	run_groups_free(g, ng);
	/* one run per side: said plainly */
	{
		struct result_folder *two[2] = { f[0], f[3] };

		assert_int_equal(run_groups_build(two, 2, &g, &ng, NULL), 0);
		assert_int_equal(run_report_build(g, ng, NULL, 0, &r, NULL), 0);
		o.plan_delta = 0;
		text = compare_text(&r, &o, COMPARE_TEXT);
		assert_non_null(strstr(text, "within-run noise only"));
		assert_null(strstr(text, "p="));
		free(text);
		run_report_release(&r);
		run_groups_free(g, ng);
	}
	for (i = 0; i < 6; i++)
		result_folder_free(f[i]);
	for (i = 0; i < 3; i++)
		assert_int_equal(rm_rf(d[i]), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grouping),
		cmocka_unit_test(test_job_differs),
		cmocka_unit_test(test_env_mismatch),
		cmocka_unit_test(test_compare_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
