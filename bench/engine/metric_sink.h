/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where collectors put what they measured: rows for metrics.csv and checks
 * for the manifest.  The engine sets the (config, rep) the rows belong to.
 */
#ifndef MLB_METRIC_SINK_H
#define MLB_METRIC_SINK_H

#include <stdbool.h>
#include <stddef.h>

struct metric_row {
	unsigned int config;
	int rep;		/* -1: summary of the configuration */
	char collector[24];
	char metric[64];
	double value;
	bool available;		/* false: n/a here, written empty */
	char unit[16];
};

struct check_row {
	unsigned int config;
	char collector[24];
	char name[48];
	bool ok;
	char detail[256];
};

struct metric_sink {
	unsigned int config;	/* stamped on rows emitted from now on */
	int rep;
	struct metric_row *rows;
	size_t nrows, rows_alloc;
	struct check_row *checks;
	size_t nchecks, checks_alloc;
};

void metric_sink_init(struct metric_sink *s);
void metric_sink_release(struct metric_sink *s);
void metric_sink_at(struct metric_sink *s, unsigned int config, int rep);

#endif
