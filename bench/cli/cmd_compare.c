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
#include "common/parse.h"

#define MAX_METRICS 64

static void usage(FILE *f)
{
	fprintf(f,
"usage: mlockbench compare [OPTIONS] DIR [DIR...]\n"
"\n"
"The kernels of the folders, runs as the unit of evidence: folders are grouped\n"
"by kernel identity (release, version, design, kernel id; in order of first\n"
"appearance, the first kernel is the baseline), each folder one run.  Per\n"
"configuration and metric (teardown, plain_teardown where plain mappers ran,\n"
"and lat_max except for exit, where it equals teardown; or the --metric ones):\n"
"each kernel's median of run medians\n"
"with the between-run %%stddev (LKP), and against the baseline the ratio with\n"
"its two-level 95%% CI (hierarchical bootstrap over runs and repetitions,\n"
"seed 42), the run-level p (Welch on ln run medians; Holm) and '*' when\n"
"p <= 0.05.  With one run on a side the CI covers within-run noise only (w).\n"
"Runs of one kernel whose configurations differ are refused.\n"
"\n"
"  -f, --format FMT      text (default), markdown, csv, json (JSON: the\n"
"                        per-folder report plus \"two_level\")\n"
"  -m, --metric NAME     only this metric (repeatable, or a comma list), e.g.\n"
"                        teardown_ns, lat_max_ns, setup_ns, locks.lru_lock.wait_ns\n"
"  -p, --primary         only the primary metrics (teardown_ns, lat_max_ns,\n"
"                        plain_teardown_ns where plain mappers ran)\n"
"  -d, --detail          also the variance components (within-run and between-run\n"
"                        CV, Kalibera-Jones) and the full per-folder tables\n"
"                        (mmtests-like: every statistic, Mann-Whitney, scaling law)\n"
"      --plan [DELTA]    runs x repetitions per side that detect a DELTA change\n"
"                        (default 5%%) at the measured components and costs\n"
"  -o, --output FILE     write to FILE (atomically) instead of stdout\n"
"      --allow-incomplete  read folders whose status is not \"complete\"\n"
"  -h, --help            this text\n"
"\n"
"Exit status: 0 ok, 2 bad usage (runs of one kernel with different jobs),\n"
"3 a folder cannot be read.\n");
}

struct compare_out {
	const struct run_report *rr;
	const struct report *r;
	enum compare_format fmt;
	const struct compare_opts *o;
};

static int write_report(FILE *f, const void *arg)
{
	const struct compare_out *o = arg;

	return compare_write_runs(f, o->rr, o->r, o->fmt, o->o);
}

struct compare_cli {
	enum compare_format fmt;
	const char *metrics[MAX_METRICS];
	size_t nmetrics;
	struct compare_opts co;
	const char *output;	/* NULL: stdout */
	bool allow_incomplete;
	bool primary;		/* --primary */
};

/* "--plan 5%" as well as "--plan=5%": a following percentage is its value */
static int parse_plan(int argc, char **argv, struct compare_opts *co)
{
	const char *v = optarg;
	struct errmsg pe = { "" };

	if (!v && optind < argc && argv[optind][0] >= '0' && argv[optind][0] <= '9')
		v = argv[optind++];
	co->plan_delta = 0.05;
	if (v && (parse_fraction(v, &co->plan_delta, &pe) || !(co->plan_delta > 0) ||
		  !(co->plan_delta < 10))) {
		fprintf(stderr, "mlockbench compare: --plan: %s\n",
			pe.buf[0] ? pe.buf : "a change above 0, e.g. 5%");
		return MLB_EXIT_USAGE;
	}
	return 0;
}

