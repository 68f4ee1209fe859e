/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gate: a verdict per gated metric and configuration, baseline against
 * candidate (STATS-NOTES.md, "Gate").  All gated metrics are lower-is-better,
 * so the worse-factor w is the Hodges-Lehmann ratio candidate/baseline.
 */
#ifndef MLB_REPORT_GATE_H
#define MLB_REPORT_GATE_H

#include <stdbool.h>
#include <stdio.h>

#include "report/analysis.h"

enum gate_verdict {
	GATE_NO_CHANGE,
	GATE_IMPROVEMENT,
	GATE_INCONCLUSIVE,
	GATE_REGRESSION,
};

/* Where a row's threshold came from. */
enum gate_tau_source {
	GATE_TAU_CV,		/* max(2%, 3 CV sqrt(2/n)), also when above A/A */
	GATE_TAU_GIVEN,		/* --threshold */
	GATE_TAU_AA,		/* A/A calibration folders */
};

struct gate_row {
	const struct report_row *row;
	size_t na, nb;
	double base_median, cand_median;	/* in the series' unit */
	double w, w_lo, w_hi;			/* worse-factor and its 95% CI */
	double eq_lo, eq_hi;			/* its 90% CI: NO-CHANGE test (TOST) */
	double p, p_holm;
	double tau;				/* threshold used */
	enum gate_tau_source tau_src;
	size_t tau_pairs;			/* calibration pairs (0: none) */
	double tau_aa;				/* their largest |ln r|, as exp()-1 */
	char note[96];				/* why calibration did not apply */
	enum gate_verdict verdict;
	size_t more_reps;			/* INCONCLUSIVE: per side, approximate */
	char why[160];
};

struct gate_result {
	struct report rep;		/* baseline f[0], candidate f[1] */
	struct gate_row *rows;
	size_t nrows;
	size_t unmatched_base, unmatched_cand;	/* configurations without a partner */
	struct result_folder **calib;	/* borrowed: A/A calibration folders */
	size_t ncalib;
	size_t ncalibrated;		/* rows they hold (in >= 2 of them) */
	bool tau_given;			/* a --threshold overrode them */
	enum gate_verdict overall;
};

/*
 * Evaluate @cand against @base on @metrics (NULL/0: teardown_ns, lat_max_ns).
 * @threshold <= 0 selects max(2%, 3 CV sqrt(2/n)) per row.  -EINVAL with a
 * message when no configuration matches or a metric exists nowhere.
 */
int gate_evaluate(struct result_folder *base, struct result_folder *cand,
		  const char *const *metrics, size_t nmetrics, double threshold,
		  struct gate_result *g, struct errmsg *e);
/*
 * The same with tau calibrated on @ncalib (>= 2, 0 = none) A/A folders:
 * repeated runs of the baseline kernel with the same jobs.  Per row, tau =
 * max(2%, q, the CV rule) with q the nearest-rank 99th percentile of |ln r|
 * over every pair of calibration folders holding the row's metric and
 * configuration (r their Hodges-Lehmann ratio; up to 100 pairs that is the
 * largest).  A row found in fewer than two of them keeps the CV rule, with
 * a note.  @threshold > 0 still wins.  -EINVAL with a message for fewer than
 * two folders, one given twice, or no gated row found in two of them.
 * @calib stays borrowed by @g.
 */
int gate_evaluate_calibrated(struct result_folder *base, struct result_folder *cand,
			     const char *const *metrics, size_t nmetrics, double threshold,
			     struct result_folder **calib, size_t ncalib,
			     struct gate_result *g, struct errmsg *e);
/* A/A threshold of one metric and configuration, *tau = max(2%, *q) over
 * *pairs pairs; -ENOENT when fewer than two of the @ncalib folders hold it
 * (with >= 2 positive values each). */
int gate_calibrate_tau(struct result_folder **calib, size_t ncalib, const char *metric,
		       const struct result_config *key, double *tau, size_t *pairs,
		       double *q);
void gate_release(struct gate_result *g);

const char *gate_verdict_name(enum gate_verdict v);
/* Process exit status of a verdict: 0 pass, 1 regression, 2 inconclusive. */
int gate_exit_status(enum gate_verdict v);

void gate_print(FILE *out, const struct gate_result *g);
/* JUnit XML: one testcase per metric and configuration, failure on regression. */
int gate_write_junit(FILE *out, const struct gate_result *g);

/* Append @s to @out escaped for XML text and attribute values. */
void xml_escape(FILE *out, const char *s);

#endif
