// SPDX-License-Identifier: GPL-2.0
/*
 * gate verdicts at the run level (STATS-NOTES.md "Gate", "Two levels"):
 *   REGRESSION    run-level Holm p <= alpha and w >= 1+tau
 *   IMPROVEMENT   run-level Holm p <= alpha and w <= 1/(1+tau)
 *   NO-CHANGE     the two-level 95% CI of w inside [1/(1+tau), 1+tau]
 *                 (never with one run on a side and no A/A history)
 *   INCONCLUSIVE  otherwise, with "~N more runs per side" from the plan
 * w is candidate/baseline of the medians of run medians; its CI is the
 * hierarchical bootstrap.  tau = stats_drift_tau: what ordinary drift
 * between runs stays under, from the runs given, A/A runs or --threshold.
 * The run-level p: Welch on ln run medians (>= 2 runs a side), or with
 * A/A history (--calibrate) Student's t with the variance pooled over the
 * sides and the history.  With one run on a side and no A/A history there
 * is no run-level p: only a change whose within-run CI clears
 * GATE_FAR_RATIO either way is called.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/gate.h"

#define PLAN_M_MAX 200		/* runs per side the advice stops at */

const char *gate_verdict_name(enum gate_verdict v)
{
	switch (v) {
	case GATE_NO_CHANGE:
		return "NO-CHANGE";
	case GATE_IMPROVEMENT:
		return "IMPROVEMENT";
	case GATE_INCONCLUSIVE:
		return "INCONCLUSIVE";
	case GATE_REGRESSION:
		return "REGRESSION";
	}
	return "?";
}

int gate_exit_status(enum gate_verdict v)
{
	return v == GATE_REGRESSION ? 1 : v == GATE_INCONCLUSIVE ? 2 : 0;
}

/* Configurations with values in some run of @a that no run of @b has. */
static size_t count_unmatched(const struct run_group *a, const struct run_group *b)
{
	size_t i, j, k, n = 0;

	for (i = 0; i < a->nruns; i++)
		for (j = 0; j < a->runs[i]->nconfigs; j++) {
			const struct result_config *c = &a->runs[i]->configs[j];
			bool seen = false, matched = false;

			if (!c->nseries)
				continue;
			for (k = 0; k < i && !seen; k++)	/* count each once */
				seen = result_folder_match(a->runs[k], c) != NULL;
			for (k = 0; k < b->nruns && !matched; k++)
				matched = result_folder_match(b->runs[k], c) != NULL;
			n += !seen && !matched;
		}
	return n;
}

/* The calibration runs holding @metric of @key, all positive, into @r; how many. */
static size_t calib_runs(struct result_folder **calib, size_t ncalib, const char *metric,
			 const struct result_config *key, struct stats_run *r)
{
	size_t i, j, n = 0;

	for (i = 0; i < ncalib; i++) {
		const struct result_config *c = result_folder_match(calib[i], key);
		const struct result_series *s = c ? result_config_series(c, metric) : NULL;
		bool positive = s && s->n;

		for (j = 0; positive && j < s->n; j++)
			positive = s->v[j] > 0;
		if (positive)
			r[n++] = (struct stats_run){ s->v, s->n };
	}
	return n;
}

/* The between-run CV of @n history runs; -ENOENT unless n >= 2 and it is finite. */
static int history_cvb(const struct stats_run *r, size_t n, double *cvb)
{
	struct stats_two_level tl;

	if (n < 2 || stats_two_level(r, n, STATS_ALPHA, &tl) || !isfinite(tl.cv_between))
		return -ENOENT;
	*cvb = tl.cv_between;
	return 0;
}

int gate_calibrate_cvb(struct result_folder **calib, size_t ncalib, const char *metric,
		       const struct result_config *key, double *cvb, size_t *runs)
{
	struct stats_run *r = calloc(ncalib ? ncalib : 1, sizeof(*r));
	size_t n;
	int err;

	if (!r)
		return -ENOMEM;
	n = calib_runs(calib, ncalib, metric, key, r);
	err = history_cvb(r, n, cvb);
	if (!err)
		*runs = n;
	free(r);
	return err;
}

