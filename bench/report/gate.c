// SPDX-License-Identifier: GPL-2.0
/*
 * gate verdicts (STATS-NOTES.md):
 *   REGRESSION    Holm p <= alpha and w >= 1+tau
 *   IMPROVEMENT   Holm p <= alpha and w <= 1/(1+tau)
 *   NO-CHANGE     the 90% CI of w inside [1/(1+tau), 1+tau] (TOST at alpha)
 *   INCONCLUSIVE  otherwise, with the repetitions per side that would decide
 * w is the Hodges-Lehmann ratio candidate/baseline (lower-is-better metrics),
 * the Holm family is every gated metric x configuration.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>

#include "report/gate.h"

static const char *const default_metrics[] = { "teardown_ns", "lat_max_ns" };

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

static size_t count_unmatched(const struct result_folder *a, const struct result_folder *b)
{
	size_t i, n = 0;

	for (i = 0; i < a->nconfigs; i++)
		if (a->configs[i].nseries && !result_folder_match(b, &a->configs[i]))
			n++;
	return n;
}

/*
 * Repetitions per side that would decide, from the runs-needed formula with
 * the effect taken as the distance between the estimate and the nearer
 * edge of the band (at least a quarter of the band, since an effect right
 * on the edge cannot be decided), at the Holm level alpha/m.
 */
static size_t more_reps(double cv, double w, double tau, size_t n, size_t m)
{
	double edge = log1p(tau), d = fabs(log(w));
	double delta = fmax(fabs(d - edge), edge / 4);
	size_t need = stats_runs_needed(cv, delta, STATS_ALPHA / (m ? m : 1), 0.2);

	return need > n ? need - n : (n + 1) / 2;
}

int gate_calibrate_tau(struct result_folder **calib, size_t ncalib, const char *metric,
		       const struct result_config *key, double *tau, size_t *pairs,
		       double *q)
{
	const struct result_series **s = calloc(ncalib ? ncalib : 1, sizeof(*s));
	double *d = malloc((ncalib * (ncalib - !!ncalib) / 2 + 1) * sizeof(*d));
	size_t i, j, n = 0, k = 0;
	int err = 0;

	if (!s || !d) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < ncalib; i++) {
		const struct result_config *c = result_folder_match(calib[i], key);
		const struct result_series *x = c ? result_config_series(c, metric) : NULL;

		if (x && x->n >= 2)
			s[n++] = x;
	}
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			struct stats_ratio r;

			err = stats_hl_ratio(s[i]->v, s[i]->n, s[j]->v, s[j]->n, STATS_ALPHA, &r);
			if (err == -ENOMEM)
				goto out;
			/* |ln r| is the same either way round: median(-D) = -median(D) */
			if (!err && isfinite(r.ratio) && r.ratio > 0)
				d[k++] = fabs(log(r.ratio));
		}
	err = 0;
	if (!k) {
		err = -ENOENT;
		goto out;
	}
	gsl_sort(d, 1, k);
	/*
	 * Nearest rank: the ceil(0.99 k)-th smallest.  Up to 100 pairs that is
	 * the largest; an interpolated quantile would sit below the worst drift
	 * actually seen, and with a handful of pairs the data cannot say more.
	 */
	*q = expm1(d[(99 * k + 99) / 100 - 1]);
	*tau = fmax(0.02, *q);
	*pairs = k;
out:
	free(s);
	free(d);
	return err;
}

