/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exit statuses of the mlockbench binary.  gate has its own 0/1/2 meanings
 * (pass/regression/inconclusive) and uses EXIT_HARNESS and above for errors,
 * so an error can never look like a pass.
 */
#ifndef MLB_EXITCODES_H
#define MLB_EXITCODES_H

enum mlb_exit {
	MLB_EXIT_OK = 0,
	MLB_EXIT_FAIL = 1,	/* the measurement failed (child died, ...) */
	MLB_EXIT_USAGE = 2,	/* bad option, job file, or unsafe request */
	MLB_EXIT_HARNESS = 3,	/* the environment cannot do it (no perms, no qemu, ...) */
	MLB_EXIT_SKIP = 4,	/* tests only: feature missing here (kselftest) */
	MLB_EXIT_INTERRUPTED = 130,	/* SIGINT/SIGTERM: results so far kept */
};

#endif
