// SPDX-License-Identifier: GPL-2.0
/* Placeholder until the gate command lands. */
#include <stdio.h>

#include "cli/commands.h"
#include "common/exitcodes.h"

int cmd_gate(int argc, char **argv)
{
	fprintf(stderr, "mlockbench gate: not built yet\n");
	return MLB_EXIT_HARNESS;
}
