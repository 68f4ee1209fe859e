/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Two-level statistics: runs (boots, invocations) are the unit of evidence,
 * repetitions are measured inside a run (STATS-NOTES.md, "Two levels";
 * Kalibera & Jones, ISMM 2013).  Pure functions; inputs are never modified.
 * Return 0 or -errno: -EINVAL too few values or a non-finite one, -EDOM a
 * value the statistic cannot take (a zero mean, a non-positive log), -ENOMEM.
 */
#ifndef MLB_STATS_TWO_LEVEL_H
#define MLB_STATS_TWO_LEVEL_H

#include <stdbool.h>
#include <stddef.h>

#include "stats/stats.h"

/* One run: its repetitions of one configuration (not owned). */
struct stats_run {
	const double *x;
	size_t n;
};

/* What stats_runs_check found: repetitions, sum of (n_i - 1), largest n_i. */
struct stats_runs_shape {
	size_t reps, dof, max_n;
};
/* -EINVAL unless there are runs, each non-empty and all values finite. */
int stats_runs_check(const struct stats_run *runs, size_t m, struct stats_runs_shape *out);

/* two_level.c: the Kalibera-Jones variance components of one kernel. */
struct stats_two_level {
	size_t m;		/* runs */
	size_t reps;		/* repetitions in all runs */
	double r_h;		/* harmonic mean of the r_i (= r when equal) */
	double mean;		/* grand mean: the mean of the run means */
	double s1sq;		/* pooled within-run variance */
	double s2sq;		/* variance of the run means (nan if m < 2) */
	double t1sq, t2sq;	/* components; t2sq clamped at 0 (nan if m < 2) */
	bool no_between;	/* S2^2 - S1^2/r_h <= 0: no between-run variance detected */
	double cv_within;	/* sqrt(T1^2) / |mean| */
	double cv_between;	/* sqrt(T2^2) / |mean| (nan if m < 2) */
	double ci_lo, ci_hi;	/* mean +- t(1-alpha/2, m-1) sqrt(S2^2/m) (nan if m < 2) */
};

/*
 * @m >= 1 runs, each with >= 1 repetition, at least one with >= 2.  With
 * unequal r_i: the run means carry equal weight (a run is one unit),
 * S1^2 pools the within-run sums of squares over sum(r_i - 1) degrees of
 * freedom, and T2^2 = S2^2 - S1^2 / r_h with r_h the harmonic mean of the
 * r_i, which keeps T2^2 unbiased (E S2^2 = sigma2^2 + sigma1^2 mean(1/r_i)).
 * With equal r these are exactly the Kalibera-Jones estimators.  With one
 * run only the within-run level is known: the between-run fields are nan.
 */
int stats_two_level(const struct stats_run *runs, size_t m, double alpha,
		    struct stats_two_level *out);

/*
 * Repetitions per run that minimise the cost of a given precision:
 * r* = ceil(sqrt((c2/c1) T1^2/T2^2)), @c1 the cost of one repetition, @c2
 * of one more run (boot, set-up), in the same unit.  Clamped to
 * [1, @r_max]; T2^2 = 0 (only within-run noise) gives @r_max, T1^2 = 0
 * gives 1.  @t1sq/@t2sq may be CVs squared: only their ratio counts.
 */
size_t stats_optimal_reps(double t1sq, double t2sq, double c1, double c2, size_t r_max);

/* hier_boot.c: hierarchical bootstrap of the ratio B/A. */
enum stats_hboot_stat {
	STATS_HBOOT_MEAN,		/* mean of the run means */
	STATS_HBOOT_MEDIAN,		/* median of the run medians */
};

struct stats_hboot_opts {
	enum stats_hboot_stat stat;
	double alpha;			/* CI level 1 - alpha (percentiles alpha/2, 1-alpha/2) */
	unsigned long seed;		/* STATS_BOOT_SEED */
	size_t resamples;		/* STATS_BOOT_RESAMPLES */
};

struct stats_hboot {
	double ratio;		/* statistic(B) / statistic(A) on the data */
	double lo, hi;		/* percentile CI */
	size_t valid;		/* resamples with a non-zero statistic(A) */
	bool within_only;	/* a side has one run: the CI covers within-run noise only */
};

/* STATS_HBOOT_MEAN, STATS_ALPHA, STATS_BOOT_SEED, STATS_BOOT_RESAMPLES. */
void stats_hboot_opts_default(struct stats_hboot_opts *o);

/*
 * Per resample: for A then B, draw m runs with replacement, within each
 * drawn run draw its n repetitions with replacement, take the statistic;
 * store B/A.  Draws come from one MT19937 stream seeded with @o->seed in
 * that order, so the result is a pure function of the input.
 */
int stats_hboot_ratio(const struct stats_run *a, size_t ma, const struct stats_run *b,
		      size_t mb, const struct stats_hboot_opts *o, struct stats_hboot *out);
