// SPDX-License-Identifier: GPL-2.0
/* Where tracefs is, and what its events look like: libtracefs and libtraceevent. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/vfs.h>

#include <linux/magic.h>
#include <tracefs.h>

#include "collectors/tracefs.h"

static int copy_dir(char *dir, size_t len, const char *path)
{
	if (snprintf(dir, len, "%s", path) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

int tracefs_find(char *dir, size_t len, bool mount_it, bool *mounted_now,
		 struct errmsg *e)
{
	const char *path = NULL;
	int r;

	if (mounted_now)
		*mounted_now = false;
	r = tracefs_tracing_dir_is_mounted(false, &path);
	if (r == 1 && path)
		return copy_dir(dir, len, path);
	if (!mount_it)
		return errmsg_set(e, -ENOENT, "tracefs is not mounted");
	r = tracefs_tracing_dir_is_mounted(true, &path);
	if (r < 0 || !path)
		return errmsg_set(e, errno ? -errno : -ENOENT, "cannot mount tracefs at %s: %s",
				  TRACEFS_MOUNT_POINT, strerror(errno ? errno : ENOENT));
	if (mounted_now)
		*mounted_now = r == 0;
	return copy_dir(dir, len, path);
}

bool tracefs_fd_is_tracing(int dfd)
{
	struct statfs sf;

	if (fstatfs(dfd, &sf))
		return false;
	/* before 4.1 the tracing folder was a plain folder of debugfs */
	return sf.f_type == TRACEFS_MAGIC || sf.f_type == DEBUGFS_MAGIC;
}

int tracefs_event_lookup(const char *system, const char *name, const char *field,
			 int *id, int *field_off, struct errmsg *e)
{
	const char *systems[] = { system, NULL };
	struct tep_format_field *f;
	struct tep_handle *tep;
	struct tep_event *ev;
	int ret = 0;

	/* parses the format files of @system only: a handful of events */
	tep = tracefs_local_events_system(NULL, systems);
	if (!tep)
		return errmsg_set(e, -ENOENT, "no trace events of system %s", system);
	ev = tep_find_event_by_name(tep, system, name);
	if (!ev) {
		ret = errmsg_set(e, -ENOENT, "no trace event %s/%s", system, name);
		goto out;
	}
	*id = ev->id;
	if (field) {
		f = tep_find_field(ev, field);
		if (!f) {
			ret = errmsg_set(e, -ENOENT, "trace event %s/%s has no field %s",
					 system, name, field);
			goto out;
		}
		*field_off = f->offset;
	}
out:
	tep_free(tep);
	return ret;
}