/*
 * The largest ratio between two of the @n history runs' medians, minus 1:
 * the drift the history has shown between two single runs.
 */
static double history_widest_drift(const struct stats_run *r, size_t n)
{
	double lo = INFINITY, hi = 0, med;
	size_t i;

	for (i = 0; i < n; i++) {
		if (stats_median(r[i].x, r[i].n, &med))
			return NAN;
		lo = fmin(lo, med);
		hi = fmax(hi, med);
	}
	return lo > 0 ? hi / lo - 1 : NAN;
}

/*
 * With A/A history (@n >= 2 runs @r): Student's t on ln run medians
 * pooled over both sides and the history (more degrees of freedom for the
 * drift than three runs a side give, and a drift at all for a side of one
 * run); 0 and GATE_P_POOLED, or -ENOENT (the sides drift more than the
 * history: not one variance to pool).
 */
static int pooled_p(struct gate_row *gr, const struct run_cell *a, const struct run_cell *b,
		    const struct stats_run *r, size_t n)
{
	double t, df, p;
	int err = stats_run_test_pooled(a->runs, a->m, b->runs, b->m, r, n, &t, &df, &p);

	if (!err) {
		gr->p = p;
		gr->p_src = GATE_P_POOLED;
		/*
		 * One run on a side: run medians have heavy tails (a disturbed
		 * run), which a t of a few degrees of freedom does not know; a
		 * change no wider than the history's own widest drift is not one.
		 */
		if ((gr->ma == 1 || gr->mb == 1) && gr->tau_src != GATE_TAU_GIVEN) {
			double widest = history_widest_drift(r, n);

			if (isfinite(widest) && widest > gr->tau)
				gr->tau = widest;
		}
	} else if (err == -EDOM) {
		snprintf(gr->note, sizeof(gr->note), "these runs drift more than the A/A "
			 "history (F test): p from their own drift (Welch)");
	}
	return err == -EDOM || err == -EINVAL ? -ENOENT : err;
}

/*
 * The threshold of one row and the between-run CV behind it, and its p;
 * @hist: the @nhist calibration runs holding the row's metric and key.
 */
static int row_tau_p(struct gate_result *g, struct gate_row *gr, const struct run_cell *a,
		     const struct run_cell *b, double threshold, const struct stats_run *hist,
		     size_t nhist)
{
	double cvb, cvw, r, cvb_aa = NAN, prior;
	size_t m = gr->ma < gr->mb ? gr->ma : gr->mb, aa_runs = 0;
	struct stats_tau t;
	bool known;
	int err;

	run_cell_pool(a, b, &cvb, &cvw, &r, &known);
	if (g->ncalib) {
		if (!history_cvb(hist, nhist, &cvb_aa)) {
			aa_runs = nhist;
			g->ncalibrated++;
			gr->tau_runs = aa_runs;
		} else {
			snprintf(gr->note, sizeof(gr->note), "in fewer than 2 calibration "
				 "folders: drift from the runs given");
		}
	}
	/*
	 * A/A history never lowers the drift below what the runs given show: a
	 * few calibration runs can underestimate it, and calibrating must not
	 * make the gate cry wolf where it did not before.
	 */
	if (aa_runs && (!known || cvb_aa > cvb)) {
		cvb = cvb_aa;
		gr->tau_src = GATE_TAU_AA;
	} else {
		gr->tau_src = known ? GATE_TAU_RUNS : GATE_TAU_PRIOR;
	}
	/* with one run on a side stats_drift_tau takes the prior: the history's if any */
	prior = gr->tau_src == GATE_TAU_AA ? cvb : STATS_DRIFT_PRIOR_CV;
	err = stats_drift_tau(known || aa_runs ? cvb : NAN, cvw, r < 1 ? 1 : (size_t)lround(r),
			      m ? m : 1, prior, STATS_TAU_K, STATS_TAU_MIN, &t);
	if (err)
		return err;
	gr->cvb = t.assumed ? prior : cvb;
	gr->cvw = cvw;
	gr->se = t.se;
	gr->tau = t.tau;
	if (threshold > 0) {
		gr->tau = threshold;
		gr->tau_src = GATE_TAU_GIVEN;
	}
	/* A/A history: the drift it shows pooled in, even for a side of one run */
	if (aa_runs) {
		err = pooled_p(gr, a, b, hist, nhist);
		if (err != -ENOENT)
			return err;
	}
	if (gr->ma >= 2 && gr->mb >= 2 && isfinite(b->p)) {
		gr->p = b->p;
		gr->p_src = GATE_P_WELCH;
	}
	return 0;
}

