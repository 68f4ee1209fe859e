// SPDX-License-Identifier: GPL-2.0
#include <errno.h>

#include "cli/run_exit.h"
#include "common/exitcodes.h"

int collector_open_exit_status(int err)
{
	switch (err) {
	case 0:
		return MLB_EXIT_OK;
	case -EINTR:
		return MLB_EXIT_INTERRUPTED;
	case -E2BIG:
		return MLB_EXIT_USAGE;
	}
	return MLB_EXIT_HARNESS;
}
