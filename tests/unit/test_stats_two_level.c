// SPDX-License-Identifier: GPL-2.0
/*
 * The two-level statistics against tests/fixtures/two-level/expected.json,
 * which two_level.py computed from inputs.json with numpy/scipy and an
 * exact enumeration of the hierarchical bootstrap's distribution.  Inputs
 * and expected values are read from the fixture, never copied here.
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

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <jansson.h>

#include "stats/two_level.h"

#define MAX_RUNS 16

struct side {
	struct stats_run run[MAX_RUNS];
	double *vals;
	size_t m;
};

static json_t *inputs, *expected;

static void near(double got, double want, double rel, const char *what)
{
	double tol = rel * fmax(fabs(want), 1e-12);

	if (!(fabs(got - want) <= tol))
		fail_msg("%s: got %.12g, want %.12g (rel tol %g)", what, got, want, rel);
}

static json_t *load(const char *name)
{
	const char *root = getenv("MLB_FIXTURES");
	char path[4096];
	json_error_t err;
	json_t *j;

	snprintf(path, sizeof(path), "%s/two-level/%s", root ? root : "tests/fixtures", name);
	j = json_load_file(path, 0, &err);
	if (!j)
		fail_msg("%s:%d: %s", path, err.line, err.text);
	return j;
}

static int setup(void **state)
{
	inputs = load("inputs.json");
	expected = load("expected.json");
	return 0;
}

static int teardown(void **state)
{
	json_decref(inputs);
	json_decref(expected);
	return 0;
}

static double num(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_number(v))
		fail_msg("fixture: %s is not a number", key);
	return json_number_value(v);
}

static void side_load(const json_t *runs, struct side *s)
{
	size_t i, j, total = 0, k = 0;

	s->m = json_array_size(runs);
	assert_true(s->m > 0 && s->m <= MAX_RUNS);
	for (i = 0; i < s->m; i++)
		total += json_array_size(json_array_get(runs, i));
	s->vals = calloc(total, sizeof(double));
	assert_non_null(s->vals);
	for (i = 0; i < s->m; i++) {
		const json_t *r = json_array_get(runs, i);

		s->run[i].x = s->vals + k;
		s->run[i].n = json_array_size(r);
		for (j = 0; j < s->run[i].n; j++)
			s->vals[k++] = json_number_value(json_array_get(r, j));
	}
}

static void side_free(struct side *s)
{
	free(s->vals);
}

static void check_components(const struct side *s, const json_t *e, const char *name)
{
	struct stats_two_level tl;
	char what[64];

#define CHECK(field) do { \
		snprintf(what, sizeof(what), "%s %s", name, #field); \
		near(tl.field, num(e, #field), 1e-9, what); \
	} while (0)
	assert_int_equal(stats_two_level(s->run, s->m, num(inputs, "alpha"), &tl), 0);
	assert_int_equal(tl.m, s->m);
	CHECK(r_h);
	CHECK(mean);
	CHECK(s1sq);
	CHECK(s2sq);
	CHECK(t1sq);
	CHECK(ci_lo);
	CHECK(ci_hi);
	CHECK(cv_within);
	assert_int_equal(tl.no_between, json_is_true(json_object_get(e, "no_between")));
	if (tl.no_between) {
		/* clamped, never a negative component or a nan CV */
		assert_true(num(e, "t2sq_raw") < 0);
		assert_true(tl.t2sq == 0 && tl.cv_between == 0);
	} else {
		CHECK(t2sq);
		CHECK(cv_between);
	}
#undef CHECK
	assert_int_equal(stats_optimal_reps(tl.t1sq, tl.t2sq, num(inputs, "c1"),
					    num(inputs, "c2"), (size_t)num(inputs, "r_max")),
			 (size_t)num(e, "r_opt"));
}

static void each_dataset(void (*fn)(const json_t *in, const json_t *ex, struct side *a,
				    struct side *b))
{
	const json_t *ins = json_object_get(inputs, "datasets");
	const json_t *exs = json_object_get(expected, "datasets");
	size_t i;

