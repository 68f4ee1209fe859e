/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The numbers behind compare, gate and plot: for every metric and matched
 * configuration, a summary per folder and, for each folder after the first
 * (the baseline), the tests against the baseline.  Pure computation on
 * loaded folders; the formatters live in compare.c, gate.c and plot.c.
 */
#ifndef MLB_REPORT_ANALYSIS_H
#define MLB_REPORT_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>

#include "common/errmsg.h"
#include "engine/collector.h"
#include "result/reader.h"
#include "result/run_group.h"
#include "stats/stats.h"
#include "stats/two_level.h"

struct report_cell {
	bool present;			/* the folder has >= 1 value */
	const struct result_series *series;
	struct stats_summary s;
	size_t outliers, extreme;	/* robust-z flags, values kept */
	bool tested;			/* against the baseline, n >= 2 both sides */
	struct stats_mwu mwu;
	struct stats_ratio hl;		/* Hodges-Lehmann ratio this/baseline */
	struct stats_ratio hl_tost;	/* the same with a 1-2alpha CI: equivalence (TOST) */
	struct stats_ratio boot;	/* median ratio, bootstrap CI */
	double p_holm;			/* Holm-adjusted MWU p (1 if not tested) */
	double change;			/* mmtests: 100 (1 - mean/mean_base) lower-is-better,
					 * 100 (mean/mean_base - 1) higher; + = better;
					 * NAN for an informational metric */
};

struct report_row {
	size_t key;			/* index into report.keys */
	char metric[96], unit[16];
	bool primary;
	enum metric_direction direction;	/* from the owner: schema or collector ops */
	struct report_cell *cell;	/* one per folder */
};

/* Scaling law of teardown_ns per folder and configuration group. */
struct report_fit {
	size_t key;			/* a configuration of the group */
	size_t folder;
	bool ok;			/* >= 3 distinct procs values */
	struct stats_powerfit fit;
};

struct report {
	struct result_folder **f;	/* borrowed; f[0] is the baseline */
	size_t nf;
	const struct result_config **keys;	/* union of configurations, grouped */
	size_t nkeys;
	size_t *group;			/* group index per key (all but procs equal) */
	size_t ngroups;
	struct report_row *rows;
	size_t nrows;
	struct report_fit *fits;
	size_t nfits;
	size_t nmissing;		/* cells of a matched key absent in some folder */
};

enum report_holm {
	REPORT_HOLM_SPLIT,	/* compare: primary and secondary metrics apart */
	REPORT_HOLM_ALL,	/* gate: every row is one family */
};

/*
 * Build the report over @nf folders.  @metrics (@nmetrics, 0 = all) limits
 * the metrics.  -EINVAL with a message when a named metric exists nowhere,
 * -ENODATA when a folder has no timed repetition.
 */
int report_build(struct result_folder **f, size_t nf, const char *const *metrics,
		 size_t nmetrics, enum report_holm holm, struct report *r, struct errmsg *e);
void report_release(struct report *r);

/* Same workload, backing, lock, plain and size (procs may differ). */
bool report_same_group(const struct result_config *a, const struct result_config *b);
/* "exit shmem mlock plain=0 size=8M" */
void report_group_describe(const struct result_config *c, char *buf, size_t len);

/* Display scale for values of @unit whose largest magnitude is @maxabs:
 * sets *div and returns the unit to print ("ms", "us", ...). */
const char *report_scale(const char *unit, double maxabs, double *div);
/*
 * Change in percent, + = better, of @v against @base for a metric of
 * direction @d; NAN when informational or @base is 0.
 */
double report_change(enum metric_direction d, double v, double base);
/* "lower is better", "higher is better", "informational" */
const char *report_direction_name(enum metric_direction d);
/* "teardown_ns" -> "teardown", "locks.lru_lock.wait_ns" -> "locks.lru_lock.wait" */
void report_metric_label(const char *metric, char *buf, size_t len);

/*
 * The union of the folders' configurations into r->keys, r->group and
 * r->ngroups (the first part of report_build), for reports over runs.
 */
int report_collect_keys(struct report *r);

/*
 * The primary series (result/schema.h) that some of the @nf folders have,
 * at most @max names into @out; how many.  Static strings.
 */
size_t report_primary_metrics(struct result_folder *const *f, size_t nf, const char **out,
			      size_t max);

/* -ENODATA naming the first folder without a timed repetition: its table would be empty. */
int report_check_timed(struct result_folder *const *f, size_t nf, struct errmsg *e);

/*
 * lat_max_ns of exit equals teardown_ns by construction (the release is
 * the last locker's exit): not a metric of its own there.
 */
bool report_metric_redundant(const char *metric, const struct result_config *c);

/*
 * run_analysis.c: the two-level view (docs/STATISTICS.md).  Per kernel
 * (a run group) and configuration: every run's values of a metric, the
 * variance components and the run-level median; against the first kernel
 * the hierarchical-bootstrap ratio of the medians of run medians and the
 * run-level Welch test, Holm-adjusted over every row of one kernel pair.
 */
struct run_cell {
	bool present;			/* >= 1 run with values */
	size_t m;			/* runs with values */
	size_t reps;			/* repetitions over them */
	struct stats_run *runs;		/* values borrowed from the folders */
	double *run_median;		/* one per run */
	double median;			/* median of the run medians */
	double between_pct;		/* LKP %stddev: 100 sd/mean of run medians (nan m<2) */
	bool tl_ok;			/* components computed (>= 2 repetitions somewhere) */
	struct stats_two_level tl;
	bool tested;			/* against kernel 0 (ratio defined) */
	struct stats_hboot boot;	/* ratio this/kernel 0 with its two-level CI */
	struct stats_run_test test;
	double p, p_holm;		/* run-level Welch p (nan: < 2 runs on a side) */
};

struct run_row {
	size_t key;			/* into run_report.keys */
	char metric[96], unit[16];
	bool primary;
	struct run_cell *cell;		/* one per group */
};

struct run_report {
	struct run_group *g;		/* borrowed: g[0] is the reference kernel */
	size_t ng;
	struct report k;		/* keys and configuration groups only */
	struct run_row *rows;
	size_t nrows;
};

/*
 * Build over @ng groups.  @metrics (@nmetrics; 0: teardown_ns and
 * lat_max_ns) are the rows; lat_max_ns is left out where it is redundant.
 * -EINVAL with a message when a named metric exists nowhere; -ENOMEM.
 */
int run_report_build(struct run_group *g, size_t ng, const char *const *metrics,
		     size_t nmetrics, struct run_report *r, struct errmsg *e);
void run_report_release(struct run_report *r);
/* The pooled (RMS) components of two cells, nan parts as 0; *known: both CVb measured. */
void run_cell_pool(const struct run_cell *a, const struct run_cell *b, double *cvb,
		   double *cvw, double *r, bool *known);

#endif