/*
 * The resampled ratios themselves (for plots and tests): @draws holds
 * @o->resamples values, nan where statistic(A) was 0.  @o->alpha unused.
 */
int stats_hboot_draws(const struct stats_run *a, size_t ma, const struct stats_run *b,
		      size_t mb, const struct stats_hboot_opts *o, double *draws);

/* run_test.c: significance at the run level, on the run medians. */
#define STATS_RUN_RANK_MIN 5	/* runs per side before a rank test can say anything */

struct stats_run_test {
	size_t ma, mb;
	double ratio;		/* median of B's run medians / median of A's */
	bool welch_ok;		/* >= 2 runs per side */
	double t, df, p;	/* Welch on ln(run median), B - A (nan unless welch_ok) */
	bool rank_ok;		/* >= STATS_RUN_RANK_MIN runs per side */
	struct stats_mwu mwu;	/* on the run medians (zero unless rank_ok) */
};

/* Every repetition must be > 0 (times, rates). */
int stats_run_test(const struct stats_run *a, size_t ma, const struct stats_run *b,
		   size_t mb, struct stats_run_test *out);

/*
 * Student's t on ln run medians, B - A, its variance pooled over A, B and
 * @mc >= 2 runs of A/A history C (df = ma + mb + mc - 3, a side of one run
 * adding none).  p two-sided.  -EDOM when the sides' own variance is
 * above the history's (F test at STATS_ALPHA): not one variance to pool.
 */
int stats_run_test_pooled(const struct stats_run *a, size_t ma, const struct stats_run *b,
			  size_t mb, const struct stats_run *c, size_t mc, double *t, double *df,
			  double *p);

/* two_level_plan.c: how many runs x repetitions decide a change. */

/*
 * Smallest change (ln ratio) a two-sided test at @alpha detects with power
 * 1 - @beta, m runs per side of r repetitions each:
 * (t(1-alpha/2, df) + t(1-beta, df)) sqrt(2 (CVb^2 + CVw^2/r) / m),
 * df = 2(m-1) (Welch with equal sides and variances).  nan if m < 2.
 */
double stats_detectable_change(double cv_between, double cv_within, size_t r, size_t m,
			       double alpha, double beta);

/* Smallest m in [2, m_max] with detectable change <= @target; -ERANGE if none. */
int stats_runs_for_change(double cv_between, double cv_within, size_t r, double target,
			  double alpha, double beta, size_t m_max, size_t *m);

struct stats_plan_in {
	double cv_between, cv_within;	/* components; pool both kernels' as RMS */
	size_t r;			/* repetitions per run planned (0: use r_opt) */
	double target;			/* detectable change wanted, ln ratio */
	double alpha, beta;
	double c1, c2;			/* cost of a repetition, of a run; same unit */
	size_t r_max;			/* cap for r_opt */
	size_t m_now;			/* runs per side so far */
	size_t m_max;			/* give up above this many runs per side */
};

struct stats_plan {
	size_t r_opt;		/* stats_optimal_reps of the components and costs */
	size_t r;		/* repetitions the plan uses */
	double delta_now;	/* detectable with m_now runs of r (nan if m_now < 2) */
	bool reachable;		/* target reachable within m_max */
	size_t m_needed;	/* runs per side for the target (m_max if unreachable) */
	size_t more_runs;	/* "~N more runs per side": m_needed - m_now, or 0 */
};

int stats_plan_runs(const struct stats_plan_in *in, struct stats_plan *out);

/* drift_tau.c: a threshold on the change that ordinary run-to-run drift stays under. */
#define STATS_TAU_MIN 0.02		/* never below 2% (STATS-NOTES gate table) */
#define STATS_TAU_K 2.0			/* drift band: k standard errors of a ln ratio */
#define STATS_DRIFT_PRIOR_CV 0.05	/* plausible CVb when it cannot be measured
					 * (3-5% natively, STATS-NOTES) */

struct stats_tau {
	double tau;		/* relative: changes within [1/(1+tau), 1+tau] are drift */
	double se;		/* standard error of ln(ratio) it came from */
	bool assumed;		/* CVb was not measured (m < 2 or nan): prior used */
};

/*
 * tau = max(@tau_min, expm1(@k * se)), se = sqrt(2 (CVb^2 + CVw^2/r) / m):
 * the ratio of two m-run means of the same kernel stays inside 1+tau about
 * 95% of the time at k = 2.  CVb comes from the runs given; when m < 2 or
 * it is nan, @cvb_prior (e.g. A/A history, else STATS_DRIFT_PRIOR_CV) is
 * used and the result says so.
 */
int stats_drift_tau(double cv_between, double cv_within, size_t r, size_t m,
		    double cvb_prior, double k, double tau_min, struct stats_tau *out);

#endif
