// SPDX-License-Identifier: GPL-2.0
/*
 * compare output.  Text follows mmtests: kernels as columns, the first one
 * the baseline, "Stat metric-unit param" rows, "( x.xx%)" changes with
 * + = better (100 (1 - B/A) for lower-is-better metrics) and "* x.xx%*"
 * when the Holm-adjusted Mann-Whitney p is <= 0.05.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "report/compare.h"

#define COLW 26

int compare_format_parse(const char *s, enum compare_format *out)
{
	if (!strcmp(s, "text"))
		*out = COMPARE_TEXT;
	else if (!strcmp(s, "markdown") || !strcmp(s, "md"))
		*out = COMPARE_MARKDOWN;
	else if (!strcmp(s, "csv"))
		*out = COMPARE_CSV;
	else if (!strcmp(s, "json"))
		*out = COMPARE_JSON;
	else
		return -EINVAL;
	return 0;
}

/* Decimals for a section whose largest value is @maxv: columns line up. */
static int section_prec(double maxv)
{
	return maxv >= 1e4 ? 0 : maxv >= 1000 ? 1 : maxv >= 100 ? 2 : maxv >= 10 ? 3 : 4;
}

static int g_prec = -1;	/* set per section by the text and markdown writers */

static void fmt_num(char *buf, size_t len, double v)
{
	double a = fabs(v);

	if (g_prec >= 0 && !isnan(v))
		snprintf(buf, len, "%.*f", g_prec, v);
	else if (isnan(v))
		snprintf(buf, len, "n/a");
	else if (a >= 1e4)
		snprintf(buf, len, "%.0f", v);
	else if (a >= 100)
		snprintf(buf, len, "%.1f", v);
	else if (a >= 1)
		snprintf(buf, len, "%.3f", v);
	else
		snprintf(buf, len, "%.4f", v);
}

/* Starred: a tested change of a metric that has a better and a worse way. */
static bool significant(const struct report_row *row, const struct report_cell *c)
{
	return row->direction != METRIC_INFO && c->tested && c->p_holm <= STATS_ALPHA;
}

/* Largest median of a (metric, group) section, to pick its display unit. */
static double section_max(const struct report *r, size_t first, size_t end)
{
	double m = 0;
	size_t i, fi;

	for (i = first; i < end; i++)
		for (fi = 0; fi < r->nf; fi++)
			if (r->rows[i].cell[fi].present)
				m = fmax(m, fabs(r->rows[i].cell[fi].s.median));
	return m;
}

/* Rows [first, end) share metric and group. */
static size_t section_end(const struct report *r, size_t first)
{
	size_t i = first + 1;

	while (i < r->nrows && !strcmp(r->rows[i].metric, r->rows[first].metric) &&
	       r->group[r->rows[i].key] == r->group[r->rows[first].key])
		i++;
	return i;
}

static void change_cell(char *buf, size_t len, enum metric_direction d, double v, double base,
			bool sig, bool show)
{
	char num[32];
	double ch = report_change(d, v, base);

	fmt_num(num, sizeof(num), v);
	if (!show || isnan(ch))
		snprintf(buf, len, "%12s %11s", num, "");
	else if (sig)
		snprintf(buf, len, "%12s *%8.2f%%*", num, ch);
	else
		snprintf(buf, len, "%12s (%8.2f%%)", num, ch);
}

enum stat_row { ST_NREPS, ST_MIN, ST_MEDIAN, ST_MEDCI, ST_AMEAN, ST_STDDEV, ST_CV, ST_MAX,
		ST_RATIO, ST_BOOT, ST_P, ST_CLIFF, ST_OUTLIERS, ST_N };

static const char *const stat_names[] = { "N", "Min", "Median", "MedianCI", "Amean", "Stddev",
	"CoeffVar", "Max", "Ratio-HL", "Ratio-med", "p-Holm", "Cliff-d", "Outliers" };

