// SPDX-License-Identifier: GPL-2.0
/* Placeholder until the info command lands. */
#include <stdio.h>

#include "cli/commands.h"
#include "common/exitcodes.h"

int cmd_info(int argc, char **argv)
{
	fprintf(stderr, "mlockbench info: not built yet\n");
	return MLB_EXIT_HARNESS;
}
