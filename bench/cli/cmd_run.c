// SPDX-License-Identifier: GPL-2.0
/* Placeholder until the run command lands. */
#include <stdio.h>

#include "cli/commands.h"
#include "common/exitcodes.h"

int cmd_run(int argc, char **argv)
{
	fprintf(stderr, "mlockbench run: not built yet\n");
	return MLB_EXIT_HARNESS;
}