/* row_tau_p with the row's calibration runs gathered once for both of its uses. */
static int row_tau(struct gate_result *g, struct gate_row *gr, const struct run_cell *a,
		   const struct run_cell *b, double threshold)
{
	struct stats_run *hist = NULL;
	size_t nhist = 0;
	int err;

	if (g->ncalib) {
		hist = calloc(g->ncalib, sizeof(*hist));
		if (!hist)
			return -ENOMEM;
		nhist = calib_runs(g->calib, g->ncalib, gr->row->metric,
				   g->rep.k.keys[gr->row->key], hist);
	}
	err = row_tau_p(g, gr, a, b, threshold, hist, nhist);
	free(hist);
	return err;
}

/* "~N more runs per side": the plan at the distance to the band's edge. */
static void plan_more(struct gate_row *gr, size_t ntests)
{
	double edge = log1p(gr->tau), d = fabs(log(gr->w));
	struct stats_plan_in in = {
		.cv_between = gr->cvb,
		.cv_within = gr->cvw,
		.r = (gr->na + gr->nb) / (gr->ma + gr->mb) ? (gr->na + gr->nb) / (gr->ma + gr->mb)
							      : 1,
		/* an effect right on the edge cannot be decided: a quarter band at least */
		.target = fmax(fabs(d - edge), edge / 4),
		.alpha = STATS_ALPHA / (ntests ? ntests : 1),
		.beta = 0.2,
		.c1 = 1, .c2 = 1, .r_max = 1000,
		.m_now = gr->ma < gr->mb ? gr->ma : gr->mb,
		.m_max = PLAN_M_MAX,
	};
	struct stats_plan p;

	if (stats_plan_runs(&in, &p)) {
		gr->more_unreachable = true;
		return;
	}
	gr->more_unreachable = !p.reachable;
	gr->more_runs = p.more_runs ? p.more_runs : 1;
}

static void judge(struct gate_row *gr, size_t ntests)
{
	double far = GATE_FAR_RATIO;
	bool sig = isfinite(gr->p_holm) && gr->p_holm <= STATS_ALPHA;
	double lo = gr->w_lo, hi = gr->w_hi;

	/*
	 * NO-CHANGE needs a CI that covers the drift between runs.  With one run
	 * on a side the bootstrap's does not: widen it by the A/A drift, and
	 * without A/A history never claim it (a 1.00 could be a 10% change
	 * hidden by a 10% drift the other way).
	 */
	if (gr->within_only && gr->p_src == GATE_P_POOLED) {
		lo = gr->w * exp(-STATS_TAU_K * gr->se);
		hi = gr->w * exp(STATS_TAU_K * gr->se);
	} else if (gr->p_src == GATE_P_NONE) {
		lo = hi = NAN;
	}

	if (sig && gr->w >= 1 + gr->tau) {
		gr->verdict = GATE_REGRESSION;
	} else if (sig && gr->w <= 1 / (1 + gr->tau)) {
		gr->verdict = GATE_IMPROVEMENT;
	} else if (gr->p_src == GATE_P_NONE && gr->w_lo >= far) {
		gr->verdict = GATE_REGRESSION;
		snprintf(gr->why, sizeof(gr->why), "one run per side, but even its within-run "
			 "CI is beyond x%.2f, more than any plausible drift", far);
	} else if (gr->p_src == GATE_P_NONE && gr->w_hi <= 1 / far) {
		gr->verdict = GATE_IMPROVEMENT;
		snprintf(gr->why, sizeof(gr->why), "one run per side, but even its within-run "
			 "CI is below /%.2f, more than any plausible drift", far);
	} else if (lo >= 1 / (1 + gr->tau) && hi <= 1 + gr->tau) {
		gr->verdict = GATE_NO_CHANGE;
	} else {
		gr->verdict = GATE_INCONCLUSIVE;
		plan_more(gr, ntests);
		if (gr->p_src == GATE_P_NONE)
			snprintf(gr->why, sizeof(gr->why), "one run per side: the drift between "
				 "runs is unknown and the CI covers within-run noise only; %s%zu "
				 "runs per side, or --calibrate with A/A runs, would decide",
				 gr->more_unreachable ? "more than " : "~",
				 (gr->more_unreachable ? PLAN_M_MAX : gr->more_runs) + 1);
		else if (gr->more_unreachable)
			snprintf(gr->why, sizeof(gr->why), "more than %d runs per side would be "
				 "needed to decide", PLAN_M_MAX);
		else
			snprintf(gr->why, sizeof(gr->why), "~%zu more run%s per side would decide",
				 gr->more_runs, gr->more_runs == 1 ? "" : "s");
	}
}

