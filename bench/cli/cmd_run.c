// SPDX-License-Identifier: GPL-2.0
/* mlockbench run: options or a job file in, a result folder and a summary out. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/run_exit.h"
#include "cli/run_summary.h"
#include "common/exitcodes.h"
#include "common/timeutil.h"
#include "engine/runner.h"
#include "result/writer.h"

#define RUN_OPT_BASE 1000
enum { OPT_JOB = 1, OPT_OUT, OPT_OVERWRITE, OPT_QUIET, OPT_HELP };

struct run_cli {
	const char *jobfile;
	const char *out;
	bool overwrite, quiet;
	/* job options from the command line, applied over the job file */
	const char *keys[64];
	const char *vals[64];
	size_t nkv;
};

/* "  NAME   help", the help wrapped to the terminal's usual width */
static void help_entry(FILE *f, const char *name, const char *help)
{
	const char *p = help;
	int col = fprintf(f, "  %-18s", name);

	if (col > 20)		/* a long option list: its help below it */
		col = fprintf(f, "\n%20s", "") - 1;
	while (*p) {
		size_t word = strcspn(p, " ");

		if (col + (int)word + 1 > 90 && col > 20)
			col = fprintf(f, "\n%20s", "") - 1;
		col += fprintf(f, " %.*s", (int)word, p);
		p += word;
		p += strspn(p, " ");
	}
	fputc('\n', f);
}

static void options_entry(FILE *f, const struct ops_option *o)
{
	char usage[256], lhs[64];

	for (; o && o->name; o++) {
		ops_options_usage((const struct ops_option[]){ *o, { NULL } }, usage,
				  sizeof(usage));
		snprintf(lhs, sizeof(lhs), "  :%s", usage);
		help_entry(f, lhs, o->help);
	}
}

static void workloads_usage(FILE *f)
{
	const struct workload_ops *const *w;
	char help[512];

	fprintf(f, "Workloads (--workload NAME):\n");
	for (w = workload_table; *w; w++) {
		snprintf(help, sizeof(help), "%s [teardown timed: %s]", (*w)->help,
			 (*w)->teardown_timed);
		help_entry(f, (*w)->name, help);
		options_entry(f, (*w)->options);
	}
}

static void collectors_usage(FILE *f)
{
	const struct collector_ops *const *c;
	bool any = false;

	fprintf(f, "Collectors (--collect a,b; NAME:OPTION=VALUE or NAME:VALUE; details in "
		   "docs/COLLECTORS.md):\n");
	for (c = collector_table; *c; c++) {
		help_entry(f, (*c)->name, (*c)->help);
		options_entry(f, (*c)->options);
	}
	help_entry(f, "none", "no collector");
	for (c = collector_table; *c; c++)
		if ((*c)->perturbs) {
			fprintf(f, "%s%s", any ? ", " : "", (*c)->name);
			any = true;
		}
	if (any)
		fprintf(f, " perturb the timing: they run in their own repetitions,\n"
			   "alternated with clean ones, and their overhead is reported.\n");
	fputc('\n', f);
}

static void run_usage(FILE *f)
{
	char opts[8192];

	job_options_help(opts, sizeof(opts));
	fprintf(f,
		"usage: mlockbench run [OPTIONS] [--job FILE]\n\n"
		"Run mlock/teardown workloads on the running kernel and write a result folder\n"
		"(manifest.json, samples.csv, latencies.csv, metrics.csv; see docs/RESULTS.md).\n\n"
		"Job options (also the keys of a job file; lists sweep):\n%s\n"
		"Run options:\n"
		"  --job FILE               INI job file: [global] defaults, one [section] per job;\n"
		"                           options given here override the file's values\n"
		"  --out DIR                result folder [mlockbench-DATE-TIME]\n"
		"  --overwrite              replace a result already in DIR\n"
		"  --quiet                  no progress line, no summary\n"
		"  --help                   this text\n\n", opts);
	workloads_usage(f);
	fputc('\n', f);
	collectors_usage(f);
	fprintf(f,
		"Exit status: 0 done, 1 the measurement failed, 2 bad input or unsafe job,\n"
		"3 this machine cannot run it, 130 interrupted (finished configurations kept).\n");
}