	assert_true(json_array_size(ins) >= 3);
	assert_int_equal(json_array_size(ins), json_array_size(exs));
	for (i = 0; i < json_array_size(ins); i++) {
		const json_t *in = json_array_get(ins, i), *ex = json_array_get(exs, i);
		struct side a, b;

		side_load(json_object_get(in, "a"), &a);
		side_load(json_object_get(in, "b"), &b);
		fn(in, ex, &a, &b);
		side_free(&a);
		side_free(&b);
	}
}

static void components_one(const json_t *in, const json_t *ex, struct side *a, struct side *b)
{
	const char *name = json_string_value(json_object_get(in, "name"));

	check_components(a, json_object_get(ex, "a"), name);
	check_components(b, json_object_get(ex, "b"), name);
}

static void test_components(void **state)
{
	each_dataset(components_one);
}

static void run_test_one(const json_t *in, const json_t *ex, struct side *a, struct side *b)
{
	const json_t *e = json_object_get(ex, "run_test");
	struct stats_run_test rt;

	assert_int_equal(stats_run_test(a->run, a->m, b->run, b->m, &rt), 0);
	assert_true(rt.welch_ok);
	near(rt.ratio, num(e, "ratio"), 1e-12, "run ratio");
	near(rt.t, num(e, "t"), 1e-9, "welch t");
	near(rt.df, num(e, "df"), 1e-9, "welch df");
	near(rt.p, num(e, "p"), 1e-7, "welch p");
	assert_int_equal(rt.rank_ok, json_is_true(json_object_get(e, "rank_ok")));
	if (rt.rank_ok) {
		near(rt.mwu.u_b, num(e, "u_b"), 1e-12, "mwu U_B");
		assert_int_equal(rt.mwu.ties, json_is_true(json_object_get(e, "mwu_ties")));
		assert_int_equal(rt.mwu.exact, !rt.mwu.ties);
		near(rt.mwu.p, num(e, "mwu_p"), 1e-9, "mwu p");
	}
}

static void test_run_level(void **state)
{
	each_dataset(run_test_one);
}

/* The pooled run-level t against the fixture's, and its refusal of drifting sides. */
static void test_pooled(void **state)
{
	const json_t *in = json_object_get(inputs, "pooled");
	const json_t *ex = json_object_get(expected, "pooled");
	size_t i;

	assert_true(json_array_size(in) >= 3);
	assert_int_equal(json_array_size(in), json_array_size(ex));
	for (i = 0; i < json_array_size(in); i++) {
		const json_t *pi = json_array_get(in, i), *pe = json_array_get(ex, i);
		struct side a, b, c;
		double t = NAN, df = NAN, p = NAN;
		int err;

		side_load(json_object_get(pi, "a"), &a);
		side_load(json_object_get(pi, "b"), &b);
		side_load(json_object_get(pi, "c"), &c);
		err = stats_run_test_pooled(a.run, a.m, b.run, b.m, c.run, c.m, &t, &df, &p);
		if (json_is_true(json_object_get(pe, "refused"))) {
			assert_int_equal(err, -EDOM);
		} else {
			assert_int_equal(err, 0);
			near(t, num(pe, "t"), 1e-9, "pooled t");
			near(df, num(pe, "df"), 1e-12, "pooled df");
			near(p, num(pe, "p"), 1e-7, "pooled p");
		}
		side_free(&a);
		side_free(&b);
		side_free(&c);
	}
}

