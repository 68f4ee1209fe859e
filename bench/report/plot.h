/* SPDX-License-Identifier: GPL-2.0 */
/*
 * plot: gnuplot scripts and data files from a report.  Every plot is a
 * NAME.gp beside its NAME*.dat files (referred to by relative name), which
 * writes NAME.png (pngcairo) and NAME.svg: `cd DIR && gnuplot NAME.gp`
 * reproduces the images, and a user can restyle the script.
 */
#ifndef MLB_REPORT_PLOT_H
#define MLB_REPORT_PLOT_H

#include <stdbool.h>
#include <stdio.h>

#include "report/analysis.h"

struct plot_list {
	char (*name)[160];	/* script base names, without ".gp" */
	size_t n;
};

/*
 * Write scripts and data for every configuration group of @r into @dir
 * (which must exist): teardown-*, setup-*, cdf-* and, with lock metrics,
 * locks-*.  The list is owned by the caller (plot_list_release).
 */
int plot_prepare(const struct report *r, const char *dir, struct plot_list *out,
		 struct errmsg *e);
void plot_list_release(struct plot_list *l);
/*
 * Append runs-* plots to @out: per configuration group, each run's median
 * teardown as a point and per kernel the mean of the runs with its
 * two-level 95% CI (the run-to-run spread).
 */
int plot_prepare_runs(const struct run_report *rr, const char *dir, struct plot_list *out,
		      struct errmsg *e);

/* Whether a gnuplot executable is on PATH. */
bool plot_have_gnuplot(void);
/* Run `gnuplot NAME.gp` in @dir; -EIO with gnuplot's status on failure. */
int plot_render(const char *dir, const char *name, struct errmsg *e);

/*
 * Write @s as an inert gnuplot string: single-quoted (no backquote or '\'
 * expansion), characters outside a safe set as '_', a newline as '."\n".'.
 */
void gp_string(FILE *out, const char *s);

#endif