static void holm_rows(struct gate_result *g)
{
	double p[g->nrows + 1], adj[g->nrows + 1];
	size_t idx[g->nrows + 1], i, m = 0;

	for (i = 0; i < g->nrows; i++)
		if (isfinite(g->rows[i].p)) {
			idx[m] = i;
			p[m++] = g->rows[i].p;
		}
	if (m && !stats_holm(p, m, adj))
		for (i = 0; i < m; i++)
			g->rows[idx[i]].p_holm = adj[i];
}

static int check_sides(struct result_folder **base, size_t nbase, struct result_folder **cand,
		       size_t ncand, const struct gate_opts *o, struct gate_result *g,
		       struct errmsg *e)
{
	size_t i, j, n = 0;
	int err;

	if (!nbase || !ncand)
		return errmsg_set(e, -EINVAL, "needs at least one baseline and one candidate "
				  "folder");
	if (o->ncalib == 1)
		return errmsg_set(e, -EINVAL, "calibration needs at least 2 folders "
				  "(repeated runs of the baseline kernel), got 1");
	for (i = 0; i < o->ncalib; i++)
		for (j = i + 1; j < o->ncalib; j++)
			if (!strcmp(o->calib[i]->path, o->calib[j]->path))
				return errmsg_set(e, -EINVAL, "calibration folder %s given twice",
						  o->calib[i]->path);
	for (i = 0; i < nbase; i++)
		for (j = 0; j < ncand; j++)
			if (result_folder_same_run(base[i], cand[j]))
				return errmsg_set(e, -EINVAL, "%s and %s are the same run: "
						  "nothing to gate", base[i]->path, cand[j]->path);
	err = run_group_single(base, nbase, &g->side[0], e);
	if (!err)
		err = run_group_single(cand, ncand, &g->side[1], e);
	if (err)
		return errmsg_prefix(e, err, "%s", g->side[0].runs ? "candidate" : "baseline");
	if (!strcmp(g->side[0].label, g->side[1].label)) {	/* A/A: one kernel */
		strncat(g->side[0].label, " (baseline)",
			sizeof(g->side[0].label) - strlen(g->side[0].label) - 1);
		strncat(g->side[1].label, " (candidate)",
			sizeof(g->side[1].label) - strlen(g->side[1].label) - 1);
	}
	{
		struct result_folder *all[nbase + ncand];

		memcpy(all, base, nbase * sizeof(*all));
		memcpy(all + nbase, cand, ncand * sizeof(*all));
		n = gate_env_differences(all, nbase + ncand, g->mismatch, GATE_MAX_MISMATCH,
					 g->audit_note, sizeof(g->audit_note));
	}
	if (n && !o->allow_mismatch)
		return errmsg_set(e, -EXDEV, "environments differ, %s%s (--allow-mismatch "
				  "gates anyway)", g->mismatch[0],
				  n > 1 ? ", and more" : "");
	g->nmismatch = n;
	gate_load_note(base, nbase, cand, ncand, g->load_note, sizeof(g->load_note));
	for (i = 0; i < 2; i++) {
		size_t with_data = 0;

		for (j = 0; j < g->side[i].nruns; j++)
			for (n = 0; n < g->side[i].runs[j]->nconfigs; n++)
				with_data += g->side[i].runs[j]->configs[n].nseries > 0;
		if (!with_data)
			return errmsg_set(e, -EINVAL, "%s has no timed repetitions",
					  g->side[i].runs[0]->path);
	}
	return 0;
}