static void plan_one(const json_t *in, const json_t *ex, struct side *a, struct side *b)
{
	const json_t *e = json_object_get(ex, "plan");
	double alpha = num(inputs, "alpha"), beta = num(inputs, "beta");
	double cvb = num(e, "cv_between"), cvw = num(e, "cv_within");
	size_t r = (size_t)num(e, "r"), ms[] = { 2, 3, 6, 12 }, i;
	struct stats_plan_in pin = {
		.cv_between = cvb, .cv_within = cvw, .r = r, .target = num(inputs, "target_ln"),
		.alpha = alpha, .beta = beta, .c1 = num(inputs, "c1"), .c2 = num(inputs, "c2"),
		.r_max = (size_t)num(inputs, "r_max"), .m_now = (size_t)num(e, "m_now"),
		.m_max = (size_t)num(inputs, "m_max"),
	};
	struct stats_plan plan;
	struct stats_tau tau;
	char key[32];

	for (i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
		snprintf(key, sizeof(key), "delta_m%zu", ms[i]);
		near(stats_detectable_change(cvb, cvw, r, ms[i], alpha, beta), num(e, key), 1e-9,
		     key);
	}
	assert_int_equal(stats_plan_runs(&pin, &plan), 0);
	near(plan.delta_now, num(e, "delta_now"), 1e-9, "delta_now");
	assert_true(plan.reachable);
	assert_int_equal(plan.m_needed, (size_t)num(e, "m_needed"));
	assert_int_equal(plan.more_runs, plan.m_needed > pin.m_now ? plan.m_needed - pin.m_now : 0);
	assert_int_equal(plan.r_opt, (size_t)num(e, "r_opt"));
	assert_int_equal(stats_drift_tau(cvb, cvw, r, pin.m_now, STATS_DRIFT_PRIOR_CV,
					 num(inputs, "tau_k"), num(inputs, "tau_min"), &tau), 0);
	assert_false(tau.assumed);
	near(tau.tau, num(e, "tau"), 1e-9, "tau");
}

static void test_plan(void **state)
{
	each_dataset(plan_one);
}

/* Mean and variance of n draws. */
static void draw_moments(const double *d, size_t n, double *mean, double *var)
{
	double s = 0, ss = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += d[i];
	*mean = s / n;
	for (i = 0; i < n; i++)
		ss += (d[i] - *mean) * (d[i] - *mean);
	*var = ss / n;
}

/*
 * The seeded draws follow the exactly enumerated distribution: moments
 * within a few percent (the flat bootstrap's variance is 35-65% off, far
 * outside), and at the CI level the script chose the percentiles are the
 * exact atoms.
 */
static void test_boot_exact(void **state)
{
	const json_t *ins = json_object_get(inputs, "boot_exact");
	const json_t *exs = json_object_get(expected, "boot_exact");
	size_t i;

	assert_int_equal(json_array_size(ins), 2);
	for (i = 0; i < json_array_size(ins); i++) {
		const json_t *in = json_array_get(ins, i), *e = json_array_get(exs, i);
		const char *stat = json_string_value(json_object_get(in, "stat"));
		struct stats_hboot_opts o;
		struct stats_hboot res;
		double *draws, mean, var;
		struct side a, b;

		side_load(json_object_get(in, "a"), &a);
		side_load(json_object_get(in, "b"), &b);
		stats_hboot_opts_default(&o);
		o.stat = !strcmp(stat, "median") ? STATS_HBOOT_MEDIAN : STATS_HBOOT_MEAN;
		draws = malloc(o.resamples * sizeof(*draws));
		assert_non_null(draws);
		assert_int_equal(stats_hboot_draws(a.run, a.m, b.run, b.m, &o, draws), 0);
		draw_moments(draws, o.resamples, &mean, &var);
		near(mean, num(e, "mean"), 0.02, "boot mean");
		near(var, num(e, "var"), 0.08, "boot variance");
		/* the tolerance separates the hierarchical from the flat scheme */
		assert_true(fabs(num(e, "flat_var") - num(e, "var")) > 0.2 * num(e, "var"));
		o.alpha = num(e, "alpha");
		assert_int_equal(stats_hboot_ratio(a.run, a.m, b.run, b.m, &o, &res), 0);
		near(res.lo, num(e, "lo"), 1e-12, "boot lo atom");
		near(res.hi, num(e, "hi"), 1e-12, "boot hi atom");
		assert_int_equal(res.valid, o.resamples);
		assert_false(res.within_only);
		free(draws);
		side_free(&a);
		side_free(&b);
	}
}

