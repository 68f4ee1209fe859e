// SPDX-License-Identifier: GPL-2.0
/*
 * compare's default output: the table a cover letter needs, at the run
 * level.  Per configuration and metric: each kernel's median of run
 * medians with the between-run %stddev (LKP), against the first kernel the
 * ratio with its two-level CI, the run-level p (Holm) and a mark.  --detail
 * adds the variance components; --plan how many runs x repetitions reach a
 * detectable change.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "report/compare.h"

static void fmt_val(char *buf, size_t len, double v, const char *unit)
{
	double div;
	const char *u = report_scale(unit, fabs(v), &div);

	if (!isfinite(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.4g %s", v / div, u);
}

static bool significant(const struct run_cell *c)
{
	return c->tested && isfinite(c->p_holm) && c->p_holm <= STATS_ALPHA;
}

/* "3.55 ms ±17.5%", "3.55 ms (1 run)" */
static void fmt_level(char *buf, size_t len, const struct run_cell *c, const char *unit)
{
	char v[32];

	if (!c->present) {
		snprintf(buf, len, "-");
		return;
	}
	fmt_val(v, sizeof(v), c->median, unit);
	if (isfinite(c->between_pct))
		snprintf(buf, len, "%s ±%.1f%%", v, c->between_pct);
	else
		snprintf(buf, len, "%s (1 run)", v);
}

/* "x1.094 [0.98, 1.22] p=0.031 *", "x1.31 [1.20, 1.44] w" (within-run only) */
static void fmt_ratio(char *buf, size_t len, const struct run_cell *c)
{
	char p[24];

	if (!c->tested) {
		snprintf(buf, len, "%s", c->present ? "n/a" : "-");
		return;
	}
	if (isfinite(c->p_holm))
		snprintf(p, sizeof(p), " p=%.2g%s", c->p_holm, significant(c) ? " *" : "");
	else
		snprintf(p, sizeof(p), "%s", c->boot.within_only ? " w" : "");
	snprintf(buf, len, "x%.3f [%.3f, %.3f]%s", c->boot.ratio, c->boot.lo, c->boot.hi, p);
}

static void fmt_components(char *buf, size_t len, const struct run_cell *c)
{
	if (!c->present || !c->tl_ok)
		snprintf(buf, len, "-");
	else if (c->m < 2)
		snprintf(buf, len, "CVw %.1f%%, CVb n/a (1 run)", 100 * c->tl.cv_within);
	else if (c->tl.no_between)
		snprintf(buf, len, "CVw %.1f%%, no between-run variance detected",
			 100 * c->tl.cv_within);
	else
		snprintf(buf, len, "CVw %.1f%%, CVb %.1f%%", 100 * c->tl.cv_within,
			 100 * c->tl.cv_between);
}

/* Seconds one more run costs: the boot's wall time, else the run's own. */
static double run_cost_s(const struct result_folder *f)
{
	char path[PATH_MAX + 32];
	struct tm a = { 0 }, b = { 0 };
	json_t *j;
	double w = NAN;

	snprintf(path, sizeof(path), "%s/campaign.json", f->path);
	j = json_load_file(path, 0, NULL);
	if (j) {
		json_t *v = json_object_get(j, "wall_s");

		if (json_is_number(v) && json_number_value(v) > 0 &&
		    json_number_value(v) < 1e7)
			w = json_number_value(v);
		json_decref(j);
	}
	if (isfinite(w))
		return w;
	if (strptime(f->start, "%Y-%m-%dT%H:%M:%SZ", &a) &&
	    strptime(f->end, "%Y-%m-%dT%H:%M:%SZ", &b)) {
		double d = difftime(timegm(&b), timegm(&a));

		if (d >= 1 && d < 1e7)
			return d;
	}
	return COMPARE_RUN_COST_DEFAULT_S;
}

/* Seconds one repetition costs: the median setup + teardown of the first run. */
static double rep_cost_s(const struct run_group *g, const struct result_config *key)
{
	const struct result_config *c = result_folder_match(g->runs[0], key);
	const struct result_series *s = c ? result_config_series(c, "setup_ns") : NULL;
	const struct result_series *t = c ? result_config_series(c, "teardown_ns") : NULL;
	double ms = 0, mt = 0;

	if (s && s->n)
		stats_median(s->v, s->n, &ms);
	if (t && t->n)
		stats_median(t->v, t->n, &mt);
	return ms + mt > 0 ? (ms + mt) / 1e9 : 1e-3;
}

