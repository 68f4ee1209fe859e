// SPDX-License-Identifier: GPL-2.0
/* mlockbench gate: baseline vs candidate, the exit status is the verdict. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli_folders.h"
#include "cli/commands.h"
#include "common/exitcodes.h"
#include "common/parse.h"
#include "report/gate.h"
#include "common/atomic_file.h"

#define MAX_METRICS 64

static void usage(FILE *f)
{
	fprintf(f,
"usage: mlockbench gate --baseline DIR --candidate DIR [OPTIONS]\n"
"\n"
"A verdict per gated metric and configuration (matched by workload, backing,\n"
"lock, procs, plain, size).  w = candidate/baseline (Hodges-Lehmann ratio, 95%%\n"
"CI), p = two-sided Mann-Whitney U, Holm-adjusted over all gated tests:\n"
"  REGRESSION    p <= 0.05 and w >= 1+tau\n"
"  IMPROVEMENT   p <= 0.05 and w <= 1/(1+tau)\n"
"  NO-CHANGE     the 90%% CI of w inside [1/(1+tau), 1+tau] (equivalence, TOST)\n"
"  INCONCLUSIVE  otherwise; says about how many more reps per side would decide\n"
"With 3 reps per side no rank test reaches p < 0.05: use 10 or more.\n"
"\n"
"  -b, --baseline DIR    the reference result folder\n"
"  -c, --candidate DIR   the result folder under test\n"
"  -t, --threshold X     tau, e.g. 5%% or 0.05 (default per metric and config:\n"
"                        max(2%%, 3 CV sqrt(2/n)))\n"
"  -m, --metric NAME     gate this metric (repeatable, or a comma list; default\n"
"                        teardown_ns and lat_max_ns); all are lower-is-better\n"
"  -j, --junit FILE      also write JUnit XML: one testcase per metric x config,\n"
"                        a failure per regression, skipped when inconclusive\n"
"      --allow-incomplete  read folders whose status is not \"complete\"\n"
"  -h, --help            this text\n"
"\n"
"Exit status: 0 pass (NO-CHANGE or IMPROVEMENT everywhere), 1 regression,\n"
"2 inconclusive, 3 error (bad option, missing, malformed or incomplete folder,\n"
"no matching configuration): an error never looks like a pass.\n");
}

static int write_junit(FILE *f, const void *g)
{
	return gate_write_junit(f, g);
}

int cmd_gate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "baseline", required_argument, NULL, 'b' },
		{ "candidate", required_argument, NULL, 'c' },
		{ "threshold", required_argument, NULL, 't' },
		{ "metric", required_argument, NULL, 'm' },
		{ "junit", required_argument, NULL, 'j' },
		{ "allow-incomplete", no_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *base_dir = NULL, *cand_dir = NULL, *junit = NULL, *metrics[MAX_METRICS];
	struct result_folder *base = NULL, *cand = NULL;
	size_t nmetrics = 0;
	double threshold = 0;
	bool allow_incomplete = false;
	struct errmsg e = { "" };
	struct gate_result g;
	int c, err, ret = MLB_EXIT_HARNESS;

	optind = 1;
	while ((c = getopt_long(argc, argv, "b:c:t:m:j:h", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			base_dir = optarg;
			break;
		case 'c':
			cand_dir = optarg;
			break;
		case 't':
			if (parse_fraction(optarg, &threshold, &e) || threshold <= 0) {
				fprintf(stderr, "mlockbench gate: --threshold: %s\n",
					e.buf[0] ? e.buf : "must be above 0");
				return MLB_EXIT_HARNESS;
			}
			break;
		case 'm':
			if (cli_add_metrics("gate", optarg, metrics, &nmetrics, MAX_METRICS))
				return MLB_EXIT_HARNESS;
			break;
		case 'j':
			junit = optarg;
			break;
		case 'I':
			allow_incomplete = true;
			break;
		case 'h':
			usage(stdout);
			return MLB_EXIT_OK;
		default:
			usage(stderr);
			return MLB_EXIT_HARNESS;	/* 2 would read as inconclusive */
		}
	}
	if (!base_dir || !cand_dir || optind < argc) {
		fprintf(stderr, "mlockbench gate: needs --baseline DIR and --candidate DIR "
			"and nothing else (try --help)\n");
		return MLB_EXIT_HARNESS;
	}
	if (result_folder_load(base_dir, allow_incomplete, &base, &e) ||
	    result_folder_load(cand_dir, allow_incomplete, &cand, &e)) {
		fprintf(stderr, "mlockbench gate: %s\n", e.buf);
		goto out;
	}
	{
		struct result_folder *both[2] = { base, cand };

		result_folders_unique_labels(both, 2);
	}
	err = gate_evaluate(base, cand, metrics, nmetrics, threshold, &g, &e);
	if (err) {
		fprintf(stderr, "mlockbench gate: %s\n", e.buf);
		goto out;
	}
	gate_print(stdout, &g);
	fflush(stdout);
	ret = gate_exit_status(g.overall);
	if (junit) {
		err = atomic_write_with(junit, write_junit, &g, &e);
		if (err) {
			fprintf(stderr, "mlockbench gate: junit: %s\n",
				e.buf[0] ? e.buf : "write error");
			ret = MLB_EXIT_HARNESS;
		}
	}
	gate_release(&g);
out:
	result_folder_free(base);
	result_folder_free(cand);
	return ret;
}