static void text_cell(char *buf, size_t len, enum stat_row st, const struct report_row *row,
		      const struct report_cell *c, const struct report_cell *b, bool is_base,
		      double div)
{
	enum metric_direction d = row->direction;
	char x[32], y[32];

	buf[0] = 0;
	if (!c->present) {
		snprintf(buf, len, "%12s %11s", "-", "");
		return;
	}
	switch (st) {
	case ST_NREPS:
		snprintf(buf, len, "%12zu %11s", c->s.n, "");
		break;
	case ST_MIN:
		change_cell(buf, len, d, c->s.min / div, b->s.min / div, false, b->present);
		break;
	case ST_MEDIAN:
		change_cell(buf, len, d, c->s.median / div, b->s.median / div,
			    !is_base && significant(row, c), b->present);
		break;
	case ST_AMEAN:
		change_cell(buf, len, d, c->s.mean / div, b->s.mean / div,
			    !is_base && significant(row, c), b->present);
		break;
	case ST_MAX:
		change_cell(buf, len, d, c->s.max / div, b->s.max / div, false, b->present);
		break;
	case ST_MEDCI:
		fmt_num(x, sizeof(x), c->s.med_lo / div);
		fmt_num(y, sizeof(y), c->s.med_hi / div);
		snprintf(buf, len, "[%s, %s] %.0f%%", x, y, 100 * c->s.med_cover);
		break;
	case ST_STDDEV:
		fmt_num(x, sizeof(x), c->s.sd / div);
		snprintf(buf, len, "%12s %11s", x, "");
		break;
	case ST_CV:
		if (isfinite(c->s.cv))
			snprintf(buf, len, "%11.2f%% %11s", 100 * c->s.cv, "");
		else
			snprintf(buf, len, "%12s %11s", "n/a", "");
		break;
	case ST_RATIO:
		if (is_base || !c->tested || isnan(c->hl.ratio))
			snprintf(buf, len, "%12s %11s", "-", "");
		else
			snprintf(buf, len, "%.4f [%.4f, %.4f]", c->hl.ratio, c->hl.lo, c->hl.hi);
		break;
	case ST_BOOT:
		if (is_base || !c->tested || isnan(c->boot.ratio))
			snprintf(buf, len, "%12s %11s", "-", "");
		else
			snprintf(buf, len, "%.4f [%.4f, %.4f]", c->boot.ratio, c->boot.lo,
				 c->boot.hi);
		break;
	case ST_P:
		if (is_base || !c->tested)
			snprintf(buf, len, "%12s %11s", "-", "");
		else
			snprintf(buf, len, "%12.2g %-11s", c->p_holm,
				 c->mwu.exact ? "exact" : "normal");
		break;
	case ST_CLIFF:
		if (is_base || !c->tested)
			snprintf(buf, len, "%12s %11s", "-", "");
		else
			snprintf(buf, len, "%12.3f %-11s", c->mwu.cliff,
				 stats_cliff_magnitude(c->mwu.cliff));
		break;
	case ST_OUTLIERS:
		snprintf(buf, len, "%12zu %-11s", c->outliers + c->extreme,
			 c->extreme ? "(extreme)" : "");
		break;
	case ST_N:
		break;
	}
}

/* Audit field @name of @a as text ("n/a" when unknown or not a field). */
static const char *audit_text(const struct sysaudit *a, const char *name, char *buf,
			      size_t len)
{
	size_t i;

	snprintf(buf, len, "%s", AUDIT_NA);
	for (i = 0; i < audit_nfields; i++)
		if (!strcmp(audit_fields[i].name, name))
			sysaudit_field_format(a, &audit_fields[i], buf, len);
	return buf;
}

/* Two lines of the environment audit; a folder from before it says so. */
static void text_audit(FILE *out, const struct result_folder *f)
{
	char v[12][72];
	const struct sysaudit *a = &f->audit;

	if (!f->has_audit) {
		fprintf(out, "    audit     none (written before the environment audit)\n");
		return;
	}
	fprintf(out, "    audit     governor %s (%s), THP %s defrag=%s shmem=%s, swap %s KiB "
		"(%s devices), numa_balancing %s, ASLR %s, hypervisor %s %s %s\n",
		audit_text(a, "cpufreq_governor", v[0], sizeof(v[0])),
		audit_text(a, "cpufreq_driver", v[1], sizeof(v[1])),
		audit_text(a, "thp_enabled", v[2], sizeof(v[2])),
		audit_text(a, "thp_defrag", v[3], sizeof(v[3])),
		audit_text(a, "thp_shmem_enabled", v[4], sizeof(v[4])),
		audit_text(a, "swap_total_kib", v[5], sizeof(v[5])),
		audit_text(a, "swap_devices", v[6], sizeof(v[6])),
		audit_text(a, "numa_balancing", v[7], sizeof(v[7])),
		audit_text(a, "randomize_va_space", v[8], sizeof(v[8])),
		audit_text(a, "hypervisor_flag", v[9], sizeof(v[9])),
		audit_text(a, "hypervisor_type", v[10], sizeof(v[10])),
		audit_text(a, "dmi_sys_vendor", v[11], sizeof(v[11])));
	fprintf(out, "    start     boot %s, uptime %s s, load %s %s %s\n",
		audit_text(a, "boot_id", v[0], sizeof(v[0])),
		audit_text(a, "uptime_s", v[1], sizeof(v[1])),
		audit_text(a, "load1", v[2], sizeof(v[2])),
		audit_text(a, "load5", v[3], sizeof(v[3])),
		audit_text(a, "load15", v[4], sizeof(v[4])));
}

