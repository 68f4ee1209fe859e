// SPDX-License-Identifier: GPL-2.0
/* The gate's table and its JUnit XML. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "report/gate.h"

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

/* "12.3 ms ±4.1%": run-level median and the between-run %stddev (LKP) */
static void fmt_side(char *buf, size_t len, double median, double between, const char *unit)
{
	char v[32];

	fmt_val(v, sizeof(v), median, unit);
	if (isfinite(between))
		snprintf(buf, len, "%s ±%.1f%%", v, between);
	else
		snprintf(buf, len, "%s", v);
}

static const char *tau_src_name(const struct gate_row *gr)
{
	switch (gr->tau_src) {
	case GATE_TAU_RUNS:
		return "runs";
	case GATE_TAU_PRIOR:
		return "prior";
	case GATE_TAU_GIVEN:
		return "given";
	case GATE_TAU_AA:
		return "A/A";
	}
	return "?";
}

/* "7.5% (runs)", "16.1% (prior)", "5.0% (given)", "9.0% (A/A 5 runs)" */
static void fmt_tau(char *buf, size_t len, const struct gate_row *gr)
{
	if (!isfinite(gr->tau))
		snprintf(buf, len, "-");
	else if (gr->tau_src == GATE_TAU_AA)
		snprintf(buf, len, "%.1f%% (A/A %zu runs)", 100 * gr->tau, gr->tau_runs);
	else
		snprintf(buf, len, "%.1f%% (%s)", 100 * gr->tau, tau_src_name(gr));
}

static void print_sides(FILE *out, const struct gate_result *g)
{
	static const char *const names[] = { "baseline ", "candidate" };
	size_t s, i;

	for (s = 0; s < 2; s++) {
		const struct run_group *rg = &g->side[s];

		fprintf(out, "%s %s, %zu run%s:", names[s], rg->label, rg->nruns,
			rg->nruns == 1 ? "" : "s");
		for (i = 0; i < rg->nruns && i < 6; i++)
			fprintf(out, "%s %s", i ? "," : "", rg->runs[i]->path);
		fprintf(out, "%s\n", rg->nruns > 6 ? ", ..." : "");
	}
}

static void print_calib(FILE *out, const struct gate_result *g)
{
	size_t i;

	if (!g->ncalib)
		return;
	fprintf(out, "A/A calibration, %zu runs:", g->ncalib);
	for (i = 0; i < g->ncalib && i < 6; i++)
		fprintf(out, "%s %s", i ? "," : "", g->calib[i]->path);
	fprintf(out, "%s\n", g->ncalib > 6 ? ", ..." : "");
	if (g->tau_given)
		fputs("  (tau given by --threshold; the A/A drift still gives p with one run "
		      "per side)\n", out);
	else
		fputs("  their between-run CV is the drift behind tau (never below the runs' "
		      "own)\n", out);
}