static void plan_row(FILE *out, const struct run_report *r, const struct run_row *row,
		     size_t gi, double delta)
{
	const struct run_cell *a = &row->cell[0], *b = &row->cell[gi];
	double cvb, cvw, reps, c1 = rep_cost_s(&r->g[0], r->k.keys[row->key]);
	double c2 = run_cost_s(r->g[0].runs[0]);
	struct stats_plan_in in;
	struct stats_plan p, p_opt;
	bool known;
	char label[96];

	report_metric_label(row->metric, label, sizeof(label));
	run_cell_pool(a, b, &cvb, &cvw, &reps, &known);
	if (!known) {
		fprintf(out, "    %-9s %6llu  between-run CV unknown (1 run): assumed %.0f%%\n",
			label, r->k.keys[row->key]->procs, 100 * STATS_DRIFT_PRIOR_CV);
		cvb = STATS_DRIFT_PRIOR_CV;
	}
	in = (struct stats_plan_in){
		.cv_between = cvb, .cv_within = cvw, .r = reps < 1 ? 1 : (size_t)lround(reps),
		.target = log1p(delta), .alpha = STATS_ALPHA, .beta = 0.2,
		.c1 = c1, .c2 = c2, .r_max = 1000,
		.m_now = a->m < b->m ? a->m : b->m, .m_max = 1000,
	};
	if (stats_plan_runs(&in, &p))
		return;
	in.r = 0;	/* the cheapest repetitions per run for the costs */
	if (stats_plan_runs(&in, &p_opt))
		return;
	fprintf(out, "    %-9s %6llu  CVw %5.1f%% CVb %5.1f%%  ", label,
		r->k.keys[row->key]->procs, 100 * cvw, 100 * cvb);
	if (p.reachable)
		fprintf(out, "%zu runs x %zu reps", p.m_needed, p.r);
	else
		fprintf(out, ">%zu runs x %zu reps", in.m_max, p.r);
	if (p_opt.reachable)
		fprintf(out, "; cheapest %zu runs x %zu reps (%.0f s per side)", p_opt.m_needed,
			p_opt.r, p_opt.m_needed * (c2 + p_opt.r * c1));
	if (isfinite(p.delta_now))
		fprintf(out, "; now %zu runs detect %.1f%%", in.m_now, 100 * expm1(p.delta_now));
	fputc('\n', out);
}

static void write_plan(FILE *out, const struct run_report *r, double delta)
{
	size_t gi, i;

	fprintf(out, "\nPlan: runs x repetitions per side to detect a %.1f%% change (two-sided "
		     "alpha %.2g, power 80%%),\nat the measured variance components (pooled "
		     "RMS of both kernels); a repetition costs its\nmedian setup + teardown, "
		     "a run %s\n", 100 * delta, STATS_ALPHA,
		"the boot's wall_s in campaign.json, else the run's own wall time");
	for (gi = r->ng > 1 ? 1 : 0; gi < r->ng; gi++) {
		fprintf(out, "  %s vs %s\n", r->g[gi].label, r->g[0].label);
		for (i = 0; i < r->nrows; i++)
			plan_row(out, r, &r->rows[i], gi, delta);
	}
}

static void write_footer(FILE *out, const struct run_report *r)
{
	size_t gi, i;

	fprintf(out, "\nReproducibility\n");
	for (gi = 0; gi < r->ng; gi++) {
		const struct result_folder *f = r->g[gi].runs[0];

		fprintf(out, "  %s: %s %s, design %s; %s; %s\n", r->g[gi].label, f->release,
			f->kversion, f->design, f->topology, f->tool);
		if (!f->has_audit) {
			fprintf(out, "    no environment audit in %s\n", f->path);
			continue;
		}
		fputs("    ", out);
		for (i = 0; i < audit_nfields; i++) {
			char v[1100];

			if (!audit_fields[i].gated || !strcmp(audit_fields[i].name, "cmdline"))
				continue;
			sysaudit_field_format(&f->audit, &audit_fields[i], v, sizeof(v));
			fprintf(out, "%s=%s ", audit_fields[i].name, v);
		}
		fprintf(out, "\n    cmdline %s\n", f->audit.cmdline);
	}
}