static int parse_cli(int argc, char **argv, struct run_cli *cli)
{
	size_t n = job_option_count(), i;
	struct option *lo = calloc(n + 6, sizeof(*lo));
	int c, ret = 0;

	if (!lo)
		return MLB_EXIT_HARNESS;
	/* flags take an optional =VALUE, as in job files: --force=no */
	for (i = 0; i < n; i++)
		lo[i] = (struct option){ job_option_name(i),
					 job_option_takes_arg(i) ? required_argument
								 : optional_argument,
					 NULL, RUN_OPT_BASE + i };
	lo[i++] = (struct option){ "job", required_argument, NULL, OPT_JOB };
	lo[i++] = (struct option){ "out", required_argument, NULL, OPT_OUT };
	lo[i++] = (struct option){ "overwrite", no_argument, NULL, OPT_OVERWRITE };
	lo[i++] = (struct option){ "quiet", no_argument, NULL, OPT_QUIET };
	lo[i++] = (struct option){ "help", no_argument, NULL, OPT_HELP };

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", lo, NULL)) != -1) {
		switch (c) {
		case OPT_JOB: cli->jobfile = optarg; break;
		case OPT_OUT: cli->out = optarg; break;
		case OPT_OVERWRITE: cli->overwrite = true; break;
		case OPT_QUIET: cli->quiet = true; break;
		case OPT_HELP:
			run_usage(stdout);
			ret = -1;
			goto out;
		case ':':
			fprintf(stderr, "mlockbench run: %s needs a value\n", argv[optind - 1]);
			ret = MLB_EXIT_USAGE;
			goto out;
		case '?':
			fprintf(stderr, "mlockbench run: unknown option '%s' (see --help)\n",
				argv[optind - 1]);
			ret = MLB_EXIT_USAGE;
			goto out;
		default:
			if (cli->nkv == 64) {
				fprintf(stderr, "mlockbench run: too many options\n");
				ret = MLB_EXIT_USAGE;
				goto out;
			}
			cli->keys[cli->nkv] = job_option_name(c - RUN_OPT_BASE);
			cli->vals[cli->nkv++] = optarg;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "mlockbench run: unexpected argument '%s' (see --help)\n",
			argv[optind]);
		ret = MLB_EXIT_USAGE;
	}
out:
	free(lo);
	return ret;
}

static int build_jobs(const struct run_cli *cli, struct job **jobs, size_t *njobs,
		      struct errmsg *e)
{
	struct job base;
	size_t i, k;
	int ret;

	job_init(&base, "cli");
	if (cli->jobfile) {
		ret = jobfile_load(cli->jobfile, &base, jobs, njobs, e);
		if (ret)
			return ret;
	} else {
		*jobs = malloc(sizeof(**jobs));
		if (!*jobs)
			return -ENOMEM;
		job_copy(*jobs, &base);
		*njobs = 1;
	}
	for (i = 0; i < *njobs; i++)
		for (k = 0; k < cli->nkv; k++) {
			ret = job_set(&(*jobs)[i], cli->keys[k], cli->vals[k], e);
			if (ret)
				return ret;	/* job_set names the option */
		}
	return 0;
}

struct progress_ctx {
	bool tty;
	bool shown;
};

static void on_progress(void *ctx, const struct run_progress *p)
{
	struct progress_ctx *pc = ctx;
	char size[32];

	if (!pc->tty)
		return;
	format_size(p->config->size, size, sizeof(size));
	fprintf(stderr, "\r\033[K[%zu/%zu] %s procs=%llu plain=%llu size=%s%s  %s %u/%u%s%s",
		p->config_index + 1, p->nconfigs, p->config->wl->name,
		(unsigned long long)p->config->procs, (unsigned long long)p->config->plain,
		size, p->config->prot == PROT_MODE_RO ? " prot=ro" : "",
		p->warmup ? "warm-up" : "rep", p->round + 1, p->rounds,
		p->instrumented_by ? " +" : "", p->instrumented_by ? p->instrumented_by : "");
	pc->shown = true;
}

