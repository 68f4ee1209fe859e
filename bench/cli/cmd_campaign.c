// SPDX-License-Identifier: GPL-2.0
/* mlockbench campaign FILE: the same jobs on several kernels (QEMU or native). */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "common/exitcodes.h"
#include "common/safe_dir.h"
#include "vm/campaign.h"
#include "vm/descriptor.h"
#include "common/run_command.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mlockbench campaign [--out DIR] [--force] [--kernels ID,ID] FILE\n\n"
		"Run the job sections of FILE on every kernel its [campaign] section lists:\n"
		"'native' runs them here; any other id (kernels/ID.ini) is fetched if needed,\n"
		"booted in QEMU (KVM when a probe boot works, else TCG) with an initramfs holding\n"
		"this binary, and its results come back over a second serial port.\n\n"
		"  --out DIR          output root [data]; results in DIR/NAME/KERNEL-ID/boot-N/\n"
		"  --force            rerun boots whose result is already complete\n"
		"  --kernels LIST     only these kernels of the campaign\n"
		"  --help             this text\n\n"
		"[campaign] keys: name, kernels, compare (design|none), smp, memory, numa,\n"
		"timeout (seconds per boot), append (kernel command line), runs (boots per\n"
		"kernel, default 3), order (interleave: A B A B ..., the default; random: a\n"
		"shuffle of the same boots by seed, default 1).  Every other section is a job\n"
		"section for 'mlockbench run --job'.  DIR/NAME/campaign.json lists every boot;\n"
		"compare, gate and plot take DIR/NAME (or DIR/NAME/KERNEL-ID) as all its boots.\n"
		"Environment: MLOCKBENCH_CACHE (kernel cache), MLOCKBENCH_KERNELS (descriptor\n"
		"folder), MLOCKBENCH_ACCEL=tcg|kvm (skip the KVM probe).\n\n"
		"Exit status: 0 every boot complete; 1 a boot failed, hung or could not be\n"
		"fetched (the others are kept), or compare = design found only one design;\n"
		"2 bad campaign file; 3 environment; 130 interrupted (finished boots kept,\n"
		"no qemu left running; the next run resumes with the unfinished ones).\n");
}

static void on_signal(int sig)
{
	run_command_interrupt();
}

static void progress(void *arg, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mlockbench campaign: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Fail early, before any kernel runs, when a kernel's source cannot run here. */
static int check_tools(const struct campaign *c)
{
	for (size_t i = 0; i < c->nkernels; i++) {
		struct kernel_desc d;
		struct errmsg e = { "" };

		if (kdesc_find(c->kernels[i], &d, NULL) || !d.source->check_tools)
			continue;
		if (d.source->check_tools(&e)) {
			fprintf(stderr, "mlockbench campaign: %s %s\n", d.id, e.buf);
			return MLB_EXIT_HARNESS;
		}
	}
	return MLB_EXIT_OK;
}

static void print_reports(const struct campaign *c, const struct kernel_report *reports)
{
	size_t n = campaign_nboots(c);

	fprintf(stderr, "\n%-14s %4s %-28s %-12s %-12s %8s\n", "KERNEL", "BOOT", "OUTCOME",
		"DESIGN", "EXPECTED", "WALL_S");
	for (size_t i = 0; i < n; i++) {
		const struct kernel_report *r = &reports[i];

		if (!r->id[0])
			continue;	/* the campaign stopped before this boot was planned */
		fprintf(stderr, "%-14s %4u %-28s %-12s %-12s %8.1f%s\n", r->id, r->boot,
			kernel_outcome_name(r->outcome), r->design[0] ? r->design : "-",
			r->expected[0] ? r->expected : "-", r->wall_s,
			r->mismatch ? "  design mismatch" : "");
	}
	for (size_t i = 0; i < n; i++)
		if (reports[i].mismatch)
			fprintf(stderr, "mlockbench campaign: warning: %s boot %u detected %s but its descriptor expects %s (recorded in its manifest)\n",
				reports[i].id, reports[i].boot, reports[i].design, reports[i].expected);
}

static void on_signals(void)
{
	struct sigaction sa = { 0 };

	/* a signal stops the current kernel (qemu killed) and keeps the finished ones */
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	atexit(run_command_kill_all);
}

/* 0: go on; below 0: --help was shown (exit 0); above 0: the exit status. */
static int parse_cli(int argc, char **argv, struct campaign_opts *o, const char **only)
{
	enum { OPT_OUT = 256, OPT_FORCE, OPT_KERNELS };
	static const struct option opts[] = {
		{ "out", required_argument, NULL, OPT_OUT },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "kernels", required_argument, NULL, OPT_KERNELS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case OPT_OUT:
			o->out_root = optarg;
			break;
		case OPT_FORCE:
			o->force = true;
			break;
		case OPT_KERNELS:
			*only = optarg;
			break;
		case 'h':
			usage(stdout);
			return -1;
		default:
			usage(stderr);
			return MLB_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "mlockbench campaign: need exactly one campaign file\n");
		return MLB_EXIT_USAGE;
	}
	return 0;
}

