/* SPDX-License-Identifier: GPL-2.0 */
/* compare: the report as mmtests-like text, markdown, CSV or JSON. */
#ifndef MLB_REPORT_COMPARE_H
#define MLB_REPORT_COMPARE_H

#include <stdio.h>

#include "report/analysis.h"

enum compare_format { COMPARE_TEXT, COMPARE_MARKDOWN, COMPARE_CSV, COMPARE_JSON };

/* Parse "text", "markdown" (or "md"), "csv", "json"; -EINVAL otherwise. */
int compare_format_parse(const char *s, enum compare_format *out);
/* Write @r to @out; -EIO on a write error. */
int compare_write(FILE *out, const struct report *r, enum compare_format fmt);

#endif
