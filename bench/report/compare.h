/* SPDX-License-Identifier: GPL-2.0 */
/* compare: the report as mmtests-like text, markdown, CSV or JSON. */
#ifndef MLB_REPORT_COMPARE_H
#define MLB_REPORT_COMPARE_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "report/analysis.h"

enum compare_format { COMPARE_TEXT, COMPARE_MARKDOWN, COMPARE_CSV, COMPARE_JSON };

/* Parse "text", "markdown" (or "md"), "csv", "json"; -EINVAL otherwise. */
int compare_format_parse(const char *s, enum compare_format *out);
/* Write @r to @out; -EIO on a write error. */
int compare_write(FILE *out, const struct report *r, enum compare_format fmt);

/* The full per-folder report (compare --detail) as the compare JSON object. */
json_t *compare_json(const struct report *r);

/* @s as one CSV field, quoted when it holds a comma, quote or newline. */
void compare_csv_str(FILE *out, const char *s);

/* A run's cost when neither campaign.json nor the manifest's times tell it. */
#define COMPARE_RUN_COST_DEFAULT_S 10.0

struct compare_opts {
	bool detail;		/* components per kernel, then the per-folder report */
	double plan_delta;	/* > 0: the plan for this detectable change (0.05 = 5%) */
};

/*
 * compare_runs.c: the run-level table of @r (compare's default), with
 * @detail (may be NULL) after it in text and markdown, instead of it in
 * CSV, and both in one JSON object ("two_level" holds @r).  -EIO.
 */
int compare_write_runs(FILE *out, const struct run_report *r, const struct report *detail,
		       enum compare_format fmt, const struct compare_opts *o);
json_t *compare_runs_json(const struct run_report *r);

#endif
