/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gate: a verdict per gated metric and configuration, baseline runs against
 * candidate runs, decided at the run level (STATS-NOTES.md "Gate" and "Two
 * levels"; docs/COMPARE.md).  All gated metrics are lower-is-better, so the
 * worse-factor w is the ratio candidate/baseline of the medians of run
 * medians, with a hierarchical-bootstrap CI over runs and repetitions.
 */
#ifndef MLB_REPORT_GATE_H
#define MLB_REPORT_GATE_H

#include <stdbool.h>
#include <stdio.h>

#include "report/analysis.h"
#include "sysinfo/audit.h"

enum gate_verdict {
	GATE_NO_CHANGE,
	GATE_IMPROVEMENT,
	GATE_INCONCLUSIVE,
	GATE_REGRESSION,
};

/* Where a row's threshold came from. */
enum gate_tau_source {
	GATE_TAU_RUNS,		/* stats_drift_tau of both sides' between-run CV */
	GATE_TAU_PRIOR,		/* < 2 runs on a side: the prior drift CV (5%) */
	GATE_TAU_GIVEN,		/* --threshold */
	GATE_TAU_AA,		/* stats_drift_tau of the A/A runs' between-run CV */
};

/* Where a row's p came from. */
enum gate_p_source {
	GATE_P_NONE,		/* a side has 1 run and no A/A history: drift unknown */
	GATE_P_WELCH,		/* Welch on ln run medians, >= 2 runs per side */
	GATE_P_POOLED,		/* Student on ln run medians, variance pooled with A/A runs */
};

/*
 * With one run on a side and no A/A history, a change is called only when
 * even the within-run CI lies beyond this factor either way.  Ordinary
 * drift between two single runs must stay inside it: on the project's
 * shared 2-core VM, 8 back-to-back native runs of one job had run medians
 * up to 2.5x apart (scripts/aa-gate-bench.sh), far more than the 3-5% CV
 * of a quiet machine.  5.10 against 6.1 with plain mappers (3.5-7x) still
 * clears it.
 */
#define GATE_FAR_RATIO 3.0

struct gate_row {
	const struct run_row *row;
	size_t ma, mb;				/* runs per side */
	size_t na, nb;				/* repetitions per side */
	double base_median, cand_median;	/* medians of run medians */
	double base_between, cand_between;	/* %stddev of run medians (nan: 1 run) */
	double w, w_lo, w_hi;			/* ratio and its two-level 95% CI */
	bool within_only;			/* a side has one run */
	double p, p_holm;
	enum gate_p_source p_src;
	double cvb, cvw;			/* CVs the threshold came from */
	double se;				/* of ln w from them (stats_drift_tau) */
	double tau;				/* threshold used */
	enum gate_tau_source tau_src;
	size_t tau_runs;			/* A/A runs behind it (0: none) */
	char note[160];				/* why calibration did not apply */
	enum gate_verdict verdict;
	size_t more_runs;			/* INCONCLUSIVE: per side, from the plan */
	bool more_unreachable;			/* more than the plan's cap */
	char why[256];
};

struct gate_opts {
	const char *const *metrics;	/* NULL/0: the primary series (schema.h) */
	size_t nmetrics;
	double threshold;		/* > 0: tau given */
	struct result_folder **calib;	/* borrowed: A/A runs of the baseline kernel */
	size_t ncalib;			/* 0 or >= 2 */
	bool allow_mismatch;		/* compare across differing environments */
};

#define GATE_MAX_MISMATCH 8

struct gate_result {
	struct run_group side[2];	/* baseline, candidate */
	struct run_report rep;		/* over side[0], side[1] */
	struct gate_row *rows;
	size_t nrows;
	size_t unmatched_base, unmatched_cand;	/* configurations without a partner */
	struct result_folder **calib;	/* borrowed */
	size_t ncalib;
	size_t ncalibrated;		/* rows whose CVb came from them */
	bool tau_given;
	size_t nmismatch;		/* environment differences (allowed) */
	char mismatch[GATE_MAX_MISMATCH][400];
	char audit_note[400];		/* which folders carry no audit */
	char load_note[200];		/* the sides started under different load */
	enum gate_verdict overall;
};

/*
 * The first environment difference between any folder of @f (@nf) and f[0],
 * as one line into @buf; returns how many differences were found (0: same).
 * Compared: the audit's gated fields (sysaudit_compare) where both have
 * one, the kernel command line (without BOOT_IMAGE=, initrd=), THP,
 * topology, tool name and version, and the job options that shape a
 * measurement outside the identity (result_config.method).  @no_audit
 * (may be NULL) gets the folders without an audit.
 */
size_t gate_env_differences(struct result_folder **f, size_t nf, char (*out)[400],
			    size_t max, char *no_audit, size_t len);

/*
 * Whether the sides started under clearly different load (the audits' load1
 * ranges apart by more than 1 and a factor of 2): a warning, not a refusal,
 * since drift between runs follows the load of the machine.
 */
bool gate_load_note(struct result_folder *const *base, size_t nbase,
		    struct result_folder *const *cand, size_t ncand, char *buf, size_t len);

/*
 * Evaluate @ncand candidate runs against @nbase baseline runs.  Each side
 * must be one kernel identity and one job (run_group_single).  -EINVAL with
 * a message when no configuration matches, a metric exists nowhere, a
 * folder is on both sides, a side is not one series, fewer than two A/A
 * folders, or (without @o->allow_mismatch) -EXDEV when the environments
 * differ, the message naming the first difference.
 */
int gate_evaluate_runs(struct result_folder **base, size_t nbase, struct result_folder **cand,
		       size_t ncand, const struct gate_opts *o, struct gate_result *g,
		       struct errmsg *e);
/* One run per side, no calibration, environments allowed to differ. */
int gate_evaluate(struct result_folder *base, struct result_folder *cand,
		  const char *const *metrics, size_t nmetrics, double threshold,
		  struct gate_result *g, struct errmsg *e);
/*
 * A/A history of one metric and configuration: the between-run CV of the
 * @ncalib runs (stats_two_level), *runs of them holding it.  -ENOENT when
 * fewer than two hold >= 1 positive value with >= 2 in one of them.
 */
int gate_calibrate_cvb(struct result_folder **calib, size_t ncalib, const char *metric,
		       const struct result_config *key, double *cvb, size_t *runs);
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
