// SPDX-License-Identifier: GPL-2.0
/* gate verdicts and JUnit output on the committed fixtures. */
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

#include "report/gate.h"
#include "test_util.h"

static size_t count(const struct gate_result *g, enum gate_verdict v)
{
	size_t i, n = 0;

	for (i = 0; i < g->nrows; i++)
		n += g->rows[i].verdict == v;
	return n;
}

static void test_aa_same_folder(void **state)
{
	struct result_folder *a = fixture_load("aa-1");
	struct gate_result g;
	size_t i;

	assert_int_equal(gate_evaluate(a, a, NULL, 0, 0, &g, NULL), 0);
	assert_int_equal(g.nrows, 4);	/* 2 metrics x 2 configs */
	assert_int_equal(count(&g, GATE_NO_CHANGE), 4);
	assert_int_equal(gate_exit_status(g.overall), 0);
	for (i = 0; i < g.nrows; i++) {
		const struct gate_row *r = &g.rows[i];
		const struct report_cell *ca = &r->row->cell[0], *cb = &r->row->cell[1];
		double cv = sqrt((ca->s.cv * ca->s.cv + cb->s.cv * cb->s.cv) / 2);

		assert_true(r->w == 1.0);
		assert_true(r->w_lo < 1.0 && r->w_hi > 1.0);
		/* default tau = max(2%, 3 CV sqrt(2/n)) */
		assert_true(fabs(r->tau - fmax(0.02, 3 * cv * sqrt(2.0 / 10))) < 1e-12);
		assert_true(r->p_holm == 1.0);
	}
	gate_release(&g);
	result_folder_free(a);
}

static void test_aa_two_runs(void **state)
{
	struct result_folder *a = fixture_load("aa-1"), *b = fixture_load("aa-2");
	struct gate_result g;

	assert_int_equal(gate_evaluate(a, b, NULL, 0, 0, &g, NULL), 0);
	assert_int_equal(count(&g, GATE_NO_CHANGE), 4);
	assert_int_equal(gate_exit_status(g.overall), 0);
	gate_release(&g);
	result_folder_free(a);
	result_folder_free(b);
}

static void test_planted_regression(void **state)
{
	struct result_folder *a = fixture_load("planted-base"), *b = fixture_load("planted-slow");
	struct gate_result g;
	size_t i;

	assert_int_equal(gate_evaluate(a, b, NULL, 0, 0, &g, NULL), 0);
	assert_int_equal(count(&g, GATE_REGRESSION), 4);
	assert_int_equal(gate_exit_status(g.overall), 1);
	for (i = 0; i < g.nrows; i++) {
		assert_true(g.rows[i].w > 1.15 && g.rows[i].w < 1.25);	/* planted 1.2 */
		assert_true(g.rows[i].p_holm <= 0.05);
		assert_true(g.rows[i].w_lo > 1.1);
	}
	gate_release(&g);
	/* the other way round it is an improvement: a pass */
	assert_int_equal(gate_evaluate(b, a, NULL, 0, 0, &g, NULL), 0);
	assert_int_equal(count(&g, GATE_IMPROVEMENT), 4);
	assert_int_equal(gate_exit_status(g.overall), 0);
	gate_release(&g);
	/* tau = 25%: 1.2x is inside the band, and so is its CI */
	assert_int_equal(gate_evaluate(a, b, NULL, 0, 0.25, &g, NULL), 0);
	assert_int_equal(count(&g, GATE_NO_CHANGE), 4);
	gate_release(&g);
	/* the verdict table of STATS-NOTES, checked row by row over thresholds */
	for (size_t t = 0; t < 6; t++) {
		static const double taus[] = { 0.05, 0.15, 0.19, 0.20, 0.21, 0.25 };
		double tau = taus[t];

		assert_int_equal(gate_evaluate(a, b, NULL, 0, tau, &g, NULL), 0);
		for (i = 0; i < g.nrows; i++) {
			const struct gate_row *r = &g.rows[i];
			enum gate_verdict want = GATE_INCONCLUSIVE;

			assert_true(r->tau == tau);
			if (r->p_holm <= 0.05 && r->w >= 1 + tau)
				want = GATE_REGRESSION;
			else if (r->p_holm <= 0.05 && r->w <= 1 / (1 + tau))
				want = GATE_IMPROVEMENT;
			else if (r->eq_lo >= 1 / (1 + tau) && r->eq_hi <= 1 + tau)
				want = GATE_NO_CHANGE;
			/* the equivalence interval is the narrower one */
			if (isfinite(r->eq_lo))
				assert_true(r->eq_lo >= r->w_lo && r->eq_hi <= r->w_hi);
			assert_int_equal(r->verdict, want);
			if (want == GATE_INCONCLUSIVE)
				assert_true(r->more_reps > 0);
		}
		gate_release(&g);
	}
	result_folder_free(a);
	result_folder_free(b);
}

