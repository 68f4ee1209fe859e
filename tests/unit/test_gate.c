// SPDX-License-Identifier: GPL-2.0
/*
 * gate verdicts at the run level, on real runs (tests/fixtures/results/runs)
 * and on synthetic runs with a known drift; JUnit output.
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

#include "report/gate.h"
#include "test_util.h"
#include "test_gate_util.h"

static size_t count(const struct gate_result *g, enum gate_verdict v)
{
	size_t i, n = 0;

	for (i = 0; i < g->nrows; i++)
		n += g->rows[i].verdict == v;
	return n;
}

static int gate_runs(struct result_folder **a, size_t na, struct result_folder **b, size_t nb,
		     struct gate_result *g)
{
	struct gate_opts o = { .allow_mismatch = false };
	struct errmsg e = { "" };
	int err = gate_evaluate_runs(a, na, b, nb, &o, g, &e);

	if (err)
		fail_msg("gate: %s", e.buf);
	return gate_exit_status(g->overall);
}

/*
 * Real A/A, one run per side: the drift between two single runs is unknown,
 * so no pair may exit 1 (these 8 runs are up to 2.5x apart).
 */
static void test_aa_single_run_pairs(void **state)
{
	struct result_folder *f[NRUNS];
	static const int idx[NRUNS] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	size_t i, j, r;

	runs_load("aa", idx, NRUNS, f);
	for (i = 0; i < NRUNS; i++)
		for (j = 0; j < NRUNS; j++) {
			struct gate_result g;
			int st;

			if (i == j)
				continue;
			st = gate_runs(&f[i], 1, &f[j], 1, &g);
			assert_true(st == 0 || st == 2);
			assert_int_equal(g.nrows, 2);	/* exit: teardown only, 2 configs */
			for (r = 0; r < g.nrows; r++) {
				assert_true(g.rows[r].within_only);
				assert_int_equal(g.rows[r].p_src, GATE_P_NONE);
				assert_int_equal(g.rows[r].tau_src, GATE_TAU_PRIOR);
				assert_string_equal(g.rows[r].row->metric, "teardown_ns");
				if (g.rows[r].verdict == GATE_INCONCLUSIVE)
					assert_non_null(strstr(g.rows[r].why, "one run per side"));
			}
			gate_release(&g);
		}
	runs_free(f, NRUNS);
}

/* Real A/A, 3 runs per side, interleaved as a campaign would run them. */
static void test_aa_three_vs_three(void **state)
{
	static const int splits[][6] = {
		{ 1, 3, 5, 2, 4, 6 }, { 2, 4, 6, 3, 5, 7 }, { 3, 5, 7, 4, 6, 8 },
		{ 1, 4, 7, 2, 5, 8 }, { 2, 5, 8, 3, 6, 1 },
	};
	size_t s, r;

	for (s = 0; s < sizeof(splits) / sizeof(splits[0]); s++) {
		struct result_folder *a[3], *b[3];
		struct gate_result g;
		int st;

		runs_load("aa", splits[s], 3, a);
		runs_load("aa", splits[s] + 3, 3, b);
		st = gate_runs(a, 3, b, 3, &g);
		assert_true(st == 0 || st == 2);
		for (r = 0; r < g.nrows; r++) {
			const struct gate_row *gr = &g.rows[r];

			assert_int_equal(gr->ma, 3);
			assert_int_equal(gr->mb, 3);
			assert_false(gr->within_only);
			assert_int_equal(gr->p_src, GATE_P_WELCH);
			assert_int_equal(gr->tau_src, GATE_TAU_RUNS);
			assert_true(gr->tau >= STATS_TAU_MIN);
			if (gr->verdict == GATE_INCONCLUSIVE)
				assert_true(gr->more_runs > 0 || gr->more_unreachable);
		}
		gate_release(&g);
		runs_free(a, 3);
		runs_free(b, 3);
	}
}

/*
 * The planted copies are the same runs x1.10: the ratio and its two-level
 * CI move by exactly that factor (one seeded bootstrap), the p and tau not.
 */
