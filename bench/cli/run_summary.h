/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MLB_RUN_SUMMARY_H
#define MLB_RUN_SUMMARY_H

#include <stdio.h>

#include "engine/runner.h"

/* A short human summary per configuration: median, spread, set-up, skew. */
void run_summary_print(FILE *f, const struct runner *r);
/* Per configuration: lock table, perf counters, checks, overheads. */
void run_collectors_summary_print(FILE *f, const struct runner *r);

#endif
