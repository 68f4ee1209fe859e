// SPDX-License-Identifier: GPL-2.0
/* Placeholder until the kernel command lands. */
#include <stdio.h>

#include "cli/commands.h"
#include "common/exitcodes.h"

int cmd_kernel(int argc, char **argv)
{
	fprintf(stderr, "mlockbench kernel: not built yet\n");
	return MLB_EXIT_HARNESS;
}