static void test_planted_copies_scale(void **state)
{
	static const int base[3] = { 1, 3, 5 }, cand[3] = { 2, 4, 6 };
	struct result_folder *a[3], *b[3], *p[3];
	struct gate_result ga, gp;
	size_t r;

	runs_load("aa", base, 3, a);
	runs_load("aa", cand, 3, b);
	runs_load("p110", cand, 3, p);
	gate_runs(a, 3, b, 3, &ga);
	gate_runs(a, 3, p, 3, &gp);
	assert_int_equal(ga.nrows, gp.nrows);
	for (r = 0; r < ga.nrows; r++) {
		const struct gate_row *x = &ga.rows[r], *y = &gp.rows[r];

		assert_true(fabs(y->w / x->w - 1.10) < 1e-4);
		assert_true(fabs(y->w_lo / x->w_lo - 1.10) < 1e-4);
		assert_true(fabs(y->w_hi / x->w_hi - 1.10) < 1e-4);
		assert_true(fabs(y->tau / x->tau - 1) < 1e-4);	/* CVs do not scale */
		/* a 10% slower candidate is never a pass */
		assert_true(y->verdict == GATE_REGRESSION || y->verdict == GATE_INCONCLUSIVE);
	}
	gate_release(&ga);
	gate_release(&gp);
	runs_free(a, 3);
	runs_free(b, 3);
	runs_free(p, 3);
}

/* Synthetic runs: @m per side, drift CV ~2%, +-@noise per repetition, x@scale. */
static void synth_side(char (*dirs)[32], struct result_folder **f, size_t m, double scale,
		       double noise, uint64_t seed, const char *release)
{
	static const double drift[] = { 0.01, -0.02, 0.015, -0.005, 0.02, -0.015 };
	size_t i;

	for (i = 0; i < m; i++) {
		struct synth s = {
			.release = release, .nconf = 2, .reps = 10, .median_ns = 1e6 * scale,
			.drift = drift[i % 6], .noise = noise, .seed = seed + i, .thp = "madvise",
		};

		synth_write(dirs[i], &s);
		f[i] = synth_load(dirs[i]);
	}
}

static void synth_free(char (*dirs)[32], struct result_folder **f, size_t m)
{
	while (m--) {
		result_folder_free(f[m]);
		assert_int_equal(rm_rf(dirs[m]), 0);
	}
}

/* Planted 10% over runs that drift 2%: 3 vs 3 calls it, both ways round. */
static void test_planted_three_vs_three(void **state)
{
	char da[3][32], db[3][32];
	struct result_folder *a[3], *b[3];
	struct gate_result g;
	size_t r;

	synth_side(da, a, 3, 1.0, 0.05, 100, "6.1.0");
	synth_side(db, b, 3, 1.10, 0.05, 200, "6.1.0");
	assert_int_equal(gate_runs(a, 3, b, 3, &g), 1);
	assert_int_equal(count(&g, GATE_REGRESSION), g.nrows);
	for (r = 0; r < g.nrows; r++) {
		assert_true(g.rows[r].w > 1.05 && g.rows[r].w < 1.15);
		assert_true(g.rows[r].p_holm <= STATS_ALPHA);
		assert_true(g.rows[r].tau < 0.10);
	}
	gate_release(&g);
	assert_int_equal(gate_runs(b, 3, a, 3, &g), 0);
	assert_int_equal(count(&g, GATE_IMPROVEMENT), g.nrows);
	gate_release(&g);
	/* a threshold above the change: the whole CI is inside the band */
	{
		struct gate_opts o = { .threshold = 0.25 };

		assert_int_equal(gate_evaluate_runs(a, 3, b, 3, &o, &g, NULL), 0);
		assert_int_equal(count(&g, GATE_NO_CHANGE), g.nrows);
		for (r = 0; r < g.nrows; r++)
			assert_int_equal(g.rows[r].tau_src, GATE_TAU_GIVEN);
		gate_release(&g);
	}
	/* the same 10% with one run per side: drift unknown, inconclusive */
	assert_int_equal(gate_runs(a, 1, b, 1, &g), 2);
	for (r = 0; r < g.nrows; r++) {
		assert_int_equal(g.rows[r].verdict, GATE_INCONCLUSIVE);
		assert_non_null(strstr(g.rows[r].why, "--calibrate"));
	}
	gate_release(&g);
	synth_free(da, a, 3);
	synth_free(db, b, 3);
}