static void test_three_reps(void **state)
{
	struct result_folder *a = fixture_load("three-a"), *b = fixture_load("three-b");
	struct gate_result g;
	size_t i;

	assert_int_equal(gate_evaluate(a, b, NULL, 0, 0, &g, NULL), 0);
	assert_int_equal(count(&g, GATE_INCONCLUSIVE), 4);
	assert_int_equal(gate_exit_status(g.overall), 2);
	for (i = 0; i < g.nrows; i++) {
		assert_true(g.rows[i].more_reps > 0);
		assert_non_null(strstr(g.rows[i].why, "more reps per side"));
		assert_true(g.rows[i].p_holm > 0.05);	/* 3 vs 3: p >= 0.1 */
	}
	gate_release(&g);
	/* even against itself: no 95% CI with 3 runs, so no NO-CHANGE claim */
	assert_int_equal(gate_evaluate(a, a, NULL, 0, 0, &g, NULL), 0);
	assert_int_equal(count(&g, GATE_INCONCLUSIVE), 4);
	gate_release(&g);
	result_folder_free(a);
	result_folder_free(b);
}

static void test_errors_and_metrics(void **state)
{
	struct result_folder *a = fixture_load("aa-1"), *m = fixture_load("mismatch");
	static const char *const setup[] = { "setup_ns" }, *const bogus[] = { "nope_ns" };
	struct errmsg e = { "" };
	struct gate_result g;

	assert_int_equal(gate_evaluate(a, m, NULL, 0, 0, &g, &e), -EINVAL);
	assert_non_null(strstr(e.buf, "no configuration"));
	assert_int_equal(gate_evaluate(a, a, bogus, 1, 0, &g, &e), -EINVAL);
	assert_non_null(strstr(e.buf, "nope_ns"));
	assert_int_equal(gate_evaluate(a, a, setup, 1, 0, &g, &e), 0);
	assert_int_equal(g.nrows, 2);
	assert_string_equal(g.rows[0].row->metric, "setup_ns");
	gate_release(&g);
	result_folder_free(a);
	result_folder_free(m);
}

static void test_junit(void **state)
{
	struct result_folder *a = fixture_load("planted-base"), *b = fixture_load("planted-slow");
	struct gate_result g;
	char *buf = NULL, *p;
	size_t len = 0, n = 0;
	FILE *f;

	assert_int_equal(gate_evaluate(a, b, NULL, 0, 0, &g, NULL), 0);
	f = open_memstream(&buf, &len);
	assert_int_equal(gate_write_junit(f, &g), 0);
	fclose(f);
	assert_true(!strncmp(buf, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 38));
	for (p = buf; (p = strstr(p, "<testcase ")); p++)
		n++;
	assert_int_equal(n, 4);
	for (n = 0, p = buf; (p = strstr(p, "<failure ")); p++)
		n++;
	assert_int_equal(n, 4);
	assert_non_null(strstr(buf, "tests=\"4\" failures=\"4\""));
	assert_non_null(strstr(buf, "classname=\"mlockbench.gate.teardown_ns\""));
	assert_null(strstr(buf, "<skipped"));
	free(buf);
	gate_release(&g);
	result_folder_free(a);
	result_folder_free(b);

	f = open_memstream(&buf, &len);
	xml_escape(f, "a<b & \"c\" 'd'>\x01\n");
	fclose(f);
	assert_string_equal(buf, "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;?&#10;");
	free(buf);
}

