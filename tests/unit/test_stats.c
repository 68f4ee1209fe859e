// SPDX-License-Identifier: GPL-2.0
/*
 * The stats module against the SciPy 1.10.1 check values of STATS-NOTES.md
 * plus textbook examples.  The bootstrap CI cannot match SciPy's (another
 * RNG): its point estimate is checked exactly and its CI loosely.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "stats/stats.h"

static const double A[] = { 10.2, 10.4, 10.1, 10.3, 10.4, 10.2, 10.5, 10.3, 10.6, 10.2 };
static const double B[] = { 10.6, 10.8, 10.5, 10.9, 10.4, 10.7, 10.8, 10.6, 11.0, 10.7 };
#define N(x) (sizeof(x) / sizeof((x)[0]))

static void near(double got, double want, double rel)
{
	double tol = rel * fmax(fabs(want), 1e-300);

	if (!(fabs(got - want) <= tol))
		fail_msg("got %.10g, want %.10g (rel tol %g)", got, want, rel);
}

static void test_summary(void **state)
{
	struct stats_summary s;

	assert_int_equal(stats_summary(A, N(A), 0.05, &s), 0);
	assert_int_equal(s.n, 10);
	near(s.mean, 10.32, 1e-9);
	near(s.sd, 0.154919, 4e-6);	/* check value has 6 digits */
	near(s.median, 10.3, 1e-12);
	near(s.mad, 0.148260, 1e-6);
	near(s.mean_lo, 10.209177, 1e-7);
	near(s.mean_hi, 10.430823, 1e-7);
	near(s.min, 10.1, 1e-12);
	near(s.max, 10.6, 1e-12);
	near(s.cv, 0.154919 / 10.32, 4e-6);
	/* n=10: l=2 -> [x(2), x(9)] = [10.2, 10.5], coverage 97.85% */
	near(s.med_lo, 10.2, 1e-12);
	near(s.med_hi, 10.5, 1e-12);
	near(s.med_cover, 1.0 - 2.0 * 11.0 / 1024.0, 1e-12);
}

static void test_median_ci_rank(void **state)
{
	double cov;

	assert_int_equal(stats_median_ci_rank(10, 0.05, &cov), 2);
	near(cov, 0.978515625, 1e-12);
	assert_int_equal(stats_median_ci_rank(5, 0.05, &cov), 1);
	near(cov, 0.9375, 1e-12);
	/* n=20: P(Bin<=5)=0.0207 <= 0.025, P(Bin<=6)=0.0577 -> l=6 */
	assert_int_equal(stats_median_ci_rank(20, 0.05, &cov), 6);
	near(cov, 1 - 2 * 21700.0 / 1048576.0, 1e-9);
}

static void test_mwu_normal_ties(void **state)
{
	struct stats_mwu r;

	assert_int_equal(stats_mwu(A, N(A), B, N(B), &r), 0);
	assert_true(r.ties);
	assert_false(r.exact);
	near(r.u_b, 94.5, 1e-12);
	near(r.p, 0.0008190475, 1e-6);
	near(r.cliff, 2 * 94.5 / 100 - 1, 1e-12);
	assert_string_equal(stats_cliff_magnitude(r.cliff), "large");
	/* symmetric: A against B gives U_A = 100 - 94.5 and the same p */
	assert_int_equal(stats_mwu(B, N(B), A, N(A), &r), 0);
	near(r.u_b, 5.5, 1e-12);
	near(r.p, 0.0008190475, 1e-6);
}

static void test_mwu_exact(void **state)
{
	static const double x[] = { 1.1, 2.3, 3.2, 4.8, 5.5 };
	static const double y[] = { 3.9, 6.1, 7.2, 8.4, 9.0, 9.7 };
	struct stats_mwu r;

	assert_int_equal(stats_mwu(x, N(x), y, N(y), &r), 0);
	assert_true(r.exact);
	near(r.u_b, 28, 1e-12);
	near(r.p, 0.017316017, 1e-7);
}

/* Textbook: complete separation of 3 vs 3 gives p = 2/C(6,3) = 0.1. */
static void test_mwu_textbook(void **state)
{
	static const double x[] = { 1, 2, 3 }, y[] = { 4, 5, 6 };
	static const double u[] = { 1, 3, 5, 7 }, v[] = { 2, 4, 6, 8 };
	struct stats_mwu r;

	assert_int_equal(stats_mwu(x, 3, y, 3, &r), 0);
	near(r.u_b, 9, 1e-12);
	near(r.p, 0.1, 1e-12);
	near(stats_mwu_min_p(3, 3), 0.1, 1e-12);
	near(stats_mwu_min_p(4, 4), 2.0 / 70, 1e-12);
	near(stats_mwu_min_p(8, 8), 2.0 / 12870, 1e-12);
	/* interleaved: U_B = 10 of 16, P(U >= 10) = 24/70 -> p = 48/70 */
	assert_int_equal(stats_mwu(u, 4, v, 4, &r), 0);
	near(r.u_b, 10, 1e-12);
	near(r.p, 48.0 / 70, 1e-12);
	/* all equal: sigma = 0 -> p = 1 */
	assert_int_equal(stats_mwu(x, 1, x, 1, &r), 0);
	assert_int_equal(stats_mwu((double[]){ 2, 2, 2 }, 3, (double[]){ 2, 2, 2 }, 3, &r), 0);
	near(r.p, 1.0, 1e-12);
}

static void test_welch(void **state)
{
	double t, df, p;

	assert_int_equal(stats_welch(A, N(A), B, N(B), &t, &df, &p), 0);
	near(t, 5.018570, 1e-6);
	near(p, 9.625176e-05, 1e-6);
}