/* Sides with no configuration in common are two different jobs, not a verdict. */
static int check_any_match(struct result_folder **base, size_t nbase,
			   struct result_folder **cand, size_t ncand, struct errmsg *e)
{
	size_t matched = 0, i, j, k;

	for (i = 0; i < nbase; i++)
		for (j = 0; j < base[i]->nconfigs; j++)
			for (k = 0; k < ncand && !matched; k++)
				matched += base[i]->configs[j].nseries &&
					   result_folder_match(cand[k], &base[i]->configs[j]);
	if (!matched)
		return errmsg_set(e, -EINVAL, "no configuration of %s matches one of %s "
				  "(workload, backing, lock, procs, plain, size)",
				  base[0]->path, cand[0]->path);
	return 0;
}

/*
 * GR from the run-level ROW: medians, spreads, the ratio and its drift
 * threshold; or INCONCLUSIVE with the reason when there is no ratio.
 */
static int fill_row(struct gate_result *g, struct gate_row *gr, const struct run_row *row,
		    double threshold)
{
	const struct run_cell *a = &row->cell[0], *b = &row->cell[1];

	gr->row = row;
	gr->w = gr->w_lo = gr->w_hi = gr->p = gr->p_holm = gr->tau = NAN;
	gr->base_median = a->present ? a->median : NAN;
	gr->cand_median = b->present ? b->median : NAN;
	gr->base_between = a->between_pct;
	gr->cand_between = b->between_pct;
	gr->ma = a->m;
	gr->mb = b->m;
	gr->na = a->reps;
	gr->nb = b->reps;
	if (!a->present || !b->present) {
		/* a configuration one side lacks is not a pass: say which */
		gr->verdict = GATE_INCONCLUSIVE;
		snprintf(gr->why, sizeof(gr->why), "only in the %s: the %s has no values "
			 "for this configuration", a->present ? "baseline" : "candidate",
			 a->present ? "candidate" : "baseline");
		return 0;
	}
	if (!b->tested) {
		gr->verdict = GATE_INCONCLUSIVE;
		snprintf(gr->why, sizeof(gr->why), "no ratio: values not all positive");
		return 0;
	}
	gr->w = b->boot.ratio;
	gr->w_lo = b->boot.lo;
	gr->w_hi = b->boot.hi;
	gr->within_only = b->boot.within_only;
	return row_tau(g, gr, a, b, threshold);
}

/*
 * The sides started under clearly different load (gate_load_note): the
 * drift the runs show does not cover that, and an A/A pair of TCG campaigns,
 * one beside a busy host, differed 2-3x.  A change is not called then.
 */
static void under_different_load(struct gate_row *gr)
{
	if (gr->verdict != GATE_REGRESSION && gr->verdict != GATE_IMPROVEMENT)
		return;
	snprintf(gr->why, sizeof(gr->why), "would be %s, but the sides started under "
		 "different load (see the warning): rerun both on a quiet machine, or "
		 "--allow-mismatch", gate_verdict_name(gr->verdict));
	gr->verdict = GATE_INCONCLUSIVE;
}

/* After Holm over the NTESTS rows with a p: each row's verdict, the worst is the gate's. */
static void judge_rows(struct gate_result *g, size_t ntests, bool allow_mismatch)
{
	size_t i;

	holm_rows(g);
	for (i = 0; i < g->nrows; i++) {
		struct gate_row *gr = &g->rows[i];

		if (isfinite(gr->w))
			judge(gr, ntests);
		if (g->load_note[0] && !allow_mismatch)
			under_different_load(gr);
		if (gr->verdict > g->overall)
			g->overall = gr->verdict;
	}
}

