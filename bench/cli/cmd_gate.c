// SPDX-License-Identifier: GPL-2.0
/* mlockbench gate: baseline vs candidate, the exit status is the verdict. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli_folders.h"
#include "cli/commands.h"
#include "common/exitcodes.h"
#include "common/parse.h"
#include "report/gate.h"
#include "common/atomic_file.h"

#define MAX_METRICS 64
#define MAX_CALIB 64
#define MAX_SIDE 256	/* folders named per side (each may expand to many runs) */

static void usage(FILE *f)
{
	fprintf(f,
"usage: mlockbench gate --baseline DIR[,DIR...] --candidate DIR[,DIR...] [OPTIONS]\n"
"\n"
"A verdict per gated metric and configuration (matched by workload, backing,\n"
"lock, procs, plain, size and the other identity options such as pin),\n"
"decided at the run level: a run (one 'run', one boot of a campaign) is the\n"
"unit of evidence, not a repetition.  Each side is\n"
"one or more runs of one kernel and job.  w = candidate/baseline of the\n"
"medians of run medians, 95%% CI by hierarchical bootstrap (runs, then\n"
"repetitions); p = Welch on ln run medians, Holm-adjusted over all rows:\n"
"  REGRESSION    p <= 0.05 and w >= 1+tau\n"
"  IMPROVEMENT   p <= 0.05 and w <= 1/(1+tau)\n"
"  NO-CHANGE     the whole CI of w inside [1/(1+tau), 1+tau] (never from\n"
"                one run per side without A/A history: drift unknown)\n"
"  INCONCLUSIVE  otherwise; says about how many more runs per side would decide\n"
"tau is what drift between runs stays under: max(2%%, expm1(2 se)), se of ln w\n"
"from both sides' between-run and within-run CVs.  With one run on a side the\n"
"drift is unknown (a 5%% prior is assumed): without A/A history a change is\n"
"called only when even its within-run CI is beyond x3 either way.\n"
"Use 3 or more runs per side.\n"
"\n"
"  -b, --baseline DIR    the reference runs: result folders, campaign folders\n"
"                        (all their complete boots) or a campaign's kernel\n"
"                        folder (repeatable, or a comma list)\n"
"  -c, --candidate DIR   the runs under test, the same way\n"
"  -t, --threshold X     tau, e.g. 5%% or 0.05, instead of the drift rule\n"
"  -a, --calibrate DIR   an A/A run: a repeated run of the baseline kernel with\n"
"                        the same jobs (repeatable, or a comma list; at least\n"
"                        2).  Their between-run CV is the drift behind tau (never\n"
"                        below the runs' own), and gives a p with one run per side\n"
"  -m, --metric NAME     gate this metric (repeatable, or a comma list; default\n"
"                        teardown_ns and lat_max_ns, the latter not for exit,\n"
"                        where it equals teardown); all are lower-is-better\n"
"  -j, --junit FILE      also write JUnit XML: one testcase per metric x config,\n"
"                        a failure per regression, skipped when inconclusive\n"
"      --allow-mismatch  gate across environments that differ (governor, THP,\n"
"                        swap, NUMA balancing, ASLR, command line, VM or bare\n"
"                        metal, topology, tool version); they are still listed\n"
"      --allow-incomplete  read folders whose status is not \"complete\"\n"
"  -h, --help            this text\n"
"\n"
"Exit status: 0 pass (NO-CHANGE or IMPROVEMENT everywhere), 1 regression,\n"
"2 inconclusive, 3 error (bad option, missing, malformed or incomplete folder,\n"
"no matching configuration, a side that is not one kernel and job, differing\n"
"environments, fewer than 2 calibration folders or none holding a gated\n"
"configuration): an error never looks like a pass.\n");
}

static int write_junit(FILE *f, const void *g)
{
	return gate_write_junit(f, g);
}