/* compare's Holm families: primary rows apart from the secondary ones. */
static void test_report_holm_families(void **state)
{
	struct result_folder *f[2] = { fixture_load("sweep-rmap"), fixture_load("sweep-mlockcount") };
	double p[2][256], adj[256];
	size_t idx[2][256], m[2] = { 0, 0 }, i, fam;
	struct report r;

	assert_int_equal(report_build(f, 2, NULL, 0, REPORT_HOLM_SPLIT, &r, NULL), 0);
	for (i = 0; i < r.nrows; i++) {
		const struct report_cell *c = &r.rows[i].cell[1];

		assert_false(r.rows[i].cell[0].tested);	/* the baseline is not tested */
		if (!c->tested)
			continue;
		fam = !r.rows[i].primary;
		assert_true(m[fam] < 256);
		idx[fam][m[fam]] = i;
		p[fam][m[fam]++] = c->mwu.p;
	}
	assert_int_equal(m[0], 10);	/* teardown, lat_max x 5 configurations */
	assert_true(m[1] > 10);
	for (fam = 0; fam < 2; fam++) {
		assert_int_equal(stats_holm(p[fam], m[fam], adj), 0);
		for (i = 0; i < m[fam]; i++)
			assert_true(r.rows[idx[fam][i]].cell[1].p_holm == adj[i]);
	}
	/* the scaling fits: one per folder and group, 5 distinct procs */
	assert_int_equal(r.nfits, 2);
	assert_true(r.fits[0].ok && r.fits[1].ok);
	assert_int_equal(r.fits[0].fit.k, 5);
	assert_true(r.fits[0].fit.b > 1.25 && r.fits[0].fit.b < 1.35);	/* generated 1.3 */
	assert_true(r.fits[1].fit.b > 0.95 && r.fits[1].fit.b < 1.05);	/* generated 1.0 */
	report_release(&r);
	result_folder_free(f[0]);
	result_folder_free(f[1]);
}


