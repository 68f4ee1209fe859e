// SPDX-License-Identifier: GPL-2.0
/* Placeholder until the campaign command lands. */
#include <stdio.h>

#include "cli/commands.h"
#include "common/exitcodes.h"

int cmd_campaign(int argc, char **argv)
{
	fprintf(stderr, "mlockbench campaign: not built yet\n");
	return MLB_EXIT_HARNESS;
}
