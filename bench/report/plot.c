// SPDX-License-Identifier: GPL-2.0
/* gnuplot scripts + data files; rendering runs the gnuplot binary. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gsl/gsl_sort.h>

#include "collectors/lock_classify.h"
#include "engine/collector.h"
#include "common/parse.h"
#include "common/atomic_file.h"
#include "common/run_command.h"
#include "report/plot.h"

static const char *const kernel_colors[] = { "#1f77b4", "#d62728", "#2ca02c", "#9467bd",
					     "#ff7f0e", "#8c564b", "#e377c2", "#17becf" };
/* the known classes first (same colours everywhere), then any other class */
static const char *const class_colors[] = { "#d62728", "#ff7f0e", "#1f77b4", "#2ca02c",
					    "#7f7f7f", "#9467bd", "#8c564b", "#e377c2",
					    "#17becf", "#bcbd22", "#aec7e8", "#ffbb78" };
#define NCLASS_COLORS (sizeof(class_colors) / sizeof(class_colors[0]))
#define NCOLORS (sizeof(kernel_colors) / sizeof(kernel_colors[0]))

#define TERM_SIZE "1100,750"
#define TERM_FONT "sans,13"

/*
 * Characters passed through into a gnuplot script or data file; anything
 * else (quotes, backquotes, '@', '$', '\', control bytes) becomes '_'.
 * Kernel ids, labels, lock class and job names come from files that anyone
 * may have written, and gnuplot runs `...` in double-quoted strings.
 */
static bool gp_safe_char(unsigned char c)
{
	return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') ||
	       (c && strchr(" ._-+=:,;()[]/%#<>~^*!?&|", c));
}

/* Length of a well-formed two-byte UTF-8 sequence at @s (R², ·), else 0. */
static size_t utf8_two(const unsigned char *s)
{
	return s[0] >= 0xc2 && s[0] <= 0xdf && s[1] >= 0x80 && s[1] <= 0xbf ? 2 : 0;
}

void gp_string(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	/*
	 * Single quotes: gnuplot expands neither backquotes nor '\' inside them,
	 * and the safe set has no quote to end one.  A newline is joined in as
	 * a double-quoted "\n" of our own.
	 */
	fputc('\'', out);
	for (; *p; p++) {
		size_t u = utf8_two(p);

		if (*p == '\n') {
			fputs("'.\"\\n\".'", out);
		} else if (u) {
			fwrite(p, 1, u, out);
			p += u - 1;
		} else {
			fputc(gp_safe_char(*p) ? *p : '_', out);
		}
	}
	fputc('\'', out);
}

/* @s for a .dat line (a comment or a quoted column): safe characters only. */
static void dat_text(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		fputc(gp_safe_char(*p) ? *p : '_', out);
}

/* File-name safe: [A-Za-z0-9._-], anything else becomes '_'. */
static void slugify(char *s)
{
	for (; *s; s++)
		if (!(('a' <= *s && *s <= 'z') || ('A' <= *s && *s <= 'Z') ||
		      ('0' <= *s && *s <= '9') || *s == '.' || *s == '-'))
			*s = '_';
}

static const struct report_row *find_row(const struct report *r, const char *metric,
					 size_t key)
{
	size_t i;

	for (i = 0; i < r->nrows; i++)
		if (r->rows[i].key == key && !strcmp(r->rows[i].metric, metric))
			return &r->rows[i];
	return NULL;
}

