// SPDX-License-Identifier: GPL-2.0
/* mlockbench compare DIR...: tables across result folders. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_folders.h"
#include "cli/commands.h"
#include "common/exitcodes.h"
#include "report/compare.h"
#include "common/atomic_file.h"

#define MAX_METRICS 64

static void usage(FILE *f)
{
	fprintf(f,
"usage: mlockbench compare [OPTIONS] DIR [DIR...]\n"
"\n"
"Tables across result folders (the first is the baseline): per workload and\n"
"metric, kernels as columns, configurations as rows; n, min, median with its\n"
"95%% CI, mean, stddev, CV, max; against the baseline the change in %% (+ = better),\n"
"the Hodges-Lehmann ratio [95%% CI], the median ratio (bootstrap CI), the\n"
"two-sided Mann-Whitney p (Holm-adjusted), Cliff's delta; significant changes\n"
"are marked '*'.  A scaling-law section gives the exponent b of\n"
"teardown = c * procs^b per kernel, and a footer what makes each run\n"
"reproducible.  Folders are matched by workload, backing, lock, procs, plain\n"
"and size; a configuration missing from a folder shows as '-'.\n"
"\n"
"  -f, --format FMT      text (mmtests-like, default), markdown, csv, json\n"
"  -m, --metric NAME     only this metric (repeatable, or a comma list), e.g.\n"
"                        teardown_ns, lat_max_ns, setup_ns, locks.lru_lock.wait_ns\n"
"  -p, --primary         only the primary metrics (teardown_ns, lat_max_ns)\n"
"  -o, --output FILE     write to FILE (atomically) instead of stdout\n"
"      --allow-incomplete  read folders whose status is not \"complete\"\n"
"  -h, --help            this text\n"
"\n"
"Exit status: 0 ok, 2 bad usage, 3 a folder cannot be read.\n");
}

struct compare_out {
	const struct report *r;
	enum compare_format fmt;
};

static int write_report(FILE *f, const void *arg)
{
	const struct compare_out *o = arg;

	return compare_write(f, o->r, o->fmt);
}

int cmd_compare(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "metric", required_argument, NULL, 'm' },
		{ "primary", no_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ "allow-incomplete", no_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum compare_format fmt = COMPARE_TEXT;
	const char *metrics[MAX_METRICS], *output = NULL;
	struct result_folder **f = NULL;
	size_t nmetrics = 0, nf = 0;
	bool allow_incomplete = false;
	struct errmsg e = { "" };
	struct report r;
	int c, err, ret = MLB_EXIT_HARNESS;

	optind = 1;
	while ((c = getopt_long(argc, argv, "f:m:po:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (compare_format_parse(optarg, &fmt)) {
				fprintf(stderr, "mlockbench compare: unknown format '%s' "
					"(text, markdown, csv, json)\n", optarg);
				return MLB_EXIT_USAGE;
			}
			break;
		case 'm':
			if (cli_add_metrics("compare", optarg, metrics, &nmetrics, MAX_METRICS))
				return MLB_EXIT_USAGE;
			break;
		case 'p':
			if (nmetrics + 2 > MAX_METRICS)
				return MLB_EXIT_USAGE;
			metrics[nmetrics++] = "teardown_ns";
			metrics[nmetrics++] = "lat_max_ns";
			break;
		case 'o':
			output = optarg;
			break;
		case 'I':
			allow_incomplete = true;
			break;
		case 'h':
			usage(stdout);
			return MLB_EXIT_OK;
		default:
			usage(stderr);
			return MLB_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "mlockbench compare: no result folder given (try --help)\n");
		return MLB_EXIT_USAGE;
	}
	if (cli_load_folders("compare", argv + optind, argc - optind, allow_incomplete, &f, &nf))
		goto out;
	result_folders_unique_labels(f, nf);
	err = report_build(f, nf, metrics, nmetrics, REPORT_HOLM_SPLIT, &r, &e);
	if (err) {
		fprintf(stderr, "mlockbench compare: %s\n", e.buf);
		ret = err == -EINVAL ? MLB_EXIT_USAGE : MLB_EXIT_HARNESS;
		goto out;
	}
	if (output) {
		struct compare_out o = { &r, fmt };

		err = atomic_write_with(output, write_report, &o, &e);
		if (err)
			fprintf(stderr, "mlockbench compare: %s\n",
				e.buf[0] ? e.buf : "write error");
	} else {
		err = compare_write(stdout, &r, fmt);
		if (err)
			fprintf(stderr, "mlockbench compare: write error on stdout\n");
	}
	report_release(&r);
	/* an output folder refused as unsafe (another user's, a link) is bad input */
	ret = !err ? MLB_EXIT_OK
		   : err == -EPERM || err == -ELOOP ? MLB_EXIT_USAGE : MLB_EXIT_HARNESS;
out:
	cli_free_folders(f, nf);
	return ret;
}