static void test_hl(void **state)
{
	struct stats_ratio r;
	/* Textbook shift: b = 2a exactly -> every log difference is ln 2 */
	static const double x[] = { 1, 2, 3, 4, 5 }, y[] = { 2, 4, 6, 8, 10 };

	assert_int_equal(stats_hl_ratio(A, N(A), B, N(B), 0.05, &r), 0);
	near(r.ratio, 1.038648, 1e-6);
	assert_true(r.lo < r.ratio && r.ratio < r.hi);
	assert_true(r.lo > 1.0);	/* consistent with p = 0.0008 */
	assert_int_equal(stats_hl_ratio(x, 5, y, 5, 0.05, &r), 0);
	assert_true(r.ratio > 1.0 && r.ratio < 3.0);
	/* pairs: ln(2 b/a) spread; median of {ln(y_j/x_i)} = ln 2 by symmetry */
	near(r.ratio, 2.0, 1e-12);
	assert_int_equal(stats_hl_ratio(x, 0, y, 5, 0.05, &r), -EINVAL);
	/* 3 vs 3: no 95% CI exists (the full range covers 90%) */
	assert_int_equal(stats_hl_ratio(x, 3, y, 3, 0.05, &r), 0);
	near(r.ratio, 2.0, 1e-12);
	assert_true(r.lo == 0 && isinf(r.hi));
	/* ... but a 90% one does: the range of the 9 differences */
	assert_int_equal(stats_hl_ratio(x, 3, y, 3, 0.10, &r), 0);
	near(r.lo, 2.0 / 3.0, 1e-12);	/* min b/a = 2/3 */
	near(r.hi, 6.0, 1e-12);		/* max b/a = 6/1 */
}

static void test_bootstrap(void **state)
{
	struct stats_ratio r, r2;

	assert_int_equal(stats_boot_median_ratio(A, N(A), B, N(B), 0.05, STATS_BOOT_SEED,
						 STATS_BOOT_RESAMPLES, &r), 0);
	near(r.ratio, 1.03883495, 1e-6);
	/* SciPy: [1.019231, 1.058824] from another RNG stream: loosely */
	assert_true(fabs(r.lo - 1.019231) < 0.006);
	assert_true(fabs(r.hi - 1.058824) < 0.006);
	/* fixed seed: reproducible bit for bit */
	assert_int_equal(stats_boot_median_ratio(A, N(A), B, N(B), 0.05, STATS_BOOT_SEED,
						 STATS_BOOT_RESAMPLES, &r2), 0);
	assert_true(r.lo == r2.lo && r.hi == r2.hi);
}

static void test_holm(void **state)
{
	static const double p[] = { 0.01, 0.04, 0.03, 0.005, 0.20 };
	static const double want[] = { 0.04, 0.09, 0.09, 0.025, 0.2 };
	double adj[5];
	size_t i;

	assert_int_equal(stats_holm(p, 5, adj), 0);
	for (i = 0; i < 5; i++)
		near(adj[i], want[i], 1e-9);
}

static void test_powerfit(void **state)
{
	static const double p[] = { 1, 2, 4, 8, 16, 32 };
	static const double t[] = { 1.00, 1.9, 4.1, 8.3, 15.8, 33.0 };
	struct stats_powerfit f;

	assert_int_equal(stats_powerfit(p, t, 6, 0.05, &f), 0);
	near(f.b, 1.011629, 1e-6);
	near(f.b_lo, 0.979765, 1e-6);
	near(f.b_hi, 1.043493, 1e-6);
	near(f.r2, 0.999485, 1e-6);
	assert_int_equal(stats_powerfit(p, t, 2, 0.05, &f), -EINVAL);
}

static void test_outliers(void **state)
{
	double x[] = { 10.2, 10.4, 10.1, 10.3, 10.4, 10.2, 10.5, 10.3, 10.6, 30.0 };
	unsigned char fl[10];
	size_t n;

	assert_int_equal(stats_outliers(x, 10, fl, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(fl[9], 2);	/* z = 19.65/0.222 > 10 */
	x[9] = 11.2;			/* median 10.35, MAD 0.222: z = 3.8 */
	assert_int_equal(stats_outliers(x, 10, fl, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(fl[9], 1);
	assert_int_equal(stats_outliers(A, N(A), fl, &n), 0);
	assert_int_equal(n, 0);
}

static void test_runs_needed(void **state)
{
	/* 2 (1.95996 + 0.84162)^2 (0.05/0.05)^2 / 0.955 = 16.44 -> 17 */
	assert_int_equal(stats_runs_needed(0.05, 0.05, 0.05, 0.2), 17);
	/* tiny CV: the exact-MWU floor (n=5: 2/252 <= 0.05, n=4: 2/70 <= 0.05) */
	assert_int_equal(stats_runs_needed(0.001, 0.5, 0.05, 0.2), 4);
	assert_int_equal(stats_runs_needed(0.001, 0.5, 0.01, 0.2), 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_median_ci_rank),
		cmocka_unit_test(test_mwu_normal_ties),
		cmocka_unit_test(test_mwu_exact),
		cmocka_unit_test(test_mwu_textbook),
		cmocka_unit_test(test_welch),
		cmocka_unit_test(test_hl),
		cmocka_unit_test(test_bootstrap),
		cmocka_unit_test(test_holm),
		cmocka_unit_test(test_powerfit),
		cmocka_unit_test(test_outliers),
		cmocka_unit_test(test_runs_needed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