/* gr->tau and tau_src come from row_tau(): given, A/A, or the CV rule here */
static void judge(struct gate_row *gr, const struct report_cell *a,
		  const struct report_cell *b, size_t m)
{
	double cv = sqrt((a->s.cv * a->s.cv + b->s.cv * b->s.cv) / 2), cv_tau;
	size_t n = gr->na < gr->nb ? gr->na : gr->nb;
	bool sig;

	if (!isfinite(cv))
		cv = 0;
	cv_tau = fmax(0.02, 3 * cv * sqrt(2.0 / n));
	/*
	 * A/A history adds the drift between runs that the CV rule cannot see;
	 * it never lowers tau below that rule: a handful of calibration pairs
	 * can underestimate the drift, and calibrating must not make the gate
	 * cry wolf where it did not before.
	 */
	if (gr->tau_src == GATE_TAU_CV || (gr->tau_src == GATE_TAU_AA && cv_tau > gr->tau)) {
		gr->tau = cv_tau;
		gr->tau_src = GATE_TAU_CV;
	}
	if (!b->tested) {
		gr->verdict = GATE_INCONCLUSIVE;
		gr->more_reps = 2 > n ? 2 - n : 1;
		snprintf(gr->why, sizeof(gr->why), "fewer than 2 values on a side");
		return;
	}
	gr->p = b->mwu.p;
	gr->p_holm = b->p_holm;
	gr->w = b->hl.ratio;
	gr->w_lo = b->hl.lo;
	gr->w_hi = b->hl.hi;
	gr->eq_lo = b->hl_tost.lo;
	gr->eq_hi = b->hl_tost.hi;
	if (!isfinite(gr->w)) {
		gr->verdict = GATE_INCONCLUSIVE;
		gr->more_reps = 0;
		snprintf(gr->why, sizeof(gr->why), "no ratio: values not all positive");
		return;
	}
	sig = gr->p_holm <= STATS_ALPHA;
	if (sig && gr->w >= 1 + gr->tau) {
		gr->verdict = GATE_REGRESSION;
	} else if (sig && gr->w <= 1 / (1 + gr->tau)) {
		gr->verdict = GATE_IMPROVEMENT;
	} else if (gr->eq_lo >= 1 / (1 + gr->tau) && gr->eq_hi <= 1 + gr->tau) {
		gr->verdict = GATE_NO_CHANGE;
	} else {
		gr->verdict = GATE_INCONCLUSIVE;
		gr->more_reps = more_reps(cv, gr->w, gr->tau, n, m);
		if (stats_mwu_min_p(gr->na, gr->nb) * m > STATS_ALPHA)
			snprintf(gr->why, sizeof(gr->why),
				 "n=%zu/%zu cannot reach Holm p <= %.2g over %zu tests; "
				 "~%zu more reps per side would decide", gr->na, gr->nb,
				 STATS_ALPHA, m, gr->more_reps);
		else
			snprintf(gr->why, sizeof(gr->why),
				 "~%zu more reps per side would decide", gr->more_reps);
	}
}

int gate_evaluate(struct result_folder *base, struct result_folder *cand,
		  const char *const *metrics, size_t nmetrics, double threshold,
		  struct gate_result *g, struct errmsg *e)
{
	return gate_evaluate_calibrated(base, cand, metrics, nmetrics, threshold, NULL, 0, g, e);
}

/* The threshold of one row: given, A/A calibrated, or left to judge(). */
static int row_tau(struct gate_result *g, struct gate_row *gr, double threshold)
{
	double tau = 0, q = 0;
	size_t pairs = 0;
	int err = 0;

	if (g->ncalib) {
		err = gate_calibrate_tau(g->calib, g->ncalib, gr->row->metric,
					 g->rep.keys[gr->row->key], &tau, &pairs, &q);
		if (err == -ENOMEM)
			return err;
		if (!err) {
			g->ncalibrated++;
			gr->tau_pairs = pairs;
			gr->tau_aa = q;
			gr->tau_src = GATE_TAU_AA;
		} else if (threshold <= 0) {
			snprintf(gr->note, sizeof(gr->note), "in fewer than 2 calibration "
				 "folders: tau from the CV rule");
		}
		err = 0;
	}
	if (threshold > 0) {
		gr->tau = threshold;
		gr->tau_src = GATE_TAU_GIVEN;
	} else if (gr->tau_src == GATE_TAU_AA) {
		gr->tau = tau;
	}
	return err;
}

int gate_evaluate_calibrated(struct result_folder *base, struct result_folder *cand,
			     const char *const *metrics, size_t nmetrics, double threshold,
			     struct result_folder **calib, size_t ncalib,
			     struct gate_result *g, struct errmsg *e)
{
	struct result_folder *f[2] = { base, cand };
	size_t i, j, m = 0, matched = 0;
	int err;

