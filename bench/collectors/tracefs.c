// SPDX-License-Identifier: GPL-2.0
/* Where tracefs is, mounting it when asked. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/vfs.h>

#include <linux/magic.h>

#include "collectors/tracefs.h"

#define TRACEFS_DEFAULT "/sys/kernel/tracing"
#define TRACEFS_DEBUGFS "/sys/kernel/debug/tracing"

static bool is_tracefs(const char *path)
{
	struct statfs sf;

	return !statfs(path, &sf) && sf.f_type == TRACEFS_MAGIC;
}

static int copy_dir(char *dir, size_t len, const char *path)
{
	if (snprintf(dir, len, "%s", path) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

/* First tracefs mount point in /proc/mounts (paths with spaces are skipped). */
static int from_mounts(char *dir, size_t len)
{
	char src[256], mnt[4096], type[64];
	int ret = -ENOENT;
	FILE *f = fopen("/proc/mounts", "re");

	if (!f)
		return -errno;
	while (fscanf(f, "%255s %4095s %63s %*[^\n]", src, mnt, type) == 3) {
		if (!strcmp(type, "tracefs") && !strchr(mnt, '\\') && is_tracefs(mnt)) {
			ret = copy_dir(dir, len, mnt);
			break;
		}
	}
	fclose(f);
	return ret;
}

int tracefs_find(char *dir, size_t len, bool mount_it, bool *mounted_now,
		 struct errmsg *e)
{
	if (mounted_now)
		*mounted_now = false;
	if (is_tracefs(TRACEFS_DEFAULT))
		return copy_dir(dir, len, TRACEFS_DEFAULT);
	if (!from_mounts(dir, len))
		return 0;
	if (is_tracefs(TRACEFS_DEBUGFS))
		return copy_dir(dir, len, TRACEFS_DEBUGFS);
	if (!mount_it)
		return errmsg_set(e, -ENOENT, "tracefs is not mounted");
	if (mount("nodev", TRACEFS_DEFAULT, "tracefs", 0, NULL))
		return errmsg_set(e, -errno, "cannot mount tracefs at %s: %s",
				  TRACEFS_DEFAULT, strerror(errno));
	if (mounted_now)
		*mounted_now = true;
	return copy_dir(dir, len, TRACEFS_DEFAULT);
}