/* Row @i opens a new table: the first row, or another group or metric than the one before. */
static bool starts_section(const struct run_report *r, size_t i)
{
	const struct run_row *row = &r->rows[i], *prev = i ? &r->rows[i - 1] : NULL;

	return !prev || r->k.group[prev->key] != r->k.group[row->key] ||
	       strcmp(prev->metric, row->metric);
}

static void write_text(FILE *out, const struct run_report *r, const struct compare_opts *o)
{
	size_t gi, i, w = 24;
	bool within = false;
	char desc[160];

	for (gi = 0; gi < r->ng; gi++)
		if (strlen(r->g[gi].label) + 10 > w)
			w = strlen(r->g[gi].label) + 10;
	fprintf(out, "mlockbench compare: %zu kernel(s), runs are the unit of evidence\n", r->ng);
	for (gi = 0; gi < r->ng; gi++) {
		fprintf(out, "  %s%s: %zu run%s:", r->g[gi].label, gi ? "" : " (baseline)",
			r->g[gi].nruns, r->g[gi].nruns == 1 ? "" : "s");
		for (i = 0; i < r->g[gi].nruns && i < 4; i++)
			fprintf(out, "%s %s", i ? "," : "", r->g[gi].runs[i]->path);
		fprintf(out, "%s\n", r->g[gi].nruns > 4 ? ", ..." : "");
	}
	fprintf(out, "median of run medians ±between-run %%stddev; xR [95%% CI]: ratio to the "
		     "baseline, CI by hierarchical\nbootstrap over runs and repetitions; p: "
		     "Welch on ln run medians, Holm over the rows; * p <= %.2g\n", STATS_ALPHA);
	for (i = 0; i < r->nrows; i++) {
		const struct run_row *row = &r->rows[i];
		const struct result_config *k = r->k.keys[row->key];
		char label[96];

		if (starts_section(r, i)) {
			report_group_describe(k, desc, sizeof(desc));
			report_metric_label(row->metric, label, sizeof(label));
			fprintf(out, "\n%s: %s\n  %6s", desc, label, "procs");
			for (gi = 0; gi < r->ng; gi++)
				fprintf(out, "  %-*.*s", gi + 1 == r->ng ? 0 : (int)(gi ? w + 30 : w),
					(int)w, r->g[gi].label);
			fputc('\n', out);
		}
		fprintf(out, "  %6llu", k->procs);
		for (gi = 0; gi < r->ng; gi++) {
			char lv[48], ra[80], both[140];

			fmt_level(lv, sizeof(lv), &row->cell[gi], row->unit);
			if (!gi) {
				fprintf(out, "  %-*s", r->ng > 1 ? (int)w : 0, lv);
				continue;
			}
			fmt_ratio(ra, sizeof(ra), &row->cell[gi]);
			within |= row->cell[gi].tested && row->cell[gi].boot.within_only;
			snprintf(both, sizeof(both), "%s %s", lv, ra);
			fprintf(out, "  %-*s", gi + 1 < r->ng ? (int)w + 30 : 0, both);
		}
		fputc('\n', out);
		if (o->detail) {
			for (gi = 0; gi < r->ng; gi++) {
				char cv[96];

				fmt_components(cv, sizeof(cv), &row->cell[gi]);
				fprintf(out, "  %6s  %s: %s (%zu runs, %zu reps)\n", "", r->g[gi].label,
					cv, row->cell[gi].m, row->cell[gi].reps);
			}
		}
	}
	if (within)
		fprintf(out, "\nw: one run on a side, so the CI covers within-run noise only; "
			     "the drift between runs\n   (3-5%% natively) is not in it: make 3 "
			     "or more runs per kernel\n");
	if (o->plan_delta > 0)
		write_plan(out, r, o->plan_delta);
	write_footer(out, r);
}