	memset(g, 0, sizeof(*g));
	if (ncalib == 1)
		return errmsg_set(e, -EINVAL, "calibration needs at least 2 folders "
				  "(repeated runs of the baseline kernel), got 1");
	for (i = 0; i < ncalib; i++)
		for (j = i + 1; j < ncalib; j++)
			if (!strcmp(calib[i]->path, calib[j]->path))
				return errmsg_set(e, -EINVAL, "calibration folder %s given twice",
						  calib[i]->path);
	for (i = 0; i < 2; i++) {
		size_t j, with_data = 0;

		for (j = 0; j < f[i]->nconfigs; j++)
			with_data += f[i]->configs[j].nseries > 0;
		if (!with_data)
			return errmsg_set(e, -EINVAL, "%s has no timed repetitions", f[i]->path);
	}
	for (i = 0; i < base->nconfigs; i++)
		matched += base->configs[i].nseries &&
			   result_folder_match(cand, &base->configs[i]);
	if (!matched)
		return errmsg_set(e, -EINVAL, "no configuration of %s matches one of %s "
				  "(workload, backing, lock, procs, plain, size)",
				  base->path, cand->path);
	g->unmatched_base = count_unmatched(base, cand);
	g->unmatched_cand = count_unmatched(cand, base);
	if (!nmetrics) {
		metrics = default_metrics;
		nmetrics = 2;
	}
	err = report_build(f, 2, metrics, nmetrics, REPORT_HOLM_ALL, &g->rep, e);
	if (err)
		return err;
	/* report_build borrowed the local array: give the report its own */
	g->rep.f = malloc(2 * sizeof(*g->rep.f));
	g->rows = calloc(g->rep.nrows + 1, sizeof(*g->rows));
	if (!g->rep.f || !g->rows) {
		gate_release(g);
		return errmsg_set(e, -ENOMEM, "out of memory");
	}
	g->rep.f[0] = base;
	g->rep.f[1] = cand;
	g->calib = calib;
	g->ncalib = ncalib;
	g->tau_given = threshold > 0;
	for (i = 0; i < g->rep.nrows; i++)
		m += g->rep.rows[i].cell[1].tested;
	for (i = 0; i < g->rep.nrows; i++) {
		const struct report_row *row = &g->rep.rows[i];
		const struct report_cell *a = &row->cell[0], *b = &row->cell[1];
		struct gate_row *gr;

		gr = &g->rows[g->nrows++];
		gr->row = row;
		gr->w = gr->w_lo = gr->w_hi = gr->eq_lo = gr->eq_hi = NAN;
		gr->p = gr->p_holm = NAN;
		if (!a->present || !b->present) {
			/* a configuration one side lacks is not a pass: say which */
			gr->base_median = a->present ? a->s.median : NAN;
			gr->cand_median = b->present ? b->s.median : NAN;
			gr->tau = NAN;
			gr->verdict = GATE_INCONCLUSIVE;
			snprintf(gr->why, sizeof(gr->why), "only in the %s: the %s has no values "
				 "for this configuration", a->present ? "baseline" : "candidate",
				 a->present ? "candidate" : "baseline");
			if (!a->present)
				gr->nb = b->s.n;
			else
				gr->na = a->s.n;
			if (gr->verdict > g->overall)
				g->overall = gr->verdict;
			continue;
		}
		gr->na = a->s.n;
		gr->nb = b->s.n;
		gr->base_median = a->s.median;
		gr->cand_median = b->s.median;
		err = row_tau(g, gr, threshold);
		if (err) {
			gate_release(g);
			return errmsg_set(e, err, "out of memory");
		}
		judge(gr, a, b, m);
		if (gr->verdict > g->overall)
			g->overall = gr->verdict;
	}
	if (!g->nrows) {
		gate_release(g);
		return errmsg_set(e, -EINVAL, "the gated metrics have no values in matching "
				  "configurations");
	}
	if (ncalib && !g->ncalibrated) {
		gate_release(g);
		return errmsg_set(e, -EINVAL, "no gated metric and configuration is in 2 of the "
				  "%zu calibration folders (with >= 2 positive values each)",
				  ncalib);
	}
	return 0;
}

void gate_release(struct gate_result *g)
{
	struct result_folder **f = g->rep.f;

	report_release(&g->rep);
	free(f);
	free(g->rows);
	memset(g, 0, sizeof(*g));
}