static void test_boot_deterministic(void **state)
{
	const json_t *in = json_array_get(json_object_get(inputs, "datasets"), 0);
	struct stats_hboot r1, r2, r3;
	struct stats_hboot_opts o;
	struct side a, b;

	side_load(json_object_get(in, "a"), &a);
	side_load(json_object_get(in, "b"), &b);
	stats_hboot_opts_default(&o);
	assert_int_equal(o.resamples, 10000);
	assert_int_equal(stats_hboot_ratio(a.run, a.m, b.run, b.m, &o, &r1), 0);
	assert_int_equal(stats_hboot_ratio(a.run, a.m, b.run, b.m, &o, &r2), 0);
	assert_true(r1.lo == r2.lo && r1.hi == r2.hi && r1.ratio == r2.ratio);
	assert_true(r1.lo < r1.ratio && r1.ratio < r1.hi);
	o.seed = 7;
	assert_int_equal(stats_hboot_ratio(a.run, a.m, b.run, b.m, &o, &r3), 0);
	assert_true(r3.lo != r1.lo || r3.hi != r1.hi);
	/* the ratio of the means of run means */
	near(r1.ratio, 108.01 / 101.485, 1e-12, "point ratio");
	o.stat = STATS_HBOOT_MEDIAN;
	assert_int_equal(stats_hboot_ratio(a.run, a.m, b.run, b.m, &o, &r3), 0);
	/* run medians A {100.6,104.2,98.8,102.2}, B {107,110.9,105.3,108.8} */
	near(r3.ratio, ((107.0 + 108.8) / 2) / ((100.6 + 102.2) / 2), 1e-12, "median ratio");
	side_free(&a);
	side_free(&b);
}

/*
 * Coverage on synthetic data with a known truth (ratio 1): between-run CV
 * 4%, within 1%, 6 runs x 10 per side.  The hierarchical CI must cover the
 * truth most of the time; the same draws treated as one run (the flaw of
 * issue 11) must not.
 */
static void test_boot_coverage(void **state)
{
	enum { EXPERIMENTS = 200, M = 6, R = 10 };
	double va[M * R], vb[M * R];
	struct stats_run ra[M], rb[M], fa = { va, M * R }, fb = { vb, M * R };
	struct stats_hboot_opts o;
	struct stats_hboot res;
	size_t e, i, j, hier = 0, flat = 0;
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);

	assert_non_null(rng);
	gsl_rng_set(rng, 12345);
	stats_hboot_opts_default(&o);
	o.resamples = 1000;
	for (e = 0; e < EXPERIMENTS; e++) {
		for (i = 0; i < M; i++) {
			double ma = 100 * (1 + gsl_ran_gaussian(rng, 0.04));
			double mb = 100 * (1 + gsl_ran_gaussian(rng, 0.04));

			for (j = 0; j < R; j++) {
				va[i * R + j] = ma + gsl_ran_gaussian(rng, 1.0);
				vb[i * R + j] = mb + gsl_ran_gaussian(rng, 1.0);
			}
			ra[i] = (struct stats_run){ va + i * R, R };
			rb[i] = (struct stats_run){ vb + i * R, R };
		}
		o.seed = e + 1;
		assert_int_equal(stats_hboot_ratio(ra, M, rb, M, &o, &res), 0);
		hier += res.lo <= 1 && 1 <= res.hi;
		assert_int_equal(stats_hboot_ratio(&fa, 1, &fb, 1, &o, &res), 0);
		assert_true(res.within_only);
		flat += res.lo <= 1 && 1 <= res.hi;
	}
	gsl_rng_free(rng);
	print_message("coverage of the truth: hierarchical %zu/%d, one-level %zu/%d\n", hier,
		      EXPERIMENTS, flat, EXPERIMENTS);
	assert_true(hier >= EXPERIMENTS * 80 / 100);
	assert_true(flat <= EXPERIMENTS * 60 / 100);
}