/* One run per side, a change far beyond any drift (4x): still called. */
static void test_single_run_far_change(void **state)
{
	char da[1][32], db[1][32];
	struct result_folder *a[1], *b[1];
	struct gate_result g;
	size_t r;

	synth_side(da, a, 1, 1.0, 0.05, 300, "5.10.0");
	synth_side(db, b, 1, 4.0, 0.05, 400, "5.10.0");
	assert_int_equal(gate_runs(a, 1, b, 1, &g), 1);
	for (r = 0; r < g.nrows; r++) {
		assert_int_equal(g.rows[r].verdict, GATE_REGRESSION);
		assert_true(g.rows[r].w_lo >= GATE_FAR_RATIO);
		assert_non_null(strstr(g.rows[r].why, "plausible drift"));
	}
	gate_release(&g);
	assert_int_equal(gate_runs(b, 1, a, 1, &g), 0);
	assert_int_equal(count(&g, GATE_IMPROVEMENT), g.nrows);
	gate_release(&g);
	synth_free(da, a, 1);
	synth_free(db, b, 1);
}

/* Too few runs for the change: INCONCLUSIVE with "~N more runs per side". */
static void test_more_runs_advice(void **state)
{
	char da[2][32], db[2][32];
	struct result_folder *a[2], *b[2];
	struct gate_result g;
	size_t r;

	synth_side(da, a, 2, 1.0, 0.30, 500, "6.1.0");
	synth_side(db, b, 2, 1.06, 0.30, 600, "6.1.0");
	assert_int_equal(gate_runs(a, 2, b, 2, &g), 2);
	for (r = 0; r < g.nrows; r++) {
		assert_int_equal(g.rows[r].verdict, GATE_INCONCLUSIVE);
		assert_true(g.rows[r].more_runs > 0 || g.rows[r].more_unreachable);
		assert_non_null(strstr(g.rows[r].why, "per side"));
	}
	gate_release(&g);
	synth_free(da, a, 2);
	synth_free(db, b, 2);
}

static void test_errors_and_metrics(void **state)
{
	struct result_folder *a = fixture_load("runs/aa-1"), *b = fixture_load("runs/aa-2");
	struct result_folder *m = fixture_load("mismatch");
	static const char *const setup[] = { "setup_ns" }, *const bogus[] = { "nope_ns" };
	static const char *const latmax[] = { "lat_max_ns" };
	struct errmsg e = { "" };
	struct gate_result g;

	assert_int_equal(gate_evaluate(a, m, NULL, 0, 0, &g, &e), -EINVAL);
	assert_int_equal(gate_evaluate(a, a, NULL, 0, 0, &g, &e), -EINVAL);
	assert_non_null(strstr(e.buf, "same run"));
	assert_int_equal(gate_evaluate(a, b, bogus, 1, 0, &g, &e), -EINVAL);
	assert_non_null(strstr(e.buf, "nope_ns"));
	assert_int_equal(gate_evaluate(a, b, setup, 1, 0, &g, &e), 0);
	assert_int_equal(g.nrows, 2);
	assert_string_equal(g.rows[0].row->metric, "setup_ns");
	gate_release(&g);
	/* lat_max of exit is teardown by construction: never gated twice */
	assert_int_equal(gate_evaluate(a, b, latmax, 1, 0, &g, &e), -EINVAL);
	assert_non_null(strstr(e.buf, "no values"));
	result_folder_free(a);
	result_folder_free(b);
	result_folder_free(m);
}

