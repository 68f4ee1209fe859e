// SPDX-License-Identifier: GPL-2.0
/*
 * gate --calibrate on the committed fixtures: calib-1..3 are three runs of
 * one kernel with run-level offsets 1.00, 1.06, 0.94 (CV 1% within a run),
 * calib-drift the same kernel 5% slower, calib-slow a planted 25% slowdown,
 * calib-p4 one more run with procs=4 only, calib-noisy the same kernel
 * with CV 8%.
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

static const char *const calib_names[] = { "calib-1", "calib-2", "calib-3" };

struct fx {
	struct result_folder *base, *drift, *slow, *calib[3];
};

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));
	size_t i;

	x->base = fixture_load("calib-1");
	x->drift = fixture_load("calib-drift");
	x->slow = fixture_load("calib-slow");
	for (i = 0; i < 3; i++)
		x->calib[i] = fixture_load(calib_names[i]);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;
	size_t i;

	result_folder_free(x->base);
	result_folder_free(x->drift);
	result_folder_free(x->slow);
	for (i = 0; i < 3; i++)
		result_folder_free(x->calib[i]);
	free(x);
	return 0;
}

static size_t count(const struct gate_result *g, enum gate_verdict v)
{
	size_t i, n = 0;

	for (i = 0; i < g->nrows; i++)
		n += g->rows[i].verdict == v;
	return n;
}

/* |ln r| of the Hodges-Lehmann ratio of one metric and config between two folders */
static double abs_log_hl(const struct result_folder *a, const struct result_folder *b,
			 const char *metric, const struct result_config *key)
{
	const struct result_series *sa, *sb;
	struct stats_ratio r;

	sa = result_config_series(result_folder_match(a, key), metric);
	sb = result_config_series(result_folder_match(b, key), metric);
	assert_non_null(sa);
	assert_non_null(sb);
	assert_int_equal(stats_hl_ratio(sa->v, sa->n, sb->v, sb->n, 0.05, &r), 0);
	return fabs(log(r.ratio));
}

/* Without history the 5% drift between runs is a false alarm; with it, not. */
static void test_drift_false_alarm(void **state)
{
	struct fx *x = *state;
	struct gate_result g;
	size_t i;

	assert_int_equal(gate_evaluate(x->base, x->drift, NULL, 0, 0, &g, NULL), 0);
	assert_int_equal(count(&g, GATE_REGRESSION), 4);
	for (i = 0; i < g.nrows; i++)
		assert_int_equal(g.rows[i].tau_src, GATE_TAU_CV);
	gate_release(&g);

	assert_int_equal(gate_evaluate_calibrated(x->base, x->drift, NULL, 0, 0, x->calib, 3,
						  &g, NULL), 0);
	assert_int_equal(g.nrows, 4);
	assert_int_equal(g.ncalibrated, 4);
	assert_int_equal(count(&g, GATE_REGRESSION), 0);
	assert_int_equal(count(&g, GATE_IMPROVEMENT), 0);
	assert_int_equal(count(&g, GATE_NO_CHANGE) + count(&g, GATE_INCONCLUSIVE), 4);
	assert_int_not_equal(gate_exit_status(g.overall), 1);
	for (i = 0; i < g.nrows; i++) {
		const struct gate_row *r = &g.rows[i];
		const struct result_config *key = g.rep.keys[r->row->key];
		double d01 = abs_log_hl(x->calib[0], x->calib[1], r->row->metric, key);
		double d02 = abs_log_hl(x->calib[0], x->calib[2], r->row->metric, key);
		double d12 = abs_log_hl(x->calib[1], x->calib[2], r->row->metric, key);
		double want = expm1(fmax(d01, fmax(d02, d12)));	/* 3 pairs: the largest */

		assert_int_equal(r->tau_src, GATE_TAU_AA);
		assert_int_equal(r->tau_pairs, 3);
		assert_true(fabs(r->tau - fmax(0.02, want)) < 1e-12);
		assert_true(r->tau_aa == want);
		/* offsets 1.06 and 0.94: ln(1.06/0.94) = 0.12, tau near 12.8% */
		assert_true(r->tau > 0.10 && r->tau < 0.16);
		assert_true(r->w > 1.03 && r->w < 1.07);	/* the drift is still seen */
		assert_string_equal(r->note, "");
	}
	gate_release(&g);
}