static void text_footer(FILE *out, const struct report *r)
{
	size_t fi;

	fprintf(out, "\nReproducibility\n");
	for (fi = 0; fi < r->nf; fi++) {
		const struct result_folder *f = r->f[fi];

		fprintf(out, "  %s%s: %s\n", f->label, fi ? "" : " (baseline)", f->path);
		fprintf(out, "    kernel    %s %s\n", f->release, f->kversion);
		fprintf(out, "    design    %s%s%s%s\n", f->design,
			f->expected_design[0] ? " (expected " : "", f->expected_design,
			f->expected_design[0] ? ")" : "");
		fprintf(out, "    cmdline   %s\n", f->kcmdline);
		fprintf(out, "    THP       %s\n", f->thp);
		fprintf(out, "    topology  %s; %s\n", f->topology, f->cpu);
		text_audit(out, f);
		fprintf(out, "    tool      %s\n", f->tool);
		fprintf(out, "    run       %s\n", f->cmdline);
		fprintf(out, "    time      %s .. %s, status %s\n", f->start, f->end, f->status);
	}
}

static void text_scaling(FILE *out, const struct report *r)
{
	char desc[160];
	size_t i, fi;
	bool any = false;

	for (i = 0; i < r->nfits; i++)
		any |= r->fits[i].ok;
	if (!any)
		return;
	fprintf(out, "\nScaling law: teardown = c * procs^b, least squares on log(median) vs "
		     "log(procs), 95%% CI of b from t(k-2)\n");
	for (i = 0; i < r->nfits; i += r->nf) {
		const struct report_fit *base = &r->fits[i];

		if (base->key == SIZE_MAX)
			continue;
		report_group_describe(r->keys[base->key], desc, sizeof(desc));
		fprintf(out, "  %s\n", desc);
		for (fi = 0; fi < r->nf; fi++) {
			const struct report_fit *ft = &r->fits[i + fi];

			if (!ft->ok) {
				fprintf(out, "    %-24s fewer than 3 procs values\n", r->f[fi]->label);
				continue;
			}
			fprintf(out, "    %-24s b = %.3f [%.3f, %.3f]  R^2 = %.4f  k = %zu",
				r->f[fi]->label, ft->fit.b, ft->fit.b_lo, ft->fit.b_hi, ft->fit.r2,
				ft->fit.k);
			if (fi && base->ok)
				fprintf(out, "  delta-b = %+.3f", ft->fit.b - base->fit.b);
			fputc('\n', out);
		}
	}
}