/* 0: go on with the folders from argv[optind]; < 0: --help done; > 0: exit status */
static int parse_cli(int argc, char **argv, struct compare_cli *cli)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "metric", required_argument, NULL, 'm' },
		{ "primary", no_argument, NULL, 'p' },
		{ "detail", no_argument, NULL, 'd' },
		{ "plan", optional_argument, NULL, 'P' },
		{ "output", required_argument, NULL, 'o' },
		{ "allow-incomplete", no_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "f:m:pdo:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (compare_format_parse(optarg, &cli->fmt)) {
				fprintf(stderr, "mlockbench compare: unknown format '%s' "
					"(text, markdown, csv, json)\n", optarg);
				return MLB_EXIT_USAGE;
			}
			break;
		case 'm':
			if (cli_add_metrics("compare", optarg, cli->metrics, &cli->nmetrics,
					    MAX_METRICS))
				return MLB_EXIT_USAGE;
			break;
		case 'p':
			cli->primary = true;	/* those the folders have, once read */
			break;
		case 'd':
			cli->co.detail = true;
			break;
		case 'P':
			if (parse_plan(argc, argv, &cli->co))
				return MLB_EXIT_USAGE;
			break;
		case 'o':
			cli->output = optarg;
			break;
		case 'I':
			cli->allow_incomplete = true;
			break;
		case 'h':
			usage(stdout);
			return -1;
		default:
			usage(stderr);
			return MLB_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "mlockbench compare: no result folder given (try --help)\n");
		return MLB_EXIT_USAGE;
	}
	return 0;
}

/* A report that cannot be built: runs of one kernel that differ are bad input. */
static int build_error(int err, const struct errmsg *e)
{
	fprintf(stderr, "mlockbench compare: %s\n", e->buf);
	return err == -EINVAL ? MLB_EXIT_USAGE : MLB_EXIT_HARNESS;
}

/* R: the per-folder report, NULL without --detail or JSON. */
static int write_output(const struct compare_cli *cli, const struct run_report *rr,
			const struct report *r)
{
	struct errmsg e = { "" };
	int err;

	if (cli->output) {
		struct compare_out o = { rr, r, cli->fmt, &cli->co };

		err = atomic_write_with(cli->output, write_report, &o, &e);
		if (err)
			fprintf(stderr, "mlockbench compare: %s\n",
				e.buf[0] ? e.buf : "write error");
	} else {
		err = compare_write_runs(stdout, rr, r, cli->fmt, &cli->co);
		if (err)
			fprintf(stderr, "mlockbench compare: write error on stdout\n");
	}
	return err;
}

int cmd_compare(int argc, char **argv)
{
	struct compare_cli cli = { .fmt = COMPARE_TEXT };
	struct result_folder **f = NULL;
	struct run_group *groups = NULL;
	size_t nf = 0, ng = 0;
	bool have_detail = false;
	struct errmsg e = { "" };
	struct run_report rr;
	struct report r;
	int err, ret;

	ret = parse_cli(argc, argv, &cli);
	if (ret)
		return ret < 0 ? MLB_EXIT_OK : ret;
	ret = MLB_EXIT_HARNESS;
	if (cli_load_folders("compare", argv + optind, argc - optind, cli.allow_incomplete,
			     &f, &nf))
		goto out;
	if (cli.primary)
		cli.nmetrics += report_primary_metrics(f, nf, cli.metrics + cli.nmetrics,
						       MAX_METRICS - cli.nmetrics);
	err = run_groups_build(f, nf, &groups, &ng, &e);
	if (!err)
		err = run_report_build(groups, ng, cli.metrics, cli.nmetrics, &rr, &e);
	if (err) {
		ret = build_error(err, &e);
		goto out;
	}
	if (cli.co.detail || cli.fmt == COMPARE_JSON) {
		result_folders_unique_labels(f, nf);
		err = report_build(f, nf, cli.metrics, cli.nmetrics, REPORT_HOLM_SPLIT, &r, &e);
		if (err) {
			ret = build_error(err, &e);
			run_report_release(&rr);
			goto out;
		}
		have_detail = true;
	}
	err = write_output(&cli, &rr, have_detail ? &r : NULL);
	if (have_detail)
		report_release(&r);
	run_report_release(&rr);
	/* an output folder refused as unsafe (another user's, a link) is bad input */
	ret = !err ? MLB_EXIT_OK
		   : err == -EPERM || err == -ELOOP ? MLB_EXIT_USAGE : MLB_EXIT_HARNESS;
out:
	run_groups_free(groups, ng);
	cli_free_folders(f, nf);
	return ret;
}