/* A folder in a new temporary @dir: configurations procs=2,4,... (@nconf), 10 reps each. */
static void write_folder(char *dir, size_t nconf)
{
	char path[4200];
	size_t c, rep;
	FILE *fp;

	strcpy(dir, "/tmp/mlb-gate-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	fp = fopen(path, "w");
	fputs("{\"schema\": \"mlockbench-result\", \"schema_version\": 1, \"status\": "
	      "\"complete\", \"configs\": [", fp);
	for (c = 0; c < nconf; c++)
		fprintf(fp, "%s{\"id\": %zu, \"workload\": \"exit\", \"backing\": \"shmem\", "
			"\"lock\": \"mlock\", \"procs\": %zu, \"plain\": 0, \"size\": 4096}",
			c ? ", " : "", c, (size_t)2 << c);
	fputs("]}", fp);
	assert_int_equal(fclose(fp), 0);
	snprintf(path, sizeof(path), "%s/samples.csv", dir);
	fp = fopen(path, "w");
	fputs("config,job,workload,backing,lock,procs,plain,size,rep,warmup,teardown_ns,"
	      "lat_max_ns\n", fp);
	for (c = 0; c < nconf; c++)
		for (rep = 0; rep < 10; rep++)
			fprintf(fp, "%zu,,exit,shmem,mlock,%zu,0,4096,%zu,0,%zu,%zu\n", c,
				(size_t)2 << c, rep, 100000 + rep, 90000 + rep);
	assert_int_equal(fclose(fp), 0);
}

/* Defect 10: a configuration only one side has is INCONCLUSIVE, named, never a pass. */
static void test_missing_config(void **state)
{
	char bdir[32], cdir[32], cfg[160];
	struct result_folder *a, *b;
	struct errmsg e = { "" };
	struct gate_result g;
	size_t i, missing = 0;

	write_folder(bdir, 2);
	write_folder(cdir, 1);
	assert_int_equal(result_folder_load(bdir, false, &a, &e), 0);
	assert_int_equal(result_folder_load(cdir, false, &b, &e), 0);
	assert_int_equal(gate_evaluate(a, b, NULL, 0, 0, &g, &e), 0);
	assert_int_equal(g.overall, GATE_INCONCLUSIVE);
	assert_int_equal(gate_exit_status(g.overall), 2);
	assert_int_equal(g.unmatched_base, 1);
	for (i = 0; i < g.nrows; i++) {
		result_config_describe(g.rep.keys[g.rows[i].row->key], cfg, sizeof(cfg));
		if (strstr(cfg, "procs=4")) {
			assert_int_equal(g.rows[i].verdict, GATE_INCONCLUSIVE);
			assert_non_null(strstr(g.rows[i].why, "only in the baseline"));
			missing++;
		} else {
			assert_int_equal(g.rows[i].verdict, GATE_NO_CHANGE);
		}
	}
	assert_int_equal(missing, 2);	/* teardown_ns and lat_max_ns */
	gate_release(&g);
	/* the other way round: only in the candidate */
	assert_int_equal(gate_evaluate(b, a, NULL, 0, 0, &g, &e), 0);
	assert_int_equal(g.overall, GATE_INCONCLUSIVE);
	for (i = 0, missing = 0; i < g.nrows; i++)
		missing += !!strstr(g.rows[i].why, "only in the candidate");
	assert_int_equal(missing, 2);
	gate_release(&g);
	result_folder_free(a);
	result_folder_free(b);
	assert_int_equal(rm_rf(bdir), 0);
	assert_int_equal(rm_rf(cdir), 0);
}

/* Minor defect: a folder without timed rows is an error, not an empty table. */
static void test_no_timed_rows(void **state)
{
	char dir[32], path[4200];
	struct result_folder *a = fixture_load("aa-1"), *z;
	struct errmsg e = { "" };
	struct report r;
	FILE *fp;

	write_folder(dir, 1);
	snprintf(path, sizeof(path), "%s/samples.csv", dir);
	fp = fopen(path, "w");
	fputs("config,job,workload,backing,lock,procs,plain,size,rep,warmup,teardown_ns,"
	      "lat_max_ns\n0,,exit,shmem,mlock,2,0,4096,0,1,5,5\n", fp);	/* a warm-up only */
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(result_folder_load(dir, false, &z, &e), 0);
	assert_int_equal(report_build(&z, 1, NULL, 0, REPORT_HOLM_SPLIT, &r, &e), -ENODATA);
	assert_non_null(strstr(e.buf, "has no timed repetitions"));
	{
		struct result_folder *two[2] = { a, z };

		assert_int_equal(report_build(two, 2, NULL, 0, REPORT_HOLM_SPLIT, &r, &e),
				 -ENODATA);
	}
	result_folder_free(a);
	result_folder_free(z);
	assert_int_equal(rm_rf(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aa_same_folder),
		cmocka_unit_test(test_aa_two_runs),
		cmocka_unit_test(test_planted_regression),
		cmocka_unit_test(test_three_reps),
		cmocka_unit_test(test_missing_config),
		cmocka_unit_test(test_no_timed_rows),
		cmocka_unit_test(test_errors_and_metrics),
		cmocka_unit_test(test_junit),
		cmocka_unit_test(test_report_holm_families),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