/* Calibration must not hide a real slowdown: the planted 25% still fails. */
static void test_planted_still_regression(void **state)
{
	struct fx *x = *state;
	struct gate_result g;
	size_t i;

	assert_int_equal(gate_evaluate_calibrated(x->base, x->slow, NULL, 0, 0, x->calib, 3,
						  &g, NULL), 0);
	assert_int_equal(count(&g, GATE_REGRESSION), 4);
	assert_int_equal(gate_exit_status(g.overall), 1);
	for (i = 0; i < g.nrows; i++) {
		assert_int_equal(g.rows[i].tau_src, GATE_TAU_AA);
		assert_true(g.rows[i].w > 1.2 && g.rows[i].w < 1.3);
	}
	gate_release(&g);
	/* and the other way round it is an improvement */
	assert_int_equal(gate_evaluate_calibrated(x->slow, x->base, NULL, 0, 0, x->calib, 3,
						  &g, NULL), 0);
	assert_int_equal(count(&g, GATE_IMPROVEMENT), 4);
	gate_release(&g);
}

/* An explicit threshold wins over calibration (which is still computed). */
static void test_threshold_wins(void **state)
{
	struct fx *x = *state;
	struct gate_result g;
	size_t i;

	assert_int_equal(gate_evaluate_calibrated(x->base, x->drift, NULL, 0, 0.03, x->calib, 3,
						  &g, NULL), 0);
	assert_true(g.tau_given);
	assert_int_equal(count(&g, GATE_REGRESSION), 4);	/* 1.05 > 1.03 */
	for (i = 0; i < g.nrows; i++) {
		assert_int_equal(g.rows[i].tau_src, GATE_TAU_GIVEN);
		assert_true(g.rows[i].tau == 0.03);
		assert_int_equal(g.rows[i].tau_pairs, 3);
	}
	gate_release(&g);
}

/* Rows in fewer than two calibration folders fall back to the CV rule, said. */
static void test_partial_fallback(void **state)
{
	struct fx *x = *state;
	struct result_folder *p4 = fixture_load("calib-p4"), *mm = fixture_load("mismatch");
	struct result_folder *cal[3] = { p4, x->calib[1], mm };
	struct errmsg e = { "" };
	struct gate_result g;
	size_t i, aa = 0, cv = 0;

	assert_int_equal(gate_evaluate_calibrated(x->base, x->drift, NULL, 0, 0, cal, 3, &g, &e),
			 0);
	assert_int_equal(g.ncalibrated, 2);
	for (i = 0; i < g.nrows; i++) {
		const struct gate_row *r = &g.rows[i];

		if (g.rep.keys[r->row->key]->procs == 4) {
			assert_int_equal(r->tau_src, GATE_TAU_AA);
			assert_int_equal(r->tau_pairs, 1);	/* calib-p4 vs calib-2 */
			assert_string_equal(r->note, "");
			aa++;
		} else {
			const struct report_cell *ca = &r->row->cell[0], *cb = &r->row->cell[1];
			double c = sqrt((ca->s.cv * ca->s.cv + cb->s.cv * cb->s.cv) / 2);

			assert_int_equal(r->tau_src, GATE_TAU_CV);
			assert_true(fabs(r->tau - fmax(0.02, 3 * c * sqrt(2.0 / 10))) < 1e-12);
			assert_non_null(strstr(r->note, "fewer than 2 calibration folders"));
			cv++;
		}
	}
	assert_int_equal(aa, 2);
	assert_int_equal(cv, 2);
	gate_release(&g);

	/* nothing gated is in two of them: an error, not a silent CV fallback */
	cal[1] = mm;
	cal[0] = p4;
	assert_int_equal(gate_evaluate_calibrated(x->base, x->drift, NULL, 0, 0, cal, 2, &g, &e),
			 -EINVAL);
	assert_non_null(strstr(e.buf, "calibration folders"));
	result_folder_free(p4);
	result_folder_free(mm);
}

/* Calibration never lowers tau below the CV rule: a noisy candidate. */
static void test_cv_above_aa(void **state)
{
	struct fx *x = *state;
	struct result_folder *p4 = fixture_load("calib-p4"), *noisy = fixture_load("calib-noisy");
	struct result_folder *cal[2] = { p4, x->calib[1] };
	struct gate_result g;
	char *buf = NULL;
	size_t i, len = 0, above = 0;
	FILE *f;

	assert_int_equal(gate_evaluate_calibrated(x->base, noisy, NULL, 0, 0, cal, 2, &g, NULL),
			 0);
	for (i = 0; i < g.nrows; i++) {
		const struct gate_row *r = &g.rows[i];
		const struct report_cell *ca = &r->row->cell[0], *cb = &r->row->cell[1];
		double c = sqrt((ca->s.cv * ca->s.cv + cb->s.cv * cb->s.cv) / 2);
		double cv_tau = fmax(0.02, 3 * c * sqrt(2.0 / 10));

		assert_true(r->tau >= cv_tau);
		if (g.rep.keys[r->row->key]->procs != 4)
			continue;
		assert_int_equal(r->tau_pairs, 1);
		assert_true(r->tau_aa > 0.02 && r->tau_aa < 0.04);	/* 1.06 / 1.03 */
		assert_true(cv_tau > r->tau_aa);
		assert_int_equal(r->tau_src, GATE_TAU_CV);
		assert_true(r->tau == cv_tau);
		above++;
	}
	assert_int_equal(above, 2);
	f = open_memstream(&buf, &len);
	gate_print(f, &g);
	fclose(f);
	assert_non_null(strstr(buf, "(CV; A/A 2."));
	free(buf);
	gate_release(&g);
	result_folder_free(p4);
	result_folder_free(noisy);
}