static void write_text(FILE *out, const struct report *r)
{
	size_t i, fi, end;
	int colw = COLW;

	for (fi = 0; fi < r->nf; fi++)
		if ((int)strlen(r->f[fi]->label) + 1 > colw)
			colw = strlen(r->f[fi]->label) + 1;

	fprintf(out, "mlockbench compare: %zu folder(s), baseline %s\n", r->nf, r->f[0]->label);
	fprintf(out, "Changes: + = better, 100*(1 - X/baseline) where lower is better, "
		     "100*(X/baseline - 1)\n  where higher is better, none for informational "
		     "metrics; *x%%* = significant:\n  two-sided Mann-Whitney U, Holm-adjusted p <= 0.05 "
		     "(primary metrics teardown, lat_max, plain_teardown\n  form one family, the "
		     "secondary metrics another). Ratio-HL: Hodges-Lehmann X/baseline [95%% CI];\n"
		     "  Ratio-med: median ratio, percentile bootstrap (MT19937 seed %lu, %d "
		     "resamples).\n", STATS_BOOT_SEED, STATS_BOOT_RESAMPLES);
	for (i = 0; i < r->nrows; i = end) {
		const struct report_row *row0 = &r->rows[i];
		char desc[160], label[96], mlabel[120];
		const char *unit;
		double div;
		size_t j;
		int st;

		end = section_end(r, i);
		unit = report_scale(row0->unit, section_max(r, i, end), &div);
		g_prec = section_prec(section_max(r, i, end) / div);
		report_group_describe(r->keys[row0->key], desc, sizeof(desc));
		report_metric_label(row0->metric, label, sizeof(label));
		snprintf(mlabel, sizeof(mlabel), "%s-%s", label, unit);
		fprintf(out, "\n== %s: %s (%s, %s)%s ==\n", desc, label, unit,
			report_direction_name(row0->direction), row0->primary ? " [primary]" : "");
		fprintf(out, "%-10s %-*s %-10s", "", (int)strlen(mlabel), "", "");
		for (fi = 0; fi < r->nf; fi++)
			fprintf(out, " %*s", colw, r->f[fi]->label);
		fputc('\n', out);
		for (j = i; j < end; j++) {
			const struct report_row *row = &r->rows[j];
			char param[32];
			size_t n_out = 0;

			snprintf(param, sizeof(param), "procs=%llu", r->keys[row->key]->procs);
			for (fi = 0; fi < r->nf; fi++)
				n_out += row->cell[fi].outliers + row->cell[fi].extreme;
			for (st = 0; st < ST_N; st++) {
				if (st == ST_OUTLIERS && !n_out)
					continue;
				if (r->nf < 2 && st >= ST_RATIO && st <= ST_CLIFF)
					continue;
				fprintf(out, "%-10s %s %-10s", stat_names[st], mlabel, param);
				for (fi = 0; fi < r->nf; fi++) {
					char cell[96];

					text_cell(cell, sizeof(cell), st, row, &row->cell[fi],
						  &row->cell[0], fi == 0, div);
					fprintf(out, " %*s", colw, cell);
				}
				fputc('\n', out);
			}
		}
	}
	g_prec = -1;
	text_scaling(out, r);
	if (r->nmissing)
		fprintf(out, "\nNote: %zu cell(s) are '-': the configuration or metric is missing "
			     "from that folder.\n", r->nmissing);
	text_footer(out, r);
}

/* One folder's cells of a row: median [CI] (change), then ratio and p against the baseline. */
static void md_cell(FILE *out, const struct report_row *row, size_t fi, double div)
{
	const struct report_cell *c = &row->cell[fi];
	const struct report_cell *b = &row->cell[0];
	char m[32], lo[32], hi[32];

	if (!c->present) {
		fprintf(out, fi ? " – | – | – |" : " – |");
		return;
	}
	fmt_num(m, sizeof(m), c->s.median / div);
	fmt_num(lo, sizeof(lo), c->s.med_lo / div);
	fmt_num(hi, sizeof(hi), c->s.med_hi / div);
	fprintf(out, " %s [%s, %s]", m, lo, hi);
	if (fi && b->present &&
	    isfinite(report_change(row->direction, c->s.median, b->s.median)))
		fprintf(out, " (%+.2f%%%s)",
			report_change(row->direction, c->s.median, b->s.median),
			significant(row, c) ? "*" : "");
	fprintf(out, " |");
	if (!fi)
		return;
	if (c->tested && !isnan(c->hl.ratio))
		fprintf(out, " %.4f [%.4f, %.4f] | %.2g |", c->hl.ratio,
			c->hl.lo, c->hl.hi, c->p_holm);
	else
		fprintf(out, " – | – |");
}

