// SPDX-License-Identifier: GPL-2.0
/* TEMPORARY stand-in for tracefs.c (branch sysinfo): delete before merging. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "collectors/tracefs.h"

static bool has_events(const char *dir)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/events", dir);
	return access(p, F_OK) == 0;
}

int tracefs_find(char *dir, size_t len, bool mount_it, bool *mounted_now,
		 struct errmsg *e)
{
	if (mounted_now)
		*mounted_now = false;
	if (has_events("/sys/kernel/tracing")) {
		snprintf(dir, len, "/sys/kernel/tracing");
		return 0;
	}
	if (has_events("/sys/kernel/debug/tracing")) {
		snprintf(dir, len, "/sys/kernel/debug/tracing");
		return 0;
	}
	if (!mount_it)
		return errmsg_set(e, -ENOENT, "tracefs is not mounted");
	if (mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL))
		return errmsg_set(e, -errno, "mount tracefs: %s", strerror(errno));
	if (mounted_now)
		*mounted_now = true;
	snprintf(dir, len, "/sys/kernel/tracing");
	return 0;
}
