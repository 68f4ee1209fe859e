/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gate: a verdict per gated metric and configuration, baseline against
 * candidate (STATS-NOTES.md, "Gate").  All gated metrics are lower-is-better,
 * so the worse-factor w is the Hodges-Lehmann ratio candidate/baseline.
 */
#ifndef MLB_REPORT_GATE_H
#define MLB_REPORT_GATE_H

#include <stdio.h>

#include "report/analysis.h"

enum gate_verdict {
	GATE_NO_CHANGE,
	GATE_IMPROVEMENT,
	GATE_INCONCLUSIVE,
	GATE_REGRESSION,
};

struct gate_row {
	const struct report_row *row;
	size_t na, nb;
	double base_median, cand_median;	/* in the series' unit */
	double w, w_lo, w_hi;			/* worse-factor and its 95% CI */
	double eq_lo, eq_hi;			/* its 90% CI: NO-CHANGE test (TOST) */
	double p, p_holm;
	double tau;				/* threshold used */
	enum gate_verdict verdict;
	size_t more_reps;			/* INCONCLUSIVE: per side, approximate */
	char why[160];
};

struct gate_result {
	struct report rep;		/* baseline f[0], candidate f[1] */
	struct gate_row *rows;
	size_t nrows;
	size_t unmatched_base, unmatched_cand;	/* configurations without a partner */
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
