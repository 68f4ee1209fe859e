// SPDX-License-Identifier: GPL-2.0
/*
 * mlockbench: compare the rmap-walk and mlock_count munlock designs on
 * identical mlock/exit/munmap workloads.
 */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "common/exitcodes.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "info", cmd_info, "kernel, detected munlock design, topology, collectors" },
	{ "run", cmd_run, "run jobs on the running kernel, write a result folder" },
	{ "campaign", cmd_campaign, "run the same jobs on several kernels (QEMU or native)" },
	{ "kernel", cmd_kernel, "fetch, list and inspect kernels under test" },
	{ "compare", cmd_compare, "tables across result folders: ratios, CIs, significance" },
	{ "gate", cmd_gate, "baseline vs candidate: exit 0 pass, 1 regression, 2 inconclusive" },
	{ "plot", cmd_plot, "gnuplot PNG/SVG plots from result folders" },
	{ "ship", cmd_ship, NULL },	/* hidden: guest side of a campaign */
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: mlockbench COMMAND [OPTIONS]\n\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (commands[i].summary)
			fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'mlockbench COMMAND --help' describes each command.\n"
		   "version " MLB_VERSION " (" MLB_GIT_REV ")\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return MLB_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return MLB_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("mlockbench " MLB_VERSION " (" MLB_GIT_REV ")\n");
		return MLB_EXIT_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "mlockbench: unknown command '%s' (try --help)\n", argv[1]);
	return MLB_EXIT_USAGE;
}
