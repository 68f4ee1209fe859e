/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MLB_PERF_COUNTERS_H
#define MLB_PERF_COUNTERS_H

#include <stdbool.h>
#include <stdint.h>

struct perf_counter_def {
	const char *name;	/* metric name, as perf(1) calls it */
	uint32_t type;
	uint64_t config;
	const char *unit;
};

#define PERF_NCOUNTERS 7
extern const struct perf_counter_def perf_counter_defs[PERF_NCOUNTERS];

/* Open one counter, disabled, reading {value, enabled, running}. */
int perf_counter_open(const struct perf_counter_def *d, bool system, int cpu);
/* value × enabled / running (0 if it never ran). */
double perf_scale(uint64_t value, uint64_t enabled, uint64_t running);

#endif
