// SPDX-License-Identifier: GPL-2.0
/*
 * gate --calibrate at the run level: the between-run CV of A/A runs is the
 * drift behind tau, and the A/A runs' ln run medians pool into the p.
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
#include <gsl/gsl_cdf.h>

#include "report/gate.h"
#include "test_util.h"
#include "test_gate_util.h"

#define NCAL 6

struct side {
	char dir[NCAL][32];
	struct result_folder *f[NCAL];
	size_t n;
};

/* @n synthetic runs: drift of CV ~1.6% x @dk, +-5% per repetition, x@scale. */
static void side_make_drift(struct side *s, size_t n, double scale, uint64_t seed, double dk)
{
	static const double drift[] = { 0.01, -0.02, 0.015, -0.005, 0.02, -0.015 };
	size_t i;

	s->n = n;
	for (i = 0; i < n; i++) {
		struct synth y = {
			.release = "6.1.0", .nconf = 2, .reps = 10, .median_ns = 1e6 * scale,
			.drift = dk * drift[(i + seed) % 6], .noise = 0.05, .seed = seed * 100 + i,
			.thp = "madvise",
		};

		synth_write(s->dir[i], &y);
		s->f[i] = synth_load(s->dir[i]);
	}
}

static void side_make(struct side *s, size_t n, double scale, uint64_t seed)
{
	side_make_drift(s, n, scale, seed, 1);
}