static void test_junit(void **state)
{
	char da[1][32], db[1][32];
	struct result_folder *a[1], *b[1];
	struct gate_result g;
	char *buf = NULL, *p;
	size_t len = 0, n = 0;
	FILE *f;

	synth_side(da, a, 1, 1.0, 0.05, 700, "6.1.0");
	synth_side(db, b, 1, 4.0, 0.05, 800, "6.1.0");
	assert_int_equal(gate_runs(a, 1, b, 1, &g), 1);
	f = open_memstream(&buf, &len);
	assert_int_equal(gate_write_junit(f, &g), 0);
	fclose(f);
	assert_true(!strncmp(buf, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 38));
	for (p = buf; (p = strstr(p, "<testcase ")); p++)
		n++;
	assert_int_equal(n, 2);
	for (n = 0, p = buf; (p = strstr(p, "<failure ")); p++)
		n++;
	assert_int_equal(n, 2);
	assert_non_null(strstr(buf, "tests=\"2\" failures=\"2\""));
	assert_non_null(strstr(buf, "classname=\"mlockbench.gate.teardown_ns\""));
	assert_non_null(strstr(buf, "within-run noise only"));
	free(buf);
	gate_release(&g);
	synth_free(da, a, 1);
	synth_free(db, b, 1);

	f = open_memstream(&buf, &len);
	xml_escape(f, "a<b & \"c\" 'd'>\x01\n");
	fclose(f);
	assert_string_equal(buf, "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;?&#10;");
	free(buf);
}

/* compare --detail's Holm families: primary rows apart from the secondary ones. */
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
		assert_false(report_metric_redundant(r.rows[i].metric, r.keys[r.rows[i].key]));
		if (!c->tested)
			continue;
		fam = !r.rows[i].primary;
		assert_true(m[fam] < 256);
		idx[fam][m[fam]] = i;
		p[fam][m[fam]++] = c->mwu.p;
	}
	assert_true(m[0] >= 5);		/* teardown (and lat_max unless exit) x 5 configs */
	assert_true(m[1] > 10);
	for (fam = 0; fam < 2; fam++) {
		assert_int_equal(stats_holm(p[fam], m[fam], adj), 0);
		for (i = 0; i < m[fam]; i++)
			assert_true(r.rows[idx[fam][i]].cell[1].p_holm == adj[i]);
	}
	assert_int_equal(r.nfits, 2);
	assert_true(r.fits[0].ok && r.fits[1].ok);
	report_release(&r);
	result_folder_free(f[0]);
	result_folder_free(f[1]);
}

/* A configuration only one side has is INCONCLUSIVE, named, never a pass. */
static void test_missing_config(void **state)
{
	char bdir[32], cdir[32];
	struct synth s = { .release = "6.1.0", .nconf = 2, .reps = 10, .median_ns = 1e6,
			   .noise = 0.01, .seed = 1 };
	struct result_folder *a, *b;
	struct gate_result g;
	size_t i, missing = 0;

	synth_write(bdir, &s);
	s.nconf = 1;
	s.seed = 2;
	synth_write(cdir, &s);
	a = synth_load(bdir);
	b = synth_load(cdir);
	assert_int_equal(gate_runs(&a, 1, &b, 1, &g), 2);
	assert_int_equal(g.unmatched_base, 1);
	for (i = 0; i < g.nrows; i++)
		missing += !!strstr(g.rows[i].why, "only in the baseline");
	assert_int_equal(missing, 1);
	gate_release(&g);
	assert_int_equal(gate_runs(&b, 1, &a, 1, &g), 2);
	for (i = 0, missing = 0; i < g.nrows; i++)
		missing += !!strstr(g.rows[i].why, "only in the candidate");
	assert_int_equal(missing, 1);
	gate_release(&g);
	result_folder_free(a);
	result_folder_free(b);
	assert_int_equal(rm_rf(bdir), 0);
	assert_int_equal(rm_rf(cdir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aa_single_run_pairs),
		cmocka_unit_test(test_aa_three_vs_three),
		cmocka_unit_test(test_planted_copies_scale),
		cmocka_unit_test(test_planted_three_vs_three),
		cmocka_unit_test(test_single_run_far_change),
		cmocka_unit_test(test_more_runs_advice),
		cmocka_unit_test(test_errors_and_metrics),
		cmocka_unit_test(test_junit),
		cmocka_unit_test(test_report_holm_families),
		cmocka_unit_test(test_missing_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