static void fmt_val(char *buf, size_t len, double v, const char *unit)
{
	double div;
	const char *u = report_scale(unit, fabs(v), &div);

	if (!isfinite(v)) {
		snprintf(buf, len, "-");	/* the configuration is not on this side */
		return;
	}
	snprintf(buf, len, "%.4g %s", v / div, u);
}

/* "12.3% (A/A 3 pairs)", "7.5% (CV)", "9.1% (CV; A/A 5.5%)", "5.0% (given)" */
static void fmt_tau(char *buf, size_t len, const struct gate_row *gr)
{
	if (gr->tau_src == GATE_TAU_AA)
		snprintf(buf, len, "%.1f%% (A/A %zu pair%s)", 100 * gr->tau, gr->tau_pairs,
			 gr->tau_pairs == 1 ? "" : "s");
	else if (gr->tau_src == GATE_TAU_CV && gr->tau_pairs)
		snprintf(buf, len, "%.1f%% (CV; A/A %.1f%%)", 100 * gr->tau,
			 100 * fmax(0.02, gr->tau_aa));
	else
		snprintf(buf, len, "%.1f%% (%s)", 100 * gr->tau,
			 gr->tau_src == GATE_TAU_GIVEN ? "given" : "CV");
}

static void print_calib(FILE *out, const struct gate_result *g)
{
	size_t i;

	if (!g->ncalib)
		return;
	fprintf(out, "A/A calibration, %zu folders:", g->ncalib);
	for (i = 0; i < g->ncalib; i++)
		fprintf(out, "%s %s", i ? "," : "", g->calib[i]->path);
	if (g->tau_given)
		fputs("\n  (not used for tau: --threshold wins)\n", out);
	else
		fputs("\n  tau = max(2%, the largest |ln ratio| between any two of them (the "
		      "nearest-rank 99th\n  percentile above 100 pairs), the CV rule); rows not "
		      "in two of them: CV rule\n", out);
}

void gate_print(FILE *out, const struct gate_result *g)
{
	const struct report *r = &g->rep;
	size_t i, m = 0;

	for (i = 0; i < r->nrows; i++)
		m += r->rows[i].cell[1].tested;
	fprintf(out, "mlockbench gate: baseline  %s, folder %s\n"
		     "                 candidate %s, folder %s\n"
		     "ratio = candidate/baseline (Hodges-Lehmann, 95%% CI), lower is better; "
		     "p: two-sided Mann-Whitney U,\nHolm-adjusted over %zu tests; tau: threshold "
		     "(its source: given, CV rule, or A/A pairs)\n",
		r->f[0]->label, r->f[0]->path, r->f[1]->label, r->f[1]->path, m);
	print_calib(out, g);
	fputc('\n', out);
	fprintf(out, "%-12s %-42s %5s %12s %12s  %-26s %9s  %-19s %s\n", "metric", "config",
		"n", "baseline", "candidate", "ratio [95% CI]", "p(Holm)", "tau", "verdict");
	for (i = 0; i < g->nrows; i++) {
		const struct gate_row *gr = &g->rows[i];
		char label[96], cfg[160], bm[32], cm[32], ratio[48], n[16], tau[40];

		report_metric_label(gr->row->metric, label, sizeof(label));
		result_config_describe(r->keys[gr->row->key], cfg, sizeof(cfg));
		fmt_val(bm, sizeof(bm), gr->base_median, gr->row->unit);
		fmt_val(cm, sizeof(cm), gr->cand_median, gr->row->unit);
		if (isfinite(gr->tau))
			fmt_tau(tau, sizeof(tau), gr);
		else
			snprintf(tau, sizeof(tau), "-");
		snprintf(n, sizeof(n), "%zu/%zu", gr->na, gr->nb);
		if (isfinite(gr->w))
			snprintf(ratio, sizeof(ratio), "%.4f [%.4f, %.4f]", gr->w, gr->w_lo,
				 gr->w_hi);
		else
			snprintf(ratio, sizeof(ratio), "n/a");
		fprintf(out, "%-12s %-42s %5s %12s %12s  %-26s %9.2g  %-19s %s\n", label, cfg,
			n, bm, cm, ratio, gr->p_holm, tau, gate_verdict_name(gr->verdict));
		if (gr->note[0])
			fprintf(out, "%-12s   %s\n", "", gr->note);
		if (gr->why[0])
			fprintf(out, "%-12s   %s\n", "", gr->why);
	}
	if (g->unmatched_base || g->unmatched_cand)
		fprintf(out, "\ninconclusive: %zu configuration(s) only in the baseline, %zu only "
			     "in the candidate\n", g->unmatched_base, g->unmatched_cand);
	fprintf(out, "\nverdict: %s (exit %d)\n",
		g->overall == GATE_REGRESSION ? "REGRESSION" :
		g->overall == GATE_INCONCLUSIVE ? "INCONCLUSIVE" : "PASS",
		gate_exit_status(g->overall));
}

