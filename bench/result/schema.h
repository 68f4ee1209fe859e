/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The result schema (docs/RESULTS.md): its name and version, the columns
 * of the CSV files with their units and directions, and the identity of a
 * configuration.  Knowledge of the format lives here once; the writer, the
 * reader, the run summary and the campaign ask this module.
 * tests/unit/test_schema.c checks docs/RESULTS.md against these tables.
 */
#ifndef MLB_RESULT_SCHEMA_H
#define MLB_RESULT_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#define RESULT_SCHEMA "mlockbench-result"
#define RESULT_SCHEMA_VERSION 1

enum result_direction {
	RESULT_DIR_NONE,	/* not a measurement (a key, a flag) */
	RESULT_DIR_LOWER,	/* lower is better */
	RESULT_DIR_HIGHER,	/* higher is better */
};

struct result_column {
	const char *name;
	const char *unit;	/* "" for keys and flags */
	enum result_direction dir;
	/*
	 * samples.csv only: 0 = not read as a series, else its rank among the
	 * series (1 to RESULT_PRIMARY_SERIES are primary: the gated ones).
	 */
	int series;
	const char *desc;
};

/* teardown_ns, lat_max_ns, plain_teardown_ns */
#define RESULT_PRIMARY_SERIES 3

struct result_table {
	const char *file;	/* "samples.csv" */
	const struct result_column *cols;
	size_t ncols;
};

extern const struct result_table result_samples_table;
extern const struct result_table result_latencies_table;
extern const struct result_table result_metrics_table;	/* the fixed columns */
/* The three above, for walking them all. */
extern const struct result_table *const result_tables[];
extern const size_t result_ntables;

/* Column @name of @t, or NULL. */
const struct result_column *result_table_column(const struct result_table *t,
						const char *name);
/* The header line of @t without the newline: "config,rep,child,latency_ns". */
void result_table_header(const struct result_table *t, char *buf, size_t len);

/* samples.csv columns read as series, in rank order (primary ones first). */
size_t result_series_count(void);
const struct result_column *result_series_column(size_t i);
/* Whether series column @col is primary (gated by default, its own Holm family). */
bool result_series_is_primary(const struct result_column *col);
/* samples.csv columns added after schema 1 began: a folder may lack them. */
bool result_column_optional(const struct result_column *col);

/*
 * The identity of a configuration: every job option flagged "identity" in
 * the option table (bench/job/options.c).  The manifest carries each
 * configuration's values under "identity"; two configurations are the same
 * exactly when every such value is.  workload, backing, lock, procs, plain
 * and size are also typed fields of the configuration and order it; the
 * others form the "extra" key: "name=value" pairs (sorted by name) whose
 * value is not the option's default, so a folder written before an option
 * joined the identity still matches one that uses its default.
 */
bool result_identity_is_typed(const char *option);

#endif