/* One table per group and metric: | procs | kernel | ... | ratio [CI] | p | per kernel. */
static void write_markdown(FILE *out, const struct run_report *r)
{
	size_t gi, i;
	bool within = false;
	char desc[160];

	fprintf(out, "Median of run medians ±between-run %%stddev; ratio to %s with its "
		     "two-level 95%% CI (hierarchical bootstrap); p: Welch on ln run medians, "
		     "Holm; * p <= %.2g.\n", r->g[0].label, STATS_ALPHA);
	for (i = 0; i < r->nrows; i++) {
		const struct run_row *row = &r->rows[i];
		const struct result_config *k = r->k.keys[row->key];
		char label[96];

		if (starts_section(r, i)) {
			report_group_describe(k, desc, sizeof(desc));
			report_metric_label(row->metric, label, sizeof(label));
			fprintf(out, "\n**%s: %s**\n\n| procs |", desc, label);
			for (gi = 0; gi < r->ng; gi++)
				fprintf(out, " %s (%zu run%s) |%s", r->g[gi].label, r->g[gi].nruns,
					r->g[gi].nruns == 1 ? "" : "s", gi ? " ratio [95% CI] | p |" : "");
			fputs("\n|---:|", out);
			for (gi = 0; gi < r->ng; gi++)
				fputs(gi ? "---:|---|---:|" : "---:|", out);
			fputc('\n', out);
		}
		fprintf(out, "| %llu |", k->procs);
		for (gi = 0; gi < r->ng; gi++) {
			const struct run_cell *c = &row->cell[gi];
			char lv[48];

			fmt_level(lv, sizeof(lv), c, row->unit);
			fprintf(out, " %s |", lv);
			if (!gi)
				continue;
			if (!c->tested) {
				fputs(" - | - |", out);
				continue;
			}
			within |= c->boot.within_only;
			fprintf(out, " %.3f [%.3f, %.3f]%s |", c->boot.ratio, c->boot.lo, c->boot.hi,
				c->boot.within_only ? " w" : "");
			if (isfinite(c->p_holm))
				fprintf(out, " %.2g%s |", c->p_holm, significant(c) ? " *" : "");
			else
				fputs(" - |", out);
		}
		fputc('\n', out);
	}
	if (within)
		fputs("\nw: one run on a side: the CI covers within-run noise only.\n", out);
}

static json_t *jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *cell_json(const struct run_report *r, const struct run_cell *c, size_t gi)
{
	json_t *jc, *med = json_array();
	size_t i;

	if (!c->present)
		return json_null();
	for (i = 0; i < c->m; i++)
		json_array_append_new(med, jnum(c->run_median[i]));
	jc = json_pack("{s:s, s:I, s:I, s:o, s:o, s:o}", "kernel", r->g[gi].label,
		       "runs", (json_int_t)c->m, "reps", (json_int_t)c->reps,
		       "median_of_run_medians", jnum(c->median),
		       "between_run_stddev_pct", jnum(c->between_pct), "run_medians", med);
	if (c->tl_ok)
		json_object_set_new(jc, "components", json_pack(
			"{s:o, s:o, s:o, s:b, s:o, s:[o,o]}",
			"mean", jnum(c->tl.mean), "cv_within", jnum(c->tl.cv_within),
			"cv_between", jnum(c->tl.cv_between),
			"no_between_run_variance", c->tl.no_between,
			"t2sq", jnum(c->tl.t2sq), "mean_ci", jnum(c->tl.ci_lo),
			jnum(c->tl.ci_hi)));
	if (c->tested)
		json_object_set_new(jc, "vs_baseline", json_pack(
			"{s:o, s:[o,o], s:b, s:o, s:o, s:o, s:o, s:b}",
			"ratio", jnum(c->boot.ratio), "ratio_ci", jnum(c->boot.lo),
			jnum(c->boot.hi), "ci_within_run_only", c->boot.within_only,
			"welch_t", jnum(c->test.t), "welch_df", jnum(c->test.df),
			"p", jnum(c->p), "p_holm", jnum(c->p_holm),
			"significant", significant(c)));
	return jc;
}