static int list_add(struct plot_list *l, const char *name)
{
	char (*n)[160] = realloc(l->name, (l->n + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	l->name = n;
	snprintf(l->name[l->n++], sizeof(l->name[0]), "%s", name);
	return 0;
}

void plot_list_release(struct plot_list *l)
{
	free(l->name);
	l->name = NULL;
	l->n = 0;
}

/* "exit: <what> - shmem, mlock, 8M per process, plain=0\nA vs B" */
static void plot_title(const struct report *r, const struct result_config *k, const char *what,
		       char *buf, size_t len)
{
	size_t fi, l, line;
	char sz[32];

	format_size(k->size, sz, sizeof(sz));
	l = snprintf(buf, len, "%s: %s - %s, %s, %s per process, %llu plain mappers%s%s\n",
		     k->workload, what, k->backing, k->lock, sz, k->plain, k->extra[0] ? ", " : "",
		     k->extra);
	/* wrap the kernel list so the title stays inside the plot width */
	for (fi = 0, line = 0; fi < r->nf && l < len; fi++) {
		size_t add = strlen(r->f[fi]->label) + (fi ? 4 : 0);
		bool wrap = fi && line + add > 90;

		l += snprintf(buf + l, len - l, "%s%s", !fi ? "" : wrap ? " vs\n" : " vs ",
			      r->f[fi]->label);
		line = wrap ? add - 4 : line + add;
	}
}

static void gp_header(FILE *gp, const char *name, const char *title)
{
	fprintf(gp, "# mlockbench plot, standalone: in this folder, run: gnuplot %s.gp\n"
		    "# Writes %s.png and %s.svg from the .dat files beside it.\n"
		    "set encoding utf8\n"
		    "set terminal pngcairo noenhanced size " TERM_SIZE " font '" TERM_FONT "'\n"
		    "set output '%s.png'\n"
		    "set title ", name, name, name, name);
	gp_string(gp, title);
	fputs("\nset grid\nset border 3\nset tics nomirror\n", gp);
}

static void gp_footer(FILE *gp, const char *name)
{
	fprintf(gp, "\nset terminal svg noenhanced size " TERM_SIZE " dynamic font '" TERM_FONT
		    "' background '#ffffff'\nset output '%s.svg'\nreplot\nunset output\n", name);
}

struct files {
	struct atomic_file gp, dat;
	bool gp_open, dat_open;
};

static int files_open(struct files *f, const char *dir, const char *name, struct errmsg *e)
{
	char path[PATH_MAX];
	int err;

	memset(f, 0, sizeof(*f));
	snprintf(path, sizeof(path), "%s/%s.gp", dir, name);
	err = atomic_file_open(&f->gp, path, e);
	if (err)
		return err;
	f->gp_open = true;
	snprintf(path, sizeof(path), "%s/%s.dat", dir, name);
	err = atomic_file_open(&f->dat, path, e);
	if (err) {
		atomic_file_abort(&f->gp);
		return err;
	}
	f->dat_open = true;
	return 0;
}

static int files_close(struct files *f, int err, struct errmsg *e)
{
	if (err) {
		atomic_file_abort(&f->dat);
		atomic_file_abort(&f->gp);
		return err;
	}
	err = atomic_file_commit(&f->dat, e);
	if (err) {
		atomic_file_abort(&f->gp);
		return err;
	}
	return atomic_file_commit(&f->gp, e);
}

/*
 * End the script of plot @name, close both files (@err: what the caller
 * already knows; -ENODATA: nothing to plot, the files are dropped and that
 * is no error) and list the plot.
 */
static int plot_finish(struct files *f, const char *name, int err, struct plot_list *out,
		       struct errmsg *e)
{
	fputc('\n', f->gp.f);
	gp_footer(f->gp.f, name);
	err = files_close(f, err, e);
	if (err == -ENODATA)
		return 0;
	return err ? err : list_add(out, name);
}

static void xtics_procs(FILE *gp, const struct report *r, size_t g)
{
	unsigned long long lo = ULLONG_MAX, hi = 0;
	size_t i, n = 0;

	fputs("set xtics (", gp);
	for (i = 0; i < r->nkeys; i++) {
		if (r->group[i] != g)
			continue;
		fprintf(gp, "%s%llu", n++ ? ", " : "", r->keys[i]->procs);
		lo = r->keys[i]->procs < lo ? r->keys[i]->procs : lo;
		hi = r->keys[i]->procs > hi ? r->keys[i]->procs : hi;
	}
	fprintf(gp, ")\nset xrange [%g:%g]\n", lo / 1.4, hi * 1.4);
}

/* Log-log axes over the processes P of group G; YLABEL's values are in UNIT. */
static void gp_procs_axes(FILE *gp, const struct report *r, size_t g, const char *ylabel,
			  const char *unit)
{
	fprintf(gp, "set logscale xy\nset xlabel \"mlocking processes P (log scale)\"\n"
		"set ylabel \"%s (%s, log scale)\"\n"
		"set key top left Left reverse box opaque\nset format y '%%g'\n", ylabel, unit);
	xtics_procs(gp, r, g);
}

/* The first configuration of group G: it names the group in titles. */
static const struct result_config *group_key(const struct report *r, size_t g)
{
	size_t i;

	for (i = 0; i < r->nkeys; i++)
		if (r->group[i] == g)
			return r->keys[i];
	return NULL;
}

/* Unit of a time-in-ns plot: the largest median of the metrics picks it. */
static const char *ns_scale(const struct report *r, size_t g, const char *const *metrics,
			    size_t nm, double *div)
{
	double mx = 0;
	size_t i, j, fi;

	for (i = 0; i < r->nkeys; i++)
		for (j = 0; j < nm && r->group[i] == g; j++) {
			const struct report_row *row = find_row(r, metrics[j], i);

			for (fi = 0; row && fi < r->nf; fi++)
				if (row->cell[fi].present)
					mx = fmax(mx, row->cell[fi].s.median);
		}
	return report_scale("ns", mx, div);
}

static int plot_teardown(const struct report *r, size_t g, const char *dir, const char *slug,
			 struct plot_list *out, struct errmsg *e)
{
	static const char *const m[] = { "teardown_ns" };
	char name[160], title[512];
	const struct report_fit *fit = NULL;
	size_t i, fi, blocks = 0, fits = 0;
	const char *unit;
	struct files f;
	double div;
	int err;

	snprintf(name, sizeof(name), "teardown-%s", slug);
	err = files_open(&f, dir, name, e);
	if (err)
		return err;
	unit = ns_scale(r, g, m, 1, &div);
	plot_title(r, group_key(r, g), "teardown vs processes", title, sizeof(title));
	gp_header(f.gp.f, name, title);
	gp_procs_axes(f.gp.f, r, g, "teardown, release to last locker done", unit);
	fprintf(f.dat.f, "# teardown_ns medians in %s, order-statistic CI "
		"(>= 95%% when n >= 6)\n", unit);
	for (fi = 0; fi < r->nf; fi++) {
		size_t rows = 0;

		fit = NULL;
		for (i = 0; i < r->nkeys; i++) {
			const struct report_row *row = r->group[i] == g ?
				find_row(r, "teardown_ns", i) : NULL;
			const struct report_cell *c = row ? &row->cell[fi] : NULL;

			if (!c || !c->present)
				continue;
			if (!rows++)
			{
				fprintf(f.dat.f, "%s# ", blocks ? "\n\n" : "");
				dat_text(f.dat.f, r->f[fi]->label);
				fputs("\n# procs median lo hi n\n", f.dat.f);
			}
			fprintf(f.dat.f, "%llu %.6g %.6g %.6g %zu\n", r->keys[i]->procs,
				c->s.median / div, c->s.med_lo / div, c->s.med_hi / div, c->s.n);
		}
		if (!rows)
			continue;
		for (i = 0; i < r->nfits; i++)
			if (r->fits[i].folder == fi && r->fits[i].key != SIZE_MAX &&
			    r->group[r->fits[i].key] == g)
				fit = &r->fits[i];
		fprintf(f.gp.f, "%s'%s.dat' index %zu using 1:2:3:4 with yerrorlines lw 2 pt 7 "
			"ps 1.2 lc rgb '%s' title ", blocks ? ", \\\n     " : "plot ", name, blocks,
			kernel_colors[fi % NCOLORS]);
		if (fit && fit->ok) {
			char t[256];

			snprintf(t, sizeof(t), "%s: b = %.2f [%.2f, %.2f], R² = %.3f",
				 r->f[fi]->label, fit->fit.b, fit->fit.b_lo, fit->fit.b_hi,
				 fit->fit.r2);
			gp_string(f.gp.f, t);
			fprintf(f.gp.f, ", \\\n     %.6g*x**%.6g with lines dt 2 lw 1.5 lc rgb '%s' "
				"notitle", fit->fit.c / div, fit->fit.b, kernel_colors[fi % NCOLORS]);
			fits++;
		} else {
			gp_string(f.gp.f, r->f[fi]->label);
		}
		blocks++;
	}
	/* a legend entry explaining the dashed fits, when there are any */
	if (fits)
		fprintf(f.gp.f, ", \\\n     NaN with lines dt 2 lw 1.5 lc rgb '#444444' title "
			"'dashed: fitted c·P^b (least squares, log-log)'");
	return plot_finish(&f, name, blocks ? 0 : -ENODATA, out, e);
}

/* A phase plotted beside teardown: setup-* and plain-*. */
struct phase_plot {
	const char *prefix, *what, *dat_head;
	const char *metric, *label;	/* the phase; teardown is always the first line */
	bool needs_phase;		/* dropped when the phase has no value in the group */
};

static const struct phase_plot setup_plot = {
	"setup", "set-up vs teardown", "set-up (fork -> all mapped, faulted, mlocked) and "
	"teardown (release -> last done)", "setup_ns", "set-up", false,
};

/* Where the cost moved: the lockers' teardown beside the plain mappers' own. */
static const struct phase_plot plain_plot = {
	"plain", "teardown of the lockers, then of the plain mappers",
	"teardown (release -> last locker done) and plain teardown (plain mappers released "
	"after it -> last reaped)",
	"plain_teardown_ns", "plain teardown", true,
};

/* One block of @f.dat per folder and metric with values; how many rows it has. */
static size_t phase_block(struct files *f, const struct report *r, size_t g, size_t fi,
			  const char *metric, size_t blocks, double div)
{
	size_t i, rows = 0;

	for (i = 0; i < r->nkeys; i++) {
		const struct report_row *row = r->group[i] == g ? find_row(r, metric, i) : NULL;
		const struct report_cell *c = row ? &row->cell[fi] : NULL;

		if (!c || !c->present)
			continue;
		if (!rows++) {
			fprintf(f->dat.f, "%s# ", blocks ? "\n\n" : "");
			dat_text(f->dat.f, r->f[fi]->label);
			fprintf(f->dat.f, " %s\n# procs median lo hi\n", metric);
		}
		fprintf(f->dat.f, "%llu %.6g %.6g %.6g\n", r->keys[i]->procs,
			c->s.median / div, c->s.med_lo / div, c->s.med_hi / div);
	}
	return rows;
}

/* Dropped (-ENODATA) when there is nothing to draw in group G. */
static int plot_phase(const struct report *r, size_t g, const char *dir, const char *slug,
		      const struct phase_plot *pp, struct plot_list *out, struct errmsg *e)
{
	const char *const m[] = { "teardown_ns", pp->metric };
	size_t fi, blocks = 0, phase_blocks = 0, j;
	char name[160], title[512], t[200];
	const char *unit;
	struct files f;
	double div;
	int err;

	snprintf(name, sizeof(name), "%s-%s", pp->prefix, slug);
	err = files_open(&f, dir, name, e);
	if (err)
		return err;
	unit = ns_scale(r, g, m, 2, &div);
	plot_title(r, group_key(r, g), pp->what, title, sizeof(title));
	gp_header(f.gp.f, name, title);
	gp_procs_axes(f.gp.f, r, g, "median time", unit);
	fprintf(f.dat.f, "# medians in %s: %s\n", unit, pp->dat_head);
	for (fi = 0; fi < r->nf; fi++)
		for (j = 0; j < 2; j++) {
			if (!phase_block(&f, r, g, fi, m[j], blocks, div))
				continue;
			fprintf(f.gp.f, "%s'%s.dat' index %zu using 1:2:3:4 with yerrorlines lw 2 "
				"pt %d ps 1.2 dt %d lc rgb '%s' title ",
				blocks ? ", \\\n     " : "plot ", name, blocks, j ? 6 : 7, j ? 2 : 1,
				kernel_colors[fi % NCOLORS]);
			snprintf(t, sizeof(t), "%s %s", r->f[fi]->label,
				 j ? pp->label : "teardown");
			gp_string(f.gp.f, t);
			blocks++;
			phase_blocks += j;
		}
	if (pp->needs_phase && !phase_blocks)
		blocks = 0;
	return plot_finish(&f, name, blocks ? 0 : -ENODATA, out, e);
}

static int plot_cdf(const struct report *r, size_t g, const char *dir, const char *slug,
		    struct plot_list *out, struct errmsg *e)
{
	char name[160], title[512], what[96];
	const struct result_config *best = NULL;
	size_t i, fi, blocks = 0, j;
	unsigned long long procs = 0;
	const char *unit;
	struct files f;
	double div, mx = 0;
	int err;

	/* The largest P with latencies in every folder, else in any. */
	for (int pass = 0; pass < 2 && !best; pass++)
		for (i = 0; i < r->nkeys; i++) {
			size_t have = 0;

			if (r->group[i] != g)
				continue;
			for (fi = 0; fi < r->nf; fi++) {
				const struct result_config *c = result_folder_match(r->f[fi],
										   r->keys[i]);

				have += c && c->nlat;
			}
			if ((pass ? have > 0 : have == r->nf) && r->keys[i]->procs >= procs) {
				procs = r->keys[i]->procs;
				best = r->keys[i];
			}
		}
	if (!best)
		return 0;
	for (fi = 0; fi < r->nf; fi++) {
		const struct result_config *c = result_folder_match(r->f[fi], best);

		for (j = 0; c && j < c->nlat; j++)
			mx = fmax(mx, c->lat[j]);
	}
	unit = report_scale("ns", mx, &div);
	snprintf(name, sizeof(name), "cdf-%s-P%llu", slug, procs);
	err = files_open(&f, dir, name, e);
	if (err)
		return err;
	snprintf(what, sizeof(what), "per-process teardown latency CDF at P=%llu", procs);
	plot_title(r, best, what, title, sizeof(title));
	gp_header(f.gp.f, name, title);
	fprintf(f.gp.f, "set xlabel \"release to that process done (%s)\"\n"
		"set ylabel \"fraction of processes (all timed repetitions pooled)\"\n"
		"set yrange [0:1.02]\nset key bottom right Left reverse box opaque\n", unit);
	for (fi = 0; fi < r->nf; fi++) {
		const struct result_config *c = result_folder_match(r->f[fi], best);
		double *v;

		if (!c || !c->nlat)
			continue;
		v = malloc(c->nlat * sizeof(*v));
		if (!v) {
			err = -ENOMEM;
			break;
		}
		memcpy(v, c->lat, c->nlat * sizeof(*v));
		gsl_sort(v, 1, c->nlat);
		fprintf(f.dat.f, "%s# ", blocks ? "\n\n" : "");
		dat_text(f.dat.f, r->f[fi]->label);
		fprintf(f.dat.f, ": %zu latencies\n# latency_%s fraction\n", c->nlat, unit);
		for (j = 0; j < c->nlat; j++)
			fprintf(f.dat.f, "%.6g %.6g\n", v[j] / div, (j + 1.0) / c->nlat);
		free(v);
		fprintf(f.gp.f, "%s'%s.dat' index %zu using 1:2 with steps lw 2 lc rgb '%s' title ",
			blocks ? ", \\\n     " : "plot ", name, blocks, kernel_colors[fi % NCOLORS]);
		gp_string(f.gp.f, r->f[fi]->label);
		blocks++;
	}
	return plot_finish(&f, name, err ? err : blocks ? 0 : -ENODATA, out, e);
}

#define LOCK_MAX_PROCS 4	/* bar groups: the largest P values, readable */
#define LOCK_MAX_CLASSES 16

/*
 * "locks.<class>.wait_ns" -> class: the metrics the locks collector declares
 * as its per-class waits (group "lock-wait"), not its totals.
 */
static bool lock_class_of(const char *metric, char *cls, size_t len)
{
	const struct collector_metric *m;
	const char *p = metric + 6;
	size_t n;

	if (strncmp(metric, "locks.", 6))
		return false;
	m = collector_metric_find("locks", p);
	if (!m || strcmp(m->group, "lock-wait") || strncmp(m->pattern, "*", 1))
		return false;
	n = strlen(p) - strlen(m->pattern + 1);	/* what the '*' matched */
	if (!n || strlen(p) <= strlen(m->pattern + 1))
		return false;
	snprintf(cls, len, "%.*s", (int)n, p);
	return true;
}

/*
 * The classes present in group @g: the known ones in their order, then the
 * others in first-seen order, "other" last.
 */
static size_t lock_classes(const struct report *r, size_t g, char cls[][48])
{
	size_t n = 0, i, c;
	char name[48];
	bool other = false;

	for (c = 0; c + 1 < lock_class_count(); c++)
		for (i = 0; i < r->nrows; i++)
			if (r->group[r->rows[i].key] == g &&
			    lock_class_of(r->rows[i].metric, name, sizeof(name)) &&
			    !strcmp(name, lock_class_name(c))) {
				snprintf(cls[n++], 48, "%s", name);
				break;
			}
	for (i = 0; i < r->nrows && n < LOCK_MAX_CLASSES - 1; i++) {
		if (r->group[r->rows[i].key] != g ||
		    !lock_class_of(r->rows[i].metric, name, sizeof(name)))
			continue;
		if (!strcmp(name, "other")) {
			other = true;
			continue;
		}
		for (c = 0; c < n && strcmp(cls[c], name); c++)
			;
		if (c == n)
			snprintf(cls[n++], 48, "%s", name);
	}
	if (other)
		snprintf(cls[n++], 48, "other");
	return n;
}

static const char *class_color(const char *name, size_t idx)
{
	size_t c;

	for (c = 0; c < lock_class_count(); c++)
		if (!strcmp(name, lock_class_name(c)))
			return class_colors[c];
	return class_colors[(lock_class_count() + idx) % NCLASS_COLORS];
}

/* The row of lock class CLS's wait at configuration KEY, NULL when none. */
static const struct report_row *class_row(const struct report *r, const char *cls, size_t key)
{
	char metric[96];

	snprintf(metric, sizeof(metric), "locks.%s.wait_ns", cls);
	return find_row(r, metric, key);
}

/* Keys of group G with lock metrics into KEYS, largest procs first; *MX the largest median. */
static size_t lock_keys(const struct report *r, size_t g, char cls[][48], size_t ncls,
			size_t *keys, double *mx)
{
	size_t nk = 0, i, fi, c;

	for (i = r->nkeys; i-- > 0 && nk < LOCK_MAX_PROCS;) {
		bool any = false;

		if (r->group[i] != g)
			continue;
		for (c = 0; c < ncls; c++) {
			const struct report_row *row = class_row(r, cls[c], i);

			for (fi = 0; row && fi < r->nf; fi++)
				if (row->cell[fi].present) {
					any = true;
					*mx = fmax(*mx, row->cell[fi].s.median);
				}
		}
		if (any)
			keys[nk++] = i;
	}
	return nk;
}

/* One histogram, configuration K (block BLK): a stacked bar per folder. */
static void locks_block(struct files *f, const struct report *r, const char *name, size_t k,
			size_t blk, char cls[][48], size_t ncls, double div)
{
	size_t fi, c;
	char ht[32];

	fprintf(f->dat.f, "%s# P=%llu\n", blk ? "\n\n" : "", r->keys[k]->procs);
	for (fi = 0; fi < r->nf; fi++) {
		fputc('"', f->dat.f);
		dat_text(f->dat.f, r->f[fi]->label);
		fputc('"', f->dat.f);
		for (c = 0; c < ncls; c++) {
			const struct report_row *row = class_row(r, cls[c], k);

			fprintf(f->dat.f, " %.6g", row && row->cell[fi].present ?
				row->cell[fi].s.median / div : 0.0);
		}
		fputc('\n', f->dat.f);
	}
	snprintf(ht, sizeof(ht), "P=%llu", r->keys[k]->procs);
	fprintf(f->gp.f, "%snewhistogram ", blk ? ", \\\n     " : "plot ");
	gp_string(f->gp.f, ht);
	for (c = 0; c < ncls; c++) {
		fprintf(f->gp.f, ", \\\n       '%s.dat' index %zu using %zu%s lc rgb '%s' ",
			name, blk, c + 2, c ? "" : ":xtic(1)", class_color(cls[c], c));
		if (blk) {
			fputs("notitle", f->gp.f);
		} else {
			fputs("title ", f->gp.f);
			gp_string(f->gp.f, cls[c]);
		}
	}
}

static int plot_locks(const struct report *r, size_t g, const char *dir, const char *slug,
		      struct plot_list *out, struct errmsg *e)
{
	char name[160], title[512], cls[LOCK_MAX_CLASSES][48];
	size_t keys[LOCK_MAX_PROCS], nk, i, c, blk = 0;
	size_t ncls = lock_classes(r, g, cls);
	const char *unit;
	struct files f;
	double div, mx = 0;
	int err;

	nk = lock_keys(r, g, cls, ncls, keys, &mx);
	if (!nk)
		return 0;
	unit = report_scale("ns", mx, &div);
	snprintf(name, sizeof(name), "locks-%s", slug);
	err = files_open(&f, dir, name, e);
	if (err)
		return err;
	plot_title(r, r->keys[keys[0]], "lock wait by class", title, sizeof(title));
	gp_header(f.gp.f, name, title);
	fprintf(f.gp.f, "set ylabel \"lock wait in the teardown window (%s, median of reps)\"\n"
		"set style data histograms\nset style histogram rowstacked title offset 0,-1\n"
		"set style fill solid 0.85 border -1\nset boxwidth 0.7 relative\n"
		"set key outside right top vertical Left reverse box width 1\n"
		"set xtics rotate by -25 scale 0\n"
		"set yrange [0:*]\nset bmargin 7\nset grid noxtics ytics\n", unit);
	fprintf(f.dat.f, "# median over repetitions of the lock wait per class, %s\n# kernel",
		unit);
	for (c = 0; c < ncls; c++) {
		fputc(' ', f.dat.f);
		dat_text(f.dat.f, cls[c]);
	}
	fputc('\n', f.dat.f);
	/* smallest procs first */
	for (i = nk; i-- > 0;)
		locks_block(&f, r, name, keys[i], blk++, cls, ncls, div);
	return plot_finish(&f, name, 0, out, e);
}

/*
 * The file name part of group @k: every group its own (the extra identity
 * too: prot=ro, pin=compact), the same in plot_prepare and plot_prepare_runs.
 */
static void group_slug(const struct result_config *k, char *slug, size_t len)
{
	char sz[32];

	format_size(k->size, sz, sizeof(sz));
	snprintf(slug, len, "%s-%s-%s-%s-plain%llu%s%s", k->workload, k->backing, k->lock, sz,
		 k->plain, k->extra[0] ? "-" : "", k->extra);
	slugify(slug);
}

int plot_prepare(const struct report *r, const char *dir, struct plot_list *out,
		 struct errmsg *e)
{
	size_t g, i;
	int err = 0;

	memset(out, 0, sizeof(*out));
	for (g = 0; g < r->ngroups && !err; g++) {
		const struct result_config *k = NULL;
		char slug[128];

		for (i = 0; i < r->nkeys && !k; i++)
			if (r->group[i] == g)
				k = r->keys[i];
		if (!k)
			continue;
		group_slug(k, slug, sizeof(slug));
		err = plot_teardown(r, g, dir, slug, out, e);
		if (!err)
			err = plot_phase(r, g, dir, slug, &setup_plot, out, e);
		if (!err)
			err = plot_phase(r, g, dir, slug, &plain_plot, out, e);
		if (!err)
			err = plot_cdf(r, g, dir, slug, out, e);
		if (!err)
			err = plot_locks(r, g, dir, slug, out, e);
	}
	if (err) {
		if (err == -ENOMEM)
			errmsg_set(e, err, "out of memory");
		plot_list_release(out);
	}
	return err;
}

/*
 * runs-*: the run-to-run spread.  Each run's median of teardown as a point,
 * per kernel the mean of the runs with its two-level 95% CI (degrees of
 * freedom from runs, stats_two_level) as an error bar.
 */
static bool is_group_teardown(const struct run_report *rr, const struct run_row *row, size_t g)
{
	return !strcmp(row->metric, "teardown_ns") && rr->k.group[row->key] == g;
}

/* The largest run median of teardown in group G: 0 when there is nothing to draw. */
static double runs_max(const struct run_report *rr, size_t g)
{
	double mx = 0;
	size_t i, gi, j;

	for (i = 0; i < rr->nrows; i++)
		if (is_group_teardown(rr, &rr->rows[i], g))
			for (gi = 0; gi < rr->ng; gi++)
				for (j = 0; j < rr->rows[i].cell[gi].m; j++)
					mx = fmax(mx, rr->rows[i].cell[gi].run_median[j]);
	return mx;
}

static void runs_title(const struct run_report *rr, const struct result_config *key,
		       char *title, size_t len)
{
	char sz[32];
	size_t gi, l;

	format_size(key->size, sz, sizeof(sz));
	l = snprintf(title, len, "%s: teardown run to run - %s, %s, %s per process, "
		     "%llu plain mappers\n", key->workload, key->backing, key->lock, sz, key->plain);
	for (gi = 0; gi < rr->ng && l < len; gi++)
		l += snprintf(title + l, len - l, "%s%s (%zu run%s)", gi ? " vs " : "",
			      rr->g[gi].label, rr->g[gi].nruns, rr->g[gi].nruns == 1 ? "" : "s");
}

/*
 * Kernel GI's two .dat blocks: each run's median (x jittered), then the mean
 * of the runs with its CI.  BLOCKS: kernels written so far (for the separator).
 */
static void runs_dat_kernel(FILE *dat, const struct run_report *rr, size_t g, size_t gi,
			    size_t blocks, double div, size_t *pts, size_t *bars)
{
	const struct report *k = &rr->k;
	/* spread the kernels a little apart on the log x axis */
	double jit = exp(0.06 * ((double)gi - (double)(rr->ng - 1) / 2));
	size_t i, j;

	for (int pass = 0; pass < 2; pass++) {
		fprintf(dat, "%s# ", blocks || pass ? "\n\n" : "");
		dat_text(dat, rr->g[gi].label);
		fputs(pass ? " mean of runs\n" : " runs\n", dat);
		for (i = 0; i < rr->nrows; i++) {
			const struct run_row *row = &rr->rows[i];
			const struct run_cell *c = &row->cell[gi];

			if (!is_group_teardown(rr, row, g) || !c->present)
				continue;
			if (!pass) {
				for (j = 0; j < c->m; j++, (*pts)++)
					fprintf(dat, "%llu %.6g %.6g %zu\n",
						k->keys[row->key]->procs,
						k->keys[row->key]->procs * jit,
						c->run_median[j] / div, j + 1);
			} else if (c->tl_ok) {
				double lo = isfinite(c->tl.ci_lo) ? c->tl.ci_lo : c->tl.mean;
				double hi = isfinite(c->tl.ci_hi) ? c->tl.ci_hi : c->tl.mean;

				fprintf(dat, "%llu %.6g %.6g %.6g %zu\n",
					k->keys[row->key]->procs, c->tl.mean / div,
					fmax(lo, c->tl.mean * 1e-3) / div, hi / div, c->m);
				(*bars)++;
			}
		}
	}
}

/* Kernel GI's plot commands: its runs as points, and the mean with CI when there is one. */
static void runs_gp_kernel(FILE *gp, const struct run_report *rr, size_t gi, const char *name,
			   size_t blocks, size_t bars)
{
	char t[200];

	fprintf(gp, "%s'%s.dat' index %zu using 2:3 with points pt 6 ps 1.0 lc rgb '%s' "
		"notitle", blocks ? ", \\\n     " : "plot ", name, 2 * gi,
		kernel_colors[gi % NCOLORS]);
	if (!bars)
		return;
	snprintf(t, sizeof(t), "%s: runs (o), mean with two-level 95%% CI", rr->g[gi].label);
	fprintf(gp, ", \\\n     '%s.dat' index %zu using 1:2:3:4 with yerrorlines "
		"lw 2 pt 7 ps 1.2 lc rgb '%s' title ", name, 2 * gi + 1,
		kernel_colors[gi % NCOLORS]);
	gp_string(gp, t);
}

static int plot_runs_group(const struct run_report *rr, size_t g, const char *dir,
			   const char *slug, struct plot_list *out, struct errmsg *e)
{
	double mx = runs_max(rr, g), div;
	char name[160], title[512];
	size_t gi, blocks = 0;
	const char *unit;
	struct files f;
	int err;

	if (!(mx > 0))
		return 0;
	unit = report_scale("ns", mx, &div);
	snprintf(name, sizeof(name), "runs-%s", slug);
	err = files_open(&f, dir, name, e);
	if (err)
		return err;
	runs_title(rr, group_key(&rr->k, g), title, sizeof(title));
	gp_header(f.gp.f, name, title);
	gp_procs_axes(f.gp.f, &rr->k, g, "teardown, median of each run", unit);
	fprintf(f.dat.f, "# teardown_ns in %s; per kernel two blocks: each run's median "
		"(procs, x jittered, median, run),\n# then the mean of the runs with its two-level "
		"95%% CI (procs, mean, lo, hi, runs)\n", unit);
	for (gi = 0; gi < rr->ng; gi++) {
		size_t pts = 0, bars = 0;

		runs_dat_kernel(f.dat.f, rr, g, gi, blocks, div, &pts, &bars);
		if (!pts)
			continue;
		runs_gp_kernel(f.gp.f, rr, gi, name, blocks, bars);
		blocks++;
	}
	return plot_finish(&f, name, blocks ? 0 : -ENODATA, out, e);
}

int plot_prepare_runs(const struct run_report *rr, const char *dir, struct plot_list *out,
		      struct errmsg *e)
{
	size_t g;
	int err = 0;

	for (g = 0; g < rr->k.ngroups && !err; g++) {
		const struct result_config *k = group_key(&rr->k, g);
		char slug[128];

		if (!k)
			continue;
		group_slug(k, slug, sizeof(slug));
		err = plot_runs_group(rr, g, dir, slug, out, e);
	}
	if (err == -ENOMEM)
		errmsg_set(e, err, "out of memory");
	return err;
}

bool plot_have_gnuplot(void)
{
	char exe[PATH_MAX];

	return !run_command_find("gnuplot", exe, sizeof(exe));
}

int plot_render(const char *dir, const char *name, struct errmsg *e)
{
	char script[200];
	const char *argv[] = { "gnuplot", script, NULL };
	struct child_process cp = CHILD_PROCESS_INIT;
	int err;

	snprintf(script, sizeof(script), "%s.gp", name);
	cp.argv = argv;
	cp.dir = dir;
	err = run_command(&cp, e);
	child_release(&cp);
	if (err == -ECHILD)
		return errmsg_set(e, -EIO, "gnuplot %s/%s failed (status %d)", dir, script,
				  WIFEXITED(cp.status) ? WEXITSTATUS(cp.status) : -1);
	return err ? errmsg_prefix(e, err, "gnuplot %s/%s", dir, script) : 0;
}
