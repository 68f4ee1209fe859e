/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Statistics for compare and gate (formulas: STATS-NOTES.md).  Pure
 * functions on arrays of doubles; inputs are never modified (copies are
 * sorted).  All return 0 or -errno (-EINVAL for too few values, -ENOMEM).
 * Ratios are B/A: "candidate over baseline".
 */
#ifndef MLB_STATS_H
#define MLB_STATS_H

#include <stdbool.h>
#include <stddef.h>

#define STATS_ALPHA 0.05
#define STATS_BOOT_SEED 42ul
#define STATS_BOOT_RESAMPLES 10000
/* Exact Mann-Whitney distribution when there are no ties and nA+nB <= this. */
#define STATS_MWU_EXACT_MAX 40
/* Robust z (x - median) / (1.4826 MAD): flag above, warn far above. */
#define STATS_OUTLIER_FLAG 3.5
#define STATS_OUTLIER_WARN 10.0

/* descriptive.c */
struct stats_summary {
	size_t n;
	double min, max, median, mean, sd, cv;	/* sd: n-1; cv = sd/mean */
	double mad;				/* MAD * 1.4826 */
	double mean_lo, mean_hi;		/* t-CI of the mean (nan if n < 2) */
	/* Order-statistic CI of the median and its achieved coverage. */
	double med_lo, med_hi, med_cover;
};

int stats_summary(const double *x, size_t n, double alpha, struct stats_summary *s);
/* Median of @x (copied, then sorted). */
int stats_median(const double *x, size_t n, double *out);
/* Largest l >= 1 with P(Bin(n,1/2) <= l-1) <= alpha/2 (0 if none); coverage. */
size_t stats_median_ci_rank(size_t n, double alpha, double *coverage);

/* mwu.c: two-sided Mann-Whitney U of B against A, plus Cliff's delta. */
struct stats_mwu {
	double u_b;	/* U statistic of sample B (midranks) */
	double z;	/* normal approximation (continuity corrected), 0 if exact */
	double p;	/* two-sided */
	bool exact;	/* p from the exact distribution (no ties, small n) */
	bool ties;
	double cliff;	/* Cliff's delta = 2 U_B / (nA nB) - 1: > 0 means B larger */
};

int stats_mwu(const double *a, size_t na, const double *b, size_t nb, struct stats_mwu *r);
/* Smallest two-sided p an exact test without ties can reach: 2 / C(na+nb, na). */
double stats_mwu_min_p(size_t na, size_t nb);
/* |delta| < 0.147 negligible, < 0.33 small, < 0.474 medium, else large. */
const char *stats_cliff_magnitude(double delta);

/* welch.c: Welch's unequal-variance t test (reported, not gated). */
int stats_welch(const double *a, size_t na, const double *b, size_t nb, double *t,
		double *df, double *p);

/* hodges_lehmann.c: ratio B/A as exp(median of ln b_j - ln a_i); CI by ranks. */
struct stats_ratio {
	double ratio, lo, hi;
};

int stats_hl_ratio(const double *a, size_t na, const double *b, size_t nb, double alpha,
		   struct stats_ratio *r);

/* bootstrap.c: median(B)/median(A), percentile CI, fixed-seed MT19937. */
int stats_boot_median_ratio(const double *a, size_t na, const double *b, size_t nb,
			    double alpha, unsigned long seed, size_t resamples,
			    struct stats_ratio *r);

/* holm.c: Holm step-down adjusted p-values, in the order given. */
int stats_holm(const double *p, size_t m, double *adj);

/* fit.c: ln y = ln c + b ln x by least squares; CI of b from t(k-2). */
struct stats_powerfit {
	size_t k;
	double c, b, b_lo, b_hi, r2;
};

int stats_powerfit(const double *x, const double *y, size_t k, double alpha,
		   struct stats_powerfit *f);

/* outliers.c: flags[i] = 0 ok, 1 outlier (|z| > 3.5), 2 extreme (|z| > 10). */
int stats_outliers(const double *x, size_t n, unsigned char *flags, size_t *nflagged);

/* planning.c: repetitions per side for a two-sided test to detect a relative
 * change @delta with power 1-@beta at level @alpha when the CV is @cv
 * (STATS-NOTES runs-needed formula), at least the exact-MWU floor: the
 * smallest n with 2/C(2n,n) <= alpha. */
size_t stats_runs_needed(double cv, double delta, double alpha, double beta);

#endif