static int exit_status(const struct runner *r, int ret)
{
	if (!ret)
		return MLB_EXIT_OK;
	if (ret == -EINTR)
		return MLB_EXIT_INTERRUPTED;
	if (r->collector_failed)
		return collector_open_exit_status(ret);
	/* the machine gave a THP backing no huge pages: it cannot run this job */
	if (r->thp_refused)
		return MLB_EXIT_HARNESS;
	if (r->started)
		return MLB_EXIT_FAIL;
	switch (ret) {
	case -EINVAL: case -ERANGE: case -ENOENT: case -E2BIG: case -EPERM: case -EEXIST:
	case -EACCES:
		return MLB_EXIT_USAGE;
	}
	return MLB_EXIT_HARNESS;
}

/* --out checked before anything is measured: the machine's refusals are 3, the rest 2 */
static int out_check_status(int err)
{
	switch (err) {
	case -EACCES: case -EROFS: case -ENOSPC: case -EDQUOT: case -EIO: case -ENOMEM:
		return MLB_EXIT_HARNESS;
	}
	return MLB_EXIT_USAGE;
}

int cmd_run(int argc, char **argv)
{
	static volatile sig_atomic_t interrupted;
	struct progress_ctx pc = { .tty = isatty(STDOUT_FILENO) && isatty(STDERR_FILENO) };
	struct run_cli cli = { 0 };
	struct errmsg e = { "" };
	struct result_writer w;
	struct run_sink sink;
	struct runner r;
	struct job *jobs = NULL;
	size_t njobs = 0;
	char outdir[64], stamp[32];
	int ret;

	ret = parse_cli(argc, argv, &cli);
	if (ret)
		return ret < 0 ? MLB_EXIT_OK : ret;
	ret = build_jobs(&cli, &jobs, &njobs, &e);
	if (ret) {
		fprintf(stderr, "mlockbench run: %s\n", e.buf);
		free(jobs);
		return MLB_EXIT_USAGE;
	}
	if (!cli.out) {
		iso8601_now(stamp, sizeof(stamp));
		snprintf(outdir, sizeof(outdir), "mlockbench-%.10s-%.2s%.2s%.2s", stamp,
			 stamp + 11, stamp + 14, stamp + 17);
		cli.out = outdir;
	}
	ret = result_writer_check(cli.out, cli.overwrite, &e);
	if (ret) {
		fprintf(stderr, "mlockbench run: %s\n", e.buf);
		free(jobs);
		return out_check_status(ret);
	}
	result_writer_sink(&w, cli.out, cli.overwrite, &sink);	/* checked above */
	pc.tty = pc.tty && !cli.quiet;
	engine_install_signals(&interrupted);
	ret = runner_run(&r, &(struct run_request){
		.jobs = jobs, .njobs = njobs, .outdir = cli.out, .sink = &sink,
		.argc = argc + 1, .argv = argv - 1, .progress = on_progress,
		.progress_ctx = &pc, .interrupted = &interrupted,
	}, &e);
	if (pc.shown)
		fprintf(stderr, "\r\033[K");
	if (r.si.avail.tracefs_mounted_now)
		fprintf(stderr, "mlockbench run: mounted tracefs at %s\n", r.si.avail.tracefs);
	if (r.started && !cli.quiet) {
		run_summary_print(stdout, cli.out);
		run_collectors_summary_print(stdout, &w);
	}
	if (ret == -EINTR)
		fprintf(stderr, "mlockbench run: interrupted; finished configurations kept in %s\n",
			cli.out);
	else if (ret)
		fprintf(stderr, "mlockbench run: %s\n", e.buf[0] ? e.buf : strerror(-ret));
	ret = exit_status(&r, ret);
	runner_release(&r);
	result_writer_release(&w);
	free(jobs);
	return ret;
}
