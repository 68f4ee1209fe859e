// SPDX-License-Identifier: GPL-2.0
/* Placeholder until the compare command lands. */
#include <stdio.h>

#include "cli/commands.h"
#include "common/exitcodes.h"

int cmd_compare(int argc, char **argv)
{
	fprintf(stderr, "mlockbench compare: not built yet\n");
	return MLB_EXIT_HARNESS;
}
