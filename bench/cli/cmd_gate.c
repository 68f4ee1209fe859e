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
"                        teardown_ns, plain_teardown_ns where plain mappers ran,\n"
"                        and lat_max_ns, not for exit, where it equals\n"
"                        teardown); all are lower-is-better\n"
"  -j, --junit FILE      also write JUnit XML: one testcase per metric x config,\n"
"                        a failure per regression, skipped when inconclusive\n"
"      --allow-mismatch  gate across environments that differ (governor, THP,\n"
"                        swap, NUMA balancing, ASLR, command line, VM or bare\n"
"                        metal, topology, tool version, job options reps,\n"
"                        warmup, seed, collect, perf-record); still listed\n"
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

/* What the command line asked for; the folder lists point into argv. */
struct gate_cli {
	const char *junit, *metrics[MAX_METRICS];
	char *calib_dirs[MAX_CALIB], *base_dirs[MAX_SIDE], *cand_dirs[MAX_SIDE];
	size_t nmetrics, ncalib_dirs, nbase_dirs, ncand_dirs;
	bool allow_incomplete;
	struct gate_opts go;
};

static int add_calib(char *list, struct gate_cli *o)
{
	for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
		if (o->ncalib_dirs == MAX_CALIB) {
			fprintf(stderr, "mlockbench gate: more than %d calibration folders\n",
				MAX_CALIB);
			return -E2BIG;
		}
		o->calib_dirs[o->ncalib_dirs++] = tok;
	}
	return 0;
}

static int parse_threshold(const char *arg, double *tau)
{
	struct errmsg e = { "" };

	/* !(> 0) also refuses nan; inf would make every change "no change" */
	if (parse_fraction(arg, tau, &e) || !(*tau > 0) || !isfinite(*tau)) {
		fprintf(stderr, "mlockbench gate: --threshold: %s\n",
			e.buf[0] ? e.buf : "must be a finite number above 0");
		return -EINVAL;
	}
	return 0;
}

/* 0: go on; below 0: --help was shown (exit 0); above 0: the exit status. */
static int parse_cli(int argc, char **argv, struct gate_cli *o)
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
	int c, err;

	optind = 1;
	while ((c = getopt_long(argc, argv, "b:c:t:m:a:j:h", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			err = add_dirs("baseline", optarg, o->base_dirs, &o->nbase_dirs);
			break;
		case 'c':
			err = add_dirs("candidate", optarg, o->cand_dirs, &o->ncand_dirs);
			break;
		case 't':
			err = parse_threshold(optarg, &o->go.threshold);
			break;
		case 'm':
			err = cli_add_metrics("gate", optarg, o->metrics, &o->nmetrics,
					      MAX_METRICS);
			break;
		case 'a':
			err = add_calib(optarg, o);
			break;
		case 'j':
			o->junit = optarg;
			err = 0;
			break;
		case 'I':
			o->allow_incomplete = true;
			err = 0;
			break;
		case 'M':
			o->go.allow_mismatch = true;
			err = 0;
			break;
		case 'h':
			usage(stdout);
			return -1;
		default:
			usage(stderr);
			return MLB_EXIT_HARNESS;	/* 2 would read as inconclusive */
		}
		if (err)
			return MLB_EXIT_HARNESS;
	}
	if (!o->nbase_dirs || !o->ncand_dirs || optind < argc) {
		fprintf(stderr, "mlockbench gate: needs --baseline DIR and --candidate DIR "
			"and nothing else (try --help)\n");
		return MLB_EXIT_HARNESS;
	}
	if (o->ncalib_dirs == 1) {
		fprintf(stderr, "mlockbench gate: --calibrate needs at least 2 folders (repeated "
			"runs of the baseline kernel), got 1\n");
		return MLB_EXIT_HARNESS;
	}
	return 0;
}

/* -EINVAL when a baseline run is also a candidate run: nothing to gate. */
static int check_sides(struct result_folder **base, size_t nbase, struct result_folder **cand,
		       size_t ncand)
{
	size_t i, j;

	for (i = 0; i < nbase; i++)
		for (j = 0; j < ncand; j++)
			if (result_folder_same_run(base[i], cand[j])) {
				fprintf(stderr, "mlockbench gate: %s and %s are the same run: "
					"nothing to gate\n", base[i]->path, cand[j]->path);
				return -EINVAL;
			}
	if (nbase > 1 || ncand > 1)
		fprintf(stderr, "mlockbench gate: %zu baseline and %zu candidate runs\n", nbase,
			ncand);
	return 0;
}

/* Calibration runs of another kernel are allowed, but said. */
static void note_calib_kernels(struct result_folder **calib, size_t ncalib,
			       const struct result_folder *base)
{
	size_t i;

	for (i = 0; i < ncalib; i++)
		if (strcmp(calib[i]->release, base->release) ||
		    strcmp(calib[i]->kernel_id, base->kernel_id))
			fprintf(stderr, "mlockbench gate: note: calibration folder %s is kernel %s "
				"(%s), the baseline %s (%s)\n", calib[i]->path,
				calib[i]->kernel_id, calib[i]->release, base->kernel_id,
				base->release);
}

/* Print the verdicts and write the JUnit file; the exit status. */
static int report(const struct gate_cli *o, struct gate_result *g)
{
	struct errmsg e = { "" };
	int ret, err;

	gate_print(stdout, g);
	fflush(stdout);
	ret = gate_exit_status(g->overall);
	if (o->junit) {
		err = atomic_write_with(o->junit, write_junit, g, &e);
		if (err) {
			fprintf(stderr, "mlockbench gate: junit: %s\n",
				e.buf[0] ? e.buf : "write error");
			ret = MLB_EXIT_HARNESS;
		}
	}
	return ret;
}

int cmd_gate(int argc, char **argv)
{
	struct result_folder **base = NULL, **cand = NULL, **calib = NULL;
	size_t nbase = 0, ncand = 0, ncalib = 0;
	struct gate_cli o = { 0 };
	struct errmsg e = { "" };
	struct gate_result g;
	int err, ret = parse_cli(argc, argv, &o);

	if (ret)
		return ret < 0 ? MLB_EXIT_OK : ret;
	ret = MLB_EXIT_HARNESS;
	if (cli_load_folders("gate", o.base_dirs, o.nbase_dirs, o.allow_incomplete, &base,
			     &nbase) ||
	    cli_load_folders("gate", o.cand_dirs, o.ncand_dirs, o.allow_incomplete, &cand,
			     &ncand) ||
	    check_sides(base, nbase, cand, ncand))
		goto out;
	if (o.ncalib_dirs && cli_load_folders("gate", o.calib_dirs, o.ncalib_dirs,
					      o.allow_incomplete, &calib, &ncalib))
		goto out;
	note_calib_kernels(calib, ncalib, base[0]);
	o.go.metrics = o.metrics;
	o.go.nmetrics = o.nmetrics;
	o.go.calib = calib;
	o.go.ncalib = ncalib;
	err = gate_evaluate_runs(base, nbase, cand, ncand, &o.go, &g, &e);
	if (err) {
		fprintf(stderr, "mlockbench gate: %s\n", e.buf);
		goto out;
	}
	ret = report(&o, &g);
	gate_release(&g);
out:
	cli_free_folders(calib, ncalib);
	cli_free_folders(base, nbase);
	cli_free_folders(cand, ncand);
	return ret;
}