void xml_escape(FILE *out, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = *s;

		switch (ch) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&apos;", out);
			break;
		case '\t':
		case '\n':
		case '\r':
			fprintf(out, "&#%u;", ch);
			break;
		default:
			/* XML 1.0 cannot carry other control characters at all */
			if (ch >= 0x20 && ch != 0x7f)
				fputc(ch, out);
			else
				fputc('?', out);
		}
	}
}

int gate_write_junit(FILE *out, const struct gate_result *g)
{
	const struct report *r = &g->rep;
	size_t i, fails = 0, skips = 0;
	char suite[512];

	for (i = 0; i < g->nrows; i++) {
		fails += g->rows[i].verdict == GATE_REGRESSION;
		skips += g->rows[i].verdict == GATE_INCONCLUSIVE;
	}
	snprintf(suite, sizeof(suite), "mlockbench gate %s vs %s", r->f[1]->label,
		 r->f[0]->label);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"", out);
	xml_escape(out, suite);
	fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n",
		g->nrows, fails, skips);
	fputs("  <testsuite name=\"", out);
	xml_escape(out, suite);
	fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n",
		g->nrows, fails, skips);
	if (g->ncalib) {
		fputs("    <properties>\n", out);
		for (i = 0; i < g->ncalib; i++) {
			fputs("      <property name=\"calibration\" value=\"", out);
			xml_escape(out, g->calib[i]->path);
			fputs("\"/>\n", out);
		}
		fputs("    </properties>\n", out);
	}
	for (i = 0; i < g->nrows; i++) {
		const struct gate_row *gr = &g->rows[i];
		char cfg[160], detail[640], tau[40];

		result_config_describe(r->keys[gr->row->key], cfg, sizeof(cfg));
		if (isfinite(gr->tau))
			fmt_tau(tau, sizeof(tau), gr);
		else
			snprintf(tau, sizeof(tau), "-");
		snprintf(detail, sizeof(detail),
			 "%s: baseline median %.6g %s (n=%zu), candidate median %.6g %s (n=%zu), "
			 "ratio %.4f [%.4f, %.4f], Holm p %.3g, threshold %s%s%s%s%s",
			 gate_verdict_name(gr->verdict), gr->base_median, gr->row->unit, gr->na,
			 gr->cand_median, gr->row->unit, gr->nb, gr->w, gr->w_lo, gr->w_hi,
			 gr->p_holm, tau, gr->note[0] ? "; " : "", gr->note,
			 gr->why[0] ? "; " : "", gr->why);
		fputs("    <testcase classname=\"mlockbench.gate.", out);
		xml_escape(out, gr->row->metric);
		fputs("\" name=\"", out);
		xml_escape(out, cfg);
		fputs("\">\n", out);
		if (gr->verdict == GATE_REGRESSION) {
			fputs("      <failure type=\"regression\" message=\"", out);
			xml_escape(out, detail);
			fputs("\"/>\n", out);
		} else if (gr->verdict == GATE_INCONCLUSIVE) {
			fputs("      <skipped message=\"", out);
			xml_escape(out, detail);
			fputs("\"/>\n", out);
		}
		fputs("      <system-out>", out);
		xml_escape(out, detail);
		fputs("</system-out>\n    </testcase>\n", out);
	}
	fputs("  </testsuite>\n</testsuites>\n", out);
	return ferror(out) ? -EIO : 0;
}