void gate_print(FILE *out, const struct gate_result *g)
{
	const struct run_report *r = &g->rep;
	size_t i, m = 0, pooled = 0;
	bool single = false;

	for (i = 0; i < g->nrows; i++) {
		m += isfinite(g->rows[i].p);
		pooled += g->rows[i].p_src == GATE_P_POOLED;
		single |= g->rows[i].within_only;
	}
	fputs("mlockbench gate: runs are the unit of evidence\n", out);
	print_sides(out, g);
	fprintf(out, "ratio = candidate/baseline of the medians of run medians, 95%% CI by "
		     "hierarchical bootstrap\n(runs, then repetitions); lower is better; p: "
		     "Welch on ln run medians, Holm over %zu\ntests; tau: what drift between "
		     "runs stays under (from the runs, a prior, A/A runs, or given)\n", m);
	if (pooled)
		fprintf(out, "p marked c: Student on ln run medians, the variance pooled with "
			     "the A/A runs'\n(more degrees of freedom for the drift than the "
			     "sides' runs alone)\n");
	if (single)
		fprintf(out, "one run on a side: its CI covers within-run noise only; without "
			     "A/A history a change\nis called only when that CI is beyond "
			     "x%.2f either way\n", GATE_FAR_RATIO);
	print_calib(out, g);
	for (i = 0; i < g->nmismatch && i < GATE_MAX_MISMATCH; i++)
		fprintf(out, "warning: environments differ (--allow-mismatch): %s\n",
			g->mismatch[i]);
	if (g->load_note[0])
		fprintf(out, "warning: %s\n", g->load_note);
	if (g->audit_note[0])
		fprintf(out, "note: no environment audit in %s: governor, swap, NUMA balancing "
			     "and ASLR not checked\n", g->audit_note);
	fputc('\n', out);
	fprintf(out, "%-9s %-40s %5s %18s %18s  %-26s %8s  %-16s %s\n", "metric", "config",
		"runs", "baseline", "candidate", "ratio [95% CI]", "p(Holm)", "tau", "verdict");
	for (i = 0; i < g->nrows; i++) {
		const struct gate_row *gr = &g->rows[i];
		char label[96], cfg[160], bm[48], cm[48], ratio[48], n[16], tau[40], p[16];

		report_metric_label(gr->row->metric, label, sizeof(label));
		result_config_describe(r->k.keys[gr->row->key], cfg, sizeof(cfg));
		fmt_side(bm, sizeof(bm), gr->base_median, gr->base_between, gr->row->unit);
		fmt_side(cm, sizeof(cm), gr->cand_median, gr->cand_between, gr->row->unit);
		fmt_tau(tau, sizeof(tau), gr);
		snprintf(n, sizeof(n), "%zu/%zu", gr->ma, gr->mb);
		if (isfinite(gr->w))
			snprintf(ratio, sizeof(ratio), "%.4f [%.4f, %.4f]", gr->w, gr->w_lo,
				 gr->w_hi);
		else
			snprintf(ratio, sizeof(ratio), "n/a");
		if (isfinite(gr->p_holm))
			snprintf(p, sizeof(p), "%.2g%s", gr->p_holm,
				 gr->p_src == GATE_P_POOLED ? "c" : "");
		else
			snprintf(p, sizeof(p), "-");
		fprintf(out, "%-9s %-40s %5s %18s %18s  %-26s %8s  %-16s %s\n", label, cfg, n,
			bm, cm, ratio, p, tau, gate_verdict_name(gr->verdict));
		if (gr->note[0])
			fprintf(out, "%-9s   %s\n", "", gr->note);
		if (gr->why[0])
			fprintf(out, "%-9s   %s\n", "", gr->why);
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
	const struct run_report *r = &g->rep;
	size_t i, fails = 0, skips = 0;
	char suite[512];

	for (i = 0; i < g->nrows; i++) {
		fails += g->rows[i].verdict == GATE_REGRESSION;
		skips += g->rows[i].verdict == GATE_INCONCLUSIVE;
	}
	snprintf(suite, sizeof(suite), "mlockbench gate %s vs %s", g->side[1].label,
		 g->side[0].label);
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
		char cfg[160], detail[800], tau[40];

		result_config_describe(r->k.keys[gr->row->key], cfg, sizeof(cfg));
		fmt_tau(tau, sizeof(tau), gr);
		snprintf(detail, sizeof(detail),
			 "%s: baseline median of %zu run medians %.6g %s, candidate of %zu %.6g "
			 "%s, ratio %.4f [%.4f, %.4f]%s, Holm p %.3g, threshold %s%s%s%s%s",
			 gate_verdict_name(gr->verdict), gr->ma, gr->base_median, gr->row->unit,
			 gr->mb, gr->cand_median, gr->row->unit, gr->w, gr->w_lo, gr->w_hi,
			 gr->within_only ? " (within-run noise only)" : "", gr->p_holm, tau,
			 gr->note[0] ? "; " : "", gr->note, gr->why[0] ? "; " : "", gr->why);
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
