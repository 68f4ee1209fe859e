// SPDX-License-Identifier: GPL-2.0
/* Placeholder until the plot command lands. */
#include <stdio.h>

#include "cli/commands.h"
#include "common/exitcodes.h"

int cmd_plot(int argc, char **argv)
{
	fprintf(stderr, "mlockbench plot: not built yet\n");
	return MLB_EXIT_HARNESS;
}