/* One table: a metric of one configuration group, rows I..END-1 (one per procs). */
static void md_section(FILE *out, const struct report *r, size_t i, size_t end)
{
	const struct report_row *row0 = &r->rows[i];
	char desc[160], label[96];
	const char *unit;
	size_t fi, j;
	double div;

	unit = report_scale(row0->unit, section_max(r, i, end), &div);
	g_prec = section_prec(section_max(r, i, end) / div);
	report_group_describe(r->keys[row0->key], desc, sizeof(desc));
	report_metric_label(row0->metric, label, sizeof(label));
	fprintf(out, "\n### %s — %s (%s, %s)%s\n\n| procs |", desc, label, unit,
		report_direction_name(row0->direction), row0->primary ? ", primary" : "");
	for (fi = 0; fi < r->nf; fi++)
		fprintf(out, fi ? " %s | ratio | p (Holm) |" : " %s |", r->f[fi]->label);
	fprintf(out, "\n|---:|");
	for (fi = 0; fi < r->nf; fi++)
		fprintf(out, fi ? "---:|---:|---:|" : "---:|");
	fputc('\n', out);
	for (j = i; j < end; j++) {
		const struct report_row *row = &r->rows[j];

		fprintf(out, "| %llu |", r->keys[row->key]->procs);
		for (fi = 0; fi < r->nf; fi++)
			md_cell(out, row, fi, div);
		fputc('\n', out);
	}
}

static void md_scaling(FILE *out, const struct report *r)
{
	size_t i;

	for (i = 0; i < r->nfits; i++) {
		const struct report_fit *ft = &r->fits[i];
		char desc[160];

		if (!i)
			fprintf(out, "\n### Scaling law: teardown = c·procs^b\n\n"
				     "| configuration | kernel | b [95%% CI] | R² |\n"
				     "|---|---|---:|---:|\n");
		if (!ft->ok)
			continue;
		report_group_describe(r->keys[ft->key], desc, sizeof(desc));
		fprintf(out, "| %s | %s | %.3f [%.3f, %.3f] | %.4f |\n", desc,
			r->f[ft->folder]->label, ft->fit.b, ft->fit.b_lo, ft->fit.b_hi,
			ft->fit.r2);
	}
}

static void md_kernels(FILE *out, const struct report *r)
{
	size_t fi;

	fprintf(out, "\n### Kernels\n\n| kernel | release | design | cmdline | THP | topology | "
		     "tool | run |\n|---|---|---|---|---|---|---|---|\n");
	for (fi = 0; fi < r->nf; fi++) {
		const struct result_folder *f = r->f[fi];

		fprintf(out, "| %s | %s | %s | `%s` | %s | %s | %s | `%s` |\n", f->label,
			f->release, f->design, f->kcmdline, f->thp, f->topology, f->tool,
			f->cmdline);
	}
}

static void write_markdown(FILE *out, const struct report *r)
{
	size_t i, end;

	fprintf(out, "# mlockbench compare (baseline %s)\n\n", r->f[0]->label);
	fprintf(out, "Median [95%% CI]; change of the median, + = better (100·(1 − X/baseline) "
		     "where lower is better, 100·(X/baseline − 1) where higher, none for "
		     "informational metrics); `*` = Holm-adjusted Mann–Whitney p ≤ 0.05. Ratio: Hodges–Lehmann "
		     "X/baseline [95%% CI].\n");
	for (i = 0; i < r->nrows; i = end) {
		end = section_end(r, i);
		md_section(out, r, i, end);
	}
	md_scaling(out, r);
	md_kernels(out, r);
}

/* The machine-readable direction: "lower", "higher", "info". */
static const char *direction_key(enum metric_direction d)
{
	return d == METRIC_LOWER_BETTER ? "lower" : d == METRIC_HIGHER_BETTER ? "higher" : "info";
}