static void test_errors(void **state)
{
	struct fx *x = *state;
	struct result_folder *twice[2] = { x->calib[0], x->calib[0] };
	struct errmsg e = { "" };
	struct gate_result g;

	assert_int_equal(gate_evaluate_calibrated(x->base, x->drift, NULL, 0, 0, x->calib, 1,
						  &g, &e), -EINVAL);
	assert_non_null(strstr(e.buf, "at least 2"));
	e.buf[0] = 0;
	assert_int_equal(gate_evaluate_calibrated(x->base, x->drift, NULL, 0, 0, twice, 2,
						  &g, &e), -EINVAL);
	assert_non_null(strstr(e.buf, "twice"));
}

/*
 * The nearest-rank rule: up to 100 pairs the largest |ln r|, above that the
 * ceil(0.99 k)-th smallest.  calib-2, calib-3 and n copies of calib-1: the
 * largest pair is calib-2/calib-3 (once), the next calib-1/calib-3.
 */
static void test_nearest_rank(void **state)
{
	struct fx *x = *state;
	struct result_folder *v[15];
	const struct result_config *key = &x->base->configs[0];
	double tau, q, d23, d13;
	size_t i, pairs;

	d23 = abs_log_hl(x->calib[1], x->calib[2], "teardown_ns", key);
	d13 = abs_log_hl(x->calib[0], x->calib[2], "teardown_ns", key);
	assert_true(d23 > d13);
	v[0] = x->calib[1];
	v[1] = x->calib[2];
	for (i = 2; i < 15; i++)
		v[i] = x->calib[0];
	/* 14 folders: 91 pairs, the largest */
	assert_int_equal(gate_calibrate_tau(v, 14, "teardown_ns", key, &tau, &pairs, &q), 0);
	assert_int_equal(pairs, 91);
	assert_true(q == expm1(d23));
	/* 15 folders: 105 pairs, the 104th smallest */
	assert_int_equal(gate_calibrate_tau(v, 15, "teardown_ns", key, &tau, &pairs, &q), 0);
	assert_int_equal(pairs, 105);
	assert_true(fabs(q - expm1(d13)) < 1e-12);
	assert_true(tau == fmax(0.02, q));
	/* a metric nowhere: no pairs */
	assert_int_equal(gate_calibrate_tau(v, 15, "nope_ns", key, &tau, &pairs, &q), -ENOENT);
}

/* The table names each row's tau source and the folders; JUnit carries them. */
static void test_outputs(void **state)
{
	struct fx *x = *state;
	struct gate_result g;
	char *buf = NULL;
	size_t len = 0, n = 0;
	FILE *f;
	char *p;

	assert_int_equal(gate_evaluate_calibrated(x->base, x->drift, NULL, 0, 0, x->calib, 3,
						  &g, NULL), 0);
	f = open_memstream(&buf, &len);
	gate_print(f, &g);
	fclose(f);
	assert_non_null(strstr(buf, "A/A calibration, 3 folders:"));
	assert_non_null(strstr(buf, "results/calib-3"));
	for (p = buf; (p = strstr(p, "(A/A 3 pairs)")); p++)
		n++;
	assert_int_equal(n, 4);
	assert_null(strstr(buf, "(CV)"));
	free(buf);

	f = open_memstream(&buf, &len);
	assert_int_equal(gate_write_junit(f, &g), 0);
	fclose(f);
	for (n = 0, p = buf; (p = strstr(p, "<property name=\"calibration\"")); p++)
		n++;
	assert_int_equal(n, 3);
	assert_non_null(strstr(buf, "threshold 1"));
	assert_non_null(strstr(buf, "% (A/A 3 pairs)"));
	assert_null(strstr(buf, "<failure"));
	free(buf);
	gate_release(&g);

	/* without calibration: the CV source and no properties */
	assert_int_equal(gate_evaluate(x->base, x->drift, NULL, 0, 0, &g, NULL), 0);
	f = open_memstream(&buf, &len);
	assert_int_equal(gate_write_junit(f, &g), 0);
	fclose(f);
	assert_null(strstr(buf, "<properties>"));
	assert_non_null(strstr(buf, "% (CV)"));
	free(buf);
	gate_release(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drift_false_alarm),
		cmocka_unit_test(test_planted_still_regression),
		cmocka_unit_test(test_threshold_wins),
		cmocka_unit_test(test_partial_fallback),
		cmocka_unit_test(test_cv_above_aa),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_nearest_rank),
		cmocka_unit_test(test_outputs),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