static void side_free(struct side *s)
{
	while (s->n--) {
		result_folder_free(s->f[s->n]);
		assert_int_equal(rm_rf(s->dir[s->n]), 0);
	}
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

/* ln of the median of @f's series of the row's metric and configuration. */
static double ln_run_median(struct result_folder *f, const struct gate_result *g,
			    const struct gate_row *gr)
{
	const struct result_config *c = result_folder_match(f, g->rep.k.keys[gr->row->key]);
	const struct result_series *s = result_config_series(c, gr->row->metric);
	double v[64];

	assert_true(s->n > 0 && s->n <= 64);
	memcpy(v, s->v, s->n * sizeof(*v));
	qsort(v, s->n, sizeof(*v), cmp_double);
	return log(s->n % 2 ? v[s->n / 2] : (v[s->n / 2 - 1] + v[s->n / 2]) / 2);
}

/* Sum of squares about the mean of @n values of @x, their mean into @m. */
static double ss(const double *x, size_t n, double *m)
{
	double sum = 0, q = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum += x[i];
	*m = sum / n;
	for (i = 0; i < n; i++)
		q += (x[i] - *m) * (x[i] - *m);
	return q;
}

/*
 * The pooled Student p written out: one run a side, the variance of the
 * ln run medians of the history (df NCAL - 1), two-sided.
 */
static double pooled_p_by_hand(struct side *a, struct side *b, struct side *cal,
			       const struct gate_result *g, const struct gate_row *gr)
{
	double la = ln_run_median(a->f[0], g, gr), lb = ln_run_median(b->f[0], g, gr);
	double lc[NCAL], mc, df = (double)cal->n - 1, t;
	size_t i;

	for (i = 0; i < cal->n; i++)
		lc[i] = ln_run_median(cal->f[i], g, gr);
	t = (lb - la) / sqrt(ss(lc, cal->n, &mc) / df * 2);
	return 2 * gsl_cdf_tdist_Q(fabs(t), df);
}

static int gate_cal(struct result_folder *a, struct result_folder *b,
		    struct result_folder **cal, size_t ncal, double threshold,
		    struct gate_result *g, struct errmsg *e)
{
	struct gate_opts o = { .calib = cal, .ncalib = ncal, .threshold = threshold };

	return gate_evaluate_runs(&a, 1, &b, 1, &o, g, e);
}

/* One run per side, planted 10%: without history inconclusive, with it called. */
static void test_single_run_with_history(void **state)
{
	struct side cal, a, b;
	struct gate_result g;
	size_t r;

	side_make(&cal, NCAL, 1.0, 1);
	side_make(&a, 1, 1.0, 2);
	side_make(&b, 1, 1.10, 3);
	assert_int_equal(gate_cal(a.f[0], b.f[0], NULL, 0, 0, &g, NULL), 0);
	assert_int_equal(g.overall, GATE_INCONCLUSIVE);
	gate_release(&g);
	assert_int_equal(gate_cal(a.f[0], b.f[0], cal.f, NCAL, 0, &g, NULL), 0);
	assert_int_equal(g.ncalibrated, g.nrows);
	assert_int_equal(g.overall, GATE_REGRESSION);
	for (r = 0; r < g.nrows; r++) {
		const struct gate_row *gr = &g.rows[r];
		double cvb;
		size_t runs;

		assert_int_equal(gr->tau_src, GATE_TAU_AA);
		assert_int_equal(gr->tau_runs, NCAL);
		assert_int_equal(gr->p_src, GATE_P_POOLED);
		assert_int_equal(gate_calibrate_cvb(cal.f, NCAL, gr->row->metric,
						    g.rep.k.keys[gr->row->key], &cvb, &runs), 0);
		assert_true(fabs(gr->cvb - cvb) < 1e-12);
		assert_true(cvb > 0.005 && cvb < 0.03);		/* planted ~1.6% */
		assert_true(gr->tau < 0.10);
		/* the p is Student's t of the ln run medians against the history's */
		assert_true(fabs(gr->p - pooled_p_by_hand(&a, &b, &cal, &g, gr)) < 1e-9);
	}
	gate_release(&g);
	/*
	 * --threshold wins for tau; the A/A drift still gives the p, and widens
	 * the within-run CI enough for NO-CHANGE inside a 25% band
	 */
	assert_int_equal(gate_cal(a.f[0], b.f[0], cal.f, NCAL, 0.25, &g, NULL), 0);
	for (r = 0; r < g.nrows; r++) {
		assert_int_equal(g.rows[r].tau_src, GATE_TAU_GIVEN);
		assert_int_equal(g.rows[r].p_src, GATE_P_POOLED);
		assert_int_equal(g.rows[r].verdict, GATE_NO_CHANGE);
	}
	gate_release(&g);
	side_free(&cal);
	side_free(&a);
	side_free(&b);
}

/* Real A/A runs as history for a real A/A pair: never a regression. */
static void test_real_history(void **state)
{
	static const int idx[NRUNS] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct result_folder *f[NRUNS];
	struct gate_result g;
	size_t i, r;

	runs_load("aa", idx, NRUNS, f);
	for (i = 0; i + 1 < 3; i++) {
		assert_int_equal(gate_cal(f[i], f[i + 1], f + 3, 5, 0, &g, NULL), 0);
		assert_true(g.overall != GATE_REGRESSION);
		for (r = 0; r < g.nrows; r++) {
			assert_int_equal(g.rows[r].tau_src, GATE_TAU_AA);
			assert_int_equal(g.rows[r].tau_runs, 5);
		}
		gate_release(&g);
	}
	runs_free(f, NRUNS);
}

/*
 * History never lowers tau below the drift the runs given show, and is not
 * pooled into the p of runs that drift far more than it (F test).
 */
static void test_history_never_lowers(void **state)
{
	struct side cal, a, b;
	struct gate_opts o = { .ncalib = NCAL };
	struct gate_result g;
	size_t r;

	side_make(&cal, NCAL, 1.0, 4);
	side_make_drift(&a, 3, 1.0, 5, 6);	/* drift ~10%: far more than the history's */
	side_make_drift(&b, 3, 1.0, 6, 6);
	o.calib = cal.f;
	assert_int_equal(gate_evaluate_runs(a.f, 3, b.f, 3, &o, &g, NULL), 0);
	for (r = 0; r < g.nrows; r++) {
		assert_int_equal(g.rows[r].tau_src, GATE_TAU_RUNS);
		assert_int_equal(g.rows[r].tau_runs, NCAL);
		assert_int_equal(g.rows[r].p_src, GATE_P_WELCH);
		assert_non_null(strstr(g.rows[r].note, "drift more than the A/A history"));
	}
	assert_true(g.overall != GATE_REGRESSION);
	gate_release(&g);
	/* and where the history drifts more, it is the history's, pooled */
	side_free(&a);
	side_free(&b);
	side_make(&a, 3, 1.0, 5);
	side_make(&b, 3, 1.0, 6);
	side_free(&cal);
	side_make_drift(&cal, NCAL, 1.0, 4, 3);
	o.calib = cal.f;
	assert_int_equal(gate_evaluate_runs(a.f, 3, b.f, 3, &o, &g, NULL), 0);
	for (r = 0; r < g.nrows; r++) {
		assert_int_equal(g.rows[r].tau_src, GATE_TAU_AA);
		assert_int_equal(g.rows[r].p_src, GATE_P_POOLED);
	}
	gate_release(&g);
	side_free(&cal);
	side_free(&a);
	side_free(&b);
}

/*
 * Campaign boots whose host started under clearly different load: a
 * planted 30% is not called (the runs' drift does not cover the load),
 * unless --allow-mismatch; the host's load, not the guest's, decides.
 */
static void test_host_load(void **state)
{
	struct side a, b;
	struct gate_opts o = { 0 };
	struct gate_result g;
	size_t i, r;

	for (i = 0; i < 2; i++) {
		struct side *s = i ? &b : &a;

		s->n = 3;
		for (r = 0; r < 3; r++) {
			struct synth y = {
				.release = "6.1.0", .nconf = 2, .reps = 10,
				.median_ns = 1e6 * (i ? 1.3 : 1.0), .noise = 0.02,
				.seed = 40 + 10 * i + r, .thp = "madvise",
				.host_load1 = i ? 6.0 : 0.2,
			};

			synth_write(s->dir[r], &y);
			s->f[r] = synth_load(s->dir[r]);
		}
	}
	assert_true(a.f[0]->has_host && a.f[0]->host.load1 < 1);
	assert_int_equal(gate_evaluate_runs(a.f, 3, b.f, 3, &o, &g, NULL), 0);
	assert_non_null(strstr(g.load_note, "different load"));
	assert_int_equal(g.overall, GATE_INCONCLUSIVE);
	for (r = 0; r < g.nrows; r++)
		assert_non_null(strstr(g.rows[r].why, "would be REGRESSION"));
	gate_release(&g);
	o.allow_mismatch = true;
	assert_int_equal(gate_evaluate_runs(a.f, 3, b.f, 3, &o, &g, NULL), 0);
	assert_int_equal(g.overall, GATE_REGRESSION);
	gate_release(&g);
	side_free(&a);
	side_free(&b);
}

static void test_errors(void **state)
{
	struct side cal, a, b;
	struct result_folder *twice[2];
	struct errmsg e = { "" };
	struct gate_result g;

	side_make(&cal, 2, 1.0, 5);
	side_make(&a, 1, 1.0, 6);
	side_make(&b, 1, 1.0, 7);
	assert_int_equal(gate_cal(a.f[0], b.f[0], cal.f, 1, 0, &g, &e), -EINVAL);
	assert_non_null(strstr(e.buf, "at least 2"));
	twice[0] = twice[1] = cal.f[0];
	assert_int_equal(gate_cal(a.f[0], b.f[0], twice, 2, 0, &g, &e), -EINVAL);
	assert_non_null(strstr(e.buf, "twice"));
	{
		/* calibration runs of another job: no gated row in two of them */
		struct result_folder *other[2] = { fixture_load("mismatch"), fixture_load("mismatch") };
		struct result_folder *o2 = fixture_load("calib-1");

		other[1] = o2;
		assert_int_equal(gate_cal(a.f[0], b.f[0], other, 2, 0, &g, &e), -EINVAL);
		assert_non_null(strstr(e.buf, "calibration folders"));
		result_folder_free(other[0]);
		result_folder_free(o2);
	}
	side_free(&cal);
	side_free(&a);
	side_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_run_with_history),
		cmocka_unit_test(test_real_history),
		cmocka_unit_test(test_history_never_lowers),
		cmocka_unit_test(test_host_load),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
