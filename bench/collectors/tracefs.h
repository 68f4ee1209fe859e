/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Finding tracefs and changing its knobs so that every change is undone:
 * on close, and at the next start after a killed run (a state file under
 * /run/mlockbench records what was changed before it is changed).
 */
#ifndef MLB_TRACEFS_H
#define MLB_TRACEFS_H

#include <stdbool.h>
#include <stddef.h>

#include "common/errmsg.h"

/*
 * Locate tracefs: /sys/kernel/tracing, then /proc/mounts, then the debugfs
 * path.  When @mount is true and none is mounted, mount it at
 * /sys/kernel/tracing and set *mounted_now so the caller can say so.
 */
int tracefs_find(char *dir, size_t len, bool mount, bool *mounted_now,
		 struct errmsg *e);

#endif