/*
 * The default gated metrics: the primary series both sides recorded.  A
 * side written before a series existed (plain_teardown_ns) does not turn
 * every configuration with plain mappers into "only in the candidate".
 */
static size_t default_metrics(struct result_folder **base, size_t nbase,
			      struct result_folder **cand, size_t ncand, const char **out)
{
	const char *b[RESULT_PRIMARY_SERIES], *c[RESULT_PRIMARY_SERIES];
	size_t nb = report_primary_metrics(base, nbase, b, RESULT_PRIMARY_SERIES);
	size_t nc = report_primary_metrics(cand, ncand, c, RESULT_PRIMARY_SERIES);
	size_t i, j, n = 0;

	for (i = 0; i < nb; i++)
		for (j = 0; j < nc; j++)
			if (!strcmp(b[i], c[j]))
				out[n++] = b[i];
	return n;
}

int gate_evaluate_runs(struct result_folder **base, size_t nbase, struct result_folder **cand,
		       size_t ncand, const struct gate_opts *o, struct gate_result *g,
		       struct errmsg *e)
{
	const char *defaults[RESULT_PRIMARY_SERIES], *const *metrics = o->metrics;
	size_t i, ntests = 0, nmetrics = o->nmetrics;
	int err;

	memset(g, 0, sizeof(*g));
	err = check_sides(base, nbase, cand, ncand, o, g, e);
	if (err)
		goto fail;
	g->unmatched_base = count_unmatched(&g->side[0], &g->side[1]);
	g->unmatched_cand = count_unmatched(&g->side[1], &g->side[0]);
	err = check_any_match(base, nbase, cand, ncand, e);
	if (!err && !nmetrics) {
		nmetrics = default_metrics(base, nbase, cand, ncand, defaults);
		metrics = defaults;
	}
	if (!err)
		err = run_report_build(g->side, 2, metrics, nmetrics, &g->rep, e);
	if (err)
		goto fail;
	g->rows = calloc(g->rep.nrows + 1, sizeof(*g->rows));
	if (!g->rows) {
		err = errmsg_set(e, -ENOMEM, "out of memory");
		goto fail;
	}
	g->calib = o->calib;
	g->ncalib = o->ncalib;
	g->tau_given = o->threshold > 0;
	for (i = 0; i < g->rep.nrows; i++) {
		struct gate_row *gr = &g->rows[g->nrows++];

		err = fill_row(g, gr, &g->rep.rows[i], o->threshold);
		if (err) {
			err = errmsg_set(e, err, "out of memory");
			goto fail;
		}
		ntests += isfinite(gr->p);
	}
	if (!g->nrows) {
		err = errmsg_set(e, -EINVAL, "the gated metrics have no values in matching "
				 "configurations");
		goto fail;
	}
	if (o->ncalib && !g->ncalibrated) {
		err = errmsg_set(e, -EINVAL, "no gated metric and configuration is in 2 of the "
				 "%zu calibration folders (with positive values)", o->ncalib);
		goto fail;
	}
	judge_rows(g, ntests, o->allow_mismatch);
	return 0;
fail:
	gate_release(g);
	return err;
}

int gate_evaluate(struct result_folder *base, struct result_folder *cand,
		  const char *const *metrics, size_t nmetrics, double threshold,
		  struct gate_result *g, struct errmsg *e)
{
	struct gate_opts o = {
		.metrics = metrics, .nmetrics = nmetrics, .threshold = threshold,
		.allow_mismatch = true,
	};

	return gate_evaluate_runs(&base, 1, &cand, 1, &o, g, e);
}

void gate_release(struct gate_result *g)
{
	run_report_release(&g->rep);
	run_group_release(&g->side[0]);
	run_group_release(&g->side[1]);
	free(g->rows);
	memset(g, 0, sizeof(*g));
}