json_t *compare_runs_json(const struct run_report *r)
{
	json_t *root = json_object(), *kernels = json_array(), *rows = json_array();
	size_t i, gi;

	json_object_set_new(root, "statistic", json_string("median of run medians"));
	json_object_set_new(root, "ci", json_string("hierarchical bootstrap, runs then "
						    "repetitions"));
	json_object_set_new(root, "test", json_string("welch on ln run medians, holm"));
	for (gi = 0; gi < r->ng; gi++) {
		json_t *runs = json_array();

		for (i = 0; i < r->g[gi].nruns; i++) {
			const struct result_folder *f = r->g[gi].runs[i];
			struct run_identity id;

			run_identity_of(f, &id);
			json_array_append_new(runs, json_pack("{s:s, s:s, s:s}", "path", id.path,
							      "start", id.start, "boot_id",
							      id.boot_id));
		}
		json_array_append_new(kernels, json_pack(
			"{s:s, s:s, s:s, s:s, s:s, s:o}", "label", r->g[gi].label,
			"release", r->g[gi].id.release, "version", r->g[gi].id.version,
			"design", r->g[gi].id.design, "kernel_id", r->g[gi].id.kernel_id,
			"runs", runs));
	}
	json_object_set_new(root, "kernels", kernels);
	for (i = 0; i < r->nrows; i++) {
		const struct run_row *row = &r->rows[i];
		const struct result_config *k = r->k.keys[row->key];
		json_t *cells = json_array();

		for (gi = 0; gi < r->ng; gi++)
			json_array_append_new(cells, cell_json(r, &row->cell[gi], gi));
		json_array_append_new(rows, json_pack(
			"{s:s, s:s, s:s, s:I, s:I, s:I, s:s, s:s, s:s, s:o}",
			"workload", k->workload, "backing", k->backing, "lock", k->lock,
			"plain", (json_int_t)k->plain, "size", (json_int_t)k->size,
			"procs", (json_int_t)k->procs, "identity", k->extra, "metric", row->metric,
			"unit", row->unit, "kernels", cells));
	}
	json_object_set_new(root, "rows", rows);
	return root;
}

static void csv_num(FILE *out, double v)
{
	if (isfinite(v))
		fprintf(out, ",%.9g", v);
	else
		fputc(',', out);
}

static void csv_row(FILE *out, const struct run_report *r, const struct run_row *row)
{
	const struct result_config *k = r->k.keys[row->key];
	size_t gi;

	for (gi = 0; gi < r->ng; gi++) {
		const struct run_cell *c = &row->cell[gi];

		if (!c->present)
			continue;
		compare_csv_str(out, r->g[gi].label);
		fputc(',', out);
		compare_csv_str(out, k->workload);
		fputc(',', out);
		compare_csv_str(out, k->backing);
		fputc(',', out);
		compare_csv_str(out, k->lock);
		fprintf(out, ",%llu,%llu,%llu,", k->procs, k->plain, k->size);
		compare_csv_str(out, row->metric);
		fprintf(out, ",%zu,%zu", c->m, c->reps);
		csv_num(out, c->median);
		csv_num(out, c->between_pct);
		csv_num(out, c->tl_ok ? c->tl.cv_within : NAN);
		csv_num(out, c->tl_ok ? c->tl.cv_between : NAN);
		if (c->tested) {
			csv_num(out, c->boot.ratio);
			csv_num(out, c->boot.lo);
			csv_num(out, c->boot.hi);
			csv_num(out, c->p);
			csv_num(out, c->p_holm);
			fprintf(out, ",%d,%d,", c->boot.within_only, significant(c));
		} else {
			fputs(",,,,,,,,", out);
		}
		compare_csv_str(out, k->extra);	/* prot=ro pin=compact ...; "" all default */
		fputc('\n', out);
	}
}

int compare_write_runs(FILE *out, const struct run_report *r, const struct report *detail,
		       enum compare_format fmt, const struct compare_opts *o)
{
	size_t i;
	json_t *j;
	int err = 0;

	switch (fmt) {
	case COMPARE_TEXT:
	case COMPARE_MARKDOWN:
		if (fmt == COMPARE_MARKDOWN)
			write_markdown(out, r);
		else
			write_text(out, r, o);
		if (fmt == COMPARE_MARKDOWN && o->plan_delta > 0)
			write_plan(out, r, o->plan_delta);
		if (detail) {
			fputs("\n", out);
			err = compare_write(out, detail, fmt);
		}
		break;
	case COMPARE_CSV:
		if (detail)
			return compare_write(out, detail, fmt);
		fputs("kernel,workload,backing,lock,procs,plain,size,metric,runs,reps,"
		      "median_of_run_medians,between_run_stddev_pct,cv_within,cv_between,ratio,"
		      "ratio_lo,ratio_hi,p,p_holm,ci_within_run_only,significant,identity\n", out);
		for (i = 0; i < r->nrows; i++)
			csv_row(out, r, &r->rows[i]);
		break;
	case COMPARE_JSON:
		j = detail ? compare_json(detail) : json_object();
		if (j)
			json_object_set_new(j, "two_level", compare_runs_json(r));
		if (!j || json_dumpf(j, out, JSON_INDENT(2)))
			err = -EIO;
		fputc('\n', out);
		json_decref(j);
		break;
	}
	if (fflush(out) || ferror(out))
		err = -EIO;
	return err;
}