/* Append the comma list @arg (cut up in place) to @dirs. */
static int add_dirs(const char *opt, char *arg, char **dirs, size_t *n)
{
	char *save, *tok;

	for (tok = strtok_r(arg, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (*n == MAX_SIDE) {
			fprintf(stderr, "mlockbench gate: more than %d %s folders\n", MAX_SIDE,
				opt);
			return -E2BIG;
		}
		dirs[(*n)++] = tok;
	}
	return 0;
}

int cmd_gate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "baseline", required_argument, NULL, 'b' },
		{ "candidate", required_argument, NULL, 'c' },
		{ "threshold", required_argument, NULL, 't' },
		{ "metric", required_argument, NULL, 'm' },
		{ "calibrate", required_argument, NULL, 'a' },
		{ "junit", required_argument, NULL, 'j' },
		{ "allow-incomplete", no_argument, NULL, 'I' },
		{ "allow-mismatch", no_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *junit = NULL, *metrics[MAX_METRICS];
	struct result_folder **base = NULL, **cand = NULL, **calib = NULL;
	char *calib_dirs[MAX_CALIB], *base_dirs[MAX_SIDE], *cand_dirs[MAX_SIDE];
	size_t nmetrics = 0, ncalib_dirs = 0, ncalib = 0, nbase_dirs = 0, ncand_dirs = 0;
	size_t nbase = 0, ncand = 0, i, j;
	struct gate_opts go = { 0 };
	bool allow_incomplete = false;
	struct errmsg e = { "" };
	struct gate_result g;
	int c, err, ret = MLB_EXIT_HARNESS;

	optind = 1;
	while ((c = getopt_long(argc, argv, "b:c:t:m:a:j:h", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			if (add_dirs("baseline", optarg, base_dirs, &nbase_dirs))
				return MLB_EXIT_HARNESS;
			break;
		case 'c':
			if (add_dirs("candidate", optarg, cand_dirs, &ncand_dirs))
				return MLB_EXIT_HARNESS;
			break;
		case 't':
			/* !(> 0) also refuses nan; inf would make every change "no change" */
			if (parse_fraction(optarg, &go.threshold, &e) || !(go.threshold > 0) ||
			    !isfinite(go.threshold)) {
				fprintf(stderr, "mlockbench gate: --threshold: %s\n",
					e.buf[0] ? e.buf : "must be a finite number above 0");
				return MLB_EXIT_HARNESS;
			}
			break;
		case 'm':
			if (cli_add_metrics("gate", optarg, metrics, &nmetrics, MAX_METRICS))
				return MLB_EXIT_HARNESS;
			break;
		case 'a':
			for (char *tok = strtok(optarg, ","); tok; tok = strtok(NULL, ",")) {
				if (ncalib_dirs == MAX_CALIB) {
					fprintf(stderr, "mlockbench gate: more than %d calibration "
						"folders\n", MAX_CALIB);
					return MLB_EXIT_HARNESS;
				}
				calib_dirs[ncalib_dirs++] = tok;
			}
			break;
		case 'j':
			junit = optarg;
			break;
		case 'I':
			allow_incomplete = true;
			break;
		case 'M':
			go.allow_mismatch = true;
			break;
		case 'h':
			usage(stdout);
			return MLB_EXIT_OK;
		default:
			usage(stderr);
			return MLB_EXIT_HARNESS;	/* 2 would read as inconclusive */
		}
	}
	if (!nbase_dirs || !ncand_dirs || optind < argc) {
		fprintf(stderr, "mlockbench gate: needs --baseline DIR and --candidate DIR "
			"and nothing else (try --help)\n");
		return MLB_EXIT_HARNESS;
	}
	if (ncalib_dirs == 1) {
		fprintf(stderr, "mlockbench gate: --calibrate needs at least 2 folders (repeated "
			"runs of the baseline kernel), got 1\n");
		return MLB_EXIT_HARNESS;
	}
	if (cli_load_folders("gate", base_dirs, nbase_dirs, allow_incomplete, &base, &nbase) ||
	    cli_load_folders("gate", cand_dirs, ncand_dirs, allow_incomplete, &cand, &ncand))
		goto out;
	for (i = 0; i < nbase; i++)
		for (j = 0; j < ncand; j++)
			if (result_folder_same_run(base[i], cand[j])) {
				fprintf(stderr, "mlockbench gate: %s and %s are the same run: "
					"nothing to gate\n", base[i]->path, cand[j]->path);
				goto out;
			}
	if (nbase > 1 || ncand > 1)
		fprintf(stderr, "mlockbench gate: %zu baseline and %zu candidate runs\n", nbase,
			ncand);
	if (ncalib_dirs && cli_load_folders("gate", calib_dirs, ncalib_dirs, allow_incomplete,
					    &calib, &ncalib))
		goto out;
	for (i = 0; i < ncalib; i++)
		if (strcmp(calib[i]->release, base[0]->release) ||
		    strcmp(calib[i]->kernel_id, base[0]->kernel_id))
			fprintf(stderr, "mlockbench gate: note: calibration folder %s is kernel %s "
				"(%s), the baseline %s (%s)\n", calib[i]->path,
				calib[i]->kernel_id, calib[i]->release, base[0]->kernel_id,
				base[0]->release);
	go.metrics = metrics;
	go.nmetrics = nmetrics;
	go.calib = calib;
	go.ncalib = ncalib;
	err = gate_evaluate_runs(base, nbase, cand, ncand, &go, &g, &e);
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
	cli_free_folders(calib, ncalib);
	cli_free_folders(base, nbase);
	cli_free_folders(cand, ncand);
	return ret;
}
