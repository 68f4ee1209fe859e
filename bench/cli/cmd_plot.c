// SPDX-License-Identifier: GPL-2.0
/* mlockbench plot DIR... -o OUT: gnuplot PNG + SVG, scripts and data beside. */
#include <errno.h>
#include <limits.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli_folders.h"
#include "cli/commands.h"
#include "common/atomic_file.h"
#include "common/exitcodes.h"
#include "report/plot.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: mlockbench plot [OPTIONS] DIR [DIR...]\n"
"\n"
"Plots from result folders (one line or bar per folder, labelled by kernel),\n"
"per workload/backing/lock/size/plain group:\n"
"  teardown-*   teardown vs processes, log-log, median with its 95%% CI, the\n"
"               fitted scaling law (dashed) and its exponent b [CI] in the legend\n"
"  setup-*      set-up vs teardown medians vs processes\n"
"  cdf-*        per-process teardown latency CDF at the largest common P\n"
"  locks-*      lock wait by class (stacked), when metrics.csv has locks rows\n"
"Each NAME.png and NAME.svg comes with NAME.gp and NAME.dat: `cd OUT &&\n"
"gnuplot NAME.gp` redraws it, edit the script to restyle.\n"
"\n"
"  -o, --output DIR      where to write (default: plots), created if missing\n"
"      --scripts-only    write .gp and .dat files, do not run gnuplot\n"
"      --allow-incomplete  read folders whose status is not \"complete\"\n"
"  -h, --help            this text\n"
"\n"
"Exit status: 0 ok, 2 bad usage, 3 gnuplot missing or failing, a folder that\n"
"cannot be read, or an output that cannot be written.\n");
}

struct plot_cli {
	const char *outdir;
	bool allow_incomplete;
	bool render;		/* false: --scripts-only */
};

/* 0: go on with the folders from argv[optind]; < 0: --help done; > 0: exit status */
static int parse_cli(int argc, char **argv, struct plot_cli *cli)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "scripts-only", no_argument, NULL, 'S' },
		{ "allow-incomplete", no_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			cli->outdir = optarg;
			break;
		case 'S':
			cli->render = false;
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
		fprintf(stderr, "mlockbench plot: no result folder given (try --help)\n");
		return MLB_EXIT_USAGE;
	}
	return 0;
}

/* gnuplot writes the images by path: only into a folder nobody else can change */
static int make_outdir(const char *outdir)
{
	struct errmsg e = { "" };
	int err;

	err = mkdir_p(outdir, &e);
	if (!err)
		return 0;
	fprintf(stderr, "mlockbench plot: %s\n", e.buf);
	if (err == -EPERM || err == -ELOOP || err == -ENOTDIR || err == -ENAMETOOLONG)
		return MLB_EXIT_USAGE;
	return MLB_EXIT_HARNESS;
}

/* The run-to-run spread plots, runs grouped by kernel identity. */
static int prepare_run_plots(struct result_folder **f, size_t nf, const char *outdir,
			     struct plot_list *pl, struct errmsg *e)
{
	struct run_group *groups = NULL;
	struct run_report rr;
	size_t ng = 0;
	int err;

	err = run_groups_build(f, nf, &groups, &ng, e);
	if (!err) {
		err = run_report_build(groups, ng, NULL, 0, &rr, e);
		if (!err) {
			err = plot_prepare_runs(&rr, outdir, pl, e);
			run_report_release(&rr);
		}
	}
	run_groups_free(groups, ng);
	return err;
}

/* The .gp and .dat files of every plot, named in PL. */
static int prepare_plots(struct result_folder **f, size_t nf, const char *outdir,
			 struct plot_list *pl)
{
	struct errmsg e = { "" };
	struct report r;
	int err;

	result_folders_unique_labels(f, nf);
	err = report_build(f, nf, NULL, 0, REPORT_HOLM_SPLIT, &r, &e);
	if (err) {
		fprintf(stderr, "mlockbench plot: %s\n", e.buf);
		return MLB_EXIT_HARNESS;
	}
	err = plot_prepare(&r, outdir, pl, &e);
	report_release(&r);
	if (!err)
		err = prepare_run_plots(f, nf, outdir, pl, &e);
	if (err) {
		fprintf(stderr, "mlockbench plot: %s\n", e.buf);
		return MLB_EXIT_HARNESS;
	}
	if (!pl->n) {
		fprintf(stderr, "mlockbench plot: nothing to plot (no teardown values)\n");
		return MLB_EXIT_HARNESS;
	}
	return 0;
}

/* Run gnuplot on each script (unless --scripts-only) and name what was written. */
static int render_plots(const struct plot_cli *cli, const struct plot_list *pl)
{
	struct errmsg e = { "" };
	size_t i;

	for (i = 0; i < pl->n; i++) {
		if (cli->render && plot_render(cli->outdir, pl->name[i], &e)) {
			fprintf(stderr, "mlockbench plot: %s\n", e.buf);
			return MLB_EXIT_HARNESS;
		}
		if (cli->render)
			printf("%s/%s.png %s/%s.svg\n", cli->outdir, pl->name[i], cli->outdir,
			       pl->name[i]);
		else
			printf("%s/%s.gp\n", cli->outdir, pl->name[i]);
	}
	return MLB_EXIT_OK;
}

int cmd_plot(int argc, char **argv)
{
	struct plot_cli cli = { .outdir = "plots", .render = true };
	struct result_folder **f = NULL;
	struct plot_list pl = { 0 };
	size_t nf = 0;
	int ret;

	ret = parse_cli(argc, argv, &cli);
	if (ret)
		return ret < 0 ? MLB_EXIT_OK : ret;
	if (cli.render && !plot_have_gnuplot()) {
		fprintf(stderr, "mlockbench plot: gnuplot is not installed (Debian: gnuplot-nox); "
			"--scripts-only writes the scripts and data anyway\n");
		return MLB_EXIT_HARNESS;
	}
	ret = MLB_EXIT_HARNESS;
	if (cli_load_folders("plot", argv + optind, argc - optind, cli.allow_incomplete,
			     &f, &nf))
		goto out;
	ret = make_outdir(cli.outdir);
	if (!ret)
		ret = prepare_plots(f, nf, cli.outdir, &pl);
	if (!ret)
		ret = render_plots(&cli, &pl);
out:
	plot_list_release(&pl);
	cli_free_folders(f, nf);
	return ret;
}
