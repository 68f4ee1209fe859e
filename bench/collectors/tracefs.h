/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tracing folder and trace event formats, through libtracefs and
 * libtraceevent.  Changes to tracefs that must be undone go through
 * tracefs_state.h, which journals them first.
 */
#ifndef MLB_TRACEFS_H
#define MLB_TRACEFS_H

#include <stdbool.h>
#include <stddef.h>

#include "common/errmsg.h"

/* Where we mount tracefs when it is not mounted (libtracefs's choice too). */
#define TRACEFS_MOUNT_POINT "/sys/kernel/tracing"

/*
 * Locate the tracing folder (libtracefs: /proc/mounts, then the debugfs
 * path).  When @mount is true and none is mounted, mount it and set
 * *mounted_now so the caller can say so.
 */
int tracefs_find(char *dir, size_t len, bool mount, bool *mounted_now,
		 struct errmsg *e);

/* Is the folder open at @dfd a tracing folder (tracefs, or debugfs's tracing/)? */
bool tracefs_fd_is_tracing(int dfd);

/*
 * Id of trace event @system/@name and, when @field is not NULL, the byte
 * offset of @field in its raw record (from the event's format, parsed by
 * libtraceevent).  -ENOENT when the event or the field does not exist.
 */
int tracefs_event_lookup(const char *system, const char *name, const char *field,
			 int *id, int *field_off, struct errmsg *e);

#endif