/* CSV: one tidy row per metric, configuration and folder; raw units. */
void compare_csv_str(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void csv_num(FILE *out, double v)
{
	if (isfinite(v))
		fprintf(out, ",%.10g", v);
	else
		fputc(',', out);
}

static void write_csv(FILE *out, const struct report *r)
{
	size_t i, fi;

	fprintf(out, "workload,backing,lock,plain,size,procs,metric,unit,primary,kernel,baseline,"
		     "n,min,median,median_lo,median_hi,median_coverage,mean,mean_lo,mean_hi,"
		     "stddev,cv,max,outliers,change_pct,ratio_hl,ratio_hl_lo,ratio_hl_hi,"
		     "ratio_median,ratio_median_lo,ratio_median_hi,u,p_mwu,p_exact,p_holm,"
		     "cliff_delta,significant,direction,identity\n");
	for (i = 0; i < r->nrows; i++) {
		const struct report_row *row = &r->rows[i];
		const struct result_config *k = r->keys[row->key];

		for (fi = 0; fi < r->nf; fi++) {
			const struct report_cell *c = &row->cell[fi];

			if (!c->present)
				continue;
			compare_csv_str(out, k->workload);
			fputc(',', out);
			compare_csv_str(out, k->backing);
			fputc(',', out);
			compare_csv_str(out, k->lock);
			fprintf(out, ",%llu,%llu,%llu,", k->plain, k->size, k->procs);
			compare_csv_str(out, row->metric);
			fputc(',', out);
			compare_csv_str(out, row->unit);
			fprintf(out, ",%d,", row->primary);
			compare_csv_str(out, r->f[fi]->label);
			fprintf(out, ",%d,%zu", fi == 0, c->s.n);
			csv_num(out, c->s.min);
			csv_num(out, c->s.median);
			csv_num(out, c->s.med_lo);
			csv_num(out, c->s.med_hi);
			csv_num(out, c->s.med_cover);
			csv_num(out, c->s.mean);
			csv_num(out, c->s.mean_lo);
			csv_num(out, c->s.mean_hi);
			csv_num(out, c->s.sd);
			csv_num(out, c->s.cv);
			csv_num(out, c->s.max);
			fprintf(out, ",%zu", c->outliers + c->extreme);
			if (c->tested) {
				csv_num(out, c->change);
				csv_num(out, c->hl.ratio);
				csv_num(out, c->hl.lo);
				csv_num(out, c->hl.hi);
				csv_num(out, c->boot.ratio);
				csv_num(out, c->boot.lo);
				csv_num(out, c->boot.hi);
				csv_num(out, c->mwu.u_b);
				csv_num(out, c->mwu.p);
				fprintf(out, ",%d", c->mwu.exact);
				csv_num(out, c->p_holm);
				csv_num(out, c->mwu.cliff);
				fprintf(out, ",%d", significant(row, c));
			} else {
				fprintf(out, ",,,,,,,,,,,,,");
			}
			fprintf(out, ",%s,", direction_key(row->direction));
			compare_csv_str(out, k->extra);	/* pin=compact ...: "" when all default */
			fputc('\n', out);
		}
	}
}

static json_t *jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *json_kernel(const struct result_folder *f)
{
	json_t *k = json_object();

	json_object_set_new(k, "label", json_string(f->label));
	json_object_set_new(k, "path", json_string(f->path));
	json_object_set_new(k, "status", json_string(f->status));
	json_object_set_new(k, "release", json_string(f->release));
	json_object_set_new(k, "version", json_string(f->kversion));
	json_object_set_new(k, "design", json_string(f->design));
	json_object_set_new(k, "expected_design", json_string(f->expected_design));
	json_object_set_new(k, "kernel_cmdline", json_string(f->kcmdline));
	json_object_set_new(k, "thp", json_string(f->thp));
	json_object_set_new(k, "topology", json_string(f->topology));
	json_object_set_new(k, "cpu_model", json_string(f->cpu));
	json_object_set_new(k, "tool", json_string(f->tool));
	json_object_set_new(k, "run_cmdline", json_string(f->cmdline));
	return k;
}

/* One folder's statistics of a row, and the tests against the baseline; null when absent. */
static json_t *json_cell(const struct report_row *row, const struct report_cell *c,
			 const char *label)
{
	json_t *jc;

	if (!c->present)
		return json_null();
	jc = json_pack("{s:s, s:I, s:o, s:o, s:[o,o], s:o, s:o, s:[o,o], s:o, s:o, "
		       "s:o, s:I}",
		       "kernel", label, "n", (json_int_t)c->s.n,
		       "min", jnum(c->s.min), "median", jnum(c->s.median),
		       "median_ci", jnum(c->s.med_lo), jnum(c->s.med_hi),
		       "median_coverage", jnum(c->s.med_cover),
		       "mean", jnum(c->s.mean),
		       "mean_ci", jnum(c->s.mean_lo), jnum(c->s.mean_hi),
		       "stddev", jnum(c->s.sd), "cv", jnum(c->s.cv),
		       "max", jnum(c->s.max),
		       "outliers", (json_int_t)(c->outliers + c->extreme));
	if (c->tested)
		json_object_set_new(jc, "vs_baseline",
			json_pack("{s:o, s:[o,o,o], s:[o,o,o], s:o, s:o, s:b, s:o, "
				  "s:o, s:b}",
				  "change_pct", jnum(c->change),
				  "ratio_hl", jnum(c->hl.ratio), jnum(c->hl.lo),
				  jnum(c->hl.hi),
				  "ratio_median", jnum(c->boot.ratio),
				  jnum(c->boot.lo), jnum(c->boot.hi),
				  "u", jnum(c->mwu.u_b), "p", jnum(c->mwu.p),
				  "exact", c->mwu.exact, "p_holm", jnum(c->p_holm),
				  "cliff_delta", jnum(c->mwu.cliff),
				  "significant", significant(row, c)));
	return jc;
}

static json_t *json_row(const struct report *r, const struct report_row *row)
{
	const struct result_config *k = r->keys[row->key];
	json_t *jr = json_object(), *cells = json_array();
	size_t fi;

	json_object_set_new(jr, "workload", json_string(k->workload));
	json_object_set_new(jr, "backing", json_string(k->backing));
	json_object_set_new(jr, "lock", json_string(k->lock));
	json_object_set_new(jr, "plain", json_integer(k->plain));
	json_object_set_new(jr, "size", json_integer(k->size));
	json_object_set_new(jr, "procs", json_integer(k->procs));
	json_object_set_new(jr, "identity", json_string(k->extra));
	json_object_set_new(jr, "metric", json_string(row->metric));
	json_object_set_new(jr, "unit", json_string(row->unit));
	json_object_set_new(jr, "primary", json_boolean(row->primary));
	json_object_set_new(jr, "direction", json_string(direction_key(row->direction)));
	for (fi = 0; fi < r->nf; fi++)
		json_array_append_new(cells, json_cell(row, &row->cell[fi], r->f[fi]->label));
	json_object_set_new(jr, "kernels", cells);
	return jr;
}

static json_t *json_scaling(const struct report *r)
{
	json_t *fits = json_array();
	size_t i;

	for (i = 0; i < r->nfits; i++) {
		const struct report_fit *ft = &r->fits[i];
		const struct result_config *k;

		if (!ft->ok)
			continue;
		k = r->keys[ft->key];
		json_array_append_new(fits, json_pack(
			"{s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:o, s:[o,o], s:o, s:o, s:I}",
			"workload", k->workload, "backing", k->backing, "lock", k->lock,
			"plain", (json_int_t)k->plain, "size", (json_int_t)k->size,
			"metric", "teardown_ns", "kernel", r->f[ft->folder]->label,
			"exponent", jnum(ft->fit.b), "exponent_ci", jnum(ft->fit.b_lo),
			jnum(ft->fit.b_hi), "coefficient_ns", jnum(ft->fit.c),
			"r2", jnum(ft->fit.r2), "points", (json_int_t)ft->fit.k));
	}
	return fits;
}

json_t *compare_json(const struct report *r)
{
	json_t *root = json_object(), *kernels = json_array(), *rows = json_array();
	size_t i, fi;

	json_object_set_new(root, "schema", json_string("mlockbench-compare"));
	json_object_set_new(root, "schema_version", json_integer(1));
	json_object_set_new(root, "baseline", json_string(r->f[0]->label));
	json_object_set_new(root, "alpha", json_real(STATS_ALPHA));
	json_object_set_new(root, "bootstrap_seed", json_integer(STATS_BOOT_SEED));
	json_object_set_new(root, "bootstrap_resamples", json_integer(STATS_BOOT_RESAMPLES));
	for (fi = 0; fi < r->nf; fi++)
		json_array_append_new(kernels, json_kernel(r->f[fi]));
	json_object_set_new(root, "kernels", kernels);
	for (i = 0; i < r->nrows; i++)
		json_array_append_new(rows, json_row(r, &r->rows[i]));
	json_object_set_new(root, "rows", rows);
	json_object_set_new(root, "scaling", json_scaling(r));
	return root;
}

int compare_write(FILE *out, const struct report *r, enum compare_format fmt)
{
	json_t *j;
	int err = 0;

	switch (fmt) {
	case COMPARE_TEXT:
		write_text(out, r);
		break;
	case COMPARE_MARKDOWN:
		write_markdown(out, r);
		break;
	case COMPARE_CSV:
		write_csv(out, r);
		break;
	case COMPARE_JSON:
		j = compare_json(r);
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
