/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MLB_RUN_SUMMARY_H
#define MLB_RUN_SUMMARY_H

#include <stdbool.h>
#include <stdio.h>

#include "result/writer.h"

/*
 * A short human summary per configuration of the flushed folder @dir:
 * median, spread, set-up, skew, read and computed as compare does.
 */
void run_summary_print(FILE *f, const char *dir);
/* Per configuration: lock table, perf counters, checks, overheads. */
void run_collectors_summary_print(FILE *f, const struct result_writer *r);
/*
 * Configuration @id's smaps line (run_smaps_summary.c): the huge-page
 * coverage, and FLAGGED when a THP backing got no huge pages.  Returns
 * whether the configuration has a "smaps" record.
 */
bool run_smaps_summary_print(FILE *f, const struct result_writer *r, unsigned int id,
			     bool print);

#endif