/*
 * Everything that can be refused before a kernel is fetched or booted: the
 * campaign file, the kernel selection, the output root, the tools, the
 * binary the guests get.  0 or the exit status.
 */
static int prepare(const char *file, const char *only, struct campaign *c,
		   struct campaign_opts *o, char *self, size_t len)
{
	struct errmsg e = { "" };
	ssize_t n;
	int err, ch;

	err = campaign_load(file, c, &e);
	if (!err && only)
		err = campaign_select(c, only, &e);
	if (err) {
		fprintf(stderr, "mlockbench campaign: %s\n", e.buf);
		return err == -EINVAL || err == -ERANGE || err == -E2BIG ? MLB_EXIT_USAGE :
									   MLB_EXIT_HARNESS;
	}
	err = safe_dir_open(o->out_root, SAFE_DIR_PROBE, &e);
	if (err) {
		fprintf(stderr, "mlockbench campaign: %s\n", e.buf);
		return err == -EACCES || err == -EROFS ? MLB_EXIT_HARNESS : MLB_EXIT_USAGE;
	}
	ch = check_tools(c);
	if (ch)
		return ch;
	n = readlink("/proc/self/exe", self, len - 1);
	if (n <= 0) {
		fprintf(stderr, "mlockbench campaign: cannot find my own binary\n");
		return MLB_EXIT_HARNESS;
	}
	self[n] = '\0';
	o->binary = self;
	return 0;
}

static int run_status(int err)
{
	if (err == -EINTR)
		return MLB_EXIT_INTERRUPTED;
	if (err == -EDOM || err == -ECHILD)
		return MLB_EXIT_FAIL;
	if (err == -EEXIST)
		return MLB_EXIT_USAGE;
	return MLB_EXIT_HARNESS;
}

int cmd_campaign(int argc, char **argv)
{
	struct kernel_report *reports;
	struct campaign_opts o = { .out_root = "data", .note = progress };
	const char *only = NULL;
	struct errmsg e = { "" };
	char self[4096];
	struct campaign c;
	int ret, err;

	ret = parse_cli(argc, argv, &o, &only);
	if (ret)
		return ret < 0 ? MLB_EXIT_OK : ret;
	ret = prepare(argv[optind], only, &c, &o, self, sizeof(self));
	if (ret) {
		campaign_release(&c);
		return ret;
	}
	reports = calloc(campaign_nboots(&c), sizeof(*reports));
	if (!reports) {
		fprintf(stderr, "mlockbench campaign: out of memory\n");
		campaign_release(&c);
		return MLB_EXIT_HARNESS;
	}
	on_signals();

	err = campaign_run(&c, &o, reports, &e);

	print_reports(&c, reports);
	free(reports);
	campaign_release(&c);
	if (err) {
		fprintf(stderr, "mlockbench campaign: %s\n", e.buf);
		return run_status(err);
	}
	return MLB_EXIT_OK;
}