static void test_edges(void **state)
{
	static const double one[] = { 5, 6, 7 }, single[] = { 5 }, bad[] = { 5, NAN },
			    neg[] = { 5, -1 };
	struct stats_run r1 = { one, 3 }, rs = { single, 1 }, rbad = { bad, 2 },
			 rneg = { neg, 2 }, two[2] = { { one, 3 }, { one, 3 } };
	struct stats_two_level tl;
	struct stats_run_test rt;
	struct stats_hboot_opts o;
	struct stats_hboot hb;
	struct stats_tau tau;
	size_t m;

	/* one run: within-run level only */
	assert_int_equal(stats_two_level(&r1, 1, 0.05, &tl), 0);
	near(tl.s1sq, 1.0, 1e-12, "s1sq one run");
	assert_true(isnan(tl.s2sq) && isnan(tl.t2sq) && isnan(tl.cv_between));
	assert_true(isnan(tl.ci_lo) && isnan(tl.ci_hi));
	/* identical runs: no between-run variance, CI of zero width */
	assert_int_equal(stats_two_level(two, 2, 0.05, &tl), 0);
	assert_true(tl.no_between && tl.t2sq == 0 && tl.ci_lo == tl.ci_hi);
	assert_int_equal(stats_two_level(&rs, 1, 0.05, &tl), -EINVAL);	/* no dof */
	assert_int_equal(stats_two_level(&rbad, 1, 0.05, &tl), -EINVAL);
	assert_int_equal(stats_two_level(&r1, 0, 0.05, &tl), -EINVAL);
	/* r*: T2^2 = 0 -> r_max, T1^2 = 0 -> 1, else the formula */
	assert_int_equal(stats_optimal_reps(1, 0, 1, 10, 50), 50);
	assert_int_equal(stats_optimal_reps(0, 1, 1, 10, 50), 1);
	assert_int_equal(stats_optimal_reps(4, 1, 1, 9, 50), 6);	/* sqrt(36) */
	assert_int_equal(stats_optimal_reps(4, 1, 1, 10, 50), 7);	/* ceil(6.32) */
	/* single run per side: CI flagged, no Welch, no ranks */
	stats_hboot_opts_default(&o);
	o.resamples = 200;
	assert_int_equal(stats_hboot_ratio(&r1, 1, two, 2, &o, &hb), 0);
	assert_true(hb.within_only);
	assert_int_equal(stats_run_test(&r1, 1, &r1, 1, &rt), 0);
	assert_false(rt.welch_ok);
	assert_false(rt.rank_ok);
	assert_true(isnan(rt.p));
	assert_int_equal(stats_run_test(&rneg, 1, &r1, 1, &rt), -EDOM);
	/* unreachable plans say so */
	assert_int_equal(stats_runs_for_change(0.5, 0.1, 10, 0.01, 0.05, 0.2, 3, &m), -ERANGE);
	assert_int_equal(stats_runs_for_change(0.05, 0.1, 10, 0, 0.05, 0.2, 100, &m), -EINVAL);
	assert_true(isnan(stats_detectable_change(0.05, 0.01, 10, 1, 0.05, 0.2)));
	/* tau: unknown drift uses the prior and says so; floor at tau_min */
	assert_int_equal(stats_drift_tau(NAN, 0.01, 10, 1, 0.05, 2, 0.02, &tau), 0);
	assert_true(tau.assumed);
	near(tau.tau, expm1(2 * sqrt(2 * (0.0025 + 0.0001 / 10))), 1e-12, "tau prior");
	assert_int_equal(stats_drift_tau(0, 0, 10, 8, 0.05, 2, 0.02, &tau), 0);
	assert_true(!tau.assumed && tau.tau == 0.02);
	assert_int_equal(stats_drift_tau(NAN, 0.01, 10, 1, NAN, 2, 0.02, &tau), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_components),
		cmocka_unit_test(test_run_level),
		cmocka_unit_test(test_pooled),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_boot_exact),
		cmocka_unit_test(test_boot_deterministic),
		cmocka_unit_test(test_boot_coverage),
		cmocka_unit_test(test_edges),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
