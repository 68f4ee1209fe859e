// SPDX-License-Identifier: GPL-2.0
/* The column tables and the identity key of the result schema. */
#include <stdio.h>
#include <string.h>

#include "job/job.h"
#include "result/schema.h"

#define NONE RESULT_DIR_NONE
#define LOWER RESULT_DIR_LOWER

static const struct result_column samples_cols[] = {
	{ "config", "", NONE, 0, "the `id` of an entry of `configs` (ids are in sweep order; "
	  "execution order may be shuffled with --seed)" },
	{ "job", "", NONE, 0, "copied from the configuration, so the CSV stands alone" },
	{ "workload", "", NONE, 0, "copied from the configuration" },
	{ "backing", "", NONE, 0, "copied from the configuration" },
	{ "lock", "", NONE, 0, "copied from the configuration" },
	{ "procs", "", NONE, 0, "mlocking processes (P)" },
	{ "plain", "", NONE, 0, "non-mlocking mappers (M)" },
	{ "size", "bytes", NONE, 0, "bytes mapped and mlocked by each locker (N pages × page size)" },
	{ "rep", "", NONE, 0, "repetition number, 0-based, counting warm-ups" },
	{ "warmup", "", NONE, 0, "1 for a warm-up repetition (excluded from statistics)" },
	{ "instrumented", "", NONE, 0, "1 when a perturbing collector (perf, locks, perf-record, "
	  "mmap_lock) ran during this repetition: excluded from timing statistics; clean and "
	  "instrumented repetitions alternate" },
	{ "instrumented_by", "", NONE, 0, "that collector's name, empty for a clean repetition" },
	{ "setup_ns", "ns", LOWER, 4, "fork of the first child → every child ready (mapped, "
	  "faulted, mlocked)" },
	{ "teardown_ns", "ns", LOWER, 1, "release → last locker done (exit: reaped; "
	  "munmap/munlock: its call returned)" },
	{ "plain_teardown_ns", "ns", LOWER, 3, "the plain mappers, released together once every "
	  "locker is done → last one reaped; empty with plain=0" },
	{ "skew_ns", "ns", LOWER, 6, "first → last locker seen running after the release" },
	{ "lat_min_ns", "ns", LOWER, 0, "fastest locker's release → done latency" },
	{ "lat_median_ns", "ns", LOWER, 5, "median locker's release → done latency" },
	{ "lat_max_ns", "ns", LOWER, 2, "slowest locker's release → done latency" },
	{ "utime_us", "us", LOWER, 7, "user CPU of the lockers (rusage of reaped children)" },
	{ "stime_us", "us", LOWER, 8, "system CPU of the lockers (rusage of reaped children)" },
};

static const struct result_column latencies_cols[] = {
	{ "config", "", NONE, 0, "the configuration's `id`" },
	{ "rep", "", NONE, 0, "the repetition, as in samples.csv" },
	{ "child", "", NONE, 0, "the locker, 0-based" },
	{ "latency_ns", "ns", LOWER, 0, "release → that child done" },
};

static const struct result_column metrics_cols[] = {
	{ "config", "", NONE, 0, "the configuration's `id`" },
	{ "rep", "", NONE, 0, "the repetition, or -1 for a value that summarises the "
	  "configuration" },
	{ "collector", "", NONE, 0, "the collector that measured it" },
	{ "metric", "", NONE, 0, "its name within the collector" },
	{ "value", "", NONE, 0, "the value; empty when not available here (n/a)" },
	{ "unit", "", NONE, 0, "the value's unit (ns, pages, ratio, ...)" },
};

#define TABLE(f, c) { f, c, sizeof(c) / sizeof(c[0]) }
const struct result_table result_samples_table = TABLE("samples.csv", samples_cols);
const struct result_table result_latencies_table = TABLE("latencies.csv", latencies_cols);
const struct result_table result_metrics_table = TABLE("metrics.csv", metrics_cols);
const struct result_table *const result_tables[] = {
	&result_samples_table, &result_latencies_table, &result_metrics_table,
};
const size_t result_ntables = sizeof(result_tables) / sizeof(result_tables[0]);

const struct result_column *result_table_column(const struct result_table *t,
						const char *name)
{
	size_t i;

	for (i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i].name, name))
			return &t->cols[i];
	return NULL;
}

void result_table_header(const struct result_table *t, char *buf, size_t len)
{
	size_t i, off = 0;

	buf[0] = 0;
	for (i = 0; i < t->ncols && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? "," : "", t->cols[i].name);
}

size_t result_series_count(void)
{
	size_t i, n = 0;

	for (i = 0; i < result_samples_table.ncols; i++)
		n += samples_cols[i].series > 0;
	return n;
}

const struct result_column *result_series_column(size_t i)
{
	size_t k;

	for (k = 0; k < result_samples_table.ncols; k++)
		if (samples_cols[k].series == (int)i + 1)
			return &samples_cols[k];
	return NULL;
}

bool result_series_is_primary(const struct result_column *col)
{
	return col->series > 0 && col->series <= RESULT_PRIMARY_SERIES;
}

bool result_column_optional(const struct result_column *col)
{
	/* instrumented*: older runs were all clean; plain_teardown_ns: not timed before */
	static const char *const later[] = {
		"instrumented", "instrumented_by", "plain_teardown_ns",
	};
	size_t i;

	for (i = 0; i < sizeof(later) / sizeof(later[0]); i++)
		if (!strcmp(later[i], col->name))
			return true;
	return false;
}

bool result_identity_is_typed(const char *option)
{
	static const char *const typed[] = {
		"workload", "backing", "lock", "procs", "plain", "size",
	};
	size_t i;

	for (i = 0; i < sizeof(typed) / sizeof(typed[0]); i++)
		if (!strcmp(typed[i], option))
			return true;
	return false;
}
